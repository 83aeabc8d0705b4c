/*
** rxnorm_rrf.c — importer of an RxNorm release as NLM publishes it (the Full
** release or the Current Prescribable Content: rrf/RXNCONSO.RRF, RXNREL.RRF,
** RXNSAT.RRF), `materia build --source rxnorm-rrf=DIR`.
**
** The files are pipe-delimited, every field followed by '|' (RXNCONSO 18
** fields, RXNREL 16, RXNSAT 13, NLM's technical documentation). Only rows of
** SAB=RXNORM that are not suppressed (SUPPRESS=N) are read, and from
** RXNCONSO the MTHSPL substance atoms (TTY=SU), whose CODE is the FDA UNII
** of the concept they belong to; nothing of the other sources (whose use
** needs a UMLS licence) is read. The release is read in three passes:
**
** 1. RXNCONSO: the concepts whose term type matters — ingredients (IN, PIN,
**    MIN), products (SCD, SBD, GPCK, BPCK), brands (BN) and clinical drug
**    components (SCDC, the step from a product to its ingredients).
**    Ingredients join the bundled drugs by RxCUI, then UNII, then by the own
**    name of a drug of the same kind (an RxCUI remapped since the bundled
**    extract); the rest are created, cited "RXCUI 6130 (RXNCONSO.RRF)".
** 2. RXNREL: the relationships between those concepts, read by the term types
**    of their two ends (each is listed once in each direction): SCD
**    consists_of SCDC, SCDC has_ingredient IN / has_precise_ingredient PIN,
**    PIN form_of IN (a salt's parent), SCD has_ingredients MIN, SBD
**    tradename_of SCD, SBD has_ingredient BN, packs contain SCD/SBD. Products
**    are made (deduplicated by RxCUI with the bundled ones), linked to their
**    ingredients as the bundled importer links them, and each SBD's brand
**    name goes to the drugs of its product, the MIN first.
** 3. RXNSAT: NDC (SAB=RXNORM, 11 digits) on products; DCSA (the DEA
**    schedule the FDA label states, SAB=MTHSPL) onto the ingredient of a
**    single-ingredient product — a combination can be scheduled differently
**    from its ingredients, so none is guessed; SPL_SET_ID, kept for the merge
**    (labels joined through their product, official.c).
**
** A row with the wrong number of fields, an RxCUI that is not a number or an
** NDC that is not 11 digits is an error "file:line: reason": a truncated file
** ends in such a row.
*/
#include "import/rxnorm_rrf.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/pill_join.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/hmap.h"
#include "util/text.h"

#define CONSO_FIELDS 18
#define REL_FIELDS   16
#define SAT_FIELDS   13
#define RRF_MAX_FIELDS 20
#define PROGRESS_EVERY 65536UL

/* Term types read; T_NONE for the others. */
enum { T_NONE, T_IN, T_PIN, T_MIN, T_SCD, T_SBD, T_GPCK, T_BPCK, T_BN, T_SCDC };
static const char *const tty_names[] = { "", "IN", "PIN", "MIN", "SCD", "SBD", "GPCK", "BPCK", "BN", "SCDC" };
#define NTTY (sizeof(tty_names) / sizeof(tty_names[0]))

/* Relationships kept, as (a, b) pairs of concepts. */
enum { K_SCD_SCDC, K_SCDC_ING, K_PIN_IN, K_SCD_MIN, K_SBD_SCD, K_SBD_BN, K_PACK_PROD, NKINDS };

typedef struct rrf_concept {
    uint32_t    rxcui;
    uint8_t     tty;
    const char *name;         /* in the state's arena */
    const char *unii;         /* from an MTHSPL SU atom, or NULL */
    mdl_ref     ref;          /* drug (IN, PIN, MIN) or product (SCD, SBD, GPCK, BPCK) */
} rrf_concept;

typedef struct rrf_edge { uint32_t a, b; } rrf_edge;

typedef struct rrf_su { uint32_t rxcui; const char *unii; } rrf_su;

typedef struct rrf_edges {
    rrf_edge *items;
    size_t    n, cap;
} rrf_edges;

typedef struct rrf_state {
    mt_import_ctx *ctx;
    mdl           *m;
    rrf_splmap    *spl;
    mt_arena       arena;
    mt_hmap        by_rxcui;      /* decimal RxCUI -> concept index */
    rrf_concept   *c;
    size_t         nc, capc;
    rrf_su        *su;            /* MTHSPL substance atoms */
    size_t         nsu, capsu;
    rrf_edges      e[NKINDS];
    mt_hmap        sched_seen;    /* "drug|schedule" already stated */
    /* product -> linked drugs, over the whole model (built before brands and schedules) */
    uint32_t      *pstart;
    mdl_ref       *pdrugs;
    /* statistics */
    unsigned long  products_new, products_seen, links, ndcs, brands, schedules,
                   sched_multi, sched_unknown, setids, by_name, by_unii, parents;
} rrf_state;

