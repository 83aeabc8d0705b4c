/*
** fuzz_pill.c — libFuzzer target for the pill identifier (lib/pill): arbitrary
** bytes as an imprint, colour and shape (split at the first two newlines; the
** last byte, when the input has three parts, also gives a size and a score)
** against a small knowledge base built once at start-up. Checks, besides
** memory safety, what the API promises: MT_OK or MT_EINVAL with a reason, at
** most `limit` results in rank order (confidence not increasing), pills in
** range, near-misses only when there are no results; the JSON parses; the
** drawing of each result parses as XML.
**
** Seeds: fuzz/corpus/fuzz_pill/ (real imprints, colour and shape words).
*/
#include <jansson.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kb/kb_internal.h"
#include "kbwrite/kbwrite.h"
#include "materia/pill.h"
#include "model/model.h"
#include "util/alloc.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mt_kb *kb;
static mt_pill_results res;

static void code(mdl *m, mdl_src s, const char *system, const char *c, const char *display, const char *hex)
{
    mdl_code k;
    memset(&k, 0, sizeof(k));
    k.system = system;
    k.code = c;
    k.display = display;
    k.hex = hex;
    k.cite = mdl_cite_make(m, s, "%s", c);
    mdl_code_add(m, &k);
}

static void pill(mdl *m, mdl_src s, mdl_ref drug, const char *imprint, const char *color, const char *shape,
                 float size, int score)
{
    mdl_pill p;
    memset(&p, 0, sizeof(p));
    p.name = imprint;
    p.drug = drug;
    p.product = MDL_NONE;
    p.imprint = imprint;
    p.color = color;
    p.shape = shape;
    p.size_mm = size;
    p.score = (int8_t)score;
    p.cite = mdl_cite_make(m, s, "pill %u", m->pills.count);
    mdl_pill_add(m, &p);
}

static void build_kb(void)
{
    static const char *const colors[][3] = {
        { "C48323", "BLACK", "000000" }, { "C48333", "BLUE", "0000FF" }, { "C48332", "BROWN", "964B00" },
        { "C48324", "GRAY", "808080" }, { "C48329", "GREEN", "008000" }, { "C48331", "ORANGE", "FFA500" },
        { "C48328", "PINK", "FFC0CB" }, { "C48327", "PURPLE", "800080" }, { "C48326", "RED", "FF0000" },
        { "C48334", "TURQUOISE", "30D5C8" }, { "C48325", "WHITE", "FFFFFF" }, { "C48330", "YELLOW", "FFFF00" }
    };
    static const char *const shapes[][2] = {
        { "C48335", "BULLET" }, { "C48336", "CAPSULE" }, { "C48337", "CLOVER" }, { "C48338", "DIAMOND" },
        { "C48339", "DOUBLE CIRCLE" }, { "C48340", "FREEFORM" }, { "C48341", "GEAR" },
        { "C48342", "HEPTAGON (7 SIDES)" }, { "C48343", "HEXAGON (6 SIDES)" }, { "C48344", "OCTAGON (8 SIDES)" },
        { "C48345", "OVAL" }, { "C48346", "PENTAGON (5 SIDES)" }, { "C48347", "RECTANGLE" }, { "C48348", "ROUND" },
        { "C48349", "SEMI-CIRCLE" }, { "C48350", "SQUARE" }, { "C48351", "TEAR" }, { "C48352", "TRAPEZOID" },
        { "C48353", "TRIANGLE" }
    };
    mdl m;
    mdl_source d;
    mdl_src s;
    mdl_keys k;
    mdl_ref ser = 0, alp = 0;
    char path[] = "/tmp/materia-fuzz-pill-XXXXXX";
    size_t i;
    int fd;

    if (mdl_init(&m) != MT_OK)
        abort();
    memset(&d, 0, sizeof(d));
    d.id = "c3pi";
    d.name = "C3PI";
    if (mdl_source_add(&m, &d, &s) != MT_OK)
        abort();
    for (i = 0; i < sizeof(colors) / sizeof(colors[0]); i++)
        code(&m, s, "SPL-COLOR", colors[i][0], colors[i][1], colors[i][2]);
    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
        code(&m, s, "SPL-SHAPE", shapes[i][0], shapes[i][1], NULL);
    memset(&k, 0, sizeof(k));
    k.rxcui = 36437;
    mdl_drug_add(&m, "sertraline", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(&m, s, "x"), &ser);
    k.rxcui = 596;
    mdl_drug_add(&m, "alprazolam", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(&m, s, "x"), &alp);
    pill(&m, s, ser, "G;4960;25;MG", "GREEN", "OVAL", 0, 0);
    pill(&m, s, ser, "G;4960;25;MG", "GREEN", "OVAL", 0, 0);
    pill(&m, s, ser, "ZOLOFT;50;MG", "BLUE", "OVAL", 10.3f, 2);
    pill(&m, s, alp, "S;900", "WHITE", "OVAL", 0, 0);
    pill(&m, s, alp, "2090;V", "WHITE", "OVAL", 0, 0);
    pill(&m, s, alp, "<&>;\"'\x01\xff", "PURPLE, YELLOW", "GEAR", 7, 4);
    pill(&m, s, MDL_NONE, NULL, "PINK", "ROUND", 0, 0);
    pill(&m, s, MDL_NONE, "MYLAN;1010;MYLAN;1010;A;B;C;D;E;F;G;H;I;J;K;L;M;N", "BLUE, WHITE", "CAPSULE", 21, 1);
    for (i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++)
        pill(&m, s, ser, shapes[i][1], colors[i % 12][1], shapes[i][1], (float)i, (int)(i % 5));
    fd = mkstemp(path);
    if (fd < 0)
        abort();
    close(fd);
    if (mt_kb_write(&m, path, "fuzz", NULL, NULL) != MT_OK || mt_kb_open(&kb, path, 0) != MT_OK)
        abort();
    unlink(path);
    mdl_free(&m);
    if (mt_pill_results_init(&res) != MT_OK)
        abort();
}

