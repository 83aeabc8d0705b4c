/*
** recjson.c — records <-> JSON for the API (recjson.h).
*/
#include "records/recjson.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "materia/status.h"
#include "records/sched.h"
#include "util/jsonmem.h"

json_t *mt_recjson_load(const char *body, size_t len, mt_rec_errors *e, int *rc)
{
    json_error_t jerr;
    json_t *doc = NULL;

    *rc = MT_EINVAL;
    if (!body || len == 0) {
        mt_rec_err(e, "body", "is empty: send a JSON object");
        goto done;
    }
    doc = mt_json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr, rc);
    if (*rc == MT_ENOMEM)
        goto done;
    if (!doc) {
        *rc = MT_EINVAL;
        mt_rec_err(e, "body", "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        goto done;
    }
    if (!json_is_object(doc)) {
        *rc = MT_EINVAL;
        mt_rec_err(e, "body", "must be a JSON object");
        json_decref(doc);
        doc = NULL;
    }
done:
    return doc;
}

/* Reports every member of obj not in names (NULL-terminated). */
static void only(json_t *obj, const char *const *names, const char *prefix, mt_rec_errors *e)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i;
        int ok = 0;
        char f[96];
        for (i = 0; names[i] && !ok; i++)
            ok = strcmp(key, names[i]) == 0;
        if (!ok) {
            snprintf(f, sizeof(f), "%s%.64s", prefix, key);
            mt_rec_err(e, f, "is not a known member");
        }
    }
}

/* A string member: absent leaves *out; null or "" clears it when optional. */
static void get_str(json_t *obj, const char *key, int required, size_t max, int nl, const char **out,
                    mt_rec_errors *e)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return;
    if (json_is_null(v) || (json_is_string(v) && json_string_length(v) == 0)) {
        if (required)
            mt_rec_err(e, key, "is required");
        else
            *out = NULL;
        return;
    }
    if (!json_is_string(v)) {
        mt_rec_err(e, key, "must be a string");
        return;
    }
    if (strlen(json_string_value(v)) != json_string_length(v) || !mt_rec_text_ok(json_string_value(v), max, nl)) {
        mt_rec_err(e, key, "must be text of at most %zu bytes without control characters", max);
        return;
    }
    *out = json_string_value(v);
}

static void get_num(json_t *obj, const char *key, double *out, mt_rec_errors *e)
{
    json_t *v = json_object_get(obj, key);
    if (!v)
        return;
    if (json_is_null(v)) {
        *out = NAN;
        return;
    }
    if (!json_is_number(v)) {
        mt_rec_err(e, key, "must be a number");
        return;
    }
    *out = json_number_value(v);     /* range checks: mt_rec_*_check */
}

static void get_date(json_t *obj, const char *key, const char **out, mt_rec_errors *e)
{
    const char *s = *out;
    unsigned before = e->n;
    if (!json_object_get(obj, key))
        return;
    get_str(obj, key, 0, 10, 0, &s, e);
    if (e->n != before)
        return;
    if (s && !mt_rec_date_valid(s)) {
        mt_rec_err(e, key, "must be a calendar date YYYY-MM-DD");
        return;
    }
    *out = s;
}

void mt_recjson_profile(json_t *obj, int patch, mt_rec_profile *p, mt_rec_errors *e)
{
    static const char *const names[] = { "name", "relation", "birth_date", NULL };
    only(obj, names, "", e);
    get_str(obj, "name", 1, MT_REC_NAME_MAX, 0, &p->name, e);
    get_str(obj, "relation", 1, MT_REC_SHORT_MAX, 0, &p->relation, e);
    get_date(obj, "birth_date", &p->birth_date, e);
    if (!patch && !p->relation && !json_object_get(obj, "relation"))
        p->relation = "self";
}

