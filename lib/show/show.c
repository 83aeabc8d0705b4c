/*
** show.c — a drug's monograph (materia/show.h): resolving a query strictly
** through the search module, choosing and ordering what to show from the
** drug's own ranges in the knowledge base, and rendering it as JSON or text.
**
** One "view" is built per call: for each kind of fact, the indexes of the
** records to show, in display order, and the total. Both renderers read the
** same view, so the JSON and the text never disagree on what is listed or in
** which order. Sort keys (documented in docs/reference/json-shapes.md, "show"):
**   identifiers  type (types.h order, "other" last), then KB order
**   names        kind (preferred, synonym, salt, international), then KB order
**   brands       name (case-insensitive), then KB order
**   products     number of ingredients, then TTY (SCD, SBD, GPCK, BPCK, other),
**                then name (case-insensitive), then RxCUI
**   NDCs         ascending NDC-11
**   classes      type (EPC, MoA, PE, CS, then other types by name), then name
**   indications  category (types.h order), then disease (case-insensitive);
**                the same disease from several records is one item
**   approvals    application type (NDA, BLA, ANDA, other), number, product
**   documents    kind (US label, EU leaflet), date (newest first), title
*/
#include "materia/show.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "kb/kb_internal.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/buf.h"
#include "util/jsonw.h"
#include "util/text.h"

#define KEY_MAX        256    /* bytes of a name key compared */
#define OTHER_CITES    20     /* extra citations listed for one merged indication */
#define TEXT_NAMES     40     /* text output: names listed */
#define TEXT_APPROVALS 25     /* text output: approvals listed */
#define TEXT_INDS      40     /* text output: indications per category */
#define SEARCH_LIMIT   10     /* strict matches looked at when resolving */

/* --- vocabulary ------------------------------------------------------------ */

static const char *kind_name(unsigned k)
{
    switch (k) {
    case MT_DRUG_INGREDIENT: return "ingredient";
    case MT_DRUG_PRECISE:    return "precise_ingredient";
    case MT_DRUG_MULTI:      return "multiple_ingredients";
    case MT_DRUG_SUBSTANCE:  return "substance";
    case MT_DRUG_NONDRUG:    return "non_drug";
    default:                 return "unknown";
    }
}

static const char *kind_words(unsigned k)
{
    switch (k) {
    case MT_DRUG_INGREDIENT: return "ingredient";
    case MT_DRUG_PRECISE:    return "precise ingredient (salt or ester form)";
    case MT_DRUG_MULTI:      return "multiple-ingredient concept";
    case MT_DRUG_SUBSTANCE:  return "substance";
    case MT_DRUG_NONDRUG:    return "non-drug interactant";
    default:                 return "drug";
    }
}

static const char *name_kind_name(unsigned k)
{
    switch (k) {
    case MT_NAME_PREFERRED: return "preferred";
    case MT_NAME_SYNONYM:   return "synonym";
    case MT_NAME_BRAND:     return "brand";
    case MT_NAME_PRODUCT:   return "product";
    case MT_NAME_INTL:      return "international";
    case MT_NAME_SALT:      return "salt";
    default:                return "other";
    }
}

static const char *id_type_name(unsigned t)
{
    switch (t) {
    case MT_ID_RXCUI:       return "rxcui";
    case MT_ID_UNII:        return "unii";
    case MT_ID_DRUGBANK:    return "drugbank";
    case MT_ID_DRUGCENTRAL: return "drugcentral";
    case MT_ID_CAS:         return "cas";
    case MT_ID_ATC:         return "atc";
    case MT_ID_MESH:        return "mesh";
    case MT_ID_CHEBI:       return "chebi";
    case MT_ID_NUI:         return "nui";
    case MT_ID_VUID:        return "vuid";
    case MT_ID_SNOMED:      return "snomed";
    default:                return "other";
    }
}

static const char *id_type_label(unsigned t)
{
    switch (t) {
    case MT_ID_RXCUI:       return "RxCUI";
    case MT_ID_UNII:        return "UNII";
    case MT_ID_DRUGBANK:    return "DrugBank";
    case MT_ID_DRUGCENTRAL: return "DrugCentral";
    case MT_ID_CAS:         return "CAS";
    case MT_ID_ATC:         return "ATC";
    case MT_ID_MESH:        return "MeSH";
    case MT_ID_CHEBI:       return "ChEBI";
    case MT_ID_NUI:         return "NUI";
    case MT_ID_VUID:        return "VUID";
    case MT_ID_SNOMED:      return "SNOMED CT";
    default:                return "Other";
    }
}

static const char *ind_cat_name(unsigned c)
{
    switch (c) {
    case MT_IND_ON_LABEL:          return "on_label";
    case MT_IND_DISEASE_MODIFYING: return "disease_modifying";
    case MT_IND_SYMPTOMATIC:       return "symptomatic";
    case MT_IND_NOT_INDICATED:     return "not_indicated";
    case MT_IND_LISTED:            return "listed";
    default:                       return "other";
    }
}

static const char *ind_cat_label(unsigned c)
{
    switch (c) {
    case MT_IND_ON_LABEL:          return "On-label (extracted from the FDA label, LabeledIn)";
    case MT_IND_DISEASE_MODIFYING: return "Disease-modifying (PharmacotherapyDB)";
    case MT_IND_SYMPTOMATIC:       return "Symptomatic (PharmacotherapyDB)";
    case MT_IND_NOT_INDICATED:     return "Not indicated (PharmacotherapyDB)";
    case MT_IND_LISTED:            return "Listed indication (DrugCentral, filtered)";
    default:                       return "Other";
    }
}

static const char *doc_kind_name(unsigned k)
{
    switch (k) {
    case MT_DOC_US_LABEL:   return "us_label";
    case MT_DOC_EU_LEAFLET: return "eu_leaflet";
    default:                return "other";
    }
}

static const char *doc_kind_label(unsigned k)
{
    switch (k) {
    case MT_DOC_US_LABEL:   return "US label";
    case MT_DOC_EU_LEAFLET: return "EU package leaflet";
    default:                return "Document";
    }
}

/* --- section names ----------------------------------------------------------- */

/* --section aliases: the name (as a key) and the codes it stands for. LOINC
** codes are the FDA label's; single digits are EU leaflet section numbers. */
static const struct alias {
    const char *name;
    const char *codes[6];
} aliases[] = {
    { "indications",       { "34067-9", "1" } },
    { "uses",              { "34067-9", "1" } },
    { "dosage",            { "34068-7", "3" } },
    { "how to take",       { "34068-7", "3" } },
    { "contraindications", { "34070-3", "2" } },
    { "before",            { "34070-3", "2" } },
    { "warnings",          { "34066-1", "34071-1", "43685-7", "2" } },
    { "boxed warning",     { "34066-1" } },
    { "adverse reactions", { "34084-4", "4" } },
    { "side effects",      { "34084-4", "4" } },
    { "interactions",      { "34073-7", "2" } },
    { "pregnancy",         { "42228-7", "53414-9", "2" } },
    { "lactation",         { "77290-5", "34080-2", "53414-9", "2" } },
    { "abuse",             { "42227-9", "34086-9", "34087-7" } },
    { "dependence",        { "42227-9", "34086-9", "34087-7" } },
    { "overdosage",        { "34088-5", "3" } },
    { "overdose",          { "34088-5", "3" } },
    { "storage",           { "44425-7", "5" } },
};

/* Whether key `hay` contains key `word` on word boundaries. */
static int key_has_words(const char *hay, const char *word)
{
    size_t wl = strlen(word);
    const char *p = hay;
    if (!wl)
        return 0;
    while ((p = strstr(p, word)) != NULL) {
        int start_ok = p == hay || p[-1] == ' ';
        int end_ok = p[wl] == '\0' || p[wl] == ' ';
        if (start_ok && end_ok)
            return 1;
        p++;
    }
    return 0;
}

int mt_show_section_matches(const char *code, const char *title, const char *name)
{
    char nk[KEY_MAX], ck[KEY_MAX], tk[KEY_MAX];
    size_t i, c;

    if (!name || !*name)
        return 0;
    if (!mt_text_key(name, nk, sizeof nk))
        return 0;
    mt_text_key(code ? code : "", ck, sizeof ck);
    mt_text_key(title ? title : "", tk, sizeof tk);
    if (*ck && strcmp(ck, nk) == 0)
        return 1;
    for (i = 0; i < sizeof aliases / sizeof aliases[0]; i++) {
        if (strcmp(aliases[i].name, nk) != 0)
            continue;
        for (c = 0; c < 6 && aliases[i].codes[c]; c++) {
            char ak[KEY_MAX];
            mt_text_key(aliases[i].codes[c], ak, sizeof ak);
            if (*ck && strcmp(ak, ck) == 0)
                return 1;
        }
    }
    return key_has_words(tk, nk);
}

uint32_t mt_show_section_count(const mt_kb *kb, uint32_t drug, const char *name)
{
    const kb_drug *d;
    const kb_doc_drug *dd;
    const kb_doc_section *secs;
    uint32_t i, s, n = 0;

    if (!kb || !name || drug >= mt_kb_count(kb, KB_T_DRUGS))
        return 0;
    d = mt_kb_drug(kb, drug);
    dd = mt_kb_drug_docs(kb, NULL);
    secs = mt_kb_doc_sections(kb, NULL);
    for (i = 0; i < d->docs.count; i++) {
        const kb_doc *doc = mt_kb_doc(kb, dd[d->docs.first + i].doc);
        for (s = 0; s < doc->sections.count; s++) {
            const kb_doc_section *sec = &secs[doc->sections.first + s];
            if (mt_show_section_matches(mt_kb_str(kb, sec->code), mt_kb_str(kb, sec->title), name))
                n++;
        }
    }
    return n;
}

