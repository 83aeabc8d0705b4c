/*
** test_kb.c — the memory-mapped reader (lib/kb/kb.c): a model written and
** read back; lookups; and every class of corruption rejected with the right
** code (run under ASan by `make check`, so "no crash" is checked too).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "harness.h"
#include "kb/kb_internal.h"
#include "kb/testmodel.h"
#include "util/alloc.h"

/* Byte map of the container (docs/reference/kb-format.md), to forge files. */
#define H_VERSION 12
#define H_NSECTIONS 20
#define H_TABLE_SUM 40
#define H_HEADER_SUM 48
#define TABLE 256
#define E_SIZE 32

static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint64_t get64(const unsigned char *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(unsigned char *p, uint64_t v) { memcpy(p, &v, 8); }

/* Recomputes every checksum, so that a forged change reaches the structural
** checks instead of stopping at a checksum. */
static void reseal(unsigned char *d, size_t dsize)
{
    uint32_t n = get32(d + H_NSECTIONS), i;
    if (n > MT_KBF_MAX_SECTIONS || TABLE + (size_t)n * E_SIZE > dsize)
        n = 0;                      /* a forged count: only the header is resealed */
    for (i = 0; i < n; i++) {
        unsigned char *e = d + TABLE + i * E_SIZE;
        uint64_t off = get64(e + 8), size = get64(e + 16);
        if (off <= dsize && size <= dsize - off)
            put64(e + 24, XXH3_64bits(d + off, size));
    }
    put64(d + H_TABLE_SUM, XXH3_64bits(d + TABLE, (size_t)n * E_SIZE));
    put64(d + H_HEADER_SUM, 0);
    put64(d + H_HEADER_SUM, XXH3_64bits(d, 256));
}

/* The table entry of section id (a scratch entry, and a test failure, if
** there is none, so that forging code never dereferences NULL). */
static unsigned char scratch_entry[64];
static unsigned char *entry(unsigned char *d, uint32_t id)
{
    uint32_t n = get32(d + H_NSECTIONS), i;
    for (i = 0; i < n; i++)
        if (get32(d + TABLE + i * E_SIZE) == id)
            return d + TABLE + i * E_SIZE;
    mt_test_fail(__FILE__, __LINE__, "no section %u", id);
    memset(scratch_entry, 0, sizeof(scratch_entry));
    return scratch_entry;
}

/* The section's bytes (the file start if it is missing). */
static unsigned char *section(unsigned char *d, uint32_t id)
{
    return d + get64(entry(d, id) + 8);
}

typedef struct fixture {
    char path[256];
    unsigned char *data;
    size_t size;
} fixture;

static int fixture_make(fixture *fx, int variant)
{
    mt_test_tmp_path(fx->path, "kb");
    if (mt_testmodel_write(fx->path, variant) != MT_OK)
        return 0;
    return mt_test_read_file(fx->path, &fx->data, &fx->size) == MT_OK;
}

static void fixture_free(fixture *fx)
{
    unlink(fx->path);
    mt_free(fx->data);
}

/* Opens a modified copy; returns the status and the detail text. */
static int open_copy(const unsigned char *d, size_t size, unsigned flags, char *detail, size_t dsize)
{
    mt_kb *kb = NULL;
    int rc = mt_kb_open_mem(&kb, d, size, flags, detail, dsize);
    if (rc == MT_OK) {
        mt_kb_close(kb);
    } else if (kb) {
        rc = -100;                 /* a failed open must leave no handle */
    }
    return rc;
}

TEST(kb_roundtrip_reads_every_table)
{
    fixture fx;
    mt_kb *kb = NULL;
    mt_kb_summary info;
    uint32_t n, d, i;
    const kb_drug *drug;
    const kb_name *names;
    int found_brand = 0;

    REQUIRE(fixture_make(&fx, 0));
    REQUIRE(mt_kb_open(&kb, fx.path, 0) == MT_OK);
    REQUIRE(mt_kb_info(kb, &info) == MT_OK);
    CHECK_EQ_INT(info.format_version, MT_KBF_FORMAT_VERSION);
    CHECK_STR(info.data_version, "test-1");
    CHECK_STR(info.build_date, "2025-10-06");
    CHECK_EQ_INT(info.sources, 3);
    CHECK_EQ_INT(info.drugs, 4);
    CHECK_EQ_INT(info.products, 1);
    CHECK_EQ_INT(info.ndcs, 2);
    CHECK_EQ_INT(info.pills, 2);
    CHECK_EQ_INT(info.ixrules, 2);
    CHECK_EQ_INT(info.ixpairs, 3);
    CHECK_EQ_INT(info.codes, 1);
    CHECK_EQ_INT(info.file_size, fx.size);

    /* sources, with their folder and statistics */
    CHECK_STR(mt_kb_str(kb, mt_kb_source(kb, 0)->id), "rxnorm");
    CHECK_STR(mt_kb_str(kb, mt_kb_source(kb, 0)->folder), "rxnorm-ingredients-2025-10");
    CHECK_EQ_INT(mt_kb_source(kb, 0)->rows, 4);
    CHECK(mt_kb_source(kb, 0)->facts > 5);
    CHECK_STR(mt_kb_str(kb, mt_kb_source(kb, 2)->folder), "");
    CHECK_STR(mt_kb_str(kb, mt_kb_source(kb, 3)->id), "");   /* out of range: zero record */

    /* lookups */
    REQUIRE(mt_kb_drug_by_rxcui(kb, 36437, &d) == MT_OK);
    drug = mt_kb_drug(kb, d);
    CHECK_STR(mt_kb_str(kb, drug->name), "sertraline");
    CHECK(mt_kb_drug_by_rxcui(kb, 82728, &i) == MT_OK && i == d);   /* a second RxCUI */
    CHECK(mt_kb_drug_by_rxcui(kb, 1, &i) == MT_ENOTFOUND);
    CHECK(mt_kb_drug_by_rxcui(kb, 0, &i) == MT_ENOTFOUND);
    CHECK(mt_kb_drug_by_unii(kb, "quc7nx6wmb", &i) == MT_OK && i == d);
    CHECK(mt_kb_drug_by_drugcentral(kb, 2433, &i) == MT_OK && i == d);
    CHECK(mt_kb_drug_by_drugbank(kb, "DB01221", &i) == MT_OK);
    CHECK_STR(mt_kb_str(kb, mt_kb_drug(kb, i)->name), "ketamine");
    CHECK(mt_kb_drug_by_drugbank(kb, "DB99999", &i) == MT_ENOTFOUND);
    CHECK(mt_kb_drug_by_unii(kb, NULL, &i) == MT_ENOTFOUND);

    /* ranges: the names of sertraline are sertraline's, with their citations */
    names = mt_kb_names(kb, &n);
    CHECK(drug->names.count >= 3);
    for (i = 0; i < drug->names.count; i++) {
        const kb_name *nm = &names[drug->names.first + i];
        CHECK_EQ_INT(nm->drug, d);
        if (nm->kind == MT_NAME_BRAND) {
            found_brand = 1;
            CHECK_STR(mt_kb_str(kb, nm->text), "Zoloft");
            CHECK_STR(mt_kb_cite_source(kb, nm->cite), "rxnorm");
            CHECK_STR(mt_kb_cite_record(kb, nm->cite), "RXCUI 82728");
        }
    }
    CHECK(found_brand);
    CHECK_EQ_INT(drug->products.count, 1);
    CHECK_STR(mt_kb_str(kb, mt_kb_product(kb, mt_kb_drug_product(kb, drug->products.first)->product)->name),
              "sertraline 50 MG Oral Tablet");
    CHECK_EQ_INT(drug->approvals.count, 1);
    CHECK_STR(mt_kb_str(kb, mt_kb_approval(kb, drug->approvals.first)->approval_date), "1991-12-30");
    CHECK_EQ_INT(drug->docs.count, 1);
    {
        const kb_doc *doc = mt_kb_doc(kb, mt_kb_drug_doc(kb, drug->docs.first)->doc);
        CHECK_EQ_INT(doc->sections.count, 2);
        CHECK_STR(mt_kb_str(kb, mt_kb_doc_section(kb, doc->sections.first + 1)->text),
                  "Nausea, \"quoted\"\ttab.");
    }
    /* classes both ways */
    {
        const kb_class *cls = mt_kb_class(kb, 1);
        CHECK_STR(mt_kb_str(kb, cls->name), "General Anesthetic");
        CHECK_EQ_INT(cls->members.count, 2);
        /* members sorted by drug: ketamine (0) before esketamine (1) */
        CHECK_EQ_INT(mt_kb_class_member(kb, cls->members.first)->drug, 0);
        CHECK_EQ_INT(mt_kb_class_member(kb, cls->members.first + 1)->drug, 1);
    }
    /* NDC lookup in both spellings */
    {
        const uint32_t *rows;
        uint32_t cnt;
        CHECK(mt_kb_ndc_find(kb, "00049490050", &rows, &cnt) == MT_OK && cnt == 1);
        CHECK(mt_kb_ndc_find(kb, "16729-214-01", &rows, &cnt) == MT_OK && cnt == 1);
        if (cnt == 1)
            CHECK_EQ_INT(mt_kb_ndc(kb, rows[0])->product, 0);
        CHECK(mt_kb_ndc_find(kb, "00000000000", &rows, &cnt) == MT_ENOTFOUND);
        CHECK(mt_kb_ndc_find(kb, "hello", &rows, &cnt) == MT_EINVAL);
    }
    /* pills keep their optional references and fields */
    CHECK_EQ_INT(mt_kb_pill(kb, 0)->size_cmm, 1030);
    CHECK_EQ_INT(mt_kb_pill(kb, 0)->score, 2);
    CHECK_EQ_INT(mt_kb_pill(kb, 1)->product, KB_NONE);
    CHECK_EQ_INT(mt_kb_pill(kb, 1)->score, 0);
    /* interactions by index, both directions */
    {
        const kb_ixadj *adj;
        uint32_t cnt;
        CHECK(mt_kb_ix_between(kb, 0, 3, &adj, &cnt) == MT_OK && cnt == 1);
        CHECK(mt_kb_ix_between(kb, 3, 0, &adj, &cnt) == MT_OK && cnt == 1);
        if (cnt == 1)
            CHECK_STR(mt_kb_str(kb, mt_kb_ixrule(kb, adj[0].rule)->level), "Dangerous");
        CHECK(mt_kb_ix_between(kb, 3, d, &adj, &cnt) == MT_OK && cnt == 1);
        if (cnt == 1)
            CHECK_EQ_INT(mt_kb_ixrule(kb, adj[0].rule)->tier, MT_TIER_NONINTERRUPTIVE);
        CHECK(mt_kb_ix_between(kb, 0, d, &adj, &cnt) == MT_ENOTFOUND);
        CHECK(mt_kb_ix_between(kb, 0, 99, &adj, &cnt) == MT_ENOTFOUND);
        CHECK_EQ_INT(mt_kb_drug(kb, 3)->interactions.count, 3);   /* alcohol */
        CHECK_EQ_INT(mt_kb_ixrule(kb, 0)->pairs.count, 2);
    }
    CHECK_STR(mt_kb_str(kb, mt_kb_code(kb, 0)->hex), "0000FF");
    CHECK_STR(mt_kb_str(kb, 0), "");
    CHECK_STR(mt_kb_str(kb, UINT32_MAX), "");
    mt_kb_close(kb);
    fixture_free(&fx);
}

TEST(kb_open_reports_missing_file_and_bad_args)
{
    mt_kb *kb = (mt_kb *)1;
    char detail[128];
    CHECK(mt_kb_open(&kb, "/nonexistent/materia.kb", 0) == MT_EIO);
    CHECK(kb == NULL);
    CHECK(mt_kb_open(NULL, "x", 0) == MT_EINVAL);
    CHECK(mt_kb_open(&kb, NULL, 0) == MT_EINVAL);
    CHECK(mt_kb_open(&kb, "/", 0) == MT_EIO);
    CHECK(mt_kb_open_mem(&kb, NULL, 0, 0, detail, sizeof(detail)) == MT_ETRUNCATED);
    CHECK(mt_kb_open_mem(&kb, "NOTAKB", 6, 0, detail, sizeof(detail)) == MT_EMAGIC);
    mt_kb_close(NULL);
}

TEST(kb_every_flipped_byte_is_rejected)
{
    fixture fx;
    size_t i;
    unsigned bad = 0;
    REQUIRE(fixture_make(&fx, 0));
    REQUIRE(open_copy(fx.data, fx.size, 0, NULL, 0) == MT_OK);
    for (i = 0; i < fx.size; i++) {
        int rc;
        fx.data[i] ^= 0x20;
        rc = open_copy(fx.data, fx.size, 0, NULL, 0);
        if (rc == MT_OK || rc == -100) {
            if (bad++ < 5)
                mt_test_fail(__FILE__, __LINE__, "flipped byte %zu accepted (rc %d)", i, rc);
        }
        /* Without checksums the open may succeed, but it must not crash. */
        (void)open_copy(fx.data, fx.size, MT_KB_VERIFY_NONE, NULL, 0);
        fx.data[i] ^= 0x20;
    }
    CHECK_EQ_INT(bad, 0);
    fixture_free(&fx);
}

TEST(kb_every_truncation_is_rejected)
{
    fixture fx;
    size_t len;
    unsigned wrong = 0;
    REQUIRE(fixture_make(&fx, 0));
    for (len = 0; len < fx.size; len++) {
        int rc = open_copy(fx.data, len, 0, NULL, 0);
        if (rc != MT_ETRUNCATED && wrong++ < 5)
            mt_test_fail(__FILE__, __LINE__, "truncated at %zu: rc %d", len, rc);
    }
    CHECK_EQ_INT(wrong, 0);
    fixture_free(&fx);
}

TEST(kb_header_corruptions_have_their_own_codes)
{
    fixture fx;
    unsigned char *copy;
    REQUIRE(fixture_make(&fx, 0));
    copy = mt_malloc(fx.size + 64);
    REQUIRE(copy != NULL);

    memcpy(copy, fx.data, fx.size);
    copy[0] = 'X';
    CHECK_EQ_INT(open_copy(copy, fx.size, 0, NULL, 0), MT_EMAGIC);

    memcpy(copy, fx.data, fx.size);
    put32(copy + H_VERSION, 2);
    CHECK_EQ_INT(open_copy(copy, fx.size, 0, NULL, 0), MT_EVERSION);
    reseal(copy, fx.size);
    CHECK_EQ_INT(open_copy(copy, fx.size, 0, NULL, 0), MT_EVERSION);

    memcpy(copy, fx.data, fx.size);
    copy[60] ^= 1;                                /* inside data_version */
    CHECK_EQ_INT(open_copy(copy, fx.size, 0, NULL, 0), MT_ECHECKSUM);

    memcpy(copy, fx.data, fx.size);
    copy[TABLE + 3] ^= 1;                         /* inside the section table */
    CHECK_EQ_INT(open_copy(copy, fx.size, 0, NULL, 0), MT_ECHECKSUM);

    memcpy(copy, fx.data, fx.size);               /* a control character in a header string */
    copy[56] = '\033';
    reseal(copy, fx.size);
    CHECK_EQ_INT(open_copy(copy, fx.size, 0, NULL, 0), MT_ECORRUPT);

    memcpy(copy, fx.data, fx.size);               /* trailing garbage */
    memset(copy + fx.size, 0, 64);
    CHECK_EQ_INT(open_copy(copy, fx.size + 64, 0, NULL, 0), MT_ECORRUPT);

    memcpy(copy, fx.data, fx.size);               /* too many sections */
    put32(copy + H_NSECTIONS, MT_KBF_MAX_SECTIONS + 1);
    reseal(copy, fx.size);
    CHECK_EQ_INT(open_copy(copy, fx.size, 0, NULL, 0), MT_ECORRUPT);
    mt_free(copy);
    fixture_free(&fx);
}

/* Applies one forged change to a fresh copy, reseals it, and checks the code
** and that the detail names what is wrong. */
static void expect_forged(const fixture *fx, void (*forge)(unsigned char *), int want,
                          const char *detail_has, const char *what)
{
    unsigned char *copy = mt_malloc(fx->size);
    char detail[256];
    int rc;
    if (!copy) {
        mt_test_fail(__FILE__, __LINE__, "out of memory");
        return;
    }
    memcpy(copy, fx->data, fx->size);
    forge(copy);
    reseal(copy, fx->size);
    rc = open_copy(copy, fx->size, 0, detail, sizeof(detail));
    if (rc != want)
        mt_test_fail(__FILE__, __LINE__, "%s: rc %d (%s), want %d", what, rc, detail, want);
    else if (detail_has && !strstr(detail, detail_has))
        mt_test_fail(__FILE__, __LINE__, "%s: detail \"%s\" lacks \"%s\"", what, detail, detail_has);
    mt_free(copy);
}

static void forge_out_of_bounds(unsigned char *d) { put64(entry(d, KB_SEC_DRUGS) + 8, 1ull << 40); }
static void forge_size_past_end(unsigned char *d) { put64(entry(d, KB_SEC_CODES) + 16, 1ull << 32); }
static void forge_misaligned(unsigned char *d) { put64(entry(d, KB_SEC_DRUGS) + 8, get64(entry(d, KB_SEC_DRUGS) + 8) + 4); }
static void forge_overlap(unsigned char *d)
{
    /* section 3 starts where section 2 starts */
    put64(entry(d, KB_SEC_DRUGS) + 8, get64(entry(d, KB_SEC_SOURCES) + 8));
}
static void forge_unsorted(unsigned char *d) { put32(entry(d, KB_SEC_DRUGS), KB_SEC_SOURCES); }
static void forge_elem_not_multiple(unsigned char *d) { put32(entry(d, KB_SEC_DRUGS) + 4, 7); }
static void forge_elem_size(unsigned char *d) { put32(entry(d, KB_SEC_DRUGS) + 4, 60); }
static void forge_missing_table(unsigned char *d) { put32(entry(d, KB_SEC_CODES), 99); }
static void forge_string_offset(unsigned char *d)
{
    kb_drug *dr = (kb_drug *)(void *)section(d, KB_SEC_DRUGS);
    dr[1].name = 0x7fffffff;
}
static void forge_range_past_end(unsigned char *d)
{
    kb_drug *dr = (kb_drug *)(void *)section(d, KB_SEC_DRUGS);
    dr[3].names.count += 1000;
}
static void forge_range_overlap(unsigned char *d)
{
    kb_drug *dr = (kb_drug *)(void *)section(d, KB_SEC_DRUGS);
    dr[1].names.first -= 1;
}
static void forge_bad_ref(unsigned char *d)
{
    kb_name *nm = (kb_name *)(void *)section(d, KB_SEC_NAMES);
    nm[0].drug = 4;
}
static void forge_bad_source(unsigned char *d)
{
    kb_ident *id = (kb_ident *)(void *)section(d, KB_SEC_IDENTS);
    id[0].cite.source = 3;
}
static void forge_bad_enum(unsigned char *d)
{
    kb_ixrule *r = (kb_ixrule *)(void *)section(d, KB_SEC_IXRULES);
    r[0].severity = 9;
}
static void forge_pool_unterminated(unsigned char *d)
{
    unsigned char *e = entry(d, KB_SEC_STRINGS);
    d[get64(e + 8) + get64(e + 16) - 1] = 'x';
}
static void forge_unsorted_lookup(unsigned char *d)
{
    kb_key_u32 *k = (kb_key_u32 *)(void *)section(d, KB_SEC_DRUG_BY_RXCUI);
    uint32_t t = k[0].key;
    k[0].key = k[1].key;
    k[1].key = t;
}
static void forge_adj_self(unsigned char *d)
{
    kb_ixadj *a = (kb_ixadj *)(void *)section(d, KB_SEC_IXADJ);
    a[0].other = 0;                     /* drug 0's first neighbour = itself */
}
static void forge_nonzero_padding(unsigned char *d)
{
    unsigned char *e = entry(d, KB_SEC_SOURCES);
    d[get64(e + 8) - 1] = 1;           /* the byte before the section */
}
static void forge_ndc_digits(unsigned char *d)
{
    kb_ndc *n = (kb_ndc *)(void *)section(d, KB_SEC_NDCS);
    n[0].ndc11[11] = '7';
}

TEST(kb_structural_corruptions_are_rejected)
{
    fixture fx;
    REQUIRE(fixture_make(&fx, 0));
    expect_forged(&fx, forge_out_of_bounds, MT_ECORRUPT, NULL, "section outside the file");
    expect_forged(&fx, forge_size_past_end, MT_ECORRUPT, NULL, "section size past the end");
    expect_forged(&fx, forge_misaligned, MT_ECORRUPT, NULL, "misaligned section");
    expect_forged(&fx, forge_overlap, MT_ECORRUPT, NULL, "overlapping sections");
    expect_forged(&fx, forge_unsorted, MT_ECORRUPT, NULL, "unsorted section table");
    expect_forged(&fx, forge_elem_not_multiple, MT_ECORRUPT, NULL, "size not a multiple of the record");
    expect_forged(&fx, forge_elem_size, MT_ECORRUPT, "record size", "wrong record size");
    expect_forged(&fx, forge_missing_table, MT_ECORRUPT, "codes", "missing core table");
    expect_forged(&fx, forge_string_offset, MT_ECORRUPT, "drugs record 1 field name", "string offset");
    expect_forged(&fx, forge_range_past_end, MT_ECORRUPT, "field names", "range past end");
    expect_forged(&fx, forge_range_overlap, MT_ECORRUPT, "field names", "overlapping ranges");
    expect_forged(&fx, forge_bad_ref, MT_ECORRUPT, "names", "reference out of range");
    expect_forged(&fx, forge_bad_source, MT_ECORRUPT, "source", "citation source");
    expect_forged(&fx, forge_bad_enum, MT_ECORRUPT, "severity", "unknown severity");
    expect_forged(&fx, forge_pool_unterminated, MT_ECORRUPT, "string pool", "unterminated pool");
    expect_forged(&fx, forge_unsorted_lookup, MT_ECORRUPT, "drug_by_rxcui", "unsorted lookup");
    expect_forged(&fx, forge_adj_self, MT_ECORRUPT, "ixadj", "self interaction");
    expect_forged(&fx, forge_nonzero_padding, MT_ECORRUPT, NULL, "padding");
    expect_forged(&fx, forge_ndc_digits, MT_ECORRUPT, "ndc11", "NDC not terminated");
    fixture_free(&fx);
}

TEST(kb_open_survives_allocation_failures)
{
    fixture fx;
    long n;
    REQUIRE(fixture_make(&fx, 0));
    for (n = 0; n < 50; n++) {
        mt_kb *kb = NULL;
        int rc;
        mt_alloc_fail_after(n);
        rc = mt_kb_open(&kb, fx.path, 0);
        mt_alloc_fail_after(-1);
        if (rc == MT_OK) {
            mt_kb_close(kb);
            break;
        }
        CHECK_EQ_INT(rc, MT_ENOMEM);
        CHECK(kb == NULL);
    }
    CHECK(n < 50);
    fixture_free(&fx);
}

/* The engine table validator on a table of the caller's design. */
TEST(kb_check_table_serves_engine_tables)
{
    fixture fx;
    mt_kb *kb = NULL;
    mt_buf why;
    static const mt_kb_field fields[] = { { KB_F_REF, 4, KB_SEC_DRUGS, 0, "drug" } };
    mt_kb_table t = { "names_again", KB_SEC_NAMES, sizeof(kb_name), 0, fields, 1 };
    mt_kb_table absent = { "absent", 140, 8, 0, fields, 1 };
    REQUIRE(fixture_make(&fx, 0));
    REQUIRE(mt_kb_open(&kb, fx.path, 0) == MT_OK);
    mt_buf_init(&why, 1024);
    /* offset 4 of kb_name is the text offset: a string offset, usually far
    ** above the 4 drugs, so used as a drug reference it is out of range. */
    CHECK_EQ_INT(mt_kb_check_table(kb, &t, &why), MT_ECORRUPT);
    CHECK_CONTAINS(mt_buf_str(&why), "names_again");
    t.fields = fields;
    CHECK_EQ_INT(mt_kb_check_table(kb, &absent, NULL), MT_ENOTFOUND);
    absent.flags = KB_TF_REQUIRED;
    CHECK_EQ_INT(mt_kb_check_table(kb, &absent, NULL), MT_ECORRUPT);
    mt_buf_free(&why);
    mt_kb_close(kb);
    fixture_free(&fx);
}

TEST(kb_default_path_follows_environment)
{
    const char *old = getenv("MATERIA_KB");
    char *saved = old ? strdup(old) : NULL;
    setenv("MATERIA_KB", "/tmp/x.kb", 1);
    CHECK_STR(mt_kb_default_path(), "/tmp/x.kb");
    setenv("MATERIA_KB", "", 1);
    CHECK_STR(mt_kb_default_path(), "build/materia.kb");
    if (saved) {
        setenv("MATERIA_KB", saved, 1);
        free(saved);
    } else {
        unsetenv("MATERIA_KB");
    }
}

/* The KB built from the bundled sources (make check builds it) opens and is sane. */
TEST(kb_built_from_sources_opens)
{
    const char *path = mt_test_kb();
    mt_kb *kb = NULL;
    mt_kb_summary info;
    char detail[256];
    if (!path) {
        mt_test_skip("MATERIA_TEST_KB not set");
        return;
    }
    REQUIRE_EQ_INT(mt_kb_open_ex(&kb, path, 0, detail, sizeof(detail)), MT_OK);
    REQUIRE(mt_kb_info(kb, &info) == MT_OK);
    CHECK(info.sources >= 23);
    CHECK(strncmp(info.data_version, "sources-", 8) == 0);
    mt_kb_close(kb);
}

/* The fuzz seeds (fuzz/corpus/fuzz_kb_load/) are these files: valid test
** models and truncations. With MATERIA_WRITE_FUZZ_SEEDS=DIR set, the test
** also writes them there (to refresh the corpus after a format change). */
TEST(kb_fuzz_seeds_are_valid_and_truncations_fail)
{
    static const struct { const char *name; int variant; size_t cut; } seeds[] = {
        { "testmodel-full", 0, 0 }, { "testmodel-more-pairs", 1, 0 },
        { "truncated-header", 0, 100 }, { "truncated-table", 0, 700 }, { "truncated-half", 0, 1 }
    };
    const char *dir = getenv("MATERIA_WRITE_FUZZ_SEEDS");
    size_t i;
    for (i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++) {
        fixture fx;
        size_t len;
        if (!fixture_make(&fx, seeds[i].variant)) {
            mt_test_fail(__FILE__, __LINE__, "cannot write the test model");
            return;
        }
        len = seeds[i].cut == 1 ? fx.size / 2 : seeds[i].cut ? seeds[i].cut : fx.size;
        CHECK(fx.size < 64 * 1024);
        CHECK_EQ_INT(open_copy(fx.data, len, 0, NULL, 0), seeds[i].cut ? MT_ETRUNCATED : MT_OK);
        if (dir && *dir) {
            char path[1024];
            FILE *f;
            snprintf(path, sizeof(path), "%s/%s", dir, seeds[i].name);
            f = fopen(path, "wb");
            CHECK(f && fwrite(fx.data, 1, len, f) == len);
            if (f)
                fclose(f);
        }
        fixture_free(&fx);
    }
}

TEST(kb_check_table_refuses_bad_schemas)
{
    fixture fx;
    mt_kb *kb = NULL;
    static const mt_kb_field past_end[] = { { KB_F_RANGE, 4, KB_SEC_DRUGS, 0, "wide" } };
    static const mt_kb_field unknown[] = { { 77, 0, 0, 0, "odd" } };
    mt_kb_table t = { "tiny", KB_SEC_NDC_INDEX, 4, 0, past_end, 1 };
    REQUIRE(fixture_make(&fx, 0));
    REQUIRE(mt_kb_open(&kb, fx.path, 0) == MT_OK);
    CHECK_EQ_INT(mt_kb_check_table(kb, &t, NULL), MT_EINVAL);     /* 8 bytes at offset 4 of 4 */
    t.fields = unknown;
    CHECK_EQ_INT(mt_kb_check_table(kb, &t, NULL), MT_EINVAL);
    t.nfields = MT_KB_MAX_FIELDS + 1;
    CHECK_EQ_INT(mt_kb_check_table(kb, &t, NULL), MT_EINVAL);
    mt_kb_close(kb);
    fixture_free(&fx);
}
