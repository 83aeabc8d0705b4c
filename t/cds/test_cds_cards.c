/*
** test_cds_cards.c — CDS Hooks cards (lib/cds/cds_cards.c) on the small
** interaction model of t/interact/ixmodel.c: one card per interacting pair
** with a new order, each source's own rating and record in the detail, the
** indicator mapping, harm reduction kept apart, pairs among current
** medications left out, "not checked" and "not covered" cards, candidate
** fallback, Markdown escaping, summary length, allocation failures.
*/
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cds/cds_cards.h"
#include "cds/cds_request.h"
#include "harness.h"
#include "interact/ixmodel.h"
#include "util/alloc.h"
#include "util/buf.h"

#define RX(code)  "{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"" code "\"}]}"
#define NDC(code) "{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/ndc\",\"code\":\"" code "\"}]}"
#define TXT(text) "{\"text\":\"" text "\"}"

typedef struct run {
    mt_arena       a;
    mt_cds_request r;
    mt_buf         out;
    json_t        *doc;
    json_t        *cards;
} run;

/* An order-sign request: drafts and current medications given as
** medicationCodeableConcept JSON (NULL-terminated lists). */
static void body_of(mt_buf *b, const char *const *drafts, const char *const *current)
{
    size_t i;
    mt_buf_puts(b, "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
                   "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[");
    for (i = 0; drafts && drafts[i]; i++)
        mt_buf_printf(b, "%s{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"d%zu\","
                         "\"medicationCodeableConcept\":%s}}", i ? "," : "", i, drafts[i]);
    mt_buf_puts(b, "]}},\"prefetch\":{\"medications\":{\"resourceType\":\"Bundle\",\"entry\":[");
    for (i = 0; current && current[i]; i++)
        mt_buf_printf(b, "%s{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"c%zu\",\"status\":\"active\","
                         "\"medicationCodeableConcept\":%s}}", i ? "," : "", i, current[i]);
    mt_buf_puts(b, "]}}}");
}

static int respond(mt_kb *kb, const char *const *drafts, const char *const *current, run *u)
{
    mt_buf body;
    mt_cds_error e;
    json_error_t jerr;
    int rc;

    memset(u, 0, sizeof(*u));
    mt_arena_init(&u->a, 4096, 0);
    mt_buf_init(&u->out, 8u << 20);
    mt_buf_init(&body, 1u << 20);
    body_of(&body, drafts, current);
    rc = mt_cds_request_parse(body.data, body.len, MT_CDS_ORDER_SIGN, &u->a, &u->r, &e);
    mt_buf_free(&body);
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "parse: %s: %s", e.field, e.message);
        return rc;
    }
    rc = mt_cds_respond(kb, &u->r, &u->out);
    if (rc != MT_OK)
        return rc;
    u->doc = json_loadb(u->out.data, u->out.len, 0, &jerr);
    u->cards = json_object_get(u->doc, "cards");
    if (!json_is_array(u->cards)) {
        mt_test_fail(__FILE__, __LINE__, "not a CDS response: %s", jerr.text);
        return MT_EFORMAT;
    }
    return MT_OK;
}

static void run_free(run *u)
{
    json_decref(u->doc);
    mt_buf_free(&u->out);
    mt_arena_free(&u->a);
}

static const char *cstr(json_t *card, const char *key)
{
    return json_string_value(json_object_get(card, key));
}

static const char *topic(json_t *card)
{
    return json_string_value(json_object_get(json_object_get(json_object_get(card, "source"), "topic"), "code"));
}

static const char *label(json_t *card)
{
    return json_string_value(json_object_get(json_object_get(card, "source"), "label"));
}

/* The n-th card of this topic, or NULL. */
static json_t *card_of(const run *u, const char *code, size_t n)
{
    size_t i;
    json_t *c;
    json_array_foreach(u->cards, i, c)
        if (topic(c) && strcmp(topic(c), code) == 0 && n-- == 0)
            return c;
    return NULL;
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (; hay && (hay = strstr(hay, needle)); hay += strlen(needle))
        n++;
    return n;
}

