/*
** drugsatfda.c — importer of the Drugs@FDA data files (fda-openfda-files/
** drugsatfda-2019: Products, Applications, MarketingStatus with its lookup,
** Submissions; tab-separated, FDA, public domain).
**
** One mdl_approval per product and per joined ingredient: application type
** and number, product number, brand (DrugName), the active ingredient as FDA
** prints it, form, strength, marketing status (from the lookup table),
** sponsor, and the original approval date (the application's earliest
** SubmissionType ORIG with SubmissionStatus AP). ActiveIngredient lists the
** ingredients of a combination separated by ';'; each is joined by name,
** then by its name without salt words — the documented name join — and facts
** go to the ingredient of a salt (mdl_drug_base). A single-ingredient
** product's DrugName becomes a brand name of the ingredient unless it is the
** generic name itself ("ALPRAZOLAM", "ALPRAZOLAM INTENSOL"): this is how the
** ingredients missing from the RxNorm extract get their brands (XANAX ->
** alprazolam, LIPITOR -> atorvastatin).
**
** Known quirks of this release, tolerated: three Products rows end with an
** extra empty field; DrugName may contain doubled quotes (HY-PAM ""25"")
** without being quoted, so quoting is off and "" is read as ".
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/text.h"

#define FDA_MAX_STATUS 16

typedef struct fda_appl { const char *type, *sponsor; char date[11]; } fda_appl;

typedef struct fda_state {
    mt_import_ctx *ctx;
    const char    *prefix;        /* "drugsatfda-2019/" or "" */
    char           file[128];     /* file being read, for messages */
    int            header_seen;
    mt_arena       arena;
    const char    *status_text[FDA_MAX_STATUS];
    mt_hmap        appl_index;    /* ApplNo -> index into appls */
    fda_appl      *appls;
    size_t         nappls, capappls;
    mt_hmap        status;        /* "ApplNo/ProductNo" -> index into statuses */
    const char   **statuses;
    size_t         nstatuses, capstatuses;
    unsigned long  ing_joined, ing_unjoined, brands, rows_done;
} fda_state;

static int all_digits(const char *s, size_t n)
{
    size_t i;
    if (strlen(s) != n)
        return 0;
    for (i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int check_header(fda_state *st, char **f, size_t n, unsigned long line,
                        const char *const *want, size_t nwant)
{
    size_t i;
    st->header_seen = 1;
    if (n < nwant)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected a header of %zu tab-separated columns, got %zu", nwant, n);
    for (i = 0; i < nwant; i++)
        if (strcmp(f[i], want[i]) != 0)
            return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "header column %zu is \"%s\", expected \"%s\"", i + 1, f[i], want[i]);
    return MT_OK;
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

/* A field with FDA's doubled quotes undone, into out (truncated). */
static const char *unquote(const char *s, char *out, size_t outsz)
{
    size_t o = 0;
    for (; *s && o + 1 < outsz; s++) {
        out[o++] = *s;
        if (s[0] == '"' && s[1] == '"')
            s++;
    }
    out[o] = '\0';
    return out;
}

/* --- lookups ------------------------------------------------------------- */

static int on_status_lookup(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[2] = { "MarketingStatusID", "MarketingStatusDescription" };
    fda_state *st = user;
    long id;
    char *end;
    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 2);
    if (n != 2)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 2 tab-separated fields, got %zu", n);
    id = strtol(f[0], &end, 10);
    if (*end || end == f[0] || id < 1 || id >= FDA_MAX_STATUS || !*f[1])
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "MarketingStatusID \"%s\" is not a small number, or no description", f[0]);
    st->status_text[id] = mt_arena_strdup(&st->arena, f[1]);
    return st->status_text[id] ? MT_OK : MT_ENOMEM;
}

static int appl_find(const fda_state *st, const char *applno, fda_appl **out)
{
    uint32_t i;
    if (mt_hmap_gets(&st->appl_index, applno, &i) != MT_OK)
        return MT_ENOTFOUND;
    *out = &st->appls[i];
    return MT_OK;
}

