/*
** store_backend.h — what a storage backend gives store.c: connections,
** parameterized statements, transactions and its dialect's migrations.
** Private to lib/records (store.c, store_copy.c, store_sqlite.c, store_pg.c).
**
** Statements are written once, in the common subset of SQLite and
** PostgreSQL, with numbered parameters $1..$N; the SQLite backend reads $N
** as ?N. Values travel as text or numbers and come back as text (NULL for SQL
** NULL), copied into the caller's arena: store.c parses them. No statement is
** ever built from user data: the SQL strings are constants or are generated
** once, at open, from constant column tables.
*/
#ifndef MT_STORE_BACKEND_H
#define MT_STORE_BACKEND_H

#include <stddef.h>

#include "util/arena.h"

typedef struct mt_sql_conn mt_sql_conn;

enum { MT_SQL_NULL = 0, MT_SQL_INT = 1, MT_SQL_REAL = 2, MT_SQL_TEXT = 3 };

typedef struct mt_sqlv {
    int         type;
    long long   i;
    double      d;
    const char *s;
} mt_sqlv;

typedef struct mt_sql_result {
    unsigned     nrows, ncols;
    const char **cells;        /* cells[row * ncols + col]; NULL is SQL NULL */
} mt_sql_result;

#define MT_SQL_MAX_ARGS 32

typedef struct mt_store_backend {
    const char *name;
    /* Opens one connection; on failure a reason in err. */
    int  (*connect)(const char *url, mt_sql_conn **c, char *err, size_t errsz);
    void (*disconnect)(mt_sql_conn *c);
    /* Whether the connection is still usable (PostgreSQL: the socket is up). */
    int  (*healthy)(mt_sql_conn *c);
    /* Runs statements without parameters (several, separated by ';'). */
    int  (*script)(mt_sql_conn *c, const char *sql);
    /* Runs one statement. res may be NULL when no rows are wanted; when given
    ** it receives every row, copied into a. sql must outlive the connection
    ** (statements are cached by its address). Status: MT_OK; MT_EEXIST (a
    ** unique constraint); MT_ENOTFOUND (a foreign key: the parent row is
    ** missing or is someone else's); MT_EBUSY (locked, serialization);
    ** MT_ENOMEM; MT_EIO (anything else; errmsg says what). */
    int  (*exec)(mt_sql_conn *c, const char *sql, const mt_sqlv *args, unsigned nargs,
                 mt_arena *a, mt_sql_result *res);
    /* BEGIN (write: take the write lock now, SQLite's BEGIN IMMEDIATE). */
    int  (*begin)(mt_sql_conn *c, int write);
    const char *(*errmsg)(mt_sql_conn *c);
    /* Migrations: version i+1 is migrations[i]; lock is run first in the
    ** migration transaction (PostgreSQL: an advisory lock), or NULL. */
    const char *const *migrations;
    unsigned    nmigrations;
    const char *migrate_lock;
    /* For store_copy.c, which copies a whole database between backends: */
    /* Opens a connection that cannot write (SQLite: a read-only open;
    ** PostgreSQL: read-only transactions), whose begin(c, 0) reads every
    ** table as of one moment (PostgreSQL: REPEATABLE READ). */
    int  (*connect_ro)(const char *url, mt_sql_conn **c, char *err, size_t errsz);
    /* The highest id the table has ever handed out (deleted rows included),
    ** 0 when none; and making it hand out ids above `last` from now on. */
    int  (*seq_get)(mt_sql_conn *c, const char *table, long long *last);
    int  (*seq_set)(mt_sql_conn *c, const char *table, long long last);
    /* One row, one cell: how many columns table $1 has. */
    const char *ncols_sql;
} mt_store_backend;

extern const mt_store_backend mt_store_sqlite;
extern const mt_store_backend mt_store_pg;

/* The backend of a records database name, as mt_store_open picks it:
** "postgres://..." or "postgresql://..." is PostgreSQL, anything else a
** SQLite file path ("sqlite:" prefix allowed). */
const mt_store_backend *mt_store_backend_of(const char *url);

#endif /* MT_STORE_BACKEND_H */