/* Every card has what CDS Hooks requires, and the response says the
** disclaimer once. */
static void check_shape(const run *u)
{
    size_t i;
    json_t *c;
    int disclaimers = 0;
    json_array_foreach(u->cards, i, c) {
        const char *id = cstr(c, "uuid"), *sum = cstr(c, "summary"), *ind = cstr(c, "indicator");
        CHECK(id && strlen(id) == 36 && id[14] == '4' && strchr("89ab", id[19]));
        CHECK(sum && *sum && strlen(sum) < 140);
        CHECK(ind && (!strcmp(ind, "info") || !strcmp(ind, "warning") || !strcmp(ind, "critical")));
        CHECK(label(c) && strncmp(label(c), "Materia", 7) == 0);
        CHECK(cstr(c, "detail") && *cstr(c, "detail"));
        disclaimers += count(cstr(c, "detail"), "does not replace a clinician or pharmacist");
    }
    CHECK_EQ_INT(disclaimers, json_array_size(u->cards) ? 1 : 0);
    CHECK(!json_object_get(u->doc, "systemActions"));   /* optional and empty: omitted */
}

TEST(cds_cards_interaction_cites_each_source)
{
    static const char *const drafts[] = { RX("11289"), NULL };
    static const char *const current[] = { TXT("ibuprofen"), NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    run u;
    json_t *c;
    const char *d;

    REQUIRE(kb);
    REQUIRE_EQ_INT(respond(kb, drafts, current, &u), MT_OK);
    check_shape(&u);
    CHECK_EQ_INT(json_array_size(u.cards), 1);
    c = card_of(&u, "interaction", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "indicator"), "critical");
    CHECK_STR(cstr(c, "summary"), "Major interaction: warfarin + ibuprofen");
    CHECK_STR(label(c), "Materia: ansm, ndfrt");
    d = cstr(c, "detail");
    CHECK_CONTAINS(d, "draft order *RxNorm 11289* (MedicationRequest/d0): warfarin, matched by RXCUI 11289");
    CHECK_CONTAINS(d, "current medication *ibuprofen* (MedicationRequest/c0): ibuprofen, matched by name");
    CHECK_CONTAINS(d, "Severity on Materia's scale: **major**");
    /* each source's own level, its mapped severity, edition and record */
    CHECK_CONTAINS(d, "**ANSM Thésaurus des interactions médicamenteuses** (2020-10-20): "
                      "\"Association DECONSEILLEE\" = major");
    CHECK_CONTAINS(d, "Record: ansm: 2020-10-20 AVK + AINS");
    CHECK_CONTAINS(d, "(Text in French.)");
    CHECK_CONTAINS(d, "**NDF-RT VA DDI subset** (2014): \"Significant\" = moderate");
    CHECK_CONTAINS(d, "Record: ndfrt: row 1001");
    CHECK_CONTAINS(d, "The clinical sources grade this pair differently");
    run_free(&u);
    ixm_close(kb, path);
}

