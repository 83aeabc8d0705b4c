/*
** rectest.h — the records tests' backends: every store test runs on a fresh
** SQLite file and, when MATERIA_TEST_PG is a libpq URL, on a fresh schema of
** that PostgreSQL database (scripts/pg-test-server.sh starts one; `make
** records-test` sets the variable).
*/
#ifndef T_RECTEST_H
#define T_RECTEST_H

#include "records/store.h"

typedef struct rt_backend {
    char      url[1024];     /* what mt_store_open takes */
    char      name[16];      /* "sqlite", "postgresql" */
    char      path[256];     /* SQLite: the temporary file; PostgreSQL: the schema */
} rt_backend;

/* The backends to run on: 1 (SQLite) or 2 (and PostgreSQL). Each call makes
** fresh, empty databases; rt_drop removes what rt_backends made. */
int  rt_backends(rt_backend out[2]);
void rt_drop(rt_backend *b);

/* Opens a store on b (pool of `pool`), failing the test on error. NULL on failure. */
mt_store *rt_open(const rt_backend *b, unsigned pool);

/* Terminates every other connection to the MATERIA_TEST_PG database, as a
** server restart would. 1 when done. */
int  rt_pg_kill_connections(void);

/* A user with a (fake, never verified) password hash; returns its id or 0. */
mt_id rt_user(mt_store *st, const char *name);

/* An active medication: one tablet, times_per_day times a day. */
mt_rec_med rt_med(const char *text, const char *name, long long rxcui, int times_per_day);

#endif /* T_RECTEST_H */
