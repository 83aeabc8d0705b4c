/*
** interact.c — the interaction checker (materia/interact.h).
**
** A check runs in five steps, all memory in one arena owned by the result:
**   1. resolve every input to ingredients (resolve.c; exact or normalized
**      matches only, never a fuzzy guess);
**   2. put every ingredient in a small hash set of "key drugs" (the drug as
**      resolved and, for a salt or precise ingredient, its parent), each
**      with the list of inputs it came from;
**   3. for each key drug, take the cheaper of two ways to find its partners
**      in the set: walk its adjacency (sorted by other drug) testing
**      membership in the set, or binary-search the adjacency for each other
**      key drug. No rule is ever tested against a pair;
**   4. duplications (same ingredient; same EPC class), ANSM class effects,
**      anticholinergic burden, coverage per source;
**   5. group the hits per unordered pair of inputs and order the findings.
** Every string in the result points into the knowledge base or the arena.
*/
#include "materia/interact.h"

#include <stdlib.h>
#include <string.h>

#include "interact/ixcheck.h"
#include "interact/ixindex.h"
#include "kb/kb_internal.h"
#include "util/alloc.h"

/* --- small helpers ----------------------------------------------------------- */

void *ix_alloc(ix_check *c, size_t count, size_t size)
{
    void *p;
    if (c->rc != MT_OK)
        return NULL;
    if (size && count > SIZE_MAX / size) {
        c->rc = MT_ELIMIT;
        return NULL;
    }
    p = mt_arena_calloc(c->A, count ? count : 1, size);
    if (!p) {
        size_t need = count * size;
        c->rc = (c->A->limit && c->A->total + need + 16 > c->A->limit) ? MT_ELIMIT : MT_ENOMEM;
    }
    return p;
}

const char *ix_strdup(ix_check *c, const char *s)
{
    char *p;
    size_t len;
    if (!s)
        return NULL;
    len = strlen(s);
    p = ix_alloc(c, len + 1, 1);
    if (p)
        memcpy(p, s, len + 1);
    return p;
}

/* A string of the KB, NULL when absent (offset 0: the writer interns every
** empty string there). The pool is not touched: a check reads only the
** records, and the texts are read when they are printed. */
const char *ix_kstr(const mt_kb *kb, uint32_t off)
{
    return off ? mt_kb_str(kb, off) : NULL;
}

mt_check_cite ix_cite(const mt_kb *kb, kb_cite k)
{
    mt_check_cite c;
    const kb_source *s = mt_kb_source(kb, k.source);
    memset(&c, 0, sizeof(c));
    if (s) {
        c.source = ix_kstr(kb, s->id);
        c.source_name = ix_kstr(kb, s->name);
        c.edition = ix_kstr(kb, s->edition);
    }
    c.record = ix_kstr(kb, k.record);
    return c;
}

static const char *drug_name(const mt_kb *kb, uint32_t drug)
{
    const kb_drug *d = mt_kb_drug(kb, drug);
    return d ? mt_kb_str(kb, d->name) : "";
}

/* A growable array in the arena: doubling, the old block is abandoned. */
static int vec_grow(ix_check *c, void **items, uint32_t *cap, uint32_t count, size_t size)
{
    void *grown;
    uint32_t ncap;
    if (count < *cap)
        return c->rc;
    ncap = *cap ? *cap * 2 : 16;
    grown = ix_alloc(c, ncap, size);
    if (!grown)
        return c->rc;
    if (*items)
        memcpy(grown, *items, (size_t)count * size);
    *items = grown;
    *cap = ncap;
    return MT_OK;
}
#define VEC_PUSH(c, arr, n, cap) \
    (vec_grow((c), (void **)&(arr), &(cap), (n), sizeof(*(arr))) == MT_OK ? &(arr)[(n)++] : NULL)

/* --- the set of key drugs ---------------------------------------------------------- */

typedef struct occ {          /* a key drug's appearance in one input */
    uint32_t input;
    uint32_t base;            /* the ingredient it stands for (PIN -> IN) */
    uint32_t next;            /* next occ of the same key drug, or MT_CHECK_NONE */
} occ;

typedef struct keydrug {
    uint32_t drug;
    uint32_t first;           /* first occ */
    uint32_t deg;             /* adjacency entries */
} keydrug;

typedef struct keyset {
    keydrug  *keys; uint32_t nkeys, capkeys;
    occ      *occs; uint32_t nocc, capocc;
    uint32_t *slots;          /* open addressing: 1 + key index, 0 = empty */
    uint32_t  mask;
} keyset;

static uint32_t hash_u32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352dU;
    x ^= x >> 15;
    x *= 0x846ca68bU;
    x ^= x >> 16;
    return x;
}

static uint32_t keyset_find(const keyset *ks, uint32_t drug)
{
    uint32_t h = hash_u32(drug) & ks->mask;
    while (ks->slots[h]) {
        if (ks->keys[ks->slots[h] - 1].drug == drug)
            return ks->slots[h] - 1;
        h = (h + 1) & ks->mask;
    }
    return MT_CHECK_NONE;
}

