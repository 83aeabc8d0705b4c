/*
** test_ansm.c — the ANSM thesaurus importer (lib/import/ansm.c) on a real
** excerpt of the 2020-10-20 edition (t/fixtures/ansm-thesaurus-fr: 24
** entries = 14 interactions, among them one-sided "X + other X" entries and
** a route-based one; the index entries of 16 substances; their RxNorm
** mappings), and on the full bundled thesaurus.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/ansm.h"
#include "import/nondrugs.h"
#include "ixvocab.h"

#define FIX "t/fixtures/ansm-thesaurus-fr"

static const mdl_ixrule *rule_of(const ixv_run *r, mdl_ref rule)
{
    return rule == MDL_NONE ? NULL : &r->m.ixrules.items[rule];
}

TEST(ansm_fixture_real_facts)
{
    ixv_run r;
    mdl_ref sertraline, mblue, simva, clari, warfarin, ibu, keto, tramadol, aspirin, alpra, sjw, alcohol, dipy, caffeine, rule, d;
    const mdl_ixrule *x;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", FIX) == MT_OK);
    REQUIRE(mt_import_ansm(&r.ctx) == MT_OK);

    /* 24 entries: 11 mirrored pairs, 2 one-sided "X + other X" entries:
    ** one rule per unordered pair. */
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 14);
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 24);

    sertraline = ixv_drug(&r.m, "sertraline");
    mblue = ixv_drug(&r.m, "methylene blue");
    simva = ixv_drug(&r.m, "simvastatin");
    clari = ixv_drug(&r.m, "clarithromycin");
    warfarin = ixv_drug(&r.m, "warfarin");
    ibu = ixv_drug(&r.m, "ibuprofen");
    keto = ixv_drug(&r.m, "ketoprofen");
    tramadol = ixv_drug(&r.m, "tramadol");
    aspirin = ixv_drug(&r.m, "aspirin");
    alpra = ixv_drug(&r.m, "alprazolam");
    dipy = ixv_drug(&r.m, "dipyridamole");
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_STJOHNSWORT, &sjw) == MT_OK);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_ALCOHOL, &alcohol) == MT_OK);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_CAFFEINE, &caffeine) == MT_OK);

    /* SSRI + methylene blue (class "IMAO-A réversibles ... bleu de méthylène",
    ** joined by its French name): serotonin syndrome, at least major. */
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, sertraline, mblue, NULL));
    REQUIRE(x != NULL);
    CHECK(x->severity >= MT_SEV_MAJOR);
    CHECK_STR(x->level, "Association DECONSEILLEE");
    CHECK_CONTAINS(x->effect, "syndrome sérotoninergique");
    CHECK_STR(x->lang, "fr");
    CHECK_STR(x->dur, "DD");
    CHECK_EQ_INT(x->kind, MT_IX_CLINICAL);

    /* simvastatin + clarithromycin (a strong CYP3A4 inhibitor): contraindicated;
    ** clarithromycin has no RxCUI in this vocabulary: joined by spelling. */
    rule = ixv_rule(&r.m, r.ctx.src, simva, clari, "CONTRE-INDICATION");
    x = rule_of(&r, rule);
    REQUIRE(x != NULL);
    CHECK_EQ_INT(x->severity, MT_SEV_CONTRAINDICATED);
    /* the first of the two mirrored entries names the rule */
    CHECK_STR(x->a_label, "INHIBITEURS PUISSANTS DU CYP3A4");
    CHECK_STR(x->b_label, "SIMVASTATINE");
    CHECK_CONTAINS(x->cite.record, "thesaurus 2020-10-20: INHIBITEURS PUISSANTS DU CYP3A4 + SIMVASTATINE");
    /* ... and the class-level rule (CYP3A4 substrates at risk) as well */
    CHECK(ixv_rule(&r.m, r.ctx.src, simva, clari, "A prendre en compte") != MDL_NONE);

    /* warfarin + ibuprofen: oral anticoagulants + NSAIDs */
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, warfarin, ibu, NULL));
    REQUIRE(x != NULL);
    CHECK_EQ_INT(x->severity, MT_SEV_MAJOR);
    CHECK(x->management != NULL);

    /* tramadol + sertraline */
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, tramadol, sertraline, NULL));
    REQUIRE(x != NULL);
    CHECK_EQ_INT(x->severity, MT_SEV_MINOR);

    /* aspirin + warfarin: three levels by dose; the most severe wins and the
    ** management keeps each level's conditions */
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, aspirin, warfarin, NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->level, "CONTRE-INDICATION / Association DECONSEILLEE / A prendre en compte");
    CHECK_EQ_INT(x->severity, MT_SEV_CONTRAINDICATED);
    CHECK_CONTAINS(x->management, "A prendre en compte : avec :");
    CHECK_CONTAINS(x->management, "doses antiagrégantes");

    /* NSAIDs + other NSAIDs: two distinct NSAIDs */
    CHECK(ixv_rule(&r.m, r.ctx.src, ibu, keto, NULL) != MDL_NONE);

    /* alcohol + sedatives (drug-food), St John's wort + AVK, tea + dipyridamole */
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, alcohol, alpra, NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->dur, "DF");
    CHECK_EQ_INT(x->severity, MT_SEV_MAJOR);
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, sjw, warfarin, NULL));
    REQUIRE(x != NULL);
    CHECK_EQ_INT(x->severity, MT_SEV_CONTRAINDICATED);
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, dipy, caffeine, NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->dur, "DF");

    /* "Il convient de prendre en compte": the effect is the whole sentence */
    x = rule_of(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "donepezil"), ixv_drug(&r.m, "atropine"), NULL));
    REQUIRE(x != NULL);
    CHECK_EQ_INT(x->severity, MT_SEV_MINOR);
    CHECK(x->effect && strncmp(x->effect, "Il convient de prendre en compte le risque", 42) == 0);

    /* classes are visible with their members; French names are searchable */
    CHECK(ixv_in_class(&r.m, alpra, "ANSM", "médicaments sédatifs"));
    CHECK(ixv_in_class(&r.m, sertraline, "ANSM", "médicaments à l'origine d'un syndrome sérotoninergique"));
    CHECK(ixv_in_class(&r.m, mblue, "ANSM", "IMAO-A réversibles, y compris oxazolidinones et bleu de méthylène"));
    CHECK(!ixv_in_class(&r.m, warfarin, "ANSM", "médicaments sédatifs"));
    CHECK(mdl_drug_find_name(&r.m, "simvastatine", &d) == MT_OK && d == simva);
    CHECK(mdl_drug_find_name(&r.m, "WARFARINE", &d) == MT_OK && d == warfarin);

    /* the route-based protagonist cannot be expanded and is reported */
    CHECK_CONTAINS(mt_buf_str(&r.warn), "MÉDICAMENTS ADMINISTRÉS PAR VOIE ORALE");
    CHECK_CONTAINS(mt_buf_str(&r.warn), "ansm: 14 rules");

    /* no drug is paired with itself, every pair cites an ANSM rule */
    {
        uint32_t i;
        for (i = 0; i < r.m.ixpairs.count; i++)
            CHECK(r.m.ixpairs.items[i].a != r.m.ixpairs.items[i].b);
    }
    ixv_free(&r);
}

