/*
** fuzz_search.c — libFuzzer target for the query side of search
** (lib/search/search.c): arbitrary bytes as a query against a small
** knowledge base built once at start-up, through every flag combination.
** Checks, besides memory safety, what the API promises: at most `limit`
** hits, one per drug, in rank order (tier, then distance), drugs in range,
** strings present.
**
** Seeds: fuzz/corpus/fuzz_search/ (misspellings, codes, label strings).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/kb_internal.h"
#include "kbwrite/kbwrite.h"
#include "materia/search.h"
#include "model/model.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mt_kb *kb;
static mt_search_results res;

static mdl_ref add_drug(mdl *m, mdl_src s, const char *name, uint32_t rxcui, const char *unii)
{
    mdl_keys k;
    mdl_ref r = 0;
    memset(&k, 0, sizeof(k));
    k.rxcui = rxcui;
    k.unii = unii;
    mdl_drug_add(m, name, MT_DRUG_INGREDIENT, &k, rxcui ? MT_DRUGF_IN_RXNORM : 0,
                 mdl_cite_make(m, s, "%s", name), &r);
    return r;
}

static void add_product(mdl *m, mdl_src s, uint32_t rxcui, const char *name, const char *brand,
                        mdl_ref drug, const char *ndc)
{
    mdl_product p;
    mdl_ref r;
    memset(&p, 0, sizeof(p));
    p.rxcui = rxcui;
    p.tty = brand ? "SBD" : "SCD";
    p.name = name;
    p.brand = brand;
    p.cite = mdl_cite_make(m, s, "RXCUI %u", rxcui);
    if (mdl_product_add(m, &p, &r) != MT_OK)
        return;
    mdl_product_ing_add(m, r, drug);
    mdl_ndc_add(m, r, ndc, mdl_cite_make(m, s, "NDC %s", ndc));
}

/* A few drugs with every kind of name, products and codes. */
static void build_kb(void)
{
    mdl m;
    mdl_source d;
    mdl_src s = 0;
    mdl_ref ser, ket, esk, salt;
    char path[64];

    memset(&d, 0, sizeof(d));
    d.id = "fuzz";
    d.name = "fuzz";
    d.edition = "2025-01";
    mdl_init(&m);
    mdl_source_add(&m, &d, &s);
    ser = add_drug(&m, s, "sertraline", 36437, "QUC7NX6WMB");
    ket = add_drug(&m, s, "ketamine", 6130, "690G0D6V8H");
    esk = add_drug(&m, s, "esketamine", 2119365, NULL);
    salt = add_drug(&m, s, "sertraline hydrochloride", 82728, NULL);
    m.drugs.items[salt].kind = MT_DRUG_PRECISE;
    m.drugs.items[salt].parent = ser;
    add_drug(&m, s, "acetaminophen", 161, "362O9ITL9D");
    add_drug(&m, s, "sodium chloride", 9863, NULL);
    mdl_name_add(&m, ser, MT_NAME_BRAND, "Zoloft", "82112", mdl_cite_make(&m, s, "b"));
    mdl_name_add(&m, ket, MT_NAME_BRAND, "Ketalar", NULL, mdl_cite_make(&m, s, "b"));
    mdl_name_add(&m, esk, MT_NAME_BRAND, "Spravato", NULL, mdl_cite_make(&m, s, "b"));
    mdl_name_add(&m, esk, MT_NAME_SYNONYM, "(+)-Ketamine", NULL, mdl_cite_make(&m, s, "s"));
    mdl_name_add(&m, ser, MT_NAME_INTL, "sertralina", NULL, mdl_cite_make(&m, s, "i"));
    add_product(&m, s, 312940, "sertraline 50 MG Oral Tablet", NULL, ser, "00378418801");
    add_product(&m, s, 208161, "sertraline 50 MG Oral Tablet [Zoloft]", "Zoloft", ser, "0049-4900-50");
    add_product(&m, s, 1000, "ketamine 50 MG/ML Injectable Solution", NULL, ket, "0002-1433-80");
    snprintf(path, sizeof(path), "/tmp/fuzz_search_%ld.kb", (long)getpid());
    if (mt_kb_write(&m, path, "fuzz", NULL, NULL) != MT_OK || mt_kb_open(&kb, path, 0) != MT_OK ||
        mt_search_results_init(&res) != MT_OK)
        abort();
    unlink(path);                  /* the map stays valid */
    mdl_free(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char query[MT_SEARCH_QUERY_MAX + 64];
    unsigned flags, limit, i;
    int rc;

    if (!kb)
        build_kb();
    if (size == 0)
        return 0;
    flags = data[0] & 0x1Fu;
    limit = (data[0] >> 5) * 7u;          /* 0 (the default), 7, 14 ... 49 */
    size--;
    if (size >= sizeof(query))
        size = sizeof(query) - 1;
    memcpy(query, data + 1, size);
    query[size] = '\0';
    rc = (flags & 0x10u) ? mt_search_suggest(kb, query, limit, &res)
                         : mt_search(kb, query, limit, flags & 0x0Fu, &res);
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        abort();
    if ((rc == MT_OK) != (res.count > 0) || res.count > (limit ? limit : 10u))
        abort();
    for (i = 0; i < res.count; i++) {
        const mt_search_hit *h = &res.hits[i];
        if (!mt_kb_drug(kb, h->drug) || !mt_kb_drug(kb, h->name_drug) || !h->name || !h->drug_name ||
            !h->source || h->tier < MT_SEARCH_TIER_CODE || h->tier > MT_SEARCH_TIER_FUZZY_PREFIX)
            abort();
        if (i > 0 && (res.hits[i - 1].tier > h->tier ||
                      (res.hits[i - 1].tier == h->tier && res.hits[i - 1].distance > h->distance)))
            abort();
        if (i > 0 && res.hits[i - 1].drug == h->drug)
            abort();
    }
    return 0;
}
