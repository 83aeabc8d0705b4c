/*
** bench_pill.c — pill queries per second over the full pill table: Materia's
** mt_pill_search against a plain SQLite baseline holding the same data, in
** one run (`make bench-pill`; results in bench/README.md, "pills").
**
** The baseline is built from the knowledge base itself, so both sides have
** exactly the same pills: one row per pill with its imprint normalized the
** way Materia normalizes it (upper case, tokens; `norm` "G 4960 25 MG" and
** `squash` "G496025MG"), colour, shape, size, score, name, NDC, labeler and
** schedule, indexed on squash, colour and shape, plus a tokens table
** (token, pill) indexed on token. A baseline imprint query is what one
** would write by hand: (1) the pills that have every query token (indexed,
** any order); if none, (2) instr(squash, query) (a scan: the query joined
** differently, one side); if none, (3) one scan with LIKE patterns for one
** missing, extra or wrong character ("G49_025MG", "G4960_25MG", ...).
** Colour and shape are equality / LIKE filters on their columns. The
** baseline is handed SPL colour and shape names and the normalized query
** (it gets Materia's normalization for free); Materia gets the raw query
** with common colour words. Both return at most 10 rows.
**
** Queries are drawn with a fixed seed from the pills that have an imprint
** and a drug, in classes: the exact imprint written with random case and
** separators, tokens reversed, one side only, one character missing, one
** character swapped for its look-alike (O/0, I/1, S/5, B/8, Z/2, G/6),
** imprint + colour + shape, and colour + shape alone. A query "finds" its
** pill when a result has the same drug and normalized imprint. The run
** prints, per class, queries per second of thread CPU time (one thread;
** each side runs the class once untimed, then three times timed) and the
** share found in the first 10 results, for both sides.
*/
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb/kb_internal.h"
#include "materia/pill.h"
#include "pill/pindex.h"

#define NQ        1000
#define MAXPAT    80
#define RESULTS   10

/* Thread CPU time: the machines this runs on are shared, and wall time
** there measures the scheduler as much as the code. */
static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint32_t rnd(uint32_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (uint32_t)(rng % n);
}

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

static void squash(const char *norm, char *out)
{
    for (; *norm; norm++)
        if (*norm != ' ')
            *out++ = *norm;
    *out = '\0';
}

/* --- the baseline --------------------------------------------------------------------- */

