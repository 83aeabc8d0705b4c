/*
** test_show.c — `materia show` (lib/show/show.c): resolving strictly, brands
** to ingredients, bounded and sorted lists, indications grouped by evidence,
** documents and --section, a source for every fact, the JSON shape checked
** against docs/reference/json-shapes.md, allocation failures; then the acceptance
** probes on the real knowledge base ($MATERIA_TEST_KB).
**
** The small model holds real identifiers (RxCUIs, UNIIs, DrugBank ids, NDCs,
** application numbers) from the bundled sources; product RxCUIs of the
** naproxen/sumatriptan group are only there to be sorted.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "kb/testmodel.h"
#include "kbwrite/kbwrite.h"
#include "materia/search.h"
#include "materia/show.h"
#include "model/model.h"
#include "util/alloc.h"
#include "util/buf.h"

#define TRY(x) do { if ((rc = (x)) != MT_OK) goto done; } while (0)
#define OUT_MAX (8u * 1024 * 1024)

static mdl_src add_src(mdl *m, const char *id, const char *name, const char *attribution)
{
    mdl_source d;
    mdl_src s = 0;
    memset(&d, 0, sizeof d);
    d.id = id;
    d.name = name;
    d.edition = "test edition";
    d.licence = "test licence";
    d.attribution = attribution;
    d.kind = "vocabulary";
    mdl_source_add(m, &d, &s);
    return s;
}

static int add_product(mdl *m, mdl_src s, uint32_t rxcui, const char *tty, const char *name,
                       const char *brand, mdl_ref ing1, mdl_ref ing2, mdl_ref *out)
{
    mdl_product p;
    int rc;
    memset(&p, 0, sizeof p);
    p.rxcui = rxcui;
    p.tty = tty;
    p.name = name;
    p.brand = brand;
    p.cite = mdl_cite_make(m, s, "RXCUI %u", rxcui);
    TRY(mdl_product_add(m, &p, out));
    TRY(mdl_product_ing_add(m, *out, ing1));
    if (ing2 != MDL_NONE)
        TRY(mdl_product_ing_add(m, *out, ing2));
done:
    return rc;
}

/* The show test model: every kind of fact show renders. */
static int fill(mdl *m)
{
    mdl_src rx, rxt, db, dc, li, pdb, fda, dea, acb, spl, ema;
    mdl_ref ket, esk, ser, psi, nap, sum, prod, doc, cls;
    mdl_keys k;
    mdl_indication ind;
    mdl_approval ap;
    mdl_doc d;
    int rc;

    rx = add_src(m, "rxnorm", "RxNorm ingredients", "Courtesy of the U.S. National Library of Medicine");
    rxt = add_src(m, "rxterms", "RxTerms", "NLM");
    db = add_src(m, "drugbank", "DrugBank Open Data vocabulary", "DrugBank");
    dc = add_src(m, "drugcentral", "DrugCentral 2016", "DrugCentral");
    li = add_src(m, "labeledin", "LabeledIn", "NLM");
    pdb = add_src(m, "pharmacotherapydb", "PharmacotherapyDB", "Himmelstein");
    fda = add_src(m, "openfda", "Drugs@FDA", "FDA");
    dea = add_src(m, "dea-derived", "DEA schedules (derived)", "FDA");
    acb = add_src(m, "acb", "Anticholinergic burden", "Boustani");
    spl = add_src(m, "spl-xml", "SPL labels", "FDA");
    ema = add_src(m, "ema-epi", "EMA package leaflets",
                  "European Medicines Agency, product information (package leaflet) for <medicine>.");
    add_src(m, "tripsit", "TripSit", "never cited");

    memset(&k, 0, sizeof k);
    k.rxcui = 6130;
    k.unii = "690G0D6V8H";
    TRY(mdl_drug_add(m, "ketamine", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM,
                     mdl_cite_make(m, rx, "RXCUI 6130"), &ket));
    TRY(mdl_ident_add(m, ket, MT_ID_DRUGBANK, "DB01221", mdl_cite_make(m, db, "DB01221")));
    TRY(mdl_ident_add(m, ket, MT_ID_CAS, "6740-88-1", mdl_cite_make(m, db, "DB01221")));
    TRY(mdl_name_add(m, ket, MT_NAME_BRAND, "Ketalar", "203154", mdl_cite_make(m, rx, "RXCUI 203154")));
    TRY(mdl_name_add(m, ket, MT_NAME_SALT, "ketamine hydrochloride", NULL, mdl_cite_make(m, rx, "RXCUI 82095")));
    TRY(mdl_name_add(m, ket, MT_NAME_SYNONYM, "Ketamina", NULL, mdl_cite_make(m, db, "DB01221")));
    TRY(mdl_schedule_add(m, ket, "CIII", mdl_cite_make(m, dea, "KETAMINE HYDROCHLORIDE")));

    memset(&k, 0, sizeof k);
    k.rxcui = 2119365;
    k.drugbank_id = "DB11823";
    TRY(mdl_drug_add(m, "esketamine", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM,
                     mdl_cite_make(m, rx, "RXCUI 2119365"), &esk));
    TRY(mdl_name_add(m, esk, MT_NAME_BRAND, "Spravato", "2119382", mdl_cite_make(m, rx, "RXCUI 2119382")));
    /* the same key as ketamine's own name; esketamine has more products here */
    TRY(mdl_name_add(m, esk, MT_NAME_SYNONYM, "(-)-Ketamine", NULL, mdl_cite_make(m, db, "DB11823")));
    TRY(add_product(m, rx, 2119381, "SCD", "esketamine 140 MG/ML Nasal Spray", NULL, esk, MDL_NONE, &prod));
    TRY(add_product(m, rx, 2119387, "SBD", "esketamine 140 MG/ML Nasal Spray [Spravato]", "Spravato",
                    esk, MDL_NONE, &prod));
    TRY(mdl_ndc_add(m, prod, "50458-0028-00", mdl_cite_make(m, rx, "NDC 50458002800")));

    memset(&k, 0, sizeof k);
    k.rxcui = 36437;
    k.unii = "QUC7NX6WMB";
    TRY(mdl_drug_add(m, "sertraline", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM | MT_DRUGF_RXNORM_RXTERMS,
                     mdl_cite_make(m, rxt, "ING_RXCUI 36437"), &ser));
    TRY(mdl_name_add(m, ser, MT_NAME_BRAND, "Zoloft", "82728", mdl_cite_make(m, rx, "RXCUI 82728")));
    TRY(mdl_name_add(m, ser, MT_NAME_SALT, "sertraline hydrochloride", NULL, mdl_cite_make(m, db, "DB01104")));
    TRY(add_product(m, rx, 312940, "SCD", "sertraline 50 MG Oral Tablet", NULL, ser, MDL_NONE, &prod));
    TRY(mdl_ndc_add(m, prod, "16729-0214-01", mdl_cite_make(m, rx, "NDC 16729021401")));
    TRY(mdl_ndc_add(m, prod, "0049-4900-50", mdl_cite_make(m, rx, "NDC 00049490050")));
    TRY(mdl_ndc_add(m, prod, "00093-7198-56", mdl_cite_make(m, rx, "NDC 00093719856")));
    TRY(add_product(m, rx, 208161, "SBD", "sertraline 50 MG Oral Tablet [Zoloft]", "Zoloft", ser, MDL_NONE, &prod));
    TRY(mdl_class_get(m, "EPC", "N0000175696", "Selective Serotonin Reuptake Inhibitor",
                      mdl_cite_make(m, dc, "pharm_class 1"), &cls));
    TRY(mdl_drug_class_add(m, ser, cls, mdl_cite_make(m, dc, "struct 2433 EPC")));
    TRY(mdl_class_get(m, "MoA", "N0000000109", "Serotonin Uptake Inhibitors",
                      mdl_cite_make(m, dc, "pharm_class 2"), &cls));
    TRY(mdl_drug_class_add(m, ser, cls, mdl_cite_make(m, dc, "struct 2433 MoA")));
    TRY(mdl_class_get(m, "CS", NULL, "Naphthalenes", mdl_cite_make(m, dc, "pharm_class 3"), &cls));
    TRY(mdl_drug_class_add(m, ser, cls, mdl_cite_make(m, dc, "struct 2433 CS")));

    memset(&ind, 0, sizeof ind);
    ind.drug = ser;
    ind.category = MT_IND_LISTED;
    ind.disease = "Panic disorder";
    ind.cite = mdl_cite_make(m, dc, "omop 1");
    TRY(mdl_indication_add(m, &ind));
    ind.category = MT_IND_ON_LABEL;
    ind.disease = "Major depressive disorder";
    ind.disease_id = "C1269683";
    ind.cite = mdl_cite_make(m, li, "LabeledIn 1");
    TRY(mdl_indication_add(m, &ind));
    ind.disease = "major depressive disorder";   /* the same, from another label */
    ind.cite = mdl_cite_make(m, li, "LabeledIn 2");
    TRY(mdl_indication_add(m, &ind));
    ind.disease = "Obsessive-compulsive disorder";
    ind.disease_id = NULL;
    ind.cite = mdl_cite_make(m, li, "LabeledIn 3");
    TRY(mdl_indication_add(m, &ind));
    ind.category = MT_IND_SYMPTOMATIC;
    ind.disease = "panic disorder";
    ind.disease_id = "DOID:594";
    ind.cite = mdl_cite_make(m, pdb, "DB01104-DOID:594");
    TRY(mdl_indication_add(m, &ind));

    memset(&ap, 0, sizeof ap);
    ap.drug = ser;
    ap.appl_type = "ANDA";
    ap.appl_no = "077206";
    ap.product_no = "002";
    ap.brand = "SERTRALINE HYDROCHLORIDE";
    ap.marketing_status = "Prescription";
    ap.sponsor = "AUROBINDO PHARMA";
    ap.cite = mdl_cite_make(m, fda, "Products.txt 077206/002");
    TRY(mdl_approval_add(m, &ap));
    ap.appl_type = "NDA";
    ap.appl_no = "019839";
    ap.product_no = "001";
    ap.brand = "ZOLOFT";
    ap.active_ingredient = "SERTRALINE HYDROCHLORIDE";
    ap.form = "TABLET;ORAL";
    ap.strength = "EQ 50MG BASE";
    ap.approval_date = "1991-12-30";
    ap.sponsor = "PFIZER";
    ap.cite = mdl_cite_make(m, fda, "Products.txt 019839/001");
    TRY(mdl_approval_add(m, &ap));
    TRY(mdl_acb_add(m, ser, "ACB", 1, mdl_cite_make(m, acb, "ACB_table sertraline")));
    TRY(mdl_acb_add(m, ser, "Lozano", 0, mdl_cite_make(m, acb, "lozano sertraline")));

    memset(&d, 0, sizeof d);
    d.kind = MT_DOC_US_LABEL;
    d.title = "ZOLOFT (sertraline hydrochloride) tablets";
    d.jurisdiction = "US";
    d.date = "2014-01-02";
    d.doc_id = "fe9e8b7d-61ea-409d-84aa-3ebd79a046b5";
    d.cite = mdl_cite_make(m, spl, "setid fe9e8b7d-61ea-409d-84aa-3ebd79a046b5");
    TRY(mdl_doc_add(m, &d, &doc));
    TRY(mdl_doc_drug_add(m, doc, ser));
    TRY(mdl_doc_section_add(m, doc, "34067-9", "INDICATIONS & USAGE", "Zoloft is indicated for MDD."));
    TRY(mdl_doc_section_add(m, doc, "34071-1", "WARNINGS", "Suicidality\x1b[31m and antidepressants."));
    TRY(mdl_doc_section_add(m, doc, "34084-4", "ADVERSE REACTIONS", "Nausea, insomnia."));

    memset(&d, 0, sizeof d);
    d.kind = MT_DOC_EU_LEAFLET;
    d.title = "Spravato";
    d.jurisdiction = "EU";
    d.doc_id = "EU/1/19/1410/001";
    d.cite = mdl_cite_make(m, ema, "EU/1/19/1410/001");
    TRY(mdl_doc_add(m, &d, &doc));
    TRY(mdl_doc_drug_add(m, doc, esk));
    TRY(mdl_doc_section_add(m, doc, "1", "1. What Spravato is and what it is used for",
                            "<p>Spravato contains esketamine &amp; is an antidepressant.</p><ul><li>depression</li></ul>"));
    TRY(mdl_doc_section_add(m, doc, "4", "4. Possible side effects", "<p>Dizziness.</p>"));

    memset(&k, 0, sizeof k);
    k.unii = "2RV7212BP0";
    k.drugbank_id = "DB11664";
    TRY(mdl_drug_add(m, "psilocybin", MT_DRUG_SUBSTANCE, &k, 0, mdl_cite_make(m, db, "DB11664"), &psi));

    /* naproxen and sumatriptan share the brand Treximet */
    memset(&k, 0, sizeof k);
    k.rxcui = 7258;
    TRY(mdl_drug_add(m, "naproxen", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM,
                     mdl_cite_make(m, rx, "RXCUI 7258"), &nap));
    memset(&k, 0, sizeof k);
    k.rxcui = 37418;
    TRY(mdl_drug_add(m, "sumatriptan", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM,
                     mdl_cite_make(m, rx, "RXCUI 37418"), &sum));
    TRY(mdl_name_add(m, nap, MT_NAME_BRAND, "Treximet", NULL, mdl_cite_make(m, rx, "BN Treximet")));
    TRY(mdl_name_add(m, sum, MT_NAME_BRAND, "Treximet", NULL, mdl_cite_make(m, rx, "BN Treximet")));
    TRY(add_product(m, rx, 900002, "SBD", "naproxen sodium 500 MG / sumatriptan 85 MG Oral Tablet [Treximet]",
                    "Treximet", nap, sum, &prod));
    TRY(add_product(m, rx, 900003, "SBD", "naproxen sodium 220 MG Oral Tablet [Aleve]", "Aleve",
                    nap, MDL_NONE, &prod));
    TRY(add_product(m, rx, 900001, "SCD", "naproxen sodium 500 MG / sumatriptan 85 MG Oral Tablet",
                    NULL, nap, sum, &prod));
    TRY(add_product(m, rx, 900004, "SCD", "Naproxen 250 MG Oral Tablet", NULL, nap, MDL_NONE, &prod));
    TRY(add_product(m, rx, 900005, "SCD", "naproxen 500 MG Oral Tablet", NULL, nap, MDL_NONE, &prod));
    rc = MT_OK;
done:
    return rc;
}

