/*
** test_export.c — reminders, the iCalendar feed, and the exports: FHIR R4
** Bundle written and read back field for field, an import that names the bad
** element, an import on a knowledge base without a search index (a failure,
** not a 422), the dose log in the FHIR and CSV exports (MedicationAdministration
** resources, a CSV table; never another profile's or user's doses; an export
** with doses imports back), CSV quoting (and formula cells defused), HTML
** escaping.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/kbstrip.h"
#include "harness.h"
#include "kb/kbformat.h"
#include "kb/testmodel.h"
#include "materia/status.h"
#include "records/export.h"
#include "records/fhir_import.h"
#include "records/meds.h"
#include "records/rectest.h"
#include "records/store.h"
#include "records/sched.h"
#include "util/alloc.h"

static mt_rec_med sample_med(void)
{
    mt_rec_med m;
    mt_rec_med_init(&m);
    m.id = 7;
    m.profile_id = 3;
    m.drug_text = "Zoloft 50 mg";
    m.drug_name = "sertraline";
    m.rxcui = 36437;
    m.strength = "50 mg";
    m.form = "tablet";
    m.dose_amount = 1;
    m.dose_unit = "tablet";
    m.sched_kind = MT_SCHED_CLOCK_TIMES;
    m.clock_times = "08:00,20:00";
    m.times_per_day = 2;
    m.start_date = "2024-05-01";
    m.stop_date = "2024-05-03";
    m.prescriber = "Dr. Who";
    m.notes = "with food, \"not\" on an empty stomach; <b>";
    m.stock = 28;
    m.refill_at = 7;
    m.created_at = 1714550400;
    m.updated_at = 1714550400;
    return m;
}

TEST(records_sched_next_doses)
{
    mt_rec_med m[3];
    mt_reminder r[64];
    int mins[MT_REC_MAX_PER_DAY];
    size_t n;
    m[0] = sample_med();
    mt_rec_med_init(&m[1]);
    m[1].drug_text = "ibuprofen";
    m[1].sched_kind = MT_SCHED_TIMES_PER_DAY;
    m[1].times_per_day = 3;
    m[1].created_at = 1714550400;
    mt_rec_med_init(&m[2]);
    m[2].drug_text = "paracetamol";
    m[2].sched_kind = MT_SCHED_AS_NEEDED;
    m[2].created_at = 1714550400;
    CHECK_EQ_INT(mt_sched_day_minutes(&m[1], mins), 3);
    CHECK(mins[0] == 480 && mins[1] == 840 && mins[2] == 1200);
    m[1].times_per_day = 6;
    CHECK_EQ_INT(mt_sched_day_minutes(&m[1], mins), 6);
    CHECK(mins[0] == 0 && mins[1] == 240 && mins[2] == 480 && mins[5] == 1200);
    m[1].times_per_day = 3;
    CHECK_EQ_INT(mt_sched_day_minutes(&m[2], mins), 0);
    /* from 2024-05-03 07:00 UTC for 26 hours: the clock-time med stops after the 3rd */
    n = mt_sched_next(m, 3, 1714719600, 26, r, 64);
    REQUIRE_EQ_INT(n, 2 + 3 + 1);
    CHECK_EQ_INT(r[0].at, 1714723200);     /* 05-03 08:00, both meds, med 0 first */
    CHECK_EQ_INT(r[0].med, 0);
    CHECK_EQ_INT(r[1].at, 1714723200);
    CHECK_EQ_INT(r[1].med, 1);
    CHECK_EQ_INT(r[2].at, 1714744800);     /* 14:00 */
    CHECK_EQ_INT(r[5].at, 1714809600);     /* 05-04 08:00: only ibuprofen */
    CHECK_EQ_INT(r[5].med, 1);
    m[1].active = 0;
    CHECK_EQ_INT(mt_sched_next(m, 3, 1714719600, 26, r, 64), 2);
    CHECK_EQ_INT(mt_sched_next(m, 3, 1714719600, 26, r, 1), 1);
}

