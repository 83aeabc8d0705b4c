/*
** import_util.c — the "file:line: reason" error writer every importer shares
** (import.h), so an importer's messages all have one shape.
*/
#include "import/import.h"

#include <stdarg.h>

int mt_import_vfail(mt_buf *err, int status, const char *dir, const char *name, unsigned long line,
                    const char *fmt, va_list ap)
{
    if (!err)
        return status;
    if (dir)
        mt_buf_printf(err, "%s/%s:%lu: ", dir, name, line);
    else
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
