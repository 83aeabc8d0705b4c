/*
** test_official.c — the importers of the official releases (rxnorm_rrf.c,
** fda_ndc.c, openfda_label.c, the Drugs@FDA and DailyMed steps and the merge
** of official.c, and `--source` in the pipeline) on the excerpts in
** t/fixtures/official (README.md there says where each row comes from):
** the facts they merge into the bundled fixtures, each cited to its official
** source; malformed and truncated files rejected with "file:line: reason";
** a failed build leaving the previous knowledge base byte for byte; and the
** releases read from the zips they are published as, giving the model the
** folders give.
*/
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "cli/mkzip.h"
#include "harness.h"
#include "import/official.h"
#include "import/pilltest.h"
#include "import/pipeline.h"
#include "import/rxnorm_rrf.h"
#include "import/vocabtest.h"
#include "kb/kb_internal.h"
#include "kb/testmodel.h"
#include "source/srcwalk.h"
#include "source/ziptest.h"
#include "util/alloc.h"
#include "util/text.h"

#define RRF_DIR     "t/fixtures/official/rxnorm-rrf/rrf"
#define NDC_DIR     "t/fixtures/official/fda-ndc"
#define LABEL_FILE  "t/fixtures/official/openfda-label/drug-label-0001-of-0001.json"
#define LABEL_DIR   "t/fixtures/official/openfda-label"
#define DAILYMED    "t/fixtures/official/dailymed-spl"
#define CITALOPRAM  "7c440f9d-6843-4502-80df-4ecec9059e9c"
#define DRONABINOL  "fffb4e00-c921-4958-aeab-18deae4a2e38"

/* --- helpers ------------------------------------------------------------------- */

static const char *source_id(const vt_env *e, mdl_cite c)
{
    return c.source < e->m.sources.count ? e->m.sources.items[c.source].id : "?";
}

static const mdl_product *product(const vt_env *e, uint32_t rxcui, mdl_ref *ref)
{
    mdl_ref p;
    if (mdl_product_find_rxcui(&e->m, rxcui, &p) != MT_OK)
        return NULL;
    if (ref)
        *ref = p;
    return &e->m.products.items[p];
}

/* The NDC entry of that product (MDL_NONE: any) and NDC-11, or NULL. */
static const mdl_ndc *ndc(const vt_env *e, mdl_ref prod, const char *n11)
{
    uint32_t i;
    for (i = 0; i < e->m.ndcs.count; i++)
        if ((prod == MDL_NONE || e->m.ndcs.items[i].product == prod) && strcmp(e->m.ndcs.items[i].ndc11, n11) == 0)
            return &e->m.ndcs.items[i];
    return NULL;
}

static const mdl_schedule *schedule(const vt_env *e, mdl_ref drug, const char *source)
{
    uint32_t i;
    for (i = 0; i < e->m.schedules.count; i++)
        if (e->m.schedules.items[i].drug == drug && strcmp(source_id(e, e->m.schedules.items[i].cite), source) == 0)
            return &e->m.schedules.items[i];
    return NULL;
}

/* A name of the drug of that kind and text, from that source, or NULL. */
static const mdl_name *name_from(const vt_env *e, mdl_ref drug, int kind, const char *text, const char *source)
{
    uint32_t i;
    char a[256], b[256];
    mt_text_key(text, a, sizeof(a));
    for (i = 0; i < e->m.names.count; i++) {
        const mdl_name *n = &e->m.names.items[i];
        if (n->drug != drug || n->kind != kind || strcmp(source_id(e, n->cite), source) != 0)
            continue;
        mt_text_key(n->text, b, sizeof(b));
        if (strcmp(a, b) == 0)
            return n;
    }
    return NULL;
}

static int product_has(const vt_env *e, mdl_ref prod, mdl_ref drug)
{
    uint32_t i;
    for (i = 0; i < e->m.product_ings.count; i++)
        if (e->m.product_ings.items[i].product == prod && e->m.product_ings.items[i].drug == drug)
            return 1;
    return 0;
}

static mdl_ref doc_by_setid(const mdl *m, const char *setid, mdl_src src)
{
    uint32_t i;
    for (i = 0; i < m->docs.count; i++)
        if (m->docs.items[i].doc_id && strcmp(m->docs.items[i].doc_id, setid) == 0 &&
            (src == UINT16_MAX || m->docs.items[i].cite.source == src))
            return i;
    return MDL_NONE;
}

static const mdl_doc_section *section(const mdl *m, mdl_ref doc, const char *code)
{
    uint32_t i;
    for (i = 0; i < m->doc_sections.count; i++)
        if (m->doc_sections.items[i].doc == doc && strcmp(m->doc_sections.items[i].code, code) == 0)
            return &m->doc_sections.items[i];
    return NULL;
}

static int doc_linked(const mdl *m, mdl_ref doc, mdl_ref drug)
{
    uint32_t i;
    for (i = 0; i < m->doc_drugs.count; i++)
        if (m->doc_drugs.items[i].doc == doc && m->doc_drugs.items[i].drug == drug)
            return 1;
    return 0;
}

/* A temporary folder for malformed copies; tmp_free removes its files. */
typedef struct tmpdir {
    char path[256];
    char files[8][64];
    int  n;
} tmpdir;

static int tmp_new(tmpdir *t, const char *tag)
{
    memset(t, 0, sizeof(*t));
    mt_test_tmp_path(t->path, tag);
    return mkdir(t->path, 0755) == 0;
}

static void tmp_free(tmpdir *t)
{
    char p[400];
    int i;
    for (i = 0; i < t->n; i++) {
        snprintf(p, sizeof(p), "%s/%s", t->path, t->files[i]);
        unlink(p);
    }
    rmdir(t->path);
}

