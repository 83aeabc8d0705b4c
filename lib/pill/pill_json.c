/*
** pill_json.c — pill search results as JSON (mt_pill_json, the shape of
** docs/reference/pills.md, "JSON") and as text (mt_pill_text, the CLI's output).
**
** Both print the same facts per result: what matched and how (also as one
** sentence, the "explanation"), the pill's description, the drugs it
** contains (the index's list: a product's ingredients, each salt shown as
** its ingredient, or what the name gives),
** strength, form, NDC, labeler, DEA schedule, and where the record comes
** from. The form is the record's own, else read from the product name
** ("... MG ORAL TABLET" -> "Oral Tablet"), and says which.
*/
#include "materia/pill.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "kb/kb_internal.h"
#include "pill/pindex.h"
#include "pill/pwords.h"
#include "util/alloc.h"
#include "util/jsonw.h"

/* RxNorm dose forms that a product name ends with, most specific first. */
static const char *const dose_forms[] = {
    "Extended Release Oral Tablet", "Extended Release Oral Capsule", "Delayed Release Oral Tablet",
    "Delayed Release Oral Capsule", "Disintegrating Oral Tablet", "Chewable Tablet",
    "Effervescent Oral Tablet", "Sublingual Tablet", "Buccal Tablet", "Vaginal Tablet",
    "Oral Tablet", "Oral Capsule", "Oral Lozenge", "Oral Troche", "Tablet", "Capsule", "Lozenge",
    NULL
};

/* The form of a pill and where it comes from ("record" or "name"), or NULL. */
static const char *pill_form(const mt_kb *kb, const kb_pill *p, const char **from)
{
    const char *f = mt_kb_str(kb, p->form), *name = mt_kb_str(kb, p->name);
    size_t i;
    *from = NULL;
    if (*f) {
        *from = "record";
        return f;
    }
    for (i = 0; dose_forms[i]; i++) {
        if (strcasestr(name, dose_forms[i])) {
            *from = "name";
            return dose_forms[i];
        }
    }
    return NULL;
}

/* The drugs of a pill, from the index (pindex.h, DRUGS). */
static unsigned pill_drugs(const pi_index *ix, uint32_t pill, const uint32_t **out)
{
    const pi_pill *p = &ix->pills[pill];
    *out = ix->drugs + p->drugs;
    return p->ndrugs;
}

static const char *code_display(const mt_kb *kb, uint16_t code)
{
    return code == PI_NONE16 ? "" : mt_kb_str(kb, mt_kb_code(kb, code)->display);
}

/* The pill's colours as the record gives them ("BLUE, WHITE"), or "". */
static const char *colors_text(const mt_kb *kb, const kb_pill *p)
{
    return mt_kb_str(kb, p->color);
}

