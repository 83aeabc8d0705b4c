/*
** kbwrite.c — the model -> knowledge-base serializer of kbwrite.h.
**
** Every table is built in one scratch arena, added to the container, then
** the engine hooks run, then the string pool (last, because hooks may still
** add strings) and the commit. Facts are grouped by owner with stable
** counting sorts (LSD radix when a table is ordered by several keys), so the
** work is linear and the output does not depend on qsort's tie-breaking.
*/
#include "kbwrite/kbwrite.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "kb/kb_internal.h"
#include "util/alloc.h"
#include "util/hmap.h"

_Static_assert(KB_T_COUNT <= 32, "mt_kbw_ctx.pos is too small");

#define POOL_MAX (3ull << 30)   /* leaves room for the tables under the 4 GiB file limit */

struct kbw_pool {
    mt_buf  buf;
    mt_hmap seen;            /* string -> offset; keys are the caller's strings */
};

int mt_kbw_ctx_str(mt_kbw_ctx *ctx, const char *s, uint32_t *off)
{
    kbw_pool *p = ctx->pool;
    size_t len;
    uint32_t found;
    int rc;

    *off = 0;
    if (!s || !*s)
        return MT_OK;
    len = strlen(s);
    if (mt_hmap_get(&p->seen, s, len, &found) == MT_OK) {
        *off = found;
        return MT_OK;
    }
    if (p->buf.len + len + 1 > POOL_MAX)
        return MT_ELIMIT;
    found = (uint32_t)p->buf.len;
    if ((rc = mt_buf_append(&p->buf, s, len + 1)) != MT_OK)
        return rc;
    if ((rc = mt_hmap_put(&p->seen, s, len, found)) != MT_OK) {
        p->buf.len = found;          /* keep the pool and the map in step */
        return rc;
    }
    *off = found;
    return MT_OK;
}

uint32_t mt_kbw_ctx_pos(const mt_kbw_ctx *ctx, int table, uint32_t i)
{
    static const int model_order[] = { KB_T_SOURCES, KB_T_DRUGS, KB_T_PRODUCTS, KB_T_CLASSES,
                                       KB_T_DOCS, KB_T_PILLS, KB_T_IXRULES, KB_T_CODES };
    size_t k;
    if (table < 0 || table >= KB_T_COUNT)
        return KB_NONE;
    if (ctx->pos[table])
        return ctx->pos[table][i];   /* caller keeps i below the model count */
    for (k = 0; k < sizeof(model_order) / sizeof(model_order[0]); k++)
        if (model_order[k] == table)
            return i;
    return KB_NONE;
}

/* --- small helpers ------------------------------------------------------- */

typedef struct wctx {
    mt_kbw_ctx c;
    mt_arena   arena;
    kbw_pool   pool;
    int        rc;           /* first failure; later steps do nothing */
} wctx;

static void *alloc_n(wctx *x, size_t n, size_t size)
{
    void *p;
    if (x->rc != MT_OK)
        return NULL;
    p = mt_arena_calloc(&x->arena, n ? n : 1, size);
    if (!p)
        x->rc = MT_ENOMEM;
    return p;
}

static uint32_t S(wctx *x, const char *s)
{
    uint32_t off = 0;
    int rc;
    if (x->rc != MT_OK)
        return 0;
    if ((rc = mt_kbw_ctx_str(&x->c, s, &off)) != MT_OK)
        x->rc = rc;
    return off;
}

static kb_cite CITE(wctx *x, mdl_cite c)
{
    kb_cite k;
    k.record = S(x, c.record);
    k.source = c.source;
    k.reserved = 0;
    return k;
}

/* Stable counting sort of order[0..n-1] (item indices) by key[item] < nkeys. */
static void csort(wctx *x, uint32_t n, const uint32_t *key, uint32_t nkeys, uint32_t *order)
{
    uint32_t *cnt, *tmp, i;
    if (x->rc != MT_OK)
        return;
    cnt = alloc_n(x, (size_t)nkeys + 1, sizeof(*cnt));
    tmp = alloc_n(x, n, sizeof(*tmp));
    if (!cnt || !tmp)
        return;
    for (i = 0; i < n; i++)
        cnt[key[order[i]] + 1]++;
    for (i = 0; i < nkeys; i++)
        cnt[i + 1] += cnt[i];
    for (i = 0; i < n; i++)
        tmp[cnt[key[order[i]]]++] = order[i];
    memcpy(order, tmp, (size_t)n * sizeof(*order));
}

static uint32_t *identity(wctx *x, uint32_t n)
{
    uint32_t *o = alloc_n(x, n, sizeof(*o)), i;
    if (o)
        for (i = 0; i < n; i++)
            o[i] = i;
    return o;
}

/* A fact table grouped by one owner: order (file row -> model row), pos
** (model row -> file row) and the owners' ranges. */
typedef struct grouping {
    uint32_t *order, *pos, *start;   /* start[o]..start[o+1] */
} grouping;

static void group(wctx *x, uint32_t n, const uint32_t *owner, uint32_t nowners, grouping *g)
{
    uint32_t i;
    memset(g, 0, sizeof(*g));
    g->order = identity(x, n);
    g->pos = alloc_n(x, n, sizeof(uint32_t));
    g->start = alloc_n(x, (size_t)nowners + 1, sizeof(uint32_t));
    if (x->rc != MT_OK)
        return;
    csort(x, n, owner, nowners, g->order);
    if (x->rc != MT_OK)
        return;
    for (i = 0; i < n; i++) {
        g->pos[g->order[i]] = i;
        g->start[owner[i] + 1]++;
    }
    for (i = 0; i < nowners; i++)
        g->start[i + 1] += g->start[i];
}