/* Copies src into the folder as name: its first `keep` bytes (all when
** keep < 0), with `patch` written at offset `at` when given. */
static int tmp_copy(tmpdir *t, const char *src, const char *name, long keep, long at, const char *patch)
{
    unsigned char *data = NULL;
    size_t size = 0;
    char p[400];
    FILE *f;
    int ok;
    if (mt_test_read_file(src, &data, &size) != MT_OK)
        return 0;
    if (patch && at >= 0 && (size_t)at + strlen(patch) <= size)
        memcpy(data + at, patch, strlen(patch));
    if (keep >= 0 && (size_t)keep < size)
        size = (size_t)keep;
    snprintf(p, sizeof(p), "%s/%s", t->path, name);
    f = fopen(p, "wb");
    ok = f && fwrite(data, 1, size, f) == size;
    if (f)
        fclose(f);
    mt_free(data);
    if (ok && t->n < 8)
        snprintf(t->files[t->n++], sizeof(t->files[0]), "%s", name);
    return ok;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

/* The offset of the n-th line start (1-based) of a file, or -1. */
static long line_offset(const char *path, int n)
{
    unsigned char *data = NULL;
    size_t size = 0, i;
    long off = -1;
    int line = 1;
    if (mt_test_read_file(path, &data, &size) != MT_OK)
        return -1;
    if (n == 1)
        off = 0;
    for (i = 0; i < size && off < 0; i++)
        if (data[i] == '\n' && ++line == n)
            off = (long)i + 1;
    mt_free(data);
    return off;
}

/* --- RxNorm RRF ------------------------------------------------------------------- */

TEST(official_rxnorm_rrf_builds_the_vocabulary_alone)
{
    vt_env e;
    mdl_ref ket, ser, met, metpin, sita, min, dro, p;
    const mdl_product *pr;
    const mdl_name *n;
    const mdl_schedule *s;
    const mdl_source *src;

    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxnorm_rrf, "rxnorm-rrf", RRF_DIR) == MT_OK);
    src = vt_source(&e, "rxnorm-rrf");
    REQUIRE(src != NULL);
    CHECK_EQ_INT(src->rows, 7);                    /* 5 IN, 1 PIN, 1 MIN */
    CHECK_EQ_INT(src->unmatched, 7);

    ket = vt_drug_rxcui(&e, 6130);
    REQUIRE(ket != MDL_NONE);
    CHECK_STR(e.m.drugs.items[ket].name, "ketamine");
    CHECK_STR(e.m.drugs.items[ket].unii, "690G0D6V8H");         /* from the MTHSPL SU atom */
    CHECK_STR(e.m.drugs.items[ket].cite.record, "RXCUI 6130 (RXNCONSO.RRF)");
    CHECK_EQ_INT(e.m.drugs.items[ket].kind, MT_DRUG_INGREDIENT);

    /* The salt's parent, from RXNREL form_of. */
    met = vt_drug_rxcui(&e, 6809);
    metpin = vt_drug_rxcui(&e, 235743);
    REQUIRE(met != MDL_NONE && metpin != MDL_NONE);
    CHECK_EQ_INT(e.m.drugs.items[metpin].kind, MT_DRUG_PRECISE);
    CHECK_EQ_INT(e.m.drugs.items[metpin].parent, met);

    /* Products, their ingredients (through the SCDCs) and NDCs. */
    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    pr = product(&e, 208161, &p);
    REQUIRE(pr != NULL);
    CHECK_STR(pr->tty, "SBD");
    CHECK_STR(pr->name, "sertraline 50 MG Oral Tablet [Zoloft]");
    CHECK_STR(pr->brand, "Zoloft");
    CHECK(vt_product_linked(&e, 208161, ser));
    CHECK(vt_product_linked(&e, 312941, ser));
    REQUIRE(ndc(&e, p, "00049490030") != NULL);
    CHECK_STR(ndc(&e, p, "00049490030")->cite.record, "NDC 00049490030 on RXCUI 208161 (RXNSAT.RRF)");
    CHECK(product(&e, 410584, NULL) == NULL);     /* SUPPRESS=O: not read */

    /* The combination: both ingredients and the MIN; the brand on the MIN first. */
    sita = vt_drug_rxcui(&e, 593411);
    min = vt_drug_rxcui(&e, 729717);
    REQUIRE(sita != MDL_NONE && min != MDL_NONE);
    CHECK(vt_product_linked(&e, 861819, metpin));
    CHECK(vt_product_linked(&e, 861819, sita));
    CHECK(vt_product_linked(&e, 861819, min));
    CHECK(!vt_product_linked(&e, 861007, min));
    n = vt_name(&e, min, MT_NAME_BRAND, "Zituvimet");
    REQUIRE(n != NULL);
    CHECK_STR(n->code, "2677156");
    CHECK_STR(n->cite.record, "BN RXCUI 2677156 on SBD RXCUI 2677164 (RXNREL.RRF)");
    CHECK(vt_name(&e, met, MT_NAME_BRAND, "Glucophage") != NULL);  /* a salt's brand on its ingredient */
    CHECK(vt_name(&e, ser, MT_NAME_BRAND, "Zoloft") != NULL);

    /* DEA schedules (DCSA) of single-ingredient products; "0" is none. */
    s = schedule(&e, ket, "rxnorm-rrf");
    REQUIRE(s != NULL);
    CHECK_STR(s->schedule, "CIII");
    CHECK_STR(s->cite.record, "DCSA CIII on SBD RXCUI 206967 (RXNSAT.RRF)");
    dro = vt_drug_rxcui(&e, 10402);
    REQUIRE(dro != MDL_NONE);
    CHECK(schedule(&e, dro, "rxnorm-rrf") != NULL);
    CHECK(schedule(&e, ser, "rxnorm-rrf") == NULL);
    vt_free(&e);
}

TEST(official_rxnorm_rrf_merges_with_the_bundled_extract)
{
    vt_env e;
    uint32_t drugs, products, i, kets = 0;
    mdl_ref dro, p;
    const mdl_source *src;

    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_rxnorm_json, "rxnorm", vt_fixture("rxnorm-ingredients-2025-10")) == MT_OK);
    drugs = e.m.drugs.count;
    products = e.m.products.count;
    REQUIRE(vt_run(&e, mt_import_rxnorm_rrf, "rxnorm-rrf", RRF_DIR) == MT_OK);
    src = vt_source(&e, "rxnorm-rrf");
    REQUIRE(src != NULL);
    /* ketamine, sertraline, metformin, its salt and the MIN joined by RxCUI;
    ** dronabinol and sitagliptin (not in the bundled fixture) created. */
    CHECK_EQ_INT(src->matched, 5);
    CHECK_EQ_INT(src->unmatched, 2);
    CHECK_EQ_INT(e.m.drugs.count, drugs + 2);
    for (i = 0; i < e.m.drugs.count; i++)
        kets += e.m.drugs.items[i].rxcui == 6130;
    CHECK_EQ_INT(kets, 1);
    /* The bundled products keep their record; the two dronabinol ones are new. */
    CHECK_EQ_INT(e.m.products.count, products + 2);
    REQUIRE(product(&e, 238082, &p) != NULL);
    CHECK_STR(source_id(&e, e.m.products.items[p].cite), "rxnorm");
    CHECK(ndc(&e, p, "55150043801") != NULL);
    dro = vt_drug_rxcui(&e, 10402);
    REQUIRE(dro != MDL_NONE);
    CHECK_STR(source_id(&e, e.m.drugs.items[dro].cite), "rxnorm-rrf");
    CHECK(vt_product_linked(&e, 205641, dro));
    CHECK(vt_name(&e, dro, MT_NAME_BRAND, "Marinol") != NULL);
    vt_free(&e);
}

static void expect_rrf_error(const char *file, long keep, long at, const char *patch, const char *want1,
                             const char *want2)
{
    static const char *const files[] = { "RXNCONSO.RRF", "RXNREL.RRF", "RXNSAT.RRF" };
    tmpdir t;
    vt_env e;
    char src[400];
    int i, rc;

    REQUIRE(tmp_new(&t, "rrf"));
    for (i = 0; i < 3; i++) {
        snprintf(src, sizeof(src), "%s/%s", RRF_DIR, files[i]);
        REQUIRE(tmp_copy(&t, src, files[i], strcmp(files[i], file) ? -1 : keep,
                         strcmp(files[i], file) ? -1 : at, strcmp(files[i], file) ? NULL : patch));
    }
    vt_init(&e);
    rc = vt_run(&e, mt_import_rxnorm_rrf, "rxnorm-rrf", t.path);
    CHECK_EQ_INT(rc, MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), want1);
    CHECK_CONTAINS(mt_buf_str(&e.err), want2);
    vt_free(&e);
    tmp_free(&t);
}

TEST(official_rxnorm_rrf_rejects_truncated_and_malformed_files)
{
    char want[64];
    long third = line_offset(RRF_DIR "/RXNSAT.RRF", 3), size = file_size(RRF_DIR "/RXNSAT.RRF");
    REQUIRE(third > 0 && size > 0);
    /* cut in the middle of the last row */
    expect_rrf_error("RXNSAT.RRF", size - 9, -1, NULL, "RXNSAT.RRF:26: ", "expected 13 fields each ended by '|'");
    /* cut in the middle of the third row */
    expect_rrf_error("RXNSAT.RRF", third + 20, -1, NULL, "RXNSAT.RRF:3: ", "a truncated or damaged file?");
    /* a field separator lost */
    snprintf(want, sizeof(want), "RXNCONSO.RRF:%d: ", 1);
    expect_rrf_error("RXNCONSO.RRF", -1, 4, "X", want, "found 17");
    /* an RxCUI that is not a number */
    expect_rrf_error("RXNREL.RRF", -1, 0, "3x", "RXNREL.RRF:1: ", "RXCUI1 \"3x0467\" or RXCUI2");
}

