/*
** meds.c — resolving medications, their interaction alerts and the daily
** totals of their ingredients (meds.h).
*/
#include "records/meds.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb/kb_internal.h"
#include "materia/search.h"
#include "materia/show.h"
#include "util/alloc.h"
#include "util/text.h"

#define MAX_SEGMENTS 8
#define MAX_EFFECTS  4

int mt_meds_resolve(const mt_kb *kb, const char *text, const char *field, mt_arena *a,
                    mt_rec_errors *e, const char **name, long long *rxcui, const char **product)
{
    mt_search_results r;
    mt_show_match m;
    const kb_drug *d;
    int rc;

    *name = NULL;
    *rxcui = 0;
    *product = NULL;
    rc = mt_search_results_init(&r);
    if (rc != MT_OK)
        return rc;
    rc = mt_show_resolve(kb, text, &r, &m);
    if (rc == MT_ENOTFOUND || rc == MT_EINVAL) {
        char sugg[160] = "";
        uint32_t i;
        size_t pos = 0;
        for (i = 0; i < r.count && i < MT_SHOW_SUGGESTIONS; i++) {
            int w = snprintf(sugg + pos, sizeof(sugg) - pos, "%s%s", i ? ", " : "", r.hits[i].drug_name);
            if (w < 0 || (size_t)w >= sizeof(sugg) - pos)
                break;
            pos += (size_t)w;
        }
        if (pos)
            mt_rec_err(e, field, "no drug named \"%.60s\" in the knowledge base; did you mean: %s?", text, sugg);
        else
            mt_rec_err(e, field, "no drug named \"%.60s\" in the knowledge base", text);
        rc = MT_ENOTFOUND;
        goto done;
    }
    if (rc != MT_OK)
        goto done;
    d = mt_kb_drug(kb, m.drug);
    *name = mt_arena_strdup(a, mt_kb_str(kb, d->name));
    *rxcui = d->rxcui;
    if ((m.name_kind == MT_NAME_PRODUCT || m.code_type == MT_SEARCH_CODE_NDC) && m.matched && *m.matched)
        *product = mt_arena_strdup(a, m.matched);
    if (!*name || (m.name_kind == MT_NAME_PRODUCT && m.matched && *m.matched && !*product))
        rc = MT_ENOMEM;
done:
    mt_search_results_free(&r);
    return rc;
}

/* --- strengths ----------------------------------------------------------------- */

typedef struct segment {
    char   key[128];     /* the name words before the amount, as a text key */
    double mg;           /* NAN when no mass amount */
    double per_ml;       /* the volume of a concentration, else 0 */
} segment;

/* Whether p (after spaces and a number) starts a volume unit: "ml". */
static int volume_follows(const char *p, double *vol)
{
    char *end;
    double v = 1;
    while (*p == ' ')
        p++;
    if ((*p >= '0' && *p <= '9') || *p == '.') {
        v = strtod(p, &end);
        if (end == p || !(v > 0))
            return 0;
        p = end;
        while (*p == ' ')
            p++;
    }
    if (strncasecmp(p, "ml", 2) != 0 || (p[2] >= 'a' && p[2] <= 'z') || (p[2] >= 'A' && p[2] <= 'Z'))
        return 0;
    *vol = v;
    return 1;
}

/* The mass in mg of "<number> <unit>" at p, or NAN; *after points past it. */
static double mass_at(const char *p, const char **after)
{
    static const struct { const char *u; double mg; } mass[] = {
        { "mcg", 0.001 }, { "ug", 0.001 }, { "\xc2\xb5g", 0.001 }, { "microgram", 0.001 },
        { "mg", 1 }, { "milligram", 1 }, { "g", 1000 }, { "gram", 1000 },
    };
    char *end;
    double v = strtod(p, &end);
    size_t i;
    if (end == p || !(v >= 0) || !isfinite(v))
        return NAN;
    p = end;
    while (*p == ' ')
        p++;
    for (i = 0; i < sizeof(mass) / sizeof(mass[0]); i++) {
        size_t n = strlen(mass[i].u);
        char c;
        if (strncasecmp(p, mass[i].u, n) != 0)
            continue;
        c = p[n];
        if (c == 's' || c == 'S')          /* "grams", "milligrams" */
            c = p[++n];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            continue;
        *after = p + n;
        return v * mass[i].mg;
    }
    return NAN;
}