TEST(ansm_side_resolver_after_import)
{
    ixv_run r;
    mt_ansm_resolver res;
    mt_refset s;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", FIX) == MT_OK);
    REQUIRE(mt_import_ansm(&r.ctx) == MT_OK);
    REQUIRE(mt_ansm_resolver_init(&res, &r.m, r.ctx.src) == MT_OK);
    mt_refset_init(&s);
    REQUIRE(mt_ansm_side(&res, "ANTI-INFLAMMATOIRES NON STÉROÏDIENS", &s) == MT_OK);
    CHECK(mt_refset_has(&s, ixv_drug(&r.m, "ibuprofen")));
    CHECK(mt_refset_has(&s, ixv_drug(&r.m, "ketoprofen")));
    CHECK(!mt_refset_has(&s, ixv_drug(&r.m, "warfarin")));
    mt_refset_clear(&s);
    REQUIRE(mt_ansm_side(&res, "CLARITHROMYCINE", &s) == MT_OK);
    CHECK_EQ_INT(s.count, 1);
    CHECK(mt_refset_has(&s, ixv_drug(&r.m, "clarithromycin")));
    mt_refset_clear(&s);
    REQUIRE(mt_ansm_side(&res, "PAMPLEMOUSSE (JUS ET FRUIT)", &s) == MT_OK);
    CHECK_EQ_INT(s.count, 1);
    CHECK(mt_ansm_label_is_food("PAMPLEMOUSSE (JUS ET FRUIT)"));
    CHECK(!mt_ansm_label_is_food("SIMVASTATINE"));
    /* "ACIDE ACETYLSALICYLIQUE" is the drug ANSM joined by RxCUI 1191, not
    ** the DrugBank substance that also has that French name */
    mt_refset_clear(&s);
    REQUIRE(mt_ansm_side(&res, "ACIDE ACETYLSALICYLIQUE", &s) == MT_OK);
    CHECK_EQ_INT(s.count, 1);
    CHECK(mt_refset_has(&s, ixv_drug(&r.m, "aspirin")));
    mt_refset_free(&s);
    mt_ansm_resolver_free(&res);
    ixv_free(&r);
}

