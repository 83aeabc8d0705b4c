/*
** fuzz_zip_source.c — libFuzzer target for lib/source/srczip.c, srcwalk.c
** and srcfile.c's zip reading: arbitrary bytes opened as a zip from memory
** (zip_source_buffer), every entry walked — the zips inside it too, one
** level — and read through the line reader to its end, and a few names
** looked up at any depth. Each must be read or refused with a status and a
** message, never read outside the input, never leak (ASan), and never hand
** out more bytes than an entry declares.
**
** The caps are lowered (1 MiB an entry, 4 MiB an archive, 256 KiB an inner
** zip) so that a zip bomb ends quickly. libzip itself is not instrumented
** for coverage: the fuzzer steers by our code's branches.
** Seeds: fuzz/corpus/fuzz_zip_source/ (stored and deflated entries, nested
** folders, a zip of label zips, a header that lies about its size).
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "materia/status.h"
#include "source/srcfile.h"
#include "source/srcwalk.h"
#include "source/srczip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int want_all(const char *name)
{
    (void)name;
    return 1;
}

/* A failure of our readers always says where and why. */
static void require_message(int rc, const mt_buf *err)
{
    if (rc != MT_OK && rc != MT_ENOMEM && rc != MT_ENOTFOUND && err->len == 0)
        abort();
}

static int read_lines(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    mt_buf *err = user;
    size_t i;
    for (i = 0; i < n; i++) {
        mt_srcfile f;
        char *line;
        size_t len;
        uint64_t total = 0;
        int rc;
        mt_buf_reset(err);
        if ((rc = mt_src_open_at(&f, d, names[i], err)) != MT_OK) {
            require_message(rc, err);
            continue;
        }
        while ((rc = mt_src_getline(&f, &line, &len)) == MT_OK) {
            total += len;
            /* no NUL in a line, and never more than the entry declares */
            if (memchr(line, '\0', len) || total > mt_zip_entry_size(f.ze))
                abort();
        }
        if (rc != MT_ENOTFOUND)
            require_message(rc, err);
        mt_src_close(&f);
    }
    return MT_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "product.txt", "rrf/RXNCONSO.RRF", "a.xml", "x" };
    mt_zip_caps caps = { 1u << 20, 4u << 20, 256u << 10 };
    mt_zip *z = NULL;
    mt_buf err;
    uint64_t idx;
    size_t i;
    int rc;

    mt_zip_set_caps(&caps);
    mt_buf_init(&err, 64 * 1024);
    rc = mt_zip_open_buffer(&z, "fuzz.zip", data, size, &err);
    require_message(rc, &err);
    if (rc == MT_OK) {
        for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
            mt_buf_reset(&err);
            rc = mt_zip_find(z, names[i], &idx, &err);
            if (rc == MT_EFORMAT && err.len == 0)
                abort();
            if (rc == MT_OK && !mt_zip_entry_name(z, idx))
                abort();
        }
        mt_buf_reset(&err);
        rc = mt_src_walk_zip(z, MT_SRC_WALK_ZIPS | MT_SRC_WALK_INNER, want_all, read_lines, &err, &err);
        require_message(rc, &err);
        mt_zip_close(z);
    }
    mt_buf_free(&err);
    return 0;
}
