/*
** dea_derived.c — importer of the derived substance -> DEA schedule table
** (dea-schedules-derived: DERIVED_fda_unfinished_ndc_2018_substance_dea_schedule.tsv).
**
** The table counts, per SUBSTANCENAME of FDA's 2018 NDC directory of
** unfinished (bulk) drugs, the DEA schedules the labelers declared:
** "KETAMINE HYDROCHLORIDE  CIII(17)  17  ...". It is a labeler declaration,
** not the legal list (PROVENANCE; 21 CFR 1308.11-.15 is), and every record
** says so with the number of listings behind it. Rules (docs/reference/sources.md):
** - a row with several schedules gives each ("DRONABINOL CIII(3),CI(2)");
** - a substance is joined by name, then without its salt words, and the
**   schedule goes to the ingredient (KETAMINE HYDROCHLORIDE -> ketamine);
** - a combination row ("PENTAZOCINE HYDROCHLORIDE; NALOXONE HYDROCHLORIDE")
**   schedules only the components that the table also declares alone, so
**   naloxone, topiramate, acetaminophen or papaverine get none;
** - declarations checked against 21 CFR 1308 and found wrong (atorvastatin,
**   rosuvastatin, lansoprazole, letrozole, meclizine, memantine: none is
**   controlled) and the row without a substance name are skipped and counted.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/text.h"

#define DEA_FILE "DERIVED_fda_unfinished_ndc_2018_substance_dea_schedule.tsv"
#define DEA_MAX_ROWS 4096
#define DEA_MAX_PARTS 8

/* Labeler declarations that 21 CFR 1308.11-.15 contradicts: not controlled. */
static const char *const not_controlled[] = {
    "ATORVASTATIN CALCIUM", "ROSUVASTATIN CALCIUM", "LANSOPRAZOLE", "LETROZOLE",
    "MECLIZINE HYDROCHLORIDE", "MEMANTINE HYDROCHLORIDE",
};

typedef struct dea_row {
    unsigned long line;
    char         *name;           /* substance string, as printed */
    char         *schedules;      /* "CIV(2),CIII(1)" */
    unsigned long listings;
} dea_row;

typedef struct dea_state {
    mt_import_ctx *ctx;
    int            header_seen;
    mt_arena       arena;
    dea_row       *rows;
    size_t         nrows, caprows;
} dea_state;