/* --- resolving ---------------------------------------------------------------- */

static void match_from_hit(const mt_search_hit *h, const char *query, mt_show_match *m)
{
    memset(m, 0, sizeof *m);
    m->drug = h->drug;
    m->query = query;
    m->tier = h->tier;
    m->name_kind = h->name_kind;
    m->code_type = h->code_type;
    m->matched = h->name ? h->name : "";
    m->matched_source = h->source ? h->source : "";
    m->name_drug = h->name_drug;
}

/* Among equally strict matches, a drug's own name beats a brand, a brand a
** salt or international name, and those beat a synonym: "ketamine" is
** ketamine, not esketamine whose synonym "(-)-Ketamine" has the same key. */
static int resolve_rank(unsigned name_kind)
{
    switch (name_kind) {
    case MT_NAME_PREFERRED: return 0;
    case MT_NAME_BRAND:     return 1;
    case MT_NAME_SALT:      return 2;
    case MT_NAME_INTL:      return 3;
    case MT_NAME_PRODUCT:   return 4;
    case MT_NAME_SYNONYM:   return 5;
    default:                return 6;
    }
}

int mt_show_resolve(const mt_kb *kb, const char *query, mt_search_results *r,
                    mt_show_match *m)
{
    int rc;
    uint32_t i, k, best = 0;
    const mt_search_hit *b;

    if (m)
        memset(m, 0, sizeof *m);
    if (!kb || !query || !r || !m || !r->scratch)
        return MT_EINVAL;
    rc = mt_search(kb, query, SEARCH_LIMIT, MT_SEARCH_EXACT_ONLY, r);
    if (rc == MT_OK && r->count > 0 && r->hits[0].tier <= MT_SEARCH_TIER_NORMALIZED) {
        /* hits are in search order (tier, then popularity): the first of the
        ** best name kind within the first tier wins */
        for (i = 1; i < r->count && r->hits[i].tier == r->hits[0].tier; i++)
            if (resolve_rank(r->hits[i].name_kind) < resolve_rank(r->hits[best].name_kind))
                best = i;
        b = &r->hits[best];
        match_from_hit(b, query, m);
        /* Other drugs the very same name or code names, as strictly: the
        ** ingredients of a combination brand. */
        for (i = 0; i < r->count && m->nalso < MT_SHOW_MAX_ALSO; i++) {
            const mt_search_hit *h = &r->hits[i];
            int dup = h->drug == m->drug;
            if (h->tier != b->tier || h->name_kind != b->name_kind || h->code_type != b->code_type ||
                strcasecmp(h->name ? h->name : "", m->matched) != 0)
                continue;
            for (k = 0; k < m->nalso && !dup; k++)
                dup = m->also[k] == h->drug;
            if (!dup)
                m->also[m->nalso++] = h->drug;
        }
        return MT_OK;
    }
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        return rc;
    /* Nothing strict: "did you mean", never a silent guess. */
    rc = mt_search_suggest(kb, query, MT_SHOW_SUGGESTIONS, r);
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        return rc;
    if (rc == MT_ENOTFOUND)
        r->count = 0;
    return MT_ENOTFOUND;
}

int mt_show_match_drug(const mt_kb *kb, uint32_t drug, mt_show_match *m)
{
    if (m)
        memset(m, 0, sizeof *m);
    if (!kb || !m)
        return MT_EINVAL;
    if (drug >= mt_kb_count(kb, KB_T_DRUGS))
        return MT_ENOTFOUND;
    m->drug = drug;
    m->name_drug = drug;
    m->matched = "";
    m->matched_source = "";
    return MT_OK;
}

/* What the query was resolved from, when it did not name the drug itself:
** "brand", "product", "salt", "precise_ingredient", or NULL. */
static const char *resolved_from(const mt_show_match *m)
{
    if (m->tier == 0)
        return NULL;
    if (m->name_kind == MT_NAME_BRAND)
        return "brand";
    if (m->name_kind == MT_NAME_PRODUCT || m->code_type == MT_SEARCH_CODE_NDC)
        return "product";
    if (m->name_kind == MT_NAME_SALT)
        return "salt";
    if (m->name_drug != m->drug)
        return "precise_ingredient";
    return NULL;
}

static const char *matched_kind(const mt_show_match *m)
{
    if (m->tier == 0)
        return "id";
    if (m->tier == MT_SEARCH_TIER_CODE && m->code_type)
        return mt_search_code_name(m->code_type);
    return name_kind_name(m->name_kind);
}

/* --- the view: what to show, in order ----------------------------------------- */

typedef struct list {
    uint32_t *idx;      /* record indexes in display order */
    uint32_t  n;        /* entries in idx */
    uint32_t  total;    /* records (or distinct items) there are */
} list;

typedef struct view {
    const mt_kb         *kb;
    const kb_drug       *d;
    const mt_show_match *m;
    mt_show_opts         o;
    mt_arena             arena;
    uint8_t             *used;      /* per source: cited in this output */
    uint32_t             nsources;
    list idents, names, brands, products, classes, inds, apps, docs;
    char               **ind_keys;  /* key of inds.idx[i]'s disease */
    uint32_t             ind_cat_total[8];   /* distinct diseases per category */
    uint32_t             nsection;  /* sections matching o.section */
} view;

static int cmp_u32(uint32_t a, uint32_t b) { return a < b ? -1 : a > b; }

static int name_rank(unsigned k)
{
    switch (k) {
    case MT_NAME_PREFERRED: return 0;
    case MT_NAME_SYNONYM:   return 1;
    case MT_NAME_SALT:      return 2;
    case MT_NAME_INTL:      return 3;
    default:                return 4;
    }
}

static int cmp_names(const void *a, const void *b, void *arg)
{
    const view *v = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int r = name_rank(mt_kb_name(v->kb, x)->kind) - name_rank(mt_kb_name(v->kb, y)->kind);
    return r ? r : cmp_u32(x, y);
}

static int id_rank(unsigned t)
{
    return t == MT_ID_OTHER ? 1000 : (int)t;
}

static int cmp_idents(const void *a, const void *b, void *arg)
{
    const view *v = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int r = id_rank(mt_kb_ident(v->kb, x)->type) - id_rank(mt_kb_ident(v->kb, y)->type);
    return r ? r : cmp_u32(x, y);
}

static int cmp_brands(const void *a, const void *b, void *arg)
{
    const view *v = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    int r = strcasecmp(mt_kb_str(v->kb, mt_kb_name(v->kb, x)->text),
                       mt_kb_str(v->kb, mt_kb_name(v->kb, y)->text));
    return r ? r : cmp_u32(x, y);
}

static int tty_rank(const char *tty)
{
    static const char *const order[] = { "SCD", "SBD", "GPCK", "BPCK" };
    int i;
    for (i = 0; i < 4; i++)
        if (strcmp(tty, order[i]) == 0)
            return i;
    return 4;
}

static int cmp_products(const void *a, const void *b, void *arg)
{
    const view *v = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const kb_product *p = mt_kb_product(v->kb, x), *q = mt_kb_product(v->kb, y);
    int r = cmp_u32(p->ings.count, q->ings.count);
    if (!r)
        r = tty_rank(mt_kb_str(v->kb, p->tty)) - tty_rank(mt_kb_str(v->kb, q->tty));
    if (!r)
        r = strcasecmp(mt_kb_str(v->kb, p->name), mt_kb_str(v->kb, q->name));
    if (!r)
        r = cmp_u32(p->rxcui, q->rxcui);
    return r ? r : cmp_u32(x, y);
}

static int class_rank(const char *type)
{
    static const char *const order[] = { "EPC", "MoA", "PE", "CS" };
    int i;
    for (i = 0; i < 4; i++)
        if (strcmp(type, order[i]) == 0)
            return i;
    return 4;
}

static int cmp_classes(const void *a, const void *b, void *arg)
{
    const view *v = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const kb_class *p = mt_kb_class(v->kb, mt_kb_drug_class(v->kb, x)->cls);
    const kb_class *q = mt_kb_class(v->kb, mt_kb_drug_class(v->kb, y)->cls);
    const char *pt = mt_kb_str(v->kb, p->type), *qt = mt_kb_str(v->kb, q->type);
    int r = class_rank(pt) - class_rank(qt);
    if (!r)
        r = strcmp(pt, qt);
    if (!r)
        r = strcasecmp(mt_kb_str(v->kb, p->name), mt_kb_str(v->kb, q->name));
    return r ? r : cmp_u32(x, y);
}

/* Indications sort by position in v->inds.idx, whose keys are in v->ind_keys:
** the comparator sorts positions, then idx is permuted. */
typedef struct ind_sort { const view *v; const uint32_t *idx; } ind_sort;

