/*
** kbfile.c — the knowledge-base container of kbfile.h: a checksummed header,
** a checksummed section table and 64-byte aligned, checksummed sections.
**
** Reading trusts nothing in the file: every field is range-checked with
** arithmetic that cannot overflow, and every byte of the file is covered by
** a check (header and table by their checksums, sections by theirs, the
** padding between them by being required to be zero), so a single flipped
** byte anywhere is reported. Writing goes through PATH.tmp-PID and a rename,
** so readers (which map the file) never see a half-written knowledge base.
*/
#include "kbfile/kbfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "materia/status.h"
#include "util/alloc.h"
#include "util/buf.h"

#if !defined(__BYTE_ORDER__) || __BYTE_ORDER__ != __ORDER_LITTLE_ENDIAN__
#error "Materia reads its knowledge base in place and needs a little-endian host"
#endif

/* Header byte map (docs/reference/kb-format.md). */
enum {
    H_MAGIC         = 0,    /* 12 bytes */
    H_VERSION       = 12,   /* u32 */
    H_HEADER_SIZE   = 16,   /* u32 */
    H_NSECTIONS     = 20,   /* u32 */
    H_FILE_SIZE     = 24,   /* u64 */
    H_TABLE_OFFSET  = 32,   /* u64 */
    H_TABLE_SUM     = 40,   /* u64 XXH3 of the section table */
    H_HEADER_SUM    = 48,   /* u64 XXH3 of the header with this field zero */
    H_DATA_VERSION  = 56,   /* 32 bytes, NUL padded */
    H_BUILD_DATE    = 88,   /* 32 bytes, NUL padded */
    H_RESERVED      = 120   /* to the end of the header: zero */
};
#define TEXT_FIELD 32u

/* Section table entry byte map. */
enum {
    E_ID = 0, E_ELEM_SIZE = 4, E_OFFSET = 8, E_SIZE = 16, E_CHECKSUM = 24,
    E_SIZEOF = 32
};

static uint32_t rd32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t rd64(const unsigned char *p)
{
    return (uint64_t)rd32(p) | (uint64_t)rd32(p + 4) << 32;
}

static void wr32(unsigned char *p, uint32_t v)
{
    p[0] = (unsigned char)v;
    p[1] = (unsigned char)(v >> 8);
    p[2] = (unsigned char)(v >> 16);
    p[3] = (unsigned char)(v >> 24);
}

