/*
** test_rxnorm_json.c — the RxNorm ingredients JSON importer (lib/import/rxnorm_json.c)
** on real records (t/fixtures/rxnorm-ingredients-2025-10, NDC lists shortened)
** and on the bundled extract.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"
#include "util/alloc.h"

TEST(rxnorm_fixture_ingredients_products_brands)
{
    vt_env e;
    mdl_ref ket, esk, ser, caf, cafc, met, metpin, min, found;
    const mdl_name *n;
    const mdl_source *s;
    mdl_ref prod;

    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxnorm_json, "rxnorm", vt_fixture("rxnorm-ingredients-2025-10")) == MT_OK);
    s = vt_source(&e, "rxnorm");
    CHECK_EQ_INT(s->rows, 8);
    CHECK_EQ_INT(s->unmatched, 8);
    CHECK_EQ_INT(s->created, 8);
    CHECK_EQ_INT(e.last.skipped, 509);               /* A.json, documented missing */
    CHECK_CONTAINS(mt_buf_str(&e.warn), "A.json");

    ket = vt_drug_rxcui(&e, 6130);
    REQUIRE(ket != MDL_NONE);
    CHECK_STR(e.m.drugs.items[ket].name, "ketamine");
    CHECK_EQ_INT(e.m.drugs.items[ket].kind, MT_DRUG_INGREDIENT);
    CHECK(e.m.drugs.items[ket].flags & MT_DRUGF_IN_RXNORM);
    CHECK_STR(e.m.drugs.items[ket].unii, "690G0D6V8H");
    CHECK_STR(e.m.drugs.items[ket].cite.record, "RXCUI 6130");
    n = vt_name(&e, ket, MT_NAME_BRAND, "Ketalar");
    REQUIRE(n != NULL);
    CHECK_STR(n->code, "6129");
    CHECK_CONTAINS(n->cite.record, "BN RXCUI 6129");
    CHECK(vt_name(&e, ket, MT_NAME_BRAND, "Spravato") == NULL);

    esk = vt_drug_rxcui(&e, 2119365);
    REQUIRE(esk != MDL_NONE);
    CHECK(vt_name(&e, esk, MT_NAME_BRAND, "Spravato") != NULL);
    /* GPCK packs of the nasal spray are products of esketamine too. */
    CHECK(vt_product_linked(&e, 2119390, esk));
    CHECK(mdl_drug_find_name(&e.m, "SPRAVATO", &found) == MT_OK && found == esk);

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    CHECK(vt_name(&e, ser, MT_NAME_BRAND, "Zoloft") != NULL);
    CHECK(vt_product_linked(&e, 312938, ser));       /* sertraline 100 MG Oral Tablet */
    CHECK(vt_product_linked(&e, 208149, ser));       /* ... [Zoloft] */
    REQUIRE(mdl_product_find_rxcui(&e.m, 208149, &prod) == MT_OK);
    CHECK_STR(e.m.products.items[prod].tty, "SBD");
    CHECK_STR(e.m.products.items[prod].brand, "Zoloft");
    {
        uint32_t i;
        int seen = 0;
        for (i = 0; i < e.m.ndcs.count; i++)
            if (strcmp(e.m.ndcs.items[i].ndc11, "00049491030") == 0 && e.m.ndcs.items[i].product == prod)
                seen = 1;
        CHECK(seen);
    }

    /* A salt gets its ingredient as parent, and a brand of a salt's product
    ** goes to the ingredient. */
    caf = vt_drug_rxcui(&e, 1886);
    cafc = vt_drug_rxcui(&e, 20033);
    REQUIRE(caf != MDL_NONE && cafc != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[cafc].kind, MT_DRUG_PRECISE);
    CHECK_EQ_INT(e.m.drugs.items[cafc].parent, caf);
    CHECK_EQ_INT(mdl_drug_base(&e.m, cafc), caf);
    CHECK(vt_name(&e, caf, MT_NAME_BRAND, "Cafcit") != NULL);
    CHECK(vt_name(&e, cafc, MT_NAME_BRAND, "Cafcit") == NULL);
    met = vt_drug_rxcui(&e, 6809);
    metpin = vt_drug_rxcui(&e, 235743);
    REQUIRE(met != MDL_NONE && metpin != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[metpin].parent, met);

    /* The MIN lists glipizide + metformin and sitagliptin alone under its
    ** SCDCs; only the two-ingredient metformin + sitagliptin tablet is it. */
    min = vt_drug_rxcui(&e, 729717);
    REQUIRE(min != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[min].kind, MT_DRUG_MULTI);
    CHECK(vt_product_linked(&e, 861819, min));
    CHECK(!vt_product_linked(&e, 861740, min));
    CHECK(!vt_product_linked(&e, 665042, min));
    CHECK(vt_product_linked(&e, 861819, met));
    CHECK(mdl_product_find_rxcui(&e.m, 861740, &prod) == MT_OK);   /* still a product */
    /* A combination brand names the MIN first, and each ingredient. */
    CHECK(vt_name(&e, min, MT_NAME_BRAND, "Zituvimet") != NULL);
    CHECK(vt_name(&e, met, MT_NAME_BRAND, "Zituvimet") != NULL);
    CHECK(mdl_drug_find_name(&e.m, "Zituvimet", &found) == MT_OK && found == min);
    CHECK(vt_name(&e, met, MT_NAME_BRAND, "Zituvio") == NULL);   /* sitagliptin alone */
    vt_free(&e);
}

