/*
** test_srcwalk.c — walking a release wherever its files are
** (lib/source/srcwalk.c): a folder tree and the zip of it visit the same
** folders with the same files in the same order, hidden names left out; the
** label zips inside a zip and the zips of a folder are read; a visitor can
** stop the walk or fail it; two entries of one name are an error.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "materia/status.h"
#include "source/srcwalk.h"
#include "source/ziptest.h"
#include "util/alloc.h"

typedef struct trace {
    mt_buf      log;        /* "folder|name|content;" per file */
    const char *root;       /* for a folder on disk: the path to leave out */
    int         stop_after; /* visits before MT_SRC_WALK_STOP, 0: never */
    int         visits;
} trace;

static int want_xml(const char *name)
{
    size_t n = strlen(name);
    return n > 4 && strcmp(name + n - 4, ".xml") == 0;
}

/* Logs each file as its folder relative to the walk's root (inside a zip:
** its folder in the zip), its name and its content. */
static int visit_log(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    trace *t = user;
    size_t i;
    int rc = MT_OK;
    for (i = 0; i < n && rc == MT_OK; i++) {
        mt_buf content;
        const char *folder;
        size_t flen;
        if (d->zip) {
            folder = d->prefix;
            flen = strlen(folder) ? strlen(folder) - 1 : 0;
        } else {
            folder = d->path + strlen(t->root);
            folder += *folder == '/';
            flen = strlen(folder);
        }
        mt_buf_init(&content, 4096);
        rc = mt_src_read_all_at(d, names[i], &content, NULL);
        if (rc == MT_OK)
            rc = mt_buf_printf(&t->log, "%.*s|%s|%s;", (int)flen, folder, names[i], mt_buf_str(&content));
        mt_buf_free(&content);
    }
    t->visits++;
    if (rc == MT_OK && t->stop_after && t->visits >= t->stop_after)
        return MT_SRC_WALK_STOP;
    return rc;
}

static const zt_entry tree[] = {
    { "b.xml", "B", 1, 0, 0 },
    { "a/", NULL, 0, 0, 0 },
    { "a/x.xml", "X", 1, 0, 0 },
    { "a/b/y.xml", "Y", 1, 0, 0 },
    { "a-x/z.xml", "Z", 1, 0, 0 },
    { "a/notes.txt", "not wanted", 10, 0, 0 },
    { ".hidden/h.xml", "H", 1, 0, 0 },
    { "a/.h.xml", "H", 1, 0, 0 },
};
#define NTREE (sizeof(tree) / sizeof(tree[0]))
#define TREE_ORDER "|b.xml|B;a|x.xml|X;a/b|y.xml|Y;a-x|z.xml|Z;"

TEST(srcwalk_zip_visits_what_the_unzipped_folder_does)
{
    char dirbuf[512], root[1024], zpath[1024];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[NTREE + 1];
    trace a, b;
    size_t i;

    REQUIRE(dir != NULL);
    snprintf(root, sizeof(root), "%s/release", dir);
    snprintf(zpath, sizeof(zpath), "%s/release.zip", dir);
    for (i = 0; i < NTREE; i++)
        REQUIRE(zt_put(root, tree[i].name, tree[i].data, tree[i].len));
    /* the zip: the same files, in another order, plus macOS's AppleDouble copy */
    for (i = 0; i < NTREE; i++)
        e[i] = tree[NTREE - 1 - i];
    e[NTREE].name = "__MACOSX/a/._x.xml";
    e[NTREE].data = "\0\5\26\7";
    e[NTREE].len = 4;
    e[NTREE].store = 0;
    e[NTREE].encrypt = 0;
    REQUIRE(zt_write(zpath, e, NTREE + 1));
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    mt_buf_init(&a.log, 4096);
    mt_buf_init(&b.log, 4096);
    a.root = root;
    CHECK_EQ_INT(mt_src_walk(root, 4, 0, want_xml, visit_log, &a, NULL), MT_OK);
    CHECK_EQ_INT(mt_src_walk(zpath, 0, 0, want_xml, visit_log, &b, NULL), MT_OK);
    CHECK_STR(mt_buf_str(&a.log), TREE_ORDER);
    CHECK_STR(mt_buf_str(&b.log), TREE_ORDER);
    CHECK_EQ_INT(a.visits, 4);
    CHECK_EQ_INT(b.visits, 4);
    /* depth bounds the folders on disk: 0 is the folder alone */
    mt_buf_reset(&a.log);
    CHECK_EQ_INT(mt_src_walk(root, 0, 0, want_xml, visit_log, &a, NULL), MT_OK);
    CHECK_STR(mt_buf_str(&a.log), "|b.xml|B;");
    mt_buf_free(&a.log);
    mt_buf_free(&b.log);
    zt_rmtree(dir);
}

