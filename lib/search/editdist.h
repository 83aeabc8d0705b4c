/*
** editdist.h — bounded Damerau-Levenshtein distance (the "optimal string
** alignment" variant: insertions, deletions, substitutions and transpositions
** of two adjacent characters, each costing 1, no substring edited twice).
**
** Bounded: only the diagonal band |i - j| <= maxd is computed and the
** computation stops as soon as no cell can stay within maxd, so a call costs
** O(len * maxd) and no memory beyond the stack. Used to verify candidates
** from the deletion index and to rank phonetic matches.
*/
#ifndef MT_EDITDIST_H
#define MT_EDITDIST_H

#include <stddef.h>
#include <stdint.h>

#define MS_DIST_MAXLEN 128u   /* longer inputs are compared on their first 128 bytes */
#define MS_DIST_MAXD   8u     /* largest bound accepted */

typedef struct ms_dist {
    unsigned full;            /* distance between a and b, or maxd + 1 when over */
    unsigned prefix;          /* least distance between a and any prefix of b, or maxd + 1 */
} ms_dist;

/* Distances between a (n bytes) and b (m bytes) bounded by maxd
** (clamped to MS_DIST_MAXD). */
ms_dist ms_distance(const char *a, size_t n, const char *b, size_t m, unsigned maxd);

/* The same against one pattern compared with many strings, bit-parallel
** (Myers 1999 with Hyyro's 2003 transposition term): the pattern's
** character masks are built once, then each comparison costs a dozen word
** operations per character of b, whatever maxd. For keys (mt_text_key):
** bytes other than a-z, 0-9 and space never match anything. Patterns of up
** to 64 bytes; ms_pattern_init returns 0 for longer ones (use ms_distance). */
#define MS_PATTERN_CLASSES 38u   /* 0: any other byte; then a-z, 0-9, space */
typedef struct ms_pattern {
    uint64_t peq[MS_PATTERN_CLASSES];   /* bit i set: pattern[i] is of that class */
    unsigned len;
    char     text[64];                  /* the pattern, to skip a common beginning */
} ms_pattern;

int     ms_pattern_init(ms_pattern *p, const char *a, size_t n);
ms_dist ms_pattern_distance(const ms_pattern *p, const char *b, size_t m, unsigned maxd);

#endif /* MT_EDITDIST_H */
