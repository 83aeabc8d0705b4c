/*
** va56.c — the VA National Drug File DRUG INTERACTION file (#56), as far as
** the 2018 FOIA export holds it: mt_import_va56 (import.h).
**
** File (under the source folder, plain or .gz): file56_pairs_from_C_xref.tsv
** with a header: va_ien, ingredient names separated by '|' (from the "C"
** cross-reference; VistA truncates them at 30 characters). The nodes with
** the severity are missing from the export (PROVENANCE.txt), so each
** interaction is a pair-only rule: "Interaction reported (severity not
** graded)", canonical severity unknown.
**
** Names. Upper case, sometimes with salts ("LEVOTHYROXINE SODIUM",
** "RABEPRAZOLE NA"), a qualifier ("GRAPEFRUIT EXTRACT") or parentheses
** ("HYPERICUM PERFORATUM (ST. JOHN"); a name of exactly 30
** characters may be cut short and is then matched as a prefix of the
** vocabulary's names, only when every name with that prefix belongs to
** one drug.
**
** Sides. The cross-reference splits the interaction's name at '/', so an
** ingredient whose own name holds a '/' ("MEASLES/MUMPS/RUBELLA VIRUS
** VACCINE,LIVE", "ALUMINUM/MAGNESIUM HYDROXIDE") gives 3-4 names. Pieces that
** travel together in many such rows (>= FRAGMENT_MIN) and never form a pair
** on their own are treated as one side; every other piece is a side.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/ixbuild.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/text.h"

#define FILE_NAME     "file56_pairs_from_C_xref.tsv"
#define LEVEL         "Interaction reported (severity not graded)"
#define VA_NAME_MAX   30
#define MAX_PIECES    8
#define FRAGMENT_MIN  10
#define KEY_MAX       512

typedef struct varow {
    const char *ien;
    const char *names[MAX_PIECES];
    uint32_t    n;
    unsigned long line;
} varow;

typedef struct prefix_ent {
    const char *key;
    mdl_ref     drug;
} prefix_ent;

typedef struct va_state {
    mt_import_ctx *ctx;
    mdl           *m;
    mt_arena       scratch;
    varow         *rows;
    uint32_t       nrows, caprows;
    mt_hmap        cooc;            /* "a\x1fb" of pieces in rows of 3+ names -> count */
    mt_hmap        pair2;           /* "a\x1fb" pairs of 2-name rows */
    mt_hmap        resolved;        /* name -> drug + 1 (0: unresolved) */
    prefix_ent    *prefix;
    uint32_t       nprefix;
    int            prefix_built;
    uint32_t       names_total, names_unresolved, by_prefix;
    mt_buf         unresolved_list;
} va_state;

/* --- reading ---------------------------------------------------------------- */

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    va_state *st = user;
    varow *r;
    char *p, *piece;

    if (n != 2)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                          "expected 2 tab-separated fields (va_ien, names), got %zu", n);
    if (line == 1 && strcmp(f[0], "va_ien") == 0)
        return MT_OK;
    if (!*f[0] || strspn(f[0], "0123456789") != strlen(f[0]))
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                          "IEN \"%s\" is not a number", f[0]);
    if (st->nrows == st->caprows) {
        uint32_t ncap = st->caprows ? st->caprows * 2 : 4096;
        varow *g = mt_reallocarray(st->rows, ncap, sizeof(*g));
        if (!g)
            return MT_ENOMEM;
        st->rows = g;
        st->caprows = ncap;
    }
    r = &st->rows[st->nrows];
    memset(r, 0, sizeof(*r));
    r->line = line;
    if (!(r->ien = mt_arena_strdup(&st->scratch, f[0])))
        return MT_ENOMEM;
    for (p = f[1]; p; ) {
        char *bar = strchr(p, '|');
        if (bar)
            *bar = '\0';
        piece = p;
        p = bar ? bar + 1 : NULL;
        if (!*piece)
            continue;
        if (r->n >= MAX_PIECES)
            return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                              "more than %d names", MAX_PIECES);
        if (!(r->names[r->n++] = mt_arena_strdup(&st->scratch, piece)))
            return MT_ENOMEM;
    }
    if (r->n < 2)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                          "an interaction needs two names");
    st->nrows++;
    return MT_OK;
}

