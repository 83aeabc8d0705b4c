/*
** arena.h — a region (bump) allocator: many small allocations, one free.
**
** Used for per-request memory in the server (the h2o habit) and for the
** strings of the build-time model. Memory from an arena is never freed one
** piece at a time; mt_arena_free releases everything at once, and
** mt_arena_reset keeps the first block for reuse. Pointers into an arena are
** valid until the arena is reset or freed.
*/
#ifndef MT_ARENA_H
#define MT_ARENA_H

#include <stddef.h>

typedef struct mt_arena_block mt_arena_block;

typedef struct mt_arena {
    mt_arena_block *head;
    size_t block_size;   /* default size of a new block */
    size_t total;        /* bytes handed out, for limits and statistics */
    size_t limit;        /* 0 = unlimited; else allocations past it fail */
} mt_arena;

void  mt_arena_init(mt_arena *a, size_t block_size, size_t limit);
void  mt_arena_free(mt_arena *a);
void  mt_arena_reset(mt_arena *a);
/* 16-byte aligned memory, or NULL (out of memory or over the limit). */
void *mt_arena_alloc(mt_arena *a, size_t size);
void *mt_arena_calloc(mt_arena *a, size_t count, size_t size);
char *mt_arena_strdup(mt_arena *a, const char *s);
char *mt_arena_strndup(mt_arena *a, const char *s, size_t n);

#endif /* MT_ARENA_H */
