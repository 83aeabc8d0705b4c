/*
** harness.h — Materia's small unit-test harness.
**
** TEST(name) { ... } defines a test that registers itself before main runs;
** t/main.c runs them all (or those whose name contains argv[1]) and ends
** with the line "N passed, N failed". The CHECK macros record a failure with
** file and line and go on; REQUIRE macros stop the test.
** Tests that need the bundled sources read getenv("MATERIA_SOURCES")
** (default "data/sources"); those that need a built knowledge base read
** getenv("MATERIA_TEST_KB") and are skipped, and counted as skipped, when it
** is not set.
*/
#ifndef MT_HARNESS_H
#define MT_HARNESS_H

#include <stdio.h>
#include <string.h>

typedef void (*mt_test_fn)(void);
void mt_test_register(const char *name, const char *file, mt_test_fn fn);
void mt_test_fail(const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void mt_test_skip(const char *why);
const char *mt_test_sources(void);   /* bundled sources folder */
const char *mt_test_kb(void);        /* built KB path, or NULL */
int  mt_test_failed_now(void);       /* the current test has failed */
/* The knowledge base built from the bundled sources ($MATERIA_TEST_KB), opened;
** NULL with the test skipped when the variable is unset, or NULL with the test
** failed when the file does not open. The caller closes it (mt_kb_close). */
struct mt_kb *mt_test_open_kb(void);

#define TEST(name) \
    static void test_##name(void); \
    __attribute__((constructor)) static void register_##name(void) \
    { mt_test_register(#name, __FILE__, test_##name); } \
    static void test_##name(void)

#define CHECK(cond) do { if (!(cond)) mt_test_fail(__FILE__, __LINE__, "CHECK(%s)", #cond); } while (0)
#define REQUIRE(cond) do { if (!(cond)) { mt_test_fail(__FILE__, __LINE__, "REQUIRE(%s)", #cond); return; } } while (0)
#define CHECK_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) mt_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_); } while (0)
#define REQUIRE_EQ_INT(a, b) do { long long a_ = (long long)(a), b_ = (long long)(b); \
    if (a_ != b_) { mt_test_fail(__FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_, b_); return; } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
    if (!a_ || !b_ || strcmp(a_, b_) != 0) mt_test_fail(__FILE__, __LINE__, "%s == %s: \"%s\" != \"%s\"", \
        #a, #b, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); } while (0)
#define CHECK_CONTAINS(hay, needle) do { const char *h_ = (hay), *n_ = (needle); \
    if (!h_ || !strstr(h_, n_)) mt_test_fail(__FILE__, __LINE__, "%s contains \"%s\"", #hay, n_); } while (0)

#endif /* MT_HARNESS_H */
