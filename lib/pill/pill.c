/*
** pill.c — the query side of pill identification (materia/pill.h) over the
** index of pindex.h.
**
** With an imprint: the query's keys (joined forms, tokens, trigrams,
** bigrams) are looked up, rarest first, and their postings summed per pill
** in a small hash accumulator until a budget of postings is spent; the
** best-overlapping pills are then verified one by one (match_imprint) and
** scored. Without an imprint: the postings of the rarest asked colour or
** shape are scanned and each pill is checked against the rest. Either way
** the candidates go through one bounded heap, results are folded by group
** (other NDCs of the same product) and cut at the limit. Every cap is
** fixed; all memory is the caller's mt_pill_results and its scratch.
*/
#include "materia/pill.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pill/pindex.h"
#include "pill/pwords.h"
#include "search/editdist.h"
#include "util/alloc.h"

/* Caps: the most work one query may do. */
#define ACC_SLOTS       8192u    /* accumulator hash slots (power of two) */
#define ACC_MAX         4096u    /* distinct pills accumulated */
#define POSTINGS_BUDGET 32768u   /* postings read from the imprint keys */
#define VERIFY_MAX      2048u    /* candidates verified by edit distance */
#define NEAR_VERIFY     64u      /* candidates measured for near-misses */
#define SCAN_MAX        65536u   /* pills checked without an imprint */
#define HEAP_MAX        512u     /* candidates kept for ranking and folding (at most) */
#define NEAR_HEAP       64u      /* near-miss candidates kept */
#define QKEYS_MAX       192u     /* keys of one imprint query */

/* Key weights in the accumulator: a whole-imprint hit outweighs any number
** of shared grams. */
#define W_JOIN  64u
#define W_TOKEN 6u
#define W_GRAM3 2u
#define W_GRAM2 1u

typedef struct cand {
    mt_pill_hit h;
    uint32_t    weight;      /* index overlap (imprint) */
    uint32_t    group;
} cand;

typedef struct qkey {
    uint64_t        key;
    uint32_t        weight;
    uint32_t        count;
    const uint32_t *post;
} qkey;

struct mt_pill_scratch {
    uint32_t slot_pill[ACC_SLOTS];
    uint32_t slot_w[ACC_SLOTS];
    uint32_t slot_stamp[ACC_SLOTS];
    uint32_t stamp;
    uint32_t touched[ACC_MAX];
    uint32_t ntouched;
    int      sorted;            /* touched is sorted by weight */
    qkey     keys[QKEYS_MAX];
    cand     heap[HEAP_MAX];
    uint32_t nheap;
    cand     nheap_c[NEAR_HEAP];
    uint32_t nnear;
};

/* A tokenized imprint: raw (upper case) and folded, tokens by offset. */
typedef struct toks {
    const char *raw, *fold;
    uint8_t     off[PI_TOK_MAX], len[PI_TOK_MAX];
    unsigned    n, nchar;
} toks;

#define QALT_MAX 8

typedef struct qattr {
    uint16_t code;                 /* KB code index, PI_NONE16 when this KB lacks it */
    uint16_t alt[QALT_MAX];        /* near codes: the word's, and for a shape its neighbours */
    unsigned nalt;
} qattr;

typedef struct qctx {
    const pi_index *ix;
    const mt_kb    *kb;
    mt_pill_scratch *s;
    mt_pill_results *r;
    /* imprint */
    char     raw[PI_NORM_MAX], fold[PI_NORM_MAX];
    toks     q;
    uint64_t qmask;            /* pi_char_mask of fold */
    unsigned maxd;
    /* attributes */
    qattr    colors[PI_MAX_COLORS];
    unsigned ncolors;
    qattr    shape;
    int      has_shape;
    uint32_t size_cmm;
    int      score;
    uint32_t heap_cap;         /* candidates kept: enough to fold into `limit` results */
} qctx;

const char *mt_pill_imprint_match_name(int m)
{
    static const char *const names[] = { "not_asked", "exact", "confusion", "partial", "fuzzy", "near_miss" };
    return m >= 0 && m <= MT_PILL_IMPRINT_NEAR_MISS ? names[m] : "";
}

const char *mt_pill_attr_match_name(int m)
{
    static const char *const names[] = { "not_asked", "match", "partial", "near", "unknown", "mismatch" };
    return m >= 0 && m <= MT_PILL_ATTR_MISMATCH ? names[m] : "";
}

int mt_pill_results_init(mt_pill_results *r)
{
    if (!r)
        return MT_EINVAL;
    memset(r, 0, sizeof(*r));
    r->scratch = mt_calloc(1, sizeof(*r->scratch));
    return r->scratch ? MT_OK : MT_ENOMEM;
}

void mt_pill_results_free(mt_pill_results *r)
{
    if (!r)
        return;
    mt_free(r->scratch);
    r->scratch = NULL;
    r->count = 0;
    r->nnear = 0;
}

/* --- tokens ------------------------------------------------------------------ */

