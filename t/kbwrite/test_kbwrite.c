/*
** test_kbwrite.c — the serializer (lib/kbwrite/kbwrite.c): byte-identical
** output, string deduplication, build date, section hooks, refusal of a
** model the reader would reject, allocation-failure torture.
*/
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "kb/testmodel.h"
#include "kbwrite/kbwrite.h"
#include "util/alloc.h"

TEST(kbwrite_output_is_byte_identical)
{
    char a[256], b[256];
    unsigned char *da = NULL, *db = NULL;
    size_t na = 0, nb = 0;
    mt_test_tmp_path(a, "det-a");
    mt_test_tmp_path(b, "det-b");
    REQUIRE(mt_testmodel_write(a, 1) == MT_OK);
    REQUIRE(mt_testmodel_write(b, 1) == MT_OK);
    REQUIRE(mt_test_read_file(a, &da, &na) == MT_OK);
    REQUIRE(mt_test_read_file(b, &db, &nb) == MT_OK);
    CHECK(na == nb && memcmp(da, db, na) == 0);
    CHECK(na < 64 * 1024);
    mt_free(da);
    mt_free(db);
    unlink(a);
    unlink(b);
}

TEST(kbwrite_deduplicates_strings)
{
    char path[256];
    mt_kb *kb = NULL;
    uint32_t n, i, hits = 0;
    const kb_name *names;
    mt_test_tmp_path(path, "dedup");
    REQUIRE(mt_testmodel_write(path, 0) == MT_OK);
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    /* "ketamine" is the drug name and its preferred name: one offset */
    names = mt_kb_names(kb, &n);
    for (i = 0; i < n; i++)
        if (names[i].text == mt_kb_drug(kb, 0)->name)
            hits++;
    CHECK_EQ_INT(hits, 1);
    mt_kb_close(kb);
    unlink(path);
}

TEST(kbwrite_build_date_from_environment_or_editions)
{
    mdl m;
    char date[33];
    const char *old = getenv("SOURCE_DATE_EPOCH");
    char *saved = old ? strdup(old) : NULL;
    mdl_init(&m);
    REQUIRE(mt_testmodel_fill(&m, 0) == MT_OK);
    unsetenv("SOURCE_DATE_EPOCH");
    mt_kb_build_date(&m, date);
    CHECK_STR(date, "2025-10-06");
    setenv("SOURCE_DATE_EPOCH", "1700000000", 1);
    mt_kb_build_date(&m, date);
    CHECK_STR(date, "2023-11-14");
    setenv("SOURCE_DATE_EPOCH", "garbage", 1);
    mt_kb_build_date(&m, date);
    CHECK_STR(date, "2025-10-06");
    if (saved) {
        setenv("SOURCE_DATE_EPOCH", saved, 1);
        free(saved);
    } else {
        unsetenv("SOURCE_DATE_EPOCH");
    }
    mdl_free(&m);
}

/* A hook as an engine module writes one: a table in its own id range,
** referencing core records by file index. */
static uint32_t hook_calls;
static int test_hook(mt_kbw_ctx *c)
{
    uint32_t *t = mt_arena_calloc(c->scratch, 2, sizeof(uint32_t));
    if (!t)
        return MT_ENOMEM;
    hook_calls++;
    if (mt_kbw_ctx_str(c, "from the hook", &t[0]) != MT_OK)
        return MT_ENOMEM;
    t[1] = mt_kbw_ctx_pos(c, KB_T_NAMES, c->m->names.count - 1);
    return mt_kbw_add(c->w, KB_SEC_SEARCH_FIRST, 8, t, 8);
}
static int failing_hook(mt_kbw_ctx *c)
{
    mt_buf_puts(c->err, "hook says no");
    return MT_EINVAL;
}

TEST(kbwrite_hooks_add_sections)
{
    char path[256];
    mdl m;
    mt_buf err;
    mt_kb *kb = NULL;
    const mt_kb_section_hook hooks[] = { test_hook, NULL };
    const mt_kb_section_hook bad[] = { failing_hook, NULL };
    const void *data;
    uint32_t count;
    struct stat st;

    mt_test_tmp_path(path, "hooks");
    mt_buf_init(&err, 4096);
    mdl_init(&m);
    REQUIRE(mt_testmodel_fill(&m, 0) == MT_OK);
    hook_calls = 0;
    REQUIRE(mt_kb_write(&m, path, "v", &err, hooks) == MT_OK);
    CHECK_EQ_INT(hook_calls, 1);
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    REQUIRE(mt_kb_section(kb, KB_SEC_SEARCH_FIRST, 8, &data, &count) == MT_OK);
    CHECK_EQ_INT(count, 1);          /* one 8-byte record of two uint32 */
    CHECK_STR(mt_kb_str(kb, ((const uint32_t *)data)[0]), "from the hook");
    {   /* the last model name is at the reported file position */
        const kb_name *nm = mt_kb_name(kb, ((const uint32_t *)data)[1]);
        CHECK_STR(mt_kb_str(kb, nm->text), m.names.items[m.names.count - 1].text);
    }
    mt_kb_close(kb);

    /* a failing hook: error passed on, old file intact, no temporary left */
    REQUIRE(stat(path, &st) == 0);
    CHECK_EQ_INT(mt_kb_write(&m, path, "v2", &err, bad), MT_EINVAL);
    CHECK_CONTAINS(mt_buf_str(&err), "hook says no");
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    mt_kb_close(kb);
    mdl_free(&m);
    mt_buf_free(&err);
    unlink(path);
}

