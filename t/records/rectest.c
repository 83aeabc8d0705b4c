/*
** rectest.c — fresh SQLite files and PostgreSQL schemas for the records
** tests (rectest.h).
*/
#include "records/rectest.h"

#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "materia/status.h"

static unsigned counter;

static void quiet(void *arg, const char *message) { (void)arg; (void)message; }

/* Runs one statement on the test PostgreSQL server; 1 when it worked. */
static int pg_admin(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PGresult *r;
    int ok;
    if (PQstatus(c) != CONNECTION_OK) {
        fprintf(stderr, "    MATERIA_TEST_PG: %s", PQerrorMessage(c));
        PQfinish(c);
        return 0;
    }
    PQsetNoticeProcessor(c, quiet, NULL);
    r = PQexec(c, sql);
    ok = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!ok)
        fprintf(stderr, "    MATERIA_TEST_PG: %s", PQerrorMessage(c));
    PQclear(r);
    PQfinish(c);
    return ok;
}

int rt_backends(rt_backend out[2])
{
    const char *pg = getenv("MATERIA_TEST_PG");
    const char *tmp = getenv("TMPDIR");
    int n = 0;
    char sql[640];

    memset(out, 0, 2 * sizeof(*out));
    counter++;
    snprintf(out[0].name, sizeof(out[0].name), "sqlite");
    snprintf(out[0].path, sizeof(out[0].path), "%s/materia-rt-%ld-%u.db", tmp && *tmp ? tmp : "/tmp",
             (long)getpid(), counter);
    unlink(out[0].path);
    snprintf(out[0].url, sizeof(out[0].url), "%s", out[0].path);
    n = 1;
    if (pg && *pg) {
        rt_backend *b = &out[1];
        snprintf(b->name, sizeof(b->name), "postgresql");
        snprintf(b->path, sizeof(b->path), "rt_%ld_%u", (long)getpid(), counter);
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s", b->path, b->path);
        if (!pg_admin(pg, sql)) {
            mt_test_fail(__FILE__, __LINE__, "cannot create a schema on MATERIA_TEST_PG");
            return n;
        }
        snprintf(b->url, sizeof(b->url), "%s%coptions=-csearch_path%%3D%s", pg, strchr(pg, '?') ? '&' : '?',
                 b->path);
        n = 2;
    }
    return n;
}

void rt_drop(rt_backend *b)
{
    char sql[320], f[300];
    if (strcmp(b->name, "sqlite") == 0) {
        unlink(b->path);
        snprintf(f, sizeof(f), "%s-wal", b->path);
        unlink(f);
        snprintf(f, sizeof(f), "%s-shm", b->path);
        unlink(f);
    } else if (b->path[0]) {
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE", b->path);
        pg_admin(getenv("MATERIA_TEST_PG"), sql);
    }
}

int rt_pg_kill_connections(void)
{
    const char *pg = getenv("MATERIA_TEST_PG");
    PGconn *c;
    PGresult *r;
    int ok;
    if (!pg || !*pg)
        return 0;
    c = PQconnectdb(pg);
    if (PQstatus(c) != CONNECTION_OK) {
        PQfinish(c);
        return 0;
    }
    r = PQexec(c, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                  "WHERE datname = current_database() AND pid <> pg_backend_pid()");
    ok = PQresultStatus(r) == PGRES_TUPLES_OK;
    PQclear(r);
    PQfinish(c);
    usleep(100 * 1000);     /* let the terminations land */
    return ok;
}

mt_store *rt_open(const rt_backend *b, unsigned pool)
{
    mt_store *st = NULL;
    mt_store_opts o = { pool };
    char err[256];
    int rc = mt_store_open(&st, b->url, &o, err, sizeof(err));
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "%s: mt_store_open: %s (%s)", b->name, mt_strerror(rc), err);
        return NULL;
    }
    return st;
}

mt_id rt_user(mt_store *st, const char *name)
{
    mt_rec_user u;
    mt_arena a;
    mt_id id = 0;
    mt_arena_init(&a, 1024, 0);
    if (mt_store_user_create(st, name, "$argon2id$not-a-real-hash", &a, &u) == MT_OK)
        id = u.id;
    mt_arena_free(&a);
    return id;
}

mt_rec_med rt_med(const char *text, const char *name, long long rxcui, int times_per_day)
{
    mt_rec_med m;
    mt_rec_med_init(&m);
    m.drug_text = text;
    m.drug_name = name;
    m.rxcui = rxcui;
    m.dose_amount = 1;
    m.dose_unit = "tablet";
    m.sched_kind = MT_SCHED_TIMES_PER_DAY;
    m.times_per_day = times_per_day;
    return m;
}
