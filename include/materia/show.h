/*
** materia/show.h — a drug's monograph: resolving what a person typed to one
** drug, and rendering everything the knowledge base holds about it, each
** fact with the source and record it came from, as JSON or as text.
**
** Resolving is strict on purpose. A name, brand, synonym, salt or product
** name resolves when the search module finds it in its CODE, EXACT or
** NORMALIZED tier (case, accents, punctuation, salt words, strengths and
** dose forms ignored); an RxCUI, NDC, UNII or DrugBank id resolves to the
** drug it names. A brand resolves to its ingredient ("Zoloft" shows
** sertraline, saying it came from the brand). A query that only matches
** approximately is NOT taken as the drug: mt_show_resolve returns
** MT_ENOTFOUND and leaves "did you mean" suggestions in the results.
**
** Output is deterministic (same knowledge base and query, same bytes), and
** every list that can grow with the data is bounded, with its total count:
** products, NDCs per product, names, brands, approvals, indications per
** category, documents. docs/reference/json-shapes.md ("show") documents every JSON
** field and the sort key of every list.
**
** Memory: rendering allocates a little scratch (sorting a drug's products)
** through lib/util/alloc.h and appends to the caller's mt_buf; nothing is
** kept between calls. Threads: any number of threads may resolve and render
** on one mt_kb at once, each with its own mt_search_results and buffers.
** Cost: every list comes from the drug's own ranges in the knowledge base;
** no call scans a whole table.
*/
#ifndef MATERIA_SHOW_H
#define MATERIA_SHOW_H

#include <stddef.h>
#include <stdint.h>

#include "materia/kb.h"
#include "materia/search.h"
#include "materia/status.h"

#ifdef __cplusplus
extern "C" {
#endif

struct mt_buf;   /* lib/util/buf.h: a bounded, growable buffer */

#define MT_SHOW_MAX_ALSO          8    /* other drugs an ambiguous query also names */
#define MT_SHOW_SUGGESTIONS       5    /* "did you mean" names for an unknown drug */
#define MT_SHOW_PRODUCTS_DEFAULT  50   /* products listed unless opts say otherwise */
#define MT_SHOW_NDCS_DEFAULT      5    /* NDCs listed per product */
#define MT_SHOW_LIST_MAX          200  /* names, brands, approvals, indications per category */
#define MT_SHOW_DOCS_MAX          20   /* documents listed */

/* The one line every text monograph ends with. */
#define MT_SHOW_DISCLAIMER "Materia informs; it does not replace a clinician or pharmacist."

/* What a query resolved to, and how. Pointers point into the knowledge base
** (or at the caller's query) and live as long as they do. */
typedef struct mt_show_match {
    uint32_t    drug;         /* KB drug shown */
    const char *query;        /* the text the caller asked for (not copied); NULL by id */
    uint8_t     tier;         /* mt_search_tier that found it; 0 = asked by id */
    uint8_t     name_kind;    /* mt_name_kind of the name that matched; 0 for a code */
    uint8_t     code_type;    /* mt_search_code for the CODE tier, else 0 */
    const char *matched;      /* the name or code that matched, as the source spells it */
    const char *matched_source;  /* id of the source of that name ("rxnorm"), "" if none */
    uint32_t    name_drug;    /* KB drug the matched name belongs to (a salt form), or drug */
    uint32_t    nalso;        /* other drugs the query names equally well (a combination brand) */
    uint32_t    also[MT_SHOW_MAX_ALSO];
} mt_show_match;

/* Resolves query to one drug, using r (initialised by mt_search_results_init;
** reusable) as work memory.
**   MT_OK        *m is filled; r holds the strict matches, best first.
**   MT_ENOTFOUND nothing matched strictly; r holds up to MT_SHOW_SUGGESTIONS
**                "did you mean" suggestions (r->count may be 0). *m is zeroed.
**   MT_EINVAL    a NULL argument, an empty query, r not initialised.
**   MT_ECORRUPT  the knowledge base has no search index. */
int mt_show_resolve(const mt_kb *kb, const char *query, mt_search_results *r,
                    mt_show_match *m);

/* Fills *m for KB drug `drug` (the HTTP API's /drugs/{id}). MT_OK, or
** MT_ENOTFOUND when there is no such drug, MT_EINVAL for NULL arguments. */
int mt_show_match_drug(const mt_kb *kb, uint32_t drug, mt_show_match *m);

/* Rendering options; a zeroed struct gives the defaults. */
enum {
    MT_SHOW_PRETTY        = 1u << 0,  /* JSON: indented */
    MT_SHOW_SECTION_TEXT  = 1u << 1   /* JSON: the text of every document section,
                                         not only of the sections `section` selects */
};
typedef struct mt_show_opts {
    unsigned    flags;          /* MT_SHOW_* */
    const char *section;        /* NULL: documents with their section titles; else
                                   only sections matching this (mt_show_section_matches),
                                   with their text */
    uint32_t    max_products;   /* 0 = MT_SHOW_PRODUCTS_DEFAULT */
    uint32_t    max_ndcs;       /* per product; 0 = MT_SHOW_NDCS_DEFAULT */
} mt_show_opts;

/* Appends the monograph of m->drug as one JSON object (docs/reference/json-shapes.md)
** to out. MT_OK; MT_EINVAL (NULL argument, drug out of range); MT_ENOMEM or
** MT_ELIMIT (out is full). On failure out may hold a partial document. */
int mt_show_json(const mt_kb *kb, const mt_show_match *m, const mt_show_opts *o,
                 struct mt_buf *out);

/* The same as text for a person: one block per kind of fact, each fact
** followed by "[source: record]", the sources at the end and the one-line
** disclaimer. With o->section, the identity lines and the matching sections'
** text only. */
int mt_show_text(const mt_kb *kb, const mt_show_match *m, const mt_show_opts *o,
                 struct mt_buf *out);

/* An unknown drug: JSON {"error": "not_found", "query", "message",
** "suggestions": [...]} from the results mt_show_resolve left in r. */
int mt_show_notfound_json(const mt_kb *kb, const char *query,
                          const mt_search_results *r, unsigned flags, struct mt_buf *out);
/* ... and as text: "No drug named "X" in the knowledge base." and
** "Did you mean: a, b, c?" when there are suggestions. */
int mt_show_notfound_text(const mt_kb *kb, const char *query,
                          const mt_search_results *r, struct mt_buf *out);

/* Whether a document section (its code and title) matches a --section name:
** the name equals the code ("34067-9", "4"); or it is one of the aliases of
** docs/reference/json-shapes.md ("indications", "dosage", "contraindications",
** "warnings", "boxed warning", "adverse reactions", "side effects",
** "interactions", "pregnancy", "lactation", "abuse", "overdosage", "uses",
** "before", "how to take", "storage") and the code is one of its LOINC codes
** or leaflet section numbers; or the title contains the name as whole
** words. Case, accents and punctuation are ignored throughout. */
int mt_show_section_matches(const char *code, const char *title, const char *name);

/* How many sections of the documents of `drug` match name. */
uint32_t mt_show_section_count(const mt_kb *kb, uint32_t drug, const char *name);

#ifdef __cplusplus
}
#endif
#endif /* MATERIA_SHOW_H */
