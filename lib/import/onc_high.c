/*
** onc_high.c — the ONC high-priority DDI list (Phansalkar et al., JAMIA
** 2012): mt_import_onc_high (import.h). An alerting-policy source: every
** pair on it must always interrupt (kind MT_IX_ALERT_POLICY, tier
** MT_TIER_INTERRUPTIVE, canonical severity major; docs/interactions.md).
**
** Files (under the source folder, plain or .gz):
**   ONC_High_Priority_Mapped.csv   drug1$DrugBankID$drug2$DrugBankID$ (no
**       header, UTF-8 BOM): the paper's classes expanded to drugs and mapped
**       to DrugBank by DBMI Pitt; the QT item was expanded with the known-TdP
**       drugs (PROVENANCE.txt).
**   DERIVED_onc_high_priority_revised_table2.tsv (optional): the paper's
**       "Revised Table 2" dumped from the bundled workbook: items (#), object
**       and precipitant classes and drugs.
**
** One rule per item of the paper, linked to the drugs the table names and to
** the rows of the mapped file: a row belongs to the item that lists its two drugs (compared as model drugs, then by name,
** tolerating the table's misspellings such as "Esmoprazole"). The QT item
** lists no drugs: it takes the rows among the drugs that form the large
** all-pairs group left over (each drug paired with most of the others).
** Rows that fit no item, or all rows when the table is absent, get one rule
** per unordered DrugBank pair.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/ixbuild.h"
#include "import/severity_map.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/text.h"

#define MAPPED_FILE "ONC_High_Priority_Mapped.csv"
#define TABLE_FILE  "DERIVED_onc_high_priority_revised_table2.tsv"
#define LEVEL       "High priority (always interrupt)"
#define KEY_MAX     256
#define MAX_NAMES   40
#define MAX_HITS    4

typedef struct item {
    const char *num;
    mt_buf      oclass, pclass, onames, pnames;    /* labels */
    const char *okeys[MAX_NAMES], *pkeys[MAX_NAMES];
    uint32_t    nok, npk;
    mt_refset   odrugs, pdrugs;
    mdl_ref     rule;
    unsigned long first_line;
} item;

typedef struct row {
    unsigned long line;
    mdl_ref d[2];
    const char *name[2], *db[2], *key[2];
    uint32_t hits[MAX_HITS], nhits;
} row;

typedef struct onc_state {
    mt_import_ctx *ctx;
    mdl           *m;
    mt_arena       scratch;
    item          *items;
    uint32_t       nitems, capitems;
    row           *rows;
    uint32_t       nrows, caprows;
    mt_hmap        pair_rule;        /* "DBx|DBy" -> rule of a row-level rule */
    mt_hmap        unresolved_ids;
    uint32_t       nunresolved;
    mt_buf         unresolved_list;
} onc_state;

/* --- names ------------------------------------------------------------------ */

/* Levenshtein distance of two keys, stopping at limit + 1. */
static unsigned edit_distance(const char *a, const char *b, unsigned limit)
{
    unsigned prev[KEY_MAX + 1], cur[KEY_MAX + 1];
    size_t la = strlen(a), lb = strlen(b), i, j;

    if (la > KEY_MAX || lb > KEY_MAX)
        return limit + 1;
    if ((la > lb ? la - lb : lb - la) > limit)
        return limit + 1;
    for (j = 0; j <= lb; j++)
        prev[j] = (unsigned)j;
    for (i = 1; i <= la; i++) {
        unsigned best;
        cur[0] = (unsigned)i;
        best = cur[0];
        for (j = 1; j <= lb; j++) {
            unsigned sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            unsigned del = prev[j] + 1, ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            if (cur[j] < best)
                best = cur[j];
        }
        if (best > limit)
            return limit + 1;
        memcpy(prev, cur, (lb + 1) * sizeof(unsigned));
    }
    return prev[lb];
}

