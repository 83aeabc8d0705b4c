/*
** import_util.c — the "file:line: reason" error writer every importer shares
** (import.h), so an importer's messages all have one shape, and the JSON
** parse that tells a failed allocation from malformed input.
*/
#include "import/import.h"

#include <jansson.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "source/srcfile.h"

int mt_import_vfail(mt_buf *err, int status, const char *dir, const char *name, unsigned long line,
                    const char *fmt, va_list ap)
{
    if (!err)
        return status;
    if (dir) {
        /* "dir/name", or "ARCHIVE!ENTRY" when dir is a zip */
        mt_src_describe(dir, name, err);
        mt_buf_printf(err, ":%lu: ", line);
    } else
        mt_buf_printf(err, "%s:%lu: ", name, line);
    mt_buf_vprintf(err, fmt, ap);
    return status;
}

int mt_import_fail(mt_import_ctx *ctx, const char *file, unsigned long line, int status,
                   const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status = mt_import_vfail(ctx->err, status, ctx->dir, file, line, fmt, ap);
    va_end(ap);
    return status;
}

int mt_import_fail_path(mt_import_ctx *ctx, const char *path, unsigned long line, int status,
                        const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status = mt_import_vfail(ctx->err, status, NULL, path, line, fmt, ap);
    va_end(ap);
    return status;
}

/* jansson may report a failed allocation (when a caller routes its memory
** through mt_malloc, as the allocation-failure tests do) as an ordinary parse
** error, so a failed parse is repeated with the C allocator: if that one
** succeeds, the first failure was memory. Build time is single-threaded, so
** swapping jansson's global allocator for the retry is safe here. */
struct json_t *mt_import_parse_json(const char *data, size_t len, void *jerr, int *rc)
{
    json_error_t *e = jerr, again;
    json_malloc_t am;
    json_free_t af;
    json_t *root;
    int parsed;

    /* jansson leaves the error untouched when an allocation fails before it
    ** starts (valgrind saw json_error_code read it uninitialised): cleared,
    ** its code reads "unknown" and the retry below decides. */
    memset(e, 0, sizeof(*e));
    root = json_loadb(data, len, 0, e);
    if (root) {
        *rc = MT_OK;
        return root;
    }
    if (json_error_code(e) == json_error_out_of_memory) {
        *rc = MT_ENOMEM;
        return NULL;
    }
    json_get_alloc_funcs(&am, &af);
    json_set_alloc_funcs(malloc, free);
    root = json_loadb(data, len, 0, &again);
    parsed = root != NULL;
    json_decref(root);
    json_set_alloc_funcs(am, af);
    *rc = parsed ? MT_ENOMEM : MT_EFORMAT;
    return NULL;
}
