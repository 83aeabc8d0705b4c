/*
** test_pipeline.c — the build pipeline (lib/import/pipeline.c): the sources
** folder is checked before any import (missing folder named, malformed or
** duplicate SOURCE.meta with its path), a failed build leaves the previous
** file intact, and a build of the bundled sources reports every source.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "import/pipeline.h"
#include "kb/kb_internal.h"
#include "kb/testmodel.h"
#include "util/alloc.h"

static void write_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    FILE *f;
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    f = fopen(path, "w");
    if (!f) {
        mt_test_fail(__FILE__, __LINE__, "cannot write %s", path);
        return;
    }
    fputs(text, f);
    fclose(f);
}

/* A sources folder with one source folder per (folder, id) pair. */
static void make_sources(const char *root, const char *const *folders, const char *const *metas, int n)
{
    char dir[512];
    int i;
    mkdir(root, 0755);
    for (i = 0; i < n; i++) {
        snprintf(dir, sizeof(dir), "%s/%s", root, folders[i]);
        mkdir(dir, 0755);
        write_file(dir, "SOURCE.meta", metas[i]);
    }
}

static void remove_sources(const char *root, const char *const *folders, int n)
{
    char path[1024];
    int i;
    for (i = 0; i < n; i++) {
        snprintf(path, sizeof(path), "%s/%s/SOURCE.meta", root, folders[i]);
        unlink(path);
        snprintf(path, sizeof(path), "%s/%s", root, folders[i]);
        rmdir(path);
    }
    rmdir(root);
}

static int run(const char *sources, const char *out, mt_build_report *r)
{
    mt_build_opts o;
    memset(&o, 0, sizeof(o));
    o.sources_dir = sources;
    o.out_path = out;
    o.progress = 0;
    return mt_build_run(&o, r);
}

TEST(pipeline_missing_sources_folder)
{
    mt_build_report r;
    CHECK_EQ_INT(run("/nonexistent/sources", "/tmp/never.kb", &r), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&r.error), "/nonexistent/sources");
    mt_build_report_free(&r);
}

TEST(pipeline_names_missing_bundled_folder_and_keeps_old_kb)
{
    char root[256], kb[256];
    mt_build_report r;
    mt_kb *k = NULL;
    mt_kb_summary info;
    static const char *const folders[] = { "rx" };
    static const char *const metas[] = { "# comment\nid: rxnorm\nname: RxNorm\n" };

    mt_test_tmp_path(root, "sources");
    mt_test_tmp_path(kb, "old.kb");
    REQUIRE(mt_testmodel_write(kb, 0) == MT_OK);
    make_sources(root, folders, metas, 1);
    CHECK_EQ_INT(run(root, kb, &r), MT_ENOTFOUND);
    /* rxnorm is there; rxterms, the next importer's source, is not */
    CHECK_CONTAINS(mt_buf_str(&r.error), "rxterms-ingredients");
    CHECK_CONTAINS(mt_buf_str(&r.error), "\"rxterms\"");
    mt_build_report_free(&r);
    REQUIRE(mt_kb_open(&k, kb, 0) == MT_OK);
    mt_kb_info(k, &info);
    CHECK_STR(info.data_version, "test-1");
    mt_kb_close(k);
    remove_sources(root, folders, 1);
    unlink(kb);
}

TEST(pipeline_rejects_malformed_and_duplicate_metadata)
{
    char root[256];
    mt_build_report r;
    static const char *const bad_folders[] = { "broken" };
    static const char *const bad_metas[] = { "name: no id here\n" };
    static const char *const dup_folders[] = { "a", "b" };
    static const char *const dup_metas[] = { "id: rxnorm\nname: A\n", "id: rxnorm\nname: B\n" };

    mt_test_tmp_path(root, "bad");
    make_sources(root, bad_folders, bad_metas, 1);
    CHECK_EQ_INT(run(root, "/tmp/never.kb", &r), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.error), "broken/SOURCE.meta");
    mt_build_report_free(&r);
    remove_sources(root, bad_folders, 1);

    mt_test_tmp_path(root, "dup");
    make_sources(root, dup_folders, dup_metas, 2);
    CHECK_EQ_INT(run(root, "/tmp/never.kb", &r), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&r.error), "also used by");
    mt_build_report_free(&r);
    remove_sources(root, dup_folders, 2);
    CHECK(access("/tmp/never.kb", F_OK) != 0);
}

/* Every importer's source is bundled, under the folder the table expects. */
static void check_bundled(const char *id, const char *folder, void *user)
{
    char path[1024], line[256];
    FILE *f;
    int found = 0;
    if (!*folder)
        return;                  /* built in */
    snprintf(path, sizeof(path), "%s/%s/SOURCE.meta", (const char *)user, folder);
    f = fopen(path, "r");
    if (!f) {
        mt_test_fail(__FILE__, __LINE__, "%s: not bundled", path);
        return;
    }
    while (fgets(line, sizeof(line), f)) {
        size_t len = strlen(id);
        if (strncmp(line, "id: ", 4) == 0 && strncmp(line + 4, id, len) == 0 &&
            (line[4 + len] == '\n' || line[4 + len] == '\0'))
            found = 1;
    }
    fclose(f);
    if (!found)
        mt_test_fail(__FILE__, __LINE__, "%s: id is not \"%s\"", path, id);
}

TEST(pipeline_importer_table_matches_bundled_sources)
{
    mt_build_each_importer(check_bundled, (void *)mt_test_sources());
}

TEST(pipeline_builds_the_bundled_sources)
{
    char kb[256];
    mt_build_report r;
    mt_kb *k = NULL;
    uint32_t i, n;
    const kb_source *s;
    int rc;

    if (access(mt_test_sources(), F_OK) != 0) {
        mt_test_skip("bundled sources not found");
        return;
    }
    mt_test_tmp_path(kb, "bundled.kb");
    rc = run(mt_test_sources(), kb, &r);
    if (rc != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "build failed: %s", mt_buf_str(&r.error));
    REQUIRE_EQ_INT(rc, MT_OK);
    CHECK(r.nsources >= 24);
    CHECK_STR(r.sources[0].id, "rxnorm");              /* importer order */
    CHECK_STR(r.sources[0].folder, "rxnorm-ingredients-2025-10");
    CHECK(r.sources[0].rows > 0 && r.sources[0].imported);
    CHECK(r.total.rows >= r.sources[0].rows);
    CHECK(r.total.notes > 0 && r.warnings.len > 0);   /* the bundled extracts have documented gaps */
    CHECK(r.drugs > 1000);
    CHECK(r.kb_bytes > 0);
    REQUIRE(mt_kb_open(&k, kb, 0) == MT_OK);
    s = mt_kb_sources(k, &n);
    CHECK_EQ_INT(n, r.nsources);
    for (i = 0; i < n && i < r.nsources; i++) {
        CHECK_STR(mt_kb_str(k, s[i].id), r.sources[i].id);
        CHECK_EQ_INT(s[i].facts, r.sources[i].facts);
    }
    mt_kb_close(k);
    mt_build_report_free(&r);
    unlink(kb);
}

TEST(pipeline_unwritable_output_fails_before_importing)
{
    mt_build_report r;
    CHECK_EQ_INT(run(mt_test_sources(), "/nonexistent-dir/materia.kb", &r), MT_EIO);
    CHECK_CONTAINS(mt_buf_str(&r.error), "/nonexistent-dir/materia.kb: cannot create a file there");
    CHECK(r.total.rows == 0);          /* nothing was imported */
    mt_build_report_free(&r);
}
