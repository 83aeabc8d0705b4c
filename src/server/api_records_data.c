/*
** api_records_data.c — profiles and what they hold: medications (adding one
** returns the saved record with its interaction alerts and the daily totals
** of each ingredient), allergies, conditions and the dose log. Every handler
** checks first that the profile in the path is the caller's (404 otherwise),
** then validates the whole body (422 naming each bad field) before storing.
*/
#include <math.h>
#include <string.h>

#include "materia/interact.h"
#include "materia/status.h"
#include "records/meds.h"
#include "records/recjson.h"
#include "server/api_records.h"

static int no_content(mt_http_req *req)
{
    req->status = 204;
    req->content_type = NULL;
    return MT_OK;
}

/* --- profiles ------------------------------------------------------------------------- */

static int one_profile(mt_http_req *req, const mt_rec_profile *p, unsigned status)
{
    mt_jsonw w;
    mt_apirec_begin(req, &w);
    mt_recjson_w_profile(&w, p);
    return mt_apirec_done(req, &w, status);
}

int mt_apirec_profiles_list(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile *list;
    size_t n, i;
    mt_jsonw w;
    int rc = mt_store_profile_list(c->st, c->cred.user_id, &req->arena, &list, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "profile");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "profiles");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++)
        mt_recjson_w_profile(&w, &list[i]);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

int mt_apirec_profiles_create(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile in, out;
    mt_rec_errors e;
    json_t *doc = mt_apirec_body(req, NULL);
    int rc;
    if (!doc)
        return MT_OK;
    memset(&in, 0, sizeof(in));
    memset(&e, 0, sizeof(e));
    mt_recjson_profile(doc, 0, &in, &e);
    mt_rec_profile_check(&in, &e);
    if (e.n)
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid profile", &e);
    else if ((rc = mt_store_profile_create(c->st, c->cred.user_id, &in, &req->arena, &out)) != MT_OK)
        rc = mt_apirec_fail(req, rc, "profile");
    else
        rc = one_profile(req, &out, 201);
    json_decref(doc);
    return rc;
}

int mt_apirec_profile_get(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    return one_profile(req, &p, 200);
}

int mt_apirec_profile_patch(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p, out;
    mt_rec_errors e;
    json_t *doc;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    mt_recjson_profile(doc, 1, &p, &e);
    mt_rec_profile_check(&p, &e);
    if (e.n)
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid profile", &e);
    else if ((rc = mt_store_profile_update(c->st, c->cred.user_id, &p, &req->arena, &out)) != MT_OK)
        rc = mt_apirec_fail(req, rc, "profile");
    else
        rc = one_profile(req, &out, 200);
    json_decref(doc);
    return rc;
}

int mt_apirec_profile_delete(mt_http_req *req, mt_apirec *c)
{
    int rc = mt_store_profile_delete(c->st, c->cred.user_id, c->ids[0]);
    return rc == MT_OK ? no_content(req) : mt_apirec_fail(req, rc, "profile");
}

/* --- medications --------------------------------------------------------------------- */

static int one_med(mt_http_req *req, const mt_rec_med *m, unsigned status)
{
    mt_jsonw w;
    mt_apirec_begin(req, &w);
    mt_recjson_w_med(&w, m);
    return mt_apirec_done(req, &w, status);
}

int mt_apirec_meds_list(mt_http_req *req, mt_apirec *c)
{
    const char *status = mt_http_arg(req, "status");
    mt_rec_profile p;
    mt_rec_med *list;
    size_t n, i;
    mt_jsonw w;
    int which = -1, rc;

    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    if (status && strcmp(status, "active") == 0)
        which = 1;
    else if (status && strcmp(status, "stopped") == 0)
        which = 0;
    else if (status && strcmp(status, "all") != 0) {
        mt_rec_errors e;
        memset(&e, 0, sizeof(e));
        mt_rec_err(&e, "status", "must be \"active\", \"stopped\" or \"all\"");
        return mt_apirec_errors(req, 422, "invalid", "Invalid parameter", &e);
    }
    rc = mt_store_med_list(c->st, c->cred.user_id, p.id, which, &req->arena, &list, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "medication");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "medications");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++)
        mt_recjson_w_med(&w, &list[i]);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