/* The model written and opened; NULL on failure (the test fails). */
static mt_kb *open_model(char path[256])
{
    mdl m;
    mt_kb *kb = NULL;
    mt_buf err;
    int rc;

    mt_test_tmp_path(path, "show");
    mt_buf_init(&err, 4096);
    mdl_init(&m);
    rc = fill(&m);
    if (rc == MT_OK)
        rc = mt_kb_write(&m, path, "show-test", &err, NULL);
    if (rc == MT_OK)
        rc = mt_kb_open(&kb, path, 0);
    if (rc != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "test model: %s %s", mt_strerror(rc), mt_buf_str(&err));
    mdl_free(&m);
    mt_buf_free(&err);
    return kb;
}

static void close_model(mt_kb *kb, const char *path)
{
    mt_kb_close(kb);
    unlink(path);
}

/* Resolves q and renders it; the text or JSON stays in out. */
static int show(const mt_kb *kb, const char *q, int json, const mt_show_opts *o,
                mt_show_match *m, mt_buf *out)
{
    mt_search_results r;
    int rc;
    mt_buf_reset(out);
    if (mt_search_results_init(&r) != MT_OK)
        return MT_ENOMEM;
    rc = mt_show_resolve(kb, q, &r, m);
    if (rc == MT_OK)
        rc = json ? mt_show_json(kb, m, o, out) : mt_show_text(kb, m, o, out);
    else if (rc == MT_ENOTFOUND)
        mt_show_notfound_text(kb, q, &r, out);
    mt_search_results_free(&r);
    return rc;
}

