/*
** test_cds_request.c — reading CDS Hooks requests (lib/cds/cds_request.c):
** which medications are new, in the session or current; the order of a
** medication's candidates; references to Medication resources; statuses;
** every malformed field refused with its JSON path; the limits; allocation
** failures.
*/
#include <stdio.h>
#include <string.h>

#include "cds/cds_request.h"
#include "harness.h"
#include "util/alloc.h"
#include "util/buf.h"

#define RXNORM "\"http://www.nlm.nih.gov/research/umls/rxnorm\""
#define NDC    "\"http://hl7.org/fhir/sid/ndc\""

static int parse(const char *body, int hook, mt_arena *a, mt_cds_request *r, mt_cds_error *e)
{
    return mt_cds_request_parse(body, strlen(body), hook, a, r, e);
}

static const mt_cds_med *med_by_ref(const mt_cds_request *r, const char *ref)
{
    uint32_t i;
    for (i = 0; i < r->nmeds; i++)
        if (strcmp(r->meds[i].ref, ref) == 0)
            return &r->meds[i];
    return NULL;
}

static const char sign_body[] =
    "{\"hook\":\"order-sign\",\"hookInstance\":\"d1577c69-dfbe-44ad-ba6d-3e05e953b2ea\","
    "\"fhirServer\":\"https://ehr.example/fhir\",\"fhirAuthorization\":{\"access_token\":\"secret\"},"
    "\"context\":{\"userId\":\"Practitioner/1\",\"patientId\":\"p1\",\"encounterId\":\"e1\","
    " \"draftOrders\":{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":["
    "  {\"resource\":{\"resourceType\":\"ServiceRequest\",\"id\":\"lab-1\"}},"
    "  {\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"w\",\"status\":\"draft\","
    "   \"medicationCodeableConcept\":{\"text\":\"Warfarin 5 mg tablet\",\"coding\":["
    "    {\"system\":\"http://snomed.info/sct\",\"code\":\"1234\",\"display\":\"Warfarin (SNOMED)\"},"
    "    {\"system\":" NDC ",\"code\":\"0093-1712-01\",\"display\":\"NDC display\"},"
    "    {\"system\":" RXNORM ",\"code\":\"855332\",\"display\":\"warfarin sodium 5 MG Oral Tablet\"},"
    "    {\"system\":" RXNORM ",\"code\":\"not-a-cui\"},"
    "    {\"system\":" NDC ",\"code\":\"12345\"}]}}}]}},"
    "\"prefetch\":{"
    " \"medications\":{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":["
    "  {\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"w\",\"status\":\"active\","
    "   \"medicationCodeableConcept\":{\"text\":\"the draft itself, saved\"}}},"
    "  {\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"i\",\"status\":\"active\","
    "   \"medicationCodeableConcept\":{\"coding\":[{\"system\":" RXNORM ",\"code\":\"5640\"}]}}},"
    "  {\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"old\",\"status\":\"stopped\","
    "   \"medicationCodeableConcept\":{\"text\":\"aspirin\"}}},"
    "  {\"resource\":{\"resourceType\":\"OperationOutcome\",\"id\":\"oo\"}},"
    "  {\"search\":{\"mode\":\"outcome\"}}]},"
    " \"statements\":{\"resourceType\":\"Bundle\",\"entry\":["
    "  {\"resource\":{\"resourceType\":\"MedicationStatement\",\"id\":\"s\",\"status\":\"active\","
    "   \"medicationCodeableConcept\":{\"text\":\"St John's wort\"}}},"
    "  {\"resource\":{\"resourceType\":\"MedicationStatement\",\"id\":\"gone\",\"status\":\"completed\","
    "   \"medicationCodeableConcept\":{\"text\":\"tramadol\"}}}]}}}";

TEST(cds_request_order_sign_drafts_first_then_current)
{
    mt_arena a;
    mt_cds_request r;
    mt_cds_error e;
    const mt_cds_med *w, *i, *s;

    mt_arena_init(&a, 4096, 0);
    REQUIRE_EQ_INT(parse(sign_body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_OK);
    CHECK_EQ_INT(r.hook, MT_CDS_ORDER_SIGN);
    CHECK_STR(r.hook_instance, "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea");
    /* the draft, then ibuprofen and St John's wort; the saved copy of the
    ** draft, the stopped and completed ones and the OperationOutcome are not there */
    REQUIRE_EQ_INT(r.nmeds, 3);
    CHECK_EQ_INT(r.nnew, 1);
    CHECK_EQ_INT(r.skipped_orders, 1);
    CHECK_EQ_INT(r.skipped_status, 2);
    CHECK_EQ_INT(r.has_statements, 1);
    w = &r.meds[0];
    CHECK_STR(w->ref, "MedicationRequest/w");
    CHECK_EQ_INT(w->origin, MT_CDS_NEW);
    CHECK_STR(w->where, "context.draftOrders.entry[1].resource");
    CHECK_STR(w->label, "Warfarin 5 mg tablet");
    /* RxNorm, NDC, text, the RxNorm display, other displays; the malformed
    ** RxNorm code and the 5-digit "NDC" are not candidates */
    REQUIRE_EQ_INT(w->ncands, 6);
    CHECK_EQ_INT(w->cands[0].kind, MT_CDS_RXNORM);
    CHECK_STR(w->cands[0].value, "855332");
    CHECK_EQ_INT(w->cands[1].kind, MT_CDS_NDC);
    CHECK_STR(w->cands[1].value, "0093-1712-01");
    CHECK_EQ_INT(w->cands[2].kind, MT_CDS_TEXT);
    CHECK_STR(w->cands[2].value, "Warfarin 5 mg tablet");
    CHECK_EQ_INT(w->cands[3].kind, MT_CDS_DISPLAY);
    CHECK_STR(w->cands[3].value, "warfarin sodium 5 MG Oral Tablet");
    CHECK_STR(w->cands[4].value, "Warfarin (SNOMED)");
    CHECK_STR(w->cands[5].value, "NDC display");
    i = med_by_ref(&r, "MedicationRequest/i");
    REQUIRE(i);
    CHECK_EQ_INT(i->origin, MT_CDS_CURRENT);
    CHECK_STR(i->label, "RxNorm 5640");           /* a code alone names it */
    CHECK_STR(i->where, "prefetch.medications.entry[1].resource");
    s = med_by_ref(&r, "MedicationStatement/s");
    REQUIRE(s);
    CHECK_EQ_INT(s->origin, MT_CDS_CURRENT);
    CHECK_STR(s->cands[0].value, "St John's wort");
    CHECK(!med_by_ref(&r, "MedicationRequest/old"));
    mt_arena_free(&a);
}

static const char select_fmt[] =
    "{\"hook\":\"order-select\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"Practitioner/1\","
    "\"patientId\":\"p\",\"selections\":%s,\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":["
    "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"a\",\"medicationCodeableConcept\":{\"text\":\"ibuprofen\"}}},"
    "{\"resource\":{\"resourceType\":\"NutritionOrder\",\"id\":\"diet\"}},"
    "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"b\",\"medicationCodeableConcept\":{\"text\":\"warfarin\"}}}]}},"
    "\"prefetch\":{\"medications\":null}}";

TEST(cds_request_order_select_selected_orders_are_the_new_ones)
{
    char body[2048];
    mt_arena a;
    mt_cds_request r;
    mt_cds_error e;

    mt_arena_init(&a, 4096, 0);
    snprintf(body, sizeof(body), select_fmt, "[\"MedicationRequest/b\"]");
    REQUIRE_EQ_INT(parse(body, MT_CDS_ORDER_SELECT, &a, &r, &e), MT_OK);
    REQUIRE_EQ_INT(r.nmeds, 2);
    CHECK_EQ_INT(r.nnew, 1);
    CHECK_STR(r.meds[0].ref, "MedicationRequest/b");      /* selected first */
    CHECK_EQ_INT(r.meds[1].origin, MT_CDS_SESSION);
    CHECK_EQ_INT(r.has_statements, 0);

    /* a selected diet order: no new medication */
    snprintf(body, sizeof(body), select_fmt, "[\"NutritionOrder/diet\"]");
    REQUIRE_EQ_INT(parse(body, MT_CDS_ORDER_SELECT, &a, &r, &e), MT_OK);
    CHECK_EQ_INT(r.nnew, 0);
    CHECK_EQ_INT(r.nmeds, 2);

    /* a selection that names nothing in draftOrders is refused, not ignored */
    snprintf(body, sizeof(body), select_fmt, "[\"MedicationRequest/b\",\"MedicationRequest/zz\"]");
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SELECT, &a, &r, &e), MT_EFORMAT);
    CHECK_STR(e.field, "context.selections[1]");
    CHECK_CONTAINS(e.message, "MedicationRequest/zz");
    snprintf(body, sizeof(body), select_fmt, "[]");
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SELECT, &a, &r, &e), MT_EFORMAT);
    CHECK_STR(e.field, "context.selections");
    snprintf(body, sizeof(body), select_fmt, "[7]");
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SELECT, &a, &r, &e), MT_EFORMAT);
    /* the same body at the order-sign service: another hook */
    snprintf(body, sizeof(body), select_fmt, "[\"MedicationRequest/b\"]");
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_EFORMAT);
    CHECK_STR(e.field, "hook");
    CHECK_CONTAINS(e.message, "order-sign");
    mt_arena_free(&a);
}

