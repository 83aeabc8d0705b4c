/*
** store_sqlite.c — the embedded records backend: one SQLite file.
**
** Each pooled connection is opened with WAL (readers never block the one
** writer), synchronous=FULL (a commit returns only after the WAL is synced:
** a power cut or a SIGKILL cannot lose an acknowledged write), foreign keys
** ON (the composite keys that tie every row to its owner are enforced) and
** a busy timeout (writers queue instead of failing). Write transactions use
** BEGIN IMMEDIATE so that two writers never deadlock upgrading a read lock.
** Prepared statements are cached per connection by the address of their
** (constant) SQL text.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "materia/status.h"
#include "records/store_backend.h"
#include "util/alloc.h"

#define STMT_CACHE   96
#define SQL_MAX      8192
#define BUSY_MS      10000

struct mt_sql_conn {
    sqlite3 *db;
    struct { const char *sql; sqlite3_stmt *st; } cache[STMT_CACHE];
    unsigned ncache;
    char err[256];
};

static const char *const migrations[] = {
    /* 1: accounts, profiles and their records, the audit log */
    "CREATE TABLE users ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  username TEXT NOT NULL UNIQUE,"
    "  pw_hash TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE credentials ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  kind INTEGER NOT NULL CHECK (kind IN (1, 2)),"
    "  token_hash TEXT NOT NULL UNIQUE,"
    "  csrf_hash TEXT,"
    "  label TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  expires_at INTEGER NOT NULL);"
    "CREATE INDEX credentials_user ON credentials(user_id, kind);"
    "CREATE TABLE login_failures ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  key TEXT NOT NULL,"
    "  at INTEGER NOT NULL);"
    "CREATE INDEX login_failures_key ON login_failures(key, at);"
    "CREATE TABLE profiles ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,"
    "  name TEXT NOT NULL,"
    "  relation TEXT NOT NULL,"
    "  birth_date TEXT,"
    "  calendar_hash TEXT UNIQUE,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (id, user_id));"
    "CREATE INDEX profiles_user ON profiles(user_id);"
    "CREATE TABLE medications ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER NOT NULL,"
    "  profile_id INTEGER NOT NULL,"
    "  drug_text TEXT NOT NULL,"
    "  drug_name TEXT NOT NULL,"
    "  rxcui INTEGER NOT NULL DEFAULT 0,"
    "  product TEXT,"
    "  strength TEXT,"
    "  form TEXT,"
    "  dose_amount REAL CHECK (dose_amount IS NULL OR dose_amount > 0),"
    "  dose_unit TEXT,"
    "  sched_kind INTEGER NOT NULL CHECK (sched_kind IN (1, 2, 3)),"
    "  times_per_day INTEGER NOT NULL,"
    "  clock_times TEXT,"
    "  max_per_day REAL,"
    "  start_date TEXT,"
    "  stop_date TEXT,"
    "  prescriber TEXT,"
    "  notes TEXT,"
    "  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
    "  stock REAL CHECK (stock IS NULL OR stock >= 0),"
    "  refill_at REAL CHECK (refill_at IS NULL OR refill_at >= 0),"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  UNIQUE (id, profile_id, user_id),"
    "  FOREIGN KEY (profile_id, user_id) REFERENCES profiles(id, user_id) ON DELETE CASCADE);"
    "CREATE INDEX medications_owner ON medications(user_id, profile_id);"
    "CREATE TABLE allergies ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER NOT NULL,"
    "  profile_id INTEGER NOT NULL,"
    "  substance TEXT NOT NULL,"
    "  drug_name TEXT,"
    "  rxcui INTEGER NOT NULL DEFAULT 0,"
    "  reaction TEXT,"
    "  severity TEXT,"
    "  notes TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  FOREIGN KEY (profile_id, user_id) REFERENCES profiles(id, user_id) ON DELETE CASCADE);"
    "CREATE INDEX allergies_owner ON allergies(user_id, profile_id);"
    "CREATE TABLE conditions ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER NOT NULL,"
    "  profile_id INTEGER NOT NULL,"
    "  name TEXT NOT NULL,"
    "  onset_date TEXT,"
    "  active INTEGER NOT NULL CHECK (active IN (0, 1)),"
    "  notes TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  updated_at INTEGER NOT NULL,"
    "  FOREIGN KEY (profile_id, user_id) REFERENCES profiles(id, user_id) ON DELETE CASCADE);"
    "CREATE INDEX conditions_owner ON conditions(user_id, profile_id);"
    "CREATE TABLE doses ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER NOT NULL,"
    "  profile_id INTEGER NOT NULL,"
    "  med_id INTEGER NOT NULL,"
    "  taken INTEGER NOT NULL CHECK (taken IN (0, 1)),"
    "  at INTEGER NOT NULL,"
    "  notes TEXT,"
    "  created_at INTEGER NOT NULL,"
    "  FOREIGN KEY (med_id, profile_id, user_id) REFERENCES medications(id, profile_id, user_id)"
    "    ON DELETE CASCADE);"
    "CREATE INDEX doses_owner ON doses(user_id, profile_id, at);"
    "CREATE INDEX doses_med ON doses(med_id);"
    "CREATE TABLE audit ("
    "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
    "  user_id INTEGER REFERENCES users(id) ON DELETE CASCADE,"
    "  at INTEGER NOT NULL,"
    "  entity TEXT NOT NULL,"
    "  entity_id INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  detail TEXT);"
    "CREATE INDEX audit_user ON audit(user_id, id);",
};

