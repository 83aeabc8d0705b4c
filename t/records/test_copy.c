/*
** test_copy.c — mt_store_copy (lib/records/store_copy.c): a populated SQLite
** records database (two users with real Argon2id passwords, a session, API
** and calendar tokens, profiles, medications, a deleted medication, doses,
** allergies, conditions, login failures, audit rows, one without a user)
** copied to a fresh SQLite file and, with MATERIA_TEST_PG, to PostgreSQL,
** from there to another PostgreSQL schema and back to SQLite. Each copy is
** compared with the source row by row through the store's own read
** functions and as a dump of every table (exact text of
** every value, the rows no read function reaches included); the copied
** users log in with their old passwords and tokens; new rows get ids above
** every old one (a deleted row's too); the source is not written. Refusals
** (a non-empty destination, the same database, a source that is not a
** records database or of another schema) write nothing, a failure halfway
** leaves nothing, and an allocation-failure walk ends in MT_ENOMEM with an
** empty destination every time.
*/
#include <libpq-fe.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kb/testmodel.h"
#include "materia/status.h"
#include "records/accounts.h"
#include "records/rectest.h"
#include "records/store.h"
#include "records/store_copy.h"
#include "util/alloc.h"
#include "util/buf.h"

#define ALICE_PW "correct horse battery staple"
#define BOB_PW   "a long enough password"
#define CAL_HASH "4f0c7a0d9b1e2c3d4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5d6e7f80912"
#define DUMP_MAX (16u << 20)

static const char *const table_names[] = {
    "users", "credentials", "login_failures", "profiles", "medications", "allergies", "conditions", "doses",
    "audit",
};
#define NTABLES (sizeof(table_names) / sizeof(table_names[0]))

typedef struct fixture {
    mt_id alice, bob, me, child, bobp;
    mt_id sert, ibu, amox, bobmed, gone;
    mt_id max_dose, max_allergy, max_condition, max_cred, max_audit;
    mt_id session_id, api_id;
    char  session[MT_ACCT_TOKEN_MAX], csrf[MT_ACCT_TOKEN_MAX];
    char  api[MT_ACCT_TOKEN_MAX], bob_api[MT_ACCT_TOKEN_MAX];
} fixture;

/* --- dumps: every row of every table as exact text, the same on both backends -- */

/* A double as the shortest text that reads back as itself (PostgreSQL's own output). */
static void real_text(double d, char buf[40])
{
    int prec;
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, 40, "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            return;
    }
}

/* Appends "table|v|v|...\n" per row, in id order; NULL is \N. A missing SQLite
** file dumps as nothing (no rows). 0 when the database cannot be read. */
static int dump(const rt_backend *b, mt_buf *out)
{
    unsigned t;
    int ok = 1;
    mt_buf_reset(out);
    if (strcmp(b->name, "sqlite") == 0) {
        sqlite3 *db = NULL;
        if (access(b->path, F_OK) != 0)
            return 1;
        if (sqlite3_open_v2(b->path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
            sqlite3_close(db);
            return 0;
        }
        for (t = 0; t < NTABLES && ok; t++) {
            char sql[128];
            sqlite3_stmt *st = NULL;
            snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY id", table_names[t]);
            if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) {
                /* a database with no schema yet holds no rows */
                ok = strstr(sqlite3_errmsg(db), "no such table") != NULL;
                sqlite3_finalize(st);
                continue;
            }
            while (ok && sqlite3_step(st) == SQLITE_ROW) {
                int j, n = sqlite3_column_count(st);
                ok = mt_buf_puts(out, table_names[t]) == MT_OK;
                for (j = 0; j < n && ok; j++) {
                    char num[40];
                    switch (sqlite3_column_type(st, j)) {
                    case SQLITE_NULL:
                        ok = mt_buf_puts(out, "|\\N") == MT_OK;
                        break;
                    case SQLITE_INTEGER:
                        ok = mt_buf_printf(out, "|%lld", (long long)sqlite3_column_int64(st, j)) == MT_OK;
                        break;
                    case SQLITE_FLOAT:
                        real_text(sqlite3_column_double(st, j), num);
                        ok = mt_buf_printf(out, "|%s", num) == MT_OK;
                        break;
                    default:
                        ok = mt_buf_printf(out, "|%s", (const char *)sqlite3_column_text(st, j)) == MT_OK;
                    }
                }
                ok = ok && mt_buf_putc(out, '\n') == MT_OK;
            }
            sqlite3_finalize(st);
        }
        sqlite3_close(db);
    } else {
        PGconn *c = PQconnectdb(b->url);
        if (PQstatus(c) != CONNECTION_OK) {
            PQfinish(c);
            return 0;
        }
        for (t = 0; t < NTABLES && ok; t++) {
            char sql[128];
            PGresult *r;
            int i, j;
            snprintf(sql, sizeof(sql), "SELECT * FROM %s ORDER BY id", table_names[t]);
            r = PQexec(c, sql);
            if (PQresultStatus(r) != PGRES_TUPLES_OK) {
                const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
                ok = state && strcmp(state, "42P01") == 0;     /* no such table: no rows */
                PQclear(r);
                continue;
            }
            for (i = 0; i < PQntuples(r) && ok; i++) {
                ok = mt_buf_puts(out, table_names[t]) == MT_OK;
                for (j = 0; j < PQnfields(r) && ok; j++)
                    ok = PQgetisnull(r, i, j) ? mt_buf_puts(out, "|\\N") == MT_OK
                                              : mt_buf_printf(out, "|%s", PQgetvalue(r, i, j)) == MT_OK;
                ok = ok && mt_buf_putc(out, '\n') == MT_OK;
            }
            PQclear(r);
        }
        PQfinish(c);
    }
    return ok;
}