TEST(cds_request_medication_references)
{
    static const char body[] =
        "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
        "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":["
        "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"c\","
        " \"contained\":[{\"resourceType\":\"Medication\",\"id\":\"m1\",\"code\":{\"coding\":[{\"system\":" RXNORM ",\"code\":\"10689\"}]}}],"
        " \"medicationReference\":{\"reference\":\"#m1\",\"display\":\"Tramadol 50 mg\"}}},"
        "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"gone\","
        " \"medicationReference\":{\"reference\":\"Medication/nowhere\"}}},"
        "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"r5\","
        " \"medication\":{\"concept\":{\"text\":\"sertraline\"}}}},"
        "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"none\"}}]}},"
        "\"prefetch\":{\"medications\":{\"resourceType\":\"Bundle\",\"entry\":["
        "{\"fullUrl\":\"https://ehr.example/fhir/Medication/m9\",\"resource\":{\"resourceType\":\"Medication\",\"id\":\"m9\","
        " \"code\":{\"text\":\"ibuprofen\"}}},"
        "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"id\":\"x\",\"status\":\"active\","
        " \"medicationReference\":{\"reference\":\"Medication/m9\"}}}]}}}";
    mt_arena a;
    mt_cds_request r;
    mt_cds_error e;
    const mt_cds_med *m;

    mt_arena_init(&a, 4096, 0);
    REQUIRE_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_OK);
    REQUIRE_EQ_INT(r.nmeds, 5);
    CHECK_EQ_INT(r.nnew, 4);
    m = med_by_ref(&r, "MedicationRequest/c");
    REQUIRE(m && m->ncands == 2);
    CHECK_STR(m->cands[0].value, "10689");            /* the contained Medication's code */
    CHECK_STR(m->cands[1].value, "Tramadol 50 mg");   /* then the reference's display */
    CHECK_STR(m->label, "Tramadol 50 mg");
    m = med_by_ref(&r, "MedicationRequest/gone");
    REQUIRE(m);
    CHECK_EQ_INT(m->ncands, 0);
    CHECK_CONTAINS(m->why_none, "not in the request");
    m = med_by_ref(&r, "MedicationRequest/r5");
    REQUIRE(m && m->ncands == 1);
    CHECK_STR(m->cands[0].value, "sertraline");
    m = med_by_ref(&r, "MedicationRequest/none");
    REQUIRE(m);
    CHECK_EQ_INT(m->ncands, 0);
    CHECK_CONTAINS(m->why_none, "names no medication");
    m = med_by_ref(&r, "MedicationRequest/x");
    REQUIRE(m && m->ncands == 1);
    CHECK_STR(m->cands[0].value, "ibuprofen");        /* Medication/m9 from the same Bundle */
    mt_arena_free(&a);
}

