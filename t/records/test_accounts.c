/*
** test_accounts.c — accounts on a real store: Argon2id registration,
** login, the same answer for a wrong password and an unknown user, rate
** limiting per username and per address that expires with its window,
** tokens stored only as hashes, CSRF. Hashing is real (64 MiB each), so the
** test keeps the number of logins small.
*/
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "materia/status.h"
#include "records/accounts.h"
#include "records/rectest.h"

TEST(records_accounts_register_login_tokens)
{
    rt_backend bk[2];
    int nb = rt_backends(bk), i;
    for (i = 0; i < nb; i++) {
        mt_store *st = rt_open(&bk[i], 2);
        mt_rec_errors e;
        mt_rec_user u;
        mt_acct_session s;
        mt_rec_cred c;
        mt_arena a;
        long long retry = 0, exp = 0;
        char tok[MT_ACCT_TOKEN_MAX], hex[MT_ACCT_HASH_HEX];
        const char *hash = NULL;
        mt_id tid = 0;

        mt_arena_init(&a, 4096, 0);
        if (!st)
            goto next;
        memset(&e, 0, sizeof(e));
        CHECK_EQ_INT(mt_acct_register(st, "a", "short", &e, &a, &u), MT_EINVAL);
        CHECK_EQ_INT(e.n, 2);
        CHECK_STR(e.e[0].field, "username");
        CHECK_STR(e.e[1].field, "password");
        memset(&e, 0, sizeof(e));
        REQUIRE_EQ_INT(mt_acct_register(st, "Alice@Example.org", "correct horse battery", &e, &a, &u), MT_OK);
        CHECK_STR(u.username, "alice@example.org");
        CHECK_EQ_INT(mt_acct_register(st, "alice@example.org", "another password", &e, &a, &u), MT_EEXIST);
        CHECK_EQ_INT(mt_store_user_find(st, "alice@example.org", &a, &u, &hash), MT_OK);
        CHECK(hash && strncmp(hash, "$argon2id$", 10) == 0);
        CHECK(!strstr(hash, "correct horse"));

        CHECK_EQ_INT(mt_acct_login(st, "ALICE@example.org", "correct horse battery", "10.0.0.1", &a, &s, &retry),
                     MT_OK);
        CHECK_EQ_INT(strlen(s.token), 43);
        CHECK_EQ_INT(strlen(s.csrf), 43);
        CHECK(strcmp(s.token, s.csrf) != 0);
        CHECK_EQ_INT(mt_acct_authenticate(st, s.token, &a, &c), MT_OK);
        CHECK_EQ_INT(c.user_id, u.id);
        CHECK_EQ_INT(c.kind, MT_CRED_SESSION);
        CHECK(mt_acct_csrf_ok(&c, s.csrf));
        CHECK(!mt_acct_csrf_ok(&c, s.token));
        CHECK(!mt_acct_csrf_ok(&c, ""));
        CHECK(!mt_acct_csrf_ok(&c, NULL));
        /* the store holds the hash, never the token */
        mt_acct_token_hash(s.token, hex);
        CHECK_EQ_INT(mt_store_cred_find(st, s.token, mt_rec_now(), &a, &c), MT_ENOTFOUND);
        CHECK_EQ_INT(mt_store_cred_find(st, hex, mt_rec_now(), &a, &c), MT_OK);
        CHECK_EQ_INT(mt_acct_authenticate(st, "not-a-token-at-all-but-long", &a, &c), MT_ENOTFOUND);
        /* API tokens */
        CHECK_EQ_INT(mt_acct_token_create(st, u.id, "ci", 0, tok, &tid, &exp), MT_EINVAL);
        CHECK_EQ_INT(mt_acct_token_create(st, u.id, "ci", 30, tok, &tid, &exp), MT_OK);
        CHECK_EQ_INT(mt_acct_authenticate(st, tok, &a, &c), MT_OK);
        CHECK_EQ_INT(c.kind, MT_CRED_API_TOKEN);
        CHECK(c.csrf_hash == NULL);
        CHECK(!mt_acct_csrf_ok(&c, "anything"));
        /* logout = the session row is gone */
        CHECK_EQ_INT(mt_acct_authenticate(st, s.token, &a, &c), MT_OK);
        CHECK_EQ_INT(mt_store_cred_delete(st, u.id, c.id, 0), MT_OK);
        CHECK_EQ_INT(mt_acct_authenticate(st, s.token, &a, &c), MT_ENOTFOUND);
        /* an expired session is refused */
        mt_rec_clock_set(mt_rec_now() + 31LL * 86400);
        CHECK_EQ_INT(mt_acct_authenticate(st, tok, &a, &c), MT_ENOTFOUND);
        mt_rec_clock_set(0);
    next:
        mt_arena_free(&a);
        mt_store_close(st);
        rt_drop(&bk[i]);
    }
}

