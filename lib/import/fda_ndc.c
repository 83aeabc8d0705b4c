/*
** fda_ndc.c — importer of the FDA National Drug Code Directory as FDA
** publishes it (ndctext.zip: product.txt and package.txt, tab-separated, one
** header row, no quoting), `materia build --source fda-ndc=DIR`.
**
** Columns are found by their header names (FDA's layout: PRODUCTID,
** PRODUCTNDC, PRODUCTTYPENAME, PROPRIETARYNAME, PROPRIETARYNAMESUFFIX,
** NONPROPRIETARYNAME, DOSAGEFORMNAME, ROUTENAME, STARTMARKETINGDATE,
** ENDMARKETINGDATE, MARKETINGCATEGORYNAME, APPLICATIONNUMBER, LABELERNAME,
** SUBSTANCENAME, ACTIVE_NUMERATOR_STRENGTH, ACTIVE_INGRED_UNIT,
** PHARM_CLASSES, DEASCHEDULE, NDC_EXCLUDE_FLAG,
** LISTING_RECORD_CERTIFIED_THROUGH; package.txt: PRODUCTID, PRODUCTNDC,
** NDCPACKAGECODE, PACKAGEDESCRIPTION, ...), so a column FDA adds or moves does
** not break the import; a missing one is an error naming it.
**
** A listing (a product.txt row) joins, in order: an RxNorm product listing
** one of its package NDCs, or its labeler-product code (NDC-9); else each
** SUBSTANCENAME by name (without salt words, mdl_drug_find_name). It gives:
** - its package NDCs: added to the RxNorm product it joined, else to a
**   product of its own (TTY "NDC", named as the listing names it) linked to
**   its substances;
** - for a single-substance listing only (a combination's classes, brand and
**   schedule are not its ingredients'): its pharmacologic classes (FDA EPC,
**   MoA, PE, CS — the same classes DrugCentral names, joined by type and
**   name), its proprietary name as a brand when it is marketed under an NDA
**   or BLA and is not the generic name, and its DEA schedule;
** - the labeler, in every citation ("product.txt PRODUCTNDC 0049-4960
**   (Pfizer Laboratories Div Pfizer Inc)"), and, in a second step after the
**   pill importers (mt_import_fda_ndc_pills), to pills of its NDCs that have
**   none.
** A DEA schedule declared by one listing of a substance whose other listings
** declare none (a labeler's error, as dea_derived.c documents for the 2018
** file) is not kept: a schedule needs two listings or half of them.
** Listings flagged in NDC_EXCLUDE_FLAG (other than N) are not read.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import.h"
#include "import/pill_join.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/hmap.h"
#include "util/text.h"

#define NDC_MAX_COLS   64
#define NDC_MAX_PARTS  32
#define NDC_FIELD_MAX  4096
#define NOTES_MAX      5

/* Product columns: the required ones first. */
enum { P_PRODUCTID, P_PRODUCTNDC, P_TYPE, P_PROPRIETARY, P_NONPROPRIETARY, P_FORM, P_CATEGORY,
       P_LABELER, P_SUBSTANCE, P_STRENGTH, P_UNIT, P_CLASSES, P_DEA,
       P_SUFFIX, P_START, P_APPLICATION, P_EXCLUDE, NPCOLS };
#define NPREQUIRED P_SUFFIX
static const char *const pcol_names[NPCOLS] = {
    "PRODUCTID", "PRODUCTNDC", "PRODUCTTYPENAME", "PROPRIETARYNAME", "NONPROPRIETARYNAME", "DOSAGEFORMNAME",
    "MARKETINGCATEGORYNAME", "LABELERNAME", "SUBSTANCENAME", "ACTIVE_NUMERATOR_STRENGTH", "ACTIVE_INGRED_UNIT",
    "PHARM_CLASSES", "DEASCHEDULE",
    "PROPRIETARYNAMESUFFIX", "STARTMARKETINGDATE", "APPLICATIONNUMBER", "NDC_EXCLUDE_FLAG"
};

enum { K_PRODUCTID, K_NDC, K_EXCLUDE, NKCOLS };
#define NKREQUIRED K_EXCLUDE
static const char *const kcol_names[NKCOLS] = { "PRODUCTID", "NDCPACKAGECODE", "NDC_EXCLUDE_FLAG" };

