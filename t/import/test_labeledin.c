/*
** test_labeledin.c — the LabeledIn importer (lib/import/labeledin.c) on real
** rows (t/fixtures/labeledin) after the identity and DrugCentral fixtures.
*/
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"

TEST(labeledin_on_label_indications)
{
    vt_env e;
    mdl_ref alp, ser, met;
    const mdl_indication *in;
    const mdl_source *s;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_drugcentral, "drugcentral", vt_fixture("drugcentral-2016")) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_labeledin, "labeledin", vt_fixture("labeledin")) == MT_OK);

    alp = vt_drug_rxcui(&e, 596);
    REQUIRE(alp != MDL_NONE);
    in = vt_indication(&e, alp, MT_IND_ON_LABEL, "Panic Disorder");
    REQUIRE(in != NULL);
    CHECK_STR(in->disease_id, "C0030319");
    CHECK_STR(in->cite.record, "indications.tsv line 10: RxCUI 596, C0030319 on 3 labels (expert)");
    CHECK(vt_indication(&e, alp, MT_IND_ON_LABEL, "Agoraphobia") != NULL);

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    CHECK(vt_indication(&e, ser, MT_IND_ON_LABEL, "Depressive Disorder, Major") != NULL);
    CHECK(vt_indication(&e, ser, MT_IND_ON_LABEL, "Stress Disorders, Post-Traumatic") != NULL);
    /* C0520676 has no MeSH name here; DrugCentral names that CUI. */
    in = vt_indication(&e, ser, MT_IND_ON_LABEL, "Premenstrual Dysphoric Disorder");
    REQUIRE(in != NULL);
    CHECK_CONTAINS(in->cite.record, "disease name from drugcentral");
    met = vt_drug_rxcui(&e, 6809);
    REQUIRE(met != MDL_NONE);
    CHECK(vt_indication(&e, met, MT_IND_ON_LABEL, "Diabetes Mellitus, Type 2") != NULL);

    s = vt_source(&e, "labeledin");
    CHECK_EQ_INT(s->rows, 15);
    CHECK_EQ_INT(s->unmatched, 1);     /* sucralfate: not in the fixtures */
    /* C0024517, C0270549, C0338908: no name anywhere, not shown as codes */
    CHECK_EQ_INT(e.last.skipped, 3);
    vt_free(&e);
}
