/*
** search_build.c — writes the search index (sindex.h) from the model at
** `materia build`: the section hook mt_search_kb_sections.
**
** Everything is sorted with total orders (ties broken down to ids), so the
** same model always gives the same bytes. Final tables go in ctx->scratch,
** which lives until the file is written; working arrays are mt_malloc'ed
** and freed before returning.
*/
#include "search/search_build.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "search/namenorm.h"
#include "search/sindex.h"
#include "util/alloc.h"
#include "util/text.h"

/* Which kind of name best represents a drug under a key: lower first. */
static const uint8_t kind_rank[7] = {
    9,  /* 0: unused */
    0,  /* MT_NAME_PREFERRED */
    4,  /* MT_NAME_SYNONYM */
    1,  /* MT_NAME_BRAND */
    5,  /* MT_NAME_PRODUCT */
    3,  /* MT_NAME_INTL */
    2   /* MT_NAME_SALT */
};

typedef struct rawent {
    const char *key;          /* in scratch */
    const char *text;         /* model string */
    uint32_t    klen;
    uint32_t    tlen;
    uint32_t    drug;
    uint32_t    prior;        /* of the drug it resolves to */
    uint16_t    source;
    uint8_t     kind;
    uint8_t     krank;
} rawent;

typedef struct rawcode {
    uint64_t    value;
    const char *text;
    uint32_t    drug;
    uint32_t    prior;
    uint16_t    source;
    uint8_t     type, kind, krank;
} rawcode;

typedef struct post {         /* a string -> an id: normalized forms, phonetic codes */
    const char *s;
    uint32_t    len;
    uint32_t    id;           /* entry (norms) or key (phonetic) */
    uint32_t    drug;         /* resolved drug, to keep one posting per drug */
    uint32_t    prior;        /* higher first (an ms_prio) */
    uint32_t    tie;          /* lower first */
} post;

typedef struct bctx {
    mt_kbw_ctx *ctx;
    const mdl  *m;
    uint32_t    ndrugs;
    uint32_t   *resolved;     /* per drug */
    uint32_t   *prior;        /* per drug: prior of its resolved drug (scratch: PRIORS) */
    uint32_t   *ing_first;    /* per product + 1: start in ing */
    uint32_t   *ing;          /* ingredient drugs of products */
    rawent     *ents;   uint32_t nents,  cap_ents;
    rawcode    *codes;  uint32_t ncodes, cap_codes;
    post       *posts;  uint32_t nposts, cap_posts;
    /* outputs */
    ms_key     *keys;   uint32_t nkeys;
    ms_entry   *entries; uint32_t nentries;
    const char **key_text;    /* per key: its bytes (scratch) */
    uint8_t    *key_is_name;  /* per key: has a name that is not a product name */
    uint32_t    nname_keys;
} bctx;

uint32_t ms_prior_of(uint64_t count)
{
    uint64_t v = count + 1;
    unsigned b = 63u - (unsigned)__builtin_clzll(v);
    uint64_t frac = b >= 8 ? (v >> (b - 8)) & 0xFFu : (v << (8 - b)) & 0xFFu;
    return (uint32_t)(b * 256u + frac);
}

static int grow(void **arr, uint32_t *cap, uint32_t need, size_t elem)
{
    uint32_t ncap;
    void *p;
    if (need <= *cap)
        return MT_OK;
    if (*cap > UINT32_MAX / 2)
        return MT_ELIMIT;
    ncap = *cap ? *cap * 2 : 1024;
    while (ncap < need)
        ncap *= 2;
    p = mt_reallocarray(*arr, ncap, elem);
    if (!p)
        return MT_ENOMEM;
    *arr = p;
    *cap = ncap;
    return MT_OK;
}

static int fail(bctx *b, int rc, const char *what)
{
    if (b->ctx->err)
        mt_buf_printf(b->ctx->err, "search index: %s: %s", what, mt_strerror(rc));
    return rc;
}

/* --- drugs: resolution, priors, product ingredients --------------------- */

