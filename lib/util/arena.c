/*
** arena.c — the region allocator of arena.h.
*/
#include "util/arena.h"

#include <stdint.h>
#include <string.h>

#include "util/alloc.h"

struct mt_arena_block {
    mt_arena_block *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char mem[];
};

#define ALIGN16(n) (((n) + 15u) & ~(size_t)15u)

void mt_arena_init(mt_arena *a, size_t block_size, size_t limit)
{
    a->head = NULL;
    a->block_size = block_size ? block_size : 64 * 1024;
    a->total = 0;
    a->limit = limit;
}

void mt_arena_free(mt_arena *a)
{
    mt_arena_block *b = a->head;
    while (b) {
        mt_arena_block *next = b->next;
        mt_free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void mt_arena_reset(mt_arena *a)
{
    mt_arena_block *keep;
    if (!a->head)
        return;
    /* Keep only the oldest block: it is the one of the default size. */
    keep = a->head;
    while (keep->next)
        keep = keep->next;
    while (a->head != keep) {
        mt_arena_block *next = a->head->next;
        mt_free(a->head);
        a->head = next;
    }
    keep->used = 0;
    a->total = 0;
}

void *mt_arena_alloc(mt_arena *a, size_t size)
{
    mt_arena_block *b = a->head;
    size_t need = ALIGN16(size ? size : 1);
    void *p;

    if (need < size)
        return NULL;
    if (a->limit && (need > a->limit || a->total > a->limit - need))
        return NULL;
    if (!b || b->size - b->used < need) {
        size_t bsize = need > a->block_size ? need : a->block_size;
        if (bsize > SIZE_MAX - sizeof(*b))
            return NULL;
        b = mt_malloc(sizeof(*b) + bsize);
        if (!b)
            return NULL;
        b->size = bsize;
        b->used = 0;
        /* A big one-off block goes behind the current one so that the
        ** current block's free space is not wasted. */
        if (a->head && need > a->block_size) {
            b->next = a->head->next;
            a->head->next = b;
        } else {
            b->next = a->head;
            a->head = b;
        }
    }
    p = b->mem + b->used;
    b->used += need;
    a->total += need;
    return p;
}

void *mt_arena_calloc(mt_arena *a, size_t count, size_t size)
{
    void *p;
    if (size && count > SIZE_MAX / size)
        return NULL;
    p = mt_arena_alloc(a, count * size);
    if (p)
        memset(p, 0, count * size);
    return p;
}

char *mt_arena_strndup(mt_arena *a, const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *p = mt_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *mt_arena_strdup(mt_arena *a, const char *s) { return mt_arena_strndup(a, s, SIZE_MAX); }
