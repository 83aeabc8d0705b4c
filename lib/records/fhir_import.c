/*
** fhir_import.c — a FHIR R4 Bundle into records, validated with jansson
** (fhir_import.h). Every string kept is copied into the caller's arena.
*/
#include "records/fhir_import.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "materia/status.h"
#include "records/export.h"
#include "records/meds.h"
#include "util/jsonmem.h"

typedef struct ctx {
    const mt_kb   *kb;
    mt_arena      *a;
    mt_rec_errors *e;
    char           base[64];     /* "entry[3].resource" */
    int            oom;
    int            fatal;        /* a drug lookup that could not run: its status */
} ctx;

/* The status a parse_* function returns: a failure that stops the import,
** else MT_OK (element errors are collected in c->e). */
static int parse_status(const ctx *c)
{
    return c->fatal ? c->fatal : c->oom ? MT_ENOMEM : MT_OK;
}

/* mt_meds_resolve, where only MT_OK and MT_ENOTFOUND ("no such drug") are
** answers; any other status (MT_ENOMEM, MT_ECORRUPT: the knowledge base has
** no search index) is kept in c->fatal and stops the import. */
static int resolve(ctx *c, const char *text, const char **name, long long *rxcui, const char **product)
{
    mt_rec_errors ignore;
    int rc;
    memset(&ignore, 0, sizeof(ignore));
    rc = mt_meds_resolve(c->kb, text, "x", c->a, &ignore, name, rxcui, product);
    if (rc != MT_OK && rc != MT_ENOTFOUND && !c->fatal)
        c->fatal = rc;
    return rc;
}

static void err(ctx *c, const char *element, const char *msg)
{
    char f[256];
    snprintf(f, sizeof(f), "%.60s%s%.160s", c->base, *element ? "." : "", element);
    mt_rec_err(c->e, f, "%s", msg);
}

static const char *dup(ctx *c, const char *s)
{
    char *d;
    if (!s)
        return NULL;
    d = mt_arena_strdup(c->a, s);
    if (!d)
        c->oom = 1;
    return d;
}

/* An optional string element; NULL when absent; an error when not a string or too long. */
static const char *str_at(ctx *c, json_t *obj, const char *key, const char *element, size_t max)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return NULL;
    if (!json_is_string(v) || strlen(json_string_value(v)) != json_string_length(v) ||
        !mt_rec_text_ok(json_string_value(v), max, 1)) {
        char m[96];
        snprintf(m, sizeof(m), "must be a string of at most %zu bytes", max);
        err(c, element, m);
        return NULL;
    }
    return json_string_length(v) ? json_string_value(v) : NULL;
}

/* A FHIR date or dateTime element reduced to its date, or NULL. */
static const char *date_at(ctx *c, json_t *obj, const char *key, const char *element)
{
    const char *s = str_at(c, obj, key, element, 40);
    char d[11];
    if (!s)
        return NULL;
    if (strlen(s) < 10 || (s[10] != '\0' && s[10] != 'T')) {
        err(c, element, "must be a date YYYY-MM-DD or a dateTime");
        return NULL;
    }
    memcpy(d, s, 10);
    d[10] = '\0';
    if (!mt_rec_date_valid(d)) {
        err(c, element, "is not a calendar date");
        return NULL;
    }
    return dup(c, d);
}

/* The notes of a note[] array, joined by newlines. */
static const char *notes_at(ctx *c, json_t *res)
{
    json_t *arr = json_object_get(res, "note"), *n;
    char buf[MT_REC_NOTES_MAX + 1];
    size_t i, pos = 0;
    if (!arr)
        return NULL;
    if (!json_is_array(arr)) {
        err(c, "note", "must be an array of Annotation");
        return NULL;
    }
    buf[0] = '\0';
    json_array_foreach(arr, i, n) {
        char el[32];
        const char *t;
        snprintf(el, sizeof(el), "note[%zu].text", i);
        t = json_is_object(n) ? str_at(c, n, "text", el, MT_REC_NOTES_MAX) : NULL;
        if (!json_is_object(n)) {
            snprintf(el, sizeof(el), "note[%zu]", i);
            err(c, el, "must be an Annotation object");
        }
        if (t) {
            int w = snprintf(buf + pos, sizeof(buf) - pos, "%s%s", pos ? "\n" : "", t);
            if (w < 0 || (size_t)w >= sizeof(buf) - pos) {
                err(c, "note", "is longer than the notes limit");
                return NULL;
            }
            pos += (size_t)w;
        }
    }
    return pos ? dup(c, buf) : NULL;
}

