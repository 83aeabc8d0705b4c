/*
** srcfile.c — plain-or-gzip source files, line reading and delimited text
** (through libcsv), with "file:line:" error messages.
*/
#include "source/srcfile.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "materia/status.h"
#include "util/alloc.h"

static char *join_path(const char *dir, const char *name, const char *suffix)
{
    mt_buf b;
    mt_buf_init(&b, 8192);
    if (mt_buf_printf(&b, "%s/%s%s", dir, name, suffix) != MT_OK) {
        mt_buf_free(&b);
        return NULL;
    }
    return mt_buf_detach(&b);
}

static int file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int mt_src_exists(const char *dir, const char *name)
{
    char *gz = join_path(dir, name, ".gz"), *plain = join_path(dir, name, "");
    int found = (gz && file_exists(gz)) || (plain && file_exists(plain));
    mt_free(gz);
    mt_free(plain);
    return found;
}

int mt_src_open_path(mt_srcfile *f, const char *path, mt_buf *err)
{
    memset(f, 0, sizeof(*f));
    f->err = err;
    mt_buf_init(&f->linebuf, MT_SRC_MAX_LINE);
    f->path = mt_strdup(path);
    if (!f->path)
        return MT_ENOMEM;
    if (!file_exists(path)) {
        if (err)
            mt_buf_printf(err, "%s: no such file", path);
        mt_free(f->path);
        f->path = NULL;
        return MT_ENOTFOUND;
    }
    f->gz = gzopen(path, "rb");
    if (!f->gz) {
        if (err)
            mt_buf_printf(err, "%s: cannot open: %s", path, strerror(errno));
        mt_free(f->path);
        f->path = NULL;
        return MT_EIO;
    }
    gzbuffer(f->gz, 256 * 1024);
    return MT_OK;
}

int mt_src_open(mt_srcfile *f, const char *dir, const char *name, mt_buf *err)
{
    char *gz = join_path(dir, name, ".gz");
    char *plain = join_path(dir, name, "");
    int rc;

    if (!gz || !plain) {
        rc = MT_ENOMEM;
        goto done;
    }
    if (file_exists(gz))
        rc = mt_src_open_path(f, gz, err);
    else if (file_exists(plain))
        rc = mt_src_open_path(f, plain, err);
    else {
        memset(f, 0, sizeof(*f));
        if (err)
            mt_buf_printf(err, "%s: no such file (nor %s)", plain, gz);
        rc = MT_ENOTFOUND;
    }
done:
    mt_free(gz);
    mt_free(plain);
    return rc;
}

void mt_src_close(mt_srcfile *f)
{
    if (f->gz)
        gzclose(f->gz);
    mt_free(f->rbuf);
    mt_free(f->path);
    mt_buf_free(&f->linebuf);
    memset(f, 0, sizeof(*f));
}

int mt_src_fail(mt_srcfile *f, int status, const char *fmt, ...)
{
    va_list ap;
    if (!f->err)
        return status;
    mt_buf_printf(f->err, "%s:%lu: ", f->path ? f->path : "?", f->line);
    va_start(ap, fmt);
    mt_buf_vprintf(f->err, fmt, ap);
    va_end(ap);
    return status;
}

/* Decompressed bytes read ahead by mt_src_getline. */
#define SRC_READ_AHEAD (64u * 1024)

/* Refills f->rbuf. MT_OK with f->rlen > 0, MT_ENOTFOUND at the end of the
** file, MT_EIO (described). */
static int refill(mt_srcfile *f)
{
    int n, zerr;
    const char *msg;

    f->rpos = f->rlen = 0;
    n = gzread(f->gz, f->rbuf, SRC_READ_AHEAD);
    if (n > 0) {
        f->rlen = (size_t)n;
        return MT_OK;
    }
    msg = gzerror(f->gz, &zerr);
    /* Z_BUF_ERROR: a gzip stream cut short ends the file, as gzgets did. */
    if (n < 0 || (zerr != Z_OK && zerr != Z_BUF_ERROR) || !gzeof(f->gz))
        return mt_src_fail(f, MT_EIO, "read error: %s", msg);
    return MT_ENOTFOUND;
}

/* Lines are cut with memchr on a read-ahead buffer rather than gzgets, whose
** C string hides how many bytes it read: a NUL byte inside a line would cut
** it silently (the rest of the line lost, or glued to the next one). */
int mt_src_getline(mt_srcfile *f, char **line, size_t *len)
{
    const char *seg, *nl, *nul;
    size_t take;
    int rc;

    mt_buf_reset(&f->linebuf);
    if (!f->rbuf && !(f->rbuf = mt_malloc(SRC_READ_AHEAD)))
        return MT_ENOMEM;
    for (;;) {
        if (f->rpos == f->rlen) {
            rc = refill(f);
            if (rc == MT_ENOTFOUND && f->linebuf.len)
                break;                  /* last line without a newline */
            if (rc != MT_OK)
                return rc;
        }
        seg = f->rbuf + f->rpos;
        nl = memchr(seg, '\n', f->rlen - f->rpos);
        take = nl ? (size_t)(nl - seg) + 1 : f->rlen - f->rpos;
        rc = mt_buf_append(&f->linebuf, seg, take);
        if (rc == MT_ELIMIT)
            return mt_src_fail(f, rc, "line longer than %u bytes", MT_SRC_MAX_LINE);
        if (rc != MT_OK)
            return rc;
        f->rpos += take;
        if (nl)
            break;
    }
    f->line++;
    nul = memchr(f->linebuf.data, '\0', f->linebuf.len);
    if (nul)
        return mt_src_fail(f, MT_EFORMAT, "NUL byte in line, at byte %zu",
                           (size_t)(nul - f->linebuf.data) + 1);
    if (f->linebuf.len && f->linebuf.data[f->linebuf.len - 1] == '\n')
        f->linebuf.data[--f->linebuf.len] = '\0';
    if (f->linebuf.len && f->linebuf.data[f->linebuf.len - 1] == '\r')
        f->linebuf.data[--f->linebuf.len] = '\0';
    *line = f->linebuf.data;
    *len = f->linebuf.len;
    return MT_OK;
}