static kb_range range_of(const grouping *g, uint32_t owner)
{
    kb_range r;
    r.first = g->start[owner];
    r.count = g->start[owner + 1] - g->start[owner];
    return r;
}

static int fail(wctx *x, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(wctx *x, int rc, const char *fmt, ...)
{
    va_list ap;
    if (x->rc != MT_OK)
        return x->rc;
    if (x->c.err) {
        va_start(ap, fmt);
        mt_buf_vprintf(x->c.err, fmt, ap);
        va_end(ap);
    }
    x->rc = rc;
    return rc;
}

static void add(wctx *x, uint32_t id, uint32_t elem_size, const void *data, uint32_t n)
{
    int rc;
    if (x->rc != MT_OK)
        return;
    rc = mt_kbw_add(x->c.w, id, elem_size, data, (uint64_t)elem_size * n);
    if (rc != MT_OK)
        fail(x, rc, "cannot add section %u: %s", id, mt_strerror(rc));
}

/* --- checking the model: refuse what the reader would reject --------------- */

static const char *cite_str(const mdl *m, mdl_cite c)
{
    static char buf[256];
    snprintf(buf, sizeof(buf), "%s %s", c.source < m->sources.count ? m->sources.items[c.source].id : "?",
             c.record ? c.record : "");
    return buf;
}

#define CHECK_REF(cond, what, i, c) do { if (!(cond)) return fail(x, MT_EINVAL, \
    "model: %s %u (%s) is invalid", what, (unsigned)(i), cite_str(m, c)); } while (0)
#define CHECK_SRC(c, what, i) CHECK_REF((c).source < m->sources.count, what, i, c)

static int check_model(wctx *x)
{
    const mdl *m = x->c.m;
    uint32_t i;
    static const mdl_cite none = { 0, NULL };

    if (m->sources.count > UINT16_MAX)
        return fail(x, MT_ELIMIT, "model: too many sources");
    for (i = 0; i < m->drugs.count; i++) {
        const mdl_drug *d = &m->drugs.items[i];
        CHECK_REF(d->kind >= MT_DRUG_INGREDIENT && d->kind <= MT_DRUG_NONDRUG, "drug kind of drug", i, d->cite);
        CHECK_REF(d->parent == MDL_NONE || d->parent < m->drugs.count, "parent of drug", i, d->cite);
        CHECK_SRC(d->cite, "drug", i);
    }
    for (i = 0; i < m->idents.count; i++) {
        const mdl_ident *e = &m->idents.items[i];
        CHECK_REF(e->drug < m->drugs.count && e->type >= 1 && e->type <= 99, "identifier", i, e->cite);
        CHECK_SRC(e->cite, "identifier", i);
    }
    for (i = 0; i < m->names.count; i++) {
        const mdl_name *e = &m->names.items[i];
        CHECK_REF(e->drug < m->drugs.count && e->kind >= 1 && e->kind <= 6, "name", i, e->cite);
        CHECK_SRC(e->cite, "name", i);
    }
    for (i = 0; i < m->products.count; i++)
        CHECK_SRC(m->products.items[i].cite, "product", i);
    for (i = 0; i < m->product_ings.count; i++) {
        const mdl_product_ing *e = &m->product_ings.items[i];
        CHECK_REF(e->product < m->products.count && e->drug < m->drugs.count, "product ingredient", i, none);
    }
    for (i = 0; i < m->ndcs.count; i++) {
        const mdl_ndc *e = &m->ndcs.items[i];
        size_t k;
        int digits = 1;
        for (k = 0; k < 11; k++)
            digits &= e->ndc11[k] >= '0' && e->ndc11[k] <= '9';
        CHECK_REF(e->product < m->products.count && digits && e->ndc11[11] == '\0', "NDC", i, e->cite);
        CHECK_SRC(e->cite, "NDC", i);
    }
    for (i = 0; i < m->classes.count; i++)
        CHECK_SRC(m->classes.items[i].cite, "class", i);
    for (i = 0; i < m->drug_classes.count; i++) {
        const mdl_drug_class *e = &m->drug_classes.items[i];
        CHECK_REF(e->drug < m->drugs.count && e->cls < m->classes.count, "drug-class link", i, e->cite);
        CHECK_SRC(e->cite, "drug-class link", i);
    }
    for (i = 0; i < m->indications.count; i++) {
        const mdl_indication *e = &m->indications.items[i];
        CHECK_REF(e->drug < m->drugs.count && e->category >= 1 && e->category <= 5, "indication", i, e->cite);
        CHECK_SRC(e->cite, "indication", i);
    }
    for (i = 0; i < m->approvals.count; i++) {
        CHECK_REF(m->approvals.items[i].drug < m->drugs.count, "approval", i, m->approvals.items[i].cite);
        CHECK_SRC(m->approvals.items[i].cite, "approval", i);
    }
    for (i = 0; i < m->schedules.count; i++) {
        CHECK_REF(m->schedules.items[i].drug < m->drugs.count, "schedule", i, m->schedules.items[i].cite);
        CHECK_SRC(m->schedules.items[i].cite, "schedule", i);
    }
    for (i = 0; i < m->acbs.count; i++) {
        const mdl_acb *e = &m->acbs.items[i];
        CHECK_REF(e->drug < m->drugs.count && e->score >= 0 && e->score <= 9, "ACB score", i, e->cite);
        CHECK_SRC(e->cite, "ACB score", i);
    }
    for (i = 0; i < m->ixrules.count; i++) {
        const mdl_ixrule *e = &m->ixrules.items[i];
        CHECK_REF(e->kind >= 1 && e->kind <= 4 && e->severity <= 4 && e->tier <= 2, "interaction rule", i, e->cite);
        CHECK_SRC(e->cite, "interaction rule", i);
        CHECK_SRC(e->text_cite, "interaction rule text", i);
    }
    for (i = 0; i < m->ixpairs.count; i++) {
        const mdl_ixpair *e = &m->ixpairs.items[i];
        CHECK_REF(e->a < m->drugs.count && e->b < m->drugs.count && e->a != e->b &&
                  e->rule < m->ixrules.count, "interaction pair", i, none);
    }
    for (i = 0; i < m->pills.count; i++) {
        const mdl_pill *e = &m->pills.items[i];
        CHECK_REF((e->product == MDL_NONE || e->product < m->products.count) &&
                  (e->drug == MDL_NONE || e->drug < m->drugs.count), "pill", i, e->cite);
        CHECK_SRC(e->cite, "pill", i);
        CHECK_SRC(e->fill_cite, "pill fill", i);
    }
    for (i = 0; i < m->docs.count; i++) {
        CHECK_REF(m->docs.items[i].kind >= 1 && m->docs.items[i].kind <= 2, "document", i, m->docs.items[i].cite);
        CHECK_SRC(m->docs.items[i].cite, "document", i);
    }
    for (i = 0; i < m->doc_drugs.count; i++)
        CHECK_REF(m->doc_drugs.items[i].doc < m->docs.count && m->doc_drugs.items[i].drug < m->drugs.count,
                  "document-drug link", i, none);
    for (i = 0; i < m->doc_sections.count; i++)
        CHECK_REF(m->doc_sections.items[i].doc < m->docs.count, "document section", i, none);
    for (i = 0; i < m->codes.count; i++)
        CHECK_SRC(m->codes.items[i].cite, "code", i);
    return MT_OK;
}

