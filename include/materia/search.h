/*
** materia/search.h — typo-tolerant search over every name and code the
** knowledge base holds, at keystroke speed.
**
** One query string is matched in tiers, best first (docs/search.md):
**   CODE          an RxCUI, an NDC (11 digits, or 10 digits with or without
**                 dashes), a UNII or a DrugBank id;
**   EXACT         the same spelling: case, accents and punctuation ignored
**                 ("ZOLOFT", "Paracétamol" = "paracetamol");
**   NORMALIZED    the same substance words: salt and ester words, strengths,
**                 dose forms and word order ignored ("sertraline
**                 hydrochloride 50 mg oral tablet", "zoloft 50 mg tablet");
**   PREFIX        a name starting with the query (autocomplete);
**   APPROXIMATE   Damerau-Levenshtein distance 1 (queries of 3-4
**                 characters) or 2 (5 and more) to a whole name; a
**                 multi-word query's normalized form is tried too, its
**                 matches counting one edit more;
**   PHONETIC      the same phonetic code and at most 1 + length/4 edits
**                 ("sefalexin" -> cephalexin);
**   FUZZY_PREFIX  a name whose beginning is within distance 1 of a query of
**                 6 characters or more ("setrali" -> sertraline).
** Results are one per drug, ranked by tier, then edit distance, then the
** authority of the matched name (a drug's own name, brand, international
** name or salt form before a synonym or product name), then the drug's
** popularity prior (products and NDCs in the data), then the length of the
** matched name, then the drug id: deterministic.
**
** Each hit says what matched (the name as its source spells it, its kind and
** source) and what it resolves to: the brand Zoloft, the salt "sertraline
** hydrochloride" and the product "sertraline 50 MG Oral Tablet" all resolve
** to the ingredient sertraline.
**
** Cost: the index is read in place from the memory-mapped knowledge base.
** A query allocates nothing: it works in the results' scratch, allocated
** once by mt_search_results_init. Work per query is bounded (candidate caps:
** docs/reference/search.md, "Limits"); when a cap cuts the search short,
** results->capped is set.
**
** Threads: any number of threads may search one mt_kb at once, each with its
** own mt_search_results. Pointers in hits point into the knowledge base and
** live until mt_kb_close.
*/
#ifndef MATERIA_SEARCH_H
#define MATERIA_SEARCH_H

#include <stddef.h>
#include <stdint.h>

#include "materia/kb.h"
#include "materia/status.h"
#include "materia/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MT_SEARCH_MAX_RESULTS 50    /* largest limit */
#define MT_SEARCH_QUERY_MAX   256   /* bytes of a query that are read; the rest is ignored */

typedef enum mt_search_tier {
    MT_SEARCH_TIER_CODE         = 1,
    MT_SEARCH_TIER_EXACT        = 2,
    MT_SEARCH_TIER_NORMALIZED   = 3,
    MT_SEARCH_TIER_PREFIX       = 4,
    MT_SEARCH_TIER_APPROXIMATE  = 5,
    MT_SEARCH_TIER_PHONETIC     = 6,
    MT_SEARCH_TIER_FUZZY_PREFIX = 7
} mt_search_tier;

typedef enum mt_search_code {
    MT_SEARCH_CODE_NONE     = 0,
    MT_SEARCH_CODE_RXCUI    = 1,    /* of an ingredient, a brand or a product */
    MT_SEARCH_CODE_NDC      = 2,    /* of a product package */
    MT_SEARCH_CODE_UNII     = 3,
    MT_SEARCH_CODE_DRUGBANK = 4
} mt_search_code;

/* Flags for mt_search. */
enum {
    MT_SEARCH_EXACT_ONLY  = 1u << 0,  /* CODE, EXACT and NORMALIZED only: resolving a drug */
    MT_SEARCH_NO_PREFIX   = 1u << 1,  /* no PREFIX tier */
    MT_SEARCH_NO_APPROX   = 1u << 2,  /* no APPROXIMATE nor FUZZY_PREFIX tier */
    MT_SEARCH_NO_PHONETIC = 1u << 3,  /* no PHONETIC tier */
    MT_SEARCH_NO_CODES    = 1u << 4   /* do not read the query as a code */
};

typedef struct mt_search_hit {
    uint32_t    drug;        /* KB drug the hit resolves to (an ingredient for a salt form) */
    uint32_t    name_drug;   /* KB drug the matched name belongs to (the salt form itself) */
    const char *drug_name;   /* display name of drug */
    const char *name;        /* what matched, as its source spells it; for a code,
                                what the code names (the product, brand or drug) */
    const char *source;      /* id of the source of that name or code ("rxnorm") */
    uint8_t     tier;        /* mt_search_tier */
    uint8_t     name_kind;   /* mt_name_kind of name */
    uint8_t     code_type;   /* mt_search_code: the CODE tier; 0 otherwise */
    uint8_t     distance;    /* edit distance between query and name (APPROXIMATE,
                                PHONETIC, FUZZY_PREFIX: to the name's beginning); 0 otherwise */
    uint32_t    prior;       /* popularity prior of drug: 256 * log2(1 + products + NDCs) */
} mt_search_hit;

typedef struct mt_search_scratch mt_search_scratch;

typedef struct mt_search_results {
    uint32_t           count;    /* hits filled, best first */
    mt_search_hit      hits[MT_SEARCH_MAX_RESULTS];
    uint32_t           examined; /* candidate names compared: the work this query took */
    uint32_t           capped;   /* a candidate cap was reached: weaker matches may be missing */
    mt_search_scratch *scratch;  /* private work memory (mt_search_results_init) */
} mt_search_results;

/* Allocates the scratch of r (about 85 KiB), once; reuse r for any number of
** queries. MT_OK or MT_ENOMEM. */
int  mt_search_results_init(mt_search_results *r);
void mt_search_results_free(mt_search_results *r);

/* Searches query (UTF-8; at most MT_SEARCH_QUERY_MAX bytes are read) and
** fills r with at most limit hits (1..MT_SEARCH_MAX_RESULTS; 0 means 10).
** Returns MT_OK (r->count >= 1), MT_ENOTFOUND (nothing matched, or an empty
** query; r->count = 0), MT_EINVAL (a NULL argument, or r not initialised),
** MT_ECORRUPT (the knowledge base has no search index). */
int  mt_search(const mt_kb *kb, const char *query, unsigned limit, unsigned flags,
               mt_search_results *r);

/* "Did you mean": the names closest to a query that resolved to nothing
** (for `materia show` and `materia check`). Like mt_search without the
** CODE, EXACT and NORMALIZED tiers, allowing distance 2 from 4 characters.
** Same returns. */
int  mt_search_suggest(const mt_kb *kb, const char *query, unsigned limit,
                       mt_search_results *r);

/* Stable lower-case names: "code", "exact", "normalized", "prefix",
** "approximate", "phonetic", "fuzzy_prefix"; and "rxcui", "ndc", "unii",
** "drugbank" ("" for none). Never NULL. */
const char *mt_search_tier_name(int tier);
const char *mt_search_code_name(int code_type);

#ifdef __cplusplus
}
#endif
#endif /* MATERIA_SEARCH_H */