/* Whether a name key is one of the item's names: equal, or a misspelling
** (one edit for names of 8 letters or more). */
static int name_in(const char *key, const char *const *keys, uint32_t n)
{
    uint32_t i;
    for (i = 0; i < n; i++) {
        if (strcmp(key, keys[i]) == 0)
            return 1;
        if (strlen(key) >= 8 && edit_distance(key, keys[i], 1) <= 1)
            return 1;
    }
    return 0;
}

static int side_has(const item *it, int object, const row *r, int k)
{
    const mt_refset *drugs = object ? &it->odrugs : &it->pdrugs;
    if (r->d[k] != MDL_NONE && mt_refset_has(drugs, r->d[k]))
        return 1;
    return name_in(r->key[k], object ? it->okeys : it->pkeys, object ? it->nok : it->npk);
}

/* --- the paper's table ------------------------------------------------------ */

static int add_name(onc_state *st, item *it, int object, const char *name)
{
    char k[KEY_MAX];
    mdl_ref d;
    const char *key;
    mt_buf *label = object ? &it->onames : &it->pnames;
    int rc;

    if (!mt_text_key(name, k, sizeof(k)))
        return MT_OK;
    if ((object ? it->nok : it->npk) >= MAX_NAMES)
        return MT_OK;
    key = mt_arena_strdup(&st->scratch, k);
    if (!key)
        return MT_ENOMEM;
    if (object)
        it->okeys[it->nok++] = key;
    else
        it->pkeys[it->npk++] = key;
    if ((rc = mt_buf_printf(label, "%s%s", label->len ? ", " : "", name)) != MT_OK)
        return rc;
    if (mdl_drug_find_name(st->m, name, &d) == MT_OK)
        return mt_refset_add(object ? &it->odrugs : &it->pdrugs, d);
    return MT_OK;
}

static int add_class(mt_buf *b, const char *name)
{
    /* each class once in the label */
    if (b->len && strstr(b->data, name) != NULL)
        return MT_OK;
    return mt_buf_printf(b, "%s%s", b->len ? "; " : "", name);
}

static char *trim(char *s)
{
    char *end;
    while (*s == ' ' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\t'))
        *--end = '\0';
    return s;
}

static int on_table_row(void *user, char **f, size_t n, unsigned long line)
{
    onc_state *st = user;
    item *it;
    char *num, *ocls, *odrug, *pcls, *pdrug;
    int rc;

    if (n < 6)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, TABLE_FILE, line,
                          "expected at least 6 tab-separated fields, got %zu", n);
    if (line == 1 && strcmp(f[0], "xls_row") == 0)
        return MT_OK;
    num = trim(f[1]);
    ocls = trim(f[2]);
    odrug = trim(f[3]);
    pcls = trim(f[4]);
    pdrug = trim(f[5]);
    if (*num) {
        if (st->nitems == st->capitems) {
            uint32_t ncap = st->capitems ? st->capitems * 2 : 32;
            item *g = mt_reallocarray(st->items, ncap, sizeof(*g));
            if (!g)
                return MT_ENOMEM;
            st->items = g;
            st->capitems = ncap;
        }
        it = &st->items[st->nitems++];
        memset(it, 0, sizeof(*it));
        mt_buf_init(&it->oclass, 4096);
        mt_buf_init(&it->pclass, 4096);
        mt_buf_init(&it->onames, 8192);
        mt_buf_init(&it->pnames, 8192);
        mt_refset_init(&it->odrugs);
        mt_refset_init(&it->pdrugs);
        it->rule = MDL_NONE;
        it->first_line = line;
        if (!(it->num = mt_arena_strdup(&st->scratch, num)))
            return MT_ENOMEM;
    } else if (st->nitems == 0) {
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, TABLE_FILE, line,
                          "a drug row before the first item number");
    }
    it = &st->items[st->nitems - 1];
    if (*ocls && (rc = add_class(&it->oclass, ocls)) != MT_OK)
        return rc;
    if (*pcls && (rc = add_class(&it->pclass, pcls)) != MT_OK)
        return rc;
    if (*odrug && (rc = add_name(st, it, 1, odrug)) != MT_OK)
        return rc;
    if (*pdrug && (rc = add_name(st, it, 0, pdrug)) != MT_OK)
        return rc;
    return MT_OK;
}