static void tokenize(toks *t, const char *raw, const char *fold)
{
    size_t i = 0, len = strlen(raw);
    t->raw = raw;
    t->fold = fold;
    t->n = 0;
    t->nchar = 0;
    while (i < len && t->n < PI_TOK_MAX) {
        size_t start = i;
        while (i < len && raw[i] != ' ')
            i++;
        if (i > start) {
            t->off[t->n] = (uint8_t)start;
            t->len[t->n] = (uint8_t)(i - start);
            t->nchar += (unsigned)(i - start);
            t->n++;
        }
        i++;
    }
}

/* --- imprint verification ------------------------------------------------------ */

typedef struct imatch {
    uint8_t kind, distance, confusions, coverage;
} imatch;

/* The OSA distance of a and b when it is 0 or 1, else 2: the common case
** (bound 1) without a matrix. */
static unsigned dist01(const char *a, size_t n, const char *b, size_t m)
{
    size_t i = 0;
    if (n < m) {
        const char *t = a;
        size_t tn = n;
        a = b;
        n = m;
        b = t;
        m = tn;
    }
    while (i < m && a[i] == b[i])
        i++;
    if (n == m) {
        if (i == n)
            return 0;
        if (memcmp(a + i + 1, b + i + 1, n - i - 1) == 0)
            return 1;                  /* a substitution */
        if (i + 1 < n && a[i] == b[i + 1] && a[i + 1] == b[i] && memcmp(a + i + 2, b + i + 2, n - i - 2) == 0)
            return 1;                  /* a transposition */
        return 2;
    }
    if (n == m + 1)                    /* a deletion from the longer */
        return memcmp(a + i + 1, b + i, m - i) == 0 ? 1 : 2;
    return 2;
}

static unsigned dist(const char *a, size_t n, const char *b, size_t m, unsigned bound)
{
    if (bound <= 1) {
        unsigned d = dist01(a, n, b, m);
        return d > bound ? bound + 1 : d;
    }
    return ms_distance(a, n, b, m, bound).full;
}

/* Characters of a that b lacks: each needs an edit, so this bounds the
** distance from below. */
static unsigned missing(uint64_t a, uint64_t b)
{
    uint64_t x = a & ~b;               /* SWAR popcount: no libgcc call */
    x = x - ((x >> 1) & UINT64_C(0x5555555555555555));
    x = (x & UINT64_C(0x3333333333333333)) + ((x >> 2) & UINT64_C(0x3333333333333333));
    x = (x + (x >> 4)) & UINT64_C(0x0F0F0F0F0F0F0F0F);
    return (unsigned)((x * UINT64_C(0x0101010101010101)) >> 56);
}

/* Appends token k of t (raw and folded) to the run buffers. */
static void run_append(const toks *t, unsigned k, char *rf, char *rr, size_t *len)
{
    memcpy(rf + *len, t->fold + t->off[k], t->len[k]);
    if (rr)
        memcpy(rr + *len, t->raw + t->off[k], t->len[k]);
    *len += t->len[k];
}

