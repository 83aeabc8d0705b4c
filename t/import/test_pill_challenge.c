/*
** test_pill_challenge.c — the NLM pill-challenge cross-check
** (lib/import/pill_challenge.c) on real rows of pills.csv, against pills as
** C3PI gives them for the same NDCs (real C3PI values, added by hand).
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/pilltest.h"

static void c3pi_pill(pt_env *e, mdl_src c3pi, const char *ndc, const char *name, const char *imprint,
                      const char *color, const char *shape)
{
    mdl_pill p;
    memset(&p, 0, sizeof(p));
    p.ndc11 = ndc;
    p.name = name;
    p.imprint = imprint;
    p.color = color;
    p.shape = shape;
    p.product = p.drug = MDL_NONE;
    p.cite = mdl_cite_make(&e->m, c3pi, "pill_color_imprint_dataset.csv");
    if (mdl_pill_add(&e->m, &p) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "cannot add pill");
}

TEST(pill_challenge_counts_agreement_and_adds_only_joined_ndcs)
{
    pt_env e;
    mdl_src c3pi;
    mdl_ref lithium, lithium_carbonate, product;
    const mdl_pill *p;
    const mdl_source *s;
    static const char *const li_ndcs[] = { "00054252625", NULL };

    pt_init(&e, "pill-challenge", pt_fixture("nlm-pill-challenge-reference"));
    c3pi = pt_source(&e, "c3pi", "c3pi");
    REQUIRE(pt_load_codes(&e) == MT_OK);
    /* C3PI: Strattera 25 mg is two-tone, 40 mg blue; amoxicillin 500 mg (Teva) white. */
    c3pi_pill(&e, c3pi, "00002322830", "ATOMOXETINE 25 MG ORAL CAPSULE [STRATTERA]", "LILLY;3228;25;MG", "WHITE, BLUE", "CAPSULE");
    c3pi_pill(&e, c3pi, "00002322930", "ATOMOXETINE 40 MG ORAL CAPSULE [STRATTERA]", "LILLY;3229;40;MG", "BLUE", "CAPSULE");
    c3pi_pill(&e, c3pi, "00093310953", "AMOXICILLIN 500 MG ORAL CAPSULE", "TEVA;3109", "WHITE", "CAPSULE");
    lithium = pt_drug(&e, "lithium", 6448, NULL);
    lithium_carbonate = pt_drug(&e, "lithium carbonate", 42351, "2BMD2GNA4V");
    e.m.drugs.items[lithium_carbonate].kind = MT_DRUG_PRECISE;
    e.m.drugs.items[lithium_carbonate].parent = lithium;
    product = pt_product(&e, 311355, "SCD", "lithium carbonate 150 MG Oral Capsule", NULL,
                         lithium_carbonate, MDL_NONE, li_ndcs);

    REQUIRE(mt_import_pill_challenge(&e.ctx) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "5 NDCs; 3 already had pills: colour and shape agree for 1, "
                                        "partly for 1 (one colour of a two-tone pill), disagree for 1; "
                                        "1 added (low confidence, joined to a product), 1 dropped (no product)");
    CHECK_EQ_INT(e.m.pills.count, 4);
    p = &e.m.pills.items[3];
    CHECK_STR(p->ndc11, "00054252625");
    CHECK(p->imprint == NULL);
    CHECK_STR(p->color, "WHITE");
    CHECK_STR(p->shape, "CAPSULE");
    CHECK_EQ_INT(p->product, product);
    CHECK_EQ_INT(p->drug, lithium);                  /* the salt's ingredient */
    CHECK_STR(p->name, "lithium carbonate 150 MG Oral Capsule");
    CHECK(p->flags & MDL_PILLF_LOW_CONFIDENCE);
    CHECK_STR(p->cite.record, "pills.csv line 6");
    CHECK(pt_pill(&e.m, "00093714656", NULL) == NULL); /* joins nothing: dropped */

    s = &e.m.sources.items[e.ctx.src];
    CHECK_EQ_INT(s->rows, 10);
    CHECK_EQ_INT(s->matched, 8);
    CHECK_EQ_INT(s->unmatched, 2);
    pt_free(&e);
}

TEST(pill_challenge_bad_ndc_names_file_and_line)
{
    static const char csv[] =
        ",filename,ndc9,ndc11,color,shape\n"
        "0,data/dr/00002-3228-30_PART_1_OF_1_CHAL10_SB_391E1C80.jpg,000023228,00002322830,WHITE,CAPSULE\n"
        "1,data/dr/00002-3228-30_PART_1_OF_1_CHAL10_SF_391E1C80.jpg,000023228,0000232283,WHITE,CAPSULE\n";
    const char *dir = pt_tmp_write("pills.csv", csv, sizeof(csv) - 1);
    pt_env e;
    REQUIRE(dir != NULL);
    pt_init(&e, "pill-challenge", dir);
    CHECK(mt_import_pill_challenge(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "pills.csv:3: \"0000232283\" is not an NDC-11");
    pt_tmp_remove(e.ctx.dir, "pills.csv");
    pt_free(&e);
}

TEST(pill_challenge_bundled_file_after_c3pi)
{
    pt_env e;
    mt_import_ctx c3;
    const char *dir = pt_bundled("nlm-pill-challenge-reference");
    char c3dir[600];
    if (!dir)
        return;
    pt_init(&e, "pill-challenge", dir);
    REQUIRE(pt_load_codes(&e) == MT_OK);
    snprintf(c3dir, sizeof(c3dir), "%s/c3pi-pill-imprints", mt_test_sources());
    c3 = e.ctx;
    c3.src = pt_source(&e, "c3pi", c3dir);
    c3.dir = e.m.sources.items[c3.src].dir;
    REQUIRE(mt_import_c3pi(&c3) == MT_OK);
    REQUIRE(mt_import_pill_challenge(&e.ctx) == MT_OK);
    /* PROVENANCE: 928 NDCs, 917 of them in C3PI. No vocabulary: nothing added. */
    CHECK_CONTAINS(mt_buf_str(&e.warn), "pill-challenge: 928 NDCs; 917 already had pills");
    CHECK_EQ_INT(e.m.sources.items[e.ctx.src].rows, 2000);
    pt_free(&e);
}

static void pc_torture_setup(pt_env *e)
{
    static const char *const li_ndcs[] = { "00054252625", NULL };
    mdl_ref li = pt_drug(e, "lithium", 6448, NULL);
    pt_load_codes(e);
    pt_product(e, 311355, "SCD", "lithium carbonate 150 MG Oral Capsule", NULL, li, MDL_NONE, li_ndcs);
}

TEST(pill_challenge_allocation_failures_unwind)
{
    CHECK(pt_torture("pill-challenge", pt_fixture("nlm-pill-challenge-reference"), pc_torture_setup,
                     mt_import_pill_challenge) > 10);
}
