/*
** accounts.c — registration, login with rate limiting, sessions, API tokens
** and CSRF checks (accounts.h explains the choices).
*/
#include "records/accounts.h"

#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "materia/status.h"
#include "util/text.h"

static mt_acct_limits limits = { 5, 20, 900, 2, 5000, 7 * 86400 };
static pthread_once_t init_once = PTHREAD_ONCE_INIT;
static int init_rc = MT_EIO;
static sem_t hash_sem;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;
static char dummy_hash[crypto_pwhash_STRBYTES];

void mt_acct_configure(const mt_acct_limits *l)
{
    if (l->max_fail_user) limits.max_fail_user = l->max_fail_user;
    if (l->max_fail_addr) limits.max_fail_addr = l->max_fail_addr;
    if (l->window)        limits.window = l->window;
    if (l->hash_slots)    limits.hash_slots = l->hash_slots;
    if (l->hash_wait_ms)  limits.hash_wait_ms = l->hash_wait_ms;
    if (l->session_ttl)   limits.session_ttl = l->session_ttl;
}

const mt_acct_limits *mt_acct_limits_get(void) { return &limits; }

static void do_init(void)
{
    if (sodium_init() < 0)
        return;
    if (sem_init(&hash_sem, 0, limits.hash_slots ? limits.hash_slots : 1) != 0)
        return;
    init_rc = MT_OK;
}

int mt_acct_init(void)
{
    pthread_once(&init_once, do_init);
    return init_rc;
}

/* Waits for a hash slot at most hash_wait_ms. */
static int slot_take(void)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += limits.hash_wait_ms / 1000;
    until.tv_nsec += (long)(limits.hash_wait_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (sem_timedwait(&hash_sem, &until) != 0) {
        if (errno != EINTR)
            return MT_EBUSY;
    }
    return MT_OK;
}

static void slot_give(void) { sem_post(&hash_sem); }

