/*
** test_pill_kb.c — the pill identifier on the knowledge base built from the
** bundled sources ($MATERIA_TEST_KB; skipped without one): real C3PI
** imprints typed with spaces, dashes, lower case, a character missing or
** confused, colour words that are not SPL's, and imprints that match
** nothing. Each case names the drug the first result must contain.
*/
#include <libxml/parser.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "materia/pill.h"
#include "util/buf.h"

typedef struct pcase {
    const char *imprint, *color, *shape;
    const char *drug;          /* a drug of the first result */
    const char *want_imprint;  /* the first result's imprint, as the source prints it */
    int how;                   /* mt_pill_imprint_match of the first result */
    int color_how;             /* mt_pill_attr_match of the first result's colour, or -1 */
} pcase;

static const pcase cases[] = {
    /* sertraline G;4960;25;MG green oval: separators, case, order */
    { "G;4960;25;MG", NULL, NULL, "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_EXACT, -1 },
    { "g 4960 25 mg", "green", "oval", "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    { "G-4960-25MG", NULL, NULL, "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_EXACT, -1 },
    { "25mg g4960", NULL, NULL, "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_EXACT, -1 },
    /* a worn or missing character, a look-alike */
    { "G 496 25 MG", NULL, NULL, "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_FUZZY, -1 },
    { "G 4960 2 MG", "lime", NULL, "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_FUZZY, MT_PILL_ATTR_MATCH },
    { "6 4960 25 MG", NULL, NULL, "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_CONFUSION, -1 },
    { "G 496O 25 MG", NULL, NULL, "sertraline", "G;4960;25;MG", MT_PILL_IMPRINT_CONFUSION, -1 },
    /* sertraline 50 is blue: "light blue", "navy" */
    { "g 4900 50 mg", "light blue", "oval", "sertraline", "G;4900;50;MG", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    { "G4900", "navy", NULL, "sertraline", "G;4900;50;MG", MT_PILL_IMPRINT_PARTIAL, MT_PILL_ATTR_MATCH },
    /* alprazolam S;900 and 2090;V */
    { "s 900", NULL, NULL, "alprazolam", "S;900", MT_PILL_IMPRINT_EXACT, -1 },
    { "S900", "off-white", "oval", "alprazolam", "S;900", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    { "S9OO", NULL, NULL, "alprazolam", "S;900", MT_PILL_IMPRINT_CONFUSION, -1 },
    { "5 900", "cream", NULL, "alprazolam", "S;900", MT_PILL_IMPRINT_CONFUSION, MT_PILL_ATTR_MATCH },
    { "2090 V", NULL, NULL, "alprazolam", "2090;V", MT_PILL_IMPRINT_EXACT, -1 },
    { "v-2090", NULL, NULL, "alprazolam", "2090;V", MT_PILL_IMPRINT_EXACT, -1 },
    { "V2090", NULL, NULL, "alprazolam", "2090;V", MT_PILL_IMPRINT_EXACT, -1 },
    { "2O9O V", NULL, NULL, "alprazolam", "2090;V", MT_PILL_IMPRINT_CONFUSION, -1 },
    { "2088 v", "peach", "oval", "alprazolam", "2088;V", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    { "xanax 0.5", "salmon", NULL, "alprazolam", "XANAX;0;5", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    /* oxycodone OP;10 white round, OP;20 pink; the Barr capsule is two-tone */
    { "op 10", NULL, NULL, "oxycodone", "OP;10", MT_PILL_IMPRINT_EXACT, -1 },
    { "0P-1O", "white", "round", "oxycodone", "OP;10", MT_PILL_IMPRINT_CONFUSION, MT_PILL_ATTR_MATCH },
    { "OP20", "rose", "circle", "oxycodone", "OP;20", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    { "barr 658", "red and white", "capsule", "oxycodone", "BARR;658", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    { "barr 658", "red and white", "capsule", "acetaminophen", "BARR;658", MT_PILL_IMPRINT_EXACT, MT_PILL_ATTR_MATCH },
    { "BAR 658", "maroon", NULL, "oxycodone", "BARR;658", MT_PILL_IMPRINT_FUZZY, MT_PILL_ATTR_PARTIAL },
    /* hydrocodone with acetaminophen M360 */
    { "m 360", NULL, NULL, "acetaminophen", NULL, MT_PILL_IMPRINT_EXACT, -1 },
    { NULL, NULL, NULL, NULL, NULL, 0, 0 }
};

static int has_drug(const mt_kb *kb, const char *json, const char *drug)
{
    char needle[128];
    (void)kb;
    snprintf(needle, sizeof(needle), "\"name\": \"%s\"", drug);
    return strstr(json, needle) != NULL;
}

TEST(pill_kb_real_imprints_find_their_drug)
{
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_pill_results r;
    mt_buf b;
    const pcase *c;

    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    mt_buf_init(&b, 4u << 20);
    for (c = cases; c->imprint; c++) {
        mt_pill_query q;
        mt_pill_results one;
        const mt_pill_hit *h;
        const kb_pill *p;
        int rc;

        memset(&q, 0, sizeof(q));
        q.imprint = c->imprint;
        q.color = c->color;
        q.shape = c->shape;
        rc = mt_pill_search(kb, &q, 10, &r);
        if (rc != MT_OK || r.count == 0) {
            mt_test_fail(__FILE__, __LINE__, "\"%s\": %s, %u results (%s)", c->imprint, mt_strerror(rc), r.count,
                         r.error);
            continue;
        }
        h = &r.hits[0];
        p = mt_kb_pill(kb, h->pill);
        if (c->want_imprint && strcmp(mt_kb_str(kb, p->imprint), c->want_imprint) != 0)
            mt_test_fail(__FILE__, __LINE__, "\"%s\": first result's imprint %s, want %s", c->imprint,
                         mt_kb_str(kb, p->imprint), c->want_imprint);
        if (h->imprint != c->how)
            mt_test_fail(__FILE__, __LINE__, "\"%s\": matched %s, want %s", c->imprint,
                         mt_pill_imprint_match_name(h->imprint), mt_pill_imprint_match_name(c->how));
        if (c->color_how >= 0 && h->color != c->color_how)
            mt_test_fail(__FILE__, __LINE__, "\"%s\" %s: colour %s, want %s", c->imprint, c->color,
                         mt_pill_attr_match_name(h->color), mt_pill_attr_match_name(c->color_how));
        /* the drug, through the JSON of the first result alone */
        one = r;
        one.count = 1;
        mt_buf_reset(&b);
        if (mt_pill_json(kb, &q, &one, 1, &b) != MT_OK || !has_drug(kb, mt_buf_str(&b), c->drug))
            mt_test_fail(__FILE__, __LINE__, "\"%s\": first result does not name %s", c->imprint, c->drug);
        if (r.capped)
            mt_test_fail(__FILE__, __LINE__, "\"%s\": a work cap was reached", c->imprint);
    }
    mt_buf_free(&b);
    mt_pill_results_free(&r);
    mt_kb_close(kb);
}

TEST(pill_kb_results_carry_what_a_person_needs)
{
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_pill_results r;
    mt_pill_query q;
    mt_buf b;

    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    mt_buf_init(&b, 4u << 20);
    memset(&q, 0, sizeof(q));
    q.imprint = "s 900";
    REQUIRE(mt_pill_search(kb, &q, 3, &r) == MT_OK);
    REQUIRE(mt_pill_json(kb, &q, &r, 1, &b) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&b), "\"schedule\": \"CIV\"");
    CHECK_CONTAINS(mt_buf_str(&b), "\"ndc\": \"67253090011\"");
    CHECK_CONTAINS(mt_buf_str(&b), "\"strength\": \"0.25 mg\"");
    CHECK_CONTAINS(mt_buf_str(&b), "\"labeler\": \"DAVA Pharmaceuticals, Inc.\"");
    CHECK_CONTAINS(mt_buf_str(&b), "\"rxcui\": 596");
    CHECK_CONTAINS(mt_buf_str(&b), "\"source\": \"c3pi\"");
    CHECK_CONTAINS(mt_buf_str(&b), "\"record\": \"pill_color_imprint_dataset.csv line");
    CHECK_CONTAINS(mt_buf_str(&b), "\"explanation\": \"imprint exact\"");
    mt_buf_reset(&b);
    REQUIRE(mt_pill_text(kb, &q, &r, &b) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&b), "alprazolam — ALPRAZOLAM 0.25 MG ORAL TABLET  [confidence 100]");
    CHECK_CONTAINS(mt_buf_str(&b), "schedule CIV");
    /* the same query gives the same bytes */
    {
        mt_buf b2;
        mt_buf_init(&b2, 4u << 20);
        mt_buf_reset(&b);
        q.imprint = "10";
        q.color = "white";
        REQUIRE(mt_pill_search(kb, &q, 20, &r) == MT_OK);
        REQUIRE(mt_pill_json(kb, &q, &r, 0, &b) == MT_OK);
        REQUIRE(mt_pill_search(kb, &q, 20, &r) == MT_OK);
        REQUIRE(mt_pill_json(kb, &q, &r, 0, &b2) == MT_OK);
        CHECK(b.len == b2.len && memcmp(b.data, b2.data, b.len) == 0);
        mt_buf_free(&b2);
    }
    mt_buf_free(&b);
    mt_pill_results_free(&r);
    mt_kb_close(kb);
}

TEST(pill_kb_no_match_gives_near_misses_not_an_error)
{
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_pill_results r;
    mt_pill_query q;
    uint32_t i;

    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    memset(&q, 0, sizeof(q));
    /* Zoloft 50 and 100 print ZOLOFT;50;MG and ZOLOFT;100;MG: 3 edits away */
    q.imprint = "ZOLOFT 500 XR";
    REQUIRE(mt_pill_search(kb, &q, 10, &r) == MT_OK);
    CHECK_EQ_INT(r.count, 0);
    REQUIRE(r.nnear >= 2);
    for (i = 0; i < r.nnear; i++) {
        const char *imp = mt_kb_str(kb, mt_kb_pill(kb, r.near[i].pill)->imprint);
        CHECK(r.near[i].imprint == MT_PILL_IMPRINT_NEAR_MISS);
        if (i < 2)
            CHECK(strncmp(imp, "ZOLOFT;", 7) == 0 && r.near[i].distance == 3);
    }
    /* a known token among unknown ones: a far near-miss sharing it */
    q.imprint = "SERTRALINE 4960";
    REQUIRE(mt_pill_search(kb, &q, 10, &r) == MT_OK);
    CHECK_EQ_INT(r.count, 0);
    CHECK(r.nnear >= 1);
    /* nothing at all */
    q.imprint = "QQQQQQQQQQQQ";
    REQUIRE(mt_pill_search(kb, &q, 10, &r) == MT_OK);
    CHECK_EQ_INT(r.count, 0);
    CHECK_EQ_INT(r.nnear, 0);
    /* colour and shape that no pill has together: near-misses */
    q.imprint = NULL;
    q.color = "black";
    q.shape = "gear";
    REQUIRE(mt_pill_search(kb, &q, 10, &r) == MT_OK);
    CHECK_EQ_INT(r.count, 0);
    mt_pill_results_free(&r);
    mt_kb_close(kb);
}

TEST(pill_kb_colour_and_shape_without_imprint)
{
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_pill_results r;
    mt_pill_query q;
    uint32_t i;

    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    memset(&q, 0, sizeof(q));
    q.color = "light blue";
    q.shape = "oval";
    REQUIRE(mt_pill_search(kb, &q, 50, &r) == MT_OK);
    CHECK_EQ_INT(r.count, 50);
    CHECK(r.matched > 100);
    for (i = 0; i < r.count; i++) {
        const kb_pill *p = mt_kb_pill(kb, r.hits[i].pill);
        CHECK(strstr(mt_kb_str(kb, p->color), "BLUE") != NULL);
        CHECK_STR(mt_kb_str(kb, p->shape), "OVAL");             /* exact shapes first */
    }
    CHECK(!r.capped);
    q.size_mm = 22;                                            /* a size: the sized records first */
    q.color = "brown";
    q.shape = "capsule";
    REQUIRE(mt_pill_search(kb, &q, 5, &r) == MT_OK);
    REQUIRE(r.count >= 1);
    CHECK_EQ_INT(r.hits[0].size, MT_PILL_ATTR_MATCH);
    mt_pill_results_free(&r);
    mt_kb_close(kb);
}

TEST(pill_kb_drawings_are_well_formed)
{
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_buf b;
    uint32_t i, n;

    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    mt_buf_init(&b, 1u << 20);
    n = mt_kb_count(kb, KB_T_PILLS);
    CHECK(n > 4000);
    for (i = 0; i < n; i += 7) {                                /* one in seven: every shape occurs */
        xmlDocPtr doc;
        mt_buf_reset(&b);
        if (mt_pill_svg(kb, i, &b) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "pill %u: no drawing", i);
            break;
        }
        doc = xmlReadMemory(b.data, (int)b.len, "pill.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                            XML_PARSE_NOWARNING);
        if (!doc) {
            mt_test_fail(__FILE__, __LINE__, "pill %u: not well-formed", i);
            break;
        }
        xmlFreeDoc(doc);
    }
    mt_buf_free(&b);
    mt_kb_close(kb);
}