static int on_application(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[4] = { "ApplNo", "ApplType", "ApplPublicNotes", "SponsorName" };
    fda_state *st = user;
    fda_appl *a;
    const char *key;
    int rc;
    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 4);
    if (n != 4)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 4 tab-separated fields, got %zu", n);
    if (!all_digits(f[0], 6))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "ApplNo \"%s\" is not 6 digits", f[0]);
    if (strcmp(f[1], "NDA") != 0 && strcmp(f[1], "ANDA") != 0 && strcmp(f[1], "BLA") != 0)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "ApplType \"%s\" is not NDA, ANDA or BLA", f[1]);
    if (appl_find(st, f[0], &a) == MT_OK)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "ApplNo %s appears twice", f[0]);
    if ((rc = grow((void **)&st->appls, &st->capappls, st->nappls, sizeof(*st->appls))) != MT_OK)
        return rc;
    a = &st->appls[st->nappls];
    memset(a, 0, sizeof(*a));
    a->type = mt_arena_strdup(&st->arena, f[1]);
    a->sponsor = *f[3] ? mt_arena_strdup(&st->arena, f[3]) : NULL;
    key = mt_arena_strdup(&st->arena, f[0]);
    if (!a->type || (*f[3] && !a->sponsor) || !key)
        return MT_ENOMEM;
    if ((rc = mt_hmap_puts(&st->appl_index, key, (uint32_t)st->nappls)) != MT_OK)
        return rc;
    st->nappls++;
    return MT_OK;
}

static int on_status(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[3] = { "MarketingStatusID", "ApplNo", "ProductNo" };
    fda_state *st = user;
    char key[16], *end;
    long id;
    uint32_t i;
    int rc;
    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 3);
    if (n != 3)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 3 tab-separated fields, got %zu", n);
    id = strtol(f[0], &end, 10);
    if (*end || end == f[0] || id < 1 || id >= FDA_MAX_STATUS || !st->status_text[id])
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "MarketingStatusID \"%s\" is not in MarketingStatus_Lookup.txt", f[0]);
    if (!all_digits(f[1], 6) || !all_digits(f[2], 3))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "ApplNo \"%s\" / ProductNo \"%s\" are not 6 and 3 digits", f[1], f[2]);
    snprintf(key, sizeof(key), "%s/%s", f[1], f[2]);
    if (mt_hmap_gets(&st->status, key, &i) == MT_OK) {
        /* A product both Rx and OTC: keep both. */
        char both[128];
        const char *joined;
        snprintf(both, sizeof(both), "%s; %s", st->statuses[i], st->status_text[id]);
        if (!(joined = mt_arena_strdup(&st->arena, both)))
            return MT_ENOMEM;
        st->statuses[i] = joined;
        return MT_OK;
    }
    if ((rc = grow((void **)&st->statuses, &st->capstatuses, st->nstatuses, sizeof(*st->statuses))) != MT_OK)
        return rc;
    st->statuses[st->nstatuses] = st->status_text[id];
    {
        const char *k = mt_arena_strdup(&st->arena, key);
        if (!k)
            return MT_ENOMEM;
        if ((rc = mt_hmap_puts(&st->status, k, (uint32_t)st->nstatuses)) != MT_OK)
            return rc;
    }
    st->nstatuses++;
    return MT_OK;
}

static int valid_date(const char *s)
{
    return strlen(s) >= 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
           isdigit((unsigned char)s[2]) && isdigit((unsigned char)s[3]) && s[4] == '-' &&
           isdigit((unsigned char)s[5]) && isdigit((unsigned char)s[6]) && s[7] == '-' &&
           isdigit((unsigned char)s[8]) && isdigit((unsigned char)s[9]);
}

static int on_submission(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[8] = { "ApplNo", "SubmissionClassCodeID", "SubmissionType", "SubmissionNo",
                                        "SubmissionStatus", "SubmissionStatusDate",
                                        "SubmissionsPublicNotes", "ReviewPriority" };
    fda_state *st = user;
    fda_appl *a;
    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 8);
    if (n != 8)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 8 tab-separated fields, got %zu", n);
    /* One ORIG AP of this release (ApplNo 009658) has no date: no date known. */
    if (strcmp(f[2], "ORIG") != 0 || strcmp(f[4], "AP") != 0 || !*f[5])
        return MT_OK;
    if (!all_digits(f[0], 6) || !valid_date(f[5]))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "ApplNo \"%s\" or SubmissionStatusDate \"%s\" is malformed", f[0], f[5]);
    if (appl_find(st, f[0], &a) != MT_OK)
        return MT_OK;                   /* an application without products here */
    if (!a->date[0] || strncmp(f[5], a->date, 10) < 0) {
        memcpy(a->date, f[5], 10);
        a->date[10] = '\0';
    }
    return MT_OK;
}

