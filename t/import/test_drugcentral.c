/*
** test_drugcentral.c — the DrugCentral importer (lib/import/drugcentral.c):
** identifier joins, classes and the filtered listed indications, on real
** rows (t/fixtures/drugcentral-2016) after the identity fixtures, and on the
** bundled files.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"
#include "util/alloc.h"

TEST(drugcentral_identifiers_classes_indications)
{
    vt_env e;
    mdl_ref ser, ket, oxy, met, flu;
    const mdl_class *c;
    const mdl_indication *in;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_drugcentral, "drugcentral", vt_fixture("drugcentral-2016")) == MT_OK);

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[ser].drugcentral_id, 2436);
    CHECK(vt_ident(&e, ser, MT_ID_CHEBI, "CHEBI:9123") != NULL);
    CHECK(vt_ident(&e, ser, MT_ID_MESH, "D020280") != NULL);
    CHECK(vt_ident(&e, ser, MT_ID_VUID, "4020551") != NULL);
    CHECK(vt_ident(&e, ser, MT_ID_NUI, "N0000148257") != NULL);
    CHECK(vt_ident(&e, ser, MT_ID_OTHER, "ChEMBL_ID:CHEMBL809") != NULL);
    {
        const mdl_ident *id = vt_ident(&e, ser, MT_ID_DRUGCENTRAL, "2436");
        REQUIRE(id != NULL);
        CHECK_STR(id->cite.record, "identifiers.tsv DRUG_ID 2436");
    }
    ket = vt_drug_rxcui(&e, 6130);
    REQUIRE(ket != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[ket].drugcentral_id, 1523);
    /* Oxycodone is only in the DrugBank fixture: joined by DrugBank ID. */
    oxy = vt_drug_named(&e, "oxycodone");
    REQUIRE(oxy != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[oxy].drugcentral_id, 2029);
    CHECK_STR(e.m.drugs.items[oxy].drugbank_id, "DB00497");

    c = vt_class(&e, ser, "Serotonin Reuptake Inhibitor [EPC]");
    REQUIRE(c != NULL);
    CHECK_STR(c->type, "EPC");
    CHECK_STR(c->code, "N0000175696");
    c = vt_class(&e, ser, "Serotonin Uptake Inhibitors");
    REQUIRE(c != NULL);
    CHECK_STR(c->type, "MeSH PA");
    c = vt_class(&e, ser, "antidepressant");
    REQUIRE(c != NULL);
    CHECK_STR(c->type, "ChEBI");
    c = vt_class(&e, oxy, "Opioid Agonist [EPC]");
    CHECK(c != NULL);
    c = vt_class(&e, oxy, "Full Opioid Agonists [MoA]");
    CHECK(c != NULL);

    /* Depression and panic disorder: fluoxetine and citalopram are listed
    ** too and share sertraline's classes. */
    in = vt_indication(&e, ser, MT_IND_LISTED, "Depression");
    REQUIRE(in != NULL);
    CHECK_STR(in->disease_id, "C0011581");
    CHECK_CONTAINS(in->cite.record, "drug_indication.tsv line ");
    CHECK(vt_indication(&e, ser, MT_IND_LISTED, "Panic Disorder") != NULL);
    flu = vt_drug_named(&e, "fluoxetine");
    REQUIRE(flu != MDL_NONE);
    CHECK(vt_indication(&e, flu, MT_IND_LISTED, "Depression") != NULL);
    /* Heartburn is listed for cimetidine and famotidine, which share no class
    ** with oxycodone: dropped. Pain (with morphine) stays. */
    CHECK(vt_indication(&e, oxy, 0, "Heartburn") == NULL);
    CHECK(vt_indication(&e, oxy, MT_IND_LISTED, "Pain") != NULL);
    CHECK(vt_indication(&e, oxy, MT_IND_LISTED, "Severe Pain") != NULL);
    CHECK(vt_indication(&e, vt_drug_named(&e, "cimetidine"), MT_IND_LISTED, "Heartburn") != NULL);
    /* Nothing else lists type 2 diabetes in the fixture: kept. */
    met = vt_drug_rxcui(&e, 6809);
    REQUIRE(met != MDL_NONE);
    in = vt_indication(&e, met, MT_IND_LISTED, "Type 2 Diabetes Mellitus");
    REQUIRE(in != NULL);
    CHECK_STR(in->disease_id, "C0011860");

    CHECK_EQ_INT(e.last.skipped, 1);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "Oxycodone -> Heartburn");
    {
        const mdl_source *s = vt_source(&e, "drugcentral");
        CHECK_EQ_INT(s->rows, 97 + 103 + 14);
        CHECK_EQ_INT(s->matched + s->unmatched, s->rows);
        CHECK_EQ_INT(s->created, 3);    /* morphine, cimetidine, famotidine */
    }
    vt_free(&e);
}

