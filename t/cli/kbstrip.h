/*
** kbstrip.h — a copy of a knowledge base without one range of section ids
** (t/cli/kbstrip.c): a partial file for tests, e.g. without the search index
** (KB_SEC_SEARCH_FIRST..KB_SEC_SEARCH_LAST).
*/
#ifndef MT_T_KBSTRIP_H
#define MT_T_KBSTRIP_H

#include <stdint.h>

/* Copies in to out (atomically, as any knowledge base is written) without the
** sections whose id is in first..last. MT_OK or the error of the container. */
int mt_test_kb_strip(const char *in, const char *out, uint32_t first, uint32_t last);

#endif /* MT_T_KBSTRIP_H */
