/*
** test_pill.c — the pill identifier on a small model (lib/pill/): imprint
** normalization and folding, colour and shape words (and that
** docs/reference/pills.md lists every word), the index written by the section hook,
** searches with each kind of imprint damage, ranking, folding of other
** NDCs, near-misses, refusals, JSON, SVG (parsed with libxml2, escaping
** included), the validation of a damaged index, and allocation failures.
*/
#include <jansson.h>
#include <libxml/parser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "kb/testmodel.h"
#include "kbwrite/kbwrite.h"
#include "materia/pill.h"
#include "model/model.h"
#include "pill/pill_build.h"
#include "pill/pindex.h"
#include "pill/pwords.h"
#include "util/alloc.h"

/* --- normalization ---------------------------------------------------------- */

static const char *norm(const char *in)
{
    static char out[PI_NORM_MAX];
    pi_normalize(in, out, sizeof(out), NULL, NULL);
    return out;
}

TEST(pill_normalize_tokens_case_separators)
{
    unsigned ntok = 0, nchar = 0;
    char out[PI_NORM_MAX];
    CHECK_STR(norm("G;4960;25;MG"), "G 4960 25 MG");
    CHECK_STR(norm("g-4960 - 25mg"), "G 4960 25MG");
    CHECK_STR(norm("  ;;s 900;; "), "S 900");
    CHECK_STR(norm("W;EFFEXOR;XR;37.5"), "W EFFEXOR XR 37 5");
    CHECK_STR(norm("10/400;ADG"), "10 400 ADG");
    CHECK_STR(norm("Lotrel\xC2\xAE 2265"), "LOTREL 2265");      /* non-ASCII is a separator */
    CHECK_STR(norm(";-/"), "");
    CHECK_STR(norm(NULL), "");
    pi_normalize("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                 out, sizeof(out), &ntok, &nchar);
    CHECK_EQ_INT(ntok, 1);
    CHECK_EQ_INT(nchar, PI_NORM_MAX - 1);
    pi_normalize("MACRODANTIN;50;MG;52427;287", out, sizeof(out), &ntok, &nchar);
    CHECK_EQ_INT(ntok, 5);
    CHECK_EQ_INT(nchar, 23);
    /* cut at a token, never inside one */
    pi_normalize("AAAA BBBB CCCC", out, 10, &ntok, NULL);
    CHECK_STR(out, "AAAA BBBB");
    CHECK_EQ_INT(ntok, 2);
    pi_normalize("1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18", out, sizeof(out), &ntok, NULL);
    CHECK_EQ_INT(ntok, PI_TOK_MAX);
}

TEST(pill_fold_confusions)
{
    char s[] = "OQ0 IL1 Z2 S5 G6 B8 MXA";
    pi_fold(s, strlen(s));
    CHECK_STR(s, "000 111 22 55 66 88 MXA");
    CHECK(pi_char_mask("AB", 2) == 3);
    CHECK(pi_char_mask("09", 2) == ((UINT64_C(1) << 26) | (UINT64_C(1) << 35)));
}

/* --- colour and shape words --------------------------------------------------- */

static const char *color1(const char *text)
{
    pw_term t[PI_MAX_COLORS];
    unsigned n = 0;
    char err[160];
    if (pw_parse_colors(text, t, PI_MAX_COLORS, &n, err, sizeof(err)) != MT_OK || n != 1)
        return "(error)";
    return t[0].spl;
}

TEST(pill_color_words_map_to_spl)
{
    pw_term t[PI_MAX_COLORS];
    unsigned n = 0;
    char err[160];

    CHECK_STR(color1("white"), "WHITE");
    CHECK_STR(color1("Light Blue"), "BLUE");
    CHECK_STR(color1("navy"), "BLUE");
    CHECK_STR(color1("navy blue"), "BLUE");
    CHECK_STR(color1("off-white"), "WHITE");
    CHECK_STR(color1("off white"), "WHITE");
    CHECK_STR(color1("cream"), "WHITE");
    CHECK_STR(color1("tan"), "BROWN");
    CHECK_STR(color1("beige"), "BROWN");
    CHECK_STR(color1("peach"), "ORANGE");
    CHECK_STR(color1("grey"), "GRAY");
    CHECK_STR(color1("teal"), "TURQUOISE");
    CHECK_STR(color1("blue-green"), "TURQUOISE");
    CHECK_STR(color1("lavender"), "PURPLE");
    CHECK_STR(color1("dark red"), "RED");
    REQUIRE(pw_parse_colors("tan", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_OK);
    CHECK_STR(t[0].alt[0], "YELLOW");
    /* two-tone */
    REQUIRE(pw_parse_colors("blue and white", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_OK);
    REQUIRE_EQ_INT(n, 2);
    CHECK_STR(t[0].spl, "BLUE");
    CHECK_STR(t[1].spl, "WHITE");
    REQUIRE(pw_parse_colors("Blue/White", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_OK);
    CHECK_EQ_INT(n, 2);
    REQUIRE(pw_parse_colors("red, light-blue", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_OK);
    CHECK_EQ_INT(n, 2);
    CHECK_STR(t[1].spl, "BLUE");
    /* refusals say why */
    CHECK(pw_parse_colors("sparkly", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_EINVAL);
    CHECK_CONTAINS(err, "unknown colour \"sparkly\"");
    CHECK(pw_parse_colors("red white blue black", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_EINVAL);
    CHECK_CONTAINS(err, "more than 3 colours");
    CHECK(pw_parse_colors("light", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_EINVAL);
    CHECK(pw_parse_colors("", t, PI_MAX_COLORS, &n, err, sizeof(err)) == MT_EINVAL);
    CHECK(pw_parse_colors("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", t, PI_MAX_COLORS, &n, err,
                          sizeof(err)) == MT_EINVAL);
}

static const char *shape1(const char *text)
{
    static pw_term t;
    char err[160];
    return pw_parse_shape(text, &t, err, sizeof(err)) == MT_OK ? t.spl : "(error)";
}

TEST(pill_shape_words_map_to_spl)
{
    pw_term t;
    char err[200];
    CHECK_STR(shape1("round"), "ROUND");
    CHECK_STR(shape1("Round tablet"), "ROUND");
    CHECK_STR(shape1("circle"), "ROUND");
    CHECK_STR(shape1("oblong"), "CAPSULE");
    CHECK_STR(shape1("caplet"), "CAPSULE");
    CHECK_STR(shape1("capsule-shaped"), "CAPSULE");
    CHECK_STR(shape1("oval"), "OVAL");
    CHECK_STR(shape1("HEXAGON (6 SIDES)"), "HEXAGON (6 SIDES)");
    CHECK_STR(shape1("5-sided"), "PENTAGON (5 SIDES)");
    CHECK_STR(shape1("five sided"), "PENTAGON (5 SIDES)");
    CHECK_STR(shape1("semi-circle"), "SEMI-CIRCLE");
    CHECK_STR(shape1("double circle"), "DOUBLE CIRCLE");
    CHECK_STR(shape1("teardrop"), "TEAR");
    CHECK(pw_parse_shape("blob", &t, err, sizeof(err)) == MT_EINVAL);
    CHECK_CONTAINS(err, "unknown shape \"blob\"");
    CHECK(pw_shapes_near("OVAL", "CAPSULE"));
    CHECK(pw_shapes_near("CAPSULE", "OVAL"));
    CHECK(!pw_shapes_near("ROUND", "TRIANGLE"));
}

/* Every word of a table is listed in docs/reference/pills.md under its heading: the
** first cell of the table rows, comma-separated, compared without spaces and
** hyphens; and nothing is listed that the table lacks. */
static void check_doc_table(const char *heading, const pw_entry *table)
{
    FILE *f = fopen("docs/reference/pills.md", "r");
    char line[1024], words[200][32];
    unsigned n = 0, i;
    int in = 0;
    const pw_entry *e;

    if (!f) {
        mt_test_fail(__FILE__, __LINE__, "cannot read docs/reference/pills.md");
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        char *cell, *end, *w;
        if (strncmp(line, "## ", 3) == 0 || strncmp(line, "### ", 4) == 0)
            in = strstr(line, heading) != NULL;
        if (!in || line[0] != '|' || strstr(line, "---") || strstr(line, "| word"))
            continue;
        cell = line + 1;
        end = strchr(cell, '|');
        if (!end)
            continue;
        *end = '\0';
        for (w = cell; w && *w; ) {
            char *comma = strchr(w, ',');
            size_t k = 0;
            if (comma)
                *comma = '\0';
            for (; *w; w++) {
                char c = *w;
                if (c >= 'A' && c <= 'Z')
                    c = (char)(c - 'A' + 'a');
                if (((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) && k + 1 < sizeof(words[0]) && n < 200)
                    words[n][k++] = c;
            }
            if (k && n < 200)
                words[n++][k] = '\0';
            w = comma ? comma + 1 : NULL;
        }
    }
    fclose(f);
    for (e = table; e->word; e++) {
        int found = 0;
        for (i = 0; i < n && !found; i++)
            found = strcmp(words[i], e->word) == 0;
        if (!found)
            mt_test_fail(__FILE__, __LINE__, "docs/reference/pills.md \"%s\" does not list \"%s\"", heading, e->word);
    }
    for (i = 0; i < n; i++) {
        int found = 0;
        for (e = table; e->word && !found; e++)
            found = strcmp(words[i], e->word) == 0;
        if (!found)
            mt_test_fail(__FILE__, __LINE__, "docs/reference/pills.md \"%s\" lists \"%s\", which the code lacks", heading,
                         words[i]);
    }
}

TEST(pill_docs_list_every_word)
{
    check_doc_table("Colour words", pw_colors);
    check_doc_table("Shape words", pw_shapes);
}

/* --- a small model ---------------------------------------------------------------- */

typedef struct small {
    mdl_ref sertraline, alprazolam, oxycodone, acetaminophen, sertraline_hcl;
    uint32_t g4960, g4960b, s900, v2090, op10, barr658, weird, bare, zoloft, m360;
} small;

static void code(mdl *m, mdl_src s, const char *system, const char *c, const char *display, const char *hex)
{
    mdl_code k;
    memset(&k, 0, sizeof(k));
    k.system = system;
    k.code = c;
    k.display = display;
    k.hex = hex;
    k.cite = mdl_cite_make(m, s, "%s", c);
    if (mdl_code_add(m, &k) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "code %s", c);
}

static uint32_t pill(mdl *m, mdl_src s, const char *ndc, const char *name, mdl_ref product, mdl_ref drug,
                     const char *imprint, const char *color, const char *shape, float size, int score,
                     const char *schedule, uint8_t flags)
{
    mdl_pill p;
    memset(&p, 0, sizeof(p));
    p.ndc11 = ndc;
    p.name = name;
    p.product = product;
    p.drug = drug;
    p.imprint = imprint;
    p.color = color;
    p.shape = shape;
    p.size_mm = size;
    p.score = (int8_t)score;
    p.strength = "25 mg";
    p.labeler = "Greenstone LLC";
    p.schedule = schedule;
    p.flags = flags;
    p.cite = mdl_cite_make(m, s, "pill_color_imprint_dataset.csv line %u", m->pills.count + 2);
    if (mdl_pill_add(m, &p) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "pill %s", imprint ? imprint : "");
    return m->pills.count - 1;
}

static int small_model(mdl *m, small *d)
{
    mdl_source desc;
    mdl_src src;
    mdl_keys k;
    mdl_product pr;
    mdl_ref ser_prod, combo;
    static const char *const colors[][3] = {
        { "C48323", "BLACK", "000000" }, { "C48333", "BLUE", "0000FF" }, { "C48332", "BROWN", "964B00" },
        { "C48324", "GRAY", "808080" }, { "C48329", "GREEN", "008000" }, { "C48331", "ORANGE", "FFA500" },
        { "C48328", "PINK", "FFC0CB" }, { "C48327", "PURPLE", "800080" }, { "C48326", "RED", "FF0000" },
        { "C48334", "TURQUOISE", "30D5C8" }, { "C48325", "WHITE", "FFFFFF" }, { "C48330", "YELLOW", "FFFF00" }
    };
    static const char *const shapes[][2] = {
        { "C48336", "CAPSULE" }, { "C48345", "OVAL" }, { "C48347", "RECTANGLE" }, { "C48348", "ROUND" },
        { "C48343", "HEXAGON (6 SIDES)" }
    };
    size_t i;

    memset(d, 0, sizeof(*d));
    if (mdl_init(m) != MT_OK)
        return MT_ENOMEM;
    memset(&desc, 0, sizeof(desc));
    desc.id = "c3pi";
    desc.name = "NLM C3PI pill images";
    desc.edition = "2025-11";
    desc.licence = "public domain";
    desc.kind = "pills";
    if (mdl_source_add(m, &desc, &src) != MT_OK)
        return MT_ENOMEM;
    for (i = 0; i < sizeof(colors) / sizeof(colors[0]); i++)
        code(m, src, "SPL-COLOR", colors[i][0], colors[i][1], colors[i][2]);
    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
        code(m, src, "SPL-SHAPE", shapes[i][0], shapes[i][1], NULL);
    memset(&k, 0, sizeof(k));
    k.rxcui = 36437;
    mdl_drug_add(m, "sertraline", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM, mdl_cite_make(m, src, "x"), &d->sertraline);
    k.rxcui = 82728;
    mdl_drug_add(m, "sertraline hydrochloride", MT_DRUG_PRECISE, &k, MT_DRUGF_IN_RXNORM, mdl_cite_make(m, src, "x"),
                 &d->sertraline_hcl);
    m->drugs.items[d->sertraline_hcl].parent = d->sertraline;
    k.rxcui = 596;
    mdl_drug_add(m, "alprazolam", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM, mdl_cite_make(m, src, "x"), &d->alprazolam);
    k.rxcui = 7804;
    mdl_drug_add(m, "oxycodone", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM, mdl_cite_make(m, src, "x"), &d->oxycodone);
    k.rxcui = 161;
    mdl_drug_add(m, "acetaminophen", MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM, mdl_cite_make(m, src, "x"),
                 &d->acetaminophen);
    memset(&pr, 0, sizeof(pr));
    pr.rxcui = 312941;
    pr.tty = "SCD";
    pr.name = "sertraline 25 MG Oral Tablet";
    pr.cite = mdl_cite_make(m, src, "x");
    mdl_product_add(m, &pr, &ser_prod);
    mdl_product_ing_add(m, ser_prod, d->sertraline_hcl);     /* a salt: shown as its ingredient */
    pr.rxcui = 1049621;
    pr.name = "acetaminophen 500 MG / oxycodone hydrochloride 5 MG Oral Capsule";
    mdl_product_add(m, &pr, &combo);
    mdl_product_ing_add(m, combo, d->acetaminophen);
    mdl_product_ing_add(m, combo, d->oxycodone);

    d->g4960 = pill(m, src, "59762496001", "SERTRALINE 25 MG ORAL TABLET", ser_prod, d->sertraline,
                    "G;4960;25;MG", "GREEN", "OVAL", 0, 0, NULL, 0);
    d->g4960b = pill(m, src, "59762496002", "SERTRALINE 25 MG ORAL TABLET", ser_prod, d->sertraline,
                     "G;4960;25;MG", "GREEN", "OVAL", 0, 0, NULL, 0);
    d->s900 = pill(m, src, "67253090011", "ALPRAZOLAM 0.25 MG ORAL TABLET", MDL_NONE, d->alprazolam,
                   "S;900", "WHITE", "OVAL", 0, 0, "CIV", 0);
    d->v2090 = pill(m, src, "00603213028", "ALPRAZOLAM 2 MG ORAL TABLET", MDL_NONE, d->alprazolam,
                    "2090;V", "WHITE", "OVAL", 0, 0, "CIV", 0);
    d->op10 = pill(m, src, "00093573101", "12 HR OXYCODONE HYDROCHLORIDE 10 MG EXTENDED RELEASE ORAL TABLET",
                   MDL_NONE, d->oxycodone, "OP;10", "WHITE", "ROUND", 0, 0, "CII", 0);
    d->barr658 = pill(m, src, "00555065802", "ACETAMINOPHEN 500 MG / OXYCODONE HYDROCHLORIDE 5 MG ORAL CAPSULE",
                      combo, d->acetaminophen, "BARR;658", "RED, WHITE", "CAPSULE", 0, 0, "CII", 0);
    d->weird = pill(m, src, NULL, "A <b>\"bold\"</b> & 'odd' name \x01\xff", MDL_NONE, MDL_NONE,
                    "<&>;\"Q'", "PURPLE", "HEXAGON (6 SIDES)", 0, 0, NULL, 0);
    d->bare = pill(m, src, "11111111111", "UNKNOWN PINK ROUND", MDL_NONE, MDL_NONE, NULL, "PINK", "ROUND",
                   0, 0, NULL, 1 /* MDL_PILLF_LOW_CONFIDENCE */);
    d->zoloft = pill(m, src, "00049490050", "Zoloft 50 MG Oral Tablet", ser_prod, d->sertraline,
                     "ZOLOFT;50;MG", "BLUE", "OVAL", 10.3f, 2, NULL, 0);
    d->m360 = pill(m, src, "00406036001", "ACETAMINOPHEN 325 MG / HYDROCODONE BITARTRATE 7.5 MG ORAL TABLET",
                   MDL_NONE, d->acetaminophen, "M360", "WHITE", "CAPSULE", 0, 0, "CII", 0);
    return mt_test_failed_now() ? MT_EINVAL : MT_OK;
}

static const mt_kb_section_hook pill_hooks[] = { mt_pill_kb_sections, NULL };

static mt_kb *open_small(small *d, char path[256])
{
    mdl m;
    mt_buf err;
    mt_kb *kb = NULL;
    int rc;

    mt_buf_init(&err, 4096);
    mt_test_tmp_path(path, "pill");
    if (small_model(&m, d) != MT_OK) {
        mdl_free(&m);
        mt_buf_free(&err);
        mt_test_fail(__FILE__, __LINE__, "small model");
        return NULL;
    }
    rc = mt_kb_write(&m, path, "pill-test", &err, pill_hooks);
    mdl_free(&m);
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "write: %s %s", mt_strerror(rc), mt_buf_str(&err));
        mt_buf_free(&err);
        return NULL;
    }
    rc = mt_kb_open(&kb, path, 0);
    if (rc != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "open: %s", mt_strerror(rc));
    mt_buf_free(&err);
    return kb;
}

static void close_small(mt_kb *kb, const char *path)
{
    mt_kb_close(kb);
    unlink(path);
}

static int search(mt_kb *kb, mt_pill_results *r, const char *imprint, const char *color, const char *shape)
{
    mt_pill_query q;
    memset(&q, 0, sizeof(q));
    q.imprint = imprint;
    q.color = color;
    q.shape = shape;
    return mt_pill_search(kb, &q, 10, r);
}

/* The top hit of an imprint search, checked to be `pill` with `how`. */
static const mt_pill_hit *expect_top(mt_kb *kb, mt_pill_results *r, const char *imprint, uint32_t pill,
                                     int how, int line)
{
    int rc = search(kb, r, imprint, NULL, NULL);
    if (rc != MT_OK || r->count == 0) {
        mt_test_fail(__FILE__, line, "\"%s\": %s, %u results", imprint, mt_strerror(rc), r->count);
        return NULL;
    }
    if (r->hits[0].pill != pill || r->hits[0].imprint != how)
        mt_test_fail(__FILE__, line, "\"%s\": top pill %u (%s), want %u (%s)", imprint, r->hits[0].pill,
                     mt_pill_imprint_match_name(r->hits[0].imprint), pill, mt_pill_imprint_match_name(how));
    return &r->hits[0];
}

TEST(pill_search_imprint_tolerance)
{
    small d;
    char path[256];
    mt_kb *kb = open_small(&d, path);
    mt_pill_results r;
    const mt_pill_hit *h;

    REQUIRE(kb);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    /* separators, case, token order */
    h = expect_top(kb, &r, "g 4960 25mg", d.g4960, MT_PILL_IMPRINT_EXACT, __LINE__);
    CHECK(h && h->confidence == 100 && h->coverage == 100);
    CHECK(h && h->nsame == 1 && h->same[0] == d.g4960b);     /* the other NDC, folded in */
    CHECK_EQ_INT(r.count, 1);
    expect_top(kb, &r, "G-4960-25-MG", d.g4960, MT_PILL_IMPRINT_EXACT, __LINE__);
    expect_top(kb, &r, "g496025mg", d.g4960, MT_PILL_IMPRINT_EXACT, __LINE__);
    expect_top(kb, &r, "25 MG 4960 G", d.g4960, MT_PILL_IMPRINT_EXACT, __LINE__);
    expect_top(kb, &r, "v 2090", d.v2090, MT_PILL_IMPRINT_EXACT, __LINE__);
    expect_top(kb, &r, "V2090", d.v2090, MT_PILL_IMPRINT_EXACT, __LINE__);
    expect_top(kb, &r, "m 360", d.m360, MT_PILL_IMPRINT_EXACT, __LINE__);
    /* one side */
    h = expect_top(kb, &r, "G 4960", d.g4960, MT_PILL_IMPRINT_PARTIAL, __LINE__);
    CHECK(h && h->coverage == 55 && h->confidence < 100 && h->confidence > 70);
    /* look-alike characters */
    h = expect_top(kb, &r, "G 496O 25 MG", d.g4960, MT_PILL_IMPRINT_CONFUSION, __LINE__);
    CHECK(h && h->confusions == 1 && h->distance == 0);
    h = expect_top(kb, &r, "0P-1O", d.op10, MT_PILL_IMPRINT_CONFUSION, __LINE__);
    CHECK(h && h->confusions == 2);
    expect_top(kb, &r, "s9oo", d.s900, MT_PILL_IMPRINT_CONFUSION, __LINE__);
    /* a missing, extra or swapped character */
    h = expect_top(kb, &r, "G 496 25 MG", d.g4960, MT_PILL_IMPRINT_FUZZY, __LINE__);
    CHECK(h && h->distance == 1);
    expect_top(kb, &r, "G 49600 25 MG", d.g4960, MT_PILL_IMPRINT_FUZZY, __LINE__);
    expect_top(kb, &r, "G 4690 25 MG", d.g4960, MT_PILL_IMPRINT_FUZZY, __LINE__);
    expect_top(kb, &r, "BAR 658", d.barr658, MT_PILL_IMPRINT_FUZZY, __LINE__);
    /* three characters allow one edit; two, none */
    expect_top(kb, &r, "S 90", d.s900, MT_PILL_IMPRINT_FUZZY, __LINE__);
    REQUIRE(search(kb, &r, "S9", NULL, NULL) == MT_OK);
    CHECK_EQ_INT(r.count, 0);
    mt_pill_results_free(&r);
    close_small(kb, path);
}

TEST(pill_search_colors_shapes_sizes)
{
    small d;
    char path[256];
    mt_kb *kb = open_small(&d, path);
    mt_pill_results r;
    mt_pill_query q;
    uint32_t i;

    REQUIRE(kb);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    /* colour words that are not SPL's: off-white is WHITE */
    REQUIRE(search(kb, &r, "S 900", "off-white", "oval") == MT_OK);
    REQUIRE(r.count >= 1);
    CHECK_EQ_INT(r.hits[0].pill, d.s900);
    CHECK_EQ_INT(r.hits[0].color, MT_PILL_ATTR_MATCH);
    CHECK_EQ_INT(r.hits[0].shape, MT_PILL_ATTR_MATCH);
    CHECK_EQ_INT(r.hits[0].confidence, 100);
    /* a wrong colour keeps the imprint's answer, lower */
    REQUIRE(search(kb, &r, "S 900", "peach", NULL) == MT_OK);
    REQUIRE(r.count >= 1);
    CHECK_EQ_INT(r.hits[0].pill, d.s900);
    CHECK_EQ_INT(r.hits[0].color, MT_PILL_ATTR_MISMATCH);
    CHECK(r.hits[0].confidence < 60);
    /* "cream" is WHITE, YELLOW near; oblong is CAPSULE, OVAL near */
    REQUIRE(search(kb, &r, "S 900", "cream", "oblong") == MT_OK);
    CHECK(r.count >= 1 && r.hits[0].color == MT_PILL_ATTR_MATCH && r.hits[0].shape == MT_PILL_ATTR_NEAR);
    /* two-tone */
    REQUIRE(search(kb, &r, "barr 658", "red and white", "capsule") == MT_OK);
    CHECK(r.count >= 1 && r.hits[0].color == MT_PILL_ATTR_MATCH && r.hits[0].confidence == 100);
    REQUIRE(search(kb, &r, "barr 658", "maroon", NULL) == MT_OK);
    CHECK(r.count >= 1 && r.hits[0].color == MT_PILL_ATTR_PARTIAL);
    /* without an imprint, colour and shape filter: white ovals, then the
    ** white capsules (a near shape), then the red and white one */
    REQUIRE(search(kb, &r, NULL, "white", "oval") == MT_OK);
    REQUIRE_EQ_INT(r.count, 4);
    for (i = 0; i < 2; i++)
        CHECK((r.hits[i].pill == d.s900 || r.hits[i].pill == d.v2090) && r.hits[i].confidence == 40);
    CHECK(r.hits[2].pill == d.m360 && r.hits[2].shape == MT_PILL_ATTR_NEAR);
    CHECK(r.hits[3].pill == d.barr658 && r.hits[3].color == MT_PILL_ATTR_PARTIAL);
    REQUIRE(search(kb, &r, NULL, NULL, "oblong") == MT_OK);          /* capsules, then near ovals */
    REQUIRE(r.count >= 2);
    CHECK_EQ_INT(r.hits[0].shape, MT_PILL_ATTR_MATCH);
    CHECK_EQ_INT(r.hits[r.count - 1].shape, MT_PILL_ATTR_NEAR);
    REQUIRE(search(kb, &r, NULL, "pink", "round") == MT_OK);          /* the low-confidence pill */
    REQUIRE_EQ_INT(r.count, 1);
    CHECK_EQ_INT(r.hits[0].pill, d.bare);
    CHECK(r.hits[0].confidence < 40);
    REQUIRE(search(kb, &r, NULL, "black", "triangle") == MT_OK);     /* nothing: near-misses */
    CHECK_EQ_INT(r.count, 0);
    /* size and score */
    memset(&q, 0, sizeof(q));
    q.imprint = "zoloft 50";
    q.size_mm = 10;
    q.score = 2;
    REQUIRE(mt_pill_search(kb, &q, 5, &r) == MT_OK);
    REQUIRE(r.count >= 1);
    CHECK_EQ_INT(r.hits[0].pill, d.zoloft);
    CHECK_EQ_INT(r.hits[0].size, MT_PILL_ATTR_MATCH);
    CHECK_EQ_INT(r.hits[0].score, MT_PILL_ATTR_MATCH);
    q.size_mm = 14;
    q.score = 1;
    REQUIRE(mt_pill_search(kb, &q, 5, &r) == MT_OK);
    CHECK(r.count >= 1 && r.hits[0].size == MT_PILL_ATTR_MISMATCH && r.hits[0].score == MT_PILL_ATTR_MISMATCH);
    q.imprint = "S 900";                              /* no size in its record */
    REQUIRE(mt_pill_search(kb, &q, 5, &r) == MT_OK);
    CHECK(r.count >= 1 && r.hits[0].size == MT_PILL_ATTR_UNKNOWN);
    mt_pill_results_free(&r);
    close_small(kb, path);
}

TEST(pill_search_refusals_and_near_misses)
{
    small d;
    char path[256];
    mt_kb *kb = open_small(&d, path);
    mt_pill_results r;
    mt_pill_query q;

    REQUIRE(kb);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    /* an imprint that matches nothing: no results, near-misses, MT_OK */
    REQUIRE(search(kb, &r, "ZOLOFT 75 MG XR", NULL, NULL) == MT_OK);
    CHECK_EQ_INT(r.count, 0);
    REQUIRE(r.nnear >= 1);
    CHECK_EQ_INT(r.near[0].pill, d.zoloft);
    CHECK_EQ_INT(r.near[0].imprint, MT_PILL_IMPRINT_NEAR_MISS);
    CHECK(r.near[0].distance > 2);
    REQUIRE(search(kb, &r, "QQQQQQQQQQQ", NULL, NULL) == MT_OK);   /* nothing close either */
    CHECK_EQ_INT(r.count, 0);
    /* refusals */
    CHECK(search(kb, &r, "S 900", "sparkly", NULL) == MT_EINVAL);
    CHECK_CONTAINS(r.error, "unknown colour \"sparkly\"");
    CHECK(search(kb, &r, NULL, NULL, "blob") == MT_EINVAL);
    CHECK_CONTAINS(r.error, "unknown shape");
    CHECK(search(kb, &r, ";-;", NULL, NULL) == MT_EINVAL);
    CHECK(search(kb, &r, NULL, NULL, NULL) == MT_EINVAL);
    CHECK(search(kb, &r, "", "", "") == MT_EINVAL);
    memset(&q, 0, sizeof(q));
    q.size_mm = -1;
    CHECK(mt_pill_search(kb, &q, 5, &r) == MT_EINVAL);
    q.size_mm = 0;
    q.score = 12;
    CHECK(mt_pill_search(kb, &q, 5, &r) == MT_EINVAL);
    CHECK(mt_pill_search(kb, NULL, 5, &r) == MT_EINVAL);
    CHECK(mt_pill_search(NULL, &q, 5, &r) == MT_EINVAL);
    CHECK(mt_pill_search(kb, &q, 5, NULL) == MT_EINVAL);
    /* a long query is read up to its cap */
    {
        char longq[600];
        memset(longq, 'A', sizeof(longq) - 1);
        longq[sizeof(longq) - 1] = '\0';
        CHECK(search(kb, &r, longq, NULL, NULL) == MT_OK);
    }
    mt_pill_results_free(&r);
    close_small(kb, path);
}

TEST(pill_kb_without_index_is_reported)
{
    mdl m;
    small d;
    char path[256];
    mt_kb *kb = NULL;
    mt_pill_results r;
    static const mt_kb_section_hook none[] = { NULL };

    mt_test_tmp_path(path, "pill-noindex");
    REQUIRE(small_model(&m, &d) == MT_OK);
    REQUIRE(mt_kb_write(&m, path, "t", NULL, none) == MT_OK);
    mdl_free(&m);
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_pill_results_init(&r) == MT_OK);
    CHECK(search(kb, &r, "S 900", NULL, NULL) == MT_ECORRUPT);
    CHECK(mt_pill_kb_validate(kb, NULL) == MT_OK);
    mt_pill_results_free(&r);
    close_small(kb, path);
}

/* --- JSON ---------------------------------------------------------------------------- */

static json_t *search_json(mt_kb *kb, const char *imprint, const char *color, const char *shape)
{
    mt_pill_query q;
    mt_pill_results r;
    mt_buf b;
    json_t *j = NULL;
    json_error_t e;

    memset(&q, 0, sizeof(q));
    q.imprint = imprint;
    q.color = color;
    q.shape = shape;
    if (mt_pill_results_init(&r) != MT_OK)
        return NULL;
    mt_buf_init(&b, 1u << 20);
    if (mt_pill_search(kb, &q, 10, &r) == MT_OK && mt_pill_json(kb, &q, &r, 0, &b) == MT_OK) {
        j = json_loadb(b.data, b.len, 0, &e);
        if (!j)
            mt_test_fail(__FILE__, __LINE__, "JSON: %s", e.text);
    }
    mt_buf_free(&b);
    mt_pill_results_free(&r);
    return j;
}

TEST(pill_json_names_drugs_sources_and_matches)
{
    small d;
    char path[256];
    mt_kb *kb = open_small(&d, path);
    json_t *j, *hit, *drugs;

    REQUIRE(kb);
    j = search_json(kb, "barr-658", "red/white", "capsule");
    REQUIRE(j);
    CHECK_EQ_INT(json_integer_value(json_object_get(j, "count")), 1);
    hit = json_array_get(json_object_get(j, "results"), 0);
    REQUIRE(hit);
    CHECK_EQ_INT(json_integer_value(json_object_get(hit, "id")), d.barr658);
    CHECK_STR(json_string_value(json_object_get(json_object_get(hit, "match"), "imprint")), "exact");
    CHECK_STR(json_string_value(json_object_get(json_object_get(hit, "match"), "color")), "match");
    CHECK_CONTAINS(json_string_value(json_object_get(hit, "explanation")), "colour RED, WHITE matches");
    drugs = json_object_get(hit, "drugs");
    REQUIRE_EQ_INT(json_array_size(drugs), 2);                /* the combination's ingredients */
    CHECK_STR(json_string_value(json_object_get(json_array_get(drugs, 0), "name")), "acetaminophen");
    CHECK_STR(json_string_value(json_object_get(json_array_get(drugs, 1), "name")), "oxycodone");
    CHECK_EQ_INT(json_integer_value(json_object_get(json_array_get(drugs, 1), "rxcui")), 7804);
    CHECK_STR(json_string_value(json_object_get(hit, "schedule")), "CII");
    CHECK_STR(json_string_value(json_object_get(hit, "ndc")), "00555065802");
    CHECK_STR(json_string_value(json_object_get(hit, "form")), "Oral Capsule");
    CHECK_STR(json_string_value(json_object_get(hit, "form_from")), "name");
    CHECK_STR(json_string_value(json_object_get(hit, "source")), "c3pi");
    CHECK_CONTAINS(json_string_value(json_object_get(hit, "record")), "pill_color_imprint_dataset.csv line");
    CHECK_STR(json_string_value(json_object_get(hit, "svg")), "/api/v1/pills/5.svg");
    CHECK_EQ_INT(json_array_size(json_object_get(json_object_get(j, "query"), "colors")), 2);
    CHECK(json_object_get(json_object_get(j, "sources"), "c3pi") != NULL);
    json_decref(j);

    /* a salt in a product is named as its ingredient; other NDCs listed */
    j = search_json(kb, "G4960 25MG", NULL, NULL);
    REQUIRE(j);
    hit = json_array_get(json_object_get(j, "results"), 0);
    REQUIRE(hit);
    drugs = json_object_get(hit, "drugs");
    REQUIRE_EQ_INT(json_array_size(drugs), 1);
    CHECK_STR(json_string_value(json_object_get(json_array_get(drugs, 0), "name")), "sertraline");
    CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(hit, "other_ndcs"), "total")), 1);
    CHECK_STR(json_string_value(json_array_get(json_object_get(json_object_get(hit, "other_ndcs"), "items"), 0)),
              "59762496002");
    CHECK_EQ_INT(json_integer_value(json_object_get(json_object_get(hit, "product"), "rxcui")), 312941);
    CHECK(json_is_null(json_object_get(hit, "schedule")));
    json_decref(j);

    /* near-misses have the same shape */
    j = search_json(kb, "ZOLOFT 75 MG XR", NULL, NULL);
    REQUIRE(j);
    CHECK_EQ_INT(json_array_size(json_object_get(j, "results")), 0);
    CHECK(json_array_size(json_object_get(j, "near_misses")) >= 1);
    CHECK_STR(json_string_value(json_object_get(json_object_get(json_array_get(json_object_get(j, "near_misses"), 0),
                                                                "match"), "imprint")), "near_miss");
    json_decref(j);
    close_small(kb, path);
}

/* --- SVG ------------------------------------------------------------------------------ */

static xmlDocPtr parse_svg(const mt_buf *b)
{
    return xmlReadMemory(b->data, (int)b->len, "pill.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                         XML_PARSE_NOWARNING);
}

TEST(pill_svg_is_well_formed_and_escaped)
{
    small d;
    char path[256];
    mt_kb *kb = open_small(&d, path);
    mt_buf b;
    uint32_t i, n;
    xmlDocPtr doc;

    REQUIRE(kb);
    mt_buf_init(&b, 1u << 20);
    n = mt_kb_count(kb, KB_T_PILLS);
    for (i = 0; i < n; i++) {
        mt_buf_reset(&b);
        REQUIRE(mt_pill_svg(kb, i, &b) == MT_OK);
        doc = parse_svg(&b);
        if (!doc) {
            mt_test_fail(__FILE__, __LINE__, "pill %u: not well-formed: %s", i, mt_buf_str(&b));
            continue;
        }
        CHECK_STR((const char *)xmlDocGetRootElement(doc)->name, "svg");
        xmlFreeDoc(doc);
    }
    /* the imprint "<&>;\"Q'" and the name with markup, a control byte and invalid UTF-8 */
    mt_buf_reset(&b);
    REQUIRE(mt_pill_svg(kb, d.weird, &b) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&b), "&lt;&amp;&gt; &quot;Q&#39;");
    CHECK_CONTAINS(mt_buf_str(&b), "A &lt;b&gt;&quot;bold&quot;&lt;/b&gt; &amp; &#39;odd&#39; name \xEF\xBF\xBD");
    CHECK(strchr(mt_buf_str(&b), '\x01') == NULL);
    CHECK_CONTAINS(mt_buf_str(&b), "<polygon");               /* a hexagon */
    CHECK_CONTAINS(mt_buf_str(&b), "#800080");                /* SPL purple */
    /* two-tone capsule: two bands, red and white */
    mt_buf_reset(&b);
    REQUIRE(mt_pill_svg(kb, d.barr658, &b) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&b), "fill=\"#FF0000\"");
    CHECK_CONTAINS(mt_buf_str(&b), "fill=\"#FFFFFF\"");
    CHECK_CONTAINS(mt_buf_str(&b), "rx=\"42\"");              /* capsule body */
    CHECK_CONTAINS(mt_buf_str(&b), ">BARR 658<");
    /* scored: a score line; no imprint: no text, dashed outline for the unknown colour? no: known */
    mt_buf_reset(&b);
    REQUIRE(mt_pill_svg(kb, d.zoloft, &b) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&b), "M120 0 V160");
    mt_buf_reset(&b);
    REQUIRE(mt_pill_svg(kb, d.bare, &b) == MT_OK);
    CHECK(strstr(mt_buf_str(&b), "<text") == NULL);
    CHECK(mt_pill_svg(kb, n, &b) == MT_ENOTFOUND);
    CHECK(mt_pill_svg(kb, UINT32_MAX, &b) == MT_ENOTFOUND);
    CHECK(mt_pill_svg(NULL, 0, &b) == MT_EINVAL);
    mt_buf_free(&b);
    close_small(kb, path);
}

/* --- the index is validated at open ------------------------------------------------------ */

TEST(pill_index_damage_is_refused)
{
    small d;
    char path[256], detail[256];
    mt_kb *kb = open_small(&d, path), *bad = NULL;
    unsigned char *data = NULL, *copy = NULL;
    size_t size = 0;
    const void *p;
    uint32_t n;
    size_t off;

    REQUIRE(kb);
    REQUIRE(mt_test_read_file(path, &data, &size) == MT_OK);
    mt_kb_close(kb);
    kb = NULL;
    REQUIRE(mt_kb_open_mem(&kb, data, size, 0, NULL, 0) == MT_OK);
    REQUIRE(mt_kb_section(kb, PI_SEC_PILLS, sizeof(pi_pill), &p, &n) == MT_OK);
    off = (size_t)((const unsigned char *)p - data);
    REQUIRE(n > 3);
    copy = mt_malloc(size);
    REQUIRE(copy);
    /* a group pointing forward */
    memcpy(copy, data, size);
    ((pi_pill *)(void *)(copy + off))[1].group = 3;
    CHECK(mt_kb_open_mem(&bad, copy, size, MT_KB_VERIFY_NONE, detail, sizeof(detail)) == MT_ECORRUPT);
    CHECK_CONTAINS(detail, "pill index");
    /* a colour that is not an SPL colour code */
    memcpy(copy, data, size);
    ((pi_pill *)(void *)(copy + off))[0].color[0] = 60000;
    CHECK(mt_kb_open_mem(&bad, copy, size, MT_KB_VERIFY_NONE, detail, sizeof(detail)) == MT_ECORRUPT);
    /* a character set that does not match */
    memcpy(copy, data, size);
    ((pi_pill *)(void *)(copy + off))[0].mask ^= 1;
    CHECK(mt_kb_open_mem(&bad, copy, size, MT_KB_VERIFY_NONE, detail, sizeof(detail)) == MT_ECORRUPT);
    /* a posting out of range */
    REQUIRE(mt_kb_section(kb, PI_SEC_POST, sizeof(uint32_t), &p, &n) == MT_OK);
    off = (size_t)((const unsigned char *)p - data);
    memcpy(copy, data, size);
    ((uint32_t *)(void *)(copy + off))[0] = 1000000;
    CHECK(mt_kb_open_mem(&bad, copy, size, MT_KB_VERIFY_NONE, detail, sizeof(detail)) == MT_ECORRUPT);
    /* keys out of order */
    REQUIRE(mt_kb_section(kb, PI_SEC_KEYS, sizeof(pi_key), &p, &n) == MT_OK);
    off = (size_t)((const unsigned char *)p - data);
    memcpy(copy, data, size);
    ((pi_key *)(void *)(copy + off))[0].key = UINT64_MAX;
    CHECK(mt_kb_open_mem(&bad, copy, size, MT_KB_VERIFY_NONE, detail, sizeof(detail)) == MT_ECORRUPT);
    if (bad)
        mt_kb_close(bad);
    mt_kb_close(kb);
    mt_free(copy);
    mt_free(data);
    unlink(path);
}

/* --- allocation failures --------------------------------------------------------------------- */

TEST(pill_build_and_query_survive_allocation_failures)
{
    mdl m;
    small d;
    char path[256];
    mt_buf err;
    long n;
    int rc = MT_ENOMEM, done = 0;
    mt_kb *kb = NULL;

    mt_test_tmp_path(path, "pill-alloc");
    REQUIRE(small_model(&m, &d) == MT_OK);
    mt_buf_init(&err, 4096);
    for (n = 0; n < 100000 && !done; n++) {
        mt_buf_reset(&err);
        mt_alloc_fail_after(n);
        rc = mt_kb_write(&m, path, "t", &err, pill_hooks);
        mt_alloc_fail_after(-1);
        if (rc == MT_OK)
            done = 1;
        else if (rc != MT_ENOMEM)
            break;
    }
    mdl_free(&m);
    mt_buf_free(&err);
    REQUIRE(rc == MT_OK);
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    for (n = 0, done = 0; n < 1000 && !done; n++) {
        mt_pill_results r;
        mt_pill_query q;
        mt_buf b;
        memset(&q, 0, sizeof(q));
        q.imprint = "barr 658";
        q.color = "red";
        mt_buf_init(&b, 1u << 20);
        mt_alloc_fail_after(n);
        rc = mt_pill_results_init(&r);
        if (rc == MT_OK) {
            rc = mt_pill_search(kb, &q, 5, &r);
            if (rc == MT_OK)
                rc = mt_pill_json(kb, &q, &r, 1, &b);
            if (rc == MT_OK)
                rc = mt_pill_text(kb, &q, &r, &b);
            if (rc == MT_OK)
                rc = mt_pill_svg(kb, d.barr658, &b);
        }
        mt_alloc_fail_after(-1);
        mt_pill_results_free(&r);
        mt_buf_free(&b);
        CHECK(rc == MT_OK || rc == MT_ENOMEM);
        done = rc == MT_OK;
    }
    CHECK(done);
    mt_kb_close(kb);
    unlink(path);
}