/* The dump of b equals want; on a difference, the first differing line. */
static void check_dump(const rt_backend *b, const mt_buf *want, const char *what, int line)
{
    mt_buf got;
    const char *x, *y;
    mt_buf_init(&got, DUMP_MAX);
    if (!dump(b, &got)) {
        mt_test_fail(__FILE__, line, "%s: cannot dump %s", what, b->name);
    } else if (strcmp(mt_buf_str(&got), mt_buf_str(want)) != 0) {
        x = mt_buf_str(want);
        y = mt_buf_str(&got);
        while (*x && *x == *y) {       /* back to the start of the first differing line */
            x++;
            y++;
        }
        while (x > mt_buf_str(want) && x[-1] != '\n') {
            x--;
            y--;
        }
        mt_test_fail(__FILE__, line, "%s: %s differs: want \"%.*s\", got \"%.*s\"", what, b->name,
                     (int)strcspn(x, "\n"), x, (int)strcspn(y, "\n"), y);
    }
    mt_buf_free(&got);
}

/* Runs SQL on a SQLite file (to damage a source the way no store call can). */
static int lite(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    int rc = sqlite3_open(path, &db);
    if (rc == SQLITE_OK)
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc == SQLITE_OK;
}

/* The bytes of a SQLite file and its WAL (the -shm index is not data). */
static void file_bytes(const char *path, mt_buf *out)
{
    char wal[300];
    unsigned char *d = NULL;
    size_t n = 0;
    mt_buf_reset(out);
    if (mt_test_read_file(path, &d, &n) == MT_OK)
        mt_buf_append(out, d, n);
    mt_free(d);
    d = NULL;
    snprintf(wal, sizeof(wal), "%s-wal", path);
    if (mt_test_read_file(wal, &d, &n) == MT_OK)
        mt_buf_append(out, d, n);
    mt_free(d);
}

/* --- the populated source -------------------------------------------------------- */

static mt_id profile(mt_store *st, mt_id user, const char *name, const char *relation, const char *birth,
                     mt_arena *a)
{
    mt_rec_profile in, out;
    memset(&in, 0, sizeof(in));
    in.name = name;
    in.relation = relation;
    in.birth_date = birth;
    return mt_store_profile_create(st, user, &in, a, &out) == MT_OK ? out.id : 0;
}

static mt_id dose(mt_store *st, mt_id user, mt_id prof, mt_id med_id, int taken, long long at, const char *notes,
                  mt_arena *a)
{
    mt_rec_dose in, out;
    memset(&in, 0, sizeof(in));
    in.med_id = med_id;
    in.taken = taken;
    in.at = at;
    in.notes = notes;
    return mt_store_dose_create(st, user, prof, &in, a, &out) == MT_OK ? out.id : 0;
}

