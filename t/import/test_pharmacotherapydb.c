/*
** test_pharmacotherapydb.c — the PharmacotherapyDB importer
** (lib/import/pharmacotherapydb.c) on real rows (t/fixtures/pharmacotherapydb)
** after the identity fixtures.
*/
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"

TEST(pharmacotherapydb_categories_by_drugbank_id)
{
    vt_env e;
    mdl_ref met, ser, alp;
    const mdl_indication *in;
    const mdl_source *s;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_pharmacotherapydb, "pharmacotherapydb", vt_fixture("pharmacotherapydb")) == MT_OK);

    met = vt_drug_rxcui(&e, 6809);
    REQUIRE(met != MDL_NONE);
    in = vt_indication(&e, met, MT_IND_DISEASE_MODIFYING, "type 2 diabetes mellitus");
    REQUIRE(in != NULL);
    CHECK_STR(in->disease_id, "DOID:9352");
    CHECK_STR(in->cite.record, "catalog/indications.tsv line 15 (DM, 3 curators)");
    CHECK(vt_indication(&e, met, MT_IND_NOT_INDICATED, "prostate cancer") != NULL);
    CHECK(vt_indication(&e, met, MT_IND_SYMPTOMATIC, "type 2 diabetes mellitus") == NULL);

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    CHECK(vt_indication(&e, ser, MT_IND_SYMPTOMATIC, "panic disorder") != NULL);
    CHECK(vt_indication(&e, ser, MT_IND_SYMPTOMATIC, "endogenous depression") != NULL);
    in = vt_indication(&e, ser, MT_IND_NOT_INDICATED, "Parkinson's disease");
    REQUIRE(in != NULL);
    CHECK_CONTAINS(in->cite.record, "1 curator)");
    /* alprazolam is an RxTerms ingredient, joined by the DrugBank ID that
    ** the DrugBank vocabulary gave it by name */
    alp = vt_drug_rxcui(&e, 596);
    REQUIRE(alp != MDL_NONE);
    CHECK(vt_indication(&e, alp, MT_IND_SYMPTOMATIC, "panic disorder") != NULL);

    s = vt_source(&e, "pharmacotherapydb");
    CHECK_EQ_INT(s->rows, 14);
    CHECK_EQ_INT(s->unmatched, 1);     /* donepezil: not in the fixtures */
    CHECK_EQ_INT(s->matched, 13);
    vt_free(&e);
}
