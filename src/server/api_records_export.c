/*
** api_records_export.c — what the records give back: the next doses
** (reminders, UTC), the profile-wide check, the secret-URL iCalendar feed,
** exports (FHIR R4 Bundle, CSV, printable HTML) and the FHIR import, which
** stores everything or nothing.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "materia/status.h"
#include "records/accounts.h"
#include "records/export.h"
#include "records/fhir_import.h"
#include "records/meds.h"
#include "records/recjson.h"
#include "records/sched.h"
#include "server/api_records.h"

#define MAX_REMINDERS 500

int mt_apirec_reminders(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_med *meds;
    mt_reminder *rem;
    size_t n, nr, i;
    long long from = mt_rec_now();
    const char *fs = mt_http_arg(req, "from");
    long hours;
    mt_jsonw w;
    int rc;

    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    hours = mt_apirec_uarg(req, "hours", 24, 1, MT_SCHED_MAX_HOURS);
    if (hours < 0)
        return MT_OK;
    if (fs && !mt_rec_instant_parse(fs, &from)) {
        mt_rec_errors e;
        memset(&e, 0, sizeof(e));
        mt_rec_err(&e, "from", "must be an ISO 8601 time with a zone, e.g. 2024-05-01T00:00:00Z");
        return mt_apirec_errors(req, 422, "invalid", "Invalid parameter", &e);
    }
    rc = mt_store_med_list(c->st, c->cred.user_id, p.id, 1, &req->arena, &meds, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "medication");
    rem = mt_arena_calloc(&req->arena, MAX_REMINDERS, sizeof(*rem));
    if (!rem)
        return mt_apirec_fail(req, MT_ENOMEM, "reminder");
    nr = mt_sched_next(meds, n, from, (unsigned)hours, rem, MAX_REMINDERS);
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "timezone", "UTC");
    mt_recjson_w_instant(&w, "from", from);
    mt_recjson_w_instant(&w, "until", from + hours * 3600LL);
    mt_jsonw_kbool(&w, "truncated", nr == MAX_REMINDERS);
    mt_jsonw_key(&w, "reminders");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < nr; i++) {
        const mt_rec_med *m = &meds[rem[i].med];
        mt_jsonw_obj_begin(&w);
        mt_recjson_w_instant(&w, "at", rem[i].at);
        mt_jsonw_kint(&w, "medication_id", m->id);
        mt_jsonw_kstr(&w, "drug", m->drug_text);
        mt_jsonw_kstr(&w, "drug_name", m->drug_name);
        mt_jsonw_key(&w, "dose_amount");
        if (isnan(m->dose_amount))
            mt_jsonw_null(&w);
        else
            mt_jsonw_double(&w, m->dose_amount);
        mt_jsonw_kstr(&w, "dose_unit", m->dose_unit);
        mt_jsonw_obj_end(&w);
    }
    mt_jsonw_arr_end(&w);
    mt_jsonw_key(&w, "refills");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++) {
        if (!mt_recjson_refill_due(&meds[i]))
            continue;
        mt_jsonw_obj_begin(&w);
        mt_jsonw_kint(&w, "medication_id", meds[i].id);
        mt_jsonw_kstr(&w, "drug", meds[i].drug_text);
        mt_jsonw_kdouble(&w, "stock", meds[i].stock);
        mt_jsonw_kdouble(&w, "refill_threshold", meds[i].refill_at);
        mt_jsonw_obj_end(&w);
    }
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

int mt_apirec_check(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_med *meds;
    mt_rec_allergy *al;
    size_t n, na;
    mt_meds_check chk;
    mt_jsonw w;
    int rc;

    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_med_list(c->st, c->cred.user_id, p.id, 1, &req->arena, &meds, &n);
    if (rc == MT_OK)
        rc = mt_store_allergy_list(c->st, c->cred.user_id, p.id, &req->arena, &al, &na);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "medication");
    rc = mt_meds_check_run(mt_http_kb(req), meds, n, (size_t)-1, al, na, &chk);
    if (rc != MT_OK) {
        mt_meds_check_free(&chk);
        return mt_apirec_fail(req, rc, "check");
    }
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kuint(&w, "medications", n);
    mt_jsonw_key(&w, "alerts");
    mt_meds_alerts_json(&chk, &w);
    mt_jsonw_key(&w, "daily_totals");
    mt_meds_totals_json(&chk, &w);
    mt_jsonw_obj_end(&w);
    mt_meds_check_free(&chk);
    return mt_apirec_done(req, &w, 200);
}

int mt_apirec_calendar_token(mt_http_req *req, mt_apirec *c)
{
    char token[MT_ACCT_TOKEN_MAX], hash[MT_ACCT_HASH_HEX], url[160];
    mt_rec_profile p;
    mt_jsonw w;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_acct_random_token(token);
    if (rc == MT_OK) {
        mt_acct_token_hash(token, hash);
        rc = mt_store_profile_set_calendar(c->st, c->cred.user_id, p.id, hash);
    }
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "profile");
    snprintf(url, sizeof(url), "/api/v1/calendar.ics?token=%s", token);
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "token", token);
    mt_jsonw_kstr(&w, "url", url);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 201);
}

int mt_apirec_calendar_revoke(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_profile_set_calendar(c->st, c->cred.user_id, p.id, NULL);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "profile");
    req->status = 204;
    req->content_type = NULL;
    return MT_OK;
}

/* Anonymous: the token in the URL is the credential (a calendar app cannot
** log in). It names one profile; an unknown token is a 404. */
int mt_apirec_calendar(mt_http_req *req, mt_apirec *c)
{
    const char *token = mt_http_arg(req, "token");
    char hash[MT_ACCT_HASH_HEX];
    mt_rec_profile p;
    mt_rec_med *meds;
    size_t n;
    int rc;

    if (!token || strlen(token) < 16 || strlen(token) >= MT_ACCT_TOKEN_MAX)
        return mt_http_problem(req, 404, "not-found", "Not found", "no calendar for that token");
    mt_acct_token_hash(token, hash);
    rc = mt_store_profile_by_calendar(c->st, hash, &req->arena, &p);
    if (rc == MT_OK)
        rc = mt_store_med_list(c->st, p.user_id, p.id, 1, &req->arena, &meds, &n);
    if (rc == MT_ENOTFOUND)
        return mt_http_problem(req, 404, "not-found", "Not found", "no calendar for that token");
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "calendar");
    mt_buf_reset(&req->out);
    rc = mt_sched_ical(&p, meds, n, mt_rec_now(), &req->out);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "calendar");
    req->status = 200;
    req->content_type = "text/calendar; charset=utf-8";
    return MT_OK;
}