/* Two users and everything a person can save. Real Argon2id hashes: 3 hashes. */
static void populate(mt_store *st, fixture *f, mt_arena *a)
{
    mt_rec_errors e;
    mt_rec_user u;
    mt_acct_session s;
    mt_rec_med m, out;
    mt_rec_allergy al, alo;
    mt_rec_condition co, coo;
    mt_rec_audit *log;
    size_t n;
    long long retry = 0, exp = 0, now = mt_rec_now();
    mt_id id = 0;

    memset(f, 0, sizeof(*f));
    memset(&e, 0, sizeof(e));
    /* first, so that later audit rows have higher ids: a row of no user */
    REQUIRE_EQ_INT(mt_store_audit_add(st, 0, "user", 0, "login-failed", "unknown name \"mallory\""), MT_OK);
    REQUIRE_EQ_INT(mt_acct_register(st, "alice", ALICE_PW, &e, a, &u), MT_OK);
    f->alice = u.id;
    REQUIRE_EQ_INT(mt_acct_register(st, "bob", BOB_PW, &e, a, &u), MT_OK);
    f->bob = u.id;
    REQUIRE_EQ_INT(mt_acct_login(st, "alice", ALICE_PW, "10.0.0.1", a, &s, &retry), MT_OK);
    f->session_id = s.id;
    snprintf(f->session, sizeof(f->session), "%s", s.token);
    snprintf(f->csrf, sizeof(f->csrf), "%s", s.csrf);
    REQUIRE_EQ_INT(mt_acct_token_create(st, f->alice, "phone \xe2\x80\x94 calendar", 30, f->api, &f->api_id, &exp),
                   MT_OK);
    REQUIRE_EQ_INT(mt_acct_token_create(st, f->bob, "ci", 90, f->bob_api, &f->max_cred, &exp), MT_OK);
    REQUIRE_EQ_INT(mt_store_fail_add(st, "user:bob", now - 60), MT_OK);
    REQUIRE_EQ_INT(mt_store_fail_add(st, "addr:10.0.0.7", now - 30), MT_OK);

    f->me = profile(st, f->alice, "Me", "self", "1980-02-29", a);
    f->child = profile(st, f->alice, "Zoé", "child", "2015-06-01", a);
    f->bobp = profile(st, f->bob, "Bob", "self", NULL, a);
    REQUIRE(f->me && f->child && f->bobp);
    REQUIRE_EQ_INT(mt_store_profile_set_calendar(st, f->alice, f->me, CAL_HASH), MT_OK);

    m = rt_med("Zoloft 50 mg", "sertraline", 36437, 1);
    m.product = "Zoloft";
    m.strength = "50 mg";
    m.form = "tablet";
    m.dose_amount = 1.5;
    m.sched_kind = MT_SCHED_CLOCK_TIMES;
    m.clock_times = "08:00,20:00";
    m.times_per_day = 2;
    m.start_date = "2024-02-29";
    m.prescriber = "Dr. O'Brien; \"quoted\"";
    m.notes = "line one\nline two, \xc3\xa9t\xc3\xa9 \xf0\x9f\x92\x8a | pipes \\N";
    m.stock = 30;
    m.refill_at = 7.25;
    REQUIRE_EQ_INT(mt_store_med_create(st, f->alice, f->me, &m, a, &out), MT_OK);
    f->sert = out.id;
    m = rt_med("ibuprofen", "ibuprofen", 5640, 1);
    m.dose_unit = "mg";
    m.dose_amount = 200;
    m.sched_kind = MT_SCHED_AS_NEEDED;
    m.max_per_day = 3;
    m.stock = 0.1 + 0.2;                /* 0.30000000000000004: every bit must survive */
    m.refill_at = 0.1;
    REQUIRE_EQ_INT(mt_store_med_create(st, f->alice, f->me, &m, a, &out), MT_OK);
    f->ibu = out.id;
    m = rt_med("amoxicillin 250 mg/5 ml", "amoxicillin", 723, 1);
    m.dose_unit = "ml";
    m.dose_amount = 5;
    m.times_per_day = 3;
    m.start_date = "2024-01-02";
    m.stop_date = "2024-01-09";
    m.active = 0;
    REQUIRE_EQ_INT(mt_store_med_create(st, f->alice, f->child, &m, a, &out), MT_OK);
    f->amox = out.id;
    m = rt_med("lisinopril", "lisinopril", 29046, 1);
    m.stock = 1e6;
    REQUIRE_EQ_INT(mt_store_med_create(st, f->bob, f->bobp, &m, a, &out), MT_OK);
    f->bobmed = out.id;
    /* the highest medication id, deleted: no new medication may take it */
    m = rt_med("warfarin", "warfarin", 11289, 1);
    REQUIRE_EQ_INT(mt_store_med_create(st, f->alice, f->me, &m, a, &out), MT_OK);
    f->gone = out.id;
    REQUIRE_EQ_INT(mt_store_med_delete(st, f->alice, f->me, f->gone), MT_OK);

    REQUIRE(dose(st, f->alice, f->me, f->sert, 1, now - 86400, NULL, a));
    REQUIRE(dose(st, f->alice, f->me, f->sert, 0, now - 43200, "felt sick", a));
    REQUIRE(dose(st, f->alice, f->child, f->amox, 1, 1704200000, "with food", a));
    REQUIRE((f->max_dose = dose(st, f->bob, f->bobp, f->bobmed, 1, now - 3600, NULL, a)) != 0);

    mt_rec_allergy_init(&al);
    al.substance = "penicillin";
    al.drug_name = "amoxicillin";
    al.rxcui = 723;
    al.reaction = "hives";
    al.severity = "moderate";
    REQUIRE_EQ_INT(mt_store_allergy_create(st, f->alice, f->me, &al, a, &alo), MT_OK);
    mt_rec_allergy_init(&al);
    al.substance = "latex";
    al.severity = "severe";
    al.notes = "gloves";
    REQUIRE_EQ_INT(mt_store_allergy_create(st, f->bob, f->bobp, &al, a, &alo), MT_OK);
    f->max_allergy = alo.id;

    mt_rec_condition_init(&co);
    co.name = "asthma";
    co.onset_date = "1990-05-05";
    co.active = 1;
    REQUIRE_EQ_INT(mt_store_condition_create(st, f->alice, f->me, &co, a, &coo), MT_OK);
    co.name = "otitis";
    co.onset_date = NULL;
    co.active = 0;
    co.notes = "resolved";
    REQUIRE_EQ_INT(mt_store_condition_create(st, f->alice, f->child, &co, a, &coo), MT_OK);
    co.active = 1;
    co.notes = "updated";
    REQUIRE_EQ_INT(mt_store_condition_update(st, f->alice, f->child, &coo, a, &coo), MT_OK);
    f->max_condition = coo.id;

    /* the last audit row is the highest id of all */
    REQUIRE_EQ_INT(mt_store_audit_add(st, f->bob, "user", f->bob, "login", NULL), MT_OK);
    REQUIRE_EQ_INT(mt_store_audit_list(st, f->bob, 1, 0, a, &log, &n), MT_OK);
    REQUIRE_EQ_INT(n, 1);
    f->max_audit = log[0].id;
    (void)id;
}

/* --- comparing two stores through the store's read functions ------------------------- */

static int same_s(const char *x, const char *y) { return (!x && !y) || (x && y && strcmp(x, y) == 0); }
static int same_d(double x, double y) { return (isnan(x) && isnan(y)) || memcmp(&x, &y, sizeof(x)) == 0; }

#define SAME_S(f) do { if (!same_s(x->f, y->f)) mt_test_fail(__FILE__, __LINE__, "%s: %s %lld: " #f \
    ": \"%s\" != \"%s\"", what, kind, (long long)x->id, x->f ? x->f : "(null)", y->f ? y->f : "(null)"); } while (0)