TEST(official_rxnorm_rrf_allocation_failures_unwind)
{
    CHECK(pt_torture("rxnorm-rrf", RRF_DIR, NULL, mt_import_rxnorm_rrf) > 10);
}

/* --- FDA NDC directory ------------------------------------------------------------ */

static int ndc_env(vt_env *e, int with_rxnorm)
{
    int rc = with_rxnorm ? vt_identity_fixtures(e) :
             vt_run(e, mt_import_drugbank_vocab, "drugbank", vt_fixture("drugbank-open-vocabulary"));
    if (rc == MT_OK)
        rc = vt_run(e, mt_import_drugcentral, "drugcentral", vt_fixture("drugcentral-2016"));
    if (rc == MT_OK)
        rc = vt_run(e, mt_import_fda_ndc, "fda-ndc", NDC_DIR);
    return rc;
}

static const mdl_drug_class *drug_class(const vt_env *e, mdl_ref drug, const char *name, const char *source)
{
    uint32_t i;
    for (i = 0; i < e->m.drug_classes.count; i++) {
        const mdl_drug_class *dc = &e->m.drug_classes.items[i];
        if (dc->drug == drug && strcmp(e->m.classes.items[dc->cls].name, name) == 0 &&
            strcmp(source_id(e, dc->cite), source) == 0)
            return dc;
    }
    return NULL;
}

TEST(official_fda_ndc_joins_listings_to_rxnorm_products)
{
    vt_env e;
    mdl_ref ser, ket, ator, alp, met, p, p2;
    const mdl_ndc *nd;
    const mdl_drug_class *dc;
    const mdl_schedule *s;
    const mdl_source *src;
    uint32_t i;

    vt_init(&e);
    REQUIRE(ndc_env(&e, 1) == MT_OK);
    src = vt_source(&e, "fda-ndc");
    REQUIRE(src != NULL);
    CHECK_EQ_INT(src->rows, 15);                     /* 16 listings, one flagged excluded */
    CHECK_STR(src->edition, "FDA NDC directory, newest listing marketed from 2024-01-01");

    /* Zoloft's listing joined the RxNorm SBD by its NDC: its other package joins it too. */
    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE && product(&e, 208161, &p) != NULL);
    nd = ndc(&e, p, "00049490073");
    REQUIRE(nd != NULL);
    CHECK_STR(source_id(&e, nd->cite), "fda-ndc");
    CHECK_STR(nd->cite.record, "package.txt NDCPACKAGECODE 0049-4900-73 (Roerig)");
    /* Its classes are DrugCentral's classes (with their N-code), cited to the listing. */
    dc = drug_class(&e, ser, "Serotonin Reuptake Inhibitor [EPC]", "fda-ndc");
    REQUIRE(dc != NULL);
    CHECK_STR(e.m.classes.items[dc->cls].code, "N0000175696");
    CHECK_STR(dc->cite.record, "product.txt PRODUCTNDC 0049-4900 (Roerig)");
    CHECK(drug_class(&e, ser, "Serotonin Uptake Inhibitors [MoA]", "fda-ndc") != NULL);
    /* The excluded row (flag E) gave nothing. */
    for (i = 0; i < e.m.ndcs.count; i++)
        CHECK(!(strcmp(e.m.ndcs.items[i].ndc11, "00049491030") == 0 &&
                strcmp(source_id(&e, e.m.ndcs.items[i].cite), "fda-ndc") == 0));
    CHECK(schedule(&e, ser, "fda-ndc") == NULL);

    /* Ketamine: three listings declare CIII (two bulk, Ketalar). */
    ket = vt_drug_rxcui(&e, 6130);
    REQUIRE(ket != MDL_NONE);
    s = schedule(&e, ket, "fda-ndc");
    REQUIRE(s != NULL);
    CHECK_STR(s->schedule, "CIII");
    CHECK_CONTAINS(s->cite.record, "DEASCHEDULE CIII in 3 of 3 single-substance listings");
    CHECK(drug_class(&e, ket, "General Anesthetic [EPC]", "fda-ndc") != NULL);

    /* Atorvastatin: CII in one of three listings, a labeler's error. */
    ator = vt_drug_named(&e, "atorvastatin");
    REQUIRE(ator != MDL_NONE);
    CHECK(schedule(&e, ator, "fda-ndc") == NULL);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "CII of atorvastatin declared by 1 of 3 listings (PRODUCTNDC 55111-917");

    /* Alprazolam (no RxNorm product in the fixture): a product of its own. */
    alp = vt_drug_named(&e, "alprazolam");
    REQUIRE(alp != MDL_NONE);
    nd = ndc(&e, MDL_NONE, "67253090011");
    REQUIRE(nd != NULL);
    CHECK_STR(e.m.products.items[nd->product].tty, "NDC");
    CHECK_STR(e.m.products.items[nd->product].name, "Alprazolam .25 mg/1 TABLET");
    CHECK_STR(e.m.products.items[nd->product].cite.record, "product.txt PRODUCTNDC 67253-900 (DAVA Pharmaceuticals, Inc.)");
    CHECK(product_has(&e, nd->product, alp));
    CHECK(drug_class(&e, alp, "Benzodiazepines [Chemical/Ingredient]", "fda-ndc") != NULL);
    s = schedule(&e, alp, "fda-ndc");                      /* its only listing: kept */
    REQUIRE(s != NULL);
    CHECK_STR(s->schedule, "CIV");
    CHECK_CONTAINS(s->cite.record, "in 1 of 1 single-substance listings");

    /* The combination joined the Zituvimet SBD by NDC; no brand, class or schedule on an ingredient. */
    met = vt_drug_rxcui(&e, 6809);
    REQUIRE(met != MDL_NONE && product(&e, 2677164, &p2) != NULL);
    CHECK(ndc(&e, p2, "70710178606") != NULL);
    CHECK(name_from(&e, met, MT_NAME_BRAND, "Zituvimet", "fda-ndc") == NULL);
    CHECK(drug_class(&e, met, "Biguanide [EPC]", "fda-ndc") == NULL);
    vt_free(&e);
}

TEST(official_fda_ndc_alone_gives_brands_and_own_products)
{
    vt_env e;
    mdl_ref ser, dro, ket;
    const mdl_name *n;
    const mdl_ndc *nd;
    const mdl_schedule *s;

    vt_init(&e);
    REQUIRE(ndc_env(&e, 0) == MT_OK);
    ser = vt_drug_named(&e, "sertraline");
    ket = vt_drug_named(&e, "ketamine");
    dro = vt_drug_named(&e, "dronabinol");
    REQUIRE(ser != MDL_NONE && ket != MDL_NONE && dro != MDL_NONE);
    /* An NDA listing's proprietary name is a brand; an authorized generic's is not. */
    n = name_from(&e, ser, MT_NAME_BRAND, "Zoloft", "fda-ndc");
    REQUIRE(n != NULL);
    CHECK_STR(n->cite.record, "product.txt PRODUCTNDC 0049-4900 (Roerig)");
    CHECK(name_from(&e, ser, MT_NAME_BRAND, "Sertraline Hydrochloride", "fda-ndc") == NULL);
    CHECK(name_from(&e, ket, MT_NAME_BRAND, "Ketalar", "fda-ndc") != NULL);
    /* Own products, named as the listing names them, with NDCs in 5-4-1 form normalised. */
    nd = ndc(&e, MDL_NONE, "00049490030");
    REQUIRE(nd != NULL);
    CHECK_STR(e.m.products.items[nd->product].name, "Zoloft (sertraline hydrochloride) 50 mg/1 TABLET, FILM COATED");
    CHECK_STR(e.m.products.items[nd->product].brand, "Zoloft");
    nd = ndc(&e, MDL_NONE, "10888711501");
    REQUIRE(nd != NULL);
    CHECK_STR(nd->cite.record, "package.txt NDCPACKAGECODE 10888-7115-1 (Banner Pharmacaps Inc.)");
    CHECK(product_has(&e, nd->product, dro));
    /* Dronabinol: two bulk listings and Mylan's capsules declare CIII. */
    s = schedule(&e, dro, "fda-ndc");
    REQUIRE(s != NULL);
    CHECK_CONTAINS(s->cite.record, "DEASCHEDULE CIII in 3 of 3 single-substance listings (first: PRODUCTNDC 10888-7115");
    vt_free(&e);
}