static int pair_str(char *buf, size_t sz, const char *a, const char *b)
{
    int c = strcmp(a, b);
    return snprintf(buf, sz, "%s\x1f%s", c <= 0 ? a : b, c <= 0 ? b : a);
}

static int count_pieces(va_state *st)
{
    uint32_t i, a, b;
    char k[4 * KEY_MAX];

    for (i = 0; i < st->nrows; i++) {
        const varow *r = &st->rows[i];
        for (a = 0; a < r->n; a++) {
            for (b = a + 1; b < r->n; b++) {
                int n = pair_str(k, sizeof(k), r->names[a], r->names[b]);
                uint32_t v = 0;
                mt_hmap *map = r->n == 2 ? &st->pair2 : &st->cooc;
                const char *key;
                if (n <= 0 || (size_t)n >= sizeof(k))
                    continue;
                if (mt_hmap_get(map, k, (size_t)n, &v) == MT_OK) {
                    /* an existing slot keeps its own key */
                    if (mt_hmap_put(map, k, (size_t)n, v + 1) != MT_OK)
                        return MT_ENOMEM;
                    continue;
                }
                key = mt_arena_strndup(&st->scratch, k, (size_t)n);
                if (!key || mt_hmap_put(map, key, (size_t)n, 1) != MT_OK)
                    return MT_ENOMEM;
            }
        }
    }
    return MT_OK;
}

/* Whether two pieces of a row are fragments of one name split at '/'. */
static int same_side(const va_state *st, const char *a, const char *b)
{
    char k[4 * KEY_MAX];
    uint32_t v;
    int n = pair_str(k, sizeof(k), a, b);
    if (n <= 0 || (size_t)n >= sizeof(k))
        return 0;
    if (mt_hmap_get(&st->pair2, k, (size_t)n, &v) == MT_OK)
        return 0;
    return mt_hmap_get(&st->cooc, k, (size_t)n, &v) == MT_OK && v >= FRAGMENT_MIN;
}

/* --- names ------------------------------------------------------------------- */

static int cmp_prefix(const void *x, const void *y)
{
    return strcmp(((const prefix_ent *)x)->key, ((const prefix_ent *)y)->key);
}

static int build_prefix(va_state *st)
{
    uint32_t i;
    char k[KEY_MAX];

    st->prefix_built = 1;
    st->prefix = mt_reallocarray(NULL, st->m->names.count ? st->m->names.count : 1, sizeof(*st->prefix));
    if (!st->prefix)
        return MT_ENOMEM;
    for (i = 0; i < st->m->names.count; i++) {
        const mdl_name *nm = &st->m->names.items[i];
        if (nm->kind == MT_NAME_PRODUCT || nm->kind == MT_NAME_BRAND || !nm->text)
            continue;
        if (!mt_text_key(nm->text, k, sizeof(k)))
            continue;
        st->prefix[st->nprefix].key = mt_arena_strdup(&st->scratch, k);
        st->prefix[st->nprefix].drug = nm->drug;
        if (!st->prefix[st->nprefix].key)
            return MT_ENOMEM;
        st->nprefix++;
    }
    qsort(st->prefix, st->nprefix, sizeof(*st->prefix), cmp_prefix);
    return MT_OK;
}

/* The one drug whose names start with key, else MT_ENOTFOUND. */
static int find_prefix(va_state *st, const char *key, mdl_ref *out)
{
    size_t lo = 0, hi = st->nprefix, klen = strlen(key);
    mdl_ref found = MDL_NONE;
    int rc;

    if (!st->prefix_built && (rc = build_prefix(st)) != MT_OK)
        return rc;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(st->prefix[mid].key, key) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (; lo < st->nprefix && strncmp(st->prefix[lo].key, key, klen) == 0; lo++) {
        if (found == MDL_NONE)
            found = st->prefix[lo].drug;
        else if (found != st->prefix[lo].drug)
            return MT_ENOTFOUND;            /* ambiguous */
    }
    if (found == MDL_NONE)
        return MT_ENOTFOUND;
    *out = found;
    return MT_OK;
}