static void get_schedule(json_t *s, mt_arena *a, mt_rec_med *m, mt_rec_errors *e)
{
    static const char *const names[] = { "type", "times_per_day", "times", "max_per_day", NULL };
    const char *times[MT_REC_MAX_TIMES];
    json_t *v;
    size_t i, n;
    int kind;

    if (!json_is_object(s)) {
        mt_rec_err(e, "schedule", "must be an object: {\"type\": \"times_per_day\" | \"clock_times\" | \"as_needed\", ...}");
        return;
    }
    only(s, names, "schedule.", e);
    v = json_object_get(s, "type");
    kind = json_is_string(v) ? mt_rec_sched_parse(json_string_value(v)) : 0;
    if (!kind) {
        mt_rec_err(e, "schedule.type", "must be \"times_per_day\", \"clock_times\" or \"as_needed\"");
        return;
    }
    m->sched_kind = kind;
    m->times_per_day = 0;
    m->clock_times = NULL;
    m->max_per_day = NAN;
    v = json_object_get(s, "times_per_day");
    if (kind == MT_SCHED_TIMES_PER_DAY) {
        if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > MT_REC_MAX_PER_DAY)
            mt_rec_err(e, "schedule.times_per_day", "must be a whole number from 1 to %d", MT_REC_MAX_PER_DAY);
        else
            m->times_per_day = (int)json_integer_value(v);
    } else if (v && !json_is_null(v)) {
        mt_rec_err(e, "schedule.times_per_day", "is only for \"times_per_day\" schedules");
    }
    v = json_object_get(s, "times");
    if (kind == MT_SCHED_CLOCK_TIMES) {
        unsigned bad = 0;
        if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > MT_REC_MAX_TIMES) {
            mt_rec_err(e, "schedule.times", "must list 1 to %d clock times \"HH:MM\" (UTC)", MT_REC_MAX_TIMES);
            return;
        }
        n = json_array_size(v);
        for (i = 0; i < n; i++) {
            json_t *t = json_array_get(v, i);
            times[i] = json_is_string(t) ? json_string_value(t) : "";
        }
        m->clock_times = mt_rec_clock_list(a, times, (unsigned)n, &bad);
        if (!m->clock_times) {
            char f[48];
            snprintf(f, sizeof(f), "schedule.times[%u]", bad);
            mt_rec_err(e, f, "must be a clock time \"HH:MM\" from 00:00 to 23:59 (UTC)");
            return;
        }
        for (m->times_per_day = 1, i = 0; m->clock_times[i]; i++)
            m->times_per_day += m->clock_times[i] == ',';
    } else if (v && !json_is_null(v)) {
        mt_rec_err(e, "schedule.times", "is only for \"clock_times\" schedules");
    }
    v = json_object_get(s, "max_per_day");
    if (kind == MT_SCHED_AS_NEEDED) {
        if (v && !json_is_null(v) && !json_is_number(v))
            mt_rec_err(e, "schedule.max_per_day", "must be a number");
        else if (v && json_is_number(v))
            m->max_per_day = json_number_value(v);
    } else if (v && !json_is_null(v)) {
        mt_rec_err(e, "schedule.max_per_day", "is only for \"as_needed\" schedules");
    }
}

