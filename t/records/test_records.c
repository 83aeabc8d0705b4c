/*
** test_records.c — validation of records (lib/records/records.c) and the
** JSON request shapes (recjson.c): dates that do not exist, clock times,
** instants with zones, units, negative doses, unknown members — each refused
** naming its field.
*/
#include <math.h>
#include <string.h>

#include "harness.h"
#include "materia/status.h"
#include "records/recjson.h"
#include "records/records.h"
#include "util/alloc.h"

static int has_field(const mt_rec_errors *e, const char *field)
{
    unsigned i;
    for (i = 0; i < e->n; i++)
        if (strcmp(e->e[i].field, field) == 0)
            return 1;
    return 0;
}

TEST(records_dates_and_times)
{
    long long t;
    char buf[21], d[11];
    CHECK(mt_rec_date_valid("2024-02-29"));
    CHECK(!mt_rec_date_valid("2023-02-29"));
    CHECK(!mt_rec_date_valid("2024-13-01"));
    CHECK(!mt_rec_date_valid("2024-04-31"));
    CHECK(!mt_rec_date_valid("2024-4-30"));
    CHECK(!mt_rec_date_valid("2024-04-30T00:00"));
    CHECK(!mt_rec_date_valid("1899-12-31"));
    CHECK(!mt_rec_date_valid(NULL));
    CHECK_EQ_INT(mt_rec_date_days("1970-01-01"), 0);
    CHECK_EQ_INT(mt_rec_date_days("2000-03-01"), 11017);
    CHECK_EQ_INT(mt_rec_clock_minutes("08:30"), 510);
    CHECK_EQ_INT(mt_rec_clock_minutes("24:00"), -1);
    CHECK_EQ_INT(mt_rec_clock_minutes("8:30"), -1);
    CHECK_EQ_INT(mt_rec_clock_minutes("08:60"), -1);
    CHECK(mt_rec_instant_parse("2024-05-01T08:00:00Z", &t));
    CHECK_EQ_INT(t, 1714550400);
    CHECK(mt_rec_instant_parse("2024-05-01T10:00:00+02:00", &t));
    CHECK_EQ_INT(t, 1714550400);
    CHECK(mt_rec_instant_parse("2024-05-01T03:00-05:00", &t));
    CHECK_EQ_INT(t, 1714550400);
    CHECK(mt_rec_instant_parse("2024-05-01T08:00:00.123Z", &t));
    CHECK(!mt_rec_instant_parse("2024-05-01T08:00:00", &t));    /* no zone */
    CHECK(!mt_rec_instant_parse("2024-02-30T08:00:00Z", &t));
    CHECK(!mt_rec_instant_parse("yesterday", &t));
    mt_rec_instant_format(1714550400, buf);
    CHECK_STR(buf, "2024-05-01T08:00:00Z");
    mt_rec_date_format(1714550400, d);
    CHECK_STR(d, "2024-05-01");
    mt_rec_instant_format(951782400, buf);   /* 2000-02-29 */
    CHECK_STR(buf, "2000-02-29T00:00:00Z");
}

TEST(records_units_and_clock_lists)
{
    mt_arena a;
    unsigned bad = 99;
    const char *ok[] = { "20:00", "08:00", "08:00", "13:30" };
    const char *wrong[] = { "08:00", "25:00" };
    mt_arena_init(&a, 1024, 0);
    CHECK_STR(mt_rec_unit_canon("Tablets"), "tablet");
    CHECK_STR(mt_rec_unit_canon("\xc2\xb5g"), "mcg");
    CHECK_STR(mt_rec_unit_canon("mL"), "ml");
    CHECK(mt_rec_unit_canon("handful") == NULL);
    CHECK(mt_rec_unit_mg("g") == 1000);
    CHECK(mt_rec_unit_mg("mcg") == 0.001);
    CHECK(mt_rec_unit_mg("tablet") == 0);
    CHECK_STR(mt_rec_clock_list(&a, ok, 4, &bad), "08:00,13:30,20:00");
    CHECK(mt_rec_clock_list(&a, wrong, 2, &bad) == NULL);
    CHECK_EQ_INT(bad, 1);
    CHECK(mt_rec_clock_list(&a, ok, 0, &bad) == NULL);
    mt_arena_free(&a);
}

