/*
** test_meds.c — medications against the knowledge base built from the
** bundled sources: strict resolution (a brand resolves, a misspelling does
** not but suggests), the alerts of a new medication (tramadol added to
** sertraline: the serotonin-syndrome interaction and class effect), allergy
** matches, and daily totals of shared ingredients. Strength parsing needs no
** knowledge base.
*/
#include <math.h>
#include <string.h>

#include "harness.h"
#include "materia/status.h"
#include "records/meds.h"
#include "util/alloc.h"

static mt_rec_med med(const char *text, double amount, const char *unit, int per_day)
{
    mt_rec_med m;
    mt_rec_med_init(&m);
    m.drug_text = text;
    m.dose_amount = amount;
    m.dose_unit = unit;
    m.sched_kind = MT_SCHED_TIMES_PER_DAY;
    m.times_per_day = per_day;
    return m;
}

TEST(records_meds_strengths)
{
    const char *two[] = { "acetaminophen", "oxycodone" };
    const char *one[] = { "amoxicillin" };
    double mg[2], per_ml[2];
    CHECK_EQ_INT(mt_meds_strengths("acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet", two, 2, mg,
                                   per_ml), 2);
    CHECK(mg[0] == 325 && mg[1] == 5);
    CHECK(per_ml[0] == 0);
    CHECK_EQ_INT(mt_meds_strengths("oxycodone HCl 10 mg / acetaminophen 0.325 g", two, 2, mg, per_ml), 2);
    CHECK(mg[0] == 325 && mg[1] == 10);
    CHECK_EQ_INT(mt_meds_strengths("250 mg/5 ml", one, 1, mg, per_ml), 1);
    CHECK(mg[0] == 250 && per_ml[0] == 5);
    CHECK_EQ_INT(mt_meds_strengths("Amoxil 500mg capsules", one, 1, mg, per_ml), 1);
    CHECK(mg[0] == 500);
    CHECK_EQ_INT(mt_meds_strengths("100 mcg", one, 1, mg, per_ml), 1);
    CHECK(fabs(mg[0] - 0.1) < 1e-12);
    /* two amounts, names that say nothing: not attributed, never guessed */
    CHECK_EQ_INT(mt_meds_strengths("325 mg / 5 mg", two, 2, mg, per_ml), 0);
    CHECK(isnan(mg[0]) && isnan(mg[1]));
    CHECK_EQ_INT(mt_meds_strengths("one tablet", one, 1, mg, per_ml), 0);
    CHECK_EQ_INT(mt_meds_strengths(NULL, one, 1, mg, per_ml), 0);
}

TEST(records_meds_resolve)
{
    mt_kb *kb = mt_test_open_kb();
    mt_rec_errors e;
    mt_arena a;
    const char *name, *product;
    long long rxcui;
    if (!kb)
        return;
    mt_arena_init(&a, 4096, 0);
    memset(&e, 0, sizeof(e));
    CHECK_EQ_INT(mt_meds_resolve(kb, "Zoloft", "drug", &a, &e, &name, &rxcui, &product), MT_OK);
    CHECK_STR(name, "sertraline");
    CHECK_EQ_INT(rxcui, 36437);
    CHECK(product == NULL);
    CHECK_EQ_INT(mt_meds_resolve(kb, "sertraline 50 MG Oral Tablet", "drug", &a, &e, &name, &rxcui, &product), MT_OK);
    CHECK_STR(name, "sertraline");
    CHECK_STR(product, "sertraline 50 MG Oral Tablet");
    CHECK_EQ_INT(mt_meds_resolve(kb, "6130", "drug", &a, &e, &name, &rxcui, &product), MT_OK);
    CHECK_STR(name, "ketamine");
    CHECK_EQ_INT(e.n, 0);
    CHECK_EQ_INT(mt_meds_resolve(kb, "sertralinx", "drug", &a, &e, &name, &rxcui, &product), MT_ENOTFOUND);
    REQUIRE_EQ_INT(e.n, 1);
    CHECK_STR(e.e[0].field, "drug");
    CHECK_CONTAINS(e.e[0].message, "sertraline");   /* did you mean */
    CHECK(name == NULL);
    mt_arena_free(&a);
    mt_kb_close(kb);
}

TEST(records_meds_tramadol_after_sertraline)
{
    mt_kb *kb = mt_test_open_kb();
    mt_rec_med meds[3];
    mt_rec_allergy al;
    mt_meds_check c;
    mt_buf out, txt;
    mt_jsonw w;
    if (!kb)
        return;
    meds[0] = med("sertraline", 50, "mg", 1);
    meds[0].id = 1;
    meds[1] = med("ibuprofen 200 MG Oral Tablet", 2, "tablet", 3);
    meds[1].id = 2;
    meds[2] = med("tramadol", 1, "tablet", 2);
    meds[2].strength = "50 mg";
    mt_rec_allergy_init(&al);
    al.id = 9;
    al.substance = "Ultram";       /* a brand of tramadol */
    REQUIRE_EQ_INT(mt_meds_check_run(kb, meds, 3, 2, &al, 1, &c), MT_OK);
    CHECK(mt_meds_alert_count(&c) >= 3);   /* interaction, class effect, allergy */
    mt_buf_init(&out, 1 << 20);
    mt_jsonw_init(&w, &out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "alerts");
    mt_meds_alerts_json(&c, &w);
    mt_jsonw_key(&w, "daily_totals");
    mt_meds_totals_json(&c, &w);
    mt_jsonw_obj_end(&w);
    CHECK_EQ_INT(mt_jsonw_finish(&w), MT_OK);
    CHECK_CONTAINS(out.data, "\"type\":\"interaction\"");
    CHECK_CONTAINS(out.data, "serotonin syndrome");
    CHECK_CONTAINS(out.data, "\"effect\":\"serotonergic\"");
    CHECK_CONTAINS(out.data, "\"type\":\"allergy\"");
    CHECK_CONTAINS(out.data, "\"substance\":\"Ultram\"");
    /* ibuprofen has no interaction with tramadol in these sources: its pair with
    ** sertraline is not the new medication's, so it is not an alert here */
    CHECK(!strstr(out.data, "\"drug\":\"ibuprofen\",\"text\":\"ibuprofen 200 MG Oral Tablet\"},\"with\""));
    CHECK_CONTAINS(out.data, "{\"ingredient\":\"tramadol\",\"mg_per_day\":100,");
    CHECK_CONTAINS(out.data, "{\"ingredient\":\"ibuprofen\",\"mg_per_day\":1200,");
    CHECK_CONTAINS(out.data, "{\"ingredient\":\"sertraline\",\"mg_per_day\":50,");
    mt_buf_init(&txt, 1 << 20);
    CHECK_EQ_INT(mt_meds_text(&c, &txt), MT_OK);
    CHECK_CONTAINS(txt.data, "ALERT interaction: sertraline + tramadol");
    CHECK_CONTAINS(txt.data, "ALERT allergy");
    mt_buf_free(&txt);
    mt_buf_free(&out);
    mt_meds_check_free(&c);
    mt_kb_close(kb);
}

