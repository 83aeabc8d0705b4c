/*
** test_spl_xml.c — the SPL XML label importer (lib/import/spl_xml.c) on four
** real 2014 DailyMed labels and one openFDA label, and its pill extraction
** cross-checked against DERIVED_spl_pill_characteristics.tsv (our own
** earlier extraction) on the fixture and on the whole bundled folder.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "import/pilltest.h"
#include "source/srcfile.h"

#define BACLOFEN_SETID "b127bc0c-6e3b-4906-ab5f-6992a9775038"
#define PRAZOSIN_SETID "7293cef3-ef9e-40dc-9995-875ef047f693"
#define LISINOPRIL_HCTZ_SETID "d7214539-6c3d-466a-a474-6fde096fa182"
#define FYCOMPA_SETID "71cf3309-e182-473c-8b0b-280cabd0e122"
#define LIPITOR_REPACK_SETID "17a163ef-b349-4e32-bc8c-b02bac7f65d6"

static mdl_ref doc_by_setid(const mdl *m, const char *setid)
{
    uint32_t i;
    for (i = 0; i < m->docs.count; i++)
        if (m->docs.items[i].doc_id && strcmp(m->docs.items[i].doc_id, setid) == 0)
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

static int linked(const mdl *m, mdl_ref doc, mdl_ref drug)
{
    uint32_t i;
    for (i = 0; i < m->doc_drugs.count; i++)
        if (m->doc_drugs.items[i].doc == doc && m->doc_drugs.items[i].drug == drug)
            return 1;
    return 0;
}

/* The pill of a label's product ("setid X product 0093-4067 (...)"), with an imprint. */
static const mdl_pill *pill_of(const mdl *m, const char *setid, const char *product, const char *imprint)
{
    char want[160];
    uint32_t i;
    snprintf(want, sizeof(want), "setid %s product %s (", setid, product);
    for (i = 0; i < m->pills.count; i++) {
        const mdl_pill *p = &m->pills.items[i];
        if (p->cite.record && strncmp(p->cite.record, want, strlen(want)) == 0 &&
            (!imprint || (p->imprint && strcmp(p->imprint, imprint) == 0)))
            return p;
    }
    return NULL;
}