void mt_recjson_med(json_t *obj, int patch, mt_arena *a, mt_rec_med *m, mt_rec_errors *e)
{
    static const char *const names[] = { "drug", "strength", "form", "dose_amount", "dose_unit", "schedule",
                                         "start_date", "stop_date", "prescriber", "notes", "status", "stock",
                                         "refill_threshold", NULL };
    json_t *v;
    const char *unit = NULL;
    unsigned before;

    only(obj, names, "", e);
    if (patch && json_object_get(obj, "drug"))
        mt_rec_err(e, "drug", "cannot be changed: stop this medication and add the new one");
    else if (!patch) {
        v = json_object_get(obj, "drug");
        if (!v || json_is_null(v))
            mt_rec_err(e, "drug", "is required: a drug or product name, brand, RxCUI or NDC");
        else
            get_str(obj, "drug", 1, MT_REC_DRUG_MAX, 0, &m->drug_text, e);
    }
    get_str(obj, "strength", 0, MT_REC_SHORT_MAX, 0, &m->strength, e);
    get_str(obj, "form", 0, MT_REC_SHORT_MAX, 0, &m->form, e);
    get_str(obj, "prescriber", 0, MT_REC_NAME_MAX, 0, &m->prescriber, e);
    get_str(obj, "notes", 0, MT_REC_NOTES_MAX, 1, &m->notes, e);
    get_num(obj, "dose_amount", &m->dose_amount, e);
    get_num(obj, "stock", &m->stock, e);
    get_num(obj, "refill_threshold", &m->refill_at, e);
    before = e->n;
    unit = m->dose_unit;
    get_str(obj, "dose_unit", 0, MT_REC_SHORT_MAX, 0, &unit, e);
    if (e->n == before && json_object_get(obj, "dose_unit")) {
        if (unit && !mt_rec_unit_canon(unit))
            mt_rec_err(e, "dose_unit", "is not a known unit: mg, g, mcg, ml, tablet, capsule, drop, puff, spray, "
                                       "patch, unit, sachet, suppository, application, injection, dose");
        else
            m->dose_unit = mt_rec_unit_canon(unit);
    }
    get_date(obj, "start_date", &m->start_date, e);
    get_date(obj, "stop_date", &m->stop_date, e);
    v = json_object_get(obj, "schedule");
    if (v)
        get_schedule(v, a, m, e);
    else if (!patch)
        mt_rec_err(e, "schedule", "is required: {\"type\": \"times_per_day\", \"times_per_day\": 1}, "
                                  "{\"type\": \"clock_times\", \"times\": [\"08:00\"]} or {\"type\": \"as_needed\"}");
    v = json_object_get(obj, "status");
    if (v) {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        if (strcmp(s, "active") == 0) {
            m->active = 1;
        } else if (strcmp(s, "stopped") == 0) {
            m->active = 0;
            if (!m->stop_date && !json_object_get(obj, "stop_date")) {
                char *today = mt_arena_alloc(a, 11);
                if (today) {
                    mt_rec_date_format(mt_rec_now(), today);
                    m->stop_date = today;
                }
            }
        } else {
            mt_rec_err(e, "status", "must be \"active\" or \"stopped\"");
        }
    }
}

void mt_recjson_allergy(json_t *obj, int patch, mt_rec_allergy *al, mt_rec_errors *e)
{
    static const char *const names[] = { "substance", "reaction", "severity", "notes", NULL };
    (void)patch;
    only(obj, names, "", e);
    get_str(obj, "substance", 1, MT_REC_NAME_MAX, 0, &al->substance, e);
    get_str(obj, "reaction", 0, MT_REC_NAME_MAX, 0, &al->reaction, e);
    get_str(obj, "severity", 0, MT_REC_SHORT_MAX, 0, &al->severity, e);
    get_str(obj, "notes", 0, MT_REC_NOTES_MAX, 1, &al->notes, e);
}

void mt_recjson_condition(json_t *obj, int patch, mt_rec_condition *c, mt_rec_errors *e)
{
    static const char *const names[] = { "name", "onset_date", "status", "notes", NULL };
    json_t *v;
    (void)patch;
    only(obj, names, "", e);
    get_str(obj, "name", 1, MT_REC_NAME_MAX, 0, &c->name, e);
    get_date(obj, "onset_date", &c->onset_date, e);
    get_str(obj, "notes", 0, MT_REC_NOTES_MAX, 1, &c->notes, e);
    v = json_object_get(obj, "status");
    if (v) {
        const char *s = json_is_string(v) ? json_string_value(v) : "";
        if (strcmp(s, "active") == 0)
            c->active = 1;
        else if (strcmp(s, "resolved") == 0)
            c->active = 0;
        else
            mt_rec_err(e, "status", "must be \"active\" or \"resolved\"");
    }
}