TEST(records_ical_feed)
{
    mt_rec_profile p;
    mt_rec_med m = sample_med();
    mt_buf out;
    const char *line;
    memset(&p, 0, sizeof(p));
    p.id = 3;
    p.name = "Grand-mère, Anne; with a rather long name that will need folding at seventy-five octets";
    mt_buf_init(&out, 1 << 16);
    REQUIRE_EQ_INT(mt_sched_ical(&p, &m, 1, 1714550400, &out), MT_OK);
    CHECK(strncmp(out.data, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n", 30) == 0);
    CHECK_CONTAINS(out.data, "DTSTART:20240501T080000Z\r\n");
    CHECK_CONTAINS(out.data, "DTSTART:20240501T200000Z\r\n");
    CHECK_CONTAINS(out.data, "RRULE:FREQ=DAILY;UNTIL=20240503T235959Z\r\n");
    CHECK_CONTAINS(out.data, "UID:materia-med-7-0800@materia\r\n");
    CHECK_CONTAINS(out.data, "SUMMARY:Take sertraline: 1 tablet\r\n");
    CHECK_CONTAINS(out.data, "Grand-mère\\, Anne\\; with");
    CHECK_CONTAINS(out.data, "DESCRIPTION:Zoloft 50 mg 50 mg\\nwith food\\, \"not\" on");
    CHECK(strstr(out.data, "END:VCALENDAR\r\n") != NULL);
    /* every line at most 75 octets, every line ends in CRLF */
    for (line = out.data; *line;) {
        const char *end = strstr(line, "\r\n");
        REQUIRE(end);
        CHECK((size_t)(end - line) <= 75);
        line = end + 2;
    }
    mt_buf_free(&out);
}

TEST(records_fhir_round_trip)
{
    mt_rec_profile p;
    mt_rec_med meds[2];
    mt_rec_allergy al;
    mt_rec_condition cd;
    mt_export_data d;
    mt_fhir_import im;
    mt_rec_errors e;
    mt_kb *kb = NULL;
    mt_arena a;
    mt_buf out;

    if (!mt_test_kb()) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE_EQ_INT(mt_kb_open(&kb, mt_test_kb(), 0), MT_OK);
    memset(&p, 0, sizeof(p));
    p.id = 3;
    p.name = "Anne";
    p.birth_date = "1950-01-02";
    meds[0] = sample_med();
    meds[1] = sample_med();
    meds[1].id = 8;
    meds[1].drug_text = "ibuprofen";
    meds[1].drug_name = "ibuprofen";
    meds[1].rxcui = 5640;
    meds[1].sched_kind = MT_SCHED_AS_NEEDED;
    meds[1].clock_times = NULL;
    meds[1].max_per_day = 3;
    meds[1].active = 0;
    meds[1].strength = meds[1].form = meds[1].prescriber = meds[1].notes = NULL;
    meds[1].stock = meds[1].refill_at = NAN;
    meds[1].stop_date = NULL;
    mt_rec_allergy_init(&al);
    al.id = 4;
    al.substance = "penicillin";
    al.rxcui = 70618;
    al.drug_name = "penicillin";
    al.severity = "severe";
    mt_rec_condition_init(&cd);
    cd.id = 5;
    cd.name = "asthma";
    cd.onset_date = "1990-05-05";
    cd.active = 0;
    memset(&d, 0, sizeof(d));
    d.profile = &p;
    d.meds = meds;
    d.nmeds = 2;
    d.allergies = &al;
    d.nallergies = 1;
    d.conditions = &cd;
    d.nconditions = 1;
    d.now = 1714550400;
    mt_buf_init(&out, 1 << 20);
    REQUIRE_EQ_INT(mt_export_fhir(&d, 0, &out), MT_OK);
    CHECK_CONTAINS(out.data, "\"resourceType\":\"Bundle\",\"type\":\"collection\"");
    CHECK_CONTAINS(out.data, "{\"system\":\"http://www.nlm.nih.gov/research/umls/rxnorm\",\"code\":\"36437\","
                             "\"display\":\"sertraline\"}");
    CHECK_CONTAINS(out.data, "\"timeOfDay\":[\"08:00:00\",\"20:00:00\"]");
    CHECK_CONTAINS(out.data, "\"resourceType\":\"AllergyIntolerance\"");
    CHECK_CONTAINS(out.data, "\"resourceType\":\"Condition\"");

    mt_arena_init(&a, 1 << 16, 0);
    memset(&e, 0, sizeof(e));
    REQUIRE_EQ_INT(mt_fhir_import_parse(kb, out.data, out.len, &a, &e, &im), MT_OK);
    REQUIRE_EQ_INT(im.nmeds, 2);
    CHECK_EQ_INT(im.skipped, 1);   /* the Patient */
    CHECK_STR(im.meds[0].drug_text, "Zoloft 50 mg");
    CHECK_STR(im.meds[0].drug_name, "sertraline");
    CHECK_EQ_INT(im.meds[0].rxcui, 36437);
    CHECK_EQ_INT(im.meds[0].sched_kind, MT_SCHED_CLOCK_TIMES);
    CHECK_STR(im.meds[0].clock_times, "08:00,20:00");
    CHECK(im.meds[0].dose_amount == 1);
    CHECK_STR(im.meds[0].dose_unit, "tablet");
    CHECK_STR(im.meds[0].start_date, "2024-05-01");
    CHECK_STR(im.meds[0].stop_date, "2024-05-03");
    CHECK_STR(im.meds[0].strength, "50 mg");
    CHECK_STR(im.meds[0].form, "tablet");
    CHECK_STR(im.meds[0].prescriber, "Dr. Who");
    CHECK_STR(im.meds[0].notes, meds[0].notes);
    CHECK(im.meds[0].stock == 28 && im.meds[0].refill_at == 7);
    CHECK_EQ_INT(im.meds[0].active, 1);
    CHECK_EQ_INT(im.meds[1].active, 0);
    CHECK_EQ_INT(im.meds[1].sched_kind, MT_SCHED_AS_NEEDED);
    CHECK(im.meds[1].max_per_day == 3);
    CHECK(isnan(im.meds[1].stock));
    REQUIRE_EQ_INT(im.nallergies, 1);
    CHECK_STR(im.allergies[0].substance, "penicillin");
    CHECK_STR(im.allergies[0].severity, "severe");
    CHECK(im.allergies[0].reaction == NULL);
    REQUIRE_EQ_INT(im.nconditions, 1);
    CHECK_STR(im.conditions[0].name, "asthma");
    CHECK_STR(im.conditions[0].onset_date, "1990-05-05");
    CHECK_EQ_INT(im.conditions[0].active, 0);
    mt_buf_free(&out);
    mt_arena_free(&a);
    mt_kb_close(kb);
}

TEST(records_fhir_import_names_bad_elements)
{
    static const char bad[] =
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        " {\"resource\": {\"resourceType\": \"MedicationStatement\", \"status\": \"active\","
        "   \"medicationCodeableConcept\": {\"text\": \"sertraline\"},"
        "   \"dosage\": [{\"doseAndRate\": [{\"doseQuantity\": {\"value\": -2, \"unit\": \"tablet\"}}]}]}},"
        " {\"resource\": {\"resourceType\": \"MedicationStatement\", \"status\": \"active\","
        "   \"medicationCodeableConcept\": {\"text\": \"sertralinx\"}}},"
        " {\"resource\": {\"resourceType\": \"Observation\"}},"
        " {\"resource\": {\"resourceType\": \"Condition\", \"code\": {\"text\": \"asthma\"}, \"onsetDateTime\": \"2023-02-30\"}}"
        "]}";
    mt_fhir_import im;
    mt_rec_errors e;
    mt_kb *kb = NULL;
    mt_arena a;
    unsigned i;
    int f1 = 0, f2 = 0, f3 = 0, f4 = 0;

    if (!mt_test_kb()) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE_EQ_INT(mt_kb_open(&kb, mt_test_kb(), 0), MT_OK);
    mt_arena_init(&a, 1 << 16, 0);
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_fhir_import_parse(kb, bad, sizeof(bad) - 1, &a, &e, &im), MT_EINVAL);
    CHECK_EQ_INT(im.nmeds + im.nallergies + im.nconditions, 0);
    for (i = 0; i < e.n; i++) {
        f1 |= strcmp(e.e[i].field, "entry[0].resource.dosage[0].doseAndRate[0].doseQuantity.value") == 0;
        f2 |= strcmp(e.e[i].field, "entry[1].resource.medicationCodeableConcept") == 0;
        f3 |= strcmp(e.e[i].field, "entry[2].resource.resourceType") == 0;
        f4 |= strcmp(e.e[i].field, "entry[3].resource.onsetDateTime") == 0;
    }
    CHECK(f1 && f2 && f3 && f4);
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_fhir_import_parse(kb, "{\"resourceType\": \"Patient\"}", 27, &a, &e, &im), MT_EINVAL);
    CHECK_STR(e.e[0].field, "resourceType");
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_fhir_import_parse(kb, "{\"resourceType\": ", 17, &a, &e, &im), MT_EINVAL);
    CHECK_STR(e.e[0].field, "body");
    mt_arena_free(&a);
    mt_kb_close(kb);
}

