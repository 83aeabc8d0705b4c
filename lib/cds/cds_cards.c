/*
** cds_cards.c — a CDS Hooks request's medications resolved, checked and
** written as cards (cds_cards.h). Everything a card says comes from the
** check result: each source's level, name, edition and record, the inputs
** that did not resolve and what no source covers. Text that comes from the
** request or from a source is escaped for Markdown, so it cannot add links,
** images or HTML to a card.
*/
#include "cds/cds_cards.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kb/kb_internal.h"
#include "materia/status.h"
#include "util/alloc.h"
#include "util/jsonw.h"

#define SUMMARY_MAX   139            /* CDS Hooks: a summary of fewer than 140 characters */
#define DETAIL_MAX    (1u << 20)     /* bytes of one card's detail */
#define TEXT_MAX      600            /* bytes of one source text (effect, management...) shown */
#define LIST_MAX      50             /* entries listed in a not-checked or not-covered card */

static const char disclaimer[] =
    "Materia informs; it does not replace a clinician or pharmacist.";

/* --- Markdown with a sticky status ---------------------------------------------- */

typedef struct md {
    mt_buf b;
    int    rc;
} md;

static void md_puts(md *m, const char *s)
{
    if (m->rc == MT_OK)
        m->rc = mt_buf_puts(&m->b, s);
}

