/*
** pill_challenge.c — importer of the NLM Pill Image Recognition Challenge
** reference set (nlm-pill-challenge-reference/pills.csv): colour and shape
** per NDC-11, two rows (front, back) per pill image, no imprint, no name.
**
** It is a cross-check, not a pill source of its own (PROVENANCE: 917 of its
** 928 NDCs are in C3PI). For an NDC that already has pills (C3PI, read
** before) it counts whether colour and shape agree: exactly, or partly (the
** challenge names one colour of a two-tone capsule that C3PI names both
** colours of), or not at all. For an NDC with no pill it adds one, without
** imprint and flagged MDL_PILLF_LOW_CONFIDENCE, only when the NDC joins an
** RxNorm product; the others are counted and dropped. The counts go to
** ctx->warn and to docs/reference/pills-and-labels.md.
*/
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "import/pill_join.h"
#include "source/srcfile.h"
#include "util/alloc.h"

#define PC_FILE "pills.csv"

enum { COL_NDC11, COL_COLOR, COL_SHAPE, NCOLS };

typedef struct pc_state {
    mt_import_ctx *ctx;
    pj_index       ix;
    int            col[NCOLS];
    size_t         nheader;
    uint32_t       npills_before;   /* pills of earlier sources: the ones compared with */
    mt_arena       keys;
    mt_hmap        by_ndc;          /* NDC-11 -> first earlier pill with it */
    mt_hmap        seen;            /* NDC-11 of this file already handled -> 1 */
    mt_buf         color, shape;
    uint32_t       ndcs, present, agree, partial, disagree, added, dropped;
} pc_state;

static int read_header(pc_state *st, char **f, size_t n, unsigned long line)
{
    static const char *const names[NCOLS] = { "ndc11", "color", "shape" };
    size_t i;
    int c;
    for (c = 0; c < NCOLS; c++) {
        st->col[c] = -1;
        for (i = 0; i < n; i++)
            if (strcmp(f[i], names[c]) == 0)
                st->col[c] = (int)i;
        if (st->col[c] < 0)
            return mt_import_fail(st->ctx, PC_FILE, line, MT_EFORMAT, "header has no column \"%s\"", names[c]);
    }
    st->nheader = n;
    return MT_OK;
}

/* Whether every colour of a (", "-separated SPL names) is in b. */
static int colors_within(const char *a, const char *b)
{
    while (*a) {
        size_t len = strcspn(a, ",");
        const char *p = b;
        int found = 0;
        while (*p && !found) {
            size_t blen = strcspn(p, ",");
            if (blen == len && strncmp(a, p, len) == 0)
                found = 1;
            p += blen;
            while (*p == ',' || *p == ' ')
                p++;
        }
        if (!found)
            return 0;
        a += len;
        while (*a == ',' || *a == ' ')
            a++;
    }
    return 1;
}

static size_t ncolors(const char *s)
{
    size_t n = *s ? 1 : 0;
    for (; *s; s++)
        if (*s == ',')
            n++;
    return n;
}

