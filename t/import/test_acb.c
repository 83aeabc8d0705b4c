/*
** test_acb.c — the anticholinergic burden importer (lib/import/acb.c) on
** real rows (t/fixtures/anticholinergic-burden) after the identity fixtures.
*/
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"

static const mdl_acb *score(const vt_env *e, mdl_ref drug, const char *scale)
{
    uint32_t i;
    for (i = 0; i < e->m.acbs.count; i++)
        if (e->m.acbs.items[i].drug == drug && strcmp(e->m.acbs.items[i].scale, scale) == 0)
            return &e->m.acbs.items[i];
    return NULL;
}

static unsigned score_count(const vt_env *e, mdl_ref drug)
{
    uint32_t i;
    unsigned n = 0;
    for (i = 0; i < e->m.acbs.count; i++)
        if (e->m.acbs.items[i].drug == drug)
            n++;
    return n;
}

TEST(acb_scores_per_scale)
{
    vt_env e;
    mdl_ref alp, ser, apap;
    const mdl_acb *a;
    const mdl_source *s;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_acb, "acb", vt_fixture("anticholinergic-burden")) == MT_OK);

    alp = vt_drug_rxcui(&e, 596);
    REQUIRE(alp != MDL_NONE);
    a = score(&e, alp, "Ancelin2006");
    REQUIRE(a != NULL);
    CHECK_EQ_INT(a->score, 3);
    CHECK_STR(a->cite.record, "ACB_table.csv line 5 (alprazolam), column Ancelin2006");
    a = score(&e, alp, "MajVote");
    REQUIRE(a != NULL);
    CHECK_EQ_INT(a->score, 1);
    CHECK(score(&e, alp, "Rudolph2008") == NULL);      /* empty cell: not listed */
    CHECK(score(&e, alp, "KieselVote") == NULL);
    CHECK_EQ_INT(score_count(&e, alp), 7);

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    a = score(&e, ser, "MajVote");
    REQUIRE(a != NULL);
    CHECK_EQ_INT(a->score, 1);
    a = score(&e, ser, "KieselVote");
    REQUIRE(a != NULL);
    CHECK_EQ_INT(a->score, 1);
    /* acetaminophen is listed three times: each scale once. */
    apap = vt_drug_rxcui(&e, 161);
    REQUIRE(apap != MDL_NONE);
    CHECK_EQ_INT(score_count(&e, apap), 5);

    s = vt_source(&e, "acb");
    CHECK_EQ_INT(s->rows, 8);
    CHECK_EQ_INT(s->unmatched, 2);     /* amitriptyline, twice: not in the fixtures */
    CHECK_CONTAINS(mt_buf_str(&e.warn), "\"amitriptyline\" matches no drug");
    vt_free(&e);
}

TEST(acb_broken_row_names_file_and_line)
{
    vt_env e;
    vt_init(&e);
    CHECK_EQ_INT(vt_run(&e, mt_import_acb, "acb", vt_fixture("acb-broken")), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "acb-broken/ACB_table.csv:2:");
    vt_free(&e);
}
