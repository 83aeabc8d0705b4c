/*
** bench_interact.c — time per interaction check for lists of 2, 10, 50 and
** 200 drugs: Materia's mt_check against a plain SQLite baseline holding the
** same facts, in one run (`make bench-interact`; results in bench/README.md).
**
** The baseline is built from the knowledge base itself, so both sides have
** exactly the same facts: every interaction rule (source, kind, severity,
** tier, level, sides, texts, record) in one table, every expanded drug pair
** (a < b, rule) in another with an index on (a, b), and drugs by RxCUI with
** their parent ingredient. A baseline check resolves each RxCUI with one
** indexed query, then queries every pair of the list's drugs (and reads each
** row's columns), which is what "the same facts in indexed tables, queried
** per pair" means. The database is in memory, SQLite's best case.
**
** Materia's side is the full mt_check on the same RxCUIs: resolution,
** interactions, duplications, class effects, anticholinergic burden and
** coverage, i.e. strictly more work than the baseline.
**
** Lists are drawn with a fixed seed from the drugs that have an RxCUI, three
** quarters of them among drugs with at least one interaction (so that the
** lists find something), and are the same for both sides. Each size is timed
** over many lists, the two sides interleaved list by list (so that both see
** the same cache and machine weather); the table gives the median and the
** 90th percentile of thread CPU time, and the median wall time.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb/kb_internal.h"
#include "materia/interact.h"
#include "util/alloc.h"

#define MAX_LIST 200

/* CPU time of this thread: on a shared, loaded machine wall time mostly
** measures the scheduler (a 100 us check preempted for a 10 ms quantum).
** Both sides run in this one thread, so CPU time compares their work. */
static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double wall_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (uint32_t)(rng_state % n);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* --- the SQLite baseline ---------------------------------------------------------- */

static int exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s: %s\n", sql, msg ? msg : "?");
        sqlite3_free(msg);
        return -1;
    }
    return 0;
}

static const char *S(const mt_kb *kb, uint32_t off)
{
    return mt_kb_str(kb, off);
}