#define SAME_I(f) do { if ((long long)x->f != (long long)y->f) mt_test_fail(__FILE__, __LINE__, "%s: %s %lld: " #f \
    ": %lld != %lld", what, kind, (long long)x->id, (long long)x->f, (long long)y->f); } while (0)
#define SAME_D(f) do { if (!same_d(x->f, y->f)) mt_test_fail(__FILE__, __LINE__, "%s: %s %lld: " #f \
    ": %.17g != %.17g", what, kind, (long long)x->id, x->f, y->f); } while (0)
#define SAME_N(nx, ny) do { if ((nx) != (ny)) { mt_test_fail(__FILE__, __LINE__, "%s: %s: %zu rows != %zu", \
    what, kind, (size_t)(nx), (size_t)(ny)); return; } } while (0)

static void same_creds(const mt_rec_cred *cx, const mt_rec_cred *cy, size_t n, const char *what)
{
    static const char kind[] = "credential";
    size_t i;
    for (i = 0; i < n; i++) {
        const mt_rec_cred *x = &cx[i], *y = &cy[i];
        SAME_I(id); SAME_I(user_id); SAME_I(kind); SAME_S(username); SAME_S(label); SAME_S(csrf_hash);
        SAME_I(created_at); SAME_I(expires_at);
    }
}

static void same_audit(const mt_rec_audit *lx, const mt_rec_audit *ly, size_t n, const char *what)
{
    static const char kind[] = "audit";
    size_t i;
    for (i = 0; i < n; i++) {
        const mt_rec_audit *x = &lx[i], *y = &ly[i];
        SAME_I(id); SAME_I(at); SAME_S(entity); SAME_I(entity_id); SAME_S(action); SAME_S(detail);
    }
}

/* The account, its password hash, its live credentials and its audit log. */
static void same_user(mt_store *sx, mt_store *sy, const char *name, const char *what, mt_arena *a)
{
    static const char kind[] = "user";
    mt_rec_user ux, uy, *x = &ux, *y = &uy;
    mt_rec_cred *cx, *cy;
    mt_rec_audit *lx, *ly;
    const char *hx = NULL, *hy = NULL;
    size_t nx = 0, ny = 0;
    int k;

    REQUIRE_EQ_INT(mt_store_user_find(sx, name, a, &ux, &hx), MT_OK);
    REQUIRE_EQ_INT(mt_store_user_find(sy, name, a, &uy, &hy), MT_OK);
    SAME_I(id);
    SAME_S(username);
    SAME_I(created_at);
    CHECK_STR(hy, hx);
    CHECK(hx && strncmp(hx, "$argon2id$", 10) == 0);
    for (k = MT_CRED_SESSION; k <= MT_CRED_API_TOKEN; k++) {
        REQUIRE_EQ_INT(mt_store_cred_list(sx, ux.id, k, mt_rec_now(), a, &cx, &nx), MT_OK);
        REQUIRE_EQ_INT(mt_store_cred_list(sy, ux.id, k, mt_rec_now(), a, &cy, &ny), MT_OK);
        SAME_N(nx, ny);
        same_creds(cx, cy, nx, what);
    }
    REQUIRE_EQ_INT(mt_store_audit_list(sx, ux.id, MT_STORE_LIST_MAX, 0, a, &lx, &nx), MT_OK);
    REQUIRE_EQ_INT(mt_store_audit_list(sy, ux.id, MT_STORE_LIST_MAX, 0, a, &ly, &ny), MT_OK);
    CHECK(nx > 0);
    SAME_N(nx, ny);
    same_audit(lx, ly, nx, what);
}

static void same_profile_records(mt_store *sx, mt_store *sy, mt_id user, mt_id prof, const char *what, mt_arena *a)
{
    mt_rec_med *mx, *my;
    mt_rec_allergy *ax, *ay;
    mt_rec_condition *cx, *cy;
    mt_rec_dose *dx, *dy;
    size_t nx = 0, ny = 0, i;
    const char *kind;

    kind = "medication";
    REQUIRE_EQ_INT(mt_store_med_list(sx, user, prof, -1, a, &mx, &nx), MT_OK);
    REQUIRE_EQ_INT(mt_store_med_list(sy, user, prof, -1, a, &my, &ny), MT_OK);
    SAME_N(nx, ny);
    for (i = 0; i < nx; i++) {
        const mt_rec_med *x = &mx[i], *y = &my[i];
        SAME_I(id); SAME_I(profile_id); SAME_S(drug_text); SAME_S(drug_name); SAME_I(rxcui); SAME_S(product);
        SAME_S(strength); SAME_S(form); SAME_D(dose_amount); SAME_S(dose_unit); SAME_I(sched_kind);
        SAME_I(times_per_day); SAME_S(clock_times); SAME_D(max_per_day); SAME_S(start_date); SAME_S(stop_date);
        SAME_S(prescriber); SAME_S(notes); SAME_I(active); SAME_D(stock); SAME_D(refill_at);
        SAME_I(created_at); SAME_I(updated_at);
    }
    kind = "allergy";
    REQUIRE_EQ_INT(mt_store_allergy_list(sx, user, prof, a, &ax, &nx), MT_OK);
    REQUIRE_EQ_INT(mt_store_allergy_list(sy, user, prof, a, &ay, &ny), MT_OK);
    SAME_N(nx, ny);
    for (i = 0; i < nx; i++) {
        const mt_rec_allergy *x = &ax[i], *y = &ay[i];
        SAME_I(id); SAME_I(profile_id); SAME_S(substance); SAME_S(drug_name); SAME_I(rxcui); SAME_S(reaction);
        SAME_S(severity); SAME_S(notes); SAME_I(created_at); SAME_I(updated_at);
    }
    kind = "condition";
    REQUIRE_EQ_INT(mt_store_condition_list(sx, user, prof, a, &cx, &nx), MT_OK);
    REQUIRE_EQ_INT(mt_store_condition_list(sy, user, prof, a, &cy, &ny), MT_OK);
    SAME_N(nx, ny);
    for (i = 0; i < nx; i++) {
        const mt_rec_condition *x = &cx[i], *y = &cy[i];
        SAME_I(id); SAME_I(profile_id); SAME_S(name); SAME_S(onset_date); SAME_I(active); SAME_S(notes);
        SAME_I(created_at); SAME_I(updated_at);
    }
    kind = "dose";
    REQUIRE_EQ_INT(mt_store_dose_list(sx, user, prof, 0, MT_STORE_LIST_MAX, a, &dx, &nx), MT_OK);
    REQUIRE_EQ_INT(mt_store_dose_list(sy, user, prof, 0, MT_STORE_LIST_MAX, a, &dy, &ny), MT_OK);
    SAME_N(nx, ny);
    for (i = 0; i < nx; i++) {
        const mt_rec_dose *x = &dx[i], *y = &dy[i];
        SAME_I(id); SAME_I(profile_id); SAME_I(med_id); SAME_I(taken); SAME_I(at); SAME_S(notes); SAME_I(created_at);
    }
}

