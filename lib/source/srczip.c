/*
** srczip.c — zip archives through libzip, with the caps and checks of
** srczip.h: declared and actual sizes, the total per archive, encryption and
** methods refused, every libzip return code checked.
*/
#include "source/srczip.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <zip.h>

#include "materia/status.h"
#include "util/alloc.h"

struct mt_zip {
    zip_t    *za;
    char     *name;       /* for messages */
    void     *data;       /* an inner zip: its bytes (ours), else NULL */
    mt_zip   *outer;      /* an inner zip: the archive it was read from */
    int       depth;
    uint64_t  count;      /* entries */
    uint64_t  total;      /* uncompressed bytes read from it (and its inner zips) */
};

struct mt_zip_entry {
    mt_zip     *z;
    zip_file_t *zf;
    uint64_t    declared; /* uncompressed size from the central directory */
    uint64_t    got;      /* bytes read so far */
    int         status;   /* MT_OK until a read fails, then that failure for good */
    char        why[320];
};

static mt_zip_caps caps = { MT_ZIP_MAX_ENTRY, MT_ZIP_MAX_TOTAL, MT_ZIP_MAX_INNER };

void mt_zip_set_caps(const mt_zip_caps *c)
{
    static const mt_zip_caps defaults = { MT_ZIP_MAX_ENTRY, MT_ZIP_MAX_TOTAL, MT_ZIP_MAX_INNER };
    caps = c ? *c : defaults;
}

mt_zip_caps mt_zip_get_caps(void)
{
    return caps;
}

int mt_zip_is_zip_name(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcasecmp(name + n - 4, ".zip") == 0;
}

/* A libzip error code as a status: memory, damaged input, or the system. */
static int status_of(int zip_err)
{
    switch (zip_err) {
    case ZIP_ER_MEMORY:
        return MT_ENOMEM;
    case ZIP_ER_NOENT:
        return MT_ENOTFOUND;
    case ZIP_ER_OPEN: case ZIP_ER_READ: case ZIP_ER_SEEK: case ZIP_ER_TELL:
        return MT_EIO;
    default:
        return MT_EFORMAT;
    }
}

/* Fills in what both ways of opening share, once libzip has the archive. */
static int opened(mt_zip *z, mt_buf *err)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    if (n < 0) {
        if (err)
            mt_buf_printf(err, "%s: cannot count the entries: %s", z->name, zip_strerror(z->za));
        return MT_EFORMAT;
    }
    if ((uint64_t)n > MT_ZIP_MAX_ENTRIES) {
        if (err)
            mt_buf_printf(err, "%s: %lld entries, more than the %u read from one zip", z->name, (long long)n,
                          MT_ZIP_MAX_ENTRIES);
        return MT_ELIMIT;
    }
    z->count = (uint64_t)n;
    return MT_OK;
}

static int open_failed(const char *name, int code, mt_buf *err)
{
    zip_error_t ze;
    int rc = status_of(code);
    zip_error_init_with_code(&ze, code);
    if (err) {
        if (rc == MT_EFORMAT)
            mt_buf_printf(err, "%s: not a zip archive, or a damaged one (%s)", name, zip_error_strerror(&ze));
        else
            mt_buf_printf(err, "%s: cannot open the zip: %s", name, zip_error_strerror(&ze));
    }
    zip_error_fini(&ze);
    return rc;
}

int mt_zip_open(mt_zip **out, const char *path, mt_buf *err)
{
    mt_zip *z = mt_calloc(1, sizeof(*z));
    int code = 0, rc = MT_OK;

    if (!z || !(z->name = mt_strdup(path))) {
        rc = MT_ENOMEM;
        goto done;
    }
    /* ZIP_CHECKCONS: each local header must agree with the central directory. */
    if (!(z->za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code))) {
        rc = open_failed(path, code, err);
        goto done;
    }
    rc = opened(z, err);
done:
    if (rc != MT_OK) {
        mt_zip_close(z);
        z = NULL;
    }
    *out = z;
    return rc;
}