static int build_drugs(bctx *b)
{
    const mdl *m = b->m;
    uint64_t *raw = NULL, *agg = NULL;
    uint32_t *nndc = NULL;
    uint32_t i, np = m->products.count;
    int rc = MT_ENOMEM;

    b->resolved = mt_calloc(b->ndrugs ? b->ndrugs : 1, sizeof(uint32_t));
    b->prior = mt_arena_calloc(b->ctx->scratch, b->ndrugs ? b->ndrugs : 1, sizeof(uint32_t));
    b->ing_first = mt_calloc((size_t)np + 1, sizeof(uint32_t));
    b->ing = mt_calloc(m->product_ings.count ? m->product_ings.count : 1, sizeof(uint32_t));
    raw = mt_calloc(b->ndrugs ? b->ndrugs : 1, sizeof(uint64_t));
    agg = mt_calloc(b->ndrugs ? b->ndrugs : 1, sizeof(uint64_t));
    nndc = mt_calloc(np ? np : 1, sizeof(uint32_t));
    if (!b->resolved || !b->prior || !b->ing_first || !b->ing || !raw || !agg || !nndc)
        goto done;

    for (i = 0; i < b->ndrugs; i++)
        b->resolved[i] = mdl_drug_base(m, i);
    for (i = 0; i < m->ndcs.count; i++)
        if (m->ndcs.items[i].product < np)
            nndc[m->ndcs.items[i].product]++;
    /* Product -> ingredients, a counting sort that keeps model order. */
    for (i = 0; i < m->product_ings.count; i++) {
        const mdl_product_ing *pi = &m->product_ings.items[i];
        if (pi->product < np && pi->drug < b->ndrugs)
            b->ing_first[pi->product + 1]++;
    }
    for (i = 0; i < np; i++)
        b->ing_first[i + 1] += b->ing_first[i];
    {
        uint32_t *fill = mt_calloc(np ? np : 1, sizeof(uint32_t));
        if (!fill)
            goto done;
        for (i = 0; i < m->product_ings.count; i++) {
            const mdl_product_ing *pi = &m->product_ings.items[i];
            if (pi->product < np && pi->drug < b->ndrugs) {
                b->ing[b->ing_first[pi->product] + fill[pi->product]++] = pi->drug;
                raw[pi->drug] += 1u + nndc[pi->product];
            }
        }
        mt_free(fill);
    }
    for (i = 0; i < b->ndrugs; i++)
        agg[b->resolved[i]] += raw[i];
    for (i = 0; i < b->ndrugs; i++)
        b->prior[i] = ms_prior_of(agg[b->resolved[i]]);
    rc = MT_OK;
done:
    mt_free(raw);
    mt_free(agg);
    mt_free(nndc);
    return rc;
}

/* --- entries -------------------------------------------------------------- */

static int add_entry(bctx *b, const char *text, uint32_t drug, unsigned kind, mdl_src source)
{
    char key[MS_KEY_MAX + 1];
    size_t klen;
    rawent *e;
    int rc;

    if (!text || !*text || drug >= b->ndrugs || kind < MT_NAME_PREFERRED || kind > MT_NAME_SALT)
        return MT_OK;
    klen = mt_text_key(text, key, sizeof(key));
    if (klen == 0)
        return MT_OK;
    rc = grow((void **)&b->ents, &b->cap_ents, b->nents + 1, sizeof(*b->ents));
    if (rc != MT_OK)
        return rc;
    e = &b->ents[b->nents];
    e->key = mt_arena_strndup(b->ctx->scratch, key, klen);
    if (!e->key)
        return MT_ENOMEM;
    e->text = text;
    e->klen = (uint32_t)klen;
    e->tlen = (uint32_t)strlen(text);
    e->drug = drug;
    e->prior = b->prior[drug];
    e->source = source;
    e->kind = (uint8_t)kind;
    e->krank = kind_rank[kind];
    b->nents++;
    return MT_OK;
}

static int collect_entries(bctx *b)
{
    const mdl *m = b->m;
    uint32_t i, j;
    int rc = MT_OK;

    for (i = 0; i < b->ndrugs && rc == MT_OK; i++)
        rc = add_entry(b, m->drugs.items[i].name, i, MT_NAME_PREFERRED, m->drugs.items[i].cite.source);
    for (i = 0; i < m->names.count && rc == MT_OK; i++) {
        const mdl_name *n = &m->names.items[i];
        rc = add_entry(b, n->text, n->drug, n->kind, n->cite.source);
    }
    for (i = 0; i < m->products.count && rc == MT_OK; i++) {
        const mdl_product *p = &m->products.items[i];
        for (j = b->ing_first[i]; j < b->ing_first[i + 1] && rc == MT_OK; j++) {
            rc = add_entry(b, p->name, b->ing[j], MT_NAME_PRODUCT, p->cite.source);
            if (rc == MT_OK)
                rc = add_entry(b, p->brand, b->ing[j], MT_NAME_BRAND, p->cite.source);
        }
    }
    return rc;
}