int mt_apirec_meds_create(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_med in, out, *active = NULL, *all;
    mt_rec_allergy *allergies = NULL;
    size_t nactive = 0, nallergies = 0;
    mt_meds_check chk;
    mt_rec_errors e;
    mt_jsonw w;
    json_t *doc;
    int rc, have_chk = 0;

    memset(&chk, 0, sizeof(chk));
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    mt_rec_med_init(&in);
    mt_recjson_med(doc, 0, &req->arena, &in, &e);
    mt_rec_med_check(&in, &e);
    /* A lookup that could not run (out of memory, no search index) is a
    ** failure, never a medication saved unresolved. */
    if (!e.n && (rc = mt_meds_resolve(mt_http_kb(req), in.drug_text, "drug", &req->arena, &e, &in.drug_name,
                                      &in.rxcui, &in.product)) != MT_OK && rc != MT_ENOTFOUND) {
        rc = mt_apirec_fail(req, rc, "medication");
        goto done;
    }
    if (e.n) {
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid medication", &e);
        goto done;
    }
    /* The check runs on the profile's active medications plus this one,
    ** before it is stored: an error here stores nothing. */
    rc = mt_store_med_list(c->st, c->cred.user_id, p.id, 1, &req->arena, &active, &nactive);
    if (rc == MT_OK)
        rc = mt_store_allergy_list(c->st, c->cred.user_id, p.id, &req->arena, &allergies, &nallergies);
    if (rc == MT_OK && nactive + 1 > MT_CHECK_MAX_INPUTS)
        rc = MT_ELIMIT;
    if (rc != MT_OK) {
        rc = mt_apirec_fail(req, rc, "medication");
        goto done;
    }
    all = mt_arena_calloc(&req->arena, nactive + 1, sizeof(*all));
    if (!all) {
        rc = mt_apirec_fail(req, MT_ENOMEM, "medication");
        goto done;
    }
    if (nactive)
        memcpy(all, active, nactive * sizeof(*all));
    all[nactive] = in;
    rc = mt_meds_check_run(mt_http_kb(req), all, nactive + 1, nactive, allergies, nallergies, &chk);
    have_chk = 1;
    if (rc != MT_OK) {
        rc = mt_apirec_fail(req, rc, "medication");
        goto done;
    }
    rc = mt_store_med_create(c->st, c->cred.user_id, p.id, &in, &req->arena, &out);
    if (rc != MT_OK) {
        rc = mt_apirec_fail(req, rc, "medication");
        goto done;
    }
    all[nactive] = out;       /* the alerts and totals name the saved record */
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "record");
    mt_recjson_w_med(&w, &out);
    mt_jsonw_key(&w, "alerts");
    mt_meds_alerts_json(&chk, &w);
    mt_jsonw_key(&w, "daily_totals");
    mt_meds_totals_json(&chk, &w);
    mt_jsonw_obj_end(&w);
    rc = mt_apirec_done(req, &w, 201);
done:
    if (have_chk)
        mt_meds_check_free(&chk);
    json_decref(doc);
    return rc;
}

int mt_apirec_med_get(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_med m;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_med_get(c->st, c->cred.user_id, p.id, c->ids[1], &req->arena, &m);
    return rc == MT_OK ? one_med(req, &m, 200) : mt_apirec_fail(req, rc, "medication");
}

int mt_apirec_med_patch(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_med m, out;
    mt_rec_errors e;
    json_t *doc;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_med_get(c->st, c->cred.user_id, p.id, c->ids[1], &req->arena, &m);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "medication");
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    mt_recjson_med(doc, 1, &req->arena, &m, &e);
    mt_rec_med_check(&m, &e);
    if (e.n)
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid medication", &e);
    else if ((rc = mt_store_med_update(c->st, c->cred.user_id, p.id, &m, &req->arena, &out)) != MT_OK)
        rc = mt_apirec_fail(req, rc, "medication");
    else
        rc = one_med(req, &out, 200);
    json_decref(doc);
    return rc;
}

