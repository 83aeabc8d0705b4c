/*
** test_kbfile.c — the container (lib/kbfile/kbfile.c) on its own: sections
** written and read back, sizes and alignment, duplicates, atomic replace and
** abort, a failed fsync (no descriptor left open), allocation failures.
*/
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "kb/testmodel.h"
#include "kbfile/kbfile.h"
#include "util/alloc.h"

static int exists(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0;
}

static void tmp_of(char *out, size_t n, const char *path)
{
    snprintf(out, n, "%s.tmp-%ld", path, (long)getpid());
}

TEST(kbfile_sections_roundtrip)
{
    char path[256], tmp[300];
    mt_kbw *w = NULL;
    mt_kbf f;
    static const uint32_t recs[5] = { 1, 2, 3, 4, 5 };
    static const char blob[] = "hello";
    const void *data;
    uint64_t count;
    uint32_t i;

    mt_test_tmp_path(path, "kbf");
    REQUIRE(mt_kbw_open(&w, path) == MT_OK);
    tmp_of(tmp, sizeof(tmp), path);
    CHECK(exists(tmp));
    CHECK(mt_kbw_add(w, 7, 4, recs, sizeof(recs)) == MT_OK);
    CHECK(mt_kbw_add(w, 3, 0, blob, sizeof(blob)) == MT_OK);
    CHECK(mt_kbw_add(w, 9, 0, NULL, 0) == MT_OK);
    CHECK(mt_kbw_add(w, 7, 4, recs, sizeof(recs)) == MT_EEXIST);
    CHECK(mt_kbw_add(w, 8, 8, recs, sizeof(recs)) == MT_EINVAL);   /* 20 bytes, records of 8 */
    REQUIRE(mt_kbw_commit(w, "v1", "2025-10-06") == MT_OK);
    CHECK(!exists(tmp));

    REQUIRE(mt_kbf_open(&f, path, 0) == MT_OK);
    CHECK_EQ_INT(f.nsections, 3);
    CHECK_STR(f.data_version, "v1");
    CHECK_STR(f.build_date, "2025-10-06");
    for (i = 0; i < f.nsections; i++)
        CHECK_EQ_INT(f.sections[i].offset % MT_KBF_ALIGN, 0);
    CHECK(f.sections[0].id == 3 && f.sections[1].id == 7 && f.sections[2].id == 9);
    REQUIRE(mt_kbf_section(&f, 7, 4, &data, &count) == MT_OK);
    CHECK_EQ_INT(count, 5);
    CHECK(memcmp(data, recs, sizeof(recs)) == 0);
    CHECK(mt_kbf_section(&f, 3, 0, &data, &count) == MT_OK && count == sizeof(blob));
    CHECK(mt_kbf_section(&f, 9, 0, &data, &count) == MT_OK && count == 0);
    CHECK(mt_kbf_section(&f, 7, 8, &data, &count) == MT_ECORRUPT);
    CHECK(mt_kbf_section(&f, 4, 0, &data, &count) == MT_ENOTFOUND && data == NULL && count == 0);
    mt_kbf_close(&f);
    CHECK(f.map == NULL);
    unlink(path);
}

TEST(kbfile_abort_and_failed_commit_keep_the_old_file)
{
    char path[256], tmp[300];
    mt_kbw *w = NULL;
    mt_kbf f;
    static const char blob[] = "old";
    static char longv[40];

    mt_test_tmp_path(path, "kbf-atomic");
    REQUIRE(mt_kbw_open(&w, path) == MT_OK);
    REQUIRE(mt_kbw_add(w, 1, 0, blob, sizeof(blob)) == MT_OK);
    REQUIRE(mt_kbw_commit(w, "old", "2020-01-01") == MT_OK);

    REQUIRE(mt_kbw_open(&w, path) == MT_OK);
    tmp_of(tmp, sizeof(tmp), path);
    CHECK(exists(tmp));
    mt_kbw_abort(w);
    CHECK(!exists(tmp));

    memset(longv, 'x', sizeof(longv) - 1);      /* 39 bytes: too long for the header */
    REQUIRE(mt_kbw_open(&w, path) == MT_OK);
    CHECK(mt_kbw_commit(w, longv, "2020-01-01") == MT_EINVAL);
    CHECK(!exists(tmp));
    REQUIRE(mt_kbw_open(&w, path) == MT_OK);
    CHECK(mt_kbw_commit(w, "bad\nversion", "2020-01-01") == MT_EINVAL);

    REQUIRE(mt_kbf_open(&f, path, 0) == MT_OK);
    CHECK_STR(f.data_version, "old");
    mt_kbf_close(&f);
    CHECK(mt_kbw_open(&w, "/nonexistent-dir/x.kb") == MT_EIO);
    CHECK(w == NULL);
    mt_kbw_abort(NULL);
    unlink(path);
}