static json_t *show_json(const mt_kb *kb, const char *q, const mt_show_opts *o)
{
    mt_buf out;
    mt_show_match m;
    json_t *doc = NULL;
    json_error_t e;
    mt_buf_init(&out, OUT_MAX);
    if (show(kb, q, 1, o, &m, &out) == MT_OK) {
        doc = json_loads(mt_buf_str(&out), 0, &e);
        if (!doc)
            mt_test_fail(__FILE__, __LINE__, "show %s: JSON does not parse: %s", q, e.text);
    }
    mt_buf_free(&out);
    return doc;
}

static const char *jget_str(json_t *o, const char *path)
{
    /* a dotted path of object keys */
    char key[128];
    const char *p = path;
    while (o && *p) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        o = json_object_get(o, key);
        p += n + (p[n] == '.');
    }
    return json_is_string(o) ? json_string_value(o) : NULL;
}

static json_t *jget(json_t *o, const char *path)
{
    char key[128];
    const char *p = path;
    while (o && *p) {
        size_t n = strcspn(p, ".");
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        o = json_object_get(o, key);
        p += n + (p[n] == '.');
    }
    return o;
}

/* --- resolving ------------------------------------------------------------- */

TEST(show_resolves_names_brands_salts_and_codes)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_search_results r;
    mt_show_match m;
    REQUIRE(kb);
    REQUIRE(mt_search_results_init(&r) == MT_OK);

    /* ketamine's own name wins over esketamine's synonym "(-)-Ketamine" */
    REQUIRE(mt_show_resolve(kb, "KETAMINE", &r, &m) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "ketamine");
    CHECK_EQ_INT(m.tier, MT_SEARCH_TIER_EXACT);
    CHECK_EQ_INT(m.name_kind, MT_NAME_PREFERRED);
    CHECK_EQ_INT(m.nalso, 0);

    REQUIRE(mt_show_resolve(kb, "zoloft", &r, &m) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "sertraline");
    CHECK_EQ_INT(m.name_kind, MT_NAME_BRAND);
    CHECK_STR(m.matched, "Zoloft");

    REQUIRE(mt_show_resolve(kb, "Sertraline Hydrochloride", &r, &m) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "sertraline");

    REQUIRE(mt_show_resolve(kb, "6130", &r, &m) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "ketamine");
    CHECK_EQ_INT(m.tier, MT_SEARCH_TIER_CODE);
    REQUIRE(mt_show_resolve(kb, "0049-4900-50", &r, &m) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "sertraline");
    CHECK_EQ_INT(m.code_type, MT_SEARCH_CODE_NDC);
    REQUIRE(mt_show_resolve(kb, "2rv7212bp0", &r, &m) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "psilocybin");

    /* a combination brand names both ingredients: one shown, the other "also" */
    REQUIRE(mt_show_resolve(kb, "Treximet", &r, &m) == MT_OK);
    CHECK_EQ_INT(m.nalso, 1);
    CHECK(m.drug != m.also[0]);

    mt_search_results_free(&r);
    close_model(kb, path);
}