/* A knowledge base without its search index (a partial file) can look no
** drug up: the import fails with MT_ECORRUPT and yields nothing, rather than
** blaming the bundle (422 "names no drug") or storing an allergy unlinked. */
TEST(records_fhir_import_without_search_index_fails)
{
    static const char med[] =
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        " {\"resource\": {\"resourceType\": \"MedicationStatement\", \"status\": \"active\","
        "   \"medicationCodeableConcept\": {\"text\": \"ketamine\"}}}]}";
    static const char allergy[] =
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        " {\"resource\": {\"resourceType\": \"AllergyIntolerance\", \"code\": {\"text\": \"ketamine\"}}}]}";
    char full[256], part[256];
    const char *name, *product;
    long long rxcui;
    mt_fhir_import im;
    mt_rec_errors e;
    mt_kb *kb = NULL;
    mt_arena a;

    mt_test_tmp_path(full, "fhir-full");
    mt_test_tmp_path(part, "fhir-nosearch");
    REQUIRE(mt_testmodel_write(full, 0) == MT_OK);
    REQUIRE(mt_test_kb_strip(full, part, KB_SEC_SEARCH_FIRST, KB_SEC_SEARCH_LAST) == MT_OK);
    REQUIRE_EQ_INT(mt_kb_open(&kb, part, 0), MT_OK);
    mt_arena_init(&a, 1 << 16, 0);

    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_meds_resolve(kb, "ketamine", "drug", &a, &e, &name, &rxcui, &product), MT_ECORRUPT);
    CHECK_EQ_INT(e.n, 0);
    CHECK(name == NULL && rxcui == 0);
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_fhir_import_parse(kb, med, sizeof(med) - 1, &a, &e, &im), MT_ECORRUPT);
    CHECK_EQ_INT(im.nmeds + im.nallergies + im.nconditions, 0);
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_fhir_import_parse(kb, allergy, sizeof(allergy) - 1, &a, &e, &im), MT_ECORRUPT);
    CHECK_EQ_INT(im.nmeds + im.nallergies + im.nconditions, 0);
    mt_kb_close(kb);

    /* the same bundles on the whole file resolve */
    REQUIRE_EQ_INT(mt_kb_open(&kb, full, 0), MT_OK);
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_fhir_import_parse(kb, med, sizeof(med) - 1, &a, &e, &im), MT_OK);
    CHECK(im.nmeds == 1 && im.meds[0].drug_name && strcmp(im.meds[0].drug_name, "ketamine") == 0);
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_fhir_import_parse(kb, allergy, sizeof(allergy) - 1, &a, &e, &im), MT_OK);
    CHECK(im.nallergies == 1 && im.allergies[0].drug_name != NULL);
    mt_kb_close(kb);
    mt_arena_free(&a);
    remove(full);
    remove(part);
}

