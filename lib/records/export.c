/*
** export.c — FHIR R4 Bundle, CSV and printable HTML of a profile, and the
** loading of what they show (export.h).
*/
#include "records/export.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "materia/status.h"
#include "records/sched.h"
#include "util/jsonw.h"

enum { K_PATIENT = 1, K_MED = 2, K_ALLERGY = 3, K_CONDITION = 4, K_DOSE = 5 };

/* A UUID-shaped fullUrl that depends only on the kind and row id. */
static void full_url(int kind, long long id, char out[64])
{
    snprintf(out, 64, "urn:uuid:6d617465-7269-4%03x-8000-%012llx", (unsigned)kind & 0xfffu,
             (unsigned long long)id & 0xffffffffffffULL);
}

int mt_export_load(mt_store *st, mt_id user, const mt_rec_profile *p, int med_status, mt_arena *a,
                   mt_export_data *d)
{
    mt_rec_med *meds = NULL;
    mt_rec_allergy *al = NULL;
    mt_rec_condition *cd = NULL;
    mt_rec_dose *doses = NULL;
    int rc;

    memset(d, 0, sizeof(*d));
    rc = mt_store_med_list(st, user, p->id, med_status, a, &meds, &d->nmeds);
    if (rc == MT_OK)
        rc = mt_store_allergy_list(st, user, p->id, a, &al, &d->nallergies);
    if (rc == MT_OK)
        rc = mt_store_condition_list(st, user, p->id, a, &cd, &d->nconditions);
    if (rc == MT_OK)
        rc = mt_store_dose_export(st, user, p->id, MT_EXPORT_MAX_DOSES, a, &doses, &d->ndoses,
                                  &d->doses_truncated);
    if (rc != MT_OK) {
        memset(d, 0, sizeof(*d));
        return rc;
    }
    d->profile = p;
    d->meds = meds;
    d->allergies = al;
    d->conditions = cd;
    d->doses = doses;
    d->now = mt_rec_now();
    return MT_OK;
}

/* The medication a dose was logged against, or NULL when the caller loaded
** only some medications (the store ties every dose to one of the profile's). */
static const mt_rec_med *dose_med(const mt_export_data *d, mt_id med_id)
{
    size_t i;
    for (i = 0; i < d->nmeds; i++)
        if (d->meds[i].id == med_id)
            return &d->meds[i];
    return NULL;
}

int mt_export_dosage_text(const mt_rec_med *m, char *out, size_t outsz)
{
    size_t pos = 0;
    int w = 0;
    out[0] = '\0';
    if (!isnan(m->dose_amount) && m->dose_unit)
        w = snprintf(out, outsz, "%g %s ", m->dose_amount, m->dose_unit);
    if (w < 0 || (size_t)w >= outsz)
        return MT_ELIMIT;
    pos = (size_t)w;
    switch (m->sched_kind) {
    case MT_SCHED_TIMES_PER_DAY:
        w = snprintf(out + pos, outsz - pos, "%d time%s a day", m->times_per_day, m->times_per_day == 1 ? "" : "s");
        break;
    case MT_SCHED_CLOCK_TIMES:
        w = snprintf(out + pos, outsz - pos, "at %s UTC", m->clock_times ? m->clock_times : "");
        break;
    default:
        if (!isnan(m->max_per_day))
            w = snprintf(out + pos, outsz - pos, "as needed, at most %g a day", m->max_per_day);
        else
            w = snprintf(out + pos, outsz - pos, "as needed");
    }
    return w < 0 || (size_t)w >= outsz - pos ? MT_ELIMIT : MT_OK;
}

/* --- FHIR ---------------------------------------------------------------------- */

static void w_ref(mt_jsonw *w, const char *key, const char *patient_url)
{
    mt_jsonw_key(w, key);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "reference", patient_url);
    mt_jsonw_obj_end(w);
}

static void w_note(mt_jsonw *w, const char *notes)
{
    if (!notes || !*notes)
        return;
    mt_jsonw_key(w, "note");
    mt_jsonw_arr_begin(w);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "text", notes);
    mt_jsonw_obj_end(w);
    mt_jsonw_arr_end(w);
}