TEST(records_med_check_names_fields)
{
    mt_rec_med m;
    mt_rec_errors e;
    mt_rec_med_init(&m);
    memset(&e, 0, sizeof(e));
    m.dose_amount = -1;
    m.start_date = "2024-05-02";
    m.stop_date = "2024-05-01";
    m.stock = -3;
    m.sched_kind = MT_SCHED_TIMES_PER_DAY;
    m.times_per_day = 0;
    CHECK(!mt_rec_med_check(&m, &e));
    CHECK(has_field(&e, "drug"));
    CHECK(has_field(&e, "dose_amount"));
    CHECK(has_field(&e, "dose_unit"));
    CHECK(has_field(&e, "stop_date"));
    CHECK(has_field(&e, "stock"));
    CHECK(has_field(&e, "schedule.times_per_day"));
    mt_rec_med_init(&m);
    memset(&e, 0, sizeof(e));
    m.drug_text = "sertraline";
    m.sched_kind = MT_SCHED_AS_NEEDED;
    m.dose_amount = NAN;
    CHECK(mt_rec_med_check(&m, &e));
    m.notes = "bell\x07";
    CHECK(!mt_rec_med_check(&m, &e));
    CHECK(has_field(&e, "notes"));
}

static json_t *load(const char *s, mt_rec_errors *e)
{
    json_t *doc;
    int rc;
    memset(e, 0, sizeof(*e));
    doc = mt_recjson_load(s, strlen(s), e, &rc);
    CHECK_EQ_INT(rc, doc ? MT_OK : MT_EINVAL);
    return doc;
}

/* jansson allocates through mt_malloc (t/main.c, src/cli/main.c), so a body
** parse fails cleanly at each of its allocations: MT_ENOMEM with no error
** blamed on the body, no leak (ASan), and the first allocation is already
** jansson's own. */
TEST(records_json_load_allocation_failures)
{
    static const char body[] =
        "{\"drug\": \"sertraline\", \"dose_amount\": 50, \"dose_unit\": \"mg\","
        " \"schedule\": {\"type\": \"clock_times\", \"times\": [\"08:00\", \"20:00\"]},"
        " \"notes\": \"a note long enough to need its own string buffer growth, twice over at least\"}";
    mt_rec_errors e;
    json_t *doc = NULL;
    long n;
    int rc = MT_ENOMEM;

    for (n = 0; n < 10000 && rc == MT_ENOMEM; n++) {
        memset(&e, 0, sizeof(e));
        mt_alloc_fail_after(n);
        doc = mt_recjson_load(body, sizeof(body) - 1, &e, &rc);
        mt_alloc_fail_after(-1);
        if (rc == MT_ENOMEM) {
            CHECK(doc == NULL);
            CHECK_EQ_INT(e.n, 0);
        } else {
            CHECK_EQ_INT(rc, MT_OK);
        }
        if (n == 0)
            CHECK_EQ_INT(rc, MT_ENOMEM);   /* jansson's first allocation went through mt_malloc */
    }
    REQUIRE(doc != NULL);
    CHECK(n > 3);
    CHECK_STR(json_string_value(json_object_get(doc, "drug")), "sertraline");
    json_decref(doc);
    /* malformed input is still told apart: not a memory failure */
    memset(&e, 0, sizeof(e));
    CHECK(mt_recjson_load("{\"drug\": ", 10, &e, &rc) == NULL);
    CHECK_EQ_INT(rc, MT_EINVAL);
    CHECK_STR(e.e[0].field, "body");
}