typedef struct ndc_pkg {
    const char   *productid;      /* in the arena */
    char          ndc11[12];
    char          code[16];       /* as printed, "0049-4960-66" */
    unsigned long line;
} ndc_pkg;

/* A DEA schedule stated for a drug by single-substance listings. */
typedef struct ndc_sched {
    mdl_ref       drug;
    const char   *schedule;
    unsigned long listings;
    const char   *first;          /* "PRODUCTNDC 42023-113 (Par Pharmaceutical)" */
} ndc_sched;

typedef struct ndc_state {
    mt_import_ctx *ctx;
    mdl           *m;
    pj_index       ix;
    mt_arena       arena;
    const char    *file;
    int            header_seen, ncols;
    int            col[NDC_MAX_COLS];
    ndc_pkg       *pkgs;
    size_t         npkgs, cappkgs;
    mt_hmap        class_key;     /* "type|name key" -> class of the model */
    mt_hmap        sched_index;   /* "drug|schedule" -> index into scheds */
    ndc_sched     *scheds;
    size_t         nscheds, capscheds;
    mt_hmap        listings;      /* drug -> single-substance listings seen */
    uint32_t      *listing_count;
    size_t         nlisting, caplisting;
    char           newest[9];     /* newest STARTMARKETINGDATE, YYYYMMDD */
    mt_buf         name, tmp;
    /* labelers for the pill step: PRODUCTID -> labeler, NDC-11 -> labeler */
    mt_hmap        labeler_of;
    const char   **labelers;
    size_t         nlabelers, caplabelers;
    /* statistics */
    unsigned long  excluded, by_ndc, by_name, products, ndcs, brands, classes, unknown_sched,
                   sched_dropped, not_single;
} ndc_state;

static void note(mt_import_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(mt_import_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (!ctx->warn)
        return;
    va_start(ap, fmt);
    mt_buf_vprintf(ctx->warn, fmt, ap);
    va_end(ap);
    mt_buf_putc(ctx->warn, '\n');
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    size_t newcap;
    void *p;
    if (n < *cap)
        return MT_OK;
    newcap = *cap ? *cap * 2 : 1024;
    p = mt_reallocarray(*items, newcap, size);
    if (!p)
        return MT_ENOMEM;
    *items = p;
    *cap = newcap;
    return MT_OK;
}

/* A field as UTF-8: as it is when valid, else read as Latin-1 (older FDA
** files) into buf. */
static const char *utf8(const char *s, char *buf, size_t bufsz)
{
    size_t o = 0;
    if (mt_utf8_valid(s, strlen(s)))
        return s;
    for (; *s && o + 3 < bufsz; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x80)
            buf[o++] = (char)c;
        else {
            buf[o++] = (char)(0xC0 | (c >> 6));
            buf[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    buf[o] = '\0';
    return buf;
}

/* The header: each wanted column's index; a required one missing is an error. */
static int header(ndc_state *st, char **f, size_t n, unsigned long line, const char *const *names,
                  int nnames, int nrequired)
{
    int i;
    size_t k;
    st->header_seen = 1;
    st->ncols = (int)n;
    if (n > NDC_MAX_COLS)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "%zu columns: not FDA's layout", n);
    for (i = 0; i < nnames; i++) {
        st->col[i] = -1;
        for (k = 0; k < n; k++)
            if (strcmp(f[k], names[i]) == 0)
                st->col[i] = (int)k;
        if (st->col[i] < 0 && i < nrequired)
            return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "no %s column in the header (FDA's layout: %s, %s, ...)", names[i], names[0], names[1]);
    }
    return MT_OK;
}

static const char *col(const ndc_state *st, char **f, int which)
{
    return st->col[which] >= 0 ? f[st->col[which]] : "";
}

/* Rows have the header's number of fields (a trailing empty one is tolerated). */
static int check_row(ndc_state *st, char **f, size_t n, unsigned long line)
{
    if ((int)n == st->ncols || ((int)n == st->ncols + 1 && !*f[n - 1]))
        return MT_OK;
    (void)f;
    return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected %d tab-separated fields, got %zu (a truncated or damaged file?)", st->ncols, n);
}

/* --- package.txt ----------------------------------------------------------------- */

static int on_package(void *user, char **f, size_t n, unsigned long line)
{
    ndc_state *st = user;
    const char *pid, *code, *flag;
    ndc_pkg *p;
    int rc;

    if (!st->header_seen)
        return header(st, f, n, line, kcol_names, NKCOLS, NKREQUIRED);
    if ((rc = check_row(st, f, n, line)) != MT_OK)
        return rc;
    pid = col(st, f, K_PRODUCTID);
    code = col(st, f, K_NDC);
    flag = col(st, f, K_EXCLUDE);
    if (*flag && strcmp(flag, "N") != 0)
        return MT_OK;
    if (!*pid || strlen(pid) > 200 || strlen(code) >= sizeof(p->code))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "empty or overlong PRODUCTID or NDCPACKAGECODE");
    if ((rc = grow((void **)&st->pkgs, &st->cappkgs, st->npkgs, sizeof(*st->pkgs))) != MT_OK)
        return rc;
    p = &st->pkgs[st->npkgs];
    if (mdl_ndc_normalize(code, p->ndc11) != MT_OK)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "NDCPACKAGECODE \"%s\" is not a 10-digit NDC (4-4-2, 5-3-2 or 5-4-1)", code);
    snprintf(p->code, sizeof(p->code), "%s", code);
    p->line = line;
    if (!(p->productid = mt_arena_strdup(&st->arena, pid)))
        return MT_ENOMEM;
    st->npkgs++;
    return MT_OK;
}

