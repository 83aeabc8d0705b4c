/*
** ixcheck.h — the state of one check, shared by interact.c (finding
** interactions) and ixresolve.c (turning inputs into ingredients). Private to
** lib/interact/.
*/
#ifndef MT_IXCHECK_H
#define MT_IXCHECK_H

#include <stddef.h>
#include <stdint.h>

#include "interact/ixindex.h"
#include "kb/kb_internal.h"
#include "materia/interact.h"
#include "materia/search.h"
#include "util/arena.h"

typedef struct ix_check {
    const mt_kb     *kb;
    mt_ix_index      ix;          /* the engine's own sections (ixindex.h) */
    mt_arena        *A;           /* everything of the result lives here */
    mt_check_opts    opts;
    mt_check_result *res;
    int              rc;          /* first failure (MT_ENOMEM, MT_ELIMIT); later steps do nothing */
    uint32_t         nsources;    /* KB sources */
    mt_check_input  *inputs;
    uint32_t         ninputs;
    uint32_t         ningtotal;   /* ingredients over all inputs */
    mt_search_results *search;    /* name lookups (ixresolve.c); its scratch is freed by mt_check */
    int              search_owned;
} ix_check;

/* Zeroed arena memory for count items; NULL (and c->rc set) on failure. */
void *ix_alloc(ix_check *c, size_t count, size_t size);
/* An arena copy of s (NULL for NULL). */
const char *ix_strdup(ix_check *c, const char *s);
/* A KB string, NULL when empty. */
const char *ix_kstr(const mt_kb *kb, uint32_t off);
/* A KB citation spelled out. */
mt_check_cite ix_cite(const mt_kb *kb, kb_cite k);

/* Resolves one input into *in (ixresolve.c). Fills text, how, tier, matched,
** match_kind, cite, product, ings; or leaves it unresolved with why and
** suggestions. Only allocation failures are errors (c->rc). */
void ix_resolve(ix_check *c, const char *text, mt_check_input *in);

#endif /* MT_IXCHECK_H */