TEST(kbwrite_refuses_invalid_model)
{
    char path[256];
    mdl m;
    mt_buf err;
    mt_test_tmp_path(path, "invalid");
    mt_buf_init(&err, 4096);
    mdl_init(&m);
    REQUIRE(mt_testmodel_fill(&m, 0) == MT_OK);
    m.drugs.items[1].kind = 0;
    CHECK_EQ_INT(mt_kb_write(&m, path, NULL, &err, NULL), MT_EINVAL);
    CHECK_CONTAINS(mt_buf_str(&err), "drug kind of drug 1");
    CHECK_CONTAINS(mt_buf_str(&err), "rxnorm RXCUI 1000000");
    CHECK(access(path, F_OK) != 0);
    m.drugs.items[1].kind = MT_DRUG_INGREDIENT;
    mt_buf_reset(&err);
    CHECK_EQ_INT(mt_kb_write(&m, path, "this data version is far too long for the header", &err, NULL),
                 MT_EINVAL);
    mdl_free(&m);
    mt_buf_free(&err);
}

TEST(kbwrite_default_version_is_a_source_fingerprint)
{
    char path[256];
    mdl m;
    mt_kb *kb = NULL;
    mt_kb_summary info;
    mt_test_tmp_path(path, "fp");
    mdl_init(&m);
    REQUIRE(mt_testmodel_fill(&m, 0) == MT_OK);
    REQUIRE(mt_kb_write(&m, path, NULL, NULL, NULL) == MT_OK);
    REQUIRE(mt_kb_open(&kb, path, 0) == MT_OK);
    mt_kb_info(kb, &info);
    CHECK(strncmp(info.data_version, "sources-", 8) == 0);
    CHECK_EQ_INT(strlen(info.data_version), 24);
    mt_kb_close(kb);
    mdl_free(&m);
    unlink(path);
}

TEST(kbwrite_survives_allocation_failures)
{
    char path[256], tmp[300];
    mdl m;
    long n;
    int rc = MT_ENOMEM;
    mt_kb *kb = NULL;

    mt_test_tmp_path(path, "oom");
    snprintf(tmp, sizeof(tmp), "%s.tmp-%ld", path, (long)getpid());
    mdl_init(&m);
    REQUIRE(mt_testmodel_fill(&m, 1) == MT_OK);
    REQUIRE(mt_kb_write(&m, path, "old", NULL, NULL) == MT_OK);
    for (n = 0; n < 2000; n++) {
        mt_buf err;
        mt_buf_init(&err, 4096);
        mt_alloc_fail_after(n);
        rc = mt_kb_write(&m, path, NULL, &err, NULL);   /* NULL: the fingerprint path too */
        mt_alloc_fail_after(-1);
        mt_buf_free(&err);
        if (rc == MT_OK)
            break;
        if (rc != MT_ENOMEM) {
            mt_test_fail(__FILE__, __LINE__, "failure %ld: rc %d", n, rc);
            break;
        }
        CHECK(access(tmp, F_OK) != 0);
        /* the previous file is still whole */
        if (mt_kb_open(&kb, path, 0) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "old file damaged after failure %ld", n);
            break;
        }
        mt_kb_close(kb);
    }
    CHECK_EQ_INT(rc, MT_OK);
    CHECK(n > 10);
    mdl_free(&m);
    unlink(path);
}

TEST(kbwrite_unwritable_path_is_explained)
{
    mdl m;
    mt_buf err;
    mt_buf_init(&err, 4096);
    mdl_init(&m);
    REQUIRE(mt_testmodel_fill(&m, 0) == MT_OK);
    CHECK_EQ_INT(mt_kb_write(&m, "/nonexistent-dir/materia.kb", NULL, &err, NULL), MT_EIO);
    CHECK_CONTAINS(mt_buf_str(&err), "/nonexistent-dir/materia.kb");
    CHECK_CONTAINS(mt_buf_str(&err), "No such file or directory");
    mdl_free(&m);
    mt_buf_free(&err);
}