static void check_svg(uint32_t pill_id)
{
    mt_buf b;
    xmlDocPtr doc;
    mt_buf_init(&b, 1u << 20);
    if (mt_pill_svg(kb, pill_id, &b) != MT_OK)
        abort();
    doc = xmlReadMemory(b.data, (int)b.len, "pill.svg", NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                        XML_PARSE_NOWARNING);
    if (!doc)
        abort();
    xmlFreeDoc(doc);
    mt_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text, *color = NULL, *shape = NULL, *nl;
    mt_pill_query q;
    unsigned limit, i;
    mt_buf out;
    json_t *j;
    int rc;

    if (!kb)
        build_kb();
    if (size > 512)
        return 0;
    text = mt_malloc(size + 1);
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    memset(&q, 0, sizeof(q));
    q.imprint = text;
    if ((nl = strchr(text, '\n')) != NULL) {
        *nl = '\0';
        color = nl + 1;
        if ((nl = strchr(color, '\n')) != NULL) {
            *nl = '\0';
            shape = nl + 1;
            if (size > 0) {
                q.size_mm = data[size - 1] % 32;
                q.score = data[size - 1] % 11;   /* 10 is refused */
            }
        }
    }
    q.color = color;
    q.shape = shape;
    limit = size ? 1u + data[0] % 12 : 10;
    rc = mt_pill_search(kb, &q, limit, &res);
    if (rc == MT_EINVAL) {
        if (!res.error[0] || res.count || res.nnear)
            abort();
        mt_free(text);
        return 0;
    }
    if (rc != MT_OK || res.count > limit || (res.count && res.nnear) || res.nnear > MT_PILL_MAX_NEAR)
        abort();
    for (i = 0; i < res.count; i++) {
        if (res.hits[i].pill >= mt_kb_count(kb, KB_T_PILLS) || res.hits[i].confidence > 100 ||
            (i && res.hits[i].confidence > res.hits[i - 1].confidence))
            abort();
        if (i < 2)
            check_svg(res.hits[i].pill);
    }
    for (i = 0; i < res.nnear; i++)
        if (res.near[i].pill >= mt_kb_count(kb, KB_T_PILLS))
            abort();
    mt_buf_init(&out, 1u << 22);
    if (mt_pill_json(kb, &q, &res, 0, &out) != MT_OK || mt_pill_text(kb, &q, &res, &out) != MT_OK)
        abort();
    j = json_loadb(out.data, strlen(out.data), JSON_DISABLE_EOF_CHECK, NULL);
    if (!j)
        abort();
    json_decref(j);
    mt_buf_free(&out);
    mt_free(text);
    return 0;
}