/* How the query's tokens q match the pill's tokens p, within `bound` edits.
** Whole tokens equal (raw first, then folded) are paired off in any order;
** what is left of the query, joined, is compared by edit distance with
** every run of adjacent leftover pill tokens, in the pill's order and
** reversed (the two sides swapped), and then the whole query with the
** whole imprint. Character sets rule out most runs before any distance is
** computed. A distance over bound is reported as bound + 1. */
static imatch match_imprint(const qctx *c, const toks *p, uint64_t pm, unsigned bound)
{
    const toks *q = &c->q;
    unsigned used = 0, done = 0, matched = 0, conf = 0, i, j, pass;
    unsigned best = 0, bestlen = 0, covered;
    int whole = 0;
    uint8_t bdir = 0, bi = 0, bj = 0;
    imatch m;

    memset(&m, 0, sizeof(m));
    for (pass = 0; pass < 2; pass++) {
        for (i = 0; i < q->n; i++) {
            if (done & (1u << i))
                continue;
            for (j = 0; j < p->n; j++) {
                const char *qa = pass ? q->fold : q->raw, *pa = pass ? p->fold : p->raw;
                unsigned k;
                if ((used & (1u << j)) || q->len[i] != p->len[j] ||
                    memcmp(qa + q->off[i], pa + p->off[j], q->len[i]) != 0)
                    continue;
                used |= 1u << j;
                done |= 1u << i;
                matched += q->len[i];
                for (k = 0; pass && k < q->len[i]; k++)
                    conf += q->raw[q->off[i] + k] != p->raw[p->off[j] + k];
                break;
            }
        }
    }
    /* A query token the pill prints split ("G4960" for "G;4960"): a run of
    ** adjacent unused pill tokens whose folded concatenation equals it. */
    for (i = 0; i < q->n; i++) {
        if (done & (1u << i))
            continue;
        for (j = 0; j < p->n; j++) {
            size_t len = 0;
            unsigned e, k;
            for (e = j; e < p->n && !(used & (1u << e)); e++) {
                if (p->len[e] > q->len[i] - len ||
                    memcmp(q->fold + q->off[i] + len, p->fold + p->off[e], p->len[e]) != 0)
                    break;
                len += p->len[e];
                if (len == q->len[i])
                    break;
            }
            if (len != q->len[i] || e == j || e >= p->n)
                continue;
            for (len = 0, k = j; k <= e; k++) {
                unsigned x;
                used |= 1u << k;
                for (x = 0; x < p->len[k]; x++)
                    conf += q->raw[q->off[i] + len + x] != p->raw[p->off[k] + x];
                len += p->len[k];
            }
            done |= 1u << i;
            matched += q->len[i];
            break;
        }
    }
    if (done != (1u << q->n) - 1) {
        char qf[PI_NORM_MAX], qr[PI_NORM_MAX], rf[PI_NORM_MAX], rr[PI_NORM_MAX];
        size_t ql = 0, dir;
        uint8_t order[2][PI_TOK_MAX];
        uint64_t qmask, pmask = pm;
        unsigned no = 0;

        for (i = 0; i < q->n; i++)
            if (!(done & (1u << i)))
                run_append(q, i, qf, qr, &ql);
        qmask = pi_char_mask(qf, ql);
        best = bound + 1;
        if (missing(qmask, pmask) <= bound) {
            for (dir = 0; dir < 2; dir++) {
                no = 0;
                for (j = 0; j < p->n; j++) {
                    unsigned k = dir ? p->n - 1 - j : j;
                    if (!(used & (1u << k)))
                        order[dir][no++] = (uint8_t)k;
                }
                for (i = 0; i < no && best > 0; i++) {
                    size_t rl = 0;
                    for (j = i; j < no; j++) {
                        unsigned d, k = order[dir][j];
                        run_append(p, k, rf, NULL, &rl);
                        if (rl > ql + bound)
                            break;
                        if ((dir == 1 && j == i) || rl + bound < ql)
                            continue;          /* (one token: the same run both ways) */
                        if (missing(qmask, pi_char_mask(rf, rl)) > bound)
                            continue;
                        d = dist(qf, ql, rf, rl, bound);
                        if (d < best || (d == best && rl > bestlen)) {
                            best = d;
                            bestlen = (unsigned)rl;
                            bdir = (uint8_t)dir;
                            bi = (uint8_t)i;
                            bj = (uint8_t)j;
                        }
                    }
                }
            }
        }
        if (best > 0 && matched > 0) {
            /* The whole query against the whole imprint, both orders. */
            size_t al = 0;
            char af[PI_NORM_MAX];
            for (i = 0; i < q->n; i++)
                run_append(q, i, af, NULL, &al);
            if (missing(pi_char_mask(af, al), pmask) <= bound) {
                for (dir = 0; dir < 2; dir++) {
                    size_t bl = 0;
                    unsigned d;
                    for (j = 0; j < p->n; j++)
                        run_append(p, dir ? p->n - 1 - j : j, rf, NULL, &bl);
                    if (bl > al + bound || al > bl + bound)
                        continue;
                    d = dist(af, al, rf, bl, bound);
                    if (d < best) {
                        best = d;
                        bestlen = (unsigned)bl;
                        bdir = (uint8_t)dir;
                        whole = 1;
                    }
                }
            }
        }
        if (best <= bound) {
            /* Confusions of the chosen alignment: raw distance minus folded. */
            size_t al = 0, bl = 0;
            unsigned rd;
            if (whole) {
                matched = 0;
                conf = 0;
                for (i = 0; i < q->n; i++)
                    run_append(q, i, qf, qr, &al);
                for (j = 0; j < p->n; j++)
                    run_append(p, bdir ? p->n - 1 - j : j, rf, rr, &bl);
            } else {
                al = ql;
                no = 0;
                for (j = 0; j < p->n; j++) {
                    unsigned k = bdir ? p->n - 1 - j : j;
                    if (!(used & (1u << k)))
                        order[0][no++] = (uint8_t)k;
                }
                for (j = bi; j <= bj && j < no; j++)
                    run_append(p, order[0][j], rf, rr, &bl);
            }
            rd = dist(qr, al, rr, bl, MS_DIST_MAXD);
            conf += rd > best ? rd - best : 0;
        }
    }
    covered = matched + (best <= bound ? bestlen : 0);
    if (covered > p->nchar)
        covered = p->nchar;
    m.distance = (uint8_t)(best > 255 ? 255 : best);
    m.confusions = (uint8_t)(conf > 255 ? 255 : conf);
    m.coverage = (uint8_t)(p->nchar ? covered * 100u / p->nchar : 0);
    if (best > c->maxd)
        m.kind = MT_PILL_IMPRINT_NEAR_MISS;
    else if (best > 0)
        m.kind = MT_PILL_IMPRINT_FUZZY;
    else if (covered < p->nchar)
        m.kind = MT_PILL_IMPRINT_PARTIAL;
    else
        m.kind = conf ? MT_PILL_IMPRINT_CONFUSION : MT_PILL_IMPRINT_EXACT;
    return m;
}

/* --- attributes ---------------------------------------------------------------- */

static int alt_has(const qattr *a, uint16_t code)
{
    unsigned k;
    for (k = 0; k < a->nalt; k++)
        if (a->alt[k] == code)
            return 1;
    return 0;
}

