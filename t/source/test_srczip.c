/*
** test_srczip.c — zip archives read as folders (lib/source/srczip.c, and
** srcfile.c's mt_src_open on a zip): an entry reads as the same file
** unzipped, is found at any folder depth, and every damaged or hostile zip
** is refused with ARCHIVE!ENTRY in the message — a missing entry, a NUL
** byte, a declared size over the cap, a header that lies about the size,
** encryption, an unknown method, garbage, the total and inner caps, a zip
** nested too deep — and allocation failures unwind without leaks (ASan).
** The zips are made here with libzip (t/source/ziptest.c).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#include "harness.h"
#include "materia/status.h"
#include "source/srcfile.h"
#include "source/srcwalk.h"
#include "source/srczip.h"
#include "source/ziptest.h"
#include "util/alloc.h"

/* Lines that exercise the reader: CRLF, an empty line, one longer than its
** 64 KiB read-ahead, and a last line without a newline. mt_malloc'd. */
static char *sample_text(size_t *len)
{
    size_t longlen = 200000, pos = 0, i;
    char *t = mt_malloc(longlen + 1024);
    if (!t)
        return NULL;
    memcpy(t, "id|name\r\n\n1|aspirin\n", 20);
    pos = 20;
    for (i = 0; i < longlen; i++)
        t[pos++] = (char)('a' + i % 26);
    t[pos++] = '\n';
    memcpy(t + pos, "2|ibuprofen\n3|naproxen", 22);
    pos += 22;
    *len = pos;
    return t;
}

/* Every line of dir/name through mt_src_open, joined with '\n' into out;
** returns the status that ended the reading (MT_OK at the end). */
static int all_lines(const char *dir, const char *name, mt_buf *out, mt_buf *err, unsigned long *lines)
{
    mt_srcfile f;
    char *line;
    size_t len;
    int rc = mt_src_open(&f, dir, name, err);
    if (rc != MT_OK)
        return rc;
    while ((rc = mt_src_getline(&f, &line, &len)) == MT_OK)
        if ((rc = mt_buf_append(out, line, len)) != MT_OK || (rc = mt_buf_putc(out, '\n')) != MT_OK)
            break;
    *lines = f.line;
    mt_src_close(&f);
    return rc == MT_ENOTFOUND ? MT_OK : rc;
}

static int count_rows(void *user, char **fields, size_t nfields, unsigned long line)
{
    (void)fields;
    (void)line;
    *(size_t *)user += nfields;
    return MT_OK;
}

