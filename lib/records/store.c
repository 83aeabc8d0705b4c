/*
** store.c — the records storage interface over a backend (store_sqlite.c,
** store_pg.c): the connection pool, migrations, transactions, and every
** user-visible read and write, each scoped by the owner's user id.
**
** Profiles, medications, allergies, conditions and doses are "entities":
** a constant column table per kind, from which the INSERT/SELECT/UPDATE/
** DELETE statements are generated once at open (never from user data), so
** that the scoping clause (WHERE id = $1 AND user_id = $2 AND profile_id =
** $3) is written in one place and cannot be forgotten by one query.
*/
#include "records/store.h"

#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "materia/status.h"
#include "records/store_backend.h"
#include "util/alloc.h"
#include "util/buf.h"

#define POOL_DEFAULT 4
#define POOL_MAX     64

/* --- entities ------------------------------------------------------------------ */

enum { C_TEXT, C_INT, C_I64, C_REAL };
enum { F_FIXED = 1,       /* set at insert, never updated (the drug of a medication) */
       F_READONLY = 2 };  /* an expression only read (whether a calendar token exists) */

typedef struct col {
    const char   *name;
    unsigned char type, flags;
    size_t        off;
} col;

typedef struct entity {
    const char *table, *audit;
    int         by_profile;       /* scoped by (user_id, profile_id); else by user_id */
    int         has_updated;
    const col  *cols;
    unsigned    ncols;
    size_t      off_id, off_owner, off_created;   /* updated_at, when present, follows created_at */
    unsigned    max;              /* rows per owner */
} entity;

#define COL(T, f, type, flags) { #f, type, flags, offsetof(T, f) }

static const col profile_cols[] = {
    COL(mt_rec_profile, name, C_TEXT, 0),
    COL(mt_rec_profile, relation, C_TEXT, 0),
    COL(mt_rec_profile, birth_date, C_TEXT, 0),
    { "(CASE WHEN calendar_hash IS NULL THEN 0 ELSE 1 END)", C_INT, F_READONLY,
      offsetof(mt_rec_profile, has_calendar) },
};

static const col med_cols[] = {
    COL(mt_rec_med, drug_text, C_TEXT, F_FIXED),
    COL(mt_rec_med, drug_name, C_TEXT, F_FIXED),
    COL(mt_rec_med, rxcui, C_I64, F_FIXED),
    COL(mt_rec_med, product, C_TEXT, F_FIXED),
    COL(mt_rec_med, strength, C_TEXT, 0),
    COL(mt_rec_med, form, C_TEXT, 0),
    COL(mt_rec_med, dose_amount, C_REAL, 0),
    COL(mt_rec_med, dose_unit, C_TEXT, 0),
    COL(mt_rec_med, sched_kind, C_INT, 0),
    COL(mt_rec_med, times_per_day, C_INT, 0),
    COL(mt_rec_med, clock_times, C_TEXT, 0),
    COL(mt_rec_med, max_per_day, C_REAL, 0),
    COL(mt_rec_med, start_date, C_TEXT, 0),
    COL(mt_rec_med, stop_date, C_TEXT, 0),
    COL(mt_rec_med, prescriber, C_TEXT, 0),
    COL(mt_rec_med, notes, C_TEXT, 0),
    COL(mt_rec_med, active, C_INT, 0),
    COL(mt_rec_med, stock, C_REAL, 0),
    COL(mt_rec_med, refill_at, C_REAL, 0),
};

static const col allergy_cols[] = {
    COL(mt_rec_allergy, substance, C_TEXT, 0),
    COL(mt_rec_allergy, drug_name, C_TEXT, 0),
    COL(mt_rec_allergy, rxcui, C_I64, 0),
    COL(mt_rec_allergy, reaction, C_TEXT, 0),
    COL(mt_rec_allergy, severity, C_TEXT, 0),
    COL(mt_rec_allergy, notes, C_TEXT, 0),
};

static const col condition_cols[] = {
    COL(mt_rec_condition, name, C_TEXT, 0),
    COL(mt_rec_condition, onset_date, C_TEXT, 0),
    COL(mt_rec_condition, active, C_INT, 0),
    COL(mt_rec_condition, notes, C_TEXT, 0),
};

static const col dose_cols[] = {
    COL(mt_rec_dose, med_id, C_I64, F_FIXED),
    COL(mt_rec_dose, taken, C_INT, 0),
    COL(mt_rec_dose, at, C_I64, 0),
    COL(mt_rec_dose, notes, C_TEXT, 0),
};

enum { E_PROFILE, E_MED, E_ALLERGY, E_CONDITION, E_DOSE, E_COUNT };
enum { Q_INSERT, Q_GET, Q_LIST, Q_UPDATE, Q_DELETE, Q_COUNT, Q_N };

#define NCOLS(a) (unsigned)(sizeof(a) / sizeof(a[0]))
#define ENT(T, table, audit, by_profile, upd, cols, owner, max) \
    { table, audit, by_profile, upd, cols, NCOLS(cols), offsetof(T, id), offsetof(T, owner), \
      offsetof(T, created_at), max }

static const entity entities[E_COUNT] = {
    ENT(mt_rec_profile, "profiles", "profile", 0, 1, profile_cols, user_id, MT_REC_MAX_PROFILES),
    ENT(mt_rec_med, "medications", "medication", 1, 1, med_cols, profile_id, MT_REC_MAX_MEDS),
    ENT(mt_rec_allergy, "allergies", "allergy", 1, 1, allergy_cols, profile_id, MT_REC_MAX_ITEMS),
    ENT(mt_rec_condition, "conditions", "condition", 1, 1, condition_cols, profile_id, MT_REC_MAX_ITEMS),
    ENT(mt_rec_dose, "doses", "dose", 1, 0, dose_cols, profile_id, 0),
};

/* updated_at follows created_at in every struct that has it. */
static size_t off_updated(const entity *e) { return e->off_created + sizeof(long long); }
#define FOLLOWS(T) _Static_assert(offsetof(T, updated_at) == offsetof(T, created_at) + sizeof(long long), \
                                  #T ": updated_at must follow created_at")
FOLLOWS(mt_rec_profile);
FOLLOWS(mt_rec_med);
FOLLOWS(mt_rec_allergy);
FOLLOWS(mt_rec_condition);

/* --- the store ------------------------------------------------------------------- */

struct mt_store {
    const mt_store_backend *be;
    char             *url;
    pthread_mutex_t   mu;
    pthread_cond_t    cv;
    unsigned          n;
    mt_sql_conn     **conns;
    unsigned char    *busy;
    char             *sql[E_COUNT][Q_N];
};

