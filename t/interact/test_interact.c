/*
** test_interact.c — the interaction checker's logic (lib/interact/) on the
** small hand-built model of ixmodel.c: resolution, severities and their
** sources, harm-reduction kept apart, tiers, duplications, class effects,
** anticholinergic burden, coverage, limits and allocation failures.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "interact/ixindex.h"
#include "interact/ixmodel.h"
#include "materia/interact.h"
#include "search/search_build.h"
#include "util/alloc.h"

/* The finding for inputs (a, b), or NULL. */
static const mt_check_finding *finding(const mt_check_result *r, uint32_t a, uint32_t b)
{
    uint32_t i;
    for (i = 0; i < r->nfindings; i++)
        if (r->findings[i].input_a == a && r->findings[i].input_b == b)
            return &r->findings[i];
    return NULL;
}

/* The evidence of source `src` in f, or NULL. */
static const mt_check_evidence *from(const mt_check_finding *f, const char *src)
{
    uint32_t i;
    for (i = 0; f && i < f->nev; i++)
        if (f->ev[i].cite.source && strcmp(f->ev[i].cite.source, src) == 0)
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

static const mt_check_source *source(const mt_check_result *r, const char *id)
{
    uint32_t i;
    for (i = 0; i < r->nsources; i++)
        if (strcmp(r->sources[i].id, id) == 0)
            return &r->sources[i];
    return NULL;
}

static int check2(mt_kb *kb, const char *a, const char *b, mt_check_result *r)
{
    const char *in[2];
    in[0] = a;
    in[1] = b;
    return mt_check(kb, in, 2, NULL, r);
}

TEST(interact_serotonin_syndrome_is_major_with_both_sources)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    REQUIRE(kb);

    /* The product's ingredient is the salt: the ANSM rule is on the
    ** ingredient (reached through the parent), NDF-RT's on the salt. */
    REQUIRE(check2(kb, "16714-0612-01", "methylene blue", &r) == MT_OK);
    CHECK_EQ_INT(r.nresolved, 2);
    CHECK_EQ_INT(r.inputs[0].how, MT_CHECK_BY_NDC);
    CHECK_STR(r.inputs[0].product_name, "sertraline 50 MG Oral Tablet");
    REQUIRE_EQ_INT(r.inputs[0].ning, 1);
    CHECK_STR(r.inputs[0].ings[0].name, "sertraline");
    CHECK_STR(r.inputs[0].ings[0].via_name, "sertraline hydrochloride");
    REQUIRE_EQ_INT(r.nfindings, 1);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK(f->severity >= MT_SEV_MAJOR);
    CHECK_EQ_INT(f->hr_severity, MT_CHECK_SEV_NONE);
    CHECK_EQ_INT(f->nev, 2);
    CHECK(!f->disagreement);
    CHECK(has_code(f, "DD"));
    e = from(f, "ansm");
    REQUIRE(e);
    CHECK_STR(e->level, "Association DECONSEILLEE");
    CHECK_CONTAINS(e->effect, "syndrome sérotoninergique");
    CHECK_STR(e->lang, "fr");
    CHECK_STR(e->cite.edition, "2020-10-20");
    CHECK_STR(e->cite.record, "2020-10-20 IMAO-A + ISRS");
    /* The rule's drugs are reported per input: input_b is methylene blue. */
    CHECK_STR(e->name_a, "sertraline");
    CHECK_STR(e->name_b, "methylene blue");
    e = from(f, "ndfrt");
    REQUIRE(e);
    CHECK_STR(e->level, "Critical");
    CHECK_STR(e->name_a, "sertraline hydrochloride");
    mt_check_result_free(&r);

    /* By brand: only the ingredient's rule applies. */
    REQUIRE(check2(kb, "Zoloft", "methylene blue", &r) == MT_OK);
    CHECK_STR(r.inputs[0].match_kind, "brand");
    CHECK_STR(r.inputs[0].cite.record, "BN 82112");
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_MAJOR);
    CHECK_EQ_INT(f->nev, 1);
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_contraindicated_interruptive_and_disagreeing)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const mt_check_finding *f;
    REQUIRE(kb);
    REQUIRE(check2(kb, "simvastatin", "clarithromycin", &r) == MT_OK);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_CONTRAINDICATED);
    CHECK_EQ_INT(f->tier, MT_TIER_INTERRUPTIVE);
    CHECK(f->disagreement);         /* ANSM contraindicated, ONC high-priority major */
    REQUIRE_EQ_INT(f->nev, 2);
    CHECK_STR(f->ev[0].cite.source, "ansm");   /* most severe first */
    CHECK_STR(f->ev[1].cite.source, "onc-high");
    CHECK_EQ_INT(f->ev[1].tier, MT_TIER_INTERRUPTIVE);
    CHECK_CONTAINS(f->ev[0].mechanism, "métabolisme hépatique");
    mt_check_result_free(&r);

    /* Input order does not change the finding, only which side is which. */
    REQUIRE(check2(kb, "clarithromycin", "simvastatin", &r) == MT_OK);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_CONTRAINDICATED);
    CHECK_STR(f->ev[0].name_a, "clarithromycin");
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_warfarin_ibuprofen_sources_disagree_visibly)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const mt_check_finding *f;
    REQUIRE(kb);
    REQUIRE(check2(kb, "warfarin", "ibuprofen", &r) == MT_OK);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_MAJOR);
    CHECK(f->disagreement);
    REQUIRE_EQ_INT(f->nev, 2);
    CHECK_EQ_INT(f->ev[0].severity, MT_SEV_MAJOR);
    CHECK_STR(f->ev[0].level, "Association DECONSEILLEE");
    CHECK_EQ_INT(f->ev[1].severity, MT_SEV_MODERATE);
    CHECK_STR(f->ev[1].level, "Significant");
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_tramadol_sertraline_graded_and_ungraded)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const mt_check_finding *f;
    const mt_check_evidence *e;
    REQUIRE(kb);
    REQUIRE(check2(kb, "tramadol", "sertraline", &r) == MT_OK);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_MINOR);
    CHECK(!f->disagreement);        /* an ungraded report is not a disagreement */
    e = from(f, "va56");
    REQUIRE(e);
    CHECK_EQ_INT(e->kind, MT_IX_PAIR_ONLY);
    /* Both are ANSM serotonergic: a class effect citing the memberships. */
    REQUIRE_EQ_INT(r.neffects, 1);
    CHECK_STR(r.effects[0].effect, "serotonergic");
    CHECK_EQ_INT(r.effects[0].nmembers, 2);
    CHECK_STR(r.effects[0].members[0].cite.source, "ansm");
    CHECK_CONTAINS(r.effects[0].members[0].cite.record, "SÉROTONINERGIQUE");
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_harm_reduction_never_raises_clinical_severity)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const mt_check_finding *f;
    const char *in[3] = { "ketamine", "alcohol", "Xanax" };
    REQUIRE(kb);
    REQUIRE(check2(kb, "ketamine", "alcohol", &r) == MT_OK);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_CHECK_SEV_NONE);
    CHECK_EQ_INT(f->hr_severity, MT_SEV_MAJOR);
    CHECK_EQ_INT(f->rank, MT_SEV_MAJOR);
    CHECK_STR(f->ev[0].level, "Dangerous");
    CHECK_EQ_INT(f->ev[0].kind, MT_IX_HARM_REDUCTION);
    CHECK(has_code(f, "OH"));       /* alcohol conflict, not drug-drug */
    CHECK(!has_code(f, "DD"));
    mt_check_result_free(&r);

    /* Through the TripSit class: alprazolam is a benzodiazepine. Alcohol +
    ** alprazolam has a clinical (ANSM) grading, ordered before the
    ** harm-reduction-only pair of the same rank. */
    REQUIRE(mt_check(kb, in, 3, NULL, &r) == MT_OK);
    f = finding(&r, 0, 2);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_CHECK_SEV_NONE);
    CHECK_EQ_INT(f->hr_severity, MT_SEV_MODERATE);
    CHECK_STR(f->ev[0].b_label, "benzodiazepines");
    f = finding(&r, 1, 2);
    REQUIRE(f);
    CHECK_EQ_INT(f->severity, MT_SEV_MAJOR);
    CHECK(has_code(f, "OH"));
    REQUIRE_EQ_INT(r.nfindings, 3);
    CHECK(r.findings[0].input_a == 1 && r.findings[0].input_b == 2);   /* clinical major */
    CHECK(r.findings[1].input_a == 0 && r.findings[1].input_b == 1);   /* harm-reduction major */
    CHECK(r.findings[2].input_a == 0 && r.findings[2].input_b == 2);   /* harm-reduction moderate */
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_unresolved_and_uncovered_are_reported)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const char *in[4] = { "sertralin", "zzqxv", "lactulose", "tramadol" };
    const mt_check_source *s;
    uint32_t i;
    int found = 0;
    REQUIRE(kb);
    REQUIRE(mt_check(kb, in, 4, NULL, &r) == MT_OK);
    /* A typo is never taken for the drug: unresolved, with a suggestion. */
    CHECK_EQ_INT(r.inputs[0].how, MT_CHECK_UNRESOLVED);
    CHECK_EQ_INT(r.inputs[0].ning, 0);
    for (i = 0; i < r.inputs[0].nsuggestions; i++)
        found |= strstr(r.inputs[0].suggestions[i], "sertraline") != NULL;
    CHECK(found);
    CHECK_EQ_INT(r.inputs[1].how, MT_CHECK_UNRESOLVED);
    REQUIRE_EQ_INT(r.nunresolved, 2);
    CHECK_EQ_INT(r.unresolved[0], 0);
    CHECK_EQ_INT(r.unresolved[1], 1);
    /* Lactulose resolves but no source has a rule on it. */
    REQUIRE_EQ_INT(r.nuncovered, 1);
    CHECK_EQ_INT(r.uncovered[0], 2);
    CHECK(!r.inputs[2].covered);
    CHECK(r.inputs[3].covered);
    CHECK_EQ_INT(r.nresolved, 2);
    CHECK_EQ_INT(r.nfindings, 0);
    /* Each interaction source is listed, with what it covers. */
    s = source(&r, "ansm");
    REQUIRE(s);
    REQUIRE_EQ_INT(s->ncovers, 1);
    CHECK_EQ_INT(s->covers[0], 3);
    s = source(&r, "tripsit");
    REQUIRE(s);
    CHECK_EQ_INT(s->ncovers, 0);
    CHECK(source(&r, "rxnorm") == NULL);
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_duplicate_ingredient_across_products)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const mt_check_finding *f;
    REQUIRE(kb);
    /* An NDC of plain acetaminophen and the brand of a combination. */
    REQUIRE(check2(kb, "50580-0449-01", "Norco", &r) == MT_OK);
    CHECK_EQ_INT(r.inputs[1].ning, 2);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    REQUIRE_EQ_INT(f->ndups, 1);
    CHECK_EQ_INT(f->dups[0].type, MT_DUP_INGREDIENT);
    CHECK_STR(f->dups[0].name_a, "acetaminophen");
    CHECK_STR(f->dups[0].cite_a.record, "NDC 50580-0449-01");
    CHECK(has_code(f, "ID"));
    CHECK_EQ_INT(f->nev, 0);
    CHECK_EQ_INT(f->severity, MT_CHECK_SEV_NONE);
    mt_check_result_free(&r);

    /* The combination's MIN stands for its ingredients; the product does not
    ** list it as a third one. */
    REQUIRE(check2(kb, "acetaminophen / hydrocodone", "Norco", &r) == MT_OK);
    REQUIRE_EQ_INT(r.inputs[0].ning, 2);
    CHECK_STR(r.inputs[0].ings[0].name, "acetaminophen");
    CHECK_STR(r.inputs[0].ings[1].name, "hydrocodone");
    CHECK_EQ_INT(r.inputs[1].ning, 2);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK_EQ_INT(f->ndups, 2);      /* acetaminophen twice, hydrocodone twice */
    mt_check_result_free(&r);

    /* The same by product RxCUI and by product name. */
    REQUIRE(check2(kb, "198440", "acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet [Norco]", &r)
            == MT_OK);
    CHECK_EQ_INT(r.inputs[0].how, MT_CHECK_BY_RXCUI);
    CHECK_STR(r.inputs[0].product_name, "acetaminophen 500 MG Oral Tablet");
    CHECK_EQ_INT(r.inputs[1].ning, 2);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    CHECK(has_code(f, "ID"));
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_therapeutic_duplication_by_class_and_noninterruptive_tier)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const mt_check_finding *f;
    REQUIRE(kb);
    REQUIRE(check2(kb, "ibuprofen", "naproxen", &r) == MT_OK);
    f = finding(&r, 0, 1);
    REQUIRE(f);
    REQUIRE_EQ_INT(f->ndups, 1);
    CHECK_EQ_INT(f->dups[0].type, MT_DUP_CLASS);
    CHECK_STR(f->dups[0].class_type, "EPC");
    CHECK_STR(f->dups[0].class_name, "Nonsteroidal Anti-inflammatory Drug");
    CHECK_STR(f->dups[0].cite_a.source, "drugcentral");
    CHECK_STR(f->dups[0].cite_b.record, "naproxen in Nonsteroidal Anti-inflammatory Drug");
    CHECK(has_code(f, "TD"));
    /* ONC non-interruptive: shown, tiered down, not hidden. */
    CHECK_EQ_INT(f->tier, MT_TIER_NONINTERRUPTIVE);
    CHECK_EQ_INT(f->severity, MT_SEV_UNKNOWN);
    CHECK_EQ_INT(f->nev, 1);
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_sedative_class_effect_and_acb_sum)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    const char *in[4] = { "alprazolam", "amitriptyline", "Norco", "ranitidine" };
    uint32_t i;
    REQUIRE(kb);
    REQUIRE(mt_check(kb, in, 4, NULL, &r) == MT_OK);
    REQUIRE_EQ_INT(r.neffects, 1);
    CHECK_STR(r.effects[0].effect, "sedative");
    CHECK_STR(r.effects[0].class_name, "MÉDICAMENTS SÉDATIFS");
    REQUIRE_EQ_INT(r.effects[0].nmembers, 3);
    CHECK_EQ_INT(r.effects[0].members[2].input, 2);
    CHECK_STR(r.effects[0].members[2].name, "hydrocodone");
    /* Amitriptyline 3 (ACB scale) + ranitidine 1 (majority vote; the
    ** single Carnahan score of 2 is not preferred) + acetaminophen 0. */
    CHECK_EQ_INT(r.acb.total, 4);
    CHECK(r.acb.alert);
    CHECK_EQ_INT(r.acb.threshold, 3);
    CHECK_EQ_INT(r.acb.nitems, 3);
    for (i = 0; i < r.acb.nitems; i++) {
        if (strcmp(r.acb.items[i].name, "amitriptyline") == 0) {
            CHECK_STR(r.acb.items[i].scale, "Boustani2008");
            CHECK_EQ_INT(r.acb.items[i].score, 3);
        } else if (strcmp(r.acb.items[i].name, "ranitidine") == 0) {
            CHECK_STR(r.acb.items[i].scale, "MajVote");
            CHECK_STR(r.acb.items[i].cite.source, "acb");
        }
    }
    REQUIRE_EQ_INT(r.acb.nunscored, 1);
    CHECK_EQ_INT(r.acb.unscored[0], 0);     /* alprazolam has no score */
    mt_check_result_free(&r);

    /* Under the threshold: the sum is still given, without an alert. */
    REQUIRE(check2(kb, "ranitidine", "warfarin", &r) == MT_OK);
    CHECK_EQ_INT(r.acb.total, 1);
    CHECK(!r.acb.alert);
    CHECK_EQ_INT(r.neffects, 0);
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_codes_resolve)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    REQUIRE(kb);
    REQUIRE(check2(kb, "36567", "  CLARITHROMYCIN ", &r) == MT_OK);
    CHECK_EQ_INT(r.inputs[0].how, MT_CHECK_BY_RXCUI);
    CHECK_STR(r.inputs[0].ings[0].name, "simvastatin");
    CHECK_STR(r.inputs[0].matched, "RXCUI 36567");
    CHECK_EQ_INT(r.inputs[1].how, MT_CHECK_BY_NAME);
    CHECK_STR(r.inputs[1].tier, "exact");
    CHECK_EQ_INT(r.nfindings, 1);
    mt_check_result_free(&r);
    REQUIRE(check2(kb, "99999999", "", &r) == MT_OK);
    CHECK_EQ_INT(r.nunresolved, 2);
    CHECK_STR(r.inputs[1].why, "empty input");
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_limits)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    static const char *const names[] = { "sertraline", "methylene blue", "simvastatin", "clarithromycin",
        "warfarin", "ibuprofen", "naproxen", "tramadol", "ketamine", "alprazolam", "alcohol",
        "acetaminophen", "Norco", "amitriptyline", "ranitidine", "lactulose", "nothing-at-all" };
    const char *in[MT_CHECK_MAX_INPUTS + 1];
    mt_check_opts opts;
    uint32_t i, n = (uint32_t)(sizeof(names) / sizeof(names[0]));
    REQUIRE(kb);
    for (i = 0; i <= MT_CHECK_MAX_INPUTS; i++)
        in[i] = names[i % n];
    CHECK(mt_check(kb, in, 0, NULL, &r) == MT_EINVAL);
    CHECK(mt_check(kb, in, MT_CHECK_MAX_INPUTS + 1, NULL, &r) == MT_ELIMIT);
    CHECK(r.priv_ == NULL);
    REQUIRE(mt_check(kb, in, MT_CHECK_MAX_INPUTS, NULL, &r) == MT_OK);
    CHECK_EQ_INT(r.ninputs, MT_CHECK_MAX_INPUTS);
    /* 200 inputs of 17 names: every repeated name is an ingredient duplicate. */
    CHECK(r.nfindings > 1000);
    /* The work is per key drug, not per pair of inputs. */
    CHECK(r.stat_keys <= 20);
    CHECK(r.stat_probes < 400);
    mt_check_result_free(&r);
    /* One input is allowed (a combination's own ingredients are not paired). */
    REQUIRE(mt_check(kb, in + 12, 1, NULL, &r) == MT_OK);
    CHECK_EQ_INT(r.nfindings, 0);
    mt_check_result_free(&r);
    /* A memory limit too small for the check. */
    memset(&opts, 0, sizeof(opts));
    opts.mem_limit = 4096;
    CHECK(mt_check(kb, in, MT_CHECK_MAX_INPUTS, &opts, &r) == MT_ELIMIT);
    mt_check_result_free(&r);
    ixm_close(kb, path);
}

