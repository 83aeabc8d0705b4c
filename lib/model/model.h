/*
** model.h — the build-time drug model.
**
** Importers (lib/import/) read the sources and fill one mdl; the
** knowledge-base writer (lib/kbwrite/) serializes it. Nothing here is used at
** query time.
**
** Identity. A drug is found by identifier before it is created: mdl_drug_find
** tries RxCUI, UNII, DrugBank ID and DrugCentral ID in that order, and only
** then (mdl_drug_find_name) the normalized name — the documented fallback
** (docs/sources.md, "join rules"). Identifiers are registered for joins the
** first time a drug gets one; a later, conflicting value is kept as a cited
** identifier fact but not used for joining (the conflict is counted).
**
** Citations. Every fact carries an mdl_cite: the source (an mdl_src from
** mdl_source_load) and the record inside it ("RXCUI 6130", "DB01221",
** "Products.txt 016812/001"). The record string is what `materia show` prints
** next to the fact, so make it something a person can find in the source.
**
** Strings. Every string passed in is copied into the model's arena; callers
** may free or reuse their buffers at once. Strings handed out live as long as
** the model. NULL and "" both mean "absent".
**
** Return codes: MT_OK, MT_ENOMEM, MT_EINVAL (bad reference or argument),
** MT_ENOTFOUND (find functions only).
*/
#ifndef MT_MODEL_H
#define MT_MODEL_H

#include <stddef.h>
#include <stdint.h>

#include "materia/status.h"
#include "materia/types.h"
#include "util/arena.h"
#include "util/hmap.h"

typedef uint32_t mdl_ref;            /* index into one of the model's tables */
#define MDL_NONE UINT32_MAX
typedef uint16_t mdl_src;            /* index into the model's sources */

/* A growable array of T. Items are addressed by index (mdl_ref). */
#define MDL_VEC(T) struct { T *items; uint32_t count, cap; }

/* Where a fact came from. */
typedef struct mdl_cite {
    mdl_src     source;
    const char *record;
} mdl_cite;

typedef struct mdl_source {
    const char *dir;          /* folder it was loaded from */
    const char *id, *name, *edition, *licence, *attribution, *url, *kind;
    /* Join statistics, filled by the importer and printed by `materia build`. */
    uint32_t rows;            /* records read from the source files */
    uint32_t matched;         /* records joined to an existing drug */
    uint32_t unmatched;       /* records that matched no drug (and were dropped or created) */
    uint32_t created;         /* drugs this source created */
    uint32_t facts;           /* facts stored with this source cited (counted by the model) */
} mdl_source;

typedef struct mdl_drug {
    const char *name;         /* display name (RxNorm's where known) */
    uint8_t     kind;         /* mt_drug_kind */
    uint32_t    flags;        /* MT_DRUGF_* */
    uint32_t    rxcui;        /* 0 = none */
    const char *unii;
    const char *drugbank_id;
    uint32_t    drugcentral_id;  /* 0 = none */
    mdl_ref     parent;       /* PIN -> its IN; MDL_NONE otherwise */
    mdl_cite    cite;         /* the record that created it */
} mdl_drug;

typedef struct mdl_ident {    /* an identifier fact, shown with its source */
    mdl_ref drug; uint8_t type; /* mt_id_type */ const char *value; mdl_cite cite;
} mdl_ident;

typedef struct mdl_name {
    mdl_ref drug; uint8_t kind; /* mt_name_kind */ const char *text;
    const char *code;         /* e.g. the RxCUI of an RxNorm brand (BN); may be NULL */
    mdl_cite cite;
} mdl_name;

typedef struct mdl_product {
    uint32_t    rxcui;        /* 0 = none */
    const char *tty;          /* SCD, SBD, GPCK, BPCK, or the source's own word */
    const char *name;
    const char *brand;        /* brand name for branded products, else NULL */
    mdl_cite    cite;
} mdl_product;

typedef struct mdl_product_ing { mdl_ref product, drug; } mdl_product_ing;

typedef struct mdl_ndc {
    char    ndc11[12];        /* 11 digits, NUL-terminated */
    mdl_ref product;
    mdl_cite cite;
} mdl_ndc;