TEST(show_does_not_accept_a_fuzzy_match)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_search_results r;
    mt_show_match m;
    mt_buf out;
    uint32_t i;
    int found = 0;
    REQUIRE(kb);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    mt_buf_init(&out, OUT_MAX);

    CHECK_EQ_INT(mt_show_resolve(kb, "ketamin", &r, &m), MT_ENOTFOUND);
    CHECK_EQ_INT(m.drug, 0);
    for (i = 0; i < r.count; i++)
        found |= strcmp(r.hits[i].drug_name, "ketamine") == 0;
    CHECK(found);
    CHECK(mt_show_notfound_text(kb, "ketamin", &r, &out) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&out), "No drug named \"ketamin\"");
    CHECK_CONTAINS(mt_buf_str(&out), "Did you mean: ketamine");
    mt_buf_reset(&out);
    CHECK(mt_show_notfound_json(kb, "ketamin", &r, 0, &out) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&out), "\"error\":\"not_found\"");
    CHECK_CONTAINS(mt_buf_str(&out), "\"drug\":\"ketamine\"");

    CHECK_EQ_INT(mt_show_resolve(kb, "qqqqqqqqzzzz", &r, &m), MT_ENOTFOUND);
    CHECK_EQ_INT(r.count, 0);
    mt_buf_reset(&out);
    CHECK(mt_show_notfound_text(kb, "qqqqqqqqzzzz", &r, &out) == MT_OK);
    CHECK(strstr(mt_buf_str(&out), "Did you mean") == NULL);

    CHECK_EQ_INT(mt_show_resolve(kb, "", &r, &m), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_show_resolve(kb, NULL, &r, &m), MT_EINVAL);
    CHECK_EQ_INT(mt_show_match_drug(kb, 999999, &m), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_show_match_drug(kb, 0, &m), MT_OK);
    m.drug = 999999;
    CHECK_EQ_INT(mt_show_json(kb, &m, NULL, &out), MT_EINVAL);
    CHECK_EQ_INT(mt_show_text(kb, &m, NULL, &out), MT_EINVAL);

    mt_buf_free(&out);
    mt_search_results_free(&r);
    close_model(kb, path);
}

/* --- JSON ------------------------------------------------------------------ */

/* Every object with a "source" names a source of the top-level map and has
** a "record" key. Returns the number of cited facts seen. */
static int check_cites(json_t *v, json_t *sources, int *bad)
{
    int n = 0;
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        json_t *src = json_object_get(v, "source");
        if (json_is_string(src)) {
            n++;
            if (!json_object_get(sources, json_string_value(src)) || !json_object_get(v, "record"))
                (*bad)++;
        }
        json_object_foreach(v, k, x) {
            if (strcmp(k, "sources") != 0)
                n += check_cites(x, sources, bad);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) n += check_cites(x, sources, bad);
    }
    return n;
}

TEST(show_json_monograph_of_a_brand)
{
    char path[256];
    mt_kb *kb = open_model(path);
    json_t *doc, *items, *x;
    int bad = 0;
    REQUIRE(kb);
    doc = show_json(kb, "Zoloft", NULL);
    REQUIRE(doc);

    CHECK_STR(jget_str(doc, "query.text"), "Zoloft");
    CHECK_STR(jget_str(doc, "query.match"), "exact");
    CHECK_STR(jget_str(doc, "query.resolved_from"), "brand");
    CHECK_STR(jget_str(doc, "query.matched_kind"), "brand");
    CHECK_STR(jget_str(doc, "drug.name"), "sertraline");
    CHECK_STR(jget_str(doc, "drug.kind"), "ingredient");
    CHECK(json_is_true(jget(doc, "drug.in_rxnorm")));
    CHECK_STR(jget_str(doc, "drug.rxnorm_from"), "rxterms");
    CHECK_EQ_INT(json_integer_value(jget(doc, "drug.rxcui")), 36437);
    CHECK_STR(jget_str(doc, "drug.unii"), "QUC7NX6WMB");
    CHECK(json_is_null(jget(doc, "drug.drugbank_id")));
    CHECK_STR(jget_str(doc, "disclaimer"), MT_SHOW_DISCLAIMER);

    /* products: single ingredient first, SCD before SBD; NDCs ascending */
    items = jget(doc, "products.items");
    REQUIRE(json_array_size(items) == 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "tty")), "SCD");
    x = jget(json_array_get(items, 0), "ndcs.items");
    REQUIRE(json_array_size(x) == 3);
    CHECK_STR(json_string_value(json_object_get(json_array_get(x, 0), "ndc")), "00049490050");
    CHECK_STR(json_string_value(json_object_get(json_array_get(x, 2), "ndc")), "16729021401");
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 1), "brand")), "Zoloft");

    /* classes grouped by type: EPC, MoA, then CS */
    items = jget(doc, "classes");
    REQUIRE(json_array_size(items) == 3);
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 0), "type")), "EPC");
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 1), "type")), "MoA");
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 2), "type")), "CS");

    /* indications by category; the same disease from two labels is one item */
    items = jget(doc, "indications");
    REQUIRE(json_array_size(items) == 3);
    x = json_array_get(items, 0);
    CHECK_STR(json_string_value(json_object_get(x, "category")), "on_label");
    CHECK_EQ_INT(json_integer_value(json_object_get(x, "total")), 2);
    x = json_object_get(x, "items");
    REQUIRE(json_array_size(x) == 2);
    CHECK_STR(json_string_value(json_object_get(json_array_get(x, 0), "disease")), "Major depressive disorder");
    CHECK_EQ_INT(json_array_size(json_object_get(json_array_get(x, 0), "other_citations")), 1);
    CHECK_STR(jget_str(json_array_get(json_object_get(json_array_get(x, 0), "other_citations"), 0), "record"),
              "LabeledIn 2");
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 1), "category")), "symptomatic");
    CHECK_STR(json_string_value(json_object_get(json_array_get(items, 2), "category")), "listed");

    /* approvals: NDA before ANDA */
    items = jget(doc, "approvals.items");
    REQUIRE(json_array_size(items) == 2);
    CHECK_STR(jget_str(json_array_get(items, 0), "appl_no"), "019839");
    CHECK_STR(jget_str(json_array_get(items, 0), "approval_date"), "1991-12-30");
    CHECK(json_is_null(jget(json_array_get(items, 1), "approval_date")));

    CHECK_EQ_INT(json_array_size(jget(doc, "anticholinergic_burden")), 2);
    CHECK_EQ_INT(json_array_size(jget(doc, "schedules")), 0);

    /* documents: titles by default, no text */
    items = jget(doc, "documents.items");
    REQUIRE(json_array_size(items) == 1);
    x = json_object_get(json_array_get(items, 0), "sections");
    REQUIRE(json_array_size(x) == 3);
    CHECK(json_is_null(json_object_get(json_array_get(x, 0), "text")));
    CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(x, 0), "length")),
                 strlen("Zoloft is indicated for MDD."));

    /* a source for every fact; the map holds only sources cited */
    CHECK(check_cites(doc, json_object_get(doc, "sources"), &bad) > 20);
    CHECK_EQ_INT(bad, 0);
    CHECK(json_object_get(jget(doc, "sources"), "rxnorm") != NULL);
    CHECK(json_object_get(jget(doc, "sources"), "tripsit") == NULL);
    CHECK_STR(jget_str(doc, "sources.openfda.name"), "Drugs@FDA");
    json_decref(doc);
    close_model(kb, path);
}