/* --- the tables ---------------------------------------------------------------- */

/* Owner column of a model table, as a flat array for csort. */
#define OWNERS(x, vec, field) owners_of(x, (vec).count, (const char *)(vec).items, \
                                        sizeof(*(vec).items), offsetof(__typeof__(*(vec).items), field))
static uint32_t *owners_of(wctx *x, uint32_t n, const char *items, size_t stride, size_t off)
{
    uint32_t *o = alloc_n(x, n, sizeof(*o)), i;
    if (o)
        for (i = 0; i < n; i++)
            memcpy(&o[i], items + (size_t)i * stride + off, sizeof(uint32_t));
    return o;
}

typedef struct key_u32_tmp { uint32_t key, prio, drug; } key_u32_tmp;
typedef struct key_str_tmp { const char *key; uint32_t prio, drug; } key_str_tmp;

static int cmp_key_u32(const void *a, const void *b)
{
    const key_u32_tmp *p = a, *q = b;
    if (p->key != q->key)
        return p->key < q->key ? -1 : 1;
    if (p->prio != q->prio)
        return p->prio < q->prio ? -1 : 1;
    return p->drug < q->drug ? -1 : p->drug > q->drug;
}

static int cmp_key_str(const void *a, const void *b)
{
    const key_str_tmp *p = a, *q = b;
    int c = strcmp(p->key, q->key);
    if (c)
        return c;
    if (p->prio != q->prio)
        return p->prio < q->prio ? -1 : 1;
    return p->drug < q->drug ? -1 : p->drug > q->drug;
}

/* Lookup by a numeric identifier: the drug's own value first (prio 0), then
** other identifier facts of that type; the first drug per key wins. */
static void lookup_u32(wctx *x, uint32_t section, mt_id_type type)
{
    const mdl *m = x->c.m;
    key_u32_tmp *t = alloc_n(x, (size_t)m->drugs.count + m->idents.count, sizeof(*t));
    kb_key_u32 *out;
    uint32_t n = 0, i, k = 0;
    if (!t)
        return;
    for (i = 0; i < m->drugs.count; i++) {
        uint32_t v = type == MT_ID_RXCUI ? m->drugs.items[i].rxcui : m->drugs.items[i].drugcentral_id;
        if (v) {
            t[n].key = v;
            t[n].prio = 0;
            t[n++].drug = i;
        }
    }
    for (i = 0; i < m->idents.count; i++) {
        const mdl_ident *e = &m->idents.items[i];
        char *end;
        unsigned long v;
        if (e->type != type || !e->value)
            continue;
        v = strtoul(e->value, &end, 10);
        if (*end || v == 0 || v > UINT32_MAX)
            continue;
        t[n].key = (uint32_t)v;
        t[n].prio = 1;
        t[n++].drug = e->drug;
    }
    qsort(t, n, sizeof(*t), cmp_key_u32);
    out = alloc_n(x, n, sizeof(*out));
    if (!out)
        return;
    for (i = 0; i < n; i++) {
        if (k && out[k - 1].key == t[i].key)
            continue;
        out[k].key = t[i].key;
        out[k++].drug = t[i].drug;
    }
    add(x, section, sizeof(kb_key_u32), out, k);
}

static void lookup_str(wctx *x, uint32_t section, mt_id_type type)
{
    const mdl *m = x->c.m;
    key_str_tmp *t = alloc_n(x, (size_t)m->drugs.count + m->idents.count, sizeof(*t));
    kb_key_str *out;
    const char *last = NULL;
    uint32_t n = 0, i, k = 0;
    if (!t)
        return;
    for (i = 0; i < m->drugs.count; i++) {
        const char *v = type == MT_ID_UNII ? m->drugs.items[i].unii : m->drugs.items[i].drugbank_id;
        if (v && *v) {
            t[n].key = v;
            t[n].prio = 0;
            t[n++].drug = i;
        }
    }
    for (i = 0; i < m->idents.count; i++) {
        const mdl_ident *e = &m->idents.items[i];
        if (e->type != type || !e->value || !*e->value)
            continue;
        t[n].key = e->value;
        t[n].prio = 1;
        t[n++].drug = e->drug;
    }
    qsort(t, n, sizeof(*t), cmp_key_str);
    out = alloc_n(x, n, sizeof(*out));
    if (!out)
        return;
    for (i = 0; i < n; i++) {
        /* The reader upper-cases its query: only upper-case keys can match. */
        const char *p;
        int lower = 0;
        for (p = t[i].key; *p; p++)
            lower |= *p >= 'a' && *p <= 'z';
        if (lower || (last && strcmp(last, t[i].key) == 0))
            continue;
        last = t[i].key;
        out[k].key = S(x, t[i].key);
        out[k++].drug = t[i].drug;
    }
    add(x, section, sizeof(kb_key_str), out, k);
}

