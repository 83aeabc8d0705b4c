/*
** pill_join.c — shared joins of the pill importers (pill_join.h).
*/
#include "import/pill_join.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util/alloc.h"
#include "util/text.h"

#define NAME_KEY_MAX 512

static int put_key(pj_index *ix, mt_hmap *map, const char *key, size_t len, mdl_ref value)
{
    mdl_ref old;
    const char *k;
    /* First writer wins: the first package or product seen keeps the key. */
    if (mt_hmap_get(map, key, len, &old) == MT_OK)
        return MT_OK;
    k = mt_arena_strndup(&ix->keys, key, len);
    if (!k)
        return MT_ENOMEM;
    return mt_hmap_put(map, k, len, value);
}

/* A product's ingredients as the facts need them: the ingredient (IN) of a
** salt (PIN) rather than the salt, no multiple-ingredient (MIN) record, each
** once. RxNorm lists a product under the IN, the PIN and the MIN records. */
static uint32_t compact_ings(const mdl *m, mdl_ref *ings, uint32_t n)
{
    uint32_t i, j, out = 0, multi = 0;
    for (i = 0; i < n; i++) {
        mdl_ref d = ings[i];
        if (d >= m->drugs.count)
            continue;
        if (m->drugs.items[d].kind == MT_DRUG_MULTI) {
            multi++;
            continue;
        }
        d = mdl_drug_base(m, d);
        for (j = 0; j < out && ings[j] != d; j++)
            ;
        if (j == out)
            ings[out++] = d;
    }
    /* Only MIN records: keep them rather than nothing. */
    if (!out && multi)
        for (i = 0; i < n; i++)
            if (ings[i] < m->drugs.count && m->drugs.items[ings[i]].kind == MT_DRUG_MULTI)
                ings[out++] = ings[i];
    return out;
}

static int build_ings(pj_index *ix, const mdl *m)
{
    uint32_t i, *fill = NULL;
    int rc = MT_ENOMEM;

    ix->ing_start = mt_calloc((size_t)m->products.count + 1, sizeof(*ix->ing_start));
    ix->ing_count = mt_calloc((size_t)m->products.count + 1, sizeof(*ix->ing_count));
    ix->ings = mt_calloc(m->product_ings.count ? m->product_ings.count : 1, sizeof(*ix->ings));
    fill = mt_calloc((size_t)m->products.count + 1, sizeof(*fill));
    if (!ix->ing_start || !ix->ing_count || !ix->ings || !fill)
        goto done;
    for (i = 0; i < m->product_ings.count; i++) {
        mdl_ref p = m->product_ings.items[i].product;
        if (ALWAYS(p < m->products.count))
            ix->ing_start[p + 1]++;
    }
    for (i = 0; i < m->products.count; i++)
        ix->ing_start[i + 1] += ix->ing_start[i];
    for (i = 0; i < m->product_ings.count; i++) {
        mdl_ref p = m->product_ings.items[i].product;
        if (ALWAYS(p < m->products.count))
            ix->ings[ix->ing_start[p] + fill[p]++] = m->product_ings.items[i].drug;
    }
    for (i = 0; i < m->products.count; i++)
        ix->ing_count[i] = compact_ings(m, ix->ings + ix->ing_start[i],
                                        ix->ing_start[i + 1] - ix->ing_start[i]);
    rc = MT_OK;
done:
    mt_free(fill);
    return rc;
}

int pj_index_build(pj_index *ix, const mdl *m)
{
    uint32_t i;
    char key[NAME_KEY_MAX];
    int rc = MT_OK;

    memset(ix, 0, sizeof(*ix));
    ix->m = m;
    mt_arena_init(&ix->keys, 1024 * 1024, 0);
    mt_hmap_init(&ix->by_ndc11);
    mt_hmap_init(&ix->by_ndc9);
    mt_hmap_init(&ix->by_name);

    for (i = 0; i < m->ndcs.count && rc == MT_OK; i++) {
        const mdl_ndc *n = &m->ndcs.items[i];
        rc = put_key(ix, &ix->by_ndc11, n->ndc11, 11, n->product);
        if (rc == MT_OK)
            rc = put_key(ix, &ix->by_ndc9, n->ndc11, 9, n->product);
    }
    for (i = 0; i < m->products.count && rc == MT_OK; i++) {
        size_t len = mt_text_key(m->products.items[i].name, key, sizeof(key));
        if (len)
            rc = put_key(ix, &ix->by_name, key, len, i);
    }
    if (rc == MT_OK)
        rc = build_ings(ix, m);
    if (rc == MT_OK) {
        ix->sched = mt_calloc(m->drugs.count ? m->drugs.count : 1, sizeof(*ix->sched));
        if (!ix->sched)
            rc = MT_ENOMEM;
    }
    for (i = 0; rc == MT_OK && i < m->schedules.count; i++) {
        const mdl_schedule *s = &m->schedules.items[i];
        if (ALWAYS(s->drug < m->drugs.count) && !ix->sched[s->drug])
            ix->sched[s->drug] = s->schedule;
    }
    if (rc != MT_OK)
        pj_index_free(ix);
    return rc;
}

