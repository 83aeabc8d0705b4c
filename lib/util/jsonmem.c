/*
** jsonmem.c — jansson's memory through mt_malloc, and a parse that tells a
** failed allocation from malformed input (jsonmem.h).
*/
#include "util/jsonmem.h"

#include <string.h>

#include "materia/status.h"
#include "util/alloc.h"

/* Per thread, as parses are: the server parses request bodies on each of its
** worker threads. */
static _Thread_local int alloc_failed;

static void *json_alloc(size_t size)
{
    void *p = mt_malloc(size);
    if (!p)
        alloc_failed = 1;
    return p;
}

void mt_json_use_mt_alloc(void)
{
    json_set_alloc_funcs(json_alloc, mt_free);
}

json_t *mt_json_loadb(const char *data, size_t len, size_t flags, json_error_t *jerr, int *rc)
{
    json_t *doc;

    alloc_failed = 0;
    memset(jerr, 0, sizeof(*jerr));   /* not set by jansson on every failure */
    doc = json_loadb(data ? data : "", data ? len : 0, flags, jerr);
    if (doc) {
        *rc = MT_OK;
        return doc;
    }
    *rc = alloc_failed || json_error_code(jerr) == json_error_out_of_memory ? MT_ENOMEM : MT_EFORMAT;
    return NULL;
}