typedef struct tx {
    mt_store    *st;
    mt_sql_conn *c;
    unsigned     slot;
    int          open;       /* a transaction is open */
    int          held;       /* the connection is checked out */
} tx;

const char *mt_store_default_url(void)
{
    const char *e = getenv("MATERIA_DB");
    return e && *e ? e : MT_STORE_DEFAULT_FILE;
}

const mt_store_backend *mt_store_backend_of(const char *url)
{
    return strncmp(url, "postgres://", 11) == 0 || strncmp(url, "postgresql://", 13) == 0
               ? &mt_store_pg : &mt_store_sqlite;
}

const char *mt_store_backend_name(const mt_store *st) { return st ? st->be->name : ""; }

int mt_store_schema_latest(void)
{
    return (int)mt_store_sqlite.nmigrations;
}

static int acquire(mt_store *st, tx *t)
{
    struct timespec until;
    unsigned i;
    int rc = MT_OK;
    char err[256];

    memset(t, 0, sizeof(*t));
    t->st = st;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += MT_STORE_WAIT_MS / 1000;
    pthread_mutex_lock(&st->mu);
    for (;;) {
        for (i = 0; i < st->n && st->busy[i]; i++)
            ;
        if (i < st->n)
            break;
        if (pthread_cond_timedwait(&st->cv, &st->mu, &until) == ETIMEDOUT) {
            pthread_mutex_unlock(&st->mu);
            return MT_EBUSY;
        }
    }
    st->busy[i] = 1;
    pthread_mutex_unlock(&st->mu);
    t->slot = i;
    t->held = 1;
    if (!st->conns[i] || !st->be->healthy(st->conns[i])) {
        st->be->disconnect(st->conns[i]);
        st->conns[i] = NULL;
        rc = st->be->connect(st->url, &st->conns[i], err, sizeof(err));
        if (rc != MT_OK) {
            fprintf(stderr, "materia: records database: %s\n", err);
            rc = MT_EIO;
        }
    }
    t->c = st->conns[i];
    if (rc != MT_OK) {
        pthread_mutex_lock(&st->mu);
        st->busy[i] = 0;
        pthread_cond_signal(&st->cv);
        pthread_mutex_unlock(&st->mu);
        t->held = 0;
    }
    return rc;
}

/* Rolls back what is open and gives the connection back. Safe to call twice. */
static void tx_end(tx *t)
{
    if (t->open) {
        t->st->be->script(t->c, "ROLLBACK");
        t->open = 0;
    }
    if (t->held) {
        pthread_mutex_lock(&t->st->mu);
        t->st->busy[t->slot] = 0;
        pthread_cond_signal(&t->st->cv);
        pthread_mutex_unlock(&t->st->mu);
        t->held = 0;
    }
}

/* Replaces the transaction's connection after it broke (the PostgreSQL server
** restarted or dropped it): a pooled connection only learns it is dead when
** it is used. Only done before anything of the caller's ran on it. */
static int reconnect(tx *t)
{
    char err[256];
    int rc;
    t->st->be->disconnect(t->st->conns[t->slot]);
    t->st->conns[t->slot] = NULL;
    rc = t->st->be->connect(t->st->url, &t->st->conns[t->slot], err, sizeof(err));
    if (rc != MT_OK)
        fprintf(stderr, "materia: records database: %s\n", err);
    t->c = t->st->conns[t->slot];
    return rc == MT_OK ? MT_OK : MT_EIO;
}

static int tx_begin(mt_store *st, tx *t, int write)
{
    int rc = acquire(st, t);
    if (rc != MT_OK)
        return rc;
    rc = st->be->begin(t->c, write);
    if (rc == MT_EIO && !st->be->healthy(t->c) && reconnect(t) == MT_OK)
        rc = st->be->begin(t->c, write);
    if (rc != MT_OK) {
        tx_end(t);
        return rc;
    }
    t->open = 1;
    return MT_OK;
}

static int tx_commit(tx *t)
{
    int rc = t->st->be->script(t->c, "COMMIT");
    if (rc == MT_OK)
        t->open = 0;
    return rc;
}

/* Runs a statement on the transaction's connection; logs unexpected failures. */
static int q(tx *t, const char *sql, const mt_sqlv *args, unsigned n, mt_arena *a, mt_sql_result *res)
{
    int rc = t->st->be->exec(t->c, sql, args, n, a, res);
    /* Outside a transaction a statement is a read (every write runs in one):
    ** on a connection that turned out dead it is safe to run again. */
    if (rc == MT_EIO && !t->open && t->held && !t->st->be->healthy(t->c) && reconnect(t) == MT_OK)
        rc = t->st->be->exec(t->c, sql, args, n, a, res);
    if (rc == MT_EIO || rc == MT_ENOMEM)
        fprintf(stderr, "materia: records database (%s): %s\n", t->st->be->name, t->st->be->errmsg(t->c));
    return rc;
}

static mt_sqlv v_int(long long i) { mt_sqlv v = { MT_SQL_INT, i, 0, NULL }; return v; }
static mt_sqlv v_text(const char *s) { mt_sqlv v = { s ? MT_SQL_TEXT : MT_SQL_NULL, 0, 0, s }; return v; }
static mt_sqlv v_real(double d) { mt_sqlv v = { isnan(d) ? MT_SQL_NULL : MT_SQL_REAL, 0, d, NULL }; return v; }

static long long cell_i64(const char *s) { return s ? strtoll(s, NULL, 10) : 0; }
static double cell_real(const char *s) { return s ? strtod(s, NULL) : NAN; }
static const char *cell(const mt_sql_result *r, unsigned row, unsigned c)
{
    return row < r->nrows && c < r->ncols ? r->cells[(size_t)row * r->ncols + c] : NULL;
}

/* --- generated statements ------------------------------------------------------ */

static int gen_select_list(mt_buf *b, const entity *e)
{
    unsigned i;
    int rc = mt_buf_printf(b, "SELECT id, %s", e->by_profile ? "profile_id" : "user_id");
    for (i = 0; i < e->ncols && rc == MT_OK; i++)
        rc = mt_buf_printf(b, ", %s", e->cols[i].name);
    if (rc == MT_OK)
        rc = mt_buf_printf(b, ", created_at%s FROM %s", e->has_updated ? ", updated_at" : "", e->table);
    return rc;
}