/* A CodeableConcept: its text, else the display of its first coding; and the
** code of its RxNorm coding. Required: an error when it has neither. */
static const char *concept_at(ctx *c, json_t *res, const char *key, long long *rxcui)
{
    json_t *cc = json_object_get(res, key), *coding, *cd;
    const char *text, *display = NULL;
    size_t i;
    char el[96];

    *rxcui = 0;
    if (!json_is_object(cc)) {
        err(c, key, "is required: a CodeableConcept with a text or a coding");
        return NULL;
    }
    snprintf(el, sizeof(el), "%s.text", key);
    text = str_at(c, cc, "text", el, MT_REC_DRUG_MAX);
    coding = json_object_get(cc, "coding");
    if (coding && !json_is_array(coding)) {
        snprintf(el, sizeof(el), "%s.coding", key);
        err(c, el, "must be an array of Coding");
        coding = NULL;
    }
    json_array_foreach(coding, i, cd) {
        const char *sys, *code, *disp;
        snprintf(el, sizeof(el), "%s.coding[%zu]", key, i);
        if (!json_is_object(cd)) {
            err(c, el, "must be a Coding object");
            continue;
        }
        snprintf(el, sizeof(el), "%s.coding[%zu].system", key, i);
        sys = str_at(c, cd, "system", el, 256);
        snprintf(el, sizeof(el), "%s.coding[%zu].code", key, i);
        code = str_at(c, cd, "code", el, 64);
        snprintf(el, sizeof(el), "%s.coding[%zu].display", key, i);
        disp = str_at(c, cd, "display", el, MT_REC_DRUG_MAX);
        if (!display)
            display = disp;
        if (sys && code && strcmp(sys, MT_FHIR_RXNORM) == 0) {
            char *end;
            long long v = strtoll(code, &end, 10);
            if (*end || v <= 0) {
                snprintf(el, sizeof(el), "%s.coding[%zu].code", key, i);
                err(c, el, "an RxNorm code must be an RxCUI (digits)");
            } else {
                *rxcui = v;
            }
        }
    }
    if (!text)
        text = display;
    if (!text && !*rxcui) {
        err(c, key, "has neither a text nor a coding display nor an RxNorm code");
        return NULL;
    }
    return text;
}

static const char *ext_string(json_t *res, const char *name, double *num)
{
    json_t *arr = json_object_get(res, "extension"), *x;
    size_t i, n = strlen(MT_FHIR_EXT);
    *num = NAN;
    json_array_foreach(arr, i, x) {
        const char *url = json_string_value(json_object_get(x, "url"));
        if (!url || strncmp(url, MT_FHIR_EXT, n) != 0 || strcmp(url + n, name) != 0)
            continue;
        if (json_is_number(json_object_get(x, "valueDecimal")))
            *num = json_number_value(json_object_get(x, "valueDecimal"));
        return json_string_value(json_object_get(x, "valueString"));
    }
    return NULL;
}

