/*
** sindex.h — the search index inside the knowledge-base file: its section
** ids (101..112, in the range 100..149 that lib/search/ owns), its on-disk
** records, and the read-only view the query side uses (ms_index).
**
** Written by search_build.c at `materia build` (a section hook), read in
** place from the map by search.c. docs/reference/search.md draws the layout; in short:
**
**   KEYS     every distinct name key (mt_text_key of a name), sorted by
**            memcmp order: exact lookup and prefix ranges by binary search.
**            Each key owns a slice of ENTRIES: (drug, name kind, source,
**            display text), one per drug that has that name.
**   BLOCKS   the best prefix priority of each run of MS_BLOCK keys, so that
**            "top completions in a prefix range" skips runs that cannot win.
**   NORMS    normalized forms (salts, strengths, dose forms removed, words
**            sorted) -> entries: "zoloft 50 mg tablet" finds the brand Zoloft.
**   DEL      SymSpell-style deletion neighbourhood: every string obtained by
**            deleting up to MS_DEL_MAXD characters from the first
**            MS_DEL_PREFIX characters of a name key, hashed into buckets of
**            key ids. Candidates for bounded Damerau-Levenshtein.
**   PHONS    phonetic codes (ms_phonetic) -> key ids.
**   CODES    RxCUI, NDC-11, UNII and DrugBank ids -> (drug, display text).
**   PRIORS   per KB drug: the popularity prior of the drug it resolves to.
**   KEY_SAMPLE, NORM_HASH, PHON_HASH  small access paths: the head of every
**            64th key (a binary search over 9 KB that stays in cache, then
**            one over 64 neighbouring keys), and open-addressing hash tables
**            (linear probing, at most half full) for the exact lookups of
**            normalized forms and phonetic codes.
**
** Strings (keys, forms, codes, display texts) live in the knowledge base's
** shared string pool; drug names, parents (salt -> ingredient) and source
** ids are read from the core tables.
**
** Bounds: mt_search_kb_validate (run by mt_kb_open through lib/kb/kbhooks.c)
** checks every record once, in one linear pass: string offsets inside the
** pool with the NUL where the length says, indexes inside their tables,
** postings inside their arrays. Query code then indexes without re-checking.
** Nothing is built or sorted at open: no start-up work beyond that pass.
*/
#ifndef MT_SINDEX_H
#define MT_SINDEX_H

#include <stddef.h>
#include <stdint.h>

#include "kb/kb_internal.h"
#include "materia/types.h"
#include "util/buf.h"

#define MS_FORMAT_VERSION 1u

/* Id 100 is left unused: t/kbwrite writes a stand-in engine section there. */
enum {
    MS_SEC_META       = 101,  /* blob: one ms_meta */
    MS_SEC_KEYS       = 102,  /* ms_key, sorted by key (memcmp, then length) */
    MS_SEC_ENTRIES    = 103,  /* ms_entry, grouped by key, best first */
    MS_SEC_BLOCKS     = 104,  /* uint32: max ms_key.prio of keys [i*MS_BLOCK, (i+1)*MS_BLOCK) */
    MS_SEC_NORMS      = 105,  /* ms_list, sorted by normalized form */
    MS_SEC_NORM_POST  = 106,  /* uint32 entry ids */
    MS_SEC_DEL_BUCKET = 107,  /* uint32[nbuckets + 1]: start of each bucket in DEL_POST */
    MS_SEC_DEL_POST   = 108,  /* uint64 postings (MS_POST): length, key id, letters */
    MS_SEC_PHONS      = 109,  /* ms_list, sorted by phonetic code */
    MS_SEC_PHON_POST  = 110,  /* uint32 key ids */
    MS_SEC_CODES      = 111,  /* ms_code, sorted by value, then best first */
    MS_SEC_PRIORS     = 112,  /* uint32 per KB drug: prior of the drug it resolves to */
    MS_SEC_KEY_SAMPLE = 113,  /* uint64: the head of every MS_SAMPLE-th key */
    MS_SEC_NORM_HASH  = 114,  /* uint32 slots: NORMS index + 1 by ms_str_hash, 0 = empty */
    MS_SEC_PHON_HASH  = 115   /* uint32 slots: PHONS index + 1 by ms_str_hash, 0 = empty */
};

