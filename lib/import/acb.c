/*
** acb.c — importer of the collated anticholinergic burden scores
** (anticholinergic-burden: ACB_table.csv, g-b-f/ACB-data): one row per drug
** (lower-case generic name), one column per published scale (Boustani2008,
** Rudolph2008, Carnahan2006, Ancelin2006, Ehrt2010, Sittironnarit2011,
** Bishara2020, ACBcalc, KieselVote) plus the majority vote (MajVote).
**
** Each score a scale gives becomes one mdl_acb with the column name as the
** scale, cited by line and column; an empty cell means the scale does not
** list the drug. 86 names carry a route ("timolol-OPHTHALMIC",
** "budesonide-NOT(NASAL)"): the drug is joined by the name before the route
** and the route stays in the scale's label ("KieselVote, OPHTHALMIC"), since
** a drop or a cream scores differently from a tablet. Drugs are joined by name, then without salt words (the
** documented fallback), and scores go to the ingredient of a salt; names
** that join nothing are counted as unmatched and listed in the notes.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"
#include "util/text.h"

#define ACB_FILE "ACB_table.csv"
#define ACB_MAX_COLS 32

typedef struct acb_state {
    mt_import_ctx *ctx;
    int            header_seen;
    size_t         ncols;
    char           cols[ACB_MAX_COLS][32];
    mt_arena       keys;
    mt_hmap        given;         /* "drug|scale" -> score + 1 (index of the first row's score) */
    unsigned long  scores, unmatched_listed, repeats;
} acb_state;

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    acb_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    mdl_ref d;
    size_t i;
    int rc, majvote = 0;
    char base[256];
    const char *route = NULL;

    if (!st->header_seen) {
        st->header_seen = 1;
        if (n < 3 || n > ACB_MAX_COLS || strcmp(f[0], "Name") != 0)
            return mt_import_fail(st->ctx, ACB_FILE, line, MT_EFORMAT, "expected a header \"Name,<scale>,...,MajVote\" of at most %d columns",
                        ACB_MAX_COLS);
        for (i = 1; i < n; i++) {
            size_t j, len = strlen(f[i]);
            if (len == 0 || len >= sizeof(st->cols[0]))
                return mt_import_fail(st->ctx, ACB_FILE, line, MT_EFORMAT, "header column %zu is empty or too long", i + 1);
            for (j = 0; j < len; j++)
                if (!isalnum((unsigned char)f[i][j]))
                    return mt_import_fail(st->ctx, ACB_FILE, line, MT_EFORMAT, "header column %zu \"%s\" is not a scale name", i + 1, f[i]);
            memcpy(st->cols[i], f[i], len + 1);
            if (strcmp(f[i], "MajVote") == 0)
                majvote = 1;
        }
        if (!majvote)
            return mt_import_fail(st->ctx, ACB_FILE, line, MT_EFORMAT, "no MajVote column");
        st->ncols = n;
        return MT_OK;
    }
    if (n != st->ncols)
        return mt_import_fail(st->ctx, ACB_FILE, line, MT_EFORMAT, "expected %zu comma-separated fields, got %zu", st->ncols, n);
    if (!*f[0] || !mt_utf8_valid(f[0], strlen(f[0])))
        return mt_import_fail(st->ctx, ACB_FILE, line, MT_EFORMAT, "empty or invalid drug name");
    for (i = 1; i < n; i++)
        if (*f[i] && (!isdigit((unsigned char)f[i][0]) || f[i][1]))
            return mt_import_fail(st->ctx, ACB_FILE, line, MT_EFORMAT, "%s: score \"%s\" for %s is not a digit 0-9", f[0], f[i], st->cols[i]);
    src->rows++;
    /* "name-ROUTE": a route in capitals after the last '-'. */
    {
        const char *dash = strrchr(f[0], '-');
        size_t blen = dash ? (size_t)(dash - f[0]) : 0;
        if (dash && blen > 0 && blen < sizeof(base) && isupper((unsigned char)dash[1]) &&
            strspn(dash + 1, "ABCDEFGHIJKLMNOPQRSTUVWXYZ ()|") == strlen(dash + 1)) {
            memcpy(base, f[0], blen);
            base[blen] = '\0';
            route = dash + 1;
        } else {
            snprintf(base, sizeof(base), "%s", f[0]);
        }
    }
    if (mdl_drug_find_name(m, base, &d) != MT_OK) {
        src->unmatched++;
        if (ctx->warn && st->unmatched_listed++ < 40)
            mt_buf_printf(ctx->warn, "acb: %s line %lu: \"%s\" matches no drug\n", ACB_FILE, line, f[0]);
        return MT_OK;
    }
    src->matched++;
    d = mdl_drug_base(m, d);
    for (i = 1; i < n; i++) {
        char key[128], scale[96];
        uint32_t first;
        if (!*f[i])
            continue;
        if (route)
            snprintf(scale, sizeof(scale), "%s, %.50s", st->cols[i], route);
        else
            snprintf(scale, sizeof(scale), "%s", st->cols[i]);
        /* The table repeats names (acetaminophen 16 times; 18 names again with
        ** a trailing space): a scale scores a drug once, from its first row. */
        snprintf(key, sizeof(key), "%u|%s", d, scale);
        if (mt_hmap_gets(&st->given, key, &first) == MT_OK) {
            st->repeats++;
            if (first != (uint32_t)(f[i][0] - '0') && ctx->warn)
                mt_buf_printf(ctx->warn, "acb: %s line %lu: %s %s is %c, an earlier row says %u: "
                              "the earlier kept\n", ACB_FILE, line, f[0], scale, f[i][0], first);
            continue;
        }
        {
            const char *k = mt_arena_strdup(&st->keys, key);
            if (!k)
                return MT_ENOMEM;
            if ((rc = mt_hmap_puts(&st->given, k, (uint32_t)(f[i][0] - '0'))) != MT_OK)
                return rc;
        }
        rc = mdl_acb_add(m, d, scale, f[i][0] - '0',
                         mdl_cite_make(m, ctx->src, "%s line %lu (%s), column %s", ACB_FILE, line,
                                       f[0], st->cols[i]));
        if (rc != MT_OK)
            return rc;
        st->scores++;
    }
    return MT_OK;
}

int mt_import_acb(mt_import_ctx *ctx)
{
    acb_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_arena_init(&st.keys, 16 * 1024, 0);
    mt_hmap_init(&st.given);
    rc = mt_csv_read(ctx->dir, ACB_FILE, ',', '"', on_row, &st, ctx->err);
    if (rc == MT_OK && !st.header_seen)
        rc = mt_import_fail(st.ctx, ACB_FILE, 0, MT_EFORMAT, "empty file");
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "acb: %u rows joined, %u not; %lu scores, %lu repeated scores "
                      "of a drug named twice not added\n", ctx->m->sources.items[ctx->src].matched,
                      ctx->m->sources.items[ctx->src].unmatched, st.scores, st.repeats);
    mt_hmap_free(&st.given);
    mt_arena_free(&st.keys);
    return rc;
}