int mt_acct_password_hash(const char *password, char *out, size_t outsz)
{
    int rc = mt_acct_init();
    if (rc != MT_OK)
        return rc;
    if (outsz < crypto_pwhash_STRBYTES)
        return MT_EINVAL;
    rc = slot_take();
    if (rc != MT_OK)
        return rc;
    if (crypto_pwhash_str(out, password, strlen(password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        rc = MT_ENOMEM;    /* libsodium fails only when it cannot get the memory */
    slot_give();
    return rc;
}

/* A hash of a random password: what an unknown username is verified against. */
static void make_dummy(void)
{
    char pw[MT_ACCT_TOKEN_MAX];
    if (mt_acct_random_token(pw) != MT_OK ||
        crypto_pwhash_str(dummy_hash, pw, strlen(pw), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
        dummy_hash[0] = '\0';
    sodium_memzero(pw, sizeof(pw));
}

int mt_acct_random_token(char out[MT_ACCT_TOKEN_MAX])
{
    unsigned char raw[32];
    if (mt_acct_init() != MT_OK)
        return MT_EIO;
    randombytes_buf(raw, sizeof(raw));
    sodium_bin2base64(out, MT_ACCT_TOKEN_MAX, raw, sizeof(raw), sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof(raw));
    return MT_OK;
}

void mt_acct_token_hash(const char *token, char hex[MT_ACCT_HASH_HEX])
{
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256(h, (const unsigned char *)token, strlen(token));
    sodium_bin2hex(hex, MT_ACCT_HASH_HEX, h, sizeof(h));
}

int mt_acct_username_norm(const char *username, char *out)
{
    size_t i, n = username ? strlen(username) : 0;
    if (n < MT_REC_USERNAME_MIN || n > MT_REC_USERNAME_MAX)
        return 0;
    for (i = 0; i < n; i++) {
        char c = username[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '@'))
            return 0;
        out[i] = c;
    }
    out[n] = '\0';
    return 1;
}

int mt_acct_register(mt_store *st, const char *username, const char *password, mt_rec_errors *e,
                     mt_arena *a, mt_rec_user *out)
{
    char name[MT_REC_USERNAME_MAX + 1];
    char hash[crypto_pwhash_STRBYTES];
    size_t plen = password ? strlen(password) : 0;
    int rc;

    if (!mt_acct_username_norm(username, name))
        mt_rec_err(e, "username", "must be %d to %d characters: letters, digits, '.', '_', '-', '@'",
                   MT_REC_USERNAME_MIN, MT_REC_USERNAME_MAX);
    if (!password || plen < MT_REC_PASSWORD_MIN || plen > MT_REC_PASSWORD_MAX || !mt_utf8_valid(password, plen))
        mt_rec_err(e, "password", "must be %d to %d bytes of UTF-8", MT_REC_PASSWORD_MIN, MT_REC_PASSWORD_MAX);
    if (e->n)
        return MT_EINVAL;
    rc = mt_acct_password_hash(password, hash, sizeof(hash));
    if (rc == MT_OK)
        rc = mt_store_user_create(st, name, hash, a, out);
    sodium_memzero(hash, sizeof(hash));
    return rc;
}

static long long retry_in(long long oldest, long long now)
{
    long long r = oldest + (long long)limits.window - now;
    return r > 0 ? r : 1;
}

int mt_acct_login(mt_store *st, const char *username, const char *password, const char *client,
                  mt_arena *a, mt_acct_session *out, long long *retry_after)
{
    char name[MT_REC_USERNAME_MAX + 1];
    char ukey[MT_REC_USERNAME_MAX + 8], akey[96];
    char th[MT_ACCT_HASH_HEX], ch[MT_ACCT_HASH_HEX];
    const char *stored = NULL;
    long long now = mt_rec_now(), oldest_u, oldest_a;
    unsigned fails_u, fails_a;
    int found, ok, rc;

    memset(out, 0, sizeof(*out));
    *retry_after = 0;
    rc = mt_acct_init();
    if (rc != MT_OK)
        return rc;
    if (!mt_acct_username_norm(username, name) || !password || strlen(password) > MT_REC_PASSWORD_MAX) {
        /* Counted like any wrong login, under a name no account can have
        ** (a space is never allowed in a username). */
        snprintf(name, sizeof(name), " invalid");
    }
    snprintf(ukey, sizeof(ukey), "user:%s", name);
    snprintf(akey, sizeof(akey), "addr:%.80s", client && *client ? client : "unknown");

    rc = mt_store_fail_count(st, ukey, now - limits.window, &fails_u, &oldest_u);
    if (rc == MT_OK)
        rc = mt_store_fail_count(st, akey, now - limits.window, &fails_a, &oldest_a);
    if (rc != MT_OK)
        return rc;
    if (fails_u >= limits.max_fail_user || fails_a >= limits.max_fail_addr) {
        long long ru = fails_u >= limits.max_fail_user ? retry_in(oldest_u, now) : 0;
        long long ra = fails_a >= limits.max_fail_addr ? retry_in(oldest_a, now) : 0;
        *retry_after = ru > ra ? ru : ra;
        return MT_ELIMIT;
    }

    rc = mt_store_user_find(st, name, a, &out->user, &stored);
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        return rc;
    found = rc == MT_OK && stored;
    if (!found)
        pthread_once(&dummy_once, make_dummy);
    rc = slot_take();
    if (rc != MT_OK)
        return rc;
    ok = password && crypto_pwhash_str_verify(found ? stored : dummy_hash, password, strlen(password)) == 0;
    slot_give();
    ok = ok && found;
    if (!ok) {
        rc = mt_store_fail_add(st, ukey, now);
        if (rc == MT_OK)
            rc = mt_store_fail_add(st, akey, now);
        if (rc == MT_OK && found)
            rc = mt_store_audit_add(st, out->user.id, "session", 0, "login-failed", NULL);
        memset(out, 0, sizeof(*out));
        return rc == MT_OK ? MT_EDENIED : rc;
    }
    if (crypto_pwhash_str_needs_rehash(stored, crypto_pwhash_OPSLIMIT_INTERACTIVE,
                                       crypto_pwhash_MEMLIMIT_INTERACTIVE) == 1) {
        char hash[crypto_pwhash_STRBYTES];
        if (mt_acct_password_hash(password, hash, sizeof(hash)) == MT_OK)
            mt_store_user_set_hash(st, out->user.id, hash);    /* best effort: the login stands */
    }
    rc = mt_store_fail_clear(st, ukey);
    if (rc == MT_OK)
        rc = mt_acct_random_token(out->token);
    if (rc == MT_OK)
        rc = mt_acct_random_token(out->csrf);
    if (rc != MT_OK)
        return rc;
    mt_acct_token_hash(out->token, th);
    mt_acct_token_hash(out->csrf, ch);
    out->expires_at = now + limits.session_ttl;
    rc = mt_store_cred_create(st, out->user.id, MT_CRED_SESSION, th, ch, NULL, out->expires_at, &out->id);
    if (rc == MT_OK)
        mt_store_expire(st, now - limits.window);    /* housekeeping; its failure does not matter */
    else
        memset(out, 0, sizeof(*out));
    return rc;
}

int mt_acct_authenticate(mt_store *st, const char *token, mt_arena *a, mt_rec_cred *out)
{
    char th[MT_ACCT_HASH_HEX];
    size_t n = token ? strlen(token) : 0;
    if (n < 16 || n >= MT_ACCT_TOKEN_MAX)
        return MT_ENOTFOUND;
    mt_acct_token_hash(token, th);
    return mt_store_cred_find(st, th, mt_rec_now(), a, out);
}

int mt_acct_csrf_ok(const mt_rec_cred *c, const char *header)
{
    char h[MT_ACCT_HASH_HEX];
    if (!c || !c->csrf_hash || strlen(c->csrf_hash) != MT_ACCT_HASH_HEX - 1 || !header || !*header ||
        strlen(header) >= MT_ACCT_TOKEN_MAX)
        return 0;
    mt_acct_token_hash(header, h);
    return sodium_memcmp(h, c->csrf_hash, MT_ACCT_HASH_HEX - 1) == 0;
}

int mt_acct_token_create(mt_store *st, mt_id user, const char *label, unsigned days,
                         char token[MT_ACCT_TOKEN_MAX], mt_id *id, long long *expires_at)
{
    char th[MT_ACCT_HASH_HEX];
    int rc;
    if (days < 1 || days > 365)
        return MT_EINVAL;
    rc = mt_acct_random_token(token);
    if (rc != MT_OK)
        return rc;
    mt_acct_token_hash(token, th);
    *expires_at = mt_rec_now() + (long long)days * 86400;
    return mt_store_cred_create(st, user, MT_CRED_API_TOKEN, th, NULL, label, *expires_at, id);
}
