/*
** store_copy.c — mt_store_copy: a whole records database into an empty one,
** across backends (store_copy.h), at the backend layer (store_backend.h).
**
** The source is read through a read-only connection inside one read
** transaction, so that every table is seen as of the same moment. The
** destination gets its schema from mt_store_open (the migrations, as any
** server would run them), then ONE write transaction checks that it holds no
** row, inserts every row in id order with its own id (parents before
** children, so the composite foreign keys hold at every insert), compares
** the counts, moves the id sequences past the source's and commits. Nothing
** is written before the emptiness check, and a failure anywhere rolls the
** whole transaction back.
**
** The tables and their columns are listed here for schema version
** COPY_SCHEMA. A build whose migrations went further, or a table whose
** column count differs from the list, is refused: a copy must not drop a
** column silently.
*/
#include "records/store_copy.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "materia/status.h"
#include "records/store.h"
#include "records/store_backend.h"
#include "util/alloc.h"

#define COPY_SCHEMA 1       /* the schema version the tables below describe */
#define BATCH       500     /* rows read from the source at a time */

typedef struct table {
    const char *name;
    const char *cols;       /* the column list, id first */
    const char *types;      /* per column: I integer, R real, T text */
    const char *select_sql; /* the rows after id $1, in id order, at most $2 */
    const char *insert_sql;
    const char *count_sql;
} table;

#define TABLE(name, cols, types, params) \
    { name, cols, types, "SELECT " cols " FROM " name " WHERE id > $1 ORDER BY id LIMIT $2", \
      "INSERT INTO " name " (" cols ") VALUES (" params ")", "SELECT COUNT(*) FROM " name }

/* Parents before children. */
static const table tables[MT_STORE_COPY_TABLES] = {
    TABLE("users", "id, username, pw_hash, created_at", "ITTI", "$1, $2, $3, $4"),
    TABLE("credentials", "id, user_id, kind, token_hash, csrf_hash, label, created_at, expires_at",
          "IIITTTII", "$1, $2, $3, $4, $5, $6, $7, $8"),
    TABLE("login_failures", "id, key, at", "ITI", "$1, $2, $3"),
    TABLE("profiles", "id, user_id, name, relation, birth_date, calendar_hash, created_at, updated_at",
          "IITTTTII", "$1, $2, $3, $4, $5, $6, $7, $8"),
    TABLE("medications",
          "id, user_id, profile_id, drug_text, drug_name, rxcui, product, strength, form, dose_amount,"
          " dose_unit, sched_kind, times_per_day, clock_times, max_per_day, start_date, stop_date,"
          " prescriber, notes, active, stock, refill_at, created_at, updated_at",
          "IIITTITTTRTIITRTTTTIRRII",
          "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20,"
          " $21, $22, $23, $24"),
    TABLE("allergies",
          "id, user_id, profile_id, substance, drug_name, rxcui, reaction, severity, notes, created_at, updated_at",
          "IIITTITTTII", "$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11"),
    TABLE("conditions", "id, user_id, profile_id, name, onset_date, active, notes, created_at, updated_at",
          "IIITTITII", "$1, $2, $3, $4, $5, $6, $7, $8, $9"),
    TABLE("doses", "id, user_id, profile_id, med_id, taken, at, notes, created_at",
          "IIIIIITI", "$1, $2, $3, $4, $5, $6, $7, $8"),
    TABLE("audit", "id, user_id, at, entity, entity_id, action, detail",
          "IIITITT", "$1, $2, $3, $4, $5, $6, $7"),
};

typedef struct copy {
    const mt_store_backend *sb, *db;     /* source, destination */
    mt_sql_conn *sc, *dc;
    int          sopen, dopen;           /* a transaction is open on sc, on dc */
    mt_arena     a;                      /* one batch at a time */
    char        *err;
    size_t       errsz;
} copy;