static int cmp_inds(const void *a, const void *b, void *arg)
{
    const ind_sort *s = arg;
    uint32_t pa = *(const uint32_t *)a, pb = *(const uint32_t *)b;
    const kb_indication *x = mt_kb_indication(s->v->kb, s->idx[pa]);
    const kb_indication *y = mt_kb_indication(s->v->kb, s->idx[pb]);
    int r = (int)x->category - (int)y->category;
    if (!r)
        r = strcmp(s->v->ind_keys[pa], s->v->ind_keys[pb]);
    return r ? r : cmp_u32(s->idx[pa], s->idx[pb]);
}

static int appl_rank(const char *t)
{
    if (strcmp(t, "NDA") == 0) return 0;
    if (strcmp(t, "BLA") == 0) return 1;
    if (strcmp(t, "ANDA") == 0) return 2;
    return 3;
}

static int cmp_apps(const void *a, const void *b, void *arg)
{
    const view *v = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const kb_approval *p = mt_kb_approval(v->kb, x), *q = mt_kb_approval(v->kb, y);
    int r = appl_rank(mt_kb_str(v->kb, p->appl_type)) - appl_rank(mt_kb_str(v->kb, q->appl_type));
    if (!r)
        r = strcmp(mt_kb_str(v->kb, p->appl_type), mt_kb_str(v->kb, q->appl_type));
    if (!r)
        r = strcmp(mt_kb_str(v->kb, p->appl_no), mt_kb_str(v->kb, q->appl_no));
    if (!r)
        r = strcmp(mt_kb_str(v->kb, p->product_no), mt_kb_str(v->kb, q->product_no));
    return r ? r : cmp_u32(x, y);
}

static int cmp_docs(const void *a, const void *b, void *arg)
{
    const view *v = arg;
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    const kb_doc *p = mt_kb_doc(v->kb, x), *q = mt_kb_doc(v->kb, y);
    int r = (int)p->kind - (int)q->kind;
    if (!r)
        r = -strcmp(mt_kb_str(v->kb, p->date), mt_kb_str(v->kb, q->date));
    if (!r)
        r = strcasecmp(mt_kb_str(v->kb, p->title), mt_kb_str(v->kb, q->title));
    return r ? r : cmp_u32(x, y);
}

/* qsort_r, which must not see a NULL array even for zero items. */
static void sort_idx(uint32_t *a, uint32_t n, int (*cmp)(const void *, const void *, void *), void *arg)
{
    if (n > 1)
        qsort_r(a, n, sizeof(uint32_t), cmp, arg);
}

static uint32_t *list_alloc(view *v, list *l, uint32_t n)
{
    l->n = 0;
    l->total = 0;
    l->idx = n ? mt_arena_alloc(&v->arena, (size_t)n * sizeof(uint32_t)) : NULL;
    return l->idx;
}

static int doc_section_selected(const view *v, const kb_doc_section *sec)
{
    return v->o.section && mt_show_section_matches(mt_kb_str(v->kb, sec->code),
                                                   mt_kb_str(v->kb, sec->title), v->o.section);
}

static int view_build(view *v, const mt_kb *kb, const mt_show_match *m, const mt_show_opts *o)
{
    const kb_drug *d;
    uint32_t i, j, n;
    int rc = MT_OK;

    memset(v, 0, sizeof *v);
    mt_arena_init(&v->arena, 16384, 0);
    v->kb = kb;
    v->m = m;
    if (o)
        v->o = *o;
    if (!v->o.max_products)
        v->o.max_products = MT_SHOW_PRODUCTS_DEFAULT;
    if (!v->o.max_ndcs)
        v->o.max_ndcs = MT_SHOW_NDCS_DEFAULT;
    if (v->o.section && !*v->o.section)
        v->o.section = NULL;
    d = v->d = mt_kb_drug(kb, m->drug);
    mt_kb_sources(kb, &v->nsources);
    v->used = mt_arena_calloc(&v->arena, v->nsources + 1, 1);
    if (!v->used)
        goto nomem;

    /* identifiers */
    n = d->idents.count;
    if (n && !list_alloc(v, &v->idents, n))
        goto nomem;
    for (i = 0; i < n; i++)
        v->idents.idx[i] = d->idents.first + i;
    sort_idx(v->idents.idx, n, cmp_idents, v);
    v->idents.n = v->idents.total = n;

    /* names (not brands, not product names) and brands */
    {
        const kb_name *names = mt_kb_names(kb, NULL);
        if (d->names.count && (!list_alloc(v, &v->names, d->names.count) ||
                               !list_alloc(v, &v->brands, d->names.count)))
            goto nomem;
        for (i = 0; i < d->names.count; i++) {
            uint32_t at = d->names.first + i;
            if (names[at].kind == MT_NAME_BRAND)
                v->brands.idx[v->brands.n++] = at;
            else if (names[at].kind != MT_NAME_PRODUCT)
                v->names.idx[v->names.n++] = at;
        }
        sort_idx(v->names.idx, v->names.n, cmp_names, v);
        sort_idx(v->brands.idx, v->brands.n, cmp_brands, v);
        v->names.total = v->names.n;
        v->brands.total = v->brands.n;
        if (v->names.n > MT_SHOW_LIST_MAX)
            v->names.n = MT_SHOW_LIST_MAX;
        if (v->brands.n > MT_SHOW_LIST_MAX)
            v->brands.n = MT_SHOW_LIST_MAX;
    }

    /* products, through the drug's product links */
    {
        const kb_product_ing *links = mt_kb_drug_products(kb, NULL);
        n = d->products.count;
        if (n && !list_alloc(v, &v->products, n))
            goto nomem;
        for (i = 0; i < n; i++)
            v->products.idx[i] = links[d->products.first + i].product;
        sort_idx(v->products.idx, n, cmp_products, v);
        /* One product linked twice (a PIN and its IN both listed) shows once. */
        for (i = j = 0; i < n; i++)
            if (j == 0 || v->products.idx[j - 1] != v->products.idx[i])
                v->products.idx[j++] = v->products.idx[i];
        v->products.total = j;
        v->products.n = j < v->o.max_products ? j : v->o.max_products;
    }

    /* classes */
    n = d->classes.count;
    if (n && !list_alloc(v, &v->classes, n))
        goto nomem;
    for (i = 0; i < n; i++)
        v->classes.idx[i] = d->classes.first + i;
    sort_idx(v->classes.idx, n, cmp_classes, v);
    v->classes.n = v->classes.total = n;

    /* indications: sorted by category and disease key, bounded per category */
    n = d->indications.count;
    if (n) {
        uint32_t *pos, *sorted;
        char key[KEY_MAX];
        ind_sort s;
        if (!list_alloc(v, &v->inds, n))
            goto nomem;
        v->ind_keys = mt_arena_alloc(&v->arena, (size_t)n * sizeof(char *));
        pos = mt_arena_alloc(&v->arena, (size_t)n * sizeof(uint32_t));
        sorted = mt_arena_alloc(&v->arena, (size_t)n * sizeof(uint32_t));
        if (!v->ind_keys || !pos || !sorted)
            goto nomem;
        for (i = 0; i < n; i++) {
            v->inds.idx[i] = d->indications.first + i;
            mt_text_key(mt_kb_str(kb, mt_kb_indication(kb, v->inds.idx[i])->disease), key, sizeof key);
            v->ind_keys[i] = mt_arena_strdup(&v->arena, key);
            if (!v->ind_keys[i])
                goto nomem;
            pos[i] = i;
        }
        s.v = v;
        s.idx = v->inds.idx;
        sort_idx(pos, n, cmp_inds, &s);
        {
            char **keys = mt_arena_alloc(&v->arena, (size_t)n * sizeof(char *));
            if (!keys)
                goto nomem;
            for (i = 0; i < n; i++) {
                sorted[i] = v->inds.idx[pos[i]];
                keys[i] = v->ind_keys[pos[i]];
            }
            v->inds.idx = sorted;
            v->ind_keys = keys;
        }
        v->inds.n = n;
        for (i = 0; i < n; i++) {
            unsigned c = mt_kb_indication(kb, sorted[i])->category;
            int same = i > 0 && mt_kb_indication(kb, sorted[i - 1])->category == c &&
                       strcmp(v->ind_keys[i - 1], v->ind_keys[i]) == 0;
            if (!same) {
                v->inds.total++;
                if (c < 8)
                    v->ind_cat_total[c]++;
            }
        }
    }

    /* approvals */
    n = d->approvals.count;
    if (n && !list_alloc(v, &v->apps, n))
        goto nomem;
    for (i = 0; i < n; i++)
        v->apps.idx[i] = d->approvals.first + i;
    sort_idx(v->apps.idx, n, cmp_apps, v);
    v->apps.total = n;
    v->apps.n = n < MT_SHOW_LIST_MAX ? n : MT_SHOW_LIST_MAX;

    /* documents; with a section name, only those with a matching section */
    {
        const kb_doc_drug *dd = mt_kb_drug_docs(kb, NULL);
        const kb_doc_section *secs = mt_kb_doc_sections(kb, NULL);
        n = d->docs.count;
        if (n && !list_alloc(v, &v->docs, n))
            goto nomem;
        for (i = 0; i < n; i++) {
            uint32_t doc = dd[d->docs.first + i].doc, s, hits = 0;
            const kb_doc *k = mt_kb_doc(kb, doc);
            if (v->o.section) {
                for (s = 0; s < k->sections.count; s++)
                    hits += doc_section_selected(v, &secs[k->sections.first + s]) ? 1 : 0;
                v->nsection += hits;
                if (!hits)
                    continue;
            }
            v->docs.idx[v->docs.n++] = doc;
        }
        sort_idx(v->docs.idx, v->docs.n, cmp_docs, v);
        v->docs.total = v->docs.n;
        if (v->docs.n > MT_SHOW_DOCS_MAX)
            v->docs.n = MT_SHOW_DOCS_MAX;
    }
    goto done;
nomem:
    rc = MT_ENOMEM;
done:
    return rc;
}