int mt_apirec_med_delete(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_med_delete(c->st, c->cred.user_id, p.id, c->ids[1]);
    return rc == MT_OK ? no_content(req) : mt_apirec_fail(req, rc, "medication");
}

/* --- allergies ------------------------------------------------------------------------- */

static int one_allergy(mt_http_req *req, const mt_rec_allergy *al, unsigned status)
{
    mt_jsonw w;
    mt_apirec_begin(req, &w);
    mt_recjson_w_allergy(&w, al);
    return mt_apirec_done(req, &w, status);
}

/* Links the substance to a KB drug when it names one (latex, pollen stay text). */
static int resolve_allergy(mt_http_req *req, mt_rec_allergy *al)
{
    mt_rec_errors ignore;
    const char *product;
    int rc;
    memset(&ignore, 0, sizeof(ignore));
    rc = mt_meds_resolve(mt_http_kb(req), al->substance, "substance", &req->arena, &ignore, &al->drug_name,
                         &al->rxcui, &product);
    if (rc == MT_ENOTFOUND) {        /* not a drug: kept as typed */
        al->drug_name = NULL;
        al->rxcui = 0;
        rc = MT_OK;
    }
    return rc;                       /* MT_ENOMEM, MT_ECORRUPT (no search index): nothing saved */
}

int mt_apirec_allergies_list(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_allergy *list;
    size_t n, i;
    mt_jsonw w;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_allergy_list(c->st, c->cred.user_id, p.id, &req->arena, &list, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "allergy");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "allergies");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++)
        mt_recjson_w_allergy(&w, &list[i]);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

int mt_apirec_allergies_create(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_allergy in, out;
    mt_rec_errors e;
    json_t *doc;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    mt_rec_allergy_init(&in);
    mt_recjson_allergy(doc, 0, &in, &e);
    mt_rec_allergy_check(&in, &e);
    if (e.n)
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid allergy", &e);
    else if ((rc = resolve_allergy(req, &in)) != MT_OK ||
             (rc = mt_store_allergy_create(c->st, c->cred.user_id, p.id, &in, &req->arena, &out)) != MT_OK)
        rc = mt_apirec_fail(req, rc, "allergy");
    else
        rc = one_allergy(req, &out, 201);
    json_decref(doc);
    return rc;
}

int mt_apirec_allergy_get(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_allergy al;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_allergy_get(c->st, c->cred.user_id, p.id, c->ids[1], &req->arena, &al);
    return rc == MT_OK ? one_allergy(req, &al, 200) : mt_apirec_fail(req, rc, "allergy");
}

int mt_apirec_allergy_patch(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_allergy al, out;
    mt_rec_errors e;
    json_t *doc;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_allergy_get(c->st, c->cred.user_id, p.id, c->ids[1], &req->arena, &al);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "allergy");
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    mt_recjson_allergy(doc, 1, &al, &e);
    mt_rec_allergy_check(&al, &e);
    if (e.n)
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid allergy", &e);
    else if ((rc = resolve_allergy(req, &al)) != MT_OK ||
             (rc = mt_store_allergy_update(c->st, c->cred.user_id, p.id, &al, &req->arena, &out)) != MT_OK)
        rc = mt_apirec_fail(req, rc, "allergy");
    else
        rc = one_allergy(req, &out, 200);
    json_decref(doc);
    return rc;
}

int mt_apirec_allergy_delete(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_allergy_delete(c->st, c->cred.user_id, p.id, c->ids[1]);
    return rc == MT_OK ? no_content(req) : mt_apirec_fail(req, rc, "allergy");
}

/* --- conditions ------------------------------------------------------------------------ */

static int one_condition(mt_http_req *req, const mt_rec_condition *cd, unsigned status)
{
    mt_jsonw w;
    mt_apirec_begin(req, &w);
    mt_recjson_w_condition(&w, cd);
    return mt_apirec_done(req, &w, status);
}

int mt_apirec_conditions_list(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_condition *list;
    size_t n, i;
    mt_jsonw w;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_condition_list(c->st, c->cred.user_id, p.id, &req->arena, &list, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "condition");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "conditions");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++)
        mt_recjson_w_condition(&w, &list[i]);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