static int gen_sql(mt_store *st)
{
    unsigned ei, i, k;
    int rc = MT_OK;
    mt_buf b;

    for (ei = 0; ei < E_COUNT && rc == MT_OK; ei++) {
        const entity *e = &entities[ei];
        const char *scope = e->by_profile ? "user_id = $2 AND profile_id = $3" : "user_id = $2";
        unsigned nkey = e->by_profile ? 3 : 2;
        for (k = 0; k < Q_N && rc == MT_OK; k++) {
            mt_buf_init(&b, 4096);
            switch (k) {
            case Q_INSERT: {
                unsigned p = e->by_profile ? 3 : 2;
                rc = mt_buf_printf(&b, "INSERT INTO %s (user_id%s", e->table, e->by_profile ? ", profile_id" : "");
                for (i = 0; i < e->ncols && rc == MT_OK; i++)
                    if (!(e->cols[i].flags & F_READONLY))
                        rc = mt_buf_printf(&b, ", %s", e->cols[i].name);
                if (rc == MT_OK)
                    rc = mt_buf_printf(&b, ", created_at%s) VALUES ($1%s", e->has_updated ? ", updated_at" : "",
                                       e->by_profile ? ", $2" : "");
                for (i = 0; i < e->ncols && rc == MT_OK; i++)
                    if (!(e->cols[i].flags & F_READONLY))
                        rc = mt_buf_printf(&b, ", $%u", p++);
                if (rc == MT_OK)   /* created_at and updated_at: the same parameter */
                    rc = e->has_updated ? mt_buf_printf(&b, ", $%u, $%u) RETURNING id", p, p)
                                        : mt_buf_printf(&b, ", $%u) RETURNING id", p);
                break;
            }
            case Q_GET:
                rc = gen_select_list(&b, e);
                if (rc == MT_OK)
                    rc = mt_buf_printf(&b, " WHERE id = $1 AND %s", scope);
                break;
            case Q_LIST:
                rc = gen_select_list(&b, e);
                if (rc == MT_OK)
                    rc = mt_buf_printf(&b, " WHERE %s ORDER BY id LIMIT %d",
                                       e->by_profile ? "user_id = $1 AND profile_id = $2" : "user_id = $1",
                                       MT_STORE_LIST_MAX);
                break;
            case Q_UPDATE: {
                unsigned p = nkey + 1;
                int first = 1;
                rc = mt_buf_printf(&b, "UPDATE %s SET ", e->table);
                for (i = 0; i < e->ncols && rc == MT_OK; i++) {
                    if (e->cols[i].flags & (F_READONLY | F_FIXED))
                        continue;
                    rc = mt_buf_printf(&b, "%s%s = $%u", first ? "" : ", ", e->cols[i].name, p++);
                    first = 0;
                }
                if (rc == MT_OK && e->has_updated)
                    rc = mt_buf_printf(&b, ", updated_at = $%u", p);
                if (rc == MT_OK)
                    rc = mt_buf_printf(&b, " WHERE id = $1 AND %s RETURNING id", scope);
                break;
            }
            case Q_DELETE:
                rc = mt_buf_printf(&b, "DELETE FROM %s WHERE id = $1 AND %s RETURNING id", e->table, scope);
                break;
            case Q_COUNT:
                rc = mt_buf_printf(&b, "SELECT COUNT(*) FROM %s WHERE %s", e->table,
                                   e->by_profile ? "user_id = $1 AND profile_id = $2" : "user_id = $1");
                break;
            }
            if (rc == MT_OK)
                st->sql[ei][k] = mt_buf_detach(&b);
            mt_buf_free(&b);
            if (rc == MT_OK && !st->sql[ei][k])
                rc = MT_ENOMEM;
        }
    }
    return rc;
}

/* Fills rec from row `row` of a result of gen_select_list. */
static void ent_read(const entity *e, const mt_sql_result *r, unsigned row, void *rec)
{
    char *p = rec;
    unsigned i, c = 2;
    *(mt_id *)(p + e->off_id) = cell_i64(cell(r, row, 0));
    *(mt_id *)(p + e->off_owner) = cell_i64(cell(r, row, 1));
    for (i = 0; i < e->ncols; i++, c++) {
        const char *v = cell(r, row, c);
        char *f = p + e->cols[i].off;
        switch (e->cols[i].type) {
        case C_TEXT: *(const char **)f = v; break;
        case C_INT:  *(int *)f = (int)cell_i64(v); break;
        case C_I64:  *(long long *)f = cell_i64(v); break;
        case C_REAL: *(double *)f = cell_real(v); break;
        }
    }
    *(long long *)(p + e->off_created) = cell_i64(cell(r, row, c++));
    if (e->has_updated)
        *(long long *)(p + off_updated(e)) = cell_i64(cell(r, row, c));
}

static mt_sqlv col_value(const col *c, const void *rec)
{
    const char *f = (const char *)rec + c->off;
    switch (c->type) {
    case C_TEXT: return v_text(*(const char *const *)f);
    case C_INT:  return v_int(*(const int *)f);
    case C_I64:  return v_int(*(const long long *)f);
    default:     return v_real(*(const double *)f);
    }
}

static int audit(tx *t, mt_id user, const char *entity_name, mt_id id, const char *action, const char *detail)
{
    static const char sql[] =
        "INSERT INTO audit (user_id, at, entity, entity_id, action, detail) VALUES ($1, $2, $3, $4, $5, $6)";
    mt_sqlv a[6];
    a[0] = user ? v_int(user) : v_text(NULL);
    a[1] = v_int(mt_rec_now());
    a[2] = v_text(entity_name);
    a[3] = v_int(id);
    a[4] = v_text(action);
    a[5] = v_text(detail);
    return q(t, sql, a, 6, NULL, NULL);
}

static int ent_count(tx *t, int ei, mt_id user, mt_id profile, mt_arena *a, long long *count)
{
    mt_sqlv k[2] = { v_int(user), v_int(profile) };
    mt_sql_result r;
    int rc = q(t, t->st->sql[ei][Q_COUNT], k, entities[ei].by_profile ? 2 : 1, a, &r);
    *count = rc == MT_OK ? cell_i64(cell(&r, 0, 0)) : 0;
    return rc;
}

