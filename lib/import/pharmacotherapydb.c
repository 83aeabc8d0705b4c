/*
** pharmacotherapydb.c — importer of PharmacotherapyDB 1.0 (pharmacotherapydb:
** catalog/indications.tsv, CC0; Himmelstein et al., physician-curated):
** drug -> disease with category DM (disease-modifying), SYM (symptomatic)
** or NOT (not indicated), disease as a Disease Ontology id.
**
** Join by DrugBank ID, then by the drug's name (the documented fallback);
** facts go to the ingredient of a salt. Rows whose drug joins nothing are
** counted as unmatched and dropped.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"

static const char *const ptdb_files[] = { "catalog/indications.tsv", "indications.tsv" };

typedef struct ptdb_state {
    mt_import_ctx *ctx;
    const char    *file;
    int            header_seen;
} ptdb_state;

static int prefixed_digits(const char *s, const char *prefix, size_t min, size_t max)
{
    size_t p = strlen(prefix), n = strlen(s), i;
    if (strncmp(s, prefix, p) != 0 || n - p < min || n - p > max)
        return 0;
    for (i = p; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[7] = { "doid_id", "drugbank_id", "disease", "drug", "category",
                                        "n_curators", "n_resources" };
    ptdb_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    mdl_indication ind;
    mdl_keys k;
    mdl_ref d;
    size_t i;

    if (!st->header_seen) {
        st->header_seen = 1;
        if (n != 7)
            return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected a header of 7 tab-separated columns, got %zu", n);
        for (i = 0; i < 7; i++)
            if (strcmp(f[i], hdr[i]) != 0)
                return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "header column %zu is \"%s\", expected \"%s\"", i + 1, f[i], hdr[i]);
        return MT_OK;
    }
    if (n != 7)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 7 tab-separated fields, got %zu", n);
    src->rows++;
    if (!prefixed_digits(f[0], "DOID:", 1, 9))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "\"%s\" is not a Disease Ontology id", f[0]);
    if (!prefixed_digits(f[1], "DB", 5, 5))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "\"%s\" is not a DrugBank ID", f[1]);
    if (!*f[2] || !*f[3])
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "empty disease or drug name");
    memset(&ind, 0, sizeof(ind));
    if (strcmp(f[4], "DM") == 0)
        ind.category = MT_IND_DISEASE_MODIFYING;
    else if (strcmp(f[4], "SYM") == 0)
        ind.category = MT_IND_SYMPTOMATIC;
    else if (strcmp(f[4], "NOT") == 0)
        ind.category = MT_IND_NOT_INDICATED;
    else
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "category \"%s\" is not DM, SYM or NOT", f[4]);

    memset(&k, 0, sizeof(k));
    k.drugbank_id = f[1];
    if (mdl_drug_find(m, &k, &d) != MT_OK && mdl_drug_find_name(m, f[3], &d) != MT_OK) {
        src->unmatched++;
        return MT_OK;
    }
    src->matched++;
    ind.drug = mdl_drug_base(m, d);
    ind.disease = f[2];
    ind.disease_id = f[0];
    ind.cite = mdl_cite_make(m, ctx->src, "%s line %lu (%s, %s curator%s)", st->file, line, f[4],
                             f[5], strcmp(f[5], "1") == 0 ? "" : "s");
    return mdl_indication_add(m, &ind);
}

int mt_import_pharmacotherapydb(mt_import_ctx *ctx)
{
    ptdb_state st;
    size_t i;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.file = ptdb_files[0];
    for (i = 0; i < sizeof(ptdb_files) / sizeof(ptdb_files[0]); i++)
        if (mt_src_exists(ctx->dir, ptdb_files[i])) {
            st.file = ptdb_files[i];
            break;
        }
    rc = mt_csv_read(ctx->dir, st.file, '\t', 0, on_row, &st, ctx->err);
    if (rc == MT_OK && !st.header_seen)
        rc = mt_import_fail(st.ctx, st.file, 0, MT_EFORMAT, "empty file");
    return rc;
}