static sqlite3 *build_baseline(const mt_kb *kb)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL, *tk = NULL;
    uint32_t n, i;
    const kb_pill *pills = mt_kb_pills(kb, &n);

    if (sqlite3_open(":memory:", &db) != SQLITE_OK)
        return NULL;
    if (exec(db, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; BEGIN;"
                 "CREATE TABLE pills(id INTEGER PRIMARY KEY, norm TEXT, squash TEXT, color TEXT, shape TEXT,"
                 " size_cmm INT, score INT, name TEXT, ndc TEXT, labeler TEXT, schedule TEXT, drug INT);"
                 "CREATE TABLE tokens(token TEXT, pill INT);") != 0)
        goto fail;
    if (sqlite3_prepare_v2(db, "INSERT INTO pills VALUES(?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "INSERT INTO tokens VALUES(?,?)", -1, &tk, NULL) != SQLITE_OK)
        goto fail;
    for (i = 0; i < n; i++) {
        const kb_pill *p = &pills[i];
        char norm[PI_NORM_MAX], sq[PI_NORM_MAX], *t, *save = NULL;
        pi_normalize(mt_kb_str(kb, p->imprint), norm, sizeof(norm), NULL, NULL);
        squash(norm, sq);
        sqlite3_bind_int(st, 1, (int)i);
        sqlite3_bind_text(st, 2, norm, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 3, sq, -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 4, mt_kb_str(kb, p->color), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, mt_kb_str(kb, p->shape), -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 6, (int)p->size_cmm);
        sqlite3_bind_int(st, 7, p->score);
        sqlite3_bind_text(st, 8, mt_kb_str(kb, p->name), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 9, mt_kb_str(kb, p->ndc11), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 10, mt_kb_str(kb, p->labeler), -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 11, mt_kb_str(kb, p->schedule), -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 12, p->drug == KB_NONE ? -1 : (sqlite3_int64)p->drug);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_reset(st);
        for (t = strtok_r(norm, " ", &save); t; t = strtok_r(NULL, " ", &save)) {
            sqlite3_bind_text(tk, 1, t, -1, SQLITE_TRANSIENT);
            sqlite3_bind_int(tk, 2, (int)i);
            if (sqlite3_step(tk) != SQLITE_DONE)
                goto fail;
            sqlite3_reset(tk);
        }
    }
    sqlite3_finalize(st);
    sqlite3_finalize(tk);
    st = tk = NULL;
    if (exec(db, "CREATE INDEX tokens_token ON tokens(token, pill); CREATE INDEX pills_squash ON pills(squash);"
                 "CREATE INDEX pills_color ON pills(color); CREATE INDEX pills_shape ON pills(shape);"
                 "COMMIT; ANALYZE;") != 0)
        goto fail;
    return db;
fail:
    fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
    sqlite3_finalize(st);
    sqlite3_finalize(tk);
    sqlite3_close(db);
    return NULL;
}

typedef struct query {
    char imprint[128];      /* what a person types (Materia's input) */
    char norm[PI_NORM_MAX]; /* the same, normalized (the baseline's input) */
    char color[32];         /* common word (Materia) */
    char spl_color[32];     /* SPL name (baseline) */
    char shape[32];
    uint32_t want;          /* the pill it was made from */
} query;

/* Runs one baseline query; fills ids (<= RESULTS). */
static int baseline(sqlite3 *db, const query *q, uint32_t *ids)
{
    char sql[8192], sq[PI_NORM_MAX], norm[PI_NORM_MAX];
    char filt[256] = "";
    sqlite3_stmt *st = NULL;
    int n = 0, ntok = 0, k;
    char *toks[PI_TOK_MAX], *save = NULL, *t;

    if (q->spl_color[0])
        snprintf(filt, sizeof(filt), " AND p.color LIKE '%%%s%%'", q->spl_color);
    if (q->shape[0])
        snprintf(filt + strlen(filt), sizeof(filt) - strlen(filt), " AND p.shape = '%s'", q->shape);
    if (!q->norm[0]) {
        snprintf(sql, sizeof(sql), "SELECT p.id FROM pills p WHERE 1%s LIMIT %d", filt, RESULTS);
        goto run;
    }
    snprintf(norm, sizeof(norm), "%s", q->norm);
    squash(q->norm, sq);
    for (t = strtok_r(norm, " ", &save); t && ntok < (int)PI_TOK_MAX; t = strtok_r(NULL, " ", &save)) {
        int dup = 0;
        for (k = 0; k < ntok && !dup; k++)
            dup = strcmp(toks[k], t) == 0;     /* "MYLAN 1010 MYLAN 1010": two distinct tokens */
        if (!dup)
            toks[ntok++] = t;
    }
    /* (1) every token, any order, through the token index */
    {
        int len = snprintf(sql, sizeof(sql), "SELECT p.id FROM pills p WHERE p.id IN (SELECT pill FROM tokens WHERE token IN (");
        for (k = 0; k < ntok; k++)
            len += snprintf(sql + len, sizeof(sql) - (size_t)len, "%s?", k ? "," : "");
        snprintf(sql + len, sizeof(sql) - (size_t)len, ") GROUP BY pill HAVING COUNT(DISTINCT token) = %d)%s LIMIT %d",
                 ntok, filt, RESULTS);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            return -1;
        for (k = 0; k < ntok; k++)
            sqlite3_bind_text(st, k + 1, toks[k], -1, SQLITE_STATIC);
        while (sqlite3_step(st) == SQLITE_ROW && n < RESULTS)
            ids[n++] = (uint32_t)sqlite3_column_int(st, 0);
        sqlite3_finalize(st);
        st = NULL;
        if (n)
            return n;
    }
    /* (2) the joined query inside the joined imprint */
    snprintf(sql, sizeof(sql), "SELECT p.id FROM pills p WHERE instr(p.squash, ?1) > 0%s LIMIT %d", filt, RESULTS);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
    sqlite3_bind_text(st, 1, sq, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW && n < RESULTS)
        ids[n++] = (uint32_t)sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (n)
        return n;
    /* (3) one missing, extra or wrong character: LIKE patterns, one scan */
    {
        size_t L = strlen(sq), i;
        int len = snprintf(sql, sizeof(sql), "SELECT p.id FROM pills p WHERE (0");
        int np = 0;
        char pats[MAXPAT][PI_NORM_MAX + 4];
        for (i = 0; i <= L && np + 3 <= MAXPAT; i++) {
            /* missing in the query: a character inserted at i */
            snprintf(pats[np++], sizeof(pats[0]), "%%%.*s_%s%%", (int)i, sq, sq + i);
            if (i < L) {
                snprintf(pats[np++], sizeof(pats[0]), "%%%.*s_%s%%", (int)i, sq, sq + i + 1);   /* wrong */
                snprintf(pats[np++], sizeof(pats[0]), "%%%.*s%s%%", (int)i, sq, sq + i + 1);    /* extra */
            }
        }
        for (k = 0; k < np; k++)
            len += snprintf(sql + len, sizeof(sql) - (size_t)len, " OR p.squash LIKE ?%d", k + 1);
        snprintf(sql + len, sizeof(sql) - (size_t)len, ")%s LIMIT %d", filt, RESULTS);
        if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
            return -1;
        for (k = 0; k < np; k++)
            sqlite3_bind_text(st, k + 1, pats[k], -1, SQLITE_TRANSIENT);
    }
    goto step;
run:
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        return -1;
step:
    while (sqlite3_step(st) == SQLITE_ROW && n < RESULTS)
        ids[n++] = (uint32_t)sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    return n;
}

/* --- queries ----------------------------------------------------------------------------- */

enum { C_EXACT, C_REVERSED, C_SIDE, C_MISSING, C_CONFUSED, C_ATTRS, C_ONLY_ATTRS, NCLASS };
static const char *const class_name[NCLASS] = {
    "exact imprint, random case and separators", "tokens reversed", "one side (some tokens)",
    "one character missing", "one look-alike character", "imprint + colour word + shape",
    "colour word + shape, no imprint"
};

/* Common words for SPL colours (lib/pill/pwords.c maps them back). */
static const char *color_word(const char *spl)
{
    static const char *const map[][2] = {
        { "WHITE", "off-white" }, { "BLUE", "light blue" }, { "BROWN", "tan" }, { "ORANGE", "peach" },
        { "GRAY", "grey" }, { "PURPLE", "lavender" }, { "TURQUOISE", "teal" }, { "RED", "maroon" },
        { "YELLOW", "gold" }, { "GREEN", "lime" }, { "PINK", "rose" }, { "BLACK", "black" }
    };
    size_t i;
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i][0], spl) == 0)
            return map[i][1];
    return spl;
}

