/*
** test_search.c — search on a small model (lib/search/): Damerau-Levenshtein,
** the normalizer and phonetic codes, then the index written by the section
** hook and queried tier by tier, ranking and resolution included.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "kb/testmodel.h"
#include "kbwrite/kbwrite.h"
#include "materia/search.h"
#include "model/model.h"
#include "search/editdist.h"
#include "search/namenorm.h"
#include "search/search_build.h"
#include "search/sindex.h"
#include "util/alloc.h"
#include "util/text.h"

/* --- edit distance ------------------------------------------------------ */

static unsigned dl(const char *a, const char *b, unsigned maxd)
{
    return ms_distance(a, strlen(a), b, strlen(b), maxd).full;
}

static unsigned pdl(const char *a, const char *b, unsigned maxd)
{
    return ms_distance(a, strlen(a), b, strlen(b), maxd).prefix;
}

TEST(search_distance_counts_each_edit_once)
{
    CHECK_EQ_INT(dl("sertraline", "sertraline", 2), 0);
    CHECK_EQ_INT(dl("sertaline", "sertraline", 2), 1);     /* deletion */
    CHECK_EQ_INT(dl("sertrraline", "sertraline", 2), 1);   /* insertion */
    CHECK_EQ_INT(dl("metfromin", "metformin", 2), 1);      /* transposition */
    CHECK_EQ_INT(dl("zolfot", "zoloft", 2), 1);
    CHECK_EQ_INT(dl("lisinipril", "lisinopril", 2), 1);    /* substitution */
    CHECK_EQ_INT(dl("ibuprophen", "ibuprofen", 2), 2);
    CHECK_EQ_INT(dl("xanx", "xanax", 2), 1);
    CHECK_EQ_INT(dl("", "ab", 2), 2);
    CHECK_EQ_INT(dl("abc", "", 2), 3);                      /* over the bound: maxd + 1 */
    CHECK_EQ_INT(dl("ca", "abc", 3), 3);                    /* OSA, not unrestricted DL (2) */
    CHECK_EQ_INT(dl("kitten", "sitting", 3), 3);
    CHECK_EQ_INT(dl("kitten", "sitting", 2), 3);            /* bounded: stops at 2 + 1 */
    CHECK_EQ_INT(dl("sefalexin", "cephalexin", 8), 3);
}

TEST(search_distance_band_agrees_with_full_matrix)
{
    /* Against a plain O(n*m) OSA on every pair of a few short strings. */
    static const char *const w[] = {
        "", "a", "ab", "ba", "abc", "acb", "bca", "abcd", "xanax", "xanx", "zanax",
        "sertraline", "setraline", "sertarline", "metformin", "metfromin", "aaa", "aaaa"
    };
    size_t i, j, n = sizeof(w) / sizeof(w[0]);
    for (i = 0; i < n; i++) {
        for (j = 0; j < n; j++) {
            const char *a = w[i], *b = w[j];
            size_t la = strlen(a), lb = strlen(b), x, y;
            unsigned d[16][16], maxd;
            for (x = 0; x <= la; x++)
                for (y = 0; y <= lb; y++) {
                    unsigned v;
                    if (x == 0 || y == 0) {
                        d[x][y] = (unsigned)(x + y);
                        continue;
                    }
                    v = d[x - 1][y - 1] + (a[x - 1] != b[y - 1]);
                    if (d[x - 1][y] + 1 < v) v = d[x - 1][y] + 1;
                    if (d[x][y - 1] + 1 < v) v = d[x][y - 1] + 1;
                    if (x > 1 && y > 1 && a[x - 1] == b[y - 2] && a[x - 2] == b[y - 1] && d[x - 2][y - 2] + 1 < v)
                        v = d[x - 2][y - 2] + 1;
                    d[x][y] = v;
                }
            for (maxd = 0; maxd <= 3; maxd++) {
                unsigned want = d[la][lb] <= maxd ? d[la][lb] : maxd + 1, pw = maxd + 1;
                ms_dist got = ms_distance(a, la, b, lb, maxd);
                for (y = 0; y <= lb; y++)
                    if (d[la][y] < pw)
                        pw = d[la][y];
                if (got.full != want || got.prefix != pw)
                    mt_test_fail(__FILE__, __LINE__, "\"%s\" vs \"%s\" maxd %u: full %u (want %u), prefix %u (want %u)",
                                 a, b, maxd, got.full, want, got.prefix, pw);
            }
        }
    }
}