static void md_printf(md *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void md_printf(md *m, const char *fmt, ...)
{
    va_list ap;
    if (m->rc != MT_OK)
        return;
    va_start(ap, fmt);
    m->rc = mt_buf_vprintf(&m->b, fmt, ap);
    va_end(ap);
}

/* s as literal Markdown text: punctuation that could start emphasis, code,
** a link, an image, HTML, a table or a heading is escaped; line breaks and
** other control characters become one space; at most max bytes of s, cut at
** a character boundary with an ellipsis. */
static void md_esc(md *m, const char *s, size_t max)
{
    size_t n = 0;
    int space = 0;
    for (; s && *s && m->rc == MT_OK; s++) {
        unsigned char ch = (unsigned char)*s;
        if (n >= max && (ch & 0xC0) != 0x80) {
            md_puts(m, "\xE2\x80\xA6");
            return;
        }
        n++;
        if (ch < 0x20 || ch == 0x7f) {
            if (!space)
                m->rc = mt_buf_putc(&m->b, ' ');
            space = 1;
            continue;
        }
        space = 0;
        if (strchr("\\`*_[]<>|~#&!", ch))
            m->rc = mt_buf_putc(&m->b, '\\');
        if (m->rc == MT_OK)
            m->rc = mt_buf_putc(&m->b, (char)ch);
    }
}

/* --- the state of one response ----------------------------------------------------- */

typedef struct cx {
    const mt_kb          *kb;
    const mt_cds_request *req;
    mt_check_result       r;
    const char          **inputs;    /* the candidate checked for each medication */
    uint32_t             *chosen;    /* its index among the medication's candidates */
    uint8_t              *has_ev;    /* n x n: the pair (a < b) has interaction evidence */
    mt_jsonw             *j;
    md                    d;         /* the detail being written */
    int                   cards;     /* cards written so far */
    int                   rc;        /* the first failure of a detail */
} cx;

static int is_new(const cx *x, uint32_t i) { return i < x->req->nnew; }

static int resolved(const cx *x, uint32_t i) { return x->r.inputs[i].how != MT_CHECK_UNRESOLVED; }

static const char *origin_word(const cx *x, uint32_t i)
{
    switch (x->req->meds[i].origin) {
    case MT_CDS_NEW:     return x->req->hook == MT_CDS_ORDER_SELECT ? "selected order" : "draft order";
    case MT_CDS_SESSION: return "unsigned order of this session";
    default:             return "current medication";
    }
}

/* What to call medication i in a summary: its ingredient when it has one
** (a product of warfarin and warfarin sodium is warfarin), else its label. */
static const char *med_name(const cx *x, uint32_t i)
{
    const mt_check_input *in = &x->r.inputs[i];
    uint32_t k;
    for (k = 1; k < in->ning; k++)
        if (in->ings[k].base != in->ings[0].base)
            return x->req->meds[i].label;
    return in->ning ? in->ings[0].name : x->req->meds[i].label;
}

/* "draft order *Label* (MedicationRequest/1): warfarin (as warfarin sodium),
** matched by RXCUI 855332": each ingredient once, with the salt the input
** named. */
static void md_med(cx *x, uint32_t i)
{
    const mt_cds_med *m = &x->req->meds[i];
    const mt_check_input *in = &x->r.inputs[i];
    uint32_t k, j, shown = 0;

    md_printf(&x->d, "%s *", origin_word(x, i));
    md_esc(&x->d, m->label, 200);
    md_puts(&x->d, "* (");
    md_esc(&x->d, m->ref, 200);
    md_puts(&x->d, ")");
    if (!resolved(x, i))
        return;
    md_puts(&x->d, ": ");
    for (k = 0; k < in->ning; k++) {
        const char *via = NULL;
        for (j = 0; j < k; j++)
            if (in->ings[j].base == in->ings[k].base)
                break;
        if (j < k)
            continue;                     /* this ingredient is already shown */
        for (j = k; j < in->ning && !via; j++)
            if (in->ings[j].base == in->ings[k].base)
                via = in->ings[j].via_name;
        if (shown++)
            md_puts(&x->d, " + ");
        md_esc(&x->d, in->ings[k].name, 200);
        if (via) {
            md_puts(&x->d, " (as ");
            md_esc(&x->d, via, 200);
            md_puts(&x->d, ")");
        }
    }
    if (in->how == MT_CHECK_BY_NAME) {
        md_puts(&x->d, ", matched by name \"");
        md_esc(&x->d, in->matched, 200);
        md_puts(&x->d, "\"");
    } else {
        md_puts(&x->d, ", matched by ");
        md_esc(&x->d, in->matched, 200);
    }
    if (in->ambiguous)
        md_puts(&x->d, " (a name of several drugs: all were checked)");
    for (k = 0; k < x->chosen[i] && k < m->ncands; k++) {
        md_puts(&x->d, k ? ", " : "; not found first: ");
        md_printf(&x->d, "%s ", mt_cds_cand_kind_name(m->cands[k].kind));
        md_esc(&x->d, m->cands[k].value, 200);
    }
}

/* A summary of at most SUMMARY_MAX bytes (so fewer characters), cut at a
** character boundary with "..." when too long; control characters dropped. */
static void summary_fit(char *out, size_t size, const char *s)
{
    size_t n = 0, limit = size - 1 < SUMMARY_MAX ? size - 1 : SUMMARY_MAX;
    size_t len = strlen(s);
    const char *p;
    if (len > limit) {
        len = limit - 3;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    for (p = s; (size_t)(p - s) < len; p++)
        if ((unsigned char)*p >= 0x20 && *p != 0x7f)
            out[n++] = *p;
    if (len < strlen(s))
        out[n++] = '.', out[n++] = '.', out[n++] = '.';
    out[n] = '\0';
}

static void summary_printf(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void summary_printf(char *out, size_t size, const char *fmt, ...)
{
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    summary_fit(out, size, tmp);
}

/* --- sources --------------------------------------------------------------------- */

/* The URL a source gives for itself, when it is an absolute http(s) URL. */
static const char *source_url(const mt_kb *kb, const char *id)
{
    uint32_t n = 0, i;
    const kb_source *src = id ? mt_kb_sources(kb, &n) : NULL;
    for (i = 0; src && i < n; i++) {
        if (strcmp(mt_kb_str(kb, src[i].id), id) == 0) {
            const char *u = mt_kb_str(kb, src[i].url);
            return strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0 ? u : NULL;
        }
    }
    return NULL;
}

/* "Materia: ansm, va56": Materia and the sources of ids[0..n-1], each once. */
static void source_label(char *out, size_t size, const char *const *ids, uint32_t n)
{
    size_t len;
    uint32_t i, k;
    snprintf(out, size, "Materia");
    for (i = 0; i < n; i++) {
        if (!ids[i])
            continue;
        for (k = 0; k < i; k++)
            if (ids[k] && strcmp(ids[k], ids[i]) == 0)
                break;
        if (k < i)
            continue;
        len = strlen(out);
        if (len + strlen(ids[i]) + 3 >= size)
            break;
        snprintf(out + len, size - len, "%s%s", strchr(out, ':') ? ", " : ": ", ids[i]);
    }
}

/* --- one card ------------------------------------------------------------------------ */

static void uuid4(char out[37])
{
    unsigned char b[16];
    static const char hex[] = "0123456789abcdef";
    int i, o = 0;
    randombytes_buf(b, sizeof(b));
    b[6] = (unsigned char)((b[6] & 0x0F) | 0x40);
    b[8] = (unsigned char)((b[8] & 0x3F) | 0x80);
    for (i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        out[o++] = hex[b[i] >> 4];
        out[o++] = hex[b[i] & 15];
    }
    out[o] = '\0';
}

/* Writes one card; its detail is x->d, to which the disclaimer is added on
** the first card of the response (said once, not on every card). */
static void card(cx *x, const char *summary, const char *indicator, const char *label, const char *url,
                 const char *topic, const char *topic_display)
{
    char id[37];
    if (x->cards == 0) {
        md_puts(&x->d, x->d.b.len && x->d.b.data[x->d.b.len - 1] == '\n' ? "\n" : "\n\n");
        md_puts(&x->d, disclaimer);
    }
    if (x->d.rc != MT_OK) {
        if (x->rc == MT_OK)
            x->rc = x->d.rc;
        return;
    }
    uuid4(id);
    mt_jsonw_obj_begin(x->j);
    mt_jsonw_kstr(x->j, "uuid", id);
    mt_jsonw_kstr(x->j, "summary", summary);
    mt_jsonw_kstr(x->j, "indicator", indicator);
    mt_jsonw_kstr(x->j, "detail", mt_buf_str(&x->d.b));
    mt_jsonw_key(x->j, "source");
    mt_jsonw_obj_begin(x->j);
    mt_jsonw_kstr(x->j, "label", label);
    if (url)
        mt_jsonw_kstr(x->j, "url", url);
    mt_jsonw_key(x->j, "topic");
    mt_jsonw_obj_begin(x->j);
    mt_jsonw_kstr(x->j, "system", MT_CDS_TOPIC_SYSTEM);
    mt_jsonw_kstr(x->j, "code", topic);
    mt_jsonw_kstr(x->j, "display", topic_display);
    mt_jsonw_obj_end(x->j);
    mt_jsonw_obj_end(x->j);
    mt_jsonw_obj_end(x->j);
    x->cards++;
}

static void detail_reset(cx *x)
{
    mt_buf_reset(&x->d.b);
    x->d.rc = MT_OK;
}

/* --- interaction and duplication cards --------------------------------------------- */

static void md_cite(cx *x, const mt_check_cite *c)
{
    md_esc(&x->d, c->source ? c->source : "?", 80);
    md_puts(&x->d, ": ");
    md_esc(&x->d, c->record ? c->record : "(no record)", 400);
}

/* " Name: text." — a source's text as a sentence of its own. */
static void md_field(cx *x, const char *name, const char *text)
{
    size_t n;
    if (!text || !*text)
        return;
    md_printf(&x->d, " %s: ", name);
    md_esc(&x->d, text, TEXT_MAX);
    n = strlen(text);
    if (n <= TEXT_MAX && !strchr(".!?", text[n - 1]))
        md_puts(&x->d, ".");
}

static void md_evidence(cx *x, const mt_check_evidence *e)
{
    md_puts(&x->d, "- **");
    md_esc(&x->d, e->cite.source_name ? e->cite.source_name : e->cite.source, 200);
    md_puts(&x->d, "**");
    if (e->cite.edition && *e->cite.edition) {
        md_puts(&x->d, " (");
        md_esc(&x->d, e->cite.edition, 200);
        md_puts(&x->d, ")");
    }
    md_puts(&x->d, ": \"");
    md_esc(&x->d, e->level ? e->level : "(no level)", 200);
    md_printf(&x->d, "\" = %s", mt_check_severity_name(e->severity));
    if (e->kind == MT_IX_HARM_REDUCTION)
        md_puts(&x->d, " (a harm-reduction rating, not a clinical one)");
    else if (e->kind == MT_IX_ALERT_POLICY)
        md_printf(&x->d, " (an alerting policy: %s)", mt_check_tier_name(e->tier));
    md_puts(&x->d, ".");
    if (e->a_label || e->b_label) {
        md_puts(&x->d, " Rule: ");
        md_esc(&x->d, e->a_label ? e->a_label : e->name_a, 200);
        md_puts(&x->d, " + ");
        md_esc(&x->d, e->b_label ? e->b_label : e->name_b, 200);
        md_puts(&x->d, ".");
    }
    md_field(x, "Effect", e->effect);
    md_field(x, "Mechanism", e->mechanism);
    md_field(x, "Management", e->management);
    if ((e->effect || e->mechanism || e->management) && e->lang && strcmp(e->lang, "en") != 0) {
        md_puts(&x->d, " (Text in ");
        md_esc(&x->d, strcmp(e->lang, "fr") == 0 ? "French" : e->lang, 20);
        md_puts(&x->d, ".)");
    }
    md_puts(&x->d, " Record: ");
    md_cite(x, &e->cite);
    if (e->text_cite.source) {
        md_puts(&x->d, "; text: ");
        md_cite(x, &e->text_cite);
    }
    md_puts(&x->d, "\n");
}

static void md_dup(cx *x, const mt_check_dup *d)
{
    md_puts(&x->d, "- ");
    if (d->type == MT_DUP_INGREDIENT) {
        md_puts(&x->d, "Same ingredient in both: **");
        md_esc(&x->d, d->name_a, 200);
        md_puts(&x->d, "** (NCPDP ID).");
    } else {
        md_puts(&x->d, "Same pharmacologic class: **");
        md_esc(&x->d, d->name_a, 200);
        md_puts(&x->d, "** and **");
        md_esc(&x->d, d->name_b, 200);
        md_puts(&x->d, "** are both ");
        md_esc(&x->d, d->class_name ? d->class_name : "(unnamed class)", 200);
        if (d->class_type) {
            md_puts(&x->d, " (");
            md_esc(&x->d, d->class_type, 20);
            md_puts(&x->d, ")");
        }
        md_puts(&x->d, " (NCPDP TD).");
    }
    md_puts(&x->d, " Records: ");
    md_cite(x, &d->cite_a);
    md_puts(&x->d, "; ");
    md_cite(x, &d->cite_b);
    md_puts(&x->d, "\n");
}

static void pair_header(cx *x, const mt_check_finding *f)
{
    md_puts(&x->d, "- ");
    md_med(x, f->input_a);
    md_puts(&x->d, "\n- ");
    md_med(x, f->input_b);
    md_puts(&x->d, "\n\n");
}

static void interaction_card(cx *x, const mt_check_finding *f)
{
    const mt_check_evidence *e0 = &f->ev[0];
    const char *ids[32];
    char summary[SUMMARY_MAX + 1], label[128], pair[400];
    uint32_t k, nids = 0;
    int sev = f->severity, hr = f->hr_severity;

    detail_reset(x);
    snprintf(pair, sizeof(pair), "%s + %s", e0->name_a, e0->name_b);
    if (sev == MT_CHECK_SEV_NONE)
        summary_printf(summary, sizeof(summary), "%s: %s per a harm-reduction source (no clinical grading)",
                       pair, mt_check_severity_name(hr));
    else if (sev == MT_SEV_UNKNOWN)
        summary_printf(summary, sizeof(summary), "Interaction reported, not graded: %s%s%s%s", pair,
                       hr > sev ? " (harm-reduction source: " : "", hr > sev ? mt_check_severity_name(hr) : "",
                       hr > sev ? ")" : "");
    else
        summary_printf(summary, sizeof(summary), "%s%s: %s%s%s%s",
                       sev == MT_SEV_CONTRAINDICATED ? "Contraindicated" : mt_check_severity_name(sev),
                       sev == MT_SEV_CONTRAINDICATED ? " combination" : " interaction", pair,
                       hr > sev ? " (harm-reduction source: " : "", hr > sev ? mt_check_severity_name(hr) : "",
                       hr > sev ? ")" : "");
    if (summary[0] >= 'a' && summary[0] <= 'z')
        summary[0] = (char)(summary[0] - 'a' + 'A');

    pair_header(x, f);
    if (sev == MT_CHECK_SEV_NONE)
        md_puts(&x->d, "No clinical source has this pair. ");
    else if (sev == MT_SEV_UNKNOWN)
        md_puts(&x->d, "Reported by clinical sources without a grading. ");
    else
        md_printf(&x->d, "Severity on Materia's scale: **%s**, the most severe rating of the clinical sources "
                  "below. ", mt_check_severity_name(sev));
    if (f->disagreement)
        md_puts(&x->d, "The clinical sources grade this pair differently; each one's own rating is listed. ");
    if (hr != MT_CHECK_SEV_NONE)
        md_printf(&x->d, "A harm-reduction source (not a clinical grading) rates it **%s**. ",
                  mt_check_severity_name(hr));
    md_puts(&x->d, "Each source's own rating:\n\n");
    for (k = 0; k < f->nev; k++) {
        md_evidence(x, &f->ev[k]);
        if (nids < sizeof(ids) / sizeof(ids[0]))
            ids[nids++] = f->ev[k].cite.source;
    }
    if (f->ndups) {
        md_puts(&x->d, "\nAlso a duplicate therapy:\n\n");
        for (k = 0; k < f->ndups; k++)
            md_dup(x, &f->dups[k]);
    }
    source_label(label, sizeof(label), ids, nids);
    card(x, summary, mt_cds_indicator(sev, hr), label, source_url(x->kb, e0->cite.source),
         "interaction", "Drug interaction");
}

static void duplication_card(cx *x, const mt_check_finding *f)
{
    const mt_check_dup *d = &f->dups[0];
    const char *ids[32];
    char summary[SUMMARY_MAX + 1], label[128];
    uint32_t k, nids = 0;

    detail_reset(x);
    if (d->type == MT_DUP_INGREDIENT)
        summary_printf(summary, sizeof(summary), "Duplicate therapy: both contain %s", d->name_a);
    else
        summary_printf(summary, sizeof(summary), "Duplicate therapy: %s + %s, both %s", d->name_a, d->name_b,
                       d->class_name ? d->class_name : "one class");
    pair_header(x, f);
    md_puts(&x->d, "No source reports an interaction between these two; they duplicate each other:\n\n");
    for (k = 0; k < f->ndups; k++) {
        md_dup(x, &f->dups[k]);
        if (nids + 2 <= sizeof(ids) / sizeof(ids[0])) {
            ids[nids++] = f->dups[k].cite_a.source;
            ids[nids++] = f->dups[k].cite_b.source;
        }
    }
    source_label(label, sizeof(label), ids, nids);
    card(x, summary, "info", label, NULL, "duplication", "Duplicate therapy");
}

/* --- "no data" cards --------------------------------------------------------------- */

static void not_checked_card(cx *x)
{
    char summary[SUMMARY_MAX + 1];
    uint32_t i, k, n = 0, first = 0, listed = 0;

    for (i = 0; i < x->r.ninputs; i++)
        if (!resolved(x, i) && n++ == 0)
            first = i;
    if (n == 0)
        return;
    detail_reset(x);
    if (n == 1)
        summary_printf(summary, sizeof(summary), "Not checked: %s could not be identified",
                       x->req->meds[first].label);
    else
        summary_printf(summary, sizeof(summary), "Not checked: %u medications could not be identified", n);
    md_puts(&x->d, "Materia could not identify these medications, so no interaction was checked for them. "
                   "This is not \"no interaction\".\n\n");
    for (i = 0; i < x->r.ninputs; i++) {
        const mt_cds_med *m = &x->req->meds[i];
        const mt_check_input *in = &x->r.inputs[i];
        if (resolved(x, i))
            continue;
        if (listed++ == LIST_MAX) {
            md_printf(&x->d, "- and %u more\n", n - LIST_MAX);
            break;
        }
        md_puts(&x->d, "- ");
        md_med(x, i);
        if (m->ncands == 0) {
            md_puts(&x->d, ": ");
            md_esc(&x->d, m->why_none, 200);
        } else {
            md_puts(&x->d, ": tried ");
            for (k = 0; k < m->ncands; k++) {
                md_printf(&x->d, "%s%s \"", k ? ", " : "", mt_cds_cand_kind_name(m->cands[k].kind));
                md_esc(&x->d, m->cands[k].value, 200);
                md_puts(&x->d, "\"");
            }
            md_puts(&x->d, " (");
            md_esc(&x->d, in->why ? in->why : "not found", 200);
            md_puts(&x->d, ")");
        }
        if (in->nsuggestions) {
            md_puts(&x->d, ". Did you mean (not used for the check): ");
            for (k = 0; k < in->nsuggestions; k++) {
                if (k)
                    md_puts(&x->d, "; ");
                md_esc(&x->d, in->suggestions[k], 200);
            }
        }
        md_puts(&x->d, "\n");
    }
    card(x, summary, "info", "Materia", NULL, "not-checked", "Not checked");
}

/* Source s has a rule on input i (covers is ascending). */
static int src_covers(const mt_check_source *s, uint32_t i)
{
    uint32_t lo = 0, hi = s->ncovers;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (s->covers[mid] == i)
            return 1;
        if (s->covers[mid] < i)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

/* A pair that matters (a new order in it), both resolved, both covered by
** some source, no interaction evidence, and no source covering both. */
static int pair_uncovered(const cx *x, uint32_t a, uint32_t b)
{
    uint32_t s;
    if (!is_new(x, a) && !is_new(x, b))
        return 0;
    if (!resolved(x, a) || !resolved(x, b) || !x->r.inputs[a].covered || !x->r.inputs[b].covered)
        return 0;
    if (x->has_ev[(size_t)a * x->r.ninputs + b])
        return 0;
    for (s = 0; s < x->r.nsources; s++)
        if (src_covers(&x->r.sources[s], a) && src_covers(&x->r.sources[s], b))
            return 0;
    return 1;
}

/* Medication i resolved, no source covers it, and it is in a pair that
** matters with another resolved medication. */
static int med_uncovered(const cx *x, uint32_t i)
{
    uint32_t k;
    if (!resolved(x, i) || x->r.inputs[i].covered)
        return 0;
    for (k = 0; k < x->r.ninputs; k++)
        if (k != i && resolved(x, k) && (is_new(x, i) || is_new(x, k)))
            return 1;
    return 0;
}

static void md_sources_of(cx *x, uint32_t i)
{
    uint32_t s, n = 0;
    for (s = 0; s < x->r.nsources; s++)
        if (src_covers(&x->r.sources[s], i)) {
            md_puts(&x->d, n++ ? ", " : "");
            md_esc(&x->d, x->r.sources[s].id, 80);
        }
}

static void not_covered_card(cx *x)
{
    char summary[SUMMARY_MAX + 1];
    uint32_t n = x->r.ninputs, a, b, nmeds = 0, npairs = 0, fa = 0, fb = 0, listed = 0;

    for (a = 0; a < n; a++)
        if (med_uncovered(x, a) && nmeds++ == 0)
            fa = a;
    for (a = 0; a < n; a++)
        for (b = a + 1; b < n; b++)
            if (pair_uncovered(x, a, b) && npairs++ == 0 && nmeds == 0)
                fa = a, fb = b;
    if (nmeds + npairs == 0)
        return;
    detail_reset(x);
    if (nmeds == 1 && npairs == 0)
        summary_printf(summary, sizeof(summary), "No interaction data for %s: no bundled source covers it",
                       med_name(x, fa));
    else if (nmeds == 0 && npairs == 1)
        summary_printf(summary, sizeof(summary), "No interaction data for %s + %s: no bundled source covers both",
                       med_name(x, fa), med_name(x, fb));
    else
        summary_printf(summary, sizeof(summary), "No interaction data for %u medications or pairs: "
                       "no bundled source covers them", nmeds + npairs);
    md_puts(&x->d, "No bundled interaction source has data on these, so Materia cannot say whether they "
                   "interact. This is not \"no interaction\".\n\n");
    for (a = 0; a < n && listed <= LIST_MAX; a++) {
        if (!med_uncovered(x, a))
            continue;
        if (listed++ == LIST_MAX)
            break;
        md_puts(&x->d, "- ");
        md_med(x, a);
        md_puts(&x->d, ". No interaction source has a rule on it.\n");
    }
    for (a = 0; a < n && listed <= LIST_MAX; a++)
        for (b = a + 1; b < n && listed <= LIST_MAX; b++) {
            if (!pair_uncovered(x, a, b))
                continue;
            if (listed++ == LIST_MAX)
                break;
            md_puts(&x->d, "- **");
            md_esc(&x->d, med_name(x, a), 200);
            md_puts(&x->d, "** + **");
            md_esc(&x->d, med_name(x, b), 200);
            md_puts(&x->d, "**: no single source covers both (");
            md_esc(&x->d, med_name(x, a), 200);
            md_puts(&x->d, ": ");
            md_sources_of(x, a);
            md_puts(&x->d, "; ");
            md_esc(&x->d, med_name(x, b), 200);
            md_puts(&x->d, ": ");
            md_sources_of(x, b);
            md_puts(&x->d, ").\n");
        }
    if (listed > LIST_MAX)
        md_printf(&x->d, "- and %u more\n", nmeds + npairs - LIST_MAX);
    card(x, summary, "info", "Materia", NULL, "not-covered", "No interaction data");
}

/* --- resolution ---------------------------------------------------------------------- */

/* The candidate to report an unresolved medication by: a name gives
** "did you mean" suggestions, a code does not. */
static uint32_t fallback(const mt_cds_med *m)
{
    uint32_t k;
    for (k = 0; k < m->ncands; k++)
        if (m->cands[k].kind == MT_CDS_TEXT || m->cands[k].kind == MT_CDS_DISPLAY)
            return k;
    return 0;
}

/* Checks the first candidate of every medication; for a medication that
** did not resolve, tries its other candidates one by one, and checks again
** when one of them resolves (or to report it by its name, which gives
** "did you mean" suggestions). chosen[i]: the candidate that resolved. */
static int check(cx *x)
{
    const mt_cds_request *q = x->req;
    uint32_t i, k;
    int rc, again = 0;

    for (i = 0; i < q->nmeds; i++)
        x->inputs[i] = q->meds[i].ncands ? q->meds[i].cands[0].value : "";
    rc = mt_check(x->kb, x->inputs, q->nmeds, NULL, &x->r);
    for (i = 0; rc == MT_OK && i < q->nmeds; i++) {
        const mt_cds_med *m = &q->meds[i];
        if (resolved(x, i) || m->ncands < 2)
            continue;
        for (k = 1; k < m->ncands; k++) {
            mt_check_opts o;
            mt_check_result one;
            int ok;
            memset(&o, 0, sizeof(o));
            o.flags = MT_CHECK_F_NO_SUGGEST;
            rc = mt_check(x->kb, &m->cands[k].value, 1, &o, &one);
            ok = rc == MT_OK && one.nresolved == 1;
            mt_check_result_free(&one);
            if (rc != MT_OK || ok)
                break;
        }
        if (rc != MT_OK)
            break;
        x->chosen[i] = k < m->ncands ? k : fallback(m);
        if (x->chosen[i] != 0) {
            x->inputs[i] = m->cands[x->chosen[i]].value;
            again = 1;
        }
    }
    if (rc == MT_OK && again) {
        mt_check_result_free(&x->r);
        rc = mt_check(x->kb, x->inputs, q->nmeds, NULL, &x->r);
    }
    return rc;
}

/* --- the response -------------------------------------------------------------------- */

const char *mt_cds_indicator(int severity, int hr_severity)
{
    if (severity == MT_SEV_CONTRAINDICATED || severity == MT_SEV_MAJOR)
        return "critical";
    if (severity == MT_SEV_MODERATE)
        return "warning";
    if (hr_severity == MT_SEV_CONTRAINDICATED || hr_severity == MT_SEV_MAJOR || hr_severity == MT_SEV_MODERATE)
        return "warning";
    return "info";
}

int mt_cds_respond(const mt_kb *kb, const mt_cds_request *req, mt_buf *out)
{
    mt_jsonw j;
    cx x;
    uint32_t i, n;
    int rc = MT_OK;

    if (!kb || !req || !out || (req->nmeds && !req->meds) || req->nnew > req->nmeds)
        return MT_EINVAL;
    if (sodium_init() < 0)
        return MT_EIO;
    memset(&x, 0, sizeof(x));
    x.kb = kb;
    x.req = req;
    x.j = &j;
    mt_buf_init(&x.d.b, DETAIL_MAX);
    mt_jsonw_init(&j, out, 0);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_key(&j, "cards");
    mt_jsonw_arr_begin(&j);
    n = req->nmeds;
    if (req->nnew > 0) {
        x.inputs = mt_calloc(n, sizeof(*x.inputs));
        x.chosen = mt_calloc(n, sizeof(*x.chosen));
        x.has_ev = mt_calloc((size_t)n * n, 1);
        if (!x.inputs || !x.chosen || !x.has_ev) {
            rc = MT_ENOMEM;
            goto done;
        }
        rc = check(&x);
        if (rc != MT_OK)
            goto done;
        for (i = 0; i < x.r.nfindings; i++) {
            const mt_check_finding *f = &x.r.findings[i];
            if (f->nev)
                x.has_ev[(size_t)f->input_a * n + f->input_b] = 1;
        }
        for (i = 0; i < x.r.nfindings; i++) {
            const mt_check_finding *f = &x.r.findings[i];
            if (!is_new(&x, f->input_a) && !is_new(&x, f->input_b))
                continue;
            if (f->nev)
                interaction_card(&x, f);
            else if (f->ndups)
                duplication_card(&x, f);
        }
        not_checked_card(&x);
        not_covered_card(&x);
    }
    mt_jsonw_arr_end(&j);
    mt_jsonw_obj_end(&j);
    rc = mt_jsonw_finish(&j);
    if (rc == MT_OK)
        rc = x.rc;
done:
    mt_check_result_free(&x.r);
    mt_free(x.inputs);
    mt_free(x.chosen);
    mt_free(x.has_ev);
    mt_buf_free(&x.d.b);
    return rc;
}