typedef struct ndc_tmp { char ndc11[12]; uint32_t product, row; } ndc_tmp;

static int cmp_ndc(const void *a, const void *b)
{
    const ndc_tmp *p = a, *q = b;
    int c = memcmp(p->ndc11, q->ndc11, 11);
    if (c)
        return c;
    if (p->product != q->product)
        return p->product < q->product ? -1 : 1;
    return p->row < q->row ? -1 : p->row > q->row;
}

static void write_sources(wctx *x)
{
    const mdl *m = x->c.m;
    kb_source *t = alloc_n(x, m->sources.count, sizeof(*t));
    uint32_t i;
    if (!t)
        return;
    for (i = 0; i < m->sources.count; i++) {
        const mdl_source *s = &m->sources.items[i];
        const char *folder = s->dir ? strrchr(s->dir, '/') : NULL;
        t[i].id = S(x, s->id);
        t[i].name = S(x, s->name);
        t[i].edition = S(x, s->edition);
        t[i].licence = S(x, s->licence);
        t[i].attribution = S(x, s->attribution);
        t[i].url = S(x, s->url);
        t[i].kind = S(x, s->kind);
        t[i].folder = S(x, folder && folder[1] ? folder + 1 : s->dir);
        t[i].rows = s->rows;
        t[i].matched = s->matched;
        t[i].unmatched = s->unmatched;
        t[i].created = s->created;
        t[i].facts = s->facts;
    }
    add(x, KB_SEC_SOURCES, sizeof(*t), t, m->sources.count);
}