static int key_cmp(const char *a, uint32_t an, const char *b, uint32_t bn)
{
    int c = memcmp(a, b, an < bn ? an : bn);
    if (c)
        return c;
    return an < bn ? -1 : an > bn;
}

#define CMP(x, y) do { if ((x) != (y)) return (x) < (y) ? -1 : 1; } while (0)

/* Key, drug, best kind first: for one entry per (key, drug). */
static int ent_cmp_dedupe(const void *pa, const void *pb)
{
    const rawent *a = pa, *b = pb;
    int c = key_cmp(a->key, a->klen, b->key, b->klen);
    if (c)
        return c;
    CMP(a->drug, b->drug);
    CMP(a->krank, b->krank);
    CMP(a->tlen, b->tlen);
    c = strcmp(a->text, b->text);
    if (c)
        return c;
    CMP(a->source, b->source);
    return 0;
}

/* Key, then the order entries are stored in: authority, prior, kind,
** length, drug. */
static int ent_cmp_final(const void *pa, const void *pb)
{
    const rawent *a = pa, *b = pb;
    int c = key_cmp(a->key, a->klen, b->key, b->klen);
    if (c)
        return c;
    CMP(ms_authority(a->kind), ms_authority(b->kind));
    CMP(b->prior, a->prior);
    CMP(a->krank, b->krank);
    CMP(a->tlen, b->tlen);
    CMP(a->drug, b->drug);
    return 0;
}

static int same_key(const rawent *a, const rawent *b)
{
    return a->klen == b->klen && memcmp(a->key, b->key, a->klen) == 0;
}

static int build_keys(bctx *b)
{
    uint32_t i, n = 0, k = 0;
    size_t cnt;
    int rc;

    if (b->nents)
        qsort(b->ents, b->nents, sizeof(*b->ents), ent_cmp_dedupe);
    for (i = 0; i < b->nents; i++) {
        if (n > 0 && b->ents[n - 1].drug == b->ents[i].drug && same_key(&b->ents[n - 1], &b->ents[i]))
            continue;
        b->ents[n++] = b->ents[i];
    }
    b->nents = n;
    if (b->nents)
        qsort(b->ents, b->nents, sizeof(*b->ents), ent_cmp_final);

    cnt = b->nents ? b->nents : 1;
    b->keys = mt_arena_calloc(b->ctx->scratch, cnt, sizeof(ms_key));
    b->entries = mt_arena_calloc(b->ctx->scratch, cnt, sizeof(ms_entry));
    b->key_text = mt_calloc(cnt, sizeof(*b->key_text));
    b->key_is_name = mt_calloc(cnt, 1);
    if (!b->keys || !b->entries || !b->key_text || !b->key_is_name)
        return MT_ENOMEM;
    for (i = 0; i < b->nents; k++) {
        uint32_t end = i, keep, best = 0;
        ms_key *key = &b->keys[k];
        while (end < b->nents && same_key(&b->ents[i], &b->ents[end]))
            end++;
        /* A key shared by more drugs than a record can count keeps the
        ** best-ranked ones. */
        keep = end - i > UINT16_MAX ? i + UINT16_MAX : end;
        rc = mt_kbw_ctx_str(b->ctx, b->ents[i].key, &key->str);
        if (rc != MT_OK)
            return rc;
        b->key_text[k] = b->ents[i].key;
        key->head = ms_key_head(b->ents[i].key, b->ents[i].klen);
        key->first = b->nentries;
        key->len = (uint16_t)b->ents[i].klen;
        key->count = (uint16_t)(keep - i);
        for (; i < keep; i++) {
            ms_entry *e = &b->entries[b->nentries++];
            uint32_t prio = ms_prio(b->ents[i].kind, b->ents[i].prior, key->len);
            rc = mt_kbw_ctx_str(b->ctx, b->ents[i].text, &e->text);
            if (rc != MT_OK)
                return rc;
            e->drug = b->ents[i].drug;
            e->resolved = b->resolved[e->drug];
            e->prior = b->ents[i].prior;
            e->source = b->ents[i].source;
            e->kind = b->ents[i].kind;
            if (prio > best)
                best = prio;
            if (b->ents[i].kind != MT_NAME_PRODUCT)
                b->key_is_name[k] = 1;
        }
        i = end;
        key->prio = best;
        if (b->key_is_name[k])
            b->nname_keys++;
    }
    b->nkeys = k;
    return MT_OK;
}

