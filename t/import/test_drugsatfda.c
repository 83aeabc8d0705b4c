/*
** test_drugsatfda.c — the Drugs@FDA importer (lib/import/drugsatfda.c) on real
** rows (t/fixtures/fda-openfda-files/drugsatfda-2019) after the identity
** fixtures, and on the bundled files after the bundled identity sources.
*/
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "import/vocabtest.h"
#include "util/alloc.h"

static const mdl_approval *approval(const vt_env *e, mdl_ref drug, const char *applno, const char *prodno)
{
    uint32_t i;
    for (i = 0; i < e->m.approvals.count; i++) {
        const mdl_approval *a = &e->m.approvals.items[i];
        if (a->drug == drug && strcmp(a->appl_no, applno) == 0 && strcmp(a->product_no, prodno) == 0)
            return a;
    }
    return NULL;
}

TEST(drugsatfda_approvals_and_brands)
{
    vt_env e;
    mdl_ref ket, esk, ser, alp, ator, met, sita, found;
    const mdl_approval *a;
    const mdl_name *n;
    const mdl_source *s;

    vt_init(&e);
    REQUIRE(vt_identity_fixtures(&e) == MT_OK);
    REQUIRE(vt_run(&e, mt_import_drugsatfda, "openfda", vt_fixture("fda-openfda-files")) == MT_OK);

    ket = vt_drug_rxcui(&e, 6130);
    REQUIRE(ket != MDL_NONE);
    a = approval(&e, ket, "016812", "001");
    REQUIRE(a != NULL);
    CHECK_STR(a->appl_type, "NDA");
    CHECK_STR(a->brand, "KETALAR");
    CHECK_STR(a->active_ingredient, "KETAMINE HYDROCHLORIDE");
    CHECK_STR(a->form, "INJECTABLE;INJECTION");
    CHECK_STR(a->strength, "EQ 10MG BASE/ML");
    CHECK_STR(a->marketing_status, "Prescription");
    CHECK_STR(a->approval_date, "1970-02-19");
    CHECK_STR(a->sponsor, "PAR STERILE PRODUCTS");
    CHECK_STR(a->cite.record, "Products.txt ApplNo 016812 ProductNo 001");
    CHECK(vt_name(&e, ket, MT_NAME_BRAND, "KETALAR") != NULL);
    /* The ANDA's DrugName is the generic name: an approval, not a brand. */
    CHECK(approval(&e, ket, "074524", "001") != NULL);
    CHECK(vt_name(&e, ket, MT_NAME_BRAND, "KETAMINE HYDROCHLORIDE") == NULL);

    esk = vt_drug_rxcui(&e, 2119365);
    REQUIRE(esk != MDL_NONE);
    a = approval(&e, esk, "211243", "001");
    REQUIRE(a != NULL);
    CHECK_STR(a->approval_date, "2019-03-05");
    CHECK(vt_name(&e, esk, MT_NAME_BRAND, "SPRAVATO") != NULL);

    ser = vt_drug_rxcui(&e, 36437);
    REQUIRE(ser != MDL_NONE);
    CHECK(approval(&e, ser, "019839", "002") != NULL);
    CHECK(vt_name(&e, ser, MT_NAME_BRAND, "ZOLOFT") != NULL);

    /* Alprazolam and atorvastatin come from RxTerms only: their brands come
    ** from Drugs@FDA, and find them. */
    alp = vt_drug_rxcui(&e, 596);
    REQUIRE(alp != MDL_NONE);
    n = vt_name(&e, alp, MT_NAME_BRAND, "Xanax");
    REQUIRE(n != NULL);
    CHECK_STR(n->cite.record, "Products.txt ApplNo 018276 ProductNo 001");
    CHECK(mdl_drug_find_name(&e.m, "xanax", &found) == MT_OK && found == alp);
    CHECK(vt_name(&e, alp, MT_NAME_BRAND, "ALPRAZOLAM") == NULL);
    a = approval(&e, alp, "074046", "001");
    REQUIRE(a != NULL);
    CHECK_STR(a->appl_type, "ANDA");
    CHECK_STR(a->marketing_status, "Discontinued");
    ator = vt_drug_rxcui(&e, 83367);
    REQUIRE(ator != MDL_NONE);
    CHECK(vt_name(&e, ator, MT_NAME_BRAND, "Lipitor") != NULL);
    CHECK(mdl_drug_find_name(&e.m, "LIPITOR", &found) == MT_OK && found == ator);

    /* A combination: an approval for each ingredient (metformin through its
    ** salt), and no brand on either. */
    met = vt_drug_rxcui(&e, 6809);
    sita = vt_drug_rxcui(&e, 593411);
    REQUIRE(met != MDL_NONE && sita != MDL_NONE);
    a = approval(&e, met, "022044", "001");
    REQUIRE(a != NULL);
    CHECK_STR(a->active_ingredient, "METFORMIN HYDROCHLORIDE; SITAGLIPTIN PHOSPHATE");
    CHECK(approval(&e, sita, "022044", "001") != NULL);
    CHECK(vt_name(&e, met, MT_NAME_BRAND, "JANUMET") == NULL);

    s = vt_source(&e, "openfda");
    CHECK_EQ_INT(s->rows, 15);
    /* Not joined: HY-PAM "25" (hydroxyzine), PITAVASTATIN CALCIUM (the row
    ** with an extra field), DIAZEPAM INTENSOL, HALOPERIDOL INTENSOL. */
    CHECK_EQ_INT(s->unmatched, 4);
    CHECK_EQ_INT(s->matched, 11);
    vt_free(&e);
}

TEST(drugsatfda_broken_row_names_file_and_line)
{
    vt_env e;
    vt_init(&e);
    CHECK_EQ_INT(vt_run(&e, mt_import_drugsatfda, "openfda", vt_fixture("drugsatfda-broken")), MT_EFORMAT);
    CHECK_CONTAINS(mt_buf_str(&e.err), "drugsatfda-broken/drugsatfda-2019/Products.txt:4:");
    vt_free(&e);
}

TEST(drugsatfda_survives_allocation_failures)
{
    long n;
    for (n = 0; n < 1500; n += 11) {
        vt_env e;
        int rc;
        vt_init(&e);
        if (vt_identity_fixtures(&e) != MT_OK) {
            mt_test_fail(__FILE__, __LINE__, "identity fixtures");
            vt_free(&e);
            return;
        }
        mt_alloc_fail_after(n);
        rc = vt_run(&e, mt_import_drugsatfda, "openfda", vt_fixture("fda-openfda-files"));
        mt_alloc_fail_after(-1);
        CHECK(rc == MT_OK || rc == MT_ENOMEM);
        vt_free(&e);
    }
}
