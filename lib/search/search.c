/*
** search.c — the query side of search (materia/search.h) over the index of
** sindex.h.
**
** A query runs the tiers in rank order and feeds every candidate into one
** collector that keeps, per resolved drug, the best-ranked match, and at
** most `limit` drugs. Tiers stop early once the collector is full of
** results no later tier can beat. Work is bounded by fixed caps (below);
** all memory is the caller's mt_search_results and its scratch.
*/
#include "materia/search.h"

#include <string.h>

#include "search/editdist.h"
#include "search/namenorm.h"
#include "search/sindex.h"
#include "util/alloc.h"
#include "util/text.h"

/* Caps: the most work one query may do. */
#define APPROX_CANDIDATES 3000u   /* keys verified by edit distance, per probe */
#define FUZZY_CANDIDATES  512u    /* longer keys compared for a fuzzy prefix, per probe */
#define PREFIX_SCAN       4096u   /* keys looked at in a prefix range */
#define ENTRIES_PER_KEY   64u     /* entries (drugs) taken from one key */
#define SEEN_SLOTS        8192u   /* power of two, > 2 * (APPROX_ + FUZZY_CANDIDATES) */
#define DEFAULT_LIMIT     10u

/* A ranked candidate: compared by tier, distance, authority of the name
** (ms_authority), prior (higher first), length, drug. */
typedef struct cand {
    uint32_t drug;        /* resolved */
    uint32_t name_drug;
    uint32_t text;        /* string offset of the matched name */
    uint32_t prior;
    uint16_t len;         /* key length of the matched name (0 for codes) */
    uint16_t source;
    uint8_t  tier, distance, kind, code_type;
    uint8_t  auth;        /* ms_authority: 0 before 1 */
} cand;

struct mt_search_scratch {
    ms_pattern pattern;       /* the query's key, for bit-parallel distances */
    ms_pattern npattern;      /* its normalized form, when that is probed too */
    uint32_t stamp;
    uint64_t seen[SEEN_SLOTS];          /* stamp << 32 | key: keys met in this probe */
    uint32_t cand[APPROX_CANDIDATES];   /* keys of one pass, before their distances */
    cand     best[MT_SEARCH_MAX_RESULTS];
    uint32_t nbest, limit;
};

typedef struct qctx {
    const ms_index    *ix;
    mt_search_results *r;
    mt_search_scratch *s;
    const char        *key;     /* the query's key */
    size_t             klen;
    uint64_t           head;    /* its first 8 bytes (ms_key_head) */
    uint32_t           first;   /* first key >= it: the exact match or the prefix range */
    const char        *norm;    /* its normalized form (namenorm.h) */
    size_t             nlen;
    int                bitpar;  /* scratch->pattern holds the key */
    int                near;    /* a whole name was found within one edit */
} qctx;

const char *mt_search_tier_name(int tier)
{
    static const char *const names[] = {
        "", "code", "exact", "normalized", "prefix", "approximate", "phonetic", "fuzzy_prefix"
    };
    return tier >= 0 && tier <= MT_SEARCH_TIER_FUZZY_PREFIX ? names[tier] : "";
}

const char *mt_search_code_name(int code_type)
{
    static const char *const names[] = { "", "rxcui", "ndc", "unii", "drugbank" };
    return code_type >= 0 && code_type <= MT_SEARCH_CODE_DRUGBANK ? names[code_type] : "";
}

int mt_search_results_init(mt_search_results *r)
{
    if (!r)
        return MT_EINVAL;
    memset(r, 0, sizeof(*r));
    r->scratch = mt_calloc(1, sizeof(*r->scratch));
    return r->scratch ? MT_OK : MT_ENOMEM;
}

void mt_search_results_free(mt_search_results *r)
{
    if (!r)
        return;
    mt_free(r->scratch);
    r->scratch = NULL;
    r->count = 0;
}

/* --- the collector ------------------------------------------------------- */