/* Inserts rec (its id and timestamps are ignored) and writes the audit row. */
static int ent_insert(tx *t, int ei, mt_id user, mt_id profile, const void *rec, mt_arena *a, mt_id *id)
{
    const entity *e = &entities[ei];
    mt_sqlv v[MT_SQL_MAX_ARGS];
    unsigned n = 0, i;
    mt_sql_result r;
    char detail[64];
    int rc;

    v[n++] = v_int(user);
    if (e->by_profile)
        v[n++] = v_int(profile);
    for (i = 0; i < e->ncols; i++)
        if (!(e->cols[i].flags & F_READONLY))
            v[n++] = col_value(&e->cols[i], rec);
    v[n++] = v_int(mt_rec_now());
    rc = q(t, t->st->sql[ei][Q_INSERT], v, n, a, &r);
    if (rc == MT_OK && r.nrows != 1)
        rc = MT_EIO;
    if (rc != MT_OK)
        return rc;
    *id = cell_i64(cell(&r, 0, 0));
    if (e->by_profile)
        snprintf(detail, sizeof(detail), "profile %lld", profile);
    else
        detail[0] = '\0';
    return audit(t, user, e->audit, *id, "create", detail[0] ? detail : NULL);
}

static int ent_get_tx(tx *t, int ei, mt_id user, mt_id profile, mt_id id, mt_arena *a, void *out)
{
    mt_sqlv k[3] = { v_int(id), v_int(user), v_int(profile) };
    mt_sql_result r;
    int rc = q(t, t->st->sql[ei][Q_GET], k, entities[ei].by_profile ? 3 : 2, a, &r);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK)
        ent_read(&entities[ei], &r, 0, out);
    return rc;
}

static int ent_create(mt_store *st, int ei, mt_id user, mt_id profile, const void *in, mt_arena *a, void *out)
{
    long long count = 0;
    mt_id id = 0;
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    if (entities[ei].max) {
        rc = ent_count(&t, ei, user, profile, a, &count);
        if (rc == MT_OK && count >= entities[ei].max)
            rc = MT_ELIMIT;
    }
    if (rc == MT_OK)
        rc = ent_insert(&t, ei, user, profile, in, a, &id);
    if (rc == MT_OK)
        rc = ent_get_tx(&t, ei, user, profile, id, a, out);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

static int ent_get(mt_store *st, int ei, mt_id user, mt_id profile, mt_id id, mt_arena *a, void *out)
{
    tx t;
    int rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = ent_get_tx(&t, ei, user, profile, id, a, out);
    tx_end(&t);
    return rc;
}

static int ent_list(mt_store *st, int ei, mt_id user, mt_id profile, mt_arena *a, size_t size,
                    void **out, size_t *n)
{
    mt_sqlv k[2] = { v_int(user), v_int(profile) };
    mt_sql_result r;
    unsigned i;
    char *arr = NULL;
    tx t;
    int rc;

    *out = NULL;
    *n = 0;
    rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, st->sql[ei][Q_LIST], k, entities[ei].by_profile ? 2 : 1, a, &r);
    tx_end(&t);
    if (rc != MT_OK)
        return rc;
    if (r.nrows) {
        arr = mt_arena_calloc(a, r.nrows, size);
        if (!arr)
            return MT_ENOMEM;
    }
    for (i = 0; i < r.nrows; i++)
        ent_read(&entities[ei], &r, i, arr + (size_t)i * size);
    *out = arr;
    *n = r.nrows;
    return MT_OK;
}

static int ent_update(mt_store *st, int ei, mt_id user, mt_id profile, const void *in, mt_arena *a, void *out)
{
    const entity *e = &entities[ei];
    mt_sqlv v[MT_SQL_MAX_ARGS];
    unsigned n = 0, i;
    mt_id id = *(const mt_id *)((const char *)in + e->off_id);
    mt_sql_result r;
    tx t;
    int rc;

    v[n++] = v_int(id);
    v[n++] = v_int(user);
    if (e->by_profile)
        v[n++] = v_int(profile);
    for (i = 0; i < e->ncols; i++)
        if (!(e->cols[i].flags & (F_READONLY | F_FIXED)))
            v[n++] = col_value(&e->cols[i], in);
    if (e->has_updated)
        v[n++] = v_int(mt_rec_now());
    rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, st->sql[ei][Q_UPDATE], v, n, a, &r);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK)
        rc = audit(&t, user, e->audit, id, "update", NULL);
    if (rc == MT_OK)
        rc = ent_get_tx(&t, ei, user, profile, id, a, out);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

static int ent_delete(mt_store *st, int ei, mt_id user, mt_id profile, mt_id id)
{
    mt_sqlv k[3] = { v_int(id), v_int(user), v_int(profile) };
    mt_sql_result r;
    mt_arena a;
    tx t;
    int rc;

    mt_arena_init(&a, 1024, 0);
    rc = tx_begin(st, &t, 1);
    if (rc == MT_OK)
        rc = q(&t, st->sql[ei][Q_DELETE], k, entities[ei].by_profile ? 3 : 2, &a, &r);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK)
        rc = audit(&t, user, entities[ei].audit, id, "delete", NULL);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    mt_arena_free(&a);
    return rc;
}

/* --- open, migrate, close ---------------------------------------------------------- */

static int migrate(mt_store *st, char *err, size_t errsz)
{
    static const char create_sql[] =
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL PRIMARY KEY, applied_at BIGINT NOT NULL)";
    static const char max_sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    static const char ins_sql[] = "INSERT INTO schema_version (version, applied_at) VALUES ($1, $2)";
    mt_sql_result r;
    mt_arena a;
    long long have = 0;
    unsigned v;
    tx t;
    int rc;

    mt_arena_init(&a, 1024, 0);
    rc = tx_begin(st, &t, 1);
    if (rc == MT_OK && st->be->migrate_lock)
        rc = q(&t, st->be->migrate_lock, NULL, 0, &a, &r);
    if (rc == MT_OK)
        rc = st->be->script(t.c, create_sql);
    if (rc == MT_OK)
        rc = q(&t, max_sql, NULL, 0, &a, &r);
    if (rc == MT_OK)
        have = cell_i64(cell(&r, 0, 0));
    if (rc == MT_OK && have > (long long)st->be->nmigrations) {
        snprintf(err, errsz, "the records database has schema version %lld, newer than this build's %u",
                 have, st->be->nmigrations);
        rc = MT_EVERSION;
        goto done;
    }
    for (v = (unsigned)have + 1; rc == MT_OK && v <= st->be->nmigrations; v++) {
        mt_sqlv args[2] = { v_int(v), v_int(mt_rec_now()) };
        rc = st->be->script(t.c, st->be->migrations[v - 1]);
        if (rc == MT_OK)
            rc = q(&t, ins_sql, args, 2, &a, NULL);
    }
    if (rc == MT_OK)
        rc = tx_commit(&t);
    if (rc != MT_OK && t.c)
        snprintf(err, errsz, "migrating the records database: %s", st->be->errmsg(t.c));
