/*
** test_vocab_full.c — the identity and facts importers together, in
** pipeline order, on the bundled sources: the probes a user checks first
** (ketamine, esketamine, sertraline, alprazolam, atorvastatin, psilocybin,
** metformin) and the counters of every source.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"

static const struct { const char *id, *folder; vt_importer fn; } chain[] = {
    { "rxnorm", "rxnorm-ingredients-2025-10", mt_import_rxnorm_json },
    { "rxterms", "rxterms-ingredients", mt_import_rxterms },
    { "drugbank", "drugbank-open-vocabulary", mt_import_drugbank_vocab },
    { "drugcentral", "drugcentral-2016", mt_import_drugcentral },
    { "openfda", "fda-openfda-files", mt_import_drugsatfda },
    { "pharmacotherapydb", "pharmacotherapydb", mt_import_pharmacotherapydb },
    { "labeledin", "labeledin", mt_import_labeledin },
    { "dea-derived", "dea-schedules-derived", mt_import_dea_derived },
    { "acb", "anticholinergic-burden", mt_import_acb },
};

static int has_schedule(const vt_env *e, mdl_ref d, const char *s)
{
    uint32_t i;
    for (i = 0; i < e->m.schedules.count; i++)
        if (e->m.schedules.items[i].drug == d && strcmp(e->m.schedules.items[i].schedule, s) == 0)
            return 1;
    return 0;
}

static int acb_score(const vt_env *e, mdl_ref d, const char *scale)
{
    uint32_t i;
    for (i = 0; i < e->m.acbs.count; i++)
        if (e->m.acbs.items[i].drug == d && strcmp(e->m.acbs.items[i].scale, scale) == 0)
            return e->m.acbs.items[i].score;
    return -1;
}

/* RxNorm ingredients without a DrugBank ID whose own name is, by normalized
** key, a synonym of a substance DrugBank created: one drug split in two. */
static unsigned split_ingredients(const vt_env *e)
{
    mdl_src db;
    uint32_t i;
    unsigned n = 0;
    if (mdl_source_find(&e->m, "drugbank", &db) != MT_OK)
        return 0;
    for (i = 0; i < e->m.names.count; i++) {
        const mdl_name *nm = &e->m.names.items[i];
        const mdl_drug *sub = &e->m.drugs.items[nm->drug];
        mdl_ref d;
        if (nm->kind != MT_NAME_SYNONYM || sub->kind != MT_DRUG_SUBSTANCE || sub->rxcui ||
            sub->cite.source != db || mdl_drug_find_own_name(&e->m, nm->text, &d) != MT_OK)
            continue;
        if (e->m.drugs.items[d].kind == MT_DRUG_INGREDIENT && e->m.drugs.items[d].rxcui &&
            !e->m.drugs.items[d].drugbank_id)
            n++;
    }
    return n;
}

static int brand_from(const vt_env *e, mdl_ref d, const char *brand, const char *source)
{
    const mdl_name *n = vt_name(e, d, MT_NAME_BRAND, brand);
    return n && strcmp(e->m.sources.items[n->cite.source].id, source) == 0;
}

