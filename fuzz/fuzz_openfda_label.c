/*
** fuzz_openfda_label.c — libFuzzer target for lib/import/openfda_label.c: an
** arbitrary byte string read as an openFDA drug label download into a small
** model (two drugs, one product). The stream scanner, the per-label parse
** and the joins must accept it or reject it with MT_EFORMAT and a message,
** never read outside it, and never leak (ASan).
**
** The importer reads files: each input is written to one temporary file.
** Seeds: fuzz/corpus/fuzz_openfda_label/ (a short download, a truncated one).
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "import/import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char path[64];
    mdl m;
    mdl_source d;
    mdl_keys k;
    mdl_product p;
    mdl_ref drug, prod;
    mt_buf err, warn;
    mt_import_ctx ctx;
    FILE *f;
    int rc;

    if (!path[0])
        snprintf(path, sizeof(path), "/tmp/fuzz-openfda-label-%ld.json", (long)getpid());
    if (!(f = fopen(path, "wb")))
        return 0;
    if (size && fwrite(data, 1, size, f) != size) {
        fclose(f);
        return 0;
    }
    fclose(f);

    mdl_init(&m);
    mt_buf_init(&err, 64 * 1024);
    mt_buf_init(&warn, 64 * 1024);
    memset(&d, 0, sizeof(d));
    d.id = "openfda-label";
    d.name = "openFDA";
    d.dir = path;
    memset(&ctx, 0, sizeof(ctx));
    if (mdl_source_add(&m, &d, &ctx.src) == MT_OK) {
        memset(&k, 0, sizeof(k));
        k.rxcui = 10402;
        k.unii = "7J8897W37S";
        mdl_drug_add(&m, "dronabinol", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(&m, ctx.src, "x"), &drug);
        memset(&p, 0, sizeof(p));
        p.rxcui = 197635;
        p.tty = "SCD";
        p.name = "dronabinol 2.5 MG Oral Capsule";
        if (mdl_product_add(&m, &p, &prod) == MT_OK)
            mdl_product_ing_add(&m, prod, drug);
        ctx.m = &m;
        ctx.dir = m.sources.items[ctx.src].dir;
        ctx.err = &err;
        ctx.warn = &warn;
        rc = mt_import_openfda_label(&ctx);
        if (rc == MT_EFORMAT && err.len == 0)
            abort();                        /* a rejection always says where and why */
    }
    mt_buf_free(&err);
    mt_buf_free(&warn);
    mdl_free(&m);
    return 0;
}
