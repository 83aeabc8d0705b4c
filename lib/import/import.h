/*
** import.h — the importers: one per source format, each filling the model.
**
** Every importer has the signature int mt_import_X(mt_import_ctx *ctx). The
** pipeline (pipeline.c) registers the source from its SOURCE.meta, sets
** ctx->src and ctx->dir, and calls the importers in dependency order:
** identity sources first (RxNorm, RxTerms, DrugBank, DrugCentral identifiers),
** then facts that join to them (classes, indications, approvals, schedules,
** scores, products, pills, labels), then interaction sources, which need the
** classes to expand class rules.
**
** An importer: reads files with lib/source/srcfile.h (plain or .gz); joins by
** identifier (mdl_drug_find) and only then by name (mdl_drug_find_name),
** counting ctx->m->sources.items[ctx->src].rows / matched / unmatched; cites
** every fact (mdl_cite_make(m, ctx->src, "...")); returns MT_OK, or an error
** with "file:line: reason" written to ctx->err (MT_EFORMAT for malformed
** input, MT_EIO, MT_ENOMEM). A malformed row is an error, not something to
** skip silently, unless the source's PROVENANCE documents it as a known
** defect — then it is counted in ctx->skipped and the first few are reported
** through ctx->warn.
*/
#ifndef MT_IMPORT_H
#define MT_IMPORT_H

#include <stdarg.h>

#include "model/model.h"
#include "util/buf.h"

typedef struct mt_import_ctx {
    mdl        *m;
    mdl_src     src;        /* the source being imported */
    const char *dir;        /* its folder */
    mt_buf     *err;        /* why it failed: "path:line: reason" */
    mt_buf     *warn;       /* non-fatal notes (known defects skipped), may be NULL */
    uint32_t    skipped;    /* rows skipped as documented known defects */
    /* Progress for long imports: called now and then with done/total units
    ** (total 0 = unknown). May be NULL. */
    void      (*progress)(void *user, const char *what, unsigned long done, unsigned long total);
    void       *progress_user;
} mt_import_ctx;

/* Errors (import_util.c): write "<ctx->dir>/<file>:<line>: <message>" (or,
** when ctx->dir is a zip, "<zip>!<entry>:<line>: <message>") into ctx->err
** (nothing when it is NULL) and return status. _path is for a message about
** a full path: "<path>:<line>: <message>". mt_import_vfail is
** the one writer under both (and under ixbuild.h's mt_ix_fail); dir NULL
** leaves out the "<dir>/". */
int mt_import_fail(mt_import_ctx *ctx, const char *file, unsigned long line, int status,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int mt_import_fail_path(mt_import_ctx *ctx, const char *path, unsigned long line, int status,
                        const char *fmt, ...) __attribute__((format(printf, 5, 6)));
int mt_import_vfail(mt_buf *err, int status, const char *dir, const char *name, unsigned long line,
                    const char *fmt, va_list ap) __attribute__((format(printf, 6, 0)));

/* json_loadb of data[0..len-1], telling a failed allocation (*rc = MT_ENOMEM)
** from malformed input (*rc = MT_EFORMAT, details in *jerr). Returns the
** document (*rc = MT_OK) or NULL. */
struct json_t;
struct json_t *mt_import_parse_json(const char *data, size_t len, void *jerr, int *rc);

/* Identity and vocabulary */
int mt_import_rxnorm_json(mt_import_ctx *ctx);     /* rxnorm-ingredients-2025-10 */
int mt_import_rxterms(mt_import_ctx *ctx);         /* rxterms-ingredients */
int mt_import_drugbank_vocab(mt_import_ctx *ctx);  /* drugbank-open-vocabulary */
int mt_import_drugcentral(mt_import_ctx *ctx);     /* drugcentral-2016: identifiers, classes, indications */
int mt_import_nondrugs(mt_import_ctx *ctx);        /* built-in non-drug interactants; see nondrug.c */
/* DrugCentral's cross-references, read by an identity importer that runs
** before DrugCentral (DrugBank, to bridge an RxNorm ingredient and a DrugBank
** entry whose names differ: aspirin RxCUI 1191 and DB00945, DRUG_ID 74).
** mt_drugcentral_xrefs reads <dir>/identifiers.tsv and calls fn once per
** DrugCentral drug with its RXNORM and DRUGBANK_ID values (the arrays live
** until fn returns). MT_OK, an error of the file ("path:line: reason" in err),
** or fn's error. */
typedef struct mt_dc_xref {
    uint32_t            dcid;        /* DRUG_ID */
    const char         *name;        /* DRUG_NAME */
    unsigned long       line;        /* its first line */
    const uint32_t     *rxcui;
    size_t              nrxcui;
    const char *const  *drugbank;
    size_t              ndrugbank;
} mt_dc_xref;
int mt_drugcentral_xrefs(const char *dir, int (*fn)(void *user, const mt_dc_xref *x), void *user,
                         mt_buf *err);
/* Facts */
int mt_import_drugsatfda(mt_import_ctx *ctx);      /* fda-openfda-files: Drugs@FDA, SPL sections map */
int mt_import_pharmacotherapydb(mt_import_ctx *ctx);
int mt_import_labeledin(mt_import_ctx *ctx);
int mt_import_dea_derived(mt_import_ctx *ctx);
int mt_import_acb(mt_import_ctx *ctx);             /* anticholinergic-burden */
/* Pills and documents */
int mt_import_spl_codes(mt_import_ctx *ctx);
int mt_import_spl_xml(mt_import_ctx *ctx);         /* spl-xml-2014 and the openFDA SPL XMLs */
int mt_import_c3pi(mt_import_ctx *ctx);
int mt_import_pill_challenge(mt_import_ctx *ctx);
int mt_import_pillbox_2014(mt_import_ctx *ctx);
int mt_import_pillbox_2010(mt_import_ctx *ctx);
int mt_import_ema_leaflets(mt_import_ctx *ctx);
/* Interactions */
int mt_import_ansm(mt_import_ctx *ctx);            /* ansm-thesaurus-fr (+ WorldVistA English text) */
int mt_import_worldvista(mt_import_ctx *ctx);      /* ansm-thesaurus-en-worldvista */
int mt_import_onc_high(mt_import_ctx *ctx);
int mt_import_onc_nonint(mt_import_ctx *ctx);
int mt_import_ndfrt(mt_import_ctx *ctx);
int mt_import_va56(mt_import_ctx *ctx);
int mt_import_tripsit(mt_import_ctx *ctx);
/* Official releases a user downloaded (`materia build --source KIND=PATH`,
** official.h): ctx->dir is the path given. */
int mt_import_rxnorm_rrf(mt_import_ctx *ctx);      /* rxnorm-rrf: RXNCONSO, RXNREL, RXNSAT */
int mt_import_fda_ndc(mt_import_ctx *ctx);         /* fda-ndc: product.txt, package.txt */
int mt_import_fda_ndc_pills(mt_import_ctx *ctx);   /* fda-ndc again, after the pills: labelers */
int mt_import_openfda_label(mt_import_ctx *ctx);   /* openfda-label: drug label JSON */
/* Every SPL XML file (.xml, .xml.gz) under path, cited to ctx->src
** (dailymed-spl; spl_xml.c, as the bundled labels are read): path a folder
** (down to depth levels of subfolders), a zip, the zips in a folder, and the
** label zips inside a zip (source/srcwalk.h). */
int mt_import_spl_xml_tree(mt_import_ctx *ctx, const char *path, int depth);

#endif /* MT_IMPORT_H */
