/*
** test_worldvista.c — English texts from the WorldVistA translation
** attached to the ANSM 2020 rules (lib/import/worldvista.c), on real
** excerpts: t/fixtures/ansm-thesaurus-fr and
** t/fixtures/ansm-thesaurus-en-worldvista/tsv (13 interaction rows, the
** class memberships of their classes).
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/nondrugs.h"
#include "ixvocab.h"

#define FIX_FR "t/fixtures/ansm-thesaurus-fr"
#define FIX_EN "t/fixtures/ansm-thesaurus-en-worldvista"

static const mdl_ixrule *rule_at(const ixv_run *r, mdl_ref rule)
{
    return rule == MDL_NONE ? NULL : &r->m.ixrules.items[rule];
}

TEST(worldvista_attaches_english_and_keeps_the_2020_level)
{
    ixv_run r;
    mdl_src ansm, wv;
    mdl_ref grapefruit, alcohol, caffeine, sjw;
    const mdl_ixrule *x;

    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", FIX_FR) == MT_OK);
    ansm = r.ctx.src;
    REQUIRE(mt_import_ansm(&r.ctx) == MT_OK);
    REQUIRE(ixv_source(&r, "worldvista", FIX_EN) == MT_OK);
    wv = r.ctx.src;
    REQUIRE(mt_import_worldvista(&r.ctx) == MT_OK);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_GRAPEFRUIT, &grapefruit) == MT_OK);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_ALCOHOL, &alcohol) == MT_OK);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_CAFFEINE, &caffeine) == MT_OK);
    REQUIRE(mt_nondrug_find(&r.m, MT_ND_STJOHNSWORT, &sjw) == MT_OK);

    /* no rule of its own */
    CHECK_EQ_INT(ixv_rules(&r.m, wv), 0);
    CHECK_EQ_INT(r.m.sources.items[wv].rows, 13);

    /* SSRIs + reversible MAO-A inhibitors (classes matched by members): the
    ** 2020 French level stays, the text is English and cites the row */
    x = rule_at(&r, ixv_rule(&r.m, ansm, ixv_drug(&r.m, "sertraline"), ixv_drug(&r.m, "methylene blue"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");
    CHECK_STR(x->level, "Association DECONSEILLEE");
    CHECK_EQ_INT(x->severity, MT_SEV_MAJOR);
    CHECK_CONTAINS(x->effect, "serotonin syndrome");
    CHECK(x->text_cite.source == wv);
    CHECK_CONTAINS(x->text_cite.record, "Drug Interaction ID 916");
    CHECK(x->cite.source == ansm);

    /* grapefruit + simvastatin (a food named in English, a drug by RxCUI) */
    x = rule_at(&r, ixv_rule(&r.m, ansm, grapefruit, ixv_drug(&r.m, "simvastatin"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");
    CHECK_CONTAINS(x->effect, "Large increase of the plasma concentrations");

    /* aspirin + oral anticoagulants: English, the three 2020 levels kept */
    x = rule_at(&r, ixv_rule(&r.m, ansm, ixv_drug(&r.m, "aspirin"), ixv_drug(&r.m, "warfarin"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");
    CHECK_STR(x->level, "CONTRE-INDICATION / Association DECONSEILLEE / A prendre en compte");
    CHECK(x->management != NULL);

    /* sedatives + alcohol, dipyridamole + tea, St John's wort + VKA, SSRIs + tramadol,
    ** NSAIDs + other NSAIDs */
    x = rule_at(&r, ixv_rule(&r.m, ansm, alcohol, ixv_drug(&r.m, "alprazolam"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");
    x = rule_at(&r, ixv_rule(&r.m, ansm, ixv_drug(&r.m, "dipyridamole"), caffeine, NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");
    CHECK_CONTAINS(x->effect, "dipyridamole by injection");
    x = rule_at(&r, ixv_rule(&r.m, ansm, sjw, ixv_drug(&r.m, "warfarin"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");
    x = rule_at(&r, ixv_rule(&r.m, ansm, ixv_drug(&r.m, "tramadol"), ixv_drug(&r.m, "sertraline"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");
    x = rule_at(&r, ixv_rule(&r.m, ansm, ixv_drug(&r.m, "ibuprofen"), ixv_drug(&r.m, "ketoprofen"), NULL));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "en");

    /* "clarithromycin + simvastatin" (2016, drug + drug) is not the 2020
    ** rule "simvastatine + inhibiteurs puissants du CYP3A4": that stays French */
    x = rule_at(&r, ixv_rule(&r.m, ansm, ixv_drug(&r.m, "simvastatin"), ixv_drug(&r.m, "clarithromycin"),
                             "CONTRE-INDICATION"));
    REQUIRE(x != NULL);
    CHECK_STR(x->lang, "fr");
    CHECK(x->text_cite.record == NULL);
    CHECK_EQ_INT(r.m.sources.items[wv].unmatched, 1);
    CHECK_CONTAINS(mt_buf_str(&r.warn), "worldvista: 12 rows matched an ANSM rule, 1 did not");
    /* `materia sources` counts the English texts as this source's facts */
    {
        uint32_t i, texts = 0;
        for (i = 0; i < r.m.ixrules.count; i++)
            texts += r.m.ixrules.items[i].text_cite.record && r.m.ixrules.items[i].text_cite.source == wv;
        CHECK(texts > 0);
        CHECK_EQ_INT(r.m.sources.items[wv].facts, texts);
    }
    ixv_free(&r);
}

TEST(worldvista_needs_ansm_and_rejects_malformed_rows)
{
    ixv_run r;
    const char *dir = ixv_tmpdir();

    REQUIRE(dir != NULL);
    REQUIRE(ixv_init(&r) == MT_OK);
    /* without ANSM rules there is nothing to translate: not an error */
    REQUIRE(ixv_source(&r, "worldvista", FIX_EN) == MT_OK);
    CHECK_EQ_INT(mt_import_worldvista(&r.ctx), MT_OK);
    CHECK_CONTAINS(mt_buf_str(&r.warn), "no ANSM rules");

    REQUIRE(ixv_source(&r, "ansm", FIX_FR) == MT_OK);
    REQUIRE(mt_import_ansm(&r.ctx) == MT_OK);
    REQUIRE(ixv_write(dir, "tsv/eng_groups2016_xml-v2.tsv",
                      "Drug Name\tRxNorm\tSource File\tClinical Source\tClass Name\tClass Code\n") == MT_OK);
    REQUIRE(ixv_write(dir, "tsv/eng_tables2016-xml-v2.tsv",
                      "Drug Interaction ID\tDrug 1 Name\tDrug 1 RxCUI\tDrug 1 Class Name\tDrug 1 Code\t"
                      "Drug 2 Name\tDrug 2 RxCUI\tDrug 2 Class Name\tDrug 2 Code\tClinical Source\t"
                      "Source File\tDescription\tSeverity\tComment\n"
                      "2117\tSERTRALINE\t36437\t\t\tGRAPEFRUIT (JUICE AND FRUIT)\t\t\t\tANSM\n") == MT_OK);
    REQUIRE(ixv_source(&r, "worldvista", dir) == MT_OK);
    CHECK_EQ_INT(mt_import_worldvista(&r.ctx), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.err), "eng_tables2016-xml-v2.tsv:2: expected 14 tab-separated fields");
    ixv_free(&r);
}

/* The full bundled translation after the full thesaurus: every row read. */
TEST(worldvista_full_translation)
{
    ixv_run r;
    char fr[1024], en[1024];

    snprintf(fr, sizeof(fr), "%s/ansm-thesaurus-fr", mt_test_sources());
    snprintf(en, sizeof(en), "%s/ansm-thesaurus-en-worldvista", mt_test_sources());
    REQUIRE(ixv_init(&r) == MT_OK);
    REQUIRE(ixv_source(&r, "ansm", fr) == MT_OK);
    REQUIRE(mt_import_ansm(&r.ctx) == MT_OK);
    REQUIRE(ixv_source(&r, "worldvista", en) == MT_OK);
    REQUIRE(mt_import_worldvista(&r.ctx) == MT_OK);
    /* 2,950 lines = header + 2,949 interactions */
    CHECK_EQ_INT(r.m.sources.items[r.ctx.src].rows, 2949);
    CHECK(r.m.sources.items[r.ctx.src].matched > 0);
    ixv_free(&r);
}
