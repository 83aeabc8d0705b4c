/*
** recjson.h — the JSON shapes of the records API (docs/reference/records.md): reading
** a request body into a record, field by field, and writing records out.
**
** Reading is strict: an unknown member, a value of the wrong type, a number
** out of range, a date that does not exist are each an error naming the
** member ("dose_amount", "schedule.times[1]"); nothing is stored unless the
** whole body is valid. A create starts from an empty record; a patch starts
** from the stored record and changes only the members present (null clears
** an optional member).
*/
#ifndef MT_RECJSON_H
#define MT_RECJSON_H

#include <jansson.h>

#include "records/records.h"
#include "records/store.h"
#include "util/jsonw.h"

/* Parses body (len bytes) as a JSON object: the document (free it with
** json_decref) and *rc = MT_OK; or NULL and *rc = MT_EINVAL (not a JSON
** object: the reason in e, field "body") or MT_ENOMEM (nothing in e). */
json_t *mt_recjson_load(const char *body, size_t len, mt_rec_errors *e, int *rc);

/* Apply the members of obj to the record (patch: only those present). The
** strings point into obj or the arena; keep obj alive while the record is used.
** The medication's "drug" member is read only when !patch (a patch naming it
** is an error: stop the medication and add the new one). */
void mt_recjson_profile(json_t *obj, int patch, mt_rec_profile *p, mt_rec_errors *e);
void mt_recjson_med(json_t *obj, int patch, mt_arena *a, mt_rec_med *m, mt_rec_errors *e);
void mt_recjson_allergy(json_t *obj, int patch, mt_rec_allergy *al, mt_rec_errors *e);
void mt_recjson_condition(json_t *obj, int patch, mt_rec_condition *c, mt_rec_errors *e);
void mt_recjson_dose(json_t *obj, mt_rec_dose *d, mt_rec_errors *e);

/* Writers: one JSON object each. */
void mt_recjson_w_user(mt_jsonw *w, const mt_rec_user *u);
void mt_recjson_w_profile(mt_jsonw *w, const mt_rec_profile *p);
void mt_recjson_w_med(mt_jsonw *w, const mt_rec_med *m);
void mt_recjson_w_allergy(mt_jsonw *w, const mt_rec_allergy *al);
void mt_recjson_w_condition(mt_jsonw *w, const mt_rec_condition *c);
void mt_recjson_w_dose(mt_jsonw *w, const mt_rec_dose *d);
void mt_recjson_w_audit(mt_jsonw *w, const mt_rec_audit *x);
void mt_recjson_w_cred(mt_jsonw *w, const mt_rec_cred *c);
/* An instant as ISO 8601 UTC, or null for 0. */
void mt_recjson_w_instant(mt_jsonw *w, const char *key, long long t);

/* Whether m's stock is at or below its refill threshold. */
int mt_recjson_refill_due(const mt_rec_med *m);

#endif /* MT_RECJSON_H */
