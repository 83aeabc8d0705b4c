/*
** test_va56.c — the VA file 56 pairs (lib/import/va56.c) on a real excerpt
** (t/fixtures/va-file56-pairs: 27 interactions, among them the antacid
** "ALUMINUM/MAGNESIUM HYDROXIDE" split at '/', truncated 30-character names
** and "HYPERICUM PERFORATUM (ST. JOHN").
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/nondrugs.h"
#include "ixvocab.h"

#define FIX "t/fixtures/va-file56-pairs"

TEST(va56_pairs_names_and_fragments)
{
    ixv_run r;
    mdl_ref rule, sjw, gaba, mgoh;
    const mdl_ixrule *x;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "va56", FIX) == MT_OK);
    REQUIRE(mt_import_va56(&r.ctx) == MT_OK);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 27);
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 27);

    /* warfarin + ibuprofen: reported, not graded */
    rule = ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "warfarin"), ixv_drug(&r.m, "ibuprofen"), NULL);
    REQUIRE(rule != MDL_NONE);
    x = &r.m.ixrules.items[rule];
    CHECK_EQ_INT(x->kind, MT_IX_PAIR_ONLY);
    CHECK_EQ_INT(x->severity, MT_SEV_UNKNOWN);
    CHECK_STR(x->level, "Interaction reported (severity not graded)");
    CHECK_STR(x->cite.record, "file 56 IEN 136: IBUPROFEN/WARFARIN");

    /* "TRAMADOL HYDROCHLORIDE": the salt is dropped */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "tramadol"), ixv_drug(&r.m, "sertraline"), NULL) != MDL_NONE);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "ketamine"), ixv_drug(&r.m, "sodium oxybate"), NULL) != MDL_NONE);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "linezolid"), ixv_drug(&r.m, "methylene blue"), NULL) != MDL_NONE);

    /* the antacid: gabapentin pairs with magnesium hydroxide, which is not
    ** paired with its companion fragment "ALUMINUM" */
    gaba = ixv_drug(&r.m, "gabapentin");
    mgoh = ixv_drug(&r.m, "magnesium hydroxide");
    rule = ixv_rule(&r.m, r.ctx.src, gaba, mgoh, NULL);
    REQUIRE(rule != MDL_NONE);
    CHECK_STR(r.m.ixrules.items[rule].b_label, "GABAPENTIN");
    CHECK_STR(r.m.ixrules.items[rule].a_label, "ALUMINUM/MAGNESIUM HYDROXIDE");

    /* truncated at 30 characters: an unambiguous prefix is joined ... */
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "lenalidomide"),
                   ixv_drug(&r.m, "methoxy polyethylene glycol-epoetin beta"), NULL) != MDL_NONE);
    /* ... an ambiguous one (two measles vaccines) is not */
    {
        uint32_t i, n = 0;
        mdl_ref fingo = ixv_drug(&r.m, "fingolimod");
        for (i = 0; i < r.m.ixpairs.count; i++)
            n += r.m.ixpairs.items[i].a == fingo || r.m.ixpairs.items[i].b == fingo;
        CHECK_EQ_INT(n, 0);
    }
    /* "HYPERICUM PERFORATUM (ST. JOHN" is St John's wort */
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_STJOHNSWORT, &sjw) == MT_OK);
    CHECK(ixv_rule(&r.m, r.ctx.src, sjw, ixv_drug(&r.m, "entacapone"), NULL) != MDL_NONE);

    CHECK_CONTAINS(mt_buf_str(&r.warn), "MEASLES VIRUS VACCINE,LIVE ATT");
    CHECK_CONTAINS(mt_buf_str(&r.warn), "(1 by unambiguous prefix");
    ixv_free(&r);
}

TEST(va56_malformed_rows)
{
    ixv_run r;
    const char *dir = ixv_tmpdir();

    REQUIRE(dir != NULL);
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_write(dir, "file56_pairs_from_C_xref.tsv",
                      "va_ien\tingredient_names\n2\tAMIODARONE|WARFARIN\n3\tASPIRIN\n") == MT_OK);
    REQUIRE(ixv_source(&r, "va56", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_va56(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "file56_pairs_from_C_xref.tsv:3: an interaction needs two names");
    REQUIRE(ixv_write(dir, "file56_pairs_from_C_xref.tsv", "va_ien\tingredient_names\nX2\tAMIODARONE|WARFARIN\n") == MT_OK);
    REQUIRE(ixv_source(&r, "va56", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_va56(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), ":2: IEN \"X2\"");
    ixv_free(&r);
}

/* A NUL byte inside a row (a damaged download): the import fails naming the
** file and line, instead of reading "WARF" and gluing the rest to the next row. */
TEST(va56_nul_byte_fails_the_import)
{
    static const char text[] = "va_ien\tingredient_names\n2\tAMIODARONE|WARF\0ARIN\n3\tASPIRIN|WARFARIN\n";
    ixv_run r;
    const char *dir = ixv_tmpdir();
    char path[1024];
    FILE *f;

    REQUIRE(dir != NULL);
    snprintf(path, sizeof(path), "%s/file56_pairs_from_C_xref.tsv", dir);
    f = fopen(path, "wb");
    REQUIRE(f != NULL);
    CHECK(fwrite(text, 1, sizeof(text) - 1, f) == sizeof(text) - 1);
    REQUIRE(fclose(f) == 0);
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "va56", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_va56(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "file56_pairs_from_C_xref.tsv:2: NUL byte in line, at byte 18");
    ixv_free(&r);
    remove(path);
}

/* The full bundled file: 19,949 interactions (PROVENANCE.txt). */
TEST(va56_full_file)
{
    ixv_run r;
    char dir[1024];

    snprintf(dir, sizeof(dir), "%s/va-file56-pairs", mt_test_sources());
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "va56", dir) == MT_OK);
    REQUIRE(mt_import_va56(&r.ctx) == MT_OK);
    CHECK_EQ_INT(ixv_rules(&r.m, r.ctx.src), 19949);
    CHECK(ixv_rule(&r.m, r.ctx.src, ixv_drug(&r.m, "ketamine"), ixv_drug(&r.m, "memantine"), NULL) != MDL_NONE);
    ixv_free(&r);
}