/* Records that `drug` (standing for `base`) appears in `input`. */
static void keyset_add(ix_check *c, keyset *ks, uint32_t drug, uint32_t base, uint32_t input)
{
    uint32_t k = keyset_find(ks, drug), h, o;
    occ *oc;

    if (k == MT_CHECK_NONE) {
        keydrug *kd = VEC_PUSH(c, ks->keys, ks->nkeys, ks->capkeys);
        const kb_drug *d = mt_kb_drug(c->kb, drug);
        if (!kd)
            return;
        kd->drug = drug;
        kd->first = MT_CHECK_NONE;
        kd->deg = d ? d->interactions.count : 0;
        k = ks->nkeys - 1;
        h = hash_u32(drug) & ks->mask;
        while (ks->slots[h])
            h = (h + 1) & ks->mask;
        ks->slots[h] = k + 1;
    }
    for (o = ks->keys[k].first; o != MT_CHECK_NONE; o = ks->occs[o].next)
        if (ks->occs[o].input == input && ks->occs[o].base == base)
            return;
    oc = VEC_PUSH(c, ks->occs, ks->nocc, ks->capocc);
    if (!oc)
        return;
    oc->input = input;
    oc->base = base;
    oc->next = ks->keys[k].first;
    ks->keys[k].first = ks->nocc - 1;
}

static void keyset_build(ix_check *c, keyset *ks)
{
    uint32_t i, j, total = 0, cap = 16;

    for (i = 0; i < c->ninputs; i++)
        total += c->inputs[i].ning;
    while (cap < total * 4 + 4)
        cap *= 2;
    ks->slots = ix_alloc(c, cap, sizeof(uint32_t));
    ks->mask = cap - 1;
    if (!ks->slots)
        return;
    for (i = 0; i < c->ninputs; i++) {
        const mt_check_input *in = &c->inputs[i];
        for (j = 0; j < in->ning; j++) {
            keyset_add(c, ks, in->ings[j].base, in->ings[j].base, i);
            if (in->ings[j].drug != in->ings[j].base)
                keyset_add(c, ks, in->ings[j].drug, in->ings[j].base, i);
        }
    }
}

/* --- step 3: interactions ------------------------------------------------------------ */

typedef struct hit {
    uint32_t ia, ib;          /* inputs, ia < ib */
    uint32_t da, db;          /* ingredients (bases) of ia and ib: the identity of the hit */
    uint32_t rule;
    uint32_t ra, rb;          /* the drugs the rule links (a base, or the salt it was resolved as) */
} hit;

typedef struct hits {
    hit *v; uint32_t n, cap;
} hits;

static void add_hits(ix_check *c, const keyset *ks, uint32_t ka, uint32_t kb_, uint32_t rule, hits *out)
{
    uint32_t oa, ob;
    /* The rule record is read when the findings are built, after the hits
    ** are sorted: start fetching it now, while the adjacency walk goes on
    ** (a cold knowledge base is read mostly in cache misses). */
    __builtin_prefetch(mt_kb_ixrule(c->kb, rule));
    for (oa = ks->keys[ka].first; oa != MT_CHECK_NONE; oa = ks->occs[oa].next) {
        for (ob = ks->keys[kb_].first; ob != MT_CHECK_NONE; ob = ks->occs[ob].next) {
            const occ *x = &ks->occs[oa], *y = &ks->occs[ob];
            hit *h;
            if (x->input == y->input)
                continue;         /* two ingredients of one product: taken together by design */
            h = VEC_PUSH(c, out->v, out->n, out->cap);
            if (!h)
                return;
            if (x->input < y->input) {
                h->ia = x->input; h->da = x->base; h->ib = y->input; h->db = y->base;
                h->ra = ks->keys[ka].drug; h->rb = ks->keys[kb_].drug;
            } else {
                h->ia = y->input; h->da = y->base; h->ib = x->input; h->db = x->base;
                h->ra = ks->keys[kb_].drug; h->rb = ks->keys[ka].drug;
            }
            h->rule = rule;
        }
    }
}

