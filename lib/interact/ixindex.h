/*
** ixindex.h — the interaction engine's own knowledge-base sections (ids
** 150..199, lib/kb/kbformat.h) and their write and validation hooks.
**
** The core tables already hold the rules and a per-drug adjacency sorted by
** the other drug, which is all that finding interactions needs. Two answers
** are NOT cheap from the core tables, so they are precomputed at build time:
**
**   DRUG_SOURCES   which interaction sources have at least one rule on a
**                  drug. Coverage ("source X covers input 3") would otherwise
**                  need a walk over the drug's whole adjacency, which is what
**                  the checker avoids: it walks the smaller of (adjacency,
**                  input list). One kb_range per drug (index = KB drug) into
**                  SOURCE_LIST, a list of KB source indices, ascending.
**   PRODUCT_RXCUI  products by RxCUI (kb_key_u32: key = RxCUI, drug field =
**                  KB product), strictly ascending, so that an input that is
**                  the RxCUI of a clinical or branded drug expands to all of
**                  its ingredients.
**
**   CLASS_ROLE     per class (index = KB class), what the checker uses it
**                  for: IX_ROLE_EPC (therapeutic duplication) and, in bits
**                  8..15, the ANSM class effect (IX_EFFECT_*), so that a check
**                  compares no class type or name strings.
**   DRUG_DUR       per drug (index = KB drug), the NCPDP code a non-drug
**                  interactant implies (IX_DUR_*), from the identifiers the
**                  non-drug vocabulary gives ("materia:alcohol" -> OH).
**   DRUG_ROLES     per drug, its memberships in classes that have a role
**                  (the few EPC and ANSM effect classes among the dozens of
**                  MeSH, ChEBI, ATC... classes a drug has), as a kb_range
**                  into ROLE_MEMBERS (kb_drug_class records with their
**                  citations), so that duplication and class-effect checks
**                  read a handful of records per drug.
**
** All sections are optional for a reader: when absent (a file written
** without the hook) the accessors below compute the same answers from the
** core tables, more slowly, and mt_ix_product_by_rxcui reports MT_ENOTFOUND.
*/
#ifndef MT_IXINDEX_H
#define MT_IXINDEX_H

#include <stdint.h>

#include "kb/kb_internal.h"
#include "kbwrite/kbwrite.h"
#include "util/buf.h"

enum {
    IX_SEC_DRUG_SOURCES  = 150,   /* kb_range per KB drug, into IX_SEC_SOURCE_LIST */
    IX_SEC_SOURCE_LIST   = 151,   /* uint32: KB source index */
    IX_SEC_PRODUCT_RXCUI = 152,   /* kb_key_u32 {rxcui, product}, strictly ascending */
    IX_SEC_CLASS_ROLE    = 153,   /* uint32 per KB class: IX_ROLE_EPC | effect << 8 */
    IX_SEC_DRUG_DUR      = 154,   /* uint32 per KB drug: IX_DUR_* */
    IX_SEC_DRUG_ROLES    = 155,   /* kb_range per KB drug, into IX_SEC_ROLE_MEMBERS */
    IX_SEC_ROLE_MEMBERS  = 156    /* kb_drug_class, grouped by drug: memberships in classes with a role */
};

enum { IX_ROLE_EPC = 1u };
/* ANSM class effects (the checker's names: "sedative", "serotonergic", "torsadogenic"). */
enum { IX_EFFECT_NONE = 0, IX_EFFECT_SEDATIVE, IX_EFFECT_SEROTONERGIC, IX_EFFECT_TORSADOGENIC, IX_EFFECT_COUNT };
/* NCPDP codes implied by a non-drug interactant. */
enum { IX_DUR_NONE = 0, IX_DUR_OH, IX_DUR_DS, IX_DUR_DF, IX_DUR_COUNT };

/* Write hook (lib/kbwrite/hooks.c). */
int mt_interact_kb_sections(mt_kbw_ctx *ctx);
/* Validation hook (lib/kb/kbhooks.c): MT_OK or MT_ECORRUPT with a reason in why. */
int mt_interact_kb_validate(const mt_kb *kb, mt_buf *why);

/* The sections of one open knowledge base, looked up once (a section lookup
** walks the container's table) and then read in O(1). Fields are NULL / 0
** when the file has no such section. */
typedef struct mt_ix_index {
    const mt_kb      *kb;
    const kb_range   *drug_sources;  uint32_t ndrug_sources;
    const uint32_t   *source_list;   uint32_t nsource_list;
    const kb_key_u32 *product_rxcui; uint32_t nproduct_rxcui;
    const uint32_t   *class_role;    uint32_t nclass_role;
    const uint32_t   *drug_dur;      uint32_t ndrug_dur;
    const kb_range   *drug_roles;    uint32_t ndrug_roles;
    const kb_drug_class *role_members; uint32_t nrole_members;
} mt_ix_index;

/* Fills *ix for kb (validated at open by mt_interact_kb_validate). */
void mt_ix_index_load(const mt_kb *kb, mt_ix_index *ix);

/* Calls fn(user, source) once for each interaction source with a rule on
** drug, in ascending source order. Uses DRUG_SOURCES, or walks the
** adjacency when the file has no such section. drug must be a valid index. */
void mt_ix_sources_of(const mt_ix_index *ix, uint32_t drug,
                      void (*fn)(void *user, uint32_t source), void *user);

/* The product with that RxCUI. MT_OK or MT_ENOTFOUND. */
int mt_ix_product_by_rxcui(const mt_ix_index *ix, uint32_t rxcui, uint32_t *product);

/* The memberships of drug in classes that have a role: *count records at
** *out (kb_drug_class, with citations). Without the section, the drug's
** whole class list (the caller filters with mt_ix_class_role). */
void mt_ix_role_members(const mt_ix_index *ix, uint32_t drug, const kb_drug_class **out, uint32_t *count);

/* What a class is used for: IX_ROLE_EPC and/or an effect in bits 8..15. */
uint32_t mt_ix_class_role(const mt_ix_index *ix, uint32_t cls);
/* The IX_DUR_* code a drug implies as an interactant (IX_DUR_NONE for a drug). */
uint32_t mt_ix_drug_dur(const mt_ix_index *ix, uint32_t drug);
/* "sedative", "serotonergic", "torsadogenic"; NULL for IX_EFFECT_NONE. */
const char *mt_ix_effect_name(uint32_t effect);
/* "OH", "DS", "DF"; NULL for IX_DUR_NONE. */
const char *mt_ix_dur_name(uint32_t dur);

#endif /* MT_IXINDEX_H */
