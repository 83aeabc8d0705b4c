/*
** severity_map.h — how each interaction source's own level maps onto
** Materia's canonical severity (mt_severity) and alert tier (mt_tier).
**
** One table holds every mapping; docs/interactions.md prints the same table
** and t/import/test_severity_map.c checks, row by row, that the document and
** this table agree. The reasons for each row are in the document.
**
** Levels are compared by their name key (mt_text_key: case, accents and
** punctuation folded), so "Association DECONSEILLEE" and "association
** déconseillée" are the same level.
*/
#ifndef MT_SEVERITY_MAP_H
#define MT_SEVERITY_MAP_H

#include <stddef.h>

#include "materia/types.h"

typedef struct mt_sevmap_row {
    const char *source;     /* source id: "ansm", "worldvista", "onc-high", "onc-nonint", "ndfrt", "va56", "tripsit" */
    const char *level;      /* the source's level, verbatim */
    mt_severity severity;
    mt_tier     tier;
} mt_sevmap_row;

/* The whole table (static storage) and its length. */
const mt_sevmap_row *mt_sevmap_table(size_t *count);

/* The row for (source, level). MT_OK, MT_ENOTFOUND for a level the source
** does not define. */
int mt_sevmap_lookup(const char *source, const char *level, mt_severity *sev, mt_tier *tier);

/* ANSM levels, including the combined ones the thesaurus prints for one
** entry ("CONTRE-INDICATION" and "Association DECONSEILLEE" for different
** doses): the most severe of the levels given. MT_OK or MT_ENOTFOUND when
** none of them is an ANSM level. */
int mt_sevmap_most_severe(const char *source, const char *const *levels, size_t n, mt_severity *sev);

/* WorldVistA's hand-typed English levels ("Nor recommended", "CONTRAINDICATON",
** "Precaution for use:") normalized to one of its four levels; NULL when the
** text is not a level (some rows carry management text in that column). */
const char *mt_sevmap_worldvista_level(const char *text);

/* Lower-case canonical names as printed in the documentation and the CLI:
** "contraindicated", "major", "moderate", "minor", "unknown". */
const char *mt_severity_name(mt_severity sev);
/* "interruptive", "non-interruptive", "default". */
const char *mt_tier_name(mt_tier tier);
/* Inverse of mt_severity_name; MT_ENOTFOUND for other words. */
int mt_severity_parse(const char *name, mt_severity *out);
int mt_tier_parse(const char *name, mt_tier *out);

#endif /* MT_SEVERITY_MAP_H */
