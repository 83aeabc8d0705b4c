/*
** jsonw.c — the streaming JSON writer of jsonw.h.
*/
#include "util/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "materia/status.h"

void mt_jsonw_init(mt_jsonw *j, mt_buf *out, int pretty)
{
    memset(j, 0, sizeof(*j));
    j->out = out;
    j->pretty = pretty;
}

static int set_err(mt_jsonw *j, int rc)
{
    if (j->err == MT_OK)
        j->err = rc;
    return j->err;
}

static int put(mt_jsonw *j, const char *s, size_t n)
{
    int rc;
    if (j->err)
        return j->err;
    rc = mt_buf_append(j->out, s, n);
    return rc == MT_OK ? MT_OK : set_err(j, rc);
}

static int newline(mt_jsonw *j)
{
    int i, rc = MT_OK;
    if (!j->pretty)
        return MT_OK;
    rc = put(j, "\n", 1);
    for (i = 0; i < j->depth && rc == MT_OK; i++)
        rc = put(j, "  ", 2);
    return rc;
}

/* Before a value: checks the position and writes the separator. */
static int before_value(mt_jsonw *j)
{
    if (j->err)
        return j->err;
    if (j->depth == 0) {
        if (j->done)
            return set_err(j, MT_EINVAL);      /* a second top-level value */
        return MT_OK;
    }
    if (j->kind[j->depth - 1] == 'o') {
        if (!j->want_value)
            return set_err(j, MT_EINVAL);      /* a value where a key is due */
        j->want_value = 0;
        return MT_OK;
    }
    if (j->count[j->depth - 1] && put(j, ",", 1) != MT_OK)
        return j->err;
    j->count[j->depth - 1] = 1;
    return newline(j);
}

static void after_value(mt_jsonw *j)
{
    if (j->depth == 0 && !j->err)
        j->done = 1;
}