/* --- products ------------------------------------------------------------ */

/* Whether DrugName is a brand of the drug, not a generic name of it. */
static int is_brand(const mdl *m, mdl_ref d, const char *brand, const char *ingredient)
{
    char b[512], i[512], s[512], n[512];
    size_t bl, il, sl, nl;
    mdl_ref other;

    bl = mt_text_key(brand, b, sizeof(b));
    il = mt_text_key(ingredient, i, sizeof(i));
    memcpy(s, i, il + 1);
    sl = mt_text_strip_salt(s);
    nl = mt_text_key(m->drugs.items[d].name, n, sizeof(n));
    if (!bl)
        return 0;
    /* the generic name, or the generic name with more words ("ALPRAZOLAM INTENSOL") */
    if ((bl >= il && memcmp(b, i, il) == 0 && (b[il] == ' ' || !b[il])) ||
        (bl >= sl && memcmp(b, s, sl) == 0 && (b[sl] == ' ' || !b[sl])) ||
        (bl >= nl && memcmp(b, n, nl) == 0 && (b[nl] == ' ' || !b[nl])))
        return 0;
    /* a shorter generic name ("ESTRADIOL" for estradiol valerate) */
    if (il > bl && memcmp(i, b, bl) == 0 && i[bl] == ' ')
        return 0;
    /* another drug's own name */
    if (mdl_drug_find_name(m, brand, &other) == MT_OK && mdl_drug_base(m, other) != d) {
        char o[512];
        mt_text_key(m->drugs.items[other].name, o, sizeof(o));
        if (strcmp(o, b) == 0)
            return 0;
    }
    return 1;
}

static int on_product(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[8] = { "ApplNo", "ProductNo", "Form", "Strength", "ReferenceDrug",
                                        "DrugName", "ActiveIngredient", "ReferenceStandard" };
    fda_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    char brand[512], active[1024], ings[1024], key[16];
    char *parts[32];
    size_t nparts = 0, i;
    int depth = 0, joined = 0, rc;
    fda_appl *a = NULL;
    uint32_t si;
    mdl_approval ap;
    char *p;

    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 8);
    /* Three rows of this release end with an extra empty field. */
    if (n != 8 && !(n == 9 && !*f[8]))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 8 tab-separated fields, got %zu", n);
    if (!all_digits(f[0], 6) || !all_digits(f[1], 3))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "ApplNo \"%s\" / ProductNo \"%s\" are not 6 and 3 digits", f[0], f[1]);
    if (!*f[5] || !*f[6] || strlen(f[6]) >= sizeof(ings) ||
        !mt_utf8_valid(f[5], strlen(f[5])) || !mt_utf8_valid(f[6], strlen(f[6])))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "empty, overlong or invalid DrugName or ActiveIngredient");
    src->rows++;
    unquote(f[5], brand, sizeof(brand));
    unquote(f[6], active, sizeof(active));

    /* Split ActiveIngredient at top-level ';' ("TRIPLE SULFA (A;B;C)" is one). */
    memcpy(ings, active, strlen(active) + 1);
    parts[nparts++] = ings;
    for (p = ings; *p; p++) {
        if (*p == '(')
            depth++;
        else if (*p == ')' && depth > 0)
            depth--;
        else if (*p == ';' && depth == 0 && nparts < 32) {
            *p = '\0';
            parts[nparts++] = p + 1;
        }
    }
    for (i = 0; i < nparts; i++) {
        char *s = parts[i], *e;
        while (*s == ' ')
            s++;
        e = s + strlen(s);
        while (e > s && e[-1] == ' ')
            *--e = '\0';
        parts[i] = s;
    }

    appl_find(st, f[0], &a);
    snprintf(key, sizeof(key), "%s/%s", f[0], f[1]);
    memset(&ap, 0, sizeof(ap));
    ap.appl_type = a ? a->type : NULL;
    ap.appl_no = f[0];
    ap.product_no = f[1];
    ap.brand = brand;
    ap.active_ingredient = active;
    ap.form = f[2];
    ap.strength = f[3];
    ap.marketing_status = mt_hmap_gets(&st->status, key, &si) == MT_OK ? st->statuses[si] : NULL;
    ap.approval_date = a && a->date[0] ? a->date : NULL;
    ap.sponsor = a ? a->sponsor : NULL;
    ap.cite = mdl_cite_make(m, ctx->src, "Products.txt ApplNo %s ProductNo %s", f[0], f[1]);

    for (i = 0; i < nparts; i++) {
        mdl_ref d;
        if (!*parts[i] || mdl_drug_find_name(m, parts[i], &d) != MT_OK) {
            st->ing_unjoined++;
            continue;
        }
        st->ing_joined++;
        joined = 1;
        ap.drug = mdl_drug_base(m, d);
        if ((rc = mdl_approval_add(m, &ap)) != MT_OK)
            return rc;
        if (nparts == 1 && is_brand(m, ap.drug, brand, parts[i])) {
            if ((rc = mdl_name_add(m, ap.drug, MT_NAME_BRAND, brand, NULL, ap.cite)) != MT_OK)
                return rc;
            st->brands++;
        }
    }
    if (joined)
        src->matched++;
    else
        src->unmatched++;
    if (ctx->progress && ++st->rows_done % 10000 == 0)
        ctx->progress(ctx->progress_user, "Drugs@FDA products", st->rows_done, 0);
    return MT_OK;
}