TEST(spl_xml_labels_sections_drugs_and_pills)
{
    pt_env e;
    mdl_src openfda;
    mdl_ref baclofen, prazosin, lisinopril, hctz, perampanel, atorvastatin, doc;
    mdl_ref p_prazosin1, p_lisi10, p_fycompa2;
    const mdl_doc *d;
    const mdl_doc_section *s;
    const mdl_pill *p;
    const mdl_source *src;
    static const char *const prazosin1_ndcs[] = { "00093406701", "00093406710", NULL };
    static const char *const lisi10_ndcs[] = { "65862004300", "65862004301", "65862004305", "65862004330", NULL };
    static const char *const fycompa2_ndcs[] = { "62856027214", "62856027230", "62856027290", NULL };

    pt_init(&e, "spl-xml", pt_fixture("spl-xml-2014"));
    openfda = pt_source(&e, "openfda", pt_fixture("fda-openfda-files"));
    REQUIRE(pt_load_codes(&e) == MT_OK);
    baclofen = pt_drug(&e, "baclofen", 1292, "H789N3FKE8");
    prazosin = pt_drug(&e, "prazosin", 8629, "XM03YJ541D");
    lisinopril = pt_drug(&e, "lisinopril", 29046, "E7199S1YWR");
    hctz = pt_drug(&e, "hydrochlorothiazide", 5487, "0J48LPH2TH");
    perampanel = pt_drug(&e, "perampanel", 1356552, "H821664NPK");
    atorvastatin = pt_drug(&e, "atorvastatin", 83367, NULL);    /* RxTerms: no UNII */
    p_prazosin1 = pt_product(&e, 312593, "SCD", "prazosin 1 MG Oral Capsule", NULL, prazosin, MDL_NONE, prazosin1_ndcs);
    p_lisi10 = pt_product(&e, 197885, "SCD", "hydrochlorothiazide 12.5 MG / lisinopril 10 MG Oral Tablet", NULL,
                          hctz, lisinopril, lisi10_ndcs);
    p_fycompa2 = pt_product(&e, 1356563, "SBD", "perampanel 2 MG Oral Tablet [FYCOMPA]", "Fycompa",
                            perampanel, MDL_NONE, fycompa2_ndcs);

    REQUIRE(mt_import_spl_xml(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.docs.count, 5);

    /* Baclofen (Aidarex, repackager): no RxNorm NDC, joined by the ingredient's UNII. */
    doc = doc_by_setid(&e.m, BACLOFEN_SETID);
    REQUIRE(doc != MDL_NONE);
    d = &e.m.docs.items[doc];
    CHECK_EQ_INT(d->kind, MT_DOC_US_LABEL);
    CHECK_STR(d->jurisdiction, "US");
    CHECK_STR(d->title, "BACLOFEN TABLETS, USP");
    CHECK_STR(d->date, "2013-12-12");
    CHECK_STR(d->cite.record, "setid " BACLOFEN_SETID " version 1 "
              "(20140102_b127bc0c-6e3b-4906-ab5f-6992a9775038__c3489764-d9f9-4d2a-ab7f-3c3bfa652af7.xml)");
    CHECK(e.m.sources.items[d->cite.source].id && strcmp(e.m.sources.items[d->cite.source].id, "spl-xml") == 0);
    CHECK(linked(&e.m, doc, baclofen));
    s = section(&e.m, doc, "34067-9");
    REQUIRE(s != NULL);
    CHECK_STR(s->title, "Indications & Usage");                /* the openFDA table's name */
    CHECK_CONTAINS(s->text, "spasticity resulting from multiple sclerosis");
    s = section(&e.m, doc, "34084-4");
    REQUIRE(s != NULL);
    CHECK(strstr(s->text, "\n\n") != NULL);                   /* paragraphs kept apart */
    CHECK(strchr(s->text, '<') == NULL);
    p = pill_of(&e.m, BACLOFEN_SETID, "33261-010", NULL);
    REQUIRE(p != NULL);
    CHECK_STR(p->imprint, "2265;V");
    CHECK_STR(p->color, "WHITE");
    CHECK_STR(p->shape, "OVAL");
    CHECK(p->size_mm > 10.9f && p->size_mm < 11.1f);
    CHECK_EQ_INT(p->score, 2);
    CHECK_STR(p->ndc11, "33261001015");
    CHECK_STR(p->strength, "10 mg");
    CHECK_STR(p->form, "TABLET");
    CHECK_STR(p->labeler, "Aidarex Pharmaceuticals LLC");
    CHECK_EQ_INT(p->product, MDL_NONE);
    CHECK_EQ_INT(p->drug, baclofen);
    CHECK(p->schedule == NULL);

    /* Prazosin: the substance is the hydrochloride, the moiety's UNII joins; NDC joins the SCD. */
    doc = doc_by_setid(&e.m, PRAZOSIN_SETID);
    REQUIRE(doc != MDL_NONE);
    CHECK(linked(&e.m, doc, prazosin));
    p = pill_of(&e.m, PRAZOSIN_SETID, "0093-4067", "TEVA;4067");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->product, p_prazosin1);
    CHECK_EQ_INT(p->drug, prazosin);
    CHECK_STR(p->ndc11, "00093406701");
    CHECK_STR(p->shape, "CAPSULE");

    /* Lisinopril and hydrochlorothiazide: two drugs, a two-ingredient product, no schedule. */
    doc = doc_by_setid(&e.m, LISINOPRIL_HCTZ_SETID);
    REQUIRE(doc != MDL_NONE);
    CHECK(linked(&e.m, doc, lisinopril) && linked(&e.m, doc, hctz));
    p = pill_of(&e.m, LISINOPRIL_HCTZ_SETID, "65862-043", "A;26");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->product, p_lisi10);
    CHECK_STR(p->strength, "10 mg / 12.5 mg");

    /* Fycompa: CIII from the label's DEA policy; the kit's parts are pills too. */
    doc = doc_by_setid(&e.m, FYCOMPA_SETID);
    REQUIRE(doc != MDL_NONE);
    CHECK(linked(&e.m, doc, perampanel));
    p = pill_of(&e.m, FYCOMPA_SETID, "62856-272", "2;275");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->product, p_fycompa2);
    CHECK_STR(p->schedule, "CIII");
    CHECK_STR(p->color, "ORANGE");
    p = pill_of(&e.m, FYCOMPA_SETID, "62856-270", "4;277");    /* starter kit, second part */
    REQUIRE(p != NULL);
    CHECK_STR(p->schedule, "CIII");
    CHECK_STR(p->color, "RED");
    s = section(&e.m, doc, "34066-1");
    REQUIRE(s != NULL);
    CHECK_CONTAINS(s->text, "homicidal ideation");
    CHECK(section(&e.m, doc, "34086-9") != NULL || section(&e.m, doc, "34085-1") != NULL);

    /* The openFDA label is cited to the openFDA source; the PLR title is shortened. */
    doc = doc_by_setid(&e.m, LIPITOR_REPACK_SETID);
    REQUIRE(doc != MDL_NONE);
    d = &e.m.docs.items[doc];
    CHECK_EQ_INT(d->cite.source, openfda);
    CHECK_CONTAINS(d->cite.record, "(lipitor-repack.xml)");
    CHECK(strncmp(d->title, "These highlights", 16) != 0);
    CHECK_CONTAINS(d->title, "LIPITOR");
    CHECK(linked(&e.m, doc, atorvastatin));                    /* "atorvastatin calcium trihydrate", by name */
    p = pill_of(&e.m, LIPITOR_REPACK_SETID, "55289-800", "PD;156;20");
    REQUIRE(p != NULL);
    CHECK_EQ_INT(p->drug, atorvastatin);
    CHECK_EQ_INT(p->cite.source, openfda);

    src = &e.m.sources.items[e.ctx.src];
    CHECK_EQ_INT(src->rows, 4);
    CHECK_EQ_INT(src->matched, 4);
    CHECK_EQ_INT(e.m.sources.items[openfda].rows, 1);
    CHECK_EQ_INT(e.m.sources.items[openfda].matched, 1);
    pt_free(&e);
}