/* Splits text into "name amount [/ volume]" segments at the '/' that separate
** ingredients (not the '/' of a concentration, "mg/ml"). */
static size_t segments(const char *text, segment *seg, size_t max)
{
    size_t n = 0;
    const char *p = text;
    while (p && *p && n < max) {
        const char *q = p, *after = NULL, *num = NULL, *slash = NULL;
        char name[128];
        size_t nlen;
        segment *s = &seg[n];
        s->mg = NAN;
        s->per_ml = 0;
        /* the first number that is a mass amount */
        for (; *q && *q != '/'; q++) {
            if ((*q >= '0' && *q <= '9') && (q == p || q[-1] == ' ' || q[-1] == '(')) {
                double mg = mass_at(q, &after);
                if (!isnan(mg)) {
                    s->mg = mg;
                    num = q;
                    break;
                }
            }
        }
        if (num) {
            double vol;
            q = after;
            while (*q == ' ')
                q++;
            if (*q == '/' && volume_follows(q + 1, &vol))
                s->per_ml = vol;
        }
        /* the next separating slash */
        for (slash = num ? after : p; *slash; slash++) {
            double vol;
            if (*slash == '/' && !volume_follows(slash + 1, &vol))
                break;
        }
        nlen = (size_t)((num ? num : slash) - p);
        if (nlen >= sizeof(name))
            nlen = sizeof(name) - 1;
        memcpy(name, p, nlen);
        name[nlen] = '\0';
        mt_text_key(name, s->key, sizeof(s->key));
        mt_text_strip_salt(s->key);
        n++;
        p = *slash ? slash + 1 : NULL;
    }
    return n;
}

/* Whether the key of an ingredient name begins the segment's name key. */
static int names_match(const char *seg_key, const char *ing_name)
{
    char k[128];
    size_t n;
    mt_text_key(ing_name, k, sizeof(k));
    mt_text_strip_salt(k);
    n = strlen(k);
    return n > 0 && strncmp(seg_key, k, n) == 0 && (seg_key[n] == '\0' || seg_key[n] == ' ');
}

size_t mt_meds_strengths(const char *text, const char *const *names, size_t n, double *mg, double *per_ml)
{
    segment seg[MAX_SEGMENTS];
    size_t ns, i, k, found = 0, with_amount = 0, last = 0;

    for (i = 0; i < n; i++) {
        mg[i] = NAN;
        per_ml[i] = 0;
    }
    if (!text || !*text || n == 0)
        return 0;
    ns = segments(text, seg, MAX_SEGMENTS);
    for (k = 0; k < ns; k++)
        if (!isnan(seg[k].mg)) {
            with_amount++;
            last = k;
        }
    if (n == 1 && with_amount == 1) {   /* one ingredient, one amount: whatever the name says ("Zoloft 50 mg") */
        mg[0] = seg[last].mg;
        per_ml[0] = seg[last].per_ml;
        return 1;
    }
    for (i = 0; i < n; i++) {
        for (k = 0; k < ns; k++) {
            if (!isnan(seg[k].mg) && names_match(seg[k].key, names[i])) {
                mg[i] = seg[k].mg;
                per_ml[i] = seg[k].per_ml;
                found++;
                break;
            }
        }
    }
    return found;
}

/* --- the check --------------------------------------------------------------------- */

static double doses_per_day(const mt_rec_med *m)
{
    switch (m->sched_kind) {
    case MT_SCHED_TIMES_PER_DAY:
        return m->times_per_day > 0 ? m->times_per_day : NAN;
    case MT_SCHED_CLOCK_TIMES: {
        double n = 0;
        const char *p;
        for (p = m->clock_times; p && *p; p++)
            n += *p == ',';
        return m->clock_times && *m->clock_times ? n + 1 : NAN;
    }
    case MT_SCHED_AS_NEEDED:
        return m->max_per_day;
    default:
        return NAN;
    }
}