TEST(cds_cards_pairs_among_current_medications_are_not_the_orders_business)
{
    /* warfarin + ibuprofen interact, but both are current; the draft
    ** (tramadol) is covered with each by ANSM, which has no rule: nothing. */
    static const char *const drafts[] = { TXT("tramadol"), NULL };
    static const char *const current[] = { TXT("warfarin"), TXT("ibuprofen"), NULL };
    static const char *const none[] = { NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    run u;

    REQUIRE(kb);
    REQUIRE_EQ_INT(respond(kb, drafts, current, &u), MT_OK);
    CHECK_EQ_INT(json_array_size(u.cards), 0);
    CHECK_STR(u.out.data, "{\"cards\":[]}");
    run_free(&u);
    /* no new order at all: nothing is checked */
    REQUIRE_EQ_INT(respond(kb, none, current, &u), MT_OK);
    CHECK_EQ_INT(json_array_size(u.cards), 0);
    run_free(&u);
    ixm_close(kb, path);
}

TEST(cds_cards_indicator_from_severity_and_harm_reduction)
{
    static const char *const simva[] = { TXT("simvastatin"), NULL };
    static const char *const clari[] = { TXT("clarithromycin"), NULL };
    static const char *const ket[] = { TXT("ketamine"), NULL };
    static const char *const alc[] = { TXT("ethanol"), NULL };
    static const char *const ser[] = { TXT("Zoloft"), NULL };
    static const char *const tram[] = { TXT("tramadol"), NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    run u;
    json_t *c;

    REQUIRE(kb);
    REQUIRE_EQ_INT(respond(kb, simva, clari, &u), MT_OK);
    check_shape(&u);
    c = card_of(&u, "interaction", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "summary"), "Contraindicated combination: simvastatin + clarithromycin");
    CHECK_STR(cstr(c, "indicator"), "critical");
    CHECK_CONTAINS(cstr(c, "detail"), "\"CONTRE-INDICATION\" = contraindicated");
    CHECK_CONTAINS(cstr(c, "detail"), "\"High priority (always interrupt)\" = major (an alerting policy: interruptive)");
    run_free(&u);

    /* only TripSit has ketamine + alcohol: shown, as a harm-reduction rating */
    REQUIRE_EQ_INT(respond(kb, ket, alc, &u), MT_OK);
    check_shape(&u);
    c = card_of(&u, "interaction", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "summary"), "Ketamine + alcohol: major per a harm-reduction source (no clinical grading)");
    CHECK_STR(cstr(c, "indicator"), "warning");
    CHECK_CONTAINS(cstr(c, "detail"), "No clinical source has this pair.");
    CHECK_CONTAINS(cstr(c, "detail"), "\"Dangerous\" = major (a harm-reduction rating, not a clinical one)");
    CHECK_STR(label(c), "Materia: tripsit");
    run_free(&u);

    /* ANSM minor and VA file 56 ungraded: info */
    REQUIRE_EQ_INT(respond(kb, ser, tram, &u), MT_OK);
    c = card_of(&u, "interaction", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "summary"), "Minor interaction: sertraline + tramadol");
    CHECK_STR(cstr(c, "indicator"), "info");
    CHECK_CONTAINS(cstr(c, "detail"), "matched by name \"Zoloft\"");
    run_free(&u);

    CHECK_STR(mt_cds_indicator(MT_SEV_CONTRAINDICATED, MT_CHECK_SEV_NONE), "critical");
    CHECK_STR(mt_cds_indicator(MT_SEV_MAJOR, MT_CHECK_SEV_NONE), "critical");
    CHECK_STR(mt_cds_indicator(MT_SEV_MODERATE, MT_SEV_MAJOR), "warning");
    CHECK_STR(mt_cds_indicator(MT_SEV_MINOR, MT_CHECK_SEV_NONE), "info");
    CHECK_STR(mt_cds_indicator(MT_SEV_MINOR, MT_SEV_MAJOR), "warning");
    CHECK_STR(mt_cds_indicator(MT_SEV_UNKNOWN, MT_SEV_MINOR), "info");
    CHECK_STR(mt_cds_indicator(MT_CHECK_SEV_NONE, MT_SEV_MAJOR), "warning");
    CHECK_STR(mt_cds_indicator(MT_CHECK_SEV_NONE, MT_SEV_MODERATE), "warning");
    CHECK_STR(mt_cds_indicator(MT_CHECK_SEV_NONE, MT_SEV_MINOR), "info");
    ixm_close(kb, path);
}