/* Every allocation of a FHIR import can fail, jansson's included (t/main.c
** routes them through mt_malloc, as the tool does): the JSON parse, the
** element copies, the drug lookups. Each failure is MT_ENOMEM, never a 422
** blaming the bundle, nothing leaks (ASan), and with enough memory the same
** bundle imports in full. */
TEST(records_fhir_import_allocation_failures)
{
    static const char bundle[] =
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        " {\"resource\": {\"resourceType\": \"Patient\", \"name\": [{\"text\": \"Anne\"}]}},"
        " {\"resource\": {\"resourceType\": \"MedicationStatement\", \"status\": \"active\","
        "   \"medicationCodeableConcept\": {\"text\": \"ketamine\"},"
        "   \"effectivePeriod\": {\"start\": \"2024-05-01\"}, \"note\": [{\"text\": \"with food\"}],"
        "   \"extension\": [{\"url\": \"https://materia.invalid/fhir/StructureDefinition/strength\","
        "                    \"valueString\": \"50 mg\"}],"
        "   \"dosage\": [{\"timing\": {\"repeat\": {\"timeOfDay\": [\"20:00:00\", \"08:00:00\"]}},"
        "                 \"doseAndRate\": [{\"doseQuantity\": {\"value\": 1, \"unit\": \"tablet\"}}]}]}},"
        " {\"resource\": {\"resourceType\": \"AllergyIntolerance\", \"code\": {\"text\": \"sertraline\"},"
        "   \"reaction\": [{\"manifestation\": [{\"text\": \"rash\"}], \"severity\": \"mild\"}]}},"
        " {\"resource\": {\"resourceType\": \"Condition\", \"code\": {\"text\": \"asthma\"},"
        "   \"onsetDateTime\": \"1990-05-05\"}}]}";
    char path[256];
    mt_fhir_import im;
    mt_rec_errors e;
    mt_kb *kb = NULL;
    long n;
    int rc = MT_ENOMEM;

    mt_test_tmp_path(path, "fhir-oom");
    REQUIRE(mt_testmodel_write(path, 0) == MT_OK);
    REQUIRE_EQ_INT(mt_kb_open(&kb, path, 0), MT_OK);
    for (n = 0; n < 100000 && rc == MT_ENOMEM; n++) {
        mt_arena a;
        mt_arena_init(&a, 256, 0);
        memset(&e, 0, sizeof(e));
        mt_alloc_fail_after(n);
        rc = mt_fhir_import_parse(kb, bundle, sizeof(bundle) - 1, &a, &e, &im);
        mt_alloc_fail_after(-1);
        if (rc != MT_OK && rc != MT_ENOMEM)
            mt_test_fail(__FILE__, __LINE__, "after %ld allocations: %s (%s: %s)", n, mt_strerror(rc),
                         e.n ? e.e[0].field : "", e.n ? e.e[0].message : "");
        if (rc == MT_ENOMEM)
            CHECK_EQ_INT(im.nmeds + im.nallergies + im.nconditions, 0);
        if (rc == MT_OK) {
            CHECK_EQ_INT(e.n, 0);
            REQUIRE_EQ_INT(im.nmeds, 1);
            CHECK_STR(im.meds[0].drug_name, "ketamine");
            CHECK_STR(im.meds[0].clock_times, "08:00,20:00");
            CHECK_STR(im.meds[0].strength, "50 mg");
            CHECK_STR(im.meds[0].notes, "with food");
            REQUIRE_EQ_INT(im.nallergies, 1);
            CHECK_STR(im.allergies[0].drug_name, "sertraline");
            CHECK_STR(im.allergies[0].reaction, "rash");
            REQUIRE_EQ_INT(im.nconditions, 1);
            CHECK_STR(im.conditions[0].name, "asthma");
            CHECK_EQ_INT(im.skipped, 1);
        }
        mt_arena_free(&a);
    }
    CHECK_EQ_INT(rc, MT_OK);
    CHECK(n > 5);               /* the parse alone allocates more than that */
    mt_kb_close(kb);
    remove(path);
}