static void write_tables(wctx *x)
{
    const mdl *m = x->c.m;
    uint32_t nd = m->drugs.count, i;
    grouping g_id, g_name, g_dprod, g_pi, g_ndc, g_dc, g_ind, g_appr, g_sched, g_acb,
             g_dsec, g_ddoc_doc, g_ddoc_drug, g_adj;
    kb_drug *drugs;
    uint32_t *members, *pairs_order, *adj_drug, *adj_other, *adj_rule, *adj_order, nadj;

    write_sources(x);

    /* Groupings of fact tables by owner. */
    group(x, m->idents.count, OWNERS(x, m->idents, drug), nd, &g_id);
    group(x, m->names.count, OWNERS(x, m->names, drug), nd, &g_name);
    group(x, m->product_ings.count, OWNERS(x, m->product_ings, drug), nd, &g_dprod);
    group(x, m->product_ings.count, OWNERS(x, m->product_ings, product), m->products.count, &g_pi);
    group(x, m->ndcs.count, OWNERS(x, m->ndcs, product), m->products.count, &g_ndc);
    group(x, m->drug_classes.count, OWNERS(x, m->drug_classes, drug), nd, &g_dc);
    group(x, m->indications.count, OWNERS(x, m->indications, drug), nd, &g_ind);
    group(x, m->approvals.count, OWNERS(x, m->approvals, drug), nd, &g_appr);
    group(x, m->schedules.count, OWNERS(x, m->schedules, drug), nd, &g_sched);
    group(x, m->acbs.count, OWNERS(x, m->acbs, drug), nd, &g_acb);
    group(x, m->doc_sections.count, OWNERS(x, m->doc_sections, doc), m->docs.count, &g_dsec);
    group(x, m->doc_drugs.count, OWNERS(x, m->doc_drugs, doc), m->docs.count, &g_ddoc_doc);
    group(x, m->doc_drugs.count, OWNERS(x, m->doc_drugs, drug), nd, &g_ddoc_drug);
    if (x->rc != MT_OK)
        return;
    x->c.pos[KB_T_IDENTS] = g_id.pos;
    x->c.pos[KB_T_NAMES] = g_name.pos;
    x->c.pos[KB_T_PRODUCT_INGS] = g_pi.pos;
    x->c.pos[KB_T_DRUG_PRODUCTS] = g_dprod.pos;
    x->c.pos[KB_T_NDCS] = g_ndc.pos;
    x->c.pos[KB_T_DRUG_CLASSES] = g_dc.pos;
    x->c.pos[KB_T_INDICATIONS] = g_ind.pos;
    x->c.pos[KB_T_APPROVALS] = g_appr.pos;
    x->c.pos[KB_T_SCHEDULES] = g_sched.pos;
    x->c.pos[KB_T_ACBS] = g_acb.pos;
    x->c.pos[KB_T_DOC_SECTIONS] = g_dsec.pos;
    x->c.pos[KB_T_DOC_DRUGS] = g_ddoc_doc.pos;
    x->c.pos[KB_T_DRUG_DOCS] = g_ddoc_drug.pos;

    /* Interaction adjacency: each pair in both directions, by (drug, other, rule). */
    nadj = m->ixpairs.count * 2;
    if (m->ixpairs.count > UINT32_MAX / 2) {
        fail(x, MT_ELIMIT, "too many interaction pairs");
        return;
    }
    adj_drug = alloc_n(x, nadj, sizeof(uint32_t));
    adj_other = alloc_n(x, nadj, sizeof(uint32_t));
    adj_rule = alloc_n(x, nadj, sizeof(uint32_t));
    if (x->rc != MT_OK)
        return;
    for (i = 0; i < m->ixpairs.count; i++) {
        const mdl_ixpair *p = &m->ixpairs.items[i];
        adj_drug[2 * i] = p->a;
        adj_other[2 * i] = p->b;
        adj_drug[2 * i + 1] = p->b;
        adj_other[2 * i + 1] = p->a;
        adj_rule[2 * i] = adj_rule[2 * i + 1] = p->rule;
    }
    adj_order = identity(x, nadj);
    csort(x, nadj, adj_rule, m->ixrules.count, adj_order);
    csort(x, nadj, adj_other, nd, adj_order);
    group(x, nadj, adj_drug, nd, &g_adj);       /* computes the starts; order below */
    csort(x, nadj, adj_drug, nd, adj_order);
    if (x->rc != MT_OK)
        return;

    /* drugs */
    drugs = alloc_n(x, nd, sizeof(*drugs));
    if (!drugs)
        return;
    for (i = 0; i < nd; i++) {
        const mdl_drug *d = &m->drugs.items[i];
        kb_drug *k = &drugs[i];
        k->name = S(x, d->name);
        k->kind = d->kind;
        k->flags = d->flags;
        k->rxcui = d->rxcui;
        k->unii = S(x, d->unii);
        k->drugbank_id = S(x, d->drugbank_id);
        k->drugcentral_id = d->drugcentral_id;
        k->parent = d->parent;
        k->cite = CITE(x, d->cite);
        k->idents = range_of(&g_id, i);
        k->names = range_of(&g_name, i);
        k->products = range_of(&g_dprod, i);
        k->classes = range_of(&g_dc, i);
        k->indications = range_of(&g_ind, i);
        k->approvals = range_of(&g_appr, i);
        k->schedules = range_of(&g_sched, i);
        k->acbs = range_of(&g_acb, i);
        k->docs = range_of(&g_ddoc_drug, i);
        k->interactions = range_of(&g_adj, i);
    }
    add(x, KB_SEC_DRUGS, sizeof(*drugs), drugs, nd);

    {   /* identifiers */
        kb_ident *t = alloc_n(x, m->idents.count, sizeof(*t));
        for (i = 0; t && i < m->idents.count; i++) {
            const mdl_ident *e = &m->idents.items[g_id.order[i]];
            t[i].drug = e->drug;
            t[i].value = S(x, e->value);
            t[i].type = e->type;
            t[i].cite = CITE(x, e->cite);
        }
        add(x, KB_SEC_IDENTS, sizeof(*t), t, m->idents.count);
    }
    {   /* names */
        kb_name *t = alloc_n(x, m->names.count, sizeof(*t));
        for (i = 0; t && i < m->names.count; i++) {
            const mdl_name *e = &m->names.items[g_name.order[i]];
            t[i].drug = e->drug;
            t[i].text = S(x, e->text);
            t[i].code = S(x, e->code);
            t[i].kind = e->kind;
            t[i].cite = CITE(x, e->cite);
        }
        add(x, KB_SEC_NAMES, sizeof(*t), t, m->names.count);
    }
    {   /* products, their ingredients (both ways) and NDCs */
        kb_product *t = alloc_n(x, m->products.count, sizeof(*t));
        kb_product_ing *pi = alloc_n(x, m->product_ings.count, sizeof(*pi));
        kb_product_ing *dp = alloc_n(x, m->product_ings.count, sizeof(*dp));
        kb_ndc *nt = alloc_n(x, m->ndcs.count, sizeof(*nt));
        ndc_tmp *sorted = alloc_n(x, m->ndcs.count, sizeof(*sorted));
        uint32_t *index = alloc_n(x, m->ndcs.count, sizeof(*index));
        if (x->rc != MT_OK)
            return;
        for (i = 0; i < m->products.count; i++) {
            const mdl_product *e = &m->products.items[i];
            t[i].rxcui = e->rxcui;
            t[i].tty = S(x, e->tty);
            t[i].name = S(x, e->name);
            t[i].brand = S(x, e->brand);
            t[i].cite = CITE(x, e->cite);
            t[i].ings = range_of(&g_pi, i);
            t[i].ndcs = range_of(&g_ndc, i);
        }
        for (i = 0; i < m->product_ings.count; i++) {
            const mdl_product_ing *a = &m->product_ings.items[g_pi.order[i]];
            const mdl_product_ing *b = &m->product_ings.items[g_dprod.order[i]];
            pi[i].product = a->product;
            pi[i].drug = a->drug;
            dp[i].product = b->product;
            dp[i].drug = b->drug;
        }
        for (i = 0; i < m->ndcs.count; i++) {
            const mdl_ndc *e = &m->ndcs.items[g_ndc.order[i]];
            memcpy(nt[i].ndc11, e->ndc11, 12);
            nt[i].product = e->product;
            nt[i].cite = CITE(x, e->cite);
            memcpy(sorted[i].ndc11, e->ndc11, 12);
            sorted[i].product = e->product;
            sorted[i].row = i;
        }
        qsort(sorted, m->ndcs.count, sizeof(*sorted), cmp_ndc);
        for (i = 0; i < m->ndcs.count; i++)
            index[i] = sorted[i].row;
        add(x, KB_SEC_PRODUCTS, sizeof(*t), t, m->products.count);
        add(x, KB_SEC_PRODUCT_INGS, sizeof(*pi), pi, m->product_ings.count);
        add(x, KB_SEC_DRUG_PRODUCTS, sizeof(*dp), dp, m->product_ings.count);
        add(x, KB_SEC_NDCS, sizeof(*nt), nt, m->ndcs.count);
        add(x, KB_SEC_NDC_INDEX, sizeof(*index), index, m->ndcs.count);
    }
    {   /* classes, drug -> class links, class -> member links */
        kb_class *t = alloc_n(x, m->classes.count, sizeof(*t));
        kb_drug_class *dc = alloc_n(x, m->drug_classes.count, sizeof(*dc));
        kb_drug_class *cm = alloc_n(x, m->drug_classes.count, sizeof(*cm));
        uint32_t *cls = OWNERS(x, m->drug_classes, cls);
        grouping g_cls;
        members = alloc_n(x, m->drug_classes.count, sizeof(*members));
        if (x->rc != MT_OK)
            return;
        /* by (class, drug): a stable sort by class of the by-drug order */
        memcpy(members, g_dc.order, (size_t)m->drug_classes.count * sizeof(*members));
        csort(x, m->drug_classes.count, cls, m->classes.count, members);
        group(x, m->drug_classes.count, cls, m->classes.count, &g_cls);
        if (x->rc != MT_OK)
            return;
        for (i = 0; i < m->classes.count; i++) {
            const mdl_class *e = &m->classes.items[i];
            t[i].type = S(x, e->type);
            t[i].code = S(x, e->code);
            t[i].name = S(x, e->name);
            t[i].cite = CITE(x, e->cite);
            t[i].members = range_of(&g_cls, i);
        }
        for (i = 0; i < m->drug_classes.count; i++) {
            const mdl_drug_class *a = &m->drug_classes.items[g_dc.order[i]];
            const mdl_drug_class *b = &m->drug_classes.items[members[i]];
            dc[i].drug = a->drug;
            dc[i].cls = a->cls;
            dc[i].cite = CITE(x, a->cite);
            cm[i].drug = b->drug;
            cm[i].cls = b->cls;
            cm[i].cite = CITE(x, b->cite);
        }
        add(x, KB_SEC_CLASSES, sizeof(*t), t, m->classes.count);
        add(x, KB_SEC_DRUG_CLASSES, sizeof(*dc), dc, m->drug_classes.count);
        add(x, KB_SEC_CLASS_MEMBERS, sizeof(*cm), cm, m->drug_classes.count);
    }
    {
        kb_indication *t = alloc_n(x, m->indications.count, sizeof(*t));
        for (i = 0; t && i < m->indications.count; i++) {
            const mdl_indication *e = &m->indications.items[g_ind.order[i]];
            t[i].drug = e->drug;
            t[i].disease = S(x, e->disease);
            t[i].disease_id = S(x, e->disease_id);
            t[i].category = e->category;
            t[i].cite = CITE(x, e->cite);
        }
        add(x, KB_SEC_INDICATIONS, sizeof(*t), t, m->indications.count);
    }
    {
        kb_approval *t = alloc_n(x, m->approvals.count, sizeof(*t));
        for (i = 0; t && i < m->approvals.count; i++) {
            const mdl_approval *e = &m->approvals.items[g_appr.order[i]];
            t[i].drug = e->drug;
            t[i].appl_type = S(x, e->appl_type);
            t[i].appl_no = S(x, e->appl_no);
            t[i].product_no = S(x, e->product_no);
            t[i].brand = S(x, e->brand);
            t[i].active_ingredient = S(x, e->active_ingredient);
            t[i].form = S(x, e->form);
            t[i].strength = S(x, e->strength);
            t[i].marketing_status = S(x, e->marketing_status);
            t[i].approval_date = S(x, e->approval_date);
            t[i].sponsor = S(x, e->sponsor);
            t[i].cite = CITE(x, e->cite);
        }
        add(x, KB_SEC_APPROVALS, sizeof(*t), t, m->approvals.count);
    }
    {
        kb_schedule *t = alloc_n(x, m->schedules.count, sizeof(*t));
        for (i = 0; t && i < m->schedules.count; i++) {
            const mdl_schedule *e = &m->schedules.items[g_sched.order[i]];
            t[i].drug = e->drug;
            t[i].schedule = S(x, e->schedule);
            t[i].cite = CITE(x, e->cite);
        }
        add(x, KB_SEC_SCHEDULES, sizeof(*t), t, m->schedules.count);
    }
    {
        kb_acb *t = alloc_n(x, m->acbs.count, sizeof(*t));
        for (i = 0; t && i < m->acbs.count; i++) {
            const mdl_acb *e = &m->acbs.items[g_acb.order[i]];
            t[i].drug = e->drug;
            t[i].scale = S(x, e->scale);
            t[i].score = e->score;
            t[i].cite = CITE(x, e->cite);
        }
        add(x, KB_SEC_ACB, sizeof(*t), t, m->acbs.count);
    }
    {   /* documents, their sections, and doc <-> drug links both ways */
        kb_doc *t = alloc_n(x, m->docs.count, sizeof(*t));
        kb_doc_section *s = alloc_n(x, m->doc_sections.count, sizeof(*s));
        kb_doc_drug *dd = alloc_n(x, m->doc_drugs.count, sizeof(*dd));
        kb_doc_drug *rd = alloc_n(x, m->doc_drugs.count, sizeof(*rd));
        if (x->rc != MT_OK)
            return;
        for (i = 0; i < m->docs.count; i++) {
            const mdl_doc *e = &m->docs.items[i];
            t[i].title = S(x, e->title);
            t[i].jurisdiction = S(x, e->jurisdiction);
            t[i].date = S(x, e->date);
            t[i].doc_id = S(x, e->doc_id);
            t[i].kind = e->kind;
            t[i].cite = CITE(x, e->cite);
            t[i].sections = range_of(&g_dsec, i);
            t[i].drugs = range_of(&g_ddoc_doc, i);
        }
        for (i = 0; i < m->doc_sections.count; i++) {
            const mdl_doc_section *e = &m->doc_sections.items[g_dsec.order[i]];
            s[i].doc = e->doc;
            s[i].code = S(x, e->code);
            s[i].title = S(x, e->title);
            s[i].text = S(x, e->text);
        }
        for (i = 0; i < m->doc_drugs.count; i++) {
            const mdl_doc_drug *a = &m->doc_drugs.items[g_ddoc_doc.order[i]];
            const mdl_doc_drug *b = &m->doc_drugs.items[g_ddoc_drug.order[i]];
            dd[i].doc = a->doc;
            dd[i].drug = a->drug;
            rd[i].doc = b->doc;
            rd[i].drug = b->drug;
        }
        add(x, KB_SEC_DOCS, sizeof(*t), t, m->docs.count);
        add(x, KB_SEC_DOC_SECTIONS, sizeof(*s), s, m->doc_sections.count);
        add(x, KB_SEC_DOC_DRUGS, sizeof(*dd), dd, m->doc_drugs.count);
        add(x, KB_SEC_DRUG_DOCS, sizeof(*rd), rd, m->doc_drugs.count);
    }
    {   /* pills */
        kb_pill *t = alloc_n(x, m->pills.count, sizeof(*t));
        for (i = 0; t && i < m->pills.count; i++) {
            const mdl_pill *e = &m->pills.items[i];
            t[i].ndc11 = S(x, e->ndc11);
            t[i].name = S(x, e->name);
            t[i].product = e->product;
            t[i].drug = e->drug;
            t[i].imprint = S(x, e->imprint);
            t[i].color = S(x, e->color);
            t[i].shape = S(x, e->shape);
            t[i].size_cmm = isfinite(e->size_mm) && e->size_mm > 0 && e->size_mm < 1e6f
                            ? (uint32_t)lroundf(e->size_mm * 100.0f) : 0;
            t[i].strength = S(x, e->strength);
            t[i].form = S(x, e->form);
            t[i].labeler = S(x, e->labeler);
            t[i].schedule = S(x, e->schedule);
            t[i].score = e->score > 0 ? e->score : 0;
            t[i].flags = e->flags;
            t[i].cite = CITE(x, e->cite);
            t[i].fill_cite = CITE(x, e->fill_cite);
        }
        add(x, KB_SEC_PILLS, sizeof(*t), t, m->pills.count);
    }
    {   /* interaction rules, pairs by (rule, a, b), adjacency */
        kb_ixrule *t = alloc_n(x, m->ixrules.count, sizeof(*t));
        kb_ixpair *p = alloc_n(x, m->ixpairs.count, sizeof(*p));
        kb_ixadj *a = alloc_n(x, nadj, sizeof(*a));
        uint32_t *pa = OWNERS(x, m->ixpairs, a), *pb = OWNERS(x, m->ixpairs, b);
        uint32_t *prule = OWNERS(x, m->ixpairs, rule);
        grouping g_rule;
        pairs_order = identity(x, m->ixpairs.count);
        csort(x, m->ixpairs.count, pb, nd, pairs_order);
        csort(x, m->ixpairs.count, pa, nd, pairs_order);
        csort(x, m->ixpairs.count, prule, m->ixrules.count, pairs_order);
        group(x, m->ixpairs.count, prule, m->ixrules.count, &g_rule);
        if (x->rc != MT_OK)
            return;
        for (i = 0; i < m->ixrules.count; i++) {
            const mdl_ixrule *e = &m->ixrules.items[i];
            t[i].kind = e->kind;
            t[i].severity = e->severity;
            t[i].tier = e->tier;
            t[i].a_label = S(x, e->a_label);
            t[i].b_label = S(x, e->b_label);
            t[i].level = S(x, e->level);
            t[i].dur = S(x, e->dur);
            t[i].effect = S(x, e->effect);
            t[i].mechanism = S(x, e->mechanism);
            t[i].management = S(x, e->management);
            t[i].lang = S(x, e->lang);
            t[i].cite = CITE(x, e->cite);
            t[i].text_cite = CITE(x, e->text_cite);
            t[i].pairs = range_of(&g_rule, i);
        }
        for (i = 0; i < m->ixpairs.count; i++) {
            const mdl_ixpair *e = &m->ixpairs.items[pairs_order[i]];
            p[i].a = e->a;
            p[i].b = e->b;
            p[i].rule = e->rule;
        }
        for (i = 0; i < nadj; i++) {
            a[i].other = adj_other[adj_order[i]];
            a[i].rule = adj_rule[adj_order[i]];
        }
        x->c.pos[KB_T_IXPAIRS] = NULL;   /* pairs are reordered; no model index maps to them cheaply */
        add(x, KB_SEC_IXRULES, sizeof(*t), t, m->ixrules.count);
        add(x, KB_SEC_IXPAIRS, sizeof(*p), p, m->ixpairs.count);
        add(x, KB_SEC_IXADJ, sizeof(*a), a, nadj);
    }
    {
        kb_code *t = alloc_n(x, m->codes.count, sizeof(*t));
        for (i = 0; t && i < m->codes.count; i++) {
            const mdl_code *e = &m->codes.items[i];
            t[i].system = S(x, e->system);
            t[i].code = S(x, e->code);
            t[i].display = S(x, e->display);
            t[i].hex = S(x, e->hex);
            t[i].cite = CITE(x, e->cite);
        }
        add(x, KB_SEC_CODES, sizeof(*t), t, m->codes.count);
    }
    lookup_u32(x, KB_SEC_DRUG_BY_RXCUI, MT_ID_RXCUI);
    lookup_u32(x, KB_SEC_DRUG_BY_DRUGCENTRAL, MT_ID_DRUGCENTRAL);
    lookup_str(x, KB_SEC_DRUG_BY_UNII, MT_ID_UNII);
    lookup_str(x, KB_SEC_DRUG_BY_DRUGBANK, MT_ID_DRUGBANK);
}