/* <0 when a ranks before b. */
static int cand_cmp(const cand *a, const cand *b)
{
    if (a->tier != b->tier)
        return a->tier < b->tier ? -1 : 1;
    if (a->distance != b->distance)
        return a->distance < b->distance ? -1 : 1;
    if (a->auth != b->auth)
        return a->auth < b->auth ? -1 : 1;
    if (a->prior != b->prior)
        return a->prior > b->prior ? -1 : 1;
    if (a->len != b->len)
        return a->len < b->len ? -1 : 1;
    if (a->drug != b->drug)
        return a->drug < b->drug ? -1 : 1;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    if (a->text != b->text)
        return a->text < b->text ? -1 : 1;
    return 0;
}

static uint32_t worst_index(const mt_search_scratch *s)
{
    uint32_t i, w = 0;
    for (i = 1; i < s->nbest; i++)
        if (cand_cmp(&s->best[i], &s->best[w]) > 0)
            w = i;
    return w;
}

static void offer(mt_search_scratch *s, const cand *c)
{
    uint32_t i;
    for (i = 0; i < s->nbest; i++) {
        if (s->best[i].drug == c->drug) {
            if (cand_cmp(c, &s->best[i]) < 0)
                s->best[i] = *c;
            return;
        }
    }
    if (s->nbest < s->limit) {
        s->best[s->nbest++] = *c;
        return;
    }
    i = worst_index(s);
    if (cand_cmp(c, &s->best[i]) < 0)
        s->best[i] = *c;
}

/* Whether the collector is full of results that a candidate of `tier` with
** at least `distance` cannot beat. */
static int settled(const mt_search_scratch *s, unsigned tier)
{
    const cand *w;
    if (s->nbest < s->limit)
        return 0;
    w = &s->best[worst_index(s)];
    return w->tier < tier;
}

static uint32_t resolve(const ms_index *ix, uint32_t drug)
{
    const kb_drug *d = mt_kb_drug(ix->kb, drug);
    if (d && d->kind == MT_DRUG_PRECISE && d->parent != KB_NONE && d->parent < ix->npriors)
        return d->parent;
    return drug;
}

/* Offers the entries of key k (best first, at most ENTRIES_PER_KEY). */
static void offer_key(qctx *q, uint32_t k, unsigned tier, unsigned distance)
{
    const ms_key *key = &q->ix->keys[k];
    uint32_t e, end = key->first + (key->count < ENTRIES_PER_KEY ? key->count : ENTRIES_PER_KEY);
    for (e = key->first; e < end; e++) {
        const ms_entry *en = &q->ix->entries[e];
        cand c;
        c.name_drug = en->drug;
        c.drug = en->resolved;
        c.text = en->text;
        c.prior = en->prior;
        c.len = key->len;
        c.source = en->source;
        c.tier = (uint8_t)tier;
        c.distance = (uint8_t)distance;
        c.kind = en->kind;
        c.auth = (uint8_t)ms_authority(en->kind);
        c.code_type = 0;
        offer(q->s, &c);
    }
}

/* --- exact and prefix ------------------------------------------------------ */

/* memcmp order of key k against s[0..n), comparing at most n bytes of the
** key when as_prefix (so every key starting with s compares equal). */
static int key_vs(const ms_index *ix, uint32_t k, const char *s, size_t n, uint64_t head, int as_prefix)
{
    const ms_key *key = &ix->keys[k];
    size_t kl = key->len, m;
    int c;
    if (n <= 8 || key->head != head) {
        uint64_t kh = key->head, qh = head;
        if (as_prefix && n < 8) {
            unsigned shift = (unsigned)(8 - n) * 8;
            kh = kh >> shift << shift;   /* only the first n bytes of the key */
        }
        if (kh != qh)
            return kh < qh ? -1 : 1;
        if (n <= 8) {
            if (as_prefix)
                return kl >= n ? 0 : -1;
            return kl < n ? -1 : kl > n;
        }
    }
    m = kl < n ? kl : n;
    c = memcmp(ms_key_str(ix, k), s, m);
    if (c)
        return c;
    if (as_prefix)
        return kl >= n ? 0 : -1;
    return kl < n ? -1 : kl > n;
}

