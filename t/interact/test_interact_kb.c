/*
** test_interact_kb.c — the interaction checker on the knowledge base built
** from the bundled sources ($MATERIA_TEST_KB; skipped when unset): the cases
** of issue 3, each against what the sources say.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "materia/interact.h"

static int check(mt_kb *kb, const char *a, const char *b, mt_check_result *r)
{
    const char *in[2];
    in[0] = a;
    in[1] = b;
    return mt_check(kb, in, 2, NULL, r);
}

static const mt_check_finding *pair(const mt_check_result *r, uint32_t a, uint32_t b)
{
    uint32_t i;
    for (i = 0; i < r->nfindings; i++)
        if (r->findings[i].input_a == a && r->findings[i].input_b == b)
            return &r->findings[i];
    return NULL;
}

/* The first evidence of source src (and level, when given). */
static const mt_check_evidence *ev(const mt_check_finding *f, const char *src, const char *level)
{
    uint32_t i;
    for (i = 0; f && i < f->nev; i++)
        if (f->ev[i].cite.source && strcmp(f->ev[i].cite.source, src) == 0 &&
            (!level || (f->ev[i].level && strcmp(f->ev[i].level, level) == 0)))
            return &f->ev[i];
    return NULL;
}

static int has_code(const mt_check_finding *f, const char *code)
{
    uint32_t i;
    for (i = 0; f && i < f->ndur; i++)
        if (strcmp(f->dur[i], code) == 0)
            return 1;
    return 0;
}

TEST(interact_kb_sertraline_methylene_blue)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    if (!kb)
        return;
    REQUIRE(check(kb, "sertraline", "methylene blue", &r) == MT_OK);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    CHECK(f->severity >= MT_SEV_MAJOR);
    CHECK(has_code(f, "DD"));
    /* ANSM: reversible MAO-A inhibitors including methylene blue + SSRIs. */
    e = ev(f, "ansm", "Association DECONSEILLEE");
    REQUIRE(e);
    CHECK_EQ_INT(e->severity, MT_SEV_MAJOR);
    CHECK_CONTAINS(e->a_label, "BLEU DE MÉTHYLÈNE");
    CHECK(e->effect && (strstr(e->effect, "serotonin") || strstr(e->effect, "sérotoninergique")));
    CHECK(e->cite.record != NULL);
    /* Both are in ANSM's serotonergic class. */
    REQUIRE(r.neffects >= 1);
    CHECK_STR(r.effects[0].effect, "serotonergic");
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_simvastatin_clarithromycin_contraindicated)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    if (!kb)
        return;
    REQUIRE(check(kb, "simvastatin", "clarithromycin", &r) == MT_OK);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_CONTRAINDICATED);
    CHECK(ev(f, "ansm", "CONTRE-INDICATION") != NULL);
    /* ONC high-priority: statins + strong CYP3A4 inhibitors, always interrupt. */
    CHECK(ev(f, "onc-high", NULL) != NULL);
    CHECK_EQ_INT(f->tier, MT_TIER_INTERRUPTIVE);
    CHECK(f->disagreement);     /* ANSM contraindicated, NDF-RT / ONC major */
    CHECK_EQ_INT(f->ev[0].severity, MT_SEV_CONTRAINDICATED);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_warfarin_ibuprofen)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    if (!kb)
        return;
    REQUIRE(check(kb, "warfarin", "ibuprofen", &r) == MT_OK);
    CHECK_EQ_INT(r.inputs[0].ning, 1);   /* not also (R)- and (S)-warfarin */
    CHECK(!r.inputs[0].ambiguous);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    CHECK(f->severity >= MT_SEV_MAJOR);
    e = ev(f, "ansm", NULL);
    REQUIRE(e);
    CHECK_STR(e->a_label, "ANTICOAGULANTS ORAUX");
    CHECK(e->b_label && strstr(e->b_label, "ANTI-INFLAMMATOIRES"));
    CHECK(e->effect && (strstr(e->effect, "hemorrhage") || strstr(e->effect, "hémorragique")));
    CHECK(ev(f, "va56", NULL) != NULL);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_tramadol_sertraline)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    if (!kb)
        return;
    REQUIRE(check(kb, "tramadol", "sertraline", &r) == MT_OK);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    CHECK(f->severity >= MT_SEV_MINOR);
    CHECK(ev(f, "ansm", NULL) != NULL);
    /* TripSit's SSRIs + tramadol "Dangerous" is shown, as harm reduction:
    ** it ranks the pair but does not change the clinical severity. */
    e = ev(f, "tripsit", "Dangerous");
    REQUIRE(e);
    CHECK_EQ_INT(e->kind, MT_IX_HARM_REDUCTION);
    CHECK_EQ_INT(f->hr_severity, MT_SEV_MAJOR);
    CHECK(f->severity < MT_SEV_MAJOR);
    CHECK_EQ_INT(f->rank, MT_SEV_MAJOR);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_ketamine_alcohol_harm_reduction)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    if (!kb)
        return;
    REQUIRE(check(kb, "ketamine", "alcohol", &r) == MT_OK);
    CHECK_EQ_INT(r.nresolved, 2);
    CHECK_EQ_INT(r.inputs[0].ning, 1);   /* ketamine, not esketamine too */
    f = pair(&r, 0, 1);
    REQUIRE(f);
    e = ev(f, "tripsit", "Dangerous");
    REQUIRE(e);
    CHECK_EQ_INT(e->kind, MT_IX_HARM_REDUCTION);
    CHECK_EQ_INT(f->hr_severity, MT_SEV_MAJOR);
    CHECK_EQ_INT(f->severity, MT_CHECK_SEV_NONE);   /* no clinical source grades it */
    CHECK(has_code(f, "OH"));
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_ketamine_alprazolam_through_benzodiazepines)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    if (!kb)
        return;
    REQUIRE(check(kb, "ketamine", "alprazolam", &r) == MT_OK);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    e = ev(f, "tripsit", NULL);
    REQUIRE(e);
    CHECK(strstr(e->a_label ? e->a_label : "", "benzodiazepines") ||
          strstr(e->b_label ? e->b_label : "", "benzodiazepines"));
    CHECK_STR(e->level, "Caution");
    CHECK_STR(e->name_b, "alprazolam");
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_unresolved_and_uncovered)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const char *in[4] = { "sertralin", "qqzzxv", "lactulose", "sertraline" };
    uint32_t i;
    int found = 0;
    if (!kb)
        return;
    REQUIRE(mt_check(kb, in, 4, NULL, &r) == MT_OK);
    CHECK_EQ_INT(r.nunresolved, 2);
    CHECK_EQ_INT(r.inputs[0].how, MT_CHECK_UNRESOLVED);
    for (i = 0; i < r.inputs[0].nsuggestions; i++)
        found |= strstr(r.inputs[0].suggestions[i], "sertraline") != NULL;
    CHECK(found);
    CHECK_EQ_INT(r.inputs[1].how, MT_CHECK_UNRESOLVED);
    /* Lactulose is known to the vocabulary but to no interaction source. */
    CHECK_EQ_INT(r.inputs[2].how, MT_CHECK_BY_NAME);
    REQUIRE_EQ_INT(r.nuncovered, 1);
    CHECK_EQ_INT(r.uncovered[0], 2);
    CHECK(r.inputs[3].covered);
    /* Every interaction source is listed, covering input 3 or not. */
    found = 0;
    for (i = 0; i < r.nsources; i++)
        if (strcmp(r.sources[i].id, "ansm") == 0)
            found = r.sources[i].ncovers == 1 && r.sources[i].covers[0] == 3;
    CHECK(found);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_duplicate_therapy_across_products)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const mt_check_finding *f;
    /* An NDC of Excedrin Tension Headache (acetaminophen + caffeine) and the
    ** RxCUI of acetaminophen / butalbital tablets. */
    if (!kb)
        return;
    REQUIRE(check(kb, "00067204524", "197426", &r) == MT_OK);
    CHECK_EQ_INT(r.inputs[0].how, MT_CHECK_BY_NDC);
    CHECK_EQ_INT(r.inputs[1].how, MT_CHECK_BY_RXCUI);
    CHECK_EQ_INT(r.inputs[0].ning, 2);
    CHECK_EQ_INT(r.inputs[1].ning, 2);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    REQUIRE(f->ndups >= 1);
    CHECK_EQ_INT(f->dups[0].type, MT_DUP_INGREDIENT);
    CHECK_STR(f->dups[0].name_a, "acetaminophen");
    CHECK(has_code(f, "ID"));
    mt_check_result_free(&r);

    /* A multiple-ingredient concept is its ingredients. */
    REQUIRE(check(kb, "acetaminophen / hydrocodone", "Tylenol", &r) == MT_OK);
    CHECK_EQ_INT(r.inputs[0].ning, 2);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    CHECK(has_code(f, "ID"));
    mt_check_result_free(&r);

    /* Two NSAIDs: the same EPC class. */
    REQUIRE(check(kb, "ibuprofen", "naproxen", &r) == MT_OK);
    f = pair(&r, 0, 1);
    REQUIRE(f);
    CHECK(has_code(f, "TD"));
    mt_check_result_free(&r);
    mt_kb_close(kb);
}

