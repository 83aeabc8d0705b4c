/*
** test_drugbank_joins.c — how a DrugBank entry joins an RxNorm ingredient
** whose name it does not share (lib/import/drugbank_vocab.c; docs/reference/sources.md,
** "join rule 6 in full"): through DrugCentral's RXNORM/DRUGBANK_ID cross-references,
** through one of its own synonyms, and the cases that must stay apart. Real
** rows in t/fixtures/drugbank-joins (RxTerms, DrugBank, DrugCentral).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "import/vocabtest.h"
#include "util/alloc.h"

/* RxTerms, then DrugBank; DrugCentral registered first when asked, as the
** pipeline registers every source before it imports any. */
static int run_joins(vt_env *e, int with_drugcentral, const char *drugbank_dir)
{
    int rc = MT_OK;
    vt_init(e);
    if (with_drugcentral)
        rc = vt_register(e, "drugcentral", vt_fixture("drugbank-joins/drugcentral-2016"));
    if (rc == MT_OK)
        rc = vt_run(e, mt_import_rxterms, "rxterms", vt_fixture("drugbank-joins/rxterms-ingredients"));
    if (rc == MT_OK)
        rc = vt_run(e, mt_import_drugbank_vocab, "drugbank",
                    drugbank_dir ? drugbank_dir : vt_fixture("drugbank-joins/drugbank-open-vocabulary"));
    return rc;
}

static mdl_ref by_drugbank(const vt_env *e, const char *id)
{
    mdl_keys k;
    mdl_ref d;
    memset(&k, 0, sizeof(k));
    k.drugbank_id = id;
    return mdl_drug_find(&e->m, &k, &d) == MT_OK ? d : MDL_NONE;
}

TEST(drugbank_joins_rxnorm_drug_through_drugcentral_cross_references)
{
    vt_env e;
    mdl_ref asa, sal, htp, apap, found;

    REQUIRE(run_joins(&e, 1, NULL) == MT_OK);
    /* Aspirin (RxTerms, RxCUI 1191, no UNII) and "Acetylsalicylic acid" share
    ** no name; DrugCentral DRUG_ID 74 lists RXNORM 1191 with DB00936 and
    ** DB00945, and salicylic acid took DB00936 by its own name first. */
    asa = vt_drug_rxcui(&e, 1191);
    REQUIRE(asa != MDL_NONE);
    CHECK(by_drugbank(&e, "DB00945") == asa);
    CHECK_STR(e.m.drugs.items[asa].name, "aspirin");
    CHECK_STR(e.m.drugs.items[asa].drugbank_id, "DB00945");
    CHECK_STR(e.m.drugs.items[asa].unii, "R16CO5Y76E");
    CHECK_EQ_INT(e.m.drugs.items[asa].kind, MT_DRUG_INGREDIENT);
    CHECK(vt_name(&e, asa, MT_NAME_SYNONYM, "Acetylsalicylic acid") != NULL);
    CHECK(mdl_drug_find_name(&e.m, "acetylsalicylic acid", &found) == MT_OK && found == asa);
    sal = vt_drug_rxcui(&e, 9525);
    REQUIRE(sal != MDL_NONE);
    CHECK_STR(e.m.drugs.items[sal].drugbank_id, "DB00936");
    /* Oxitriptan lists no name of RxNorm's 5-hydroxytryptophan: only
    ** DrugCentral (DRUG_ID 4006: RXNORM 94, DB02959) joins them. */
    htp = vt_drug_rxcui(&e, 94);
    REQUIRE(htp != MDL_NONE);
    CHECK(by_drugbank(&e, "DB02959") == htp);
    /* Acetaminophen joins by its own name, before any of this. */
    apap = vt_drug_rxcui(&e, 161);
    REQUIRE(apap != MDL_NONE);
    CHECK_STR(e.m.drugs.items[apap].drugbank_id, "DB00316");
    CHECK_CONTAINS(mt_buf_str(&e.warn), "drugbank: DB00945 Acetylsalicylic acid joined aspirin (RxCUI 1191) "
                   "through DrugCentral identifiers.tsv DRUG_ID 74");
    CHECK_CONTAINS(mt_buf_str(&e.warn), ", 2 through DrugCentral's RXNORM/DRUGBANK_ID cross-references,");
    /* 7 RxTerms ingredients and 2 DrugBank substances (phylloquinone, (R)-fluoxetine). */
    CHECK_EQ_INT(e.m.drugs.count, 9);
    CHECK_EQ_INT(vt_source(&e, "drugbank")->created, 2);
    vt_free(&e);
}