/* Index parameters (stored in ms_meta so a reader checks it agrees). */
#define MS_DEL_PREFIX 7u      /* deletions are taken over the first 7 characters (<= 7: one word) */
#define MS_DEL_MAXD   2u      /* up to 2 deletions: edit distance <= 2 */
#define MS_BLOCK      32u     /* keys per BLOCKS entry */
#define MS_SAMPLE     64u     /* keys per KEY_SAMPLE entry */
#define MS_KEY_MAX    250u    /* longest key stored (bytes); longer names are cut */
#define MS_APPROX_MAX 64u     /* longest key indexed for approximate and phonetic match */
#define MS_NORM_POST_MAX 32u  /* drugs kept per normalized form (best prior first) */
#define MS_PHON_MAX   32u     /* longest phonetic code */
#define MS_PHON_POST_MAX 64u  /* keys kept per phonetic code (best priority first) */
#define MS_MAX_KEYS   (1u << 24)  /* key ids fit the 24 bits of a deletion posting */

/* A deletion posting, 64 bits: the key length (8 bits; MS_APPROX_MAX keeps
** it under 65), the key id (24 bits) and the key's letter set (32 bits,
** ms_char_mask), so that candidates of the wrong length or with too many
** letters the query lacks are skipped without reading the key. Within a
** bucket, postings ascend: by length, then key. */
#define MS_POST(key, len, mask) \
    ((uint64_t)(len) << 56 | (uint64_t)(key) << 32 | (uint64_t)(uint32_t)(mask))
#define MS_POST_LEN(p)    ((unsigned)((p) >> 56))
#define MS_POST_KEY(p)    ((uint32_t)((p) >> 32) & 0xFFFFFFu)
#define MS_POST_MASK(p)   ((uint32_t)(p))

/* The set of characters of s: bit 0..25 for a..z, 26..31 for digits (two
** digits share a bit). Letters in one string and not in the other need one
** edit each, so popcount(a & ~b) bounds the edit distance from below. */
static inline uint32_t ms_char_mask(const char *s, size_t n)
{
    uint32_t m = 0;
    size_t i;
    for (i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            m |= 1u << (c - 'a');
        else if (c >= '0' && c <= '9')
            m |= 1u << (26 + (c - '0') % 6);
    }
    return m;
}

/* Code types stored in ms_code.type (public: mt_search_code). */
enum { MS_CODE_RXCUI = 1, MS_CODE_NDC = 2, MS_CODE_UNII = 3, MS_CODE_DRUGBANK = 4 };

typedef struct ms_meta {
    uint32_t version;         /* MS_FORMAT_VERSION */
    uint32_t del_prefix;      /* MS_DEL_PREFIX */
    uint32_t del_maxd;        /* MS_DEL_MAXD */
    uint32_t block;           /* MS_BLOCK */
    uint32_t nbuckets;        /* deletion buckets, a power of two */
    uint32_t ndrugs;          /* records in PRIORS: the KB's drug count */
    uint32_t nname_keys;      /* keys that are names (not only product names) */
    uint32_t reserved[9];
} ms_meta;

typedef struct ms_key {
    uint64_t head;            /* first 8 key bytes, big-endian, zero-padded: integer order = memcmp order */
    uint32_t str;             /* string: the key */
    uint32_t first;           /* first entry in ENTRIES */
    uint32_t prio;            /* prefix-completion priority: the best ms_prio of its entries */
    uint16_t len;             /* key length */
    uint16_t count;           /* entries */
} ms_key;

typedef struct ms_entry {
    uint32_t drug;            /* KB drug the name belongs to */
    uint32_t resolved;        /* the drug it resolves to (a salt form's ingredient), for ranking */
    uint32_t prior;           /* that drug's prior: an entry ranks without reading anything else */
    uint32_t text;            /* string: the name as the source spells it */
    uint16_t source;          /* KB source index */
    uint8_t  kind;            /* mt_name_kind */
    uint8_t  reserved;
} ms_entry;

typedef struct ms_list {      /* a string -> a slice of a postings array */
    uint32_t str;             /* string */
    uint32_t first;           /* first posting */
    uint16_t len;             /* string length */
    uint16_t count;           /* postings */
} ms_list;

typedef struct ms_code {
    uint64_t value;           /* ms_code_value(): (type << 56) | numeric value */
    uint32_t drug;            /* KB drug */
    uint32_t text;            /* string: what the code names (product, brand, drug) */
    uint16_t source;          /* KB source index */
    uint8_t  type;            /* MS_CODE_* */
    uint8_t  kind;            /* mt_name_kind of text (MT_NAME_PRODUCT for NDCs) */
    uint32_t reserved;
} ms_code;

_Static_assert(sizeof(ms_meta) == 64, "ms_meta");
_Static_assert(sizeof(ms_key) == 24, "ms_key");
_Static_assert(sizeof(ms_entry) == 20, "ms_entry");
_Static_assert(sizeof(ms_list) == 12, "ms_list");
_Static_assert(sizeof(ms_code) == 24, "ms_code");

