/*
** c3pi.c — importer of the NLM C3PI / RxImage pill table
** (c3pi-pill-imprints/pill_color_imprint_dataset.csv), the pill identifier's
** main data: one row per reference image, with the RxNorm product name,
** SPL shape, colour and imprint.
**
** One mdl_pill is kept per distinct (NDC-11, imprint, colour, shape): the
** front and back images of a pill are two rows of one pill. The NDC-11 is the
** prefix of the image file name ("63459-0502-30_RXNAVIMAGE10_....JPG"). A
** pill is joined to an RxNorm product by that NDC; failing that, by the
** product name in pill_name (the RxNorm SCD/SBD string), then to a drug by
** the brand in brackets ("[ACTIQ]"), then by the ingredient words of the name
** ("SERTRALINE 25 MG ORAL TABLET" -> sertraline). The DEA schedule is taken
** from the drug's schedule, for single-ingredient pills only (pill_join.h).
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "import/pill_join.h"
#include "source/srcfile.h"
#include "util/alloc.h"

#define C3PI_FILE "pill_color_imprint_dataset.csv"
#define MAX_INGS 8

enum { COL_FILE, COL_NAME, COL_SHAPE, COL_COLOR, COL_IMPRINT, NCOLS };

typedef struct c3pi_state {
    mt_import_ctx *ctx;
    pj_index      ix;
    int           col[NCOLS];
    size_t        nheader;
    mt_arena      keys;         /* dedup keys */
    mt_hmap       seen;         /* ndc|imprint|colour|shape -> pill */
    mt_buf        color, shape, key;
    /* statistics for the summary note */
    uint32_t      pills, by_ndc, by_product_name, by_brand, by_ingredient, none;
} c3pi_state;

static int read_header(c3pi_state *st, char **f, size_t n, unsigned long line)
{
    static const char *const names[NCOLS] = { "image_filename", "pill_name", "shape", "color", "imprint" };
    size_t i;
    int c;
    for (c = 0; c < NCOLS; c++) {
        st->col[c] = -1;
        for (i = 0; i < n; i++)
            if (strcmp(f[i], names[c]) == 0)
                st->col[c] = (int)i;
        if (st->col[c] < 0)
            return mt_import_fail(st->ctx, C3PI_FILE, line, MT_EFORMAT, "header has no column \"%s\"", names[c]);
    }
    st->nheader = n;
    return MT_OK;
}

/* The NDC-11 in the prefix of an image file name, "63459-0502-30_RXNAV...". */
static int ndc_from_filename(const char *fn, char ndc11[12])
{
    char prefix[16];
    size_t n = strcspn(fn, "_");
    if (n == 0 || n >= sizeof(prefix) || fn[n] != '_')
        return MT_EFORMAT;
    memcpy(prefix, fn, n);
    prefix[n] = '\0';
    return mdl_ndc_normalize(prefix, ndc11);
}

/* Ingredient names of an RxNorm clinical drug string: for each " / " part,
** the words before the first word that starts with a digit, after a leading
** "12 HR" / "24 HR" and, in a pack ("{7 (LAMOTRIGINE 100 MG ...) / ...}"),
** the braces and counts. Writes NUL-separated names into buf. */
static size_t ingredient_names(const char *name, char *buf, size_t bufsz, const char **out, size_t max)
{
    size_t n = 0, used = 0;
    const char *p = name;
    const char *bracket = strchr(name, '[');
    const char *end = bracket ? bracket : name + strlen(name);

    while (p < end && n < max) {
        const char *sep = strstr(p, " / ");
        const char *part_end = sep && sep < end ? sep : end;
        const char *w = p, *stop = p;
        size_t len;
        /* "{7 (LAMOTRIGINE 100 MG ...": the pack's braces and counts;
        ** "24 HR ", "8 HR ": a release period. */
        for (;;) {
            const char *d = w;
            while (w < part_end && (*w == ' ' || *w == '{' || *w == '('))
                w++;
            d = w;
            while (d < part_end && isdigit((unsigned char)*d))
                d++;
            if (d > w && part_end - d >= 2 && strncmp(d, " (", 2) == 0)
                w = d + 2;
            else if (d > w && part_end - d >= 4 && strncmp(d, " HR ", 4) == 0)
                w = d + 4;
            else
                break;
        }
        stop = w;
        while (stop < part_end) {
            if (isdigit((unsigned char)*stop) && (stop == w || stop[-1] == ' '))
                break;
            stop++;
        }
        while (stop > w && (stop[-1] == ' ' || stop[-1] == '{' || stop[-1] == '('))
            stop--;
        len = (size_t)(stop - w);
        if (len && used + len + 1 <= bufsz) {
            memcpy(buf + used, w, len);
            buf[used + len] = '\0';
            out[n++] = buf + used;
            used += len + 1;
        }
        p = part_end < end ? part_end + 3 : end;
    }
    return n;
}