TEST(srcwalk_reads_label_zips_inside_a_zip_and_zips_in_a_folder)
{
    char dirbuf[512], lz[1024], outer[1024], folder[1024], where[1200];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[3];
    unsigned char *l1 = NULL, *l2 = NULL;
    size_t n1 = 0, n2 = 0;
    trace t;

    REQUIRE(dir != NULL);
    snprintf(lz, sizeof(lz), "%s/l.zip", dir);
    memset(e, 0, sizeof(e));
    e[0].name = "one.xml";
    e[0].data = "1";
    e[0].len = 1;
    e[1].name = "one.jpg";
    e[1].data = "jpg";
    e[1].len = 3;
    REQUIRE(zt_write(lz, e, 2));
    REQUIRE((l1 = zt_slurp(lz, &n1)) != NULL);
    e[0].name = "two.xml";
    e[0].data = "2";
    REQUIRE(zt_write(lz, e, 1));
    REQUIRE((l2 = zt_slurp(lz, &n2)) != NULL);
    /* DailyMed's layout: prescription/LABEL.zip, one zip per label */
    snprintf(outer, sizeof(outer), "%s/dm_spl_release_human_rx_part1.zip", dir);
    e[0].name = "prescription/20140103_b.zip";
    e[0].data = l2;
    e[0].len = n2;
    e[1].name = "prescription/20140103_a.zip";
    e[1].data = l1;
    e[1].len = n1;
    e[1].store = 1;
    e[2].name = "index.xml";
    e[2].data = "0";
    e[2].len = 1;
    REQUIRE(zt_write(outer, e, 3));
    memset(&t, 0, sizeof(t));
    mt_buf_init(&t.log, 4096);
    CHECK_EQ_INT(mt_src_walk(outer, 0, MT_SRC_WALK_ZIPS | MT_SRC_WALK_INNER, want_xml, visit_log, &t, NULL), MT_OK);
    CHECK_STR(mt_buf_str(&t.log), "|index.xml|0;|one.xml|1;|two.xml|2;");
    /* without INNER the label zips stay closed */
    mt_buf_reset(&t.log);
    CHECK_EQ_INT(mt_src_walk(outer, 0, MT_SRC_WALK_ZIPS, want_xml, visit_log, &t, NULL), MT_OK);
    CHECK_STR(mt_buf_str(&t.log), "|index.xml|0;");
    /* a folder of the parts (and a label zip beside them), with ZIPS */
    snprintf(folder, sizeof(folder), "%s/parts", dir);
    REQUIRE(zt_put(folder, "part1.zip", l1, n1));
    REQUIRE(zt_put(folder, "part2.zip", l2, n2));
    REQUIRE(zt_put(folder, "top.xml", "T", 1));
    mt_buf_reset(&t.log);
    t.root = folder;
    CHECK_EQ_INT(mt_src_walk(folder, 0, MT_SRC_WALK_ZIPS, want_xml, visit_log, &t, NULL), MT_OK);
    CHECK_STR(mt_buf_str(&t.log), "|top.xml|T;|one.xml|1;|two.xml|2;");
    mt_buf_reset(&t.log);
    CHECK_EQ_INT(mt_src_walk(folder, 0, 0, want_xml, visit_log, &t, NULL), MT_OK);
    CHECK_STR(mt_buf_str(&t.log), "|top.xml|T;");
    /* the place of a file in a label zip, for messages */
    {
        mt_zip *z = NULL, *in = NULL;
        uint64_t i;
        mt_src_dir d;
        mt_buf p;
        mt_buf_init(&p, 4096);
        REQUIRE(mt_zip_open(&z, outer, NULL) == MT_OK);
        if (mt_zip_locate(z, "prescription/20140103_a.zip", &i) == MT_OK &&
            mt_zip_open_inner(&in, z, i, NULL) == MT_OK) {
            d.path = mt_zip_name(in);
            d.zip = in;
            d.prefix = "";
            CHECK_EQ_INT(mt_src_dir_path(&d, "one.xml", &p), MT_OK);
            snprintf(where, sizeof(where), "%s!prescription/20140103_a.zip!one.xml", outer);
            CHECK_STR(mt_buf_str(&p), where);
            mt_zip_close(in);
        } else
            CHECK(!"the label zip opens");
        mt_zip_close(z);
        mt_buf_free(&p);
    }
    mt_buf_free(&t.log);
    mt_free(l1);
    mt_free(l2);
    zt_rmtree(dir);
}