done:
    tx_end(&t);
    mt_arena_free(&a);
    return rc;
}

void mt_store_close(mt_store *st)
{
    unsigned i, k;
    if (!st)
        return;
    for (i = 0; st->conns && i < st->n; i++)     /* NULL when mt_store_open ran out of memory */
        st->be->disconnect(st->conns[i]);
    for (i = 0; i < E_COUNT; i++)
        for (k = 0; k < Q_N; k++)
            mt_free(st->sql[i][k]);
    pthread_mutex_destroy(&st->mu);
    pthread_cond_destroy(&st->cv);
    mt_free(st->conns);
    mt_free(st->busy);
    mt_free(st->url);
    mt_free(st);
}

int mt_store_open(mt_store **out, const char *url, const mt_store_opts *o, char *err, size_t errsz)
{
    mt_store *st;
    unsigned i, n = o && o->pool ? o->pool : POOL_DEFAULT;
    int rc;

    *out = NULL;
    if (errsz)
        err[0] = '\0';
    if (!url || !*url) {
        snprintf(err, errsz, "no records database given");
        return MT_EINVAL;
    }
    if (n > POOL_MAX)
        n = POOL_MAX;
    st = mt_calloc(1, sizeof(*st));
    if (!st) {
        snprintf(err, errsz, "out of memory");
        return MT_ENOMEM;
    }
    pthread_mutex_init(&st->mu, NULL);
    pthread_cond_init(&st->cv, NULL);
    st->be = mt_store_backend_of(url);
    st->url = mt_strdup(url);
    st->conns = mt_calloc(n, sizeof(*st->conns));
    st->busy = mt_calloc(n, 1);
    st->n = n;
    rc = st->url && st->conns && st->busy ? gen_sql(st) : MT_ENOMEM;
    if (rc != MT_OK) {
        snprintf(err, errsz, "out of memory");
        goto done;
    }
    /* The first connection proves the URL and migrates; the others open now
    ** too, so that a bad configuration fails at start, not at the first user. */
    for (i = 0; i < n && rc == MT_OK; i++)
        rc = st->be->connect(st->url, &st->conns[i], err, errsz);
    if (rc == MT_OK)
        rc = migrate(st, err, errsz);
done:
    if (rc != MT_OK) {
        mt_store_close(st);
        return rc;
    }
    *out = st;
    return MT_OK;
}

int mt_store_schema_version(mt_store *st, int *version)
{
    static const char sql[] = "SELECT COALESCE(MAX(version), 0) FROM schema_version";
    mt_sql_result r;
    mt_arena a;
    tx t;
    int rc;

    mt_arena_init(&a, 512, 0);
    rc = acquire(st, &t);
    if (rc == MT_OK)
        rc = q(&t, sql, NULL, 0, &a, &r);
    if (rc == MT_OK)
        *version = (int)cell_i64(cell(&r, 0, 0));
    tx_end(&t);
    mt_arena_free(&a);
    return rc;
}

/* --- accounts ----------------------------------------------------------------------- */

int mt_store_user_create(mt_store *st, const char *username, const char *pw_hash, mt_arena *a,
                         mt_rec_user *out)
{
    static const char sql[] = "INSERT INTO users (username, pw_hash, created_at) VALUES ($1, $2, $3) RETURNING id";
    mt_sqlv v[3] = { v_text(username), v_text(pw_hash), v_int(mt_rec_now()) };
    mt_sql_result r;
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 3, a, &r);
    if (rc == MT_OK) {
        out->id = cell_i64(cell(&r, 0, 0));
        out->username = mt_arena_strdup(a, username);
        out->created_at = v[2].i;
        rc = out->username ? audit(&t, out->id, "user", out->id, "create", NULL) : MT_ENOMEM;
    }
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

int mt_store_user_find(mt_store *st, const char *username, mt_arena *a, mt_rec_user *out,
                       const char **pw_hash)
{
    static const char sql[] = "SELECT id, username, pw_hash, created_at FROM users WHERE username = $1";
    mt_sqlv v[1] = { v_text(username) };
    mt_sql_result r;
    tx t;
    int rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 1, a, &r);
    tx_end(&t);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK) {
        out->id = cell_i64(cell(&r, 0, 0));
        out->username = cell(&r, 0, 1);
        out->created_at = cell_i64(cell(&r, 0, 3));
        if (pw_hash)
            *pw_hash = cell(&r, 0, 2);
    }
    return rc;
}

int mt_store_user_set_hash(mt_store *st, mt_id user, const char *pw_hash)
{
    static const char sql[] = "UPDATE users SET pw_hash = $2 WHERE id = $1";
    mt_sqlv v[2] = { v_int(user), v_text(pw_hash) };
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 2, NULL, NULL);
    if (rc == MT_OK)
        rc = audit(&t, user, "user", user, "update", "password hash parameters");
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

int mt_store_cred_create(mt_store *st, mt_id user, int kind, const char *token_hash,
                         const char *csrf_hash, const char *label, long long expires_at, mt_id *id)
{
    static const char sql[] =
        "INSERT INTO credentials (user_id, kind, token_hash, csrf_hash, label, created_at, expires_at)"
        " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    mt_sqlv v[7] = { v_int(user), v_int(kind), v_text(token_hash), v_text(csrf_hash), v_text(label),
                     v_int(mt_rec_now()), v_int(expires_at) };
    mt_sql_result r;
    mt_arena a;
    tx t;
    int rc;

    mt_arena_init(&a, 512, 0);
    rc = tx_begin(st, &t, 1);
    if (rc == MT_OK)
        rc = q(&t, sql, v, 7, &a, &r);
    if (rc == MT_OK) {
        *id = cell_i64(cell(&r, 0, 0));
        rc = audit(&t, user, kind == MT_CRED_SESSION ? "session" : "token", *id,
                   kind == MT_CRED_SESSION ? "login" : "create", label);
    }
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    mt_arena_free(&a);
    return rc;
}

#define CRED_COLS "c.id, c.user_id, c.kind, u.username, c.label, c.csrf_hash, c.created_at, c.expires_at"

static void cred_read(const mt_sql_result *r, unsigned row, mt_rec_cred *c)
{
    c->id = cell_i64(cell(r, row, 0));
    c->user_id = cell_i64(cell(r, row, 1));
    c->kind = (int)cell_i64(cell(r, row, 2));
    c->username = cell(r, row, 3);
    c->label = cell(r, row, 4);
    c->csrf_hash = cell(r, row, 5);
    c->created_at = cell_i64(cell(r, row, 6));
    c->expires_at = cell_i64(cell(r, row, 7));
}