static void expect_ndc_error(const char *file, long keep, long at, const char *patch, const char *want1,
                             const char *want2)
{
    static const char *const files[] = { "product.txt", "package.txt" };
    tmpdir t;
    vt_env e;
    char src[400];
    int i, rc;

    REQUIRE(tmp_new(&t, "ndc"));
    for (i = 0; i < 2; i++) {
        int it = strcmp(files[i], file) == 0;
        snprintf(src, sizeof(src), "%s/%s", NDC_DIR, files[i]);
        REQUIRE(tmp_copy(&t, src, files[i], it ? keep : -1, it ? at : -1, it ? patch : NULL));
    }
    vt_init(&e);
    REQUIRE(vt_run(&e, mt_import_drugbank_vocab, "drugbank", vt_fixture("drugbank-open-vocabulary")) == MT_OK);
    rc = vt_run(&e, mt_import_fda_ndc, "fda-ndc", t.path);
    CHECK_EQ_INT(rc, MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), want1);
    CHECK_CONTAINS(mt_buf_str(&e.err), want2);
    vt_free(&e);
    tmp_free(&t);
}

TEST(official_fda_ndc_rejects_truncated_and_malformed_files)
{
    long size = file_size(NDC_DIR "/product.txt"), l5 = line_offset(NDC_DIR "/product.txt", 5);
    long k3 = line_offset(NDC_DIR "/package.txt", 3);
    REQUIRE(size > 0 && l5 > 0 && k3 > 0);
    expect_ndc_error("product.txt", size - 30, -1, NULL, "product.txt:17: ", "expected 20 tab-separated fields, got");
    expect_ndc_error("product.txt", l5 + 60, -1, NULL, "product.txt:5: ", "a truncated or damaged file?");
    /* a header without DEASCHEDULE */
    expect_ndc_error("product.txt", -1, 0, "PRODUCTIX", "product.txt:1: ", "no PRODUCTID column in the header");
    /* a package code that is not an NDC */
    expect_ndc_error("package.txt", -1, k3 + 62, "X", "package.txt:3: ", "is not a 10-digit NDC");
}

TEST(official_fda_ndc_gives_pills_their_labeler)
{
    pt_env e;
    mdl_src s;
    mt_import_ctx c;
    const mdl_pill *p;

    pt_init(&e, "c3pi", pt_fixture("c3pi-pill-imprints"));
    REQUIRE(pt_load_codes(&e) == MT_OK);
    REQUIRE(mt_import_c3pi(&e.ctx) == MT_OK);
    p = pt_pill(&e.m, "67253090011", NULL);
    REQUIRE(p != NULL);
    CHECK(p->labeler == NULL);
    s = pt_source(&e, "fda-ndc", NDC_DIR);
    c = e.ctx;
    c.src = s;
    c.dir = e.m.sources.items[s].dir;
    REQUIRE(mt_import_fda_ndc_pills(&c) == MT_OK);
    p = pt_pill(&e.m, "67253090011", NULL);
    REQUIRE(p != NULL);
    CHECK_STR(p->labeler, "DAVA Pharmaceuticals, Inc.");
    CHECK(p->flags & MDL_PILLF_LABELER_FILLED);
    CHECK_EQ_INT(p->fill_cite.source, s);
    CHECK_CONTAINS(p->fill_cite.record, "package.txt NDCPACKAGECODE 67253-900-11");
    pt_free(&e);
}

TEST(official_fda_ndc_allocation_failures_unwind)
{
    CHECK(pt_torture("fda-ndc", NDC_DIR, NULL, mt_import_fda_ndc) > 10);
    CHECK(pt_torture("fda-ndc", NDC_DIR, NULL, mt_import_fda_ndc_pills) > 10);
}

/* --- openFDA drug labels ------------------------------------------------------------ */

TEST(official_openfda_label_streams_labels_joined_by_unii_rxcui_and_name)
{
    vt_env e;
    mdl_ref cit, dro, doc;
    const mdl_doc_section *sec;
    const mdl_source *src;
    mdl_src s;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_rxnorm_rrf, "rxnorm-rrf", RRF_DIR) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_openfda_label, "openfda-label", LABEL_DIR) == MT_OK);
    REQUIRE(mdl_source_find(&e.m, "openfda-label", &s) == MT_OK);
    src = vt_source(&e, "openfda-label");
    CHECK_EQ_INT(src->rows, 3);
    CHECK_STR(src->edition, "openFDA drug label download, last updated 2025-10-07");

    /* Citalopram: joined by its substance name (the UNII is the salt's). */
    cit = vt_drug_named(&e, "citalopram");
    REQUIRE(cit != MDL_NONE);
    doc = doc_by_setid(&e.m, CITALOPRAM, s);
    REQUIRE(doc != MDL_NONE);
    CHECK(doc_linked(&e.m, doc, cit));
    CHECK_STR(e.m.docs.items[doc].title, "Citalopram (CITALOPRAM HYDROBROMIDE)");
    CHECK_STR(e.m.docs.items[doc].date, "2014-01-02");
    CHECK_STR(e.m.docs.items[doc].jurisdiction, "US");
    CHECK_STR(e.m.docs.items[doc].cite.record, "setid " CITALOPRAM " version 5 (drug-label-0001-of-0001.json)");
    sec = section(&e.m, doc, "34067-9");
    REQUIRE(sec != NULL);
    CHECK_STR(sec->title, "Indications & Usage");
    CHECK(strncmp(sec->text, "INDICATIONS AND USAGE\nCitalopram tablets, USP are indicated for the treatment of "
                  "depression.", 91) == 0);
    sec = section(&e.m, doc, "42227-9");
    REQUIRE(sec != NULL);
    CHECK_CONTAINS(sec->text, "Citalopram HBr is not a controlled substance.");
    CHECK(section(&e.m, doc, "34066-1") != NULL);       /* boxed warning */
    CHECK(section(&e.m, doc, "51945-4") == NULL);       /* the package label is not shown */

    /* Dronabinol: through the RxNorm products of its openfda.rxcui. */
    dro = vt_drug_rxcui(&e, 10402);
    doc = doc_by_setid(&e.m, DRONABINOL, s);
    REQUIRE(dro != MDL_NONE && doc != MDL_NONE);
    CHECK(doc_linked(&e.m, doc, dro));
    /* Glimepiride is in no fixture vocabulary: its label is not kept. */
    CHECK(doc_by_setid(&e.m, "aebff46d-4c72-4b7f-845c-a5c9866b18d7", UINT16_MAX) == MDL_NONE);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "3 labels in 1 files: 2 kept");
    vt_free(&e);
}

