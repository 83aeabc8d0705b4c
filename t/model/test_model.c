/*
** test_model.c — the build-time model: joins by identifier and name, dedup,
** NDC normalization, citations (lib/model/model.c).
*/
#include "harness.h"
#include "model/model.h"
#include "util/alloc.h"

static mdl_src add_source(mdl *m, const char *id)
{
    mdl_source d = {0};
    mdl_src s = 0;
    d.id = id;
    d.name = id;
    mdl_source_add(m, &d, &s);
    return s;
}

TEST(model_joins_by_identifier_then_name)
{
    mdl m;
    mdl_ref ket, found;
    mdl_keys k = {0};
    mdl_src rx;

    mdl_init(&m);
    rx = add_source(&m, "rxnorm");
    k.rxcui = 6130;
    k.unii = "690g0d6v8h";
    REQUIRE(mdl_drug_add(&m, "ketamine", MT_DRUG_INGREDIENT, &k, 0,
                         mdl_cite_make(&m, rx, "RXCUI %u", 6130u), &ket) == MT_OK);
    CHECK(m.drugs.items[ket].flags & MT_DRUGF_IN_RXNORM);
    CHECK_STR(m.drugs.items[ket].unii, "690G0D6V8H");

    mdl_keys by_unii = {0};
    by_unii.unii = "690G0D6V8H";
    CHECK(mdl_drug_find(&m, &by_unii, &found) == MT_OK && found == ket);
    mdl_keys by_db = {0};
    by_db.drugbank_id = "DB01221";
    CHECK(mdl_drug_find(&m, &by_db, &found) == MT_ENOTFOUND);
    CHECK(mdl_ident_add(&m, ket, MT_ID_DRUGBANK, "DB01221", mdl_cite_make(&m, rx, "x")) == MT_OK);
    CHECK(mdl_drug_find(&m, &by_db, &found) == MT_OK && found == ket);

    CHECK(mdl_drug_find_name(&m, "KETAMINE", &found) == MT_OK && found == ket);
    CHECK(mdl_drug_find_name(&m, "Ketamine Hydrochloride", &found) == MT_OK && found == ket);
    CHECK(mdl_drug_find_name(&m, "esketamine", &found) == MT_ENOTFOUND);
    CHECK(m.sources.items[rx].facts >= 3);
    mdl_free(&m);
}

TEST(model_own_name_finds_one_drug_or_says_several)
{
    mdl m;
    mdl_ref asa, sal, other, found;
    mdl_keys k = {0};
    mdl_src s;
    mdl_init(&m);
    s = add_source(&m, "t");
    k.rxcui = 1191;
    REQUIRE(mdl_drug_add(&m, "aspirin", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(&m, s, "a"), &asa) == MT_OK);
    k.rxcui = 9525;
    REQUIRE(mdl_drug_add(&m, "salicylic acid", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(&m, s, "b"), &sal) == MT_OK);
    REQUIRE(mdl_name_add(&m, sal, MT_NAME_SYNONYM, "Salicylate", NULL, mdl_cite_make(&m, s, "c")) == MT_OK);
    CHECK(mdl_drug_find_own_name(&m, "ASPIRIN", &found) == MT_OK && found == asa);
    CHECK(mdl_drug_find_own_name(&m, "Salicylic  acid", &found) == MT_OK && found == sal);
    /* Synonyms are not own names, and no salt word is stripped. */
    CHECK(mdl_drug_find_own_name(&m, "salicylate", &found) == MT_ENOTFOUND);
    CHECK(mdl_drug_find_own_name(&m, "aspirin sodium", &found) == MT_ENOTFOUND);
    CHECK(mdl_drug_find_name(&m, "aspirin sodium", &found) == MT_OK && found == asa);
    /* A second drug with the same own name: several, and the name join keeps the first. */
    REQUIRE(mdl_drug_add(&m, "Aspirin", MT_DRUG_SUBSTANCE, NULL, 0, mdl_cite_make(&m, s, "d"), &other) == MT_OK);
    CHECK(mdl_drug_find_own_name(&m, "aspirin", &found) == MT_EEXIST);
    CHECK(mdl_drug_find_name(&m, "aspirin", &found) == MT_OK && found == asa);
    CHECK(mdl_drug_find_own_name(&m, "", &found) == MT_ENOTFOUND);
    mdl_free(&m);
}

