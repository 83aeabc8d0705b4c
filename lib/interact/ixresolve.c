/*
** ixresolve.c — turning one checker input into ingredients (ixcheck.h).
**
** Codes first, because they cannot be misread: an NDC names a product, an
** RxCUI an ingredient or a product, a UNII or DrugBank id an ingredient.
** Everything else is a name and goes through the search module's exact and
** normalized tiers only. A name that only a fuzzy tier would match is NOT
** used: the input is reported unresolved, with the fuzzy candidates as
** suggestions ("did you mean"), because checking the wrong drug silently is
** worse than checking nothing.
**
** A product (an NDC, a product RxCUI, a product or brand name of a
** combination) becomes all of its ingredients, and so does a
** multiple-ingredient concept (RxNorm MIN); a salt or precise ingredient
** keeps its own identity for display and matches through its parent
** ingredient too.
*/
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "interact/ixcheck.h"
#include "interact/ixindex.h"
#include "materia/search.h"
#include "materia/show.h"
#include "util/alloc.h"

/* --- ingredients -------------------------------------------------------------- */

typedef struct ingvec {
    mt_check_ing v[64];       /* a product has a handful; more are dropped */
    uint32_t n;
} ingvec;

static void add_one(const mt_kb *kb, ingvec *iv, uint32_t drug)
{
    const kb_drug *d = mt_kb_drug(kb, drug), *b;
    uint32_t base, i;
    if (!d)
        return;
    base = d->parent != KB_NONE && mt_kb_drug(kb, d->parent) ? d->parent : drug;
    for (i = 0; i < iv->n; i++)
        if (iv->v[i].drug == drug)
            return;
    if (iv->n >= sizeof(iv->v) / sizeof(iv->v[0]))
        return;
    b = mt_kb_drug(kb, base);
    memset(&iv->v[iv->n], 0, sizeof(iv->v[0]));
    iv->v[iv->n].drug = drug;
    iv->v[iv->n].base = base;
    iv->v[iv->n].name = mt_kb_str(kb, b->name);
    iv->v[iv->n].via_name = base != drug ? mt_kb_str(kb, d->name) : NULL;
    iv->v[iv->n].kind = b->kind;
    iv->n++;
}

static int is_multi(const mt_kb *kb, uint32_t drug)
{
    const kb_drug *d = mt_kb_drug(kb, drug);
    return d && d->kind == MT_DRUG_MULTI;
}

/* The single ingredients of a product; 0 when it lists only
** multiple-ingredient concepts (RxNorm MIN), which carry no interaction. */
static uint32_t add_single_ings(const mt_kb *kb, ingvec *iv, uint32_t product)
{
    const kb_product *p = mt_kb_product(kb, product);
    const kb_product_ing *pi = mt_kb_product_ings(kb, NULL);
    uint32_t i, added = 0;
    for (i = 0; p && i < p->ings.count; i++) {
        uint32_t d = pi[p->ings.first + i].drug;
        if (!is_multi(kb, d)) {
            add_one(kb, iv, d);
            added++;
        }
    }
    return added;
}

/* A drug as ingredients. A multiple-ingredient concept (RxNorm MIN,
** "acetaminophen / hydrocodone") has no interaction of its own: it stands for
** the single ingredients of its products (the first product that lists
** them; all of a MIN's products have the same ones). A MIN with no such
** product is kept as it is, and shows as not covered. */
static void add_ing(const mt_kb *kb, ingvec *iv, uint32_t drug)
{
    const kb_drug *d = mt_kb_drug(kb, drug);
    const kb_product_ing *dp = mt_kb_drug_products(kb, NULL);
    uint32_t i;
    if (!d)
        return;
    if (d->kind == MT_DRUG_MULTI) {
        for (i = 0; i < d->products.count; i++)
            if (add_single_ings(kb, iv, dp[d->products.first + i].product))
                return;
    }
    add_one(kb, iv, drug);
}

