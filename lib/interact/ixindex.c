/*
** ixindex.c — the interaction engine's knowledge-base sections (ixindex.h):
** built from the model at `materia build`, checked at open, read by the
** checker.
*/
#include "interact/ixindex.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"

/* --- writing ---------------------------------------------------------------- */

/* Per drug, the sources of the rules that touch it: built by marking
** (drug, source) pairs in a bitmap of drugs x sources. A model has tens of
** sources and tens of thousands of drugs, so the bitmap is a few hundred
** kilobytes of scratch. */
static int write_drug_sources(mt_kbw_ctx *ctx)
{
    const mdl *m = ctx->m;
    uint32_t nd = m->drugs.count, ns = m->sources.count, i, s, total = 0;
    size_t words = ((size_t)ns + 63) / 64;
    uint64_t *bits;
    kb_range *ranges;
    uint32_t *list;
    int rc;

    size_t nbits = (size_t)nd * words;

    bits = mt_arena_calloc(ctx->scratch, nbits > 0 ? nbits : 1, sizeof(uint64_t));
    ranges = mt_arena_calloc(ctx->scratch, nd ? nd : 1, sizeof(kb_range));
    if (!bits || !ranges)
        return MT_ENOMEM;
    for (i = 0; i < m->ixpairs.count; i++) {
        const mdl_ixpair *p = &m->ixpairs.items[i];
        uint32_t src;
        if (NEVER(p->rule >= m->ixrules.count || p->a >= nd || p->b >= nd))
            continue;
        src = m->ixrules.items[p->rule].cite.source;
        if (NEVER(src >= ns))
            continue;
        bits[(size_t)p->a * words + src / 64] |= UINT64_C(1) << (src % 64);
        bits[(size_t)p->b * words + src / 64] |= UINT64_C(1) << (src % 64);
    }
    for (i = 0; i < nd; i++) {
        ranges[i].first = total;
        for (s = 0; s < ns; s++)
            if (bits[(size_t)i * words + s / 64] & (UINT64_C(1) << (s % 64)))
                ranges[i].count++;
        total += ranges[i].count;
    }
    list = mt_arena_calloc(ctx->scratch, total ? total : 1, sizeof(uint32_t));
    if (!list)
        return MT_ENOMEM;
    for (i = 0; i < nd; i++) {
        uint32_t k = ranges[i].first;
        for (s = 0; s < ns; s++)
            if (bits[(size_t)i * words + s / 64] & (UINT64_C(1) << (s % 64)))
                list[k++] = mt_kbw_ctx_pos(ctx, KB_T_SOURCES, s);
    }
    rc = mt_kbw_add(ctx->w, IX_SEC_DRUG_SOURCES, sizeof(kb_range), ranges, (uint64_t)nd * sizeof(kb_range));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, IX_SEC_SOURCE_LIST, sizeof(uint32_t), list, (uint64_t)total * sizeof(uint32_t));
    return rc;
}

static int cmp_key_u32(const void *a, const void *b)
{
    const kb_key_u32 *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->drug < y->drug ? -1 : x->drug > y->drug;
}

static int write_product_rxcui(mt_kbw_ctx *ctx)
{
    const mdl *m = ctx->m;
    uint32_t i, n = 0, out = 0;
    kb_key_u32 *keys = mt_arena_calloc(ctx->scratch, m->products.count ? m->products.count : 1,
                                       sizeof(kb_key_u32));
    if (!keys)
        return MT_ENOMEM;
    for (i = 0; i < m->products.count; i++) {
        if (m->products.items[i].rxcui == 0)
            continue;
        keys[n].key = m->products.items[i].rxcui;
        keys[n].drug = mt_kbw_ctx_pos(ctx, KB_T_PRODUCTS, i);
        n++;
    }
    qsort(keys, n, sizeof(*keys), cmp_key_u32);
    /* The model keeps one product per RxCUI; should two ever share one, the
    ** first (lowest product index) stands for it. */
    for (i = 0; i < n; i++)
        if (out == 0 || keys[out - 1].key != keys[i].key)
            keys[out++] = keys[i];
    return mt_kbw_add(ctx->w, IX_SEC_PRODUCT_RXCUI, sizeof(kb_key_u32), keys,
                      (uint64_t)out * sizeof(kb_key_u32));
}

int mt_interact_kb_sections(mt_kbw_ctx *ctx)
{
    int rc = write_drug_sources(ctx);
    if (rc == MT_OK)
        rc = write_product_rxcui(ctx);
    if (rc != MT_OK && ctx->err)
        mt_buf_printf(ctx->err, "interaction sections: %s", mt_strerror(rc));
    return rc;
}

/* --- validation ------------------------------------------------------------------ */