/* A MedicationStatement coded by RxNorm alone (no text, no display): the
** drug text is the code, which must outlive the block that formatted it. */
TEST(records_fhir_import_rxnorm_code_only)
{
    static const char body[] =
        "{\"resourceType\": \"Bundle\", \"type\": \"collection\", \"entry\": ["
        " {\"resource\": {\"resourceType\": \"MedicationStatement\", \"status\": \"active\","
        "   \"medicationCodeableConcept\": {\"coding\": [{\"system\": \"http://www.nlm.nih.gov/research/umls/rxnorm\","
        " \"code\": \"36437\"}]}}}"
        "]}";
    mt_fhir_import im;
    mt_rec_errors e;
    mt_kb *kb = NULL;
    mt_arena a;

    if (!mt_test_kb()) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE_EQ_INT(mt_kb_open(&kb, mt_test_kb(), 0), MT_OK);
    mt_arena_init(&a, 1 << 16, 0);
    memset(&e, 0, sizeof(e));
    REQUIRE_EQ_INT(mt_fhir_import_parse(kb, body, sizeof(body) - 1, &a, &e, &im), MT_OK);
    REQUIRE_EQ_INT(im.nmeds, 1);
    CHECK_STR(im.meds[0].drug_text, "36437");
    CHECK_STR(im.meds[0].drug_name, "sertraline");
    CHECK_EQ_INT(im.meds[0].rxcui, 36437);
    mt_arena_free(&a);
    mt_kb_close(kb);
}

TEST(records_csv_and_html)
{
    mt_rec_profile p;
    mt_rec_med m = sample_med();
    mt_export_data d;
    mt_buf out;
    memset(&p, 0, sizeof(p));
    p.id = 3;
    p.name = "<script>alert(1)</script>";
    m.prescriber = "=HYPERLINK(\"http://x\")";
    memset(&d, 0, sizeof(d));
    d.profile = &p;
    d.meds = &m;
    d.nmeds = 1;
    d.now = 1714550400;
    mt_buf_init(&out, 1 << 16);
    REQUIRE_EQ_INT(mt_export_csv(&d, &out), MT_OK);
    CHECK(strncmp(out.data, "id,drug,drug_name,rxcui,", 24) == 0);
    CHECK_CONTAINS(out.data, "\"with food, \"\"not\"\" on an empty stomach; <b>\"\r\n");
    CHECK_CONTAINS(out.data, "\"'=HYPERLINK(\"\"http://x\"\")\"");
    CHECK_CONTAINS(out.data, "\"7\",\"Zoloft 50 mg\",\"sertraline\",\"36437\",,\"50 mg\"");
    mt_buf_reset(&out);
    REQUIRE_EQ_INT(mt_export_html(&d, &out), MT_OK);
    CHECK(!strstr(out.data, "<script>"));
    CHECK_CONTAINS(out.data, "&lt;script&gt;alert(1)&lt;/script&gt;");
    CHECK_CONTAINS(out.data, "&lt;b&gt;");
    CHECK_CONTAINS(out.data, "1 tablet at 08:00,20:00 UTC");
    CHECK(!strstr(out.data, "style="));
    mt_buf_free(&out);
}

/* --- the dose log in the exports ------------------------------------------------ */

static mt_id dl_profile(mt_store *st, mt_id user, const char *name, mt_arena *a, mt_rec_profile *out)
{
    mt_rec_profile in;
    memset(&in, 0, sizeof(in));
    in.name = name;
    in.relation = "self";
    return mt_store_profile_create(st, user, &in, a, out) == MT_OK ? out->id : 0;
}