static int cmp_pkg(const void *a, const void *b)
{
    const ndc_pkg *x = a, *y = b;
    int r = strcmp(x->productid, y->productid);
    return r ? r : (x->line < y->line ? -1 : x->line > y->line);
}

/* The packages of a listing: count, *first their start. */
static size_t packages(const ndc_state *st, const char *pid, size_t *first)
{
    size_t lo = 0, hi = st->npkgs, n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(st->pkgs[mid].productid, pid) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (n = 0; lo + n < st->npkgs && strcmp(st->pkgs[lo + n].productid, pid) == 0; n++)
        ;
    *first = lo;
    return n;
}

static int read_file(ndc_state *st, const char *name, mt_csv_row_fn fn)
{
    int rc;
    st->file = name;
    st->header_seen = 0;
    rc = mt_csv_read(st->ctx->dir, name, '\t', 0, fn, st, st->ctx->err);
    if (rc == MT_OK && !st->header_seen)
        rc = mt_import_fail(st->ctx, st->file, 0, MT_EFORMAT, "empty file");
    return rc;
}

static int read_packages(ndc_state *st)
{
    int rc = read_file(st, "package.txt", on_package);
    if (rc == MT_OK && st->npkgs > 1)
        qsort(st->pkgs, st->npkgs, sizeof(*st->pkgs), cmp_pkg);
    return rc;
}

/* --- classes ------------------------------------------------------------------------ */

static int class_lookup_key(const char *type, const char *name, char *out, size_t outsz)
{
    char k[512];
    mt_text_key(name, k, sizeof(k));
    return snprintf(out, outsz, "%s|%s", type, k);
}

/* The model's classes by type and name, so that "Serotonin Reuptake Inhibitor
** [EPC]" is DrugCentral's class with its N-code. */
static int index_classes(ndc_state *st)
{
    uint32_t i;
    int rc = MT_OK;
    for (i = 0; i < st->m->classes.count && rc == MT_OK; i++) {
        const mdl_class *c = &st->m->classes.items[i];
        char key[600];
        int n = class_lookup_key(c->type, c->name, key, sizeof(key));
        const char *k;
        uint32_t dummy;
        if (n <= 0 || (size_t)n >= sizeof(key) || mt_hmap_get(&st->class_key, key, (size_t)n, &dummy) == MT_OK)
            continue;
        if (!(k = mt_arena_strndup(&st->arena, key, (size_t)n)))
            return MT_ENOMEM;
        rc = mt_hmap_put(&st->class_key, k, (size_t)n, i);
    }
    return rc;
}

