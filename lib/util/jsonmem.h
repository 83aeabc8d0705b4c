/*
** jsonmem.h — jansson's memory through lib/util/alloc.h, and a JSON parse
** that tells a failed allocation from malformed input.
**
** jansson allocates with malloc(3) unless told otherwise, process-wide
** (json_set_alloc_funcs), so allocation-failure torture tests
** (mt_alloc_fail_after) would never reach JSON parsing. mt_json_use_mt_alloc
** routes it through mt_malloc/mt_free. It is called once, at start-up, by
** each front end's main (src/cli/main.c, which also runs the server) and by
** the unit-test runner (t/main.c): before any thread starts and before any
** JSON value exists, since values must be freed by the allocator that made
** them. A program that does not call it keeps jansson's malloc: everything
** works the same, only failures cannot be injected.
**
** jansson reports some failed allocations as an ordinary parse error, or with
** no error code at all, so mt_json_loadb also watches the allocator it was
** given: an allocation that failed during the parse makes the result
** MT_ENOMEM, whatever jansson's message says. (lib/import's
** mt_import_parse_json, which retries with the C allocator, predates this and
** still works: it restores whatever allocator was set.)
*/
#ifndef MT_JSONMEM_H
#define MT_JSONMEM_H

#include <jansson.h>
#include <stddef.h>

/* json_set_alloc_funcs with mt_malloc (watched, see above) and mt_free. */
void mt_json_use_mt_alloc(void);

/* json_loadb(data, len, flags, jerr). The document and *rc = MT_OK; or NULL
** and *rc = MT_ENOMEM (an allocation failed) or MT_EFORMAT (malformed input,
** described in *jerr). */
json_t *mt_json_loadb(const char *data, size_t len, size_t flags, json_error_t *jerr, int *rc);

#endif /* MT_JSONMEM_H */