/* Writes s as a JSON string body with escapes; invalid UTF-8 -> U+FFFD. */
static int put_escaped(mt_jsonw *j, const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0, run = 0;
    int rc;

    if ((rc = put(j, "\"", 1)) != MT_OK)
        return rc;
    while (i < len) {
        unsigned c = p[i];
        size_t n = 0;
        unsigned cp = 0;
        char esc[8];
        const char *rep = NULL;
        size_t replen = 0;

        if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
            i++;
            run++;
            continue;
        }
        /* flush the plain run before this byte */
        if (run && (rc = put(j, (const char *)p + i - run, run)) != MT_OK)
            return rc;
        run = 0;
        if (c < 0x80) {
            switch (c) {
            case '"':  rep = "\\\""; break;
            case '\\': rep = "\\\\"; break;
            case '\n': rep = "\\n"; break;
            case '\r': rep = "\\r"; break;
            case '\t': rep = "\\t"; break;
            case '\b': rep = "\\b"; break;
            case '\f': rep = "\\f"; break;
            default:
                snprintf(esc, sizeof(esc), "\\u%04x", c);
                rep = esc;
            }
            replen = strlen(rep);
            n = 1;
        } else {
            /* Decode one UTF-8 sequence strictly (no overlongs, no surrogates). */
            if (c >= 0xC2 && c <= 0xDF && i + 1 < len && (p[i + 1] & 0xC0) == 0x80) {
                n = 2;
                cp = ((c & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
            } else if (c >= 0xE0 && c <= 0xEF && i + 2 < len && (p[i + 1] & 0xC0) == 0x80 &&
                       (p[i + 2] & 0xC0) == 0x80) {
                cp = ((c & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
                n = (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) ? 3 : 0;
            } else if (c >= 0xF0 && c <= 0xF4 && i + 3 < len && (p[i + 1] & 0xC0) == 0x80 &&
                       (p[i + 2] & 0xC0) == 0x80 && (p[i + 3] & 0xC0) == 0x80) {
                cp = ((c & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) | ((p[i + 2] & 0x3Fu) << 6) |
                     (p[i + 3] & 0x3Fu);
                n = (cp >= 0x10000 && cp <= 0x10FFFF) ? 4 : 0;
            }
            if (n == 0) {
                rep = "\xEF\xBF\xBD";          /* U+FFFD for one bad byte */
                replen = 3;
                n = 1;
            } else if (cp == 0x2028 || cp == 0x2029) {
                rep = cp == 0x2028 ? "\\u2028" : "\\u2029";
                replen = 6;
            } else {
                rep = (const char *)p + i;
                replen = n;
            }
        }
        if ((rc = put(j, rep, replen)) != MT_OK)
            return rc;
        i += n;
    }
    if (run && (rc = put(j, (const char *)p + i - run, run)) != MT_OK)
        return rc;
    return put(j, "\"", 1);
}

static int open_container(mt_jsonw *j, char kind)
{
    int rc = before_value(j);
    if (rc != MT_OK)
        return rc;
    if (j->depth >= MT_JSONW_MAX_DEPTH)
        return set_err(j, MT_ELIMIT);
    if ((rc = put(j, kind == 'o' ? "{" : "[", 1)) != MT_OK)
        return rc;
    j->kind[j->depth] = (unsigned char)kind;
    j->count[j->depth] = 0;
    j->depth++;
    return MT_OK;
}

static int close_container(mt_jsonw *j, char kind)
{
    int rc, had;
    if (j->err)
        return j->err;
    if (j->depth == 0 || j->kind[j->depth - 1] != (unsigned char)kind || j->want_value)
        return set_err(j, MT_EINVAL);
    had = j->count[j->depth - 1];
    j->depth--;
    if (had && (rc = newline(j)) != MT_OK)
        return rc;
    if ((rc = put(j, kind == 'o' ? "}" : "]", 1)) != MT_OK)
        return rc;
    after_value(j);
    return MT_OK;
}

int mt_jsonw_obj_begin(mt_jsonw *j) { return open_container(j, 'o'); }
int mt_jsonw_obj_end(mt_jsonw *j) { return close_container(j, 'o'); }
int mt_jsonw_arr_begin(mt_jsonw *j) { return open_container(j, 'a'); }
int mt_jsonw_arr_end(mt_jsonw *j) { return close_container(j, 'a'); }

int mt_jsonw_key(mt_jsonw *j, const char *key)
{
    int rc;
    if (j->err)
        return j->err;
    if (j->depth == 0 || j->kind[j->depth - 1] != 'o' || j->want_value || !key)
        return set_err(j, MT_EINVAL);
    if (j->count[j->depth - 1] && (rc = put(j, ",", 1)) != MT_OK)
        return rc;
    j->count[j->depth - 1] = 1;
    if ((rc = newline(j)) != MT_OK || (rc = put_escaped(j, key, strlen(key))) != MT_OK ||
        (rc = put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1)) != MT_OK)
        return rc;
    j->want_value = 1;
    return MT_OK;
}

static int scalar(mt_jsonw *j, const char *text, size_t len)
{
    int rc = before_value(j);
    if (rc != MT_OK)
        return rc;
    if ((rc = put(j, text, len)) != MT_OK)
        return rc;
    after_value(j);
    return MT_OK;
}

int mt_jsonw_strn(mt_jsonw *j, const char *s, size_t len)
{
    int rc;
    if (!s)
        return mt_jsonw_null(j);
    if ((rc = before_value(j)) != MT_OK)
        return rc;
    if ((rc = put_escaped(j, s, len)) != MT_OK)
        return rc;
    after_value(j);
    return MT_OK;
}

int mt_jsonw_str(mt_jsonw *j, const char *s)
{
    return mt_jsonw_strn(j, s, s ? strlen(s) : 0);
}

int mt_jsonw_int(mt_jsonw *j, long long v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%lld", v);
    return scalar(j, tmp, (size_t)n);
}

int mt_jsonw_uint(mt_jsonw *j, unsigned long long v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof(tmp), "%llu", v);
    return scalar(j, tmp, (size_t)n);
}

int mt_jsonw_double(mt_jsonw *j, double v)
{
    char tmp[40];
    int n;
    if (!isfinite(v))
        return mt_jsonw_null(j);
    /* %.17g round-trips; it never yields a form JSON forbids for finite values. */
    n = snprintf(tmp, sizeof(tmp), "%.17g", v);
    return scalar(j, tmp, (size_t)n);
}

int mt_jsonw_bool(mt_jsonw *j, int v) { return v ? scalar(j, "true", 4) : scalar(j, "false", 5); }
int mt_jsonw_null(mt_jsonw *j) { return scalar(j, "null", 4); }

int mt_jsonw_kstr(mt_jsonw *j, const char *key, const char *s)
{
    int rc = mt_jsonw_key(j, key);
    return rc == MT_OK ? mt_jsonw_str(j, s) : rc;
}

int mt_jsonw_kint(mt_jsonw *j, const char *key, long long v)
{
    int rc = mt_jsonw_key(j, key);
    return rc == MT_OK ? mt_jsonw_int(j, v) : rc;
}

int mt_jsonw_kuint(mt_jsonw *j, const char *key, unsigned long long v)
{
    int rc = mt_jsonw_key(j, key);
    return rc == MT_OK ? mt_jsonw_uint(j, v) : rc;
}

int mt_jsonw_kbool(mt_jsonw *j, const char *key, int v)
{
    int rc = mt_jsonw_key(j, key);
    return rc == MT_OK ? mt_jsonw_bool(j, v) : rc;
}

int mt_jsonw_kdouble(mt_jsonw *j, const char *key, double v)
{
    int rc = mt_jsonw_key(j, key);
    return rc == MT_OK ? mt_jsonw_double(j, v) : rc;
}

int mt_jsonw_finish(mt_jsonw *j)
{
    if (j->err)
        return j->err;
    if (j->depth != 0 || !j->done)
        return set_err(j, MT_EINVAL);
    return MT_OK;
}
