/*
** test_ix_torture.c — allocation-failure torture of the interaction
** importers (lib/import/ansm.c, worldvista.c, onc_high.c, onc_nonint.c,
** ndfrt.c, va56.c, tripsit.c, nondrugs.c) on their fixtures: every failing
** allocation unwinds to MT_ENOMEM with nothing leaked.
*/
#include "harness.h"
#include "ixvocab.h"

static int ansm_first(ixv_run *r)
{
    int rc = ixv_source(r, "ansm", "t/fixtures/ansm-thesaurus-fr");
    return rc == MT_OK ? mt_import_ansm(&r->ctx) : rc;
}

static int nondrugs_again(mt_import_ctx *ctx)
{
    ctx->dir = NULL;
    return mt_import_nondrugs(ctx);
}

TEST(interaction_importers_survive_allocation_failures)
{
    CHECK(ixv_torture("ansm", "t/fixtures/ansm-thesaurus-fr", NULL, mt_import_ansm) > 10);
    CHECK(ixv_torture("worldvista", "t/fixtures/ansm-thesaurus-en-worldvista", ansm_first, mt_import_worldvista) > 10);
    CHECK(ixv_torture("onc-high", "t/fixtures/onc-high-priority-2012", NULL, mt_import_onc_high) > 10);
    CHECK(ixv_torture("onc-nonint", "t/fixtures/onc-non-interruptive-2013", NULL, mt_import_onc_nonint) > 10);
    CHECK(ixv_torture("ndfrt", "t/fixtures/ndfrt-va-ddi-subset", NULL, mt_import_ndfrt) > 10);
    CHECK(ixv_torture("va56", "t/fixtures/va-file56-pairs", NULL, mt_import_va56) > 10);
    CHECK(ixv_torture("tripsit", "t/fixtures/tripsit-combos", NULL, mt_import_tripsit) > 10);
    CHECK(ixv_torture("again", "t/fixtures/tripsit-combos", NULL, nondrugs_again) >= 1);
}
