/*
** api_records.h — what the records handlers share (api_records.c,
** api_records_data.c, api_records_export.c): the request context with the
** authenticated caller and the ids from the path, and the helpers that turn
** store statuses and field errors into problem+json.
*/
#ifndef MT_API_RECORDS_H
#define MT_API_RECORDS_H

#include <jansson.h>

#include "records/records.h"
#include "records/store.h"
#include "server/http.h"
#include "util/jsonw.h"

#define MT_APIREC_COOKIE "materia_session"

typedef struct mt_apirec {
    mt_store   *st;
    mt_rec_cred cred;        /* the caller (when the route needs one) */
    int         by_cookie;   /* authenticated by the session cookie (CSRF applies) */
    mt_id       ids[2];      /* the numeric path segments, in order */
} mt_apirec;

/* A problem with an "errors" member naming each bad field. */
int mt_apirec_errors(mt_http_req *req, unsigned status, const char *type, const char *title,
                     const mt_rec_errors *e);
/* A problem for a store status: ENOTFOUND 404, EEXIST/ELIMIT 409, EBUSY 503,
** EINVAL 422, anything else 500. `what` names the thing ("medication"). */
int mt_apirec_fail(mt_http_req *req, int rc, const char *what);
/* The request body as a JSON object; NULL after writing the problem (415 for
** another media type, 400 for invalid JSON). ctype_alt: a second accepted type. */
json_t *mt_apirec_body(mt_http_req *req, const char *ctype_alt);
/* Starts a JSON document in req->out; mt_apirec_done ends it with status. */
void mt_apirec_begin(mt_http_req *req, mt_jsonw *w);
int  mt_apirec_done(mt_http_req *req, mt_jsonw *w, unsigned status);
/* The profile of the path (ids[0]) if it is the caller's: else writes 404. */
int  mt_apirec_profile(mt_http_req *req, mt_apirec *c, mt_rec_profile *p);
/* A bounded unsigned query parameter; def when absent; -1 after writing a 422. */
long mt_apirec_uarg(mt_http_req *req, const char *name, long def, long min, long max);

/* Handlers: the route table in api_records.c lists them with their paths. */
typedef int (*mt_apirec_fn)(mt_http_req *req, mt_apirec *c);

int mt_apirec_profiles_list(mt_http_req *req, mt_apirec *c);
int mt_apirec_profiles_create(mt_http_req *req, mt_apirec *c);
int mt_apirec_profile_get(mt_http_req *req, mt_apirec *c);
int mt_apirec_profile_patch(mt_http_req *req, mt_apirec *c);
int mt_apirec_profile_delete(mt_http_req *req, mt_apirec *c);
int mt_apirec_meds_list(mt_http_req *req, mt_apirec *c);
int mt_apirec_meds_create(mt_http_req *req, mt_apirec *c);
int mt_apirec_med_get(mt_http_req *req, mt_apirec *c);
int mt_apirec_med_patch(mt_http_req *req, mt_apirec *c);
int mt_apirec_med_delete(mt_http_req *req, mt_apirec *c);
int mt_apirec_allergies_list(mt_http_req *req, mt_apirec *c);
int mt_apirec_allergies_create(mt_http_req *req, mt_apirec *c);
int mt_apirec_allergy_get(mt_http_req *req, mt_apirec *c);
int mt_apirec_allergy_patch(mt_http_req *req, mt_apirec *c);
int mt_apirec_allergy_delete(mt_http_req *req, mt_apirec *c);
int mt_apirec_conditions_list(mt_http_req *req, mt_apirec *c);
int mt_apirec_conditions_create(mt_http_req *req, mt_apirec *c);
int mt_apirec_condition_get(mt_http_req *req, mt_apirec *c);
int mt_apirec_condition_patch(mt_http_req *req, mt_apirec *c);
int mt_apirec_condition_delete(mt_http_req *req, mt_apirec *c);
int mt_apirec_doses_list(mt_http_req *req, mt_apirec *c);
int mt_apirec_doses_create(mt_http_req *req, mt_apirec *c);
int mt_apirec_dose_delete(mt_http_req *req, mt_apirec *c);

int mt_apirec_reminders(mt_http_req *req, mt_apirec *c);
int mt_apirec_check(mt_http_req *req, mt_apirec *c);
int mt_apirec_calendar_token(mt_http_req *req, mt_apirec *c);
int mt_apirec_calendar_revoke(mt_http_req *req, mt_apirec *c);
int mt_apirec_calendar(mt_http_req *req, mt_apirec *c);
int mt_apirec_export_fhir(mt_http_req *req, mt_apirec *c);
int mt_apirec_export_csv(mt_http_req *req, mt_apirec *c);
int mt_apirec_export_html(mt_http_req *req, mt_apirec *c);
int mt_apirec_import_fhir(mt_http_req *req, mt_apirec *c);

#endif /* MT_API_RECORDS_H */