static void med_dosage(ctx *c, json_t *res, mt_rec_med *m)
{
    json_t *arr = json_object_get(res, "dosage"), *d, *timing, *rep, *v, *dr, *q;
    const char *times[MT_REC_MAX_TIMES];
    char hm[MT_REC_MAX_TIMES][6];
    size_t i, n;

    m->sched_kind = MT_SCHED_AS_NEEDED;      /* no dosage: no reminders, nothing assumed */
    if (!arr)
        return;
    if (!json_is_array(arr) || json_array_size(arr) > 1) {
        err(c, "dosage", "must be an array of at most one Dosage (split schedules are not supported)");
        return;
    }
    d = json_array_get(arr, 0);
    if (!d)
        return;
    if (!json_is_object(d)) {
        err(c, "dosage[0]", "must be a Dosage object");
        return;
    }
    v = json_object_get(d, "asNeededBoolean");
    if (v && !json_is_boolean(v))
        err(c, "dosage[0].asNeededBoolean", "must be true or false");
    timing = json_object_get(d, "timing");
    rep = json_is_object(timing) ? json_object_get(timing, "repeat") : NULL;
    if (timing && !json_is_object(rep)) {
        err(c, "dosage[0].timing.repeat", "is required in a timing");
        return;
    }
    if (rep && !json_is_true(v)) {
        json_t *tod = json_object_get(rep, "timeOfDay"), *f = json_object_get(rep, "frequency");
        json_t *per = json_object_get(rep, "period");
        const char *unit = json_string_value(json_object_get(rep, "periodUnit"));
        if (tod) {
            unsigned bad = 0;
            n = json_is_array(tod) ? json_array_size(tod) : 0;
            if (n == 0 || n > MT_REC_MAX_TIMES) {
                err(c, "dosage[0].timing.repeat.timeOfDay", "must list 1 to 12 times hh:mm:ss");
                return;
            }
            for (i = 0; i < n; i++) {
                const char *t = json_string_value(json_array_get(tod, i));
                if (!t || strlen(t) < 5 || (strlen(t) != 5 && (strlen(t) != 8 || t[5] != ':'))) {
                    char el[64];
                    snprintf(el, sizeof(el), "dosage[0].timing.repeat.timeOfDay[%zu]", i);
                    err(c, el, "must be a time hh:mm:ss");
                    return;
                }
                memcpy(hm[i], t, 5);
                hm[i][5] = '\0';
                times[i] = hm[i];
            }
            m->clock_times = mt_rec_clock_list(c->a, times, (unsigned)n, &bad);
            if (!m->clock_times && bad == n) {   /* n is valid: the arena is out of memory */
                c->oom = 1;
                return;
            }
            if (!m->clock_times) {
                char el[64];
                snprintf(el, sizeof(el), "dosage[0].timing.repeat.timeOfDay[%u]", bad);
                err(c, el, "must be a time from 00:00:00 to 23:59:59");
                return;
            }
            m->sched_kind = MT_SCHED_CLOCK_TIMES;
            for (m->times_per_day = 1, i = 0; m->clock_times[i]; i++)
                m->times_per_day += m->clock_times[i] == ',';
        } else {
            double per_day;
            if (!json_is_integer(f) || json_integer_value(f) < 1) {
                err(c, "dosage[0].timing.repeat.frequency", "must be a positive integer");
                return;
            }
            if ((per && !json_is_number(per)) || (per && json_number_value(per) <= 0)) {
                err(c, "dosage[0].timing.repeat.period", "must be a positive number");
                return;
            }
            per_day = (double)json_integer_value(f) / (per ? json_number_value(per) : 1);
            if (!unit || strcmp(unit, "d") == 0)
                ;
            else if (strcmp(unit, "h") == 0)
                per_day *= 24;
            else {
                err(c, "dosage[0].timing.repeat.periodUnit", "only \"d\" and \"h\" periods are supported");
                return;
            }
            if (per_day < 1 || per_day > MT_REC_MAX_PER_DAY || per_day != floor(per_day)) {
                err(c, "dosage[0].timing.repeat.frequency", "must come to a whole number of doses a day, 1 to 24");
                return;
            }
            m->sched_kind = MT_SCHED_TIMES_PER_DAY;
            m->times_per_day = (int)per_day;
        }
    }
    v = json_object_get(d, "maxDosePerPeriod");
    if (v) {
        json_t *num = json_object_get(v, "numerator");
        if (!json_is_number(json_object_get(num, "value")) || json_number_value(json_object_get(num, "value")) <= 0)
            err(c, "dosage[0].maxDosePerPeriod.numerator.value", "must be a positive number");
        else
            m->max_per_day = json_number_value(json_object_get(num, "value"));
    }
    dr = json_object_get(d, "doseAndRate");
    if (dr && (!json_is_array(dr) || json_array_size(dr) > 1)) {
        err(c, "dosage[0].doseAndRate", "must be an array of at most one element");
        return;
    }
    q = json_object_get(json_array_get(dr, 0), "doseQuantity");
    if (q) {
        json_t *val = json_object_get(q, "value");
        const char *unit = json_string_value(json_object_get(q, "unit"));
        if (!unit)
            unit = json_string_value(json_object_get(q, "code"));
        if (!json_is_number(val) || !(json_number_value(val) > 0) || json_number_value(val) > MT_REC_MAX_AMOUNT)
            err(c, "dosage[0].doseAndRate[0].doseQuantity.value", "must be a number greater than 0");
        else
            m->dose_amount = json_number_value(val);
        if (!unit || !mt_rec_unit_canon(unit))
            err(c, "dosage[0].doseAndRate[0].doseQuantity.unit", "is not a unit Materia knows (mg, g, mcg, ml, tablet, ...)");
        else
            m->dose_unit = mt_rec_unit_canon(unit);
    }
}