/* Each body is refused with this status, naming this field. */
TEST(cds_request_malformed_fields_are_named)
{
    static const char ctx_ok[] = "\"context\":{\"userId\":\"u\",\"patientId\":\"p\",\"draftOrders\":"
                                 "{\"resourceType\":\"Bundle\",\"entry\":[]}}";
    static const struct { const char *body; int rc; const char *field; } cases[] = {
        { "", MT_EFORMAT, "body" },
        { "{\"hook\":", MT_EFORMAT, "body" },
        { "[1,2]", MT_EFORMAT, "body" },
        { "{\"hook\":\"order-sign\",\"hook\":\"order-sign\"}", MT_EFORMAT, "body" },     /* duplicate key */
        { "{\"hookInstance\":\"h\"}", MT_EFORMAT, "hook" },
        { "{\"hook\":7,\"hookInstance\":\"h\"}", MT_EFORMAT, "hook" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"\"}", MT_EFORMAT, "hookInstance" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\"}", MT_EFORMAT, "context" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":[]}", MT_EFORMAT, "context" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"patientId\":\"p\"}}", MT_EFORMAT,
          "context.userId" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"a\\u0000b\"}}",
          MT_EFORMAT, "body" },                                                      /* NUL: jansson refuses it */
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\"}}",
          MT_EFORMAT, "context.draftOrders" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Patient\"}}}", MT_EFORMAT, "context.draftOrders.resourceType" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":{}}}}", MT_EFORMAT, "context.draftOrders.entry" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[5]}}}", MT_EFORMAT, "context.draftOrders.entry[0]" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{}]}}}", MT_EFORMAT,
          "context.draftOrders.entry[0].resource" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"id\":\"x\"}}]}}}", MT_EFORMAT,
          "context.draftOrders.entry[0].resource.resourceType" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"MedicationRequest\","
          "\"medicationCodeableConcept\":\"warfarin\"}}]}}}", MT_EFORMAT,
          "context.draftOrders.entry[0].resource.medicationCodeableConcept" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"MedicationRequest\","
          "\"medicationCodeableConcept\":{\"coding\":[{\"system\":" RXNORM ",\"code\":11289}]}}}]}}}", MT_EFORMAT,
          "context.draftOrders.entry[0].resource.medicationCodeableConcept.coding[0].code" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"MedicationRequest\","
          "\"medicationCodeableConcept\":{\"coding\":[null]}}}]}}}", MT_EFORMAT,
          "context.draftOrders.entry[0].resource.medicationCodeableConcept.coding[0]" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"MedicationRequest\","
          "\"medicationReference\":[]}}]}}}", MT_EFORMAT,
          "context.draftOrders.entry[0].resource.medicationReference" },
        { "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
          "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":\"MedicationRequest\","
          "\"id\":{\"x\":1}}}]}}}", MT_EFORMAT, "context.draftOrders.entry[0].resource.id" },
    };
    char body[2048];
    mt_arena a;
    mt_cds_request r;
    mt_cds_error e;
    size_t i;

    mt_arena_init(&a, 4096, 0);
    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int rc = parse(cases[i].body, MT_CDS_ORDER_SIGN, &a, &r, &e);
        if (rc != cases[i].rc || strcmp(e.field, cases[i].field) != 0 || !e.message[0])
            mt_test_fail(__FILE__, __LINE__, "case %zu: %d %s: %s (want %d %s)", i, rc, e.field, e.message,
                         cases[i].rc, cases[i].field);
        CHECK_EQ_INT(r.nmeds, 0);
    }
    /* the prefetch: required (412), a Bundle or null */
    snprintf(body, sizeof(body), "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",%s}", ctx_ok);
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_ENOTFOUND);
    CHECK_STR(e.field, "prefetch.medications");
    snprintf(body, sizeof(body), "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",%s,\"prefetch\":{\"patient\":{}}}",
             ctx_ok);
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_ENOTFOUND);
    snprintf(body, sizeof(body), "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",%s,\"prefetch\":[]}", ctx_ok);
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_EFORMAT);
    CHECK_STR(e.field, "prefetch");
    snprintf(body, sizeof(body), "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",%s,"
             "\"prefetch\":{\"medications\":{\"resourceType\":\"MedicationRequest\"}}}", ctx_ok);
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_EFORMAT);
    CHECK_STR(e.field, "prefetch.medications.resourceType");
    snprintf(body, sizeof(body), "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",%s,"
             "\"prefetch\":{\"medications\":\"none\"}}", ctx_ok);
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_EFORMAT);
    CHECK_STR(e.field, "prefetch.medications");
    snprintf(body, sizeof(body), "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",%s,"
             "\"prefetch\":{\"medications\":null}}", ctx_ok);
    CHECK_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_OK);
    CHECK_EQ_INT(r.nmeds, 0);
    CHECK_EQ_INT(mt_cds_request_parse(NULL, 0, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_EFORMAT);
    CHECK_EQ_INT(mt_cds_request_parse("{}", 2, 99, &a, &r, &e), MT_EINVAL);
    mt_arena_free(&a);
}

