/*
** test_spl_codes.c — the SPL colour and shape code importer
** (lib/import/spl_codes.c) and the colour/shape normalisation built on it
** (lib/import/pill_join.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "import/pill_join.h"
#include "import/pilltest.h"

static const mdl_code *find_code(const mdl *m, const char *system, const char *code)
{
    mdl_ref r;
    return mdl_code_find(m, system, code, &r) == MT_OK ? &m->codes.items[r] : NULL;
}

TEST(spl_codes_fixture_gives_colours_with_hex_and_shapes)
{
    pt_env e;
    const mdl_code *c;
    uint32_t i, ncolor = 0, nshape = 0;

    pt_init(&e, "spl-codes", pt_fixture("spl-pill-codes"));
    REQUIRE(mt_import_spl_codes(&e.ctx) == MT_OK);
    for (i = 0; i < e.m.codes.count; i++) {
        if (strcmp(e.m.codes.items[i].system, "SPL-COLOR") == 0)
            ncolor++;
        else if (strcmp(e.m.codes.items[i].system, "SPL-SHAPE") == 0)
            nshape++;
    }
    CHECK_EQ_INT(ncolor, 12);
    CHECK_EQ_INT(nshape, 19);
    c = find_code(&e.m, "SPL-COLOR", "C48329");
    REQUIRE(c != NULL);
    CHECK_STR(c->display, "GREEN");
    CHECK_STR(c->hex, "008000");
    CHECK_CONTAINS(c->cite.record, "spl_color_shape_codes.tsv line 6");
    c = find_code(&e.m, "SPL-SHAPE", "C48346");
    REQUIRE(c != NULL);
    CHECK_STR(c->display, "PENTAGON (5 SIDES)");
    CHECK(c->hex == NULL);
    CHECK(find_code(&e.m, "SPL-COLOR", "C48345") == NULL);
    CHECK_EQ_INT(e.m.sources.items[e.ctx.src].rows, 31);
    CHECK_EQ_INT(e.m.sources.items[e.ctx.src].facts, 31);
    pt_free(&e);
}

TEST(spl_codes_normalise_colours_and_shapes)
{
    pt_env e;
    mt_buf b;
    pt_init(&e, "spl-codes", pt_fixture("spl-pill-codes"));
    REQUIRE(mt_import_spl_codes(&e.ctx) == MT_OK);
    mt_buf_init(&b, 1024);
    CHECK(pj_color_text(&e.m, "C48324;C48330", &b) == MT_OK);
    CHECK_STR(mt_buf_str(&b), "GRAY, YELLOW");
    CHECK(pj_color_text(&e.m, "C48324;;C48324;C48324", &b) == MT_OK);   /* a real Pillbox 2010 value */
    CHECK_STR(mt_buf_str(&b), "GRAY");
    CHECK(pj_color_text(&e.m, "GREEN, GREEN", &b) == MT_OK);
    CHECK_STR(mt_buf_str(&b), "GREEN");
    CHECK(pj_color_text(&e.m, "pink", &b) == MT_OK);
    CHECK_STR(mt_buf_str(&b), "PINK");
    CHECK(pj_color_text(&e.m, "", &b) == MT_OK);
    CHECK_STR(mt_buf_str(&b), "");
    CHECK(pj_shape_text(&e.m, "PENTAGON", &b) == MT_OK);
    CHECK_STR(mt_buf_str(&b), "PENTAGON (5 SIDES)");
    CHECK(pj_shape_text(&e.m, "C48336", &b) == MT_OK);
    CHECK_STR(mt_buf_str(&b), "CAPSULE");
    CHECK(pj_shape_text(&e.m, "oval", &b) == MT_OK);
    CHECK_STR(mt_buf_str(&b), "OVAL");
    CHECK_STR(pj_schedule_from_code("C48675"), "CII");
    CHECK_STR(pj_schedule_from_code("C48679"), "CV");
    CHECK(pj_schedule_from_code("C48325") == NULL);
    mt_buf_free(&b);
    pt_free(&e);
}

TEST(spl_codes_ndc9_normalisation)
{
    char out[10];
    CHECK(pj_ndc9_normalize("0904-6350", out) == MT_OK);
    CHECK_STR(out, "009046350");
    CHECK(pj_ndc9_normalize("33261-010", out) == MT_OK);
    CHECK_STR(out, "332610010");
    CHECK(pj_ndc9_normalize("68788-9133", out) == MT_OK);
    CHECK_STR(out, "687889133");
    CHECK(pj_ndc9_normalize("633040164", out) == MT_OK);
    CHECK_STR(out, "633040164");
    CHECK(pj_ndc9_normalize("0019-N601", out) == MT_EFORMAT);   /* Pillbox 2010 non-NDC product code */
    CHECK(pj_ndc9_normalize("123-45", out) == MT_EFORMAT);
}

TEST(spl_codes_malformed_row_names_file_and_line)
{
    pt_env e;
    char dir[] = "/tmp/mt_spl_codes_XXXXXX";
    char path[600];
    FILE *f;
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(path, sizeof(path), "%s/spl_color_shape_codes.tsv", dir);
    f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs("kind\tnci_code\tdisplay_name\thex_value\ncolor\tC48323\tBLACK\t000000\ncolor\tC48333\n", f);
    fclose(f);
    pt_init(&e, "spl-codes", dir);
    CHECK(mt_import_spl_codes(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "spl_color_shape_codes.tsv:3:");
    pt_free(&e);
    unlink(path);
    rmdir(dir);
}

TEST(spl_codes_bundled_source)
{
    pt_env e;
    const char *dir = pt_bundled("spl-pill-codes");
    if (!dir)
        return;
    pt_init(&e, "spl-codes", dir);
    CHECK(mt_import_spl_codes(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.codes.count, 31);
    pt_free(&e);
}

TEST(spl_codes_allocation_failures_unwind)
{
    CHECK(pt_torture("spl-codes", pt_fixture("spl-pill-codes"), NULL, mt_import_spl_codes) > 3);
}