/* --- cross-check against DERIVED_spl_pill_characteristics.tsv ---------------- */

typedef struct derived_check {
    const mdl *m;
    const char *xmldir;
    int compared, header;
} derived_check;

static int on_derived(void *user, char **f, size_t n, unsigned long line)
{
    derived_check *dc = user;
    char path[1024];
    struct stat st;
    const mdl_pill *p;
    long size;
    if (!dc->header) {
        dc->header = 1;
        return MT_OK;
    }
    /* file setid product_ndc name form imprint color shape size score */
    if (n != 10) {
        mt_test_fail(__FILE__, __LINE__, "DERIVED line %lu: %zu fields", line, n);
        return MT_OK;
    }
    if (!*f[5])
        return MT_OK;                       /* no imprint: not a pill in that table */
    snprintf(path, sizeof(path), "%s/%s.gz", dc->xmldir, f[0]);
    if (stat(path, &st) != 0) {
        snprintf(path, sizeof(path), "%s/%s", dc->xmldir, f[0]);
        if (stat(path, &st) != 0)
            return MT_OK;                   /* label not in this folder */
    }
    p = pill_of(dc->m, f[1], f[2], f[5]);
    if (!p) {
        mt_test_fail(__FILE__, __LINE__, "DERIVED line %lu: no pill for %s %s", line, f[2], f[5]);
        return MT_OK;
    }
    dc->compared++;
    if (strcasecmp(p->color ? p->color : "", f[6]) != 0)
        mt_test_fail(__FILE__, __LINE__, "line %lu colour %s != %s", line, p->color, f[6]);
    if (strcasecmp(p->shape ? p->shape : "", f[7]) != 0)
        mt_test_fail(__FILE__, __LINE__, "line %lu shape %s != %s", line, p->shape, f[7]);
    size = strtol(f[8], NULL, 10);
    if ((long)(p->size_mm + 0.5f) != size)
        mt_test_fail(__FILE__, __LINE__, "line %lu size %.1f != %s", line, (double)p->size_mm, f[8]);
    if (p->score != strtol(f[9], NULL, 10))
        mt_test_fail(__FILE__, __LINE__, "line %lu score %d != %s", line, p->score, f[9]);
    return MT_OK;
}