static void wr64(unsigned char *p, uint64_t v)
{
    wr32(p, (uint32_t)v);
    wr32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t header_checksum(const unsigned char *h)
{
    unsigned char copy[MT_KBF_HEADER_SIZE];
    memcpy(copy, h, sizeof(copy));
    memset(copy + H_HEADER_SUM, 0, 8);
    return XXH3_64bits(copy, sizeof(copy));
}

static int all_zero(const unsigned char *p, uint64_t n)
{
    uint64_t i;
    for (i = 0; i < n; i++)
        if (p[i])
            return 0;
    return 1;
}

/* A NUL-padded text field: printable ASCII, then only NULs (so that what a
** user sees printed is exactly what is checksummed, with no escape codes). */
static int read_text(const unsigned char *p, char out[33])
{
    unsigned i = 0;
    while (i < TEXT_FIELD && p[i]) {
        if (p[i] < 0x20 || p[i] > 0x7e)
            return MT_ECORRUPT;
        out[i] = (char)p[i];
        i++;
    }
    out[i] = '\0';
    return all_zero(p + i, TEXT_FIELD - i) ? MT_OK : MT_ECORRUPT;
}

/* In a fuzzing build (-DMATERIA_FUZZING), MT_KBF_VERIFY_NONE also skips the
** header and table checksums: a fuzzer cannot forge XXH3, and without this
** it would never reach the structural checks behind them. */
static int skip_structure_sums(unsigned flags)
{
#ifdef MATERIA_FUZZING
    return (flags & MT_KBF_VERIFY_NONE) != 0;
#else
    (void)flags;
    return 0;
#endif
}

static int parse(mt_kbf *f, const unsigned char *d, uint64_t size, unsigned flags)
{
    uint64_t file_size, table_off, table_len, prev_end;
    uint32_t i, n;

    if (size < MT_KBF_MAGIC_LEN)
        return memcmp(d, MT_KBF_MAGIC, (size_t)size) == 0 ? MT_ETRUNCATED : MT_EMAGIC;
    if (memcmp(d + H_MAGIC, MT_KBF_MAGIC, MT_KBF_MAGIC_LEN) != 0)
        return MT_EMAGIC;
    if (size < H_VERSION + 4)
        return MT_ETRUNCATED;
    /* The version comes before the checksum: a newer format may lay out its
    ** header differently, and "unsupported version" is the useful answer. */
    if (rd32(d + H_VERSION) != MT_KBF_FORMAT_VERSION)
        return MT_EVERSION;
    if (size < MT_KBF_HEADER_SIZE)
        return MT_ETRUNCATED;
    if (!skip_structure_sums(flags) && rd64(d + H_HEADER_SUM) != header_checksum(d))
        return MT_ECHECKSUM;
    if (rd32(d + H_HEADER_SIZE) != MT_KBF_HEADER_SIZE ||
        !all_zero(d + H_RESERVED, MT_KBF_HEADER_SIZE - H_RESERVED))
        return MT_ECORRUPT;
    if (read_text(d + H_DATA_VERSION, f->data_version) != MT_OK ||
        read_text(d + H_BUILD_DATE, f->build_date) != MT_OK)
        return MT_ECORRUPT;

    file_size = rd64(d + H_FILE_SIZE);
    if (file_size > MT_KBF_MAX_FILE)
        return MT_ECORRUPT;
    if (size < file_size)
        return MT_ETRUNCATED;
    if (size > file_size)
        return MT_ECORRUPT;              /* trailing bytes no checksum covers */

    n = rd32(d + H_NSECTIONS);
    if (n > MT_KBF_MAX_SECTIONS)
        return MT_ECORRUPT;
    table_off = rd64(d + H_TABLE_OFFSET);
    table_len = (uint64_t)n * E_SIZEOF;
    if (table_off != MT_KBF_HEADER_SIZE || table_len > file_size - table_off)
        return MT_ECORRUPT;
    if (!skip_structure_sums(flags) && rd64(d + H_TABLE_SUM) != XXH3_64bits(d + table_off, (size_t)table_len))
        return MT_ECHECKSUM;

    prev_end = table_off + table_len;
    for (i = 0; i < n; i++) {
        const unsigned char *e = d + table_off + (uint64_t)i * E_SIZEOF;
        mt_kbf_section_info *s = &f->sections[i];
        s->id = rd32(e + E_ID);
        s->elem_size = rd32(e + E_ELEM_SIZE);
        s->offset = rd64(e + E_OFFSET);
        s->size = rd64(e + E_SIZE);
        s->checksum = rd64(e + E_CHECKSUM);
        /* Sorted by id without duplicates, laid out in the same order. */
        if (i > 0 && s->id <= f->sections[i - 1].id)
            return MT_ECORRUPT;
        if (s->offset % MT_KBF_ALIGN != 0 || s->offset < prev_end || s->offset > file_size)
            return MT_ECORRUPT;
        if (s->size > file_size - s->offset)
            return MT_ECORRUPT;
        if (s->elem_size != 0 && s->size % s->elem_size != 0)
            return MT_ECORRUPT;
        if (!all_zero(d + prev_end, s->offset - prev_end))
            return MT_ECORRUPT;          /* padding must be zero */
        prev_end = s->offset + s->size;
    }
    if (!all_zero(d + prev_end, file_size - prev_end))
        return MT_ECORRUPT;
    if (!(flags & MT_KBF_VERIFY_NONE)) {
        for (i = 0; i < n; i++) {
            const mt_kbf_section_info *s = &f->sections[i];
            if (XXH3_64bits(d + s->offset, (size_t)s->size) != s->checksum)
                return MT_ECHECKSUM;
        }
    }
    f->map = d;
    f->size = size;
    f->format_version = MT_KBF_FORMAT_VERSION;
    f->nsections = n;
    return MT_OK;
}

int mt_kbf_open_mem(mt_kbf *f, const void *data, size_t size, unsigned flags)
{
    int rc;
    memset(f, 0, sizeof(*f));
    if (!data && size)
        return MT_EINVAL;
    rc = parse(f, data ? data : "", (uint64_t)size, flags);
    if (rc != MT_OK)
        memset(f, 0, sizeof(*f));
    return rc;
}

int mt_kbf_open(mt_kbf *f, const char *path, unsigned flags)
{
    struct stat st;
    void *map = MAP_FAILED;
    int fd = -1, rc;

    memset(f, 0, sizeof(*f));
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0) {
        rc = MT_EIO;
        goto done;
    }
    if (!S_ISREG(st.st_mode)) {
        errno = EINVAL;
        rc = MT_EIO;
        goto done;
    }
    if ((uint64_t)st.st_size > MT_KBF_MAX_FILE) {
        rc = MT_ECORRUPT;
        goto done;
    }
    if (st.st_size == 0) {               /* mmap refuses empty files */
        rc = MT_ETRUNCATED;
        goto done;
    }
    map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
    if (map == MAP_FAILED) {
        rc = MT_EIO;
        goto done;
    }
    rc = parse(f, map, (uint64_t)st.st_size, flags);
    if (rc == MT_OK)
        f->owns_map = 1;
done:
    if (fd >= 0) {
        int saved = errno;
        close(fd);
        errno = saved;
    }
    if (rc != MT_OK) {
        if (map != MAP_FAILED)
            munmap(map, (size_t)st.st_size);
        memset(f, 0, sizeof(*f));
    }
    return rc;
}