TEST(interact_kb_200_drugs_and_201)
{
    mt_kb *kb = mt_test_open_kb();
    mt_check_result r;
    const char *in[MT_CHECK_MAX_INPUTS + 1];
    char codes[MT_CHECK_MAX_INPUTS + 1][16];
    const kb_drug *d;
    uint32_t n, i, k = 0, total = 0, step, seen = 0;
    if (!kb)
        return;
    /* 201 ingredients with interactions, by RxCUI, spread over the table. */
    d = mt_kb_drugs(kb, &n);
    for (i = 0; i < n; i++)
        total += d[i].rxcui && d[i].kind == MT_DRUG_INGREDIENT && d[i].interactions.count;
    step = total / (MT_CHECK_MAX_INPUTS + 1);
    REQUIRE(step >= 1);
    for (i = 0; i < n && k <= MT_CHECK_MAX_INPUTS; i++) {
        if (!(d[i].rxcui && d[i].kind == MT_DRUG_INGREDIENT && d[i].interactions.count))
            continue;
        if (seen++ % step)
            continue;
        snprintf(codes[k], sizeof(codes[k]), "%u", d[i].rxcui);
        in[k] = codes[k];
        k++;
    }
    REQUIRE_EQ_INT(k, MT_CHECK_MAX_INPUTS + 1);
    CHECK_EQ_INT(mt_check(kb, in, MT_CHECK_MAX_INPUTS + 1, NULL, &r), MT_ELIMIT);
    REQUIRE(mt_check(kb, in, MT_CHECK_MAX_INPUTS, NULL, &r) == MT_OK);
    CHECK_EQ_INT(r.nresolved, MT_CHECK_MAX_INPUTS);
    CHECK(r.nfindings > 50);
    /* Findings come most severe first. */
    for (i = 1; i < r.nfindings; i++)
        CHECK(r.findings[i - 1].rank >= r.findings[i].rank);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}