/* Opens data (len bytes) under name; data stays the caller's. */
static int open_memory(mt_zip *z, const void *data, size_t len, mt_buf *err)
{
    zip_error_t ze;
    zip_source_t *src;
    int rc = MT_OK;

    zip_error_init(&ze);
    if (!(src = zip_source_buffer_create(len ? data : NULL, len, 0, &ze))) {
        rc = open_failed(z->name, zip_error_code_zip(&ze), err);
        goto done;
    }
    if (!(z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze))) {
        zip_source_free(src);              /* not taken over on failure */
        rc = open_failed(z->name, zip_error_code_zip(&ze), err);
        goto done;
    }
    rc = opened(z, err);
done:
    zip_error_fini(&ze);
    return rc;
}

int mt_zip_open_buffer(mt_zip **out, const char *name, const void *data, size_t len, mt_buf *err)
{
    mt_zip *z = mt_calloc(1, sizeof(*z));
    int rc;

    if (!z || !(z->name = mt_strdup(name))) {
        rc = MT_ENOMEM;
        goto done;
    }
    rc = open_memory(z, data, len, err);
done:
    if (rc != MT_OK) {
        mt_zip_close(z);
        z = NULL;
    }
    *out = z;
    return rc;
}

int mt_zip_open_inner(mt_zip **out, mt_zip *outer, uint64_t index, mt_buf *err)
{
    mt_zip *z = NULL;
    mt_zip_entry *e = NULL;
    const char *ename = mt_zip_entry_name(outer, index);
    mt_buf name;
    size_t pos = 0, got;
    int rc;

    mt_buf_init(&name, 64 * 1024);
    if (!ename) {
        if (err)
            mt_buf_printf(err, "%s: no entry %llu", outer->name, (unsigned long long)index);
        rc = MT_ENOTFOUND;
        goto done;
    }
    if (outer->depth >= 1) {
        if (err)
            mt_buf_printf(err, "%s!%s: a zip inside a zip inside a zip is not read (one level of zips "
                          "inside a zip is)", outer->name, ename);
        rc = MT_EFORMAT;
        goto done;
    }
    if ((rc = mt_zip_entry_open(&e, outer, index, err)) != MT_OK)
        goto done;
    if (e->declared > caps.inner || e->declared > SIZE_MAX - 1) {
        if (err)
            mt_buf_printf(err, "%s!%s: a zip inside the zip of %llu bytes, more than the %llu read into "
                          "memory (unzip the outer zip first)", outer->name, ename,
                          (unsigned long long)e->declared, (unsigned long long)caps.inner);
        rc = MT_ELIMIT;
        goto done;
    }
    if ((rc = mt_buf_printf(&name, "%s!%s", outer->name, ename)) != MT_OK)
        goto done;
    if (!(z = mt_calloc(1, sizeof(*z))) || !(z->data = mt_malloc((size_t)e->declared + 1))) {
        rc = MT_ENOMEM;
        goto done;
    }
    z->outer = outer;
    z->depth = outer->depth + 1;
    z->name = mt_buf_detach(&name);
    /* One byte of room past the declared size: a longer entry fails in the read. */
    for (;;) {
        if ((rc = mt_zip_entry_read(e, (char *)z->data + pos, (size_t)e->declared + 1 - pos, &got)) != MT_OK) {
            if (err)
                mt_buf_printf(err, "%s: %s", z->name, e->why);
            goto done;
        }
        if (!got)
            break;
        pos += got;
    }
    rc = open_memory(z, z->data, pos, err);
done:
    mt_zip_entry_close(e);
    mt_buf_free(&name);
    if (rc != MT_OK) {
        mt_zip_close(z);
        z = NULL;
    }
    *out = z;
    return rc;
}

void mt_zip_close(mt_zip *z)
{
    if (!z)
        return;
    if (z->za)
        zip_discard(z->za);                /* read-only: nothing to write back */
    mt_free(z->data);
    mt_free(z->name);
    mt_free(z);
}

