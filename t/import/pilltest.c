/*
** pilltest.c — shared support of the pill and document importer tests (pilltest.h).
*/
#include "import/pilltest.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "util/alloc.h"

void pt_init(pt_env *e, const char *id, const char *dir)
{
    memset(e, 0, sizeof(*e));
    mdl_init(&e->m);
    mt_buf_init(&e->err, 64 * 1024);
    mt_buf_init(&e->warn, 64 * 1024);
    e->ctx.m = &e->m;
    e->ctx.err = &e->err;
    e->ctx.warn = &e->warn;
    /* Source 0 is the hand-made vocabulary, so that counts of the source
    ** under test are its own. */
    pt_source(e, "vocabulary", "t/fixtures");
    e->ctx.src = pt_source(e, id, dir);
    /* The model's copy: callers may pass a path in a static buffer. */
    e->ctx.dir = e->m.sources.items[e->ctx.src].dir;
}

void pt_free(pt_env *e)
{
    mdl_free(&e->m);
    mt_buf_free(&e->err);
    mt_buf_free(&e->warn);
}

mdl_src pt_source(pt_env *e, const char *id, const char *dir)
{
    mdl_source d;
    mdl_src s = 0;
    memset(&d, 0, sizeof(d));
    d.id = id;
    d.name = id;
    d.dir = dir;
    if (mdl_source_add(&e->m, &d, &s) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "cannot add source %s", id);
    return s;
}

int pt_load_codes(pt_env *e)
{
    mt_import_ctx c = e->ctx;
    c.src = pt_source(e, "spl-codes", pt_fixture("spl-pill-codes"));
    c.dir = e->m.sources.items[c.src].dir;
    return mt_import_spl_codes(&c);
}

mdl_ref pt_drug(pt_env *e, const char *name, uint32_t rxcui, const char *unii)
{
    mdl_keys k;
    mdl_ref d = MDL_NONE;
    memset(&k, 0, sizeof(k));
    k.rxcui = rxcui;
    k.unii = unii;
    if (mdl_drug_add(&e->m, name, MT_DRUG_INGREDIENT, &k, 0,
                     mdl_cite_make(&e->m, 0, "RXCUI %u", rxcui), &d) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "cannot add drug %s", name);
    return d;
}

mdl_ref pt_product(pt_env *e, uint32_t rxcui, const char *tty, const char *name,
                   const char *brand, mdl_ref ing1, mdl_ref ing2, const char *const *ndcs)
{
    mdl_product p;
    mdl_ref ref = MDL_NONE;
    memset(&p, 0, sizeof(p));
    p.rxcui = rxcui;
    p.tty = tty;
    p.name = name;
    p.brand = brand;
    p.cite = mdl_cite_make(&e->m, 0, "RXCUI %u", rxcui);
    if (mdl_product_add(&e->m, &p, &ref) != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "cannot add product %s", name);
        return MDL_NONE;
    }
    if (ing1 != MDL_NONE)
        mdl_product_ing_add(&e->m, ref, ing1);
    if (ing2 != MDL_NONE)
        mdl_product_ing_add(&e->m, ref, ing2);
    for (; ndcs && *ndcs; ndcs++)
        if (mdl_ndc_add(&e->m, ref, *ndcs, mdl_cite_make(&e->m, 0, "NDC %s", *ndcs)) != MT_OK)
            mt_test_fail(__FILE__, __LINE__, "cannot add NDC %s", *ndcs);
    return ref;
}

const char *pt_fixture(const char *folder)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof(path[0]), "t/fixtures/%s", folder);
    return p;
}

const char *pt_bundled(const char *folder)
{
    static char path[512];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", mt_test_sources(), folder);
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
        mt_test_skip("bundled source folder not found");
        return NULL;
    }
    return path;
}

const mdl_pill *pt_pill(const mdl *m, const char *ndc11, const char *imprint)
{
    uint32_t i;
    for (i = 0; i < m->pills.count; i++) {
        const mdl_pill *p = &m->pills.items[i];
        if (p->ndc11 && strcmp(p->ndc11, ndc11) == 0 &&
            (!imprint || (p->imprint && strcmp(p->imprint, imprint) == 0)))
            return p;
    }
    return NULL;
}

const char *pt_tmp_write(const char *name, const char *content, size_t len)
{
    static char dir[64];
    char path[600];
    FILE *f;
    snprintf(dir, sizeof(dir), "/tmp/mt_pilltest_XXXXXX");
    if (!mkdtemp(dir))
        return NULL;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (!f)
        return NULL;
    if (fwrite(content, 1, len, f) != len) {
        fclose(f);
        return NULL;
    }
    fclose(f);
    return dir;
}

void pt_tmp_remove(const char *dir, const char *name)
{
    char path[600];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
    rmdir(dir);
}

int pt_torture(const char *id, const char *dir_in, void (*setup)(pt_env *), int (*fn)(mt_import_ctx *))
{
    long n = 0;
    int runs = 0;
    char dir[512];
    /* pt_fixture's buffers are reused: keep a copy. */
    snprintf(dir, sizeof(dir), "%s", dir_in);
    for (;;) {
        pt_env e;
        int rc;
        pt_init(&e, id, dir);
        if (setup)
            setup(&e);
        mt_alloc_fail_after(n);
        rc = fn(&e.ctx);
        mt_alloc_fail_after(-1);
        runs++;
        if (rc != MT_OK && rc != MT_ENOMEM) {
            mt_test_fail(__FILE__, __LINE__, "%s: allocation %ld failing gave %d (%s)", id, n, rc,
                         mt_buf_str(&e.err));
            pt_free(&e);
            break;
        }
        pt_free(&e);
        if (rc == MT_OK || n > 2000000)
            break;
        /* Every one of the first allocations, then a sample of the later ones. */
        n += n < 300 ? 1 : n / 50;
    }
    return runs;
}