static void set_err(mt_sql_conn *c, const char *what)
{
    snprintf(c->err, sizeof(c->err), "%s: %s", what, sqlite3_errmsg(c->db));
}

static int map_rc(mt_sql_conn *c, int rc)
{
    switch (rc) {
    case SQLITE_OK: case SQLITE_DONE: case SQLITE_ROW:
        return MT_OK;
    case SQLITE_CONSTRAINT_UNIQUE: case SQLITE_CONSTRAINT_PRIMARYKEY:
        return MT_EEXIST;
    case SQLITE_CONSTRAINT_FOREIGNKEY:
        return MT_ENOTFOUND;
    case SQLITE_CONSTRAINT_CHECK: case SQLITE_CONSTRAINT_NOTNULL:
        return MT_EINVAL;
    case SQLITE_NOMEM:
        return MT_ENOMEM;
    default:
        break;
    }
    if ((rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED)
        return MT_EBUSY;
    (void)c;
    return MT_EIO;
}

static int lite_script(mt_sql_conn *c, const char *sql)
{
    char *msg = NULL;
    int rc = sqlite3_exec(c->db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) {
        snprintf(c->err, sizeof(c->err), "%s", msg ? msg : sqlite3_errstr(rc));
        sqlite3_free(msg);
        return map_rc(c, sqlite3_extended_errcode(c->db));
    }
    return MT_OK;
}

static void lite_disconnect(mt_sql_conn *c)
{
    unsigned i;
    if (!c)
        return;
    for (i = 0; i < c->ncache; i++)
        sqlite3_finalize(c->cache[i].st);
    sqlite3_close_v2(c->db);
    mt_free(c);
}

/* Opens path for reading and writing (created when missing), or, for
** store_copy.c's source, read-only: never created, never written (query_only
** on top of the read-only open), its journal mode left as it is. */
static int lite_open(const char *url, int ro, mt_sql_conn **out, char *err, size_t errsz)
{
    mt_sql_conn *c;
    const char *path = strncmp(url, "sqlite:", 7) == 0 ? url + 7 : url;
    int rc;

    *out = NULL;
    c = mt_calloc(1, sizeof(*c));
    if (!c) {
        snprintf(err, errsz, "out of memory");
        return MT_ENOMEM;
    }
    rc = sqlite3_open_v2(path, &c->db, (ro ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
                                       | SQLITE_OPEN_NOMUTEX, NULL);
    if (rc != SQLITE_OK) {
        snprintf(err, errsz, "%s: %s", path, c->db ? sqlite3_errmsg(c->db) : sqlite3_errstr(rc));
        lite_disconnect(c);
        return MT_EIO;
    }
    sqlite3_extended_result_codes(c->db, 1);
    sqlite3_busy_timeout(c->db, BUSY_MS);
    /* journal_mode answers a row; sqlite3_exec ignores it. */
    rc = ro ? lite_script(c, "PRAGMA query_only=ON;")
            : lite_script(c, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
                             "PRAGMA secure_delete=ON;");
    if (rc != MT_OK) {
        snprintf(err, errsz, "%s: %s", path, c->err);
        lite_disconnect(c);
        return MT_EIO;
    }
    *out = c;
    return MT_OK;
}

static int lite_connect(const char *url, mt_sql_conn **out, char *err, size_t errsz)
{
    return lite_open(url, 0, out, err, errsz);
}

static int lite_connect_ro(const char *url, mt_sql_conn **out, char *err, size_t errsz)
{
    return lite_open(url, 1, out, err, errsz);
}

static int lite_healthy(mt_sql_conn *c) { return c && c->db; }

/* The cached statement for sql ($N rewritten as ?N), prepared on first use. */
static int prepare(mt_sql_conn *c, const char *sql, sqlite3_stmt **st)
{
    char buf[SQL_MAX];
    size_t i, o = 0, n = strlen(sql);
    unsigned k;
    int rc;

    for (k = 0; k < c->ncache; k++) {
        if (c->cache[k].sql == sql) {
            *st = c->cache[k].st;
            return MT_OK;
        }
    }
    if (n >= sizeof(buf)) {
        snprintf(c->err, sizeof(c->err), "statement too long");
        return MT_EIO;
    }
    for (i = 0; i < n; i++)   /* constant SQL: no string literal holds a '$' */
        buf[o++] = sql[i] == '$' ? '?' : sql[i];
    buf[o] = '\0';
    rc = sqlite3_prepare_v3(c->db, buf, (int)o, c->ncache < STMT_CACHE ? SQLITE_PREPARE_PERSISTENT : 0,
                            st, NULL);
    if (rc != SQLITE_OK) {
        set_err(c, "prepare");
        return map_rc(c, rc);
    }
    if (c->ncache < STMT_CACHE) {
        c->cache[c->ncache].sql = sql;
        c->cache[c->ncache].st = *st;
        c->ncache++;
    }
    return MT_OK;
}

static int is_cached(mt_sql_conn *c, sqlite3_stmt *st)
{
    unsigned k;
    for (k = 0; k < c->ncache; k++)
        if (c->cache[k].st == st)
            return 1;
    return 0;
}

/* A REAL as the shortest text that reads back as the same double: SQLite's
** own text of a REAL has 15 significant digits, which can lose the last bits
** (0.1 + 0.2 would read back as 0.3), and a copy of the database must keep
** every value exactly. */
static const char *real_text(mt_arena *a, double d)
{
    char buf[40];
    int prec;
    for (prec = 15; prec <= 17; prec++) {
        snprintf(buf, sizeof(buf), "%.*g", prec, d);
        if (strtod(buf, NULL) == d)
            break;
    }
    return mt_arena_strdup(a, buf);
}

/* Appends the current row of st to res (cells grow by doubling in the arena). */
static int add_row(sqlite3_stmt *st, mt_arena *a, mt_sql_result *res, unsigned *cap)
{
    unsigned ncols = (unsigned)sqlite3_column_count(st), i;
    if (res->nrows == 0)
        res->ncols = ncols;
    if (res->nrows == *cap) {
        unsigned ncap = *cap ? *cap * 2 : 8;
        const char **cells = mt_arena_alloc(a, (size_t)ncap * (ncols ? ncols : 1) * sizeof(*cells));
        if (!cells)
            return MT_ENOMEM;
        if (res->nrows)
            memcpy(cells, res->cells, (size_t)res->nrows * ncols * sizeof(*cells));
        res->cells = cells;
        *cap = ncap;
    }
    for (i = 0; i < ncols; i++) {
        const char **cell = &res->cells[(size_t)res->nrows * ncols + i];
        int type = sqlite3_column_type(st, (int)i);
        if (type == SQLITE_NULL) {
            *cell = NULL;
        } else if (type == SQLITE_FLOAT) {
            *cell = real_text(a, sqlite3_column_double(st, (int)i));
            if (!*cell)
                return MT_ENOMEM;
        } else {
            const unsigned char *t = sqlite3_column_text(st, (int)i);
            int len = sqlite3_column_bytes(st, (int)i);
            *cell = t ? mt_arena_strndup(a, (const char *)t, (size_t)len) : NULL;
            if (!*cell)
                return MT_ENOMEM;
        }
    }
    res->nrows++;
    return MT_OK;
}

static int lite_exec(mt_sql_conn *c, const char *sql, const mt_sqlv *args, unsigned nargs,
                     mt_arena *a, mt_sql_result *res)
{
    sqlite3_stmt *st = NULL;
    unsigned i, cap = 0;
    int rc, src;

    if (res)
        memset(res, 0, sizeof(*res));
    rc = prepare(c, sql, &st);
    if (rc != MT_OK)
        return rc;
    for (i = 0; i < nargs && rc == MT_OK; i++) {
        int b;
        switch (args[i].type) {
        case MT_SQL_INT:  b = sqlite3_bind_int64(st, (int)i + 1, args[i].i); break;
        case MT_SQL_REAL: b = sqlite3_bind_double(st, (int)i + 1, args[i].d); break;
        case MT_SQL_TEXT: b = args[i].s ? sqlite3_bind_text(st, (int)i + 1, args[i].s, -1, SQLITE_STATIC)
                                        : sqlite3_bind_null(st, (int)i + 1); break;
        default:          b = sqlite3_bind_null(st, (int)i + 1); break;
        }
        if (b != SQLITE_OK) {
            set_err(c, "bind");
            rc = map_rc(c, b);
        }
    }
    while (rc == MT_OK) {
        src = sqlite3_step(st);
        if (src == SQLITE_ROW) {
            if (res && a)
                rc = add_row(st, a, res, &cap);
            continue;
        }
        if (src != SQLITE_DONE) {
            set_err(c, "step");
            rc = map_rc(c, sqlite3_extended_errcode(c->db));
        }
        break;
    }
    if (is_cached(c, st)) {
        sqlite3_reset(st);
        sqlite3_clear_bindings(st);
    } else {
        sqlite3_finalize(st);
    }
    return rc;
}

static int lite_begin(mt_sql_conn *c, int write)
{
    return lite_script(c, write ? "BEGIN IMMEDIATE" : "BEGIN");
}

static const char *lite_errmsg(mt_sql_conn *c) { return c ? c->err : ""; }

/* AUTOINCREMENT keeps the highest id a table ever handed out in
** sqlite_sequence (a row per table that has had one), so that an id is never
** used twice, not even after its row was deleted. */
static int lite_seq_get(mt_sql_conn *c, const char *table, long long *last)
{
    static const char sql[] = "SELECT seq FROM sqlite_sequence WHERE name = $1";
    mt_sqlv v[1] = { { MT_SQL_TEXT, 0, 0, table } };
    mt_sql_result r;
    mt_arena a;
    int rc;

    *last = 0;
    mt_arena_init(&a, 256, 0);
    rc = lite_exec(c, sql, v, 1, &a, &r);
    if (rc == MT_OK && r.nrows && r.cells[0])
        *last = strtoll(r.cells[0], NULL, 10);
    mt_arena_free(&a);
    return rc;
}

static int lite_seq_set(mt_sql_conn *c, const char *table, long long last)
{
    static const char upd[] = "UPDATE sqlite_sequence SET seq = $2 WHERE name = $1";
    static const char ins[] = "INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)";
    mt_sqlv v[2] = { { MT_SQL_TEXT, 0, 0, table }, { MT_SQL_INT, last, 0, NULL } };
    int rc = lite_exec(c, upd, v, 2, NULL, NULL);
    if (rc == MT_OK && sqlite3_changes(c->db) == 0)
        rc = lite_exec(c, ins, v, 2, NULL, NULL);
    return rc;
}

const mt_store_backend mt_store_sqlite = {
    "sqlite", lite_connect, lite_disconnect, lite_healthy, lite_script, lite_exec, lite_begin,
    lite_errmsg, migrations, sizeof(migrations) / sizeof(migrations[0]), NULL,
    lite_connect_ro, lite_seq_get, lite_seq_set,
    "SELECT COUNT(*) FROM pragma_table_info($1)",
};