static int parse_med(ctx *c, json_t *res, mt_rec_med *m, int *skip)
{
    mt_rec_errors sub;
    const char *text, *status, *name = NULL, *product = NULL;
    long long rxcui = 0, rx2 = 0;
    char code[24];               /* may become the drug text: it must outlive the block below */
    json_t *period;
    double num;
    unsigned i, before = c->e->n;

    mt_rec_med_init(m);
    status = str_at(c, res, "status", "status", 32);
    if (!status) {
        err(c, "status", "is required");
    } else if (strcmp(status, "entered-in-error") == 0) {
        *skip = 1;
        return MT_OK;
    } else if (strcmp(status, "active") == 0 || strcmp(status, "intended") == 0 || strcmp(status, "on-hold") == 0) {
        m->active = 1;
    } else if (strcmp(status, "completed") == 0 || strcmp(status, "stopped") == 0 ||
               strcmp(status, "not-taken") == 0 || strcmp(status, "unknown") == 0) {
        m->active = 0;
    } else {
        err(c, "status", "is not a MedicationStatement status");
    }
    if (json_object_get(res, "medicationReference"))
        err(c, "medicationReference", "is not supported: give a medicationCodeableConcept");
    text = concept_at(c, res, "medicationCodeableConcept", &rxcui);
    if (text || rxcui) {
        if (!text || resolve(c, text, &name, &rx2, &product) != MT_OK) {
            int found;
            snprintf(code, sizeof(code), "%lld", rxcui);
            found = !c->fatal && rxcui && resolve(c, code, &name, &rx2, &product) == MT_OK;
            if (c->fatal)
                return parse_status(c);     /* no lookup ran: not the bundle's fault */
            if (!found) {
                char msg[200];
                snprintf(msg, sizeof(msg), "names no drug in the knowledge base (text \"%.60s\", RxNorm %lld)",
                         text ? text : "", rxcui);
                err(c, "medicationCodeableConcept", msg);
            } else if (!text) {
                text = code;
            }
        }
    }
    m->drug_text = dup(c, text);
    m->drug_name = name;
    m->rxcui = rx2;
    m->product = product;
    period = json_object_get(res, "effectivePeriod");
    if (period && !json_is_object(period))
        err(c, "effectivePeriod", "must be a Period object");
    else if (period) {
        m->start_date = date_at(c, period, "start", "effectivePeriod.start");
        m->stop_date = date_at(c, period, "end", "effectivePeriod.end");
    } else {
        m->start_date = date_at(c, res, "effectiveDateTime", "effectiveDateTime");
    }
    m->notes = notes_at(c, res);
    med_dosage(c, res, m);
    m->strength = dup(c, ext_string(res, "strength", &num));
    m->form = dup(c, ext_string(res, "form", &num));
    m->prescriber = dup(c, ext_string(res, "prescriber", &num));
    ext_string(res, "stock", &m->stock);
    ext_string(res, "refill-threshold", &m->refill_at);
    if (c->e->n == before) {   /* a final check of the whole record, named by our field */
        memset(&sub, 0, sizeof(sub));
        if (!mt_rec_med_check(m, &sub))
            for (i = 0; i < sub.n; i++)
                err(c, sub.e[i].field, sub.e[i].message);
    }
    return parse_status(c);
}

