/*
** test_join_regressions.c — interaction checks that depend on two sources'
** records of one substance being one drug, on the knowledge base built from
** the bundled sources ($MATERIA_TEST_KB; skipped when unset). The RxNorm
** extract lacks A.json, so aspirin comes from RxTerms (RxCUI 1191, no UNII)
** and DrugBank calls it "Acetylsalicylic acid" (DB00945): the DrugBank
** importer joins them through DrugCentral's cross-references or a synonym
** (docs/sources.md, "join rules"). Split, the sources keyed by DrugBank ID
** (ONC, NDF-RT) land on one drug and ANSM on the other, and a check of either
** name misses findings.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "materia/interact.h"

static int check(mt_kb *kb, const char *a, const char *b, mt_check_result *r)
{
    const char *in[2];
    in[0] = a;
    in[1] = b;
    return mt_check(kb, in, 2, NULL, r);
}

static const mt_check_finding *pair01(const mt_check_result *r)
{
    uint32_t i;
    for (i = 0; i < r->nfindings; i++)
        if (r->findings[i].input_a == 0 && r->findings[i].input_b == 1)
            return &r->findings[i];
    return NULL;
}

static const mt_check_evidence *ev(const mt_check_finding *f, const char *src)
{
    uint32_t i;
    for (i = 0; f && i < f->nev; i++)
        if (f->ev[i].cite.source && strcmp(f->ev[i].cite.source, src) == 0)
            return &f->ev[i];
    return NULL;
}

/* The one ingredient input 0 resolved to, or MT_CHECK_NONE. */
static uint32_t base0(const mt_check_result *r)
{
    return r->ninputs >= 1 && r->inputs[0].ning == 1 ? r->inputs[0].ings[0].base : MT_CHECK_NONE;
}

TEST(join_aspirin_acetylsalicylic_acid_and_db00945_are_one_drug)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    uint32_t asa, other;
    if (!kb)
        return;
    REQUIRE(check(kb, "aspirin", "warfarin", &r) == MT_OK);
    asa = base0(&r);
    mt_check_result_free(&r);
    REQUIRE(asa != MT_CHECK_NONE);
    REQUIRE(check(kb, "Acetylsalicylic acid", "warfarin", &r) == MT_OK);
    other = base0(&r);
    mt_check_result_free(&r);
    CHECK_EQ_INT(other, asa);
    REQUIRE(check(kb, "DB00945", "warfarin", &r) == MT_OK);
    CHECK_EQ_INT(r.inputs[0].how, MT_CHECK_BY_CODE);
    CHECK_EQ_INT(base0(&r), asa);
    mt_check_result_free(&r);
    REQUIRE(check(kb, "1191", "warfarin", &r) == MT_OK);
    CHECK_EQ_INT(base0(&r), asa);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

/* NDF-RT is keyed by DrugBank ID, ANSM by name and RxCUI: both on one drug,
** whichever name is checked. */
TEST(join_aspirin_methotrexate_has_ansm_and_ndfrt_by_either_name)
{
    static const char *const names[2] = { "aspirin", "acetylsalicylic acid" };
    mt_kb *kb = mt_test_open_kb();
    size_t i;
    if (!kb)
        return;
    for (i = 0; i < 2; i++) {
        mt_check_result r;
        const mt_check_finding *f;
        const mt_check_evidence *e;
        REQUIRE(check(kb, names[i], "methotrexate", &r) == MT_OK);
        f = pair01(&r);
        if (!f) {
            mt_test_fail(__FILE__, __LINE__, "%s + methotrexate: no finding", names[i]);
            mt_check_result_free(&r);
            continue;
        }
        CHECK_EQ_INT(f->severity, MT_SEV_CONTRAINDICATED);
        CHECK(ev(f, "ansm") != NULL);
        e = ev(f, "ndfrt");
        CHECK(e != NULL);
        if (e) {
            CHECK_STR(e->level, "Critical");
            CHECK_CONTAINS(e->cite.record, "ASPIRIN/METHOTREXATE");
        }
        CHECK(ev(f, "va56") != NULL);
        mt_check_result_free(&r);
    }
    mt_kb_close(kb);
}

/* No bundled source keyed by DrugBank ID states aspirin + warfarin (ONC
** high-priority has no warfarin item, ONC non-interruptive no salicylate +
** anticoagulant item, NDF-RT's subset no such pair): ANSM and VA file 56 do,
** and they stay. */
TEST(join_aspirin_warfarin_keeps_ansm_and_va56)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    if (!kb)
        return;
    REQUIRE(check(kb, "aspirin", "warfarin", &r) == MT_OK);
    f = pair01(&r);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_CONTRAINDICATED);
    CHECK(ev(f, "ansm") != NULL);
    CHECK(ev(f, "va56") != NULL);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

/* Acetaminophen (RxTerms, RxCUI 161) joins DB00316 by its own name: ONC's
** item 18 (anticoagulants + acetaminophen, by DrugBank ID) and ANSM meet. */
TEST(join_acetaminophen_warfarin_has_ansm_and_onc)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    if (!kb)
        return;
    REQUIRE(check(kb, "acetaminophen", "warfarin", &r) == MT_OK);
    f = pair01(&r);
    REQUIRE(f);
    CHECK(ev(f, "ansm") != NULL);
    e = ev(f, "onc-nonint");
    REQUIRE(e);
    CHECK_CONTAINS(e->cite.record, "item 18");
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(join_amlodipine_simvastatin_has_ansm)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    if (!kb)
        return;
    REQUIRE(check(kb, "amlodipine", "simvastatin", &r) == MT_OK);
    f = pair01(&r);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_MODERATE);
    CHECK(ev(f, "ansm") != NULL);
    CHECK(ev(f, "va56") != NULL);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}
