/*
** pindex.h — the pill index inside the knowledge-base file: its section ids
** (200..204, in the range 200..249 that lib/pill/ owns), its on-disk
** records, the read-only view the query side uses (pi_index), and the
** imprint normalization that the build side and the query side must share.
**
** Written by pill_build.c at `materia build` (a section hook), read in place
** by pill.c. docs/reference/pills.md draws the layout; in short:
**
**   META   one pi_meta: version, counts.
**   PILLS  one pi_pill per KB pill (same index as KB_SEC_PILLS): the
**          normalized imprint ("G 4960 25 MG"), its confusion-folded form
**          ("6 4960 25 M6"), the SPL colour and shape codes (indexes into
**          the KB's codes table; up to three colours for multi-tone pills),
**          the pill's group: the first pill with the same imprint,
**          colours, shape, name and drug (other NDCs of one product), and
**          its slice of DRUGS.
**   KEYS   sorted pi_key: (kind, value) -> a slice of POST. Kinds: a whole
**          folded token, the whole folded imprint joined without separators
**          (forward and with the tokens reversed), character bigrams and
**          trigrams of the joined form, a colour code, a shape code.
**   POST   uint32 pill indexes, ascending within a key.
**   DRUGS  the drugs of each pill (grouped by pill): its product's
**          ingredients, each salt as its ingredient; without a product, its
**          drug and the other ingredients its name gives ("ACETAMINOPHEN
**          500 MG / OXYCODONE HYDROCHLORIDE 5 MG ORAL CAPSULE").
**
** Bounds: mt_pill_kb_validate (run by mt_kb_open through lib/kb/kbhooks.c)
** checks every record once: strings in the pool and no longer than
** PI_NORM_MAX, codes inside the codes table, keys strictly ascending,
** slices inside POST, postings inside the pill table. Query code then
** indexes without re-checking.
*/
#ifndef MT_PINDEX_H
#define MT_PINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "kb/kb_internal.h"
#include "util/buf.h"

#define PI_FORMAT_VERSION 1u

enum {
    PI_SEC_META  = 200,   /* blob: one pi_meta */
    PI_SEC_PILLS = 201,   /* pi_pill, one per KB pill, same order */
    PI_SEC_KEYS  = 202,   /* pi_key, strictly ascending key */
    PI_SEC_POST  = 203,   /* uint32 pill indexes, ascending within each key */
    PI_SEC_DRUGS = 204    /* uint32 KB drugs of each pill, grouped by pill */
};

/* Normalization limits. */
#define PI_NORM_MAX   96u    /* bytes of a normalized imprint (longer imprints are cut at a token) */
#define PI_TOK_MAX    16u    /* tokens kept */
#define PI_MAX_COLORS 3u     /* colours kept per pill */
#define PI_MAX_DRUGS  8u     /* drugs kept per pill */
#define PI_NONE16     0xFFFFu

/* kb_pill.flags as the model writes them (MDL_PILLF_*, lib/model/model.h;
** pill_build.c checks that they agree). */
#define PI_FLAG_LOW_CONFIDENCE  0x01u   /* from a cross-check source only, no imprint */
#define PI_FLAG_FILLED_LABELER  0x02u   /* labeler from a fallback source (fill_cite) */
#define PI_FLAG_FILLED_COLOR    0x04u
#define PI_FLAG_FILLED_STRENGTH 0x08u

/* Key kinds (top byte of pi_key.key). */
enum {
    PI_K_TOKEN = 1,       /* hash of one folded token */
    PI_K_JOIN  = 2,       /* hash of the folded tokens joined, forward or reversed */
    PI_K_GRAM2 = 3,       /* two folded characters of the joined form */
    PI_K_GRAM3 = 4,       /* three */
    PI_K_COLOR = 5,       /* KB code index of an SPL colour */
    PI_K_SHAPE = 6        /* KB code index of an SPL shape */
};

typedef struct pi_meta {
    uint32_t version;     /* PI_FORMAT_VERSION */
    uint32_t npills;      /* = KB pills */
    uint32_t nkeys;
    uint32_t npost;
    uint32_t norm_max;    /* PI_NORM_MAX */
    uint32_t reserved[11];
} pi_meta;