/* One sentence: what matched and how. */
static int explain(const mt_kb *kb, const pi_pill *pp, const kb_pill *p, const mt_pill_hit *h, mt_buf *b)
{
    int rc = MT_OK;
    const char *sep = "";
#define PUT(...) do { if (rc == MT_OK) rc = mt_buf_printf(b, __VA_ARGS__); } while (0)
    switch (h->imprint) {
    case MT_PILL_IMPRINT_EXACT:
        PUT("imprint exact");
        break;
    case MT_PILL_IMPRINT_CONFUSION:
        PUT("imprint exact but for %u look-alike character%s (such as O for 0, I for 1, S for 5)",
            h->confusions, h->confusions == 1 ? "" : "s");
        break;
    case MT_PILL_IMPRINT_PARTIAL:
        PUT("imprint: the query is part of it (%u%% of its characters), such as one side", h->coverage);
        if (h->confusions)
            PUT(", %u look-alike character%s", h->confusions, h->confusions == 1 ? "" : "s");
        break;
    case MT_PILL_IMPRINT_FUZZY:
        PUT("imprint within %u edit%s (a missing, extra, wrong or swapped character)", h->distance,
            h->distance == 1 ? "" : "s");
        if (h->coverage < 100)
            PUT(", %u%% of its characters", h->coverage);
        break;
    case MT_PILL_IMPRINT_NEAR_MISS:
        if (h->distance == MT_PILL_FAR)
            PUT("a near-miss: whole tokens match (%u%% of its imprint), the rest of the query does not",
                h->coverage);
        else
            PUT("a near-miss: the imprint is %u edits away", h->distance);
        break;
    default:
        PUT("no imprint asked");
        break;
    }
    sep = "; ";
    if (h->color) {
        const char *c = colors_text(kb, p);
        switch (h->color) {
        case MT_PILL_ATTR_MATCH:    PUT("%scolour %s matches", sep, c); break;
        case MT_PILL_ATTR_PARTIAL:  PUT("%scolour %s matches in part", sep, c); break;
        case MT_PILL_ATTR_NEAR:     PUT("%scolour %s is near the colour asked", sep, c); break;
        case MT_PILL_ATTR_UNKNOWN:  PUT("%scolour not recorded", sep); break;
        default:                    PUT("%scolour differs: the pill is %s", sep, c); break;
        }
    }
    if (h->shape) {
        const char *s = code_display(kb, pp->shape);
        switch (h->shape) {
        case MT_PILL_ATTR_MATCH:    PUT("%sshape %s matches", sep, s); break;
        case MT_PILL_ATTR_NEAR:     PUT("%sshape %s is near the shape asked", sep, s); break;
        case MT_PILL_ATTR_UNKNOWN:  PUT("%sshape not recorded", sep); break;
        default:                    PUT("%sshape differs: the pill is %s", sep, s); break;
        }
    }
    if (h->size) {
        double mm = p->size_cmm / 100.0;
        switch (h->size) {
        case MT_PILL_ATTR_MATCH:    PUT("%ssize %.1f mm matches", sep, mm); break;
        case MT_PILL_ATTR_NEAR:     PUT("%ssize %.1f mm is close", sep, mm); break;
        case MT_PILL_ATTR_UNKNOWN:  PUT("%ssize not recorded", sep); break;
        default:                    PUT("%ssize differs: the pill is %.1f mm", sep, mm); break;
        }
    }
    if (h->score) {
        switch (h->score) {
        case MT_PILL_ATTR_MATCH:    PUT("%sscore matches (%d pieces)", sep, p->score); break;
        case MT_PILL_ATTR_UNKNOWN:  PUT("%sscore not recorded", sep); break;
        default:                    PUT("%sscore differs: %d pieces", sep, p->score); break;
        }
    }
    if (p->flags & PI_FLAG_LOW_CONFIDENCE)
        PUT("%slow-confidence record (no imprint source)", sep);
#undef PUT
    return rc;
}

/* --- JSON ------------------------------------------------------------------------ */

static void jstr_or_null(mt_jsonw *j, const char *key, const char *s)
{
    mt_jsonw_key(j, key);
    if (s && *s)
        mt_jsonw_str(j, s);
    else
        mt_jsonw_null(j);
}

static void json_term(mt_jsonw *j, const pw_term *t)
{
    unsigned k;
    mt_jsonw_obj_begin(j);
    mt_jsonw_kstr(j, "word", t->word);
    mt_jsonw_kstr(j, "spl", t->spl);
    mt_jsonw_key(j, "near");
    mt_jsonw_arr_begin(j);
    for (k = 0; k < PW_MAX_ALT && t->alt[k]; k++)
        mt_jsonw_str(j, t->alt[k]);
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
}