static void w_status(mt_jsonw *w, const char *system, const char *code)
{
    mt_jsonw_key(w, "clinicalStatus");
    mt_jsonw_obj_begin(w);
    mt_jsonw_key(w, "coding");
    mt_jsonw_arr_begin(w);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "system", system);
    mt_jsonw_kstr(w, "code", code);
    mt_jsonw_obj_end(w);
    mt_jsonw_arr_end(w);
    mt_jsonw_obj_end(w);
}

static void w_code(mt_jsonw *w, const char *key, long long rxcui, const char *display, const char *text)
{
    char code[24];
    mt_jsonw_key(w, key);
    mt_jsonw_obj_begin(w);
    if (rxcui > 0) {
        snprintf(code, sizeof(code), "%lld", rxcui);
        mt_jsonw_key(w, "coding");
        mt_jsonw_arr_begin(w);
        mt_jsonw_obj_begin(w);
        mt_jsonw_kstr(w, "system", MT_FHIR_RXNORM);
        mt_jsonw_kstr(w, "code", code);
        mt_jsonw_kstr(w, "display", display);
        mt_jsonw_obj_end(w);
        mt_jsonw_arr_end(w);
    }
    mt_jsonw_kstr(w, "text", text);
    mt_jsonw_obj_end(w);
}

/* One extension: a string (s) or a decimal (d, when s is NULL and d is a number). */
static void w_ext(mt_jsonw *w, int *open, const char *name, const char *s, double d)
{
    char url[128];
    if (!s && isnan(d))
        return;
    if (!*open) {
        mt_jsonw_key(w, "extension");
        mt_jsonw_arr_begin(w);
        *open = 1;
    }
    snprintf(url, sizeof(url), "%s%s", MT_FHIR_EXT, name);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "url", url);
    if (s)
        mt_jsonw_kstr(w, "valueString", s);
    else
        mt_jsonw_kdouble(w, "valueDecimal", d);
    mt_jsonw_obj_end(w);
}