TEST(search_prefix_distance_measures_name_beginnings)
{
    CHECK_EQ_INT(pdl("setral", "sertraline", 2), 1);
    CHECK_EQ_INT(pdl("sertr", "sertraline", 2), 0);
    CHECK_EQ_INT(pdl("amoxicilin", "amoxicillin clavulanate", 2), 1);
    CHECK_EQ_INT(pdl("zzzz", "sertraline", 2), 3);
}

/* --- normalized forms and phonetic codes ---------------------------------- */

static const char *norm(const char *text)
{
    static char out[256];
    char key[256];
    size_t n = mt_text_key(text, key, sizeof(key));
    ms_normalize(key, n, out, sizeof(out));
    return out;
}

/* Two calls may appear in one comparison: alternate between two buffers. */
static const char *phon(const char *text)
{
    static char out[2][64];
    static int which;
    char key[256];
    size_t n = mt_text_key(text, key, sizeof(key));
    which ^= 1;
    ms_phonetic(key, n, out[which], sizeof(out[which]));
    return out[which];
}

TEST(search_normalizer_strips_salts_strengths_forms_and_sorts)
{
    CHECK_STR(norm("Sertraline Hydrochloride 50 MG Oral Tablet"), "sertraline");
    CHECK_STR(norm("zoloft 50 mg tablet"), "zoloft");
    CHECK_STR(norm("sertraline 50 MG Oral Tablet [Zoloft]"), "sertraline zoloft");
    CHECK_STR(norm("amlodipine besylate 5 MG / benazepril hydrochloride 10 MG Oral Capsule"),
              "amlodipine benazepril");
    CHECK_STR(norm("benazepril amlodipine"), "amlodipine benazepril");
    CHECK_STR(norm("24 HR metformin hydrochloride 500 MG Extended Release Oral Tablet"), "metformin");
    CHECK_STR(norm("ketamine 50 MG/ML Injectable Solution"), "ketamine");
    CHECK_STR(norm("sodium chloride 0.9 % Injectable Solution"), "chloride sodium");  /* both kept */
    CHECK_STR(norm("diclofenac sodium"), "diclofenac");
    CHECK_STR(norm("magnesium oxide"), "magnesium oxide");
    CHECK_STR(norm("Oral Tablet"), "oral tablet");          /* nothing left: the key */
    CHECK_STR(norm("vitamin B 12"), "b vitamin");
}

TEST(search_phonetic_codes_merge_sound_alike_spellings)
{
    CHECK_STR(phon("cephalexin"), "sflksn");
    CHECK_STR(phon("sefalexin"), "sflksn");
    CHECK_STR(phon("Xanax"), phon("zanax"));
    CHECK_STR(phon("ibuprophen"), phon("ibuprofen"));
    CHECK_STR(phon("phenobarbital"), phon("fenobarbital"));
    CHECK_STR(phon("klonopin"), phon("clonopin"));
    CHECK_STR(phon("acetaminophin"), phon("acetaminophen"));
    CHECK_STR(phon("psyllium"), phon("syllium"));
    CHECK(strcmp(phon("sertraline"), phon("cetirizine")) != 0);
    CHECK_STR(phon("st john s wort"), "st jn s wrt");
    CHECK_STR(phon("wrong"), "rng");
    CHECK_STR(phon("123"), "");
}

TEST(search_prior_grows_with_log_of_count)
{
    CHECK_EQ_INT(ms_prior_of(0), 0);
    CHECK_EQ_INT(ms_prior_of(1), 256);
    CHECK_EQ_INT(ms_prior_of(3), 512);
    CHECK(ms_prior_of(10) < ms_prior_of(11));
    CHECK(ms_prior_of(5000) < ms_prior_of(5100));
    CHECK(ms_prior_of(UINT64_MAX - 1) <= 64u * 256u);
}

/* --- a small model, written and searched ------------------------------------- */

static mdl_src add_source(mdl *m, const char *id)
{
    mdl_source d;
    mdl_src s = 0;
    memset(&d, 0, sizeof(d));
    d.id = id;
    d.name = id;
    d.edition = "2025-10";
    mdl_source_add(m, &d, &s);
    return s;
}

static mdl_ref drug(mdl *m, mdl_src s, const char *name, uint32_t rxcui, const char *unii,
                    const char *drugbank, mt_drug_kind kind)
{
    mdl_keys k;
    mdl_ref r = MDL_NONE;
    memset(&k, 0, sizeof(k));
    k.rxcui = rxcui;
    k.unii = unii;
    k.drugbank_id = drugbank;
    if (mdl_drug_add(m, name, kind, &k, rxcui ? MT_DRUGF_IN_RXNORM : 0,
                     mdl_cite_make(m, s, "%s", name), &r) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "cannot add %s", name);
    return r;
}