/* "Name [EPC], Other [MoA]" -> classes of the drug. */
static int add_classes(ndc_state *st, mdl_ref drug, const char *list, mdl_cite cite)
{
    static const struct { const char *tag, *type, *suffix; } types[] = {
        { "EPC", "EPC", " [EPC]" }, { "MoA", "MoA", " [MoA]" }, { "PE", "PE", " [PE]" },
        { "CS", "CS", " [Chemical/Ingredient]" }, { "Chemical/Ingredient", "CS", " [Chemical/Ingredient]" },
    };
    const char *p = list;
    int rc = MT_OK;
    while (*p && rc == MT_OK) {
        const char *open, *close;
        char name[512], key[600];
        size_t nl, t;
        int kl;
        uint32_t cls;
        while (*p == ',' || *p == ' ')
            p++;
        if (!*p || !(open = strchr(p, '[')) || !(close = strchr(open, ']')))
            break;
        nl = (size_t)(open - p);
        while (nl && p[nl - 1] == ' ')
            nl--;
        for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
            if ((size_t)(close - open - 1) == strlen(types[t].tag) && !strncmp(open + 1, types[t].tag, strlen(types[t].tag)))
                break;
        if (nl && nl < 400 && t < sizeof(types) / sizeof(types[0])) {
            snprintf(name, sizeof(name), "%.*s%s", (int)nl, p, types[t].suffix);
            kl = class_lookup_key(types[t].type, name, key, sizeof(key));
            if (kl <= 0 || (size_t)kl >= sizeof(key) || mt_hmap_get(&st->class_key, key, (size_t)kl, &cls) != MT_OK) {
                const char *k;
                if ((rc = mdl_class_get(st->m, types[t].type, NULL, name, cite, &cls)) != MT_OK)
                    break;
                if (kl > 0 && (size_t)kl < sizeof(key)) {
                    if (!(k = mt_arena_strndup(&st->arena, key, (size_t)kl)))
                        return MT_ENOMEM;
                    if ((rc = mt_hmap_put(&st->class_key, k, (size_t)kl, cls)) != MT_OK)
                        break;
                }
            }
            rc = mdl_drug_class_add(st->m, drug, cls, cite);
            st->classes++;
        }
        p = close + 1;
    }
    return rc;
}

/* --- brands and schedules --------------------------------------------------------------- */

/* Whether the proprietary name is a brand of the drug and not one of its
** generic names ("Sertraline Hydrochloride", "Ketamine HCl Injection"). */
static int is_brand(const mdl *m, mdl_ref d, const char *brand, const char *generic, const char *substance)
{
    const char *names[3];
    char b[512], g[512];
    size_t bl, i;
    mdl_ref other;

    names[0] = generic;
    names[1] = substance;
    names[2] = m->drugs.items[d].name;
    bl = mt_text_key(brand, b, sizeof(b));
    if (!bl)
        return 0;
    for (i = 0; i < 3; i++) {
        size_t gl;
        if (!names[i] || !*names[i])
            continue;
        gl = mt_text_key(names[i], g, sizeof(g));
        if ((bl >= gl && memcmp(b, g, gl) == 0 && (b[gl] == ' ' || !b[gl])) ||
            (gl > bl && memcmp(g, b, bl) == 0 && g[bl] == ' '))
            return 0;
        gl = mt_text_strip_salt(g);
        if (gl && bl >= gl && memcmp(b, g, gl) == 0 && (b[gl] == ' ' || !b[gl]))
            return 0;
    }
    /* another drug's own name */
    if (mdl_drug_find_name(m, brand, &other) == MT_OK && mdl_drug_base(m, other) != d) {
        char o[512];
        mt_text_key(m->drugs.items[other].name, o, sizeof(o));
        if (strcmp(o, b) == 0)
            return 0;
    }
    return 1;
}

static int branded_category(const char *cat)
{
    return (strncasecmp(cat, "NDA", 3) == 0 && !strcasestr(cat, "AUTHORIZED GENERIC")) ||
           strncasecmp(cat, "BLA", 3) == 0;
}

static int count_listing(ndc_state *st, mdl_ref drug)
{
    char key[16];
    int n = snprintf(key, sizeof(key), "%u", drug), rc;
    uint32_t i;
    const char *k;
    if (mt_hmap_get(&st->listings, key, (size_t)n, &i) == MT_OK) {
        st->listing_count[i]++;
        return MT_OK;
    }
    if ((rc = grow((void **)&st->listing_count, &st->caplisting, st->nlisting, sizeof(*st->listing_count))) != MT_OK)
        return rc;
    if (!(k = mt_arena_strndup(&st->arena, key, (size_t)n)))
        return MT_ENOMEM;
    st->listing_count[st->nlisting] = 1;
    return mt_hmap_put(&st->listings, k, (size_t)n, (uint32_t)st->nlisting++);
}