TEST(cds_cards_unresolved_medications_and_candidate_fallback)
{
    /* the RxNorm code is unknown: the text resolves it, and the card says so */
    static const char *const drafts[] = {
        "{\"coding\":[{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"99999999\"}],"
        "\"text\":\"warfarin\"}", NULL };
    static const char *const current[] = { TXT("ibuprofen"), TXT("sertralinx"), NDC("1234-5678-90"), NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    run u;
    json_t *c;
    const char *d;

    REQUIRE(kb);
    REQUIRE_EQ_INT(respond(kb, drafts, current, &u), MT_OK);
    check_shape(&u);
    c = card_of(&u, "interaction", 0);
    REQUIRE(c);
    CHECK_CONTAINS(cstr(c, "detail"), "warfarin, matched by name \"warfarin\"; not found first: RxNorm 99999999");
    c = card_of(&u, "not-checked", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "indicator"), "info");
    CHECK_STR(cstr(c, "summary"), "Not checked: 2 medications could not be identified");
    d = cstr(c, "detail");
    CHECK_CONTAINS(d, "This is not \"no interaction\"");
    CHECK_CONTAINS(d, "current medication *sertralinx* (MedicationRequest/c1): tried text \"sertralinx\" "
                      "(no exact or normalized match). Did you mean (not used for the check): sertraline");
    CHECK_CONTAINS(d, "*NDC 1234-5678-90* (MedicationRequest/c2): tried NDC \"1234-5678-90\"");
    CHECK_EQ_INT(json_array_size(u.cards), 2);
    run_free(&u);
    ixm_close(kb, path);
}

TEST(cds_cards_no_data_is_not_no_interaction)
{
    static const char *const warfarin[] = { TXT("warfarin"), NULL };
    static const char *const naproxen[] = { TXT("naproxen"), NULL };
    static const char *const lactulose[] = { TXT("lactulose"), NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    run u;
    json_t *c;

    REQUIRE(kb);
    /* both covered, but by different sources: no source could have said */
    REQUIRE_EQ_INT(respond(kb, warfarin, naproxen, &u), MT_OK);
    check_shape(&u);
    REQUIRE_EQ_INT(json_array_size(u.cards), 1);
    c = card_of(&u, "not-covered", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "summary"), "No interaction data for warfarin + naproxen: no bundled source covers both");
    CHECK_STR(cstr(c, "indicator"), "info");
    CHECK_CONTAINS(cstr(c, "detail"), "**warfarin** + **naproxen**: no single source covers both "
                                      "(warfarin: ansm, ndfrt; naproxen: onc-nonint)");
    run_free(&u);
    /* a drug no source has any rule on */
    REQUIRE_EQ_INT(respond(kb, lactulose, warfarin, &u), MT_OK);
    REQUIRE_EQ_INT(json_array_size(u.cards), 1);
    c = card_of(&u, "not-covered", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "summary"), "No interaction data for lactulose: no bundled source covers it");
    CHECK_CONTAINS(cstr(c, "detail"), "draft order *lactulose* (MedicationRequest/d0): lactulose, matched by name "
                                      "\"lactulose\". No interaction source has a rule on it.");
    run_free(&u);
    /* a lone draft: no pair, nothing to say */
    REQUIRE_EQ_INT(respond(kb, lactulose, NULL, &u), MT_OK);
    CHECK_EQ_INT(json_array_size(u.cards), 0);
    run_free(&u);
    ixm_close(kb, path);
}

TEST(cds_cards_duplicate_therapy)
{
    /* Norco (acetaminophen + hydrocodone) by NDC, and acetaminophen 500 mg by NDC */
    static const char *const drafts[] = { NDC("0591-0385-01"), NULL };
    static const char *const current[] = { NDC("50580-0449-01"), TXT("naproxen"), NULL };
    static const char *const ibu[] = { TXT("ibuprofen"), NULL };
    static const char *const nap[] = { TXT("naproxen"), NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    run u;
    json_t *c;

    REQUIRE(kb);
    REQUIRE_EQ_INT(respond(kb, drafts, current, &u), MT_OK);
    check_shape(&u);
    c = card_of(&u, "duplication", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "summary"), "Duplicate therapy: both contain acetaminophen");
    CHECK_STR(cstr(c, "indicator"), "info");
    CHECK_CONTAINS(cstr(c, "detail"), "Same ingredient in both: **acetaminophen** (NCPDP ID). Records: rxnorm: NDC 0591-0385-01");
    CHECK_CONTAINS(cstr(c, "detail"), "matched by NDC 00591038501");
    run_free(&u);
    /* an interaction and a class duplication: one card, both said */
    REQUIRE_EQ_INT(respond(kb, ibu, nap, &u), MT_OK);
    REQUIRE(json_array_size(u.cards) >= 1);
    c = card_of(&u, "interaction", 0);
    REQUIRE(c);
    CHECK_STR(cstr(c, "summary"), "Interaction reported, not graded: ibuprofen + naproxen");
    CHECK_STR(cstr(c, "indicator"), "info");
    CHECK_CONTAINS(cstr(c, "detail"), "Also a duplicate therapy");
    CHECK_CONTAINS(cstr(c, "detail"), "are both Nonsteroidal Anti-inflammatory Drug (EPC) (NCPDP TD)");
    CHECK(!card_of(&u, "duplication", 0));
    run_free(&u);
    ixm_close(kb, path);
}