/* mg of ingredient i of input `in` taken per day by medication m, or NAN. */
static double mg_per_day(const mt_rec_med *m, const mt_check_input *in, uint32_t i)
{
    const char *names[MT_CHECK_MAX_INPUTS];
    double mg[MT_CHECK_MAX_INPUTS], per_ml[MT_CHECK_MAX_INPUTS];
    double per_dose = NAN, unit_mg, day = doses_per_day(m);
    const char *texts[3];
    uint32_t k, n = in->ning < MT_CHECK_MAX_INPUTS ? in->ning : MT_CHECK_MAX_INPUTS;
    size_t t;

    if (isnan(m->dose_amount) || !m->dose_unit || isnan(day) || i >= n)
        return NAN;
    unit_mg = mt_rec_unit_mg(m->dose_unit);
    if (unit_mg > 0)      /* a mass: only a single ingredient can take it whole */
        return n == 1 ? m->dose_amount * unit_mg * day : NAN;
    for (k = 0; k < n; k++)
        names[k] = in->ings[k].name;
    texts[0] = m->strength;
    texts[1] = m->product;
    texts[2] = m->drug_text;
    for (t = 0; t < 3 && isnan(per_dose); t++) {
        if (!texts[t] || mt_meds_strengths(texts[t], names, n, mg, per_ml) == 0 || isnan(mg[i]))
            continue;
        if (strcmp(m->dose_unit, "ml") == 0)
            per_dose = per_ml[i] > 0 ? m->dose_amount * mg[i] / per_ml[i] : NAN;
        else
            per_dose = per_ml[i] > 0 ? NAN : m->dose_amount * mg[i];
    }
    return isnan(per_dose) ? NAN : per_dose * day;
}