TEST(drugbank_joins_rxnorm_ingredient_through_one_of_its_synonyms)
{
    vt_env e;
    mdl_ref asa, htp, oxi;

    /* Without DrugCentral: "Aspirin" is one of DB00945's synonyms and the own
    ** name of one drug, an RxNorm ingredient without a DrugBank ID. */
    REQUIRE(run_joins(&e, 0, NULL) == MT_OK);
    asa = vt_drug_rxcui(&e, 1191);
    REQUIRE(asa != MDL_NONE);
    CHECK(by_drugbank(&e, "DB00945") == asa);
    CHECK_STR(e.m.drugs.items[asa].drugbank_id, "DB00945");
    CHECK_CONTAINS(mt_buf_str(&e.warn), "drugbank: DB00945 Acetylsalicylic acid joined aspirin (RxCUI 1191) "
                   "through one of its synonyms");
    CHECK_CONTAINS(mt_buf_str(&e.warn), ", 1 through a synonym that is an RxNorm ingredient's own name,");
    /* Without the cross-reference, oxitriptan stays a substance of its own. */
    htp = vt_drug_rxcui(&e, 94);
    oxi = by_drugbank(&e, "DB02959");
    REQUIRE(htp != MDL_NONE && oxi != MDL_NONE);
    CHECK(oxi != htp);
    CHECK_EQ_INT(e.m.drugs.items[oxi].kind, MT_DRUG_SUBSTANCE);
    CHECK(e.m.drugs.items[htp].drugbank_id == NULL);
    vt_free(&e);
}

TEST(drugbank_synonyms_naming_two_ingredients_or_an_isomer_do_not_join)
{
    vt_env e;
    mdl_ref vk, vk1, phy, flx, rflx;

    REQUIRE(run_joins(&e, 1, NULL) == MT_OK);
    /* Phylloquinone lists "Vitamin K" and "Vitamin K1": two RxNorm ingredients. */
    vk = vt_drug_rxcui(&e, 11258);
    vk1 = vt_drug_rxcui(&e, 8308);
    phy = by_drugbank(&e, "DB01022");
    REQUIRE(vk != MDL_NONE && vk1 != MDL_NONE && phy != MDL_NONE);
    CHECK(phy != vk && phy != vk1);
    CHECK_EQ_INT(e.m.drugs.items[phy].kind, MT_DRUG_SUBSTANCE);
    CHECK(e.m.drugs.items[vk].drugbank_id == NULL);
    CHECK(e.m.drugs.items[vk1].drugbank_id == NULL);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "drugbank: DB01022 Phylloquinone not joined through a synonym: "
                   "its synonyms name several drugs");
    /* (R)-fluoxetine lists "(+)-fluoxetine", whose key is "fluoxetine": an
    ** isomer's name, not the racemate's. */
    flx = vt_drug_rxcui(&e, 4493);
    rflx = by_drugbank(&e, "DB08472");
    REQUIRE(flx != MDL_NONE && rflx != MDL_NONE);
    CHECK(flx != rflx);
    CHECK(e.m.drugs.items[flx].drugbank_id == NULL);
    vt_free(&e);
}

TEST(drugbank_synonym_that_two_drugs_have_as_own_name_does_not_join)
{
    vt_env e;
    mdl_ref asa, other, db;
    mdl_src s;
    mdl_source desc;

    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxterms, "rxterms", vt_fixture("drugbank-joins/rxterms-ingredients")) == MT_OK);
    /* A second ingredient named "Aspirin" (made up here; no bundled source has one). */
    memset(&desc, 0, sizeof(desc));
    desc.id = desc.name = "made-up";
    REQUIRE(mdl_source_add(&e.m, &desc, &s) == MT_OK);
    REQUIRE(mdl_drug_add(&e.m, "Aspirin", MT_DRUG_INGREDIENT, NULL, 0, mdl_cite_make(&e.m, s, "x"), &other) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_drugbank_vocab, "drugbank",
                   vt_fixture("drugbank-joins/drugbank-open-vocabulary")) == MT_OK);
    asa = vt_drug_rxcui(&e, 1191);
    db = by_drugbank(&e, "DB00945");
    REQUIRE(asa != MDL_NONE && db != MDL_NONE);
    CHECK(db != asa && db != other);
    CHECK(e.m.drugs.items[asa].drugbank_id == NULL);
    CHECK(e.m.drugs.items[other].drugbank_id == NULL);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "drugbank: DB00945 Acetylsalicylic acid not joined through a synonym: "
                   "its synonyms name several drugs");
    vt_free(&e);
}

