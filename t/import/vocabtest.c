/*
** vocabtest.c — shared support of the identity and facts importer tests (vocabtest.h).
*/
#include "import/vocabtest.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "harness.h"
#include "util/text.h"

void vt_init(vt_env *e)
{
    memset(e, 0, sizeof(*e));
    mdl_init(&e->m);
    mt_buf_init(&e->err, 64 * 1024);
    mt_buf_init(&e->warn, 256 * 1024);
}

void vt_free(vt_env *e)
{
    mdl_free(&e->m);
    mt_buf_free(&e->err);
    mt_buf_free(&e->warn);
}

int vt_register(vt_env *e, const char *id, const char *dir)
{
    mdl_source d;
    mdl_src s = 0;
    memset(&d, 0, sizeof(d));
    d.id = id;
    d.name = id;
    d.dir = dir;
    return mdl_source_add(&e->m, &d, &s);
}

int vt_run(vt_env *e, vt_importer fn, const char *id, const char *dir)
{
    mdl_src s = 0;
    mt_import_ctx *c = &e->last;

    if (mdl_source_find(&e->m, id, &s) != MT_OK) {
        int rc = vt_register(e, id, dir);
        if (rc != MT_OK)
            return rc;          /* out of memory: allocation-failure tests */
        s = (mdl_src)(e->m.sources.count - 1);
    }
    memset(c, 0, sizeof(*c));
    c->m = &e->m;
    c->src = s;
    c->dir = e->m.sources.items[s].dir;
    c->err = &e->err;
    c->warn = &e->warn;
    return fn(c);
}

const mdl_source *vt_source(const vt_env *e, const char *id)
{
    mdl_src s;
    if (mdl_source_find(&e->m, id, &s) != MT_OK)
        return NULL;
    return &e->m.sources.items[s];
}

const char *vt_fixture(const char *folder)
{
    static char path[4][512];
    static int next;
    char *p = path[next++ % 4];
    snprintf(p, sizeof(path[0]), "t/fixtures/%s", folder);
    return p;
}

const char *vt_bundled(const char *folder)
{
    static char path[4][1024];
    static int next;
    char *p = path[next++ % 4];
    struct stat st;
    snprintf(p, sizeof(path[0]), "%s/%s", mt_test_sources(), folder);
    if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode)) {
        mt_test_skip("bundled source folder not found (set MATERIA_SOURCES)");
        return NULL;
    }
    return p;
}

int vt_identity_fixtures(vt_env *e)
{
    int rc = vt_run(e, mt_import_rxnorm_json, "rxnorm", vt_fixture("rxnorm-ingredients-2025-10"));
    if (rc == MT_OK)
        rc = vt_run(e, mt_import_rxterms, "rxterms", vt_fixture("rxterms-ingredients"));
    if (rc == MT_OK)
        rc = vt_run(e, mt_import_drugbank_vocab, "drugbank", vt_fixture("drugbank-open-vocabulary"));
    return rc;
}

mdl_ref vt_drug_rxcui(const vt_env *e, uint32_t rxcui)
{
    uint32_t i;
    for (i = 0; i < e->m.drugs.count; i++)
        if (e->m.drugs.items[i].rxcui == rxcui)
            return i;
    return MDL_NONE;
}

static int same_key(const char *a, const char *b)
{
    char ka[512], kb[512];
    mt_text_key(a, ka, sizeof(ka));
    mt_text_key(b, kb, sizeof(kb));
    return strcmp(ka, kb) == 0;
}

mdl_ref vt_drug_named(const vt_env *e, const char *name)
{
    uint32_t i;
    for (i = 0; i < e->m.drugs.count; i++)
        if (same_key(e->m.drugs.items[i].name, name))
            return i;
    for (i = 0; i < e->m.names.count; i++)
        if (same_key(e->m.names.items[i].text, name))
            return e->m.names.items[i].drug;
    return MDL_NONE;
}

const mdl_name *vt_name(const vt_env *e, mdl_ref drug, int kind, const char *text)
{
    uint32_t i;
    for (i = 0; i < e->m.names.count; i++) {
        const mdl_name *n = &e->m.names.items[i];
        if (n->drug == drug && (!kind || n->kind == kind) && same_key(n->text, text))
            return n;
    }
    return NULL;
}

const mdl_ident *vt_ident(const vt_env *e, mdl_ref drug, int type, const char *value)
{
    uint32_t i;
    for (i = 0; i < e->m.idents.count; i++) {
        const mdl_ident *id = &e->m.idents.items[i];
        if (id->drug == drug && id->type == type && strcmp(id->value, value) == 0)
            return id;
    }
    return NULL;
}

const mdl_class *vt_class(const vt_env *e, mdl_ref drug, const char *name)
{
    uint32_t i;
    for (i = 0; i < e->m.drug_classes.count; i++) {
        const mdl_drug_class *dc = &e->m.drug_classes.items[i];
        if (dc->drug == drug && strcmp(e->m.classes.items[dc->cls].name, name) == 0)
            return &e->m.classes.items[dc->cls];
    }
    return NULL;
}

const mdl_indication *vt_indication(const vt_env *e, mdl_ref drug, int category, const char *disease)
{
    uint32_t i;
    for (i = 0; i < e->m.indications.count; i++) {
        const mdl_indication *in = &e->m.indications.items[i];
        if (in->drug == drug && (!category || in->category == category) &&
            strcmp(in->disease, disease) == 0)
            return in;
    }
    return NULL;
}

unsigned vt_product_count(const vt_env *e, mdl_ref drug)
{
    uint32_t i;
    unsigned n = 0;
    for (i = 0; i < e->m.product_ings.count; i++)
        if (e->m.product_ings.items[i].drug == drug)
            n++;
    return n;
}

int vt_product_linked(const vt_env *e, uint32_t product_rxcui, mdl_ref drug)
{
    mdl_ref p;
    uint32_t i;
    if (mdl_product_find_rxcui(&e->m, product_rxcui, &p) != MT_OK)
        return 0;
    for (i = 0; i < e->m.product_ings.count; i++)
        if (e->m.product_ings.items[i].product == p && e->m.product_ings.items[i].drug == drug)
            return 1;
    return 0;
}