static void w_med(mt_jsonw *w, const mt_rec_med *m, const char *patient)
{
    char id[40], url[64], text[256], iso[21];
    int ext = 0, mins[MT_REC_MAX_PER_DAY];
    unsigned nt, t;

    snprintf(id, sizeof(id), "med-%lld", m->id);
    full_url(K_MED, m->id, url);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "fullUrl", url);
    mt_jsonw_key(w, "resource");
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "resourceType", "MedicationStatement");
    mt_jsonw_kstr(w, "id", id);
    w_ext(w, &ext, "strength", m->strength, NAN);
    w_ext(w, &ext, "form", m->form, NAN);
    w_ext(w, &ext, "prescriber", m->prescriber, NAN);
    w_ext(w, &ext, "stock", NULL, m->stock);
    w_ext(w, &ext, "refill-threshold", NULL, m->refill_at);
    if (ext)
        mt_jsonw_arr_end(w);
    mt_jsonw_kstr(w, "status", m->active ? "active" : "stopped");
    w_code(w, "medicationCodeableConcept", m->rxcui, m->drug_name, m->drug_text);
    w_ref(w, "subject", patient);
    if (m->start_date || m->stop_date) {
        mt_jsonw_key(w, "effectivePeriod");
        mt_jsonw_obj_begin(w);
        if (m->start_date)
            mt_jsonw_kstr(w, "start", m->start_date);
        if (m->stop_date)
            mt_jsonw_kstr(w, "end", m->stop_date);
        mt_jsonw_obj_end(w);
    }
    mt_rec_instant_format(m->created_at, iso);
    mt_jsonw_kstr(w, "dateAsserted", iso);
    w_note(w, m->notes);
    mt_jsonw_key(w, "dosage");
    mt_jsonw_arr_begin(w);
    mt_jsonw_obj_begin(w);
    if (mt_export_dosage_text(m, text, sizeof(text)) == MT_OK)
        mt_jsonw_kstr(w, "text", text);
    if (m->sched_kind != MT_SCHED_AS_NEEDED) {
        mt_jsonw_key(w, "timing");
        mt_jsonw_obj_begin(w);
        mt_jsonw_key(w, "repeat");
        mt_jsonw_obj_begin(w);
        nt = mt_sched_day_minutes(m, mins);
        mt_jsonw_kint(w, "frequency", nt ? nt : 1);
        mt_jsonw_kint(w, "period", 1);
        mt_jsonw_kstr(w, "periodUnit", "d");
        if (m->sched_kind == MT_SCHED_CLOCK_TIMES) {
            mt_jsonw_key(w, "timeOfDay");
            mt_jsonw_arr_begin(w);
            for (t = 0; t < nt; t++) {
                char hm[12];
                snprintf(hm, sizeof(hm), "%02u:%02u:00", (unsigned)mins[t] / 60u % 24u, (unsigned)mins[t] % 60u);
                mt_jsonw_str(w, hm);
            }
            mt_jsonw_arr_end(w);
        }
        mt_jsonw_obj_end(w);
        mt_jsonw_obj_end(w);
    }
    mt_jsonw_kbool(w, "asNeededBoolean", m->sched_kind == MT_SCHED_AS_NEEDED);
    if (!isnan(m->dose_amount) && m->dose_unit) {
        mt_jsonw_key(w, "doseAndRate");
        mt_jsonw_arr_begin(w);
        mt_jsonw_obj_begin(w);
        mt_jsonw_key(w, "doseQuantity");
        mt_jsonw_obj_begin(w);
        mt_jsonw_kdouble(w, "value", m->dose_amount);
        mt_jsonw_kstr(w, "unit", m->dose_unit);
        mt_jsonw_obj_end(w);
        mt_jsonw_obj_end(w);
        mt_jsonw_arr_end(w);
    }
    if (m->sched_kind == MT_SCHED_AS_NEEDED && !isnan(m->max_per_day)) {
        mt_jsonw_key(w, "maxDosePerPeriod");
        mt_jsonw_obj_begin(w);
        mt_jsonw_key(w, "numerator");
        mt_jsonw_obj_begin(w);
        mt_jsonw_kdouble(w, "value", m->max_per_day);
        mt_jsonw_obj_end(w);
        mt_jsonw_key(w, "denominator");
        mt_jsonw_obj_begin(w);
        mt_jsonw_kint(w, "value", 1);
        mt_jsonw_kstr(w, "unit", "d");
        mt_jsonw_obj_end(w);
        mt_jsonw_obj_end(w);
    }
    mt_jsonw_obj_end(w);
    mt_jsonw_arr_end(w);
    mt_jsonw_obj_end(w);
    mt_jsonw_obj_end(w);
}

static void w_allergy(mt_jsonw *w, const mt_rec_allergy *al, const char *patient)
{
    char id[40], url[64], iso[21];
    snprintf(id, sizeof(id), "allergy-%lld", al->id);
    full_url(K_ALLERGY, al->id, url);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "fullUrl", url);
    mt_jsonw_key(w, "resource");
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "resourceType", "AllergyIntolerance");
    mt_jsonw_kstr(w, "id", id);
    w_status(w, MT_FHIR_ALLERGY_CLINICAL, "active");
    w_code(w, "code", al->rxcui, al->drug_name, al->substance);
    w_ref(w, "patient", patient);
    mt_rec_instant_format(al->created_at, iso);
    mt_jsonw_kstr(w, "recordedDate", iso);
    w_note(w, al->notes);
    if (al->reaction || al->severity) {
        mt_jsonw_key(w, "reaction");
        mt_jsonw_arr_begin(w);
        mt_jsonw_obj_begin(w);
        mt_jsonw_key(w, "manifestation");
        mt_jsonw_arr_begin(w);
        mt_jsonw_obj_begin(w);
        mt_jsonw_kstr(w, "text", al->reaction ? al->reaction : MT_FHIR_NO_REACTION);
        mt_jsonw_obj_end(w);
        mt_jsonw_arr_end(w);
        if (al->severity)
            mt_jsonw_kstr(w, "severity", al->severity);
        mt_jsonw_obj_end(w);
        mt_jsonw_arr_end(w);
    }
    mt_jsonw_obj_end(w);
    mt_jsonw_obj_end(w);
}