TEST(srczip_entry_reads_as_the_same_file_unzipped)
{
    char dirbuf[512], zpath[1024], spath[1024], expect[1200];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    size_t len = 0, fa = 0, fb = 0;
    char *text = sample_text(&len);
    mt_buf a, b, err;
    unsigned long la = 0, lb = 0;
    mt_srcfile f;
    zt_entry e[1];

    REQUIRE(dir != NULL && text != NULL);
    mt_buf_init(&a, 1u << 24);
    mt_buf_init(&b, 1u << 24);
    mt_buf_init(&err, 4096);
    REQUIRE(zt_put(dir, "t.txt", text, len));
    snprintf(zpath, sizeof(zpath), "%s/t.zip", dir);
    snprintf(spath, sizeof(spath), "%s/stored.zip", dir);
    memset(e, 0, sizeof(e));
    e[0].name = "t.txt";
    e[0].data = text;
    e[0].len = len;
    REQUIRE(zt_write(zpath, e, 1));
    e[0].store = 1;
    REQUIRE(zt_write(spath, e, 1));

    /* line by line: the same lines, the same count, deflated or stored */
    CHECK_EQ_INT(all_lines(dir, "t.txt", &a, &err, &la), MT_OK);
    CHECK_EQ_INT(all_lines(zpath, "t.txt", &b, &err, &lb), MT_OK);
    CHECK_EQ_INT(la, 6);
    CHECK_EQ_INT(lb, la);
    CHECK(a.len > 200000 && a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    mt_buf_reset(&b);
    CHECK_EQ_INT(all_lines(spath, "t.txt", &b, &err, &lb), MT_OK);
    CHECK(a.len == b.len && memcmp(a.data, b.data, a.len) == 0);
    /* whole: the bytes as written */
    mt_buf_reset(&a);
    mt_buf_reset(&b);
    CHECK_EQ_INT(mt_src_read_all(dir, "t.txt", &a, &err), MT_OK);
    CHECK_EQ_INT(mt_src_read_all(zpath, "t.txt", &b, &err), MT_OK);
    CHECK(a.len == len && b.len == len && memcmp(b.data, text, len) == 0);
    /* delimited text: the same fields */
    CHECK_EQ_INT(mt_csv_read(dir, "t.txt", '|', 0, count_rows, &fa, &err), MT_OK);
    CHECK_EQ_INT(mt_csv_read(zpath, "t.txt", '|', 0, count_rows, &fb, &err), MT_OK);
    CHECK(fa > 5 && fa == fb);
    CHECK_STR(mt_buf_str(&err), "");
    /* the place it names */
    REQUIRE(mt_src_open(&f, zpath, "t.txt", &err) == MT_OK);
    snprintf(expect, sizeof(expect), "%s!t.txt", zpath);
    CHECK_STR(f.path, expect);
    mt_src_close(&f);
    mt_buf_free(&a);
    mt_buf_free(&b);
    mt_buf_free(&err);
    mt_free(text);
    zt_rmtree(dir);
}

/* What the first line of name in zip is, or the status. */
static int first_line(const char *zip, const char *name, char *out, size_t outsz, mt_buf *err)
{
    mt_srcfile f;
    char *line;
    size_t len;
    int rc = mt_src_open(&f, zip, name, err);
    if (rc != MT_OK)
        return rc;
    if ((rc = mt_src_getline(&f, &line, &len)) == MT_OK)
        snprintf(out, outsz, "%s", line);
    mt_src_close(&f);
    return rc;
}

TEST(srczip_finds_an_entry_at_any_folder_depth)
{
    static const zt_entry e[] = {
        { "RxNorm_full_01052026/", NULL, 0, 0, 0 },
        { "RxNorm_full_01052026/prescribe/rrf/RXNCONSO.RRF", "prescribe\n", 10, 0, 0 },
        { "RxNorm_full_01052026/rrf/RXNCONSO.RRF", "full\n", 5, 0, 0 },
        { "x/dup.txt", "x\n", 2, 0, 0 },
        { "y/dup.txt", "y\n", 2, 0, 0 },
        { "a/b/c/deep.txt", "deep\n", 5, 0, 0 },
        { "top.txt", "top\n", 4, 0, 0 },
        { "g.txt.gz", "not really gzip", 15, 0, 0 },
    };
    char dirbuf[512], zpath[1024], got[64], expect[1200];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    mt_buf err, where;

    REQUIRE(dir != NULL);
    mt_buf_init(&err, 4096);
    mt_buf_init(&where, 4096);
    snprintf(zpath, sizeof(zpath), "%s/release.zip", dir);
    REQUIRE(zt_write(zpath, e, sizeof(e) / sizeof(e[0])));
    /* the shallowest of two: rrf/ before prescribe/rrf/, as a walk of the folders would */
    CHECK_EQ_INT(first_line(zpath, "RXNCONSO.RRF", got, sizeof(got), &err), MT_OK);
    CHECK_STR(got, "full");
    CHECK_EQ_INT(first_line(zpath, "rrf/RXNCONSO.RRF", got, sizeof(got), &err), MT_OK);
    CHECK_STR(got, "full");
    CHECK_EQ_INT(first_line(zpath, "prescribe/rrf/RXNCONSO.RRF", got, sizeof(got), &err), MT_OK);
    CHECK_STR(got, "prescribe");
    CHECK_EQ_INT(first_line(zpath, "deep.txt", got, sizeof(got), &err), MT_OK);
    CHECK_STR(got, "deep");
    CHECK_EQ_INT(first_line(zpath, "c/deep.txt", got, sizeof(got), &err), MT_OK);
    CHECK_EQ_INT(first_line(zpath, "top.txt", got, sizeof(got), &err), MT_OK);
    CHECK_STR(got, "top");
    CHECK_STR(mt_buf_str(&err), "");
    CHECK(mt_src_exists(zpath, "RXNCONSO.RRF"));
    CHECK(mt_src_exists(zpath, "deep.txt"));
    /* a name matches whole names only, and a folder is not a file */
    CHECK(!mt_src_exists(zpath, "eep.txt"));
    CHECK(!mt_src_exists(zpath, "RxNorm_full_01052026"));
    CHECK(!mt_src_exists(zpath, "RXNSAT.RRF"));
    /* missing: named at once */
    CHECK_EQ_INT(first_line(zpath, "RXNSAT.RRF", got, sizeof(got), &err), MT_ENOTFOUND);
    snprintf(expect, sizeof(expect), "%s: no RXNSAT.RRF in the zip, at any folder depth", zpath);
    CHECK_STR(mt_buf_str(&err), expect);
    /* two at the same depth: which one is not clear */
    mt_buf_reset(&err);
    CHECK_EQ_INT(first_line(zpath, "dup.txt", got, sizeof(got), &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "two entries are dup.txt at the same depth, x/dup.txt and y/dup.txt");
    /* a .gz inside a zip is refused by name, not taken for missing */
    mt_buf_reset(&err);
    CHECK_EQ_INT(first_line(zpath, "g.txt", got, sizeof(got), &err), MT_EFORMAT);
    snprintf(expect, sizeof(expect), "%s!g.txt.gz: a gzip file inside a zip is not read", zpath);
    CHECK_CONTAINS(mt_buf_str(&err), expect);
    /* where an importer's message points */
    CHECK_EQ_INT(mt_src_describe(zpath, "RXNCONSO.RRF", &where), MT_OK);
    snprintf(expect, sizeof(expect), "%s!RxNorm_full_01052026/rrf/RXNCONSO.RRF", zpath);
    CHECK_STR(mt_buf_str(&where), expect);
    mt_buf_reset(&where);
    CHECK_EQ_INT(mt_src_describe(dir, "x.txt", &where), MT_OK);
    snprintf(expect, sizeof(expect), "%s/x.txt", dir);
    CHECK_STR(mt_buf_str(&where), expect);
    mt_buf_free(&err);
    mt_buf_free(&where);
    zt_rmtree(dir);
}

static const char nul_text[] = "id|name\n1|aspirin\n2|ibu\0profen\n3|naproxen\n";

TEST(srczip_nul_byte_error_names_zip_entry_and_line)
{
    char dirbuf[512], zpath[1024], expect[1200];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[1] = { { "rel/t.txt", nul_text, sizeof(nul_text) - 1, 0, 0 } };
    mt_srcfile f;
    mt_buf err;
    char *line;
    size_t len, fields = 0;

    REQUIRE(dir != NULL);
    mt_buf_init(&err, 4096);
    snprintf(zpath, sizeof(zpath), "%s/n.zip", dir);
    REQUIRE(zt_write(zpath, e, 1));
    REQUIRE(mt_src_open(&f, zpath, "t.txt", &err) == MT_OK);
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK_STR(line, "1|aspirin");
    CHECK_EQ_INT(mt_src_getline(&f, &line, &len), MT_EFORMAT);
    snprintf(expect, sizeof(expect), "%s!rel/t.txt:3: NUL byte in line, at byte 6", zpath);
    CHECK_STR(mt_buf_str(&err), expect);
    mt_src_close(&f);
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_csv_read(zpath, "t.txt", '|', 0, count_rows, &fields, &err), MT_EFORMAT);
    CHECK_EQ_INT(fields, 4);
    CHECK_CONTAINS(mt_buf_str(&err), expect);
    mt_buf_free(&err);
    zt_rmtree(dir);
}

TEST(srczip_refuses_an_entry_declaring_more_than_the_cap)
{
    char dirbuf[512], zpath[1024], data[1001];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[2] = { { "big.txt", data, 1001, 0, 0 }, { "fits.txt", data, 1000, 0, 0 } };
    mt_zip_caps caps = mt_zip_get_caps();
    mt_buf err, out;

    REQUIRE(dir != NULL);
    memset(data, 'x', sizeof(data));
    mt_buf_init(&err, 4096);
    mt_buf_init(&out, 1u << 20);
    snprintf(zpath, sizeof(zpath), "%s/c.zip", dir);
    REQUIRE(zt_write(zpath, e, 2));
    CHECK_EQ_INT((long long)caps.entry, (long long)MT_ZIP_MAX_ENTRY);
    caps.entry = 1000;
    mt_zip_set_caps(&caps);
    CHECK_EQ_INT(mt_src_read_all(zpath, "big.txt", &out, &err), MT_ELIMIT);
    CHECK_CONTAINS(mt_buf_str(&err), "!big.txt: declares 1001 bytes uncompressed, more than the 1000 read from "
                   "one entry: a damaged or hostile zip");
    CHECK_EQ_INT(out.len, 0);                       /* refused before a byte was read */
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_src_read_all(zpath, "fits.txt", &out, &err), MT_OK);
    CHECK_EQ_INT(out.len, 1000);
    mt_zip_set_caps(NULL);
    CHECK_EQ_INT((long long)mt_zip_get_caps().entry, (long long)MT_ZIP_MAX_ENTRY);
    mt_buf_free(&err);
    mt_buf_free(&out);
    zt_rmtree(dir);
}