TEST(ansm_malformed_input_is_an_error_with_file_and_line)
{
    ixv_run r;
    const char *dir = ixv_tmpdir();

    REQUIRE(dir != NULL);
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_write(dir, "mappings/rxnorm_mappings.tsv",
                      "substance\tRxNorm\nsertraline\t36437\nsimvastatine\t36567\textra\n") == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_ansm(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "rxnorm_mappings.tsv:3:");

    REQUIRE(ixv_write(dir, "mappings/rxnorm_mappings.tsv", "substance\tRxNorm\nsertraline\t36437\n") == MT_OK);
    REQUIRE(ixv_write(dir, "thesauri/2020_01/index-des-substances-20102020.json",
                      "[\n  {\"substance\": \"sertraline\",\n   \"drug_classes\": [\"x\",]\n  }\n]\n") == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_ansm(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "index-des-substances-20102020.json:3:");

    REQUIRE(ixv_write(dir, "thesauri/2020_01/index-des-substances-20102020.json", "[]") == MT_OK);
    REQUIRE(ixv_write(dir, "thesauri/2020_01/thesaurus-referentiel-national-des-interactions-medicamenteuses-20102020.json",
                      "[{\"main_drug\": \"A\", \"plus_drug\": \"B\", \"severity_levels\": "
                      "[{\"level\": \"Très grave\", \"info\": \"\"}]}]") == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_ansm(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "unknown level");
    ixv_free(&r);
}

/* The full bundled thesaurus: rules do not depend on the vocabulary. */
TEST(ansm_full_thesaurus_rule_count)
{
    ixv_run r;
    char dir[1024];

    snprintf(dir, sizeof(dir), "%s/ansm-thesaurus-fr", mt_test_sources());
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", dir) == MT_OK);
    REQUIRE(mt_import_ansm(&r.ctx) == MT_OK);
    /* 3,139 directional entries = 1,585 unordered pairs (PROVENANCE.txt) */
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 3139);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 1585);
    /* 195 class labels in the index (PROVENANCE.txt) */
    {
        uint32_t i, n = 0;
        for (i = 0; i < r.m.classes.count; i++)
            n += strcmp(r.m.classes.items[i].type, "ANSM") == 0;
        CHECK(n >= 180 && n <= 195);
    }
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sertraline"), ixv_drug(&r.m, "methylene blue"),
                   "Association DECONSEILLEE") != MDL_NONE);
    ixv_free(&r);
}
