/*
** rxnorm_rrf.h — the RxNorm release importer (rxnorm_rrf.c) with what it
** leaves for the merge after the imports: the SPL set ids RXNSAT.RRF gives
** for each product (ATN=SPL_SET_ID), by which labels that joined no drug by
** their ingredients are joined to the product's ingredients (official.c).
*/
#ifndef MT_RXNORM_RRF_H
#define MT_RXNORM_RRF_H

#include <stddef.h>

#include "import/import.h"
#include "util/arena.h"

typedef struct rrf_splset {
    const char *setid;        /* lower case, in the map's arena */
    mdl_ref     product;
} rrf_splset;

typedef struct rrf_splmap {
    mt_arena    arena;
    rrf_splset *items;        /* sorted by set id, then product, once the import is done */
    size_t      n, cap;
} rrf_splmap;

void rrf_splmap_init(rrf_splmap *s);
void rrf_splmap_free(rrf_splmap *s);
/* The products of a set id (any case): their count, *first the index of the
** first in s->items. */
size_t rrf_splmap_find(const rrf_splmap *s, const char *setid, size_t *first);

/* mt_import_rxnorm_rrf (import.h) that also fills spl (may be NULL). */
int mt_rxnorm_rrf_import(mt_import_ctx *ctx, rrf_splmap *spl);

#endif /* MT_RXNORM_RRF_H */