/* BLOCKS (best priority per 32 keys) and KEY_SAMPLE (every 64th head). */
static int build_blocks(bctx *b)
{
    uint32_t nb = (b->nkeys + MS_BLOCK - 1) / MS_BLOCK, ns = (b->nkeys + MS_SAMPLE - 1) / MS_SAMPLE, i;
    uint32_t *blocks = mt_arena_calloc(b->ctx->scratch, nb ? nb : 1, sizeof(uint32_t));
    uint64_t *samples = mt_arena_calloc(b->ctx->scratch, ns ? ns : 1, sizeof(uint64_t));
    int rc;
    if (!blocks || !samples)
        return MT_ENOMEM;
    for (i = 0; i < b->nkeys; i++)
        if (b->keys[i].prio > blocks[i / MS_BLOCK])
            blocks[i / MS_BLOCK] = b->keys[i].prio;
    for (i = 0; i < ns; i++)
        samples[i] = b->keys[i * MS_SAMPLE].head;
    rc = mt_kbw_add(b->ctx->w, MS_SEC_BLOCKS, sizeof(uint32_t), blocks, (uint64_t)nb * sizeof(uint32_t));
    if (rc == MT_OK)
        rc = mt_kbw_add(b->ctx->w, MS_SEC_KEY_SAMPLE, sizeof(uint64_t), samples, (uint64_t)ns * sizeof(uint64_t));
    return rc;
}

/* --- normalized forms and phonetic codes ---------------------------------- */

static int add_post(bctx *b, const char *s, uint32_t len, uint32_t id, uint32_t drug,
                    uint32_t prior, uint32_t tie)
{
    post *p;
    int rc = grow((void **)&b->posts, &b->cap_posts, b->nposts + 1, sizeof(*b->posts));
    if (rc != MT_OK)
        return rc;
    p = &b->posts[b->nposts++];
    p->s = s;
    p->len = len;
    p->id = id;
    p->drug = drug;
    p->prior = prior;
    p->tie = tie;
    return MT_OK;
}

static int post_cmp(const void *pa, const void *pb)
{
    const post *a = pa, *b = pb;
    int c = key_cmp(a->s, a->len, b->s, b->len);
    if (c)
        return c;
    CMP(b->prior, a->prior);
    CMP(a->tie, b->tie);
    CMP(a->drug, b->drug);
    CMP(a->id, b->id);
    return 0;
}