/* Compares with the earlier pills of the same NDC: 2 exact, 1 partial, 0 no. */
static int compare(const pc_state *st, mdl_ref first, const char *ndc11, const char *color, const char *shape)
{
    const mdl *m = st->ctx->m;
    uint32_t i;
    int best = 0;
    for (i = first; i < st->npills_before && best < 2; i++) {
        const mdl_pill *p = &m->pills.items[i];
        if (!p->ndc11 || strcmp(p->ndc11, ndc11) != 0 || !p->color || !p->shape || strcmp(p->shape, shape) != 0)
            continue;
        if (colors_within(color, p->color) && ncolors(color) == ncolors(p->color))
            best = 2;
        else if (colors_within(color, p->color))
            best = 1;
    }
    return best;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    pc_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src;
    char ndc11[12];
    mdl_ref first, dummy;
    const char *key;
    int rc;

    if (!st->nheader)
        return read_header(st, f, n, line);
    src = &m->sources.items[ctx->src];
    src->rows++;
    if (n != st->nheader)
        return mt_import_fail(st->ctx, PC_FILE, line, MT_EFORMAT, "expected %zu fields, got %zu", st->nheader, n);
    if (mdl_ndc_normalize(f[st->col[COL_NDC11]], ndc11) != MT_OK)
        return mt_import_fail(st->ctx, PC_FILE, line, MT_EFORMAT, "\"%s\" is not an NDC-11", f[st->col[COL_NDC11]]);
    if ((rc = pj_color_text(m, f[st->col[COL_COLOR]], &st->color)) != MT_OK ||
        (rc = pj_shape_text(m, f[st->col[COL_SHAPE]], &st->shape)) != MT_OK)
        return rc;

    if (mt_hmap_get(&st->by_ndc, ndc11, 11, &first) == MT_OK ||
        pj_product_by_ndc11(&st->ix, ndc11) != MDL_NONE)
        src->matched++;
    else
        src->unmatched++;
    /* The back image of a pill, or another image of the same NDC: done once. */
    if (mt_hmap_get(&st->seen, ndc11, 11, &dummy) == MT_OK)
        return MT_OK;
    key = mt_arena_strndup(&st->keys, ndc11, 11);
    if (!key || mt_hmap_put(&st->seen, key, 11, 1) != MT_OK)
        return MT_ENOMEM;
    st->ndcs++;

    if (mt_hmap_get(&st->by_ndc, ndc11, 11, &first) == MT_OK) {
        int c = compare(st, first, ndc11, mt_buf_str(&st->color), mt_buf_str(&st->shape));
        st->present++;
        if (c == 2)
            st->agree++;
        else if (c == 1)
            st->partial++;
        else
            st->disagree++;
        return MT_OK;
    } else {
        mdl_pill pill;
        mdl_ref product = pj_product_by_ndc11(&st->ix, ndc11);
        if (product == MDL_NONE) {
            st->dropped++;
            return MT_OK;
        }
        memset(&pill, 0, sizeof(pill));
        pill.ndc11 = ndc11;
        pill.product = product;
        pill.name = m->products.items[product].name;
        pill.drug = pj_product_main_drug(&st->ix, product);
        pill.schedule = pj_product_schedule(&st->ix, product);
        pill.color = mt_buf_str(&st->color);
        pill.shape = mt_buf_str(&st->shape);
        pill.flags = MDL_PILLF_LOW_CONFIDENCE;
        pill.cite = mdl_cite_make(m, ctx->src, "%s line %lu", PC_FILE, line);
        st->added++;
        return mdl_pill_add(m, &pill);
    }
}

static int index_pills(pc_state *st)
{
    const mdl *m = st->ctx->m;
    uint32_t i;
    int rc = MT_OK;
    st->npills_before = m->pills.count;
    for (i = 0; i < m->pills.count && rc == MT_OK; i++) {
        const char *ndc = m->pills.items[i].ndc11;
        mdl_ref old;
        const char *key;
        if (!ndc || strlen(ndc) != 11 || mt_hmap_get(&st->by_ndc, ndc, 11, &old) == MT_OK)
            continue;
        key = mt_arena_strndup(&st->keys, ndc, 11);
        rc = key ? mt_hmap_put(&st->by_ndc, key, 11, i) : MT_ENOMEM;
    }
    return rc;
}

int mt_import_pill_challenge(mt_import_ctx *ctx)
{
    pc_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_arena_init(&st.keys, 64 * 1024, 0);
    mt_hmap_init(&st.by_ndc);
    mt_hmap_init(&st.seen);
    mt_buf_init(&st.color, 256);
    mt_buf_init(&st.shape, 256);
    if ((rc = pj_index_build(&st.ix, ctx->m)) != MT_OK || (rc = index_pills(&st)) != MT_OK)
        goto done;
    rc = mt_csv_read(ctx->dir, PC_FILE, ',', '"', on_row, &st, ctx->err);
    if (rc == MT_OK && !st.nheader) {
        mt_buf_printf(ctx->err, "%s/%s: empty file", ctx->dir, PC_FILE);
        rc = MT_EFORMAT;
    }
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "pill-challenge: %u NDCs; %u already had pills: colour and shape agree "
                      "for %u, partly for %u (one colour of a two-tone pill), disagree for %u; "
                      "%u added (low confidence, joined to a product), %u dropped (no product)\n",
                      st.ndcs, st.present, st.agree, st.partial, st.disagree, st.added, st.dropped);
done:
    pj_index_free(&st.ix);
    mt_hmap_free(&st.by_ndc);
    mt_hmap_free(&st.seen);
    mt_arena_free(&st.keys);
    mt_buf_free(&st.color);
    mt_buf_free(&st.shape);
    return rc;
}