static void json_query(mt_jsonw *j, const mt_pill_query *q)
{
    pw_term terms[PI_MAX_COLORS];
    unsigned n = 0, k;
    char err[160], norm[PI_NORM_MAX];

    mt_jsonw_key(j, "query");
    mt_jsonw_obj_begin(j);
    jstr_or_null(j, "imprint", q->imprint);
    if (q->imprint && *q->imprint) {
        char cut[MT_PILL_QUERY_MAX + 1];
        snprintf(cut, sizeof(cut), "%s", q->imprint);
        pi_normalize(cut, norm, sizeof(norm), NULL, NULL);
        mt_jsonw_kstr(j, "imprint_normalized", norm);
    } else {
        mt_jsonw_key(j, "imprint_normalized");
        mt_jsonw_null(j);
    }
    jstr_or_null(j, "color", q->color);
    mt_jsonw_key(j, "colors");
    mt_jsonw_arr_begin(j);
    if (q->color && *q->color && pw_parse_colors(q->color, terms, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_OK)
        for (k = 0; k < n; k++)
            json_term(j, &terms[k]);
    mt_jsonw_arr_end(j);
    jstr_or_null(j, "shape", q->shape);
    mt_jsonw_key(j, "shape_spl");
    if (q->shape && *q->shape && pw_parse_shape(q->shape, &terms[0], err, sizeof(err)) == MT_OK)
        json_term(j, &terms[0]);
    else
        mt_jsonw_null(j);
    mt_jsonw_key(j, "size_mm");
    if (q->size_mm > 0)
        mt_jsonw_double(j, q->size_mm);
    else
        mt_jsonw_null(j);
    mt_jsonw_key(j, "score");
    if (q->score > 0)
        mt_jsonw_int(j, q->score);
    else
        mt_jsonw_null(j);
    mt_jsonw_obj_end(j);
}

static void json_hit(mt_jsonw *j, const mt_kb *kb, const pi_index *ix, const mt_pill_hit *h,
                     uint8_t *used_sources, mt_buf *tmp)
{
    const kb_pill *p = mt_kb_pill(kb, h->pill);
    const pi_pill *pp = &ix->pills[h->pill];
    const uint32_t *drugs;
    uint32_t i;
    unsigned nd = pill_drugs(ix, h->pill, &drugs), k;
    const char *from, *form = pill_form(kb, p, &from);
    char svg[64];

    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "id", h->pill);
    mt_jsonw_kuint(j, "confidence", h->confidence);
    mt_jsonw_key(j, "match");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kstr(j, "imprint", mt_pill_imprint_match_name(h->imprint));
    if (h->imprint) {
        mt_jsonw_key(j, "distance");
        if (h->distance == MT_PILL_FAR)
            mt_jsonw_null(j);
        else
            mt_jsonw_uint(j, h->distance);
        mt_jsonw_kuint(j, "confusions", h->confusions);
        mt_jsonw_kuint(j, "coverage", h->coverage);
    } else {
        mt_jsonw_key(j, "distance");
        mt_jsonw_null(j);
        mt_jsonw_key(j, "confusions");
        mt_jsonw_null(j);
        mt_jsonw_key(j, "coverage");
        mt_jsonw_null(j);
    }
    mt_jsonw_kstr(j, "color", mt_pill_attr_match_name(h->color));
    mt_jsonw_kstr(j, "shape", mt_pill_attr_match_name(h->shape));
    mt_jsonw_kstr(j, "size", mt_pill_attr_match_name(h->size));
    mt_jsonw_kstr(j, "score", mt_pill_attr_match_name(h->score));
    mt_jsonw_obj_end(j);
    mt_buf_reset(tmp);
    explain(kb, pp, p, h, tmp);
    mt_jsonw_kstr(j, "explanation", mt_buf_str(tmp));
    jstr_or_null(j, "imprint", mt_kb_str(kb, p->imprint));
    mt_jsonw_key(j, "colors");
    mt_jsonw_arr_begin(j);
    for (k = 0; k < pp->ncolor; k++)
        mt_jsonw_str(j, code_display(kb, pp->color[k]));
    mt_jsonw_arr_end(j);
    jstr_or_null(j, "color_text", colors_text(kb, p));
    jstr_or_null(j, "shape", pp->shape != PI_NONE16 ? code_display(kb, pp->shape) : mt_kb_str(kb, p->shape));
    mt_jsonw_key(j, "size_mm");
    if (p->size_cmm)
        mt_jsonw_double(j, p->size_cmm / 100.0);
    else
        mt_jsonw_null(j);
    mt_jsonw_key(j, "score");
    if (p->score > 0)
        mt_jsonw_int(j, p->score);
    else
        mt_jsonw_null(j);
    jstr_or_null(j, "name", mt_kb_str(kb, p->name));
    mt_jsonw_key(j, "drugs");
    mt_jsonw_arr_begin(j);
    for (k = 0; k < nd; k++) {
        const kb_drug *d = mt_kb_drug(kb, drugs[k]);
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", drugs[k]);
        mt_jsonw_kstr(j, "name", mt_kb_str(kb, d->name));
        mt_jsonw_key(j, "rxcui");
        if (d->rxcui)
            mt_jsonw_uint(j, d->rxcui);
        else
            mt_jsonw_null(j);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_key(j, "product");
    if (p->product != KB_NONE && p->product < mt_kb_count(kb, KB_T_PRODUCTS)) {
        const kb_product *pr = mt_kb_product(kb, p->product);
        mt_jsonw_obj_begin(j);
        mt_jsonw_key(j, "rxcui");
        if (pr->rxcui)
            mt_jsonw_uint(j, pr->rxcui);
        else
            mt_jsonw_null(j);
        mt_jsonw_kstr(j, "name", mt_kb_str(kb, pr->name));
        jstr_or_null(j, "tty", mt_kb_str(kb, pr->tty));
        mt_jsonw_obj_end(j);
    } else {
        mt_jsonw_null(j);
    }
    jstr_or_null(j, "strength", mt_kb_str(kb, p->strength));
    jstr_or_null(j, "form", form);
    jstr_or_null(j, "form_from", from);
    jstr_or_null(j, "ndc", mt_kb_str(kb, p->ndc11));
    mt_jsonw_key(j, "other_ndcs");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "total", h->nsame);
    mt_jsonw_key(j, "items");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < h->nsame && i < MT_PILL_SAME_MAX; i++) {
        const char *ndc = mt_kb_str(kb, mt_kb_pill(kb, h->same[i])->ndc11);
        if (*ndc)
            mt_jsonw_str(j, ndc);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
    jstr_or_null(j, "labeler", mt_kb_str(kb, p->labeler));
    jstr_or_null(j, "schedule", mt_kb_str(kb, p->schedule));
    mt_jsonw_kbool(j, "low_confidence", (p->flags & PI_FLAG_LOW_CONFIDENCE) != 0);
    mt_jsonw_kstr(j, "source", mt_kb_cite_source(kb, p->cite));
    jstr_or_null(j, "record", mt_kb_cite_record(kb, p->cite));
    if (p->cite.source < mt_kb_count(kb, KB_T_SOURCES))
        used_sources[p->cite.source] = 1;
    mt_jsonw_key(j, "filled");
    if (p->flags & (PI_FLAG_FILLED_LABELER | PI_FLAG_FILLED_COLOR | PI_FLAG_FILLED_STRENGTH)) {
        mt_jsonw_obj_begin(j);
        mt_jsonw_key(j, "fields");
        mt_jsonw_arr_begin(j);
        if (p->flags & PI_FLAG_FILLED_LABELER)
            mt_jsonw_str(j, "labeler");
        if (p->flags & PI_FLAG_FILLED_COLOR)
            mt_jsonw_str(j, "color");
        if (p->flags & PI_FLAG_FILLED_STRENGTH)
            mt_jsonw_str(j, "strength");
        mt_jsonw_arr_end(j);
        mt_jsonw_kstr(j, "source", mt_kb_cite_source(kb, p->fill_cite));
        jstr_or_null(j, "record", mt_kb_cite_record(kb, p->fill_cite));
        mt_jsonw_obj_end(j);
        if (p->fill_cite.source < mt_kb_count(kb, KB_T_SOURCES))
            used_sources[p->fill_cite.source] = 1;
    } else {
        mt_jsonw_null(j);
    }
    snprintf(svg, sizeof(svg), "/api/v1/pills/%u.svg", h->pill);
    mt_jsonw_kstr(j, "svg", svg);
    mt_jsonw_obj_end(j);
}