static uint8_t color_match(const qctx *c, const pi_pill *p)
{
    unsigned k, j, full = 0, near = 0, miss = 0;
    if (!c->ncolors)
        return MT_PILL_ATTR_NOT_ASKED;
    if (!p->ncolor)
        return MT_PILL_ATTR_UNKNOWN;
    for (k = 0; k < c->ncolors; k++) {
        int f = 0, n = 0;
        for (j = 0; j < p->ncolor; j++) {
            if (p->color[j] == c->colors[k].code)
                f = 1;
            else if (alt_has(&c->colors[k], p->color[j]))
                n = 1;
        }
        if (f)
            full++;
        else if (n)
            near++;
        else
            miss++;
    }
    if (miss == c->ncolors)
        return MT_PILL_ATTR_MISMATCH;
    if (miss || p->ncolor > c->ncolors)
        return MT_PILL_ATTR_PARTIAL;
    return near ? MT_PILL_ATTR_NEAR : MT_PILL_ATTR_MATCH;
}

static uint8_t shape_match(const qctx *c, const pi_pill *p)
{
    if (!c->has_shape)
        return MT_PILL_ATTR_NOT_ASKED;
    if (p->shape == PI_NONE16)
        return MT_PILL_ATTR_UNKNOWN;
    if (p->shape == c->shape.code)
        return MT_PILL_ATTR_MATCH;
    return alt_has(&c->shape, p->shape) ? MT_PILL_ATTR_NEAR : MT_PILL_ATTR_MISMATCH;
}

static uint8_t size_match(const qctx *c, const kb_pill *k)
{
    uint32_t tol, diff;
    if (!c->size_cmm)
        return MT_PILL_ATTR_NOT_ASKED;
    if (!k->size_cmm)
        return MT_PILL_ATTR_UNKNOWN;
    tol = c->size_cmm / 10 > 100 ? c->size_cmm / 10 : 100;
    diff = k->size_cmm > c->size_cmm ? k->size_cmm - c->size_cmm : c->size_cmm - k->size_cmm;
    return diff <= tol ? MT_PILL_ATTR_MATCH : diff <= 2 * tol ? MT_PILL_ATTR_NEAR : MT_PILL_ATTR_MISMATCH;
}

static uint8_t score_match(const qctx *c, const kb_pill *k)
{
    if (!c->score)
        return MT_PILL_ATTR_NOT_ASKED;
    if (k->score <= 0)
        return MT_PILL_ATTR_UNKNOWN;
    return k->score == c->score ? MT_PILL_ATTR_MATCH : MT_PILL_ATTR_MISMATCH;
}

/* Per-mille factors; docs/reference/pills.md ("Confidence") prints this table. */
static unsigned attr_factor(unsigned m, unsigned partial, unsigned near, unsigned unknown, unsigned mismatch)
{
    switch (m) {
    case MT_PILL_ATTR_PARTIAL:  return partial;
    case MT_PILL_ATTR_NEAR:     return near;
    case MT_PILL_ATTR_UNKNOWN:  return unknown;
    case MT_PILL_ATTR_MISMATCH: return mismatch;
    default:                    return 1000;
    }
}

static unsigned imprint_factor(const mt_pill_hit *h)
{
    unsigned f, pen = 30u * h->confusions;
    switch (h->imprint) {
    case MT_PILL_IMPRINT_NOT_ASKED: return 400;
    case MT_PILL_IMPRINT_EXACT:     return 1000;
    case MT_PILL_IMPRINT_CONFUSION: f = 930; break;
    case MT_PILL_IMPRINT_PARTIAL:   f = 600 + 7u * h->coverage / 2u; break;
    case MT_PILL_IMPRINT_FUZZY:        /* always under an exact partial match */
        f = (h->distance <= 1 ? 580u : 420u) * (800u + 2u * h->coverage) / 1000u;
        break;
    default:                           /* a near-miss */
        f = h->distance < 4 ? 400u - 100u * h->distance : 50u;
        break;
    }
    return f > pen + 50 ? f - pen : 50;
}

static void score_hit(mt_pill_hit *h, const kb_pill *k)
{
    uint64_t f = imprint_factor(h);
    f = f * attr_factor(h->color, 800, 850, 800, 400) / 1000;
    f = f * attr_factor(h->shape, 800, 800, 850, 450) / 1000;
    f = f * attr_factor(h->size, 850, 850, 950, 550) / 1000;
    f = f * attr_factor(h->score, 950, 950, 950, 700) / 1000;
    if (k->flags & PI_FLAG_LOW_CONFIDENCE)
        f = f * 850 / 1000;
    h->confidence = (uint8_t)((f + 5) / 10);
}

/* --- ranking ---------------------------------------------------------------------- */

static unsigned kind_rank(unsigned k)
{
    return k == MT_PILL_IMPRINT_NOT_ASKED ? 0 : k;
}

/* <0 when a ranks before b. */
static int cand_cmp(const cand *a, const cand *b)
{
    if (a->h.confidence != b->h.confidence)
        return a->h.confidence > b->h.confidence ? -1 : 1;
    if (kind_rank(a->h.imprint) != kind_rank(b->h.imprint))
        return kind_rank(a->h.imprint) < kind_rank(b->h.imprint) ? -1 : 1;
    if (a->h.distance != b->h.distance)
        return a->h.distance < b->h.distance ? -1 : 1;
    if (a->h.coverage != b->h.coverage)
        return a->h.coverage > b->h.coverage ? -1 : 1;
    if (a->weight != b->weight)
        return a->weight > b->weight ? -1 : 1;
    return a->h.pill < b->h.pill ? -1 : a->h.pill > b->h.pill;
}