/* Sorts the posts and groups them into lists (section lsec) over a
** postings array (section psec): at most cap postings per string, and with
** one_per_drug only the best posting of each drug. Section hsec is the
** hash table of the lists' strings. */
static int emit_lists(bctx *b, uint32_t cap, int one_per_drug, uint32_t lsec, uint32_t psec,
                      uint32_t hsec)
{
    ms_list *lists;
    const char **lstr;
    uint32_t *slots, nslots = 16;
    uint32_t *postings, kept_drug[MS_PHON_POST_MAX > MS_NORM_POST_MAX ? MS_PHON_POST_MAX : MS_NORM_POST_MAX];
    uint32_t i, nl = 0, np = 0;
    size_t cnt = b->nposts ? b->nposts : 1;
    int rc;

    if (cap > sizeof(kept_drug) / sizeof(kept_drug[0]))
        cap = sizeof(kept_drug) / sizeof(kept_drug[0]);
    if (b->nposts)
        qsort(b->posts, b->nposts, sizeof(*b->posts), post_cmp);
    lists = mt_arena_calloc(b->ctx->scratch, cnt, sizeof(*lists));
    postings = mt_arena_calloc(b->ctx->scratch, cnt, sizeof(*postings));
    lstr = mt_arena_calloc(b->ctx->scratch, cnt, sizeof(*lstr));
    if (!lists || !postings || !lstr)
        return MT_ENOMEM;
    for (i = 0; i < b->nposts; ) {
        uint32_t end = i, kept = 0;
        ms_list *l = &lists[nl++];
        while (end < b->nposts && key_cmp(b->posts[i].s, b->posts[i].len, b->posts[end].s, b->posts[end].len) == 0)
            end++;
        rc = mt_kbw_ctx_str(b->ctx, b->posts[i].s, &l->str);
        if (rc != MT_OK)
            return rc;
        lstr[nl - 1] = b->posts[i].s;
        l->len = (uint16_t)b->posts[i].len;
        l->first = np;
        for (; i < end && kept < cap; i++) {
            uint32_t t, dup = 0;
            for (t = 0; one_per_drug && t < kept && !dup; t++)
                dup = kept_drug[t] == b->posts[i].drug;
            if (dup)
                continue;
            kept_drug[kept++] = b->posts[i].drug;
            postings[np++] = b->posts[i].id;
        }
        i = end;
        l->count = (uint16_t)kept;
    }
    while (nslots < 2u * nl) {
        if (nslots > UINT32_MAX / 4)
            return MT_ELIMIT;
        nslots *= 2;
    }
    slots = mt_arena_calloc(b->ctx->scratch, nslots, sizeof(*slots));
    if (!slots)
        return MT_ENOMEM;
    for (i = 0; i < nl; i++) {
        uint32_t h = (uint32_t)(ms_str_hash(lstr[i], lists[i].len) & (nslots - 1));
        while (slots[h])
            h = (h + 1) & (nslots - 1);
        slots[h] = i + 1;
    }
    rc = mt_kbw_add(b->ctx->w, lsec, sizeof(ms_list), lists, (uint64_t)nl * sizeof(ms_list));
    if (rc == MT_OK)
        rc = mt_kbw_add(b->ctx->w, psec, sizeof(uint32_t), postings, (uint64_t)np * sizeof(uint32_t));
    if (rc == MT_OK)
        rc = mt_kbw_add(b->ctx->w, hsec, sizeof(uint32_t), slots, (uint64_t)nslots * sizeof(uint32_t));
    return rc;
}

/* Normalized form of every key -> its entries, best drug first. */
static int build_norms(bctx *b)
{
    char out[MS_KEY_MAX + 1];
    uint32_t k, e;
    int rc;

    b->nposts = 0;
    for (k = 0; k < b->nkeys; k++) {
        const ms_key *key = &b->keys[k];
        size_t n = ms_normalize(b->key_text[k], key->len, out, sizeof(out));
        const char *s;
        if (n == 0)
            continue;
        s = (n == key->len && memcmp(out, b->key_text[k], n) == 0)
                ? b->key_text[k] : mt_arena_strndup(b->ctx->scratch, out, n);
        if (!s)
            return MT_ENOMEM;
        for (e = key->first; e < key->first + key->count; e++) {
            const ms_entry *en = &b->entries[e];
            rc = add_post(b, s, (uint32_t)n, e, b->resolved[en->drug],
                          ms_prio(en->kind, b->prior[en->drug], key->len),
                          (uint32_t)kind_rank[en->kind]);
            if (rc != MT_OK)
                return rc;
        }
    }
    return emit_lists(b, MS_NORM_POST_MAX, 1, MS_SEC_NORMS, MS_SEC_NORM_POST, MS_SEC_NORM_HASH);
}

/* Phonetic code of every name key -> keys, best priority first. */
static int build_phonetic(bctx *b)
{
    char out[MS_PHON_MAX + 1];
    uint32_t k;
    int rc;

    b->nposts = 0;
    for (k = 0; k < b->nkeys; k++) {
        const ms_key *key = &b->keys[k];
        size_t n;
        char *s;
        if (!b->key_is_name[k] || key->len > MS_APPROX_MAX)
            continue;
        n = ms_phonetic(b->key_text[k], key->len, out, sizeof(out));
        if (n < 2)
            continue;
        s = mt_arena_strndup(b->ctx->scratch, out, n);
        if (!s)
            return MT_ENOMEM;
        rc = add_post(b, s, (uint32_t)n, k, k, key->prio, 0);
        if (rc != MT_OK)
            return rc;
    }
    return emit_lists(b, MS_PHON_POST_MAX, 0, MS_SEC_PHONS, MS_SEC_PHON_POST, MS_SEC_PHON_HASH);
}

/* --- deletion neighbourhoods ------------------------------------------------ */