int mt_store_cred_find(mt_store *st, const char *token_hash, long long now, mt_arena *a, mt_rec_cred *out)
{
    static const char sql[] = "SELECT " CRED_COLS " FROM credentials c JOIN users u ON u.id = c.user_id"
                              " WHERE c.token_hash = $1 AND c.expires_at > $2";
    mt_sqlv v[2] = { v_text(token_hash), v_int(now) };
    mt_sql_result r;
    tx t;
    int rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 2, a, &r);
    tx_end(&t);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK)
        cred_read(&r, 0, out);
    return rc;
}

int mt_store_cred_delete(mt_store *st, mt_id user, mt_id id, int kind)
{
    static const char sql[] = "DELETE FROM credentials WHERE id = $1 AND user_id = $2 RETURNING kind";
    mt_sqlv v[2] = { v_int(id), v_int(user) };
    mt_sql_result r;
    mt_arena a;
    tx t;
    int rc, got;

    mt_arena_init(&a, 512, 0);
    rc = tx_begin(st, &t, 1);
    if (rc == MT_OK)
        rc = q(&t, sql, v, 2, &a, &r);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    got = rc == MT_OK ? (int)cell_i64(cell(&r, 0, 0)) : 0;
    if (rc == MT_OK && kind && got != kind)
        rc = MT_ENOTFOUND;          /* rolled back: the wrong kind is not deleted */
    if (rc == MT_OK)
        rc = audit(&t, user, got == MT_CRED_SESSION ? "session" : "token", id,
                   got == MT_CRED_SESSION ? "logout" : "delete", NULL);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    mt_arena_free(&a);
    return rc;
}

int mt_store_cred_list(mt_store *st, mt_id user, int kind, long long now, mt_arena *a,
                       mt_rec_cred **out, size_t *n)
{
    static const char sql[] = "SELECT " CRED_COLS " FROM credentials c JOIN users u ON u.id = c.user_id"
                              " WHERE c.user_id = $1 AND c.kind = $2 AND c.expires_at > $3 ORDER BY c.id LIMIT 1000";
    mt_sqlv v[3] = { v_int(user), v_int(kind), v_int(now) };
    mt_sql_result r;
    unsigned i;
    tx t;
    int rc;

    *out = NULL;
    *n = 0;
    rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 3, a, &r);
    tx_end(&t);
    if (rc != MT_OK || r.nrows == 0)
        return rc;
    *out = mt_arena_calloc(a, r.nrows, sizeof(**out));
    if (!*out)
        return MT_ENOMEM;
    for (i = 0; i < r.nrows; i++)
        cred_read(&r, i, &(*out)[i]);
    *n = r.nrows;
    return MT_OK;
}

int mt_store_fail_add(mt_store *st, const char *key, long long now)
{
    static const char sql[] = "INSERT INTO login_failures (key, at) VALUES ($1, $2)";
    mt_sqlv v[2] = { v_text(key), v_int(now) };
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 2, NULL, NULL);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

int mt_store_fail_count(mt_store *st, const char *key, long long since, unsigned *count, long long *oldest)
{
    static const char sql[] = "SELECT COUNT(*), MIN(at) FROM login_failures WHERE key = $1 AND at >= $2";
    mt_sqlv v[2] = { v_text(key), v_int(since) };
    mt_sql_result r;
    mt_arena a;
    tx t;
    int rc;

    mt_arena_init(&a, 512, 0);
    *count = 0;
    *oldest = 0;
    rc = acquire(st, &t);
    if (rc == MT_OK)
        rc = q(&t, sql, v, 2, &a, &r);
    tx_end(&t);
    if (rc == MT_OK) {
        *count = (unsigned)cell_i64(cell(&r, 0, 0));
        *oldest = cell_i64(cell(&r, 0, 1));
    }
    mt_arena_free(&a);
    return rc;
}

int mt_store_fail_clear(mt_store *st, const char *key)
{
    static const char sql[] = "DELETE FROM login_failures WHERE key = $1";
    mt_sqlv v[1] = { v_text(key) };
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 1, NULL, NULL);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

int mt_store_expire(mt_store *st, long long before)
{
    static const char fails[] = "DELETE FROM login_failures WHERE at < $1";
    static const char creds[] = "DELETE FROM credentials WHERE expires_at < $1";
    mt_sqlv v[1] = { v_int(before) };
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, fails, v, 1, NULL, NULL);
    if (rc == MT_OK)
        rc = q(&t, creds, v, 1, NULL, NULL);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

int mt_store_audit_add(mt_store *st, mt_id user, const char *entity_name, mt_id entity_id,
                       const char *action, const char *detail)
{
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = audit(&t, user, entity_name, entity_id, action, detail);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

int mt_store_audit_list(mt_store *st, mt_id user, unsigned limit, mt_id before_id, mt_arena *a,
                        mt_rec_audit **out, size_t *n)
{
    static const char sql[] = "SELECT id, at, entity, entity_id, action, detail FROM audit"
                              " WHERE user_id = $1 AND id < $2 ORDER BY id DESC LIMIT $3";
    mt_sqlv v[3] = { v_int(user), v_int(before_id > 0 ? before_id : (1LL << 62)),
                     v_int(limit && limit <= MT_STORE_LIST_MAX ? limit : 100) };
    mt_sql_result r;
    unsigned i;
    tx t;
    int rc;

    *out = NULL;
    *n = 0;
    rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 3, a, &r);
    tx_end(&t);
    if (rc != MT_OK || r.nrows == 0)
        return rc;
    *out = mt_arena_calloc(a, r.nrows, sizeof(**out));
    if (!*out)
        return MT_ENOMEM;
    for (i = 0; i < r.nrows; i++) {
        mt_rec_audit *x = &(*out)[i];
        x->id = cell_i64(cell(&r, i, 0));
        x->at = cell_i64(cell(&r, i, 1));
        x->entity = cell(&r, i, 2);
        x->entity_id = cell_i64(cell(&r, i, 3));
        x->action = cell(&r, i, 4);
        x->detail = cell(&r, i, 5);
    }
    *n = r.nrows;
    return MT_OK;
}

/* --- profiles ------------------------------------------------------------------------- */

int mt_store_profile_create(mt_store *st, mt_id user, const mt_rec_profile *in, mt_arena *a,
                            mt_rec_profile *out)
{
    return ent_create(st, E_PROFILE, user, 0, in, a, out);
}

