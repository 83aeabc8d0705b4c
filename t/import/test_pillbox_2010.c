/*
** test_pillbox_2010.c — the Pillbox 2010 Ruby-YAML importer
** (lib/import/pillbox_2010.c) on four real records of all_meds.yml.
*/
#include <string.h>

#include "harness.h"
#include "import/pilltest.h"

static const mdl_pill *pill_named(const mdl *m, const char *name)
{
    uint32_t i;
    for (i = 0; i < m->pills.count; i++)
        if (m->pills.items[i].name && strcmp(m->pills.items[i].name, name) == 0)
            return &m->pills.items[i];
    return NULL;
}

TEST(pillbox_2010_records_become_pills_joined_by_rxcui_and_ingredient)
{
    pt_env e;
    mdl_ref sertraline, apap, hydrocodone, phentermine, zoloft25;
    const mdl_pill *p;
    const mdl_source *s;

    pt_init(&e, "pillbox-2010", pt_fixture("pillbox-api-2010-fixtures"));
    REQUIRE(pt_load_codes(&e) == MT_OK);
    sertraline = pt_drug(&e, "sertraline", 36437, "QUC7NX6WMB");
    apap = pt_drug(&e, "acetaminophen", 161, "362O9ITL9D");
    hydrocodone = pt_drug(&e, "hydrocodone", 5489, "6YKS4Y3WQ7");
    phentermine = pt_drug(&e, "phentermine", 8152, "C045TQL4WP");
    zoloft25 = pt_product(&e, 312940, "SCD", "sertraline 25 MG Oral Tablet", NULL, sertraline, MDL_NONE, NULL);

    REQUIRE(mt_import_pillbox_2010(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.pills.count, 3);            /* the sodium iodide capsule has no description */

    p = pill_named(&e.m, "sertraline (as sertraline hydrochloride) 25 MG Oral Tablet");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->product, zoloft25);          /* RXCUI 312940 */
    CHECK_EQ_INT(p->drug, sertraline);
    CHECK_STR(p->imprint, "RE16");
    CHECK_STR(p->color, "WHITE");
    CHECK_STR(p->shape, "CAPSULE");
    CHECK(p->size_mm > 10.9f && p->size_mm < 11.1f);
    CHECK_EQ_INT(p->score, 2);
    CHECK_STR(p->labeler, "Ranbaxy Pharmaceuticals Inc.");   /* '"' for ' ' in the source */
    CHECK(p->ndc11 == NULL);
    CHECK(p->schedule == NULL);
    CHECK_STR(p->cite.record, "all_meds.yml line 66 (PRODUCT_CODE 63304-164)");

    p = pill_named(&e.m, "APAP 500 MG / hydrocodone bitartrate 5 MG Oral Capsule");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->product, MDL_NONE);
    CHECK_EQ_INT(p->drug, apap);                 /* the first of "Acetaminophen; Hydrocodone" */
    CHECK(p->drug != hydrocodone);
    CHECK_STR(p->schedule, "CII");               /* DEA_SCHEDULE_CODE C48675 */
    CHECK(p->imprint == NULL);
    CHECK_STR(p->color, "BLACK, GRAY");
    CHECK_STR(p->labeler, "Mikart, Inc.");

    p = pill_named(&e.m, "Phentermine Hydrochloride 18.8 MG (Phentermine 15 MG) Oral Capsule");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, phentermine);
    CHECK_STR(p->schedule, "CIV");
    CHECK_STR(p->imprint, "170");
    CHECK_STR(p->color, "GRAY, YELLOW");

    s = &e.m.sources.items[e.ctx.src];
    CHECK_EQ_INT(s->rows, 4);
    CHECK_EQ_INT(s->matched, 3);
    CHECK_EQ_INT(s->unmatched, 1);
    pt_free(&e);
}

TEST(pillbox_2010_malformed_lines_and_records)
{
    static const char garbage[] =
        "--- \n- !ruby/object:PillboxResource \n  attributes: !map:ActiveSupport::HashWithIndifferentAccess \n"
        "    SPL_ID: \"0\"\n    this is not yaml\n";
    static const char missing[] =
        "--- \n- !ruby/object:PillboxResource \n  attributes: !map:ActiveSupport::HashWithIndifferentAccess \n"
        "    PRODUCT_CODE: 63304-164\n    SPLIMPRINT: RE16\n  prefix_options: *id001\n";
    pt_env e;
    const char *dir = pt_tmp_write("all_meds.yml", garbage, sizeof(garbage) - 1);
    REQUIRE(dir != NULL);
    pt_init(&e, "pillbox-2010", dir);
    CHECK(mt_import_pillbox_2010(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "all_meds.yml:5: expected \"KEY: value\"");
    pt_tmp_remove(e.ctx.dir, "all_meds.yml");
    pt_free(&e);

    dir = pt_tmp_write("all_meds.yml", missing, sizeof(missing) - 1);
    REQUIRE(dir != NULL);
    pt_init(&e, "pillbox-2010", dir);
    CHECK(mt_import_pillbox_2010(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "all_meds.yml:2: record has no NDC9 field");
    pt_tmp_remove(e.ctx.dir, "all_meds.yml");
    pt_free(&e);
}

TEST(pillbox_2010_bundled_file)
{
    pt_env e;
    const char *dir = pt_bundled("pillbox-api-2010-fixtures");
    if (!dir)
        return;
    pt_init(&e, "pillbox-2010", dir);
    REQUIRE(pt_load_codes(&e) == MT_OK);
    REQUIRE(mt_import_pillbox_2010(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.sources.items[e.ctx.src].rows, 402);       /* PROVENANCE: 402 records */
    CHECK(e.m.pills.count > 300);
    pt_free(&e);
}

static void pb10_torture_setup(pt_env *e)
{
    mdl_ref d;
    pt_load_codes(e);
    d = pt_drug(e, "sertraline", 36437, "QUC7NX6WMB");
    pt_product(e, 312940, "SCD", "sertraline 25 MG Oral Tablet", NULL, d, MDL_NONE, NULL);
}

TEST(pillbox_2010_allocation_failures_unwind)
{
    CHECK(pt_torture("pillbox-2010", pt_fixture("pillbox-api-2010-fixtures"), pb10_torture_setup,
                     mt_import_pillbox_2010) > 10);
}