static int cross_check(const mdl *m, const char *dir, mt_buf *err)
{
    derived_check dc;
    char xmldir[1024];
    memset(&dc, 0, sizeof(dc));
    snprintf(xmldir, sizeof(xmldir), "%s/xml", dir);
    dc.m = m;
    dc.xmldir = xmldir;
    if (mt_csv_read(dir, "DERIVED_spl_pill_characteristics.tsv", '\t', 0, on_derived, &dc, err) != MT_OK)
        return -1;
    return dc.compared;
}

TEST(spl_xml_pills_equal_the_derived_table_on_the_fixture)
{
    pt_env e;
    pt_init(&e, "spl-xml", pt_fixture("spl-xml-2014"));
    REQUIRE(pt_load_codes(&e) == MT_OK);
    REQUIRE(mt_import_spl_xml(&e.ctx) == MT_OK);
    /* Baclofen 2, prazosin 3, lisinopril/HCTZ 3, Fycompa 6 rows with an imprint. */
    CHECK_EQ_INT(cross_check(&e.m, e.ctx.dir, &e.err), 14);
    pt_free(&e);
}

TEST(spl_xml_pills_equal_the_derived_table_on_the_bundled_labels)
{
    pt_env e;
    const char *dir = pt_bundled("spl-xml-2014");
    if (!dir)
        return;
    pt_init(&e, "spl-xml", dir);
    REQUIRE(pt_load_codes(&e) == MT_OK);
    REQUIRE(mt_import_spl_xml(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.docs.count, 89);
    CHECK_EQ_INT(cross_check(&e.m, e.ctx.dir, &e.err), 43);   /* PROVENANCE: 43 rows with an imprint */
    pt_free(&e);
}

TEST(spl_xml_truncated_label_is_a_format_error_with_file_and_line)
{
    char dir[] = "/tmp/mt_spl_xml_XXXXXX";
    char sub[600], path[700];
    static const char truncated[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<document xmlns=\"urn:hl7-org:v3\">\n"
        "   <id root=\"c3489764-d9f9-4d2a-ab7f-3c3bfa652af7\"/>\n"
        "   <title>BACLOFEN TABLETS, USP</title>\n"
        "   <setId root=\"b127bc0c-6e3b-4906-ab5f-6992a9775038\"/>\n"
        "   <component>\n      <structuredBody>\n         <comp";
    pt_env e;
    FILE *f;
    REQUIRE(mkdtemp(dir) != NULL);
    snprintf(sub, sizeof(sub), "%s/xml", dir);
    REQUIRE(mkdir(sub, 0700) == 0);
    snprintf(path, sizeof(path), "%s/label.xml", sub);
    f = fopen(path, "w");
    REQUIRE(f != NULL);
    fputs(truncated, f);
    fclose(f);
    pt_init(&e, "spl-xml", dir);
    CHECK(mt_import_spl_xml(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "/xml/label.xml:8: malformed XML");
    pt_free(&e);
    unlink(path);
    rmdir(sub);
    rmdir(dir);
}

static void spl_torture_setup(pt_env *e)
{
    pt_source(e, "openfda", pt_fixture("fda-openfda-files"));
    pt_load_codes(e);
    pt_drug(e, "baclofen", 1292, "H789N3FKE8");
}

TEST(spl_xml_allocation_failures_unwind)
{
    CHECK(pt_torture("spl-xml", pt_fixture("spl-xml-2014"), spl_torture_setup, mt_import_spl_xml) > 10);
}