int mt_store_profile_list(mt_store *st, mt_id user, mt_arena *a, mt_rec_profile **out, size_t *n)
{
    return ent_list(st, E_PROFILE, user, 0, a, sizeof(**out), (void **)out, n);
}

int mt_store_profile_get(mt_store *st, mt_id user, mt_id profile, mt_arena *a, mt_rec_profile *out)
{
    return ent_get(st, E_PROFILE, user, 0, profile, a, out);
}

int mt_store_profile_update(mt_store *st, mt_id user, const mt_rec_profile *in, mt_arena *a,
                            mt_rec_profile *out)
{
    return ent_update(st, E_PROFILE, user, 0, in, a, out);
}

int mt_store_profile_delete(mt_store *st, mt_id user, mt_id profile)
{
    return ent_delete(st, E_PROFILE, user, 0, profile);
}

int mt_store_profile_set_calendar(mt_store *st, mt_id user, mt_id profile, const char *token_hash)
{
    static const char sql[] = "UPDATE profiles SET calendar_hash = $3, updated_at = $4"
                              " WHERE id = $1 AND user_id = $2 RETURNING id";
    mt_sqlv v[4] = { v_int(profile), v_int(user), v_text(token_hash), v_int(mt_rec_now()) };
    mt_sql_result r;
    mt_arena a;
    tx t;
    int rc;

    mt_arena_init(&a, 512, 0);
    rc = tx_begin(st, &t, 1);
    if (rc == MT_OK)
        rc = q(&t, sql, v, 4, &a, &r);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK)
        rc = audit(&t, user, "profile", profile, token_hash ? "calendar-token" : "calendar-revoke", NULL);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    mt_arena_free(&a);
    return rc;
}

int mt_store_profile_by_calendar(mt_store *st, const char *token_hash, mt_arena *a, mt_rec_profile *out)
{
    /* The columns of gen_select_list for profiles: ent_read parses it. */
    static const char fixed[] =
        "SELECT id, user_id, name, relation, birth_date, 1, created_at, updated_at FROM profiles"
        " WHERE calendar_hash = $1";
    mt_sqlv v[1] = { v_text(token_hash) };
    mt_sql_result r;
    tx t;
    int rc;

    if (!token_hash)
        return MT_ENOTFOUND;
    rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, fixed, v, 1, a, &r);
    tx_end(&t);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK)
        ent_read(&entities[E_PROFILE], &r, 0, out);
    return rc;
}

/* --- a profile's records ------------------------------------------------------------------ */

int mt_store_med_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_med *in, mt_arena *a,
                        mt_rec_med *out)
{
    return ent_create(st, E_MED, user, profile, in, a, out);
}

int mt_store_med_list(mt_store *st, mt_id user, mt_id profile, int which, mt_arena *a,
                      mt_rec_med **out, size_t *n)
{
    size_t i, k = 0;
    int rc = ent_list(st, E_MED, user, profile, a, sizeof(**out), (void **)out, n);
    if (rc != MT_OK || which < 0)
        return rc;
    for (i = 0; i < *n; i++)
        if ((*out)[i].active == which)
            (*out)[k++] = (*out)[i];
    *n = k;
    return MT_OK;
}

int mt_store_med_get(mt_store *st, mt_id user, mt_id profile, mt_id med, mt_arena *a, mt_rec_med *out)
{
    return ent_get(st, E_MED, user, profile, med, a, out);
}

int mt_store_med_update(mt_store *st, mt_id user, mt_id profile, const mt_rec_med *in, mt_arena *a,
                        mt_rec_med *out)
{
    return ent_update(st, E_MED, user, profile, in, a, out);
}

int mt_store_med_delete(mt_store *st, mt_id user, mt_id profile, mt_id med)
{
    return ent_delete(st, E_MED, user, profile, med);
}

int mt_store_allergy_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_allergy *in,
                            mt_arena *a, mt_rec_allergy *out)
{
    return ent_create(st, E_ALLERGY, user, profile, in, a, out);
}

int mt_store_allergy_list(mt_store *st, mt_id user, mt_id profile, mt_arena *a,
                          mt_rec_allergy **out, size_t *n)
{
    return ent_list(st, E_ALLERGY, user, profile, a, sizeof(**out), (void **)out, n);
}

int mt_store_allergy_get(mt_store *st, mt_id user, mt_id profile, mt_id id, mt_arena *a,
                         mt_rec_allergy *out)
{
    return ent_get(st, E_ALLERGY, user, profile, id, a, out);
}

int mt_store_allergy_update(mt_store *st, mt_id user, mt_id profile, const mt_rec_allergy *in,
                            mt_arena *a, mt_rec_allergy *out)
{
    return ent_update(st, E_ALLERGY, user, profile, in, a, out);
}

int mt_store_allergy_delete(mt_store *st, mt_id user, mt_id profile, mt_id id)
{
    return ent_delete(st, E_ALLERGY, user, profile, id);
}

int mt_store_condition_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_condition *in,
                              mt_arena *a, mt_rec_condition *out)
{
    return ent_create(st, E_CONDITION, user, profile, in, a, out);
}

int mt_store_condition_list(mt_store *st, mt_id user, mt_id profile, mt_arena *a,
                            mt_rec_condition **out, size_t *n)
{
    return ent_list(st, E_CONDITION, user, profile, a, sizeof(**out), (void **)out, n);
}

int mt_store_condition_get(mt_store *st, mt_id user, mt_id profile, mt_id id, mt_arena *a,
                           mt_rec_condition *out)
{
    return ent_get(st, E_CONDITION, user, profile, id, a, out);
}

int mt_store_condition_update(mt_store *st, mt_id user, mt_id profile, const mt_rec_condition *in,
                              mt_arena *a, mt_rec_condition *out)
{
    return ent_update(st, E_CONDITION, user, profile, in, a, out);
}

int mt_store_condition_delete(mt_store *st, mt_id user, mt_id profile, mt_id id)
{
    return ent_delete(st, E_CONDITION, user, profile, id);
}

