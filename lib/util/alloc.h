/*
** alloc.h — the one allocation wrapper every Materia module uses.
**
** All heap memory goes through mt_malloc/mt_calloc/mt_realloc/mt_free so that
** tests can make the N-th allocation fail (allocation-failure torture tests,
** as curl does) and check that every caller unwinds cleanly.
** mt_realloc never leaks the old block on failure: it returns NULL and the
** old pointer stays valid, as realloc(3).
*/
#ifndef MT_ALLOC_H
#define MT_ALLOC_H

#include <stddef.h>

void *mt_malloc(size_t size);
void *mt_calloc(size_t count, size_t size);
void *mt_realloc(void *ptr, size_t size);
/* realloc of count*size with overflow check. */
void *mt_reallocarray(void *ptr, size_t count, size_t size);
void  mt_free(void *ptr);
char *mt_strdup(const char *s);
char *mt_strndup(const char *s, size_t n);

/* Torture-test hook: fail the allocation after `n` more succeed (n >= 0);
** -1 turns failure injection off. Not thread-safe; tests only. */
void   mt_alloc_fail_after(long n);
/* How many allocations this thread has attempted since its last reset. */
unsigned long mt_alloc_count(void);
void   mt_alloc_count_reset(void);

/* Defensive-branch markers in the SQLite style: ALWAYS(x) for conditions the
** code believes are always true, NEVER(x) for ones it believes never happen.
** In debug builds a violated belief aborts at once; in release builds the
** branch is still taken so that the defensive code runs. */
#ifdef MT_DEBUG_ASSERTS
#include <assert.h>
#define ALWAYS(x) (assert(x), 1)
#define NEVER(x)  (assert(!(x)), 0)
#else
#define ALWAYS(x) (x)
#define NEVER(x)  (x)
#endif

#endif /* MT_ALLOC_H */