/* Leaves the first reason in err; returns rc. */
static int fail(copy *c, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(copy *c, int rc, const char *fmt, ...)
{
    va_list ap;
    if (c->errsz && !c->err[0]) {
        va_start(ap, fmt);
        vsnprintf(c->err, c->errsz, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static int db_fail(copy *c, int rc, int source, const char *what)
{
    const mt_store_backend *be = source ? c->sb : c->db;
    mt_sql_conn *conn = source ? c->sc : c->dc;
    if (rc == MT_ENOMEM)
        return fail(c, rc, "out of memory");
    return fail(c, rc, "%s (%s): %s: %s", source ? "source" : "destination", be->name, what, be->errmsg(conn));
}

/* The n-th (0-based) name of a column list, into buf. */
static const char *col_name(const table *t, unsigned n, char *buf, size_t bufsz)
{
    const char *p = t->cols;
    size_t len;
    while (n-- && (p = strchr(p, ',')) != NULL)
        p++;
    if (!p)
        return "?";
    p += strspn(p, " ");
    len = strcspn(p, ",");
    snprintf(buf, bufsz, "%.*s", (int)len, p);
    return buf;
}

static int one_number(const mt_store_backend *be, mt_sql_conn *conn, const char *sql, const mt_sqlv *args,
                      unsigned nargs, mt_arena *a, long long *n)
{
    mt_sql_result r;
    int rc = be->exec(conn, sql, args, nargs, a, &r);
    *n = 0;
    if (rc == MT_OK && r.nrows == 1 && r.ncols >= 1 && r.cells[0])
        *n = strtoll(r.cells[0], NULL, 10);
    else if (rc == MT_OK)
        rc = MT_EIO;
    return rc;
}

/* Every table of one side has exactly the columns the list names. */
static int check_columns(copy *c, int source)
{
    const mt_store_backend *be = source ? c->sb : c->db;
    mt_sql_conn *conn = source ? c->sc : c->dc;
    long long n = 0;
    unsigned i;
    int rc = MT_OK;

    for (i = 0; i < MT_STORE_COPY_TABLES && rc == MT_OK; i++) {
        mt_sqlv v = { MT_SQL_TEXT, 0, 0, tables[i].name };
        rc = one_number(be, conn, be->ncols_sql, &v, 1, &c->a, &n);
        if (rc != MT_OK)
            rc = db_fail(c, rc, source, "reading the columns");
        else if (n != (long long)strlen(tables[i].types))
            rc = fail(c, MT_EVERSION, "%s: table %s has %lld columns; this build copies %zu of them"
                      " (lib/records/store_copy.c lists them)", source ? "source" : "destination",
                      tables[i].name, n, strlen(tables[i].types));
    }
    mt_arena_reset(&c->a);
    return rc;
}

static int source_schema(copy *c)
{
    static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    mt_sqlv name = { MT_SQL_TEXT, 0, 0, "schema_version" };
    long long v = 0;
    int rc = one_number(c->sb, c->sc, c->sb->ncols_sql, &name, 1, &c->a, &v);
    if (rc == MT_OK && v == 0)
        rc = fail(c, MT_EINVAL, "source (%s): not a Materia records database (no schema_version table)",
                  c->sb->name);
    else if (rc == MT_OK)
        rc = one_number(c->sb, c->sc, sql, NULL, 0, &c->a, &v);
    mt_arena_reset(&c->a);
    if (rc != MT_OK)
        return db_fail(c, rc, 1, "reading the schema version");
    if (v != mt_store_schema_latest())
        return fail(c, MT_EVERSION, "source: schema version %lld, this build's is %d%s", v,
                    mt_store_schema_latest(),
                    v < mt_store_schema_latest() ? " (open it once with this build, e.g. materia serve --db, to"
                                                   " migrate it)" : " (copy it with a newer materia)");
    return MT_OK;
}

/* The source row's values, typed for the destination. */
static int bind_row(copy *c, const table *t, const mt_sql_result *r, unsigned row, mt_sqlv *v)
{
    unsigned j, n = (unsigned)strlen(t->types);
    char name[64];
    for (j = 0; j < n; j++) {
        const char *s = r->cells[(size_t)row * r->ncols + j];
        char *end = NULL;
        memset(&v[j], 0, sizeof(v[j]));
        v[j].type = MT_SQL_NULL;
        if (!s)
            continue;
        errno = 0;
        switch (t->types[j]) {
        case 'I':
            v[j].type = MT_SQL_INT;
            v[j].i = strtoll(s, &end, 10);
            break;
        case 'R':
            v[j].type = MT_SQL_REAL;
            v[j].d = strtod(s, &end);
            break;
        default:
            v[j].type = MT_SQL_TEXT;
            v[j].s = s;
            continue;
        }
        if (errno || end == s || *end)
            return fail(c, MT_ECORRUPT, "source: %s id %s: %s is \"%.40s\", not a number", t->name,
                        r->cells[(size_t)row * r->ncols], col_name(t, j, name, sizeof(name)), s);
    }
    return MT_OK;
}

/* Copies one table in id order; *rows copied, *max_id the last id. */
static int copy_table(copy *c, const table *t, long long *rows, long long *max_id)
{
    mt_sqlv key[2] = { { MT_SQL_INT, 0, 0, NULL }, { MT_SQL_INT, BATCH, 0, NULL } };
    mt_sqlv v[MT_SQL_MAX_ARGS];
    unsigned ncols = (unsigned)strlen(t->types), i;
    mt_sql_result r;
    int rc = MT_OK;

    *rows = 0;
    *max_id = 0;
    if (NEVER(ncols > MT_SQL_MAX_ARGS))
        return fail(c, MT_EINVAL, "%s: too many columns", t->name);
    for (;;) {
        mt_arena_reset(&c->a);
        key[0].i = *max_id;
        rc = c->sb->exec(c->sc, t->select_sql, key, 2, &c->a, &r);
        if (rc != MT_OK) {
            rc = db_fail(c, rc, 1, t->name);
            break;
        }
        if (r.nrows && NEVER(r.ncols != ncols)) {
            rc = fail(c, MT_EIO, "source: %s: %u columns read, %u expected", t->name, r.ncols, ncols);
            break;
        }
        for (i = 0; i < r.nrows && rc == MT_OK; i++) {
            rc = bind_row(c, t, &r, i, v);
            if (rc == MT_OK && v[0].type != MT_SQL_INT)
                rc = fail(c, MT_ECORRUPT, "source: %s: a row without an id", t->name);
            if (rc == MT_OK) {
                rc = c->db->exec(c->dc, t->insert_sql, v, ncols, NULL, NULL);
                if (rc != MT_OK) {
                    char what[96];
                    snprintf(what, sizeof(what), "%s id %lld", t->name, v[0].i);
                    rc = db_fail(c, rc, 0, what);
                }
            }
            if (rc == MT_OK) {
                *max_id = v[0].i;
                (*rows)++;
            }
        }
        if (rc != MT_OK || r.nrows < BATCH)
            break;
    }
    mt_arena_reset(&c->a);
    return rc;
}

/* Whether two names are the same database: the same text, or two SQLite
** paths of one file. (Two spellings of one PostgreSQL database are caught by
** the emptiness check, unless the source is empty: then nothing is copied.) */
static int same_database(const char *from, const char *to)
{
    struct stat a, b;
    if (strcmp(from, to) == 0)
        return 1;
    if (mt_store_backend_of(from) != &mt_store_sqlite || mt_store_backend_of(to) != &mt_store_sqlite)
        return 0;
    if (strncmp(from, "sqlite:", 7) == 0)
        from += 7;
    if (strncmp(to, "sqlite:", 7) == 0)
        to += 7;
    return stat(from, &a) == 0 && stat(to, &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

/* The destination, empty: any row of any table refuses the copy. */
static int check_empty(copy *c, mt_store_copy_report *rep)
{
    char list[512];
    size_t used = 0;
    long long n;
    unsigned i;
    int rc = MT_OK, full = 0;

    list[0] = '\0';
    for (i = 0; i < MT_STORE_COPY_TABLES && rc == MT_OK; i++) {
        rc = one_number(c->db, c->dc, tables[i].count_sql, NULL, 0, &c->a, &n);
        if (rc != MT_OK) {
            rc = db_fail(c, rc, 0, "counting rows");
            break;
        }
        rep->t[i].dest = n;
        if (n > 0) {
            int w = snprintf(list + used, sizeof(list) - used, "%s%s %lld", full ? ", " : "", tables[i].name, n);
            if (w > 0 && (size_t)w < sizeof(list) - used)
                used += (size_t)w;
            full = 1;
        }
    }
    mt_arena_reset(&c->a);
    if (rc == MT_OK && full)
        rc = fail(c, MT_EEXIST, "the destination already holds records (%s): copy only into an empty records"
                  " database; nothing was written", list);
    return rc;
}

/* Both sides' counts, into rep; MT_ECORRUPT when one differs. */
static int verify(copy *c, mt_store_copy_report *rep, const long long *copied)
{
    unsigned i;
    int rc = MT_OK;
    for (i = 0; i < MT_STORE_COPY_TABLES && rc == MT_OK; i++) {
        rc = one_number(c->sb, c->sc, tables[i].count_sql, NULL, 0, &c->a, &rep->t[i].source);
        if (rc != MT_OK) {
            rc = db_fail(c, rc, 1, "counting rows");
            break;
        }
        rc = one_number(c->db, c->dc, tables[i].count_sql, NULL, 0, &c->a, &rep->t[i].dest);
        if (rc != MT_OK) {
            rc = db_fail(c, rc, 0, "counting rows");
            break;
        }
        if (rep->t[i].source != rep->t[i].dest || copied[i] != rep->t[i].source)
            rc = fail(c, MT_ECORRUPT, "%s: %lld rows in the source, %lld copied, %lld in the destination;"
                      " nothing was written", tables[i].name, rep->t[i].source, copied[i], rep->t[i].dest);
    }
    mt_arena_reset(&c->a);
    return rc;
}

int mt_store_copy(const char *from, const char *to, mt_store_copy_report *rep, char *err, size_t errsz)
{
    mt_store_opts so = { 1 };
    mt_store *st = NULL;
    long long copied[MT_STORE_COPY_TABLES], last[MT_STORE_COPY_TABLES], seq;
    char why[512];
    unsigned i;
    copy c;
    int rc;

    memset(&c, 0, sizeof(c));
    c.err = err;
    c.errsz = errsz;
    if (errsz)
        err[0] = '\0';
    mt_arena_init(&c.a, 16 * 1024, 0);
    memset(rep, 0, sizeof(*rep));
    rep->n = MT_STORE_COPY_TABLES;
    for (i = 0; i < MT_STORE_COPY_TABLES; i++) {
        rep->t[i].table = tables[i].name;
        rep->t[i].source = rep->t[i].dest = -1;
        copied[i] = last[i] = 0;
    }
    if (!from || !*from || !to || !*to) {
        rc = fail(&c, MT_EINVAL, "a source and a destination are needed");
        goto done;
    }
    if (same_database(from, to)) {
        rc = fail(&c, MT_EINVAL, "the source and the destination are the same database");
        goto done;
    }
    if (mt_store_schema_latest() != COPY_SCHEMA) {
        rc = fail(&c, MT_EVERSION, "this build's records schema is version %d, the copy knows version %d"
                  " (lib/records/store_copy.c)", mt_store_schema_latest(), COPY_SCHEMA);
        goto done;
    }
    c.sb = mt_store_backend_of(from);
    c.db = mt_store_backend_of(to);

    /* the source first, all of it checked before the destination is touched */
    why[0] = '\0';
    rc = c.sb->connect_ro(from, &c.sc, why, sizeof(why));
    if (rc != MT_OK) {
        rc = rc == MT_ENOMEM ? fail(&c, rc, "out of memory") : fail(&c, rc, "source: %s", why);
        goto done;
    }
    rc = c.sb->begin(c.sc, 0);
    if (rc != MT_OK) {
        rc = db_fail(&c, rc, 1, "BEGIN");
        goto done;
    }
    c.sopen = 1;
    rc = source_schema(&c);
    if (rc == MT_OK)
        rc = check_columns(&c, 1);
    if (rc != MT_OK)
        goto done;

    /* the destination's schema, as every server makes it */
    why[0] = '\0';
    rc = mt_store_open(&st, to, &so, why, sizeof(why));
    mt_store_close(st);
    if (rc != MT_OK) {
        rc = rc == MT_ENOMEM ? fail(&c, rc, "out of memory") : fail(&c, rc, "destination: %s", why);
        goto done;
    }
    why[0] = '\0';
    rc = c.db->connect(to, &c.dc, why, sizeof(why));
    if (rc != MT_OK) {
        rc = rc == MT_ENOMEM ? fail(&c, rc, "out of memory") : fail(&c, rc, "destination: %s", why);
        goto done;
    }
    rc = c.db->begin(c.dc, 1);
    if (rc != MT_OK) {
        rc = db_fail(&c, rc, 0, rc == MT_EBUSY ? "BEGIN (is a server running on it? stop it first)" : "BEGIN");
        goto done;
    }
    c.dopen = 1;
    rc = check_columns(&c, 0);
    if (rc == MT_OK)
        rc = check_empty(&c, rep);

    for (i = 0; i < MT_STORE_COPY_TABLES && rc == MT_OK; i++) {
        rc = copy_table(&c, &tables[i], &copied[i], &last[i]);
        if (rc == MT_OK) {
            rc = c.sb->seq_get(c.sc, tables[i].name, &seq);
            if (rc != MT_OK)
                rc = db_fail(&c, rc, 1, "reading the id sequence");
            else if (seq > last[i])
                last[i] = seq;     /* the ids of deleted rows stay used */
        }
    }
    if (rc == MT_OK)
        rc = verify(&c, rep, copied);
    /* last: PostgreSQL's setval is not undone by a rollback */
    for (i = 0; i < MT_STORE_COPY_TABLES && rc == MT_OK; i++) {
        rc = c.db->seq_set(c.dc, tables[i].name, last[i]);
        if (rc != MT_OK)
            rc = db_fail(&c, rc, 0, "setting the id sequence");
    }
    if (rc == MT_OK) {
        rc = c.db->script(c.dc, "COMMIT");
        if (rc != MT_OK)
            rc = db_fail(&c, rc, 0, "COMMIT");
        else
            c.dopen = 0;
    }
done:
    if (c.dopen)
        c.db->script(c.dc, "ROLLBACK");
    if (c.sopen)
        c.sb->script(c.sc, "ROLLBACK");
    if (c.dc)
        c.db->disconnect(c.dc);
    if (c.sc)
        c.sb->disconnect(c.sc);
    mt_arena_free(&c.a);
    return rc;
}