/* First index in adj[lo..hi) whose other drug is >= want (adjacency lists
** are sorted by other drug). */
static uint32_t lower_bound(const kb_ixadj *adj, uint32_t lo, uint32_t hi, uint32_t want)
{
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (adj[mid].other < want)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static uint32_t log2_ceil(uint32_t n)
{
    uint32_t lg = 1;
    while (n > 1) {
        n >>= 1;
        lg++;
    }
    return lg;
}

typedef struct keyref {
    uint32_t drug, key;
} keyref;

static int cmp_keyref(const void *p, const void *q)
{
    const keyref *a = p, *b = q;
    return a->drug < b->drug ? -1 : a->drug > b->drug;
}

/* Each unordered pair of key drugs is looked at once, from its smaller drug
** d, against the partners above it (sorted ascending). Only the slice of d's
** adjacency between d and the largest key drug can hold a partner. Of that
** slice and the partner list, the smaller is iterated and looked up in the
** larger: walk the slice testing each drug against the set (a hash), or
** binary-search the slice for each partner, moving the lower bound forward
** since both are sorted. */
static void find_interactions(ix_check *c, const keyset *ks, hits *out)
{
    const kb_ixadj *all = mt_kb_ixadj(c->kb, NULL);
    keyref *sorted;
    uint32_t p, q, i, n = ks->nkeys, maxd;

    if (n < 2)
        return;
    sorted = ix_alloc(c, n, sizeof(*sorted));
    if (!sorted)
        return;
    for (i = 0; i < n; i++) {
        sorted[i].drug = ks->keys[i].drug;
        sorted[i].key = i;
    }
    qsort(sorted, n, sizeof(*sorted), cmp_keyref);
    maxd = sorted[n - 1].drug;
    for (p = 0; p + 1 < n && c->rc == MT_OK; p++) {
        uint32_t k = sorted[p].key, partners = n - p - 1, lo, hi;
        const kb_drug *d = mt_kb_drug(c->kb, sorted[p].drug);
        const kb_ixadj *adj;
        if (!d || ks->keys[k].deg == 0)
            continue;
        adj = all + d->interactions.first;
        lo = lower_bound(adj, 0, d->interactions.count, sorted[p].drug + 1);
        hi = maxd == UINT32_MAX ? d->interactions.count : lower_bound(adj, lo, d->interactions.count, maxd + 1);
        if (lo >= hi)
            continue;
        c->res->stat_adj_visits++;
        if ((uint64_t)(hi - lo) <= (uint64_t)partners * log2_ceil(hi - lo)) {
            for (i = lo; i < hi; i++) {
                uint32_t e = keyset_find(ks, adj[i].other);
                c->res->stat_probes++;
                if (e != MT_CHECK_NONE)
                    add_hits(c, ks, k, e, adj[i].rule, out);
            }
        } else {
            for (q = p + 1; q < n && lo < hi; q++) {
                c->res->stat_probes++;
                lo = lower_bound(adj, lo, hi, sorted[q].drug);
                for (i = lo; i < hi && adj[i].other == sorted[q].drug; i++)
                    add_hits(c, ks, k, sorted[q].key, adj[i].rule, out);
            }
        }
    }
}

/* --- step 4a: duplications ----------------------------------------------------------------- */

typedef struct duprec {
    uint32_t ia, ib;
    mt_check_dup d;
} duprec;

typedef struct dups {
    duprec *v; uint32_t n, cap;
} dups;

/* What makes an ingredient part of its input: the record the input resolved by. */
static mt_check_cite input_cite(const ix_check *c, uint32_t input)
{
    return c->inputs[input].cite;
}

static void add_dup(ix_check *c, dups *out, uint32_t i, uint32_t da, uint32_t j, uint32_t db,
                    const mt_check_dup *tmpl)
{
    duprec *r = VEC_PUSH(c, out->v, out->n, out->cap);
    if (!r)
        return;
    r->d = *tmpl;
    if (i < j) {
        r->ia = i; r->ib = j; r->d.drug_a = da; r->d.drug_b = db;
        r->d.name_a = drug_name(c->kb, da); r->d.name_b = drug_name(c->kb, db);
    } else {
        mt_check_cite t = r->d.cite_a;
        r->ia = j; r->ib = i; r->d.drug_a = db; r->d.drug_b = da;
        r->d.name_a = drug_name(c->kb, db); r->d.name_b = drug_name(c->kb, da);
        r->d.cite_a = r->d.cite_b;
        r->d.cite_b = t;
    }
}

/* The same base ingredient from two inputs: NCPDP "ID". */
static void find_ingredient_dups(ix_check *c, const keyset *ks, dups *out)
{
    uint32_t k, a, b;
    for (k = 0; k < ks->nkeys && c->rc == MT_OK; k++) {
        for (a = ks->keys[k].first; a != MT_CHECK_NONE; a = ks->occs[a].next) {
            for (b = ks->occs[a].next; b != MT_CHECK_NONE; b = ks->occs[b].next) {
                const occ *x = &ks->occs[a], *y = &ks->occs[b];
                mt_check_dup t;
                if (x->input == y->input || x->base != ks->keys[k].drug || y->base != ks->keys[k].drug)
                    continue;     /* only under the base's own key: once per pair */
                memset(&t, 0, sizeof(t));
                t.type = MT_DUP_INGREDIENT;
                t.cls = MT_CHECK_NONE;
                t.cite_a = input_cite(c, x->input);
                t.cite_b = input_cite(c, y->input);
                add_dup(c, out, x->input, x->base, y->input, y->base, &t);
            }
        }
    }
}

typedef struct clsmem {       /* an ingredient of an input in a class */
    uint32_t cls, input, base;
    kb_cite  cite;
} clsmem;

static int cmp_clsmem(const void *p, const void *q)
{
    const clsmem *a = p, *b = q;
    if (a->cls != b->cls)
        return a->cls < b->cls ? -1 : 1;
    if (a->input != b->input)
        return a->input < b->input ? -1 : 1;
    return a->base < b->base ? -1 : a->base > b->base;
}

/* Memberships of every input ingredient (and of the drug it was resolved
** as) in the classes want() accepts, sorted by class then input. */
static clsmem *collect_members(ix_check *c, int (*want)(const ix_check *, uint32_t), uint32_t *count)
{
    clsmem *v = NULL;
    uint32_t n = 0, cap = 0, i, j, w, k;

    for (i = 0; i < c->ninputs && c->rc == MT_OK; i++) {
        const mt_check_input *in = &c->inputs[i];
        for (j = 0; j < in->ning; j++) {
            uint32_t drugs[2] = { in->ings[j].base, in->ings[j].drug };
            for (w = 0; w < (drugs[1] != drugs[0] ? 2u : 1u); w++) {
                const kb_drug_class *dcs;
                uint32_t ndc;
                mt_ix_role_members(&c->ix, drugs[w], &dcs, &ndc);
                for (k = 0; k < ndc; k++) {
                    const kb_drug_class *dc = &dcs[k];
                    clsmem *m;
                    if (!want(c, dc->cls))
                        continue;
                    m = VEC_PUSH(c, v, n, cap);
                    if (!m)
                        break;
                    m->cls = dc->cls;
                    m->input = i;
                    m->base = in->ings[j].base;
                    m->cite = dc->cite;
                }
            }
        }
    }
    if (n)
        qsort(v, n, sizeof(*v), cmp_clsmem);
    /* Drop repeats of (class, input, base): a salt and its parent both members. */
    for (i = 0, j = 0; i < n; i++)
        if (j == 0 || v[j - 1].cls != v[i].cls || v[j - 1].input != v[i].input || v[j - 1].base != v[i].base)
            v[j++] = v[i];
    *count = j;
    return v;
}

static int is_epc_class(const ix_check *c, uint32_t cls)
{
    return (mt_ix_class_role(&c->ix, cls) & IX_ROLE_EPC) != 0;
}

/* Two different ingredients of one EPC class in two inputs: NCPDP "TD". */
static void find_class_dups(ix_check *c, dups *out)
{
    uint32_t n, s, e, a, b;
    clsmem *v = collect_members(c, is_epc_class, &n);

    for (s = 0; s < n && c->rc == MT_OK; s = e) {
        const kb_class *cl = mt_kb_class(c->kb, v[s].cls);
        for (e = s; e < n && v[e].cls == v[s].cls; e++)
            ;
        for (a = s; a < e; a++) {
            for (b = a + 1; b < e; b++) {
                mt_check_dup t;
                if (v[a].input == v[b].input || v[a].base == v[b].base)
                    continue;     /* one input, or the same ingredient (that is "ID") */
                memset(&t, 0, sizeof(t));
                t.type = MT_DUP_CLASS;
                t.cls = v[s].cls;
                t.class_type = ix_kstr(c->kb, cl->type);
                t.class_name = ix_kstr(c->kb, cl->name);
                t.class_code = ix_kstr(c->kb, cl->code);
                t.cite_a = ix_cite(c->kb, v[a].cite);
                t.cite_b = ix_cite(c->kb, v[b].cite);
                add_dup(c, out, v[a].input, v[a].base, v[b].input, v[b].base, &t);
            }
        }
    }
}

/* --- step 4b: ANSM class effects --------------------------------------------------------- */

static int is_effect_class(const ix_check *c, uint32_t cls)
{
    return (mt_ix_class_role(&c->ix, cls) >> 8) != IX_EFFECT_NONE;
}

static void find_class_effects(ix_check *c)
{
    uint32_t n, s, e, a, nin, bases;
    clsmem *v = collect_members(c, is_effect_class, &n);
    mt_check_class_effect *fx = NULL;
    uint32_t nfx = 0, capfx = 0;

    for (s = 0; s < n && c->rc == MT_OK; s = e) {
        const kb_class *cl = mt_kb_class(c->kb, v[s].cls);
        mt_check_class_effect *f;
        mt_check_member *mem;
        for (e = s; e < n && v[e].cls == v[s].cls; e++)
            ;
        /* At least two inputs and two different ingredients. */
        for (a = s, nin = 0, bases = 0; a < e; a++) {
            if (a == s || v[a].input != v[a - 1].input)
                nin++;
            if (v[a].base != v[s].base)
                bases = 1;
        }
        if (nin < 2 || !bases)
            continue;
        f = VEC_PUSH(c, fx, nfx, capfx);
        mem = ix_alloc(c, e - s, sizeof(*mem));
        if (!f || !mem)
            break;
        f->effect = mt_ix_effect_name(mt_ix_class_role(&c->ix, v[s].cls) >> 8);
        f->cls = v[s].cls;
        f->class_name = ix_kstr(c->kb, cl->name);
        f->class_cite = ix_cite(c->kb, cl->cite);
        f->members = mem;
        for (a = s; a < e; a++) {
            if (a > s && v[a].input == v[a - 1].input)
                continue;         /* one member per input: its first ingredient in the class */
            mem[f->nmembers].input = v[a].input;
            mem[f->nmembers].drug = v[a].base;
            mem[f->nmembers].name = drug_name(c->kb, v[a].base);
            mem[f->nmembers].cite = ix_cite(c->kb, v[a].cite);
            f->nmembers++;
        }
    }
    c->res->effects = fx;
    c->res->neffects = nfx;
}

/* --- step 4c: anticholinergic burden -------------------------------------------------------- */

/* One score per ingredient. The sum threshold of 3 comes from the ACB scale
** (Boustani 2008), so its score is used where it lists the drug; then the
** ACB calculator (same 0-3 scale, updated); then the consensus columns
** (majority vote over the nine scales, Kiesel's vote); then single scales.
** The result names the scale used for each drug. */
static const char *const acb_scales[] = {
    "Boustani2008", "ACBcalc", "MajVote", "KieselVote", "Rudolph2008", "Carnahan2006",
    "Ancelin2006", "Ehrt2010", "Sittironnarit2011", "Bishara2020"
};
#define N_SCALES (sizeof(acb_scales) / sizeof(acb_scales[0]))

static int scale_rank(const char *scale)
{
    size_t i;
    for (i = 0; i < N_SCALES; i++)
        if (strcmp(scale, acb_scales[i]) == 0)
            return (int)i;
    return (int)N_SCALES;     /* a scale this table does not list: last */
}

static const kb_acb *best_acb(const mt_kb *kb, uint32_t drug)
{
    const kb_drug *d = mt_kb_drug(kb, drug);
    const kb_acb *all = mt_kb_acbs(kb, NULL), *best = NULL;
    int best_rank = 0;
    uint32_t i;
    if (!d)
        return NULL;
    for (i = 0; i < d->acbs.count; i++) {
        const kb_acb *a = &all[d->acbs.first + i];
        int r = scale_rank(mt_kb_str(kb, a->scale));
        if (!best || r < best_rank) {
            best = a;
            best_rank = r;
        }
    }
    return best;
}

static void compute_acb(ix_check *c)
{
    mt_check_acb *acb = &c->res->acb;
    mt_check_member *items = ix_alloc(c, c->ningtotal + 1, sizeof(*items));
    uint32_t *unscored = ix_alloc(c, c->ninputs + 1, sizeof(uint32_t));
    uint32_t i, j, k;

    acb->threshold = c->opts.acb_threshold;
    if (!items || !unscored)
        return;
    for (i = 0; i < c->ninputs; i++) {
        const mt_check_input *in = &c->inputs[i];
        int scored = 0;
        if (in->how == MT_CHECK_UNRESOLVED)
            continue;
        for (j = 0; j < in->ning; j++) {
            const kb_acb *a = best_acb(c->kb, in->ings[j].base);
            if (!a && in->ings[j].drug != in->ings[j].base)
                a = best_acb(c->kb, in->ings[j].drug);
            if (!a)
                continue;
            scored = 1;
            for (k = 0; k < acb->nitems; k++)
                if (items[k].drug == in->ings[j].base)
                    break;
            if (k < acb->nitems)
                continue;         /* the same ingredient counts once */
            items[k].input = i;
            items[k].drug = in->ings[j].base;
            items[k].name = in->ings[j].name;
            items[k].score = a->score;
            items[k].scale = ix_kstr(c->kb, a->scale);
            items[k].cite = ix_cite(c->kb, a->cite);
            acb->total += a->score;
            acb->nitems++;
        }
        if (!scored)
            unscored[acb->nunscored++] = i;
    }
    acb->items = items;
    acb->unscored = unscored;
    acb->alert = acb->total >= acb->threshold;
}

/* --- step 4d: coverage ---------------------------------------------------------------------- */

typedef struct cover_ctx {
    ix_check *c;
    uint32_t  input;
    uint8_t  *mark;           /* [source * ninputs + input] */
} cover_ctx;

static void cover_one(void *user, uint32_t source)
{
    cover_ctx *cc = user;
    if (ALWAYS(source < cc->c->nsources))
        cc->mark[(size_t)source * cc->c->ninputs + cc->input] = 1;
}

static int is_ix_source_kind(const char *kind)
{
    return strcmp(kind, "clinical-interactions") == 0 || strcmp(kind, "harm-reduction") == 0;
}

static void compute_coverage(ix_check *c)
{
    mt_check_result *r = c->res;
    uint32_t ns = c->nsources, i, j, s, n;
    uint8_t *mark = ix_alloc(c, (size_t)ns * c->ninputs + 1, 1);
    uint8_t *used = ix_alloc(c, ns + 1, 1);
    mt_check_source *src;
    uint32_t *unres, *uncov;
    cover_ctx cc;

    unres = ix_alloc(c, c->ninputs, sizeof(uint32_t));
    uncov = ix_alloc(c, c->ninputs, sizeof(uint32_t));
    if (!mark || !used || !unres || !uncov)
        return;
    cc.c = c;
    cc.mark = mark;
    for (i = 0; i < c->ninputs; i++) {
        mt_check_input *in = &c->inputs[i];
        cc.input = i;
        for (j = 0; j < in->ning; j++) {
            mt_check_ing *g = (mt_check_ing *)&in->ings[j];
            const kb_drug *b = mt_kb_drug(c->kb, g->base), *d = mt_kb_drug(c->kb, g->drug);
            g->covered = (b && b->interactions.count) || (d && d->interactions.count);
            if (b && b->interactions.count)
                mt_ix_sources_of(&c->ix, g->base, cover_one, &cc);
            if (g->drug != g->base && d && d->interactions.count)
                mt_ix_sources_of(&c->ix, g->drug, cover_one, &cc);
            if (g->covered)
                in->covered = 1;
        }
        if (in->how == MT_CHECK_UNRESOLVED)
            unres[r->nunresolved++] = i;
        else if (!in->covered)
            uncov[r->nuncovered++] = i;
        if (in->how != MT_CHECK_UNRESOLVED)
            r->nresolved++;
    }
    /* Sources: every source of an interaction kind, and any other whose rules
    ** touch an input (a built-in vocabulary, a future source kind). */
    for (s = 0, n = 0; s < ns; s++) {
        const kb_source *ks = mt_kb_source(c->kb, s);
        used[s] = is_ix_source_kind(mt_kb_str(c->kb, ks->kind));
        for (i = 0; i < c->ninputs && !used[s]; i++)
            used[s] = mark[(size_t)s * c->ninputs + i];
        n += used[s];
    }
    src = ix_alloc(c, n + 1, sizeof(*src));
    if (!src)
        return;
    for (s = 0, n = 0; s < ns; s++) {
        const kb_source *ks = mt_kb_source(c->kb, s);
        uint32_t *cov, k = 0;
        if (!used[s])
            continue;
        cov = ix_alloc(c, c->ninputs, sizeof(uint32_t));
        if (!cov)
            return;
        for (i = 0; i < c->ninputs; i++)
            if (mark[(size_t)s * c->ninputs + i])
                cov[k++] = i;
        src[n].source = s;
        src[n].id = ix_kstr(c->kb, ks->id);
        src[n].name = ix_kstr(c->kb, ks->name);
        src[n].edition = ix_kstr(c->kb, ks->edition);
        src[n].kind = ix_kstr(c->kb, ks->kind);
        src[n].covers = cov;
        src[n].ncovers = k;
        n++;
    }
    r->sources = src;
    r->nsources = n;
    r->unresolved = unres;
    r->uncovered = uncov;
}

/* --- step 5: findings ----------------------------------------------------------------------- */

static int cmp_hit(const void *p, const void *q)
{
    const hit *a = p, *b = q;
    if (a->ia != b->ia) return a->ia < b->ia ? -1 : 1;
    if (a->ib != b->ib) return a->ib < b->ib ? -1 : 1;
    if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
    if (a->da != b->da) return a->da < b->da ? -1 : 1;
    return a->db < b->db ? -1 : a->db > b->db;
}

static int cmp_duprec(const void *p, const void *q)
{
    const duprec *a = p, *b = q;
    if (a->ia != b->ia) return a->ia < b->ia ? -1 : 1;
    if (a->ib != b->ib) return a->ib < b->ib ? -1 : 1;
    if (a->d.type != b->d.type) return a->d.type < b->d.type ? -1 : 1;
    if (a->d.cls != b->d.cls) return a->d.cls < b->d.cls ? -1 : 1;
    if (a->d.drug_a != b->d.drug_a) return a->d.drug_a < b->d.drug_a ? -1 : 1;
    return a->d.drug_b < b->d.drug_b ? -1 : a->d.drug_b > b->d.drug_b;
}

/* Evidence order: clinical before harm-reduction, then most severe, then
** interruptive first, then source and rule (stable output). */
static int cmp_ev(const void *p, const void *q)
{
    const mt_check_evidence *a = p, *b = q;
    int ha = a->kind == MT_IX_HARM_REDUCTION, hb = b->kind == MT_IX_HARM_REDUCTION;
    if (ha != hb) return ha - hb;
    if (a->severity != b->severity) return a->severity > b->severity ? -1 : 1;
    if ((a->tier == MT_TIER_INTERRUPTIVE) != (b->tier == MT_TIER_INTERRUPTIVE))
        return a->tier == MT_TIER_INTERRUPTIVE ? -1 : 1;
    if (a->rule != b->rule) return a->rule < b->rule ? -1 : 1;
    if (a->drug_a != b->drug_a) return a->drug_a < b->drug_a ? -1 : 1;
    return a->drug_b < b->drug_b ? -1 : a->drug_b > b->drug_b;
}

/* The NCPDP reason code a non-drug interactant implies (OH for alcohol, DS
** for tobacco, DF for foods and drinks; ixindex.h), NULL for a drug. */
static const char *nondrug_code(const ix_check *c, uint32_t drug)
{
    return mt_ix_dur_name(mt_ix_drug_dur(&c->ix, drug));
}

static void add_code(const char **codes, uint32_t *n, const char *code)
{
    uint32_t i;
    if (!code)
        return;
    for (i = 0; i < *n; i++)
        if (strcmp(codes[i], code) == 0)
            return;
    codes[(*n)++] = code;
}

static void fill_evidence(ix_check *c, mt_check_evidence *ev, const hit *h)
{
    const kb_ixrule *r = mt_kb_ixrule(c->kb, h->rule);
    memset(ev, 0, sizeof(*ev));
    ev->rule = h->rule;
    ev->drug_a = h->ra;
    ev->drug_b = h->rb;
    ev->name_a = drug_name(c->kb, h->ra);
    ev->name_b = drug_name(c->kb, h->rb);
    if (NEVER(!r))
        return;
    ev->kind = r->kind;
    ev->severity = r->severity;
    ev->tier = r->tier;
    ev->level = ix_kstr(c->kb, r->level);
    ev->a_label = ix_kstr(c->kb, r->a_label);
    ev->b_label = ix_kstr(c->kb, r->b_label);
    ev->dur = ix_kstr(c->kb, r->dur);
    ev->effect = ix_kstr(c->kb, r->effect);
    ev->mechanism = ix_kstr(c->kb, r->mechanism);
    ev->management = ix_kstr(c->kb, r->management);
    ev->lang = ix_kstr(c->kb, r->lang);
    ev->cite = ix_cite(c->kb, r->cite);
    if (r->text_cite.record)
        ev->text_cite = ix_cite(c->kb, r->text_cite);
}

/* Disagreement is between sources, each taken at its most severe grading of
** the pair: one source's specific rule and its broader class rule (ANSM's
** "IMAO-A + ISRS" and "serotonergic + other serotonergic") are not two
** opinions. Ungraded reports do not count. */
static int sources_disagree(const mt_check_finding *f)
{
    const char *src[32];
    int best[32];
    uint32_t n = 0, i, k;

    for (i = 0; i < f->nev; i++) {
        const mt_check_evidence *e = &f->ev[i];
        const char *id = e->cite.source ? e->cite.source : "";
        if (e->kind == MT_IX_HARM_REDUCTION || e->severity == MT_SEV_UNKNOWN)
            continue;
        for (k = 0; k < n && strcmp(src[k], id) != 0; k++)
            ;
        if (k == n) {
            if (n == sizeof(src) / sizeof(src[0]))
                continue;
            src[n] = id;
            best[n++] = e->severity;
        } else if (e->severity > best[k]) {
            best[k] = e->severity;
        }
    }
    for (k = 1; k < n; k++)
        if (best[k] != best[0])
            return 1;
    return 0;
}

static void summarize(ix_check *c, mt_check_finding *f)
{
    const char **codes = ix_alloc(c, f->nev + 4, sizeof(char *));
    uint32_t i, ncodes = 0;

    f->severity = f->hr_severity = MT_CHECK_SEV_NONE;
    f->tier = MT_TIER_DEFAULT;
    if (!codes)
        return;
    f->disagreement = (uint8_t)sources_disagree(f);
    for (i = 0; i < f->nev; i++) {
        const mt_check_evidence *e = &f->ev[i];
        const char *nd;
        if (e->kind == MT_IX_HARM_REDUCTION) {
            if (e->severity > f->hr_severity)
                f->hr_severity = e->severity;
        } else if (e->severity > f->severity) {
            f->severity = e->severity;
        }
        if (e->tier == MT_TIER_INTERRUPTIVE)
            f->tier = MT_TIER_INTERRUPTIVE;
        else if (e->tier == MT_TIER_NONINTERRUPTIVE && f->tier == MT_TIER_DEFAULT)
            f->tier = MT_TIER_NONINTERRUPTIVE;
        nd = nondrug_code(c, e->drug_a);
        if (!nd)
            nd = nondrug_code(c, e->drug_b);
        add_code(codes, &ncodes, nd ? nd : e->dur ? e->dur : "DD");
    }
    for (i = 0; i < f->ndups; i++)
        add_code(codes, &ncodes, f->dups[i].type == MT_DUP_INGREDIENT ? "ID" : "TD");
    f->dur = codes;
    f->ndur = ncodes;
    f->rank = f->severity > f->hr_severity ? f->severity : f->hr_severity;
}

/* Finding order: rank, then a rank set by a clinical source before one set
** by a harm-reduction source, then interruptive first, then interactions
** before duplications, then input order. */
static int cmp_finding(const void *p, const void *q)
{
    const mt_check_finding *a = p, *b = q;
    int ca = a->severity != MT_CHECK_SEV_NONE && a->severity == a->rank;
    int cb = b->severity != MT_CHECK_SEV_NONE && b->severity == b->rank;
    if (a->rank != b->rank) return a->rank > b->rank ? -1 : 1;
    if (ca != cb) return cb - ca;
    if ((a->tier == MT_TIER_INTERRUPTIVE) != (b->tier == MT_TIER_INTERRUPTIVE))
        return a->tier == MT_TIER_INTERRUPTIVE ? -1 : 1;
    if ((a->nev > 0) != (b->nev > 0)) return a->nev > 0 ? -1 : 1;
    if (a->input_a != b->input_a) return a->input_a < b->input_a ? -1 : 1;
    return a->input_b < b->input_b ? -1 : a->input_b > b->input_b;
}

static void build_findings(ix_check *c, hits *hs, dups *ds)
{
    uint32_t i = 0, j = 0, nf = 0, cap, k;
    mt_check_finding *fs;

    if (hs->n)
        qsort(hs->v, hs->n, sizeof(hit), cmp_hit);
    if (ds->n)
        qsort(ds->v, ds->n, sizeof(duprec), cmp_duprec);
    /* Drop exact repeats: a rule reached through a salt and through its parent. */
    for (k = 0; k < hs->n; k++)
        if (j == 0 || cmp_hit(&hs->v[j - 1], &hs->v[k]) != 0)
            hs->v[j++] = hs->v[k];
    hs->n = j;
    for (j = 0, k = 0; k < ds->n; k++)
        if (j == 0 || cmp_duprec(&ds->v[j - 1], &ds->v[k]) != 0)
            ds->v[j++] = ds->v[k];
    ds->n = j;

    cap = hs->n + ds->n + 1;
    fs = ix_alloc(c, cap, sizeof(*fs));
    if (!fs)
        return;
    i = j = 0;
    while ((i < hs->n || j < ds->n) && c->rc == MT_OK) {
        uint32_t ia, ib, hi, dj;
        mt_check_finding *f = &fs[nf++];
        mt_check_evidence *ev;
        mt_check_dup *du;
        if (j >= ds->n || (i < hs->n && (hs->v[i].ia < ds->v[j].ia ||
                                         (hs->v[i].ia == ds->v[j].ia && hs->v[i].ib <= ds->v[j].ib)))) {
            ia = hs->v[i].ia;
            ib = hs->v[i].ib;
        } else {
            ia = ds->v[j].ia;
            ib = ds->v[j].ib;
        }
        for (hi = i; hi < hs->n && hs->v[hi].ia == ia && hs->v[hi].ib == ib; hi++)
            ;
        for (dj = j; dj < ds->n && ds->v[dj].ia == ia && ds->v[dj].ib == ib; dj++)
            ;
        f->input_a = ia;
        f->input_b = ib;
        ev = ix_alloc(c, hi - i + 1, sizeof(*ev));
        du = ix_alloc(c, dj - j + 1, sizeof(*du));
        if (!ev || !du)
            break;
        for (k = i; k < hi; k++)
            fill_evidence(c, &ev[k - i], &hs->v[k]);
        if (hi > i)
            qsort(ev, hi - i, sizeof(*ev), cmp_ev);
        for (k = j; k < dj; k++)
            du[k - j] = ds->v[k].d;
        f->ev = ev;
        f->nev = hi - i;
        f->dups = du;
        f->ndups = dj - j;
        summarize(c, f);
        i = hi;
        j = dj;
    }
    if (nf)
        qsort(fs, nf, sizeof(*fs), cmp_finding);
    c->res->findings = fs;
    c->res->nfindings = nf;
}

/* --- the entry point ---------------------------------------------------------------------------- */

int mt_check(const mt_kb *kb, const char *const *inputs, size_t n,
             const mt_check_opts *opts, mt_check_result *result)
{
    ix_check c;
    keyset ks;
    hits hs;
    dups ds;
    mt_arena *A = NULL;
    size_t i;
    int rc;

    if (result)
        memset(result, 0, sizeof(*result));
    if (!kb || !inputs || !result || n == 0)
        return MT_EINVAL;
    if (n > MT_CHECK_MAX_INPUTS)
        return MT_ELIMIT;
    for (i = 0; i < n; i++)
        if (!inputs[i])
            return MT_EINVAL;

    A = mt_malloc(sizeof(*A));
    if (!A)
        return MT_ENOMEM;
    memset(&c, 0, sizeof(c));
    memset(&ks, 0, sizeof(ks));
    memset(&hs, 0, sizeof(hs));
    memset(&ds, 0, sizeof(ds));
    if (opts)
        c.opts = *opts;
    if (c.opts.acb_threshold <= 0)
        c.opts.acb_threshold = MT_CHECK_ACB_THRESHOLD;
    if (c.opts.mem_limit == 0)
        c.opts.mem_limit = MT_CHECK_MEM_LIMIT;
    mt_arena_init(A, 64 * 1024, c.opts.mem_limit);
    c.A = A;
    c.kb = kb;
    mt_ix_index_load(kb, &c.ix);
    c.res = result;
    c.rc = MT_OK;
    c.nsources = mt_kb_count(kb, KB_T_SOURCES);
    c.ninputs = (uint32_t)n;
    c.inputs = ix_alloc(&c, n, sizeof(mt_check_input));
    if (!c.inputs)
        goto done;

    for (i = 0; i < n && c.rc == MT_OK; i++) {
        ix_resolve(&c, inputs[i], &c.inputs[i]);
        c.ningtotal += c.inputs[i].ning;
    }
    if (c.rc != MT_OK)
        goto done;
    keyset_build(&c, &ks);
    if (c.rc == MT_OK)
        find_interactions(&c, &ks, &hs);
    if (c.rc == MT_OK)
        find_ingredient_dups(&c, &ks, &ds);
    if (c.rc == MT_OK)
        find_class_dups(&c, &ds);
    if (c.rc == MT_OK)
        build_findings(&c, &hs, &ds);
    if (c.rc == MT_OK)
        find_class_effects(&c);
    if (c.rc == MT_OK)
        compute_acb(&c);
    if (c.rc == MT_OK)
        compute_coverage(&c);
    result->stat_keys = ks.nkeys;
done:
    if (c.search_owned)
        mt_search_results_free(c.search);
    rc = c.rc;
    if (rc != MT_OK) {
        mt_arena_free(A);
        mt_free(A);
        memset(result, 0, sizeof(*result));
        return rc;
    }
    result->inputs = c.inputs;
    result->ninputs = c.ninputs;
    result->kb = kb;
    result->priv_ = A;
    return MT_OK;
}

void mt_check_result_free(mt_check_result *result)
{
    if (!result)
        return;
    if (result->priv_) {
        mt_arena_free(result->priv_);
        mt_free(result->priv_);
    }
    memset(result, 0, sizeof(*result));
}

/* --- names ---------------------------------------------------------------------------------------- */

const char *mt_check_severity_name(int severity)
{
    static const char *const names[] = { "unknown", "minor", "moderate", "major", "contraindicated" };
    if (severity == MT_CHECK_SEV_NONE)
        return "none";
    return severity >= 0 && severity <= MT_SEV_CONTRAINDICATED ? names[severity] : "unknown";
}

const char *mt_check_tier_name(int tier)
{
    return tier == MT_TIER_INTERRUPTIVE ? "interruptive"
         : tier == MT_TIER_NONINTERRUPTIVE ? "non_interruptive" : "default";
}

const char *mt_check_kind_name(int kind)
{
    switch (kind) {
    case MT_IX_CLINICAL:       return "clinical";
    case MT_IX_HARM_REDUCTION: return "harm_reduction";
    case MT_IX_PAIR_ONLY:      return "pair_only";
    case MT_IX_ALERT_POLICY:   return "alert_policy";
    default:                   return "unknown";
    }
}

const char *mt_check_how_name(int how)
{
    switch (how) {
    case MT_CHECK_BY_NAME:  return "name";
    case MT_CHECK_BY_RXCUI: return "rxcui";
    case MT_CHECK_BY_NDC:   return "ndc";
    case MT_CHECK_BY_CODE:  return "code";
    default:                return "unresolved";
    }
}