void pj_index_free(pj_index *ix)
{
    mt_hmap_free(&ix->by_ndc11);
    mt_hmap_free(&ix->by_ndc9);
    mt_hmap_free(&ix->by_name);
    mt_free(ix->ing_start);
    mt_free(ix->ing_count);
    mt_free(ix->ings);
    mt_free((void *)ix->sched);
    mt_arena_free(&ix->keys);
    memset(ix, 0, sizeof(*ix));
}

mdl_ref pj_product_by_ndc11(const pj_index *ix, const char *ndc11)
{
    mdl_ref p;
    if (!ndc11 || strlen(ndc11) != 11 || mt_hmap_get(&ix->by_ndc11, ndc11, 11, &p) != MT_OK)
        return MDL_NONE;
    return p;
}

mdl_ref pj_product_by_ndc9(const pj_index *ix, const char *ndc9)
{
    mdl_ref p;
    if (!ndc9 || strlen(ndc9) != 9 || mt_hmap_get(&ix->by_ndc9, ndc9, 9, &p) != MT_OK)
        return MDL_NONE;
    return p;
}

mdl_ref pj_product_by_name(const pj_index *ix, const char *name)
{
    char key[NAME_KEY_MAX];
    size_t len;
    mdl_ref p;
    if (!name)
        return MDL_NONE;
    len = mt_text_key(name, key, sizeof(key));
    if (!len || mt_hmap_get(&ix->by_name, key, len, &p) != MT_OK)
        return MDL_NONE;
    return p;
}

uint32_t pj_product_ings(const pj_index *ix, mdl_ref product, const mdl_ref **out)
{
    *out = NULL;
    if (product >= ix->m->products.count || !ix->ing_start)
        return 0;
    *out = ix->ings + ix->ing_start[product];
    return ix->ing_count[product];
}

mdl_ref pj_product_main_drug(const pj_index *ix, mdl_ref product)
{
    const mdl_ref *ings;
    return pj_product_ings(ix, product, &ings) ? ings[0] : MDL_NONE;
}

const char *pj_drug_schedule(const pj_index *ix, mdl_ref drug)
{
    const mdl_drug *d;
    if (drug >= ix->m->drugs.count || !ix->sched)
        return NULL;
    if (ix->sched[drug])
        return ix->sched[drug];
    d = &ix->m->drugs.items[drug];
    if (d->parent < ix->m->drugs.count && ix->sched[d->parent])
        return ix->sched[d->parent];
    return NULL;
}

/* Scheduled substances whose combinations the Controlled Substances Act
** places in a lower schedule than the substance alone, or exempts (21 CFR
** 1308.13(e): codeine, dihydrocodeine, ethylmorphine, opium, morphine
** preparations; 1308.15(c): diphenoxylate, difenoxin; exempted butalbital
** and phenobarbital preparations, 1308.32). A combination with one of them
** gets no schedule from its ingredients. */
static int lower_in_combination(const mdl *m, mdl_ref drug)
{
    static const char *const names[] = { "codeine", "dihydrocodeine", "ethylmorphine", "opium",
                                         "morphine", "diphenoxylate", "difenoxin", "butalbital",
                                         "phenobarbital" };
    char key[NAME_KEY_MAX];
    size_t i;
    if (drug >= m->drugs.count)
        return 0;
    mt_text_key(m->drugs.items[drug].name, key, sizeof(key));
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(key, names[i]) == 0)
            return 1;
    return 0;
}

const char *pj_drugs_schedule(const pj_index *ix, const mdl_ref *drugs, uint32_t n)
{
    const char *sched = NULL;
    mdl_ref which = MDL_NONE;
    uint32_t i;
    for (i = 0; i < n; i++) {
        const char *s = pj_drug_schedule(ix, drugs[i]);
        if (!s)
            continue;
        if (sched)
            return NULL;                /* two scheduled ingredients: not guessed */
        sched = s;
        which = drugs[i];
    }
    if (sched && n > 1 && lower_in_combination(ix->m, mdl_drug_base(ix->m, which)))
        return NULL;
    return sched;
}

const char *pj_product_schedule(const pj_index *ix, mdl_ref product)
{
    const mdl_ref *ings;
    uint32_t n = pj_product_ings(ix, product, &ings);
    return pj_drugs_schedule(ix, ings, n);
}

int pj_ndc9_normalize(const char *code, char out[10])
{
    char lab[6], prod[5];
    size_t nl = 0, np = 0, nd = 0;
    const char *p, *dash;

    if (!code)
        return MT_EFORMAT;
    dash = strchr(code, '-');
    if (!dash) {
        for (p = code; *p; p++) {
            if (!isdigit((unsigned char)*p) || nd >= 9)
                return MT_EFORMAT;
            out[nd++] = *p;
        }
        if (nd != 9)
            return MT_EFORMAT;
        out[9] = '\0';
        return MT_OK;
    }
    for (p = code; p < dash; p++) {
        if (!isdigit((unsigned char)*p) || nl >= 5)
            return MT_EFORMAT;
        lab[nl++] = *p;
    }
    for (p = dash + 1; *p; p++) {
        if (!isdigit((unsigned char)*p) || np >= 4)
            return MT_EFORMAT;
        prod[np++] = *p;
    }
    /* 4-4 pads the labeler, 5-3 the product; 5-4 is already 9 digits. */
    if (nl == 4 && np == 4) {
        out[0] = '0';
        memcpy(out + 1, lab, 4);
        memcpy(out + 5, prod, 4);
    } else if (nl == 5 && np == 3) {
        memcpy(out, lab, 5);
        out[5] = '0';
        memcpy(out + 6, prod, 3);
    } else if (nl == 5 && np == 4) {
        memcpy(out, lab, 5);
        memcpy(out + 5, prod, 4);
    } else
        return MT_EFORMAT;
    out[9] = '\0';
    return MT_OK;
}