/* Oxybutynin (ACB 3) added alone reaches the anticholinergic threshold: the
** text a CLI `meds add` prints names that alert, as the API's JSON does. */
TEST(records_meds_text_anticholinergic_alert)
{
    mt_kb *kb = mt_test_open_kb();
    mt_rec_med meds[1];
    mt_meds_check c;
    mt_buf out, txt;
    mt_jsonw w;
    if (!kb)
        return;
    meds[0] = med("oxybutynin", 5, "mg", 2);
    REQUIRE_EQ_INT(mt_meds_check_run(kb, meds, 1, 0, NULL, 0, &c), MT_OK);
    CHECK(c.res.acb.alert);
    mt_buf_init(&out, 1 << 20);
    mt_jsonw_init(&w, &out, 0);
    mt_meds_alerts_json(&c, &w);
    CHECK_EQ_INT(mt_jsonw_finish(&w), MT_OK);
    CHECK_CONTAINS(out.data, "\"type\":\"anticholinergic_burden\"");
    mt_buf_init(&txt, 1 << 20);
    CHECK_EQ_INT(mt_meds_text(&c, &txt), MT_OK);
    CHECK_CONTAINS(txt.data, "ALERT anticholinergic burden: total 3");
    CHECK(!strstr(txt.data, "No interaction alerts."));
    mt_buf_free(&txt);
    mt_buf_free(&out);
    mt_meds_check_free(&c);
    mt_kb_close(kb);
}

TEST(records_meds_shared_ingredient_totals)
{
    mt_kb *kb = mt_test_open_kb();
    mt_rec_med meds[2];
    mt_meds_check c;
    size_t i;
    int found = 0;
    if (!kb)
        return;
    meds[0] = med("acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet", 2, "tablet", 4);
    meds[1] = med("Tylenol", 1000, "mg", 3);
    REQUIRE_EQ_INT(mt_meds_check_run(kb, meds, 2, 1, NULL, 0, &c), MT_OK);
    for (i = 0; i < c.ntotals; i++) {
        const mt_meds_total *t = &c.totals[i];
        if (strcmp(t->name, "acetaminophen") == 0) {
            found = 1;
            CHECK_EQ_INT(t->nitems, 2);
            CHECK(t->complete);
            CHECK(t->mg_per_day == 325 * 2 * 4 + 3000);
        }
        if (strcmp(t->name, "oxycodone") == 0) {
            CHECK_EQ_INT(t->nitems, 1);
            CHECK(t->mg_per_day == 40);
        }
    }
    CHECK(found);
    /* an amount that cannot be computed is null, not zero */
    meds[1].sched_kind = MT_SCHED_AS_NEEDED;
    mt_meds_check_free(&c);
    REQUIRE_EQ_INT(mt_meds_check_run(kb, meds, 2, 1, NULL, 0, &c), MT_OK);
    for (i = 0; i < c.ntotals; i++)
        if (strcmp(c.totals[i].name, "acetaminophen") == 0) {
            CHECK(!c.totals[i].complete);
            CHECK(c.totals[i].mg_per_day == 2600);
            CHECK(isnan(c.totals[i].items[1].mg_per_day));
        }
    mt_meds_check_free(&c);
    mt_kb_close(kb);
}

/* The check of a new medication under allocation failures: MT_ENOMEM (or
** MT_ELIMIT from a bounded arena), never a crash or a leak. */
TEST(records_meds_allocation_failures)
{
    mt_kb *kb = mt_test_open_kb();
    mt_rec_med meds[2];
    mt_rec_allergy al;
    mt_meds_check c;
    long n;
    int rc = MT_ENOMEM;
    if (!kb)
        return;
    meds[0] = med("sertraline", 50, "mg", 1);
    meds[1] = med("acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet", 1, "tablet", 2);
    mt_rec_allergy_init(&al);
    al.substance = "codeine";
    for (n = 0; n < 100000 && rc != MT_OK; n++) {
        mt_alloc_fail_after(n);
        rc = mt_meds_check_run(kb, meds, 2, 1, &al, 1, &c);
        mt_alloc_fail_after(-1);
        if (rc != MT_OK)
            CHECK(rc == MT_ENOMEM || rc == MT_ELIMIT);
        mt_meds_check_free(&c);
    }
    CHECK_EQ_INT(rc, MT_OK);
    CHECK(n > 1);
    mt_kb_close(kb);
}