/* A header that declares fewer bytes than the data holds: libzip would hand
** all of them out; the reader stops one byte past the declared size. */
TEST(srczip_stops_an_entry_giving_more_than_it_declares)
{
    char dirbuf[512], zpath[1024], expect[1200];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    size_t zlen = 0, i;
    char *text = mt_malloc(100000);
    unsigned char *zip = NULL;
    zt_entry e[2];
    mt_srcfile f;
    mt_buf err, out;
    char *line;
    size_t llen;

    REQUIRE(dir != NULL && text != NULL);
    for (i = 0; i < 100000; i++)
        text[i] = i % 50 == 49 ? '\n' : 'a';
    mt_buf_init(&err, 4096);
    mt_buf_init(&out, 1u << 20);
    memset(e, 0, sizeof(e));
    e[0].name = "lies.txt";
    e[0].data = text;
    e[0].len = 100000;
    e[1].name = "short.txt";
    e[1].data = text;
    e[1].len = 100000;
    snprintf(zpath, sizeof(zpath), "%s/l.zip", dir);
    REQUIRE(zt_write(zpath, e, 2));
    REQUIRE((zip = zt_slurp(zpath, &zlen)) != NULL);
    CHECK_EQ_INT(zt_patch_size(zip, zlen, "lies.txt", 10), 2);
    CHECK_EQ_INT(zt_patch_size(zip, zlen, "short.txt", 200000), 2);
    REQUIRE(zt_spit(zpath, zip, zlen));
    /* through the line reader: the first line is never handed out */
    REQUIRE(mt_src_open(&f, zpath, "lies.txt", &err) == MT_OK);
    CHECK_EQ_INT(mt_src_getline(&f, &line, &llen), MT_EFORMAT);
    snprintf(expect, sizeof(expect), "%s!lies.txt:1: more bytes than the 10 its header declares: a damaged or "
             "hostile zip, not read further", zpath);
    CHECK_STR(mt_buf_str(&err), expect);
    CHECK_EQ_INT(mt_src_getline(&f, &line, &llen), MT_EFORMAT);   /* and stays failed */
    mt_src_close(&f);
    /* whole: at most the declared bytes reach the caller */
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_src_read_all(zpath, "lies.txt", &out, &err), MT_EFORMAT);
    CHECK(out.len <= 10);
    snprintf(expect, sizeof(expect), "%s!lies.txt: more bytes than the 10", zpath);
    CHECK_CONTAINS(mt_buf_str(&err), expect);
    /* and a header declaring more than the data holds: a truncated entry */
    mt_buf_reset(&err);
    mt_buf_reset(&out);
    CHECK_EQ_INT(mt_src_read_all(zpath, "short.txt", &out, &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "the entry ends after 100000 bytes, its header declares 200000");
    mt_buf_free(&err);
    mt_buf_free(&out);
    mt_free(zip);
    mt_free(text);
    zt_rmtree(dir);
}

