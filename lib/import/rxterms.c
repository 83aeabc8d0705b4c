/*
** rxterms.c — importer of the RxTerms ingredients file (rxterms-ingredients:
** RxTermsIngredients202304.txt, pipe-delimited RXCUI|INGREDIENT|ING_RXCUI).
**
** Each row says that the clinical drug RXCUI contains the ingredient
** ING_RXCUI. We use it to restore the ingredients the RxNorm extract lacks
** (its A.json is missing: alprazolam 596, atorvastatin 83367...): an
** ingredient not found by RxCUI, nor by its exact name among RxNorm drugs, is
** created as an RxNorm ingredient whose identity comes from RxTerms only
** (MT_DRUGF_RXNORM_RXTERMS). The clinical drug is linked to the ingredient
** when the RxNorm extract has it as a product; the ingredients file gives no
** drug names, so products it alone knows are not invented, only counted.
*/
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/text.h"

static const char *const rxterms_files[] = {
    "RxTermsIngredients202304.txt",
    "raw_data/rxterms/RxTermsIngredients202304.txt",
};

typedef struct rxt_state {
    mt_import_ctx *ctx;
    const char    *file;
    int            header_seen;
    mt_arena       arena;        /* keys of `unlinked` */
    mt_hmap        unlinked;     /* clinical drug RxCUIs not in the RxNorm extract */
    unsigned long  unlinked_rows;
} rxt_state;

static uint32_t parse_rxcui(const char *s)
{
    char *end;
    unsigned long v;
    size_t n = strlen(s);
    if (n == 0 || n > 10 || s[0] < '0' || s[0] > '9')
        return 0;
    v = strtoul(s, &end, 10);
    if (*end || v == 0 || v > UINT32_MAX)
        return 0;
    return (uint32_t)v;
}

static int same_name(const char *a, const char *b)
{
    char ka[512], kb[512];
    mt_text_key(a, ka, sizeof(ka));
    mt_text_key(b, kb, sizeof(kb));
    return ka[0] && strcmp(ka, kb) == 0;
}

/* The ingredient of a row: by RxCUI; else an RxNorm drug of exactly that name
** (an RxCUI remapped since 2023 stays findable by its old number); else new. */
static int ingredient(rxt_state *st, const char *name, uint32_t ing, unsigned long line, mdl_ref *out)
{
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    mdl_keys k;
    mdl_ref d;
    char num[16];
    int rc;

    memset(&k, 0, sizeof(k));
    k.rxcui = ing;
    if (mdl_drug_find(m, &k, &d) == MT_OK) {
        if (m->drugs.items[d].cite.source == ctx->src)
            src->unmatched++;          /* created by an earlier row */
        else
            src->matched++;
        *out = d;
        return MT_OK;
    }
    snprintf(num, sizeof(num), "%u", ing);
    if (mdl_drug_find_name(m, name, &d) == MT_OK && m->drugs.items[d].rxcui &&
        same_name(m->drugs.items[d].name, name)) {
        rc = mdl_ident_add(m, d, MT_ID_RXCUI, num,
                           mdl_cite_make(m, ctx->src, "%s line %lu: ING_RXCUI %u", st->file, line, ing));
        if (rc != MT_OK)
            return rc;
        src->matched++;
        *out = d;
        return MT_OK;
    }
    rc = mdl_drug_add(m, name, MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM | MT_DRUGF_RXNORM_RXTERMS,
                      mdl_cite_make(m, ctx->src, "%s line %lu: ING_RXCUI %u", st->file, line, ing), out);
    if (rc != MT_OK)
        return rc;
    src->unmatched++;
    return MT_OK;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    rxt_state *st = user;
    mdl *m = st->ctx->m;
    uint32_t drug_cui, ing_cui;
    mdl_ref d, prod;
    int rc;

    if (!st->header_seen) {
        st->header_seen = 1;
        if (n != 3 || strcmp(f[0], "RXCUI") != 0 || strcmp(f[1], "INGREDIENT") != 0 ||
            strcmp(f[2], "ING_RXCUI") != 0)
            return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected the header RXCUI|INGREDIENT|ING_RXCUI");
        return MT_OK;
    }
    m->sources.items[st->ctx->src].rows++;
    if (n != 3)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 3 fields separated by '|', got %zu", n);
    drug_cui = parse_rxcui(f[0]);
    ing_cui = parse_rxcui(f[2]);
    if (!drug_cui)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "RXCUI \"%s\" is not a number", f[0]);
    if (!ing_cui)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "ING_RXCUI \"%s\" is not a number", f[2]);
    if (!*f[1] || !mt_utf8_valid(f[1], strlen(f[1])))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "empty or invalid INGREDIENT");
    if ((rc = ingredient(st, f[1], ing_cui, line, &d)) != MT_OK)
        return rc;

    if (mdl_product_find_rxcui(m, drug_cui, &prod) == MT_OK)
        return mdl_product_ing_add(m, prod, d);
    st->unlinked_rows++;
    {
        uint32_t dummy;
        if (mt_hmap_get(&st->unlinked, f[0], strlen(f[0]), &dummy) != MT_OK) {
            const char *key = mt_arena_strdup(&st->arena, f[0]);
            if (!key)
                return MT_ENOMEM;
            return mt_hmap_puts(&st->unlinked, key, 1);
        }
    }
    return MT_OK;
}

int mt_import_rxterms(mt_import_ctx *ctx)
{
    rxt_state st;
    size_t i;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_arena_init(&st.arena, 64 * 1024, 0);
    mt_hmap_init(&st.unlinked);
    st.file = rxterms_files[0];
    for (i = 0; i < sizeof(rxterms_files) / sizeof(rxterms_files[0]); i++)
        if (mt_src_exists(ctx->dir, rxterms_files[i])) {
            st.file = rxterms_files[i];
            break;
        }
    rc = mt_csv_read(ctx->dir, st.file, '|', 0, on_row, &st, ctx->err);
    if (rc == MT_OK && !st.header_seen)
        rc = mt_import_fail(st.ctx, st.file, 0, MT_EFORMAT, "empty file");
    if (rc == MT_OK && st.unlinked.count && ctx->warn)
        mt_buf_printf(ctx->warn, "rxterms: %zu clinical drugs (%lu rows) are not in the RxNorm "
                      "extract and have no name in the RxTerms ingredients file: their ingredients "
                      "are kept, no product is made for them\n", st.unlinked.count, st.unlinked_rows);
    mt_hmap_free(&st.unlinked);
    mt_arena_free(&st.arena);
    return rc;
}