static void name(mdl *m, mdl_src s, mdl_ref d, mt_name_kind kind, const char *text, const char *code)
{
    if (mdl_name_add(m, d, kind, text, code, mdl_cite_make(m, s, "%s", text)) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "cannot add name %s", text);
}

/* A product of one or two ingredients with n NDCs (made-up, distinct). */
static void product(mdl *m, mdl_src s, uint32_t rxcui, const char *pname, const char *brand,
                    mdl_ref d1, mdl_ref d2, unsigned nndc, unsigned ndc_base)
{
    mdl_product p;
    mdl_ref r;
    unsigned i;
    memset(&p, 0, sizeof(p));
    p.rxcui = rxcui;
    p.tty = brand ? "SBD" : "SCD";
    p.name = pname;
    p.brand = brand;
    p.cite = mdl_cite_make(m, s, "RXCUI %u", rxcui);
    if (mdl_product_add(m, &p, &r) != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "cannot add %s", pname);
        return;
    }
    mdl_product_ing_add(m, r, d1);
    if (d2 != MDL_NONE)
        mdl_product_ing_add(m, r, d2);
    for (i = 0; i < nndc; i++) {
        char ndc[12];
        snprintf(ndc, sizeof(ndc), "%011u", ndc_base + i);
        mdl_ndc_add(m, r, ndc, mdl_cite_make(m, s, "NDC %s", ndc));
    }
}

typedef struct small {
    mdl_ref sertraline, sertraline_hcl, ketamine, esketamine, metformin, acetaminophen,
            cephalexin, alprazolam, setraline_trap, amlodipine, benazepril, cefaloxen_trap;
} small;

static int small_model(mdl *m, small *d)
{
    mdl_src rx, db, intl;
    mdl_init(m);
    rx = add_source(m, "rxnorm");
    db = add_source(m, "drugbank");
    intl = add_source(m, "ansm");

    d->sertraline = drug(m, rx, "sertraline", 36437, "QUM9B3Q6G5", "DB01104", MT_DRUG_INGREDIENT);
    d->sertraline_hcl = drug(m, rx, "sertraline hydrochloride", 82728, NULL, NULL, MT_DRUG_PRECISE);
    m->drugs.items[d->sertraline_hcl].parent = d->sertraline;
    d->ketamine = drug(m, rx, "ketamine", 6130, "690G0D6V8H", "DB01221", MT_DRUG_INGREDIENT);
    d->esketamine = drug(m, rx, "esketamine", 2119365, "50LFG02TXD", NULL, MT_DRUG_INGREDIENT);
    d->metformin = drug(m, rx, "metformin", 6809, "9100L32L2N", NULL, MT_DRUG_INGREDIENT);
    d->acetaminophen = drug(m, rx, "acetaminophen", 161, "362O9ITL9D", NULL, MT_DRUG_INGREDIENT);
    d->cephalexin = drug(m, rx, "cephalexin", 2231, NULL, NULL, MT_DRUG_INGREDIENT);
    d->alprazolam = drug(m, rx, "alprazolam", 596, NULL, NULL, MT_DRUG_INGREDIENT);
    /* A rare drug one edit away from a typo of sertraline: the prior must
    ** not let it beat an exact tier, and distance must rank first. */
    d->setraline_trap = drug(m, db, "setralin", 0, NULL, "DB99999", MT_DRUG_SUBSTANCE);
    /* Made up too: one edit from "cefalexen", which sounds like cephalexin
    ** (three edits): a sound-alike must not be offered next to it. */
    d->cefaloxen_trap = drug(m, db, "cefaloxen", 0, NULL, "DB99998", MT_DRUG_SUBSTANCE);
    d->amlodipine = drug(m, rx, "amlodipine", 17767, NULL, NULL, MT_DRUG_INGREDIENT);
    d->benazepril = drug(m, rx, "benazepril", 18867, NULL, NULL, MT_DRUG_INGREDIENT);

    name(m, rx, d->sertraline, MT_NAME_BRAND, "Zoloft", "82112");
    name(m, rx, d->ketamine, MT_NAME_BRAND, "Ketalar", "203196");
    name(m, rx, d->esketamine, MT_NAME_BRAND, "Spravato", "2119370");
    name(m, rx, d->acetaminophen, MT_NAME_BRAND, "Tylenol", NULL);
    name(m, intl, d->acetaminophen, MT_NAME_INTL, "paracétamol", NULL);
    name(m, db, d->ketamine, MT_NAME_SYNONYM, "Ketamina", NULL);
    /* esketamine's synonym has the key of ketamine's own name */
    name(m, db, d->esketamine, MT_NAME_SYNONYM, "(+)-Ketamine", NULL);
    name(m, rx, d->alprazolam, MT_NAME_BRAND, "Xanax", NULL);
    name(m, rx, d->metformin, MT_NAME_SALT, "metformin hydrochloride", NULL);

    product(m, rx, 312940, "sertraline 50 MG Oral Tablet", NULL, d->sertraline, MDL_NONE, 5, 100);
    product(m, rx, 208161, "sertraline 50 MG Oral Tablet [Zoloft]", "Zoloft", d->sertraline, MDL_NONE, 2, 200);
    product(m, rx, 861007, "metformin hydrochloride 500 MG Oral Tablet", NULL, d->metformin, MDL_NONE, 9, 300);
    product(m, rx, 198440, "acetaminophen 500 MG Oral Tablet", NULL, d->acetaminophen, MDL_NONE, 20, 400);
    product(m, rx, 1000, "ketamine 50 MG/ML Injectable Solution", NULL, d->ketamine, MDL_NONE, 1, 2143380);
    product(m, rx, 2000, "esketamine 28 MG Nasal Spray [Spravato]", "Spravato", d->esketamine, MDL_NONE, 6, 500);
    product(m, rx, 3000, "amlodipine 5 MG / benazepril hydrochloride 10 MG Oral Capsule", NULL,
            d->amlodipine, d->benazepril, 1, 600);
    product(m, rx, 4000, "cephalexin 500 MG Oral Capsule", NULL, d->cephalexin, MDL_NONE, 3, 700);
    return mt_test_failed_now() ? MT_EINVAL : MT_OK;
}