TEST(model_conflicting_identifier_is_kept_but_not_joined)
{
    mdl m;
    mdl_ref a, b, found;
    mdl_keys ka = {0}, kb = {0};
    mdl_src s;
    mdl_init(&m);
    s = add_source(&m, "t");
    ka.unii = "AAAA";
    kb.unii = "BBBB";
    REQUIRE(mdl_drug_add(&m, "alpha", MT_DRUG_INGREDIENT, &ka, 0, mdl_cite_make(&m, s, "1"), &a) == MT_OK);
    REQUIRE(mdl_drug_add(&m, "beta", MT_DRUG_INGREDIENT, &kb, 0, mdl_cite_make(&m, s, "2"), &b) == MT_OK);
    CHECK(mdl_ident_add(&m, b, MT_ID_UNII, "AAAA", mdl_cite_make(&m, s, "3")) == MT_OK);
    CHECK_EQ_INT(m.id_conflicts, 1);
    mdl_keys q = {0};
    q.unii = "AAAA";
    CHECK(mdl_drug_find(&m, &q, &found) == MT_OK && found == a);
    mdl_free(&m);
}

TEST(model_ndc_normalization)
{
    char out[12];
    CHECK(mdl_ndc_normalize("0002-1433-80", out) == MT_OK);
    CHECK_STR(out, "00002143380");
    CHECK(mdl_ndc_normalize("50090-123-01", out) == MT_OK);
    CHECK_STR(out, "50090012301");
    CHECK(mdl_ndc_normalize("12345-6789-1", out) == MT_OK);
    CHECK_STR(out, "12345678901");
    CHECK(mdl_ndc_normalize("12345678901", out) == MT_OK);
    CHECK_STR(out, "12345678901");
    CHECK(mdl_ndc_normalize("1234567890", out) == MT_EFORMAT);   /* ambiguous without dashes */
    CHECK(mdl_ndc_normalize("12a45-6789-1", out) == MT_EFORMAT);
    CHECK(mdl_ndc_normalize("123-4567-89", out) == MT_EFORMAT);
}

TEST(model_dedups_names_pairs_and_ndcs)
{
    mdl m;
    mdl_ref a, b, rule, prod;
    mdl_src s;
    mdl_ixrule r = {0};
    mdl_product p = {0};
    mdl_init(&m);
    s = add_source(&m, "t");
    REQUIRE(mdl_drug_add(&m, "alpha", MT_DRUG_INGREDIENT, NULL, 0, mdl_cite_make(&m, s, "1"), &a) == MT_OK);
    REQUIRE(mdl_drug_add(&m, "beta", MT_DRUG_INGREDIENT, NULL, 0, mdl_cite_make(&m, s, "2"), &b) == MT_OK);
    CHECK(mdl_name_add(&m, a, MT_NAME_SYNONYM, "Alpha-X", NULL, mdl_cite_make(&m, s, "3")) == MT_OK);
    CHECK(mdl_name_add(&m, a, MT_NAME_SYNONYM, "alpha x", NULL, mdl_cite_make(&m, s, "3")) == MT_OK);
    CHECK_EQ_INT(m.names.count, 3);
    r.kind = MT_IX_CLINICAL;
    r.severity = MT_SEV_MAJOR;
    REQUIRE(mdl_ixrule_add(&m, &r, &rule) == MT_OK);
    CHECK(mdl_ixpair_add(&m, a, b, rule) == MT_OK);
    CHECK(mdl_ixpair_add(&m, b, a, rule) == MT_OK);
    CHECK(mdl_ixpair_add(&m, a, a, rule) == MT_OK);
    CHECK_EQ_INT(m.ixpairs.count, 1);
    CHECK(mdl_ixpair_add(&m, a, 99, rule) == MT_EINVAL);
    p.name = "alpha 5 MG Oral Tablet";
    p.rxcui = 1000;
    REQUIRE(mdl_product_add(&m, &p, &prod) == MT_OK);
    CHECK(mdl_ndc_add(&m, prod, "00002143380", mdl_cite_make(&m, s, "n")) == MT_OK);
    CHECK(mdl_ndc_add(&m, prod, "0002-1433-80", mdl_cite_make(&m, s, "n")) == MT_OK);
    CHECK_EQ_INT(m.ndcs.count, 1);
    mdl_free(&m);
}

TEST(model_survives_allocation_failures)
{
    /* Allocation-failure torture: every failure point unwinds without
    ** crashing or leaking (ASan checks the leaks). */
    long n;
    for (n = 0; n < 200; n++) {
        mdl m;
        mdl_ref d;
        mdl_src s;
        mdl_keys k = {0};
        int rc;
        mdl_init(&m);
        mt_alloc_fail_after(n);
        k.rxcui = 1;
        k.unii = "U";
        rc = add_source(&m, "t") == 0 ? MT_OK : MT_ENOMEM;
        s = 0;
        if (m.sources.count == 1)
            rc = mdl_drug_add(&m, "x", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(&m, s, "r"), &d);
        if (rc == MT_OK && m.drugs.count)
            rc = mdl_name_add(&m, 0, MT_NAME_BRAND, "Brand", NULL, mdl_cite_make(&m, s, "r"));
        mt_alloc_fail_after(-1);
        CHECK(rc == MT_OK || rc == MT_ENOMEM);
        mdl_free(&m);
    }
}