typedef struct mdl_class {
    const char *type;         /* "EPC", "MoA", "PE", "CS", "MeSH PA", "ChEBI", "ANSM", "ATC", "TripSit" ... */
    const char *code;         /* N-code, MeSH id, CHEBI id, or NULL */
    const char *name;
    mdl_cite    cite;         /* first source that named it */
} mdl_class;

typedef struct mdl_drug_class { mdl_ref drug, cls; mdl_cite cite; } mdl_drug_class;

typedef struct mdl_indication {
    mdl_ref     drug;
    uint8_t     category;     /* mt_indication_cat */
    const char *disease;      /* disease name as the source gives it */
    const char *disease_id;   /* DOID / UMLS CUI / SNOMED, or NULL */
    mdl_cite    cite;
} mdl_indication;

typedef struct mdl_approval {  /* a Drugs@FDA product */
    mdl_ref     drug;         /* one row per ingredient of the product */
    const char *appl_type;    /* NDA, ANDA, BLA */
    const char *appl_no;
    const char *product_no;
    const char *brand;        /* DrugName */
    const char *active_ingredient;  /* as printed by FDA */
    const char *form, *strength;
    const char *marketing_status;   /* Prescription, Over-the-counter, Discontinued, None (Tentative Approval) */
    const char *approval_date;      /* YYYY-MM-DD of the original approval, or NULL */
    const char *sponsor;
    mdl_cite    cite;
} mdl_approval;

typedef struct mdl_schedule { mdl_ref drug; const char *schedule; /* "CII" ... */ mdl_cite cite; } mdl_schedule;

typedef struct mdl_acb { mdl_ref drug; const char *scale; int8_t score; mdl_cite cite; } mdl_acb;

/* An interaction rule as the source states it; pairs of drugs point at it. */
typedef struct mdl_ixrule {
    uint8_t     kind;         /* mt_ix_kind */
    const char *a_label, *b_label;  /* the two sides as the source names them (drug or class) */
    const char *level;        /* the source's own level, verbatim ("Association DECONSEILLEE", "Critical") */
    uint8_t     severity;     /* mt_severity, mapped from level (docs/interactions.md) */
    uint8_t     tier;         /* mt_tier */
    const char *dur;          /* NCPDP DUR reason code ("DD", "DF", ...) or NULL */
    const char *effect;       /* what happens */
    const char *mechanism;
    const char *management;
    const char *lang;         /* language of the texts: "en", "fr" */
    mdl_cite    cite;         /* the rule's record */
    mdl_cite    text_cite;    /* where the texts come from, when not the rule's own record
                                 (e.g. the WorldVistA translation); source 0 + NULL record = same */
} mdl_ixrule;

typedef struct mdl_ixpair { mdl_ref a, b, rule; } mdl_ixpair;   /* a != b; stored once, unordered */

typedef struct mdl_pill {
    const char *ndc11;        /* NULL if unknown */
    const char *name;         /* product name as the source gives it */
    mdl_ref     product;      /* MDL_NONE if not joined */
    mdl_ref     drug;         /* main ingredient or MDL_NONE (a product gives all of them) */
    const char *imprint;      /* as printed, ';' between sides or tokens */
    const char *color;        /* SPL colour names, ", " between colours of a two-tone pill */
    const char *shape;        /* SPL shape name */
    float       size_mm;      /* 0 = unknown */
    int8_t      score;        /* 0 = unknown, else number of pieces */
    const char *strength, *form, *labeler, *schedule;
    mdl_cite    cite;
    uint8_t     flags;        /* MDL_PILLF_* */
    mdl_cite    fill_cite;    /* where the fields marked *_FILLED come from (a fallback source) */
} mdl_pill;

/* Flags on a pill record. */
enum {
    MDL_PILLF_LOW_CONFIDENCE  = 1u << 0,  /* from a cross-check or stale source only (no imprint check) */
    MDL_PILLF_LABELER_FILLED  = 1u << 1,  /* labeler filled by a fallback (fill_cite) */
    MDL_PILLF_COLOR_FILLED    = 1u << 2,  /* colour filled by a fallback (fill_cite) */
    MDL_PILLF_STRENGTH_FILLED = 1u << 3   /* strength filled by a fallback (fill_cite) */
};

typedef struct mdl_doc {
    uint8_t     kind;         /* mt_doc_kind */
    const char *title;        /* product title */
    const char *jurisdiction; /* "US", "EU" */
    const char *date;         /* effective date, YYYY-MM-DD or YYYY */
    const char *doc_id;       /* SPL set id / EU number */
    mdl_cite    cite;
} mdl_doc;