static int parse_allergy(ctx *c, json_t *res, mt_rec_allergy *al)
{
    mt_rec_errors sub;
    json_t *reaction, *r0, *man;
    const char *product;
    long long rxcui;
    unsigned i, before = c->e->n;

    mt_rec_allergy_init(al);
    al->substance = dup(c, concept_at(c, res, "code", &rxcui));
    if (al->substance && resolve(c, al->substance, &al->drug_name, &al->rxcui, &product) != MT_OK) {
        al->drug_name = NULL;          /* not a drug (latex, pollen): kept as typed */
        al->rxcui = 0;
        if (c->fatal)
            return parse_status(c);
    }
    reaction = json_object_get(res, "reaction");
    if (reaction && !json_is_array(reaction))
        err(c, "reaction", "must be an array");
    r0 = json_array_get(reaction, 0);
    if (r0) {
        man = json_object_get(r0, "manifestation");
        if (!json_is_array(man) || !json_is_object(json_array_get(man, 0)))
            err(c, "reaction[0].manifestation", "is required: an array of CodeableConcept");
        else {
            json_t *m0 = json_array_get(man, 0);
            const char *t = str_at(c, m0, "text", "reaction[0].manifestation[0].text", MT_REC_NAME_MAX);
            if (!t) {
                json_t *cd = json_array_get(json_object_get(m0, "coding"), 0);
                t = json_string_value(json_object_get(cd, "display"));
            }
            al->reaction = t && strcmp(t, MT_FHIR_NO_REACTION) != 0 ? dup(c, t) : NULL;
        }
        al->severity = dup(c, str_at(c, r0, "severity", "reaction[0].severity", MT_REC_SHORT_MAX));
    }
    al->notes = notes_at(c, res);
    if (c->e->n == before) {
        memset(&sub, 0, sizeof(sub));
        if (!mt_rec_allergy_check(al, &sub))
            for (i = 0; i < sub.n; i++)
                err(c, sub.e[i].field, sub.e[i].message);
    }
    return parse_status(c);
}

static int parse_condition(ctx *c, json_t *res, mt_rec_condition *cond)
{
    mt_rec_errors sub;
    json_t *cs;
    long long rxcui;
    unsigned i, before = c->e->n;

    mt_rec_condition_init(cond);
    cond->name = dup(c, concept_at(c, res, "code", &rxcui));
    cs = json_object_get(res, "clinicalStatus");
    if (cs) {
        const char *code = json_string_value(json_object_get(json_array_get(json_object_get(cs, "coding"), 0), "code"));
        if (!code)
            err(c, "clinicalStatus.coding[0].code", "is required in a clinicalStatus");
        else if (strcmp(code, "active") == 0 || strcmp(code, "recurrence") == 0 || strcmp(code, "relapse") == 0)
            cond->active = 1;
        else if (strcmp(code, "inactive") == 0 || strcmp(code, "remission") == 0 || strcmp(code, "resolved") == 0)
            cond->active = 0;
        else
            err(c, "clinicalStatus.coding[0].code", "is not a condition-clinical code");
    }
    cond->onset_date = date_at(c, res, "onsetDateTime", "onsetDateTime");
    cond->notes = notes_at(c, res);
    if (c->e->n == before) {
        memset(&sub, 0, sizeof(sub));
        if (!mt_rec_condition_check(cond, &sub))
            for (i = 0; i < sub.n; i++)
                err(c, sub.e[i].field, sub.e[i].message);
    }
    return parse_status(c);
}

