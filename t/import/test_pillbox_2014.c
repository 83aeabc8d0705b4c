/*
** test_pillbox_2014.c — the Pillbox 2014 fallback (lib/import/pillbox_2014.c)
** on real excerpts of author.json, color.json and spl_ingredients.csv, over
** pills as C3PI and an SPL label give them for the same products.
*/
#include <stdio.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "import/pilltest.h"
#include "util/alloc.h"

static void add_pill(pt_env *e, mdl_src src, const char *ndc, const char *imprint, const char *color,
                     const char *labeler, const char *strength)
{
    mdl_pill p;
    memset(&p, 0, sizeof(p));
    p.ndc11 = ndc;
    p.imprint = imprint;
    p.color = color;
    p.shape = "ROUND";
    p.labeler = labeler;
    p.strength = strength;
    p.product = p.drug = MDL_NONE;
    p.cite = mdl_cite_make(&e->m, src, "pill %s", ndc);
    if (mdl_pill_add(&e->m, &p) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "cannot add pill");
}

TEST(pillbox_2014_fills_missing_labeler_colour_and_strength_only)
{
    pt_env e;
    mdl_src c3pi;
    const mdl_pill *p;
    const mdl_source *s;

    pt_init(&e, "pillbox-2014", pt_fixture("pillbox-2014-indexes"));
    c3pi = pt_source(&e, "c3pi", "c3pi");
    REQUIRE(pt_load_codes(&e) == MT_OK);
    add_pill(&e, c3pi, "59762496001", "G;4960;25;MG", "GREEN", NULL, NULL);          /* sertraline, Greenstone */
    add_pill(&e, c3pi, "00093435601", "4356;20;MG", NULL, NULL, NULL);                /* fluoxetine, Teva; colour left out */
    add_pill(&e, c3pi, "50419040901", "DD", "YELLOW", NULL, NULL);                    /* Natazia: a kit of 5 parts */
    add_pill(&e, c3pi, "59762496001", "G;4960;25;MG", "GREEN", "Pfizer Labs", "25 mg"); /* has its own: untouched */

    REQUIRE(mt_import_pillbox_2014(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.pills.count, 4);               /* never a new pill */

    p = &e.m.pills.items[0];
    CHECK_STR(p->labeler, "Greenstone LLC");
    CHECK_STR(p->strength, "25 mg");
    CHECK_STR(p->color, "GREEN");
    CHECK_EQ_INT(p->flags, MDL_PILLF_LABELER_FILLED | MDL_PILLF_STRENGTH_FILLED);
    CHECK_EQ_INT(p->fill_cite.source, e.ctx.src);
    CHECK_STR(p->fill_cite.record, "spl-id 1a58062b-e635-431a-908d-2651c6a4a21c-59762-4960-0 (author.json); "
                                   "spl_ingredients.csv line 9");
    CHECK_EQ_INT(p->cite.source, c3pi);             /* the pill itself stays C3PI's */

    p = &e.m.pills.items[1];
    CHECK_STR(p->labeler, "Teva Pharmaceuticals USA Inc");
    CHECK_STR(p->color, "BLUE");                    /* C48333 */
    CHECK_STR(p->strength, "20 mg");
    CHECK(p->flags & MDL_PILLF_COLOR_FILLED);

    p = &e.m.pills.items[2];
    CHECK_STR(p->labeler, "Bayer HealthCare Pharmaceuticals Inc.");
    CHECK(p->strength == NULL);                     /* several parts: no single strength */
    CHECK_EQ_INT(p->flags, MDL_PILLF_LABELER_FILLED);

    p = &e.m.pills.items[3];
    CHECK_STR(p->labeler, "Pfizer Labs");
    CHECK_STR(p->strength, "25 mg");
    CHECK_EQ_INT(p->flags, 0);

    CHECK_CONTAINS(mt_buf_str(&e.warn), "filled on pills: labeler 3, colour 1, strength 2");
    s = &e.m.sources.items[e.ctx.src];
    CHECK(s->rows > 0 && s->matched > 0 && s->unmatched > 0);
    CHECK_EQ_INT(s->rows, s->matched + s->unmatched);
    pt_free(&e);
}

TEST(pillbox_2014_broken_json_and_short_row)
{
    static const char json[] = "[{\"author\":\"Greenstone LLC\",\"count\":1,\"spl-id\":[\"1a58062b-e635\"\n";
    static const char csv[] =
        "\"product_code\",\"setid\",\"part_num\",\"numerator_value\",\"numerator_unit\",\"denominator_value\",\"denominator_unit\",\"base_of_strength\"\n"
        "\"59762-4960\",\"1a58062b-e635-431a-908d-2651c6a4a21c\",\"0\",\"25\",\"mg\"\n";
    pt_env e;
    const char *dir = pt_tmp_write("author.json", json, sizeof(json) - 1);
    REQUIRE(dir != NULL);
    pt_init(&e, "pillbox-2014", dir);
    CHECK(mt_import_pillbox_2014(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "author.json:2: invalid JSON");
    pt_tmp_remove(e.ctx.dir, "author.json");
    pt_free(&e);

    /* valid indexes, then an ingredient row with 5 of its 8 fields */
    dir = pt_tmp_write("spl_ingredients.csv", csv, sizeof(csv) - 1);
    REQUIRE(dir != NULL);
    {
        char path[600];
        FILE *f;
        snprintf(path, sizeof(path), "%s/author.json", dir);
        f = fopen(path, "w");
        REQUIRE(f != NULL);
        fputs("[]", f);
        fclose(f);
        snprintf(path, sizeof(path), "%s/color.json", dir);
        f = fopen(path, "w");
        REQUIRE(f != NULL);
        fputs("[]", f);
        fclose(f);
    }
    pt_init(&e, "pillbox-2014", dir);
    CHECK(mt_import_pillbox_2014(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "spl_ingredients.csv:2: expected 8 fields, got 5");
    {
        char path[600];
        snprintf(path, sizeof(path), "%s/author.json", dir);
        unlink(path);
        snprintf(path, sizeof(path), "%s/color.json", dir);
        unlink(path);
    }
    pt_tmp_remove(e.ctx.dir, "spl_ingredients.csv");
    pt_free(&e);
}

TEST(pillbox_2014_bundled_indexes_read_whole)
{
    pt_env e;
    const char *dir = pt_bundled("pillbox-2014-indexes");
    if (!dir)
        return;
    pt_init(&e, "pillbox-2014", dir);
    REQUIRE(mt_import_pillbox_2014(&e.ctx) == MT_OK);
    /* PROVENANCE: 33,998 + 33,958 spl-ids and 43,787 ingredient rows. */
    CHECK_EQ_INT(e.m.sources.items[e.ctx.src].rows, 33998 + 33958 + 43787);
    pt_free(&e);
}

static void pb14_torture_setup(pt_env *e)
{
    mdl_src c3pi = pt_source(e, "c3pi", "c3pi");
    pt_load_codes(e);
    add_pill(e, c3pi, "59762496001", "G;4960;25;MG", "GREEN", NULL, NULL);
    add_pill(e, c3pi, "00093435601", "4356;20;MG", NULL, NULL, NULL);
}

TEST(pillbox_2014_allocation_failures_unwind)
{
    CHECK(pt_torture("pillbox-2014", pt_fixture("pillbox-2014-indexes"), pb14_torture_setup,
                     mt_import_pillbox_2014) > 10);
}

TEST(pillbox_2014_allocation_failures_inside_jansson)
{
    json_malloc_t am;
    json_free_t af;
    /* As when another importer routes jansson's memory through mt_malloc. */
    json_get_alloc_funcs(&am, &af);
    json_set_alloc_funcs(mt_malloc, mt_free);
    CHECK(pt_torture("pillbox-2014", pt_fixture("pillbox-2014-indexes"), pb14_torture_setup, mt_import_pillbox_2014) > 10);
    json_set_alloc_funcs(am, af);
}