static int cmp_total(const void *a, const void *b)
{
    const mt_meds_total *x = a, *y = b;
    return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

static int compute_totals(mt_meds_check *c)
{
    size_t i, k, cap = 0;
    uint32_t g;
    for (i = 0; i < c->n; i++)
        cap += c->res.inputs[i].ning;
    c->totals = cap ? mt_arena_calloc(&c->arena, cap, sizeof(*c->totals)) : NULL;
    if (cap && !c->totals)
        return MT_ENOMEM;
    for (i = 0; i < c->n; i++) {
        const mt_check_input *in = &c->res.inputs[i];
        for (g = 0; g < in->ning; g++) {
            mt_meds_total *t = NULL;
            for (k = 0; k < c->ntotals && !t; k++)
                if (c->totals[k].drug == in->ings[g].base)
                    t = &c->totals[k];
            if (!t) {
                t = &c->totals[c->ntotals++];
                t->drug = in->ings[g].base;
                t->name = in->ings[g].name;
                t->items = mt_arena_calloc(&c->arena, c->n, sizeof(*t->items));
                t->mg_per_day = NAN;
                t->complete = 1;
                if (!t->items)
                    return MT_ENOMEM;
            }
            if (t->nitems && t->items[t->nitems - 1].med == i)
                continue;           /* an input naming the ingredient twice counts once */
            t->items[t->nitems].med = i;
            t->items[t->nitems].mg_per_day = mg_per_day(&c->meds[i], in, g);
            if (isnan(t->items[t->nitems].mg_per_day))
                t->complete = 0;
            else
                t->mg_per_day = (isnan(t->mg_per_day) ? 0 : t->mg_per_day) + t->items[t->nitems].mg_per_day;
            t->nitems++;
        }
    }
    if (c->ntotals > 1)
        qsort(c->totals, c->ntotals, sizeof(*c->totals), cmp_total);
    return MT_OK;
}

int mt_meds_check_run(const mt_kb *kb, const mt_rec_med *meds, size_t n, size_t focus,
                      const mt_rec_allergy *allergies, size_t nallergies, mt_meds_check *c)
{
    const char **inputs = NULL;
    mt_search_results r;
    size_t i;
    int rc = MT_OK, have_r = 0;

    memset(c, 0, sizeof(*c));
    mt_arena_init(&c->arena, 16 * 1024, 0);
    c->kb = kb;
    c->meds = meds;
    c->n = n;
    c->focus = focus;
    c->allergies = allergies;
    c->nallergies = nallergies;
    if (n == 0)
        return MT_OK;
    if (n > MT_CHECK_MAX_INPUTS)
        return MT_ELIMIT;
    inputs = mt_arena_calloc(&c->arena, n, sizeof(*inputs));
    if (!inputs)
        return MT_ENOMEM;
    for (i = 0; i < n; i++)
        inputs[i] = meds[i].drug_text ? meds[i].drug_text : "";
    rc = mt_check(kb, inputs, n, NULL, &c->res);
    if (rc == MT_OK)
        rc = compute_totals(c);
    if (rc == MT_OK && nallergies) {
        c->allergy_drug = mt_arena_calloc(&c->arena, nallergies, sizeof(*c->allergy_drug));
        rc = c->allergy_drug ? mt_search_results_init(&r) : MT_ENOMEM;
        have_r = rc == MT_OK;
        for (i = 0; rc == MT_OK && i < nallergies; i++) {
            mt_show_match m;
            c->allergy_drug[i] = MT_CHECK_NONE;
            if (allergies[i].substance && mt_show_resolve(kb, allergies[i].substance, &r, &m) == MT_OK)
                c->allergy_drug[i] = m.drug;
        }
    }
    if (have_r)
        mt_search_results_free(&r);
    return rc;
}

void mt_meds_check_free(mt_meds_check *c)
{
    mt_check_result_free(&c->res);
    mt_arena_free(&c->arena);
    memset(c, 0, sizeof(*c));
}

static int involves(const mt_meds_check *c, uint32_t input)
{
    return c->focus == (size_t)-1 || c->focus == input;
}

/* Whether the KB drug d is an ingredient (or the resolved form) of input i. */
static int input_has_drug(const mt_check_input *in, uint32_t d)
{
    uint32_t g;
    for (g = 0; g < in->ning; g++)
        if (in->ings[g].base == d || in->ings[g].drug == d)
            return 1;
    return 0;
}

/* The class effects with the focus among their members. */
static int effect_involves(const mt_meds_check *c, const mt_check_class_effect *ef)
{
    uint32_t k;
    for (k = 0; k < ef->nmembers; k++)
        if (involves(c, ef->members[k].input))
            return 1;
    return 0;
}

size_t mt_meds_alert_count(const mt_meds_check *c)
{
    size_t n = 0, i, k;
    for (i = 0; i < c->res.nfindings; i++)
        n += involves(c, c->res.findings[i].input_a) || involves(c, c->res.findings[i].input_b);
    for (i = 0; i < c->res.neffects; i++)
        n += effect_involves(c, &c->res.effects[i]);
    for (k = 0; k < c->nallergies; k++)
        for (i = 0; i < c->n; i++)
            if (involves(c, (uint32_t)i) && c->allergy_drug && c->allergy_drug[k] != MT_CHECK_NONE &&
                input_has_drug(&c->res.inputs[i], c->allergy_drug[k]))
                n++;
    return n;
}

static void w_med(mt_jsonw *w, const mt_meds_check *c, uint32_t input)
{
    const mt_rec_med *m = &c->meds[input];
    mt_jsonw_obj_begin(w);
    if (m->id)
        mt_jsonw_kint(w, "id", m->id);
    else
        mt_jsonw_kstr(w, "id", NULL);
    mt_jsonw_kstr(w, "drug", m->drug_name ? m->drug_name : m->drug_text);
    mt_jsonw_kstr(w, "text", m->drug_text);
    mt_jsonw_obj_end(w);
}

/* Distinct effect texts of a finding, English first. */
static size_t finding_effects(const mt_check_finding *f, const char **out, size_t max)
{
    size_t n = 0, k;
    uint32_t i;
    int pass;
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < f->nev && n < max; i++) {
            const mt_check_evidence *ev = &f->ev[i];
            int en = ev->lang && strcmp(ev->lang, "en") == 0, dup = 0;
            if (!ev->effect || !*ev->effect || (pass == 0) != en)
                continue;
            for (k = 0; k < n && !dup; k++)
                dup = strcmp(out[k], ev->effect) == 0;
            if (!dup)
                out[n++] = ev->effect;
        }
    }
    return n;
}

/* {"source", "source_name", "edition", "record"} of a citation. */
static void w_cite(mt_jsonw *w, const mt_check_cite *c)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "source", c->source);
    mt_jsonw_kstr(w, "source_name", c->source_name);
    mt_jsonw_kstr(w, "edition", c->edition);
    mt_jsonw_kstr(w, "record", c->record);
    mt_jsonw_obj_end(w);
}

static const char *sev_name(int s) { return s == MT_CHECK_SEV_NONE ? NULL : mt_check_severity_name(s); }

