/*
** test_ema_leaflets.c — the EMA package leaflet importer
** (lib/import/ema_leaflets.c) on six real lines of leaflets-en.jsonl
** (abasaglar, aqumeldi, bemrist, corbilta, spravato, viekirax), joined to a
** hand-made vocabulary with the real RxCUIs.
*/
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "import/pilltest.h"
#include "util/alloc.h"

static const mdl_doc_section *section(const mdl *m, mdl_ref doc, const char *code)
{
    uint32_t i;
    for (i = 0; i < m->doc_sections.count; i++) {
        const mdl_doc_section *s = &m->doc_sections.items[i];
        if (s->doc == doc && s->code && strcmp(s->code, code) == 0)
            return s;
    }
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

static mdl_ref doc_titled(const mdl *m, const char *title)
{
    uint32_t i;
    for (i = 0; i < m->docs.count; i++)
        if (m->docs.items[i].title && strcmp(m->docs.items[i].title, title) == 0)
            return i;
    return MDL_NONE;
}

TEST(ema_leaflets_spravato_joins_esketamine_and_keeps_its_sections)
{
    pt_env e;
    mdl_ref esk, ket, enal, enalm, mom, momf, levo, carbi, enta, omb, doc;
    const mdl_doc *d;
    const mdl_doc_section *s;
    const mdl_source *src;
    uint32_t i;

    pt_init(&e, "ema-epi", pt_fixture("ema-epi-leaflets"));
    esk = pt_drug(&e, "esketamine", 2119365, "50LFG02TXD");
    ket = pt_drug(&e, "ketamine", 6130, "690G0D6V8H");
    enal = pt_drug(&e, "enalapril", 3827, "69PN84IO1A");
    enalm = pt_drug(&e, "enalapril maleate", 203123, "9O25354EPJ");   /* RxNorm PIN */
    e.m.drugs.items[enalm].kind = MT_DRUG_PRECISE;
    e.m.drugs.items[enalm].parent = enal;
    mom = pt_drug(&e, "mometasone", 108118, "8HR4QJ6DW8");
    momf = pt_drug(&e, "mometasone furoate", 30145, "04201GDN4R");
    e.m.drugs.items[momf].kind = MT_DRUG_PRECISE;
    e.m.drugs.items[momf].parent = mom;
    levo = pt_drug(&e, "levodopa", 6375, "46627O600J");
    carbi = pt_drug(&e, "carbidopa", 2019, "MNX7R8C5VO");
    enta = pt_drug(&e, "entacapone", 60307, "4975G9NM6T");
    omb = pt_drug(&e, "ombitasvir", 1597371, NULL);
    /* insulin glargine deliberately absent: Abasaglar stays unjoined. */

    REQUIRE(mt_import_ema_leaflets(&e.ctx) == MT_OK);
    REQUIRE_EQ_INT(e.m.docs.count, 6);

    doc = doc_titled(&e.m, "Spravato");
    REQUIRE(doc != MDL_NONE);
    d = &e.m.docs.items[doc];
    CHECK_EQ_INT(d->kind, MT_DOC_EU_LEAFLET);
    CHECK_STR(d->jurisdiction, "EU");
    CHECK_STR(d->doc_id, "EU/1/19/1410");
    CHECK(d->date == NULL);
    CHECK_STR(d->cite.record, "leaflets-en.jsonl line 5 (EU/1/19/1410)");
    CHECK(linked(&e.m, doc, esk));
    CHECK(!linked(&e.m, doc, ket));

    s = section(&e.m, doc, "4");
    REQUIRE(s != NULL);
    CHECK_STR(s->title, "4. Possible side effects");
    CHECK_CONTAINS(s->text, "<p>feeling dizzy</p>");
    s = section(&e.m, doc, "1");
    REQUIRE(s != NULL);
    CHECK_STR(s->title, "1. What Spravato is and what it is used for");
    CHECK_CONTAINS(s->text, "Spravato contains the active substance esketamine.");
    s = section(&e.m, doc, "6");
    REQUIRE(s != NULL);
    CHECK_CONTAINS(s->text, "janssen@jacbe.jnj.com");      /* the mailto link's text survives */
    for (i = 0; i < e.m.doc_sections.count; i++) {
        s = &e.m.doc_sections.items[i];
        CHECK(strstr(s->text, "<a ") == NULL);
        CHECK(strstr(s->text, "href") == NULL);
        CHECK(strstr(s->text, "<div") == NULL);
        CHECK(strcmp(s->title, "What is in this leaflet") != 0);
        CHECK(strcmp(s->title, "B. Package Leaflet") != 0);       /* body "unavailable" */
        if (s->doc == doc)                                          /* empty for Spravato */
            CHECK(strcmp(s->title, "Package leaflet: Information for the user") != 0);
    }
    /* 6 numbered sections each, and Bemrist's "Information for the user" has a body. */
    CHECK_EQ_INT(e.m.doc_sections.count, 6 * 6 + 1);

    doc = doc_titled(&e.m, "Aqumeldi");                  /* "enalapril maleate": the PIN's ingredient */
    REQUIRE(doc != MDL_NONE);
    CHECK(linked(&e.m, doc, enal));
    CHECK(!linked(&e.m, doc, enalm));
    doc = doc_titled(&e.m, "Bemrist");                   /* "indacaterol (as acetate) and mometasone furoate" */
    REQUIRE(doc != MDL_NONE);
    CHECK(linked(&e.m, doc, mom));                       /* the salt's parent ingredient */
    doc = doc_titled(&e.m, "Corbilta");                  /* "The active substances of Corbilta are ..." */
    REQUIRE(doc != MDL_NONE);
    CHECK(linked(&e.m, doc, levo) && linked(&e.m, doc, carbi) && linked(&e.m, doc, enta));
    doc = doc_titled(&e.m, "Viekirax");                  /* only section 1 names them */
    REQUIRE(doc != MDL_NONE);
    CHECK(linked(&e.m, doc, omb));

    src = &e.m.sources.items[e.ctx.src];
    CHECK_EQ_INT(src->rows, 6);
    CHECK_EQ_INT(src->matched, 5);
    CHECK_EQ_INT(src->unmatched, 1);
    pt_free(&e);
}

TEST(ema_leaflets_broken_json_line_names_file_and_line)
{
    static const char jsonl[] =
        "{\"product\": \"spravato\", \"eu_number\": \"EU/1/19/1410/001\", \"language\": \"en\", \"sections\": []}\n"
        "{\"product\": \"spravato\", \"eu_number\": \"EU/1/19/1410/001\", \"sections\": [{\"title\": \"1. What\n";
    const char *dir = pt_tmp_write("leaflets-en.jsonl", jsonl, sizeof(jsonl) - 1);
    pt_env e;
    REQUIRE(dir != NULL);
    pt_init(&e, "ema-epi", dir);
    CHECK(mt_import_ema_leaflets(&e.ctx) == MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "leaflets-en.jsonl:2: invalid JSON");
    pt_tmp_remove(e.ctx.dir, "leaflets-en.jsonl");
    pt_free(&e);
}

TEST(ema_leaflets_bundled_file_reads_whole)
{
    pt_env e;
    const char *dir = pt_bundled("ema-epi-leaflets");
    if (!dir)
        return;
    pt_init(&e, "ema-epi", dir);
    REQUIRE(mt_import_ema_leaflets(&e.ctx) == MT_OK);
    CHECK_EQ_INT(e.m.docs.count, 953);
    CHECK(e.m.doc_sections.count > 5000);
    pt_free(&e);
}

static void ema_torture_setup(pt_env *e)
{
    pt_drug(e, "esketamine", 2119365, "50LFG02TXD");
}

TEST(ema_leaflets_allocation_failures_unwind)
{
    CHECK(pt_torture("ema-epi", pt_fixture("ema-epi-leaflets"), ema_torture_setup, mt_import_ema_leaflets) > 10);
}

TEST(ema_epi_allocation_failures_inside_jansson)
{
    json_malloc_t am;
    json_free_t af;
    /* As when another importer routes jansson's memory through mt_malloc. */
    json_get_alloc_funcs(&am, &af);
    json_set_alloc_funcs(mt_malloc, mt_free);
    CHECK(pt_torture("ema-epi", pt_fixture("ema-epi-leaflets"), ema_torture_setup, mt_import_ema_leaflets) > 10);
    json_set_alloc_funcs(am, af);
}
