/*
** jsonw.h — a streaming JSON writer into an mt_buf, used for every JSON
** output of Materia (CLI --json, the HTTP API).
**
** Calls mirror the document: mt_jsonw_obj_begin, mt_jsonw_key + a value,
** ..., mt_jsonw_obj_end. Commas, quoting and escaping are the writer's job.
** Strings are escaped per RFC 8259 (", \, control characters as \n \t or
** \u00XX; U+2028/U+2029 as \u2028/\u2029 so that output is also safe inside
** JavaScript) and invalid UTF-8 is replaced by U+FFFD, so the output is
** always valid UTF-8 JSON whatever bytes a source file contained.
**
** Errors are sticky (the sqlite3_str habit): after the first failure every
** call does nothing and returns the same status; check mt_jsonw_finish once
** at the end. Misuse (a value where a key is due, a key in an array, closing
** the wrong container, nesting deeper than MT_JSONW_MAX_DEPTH) is MT_EINVAL
** or MT_ELIMIT; a full buffer is the buffer's MT_ELIMIT or MT_ENOMEM.
*/
#ifndef MT_JSONW_H
#define MT_JSONW_H

#include <stddef.h>
#include <stdint.h>

#include "materia/status.h"
#include "util/buf.h"

#define MT_JSONW_MAX_DEPTH 64

typedef struct mt_jsonw {
    mt_buf  *out;
    int      err;                          /* first failure, sticky */
    int      depth;
    int      pretty;                       /* indent with two spaces */
    unsigned char kind[MT_JSONW_MAX_DEPTH];  /* 'o' or 'a' per open container */
    unsigned char count[MT_JSONW_MAX_DEPTH]; /* 0 = nothing written yet in it */
    unsigned char want_value;              /* a key was written: a value is due */
    unsigned char done;                    /* the top-level value is complete */
} mt_jsonw;

/* Starts a document written to out (appending). pretty: indented output. */
void mt_jsonw_init(mt_jsonw *j, mt_buf *out, int pretty);

int mt_jsonw_obj_begin(mt_jsonw *j);
int mt_jsonw_obj_end(mt_jsonw *j);
int mt_jsonw_arr_begin(mt_jsonw *j);
int mt_jsonw_arr_end(mt_jsonw *j);
/* A key inside an object (escaped like a string). */
int mt_jsonw_key(mt_jsonw *j, const char *key);

/* Values. A NULL string is written as null. */
int mt_jsonw_str(mt_jsonw *j, const char *s);
int mt_jsonw_strn(mt_jsonw *j, const char *s, size_t len);
int mt_jsonw_int(mt_jsonw *j, long long v);
int mt_jsonw_uint(mt_jsonw *j, unsigned long long v);
/* Non-finite numbers (NaN, infinities) have no JSON form: written as null. */
int mt_jsonw_double(mt_jsonw *j, double v);
int mt_jsonw_bool(mt_jsonw *j, int v);
int mt_jsonw_null(mt_jsonw *j);

/* Key + value in one call. */
int mt_jsonw_kstr(mt_jsonw *j, const char *key, const char *s);
int mt_jsonw_kint(mt_jsonw *j, const char *key, long long v);
int mt_jsonw_kuint(mt_jsonw *j, const char *key, unsigned long long v);
int mt_jsonw_kbool(mt_jsonw *j, const char *key, int v);
int mt_jsonw_kdouble(mt_jsonw *j, const char *key, double v);

/* Ends the document: MT_OK when exactly one complete value was written and
** no call failed; else the first error (MT_EINVAL for an unfinished document). */
int mt_jsonw_finish(mt_jsonw *j);

#endif /* MT_JSONW_H */