static const mt_kb_section_hook search_hooks[] = { mt_search_kb_sections, NULL };

/* Writes the small model with the search hook and opens it. */
static mt_kb *open_small(small *d, char path[256])
{
    mdl m;
    mt_buf err;
    mt_kb *kb = NULL;
    int rc;

    mt_buf_init(&err, 4096);
    mt_test_tmp_path(path, "search");
    if (small_model(&m, d) != MT_OK) {
        mdl_free(&m);
        mt_buf_free(&err);
        return NULL;
    }
    rc = mt_kb_write(&m, path, "search-test", &err, search_hooks);
    mdl_free(&m);
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "write: %s %s", mt_strerror(rc), mt_buf_str(&err));
        mt_buf_free(&err);
        return NULL;
    }
    rc = mt_kb_open(&kb, path, 0);
    if (rc != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "open: %s", mt_strerror(rc));
    mt_buf_reset(&err);
    if (kb && mt_search_kb_validate(kb, &err) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "validate: %s", mt_buf_str(&err));
    mt_buf_free(&err);
    return kb;
}

static void close_small(mt_kb *kb, const char *path)
{
    mt_kb_close(kb);
    unlink(path);
}

/* The top hit of a query, or a failure. */
static const mt_search_hit *top(mt_kb *kb, mt_search_results *r, const char *q)
{
    int rc = mt_search(kb, q, 5, 0, r);
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "\"%s\": %s", q, mt_strerror(rc));
        return NULL;
    }
    return &r->hits[0];
}

#define EXPECT_TOP(q, want_drug, want_tier) do { \
        const mt_search_hit *h_ = top(kb, &r, (q)); \
        if (h_ && (h_->drug != (want_drug) || h_->tier != (want_tier))) \
            mt_test_fail(__FILE__, __LINE__, "\"%s\": top is %s (%s, tier %s), want drug %u tier %s", (q), \
                         h_->drug_name, h_->name, mt_search_tier_name(h_->tier), (unsigned)(want_drug), \
                         mt_search_tier_name(want_tier)); \
    } while (0)