static int resolve_name(va_state *st, const char *name, mdl_ref *out)
{
    char tmp[KEY_MAX], k[KEY_MAX];
    const char *paren;
    uint32_t v;
    int truncated = strlen(name) >= VA_NAME_MAX, rc;

    if (mt_hmap_gets(&st->resolved, name, &v) == MT_OK) {
        if (!v)
            return MT_ENOTFOUND;
        *out = v - 1;
        return MT_OK;
    }
    st->names_total++;
    rc = MT_ENOTFOUND;
    if (mdl_drug_find_name(st->m, name, out) == MT_OK)
        rc = MT_OK;
    /* "HYPERICUM PERFORATUM (ST. JOHN", "OLEANDOMYCIN (AS TROLEANDOMYCI" */
    if (rc != MT_OK && (paren = strchr(name, '(')) != NULL && paren > name) {
        snprintf(tmp, sizeof(tmp), "%.*s", (int)(paren - name), name);
        if (mdl_drug_find_name(st->m, tmp, out) == MT_OK)
            rc = MT_OK;
    }
    /* a last word the vocabulary leaves out: VistA's "NA" (sodium), salts and
    ** esters the model does not strip, "EXTRACT", "SEED" */
    if (rc != MT_OK && mt_text_key(name, k, sizeof(k))) {
        static const char *const tail_words[] = { "na", "bisulfate", "proxetil", "pivoxil", "maleate",
                                                  "methylsulfate", "iodide", "extract", "seed", "fluid", NULL };
        char *sp = strrchr(k, ' ');
        int w;
        for (w = 0; sp && sp - k >= 4 && tail_words[w]; w++) {
            if (strcmp(sp + 1, tail_words[w]) == 0) {
                *sp = '\0';
                if (mdl_drug_find_name(st->m, k, out) == MT_OK)
                    rc = MT_OK;
                break;
            }
        }
    }
    if (rc != MT_OK && truncated && !strchr(name, '(') && mt_text_key(name, k, sizeof(k))) {
        int prc = find_prefix(st, k, out);
        if (prc == MT_ENOMEM)
            return prc;
        if (prc == MT_OK) {
            rc = MT_OK;
            st->by_prefix++;
        }
    }
    {
        const char *key = mt_arena_strdup(&st->scratch, name);
        if (!key || mt_hmap_puts(&st->resolved, key, rc == MT_OK ? *out + 1 : 0) != MT_OK)
            return MT_ENOMEM;
    }
    if (rc != MT_OK) {
        st->names_unresolved++;
        if (st->names_unresolved <= 40)
            mt_buf_printf(&st->unresolved_list, "%s%s", st->names_unresolved > 1 ? "; " : "", name);
    }
    return rc;
}

/* --- rules -------------------------------------------------------------------- */

