/*
** alloc.c — the allocation wrapper, with failure injection for torture tests.
*/
#include "util/alloc.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static long fail_countdown = -1;   /* -1: never fail */
/* Per thread: every allocation of the server's worker threads counts, and a
** shared counter would be a data race on each of them. */
static _Thread_local unsigned long attempts;

/* Decide whether this allocation attempt must fail (torture tests only). */
static int injected_failure(void)
{
    attempts++;
    if (fail_countdown < 0)
        return 0;
    if (fail_countdown == 0)
        return 1;
    fail_countdown--;
    return 0;
}

void mt_alloc_fail_after(long n) { fail_countdown = n < 0 ? -1 : n; }
unsigned long mt_alloc_count(void) { return attempts; }
void mt_alloc_count_reset(void) { attempts = 0; }

void *mt_malloc(size_t size)
{
    if (injected_failure())
        return NULL;
    return malloc(size ? size : 1);
}

void *mt_calloc(size_t count, size_t size)
{
    if (injected_failure())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *mt_realloc(void *ptr, size_t size)
{
    if (injected_failure())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

void *mt_reallocarray(void *ptr, size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return mt_realloc(ptr, count * size);
}

void mt_free(void *ptr) { free(ptr); }

char *mt_strndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *copy = mt_malloc(len + 1);
    if (!copy)
        return NULL;
    memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

char *mt_strdup(const char *s) { return mt_strndup(s, SIZE_MAX); }