static void view_free(view *v)
{
    mt_arena_free(&v->arena);
}

static void mark(view *v, kb_cite c)
{
    if (c.source < v->nsources)
        v->used[c.source] = 1;
}

static void mark_source_id(view *v, const char *id)
{
    uint32_t i;
    const kb_source *s = mt_kb_sources(v->kb, NULL);
    if (!id || !*id)
        return;
    for (i = 0; i < v->nsources; i++)
        if (strcmp(mt_kb_str(v->kb, s[i].id), id) == 0) {
            v->used[i] = 1;
            return;
        }
}

/* The shown NDCs of product p: the smallest max_ndcs NDC-11s, ascending
** (insertion into a small sorted array: the count per product is small). */
static uint32_t pick_ndcs(const view *v, const kb_product *p, uint32_t *out, uint32_t max)
{
    const kb_ndc *ndcs = mt_kb_ndcs(v->kb, NULL);
    uint32_t i, n = 0;
    for (i = 0; i < p->ndcs.count; i++) {
        uint32_t at = p->ndcs.first + i, k;
        const char *code = ndcs[at].ndc11;
        if (n == max && strcmp(code, ndcs[out[n - 1]].ndc11) >= 0)
            continue;
        k = n < max ? n++ : n - 1;
        while (k > 0 && strcmp(code, ndcs[out[k - 1]].ndc11) < 0) {
            out[k] = out[k - 1];
            k--;
        }
        out[k] = at;
    }
    return n;
}

/* --- JSON ---------------------------------------------------------------------- */

/* A string field; "" (absent in the knowledge base) is written as null. */
static void jstr(mt_jsonw *j, const char *key, const char *s)
{
    mt_jsonw_key(j, key);
    if (s && *s)
        mt_jsonw_str(j, s);
    else
        mt_jsonw_null(j);
}

static void jcite(view *v, mt_jsonw *j, kb_cite c)
{
    mark(v, c);
    mt_jsonw_kstr(j, "source", mt_kb_cite_source(v->kb, c));
    jstr(j, "record", mt_kb_cite_record(v->kb, c));
}

static void json_query(view *v, mt_jsonw *j)
{
    const mt_show_match *m = v->m;
    uint32_t i;
    mt_jsonw_key(j, "query");
    mt_jsonw_obj_begin(j);
    jstr(j, "text", m->query);
    mt_jsonw_kstr(j, "match", m->tier ? mt_search_tier_name(m->tier) : "id");
    jstr(j, "matched", m->matched);
    mt_jsonw_kstr(j, "matched_kind", matched_kind(m));
    jstr(j, "matched_source", m->matched_source);
    mark_source_id(v, m->matched_source);
    jstr(j, "resolved_from", resolved_from(m));
    mt_jsonw_key(j, "also");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < m->nalso; i++) {
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", m->also[i]);
        mt_jsonw_kstr(j, "name", mt_kb_str(v->kb, mt_kb_drug(v->kb, m->also[i])->name));
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
}

static const char *rxnorm_from(const kb_drug *d)
{
    if (!(d->flags & MT_DRUGF_IN_RXNORM))
        return NULL;
    return (d->flags & MT_DRUGF_RXNORM_RXTERMS) ? "rxterms" : "rxnorm";
}

static void json_drug(view *v, mt_jsonw *j)
{
    const mt_kb *kb = v->kb;
    const kb_drug *d = v->d;
    mt_jsonw_key(j, "drug");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "id", v->m->drug);
    mt_jsonw_kstr(j, "name", mt_kb_str(kb, d->name));
    mt_jsonw_kstr(j, "kind", kind_name(d->kind));
    mt_jsonw_kbool(j, "in_rxnorm", (d->flags & MT_DRUGF_IN_RXNORM) != 0);
    jstr(j, "rxnorm_from", rxnorm_from(d));
    mt_jsonw_key(j, "rxcui");
    if (d->rxcui)
        mt_jsonw_uint(j, d->rxcui);
    else
        mt_jsonw_null(j);
    jstr(j, "unii", mt_kb_str(kb, d->unii));
    jstr(j, "drugbank_id", mt_kb_str(kb, d->drugbank_id));
    mt_jsonw_key(j, "drugcentral_id");
    if (d->drugcentral_id)
        mt_jsonw_uint(j, d->drugcentral_id);
    else
        mt_jsonw_null(j);
    mt_jsonw_kbool(j, "harm_reduction", (d->flags & MT_DRUGF_HARM_REDUCTION) != 0);
    mt_jsonw_key(j, "parent");
    if (d->parent != KB_NONE && d->parent < mt_kb_count(kb, KB_T_DRUGS)) {
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", d->parent);
        mt_jsonw_kstr(j, "name", mt_kb_str(kb, mt_kb_drug(kb, d->parent)->name));
        mt_jsonw_obj_end(j);
    } else {
        mt_jsonw_null(j);
    }
    jcite(v, j, d->cite);
    mt_jsonw_obj_end(j);
}

static void json_identifiers(view *v, mt_jsonw *j)
{
    uint32_t i;
    mt_jsonw_key(j, "identifiers");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < v->idents.n; i++) {
        const kb_ident *id = mt_kb_ident(v->kb, v->idents.idx[i]);
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "type", id_type_name(id->type));
        mt_jsonw_kstr(j, "value", mt_kb_str(v->kb, id->value));
        jcite(v, j, id->cite);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
}

static void json_names(view *v, mt_jsonw *j, const char *key, const list *l, int brands)
{
    uint32_t i;
    mt_jsonw_key(j, key);
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "total", l->total);
    mt_jsonw_key(j, "items");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < l->n; i++) {
        const kb_name *nm = mt_kb_name(v->kb, l->idx[i]);
        mt_jsonw_obj_begin(j);
        if (brands) {
            mt_jsonw_kstr(j, "name", mt_kb_str(v->kb, nm->text));
            jstr(j, "code", mt_kb_str(v->kb, nm->code));
        } else {
            mt_jsonw_kstr(j, "text", mt_kb_str(v->kb, nm->text));
            mt_jsonw_kstr(j, "kind", name_kind_name(nm->kind));
        }
        jcite(v, j, nm->cite);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
}

static int json_products(view *v, mt_jsonw *j)
{
    const mt_kb *kb = v->kb;
    uint32_t i, k, *pick;
    pick = mt_arena_alloc(&v->arena, (size_t)v->o.max_ndcs * sizeof(uint32_t));
    if (!pick)
        return MT_ENOMEM;
    mt_jsonw_key(j, "products");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "total", v->products.total);
    mt_jsonw_kstr(j, "sort", "ingredients,tty,name,rxcui");
    mt_jsonw_key(j, "items");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < v->products.n; i++) {
        const kb_product *p = mt_kb_product(kb, v->products.idx[i]);
        const kb_ndc *ndcs = mt_kb_ndcs(kb, NULL);
        uint32_t np = pick_ndcs(v, p, pick, v->o.max_ndcs);
        mt_jsonw_obj_begin(j);
        mt_jsonw_key(j, "rxcui");
        if (p->rxcui)
            mt_jsonw_uint(j, p->rxcui);
        else
            mt_jsonw_null(j);
        jstr(j, "tty", mt_kb_str(kb, p->tty));
        mt_jsonw_kstr(j, "name", mt_kb_str(kb, p->name));
        jstr(j, "brand", mt_kb_str(kb, p->brand));
        mt_jsonw_kuint(j, "ingredients", p->ings.count);
        jcite(v, j, p->cite);
        mt_jsonw_key(j, "ndcs");
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "total", p->ndcs.count);
        mt_jsonw_key(j, "items");
        mt_jsonw_arr_begin(j);
        for (k = 0; k < np; k++) {
            mt_jsonw_obj_begin(j);
            mt_jsonw_kstr(j, "ndc", ndcs[pick[k]].ndc11);
            jcite(v, j, ndcs[pick[k]].cite);
            mt_jsonw_obj_end(j);
        }
        mt_jsonw_arr_end(j);
        mt_jsonw_obj_end(j);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
    return MT_OK;
}

static void json_classes(view *v, mt_jsonw *j)
{
    const mt_kb *kb = v->kb;
    const char *group = NULL;
    uint32_t i;
    mt_jsonw_key(j, "classes");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < v->classes.n; i++) {
        const kb_drug_class *dc = mt_kb_drug_class(kb, v->classes.idx[i]);
        const kb_class *c = mt_kb_class(kb, dc->cls);
        const char *type = mt_kb_str(kb, c->type);
        if (!group || strcmp(group, type) != 0) {
            if (group) {
                mt_jsonw_arr_end(j);
                mt_jsonw_obj_end(j);
            }
            group = type;
            mt_jsonw_obj_begin(j);
            mt_jsonw_kstr(j, "type", type);
            mt_jsonw_key(j, "items");
            mt_jsonw_arr_begin(j);
        }
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "name", mt_kb_str(kb, c->name));
        jstr(j, "code", mt_kb_str(kb, c->code));
        jcite(v, j, dc->cite);
        mt_jsonw_obj_end(j);
    }
    if (group) {
        mt_jsonw_arr_end(j);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
}