TEST(srczip_refuses_encrypted_entries)
{
    char dirbuf[512], zpath[1024];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[3] = {
        { "aes.txt", "secret\n", 7, 0, ZIP_EM_AES_256 },
        { "pkware.txt", "secret\n", 7, 0, ZIP_EM_TRAD_PKWARE },
        { "plain.txt", "open\n", 5, 0, 0 },
    };
    mt_buf err, out;

    REQUIRE(dir != NULL);
    mt_buf_init(&err, 4096);
    mt_buf_init(&out, 4096);
    snprintf(zpath, sizeof(zpath), "%s/e.zip", dir);
    REQUIRE(zt_write(zpath, e, 3));
    CHECK_EQ_INT(mt_src_read_all(zpath, "aes.txt", &out, &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "!aes.txt: encrypted (method 259): Materia reads no password-protected entry");
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_src_read_all(zpath, "pkware.txt", &out, &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "!pkware.txt: encrypted (method 1)");
    CHECK_EQ_INT(out.len, 0);
    CHECK_EQ_INT(mt_src_read_all(zpath, "plain.txt", &out, &err), MT_OK);
    CHECK_STR(mt_buf_str(&out), "open\n");
    mt_buf_free(&err);
    mt_buf_free(&out);
    zt_rmtree(dir);
}

TEST(srczip_refuses_a_compression_method_libzip_cannot_read)
{
    static const uint16_t candidates[] = { 95, 93, 14, 98, 97, 19 };
    char dirbuf[512], zpath[1024];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[1] = { { "m.txt", "some text\n", 10, 0, 0 } };
    unsigned char *zip = NULL;
    size_t zlen = 0, i;
    uint16_t method = 0;
    mt_buf err, out;

    REQUIRE(dir != NULL);
    for (i = 0; i < sizeof(candidates) / sizeof(candidates[0]) && !method; i++)
        if (!zip_compression_method_supported(candidates[i], 0))
            method = candidates[i];
    if (!method) {
        mt_test_skip("this libzip decodes every candidate method");
        zt_rmtree(dir);
        return;
    }
    mt_buf_init(&err, 4096);
    mt_buf_init(&out, 4096);
    snprintf(zpath, sizeof(zpath), "%s/m.zip", dir);
    REQUIRE(zt_write(zpath, e, 1));
    REQUIRE((zip = zt_slurp(zpath, &zlen)) != NULL);
    CHECK_EQ_INT(zt_patch_method(zip, zlen, "m.txt", method), 2);
    REQUIRE(zt_spit(zpath, zip, zlen));
    CHECK_EQ_INT(mt_src_read_all(zpath, "m.txt", &out, &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "!m.txt: compressed with method");
    CHECK_CONTAINS(mt_buf_str(&err), "which this libzip cannot decompress");
    mt_buf_free(&err);
    mt_buf_free(&out);
    mt_free(zip);
    zt_rmtree(dir);
}

TEST(srczip_refuses_a_corrupt_zip_cleanly)
{
    char dirbuf[512], zpath[1024], cut[1024], junk[1024], flip[1024], text[4000];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[1] = { { "f.txt", text, sizeof(text), 0, 0 } };
    unsigned char *zip = NULL;
    size_t zlen = 0;
    uint64_t i;
    mt_zip *z = NULL;
    mt_buf err, out;

    REQUIRE(dir != NULL);
    for (i = 0; i < sizeof(text); i++)
        text[i] = (char)(i % 61 == 60 ? '\n' : 'A' + (i * 7) % 26);
    mt_buf_init(&err, 4096);
    mt_buf_init(&out, 1u << 20);
    snprintf(zpath, sizeof(zpath), "%s/ok.zip", dir);
    snprintf(cut, sizeof(cut), "%s/cut.zip", dir);
    snprintf(junk, sizeof(junk), "%s/junk.zip", dir);
    snprintf(flip, sizeof(flip), "%s/flip.zip", dir);
    REQUIRE(zt_write(zpath, e, 1));
    REQUIRE((zip = zt_slurp(zpath, &zlen)) != NULL && zlen > 100);
    REQUIRE(zt_spit(cut, zip, zlen / 2));
    REQUIRE(zt_spit(junk, "this is not a zip archive at all\n", 33));
    zip[40] ^= 0x55;                                 /* inside the deflated data */
    REQUIRE(zt_spit(flip, zip, zlen));
    CHECK_EQ_INT(mt_src_read_all(cut, "f.txt", &out, &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "cut.zip: not a zip archive, or a damaged one (");
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_src_read_all(junk, "f.txt", &out, &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "junk.zip: not a zip archive, or a damaged one (");
    CHECK(!mt_src_exists(junk, "f.txt"));
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_src_read_all(flip, "f.txt", &out, &err), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&err), "flip.zip!f.txt: ");
    mt_buf_reset(&err);
    /* from memory too, and nothing at all */
    CHECK_EQ_INT(mt_zip_open_buffer(&z, "mem.zip", zip, zlen / 3, &err), MT_EFORMAT);
    CHECK(z == NULL);
    CHECK_CONTAINS(mt_buf_str(&err), "mem.zip: not a zip archive, or a damaged one");
    /* no bytes: libzip's empty archive, where nothing is found */
    REQUIRE(mt_zip_open_buffer(&z, "empty.zip", NULL, 0, &err) == MT_OK);
    CHECK_EQ_INT(mt_zip_count(z), 0);
    CHECK_EQ_INT(mt_zip_find(z, "f.txt", &i, &err), MT_ENOTFOUND);
    mt_zip_close(z);
    CHECK_EQ_INT(mt_zip_open(&z, "/nonexistent/x.zip", &err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&err), "/nonexistent/x.zip: cannot open the zip: ");
    mt_buf_free(&err);
    mt_buf_free(&out);
    mt_free(zip);
    zt_rmtree(dir);
}

/* Reads entry name of z to the end: MT_OK or the status. */
static int drain(mt_zip *z, const char *name, mt_buf *err, uint64_t *bytes)
{
    mt_zip_entry *e;
    uint64_t i;
    char buf[4096];
    size_t got;
    int rc;
    if ((rc = mt_zip_locate(z, name, &i)) != MT_OK || (rc = mt_zip_entry_open(&e, z, i, err)) != MT_OK)
        return rc;
    while ((rc = mt_zip_entry_read(e, buf, sizeof(buf), &got)) == MT_OK && got)
        *bytes += got;
    if (rc != MT_OK)
        mt_buf_printf(err, "%s", mt_zip_entry_why(e));
    mt_zip_entry_close(e);
    return rc;
}

TEST(srczip_total_cap_stops_reading_one_archive)
{
    char dirbuf[512], zpath[1024], data[2000];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[3] = { { "a", data, 2000, 0, 0 }, { "b", data, 2000, 0, 0 }, { "c", data, 2000, 0, 0 } };
    mt_zip_caps caps = mt_zip_get_caps();
    mt_zip *z = NULL;
    uint64_t bytes = 0;
    mt_buf err;

    REQUIRE(dir != NULL);
    memset(data, 'z', sizeof(data));
    mt_buf_init(&err, 4096);
    snprintf(zpath, sizeof(zpath), "%s/t.zip", dir);
    REQUIRE(zt_write(zpath, e, 3));
    caps.total = 5000;
    mt_zip_set_caps(&caps);
    REQUIRE(mt_zip_open(&z, zpath, &err) == MT_OK);
    CHECK_EQ_INT(mt_zip_count(z), 3);
    CHECK_EQ_INT(drain(z, "a", &err, &bytes), MT_OK);
    CHECK_EQ_INT(drain(z, "b", &err, &bytes), MT_OK);
    CHECK_EQ_INT(drain(z, "c", &err, &bytes), MT_ELIMIT);
    CHECK(bytes <= 5000);
    CHECK_CONTAINS(mt_buf_str(&err), "more than 5000 bytes uncompressed read from");
    mt_zip_close(z);
    mt_zip_set_caps(NULL);
    mt_buf_free(&err);
    zt_rmtree(dir);
}

TEST(srczip_inner_zip_is_read_from_memory_one_level_deep)
{
    char dirbuf[512], inner[1024], middle[1024], outer[1024], expect[1200];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[2];
    unsigned char *ib = NULL, *mb = NULL;
    size_t ilen = 0, mlen = 0;
    mt_zip *z = NULL, *in = NULL, *deep = NULL;
    mt_zip_caps caps = mt_zip_get_caps();
    uint64_t i, bytes = 0;
    mt_buf err;

    REQUIRE(dir != NULL);
    mt_buf_init(&err, 4096);
    snprintf(inner, sizeof(inner), "%s/label.zip", dir);
    snprintf(middle, sizeof(middle), "%s/middle.zip", dir);
    snprintf(outer, sizeof(outer), "%s/release.zip", dir);
    memset(e, 0, sizeof(e));
    e[0].name = "label.xml";
    e[0].data = "<document/>\n";
    e[0].len = 12;
    e[1].name = "image.jpg";
    e[1].data = "\xff\xd8\xff";
    e[1].len = 3;
    REQUIRE(zt_write(inner, e, 2));
    REQUIRE((ib = zt_slurp(inner, &ilen)) != NULL);
    memset(e, 0, sizeof(e));
    e[0].name = "nested/label.zip";
    e[0].data = ib;
    e[0].len = ilen;
    REQUIRE(zt_write(middle, e, 1));
    REQUIRE((mb = zt_slurp(middle, &mlen)) != NULL);
    e[0].name = "prescription/label.zip";
    e[1].name = "prescription/middle.zip";
    e[1].data = mb;
    e[1].len = mlen;
    e[1].store = 1;
    REQUIRE(zt_write(outer, e, 2));

    REQUIRE(mt_zip_open(&z, outer, &err) == MT_OK);
    CHECK_EQ_INT(mt_zip_depth(z), 0);
    REQUIRE(mt_zip_locate(z, "prescription/label.zip", &i) == MT_OK);
    REQUIRE(mt_zip_open_inner(&in, z, i, &err) == MT_OK);
    CHECK_EQ_INT(mt_zip_depth(in), 1);
    snprintf(expect, sizeof(expect), "%s!prescription/label.zip", outer);
    CHECK_STR(mt_zip_name(in), expect);
    CHECK_EQ_INT(drain(in, "label.xml", &err, &bytes), MT_OK);
    CHECK_EQ_INT(bytes, 12);
    /* one level only: the zip inside the inner zip is not opened */
    REQUIRE(mt_zip_locate(z, "prescription/middle.zip", &i) == MT_OK);
    mt_zip_close(in);
    REQUIRE(mt_zip_open_inner(&in, z, i, &err) == MT_OK);
    REQUIRE(mt_zip_locate(in, "nested/label.zip", &i) == MT_OK);
    CHECK_EQ_INT(mt_zip_open_inner(&deep, in, i, &err), MT_EFORMAT);
    CHECK(deep == NULL);
    CHECK_CONTAINS(mt_buf_str(&err), "middle.zip!nested/label.zip: a zip inside a zip inside a zip is not read");
    mt_zip_close(in);
    in = NULL;
    /* the inner cap: an inner zip larger is not read into memory */
    mt_buf_reset(&err);
    caps.inner = ilen - 1;
    mt_zip_set_caps(&caps);
    REQUIRE(mt_zip_locate(z, "prescription/label.zip", &i) == MT_OK);
    CHECK_EQ_INT(mt_zip_open_inner(&in, z, i, &err), MT_ELIMIT);
    CHECK(in == NULL);
    CHECK_CONTAINS(mt_buf_str(&err), "!prescription/label.zip: a zip inside the zip of");
    mt_zip_set_caps(NULL);
    mt_zip_close(z);
    mt_buf_free(&err);
    mt_free(ib);
    mt_free(mb);
    zt_rmtree(dir);
}

/* --- allocation failures ------------------------------------------------------------ */

static int visit_read(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    mt_buf *out = user;
    size_t i;
    int rc = MT_OK;
    for (i = 0; i < n && rc == MT_OK; i++)
        rc = mt_src_read_all_at(d, names[i], out, NULL);
    return rc;
}

static int want_txt(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".txt") == 0;
}