/* Near-misses: distance first, then overlap. */
static int near_cmp(const cand *a, const cand *b)
{
    if (a->h.distance != b->h.distance)
        return a->h.distance < b->h.distance ? -1 : 1;
    return cand_cmp(a, b);
}

/* A bounded max-heap on "worse": the root is the worst kept candidate. */
static void heap_offer(cand *heap, uint32_t *n, uint32_t cap, const cand *c,
                       int (*cmp)(const cand *, const cand *))
{
    uint32_t i;
    if (*n == cap) {
        if (cmp(c, &heap[0]) >= 0)
            return;                    /* worse than the worst kept */
        i = 0;                         /* replace the root, sift down */
        for (;;) {
            uint32_t l = 2 * i + 1, r = l + 1, w = i;
            const cand *wc = c;
            if (l < *n && cmp(&heap[l], wc) > 0)
                w = l, wc = &heap[l];
            if (r < *n && cmp(&heap[r], wc) > 0)
                w = r;
            if (w == i)
                break;
            heap[i] = heap[w];
            i = w;
        }
        heap[i] = *c;
        return;
    }
    i = (*n)++;
    while (i > 0) {
        uint32_t parent = (i - 1) / 2;
        if (cmp(&heap[parent], c) >= 0)
            break;
        heap[i] = heap[parent];
        i = parent;
    }
    heap[i] = *c;
}

static int qsort_cand(const void *a, const void *b) { return cand_cmp(a, b); }
static int qsort_near(const void *a, const void *b) { return near_cmp(a, b); }

/* Sorts the kept candidates best first and folds each group (other NDCs of
** one product) into its best member, up to max hits. */
static uint32_t fold_groups(cand *c, uint32_t n, int near, mt_pill_hit *out, uint32_t max)
{
    uint32_t i, k, count = 0;
    uint32_t groups[MT_PILL_MAX_RESULTS];
    if (n > 1)
        qsort(c, n, sizeof(*c), near ? qsort_near : qsort_cand);
    for (i = 0; i < n; i++) {
        for (k = 0; k < count && groups[k] != c[i].group; k++)
            ;
        if (k < count) {
            if (out[k].nsame < MT_PILL_SAME_MAX)
                out[k].same[out[k].nsame] = c[i].h.pill;
            out[k].nsame++;
            continue;
        }
        if (count == max)
            continue;
        groups[count] = c[i].group;
        out[count] = c[i].h;
        out[count].nsame = 0;
        count++;
    }
    return count;
}

/* --- the imprint path ----------------------------------------------------------------- */

static void acc_reset(mt_pill_scratch *s)
{
    if (++s->stamp == 0) {
        memset(s->slot_stamp, 0, sizeof(s->slot_stamp));
        s->stamp = 1;
    }
    s->ntouched = 0;
}

/* 0 when the accumulator is full and the pill is new. */
static int acc_add(mt_pill_scratch *s, uint32_t pill, uint32_t w)
{
    uint32_t h = (pill * 2654435761u) & (ACC_SLOTS - 1);
    while (s->slot_stamp[h] == s->stamp && s->slot_pill[h] != pill)
        h = (h + 1) & (ACC_SLOTS - 1);
    if (s->slot_stamp[h] == s->stamp) {
        s->slot_w[h] += w;
        return 1;
    }
    if (s->ntouched == ACC_MAX)
        return 0;
    s->slot_stamp[h] = s->stamp;
    s->slot_pill[h] = pill;
    s->slot_w[h] = w;
    s->touched[s->ntouched++] = h;
    return 1;
}

static int add_qkey(qctx *c, unsigned *n, uint64_t key, uint32_t w)
{
    unsigned i;
    for (i = 0; i < *n; i++)
        if (c->s->keys[i].key == key)
            return 0;                  /* a gram twice in the query counts once */
    if (*n == QKEYS_MAX)
        return 0;
    c->s->keys[*n].key = key;
    c->s->keys[*n].weight = w;
    c->s->keys[*n].post = pi_postings(c->ix, key, &c->s->keys[*n].count);
    (*n)++;
    return 1;
}

static int qkey_cmp(const void *pa, const void *pb)
{
    const qkey *a = pa, *b = pb;
    if (a->count != b->count)
        return a->count < b->count ? -1 : 1;
    return a->key < b->key ? -1 : a->key > b->key;
}

static int touched_cmp(const void *pa, const void *pb, void *arg)
{
    uint32_t a = *(const uint32_t *)pa, b = *(const uint32_t *)pb;
    const mt_pill_scratch *s = arg;
    if (s->slot_w[a] != s->slot_w[b])
        return s->slot_w[a] > s->slot_w[b] ? -1 : 1;
    return s->slot_pill[a] < s->slot_pill[b] ? -1 : s->slot_pill[a] > s->slot_pill[b];
}

