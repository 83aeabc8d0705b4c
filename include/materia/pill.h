/*
** materia/pill.h — "what is this pill?": identifying a tablet or capsule
** from its imprint, colour, shape, size and score, and drawing it.
**
** Imprint. Matched on either side and in any token order, ignoring case,
** spaces, dashes and other punctuation ("g-4960 25mg" = "G;4960;25;MG"),
** tolerating the usual confusions of a worn or misread imprint (O/Q/0,
** I/L/1, Z/2, S/5, G/6, B/8) and, from 3 characters, one edit (a missing,
** extra, wrong or swapped character); from 8 characters, two. A query that
** gives only one side matches as "partial". docs/reference/pills.md has the details.
**
** Colour and shape. SPL's own names (the 12 colours and 19 shapes of the
** FDA Structured Product Labeling vocabulary) and common words mapped onto
** them ("light blue", "navy" -> BLUE; "cream", "off-white" -> WHITE;
** "oblong", "caplet" -> CAPSULE; the table with the reason for each mapping
** is in docs/reference/pills.md). Two colours ("blue and white", "blue/white") ask for
** a two-tone pill.
**
** Ranking. Every result has a confidence (0..100) and says what matched:
** the imprint (exact, confusion, partial with its coverage, or fuzzy with
** its edit distance), the colour, the shape, the size and the score, each
** as match / partial / near / unknown / mismatch. With an imprint, colour
** and shape rank results; without one, they filter. Results that differ
** only by NDC (the same product in other packages) are folded into one.
** An imprint that matches nothing gives no results and the closest
** near-misses; that is not an error.
**
** Cost: the index is read in place from the memory-mapped knowledge base;
** a query allocates nothing (its work memory is the results' scratch) and
** its work is bounded by fixed caps (postings read, candidates verified);
** when a cap cut it short, results->capped is set.
**
** Threads: any number of threads may search one mt_kb at once, each with
** its own mt_pill_results. Indexes in results are KB pill indexes, valid
** for that knowledge-base file.
*/
#ifndef MATERIA_PILL_H
#define MATERIA_PILL_H

#include <stddef.h>
#include <stdint.h>

#include "materia/kb.h"
#include "materia/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mt_buf;   /* lib/util/buf.h: a bounded, growable buffer */

#define MT_PILL_MAX_RESULTS 50    /* largest limit */
#define MT_PILL_DEFAULT_LIMIT 10
#define MT_PILL_MAX_NEAR    5     /* near-misses kept when nothing matched */
#define MT_PILL_SAME_MAX    8     /* other NDCs of a folded result kept */
#define MT_PILL_QUERY_MAX   128   /* bytes of an imprint, colour or shape that are read */
#define MT_PILL_FAR         255   /* mt_pill_hit.distance of a near-miss that only shares whole tokens */

/* How the imprint matched. */
typedef enum mt_pill_imprint_match {
    MT_PILL_IMPRINT_NOT_ASKED = 0,
    MT_PILL_IMPRINT_EXACT     = 1,   /* every character, whole imprint (order and separators free) */
    MT_PILL_IMPRINT_CONFUSION = 2,   /* whole imprint, some characters only through a confusion */
    MT_PILL_IMPRINT_PARTIAL   = 3,   /* the query is part of the imprint (one side), exactly */
    MT_PILL_IMPRINT_FUZZY     = 4,   /* within the allowed edits */
    MT_PILL_IMPRINT_NEAR_MISS = 5    /* over the allowed edits (a few more), or sharing only
                                        whole tokens (distance MT_PILL_FAR): a near-miss only */
} mt_pill_imprint_match;

/* How a colour, shape, size or score matched. */
typedef enum mt_pill_attr_match {
    MT_PILL_ATTR_NOT_ASKED = 0,
    MT_PILL_ATTR_MATCH     = 1,
    MT_PILL_ATTR_PARTIAL   = 2,   /* colour: one of the colours of a two-tone pill / query */
    MT_PILL_ATTR_NEAR      = 3,   /* a neighbouring colour or shape; a size within twice the tolerance */
    MT_PILL_ATTR_UNKNOWN   = 4,   /* the pill's record does not say */
    MT_PILL_ATTR_MISMATCH  = 5
} mt_pill_attr_match;

