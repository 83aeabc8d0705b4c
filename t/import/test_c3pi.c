/*
** test_c3pi.c — the C3PI / RxImage pill importer (lib/import/c3pi.c) on a
** real excerpt of pill_color_imprint_dataset.csv, joined to a hand-made
** RxNorm vocabulary with the real RxCUIs and NDCs.
*/
#include <string.h>

#include "harness.h"
#include "import/pilltest.h"

#define C3PI_FIXTURE "c3pi-pill-imprints"

TEST(c3pi_joins_by_ndc_product_name_brand_and_ingredient)
{
    pt_env e;
    mdl_ref sertraline, fentanyl, alprazolam, ropinirole, azithromycin, apap, hydrocodone, codeine, zoloft25, actiq02;
    const mdl_pill *p;
    const mdl_source *s;
    static const char *const sertraline_ndcs[] = { "59762496001", NULL };

    pt_init(&e, "c3pi", pt_fixture(C3PI_FIXTURE));
    REQUIRE(pt_load_codes(&e) == MT_OK);
    sertraline = pt_drug(&e, "sertraline", 36437, "QUC7NX6WMB");
    fentanyl = pt_drug(&e, "fentanyl", 4337, "UF599785JZ");
    alprazolam = pt_drug(&e, "alprazolam", 596, NULL);       /* RxTerms only: A.json is missing */
    ropinirole = pt_drug(&e, "ropinirole", 72302, NULL);
    azithromycin = pt_drug(&e, "azithromycin", 18631, NULL);
    apap = pt_drug(&e, "acetaminophen", 161, NULL);
    hydrocodone = pt_drug(&e, "hydrocodone", 5489, "6YKS4Y3WQ7");
    codeine = pt_drug(&e, "codeine", 2670, "UX6OWY2V7J");
    mdl_schedule_add(&e.m, hydrocodone, "CII", mdl_cite_make(&e.m, 0, "dea"));
    mdl_schedule_add(&e.m, codeine, "CII", mdl_cite_make(&e.m, 0, "dea"));
    mdl_name_add(&e.m, ropinirole, MT_NAME_BRAND, "Requip", NULL, mdl_cite_make(&e.m, 0, "BN"));
    mdl_schedule_add(&e.m, fentanyl, "CII", mdl_cite_make(&e.m, 0, "dea"));
    mdl_schedule_add(&e.m, alprazolam, "CIV", mdl_cite_make(&e.m, 0, "dea"));
    zoloft25 = pt_product(&e, 312940, "SCD", "sertraline 25 MG Oral Tablet", NULL,
                          sertraline, MDL_NONE, sertraline_ndcs);
    /* Actiq without its NDC, so that the product-name join is what finds it. */
    actiq02 = pt_product(&e, 261106, "SBD", "fentanyl 0.2 MG Oral Lozenge [Actiq]", "Actiq",
                         fentanyl, MDL_NONE, NULL);

    REQUIRE(mt_import_c3pi(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.pills.count, 12);          /* 14 rows, two are second images */

    p = pt_pill(&e.m, "59762496001", NULL);
    REQUIRE(p != NULL);
    CHECK_STR(p->imprint, "G;4960;25;MG");
    CHECK_STR(p->color, "GREEN");
    CHECK_STR(p->shape, "OVAL");
    CHECK_STR(p->name, "SERTRALINE 25 MG ORAL TABLET");
    CHECK_EQ_INT(p->product, zoloft25);
    CHECK_EQ_INT(p->drug, sertraline);
    CHECK(p->schedule == NULL);
    CHECK_STR(p->cite.record, "pill_color_imprint_dataset.csv line 7");

    p = pt_pill(&e.m, "63459050230", "ACTIQ;200");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->product, actiq02);
    CHECK_EQ_INT(p->drug, fentanyl);
    CHECK_STR(p->schedule, "CII");
    CHECK_STR(p->shape, "BULLET");

    p = pt_pill(&e.m, "67253090011", "S;900");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->product, MDL_NONE);
    CHECK_EQ_INT(p->drug, alprazolam);
    CHECK_STR(p->schedule, "CIV");
    p = pt_pill(&e.m, "64980014106", "COR;188");     /* "24 HR ALPRAZOLAM 1 MG ..." */
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, alprazolam);

    p = pt_pill(&e.m, "00007489020", "SB;4890");     /* "[REQUIP]": joined by brand */
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, ropinirole);
    CHECK_STR(p->shape, "PENTAGON (5 SIDES)");

    p = pt_pill(&e.m, "00093714618", "93;7146");     /* "{6 (AZITHROMYCIN 250 MG ORAL TABLET) } PACK" */
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, azithromycin);
    p = pt_pill(&e.m, "49348070410", "L544");        /* "8 HR ACETAMINOPHEN 650 MG ..." */
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, apap);

    /* Combinations: hydrocodone with acetaminophen is CII like hydrocodone;
    ** codeine with acetaminophen is not CII (it is CIII): no schedule guessed. */
    p = pt_pill(&e.m, "53746011005", "IP;110");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, apap);
    CHECK_STR(p->schedule, "CII");
    p = pt_pill(&e.m, "00093015001", "3;TV;150");
    REQUIRE(p != NULL);
    CHECK(p->schedule == NULL);

    p = pt_pill(&e.m, "00093435601", NULL);          /* no pill_name in the source */
    REQUIRE(p != NULL);
    CHECK(p->name == NULL);
    CHECK_EQ_INT(p->product, MDL_NONE);
    CHECK_EQ_INT(p->drug, MDL_NONE);
    CHECK_STR(p->imprint, "4356;20;MG");

    p = pt_pill(&e.m, "00172496058", "4960");        /* flutamide: not in this vocabulary */
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, MDL_NONE);

    s = &e.m.sources.items[e.ctx.src];
    CHECK_EQ_INT(s->rows, 14);
    CHECK_EQ_INT(s->matched, 10);
    CHECK_EQ_INT(s->unmatched, 4);
    CHECK_EQ_INT(s->facts, 12);
    pt_free(&e);
}

