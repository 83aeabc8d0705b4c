/*
** store.h — the one storage interface of the medication records, with two
** backends behind it: SQLite (the embedded default: a file, WAL, durable
** commits) and PostgreSQL (libpq, `postgres://...`, for several servers over
** one database). Everything a person can see or change goes through these
** functions; the same test suite runs against both backends (t/records/).
**
** Authorization lives HERE, not only in the handlers: every function that
** reads or changes a person's data takes the user id, and every statement
** is scoped by it (WHERE user_id = ...). Another user's profile, medication
** or dose is MT_ENOTFOUND, exactly as if it did not exist, so no caller can
** tell "not yours" from "no such thing". Child rows carry composite foreign
** keys (profile_id, user_id) -> profiles(id, user_id), so even a buggy
** caller cannot attach a row to someone else's profile.
**
** Durability: a function returns MT_OK only after its transaction has
** committed durably (SQLite: WAL with synchronous=FULL; PostgreSQL:
** synchronous_commit on). Each change writes its audit-log row in the same
** transaction. A failed call changes nothing.
**
** Threads: a store is a pool of connections guarded by a mutex; any number
** of threads may call at once. A call that waits more than
** MT_STORE_WAIT_MS for a connection fails with MT_EBUSY.
**
** Memory: records returned are allocated in the caller's arena.
*/
#ifndef MT_STORE_H
#define MT_STORE_H

#include <stddef.h>

#include "records/records.h"
#include "util/arena.h"

#define MT_STORE_WAIT_MS      10000
#define MT_STORE_DEFAULT_FILE "materia-records.db"
#define MT_STORE_LIST_MAX     1000     /* rows one list call returns at most */

typedef struct mt_store mt_store;

typedef struct mt_store_opts {
    unsigned pool;          /* connections; 0 = 4 */
} mt_store_opts;

/* The records database to use when none is given: $MATERIA_DB when set and
** not empty, else MT_STORE_DEFAULT_FILE (in the working directory). */
const char *mt_store_default_url(void);

/* Opens url: "postgres://..." or "postgresql://..." is PostgreSQL, anything
** else a SQLite file path (created when missing; "sqlite:" prefix allowed).
** Brings the schema to the current version (migrations, numbered in the
** schema_version table, run under a lock so that two servers starting at
** once do not race). On failure a one-line reason is left in err. */
int  mt_store_open(mt_store **st, const char *url, const mt_store_opts *o,
                   char *err, size_t errsz);
void mt_store_close(mt_store *st);
/* "sqlite" or "postgresql". */
const char *mt_store_backend_name(const mt_store *st);
/* The schema version now in the database. */
int  mt_store_schema_version(mt_store *st, int *version);
/* The number of migrations this build knows (the current schema version). */
int  mt_store_schema_latest(void);

/* --- accounts ------------------------------------------------------------------ */

/* MT_EEXIST when the name is taken. pw_hash is the Argon2id string. */
int mt_store_user_create(mt_store *st, const char *username, const char *pw_hash,
                         mt_arena *a, mt_rec_user *out);
/* MT_ENOTFOUND for an unknown name. *pw_hash in the arena. */
int mt_store_user_find(mt_store *st, const char *username, mt_arena *a,
                       mt_rec_user *out, const char **pw_hash);
int mt_store_user_set_hash(mt_store *st, mt_id user, const char *pw_hash);

/* Credentials: browser sessions and API bearer tokens, found by the SHA-256
** of the token (the token itself is never stored). */
enum { MT_CRED_SESSION = 1, MT_CRED_API_TOKEN = 2 };

typedef struct mt_rec_cred {
    mt_id       id, user_id;
    int         kind;          /* MT_CRED_* */
    const char *username;
    const char *label;         /* API tokens: what the user called it */
    const char *csrf_hash;     /* sessions: SHA-256 (hex) of the CSRF token */
    long long   created_at, expires_at;
} mt_rec_cred;

int mt_store_cred_create(mt_store *st, mt_id user, int kind, const char *token_hash,
                         const char *csrf_hash, const char *label, long long expires_at,
                         mt_id *id);
/* The live credential with this token hash (expired ones are MT_ENOTFOUND). */
int mt_store_cred_find(mt_store *st, const char *token_hash, long long now,
                       mt_arena *a, mt_rec_cred *out);
/* Deletes credential id of user (a logout, a revoked token); kind 0 = any. */
int mt_store_cred_delete(mt_store *st, mt_id user, mt_id id, int kind);
int mt_store_cred_list(mt_store *st, mt_id user, int kind, long long now, mt_arena *a,
                       mt_rec_cred **out, size_t *n);

/* Failed logins, for rate limiting across every server on the database.
** key is "user:NAME" or "addr:ADDRESS". */
int mt_store_fail_add(mt_store *st, const char *key, long long now);
/* Failures of key since `since`, and the oldest of them (0 when none). */
int mt_store_fail_count(mt_store *st, const char *key, long long since,
                        unsigned *count, long long *oldest);
int mt_store_fail_clear(mt_store *st, const char *key);
/* Forgets failures older than `before` and credentials expired before it. */
int mt_store_expire(mt_store *st, long long before);

/* Adds an audit row outside a data change (a login, a logout). */
int mt_store_audit_add(mt_store *st, mt_id user, const char *entity, mt_id entity_id,
                       const char *action, const char *detail);