/* A query; NULL or "" (0 for numbers) means "any". At least one field must
** be given. */
typedef struct mt_pill_query {
    const char *imprint;     /* as read from the pill, any case and separators */
    const char *color;       /* one or two colour words: "white", "blue and white", "light blue" */
    const char *shape;       /* a shape word: "round", "oblong", "capsule" */
    double      size_mm;     /* longest dimension in mm; matched within max(1 mm, 10%) */
    int         score;       /* number of pieces the score divides it into (1 = not scored) */
} mt_pill_query;

typedef struct mt_pill_hit {
    uint32_t pill;           /* KB pill index (mt_pill_svg, /api/v1/pills/{pill}.svg) */
    uint8_t  confidence;     /* 0..100 */
    uint8_t  imprint;        /* mt_pill_imprint_match */
    uint8_t  distance;       /* imprint edits after folding confusions; MT_PILL_FAR: many */
    uint8_t  confusions;     /* characters that matched only through a confusion */
    uint8_t  coverage;       /* percent of the pill's imprint characters the query accounts for */
    uint8_t  color, shape, size, score;   /* mt_pill_attr_match */
    uint8_t  reserved[3];
    uint32_t nsame;          /* other pills folded into this result (other NDCs) */
    uint32_t same[MT_PILL_SAME_MAX];   /* the first of them */
} mt_pill_hit;

typedef struct mt_pill_scratch mt_pill_scratch;

typedef struct mt_pill_results {
    uint32_t    count;                       /* hits, best first */
    mt_pill_hit hits[MT_PILL_MAX_RESULTS];
    uint32_t    nnear;                       /* near-misses (only when count == 0) */
    mt_pill_hit near[MT_PILL_MAX_NEAR];
    uint32_t    matched;     /* pills that matched, before folding and the limit */
    uint32_t    examined;    /* candidate pills compared: the work this query took */
    uint32_t    capped;      /* a cap was reached: weaker matches may be missing */
    char        error[160];  /* why a query was refused (MT_EINVAL), e.g. an unknown colour word */
    mt_pill_scratch *scratch;
} mt_pill_results;

/* Allocates the scratch of r (about 150 KiB), once; reuse r for any number
** of queries. MT_OK or MT_ENOMEM. */
int  mt_pill_results_init(mt_pill_results *r);
void mt_pill_results_free(mt_pill_results *r);

/* Searches and fills r with at most limit results (1..MT_PILL_MAX_RESULTS;
** 0 means MT_PILL_DEFAULT_LIMIT). Returns MT_OK (r->count may be 0, with
** near-misses in r->near); MT_EINVAL with r->error for a NULL argument, an
** empty query, an unknown colour or shape word, a negative size or score;
** MT_ECORRUPT when the knowledge base has no pill index. */
int  mt_pill_search(const mt_kb *kb, const mt_pill_query *q, unsigned limit, mt_pill_results *r);

/* Appends {"kb", "query", "count", "matched", "capped", "results",
** "near_misses", "sources"} (docs/reference/pills.md, "JSON") for a search that
** returned MT_OK. pretty: indented. MT_OK, MT_EINVAL, MT_ENOMEM, MT_ELIMIT. */
int  mt_pill_json(const mt_kb *kb, const mt_pill_query *q, const mt_pill_results *r,
                  int pretty, struct mt_buf *out);

/* Appends the results as text, one block per result (the CLI's output). */
int  mt_pill_text(const mt_kb *kb, const mt_pill_query *q, const mt_pill_results *r,
                  struct mt_buf *out);

/* Appends an SVG drawing of KB pill `pill`: its shape, its colours (SPL hex
** values; two-tone capsules in halves), its score line and its imprint
** text, XML-escaped. A standalone, well-formed SVG document. MT_OK,
** MT_ENOTFOUND (no such pill), MT_EINVAL, MT_ENOMEM, MT_ELIMIT. */
int  mt_pill_svg(const mt_kb *kb, uint32_t pill, struct mt_buf *out);

/* Stable lower-case names: "not_asked", "exact", "confusion", "partial",
** "fuzzy", "near_miss"; and "not_asked", "match", "partial", "near",
** "unknown", "mismatch". Never NULL. */
const char *mt_pill_imprint_match_name(int m);
const char *mt_pill_attr_match_name(int m);

#ifdef __cplusplus
}
#endif
#endif /* MATERIA_PILL_H */