static void note(mt_import_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(mt_import_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (!ctx->warn)
        return;
    va_start(ap, fmt);
    mt_buf_vprintf(ctx->warn, fmt, ap);
    va_end(ap);
    mt_buf_putc(ctx->warn, '\n');
}

/* Parses "CIV(2),CIII(1)" into schedules and counts. Returns the number of
** entries, or -1 when malformed. */
static int parse_schedules(const char *s, char sched[][5], unsigned long counts[], int max)
{
    int n = 0;
    while (*s) {
        size_t len = 0;
        char *end;
        if (n == max || *s != 'C')
            return -1;
        while (s[1 + len] == 'I' || s[1 + len] == 'V')
            len++;
        if (len == 0 || len > 3)
            return -1;
        memcpy(sched[n], s, len + 1);
        sched[n][len + 1] = '\0';
        if (strcmp(sched[n], "CI") && strcmp(sched[n], "CII") && strcmp(sched[n], "CIII") &&
            strcmp(sched[n], "CIV") && strcmp(sched[n], "CV"))
            return -1;
        s += len + 1;
        if (*s != '(' || !isdigit((unsigned char)s[1]))
            return -1;
        counts[n] = strtoul(s + 1, &end, 10);
        if (*end != ')')
            return -1;
        s = end + 1;
        n++;
        if (*s == ',')
            s++;
        else if (*s)
            return -1;
    }
    return n;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[4] = { "substance_name", "dea_schedules(count)", "n_listings",
                                        "example_product_ndcs" };
    dea_state *st = user;
    dea_row *r;
    char sched[8][5];
    unsigned long counts[8];
    char *end;
    size_t i;

    if (!st->header_seen) {
        st->header_seen = 1;
        if (n != 4)
            return mt_import_fail(st->ctx, DEA_FILE, line, MT_EFORMAT, "expected a header of 4 tab-separated columns, got %zu", n);
        for (i = 0; i < 4; i++)
            if (strcmp(f[i], hdr[i]) != 0)
                return mt_import_fail(st->ctx, DEA_FILE, line, MT_EFORMAT, "header column %zu is \"%s\", expected \"%s\"", i + 1, f[i], hdr[i]);
        return MT_OK;
    }
    if (n != 4)
        return mt_import_fail(st->ctx, DEA_FILE, line, MT_EFORMAT, "expected 4 tab-separated fields, got %zu", n);
    if (parse_schedules(f[1], sched, counts, 8) <= 0)
        return mt_import_fail(st->ctx, DEA_FILE, line, MT_EFORMAT, "\"%s\" is not a list of schedules like CIV(2),CIII(1)", f[1]);
    if (st->nrows == DEA_MAX_ROWS)
        return mt_import_fail(st->ctx, DEA_FILE, line, MT_EFORMAT, "more than %d rows", DEA_MAX_ROWS);
    if (st->nrows == st->caprows) {
        size_t cap = st->caprows ? st->caprows * 2 : 256;
        dea_row *p = mt_reallocarray(st->rows, cap, sizeof(*p));
        if (!p)
            return MT_ENOMEM;
        st->rows = p;
        st->caprows = cap;
    }
    r = &st->rows[st->nrows];
    r->line = line;
    r->listings = strtoul(f[2], &end, 10);
    if (*end || end == f[2])
        return mt_import_fail(st->ctx, DEA_FILE, line, MT_EFORMAT, "n_listings \"%s\" is not a number", f[2]);
    r->name = mt_arena_strdup(&st->arena, f[0]);
    r->schedules = mt_arena_strdup(&st->arena, f[1]);
    if (!r->name || !r->schedules)
        return MT_ENOMEM;
    st->nrows++;
    return MT_OK;
}

/* Splits "A; B; C" in place. */
static size_t split_parts(char *s, char *parts[], size_t max)
{
    size_t n = 0;
    char *p = s;
    while (p && n < max) {
        char *sep = strchr(p, ';');
        char *e;
        if (sep)
            *sep = '\0';
        while (*p == ' ')
            p++;
        e = p + strlen(p);
        while (e > p && e[-1] == ' ')
            *--e = '\0';
        if (*p)
            parts[n++] = p;
        p = sep ? sep + 1 : NULL;
    }
    return n;
}

static int is_not_controlled(const char *name)
{
    size_t i;
    for (i = 0; i < sizeof(not_controlled) / sizeof(not_controlled[0]); i++)
        if (strcmp(name, not_controlled[i]) == 0)
            return 1;
    return 0;
}

static int add_schedules(dea_state *st)
{
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    mt_hmap alone, seen;
    mt_arena keys;
    size_t r, i;
    int rc = MT_OK, pass;

    mt_hmap_init(&alone);
    mt_hmap_init(&seen);
    mt_arena_init(&keys, 16 * 1024, 0);
    /* Pass 0 finds the drugs declared alone; pass 1 adds the schedules. */
    for (pass = 0; pass < 2 && rc == MT_OK; pass++) {
        for (r = 0; r < st->nrows && rc == MT_OK; r++) {
            dea_row *row = &st->rows[r];
            char namecopy[1024], sched[8][5];
            unsigned long counts[8];
            char *parts[DEA_MAX_PARTS];
            size_t nparts;
            int nsched, s, joined = 0;

            if (pass == 1)
                src->rows++;
            if (!*row->name || is_not_controlled(row->name)) {
                if (pass == 1) {
                    ctx->skipped++;
                    src->unmatched++;
                    note(ctx, "dea-derived: skipped line %lu (%s %s): %s", row->line,
                         *row->name ? row->name : "(no substance name)", row->schedules,
                         *row->name ? "not controlled under 21 CFR 1308.11-.15; a labeler error"
                                    : "no substance name in the FDA listing");
                }
                continue;
            }
            snprintf(namecopy, sizeof(namecopy), "%s", row->name);
            nparts = split_parts(namecopy, parts, DEA_MAX_PARTS);
            nsched = parse_schedules(row->schedules, sched, counts, 8);
            for (i = 0; i < nparts; i++) {
                mdl_ref d;
                char dkey[16], pkey[32];
                uint32_t dummy;
                if (mdl_drug_find_name(m, parts[i], &d) != MT_OK)
                    continue;
                d = mdl_drug_base(m, d);
                snprintf(dkey, sizeof(dkey), "%u", d);
                if (pass == 0) {
                    if (nparts == 1 && mt_hmap_gets(&alone, dkey, &dummy) != MT_OK) {
                        const char *k = mt_arena_strdup(&keys, dkey);
                        if (!k || (rc = mt_hmap_puts(&alone, k, 1)) != MT_OK) {
                            rc = k ? rc : MT_ENOMEM;
                            break;
                        }
                    }
                    continue;
                }
                if (nparts > 1 && mt_hmap_gets(&alone, dkey, &dummy) != MT_OK)
                    continue;           /* naloxone in pentazocine + naloxone */
                joined = 1;
                for (s = 0; s < nsched; s++) {
                    mdl_cite cite;
                    snprintf(pkey, sizeof(pkey), "%u|%.4s", d, sched[s]);
                    if (mt_hmap_gets(&seen, pkey, &dummy) == MT_OK)
                        continue;
                    {
                        const char *k = mt_arena_strdup(&keys, pkey);
                        if (!k) {
                            rc = MT_ENOMEM;
                            break;
                        }
                        if ((rc = mt_hmap_puts(&seen, k, 1)) != MT_OK)
                            break;
                    }
                    cite = mdl_cite_make(m, ctx->src, "%s line %lu: %s, %s on %lu of %lu listings in "
                                         "FDA's NDC directory of unfinished drugs (2018-06-25): the labelers' "
                                         "declaration, not the legal schedule", DEA_FILE, row->line,
                                         row->name, sched[s], counts[s], row->listings);
                    if ((rc = mdl_schedule_add(m, d, sched[s], cite)) != MT_OK)
                        break;
                }
                if (rc != MT_OK)
                    break;
            }
            if (pass == 1) {
                if (joined)
                    src->matched++;
                else
                    src->unmatched++;
            }
        }
    }
    mt_hmap_free(&alone);
    mt_hmap_free(&seen);
    mt_arena_free(&keys);
    return rc;
}

int mt_import_dea_derived(mt_import_ctx *ctx)
{
    dea_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_arena_init(&st.arena, 32 * 1024, 0);
    rc = mt_csv_read(ctx->dir, DEA_FILE, '\t', 0, on_row, &st, ctx->err);
    if (rc == MT_OK && !st.header_seen)
        rc = mt_import_fail(st.ctx, DEA_FILE, 0, MT_EFORMAT, "empty file");
    if (rc == MT_OK)
        rc = add_schedules(&st);
    mt_free(st.rows);
    mt_arena_free(&st.arena);
    return rc;
}
