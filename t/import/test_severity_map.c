/*
** test_severity_map.c — the interaction sources' level mapping
** (lib/import/severity_map.c) against its documentation: every row of the
** table between the severity-map markers of docs/interactions.md must be in
** the code with the same canonical severity and tier, and the code must have
** no row the document lacks. Plus the combined ANSM levels and WorldVistA's
** misspelled levels.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "import/severity_map.h"
#include "materia/status.h"
#include "util/alloc.h"

#define DOC "docs/interactions.md"

static char *trim(char *s)
{
    char *end;
    while (*s == ' ')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r'))
        *--end = '\0';
    return s;
}

TEST(severity_map_matches_the_documented_table)
{
    const char *docs = getenv("MATERIA_DOCS");
    char path[1024], line[2048];
    size_t n, i;
    const mt_sevmap_row *tab = mt_sevmap_table(&n);
    int in_table = 0, rows = 0, seen_end = 0;
    int *documented;
    FILE *f;

    snprintf(path, sizeof(path), "%s", docs && *docs ? docs : DOC);
    f = fopen(path, "r");
    REQUIRE(f != NULL);                 /* run from the repository root, or set MATERIA_DOCS */
    documented = mt_calloc(n, sizeof(*documented));
    REQUIRE(documented != NULL);
    while (fgets(line, sizeof(line), f)) {
        char *cols[6], *p = line;
        int k = 0;
        mt_severity sev, want_sev;
        mt_tier tier, want_tier;

        if (strstr(line, "<!-- severity-map:begin -->")) {
            in_table = 1;
            continue;
        }
        if (strstr(line, "<!-- severity-map:end -->")) {
            seen_end = 1;
            break;
        }
        if (!in_table || line[0] != '|')
            continue;
        /* | source | level | canonical | tier | why | */
        p++;
        while (k < 6 && p && *p) {
            char *bar = strchr(p, '|');
            if (!bar)
                break;
            *bar = '\0';
            cols[k++] = trim(p);
            p = bar + 1;
        }
        if (k < 5 || strcmp(cols[0], "source") == 0 || strncmp(cols[0], "---", 3) == 0)
            continue;
        rows++;
        if (mt_sevmap_lookup(cols[0], cols[1], &sev, &tier) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "documented row %s / \"%s\" is not in severity_map.c", cols[0], cols[1]);
            continue;
        }
        if (mt_severity_parse(cols[2], &want_sev) != MT_OK || mt_tier_parse(cols[3], &want_tier) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "row %s / \"%s\": bad canonical \"%s\" or tier \"%s\"", cols[0], cols[1],
                         cols[2], cols[3]);
            continue;
        }
        if (sev != want_sev || tier != want_tier)
            mt_test_fail(__FILE__, __LINE__, "row %s / \"%s\": document says %s/%s, code says %s/%s", cols[0], cols[1],
                         cols[2], cols[3], mt_severity_name(sev), mt_tier_name(tier));
        for (i = 0; i < n; i++)
            if (strcmp(tab[i].source, cols[0]) == 0 && strcmp(tab[i].level, cols[1]) == 0)
                documented[i] = 1;
    }
    fclose(f);
    CHECK(seen_end);
    CHECK_EQ_INT(rows, (long long)n);
    for (i = 0; i < n; i++)
        if (!documented[i])
            mt_test_fail(__FILE__, __LINE__, "severity_map.c row %s / \"%s\" is not in %s", tab[i].source, tab[i].level,
                         path);
    mt_free(documented);
}

TEST(severity_map_levels_and_names)
{
    mt_severity sev;
    mt_tier tier;
    const char *combined[] = { "CONTRE-INDICATION", "Association DECONSEILLEE", "A prendre en compte" };
    const char *two[] = { "A prendre en compte", "Précaution d'emploi" };
    const char *none[] = { "Très grave" };

    /* levels are compared by name key: case and accents do not matter */
    CHECK(mt_sevmap_lookup("ansm", "association déconseillée", &sev, &tier) == MT_OK && sev == MT_SEV_MAJOR);
    CHECK(mt_sevmap_lookup("ansm", "PRECAUTION D'EMPLOI", &sev, NULL) == MT_OK && sev == MT_SEV_MODERATE);
    CHECK(mt_sevmap_lookup("ansm", "Critical", &sev, NULL) == MT_ENOTFOUND);   /* another source's level */
    CHECK(mt_sevmap_lookup("onc-high", "High priority (always interrupt)", &sev, &tier) == MT_OK &&
          sev == MT_SEV_MAJOR && tier == MT_TIER_INTERRUPTIVE);
    CHECK(mt_sevmap_lookup("onc-nonint", "Non-interruptive (show, do not interrupt)", &sev, &tier) == MT_OK &&
          sev == MT_SEV_UNKNOWN && tier == MT_TIER_NONINTERRUPTIVE);
    CHECK(mt_sevmap_lookup("tripsit", "Low Risk & Decrease", &sev, NULL) == MT_OK && sev == MT_SEV_MINOR);

    /* combined ANSM levels: the most severe */
    CHECK(mt_sevmap_most_severe("ansm", combined, 3, &sev) == MT_OK && sev == MT_SEV_CONTRAINDICATED);
    CHECK(mt_sevmap_most_severe("ansm", two, 2, &sev) == MT_OK && sev == MT_SEV_MODERATE);
    CHECK(mt_sevmap_most_severe("ansm", none, 1, &sev) == MT_ENOTFOUND);

    /* WorldVistA's typed levels */
    CHECK_STR(mt_sevmap_worldvista_level("CONTRAINDICATON"), "Contraindication");
    CHECK_STR(mt_sevmap_worldvista_level("C0NTRAINDICATION"), "Contraindication");
    CHECK_STR(mt_sevmap_worldvista_level("Contraindication - Not recommended - Precaution for use"), "Contraindication");
    CHECK_STR(mt_sevmap_worldvista_level("Nor recommended"), "Not recommended");
    CHECK_STR(mt_sevmap_worldvista_level("Not recommeded:"), "Not recommended");
    CHECK_STR(mt_sevmap_worldvista_level("Precaution for use with:"), "Precaution for use");
    CHECK_STR(mt_sevmap_worldvista_level("Tale into account"), "Take into account");
    CHECK(mt_sevmap_worldvista_level("With doses of methotrexate > 20 mg/week") == NULL);
    CHECK(mt_sevmap_worldvista_level("") == NULL);

    /* names */
    CHECK_STR(mt_severity_name(MT_SEV_CONTRAINDICATED), "contraindicated");
    CHECK_STR(mt_tier_name(MT_TIER_NONINTERRUPTIVE), "non-interruptive");
    CHECK(mt_severity_parse("moderate", &sev) == MT_OK && sev == MT_SEV_MODERATE);
    CHECK(mt_severity_parse("severe", &sev) == MT_ENOTFOUND);
}
