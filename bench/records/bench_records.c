/*
** bench_records.c — durable writes per second and read latency of the
** records store, on SQLite and PostgreSQL in one run (bench/README.md,
** "records").
**
** A write is what an API create does: one transaction with the per-profile
** count, the INSERT, its audit row and the read-back, committed durably
** (SQLite WAL + synchronous=FULL; PostgreSQL synchronous_commit=on). Reads
** are a medication by id and a profile's medication list (20 rows), each
** scoped by user as the API does. Timings are wall clock per operation.
**
**   bench_records [--sqlite FILE] [--pg URL] [--writes N] [--threads N] [--reads N]
*/
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "materia/status.h"
#include "records/store.h"
#include "util/alloc.h"

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

typedef struct job {
    mt_store *st;
    mt_id     user, profile;
    unsigned  n;
    unsigned  failed;
} job;

static void *writer(void *arg)
{
    job *j = arg;
    mt_arena a;
    unsigned i;
    mt_arena_init(&a, 4096, 0);
    for (i = 0; i < j->n; i++) {
        mt_rec_condition c, out;
        mt_rec_condition_init(&c);
        c.name = "benchmark condition";
        if (mt_store_condition_create(j->st, j->user, j->profile, &c, &a, &out) != MT_OK)
            j->failed++;
        mt_arena_reset(&a);
    }
    mt_arena_free(&a);
    return NULL;
}

/* Writes n records from `threads` threads, each into its own profile (the
** per-profile limit is 500: n / threads must stay below it). Returns writes/s. */
static double writes(mt_store *st, mt_id user, const mt_id *profiles, unsigned n, unsigned threads)
{
    pthread_t th[64];
    job jobs[64];
    unsigned i, failed = 0;
    double t0 = now_s(), dt;
    for (i = 0; i < threads; i++) {
        jobs[i].st = st;
        jobs[i].user = user;
        jobs[i].profile = profiles[i];
        jobs[i].n = n / threads;
        jobs[i].failed = 0;
        pthread_create(&th[i], NULL, writer, &jobs[i]);
    }
    for (i = 0; i < threads; i++) {
        pthread_join(th[i], NULL);
        failed += jobs[i].failed;
    }
    dt = now_s() - t0;
    if (failed)
        fprintf(stderr, "bench_records: %u writes failed\n", failed);
    return (double)(n / threads * threads - failed) / dt;
}

static void pct(double *v, unsigned n, double *p50, double *p99, double *mean)
{
    unsigned i;
    double sum = 0;
    qsort(v, n, sizeof(*v), cmp_d);
    for (i = 0; i < n; i++)
        sum += v[i];
    *p50 = v[n / 2];
    *p99 = v[(unsigned)((double)n * 0.99)];
    *mean = sum / n;
}

