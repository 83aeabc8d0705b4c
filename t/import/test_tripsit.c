/*
** test_tripsit.c — the TripSit combination chart (lib/import/tripsit.c) on a
** real excerpt (t/fixtures/tripsit-combos: the 12 entries alcohol,
** amphetamines, benzodiazepines, caffeine, ketamine, lithium, maois,
** mushrooms, mxe, opioids, ssris, tramadol and their 61 pairs; the full
** combo_definitions.json).
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/nondrugs.h"
#include "ixvocab.h"

#define FIX "t/fixtures/tripsit-combos"

TEST(tripsit_harm_reduction_rules_and_classes)
{
    ixv_run r;
    mdl_ref alcohol, ket, alpra, rule, mxe;
    const mdl_ixrule *x;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "tripsit", FIX) == MT_OK);
    REQUIRE(mt_import_tripsit(&r.ctx) == MT_OK);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 61);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_ALCOHOL, &alcohol) == MT_OK);
    ket = ixv_drug(&r.m, "ketamine");
    alpra = ixv_drug(&r.m, "alprazolam");

    /* ketamine + alcohol: Dangerous, harm reduction, never clinical */
    rule = ixv_rule(&r.m, r.ctx.src, ket, alcohol, NULL);
    REQUIRE(rule != MDL_NONE);
    x = &r.m.ixrules.items[rule];
    CHECK_STR(x->level, "Dangerous");
    CHECK_EQ_INT(x->severity, MT_SEV_MAJOR);
    CHECK_EQ_INT(x->kind, MT_IX_HARM_REDUCTION);
    CHECK_CONTAINS(x->effect, "vomit aspiration");
    CHECK_STR(x->lang, "en");
    CHECK(x->dur == NULL);
    /* esketamine is charted with ketamine */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "esketamine"), alcohol, "Dangerous") != MDL_NONE);
    CHECK(ixv_in_class(&r.m, ixv_drug(&r.m, "esketamine"), "TripSit", "ketamine"));

    /* ketamine + alprazolam through the benzodiazepines (EPC Benzodiazepine) */
    rule = ixv_rule(&r.m, r.ctx.src, ket, alpra, NULL);
    REQUIRE(rule != MDL_NONE);
    x = &r.m.ixrules.items[rule];
    CHECK_STR(x->level, "Caution");
    CHECK_EQ_INT(x->severity, MT_SEV_MODERATE);
    CHECK_STR(x->b_label, "ketamine");
    CHECK_STR(x->a_label, "benzodiazepines");
    CHECK(ixv_in_class(&r.m, alpra, "TripSit", "benzodiazepines"));
    CHECK(ixv_in_class(&r.m, ixv_drug(&r.m, "diazepam"), "TripSit", "benzodiazepines"));
    CHECK(!ixv_in_class(&r.m, ket, "TripSit", "benzodiazepines"));

    /* tramadol has its own entry: tramadol + SSRIs is Dangerous, and tramadol
    ** is not expanded as an opioid (opioids + SSRIs is Low Risk) */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "tramadol"), ixv_drug(&r.m, "sertraline"), "Dangerous") != MDL_NONE);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "tramadol"), ixv_drug(&r.m, "sertraline"),
                   "Low Risk & No Synergy") == MDL_NONE);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "morphine"), ixv_drug(&r.m, "sertraline"),
                   "Low Risk & No Synergy") != MDL_NONE);
    CHECK(!ixv_in_class(&r.m, ixv_drug(&r.m, "tramadol"), "TripSit", "opioids"));

    /* SSRIs + MAOIs; mushrooms (psilocybin) + lithium with its literature */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sertraline"), ixv_drug(&r.m, "phenelzine"), "Dangerous") != MDL_NONE);
    rule = ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "psilocybin"), ixv_drug(&r.m, "lithium carbonate"), NULL);
    REQUIRE(rule != MDL_NONE);
    x = &r.m.ixrules.items[rule];
    CHECK_STR(x->level, "Dangerous");
    CHECK_CONTAINS(x->effect, "seizure");
    CHECK_CONTAINS(x->text_cite.record, "https://doi.org/10.1055/a-1524-2794");
    /* mushrooms + SSRIs: Low Risk & Decrease -> minor */
    rule = ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "psilocybin"), ixv_drug(&r.m, "fluoxetine"), NULL);
    REQUIRE(rule != MDL_NONE);
    CHECK_STR(r.m.ixrules.items[rule].level, "Low Risk & Decrease");
    CHECK_EQ_INT(r.m.ixrules.items[rule].severity, MT_SEV_MINOR);

    /* MXE is not in the vocabulary: a harm-reduction substance */
    mxe = ixv_drug(&r.m, "mxe");
    REQUIRE(mxe != MDL_NONE);
    CHECK_EQ_INT(r.m.drugs.items[mxe].kind, MT_DRUG_SUBSTANCE);
    CHECK(r.m.drugs.items[mxe].flags & MT_DRUGF_HARM_REDUCTION);
    CHECK(ixv_drug(&r.m, "methoxetamine") == mxe);
    CHECK(ixv_rule(&r.m, r.ctx.src, ket, mxe, "Low Risk & Synergy") != MDL_NONE);
    /* no amphetamine in this vocabulary: reported, nothing invented */
    CHECK_CONTAINS(mt_buf_str(&r.warn), "no drug of the model is in \"amphetamines\"");
    CHECK(ixv_drug(&r.m, "amphetamines") == MDL_NONE);
    ixv_free(&r);
}

TEST(tripsit_undefined_status_is_an_error)
{
    ixv_run r;
    const char *dir = ixv_tmpdir();

    REQUIRE(dir != NULL);
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_write(dir, "combo_definitions.json", "[{\"status\": \"Dangerous\"}, {\"status\": \"Caution\"}]") == MT_OK);
    REQUIRE(ixv_write(dir, "combos.json",
                      "{\"ketamine\": {\"alcohol\": {\"status\": \"Dangerous\"}},\n"
                      " \"alcohol\": {\"ketamine\": {\"status\": \"Deadly\"}}}") == MT_OK);
    REQUIRE(ixv_source(&r, "tripsit", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_tripsit(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "\"Deadly\" is not defined");

    REQUIRE(ixv_write(dir, "combos.json", "{\"ketamine\": {\"alcohol\": {\"status\": \"Dangerous\"},\n}") == MT_OK);
    REQUIRE(ixv_source(&r, "tripsit", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_tripsit(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "combos.json:2:");

    REQUIRE(ixv_write(dir, "combo_definitions.json", "[{\"status\": \"Dangerous\"}, {\"status\": \"Mild\"}]") == MT_OK);
    REQUIRE(ixv_source(&r, "tripsit", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_tripsit(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "\"Mild\" has no documented severity mapping");
    ixv_free(&r);
}

/* The full bundled chart: 421 unordered pairs (PROVENANCE.txt). */
TEST(tripsit_full_chart)
{
    ixv_run r;
    char dir[1024];

    snprintf(dir, sizeof(dir), "%s/tripsit-combos", mt_test_sources());
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "tripsit", dir) == MT_OK);
    REQUIRE(mt_import_tripsit(&r.ctx) == MT_OK);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 421);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "ketamine"), ixv_drug(&r.m, "alprazolam"), "Caution") != MDL_NONE);
    ixv_free(&r);
}