TEST(rxnorm_malformed_json_names_file_and_line)
{
    vt_env e;
    vt_init(&e);
    CHECK_EQ_INT(vt_run(&e, mt_import_rxnorm_json, "rxnorm", vt_fixture("rxnorm-broken")), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "rxnorm-broken/K.json:16:");
    CHECK_CONTAINS(mt_buf_str(&e.err), "malformed JSON");
    vt_free(&e);
}

TEST(rxnorm_survives_allocation_failures)
{
    long n;
    for (n = 0; n < 4000; n += 37) {
        vt_env e;
        int rc;
        vt_init(&e);
        mt_alloc_fail_after(n);
        rc = vt_run(&e, mt_import_rxnorm_json, "rxnorm", vt_fixture("rxnorm-ingredients-2025-10"));
        mt_alloc_fail_after(-1);
        if (rc != MT_OK && rc != MT_ENOMEM)
            mt_test_fail(__FILE__, __LINE__, "allocation %ld failing gave %d (%s)", n, rc, mt_buf_str(&e.err));
        vt_free(&e);
    }
}

TEST(rxnorm_bundled_extract)
{
    vt_env e;
    const char *dir = vt_bundled("rxnorm-ingredients-2025-10");
    mdl_ref d;
    uint32_t i, pins = 0, orphans = 0;
    if (!dir)
        return;
    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxnorm_json, "rxnorm", dir) == MT_OK);
    CHECK_EQ_INT(vt_source(&e, "rxnorm")->rows, 4008);
    CHECK_EQ_INT(e.last.skipped, 509);
    CHECK_EQ_INT(e.m.products.count, 19697);       /* distinct SCD/SBD/GPCK/BPCK RxCUIs */
    CHECK(e.m.ndcs.count >= 221960);                /* distinct NDC-11s */
    fprintf(stderr, "    rxnorm: %u drugs, %u products, %u NDCs, %u names, %u product links\n",
            e.m.drugs.count, e.m.products.count, e.m.ndcs.count, e.m.names.count,
            e.m.product_ings.count);

    d = vt_drug_rxcui(&e, 6130);
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Ketalar") != NULL);
    d = vt_drug_rxcui(&e, 2119365);
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Spravato") != NULL);
    d = vt_drug_rxcui(&e, 6878);                       /* methylene blue */
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Provayblue") != NULL);
    d = vt_drug_rxcui(&e, 10402);                      /* dronabinol */
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Marinol") != NULL);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Syndros") != NULL);
    d = vt_drug_rxcui(&e, 31447);                      /* nabilone */
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Cesamet") != NULL);
    d = vt_drug_rxcui(&e, 2045371);                    /* cannabidiol */
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Epidiolex") != NULL);
    d = vt_drug_rxcui(&e, 36437);
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Zoloft") != NULL);
    CHECK_EQ_INT(vt_product_count(&e, d), 10);
    d = vt_drug_rxcui(&e, 1886);                       /* caffeine, and its citrate */
    REQUIRE(d != MDL_NONE);
    CHECK(vt_name(&e, d, MT_NAME_BRAND, "Cafcit") != NULL);
    CHECK_EQ_INT(e.m.drugs.items[vt_drug_rxcui(&e, 20033)].parent, d);
    CHECK(vt_drug_rxcui(&e, 596) == MDL_NONE);         /* alprazolam: in the missing A.json */
    CHECK(vt_drug_named(&e, "psilocybin") == MDL_NONE);

    for (i = 0; i < e.m.drugs.count; i++) {
        if (e.m.drugs.items[i].kind != MT_DRUG_PRECISE)
            continue;
        pins++;
        if (e.m.drugs.items[i].parent == MDL_NONE)
            orphans++;
    }
    CHECK_EQ_INT(pins, 790);
    CHECK(orphans <= 6);
    vt_free(&e);
}