int mt_apirec_conditions_create(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_condition in, out;
    mt_rec_errors e;
    json_t *doc;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    mt_rec_condition_init(&in);
    mt_recjson_condition(doc, 0, &in, &e);
    mt_rec_condition_check(&in, &e);
    if (e.n)
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid condition", &e);
    else if ((rc = mt_store_condition_create(c->st, c->cred.user_id, p.id, &in, &req->arena, &out)) != MT_OK)
        rc = mt_apirec_fail(req, rc, "condition");
    else
        rc = one_condition(req, &out, 201);
    json_decref(doc);
    return rc;
}

int mt_apirec_condition_get(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_condition cd;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_condition_get(c->st, c->cred.user_id, p.id, c->ids[1], &req->arena, &cd);
    return rc == MT_OK ? one_condition(req, &cd, 200) : mt_apirec_fail(req, rc, "condition");
}

int mt_apirec_condition_patch(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_condition cd, out;
    mt_rec_errors e;
    json_t *doc;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_condition_get(c->st, c->cred.user_id, p.id, c->ids[1], &req->arena, &cd);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "condition");
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    mt_recjson_condition(doc, 1, &cd, &e);
    mt_rec_condition_check(&cd, &e);
    if (e.n)
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid condition", &e);
    else if ((rc = mt_store_condition_update(c->st, c->cred.user_id, p.id, &cd, &req->arena, &out)) != MT_OK)
        rc = mt_apirec_fail(req, rc, "condition");
    else
        rc = one_condition(req, &out, 200);
    json_decref(doc);
    return rc;
}

int mt_apirec_condition_delete(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_condition_delete(c->st, c->cred.user_id, p.id, c->ids[1]);
    return rc == MT_OK ? no_content(req) : mt_apirec_fail(req, rc, "condition");
}

/* --- the dose log ---------------------------------------------------------------------- */

int mt_apirec_doses_list(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_dose *list;
    size_t n, i;
    mt_jsonw w;
    long limit, med;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    limit = mt_apirec_uarg(req, "limit", 100, 1, MT_STORE_LIST_MAX);
    med = limit < 0 ? -1 : mt_apirec_uarg(req, "medication", 0, 1, 0x7fffffffL);
    if (limit < 0 || med < 0)
        return MT_OK;
    rc = mt_store_dose_list(c->st, c->cred.user_id, p.id, med, (unsigned)limit, &req->arena, &list, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "dose");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "doses");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++)
        mt_recjson_w_dose(&w, &list[i]);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

int mt_apirec_doses_create(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    mt_rec_dose in, out;
    mt_rec_errors e;
    mt_jsonw w;
    json_t *doc;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    doc = mt_apirec_body(req, NULL);
    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    memset(&in, 0, sizeof(in));
    mt_recjson_dose(doc, &in, &e);
    if (!e.n && !mt_rec_text_ok(in.notes, MT_REC_NOTES_MAX, 1))
        mt_rec_err(&e, "notes", "is too long");
    if (e.n) {
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid dose", &e);
        goto done;
    }
    rc = mt_store_dose_create(c->st, c->cred.user_id, p.id, &in, &req->arena, &out);
    if (rc == MT_ENOTFOUND) {
        mt_rec_err(&e, "medication_id", "is not a medication of this profile");
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid dose", &e);
        goto done;
    }
    if (rc != MT_OK) {
        rc = mt_apirec_fail(req, rc, "dose");
        goto done;
    }
    mt_apirec_begin(req, &w);
    mt_recjson_w_dose(&w, &out);
    rc = mt_apirec_done(req, &w, 201);
done:
    json_decref(doc);
    return rc;
}

int mt_apirec_dose_delete(mt_http_req *req, mt_apirec *c)
{
    mt_rec_profile p;
    int rc;
    if (mt_apirec_profile(req, c, &p) != MT_OK)
        return MT_OK;
    rc = mt_store_dose_delete(c->st, c->cred.user_id, p.id, c->ids[1]);
    return rc == MT_OK ? no_content(req) : mt_apirec_fail(req, rc, "dose");
}