/* The brand in brackets at the end of an SBD string, "... [ACTIQ]". */
static int brand_of(const char *name, char *out, size_t outsz)
{
    const char *open = strrchr(name, '['), *close;
    size_t len;
    if (!open || !(close = strchr(open, ']')))
        return 0;
    len = (size_t)(close - open - 1);
    if (!len || len >= outsz)
        return 0;
    memcpy(out, open + 1, len);
    out[len] = '\0';
    return 1;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    c3pi_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src;
    mdl_pill pill;
    char ndc11[12], brand[128], names[512];
    const char *ings[MAX_INGS];
    const char *pname, *imprint;
    size_t ning = 0, i;
    mdl_ref dummy, drug = MDL_NONE, found[MAX_INGS];
    size_t nfound = 0;
    uint32_t *how;
    const char *key;
    int rc;

    if (!st->nheader)
        return read_header(st, f, n, line);
    src = &m->sources.items[ctx->src];
    src->rows++;
    if (n != st->nheader)
        return mt_import_fail(ctx, C3PI_FILE, line, MT_EFORMAT, "expected %zu fields, got %zu", st->nheader, n);
    if (ndc_from_filename(f[st->col[COL_FILE]], ndc11) != MT_OK)
        return mt_import_fail(ctx, C3PI_FILE, line, MT_EFORMAT, "no NDC in image file name \"%s\"", f[st->col[COL_FILE]]);
    pname = f[st->col[COL_NAME]];
    imprint = f[st->col[COL_IMPRINT]];
    if ((rc = pj_color_text(m, f[st->col[COL_COLOR]], &st->color)) != MT_OK ||
        (rc = pj_shape_text(m, f[st->col[COL_SHAPE]], &st->shape)) != MT_OK)
        return rc;

    memset(&pill, 0, sizeof(pill));
    pill.ndc11 = ndc11;
    pill.name = pname;
    pill.imprint = imprint;
    pill.color = mt_buf_str(&st->color);
    pill.shape = mt_buf_str(&st->shape);
    pill.product = pj_product_by_ndc11(&st->ix, ndc11);
    pill.drug = MDL_NONE;
    how = &st->by_ndc;
    if (pill.product == MDL_NONE) {
        pill.product = pj_product_by_name(&st->ix, pname);
        how = &st->by_product_name;
    }
    if (pill.product != MDL_NONE) {
        pill.drug = pj_product_main_drug(&st->ix, pill.product);
        pill.schedule = pj_product_schedule(&st->ix, pill.product);
    }
    if (pill.product == MDL_NONE || pill.drug == MDL_NONE) {
        ning = ingredient_names(pname, names, sizeof(names), ings, MAX_INGS);
        for (i = 0; i < ning; i++)
            if (mdl_drug_find_name(m, ings[i], &drug) == MT_OK)
                found[nfound++] = mdl_drug_base(m, drug);   /* a salt name joins its ingredient */
    }
    if (pill.product == MDL_NONE && brand_of(pname, brand, sizeof(brand)) &&
        mdl_drug_find_name(m, brand, &drug) == MT_OK) {
        pill.drug = mdl_drug_base(m, drug);
        how = &st->by_brand;
    } else if (pill.drug == MDL_NONE && nfound) {
        pill.drug = found[0];
        if (pill.product == MDL_NONE)
            how = &st->by_ingredient;
    }
    /* Without a product, the name's ingredients decide the schedule, and
    ** only when every one of them is known. */
    if (pill.product == MDL_NONE && nfound && nfound == ning)
        pill.schedule = pj_drugs_schedule(&st->ix, found, (uint32_t)nfound);
    if (pill.product == MDL_NONE && pill.drug == MDL_NONE)
        how = &st->none;
    if (how != &st->none)
        src->matched++;
    else
        src->unmatched++;

    mt_buf_reset(&st->key);
    if ((rc = mt_buf_printf(&st->key, "%s|%s|%s|%s", ndc11, imprint, pill.color, pill.shape)) != MT_OK)
        return rc == MT_ELIMIT ? mt_import_fail(ctx, C3PI_FILE, line, MT_EFORMAT, "row too long") : rc;
    if (mt_hmap_get(&st->seen, st->key.data, st->key.len, &dummy) == MT_OK)
        return MT_OK;                     /* another image of the same pill */
    key = mt_arena_strndup(&st->keys, st->key.data, st->key.len);
    if (!key || mt_hmap_put(&st->seen, key, st->key.len, m->pills.count) != MT_OK)
        return MT_ENOMEM;
    (*how)++;
    st->pills++;
    pill.cite = mdl_cite_make(m, ctx->src, "%s line %lu", C3PI_FILE, line);
    return mdl_pill_add(m, &pill);
}

int mt_import_c3pi(mt_import_ctx *ctx)
{
    c3pi_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_arena_init(&st.keys, 256 * 1024, 0);
    mt_hmap_init(&st.seen);
    mt_buf_init(&st.color, 256);
    mt_buf_init(&st.shape, 256);
    mt_buf_init(&st.key, 8192);
    rc = pj_index_build(&st.ix, ctx->m);
    if (rc != MT_OK)
        goto done;
    rc = mt_csv_read(ctx->dir, C3PI_FILE, ',', '"', on_row, &st, ctx->err);
    if (rc == MT_OK && !st.nheader) {
        mt_buf_printf(ctx->err, "%s/%s: empty file", ctx->dir, C3PI_FILE);
        rc = MT_EFORMAT;
    }
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "c3pi: %u pills; joined by NDC %u, by product name %u, by brand %u, "
                      "by ingredient name %u; not joined %u\n",
                      st.pills, st.by_ndc, st.by_product_name, st.by_brand, st.by_ingredient, st.none);
done:
    pj_index_free(&st.ix);
    mt_hmap_free(&st.seen);
    mt_arena_free(&st.keys);
    mt_buf_free(&st.color);
    mt_buf_free(&st.shape);
    mt_buf_free(&st.key);
    return rc;
}
