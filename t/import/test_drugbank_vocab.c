/*
** test_drugbank_vocab.c — the DrugBank open vocabulary importer
** (lib/import/drugbank_vocab.c) on real rows (t/fixtures/drugbank-open-vocabulary)
** after the RxNorm and RxTerms fixtures, and on the bundled files.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"

TEST(drugbank_joins_by_unii_then_name_and_creates_substances)
{
    vt_env e;
    mdl_ref psi, ket, esk, apap, alp, ser, cet, found;
    mdl_keys k;
    const mdl_source *s;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);

    /* Psilocybin is not in RxNorm: a substance of its own, found by its
    ** DrugBank ID, UNII and international spellings. */
    psi = vt_drug_named(&e, "psilocybin");
    REQUIRE(psi != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[psi].kind, MT_DRUG_SUBSTANCE);
    CHECK_EQ_INT(e.m.drugs.items[psi].rxcui, 0);
    CHECK(!(e.m.drugs.items[psi].flags & MT_DRUGF_IN_RXNORM));
    CHECK_STR(e.m.drugs.items[psi].drugbank_id, "DB11664");
    CHECK_STR(e.m.drugs.items[psi].unii, "2RV7212BP0");
    CHECK_STR(e.m.drugs.items[psi].cite.record, "DB11664");
    CHECK(vt_ident(&e, psi, MT_ID_CAS, "520-52-5") != NULL);
    CHECK(vt_name(&e, psi, MT_NAME_SYNONYM, "Psilocybine") != NULL);
    CHECK(mdl_drug_find_name(&e.m, "psilocibina", &found) == MT_OK && found == psi);

    /* Ketamine and esketamine join their RxNorm drugs by UNII; the (S)-
    ** synonyms stay on esketamine. */
    ket = vt_drug_rxcui(&e, 6130);
    esk = vt_drug_rxcui(&e, 2119365);
    REQUIRE(ket != MDL_NONE && esk != MDL_NONE);
    CHECK_STR(e.m.drugs.items[ket].drugbank_id, "DB01221");
    CHECK_STR(e.m.drugs.items[esk].drugbank_id, "DB11823");
    CHECK(vt_name(&e, esk, MT_NAME_SYNONYM, "(S)-ketamine") != NULL);
    CHECK(vt_name(&e, ket, MT_NAME_SYNONYM, "(S)-ketamine") == NULL);
    CHECK(mdl_drug_find_name(&e.m, "S-ketamine", &found) == MT_OK && found == esk);

    /* Acetaminophen and alprazolam come from RxTerms without a UNII: joined by
    ** name, and the international name finds acetaminophen. */
    apap = vt_drug_rxcui(&e, 161);
    REQUIRE(apap != MDL_NONE);
    CHECK_STR(e.m.drugs.items[apap].drugbank_id, "DB00316");
    CHECK_STR(e.m.drugs.items[apap].unii, "362O9ITL9D");
    CHECK(vt_name(&e, apap, MT_NAME_SYNONYM, "Paracetamol") != NULL);
    CHECK(mdl_drug_find_name(&e.m, "PARACETAMOL", &found) == MT_OK && found == apap);
    alp = vt_drug_rxcui(&e, 596);
    REQUIRE(alp != MDL_NONE);
    CHECK_STR(e.m.drugs.items[alp].drugbank_id, "DB00404");
    memset(&k, 0, sizeof(k));
    k.drugbank_id = "DB05925";                         /* a merged, secondary accession */
    CHECK(mdl_drug_find(&e.m, &k, &found) == MT_OK && found == alp);

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    k.drugbank_id = "DB08567";
    CHECK(mdl_drug_find(&e.m, &k, &found) == MT_OK && found == ser);
    CHECK(vt_name(&e, ser, MT_NAME_SYNONYM, "Sertralinum") != NULL);

    /* Non-English INN variants are synonyms of the substance. */
    cet = vt_drug_named(&e, "Cetuximab");
    REQUIRE(cet != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[cet].kind, MT_DRUG_SUBSTANCE);
    CHECK(vt_name(&e, cet, MT_NAME_SYNONYM, "Cétuximab") != NULL);
    CHECK(mdl_drug_find_name(&e.m, "Cetuximabum", &found) == MT_OK && found == cet);

    /* "Adenosine phosphate" (AMP) comes first in the file and would reach
    ** adenosine by its salt-stripped name; adenosine's own entry wins it. */
    {
        mdl_ref ado = vt_drug_rxcui(&e, 296), amp = vt_drug_named(&e, "Adenosine phosphate");
        REQUIRE(ado != MDL_NONE && amp != MDL_NONE);
        CHECK(ado != amp);
        CHECK_STR(e.m.drugs.items[ado].drugbank_id, "DB00640");
        CHECK_STR(e.m.drugs.items[amp].drugbank_id, "DB00131");
    }
    /* Eszopiclone's synonym "(+)-Zopiclone" has the key of zopiclone's own
    ** name: the name finds zopiclone. */
    {
        mdl_ref esz = vt_drug_named(&e, "Eszopiclone"), zop;
        REQUIRE(esz != MDL_NONE);
        REQUIRE(mdl_drug_find_name(&e.m, "zopiclone", &zop) == MT_OK);
        CHECK(zop != esz);
        CHECK_STR(e.m.drugs.items[zop].drugbank_id, "DB01198");
        CHECK(vt_name(&e, esz, MT_NAME_SYNONYM, "(+)-Zopiclone") != NULL);
    }

    s = vt_source(&e, "drugbank");
    CHECK_EQ_INT(s->rows, 23);
    CHECK_EQ_INT(s->matched + s->unmatched, 23);
    CHECK_EQ_INT(s->created, s->unmatched);
    /* Not in the RxNorm/RxTerms fixtures: cetuximab, adenosine phosphate,
    ** fluvoxamine, citalopram, eszopiclone, dronabinol, fluoxetine, oxycodone,
    ** pentazocine, lisinopril, escitalopram, naloxone, zopiclone, psilocybin. */
    CHECK_EQ_INT(s->unmatched, 14);
    vt_free(&e);
}