typedef struct pi_pill {
    uint64_t mask;        /* pi_char_mask of fold: a query character the pill lacks costs an edit */
    uint32_t norm;        /* string: tokens upper case, one space between ("" = no imprint) */
    uint32_t fold;        /* string: norm with each character folded (pi_fold_char) */
    uint32_t group;       /* first pill with the same norm, colours, shape, name, drug, product */
    uint32_t drugs;       /* first of its ndrugs entries in DRUGS */
    uint16_t color[PI_MAX_COLORS];  /* KB code index (system SPL-COLOR) or PI_NONE16 */
    uint16_t shape;       /* KB code index (system SPL-SHAPE) or PI_NONE16 */
    uint8_t  ncolor;      /* colours set in color[] */
    uint8_t  ntok;        /* tokens in norm */
    uint8_t  nchar;       /* letters and digits in norm */
    uint8_t  ndrugs;      /* drugs in DRUGS (at most PI_MAX_DRUGS) */
    uint32_t reserved;
} pi_pill;

typedef struct pi_key {
    uint64_t key;         /* PI_KEY(kind, value) */
    uint32_t first;       /* first posting */
    uint32_t count;       /* postings (>= 1) */
} pi_key;

_Static_assert(sizeof(pi_meta) == 64, "pi_meta");
_Static_assert(sizeof(pi_pill) == 40, "pi_pill");
_Static_assert(sizeof(pi_key) == 16, "pi_key");

#define PI_KEY(kind, value) (((uint64_t)(kind) << 56) | ((uint64_t)(value) & ((UINT64_C(1) << 56) - 1)))
#define PI_KEY_KIND(k)      ((unsigned)((k) >> 56))

/* The read-only view: pointers into the map. */
typedef struct pi_index {
    const mt_kb    *kb;
    const pi_meta  *meta;
    const pi_pill  *pills;  uint32_t npills;
    const pi_key   *keys;   uint32_t nkeys;
    const uint32_t *post;   uint32_t npost;
    const uint32_t *drugs;  uint32_t ndrugs;
} pi_index;

/* Maps the sections of kb into ix (a few section-table lookups). MT_OK;
** MT_ENOTFOUND when the file has no pill index; MT_ECORRUPT when sections
** are missing or disagree; MT_EVERSION for another index version. */
int pi_index_open(pi_index *ix, const mt_kb *kb);

/* The validation hook (lib/kb/kbhooks.c). MT_OK (also when there is no pill
** index), MT_ECORRUPT with a reason appended to why. */
int mt_pill_kb_validate(const mt_kb *kb, mt_buf *why);

/* The slice of POST for key, or *count = 0. Binary search. */
const uint32_t *pi_postings(const pi_index *ix, uint64_t key, uint32_t *count);

/* --- imprint normalization (shared by build and query) ------------------------
** An imprint is split into tokens at every byte that is not an ASCII letter
** or digit (';' between SPL sides and tokens, spaces, dashes, slashes, dots,
** non-ASCII); letters are upper-cased. The normalized form is the tokens
** joined by one space: "g;4960 - 25;mg" -> "G 4960 25 MG". At most
** PI_TOK_MAX tokens and PI_NORM_MAX - 1 bytes are kept, cut at a token
** (a first token longer than that is cut).
** Returns the length; out (outsz >= 1) is NUL-terminated. */
size_t pi_normalize(const char *imprint, char *out, size_t outsz, unsigned *ntok, unsigned *nchar);

/* The confusion class of an upper-case letter or digit: the characters a
** worn or misread imprint mixes up are folded onto one (docs/reference/pills.md):
** O, Q -> 0; I, L -> 1; Z -> 2; S -> 5; G -> 6; B -> 8. Others unchanged. */
static inline char pi_fold_char(char c)
{
    switch (c) {
    case 'O': case 'Q': return '0';
    case 'I': case 'L': return '1';
    case 'Z': return '2';
    case 'S': return '5';
    case 'G': return '6';
    case 'B': return '8';
    default:  return c;
    }
}

/* The set of characters of s[0..n): bits 0..25 for A..Z, 26..35 for 0..9.
** Characters of a query that a pill's set lacks each need an edit, so
** popcount(query & ~pill) bounds the edit distance from below. */
static inline uint64_t pi_char_mask(const char *s, size_t n)
{
    uint64_t m = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch >= 'A' && ch <= 'Z')
            m |= UINT64_C(1) << (ch - 'A');
        else if (ch >= '0' && ch <= '9')
            m |= UINT64_C(1) << (26 + ch - '0');
    }
    return m;
}

/* Folds n bytes of s in place. */
void pi_fold(char *s, size_t n);

/* The 56-bit hash of a key string (tokens, joined forms). */
uint64_t pi_hash(const char *s, size_t n);

/* Key values of grams: up to three characters packed in 8 bits each. */
static inline uint64_t pi_gram(const char *s, unsigned n)
{
    uint64_t v = 0;
    unsigned i;
    for (i = 0; i < n; i++)
        v = (v << 8) | (unsigned char)s[i];
    return v;
}

#endif /* MT_PINDEX_H */
