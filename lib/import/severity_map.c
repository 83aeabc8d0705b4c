/*
** severity_map.c — the interaction sources' levels mapped onto the canonical
** severity and tier (severity_map.h). The reasons are in
** docs/interactions.md, whose mapping table must stay identical to this one
** (t/import/test_severity_map.c compares them).
*/
#include "import/severity_map.h"

#include <string.h>

#include "materia/status.h"
#include "util/text.h"

#define LEVEL_KEY_MAX 256

static const mt_sevmap_row table[] = {
    /* ANSM thesaurus (French, 2020-10-20): four regulatory levels. */
    { "ansm", "CONTRE-INDICATION",                MT_SEV_CONTRAINDICATED, MT_TIER_DEFAULT },
    { "ansm", "Association DECONSEILLEE",         MT_SEV_MAJOR,           MT_TIER_DEFAULT },
    { "ansm", "Précaution d'emploi",              MT_SEV_MODERATE,        MT_TIER_DEFAULT },
    { "ansm", "A prendre en compte",              MT_SEV_MINOR,           MT_TIER_DEFAULT },
    { "ansm", "Il convient de prendre en compte", MT_SEV_MINOR,           MT_TIER_DEFAULT },
    /* WorldVistA English translation (2016): the same four levels. */
    { "worldvista", "Contraindication",           MT_SEV_CONTRAINDICATED, MT_TIER_DEFAULT },
    { "worldvista", "Not recommended",            MT_SEV_MAJOR,           MT_TIER_DEFAULT },
    { "worldvista", "Precaution for use",         MT_SEV_MODERATE,        MT_TIER_DEFAULT },
    { "worldvista", "Take into account",          MT_SEV_MINOR,           MT_TIER_DEFAULT },
    /* ONC alerting-policy lists (Phansalkar 2012, 2013). */
    { "onc-high", "High priority (always interrupt)", MT_SEV_MAJOR,       MT_TIER_INTERRUPTIVE },
    { "onc-nonint", "Non-interruptive (show, do not interrupt)", MT_SEV_UNKNOWN, MT_TIER_NONINTERRUPTIVE },
    /* VA NDF-RT. */
    { "ndfrt", "Critical",                        MT_SEV_MAJOR,           MT_TIER_DEFAULT },
    { "ndfrt", "Significant",                     MT_SEV_MODERATE,        MT_TIER_DEFAULT },
    /* VA file 56: the severity nodes are missing from the export. */
    { "va56", "Interaction reported (severity not graded)", MT_SEV_UNKNOWN, MT_TIER_DEFAULT },
    /* TripSit (harm reduction; combo_definitions.json). */
    { "tripsit", "Dangerous",                     MT_SEV_MAJOR,           MT_TIER_DEFAULT },
    { "tripsit", "Unsafe",                        MT_SEV_MAJOR,           MT_TIER_DEFAULT },
    { "tripsit", "Caution",                       MT_SEV_MODERATE,        MT_TIER_DEFAULT },
    { "tripsit", "Low Risk & Synergy",            MT_SEV_MINOR,           MT_TIER_DEFAULT },
    { "tripsit", "Low Risk & No Synergy",         MT_SEV_MINOR,           MT_TIER_DEFAULT },
    { "tripsit", "Low Risk & Decrease",           MT_SEV_MINOR,           MT_TIER_DEFAULT },
    { "tripsit", "Unknown",                       MT_SEV_UNKNOWN,         MT_TIER_DEFAULT },
};

const mt_sevmap_row *mt_sevmap_table(size_t *count)
{
    *count = sizeof(table) / sizeof(table[0]);
    return table;
}

int mt_sevmap_lookup(const char *source, const char *level, mt_severity *sev, mt_tier *tier)
{
    char want[LEVEL_KEY_MAX], have[LEVEL_KEY_MAX];
    size_t i;

    if (!source || !level || !mt_text_key(level, want, sizeof(want)))
        return MT_ENOTFOUND;
    for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
        if (strcmp(table[i].source, source) != 0)
            continue;
        mt_text_key(table[i].level, have, sizeof(have));
        if (strcmp(want, have) == 0) {
            if (sev)
                *sev = table[i].severity;
            if (tier)
                *tier = table[i].tier;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

int mt_sevmap_most_severe(const char *source, const char *const *levels, size_t n, mt_severity *sev)
{
    size_t i;
    int found = 0;
    mt_severity best = MT_SEV_UNKNOWN, s;

    for (i = 0; i < n; i++) {
        if (mt_sevmap_lookup(source, levels[i], &s, NULL) != MT_OK)
            continue;
        if (!found || s > best)
            best = s;
        found = 1;
    }
    if (!found)
        return MT_ENOTFOUND;
    *sev = best;
    return MT_OK;
}

static int starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

const char *mt_sevmap_worldvista_level(const char *text)
{
    char k[LEVEL_KEY_MAX];

    if (!text || !mt_text_key(text, k, sizeof(k)))
        return NULL;
    /* Combined levels ("Contraindication - Not recommended - Precaution for
    ** use") start with the most severe one, as in the French original. */
    if (starts(k, "contra") || starts(k, "c0ntra"))
        return "Contraindication";
    if ((starts(k, "not re") || starts(k, "nor re")) && strlen(k) < 40)
        return "Not recommended";
    if (starts(k, "precaution"))
        return "Precaution for use";
    if (starts(k, "take into") || starts(k, "tale into"))
        return "Take into account";
    return NULL;
}

static const char *const sev_names[] = { "unknown", "minor", "moderate", "major", "contraindicated" };
static const char *const tier_names[] = { "default", "interruptive", "non-interruptive" };

const char *mt_severity_name(mt_severity sev)
{
    return (unsigned)sev < sizeof(sev_names) / sizeof(sev_names[0]) ? sev_names[sev] : "unknown";
}

const char *mt_tier_name(mt_tier tier)
{
    return (unsigned)tier < sizeof(tier_names) / sizeof(tier_names[0]) ? tier_names[tier] : "default";
}

int mt_severity_parse(const char *name, mt_severity *out)
{
    size_t i;
    for (i = 0; name && i < sizeof(sev_names) / sizeof(sev_names[0]); i++) {
        if (strcmp(name, sev_names[i]) == 0) {
            *out = (mt_severity)i;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

int mt_tier_parse(const char *name, mt_tier *out)
{
    size_t i;
    for (i = 0; name && i < sizeof(tier_names) / sizeof(tier_names[0]); i++) {
        if (strcmp(name, tier_names[i]) == 0) {
            *out = (mt_tier)i;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}