int mt_pill_json(const mt_kb *kb, const mt_pill_query *q, const mt_pill_results *r,
                 int pretty, struct mt_buf *out)
{
    pi_index ix;
    mt_kb_summary info;
    mt_jsonw j;
    mt_buf tmp;
    uint8_t *used;
    uint32_t i, nsrc;
    const kb_source *src = mt_kb_sources(kb, &nsrc);
    int rc;

    if (!kb || !q || !r || !out)
        return MT_EINVAL;
    rc = pi_index_open(&ix, kb);
    if (rc != MT_OK)
        return MT_EINVAL;
    used = mt_calloc(nsrc ? nsrc : 1, 1);
    if (!used)
        return MT_ENOMEM;
    mt_kb_info(kb, &info);
    mt_buf_init(&tmp, 4096);
    mt_jsonw_init(&j, out, pretty);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_key(&j, "kb");
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kstr(&j, "data_version", info.data_version);
    mt_jsonw_kstr(&j, "build_date", info.build_date);
    mt_jsonw_obj_end(&j);
    json_query(&j, q);
    mt_jsonw_kuint(&j, "count", r->count);
    mt_jsonw_kuint(&j, "matched", r->matched);
    mt_jsonw_kuint(&j, "examined", r->examined);
    mt_jsonw_kbool(&j, "capped", r->capped != 0);
    mt_jsonw_key(&j, "results");
    mt_jsonw_arr_begin(&j);
    for (i = 0; i < r->count && i < MT_PILL_MAX_RESULTS; i++)
        json_hit(&j, kb, &ix, &r->hits[i], used, &tmp);
    mt_jsonw_arr_end(&j);
    mt_jsonw_key(&j, "near_misses");
    mt_jsonw_arr_begin(&j);
    for (i = 0; i < r->nnear && i < MT_PILL_MAX_NEAR; i++)
        json_hit(&j, kb, &ix, &r->near[i], used, &tmp);
    mt_jsonw_arr_end(&j);
    mt_jsonw_key(&j, "sources");
    mt_jsonw_obj_begin(&j);
    for (i = 0; i < nsrc; i++) {
        if (!used[i])
            continue;
        mt_jsonw_key(&j, mt_kb_str(kb, src[i].id));
        mt_jsonw_obj_begin(&j);
        mt_jsonw_kstr(&j, "name", mt_kb_str(kb, src[i].name));
        jstr_or_null(&j, "edition", mt_kb_str(kb, src[i].edition));
        jstr_or_null(&j, "licence", mt_kb_str(kb, src[i].licence));
        jstr_or_null(&j, "attribution", mt_kb_str(kb, src[i].attribution));
        jstr_or_null(&j, "url", mt_kb_str(kb, src[i].url));
        mt_jsonw_obj_end(&j);
    }
    mt_jsonw_obj_end(&j);
    mt_jsonw_obj_end(&j);
    rc = mt_jsonw_finish(&j);
    mt_buf_free(&tmp);
    mt_free(used);
    return rc;
}

