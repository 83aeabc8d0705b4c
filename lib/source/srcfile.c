/*
** srcfile.c — plain-or-gzip source files and zip entries (srczip.c), line
** reading and delimited text (through libcsv), with "file:line:" error
** messages.
*/
#include "source/srcfile.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "materia/status.h"
#include "source/srczip.h"
#include "util/alloc.h"

/* dir/name+suffix; an empty dir is the current folder, left out. */
static char *join_path(const char *dir, const char *name, const char *suffix)
{
    mt_buf b;
    mt_buf_init(&b, 8192);
    if (mt_buf_printf(&b, "%s%s%s%s", dir, *dir ? "/" : "", name, suffix) != MT_OK) {
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
    char *gz, *plain;
    int found;

    if (file_exists(dir)) {
        mt_zip *z;
        uint64_t i;
        if (mt_zip_open(&z, dir, NULL) != MT_OK)
            return 0;
        found = mt_zip_find(z, name, &i, NULL) == MT_OK;
        mt_zip_close(z);
        return found;
    }
    gz = join_path(dir, name, ".gz");
    plain = join_path(dir, name, "");
    found = (gz && file_exists(gz)) || (plain && file_exists(plain));
    mt_free(gz);
    mt_free(plain);
    return found;
}

/* Starts reading entry i of z into f (memset already); f owns z when own. */
static int open_entry(mt_srcfile *f, mt_zip *z, uint64_t i, int own, mt_buf *err)
{
    mt_buf path;
    int rc;

    mt_buf_init(&path, 64 * 1024);
    if (own)
        f->zip = z;
    if ((rc = mt_buf_printf(&path, "%s!%s", mt_zip_name(z), mt_zip_entry_name(z, i))) != MT_OK)
        goto done;
    if ((rc = mt_zip_entry_open(&f->ze, z, i, err)) != MT_OK)
        goto done;
    f->path = mt_buf_detach(&path);
done:
    mt_buf_free(&path);
    if (rc != MT_OK)
        mt_src_close(f);
    return rc;
}

/* The entry named `entry` not found in z: says so, and why when entry.gz is there. */
static int no_entry(mt_zip *z, const char *entry, int exact, mt_buf *err)
{
    mt_buf gz;
    uint64_t i;
    int rc;

    if (!err)
        return MT_ENOTFOUND;
    mt_buf_init(&gz, 64 * 1024);
    if (mt_buf_printf(&gz, "%s.gz", entry) == MT_OK &&
        (exact ? mt_zip_locate(z, gz.data, &i) : mt_zip_find(z, gz.data, &i, NULL)) == MT_OK) {
        mt_buf_printf(err, "%s!%s: a gzip file inside a zip is not read (zip the file itself)", mt_zip_name(z),
                      mt_zip_entry_name(z, i));
        rc = MT_EFORMAT;
    } else {
        mt_buf_printf(err, exact ? "%s!%s: no such file in the zip" : "%s: no %s in the zip, at any folder depth",
                      mt_zip_name(z), entry);
        rc = MT_ENOTFOUND;
    }
    mt_buf_free(&gz);
    return rc;
}

/* mt_src_open of a zip: the entry name at any depth. */
static int open_in_zip(mt_srcfile *f, const char *zippath, const char *name, mt_buf *err)
{
    mt_zip *z = NULL;
    uint64_t i;
    int rc;

    memset(f, 0, sizeof(f[0]));
    f->err = err;
    mt_buf_init(&f->linebuf, MT_SRC_MAX_LINE);
    if ((rc = mt_zip_open(&z, zippath, err)) != MT_OK)
        return rc;
    rc = mt_zip_find(z, name, &i, err);
    if (rc == MT_ENOTFOUND)
        rc = no_entry(z, name, 0, err);
    if (rc != MT_OK) {
        mt_zip_close(z);
        return rc;
    }
    return open_entry(f, z, i, 1, err);
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
    char *gz = NULL, *plain = NULL;
    int rc;

    if (file_exists(dir))
        return open_in_zip(f, dir, name, err);
    gz = join_path(dir, name, ".gz");
    plain = join_path(dir, name, "");
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

int mt_src_open_at(mt_srcfile *f, const mt_src_dir *d, const char *name, mt_buf *err)
{
    mt_buf entry;
    uint64_t i;
    int rc;

    if (!d->zip)
        return mt_src_open(f, d->path, name, err);
    memset(f, 0, sizeof(f[0]));
    f->err = err;
    mt_buf_init(&f->linebuf, MT_SRC_MAX_LINE);
    mt_buf_init(&entry, 64 * 1024);
    if ((rc = mt_buf_printf(&entry, "%s%s", d->prefix ? d->prefix : "", name)) != MT_OK)
        goto done;
    if ((rc = mt_zip_locate(d->zip, entry.data, &i)) == MT_OK)
        rc = open_entry(f, d->zip, i, 0, err);
    else
        rc = no_entry(d->zip, entry.data, 1, err);
done:
    mt_buf_free(&entry);
    if (rc != MT_OK)
        mt_src_close(f);
    return rc;
}

int mt_src_dir_path(const mt_src_dir *d, const char *name, mt_buf *out)
{
    if (d->zip)
        return mt_buf_printf(out, "%s!%s%s", d->path, d->prefix ? d->prefix : "", name);
    return mt_buf_printf(out, "%s%s%s", d->path, *d->path ? "/" : "", name);
}

int mt_src_describe(const char *dir, const char *name, mt_buf *out)
{
    mt_zip *z;
    uint64_t i;
    int rc;

    if (!file_exists(dir))
        return mt_buf_printf(out, "%s/%s", dir, name);
    if (mt_zip_open(&z, dir, NULL) != MT_OK)
        return mt_buf_printf(out, "%s!%s", dir, name);
    if (mt_zip_find(z, name, &i, NULL) == MT_OK)
        rc = mt_buf_printf(out, "%s!%s", dir, mt_zip_entry_name(z, i));
    else
        rc = mt_buf_printf(out, "%s!%s", dir, name);
    mt_zip_close(z);
    return rc;
}

void mt_src_close(mt_srcfile *f)
{
    mt_zip_entry_close(f->ze);
    mt_zip_close(f->zip);
    if (f->gz)
        gzclose(f->gz);
    mt_free(f->rbuf);
    mt_free(f->path);
    mt_buf_free(&f->linebuf);
    memset(f, 0, sizeof(*f));
}

static int fail_at(mt_srcfile *f, unsigned long line, int status, const char *fmt, va_list ap)
    __attribute__((format(printf, 4, 0)));
static int fail_at(mt_srcfile *f, unsigned long line, int status, const char *fmt, va_list ap)
{
    if (!f->err)
        return status;
    mt_buf_printf(f->err, "%s:%lu: ", f->path ? f->path : "?", line);
    mt_buf_vprintf(f->err, fmt, ap);
    return status;
}

int mt_src_fail(mt_srcfile *f, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status = fail_at(f, f->line, status, fmt, ap);
    va_end(ap);
    return status;
}

/* A read error at `line`, the line being read; 0 when the file is read
** whole, without lines: "path: reason". */
static int read_fail(mt_srcfile *f, unsigned long line, int status, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int read_fail(mt_srcfile *f, unsigned long line, int status, const char *fmt, ...)
{
    va_list ap;
    if (!f->err)
        return status;
    va_start(ap, fmt);
    if (line)
        status = fail_at(f, line, status, fmt, ap);
    else {
        mt_buf_printf(f->err, "%s: ", f->path ? f->path : "?");
        mt_buf_vprintf(f->err, fmt, ap);
    }
    va_end(ap);
    return status;
}

/* Decompressed bytes read ahead by mt_src_getline. */
#define SRC_READ_AHEAD (64u * 1024)

/* Reads up to n decompressed bytes: MT_OK with *got > 0, MT_ENOTFOUND at the
** end of the file, or an error described at `line`. */
static int src_read(mt_srcfile *f, void *buf, size_t n, size_t *got, unsigned long line)
{
    int r, zerr, rc;
    const char *msg;

    *got = 0;
    if (f->ze) {
        rc = mt_zip_entry_read(f->ze, buf, n, got);
        if (rc != MT_OK)
            return read_fail(f, line, rc, "%s", mt_zip_entry_why(f->ze));
        return *got ? MT_OK : MT_ENOTFOUND;
    }
    r = gzread(f->gz, buf, n > INT32_MAX ? INT32_MAX : (unsigned)n);
    if (r > 0) {
        *got = (size_t)r;
        return MT_OK;
    }
    msg = gzerror(f->gz, &zerr);
    /* Z_BUF_ERROR: a gzip stream cut short ends the file, as gzgets did. */
    if (r < 0 || (zerr != Z_OK && zerr != Z_BUF_ERROR) || !gzeof(f->gz))
        return read_fail(f, line, MT_EIO, "read error: %s", msg);
    return MT_ENOTFOUND;
}

int mt_src_read(mt_srcfile *f, void *buf, size_t n, size_t *got)
{
    return src_read(f, buf, n, got, f->line);
}

/* Refills f->rbuf. MT_OK with f->rlen > 0, MT_ENOTFOUND at the end of the
** file, an error (described). */
static int refill(mt_srcfile *f)
{
    f->rpos = f->rlen = 0;
    return src_read(f, f->rbuf, SRC_READ_AHEAD, &f->rlen, f->line + 1);
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

/* The rest of f into out, then closes f. */
static int read_rest(mt_srcfile *f, mt_buf *out)
{
    char chunk[65536];
    size_t n;
    int rc;

    for (;;) {
        rc = src_read(f, chunk, sizeof(chunk), &n, 0);
        if (rc == MT_ENOTFOUND) {
            rc = MT_OK;
            break;
        }
        if (rc != MT_OK)
            break;
        rc = mt_buf_append(out, chunk, n);
        if (rc != MT_OK) {
            mt_src_fail(f, rc, "file too large or out of memory");
            break;
        }
    }
    mt_src_close(f);
    return rc;
}

int mt_src_read_all(const char *dir, const char *name, mt_buf *out, mt_buf *err)
{
    mt_srcfile f;
    int rc = mt_src_open(&f, dir, name, err);

    if (rc != MT_OK)
        return rc;
    return read_rest(&f, out);
}

int mt_src_read_all_at(const mt_src_dir *d, const char *name, mt_buf *out, mt_buf *err)
{
    mt_srcfile f;
    int rc = mt_src_open_at(&f, d, name, err);

    if (rc != MT_OK)
        return rc;
    return read_rest(&f, out);
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