static void expect_label_error(const char *name, long keep, long at, const char *patch, const char *want1,
                               const char *want2)
{
    tmpdir t;
    vt_env e;
    char path[400];
    int rc;

    REQUIRE(tmp_new(&t, "label"));
    REQUIRE(tmp_copy(&t, LABEL_FILE, name, keep, at, patch));
    snprintf(path, sizeof(path), "%s/%s", t.path, name);
    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    rc = vt_run(&e, mt_import_openfda_label, "openfda-label", path);
    CHECK_EQ_INT(rc, MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), want1);
    CHECK_CONTAINS(mt_buf_str(&e.err), want2);
    vt_free(&e);
    tmp_free(&t);
}

TEST(official_openfda_label_rejects_truncated_and_malformed_json)
{
    long size = file_size(LABEL_FILE), l16 = line_offset(LABEL_FILE, 16);
    REQUIRE(size > 1000 && l16 > 0);
    /* cut inside the results array (a download that stopped) */
    expect_label_error("a.json", size / 4, -1, NULL, "a.json:", "the file ends inside a value that began at line 14");
    /* cut after the last label */
    expect_label_error("b.json", size - 4, -1, NULL, "b.json:", "the file ends inside the results array");
    /* a damaged label: jansson's line, in the file */
    expect_label_error("c.json", -1, l16 + 6, "?", "c.json:16: invalid JSON", "(byte ");
    /* not a download */
    expect_label_error("d.json", -1, 0, "[", "d.json:1: ", "does not begin with '{'");
}

TEST(official_openfda_label_reads_gzip_and_stops_at_a_truncated_stream)
{
    unsigned char *data = NULL;
    size_t size = 0;
    tmpdir t;
    char path[400];
    gzFile gz;
    vt_env e;
    long full;

    REQUIRE(mt_test_read_file(LABEL_FILE, &data, &size) == MT_OK);
    REQUIRE(tmp_new(&t, "labelgz"));
    snprintf(path, sizeof(path), "%s/labels.json.gz", t.path);
    gz = gzopen(path, "wb");
    REQUIRE(gz != NULL);
    CHECK(gzwrite(gz, data, (unsigned)size) == (int)size);
    gzclose(gz);
    snprintf(t.files[t.n++], sizeof(t.files[0]), "labels.json.gz");
    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    CHECK_EQ_INT(vt_run(&e, mt_import_openfda_label, "openfda-label", t.path), MT_OK);
    CHECK(doc_by_setid(&e.m, CITALOPRAM, UINT16_MAX) != MDL_NONE);
    vt_free(&e);
    /* the compressed file cut in half */
    full = file_size(path);
    CHECK(tmp_copy(&t, path, "cut.json.gz", full / 2, -1, NULL));
    unlink(path);
    snprintf(path, sizeof(path), "%s/cut.json.gz", t.path);
    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    CHECK_EQ_INT(vt_run(&e, mt_import_openfda_label, "openfda-label", path), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "cut.json.gz:");
    vt_free(&e);
    mt_free(data);
    tmp_free(&t);
}

TEST(official_openfda_label_allocation_failures_unwind)
{
    CHECK(pt_torture("openfda-label", LABEL_DIR, NULL, mt_import_openfda_label) > 10);
}

/* --- the official steps and the merge ------------------------------------------------ */

/* An mt_official with the given kinds from the fixtures, over e's model. */
static int official_env(vt_env *e, mt_official **o, const char *const *kinds, const char *const *paths, int n)
{
    int i, rc = mt_official_new(o);
    for (i = 0; i < n && rc == MT_OK; i++)
        rc = mt_official_add(*o, &e->m, kinds[i], paths[i], &e->err);
    return rc;
}

static int run_kind(vt_env *e, mt_official *o, const char *kind)
{
    size_t i;
    int rc = MT_ENOTFOUND;
    for (i = 0; i < mt_official_nsteps(); i++) {
        mt_import_ctx c;
        if (strcmp(mt_official_step_at(i)->kind, kind) != 0)
            continue;
        memset(&c, 0, sizeof(c));
        c.m = &e->m;
        c.err = &e->err;
        c.warn = &e->warn;
        if ((rc = mt_official_run(o, i, &c)) != MT_OK)
            return rc;
    }
    return rc;
}

TEST(official_sources_are_checked_and_registered)
{
    static const char *const kinds[] = { "rxnorm-rrf", "dailymed-spl" };
    static const char *const paths[] = { "t/fixtures/official/rxnorm-rrf", DAILYMED };
    vt_env e;
    mt_official *o = NULL;
    const mdl_source *s;

    vt_init(&e);
    REQUIRE(official_env(&e, &o, kinds, paths, 2) == MT_OK);
    s = vt_source(&e, "rxnorm-rrf");
    REQUIRE(s != NULL);
    CHECK_STR(s->dir, RRF_DIR);                            /* the rrf folder inside the release */
    CHECK_STR(s->edition, "RxNorm Current Prescribable Content release 2025-10-06");
    CHECK_CONTAINS(s->attribution, "U.S. National Library of Medicine");
    /* given twice, unknown, missing, or without its files */
    CHECK_EQ_INT(mt_official_add(o, &e.m, "rxnorm-rrf", RRF_DIR, &e.err), MT_EINVAL);
    CHECK_CONTAINS(mt_buf_str(&e.err), "given twice");
    CHECK_EQ_INT(mt_official_add(o, &e.m, "rxnorm-full", RRF_DIR, &e.err), MT_EINVAL);
    CHECK_CONTAINS(mt_buf_str(&e.err), "unknown kind");
    CHECK_EQ_INT(mt_official_add(o, &e.m, "fda-ndc", "/nonexistent/ndc", &e.err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&e.err), "/nonexistent/ndc: No such file or directory");
    CHECK_EQ_INT(mt_official_add(o, &e.m, "fda-ndc", RRF_DIR, &e.err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&e.err), RRF_DIR "/product.txt: no such file");
    CHECK_EQ_INT(mt_official_add(o, &e.m, "openfda-label", NDC_DIR, &e.err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&e.err), "no .json file here");
    CHECK_EQ_INT(mt_official_count(o), 2);
    CHECK(mt_official_replaces(o, "openfda") == NULL);
    mt_official_free(o);
    vt_free(&e);
}

TEST(official_dailymed_labels_and_merge_with_openfda)
{
    static const char *const kinds[] = { "dailymed-spl", "openfda-label" };
    static const char *const paths[] = { DAILYMED, LABEL_DIR };
    vt_env e;
    mt_official *o = NULL;
    mdl_src dm, ofd;
    mdl_ref doc, cit;
    uint32_t i, pills = 0;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(official_env(&e, &o, kinds, paths, 2) == MT_OK);
    REQUIRE(run_kind(&e, o, "dailymed-spl") == MT_OK);
    REQUIRE(run_kind(&e, o, "openfda-label") == MT_OK);
    REQUIRE(mt_official_source(o, "dailymed-spl", &dm) == MT_OK);
    REQUIRE(mt_official_source(o, "openfda-label", &ofd) == MT_OK);
    /* Both labels of the nested folders, cited to DailyMed, and the edition they give. */
    CHECK_STR(e.m.sources.items[dm].edition, "DailyMed SPL labels, 2, effective up to 2014-01-02");
    doc = doc_by_setid(&e.m, CITALOPRAM, dm);
    REQUIRE(doc != MDL_NONE);
    CHECK_CONTAINS(e.m.docs.items[doc].cite.record, "version 5 (20140103_7c440f9d");
    cit = vt_drug_named(&e, "citalopram");
    CHECK(doc_linked(&e.m, doc, cit));
    CHECK(section(&e.m, doc, "34067-9") != NULL);
    for (i = 0; i < e.m.pills.count; i++)
        pills += e.m.pills.items[i].cite.source == dm;
    CHECK(pills > 0);
    /* The openFDA copy of the same version was not kept: the SPL XML has the products. */
    CHECK(doc_by_setid(&e.m, CITALOPRAM, ofd) == MDL_NONE);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "1 already given as SPL XML of the same or a later date");
    CHECK_EQ_INT(mt_official_finish(o, &e.m, &e.warn), MT_OK);
    CHECK(doc_by_setid(&e.m, CITALOPRAM, dm) != MDL_NONE);
    mt_official_free(o);
    vt_free(&e);
}