int mt_meds_alerts_json(const mt_meds_check *c, mt_jsonw *w)
{
    size_t i, k;
    uint32_t e;
    mt_jsonw_arr_begin(w);
    for (i = 0; i < c->res.nfindings; i++) {
        const mt_check_finding *f = &c->res.findings[i];
        const char *effects[MAX_EFFECTS];
        size_t ne;
        uint32_t self, other;
        if (!involves(c, f->input_a) && !involves(c, f->input_b))
            continue;
        self = involves(c, f->input_b) && !involves(c, f->input_a) ? f->input_b : f->input_a;
        other = self == f->input_a ? f->input_b : f->input_a;
        mt_jsonw_obj_begin(w);
        mt_jsonw_kstr(w, "type", f->nev ? "interaction" : "duplication");
        mt_jsonw_key(w, "medication");
        w_med(w, c, self);
        mt_jsonw_key(w, "with");
        w_med(w, c, other);
        mt_jsonw_kstr(w, "severity", sev_name(f->severity));
        mt_jsonw_kstr(w, "hr_severity", sev_name(f->hr_severity));
        mt_jsonw_kstr(w, "rank", sev_name(f->rank));
        mt_jsonw_kstr(w, "tier", mt_check_tier_name(f->tier));
        mt_jsonw_kbool(w, "disagreement", f->disagreement);
        mt_jsonw_key(w, "dur");
        mt_jsonw_arr_begin(w);
        for (e = 0; e < f->ndur; e++)
            mt_jsonw_str(w, f->dur[e]);
        mt_jsonw_arr_end(w);
        ne = finding_effects(f, effects, MAX_EFFECTS);
        mt_jsonw_key(w, "effects");
        mt_jsonw_arr_begin(w);
        for (k = 0; k < ne; k++)
            mt_jsonw_str(w, effects[k]);
        mt_jsonw_arr_end(w);
        mt_jsonw_key(w, "evidence");
        mt_jsonw_arr_begin(w);
        for (e = 0; e < f->nev; e++) {
            const mt_check_evidence *ev = &f->ev[e];
            mt_jsonw_obj_begin(w);
            mt_jsonw_kstr(w, "kind", mt_check_kind_name(ev->kind));
            mt_jsonw_kstr(w, "severity", mt_check_severity_name(ev->severity));
            mt_jsonw_kstr(w, "level", ev->level);
            mt_jsonw_kstr(w, "effect", ev->effect);
            mt_jsonw_kstr(w, "management", ev->management);
            mt_jsonw_kstr(w, "lang", ev->lang);
            mt_jsonw_kstr(w, "source", ev->cite.source);
            mt_jsonw_kstr(w, "source_name", ev->cite.source_name);
            mt_jsonw_kstr(w, "edition", ev->cite.edition);
            mt_jsonw_kstr(w, "record", ev->cite.record);
            mt_jsonw_obj_end(w);
        }
        mt_jsonw_arr_end(w);
        mt_jsonw_key(w, "duplications");
        mt_jsonw_arr_begin(w);
        for (e = 0; e < f->ndups; e++) {
            const mt_check_dup *d = &f->dups[e];
            mt_jsonw_obj_begin(w);
            mt_jsonw_kstr(w, "type", d->type == MT_DUP_INGREDIENT ? "ingredient" : "class");
            mt_jsonw_kstr(w, "name_a", d->name_a);
            mt_jsonw_kstr(w, "name_b", d->name_b);
            mt_jsonw_kstr(w, "class", d->class_name);
            /* What makes each medication contain the ingredient, or belong to the class. */
            mt_jsonw_key(w, "cites");
            mt_jsonw_arr_begin(w);
            w_cite(w, &d->cite_a);
            w_cite(w, &d->cite_b);
            mt_jsonw_arr_end(w);
            mt_jsonw_obj_end(w);
        }
        mt_jsonw_arr_end(w);
        mt_jsonw_obj_end(w);
    }
    for (i = 0; i < c->res.neffects; i++) {
        const mt_check_class_effect *ef = &c->res.effects[i];
        if (!effect_involves(c, ef))
            continue;
        mt_jsonw_obj_begin(w);
        mt_jsonw_kstr(w, "type", "class_effect");
        mt_jsonw_kstr(w, "effect", ef->effect);
        mt_jsonw_kstr(w, "class", ef->class_name);
        mt_jsonw_kstr(w, "source", ef->class_cite.source);
        mt_jsonw_kstr(w, "record", ef->class_cite.record);
        mt_jsonw_key(w, "medications");
        mt_jsonw_arr_begin(w);
        for (e = 0; e < ef->nmembers; e++)
            w_med(w, c, ef->members[e].input);
        mt_jsonw_arr_end(w);
        mt_jsonw_obj_end(w);
    }
    for (k = 0; k < c->nallergies; k++) {
        for (i = 0; i < c->n; i++) {
            if (!involves(c, (uint32_t)i) || !c->allergy_drug || c->allergy_drug[k] == MT_CHECK_NONE ||
                !input_has_drug(&c->res.inputs[i], c->allergy_drug[k]))
                continue;
            mt_jsonw_obj_begin(w);
            mt_jsonw_kstr(w, "type", "allergy");
            mt_jsonw_key(w, "medication");
            w_med(w, c, (uint32_t)i);
            mt_jsonw_key(w, "allergy");
            mt_jsonw_obj_begin(w);
            mt_jsonw_kint(w, "id", c->allergies[k].id);
            mt_jsonw_kstr(w, "substance", c->allergies[k].substance);
            mt_jsonw_kstr(w, "reaction", c->allergies[k].reaction);
            mt_jsonw_kstr(w, "severity", c->allergies[k].severity);
            mt_jsonw_obj_end(w);
            mt_jsonw_obj_end(w);
        }
    }
    if (c->res.acb.alert) {
        int mine = 0;
        for (e = 0; e < c->res.acb.nitems; e++)
            mine |= involves(c, c->res.acb.items[e].input);
        if (mine) {
            mt_jsonw_obj_begin(w);
            mt_jsonw_kstr(w, "type", "anticholinergic_burden");
            mt_jsonw_kint(w, "total", c->res.acb.total);
            mt_jsonw_kint(w, "threshold", c->res.acb.threshold);
            mt_jsonw_key(w, "medications");
            mt_jsonw_arr_begin(w);
            for (e = 0; e < c->res.acb.nitems; e++)
                w_med(w, c, c->res.acb.items[e].input);
            mt_jsonw_arr_end(w);
            mt_jsonw_obj_end(w);
        }
    }
    return mt_jsonw_arr_end(w);
}

