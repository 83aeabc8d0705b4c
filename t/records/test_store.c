/*
** test_store.c — the records storage interface, on SQLite and (with
** MATERIA_TEST_PG) PostgreSQL: migrations, every kind of record round-trip,
** authorization in the storage layer (another user's rows are not found,
** cannot be changed, cannot be attached to), the dose log lowering stock,
** all-or-nothing imports, credentials, login failures, the audit log, and
** concurrent writers through the pool.
*/
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "materia/status.h"
#include "records/rectest.h"
#include "records/store.h"

typedef void (*body_fn)(mt_store *st, const rt_backend *B, mt_arena *a);

/* Runs body on a fresh store of every backend; cleans up even when it REQUIREs out. */
static void each_backend(body_fn body)
{
    rt_backend bk[2];
    int nb = rt_backends(bk), i;
    for (i = 0; i < nb; i++) {
        mt_store *st = rt_open(&bk[i], 4);
        mt_arena a;
        mt_arena_init(&a, 16 * 1024, 0);
        if (st)
            body(st, &bk[i], &a);
        mt_arena_free(&a);
        mt_store_close(st);
        rt_drop(&bk[i]);
    }
}

static mt_id profile_of(mt_store *st, mt_id user, const char *name, mt_arena *a)
{
    mt_rec_profile in, out;
    memset(&in, 0, sizeof(in));
    in.name = name;
    in.relation = "self";
    return mt_store_profile_create(st, user, &in, a, &out) == MT_OK ? out.id : 0;
}

static void records_store_migrations_are_versioned_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    int v = 0;
    mt_store *again;
    CHECK_EQ_INT(mt_store_schema_version(st, &v), MT_OK);
    CHECK_EQ_INT(v, mt_store_schema_latest());
    CHECK(v >= 1);
    CHECK_STR(mt_store_backend_name(st), B->name);
    /* reopening finds the schema current and changes nothing */
    again = rt_open(B, 1);
    REQUIRE(again);
    CHECK_EQ_INT(mt_store_schema_version(again, &v), MT_OK);
    CHECK_EQ_INT(v, mt_store_schema_latest());
    mt_store_close(again);
    (void)B;
}

TEST(records_store_migrations_are_versioned)
{
    each_backend(records_store_migrations_are_versioned_body);
}

static void records_store_users_unique_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_rec_user u;
    const char *hash = NULL;
    mt_id id = rt_user(st, "alice");
    CHECK(id > 0);
    CHECK_EQ_INT(mt_store_user_create(st, "alice", "x", a, &u), MT_EEXIST);
    CHECK_EQ_INT(mt_store_user_find(st, "alice", a, &u, &hash), MT_OK);
    CHECK_EQ_INT(u.id, id);
    CHECK_STR(hash, "$argon2id$not-a-real-hash");
    CHECK_EQ_INT(mt_store_user_find(st, "bob", a, &u, &hash), MT_ENOTFOUND);
    (void)B;
}

TEST(records_store_users_unique)
{
    each_backend(records_store_users_unique_body);
}