TEST(search_small_model_tiers)
{
    small d;
    char path[256];
    mt_search_results r;
    mt_kb *kb = open_small(&d, path);
    REQUIRE(kb);
    REQUIRE(mt_search_results_init(&r) == MT_OK);

    EXPECT_TOP("sertraline", d.sertraline, MT_SEARCH_TIER_EXACT);
    EXPECT_TOP("ZOLOFT", d.sertraline, MT_SEARCH_TIER_EXACT);
    CHECK_STR(r.hits[0].name, "Zoloft");
    CHECK_EQ_INT(r.hits[0].name_kind, MT_NAME_BRAND);
    CHECK_STR(r.hits[0].source, "rxnorm");
    CHECK_STR(r.hits[0].drug_name, "sertraline");
    EXPECT_TOP("Paracetamol", d.acetaminophen, MT_SEARCH_TIER_EXACT);
    CHECK_EQ_INT(r.hits[0].name_kind, MT_NAME_INTL);
    CHECK_STR(r.hits[0].source, "ansm");
    /* A salt form's own record resolves to its ingredient. */
    EXPECT_TOP("sertraline hydrochloride", d.sertraline, MT_SEARCH_TIER_EXACT);
    CHECK_EQ_INT(r.hits[0].name_drug, d.sertraline_hcl);
    /* One hit per drug: the salt is not repeated. The rare setralin, two
    ** edits from the normalized form "sertraline", is not offered: a name
    ** (sertraline itself) is within one edit of that form. */
    CHECK_EQ_INT(r.count, 1);
    /* Label strings. */
    EXPECT_TOP("sertraline hydrochloride 50 mg oral tablet", d.sertraline, MT_SEARCH_TIER_NORMALIZED);
    EXPECT_TOP("zoloft 50 mg tablet", d.sertraline, MT_SEARCH_TIER_NORMALIZED);
    CHECK_STR(r.hits[0].name, "Zoloft");
    EXPECT_TOP("sertraline 50 MG Oral Tablet", d.sertraline, MT_SEARCH_TIER_EXACT);
    EXPECT_TOP("benazepril and amlodipine", d.amlodipine, MT_SEARCH_TIER_NORMALIZED);
    /* Prefix: autocomplete from the first characters. */
    EXPECT_TOP("sert", d.sertraline, MT_SEARCH_TIER_PREFIX);
    EXPECT_TOP("Spr", d.esketamine, MT_SEARCH_TIER_PREFIX);
    EXPECT_TOP("k", d.ketamine, MT_SEARCH_TIER_PREFIX);
    /* Typos. */
    EXPECT_TOP("metfromin", d.metformin, MT_SEARCH_TIER_APPROXIMATE);
    CHECK_EQ_INT(r.hits[0].distance, 1);
    EXPECT_TOP("zolfot", d.sertraline, MT_SEARCH_TIER_APPROXIMATE);
    EXPECT_TOP("xanx", d.alprazolam, MT_SEARCH_TIER_APPROXIMATE);
    EXPECT_TOP("ketalr", d.ketamine, MT_SEARCH_TIER_APPROXIMATE);
    EXPECT_TOP("acetaminophin", d.acetaminophen, MT_SEARCH_TIER_APPROXIMATE);
    /* sertaline is 1 edit from sertraline and 2 from the rare setralin:
    ** closest names first, so the one two edits away is not offered. */
    EXPECT_TOP("sertaline", d.sertraline, MT_SEARCH_TIER_APPROXIMATE);
    CHECK_EQ_INT(r.count, 1);
    /* Two edits are still sought when no name is within one. */
    EXPECT_TOP("metfromni", d.metformin, MT_SEARCH_TIER_APPROXIMATE);
    CHECK_EQ_INT(r.hits[0].distance, 2);
    EXPECT_TOP("sretaline", d.sertraline, MT_SEARCH_TIER_APPROXIMATE);
    CHECK_EQ_INT(r.hits[0].distance, 2);
    EXPECT_TOP("setraline 50 mg tablet", d.sertraline, MT_SEARCH_TIER_APPROXIMATE);
    EXPECT_TOP("sefalexin", d.cephalexin, MT_SEARCH_TIER_PHONETIC);
    CHECK_EQ_INT(r.hits[0].distance, 3);
    /* Sound-alikes only when no name is within one edit. */
    EXPECT_TOP("cefalexen", d.cefaloxen_trap, MT_SEARCH_TIER_APPROXIMATE);
    CHECK_EQ_INT(r.count, 1);
    EXPECT_TOP("setralin", d.setraline_trap, MT_SEARCH_TIER_EXACT);
    EXPECT_TOP("sertralin hydro", d.sertraline, MT_SEARCH_TIER_FUZZY_PREFIX);
    /* Codes. */
    EXPECT_TOP("6130", d.ketamine, MT_SEARCH_TIER_CODE);
    CHECK_EQ_INT(r.hits[0].code_type, MT_SEARCH_CODE_RXCUI);
    EXPECT_TOP("82112", d.sertraline, MT_SEARCH_TIER_CODE);        /* brand RxCUI */
    CHECK_STR(r.hits[0].name, "Zoloft");
    EXPECT_TOP("312940", d.sertraline, MT_SEARCH_TIER_CODE);       /* product RxCUI */
    EXPECT_TOP("690g0d6v8h", d.ketamine, MT_SEARCH_TIER_CODE);
    CHECK_EQ_INT(r.hits[0].code_type, MT_SEARCH_CODE_UNII);
    EXPECT_TOP("DB01221", d.ketamine, MT_SEARCH_TIER_CODE);
    EXPECT_TOP("00002143380", d.ketamine, MT_SEARCH_TIER_CODE);    /* NDC-11 */
    CHECK_EQ_INT(r.hits[0].code_type, MT_SEARCH_CODE_NDC);
    CHECK_STR(r.hits[0].name, "ketamine 50 MG/ML Injectable Solution");
    EXPECT_TOP("00002-1433-80", d.ketamine, MT_SEARCH_TIER_CODE);  /* 5-4-2 */
    EXPECT_TOP("0002-1433-80", d.ketamine, MT_SEARCH_TIER_CODE);   /* 4-4-2 */
    EXPECT_TOP("0002143380", d.ketamine, MT_SEARCH_TIER_CODE);     /* 10 digits, no dashes */
    CHECK(mt_search(kb, "0002-143-380", 5, 0, &r) == MT_ENOTFOUND);  /* 4-3-3 is no NDC shape */
    /* Nothing. */
    CHECK(mt_search(kb, "qqqqqqqqq", 5, 0, &r) == MT_ENOTFOUND);
    CHECK_EQ_INT(r.count, 0);
    CHECK(mt_search(kb, "", 5, 0, &r) == MT_ENOTFOUND);
    CHECK(mt_search(kb, " -- ", 5, 0, &r) == MT_ENOTFOUND);
    CHECK(mt_search(NULL, "x", 5, 0, &r) == MT_EINVAL);
    mt_search_results_free(&r);
    close_small(kb, path);
}