/* --- the mapped pairs --------------------------------------------------------- */

static int on_mapped_row(void *user, char **f, size_t n, unsigned long line)
{
    onc_state *st = user;
    row *r;
    int k;

    if (n == 5 && !*f[4])
        n = 4;                          /* the trailing '$' */
    if (n != 4)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, MAPPED_FILE, line,
                          "expected drug$DrugBankID$drug$DrugBankID$, got %zu fields", n);
    if (line == 1 && strncmp(f[0], "\xEF\xBB\xBF", 3) == 0)
        f[0] += 3;                      /* UTF-8 BOM */
    if (st->nrows == st->caprows) {
        uint32_t ncap = st->caprows ? st->caprows * 2 : 1024;
        row *g = mt_reallocarray(st->rows, ncap, sizeof(*g));
        if (!g)
            return MT_ENOMEM;
        st->rows = g;
        st->caprows = ncap;
    }
    r = &st->rows[st->nrows++];
    memset(r, 0, sizeof(*r));
    r->line = line;
    for (k = 0; k < 2; k++) {
        char key[KEY_MAX];
        const char *name = trim(f[2 * k]), *db = trim(f[2 * k + 1]);
        mdl_keys keys;
        if (strncmp(db, "DB", 2) != 0 || strlen(db) != 7)
            return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, MAPPED_FILE, line,
                              "\"%s\" is not a DrugBank ID", db);
        mt_text_key(name, key, sizeof(key));
        r->name[k] = mt_arena_strdup(&st->scratch, name);
        r->db[k] = mt_arena_strdup(&st->scratch, db);
        r->key[k] = mt_arena_strdup(&st->scratch, key);
        if (!r->name[k] || !r->db[k] || !r->key[k])
            return MT_ENOMEM;
        memset(&keys, 0, sizeof(keys));
        keys.drugbank_id = db;
        r->d[k] = MDL_NONE;
        if (mt_ix_find_drug(st->m, &keys, name, &r->d[k]) != MT_OK) {
            r->d[k] = MDL_NONE;
            uint32_t seen;
            if (mt_hmap_gets(&st->unresolved_ids, db, &seen) != MT_OK) {
                if (mt_hmap_puts(&st->unresolved_ids, r->db[k], 0) != MT_OK)
                    return MT_ENOMEM;
                st->nunresolved++;
                if (st->nunresolved <= 30)
                    mt_buf_printf(&st->unresolved_list, "%s%s %s", st->nunresolved > 1 ? "; " : "", name, db);
            }
        }
    }
    return MT_OK;
}

/* --- rules ------------------------------------------------------------------- */

static int item_rule(onc_state *st, item *it)
{
    mdl_ixrule r;
    int rc;

    if (it->rule != MDL_NONE)
        return MT_OK;
    memset(&r, 0, sizeof(r));
    r.kind = MT_IX_ALERT_POLICY;
    r.a_label = it->oclass.len ? it->oclass.data : mt_buf_str(&it->onames);
    r.b_label = it->pclass.len ? it->pclass.data : mt_buf_str(&it->pnames);
    if (!*r.a_label)
        r.a_label = r.b_label;
    r.level = LEVEL;
    r.severity = MT_SEV_MAJOR;
    r.tier = MT_TIER_INTERRUPTIVE;
    r.dur = "DD";
    r.cite = mdl_cite_make(st->m, st->ctx->src, "Revised Table 2 item %s: %s + %s", it->num, r.a_label, r.b_label);
    if (!r.cite.record)
        return MT_ENOMEM;
    rc = mdl_ixrule_add(st->m, &r, &it->rule);
    return rc;
}