TEST(interact_without_own_sections_gives_the_same_answer)
{
    static const mt_kb_section_hook search_only[] = { mt_search_kb_sections, NULL };
    char p1[256], p2[256];
    ixm x;
    mt_kb *a = ixm_open(NULL, p1, &x), *b = ixm_open(search_only, p2, &x);
    mt_check_result ra, rb;
    const char *in[8] = { "Zoloft", "methylene blue", "tramadol", "ketamine", "856999", "alcohol",
                          "ibuprofen", "naproxen" };
    uint32_t i, j;
    REQUIRE(a && b);
    REQUIRE(mt_check(a, in, 8, NULL, &ra) == MT_OK);
    REQUIRE(mt_check(b, in, 8, NULL, &rb) == MT_OK);
    REQUIRE_EQ_INT(ra.nfindings, rb.nfindings);
    CHECK_EQ_INT(ra.nfindings, 4);
    for (i = 0; i < ra.nfindings; i++) {
        const mt_check_finding *fa = &ra.findings[i], *fb = &rb.findings[i];
        CHECK(fa->input_a == fb->input_a && fa->input_b == fb->input_b);
        CHECK_EQ_INT(fa->severity, fb->severity);
        CHECK_EQ_INT(fa->ndups, fb->ndups);
        REQUIRE_EQ_INT(fa->ndur, fb->ndur);
        for (j = 0; j < fa->ndur; j++)
            CHECK_STR(fa->dur[j], fb->dur[j]);
    }
    /* Class roles and non-drug codes come from the sections or the strings. */
    REQUIRE_EQ_INT(ra.neffects, 1);
    REQUIRE_EQ_INT(rb.neffects, 1);
    CHECK_STR(ra.effects[0].effect, rb.effects[0].effect);
    CHECK_EQ_INT(ra.nsources, rb.nsources);
    for (i = 0; i < ra.nsources && i < rb.nsources; i++) {
        CHECK_STR(ra.sources[i].id, rb.sources[i].id);
        CHECK_EQ_INT(ra.sources[i].ncovers, rb.sources[i].ncovers);
        for (j = 0; j < ra.sources[i].ncovers && j < rb.sources[i].ncovers; j++)
            CHECK_EQ_INT(ra.sources[i].covers[j], rb.sources[i].covers[j]);
    }
    /* Without the product index, a product RxCUI is still found through search. */
    CHECK_EQ_INT(ra.inputs[4].ning, 2);
    CHECK_EQ_INT(rb.inputs[4].how != MT_CHECK_UNRESOLVED, 1);
    mt_check_result_free(&ra);
    mt_check_result_free(&rb);
    ixm_close(a, p1);
    ixm_close(b, p2);
}

TEST(interact_allocation_failures_unwind)
{
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    const char *in[6] = { "Zoloft", "methylene blue", "tramadol", "sertralin", "Norco", "alcohol" };
    long n;
    int ok = 0;
    uint32_t want;
    mt_check_result full;
    REQUIRE(kb);
    REQUIRE(mt_check(kb, in, 6, NULL, &full) == MT_OK);
    want = full.nfindings;
    CHECK_EQ_INT(want, 2);
    mt_check_result_free(&full);
    for (n = 0; n < 200 && !ok; n++) {
        mt_check_result r;
        int rc;
        mt_alloc_fail_after(n);
        rc = mt_check(kb, in, 6, NULL, &r);
        mt_alloc_fail_after(-1);
        if (rc == MT_OK) {
            ok = 1;
            CHECK_EQ_INT(r.nfindings, want);
            CHECK(n > 0);
        } else {
            CHECK_EQ_INT(rc, MT_ENOMEM);
            CHECK(r.priv_ == NULL && r.nfindings == 0);
        }
        mt_check_result_free(&r);
    }
    CHECK(ok);
    ixm_close(kb, path);
}