TEST(search_ranking_is_tier_distance_prior_length_id)
{
    small d;
    char path[256];
    mt_search_results r, again;
    uint32_t i;
    mt_kb *kb = open_small(&d, path);
    REQUIRE(kb);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    REQUIRE(mt_search_results_init(&again) == MT_OK);

    /* "s": sertraline (7 products, 9 NDCs) before setralin (none), one
    ** hit per drug although sertraline has four names under "s". */
    REQUIRE(mt_search(kb, "s", 10, 0, &r) == MT_OK);
    CHECK_EQ_INT(r.count, 3);
    CHECK_EQ_INT(r.hits[0].drug, d.sertraline);
    CHECK_EQ_INT(r.hits[1].drug, d.esketamine);   /* via "spravato" */
    CHECK_EQ_INT(r.hits[2].drug, d.setraline_trap);
    CHECK(r.hits[0].prior > r.hits[1].prior && r.hits[1].prior > r.hits[2].prior);
    CHECK_EQ_INT(r.hits[2].prior, 0);
    /* Order holds over a mixed list, and the same query gives the same list. */
    REQUIRE(mt_search(kb, "setraline", 50, 0, &r) == MT_OK);
    REQUIRE(mt_search(kb, "setraline", 50, 0, &again) == MT_OK);
    CHECK_EQ_INT(r.hits[0].drug, d.sertraline);
    CHECK_EQ_INT(r.hits[0].distance, 1);
    CHECK_EQ_INT(r.hits[1].drug, d.setraline_trap);    /* distance 1 too, prior 0 */
    CHECK_EQ_INT(r.hits[1].tier, MT_SEARCH_TIER_APPROXIMATE);
    CHECK_EQ_INT(r.hits[1].distance, 1);
    CHECK_EQ_INT(r.count, again.count);
    for (i = 0; i < r.count; i++) {
        CHECK_EQ_INT(r.hits[i].drug, again.hits[i].drug);
        if (i > 0) {
            const mt_search_hit *a = &r.hits[i - 1], *b = &r.hits[i];
            unsigned aa = ms_authority(a->name_kind), ba = ms_authority(b->name_kind);
            CHECK(a->tier < b->tier || (a->tier == b->tier && (a->distance < b->distance ||
                  (a->distance == b->distance && (aa < ba || (aa == ba && a->prior >= b->prior))))));
        }
    }
    /* limit */
    REQUIRE(mt_search(kb, "s", 1, 0, &r) == MT_OK);
    CHECK_EQ_INT(r.count, 1);
    CHECK_EQ_INT(r.hits[0].drug, d.sertraline);
    mt_search_results_free(&again);
    mt_search_results_free(&r);
    close_small(kb, path);
}