/* --- the importer ------------------------------------------------------------ */

static int read_file(fda_state *st, const char *name, mt_csv_row_fn fn, int optional)
{
    int rc;
    snprintf(st->file, sizeof(st->file), "%s%s", st->prefix, name);
    st->header_seen = 0;
    if (optional && !mt_src_exists(st->ctx->dir, st->file)) {
        if (st->ctx->warn) {
            mt_buf_puts(st->ctx->warn, "drugsatfda: ");
            mt_src_describe(st->ctx->dir, st->file, st->ctx->warn);   /* dir/file, or zip!file */
            mt_buf_puts(st->ctx->warn, " is missing: no original approval dates\n");
        }
        return MT_OK;
    }
    rc = mt_csv_read(st->ctx->dir, st->file, '\t', 0, fn, st, st->ctx->err);
    if (rc == MT_OK && !st->header_seen)
        rc = mt_import_fail(st->ctx, st->file, 0, MT_EFORMAT, "empty file");
    return rc;
}

int mt_import_drugsatfda(mt_import_ctx *ctx)
{
    fda_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_arena_init(&st.arena, 256 * 1024, 0);
    mt_hmap_init(&st.appl_index);
    mt_hmap_init(&st.status);
    /* The openFDA folder keeps the files in drugsatfda-2019/; an FDA download
    ** unzipped by a user has them at the top. */
    st.prefix = mt_src_exists(ctx->dir, "drugsatfda-2019/Products.txt") ? "drugsatfda-2019/" : "";

    rc = read_file(&st, "MarketingStatus_Lookup.txt", on_status_lookup, 0);
    if (rc == MT_OK)
        rc = read_file(&st, "Applications.txt", on_application, 0);
    if (rc == MT_OK)
        rc = read_file(&st, "MarketingStatus.txt", on_status, 0);
    if (rc == MT_OK)
        rc = read_file(&st, "Submissions.txt", on_submission, 1);
    if (rc == MT_OK)
        rc = read_file(&st, "Products.txt", on_product, 0);
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "drugsatfda: %lu product ingredients joined, %lu not; %lu brand "
                      "names added\n", st.ing_joined, st.ing_unjoined, st.brands);

    mt_hmap_free(&st.appl_index);
    mt_hmap_free(&st.status);
    mt_free(st.appls);
    mt_free(st.statuses);
    mt_arena_free(&st.arena);
    return rc;
}