typedef struct mdl_doc_drug { mdl_ref doc, drug; } mdl_doc_drug;

typedef struct mdl_doc_section {
    mdl_ref     doc;
    const char *code;         /* LOINC section code, or the leaflet section number */
    const char *title;
    const char *text;         /* plain text, or sanitised XHTML (allow-list of tags) */
} mdl_doc_section;

/* A coded vocabulary entry the engine needs at query time: the SPL pill
** colours (with their hex value) and shapes (NCI Thesaurus C-codes). */
typedef struct mdl_code {
    const char *system;       /* "SPL-COLOR", "SPL-SHAPE" */
    const char *code;         /* NCI C-code, "C48325" */
    const char *display;      /* SPL display name, "WHITE" */
    const char *hex;          /* "FFFFFF" for colours, NULL otherwise */
    mdl_cite    cite;
} mdl_code;

typedef struct mdl {
    mt_arena arena;
    MDL_VEC(mdl_source)      sources;
    MDL_VEC(mdl_drug)        drugs;
    MDL_VEC(mdl_ident)       idents;
    MDL_VEC(mdl_name)        names;
    MDL_VEC(mdl_product)     products;
    MDL_VEC(mdl_product_ing) product_ings;
    MDL_VEC(mdl_ndc)         ndcs;
    MDL_VEC(mdl_class)       classes;
    MDL_VEC(mdl_drug_class)  drug_classes;
    MDL_VEC(mdl_indication)  indications;
    MDL_VEC(mdl_approval)    approvals;
    MDL_VEC(mdl_schedule)    schedules;
    MDL_VEC(mdl_acb)         acbs;
    MDL_VEC(mdl_ixrule)      ixrules;
    MDL_VEC(mdl_ixpair)      ixpairs;
    MDL_VEC(mdl_pill)        pills;
    MDL_VEC(mdl_doc)         docs;
    MDL_VEC(mdl_doc_drug)    doc_drugs;
    MDL_VEC(mdl_doc_section) doc_sections;
    MDL_VEC(mdl_code)        codes;
    /* join indexes (private to model.c) */
    mt_hmap by_rxcui, by_unii, by_drugbank, by_drugcentral, by_name;
    mt_hmap by_own_name;      /* own (preferred) name key -> drug, MDL_NONE when several */
    mt_hmap product_by_rxcui, class_by_key, ndc_seen, pair_seen, name_seen;
    uint32_t id_conflicts;    /* identifiers not used for joining because a drug had another */
} mdl;

int  mdl_init(mdl *m);
void mdl_free(mdl *m);

