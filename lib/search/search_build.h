/*
** search_build.h — the build side of search: the section hook that writes
** the search index (sindex.h) from the model, listed in lib/kbwrite/hooks.c.
*/
#ifndef MT_SEARCH_BUILD_H
#define MT_SEARCH_BUILD_H

#include <stdint.h>

#include "kbwrite/kbwrite.h"

/* Builds and adds sections MS_SEC_* from ctx->m. MT_OK, MT_ENOMEM,
** MT_ELIMIT (a table over its record limits), or an error of mt_kbw_add;
** the reason is appended to ctx->err. */
int mt_search_kb_sections(mt_kbw_ctx *ctx);

/* The popularity prior of a count (products + NDCs): 256 * log2(count + 1),
** in integer steps, so that 10 and 11 products differ but 5,000 and 5,100
** barely do. Exposed for tests. */
uint32_t ms_prior_of(uint64_t count);

#endif /* MT_SEARCH_BUILD_H */