static int tally_schedule(ndc_state *st, mdl_ref drug, const char *schedule, const char *first)
{
    char key[48];
    int n = snprintf(key, sizeof(key), "%u|%s", drug, schedule), rc;
    uint32_t i;
    const char *k;
    ndc_sched *s;
    if (mt_hmap_get(&st->sched_index, key, (size_t)n, &i) == MT_OK) {
        st->scheds[i].listings++;
        return MT_OK;
    }
    if ((rc = grow((void **)&st->scheds, &st->capscheds, st->nscheds, sizeof(*st->scheds))) != MT_OK)
        return rc;
    s = &st->scheds[st->nscheds];
    s->drug = drug;
    s->schedule = schedule;
    s->listings = 1;
    if (!(s->first = mt_arena_strdup(&st->arena, first)) || !(k = mt_arena_strndup(&st->arena, key, (size_t)n)))
        return MT_ENOMEM;
    return mt_hmap_put(&st->sched_index, k, (size_t)n, (uint32_t)st->nscheds++);
}

static int add_schedules(ndc_state *st)
{
    size_t i;
    unsigned shown = 0;
    int rc = MT_OK;
    for (i = 0; i < st->nscheds && rc == MT_OK; i++) {
        const ndc_sched *s = &st->scheds[i];
        char key[16];
        int n = snprintf(key, sizeof(key), "%u", s->drug);
        uint32_t li;
        unsigned long all = mt_hmap_get(&st->listings, key, (size_t)n, &li) == MT_OK ? st->listing_count[li] : s->listings;
        if (s->listings < 2 && s->listings * 2 < all) {
            st->sched_dropped++;
            if (shown++ < NOTES_MAX)
                note(st->ctx, "fda-ndc: %s of %s declared by 1 of %lu listings (%s): taken for a labeler's "
                     "error, not kept", s->schedule, st->m->drugs.items[s->drug].name, all, s->first);
            continue;
        }
        rc = mdl_schedule_add(st->m, s->drug, s->schedule,
                              mdl_cite_make(st->m, st->ctx->src, "product.txt: DEASCHEDULE %s in %lu of %lu "
                                            "single-substance listings (first: %s)", s->schedule, s->listings,
                                            all, s->first));
    }
    return rc;
}

/* --- product.txt ------------------------------------------------------------------- */

/* Splits a ';'-separated list in place (trimmed); returns the count. */
static size_t split_list(char *s, char **parts, size_t max)
{
    size_t n = 0;
    char *p = s;
    while (n < max) {
        char *semi = strchr(p, ';'), *e;
        if (semi)
            *semi = '\0';
        while (*p == ' ')
            p++;
        e = p + strlen(p);
        while (e > p && e[-1] == ' ')
            *--e = '\0';
        if (*p)
            parts[n++] = p;
        if (!semi)
            break;
        p = semi + 1;
    }
    return n;
}

/* "50 mg/1; 12.5 mg/1" from the numerator and unit lists. */
static int strength_text(ndc_state *st, const char *num, const char *unit)
{
    char nb[1024], ub[1024], *np[NDC_MAX_PARTS], *up[NDC_MAX_PARTS];
    size_t nn, nu, i;
    int rc = MT_OK;
    snprintf(nb, sizeof(nb), "%s", num);
    snprintf(ub, sizeof(ub), "%s", unit);
    nn = split_list(nb, np, NDC_MAX_PARTS);
    nu = split_list(ub, up, NDC_MAX_PARTS);
    for (i = 0; i < nn && rc == MT_OK; i++)
        rc = mt_buf_printf(&st->tmp, "%s%s%s%s", i ? "; " : "", np[i], i < nu ? " " : "", i < nu ? up[i] : "");
    return rc;
}

