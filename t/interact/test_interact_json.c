/*
** test_interact_json.c — the checker's JSON (lib/interact/ixjson.c) against
** its documentation: the field table of docs/reference/interactions-api.md is read and
** a check on the small model must have exactly those keys, with those types,
** and use every one of them.
*/
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "interact/ixmodel.h"
#include "materia/interact.h"
#include "util/alloc.h"
#include "util/buf.h"

#define DOC "docs/reference/interactions-api.md"
#define MAX_FIELDS 256

typedef struct field {
    char path[128];
    char type[48];
    unsigned seen;            /* bit per JSON type observed */
} field;

enum { T_STRING = 1, T_INTEGER = 2, T_BOOLEAN = 4, T_ARRAY = 8, T_OBJECT = 16, T_NULL = 32 };

static unsigned allowed(const char *type)
{
    unsigned m = 0;
    if (strstr(type, "string")) m |= T_STRING;
    if (strstr(type, "integer")) m |= T_INTEGER;
    if (strstr(type, "boolean")) m |= T_BOOLEAN;
    if (strstr(type, "array")) m |= T_ARRAY;
    if (strstr(type, "object")) m |= T_OBJECT;
    if (strstr(type, "null")) m |= T_NULL;
    return m;
}

/* The rows "| `path` | type | meaning |" of the "### Fields" table. */
static int read_doc(field *f, int max)
{
    FILE *fp = fopen(DOC, "r");
    char line[2048];
    int n = 0, in_fields = 0;
    if (!fp)
        return -1;
    while (fgets(line, sizeof(line), fp)) {
        char *p, *q, *t, *te;
        if (strncmp(line, "### Fields", 10) == 0) {
            in_fields = 1;
            continue;
        }
        if (in_fields && strncmp(line, "## ", 3) == 0)
            break;
        if (!in_fields || strncmp(line, "| `", 3) != 0)
            continue;
        p = line + 3;
        q = strchr(p, '`');
        if (!q || n >= max)
            continue;
        t = strchr(q, '|');
        if (!t)
            continue;
        t++;
        te = strchr(t, '|');
        if (!te)
            continue;
        while (*t == ' ')
            t++;
        while (te > t && te[-1] == ' ')
            te--;
        snprintf(f[n].path, sizeof(f[n].path), "%.*s", (int)(q - p), p);
        snprintf(f[n].type, sizeof(f[n].type), "%.*s", (int)(te - t), t);
        f[n].seen = 0;
        n++;
    }
    fclose(fp);
    return n;
}

static unsigned type_of(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_STRING:  return T_STRING;
    case JSON_INTEGER: return T_INTEGER;
    case JSON_TRUE: case JSON_FALSE: return T_BOOLEAN;
    case JSON_ARRAY:   return T_ARRAY;
    case JSON_OBJECT:  return T_OBJECT;
    case JSON_NULL:    return T_NULL;
    default:           return 0;
    }
}

static void observe(field *f, int n, const char *path, const json_t *v)
{
    int i;
    for (i = 0; i < n; i++) {
        if (strcmp(f[i].path, path) == 0) {
            f[i].seen |= type_of(v);
            if (!(type_of(v) & allowed(f[i].type)))
                mt_test_fail(__FILE__, __LINE__, "%s: type %u not allowed by \"%s\"", path, type_of(v), f[i].type);
            return;
        }
    }
    mt_test_fail(__FILE__, __LINE__, "%s: not documented in " DOC, path);
}

/* Observes every key of v (an object) under prefix; arrays of objects add "[]". */
static void walk(field *f, int n, const char *prefix, const json_t *v)
{
    const char *key;
    json_t *val;
    json_object_foreach((json_t *)v, key, val) {
        char path[256];
        size_t i;
        /* The sources map: any source id. (key itself must not change: the
        ** iteration continues from it.) */
        const char *name = strcmp(prefix, "sources") == 0 ? "*" : key;
        snprintf(path, sizeof(path), "%s%s%s", prefix, *prefix ? "." : "", name);
        observe(f, n, path, val);
        if (json_is_object(val))
            walk(f, n, path, val);
        else if (json_is_array(val)) {
            char ap[260];
            snprintf(ap, sizeof(ap), "%s[]", path);
            for (i = 0; i < json_array_size(val); i++)
                if (json_is_object(json_array_get(val, i)))
                    walk(f, n, ap, json_array_get(val, i));
        }
    }
}

