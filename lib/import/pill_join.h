/*
** pill_join.h — the joins every pill importer shares: NDC-11, NDC-9
** (labeler-product) and product-name lookups over the RxNorm products already
** in the model, a product's ingredients, a drug's DEA schedule, and the SPL
** colour and shape vocabulary (mdl_code) used to normalise pill descriptions.
**
** An index is a snapshot: build it at the start of an importer, after the
** vocabulary importers ran, and free it before returning. It never changes
** the model.
*/
#ifndef MT_PILL_JOIN_H
#define MT_PILL_JOIN_H

#include "model/model.h"
#include "util/buf.h"

typedef struct pj_index {
    const mdl *m;
    mt_arena   keys;          /* key strings of the maps below */
    mt_hmap    by_ndc11;      /* "00093435601" -> product */
    mt_hmap    by_ndc9;       /* "000934356" -> product (first package seen) */
    mt_hmap    by_name;       /* mt_text_key of the product name -> product */
    uint32_t  *ing_start;     /* products.count + 1 offsets into ings */
    uint32_t  *ing_count;     /* ingredients kept per product (see pj_product_ings) */
    mdl_ref   *ings;          /* ingredient drugs, grouped by product */
    const char **sched;       /* drugs.count entries: DEA schedule or NULL */
} pj_index;

int  pj_index_build(pj_index *ix, const mdl *m);
void pj_index_free(pj_index *ix);

/* Product by NDC-11 / NDC-9 / product name, or MDL_NONE. */
mdl_ref pj_product_by_ndc11(const pj_index *ix, const char *ndc11);
mdl_ref pj_product_by_ndc9(const pj_index *ix, const char *ndc9);
mdl_ref pj_product_by_name(const pj_index *ix, const char *name);

/* The ingredient drugs of a product (count returned, *out points into the
** index): each salt (PIN) replaced by its ingredient (mdl_drug_base),
** multiple-ingredient (MIN) records left out, duplicates removed. */
uint32_t pj_product_ings(const pj_index *ix, mdl_ref product, const mdl_ref **out);
/* The first ingredient of a product, or MDL_NONE. */
mdl_ref pj_product_main_drug(const pj_index *ix, mdl_ref product);
/* A drug's DEA schedule (its own, else its parent's), or NULL. */
const char *pj_drug_schedule(const pj_index *ix, mdl_ref drug);
/* The schedule of a pill made of these drugs: the schedule of its one
** scheduled drug (hydrocodone with acetaminophen: CII, as hydrocodone), NULL
** when none is scheduled, when two are, or when the scheduled one is a
** substance whose combinations the law schedules lower or exempts (codeine
** is CII, codeine with acetaminophen CIII; see pill_join.c). */
const char *pj_drugs_schedule(const pj_index *ix, const mdl_ref *drugs, uint32_t n);
/* pj_drugs_schedule of a product's ingredients. */
const char *pj_product_schedule(const pj_index *ix, mdl_ref product);

/* Labeler-product code ("0904-6350", "33261-010", "68788-9133", "000934356")
** to 9 digits in out[10]. MT_OK or MT_EFORMAT. */
int pj_ndc9_normalize(const char *code, char out[10]);

/* SPL vocabulary. pj_color_text turns a colour list (names or C-codes,
** separated by ';' or ',') into SPL display names joined by ", ", dropping a
** repeated colour ("GREEN, GREEN" -> "GREEN"); unknown words are kept upper
** case. pj_shape_text maps a shape name or C-code onto the SPL display name
** ("PENTAGON" -> "PENTAGON (5 SIDES)"). Both write into out (reset first) and
** return MT_OK, MT_ENOMEM or MT_ELIMIT; an empty input gives "". */
int pj_color_text(const mdl *m, const char *in, mt_buf *out);
int pj_shape_text(const mdl *m, const char *in, mt_buf *out);

/* DEA schedule from an NCI C-code (C48675 -> "CII") or a schedule word
** ("CII", "C-II"); NULL if it is neither. */
const char *pj_schedule_from_code(const char *code);

#endif /* MT_PILL_JOIN_H */