static char look_alike(char c)
{
    switch (c) {
    case 'O': return '0'; case '0': return 'O';
    case 'I': return '1'; case '1': return 'I';
    case 'S': return '5'; case '5': return 'S';
    case 'B': return '8'; case '8': return 'B';
    case 'Z': return '2'; case '2': return 'Z';
    case 'G': return '6'; case '6': return 'G';
    default:  return 0;
    }
}

/* Writes tokens with random separators and case. */
static void typed(char toks[][32], int n, char *out, size_t outsz)
{
    static const char *const seps[] = { " ", "-", "", ";", " " };
    size_t len = 0;
    int i;
    out[0] = '\0';
    for (i = 0; i < n && len + 40 < outsz; i++) {
        const char *sep = i ? seps[rnd(5)] : "";
        int lower = rnd(2);
        size_t k;
        len += (size_t)snprintf(out + len, outsz - len, "%s", sep);
        for (k = 0; toks[i][k]; k++)
            out[len++] = lower && toks[i][k] >= 'A' && toks[i][k] <= 'Z' ? (char)(toks[i][k] + 32) : toks[i][k];
        out[len] = '\0';
    }
}

static int make_query(const mt_kb *kb, const uint32_t *pool, uint32_t npool, int cls, query *q)
{
    int tries;
    memset(q, 0, sizeof(*q));
    for (tries = 0; tries < 1000; tries++) {
        uint32_t id = pool[rnd(npool)];
        const kb_pill *p = mt_kb_pill(kb, id);
        char norm[PI_NORM_MAX], toks[PI_TOK_MAX][32], *t, *save = NULL;
        int n = 0, i;
        unsigned nch;
        size_t L;

        pi_normalize(mt_kb_str(kb, p->imprint), norm, sizeof(norm), NULL, &nch);
        for (t = strtok_r(norm, " ", &save); t && n < (int)PI_TOK_MAX; t = strtok_r(NULL, " ", &save))
            snprintf(toks[n++], 32, "%s", t);
        q->want = id;
        switch (cls) {
        case C_EXACT:
        case C_ATTRS:
            typed(toks, n, q->imprint, sizeof(q->imprint));
            break;
        case C_REVERSED:
            if (n < 2)
                continue;
            for (i = 0; i < n / 2; i++) {
                char tmp[32];
                memcpy(tmp, toks[i], 32);
                memcpy(toks[i], toks[n - 1 - i], 32);
                memcpy(toks[n - 1 - i], tmp, 32);
            }
            typed(toks, n, q->imprint, sizeof(q->imprint));
            break;
        case C_SIDE: {
            char flat[PI_NORM_MAX];
            unsigned nc;
            int keep = n >= 2 ? 1 + (int)rnd((uint32_t)n - 1) : 0, start;
            if (!keep)
                continue;
            start = (int)rnd((uint32_t)(n - keep + 1));
            typed(toks + start, keep, q->imprint, sizeof(q->imprint));
            pi_normalize(q->imprint, flat, sizeof(flat), NULL, &nc);
            if (nc < 4)
                continue;
            break;
        }
        case C_MISSING:
        case C_CONFUSED: {
            char flat[PI_NORM_MAX];
            int pos;
            typed(toks, n, flat, sizeof(flat));
            L = strlen(flat);
            if (nch < 5)               /* 4 characters left at least: a shorter one is ambiguous */
                continue;
            pos = (int)rnd((uint32_t)L);
            if (cls == C_MISSING) {
                if (flat[pos] == ' ' || flat[pos] == '-' || flat[pos] == ';')
                    continue;
                memmove(flat + pos, flat + pos + 1, L - (size_t)pos);
            } else {
                char up = flat[pos] >= 'a' && flat[pos] <= 'z' ? (char)(flat[pos] - 32) : flat[pos];
                char la = look_alike(up);
                if (!la)
                    continue;
                flat[pos] = la;
            }
            snprintf(q->imprint, sizeof(q->imprint), "%s", flat);
            break;
        }
        default:
            break;
        }
        if (cls == C_ATTRS || cls == C_ONLY_ATTRS) {
            const char *c = mt_kb_str(kb, p->color), *s = mt_kb_str(kb, p->shape);
            if (!*c || !*s || strchr(c, ','))
                continue;
            snprintf(q->spl_color, sizeof(q->spl_color), "%s", c);
            snprintf(q->color, sizeof(q->color), "%s", color_word(c));
            snprintf(q->shape, sizeof(q->shape), "%s", s);
        }
        if (q->imprint[0])
            pi_normalize(q->imprint, q->norm, sizeof(q->norm), NULL, NULL);
        return 0;
    }
    return -1;
}