static int on_product(void *user, char **f, size_t n, unsigned long line)
{
    ndc_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = st->m;
    mdl_source *src = &m->sources.items[ctx->src];
    char subst_buf[NDC_FIELD_MAX], copy[NDC_FIELD_MAX], lab_buf[512], prop_buf[512], gen_buf[1024], ndc9[10],
         where[600];
    char *parts[NDC_MAX_PARTS];
    const char *pid, *labeler, *prop, *generic, *start, *dea, *sched = NULL;
    mdl_ref drugs[NDC_MAX_PARTS], product = MDL_NONE;
    size_t nparts, ndrugs = 0, first, npk, i;
    mdl_cite cite;
    int rc, single;

    if (!st->header_seen)
        return header(st, f, n, line, pcol_names, NPCOLS, NPREQUIRED);
    if ((rc = check_row(st, f, n, line)) != MT_OK)
        return rc;
    if (*col(st, f, P_EXCLUDE) && strcmp(col(st, f, P_EXCLUDE), "N") != 0) {
        st->excluded++;
        return MT_OK;
    }
    pid = col(st, f, P_PRODUCTID);
    if (!*pid || pj_ndc9_normalize(col(st, f, P_PRODUCTNDC), ndc9) != MT_OK)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "PRODUCTID empty or PRODUCTNDC \"%.20s\" not a labeler-product code", col(st, f, P_PRODUCTNDC));
    if (strlen(col(st, f, P_SUBSTANCE)) >= sizeof(subst_buf) / 2 || strlen(col(st, f, P_NONPROPRIETARY)) >= 512)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "SUBSTANCENAME or NONPROPRIETARYNAME overlong");
    src->rows++;
    if (ctx->progress && src->rows % 10000 == 0)
        ctx->progress(ctx->progress_user, "product.txt listings", src->rows, 0);
    labeler = utf8(col(st, f, P_LABELER), lab_buf, sizeof(lab_buf));
    prop = utf8(col(st, f, P_PROPRIETARY), prop_buf, sizeof(prop_buf));
    generic = utf8(col(st, f, P_NONPROPRIETARY), gen_buf, sizeof(gen_buf));
    start = col(st, f, P_START);
    if (strlen(start) == 8 && strcmp(start, st->newest) > 0)
        memcpy(st->newest, start, 9);
    snprintf(where, sizeof(where), "PRODUCTNDC %s (%s)", col(st, f, P_PRODUCTNDC), *labeler ? labeler : "no labeler");
    cite = mdl_cite_make(m, ctx->src, "product.txt %s", where);

    /* The substances the listing names: one is a single-substance listing. */
    snprintf(copy, sizeof(copy), "%s", utf8(*col(st, f, P_SUBSTANCE) ? col(st, f, P_SUBSTANCE) : generic,
                                             subst_buf, sizeof(subst_buf)));
    nparts = split_list(copy, parts, NDC_MAX_PARTS);
    /* Join: an RxNorm product by a package NDC, then by labeler-product code. */
    npk = packages(st, pid, &first);
    for (i = 0; i < npk && product == MDL_NONE; i++)
        product = pj_product_by_ndc11(&st->ix, st->pkgs[first + i].ndc11);
    if (product == MDL_NONE)
        product = pj_product_by_ndc9(&st->ix, ndc9);
    if (product != MDL_NONE) {
        const mdl_ref *ings;
        uint32_t k, c = pj_product_ings(&st->ix, product, &ings);
        for (k = 0; k < c && ndrugs < NDC_MAX_PARTS; k++)
            drugs[ndrugs++] = ings[k];
        if (ndrugs)
            st->by_ndc++;
    } else {
        for (i = 0; i < nparts; i++) {
            mdl_ref d;
            size_t k;
            if (mdl_drug_find_name(m, parts[i], &d) != MT_OK)
                continue;
            d = mdl_drug_base(m, d);
            for (k = 0; k < ndrugs && drugs[k] != d; k++)
                ;
            if (k == ndrugs)
                drugs[ndrugs++] = d;
        }
        if (ndrugs)
            st->by_name++;
    }
    /* A combination's product may know only some of its ingredients: the
    ** listing's own substances decide. */
    single = nparts == 1 && ndrugs == 1;
    if (!ndrugs) {
        src->unmatched++;
        return MT_OK;
    }
    src->matched++;

    /* NDCs: onto the RxNorm product, else onto a product of the listing's own. */
    if (product == MDL_NONE) {
        mdl_product p;
        mt_buf_reset(&st->name);
        mt_buf_reset(&st->tmp);
        if ((rc = strength_text(st, col(st, f, P_STRENGTH), col(st, f, P_UNIT))) != MT_OK ||
            (rc = mt_buf_append(&st->tmp, "", 0)) != MT_OK)
            return rc;
        rc = mt_buf_printf(&st->name, "%s%s%s", *prop ? prop : generic, *col(st, f, P_SUFFIX) ? " " : "",
                           col(st, f, P_SUFFIX));
        if (rc == MT_OK && *prop && *generic && strcasecmp(prop, generic) != 0)
            rc = mt_buf_printf(&st->name, " (%s)", generic);
        if (rc == MT_OK && st->tmp.len)
            rc = mt_buf_printf(&st->name, " %s", mt_buf_str(&st->tmp));
        if (rc == MT_OK && *col(st, f, P_FORM))
            rc = mt_buf_printf(&st->name, " %s", col(st, f, P_FORM));
        if (rc == MT_OK)
            rc = mt_buf_append(&st->name, "", 0);
        if (rc != MT_OK)
            return rc;
        memset(&p, 0, sizeof(p));
        p.tty = "NDC";
        p.name = mt_buf_str(&st->name);
        p.brand = single && branded_category(col(st, f, P_CATEGORY)) && *prop ? prop : NULL;
        p.cite = cite;
        if ((rc = mdl_product_add(m, &p, &product)) != MT_OK)
            return rc;
        st->products++;
        for (i = 0; i < ndrugs; i++)
            if ((rc = mdl_product_ing_add(m, product, drugs[i])) != MT_OK)
                return rc;
    }
    for (i = 0; i < npk; i++) {
        const ndc_pkg *pk = &st->pkgs[first + i];
        rc = mdl_ndc_add(m, product, pk->ndc11,
                         mdl_cite_make(m, ctx->src, "package.txt NDCPACKAGECODE %s (%s)", pk->code,
                                       *labeler ? labeler : "no labeler"));
        if (rc != MT_OK)
            return rc;
        st->ndcs++;
    }

    if (!single) {
        st->not_single++;
        return MT_OK;
    }
    /* One substance: its brand, classes and schedule. */
    if (*prop && branded_category(col(st, f, P_CATEGORY)) &&
        is_brand(m, drugs[0], prop, generic, col(st, f, P_SUBSTANCE))) {
        if ((rc = mdl_name_add(m, drugs[0], MT_NAME_BRAND, prop, NULL, cite)) != MT_OK)
            return rc;
        st->brands++;
    }
    if ((rc = add_classes(st, drugs[0], col(st, f, P_CLASSES), cite)) != MT_OK)
        return rc;
    if ((rc = count_listing(st, drugs[0])) != MT_OK)
        return rc;
    dea = col(st, f, P_DEA);
    if (*dea && !(sched = pj_schedule_from_code(dea)))
        st->unknown_sched++;
    if (sched && (rc = tally_schedule(st, drugs[0], sched, where)) != MT_OK)
        return rc;
    return MT_OK;
}