TEST(official_merge_keeps_the_newest_label_of_a_set_id)
{
    static const char *const kinds[] = { "dailymed-spl", "openfda-label" };
    long at;
    tmpdir t;
    const char *paths[2];
    vt_env e;
    mt_official *o = NULL;
    mdl_src dm, ofd;
    mdl_ref doc;
    uint32_t i, dm_pills = 0, facts;
    unsigned char *data = NULL;
    size_t size = 0;
    char *p;

    /* The citalopram label with a later effective time (a newer version). */
    REQUIRE(mt_test_read_file(LABEL_FILE, &data, &size) == MT_OK);
    p = strstr((char *)data, "\"effective_time\": \"20140102\"");
    REQUIRE(p != NULL);
    at = (long)(p - (char *)data) + 19;
    mt_free(data);
    REQUIRE(tmp_new(&t, "newer"));
    REQUIRE(tmp_copy(&t, LABEL_FILE, "labels.json", -1, at, "2025"));
    paths[0] = DAILYMED;
    paths[1] = t.path;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(official_env(&e, &o, kinds, paths, 2) == MT_OK);
    REQUIRE(run_kind(&e, o, "dailymed-spl") == MT_OK);
    REQUIRE(run_kind(&e, o, "openfda-label") == MT_OK);
    REQUIRE(mt_official_source(o, "dailymed-spl", &dm) == MT_OK);
    REQUIRE(mt_official_source(o, "openfda-label", &ofd) == MT_OK);
    CHECK(doc_by_setid(&e.m, CITALOPRAM, dm) != MDL_NONE);
    CHECK(doc_by_setid(&e.m, CITALOPRAM, ofd) != MDL_NONE);
    facts = e.m.sources.items[dm].facts;
    REQUIRE(mt_official_finish(o, &e.m, &e.warn) == MT_OK);
    /* The 2014 SPL went, with its pills; the newer label stays, with its sections and drug. */
    CHECK(doc_by_setid(&e.m, CITALOPRAM, dm) == MDL_NONE);
    doc = doc_by_setid(&e.m, CITALOPRAM, ofd);
    REQUIRE(doc != MDL_NONE);
    CHECK_STR(e.m.docs.items[doc].date, "2025-01-02");
    CHECK(section(&e.m, doc, "34067-9") != NULL);
    CHECK(doc_linked(&e.m, doc, vt_drug_named(&e, "citalopram")));
    for (i = 0; i < e.m.pills.count; i++)
        if (e.m.pills.items[i].cite.source == dm && strstr(e.m.pills.items[i].cite.record, CITALOPRAM))
            dm_pills++;
    CHECK_EQ_INT(dm_pills, 0);
    CHECK(e.m.sources.items[dm].facts < facts);
    for (i = 0; i < e.m.doc_sections.count; i++)
        CHECK(e.m.doc_sections.items[i].doc < e.m.docs.count);
    CHECK_CONTAINS(mt_buf_str(&e.warn), "1 older copies of 1 labels (same set id) replaced by the newest");
    mt_official_free(o);
    vt_free(&e);
    tmp_free(&t);
}

TEST(official_labels_without_a_drug_join_through_rxnorm_spl_set_ids)
{
    static const char *const kinds[] = { "rxnorm-rrf" };
    static const char *const paths[] = { "t/fixtures/official/rxnorm-rrf" };
    vt_env e;
    mt_official *o = NULL;
    mdl_doc d;
    mdl_ref doc, other, ser;

    vt_init(&e);
    REQUIRE(official_env(&e, &o, kinds, paths, 1) == MT_OK);
    REQUIRE(run_kind(&e, o, "rxnorm-rrf") == MT_OK);
    /* A label whose ingredients joined nothing, and one of an unknown set id. */
    memset(&d, 0, sizeof(d));
    d.kind = MT_DOC_US_LABEL;
    d.title = "sertraline hydrochloride tablets";
    d.jurisdiction = "US";
    d.doc_id = "4a0afc61-f83d-4871-86eb-929c9428a1e3";
    d.cite = mdl_cite_make(&e.m, 0, "test label");
    REQUIRE(mdl_doc_add(&e.m, &d, &doc) == MT_OK);
    d.doc_id = "00000000-0000-0000-0000-000000000000";
    REQUIRE(mdl_doc_add(&e.m, &d, &other) == MT_OK);
    REQUIRE(mt_official_finish(o, &e.m, &e.warn) == MT_OK);
    ser = vt_drug_rxcui(&e, 36437);
    CHECK(doc_linked(&e.m, doc, ser));
    CHECK(!doc_linked(&e.m, other, ser));
    CHECK_CONTAINS(mt_buf_str(&e.warn), "labels: 1 that joined no drug");
    mt_official_free(o);
    vt_free(&e);
}

/* --- the pipeline ------------------------------------------------------------------- */

typedef struct mini {
    char root[256];
    char dirs[32][128];
    int  n;
} mini;

/* A sources folder of the bundled fixtures: each importer's folder holds a
** SOURCE.meta and links to its t/fixtures files. */
static void mini_add(const char *id, const char *folder, void *user)
{
    mini *s = user;
    char dir[512], path[1200], target[1200], cwd[512];
    DIR *d;
    struct dirent *e;
    FILE *f;
    if (!*folder || s->n >= 32 || !getcwd(cwd, sizeof(cwd)))
        return;
    snprintf(dir, sizeof(dir), "%s/%s", s->root, folder);
    mkdir(dir, 0755);
    snprintf(s->dirs[s->n++], sizeof(s->dirs[0]), "%s", folder);
    snprintf(path, sizeof(path), "%s/SOURCE.meta", dir);
    if ((f = fopen(path, "w")) != NULL) {
        fprintf(f, "id: %s\nname: %s (test fixture)\nedition: fixture\n", id, id);
        fclose(f);
    }
    snprintf(path, sizeof(path), "t/fixtures/%s", folder);
    if (!(d = opendir(path)))
        return;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(target, sizeof(target), "%s/t/fixtures/%s/%s", cwd, folder, e->d_name);
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        if (symlink(target, path) != 0)
            mt_test_fail(__FILE__, __LINE__, "cannot link %s", path);
    }
    closedir(d);
}