/* --- dates and versions ----------------------------------------------------------- */

void mt_kb_build_date(const mdl *m, char out[33])
{
    const char *env = getenv("SOURCE_DATE_EPOCH");
    char best[11] = "";
    uint32_t i;

    if (env && *env) {
        char *end;
        long long v = strtoll(env, &end, 10);
        if (!*end && v >= 0 && v < 253402300800LL) {
            time_t t = (time_t)v;
            struct tm tm;
            if (gmtime_r(&t, &tm) && strftime(out, 33, "%Y-%m-%d", &tm) > 0)
                return;
        }
    }
    for (i = 0; i < m->sources.count; i++) {
        const char *e = m->sources.items[i].edition, *p;
        if (!e)
            continue;
        for (p = e; *p; p++) {
            char cand[11];
            size_t len;
            if (!(p[0] >= '1' && p[0] <= '2' && p[1] >= '0' && p[1] <= '9' && p[2] >= '0' &&
                  p[2] <= '9' && p[3] >= '0' && p[3] <= '9' && p[4] == '-' && p[5] >= '0' &&
                  p[5] <= '1' && p[6] >= '0' && p[6] <= '9'))
                continue;
            if (p > e && p[-1] >= '0' && p[-1] <= '9')
                continue;
            len = (p[7] == '-' && p[8] >= '0' && p[8] <= '3' && p[9] >= '0' && p[9] <= '9' &&
                   !(p[10] >= '0' && p[10] <= '9')) ? 10 : 7;
            memcpy(cand, p, len);
            cand[len] = '\0';
            if (strcmp(cand, best) > 0)
                memcpy(best, cand, len + 1);
        }
    }
    snprintf(out, 33, "%s", best[0] ? best : "unknown");
}