static int run(const char *label, const char *url, unsigned nwrites, unsigned threads, unsigned nreads)
{
    mt_store_opts o = { threads + 1 };
    mt_store *st = NULL;
    mt_arena a;
    mt_rec_user u;
    mt_rec_profile pin, pout;
    mt_id profiles[64], meds[20];
    double *lat = NULL, w1, wn, p50, p99, mean, l50, l99, lmean;
    char err[256], name[64];
    unsigned i;
    int rc;

    if (threads > 64)
        threads = 64;
    rc = mt_store_open(&st, url, &o, err, sizeof(err));
    if (rc != MT_OK) {
        fprintf(stderr, "bench_records: %s: %s\n", label, err);
        return 1;
    }
    mt_arena_init(&a, 64 * 1024, 0);
    snprintf(name, sizeof(name), "bench-%ld-%ld", (long)getpid(), (long)time(NULL));
    rc = mt_store_user_create(st, name, "!", &a, &u);
    memset(&pin, 0, sizeof(pin));
    pin.name = "bench";
    pin.relation = "self";
    for (i = 0; rc == MT_OK && i < threads + 1; i++) {
        rc = mt_store_profile_create(st, u.id, &pin, &a, &pout);
        profiles[i] = pout.id;
    }
    for (i = 0; rc == MT_OK && i < 20; i++) {
        mt_rec_med m, out;
        mt_rec_med_init(&m);
        m.drug_text = "sertraline 50 mg";
        m.drug_name = "sertraline";
        m.rxcui = 36437;
        m.dose_amount = 1;
        m.dose_unit = "tablet";
        m.sched_kind = MT_SCHED_TIMES_PER_DAY;
        m.times_per_day = 1;
        rc = mt_store_med_create(st, u.id, profiles[threads], &m, &a, &out);
        meds[i] = out.id;
    }
    if (rc != MT_OK) {
        fprintf(stderr, "bench_records: %s: setup: %s\n", label, mt_strerror(rc));
        goto done;
    }
    w1 = writes(st, u.id, &profiles[threads], nwrites / 4 < 400 ? nwrites / 4 : 400, 1);
    wn = writes(st, u.id, profiles, threads * 400 < nwrites ? threads * 400 : nwrites, threads);
    lat = mt_calloc(nreads, sizeof(*lat));
    if (!lat) {
        rc = MT_ENOMEM;
        goto done;
    }
    for (i = 0; i < nreads; i++) {
        mt_rec_med m;
        double t0 = now_s();
        if (mt_store_med_get(st, u.id, profiles[threads], meds[i % 20], &a, &m) != MT_OK)
            rc = MT_EIO;
        lat[i] = now_s() - t0;
        mt_arena_reset(&a);
    }
    pct(lat, nreads, &p50, &p99, &mean);
    for (i = 0; i < nreads / 4; i++) {
        mt_rec_med *list;
        size_t n;
        double t0 = now_s();
        if (mt_store_med_list(st, u.id, profiles[threads], -1, &a, &list, &n) != MT_OK || n != 20)
            rc = MT_EIO;
        lat[i] = now_s() - t0;
        mt_arena_reset(&a);
    }
    pct(lat, nreads / 4, &l50, &l99, &lmean);
    printf("%-11s %12.0f %14.0f %9.1f %9.1f %9.1f %9.1f %9.1f\n", label, w1, wn, p50 * 1e6, p99 * 1e6, mean * 1e6,
           l50 * 1e6, l99 * 1e6);
    if (rc != MT_OK)
        fprintf(stderr, "bench_records: %s: a read failed\n", label);
done:
    mt_free(lat);
    mt_arena_free(&a);
    mt_store_close(st);
    return rc == MT_OK ? 0 : 1;
}

int main(int argc, char **argv)
{
    const char *sqlite = NULL, *pg = NULL;
    unsigned nwrites = 2000, threads = 4, nreads = 20000;
    int i, fail = 0;
    char tmp[256];

    for (i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(argv[i], "--sqlite") == 0 && v) sqlite = argv[++i];
        else if (strcmp(argv[i], "--pg") == 0 && v) pg = argv[++i];
        else if (strcmp(argv[i], "--writes") == 0 && v) nwrites = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--threads") == 0 && v) threads = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (strcmp(argv[i], "--reads") == 0 && v) nreads = (unsigned)strtoul(argv[++i], NULL, 10);
        else {
            fprintf(stderr, "usage: bench_records [--sqlite FILE] [--pg URL] [--writes N] [--threads N] [--reads N]\n");
            return 2;
        }
    }
    if (!threads || !nreads || nwrites < 8) {
        fprintf(stderr, "bench_records: --threads, --reads must be > 0, --writes >= 8\n");
        return 2;
    }
    if (!sqlite) {
        snprintf(tmp, sizeof(tmp), "%s/materia-bench-records-%ld.db", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
                 (long)getpid());
        sqlite = tmp;
    }
    printf("records store: durable writes/s (1 thread, %u threads) and read latency in microseconds\n", threads);
    printf("%-11s %12s %14s %9s %9s %9s %9s %9s\n", "backend", "writes/s 1t", "writes/s Nt", "get p50", "get p99",
           "get mean", "list p50", "list p99");
    fail |= run("sqlite", sqlite, nwrites, threads, nreads);
    if (pg)
        fail |= run("postgresql", pg, nwrites, threads, nreads);
    else
        printf("%-11s (no --pg URL: skipped)\n", "postgresql");
    if (sqlite == tmp) {
        char f[300];
        unlink(tmp);
        snprintf(f, sizeof(f), "%s-wal", tmp);
        unlink(f);
        snprintf(f, sizeof(f), "%s-shm", tmp);
        unlink(f);
    }
    return fail;
}
