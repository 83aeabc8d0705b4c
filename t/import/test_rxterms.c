/*
** test_rxterms.c — the RxTerms ingredients importer (lib/import/rxterms.c) on
** real rows (t/fixtures/rxterms-ingredients) after the RxNorm fixture, and on
** the bundled files.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"

TEST(rxterms_restores_missing_ingredients)
{
    vt_env e;
    mdl_ref alp, ator, ser, sita, met;
    const mdl_source *s;

    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxnorm_json, "rxnorm", vt_fixture("rxnorm-ingredients-2025-10")) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_rxterms, "rxterms", vt_fixture("rxterms-ingredients")) == MT_OK);

    /* alprazolam and atorvastatin are in the missing A.json: RxTerms makes them. */
    alp = vt_drug_rxcui(&e, 596);
    REQUIRE(alp != MDL_NONE);
    CHECK_STR(e.m.drugs.items[alp].name, "alprazolam");
    CHECK_EQ_INT(e.m.drugs.items[alp].kind, MT_DRUG_INGREDIENT);
    CHECK(e.m.drugs.items[alp].flags & MT_DRUGF_IN_RXNORM);
    CHECK(e.m.drugs.items[alp].flags & MT_DRUGF_RXNORM_RXTERMS);
    CHECK_CONTAINS(e.m.drugs.items[alp].cite.record, "RxTermsIngredients202304.txt line 5: ING_RXCUI 596");
    ator = vt_drug_rxcui(&e, 83367);
    REQUIRE(ator != MDL_NONE);
    CHECK_STR(e.m.drugs.items[ator].name, "atorvastatin");
    CHECK(e.m.drugs.items[ator].flags & MT_DRUGF_RXNORM_RXTERMS);

    /* sertraline is in RxNorm: joined, not duplicated, and keeps its flags. */
    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    CHECK(!(e.m.drugs.items[ser].flags & MT_DRUGF_RXNORM_RXTERMS));
    CHECK(vt_drug_named(&e, "sertraline") == ser);
    CHECK(vt_product_linked(&e, 312938, ser));

    /* The metformin + sitagliptin tablet is an RxNorm product: RxTerms adds
    ** sitagliptin (not in the fixture's RxNorm files) as its ingredient. */
    sita = vt_drug_rxcui(&e, 593411);
    met = vt_drug_rxcui(&e, 6809);
    REQUIRE(sita != MDL_NONE && met != MDL_NONE);
    CHECK(vt_product_linked(&e, 861819, sita));
    CHECK(vt_product_linked(&e, 861819, met));

    s = vt_source(&e, "rxterms");
    CHECK_EQ_INT(s->rows, 16);
    CHECK_EQ_INT(s->matched, 5);       /* sertraline x2, esketamine, ketamine, metformin */
    CHECK_EQ_INT(s->unmatched, 11);
    CHECK_EQ_INT(s->created, 8);       /* HCTZ, amlodipine, olmesartan, alprazolam, atorvastatin,
                                          sitagliptin, acetaminophen, adenosine */
    /* 1000000 (amlodipine/HCTZ/olmesartan), 141927, 141928, 1422086, 197321, 617310,
    ** 198440, 1654035 are not in the fixture's RxNorm files: counted, no product invented. */
    CHECK_CONTAINS(mt_buf_str(&e.warn), "rxterms: 8 clinical drugs");
    vt_free(&e);
}

TEST(rxterms_broken_row_names_file_and_line)
{
    vt_env e;
    vt_init(&e);
    CHECK_EQ_INT(vt_run(&e, mt_import_rxterms, "rxterms", vt_fixture("rxterms-broken")), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "rxterms-broken/RxTermsIngredients202304.txt:5:");
    CHECK_CONTAINS(mt_buf_str(&e.err), "expected 3 fields");
    vt_free(&e);
}

TEST(rxterms_bundled_after_rxnorm)
{
    vt_env e;
    const char *rx = vt_bundled("rxnorm-ingredients-2025-10");
    const char *rt = vt_bundled("rxterms-ingredients");
    mdl_ref alp, ator;
    const mdl_source *s;
    if (!rx || !rt)
        return;
    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxnorm_json, "rxnorm", rx) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_rxterms, "rxterms", rt) == MT_OK);
    s = vt_source(&e, "rxterms");
    fprintf(stderr, "    rxterms: rows %u matched %u unmatched %u created %u\n",
            s->rows, s->matched, s->unmatched, s->created);
    CHECK_EQ_INT(s->rows, 28696);
    alp = vt_drug_rxcui(&e, 596);
    ator = vt_drug_rxcui(&e, 83367);
    REQUIRE(alp != MDL_NONE && ator != MDL_NONE);
    CHECK(e.m.drugs.items[alp].flags & MT_DRUGF_RXNORM_RXTERMS);
    CHECK(vt_drug_rxcui(&e, 161) != MDL_NONE);        /* acetaminophen */
    /* Alprazolam tablets are only in the missing A.json: no product. The
    ** amlodipine / olmesartan / HCTZ tablet is listed under olmesartan: linked. */
    CHECK(vt_product_linked(&e, 1000000, vt_drug_rxcui(&e, 17767)));
    CHECK(vt_drug_named(&e, "ketamine") == vt_drug_rxcui(&e, 6130));
    vt_free(&e);
}
