/*
** ndfrt.c — the VA drug interactions of NDF-RT (2014-07-07 release, the
** DrugBank-mappable subset extracted by DBMI Pitt): mt_import_ndfrt
** (import.h).
**
** File (under the source folder, plain or .gz): ndfrt_ddi_subset.tsv with a
** header: drug1_drugbank, drug1_name, drug2_drugbank, drug2_name,
** ndfrt_label ("A/B [VA Drug Interaction]"), severity (Critical or
** Significant), ndfrt_uri (ending in the concept's NUI).
**
** One clinical rule per row (each row is one NDF-RT concept), cited by its
** NUI; Critical -> major, Significant -> moderate (severity_map.c; reasons
** in docs/reference/interactions.md). No text: NDF-RT carries none.
*/
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "import/ixbuild.h"
#include "import/severity_map.h"
#include "source/srcfile.h"

#define FILE_NAME "ndfrt_ddi_subset.tsv"

typedef struct ndfrt_state {
    mt_import_ctx *ctx;
    uint32_t       unresolved;
    mt_buf         unresolved_list;
} ndfrt_state;

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    ndfrt_state *st = user;
    mdl *m = st->ctx->m;
    mdl_source *src = &m->sources.items[st->ctx->src];
    const char *nui;
    mt_severity sev;
    mdl_ixrule r;
    mdl_ref rule, d[2];
    mt_refset a, b;
    int k, rc, ok = 1;

    if (n != 7)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                          "expected 7 tab-separated fields, got %zu", n);
    if (line == 1 && strcmp(f[0], "drug1_drugbank") == 0)
        return MT_OK;
    src->rows++;
    if (mt_sevmap_lookup("ndfrt", f[5], &sev, NULL) != MT_OK)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                          "unknown severity \"%s\" (Critical or Significant)", f[5]);
    nui = strrchr(f[6], '/');
    nui = nui ? nui + 1 : f[6];
    if (nui[0] != 'N' || strlen(nui) < 5)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                          "\"%s\" does not end in an NDF-RT NUI", f[6]);
    for (k = 0; k < 2; k++) {
        mdl_keys keys;
        const char *db = f[2 * k], *name = f[2 * k + 1];
        if (strncmp(db, "DB", 2) != 0)
            return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, FILE_NAME, line,
                              "\"%s\" is not a DrugBank ID", db);
        memset(&keys, 0, sizeof(keys));
        keys.drugbank_id = db;
        if (mt_ix_find_drug(m, &keys, name, &d[k]) != MT_OK) {
            d[k] = MDL_NONE;
            ok = 0;
            if (++st->unresolved <= 20)
                mt_buf_printf(&st->unresolved_list, "%s%s %s", st->unresolved > 1 ? "; " : "", name, db);
        }
    }
    memset(&r, 0, sizeof(r));
    r.kind = MT_IX_CLINICAL;
    r.a_label = f[1];
    r.b_label = f[3];
    r.level = f[5];
    r.severity = (uint8_t)sev;
    r.tier = MT_TIER_DEFAULT;
    r.dur = "DD";
    r.cite = mdl_cite_make(m, st->ctx->src, "NUI %s: %s", nui, f[4]);
    if (!r.cite.record)
        return MT_ENOMEM;
    if ((rc = mdl_ixrule_add(m, &r, &rule)) != MT_OK)
        return rc;
    if (!ok) {
        src->unmatched++;
        return MT_OK;
    }
    src->matched++;
    mt_refset_init(&a);
    mt_refset_init(&b);
    rc = mt_refset_add(&a, d[0]);
    if (rc == MT_OK)
        rc = mt_refset_add(&b, d[1]);
    if (rc == MT_OK)
        rc = mt_ix_link(m, &a, &b, rule, NULL);
    mt_refset_free(&a);
    mt_refset_free(&b);
    return rc;
}

int mt_import_ndfrt(mt_import_ctx *ctx)
{
    ndfrt_state st;
    uint32_t rules0 = ctx->m->ixrules.count, pairs0 = ctx->m->ixpairs.count;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_buf_init(&st.unresolved_list, 8192);
    if (!ctx->dir) {
        if (ctx->err)
            mt_buf_puts(ctx->err, "ndfrt: no source folder");
        rc = MT_EINVAL;
        goto done;
    }
    rc = mt_csv_read(ctx->dir, FILE_NAME, '\t', 0, on_row, &st, ctx->err);
    if (rc != MT_OK)
        goto done;
    mt_ix_note(ctx, "ndfrt: %u rules, %u drug pairs; %u drugs unresolved%s%s\n",
               ctx->m->ixrules.count - rules0, ctx->m->ixpairs.count - pairs0, st.unresolved,
               st.unresolved ? ": " : "", mt_buf_str(&st.unresolved_list));
done:
    mt_buf_free(&st.unresolved_list);
    return rc;
}