/* The end (exclusive) of the run of indications equal to position i. */
static uint32_t ind_run_end(const view *v, uint32_t i)
{
    const mt_kb *kb = v->kb;
    uint32_t e = i + 1;
    unsigned c = mt_kb_indication(kb, v->inds.idx[i])->category;
    while (e < v->inds.n && mt_kb_indication(kb, v->inds.idx[e])->category == c &&
           strcmp(v->ind_keys[e], v->ind_keys[i]) == 0)
        e++;
    return e;
}

static void json_indications(view *v, mt_jsonw *j)
{
    const mt_kb *kb = v->kb;
    uint32_t i = 0, shown = 0;
    unsigned cur = 0;
    mt_jsonw_key(j, "indications");
    mt_jsonw_arr_begin(j);
    while (i < v->inds.n) {
        const kb_indication *ind = mt_kb_indication(kb, v->inds.idx[i]);
        uint32_t e = ind_run_end(v, i), k;
        if (ind->category != cur) {
            if (cur) {
                mt_jsonw_arr_end(j);
                mt_jsonw_obj_end(j);
            }
            cur = ind->category;
            shown = 0;
            mt_jsonw_obj_begin(j);
            mt_jsonw_kstr(j, "category", ind_cat_name(cur));
            mt_jsonw_kstr(j, "label", ind_cat_label(cur));
            mt_jsonw_kuint(j, "total", cur < 8 ? v->ind_cat_total[cur] : 0);
            mt_jsonw_key(j, "items");
            mt_jsonw_arr_begin(j);
        }
        if (shown++ < MT_SHOW_LIST_MAX) {
            mt_jsonw_obj_begin(j);
            mt_jsonw_kstr(j, "disease", mt_kb_str(kb, ind->disease));
            jstr(j, "disease_id", mt_kb_str(kb, ind->disease_id));
            jcite(v, j, ind->cite);
            mt_jsonw_key(j, "other_citations");
            mt_jsonw_arr_begin(j);
            for (k = i + 1; k < e && k - i <= OTHER_CITES; k++) {
                mt_jsonw_obj_begin(j);
                jcite(v, j, mt_kb_indication(kb, v->inds.idx[k])->cite);
                mt_jsonw_obj_end(j);
            }
            mt_jsonw_arr_end(j);
            mt_jsonw_obj_end(j);
        }
        i = e;
    }
    if (cur) {
        mt_jsonw_arr_end(j);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
}

static void json_approvals(view *v, mt_jsonw *j)
{
    const mt_kb *kb = v->kb;
    uint32_t i;
    mt_jsonw_key(j, "approvals");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "total", v->apps.total);
    mt_jsonw_key(j, "items");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < v->apps.n; i++) {
        const kb_approval *a = mt_kb_approval(kb, v->apps.idx[i]);
        mt_jsonw_obj_begin(j);
        jstr(j, "appl_type", mt_kb_str(kb, a->appl_type));
        jstr(j, "appl_no", mt_kb_str(kb, a->appl_no));
        jstr(j, "product_no", mt_kb_str(kb, a->product_no));
        jstr(j, "brand", mt_kb_str(kb, a->brand));
        jstr(j, "active_ingredient", mt_kb_str(kb, a->active_ingredient));
        jstr(j, "form", mt_kb_str(kb, a->form));
        jstr(j, "strength", mt_kb_str(kb, a->strength));
        jstr(j, "marketing_status", mt_kb_str(kb, a->marketing_status));
        jstr(j, "approval_date", mt_kb_str(kb, a->approval_date));
        jstr(j, "sponsor", mt_kb_str(kb, a->sponsor));
        jcite(v, j, a->cite);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
}

static void json_small(view *v, mt_jsonw *j)
{
    const mt_kb *kb = v->kb;
    const kb_schedule *sch = mt_kb_schedules(kb, NULL);
    const kb_acb *acb = mt_kb_acbs(kb, NULL);
    uint32_t i;
    mt_jsonw_key(j, "schedules");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < v->d->schedules.count; i++) {
        const kb_schedule *s = &sch[v->d->schedules.first + i];
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "schedule", mt_kb_str(kb, s->schedule));
        jcite(v, j, s->cite);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_key(j, "anticholinergic_burden");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < v->d->acbs.count; i++) {
        const kb_acb *a = &acb[v->d->acbs.first + i];
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "scale", mt_kb_str(kb, a->scale));
        mt_jsonw_kint(j, "score", a->score);
        jcite(v, j, a->cite);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
}

/* The attribution the source requires for this document; EMA's names the
** medicine through a "<medicine>" placeholder. */
static int doc_attribution(view *v, const kb_doc *doc, mt_buf *b)
{
    const kb_source *src = mt_kb_source(v->kb, doc->cite.source);
    const char *a = mt_kb_str(v->kb, src->attribution);
    const char *ph = strstr(a, "<medicine>");
    int rc;
    mt_buf_reset(b);
    if (!ph)
        return mt_buf_puts(b, a);
    rc = mt_buf_append(b, a, (size_t)(ph - a));
    if (rc == MT_OK)
        rc = mt_buf_puts(b, mt_kb_str(v->kb, doc->title));
    if (rc == MT_OK)
        rc = mt_buf_puts(b, ph + strlen("<medicine>"));
    return rc;
}