static void w_condition(mt_jsonw *w, const mt_rec_condition *c, const char *patient)
{
    char id[40], url[64], iso[21];
    snprintf(id, sizeof(id), "condition-%lld", c->id);
    full_url(K_CONDITION, c->id, url);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "fullUrl", url);
    mt_jsonw_key(w, "resource");
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "resourceType", "Condition");
    mt_jsonw_kstr(w, "id", id);
    w_status(w, MT_FHIR_CONDITION_CLINICAL, c->active ? "active" : "resolved");
    w_code(w, "code", 0, NULL, c->name);
    w_ref(w, "subject", patient);
    if (c->onset_date)
        mt_jsonw_kstr(w, "onsetDateTime", c->onset_date);
    mt_rec_instant_format(c->created_at, iso);
    mt_jsonw_kstr(w, "recordedDate", iso);
    w_note(w, c->notes);
    mt_jsonw_obj_end(w);
    mt_jsonw_obj_end(w);
}

/* A dose of the log: taken is "completed", skipped is "not-done" (with the
** reason "skipped"); the medication coded as its MedicationStatement is, to
** which supportingInformation points. */
static void w_dose(mt_jsonw *w, const mt_rec_dose *x, const mt_rec_med *m, const char *patient)
{
    char id[40], url[64], med_url[64], iso[21], text[40];
    snprintf(id, sizeof(id), "dose-%lld", x->id);
    full_url(K_DOSE, x->id, url);
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "fullUrl", url);
    mt_jsonw_key(w, "resource");
    mt_jsonw_obj_begin(w);
    mt_jsonw_kstr(w, "resourceType", "MedicationAdministration");
    mt_jsonw_kstr(w, "id", id);
    mt_jsonw_kstr(w, "status", x->taken ? "completed" : "not-done");
    if (!x->taken) {
        mt_jsonw_key(w, "statusReason");
        mt_jsonw_arr_begin(w);
        mt_jsonw_obj_begin(w);
        mt_jsonw_kstr(w, "text", "skipped");
        mt_jsonw_obj_end(w);
        mt_jsonw_arr_end(w);
    }
    if (m) {
        w_code(w, "medicationCodeableConcept", m->rxcui, m->drug_name, m->drug_text);
    } else {
        snprintf(text, sizeof(text), "medication %lld", x->med_id);
        w_code(w, "medicationCodeableConcept", 0, NULL, text);
    }
    w_ref(w, "subject", patient);
    mt_rec_instant_format(x->at, iso);
    mt_jsonw_kstr(w, "effectiveDateTime", iso);
    if (m) {
        full_url(K_MED, m->id, med_url);
        mt_jsonw_key(w, "supportingInformation");
        mt_jsonw_arr_begin(w);
        mt_jsonw_obj_begin(w);
        mt_jsonw_kstr(w, "reference", med_url);
        mt_jsonw_obj_end(w);
        mt_jsonw_arr_end(w);
    }
    w_note(w, x->notes);
    mt_jsonw_obj_end(w);
    mt_jsonw_obj_end(w);
}

