/*
** kbstrip.c — copies a knowledge base without the sections of one id range,
** to test what the engines and front ends do with a partial file (a
** knowledge base without a search index still opens: search then fails).
**
**   kbstrip IN OUT FIRST LAST      e.g. kbstrip materia.kb nosearch.kb 100 149
**
** run.sh compiles it with -DMT_KBSTRIP_MAIN together with the container and
** the few utilities it needs (lib/kbfile/kbfile.c, lib/util/{alloc,buf,
** status}.c). Built without that macro it is part of the unit-test runner:
** mt_test_kb_strip (kbstrip.h) and a test of it.
*/
#include "cli/kbstrip.h"

#include <stdio.h>
#include <stdlib.h>

#include "kbfile/kbfile.h"
#include "materia/status.h"

int mt_test_kb_strip(const char *in, const char *out, uint32_t first, uint32_t last)
{
    mt_kbf f;
    mt_kbw *w = NULL;
    uint32_t i;
    int rc = mt_kbf_open(&f, in, 0);

    if (rc != MT_OK)
        return rc;
    rc = mt_kbw_open(&w, out);
    for (i = 0; rc == MT_OK && i < f.nsections; i++) {
        const mt_kbf_section_info *s = &f.sections[i];
        if (s->id >= first && s->id <= last)
            continue;
        rc = mt_kbw_add(w, s->id, s->elem_size, f.map + s->offset, s->size);
    }
    if (rc == MT_OK) {
        rc = mt_kbw_commit(w, f.data_version, f.build_date);   /* frees w */
        w = NULL;
    }
    mt_kbw_abort(w);
    mt_kbf_close(&f);
    return rc;
}

#ifdef MT_KBSTRIP_MAIN
int main(int argc, char **argv)
{
    char *end1, *end2;
    unsigned long first, last;
    int rc;

    if (argc != 5) {
        fprintf(stderr, "usage: kbstrip IN OUT FIRST LAST\n");
        return 2;
    }
    first = strtoul(argv[3], &end1, 10);
    last = strtoul(argv[4], &end2, 10);
    if (!*argv[3] || *end1 || !*argv[4] || *end2 || first > last || last > UINT32_MAX) {
        fprintf(stderr, "kbstrip: FIRST and LAST: section ids, FIRST <= LAST\n");
        return 2;
    }
    rc = mt_test_kb_strip(argv[1], argv[2], (uint32_t)first, (uint32_t)last);
    if (rc != MT_OK) {
        fprintf(stderr, "kbstrip: %s: %s\n", argv[1], mt_strerror(rc));
        return 1;
    }
    return 0;
}
#else
#include <string.h>

#include "harness.h"
#include "kb/kbformat.h"
#include "kb/testmodel.h"
#include "materia/kb.h"
#include "materia/search.h"

/* The small test model without its search sections: every other section is
** kept byte for byte, the file opens and validates, and search reports that
** the index is missing instead of finding nothing. */
TEST(kbstrip_drops_the_search_sections)
{
    char full[256], part[256];
    mt_kbf a, b;
    mt_kb *kb = NULL;
    mt_search_results r;
    uint32_t i, k, dropped = 0;

    mt_test_tmp_path(full, "strip-full");
    mt_test_tmp_path(part, "strip-part");
    REQUIRE(mt_testmodel_write(full, 0) == MT_OK);
    REQUIRE(mt_test_kb_strip(full, part, KB_SEC_SEARCH_FIRST, KB_SEC_SEARCH_LAST) == MT_OK);
    REQUIRE(mt_kbf_open(&a, full, 0) == MT_OK);
    REQUIRE(mt_kbf_open(&b, part, 0) == MT_OK);
    for (i = 0, k = 0; i < a.nsections; i++) {
        const mt_kbf_section_info *s = &a.sections[i];
        if (s->id >= KB_SEC_SEARCH_FIRST && s->id <= KB_SEC_SEARCH_LAST) {
            dropped++;
            continue;
        }
        REQUIRE(k < b.nsections);
        CHECK_EQ_INT(b.sections[k].id, s->id);
        CHECK(b.sections[k].size == s->size && b.sections[k].checksum == s->checksum);
        k++;
    }
    CHECK(dropped > 0);
    CHECK_EQ_INT(b.nsections, a.nsections - dropped);
    CHECK_STR(b.data_version, a.data_version);
    mt_kbf_close(&a);
    mt_kbf_close(&b);

    REQUIRE(mt_kb_open(&kb, part, 0) == MT_OK);
    REQUIRE(mt_search_results_init(&r) == MT_OK);
    CHECK_EQ_INT(mt_search(kb, "ketamine", 5, 0, &r), MT_ECORRUPT);
    mt_search_results_free(&r);
    mt_kb_close(kb);
    remove(full);
    remove(part);
}
#endif