/* Everything of both users, read from sx and from sy, field by field. */
static void same_records(mt_store *sx, mt_store *sy, const fixture *f, const char *what, mt_arena *a)
{
    static const char *const users[] = { "alice", "bob" };
    const mt_id ids[] = { f->alice, f->bob };
    mt_rec_profile *px, *py, cal_x, cal_y;
    size_t nx = 0, ny = 0, i, u;
    unsigned cx = 0, cy = 0;
    long long ox = 0, oy = 0;
    const char *kind = "profile";

    for (u = 0; u < 2; u++) {
        same_user(sx, sy, users[u], what, a);
        REQUIRE_EQ_INT(mt_store_profile_list(sx, ids[u], a, &px, &nx), MT_OK);
        REQUIRE_EQ_INT(mt_store_profile_list(sy, ids[u], a, &py, &ny), MT_OK);
        SAME_N(nx, ny);
        for (i = 0; i < nx; i++) {
            const mt_rec_profile *x = &px[i], *y = &py[i];
            SAME_I(id); SAME_I(user_id); SAME_S(name); SAME_S(relation); SAME_S(birth_date); SAME_I(has_calendar);
            SAME_I(created_at); SAME_I(updated_at);
            same_profile_records(sx, sy, ids[u], px[i].id, what, a);
        }
    }
    REQUIRE_EQ_INT(mt_store_profile_by_calendar(sx, CAL_HASH, a, &cal_x), MT_OK);
    REQUIRE_EQ_INT(mt_store_profile_by_calendar(sy, CAL_HASH, a, &cal_y), MT_OK);
    CHECK_EQ_INT(cal_y.id, cal_x.id);
    CHECK_EQ_INT(cal_y.user_id, f->alice);
    REQUIRE_EQ_INT(mt_store_fail_count(sx, "user:bob", 0, &cx, &ox), MT_OK);
    REQUIRE_EQ_INT(mt_store_fail_count(sy, "user:bob", 0, &cy, &oy), MT_OK);
    CHECK_EQ_INT(cy, cx);
    CHECK_EQ_INT(cy, 1);
    CHECK_EQ_INT(oy, ox);
}

/* The copied people log in as before: password, session (and its CSRF
** token), API tokens, calendar link. */
static void logins_work(mt_store *st, const fixture *f, const char *what, mt_arena *a)
{
    mt_acct_session s;
    mt_rec_cred c;
    mt_rec_profile p;
    long long retry = 0;
    if (mt_acct_authenticate(st, f->api, a, &c) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "%s: alice's old API token is refused", what);
    else {
        CHECK_EQ_INT(c.id, f->api_id);
        CHECK_EQ_INT(c.user_id, f->alice);
        CHECK_EQ_INT(c.kind, MT_CRED_API_TOKEN);
    }
    CHECK_EQ_INT(mt_acct_authenticate(st, f->bob_api, a, &c), MT_OK);
    CHECK_EQ_INT(c.user_id, f->bob);
    if (mt_acct_authenticate(st, f->session, a, &c) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "%s: alice's old session is refused", what);
    else {
        CHECK_EQ_INT(c.id, f->session_id);
        CHECK(mt_acct_csrf_ok(&c, f->csrf));
    }
    CHECK_EQ_INT(mt_store_profile_by_calendar(st, CAL_HASH, a, &p), MT_OK);
    CHECK_EQ_INT(p.id, f->me);
    if (mt_acct_login(st, "alice", ALICE_PW, "10.0.0.1", a, &s, &retry) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "%s: alice cannot log in with her old password", what);
    else
        CHECK_EQ_INT(s.user.id, f->alice);
    CHECK_EQ_INT(mt_acct_login(st, "alice", "not alice's password", "10.0.0.1", a, &s, &retry), MT_EDENIED);
}