TEST(drugbank_synonym_that_two_entries_reach_does_not_join)
{
    vt_env e;
    char dir[] = "/tmp/mt_drugbank_joins_XXXXXX";
    char path[600];
    mdl_ref asa, a, b;
    FILE *f;

    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/drugbank_vocabulary.csv", dir);
    f = fopen(path, "w");
    REQUIRE(f != NULL);
    /* DB00945's real row, and a made-up entry that also lists "Aspirin". */
    fputs("DrugBank ID,Accession Numbers,Common name,CAS,UNII,Synonyms,Standard InChI Key\n"
          "DB00945,APRD00264 | EXPT00475,Acetylsalicylic acid,50-78-2,R16CO5Y76E,ASA | Aspirin | "
          "Aspirina,BSYNRYMUTXBXSQ-UHFFFAOYSA-N\n"
          "DB99001,\"\",Made-up entry,,,Aspirin | Made-up synonym,\n", f);
    fclose(f);
    REQUIRE(run_joins(&e, 0, dir) == MT_OK);
    asa = vt_drug_rxcui(&e, 1191);
    a = by_drugbank(&e, "DB00945");
    b = by_drugbank(&e, "DB99001");
    REQUIRE(asa != MDL_NONE && a != MDL_NONE && b != MDL_NONE);
    CHECK(a != asa && b != asa && a != b);
    CHECK(e.m.drugs.items[asa].drugbank_id == NULL);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "drugbank: DB00945 Acetylsalicylic acid not joined to aspirin "
                   "(RxCUI 1191) through a synonym: another entry reaches it");
    CHECK_CONTAINS(mt_buf_str(&e.warn), "; 2 synonym matches refused");
    vt_free(&e);
    unlink(path);
    rmdir(dir);
}

TEST(drugbank_joins_malformed_drugcentral_names_file_and_line)
{
    vt_env e;
    char dir[] = "/tmp/mt_drugbank_joins_XXXXXX";
    char path[600];
    FILE *f;

    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/identifiers.tsv", dir);
    f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs("DRUG_ID\tDRUG_NAME\tID_TYPE\tIDENTIFIER\n"
          "74\t\"acetylsalicylic acid\"\t\"DRUGBANK_ID\"\t\"DB00945\"\n"
          "74\t\"acetylsalicylic acid\"\t\"RXNORM\"\t\"1191x\"\n", f);
    fclose(f);
    vt_init(&e);
    REQUIRE(vt_register(&e, "drugcentral", dir) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_rxterms, "rxterms", vt_fixture("drugbank-joins/rxterms-ingredients")) == MT_OK);
    CHECK_EQ_INT(vt_run(&e, mt_import_drugbank_vocab, "drugbank",
                        vt_fixture("drugbank-joins/drugbank-open-vocabulary")), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "/identifiers.tsv:3: RXNORM identifier \"1191x\" is not a number");
    vt_free(&e);
    unlink(path);
    rmdir(dir);
}

/* Every allocation of the second pass, the cross-references included, may fail:
** the importer returns MT_ENOMEM and leaks nothing (ASan). */
TEST(drugbank_joins_survive_allocation_failures)
{
    long n;
    int failed = 0;
    for (n = 0; n < 400; n++) {
        vt_env e;
        int rc;
        vt_init(&e);
        if (vt_register(&e, "drugcentral", vt_fixture("drugbank-joins/drugcentral-2016")) != MT_OK ||
            vt_run(&e, mt_import_rxterms, "rxterms", vt_fixture("drugbank-joins/rxterms-ingredients")) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "rxterms fixture");
            vt_free(&e);
            return;
        }
        mt_alloc_fail_after(n);
        rc = vt_run(&e, mt_import_drugbank_vocab, "drugbank", vt_fixture("drugbank-joins/drugbank-open-vocabulary"));
        mt_alloc_fail_after(-1);
        CHECK(rc == MT_OK || rc == MT_ENOMEM);
        failed += rc == MT_ENOMEM;
        vt_free(&e);
        if (rc == MT_OK)
            break;
    }
    CHECK(n < 400);             /* it succeeded once the allocations sufficed */
    CHECK(failed > 20);
}