int mt_fhir_import_parse(const mt_kb *kb, const char *body, size_t len, mt_arena *a, mt_rec_errors *e,
                         mt_fhir_import *out)
{
    json_error_t jerr;
    json_t *doc = NULL, *entries, *ent;
    const char *rt, *type;
    size_t i, n;
    ctx c;
    int rc = MT_OK;

    memset(out, 0, sizeof(*out));
    memset(&c, 0, sizeof(c));
    c.kb = kb;
    c.a = a;
    c.e = e;
    doc = body && len ? mt_json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr, &rc) : NULL;
    if (!doc) {
        if (rc == MT_ENOMEM)
            return rc;
        if (body && len)
            mt_rec_err(e, "body", "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        else
            mt_rec_err(e, "body", "is empty: send a FHIR Bundle");
        return MT_EINVAL;
    }
    rt = json_string_value(json_object_get(doc, "resourceType"));
    if (!json_is_object(doc) || !rt || strcmp(rt, "Bundle") != 0) {
        mt_rec_err(e, "resourceType", "must be \"Bundle\"");
        rc = MT_EINVAL;
        goto done;
    }
    type = json_string_value(json_object_get(doc, "type"));
    if (!type || strcmp(type, "collection") != 0)
        mt_rec_err(e, "type", "must be \"collection\"");
    entries = json_object_get(doc, "entry");
    if (entries && !json_is_array(entries))
        mt_rec_err(e, "entry", "must be an array");
    n = json_is_array(entries) ? json_array_size(entries) : 0;
    if (n > MT_FHIR_MAX_ENTRIES)
        mt_rec_err(e, "entry", "has more than 1000 entries");
    if (e->n) {
        rc = MT_EINVAL;
        goto done;
    }
    out->meds = n ? mt_arena_calloc(a, n, sizeof(*out->meds)) : NULL;
    out->allergies = n ? mt_arena_calloc(a, n, sizeof(*out->allergies)) : NULL;
    out->conditions = n ? mt_arena_calloc(a, n, sizeof(*out->conditions)) : NULL;
    if (n && (!out->meds || !out->allergies || !out->conditions)) {
        rc = MT_ENOMEM;
        goto done;
    }
    json_array_foreach(entries, i, ent) {
        json_t *res = json_object_get(ent, "resource");
        const char *kind;
        int skip = 0;
        snprintf(c.base, sizeof(c.base), "entry[%zu].resource", i);
        if (!json_is_object(res)) {
            err(&c, "", "is required: an object");
            continue;
        }
        kind = json_string_value(json_object_get(res, "resourceType"));
        if (!kind) {
            err(&c, "resourceType", "is required");
        } else if (strcmp(kind, "Patient") == 0 || strcmp(kind, "MedicationAdministration") == 0) {
            /* The dose log is history, not imported: its doses belong to the
            ** other system's medication rows, and replaying them would lower
            ** the imported stock a second time. */
            out->skipped++;
        } else if (strcmp(kind, "MedicationStatement") == 0) {
            rc = parse_med(&c, res, &out->meds[out->nmeds], &skip);
            if (skip)
                out->skipped++;
            else
                out->nmeds++;
        } else if (strcmp(kind, "AllergyIntolerance") == 0) {
            rc = parse_allergy(&c, res, &out->allergies[out->nallergies++]);
        } else if (strcmp(kind, "Condition") == 0) {
            rc = parse_condition(&c, res, &out->conditions[out->nconditions++]);
        } else {
            err(&c, "resourceType", "is not supported here: only Patient, MedicationStatement, "
                                    "AllergyIntolerance, Condition and MedicationAdministration (skipped)");
        }
        if (rc != MT_OK)
            goto done;
    }
    if (e->n)
        rc = MT_EINVAL;
done:
    json_decref(doc);
    if (rc != MT_OK) {
        out->nmeds = out->nallergies = out->nconditions = 0;
        if (rc == MT_EINVAL && !e->n)
            mt_rec_err(e, "body", "is not a valid Bundle");
    }
    return rc;
}
