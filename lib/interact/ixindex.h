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
** Both sections are optional for a reader: when absent (a file written
** without the hook) mt_ix_sources_of falls back to walking the adjacency and
** mt_ix_product_by_rxcui reports MT_ENOTFOUND.
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
    IX_SEC_PRODUCT_RXCUI = 152    /* kb_key_u32 {rxcui, product}, strictly ascending */
};

/* Write hook (lib/kbwrite/hooks.c). */
int mt_interact_kb_sections(mt_kbw_ctx *ctx);
/* Validation hook (lib/kb/kbhooks.c): MT_OK or MT_ECORRUPT with a reason in why. */
int mt_interact_kb_validate(const mt_kb *kb, mt_buf *why);

/* Calls fn(user, source) once for each interaction source with a rule on
** drug, in ascending source order. Uses DRUG_SOURCES, or walks the
** adjacency when the file has no such section. drug must be a valid index. */
void mt_ix_sources_of(const mt_kb *kb, uint32_t drug,
                      void (*fn)(void *user, uint32_t source), void *user);

/* The product with that RxCUI. MT_OK or MT_ENOTFOUND. */
int mt_ix_product_by_rxcui(const mt_kb *kb, uint32_t rxcui, uint32_t *product);

#endif /* MT_IXINDEX_H */