static void gather(qctx *c)
{
    mt_pill_scratch *s = c->s;
    char joined[PI_NORM_MAX], rev[PI_NORM_MAX];
    size_t nj = 0, nr = 0, i;
    unsigned nk = 0, k;
    uint32_t spent = 0;
    const toks *q = &c->q;

    for (k = 0; k < q->n; k++) {
        memcpy(joined + nj, q->fold + q->off[k], q->len[k]);
        nj += q->len[k];
        add_qkey(c, &nk, PI_KEY(PI_K_TOKEN, pi_hash(q->fold + q->off[k], q->len[k])), W_TOKEN);
    }
    for (k = q->n; k > 0; k--) {
        memcpy(rev + nr, q->fold + q->off[k - 1], q->len[k - 1]);
        nr += q->len[k - 1];
    }
    add_qkey(c, &nk, PI_KEY(PI_K_JOIN, pi_hash(joined, nj)), W_JOIN);
    add_qkey(c, &nk, PI_KEY(PI_K_JOIN, pi_hash(rev, nr)), W_JOIN);
    for (i = 0; i + 3 <= nj; i++)
        add_qkey(c, &nk, PI_KEY(PI_K_GRAM3, pi_gram(joined + i, 3)), W_GRAM3);
    for (i = 0; i + 2 <= nj; i++)
        add_qkey(c, &nk, PI_KEY(PI_K_GRAM2, pi_gram(joined + i, 2)), W_GRAM2);
    qsort(s->keys, nk, sizeof(s->keys[0]), qkey_cmp);

    acc_reset(s);
    for (k = 0; k < nk; k++) {
        const qkey *qk = &s->keys[k];
        uint32_t j;
        if (qk->count == 0)
            continue;
        if (spent + qk->count > POSTINGS_BUDGET) {
            c->r->capped = 1;
            break;
        }
        spent += qk->count;
        for (j = 0; j < qk->count; j++)
            if (!acc_add(s, qk->post[j], qk->weight))
                c->r->capped = 1;
    }
    s->sorted = 0;
    if (s->ntouched > VERIFY_MAX) {
        qsort_r(s->touched, s->ntouched, sizeof(s->touched[0]), touched_cmp, s);
        s->sorted = 1;
        s->ntouched = VERIFY_MAX;
        c->r->capped = 1;
    }
}

static void fill_attrs(const qctx *c, mt_pill_hit *h, const pi_pill *p, const kb_pill *k)
{
    h->color = color_match(c, p);
    h->shape = shape_match(c, p);
    h->size = size_match(c, k);
    h->score = score_match(c, k);
    score_hit(h, k);
}

/* Verifies candidate touched[t] within bound and fills *cd. Outside the
** near-miss phase, pills that cannot be within bound (characters or length
** missing) are ruled out without a look at their tokens. */
static void verify(qctx *c, uint32_t t, unsigned bound, int near, cand *cd, const kb_pill *kp)
{
    mt_pill_scratch *s = c->s;
    uint32_t slot = s->touched[t], pill = s->slot_pill[slot];
    const pi_pill *p = &c->ix->pills[pill];
    toks pt;
    imatch im;

    memset(cd, 0, sizeof(*cd));
    cd->h.pill = pill;
    cd->weight = s->slot_w[slot];
    cd->group = p->group;
    cd->h.imprint = MT_PILL_IMPRINT_NEAR_MISS;
    cd->h.distance = (uint8_t)(bound + 1);
    /* Every query character is in the imprint but for the allowed edits,
    ** and the imprint is not shorter than the query but for them. */
    if (p->ntok == 0 || (!near && (missing(c->qmask, p->mask) > bound || p->nchar + bound < c->q.nchar)))
        return;
    c->r->examined++;
    tokenize(&pt, mt_kb_str(c->kb, p->norm), mt_kb_str(c->kb, p->fold));
    im = match_imprint(c, &pt, p->mask, bound);
    cd->h.imprint = im.kind;
    cd->h.distance = im.distance;
    cd->h.confusions = im.confusions;
    cd->h.coverage = im.coverage;
    if (im.kind != MT_PILL_IMPRINT_NEAR_MISS || bound > c->maxd)
        fill_attrs(c, &cd->h, p, &kp[pill]);
}

static void search_imprint(qctx *c)
{
    mt_pill_scratch *s = c->s;
    const kb_pill *kp = mt_kb_pills(c->kb, NULL);
    uint32_t t, n;
    unsigned near_bound;
    cand cd;

    gather(c);
    for (t = 0; t < s->ntouched; t++) {
        verify(c, t, c->maxd, 0, &cd, kp);
        if (cd.h.imprint != MT_PILL_IMPRINT_NEAR_MISS) {
            c->r->matched++;
            heap_offer(s->heap, &s->nheap, c->heap_cap, &cd, cand_cmp);
        }
    }
    if (s->nheap)
        return;
    /* Nothing within the allowed edits: the closest of the best-overlapping
    ** candidates, measured with a wider bound, are the near-misses. */
    if (!s->sorted)
        qsort_r(s->touched, s->ntouched, sizeof(s->touched[0]), touched_cmp, s);
    near_bound = c->maxd + 3 < MS_DIST_MAXD ? c->maxd + 3 : MS_DIST_MAXD;
    n = s->ntouched < NEAR_VERIFY ? s->ntouched : NEAR_VERIFY;
    for (t = 0; t < n; t++) {
        verify(c, t, near_bound, 1, &cd, kp);
        cd.h.imprint = MT_PILL_IMPRINT_NEAR_MISS;   /* over maxd: gather found nothing closer */
        if (cd.h.distance > near_bound) {
            if (cd.h.coverage == 0)
                continue;              /* neither close nor sharing a token: not a near-miss */
            cd.h.distance = MT_PILL_FAR;
            score_hit(&cd.h, &kp[cd.h.pill]);
        }
        heap_offer(s->nheap_c, &s->nnear, NEAR_HEAP, &cd, near_cmp);
    }
}