static const mt_kb_field f_drug_sources[] = {
    { KB_F_RANGE, 0, IX_SEC_SOURCE_LIST, 0, "sources" }
};
static const mt_kb_field f_source_list[] = {
    { KB_F_REF, 0, KB_SEC_SOURCES, 0, "source" }
};
static const mt_kb_field f_product_rxcui[] = {
    { KB_F_REF, offsetof(kb_key_u32, drug), KB_SEC_PRODUCTS, 0, "product" }
};
static const mt_kb_table t_drug_sources = {
    "ix_drug_sources", IX_SEC_DRUG_SOURCES, sizeof(kb_range), 0, f_drug_sources, 1
};
static const mt_kb_table t_source_list = {
    "ix_source_list", IX_SEC_SOURCE_LIST, sizeof(uint32_t), 0, f_source_list, 1
};
static const mt_kb_table t_product_rxcui = {
    "ix_product_rxcui", IX_SEC_PRODUCT_RXCUI, sizeof(kb_key_u32), KB_TF_SORTED_U32, f_product_rxcui, 1
};

int mt_interact_kb_validate(const mt_kb *kb, mt_buf *why)
{
    const void *data;
    uint32_t n;
    int rc;

    rc = mt_kb_section(kb, IX_SEC_DRUG_SOURCES, sizeof(kb_range), &data, &n);
    if (rc == MT_OK) {
        if (n != mt_kb_count(kb, KB_T_DRUGS)) {
            if (why)
                mt_buf_printf(why, "table ix_drug_sources: %u records for %u drugs", n,
                              mt_kb_count(kb, KB_T_DRUGS));
            return MT_ECORRUPT;
        }
        /* The list is checked first so that the ranges are checked against
        ** a list whose entries are known to be good. */
        rc = mt_kb_check_table(kb, &t_source_list, why);
        if (rc == MT_ENOTFOUND) {
            if (why)
                mt_buf_puts(why, "table ix_source_list: missing");
            return MT_ECORRUPT;
        }
        if (rc == MT_OK)
            rc = mt_kb_check_table(kb, &t_drug_sources, why);
        if (rc != MT_OK)
            return MT_ECORRUPT;
    } else if (rc != MT_ENOTFOUND) {
        return MT_ECORRUPT;
    }
    rc = mt_kb_check_table(kb, &t_product_rxcui, why);
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        return MT_ECORRUPT;
    return MT_OK;
}

/* --- reading ------------------------------------------------------------------------ */

void mt_ix_sources_of(const mt_kb *kb, uint32_t drug,
                      void (*fn)(void *user, uint32_t source), void *user)
{
    const kb_range *ranges;
    const uint32_t *list;
    const kb_drug *d = mt_kb_drug(kb, drug);
    uint32_t nr = 0, nl = 0, i;

    if (NEVER(!d))
        return;
    if (mt_kb_section(kb, IX_SEC_DRUG_SOURCES, sizeof(kb_range), (const void **)&ranges, &nr) == MT_OK &&
        mt_kb_section(kb, IX_SEC_SOURCE_LIST, sizeof(uint32_t), (const void **)&list, &nl) == MT_OK &&
        ALWAYS(drug < nr)) {
        for (i = 0; i < ranges[drug].count; i++)
            fn(user, list[ranges[drug].first + i]);
        return;
    }
    {
        /* No section: walk the adjacency once, marking sources seen. */
        uint64_t seen[1024 / 64];
        const kb_ixadj *adj = mt_kb_ixadj(kb, NULL) + d->interactions.first;
        uint32_t ns = mt_kb_count(kb, KB_T_SOURCES);
        memset(seen, 0, sizeof(seen));
        for (i = 0; i < d->interactions.count; i++) {
            const kb_ixrule *r = mt_kb_ixrule(kb, adj[i].rule);
            if (r && r->cite.source < 1024)
                seen[r->cite.source / 64] |= UINT64_C(1) << (r->cite.source % 64);
        }
        for (i = 0; i < ns && i < 1024; i++)
            if (seen[i / 64] & (UINT64_C(1) << (i % 64)))
                fn(user, i);
    }
}

int mt_ix_product_by_rxcui(const mt_kb *kb, uint32_t rxcui, uint32_t *product)
{
    const kb_key_u32 *keys;
    uint32_t n = 0, lo = 0, hi;

    if (rxcui == 0 ||
        mt_kb_section(kb, IX_SEC_PRODUCT_RXCUI, sizeof(kb_key_u32), (const void **)&keys, &n) != MT_OK)
        return MT_ENOTFOUND;
    hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (keys[mid].key < rxcui)
            lo = mid + 1;
        else if (keys[mid].key > rxcui)
            hi = mid;
        else {
            *product = keys[mid].drug;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}