void mt_kbf_close(mt_kbf *f)
{
    if (f->owns_map && f->map)
        munmap((void *)(uintptr_t)f->map, (size_t)f->size);
    memset(f, 0, sizeof(*f));
}

int mt_kbf_section(const mt_kbf *f, uint32_t id, uint32_t elem_size,
                   const void **data, uint64_t *count)
{
    uint32_t lo = 0, hi = f->nsections;
    *data = NULL;
    *count = 0;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        const mt_kbf_section_info *s = &f->sections[mid];
        if (s->id < id) {
            lo = mid + 1;
        } else if (s->id > id) {
            hi = mid;
        } else {
            if (s->elem_size != elem_size)
                return MT_ECORRUPT;
            *data = f->map + s->offset;
            *count = elem_size ? s->size / elem_size : s->size;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

/* --- writing ------------------------------------------------------------ */

typedef struct kbw_sec {
    uint32_t id, elem_size;
    const void *data;
    uint64_t size;
} kbw_sec;

struct mt_kbw {
    char    *path;
    char    *dir;       /* folder of path, for the fsync after rename */
    char    *tmp;
    int      fd;
    uint32_t n;
    kbw_sec  secs[MT_KBF_MAX_SECTIONS];
};

int mt_kbw_open(mt_kbw **out, const char *path)
{
    mt_kbw *w = NULL;
    const char *slash;
    mt_buf tmp;
    int rc;

    *out = NULL;
    mt_buf_init(&tmp, 8192);
    if (!path || !*path) {
        rc = MT_EINVAL;
        goto done;
    }
    w = mt_calloc(1, sizeof(*w));
    if (!w) {
        rc = MT_ENOMEM;
        goto done;
    }
    w->fd = -1;
    w->path = mt_strdup(path);
    slash = strrchr(path, '/');
    w->dir = slash ? mt_strndup(path, slash == path ? 1 : (size_t)(slash - path)) : mt_strdup(".");
    if (!w->path || !w->dir || mt_buf_printf(&tmp, "%s.tmp-%ld", path, (long)getpid()) != MT_OK) {
        rc = MT_ENOMEM;
        goto done;
    }
    w->tmp = mt_buf_detach(&tmp);
    /* O_TRUNC rather than O_EXCL: a temp file left by a killed build with
    ** this same pid is ours to overwrite. */
    w->fd = open(w->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (w->fd < 0) {
        rc = MT_EIO;
        goto done;
    }
    *out = w;
    w = NULL;
    rc = MT_OK;
done:
    if (w) {
        int saved = errno;
        mt_free(w->tmp);
        mt_free(w->dir);
        mt_free(w->path);
        mt_free(w);
        errno = saved;
    }
    mt_buf_free(&tmp);
    return rc;
}

int mt_kbw_add(mt_kbw *w, uint32_t id, uint32_t elem_size, const void *data, uint64_t size)
{
    uint32_t i;
    if (!w || (size && !data) || (elem_size && size % elem_size != 0))
        return MT_EINVAL;
    for (i = 0; i < w->n; i++)
        if (w->secs[i].id == id)
            return MT_EEXIST;
    if (w->n >= MT_KBF_MAX_SECTIONS)
        return MT_ELIMIT;
    w->secs[w->n].id = id;
    w->secs[w->n].elem_size = elem_size;
    w->secs[w->n].data = data;
    w->secs[w->n].size = size;
    w->n++;
    return MT_OK;
}

static int write_all(int fd, const void *data, uint64_t size)
{
    const unsigned char *p = data;
    while (size > 0) {
        size_t chunk = size > (1u << 30) ? (1u << 30) : (size_t)size;
        ssize_t k = write(fd, p, chunk);
        if (k < 0) {
            if (errno == EINTR)
                continue;
            return MT_EIO;
        }
        if (k == 0) {
            errno = EIO;
            return MT_EIO;
        }
        p += k;
        size -= (uint64_t)k;
    }
    return MT_OK;
}

static int write_zeros(int fd, uint64_t n)
{
    static const unsigned char zeros[MT_KBF_ALIGN];
    while (n > 0) {
        uint64_t k = n > sizeof(zeros) ? sizeof(zeros) : n;
        int rc = write_all(fd, zeros, k);
        if (rc != MT_OK)
            return rc;
        n -= k;
    }
    return MT_OK;
}

static int cmp_sec(const void *a, const void *b)
{
    uint32_t x = ((const kbw_sec *)a)->id, y = ((const kbw_sec *)b)->id;
    return x < y ? -1 : x > y;
}

/* fsync of the directory holding the file, so that the rename itself is
** durable. Best effort: the new file is already in place when this runs. */
static void sync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void)fsync(fd);
        close(fd);
    }
}