/* --- the attribute path ------------------------------------------------------------------ */

/* The postings of every acceptable code of an attribute; total count. */
static uint32_t attr_lists(const qctx *c, unsigned kind, const qattr *a, const uint32_t **lists,
                           uint32_t *counts, uint16_t *codes, unsigned *n)
{
    uint32_t total = 0;
    unsigned k;
    *n = 0;
    for (k = 0; k <= a->nalt; k++) {
        uint16_t code = k == 0 ? a->code : a->alt[k - 1];
        if (code == PI_NONE16)
            continue;
        lists[*n] = pi_postings(c->ix, PI_KEY(kind, code), &counts[*n]);
        codes[*n] = code;
        total += counts[*n];
        (*n)++;
    }
    return total;
}

static int pill_has_code(const pi_pill *p, unsigned kind, uint16_t code)
{
    unsigned j;
    if (kind == PI_K_SHAPE)
        return p->shape == code;
    for (j = 0; j < p->ncolor; j++)
        if (p->color[j] == code)
            return 1;
    return 0;
}

static void consider(qctx *c, uint32_t pill)
{
    const pi_pill *p = &c->ix->pills[pill];
    const kb_pill *k = mt_kb_pill(c->kb, pill);
    cand cd;
    int miss;

    memset(&cd, 0, sizeof(cd));
    cd.h.pill = pill;
    cd.group = p->group;
    c->r->examined++;
    fill_attrs(c, &cd.h, p, k);
    miss = (cd.h.color == MT_PILL_ATTR_MISMATCH) + (cd.h.shape == MT_PILL_ATTR_MISMATCH) +
           (cd.h.size == MT_PILL_ATTR_MISMATCH) + (cd.h.score == MT_PILL_ATTR_MISMATCH);
    if (miss) {
        cd.h.distance = (uint8_t)miss;   /* near-misses rank by criteria missed */
        heap_offer(c->s->nheap_c, &c->s->nnear, NEAR_HEAP, &cd, near_cmp);
        return;
    }
    c->r->matched++;
    heap_offer(c->s->heap, &c->s->nheap, c->heap_cap, &cd, cand_cmp);
}

static void search_attrs(qctx *c)
{
    const uint32_t *lists[1 + QALT_MAX] = { NULL };
    uint32_t counts[1 + QALT_MAX] = { 0 }, scanned = 0, total = UINT32_MAX, i;
    uint16_t codes[1 + QALT_MAX] = { 0 };
    unsigned n = 0, kind = 0, l, k;

    /* The rarest asked colour or the shape: its postings are the candidates. */
    for (k = 0; k <= c->ncolors; k++) {
        const qattr *a = k < c->ncolors ? &c->colors[k] : c->has_shape ? &c->shape : NULL;
        unsigned kk = k < c->ncolors ? PI_K_COLOR : PI_K_SHAPE, nn;
        const uint32_t *ll[1 + QALT_MAX] = { NULL };
        uint32_t cc[1 + QALT_MAX] = { 0 }, t;
        uint16_t cd[1 + QALT_MAX] = { 0 };
        if (!a)
            continue;
        t = attr_lists(c, kk, a, ll, cc, cd, &nn);
        if (t < total) {
            total = t;
            n = nn;
            kind = kk;
            memcpy(lists, ll, sizeof(ll));
            memcpy(counts, cc, sizeof(cc));
            memcpy(codes, cd, sizeof(cd));
        }
    }
    if (kind == 0) {                   /* only size or score: every pill */
        for (i = 0; i < c->ix->npills; i++) {
            if (scanned++ == SCAN_MAX) {
                c->r->capped = 1;
                return;
            }
            consider(c, i);
        }
        return;
    }
    for (l = 0; l < n; l++) {
        for (i = 0; i < counts[l]; i++) {
            uint32_t pill = lists[l][i];
            unsigned e;
            int seen = 0;
            for (e = 0; e < l && !seen; e++)   /* in an earlier list already */
                seen = pill_has_code(&c->ix->pills[pill], kind, codes[e]);
            if (seen)
                continue;
            if (scanned++ == SCAN_MAX) {
                c->r->capped = 1;
                return;
            }
            consider(c, pill);
        }
    }
}

/* --- the query -------------------------------------------------------------------------- */

static uint16_t code_index(const mt_kb *kb, const char *system, const char *display)
{
    uint32_t i, n;
    const kb_code *codes = mt_kb_codes(kb, &n);
    for (i = 0; i < n && i < PI_NONE16; i++)
        if (strcmp(mt_kb_str(kb, codes[i].system), system) == 0 &&
            strcmp(mt_kb_str(kb, codes[i].display), display) == 0)
            return (uint16_t)i;
    return PI_NONE16;
}

static void add_alt(qattr *a, uint16_t code)
{
    unsigned k;
    if (code == PI_NONE16 || code == a->code || a->nalt == QALT_MAX)
        return;
    for (k = 0; k < a->nalt; k++)
        if (a->alt[k] == code)
            return;
    a->alt[a->nalt++] = code;
}