TEST(records_json_medication)
{
    mt_rec_errors e;
    mt_rec_med m;
    mt_arena a;
    json_t *j;
    mt_arena_init(&a, 4096, 0);

    j = load("{\"drug\": \"tramadol\", \"dose_amount\": 50, \"dose_unit\": \"MG\", \"start_date\": \"2024-01-31\","
             " \"schedule\": {\"type\": \"clock_times\", \"times\": [\"20:00\", \"08:00\"]}, \"stock\": 20}", &e);
    REQUIRE(j);
    mt_rec_med_init(&m);
    mt_recjson_med(j, 0, &a, &m, &e);
    CHECK_EQ_INT(e.n, 0);
    CHECK_STR(m.drug_text, "tramadol");
    CHECK_STR(m.dose_unit, "mg");
    CHECK(m.dose_amount == 50);
    CHECK_EQ_INT(m.sched_kind, MT_SCHED_CLOCK_TIMES);
    CHECK_STR(m.clock_times, "08:00,20:00");
    CHECK_EQ_INT(m.times_per_day, 2);
    CHECK(m.stock == 20);
    CHECK(mt_rec_med_check(&m, &e));
    /* a patch: stop it; the drug cannot change (m's strings still point into the first document) */
    {
        json_t *patch = load("{\"status\": \"stopped\", \"drug\": \"aspirin\"}", &e);
        REQUIRE(patch);
        mt_recjson_med(patch, 1, &a, &m, &e);
        CHECK(has_field(&e, "drug"));
        CHECK_EQ_INT(m.active, 0);
        CHECK(m.stop_date != NULL);
        CHECK_STR(m.start_date, "2024-01-31");
        json_decref(patch);
    }
    json_decref(j);

    j = load("{\"drug\": \"x\", \"dose_amount\": \"two\", \"dose_unit\": \"handful\", \"colour\": \"red\","
             " \"start_date\": \"2023-02-29\", \"schedule\": {\"type\": \"clock_times\", \"times\": [\"08:00\", \"8pm\"]}}",
             &e);
    REQUIRE(j);
    mt_rec_med_init(&m);
    mt_recjson_med(j, 0, &a, &m, &e);
    CHECK(has_field(&e, "dose_amount"));
    CHECK(has_field(&e, "dose_unit"));
    CHECK(has_field(&e, "colour"));
    CHECK(has_field(&e, "start_date"));
    CHECK(has_field(&e, "schedule.times[1]"));
    json_decref(j);

    j = load("{\"drug\": \"x\"}", &e);
    mt_rec_med_init(&m);
    mt_recjson_med(j, 0, &a, &m, &e);
    CHECK(has_field(&e, "schedule"));
    json_decref(j);

    CHECK(load("{\"drug\": ", &e) == NULL);
    CHECK(has_field(&e, "body"));
    CHECK(load("[1, 2]", &e) == NULL);
    CHECK(has_field(&e, "body"));
    CHECK(load("{\"a\": 1, \"a\": 2}", &e) == NULL);
    mt_arena_free(&a);
}

TEST(records_json_dose_and_profile)
{
    mt_rec_errors e;
    mt_rec_dose d;
    mt_rec_profile p;
    json_t *j;
    mt_rec_clock_set(1714550400);
    j = load("{\"medication_id\": 3, \"status\": \"skipped\", \"at\": \"2024-05-01T07:00:00Z\"}", &e);
    memset(&d, 0, sizeof(d));
    mt_recjson_dose(j, &d, &e);
    CHECK_EQ_INT(e.n, 0);
    CHECK_EQ_INT(d.med_id, 3);
    CHECK_EQ_INT(d.taken, 0);
    CHECK_EQ_INT(d.at, 1714546800);
    json_decref(j);
    j = load("{\"medication_id\": -3, \"status\": \"maybe\", \"at\": \"2030-01-01T00:00:00Z\"}", &e);
    mt_recjson_dose(j, &d, &e);
    CHECK(has_field(&e, "medication_id"));
    CHECK(has_field(&e, "status"));
    CHECK(has_field(&e, "at"));
    json_decref(j);
    j = load("{\"name\": \"Mum\", \"relation\": \"parent\", \"birth_date\": \"1950-06-31\"}", &e);
    memset(&p, 0, sizeof(p));
    mt_recjson_profile(j, 0, &p, &e);
    CHECK(has_field(&e, "birth_date"));
    json_decref(j);
    j = load("{\"name\": \"\", \"relation\": \"cousin\"}", &e);
    memset(&p, 0, sizeof(p));
    mt_recjson_profile(j, 0, &p, &e);
    mt_rec_profile_check(&p, &e);
    CHECK(has_field(&e, "name"));
    CHECK(has_field(&e, "relation"));
    json_decref(j);
    mt_rec_clock_set(0);
}