TEST(drugcentral_broken_row_names_file_and_line)
{
    vt_env e;
    vt_init(&e);
    CHECK_EQ_INT(vt_run(&e, mt_import_drugcentral, "drugcentral", vt_fixture("drugcentral-broken")), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "drugcentral-broken/pharm_class.tsv:3:");
    vt_free(&e);
}

/* The filter on the whole file: DrugCentral alone, on an empty model. */
TEST(drugcentral_bundled_indication_filter)
{
    vt_env e;
    const char *dir = vt_bundled("drugcentral-2016");
    mdl_ref oxy, lis, ser, met, caf;
    const mdl_source *s;
    if (!dir)
        return;
    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_drugcentral, "drugcentral", dir) == MT_OK);
    s = vt_source(&e, "drugcentral");
    fprintf(stderr, "    drugcentral: rows %u, %u indications kept, %u dropped\n",
            s->rows, e.m.indications.count, e.last.skipped);
    CHECK_EQ_INT(s->rows, 61547 + 17096 + 12175);
    CHECK_EQ_INT(e.m.indications.count + e.last.skipped, 12175);

    oxy = vt_drug_named(&e, "oxycodone");
    lis = vt_drug_named(&e, "lisinopril");
    ser = vt_drug_named(&e, "sertraline");
    met = vt_drug_named(&e, "metformin");
    caf = vt_drug_named(&e, "caffeine");
    REQUIRE(oxy != MDL_NONE && lis != MDL_NONE && ser != MDL_NONE && met != MDL_NONE && caf != MDL_NONE);
    CHECK(vt_indication(&e, oxy, 0, "Heartburn") == NULL);
    CHECK(vt_indication(&e, oxy, 0, "Tinea Pedis") == NULL);
    CHECK(vt_indication(&e, oxy, 0, "Gastroesophageal Reflux") == NULL);
    CHECK(vt_indication(&e, oxy, 0, "Pain") != NULL);
    CHECK(vt_indication(&e, oxy, 0, "Severe Pain") != NULL);
    CHECK(vt_indication(&e, lis, 0, "Superficial Ocular Infection") == NULL);
    CHECK(vt_indication(&e, lis, 0, "Hypertension") != NULL);
    CHECK(vt_indication(&e, lis, 0, "Chronic Heart Failure") != NULL);
    CHECK(vt_indication(&e, ser, 0, "Depression") != NULL);
    CHECK(vt_indication(&e, ser, 0, "Obsessive-Compulsive Disorder") != NULL);
    CHECK(vt_indication(&e, ser, 0, "Panic Disorder") != NULL);
    CHECK(vt_indication(&e, ser, 0, "Post Traumatic Stress Disorder") != NULL);
    CHECK(vt_indication(&e, ser, 0, "Social Phobia") != NULL);
    CHECK(vt_indication(&e, ser, 0, "Premenstrual Dysphoric Disorder") != NULL);
    CHECK(vt_indication(&e, met, 0, "Type 2 Diabetes Mellitus") != NULL);
    CHECK(vt_indication(&e, caf, 0, "Allergic Rhinitis") == NULL);   /* a combination leak */
    CHECK(vt_class(&e, ser, "Serotonin Reuptake Inhibitor [EPC]") != NULL);
    vt_free(&e);
}

TEST(drugcentral_survives_allocation_failures)
{
    long n;
    for (n = 0; n < 3000; n += 23) {
        vt_env e;
        int rc;
        vt_init(&e);
        if (vt_identity_fixtures(&e) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "identity fixtures");
            vt_free(&e);
            return;
        }
        mt_alloc_fail_after(n);
        rc = vt_run(&e, mt_import_drugcentral, "drugcentral", vt_fixture("drugcentral-2016"));
        mt_alloc_fail_after(-1);
        CHECK(rc == MT_OK || rc == MT_ENOMEM);
        vt_free(&e);
    }
}