void mt_recjson_dose(json_t *obj, mt_rec_dose *d, mt_rec_errors *e)
{
    static const char *const names[] = { "medication_id", "status", "at", "notes", NULL };
    json_t *v;
    only(obj, names, "", e);
    v = json_object_get(obj, "medication_id");
    if (!json_is_integer(v) || json_integer_value(v) < 1)
        mt_rec_err(e, "medication_id", "is required: the id of one of this profile's medications");
    else
        d->med_id = json_integer_value(v);
    v = json_object_get(obj, "status");
    if (!v || (json_is_string(v) && strcmp(json_string_value(v), "taken") == 0))
        d->taken = 1;
    else if (json_is_string(v) && strcmp(json_string_value(v), "skipped") == 0)
        d->taken = 0;
    else
        mt_rec_err(e, "status", "must be \"taken\" or \"skipped\"");
    v = json_object_get(obj, "at");
    d->at = mt_rec_now();
    if (v && !json_is_null(v)) {
        long long t;
        if (!json_is_string(v) || !mt_rec_instant_parse(json_string_value(v), &t))
            mt_rec_err(e, "at", "must be an ISO 8601 time with a zone, e.g. \"2024-05-01T08:00:00Z\"");
        else if (t < 946684800LL || t > mt_rec_now() + 86400)
            mt_rec_err(e, "at", "must be between 2000-01-01 and tomorrow");
        else
            d->at = t;
    }
    get_str(obj, "notes", 0, MT_REC_NOTES_MAX, 1, &d->notes, e);
}

/* --- writers ------------------------------------------------------------------------ */

void mt_recjson_w_instant(mt_jsonw *w, const char *key, long long t)
{
    char iso[21];
    mt_jsonw_key(w, key);
    if (!t) {
        mt_jsonw_null(w);
        return;
    }
    mt_rec_instant_format(t, iso);
    mt_jsonw_str(w, iso);
}

/* "rxcui": a string, as RxNorm writes its ids, or null when unresolved. */
static void w_rxcui(mt_jsonw *w, long long rxcui)
{
    mt_jsonw_key(w, "rxcui");
    if (rxcui > 0) {
        char rx[24];
        snprintf(rx, sizeof(rx), "%lld", rxcui);
        mt_jsonw_str(w, rx);
    } else {
        mt_jsonw_null(w);
    }
}

static void w_num(mt_jsonw *w, const char *key, double v)
{
    mt_jsonw_key(w, key);
    if (isnan(v))
        mt_jsonw_null(w);
    else
        mt_jsonw_double(w, v);
}

void mt_recjson_w_user(mt_jsonw *w, const mt_rec_user *u)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", u->id);
    mt_jsonw_kstr(w, "username", u->username);
    mt_recjson_w_instant(w, "created_at", u->created_at);
    mt_jsonw_obj_end(w);
}

void mt_recjson_w_profile(mt_jsonw *w, const mt_rec_profile *p)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", p->id);
    mt_jsonw_kstr(w, "name", p->name);
    mt_jsonw_kstr(w, "relation", p->relation);
    mt_jsonw_kstr(w, "birth_date", p->birth_date);
    mt_jsonw_kbool(w, "calendar", p->has_calendar);
    mt_recjson_w_instant(w, "created_at", p->created_at);
    mt_recjson_w_instant(w, "updated_at", p->updated_at);
    mt_jsonw_obj_end(w);
}

int mt_recjson_refill_due(const mt_rec_med *m)
{
    return m->active && !isnan(m->stock) && !isnan(m->refill_at) && m->stock <= m->refill_at;
}