/* The codes of a parsed word: its SPL value, its near values, and for a
** shape the shapes easily taken for it (pw_shapes_near), resolved once so
** that checking a pill compares integers only. */
static void resolve_term(const mt_kb *kb, const char *system, const pw_term *t, qattr *a)
{
    unsigned k;
    a->code = code_index(kb, system, t->spl);
    a->nalt = 0;
    for (k = 0; k < PW_MAX_ALT && t->alt[k]; k++)
        add_alt(a, code_index(kb, system, t->alt[k]));
    if (strcmp(system, "SPL-SHAPE") == 0) {
        uint32_t i, n;
        const kb_code *codes = mt_kb_codes(kb, &n);
        for (i = 0; i < n && i < PI_NONE16; i++)
            if (strcmp(mt_kb_str(kb, codes[i].system), system) == 0 &&
                pw_shapes_near(t->spl, mt_kb_str(kb, codes[i].display)))
                add_alt(a, (uint16_t)i);
    }
}

static int refuse(mt_pill_results *r, const char *msg)
{
    snprintf(r->error, sizeof(r->error), "%s", msg);
    return MT_EINVAL;
}

int mt_pill_search(const mt_kb *kb, const mt_pill_query *q, unsigned limit, mt_pill_results *r)
{
    pi_index ix;
    qctx c;
    pw_term terms[PI_MAX_COLORS];
    unsigned nterms = 0, k;
    int rc, has_imprint = 0;

    if (!r)
        return MT_EINVAL;
    r->count = 0;
    r->nnear = 0;
    r->matched = 0;
    r->examined = 0;
    r->capped = 0;
    r->error[0] = '\0';
    if (!kb || !q || !r->scratch)
        return refuse(r, "no knowledge base, query or results");
    if (limit == 0)
        limit = MT_PILL_DEFAULT_LIMIT;
    if (limit > MT_PILL_MAX_RESULTS)
        limit = MT_PILL_MAX_RESULTS;
    memset(&c, 0, sizeof(c));
    c.kb = kb;
    c.r = r;
    c.s = r->scratch;
    c.s->nheap = 0;
    c.s->nnear = 0;
    /* Other NDCs of a product fold into one result: keep 8 candidates a
    ** result (the bundled data has at most 12 in a group), and some. */
    c.heap_cap = limit * 8 + 32 < HEAP_MAX ? limit * 8 + 32 : HEAP_MAX;

    if (q->imprint && *q->imprint) {
        char cut[MT_PILL_QUERY_MAX + 1];
        unsigned ntok, nchar;
        snprintf(cut, sizeof(cut), "%s", q->imprint);
        pi_normalize(cut, c.raw, sizeof(c.raw), &ntok, &nchar);
        if (ntok == 0)
            return refuse(r, "the imprint has no letter or digit");
        memcpy(c.fold, c.raw, sizeof(c.raw));
        pi_fold(c.fold, strlen(c.fold));
        tokenize(&c.q, c.raw, c.fold);
        c.qmask = pi_char_mask(c.fold, strlen(c.fold));
        c.maxd = c.q.nchar <= 2 ? 0 : c.q.nchar <= 7 ? 1 : 2;
        has_imprint = 1;
    }
    if (q->color && *q->color) {
        rc = pw_parse_colors(q->color, terms, PI_MAX_COLORS, &nterms, r->error, sizeof(r->error));
        if (rc != MT_OK)
            return rc;
        for (k = 0; k < nterms; k++)
            resolve_term(kb, "SPL-COLOR", &terms[k], &c.colors[k]);
        c.ncolors = nterms;
    }
    if (q->shape && *q->shape) {
        rc = pw_parse_shape(q->shape, &terms[0], r->error, sizeof(r->error));
        if (rc != MT_OK)
            return rc;
        resolve_term(kb, "SPL-SHAPE", &terms[0], &c.shape);
        c.has_shape = 1;
    }
    if (q->size_mm < 0 || q->size_mm > 100 || isnan(q->size_mm))
        return refuse(r, "the size must be a number of millimetres from 0 to 100");
    c.size_cmm = (uint32_t)lround(q->size_mm * 100.0);
    if (q->score < 0 || q->score > 9)
        return refuse(r, "the score must be a number of pieces from 1 to 9");
    c.score = q->score;
    if (!has_imprint && !c.ncolors && !c.has_shape && !c.size_cmm && !c.score)
        return refuse(r, "give an imprint, a colour, a shape, a size or a score");

    rc = pi_index_open(&ix, kb);
    if (rc != MT_OK) {
        snprintf(r->error, sizeof(r->error), "the knowledge base has no pill index (rebuild it)");
        return MT_ECORRUPT;
    }
    c.ix = &ix;
    if (has_imprint)
        search_imprint(&c);
    else
        search_attrs(&c);

    r->count = fold_groups(c.s->heap, c.s->nheap, 0, r->hits, limit);
    if (r->count == 0)
        r->nnear = fold_groups(c.s->nheap_c, c.s->nnear, 1, r->near, MT_PILL_MAX_NEAR);
    return MT_OK;
}