int mt_export_fhir(const mt_export_data *d, int pretty, mt_buf *out)
{
    char patient[64], iso[21], pid[40];
    mt_jsonw w;
    size_t i;

    full_url(K_PATIENT, d->profile->id, patient);
    snprintf(pid, sizeof(pid), "profile-%lld", d->profile->id);
    mt_rec_instant_format(d->now, iso);
    mt_jsonw_init(&w, out, pretty);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "resourceType", "Bundle");
    mt_jsonw_kstr(&w, "type", "collection");
    mt_jsonw_kstr(&w, "timestamp", iso);
    if (d->doses_truncated) {
        char display[96];
        snprintf(display, sizeof(display), "only the %zu most recent doses of the dose log", d->ndoses);
        mt_jsonw_key(&w, "meta");
        mt_jsonw_obj_begin(&w);
        mt_jsonw_key(&w, "tag");
        mt_jsonw_arr_begin(&w);
        mt_jsonw_obj_begin(&w);
        mt_jsonw_kstr(&w, "system", MT_FHIR_EXPORT_TAGS);
        mt_jsonw_kstr(&w, "code", "dose-log-truncated");
        mt_jsonw_kstr(&w, "display", display);
        mt_jsonw_obj_end(&w);
        mt_jsonw_arr_end(&w);
        mt_jsonw_obj_end(&w);
    }
    mt_jsonw_key(&w, "entry");
    mt_jsonw_arr_begin(&w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "fullUrl", patient);
    mt_jsonw_key(&w, "resource");
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "resourceType", "Patient");
    mt_jsonw_kstr(&w, "id", pid);
    mt_jsonw_key(&w, "name");
    mt_jsonw_arr_begin(&w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "text", d->profile->name);
    mt_jsonw_obj_end(&w);
    mt_jsonw_arr_end(&w);
    if (d->profile->birth_date)
        mt_jsonw_kstr(&w, "birthDate", d->profile->birth_date);
    mt_jsonw_obj_end(&w);
    mt_jsonw_obj_end(&w);
    for (i = 0; i < d->nmeds; i++)
        w_med(&w, &d->meds[i], patient);
    for (i = 0; i < d->nallergies; i++)
        w_allergy(&w, &d->allergies[i], patient);
    for (i = 0; i < d->nconditions; i++)
        w_condition(&w, &d->conditions[i], patient);
    for (i = 0; i < d->ndoses; i++)
        w_dose(&w, &d->doses[i], dose_med(d, d->doses[i].med_id), patient);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_jsonw_finish(&w);
}

/* --- CSV ------------------------------------------------------------------------ */

static int csv_cell(mt_buf *out, const char *s, int last)
{
    int rc = MT_OK;
    const char *p;
    if (s && *s) {
        rc = mt_buf_putc(out, '"');
        if (rc == MT_OK && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r'))
            rc = mt_buf_putc(out, '\'');
        for (p = s; *p && rc == MT_OK; p++)
            rc = *p == '"' ? mt_buf_puts(out, "\"\"") : mt_buf_putc(out, *p);
        if (rc == MT_OK)
            rc = mt_buf_putc(out, '"');
    }
    if (rc == MT_OK)
        rc = last ? mt_buf_puts(out, "\r\n") : mt_buf_putc(out, ',');
    return rc;
}

static int csv_num(mt_buf *out, double v)
{
    char b[40] = "";
    if (!isnan(v))
        snprintf(b, sizeof(b), "%g", v);
    return csv_cell(out, b, 0);
}

int mt_export_csv(const mt_export_data *d, mt_buf *out)
{
    size_t i;
    int rc = mt_buf_puts(out, "id,drug,drug_name,rxcui,product,strength,form,dose_amount,dose_unit,schedule,"
                              "times_per_day,clock_times_utc,max_per_day,start_date,stop_date,status,prescriber,"
                              "stock,refill_threshold,notes\r\n");
    for (i = 0; i < d->nmeds && rc == MT_OK; i++) {
        const mt_rec_med *m = &d->meds[i];
        char id[24], rx[24] = "", tpd[16] = "";
        snprintf(id, sizeof(id), "%lld", m->id);
        if (m->rxcui > 0)
            snprintf(rx, sizeof(rx), "%lld", m->rxcui);
        if (m->sched_kind != MT_SCHED_AS_NEEDED)
            snprintf(tpd, sizeof(tpd), "%d", m->times_per_day);
        rc = csv_cell(out, id, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->drug_text, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->drug_name, 0);
        if (rc == MT_OK) rc = csv_cell(out, rx, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->product, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->strength, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->form, 0);
        if (rc == MT_OK) rc = csv_num(out, m->dose_amount);
        if (rc == MT_OK) rc = csv_cell(out, m->dose_unit, 0);
        if (rc == MT_OK) rc = csv_cell(out, mt_rec_sched_name(m->sched_kind), 0);
        if (rc == MT_OK) rc = csv_cell(out, tpd, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->clock_times, 0);
        if (rc == MT_OK) rc = csv_num(out, m->max_per_day);
        if (rc == MT_OK) rc = csv_cell(out, m->start_date, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->stop_date, 0);
        if (rc == MT_OK) rc = csv_cell(out, m->active ? "active" : "stopped", 0);
        if (rc == MT_OK) rc = csv_cell(out, m->prescriber, 0);
        if (rc == MT_OK) rc = csv_num(out, m->stock);
        if (rc == MT_OK) rc = csv_num(out, m->refill_at);
        if (rc == MT_OK) rc = csv_cell(out, m->notes, 1);
    }
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "\r\ndose_id,medication_id,drug,drug_name,rxcui,status,at_utc,notes\r\n");
    for (i = 0; i < d->ndoses && rc == MT_OK; i++) {
        const mt_rec_dose *x = &d->doses[i];
        const mt_rec_med *m = dose_med(d, x->med_id);
        char id[24], med[24], rx[24] = "", at[21];
        snprintf(id, sizeof(id), "%lld", x->id);
        snprintf(med, sizeof(med), "%lld", x->med_id);
        if (m && m->rxcui > 0)
            snprintf(rx, sizeof(rx), "%lld", m->rxcui);
        mt_rec_instant_format(x->at, at);
        rc = csv_cell(out, id, 0);
        if (rc == MT_OK) rc = csv_cell(out, med, 0);
        if (rc == MT_OK) rc = csv_cell(out, m ? m->drug_text : NULL, 0);
        if (rc == MT_OK) rc = csv_cell(out, m ? m->drug_name : NULL, 0);
        if (rc == MT_OK) rc = csv_cell(out, rx, 0);
        if (rc == MT_OK) rc = csv_cell(out, x->taken ? "taken" : "skipped", 0);
        if (rc == MT_OK) rc = csv_cell(out, at, 0);
        if (rc == MT_OK) rc = csv_cell(out, x->notes, 1);
    }
    /* A reader of the file must not take a cut log for the whole one: the
    ** FHIR bundle has its meta tag, the CSV a last row saying so. */
    if (rc == MT_OK && d->doses_truncated) {
        char note[96];
        snprintf(note, sizeof(note), "dose log truncated: only the %zu most recent doses are exported",
                 d->ndoses);
        rc = mt_buf_puts(out, ",,,,,,,");
        if (rc == MT_OK)
            rc = csv_cell(out, note, 1);
    }
    return rc;
}