/* The user's audit log, newest first; before_id 0 = from the newest. */
int mt_store_audit_list(mt_store *st, mt_id user, unsigned limit, mt_id before_id,
                        mt_arena *a, mt_rec_audit **out, size_t *n);

/* --- profiles ------------------------------------------------------------------ */

int mt_store_profile_create(mt_store *st, mt_id user, const mt_rec_profile *in,
                            mt_arena *a, mt_rec_profile *out);
int mt_store_profile_list(mt_store *st, mt_id user, mt_arena *a,
                          mt_rec_profile **out, size_t *n);
int mt_store_profile_get(mt_store *st, mt_id user, mt_id profile, mt_arena *a,
                         mt_rec_profile *out);
/* Replaces name, relation, birth_date of in->id. */
int mt_store_profile_update(mt_store *st, mt_id user, const mt_rec_profile *in,
                            mt_arena *a, mt_rec_profile *out);
/* Deletes the profile and everything in it. */
int mt_store_profile_delete(mt_store *st, mt_id user, mt_id profile);
/* Sets the hash of the profile's calendar token (NULL revokes it). */
int mt_store_profile_set_calendar(mt_store *st, mt_id user, mt_id profile,
                                  const char *token_hash);
/* The profile whose calendar token has this hash (out->user_id is its owner). */
int mt_store_profile_by_calendar(mt_store *st, const char *token_hash, mt_arena *a,
                                 mt_rec_profile *out);

/* --- a profile's records ---------------------------------------------------------
** All take (user, profile). _create fills out with the stored row (id,
** timestamps); MT_ELIMIT beyond the per-profile limits. _update replaces
** every field of in->id but the drug fields of a medication. */

int mt_store_med_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_med *in,
                        mt_arena *a, mt_rec_med *out);
/* which: 1 active only, 0 stopped only, -1 all. */
int mt_store_med_list(mt_store *st, mt_id user, mt_id profile, int which, mt_arena *a,
                      mt_rec_med **out, size_t *n);
int mt_store_med_get(mt_store *st, mt_id user, mt_id profile, mt_id med, mt_arena *a,
                     mt_rec_med *out);
int mt_store_med_update(mt_store *st, mt_id user, mt_id profile, const mt_rec_med *in,
                        mt_arena *a, mt_rec_med *out);
int mt_store_med_delete(mt_store *st, mt_id user, mt_id profile, mt_id med);

int mt_store_allergy_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_allergy *in,
                            mt_arena *a, mt_rec_allergy *out);
int mt_store_allergy_list(mt_store *st, mt_id user, mt_id profile, mt_arena *a,
                          mt_rec_allergy **out, size_t *n);
int mt_store_allergy_get(mt_store *st, mt_id user, mt_id profile, mt_id id, mt_arena *a,
                         mt_rec_allergy *out);
int mt_store_allergy_update(mt_store *st, mt_id user, mt_id profile, const mt_rec_allergy *in,
                            mt_arena *a, mt_rec_allergy *out);
int mt_store_allergy_delete(mt_store *st, mt_id user, mt_id profile, mt_id id);

int mt_store_condition_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_condition *in,
                              mt_arena *a, mt_rec_condition *out);
int mt_store_condition_list(mt_store *st, mt_id user, mt_id profile, mt_arena *a,
                            mt_rec_condition **out, size_t *n);
int mt_store_condition_get(mt_store *st, mt_id user, mt_id profile, mt_id id, mt_arena *a,
                           mt_rec_condition *out);
int mt_store_condition_update(mt_store *st, mt_id user, mt_id profile, const mt_rec_condition *in,
                              mt_arena *a, mt_rec_condition *out);
int mt_store_condition_delete(mt_store *st, mt_id user, mt_id profile, mt_id id);

/* Logs a dose of in->med_id (which must be the profile's: MT_ENOTFOUND
** otherwise). A taken dose lowers the medication's stock by its dose amount
** (1 when it has none), not below 0, in the same transaction. */
int mt_store_dose_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_dose *in,
                         mt_arena *a, mt_rec_dose *out);
/* Newest first; med 0 = every medication of the profile. */
int mt_store_dose_list(mt_store *st, mt_id user, mt_id profile, mt_id med, unsigned limit,
                       mt_arena *a, mt_rec_dose **out, size_t *n);
int mt_store_dose_delete(mt_store *st, mt_id user, mt_id profile, mt_id id);
/* The dose log as the exports carry it: the `max` most recent doses of the
** profile (0 or more than MT_STORE_LIST_MAX: MT_STORE_LIST_MAX), oldest first;
** *truncated = 1 when the log holds older ones than those. */
int mt_store_dose_export(mt_store *st, mt_id user, mt_id profile, unsigned max, mt_arena *a,
                         mt_rec_dose **out, size_t *n, int *truncated);

/* Stores everything of an import into the profile in ONE transaction: all
** rows or none. */
int mt_store_import(mt_store *st, mt_id user, mt_id profile,
                    const mt_rec_med *meds, size_t nmeds,
                    const mt_rec_allergy *allergies, size_t nallergies,
                    const mt_rec_condition *conditions, size_t nconditions);

#endif /* MT_STORE_H */