static void mini_free(mini *s)
{
    int i;
    for (i = 0; i < s->n; i++) {
        char dir[512], path[1200];
        DIR *d;
        struct dirent *e;
        snprintf(dir, sizeof(dir), "%s/%s", s->root, s->dirs[i]);
        if ((d = opendir(dir)) != NULL) {
            while ((e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.')
                    continue;
                snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
                unlink(path);
            }
            closedir(d);
        }
        rmdir(dir);
    }
    rmdir(s->root);
}

static int build(const char *sources, const char *out, const mt_build_release *rel, size_t n, mt_build_report *r)
{
    mt_build_opts o;
    memset(&o, 0, sizeof(o));
    o.sources_dir = sources;
    o.out_path = out;
    o.progress = 0;
    o.releases = rel;
    o.nreleases = n;
    return mt_build_run(&o, r);
}

TEST(official_pipeline_merges_every_release_and_a_failure_keeps_the_old_kb)
{
    static const mt_build_release all[] = {
        { "rxnorm-rrf", "t/fixtures/official/rxnorm-rrf" },
        { "fda-ndc", NDC_DIR },
        { "drugsatfda", "t/fixtures/fda-openfda-files/drugsatfda-2019" },
        { "openfda-label", LABEL_FILE },
        { "dailymed-spl", DAILYMED },
    };
    mini s;
    tmpdir t;
    char kb[256];
    mt_build_report r;
    mt_build_release bad[2];
    mt_kb *k = NULL;
    unsigned char *before = NULL, *after = NULL;
    size_t nbefore = 0, nafter = 0;
    uint32_t i, n, found = 0;
    const kb_source *src;
    int rc;

    memset(&s, 0, sizeof(s));
    mt_test_tmp_path(s.root, "mini-sources");
    REQUIRE(mkdir(s.root, 0755) == 0);
    mt_build_each_importer(mini_add, &s);
    mt_test_tmp_path(kb, "official.kb");

    rc = build(s.root, kb, all, 5, &r);
    if (rc != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "build failed: %s", mt_buf_str(&r.error));
    CHECK_EQ_INT(rc, MT_OK);
    CHECK_CONTAINS(mt_buf_str(&r.warnings), "openfda: not imported: --source drugsatfda replaces it");
    for (i = 0; i < r.nsources; i++)
        if (!strcmp(r.sources[i].id, "rxnorm-rrf") || !strcmp(r.sources[i].id, "fda-ndc") ||
            !strcmp(r.sources[i].id, "drugsatfda") || !strcmp(r.sources[i].id, "openfda-label") ||
            !strcmp(r.sources[i].id, "dailymed-spl")) {
            found++;
            CHECK(r.sources[i].imported && r.sources[i].rows > 0);
        }
    CHECK_EQ_INT(found, 5);
    mt_build_report_free(&r);
    /* The knowledge base lists the official sources with their editions. */
    REQUIRE(mt_kb_open(&k, kb, 0) == MT_OK);
    src = mt_kb_sources(k, &n);
    found = 0;
    for (i = 0; i < n; i++)
        if (!strcmp(mt_kb_str(k, src[i].id), "rxnorm-rrf")) {
            CHECK_STR(mt_kb_str(k, src[i].edition), "RxNorm Current Prescribable Content release 2025-10-06");
            found = 1;
        }
    CHECK(found);
    mt_kb_close(k);

    /* A truncated release: an error naming file and line, the old file unchanged. */
    REQUIRE(mt_test_read_file(kb, &before, &nbefore) == MT_OK);
    REQUIRE(tmp_new(&t, "cut"));
    REQUIRE(tmp_copy(&t, LABEL_FILE, "drug-label-0001-of-0001.json", file_size(LABEL_FILE) / 3, -1, NULL));
    bad[0] = all[0];
    bad[1].kind = "openfda-label";
    bad[1].path = t.path;
    CHECK_EQ_INT(build(s.root, kb, bad, 2, &r), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.error), "drug-label-0001-of-0001.json:");
    CHECK_CONTAINS(mt_buf_str(&r.error), "a truncated or damaged file");
    mt_build_report_free(&r);
    REQUIRE(mt_test_read_file(kb, &after, &nafter) == MT_OK);
    CHECK(nbefore == nafter && memcmp(before, after, nbefore) == 0);
    /* An unknown kind or a missing folder: before any import. */
    bad[1].kind = "rxnorm-xml";
    CHECK_EQ_INT(build(s.root, kb, bad, 2, &r), MT_EINVAL);
    CHECK(r.total.rows == 0);
    mt_build_report_free(&r);
    bad[1].kind = "fda-ndc";
    bad[1].path = "/nonexistent/ndctext";
    CHECK_EQ_INT(build(s.root, kb, bad, 2, &r), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&r.error), "/nonexistent/ndctext");
    CHECK(r.total.rows == 0);
    mt_build_report_free(&r);
    mt_free(before);
    mt_free(after);
    REQUIRE(mt_test_read_file(kb, &after, &nafter) == MT_OK);
    CHECK(nbefore == nafter);
    mt_free(after);
    tmp_free(&t);
    unlink(kb);
    mini_free(&s);
}

/* --- the releases as published: zips ------------------------------------------------ */

typedef struct zips {
    char dir[512];
    char rrf[1024], ndc[1024], label[1024], dailymed[1024], half[1024];
} zips;

static int want_xml_gz(const char *name)
{
    size_t n = strlen(name);
    return n > 7 && strcmp(name + n - 7, ".xml.gz") == 0;
}

/* Each DailyMed fixture label as the release ships it: LABEL.zip holding
** LABEL.xml, in prescription/ of the outer zip's folder (user: zips). */
static int label_zip(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    zips *z = user;
    size_t i;
    int rc = MT_OK;
    for (i = 0; i < n && rc == MT_OK; i++) {
        char base[256], sub[1024], xml[1400], lz[1400];
        mt_buf text;
        snprintf(base, sizeof(base), "%.*s", (int)(strlen(names[i]) - 7), names[i]);
        snprintf(sub, sizeof(sub), "%s/dm/%s", z->dir, base);
        snprintf(xml, sizeof(xml), "%s.xml", base);
        mt_buf_init(&text, 64u << 20);
        rc = mt_src_read_all_at(d, xml, &text, NULL);          /* the .gz, decompressed */
        if (rc == MT_OK && !zt_put(sub, xml, text.data, text.len))
            rc = MT_EIO;
        snprintf(lz, sizeof(lz), "%s/dmz/prescription/%s.zip", z->dir, base);
        if (rc == MT_OK && (!zt_put(z->dir, "dmz/prescription", NULL, 0) || mt_test_zip_folder(lz, sub) != 0))
            rc = MT_EIO;
        mt_buf_free(&text);
    }
    return rc;
}

static int make_zips(zips *z)
{
    char tmp[1400];
    unsigned char *json = NULL;
    size_t len = 0;
    int ok;

    memset(z, 0, sizeof(*z));
    if (!zt_scratch(z->dir, sizeof(z->dir)))
        return 0;
    snprintf(z->rrf, sizeof(z->rrf), "%s/RxNorm_full_prescribe_10062025.zip", z->dir);
    snprintf(z->ndc, sizeof(z->ndc), "%s/ndctext.zip", z->dir);
    snprintf(z->label, sizeof(z->label), "%s/drug-label-0001-of-0001.json.zip", z->dir);
    snprintf(z->dailymed, sizeof(z->dailymed), "%s/dm_spl_release_human_rx_part1.zip", z->dir);
    snprintf(z->half, sizeof(z->half), "%s/half-rrf.zip", z->dir);
    ok = mt_test_zip_folder(z->rrf, "t/fixtures/official/rxnorm-rrf") == 0 &&
         mt_test_zip_folder(z->ndc, NDC_DIR) == 0 &&
         mt_test_read_file(LABEL_FILE, &json, &len) == MT_OK &&
         zt_put(z->dir, "label/drug-label-0001-of-0001.json", json, len);
    snprintf(tmp, sizeof(tmp), "%s/label", z->dir);
    ok = ok && mt_test_zip_folder(z->label, tmp) == 0;
    ok = ok && mt_src_walk(DAILYMED, 4, 0, want_xml_gz, label_zip, z, NULL) == MT_OK;
    snprintf(tmp, sizeof(tmp), "%s/dmz", z->dir);
    ok = ok && mt_test_zip_folder(z->dailymed, tmp) == 0;
    snprintf(tmp, sizeof(tmp), "%s/half", z->dir);
    ok = ok && zt_put(tmp, "rrf/RXNCONSO.RRF", "", 0) && mt_test_zip_folder(z->half, tmp) == 0;
    mt_free(json);
    return ok;
}

