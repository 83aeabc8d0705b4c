/*
** spl_codes.c — importer of the FDA SPL pill colour and shape codes
** (spl-pill-codes/spl_color_shape_codes.tsv): NCI C-code, display name and,
** for colours, the hex value. They become mdl_code entries of the systems
** "SPL-COLOR" and "SPL-SHAPE", which the other pill importers use to turn
** C-codes into names and the pill engine uses to draw and match colours.
*/
#include <ctype.h>
#include <stdarg.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"

#define CODES_FILE "spl_color_shape_codes.tsv"

typedef struct codes_state {
    mt_import_ctx *ctx;
    int header_seen;
} codes_state;

static int valid_ccode(const char *s)
{
    size_t i, n = strlen(s);
    if (n < 2 || n > 12 || s[0] != 'C')
        return 0;
    for (i = 1; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int valid_hex(const char *s)
{
    size_t i;
    if (strlen(s) != 6)
        return 0;
    for (i = 0; i < 6; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    codes_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_code c;
    int is_color;

    if (!st->header_seen) {
        st->header_seen = 1;
        if (n < 3 || strcmp(f[0], "kind") != 0 || strcmp(f[1], "nci_code") != 0)
            return mt_import_fail(ctx, CODES_FILE, line, MT_EFORMAT, "expected the header kind, nci_code, display_name, hex_value");
        return MT_OK;
    }
    m->sources.items[ctx->src].rows++;
    if (n != 4 && n != 3)
        return mt_import_fail(ctx, CODES_FILE, line, MT_EFORMAT, "expected 4 tab-separated fields, got %zu", n);
    is_color = strcmp(f[0], "color") == 0;
    if (!is_color && strcmp(f[0], "shape") != 0)
        return mt_import_fail(ctx, CODES_FILE, line, MT_EFORMAT, "unknown kind \"%s\" (color or shape)", f[0]);
    if (!valid_ccode(f[1]))
        return mt_import_fail(ctx, CODES_FILE, line, MT_EFORMAT, "\"%s\" is not an NCI C-code", f[1]);
    if (!*f[2])
        return mt_import_fail(ctx, CODES_FILE, line, MT_EFORMAT, "empty display name");
    memset(&c, 0, sizeof(c));
    c.system = is_color ? "SPL-COLOR" : "SPL-SHAPE";
    c.code = f[1];
    c.display = f[2];
    if (n == 4 && *f[3]) {
        if (!is_color || !valid_hex(f[3]))
            return mt_import_fail(ctx, CODES_FILE, line, MT_EFORMAT, "bad hex value \"%s\"", f[3]);
        c.hex = f[3];
    } else if (is_color)
        return mt_import_fail(ctx, CODES_FILE, line, MT_EFORMAT, "colour %s has no hex value", f[1]);
    c.cite = mdl_cite_make(m, ctx->src, "%s line %lu (%s)", CODES_FILE, line, f[1]);
    m->sources.items[ctx->src].matched++;
    return mdl_code_add(m, &c);
}

int mt_import_spl_codes(mt_import_ctx *ctx)
{
    codes_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    rc = mt_csv_read(ctx->dir, CODES_FILE, '\t', 0, on_row, &st, ctx->err);
    if (rc == MT_OK && !st.header_seen) {
        mt_buf_printf(ctx->err, "%s/%s: empty file", ctx->dir, CODES_FILE);
        rc = MT_EFORMAT;
    }
    return rc;
}