static mt_id dl_med(mt_store *st, mt_id user, mt_id profile, const char *drug, long long rxcui, mt_arena *a)
{
    mt_rec_med m, out;
    mt_rec_med_init(&m);
    m.drug_text = drug;
    m.drug_name = drug;
    m.rxcui = rxcui;
    m.dose_amount = 1;
    m.dose_unit = "tablet";
    m.sched_kind = MT_SCHED_TIMES_PER_DAY;
    m.times_per_day = 2;
    return mt_store_med_create(st, user, profile, &m, a, &out) == MT_OK ? out.id : 0;
}

static mt_id dl_dose(mt_store *st, mt_id user, mt_id profile, mt_id med, int taken, long long at, const char *notes,
                     mt_arena *a)
{
    mt_rec_dose d, out;
    memset(&d, 0, sizeof(d));
    d.med_id = med;
    d.taken = taken;
    d.at = at;
    d.notes = notes;
    return mt_store_dose_create(st, user, profile, &d, a, &out) == MT_OK ? out.id : 0;
}

/* The entry of the Bundle whose resource has this type and id, or NULL. */
static json_t *dl_entry(json_t *bundle, const char *type, const char *id)
{
    json_t *e;
    size_t i;
    json_array_foreach(json_object_get(bundle, "entry"), i, e) {
        json_t *r = json_object_get(e, "resource");
        const char *t = json_string_value(json_object_get(r, "resourceType"));
        const char *rid = json_string_value(json_object_get(r, "id"));
        if (t && rid && strcmp(t, type) == 0 && strcmp(rid, id) == 0)
            return e;
    }
    return NULL;
}

static const char *dl_str(json_t *obj, const char *path)
{
    char key[64];
    const char *dot;
    while ((dot = strchr(path, '.')) != NULL) {
        snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
        obj = key[0] >= '0' && key[0] <= '9' ? json_array_get(obj, (size_t)strtoul(key, NULL, 10))
                                              : json_object_get(obj, key);
        path = dot + 1;
    }
    return json_string_value(json_object_get(obj, path));
}

/* One MedicationAdministration: its status, time, drug, subject and the
** MedicationStatement it supports. */
static void dl_check_admin(json_t *bundle, mt_id dose, mt_id med, const char *status, const char *at,
                           const char *drug, const char *rxcui)
{
    char id[40], med_id[40];
    json_t *e, *r, *m;
    snprintf(id, sizeof(id), "dose-%lld", dose);
    snprintf(med_id, sizeof(med_id), "med-%lld", med);
    e = dl_entry(bundle, "MedicationAdministration", id);
    m = dl_entry(bundle, "MedicationStatement", med_id);
    if (!e || !m) {
        mt_test_fail(__FILE__, __LINE__, "%s or %s missing from the bundle", id, med_id);
        return;
    }
    r = json_object_get(e, "resource");
    CHECK_STR(dl_str(r, "status"), status);
    CHECK_STR(dl_str(r, "effectiveDateTime"), at);
    CHECK_STR(dl_str(r, "medicationCodeableConcept.text"), drug);
    CHECK_STR(dl_str(r, "medicationCodeableConcept.coding.0.system"), MT_FHIR_RXNORM);
    CHECK_STR(dl_str(r, "medicationCodeableConcept.coding.0.code"), rxcui);
    /* the same concept as the statement's */
    CHECK(json_equal(json_object_get(r, "medicationCodeableConcept"),
                     json_object_get(json_object_get(m, "resource"), "medicationCodeableConcept")));
    CHECK_STR(dl_str(r, "subject.reference"), dl_str(bundle, "entry.0.fullUrl"));
    CHECK_STR(dl_str(bundle, "entry.0.resource.resourceType"), "Patient");
    CHECK_STR(dl_str(r, "supportingInformation.0.reference"), dl_str(m, "fullUrl"));
    if (strcmp(status, "not-done") == 0)
        CHECK_STR(dl_str(r, "statusReason.0.text"), "skipped");
    else
        CHECK(json_object_get(r, "statusReason") == NULL);
}