/* Copies the token s[0..len) trimmed of spaces into tok (NUL-terminated). */
static size_t trim_token(const char *s, size_t len, char *tok, size_t toksz)
{
    while (len && isspace((unsigned char)*s)) {
        s++;
        len--;
    }
    while (len && isspace((unsigned char)s[len - 1]))
        len--;
    if (len >= toksz)
        len = toksz - 1;
    memcpy(tok, s, len);
    tok[len] = '\0';
    return len;
}

/* The display name of a code of `system` named by its C-code or its display name. */
static const char *code_display(const mdl *m, const char *system, const char *tok)
{
    uint32_t i;
    for (i = 0; i < m->codes.count; i++) {
        const mdl_code *c = &m->codes.items[i];
        if (strcmp(c->system, system) == 0 &&
            (strcasecmp(c->code, tok) == 0 || strcasecmp(c->display, tok) == 0))
            return c->display;
    }
    return NULL;
}

static int put_upper(mt_buf *out, const char *s)
{
    int rc = MT_OK;
    for (; *s && rc == MT_OK; s++)
        rc = mt_buf_putc(out, (char)toupper((unsigned char)*s));
    return rc;
}

int pj_color_text(const mdl *m, const char *in, mt_buf *out)
{
    const char *p = in ? in : "";
    char tok[64];
    const char *seen[8];
    size_t nseen = 0, i;
    int rc = MT_OK;

    mt_buf_reset(out);
    while (*p && rc == MT_OK) {
        size_t span = strcspn(p, ";,");
        const char *disp;
        char upper[64];
        if (trim_token(p, span, tok, sizeof(tok))) {
            disp = code_display(m, "SPL-COLOR", tok);
            if (!disp) {
                for (i = 0; tok[i]; i++)
                    upper[i] = (char)toupper((unsigned char)tok[i]);
                upper[i] = '\0';
            }
            for (i = 0; i < nseen; i++)
                if (strcmp(seen[i], disp ? disp : upper) == 0)
                    break;
            if (i == nseen) {
                if (out->len)
                    rc = mt_buf_puts(out, ", ");
                if (rc == MT_OK)
                    rc = disp ? mt_buf_puts(out, disp) : put_upper(out, tok);
                /* Remember displays by pointer into the model; unknown words
                ** are rare enough that they are not deduplicated. */
                if (disp && nseen < sizeof(seen) / sizeof(seen[0]))
                    seen[nseen++] = disp;
            }
        }
        p += span;
        if (*p)
            p++;
    }
    if (rc == MT_OK)
        rc = mt_buf_append(out, "", 0);   /* a terminated "" rather than NULL data */
    return rc;
}

int pj_shape_text(const mdl *m, const char *in, mt_buf *out)
{
    char tok[64];
    const char *disp;
    uint32_t i;
    size_t len;

    mt_buf_reset(out);
    len = trim_token(in ? in : "", in ? strlen(in) : 0, tok, sizeof(tok));
    if (!len)
        return mt_buf_append(out, "", 0);
    disp = code_display(m, "SPL-SHAPE", tok);
    if (!disp) {
        /* "PENTAGON" -> "PENTAGON (5 SIDES)": the short form some sources use. */
        for (i = 0; i < m->codes.count; i++) {
            const mdl_code *c = &m->codes.items[i];
            if (strcmp(c->system, "SPL-SHAPE") == 0 && strncasecmp(c->display, tok, len) == 0 &&
                strncmp(c->display + len, " (", 2) == 0) {
                disp = c->display;
                break;
            }
        }
    }
    return disp ? mt_buf_puts(out, disp) : put_upper(out, tok);
}

const char *pj_schedule_from_code(const char *code)
{
    static const struct { const char *code, *name; } map[] = {
        { "C48672", "CI" }, { "C48675", "CII" }, { "C48676", "CIII" },
        { "C48677", "CIV" }, { "C48679", "CV" },
        { "CI", "CI" }, { "CII", "CII" }, { "CIII", "CIII" }, { "CIV", "CIV" }, { "CV", "CV" },
        { "C-I", "CI" }, { "C-II", "CII" }, { "C-III", "CIII" }, { "C-IV", "CIV" }, { "C-V", "CV" },
    };
    size_t i;
    if (!code)
        return NULL;
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcasecmp(map[i].code, code) == 0)
            return map[i].name;
    return NULL;
}
