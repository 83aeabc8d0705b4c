/*
** official.c — the official releases of official.h: the kinds (with the
** publisher's name, licence and attribution each source carries), the checks
** made before any import, the order of their import steps among the bundled
** importers, and the merge after the imports.
**
** Where each step runs (docs/official-releases.md, "order"): the RxNorm
** release right after the bundled RxNorm extract, so that RxTerms, DrugBank
** and everything after join to its ingredients; the Drugs@FDA files in place
** of the bundled 2019 files (the current files hold every application the old
** ones did); the NDC directory after the other facts and before the pills, so
** that pill sources join its NDCs; DailyMed and openFDA labels after the
** bundled labels; the NDC directory once more after the pills, to give them
** their labelers.
*/
#include "import/official.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "import/rxnorm_rrf.h"
#include "source/srcfile.h"
#include "source/srcwalk.h"
#include "source/srczip.h"
#include "util/alloc.h"
#include "util/hmap.h"

#define DAILYMED_DEPTH   4        /* folders below the one given */

static const struct kind {
    const char *id, *name, *licence, *attribution, *url, *kind;
    const char *replaces;         /* bundled importer id it stands in for, or NULL */
} kinds[] = {
    { "rxnorm-rrf", "RxNorm release files (RRF; SAB=RXNORM, with the MTHSPL substances and attributes)",
      "NLM RxNorm SAB=RXNORM and MTHSPL: free, no licence required; attribute NLM (the files' other "
      "sources, which need a UMLS licence, are not read)",
      "This product uses publicly available data from the U.S. National Library of Medicine (NLM), "
      "National Institutes of Health, Department of Health and Human Services; NLM is not responsible for "
      "the product and does not endorse or recommend this or any other product.",
      "https://www.nlm.nih.gov/research/umls/rxnorm/docs/rxnormfiles.html", "vocabulary", NULL },
    { "fda-ndc", "FDA National Drug Code Directory (product.txt, package.txt)", "US public domain (FDA)",
      "U.S. Food and Drug Administration: National Drug Code Directory. The listing of a drug does not "
      "denote its approval by the FDA.",
      "https://www.fda.gov/drugs/drug-approvals-and-databases/national-drug-code-directory", "products", NULL },
    { "drugsatfda", "Drugs@FDA data files", "US public domain (FDA)",
      "U.S. Food and Drug Administration: Drugs@FDA data files.",
      "https://www.fda.gov/drugs/drug-approvals-and-databases/drugsfda-data-files", "approvals", "openfda" },
    { "openfda-label", "openFDA drug labeling (FDA SPL labels as JSON)", "CC0-1.0 (openFDA) / US public domain (FDA)",
      "U.S. Food and Drug Administration: openFDA drug label download. openFDA does not validate the "
      "labels; do not rely on openFDA to make decisions regarding medical care.",
      "https://open.fda.gov/apis/drug/label/download/", "labels", NULL },
    { "dailymed-spl", "DailyMed Structured Product Labels (SPL XML)", "US public domain (FDA labels, via NLM)",
      "DailyMed, U.S. National Library of Medicine: Structured Product Labels as submitted to the FDA.",
      "https://dailymed.nlm.nih.gov/dailymed/spl-resources-all-drug-labels.cfm", "labels", NULL },
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

struct mt_official {
    size_t     n;
    struct given {
        size_t  kind;             /* index into kinds */
        mdl_src src;
    } given[MT_OFFICIAL_MAX];
    rrf_splmap spl;               /* SPL set id -> RxNorm product, from rxnorm-rrf */
    int        have_spl;
};

static int run_rxnorm(mt_official *o, mt_import_ctx *ctx);
static int run_drugsatfda(mt_official *o, mt_import_ctx *ctx);
static int run_dailymed(mt_official *o, mt_import_ctx *ctx);

/* A step runs `run` (with the build's state) or, without one, the importer `fn`. */
static const struct step {
    mt_official_step pub;
    int (*run)(mt_official *o, mt_import_ctx *ctx);
    int (*fn)(mt_import_ctx *ctx);
} steps[] = {
    { { "rxnorm-rrf", "rxnorm" },          run_rxnorm,     NULL },
    { { "drugsatfda", "openfda" },         run_drugsatfda, NULL },
    { { "fda-ndc", "acb" },                NULL,           mt_import_fda_ndc },
    { { "dailymed-spl", "spl-xml" },       run_dailymed,   NULL },
    { { "openfda-label", "spl-xml" },      NULL,           mt_import_openfda_label },
    { { "fda-ndc", "pillbox-2010" },       NULL,           mt_import_fda_ndc_pills },
};
#define NSTEPS (sizeof(steps) / sizeof(steps[0]))

/* --- kinds -------------------------------------------------------------------- */

static size_t kind_index(const char *kind)
{
    size_t k;
    for (k = 0; kind && k < NKINDS; k++)
        if (strcmp(kinds[k].id, kind) == 0)
            return k;
    return NKINDS;
}

int mt_official_kind_known(const char *kind)
{
    return kind_index(kind) < NKINDS;
}

const char *mt_official_kinds(void)
{
    return "rxnorm-rrf, fda-ndc, drugsatfda, openfda-label, dailymed-spl";
}

int mt_official_new(mt_official **out)
{
    mt_official *o = mt_calloc(1, sizeof(*o));
    *out = o;
    if (!o)
        return MT_ENOMEM;
    rrf_splmap_init(&o->spl);
    return MT_OK;
}

void mt_official_free(mt_official *o)
{
    if (!o)
        return;
    rrf_splmap_free(&o->spl);
    mt_free(o);
}

size_t mt_official_count(const mt_official *o)
{
    return o ? o->n : 0;
}

const char *mt_official_replaces(const mt_official *o, const char *bundled_id)
{
    size_t i;
    for (i = 0; o && i < o->n; i++)
        if (kinds[o->given[i].kind].replaces && strcmp(kinds[o->given[i].kind].replaces, bundled_id) == 0)
            return kinds[o->given[i].kind].id;
    return NULL;
}

size_t mt_official_nsteps(void)
{
    return NSTEPS;
}

const mt_official_step *mt_official_step_at(size_t i)
{
    return i < NSTEPS ? &steps[i].pub : NULL;
}

int mt_official_source(const mt_official *o, const char *kind, mdl_src *out)
{
    size_t i, k = kind_index(kind);
    for (i = 0; o && i < o->n; i++)
        if (o->given[i].kind == k) {
            *out = o->given[i].src;
            return MT_OK;
        }
    return MT_ENOTFOUND;
}

/* --- checking a path ----------------------------------------------------------- */

static int is_dir(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int is_file(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static int has_suffix(const char *name, const char *suffix)
{
    size_t n = strlen(name), s = strlen(suffix);
    return n > s && strcasecmp(name + n - s, suffix) == 0;
}

static int is_zip(const char *path)
{
    return is_file(path) && mt_zip_is_zip_name(path);
}

static int want_json(const char *name)
{
    return has_suffix(name, ".json") || has_suffix(name, ".json.gz");
}

static int want_xml(const char *name)
{
    return has_suffix(name, ".xml") || has_suffix(name, ".xml.gz");
}

static int want_readme(const char *name)
{
    return strncasecmp(name, "Readme", 6) == 0 && has_suffix(name, ".txt");
}

static int stop_at_first(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    (void)d;
    (void)names;
    *(int *)user = n > 0;
    return n ? MT_SRC_WALK_STOP : MT_OK;
}

/* Whether path (a folder down to depth, a zip, the zips in them) holds a
** file that want accepts: MT_OK, MT_ENOTFOUND (nothing written), or the
** walk's error (a damaged zip), described in err. */
static int has_files(const char *path, int depth, mt_src_want_fn want, mt_buf *err)
{
    int found = 0;
    int rc = mt_src_walk(path, depth, MT_SRC_WALK_ZIPS | MT_SRC_WALK_INNER, want, stop_at_first, &found, err);
    return rc != MT_OK ? rc : found ? MT_OK : MT_ENOTFOUND;
}

/* Each of names in the folder dir, or at one place in the zip dir. */
static int need_files(const char *dir, const char *const *names, mt_buf *err, const char *what)
{
    mt_zip *z = NULL;
    uint64_t at;
    size_t i;
    int rc = MT_OK;

    if (is_file(dir) && (rc = mt_zip_open(&z, dir, err)) != MT_OK)
        return rc;
    for (i = 0; names[i] && rc == MT_OK; i++) {
        if (!z) {
            if (!mt_src_exists(dir, names[i])) {
                mt_buf_printf(err, "%s/%s: no such file (%s)", dir, names[i], what);
                rc = MT_ENOTFOUND;
            }
        } else if ((rc = mt_zip_find(z, names[i], &at, err)) == MT_ENOTFOUND)
            mt_buf_printf(err, "%s: no %s in the zip, at any folder depth (%s)", dir, names[i], what);
    }
    mt_zip_close(z);
    return rc;
}

/* The RxNorm release's date and content from its Readme file name
** ("Readme_Full_Prescribe_10062025.txt", "Readme_full_01062025.txt"). */
static int readme_edition(const char *name, char *out, size_t outsz)
{
    const char *p;
    if (!want_readme(name))
        return 0;
    for (p = name; *p; p++) {
        size_t k;
        for (k = 0; k < 8 && isdigit((unsigned char)p[k]); k++)
            ;
        if (k == 8 && !isdigit((unsigned char)p[8])) {
            snprintf(out, outsz, "RxNorm %s release %.4s-%.2s-%.2s",
                     strcasestr(name, "prescribe") ? "Current Prescribable Content" : "Full", p + 4, p, p + 2);
            return 1;
        }
    }
    return 0;
}

typedef struct readme_find {
    char  *out;
    size_t outsz;
    int    found;
} readme_find;

static int visit_readme(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    readme_find *r = user;
    size_t i;
    (void)d;
    for (i = 0; i < n; i++)
        if (readme_edition(names[i], r->out, r->outsz)) {
            r->found = 1;
            return MT_SRC_WALK_STOP;
        }
    return MT_OK;
}

/* The edition from the Readme file in the rrf folder or the folder above it,
** or, for a zip, the first in it (the top folder's first). */
static int rxnorm_edition(const char *rrf_dir, char *out, size_t outsz)
{
    const char *where[2];
    char parent[4096];
    size_t w;
    readme_find r;

    if (is_file(rrf_dir)) {
        r.out = out;
        r.outsz = outsz;
        r.found = 0;
        return mt_src_walk(rrf_dir, 0, 0, want_readme, visit_readme, &r, NULL) == MT_OK && r.found;
    }
    snprintf(parent, sizeof(parent), "%s/..", rrf_dir);
    where[0] = rrf_dir;
    where[1] = parent;
    for (w = 0; w < 2; w++) {
        DIR *d = opendir(where[w]);
        struct dirent *e;
        if (!d)
            continue;
        while ((e = readdir(d)) != NULL)
            if (readme_edition(e->d_name, out, outsz)) {
                closedir(d);
                return 1;
            }
        closedir(d);
    }
    return 0;
}

static int set_edition(mdl *m, mdl_src src, const char *text)
{
    const char *e = mt_arena_strdup(&m->arena, text);
    if (!e)
        return MT_ENOMEM;
    m->sources.items[src].edition = e;
    return MT_OK;
}

int mt_official_add(mt_official *o, mdl *m, const char *kind, const char *path, mt_buf *err)
{
    static const char *const rrf_files[] = { "RXNCONSO.RRF", "RXNREL.RRF", "RXNSAT.RRF", NULL };
    static const char *const ndc_files[] = { "product.txt", "package.txt", NULL };
    static const char *const fda_files[] = { "Products.txt", "Applications.txt", "MarketingStatus.txt",
                                             "MarketingStatus_Lookup.txt", NULL };
    size_t k = kind_index(kind), i;
    mdl_source desc;
    mdl_src src, other;
    mt_buf dir;
    char edition[256];
    int rc = MT_OK;

    mt_buf_init(&dir, 8192);
    edition[0] = '\0';
    if (k == NKINDS) {
        mt_buf_printf(err, "--source %s: unknown kind (known: %s)", kind ? kind : "", mt_official_kinds());
        rc = MT_EINVAL;
        goto done;
    }
    for (i = 0; i < o->n; i++)
        if (o->given[i].kind == k) {
            mt_buf_printf(err, "--source %s: given twice", kind);
            rc = MT_EINVAL;
            goto done;
        }
    if (o->n >= MT_OFFICIAL_MAX) {
        mt_buf_printf(err, "--source: at most %d", MT_OFFICIAL_MAX);
        rc = MT_EINVAL;
        goto done;
    }
    if (!path || !*path || (!is_dir(path) && !is_file(path))) {
        mt_buf_printf(err, "%s: %s (--source %s)", path ? path : "", strerror(ENOENT), kind);
        rc = MT_ENOTFOUND;
        goto done;
    }
    if ((rc = mt_buf_puts(&dir, path)) != MT_OK)
        goto done;
    if (is_zip(path)) {
        mt_zip *z;
        if ((rc = mt_zip_open(&z, path, err)) != MT_OK)
            goto done;
        mt_zip_close(z);
    }
    if (strcmp(kind, "openfda-label") == 0) {
        if ((is_dir(path) || is_zip(path)) &&
            (rc = has_files(path, 0, want_json, err)) == MT_ENOTFOUND)
            mt_buf_printf(err, "%s: no .json file here, nor in a .zip here (the drug-label-*.json.zip "
                          "downloads)", path);
    } else if (!is_dir(path) && !is_zip(path)) {
        mt_buf_printf(err, "%s: not a folder or a .zip (--source %s wants the release's zip or the folder it "
                      "unzips to)", path, kind);
        rc = MT_EINVAL;
    } else if (strcmp(kind, "rxnorm-rrf") == 0) {
        mt_buf_reset(&dir);
        if (is_dir(path) && (rc = mt_buf_printf(&dir, "%s/rrf", path)) != MT_OK)
            goto done;
        if (!is_dir(path) || !mt_src_exists(dir.data, "RXNCONSO.RRF")) {
            mt_buf_reset(&dir);
            if ((rc = mt_buf_puts(&dir, path)) != MT_OK)
                goto done;
        }
        rc = need_files(dir.data, rrf_files, err, "the RxNorm release: its rrf folder");
        if (rc == MT_OK && !rxnorm_edition(dir.data, edition, sizeof(edition)))
            snprintf(edition, sizeof(edition), "RxNorm release (no Readme file naming its date)");
    } else if (strcmp(kind, "fda-ndc") == 0) {
        rc = need_files(path, ndc_files, err, "the NDC directory's ndctext.zip, or the folder it unzips to");
    } else if (strcmp(kind, "drugsatfda") == 0) {
        rc = need_files(path, fda_files, err, "the Drugs@FDA data files' zip, or the folder it unzips to");
    } else if (strcmp(kind, "dailymed-spl") == 0) {
        if ((rc = has_files(path, DAILYMED_DEPTH, want_xml, err)) == MT_ENOTFOUND)
            mt_buf_printf(err, "%s: no SPL .xml file here, in its folders, its zips or the label zips inside "
                          "them", path);
    }
    if (rc != MT_OK)
        goto done;
    if (mdl_source_find(m, kind, &other) == MT_OK) {
        mt_buf_printf(err, "--source %s: a bundled source (%s) has the id \"%s\"", kind,
                      m->sources.items[other].dir ? m->sources.items[other].dir : "?", kind);
        rc = MT_EFORMAT;
        goto done;
    }
    memset(&desc, 0, sizeof(desc));
    desc.dir = dir.data;
    desc.id = kinds[k].id;
    desc.name = kinds[k].name;
    desc.edition = edition[0] ? edition : NULL;
    desc.licence = kinds[k].licence;
    desc.attribution = kinds[k].attribution;
    desc.url = kinds[k].url;
    desc.kind = kinds[k].kind;
    if ((rc = mdl_source_add(m, &desc, &src)) != MT_OK)
        goto done;
    o->given[o->n].kind = k;
    o->given[o->n].src = src;
    o->n++;
done:
    mt_buf_free(&dir);
    return rc;
}

/* --- running the steps ------------------------------------------------------------ */

int mt_official_run(mt_official *o, size_t i, mt_import_ctx *ctx)
{
    int rc;
    if (i >= NSTEPS)
        return MT_EINVAL;
    if ((rc = mt_official_source(o, steps[i].pub.kind, &ctx->src)) != MT_OK)
        return rc;
    ctx->dir = ctx->m->sources.items[ctx->src].dir;
    return steps[i].run ? steps[i].run(o, ctx) : steps[i].fn(ctx);
}

static int run_rxnorm(mt_official *o, mt_import_ctx *ctx)
{
    o->have_spl = 1;
    return mt_rxnorm_rrf_import(ctx, &o->spl);
}

/* The newest SubmissionStatusDate of Submissions.txt names the edition. */
static int run_drugsatfda(mt_official *o, mt_import_ctx *ctx)
{
    mt_srcfile f;
    char newest[11] = "", *line;
    size_t len;
    int rc;
    (void)o;
    if (mt_src_exists(ctx->dir, "Submissions.txt") &&
        mt_src_open(&f, ctx->dir, "Submissions.txt", NULL) == MT_OK) {
        while (mt_src_getline(&f, &line, &len) == MT_OK) {
            char *p = line;
            int col;
            for (col = 0; col < 5 && p; col++) {
                p = strchr(p, '\t');
                if (p)
                    p++;
            }
            if (p && len - (size_t)(p - line) >= 10 && isdigit((unsigned char)p[0]) && p[4] == '-' &&
                p[7] == '-' && strncmp(p, newest, 10) > 0) {
                memcpy(newest, p, 10);
                newest[10] = '\0';
            }
        }
        mt_src_close(&f);
    }
    if (newest[0]) {
        char ed[96];
        snprintf(ed, sizeof(ed), "Drugs@FDA data files, newest submission %s", newest);
        if ((rc = set_edition(ctx->m, ctx->src, ed)) != MT_OK)
            return rc;
    }
    return mt_import_drugsatfda(ctx);
}

static int run_dailymed(mt_official *o, mt_import_ctx *ctx)
{
    uint32_t d;
    const char *newest = "";
    unsigned long labels = 0;
    int rc;
    (void)o;

    rc = mt_import_spl_xml_tree(ctx, ctx->dir, DAILYMED_DEPTH);
    for (d = 0; rc == MT_OK && d < ctx->m->docs.count; d++) {
        const mdl_doc *doc = &ctx->m->docs.items[d];
        if (doc->cite.source != ctx->src)
            continue;
        labels++;
        if (doc->date && strcmp(doc->date, newest) > 0)
            newest = doc->date;
    }
    if (rc == MT_OK && labels) {
        char ed[128];
        snprintf(ed, sizeof(ed), "DailyMed SPL labels, %lu, effective up to %s", labels, *newest ? newest : "?");
        rc = set_edition(ctx->m, ctx->src, ed);
    }
    return rc;
}

/* --- the merge ---------------------------------------------------------------------- */

typedef struct label_ref {
    uint32_t    doc;
    const char *setid;
} label_ref;

typedef struct merge_ctx {
    const mdl *m;
    mdl_src    json_src;          /* openfda-label, or UINT16_MAX */
} merge_ctx;

/* By set id; within one, the one to keep last: oldest date first, an openFDA
** JSON label before an SPL XML one, then import order. */
static int cmp_label(const void *a, const void *b, void *arg)
{
    const merge_ctx *mc = arg;
    const label_ref *x = a, *y = b;
    const mdl_doc *p = &mc->m->docs.items[x->doc], *q = &mc->m->docs.items[y->doc];
    int r = strcasecmp(x->setid, y->setid), px, qx;
    if (r)
        return r;
    r = strcmp(p->date ? p->date : "", q->date ? q->date : "");
    if (r)
        return r;
    px = p->cite.source != mc->json_src;
    qx = q->cite.source != mc->json_src;
    if (px != qx)
        return px - qx;
    return x->doc < y->doc ? -1 : x->doc > y->doc;
}

/* The file named at the end of a citation "... (file)", into out. */
static void cite_file(const char *record, char *out, size_t outsz)
{
    const char *open = record ? strrchr(record, '(') : NULL;
    size_t n = record ? strlen(record) : 0;
    out[0] = '\0';
    if (!open || n < 2 || record[n - 1] != ')')
        return;
    snprintf(out, outsz, "%.*s", (int)(record + n - 1 - open - 1), open + 1);
}

/* The pills an SPL XML label gave: cited "setid X product Y (file)" by the
** same source as the label "setid X version V (file)" (spl_xml.c). */
static int pill_key(const mdl_cite *c, const char *setid, const char *file, char *out, size_t outsz)
{
    int n = snprintf(out, outsz, "%u|%s|%s", (unsigned)c->source, setid, file);
    return n > 0 && (size_t)n < outsz ? n : 0;
}

static int merge_labels(const mt_official *o, mdl *m, mt_buf *warn)
{
    merge_ctx mc;
    label_ref *refs = NULL;
    uint8_t *drop_doc = NULL, *drop_pill = NULL;
    uint32_t *remap = NULL;
    size_t n = 0, i, j, dropped = 0, pills = 0, groups = 0;
    mt_hmap keys;
    mt_arena arena;
    int rc = MT_OK;

    mt_hmap_init(&keys);
    mt_arena_init(&arena, 64 * 1024, 0);
    memset(&mc, 0, sizeof(mc));
    mc.m = m;
    if (mt_official_source(o, "openfda-label", &mc.json_src) != MT_OK)
        mc.json_src = UINT16_MAX;
    refs = mt_calloc(m->docs.count + 1, sizeof(*refs));
    drop_doc = mt_calloc(m->docs.count + 1, 1);
    drop_pill = mt_calloc(m->pills.count + 1, 1);
    remap = mt_calloc(m->docs.count + 1, sizeof(*remap));
    if (!refs || !drop_doc || !drop_pill || !remap) {
        rc = MT_ENOMEM;
        goto done;
    }
    for (i = 0; i < m->docs.count; i++)
        if (m->docs.items[i].kind == MT_DOC_US_LABEL && m->docs.items[i].doc_id) {
            refs[n].doc = (uint32_t)i;
            refs[n].setid = m->docs.items[i].doc_id;
            n++;
        }
    if (n > 1)
        qsort_r(refs, n, sizeof(*refs), cmp_label, &mc);
    for (i = 0; i < n; i = j) {
        for (j = i + 1; j < n && strcasecmp(refs[i].setid, refs[j].setid) == 0; j++)
            ;
        if (j - i > 1)
            groups++;
        while (i + 1 < j) {               /* all but the last of the group go */
            const mdl_doc *doc = &m->docs.items[refs[i].doc];
            char file[512], key[1024];
            int klen;
            drop_doc[refs[i].doc] = 1;
            dropped++;
            cite_file(doc->cite.record, file, sizeof(file));
            if (doc->cite.source != mc.json_src && file[0] &&
                (klen = pill_key(&doc->cite, doc->doc_id, file, key, sizeof(key))) > 0) {
                const char *k = mt_arena_strndup(&arena, key, (size_t)klen);
                if (!k || (rc = mt_hmap_put(&keys, k, (size_t)klen, 0)) != MT_OK) {
                    rc = k ? rc : MT_ENOMEM;
                    goto done;
                }
            }
            i++;
        }
    }
    if (!dropped)
        goto done;
    for (i = 0; i < m->pills.count; i++) {
        const mdl_pill *p = &m->pills.items[i];
        const char *r = p->cite.record, *sp;
        char setid[128], file[512], key[1024];
        int klen;
        uint32_t dummy;
        if (!r || strncmp(r, "setid ", 6) != 0 || !(sp = strchr(r + 6, ' ')) || (size_t)(sp - r - 6) >= sizeof(setid))
            continue;
        snprintf(setid, sizeof(setid), "%.*s", (int)(sp - r - 6), r + 6);
        cite_file(r, file, sizeof(file));
        if ((klen = pill_key(&p->cite, setid, file, key, sizeof(key))) > 0 &&
            mt_hmap_get(&keys, key, (size_t)klen, &dummy) == MT_OK) {
            drop_pill[i] = 1;
            pills++;
        }
    }
    /* Compact the documents, their sections and drugs, and the pills. */
    for (i = j = 0; i < m->docs.count; i++) {
        if (drop_doc[i]) {
            if (m->docs.items[i].cite.source < m->sources.count)
                m->sources.items[m->docs.items[i].cite.source].facts--;
            remap[i] = UINT32_MAX;
            continue;
        }
        remap[i] = (uint32_t)j;
        m->docs.items[j++] = m->docs.items[i];
    }
    m->docs.count = (uint32_t)j;
    for (i = j = 0; i < m->doc_sections.count; i++) {
        mdl_doc_section s = m->doc_sections.items[i];
        if (remap[s.doc] == UINT32_MAX)
            continue;
        s.doc = remap[s.doc];
        m->doc_sections.items[j++] = s;
    }
    m->doc_sections.count = (uint32_t)j;
    for (i = j = 0; i < m->doc_drugs.count; i++) {
        mdl_doc_drug dd = m->doc_drugs.items[i];
        if (remap[dd.doc] == UINT32_MAX)
            continue;
        dd.doc = remap[dd.doc];
        m->doc_drugs.items[j++] = dd;
    }
    m->doc_drugs.count = (uint32_t)j;
    for (i = j = 0; i < m->pills.count; i++) {
        if (drop_pill[i]) {
            if (m->pills.items[i].cite.source < m->sources.count)
                m->sources.items[m->pills.items[i].cite.source].facts--;
            continue;
        }
        m->pills.items[j++] = m->pills.items[i];
    }
    m->pills.count = (uint32_t)j;
    if (warn)
        mt_buf_printf(warn, "labels: %zu older copies of %zu labels (same set id) replaced by the newest, "
                      "with %zu pills of theirs\n", dropped, groups, pills);
done:
    mt_free(refs);
    mt_free(drop_doc);
    mt_free(drop_pill);
    mt_free(remap);
    mt_hmap_free(&keys);
    mt_arena_free(&arena);
    return rc;
}

/* Labels that joined no drug, joined through the RxNorm products that list
** their set id (RXNSAT SPL_SET_ID): the products' ingredients. */
static int link_by_setid(const mt_official *o, mdl *m, mt_buf *warn)
{
    uint8_t *linked = mt_calloc(m->docs.count + 1, 1);
    uint32_t *start = mt_calloc((size_t)m->products.count + 2, sizeof(*start));
    uint32_t *fill = mt_calloc((size_t)m->products.count + 1, sizeof(*fill));
    mdl_ref *drugs = mt_calloc((size_t)m->product_ings.count + 1, sizeof(*drugs));
    size_t i, docs = 0;
    uint32_t p;
    int rc = MT_OK;

    if (!linked || !start || !fill || !drugs) {
        rc = MT_ENOMEM;
        goto done;
    }
    for (i = 0; i < m->doc_drugs.count; i++)
        linked[m->doc_drugs.items[i].doc] = 1;
    for (i = 0; i < m->product_ings.count; i++)
        start[m->product_ings.items[i].product + 1]++;
    for (p = 0; p < m->products.count; p++)
        start[p + 1] += start[p];
    for (i = 0; i < m->product_ings.count; i++) {
        const mdl_product_ing *pi = &m->product_ings.items[i];
        drugs[start[pi->product] + fill[pi->product]++] = pi->drug;
    }
    for (i = 0; i < m->docs.count && rc == MT_OK; i++) {
        const mdl_doc *doc = &m->docs.items[i];
        size_t first, n, k;
        int any = 0;
        if (linked[i] || doc->kind != MT_DOC_US_LABEL || !doc->doc_id)
            continue;
        n = rrf_splmap_find(&o->spl, doc->doc_id, &first);
        for (k = 0; k < n && rc == MT_OK; k++) {
            mdl_ref prod = o->spl.items[first + k].product;
            uint32_t q;
            for (q = start[prod]; q < start[prod + 1] && rc == MT_OK; q++) {
                if (m->drugs.items[drugs[q]].kind == MT_DRUG_MULTI)
                    continue;
                rc = mdl_doc_drug_add(m, (mdl_ref)i, mdl_drug_base(m, drugs[q]));
                any = 1;
            }
        }
        if (any) {
            mdl_source *s = &m->sources.items[doc->cite.source];
            docs++;
            if (s->unmatched) {
                s->unmatched--;
                s->matched++;
            }
        }
    }
    if (rc == MT_OK && warn)
        mt_buf_printf(warn, "labels: %zu that joined no drug by their ingredients joined through the RxNorm "
                      "products listing their set id\n", docs);
done:
    mt_free(linked);
    mt_free(start);
    mt_free(fill);
    mt_free(drugs);
    return rc;
}

int mt_official_finish(mt_official *o, mdl *m, mt_buf *warn)
{
    int rc;
    if (!o || !o->n)
        return MT_OK;
    rc = merge_labels(o, m, warn);
    if (rc == MT_OK && o->have_spl)
        rc = link_by_setid(o, m, warn);
    return rc;
}