/* Everything a profile holds, for the exports (the dose log included). */
static int load_all(mt_http_req *req, mt_apirec *c, mt_rec_profile *p, mt_export_data *d)
{
    int rc;
    memset(d, 0, sizeof(*d));
    if (mt_apirec_profile(req, c, p) != MT_OK)
        return MT_ENOTFOUND;
    rc = mt_export_load(c->st, c->cred.user_id, p, -1, &req->arena, d);
    if (rc != MT_OK) {
        mt_apirec_fail(req, rc, "profile");
        return rc;
    }
    return MT_OK;
}

static int attach(mt_http_req *req, const mt_rec_profile *p, const char *ext, const char *ctype)
{
    char *cd = mt_arena_alloc(&req->arena, 96);
    if (cd) {
        snprintf(cd, 96, "attachment; filename=\"materia-profile-%lld.%s\"", p->id, ext);
        mt_http_header(req, "Content-Disposition", cd);
    }
    req->status = 200;
    req->content_type = ctype;
    return MT_OK;
}

int mt_apirec_export_fhir(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_export_data d;
    int rc;
    if (load_all(req, c, &p, &d) != MT_OK)
        return MT_OK;
    mt_buf_reset(&req->out);
    rc = mt_export_fhir(&d, 0, &req->out);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "export");
    return attach(req, &p, "fhir.json", "application/fhir+json");
}

int mt_apirec_export_csv(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_export_data d;
    int rc;
    if (load_all(req, c, &p, &d) != MT_OK)
        return MT_OK;
    mt_buf_reset(&req->out);
    rc = mt_export_csv(&d, &req->out);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "export");
    return attach(req, &p, "csv", "text/csv; charset=utf-8");
}

int mt_apirec_export_html(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_export_data d;
    int rc;
    if (load_all(req, c, &p, &d) != MT_OK)
        return MT_OK;
    mt_buf_reset(&req->out);
    rc = mt_export_html(&d, &req->out);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "export");
    req->status = 200;
    req->content_type = "text/html; charset=utf-8";
    return MT_OK;
}

int mt_apirec_import_fhir(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_fhir_import im;
    mt_rec_errors e;
    mt_jsonw w;
    json_t *doc;
    int rc;

    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    doc = mt_apirec_body(req, "application/fhir+json");    /* media type and JSON syntax */
    if (!doc)
        return MT_OK;
    json_decref(doc);
    memset(&e, 0, sizeof(e));
    rc = mt_fhir_import_parse(mt_http_kb(req), req->body.data, req->body.len, &req->arena, &e, &im);
    if (rc == MT_EINVAL)
        return mt_apirec_errors(req, 422, "invalid", "Invalid FHIR Bundle", &e);
    if (rc == MT_OK)
        rc = mt_store_import(c->st, c->cred.user_id, p.id, im.meds, im.nmeds, im.allergies, im.nallergies,
                             im.conditions, im.nconditions);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "import");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "imported");
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kuint(&w, "medications", im.nmeds);
    mt_jsonw_kuint(&w, "allergies", im.nallergies);
    mt_jsonw_kuint(&w, "conditions", im.nconditions);
    mt_jsonw_obj_end(&w);
    mt_jsonw_kuint(&w, "skipped", im.skipped);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 201);
}