/* Opens, reads and walks: every path through srczip.c and srcfile.c's zip code. */
static int scenario(const char *zpath, const char *outer, mt_buf *err)
{
    mt_buf out;
    char *line;
    size_t len;
    mt_srcfile f;
    int rc;

    mt_buf_init(&out, 1u << 20);
    if ((rc = mt_src_open(&f, zpath, "t.txt", err)) == MT_OK) {
        while ((rc = mt_src_getline(&f, &line, &len)) == MT_OK)
            ;
        mt_src_close(&f);
        if (rc == MT_ENOTFOUND)
            rc = MT_OK;
    }
    if (rc == MT_OK)
        rc = mt_src_read_all(zpath, "t.txt", &out, err);
    if (rc == MT_OK)
        rc = mt_src_walk(outer, 0, MT_SRC_WALK_ZIPS | MT_SRC_WALK_INNER, want_txt, visit_read, &out, err);
    if (rc == MT_OK && mt_src_open(&f, zpath, "missing.txt", err) == MT_OK) {
        mt_src_close(&f);
        rc = MT_EINVAL;
    }
    mt_buf_free(&out);
    return rc;
}

TEST(srczip_allocation_failures_unwind)
{
    char dirbuf[512], zpath[1024], outer[1024];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[3];
    unsigned char *ib = NULL;
    size_t ilen = 0;
    long n;
    mt_buf err;
    int rc = MT_ENOMEM;

    REQUIRE(dir != NULL);
    mt_buf_init(&err, 1u << 16);
    memset(e, 0, sizeof(e));
    e[0].name = "dir/t.txt";
    e[0].data = "a|b\nc|d\n";
    e[0].len = 8;
    snprintf(zpath, sizeof(zpath), "%s/t.zip", dir);
    snprintf(outer, sizeof(outer), "%s/outer.zip", dir);
    REQUIRE(zt_write(zpath, e, 1));
    REQUIRE((ib = zt_slurp(zpath, &ilen)) != NULL);
    e[1].name = "p/inner.zip";
    e[1].data = ib;
    e[1].len = ilen;
    e[2].name = "p/q/r.txt";
    e[2].data = "r\n";
    e[2].len = 2;
    REQUIRE(zt_write(outer, e, 3));
    REQUIRE(scenario(zpath, outer, &err) == MT_OK);
    for (n = 0; n < 2000; n++) {
        mt_buf_reset(&err);
        mt_alloc_fail_after(n);
        rc = scenario(zpath, outer, &err);
        mt_alloc_fail_after(-1);
        if (rc == MT_OK)
            break;
        if (rc != MT_ENOMEM) {
            mt_test_fail(__FILE__, __LINE__, "failure %ld: status %d (%s)", n, rc, mt_buf_str(&err));
            break;
        }
    }
    CHECK_EQ_INT(rc, MT_OK);
    CHECK(n > 30);                                  /* the walk reached that many failure points */
    mt_buf_free(&err);
    mt_free(ib);
    zt_rmtree(dir);
}