TEST(search_own_name_outranks_another_drugs_synonym)
{
    small d;
    char path[256];
    mt_search_results r;
    mt_kb *kb = open_small(&d, path);
    REQUIRE(kb);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    /* "(+)-Ketamine", a synonym of esketamine, has the key "ketamine".
    ** esketamine is the more popular drug here (6 NDCs against 1), yet
    ** ketamine's own name comes first, in every tier that finds both. */
    REQUIRE(mt_search(kb, "ketamine", 5, 0, &r) == MT_OK);
    REQUIRE(r.count >= 2);
    CHECK_EQ_INT(r.hits[0].drug, d.ketamine);
    CHECK_EQ_INT(r.hits[0].name_kind, MT_NAME_PREFERRED);
    CHECK_EQ_INT(r.hits[1].drug, d.esketamine);
    CHECK_EQ_INT(r.hits[1].tier, MT_SEARCH_TIER_EXACT);
    CHECK(r.hits[1].prior > r.hits[0].prior);
    REQUIRE(mt_search(kb, "ketamnie", 5, 0, &r) == MT_OK);
    CHECK_EQ_INT(r.hits[0].drug, d.ketamine);
    REQUIRE(mt_search(kb, "ketam", 5, 0, &r) == MT_OK);
    CHECK_EQ_INT(r.hits[0].drug, d.ketamine);
    CHECK_EQ_INT(r.hits[0].tier, MT_SEARCH_TIER_PREFIX);
    CHECK_EQ_INT(ms_authority(MT_NAME_SYNONYM), 1);
    CHECK_EQ_INT(ms_authority(MT_NAME_BRAND), 0);
    CHECK(ms_prio(MT_NAME_BRAND, 0, 10) > ms_prio(MT_NAME_SYNONYM, 9999, 3));
    CHECK(ms_prio(MT_NAME_BRAND, 5, 10) > ms_prio(MT_NAME_BRAND, 4, 3));
    CHECK(ms_prio(MT_NAME_BRAND, 5, 3) > ms_prio(MT_NAME_BRAND, 5, 10));
    mt_search_results_free(&r);
    close_small(kb, path);
}

TEST(search_flags_and_suggestions)
{
    small d;
    char path[256];
    mt_search_results r;
    mt_kb *kb = open_small(&d, path);
    REQUIRE(kb);
    REQUIRE(mt_search_results_init(&r) == MT_OK);

    CHECK(mt_search(kb, "sertaline", 5, MT_SEARCH_EXACT_ONLY, &r) == MT_ENOTFOUND);
    CHECK(mt_search(kb, "sert", 5, MT_SEARCH_EXACT_ONLY, &r) == MT_ENOTFOUND);
    CHECK(mt_search(kb, "Zoloft 50 mg", 5, MT_SEARCH_EXACT_ONLY, &r) == MT_OK);
    CHECK(mt_search(kb, "6130", 5, MT_SEARCH_NO_CODES, &r) == MT_ENOTFOUND);
    CHECK(mt_search(kb, "sefalexin", 5, MT_SEARCH_NO_PHONETIC, &r) == MT_ENOTFOUND);
    CHECK(mt_search(kb, "metfromin", 5, MT_SEARCH_NO_APPROX | MT_SEARCH_NO_PHONETIC, &r) == MT_ENOTFOUND);
    CHECK(mt_search(kb, "sert", 5, MT_SEARCH_NO_PREFIX | MT_SEARCH_NO_APPROX, &r) == MT_ENOTFOUND);

    REQUIRE(mt_search_suggest(kb, "sertaline", 3, &r) == MT_OK);
    CHECK_EQ_INT(r.hits[0].drug, d.sertraline);
    REQUIRE(mt_search_suggest(kb, "ketamne", 3, &r) == MT_OK);
    CHECK_EQ_INT(r.hits[0].drug, d.ketamine);
    /* Suggestions allow distance 2 from 4 characters: "xnx" is too short,
    ** "xnxa" reaches xanax. */
    CHECK(mt_search(kb, "xnxa", 3, MT_SEARCH_NO_PHONETIC, &r) == MT_ENOTFOUND);
    REQUIRE(mt_search_suggest(kb, "xnxa", 3, &r) == MT_OK);
    CHECK_EQ_INT(r.hits[0].drug, d.alprazolam);
    mt_search_results_free(&r);
    close_small(kb, path);
}