static int row_rule(onc_state *st, const row *rw, mdl_ref *out)
{
    char k[32];
    int n;
    const char *a = strcmp(rw->db[0], rw->db[1]) <= 0 ? rw->db[0] : rw->db[1];
    const char *b = a == rw->db[0] ? rw->db[1] : rw->db[0];
    mdl_ixrule r;
    const char *key;
    int rc;

    n = snprintf(k, sizeof(k), "%s|%s", a, b);
    if (mt_hmap_get(&st->pair_rule, k, (size_t)n, out) == MT_OK)
        return MT_OK;
    memset(&r, 0, sizeof(r));
    r.kind = MT_IX_ALERT_POLICY;
    r.a_label = rw->name[0];
    r.b_label = rw->name[1];
    r.level = LEVEL;
    r.severity = MT_SEV_MAJOR;
    r.tier = MT_TIER_INTERRUPTIVE;
    r.dur = "DD";
    r.cite = mdl_cite_make(st->m, st->ctx->src, MAPPED_FILE " line %lu: %s (%s) + %s (%s)", rw->line,
                           rw->name[0], rw->db[0], rw->name[1], rw->db[1]);
    if (!r.cite.record)
        return MT_ENOMEM;
    if ((rc = mdl_ixrule_add(st->m, &r, out)) != MT_OK)
        return rc;
    key = mt_arena_strndup(&st->scratch, k, (size_t)n);
    if (!key || mt_hmap_put(&st->pair_rule, key, (size_t)n, *out) != MT_OK)
        return MT_ENOMEM;
    return MT_OK;
}

static int link_row(onc_state *st, const row *rw, mdl_ref rule)
{
    mt_refset a, b;
    int rc;
    if (rw->d[0] == MDL_NONE || rw->d[1] == MDL_NONE)
        return MT_OK;
    mt_refset_init(&a);
    mt_refset_init(&b);
    rc = mt_refset_add(&a, rw->d[0]);
    if (rc == MT_OK)
        rc = mt_refset_add(&b, rw->d[1]);
    if (rc == MT_OK)
        rc = mt_ix_link(st->m, &a, &b, rule, NULL);
    mt_refset_free(&a);
    mt_refset_free(&b);
    return rc;
}

/* Assigns rows to the items that list their drugs; the rest to the item
** without drug lists (QT) when they belong to its all-pairs group. */
static int assign_and_link(onc_state *st)
{
    uint32_t i, j, open = UINT32_MAX, nopen = 0, maxdeg = 0;
    mt_hmap deg;
    int rc = MT_OK;

    for (j = 0; j < st->nitems; j++)
        if (st->items[j].nok == 0 && st->items[j].npk == 0) {
            open = j;
            nopen++;
        }
    mt_hmap_init(&deg);
    for (i = 0; i < st->nrows; i++) {
        row *rw = &st->rows[i];
        for (j = 0; j < st->nitems && rw->nhits < MAX_HITS; j++) {
            const item *it = &st->items[j];
            if ((side_has(it, 1, rw, 0) && side_has(it, 0, rw, 1)) ||
                (side_has(it, 1, rw, 1) && side_has(it, 0, rw, 0)))
                rw->hits[rw->nhits++] = j;
        }
        if (rw->nhits == 0) {
            /* degree of each DrugBank ID among the rows left over */
            int k;
            for (k = 0; k < 2; k++) {
                uint32_t v = 0;
                mt_hmap_gets(&deg, rw->db[k], &v);
                if ((rc = mt_hmap_puts(&deg, rw->db[k], v + 1)) != MT_OK)
                    goto done;
                if (v + 1 > maxdeg)
                    maxdeg = v + 1;
            }
        }
    }
    for (i = 0; i < st->nrows; i++) {
        row *rw = &st->rows[i];
        mdl_ref rule;
        if (rw->nhits) {
            for (j = 0; j < rw->nhits; j++) {
                if ((rc = item_rule(st, &st->items[rw->hits[j]])) != MT_OK)
                    goto done;
                if ((rc = link_row(st, rw, st->items[rw->hits[j]].rule)) != MT_OK)
                    goto done;
            }
            continue;
        }
        if (nopen == 1) {
            uint32_t d0 = 0, d1 = 0;
            mt_hmap_gets(&deg, rw->db[0], &d0);
            mt_hmap_gets(&deg, rw->db[1], &d1);
            /* members of the all-pairs group have about twice as many rows
            ** (both orders) as there are other members; stray rows do not */
            if (maxdeg >= 8 && d0 * 2 >= maxdeg && d1 * 2 >= maxdeg) {
                if ((rc = item_rule(st, &st->items[open])) != MT_OK)
                    goto done;
                if ((rc = link_row(st, rw, st->items[open].rule)) != MT_OK)
                    goto done;
                continue;
            }
        }
        if ((rc = row_rule(st, rw, &rule)) != MT_OK)
            goto done;
        if ((rc = link_row(st, rw, rule)) != MT_OK)
            goto done;
    }
    /* every item of the table, with the drugs it names itself (febuxostat +
    ** azathioprine, triptans + methylene blue: absent from the mapped file) */
    for (j = 0; j < st->nitems; j++) {
        if ((rc = item_rule(st, &st->items[j])) != MT_OK)
            goto done;
        if ((rc = mt_ix_link(st->m, &st->items[j].odrugs, &st->items[j].pdrugs, st->items[j].rule, NULL)) != MT_OK)
            goto done;
    }
done:
    mt_hmap_free(&deg);
    return rc;
}