static int visit_fail(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    (void)user;
    (void)d;
    (void)names;
    (void)n;
    return MT_EFORMAT;
}

TEST(srcwalk_stops_fails_and_refuses_two_entries_of_one_name)
{
    char dirbuf[512], zpath[1024], root[1024], single[1100];
    const char *dir = zt_scratch(dirbuf, sizeof(dirbuf));
    zt_entry e[2] = { { "d/a.xml", "A", 1, 0, 0 }, { "d/b.xml", "B", 1, 0, 0 } };
    unsigned char *zip = NULL;
    size_t zlen = 0;
    mt_buf err;
    trace t;

    REQUIRE(dir != NULL);
    mt_buf_init(&err, 4096);
    memset(&t, 0, sizeof(t));
    mt_buf_init(&t.log, 4096);
    snprintf(root, sizeof(root), "%s/tree", dir);
    REQUIRE(zt_put(root, "b.xml", "B", 1));
    REQUIRE(zt_put(root, "a/x.xml", "X", 1));
    /* stop: MT_OK, nothing further visited */
    t.root = root;
    t.stop_after = 1;
    CHECK_EQ_INT(mt_src_walk(root, 4, 0, want_xml, visit_log, &t, NULL), MT_OK);
    CHECK_STR(mt_buf_str(&t.log), "|b.xml|B;");
    /* a visitor's error ends the walk with it */
    CHECK_EQ_INT(mt_src_walk(root, 4, 0, want_xml, visit_fail, NULL, NULL), MT_EFORMAT);
    /* a path that is not there, and one file named */
    CHECK_EQ_INT(mt_src_walk("/nonexistent/release", 4, 0, want_xml, visit_log, &t, &err), MT_ENOTFOUND);
    CHECK_CONTAINS(mt_buf_str(&err), "/nonexistent/release: No such file or directory");
    snprintf(single, sizeof(single), "%s/b.xml", root);
    mt_buf_reset(&t.log);
    t.stop_after = 0;
    t.root = "";
    CHECK_EQ_INT(mt_src_walk(single, 4, 0, want_xml, visit_log, &t, NULL), MT_OK);
    CHECK_CONTAINS(mt_buf_str(&t.log), "/tree/b.xml|B;");
    /* "./" before a name is no hidden folder */
    {
        char dotzip[1100];
        zt_entry dot[2] = { { "./x.xml", "D", 1, 0, 0 }, { "./.y.xml", "Y", 1, 0, 0 } };
        snprintf(dotzip, sizeof(dotzip), "%s/dot.zip", dir);
        REQUIRE(zt_write(dotzip, dot, 2));
        mt_buf_reset(&t.log);
        CHECK_EQ_INT(mt_src_walk(dotzip, 0, 0, want_xml, visit_log, &t, NULL), MT_OK);
        CHECK_STR(mt_buf_str(&t.log), ".|x.xml|D;");
    }
    /* two entries of one name: which to read is not clear */
    snprintf(zpath, sizeof(zpath), "%s/dup.zip", dir);
    REQUIRE(zt_write(zpath, e, 2));
    REQUIRE((zip = zt_slurp(zpath, &zlen)) != NULL);
    CHECK_EQ_INT(zt_patch_name(zip, zlen, "d/b.xml", "d/a.xml"), 2);
    REQUIRE(zt_spit(zpath, zip, zlen));
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_src_walk(zpath, 0, 0, want_xml, visit_log, &t, &err), MT_EFORMAT);
    CHECK(strstr(mt_buf_str(&err), "two entries are named d/a.xml") != NULL ||
          strstr(mt_buf_str(&err), "not a zip archive, or a damaged one") != NULL);
    mt_buf_free(&t.log);
    mt_buf_free(&err);
    mt_free(zip);
    zt_rmtree(dir);
}
