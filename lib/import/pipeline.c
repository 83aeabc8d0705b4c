/*
** pipeline.c — the build pipeline of pipeline.h: find the sources, run the
** importers in dependency order, write the knowledge base, report.
**
** The importer table below is the one place that decides the order. Sources
** are matched by the `id` of their SOURCE.meta, not by folder name, so a
** folder can be renamed for a new edition without touching code.
*/
#include "import/pipeline.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "import/import.h"
#include "import/nondrugs.h"
#include "import/official.h"
#include "source/srcfile.h"
#include "util/alloc.h"

typedef int (*import_fn)(mt_import_ctx *ctx);

/* Identity sources first, then facts joining to them, then pills and
** documents, then interactions (which expand class rules). folder is the
** bundled folder, for error messages; NULL = a built-in source that the
** importer registers itself. */
static const struct importer {
    const char *id;
    const char *folder;
    import_fn   fn;
} importers[] = {
    { "rxnorm",            "rxnorm-ingredients-2025-10",   mt_import_rxnorm_json },
    { "rxterms",           "rxterms-ingredients",          mt_import_rxterms },
    { "drugbank",          "drugbank-open-vocabulary",     mt_import_drugbank_vocab },
    { "drugcentral",       "drugcentral-2016",             mt_import_drugcentral },
    { MT_NONDRUG_SOURCE_ID, NULL,                          mt_import_nondrugs },
    { "openfda",           "fda-openfda-files",            mt_import_drugsatfda },
    { "pharmacotherapydb", "pharmacotherapydb",            mt_import_pharmacotherapydb },
    { "labeledin",         "labeledin",                    mt_import_labeledin },
    { "dea-derived",       "dea-schedules-derived",        mt_import_dea_derived },
    { "acb",               "anticholinergic-burden",       mt_import_acb },
    { "spl-codes",         "spl-pill-codes",               mt_import_spl_codes },
    { "spl-xml",           "spl-xml-2014",                 mt_import_spl_xml },
    { "c3pi",              "c3pi-pill-imprints",           mt_import_c3pi },
    { "pill-challenge",    "nlm-pill-challenge-reference", mt_import_pill_challenge },
    { "pillbox-2014",      "pillbox-2014-indexes",         mt_import_pillbox_2014 },
    { "pillbox-2010",      "pillbox-api-2010-fixtures",    mt_import_pillbox_2010 },
    { "ema-epi",           "ema-epi-leaflets",             mt_import_ema_leaflets },
    { "ansm",              "ansm-thesaurus-fr",            mt_import_ansm },
    { "worldvista",        "ansm-thesaurus-en-worldvista", mt_import_worldvista },
    { "onc-high",          "onc-high-priority-2012",       mt_import_onc_high },
    { "onc-nonint",        "onc-non-interruptive-2013",    mt_import_onc_nonint },
    { "ndfrt",             "ndfrt-va-ddi-subset",          mt_import_ndfrt },
    { "va56",              "va-file56-pairs",              mt_import_va56 },
    { "tripsit",           "tripsit-combos",               mt_import_tripsit }
};
#define NIMPORTERS (sizeof(importers) / sizeof(importers[0]))