TEST(records_accounts_rate_limit)
{
    rt_backend bk[2];
    int nb = rt_backends(bk);
    mt_store *st = rt_open(&bk[0], 2);   /* the limit logic is the same on both: one backend */
    mt_rec_errors e;
    mt_rec_user u;
    mt_acct_session s;
    mt_arena a;
    long long retry = 0, t0 = 1800000000;
    unsigned i;
    int rc;

    mt_arena_init(&a, 4096, 0);
    REQUIRE(st);
    memset(&e, 0, sizeof(e));
    mt_rec_clock_set(t0);
    REQUIRE_EQ_INT(mt_acct_register(st, "bob", "a long enough password", &e, &a, &u), MT_OK);
    /* a wrong password and an unknown user give the same answer */
    CHECK_EQ_INT(mt_acct_login(st, "nobody", "whatever password", "10.0.0.2", &a, &s, &retry), MT_EDENIED);
    for (i = 0; i < mt_acct_limits_get()->max_fail_user; i++) {
        mt_rec_clock_set(t0 + i);
        CHECK_EQ_INT(mt_acct_login(st, "bob", "wrong password!", "10.0.0.1", &a, &s, &retry), MT_EDENIED);
    }
    mt_rec_clock_set(t0 + 10);
    /* locked: even the right password, and without hashing */
    rc = mt_acct_login(st, "bob", "a long enough password", "10.0.0.9", &a, &s, &retry);
    CHECK_EQ_INT(rc, MT_ELIMIT);
    CHECK_EQ_INT(retry, (long long)mt_acct_limits_get()->window - 10);
    /* the window passes */
    mt_rec_clock_set(t0 + mt_acct_limits_get()->window + 5);
    CHECK_EQ_INT(mt_acct_login(st, "bob", "a long enough password", "10.0.0.9", &a, &s, &retry), MT_OK);
    mt_rec_clock_set(0);
    mt_arena_free(&a);
    mt_store_close(st);
    for (i = 0; i < (unsigned)nb; i++)
        rt_drop(&bk[i]);
}

TEST(records_accounts_rate_limit_per_address)
{
    rt_backend bk[2];
    int nb = rt_backends(bk), i;
    mt_store *st = rt_open(&bk[0], 2);
    mt_acct_session s;
    mt_arena a;
    long long retry = 0;
    char key[64];
    unsigned k;

    mt_arena_init(&a, 4096, 0);
    REQUIRE(st);
    /* failures recorded by other servers count too: they are rows in the store */
    for (k = 0; k < mt_acct_limits_get()->max_fail_addr; k++)
        CHECK_EQ_INT(mt_store_fail_add(st, "addr:192.0.2.7", mt_rec_now()), MT_OK);
    snprintf(key, sizeof(key), "someone");
    CHECK_EQ_INT(mt_acct_login(st, key, "any password here", "192.0.2.7", &a, &s, &retry), MT_ELIMIT);
    CHECK(retry > 0);
    CHECK_EQ_INT(mt_acct_login(st, key, "any password here", "192.0.2.8", &a, &s, &retry), MT_EDENIED);
    mt_arena_free(&a);
    mt_store_close(st);
    for (i = 0; i < nb; i++)
        rt_drop(&bk[i]);
}

/* --- the cap on concurrent Argon2id hashes ------------------------------------------ */

typedef struct hasher {
    pthread_barrier_t *start;
    int rc;
} hasher;

/* All six ask at once (the barrier): without it, a slow or serialised
** scheduler (valgrind runs one thread at a time) let each thread finish
** before the next one asked, and nobody was ever refused. */
static void *hash_one(void *arg)
{
    hasher *h = arg;
    char out[256];
    pthread_barrier_wait(h->start);
    h->rc = mt_acct_password_hash("a password to hash", out, sizeof(out));
    return NULL;
}

TEST(records_accounts_hash_slots_are_bounded)
{
    mt_acct_limits l, saved = *mt_acct_limits_get();
    pthread_t th[6];
    pthread_barrier_t start;
    hasher h[6];
    int i, ok = 0, busy = 0;
    REQUIRE_EQ_INT(mt_acct_init(), MT_OK);
    REQUIRE_EQ_INT(pthread_barrier_init(&start, NULL, 6), 0);
    memset(&l, 0, sizeof(l));
    l.hash_wait_ms = 1;           /* callers beyond the slots give up at once */
    mt_acct_configure(&l);
    for (i = 0; i < 6; i++) {
        h[i].start = &start;
        pthread_create(&th[i], NULL, hash_one, &h[i]);
    }
    for (i = 0; i < 6; i++) {
        pthread_join(th[i], NULL);
        ok += h[i].rc == MT_OK;
        busy += h[i].rc == MT_EBUSY;
    }
    pthread_barrier_destroy(&start);
    mt_acct_configure(&saved);
    CHECK_EQ_INT(ok + busy, 6);
    CHECK(ok >= 1 && ok <= 5);     /* at most hash_slots (2) at a time: with a 1 ms wait, some are refused */
    CHECK(busy >= 1);
}

TEST(records_accounts_invalid_names_never_reach_an_account)
{
    /* A login with a malformed username used to be looked up as the valid
    ** username "-invalid-": whoever registered that name received everyone's
    ** typos (and lockouts). */
    rt_backend bk[2];
    int nb = rt_backends(bk), i;
    for (i = 0; i < nb; i++) {
        mt_store *st = rt_open(&bk[i], 2);
        mt_rec_errors e;
        mt_rec_user u;
        mt_acct_session s;
        mt_arena a;
        long long retry = 0;

        mt_arena_init(&a, 4096, 0);
        if (!st)
            goto next;
        memset(&e, 0, sizeof(e));
        REQUIRE_EQ_INT(mt_acct_register(st, "-invalid-", "correct horse battery", &e, &a, &u), MT_OK);
        CHECK(mt_acct_login(st, "bad name!", "correct horse battery", "10.0.0.9", &a, &s, &retry) != MT_OK);
        CHECK_EQ_INT(mt_acct_login(st, "-invalid-", "correct horse battery", "10.0.0.9", &a, &s, &retry), MT_OK);
    next:
        mt_arena_free(&a);
        mt_store_close(st);
        rt_drop(&bk[i]);
    }
}
