/*
** onc_nonint.c — DDIs that should be non-interruptive (Phansalkar et al.,
** JAMIA 2013): mt_import_onc_nonint (import.h). An alerting-policy source:
** its 33 items are interactions an expert panel judged should be shown
** without interrupting the prescriber (kind MT_IX_ALERT_POLICY, tier
** MT_TIER_NONINTERRUPTIVE). It grades alerting, not harm, so its canonical
** severity is "unknown" (docs/interactions.md); nothing is hidden.
**
** Files (under the source folder, plain or .gz):
**   ONC_Non_Interuptive_List_Mapped_Formatted.csv   comma-separated, no
**       header, UTF-8 BOM: item id, drug1 class, drug1 name, DrugBank ID,
**       2 URIs, drug2 class, drug2 name, DrugBank ID, 2 URIs.
**   DERIVED_onc_non_interruptive_list_imported.tsv (optional): the paper's
**       list dumped from the bundled workbook (xlsx_row, ID, Object_Class,
**       Object_Drug, Obj_DrugbankID, Preciptiant_Class, Precipitant_Drug,
**       Pre_DrugbankID): all 33 items, with drugs the mapped file lacks
**       (items 4, 13, 16, 19, 27; moexipril, cilazapril, ...), joined by name.
**
** One rule per item; its pairs are every object drug with every
** precipitant drug of the item (the mapped file is that expansion).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/ixbuild.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/hmap.h"

#define MAPPED_FILE "ONC_Non_Interuptive_List_Mapped_Formatted.csv"
#define TABLE_FILE  "DERIVED_onc_non_interruptive_list_imported.tsv"
#define LEVEL       "Non-interruptive (show, do not interrupt)"

typedef struct nitem {
    char      id[16];
    mt_buf    oclass, pclass, onames, pnames;
    mt_refset odrugs, pdrugs;
} nitem;

typedef struct nonint_state {
    mt_import_ctx *ctx;
    mdl           *m;
    nitem         *items;
    uint32_t       nitems, capitems;
    uint32_t       unresolved, derived_unresolved;
    mt_buf         unresolved_list;
} nonint_state;

static char *trim(char *s)
{
    char *end;
    /* the workbook pads with spaces and non-breaking spaces (U+00A0) */
    for (;;) {
        if (*s == ' ' || *s == '\t')
            s++;
        else if ((unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            s += 2;
        else
            break;
    }
    end = s + strlen(s);
    for (;;) {
        if (end > s && (end[-1] == ' ' || end[-1] == '\t'))
            end--;
        else if (end - s >= 2 && (unsigned char)end[-2] == 0xC2 && (unsigned char)end[-1] == 0xA0)
            end -= 2;
        else
            break;
    }
    *end = '\0';
    return s;
}

static int item_get(nonint_state *st, const char *id, const char *file, unsigned long line, nitem **out)
{
    uint32_t i;
    char *end;
    long v = strtol(id, &end, 10);

    if (*end || v <= 0 || v > 9999)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, file, line, "item id \"%s\" is not a number", id);
    for (i = 0; i < st->nitems; i++)
        if (strcmp(st->items[i].id, id) == 0) {
            *out = &st->items[i];
            return MT_OK;
        }
    if (st->nitems == st->capitems) {
        uint32_t ncap = st->capitems ? st->capitems * 2 : 64;
        nitem *g = mt_reallocarray(st->items, ncap, sizeof(*g));
        if (!g)
            return MT_ENOMEM;
        st->items = g;
        st->capitems = ncap;
    }
    *out = &st->items[st->nitems++];
    memset(*out, 0, sizeof(**out));
    snprintf((*out)->id, sizeof((*out)->id), "%ld", v);
    mt_buf_init(&(*out)->oclass, 1024);
    mt_buf_init(&(*out)->pclass, 1024);
    mt_buf_init(&(*out)->onames, 8192);
    mt_buf_init(&(*out)->pnames, 8192);
    mt_refset_init(&(*out)->odrugs);
    mt_refset_init(&(*out)->pdrugs);
    return MT_OK;
}

static int set_class(mt_buf *b, const char *name)
{
    if (!*name || b->len)
        return MT_OK;
    return mt_buf_puts(b, name);
}

/* Adds a drug to one side of an item: DrugBank ID, then name. */
static int add_drug(nonint_state *st, nitem *it, int object, const char *name, const char *db, int derived)
{
    mdl_keys k;
    mdl_ref d;
    mt_buf *names = object ? &it->onames : &it->pnames;
    int rc;

    if (!*name && !*db)
        return MT_OK;
    memset(&k, 0, sizeof(k));
    k.drugbank_id = *db ? db : NULL;
    if (*name && !strstr(names->data ? names->data : "", name) &&
        (rc = mt_buf_printf(names, "%s%s", names->len ? ", " : "", name)) != MT_OK)
        return rc;
    if (mt_ix_find_drug(st->m, &k, name, &d) == MT_OK)
        return mt_refset_add(object ? &it->odrugs : &it->pdrugs, d);
    if (derived)
        st->derived_unresolved++;
    return MT_ENOTFOUND;
}

