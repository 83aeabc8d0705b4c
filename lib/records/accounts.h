/*
** accounts.h — accounts, sessions, API tokens, login rate limiting and CSRF
** for the medication records (docs/reference/records.md, "Security choices").
**
** Passwords are hashed with Argon2id (libsodium crypto_pwhash_str,
** OPSLIMIT/MEMLIMIT_INTERACTIVE: 2 passes over 64 MiB). A hash costs that
** memory for ~0.1 s, so at most `hash_slots` run at once (a counting
** semaphore); a caller that cannot get a slot within hash_wait_ms gets
** MT_EBUSY (the API answers 503 with Retry-After) instead of letting a burst
** of logins exhaust memory.
**
** Session and API tokens are 32 random bytes (randombytes_buf) written as
** base64url (43 characters). Only their SHA-256 is stored, so a copy of the
** database does not let anyone log in. A session also has a CSRF token
** (same construction, stored hashed) that cookie-authenticated writes must
** echo in the X-CSRF-Token header.
**
** Failed logins are counted in the database per username and per client
** address over a sliding window, so the limit holds across every server
** sharing the database. An unknown username costs the same hash as a known
** one (a dummy hash is verified), so timing does not reveal which names exist.
*/
#ifndef MT_ACCOUNTS_H
#define MT_ACCOUNTS_H

#include "records/records.h"
#include "records/store.h"

#define MT_ACCT_TOKEN_MAX 64      /* buffer for a token: 43 characters and a NUL */
#define MT_ACCT_HASH_HEX  65      /* SHA-256 in hex and a NUL */

typedef struct mt_acct_limits {
    unsigned max_fail_user;   /* failed logins per username in the window: 5 */
    unsigned max_fail_addr;   /* per client address: 20 (many people share an address) */
    unsigned window;          /* seconds: 900 */
    unsigned hash_slots;      /* concurrent Argon2id computations: 2 */
    unsigned hash_wait_ms;    /* how long a caller waits for a slot: 5000 */
    unsigned session_ttl;     /* seconds a browser session lives: 7 days */
} mt_acct_limits;

/* The limits in force; mt_acct_configure replaces them (before the first
** hash: the semaphore is sized once). A zero field keeps its default. */
void mt_acct_configure(const mt_acct_limits *l);
const mt_acct_limits *mt_acct_limits_get(void);

/* Initialises libsodium once. MT_OK or MT_EIO. */
int  mt_acct_init(void);

/* Lower-cases username into out (MT_REC_USERNAME_MAX + 1 bytes); 1 when it is
** 3..64 of [a-z0-9._@-]. */
int  mt_acct_username_norm(const char *username, char *out);

/* Creates an account. Bad fields are listed in e (MT_EINVAL); MT_EEXIST
** when the name is taken; MT_EBUSY when no hash slot freed in time. */
int  mt_acct_register(mt_store *st, const char *username, const char *password,
                      mt_rec_errors *e, mt_arena *a, mt_rec_user *out);

typedef struct mt_acct_session {
    mt_rec_user user;
    mt_id       id;                         /* the credential */
    char        token[MT_ACCT_TOKEN_MAX];   /* the session token: goes in the cookie only */
    char        csrf[MT_ACCT_TOKEN_MAX];    /* echo in X-CSRF-Token */
    long long   expires_at;
} mt_acct_session;

/* Logs in. MT_OK and *out; MT_EDENIED (wrong name or password: the same
** answer for both); MT_ELIMIT (too many failures: *retry_after seconds);
** MT_EBUSY (no hash slot). client is the client's address (rate limit key). */
int  mt_acct_login(mt_store *st, const char *username, const char *password, const char *client,
                   mt_arena *a, mt_acct_session *out, long long *retry_after);

/* The live credential a token (from a cookie or a bearer header) names;
** MT_ENOTFOUND for an unknown, revoked or expired token. */
int  mt_acct_authenticate(mt_store *st, const char *token, mt_arena *a, mt_rec_cred *out);

/* Whether header is the CSRF token of session c (constant-time compare). */
int  mt_acct_csrf_ok(const mt_rec_cred *c, const char *header);

/* Creates an API bearer token for user, valid `days` (1..365). */
int  mt_acct_token_create(mt_store *st, mt_id user, const char *label, unsigned days,
                          char token[MT_ACCT_TOKEN_MAX], mt_id *id, long long *expires_at);

/* A fresh random token (32 bytes, base64url) and the SHA-256 hex of a token. */
int  mt_acct_random_token(char out[MT_ACCT_TOKEN_MAX]);
void mt_acct_token_hash(const char *token, char hex[MT_ACCT_HASH_HEX]);

/* Argon2id of password under the hash-slot semaphore (the CLI uses it too). */
int  mt_acct_password_hash(const char *password, char *out, size_t outsz);

#endif /* MT_ACCOUNTS_H */