/* --- text ------------------------------------------------------------------------------ */

static int text_hit(const mt_kb *kb, const pi_index *ix, const mt_pill_hit *h, unsigned n, mt_buf *b)
{
    const kb_pill *p = mt_kb_pill(kb, h->pill);
    const pi_pill *pp = &ix->pills[h->pill];
    const uint32_t *drugs;
    unsigned nd = pill_drugs(ix, h->pill, &drugs), k;
    const char *from, *form = pill_form(kb, p, &from);
    const char *imprint = mt_kb_str(kb, p->imprint);
    int rc = MT_OK;
#define PUT(...) do { if (rc == MT_OK) rc = mt_buf_printf(b, __VA_ARGS__); } while (0)
    PUT("%2u. ", n);
    for (k = 0; k < nd; k++)
        PUT("%s%s", k ? " + " : "", mt_kb_str(kb, mt_kb_drug(kb, drugs[k])->name));
    if (nd == 0)
        PUT("(drug not identified)");
    PUT(" — %s  [confidence %u]\n", *mt_kb_str(kb, p->name) ? mt_kb_str(kb, p->name) : "(unnamed)",
        h->confidence);
    PUT("    imprint %s · %s · %s", *imprint ? imprint : "(none)",
        *colors_text(kb, p) ? colors_text(kb, p) : "colour ?",
        pp->shape != PI_NONE16 ? code_display(kb, pp->shape) : "shape ?");
    if (p->size_cmm)
        PUT(" · %.1f mm", p->size_cmm / 100.0);
    if (p->score > 1)
        PUT(" · scored in %d", p->score);
    PUT("\n    ");
    if (*mt_kb_str(kb, p->strength))
        PUT("%s · ", mt_kb_str(kb, p->strength));
    if (form)
        PUT("%s · ", form);
    if (*mt_kb_str(kb, p->ndc11))
        PUT("NDC %s", mt_kb_str(kb, p->ndc11));
    else
        PUT("NDC ?");
    if (h->nsame)
        PUT(" (+%u other NDC%s)", h->nsame, h->nsame == 1 ? "" : "s");
    if (*mt_kb_str(kb, p->labeler))
        PUT(" · %s", mt_kb_str(kb, p->labeler));
    if (*mt_kb_str(kb, p->schedule))
        PUT(" · schedule %s", mt_kb_str(kb, p->schedule));
    PUT("\n    matched: ");
    if (rc == MT_OK)
        rc = explain(kb, pp, p, h, b);
    PUT("\n    source: %s", mt_kb_cite_source(kb, p->cite));
    if (*mt_kb_cite_record(kb, p->cite))
        PUT(" (%s)", mt_kb_cite_record(kb, p->cite));
    for (k = 0; k < nd; k++) {
        const kb_drug *d = mt_kb_drug(kb, drugs[k]);
        PUT(" · drug id %u", drugs[k]);
        if (d->rxcui)
            PUT(" (RxCUI %u)", d->rxcui);
    }
    PUT("\n");
#undef PUT
    return rc;
}

