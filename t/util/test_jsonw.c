/*
** test_jsonw.c — the JSON writer (lib/util/jsonw.c): structure, escaping,
** invalid UTF-8, numbers, misuse, depth and buffer limits. Output is parsed
** back with jansson, an independent parser.
*/
#include <jansson.h>
#include <math.h>
#include <string.h>

#include "harness.h"
#include "util/alloc.h"
#include "util/jsonw.h"
#include "util/text.h"

/* Parses text with jansson; returns the value (json_decref it) or NULL. */
static json_t *parse(const char *text)
{
    json_error_t e;
    json_t *v = json_loads(text, JSON_DECODE_ANY | JSON_ALLOW_NUL, &e);
    if (!v)
        mt_test_fail(__FILE__, __LINE__, "jansson rejects %s: %s", text, e.text);
    return v;
}

TEST(jsonw_writes_nested_document)
{
    mt_buf b;
    mt_jsonw j;
    json_t *v;
    mt_buf_init(&b, 4096);
    mt_jsonw_init(&j, &b, 0);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kstr(&j, "name", "ketamine");
    mt_jsonw_kint(&j, "rxcui", 6130);
    mt_jsonw_kint(&j, "neg", -42);
    mt_jsonw_kuint(&j, "big", 4294967296ull);
    mt_jsonw_kbool(&j, "ok", 1);
    mt_jsonw_kdouble(&j, "size", 10.5);
    mt_jsonw_key(&j, "none");
    mt_jsonw_null(&j);
    mt_jsonw_kstr(&j, "absent", NULL);
    mt_jsonw_key(&j, "list");
    mt_jsonw_arr_begin(&j);
    mt_jsonw_int(&j, 1);
    mt_jsonw_str(&j, "two");
    mt_jsonw_arr_begin(&j);
    mt_jsonw_arr_end(&j);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_obj_end(&j);
    mt_jsonw_arr_end(&j);
    mt_jsonw_obj_end(&j);
    REQUIRE_EQ_INT(mt_jsonw_finish(&j), MT_OK);
    CHECK_STR(mt_buf_str(&b), "{\"name\":\"ketamine\",\"rxcui\":6130,\"neg\":-42,"
              "\"big\":4294967296,\"ok\":true,\"size\":10.5,\"none\":null,"
              "\"absent\":null,\"list\":[1,\"two\",[],{}]}");
    v = parse(mt_buf_str(&b));
    CHECK(v && json_is_object(v));
    json_decref(v);
    mt_buf_free(&b);
}

TEST(jsonw_pretty_output_parses)
{
    mt_buf b;
    mt_jsonw j;
    json_t *v;
    mt_buf_init(&b, 4096);
    mt_jsonw_init(&j, &b, 1);
    mt_jsonw_obj_begin(&j);
    mt_jsonw_kstr(&j, "a", "b");
    mt_jsonw_key(&j, "c");
    mt_jsonw_arr_begin(&j);
    mt_jsonw_int(&j, 1);
    mt_jsonw_int(&j, 2);
    mt_jsonw_arr_end(&j);
    mt_jsonw_obj_end(&j);
    REQUIRE_EQ_INT(mt_jsonw_finish(&j), MT_OK);
    CHECK_STR(mt_buf_str(&b), "{\n  \"a\": \"b\",\n  \"c\": [\n    1,\n    2\n  ]\n}");
    v = parse(mt_buf_str(&b));
    json_decref(v);
    mt_buf_free(&b);
}

TEST(jsonw_escapes_and_replaces_invalid_utf8)
{
    mt_buf b;
    mt_jsonw j;
    json_t *v;
    static const char nasty[] = "q\"b\\s/\n\r\t\b\f\x01\x1f\x7f é € 😀 \xff \xc0\xaf \xed\xa0\x80 \xe2\x80\xa8 \xe2\x82";
    mt_buf_init(&b, 4096);
    mt_jsonw_init(&j, &b, 0);
    mt_jsonw_strn(&j, nasty, sizeof(nasty) - 1);
    REQUIRE_EQ_INT(mt_jsonw_finish(&j), MT_OK);
    CHECK_STR(mt_buf_str(&b), "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0001\\u001f\x7f é € 😀 \xEF\xBF\xBD "
              "\xEF\xBF\xBD\xEF\xBF\xBD \xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD \\u2028 \xEF\xBF\xBD\xEF\xBF\xBD\"");
    CHECK(mt_utf8_valid(b.data, b.len));
    v = parse(mt_buf_str(&b));
    CHECK(v && json_is_string(v));
    json_decref(v);

    /* embedded NUL through strn */
    mt_buf_reset(&b);
    mt_jsonw_init(&j, &b, 0);
    mt_jsonw_strn(&j, "a\0b", 3);
    CHECK_STR(mt_buf_str(&b), "\"a\\u0000b\"");
    mt_buf_free(&b);
}