int mt_src_read_all(const char *dir, const char *name, mt_buf *out, mt_buf *err)
{
    mt_srcfile f;
    char chunk[65536];
    int rc = mt_src_open(&f, dir, name, err);

    if (rc != MT_OK)
        return rc;
    for (;;) {
        int n = gzread(f.gz, chunk, sizeof(chunk));
        if (n < 0) {
            int zerr;
            rc = mt_src_fail(&f, MT_EIO, "read error: %s", gzerror(f.gz, &zerr));
            break;
        }
        if (n == 0) {
            rc = MT_OK;
            break;
        }
        rc = mt_buf_append(out, chunk, (size_t)n);
        if (rc != MT_OK) {
            mt_src_fail(&f, rc, "file too large or out of memory");
            break;
        }
    }
    mt_src_close(&f);
    return rc;
}

/* --- delimited text ------------------------------------------------------ */

#define CSV_MAX_FIELDS 512

typedef struct csv_state {
    char         *fields[CSV_MAX_FIELDS];
    size_t        nfields;
    mt_buf        store;       /* field bytes, NUL-separated */
    size_t        offsets[CSV_MAX_FIELDS];
    unsigned long row_line;
    unsigned long cur_line;
    mt_csv_row_fn row;
    void         *user;
    int           status;
    mt_srcfile   *file;
} csv_state;

static void on_field(void *data, size_t len, void *user)
{
    csv_state *st = user;
    if (st->status != MT_OK)
        return;
    if (st->nfields == 0)
        st->row_line = st->cur_line;
    if (st->nfields >= CSV_MAX_FIELDS) {
        st->status = mt_src_fail(st->file, MT_EFORMAT, "more than %d fields", CSV_MAX_FIELDS);
        return;
    }
    st->offsets[st->nfields++] = st->store.len;
    if (mt_buf_append(&st->store, data ? data : "", data ? len : 0) != MT_OK ||
        mt_buf_putc(&st->store, '\0') != MT_OK)
        st->status = mt_src_fail(st->file, MT_ENOMEM, "record too large");
}

static void on_row(int term, void *user)
{
    csv_state *st = user;
    size_t i;
    (void)term;
    if (st->status != MT_OK)
        goto reset;
    if (st->nfields == 1 && st->store.len == 1)   /* blank line */
        goto reset;
    for (i = 0; i < st->nfields; i++)
        st->fields[i] = st->store.data + st->offsets[i];
    st->status = st->row(st->user, st->fields, st->nfields, st->row_line);
reset:
    st->nfields = 0;
    mt_buf_reset(&st->store);
}

int mt_csv_read(const char *dir, const char *name, char delim, char quote,
                mt_csv_row_fn row, void *user, mt_buf *err)
{
    struct csv_parser p;
    csv_state st;
    mt_srcfile f;
    char *line;
    size_t len;
    int rc;

    rc = mt_src_open(&f, dir, name, err);
    if (rc != MT_OK)
        return rc;
    if (csv_init(&p, CSV_APPEND_NULL) != 0) {
        mt_src_close(&f);
        return MT_ENOMEM;
    }
    csv_set_delim(&p, (unsigned char)delim);
    csv_set_quote(&p, (unsigned char)(quote ? quote : '\x01'));
    memset(&st, 0, sizeof(st));
    mt_buf_init(&st.store, MT_SRC_MAX_LINE);
    st.row = row;
    st.user = user;
    st.status = MT_OK;
    st.file = &f;

    while (st.status == MT_OK && (rc = mt_src_getline(&f, &line, &len)) == MT_OK) {
        st.cur_line = f.line;
        /* Give the newline back: libcsv needs it to end records, and a
        ** quoted field may span lines. */
        line[len] = '\n';
        if (csv_parse(&p, line, len + 1, on_field, on_row, &st) != len + 1) {
            st.status = mt_src_fail(&f, MT_EFORMAT, "malformed delimited text: %s",
                                    csv_strerror(csv_error(&p)));
        }
        line[len] = '\0';
    }
    if (rc == MT_ENOTFOUND)
        rc = MT_OK;
    if (rc == MT_OK && st.status == MT_OK)
        csv_fini(&p, on_field, on_row, &st);
    if (rc == MT_OK)
        rc = st.status;
    csv_free(&p);
    mt_buf_free(&st.store);
    mt_src_close(&f);
    return rc;
}
