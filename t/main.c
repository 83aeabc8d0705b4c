/*
** main.c — the unit-test runner: runs every registered TEST and prints
** "N passed, N failed, N skipped" as its last line.
*/
#include <stdarg.h>
#include <stdlib.h>

#include "harness.h"
#include "materia/kb.h"
#include "util/jsonmem.h"

#define MAX_TESTS 4096

static struct { const char *name, *file; mt_test_fn fn; } tests[MAX_TESTS];
static int ntests, current_failed, current_skipped;

void mt_test_register(const char *name, const char *file, mt_test_fn fn)
{
    if (ntests < MAX_TESTS) {
        tests[ntests].name = name;
        tests[ntests].file = file;
        tests[ntests].fn = fn;
        ntests++;
    }
}

void mt_test_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    current_failed = 1;
}

void mt_test_skip(const char *why)
{
    fprintf(stderr, "    skipped: %s\n", why);
    current_skipped = 1;
}

int mt_test_failed_now(void) { return current_failed; }

const char *mt_test_sources(void)
{
    const char *s = getenv("MATERIA_SOURCES");
    return s && *s ? s : "data/sources";
}

const char *mt_test_kb(void)
{
    const char *s = getenv("MATERIA_TEST_KB");
    return s && *s ? s : NULL;
}

struct mt_kb *mt_test_open_kb(void)
{
    mt_kb *kb = NULL;
    const char *path = mt_test_kb();
    int rc;
    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return NULL;
    }
    rc = mt_kb_open(&kb, path, 0);
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "%s: %s", path, mt_strerror(rc));
        return NULL;
    }
    return kb;
}

int main(int argc, char **argv)
{
    int i, passed = 0, failed = 0, skipped = 0;
    const char *filter = argc > 1 ? argv[1] : NULL;

    setvbuf(stdout, NULL, _IOLBF, 0);
    mt_json_use_mt_alloc();          /* so allocation-failure tests reach jansson, as in the tool */
    for (i = 0; i < ntests; i++) {
        if (filter && !strstr(tests[i].name, filter) && !strstr(tests[i].file, filter))
            continue;
        current_failed = current_skipped = 0;
        tests[i].fn();
        if (current_failed) {
            failed++;
            printf("FAIL %s (%s)\n", tests[i].name, tests[i].file);
        } else if (current_skipped) {
            skipped++;
            printf("skip %s\n", tests[i].name);
        } else {
            passed++;
            printf("ok   %s\n", tests[i].name);
        }
    }
    printf("unit: %d passed, %d failed, %d skipped\n", passed, failed, skipped);
    return failed ? 1 : 0;
}