static void records_export_dose_log_body(mt_store *st, mt_arena *a)
{
    mt_id ua = rt_user(st, "alice"), ub = rt_user(st, "bob");
    mt_rec_profile anne, ben, carl;
    mt_id sert, ket, ben_med, carl_med, d1, d2, d3;
    mt_export_data d;
    json_error_t jerr;
    json_t *bundle;
    mt_buf out;
    char expect[1024], path[256];
    size_t i;

    REQUIRE(ua && ub);
    REQUIRE(dl_profile(st, ua, "Anne", a, &anne) && dl_profile(st, ua, "Ben", a, &ben) &&
            dl_profile(st, ub, "Carl", a, &carl));
    sert = dl_med(st, ua, anne.id, "sertraline", 36437, a);
    ket = dl_med(st, ua, anne.id, "ketamine", 6130, a);
    ben_med = dl_med(st, ua, ben.id, "sertraline", 36437, a);
    carl_med = dl_med(st, ub, carl.id, "sertraline", 36437, a);
    REQUIRE(sert && ket && ben_med && carl_med);
    d1 = dl_dose(st, ua, anne.id, sert, 1, 1714550400, "with breakfast", a);   /* 2024-05-01T08:00:00Z */
    d2 = dl_dose(st, ua, anne.id, sert, 0, 1714593600, NULL, a);               /* 2024-05-01T20:00:00Z */
    d3 = dl_dose(st, ua, anne.id, ket, 1, 1714471200, NULL, a);                /* 2024-04-30T10:00:00Z */
    REQUIRE(d1 && d2 && d3);
    REQUIRE(dl_dose(st, ua, ben.id, ben_med, 1, 1714550400, "ben-dose", a));
    REQUIRE(dl_dose(st, ub, carl.id, carl_med, 1, 1714550400, "carl-dose", a));

    REQUIRE_EQ_INT(mt_export_load(st, ua, &anne, -1, a, &d), MT_OK);
    REQUIRE_EQ_INT(d.ndoses, 3);
    CHECK_EQ_INT(d.doses_truncated, 0);
    CHECK(d.doses[0].id == d3 && d.doses[1].id == d1 && d.doses[2].id == d2);   /* oldest first */
    for (i = 0; i < d.ndoses; i++)
        CHECK_EQ_INT(d.doses[i].profile_id, anne.id);

    /* FHIR: one MedicationAdministration per dose, after the other resources */
    mt_buf_init(&out, 1 << 20);
    REQUIRE_EQ_INT(mt_export_fhir(&d, 0, &out), MT_OK);
    CHECK(strstr(out.data, "ben-dose") == NULL && strstr(out.data, "carl-dose") == NULL);
    CHECK(strstr(out.data, "\"meta\"") == NULL);
    bundle = json_loadb(out.data, out.len, 0, &jerr);
    REQUIRE(bundle != NULL);
    {
        size_t nadmin = 0;
        json_t *e;
        json_array_foreach(json_object_get(bundle, "entry"), i, e)
            nadmin += strcmp(dl_str(e, "resource.resourceType"), "MedicationAdministration") == 0;
        CHECK_EQ_INT(nadmin, 3);
        CHECK_EQ_INT(json_array_size(json_object_get(bundle, "entry")), 1 + 2 + 3);
    }
    dl_check_admin(bundle, d3, ket, "completed", "2024-04-30T10:00:00Z", "ketamine", "6130");
    dl_check_admin(bundle, d1, sert, "completed", "2024-05-01T08:00:00Z", "sertraline", "36437");
    dl_check_admin(bundle, d2, sert, "not-done", "2024-05-01T20:00:00Z", "sertraline", "36437");
    snprintf(expect, sizeof(expect), "dose-%lld", d1);
    CHECK_STR(dl_str(json_object_get(dl_entry(bundle, "MedicationAdministration", expect), "resource"),
                     "note.0.text"), "with breakfast");
    json_decref(bundle);

    /* the exported bundle imports back: its doses are skipped, not refused */
    {
        mt_fhir_import im;
        mt_rec_errors e;
        mt_kb *kb = NULL;
        mt_test_tmp_path(path, "dose-import");
        if (mt_testmodel_write(path, 0) == MT_OK && mt_kb_open(&kb, path, 0) == MT_OK) {
            memset(&e, 0, sizeof(e));
            CHECK_EQ_INT(mt_fhir_import_parse(kb, out.data, out.len, a, &e, &im), MT_OK);
            CHECK_EQ_INT(im.nmeds, 2);
            CHECK_EQ_INT(im.skipped, 1 + 3);    /* the Patient and the three doses */
            mt_kb_close(kb);
        } else {
            mt_test_fail(__FILE__, __LINE__, "test model knowledge base");
        }
        remove(path);
    }

    /* CSV: the dose log as a second table, after an empty line */
    mt_buf_reset(&out);
    REQUIRE_EQ_INT(mt_export_csv(&d, &out), MT_OK);
    snprintf(expect, sizeof(expect),
             "\r\n\r\ndose_id,medication_id,drug,drug_name,rxcui,status,at_utc,notes\r\n"
             "\"%lld\",\"%lld\",\"ketamine\",\"ketamine\",\"6130\",\"taken\",\"2024-04-30T10:00:00Z\",\r\n"
             "\"%lld\",\"%lld\",\"sertraline\",\"sertraline\",\"36437\",\"taken\",\"2024-05-01T08:00:00Z\","
             "\"with breakfast\"\r\n"
             "\"%lld\",\"%lld\",\"sertraline\",\"sertraline\",\"36437\",\"skipped\",\"2024-05-01T20:00:00Z\",\r\n",
             d3, ket, d1, sert, d2, sert);
    CHECK(out.len > strlen(expect) && strcmp(out.data + out.len - strlen(expect), expect) == 0);
    CHECK(strstr(out.data, "ben-dose") == NULL && strstr(out.data, "carl-dose") == NULL);

    /* records are private: the other profile has its own log; another user
    ** naming Anne's profile gets nothing of it */
    REQUIRE_EQ_INT(mt_export_load(st, ua, &ben, -1, a, &d), MT_OK);
    REQUIRE_EQ_INT(d.ndoses, 1);
    CHECK_STR(d.doses[0].notes, "ben-dose");
    CHECK_EQ_INT(mt_export_load(st, ub, &anne, -1, a, &d), MT_OK);
    CHECK_EQ_INT(d.nmeds + d.ndoses + d.nallergies + d.nconditions, 0);

    /* more doses than an export carries: the most recent ones, and the bundle says so */
    {
        mt_rec_dose *list;
        size_t n;
        int truncated;
        REQUIRE_EQ_INT(mt_store_dose_export(st, ua, anne.id, 2, a, &list, &n, &truncated), MT_OK);
        REQUIRE_EQ_INT(n, 2);
        CHECK(truncated && list[0].id == d1 && list[1].id == d2);
        REQUIRE_EQ_INT(mt_export_load(st, ua, &anne, -1, a, &d), MT_OK);
        d.doses = list;
        d.ndoses = n;
        d.doses_truncated = truncated;
        mt_buf_reset(&out);
        REQUIRE_EQ_INT(mt_export_fhir(&d, 0, &out), MT_OK);
        CHECK_CONTAINS(out.data, "\"meta\":{\"tag\":[{\"system\":\"" MT_FHIR_EXPORT_TAGS "\",\"code\":"
                                 "\"dose-log-truncated\",\"display\":\"only the 2 most recent doses of the dose log\"}]}");
        mt_buf_reset(&out);
        REQUIRE_EQ_INT(mt_export_csv(&d, &out), MT_OK);
        CHECK(out.len > 2 && strcmp(out.data + out.len - 2, "\r\n") == 0);
        CHECK_CONTAINS(out.data, "\r\n,,,,,,,\"dose log truncated: only the 2 most recent doses are exported\"\r\n");
        d.doses_truncated = 0;
        mt_buf_reset(&out);
        REQUIRE_EQ_INT(mt_export_csv(&d, &out), MT_OK);
        CHECK(strstr(out.data, "truncated") == NULL);
    }
    mt_buf_free(&out);
}

