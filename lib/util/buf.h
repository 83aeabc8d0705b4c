/*
** buf.h — a bounded, growable byte buffer (the curl "dynbuf" habit).
**
** Every buffer has a hard maximum size fixed at init; growing past it fails
** with MT_ELIMIT instead of eating memory, so a hostile input can never make
** a buffer unbounded. The content is always NUL-terminated (the terminator is
** not counted in len), so buf.data can be used as a C string.
*/
#ifndef MT_BUF_H
#define MT_BUF_H

#include <stdarg.h>
#include <stddef.h>

typedef struct mt_buf {
    char  *data;    /* NULL until the first append */
    size_t len;     /* bytes used, excluding the terminating NUL */
    size_t cap;     /* bytes allocated */
    size_t max;     /* hard limit on len */
} mt_buf;

void mt_buf_init(mt_buf *b, size_t max);
void mt_buf_free(mt_buf *b);
/* Empties the buffer, keeping its memory. */
void mt_buf_reset(mt_buf *b);
/* All return MT_OK, MT_ENOMEM or MT_ELIMIT; on failure the content is unchanged. */
int  mt_buf_append(mt_buf *b, const void *data, size_t len);
int  mt_buf_puts(mt_buf *b, const char *s);
int  mt_buf_putc(mt_buf *b, char c);
int  mt_buf_printf(mt_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int  mt_buf_vprintf(mt_buf *b, const char *fmt, va_list ap);
/* Makes room for `extra` more bytes without changing len. */
int  mt_buf_reserve(mt_buf *b, size_t extra);
/* Hands the memory to the caller (who frees it with mt_free) and empties b.
** Returns NULL when nothing was ever appended. */
char *mt_buf_detach(mt_buf *b);
/* The content as a C string; "" for an empty buffer. Valid until the next change. */
const char *mt_buf_str(const mt_buf *b);

#endif /* MT_BUF_H */