typedef struct delpair {
    uint64_t post;            /* MS_POST */
    uint32_t bucket;
    uint32_t reserved;
} delpair;

static int delpair_cmp(const void *pa, const void *pb)
{
    const delpair *a = pa, *b = pb;
    CMP(a->bucket, b->bucket);
    CMP(a->post, b->post);
    return 0;
}

static int build_deletions(bctx *b, uint32_t *nbuckets_out)
{
    uint64_t hashes[1 + MS_DEL_PREFIX + MS_DEL_PREFIX * MS_DEL_PREFIX];
    delpair *pairs = NULL;
    uint32_t *bucket = NULL;
    uint64_t *postings = NULL;
    uint32_t nb = 1024, k, i, np = 0, cap = 0, npairs = 0;
    int rc = MT_ENOMEM;

    if (b->nkeys >= MS_MAX_KEYS) {
        rc = MT_ELIMIT;
        goto done;
    }
    while (nb < b->nname_keys * 8u && nb < (1u << 30))
        nb <<= 1;
    for (k = 0; k < b->nkeys; k++) {
        unsigned h, nh;
        uint32_t mask;
        if (!b->key_is_name[k] || b->keys[k].len > MS_APPROX_MAX)
            continue;
        nh = ms_deletion_hashes(b->key_text[k], b->keys[k].len, MS_DEL_MAXD, hashes, NULL);
        mask = ms_char_mask(b->key_text[k], b->keys[k].len);
        if ((rc = grow((void **)&pairs, &cap, npairs + nh, sizeof(*pairs))) != MT_OK)
            goto done;
        for (h = 0; h < nh; h++) {
            pairs[npairs].bucket = (uint32_t)(hashes[h] & (nb - 1));
            pairs[npairs].reserved = 0;
            pairs[npairs++].post = MS_POST(k, b->keys[k].len, mask);
        }
    }
    if (npairs)
        qsort(pairs, npairs, sizeof(*pairs), delpair_cmp);
    rc = MT_ENOMEM;
    bucket = mt_arena_calloc(b->ctx->scratch, (size_t)nb + 1, sizeof(uint32_t));
    postings = mt_arena_calloc(b->ctx->scratch, npairs ? npairs : 1, sizeof(uint64_t));
    if (!bucket || !postings)
        goto done;
    for (i = 0; i < npairs; i++) {
        if (i > 0 && pairs[i].bucket == pairs[i - 1].bucket && pairs[i].post == pairs[i - 1].post)
            continue;
        bucket[pairs[i].bucket + 1]++;
        postings[np++] = pairs[i].post;
    }
    for (i = 0; i < nb; i++)
        bucket[i + 1] += bucket[i];
    rc = mt_kbw_add(b->ctx->w, MS_SEC_DEL_BUCKET, sizeof(uint32_t), bucket, ((uint64_t)nb + 1) * sizeof(uint32_t));
    if (rc == MT_OK)
        rc = mt_kbw_add(b->ctx->w, MS_SEC_DEL_POST, sizeof(uint64_t), postings, (uint64_t)np * sizeof(uint64_t));
    *nbuckets_out = nb;
done:
    mt_free(pairs);
    return rc;
}

/* --- codes ---------------------------------------------------------------- */

static int add_code(bctx *b, unsigned type, uint64_t num, uint32_t drug, const char *text,
                    unsigned kind, mdl_src source)
{
    rawcode *c;
    int rc;
    if (drug >= b->ndrugs || !text || !*text)
        return MT_OK;
    rc = grow((void **)&b->codes, &b->cap_codes, b->ncodes + 1, sizeof(*b->codes));
    if (rc != MT_OK)
        return rc;
    c = &b->codes[b->ncodes++];
    c->value = ms_code_value(type, num);
    c->text = text;
    c->drug = drug;
    c->prior = b->prior[drug];
    c->source = source;
    c->type = (uint8_t)type;
    c->kind = (uint8_t)kind;
    c->krank = kind_rank[kind];
    return MT_OK;
}

/* A decimal number of 1..15 digits; 0 when s is not one. */
static uint64_t decimal(const char *s)
{
    uint64_t v = 0;
    size_t n = 0;
    if (!s)
        return 0;
    for (; *s; s++, n++) {
        if (*s < '0' || *s > '9' || n >= 15)
            return 0;
        v = v * 10u + (uint64_t)(*s - '0');
    }
    return v;
}