const char *mt_zip_name(const mt_zip *z)
{
    return z->name;
}

int mt_zip_depth(const mt_zip *z)
{
    return z->depth;
}

uint64_t mt_zip_count(const mt_zip *z)
{
    return z->count;
}

const char *mt_zip_entry_name(mt_zip *z, uint64_t i)
{
    if (i >= z->count)
        return NULL;
    return zip_get_name(z->za, i, 0);
}

static int is_folder_name(const char *name)
{
    size_t n = strlen(name);
    return n == 0 || name[n - 1] == '/';
}

int mt_zip_locate(mt_zip *z, const char *name, uint64_t *index)
{
    zip_int64_t i = zip_name_locate(z->za, name, 0);
    if (i < 0 || is_folder_name(name))
        return MT_ENOTFOUND;
    *index = (uint64_t)i;
    return MT_OK;
}

static unsigned long slashes(const char *s)
{
    unsigned long n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

int mt_zip_find(mt_zip *z, const char *name, uint64_t *index, mt_buf *err)
{
    size_t want = strlen(name);
    uint64_t i, best = 0, tie = 0;
    unsigned long best_depth = 0;
    int found = 0, tied = 0;

    if (!want)
        return MT_ENOTFOUND;
    for (i = 0; i < z->count; i++) {
        const char *e = zip_get_name(z->za, i, 0);
        size_t n;
        unsigned long d;
        if (!e || is_folder_name(e))
            continue;
        n = strlen(e);
        if (!(n == want && memcmp(e, name, n) == 0) &&
            !(n > want && e[n - want - 1] == '/' && memcmp(e + n - want, name, want) == 0))
            continue;
        d = slashes(e);
        if (!found || d < best_depth) {
            found = 1;
            tied = 0;
            best = i;
            best_depth = d;
        } else if (d == best_depth && !tied) {
            tied = 1;
            tie = i;
        }
    }
    if (!found)
        return MT_ENOTFOUND;
    if (tied) {
        if (err)
            mt_buf_printf(err, "%s: two entries are %s at the same depth, %s and %s: which one to read is "
                          "not clear", z->name, name, zip_get_name(z->za, best, 0), zip_get_name(z->za, tie, 0));
        return MT_EFORMAT;
    }
    *index = best;
    return MT_OK;
}

/* --- entries ------------------------------------------------------------------ */

int mt_zip_entry_open(mt_zip_entry **out, mt_zip *z, uint64_t index, mt_buf *err)
{
    const zip_uint64_t need = ZIP_STAT_NAME | ZIP_STAT_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
    mt_zip_entry *e = NULL;
    const char *ename = mt_zip_entry_name(z, index);
    zip_stat_t st;
    int rc = MT_OK;

    if (!ename) {
        if (err)
            mt_buf_printf(err, "%s: no entry %llu", z->name, (unsigned long long)index);
        rc = MT_ENOTFOUND;
        goto done;
    }
    zip_stat_init(&st);
    if (zip_stat_index(z->za, index, 0, &st) != 0) {
        rc = status_of(zip_error_code_zip(zip_get_error(z->za)));
        if (err)
            mt_buf_printf(err, "%s!%s: %s", z->name, ename, zip_strerror(z->za));
        goto done;
    }
    if ((st.valid & need) != need) {
        if (err)
            mt_buf_printf(err, "%s!%s: the zip's directory gives no size, method or encryption for it", z->name,
                          ename);
        rc = MT_EFORMAT;
    } else if (is_folder_name(ename)) {
        if (err)
            mt_buf_printf(err, "%s!%s: a folder, not a file", z->name, ename);
        rc = MT_EFORMAT;
    } else if (st.encryption_method != ZIP_EM_NONE) {
        if (err)
            mt_buf_printf(err, "%s!%s: encrypted (method %u): Materia reads no password-protected entry "
                          "(unzip it with its password)", z->name, ename, (unsigned)st.encryption_method);
        rc = MT_EFORMAT;
    } else if (!zip_compression_method_supported(st.comp_method, 0)) {
        if (err)
            mt_buf_printf(err, "%s!%s: compressed with method %d, which this libzip cannot decompress "
                          "(unzip it with a tool that can)", z->name, ename, (int)st.comp_method);
        rc = MT_EFORMAT;
    } else if (st.size > caps.entry) {
        if (err)
            mt_buf_printf(err, "%s!%s: declares %llu bytes uncompressed, more than the %llu read from one "
                          "entry: a damaged or hostile zip", z->name, ename, (unsigned long long)st.size,
                          (unsigned long long)caps.entry);
        rc = MT_ELIMIT;
    }
    if (rc != MT_OK)
        goto done;
    if (!(e = mt_calloc(1, sizeof(*e)))) {
        rc = MT_ENOMEM;
        goto done;
    }
    e->z = z;
    e->declared = st.size;
    if (!(e->zf = zip_fopen_index(z->za, index, 0))) {
        rc = status_of(zip_error_code_zip(zip_get_error(z->za)));
        if (err)
            mt_buf_printf(err, "%s!%s: cannot read it: %s", z->name, ename, zip_strerror(z->za));
    }
done:
    if (rc != MT_OK) {
        mt_zip_entry_close(e);
        e = NULL;
    }
    *out = e;
    return rc;
}

static int entry_fail(mt_zip_entry *e, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int entry_fail(mt_zip_entry *e, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(e->why, sizeof(e->why), fmt, ap);
    va_end(ap);
    e->status = status;
    return status;
}

int mt_zip_entry_read(mt_zip_entry *e, void *buf, size_t n, size_t *got)
{
    zip_uint64_t ask;
    zip_int64_t r;
    mt_zip *a;

    *got = 0;
    if (e->status != MT_OK)
        return e->status;
    if (!n)
        return MT_OK;
    /* Never more than one byte past the declared size: that byte is the proof
    ** of a lying header, and nothing past it is handed out. */
    ask = e->declared - e->got + 1;
    if (ask == 0 || ask > n)               /* ask == 0: declared is UINT64_MAX */
        ask = n;
    r = zip_fread(e->zf, buf, ask);
    if (r < 0) {
        zip_error_t *ze = zip_file_get_error(e->zf);
        return entry_fail(e, status_of(zip_error_code_zip(ze)), "cannot decompress: %s", zip_file_strerror(e->zf));
    }
    if (r == 0) {
        if (e->got < e->declared)
            return entry_fail(e, MT_EFORMAT, "the entry ends after %llu bytes, its header declares %llu (a "
                              "truncated or damaged zip)", (unsigned long long)e->got,
                              (unsigned long long)e->declared);
        return MT_OK;
    }
    if ((uint64_t)r > ask)                 /* libzip never does this; checked all the same */
        return entry_fail(e, MT_EIO, "libzip returned more bytes than asked");
    e->got += (uint64_t)r;
    if (e->got > e->declared)
        return entry_fail(e, MT_EFORMAT, "more bytes than the %llu its header declares: a damaged or hostile "
                          "zip, not read further", (unsigned long long)e->declared);
    for (a = e->z; a; a = a->outer) {
        a->total += (uint64_t)r;
        if (a->total > caps.total)
            return entry_fail(e, MT_ELIMIT, "more than %llu bytes uncompressed read from %s: a damaged or "
                              "hostile zip, not read further", (unsigned long long)caps.total, a->name);
    }
    *got = (size_t)r;
    return MT_OK;
}

const char *mt_zip_entry_why(const mt_zip_entry *e)
{
    return e->why[0] ? e->why : "no error";
}

uint64_t mt_zip_entry_size(const mt_zip_entry *e)
{
    return e->declared;
}

void mt_zip_entry_close(mt_zip_entry *e)
{
    if (!e)
        return;
    if (e->zf)
        zip_fclose(e->zf);
    mt_free(e);
}