TEST(search_kb_without_index_is_reported)
{
    mdl m;
    small d;
    char path[256];
    mt_kb *kb = NULL;
    mt_search_results r;
    static const mt_kb_section_hook none[] = { NULL };

    mt_test_tmp_path(path, "search-noindex");
    REQUIRE(small_model(&m, &d) == MT_OK);
    REQUIRE(mt_kb_write(&m, path, "t", NULL, none) == MT_OK);
    mdl_free(&m);
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    CHECK(mt_search(kb, "sertraline", 5, 0, &r) == MT_ECORRUPT);
    CHECK(mt_search_kb_validate(kb, NULL) == MT_OK);
    mt_search_results_free(&r);
    close_small(kb, path);
}

/* The bit-parallel comparison agrees with the banded one on random strings
** over a small alphabet (many repeats and transpositions). */
TEST(search_bitparallel_distance_agrees_with_banded)
{
    unsigned seed = 12345, t;
    for (t = 0; t < 20000; t++) {
        char a[24], b[24];
        size_t la, lb, i;
        unsigned maxd;
        ms_pattern p;
        ms_dist x, y;
        seed = seed * 1103515245u + 12345u;
        la = (seed >> 16) % 12;
        seed = seed * 1103515245u + 12345u;
        lb = (seed >> 16) % 14;
        for (i = 0; i < la; i++) {
            seed = seed * 1103515245u + 12345u;
            a[i] = "ab "[(seed >> 16) % 3];
        }
        for (i = 0; i < lb; i++) {
            seed = seed * 1103515245u + 12345u;
            b[i] = "ab "[(seed >> 16) % 3];
        }
        maxd = t % 4;
        REQUIRE(ms_pattern_init(&p, a, la));
        x = ms_distance(a, la, b, lb, maxd);
        y = ms_pattern_distance(&p, b, lb, maxd);
        if (x.full != y.full || x.prefix != y.prefix) {
            mt_test_fail(__FILE__, __LINE__, "\"%.*s\" vs \"%.*s\" maxd %u: banded %u/%u, bit-parallel %u/%u",
                         (int)la, a, (int)lb, b, maxd, x.full, x.prefix, y.full, y.prefix);
            return;
        }
    }
    {   /* the 64-byte limit */
        char big[65];
        ms_pattern p;
        memset(big, 'x', sizeof(big));
        CHECK(ms_pattern_init(&p, big, 64));
        CHECK_EQ_INT(ms_pattern_distance(&p, big, 64, 2).full, 0);
        CHECK_EQ_INT(ms_pattern_distance(&p, big, 63, 2).full, 1);
        CHECK(!ms_pattern_init(&p, big, 65));
    }
}

/* The section hook unwinds cleanly from every allocation failure (ASan
** checks for leaks under `make check`), and a failed write leaves no file. */
TEST(search_build_survives_allocation_failures)
{
    mdl m;
    small d;
    char path[256];
    unsigned long total;
    long n;
    int rc;

    mt_test_tmp_path(path, "search-alloc");
    REQUIRE(small_model(&m, &d) == MT_OK);
    mt_alloc_count_reset();
    REQUIRE(mt_kb_write(&m, path, "t", NULL, search_hooks) == MT_OK);
    total = mt_alloc_count();
    unlink(path);
    for (n = 0; n < (long)total; n++) {
        mt_alloc_fail_after(n);
        rc = mt_kb_write(&m, path, "t", NULL, search_hooks);
        mt_alloc_fail_after(-1);
        if (rc != MT_OK && rc != MT_ENOMEM) {
            mt_test_fail(__FILE__, __LINE__, "failure after %ld allocations: %s", n, mt_strerror(rc));
            break;
        }
        if (rc != MT_OK && access(path, F_OK) == 0) {
            mt_test_fail(__FILE__, __LINE__, "failure after %ld allocations left %s", n, path);
            break;
        }
        unlink(path);
    }
    mdl_free(&m);
    {
        mt_search_results r;
        mt_alloc_fail_after(0);
        CHECK(mt_search_results_init(&r) == MT_ENOMEM);
        mt_alloc_fail_after(-1);
        mt_search_results_free(&r);
    }
}