static void kbw_free(mt_kbw *w)
{
    if (w->fd >= 0)
        close(w->fd);
    mt_free(w->tmp);
    mt_free(w->dir);
    mt_free(w->path);
    mt_free(w);
}

static int put_text(unsigned char *dst, const char *s)
{
    size_t len = s ? strlen(s) : 0, i;
    if (len > TEXT_FIELD)
        return MT_EINVAL;
    for (i = 0; i < len; i++)
        if ((unsigned char)s[i] < 0x20 || (unsigned char)s[i] > 0x7e)
            return MT_EINVAL;
    if (len)
        memcpy(dst, s, len);
    return MT_OK;
}

int mt_kbw_commit(mt_kbw *w, const char *data_version, const char *build_date)
{
    unsigned char header[MT_KBF_HEADER_SIZE];
    unsigned char table[MT_KBF_MAX_SECTIONS * E_SIZEOF];
    uint64_t pos, table_len;
    uint32_t i;
    int rc, synced, closed, sync_errno;

    if (!w)
        return MT_EINVAL;
    memset(header, 0, sizeof(header));
    memset(table, 0, sizeof(table));
    if ((rc = put_text(header + H_DATA_VERSION, data_version)) != MT_OK ||
        (rc = put_text(header + H_BUILD_DATE, build_date)) != MT_OK)
        goto done;

    qsort(w->secs, w->n, sizeof(w->secs[0]), cmp_sec);
    table_len = (uint64_t)w->n * E_SIZEOF;
    pos = MT_KBF_HEADER_SIZE + table_len;
    for (i = 0; i < w->n; i++) {
        unsigned char *e = table + (size_t)i * E_SIZEOF;
        const kbw_sec *s = &w->secs[i];
        pos = (pos + MT_KBF_ALIGN - 1) / MT_KBF_ALIGN * MT_KBF_ALIGN;
        if (s->size > MT_KBF_MAX_FILE || pos > MT_KBF_MAX_FILE - s->size) {
            rc = MT_ELIMIT;
            goto done;
        }
        wr32(e + E_ID, s->id);
        wr32(e + E_ELEM_SIZE, s->elem_size);
        wr64(e + E_OFFSET, pos);
        wr64(e + E_SIZE, s->size);
        wr64(e + E_CHECKSUM, XXH3_64bits(s->size ? s->data : "", (size_t)s->size));
        pos += s->size;
    }
    memcpy(header + H_MAGIC, MT_KBF_MAGIC, MT_KBF_MAGIC_LEN);
    wr32(header + H_VERSION, MT_KBF_FORMAT_VERSION);
    wr32(header + H_HEADER_SIZE, MT_KBF_HEADER_SIZE);
    wr32(header + H_NSECTIONS, w->n);
    wr64(header + H_FILE_SIZE, pos);
    wr64(header + H_TABLE_OFFSET, MT_KBF_HEADER_SIZE);
    wr64(header + H_TABLE_SUM, XXH3_64bits(table, (size_t)table_len));
    wr64(header + H_HEADER_SUM, header_checksum(header));

    if ((rc = write_all(w->fd, header, sizeof(header))) != MT_OK ||
        (rc = write_all(w->fd, table, table_len)) != MT_OK)
        goto done;
    pos = MT_KBF_HEADER_SIZE + table_len;
    for (i = 0; i < w->n; i++) {
        const kbw_sec *s = &w->secs[i];
        uint64_t aligned = (pos + MT_KBF_ALIGN - 1) / MT_KBF_ALIGN * MT_KBF_ALIGN;
        if ((rc = write_zeros(w->fd, aligned - pos)) != MT_OK ||
            (rc = write_all(w->fd, s->data, s->size)) != MT_OK)
            goto done;
        pos = aligned + s->size;
    }
    /* Close whatever fsync says: a failed fsync must not leave the descriptor
    ** open (the caller may be a long-running process). Its errno is the one
    ** reported, and close(2) releases the descriptor even when it fails. */
    synced = fsync(w->fd) == 0;
    sync_errno = errno;
    closed = close(w->fd) == 0;
    w->fd = -1;
    if (!synced || !closed) {
        if (!synced)
            errno = sync_errno;
        rc = MT_EIO;
        goto done;
    }
    if (rename(w->tmp, w->path) != 0) {
        rc = MT_EIO;
        goto done;
    }
    sync_dir(w->dir);
    rc = MT_OK;
done:
    if (rc != MT_OK) {
        int saved = errno;
        if (w->fd >= 0) {
            close(w->fd);
            w->fd = -1;
        }
        unlink(w->tmp);
        errno = saved;
    }
    kbw_free(w);
    return rc;
}

void mt_kbw_abort(mt_kbw *w)
{
    if (!w)
        return;
    if (w->fd >= 0) {
        close(w->fd);
        w->fd = -1;
    }
    unlink(w->tmp);
    kbw_free(w);
}