TEST(show_json_bounds_and_sorts_products)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_show_opts o;
    json_t *doc, *items;
    REQUIRE(kb);
    memset(&o, 0, sizeof o);
    o.max_products = 3;
    o.max_ndcs = 1;
    doc = show_json(kb, "naproxen", &o);
    REQUIRE(doc);
    CHECK_EQ_INT(json_integer_value(jget(doc, "products.total")), 5);
    items = jget(doc, "products.items");
    REQUIRE(json_array_size(items) == 3);
    /* single ingredient: SCD "Naproxen 250", SCD "naproxen 500" (case-insensitive), then SBD Aleve */
    CHECK_STR(jget_str(json_array_get(items, 0), "name"), "Naproxen 250 MG Oral Tablet");
    CHECK_STR(jget_str(json_array_get(items, 1), "name"), "naproxen 500 MG Oral Tablet");
    CHECK_STR(jget_str(json_array_get(items, 2), "brand"), "Aleve");
    CHECK_EQ_INT(json_integer_value(jget(json_array_get(items, 0), "ingredients")), 1);
    CHECK(json_is_null(jget(doc, "section_filter")));
    json_decref(doc);

    doc = show_json(kb, "sertraline", &o);
    REQUIRE(doc);
    items = jget(json_array_get(jget(doc, "products.items"), 0), "ndcs");
    CHECK_EQ_INT(json_integer_value(json_object_get(items, "total")), 3);
    REQUIRE(json_array_size(json_object_get(items, "items")) == 1);
    CHECK_STR(jget_str(json_array_get(json_object_get(items, "items"), 0), "ndc"), "00049490050");
    json_decref(doc);
    close_model(kb, path);
}

TEST(show_substance_outside_rxnorm)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_buf out;
    mt_show_match m;
    json_t *doc;
    REQUIRE(kb);
    doc = show_json(kb, "psilocybin", NULL);
    REQUIRE(doc);
    CHECK(json_is_false(jget(doc, "drug.in_rxnorm")));
    CHECK(json_is_null(jget(doc, "drug.rxcui")));
    CHECK(json_is_null(jget(doc, "drug.rxnorm_from")));
    CHECK_STR(jget_str(doc, "drug.kind"), "substance");
    CHECK_STR(jget_str(doc, "drug.source"), "drugbank");
    json_decref(doc);

    mt_buf_init(&out, OUT_MAX);
    REQUIRE(show(kb, "psilocybin", 0, NULL, &m, &out) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&out), "psilocybin (substance)");
    CHECK_CONTAINS(mt_buf_str(&out), "Not in RxNorm: psilocybin has no RxNorm concept  [drugbank: DB11664]");
    mt_buf_free(&out);
    close_model(kb, path);
}

/* --- text -------------------------------------------------------------------- */

TEST(show_text_monograph)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_buf out;
    mt_show_match m;
    const char *s;
    REQUIRE(kb);
    mt_buf_init(&out, OUT_MAX);

    REQUIRE(show(kb, "ketamine", 0, NULL, &m, &out) == MT_OK);
    s = mt_buf_str(&out);
    CHECK_CONTAINS(s, "ketamine (ingredient)\n");
    CHECK_CONTAINS(s, "In RxNorm: RxCUI 6130  [rxnorm: RXCUI 6130]");
    CHECK_CONTAINS(s, "  DrugBank     DB01221  [drugbank: DB01221]");
    CHECK_CONTAINS(s, "  CAS          6740-88-1");
    CHECK_CONTAINS(s, "  Ketalar  RxCUI 203154  [rxnorm: RXCUI 203154]");
    CHECK_CONTAINS(s, "Controlled-substance schedule (US DEA)\n  CIII  [dea-derived: KETAMINE HYDROCHLORIDE]");
    CHECK_CONTAINS(s, "\nSources\n  rxnorm");
    CHECK_CONTAINS(s, "  dea-derived ");
    /* one plain disclaimer line at the end */
    CHECK_CONTAINS(s, "\n" MT_SHOW_DISCLAIMER "\n");
    CHECK(strstr(s, MT_SHOW_DISCLAIMER) == strrchr(s, '\n') - strlen(MT_SHOW_DISCLAIMER));
    CHECK(strstr(s, "Resolved from") == NULL);

    REQUIRE(show(kb, "Zoloft", 0, NULL, &m, &out) == MT_OK);
    s = mt_buf_str(&out);
    CHECK_CONTAINS(s, "sertraline (ingredient)\n  Resolved from the brand name \"Zoloft\" [rxnorm].\n");
    CHECK_CONTAINS(s, "known through RxTerms");
    CHECK_CONTAINS(s, "NDC 00049-4900-50 00093-7198-56 16729-0214-01");
    CHECK_CONTAINS(s, "  On-label (extracted from the FDA label, LabeledIn):\n"
                      "    Major depressive disorder (2 records)  [labeledin: LabeledIn 1]");
    CHECK_CONTAINS(s, "  NDA 019839/001 ZOLOFT, TABLET;ORAL EQ 50MG BASE; Prescription; approved 1991-12-30; PFIZER");
    CHECK_CONTAINS(s, "    Sections: INDICATIONS & USAGE; WARNINGS; ADVERSE REACTIONS\n");
    CHECK_CONTAINS(s, "  ACB: 1  [acb: ACB_table sertraline]");

    REQUIRE(show(kb, "treximet", 0, NULL, &m, &out) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&out), "The query also names: ");
    mt_buf_free(&out);
    close_model(kb, path);
}