int mt_meds_totals_json(const mt_meds_check *c, mt_jsonw *w)
{
    size_t i, k;
    mt_jsonw_arr_begin(w);
    for (i = 0; i < c->ntotals; i++) {
        const mt_meds_total *t = &c->totals[i];
        mt_jsonw_obj_begin(w);
        mt_jsonw_kstr(w, "ingredient", t->name);
        mt_jsonw_key(w, "mg_per_day");
        if (isnan(t->mg_per_day))
            mt_jsonw_null(w);
        else
            mt_jsonw_double(w, t->mg_per_day);
        mt_jsonw_kbool(w, "complete", t->complete);
        mt_jsonw_kbool(w, "shared", t->nitems > 1);
        mt_jsonw_key(w, "medications");
        mt_jsonw_arr_begin(w);
        for (k = 0; k < t->nitems; k++) {
            const mt_rec_med *m = &c->meds[t->items[k].med];
            mt_jsonw_obj_begin(w);
            if (m->id)
                mt_jsonw_kint(w, "id", m->id);
            else
                mt_jsonw_kstr(w, "id", NULL);
            mt_jsonw_kstr(w, "drug", m->drug_name ? m->drug_name : m->drug_text);
            mt_jsonw_key(w, "mg_per_day");
            if (isnan(t->items[k].mg_per_day))
                mt_jsonw_null(w);
            else
                mt_jsonw_double(w, t->items[k].mg_per_day);
            mt_jsonw_obj_end(w);
        }
        mt_jsonw_arr_end(w);
        mt_jsonw_obj_end(w);
    }
    return mt_jsonw_arr_end(w);
}

static const char *med_name(const mt_meds_check *c, uint32_t i)
{
    return c->meds[i].drug_name ? c->meds[i].drug_name : c->meds[i].drug_text;
}