/* --- HTML ------------------------------------------------------------------------ */

static int html(mt_buf *out, const char *s)
{
    int rc = MT_OK;
    for (; s && *s && rc == MT_OK; s++) {
        switch (*s) {
        case '&':  rc = mt_buf_puts(out, "&amp;"); break;
        case '<':  rc = mt_buf_puts(out, "&lt;"); break;
        case '>':  rc = mt_buf_puts(out, "&gt;"); break;
        case '"':  rc = mt_buf_puts(out, "&quot;"); break;
        case '\'': rc = mt_buf_puts(out, "&#39;"); break;
        default:   rc = mt_buf_putc(out, *s);
        }
    }
    return rc;
}

static int td(mt_buf *out, const char *s)
{
    int rc = mt_buf_puts(out, "<td>");
    if (rc == MT_OK)
        rc = html(out, s ? s : "");
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "</td>");
    return rc;
}

int mt_export_html(const mt_export_data *d, mt_buf *out)
{
    char today[11], dosage[256];
    size_t i;
    int rc;

    mt_rec_date_format(d->now, today);
    rc = mt_buf_puts(out, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Medications: ");
    if (rc == MT_OK) rc = html(out, d->profile->name);
    if (rc == MT_OK) rc = mt_buf_puts(out, "</title></head>\n<body>\n<h1>Medication list: ");
    if (rc == MT_OK) rc = html(out, d->profile->name);
    if (rc == MT_OK) rc = mt_buf_puts(out, "</h1>\n<p>");
    if (rc == MT_OK && d->profile->birth_date) {
        rc = mt_buf_puts(out, "Born ");
        if (rc == MT_OK) rc = html(out, d->profile->birth_date);
        if (rc == MT_OK) rc = mt_buf_puts(out, ". ");
    }
    if (rc == MT_OK)
        rc = mt_buf_printf(out, "Printed %s. Times are UTC.</p>\n<h2>Current medications</h2>\n"
                                "<table border=\"1\" cellpadding=\"4\">\n<tr><th>Medication</th><th>Strength</th>"
                                "<th>Form</th><th>Dose and schedule</th><th>Since</th><th>Until</th>"
                                "<th>Prescriber</th><th>Notes</th></tr>\n", today);
    for (int pass = 1; pass >= 0 && rc == MT_OK; pass--) {
        size_t shown = 0;
        if (pass == 0)
            rc = mt_buf_puts(out, "<h2>Stopped medications</h2>\n<table border=\"1\" cellpadding=\"4\">\n"
                                  "<tr><th>Medication</th><th>Strength</th><th>Form</th><th>Dose and schedule</th>"
                                  "<th>Since</th><th>Until</th><th>Prescriber</th><th>Notes</th></tr>\n");
        for (i = 0; i < d->nmeds && rc == MT_OK; i++) {
            const mt_rec_med *m = &d->meds[i];
            char name[400];
            if (m->active != pass)
                continue;
            shown++;
            if (m->drug_name && strcmp(m->drug_name, m->drug_text ? m->drug_text : "") != 0)
                snprintf(name, sizeof(name), "%s (%s)", m->drug_text ? m->drug_text : "", m->drug_name);
            else
                snprintf(name, sizeof(name), "%s", m->drug_text ? m->drug_text : "");
            if (mt_export_dosage_text(m, dosage, sizeof(dosage)) != MT_OK)
                dosage[0] = '\0';
            rc = mt_buf_puts(out, "<tr>");
            if (rc == MT_OK) rc = td(out, name);
            if (rc == MT_OK) rc = td(out, m->strength);
            if (rc == MT_OK) rc = td(out, m->form);
            if (rc == MT_OK) rc = td(out, dosage);
            if (rc == MT_OK) rc = td(out, m->start_date);
            if (rc == MT_OK) rc = td(out, m->stop_date);
            if (rc == MT_OK) rc = td(out, m->prescriber);
            if (rc == MT_OK) rc = td(out, m->notes);
            if (rc == MT_OK) rc = mt_buf_puts(out, "</tr>\n");
        }
        if (rc == MT_OK && !shown)
            rc = mt_buf_puts(out, "<tr><td colspan=\"8\">None recorded.</td></tr>\n");
        if (rc == MT_OK)
            rc = mt_buf_puts(out, "</table>\n");
    }
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "<h2>Allergies</h2>\n<ul>\n");
    for (i = 0; i < d->nallergies && rc == MT_OK; i++) {
        const mt_rec_allergy *al = &d->allergies[i];
        rc = mt_buf_puts(out, "<li>");
        if (rc == MT_OK) rc = html(out, al->substance);
        if (rc == MT_OK && (al->reaction || al->severity)) {
            rc = mt_buf_puts(out, ": ");
            if (rc == MT_OK) rc = html(out, al->reaction ? al->reaction : "");
            if (rc == MT_OK && al->severity) {
                rc = mt_buf_puts(out, " (");
                if (rc == MT_OK) rc = html(out, al->severity);
                if (rc == MT_OK) rc = mt_buf_puts(out, ")");
            }
        }
        if (rc == MT_OK) rc = mt_buf_puts(out, "</li>\n");
    }
    if (rc == MT_OK && !d->nallergies)
        rc = mt_buf_puts(out, "<li>None recorded.</li>\n");
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "</ul>\n<h2>Conditions</h2>\n<ul>\n");
    for (i = 0; i < d->nconditions && rc == MT_OK; i++) {
        const mt_rec_condition *c = &d->conditions[i];
        rc = mt_buf_puts(out, "<li>");
        if (rc == MT_OK) rc = html(out, c->name);
        if (rc == MT_OK && c->onset_date) {
            rc = mt_buf_puts(out, ", since ");
            if (rc == MT_OK) rc = html(out, c->onset_date);
        }
        if (rc == MT_OK && !c->active) rc = mt_buf_puts(out, " (resolved)");
        if (rc == MT_OK) rc = mt_buf_puts(out, "</li>\n");
    }
    if (rc == MT_OK && !d->nconditions)
        rc = mt_buf_puts(out, "<li>None recorded.</li>\n");
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "</ul>\n<p>Recorded by the person or their caregiver in Materia. Materia informs; it "
                              "does not replace a clinician or pharmacist.</p>\n</body></html>\n");
    return rc;
}