/* First key >= s[0..n) (head: its first 8 bytes packed). The samples
** (every 64th key's head, small enough to stay cached) narrow the range to
** the keys whose head could equal the query's, usually 64 neighbours. */
static uint32_t lower_bound(const ms_index *ix, const char *s, size_t n, uint64_t head)
{
    uint32_t lo = 0, hi = ix->nsamples, a, b;
    while (lo < hi) {                  /* first sample with head >= query's */
        uint32_t mid = lo + (hi - lo) / 2;
        if (ix->samples[mid] < head)
            lo = mid + 1;
        else
            hi = mid;
    }
    a = lo > 0 ? (lo - 1) * MS_SAMPLE : 0;
    while (lo < ix->nsamples && ix->samples[lo] == head)
        lo++;                          /* keys sharing the head (long runs are rare) */
    b = lo * MS_SAMPLE < ix->nkeys ? lo * MS_SAMPLE : ix->nkeys;
    while (a < b) {
        uint32_t mid = a + (b - a) / 2;
        if (key_vs(ix, mid, s, n, head, 0) < 0)
            a = mid + 1;
        else
            b = mid;
    }
    return a;
}

/* First key after the range of keys starting with s, from its first key:
** galloping, since ranges are mostly short. */
static uint32_t prefix_end(const ms_index *ix, uint32_t from, const char *s, size_t n, uint64_t head)
{
    uint32_t step = 1, lo = from, hi;
    while (lo + step < ix->nkeys && key_vs(ix, lo + step, s, n, head, 1) == 0) {
        lo += step;
        step *= 2;
    }
    hi = lo + step < ix->nkeys ? lo + step : ix->nkeys;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (key_vs(ix, mid, s, n, head, 1) <= 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static void tier_exact(qctx *q)
{
    uint32_t k = q->first;
    if (k < q->ix->nkeys && key_vs(q->ix, k, q->key, q->klen, q->head, 0) == 0)
        offer_key(q, k, MT_SEARCH_TIER_EXACT, 0);
}

/* The prio a candidate would need to beat the collector's worst prefix
** result; 0 while there is room. */
static uint32_t prefix_bar(const mt_search_scratch *s)
{
    const cand *w;
    if (s->nbest < s->limit)
        return 0;
    w = &s->best[worst_index(s)];
    if (w->tier < MT_SEARCH_TIER_PREFIX)
        return UINT32_MAX;
    if (w->tier > MT_SEARCH_TIER_PREFIX)
        return 0;
    return ms_prio(w->kind, w->prior, w->len);
}

static void tier_prefix(qctx *q)
{
    const ms_index *ix = q->ix;
    uint32_t lo = q->first;
    uint32_t hi = lo < ix->nkeys && key_vs(ix, lo, q->key, q->klen, q->head, 1) == 0
                      ? prefix_end(ix, lo, q->key, q->klen, q->head) : lo;
    uint32_t k = lo, scanned = 0;

    while (k < hi) {
        uint32_t bar = prefix_bar(q->s);
        if (k % MS_BLOCK == 0 && k + MS_BLOCK <= hi && ix->blocks[k / MS_BLOCK] < bar) {
            k += MS_BLOCK;               /* nothing in this block can win */
            continue;
        }
        if (scanned++ >= PREFIX_SCAN) {
            q->r->capped = 1;
            break;
        }
        if (ix->keys[k].prio >= bar)
            offer_key(q, k, MT_SEARCH_TIER_PREFIX, 0);
        k++;
    }
    q->r->examined += scanned;
}

/* The list whose string is s[0..n) in a hashed list section, or NULL. */
static const ms_list *find_list(const ms_index *ix, const ms_list *lists, const uint32_t *slots,
                                uint32_t nslots, const char *s, size_t n)
{
    uint32_t h = (uint32_t)(ms_str_hash(s, n) & (nslots - 1)), probes;
    for (probes = 0; probes < nslots && slots[h]; probes++) {
        const ms_list *l = &lists[slots[h] - 1];
        if (l->len == n && memcmp(ix->kb->str + l->str, s, n) == 0)
            return l;
        h = (h + 1) & (nslots - 1);
    }
    return NULL;
}

static void tier_normalized(qctx *q)
{
    const ms_index *ix = q->ix;
    const ms_list *l;
    uint32_t i;

    if (q->nlen == 0)
        return;
    l = find_list(ix, ix->norms, ix->norm_hash, ix->nnorm_hash, q->norm, q->nlen);
    for (i = 0; l && i < l->count; i++) {
        uint32_t e = ix->norm_post[l->first + i];
        const ms_entry *en = &ix->entries[e];
        cand c;
        c.name_drug = en->drug;
        c.drug = en->resolved;
        c.text = en->text;
        c.prior = en->prior;
        c.len = (uint16_t)q->nlen;
        c.source = en->source;
        c.tier = MT_SEARCH_TIER_NORMALIZED;
        c.distance = 0;
        c.kind = en->kind;
        c.auth = (uint8_t)ms_authority(en->kind);
        c.code_type = 0;
        offer(q->s, &c);
    }
}

/* --- approximate (deletion neighbourhoods) and fuzzy prefix ---------------- */

static int seen_before(mt_search_scratch *s, uint32_t k)
{
    uint32_t h = (k * 2654435761u) & (SEEN_SLOTS - 1);
    uint64_t want = (uint64_t)s->stamp << 32 | k;
    for (;;) {
        if ((uint32_t)(s->seen[h] >> 32) != s->stamp) {
            s->seen[h] = want;
            return 0;
        }
        if (s->seen[h] == want)
            return 1;
        h = (h + 1) & (SEEN_SLOTS - 1);
    }
}

static void new_stamp(mt_search_scratch *s)
{
    if (++s->stamp == 0) {            /* wrapped: clear once every 2^32 probes */
        memset(s->seen, 0, sizeof(s->seen));
        s->stamp = 1;
    }
}

/* Whether v has more than d bits set (d <= 2 here): clearing the lowest
** set bit d times is cheaper than a portable popcount and needs no popcnt
** instruction. */
static int more_bits_than(uint32_t v, unsigned d)
{
    while (d-- > 0)
        v &= v - 1;
    return v != 0;
}

/* First posting of bucket range [p, e) with length >= len. Buckets hold a
** handful of postings, so a linear scan beats a binary search: no
** mispredicted halving, and the next bucket's loads can start early. */
static uint32_t first_len(const uint64_t *post, uint32_t p, uint32_t e, unsigned len)
{
    while (p < e && MS_POST_LEN(post[p]) < len)
        p++;
    return p;
}

/* One pass over the deletion buckets of s[0..n): keys of length lo..hi
** are compared; whole-name matches within maxd are APPROXIMATE, name
** beginnings within pmaxd FUZZY_PREFIX. At most cap keys are compared.
** penalty is added to the distances reported (see tier_approx). Returns
** the number of whole-name matches.
**
** The index is far larger than the caches and every step is a random read
** (bucket offsets, postings, key records, key bytes), so each step is done
** for all buckets or candidates at once, prefetching the next level first:
** the misses overlap instead of following one another. */
static unsigned probe_pass(qctx *q, const char *s, size_t n, const ms_pattern *pat, const uint64_t *hashes,
                           unsigned nh, unsigned lo, unsigned hi, unsigned maxd, unsigned pmaxd, uint32_t cap,
                           unsigned penalty)
{
    const ms_index *ix = q->ix;
    uint32_t start[1 + MS_DEL_PREFIX + MS_DEL_PREFIX * MS_DEL_PREFIX];
    uint32_t end[1 + MS_DEL_PREFIX + MS_DEL_PREFIX * MS_DEL_PREFIX];
    uint32_t *cands = q->s->cand;
    unsigned h, dmax = maxd > pmaxd ? maxd : pmaxd;
    uint32_t examined = 0, ncand = 0, nmatch = 0, nwhole = 0, c, nb = ix->meta->nbuckets;
    uint32_t qmask = ms_char_mask(s, n);

    for (h = 0; h < nh; h++)
        __builtin_prefetch(&ix->del_bucket[hashes[h] & (nb - 1)]);
    for (h = 0; h < nh; h++) {
        uint32_t b = (uint32_t)(hashes[h] & (nb - 1));
        start[h] = ix->del_bucket[b];
        end[h] = ix->del_bucket[b + 1];
        __builtin_prefetch(&ix->del_post[start[h]]);
    }
    for (h = 0; h < nh; h++) {
        uint32_t p = first_len(ix->del_post, start[h], end[h], lo);
        for (; p < end[h] && MS_POST_LEN(ix->del_post[p]) <= hi; p++) {
            uint64_t post = ix->del_post[p];
            uint32_t k = MS_POST_KEY(post), kmask = MS_POST_MASK(post);
            uint32_t missing = qmask & ~kmask;
            /* Letters of the query the name lacks bound both distances,
            ** letters the name adds bound the whole-name one. */
            if (more_bits_than(missing, pmaxd) &&
                (more_bits_than(missing, maxd) || more_bits_than(kmask & ~qmask, maxd)))
                continue;
            if (seen_before(q->s, k))
                continue;
            if (ncand >= cap) {
                q->r->capped = 1;
                goto verify;
            }
            cands[ncand++] = k;
            __builtin_prefetch(&ix->keys[k]);
        }
    }
verify:
    for (c = 0; c < ncand; c++)
        __builtin_prefetch(ms_key_str(ix, cands[c]));
    /* Distances first; the matches (kept in place at the front of cands,
    ** tier and distance in the top byte) then have their entries fetched
    ** together before they are offered. */
    for (c = 0; c < ncand; c++) {
        uint32_t k = cands[c];
        ms_dist d = pat ? ms_pattern_distance(pat, ms_key_str(ix, k), ix->keys[k].len, dmax)
                        : ms_distance(s, n, ms_key_str(ix, k), ix->keys[k].len, dmax);
        examined++;
        if (d.full <= maxd) {
            cands[nmatch++] = k | (d.full + penalty) << 24 | 1u << 31;
            nwhole++;
        } else if (d.prefix <= pmaxd)
            cands[nmatch++] = k | (d.prefix + penalty) << 24;
        else
            continue;
        __builtin_prefetch(&ix->entries[ix->keys[k].first]);
    }
    for (c = 0; c < nmatch; c++)
        offer_key(q, cands[c] & 0xFFFFFFu, cands[c] >> 31 ? MT_SEARCH_TIER_APPROXIMATE
                                                             : MT_SEARCH_TIER_FUZZY_PREFIX,
                  (cands[c] >> 24) & 0x7Fu);
    q->r->examined += examined;
    return nwhole;
}

/* Closest names first: a query allowed two edits is probed with one edit
** (the buckets of at most one deletion, names of its length give or take
** one), and the names two edits away are sought only when no whole name
** was within one. Once "metfromin" is one transposition from metformin,
** merbromin and Metirosin two edits away are noise, not readings of it
** (the closest-suggestions rule of spelling correctors), and the one-edit
** probe reads 8 buckets instead of 29. Longer names, for fuzzy prefix
** matches only, come last, from the one-deletion buckets, and only when
** the results are not settled without them. pat: s as a pattern, or NULL
** (longer than 64 bytes). */
static void probe_approx(qctx *q, const char *s, size_t n, const ms_pattern *pat,
                         unsigned maxd, unsigned pmaxd, unsigned penalty)
{
    unsigned found;
    uint64_t hashes[1 + MS_DEL_PREFIX + MS_DEL_PREFIX * MS_DEL_PREFIX];
    unsigned nh, n1, dmax = maxd > pmaxd ? maxd : pmaxd, hi = (unsigned)n + maxd;

    new_stamp(q->s);
    nh = ms_deletion_hashes(s, n, dmax, hashes, &n1);
    if (maxd >= 2) {
        hi = (unsigned)n + 1;
        found = probe_pass(q, s, n, pat, hashes, n1, n > 1 ? (unsigned)n - 1 : 0, hi, 1, pmaxd,
                           APPROX_CANDIDATES, penalty);
        if (found > 0) {
            q->near = 1;
        } else {
            new_stamp(q->s);          /* keys seen at one edit may be two away */
            hi = (unsigned)n + maxd;
            probe_pass(q, s, n, pat, hashes, nh, n > maxd ? (unsigned)(n - maxd) : 0, hi, maxd, pmaxd,
                       APPROX_CANDIDATES, penalty);
        }
    } else {
        found = probe_pass(q, s, n, pat, hashes, nh, n > dmax ? (unsigned)(n - dmax) : 0, hi, maxd, pmaxd,
                           APPROX_CANDIDATES, penalty);
        if (found > 0)
            q->near = 1;           /* maxd is 1 here */
    }
    if (pmaxd > 0 && !settled(q->s, MT_SEARCH_TIER_FUZZY_PREFIX))
        probe_pass(q, s, n, pat, hashes, n1, hi + 1, 255, 0, pmaxd, FUZZY_CANDIDATES, penalty);
}

static void tier_approx(qctx *q, int suggest)
{
    unsigned maxd = q->klen >= 5 || (suggest && q->klen >= 4) ? 2 : q->klen >= 3 ? 1 : 0;
    /* Fuzzy prefix: distance 1 from 6 characters. Sound: a name beginning
    ** one edit away shares a one-deletion variant of the first 7 (or all 6)
    ** characters with the query (docs/reference/search.md, "Approximate"). */
    unsigned pmaxd = q->klen + 1 >= MS_DEL_PREFIX ? 1 : 0;

    if (maxd == 0)
        return;
    if (q->klen <= MS_APPROX_MAX + maxd)   /* else no indexed name is that close */
        probe_approx(q, q->key, q->klen, q->bitpar ? &q->s->pattern : NULL, maxd, pmaxd, 0);
    /* A label string with a misspelt substance: probe its normalized form
    ** too ("setraline 50 mg tablet" -> "setraline"). What it finds counts
    ** one edit more (the words the normalization dropped), so that at equal
    ** distance a name matching the whole query ranks first. */
    if (q->nlen >= 3 && (q->nlen != q->klen || memcmp(q->norm, q->key, q->nlen) != 0) &&
        q->nlen <= MS_APPROX_MAX + 2) {
        int np = ms_pattern_init(&q->s->npattern, q->norm, q->nlen);
        probe_approx(q, q->norm, q->nlen, np ? &q->s->npattern : NULL, q->nlen >= 5 ? 2 : 1, 0, 1);
    }
}

static void tier_phonetic(qctx *q)
{
    char code[MS_PHON_MAX + 1];
    const ms_index *ix = q->ix;
    size_t n = ms_phonetic(q->key, q->klen, code, sizeof(code));
    const ms_list *l;
    uint32_t i;
    /* A sound-alike spelled very differently is a coincidence, not a
    ** misspelling: at most one edit per four characters, plus one. */
    unsigned maxd = 1u + (unsigned)(q->klen / 4);

    if (maxd > MS_DIST_MAXD)
        maxd = MS_DIST_MAXD;
    if (n < 2)
        return;
    l = find_list(ix, ix->phons, ix->phon_hash, ix->nphon_hash, code, n);
    for (i = 0; l && i < l->count; i++)
        __builtin_prefetch(ms_key_str(ix, ix->phon_post[l->first + i]));
    for (i = 0; l && i < l->count; i++) {
        uint32_t k = ix->phon_post[l->first + i];
        ms_dist d = q->bitpar ? ms_pattern_distance(&q->s->pattern, ms_key_str(ix, k), ix->keys[k].len, maxd)
                              : ms_distance(q->key, q->klen, ms_key_str(ix, k), ix->keys[k].len, maxd);
        q->r->examined++;
        if (d.full <= maxd)
            offer_key(q, k, MT_SEARCH_TIER_PHONETIC, d.full);
    }
}

/* --- codes ------------------------------------------------------------------ */

static void offer_code(qctx *q, unsigned type, uint64_t num)
{
    const ms_index *ix = q->ix;
    uint64_t v = ms_code_value(type, num);
    uint32_t lo = 0, hi = ix->ncodes;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ix->codes[mid].value < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < ix->ncodes && ix->codes[lo].value == v; lo++) {
        const ms_code *mc = &ix->codes[lo];
        cand c;
        c.name_drug = mc->drug;
        c.drug = resolve(ix, mc->drug);
        c.text = mc->text;
        c.prior = ix->priors[mc->drug];
        c.len = 0;
        c.source = mc->source;
        c.tier = MT_SEARCH_TIER_CODE;
        c.distance = 0;
        c.kind = mc->kind;
        c.auth = 0;
        c.code_type = (uint8_t)type;
        offer(q->s, &c);
    }
}

static uint64_t digits_value(const char *d, size_t n)
{
    uint64_t v = 0;
    size_t i;
    for (i = 0; i < n; i++)
        v = v * 10u + (uint64_t)(d[i] - '0');
    return v;
}

/* Reads the query as a code: digits and dashes (RxCUI, NDC), ten letters
** and digits (UNII), or DB and five digits (DrugBank). */
static void tier_code(qctx *q, const char *query, size_t qn)
{
    char d[16];
    size_t seg[3] = {0, 0, 0}, nseg = 0, nd = 0, i;
    int only_digits = 1;

    while (qn > 0 && (query[qn - 1] == ' ' || query[qn - 1] == '\t' || query[qn - 1] == '\n' || query[qn - 1] == '\r'))
        qn--;
    while (qn > 0 && (*query == ' ' || *query == '\t')) {
        query++;
        qn--;
    }
    if (qn == 0 || qn > 15)
        return;
    for (i = 0; i < qn; i++) {
        char c = query[i];
        if (c >= '0' && c <= '9') {
            d[nd++] = c;
            seg[nseg]++;
        } else if (c == '-' && i > 0 && i + 1 < qn && query[i - 1] != '-' && nseg < 2) {
            nseg++;
        } else {
            only_digits = 0;
            break;
        }
    }
    if (only_digits && nd > 0) {
        if (nseg == 0 && nd <= 9)
            offer_code(q, MS_CODE_RXCUI, digits_value(d, nd));
        if (nd == 11 && (nseg == 0 || nseg == 2))
            offer_code(q, MS_CODE_NDC, digits_value(d, nd));
        if (nd == 10) {
            /* 4-4-2, 5-3-2, 5-4-1: a 0 pads the short segment to 5-4-2.
            ** Without dashes, each reading is tried. */
            static const size_t at[3] = {0, 5, 9};          /* where the 0 goes */
            static const size_t shape[3][3] = {{4, 4, 2}, {5, 3, 2}, {5, 4, 1}};
            unsigned s;
            for (s = 0; s < 3; s++) {
                char e[11];
                if (nseg == 2 && (seg[0] != shape[s][0] || seg[1] != shape[s][1] || seg[2] != shape[s][2]))
                    continue;
                memcpy(e, d, at[s]);
                e[at[s]] = '0';
                memcpy(e + at[s] + 1, d + at[s], 10 - at[s]);
                offer_code(q, MS_CODE_NDC, digits_value(e, 11));
            }
        }
    }
    if (qn == 10) {
        uint64_t u;
        if (ms_unii_number(query, qn, &u) == MT_OK)
            offer_code(q, MS_CODE_UNII, u);
    }
    if (qn == 7 && (query[0] == 'D' || query[0] == 'd') && (query[1] == 'B' || query[1] == 'b')) {
        for (i = 2; i < 7 && query[i] >= '0' && query[i] <= '9'; i++)
            ;
        if (i == 7)
            offer_code(q, MS_CODE_DRUGBANK, digits_value(query + 2, 5));
    }
}

/* --- the entry points -------------------------------------------------------- */

/* Insertion sort of the (at most 50) results: qsort may allocate. */
static void sort_best(cand *c, uint32_t n)
{
    uint32_t i, j;
    for (i = 1; i < n; i++) {
        cand x = c[i];
        for (j = i; j > 0 && cand_cmp(&x, &c[j - 1]) < 0; j--)
            c[j] = c[j - 1];
        c[j] = x;
    }
}

static int run(const mt_kb *kb, const char *query, unsigned limit, unsigned flags, int suggest,
               mt_search_results *r)
{
    char qbuf[MT_SEARCH_QUERY_MAX + 1], key[MT_SEARCH_QUERY_MAX + 1], norm[MT_SEARCH_QUERY_MAX + 1];
    ms_index ix;
    qctx q;
    size_t qn;
    uint32_t i;
    int rc;

    if (!kb || !query || !r || !r->scratch)
        return MT_EINVAL;
    r->count = 0;
    r->examined = 0;
    r->capped = 0;
    rc = ms_index_open(&ix, kb);
    if (rc != MT_OK)
        return MT_ECORRUPT;
    qn = strnlen(query, MT_SEARCH_QUERY_MAX);
    memcpy(qbuf, query, qn);
    qbuf[qn] = '\0';

    q.ix = &ix;
    q.r = r;
    q.s = r->scratch;
    q.s->nbest = 0;
    q.s->limit = limit == 0 ? DEFAULT_LIMIT : limit > MT_SEARCH_MAX_RESULTS ? MT_SEARCH_MAX_RESULTS : limit;
    q.klen = mt_text_key(qbuf, key, sizeof(key));
    q.key = key;
    q.nlen = q.klen ? ms_normalize(key, q.klen, norm, sizeof(norm)) : 0;
    q.head = ms_key_head(key, q.klen);
    q.first = q.klen ? lower_bound(&ix, key, q.klen, q.head) : 0;
    q.norm = norm;
    q.bitpar = 0;
    q.near = 0;

    if (!suggest && !(flags & MT_SEARCH_NO_CODES))
        tier_code(&q, qbuf, qn);
    if (q.klen > 0) {
        q.bitpar = !(flags & MT_SEARCH_EXACT_ONLY) && ms_pattern_init(&q.s->pattern, key, q.klen);
        if (!suggest) {
            tier_exact(&q);
            tier_normalized(&q);
        }
        if (!(flags & MT_SEARCH_EXACT_ONLY)) {
            if (!(flags & MT_SEARCH_NO_PREFIX) && !settled(q.s, MT_SEARCH_TIER_PREFIX))
                tier_prefix(&q);
            if (!(flags & MT_SEARCH_NO_APPROX) && !settled(q.s, MT_SEARCH_TIER_APPROXIMATE))
                tier_approx(&q, suggest);
            /* Sound-alikes are two or more edits away (the approximate
            ** tier has every name within two): noise once a name is
            ** within one, by the closest-first rule of probe_approx. */
            if (!(flags & MT_SEARCH_NO_PHONETIC) && !q.near && !settled(q.s, MT_SEARCH_TIER_PHONETIC))
                tier_phonetic(&q);
        }
    }

    sort_best(q.s->best, q.s->nbest);
    for (i = 0; i < q.s->nbest; i++) {
        const cand *c = &q.s->best[i];
        mt_search_hit *h = &r->hits[i];
        const kb_drug *d = mt_kb_drug(kb, c->drug);
        h->drug = c->drug;
        h->name_drug = c->name_drug;
        h->drug_name = d ? mt_kb_str(kb, d->name) : "";
        h->name = mt_kb_str(kb, c->text);
        h->source = mt_kb_source(kb, c->source) ? mt_kb_str(kb, mt_kb_source(kb, c->source)->id) : "";
        h->tier = c->tier;
        h->name_kind = c->kind;
        h->code_type = c->code_type;
        h->distance = c->distance;
        h->prior = ix.priors[c->drug];
    }
    r->count = q.s->nbest;
    return r->count ? MT_OK : MT_ENOTFOUND;
}

int mt_search(const mt_kb *kb, const char *query, unsigned limit, unsigned flags,
              mt_search_results *r)
{
    return run(kb, query, limit, flags, 0, r);
}

int mt_search_suggest(const mt_kb *kb, const char *query, unsigned limit, mt_search_results *r)
{
    return run(kb, query, limit, MT_SEARCH_NO_CODES, 1, r);
}