/* New rows take ids above every copied one, the deleted medication's included. */
static void fresh_ids(mt_store *st, const fixture *f, const char *what, mt_arena *a)
{
    mt_rec_med m = rt_med("metformin", "metformin", 6809, 1), mo;
    mt_rec_allergy al, alo;
    mt_rec_condition co, coo;
    mt_rec_audit *log;
    size_t n = 0;
    mt_id u = rt_user(st, "carol"), p, d, cred = 0;

    if (u <= f->bob)
        mt_test_fail(__FILE__, __LINE__, "%s: a new user got id %lld (bob is %lld)", what, u, f->bob);
    p = profile(st, f->alice, "Dad", "parent", NULL, a);
    if (p <= f->bobp)
        mt_test_fail(__FILE__, __LINE__, "%s: a new profile got id %lld (last %lld)", what, p, f->bobp);
    REQUIRE_EQ_INT(mt_store_med_create(st, f->alice, f->me, &m, a, &mo), MT_OK);
    if (mo.id <= f->gone)
        mt_test_fail(__FILE__, __LINE__, "%s: a new medication got id %lld (deleted %lld)", what, mo.id, f->gone);
    d = dose(st, f->alice, f->me, mo.id, 1, mt_rec_now(), NULL, a);
    if (d <= f->max_dose)
        mt_test_fail(__FILE__, __LINE__, "%s: a new dose got id %lld (last %lld)", what, d, f->max_dose);
    mt_rec_allergy_init(&al);
    al.substance = "pollen";
    REQUIRE_EQ_INT(mt_store_allergy_create(st, f->alice, p, &al, a, &alo), MT_OK);
    CHECK(alo.id > f->max_allergy);
    mt_rec_condition_init(&co);
    co.name = "gout";
    co.active = 1;
    REQUIRE_EQ_INT(mt_store_condition_create(st, f->alice, p, &co, a, &coo), MT_OK);
    CHECK(coo.id > f->max_condition);
    REQUIRE_EQ_INT(mt_store_cred_create(st, u, MT_CRED_API_TOKEN, "new-token-hash", NULL, "x", 9e9, &cred), MT_OK);
    CHECK(cred > f->max_cred);
    CHECK_EQ_INT(mt_store_fail_add(st, "user:carol", mt_rec_now()), MT_OK);
    REQUIRE_EQ_INT(mt_store_audit_list(st, u, 1, 0, a, &log, &n), MT_OK);
    REQUIRE_EQ_INT(n, 1);
    CHECK(log[0].id > f->max_audit);
}

/* A second copy into dst is refused, and dst is exactly as it was. */
static void refused_unchanged(const rt_backend *src, const rt_backend *dst)
{
    mt_store_copy_report rep;
    mt_buf before;
    char err[512];
    mt_buf_init(&before, DUMP_MAX);
    REQUIRE(dump(dst, &before));
    CHECK(mt_buf_str(&before)[0] != '\0');
    CHECK_EQ_INT(mt_store_copy(src->url, dst->url, &rep, err, sizeof(err)), MT_EEXIST);
    CHECK_CONTAINS(err, "already holds records");
    CHECK_CONTAINS(err, "(users ");
    CHECK_CONTAINS(err, "nothing was written");
    check_dump(dst, &before, "after a refused copy", __LINE__);
    mt_buf_free(&before);
}

static void check_report(const mt_store_copy_report *rep, const char *what)
{
    /* users, credentials, login_failures, profiles, medications, allergies, conditions, doses */
    static const long long want[] = { 2, 3, 2, 3, 4, 2, 2, 4 };
    unsigned i;
    REQUIRE_EQ_INT(rep->n, NTABLES);
    for (i = 0; i < NTABLES; i++) {
        CHECK_STR(rep->t[i].table, table_names[i]);
        if (rep->t[i].source != rep->t[i].dest || rep->t[i].source < 1)
            mt_test_fail(__FILE__, __LINE__, "%s: %s: %lld rows in the source, %lld in the destination", what,
                         table_names[i], rep->t[i].source, rep->t[i].dest);
        if (i < sizeof(want) / sizeof(want[0]))
            CHECK_EQ_INT(rep->t[i].source, want[i]);
    }
    CHECK(rep->t[NTABLES - 1].source > 20);      /* the audit log */
}