/* --- documents and --section ------------------------------------------------- */

TEST(show_section_names)
{
    CHECK(mt_show_section_matches("34067-9", "INDICATIONS & USAGE", "indications"));
    CHECK(mt_show_section_matches("34067-9", "INDICATIONS & USAGE", "34067-9"));
    CHECK(mt_show_section_matches("34067-9", "INDICATIONS & USAGE", "Indications & Usage"));
    CHECK(mt_show_section_matches("34071-1", "WARNINGS", "warnings"));
    CHECK(mt_show_section_matches("43685-7", "5 WARNINGS AND PRECAUTIONS", "Warnings"));
    CHECK(mt_show_section_matches("34066-1", "BOXED WARNING", "boxed warning"));
    CHECK(mt_show_section_matches("4", "4. Possible side effects", "side effects"));
    CHECK(mt_show_section_matches("34084-4", "ADVERSE REACTIONS", "side effects"));
    CHECK(mt_show_section_matches("1", "1. What Spravato is and what it is used for", "uses"));
    CHECK(mt_show_section_matches("3", "3. How to take X", "how to take"));
    CHECK(mt_show_section_matches(NULL, "8.1 Pregnancy", "pregnancy"));
    CHECK(!mt_show_section_matches("34084-4", "ADVERSE REACTIONS", "warnings"));
    CHECK(!mt_show_section_matches("4", "4. Possible side effects", "indications"));
    CHECK(!mt_show_section_matches("34067-9", "INDICATIONS", "indic"));   /* whole words */
    CHECK(!mt_show_section_matches("34067-9", "INDICATIONS", ""));
    CHECK(!mt_show_section_matches("34067-9", "INDICATIONS", NULL));
    CHECK(!mt_show_section_matches("1", "1. What X is", "2"));
}

TEST(show_section_text_and_leaflets)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_buf out;
    mt_show_match m;
    mt_show_opts o;
    json_t *doc, *secs;
    const char *s;
    REQUIRE(kb);
    mt_buf_init(&out, OUT_MAX);
    memset(&o, 0, sizeof o);

    /* text: the header, then only the matching section's text, cleaned */
    o.section = "warnings";
    REQUIRE(show(kb, "sertraline", 0, &o, &m, &out) == MT_OK);
    s = mt_buf_str(&out);
    CHECK_CONTAINS(s, "  == WARNINGS (34071-1) ==\nSuicidality [31m and antidepressants.");
    CHECK(strstr(s, "\x1b") == NULL);
    CHECK(strstr(s, "Nausea") == NULL);
    CHECK(strstr(s, "Products") == NULL);
    CHECK_EQ_INT(mt_show_section_count(kb, m.drug, "warnings"), 1);
    CHECK_EQ_INT(mt_show_section_count(kb, m.drug, "overdosage"), 0);

    o.section = "overdosage";
    REQUIRE(show(kb, "sertraline", 0, &o, &m, &out) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&out), "No document section of this drug matches \"overdosage\".");

    /* an EU leaflet: XHTML becomes text; the attribution names the medicine */
    o.section = "uses";
    REQUIRE(show(kb, "Spravato", 0, &o, &m, &out) == MT_OK);
    s = mt_buf_str(&out);
    CHECK_CONTAINS(s, "EU package leaflet: Spravato (EU)  [ema-epi: EU/1/19/1410/001]");
    CHECK_CONTAINS(s, "product information (package leaflet) for Spravato.");
    CHECK_CONTAINS(s, "Spravato contains esketamine & is an antidepressant.\n  - depression");
    CHECK(strstr(s, "<p>") == NULL);

    /* JSON: with a section, the matching sections carry their text */
    o.section = "side effects";
    doc = show_json(kb, "esketamine", &o);
    REQUIRE(doc);
    CHECK_EQ_INT(json_integer_value(jget(doc, "section_filter.matched")), 1);
    secs = json_object_get(json_array_get(jget(doc, "documents.items"), 0), "sections");
    REQUIRE(json_array_size(secs) == 1);
    CHECK_STR(jget_str(json_array_get(secs, 0), "text"), "<p>Dizziness.</p>");
    CHECK_STR(jget_str(json_array_get(jget(doc, "documents.items"), 0), "attribution"),
              "European Medicines Agency, product information (package leaflet) for Spravato.");
    json_decref(doc);

    /* JSON: every section's text under MT_SHOW_SECTION_TEXT */
    o.section = NULL;
    o.flags = MT_SHOW_SECTION_TEXT;
    doc = show_json(kb, "esketamine", &o);
    REQUIRE(doc);
    secs = json_object_get(json_array_get(jget(doc, "documents.items"), 0), "sections");
    REQUIRE(json_array_size(secs) == 2);
    CHECK(json_is_string(json_object_get(json_array_get(secs, 0), "text")));
    CHECK(json_is_string(json_object_get(json_array_get(secs, 1), "text")));
    json_decref(doc);
    mt_buf_free(&out);
    close_model(kb, path);
}

/* --- determinism and allocation failures ------------------------------------ */