static int text_query(const mt_pill_query *q, mt_buf *b)
{
    int rc = MT_OK;
    const char *sep = "";
#define PUT(...) do { if (rc == MT_OK) rc = mt_buf_printf(b, __VA_ARGS__); } while (0)
    if (q->imprint && *q->imprint) {
        PUT("imprint \"%.128s\"", q->imprint);
        sep = ", ";
    }
    if (q->color && *q->color) {
        PUT("%scolour \"%.128s\"", sep, q->color);
        sep = ", ";
    }
    if (q->shape && *q->shape) {
        PUT("%sshape \"%.128s\"", sep, q->shape);
        sep = ", ";
    }
    if (q->size_mm > 0) {
        PUT("%ssize %.1f mm", sep, q->size_mm);
        sep = ", ";
    }
    if (q->score > 0)
        PUT("%sscore %d", sep, q->score);
#undef PUT
    return rc;
}

int mt_pill_text(const mt_kb *kb, const mt_pill_query *q, const mt_pill_results *r,
                 struct mt_buf *out)
{
    pi_index ix;
    uint32_t i;
    int rc;

    if (!kb || !q || !r || !out || pi_index_open(&ix, kb) != MT_OK)
        return MT_EINVAL;
    if (r->count) {
        rc = mt_buf_printf(out, "%u result%s for ", r->count, r->count == 1 ? "" : "s");
        if (rc == MT_OK)
            rc = text_query(q, out);
        if (rc == MT_OK && r->matched > r->count)
            rc = mt_buf_printf(out, " (%u pills matched)", r->matched);
        if (rc == MT_OK)
            rc = mt_buf_puts(out, ":\n");
        for (i = 0; i < r->count && rc == MT_OK; i++)
            rc = text_hit(kb, &ix, &r->hits[i], i + 1, out);
    } else {
        rc = mt_buf_puts(out, "No pill matches ");
        if (rc == MT_OK)
            rc = text_query(q, out);
        if (rc == MT_OK)
            rc = mt_buf_puts(out, r->nnear ? ". Closest near-misses:\n" : ", and nothing is close.\n");
        for (i = 0; i < r->nnear && rc == MT_OK; i++)
            rc = text_hit(kb, &ix, &r->near[i], i + 1, out);
    }
    if (rc == MT_OK && r->capped)
        rc = mt_buf_puts(out, "(the search reached its work limit: weaker matches may be missing)\n");
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "Materia informs; it does not replace a clinician or pharmacist. "
                              "Confirm a pill with a pharmacist before taking it.\n");
    return rc;
}