TEST(vocab_full_chain_probes)
{
    vt_env e;
    size_t i;
    mdl_ref ket, esk, ser, alp, ator, psi, met, oxy, lis, ami, found;

    for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++)
        if (!vt_bundled(chain[i].folder))
            return;
    vt_init(&e);
    /* As the pipeline does: every source registered before any import. */
    for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++)
        REQUIRE(vt_register(&e, chain[i].id, vt_bundled(chain[i].folder)) == MT_OK);
    for (i = 0; i < sizeof(chain) / sizeof(chain[0]); i++) {
        unsigned long skipped;
        int rc = vt_run(&e, chain[i].fn, chain[i].id, vt_bundled(chain[i].folder));
        const mdl_source *s = vt_source(&e, chain[i].id);
        if (rc != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "%s: %s", chain[i].id, mt_buf_str(&e.err));
            vt_free(&e);
            return;
        }
        skipped = e.last.skipped;
        fprintf(stderr, "    %-17s rows %6u matched %6u unmatched %6u created %6u facts %7u skipped %lu\n",
                chain[i].id, s->rows, s->matched, s->unmatched, s->created, s->facts, skipped);
    }

    ket = vt_drug_rxcui(&e, 6130);
    REQUIRE(ket != MDL_NONE);
    CHECK(vt_name(&e, ket, MT_NAME_BRAND, "Ketalar") != NULL);
    CHECK(has_schedule(&e, ket, "CIII"));
    CHECK_STR(e.m.drugs.items[ket].drugbank_id, "DB01221");
    CHECK_EQ_INT(e.m.drugs.items[ket].drugcentral_id, 1523);

    esk = vt_drug_rxcui(&e, 2119365);
    REQUIRE(esk != MDL_NONE);
    CHECK(vt_name(&e, esk, MT_NAME_BRAND, "Spravato") != NULL);
    CHECK(has_schedule(&e, esk, "CIII"));

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    CHECK(mdl_drug_find_name(&e.m, "Zoloft", &found) == MT_OK && found == ser);
    CHECK(vt_class(&e, ser, "Serotonin Reuptake Inhibitor [EPC]") != NULL);
    CHECK(vt_indication(&e, ser, MT_IND_LISTED, "Depression") != NULL);
    CHECK(vt_indication(&e, ser, MT_IND_ON_LABEL, "Panic Disorder") != NULL);
    CHECK(vt_indication(&e, ser, MT_IND_SYMPTOMATIC, "panic disorder") != NULL);

    /* In the missing A.json: RxTerms gives the ingredient, Drugs@FDA the brand. */
    alp = vt_drug_rxcui(&e, 596);
    ator = vt_drug_rxcui(&e, 83367);
    REQUIRE(alp != MDL_NONE && ator != MDL_NONE);
    CHECK(e.m.drugs.items[alp].flags & MT_DRUGF_RXNORM_RXTERMS);
    CHECK(e.m.drugs.items[ator].flags & MT_DRUGF_RXNORM_RXTERMS);
    CHECK(brand_from(&e, alp, "Xanax", "openfda"));
    CHECK(brand_from(&e, ator, "Lipitor", "openfda"));
    CHECK(mdl_drug_find_name(&e.m, "XANAX", &found) == MT_OK && found == alp);
    CHECK(mdl_drug_find_name(&e.m, "lipitor", &found) == MT_OK && found == ator);
    CHECK(has_schedule(&e, alp, "CIV"));
    CHECK(!has_schedule(&e, ator, "CII"));            /* a labeler error in the DEA table */

    /* RxTerms ingredients whose DrugBank entry has another name: aspirin and
    ** "Acetylsalicylic acid" (DrugCentral DRUG_ID 74 pairs them), albuterol
    ** and "Salbutamol"; acetaminophen joins by its own name. One drug each. */
    {
        mdl_ref asa = vt_drug_rxcui(&e, 1191), alb = vt_drug_rxcui(&e, 435);
        mdl_ref apap = vt_drug_rxcui(&e, 161);
        mdl_keys k;
        unsigned split = split_ingredients(&e), rxterms_alone = 0;
        REQUIRE(asa != MDL_NONE && alb != MDL_NONE && apap != MDL_NONE);
        CHECK_STR(e.m.drugs.items[asa].drugbank_id, "DB00945");
        CHECK_STR(e.m.drugs.items[alb].drugbank_id, "DB01001");
        CHECK_STR(e.m.drugs.items[apap].drugbank_id, "DB00316");
        memset(&k, 0, sizeof(k));
        k.drugbank_id = "DB00945";
        CHECK(mdl_drug_find(&e.m, &k, &found) == MT_OK && found == asa);
        CHECK(mdl_drug_find_name(&e.m, "Acetylsalicylic acid", &found) == MT_OK && found == asa);
        CHECK(vt_name(&e, alb, MT_NAME_SYNONYM, "Salbutamol") != NULL);
        for (i = 0; i < e.m.drugs.count; i++)
            if ((e.m.drugs.items[i].flags & MT_DRUGF_RXNORM_RXTERMS) && !e.m.drugs.items[i].drugbank_id)
                rxterms_alone++;
        /* Measured: 12 and 20; 69 and 42 before DrugBank joined through
        ** DrugCentral and synonyms. The 12 left are refused on purpose (another
        ** UNII: thioguanine and "Tioguanine"; phylloquinone names vitamin K and
        ** K1); the 20 have no DrugBank entry that names them. */
        fprintf(stderr, "    split RxNorm ingredient / DrugBank substance pairs: %u; RxTerms "
                "ingredients without a DrugBank ID: %u\n", split, rxterms_alone);
        CHECK(split <= 12);
        CHECK(rxterms_alone <= 20);
    }

    psi = vt_drug_named(&e, "psilocybin");
    REQUIRE(psi != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[psi].kind, MT_DRUG_SUBSTANCE);
    CHECK_EQ_INT(e.m.drugs.items[psi].rxcui, 0);
    CHECK_STR(e.m.drugs.items[psi].drugbank_id, "DB11664");

    met = vt_drug_rxcui(&e, 6809);
    REQUIRE(met != MDL_NONE);
    CHECK(vt_indication(&e, met, MT_IND_DISEASE_MODIFYING, "type 2 diabetes mellitus") != NULL);
    CHECK(vt_indication(&e, met, MT_IND_ON_LABEL, "Diabetes Mellitus, Type 2") != NULL);

    oxy = vt_drug_named(&e, "oxycodone");
    lis = vt_drug_named(&e, "lisinopril");
    REQUIRE(oxy != MDL_NONE && lis != MDL_NONE);
    CHECK(vt_indication(&e, oxy, 0, "Heartburn") == NULL);
    CHECK(vt_indication(&e, lis, 0, "Superficial Ocular Infection") == NULL);
    CHECK(vt_indication(&e, lis, MT_IND_LISTED, "Hypertension") != NULL);
    CHECK(has_schedule(&e, oxy, "CII"));

    ami = vt_drug_named(&e, "amitriptyline");
    REQUIRE(ami != MDL_NONE);
    CHECK_EQ_INT(acb_score(&e, ami, "MajVote"), 3);
    CHECK_EQ_INT(acb_score(&e, ser, "MajVote"), 1);
    /* "clindamycin-TOPICAL" and "clindamycin-NOT (TOPICAL)": the route stays in the scale. */
    {
        mdl_ref cli = vt_drug_named(&e, "clindamycin");
        REQUIRE(cli != MDL_NONE);
        CHECK_EQ_INT(acb_score(&e, cli, "Carnahan2006, TOPICAL"), 0);
        CHECK_EQ_INT(acb_score(&e, cli, "Carnahan2006, NOT (TOPICAL)"), 1);
        CHECK_EQ_INT(acb_score(&e, cli, "ACBcalc"), 1);
    }
    fprintf(stderr, "    model: %u drugs, %u names, %u identifiers, %u products, %u NDCs, %u classes, "
            "%u class links, %u indications, %u approvals, %u schedules, %u ACB scores\n",
            e.m.drugs.count, e.m.names.count, e.m.idents.count, e.m.products.count, e.m.ndcs.count,
            e.m.classes.count, e.m.drug_classes.count, e.m.indications.count, e.m.approvals.count,
            e.m.schedules.count, e.m.acbs.count);
    vt_free(&e);
}
