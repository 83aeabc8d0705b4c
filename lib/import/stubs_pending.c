/*
** stubs_pending.c — TEMPORARY: importers not written yet. Each engineer
** deletes a function from this file in the same commit that adds the real
** importer; the file is deleted when it is empty. Nothing here may ship.
*/
#include "import/import.h"

static int pending(mt_import_ctx *ctx, const char *what)
{
    if (ctx->warn)
        mt_buf_printf(ctx->warn, "%s: importer not written yet\n", what);
    return MT_OK;
}

int mt_import_acb(mt_import_ctx *ctx) { return pending(ctx, "acb"); }