static int json_documents(view *v, mt_jsonw *j)
{
    const mt_kb *kb = v->kb;
    const kb_doc_section *secs = mt_kb_doc_sections(kb, NULL);
    uint32_t i, s;
    mt_buf attr;
    int rc = MT_OK;

    mt_buf_init(&attr, 64 * 1024);
    mt_jsonw_key(j, "documents");
    mt_jsonw_obj_begin(j);
    mt_jsonw_kuint(j, "total", v->docs.total);
    mt_jsonw_key(j, "items");
    mt_jsonw_arr_begin(j);
    for (i = 0; i < v->docs.n && rc == MT_OK; i++) {
        const kb_doc *doc = mt_kb_doc(kb, v->docs.idx[i]);
        mt_jsonw_obj_begin(j);
        mt_jsonw_kuint(j, "id", v->docs.idx[i]);
        mt_jsonw_kstr(j, "kind", doc_kind_name(doc->kind));
        mt_jsonw_kstr(j, "title", mt_kb_str(kb, doc->title));
        jstr(j, "jurisdiction", mt_kb_str(kb, doc->jurisdiction));
        jstr(j, "date", mt_kb_str(kb, doc->date));
        jstr(j, "doc_id", mt_kb_str(kb, doc->doc_id));
        rc = doc_attribution(v, doc, &attr);
        jstr(j, "attribution", mt_buf_str(&attr));
        jcite(v, j, doc->cite);
        mt_jsonw_key(j, "sections");
        mt_jsonw_arr_begin(j);
        for (s = 0; s < doc->sections.count; s++) {
            const kb_doc_section *sec = &secs[doc->sections.first + s];
            int selected = doc_section_selected(v, sec);
            const char *text = mt_kb_str(kb, sec->text);
            if (v->o.section && !selected)
                continue;
            mt_jsonw_obj_begin(j);
            jstr(j, "code", mt_kb_str(kb, sec->code));
            mt_jsonw_kstr(j, "title", mt_kb_str(kb, sec->title));
            mt_jsonw_kuint(j, "length", strlen(text));
            if (selected || (v->o.flags & MT_SHOW_SECTION_TEXT))
                mt_jsonw_kstr(j, "text", text);
            else
                jstr(j, "text", NULL);
            mt_jsonw_obj_end(j);
        }
        mt_jsonw_arr_end(j);
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_arr_end(j);
    mt_jsonw_obj_end(j);
    mt_buf_free(&attr);
    return rc;
}

static void json_sources(view *v, mt_jsonw *j)
{
    const kb_source *src = mt_kb_sources(v->kb, NULL);
    uint32_t i;
    mt_jsonw_key(j, "sources");
    mt_jsonw_obj_begin(j);
    for (i = 0; i < v->nsources; i++) {
        if (!v->used[i])
            continue;
        mt_jsonw_key(j, mt_kb_str(v->kb, src[i].id));
        mt_jsonw_obj_begin(j);
        mt_jsonw_kstr(j, "name", mt_kb_str(v->kb, src[i].name));
        jstr(j, "edition", mt_kb_str(v->kb, src[i].edition));
        jstr(j, "licence", mt_kb_str(v->kb, src[i].licence));
        jstr(j, "attribution", mt_kb_str(v->kb, src[i].attribution));
        jstr(j, "url", mt_kb_str(v->kb, src[i].url));
        mt_jsonw_obj_end(j);
    }
    mt_jsonw_obj_end(j);
}

int mt_show_json(const mt_kb *kb, const mt_show_match *m, const mt_show_opts *o,
                 struct mt_buf *out)
{
    view v;
    mt_jsonw j;
    mt_kb_summary info;
    int rc;

    if (!kb || !m || !out || m->drug >= mt_kb_count(kb, KB_T_DRUGS))
        return MT_EINVAL;
    rc = view_build(&v, kb, m, o);
    if (rc != MT_OK)
        goto done;
    mt_kb_info(kb, &info);
    mt_jsonw_init(&j, out, (v.o.flags & MT_SHOW_PRETTY) != 0);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_key(&j, "kb");
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kstr(&j, "data_version", info.data_version);
    mt_jsonw_kstr(&j, "build_date", info.build_date);
    mt_jsonw_obj_end(&j);
    json_query(&v, &j);
    json_drug(&v, &j);
    json_identifiers(&v, &j);
    json_names(&v, &j, "names", &v.names, 0);
    json_names(&v, &j, "brands", &v.brands, 1);
    rc = json_products(&v, &j);
    if (rc != MT_OK)
        goto done;
    json_classes(&v, &j);
    json_indications(&v, &j);
    json_approvals(&v, &j);
    json_small(&v, &j);
    rc = json_documents(&v, &j);
    if (rc != MT_OK)
        goto done;
    mt_jsonw_key(&j, "section_filter");
    if (v.o.section) {
        mt_jsonw_obj_begin(&j);
        mt_jsonw_kstr(&j, "name", v.o.section);
        mt_jsonw_kuint(&j, "matched", v.nsection);
        mt_jsonw_obj_end(&j);
    } else {
        mt_jsonw_null(&j);
    }
    json_sources(&v, &j);
    mt_jsonw_kstr(&j, "disclaimer", MT_SHOW_DISCLAIMER);
    mt_jsonw_obj_end(&j);
    rc = mt_jsonw_finish(&j);
done:
    view_free(&v);
    return rc;
}

/* --- text ------------------------------------------------------------------------ */

/* Text from a data file goes to a terminal: control characters (an escape
** sequence in a source) become spaces. */
static int put_clean(mt_buf *b, const char *s)
{
    int rc = MT_OK;
    const char *p = s;
    while (rc == MT_OK && *p) {
        size_t n = 0;
        while (p[n] && ((unsigned char)p[n] >= 0x20 || p[n] == '\n') && p[n] != 0x7f)
            n++;
        rc = mt_buf_append(b, p, n);
        p += n;
        if (rc == MT_OK && *p) {
            rc = mt_buf_putc(b, ' ');
            p++;
        }
    }
    return rc;
}

static int put_cite(view *v, mt_buf *b, kb_cite c)
{
    const char *rec = mt_kb_cite_record(v->kb, c);
    int rc;
    mark(v, c);
    rc = mt_buf_puts(b, "  [");
    if (rc == MT_OK)
        rc = put_clean(b, mt_kb_cite_source(v->kb, c));
    if (rc == MT_OK && *rec) {
        rc = mt_buf_puts(b, ": ");
        if (rc == MT_OK)
            rc = put_clean(b, rec);
    }
    if (rc == MT_OK)
        rc = mt_buf_puts(b, "]\n");
    return rc;
}

/* prefix, then s cleaned: the common "indent + value" step. */
static int put2(mt_buf *b, const char *prefix, const char *s)
{
    int rc = mt_buf_puts(b, prefix);
    return rc == MT_OK ? put_clean(b, s) : rc;
}

/* prefix, s cleaned, suffix. */
static int put3(mt_buf *b, const char *prefix, const char *s, const char *suffix)
{
    int rc = put2(b, prefix, s);
    return rc == MT_OK ? mt_buf_puts(b, suffix) : rc;
}

static void put_ndc(char out[16], const char *ndc11)
{
    if (strlen(ndc11) == 11)
        snprintf(out, 16, "%.5s-%.4s-%.2s", ndc11, ndc11 + 5, ndc11 + 9);
    else
        snprintf(out, 16, "%s", ndc11);
}

/* Section text for a terminal: leaflet XHTML loses its tags (block tags
** become line breaks) and its few entities; plain text is kept as it is. */
static int put_section_text(mt_buf *b, const char *s)
{
    int rc = MT_OK;
    const char *p = s;
    int markup;
    while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
        p++;
    markup = *p == '<';
    if (!markup)
        return put_clean(b, p);
    while (rc == MT_OK && *p) {
        if (*p == '<') {
            const char *e = strchr(p, '>');
            const char *t = p + 1 + (p[1] == '/');
            if (!e)
                break;
            if (strncmp(t, "p", 1) == 0 || strncmp(t, "br", 2) == 0 || strncmp(t, "li", 2) == 0 ||
                (t[0] == 'h' && t[1] >= '1' && t[1] <= '6') || strncmp(t, "tr", 2) == 0) {
                if (b->len && b->data[b->len - 1] != '\n')
                    rc = mt_buf_putc(b, '\n');
                if (rc == MT_OK && strncmp(t, "li", 2) == 0 && p[1] != '/')
                    rc = mt_buf_puts(b, "  - ");
            }
            p = e + 1;
        } else if (*p == '&') {
            static const struct { const char *ent, *rep; } ents[] = {
                { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
                { "&#39;", "'" }, { "&apos;", "'" }, { "&nbsp;", " " }, { "&#160;", " " },
            };
            size_t k;
            for (k = 0; k < sizeof ents / sizeof ents[0]; k++)
                if (strncmp(p, ents[k].ent, strlen(ents[k].ent)) == 0)
                    break;
            if (k < sizeof ents / sizeof ents[0]) {
                rc = mt_buf_puts(b, ents[k].rep);
                p += strlen(ents[k].ent);
            } else {
                rc = mt_buf_putc(b, '&');
                p++;
            }
        } else if (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ') {
            /* runs of white space in markup are one space */
            while (*p == '\n' || *p == '\r' || *p == '\t' || *p == ' ')
                p++;
            if (b->len && b->data[b->len - 1] != '\n' && b->data[b->len - 1] != ' ')
                rc = mt_buf_putc(b, ' ');
        } else {
            size_t n = strcspn(p, "<&\n\r\t ");
            char tmp[256];
            while (n > 0 && rc == MT_OK) {
                size_t c = n < sizeof tmp - 1 ? n : sizeof tmp - 1;
                memcpy(tmp, p, c);
                tmp[c] = '\0';
                rc = put_clean(b, tmp);
                p += c;
                n -= c;
            }
        }
    }
    return rc;
}

static int text_header(view *v, mt_buf *b)
{
    const mt_kb *kb = v->kb;
    const kb_drug *d = v->d;
    const mt_show_match *m = v->m;
    const char *from = resolved_from(m);
    const char *name = mt_kb_str(kb, d->name);
    uint32_t i;
    int rc;

    rc = put2(b, "", name);
    if (rc == MT_OK)
        rc = mt_buf_printf(b, " (%s)\n", kind_words(d->kind));
    if (rc == MT_OK && from) {
        rc = mt_buf_printf(b, "  Resolved from the %s ",
                           strcmp(from, "brand") == 0 ? "brand name" :
                           strcmp(from, "salt") == 0 ? "salt form" :
                           strcmp(from, "product") == 0 ? "product" : "precise ingredient");
        if (rc == MT_OK && m->code_type) {
            rc = mt_buf_printf(b, "(%s ", m->code_type == MT_SEARCH_CODE_NDC ? "NDC" :
                               m->code_type == MT_SEARCH_CODE_RXCUI ? "RxCUI" :
                               m->code_type == MT_SEARCH_CODE_UNII ? "UNII" : "DrugBank id");
            if (rc == MT_OK)
                rc = put_clean(b, m->query ? m->query : "");
            if (rc == MT_OK)
                rc = mt_buf_puts(b, ") ");
        }
        if (rc == MT_OK)
            rc = put2(b, "\"", m->matched);
        if (rc == MT_OK)
            rc = put2(b, "\" [", *m->matched_source ? m->matched_source : "?");
        if (rc == MT_OK)
            rc = mt_buf_puts(b, "].\n");
        mark_source_id(v, m->matched_source);
    }
    if (rc == MT_OK && m->nalso) {
        rc = mt_buf_puts(b, "  The query also names:");
        for (i = 0; i < m->nalso && rc == MT_OK; i++) {
            rc = put2(b, i ? ", " : " ", mt_kb_str(kb, mt_kb_drug(kb, m->also[i])->name));
        }
        if (rc == MT_OK)
            rc = mt_buf_puts(b, " (materia show NAME for each).\n");
    }
    if (rc != MT_OK)
        return rc;
    if (d->flags & MT_DRUGF_IN_RXNORM) {
        rc = mt_buf_printf(b, "  In RxNorm: RxCUI %u%s", d->rxcui,
                           (d->flags & MT_DRUGF_RXNORM_RXTERMS)
                               ? " (known through RxTerms; the RxNorm ingredient file lacks it)" : "");
    } else {
        rc = put2(b, "  Not in RxNorm: ", name);
        if (rc == MT_OK)
            rc = mt_buf_puts(b, " has no RxNorm concept");
    }
    if (rc == MT_OK)
        rc = put_cite(v, b, d->cite);
    if (rc == MT_OK && d->parent != KB_NONE && d->parent < mt_kb_count(kb, KB_T_DRUGS))
        rc = put3(b, "  A form of: ", mt_kb_str(kb, mt_kb_drug(kb, d->parent)->name), "\n");
    if (rc == MT_OK && (d->flags & MT_DRUGF_HARM_REDUCTION))
        rc = mt_buf_puts(b, "  Known mainly from a harm-reduction source (not clinical evidence).\n");
    return rc;
}

static int text_identifiers(view *v, mt_buf *b)
{
    uint32_t i;
    int rc = MT_OK;
    if (!v->idents.n)
        return MT_OK;
    rc = mt_buf_puts(b, "\nIdentifiers\n");
    for (i = 0; i < v->idents.n && rc == MT_OK; i++) {
        const kb_ident *id = mt_kb_ident(v->kb, v->idents.idx[i]);
        rc = mt_buf_printf(b, "  %-12s ", id_type_label(id->type));
        if (rc == MT_OK)
            rc = put_clean(b, mt_kb_str(v->kb, id->value));
        if (rc == MT_OK)
            rc = put_cite(v, b, id->cite);
    }
    return rc;
}

static int text_names(view *v, mt_buf *b)
{
    uint32_t i, n;
    int rc = MT_OK;
    if (v->names.total) {
        n = v->names.n < TEXT_NAMES ? v->names.n : TEXT_NAMES;
        rc = mt_buf_printf(b, "\nNames and synonyms (%u)\n", v->names.total);
        for (i = 0; i < n && rc == MT_OK; i++) {
            const kb_name *nm = mt_kb_name(v->kb, v->names.idx[i]);
            rc = put2(b, "  ", mt_kb_str(v->kb, nm->text));
            if (rc == MT_OK && nm->kind != MT_NAME_SYNONYM)
                rc = mt_buf_printf(b, " (%s)", name_kind_name(nm->kind));
            if (rc == MT_OK)
                rc = put_cite(v, b, nm->cite);
        }
        if (rc == MT_OK && n < v->names.total)
            rc = mt_buf_printf(b, "  ... %u more (--json lists up to %u)\n", v->names.total - n,
                               MT_SHOW_LIST_MAX);
    }
    if (rc == MT_OK && v->brands.total) {
        rc = mt_buf_printf(b, "\nBrands (%u)\n", v->brands.total);
        for (i = 0; i < v->brands.n && rc == MT_OK; i++) {
            const kb_name *nm = mt_kb_name(v->kb, v->brands.idx[i]);
            const char *code = mt_kb_str(v->kb, nm->code);
            rc = put2(b, "  ", mt_kb_str(v->kb, nm->text));
            if (rc == MT_OK && *code)
                rc = put2(b, "  RxCUI ", code);
            if (rc == MT_OK)
                rc = put_cite(v, b, nm->cite);
        }
        if (rc == MT_OK && v->brands.n < v->brands.total)
            rc = mt_buf_printf(b, "  ... %u more\n", v->brands.total - v->brands.n);
    }
    return rc;
}

static int text_products(view *v, mt_buf *b)
{
    const mt_kb *kb = v->kb;
    const kb_ndc *ndcs = mt_kb_ndcs(kb, NULL);
    uint32_t i, k, *pick;
    int rc;
    if (!v->products.total)
        return MT_OK;
    pick = mt_arena_alloc(&v->arena, (size_t)v->o.max_ndcs * sizeof(uint32_t));
    if (!pick)
        return MT_ENOMEM;
    if (v->products.n < v->products.total)
        rc = mt_buf_printf(b, "\nProducts (%u of %u", v->products.n, v->products.total);
    else
        rc = mt_buf_printf(b, "\nProducts (%u", v->products.total);
    if (rc == MT_OK)
        rc = mt_buf_puts(b, "; single ingredient first, then SCD, SBD, GPCK, BPCK, then name)\n");
    for (i = 0; i < v->products.n && rc == MT_OK; i++) {
        const kb_product *p = mt_kb_product(kb, v->products.idx[i]);
        const char *tty = mt_kb_str(kb, p->tty);
        uint32_t np = pick_ndcs(v, p, pick, v->o.max_ndcs);
        rc = mt_buf_printf(b, "  %-4s ", *tty ? tty : "-");
        if (rc == MT_OK && p->rxcui)
            rc = mt_buf_printf(b, "RxCUI %-8u ", p->rxcui);
        if (rc == MT_OK)
            rc = put_clean(b, mt_kb_str(kb, p->name));
        if (rc == MT_OK)
            rc = put_cite(v, b, p->cite);
        if (rc == MT_OK && np) {
            rc = mt_buf_puts(b, "       NDC");
            for (k = 0; k < np && rc == MT_OK; k++) {
                char ndc[16];
                put_ndc(ndc, ndcs[pick[k]].ndc11);
                mark(v, ndcs[pick[k]].cite);
                rc = mt_buf_printf(b, " %s", ndc);
            }
            if (rc == MT_OK && np < p->ndcs.count)
                rc = mt_buf_printf(b, " (%u of %u)", np, p->ndcs.count);
            if (rc == MT_OK)
                rc = put_cite(v, b, ndcs[pick[0]].cite);
        }
    }
    if (rc == MT_OK && v->products.n < v->products.total)
        rc = mt_buf_printf(b, "  ... %u more (--products N lists more)\n",
                           v->products.total - v->products.n);
    return rc;
}

static int text_classes(view *v, mt_buf *b)
{
    const mt_kb *kb = v->kb;
    uint32_t i;
    int rc = MT_OK;
    if (!v->classes.n)
        return MT_OK;
    rc = mt_buf_puts(b, "\nPharmacologic classes\n");
    for (i = 0; i < v->classes.n && rc == MT_OK; i++) {
        const kb_drug_class *dc = mt_kb_drug_class(kb, v->classes.idx[i]);
        const kb_class *c = mt_kb_class(kb, dc->cls);
        const char *code = mt_kb_str(kb, c->code);
        rc = put2(b, "  ", mt_kb_str(kb, c->type));
        if (rc == MT_OK)
            rc = put2(b, ": ", mt_kb_str(kb, c->name));
        if (rc == MT_OK && *code)
            rc = put3(b, " (", code, ")");
        if (rc == MT_OK)
            rc = put_cite(v, b, dc->cite);
    }
    return rc;
}

static int text_indications(view *v, mt_buf *b)
{
    const mt_kb *kb = v->kb;
    uint32_t i = 0, shown = 0;
    unsigned cur = 0;
    int rc = MT_OK;
    if (!v->inds.n)
        return MT_OK;
    rc = mt_buf_puts(b, "\nIndications\n");
    while (i < v->inds.n && rc == MT_OK) {
        const kb_indication *ind = mt_kb_indication(kb, v->inds.idx[i]);
        uint32_t e = ind_run_end(v, i);
        if (ind->category != cur) {
            if (cur && shown > TEXT_INDS)
                rc = mt_buf_printf(b, "    ... %u more (--json lists them)\n", shown - TEXT_INDS);
            cur = ind->category;
            shown = 0;
            if (rc == MT_OK)
                rc = mt_buf_printf(b, "  %s:\n", ind_cat_label(cur));
        }
        if (rc == MT_OK && shown++ < TEXT_INDS) {
            rc = put2(b, "    ", mt_kb_str(kb, ind->disease));
            if (rc == MT_OK && e - i > 1)
                rc = mt_buf_printf(b, " (%u records)", e - i);
            if (rc == MT_OK)
                rc = put_cite(v, b, ind->cite);
        }
        i = e;
    }
    if (rc == MT_OK && shown > TEXT_INDS)
        rc = mt_buf_printf(b, "    ... %u more (--json lists them)\n", shown - TEXT_INDS);
    return rc;
}

static int text_approvals(view *v, mt_buf *b)
{
    const mt_kb *kb = v->kb;
    uint32_t i, n;
    int rc;
    if (!v->apps.total)
        return MT_OK;
    n = v->apps.n < TEXT_APPROVALS ? v->apps.n : TEXT_APPROVALS;
    rc = mt_buf_printf(b, "\nFDA approvals (Drugs@FDA: %u product%s)\n", v->apps.total,
                       v->apps.total == 1 ? "" : "s");
    for (i = 0; i < n && rc == MT_OK; i++) {
        const kb_approval *a = mt_kb_approval(kb, v->apps.idx[i]);
        const char *date = mt_kb_str(kb, a->approval_date);
        const char *status = mt_kb_str(kb, a->marketing_status);
        const char *sponsor = mt_kb_str(kb, a->sponsor);
        const char *form = mt_kb_str(kb, a->form);
        const char *strength = mt_kb_str(kb, a->strength);
        rc = put2(b, "  ", mt_kb_str(kb, a->appl_type));
        if (rc == MT_OK)
            rc = put2(b, " ", mt_kb_str(kb, a->appl_no));
        if (rc == MT_OK && *mt_kb_str(kb, a->product_no))
            rc = put2(b, "/", mt_kb_str(kb, a->product_no));
        if (rc == MT_OK)
            rc = put2(b, " ", mt_kb_str(kb, a->brand));
        if (rc == MT_OK && *form)
            rc = put2(b, ", ", form);
        if (rc == MT_OK && *strength)
            rc = put2(b, " ", strength);
        if (rc == MT_OK && *status)
            rc = put2(b, "; ", status);
        if (rc == MT_OK && *date)
            rc = put2(b, "; approved ", date);
        if (rc == MT_OK && *sponsor)
            rc = put2(b, "; ", sponsor);
        if (rc == MT_OK)
            rc = put_cite(v, b, a->cite);
    }
    if (rc == MT_OK && n < v->apps.total)
        rc = mt_buf_printf(b, "  ... %u more (--json lists up to %u)\n", v->apps.total - n,
                           MT_SHOW_LIST_MAX);
    return rc;
}

static int text_small(view *v, mt_buf *b)
{
    const mt_kb *kb = v->kb;
    const kb_schedule *sch = mt_kb_schedules(kb, NULL);
    const kb_acb *acb = mt_kb_acbs(kb, NULL);
    uint32_t i;
    int rc = MT_OK;
    if (v->d->schedules.count)
        rc = mt_buf_puts(b, "\nControlled-substance schedule (US DEA)\n");
    for (i = 0; i < v->d->schedules.count && rc == MT_OK; i++) {
        const kb_schedule *s = &sch[v->d->schedules.first + i];
        rc = put2(b, "  ", mt_kb_str(kb, s->schedule));
        if (rc == MT_OK)
            rc = put_cite(v, b, s->cite);
    }
    if (rc == MT_OK && v->d->acbs.count)
        rc = mt_buf_puts(b, "\nAnticholinergic burden\n");
    for (i = 0; i < v->d->acbs.count && rc == MT_OK; i++) {
        const kb_acb *a = &acb[v->d->acbs.first + i];
        rc = put2(b, "  ", mt_kb_str(kb, a->scale));
        if (rc == MT_OK)
            rc = mt_buf_printf(b, ": %d", a->score);
        if (rc == MT_OK)
            rc = put_cite(v, b, a->cite);
    }
    return rc;
}

static int text_documents(view *v, mt_buf *b)
{
    const mt_kb *kb = v->kb;
    const kb_doc_section *secs = mt_kb_doc_sections(kb, NULL);
    uint32_t i, s;
    int rc = MT_OK;
    mt_buf attr;

    if (v->o.section && !v->nsection)
        return mt_buf_printf(b, "\nNo document section of this drug matches \"%s\".\n", v->o.section);
    if (!v->docs.total)
        return MT_OK;
    mt_buf_init(&attr, 64 * 1024);
    rc = mt_buf_printf(b, "\nDocuments (%u)\n", v->docs.total);
    for (i = 0; i < v->docs.n && rc == MT_OK; i++) {
        const kb_doc *doc = mt_kb_doc(kb, v->docs.idx[i]);
        const char *date = mt_kb_str(kb, doc->date);
        uint32_t listed = 0;
        rc = mt_buf_printf(b, "  %s: ", doc_kind_label(doc->kind));
        if (rc == MT_OK)
            rc = put2(b, "", mt_kb_str(kb, doc->title));
        if (rc == MT_OK)
            rc = put2(b, " (", mt_kb_str(kb, doc->jurisdiction));
        if (rc == MT_OK && *date)
            rc = put2(b, ", ", date);
        if (rc == MT_OK)
            rc = mt_buf_putc(b, ')');
        if (rc == MT_OK)
            rc = put_cite(v, b, doc->cite);
        if (rc == MT_OK && doc->kind == MT_DOC_EU_LEAFLET && doc_attribution(v, doc, &attr) == MT_OK &&
            attr.len)
            rc = put3(b, "    ", mt_buf_str(&attr), "\n");
        for (s = 0; s < doc->sections.count && rc == MT_OK; s++) {
            const kb_doc_section *sec = &secs[doc->sections.first + s];
            const char *code = mt_kb_str(kb, sec->code);
            if (v->o.section) {
                if (!doc_section_selected(v, sec))
                    continue;
                rc = put2(b, "\n  == ", mt_kb_str(kb, sec->title));
                if (rc == MT_OK && *code)
                    rc = put3(b, " (", code, ")");
                if (rc == MT_OK)
                    rc = mt_buf_puts(b, " ==\n");
                if (rc == MT_OK)
                    rc = put_section_text(b, mt_kb_str(kb, sec->text));
                if (rc == MT_OK)
                    rc = mt_buf_puts(b, "\n");
                continue;
            }
            rc = put2(b, listed++ ? "; " : "    Sections: ", mt_kb_str(kb, sec->title));
        }
        if (rc == MT_OK && listed)
            rc = mt_buf_putc(b, '\n');
    }
    if (rc == MT_OK && v->docs.n < v->docs.total)
        rc = mt_buf_printf(b, "  ... %u more\n", v->docs.total - v->docs.n);
    if (rc == MT_OK && !v->o.section)
        rc = mt_buf_puts(b, "  (materia show DRUG --section NAME prints a section's text)\n");
    mt_buf_free(&attr);
    return rc;
}

static int text_sources(view *v, mt_buf *b)
{
    const kb_source *src = mt_kb_sources(v->kb, NULL);
    uint32_t i;
    int rc = mt_buf_puts(b, "\nSources\n");
    for (i = 0; i < v->nsources && rc == MT_OK; i++) {
        const char *ed, *lic;
        if (!v->used[i])
            continue;
        ed = mt_kb_str(v->kb, src[i].edition);
        lic = mt_kb_str(v->kb, src[i].licence);
        rc = mt_buf_printf(b, "  %-18s ", mt_kb_str(v->kb, src[i].id));
        if (rc == MT_OK)
            rc = put_clean(b, mt_kb_str(v->kb, src[i].name));
        if (rc == MT_OK && *ed)
            rc = put2(b, ", ", ed);
        if (rc == MT_OK && *lic)
            rc = put2(b, ". Licence: ", lic);
        if (rc == MT_OK)
            rc = mt_buf_putc(b, '\n');
    }
    return rc;
}

int mt_show_text(const mt_kb *kb, const mt_show_match *m, const mt_show_opts *o,
                 struct mt_buf *out)
{
    view v;
    int rc;

    if (!kb || !m || !out || m->drug >= mt_kb_count(kb, KB_T_DRUGS))
        return MT_EINVAL;
    rc = view_build(&v, kb, m, o);
    if (rc == MT_OK)
        rc = text_header(&v, out);
    if (rc == MT_OK && !v.o.section) {
        rc = text_identifiers(&v, out);
        if (rc == MT_OK)
            rc = text_names(&v, out);
        if (rc == MT_OK)
            rc = text_products(&v, out);
        if (rc == MT_OK)
            rc = text_classes(&v, out);
        if (rc == MT_OK)
            rc = text_indications(&v, out);
        if (rc == MT_OK)
            rc = text_approvals(&v, out);
        if (rc == MT_OK)
            rc = text_small(&v, out);
    }
    if (rc == MT_OK)
        rc = text_documents(&v, out);
    if (rc == MT_OK)
        rc = text_sources(&v, out);
    if (rc == MT_OK)
        rc = mt_buf_printf(out, "\n%s\n", MT_SHOW_DISCLAIMER);
    view_free(&v);
    return rc;
}

/* --- unknown drugs ------------------------------------------------------------------ */

int mt_show_notfound_json(const mt_kb *kb, const char *query, const mt_search_results *r,
                          unsigned flags, struct mt_buf *out)
{
    mt_jsonw j;
    uint32_t i;
    if (!kb || !query || !r || !out)
        return MT_EINVAL;
    mt_jsonw_init(&j, out, (flags & MT_SHOW_PRETTY) != 0);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kstr(&j, "error", "not_found");
    mt_jsonw_kstr(&j, "query", query);
    mt_jsonw_kstr(&j, "message", "No drug with this name or code in the knowledge base.");
    mt_jsonw_key(&j, "suggestions");
    mt_jsonw_arr_begin(&j);
    for (i = 0; i < r->count && i < MT_SHOW_SUGGESTIONS; i++) {
        const mt_search_hit *h = &r->hits[i];
        mt_jsonw_obj_begin(&j);
        mt_jsonw_kuint(&j, "id", h->drug);
        mt_jsonw_kstr(&j, "drug", h->drug_name ? h->drug_name : "");
        mt_jsonw_kstr(&j, "matched", h->name ? h->name : "");
        mt_jsonw_kstr(&j, "matched_kind", name_kind_name(h->name_kind));
        mt_jsonw_kstr(&j, "match", mt_search_tier_name(h->tier));
        mt_jsonw_kuint(&j, "distance", h->distance);
        mt_jsonw_obj_end(&j);
    }
    mt_jsonw_arr_end(&j);
    mt_jsonw_obj_end(&j);
    return mt_jsonw_finish(&j);
}

int mt_show_notfound_text(const mt_kb *kb, const char *query, const mt_search_results *r,
                          struct mt_buf *out)
{
    uint32_t i;
    int rc;
    if (!kb || !query || !r || !out)
        return MT_EINVAL;
    rc = put2(out, "No drug named \"", query);
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "\" in the knowledge base.\n");
    if (rc == MT_OK && r->count) {
        rc = mt_buf_puts(out, "Did you mean:");
        for (i = 0; i < r->count && i < MT_SHOW_SUGGESTIONS && rc == MT_OK; i++) {
            const mt_search_hit *h = &r->hits[i];
            const char *dn = h->drug_name ? h->drug_name : "";
            rc = put2(out, i ? ", " : " ", h->name ? h->name : dn);
            if (rc == MT_OK && h->name && strcasecmp(h->name, dn) != 0)
                rc = put3(out, " (", dn, ")");
        }
        if (rc == MT_OK)
            rc = mt_buf_puts(out, "?\n");
    }
    return rc;
}