int mt_import_onc_high(mt_import_ctx *ctx)
{
    onc_state st;
    mdl_source *src;
    uint32_t i, rules0 = ctx->m->ixrules.count, pairs0 = ctx->m->ixpairs.count;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    mt_arena_init(&st.scratch, 64 * 1024, 0);
    mt_hmap_init(&st.pair_rule);
    mt_hmap_init(&st.unresolved_ids);
    mt_buf_init(&st.unresolved_list, 16 * 1024);
    if (!ctx->dir) {
        if (ctx->err)
            mt_buf_puts(ctx->err, "onc_high: no source folder");
        rc = MT_EINVAL;
        goto done;
    }
    if (mt_src_exists(ctx->dir, TABLE_FILE)) {
        rc = mt_csv_read(ctx->dir, TABLE_FILE, '\t', 0, on_table_row, &st, ctx->err);
        if (rc != MT_OK)
            goto done;
    } else {
        mt_ix_note(ctx, "onc-high: %s absent: one rule per DrugBank pair\n", TABLE_FILE);
    }
    rc = mt_csv_read(ctx->dir, MAPPED_FILE, '$', 0, on_mapped_row, &st, ctx->err);
    if (rc != MT_OK)
        goto done;
    if ((rc = assign_and_link(&st)) != MT_OK)
        goto done;
    src = &ctx->m->sources.items[ctx->src];
    for (i = 0; i < st.nrows; i++) {
        src->rows++;
        if (st.rows[i].d[0] != MDL_NONE && st.rows[i].d[1] != MDL_NONE)
            src->matched++;
        else
            src->unmatched++;
    }
    mt_ix_note(ctx, "onc-high: %u rules, %u drug pairs from %u rows; %u DrugBank IDs unresolved%s%s\n",
               ctx->m->ixrules.count - rules0, ctx->m->ixpairs.count - pairs0, st.nrows, st.nunresolved,
               st.nunresolved ? ": " : "", mt_buf_str(&st.unresolved_list));
    rc = MT_OK;
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
    mt_free(st.rows);
    mt_hmap_free(&st.pair_rule);
    mt_hmap_free(&st.unresolved_ids);
    mt_buf_free(&st.unresolved_list);
    mt_arena_free(&st.scratch);
    return rc;
}