void mt_recjson_w_med(mt_jsonw *w, const mt_rec_med *m)
{
    int mins[MT_REC_MAX_PER_DAY];
    unsigned n, i;
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", m->id);
    mt_jsonw_kint(w, "profile_id", m->profile_id);
    mt_jsonw_kstr(w, "drug", m->drug_text);
    mt_jsonw_kstr(w, "drug_name", m->drug_name);
    w_rxcui(w, m->rxcui);
    mt_jsonw_kstr(w, "product", m->product);
    mt_jsonw_kstr(w, "strength", m->strength);
    mt_jsonw_kstr(w, "form", m->form);
    w_num(w, "dose_amount", m->dose_amount);
    mt_jsonw_kstr(w, "dose_unit", m->dose_unit);
    mt_jsonw_key(w, "schedule");
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "type", mt_rec_sched_name(m->sched_kind));
    mt_jsonw_key(w, "times_per_day");
    if (m->sched_kind == MT_SCHED_AS_NEEDED)
        mt_jsonw_null(w);
    else
        mt_jsonw_int(w, m->times_per_day);
    mt_jsonw_key(w, "times");
    mt_jsonw_arr_begin(w);
    n = mt_sched_day_minutes(m, mins);
    for (i = 0; i < n; i++) {
        char hm[8];
        snprintf(hm, sizeof(hm), "%02u:%02u", (unsigned)mins[i] / 60u % 24u, (unsigned)mins[i] % 60u);
        mt_jsonw_str(w, hm);
    }
    mt_jsonw_arr_end(w);
    w_num(w, "max_per_day", m->max_per_day);
    mt_jsonw_obj_end(w);
    mt_jsonw_kstr(w, "start_date", m->start_date);
    mt_jsonw_kstr(w, "stop_date", m->stop_date);
    mt_jsonw_kstr(w, "prescriber", m->prescriber);
    mt_jsonw_kstr(w, "notes", m->notes);
    mt_jsonw_kstr(w, "status", m->active ? "active" : "stopped");
    w_num(w, "stock", m->stock);
    w_num(w, "refill_threshold", m->refill_at);
    mt_jsonw_kbool(w, "refill_due", mt_recjson_refill_due(m));
    mt_recjson_w_instant(w, "created_at", m->created_at);
    mt_recjson_w_instant(w, "updated_at", m->updated_at);
    mt_jsonw_obj_end(w);
}

void mt_recjson_w_allergy(mt_jsonw *w, const mt_rec_allergy *al)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", al->id);
    mt_jsonw_kint(w, "profile_id", al->profile_id);
    mt_jsonw_kstr(w, "substance", al->substance);
    mt_jsonw_kstr(w, "drug_name", al->drug_name);
    w_rxcui(w, al->rxcui);
    mt_jsonw_kstr(w, "reaction", al->reaction);
    mt_jsonw_kstr(w, "severity", al->severity);
    mt_jsonw_kstr(w, "notes", al->notes);
    mt_recjson_w_instant(w, "created_at", al->created_at);
    mt_recjson_w_instant(w, "updated_at", al->updated_at);
    mt_jsonw_obj_end(w);
}

void mt_recjson_w_condition(mt_jsonw *w, const mt_rec_condition *c)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", c->id);
    mt_jsonw_kint(w, "profile_id", c->profile_id);
    mt_jsonw_kstr(w, "name", c->name);
    mt_jsonw_kstr(w, "onset_date", c->onset_date);
    mt_jsonw_kstr(w, "status", c->active ? "active" : "resolved");
    mt_jsonw_kstr(w, "notes", c->notes);
    mt_recjson_w_instant(w, "created_at", c->created_at);
    mt_recjson_w_instant(w, "updated_at", c->updated_at);
    mt_jsonw_obj_end(w);
}

void mt_recjson_w_dose(mt_jsonw *w, const mt_rec_dose *d)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", d->id);
    mt_jsonw_kint(w, "profile_id", d->profile_id);
    mt_jsonw_kint(w, "medication_id", d->med_id);
    mt_jsonw_kstr(w, "status", d->taken ? "taken" : "skipped");
    mt_recjson_w_instant(w, "at", d->at);
    mt_jsonw_kstr(w, "notes", d->notes);
    mt_recjson_w_instant(w, "created_at", d->created_at);
    mt_jsonw_obj_end(w);
}

void mt_recjson_w_audit(mt_jsonw *w, const mt_rec_audit *x)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", x->id);
    mt_recjson_w_instant(w, "at", x->at);
    mt_jsonw_kstr(w, "entity", x->entity);
    mt_jsonw_kint(w, "entity_id", x->entity_id);
    mt_jsonw_kstr(w, "action", x->action);
    mt_jsonw_kstr(w, "detail", x->detail);
    mt_jsonw_obj_end(w);
}

void mt_recjson_w_cred(mt_jsonw *w, const mt_rec_cred *c)
{
    mt_jsonw_obj_begin(w);
    mt_jsonw_kint(w, "id", c->id);
    mt_jsonw_kstr(w, "label", c->label);
    mt_recjson_w_instant(w, "created_at", c->created_at);
    mt_recjson_w_instant(w, "expires_at", c->expires_at);
    mt_jsonw_obj_end(w);
}