TEST(jsonw_numbers)
{
    mt_buf b;
    mt_jsonw j;
    mt_buf_init(&b, 4096);
    mt_jsonw_init(&j, &b, 0);
    mt_jsonw_arr_begin(&j);
    mt_jsonw_double(&j, NAN);
    mt_jsonw_double(&j, INFINITY);
    mt_jsonw_double(&j, 0.1);
    mt_jsonw_double(&j, -1e300);
    mt_jsonw_int(&j, -9223372036854775807LL - 1);
    mt_jsonw_arr_end(&j);
    REQUIRE_EQ_INT(mt_jsonw_finish(&j), MT_OK);
    CHECK_STR(mt_buf_str(&b), "[null,null,0.10000000000000001,-1.0000000000000001e+300,-9223372036854775808]");
    json_decref(parse(mt_buf_str(&b)));
    mt_buf_free(&b);
}

TEST(jsonw_rejects_misuse_and_stays_failed)
{
    mt_buf b;
    mt_jsonw j;
    mt_buf_init(&b, 4096);

    mt_jsonw_init(&j, &b, 0);                   /* a value where a key is due */
    mt_jsonw_obj_begin(&j);
    CHECK_EQ_INT(mt_jsonw_int(&j, 1), MT_EINVAL);
    CHECK_EQ_INT(mt_jsonw_key(&j, "k"), MT_EINVAL);   /* sticky */
    CHECK_EQ_INT(mt_jsonw_finish(&j), MT_EINVAL);

    mt_buf_reset(&b);
    mt_jsonw_init(&j, &b, 0);                   /* a key in an array */
    mt_jsonw_arr_begin(&j);
    CHECK_EQ_INT(mt_jsonw_key(&j, "k"), MT_EINVAL);

    mt_buf_reset(&b);
    mt_jsonw_init(&j, &b, 0);                   /* wrong close */
    mt_jsonw_arr_begin(&j);
    CHECK_EQ_INT(mt_jsonw_obj_end(&j), MT_EINVAL);

    mt_buf_reset(&b);
    mt_jsonw_init(&j, &b, 0);                   /* key without value */
    mt_jsonw_obj_begin(&j);
    mt_jsonw_key(&j, "k");
    CHECK_EQ_INT(mt_jsonw_obj_end(&j), MT_EINVAL);

    mt_buf_reset(&b);
    mt_jsonw_init(&j, &b, 0);                   /* two top-level values */
    mt_jsonw_int(&j, 1);
    CHECK_EQ_INT(mt_jsonw_int(&j, 2), MT_EINVAL);

    mt_buf_reset(&b);
    mt_jsonw_init(&j, &b, 0);                   /* unfinished and empty documents */
    mt_jsonw_arr_begin(&j);
    CHECK_EQ_INT(mt_jsonw_finish(&j), MT_EINVAL);
    mt_jsonw_init(&j, &b, 0);
    CHECK_EQ_INT(mt_jsonw_finish(&j), MT_EINVAL);
    mt_buf_free(&b);
}

TEST(jsonw_depth_and_buffer_limits)
{
    mt_buf b;
    mt_jsonw j;
    int i, rc = MT_OK;
    mt_buf_init(&b, 4096);
    mt_jsonw_init(&j, &b, 0);
    for (i = 0; i < MT_JSONW_MAX_DEPTH && rc == MT_OK; i++)
        rc = mt_jsonw_arr_begin(&j);
    CHECK_EQ_INT(rc, MT_OK);
    CHECK_EQ_INT(mt_jsonw_arr_begin(&j), MT_ELIMIT);
    mt_buf_free(&b);

    mt_buf_init(&b, 10);                        /* a full buffer fails cleanly */
    mt_jsonw_init(&j, &b, 0);
    mt_jsonw_arr_begin(&j);
    mt_jsonw_str(&j, "a long string that does not fit");
    CHECK_EQ_INT(mt_jsonw_finish(&j), MT_ELIMIT);
    CHECK(b.len <= 10);
    mt_buf_free(&b);

    mt_buf_init(&b, 4096);                      /* and so does memory */
    mt_jsonw_init(&j, &b, 0);
    mt_alloc_fail_after(0);
    mt_jsonw_str(&j, "x");
    mt_alloc_fail_after(-1);
    CHECK_EQ_INT(mt_jsonw_finish(&j), MT_ENOMEM);
    mt_buf_free(&b);
}
