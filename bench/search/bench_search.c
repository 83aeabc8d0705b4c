/*
** bench_search.c — the Materia side of bench/search: exports the names the
** peers index, and times mt_search in-process over the query set.
**
**   bench_search export KB NAMES.tsv
**       every name of the knowledge base except product names, one line
**       each: drug id (the ingredient it resolves to), name kind (0 for
**       the drug's display name, else mt_name_kind), name.
**   bench_search run KB QUERIES.tsv [SECONDS] [RESULTS.tsv]
**       runs the query set (query, expected drug ids "1,2", category) again
**       and again for at least SECONDS (default 3) after one warm-up pass,
**       timing every call; prints one JSON object: queries/s over wall-clock
**       time and over the thread's CPU time (the machine's load does not
**       count against it), p50 and p99 wall-clock latency in microseconds,
**       top-1 and top-5 accuracy. RESULTS.tsv gets
**       the top-5 drug ids of each query (for inspection).
*/
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "kb/kb_internal.h"
#include "materia/search.h"
#include "util/alloc.h"

#define MAX_QUERIES 100000u
#define MAX_EXPECTED 16u

typedef struct query {
    char    *text;
    char    *category;
    uint32_t expected[MAX_EXPECTED];
    uint32_t nexpected;
} query;

static double clock_us(clockid_t which)
{
    struct timespec ts;
    clock_gettime(which, &ts);
    return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static double now_us(void) { return clock_us(CLOCK_MONOTONIC); }

static uint32_t resolve(const mt_kb *kb, uint32_t d)
{
    const kb_drug *r = mt_kb_drug(kb, d);
    if (r && r->kind == MT_DRUG_PRECISE && r->parent != KB_NONE)
        return r->parent;
    return d;
}

/* Names go out with tabs and newlines flattened to spaces. */
static void put_clean(FILE *f, const char *s)
{
    for (; *s; s++)
        fputc(*s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s, f);
}

static int export_names(const mt_kb *kb, const char *out)
{
    uint32_t i, n, nd;
    const kb_name *names = mt_kb_names(kb, &n);
    const kb_drug *drugs = mt_kb_drugs(kb, &nd);
    FILE *f = fopen(out, "w");
    unsigned long written = 0;

    if (!f) {
        fprintf(stderr, "bench_search: %s: %s\n", out, strerror(errno));
        return 1;
    }
    for (i = 0; i < nd; i++) {
        fprintf(f, "%u\t0\t", resolve(kb, i));
        put_clean(f, mt_kb_str(kb, drugs[i].name));
        fputc('\n', f);
        written++;
    }
    for (i = 0; i < n; i++) {
        if (names[i].kind == MT_NAME_PRODUCT)
            continue;
        fprintf(f, "%u\t%u\t", resolve(kb, names[i].drug), (unsigned)names[i].kind);
        put_clean(f, mt_kb_str(kb, names[i].text));
        fputc('\n', f);
        written++;
    }
    if (fclose(f) != 0) {
        fprintf(stderr, "bench_search: %s: %s\n", out, strerror(errno));
        return 1;
    }
    fprintf(stderr, "bench_search: %lu names written to %s\n", written, out);
    return 0;
}

static int load_queries(const char *path, query **out, uint32_t *count)
{
    FILE *f = fopen(path, "r");
    char line[2048];
    query *q;
    uint32_t n = 0;

    if (!f) {
        fprintf(stderr, "bench_search: %s: %s\n", path, strerror(errno));
        return 1;
    }
    q = mt_calloc(MAX_QUERIES, sizeof(*q));
    if (!q) {
        fclose(f);
        return 1;
    }
    while (fgets(line, sizeof(line), f) && n < MAX_QUERIES) {
        char *t1, *t2, *nl, *p;
        if ((nl = strchr(line, '\n')) != NULL)
            *nl = '\0';
        t1 = strchr(line, '\t');
        t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t1 || !t2)
            continue;
        *t1++ = '\0';
        *t2++ = '\0';
        q[n].text = mt_strdup(line);
        q[n].category = mt_strdup(t2);
        for (p = t1; *p && q[n].nexpected < MAX_EXPECTED; ) {
            char *end;
            unsigned long v = strtoul(p, &end, 10);
            if (end == p)
                break;
            q[n].expected[q[n].nexpected++] = (uint32_t)v;
            p = *end == ',' ? end + 1 : end;
        }
        if (!q[n].text || !q[n].category) {
            fclose(f);
            return 1;
        }
        n++;
    }
    fclose(f);
    *out = q;
    *count = n;
    return 0;
}