TEST(records_copy_sqlite_postgresql_and_back)
{
    rt_backend src[2], to[2], back[2];
    int nsrc = rt_backends(src), nto = rt_backends(to), nback = rt_backends(back), i;
    mt_store *st = NULL, *lite_dst = NULL, *pg = NULL, *lite_back = NULL;
    mt_store_copy_report rep;
    fixture f;
    mt_buf want, bytes_before, bytes_after;
    mt_arena a;
    char err[512];

    mt_arena_init(&a, 64 * 1024, 0);
    mt_buf_init(&want, DUMP_MAX);
    mt_buf_init(&bytes_before, DUMP_MAX);
    mt_buf_init(&bytes_after, DUMP_MAX);
    st = rt_open(&src[0], 2);
    if (!st)
        goto done;
    populate(st, &f, &a);
    if (mt_test_failed_now())
        goto done;
    if (!dump(&src[0], &want)) {
        mt_test_fail(__FILE__, __LINE__, "cannot dump the source");
        goto done;
    }
    CHECK_CONTAINS(mt_buf_str(&want), "|0.30000000000000004|0.1|");
    CHECK_CONTAINS(mt_buf_str(&want), "audit|1|\\N|");

    /* SQLite -> SQLite; the source's bytes do not change */
    file_bytes(src[0].path, &bytes_before);
    err[0] = '\0';
    if (mt_store_copy(src[0].url, to[0].url, &rep, err, sizeof(err)) != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "sqlite -> sqlite: %s", err);
        goto done;
    }
    check_report(&rep, "sqlite -> sqlite");
    file_bytes(src[0].path, &bytes_after);
    CHECK(bytes_before.len > 0);
    CHECK(bytes_before.len == bytes_after.len && memcmp(bytes_before.data, bytes_after.data, bytes_before.len) == 0);
    check_dump(&to[0], &want, "sqlite -> sqlite", __LINE__);
    lite_dst = rt_open(&to[0], 2);
    if (!lite_dst)
        goto done;
    same_records(st, lite_dst, &f, "sqlite -> sqlite", &a);
    refused_unchanged(&src[0], &to[0]);
    logins_work(lite_dst, &f, "sqlite -> sqlite", &a);
    fresh_ids(lite_dst, &f, "sqlite -> sqlite", &a);
    refused_unchanged(&src[0], &to[0]);

    /* SQLite -> PostgreSQL -> SQLite */
    if (nto == 2 && nback == 2) {
        if (mt_store_copy(src[0].url, to[1].url, &rep, err, sizeof(err)) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "sqlite -> postgresql: %s", err);
            goto done;
        }
        check_report(&rep, "sqlite -> postgresql");
        check_dump(&to[1], &want, "sqlite -> postgresql", __LINE__);
        if (mt_store_copy(to[1].url, back[0].url, &rep, err, sizeof(err)) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "postgresql -> sqlite: %s", err);
            goto done;
        }
        check_report(&rep, "postgresql -> sqlite");
        check_dump(&back[0], &want, "sqlite -> postgresql -> sqlite", __LINE__);
        if (mt_store_copy(to[1].url, back[1].url, &rep, err, sizeof(err)) != MT_OK)
            mt_test_fail(__FILE__, __LINE__, "postgresql -> postgresql: %s", err);
        check_dump(&back[1], &want, "postgresql -> postgresql", __LINE__);
        pg = rt_open(&to[1], 2);
        lite_back = rt_open(&back[0], 2);
        if (!pg || !lite_back)
            goto done;
        same_records(st, pg, &f, "sqlite -> postgresql", &a);
        same_records(st, lite_back, &f, "postgresql -> sqlite", &a);
        refused_unchanged(&src[0], &to[1]);
        refused_unchanged(&to[1], &back[0]);
        logins_work(pg, &f, "sqlite -> postgresql", &a);
        logins_work(lite_back, &f, "postgresql -> sqlite", &a);
        fresh_ids(pg, &f, "sqlite -> postgresql", &a);
        fresh_ids(lite_back, &f, "postgresql -> sqlite", &a);
        refused_unchanged(&src[0], &to[1]);
    }
done:
    mt_store_close(st);
    mt_store_close(lite_dst);
    mt_store_close(pg);
    mt_store_close(lite_back);
    for (i = 0; i < nsrc; i++)
        rt_drop(&src[i]);
    for (i = 0; i < nto; i++)
        rt_drop(&to[i]);
    for (i = 0; i < nback; i++)
        rt_drop(&back[i]);
    mt_buf_free(&want);
    mt_buf_free(&bytes_before);
    mt_buf_free(&bytes_after);
    mt_arena_free(&a);
}

/* A small source without Argon2id (fast): a user, a profile, a medication,
** a dose, a token, a login failure. */
static int small_source(const rt_backend *b, mt_arena *a)
{
    mt_store *st = rt_open(b, 1);
    mt_rec_med m = rt_med("sertraline", "sertraline", 36437, 1), out;
    mt_id u, p, c = 0;
    int ok = 0;
    if (!st)
        return 0;
    u = rt_user(st, "alice");
    p = profile(st, u, "Me", "self", NULL, a);
    if (u && p && mt_store_med_create(st, u, p, &m, a, &out) == MT_OK &&
        dose(st, u, p, out.id, 1, 1700000000, "ok", a) &&
        mt_store_cred_create(st, u, MT_CRED_API_TOKEN, "hash", NULL, "t", 9e9, &c) == MT_OK &&
        mt_store_fail_add(st, "user:alice", 1700000000) == MT_OK)
        ok = 1;
    mt_store_close(st);
    return ok;
}

