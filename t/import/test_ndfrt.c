/*
** test_ndfrt.c — the VA NDF-RT interactions (lib/import/ndfrt.c) on a real
** excerpt (t/fixtures/ndfrt-va-ddi-subset: the 13 rows among 18 drugs).
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "ixvocab.h"

#define FIX "t/fixtures/ndfrt-va-ddi-subset"

TEST(ndfrt_critical_major_significant_moderate)
{
    ixv_run r;
    const mdl_ixrule *x;
    mdl_ref rule;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "ndfrt", FIX) == MT_OK);
    REQUIRE(mt_import_ndfrt(&r.ctx) == MT_OK);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 13);
    CHECK_EQ_INT(ixv_pairs(&r.m, r.ctx.src), 13);
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].matched, 13);

    /* clarithromycin (found by DrugBank ID alone) + simvastatin: Critical */
    rule = ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "simvastatin"), ixv_drug(&r.m, "clarithromycin"), NULL);
    REQUIRE(rule != MDL_NONE);
    x = &r.m.ixrules.items[rule];
    CHECK_STR(x->level, "Critical");
    CHECK_EQ_INT(x->severity, MT_SEV_MAJOR);
    CHECK_EQ_INT(x->kind, MT_IX_CLINICAL);
    CHECK_STR(x->cite.record, "NUI N0000034301: CLARITHROMYCIN/SIMVASTATIN [VA Drug Interaction]");

    /* amiodarone + simvastatin: Significant */
    rule = ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "amiodarone"), ixv_drug(&r.m, "simvastatin"), NULL);
    REQUIRE(rule != MDL_NONE);
    CHECK_STR(r.m.ixrules.items[rule].level, "Significant");
    CHECK_EQ_INT(r.m.ixrules.items[rule].severity, MT_SEV_MODERATE);

    /* sertraline + phenelzine (serotonin syndrome): Critical */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sertraline"), ixv_drug(&r.m, "phenelzine"), "Critical") != MDL_NONE);
    ixv_free(&r);
}

TEST(ndfrt_unknown_severity_is_an_error)
{
    ixv_run r;
    const char *dir = ixv_tmpdir();

    REQUIRE(dir != NULL);
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_write(dir, "ndfrt_ddi_subset.tsv",
                      "drug1_drugbank\tdrug1_name\tdrug2_drugbank\tdrug2_name\tndfrt_label\tseverity\tndfrt_uri\n"
                      "DB01029\tIrbesartan\tDB00594\tAmiloride\tAMILORIDE/IRBESARTAN [VA Drug Interaction]\tSevere\t"
                      "http://purl.bioontology.org/ontology/NDFRT/N0000176572\n") == MT_OK);
    REQUIRE(ixv_source(&r, "ndfrt", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_ndfrt(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "ndfrt_ddi_subset.tsv:2: unknown severity \"Severe\"");
    ixv_free(&r);
}

/* The full bundled subset: 1,876 rows, Significant 1,188 / Critical 688 (PROVENANCE.txt). */
TEST(ndfrt_full_subset)
{
    ixv_run r;
    char dir[1024];
    uint32_t i, critical = 0;

    snprintf(dir, sizeof(dir), "%s/ndfrt-va-ddi-subset", mt_test_sources());
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "ndfrt", dir) == MT_OK);
    REQUIRE(mt_import_ndfrt(&r.ctx) == MT_OK);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 1876);
    for (i = 0; i < r.m.ixrules.count; i++)
        critical += r.m.ixrules.items[i].cite.source == r.ctx.src && r.m.ixrules.items[i].severity == MT_SEV_MAJOR;
    CHECK_EQ_INT(critical, 688);
    ixv_free(&r);
}