/* "sources-" + XXH3 of every source's id, edition and counts. */
static int fingerprint(const mdl *m, char out[33])
{
    mt_buf b;
    uint32_t i;
    int rc = MT_OK;

    mt_buf_init(&b, 1u << 24);
    for (i = 0; i < m->sources.count && rc == MT_OK; i++) {
        const mdl_source *s = &m->sources.items[i];
        rc = mt_buf_printf(&b, "%s%c%s%c%u %u%c", s->id, 0, s->edition ? s->edition : "", 0,
                           s->rows, s->facts, 0);
    }
    if (rc == MT_OK)
        snprintf(out, 33, "sources-%016llx", (unsigned long long)XXH3_64bits(b.data ? b.data : "", b.len));
    mt_buf_free(&b);
    return rc;
}

/* --- the entry point ----------------------------------------------------------------- */

int mt_kb_write(const mdl *m, const char *path, const char *data_version, mt_buf *err,
                const mt_kb_section_hook *hooks)
{
    wctx *x;
    char date[33], version[33];
    mt_kbw *w = NULL;
    int rc, i;

    if (!m || !path)
        return MT_EINVAL;
    if (data_version && strlen(data_version) > 32) {
        if (err)
            mt_buf_printf(err, "data version \"%s\" is longer than 32 bytes", data_version);
        return MT_EINVAL;
    }
    x = mt_calloc(1, sizeof(*x));
    if (!x)
        return MT_ENOMEM;
    mt_arena_init(&x->arena, 1u << 20, 0);
    mt_buf_init(&x->pool.buf, POOL_MAX);
    mt_hmap_init(&x->pool.seen);
    x->c.m = m;
    x->c.scratch = &x->arena;
    x->c.err = err;
    x->c.pool = &x->pool;
    x->rc = MT_OK;

    if ((rc = mt_buf_putc(&x->pool.buf, '\0')) != MT_OK)   /* offset 0 = "" */
        goto done;
    if ((rc = check_model(x)) != MT_OK)
        goto done;
    rc = mt_kbw_open(&w, path);
    if (rc != MT_OK) {
        fail(x, rc, "%s: cannot create a temporary file beside it: %s", path,
             rc == MT_EIO ? strerror(errno) : mt_strerror(rc));
        goto done;
    }
    x->c.w = w;
    write_tables(x);
    if ((rc = x->rc) != MT_OK) {
        if (err && err->len == 0)
            mt_buf_printf(err, "writing %s: %s", path, mt_strerror(rc));
        goto done;
    }
    if (!hooks)
        hooks = mt_kb_section_hooks;
    for (i = 0; hooks[i]; i++) {
        size_t before = err ? err->len : 0;
        rc = hooks[i](&x->c);
        if (rc != MT_OK) {
            if (err && err->len == before)
                mt_buf_printf(err, "writing %s: section hook %d: %s", path, i, mt_strerror(rc));
            goto done;
        }
    }
    /* The pool goes in last: hooks may have added strings to it. */
    rc = mt_kbw_add(w, KB_SEC_STRINGS, 0, x->pool.buf.data, x->pool.buf.len);
    if (rc != MT_OK) {
        fail(x, rc, "writing %s: string pool: %s", path, mt_strerror(rc));
        goto done;
    }
    mt_kb_build_date(m, date);
    if (data_version && *data_version)
        snprintf(version, sizeof(version), "%s", data_version);
    else if ((rc = fingerprint(m, version)) != MT_OK)
        goto done;
    rc = mt_kbw_commit(w, version, date);
    w = NULL;                              /* commit frees it, success or not */
    if (rc != MT_OK && err)
        mt_buf_printf(err, "%s: cannot write the knowledge base: %s", path,
                      rc == MT_EIO ? strerror(errno) : mt_strerror(rc));
done:
    if (w)
        mt_kbw_abort(w);
    mt_hmap_free(&x->pool.seen);
    mt_buf_free(&x->pool.buf);
    mt_arena_free(&x->arena);
    mt_free(x);
    return rc;
}