/* --- sources ---------------------------------------------------------- */
/* Reads <dir>/SOURCE.meta (key: value lines) and registers the source.
** MT_EIO if the file cannot be read, MT_EFORMAT if `id` or `name` is missing. */
int  mdl_source_load(mdl *m, const char *dir, mdl_src *out);
/* Registers a source from fields (official-release importers, tests). */
int  mdl_source_add(mdl *m, const mdl_source *desc, mdl_src *out);
/* Finds a registered source by id. */
int  mdl_source_find(const mdl *m, const char *id, mdl_src *out);
mdl_cite mdl_cite_make(mdl *m, mdl_src source, const char *record_fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- drugs ------------------------------------------------------------ */
typedef struct mdl_keys {     /* any field may be 0 / NULL */
    uint32_t rxcui;
    const char *unii;
    const char *drugbank_id;
    uint32_t drugcentral_id;
} mdl_keys;

/* By identifier only: RxCUI, UNII, DrugBank ID, DrugCentral ID, in that order. */
int  mdl_drug_find(const mdl *m, const mdl_keys *keys, mdl_ref *out);
/* By name, the documented fallback: the normalized name (mt_text_key), then the
** name with its salt or ester words removed ("sertraline hydrochloride" -> sertraline). */
int  mdl_drug_find_name(const mdl *m, const char *name, mdl_ref *out);
/* The one drug whose own (preferred) name has the normalized key of `name`:
** MT_OK; MT_EEXIST when several drugs have that own name; MT_ENOTFOUND when
** none. Neither synonyms nor brands count, and no salt words are stripped
** ("potassium carbonate" is not "potassium phosphate"): a stricter join than
** mdl_drug_find_name, for sources that join through their own synonyms. */
int  mdl_drug_find_own_name(const mdl *m, const char *name, mdl_ref *out);
/* The drug a fact about `drug` belongs to: a precise ingredient's (a salt's)
** parent ingredient when it is known, else `drug` itself. Facts joined by a
** salt name ("KETAMINE HYDROCHLORIDE") are shown on the ingredient. */
mdl_ref mdl_drug_base(const mdl *m, mdl_ref drug);
/* Creates a drug and registers its identifiers and its name (as MT_NAME_PREFERRED). */
int  mdl_drug_add(mdl *m, const char *name, mt_drug_kind kind, const mdl_keys *keys,
                  uint32_t flags, mdl_cite cite, mdl_ref *out);
/* Adds an identifier fact; RxCUI/UNII/DrugBank/DrugCentral also become join
** keys when the drug has none of that type yet and no other drug has the value. */
int  mdl_ident_add(mdl *m, mdl_ref drug, mt_id_type type, const char *value, mdl_cite cite);
/* Adds a name (deduplicated per drug, kind and normalized text) and makes it
** findable by mdl_drug_find_name when no other drug has that name, or when
** the name is the drug's own (MT_NAME_PREFERRED) and the other drug has it
** only as a synonym or brand. */
int  mdl_name_add(mdl *m, mdl_ref drug, mt_name_kind kind, const char *text,
                  const char *code, mdl_cite cite);

/* --- products --------------------------------------------------------- */
/* Returns the existing product with that RxCUI (rxcui != 0) or creates one. */
int  mdl_product_add(mdl *m, const mdl_product *p, mdl_ref *out);
int  mdl_product_find_rxcui(const mdl *m, uint32_t rxcui, mdl_ref *out);
int  mdl_product_ing_add(mdl *m, mdl_ref product, mdl_ref drug);
/* ndc: 11 digits, or a 10-digit dashed form (4-4-2, 5-3-2, 5-4-1) which is
** normalized to 11 digits. Duplicates (same NDC and product) are ignored. */
int  mdl_ndc_add(mdl *m, mdl_ref product, const char *ndc, mdl_cite cite);

/* --- classes, indications, approvals, schedules, scores ---------------- */
/* Finds the class with that type and code (or, without a code, type and name) or creates it. */
int  mdl_class_get(mdl *m, const char *type, const char *code, const char *name,
                   mdl_cite cite, mdl_ref *out);
int  mdl_drug_class_add(mdl *m, mdl_ref drug, mdl_ref cls, mdl_cite cite);
int  mdl_indication_add(mdl *m, const mdl_indication *ind);
int  mdl_approval_add(mdl *m, const mdl_approval *a);
int  mdl_schedule_add(mdl *m, mdl_ref drug, const char *schedule, mdl_cite cite);
int  mdl_acb_add(mdl *m, mdl_ref drug, const char *scale, int score, mdl_cite cite);

/* --- interactions ----------------------------------------------------- */
int  mdl_ixrule_add(mdl *m, const mdl_ixrule *r, mdl_ref *out);
/* Links two drugs to a rule; a == b and exact duplicates are ignored (MT_OK). */
int  mdl_ixpair_add(mdl *m, mdl_ref a, mdl_ref b, mdl_ref rule);

/* --- pills and documents ----------------------------------------------- */
int  mdl_pill_add(mdl *m, const mdl_pill *p);
int  mdl_doc_add(mdl *m, const mdl_doc *d, mdl_ref *out);
int  mdl_doc_drug_add(mdl *m, mdl_ref doc, mdl_ref drug);
int  mdl_doc_section_add(mdl *m, mdl_ref doc, const char *code, const char *title, const char *text);
/* Adds a coded vocabulary entry; a second entry with the same system and code
** is ignored (MT_OK). mdl_code_find looks one up by system and code. */
int  mdl_code_add(mdl *m, const mdl_code *c);
int  mdl_code_find(const mdl *m, const char *system, const char *code, mdl_ref *out);

/* Normalizes an NDC (10-digit dashed or 11-digit, with or without dashes) into
** out[12]. MT_OK or MT_EFORMAT. */
int  mdl_ndc_normalize(const char *ndc, char out[12]);

#endif /* MT_MODEL_H */