static void records_store_medication_round_trip_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id user = rt_user(st, "alice"), p = profile_of(st, user, "Me", a);
    mt_rec_med in = rt_med("Zoloft 50 mg", "sertraline", 36437, 2), out, got, *list;
    size_t n;
    REQUIRE(p > 0);
    in.strength = "50 mg";
    in.form = "tablet";
    in.dose_amount = 1.5;
    in.start_date = "2024-02-29";
    in.prescriber = "Dr. O'Brien; \"quoted\"";
    in.notes = "line one\nline two";
    in.stock = 30;
    in.refill_at = 7.5;
    in.sched_kind = MT_SCHED_CLOCK_TIMES;
    in.clock_times = "08:00,20:00";
    in.times_per_day = 2;
    REQUIRE_EQ_INT(mt_store_med_create(st, user, p, &in, a, &out), MT_OK);
    CHECK(out.id > 0);
    CHECK_EQ_INT(out.profile_id, p);
    CHECK(out.created_at > 0);
    REQUIRE_EQ_INT(mt_store_med_get(st, user, p, out.id, a, &got), MT_OK);
    CHECK_STR(got.drug_text, "Zoloft 50 mg");
    CHECK_STR(got.drug_name, "sertraline");
    CHECK_EQ_INT(got.rxcui, 36437);
    CHECK(got.product == NULL);
    CHECK_STR(got.strength, "50 mg");
    CHECK(got.dose_amount == 1.5);
    CHECK_STR(got.dose_unit, "tablet");
    CHECK_EQ_INT(got.sched_kind, MT_SCHED_CLOCK_TIMES);
    CHECK_STR(got.clock_times, "08:00,20:00");
    CHECK(isnan(got.max_per_day));
    CHECK_STR(got.start_date, "2024-02-29");
    CHECK(got.stop_date == NULL);
    CHECK_STR(got.prescriber, "Dr. O'Brien; \"quoted\"");
    CHECK_STR(got.notes, "line one\nline two");
    CHECK(got.stock == 30 && got.refill_at == 7.5);
    CHECK_EQ_INT(got.active, 1);
    /* update: everything but the drug */
    got.active = 0;
    got.stop_date = "2024-03-01";
    got.drug_text = "something else";
    got.stock = NAN;
    REQUIRE_EQ_INT(mt_store_med_update(st, user, p, &got, a, &out), MT_OK);
    CHECK_STR(out.drug_text, "Zoloft 50 mg");
    CHECK_STR(out.stop_date, "2024-03-01");
    CHECK(isnan(out.stock));
    CHECK_EQ_INT(out.active, 0);
    CHECK_EQ_INT(mt_store_med_list(st, user, p, 1, a, &list, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(mt_store_med_list(st, user, p, -1, a, &list, &n), MT_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(mt_store_med_delete(st, user, p, out.id), MT_OK);
    CHECK_EQ_INT(mt_store_med_get(st, user, p, out.id, a, &got), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_med_delete(st, user, p, out.id), MT_ENOTFOUND);
    (void)B;
}

TEST(records_store_medication_round_trip)
{
    each_backend(records_store_medication_round_trip_body);
}

/* The authorization matrix of the storage layer: user B can reach nothing of A's. */
static void records_store_scopes_every_row_by_user_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id ua = rt_user(st, "alice"), ub = rt_user(st, "bob");
    mt_id pa = profile_of(st, ua, "Alice", a), pb = profile_of(st, ub, "Bob", a);
    mt_rec_med m = rt_med("tramadol", "tramadol", 10689, 2), mo, mg, *ml;
    mt_rec_allergy al, alo, alg, *all;
    mt_rec_condition cd, cdo, cdg, *cdl;
    mt_rec_dose d, dout, *dl;
    mt_rec_profile pg, *pl;
    size_t n;

    REQUIRE(ua && ub && pa && pb);
    REQUIRE_EQ_INT(mt_store_med_create(st, ua, pa, &m, a, &mo), MT_OK);
    mt_rec_allergy_init(&al);
    al.substance = "penicillin";
    REQUIRE_EQ_INT(mt_store_allergy_create(st, ua, pa, &al, a, &alo), MT_OK);
    mt_rec_condition_init(&cd);
    cd.name = "asthma";
    REQUIRE_EQ_INT(mt_store_condition_create(st, ua, pa, &cd, a, &cdo), MT_OK);
    memset(&d, 0, sizeof(d));
    d.med_id = mo.id;
    d.taken = 1;
    d.at = 1700000000;
    REQUIRE_EQ_INT(mt_store_dose_create(st, ua, pa, &d, a, &dout), MT_OK);

    /* reads */
    CHECK_EQ_INT(mt_store_profile_get(st, ub, pa, a, &pg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_med_get(st, ub, pa, mo.id, a, &mg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_med_get(st, ub, pb, mo.id, a, &mg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_allergy_get(st, ub, pa, alo.id, a, &alg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_condition_get(st, ub, pa, cdo.id, a, &cdg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_profile_list(st, ub, a, &pl, &n), MT_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(pl[0].id, pb);
    CHECK_EQ_INT(mt_store_med_list(st, ub, pa, -1, a, &ml, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(mt_store_allergy_list(st, ub, pa, a, &all, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(mt_store_condition_list(st, ub, pa, a, &cdl, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(mt_store_dose_list(st, ub, pa, 0, 100, a, &dl, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    /* writes */
    mo.notes = "changed by bob";
    CHECK_EQ_INT(mt_store_med_update(st, ub, pa, &mo, a, &mg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_med_update(st, ub, pb, &mo, a, &mg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_med_delete(st, ub, pa, mo.id), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_med_delete(st, ub, pb, mo.id), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_allergy_delete(st, ub, pa, alo.id), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_condition_delete(st, ub, pa, cdo.id), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_dose_delete(st, ub, pa, dout.id), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_profile_delete(st, ub, pa), MT_ENOTFOUND);
    pg.id = pa;
    pg.name = "hijacked";
    pg.relation = "self";
    pg.birth_date = NULL;
    CHECK_EQ_INT(mt_store_profile_update(st, ub, &pg, a, &pg), MT_ENOTFOUND);
    /* attaching to A's profile, or logging a dose of A's medication in B's profile */
    CHECK_EQ_INT(mt_store_med_create(st, ub, pa, &m, a, &mg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_allergy_create(st, ub, pa, &al, a, &alg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_condition_create(st, ub, pa, &cd, a, &cdg), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_dose_create(st, ub, pb, &d, a, &dout), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_dose_create(st, ub, pa, &d, a, &dout), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_profile_set_calendar(st, ub, pa, "x"), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_import(st, ub, pa, &m, 1, NULL, 0, NULL, 0), MT_ENOTFOUND);
    /* and nothing of A's changed */
    CHECK_EQ_INT(mt_store_med_get(st, ua, pa, mo.id, a, &mg), MT_OK);
    CHECK(mg.notes == NULL);
    CHECK_EQ_INT(mt_store_med_list(st, ua, pa, -1, a, &ml, &n), MT_OK);
    CHECK_EQ_INT(n, 1);
    CHECK_EQ_INT(mt_store_profile_get(st, ua, pa, a, &pg), MT_OK);
    CHECK_STR(pg.name, "Alice");
    CHECK_EQ_INT(mt_store_dose_list(st, ua, pa, 0, 100, a, &dl, &n), MT_OK);
    CHECK_EQ_INT(n, 1);
    (void)B;
}

TEST(records_store_scopes_every_row_by_user)
{
    each_backend(records_store_scopes_every_row_by_user_body);
}

static void records_store_dose_lowers_stock_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id u = rt_user(st, "alice"), p = profile_of(st, u, "Me", a), p2 = profile_of(st, u, "Child", a);
    mt_rec_med m = rt_med("ibuprofen", "ibuprofen", 5640, 2), mo, got;
    mt_rec_dose d, out, *list;
    size_t n;
    m.dose_amount = 2;
    m.stock = 3;
    REQUIRE_EQ_INT(mt_store_med_create(st, u, p, &m, a, &mo), MT_OK);
    memset(&d, 0, sizeof(d));
    d.med_id = mo.id;
    d.taken = 1;
    d.at = 1700000000;
    REQUIRE_EQ_INT(mt_store_dose_create(st, u, p, &d, a, &out), MT_OK);
    CHECK_EQ_INT(out.med_id, mo.id);
    CHECK_EQ_INT(out.at, 1700000000);
    CHECK_EQ_INT(mt_store_med_get(st, u, p, mo.id, a, &got), MT_OK);
    CHECK(got.stock == 1);
    d.taken = 0;      /* a skipped dose keeps the stock */
    d.at = 1700003600;
    CHECK_EQ_INT(mt_store_dose_create(st, u, p, &d, a, &out), MT_OK);
    CHECK_EQ_INT(mt_store_med_get(st, u, p, mo.id, a, &got), MT_OK);
    CHECK(got.stock == 1);
    d.taken = 1;      /* never below zero */
    d.at = 1700007200;
    CHECK_EQ_INT(mt_store_dose_create(st, u, p, &d, a, &out), MT_OK);
    CHECK_EQ_INT(mt_store_med_get(st, u, p, mo.id, a, &got), MT_OK);
    CHECK(got.stock == 0);
    CHECK_EQ_INT(mt_store_dose_list(st, u, p, 0, 100, a, &list, &n), MT_OK);
    REQUIRE_EQ_INT(n, 3);
    CHECK_EQ_INT(list[0].at, 1700007200);   /* newest first */
    CHECK_EQ_INT(list[1].taken, 0);
    CHECK_EQ_INT(mt_store_dose_list(st, u, p, mo.id, 2, a, &list, &n), MT_OK);
    CHECK_EQ_INT(n, 2);
    /* the medication belongs to p, not to the user's other profile */
    CHECK_EQ_INT(mt_store_dose_create(st, u, p2, &d, a, &out), MT_ENOTFOUND);
    /* deleting the profile deletes its records */
    CHECK_EQ_INT(mt_store_profile_delete(st, u, p), MT_OK);
    CHECK_EQ_INT(mt_store_med_get(st, u, p, mo.id, a, &got), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_dose_list(st, u, p, 0, 100, a, &list, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    (void)B;
}

TEST(records_store_dose_lowers_stock)
{
    each_backend(records_store_dose_lowers_stock_body);
}

static void records_store_import_is_all_or_nothing_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id u = rt_user(st, "alice"), p = profile_of(st, u, "Me", a);
    mt_rec_med meds[3];
    mt_rec_allergy al;
    mt_rec_condition cd;
    mt_rec_med *ml;
    mt_rec_allergy *all;
    size_t n;
    meds[0] = rt_med("sertraline", "sertraline", 36437, 2);
    meds[1] = rt_med("tramadol", "tramadol", 10689, 2);
    meds[2] = rt_med("ibuprofen", "ibuprofen", 5640, 2);
    meds[2].dose_amount = -1;     /* the database refuses it (CHECK): the whole import goes */
    mt_rec_allergy_init(&al);
    al.substance = "latex";
    mt_rec_condition_init(&cd);
    cd.name = "migraine";
    CHECK(mt_store_import(st, u, p, meds, 3, &al, 1, &cd, 1) != MT_OK);
    CHECK_EQ_INT(mt_store_med_list(st, u, p, -1, a, &ml, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    CHECK_EQ_INT(mt_store_allergy_list(st, u, p, a, &all, &n), MT_OK);
    CHECK_EQ_INT(n, 0);
    meds[2].dose_amount = 1;
    CHECK_EQ_INT(mt_store_import(st, u, p, meds, 3, &al, 1, &cd, 1), MT_OK);
    CHECK_EQ_INT(mt_store_med_list(st, u, p, -1, a, &ml, &n), MT_OK);
    CHECK_EQ_INT(n, 3);
    CHECK_STR(ml[1].drug_text, "tramadol");
    CHECK_EQ_INT(mt_store_allergy_list(st, u, p, a, &all, &n), MT_OK);
    CHECK_EQ_INT(n, 1);
    (void)B;
}

TEST(records_store_import_is_all_or_nothing)
{
    each_backend(records_store_import_is_all_or_nothing_body);
}

static void records_store_limits_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id u = rt_user(st, "alice");
    unsigned i;
    int rc = MT_OK;
    mt_rec_profile in, out;
    memset(&in, 0, sizeof(in));
    in.name = "p";
    in.relation = "other";
    for (i = 0; i < MT_REC_MAX_PROFILES && rc == MT_OK; i++)
        rc = mt_store_profile_create(st, u, &in, a, &out);
    CHECK_EQ_INT(rc, MT_OK);
    CHECK_EQ_INT(mt_store_profile_create(st, u, &in, a, &out), MT_ELIMIT);
    /* another user is not affected */
    CHECK(profile_of(st, rt_user(st, "bob"), "Bob", a) > 0);
    (void)B;
}

TEST(records_store_limits)
{
    each_backend(records_store_limits_body);
}

static void records_store_credentials_and_failures_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id u = rt_user(st, "alice"), u2 = rt_user(st, "bob"), s = 0, t = 0;
    mt_rec_cred c, *list;
    size_t n;
    unsigned count;
    long long oldest;
    CHECK_EQ_INT(mt_store_cred_create(st, u, MT_CRED_SESSION, "h1", "c1", NULL, 2000, &s), MT_OK);
    CHECK_EQ_INT(mt_store_cred_create(st, u, MT_CRED_API_TOKEN, "h2", NULL, "ci", 3000, &t), MT_OK);
    CHECK_EQ_INT(mt_store_cred_create(st, u2, MT_CRED_SESSION, "h1", "c1", NULL, 2000, &s), MT_EEXIST);
    CHECK_EQ_INT(mt_store_cred_find(st, "h1", 1000, a, &c), MT_OK);
    CHECK_EQ_INT(c.user_id, u);
    CHECK_STR(c.username, "alice");
    CHECK_STR(c.csrf_hash, "c1");
    CHECK_EQ_INT(c.kind, MT_CRED_SESSION);
    CHECK_EQ_INT(mt_store_cred_find(st, "h1", 2000, a, &c), MT_ENOTFOUND);   /* expired */
    CHECK_EQ_INT(mt_store_cred_find(st, "nope", 1000, a, &c), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_cred_list(st, u, MT_CRED_API_TOKEN, 1000, a, &list, &n), MT_OK);
    REQUIRE_EQ_INT(n, 1);
    CHECK_STR(list[0].label, "ci");
    CHECK_EQ_INT(mt_store_cred_delete(st, u2, t, 0), MT_ENOTFOUND);            /* not bob's */
    CHECK_EQ_INT(mt_store_cred_delete(st, u, t, MT_CRED_SESSION), MT_ENOTFOUND); /* wrong kind */
    CHECK_EQ_INT(mt_store_cred_find(st, "h2", 1000, a, &c), MT_OK);
    CHECK_EQ_INT(mt_store_cred_delete(st, u, t, MT_CRED_API_TOKEN), MT_OK);
    CHECK_EQ_INT(mt_store_cred_find(st, "h2", 1000, a, &c), MT_ENOTFOUND);

    CHECK_EQ_INT(mt_store_fail_add(st, "user:alice", 100), MT_OK);
    CHECK_EQ_INT(mt_store_fail_add(st, "user:alice", 200), MT_OK);
    CHECK_EQ_INT(mt_store_fail_add(st, "addr:1.2.3.4", 200), MT_OK);
    CHECK_EQ_INT(mt_store_fail_count(st, "user:alice", 150, &count, &oldest), MT_OK);
    CHECK_EQ_INT(count, 1);
    CHECK_EQ_INT(oldest, 200);
    CHECK_EQ_INT(mt_store_fail_count(st, "user:alice", 0, &count, &oldest), MT_OK);
    CHECK_EQ_INT(count, 2);
    CHECK_EQ_INT(mt_store_fail_clear(st, "user:alice"), MT_OK);
    CHECK_EQ_INT(mt_store_fail_count(st, "user:alice", 0, &count, &oldest), MT_OK);
    CHECK_EQ_INT(count, 0);
    CHECK_EQ_INT(mt_store_fail_count(st, "addr:1.2.3.4", 0, &count, &oldest), MT_OK);
    CHECK_EQ_INT(count, 1);
    CHECK_EQ_INT(mt_store_expire(st, 250), MT_OK);
    CHECK_EQ_INT(mt_store_fail_count(st, "addr:1.2.3.4", 0, &count, &oldest), MT_OK);
    CHECK_EQ_INT(count, 0);
    (void)B;
}

TEST(records_store_credentials_and_failures)
{
    each_backend(records_store_credentials_and_failures_body);
}

static void records_store_audit_log_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id u = rt_user(st, "alice"), u2 = rt_user(st, "bob"), p = profile_of(st, u, "Me", a), s;
    mt_rec_med m = rt_med("sertraline", "sertraline", 36437, 2), mo;
    mt_rec_audit *log;
    size_t n, i;
    int saw_secret = 0;
    REQUIRE_EQ_INT(mt_store_med_create(st, u, p, &m, a, &mo), MT_OK);
    REQUIRE_EQ_INT(mt_store_med_update(st, u, p, &mo, a, &mo), MT_OK);
    REQUIRE_EQ_INT(mt_store_med_delete(st, u, p, mo.id), MT_OK);
    REQUIRE_EQ_INT(mt_store_cred_create(st, u, MT_CRED_SESSION, "secret-hash", "csrf-hash", NULL, 9e9, &s), MT_OK);
    REQUIRE_EQ_INT(mt_store_audit_list(st, u, 100, 0, a, &log, &n), MT_OK);
    REQUIRE_EQ_INT(n, 6);   /* user, profile, medication x3, session */
    CHECK_STR(log[0].entity, "session");
    CHECK_STR(log[0].action, "login");
    CHECK_STR(log[1].entity, "medication");
    CHECK_STR(log[1].action, "delete");
    CHECK_EQ_INT(log[1].entity_id, mo.id);
    CHECK_STR(log[2].action, "update");
    CHECK_STR(log[3].action, "create");
    CHECK_STR(log[4].entity, "profile");
    CHECK_STR(log[5].entity, "user");
    for (i = 0; i < n; i++)
        saw_secret |= log[i].detail && (strstr(log[i].detail, "secret") || strstr(log[i].detail, "csrf"));
    CHECK(!saw_secret);
    CHECK(log[0].at > 0);
    CHECK_EQ_INT(mt_store_audit_list(st, u, 2, log[1].id, a, &log, &n), MT_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_STR(log[0].action, "update");
    /* bob sees only his own */
    CHECK_EQ_INT(mt_store_audit_list(st, u2, 100, 0, a, &log, &n), MT_OK);
    CHECK_EQ_INT(n, 1);
    (void)B;
}

TEST(records_store_audit_log)
{
    each_backend(records_store_audit_log_body);
}

static void records_store_calendar_token_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    mt_id u = rt_user(st, "alice"), p = profile_of(st, u, "Me", a);
    mt_rec_profile got;
    CHECK_EQ_INT(mt_store_profile_by_calendar(st, "abc", a, &got), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_store_profile_set_calendar(st, u, p, "abc"), MT_OK);
    CHECK_EQ_INT(mt_store_profile_by_calendar(st, "abc", a, &got), MT_OK);
    CHECK_EQ_INT(got.id, p);
    CHECK_EQ_INT(got.user_id, u);
    CHECK_EQ_INT(got.has_calendar, 1);
    CHECK_EQ_INT(mt_store_profile_get(st, u, p, a, &got), MT_OK);
    CHECK_EQ_INT(got.has_calendar, 1);
    CHECK_EQ_INT(mt_store_profile_set_calendar(st, u, p, NULL), MT_OK);
    CHECK_EQ_INT(mt_store_profile_by_calendar(st, "abc", a, &got), MT_ENOTFOUND);
    (void)B;
}

TEST(records_store_calendar_token)
{
    each_backend(records_store_calendar_token_body);
}

/* --- concurrent writers ---------------------------------------------------------- */

typedef struct writer {
    mt_store *st;
    mt_id     user, profile;
    int       ok, failed;
} writer;

static void *write_doses(void *arg)
{
    writer *w = arg;
    mt_arena a;
    int i;
    mt_arena_init(&a, 4096, 0);
    for (i = 0; i < 25; i++) {
        mt_rec_condition c, out;
        mt_rec_condition_init(&c);
        c.name = "condition";
        if (mt_store_condition_create(w->st, w->user, w->profile, &c, &a, &out) == MT_OK)
            w->ok++;
        else
            w->failed++;
        mt_arena_reset(&a);
    }
    mt_arena_free(&a);
    return NULL;
}

static void records_store_concurrent_writers_body(mt_store *st, const rt_backend *B, mt_arena *a)
{
    writer w[4];
    pthread_t th[4];
    mt_rec_condition *list;
    size_t n;
    int i, total = 0;
    mt_id u = rt_user(st, "alice"), p = profile_of(st, u, "Me", a);
    for (i = 0; i < 4; i++) {
        memset(&w[i], 0, sizeof(w[i]));
        w[i].st = st;
        w[i].user = u;
        w[i].profile = p;
        pthread_create(&th[i], NULL, write_doses, &w[i]);
    }
    for (i = 0; i < 4; i++) {
        pthread_join(th[i], NULL);
        total += w[i].ok;
        CHECK_EQ_INT(w[i].failed, 0);
    }
    CHECK_EQ_INT(total, 100);
    CHECK_EQ_INT(mt_store_condition_list(st, u, p, a, &list, &n), MT_OK);
    CHECK_EQ_INT(n, 100);
    (void)B;
}

TEST(records_store_concurrent_writers)
{
    each_backend(records_store_concurrent_writers_body);
}

TEST(records_store_bad_url)
{
    mt_store *st = NULL;
    char err[256];
    CHECK(mt_store_open(&st, "/nonexistent-dir/x/y.db", NULL, err, sizeof(err)) != MT_OK);
    CHECK(st == NULL);
    CHECK(strlen(err) > 0);
    CHECK(mt_store_open(&st, "postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", NULL, err,
                        sizeof(err)) != MT_OK);
    CHECK_CONTAINS(err, "postgresql");
}

/* PostgreSQL only: the server drops every connection (a restart, a failover);
** the pool notices on first use and reconnects, reads and writes go on. */
TEST(records_store_pg_reconnects)
{
    rt_backend bk[2];
    int nb = rt_backends(bk), i;
    mt_store *st;
    mt_arena a;
    mt_rec_profile *list;
    mt_rec_condition c, out;
    size_t n;
    mt_id u, p;
    if (nb < 2) {
        mt_test_skip("MATERIA_TEST_PG not set");
        rt_drop(&bk[0]);
        return;
    }
    mt_arena_init(&a, 4096, 0);
    st = rt_open(&bk[1], 2);
    REQUIRE(st);
    u = rt_user(st, "alice");
    p = profile_of(st, u, "Me", &a);
    REQUIRE(p > 0);
    CHECK(rt_pg_kill_connections());
    CHECK_EQ_INT(mt_store_profile_list(st, u, &a, &list, &n), MT_OK);    /* a read on a dead connection */
    CHECK_EQ_INT(n, 1);
    CHECK(rt_pg_kill_connections());
    mt_rec_condition_init(&c);
    c.name = "after the restart";
    CHECK_EQ_INT(mt_store_condition_create(st, u, p, &c, &a, &out), MT_OK);   /* a write */
    CHECK_EQ_INT(mt_store_profile_list(st, u, &a, &list, &n), MT_OK);
    mt_store_close(st);
    mt_arena_free(&a);
    for (i = 0; i < nb; i++)
        rt_drop(&bk[i]);
}