TEST(cds_cards_request_text_is_escaped_and_summaries_fit)
{
    static const char *const drafts[] = { TXT("warfarin"), NULL };
    static const char *const current[] = {
        TXT("<img src=x onerror=alert(1)> [click](http://e.example) *bold* `code`"), NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    run u;
    json_t *c;
    const char *d;

    REQUIRE(kb);
    REQUIRE_EQ_INT(respond(kb, drafts, current, &u), MT_OK);
    check_shape(&u);
    c = card_of(&u, "not-checked", 0);
    REQUIRE(c);
    d = cstr(c, "detail");
    CHECK_CONTAINS(d, "\\<img src=x onerror=alert(1)\\> \\[click\\](http://e.example) \\*bold\\* \\`code\\`");
    for (const char *p = strchr(d, '<'); p; p = strchr(p + 1, '<'))
        CHECK(p > d && p[-1] == '\\');             /* every < escaped: no HTML */
    CHECK(!strstr(d, "[click]"));
    run_free(&u);

    {
        static const char *const longone[] = {
            TXT("yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
                "yyyyyyyyyyyyyyyyyyyyyyyy"), NULL };
        REQUIRE_EQ_INT(respond(kb, drafts, longone, &u), MT_OK);
        c = card_of(&u, "not-checked", 0);
        REQUIRE(c);
        CHECK(strlen(cstr(c, "summary")) <= 139);
        CHECK_CONTAINS(cstr(c, "summary"), "Not checked: yyyy");
        CHECK_EQ_INT(strcmp(cstr(c, "summary") + strlen(cstr(c, "summary")) - 3, "..."), 0);
        run_free(&u);
    }
    ixm_close(kb, path);
}

TEST(cds_cards_allocation_failures)
{
    static const char *const drafts[] = { RX("11289"), TXT("sertralinx"), NULL };
    static const char *const current[] = { TXT("ibuprofen"), TXT("naproxen"), TXT("lactulose"), NULL };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_buf body;
    mt_cds_error e;
    long n;
    int rc = MT_ENOMEM;

    REQUIRE(kb);
    mt_buf_init(&body, 1u << 20);
    body_of(&body, drafts, current);
    for (n = 0; n < 100000 && rc == MT_ENOMEM; n++) {
        mt_arena a;
        mt_cds_request r;
        mt_buf out;
        mt_arena_init(&a, 4096, 0);
        mt_buf_init(&out, 8u << 20);
        if (mt_cds_request_parse(body.data, body.len, MT_CDS_ORDER_SIGN, &a, &r, &e) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "parse: %s", e.message);
            mt_arena_free(&a);
            break;
        }
        mt_alloc_fail_after(n);
        rc = mt_cds_respond(kb, &r, &out);
        mt_alloc_fail_after(-1);
        if (rc != MT_OK && rc != MT_ENOMEM)
            mt_test_fail(__FILE__, __LINE__, "after %ld allocations: %s", n, mt_strerror(rc));
        if (rc == MT_OK) {
            json_t *doc = json_loadb(out.data, out.len, 0, NULL);
            CHECK_EQ_INT(json_array_size(json_object_get(doc, "cards")), 3);
            json_decref(doc);
        }
        mt_buf_free(&out);
        mt_arena_free(&a);
    }
    CHECK_EQ_INT(rc, MT_OK);
    CHECK(n > 1);
    mt_buf_free(&body);
    ixm_close(kb, path);
}