static int one_row(va_state *st, const varow *r)
{
    mdl *m = st->m;
    uint32_t side[MAX_PIECES], nsides = 0, i, j;
    mt_refset sets[MAX_PIECES];
    mt_buf labels[MAX_PIECES], all;
    uint32_t resolved_sides = 0;
    mdl_ixrule rule;
    mdl_ref ref, d;
    int rc = MT_OK;

    /* group fragments into sides (a tiny union-find over at most 8 pieces) */
    for (i = 0; i < r->n; i++)
        side[i] = i;
    if (r->n > 2)
        for (i = 0; i < r->n; i++)
            for (j = i + 1; j < r->n; j++)
                if (same_side(st, r->names[i], r->names[j])) {
                    uint32_t from = side[j], to = side[i], k;
                    for (k = 0; k < r->n; k++)
                        if (side[k] == from)
                            side[k] = to;
                }
    for (i = 0; i < MAX_PIECES; i++) {
        mt_refset_init(&sets[i]);
        mt_buf_init(&labels[i], 1024);
    }
    mt_buf_init(&all, 4096);
    for (i = 0; i < r->n; i++) {
        uint32_t s = side[i];
        if ((rc = mt_buf_printf(&labels[s], "%s%s", labels[s].len ? "/" : "", r->names[i])) != MT_OK)
            goto done;
        if ((rc = mt_buf_printf(&all, "%s%s", all.len ? "/" : "", r->names[i])) != MT_OK)
            goto done;
        rc = resolve_name(st, r->names[i], &d);
        if (rc == MT_ENOMEM)
            goto done;
        if (rc == MT_OK && (rc = mt_refset_add(&sets[s], d)) != MT_OK)
            goto done;
        rc = MT_OK;
    }
    for (i = 0; i < r->n; i++)
        if (side[i] == i) {
            nsides++;
            resolved_sides += sets[i].count > 0;
        }
    memset(&rule, 0, sizeof(rule));
    rule.kind = MT_IX_PAIR_ONLY;
    for (i = 0; i < r->n && (!rule.a_label || !rule.b_label); i++) {
        if (side[i] != i)
            continue;
        if (!rule.a_label)
            rule.a_label = labels[i].data;
        else
            rule.b_label = labels[i].data;
    }
    rule.level = LEVEL;
    rule.severity = MT_SEV_UNKNOWN;
    rule.tier = MT_TIER_DEFAULT;
    rule.dur = "DD";
    rule.cite = mdl_cite_make(m, st->ctx->src, "file 56 IEN %s: %s", r->ien, all.data);
    if (!rule.cite.record) {
        rc = MT_ENOMEM;
        goto done;
    }
    if ((rc = mdl_ixrule_add(m, &rule, &ref)) != MT_OK)
        goto done;
    m->sources.items[st->ctx->src].rows++;
    if (nsides >= 2 && resolved_sides >= 2)
        m->sources.items[st->ctx->src].matched++;
    else
        m->sources.items[st->ctx->src].unmatched++;
    for (i = 0; i < r->n; i++)
        for (j = i + 1; j < r->n; j++)
            if (side[i] == i && side[j] == j && (rc = mt_ix_link(m, &sets[i], &sets[j], ref, NULL)) != MT_OK)
                goto done;
done:
    for (i = 0; i < MAX_PIECES; i++) {
        mt_refset_free(&sets[i]);
        mt_buf_free(&labels[i]);
    }
    mt_buf_free(&all);
    return rc;
}

int mt_import_va56(mt_import_ctx *ctx)
{
    va_state st;
    uint32_t i, rules0 = ctx->m->ixrules.count, pairs0 = ctx->m->ixpairs.count;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    mt_arena_init(&st.scratch, 1024 * 1024, 0);
    mt_hmap_init(&st.cooc);
    mt_hmap_init(&st.pair2);
    mt_hmap_init(&st.resolved);
    mt_buf_init(&st.unresolved_list, 16 * 1024);
    if (!ctx->dir) {
        if (ctx->err)
            mt_buf_puts(ctx->err, "va56: no source folder");
        rc = MT_EINVAL;
        goto done;
    }
    rc = mt_csv_read(ctx->dir, FILE_NAME, '\t', 0, on_row, &st, ctx->err);
    if (rc != MT_OK)
        goto done;
    if ((rc = count_pieces(&st)) != MT_OK)
        goto done;
    for (i = 0; i < st.nrows; i++) {
        if ((rc = one_row(&st, &st.rows[i])) != MT_OK)
            goto done;
        if (ctx->progress && i % 2000 == 0)
            ctx->progress(ctx->progress_user, "va56", i, st.nrows);
    }
    mt_ix_note(ctx, "va56: %u rules, %u drug pairs; %u of %u distinct names unresolved (%u by unambiguous "
               "prefix of a truncated name)%s%s\n",
               ctx->m->ixrules.count - rules0, ctx->m->ixpairs.count - pairs0, st.names_unresolved,
               st.names_total, st.by_prefix, st.names_unresolved ? ": " : "", mt_buf_str(&st.unresolved_list));
done:
    mt_free(st.rows);
    mt_free(st.prefix);
    mt_hmap_free(&st.cooc);
    mt_hmap_free(&st.pair2);
    mt_hmap_free(&st.resolved);
    mt_buf_free(&st.unresolved_list);
    mt_arena_free(&st.scratch);
    return rc;
}