void mt_build_each_importer(void (*fn)(const char *id, const char *folder, void *user), void *user)
{
    size_t i;
    for (i = 0; i < NIMPORTERS; i++)
        fn(importers[i].id, importers[i].folder ? importers[i].folder : "", user);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* --- progress on a terminal ---------------------------------------------- */

typedef struct progress {
    FILE       *out;          /* NULL: quiet */
    const char *id;
    unsigned    step, steps;
    double      last;
} progress;

static void progress_line(progress *p, const char *what, unsigned long done, unsigned long total, int final)
{
    if (!p->out)
        return;
    fprintf(p->out, "\r\033[K[%2u/%u] %-18s", p->step, p->steps, p->id);
    if (what && *what)
        fprintf(p->out, " %s", what);
    if (total)
        fprintf(p->out, " %lu/%lu", done, total);
    else if (done)
        fprintf(p->out, " %lu", done);
    if (final)
        fputc('\n', p->out);
    fflush(p->out);
}

static void on_progress(void *user, const char *what, unsigned long done, unsigned long total)
{
    progress *p = user;
    double t = now();
    if (!p->out || t - p->last < 0.1)
        return;                 /* a terminal does not need more than ten updates a second */
    p->last = t;
    progress_line(p, what, done, total, 0);
}

/* --- finding and registering the sources ------------------------------------ */

/* Where a source id comes in the importer table; NIMPORTERS for unknown ids. */
static size_t importer_rank(const char *id)
{
    size_t k;
    for (k = 0; k < NIMPORTERS; k++)
        if (strcmp(importers[k].id, id) == 0)
            return k;
    return NIMPORTERS;
}

typedef struct folder {
    char  *path;
    size_t rank;      /* importer order of its source id */
} folder;

static int cmp_folder(const void *a, const void *b)
{
    const folder *x = a, *y = b;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    return strcmp(x->path, y->path);
}

/* Registers every <dir>/<folder>/SOURCE.meta, in importer order (sources no
** importer reads last, by folder name), so that the knowledge base lists its
** sources in the order they were imported. */
static int register_sources(mdl *m, const char *dir, mt_buf *err)
{
    DIR *d = NULL;
    struct dirent *e;
    folder *f = NULL;
    size_t n = 0, cap = 0, i;
    mt_buf path;
    mdl scan;
    int rc = MT_OK;

    mt_buf_init(&path, 8192);
    mdl_init(&scan);
    d = opendir(dir);
    if (!d) {
        mt_buf_printf(err, "%s: cannot open the sources folder: %s", dir, strerror(errno));
        rc = errno == ENOENT ? MT_ENOTFOUND : MT_EIO;
        goto done;
    }
    while ((e = readdir(d)) != NULL) {
        struct stat st;
        mdl_src src;
        if (e->d_name[0] == '.')
            continue;
        mt_buf_reset(&path);
        if ((rc = mt_buf_printf(&path, "%s/%s", dir, e->d_name)) != MT_OK)
            goto done;
        if (stat(path.data, &st) != 0 || !S_ISDIR(st.st_mode) || !mt_src_exists(path.data, "SOURCE.meta"))
            continue;             /* not a source folder (e.g. a scratch directory) */
        /* A first reading, only to learn the id and so the order. */
        rc = mdl_source_load(&scan, path.data, &src);
        if (rc != MT_OK) {
            mt_buf_printf(err, "%s/SOURCE.meta: %s", path.data,
                          rc == MT_EFORMAT ? "missing \"id:\" or \"name:\" line" : mt_strerror(rc));
            goto done;
        }
        if (n == cap) {
            folder *grown = mt_reallocarray(f, cap ? cap * 2 : 32, sizeof(*f));
            if (!grown) {
                rc = MT_ENOMEM;
                goto done;
            }
            f = grown;
            cap = cap ? cap * 2 : 32;
        }
        f[n].rank = importer_rank(scan.sources.items[src].id);
        if (!(f[n].path = mt_strdup(path.data))) {
            rc = MT_ENOMEM;
            goto done;
        }
        n++;
    }
    if (n)
        qsort(f, n, sizeof(*f), cmp_folder);
    for (i = 0; i < n; i++) {
        mdl_src src, other;
        rc = mdl_source_load(m, f[i].path, &src);
        if (rc != MT_OK) {
            mt_buf_printf(err, "%s/SOURCE.meta: %s", f[i].path, mt_strerror(rc));
            goto done;
        }
        if (mdl_source_find(m, m->sources.items[src].id, &other) == MT_OK && other != src) {
            mt_buf_printf(err, "%s/SOURCE.meta: source id \"%s\" is also used by %s", f[i].path,
                          m->sources.items[src].id, m->sources.items[other].dir);
            rc = MT_EFORMAT;
            goto done;
        }
    }
done:
    if (d)
        closedir(d);
    for (i = 0; i < n; i++)
        mt_free(f[i].path);
    mt_free(f);
    mdl_free(&scan);
    mt_buf_free(&path);
    return rc;
}

static void copy_field(char *dst, size_t size, const char *s)
{
    snprintf(dst, size, "%s", s ? s : "");
}

/* Copies the model's statistics for every source into the report. */
static int fill_report(const mdl *m, mt_build_report *r, const double *secs, const int *ran,
                       const uint32_t *skipped, const uint32_t *notes)
{
    uint32_t i;
    mt_build_source *t = &r->total;
    r->sources = mt_calloc(m->sources.count ? m->sources.count : 1, sizeof(*r->sources));
    if (!r->sources)
        return MT_ENOMEM;
    r->nsources = m->sources.count;
    memset(t, 0, sizeof(*t));
    copy_field(t->id, sizeof(t->id), "total");
    for (i = 0; i < m->sources.count; i++) {
        const mdl_source *s = &m->sources.items[i];
        mt_build_source *o = &r->sources[i];
        const char *slash = s->dir ? strrchr(s->dir, '/') : NULL;
        copy_field(o->id, sizeof(o->id), s->id);
        copy_field(o->folder, sizeof(o->folder), slash ? slash + 1 : s->dir);
        o->rows = s->rows;
        o->matched = s->matched;
        o->unmatched = s->unmatched;
        o->created = s->created;
        o->facts = s->facts;
        o->skipped = skipped[i];
        o->notes = notes[i];
        o->seconds = secs[i];
        o->imported = ran[i];
        t->rows += o->rows;
        t->matched += o->matched;
        t->unmatched += o->unmatched;
        t->created += o->created;
        t->facts += o->facts;
        t->skipped += o->skipped;
        t->notes += o->notes;
        t->seconds += o->seconds;
    }
    r->id_conflicts = m->id_conflicts;
    r->drugs = m->drugs.count;
    r->names = m->names.count;
    r->products = m->products.count;
    r->ndcs = m->ndcs.count;
    r->classes = m->classes.count;
    r->indications = m->indications.count;
    r->pills = m->pills.count;
    r->ixrules = m->ixrules.count;
    r->ixpairs = m->ixpairs.count;
    r->docs = m->docs.count;
    return MT_OK;
}

void mt_build_report_free(mt_build_report *r)
{
    mt_free(r->sources);
    r->sources = NULL;
    r->nsources = 0;
    mt_buf_free(&r->warnings);
    mt_buf_free(&r->error);
}

#define MAX_SOURCES 256

/* One step of the build: a bundled importer (official == SIZE_MAX) or an
** official release's step (official.h). */
typedef struct plan_step {
    size_t importer;          /* index into importers, or SIZE_MAX */
    size_t official;          /* official step, or SIZE_MAX */
    const char *id;           /* for progress and notes */
} plan_step;

#define MAX_PLAN (NIMPORTERS + 16)

/* The bundled importers in order, each followed by the official steps placed
** after it; a bundled importer an official release replaces is left out. */
static size_t make_plan(const mt_official *off, plan_step *plan, mt_buf *warn)
{
    size_t i, k, n = 0;
    mdl_src dummy;
    for (i = 0; i < NIMPORTERS; i++) {
        const char *by = mt_official_replaces(off, importers[i].id);
        if (by)
            mt_buf_printf(warn, "%s: not imported: --source %s replaces it\n", importers[i].id, by);
        else {
            plan[n].importer = i;
            plan[n].official = SIZE_MAX;
            plan[n].id = importers[i].id;
            n++;
        }
        for (k = 0; k < mt_official_nsteps() && n < MAX_PLAN; k++) {
            const mt_official_step *st = mt_official_step_at(k);
            if (strcmp(st->after, importers[i].id) != 0 || mt_official_source(off, st->kind, &dummy) != MT_OK)
                continue;
            plan[n].importer = SIZE_MAX;
            plan[n].official = k;
            plan[n].id = st->kind;
            n++;
        }
    }
    return n;
}

int mt_build_run(const mt_build_opts *o, mt_build_report *r)
{
    const char *dir = o && o->sources_dir ? o->sources_dir : "data/sources";
    const char *out = o && o->out_path ? o->out_path : "build/materia.kb";
    mdl m;
    progress pg;
    double t0 = now(), t1, secs[MAX_SOURCES];
    int ran[MAX_SOURCES];
    uint32_t skipped[MAX_SOURCES], notes[MAX_SOURCES];
    mt_buf warn;
    mt_official *off = NULL;
    plan_step plan[MAX_PLAN];
    size_t i, nplan;
    int rc, show;
    struct stat st;

    memset(r, 0, sizeof(*r));
    mt_buf_init(&r->warnings, 1u << 20);
    mt_buf_init(&r->error, 64u * 1024);
    mt_buf_init(&warn, 256u * 1024);
    memset(secs, 0, sizeof(secs));
    memset(ran, 0, sizeof(ran));
    memset(skipped, 0, sizeof(skipped));
    memset(notes, 0, sizeof(notes));
    mdl_init(&m);
    if ((rc = mt_official_new(&off)) != MT_OK)
        goto done;

    show = o ? o->progress : -1;
    if (show < 0)
        show = isatty(STDERR_FILENO);
    memset(&pg, 0, sizeof(pg));
    pg.out = show ? (o && o->progress_out ? o->progress_out : stderr) : NULL;

    {   /* Fail before a long import if the output cannot be written at all. */
        mt_kbw *probe = NULL;
        if ((rc = mt_kbw_open(&probe, out)) != MT_OK) {
            mt_buf_printf(&r->error, "%s: cannot create a file there: %s", out,
                          rc == MT_EIO ? strerror(errno) : mt_strerror(rc));
            goto done;
        }
        mt_kbw_abort(probe);
    }
    if ((rc = register_sources(&m, dir, &r->error)) != MT_OK)
        goto done;
    /* Every importer needs its source: name the missing folder before any work. */
    for (i = 0; i < NIMPORTERS; i++) {
        mdl_src s;
        if (!importers[i].folder || mdl_source_find(&m, importers[i].id, &s) == MT_OK)
            continue;
        mt_buf_printf(&r->error, "%s/%s: missing: no bundled source with id \"%s\" in %s",
                      dir, importers[i].folder, importers[i].id, dir);
        rc = MT_ENOTFOUND;
        goto done;
    }
    /* The official releases: every file checked before any import. */
    for (i = 0; o && i < o->nreleases; i++)
        if ((rc = mt_official_add(off, &m, o->releases[i].kind, o->releases[i].path, &r->error)) != MT_OK)
            goto done;
    /* A registered source no importer reads would ship data that is never used. */
    for (i = 0; i < m.sources.count - mt_official_count(off); i++) {
        size_t k;
        int known = 0;
        for (k = 0; k < NIMPORTERS; k++)
            known |= strcmp(importers[k].id, m.sources.items[i].id) == 0;
        if (!known)
            mt_buf_printf(&r->warnings, "%s: no importer reads this source (%s)\n",
                          m.sources.items[i].id, m.sources.items[i].dir);
    }

    nplan = make_plan(off, plan, &r->warnings);
    pg.steps = (unsigned)nplan;
    for (i = 0; i < nplan; i++) {
        const struct importer *imp = plan[i].importer < NIMPORTERS ? &importers[plan[i].importer] : NULL;
        mt_import_ctx ctx;
        mdl_src src = 0;
        double ts = now();

        if (imp && imp->folder && (rc = mdl_source_find(&m, imp->id, &src)) != MT_OK)
            goto done;
        memset(&ctx, 0, sizeof(ctx));
        mt_buf_reset(&warn);
        ctx.m = &m;
        ctx.src = !imp || imp->folder ? src : UINT16_MAX;   /* a built-in importer registers its own */
        ctx.dir = imp && !imp->folder ? dir : m.sources.items[src].dir;
        ctx.err = &r->error;
        ctx.warn = &warn;
        ctx.progress = pg.out ? on_progress : NULL;
        ctx.progress_user = &pg;
        pg.id = plan[i].id;
        pg.step = (unsigned)i + 1;
        pg.last = 0;
        progress_line(&pg, "", 0, 0, 0);
        rc = imp ? imp->fn(&ctx) : mt_official_run(off, plan[i].official, &ctx);
        if (pg.out)
            fprintf(pg.out, "\r\033[K");
        if (rc != MT_OK) {
            if (r->error.len == 0)
                mt_buf_printf(&r->error, "%s: import failed: %s", ctx.dir ? ctx.dir : plan[i].id, mt_strerror(rc));
            goto done;
        }
        src = ctx.src;
        if (src < m.sources.count && src < MAX_SOURCES) {
            secs[src] += now() - ts;
            ran[src] = 1;
            skipped[src] += ctx.skipped;
            if (pg.out) {
                char line[96];
                snprintf(line, sizeof(line), "%u rows, %u facts, %.1fs", m.sources.items[src].rows,
                         m.sources.items[src].facts, secs[src]);
                progress_line(&pg, line, 0, 0, 1);
            }
        }
        if (warn.len) {
            /* Prefix every note with the importer's id. */
            const char *p = warn.data;
            while (*p) {
                const char *nl = strchr(p, '\n');
                size_t len = nl ? (size_t)(nl - p) : strlen(p);
                size_t idlen = strlen(plan[i].id);
                /* Prefix with the source id unless the note already starts with it. */
                int named = len > idlen && strncmp(p, plan[i].id, idlen) == 0 && p[idlen] == ':';
                if (len) {
                    mt_buf_printf(&r->warnings, "%s%s%.*s\n", named ? "" : plan[i].id,
                                  named ? "" : ": ", (int)len, p);
                    if (src < MAX_SOURCES)
                        notes[src]++;
                }
                p += len + (nl ? 1 : 0);
            }
        }
    }
    /* The releases merged: one label per set id, labels joined by SPL set id. */
    if ((rc = mt_official_finish(off, &m, &r->warnings)) != MT_OK)
        goto done;
    if (m.sources.count > MAX_SOURCES) {
        mt_buf_printf(&r->error, "%s: more than %d sources", dir, MAX_SOURCES);
        rc = MT_ELIMIT;
        goto done;
    }
    t1 = now();
    r->import_seconds = t1 - t0;
    if (pg.out) {
        fprintf(pg.out, "writing %s ...", out);
        fflush(pg.out);
    }
    rc = mt_kb_write(&m, out, o ? o->data_version : NULL, &r->error, o ? o->hooks : NULL);
    if (pg.out)
        fprintf(pg.out, "\r\033[K");
    r->write_seconds = now() - t1;
    if (rc != MT_OK)
        goto done;
    if (stat(out, &st) == 0)
        r->kb_bytes = (uint64_t)st.st_size;
done:
    if (m.sources.count <= MAX_SOURCES && fill_report(&m, r, secs, ran, skipped, notes) != MT_OK && rc == MT_OK)
        rc = MT_ENOMEM;
    r->total_seconds = now() - t0;
    mt_buf_free(&warn);
    mt_official_free(off);
    mdl_free(&m);
    return rc;
}