/* A product's single ingredients (its MIN, when RxNorm lists one too, left
** out); a product that lists only MINs gets theirs. */
static void add_product_ings(const mt_kb *kb, ingvec *iv, uint32_t product)
{
    const kb_product *p = mt_kb_product(kb, product);
    const kb_product_ing *pi = mt_kb_product_ings(kb, NULL);
    uint32_t i;
    if (!p || add_single_ings(kb, iv, product))
        return;
    for (i = 0; i < p->ings.count; i++)
        add_ing(kb, iv, pi[p->ings.first + i].drug);
}

static void set_ings(ix_check *c, mt_check_input *in, const ingvec *iv)
{
    mt_check_ing *g = ix_alloc(c, iv->n + 1, sizeof(*g));
    if (!g)
        return;
    memcpy(g, iv->v, iv->n * sizeof(*g));
    in->ings = g;
    in->ning = iv->n;
}

/* --- codes -------------------------------------------------------------------------- */

static int all_digits(const char *s, size_t len)
{
    size_t i;
    if (len == 0)
        return 0;
    for (i = 0; i < len; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* Digits and dashes with 10 or 11 digits: the shape of an NDC. */
static int looks_like_ndc(const char *s, size_t len)
{
    size_t i, digits = 0, dashes = 0;
    for (i = 0; i < len; i++) {
        if (isdigit((unsigned char)s[i]))
            digits++;
        else if (s[i] == '-')
            dashes++;
        else
            return 0;
    }
    return (dashes == 2 && (digits == 10 || digits == 11)) || (dashes == 0 && digits == 11);
}

static void resolved_as_product(ix_check *c, mt_check_input *in, uint32_t product, int how,
                                const char *matched, kb_cite cite)
{
    const kb_product *p = mt_kb_product(c->kb, product);
    ingvec iv;
    iv.n = 0;
    add_product_ings(c->kb, &iv, product);
    if (!p || iv.n == 0)
        return;                   /* a product with no known ingredient: nothing to check */
    in->how = (uint8_t)how;
    in->tier = "code";
    in->matched = ix_strdup(c, matched);
    in->match_kind = how == MT_CHECK_BY_NDC ? "ndc" : "rxcui";
    in->product = product;
    in->product_name = ix_kstr(c->kb, p->name);
    in->cite = ix_cite(c->kb, cite);
    set_ings(c, in, &iv);
}

static void resolved_as_drug(ix_check *c, mt_check_input *in, uint32_t drug, int how,
                             const char *matched, const char *kind)
{
    const kb_drug *d = mt_kb_drug(c->kb, drug);
    ingvec iv;
    iv.n = 0;
    add_ing(c->kb, &iv, drug);
    if (!d || iv.n == 0)
        return;
    in->how = (uint8_t)how;
    in->tier = "code";
    in->matched = ix_strdup(c, matched);
    in->match_kind = kind;
    in->cite = ix_cite(c->kb, d->cite);
    set_ings(c, in, &iv);
}

/* MT_OK when the text was a code that resolved; MT_ENOTFOUND otherwise. */
static int resolve_code(ix_check *c, mt_check_input *in, const char *s, size_t len)
{
    char label[64];
    uint32_t drug, product;

    if (len >= 40)
        return MT_ENOTFOUND;
    if (looks_like_ndc(s, len)) {
        const uint32_t *rows;
        uint32_t n;
        if (mt_kb_ndc_find(c->kb, s, &rows, &n) == MT_OK) {
            const kb_ndc *ndc = mt_kb_ndc(c->kb, rows[0]);
            snprintf(label, sizeof(label), "NDC %s", ndc->ndc11);
            resolved_as_product(c, in, ndc->product, MT_CHECK_BY_NDC, label, ndc->cite);
            if (in->how != MT_CHECK_UNRESOLVED)
                return MT_OK;
        }
        if (!all_digits(s, len))
            return MT_ENOTFOUND;
    }
    if (all_digits(s, len) && len <= 9) {
        unsigned long v = strtoul(s, NULL, 10);
        snprintf(label, sizeof(label), "RXCUI %lu", v);
        if (v > 0 && v <= UINT32_MAX && mt_kb_drug_by_rxcui(c->kb, (uint32_t)v, &drug) == MT_OK) {
            resolved_as_drug(c, in, drug, MT_CHECK_BY_RXCUI, label, "rxcui");
            if (in->how != MT_CHECK_UNRESOLVED)
                return MT_OK;
        }
        if (v > 0 && v <= UINT32_MAX && mt_ix_product_by_rxcui(&c->ix, (uint32_t)v, &product) == MT_OK) {
            const kb_product *p = mt_kb_product(c->kb, product);
            resolved_as_product(c, in, product, MT_CHECK_BY_RXCUI, label, p->cite);
            if (in->how != MT_CHECK_UNRESOLVED)
                return MT_OK;
        }
        return MT_ENOTFOUND;
    }
    if (len == 10 && mt_kb_drug_by_unii(c->kb, s, &drug) == MT_OK) {
        snprintf(label, sizeof(label), "UNII %.10s", s);
        resolved_as_drug(c, in, drug, MT_CHECK_BY_CODE, label, "unii");
        return in->how != MT_CHECK_UNRESOLVED ? MT_OK : MT_ENOTFOUND;
    }
    if (len == 7 && (s[0] == 'D' || s[0] == 'd') && (s[1] == 'B' || s[1] == 'b') &&
        all_digits(s + 2, 5) && mt_kb_drug_by_drugbank(c->kb, s, &drug) == MT_OK) {
        snprintf(label, sizeof(label), "DrugBank %.7s", s);
        resolved_as_drug(c, in, drug, MT_CHECK_BY_CODE, label, "drugbank");
        return in->how != MT_CHECK_UNRESOLVED ? MT_OK : MT_ENOTFOUND;
    }
    return MT_ENOTFOUND;
}

/* --- names ------------------------------------------------------------------------------ */

static const char *kind_word(int name_kind)
{
    switch (name_kind) {
    case MT_NAME_PREFERRED: return "preferred";
    case MT_NAME_SYNONYM:   return "synonym";
    case MT_NAME_BRAND:     return "brand";
    case MT_NAME_PRODUCT:   return "product";
    case MT_NAME_INTL:      return "international";
    case MT_NAME_SALT:      return "salt";
    default:                return "name";
    }
}

/* The name record behind a match, for the citation: the drug's names are
** few, so a walk is cheap. Product names live on products, not in the names
** table: those cite the product's own record (its RxCUI). */
static mt_check_cite name_cite(ix_check *c, const mt_show_match *m)
{
    const kb_drug *d = mt_kb_drug(c->kb, m->name_drug);
    const kb_name *names = mt_kb_names(c->kb, NULL);
    mt_check_cite none;
    uint32_t i;

    if (d && m->matched && m->name_kind == MT_NAME_PRODUCT) {
        const kb_product_ing *dp = mt_kb_drug_products(c->kb, NULL);
        for (i = 0; i < d->products.count; i++) {
            const kb_product *p = mt_kb_product(c->kb, dp[d->products.first + i].product);
            if (strcasecmp(mt_kb_str(c->kb, p->name), m->matched) == 0)
                return ix_cite(c->kb, p->cite);
        }
    }
    if (d && m->matched) {
        for (i = 0; i < d->names.count; i++) {
            const kb_name *n = &names[d->names.first + i];
            if (n->kind == m->name_kind && strcmp(mt_kb_str(c->kb, n->text), m->matched) == 0)
                return ix_cite(c->kb, n->cite);
        }
        if (m->name_kind == MT_NAME_PREFERRED && strcmp(mt_kb_str(c->kb, d->name), m->matched) == 0)
            return ix_cite(c->kb, d->cite);
    }
    memset(&none, 0, sizeof(none));
    none.source = m->matched_source && *m->matched_source ? m->matched_source : NULL;
    return none;
}

/* "Did you mean": the fuzzy names mt_show_resolve left in the results. */
static void suggest(ix_check *c, mt_check_input *in)
{
    const char **out;
    uint32_t i, j, n = 0;

    if (c->opts.flags & MT_CHECK_F_NO_SUGGEST)
        return;
    out = ix_alloc(c, MT_CHECK_MAX_SUGGEST, sizeof(char *));
    if (!out)
        return;
    for (i = 0; i < c->search->count && n < MT_CHECK_MAX_SUGGEST; i++) {
        const mt_search_hit *h = &c->search->hits[i];
        char buf[2 * MT_SEARCH_QUERY_MAX + 8];
        if (h->name && h->drug_name && strcasecmp(h->name, h->drug_name) != 0)
            snprintf(buf, sizeof(buf), "%s (%s)", h->name, h->drug_name);
        else
            snprintf(buf, sizeof(buf), "%s", h->drug_name ? h->drug_name : h->name ? h->name : "");
        for (j = 0; j < n; j++)
            if (strcmp(out[j], buf) == 0)
                break;
        if (j < n || !buf[0])
            continue;
        if (!(out[n] = ix_strdup(c, buf)))
            return;
        n++;
    }
    in->suggestions = out;
    in->nsuggestions = n;
}

/* Names resolve exactly as `materia show` resolves them (mt_show_resolve):
** the strict tiers only, the best name kind within the best tier (a drug's
** own name over a brand, a brand over a salt or international name, those
** over another drug's synonym), plus every other drug that the very same
** name names as strictly. When that name is a brand or a product name, the
** drugs are the ingredients of one combination; otherwise the name belongs
** to several drugs and the input is marked ambiguous (all are checked).
** When nothing strict matches, the results hold the "did you mean"
** suggestions, which are reported and never used. */
static void resolve_name(ix_check *c, const char *text, mt_check_input *in)
{
    mt_show_match m;
    ingvec iv;
    uint32_t i;
    int rc;

    if (!c->search) {
        c->search = ix_alloc(c, 1, sizeof(*c->search));
        if (!c->search)
            return;
        if (mt_search_results_init(c->search) != MT_OK) {
            c->search = NULL;
            c->rc = MT_ENOMEM;
            return;
        }
        c->search_owned = 1;
    }
    rc = mt_show_resolve(c->kb, text, c->search, &m);
    if (rc == MT_ECORRUPT) {
        in->why = "the knowledge base has no search index";
        return;
    }
    if (rc != MT_OK) {
        in->why = "no exact or normalized match";
        if (rc == MT_ENOTFOUND)
            suggest(c, in);
        return;
    }
    iv.n = 0;
    add_ing(c->kb, &iv, m.name_drug);
    for (i = 0; i < m.nalso; i++)
        add_ing(c->kb, &iv, m.also[i]);
    if (iv.n == 0) {
        in->why = "the match names no drug";
        return;
    }
    in->how = MT_CHECK_BY_NAME;
    if (m.tier == MT_SEARCH_TIER_CODE)
        in->how = m.code_type == MT_SEARCH_CODE_RXCUI ? MT_CHECK_BY_RXCUI
                : m.code_type == MT_SEARCH_CODE_NDC ? MT_CHECK_BY_NDC : MT_CHECK_BY_CODE;
    in->tier = mt_search_tier_name(m.tier);
    in->matched = ix_strdup(c, m.matched);
    in->match_kind = m.tier == MT_SEARCH_TIER_CODE ? mt_search_code_name(m.code_type) : kind_word(m.name_kind);
    in->cite = name_cite(c, &m);
    in->ambiguous = iv.n > 1 && m.tier != MT_SEARCH_TIER_CODE &&
                    m.name_kind != MT_NAME_BRAND && m.name_kind != MT_NAME_PRODUCT;
    set_ings(c, in, &iv);
}

/* --- the entry point ----------------------------------------------------------------------- */

void ix_resolve(ix_check *c, const char *text, mt_check_input *in)
{
    const char *s = text, *e;
    size_t len;

    memset(in, 0, sizeof(*in));
    in->product = MT_CHECK_NONE;
    in->text = ix_strdup(c, text);
    if (!in->text)
        return;
    while (*s && isspace((unsigned char)*s))
        s++;
    e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        e--;
    len = (size_t)(e - s);
    if (len == 0) {
        in->why = "empty input";
        return;
    }
    if (len > MT_CHECK_MAX_INPUT_LEN) {
        in->why = "input too long";
        return;
    }
    {
        char buf[MT_CHECK_MAX_INPUT_LEN + 1];
        memcpy(buf, s, len);
        buf[len] = '\0';
        if (resolve_code(c, in, buf, len) == MT_OK || c->rc != MT_OK)
            return;
        resolve_name(c, buf, in);
    }
}