/* Whether result pill r is the wanted pill or the same drug with the same imprint. */
static int found(const mt_kb *kb, uint32_t want, uint32_t r)
{
    const kb_pill *a = mt_kb_pill(kb, want), *b = mt_kb_pill(kb, r);
    char na[PI_NORM_MAX], nb[PI_NORM_MAX];
    if (want == r)
        return 1;
    if (a->drug != b->drug)
        return 0;
    pi_normalize(mt_kb_str(kb, a->imprint), na, sizeof(na), NULL, NULL);
    pi_normalize(mt_kb_str(kb, b->imprint), nb, sizeof(nb), NULL, NULL);
    return strcmp(na, nb) == 0;
}

int main(int argc, char **argv)
{
    const char *path = mt_kb_default_path();
    mt_kb *kb = NULL;
    sqlite3 *db;
    mt_pill_results r;
    uint32_t *pool, npool = 0, n, i;
    query *qs;
    int cls, k, verbose = 0;
    double t0;

    for (k = 1; k < argc; k++) {
        if (strcmp(argv[k], "--kb") == 0 && k + 1 < argc)
            path = argv[++k];
        else if (strcmp(argv[k], "--verbose") == 0)
            verbose = 1;
        else {
            fprintf(stderr, "usage: bench_pill [--kb FILE] [--verbose]\n");
            return 2;
        }
    }
    if (mt_kb_open(&kb, path, 0) != MT_OK) {
        fprintf(stderr, "bench_pill: cannot open %s\n", path);
        return 1;
    }
    if (mt_pill_results_init(&r) != MT_OK)
        return 1;
    t0 = now_s();
    db = build_baseline(kb);
    if (!db)
        return 1;
    mt_kb_pills(kb, &n);
    printf("pills: %u; SQLite baseline built in %.2f s (in memory, indexed)\n", n, now_s() - t0);
    pool = calloc(n ? n : 1, sizeof(*pool));
    qs = calloc(NQ, sizeof(*qs));
    if (!pool || !qs)
        return 1;
    for (i = 0; i < n; i++) {
        const kb_pill *p = mt_kb_pill(kb, i);
        if (*mt_kb_str(kb, p->imprint) && p->drug != KB_NONE)
            pool[npool++] = i;
    }
    printf("%-44s %12s %12s %10s %10s\n", "class (1000 queries each)", "materia q/s", "sqlite q/s",
           "materia@10", "sqlite@10");
    for (cls = 0; cls < NCLASS; cls++) {
        unsigned found_m = 0, found_s = 0, rr;
        double tm, ts;
        for (i = 0; i < NQ; i++)
            if (make_query(kb, pool, npool, cls, &qs[i]) != 0)
                return 1;
        /* Materia: one untimed pass that also counts what is found, then three timed */
        for (rr = 0; rr < 4; rr++) {
            if (rr == 1)
                t0 = now_s();
            for (i = 0; i < NQ; i++) {
                mt_pill_query mq;
                unsigned h;
                memset(&mq, 0, sizeof(mq));
                mq.imprint = qs[i].imprint[0] ? qs[i].imprint : NULL;
                mq.color = qs[i].color[0] ? qs[i].color : NULL;
                mq.shape = qs[i].shape[0] ? qs[i].shape : NULL;
                if (mt_pill_search(kb, &mq, RESULTS, &r) != MT_OK) {
                    fprintf(stderr, "materia: %s\n", r.error);
                    return 1;
                }
                if (rr == 0 && cls != C_ONLY_ATTRS) {
                    for (h = 0; h < r.count; h++) {
                        unsigned s;
                        int f = found(kb, qs[i].want, r.hits[h].pill);
                        for (s = 0; !f && s < r.hits[h].nsame && s < MT_PILL_SAME_MAX; s++)
                            f = found(kb, qs[i].want, r.hits[h].same[s]);
                        if (f) {
                            found_m++;
                            break;
                        }
                    }
                    if (verbose && h == r.count)
                        fprintf(stderr, "not found [%s]: \"%s\" (pill %u \"%s\"): %u results, %u matched\n",
                                class_name[cls], qs[i].imprint, qs[i].want,
                                mt_kb_str(kb, mt_kb_pill(kb, qs[i].want)->imprint), r.count, r.matched);
                }
            }
        }
        tm = (now_s() - t0) / 3;
        /* SQLite: the same */
        for (rr = 0; rr < 4; rr++) {
            if (rr == 1)
                t0 = now_s();
            for (i = 0; i < NQ; i++) {
                uint32_t ids[RESULTS];
                int got = baseline(db, &qs[i], ids), h;
                if (got < 0) {
                    fprintf(stderr, "sqlite: %s\n", sqlite3_errmsg(db));
                    return 1;
                }
                for (h = 0; rr == 0 && h < got && cls != C_ONLY_ATTRS; h++)
                    if (found(kb, qs[i].want, ids[h])) {
                        found_s++;
                        break;
                    }
            }
        }
        ts = (now_s() - t0) / 3;
        if (cls == C_ONLY_ATTRS)
            printf("%-44s %12.0f %12.0f %10s %10s\n", class_name[cls], NQ / tm, NQ / ts, "-", "-");
        else
            printf("%-44s %12.0f %12.0f %9.1f%% %9.1f%%\n", class_name[cls], NQ / tm, NQ / ts,
                   100.0 * found_m / NQ, 100.0 * found_s / NQ);
    }
    printf("(one thread; q/s = queries per second of thread CPU time; @10 = the pill's drug and imprint among the\n"
           " first 10 results)\n");
    mt_pill_results_free(&r);
    sqlite3_close(db);
    mt_kb_close(kb);
    free(pool);
    free(qs);
    return 0;
}