/* The identity fixtures, then every official step of the four releases at
** these paths (rxnorm-rrf, fda-ndc, openfda-label, dailymed-spl) and the merge. */
static int run_releases(vt_env *e, const char *const *paths)
{
    static const char *const kinds[] = { "rxnorm-rrf", "fda-ndc", "openfda-label", "dailymed-spl" };
    mt_official *o = NULL;
    size_t i;
    int rc = vt_identity_fixtures(e);

    if (rc == MT_OK)
        rc = official_env(e, &o, kinds, paths, 4);
    for (i = 0; rc == MT_OK && i < mt_official_nsteps(); i++) {
        mt_import_ctx c;
        mdl_src src;
        if (mt_official_source(o, mt_official_step_at(i)->kind, &src) != MT_OK)
            continue;
        memset(&c, 0, sizeof(c));
        c.m = &e->m;
        c.err = &e->err;
        c.warn = &e->warn;
        rc = mt_official_run(o, i, &c);
    }
    if (rc == MT_OK)
        rc = mt_official_finish(o, &e->m, &e->warn);
    mt_official_free(o);
    return rc;
}

static const char *or_empty(const char *s)
{
    return s ? s : "";
}

TEST(official_releases_read_from_their_zips_give_the_same_model)
{
    const char *dirs[4] = { "t/fixtures/official/rxnorm-rrf", NDC_DIR, LABEL_DIR, DAILYMED };
    const char *zipped[4];
    zips z;
    vt_env a, b;
    uint32_t i;
    int ra, rb;

    REQUIRE(make_zips(&z));
    zipped[0] = z.rrf;
    zipped[1] = z.ndc;
    zipped[2] = z.label;
    zipped[3] = z.dailymed;
    vt_init(&a);
    vt_init(&b);
    ra = run_releases(&a, dirs);
    rb = run_releases(&b, zipped);
    if (rb != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "from the zips: %s", mt_buf_str(&b.err));
    REQUIRE(ra == MT_OK && rb == MT_OK);
    /* the sources: the zip is their folder; editions and counts as from the folders */
    CHECK_STR(vt_source(&b, "rxnorm-rrf")->dir, z.rrf);
    CHECK_STR(vt_source(&b, "rxnorm-rrf")->edition, "RxNorm Current Prescribable Content release 2025-10-06");
    CHECK_STR(vt_source(&b, "dailymed-spl")->edition, "DailyMed SPL labels, 2, effective up to 2014-01-02");
    for (i = 0; i < a.m.sources.count && i < b.m.sources.count; i++) {
        const mdl_source *x = &a.m.sources.items[i], *y = &b.m.sources.items[i];
        CHECK_STR(x->id, y->id);
        CHECK_STR(or_empty(x->edition), or_empty(y->edition));
        CHECK(x->rows == y->rows && x->matched == y->matched && x->unmatched == y->unmatched &&
              x->facts == y->facts);
    }
    /* the facts: the same counts, the labels and pills with the same citations */
    CHECK_EQ_INT(a.m.sources.count, b.m.sources.count);
    CHECK_EQ_INT(a.m.drugs.count, b.m.drugs.count);
    CHECK_EQ_INT(a.m.names.count, b.m.names.count);
    CHECK_EQ_INT(a.m.products.count, b.m.products.count);
    CHECK_EQ_INT(a.m.ndcs.count, b.m.ndcs.count);
    CHECK_EQ_INT(a.m.schedules.count, b.m.schedules.count);
    CHECK_EQ_INT(a.m.doc_sections.count, b.m.doc_sections.count);
    CHECK_EQ_INT(a.m.doc_drugs.count, b.m.doc_drugs.count);
    REQUIRE_EQ_INT(a.m.docs.count, b.m.docs.count);
    REQUIRE_EQ_INT(a.m.pills.count, b.m.pills.count);
    for (i = 0; i < a.m.docs.count; i++) {
        CHECK_STR(or_empty(a.m.docs.items[i].cite.record), or_empty(b.m.docs.items[i].cite.record));
        CHECK_STR(or_empty(a.m.docs.items[i].title), or_empty(b.m.docs.items[i].title));
    }
    for (i = 0; i < a.m.pills.count; i++)
        CHECK_STR(or_empty(a.m.pills.items[i].cite.record), or_empty(b.m.pills.items[i].cite.record));
    CHECK(doc_by_setid(&b.m, CITALOPRAM, UINT16_MAX) != MDL_NONE);
    CHECK(doc_by_setid(&b.m, DRONABINOL, UINT16_MAX) != MDL_NONE);
    vt_free(&a);
    vt_free(&b);
    zt_rmtree(z.dir);
}

TEST(official_zip_without_a_file_is_named_before_any_import)
{
    zips z;
    vt_env e;
    mt_official *o = NULL;
    char junk[1100], expect[1400];

    REQUIRE(make_zips(&z));
    vt_init(&e);
    REQUIRE(mt_official_new(&o) == MT_OK);
    CHECK_EQ_INT(mt_official_add(o, &e.m, "rxnorm-rrf", z.half, &e.err), MT_ENOTFOUND);
    snprintf(expect, sizeof(expect), "%s: no RXNREL.RRF in the zip, at any folder depth (the RxNorm release", z.half);
    CHECK_CONTAINS(mt_buf_str(&e.err), expect);
    mt_buf_reset(&e.err);
    CHECK_EQ_INT(mt_official_add(o, &e.m, "fda-ndc", z.rrf, &e.err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&e.err), "no product.txt in the zip");
    mt_buf_reset(&e.err);
    CHECK_EQ_INT(mt_official_add(o, &e.m, "openfda-label", z.ndc, &e.err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&e.err), "no .json file here, nor in a .zip here");
    mt_buf_reset(&e.err);
    CHECK_EQ_INT(mt_official_add(o, &e.m, "dailymed-spl", z.ndc, &e.err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&e.err), "no SPL .xml file here, in its folders, its zips or the label zips");
    snprintf(junk, sizeof(junk), "%s/junk.zip", z.dir);
    REQUIRE(zt_spit(junk, "PK not really", 13));
    mt_buf_reset(&e.err);
    CHECK_EQ_INT(mt_official_add(o, &e.m, "drugsatfda", junk, &e.err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "junk.zip: not a zip archive, or a damaged one");
    CHECK_EQ_INT(mt_official_count(o), 0);
    /* the zips themselves pass */
    CHECK_EQ_INT(mt_official_add(o, &e.m, "dailymed-spl", z.dailymed, &e.err), MT_OK);
    CHECK_EQ_INT(mt_official_add(o, &e.m, "openfda-label", z.label, &e.err), MT_OK);
    CHECK_EQ_INT(mt_official_count(o), 2);
    mt_official_free(o);
    vt_free(&e);
    zt_rmtree(z.dir);
}

static int dailymed_tree(mt_import_ctx *ctx)
{
    return mt_import_spl_xml_tree(ctx, ctx->dir, 4);
}

/* Every allocation failing in turn while reading from zips, the label zips
** inside DailyMed's zip included: each unwinds (ASan: no leak). */
TEST(official_zips_allocation_failures_unwind)
{
    zips z;
    REQUIRE(make_zips(&z));
    CHECK(pt_torture("openfda-label", z.label, NULL, mt_import_openfda_label) > 10);
    CHECK(pt_torture("dailymed-spl", z.dailymed, NULL, dailymed_tree) > 10);
    CHECK(pt_torture("rxnorm-rrf", z.rrf, NULL, mt_import_rxnorm_rrf) > 10);
    zt_rmtree(z.dir);
}
