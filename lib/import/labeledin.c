/*
** labeledin.c — importer of LabeledIn (labeledin: indications.tsv, dhimmel's
** parse of the NCBI release; public domain, Khare, Li & Lu 2014): indications
** that experts (or a checked crowd) extracted from FDA drug labels, per RxNorm
** ingredient: rxnorm_id, disease_cui, n_labels, expert, crowd,
** disease_mesh_name, rxnorm_name. They become MT_IND_ON_LABEL indications,
** cited with the row and the number of labels.
**
** Join by the ingredient RxCUI, then by name (the documented fallback). Rows
** of combination labels ("10763;5487") are not given to each ingredient. A
** fifth of the rows have a UMLS CUI but no MeSH name; UMLS is not bundled, so
** the name is taken from an indication another source already gave that CUI
** (DrugCentral), and the record says so; a row with no name anywhere is
** counted as skipped rather than shown as a bare code.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"

static const char *const li_files[] = { "indications.tsv", "labeledin/data/indications.tsv" };

typedef struct li_state {
    mt_import_ctx *ctx;
    const char    *file;
    int            header_seen;
    mt_hmap        cui_name;      /* UMLS CUI -> an indication of another source naming it */
    unsigned long  unnamed, named_elsewhere, combinations;
} li_state;

/* A UMLS CUI: C and 7 digits. */
static int valid_cui(const char *s)
{
    size_t i;
    if (strlen(s) != 8 || s[0] != 'C')
        return 0;
    for (i = 1; i < 8; i++)
        if (!isdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

static uint32_t parse_num(const char *s, unsigned long max)
{
    char *end;
    unsigned long v;
    if (!isdigit((unsigned char)s[0]))
        return UINT32_MAX;
    v = strtoul(s, &end, 10);
    return (*end || v > max) ? UINT32_MAX : (uint32_t)v;
}

static int on_row(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[7] = { "rxnorm_id", "disease_cui", "n_labels", "expert", "crowd",
                                        "disease_mesh_name", "rxnorm_name" };
    li_state *st = user;
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    mdl_indication ind;
    mdl_keys k;
    mdl_ref d;
    uint32_t rxcui, labels, expert, crowd, other;
    const char *disease = f[5];
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
    /* "10763;5487": a combination's label. Its indication is the product's,
    ** not each ingredient's (the leak DrugCentral shows): not attributed. */
    if (strchr(f[0], ';') && strspn(f[0], "0123456789;") == strlen(f[0])) {
        st->combinations++;
        ctx->skipped++;
        src->unmatched++;
        return MT_OK;
    }
    rxcui = parse_num(f[0], UINT32_MAX - 1);
    labels = parse_num(f[2], 100000);
    expert = parse_num(f[3], 1);
    crowd = parse_num(f[4], 1);
    if (!rxcui || rxcui == UINT32_MAX)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "rxnorm_id \"%s\" is not a number", f[0]);
    if (!valid_cui(f[1])) {
        /* A known defect of the NCBI release (docs/reference/sources.md): amlodipine's
        ** label 10087 lists "C000296", a CUI cut short, with no disease name. */
        if (f[1][0] == 'C' && !*f[5] && strlen(f[1]) < 8 &&
            strspn(f[1] + 1, "0123456789") == strlen(f[1]) - 1) {
            ctx->skipped++;
            src->unmatched++;
            if (ctx->warn)
                mt_buf_printf(ctx->warn, "labeledin: %s line %lu: skipped: \"%s\" is a UMLS CUI cut short "
                              "(a defect of the NCBI release)\n", st->file, line, f[1]);
            return MT_OK;
        }
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "\"%s\" is not a UMLS CUI", f[1]);
    }
    if (labels == UINT32_MAX || expert == UINT32_MAX || crowd == UINT32_MAX)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "n_labels, expert and crowd must be numbers (expert and crowd 0 or 1)");

    memset(&k, 0, sizeof(k));
    k.rxcui = rxcui;
    if (mdl_drug_find(m, &k, &d) != MT_OK && (!*f[6] || mdl_drug_find_name(m, f[6], &d) != MT_OK)) {
        src->unmatched++;
        return MT_OK;
    }
    src->matched++;
    memset(&ind, 0, sizeof(ind));
    if (!*disease) {
        if (mt_hmap_gets(&st->cui_name, f[1], &other) != MT_OK) {
            st->unnamed++;
            ctx->skipped++;
            return MT_OK;
        }
        disease = m->indications.items[other].disease;
        st->named_elsewhere++;
        ind.cite = mdl_cite_make(m, ctx->src, "%s line %lu: RxCUI %u, %s on %u label%s (%s%s; disease "
                                 "name from %s)", st->file, line, rxcui, f[1], labels, labels == 1 ? "" : "s",
                                 expert ? "expert" : "crowd", expert && crowd ? " and crowd" : "",
                                 m->sources.items[m->indications.items[other].cite.source].id);
    } else {
        ind.cite = mdl_cite_make(m, ctx->src, "%s line %lu: RxCUI %u, %s on %u label%s (%s%s)",
                                 st->file, line, rxcui, f[1], labels, labels == 1 ? "" : "s",
                                 expert ? "expert" : "crowd", expert && crowd ? " and crowd" : "");
    }
    ind.drug = mdl_drug_base(m, d);
    ind.category = MT_IND_ON_LABEL;
    ind.disease = disease;
    ind.disease_id = f[1];
    return mdl_indication_add(m, &ind);
}

int mt_import_labeledin(mt_import_ctx *ctx)
{
    li_state st;
    mdl *m = ctx->m;
    uint32_t i;
    int rc = MT_OK;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_hmap_init(&st.cui_name);
    /* CUIs other sources already named (keys live in the model). */
    for (i = 0; i < m->indications.count && rc == MT_OK; i++) {
        const char *id = m->indications.items[i].disease_id;
        uint32_t dummy;
        if (id && valid_cui(id) && m->indications.items[i].cite.source != ctx->src &&
            mt_hmap_gets(&st.cui_name, id, &dummy) != MT_OK)
            rc = mt_hmap_puts(&st.cui_name, id, i);
    }
    st.file = li_files[0];
    for (i = 0; i < sizeof(li_files) / sizeof(li_files[0]); i++)
        if (mt_src_exists(ctx->dir, li_files[i])) {
            st.file = li_files[i];
            break;
        }
    if (rc == MT_OK)
        rc = mt_csv_read(ctx->dir, st.file, '\t', 0, on_row, &st, ctx->err);
    if (rc == MT_OK && !st.header_seen)
        rc = mt_import_fail(st.ctx, st.file, 0, MT_EFORMAT, "empty file");
    if (rc == MT_OK && ctx->warn && (st.unnamed || st.named_elsewhere))
        mt_buf_printf(ctx->warn, "labeledin: %lu rows have a UMLS CUI but no MeSH name: %lu named "
                      "from another source's indication with that CUI, %lu skipped\n",
                      st.unnamed + st.named_elsewhere, st.named_elsewhere, st.unnamed);
    if (rc == MT_OK && ctx->warn && st.combinations)
        mt_buf_printf(ctx->warn, "labeledin: %lu rows of combination labels (several RxCUIs) not "
                      "attributed to each ingredient\n", st.combinations);
    mt_hmap_free(&st.cui_name);
    return rc;
}