static int build_baseline(const mt_kb *kb, sqlite3 **out)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    uint32_t n, i;
    const kb_ixrule *rules = mt_kb_ixrules(kb, &n);
    const kb_ixpair *pairs;
    const kb_drug *drugs;

    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return -1;
    if (exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
                 "CREATE TABLE rules(id INTEGER PRIMARY KEY, source TEXT, kind INT, severity INT, tier INT,"
                 " level TEXT, a_label TEXT, b_label TEXT, dur TEXT, effect TEXT, mechanism TEXT,"
                 " management TEXT, lang TEXT, record TEXT);"
                 "CREATE TABLE pairs(a INT, b INT, rule INT);"
                 "CREATE TABLE drugs(rxcui INTEGER PRIMARY KEY, id INT, parent INT);") != 0)
        goto fail;
    if (sqlite3_prepare_v2(db, "INSERT INTO rules VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (i = 0; i < n; i++) {
        const kb_ixrule *r = &rules[i];
        sqlite3_bind_int(st, 1, (int)i);
        sqlite3_bind_text(st, 2, mt_kb_cite_source(kb, r->cite), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 3, r->kind);
        sqlite3_bind_int(st, 4, r->severity);
        sqlite3_bind_int(st, 5, r->tier);
        sqlite3_bind_text(st, 6, S(kb, r->level), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 7, S(kb, r->a_label), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 8, S(kb, r->b_label), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, S(kb, r->dur), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, S(kb, r->effect), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, S(kb, r->mechanism), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 12, S(kb, r->management), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 13, S(kb, r->lang), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 14, mt_kb_cite_record(kb, r->cite), -1, SQLITE_STATIC);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    pairs = mt_kb_ixpairs(kb, &n);
    if (sqlite3_prepare_v2(db, "INSERT INTO pairs VALUES(?,?,?)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (i = 0; i < n; i++) {
        sqlite3_bind_int(st, 1, (int)pairs[i].a);
        sqlite3_bind_int(st, 2, (int)pairs[i].b);
        sqlite3_bind_int(st, 3, (int)pairs[i].rule);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    drugs = mt_kb_drugs(kb, &n);
    if (sqlite3_prepare_v2(db, "INSERT OR IGNORE INTO drugs VALUES(?,?,?)", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (i = 0; i < n; i++) {
        if (!drugs[i].rxcui)
            continue;
        sqlite3_bind_int(st, 1, (int)drugs[i].rxcui);
        sqlite3_bind_int(st, 2, (int)i);
        sqlite3_bind_int(st, 3, drugs[i].parent == KB_NONE ? -1 : (int)drugs[i].parent);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (exec(db, "CREATE INDEX pairs_ab ON pairs(a, b); COMMIT; ANALYZE;") != 0)
        goto fail;
    *out = db;
    return 0;
fail:
    fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return -1;
}

typedef struct baseline {
    sqlite3      *db;
    sqlite3_stmt *drug, *pair;
} baseline;

/* One baseline check: resolve each RxCUI, then query every pair. Returns the
** number of rule rows read (a checksum that keeps the work honest). */
static long baseline_check(baseline *b, const uint32_t *rxcuis, int n)
{
    int ids[2 * MAX_LIST], nid = 0, i, j;
    long rows = 0;
    size_t bytes = 0;

    for (i = 0; i < n; i++) {
        sqlite3_bind_int(b->drug, 1, (int)rxcuis[i]);
        if (sqlite3_step(b->drug) == SQLITE_ROW) {
            ids[nid++] = sqlite3_column_int(b->drug, 0);
            if (sqlite3_column_int(b->drug, 1) >= 0)
                ids[nid++] = sqlite3_column_int(b->drug, 1);
        }
        sqlite3_reset(b->drug);
    }
    for (i = 0; i < nid; i++) {
        for (j = i + 1; j < nid; j++) {
            int a = ids[i] < ids[j] ? ids[i] : ids[j], c = ids[i] < ids[j] ? ids[j] : ids[i];
            if (a == c)
                continue;
            sqlite3_bind_int(b->pair, 1, a);
            sqlite3_bind_int(b->pair, 2, c);
            while (sqlite3_step(b->pair) == SQLITE_ROW) {
                int k;
                rows++;
                for (k = 0; k < 13; k++) {
                    const unsigned char *t = sqlite3_column_text(b->pair, k);
                    bytes += t ? 1 : 0;
                }
            }
            sqlite3_reset(b->pair);
        }
    }
    return rows + (long)(bytes & 1);
}

/* --- lists ---------------------------------------------------------------------------- */

static uint32_t *pick_lists(const mt_kb *kb, int size, int count)
{
    uint32_t n, i, nwith = 0, nall = 0;
    const kb_drug *d = mt_kb_drugs(kb, &n);
    uint32_t *with = mt_malloc(n * sizeof(uint32_t)), *all = mt_malloc(n * sizeof(uint32_t));
    uint32_t *lists = mt_malloc((size_t)size * count * sizeof(uint32_t));
    int l, k;

    if (!with || !all || !lists) {
        mt_free(with);
        mt_free(all);
        mt_free(lists);
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (!d[i].rxcui || d[i].kind != MT_DRUG_INGREDIENT)
            continue;
        all[nall++] = d[i].rxcui;
        if (d[i].interactions.count)
            with[nwith++] = d[i].rxcui;
    }
    for (l = 0; l < count; l++)
        for (k = 0; k < size; k++)
            lists[(size_t)l * size + k] = (k % 4 != 3 && nwith) ? with[rnd(nwith)] : all[rnd(nall)];
    mt_free(with);
    mt_free(all);
    return lists;
}

/* Times of one side over all lists of one size. */
typedef struct timing {
    double *cpu, *wall;
    long findings;
} timing;

static int time_materia(const mt_kb *kb, const uint32_t *list, int size, timing *t, int l)
{
    char buf[MAX_LIST][16];
    const char *in[MAX_LIST];
    mt_check_result r;
    double a, w;
    int k;
    for (k = 0; k < size; k++) {
        snprintf(buf[k], sizeof(buf[k]), "%u", list[k]);
        in[k] = buf[k];
    }
    w = wall_us();
    a = now_us();
    if (mt_check(kb, in, (size_t)size, NULL, &r) != MT_OK)
        return -1;
    t->cpu[l] = now_us() - a;
    t->wall[l] = wall_us() - w;
    t->findings += r.nfindings;
    mt_check_result_free(&r);
    return 0;
}

static void time_sqlite(baseline *b, const uint32_t *list, int size, timing *t, int l)
{
    double a, w;
    w = wall_us();
    a = now_us();
    t->findings += baseline_check(b, list, size);
    t->cpu[l] = now_us() - a;
    t->wall[l] = wall_us() - w;
}

static void row(int size, int count, timing *m, timing *q)
{
    qsort(m->cpu, (size_t)count, sizeof(double), cmp_double);
    qsort(q->cpu, (size_t)count, sizeof(double), cmp_double);
    qsort(m->wall, (size_t)count, sizeof(double), cmp_double);
    qsort(q->wall, (size_t)count, sizeof(double), cmp_double);
    printf("%6d %6d %12.1f %12.1f %12.1f %12.1f %12.1f %12.1f %7.1fx %9.1f\n", size, count,
           m->cpu[count / 2], m->cpu[count * 9 / 10], q->cpu[count / 2], q->cpu[count * 9 / 10],
           m->wall[count / 2], q->wall[count / 2], q->cpu[count / 2] / m->cpu[count / 2],
           (double)m->findings / count);
}

static void header(const char *title)
{
    printf("\n%s\n", title);
    printf("%6s %6s %12s %12s %12s %12s %12s %12s %8s %9s\n", "drugs", "lists", "materia p50", "materia p90",
           "sqlite p50", "sqlite p90", "materia wall", "sqlite wall", "ratio", "findings");
}

int main(int argc, char **argv)
{
    static const int sizes[] = { 2, 10, 50, 200 };
    enum { NSIZES = sizeof(sizes) / sizeof(sizes[0]) };
    const char *path = mt_kb_default_path();
    mt_kb *kb = NULL;
    baseline b;
    int s, i, l, rc, pass;
    double t0;

    for (i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--kb") == 0 && i + 1 < argc)
            path = argv[++i];
        else {
            fprintf(stderr, "usage: bench_interact [--kb FILE]\n");
            return 2;
        }
    }
    rc = mt_kb_open(&kb, path, 0);
    if (rc != MT_OK) {
        fprintf(stderr, "%s: %s\n", path, mt_strerror(rc));
        return 1;
    }
    memset(&b, 0, sizeof(b));
    t0 = wall_us();
    if (build_baseline(kb, &b.db) != 0)
        return 1;
    if (sqlite3_prepare_v2(b.db, "SELECT id, parent FROM drugs WHERE rxcui = ?1", -1, &b.drug, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(b.db, "SELECT r.source, r.kind, r.severity, r.tier, r.level, r.a_label, r.b_label,"
                           " r.dur, r.effect, r.mechanism, r.management, r.lang, r.record"
                           " FROM pairs p JOIN rules r ON r.id = p.rule WHERE p.a = ?1 AND p.b = ?2",
                           -1, &b.pair, NULL) != SQLITE_OK) {
        fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(b.db));
        return 1;
    }
    printf("knowledge base: %s (%u rules, %u expanded pairs); SQLite %s baseline built in %.0f ms (in memory)\n",
           path, mt_kb_count(kb, KB_T_IXRULES), mt_kb_count(kb, KB_T_IXPAIRS), sqlite3_libversion(),
           (wall_us() - t0) / 1000.0);
    printf("Times per check in microseconds: p50/p90 of thread CPU time; wall = median wall-clock time.\n");

    /* Pass 0 interleaves the two sides list by list, so that both see the
    ** same machine and cache weather (each evicts the other's data: the
    ** cold case). Pass 1 runs all of Materia's checks, then all of the
    ** baseline's, each warm in its own loop. Same lists in both passes. */
    for (pass = 0; pass < 2; pass++) {
        header(pass == 0 ? "Interleaved, list by list (each side's data evicted by the other's):"
                         : "Each side alone over the same lists (warm):");
        rng_state = 0x9e3779b97f4a7c15ull;
        for (s = 0; s < NSIZES; s++) {
            int size = sizes[s], count = size <= 10 ? 2000 : size <= 50 ? 400 : 100;
            uint32_t *lists = pick_lists(kb, size, count);
            timing m, q;
            m.cpu = mt_malloc((size_t)count * sizeof(double));
            m.wall = mt_malloc((size_t)count * sizeof(double));
            q.cpu = mt_malloc((size_t)count * sizeof(double));
            q.wall = mt_malloc((size_t)count * sizeof(double));
            m.findings = q.findings = 0;
            if (!lists || !m.cpu || !m.wall || !q.cpu || !q.wall)
                return 1;
            for (l = 0; l < count; l++) {
                const uint32_t *list = lists + (size_t)l * size;
                if (time_materia(kb, list, size, &m, l) != 0)
                    return 1;
                if (pass == 0)
                    time_sqlite(&b, list, size, &q, l);
            }
            for (l = 0; pass == 1 && l < count; l++)
                time_sqlite(&b, lists + (size_t)l * size, size, &q, l);
            row(size, count, &m, &q);
            mt_free(lists);
            mt_free(m.cpu);
            mt_free(m.wall);
            mt_free(q.cpu);
            mt_free(q.wall);
        }
    }
    printf("\nratio = SQLite CPU median / Materia CPU median; findings = Materia's findings per list.\n"
           "Materia's check also resolves the inputs, finds duplications, class effects, the anticholinergic\n"
           "sum and per-source coverage; the baseline only resolves RxCUIs and reads the rule rows of every pair.\n");
    sqlite3_finalize(b.drug);
    sqlite3_finalize(b.pair);
    sqlite3_close(b.db);
    mt_kb_close(kb);
    return 0;
}