/* "DB01221" -> 1221; 0 when not a DrugBank id. */
static uint64_t drugbank_number(const char *s)
{
    if (!s || (s[0] != 'D' && s[0] != 'd') || (s[1] != 'B' && s[1] != 'b') || strlen(s) != 7)
        return 0;
    return decimal(s + 2);
}

static int add_ident(bctx *b, unsigned id_type, const char *value, uint32_t drug, mdl_src source)
{
    const char *name = b->m->drugs.items[drug].name;
    uint64_t num;
    if (!value || !*value)
        return MT_OK;
    switch (id_type) {
    case MT_ID_RXCUI:
        num = decimal(value);
        return num ? add_code(b, MS_CODE_RXCUI, num, drug, name, MT_NAME_PREFERRED, source) : MT_OK;
    case MT_ID_UNII:
        if (ms_unii_number(value, strlen(value), &num) != MT_OK)
            return MT_OK;
        return add_code(b, MS_CODE_UNII, num, drug, name, MT_NAME_PREFERRED, source);
    case MT_ID_DRUGBANK:
        num = drugbank_number(value);
        return num ? add_code(b, MS_CODE_DRUGBANK, num, drug, name, MT_NAME_PREFERRED, source) : MT_OK;
    default:
        return MT_OK;
    }
}

static int collect_codes(bctx *b)
{
    const mdl *m = b->m;
    char buf[16];
    uint32_t i, j;
    int rc = MT_OK;

    for (i = 0; i < b->ndrugs && rc == MT_OK; i++) {
        const mdl_drug *d = &m->drugs.items[i];
        if (d->rxcui) {
            snprintf(buf, sizeof(buf), "%u", d->rxcui);
            rc = add_ident(b, MT_ID_RXCUI, buf, i, d->cite.source);
        }
        if (rc == MT_OK)
            rc = add_ident(b, MT_ID_UNII, d->unii, i, d->cite.source);
        if (rc == MT_OK)
            rc = add_ident(b, MT_ID_DRUGBANK, d->drugbank_id, i, d->cite.source);
    }
    for (i = 0; i < m->idents.count && rc == MT_OK; i++) {
        const mdl_ident *id = &m->idents.items[i];
        if (id->drug < b->ndrugs)
            rc = add_ident(b, id->type, id->value, id->drug, id->cite.source);
    }
    for (i = 0; i < m->names.count && rc == MT_OK; i++) {
        const mdl_name *n = &m->names.items[i];
        uint64_t num = n->kind == MT_NAME_BRAND ? decimal(n->code) : 0;
        if (num)
            rc = add_code(b, MS_CODE_RXCUI, num, n->drug, n->text, n->kind, n->cite.source);
    }
    for (i = 0; i < m->products.count && rc == MT_OK; i++) {
        const mdl_product *p = &m->products.items[i];
        for (j = b->ing_first[i]; p->rxcui && j < b->ing_first[i + 1] && rc == MT_OK; j++)
            rc = add_code(b, MS_CODE_RXCUI, p->rxcui, b->ing[j], p->name, MT_NAME_PRODUCT, p->cite.source);
    }
    for (i = 0; i < m->ndcs.count && rc == MT_OK; i++) {
        const mdl_ndc *nd = &m->ndcs.items[i];
        uint64_t num = decimal(nd->ndc11);
        if (nd->product >= m->products.count || strlen(nd->ndc11) != 11)
            continue;
        for (j = b->ing_first[nd->product]; j < b->ing_first[nd->product + 1] && rc == MT_OK; j++)
            rc = add_code(b, MS_CODE_NDC, num, b->ing[j], m->products.items[nd->product].name,
                          MT_NAME_PRODUCT, nd->cite.source);
    }
    return rc;
}

static int code_cmp_dedupe(const void *pa, const void *pb)
{
    const rawcode *a = pa, *b = pb;
    int c;
    CMP(a->value, b->value);
    CMP(a->drug, b->drug);
    CMP(a->krank, b->krank);
    c = strcmp(a->text, b->text);
    if (c)
        return c;
    CMP(a->source, b->source);
    return 0;
}

