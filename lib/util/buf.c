/*
** buf.c — the bounded growable buffer of buf.h.
*/
#include "util/buf.h"

#include <stdio.h>
#include <string.h>

#include "materia/status.h"
#include "util/alloc.h"

void mt_buf_init(mt_buf *b, size_t max)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->max = max;
}

void mt_buf_free(mt_buf *b)
{
    mt_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

void mt_buf_reset(mt_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

int mt_buf_reserve(mt_buf *b, size_t extra)
{
    size_t need, newcap;
    char *p;

    if (extra > b->max || b->len > b->max - extra)
        return MT_ELIMIT;
    need = b->len + extra + 1;          /* + terminator */
    if (need <= b->cap)
        return MT_OK;
    newcap = b->cap ? b->cap : 64;
    while (newcap < need)
        newcap = newcap > (size_t)-1 / 2 ? need : newcap * 2;
    if (newcap > b->max + 1)
        newcap = b->max + 1;
    if (newcap < need)
        newcap = need;
    p = mt_realloc(b->data, newcap);
    if (!p)
        return MT_ENOMEM;
    b->data = p;
    b->cap = newcap;
    return MT_OK;
}

int mt_buf_append(mt_buf *b, const void *data, size_t len)
{
    int rc = mt_buf_reserve(b, len);
    if (rc != MT_OK)
        return rc;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return MT_OK;
}

int mt_buf_puts(mt_buf *b, const char *s) { return mt_buf_append(b, s, strlen(s)); }
int mt_buf_putc(mt_buf *b, char c) { return mt_buf_append(b, &c, 1); }

int mt_buf_vprintf(mt_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    int n, rc;

    va_copy(copy, ap);
    n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return MT_EINVAL;
    rc = mt_buf_reserve(b, (size_t)n);
    if (rc != MT_OK)
        return rc;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return MT_OK;
}

int mt_buf_printf(mt_buf *b, const char *fmt, ...)
{
    va_list ap;
    int rc;
    va_start(ap, fmt);
    rc = mt_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return rc;
}

char *mt_buf_detach(mt_buf *b)
{
    char *p = b->data;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

const char *mt_buf_str(const mt_buf *b) { return b->data ? b->data : ""; }