static int dbl_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int expected(const query *q, uint32_t drug)
{
    uint32_t i;
    for (i = 0; i < q->nexpected; i++)
        if (q->expected[i] == drug)
            return 1;
    return 0;
}

static int run(const mt_kb *kb, const char *path, double seconds, const char *results_path)
{
    query *q = NULL;
    uint32_t nq = 0, i, top1 = 0, top5 = 0;
    unsigned long examined = 0, capped = 0;
    mt_search_results r;
    double *lat = NULL, start, total, cpu0, cpu;
    size_t nlat = 0, cap, passes = 0;
    FILE *res = NULL;

    if (load_queries(path, &q, &nq) != 0 || nq == 0 || mt_search_results_init(&r) != MT_OK)
        return 1;
    if (results_path && !(res = fopen(results_path, "w"))) {
        fprintf(stderr, "bench_search: %s: %s\n", results_path, strerror(errno));
        return 1;
    }
    /* Warm-up pass: accuracy is taken here (every pass gives the same answers). */
    for (i = 0; i < nq; i++) {
        uint32_t h;
        int rc = mt_search(kb, q[i].text, 5, 0, &r);
        if (rc != MT_OK && rc != MT_ENOTFOUND) {
            fprintf(stderr, "bench_search: \"%s\": %s\n", q[i].text, mt_strerror(rc));
            return 1;
        }
        examined += r.examined;
        capped += r.capped;
        if (r.count > 0 && expected(&q[i], r.hits[0].drug))
            top1++;
        for (h = 0; h < r.count && h < 5; h++)
            if (expected(&q[i], r.hits[h].drug)) {
                top5++;
                break;
            }
        if (res) {
            fprintf(res, "%s\t", q[i].text);
            for (h = 0; h < r.count && h < 5; h++)
                fprintf(res, "%s%u", h ? "," : "", r.hits[h].drug);
            fputc('\n', res);
        }
    }
    if (res)
        fclose(res);
    cap = (size_t)nq * 4096;
    lat = mt_malloc(cap * sizeof(double));
    if (!lat)
        return 1;
    start = now_us();
    cpu0 = clock_us(CLOCK_THREAD_CPUTIME_ID);
    do {
        for (i = 0; i < nq && nlat < cap; i++) {
            double t0 = now_us();
            mt_search(kb, q[i].text, 5, 0, &r);
            lat[nlat++] = now_us() - t0;
        }
        passes++;
        total = now_us() - start;
    } while (total < seconds * 1e6 && nlat + nq <= cap);
    cpu = clock_us(CLOCK_THREAD_CPUTIME_ID) - cpu0;
    qsort(lat, nlat, sizeof(double), dbl_cmp);
    printf("{\"engine\":\"materia\",\"queries\":%u,\"passes\":%zu,\"qps\":%.0f,\"cpu_qps\":%.0f,"
           "\"p50_us\":%.2f,\"p99_us\":%.2f,\"max_us\":%.1f,\"top1\":%.4f,\"top5\":%.4f,"
           "\"examined_avg\":%.1f,\"capped\":%lu}\n",
           nq, passes, (double)nlat / (total / 1e6), (double)nlat / (cpu / 1e6), lat[nlat / 2], lat[(size_t)((double)nlat * 0.99)],
           lat[nlat - 1], (double)top1 / nq, (double)top5 / nq, (double)examined / nq, capped);
    mt_free(lat);
    for (i = 0; i < nq; i++) {
        mt_free(q[i].text);
        mt_free(q[i].category);
    }
    mt_free(q);
    mt_search_results_free(&r);
    return 0;
}

int main(int argc, char **argv)
{
    mt_kb *kb = NULL;
    int rc, status;

    if (argc < 4 || (strcmp(argv[1], "export") != 0 && strcmp(argv[1], "run") != 0)) {
        fprintf(stderr, "usage: bench_search export KB NAMES.tsv\n"
                        "       bench_search run KB QUERIES.tsv [SECONDS] [RESULTS.tsv]\n");
        return 2;
    }
    rc = mt_kb_open(&kb, argv[2], 0);
    if (rc != MT_OK) {
        fprintf(stderr, "bench_search: %s: %s\n", argv[2], mt_strerror(rc));
        return 1;
    }
    if (strcmp(argv[1], "export") == 0)
        status = export_names(kb, argv[3]);
    else
        status = run(kb, argv[3], argc > 4 ? strtod(argv[4], NULL) : 3.0, argc > 5 ? argv[5] : NULL);
    mt_kb_close(kb);
    return status;
}