TEST(c3pi_row_with_missing_fields_is_a_format_error)
{
    static const char csv[] =
        "image_path,image_filename,pill_name,shape,color,imprint\n"
        "/x/59762-4960-01_RXNAVIMAGE10_74213A59.jpg,59762-4960-01_RXNAVIMAGE10_74213A59.JPG,SERTRALINE 25 MG ORAL TABLET,OVAL,GREEN\n";
    const char *dir = pt_tmp_write("pill_color_imprint_dataset.csv", csv, sizeof(csv) - 1);
    pt_env e;
    REQUIRE(dir != NULL);
    pt_init(&e, "c3pi", dir);
    CHECK(mt_import_c3pi(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "pill_color_imprint_dataset.csv:2:");
    CHECK_CONTAINS(mt_buf_str(&e.err), "expected 6 fields, got 5");
    pt_tmp_remove(e.ctx.dir, "pill_color_imprint_dataset.csv");
    pt_free(&e);
}

TEST(c3pi_bundled_file_gives_the_documented_distinct_pills)
{
    pt_env e;
    const char *dir = pt_bundled(C3PI_FIXTURE);
    if (!dir)
        return;
    pt_init(&e, "c3pi", dir);
    REQUIRE(pt_load_codes(&e) == MT_OK);
    REQUIRE(mt_import_c3pi(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.sources.items[e.ctx.src].rows, 6036);
    CHECK_EQ_INT(e.m.pills.count, 4389);               /* PROVENANCE: distinct (ndc, imprint, colour, shape) */
    pt_free(&e);
}

static void c3pi_torture_setup(pt_env *e)
{
    static const char *const ndcs[] = { "59762496001", NULL };
    mdl_ref d;
    pt_load_codes(e);
    d = pt_drug(e, "sertraline", 36437, "QUC7NX6WMB");
    pt_product(e, 312940, "SCD", "sertraline 25 MG Oral Tablet", NULL, d, MDL_NONE, ndcs);
}

TEST(c3pi_allocation_failures_unwind)
{
    CHECK(pt_torture("c3pi", pt_fixture(C3PI_FIXTURE), c3pi_torture_setup, mt_import_c3pi) > 10);
}