/* --- the importers ------------------------------------------------------------------- */

static void state_init(ndc_state *st, mt_import_ctx *ctx)
{
    memset(st, 0, sizeof(*st));
    st->ctx = ctx;
    st->m = ctx->m;
    mt_arena_init(&st->arena, 256 * 1024, 0);
    mt_hmap_init(&st->class_key);
    mt_hmap_init(&st->sched_index);
    mt_hmap_init(&st->listings);
    mt_hmap_init(&st->labeler_of);
    mt_buf_init(&st->name, 8192);
    mt_buf_init(&st->tmp, 8192);
}

static void state_free(ndc_state *st)
{
    mt_free(st->pkgs);
    mt_free(st->scheds);
    mt_free(st->listing_count);
    mt_free(st->labelers);
    mt_hmap_free(&st->class_key);
    mt_hmap_free(&st->sched_index);
    mt_hmap_free(&st->listings);
    mt_hmap_free(&st->labeler_of);
    mt_buf_free(&st->name);
    mt_buf_free(&st->tmp);
    mt_arena_free(&st->arena);
}

int mt_import_fda_ndc(mt_import_ctx *ctx)
{
    ndc_state st;
    mdl_source *src = &ctx->m->sources.items[ctx->src];
    int rc;

    state_init(&st, ctx);
    rc = pj_index_build(&st.ix, ctx->m);
    if (rc == MT_OK)
        rc = index_classes(&st);
    if (rc == MT_OK)
        rc = read_packages(&st);
    if (rc == MT_OK)
        rc = read_file(&st, "product.txt", on_product);
    if (rc == MT_OK)
        rc = add_schedules(&st);
    if (rc == MT_OK && st.newest[0] && !src->edition) {
        char ed[96];
        snprintf(ed, sizeof(ed), "FDA NDC directory, newest listing marketed from %.4s-%.2s-%.2s", st.newest,
                 st.newest + 4, st.newest + 6);
        if (!(src->edition = mt_arena_strdup(&ctx->m->arena, ed)))
            rc = MT_ENOMEM;
    }
    if (rc == MT_OK) {
        note(ctx, "fda-ndc: %u listings: %lu joined through an RxNorm product's NDC, %lu by substance name, "
             "%u not joined; %lu listings flagged excluded not read", src->rows, st.by_ndc, st.by_name,
             src->unmatched, st.excluded);
        note(ctx, "fda-ndc: %lu products of their own, %lu package NDCs, %lu brand names, %lu class links, "
             "%lu combinations (no brand, class or schedule given to an ingredient), %lu DEA schedules kept, "
             "%lu dropped, %lu values not understood", st.products, st.ndcs, st.brands, st.classes,
             st.not_single, st.nscheds - st.sched_dropped, st.sched_dropped, st.unknown_sched);
    }
    pj_index_free(&st.ix);
    state_free(&st);
    return rc;
}

