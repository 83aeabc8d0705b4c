/*
** test_nondrugs.c — the non-drug interactants (lib/import/nondrugs.c): found
** in the vocabulary when it has them, created otherwise, with everyday names.
*/
#include <string.h>

#include "harness.h"
#include "import/nondrugs.h"
#include "ixvocab.h"

TEST(nondrugs_join_vocabulary_or_create)
{
    ixv_run r;
    mdl_ref ethanol, d, grapefruit, tobacco, sjw;
    mdl_src src;

    REQUIRE(ixv_init(&r) == MT_OK);            /* runs mt_import_nondrugs */
    REQUIRE(mdl_source_find(&r.m, MT_NONDRUG_SOURCE_ID, &src) == MT_OK);
    CHECK_STR(r.m.sources.items[src].licence, "CC0 (Materia project)");
    CHECK_STR(r.m.sources.items[src].kind, "vocabulary");

    /* alcohol is RxNorm's ethanol (RxCUI 448): joined, not duplicated */
    ethanol = ixv_drug(&r.m, "ethanol");
    REQUIRE(ethanol != MDL_NONE);
    CHECK(mt_nondrug_find(&r.m, MT_ND_ALCOHOL, &d) == MT_OK && d == ethanol);
    CHECK(ixv_drug(&r.m, "beer") == ethanol);
    CHECK(ixv_drug(&r.m, "Wine") == ethanol);
    CHECK_EQ_INT(r.m.drugs.items[ethanol].kind, MT_DRUG_INGREDIENT);

    /* St John's wort is DrugBank's DB01323, found by identifier */
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_STJOHNSWORT, &sjw) == MT_OK);
    CHECK_STR(r.m.drugs.items[sjw].drugbank_id, "DB01323");
    CHECK(ixv_drug(&r.m, "St John's wort") == sjw);
    CHECK(ixv_drug(&r.m, "hypericum") == sjw);

    /* grapefruit and tobacco are not in this vocabulary: created as non-drugs */
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_GRAPEFRUIT, &grapefruit) == MT_OK);
    CHECK_EQ_INT(r.m.drugs.items[grapefruit].kind, MT_DRUG_NONDRUG);
    CHECK(ixv_drug(&r.m, "grapefruit juice") == grapefruit);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_TOBACCO, &tobacco) == MT_OK);
    CHECK(ixv_drug(&r.m, "smoking") == tobacco);
    CHECK(tobacco != ixv_drug(&r.m, "nicotine") || ixv_drug(&r.m, "nicotine") == MDL_NONE);
    CHECK_EQ_INT(r.m.sources.items[src].created, 3);       /* grapefruit, tobacco, nicotine */
    CHECK_EQ_INT(r.m.sources.items[src].matched, 3);       /* alcohol, caffeine, St John's wort */
    CHECK(mt_nondrug_is_food(MT_ND_GRAPEFRUIT));
    CHECK(!mt_nondrug_is_food(MT_ND_STJOHNSWORT));

    /* running it again changes nothing */
    {
        uint32_t ndrugs = r.m.drugs.count;
        r.ctx.dir = NULL;
        REQUIRE(mt_import_nondrugs(&r.ctx) == MT_OK);
        CHECK_EQ_INT(r.m.drugs.count, ndrugs);
        CHECK(r.ctx.src == src);
    }
    ixv_free(&r);
}