/* Open descriptors of this process (the directory stream's own fd counts
** every time, so two calls compare). -1 when /proc is not mounted. */
static int count_open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    struct dirent *e;
    int n = 0;
    if (!d)
        return -1;
    while ((e = readdir(d)) != NULL)
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* fsync fails at commit: the temporary file is a FIFO (which the writer opens
** as it would a regular file, since a reader holds it open), and fsync on a
** FIFO is EINVAL. The commit must fail, close its descriptor, remove the
** temporary name and leave PATH as it was. */
TEST(kbfile_failed_fsync_closes_the_file_and_removes_the_temp)
{
    char path[256], tmp[300];
    mt_kbw *w = NULL;
    static const char blob[] = "data";
    int reader, before, after;

    mt_test_tmp_path(path, "kbf-fsync");
    tmp_of(tmp, sizeof(tmp), path);
    REQUIRE(mkfifo(tmp, 0600) == 0);
    reader = open(tmp, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    REQUIRE(reader >= 0);
    before = count_open_fds();
    REQUIRE(before > 0);
    REQUIRE(mt_kbw_open(&w, path) == MT_OK);
    REQUIRE(mt_kbw_add(w, 1, 0, blob, sizeof(blob)) == MT_OK);
    errno = 0;
    CHECK_EQ_INT(mt_kbw_commit(w, "v", "d"), MT_EIO);
    CHECK_EQ_INT(errno, EINVAL);              /* the fsync's own error survives the cleanup */
    after = count_open_fds();
    CHECK_EQ_INT(after, before);
    CHECK(!exists(tmp));
    CHECK(!exists(path));
    close(reader);
    unlink(tmp);
}

TEST(kbfile_writer_survives_allocation_failures)
{
    char path[256];
    long n;
    static const char blob[] = "data";
    mt_test_tmp_path(path, "kbf-oom");
    for (n = 0; n < 20; n++) {
        mt_kbw *w = NULL;
        int rc;
        mt_alloc_fail_after(n);
        rc = mt_kbw_open(&w, path);
        if (rc == MT_OK)
            rc = mt_kbw_add(w, 1, 0, blob, sizeof(blob));
        if (rc == MT_OK)
            rc = mt_kbw_commit(w, "v", "d");
        else if (w)
            mt_kbw_abort(w);
        mt_alloc_fail_after(-1);
        if (rc == MT_OK)
            break;
        CHECK_EQ_INT(rc, MT_ENOMEM);
    }
    CHECK(n < 20);
    CHECK(exists(path));
    unlink(path);
}

TEST(kbfile_rejects_tiny_and_empty_files)
{
    char path[256];
    mt_kbf f;
    FILE *fp;
    mt_test_tmp_path(path, "empty");
    fp = fopen(path, "wb");
    REQUIRE(fp != NULL);
    fclose(fp);
    CHECK_EQ_INT(mt_kbf_open(&f, path, 0), MT_ETRUNCATED);
    fp = fopen(path, "wb");
    REQUIRE(fp != NULL);
    fputs("MATERIAKB", fp);
    fclose(fp);
    CHECK_EQ_INT(mt_kbf_open(&f, path, 0), MT_ETRUNCATED);
    fp = fopen(path, "wb");
    REQUIRE(fp != NULL);
    fputs("SQLite format 3", fp);
    fclose(fp);
    CHECK_EQ_INT(mt_kbf_open(&f, path, 0), MT_EMAGIC);
    CHECK(f.map == NULL);
    unlink(path);
}