TEST(records_copy_refusals_and_failures_write_nothing)
{
    rt_backend src[2], to[2], other[2];
    int nsrc = rt_backends(src), nto = rt_backends(to), nother = rt_backends(other), i;
    mt_store_copy_report rep;
    mt_store *st;
    mt_buf empty, want;
    mt_arena a;
    char err[512], alias[300];

    mt_arena_init(&a, 16 * 1024, 0);
    mt_buf_init(&empty, DUMP_MAX);
    mt_buf_init(&want, DUMP_MAX);
    if (!small_source(&src[0], &a))
        goto done;

    /* the same database, by the same name or another spelling */
    CHECK_EQ_INT(mt_store_copy(src[0].url, src[0].url, &rep, err, sizeof(err)), MT_EINVAL);
    CHECK_CONTAINS(err, "same database");
    snprintf(alias, sizeof(alias), "sqlite:%s", src[0].path);
    CHECK_EQ_INT(mt_store_copy(src[0].url, alias, &rep, err, sizeof(err)), MT_EINVAL);
    CHECK_CONTAINS(err, "same database");
    CHECK_EQ_INT(mt_store_copy("", to[0].url, &rep, err, sizeof(err)), MT_EINVAL);

    /* a source that does not open: the destination is not even created */
    CHECK_EQ_INT(mt_store_copy("/nonexistent-dir/records.db", to[0].url, &rep, err, sizeof(err)), MT_EIO);
    CHECK_CONTAINS(err, "source: /nonexistent-dir/records.db");
    CHECK(access(to[0].path, F_OK) != 0);
    /* a SQLite file that is not a records database */
    CHECK(lite(other[0].path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)"));
    CHECK_EQ_INT(mt_store_copy(other[0].url, to[0].url, &rep, err, sizeof(err)), MT_EINVAL);
    CHECK_CONTAINS(err, "not a Materia records database");
    CHECK(access(to[0].path, F_OK) != 0);
    /* another schema version, another column: refused before anything is written */
    CHECK(lite(src[0].path, "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)"));
    CHECK_EQ_INT(mt_store_copy(src[0].url, to[0].url, &rep, err, sizeof(err)), MT_EVERSION);
    CHECK_CONTAINS(err, "schema version 99");
    CHECK(lite(src[0].path, "DELETE FROM schema_version WHERE version = 99"));
    CHECK(lite(src[0].path, "ALTER TABLE doses ADD COLUMN site TEXT"));
    CHECK_EQ_INT(mt_store_copy(src[0].url, to[0].url, &rep, err, sizeof(err)), MT_EVERSION);
    CHECK_CONTAINS(err, "table doses has 9 columns");
    CHECK(access(to[0].path, F_OK) != 0);
    CHECK(lite(src[0].path, "ALTER TABLE doses DROP COLUMN site"));

    /* a value the destination cannot hold, in the last table but one: the users,
    ** profiles and medications already inserted are rolled back */
    CHECK(lite(src[0].path, "UPDATE doses SET at = 'yesterday'"));
    for (i = 0; i < nto; i++) {
        CHECK_EQ_INT(mt_store_copy(src[0].url, to[i].url, &rep, err, sizeof(err)), MT_ECORRUPT);
        CHECK_CONTAINS(err, "doses id 1: at is \"yesterday\", not a number");
        check_dump(&to[i], &empty, "after a failed copy", __LINE__);
    }
    /* mended, the same destinations (an empty schema now) take the copy */
    CHECK(lite(src[0].path, "UPDATE doses SET at = 1700000000"));
    REQUIRE(dump(&src[0], &want));
    for (i = 0; i < nto; i++) {
        err[0] = '\0';
        CHECK_EQ_INT(mt_store_copy(src[0].url, to[i].url, &rep, err, sizeof(err)), MT_OK);
        CHECK_STR(err, "");
        check_dump(&to[i], &want, "after the retried copy", __LINE__);
    }

    /* a destination holding nothing but one login failure is not empty */
    for (i = 0; i < nother; i++) {
        if (i == 0) {
            rt_drop(&other[0]);
        }
        st = rt_open(&other[i], 1);
        REQUIRE(st);
        CHECK_EQ_INT(mt_store_fail_add(st, "addr:10.9.9.9", 5), MT_OK);
        mt_store_close(st);
        CHECK_EQ_INT(mt_store_copy(src[0].url, other[i].url, &rep, err, sizeof(err)), MT_EEXIST);
        CHECK_CONTAINS(err, "(login_failures 1)");
        CHECK_EQ_INT(rep.t[2].dest, 1);
        CHECK_EQ_INT(rep.t[0].dest, 0);
    }
done:
    for (i = 0; i < nsrc; i++)
        rt_drop(&src[i]);
    for (i = 0; i < nto; i++)
        rt_drop(&to[i]);
    for (i = 0; i < nother; i++)
        rt_drop(&other[i]);
    mt_buf_free(&empty);
    mt_buf_free(&want);
    mt_arena_free(&a);
}

TEST(records_copy_allocation_failures)
{
    rt_backend src[2], to[2];
    int nsrc = rt_backends(src), nto = rt_backends(to), i;
    mt_store_copy_report rep;
    mt_buf empty, want;
    mt_arena a;
    char err[512];
    long n;
    int rc = MT_ENOMEM, failures = 0;

    mt_arena_init(&a, 16 * 1024, 0);
    mt_buf_init(&empty, DUMP_MAX);
    mt_buf_init(&want, DUMP_MAX);
    if (!small_source(&src[0], &a) || !dump(&src[0], &want))
        goto done;
    for (n = 0; n < 100000 && rc == MT_ENOMEM; n++) {
        err[0] = '\0';
        mt_alloc_fail_after(n);
        rc = mt_store_copy(src[0].url, to[0].url, &rep, err, sizeof(err));
        mt_alloc_fail_after(-1);
        if (rc == MT_ENOMEM) {
            failures++;
            CHECK_STR(err, "out of memory");
            check_dump(&to[0], &empty, "after an allocation failure", __LINE__);
        } else if (rc != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "after %ld allocations: %s (%s)", n, mt_strerror(rc), err);
        }
        if (mt_test_failed_now())
            break;
    }
    CHECK_EQ_INT(rc, MT_OK);
    CHECK(failures > 50);      /* 85 when written: open, migrate, connections, each table's sequence */
    check_dump(&to[0], &want, "after the walk", __LINE__);
done:
    for (i = 0; i < nsrc; i++)
        rt_drop(&src[i]);
    for (i = 0; i < nto; i++)
        rt_drop(&to[i]);
    mt_buf_free(&empty);
    mt_buf_free(&want);
    mt_arena_free(&a);
}
