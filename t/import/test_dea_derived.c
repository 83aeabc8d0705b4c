/*
** test_dea_derived.c — the derived DEA schedule importer (lib/import/dea_derived.c)
** on real rows (t/fixtures/dea-schedules-derived) after the identity fixtures,
** and on the bundled table.
*/
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"

static const mdl_schedule *schedule(const vt_env *e, mdl_ref drug, const char *sched)
{
    uint32_t i;
    for (i = 0; i < e->m.schedules.count; i++)
        if (e->m.schedules.items[i].drug == drug && strcmp(e->m.schedules.items[i].schedule, sched) == 0)
            return &e->m.schedules.items[i];
    return NULL;
}

static unsigned schedule_count(const vt_env *e, mdl_ref drug)
{
    uint32_t i;
    unsigned n = 0;
    for (i = 0; i < e->m.schedules.count; i++)
        if (e->m.schedules.items[i].drug == drug)
            n++;
    return n;
}

TEST(dea_derived_schedules)
{
    vt_env e;
    mdl_ref ket, dro, pen, nal, apap, caf, ator, oxy;
    const mdl_schedule *s;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_dea_derived, "dea-derived", vt_fixture("dea-schedules-derived")) == MT_OK);

    ket = vt_drug_rxcui(&e, 6130);
    REQUIRE(ket != MDL_NONE);
    s = schedule(&e, ket, "CIII");
    REQUIRE(s != NULL);
    CHECK_CONTAINS(s->cite.record, "line 8: KETAMINE HYDROCHLORIDE, CIII on 17 of 17 listings");
    CHECK_CONTAINS(s->cite.record, "labelers' declaration, not the legal schedule");
    CHECK_EQ_INT(schedule_count(&e, ket), 1);
    CHECK(schedule(&e, vt_drug_rxcui(&e, 2119365), "CIII") != NULL);     /* esketamine */
    CHECK(schedule(&e, vt_drug_rxcui(&e, 596), "CIV") != NULL);          /* alprazolam */
    /* Two schedules on one row: both. */
    dro = vt_drug_named(&e, "dronabinol");
    REQUIRE(dro != MDL_NONE);
    CHECK(schedule(&e, dro, "CIII") != NULL);
    s = schedule(&e, dro, "CI");
    REQUIRE(s != NULL);
    CHECK_CONTAINS(s->cite.record, "CI on 2 of 5 listings");
    /* OXYCODONE and OXYCODONE HYDROCHLORIDE: one CII. */
    oxy = vt_drug_named(&e, "oxycodone");
    REQUIRE(oxy != MDL_NONE);
    CHECK_EQ_INT(schedule_count(&e, oxy), 1);
    /* Combinations schedule only the components declared alone. */
    pen = vt_drug_named(&e, "pentazocine");
    nal = vt_drug_named(&e, "naloxone");
    apap = vt_drug_rxcui(&e, 161);
    caf = vt_drug_rxcui(&e, 1886);
    REQUIRE(pen != MDL_NONE && nal != MDL_NONE && apap != MDL_NONE && caf != MDL_NONE);
    CHECK(schedule(&e, pen, "CIV") != NULL);
    CHECK_EQ_INT(schedule_count(&e, nal), 0);
    CHECK_EQ_INT(schedule_count(&e, apap), 0);
    CHECK_EQ_INT(schedule_count(&e, caf), 0);
    /* A labeler error and the row without a name: skipped, said. */
    ator = vt_drug_rxcui(&e, 83367);
    REQUIRE(ator != MDL_NONE);
    CHECK_EQ_INT(schedule_count(&e, ator), 0);
    CHECK_EQ_INT(e.last.skipped, 2);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "ATORVASTATIN CALCIUM CII(1)");
    CHECK_CONTAINS(mt_buf_str(&e.warn), "no substance name");
    CHECK_EQ_INT(vt_source(&e, "dea-derived")->rows, 11);
    vt_free(&e);
}