TEST(records_export_dose_log)
{
    rt_backend bk[2];
    int nb = rt_backends(bk), i;
    for (i = 0; i < nb; i++) {
        mt_store *st = rt_open(&bk[i], 2);
        mt_arena a;
        mt_arena_init(&a, 16 * 1024, 0);
        if (st)
            records_export_dose_log_body(st, &a);
        mt_arena_free(&a);
        mt_store_close(st);
        rt_drop(&bk[i]);
    }
}

/* Every allocation of the exports and the iCalendar feed can fail: each failure
** is reported as MT_ENOMEM, nothing leaks (ASan), and with enough memory it works. */
TEST(records_export_allocation_failures)
{
    mt_rec_profile p;
    mt_rec_med m = sample_med();
    mt_rec_dose x[2];
    mt_export_data d;
    mt_buf out;
    long n;
    int rc, kind;
    memset(&p, 0, sizeof(p));
    p.id = 3;
    p.name = "Anne";
    memset(x, 0, sizeof(x));
    x[0].id = 11;
    x[0].med_id = m.id;
    x[0].taken = 1;
    x[0].at = 1714550400;
    x[0].notes = "with food";
    x[1] = x[0];
    x[1].id = 12;
    x[1].taken = 0;
    memset(&d, 0, sizeof(d));
    d.profile = &p;
    d.meds = &m;
    d.nmeds = 1;
    d.doses = x;            /* the dose log's writers too, and the truncation tag */
    d.ndoses = 2;
    d.doses_truncated = 1;
    d.now = 1714550400;
    for (kind = 0; kind < 4; kind++) {
        for (n = 0; n < 10000; n++) {
            mt_buf_init(&out, 1 << 20);
            mt_alloc_fail_after(n);
            rc = kind == 0 ? mt_export_fhir(&d, 1, &out) : kind == 1 ? mt_export_csv(&d, &out)
               : kind == 2 ? mt_export_html(&d, &out) : mt_sched_ical(&p, &m, 1, d.now, &out);
            mt_alloc_fail_after(-1);
            mt_buf_free(&out);
            if (rc == MT_OK)
                break;
            CHECK_EQ_INT(rc, MT_ENOMEM);
        }
        CHECK(n > 0 && n < 10000);
    }
}