int mt_meds_text(const mt_meds_check *c, mt_buf *out)
{
    size_t i, k, shown = 0;
    uint32_t e;
    int rc = MT_OK;

    for (i = 0; i < c->res.nfindings && rc == MT_OK; i++) {
        const mt_check_finding *f = &c->res.findings[i];
        const char *effects[MAX_EFFECTS];
        size_t ne;
        if (!involves(c, f->input_a) && !involves(c, f->input_b))
            continue;
        shown++;
        rc = mt_buf_printf(out, "ALERT %s: %s + %s", f->nev ? "interaction" : "duplication",
                           med_name(c, f->input_a), med_name(c, f->input_b));
        if (rc == MT_OK && f->severity != MT_CHECK_SEV_NONE)
            rc = mt_buf_printf(out, "; clinical: %s", mt_check_severity_name(f->severity));
        if (rc == MT_OK && f->hr_severity != MT_CHECK_SEV_NONE)
            rc = mt_buf_printf(out, "; harm-reduction source: %s", mt_check_severity_name(f->hr_severity));
        if (rc == MT_OK)
            rc = mt_buf_putc(out, '\n');
        ne = finding_effects(f, effects, MAX_EFFECTS);
        for (k = 0; k < ne && rc == MT_OK; k++) {
            const char *p;
            rc = mt_buf_puts(out, "  - ");
            for (p = effects[k]; *p && rc == MT_OK; p++)    /* one line per effect */
                if (*p != '\n' || (p[1] && p > effects[k] && p[-1] != ' '))
                    rc = mt_buf_putc(out, *p == '\n' ? ' ' : *p);
            if (rc == MT_OK)
                rc = mt_buf_putc(out, '\n');
        }
        for (e = 0; e < f->nev && rc == MT_OK; e++)
            rc = mt_buf_printf(out, "    [%s: %s]\n", f->ev[e].cite.source, f->ev[e].cite.record);
    }
    for (i = 0; i < c->res.neffects && rc == MT_OK; i++) {
        const mt_check_class_effect *ef = &c->res.effects[i];
        if (!effect_involves(c, ef))
            continue;
        shown++;
        rc = mt_buf_printf(out, "ALERT class effect (%s): class \"%s\":", ef->effect, ef->class_name);
        for (e = 0; e < ef->nmembers && rc == MT_OK; e++)
            rc = mt_buf_printf(out, "%s %s", e ? "," : "", med_name(c, ef->members[e].input));
        if (rc == MT_OK)
            rc = mt_buf_printf(out, "  [%s: %s]\n", ef->class_cite.source, ef->class_cite.record);
    }
    for (k = 0; k < c->nallergies && rc == MT_OK; k++)
        for (i = 0; i < c->n && rc == MT_OK; i++)
            if (involves(c, (uint32_t)i) && c->allergy_drug && c->allergy_drug[k] != MT_CHECK_NONE &&
                input_has_drug(&c->res.inputs[i], c->allergy_drug[k])) {
                shown++;
                rc = mt_buf_printf(out, "ALERT allergy: %s matches the recorded allergy to %s\n",
                                   med_name(c, (uint32_t)i), c->allergies[k].substance);
            }
    if (rc == MT_OK && c->res.acb.alert) {     /* the same alert as mt_meds_alerts_json */
        int mine = 0;
        for (e = 0; e < c->res.acb.nitems; e++)
            mine |= involves(c, c->res.acb.items[e].input);
        if (mine) {
            shown++;
            rc = mt_buf_printf(out, "ALERT anticholinergic burden: total %d (alert at %d):", c->res.acb.total,
                               c->res.acb.threshold);
            for (e = 0; e < c->res.acb.nitems && rc == MT_OK; e++)
                rc = mt_buf_printf(out, "%s %s %d [%s: %s]", e ? "," : "", med_name(c, c->res.acb.items[e].input),
                                   c->res.acb.items[e].score,
                                   c->res.acb.items[e].cite.source ? c->res.acb.items[e].cite.source : "?",
                                   c->res.acb.items[e].cite.record ? c->res.acb.items[e].cite.record : "?");
            if (rc == MT_OK)
                rc = mt_buf_putc(out, '\n');
        }
    }
    if (rc == MT_OK && !shown)
        rc = mt_buf_puts(out, "No interaction alerts.\n");
    for (i = 0; i < c->ntotals && rc == MT_OK; i++) {
        const mt_meds_total *t = &c->totals[i];
        if (t->nitems < 2)
            continue;
        rc = mt_buf_printf(out, "SHARED INGREDIENT: %s in %zu medications", t->name, t->nitems);
        if (rc == MT_OK && !isnan(t->mg_per_day))
            rc = mt_buf_printf(out, ", %s%g mg a day", t->complete ? "" : "at least ", t->mg_per_day);
        if (rc == MT_OK)
            rc = mt_buf_putc(out, '\n');
    }
    return rc;
}