static void note(mt_import_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(mt_import_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (!ctx->warn)
        return;
    va_start(ap, fmt);
    mt_buf_vprintf(ctx->warn, fmt, ap);
    va_end(ap);
    mt_buf_putc(ctx->warn, '\n');
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    size_t newcap;
    void *p;
    if (n < *cap)
        return MT_OK;
    newcap = *cap ? *cap * 2 : 4096;
    p = mt_reallocarray(*items, newcap, size);
    if (!p)
        return MT_ENOMEM;
    *items = p;
    *cap = newcap;
    return MT_OK;
}

/* --- the set-id map ---------------------------------------------------------- */

void rrf_splmap_init(rrf_splmap *s)
{
    memset(s, 0, sizeof(*s));
    mt_arena_init(&s->arena, 256 * 1024, 0);
}

void rrf_splmap_free(rrf_splmap *s)
{
    mt_free(s->items);
    mt_arena_free(&s->arena);
    memset(s, 0, sizeof(*s));
}

static int cmp_splset(const void *a, const void *b)
{
    const rrf_splset *x = a, *y = b;
    int r = strcmp(x->setid, y->setid);
    if (r)
        return r;
    return x->product < y->product ? -1 : x->product > y->product;
}

size_t rrf_splmap_find(const rrf_splmap *s, const char *setid, size_t *first)
{
    char key[64];
    size_t lo = 0, hi = s->n, i, n;
    for (i = 0; setid[i] && i + 1 < sizeof(key); i++)
        key[i] = (char)tolower((unsigned char)setid[i]);
    key[i] = '\0';
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(s->items[mid].setid, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (n = 0; lo + n < s->n && strcmp(s->items[lo + n].setid, key) == 0; n++)
        ;
    *first = lo;
    return n;
}

static int splmap_push(rrf_splmap *s, const char *setid, mdl_ref product)
{
    char key[64];
    size_t i;
    int rc;
    for (i = 0; setid[i] && i + 1 < sizeof(key); i++)
        key[i] = (char)tolower((unsigned char)setid[i]);
    key[i] = '\0';
    if ((rc = grow((void **)&s->items, &s->cap, s->n, sizeof(*s->items))) != MT_OK)
        return rc;
    if (!(s->items[s->n].setid = mt_arena_strdup(&s->arena, key)))
        return MT_ENOMEM;
    s->items[s->n].product = product;
    s->n++;
    return MT_OK;
}

/* --- reading rows ------------------------------------------------------------- */

/* Splits an RRF line in place: exactly `want` fields, each ended by '|'. */
static int split(mt_srcfile *f, char *line, size_t len, char **fields, size_t want)
{
    size_t n = 0;
    char *p = line, *end = line + len;
    if (len && end[-1] == '\r')
        *--end = '\0';
    while (p < end) {
        char *bar = memchr(p, '|', (size_t)(end - p));
        if (!bar)
            break;
        if (n < want)
            fields[n] = p;
        n++;
        *bar = '\0';
        p = bar + 1;
    }
    if (n != want || p != end)
        return mt_src_fail(f, MT_EFORMAT, "expected %zu fields each ended by '|', found %zu%s "
                           "(a truncated or damaged file?)", want, n, p != end ? " and text after the last '|'" : "");
    return MT_OK;
}

/* An RxCUI: 1 to 10 digits, not zero, fits 32 bits; 0 when malformed. */
static uint32_t parse_rxcui(const char *s)
{
    unsigned long long v = 0;
    size_t i;
    for (i = 0; s[i]; i++) {
        if (!isdigit((unsigned char)s[i]) || i >= 10)
            return 0;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    return v > UINT32_MAX ? 0 : (uint32_t)v;
}

static int concept_of(const rrf_state *st, uint32_t rxcui, uint32_t *idx)
{
    char key[16];
    int n = snprintf(key, sizeof(key), "%u", rxcui);
    return mt_hmap_get(&st->by_rxcui, key, (size_t)n, idx);
}

static void progress(rrf_state *st, const char *what, unsigned long line)
{
    if (st->ctx->progress && line % PROGRESS_EVERY == 0)
        st->ctx->progress(st->ctx->progress_user, what, line, 0);
}

typedef int (*row_fn)(rrf_state *st, mt_srcfile *f, char **fields);

/* Reads every row of dir/name with `want` fields. */
static int read_rrf(rrf_state *st, const char *name, size_t want, row_fn fn)
{
    mt_srcfile f;
    char *line, *fields[RRF_MAX_FIELDS];
    size_t len;
    int rc = mt_src_open(&f, st->ctx->dir, name, st->ctx->err);
    if (rc != MT_OK)
        return rc;
    while ((rc = mt_src_getline(&f, &line, &len)) == MT_OK) {
        if ((rc = split(&f, line, len, fields, want)) != MT_OK || (rc = fn(st, &f, fields)) != MT_OK)
            break;
        progress(st, name, f.line);
    }
    if (rc == MT_ENOTFOUND)
        rc = f.line ? MT_OK : mt_src_fail(&f, MT_EFORMAT, "empty file");
    mt_src_close(&f);
    return rc;
}

/* --- pass 1: RXNCONSO ----------------------------------------------------------- */

static int on_conso(rrf_state *st, mt_srcfile *f, char **x)
{
    /* RXCUI LAT TS LUI STT SUI ISPREF RXAUI SAUI SCUI SDUI SAB TTY CODE STR SRL SUPPRESS CVF */
    const char *sab = x[11], *tty = x[12], *code = x[13], *str = x[14], *sup = x[16];
    uint32_t rxcui = parse_rxcui(x[0]), idx;
    size_t t;
    int rc;

    if (!rxcui)
        return mt_src_fail(f, MT_EFORMAT, "RXCUI \"%.20s\" is not a number", x[0]);
    if (strcmp(sup, "N") != 0)
        return MT_OK;
    if (strcmp(sab, "MTHSPL") == 0 && strcmp(tty, "SU") == 0) {
        /* The substance's UNII, for the RxNorm concept it belongs to. */
        if (strlen(code) != 10 || !mt_utf8_valid(code, 10))
            return MT_OK;
        if ((rc = grow((void **)&st->su, &st->capsu, st->nsu, sizeof(*st->su))) != MT_OK)
            return rc;
        st->su[st->nsu].rxcui = rxcui;
        if (!(st->su[st->nsu].unii = mt_arena_strdup(&st->arena, code)))
            return MT_ENOMEM;
        st->nsu++;
        return MT_OK;
    }
    if (strcmp(sab, "RXNORM") != 0)
        return MT_OK;
    for (t = 1; t < NTTY; t++)
        if (strcmp(tty, tty_names[t]) == 0)
            break;
    if (t == NTTY)
        return MT_OK;                    /* synonyms, dose forms, groups */
    if (!*str || strlen(str) > 3000 || !mt_utf8_valid(str, strlen(str)))
        return mt_src_fail(f, MT_EFORMAT, "RXCUI %u: empty, overlong or invalid STR", rxcui);
    if (concept_of(st, rxcui, &idx) == MT_OK)
        return MT_OK;                    /* one normal form per concept; the first is kept */
    if ((rc = grow((void **)&st->c, &st->capc, st->nc, sizeof(*st->c))) != MT_OK)
        return rc;
    {
        char key[16];
        int n = snprintf(key, sizeof(key), "%u", rxcui);
        const char *k = mt_arena_strndup(&st->arena, key, (size_t)n);
        rrf_concept *c = &st->c[st->nc];
        memset(c, 0, sizeof(*c));
        c->rxcui = rxcui;
        c->tty = (uint8_t)t;
        c->ref = MDL_NONE;
        c->name = mt_arena_strdup(&st->arena, str);
        if (!k || !c->name)
            return MT_ENOMEM;
        if ((rc = mt_hmap_put(&st->by_rxcui, k, (size_t)n, (uint32_t)st->nc)) != MT_OK)
            return rc;
    }
    st->nc++;
    return MT_OK;
}

/* The UNII of each concept: its first MTHSPL substance atom. */
static void assign_uniis(rrf_state *st)
{
    size_t i;
    for (i = 0; i < st->nsu; i++) {
        uint32_t idx;
        if (concept_of(st, st->su[i].rxcui, &idx) == MT_OK && !st->c[idx].unii)
            st->c[idx].unii = st->su[i].unii;
    }
}

static int same_key(const char *a, const char *b)
{
    char ka[512], kb[512];
    mt_text_key(a, ka, sizeof(ka));
    mt_text_key(b, kb, sizeof(kb));
    return strcmp(ka, kb) == 0;
}

/* Ingredients: joined by RxCUI, UNII, then the own name of a drug of the same
** kind; else created. */
static int make_drugs(rrf_state *st)
{
    mdl *m = st->m;
    mdl_source *src = &m->sources.items[st->ctx->src];
    size_t i;
    int rc = MT_OK;

    for (i = 0; i < st->nc && rc == MT_OK; i++) {
        rrf_concept *c = &st->c[i];
        mt_drug_kind kind;
        mdl_keys k;
        mdl_ref d;
        mdl_cite cite;

        if (c->tty == T_IN)
            kind = MT_DRUG_INGREDIENT;
        else if (c->tty == T_PIN)
            kind = MT_DRUG_PRECISE;
        else if (c->tty == T_MIN)
            kind = MT_DRUG_MULTI;
        else
            continue;
        src->rows++;
        cite = mdl_cite_make(m, st->ctx->src, "RXCUI %u (RXNCONSO.RRF)", c->rxcui);
        memset(&k, 0, sizeof(k));
        k.rxcui = c->rxcui;
        if (mdl_drug_find(m, &k, &d) == MT_OK) {
            src->matched++;
        } else if ((k.unii = c->unii) != NULL && mdl_drug_find(m, &k, &d) == MT_OK) {
            char v[16];
            src->matched++;
            st->by_unii++;
            snprintf(v, sizeof(v), "%u", c->rxcui);
            rc = mdl_ident_add(m, d, MT_ID_RXCUI, v, cite);
        } else if (mdl_drug_find_name(m, c->name, &d) == MT_OK && m->drugs.items[d].kind == kind &&
                   m->drugs.items[d].rxcui && same_key(m->drugs.items[d].name, c->name)) {
            char v[16];
            src->matched++;
            st->by_name++;
            snprintf(v, sizeof(v), "%u", c->rxcui);
            rc = mdl_ident_add(m, d, MT_ID_RXCUI, v, cite);
        } else {
            k.unii = c->unii;
            rc = mdl_drug_add(m, c->name, kind, &k, 0, cite, &d);
            src->unmatched++;
        }
        if (rc == MT_OK && c->unii && !m->drugs.items[d].unii)
            rc = mdl_ident_add(m, d, MT_ID_UNII, c->unii, cite);
        c->ref = d;
    }
    return rc;
}

/* --- pass 2: RXNREL -------------------------------------------------------------- */

static int edge_push(rrf_edges *e, uint32_t a, uint32_t b)
{
    int rc = grow((void **)&e->items, &e->cap, e->n, sizeof(*e->items));
    if (rc != MT_OK)
        return rc;
    e->items[e->n].a = a;
    e->items[e->n].b = b;
    e->n++;
    return MT_OK;
}

static int is_one_of(const char *rela, const char *x, const char *y)
{
    return strcmp(rela, x) == 0 || strcmp(rela, y) == 0;
}

static int on_rel(rrf_state *st, mt_srcfile *f, char **x)
{
    /* RXCUI1 RXAUI1 STYPE1 REL RXCUI2 RXAUI2 STYPE2 RELA RUI SRUI SAB SL DIR RG SUPPRESS CVF */
    const char *rela = x[7], *sab = x[10], *sup = x[14];
    uint32_t i1, i2, r1, r2;
    int t1, t2, t;

    if (strcmp(sab, "RXNORM") != 0 || (*sup && strcmp(sup, "N") != 0) || !*x[0] || !*x[4])
        return MT_OK;
    r1 = parse_rxcui(x[0]);
    r2 = parse_rxcui(x[4]);
    if (!r1 || !r2)
        return mt_src_fail(f, MT_EFORMAT, "RXCUI1 \"%.20s\" or RXCUI2 \"%.20s\" is not a number", x[0], x[4]);
    if (concept_of(st, r1, &i1) != MT_OK || concept_of(st, r2, &i2) != MT_OK)
        return MT_OK;
    /* Order the pair by term type; each relationship is listed both ways. */
    if (st->c[i1].tty > st->c[i2].tty) {
        uint32_t s = i1;
        i1 = i2;
        i2 = s;
    }
    t1 = st->c[i1].tty;
    t2 = st->c[i2].tty;
    if (t1 == T_SCD && t2 == T_SCDC && is_one_of(rela, "consists_of", "constitutes"))
        t = K_SCD_SCDC;
    else if ((t1 == T_IN || t1 == T_PIN) && t2 == T_SCDC &&
             (is_one_of(rela, "has_ingredient", "ingredient_of") ||
              is_one_of(rela, "has_precise_ingredient", "precise_ingredient_of"))) {
        uint32_t s = i1;                /* stored as (SCDC, ingredient) */
        i1 = i2;
        i2 = s;
        t = K_SCDC_ING;
    } else if (t1 == T_IN && t2 == T_PIN && is_one_of(rela, "has_form", "form_of")) {
        uint32_t s = i1;                /* (PIN, IN) */
        i1 = i2;
        i2 = s;
        t = K_PIN_IN;
    } else if (t1 == T_MIN && t2 == T_SCD && is_one_of(rela, "has_ingredients", "ingredients_of")) {
        uint32_t s = i1;                /* (SCD, MIN) */
        i1 = i2;
        i2 = s;
        t = K_SCD_MIN;
    } else if (t1 == T_SCD && t2 == T_SBD && is_one_of(rela, "has_tradename", "tradename_of")) {
        uint32_t s = i1;                /* (SBD, SCD) */
        i1 = i2;
        i2 = s;
        t = K_SBD_SCD;
    } else if (t1 == T_SBD && t2 == T_BN && is_one_of(rela, "has_ingredient", "ingredient_of"))
        t = K_SBD_BN;
    else if ((t1 == T_SCD || t1 == T_SBD) && (t2 == T_GPCK || t2 == T_BPCK) &&
             is_one_of(rela, "contains", "contained_in")) {
        uint32_t s = i1;                /* (pack, product) */
        i1 = i2;
        i2 = s;
        t = K_PACK_PROD;
    } else
        return MT_OK;
    return edge_push(&st->e[t], i1, i2);
}

static int cmp_edge(const void *a, const void *b)
{
    const rrf_edge *x = a, *y = b;
    if (x->a != y->a)
        return x->a < y->a ? -1 : 1;
    return x->b < y->b ? -1 : x->b > y->b;
}

static void sort_edges(rrf_edges *e)
{
    size_t i, j;
    if (e->n > 1)
        qsort(e->items, e->n, sizeof(*e->items), cmp_edge);
    for (i = j = 0; i < e->n; i++)
        if (!j || cmp_edge(&e->items[j - 1], &e->items[i]) != 0)
            e->items[j++] = e->items[i];
    e->n = j;
}

/* The edges (a, *): count returned, *first their start. */
static size_t adj(const rrf_edges *e, uint32_t a, size_t *first)
{
    size_t lo = 0, hi = e->n, n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (e->items[mid].a < a)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (n = 0; lo + n < e->n && e->items[lo + n].a == a; n++)
        ;
    *first = lo;
    return n;
}

/* The brand at the end of a branded pack name: "{...} Pack [Z-PAK]" -> Z-PAK. */
static int pack_brand(const char *name, char *out, size_t outsz)
{
    size_t n = strlen(name), len;
    const char *open;
    if (n < 3 || name[n - 1] != ']')
        return 0;
    open = strrchr(name, '[');
    if (!open)
        return 0;
    len = (size_t)(name + n - 1 - open - 1);
    if (!len || len >= outsz)
        return 0;
    memcpy(out, open + 1, len);
    out[len] = '\0';
    return 1;
}

/* The first BN of an SBD, or NULL. */
static const rrf_concept *sbd_brand(const rrf_state *st, uint32_t sbd)
{
    size_t first;
    return adj(&st->e[K_SBD_BN], sbd, &first) ? &st->c[st->e[K_SBD_BN].items[first].b] : NULL;
}

static int link_ing(rrf_state *st, mdl_ref product, uint32_t ing)
{
    const rrf_concept *c = &st->c[ing];
    if (c->ref == MDL_NONE)
        return MT_OK;
    st->links++;
    return mdl_product_ing_add(st->m, product, c->ref);
}

/* Links a product to the ingredients of an SCD (and its MIN when with_min). */
static int link_scd(rrf_state *st, mdl_ref product, uint32_t scd, int with_min)
{
    size_t f1, n1, i, f2, n2, j;
    int rc = MT_OK;
    n1 = adj(&st->e[K_SCD_SCDC], scd, &f1);
    for (i = 0; i < n1 && rc == MT_OK; i++) {
        n2 = adj(&st->e[K_SCDC_ING], st->e[K_SCD_SCDC].items[f1 + i].b, &f2);
        for (j = 0; j < n2 && rc == MT_OK; j++)
            rc = link_ing(st, product, st->e[K_SCDC_ING].items[f2 + j].b);
    }
    if (with_min) {
        n1 = adj(&st->e[K_SCD_MIN], scd, &f1);
        for (i = 0; i < n1 && rc == MT_OK; i++)
            rc = link_ing(st, product, st->e[K_SCD_MIN].items[f1 + i].b);
    }
    return rc;
}

static int link_sbd(rrf_state *st, mdl_ref product, uint32_t sbd, int with_min)
{
    size_t f, n, i;
    int rc = MT_OK;
    n = adj(&st->e[K_SBD_SCD], sbd, &f);
    for (i = 0; i < n && rc == MT_OK; i++)
        rc = link_scd(st, product, st->e[K_SBD_SCD].items[f + i].b, with_min);
    return rc;
}

static int make_products(rrf_state *st)
{
    mdl *m = st->m;
    size_t i;
    int rc = MT_OK;

    for (i = 0; i < st->nc && rc == MT_OK; i++) {
        rrf_concept *c = &st->c[i];
        mdl_product p;
        char brand[256];
        uint32_t before = m->products.count;

        if (c->tty != T_SCD && c->tty != T_SBD && c->tty != T_GPCK && c->tty != T_BPCK)
            continue;
        memset(&p, 0, sizeof(p));
        p.rxcui = c->rxcui;
        p.tty = tty_names[c->tty];
        p.name = c->name;
        if (c->tty == T_SBD) {
            const rrf_concept *bn = sbd_brand(st, (uint32_t)i);
            p.brand = bn ? bn->name : NULL;
        } else if (c->tty == T_BPCK && pack_brand(c->name, brand, sizeof(brand)))
            p.brand = brand;
        p.cite = mdl_cite_make(m, st->ctx->src, "RXCUI %u (RXNCONSO.RRF)", c->rxcui);
        if ((rc = mdl_product_add(m, &p, &c->ref)) != MT_OK)
            break;
        if (m->products.count > before)
            st->products_new++;
        else
            st->products_seen++;
        if (c->tty == T_SCD)
            rc = link_scd(st, c->ref, (uint32_t)i, 1);
        else if (c->tty == T_SBD)
            rc = link_sbd(st, c->ref, (uint32_t)i, 1);
        else {
            size_t f, n, k;
            n = adj(&st->e[K_PACK_PROD], (uint32_t)i, &f);
            for (k = 0; k < n && rc == MT_OK; k++) {
                uint32_t q = st->e[K_PACK_PROD].items[f + k].b;
                rc = st->c[q].tty == T_SCD ? link_scd(st, c->ref, q, 0) : link_sbd(st, c->ref, q, 0);
            }
        }
    }
    return rc;
}

/* A salt's parent ingredient (PIN form_of IN), where the model has none. */
static void set_parents(rrf_state *st)
{
    mdl *m = st->m;
    size_t i;
    for (i = 0; i < st->e[K_PIN_IN].n; i++) {
        const rrf_concept *pin = &st->c[st->e[K_PIN_IN].items[i].a];
        const rrf_concept *in = &st->c[st->e[K_PIN_IN].items[i].b];
        mdl_drug *d;
        if (pin->ref == MDL_NONE || in->ref == MDL_NONE || pin->ref == in->ref)
            continue;
        d = &m->drugs.items[pin->ref];
        if (d->kind == MT_DRUG_PRECISE && d->parent == MDL_NONE && m->drugs.items[in->ref].parent == MDL_NONE) {
            d->parent = in->ref;
            st->parents++;
        }
    }
}

/* product -> linked drugs over the whole model (bundled links included). */
static int index_products(rrf_state *st)
{
    mdl *m = st->m;
    uint32_t n = m->products.count, p, *fill;
    size_t i;
    st->pstart = mt_calloc((size_t)n + 2, sizeof(*st->pstart));
    st->pdrugs = mt_calloc((size_t)m->product_ings.count + 1, sizeof(*st->pdrugs));
    fill = mt_calloc((size_t)n + 1, sizeof(*fill));
    if (!st->pstart || !st->pdrugs || !fill) {
        mt_free(fill);
        return MT_ENOMEM;
    }
    for (i = 0; i < m->product_ings.count; i++)
        st->pstart[m->product_ings.items[i].product + 1]++;
    for (p = 0; p < n; p++)
        st->pstart[p + 1] += st->pstart[p];
    for (i = 0; i < m->product_ings.count; i++) {
        const mdl_product_ing *pi = &m->product_ings.items[i];
        st->pdrugs[st->pstart[pi->product] + fill[pi->product]++] = pi->drug;
    }
    mt_free(fill);
    return MT_OK;
}

/* Brand names onto the drugs of each SBD, the MIN first (so that the name
** finds the combination), then each ingredient (a salt's parent). */
static int attach_brands(rrf_state *st)
{
    mdl *m = st->m;
    size_t i;
    int rc = MT_OK;

    for (i = 0; i < st->e[K_SBD_BN].n && rc == MT_OK; i++) {
        const rrf_concept *sbd = &st->c[st->e[K_SBD_BN].items[i].a];
        const rrf_concept *bn = &st->c[st->e[K_SBD_BN].items[i].b];
        char code[16];
        mdl_cite cite;
        uint32_t k;
        int pass;

        if (sbd->ref == MDL_NONE)
            continue;
        snprintf(code, sizeof(code), "%u", bn->rxcui);
        cite = mdl_cite_make(m, st->ctx->src, "BN RXCUI %u on SBD RXCUI %u (RXNREL.RRF)", bn->rxcui, sbd->rxcui);
        for (pass = 0; pass < 2 && rc == MT_OK; pass++) {
            for (k = st->pstart[sbd->ref]; k < st->pstart[sbd->ref + 1] && rc == MT_OK; k++) {
                mdl_ref d = st->pdrugs[k];
                if ((m->drugs.items[d].kind == MT_DRUG_MULTI) != (pass == 0))
                    continue;
                rc = mdl_name_add(m, mdl_drug_base(m, d), MT_NAME_BRAND, bn->name, code, cite);
                st->brands++;
            }
        }
    }
    return rc;
}

/* --- pass 3: RXNSAT ----------------------------------------------------------------- */

/* DCSA values: "CII" .. "CV", or the older numeric codes "2", "2N", "3N" ... */
static const char *dcsa_schedule(const char *v)
{
    static const char *const roman[] = { NULL, "CI", "CII", "CIII", "CIV", "CV" };
    const char *s = pj_schedule_from_code(v);
    if (s)
        return s;
    if (v[0] >= '1' && v[0] <= '5' && (!v[1] || ((v[1] == 'N' || v[1] == 'n') && !v[2])))
        return roman[v[0] - '0'];
    return NULL;
}

/* The one ingredient of a single-ingredient product (salts as their
** ingredient, MINs left out), or MDL_NONE. */
static mdl_ref single_ingredient(const rrf_state *st, mdl_ref product)
{
    const mdl *m = st->m;
    mdl_ref one = MDL_NONE;
    uint32_t k;
    for (k = st->pstart[product]; k < st->pstart[product + 1]; k++) {
        mdl_ref d = st->pdrugs[k];
        if (m->drugs.items[d].kind == MT_DRUG_MULTI)
            continue;
        d = mdl_drug_base(m, d);
        if (one != MDL_NONE && one != d)
            return MDL_NONE;
        one = d;
    }
    return one;
}

static int schedule(rrf_state *st, const rrf_concept *c, const char *value)
{
    mdl *m = st->m;
    const char *s = dcsa_schedule(value);
    mdl_ref d = MDL_NONE;
    char key[48];
    int n, rc;
    uint32_t dummy;

    if (!s) {
        if (strcmp(value, "0") != 0 && *value)
            st->sched_unknown++;
        return MT_OK;
    }
    if (c->tty == T_IN || c->tty == T_PIN)
        d = c->ref == MDL_NONE ? MDL_NONE : mdl_drug_base(m, c->ref);
    else if (c->ref != MDL_NONE && c->tty != T_MIN && c->tty != T_BN && c->tty != T_SCDC) {
        d = single_ingredient(st, c->ref);
        if (d == MDL_NONE)
            st->sched_multi++;
    }
    if (d == MDL_NONE)
        return MT_OK;
    n = snprintf(key, sizeof(key), "%u|%s", d, s);
    if (mt_hmap_get(&st->sched_seen, key, (size_t)n, &dummy) == MT_OK)
        return MT_OK;
    {
        const char *k = mt_arena_strndup(&st->arena, key, (size_t)n);
        if (!k)
            return MT_ENOMEM;
        if ((rc = mt_hmap_put(&st->sched_seen, k, (size_t)n, 0)) != MT_OK)
            return rc;
    }
    st->schedules++;
    return mdl_schedule_add(m, d, s, mdl_cite_make(m, st->ctx->src, "DCSA %s on %s RXCUI %u (RXNSAT.RRF)",
                                                   value, tty_names[c->tty], c->rxcui));
}

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

static int on_sat(rrf_state *st, mt_srcfile *f, char **x)
{
    /* RXCUI LUI SUI RXAUI STYPE CODE ATUI SATUI ATN SAB ATV SUPPRESS CVF */
    const char *atn = x[8], *sab = x[9], *atv = x[10], *sup = x[11];
    const rrf_concept *c;
    uint32_t rxcui, idx;
    int rc;

    if (strcmp(sup, "N") != 0)
        return MT_OK;
    if (strcmp(atn, "NDC") != 0 && strcmp(atn, "DCSA") != 0 && strcmp(atn, "SPL_SET_ID") != 0 &&
        strcmp(atn, "UNII_CODE") != 0)
        return MT_OK;
    rxcui = parse_rxcui(x[0]);
    if (!rxcui)
        return mt_src_fail(f, MT_EFORMAT, "RXCUI \"%.20s\" is not a number", x[0]);
    if (concept_of(st, rxcui, &idx) != MT_OK)
        return MT_OK;
    c = &st->c[idx];
    if (strcmp(atn, "NDC") == 0) {
        if (strcmp(sab, "RXNORM") != 0)
            return MT_OK;
        if (!all_digits(atv, 11))
            return mt_src_fail(f, MT_EFORMAT, "NDC \"%.20s\" of RXCUI %u is not 11 digits", atv, rxcui);
        if (c->ref == MDL_NONE || (c->tty != T_SCD && c->tty != T_SBD && c->tty != T_GPCK && c->tty != T_BPCK))
            return MT_OK;
        rc = mdl_ndc_add(st->m, c->ref, atv,
                         mdl_cite_make(st->m, st->ctx->src, "NDC %s on RXCUI %u (RXNSAT.RRF)", atv, rxcui));
        st->ndcs++;
        return rc;
    }
    if (strcmp(atn, "DCSA") == 0)
        return schedule(st, c, atv);
    if (strcmp(atn, "UNII_CODE") == 0) {
        if (c->ref == MDL_NONE || (c->tty != T_IN && c->tty != T_PIN) || strlen(atv) != 10 ||
            !mt_utf8_valid(atv, 10) || st->m->drugs.items[c->ref].unii)
            return MT_OK;
        return mdl_ident_add(st->m, c->ref, MT_ID_UNII, atv,
                             mdl_cite_make(st->m, st->ctx->src, "RXCUI %u UNII_CODE (RXNSAT.RRF)", rxcui));
    }
    /* SPL_SET_ID: a label of this product, for the merge. */
    if (c->ref == MDL_NONE || (c->tty != T_SCD && c->tty != T_SBD && c->tty != T_GPCK && c->tty != T_BPCK) ||
        strlen(atv) < 8 || strlen(atv) > 60)
        return MT_OK;
    st->setids++;
    return st->spl ? splmap_push(st->spl, atv, c->ref) : MT_OK;
}

/* --- the importer ----------------------------------------------------------------- */

int mt_rxnorm_rrf_import(mt_import_ctx *ctx, rrf_splmap *spl)
{
    rrf_state st;
    size_t i, in = 0, pin = 0, min = 0;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    st.spl = spl;
    mt_arena_init(&st.arena, 1024 * 1024, 0);
    mt_hmap_init(&st.by_rxcui);
    mt_hmap_init(&st.sched_seen);

    rc = read_rrf(&st, "RXNCONSO.RRF", CONSO_FIELDS, on_conso);
    if (rc == MT_OK) {
        assign_uniis(&st);
        rc = make_drugs(&st);
    }
    if (rc == MT_OK)
        rc = read_rrf(&st, "RXNREL.RRF", REL_FIELDS, on_rel);
    if (rc == MT_OK) {
        for (i = 0; i < NKINDS; i++)
            sort_edges(&st.e[i]);
        set_parents(&st);
        rc = make_products(&st);
    }
    if (rc == MT_OK)
        rc = index_products(&st);
    if (rc == MT_OK)
        rc = attach_brands(&st);
    if (rc == MT_OK)
        rc = read_rrf(&st, "RXNSAT.RRF", SAT_FIELDS, on_sat);
    if (rc == MT_OK && spl && spl->n > 1)
        qsort(spl->items, spl->n, sizeof(*spl->items), cmp_splset);
    if (rc == MT_OK) {
        for (i = 0; i < st.nc; i++) {
            in += st.c[i].tty == T_IN;
            pin += st.c[i].tty == T_PIN;
            min += st.c[i].tty == T_MIN;
        }
        note(ctx, "rxnorm-rrf: %zu ingredients (%zu IN, %zu PIN, %zu MIN): %lu joined by UNII, %lu by name; "
             "%lu products new, %lu already known; %lu ingredient links, %lu NDCs, %lu brand names, "
             "%lu precise ingredients given a parent", in + pin + min, in, pin, min, st.by_unii, st.by_name,
             st.products_new, st.products_seen, st.links, st.ndcs, st.brands, st.parents);
        note(ctx, "rxnorm-rrf: %lu DEA schedules (DCSA) stated; %lu on combinations not given to an "
             "ingredient, %lu values not understood; %lu SPL set ids", st.schedules, st.sched_multi,
             st.sched_unknown, st.setids);
    }

    for (i = 0; i < NKINDS; i++)
        mt_free(st.e[i].items);
    mt_free(st.c);
    mt_free(st.su);
    mt_free(st.pstart);
    mt_free(st.pdrugs);
    mt_hmap_free(&st.by_rxcui);
    mt_hmap_free(&st.sched_seen);
    mt_arena_free(&st.arena);
    return rc;
}

int mt_import_rxnorm_rrf(mt_import_ctx *ctx)
{
    return mt_rxnorm_rrf_import(ctx, NULL);
}