int mt_store_dose_create(mt_store *st, mt_id user, mt_id profile, const mt_rec_dose *in, mt_arena *a,
                         mt_rec_dose *out)
{
    static const char med_sql[] =
        "SELECT dose_amount FROM medications WHERE id = $1 AND user_id = $2 AND profile_id = $3";
    static const char stock_sql[] =
        "UPDATE medications SET stock = CASE WHEN stock > $4 THEN stock - $4 ELSE 0 END, updated_at = $5"
        " WHERE id = $1 AND user_id = $2 AND profile_id = $3 AND stock IS NOT NULL";
    mt_sqlv k[5] = { v_int(in->med_id), v_int(user), v_int(profile), v_real(1), v_int(mt_rec_now()) };
    mt_sql_result r;
    mt_id id = 0;
    tx t;
    int rc = tx_begin(st, &t, 1);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, med_sql, k, 3, a, &r);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    if (rc == MT_OK && cell(&r, 0, 0))
        k[3] = v_real(cell_real(cell(&r, 0, 0)));
    if (rc == MT_OK)
        rc = ent_insert(&t, E_DOSE, user, profile, in, a, &id);
    if (rc == MT_OK && in->taken)
        rc = q(&t, stock_sql, k, 5, NULL, NULL);
    if (rc == MT_OK)
        rc = ent_get_tx(&t, E_DOSE, user, profile, id, a, out);
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    return rc;
}

int mt_store_dose_list(mt_store *st, mt_id user, mt_id profile, mt_id med, unsigned limit, mt_arena *a,
                       mt_rec_dose **out, size_t *n)
{
    static const char all_sql[] =
        "SELECT id, profile_id, med_id, taken, at, notes, created_at FROM doses"
        " WHERE user_id = $1 AND profile_id = $2 ORDER BY at DESC, id DESC LIMIT $3";
    static const char med_sql[] =
        "SELECT id, profile_id, med_id, taken, at, notes, created_at FROM doses"
        " WHERE user_id = $1 AND profile_id = $2 AND med_id = $4 ORDER BY at DESC, id DESC LIMIT $3";
    mt_sqlv v[4] = { v_int(user), v_int(profile),
                     v_int(limit && limit <= MT_STORE_LIST_MAX ? limit : 100), v_int(med) };
    mt_sql_result r;
    unsigned i;
    tx t;
    int rc;

    *out = NULL;
    *n = 0;
    rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, med ? med_sql : all_sql, v, med ? 4 : 3, a, &r);
    tx_end(&t);
    if (rc != MT_OK || r.nrows == 0)
        return rc;
    *out = mt_arena_calloc(a, r.nrows, sizeof(**out));
    if (!*out)
        return MT_ENOMEM;
    for (i = 0; i < r.nrows; i++)
        ent_read(&entities[E_DOSE], &r, i, &(*out)[i]);
    *n = r.nrows;
    return MT_OK;
}

int mt_store_dose_export(mt_store *st, mt_id user, mt_id profile, unsigned max, mt_arena *a,
                         mt_rec_dose **out, size_t *n, int *truncated)
{
    /* one row more than asked tells whether older doses were left out */
    static const char sql[] =
        "SELECT id, profile_id, med_id, taken, at, notes, created_at FROM doses"
        " WHERE user_id = $1 AND profile_id = $2 ORDER BY at DESC, id DESC LIMIT $3";
    mt_sqlv v[3];
    mt_sql_result r;
    unsigned i, keep;
    tx t;
    int rc;

    *out = NULL;
    *n = 0;
    *truncated = 0;
    if (max == 0 || max > MT_STORE_LIST_MAX)
        max = MT_STORE_LIST_MAX;
    v[0] = v_int(user);
    v[1] = v_int(profile);
    v[2] = v_int((long long)max + 1);
    rc = acquire(st, &t);
    if (rc != MT_OK)
        return rc;
    rc = q(&t, sql, v, 3, a, &r);
    tx_end(&t);
    if (rc != MT_OK || r.nrows == 0)
        return rc;
    keep = r.nrows > max ? max : r.nrows;
    *out = mt_arena_calloc(a, keep, sizeof(**out));
    if (!*out)
        return MT_ENOMEM;
    for (i = 0; i < keep; i++)                 /* newest first in the result: oldest first out */
        ent_read(&entities[E_DOSE], &r, i, &(*out)[keep - 1 - i]);
    *n = keep;
    *truncated = r.nrows > max;
    return MT_OK;
}

int mt_store_dose_delete(mt_store *st, mt_id user, mt_id profile, mt_id id)
{
    return ent_delete(st, E_DOSE, user, profile, id);
}

int mt_store_import(mt_store *st, mt_id user, mt_id profile,
                    const mt_rec_med *meds, size_t nmeds,
                    const mt_rec_allergy *allergies, size_t nallergies,
                    const mt_rec_condition *conditions, size_t nconditions)
{
    static const char owner_sql[] = "SELECT id FROM profiles WHERE id = $1 AND user_id = $2";
    mt_sqlv k[2] = { v_int(profile), v_int(user) };
    mt_sql_result r;
    mt_arena a;
    long long count;
    mt_id id;
    size_t i;
    char detail[96];
    tx t;
    int rc;

    mt_arena_init(&a, 4096, 0);
    rc = tx_begin(st, &t, 1);
    if (rc == MT_OK)
        rc = q(&t, owner_sql, k, 2, &a, &r);
    if (rc == MT_OK && r.nrows == 0)
        rc = MT_ENOTFOUND;
    for (i = 0; rc == MT_OK && i < nmeds; i++)
        rc = ent_insert(&t, E_MED, user, profile, &meds[i], &a, &id);
    for (i = 0; rc == MT_OK && i < nallergies; i++)
        rc = ent_insert(&t, E_ALLERGY, user, profile, &allergies[i], &a, &id);
    for (i = 0; rc == MT_OK && i < nconditions; i++)
        rc = ent_insert(&t, E_CONDITION, user, profile, &conditions[i], &a, &id);
    if (rc == MT_OK && ent_count(&t, E_MED, user, profile, &a, &count) == MT_OK && count > MT_REC_MAX_MEDS)
        rc = MT_ELIMIT;
    if (rc == MT_OK && ent_count(&t, E_ALLERGY, user, profile, &a, &count) == MT_OK && count > MT_REC_MAX_ITEMS)
        rc = MT_ELIMIT;
    if (rc == MT_OK && ent_count(&t, E_CONDITION, user, profile, &a, &count) == MT_OK && count > MT_REC_MAX_ITEMS)
        rc = MT_ELIMIT;
    if (rc == MT_OK) {
        snprintf(detail, sizeof(detail), "profile %lld: %zu medications, %zu allergies, %zu conditions",
                 profile, nmeds, nallergies, nconditions);
        rc = audit(&t, user, "profile", profile, "import", detail);
    }
    if (rc == MT_OK)
        rc = tx_commit(&t);
    tx_end(&t);
    mt_arena_free(&a);
    return rc;
}