TEST(show_output_is_deterministic)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_buf a, b;
    mt_show_match m;
    REQUIRE(kb);
    mt_buf_init(&a, OUT_MAX);
    mt_buf_init(&b, OUT_MAX);
    REQUIRE(show(kb, "sertraline", 1, NULL, &m, &a) == MT_OK);
    REQUIRE(show(kb, "sertraline", 1, NULL, &m, &b) == MT_OK);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    mt_buf_free(&a);
    mt_buf_free(&b);
    close_model(kb, path);
}

TEST(show_survives_allocation_failures)
{
    char path[256];
    mt_kb *kb = open_model(path);
    mt_search_results r;
    mt_show_match m;
    mt_buf out;
    long n;
    int ok_json = 0, ok_text = 0;
    REQUIRE(kb);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    REQUIRE(mt_show_resolve(kb, "sertraline", &r, &m) == MT_OK);
    for (n = 0; n < 200 && !(ok_json && ok_text); n++) {
        int rj, rt;
        mt_buf_init(&out, OUT_MAX);
        mt_alloc_fail_after(n);
        rj = mt_show_json(kb, &m, NULL, &out);
        mt_buf_free(&out);
        mt_buf_init(&out, OUT_MAX);
        mt_alloc_fail_after(n);
        rt = mt_show_text(kb, &m, NULL, &out);
        mt_alloc_fail_after(-1);
        mt_buf_free(&out);
        CHECK(rj == MT_OK || rj == MT_ENOMEM);
        CHECK(rt == MT_OK || rt == MT_ENOMEM);
        ok_json |= rj == MT_OK;
        ok_text |= rt == MT_OK;
    }
    CHECK(ok_json && ok_text);
    /* a full output buffer is MT_ELIMIT, not a crash */
    mt_buf_init(&out, 100);
    CHECK_EQ_INT(mt_show_json(kb, &m, NULL, &out), MT_ELIMIT);
    mt_buf_free(&out);
    mt_buf_init(&out, 100);
    CHECK_EQ_INT(mt_show_text(kb, &m, NULL, &out), MT_ELIMIT);
    mt_buf_free(&out);
    mt_search_results_free(&r);
    close_model(kb, path);
}

/* --- docs/reference/json-shapes.md documents every field ----------------------- */

