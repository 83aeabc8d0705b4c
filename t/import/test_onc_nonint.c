/*
** test_onc_nonint.c — the ONC non-interruptive list (lib/import/onc_nonint.c)
** on real excerpts (t/fixtures/onc-non-interruptive-2013: 15 mapped rows of
** items 1, 3, 18, 20, 25, 28, 33 and the workbook rows of items 1, 3, 18, 25,
** 27, 28, 33).
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "ixvocab.h"

#define FIX "t/fixtures/onc-non-interruptive-2013"

static const mdl_ixrule *rule_at(const ixv_run *r, mdl_ref rule)
{
    return rule == MDL_NONE ? NULL : &r->m.ixrules.items[rule];
}

TEST(onc_nonint_items_are_noninterruptive_rules)
{
    ixv_run r;
    const mdl_ixrule *x;
    mdl_ref lisinopril;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "onc-nonint", FIX) == MT_OK);
    REQUIRE(mt_import_onc_nonint(&r.ctx) == MT_OK);
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 15);
    /* items 1, 3, 18, 25, 27, 28, 33 (workbook) and 20 (mapped file only) */
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 8);

    /* warfarin + acetaminophen: shown, not interrupting, severity not graded */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "warfarin"), ixv_drug(&r.m, "acetaminophen"), NULL));
    REQUIRE(x != NULL);
    CHECK_EQ_INT(x->kind, MT_IX_ALERT_POLICY);
    CHECK_EQ_INT(x->tier, MT_TIER_NONINTERRUPTIVE);
    CHECK_EQ_INT(x->severity, MT_SEV_UNKNOWN);
    CHECK_STR(x->level, "Non-interruptive (show, do not interrupt)");
    CHECK_STR(x->cite.record, "item 18: Anticoagulants + Acetaminophen");

    /* ACE inhibitors + NSAIDs (item 33): mapped pairs, and drugs the mapped
    ** file lacks, joined by name from the workbook (ketoprofen, aspirin) */
    lisinopril = ixv_drug(&r.m, "lisinopril");
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, lisinopril, ixv_drug(&r.m, "ibuprofen"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->a_label, "ACE inhibitors");
    CHECK_STR(x->b_label, "NSAID");
    CHECK(ixv_rule(&r.m, r.ctx.src, lisinopril, ixv_drug(&r.m, "ketoprofen"), NULL) != MDL_NONE);
    CHECK(ixv_rule(&r.m, r.ctx.src, lisinopril, ixv_drug(&r.m, "aspirin"), NULL) != MDL_NONE);

    /* beta-blockers + SSRIs (item 3), NSAIDs + beta-blockers (item 28) */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "acebutolol"), ixv_drug(&r.m, "sertraline"), NULL));
    REQUIRE(x != NULL);
    CHECK_CONTAINS(x->a_label, "Adrenergic blockers");
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "naproxen"), ixv_drug(&r.m, "acebutolol"), NULL) != MDL_NONE);
    /* omeprazole + benzodiazepines (item 25) */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "omeprazole"), ixv_drug(&r.m, "diazepam"), NULL) != MDL_NONE);
    /* no drug paired across items: warfarin + ibuprofen is not on this list */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "warfarin"), ixv_drug(&r.m, "ibuprofen"), NULL) == MDL_NONE);
    ixv_free(&r);
}

TEST(onc_nonint_malformed_row)
{
    ixv_run r;
    const char *dir = ixv_tmpdir();

    REQUIRE(dir != NULL);
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_write(dir, "ONC_Non_Interuptive_List_Mapped_Formatted.csv",
                      "18,Anticoagulants ,Warfarin,DB00682,u,u,Acetaminophen,Acetaminophen,DB00316,u,u\r\n"
                      "18,Anticoagulants ,Warfarin,DB00682,u,u,Acetaminophen\r\n") == MT_OK);
    REQUIRE(ixv_source(&r, "onc-nonint", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_onc_nonint(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "ONC_Non_Interuptive_List_Mapped_Formatted.csv:2: expected 11");
    ixv_free(&r);
}

/* The full bundled list: 33 items, 1,961 mapped rows (PROVENANCE.txt). */
TEST(onc_nonint_full_list)
{
    ixv_run r;
    char dir[1024];

    snprintf(dir, sizeof(dir), "%s/onc-non-interruptive-2013", mt_test_sources());
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "onc-nonint", dir) == MT_OK);
    REQUIRE(mt_import_onc_nonint(&r.ctx) == MT_OK);
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 1961);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 33);
    ixv_free(&r);
}
