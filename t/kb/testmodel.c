/*
** testmodel.c — the small test model of testmodel.h. Values are real ones
** (RxCUIs, UNIIs, DrugBank ids, an NDC) so that lookups are checked against
** what the sources say.
*/
#include "kb/testmodel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kbwrite/kbwrite.h"
#include "util/alloc.h"

#define TRY(x) do { if ((rc = (x)) != MT_OK) goto done; } while (0)

int mt_testmodel_fill(mdl *m, int variant)
{
    mdl_source d;
    mdl_src rx, db, ts;
    mdl_ref ket, esk, ser, alc, prod, cls, doc, rule, rule2;
    mdl_keys k;
    mdl_product p;
    mdl_indication ind;
    mdl_approval ap;
    mdl_ixrule r;
    mdl_pill pill;
    mdl_doc dc;
    mdl_code code;
    int rc;

    memset(&d, 0, sizeof(d));
    d.id = "rxnorm";
    d.name = "RxNorm";
    d.edition = "2025-10-06 full release";
    d.licence = "UMLS";
    d.attribution = "National Library of Medicine";
    d.url = "https://www.nlm.nih.gov/research/umls/rxnorm/";
    d.kind = "vocabulary";
    d.dir = "data/sources/rxnorm-ingredients-2025-10";
    TRY(mdl_source_add(m, &d, &rx));
    d.id = "drugbank";
    d.name = "DrugBank Open Data vocabulary";
    d.edition = "as of 2024-03-14";
    d.licence = "CC0-1.0";
    d.kind = "vocabulary";
    d.dir = "data/sources/drugbank-open-vocabulary";
    TRY(mdl_source_add(m, &d, &db));
    d.id = "tripsit";
    d.name = "TripSit combos";
    d.edition = "2023";
    d.licence = "GPL-3.0";
    d.kind = "harm-reduction";
    d.dir = NULL;
    TRY(mdl_source_add(m, &d, &ts));
    m->sources.items[rx].rows = 4;
    m->sources.items[rx].matched = 1;

    memset(&k, 0, sizeof(k));
    k.rxcui = 6130;
    k.unii = "690G0D6V8H";
    TRY(mdl_drug_add(m, "ketamine", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(m, rx, "RXCUI %u", 6130u), &ket));
    TRY(mdl_ident_add(m, ket, MT_ID_DRUGBANK, "DB01221", mdl_cite_make(m, db, "DB01221")));
    memset(&k, 0, sizeof(k));
    k.rxcui = 1000000;           /* esketamine's RxCUI in this model */
    k.drugbank_id = "DB11823";
    TRY(mdl_drug_add(m, "esketamine", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(m, rx, "RXCUI 1000000"), &esk));
    memset(&k, 0, sizeof(k));
    k.rxcui = 36437;
    k.unii = "QUC7NX6WMB";
    k.drugcentral_id = 2433;
    TRY(mdl_drug_add(m, "sertraline", MT_DRUG_INGREDIENT, &k, 0, mdl_cite_make(m, rx, "RXCUI 36437"), &ser));
    TRY(mdl_ident_add(m, ser, MT_ID_RXCUI, "82728", mdl_cite_make(m, rx, "RXCUI 82728 (sertraline hydrochloride)")));
    TRY(mdl_drug_add(m, "alcohol", MT_DRUG_NONDRUG, NULL, 0, mdl_cite_make(m, ts, "alcohol"), &alc));
    TRY(mdl_name_add(m, ket, MT_NAME_BRAND, "Ketalar", "203154", mdl_cite_make(m, rx, "RXCUI 203154")));
    TRY(mdl_name_add(m, ser, MT_NAME_BRAND, "Zoloft", "82728", mdl_cite_make(m, rx, "RXCUI 82728")));
    TRY(mdl_name_add(m, ser, MT_NAME_SALT, "sertraline hydrochloride", NULL, mdl_cite_make(m, db, "DB01104")));
    TRY(mdl_name_add(m, ket, MT_NAME_INTL, "kétamine", NULL, mdl_cite_make(m, db, "DB01221")));

    memset(&p, 0, sizeof(p));
    p.rxcui = 312940;
    p.tty = "SCD";
    p.name = "sertraline 50 MG Oral Tablet";
    p.cite = mdl_cite_make(m, rx, "RXCUI 312940");
    TRY(mdl_product_add(m, &p, &prod));
    TRY(mdl_product_ing_add(m, prod, ser));
    TRY(mdl_ndc_add(m, prod, "0049-4900-50", mdl_cite_make(m, rx, "NDC 00049490050")));
    TRY(mdl_ndc_add(m, prod, "16729-0214-01", mdl_cite_make(m, rx, "NDC 16729021401")));

    TRY(mdl_class_get(m, "EPC", "N0000175696", "Selective Serotonin Reuptake Inhibitor",
                      mdl_cite_make(m, db, "EPC"), &cls));
    TRY(mdl_drug_class_add(m, ser, cls, mdl_cite_make(m, db, "DB01104 EPC")));
    TRY(mdl_class_get(m, "EPC", "N0000175688", "General Anesthetic", mdl_cite_make(m, db, "EPC"), &cls));
    TRY(mdl_drug_class_add(m, esk, cls, mdl_cite_make(m, db, "DB11823 EPC")));
    TRY(mdl_drug_class_add(m, ket, cls, mdl_cite_make(m, db, "DB01221 EPC")));

    memset(&ind, 0, sizeof(ind));
    ind.drug = ser;
    ind.category = MT_IND_ON_LABEL;
    ind.disease = "Major depressive disorder";
    ind.disease_id = "C1269683";
    ind.cite = mdl_cite_make(m, db, "LabeledIn 1");
    TRY(mdl_indication_add(m, &ind));
    ind.drug = ket;
    ind.category = MT_IND_SYMPTOMATIC;
    ind.disease = "anesthesia";
    ind.disease_id = NULL;
    TRY(mdl_indication_add(m, &ind));

    memset(&ap, 0, sizeof(ap));
    ap.drug = ser;
    ap.appl_type = "NDA";
    ap.appl_no = "019839";
    ap.product_no = "001";
    ap.brand = "ZOLOFT";
    ap.active_ingredient = "SERTRALINE HYDROCHLORIDE";
    ap.marketing_status = "Prescription";
    ap.approval_date = "1991-12-30";
    ap.sponsor = "PFIZER";
    ap.cite = mdl_cite_make(m, rx, "Products.txt 019839/001");
    TRY(mdl_approval_add(m, &ap));
    TRY(mdl_schedule_add(m, ket, "CIII", mdl_cite_make(m, rx, "ketamine CIII")));
    TRY(mdl_acb_add(m, ser, "ACB", 1, mdl_cite_make(m, db, "ACB sertraline")));

    memset(&dc, 0, sizeof(dc));
    dc.kind = MT_DOC_US_LABEL;
    dc.title = "ZOLOFT (sertraline) tablets";
    dc.jurisdiction = "US";
    dc.date = "2017-08-01";
    dc.doc_id = "fe9e8b7d-61ea-409d-84aa-3ebd79a046b5";
    dc.cite = mdl_cite_make(m, rx, "SPL fe9e8b7d");
    TRY(mdl_doc_add(m, &dc, &doc));
    TRY(mdl_doc_drug_add(m, doc, ser));
    TRY(mdl_doc_section_add(m, doc, "34067-9", "INDICATIONS", "ZOLOFT is indicated for MDD."));
    TRY(mdl_doc_section_add(m, doc, "34084-4", "ADVERSE REACTIONS", "Nausea, \"quoted\"\ttab."));

    memset(&pill, 0, sizeof(pill));
    pill.ndc11 = "00049490050";
    pill.name = "Zoloft 50 MG Oral Tablet";
    pill.product = prod;
    pill.drug = ser;
    pill.imprint = "ZOLOFT;50 MG";
    pill.color = "BLUE";
    pill.shape = "OVAL";
    pill.size_mm = 10.3f;
    pill.score = 2;
    pill.cite = mdl_cite_make(m, rx, "c3pi 1");
    TRY(mdl_pill_add(m, &pill));
    pill.product = MDL_NONE;
    pill.drug = MDL_NONE;
    pill.ndc11 = NULL;
    pill.name = "unknown white round";
    pill.score = -1;
    TRY(mdl_pill_add(m, &pill));

    memset(&r, 0, sizeof(r));
    r.kind = MT_IX_HARM_REDUCTION;
    r.a_label = "Ketamine";
    r.b_label = "Alcohol";
    r.level = "Dangerous";
    r.severity = MT_SEV_MAJOR;
    r.effect = "Both depress breathing.";
    r.lang = "en";
    r.cite = mdl_cite_make(m, ts, "ketamine+alcohol");
    TRY(mdl_ixrule_add(m, &r, &rule));
    TRY(mdl_ixpair_add(m, ket, alc, rule));
    TRY(mdl_ixpair_add(m, esk, alc, rule));
    r.kind = MT_IX_CLINICAL;
    r.a_label = "SSRI";
    r.b_label = "alcohol";
    r.level = "Moderate";
    r.severity = MT_SEV_MODERATE;
    r.tier = MT_TIER_NONINTERRUPTIVE;
    r.cite = mdl_cite_make(m, db, "rule 2");
    TRY(mdl_ixrule_add(m, &r, &rule2));
    TRY(mdl_ixpair_add(m, alc, ser, rule2));
    if (variant == 1) {
        TRY(mdl_ixpair_add(m, ket, ser, rule2));
        TRY(mdl_ixpair_add(m, ser, esk, rule));
    }

    memset(&code, 0, sizeof(code));
    code.system = "SPL-COLOR";
    code.code = "C48333";
    code.display = "BLUE";
    code.hex = "0000FF";
    code.cite = mdl_cite_make(m, rx, "C48333");
    TRY(mdl_code_add(m, &code));
    rc = MT_OK;
done:
    return rc;
}

