/*
** test_input_cites.c — every resolved input of a check cites the record it
** resolved by, including a full product name (product names live on
** products, not in the names table), on the knowledge base built from the
** bundled sources ($MATERIA_TEST_KB; skipped when unset).
*/
#include <string.h>

#include "harness.h"
#include "materia/interact.h"

TEST(interact_inputs_cite_their_records)
{
    const char *in[3] = { "acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral Tablet",
                          "Tylenol", "sertraline" };
    mt_check_result r;
    mt_kb *kb = NULL;
    uint32_t i, k;
    int dups = 0;

    if (!mt_test_kb()) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, mt_test_kb(), 0) == MT_OK);
    memset(&r, 0, sizeof(r));
    REQUIRE(mt_check(kb, in, 3, NULL, &r) == MT_OK);
    REQUIRE_EQ_INT(r.ninputs, 3);
    for (i = 0; i < r.ninputs; i++) {
        CHECK(r.inputs[i].how != MT_CHECK_UNRESOLVED);
        CHECK(r.inputs[i].cite.source != NULL);
        CHECK(r.inputs[i].cite.record != NULL && r.inputs[i].cite.record[0] != '\0');
    }
    CHECK_STR(r.inputs[0].cite.record, "RXCUI 1049221");
    /* The duplicated acetaminophen names what puts it in each input. */
    for (i = 0; i < r.nfindings; i++)
        for (k = 0; k < r.findings[i].ndups; k++) {
            const mt_check_dup *d = &r.findings[i].dups[k];
            dups++;
            CHECK(d->cite_a.record != NULL && d->cite_b.record != NULL);
        }
    CHECK(dups >= 1);
    mt_check_result_free(&r);
    mt_kb_close(kb);
}