static json_t *check_json(mt_kb *kb, const char *const *in, size_t n, int pretty, mt_buf *out)
{
    mt_check_result r;
    json_error_t e;
    json_t *root;
    mt_buf_reset(out);
    if (mt_check(kb, in, n, NULL, &r) != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "check failed");
        return NULL;
    }
    if (mt_check_json(&r, pretty, out) != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "json failed");
        mt_check_result_free(&r);
        return NULL;
    }
    mt_check_result_free(&r);
    root = json_loads(mt_buf_str(out), 0, &e);
    if (!root)
        mt_test_fail(__FILE__, __LINE__, "invalid JSON: %s", e.text);
    return root;
}

TEST(interact_json_matches_the_documented_fields)
{
    static const char *const list[] = {
        "16714-0612-01", "methylene blue", "tramadol", "ibuprofen", "naproxen", "Norco", "50580-0449-01",
        "amitriptyline", "ranitidine", "ketamine", "alcohol", "sertralin", "lactulose", "Xanax", "warfarin"
    };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    field *f = mt_calloc(MAX_FIELDS, sizeof(field));
    mt_buf out;
    json_t *root;
    int n, i;

    REQUIRE(kb && f);
    n = read_doc(f, MAX_FIELDS);
    if (n < 0) {
        mt_test_fail(__FILE__, __LINE__, "cannot read " DOC " (tests run from the repository root)");
        goto done;
    }
    CHECK(n > 100);
    mt_buf_init(&out, 1u << 22);
    root = check_json(kb, list, sizeof(list) / sizeof(list[0]), 0, &out);
    if (root) {
        walk(f, n, "", root);
        /* A few values, beyond the shape. */
        CHECK_STR(json_string_value(json_object_get(json_object_get(root, "summary"), "most_severe")), "major");
        CHECK(json_object_get(json_object_get(root, "sources"), "ansm") != NULL);
        CHECK(json_object_get(json_object_get(root, "sources"), "tripsit") != NULL);
        json_decref(root);
    }
    for (i = 0; i < n; i++)
        if (!f[i].seen)
            mt_test_fail(__FILE__, __LINE__, "documented field %s never appeared in the sample", f[i].path);
    mt_buf_free(&out);
done:
    mt_free(f);
    ixm_close(kb, path);
}

TEST(interact_json_is_deterministic_and_pretty_is_the_same_document)
{
    static const char *const list[] = { "Zoloft", "methylene blue", "ketamine", "alcohol", "zzqxv" };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_buf a, b;
    json_t *ja, *jb, *jp;
    REQUIRE(kb);
    mt_buf_init(&a, 1u << 20);
    mt_buf_init(&b, 1u << 20);
    ja = check_json(kb, list, 5, 0, &a);
    jb = check_json(kb, list, 5, 0, &b);
    CHECK_STR(mt_buf_str(&a), mt_buf_str(&b));
    CHECK(!strchr(mt_buf_str(&a), '\n'));        /* one line: batch output relies on it */
    jp = check_json(kb, list, 5, 1, &b);
    CHECK(ja && jp && json_equal(ja, jp));
    if (ja) {
        json_t *f0 = json_array_get(json_object_get(ja, "findings"), 0);
        /* Clinical major first, then the harm-reduction-only pair. */
        CHECK_STR(json_string_value(json_object_get(f0, "severity")), "major");
        f0 = json_array_get(json_object_get(ja, "findings"), 1);
        CHECK(json_is_null(json_object_get(f0, "severity")));
        CHECK_STR(json_string_value(json_object_get(f0, "harm_reduction_severity")), "major");
        CHECK(json_is_true(json_object_get(f0, "harm_reduction_only")));
        CHECK_STR(json_string_value(json_array_get(json_object_get(f0, "dur"), 0)), "OH");
    }
    json_decref(ja);
    json_decref(jb);
    json_decref(jp);
    mt_buf_free(&a);
    mt_buf_free(&b);
    ixm_close(kb, path);
}

TEST(interact_json_full_buffer_is_an_error)
{
    static const char *const list[] = { "Zoloft", "methylene blue" };
    char path[256];
    ixm x;
    mt_kb *kb = ixm_open(NULL, path, &x);
    mt_check_result r;
    mt_buf small;
    REQUIRE(kb);
    REQUIRE(mt_check(kb, list, 2, NULL, &r) == MT_OK);
    mt_buf_init(&small, 100);
    CHECK_EQ_INT(mt_check_json(&r, 0, &small), MT_ELIMIT);
    mt_buf_free(&small);
    mt_check_result_free(&r);
    ixm_close(kb, path);
}