TEST(drugbank_broken_row_names_file_and_line)
{
    vt_env e;
    vt_init(&e);
    CHECK_EQ_INT(vt_run(&e, mt_import_drugbank_vocab, "drugbank", vt_fixture("drugbank-broken")), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "drugbank-broken/drugbank_vocabulary.csv:3:");
    vt_free(&e);
}

TEST(drugbank_bundled_after_rxnorm_rxterms)
{
    vt_env e;
    const char *rx = vt_bundled("rxnorm-ingredients-2025-10");
    const char *rt = vt_bundled("rxterms-ingredients");
    const char *db = vt_bundled("drugbank-open-vocabulary");
    const mdl_source *s;
    mdl_ref psi, apap;
    if (!rx || !rt || !db)
        return;
    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxnorm_json, "rxnorm", rx) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_rxterms, "rxterms", rt) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_drugbank_vocab, "drugbank", db) == MT_OK);
    s = vt_source(&e, "drugbank");
    fprintf(stderr, "    drugbank: rows %u matched %u unmatched %u created %u; id conflicts %u\n",
            s->rows, s->matched, s->unmatched, s->created, e.m.id_conflicts);
    CHECK_EQ_INT(s->rows, 16581);
    psi = vt_drug_named(&e, "psilocybin");
    REQUIRE(psi != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[psi].kind, MT_DRUG_SUBSTANCE);
    CHECK_STR(e.m.drugs.items[psi].drugbank_id, "DB11664");
    apap = vt_drug_rxcui(&e, 161);
    REQUIRE(apap != MDL_NONE);
    CHECK_STR(e.m.drugs.items[apap].drugbank_id, "DB00316");
    CHECK_STR(e.m.drugs.items[vt_drug_rxcui(&e, 6130)].drugbank_id, "DB01221");
    CHECK_STR(e.m.drugs.items[vt_drug_rxcui(&e, 2119365)].drugbank_id, "DB11823");
    CHECK_STR(e.m.drugs.items[vt_drug_rxcui(&e, 6878)].drugbank_id, "DB09241");   /* methylene blue */
    CHECK_STR(e.m.drugs.items[vt_drug_rxcui(&e, 36437)].drugbank_id, "DB01104");
    vt_free(&e);
}