static int on_table_row(void *user, char **f, size_t n, unsigned long line)
{
    nonint_state *st = user;
    nitem *it;
    int rc;

    if (n < 8)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, TABLE_FILE, line,
                          "expected 8 tab-separated fields, got %zu", n);
    if (line == 1 && strcmp(f[0], "xlsx_row") == 0)
        return MT_OK;
    if (!*trim(f[1]))
        return MT_OK;                               /* spacer row */
    if ((rc = item_get(st, trim(f[1]), TABLE_FILE, line, &it)) != MT_OK)
        return rc;
    if ((rc = set_class(&it->oclass, trim(f[2]))) != MT_OK || (rc = set_class(&it->pclass, trim(f[5]))) != MT_OK)
        return rc;
    rc = add_drug(st, it, 1, trim(f[3]), trim(f[4]), 1);
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        return rc;
    rc = add_drug(st, it, 0, trim(f[6]), trim(f[7]), 1);
    return rc == MT_ENOTFOUND ? MT_OK : rc;
}

static int on_mapped_row(void *user, char **f, size_t n, unsigned long line)
{
    nonint_state *st = user;
    mdl_source *src = &st->m->sources.items[st->ctx->src];
    nitem *it;
    int rc, k, ok = 1;

    if (n != 11)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, MAPPED_FILE, line,
                          "expected 11 comma-separated fields, got %zu", n);
    if (line == 1 && strncmp(f[0], "\xEF\xBB\xBF", 3) == 0)
        f[0] += 3;
    if ((rc = item_get(st, trim(f[0]), MAPPED_FILE, line, &it)) != MT_OK)
        return rc;
    if ((rc = set_class(&it->oclass, trim(f[1]))) != MT_OK || (rc = set_class(&it->pclass, trim(f[6]))) != MT_OK)
        return rc;
    src->rows++;
    for (k = 0; k < 2; k++) {
        char *name = trim(f[k ? 7 : 2]), *db = trim(f[k ? 8 : 3]);
        if (strncmp(db, "DB", 2) != 0)
            return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, MAPPED_FILE, line,
                              "\"%s\" is not a DrugBank ID", db);
        rc = add_drug(st, it, k == 0, name, db, 0);
        if (rc == MT_ENOTFOUND) {
            ok = 0;
            if (++st->unresolved <= 20)
                mt_buf_printf(&st->unresolved_list, "%s%s %s", st->unresolved > 1 ? "; " : "", name, db);
        } else if (rc != MT_OK) {
            return rc;
        }
    }
    if (ok)
        src->matched++;
    else
        src->unmatched++;
    return MT_OK;
}

static int make_rules(nonint_state *st, uint32_t *npairs)
{
    uint32_t i;
    int rc;

    for (i = 0; i < st->nitems; i++) {
        nitem *it = &st->items[i];
        mdl_ixrule r;
        mdl_ref rule;

        memset(&r, 0, sizeof(r));
        r.kind = MT_IX_ALERT_POLICY;
        r.a_label = it->oclass.len ? it->oclass.data : mt_buf_str(&it->onames);
        r.b_label = it->pclass.len ? it->pclass.data : mt_buf_str(&it->pnames);
        r.level = LEVEL;
        r.severity = MT_SEV_UNKNOWN;
        r.tier = MT_TIER_NONINTERRUPTIVE;
        r.dur = "DD";
        r.cite = mdl_cite_make(st->m, st->ctx->src, "item %s: %s + %s", it->id, r.a_label, r.b_label);
        if (!r.cite.record)
            return MT_ENOMEM;
        if ((rc = mdl_ixrule_add(st->m, &r, &rule)) != MT_OK)
            return rc;
        if ((rc = mt_ix_link(st->m, &it->odrugs, &it->pdrugs, rule, npairs)) != MT_OK)
            return rc;
    }
    return MT_OK;
}

int mt_import_onc_nonint(mt_import_ctx *ctx)
{
    nonint_state st;
    uint32_t i, npairs = 0;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    mt_buf_init(&st.unresolved_list, 8192);
    if (!ctx->dir) {
        if (ctx->err)
            mt_buf_puts(ctx->err, "onc_nonint: no source folder");
        rc = MT_EINVAL;
        goto done;
    }
    if (mt_src_exists(ctx->dir, TABLE_FILE)) {
        rc = mt_csv_read(ctx->dir, TABLE_FILE, '\t', 0, on_table_row, &st, ctx->err);
        if (rc != MT_OK)
            goto done;
    }
    rc = mt_csv_read(ctx->dir, MAPPED_FILE, ',', 0, on_mapped_row, &st, ctx->err);
    if (rc != MT_OK)
        goto done;
    if ((rc = make_rules(&st, &npairs)) != MT_OK)
        goto done;
    mt_ix_note(ctx, "onc-nonint: %u rules, %u drug pairs; %u mapped drugs unresolved%s%s; "
               "%u listed drugs without a DrugBank mapping not found by name\n",
               st.nitems, npairs, st.unresolved, st.unresolved ? ": " : "", mt_buf_str(&st.unresolved_list),
               st.derived_unresolved);
done:
    for (i = 0; i < st.nitems; i++) {
        mt_buf_free(&st.items[i].oclass);
        mt_buf_free(&st.items[i].pclass);
        mt_buf_free(&st.items[i].onames);
        mt_buf_free(&st.items[i].pnames);
        mt_refset_free(&st.items[i].odrugs);
        mt_refset_free(&st.items[i].pdrugs);
    }
    mt_free(st.items);
    mt_buf_free(&st.unresolved_list);
    return rc;
}
