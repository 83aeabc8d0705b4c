/*
** jsoncheck.c — a tiny JSON checker for the CLI tests (t/cli/run.sh), so that
** they need neither jq nor python3 on a fresh machine: jansson is already a
** build dependency.
**
**   jsoncheck EXPR... < file.json
**
** Exits 0 when stdin is one valid JSON document and every EXPR holds, else 1
** with the first failure on stderr. An EXPR is a PATH of dotted keys and
** array indexes ("drug.rxcui", "products.items.0.ndcs.total") followed by:
**   (nothing)   the path exists;
**   =VALUE      its value, as text (strings bare, numbers and true/false/null
**               as JSON writes them), equals VALUE;
**   ~TEXT       it is an array of which some element (a string, or an object
**               whose "name" or "text" is a string) equals TEXT;
**   #N          it is an array or object with at least N members.
**
** run.sh compiles it with -DMT_JSONCHECK_MAIN. Built without that macro it
** is part of the unit-test runner, which tests the expression checker below.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The value at a dotted path, or NULL. */
static json_t *jc_get(json_t *v, const char *path, size_t len)
{
    char part[256];
    size_t i = 0;
    while (v && i < len) {
        size_t n = 0;
        while (i + n < len && path[i + n] != '.')
            n++;
        if (n == 0 || n >= sizeof part)
            return NULL;
        memcpy(part, path + i, n);
        part[n] = '\0';
        if (json_is_array(v)) {
            char *end;
            unsigned long k = strtoul(part, &end, 10);
            v = *end ? NULL : json_array_get(v, k);
        } else {
            v = json_object_get(v, part);
        }
        i += n + 1;
    }
    return v;
}

static void jc_text(json_t *v, char *out, size_t size)
{
    if (json_is_string(v)) {
        snprintf(out, size, "%s", json_string_value(v));
    } else {
        char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
        snprintf(out, size, "%s", s ? s : "");
        free(s);
    }
}

/* 0 when expr holds for doc; else 1 and a reason in why. */
static int jc_check(json_t *doc, const char *expr, char *why, size_t whysize)
{
    size_t plen = strcspn(expr, "=~#");
    char op = expr[plen];
    const char *arg = op ? expr + plen + 1 : "";
    json_t *v = jc_get(doc, expr, plen);
    char text[1024];

    if (!v) {
        snprintf(why, whysize, "%.*s: no such field", (int)plen, expr);
        return 1;
    }
    if (op == '=') {
        jc_text(v, text, sizeof text);
        if (strcmp(text, arg) != 0) {
            snprintf(why, whysize, "%.*s is \"%.200s\", not \"%s\"", (int)plen, expr, text, arg);
            return 1;
        }
    } else if (op == '~') {
        size_t i;
        json_t *x;
        if (!json_is_array(v)) {
            snprintf(why, whysize, "%.*s is not an array", (int)plen, expr);
            return 1;
        }
        json_array_foreach(v, i, x) {
            json_t *s = json_is_object(x) ? json_object_get(x, "name") : x;
            json_t *t = json_is_object(x) ? json_object_get(x, "text") : NULL;
            if ((json_is_string(s) && strcmp(json_string_value(s), arg) == 0) ||
                (json_is_string(t) && strcmp(json_string_value(t), arg) == 0))
                return 0;
        }
        snprintf(why, whysize, "%.*s has no element \"%s\"", (int)plen, expr, arg);
        return 1;
    } else if (op == '#') {
        size_t n = json_is_array(v) ? json_array_size(v) : json_is_object(v) ? json_object_size(v) : 0;
        if (n < strtoul(arg, NULL, 10)) {
            snprintf(why, whysize, "%.*s has %zu members, fewer than %s", (int)plen, expr, n, arg);
            return 1;
        }
    }
    return 0;
}

#ifdef MT_JSONCHECK_MAIN
int main(int argc, char **argv)
{
    json_error_t e;
    json_t *doc = json_loadf(stdin, 0, &e);
    char why[1400];
    int i;
    if (!doc) {
        fprintf(stderr, "jsoncheck: not JSON: line %d: %s\n", e.line, e.text);
        return 1;
    }
    for (i = 1; i < argc; i++) {
        if (jc_check(doc, argv[i], why, sizeof why)) {
            fprintf(stderr, "jsoncheck: %s\n", why);
            json_decref(doc);
            return 1;
        }
    }
    json_decref(doc);
    return 0;
}
#else
#include "harness.h"

TEST(jsoncheck_expressions)
{
    json_error_t e;
    char why[1400];
    json_t *doc = json_loads("{\"drug\":{\"rxcui\":6130,\"name\":\"ketamine\",\"ok\":true},"
                             "\"brands\":{\"items\":[{\"name\":\"Ketalar\"}]},\"n\":null,"
                             "\"a\":[\"x\",\"y\"]}", 0, &e);
    REQUIRE(doc);
    CHECK(jc_check(doc, "drug.rxcui", why, sizeof why) == 0);
    CHECK(jc_check(doc, "drug.rxcui=6130", why, sizeof why) == 0);
    CHECK(jc_check(doc, "drug.rxcui=6131", why, sizeof why) == 1);
    CHECK_CONTAINS(why, "drug.rxcui is \"6130\", not \"6131\"");
    CHECK(jc_check(doc, "drug.name=ketamine", why, sizeof why) == 0);
    CHECK(jc_check(doc, "drug.ok=true", why, sizeof why) == 0);
    CHECK(jc_check(doc, "n=null", why, sizeof why) == 0);
    CHECK(jc_check(doc, "brands.items~Ketalar", why, sizeof why) == 0);
    CHECK(jc_check(doc, "brands.items~Spravato", why, sizeof why) == 1);
    CHECK(jc_check(doc, "brands.items.0.name=Ketalar", why, sizeof why) == 0);
    CHECK(jc_check(doc, "a~y", why, sizeof why) == 0);
    CHECK(jc_check(doc, "a#2", why, sizeof why) == 0);
    CHECK(jc_check(doc, "a#3", why, sizeof why) == 1);
    CHECK(jc_check(doc, "drug.unii", why, sizeof why) == 1);
    CHECK_CONTAINS(why, "no such field");
    CHECK(jc_check(doc, "a.5", why, sizeof why) == 1);
    CHECK(jc_check(doc, "drug..name", why, sizeof why) == 1);
    json_decref(doc);
}
#endif
