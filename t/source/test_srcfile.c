/*
** test_srcfile.c — the plain-or-gzip line reader (lib/source/srcfile.c):
** lines split across the read-ahead buffer, CRLF, a last line without a
** newline, and a NUL byte inside a line, which is an error naming file and
** line (plain and gzip, through mt_src_getline and through mt_csv_read)
** instead of a line silently cut or glued to the next one.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "harness.h"
#include "materia/status.h"
#include "source/srcfile.h"
#include "util/alloc.h"

/* A fresh folder under $TMPDIR (static storage), or NULL. */
static const char *scratch_dir(void)
{
    static char path[512];
    const char *tmp = getenv("TMPDIR");
    snprintf(path, sizeof(path), "%s/materia-srcfile-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    return mkdtemp(path);
}

/* Writes len bytes (NULs included) to dir/name, gzip-compressed when gz. */
static int write_bytes(const char *dir, const char *name, const char *data, size_t len, int gz)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    if (gz) {
        gzFile z = gzopen(path, "wb");
        int ok;
        if (!z)
            return 0;
        ok = len == 0 || gzwrite(z, data, (unsigned)len) == (int)len;
        return gzclose(z) == Z_OK && ok;
    } else {
        FILE *f = fopen(path, "wb");
        int ok;
        if (!f)
            return 0;
        ok = fwrite(data, 1, len, f) == len;
        return fclose(f) == 0 && ok;
    }
}

static void remove_file(const char *dir, const char *name)
{
    char path[1024];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    unlink(path);
}

static const char nul_text[] = "id|name\n1|aspirin\n2|ibu\0profen\n3|naproxen\n";

/* "t.txt" (plain) or "t.txt.gz", opened by the same name: line 3 has a NUL. */
static void check_nul_line(int gz)
{
    const char *dir = scratch_dir();
    const char *file = gz ? "t.txt.gz" : "t.txt";
    mt_srcfile f;
    mt_buf err;
    char *line, expect[1100];
    size_t len;

    REQUIRE(dir != NULL);
    REQUIRE(write_bytes(dir, file, nul_text, sizeof(nul_text) - 1, gz));
    mt_buf_init(&err, 4096);
    REQUIRE(mt_src_open(&f, dir, "t.txt", &err) == MT_OK);
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK_STR(line, "id|name");
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK_STR(line, "1|aspirin");
    CHECK_EQ_INT(mt_src_getline(&f, &line, &len), MT_EFORMAT);
    snprintf(expect, sizeof(expect), "%s/%s:3: NUL byte in line, at byte 6", dir, file);
    CHECK_STR(mt_buf_str(&err), expect);
    mt_src_close(&f);
    mt_buf_free(&err);
    remove_file(dir, file);
    rmdir(dir);
}

TEST(srcfile_nul_byte_in_a_plain_line_is_an_error)
{
    check_nul_line(0);
}

TEST(srcfile_nul_byte_in_a_gzip_line_is_an_error)
{
    check_nul_line(1);
}

static int count_rows(void *user, char **fields, size_t nfields, unsigned long line)
{
    (void)fields;
    (void)nfields;
    (void)line;
    (*(int *)user)++;
    return MT_OK;
}

/* Importers read through mt_csv_read: the error reaches them with its place,
** and no row from the damaged line on is handed over. */
TEST(srcfile_csv_reader_stops_at_a_nul_byte)
{
    const char *dir = scratch_dir();
    mt_buf err;
    int rows = 0;
    char expect[1100];

    REQUIRE(dir != NULL);
    REQUIRE(write_bytes(dir, "t.txt.gz", nul_text, sizeof(nul_text) - 1, 1));
    mt_buf_init(&err, 4096);
    CHECK_EQ_INT(mt_csv_read(dir, "t.txt", '|', 0, count_rows, &rows, &err), MT_EFORMAT);
    CHECK_EQ_INT(rows, 2);
    snprintf(expect, sizeof(expect), "%s/t.txt.gz:3: NUL byte in line", dir);
    CHECK_CONTAINS(mt_buf_str(&err), expect);
    mt_buf_free(&err);
    remove_file(dir, "t.txt.gz");
    rmdir(dir);
}

/* What the reader must keep doing: CRLF and LF endings, an empty line, a
** line longer than the read-ahead buffer (and one ending exactly on its
** boundary), a last line without a newline; the same bytes plain and gzip. */
static void check_lines(int gz)
{
    const char *dir = scratch_dir();
    const char *file = gz ? "l.txt.gz" : "l.txt";
    size_t longlen = 200000, total, pos = 0;
    char *text = NULL, *line;
    size_t len, i;
    mt_srcfile f;
    mt_buf err;

    REQUIRE(dir != NULL);
    total = longlen + 64 * 1024 + 64;
    text = mt_malloc(total);
    REQUIRE(text != NULL);
    memcpy(text + pos, "first\r\n\n", 8);
    pos += 8;
    for (i = 0; i < longlen; i++)
        text[pos++] = (char)('a' + i % 26);
    text[pos++] = '\n';
    /* a line whose newline is the last byte of a 64 KiB read */
    while ((pos + 1) % (64 * 1024) != 0)
        text[pos++] = 'z';
    text[pos++] = '\n';
    memcpy(text + pos, "last", 4);
    pos += 4;
    REQUIRE(write_bytes(dir, file, text, pos, gz));

    mt_buf_init(&err, 4096);
    REQUIRE(mt_src_open(&f, dir, "l.txt", &err) == MT_OK);
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK_STR(line, "first");
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK_EQ_INT(len, 0);
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK_EQ_INT(len, longlen);
    CHECK(len == longlen && memcmp(line, text + 8, longlen) == 0);
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK(len > 0 && line[0] == 'z' && line[len - 1] == 'z' && strchr(line, '\n') == NULL);
    REQUIRE(mt_src_getline(&f, &line, &len) == MT_OK);
    CHECK_STR(line, "last");
    CHECK_EQ_INT(f.line, 5);
    CHECK_EQ_INT(mt_src_getline(&f, &line, &len), MT_ENOTFOUND);
    CHECK_EQ_INT(mt_src_getline(&f, &line, &len), MT_ENOTFOUND);
    CHECK_STR(mt_buf_str(&err), "");
    mt_src_close(&f);
    mt_buf_free(&err);
    mt_free(text);
    remove_file(dir, file);
    rmdir(dir);
}

TEST(srcfile_lines_plain)
{
    check_lines(0);
}

TEST(srcfile_lines_gzip)
{
    check_lines(1);
}