int mt_testmodel_write(const char *path, int variant)
{
    mdl m;
    int rc;
    mdl_init(&m);
    rc = mt_testmodel_fill(&m, variant);
    if (rc == MT_OK)
        rc = mt_kb_write(&m, path, "test-1", NULL, NULL);
    mdl_free(&m);
    return rc;
}

int mt_test_read_file(const char *path, unsigned char **data, size_t *size)
{
    FILE *f = fopen(path, "rb");
    long n;
    int rc = MT_EIO;
    *data = NULL;
    *size = 0;
    if (!f)
        return MT_EIO;
    if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto done;
    *data = mt_malloc((size_t)n + 1);
    if (!*data) {
        rc = MT_ENOMEM;
        goto done;
    }
    if (fread(*data, 1, (size_t)n, f) != (size_t)n) {
        mt_free(*data);
        *data = NULL;
        goto done;
    }
    *size = (size_t)n;
    rc = MT_OK;
done:
    fclose(f);
    return rc;
}

void mt_test_tmp_path(char out[256], const char *tag)
{
    static unsigned counter;
    const char *dir = getenv("TMPDIR");
    snprintf(out, 256, "%s/materia-test-%ld-%u-%s", dir && *dir ? dir : "/tmp", (long)getpid(),
             counter++, tag);
}