/* --- the second step: labelers of the pills ------------------------------------------------ */

static int on_product_labeler(void *user, char **f, size_t n, unsigned long line)
{
    ndc_state *st = user;
    char buf[512];
    const char *lab, *pid, *k;
    uint32_t dummy;
    int rc;

    if (!st->header_seen)
        return header(st, f, n, line, pcol_names, NPCOLS, NPREQUIRED);
    if ((rc = check_row(st, f, n, line)) != MT_OK)
        return rc;
    pid = col(st, f, P_PRODUCTID);
    lab = utf8(col(st, f, P_LABELER), buf, sizeof(buf));
    if (!*pid || !*lab || mt_hmap_gets(&st->labeler_of, pid, &dummy) == MT_OK)
        return MT_OK;
    if ((rc = grow((void **)&st->labelers, &st->caplabelers, st->nlabelers, sizeof(*st->labelers))) != MT_OK)
        return rc;
    if (!(st->labelers[st->nlabelers] = mt_arena_strdup(&st->arena, lab)) || !(k = mt_arena_strdup(&st->arena, pid)))
        return MT_ENOMEM;
    return mt_hmap_puts(&st->labeler_of, k, (uint32_t)st->nlabelers++);
}

int mt_import_fda_ndc_pills(mt_import_ctx *ctx)
{
    ndc_state st;
    mdl *m = ctx->m;
    mt_hmap by_ndc;
    size_t i;
    unsigned long filled = 0, had = 0;
    int rc;

    state_init(&st, ctx);
    mt_hmap_init(&by_ndc);
    rc = read_packages(&st);
    if (rc == MT_OK)
        rc = read_file(&st, "product.txt", on_product_labeler);
    for (i = 0; i < st.npkgs && rc == MT_OK; i++) {
        uint32_t li, dummy;
        if (mt_hmap_gets(&st.labeler_of, st.pkgs[i].productid, &li) == MT_OK &&
            mt_hmap_get(&by_ndc, st.pkgs[i].ndc11, 11, &dummy) != MT_OK)
            rc = mt_hmap_put(&by_ndc, st.pkgs[i].ndc11, 11, (uint32_t)i);
    }
    for (i = 0; i < m->pills.count && rc == MT_OK; i++) {
        mdl_pill *p = &m->pills.items[i];
        const ndc_pkg *pk;
        uint32_t pi, li;
        if (!p->ndc11 || strlen(p->ndc11) != 11 || mt_hmap_get(&by_ndc, p->ndc11, 11, &pi) != MT_OK)
            continue;
        if (p->labeler || (p->flags & (MDL_PILLF_LABELER_FILLED | MDL_PILLF_COLOR_FILLED | MDL_PILLF_STRENGTH_FILLED))) {
            had++;                       /* its own labeler, or another fallback's citation */
            continue;
        }
        pk = &st.pkgs[pi];
        if (mt_hmap_gets(&st.labeler_of, pk->productid, &li) != MT_OK)
            continue;
        if (!(p->labeler = mt_arena_strdup(&m->arena, st.labelers[li]))) {
            rc = MT_ENOMEM;
            break;
        }
        p->flags |= MDL_PILLF_LABELER_FILLED;
        p->fill_cite = mdl_cite_make(m, ctx->src, "package.txt NDCPACKAGECODE %s (line %lu)", pk->code, pk->line);
        filled++;
    }
    if (rc == MT_OK)
        note(ctx, "fda-ndc: labeler given to %lu pills by their NDC (%lu pills of these NDCs had one)", filled, had);
    mt_hmap_free(&by_ndc);
    state_free(&st);
    return rc;
}