/* The read-only view: pointers into the map and their counts. */
typedef struct ms_index {
    const mt_kb    *kb;
    const ms_meta  *meta;
    const ms_key   *keys;       uint32_t nkeys;
    const ms_entry *entries;    uint32_t nentries;
    const uint32_t *blocks;     uint32_t nblocks;
    const ms_list  *norms;      uint32_t nnorms;
    const uint32_t *norm_post;  uint32_t nnorm_post;
    const uint32_t *del_bucket; uint32_t ndel_bucket;
    const uint64_t *del_post;   uint32_t ndel_post;
    const ms_list  *phons;      uint32_t nphons;
    const uint32_t *phon_post;  uint32_t nphon_post;
    const ms_code  *codes;      uint32_t ncodes;
    const uint32_t *priors;     uint32_t npriors;
    const uint64_t *samples;    uint32_t nsamples;
    const uint32_t *norm_hash;  uint32_t nnorm_hash;
    const uint32_t *phon_hash;  uint32_t nphon_hash;
} ms_index;

/* Maps the sections of kb into ix: a few section-table lookups, no scan.
** MT_OK; MT_ENOTFOUND when the file has no search index; MT_ECORRUPT when
** sections are missing or disagree in size; MT_EVERSION for another index
** version. */
int ms_index_open(ms_index *ix, const mt_kb *kb);

/* The validation hook (lib/kb/kbhooks.c): ms_index_open and then every
** record checked once. MT_OK (also when there is no search index),
** MT_ECORRUPT with a reason appended to why. */
int mt_search_kb_validate(const mt_kb *kb, mt_buf *why);

/* The key bytes of keys[k] (validated: len bytes then a NUL). */
static inline const char *ms_key_str(const ms_index *ix, uint32_t k)
{
    return ix->kb->str + ix->keys[k].str;
}

/* Authority of a name, the ranking step after edit distance: 0 for a
** drug's own name, a brand, an international name or a salt form; 1 for a
** synonym or a product name. "(+)-Citalopram", a synonym of escitalopram
** with the key "citalopram", must not outrank citalopram itself. */
static inline unsigned ms_authority(unsigned kind)
{
    return kind == MT_NAME_SYNONYM || kind == MT_NAME_PRODUCT;
}

/* The ranking after tier and distance packed in one integer, higher first:
** authority, prior (15 bits; priors stay under 64 * 256), shorter key. */
static inline uint32_t ms_prio(unsigned kind, uint32_t prior, unsigned len)
{
    uint32_t pr = prior > 0x7FFFu ? 0x7FFFu : prior;
    uint32_t ln = len > 0xFFFFu ? 0xFFFFu : len;
    return (ms_authority(kind) ? 0u : 1u << 31) | pr << 16 | (0xFFFFu - ln);
}

/* Packs a key's first 8 bytes for ms_key.head. */
static inline uint64_t ms_key_head(const char *key, size_t len)
{
    uint64_t h = 0;
    size_t i;
    for (i = 0; i < 8; i++)
        h = (h << 8) | (i < len ? (unsigned char)key[i] : 0u);
    return h;
}

/* Code values: type in the top byte, the code as a number below. NDC-11 and
** RxCUI are decimal numbers; UNII is 10 base-36 characters (< 2^52);
** DrugBank "DB01221" is 1221. */
static inline uint64_t ms_code_value(unsigned type, uint64_t num)
{
    return ((uint64_t)type << 56) | (num & ((UINT64_C(1) << 56) - 1));
}

/* The deletion neighbourhood of s[0..n) (n <= MS_DEL_PREFIX <= 7): the
** bucket hashes of every string made by deleting up to maxd bytes, fewest
** deletions first, so that out[0..*n1) are the strings with at most one
** deletion. Within a run of equal bytes only the leftmost are deleted (the
** others give the same strings), so repeats are rare but possible (deleting
** "ba" or "ab" from "abab"); callers tolerate them. A string is packed
** into one 64-bit word (7 bytes and its length) and mixed, so the build and
** the query agree and hashing costs a few instructions. Returns the count
** (<= 1 + 7 + 21). */
unsigned ms_deletion_hashes(const char *s, size_t n, unsigned maxd, uint64_t *out, unsigned *n1);

/* The hash of NORM_HASH and PHON_HASH (XXH3, 64 bits). */
uint64_t ms_str_hash(const char *s, size_t n);

/* A UNII ("690G0D6V8H", any case) as a number; MT_OK or MT_EFORMAT. */
int ms_unii_number(const char *s, size_t len, uint64_t *out);

#endif /* MT_SINDEX_H */