/* Field paths of a JSON value: "drug.name", "products.items[].ndcs.total";
** the keys of "sources" are ids, written "*". Appended to b, one per line. */
static void collect_paths(json_t *v, const char *prefix, mt_buf *b)
{
    char p[512];
    if (json_is_object(v)) {
        const char *k;
        json_t *x;
        int ids = strcmp(prefix, "sources") == 0;
        json_object_foreach(v, k, x) {
            snprintf(p, sizeof p, "%s%s%s", prefix, *prefix ? "." : "", ids ? "*" : k);
            mt_buf_printf(b, "%s\n", p);
            collect_paths(x, p, b);
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        snprintf(p, sizeof p, "%s[]", prefix);
        json_array_foreach(v, i, x) collect_paths(x, p, b);
    }
}

/* The "show" part of docs/reference/json-shapes.md: from its heading to the next "## ". */
static char *doc_section(const char *name)
{
    unsigned char *data = NULL;
    size_t size = 0;
    char *s, *start, *end, *out = NULL, heading[64];
    if (mt_test_read_file("docs/reference/json-shapes.md", &data, &size) != MT_OK)
        return NULL;
    s = (char *)data;
    snprintf(heading, sizeof heading, "\n## %s", name);
    start = strstr(s, heading);
    if (start) {
        end = strstr(start + 1, "\n## ");
        out = mt_strndup(start, end ? (size_t)(end - start) : strlen(start));
    }
    mt_free(data);
    return out;
}

TEST(show_json_shape_is_documented)
{
    char path[256];
    mt_kb *kb = open_model(path);
    char *doc = doc_section("`materia show`");
    const char *q[] = { "Zoloft", "Spravato", "ketamine", "psilocybin", "treximet" };
    mt_buf paths, want;
    size_t i;
    json_t *example = NULL;
    json_error_t e;
    REQUIRE(kb);
    if (!doc) {
        mt_test_fail(__FILE__, __LINE__, "docs/reference/json-shapes.md has no \"## `materia show`\" section "
                                         "(run the tests from the repository root)");
        close_model(kb, path);
        return;
    }
    mt_buf_init(&paths, OUT_MAX);
    mt_buf_init(&want, OUT_MAX);
    for (i = 0; i < sizeof q / sizeof q[0]; i++) {
        mt_show_opts o;
        json_t *j;
        memset(&o, 0, sizeof o);
        o.section = i == 1 ? "uses" : NULL;
        j = show_json(kb, q[i], &o);
        if (j)
            collect_paths(j, "", &paths);
        json_decref(j);
    }
    /* every field the output has is in the doc as `path` */
    {
        char *line = paths.data, *nl;
        while (line && (nl = strchr(line, '\n')) != NULL) {
            char needle[600];
            *nl = '\0';
            snprintf(needle, sizeof needle, "`%s`", line);
            if (!strstr(doc, needle))
                mt_test_fail(__FILE__, __LINE__, "docs/reference/json-shapes.md (show) lacks %s", needle);
            line = nl + 1;
        }
    }
    /* the example parses and has the fields of real output */
    {
        const char *a = strstr(doc, "```json\n"), *b;
        if (!a || !(b = strstr(a + 8, "```"))) {
            mt_test_fail(__FILE__, __LINE__, "no ```json example in the show section");
        } else {
            char *text = mt_strndup(a + 8, (size_t)(b - a - 8));
            example = json_loads(text, 0, &e);
            if (!example)
                mt_test_fail(__FILE__, __LINE__, "the show example does not parse: line %d: %s", e.line, e.text);
            mt_free(text);
        }
    }
    if (example) {
        static const char *const must[] = {
            "kb", "query", "drug", "identifiers", "names", "brands", "products", "classes",
            "indications", "approvals", "schedules", "anticholinergic_burden", "documents",
            "section_filter", "sources", "disclaimer"
        };
        for (i = 0; i < sizeof must / sizeof must[0]; i++)
            if (!json_object_get(example, must[i]))
                mt_test_fail(__FILE__, __LINE__, "the show example lacks \"%s\"", must[i]);
        collect_paths(example, "", &want);
        {
            char *line = want.data, *nl;
            while (line && (nl = strchr(line, '\n')) != NULL) {
                char needle[600];
                *nl = '\0';
                snprintf(needle, sizeof needle, "`%s`", line);
                if (!strstr(doc, needle))
                    mt_test_fail(__FILE__, __LINE__, "the show example's field %s is not described", needle);
                line = nl + 1;
            }
        }
    }
    /* the unknown-drug document too */
    {
        mt_search_results r;
        mt_show_match m;
        mt_buf out;
        json_t *nf;
        char *line, *nl;
        mt_buf_init(&out, OUT_MAX);
        mt_buf_reset(&paths);
        REQUIRE(mt_search_results_init(&r) == MT_OK);
        CHECK_EQ_INT(mt_show_resolve(kb, "ketamin", &r, &m), MT_ENOTFOUND);
        CHECK(mt_show_notfound_json(kb, "ketamin", &r, 0, &out) == MT_OK);
        nf = json_loads(mt_buf_str(&out), 0, &e);
        CHECK(nf && json_array_size(json_object_get(nf, "suggestions")) > 0);
        collect_paths(nf, "", &paths);
        for (line = paths.data; line && (nl = strchr(line, '\n')) != NULL; line = nl + 1) {
            char needle[600];
            *nl = '\0';
            snprintf(needle, sizeof needle, "`%s`", line);
            if (!strstr(doc, needle))
                mt_test_fail(__FILE__, __LINE__, "docs/reference/json-shapes.md (show, unknown drug) lacks %s", needle);
        }
        json_decref(nf);
        mt_search_results_free(&r);
        mt_buf_free(&out);
    }
    json_decref(example);
    mt_buf_free(&paths);
    mt_buf_free(&want);
    mt_free(doc);
    close_model(kb, path);
}

/* --- the real knowledge base: the acceptance probes ----------------------------- */

TEST(show_real_ketamine_esketamine)
{
    mt_kb *kb = mt_test_open_kb();
    mt_buf out;
    mt_show_match m;
    json_t *doc;
    if (!kb)
        return;
    mt_buf_init(&out, OUT_MAX);
    REQUIRE(show(kb, "ketamine", 0, NULL, &m, &out) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "ketamine");
    CHECK_CONTAINS(mt_buf_str(&out), "RxCUI 6130");
    CHECK_CONTAINS(mt_buf_str(&out), "Ketalar");
    CHECK(strstr(mt_buf_str(&out), "The query also names") == NULL);
    if (mt_kb_count(kb, KB_T_SCHEDULES) > 0)   /* once a schedule source is imported */
        CHECK_CONTAINS(mt_buf_str(&out), "CIII");
    doc = show_json(kb, "ketamine", NULL);
    REQUIRE(doc);
    CHECK_EQ_INT(json_integer_value(jget(doc, "drug.rxcui")), 6130);
    json_decref(doc);

    REQUIRE(show(kb, "esketamine", 0, NULL, &m, &out) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "esketamine");
    CHECK_CONTAINS(mt_buf_str(&out), "Spravato");
    mt_buf_free(&out);
    mt_kb_close(kb);
}

TEST(show_real_brand_and_rxterms_ingredients)
{
    mt_kb *kb = mt_test_open_kb();
    mt_buf out;
    mt_show_match m;
    const kb_drug *d;
    if (!kb)
        return;
    mt_buf_init(&out, OUT_MAX);
    REQUIRE(show(kb, "Zoloft", 0, NULL, &m, &out) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "sertraline");
    CHECK_CONTAINS(mt_buf_str(&out), "Resolved from the brand name \"Zoloft\"");

    /* A.json is missing from the RxNorm extract: RxTerms and Drugs@FDA carry them */
    REQUIRE(show(kb, "alprazolam", 0, NULL, &m, &out) == MT_OK);
    d = mt_kb_drug(kb, m.drug);
    CHECK_STR(mt_kb_str(kb, d->name), "alprazolam");
    CHECK(d->flags & MT_DRUGF_IN_RXNORM);
    CHECK(strcasestr(mt_buf_str(&out), "Xanax") != NULL);
    REQUIRE(show(kb, "atorvastatin", 0, NULL, &m, &out) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, m.drug)->name), "atorvastatin");
    CHECK(strcasestr(mt_buf_str(&out), "Lipitor") != NULL);
    mt_buf_free(&out);
    mt_kb_close(kb);
}

TEST(show_real_psilocybin_not_in_rxnorm)
{
    mt_kb *kb = mt_test_open_kb();
    mt_buf out;
    mt_show_match m;
    if (!kb)
        return;
    mt_buf_init(&out, OUT_MAX);
    REQUIRE(show(kb, "psilocybin", 0, NULL, &m, &out) == MT_OK);
    CHECK(!(mt_kb_drug(kb, m.drug)->flags & MT_DRUGF_IN_RXNORM));
    CHECK_CONTAINS(mt_buf_str(&out), "Not in RxNorm");
    REQUIRE(show(kb, "ketamin", 0, NULL, &m, &out) == MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&out), "Did you mean: ");
    CHECK_CONTAINS(mt_buf_str(&out), "ketamine");
    mt_buf_free(&out);
    mt_kb_close(kb);
}

TEST(show_real_every_fact_cited)
{
    mt_kb *kb = mt_test_open_kb();
    const char *q[] = { "ketamine", "sertraline", "atorvastatin", "alprazolam", "psilocybin", "acetaminophen" };
    size_t i;
    if (!kb)
        return;
    for (i = 0; i < sizeof q / sizeof q[0]; i++) {
        int bad = 0, n;
        json_t *doc = show_json(kb, q[i], NULL);
        if (!doc) {
            mt_test_fail(__FILE__, __LINE__, "show %s failed", q[i]);
            continue;
        }
        n = check_cites(doc, json_object_get(doc, "sources"), &bad);
        if (bad || n < 3)
            mt_test_fail(__FILE__, __LINE__, "%s: %d facts, %d without a listed source", q[i], n, bad);
        if (json_array_size(jget(doc, "products.items")) > MT_SHOW_PRODUCTS_DEFAULT)
            mt_test_fail(__FILE__, __LINE__, "%s: products not bounded", q[i]);
        json_decref(doc);
    }
    mt_kb_close(kb);
}
