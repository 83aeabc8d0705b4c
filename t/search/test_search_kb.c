/*
** test_search_kb.c — search against the real knowledge base
** ($MATERIA_TEST_KB): every query of t/search/misspellings.tsv must find its
** drug first. Skipped when no knowledge base is given.
*/
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "materia/search.h"
#include "search/sindex.h"

#define LIST "t/search/misspellings.tsv"

/* Whether the knowledge base has what a line needs: "drugsatfda" (any
** Drugs@FDA product) or a source id that contributed facts. */
static int source_present(const mt_kb *kb, const char *id)
{
    uint32_t i, n;
    const kb_source *s = mt_kb_sources(kb, &n);
    if (strcmp(id, "drugsatfda") == 0)
        return mt_kb_count(kb, KB_T_APPROVALS) > 0;
    for (i = 0; i < n; i++)
        if (strcmp(mt_kb_str(kb, s[i].id), id) == 0)
            return s[i].facts > 0;
    return 0;
}

TEST(search_kb_misspellings_brands_labels_codes)
{
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_search_results r;
    FILE *f;
    char line[512];
    unsigned lineno = 0, queries = 0, skipped = 0;

    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    f = fopen(LIST, "r");
    if (!f) {
        mt_test_fail(__FILE__, __LINE__, "cannot read %s", LIST);
        goto done;
    }
    while (fgets(line, sizeof(line), f)) {
        char *query = line, *want, *kind, *needs, *nl;
        int rc;
        lineno++;
        if (line[0] == '#' || line[0] == '\n')
            continue;
        if ((nl = strchr(line, '\n')) != NULL)
            *nl = '\0';
        want = strchr(query, '\t');
        kind = want ? strchr(want + 1, '\t') : NULL;
        if (!want || !kind) {
            mt_test_fail(LIST, (int)lineno, "needs three tab-separated columns");
            continue;
        }
        *want++ = '\0';
        *kind++ = '\0';
        if ((needs = strchr(kind, '\t')) != NULL) {
            *needs++ = '\0';
            if (!source_present(kb, needs)) {
                skipped++;
                continue;
            }
        }
        queries++;
        rc = mt_search(kb, query, 5, 0, &r);
        if (rc != MT_OK) {
            mt_test_fail(LIST, (int)lineno, "%s \"%s\": %s, want %s", kind, query, mt_strerror(rc), want);
            continue;
        }
        if (strcasecmp(r.hits[0].drug_name, want) != 0)
            mt_test_fail(LIST, (int)lineno, "%s \"%s\": top is %s (%s \"%s\"), want %s", kind, query,
                         r.hits[0].drug_name, mt_search_tier_name(r.hits[0].tier), r.hits[0].name, want);
        if (strcmp(kind, "code") == 0 && r.hits[0].tier != MT_SEARCH_TIER_CODE)
            mt_test_fail(LIST, (int)lineno, "\"%s\" matched as %s, not as a code", query,
                         mt_search_tier_name(r.hits[0].tier));
    }
    fclose(f);
    if (skipped)
        printf("    %u queries skipped: their source contributes nothing yet\n", skipped);
    CHECK(queries >= 70);
done:
    mt_search_results_free(&r);
    mt_kb_close(kb);
}

/* Every query is answered within the caps, whatever it is: long, short,
** digits, punctuation, non-ASCII. */
TEST(search_kb_odd_queries_stay_bounded)
{
    static const char *const odd[] = {
        "a", "e", "s", "1", "00", "-", "%", "mg", "oral tablet", "hydrochloride",
        "sodium chloride", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "\xc3\xa9", "\xff\xfe", "DB", "0000000000", "99999999999", "ser ser ser ser ser ser"
    };
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_search_results r;
    size_t i;

    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    for (i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
        int rc = mt_search(kb, odd[i], MT_SEARCH_MAX_RESULTS, 0, &r);
        CHECK(rc == MT_OK || rc == MT_ENOTFOUND);
        CHECK(r.count <= MT_SEARCH_MAX_RESULTS);
        CHECK(r.examined <= 3u * 4096u);
    }
    /* A one-letter prefix still ranks: the first hit is the most popular
    ** drug with a name starting with "s" among those the scan reached. */
    REQUIRE(mt_search(kb, "s", 3, 0, &r) == MT_OK);
    CHECK(r.hits[0].prior >= r.hits[1].prior);
    mt_search_results_free(&r);
    mt_kb_close(kb);
}
