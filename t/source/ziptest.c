/*
** ziptest.c — zips made in tests (ziptest.h): libzip writes them, and the
** patches walk the local and central headers (PKWARE APPNOTE 4.3.7, 4.3.12)
** to make a header lie.
*/
#include "source/ziptest.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "util/alloc.h"

int zt_write(const char *path, const zt_entry *e, size_t n)
{
    int code = 0, ok = 1;
    size_t i;
    zip_t *za = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);

    if (!za)
        return 0;
    for (i = 0; i < n && ok; i++) {
        zip_int64_t idx;
        if (!e[i].data) {
            ok = zip_dir_add(za, e[i].name, 0) >= 0;
            continue;
        }
        zip_source_t *src = zip_source_buffer(za, e[i].data, e[i].len, 0);
        if (!src) {
            ok = 0;
            break;
        }
        if ((idx = zip_file_add(za, e[i].name, src, 0)) < 0) {
            zip_source_free(src);
            ok = 0;
            break;
        }
        if (zip_set_file_compression(za, (zip_uint64_t)idx, e[i].store ? ZIP_CM_STORE : ZIP_CM_DEFLATE, 0) != 0)
            ok = 0;
        if (ok && e[i].encrypt && zip_file_set_encryption(za, (zip_uint64_t)idx, e[i].encrypt, "pw") != 0)
            ok = 0;
    }
    if (!ok) {
        zip_discard(za);
        return 0;
    }
    return zip_close(za) == 0;
}

unsigned char *zt_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    long size;

    *len = 0;
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (data = mt_malloc((size_t)size + 1)) != NULL) {
        if (fread(data, 1, (size_t)size, f) == (size_t)size)
            *len = (size_t)size;
        else {
            mt_free(data);
            data = NULL;
        }
    }
    fclose(f);
    return data;
}

int zt_spit(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    int ok;
    if (!f)
        return 0;
    ok = fwrite(data, 1, len, f) == len;
    return fclose(f) == 0 && ok;
}

static uint16_t get16(const unsigned char *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

static void put16(unsigned char *p, uint16_t v)
{
    p[0] = (unsigned char)(v & 0xff);
    p[1] = (unsigned char)(v >> 8);
}

static void put32(unsigned char *p, uint32_t v)
{
    put16(p, (uint16_t)(v & 0xffff));
    put16(p + 2, (uint16_t)(v >> 16));
}

/* Calls fn on every header (local: name at 30, central: name at 46) of the
** entry called name; returns how many. */
static int each_header(unsigned char *zip, size_t len, const char *name,
                       void (*fn)(unsigned char *hdr, int central, const void *arg), const void *arg)
{
    size_t nlen = strlen(name), i;
    int n = 0;
    for (i = 0; i + 46 <= len; i++) {
        int central;
        size_t at;
        if (zip[i] != 'P' || zip[i + 1] != 'K')
            continue;
        if (zip[i + 2] == 3 && zip[i + 3] == 4)
            central = 0, at = 30;
        else if (zip[i + 2] == 1 && zip[i + 3] == 2)
            central = 1, at = 46;
        else
            continue;
        if (get16(zip + i + (central ? 28 : 26)) != nlen || i + at + nlen > len ||
            memcmp(zip + i + at, name, nlen) != 0)
            continue;
        fn(zip + i, central, arg);
        n++;
    }
    return n;
}

static void set_size(unsigned char *hdr, int central, const void *arg)
{
    put32(hdr + (central ? 24 : 22), *(const uint32_t *)arg);
}

static void set_method(unsigned char *hdr, int central, const void *arg)
{
    put16(hdr + (central ? 10 : 8), *(const uint16_t *)arg);
}

static void set_name(unsigned char *hdr, int central, const void *arg)
{
    const char *to = arg;
    memcpy(hdr + (central ? 46 : 30), to, strlen(to));
}

int zt_patch_size(unsigned char *zip, size_t len, const char *name, uint32_t size)
{
    return each_header(zip, len, name, set_size, &size);
}

int zt_patch_method(unsigned char *zip, size_t len, const char *name, uint16_t method)
{
    return each_header(zip, len, name, set_method, &method);
}

int zt_patch_name(unsigned char *zip, size_t len, const char *name, const char *to)
{
    if (strlen(to) != strlen(name))
        return 0;
    return each_header(zip, len, name, set_name, to);
}

const char *zt_scratch(char *buf, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, size, "%s/materia-zip-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(buf);
}

static int remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    (void)remove(path);                    /* go on: remove what can be */
    return 0;
}

void zt_rmtree(const char *dir)
{
    /* test scratch only: a folder zt_scratch made */
    if (!dir || !strstr(dir, "materia-zip-"))
        return;
    nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

int zt_put(const char *dir, const char *name, const void *data, size_t len)
{
    char path[2048];
    size_t i;
    int n = snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (n < 0 || (size_t)n >= sizeof(path))
        return 0;
    for (i = 1; path[i]; i++)
        if (path[i] == '/') {
            path[i] = '\0';
            if (mkdir(path, 0755) != 0 && errno != EEXIST)
                return 0;
            path[i] = '/';
        }
    if (!data)
        return mkdir(path, 0755) == 0 || errno == EEXIST;
    return zt_spit(path, data, len);
}
