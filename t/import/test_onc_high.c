/*
** test_onc_high.c — the ONC high-priority list (lib/import/onc_high.c) on
** real excerpts (t/fixtures/onc-high-priority-2012: 58 rows of the mapped
** file among 17 drugs, items 3, 4, 8, 16, 21 and 25 of Revised Table 2).
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "ixvocab.h"

#define FIX "t/fixtures/onc-high-priority-2012"

static const mdl_ixrule *rule_at(const ixv_run *r, mdl_ref rule)
{
    return rule == MDL_NONE ? NULL : &r->m.ixrules.items[rule];
}

TEST(onc_high_rules_per_item_of_the_paper)
{
    ixv_run r;
    const mdl_ixrule *x;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "onc-high", FIX) == MT_OK);
    REQUIRE(mt_import_onc_high(&r.ctx) == MT_OK);
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 58);

    /* SSRI + MAOI: item 8 */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sertraline"), ixv_drug(&r.m, "phenelzine"), NULL));
    REQUIRE(x != NULL);
    CHECK_EQ_INT(x->kind, MT_IX_ALERT_POLICY);
    CHECK_EQ_INT(x->tier, MT_TIER_INTERRUPTIVE);
    CHECK_EQ_INT(x->severity, MT_SEV_MAJOR);
    CHECK_STR(x->level, "High priority (always interrupt)");
    CHECK_STR(x->a_label, "SSRIs");
    CHECK_STR(x->b_label, "MAOI");
    CHECK_CONTAINS(x->cite.record, "Revised Table 2 item 8");
    /* escitalopram + tranylcypromine is the same rule */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "escitalopram"), ixv_drug(&r.m, "tranylcypromine"), NULL) ==
          ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sertraline"), ixv_drug(&r.m, "phenelzine"), NULL));

    /* simvastatin + clarithromycin: item 25 (statins + CYP3A4 inhibitors) */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "simvastatin"), ixv_drug(&r.m, "clarithromycin"), NULL));
    REQUIRE(x != NULL);
    CHECK_CONTAINS(x->cite.record, "item 25");
    CHECK_STR(x->a_label, "HMG Co-A reductase inhibitors");

    /* tramadol + phenelzine (narcotic analgesics + MAOIs), atazanavir + omeprazole */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "tramadol"), ixv_drug(&r.m, "phenelzine"), NULL));
    REQUIRE(x != NULL);
    CHECK_CONTAINS(x->cite.record, "item 16");
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "atazanavir"), ixv_drug(&r.m, "omeprazole"), NULL));
    REQUIRE(x != NULL);
    CHECK_CONTAINS(x->cite.record, "item 4");
    CHECK_STR(x->a_label, "Atazanavir");

    /* the QT item lists no drugs: the all-pairs group of the left-over rows */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sparfloxacin"), ixv_drug(&r.m, "erythromycin"), NULL));
    REQUIRE(x != NULL);
    CHECK_CONTAINS(x->cite.record, "item 21");
    CHECK_STR(x->a_label, "QT prolonging agents");
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "pimozide"), ixv_drug(&r.m, "methadone"), NULL) != MDL_NONE);

    /* atazanavir + rifampicin fits no item of the excerpt: a rule of its own */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "atazanavir"), ixv_drug(&r.m, "rifampin"), NULL));
    REQUIRE(x != NULL);
    CHECK_CONTAINS(x->cite.record, "ONC_High_Priority_Mapped.csv line");
    CHECK_EQ_INT(x->tier, MT_TIER_INTERRUPTIVE);

    /* amphetamine derivatives + MAOIs: item 3 */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "diethylpropion"), ixv_drug(&r.m, "tranylcypromine"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->a_label, "Amphetamine derivatives");

    /* simvastatin + verapamil: named by item 25 of the table, not in the excerpt of the mapped file */
    x = rule_at(&r, ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "simvastatin"), ixv_drug(&r.m, "verapamil"), NULL));
    REQUIRE(x != NULL);
    CHECK_CONTAINS(x->cite.record, "item 25");

    /* items 3, 4, 8, 16, 21, 25 + 1 row rule */
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 7);
    ixv_free(&r);
}

TEST(onc_high_without_the_table_and_malformed)
{
    ixv_run r;
    const char *dir = ixv_tmpdir();

    REQUIRE(dir != NULL);
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_write(dir, "ONC_High_Priority_Mapped.csv",
                      "\xEF\xBB\xBFSparfloxacin$DB01208$Erythromycin$DB00199$\r\n"
                      "Erythromycin$DB00199$Sparfloxacin$DB01208$\r\n") == MT_OK);
    REQUIRE(ixv_source(&r, "onc-high", dir) == MT_OK);
    REQUIRE(mt_import_onc_high(&r.ctx) == MT_OK);
    /* both orders of one pair: one rule */
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 1);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sparfloxacin"), ixv_drug(&r.m, "erythromycin"), NULL) != MDL_NONE);

    REQUIRE(ixv_write(dir, "ONC_High_Priority_Mapped.csv",
                      "Sparfloxacin$DB01208$Erythromycin$DB00199$\r\nAmiodarone$DB01118$Escitalopram\r\n") == MT_OK);
    REQUIRE(ixv_source(&r, "onc-high", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_onc_high(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "ONC_High_Priority_Mapped.csv:2:");
    ixv_free(&r);
}

/* The full bundled list: 1,930 rows, 15 items of the paper (PROVENANCE.txt). */
TEST(onc_high_full_list)
{
    ixv_run r;
    char dir[1024];
    uint32_t i, items = 0;

    snprintf(dir, sizeof(dir), "%s/onc-high-priority-2012", mt_test_sources());
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "onc-high", dir) == MT_OK);
    REQUIRE(mt_import_onc_high(&r.ctx) == MT_OK);
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 1930);
    for (i = 0; i < r.m.ixrules.count; i++)
        if (r.m.ixrules.items[i].cite.source == r.ctx.src && strstr(r.m.ixrules.items[i].cite.record, "Revised Table 2 item"))
            items++;
    CHECK_EQ_INT(items, 15);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "sertraline"), ixv_drug(&r.m, "phenelzine"), NULL) != MDL_NONE);
    ixv_free(&r);
}