static int code_cmp_final(const void *pa, const void *pb)
{
    const rawcode *a = pa, *b = pb;
    CMP(a->value, b->value);
    CMP(b->prior, a->prior);
    CMP(a->krank, b->krank);
    CMP(a->drug, b->drug);
    return 0;
}

static int build_codes(bctx *b)
{
    ms_code *out;
    uint32_t i, n = 0;
    int rc = collect_codes(b);

    if (rc != MT_OK)
        return rc;
    if (b->ncodes)
        qsort(b->codes, b->ncodes, sizeof(*b->codes), code_cmp_dedupe);
    for (i = 0; i < b->ncodes; i++) {
        if (n > 0 && b->codes[n - 1].value == b->codes[i].value && b->codes[n - 1].drug == b->codes[i].drug)
            continue;
        b->codes[n++] = b->codes[i];
    }
    b->ncodes = n;
    if (n)
        qsort(b->codes, n, sizeof(*b->codes), code_cmp_final);
    out = mt_arena_calloc(b->ctx->scratch, n ? n : 1, sizeof(*out));
    if (!out)
        return MT_ENOMEM;
    for (i = 0; i < n; i++) {
        out[i].value = b->codes[i].value;
        out[i].drug = b->codes[i].drug;
        out[i].source = b->codes[i].source;
        out[i].type = b->codes[i].type;
        out[i].kind = b->codes[i].kind;
        rc = mt_kbw_ctx_str(b->ctx, b->codes[i].text, &out[i].text);
        if (rc != MT_OK)
            return rc;
    }
    return mt_kbw_add(b->ctx->w, MS_SEC_CODES, sizeof(ms_code), out, (uint64_t)n * sizeof(ms_code));
}

/* --- the hook --------------------------------------------------------------- */

int mt_search_kb_sections(mt_kbw_ctx *ctx)
{
    bctx b;
    ms_meta *meta;
    uint32_t nbuckets = 0;
    int rc;
    const char *step = "drugs";

    memset(&b, 0, sizeof(b));
    b.ctx = ctx;
    b.m = ctx->m;
    b.ndrugs = ctx->m->drugs.count;

    if ((rc = build_drugs(&b)) != MT_OK)
        goto done;
    step = "names";
    if ((rc = collect_entries(&b)) != MT_OK || (rc = build_keys(&b)) != MT_OK)
        goto done;
    rc = mt_kbw_add(ctx->w, MS_SEC_KEYS, sizeof(ms_key), b.keys, (uint64_t)b.nkeys * sizeof(ms_key));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, MS_SEC_ENTRIES, sizeof(ms_entry), b.entries,
                        (uint64_t)b.nentries * sizeof(ms_entry));
    if (rc == MT_OK)
        rc = build_blocks(&b);
    if (rc != MT_OK)
        goto done;
    step = "normalized forms";
    if ((rc = build_norms(&b)) != MT_OK)
        goto done;
    step = "phonetic codes";
    if ((rc = build_phonetic(&b)) != MT_OK)
        goto done;
    step = "deletion index";
    if ((rc = build_deletions(&b, &nbuckets)) != MT_OK)
        goto done;
    step = "codes";
    if ((rc = build_codes(&b)) != MT_OK)
        goto done;
    step = "priors";
    rc = mt_kbw_add(ctx->w, MS_SEC_PRIORS, sizeof(uint32_t), b.prior, (uint64_t)b.ndrugs * sizeof(uint32_t));
    if (rc != MT_OK)
        goto done;
    meta = mt_arena_calloc(ctx->scratch, 1, sizeof(*meta));
    if (!meta) {
        rc = MT_ENOMEM;
        goto done;
    }
    meta->version = MS_FORMAT_VERSION;
    meta->del_prefix = MS_DEL_PREFIX;
    meta->del_maxd = MS_DEL_MAXD;
    meta->block = MS_BLOCK;
    meta->nbuckets = nbuckets;
    meta->ndrugs = b.ndrugs;
    meta->nname_keys = b.nname_keys;
    rc = mt_kbw_add(ctx->w, MS_SEC_META, 0, meta, sizeof(*meta));
done:
    if (rc != MT_OK)
        fail(&b, rc, step);
    mt_free(b.resolved);
    mt_free(b.ing_first);
    mt_free(b.ing);
    mt_free(b.ents);
    mt_free(b.codes);
    mt_free(b.posts);
    mt_free(b.key_text);
    mt_free(b.key_is_name);
    return rc;
}