/* n current medications named "drug<i>". */
static void many_body(mt_buf *b, int n)
{
    int i;
    mt_buf_puts(b, "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
                   "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":{\"resourceType\":"
                   "\"MedicationRequest\",\"medicationCodeableConcept\":{\"text\":\"warfarin\"}}}]}},"
                   "\"prefetch\":{\"medications\":{\"resourceType\":\"Bundle\",\"entry\":[");
    for (i = 0; i < n; i++)
        mt_buf_printf(b, "%s{\"resource\":{\"resourceType\":\"MedicationStatement\",\"medicationCodeableConcept\":"
                         "{\"text\":\"drug%d\"}}}", i ? "," : "", i);
    mt_buf_puts(b, "]}}}");
}

TEST(cds_request_at_most_200_medications)
{
    mt_buf b;
    mt_arena a;
    mt_cds_request r;
    mt_cds_error e;

    mt_arena_init(&a, 4096, 0);
    mt_buf_init(&b, 1u << 20);
    many_body(&b, MT_CDS_MAX_MEDS - 1);
    REQUIRE_EQ_INT(mt_cds_request_parse(b.data, b.len, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_OK);
    CHECK_EQ_INT(r.nmeds, MT_CDS_MAX_MEDS);
    mt_buf_reset(&b);
    many_body(&b, MT_CDS_MAX_MEDS);
    CHECK_EQ_INT(mt_cds_request_parse(b.data, b.len, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_ELIMIT);
    CHECK_CONTAINS(e.message, "at most 200");
    mt_buf_free(&b);
    mt_arena_free(&a);
}

TEST(cds_request_long_names_and_control_characters)
{
    char text[700], body[2048];
    mt_arena a;
    mt_cds_request r;
    mt_cds_error e;

    memset(text, 'x', sizeof(text) - 1);
    text[sizeof(text) - 1] = '\0';
    mt_arena_init(&a, 4096, 0);
    snprintf(body, sizeof(body),
             "{\"hook\":\"order-sign\",\"hookInstance\":\"h\",\"context\":{\"userId\":\"u\",\"patientId\":\"p\","
             "\"draftOrders\":{\"resourceType\":\"Bundle\",\"entry\":["
             "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"medicationCodeableConcept\":{\"text\":\"%s\"}}},"
             "{\"resource\":{\"resourceType\":\"MedicationRequest\",\"medicationCodeableConcept\":"
             "{\"text\":\"  war\\nfarin\\t \"}}}]}},\"prefetch\":{\"medications\":null}}", text);
    REQUIRE_EQ_INT(parse(body, MT_CDS_ORDER_SIGN, &a, &r, &e), MT_OK);
    REQUIRE_EQ_INT(r.nmeds, 2);
    /* too long to be a name: no candidate, but a label cut to size */
    CHECK_EQ_INT(r.meds[0].ncands, 0);
    CHECK_EQ_INT(strlen(r.meds[0].label), MT_CDS_MAX_LABEL);
    /* trimmed, control characters made spaces */
    REQUIRE_EQ_INT(r.meds[1].ncands, 1);
    CHECK_STR(r.meds[1].cands[0].value, "war farin");
    mt_arena_free(&a);
}

TEST(cds_request_allocation_failures)
{
    long n;
    int rc = MT_ENOMEM;
    for (n = 0; n < 100000 && rc == MT_ENOMEM; n++) {
        mt_arena a;
        mt_cds_request r;
        mt_cds_error e;
        mt_arena_init(&a, 256, 0);
        mt_alloc_fail_after(n);
        rc = mt_cds_request_parse(sign_body, strlen(sign_body), MT_CDS_ORDER_SIGN, &a, &r, &e);
        mt_alloc_fail_after(-1);
        if (rc != MT_OK && rc != MT_ENOMEM)
            mt_test_fail(__FILE__, __LINE__, "after %ld allocations: %d %s", n, rc, e.message);
        if (rc == MT_OK)
            CHECK_EQ_INT(r.nmeds, 3);
        mt_arena_free(&a);
    }
    CHECK_EQ_INT(rc, MT_OK);
    CHECK(n > 1);
}
