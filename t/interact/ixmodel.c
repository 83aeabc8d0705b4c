/*
** ixmodel.c — the small model of ixmodel.h.
*/
#include "interact/ixmodel.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "interact/ixindex.h"
#include "kb/testmodel.h"
#include "search/search_build.h"
#include "util/buf.h"

#define TRY(x) do { int rc_ = (x); if (rc_ != MT_OK) return rc_; } while (0)

static int src(mdl *m, const char *id, const char *name, const char *edition, const char *kind, mdl_src *out)
{
    mdl_source d;
    memset(&d, 0, sizeof(d));
    d.id = id;
    d.name = name;
    d.edition = edition;
    d.kind = kind;
    d.licence = "test";
    return mdl_source_add(m, &d, out);
}

static int drug(mdl *m, mdl_src s, const char *name, uint32_t rxcui, mt_drug_kind kind, mdl_ref *out)
{
    mdl_keys k;
    memset(&k, 0, sizeof(k));
    k.rxcui = rxcui;
    return mdl_drug_add(m, name, kind, &k, 0, mdl_cite_make(m, s, "RXCUI %u", rxcui), out);
}

static int member(mdl *m, mdl_src s, const char *type, const char *code, const char *cname, mdl_ref d)
{
    mdl_ref c;
    TRY(mdl_class_get(m, type, code, cname, mdl_cite_make(m, s, "class %s", cname), &c));
    return mdl_drug_class_add(m, d, c, mdl_cite_make(m, s, "%s in %s", m->drugs.items[d].name, cname));
}

/* A rule between two sides, linked to one pair of drugs. */
static int rule(mdl *m, mdl_src s, mt_ix_kind kind, const char *a_label, const char *b_label,
                const char *level, mt_severity sev, mt_tier tier, const char *effect, const char *mech,
                const char *mgmt, const char *lang, const char *record, mdl_ref a, mdl_ref b)
{
    mdl_ixrule r;
    mdl_ref id;
    memset(&r, 0, sizeof(r));
    r.kind = (uint8_t)kind;
    r.a_label = a_label;
    r.b_label = b_label;
    r.level = level;
    r.severity = (uint8_t)sev;
    r.tier = (uint8_t)tier;
    r.effect = effect;
    r.mechanism = mech;
    r.management = mgmt;
    r.lang = lang;
    r.cite = mdl_cite_make(m, s, "%s", record);
    TRY(mdl_ixrule_add(m, &r, &id));
    return mdl_ixpair_add(m, a, b, id);
}

static int product(mdl *m, mdl_src s, uint32_t rxcui, const char *name, const char *brand,
                   mdl_ref d1, mdl_ref d2, const char *ndc, mdl_ref *out)
{
    mdl_product p;
    memset(&p, 0, sizeof(p));
    p.rxcui = rxcui;
    p.tty = brand ? "SBD" : "SCD";
    p.name = name;
    p.brand = brand;
    p.cite = mdl_cite_make(m, s, "RXCUI %u", rxcui);
    TRY(mdl_product_add(m, &p, out));
    TRY(mdl_product_ing_add(m, *out, d1));
    if (d2 != MDL_NONE)
        TRY(mdl_product_ing_add(m, *out, d2));
    return mdl_ndc_add(m, *out, ndc, mdl_cite_make(m, s, "NDC %s", ndc));
}

int ixm_fill(mdl *m, ixm *x)
{
    mdl_ref unused;
    memset(x, 0, sizeof(*x));
    TRY(mdl_init(m));
    TRY(src(m, "rxnorm", "RxNorm", "2025-10", "vocabulary", &x->rxnorm));
    TRY(src(m, "ansm", "ANSM Thésaurus des interactions médicamenteuses", "2020-10-20",
            "clinical-interactions", &x->ansm));
    TRY(src(m, "ndfrt", "NDF-RT VA DDI subset", "2014", "clinical-interactions", &x->ndfrt));
    TRY(src(m, "va56", "VA file 56 pairs", "2016", "clinical-interactions", &x->va56));
    TRY(src(m, "onc-high", "ONC high-priority DDIs", "2012", "clinical-interactions", &x->onc_high));
    TRY(src(m, "onc-nonint", "ONC non-interruptive DDIs", "2013", "clinical-interactions", &x->onc_nonint));
    TRY(src(m, "tripsit", "TripSit combos", "2026-08-18", "harm-reduction", &x->tripsit));
    TRY(src(m, "drugcentral", "DrugCentral", "2016", "classes", &x->drugcentral));
    TRY(src(m, "acb", "Anticholinergic burden scales", "2023-08-31", "classes", &x->acb));
    TRY(src(m, "materia-vocabulary", "Materia vocabulary", "1", "vocabulary", &x->vocab));

    TRY(drug(m, x->rxnorm, "sertraline", 36437, MT_DRUG_INGREDIENT, &x->sertraline));
    TRY(drug(m, x->rxnorm, "sertraline hydrochloride", 82728, MT_DRUG_PRECISE, &x->sertraline_hcl));
    m->drugs.items[x->sertraline_hcl].parent = x->sertraline;
    TRY(drug(m, x->rxnorm, "methylene blue", 6878, MT_DRUG_INGREDIENT, &x->methylene_blue));
    TRY(drug(m, x->rxnorm, "simvastatin", 36567, MT_DRUG_INGREDIENT, &x->simvastatin));
    TRY(drug(m, x->rxnorm, "clarithromycin", 21212, MT_DRUG_INGREDIENT, &x->clarithromycin));
    TRY(drug(m, x->rxnorm, "warfarin", 11289, MT_DRUG_INGREDIENT, &x->warfarin));
    TRY(drug(m, x->rxnorm, "ibuprofen", 5640, MT_DRUG_INGREDIENT, &x->ibuprofen));
    TRY(drug(m, x->rxnorm, "naproxen", 7258, MT_DRUG_INGREDIENT, &x->naproxen));
    TRY(drug(m, x->rxnorm, "tramadol", 10689, MT_DRUG_INGREDIENT, &x->tramadol));
    TRY(drug(m, x->rxnorm, "ketamine", 6130, MT_DRUG_INGREDIENT, &x->ketamine));
    TRY(drug(m, x->rxnorm, "alprazolam", 596, MT_DRUG_INGREDIENT, &x->alprazolam));
    TRY(drug(m, x->vocab, "alcohol", 0, MT_DRUG_NONDRUG, &x->alcohol));
    TRY(mdl_ident_add(m, x->alcohol, MT_ID_OTHER, "materia:alcohol", mdl_cite_make(m, x->vocab, "alcohol")));
    TRY(mdl_name_add(m, x->alcohol, MT_NAME_SYNONYM, "ethanol", NULL, mdl_cite_make(m, x->vocab, "alcohol")));
    TRY(drug(m, x->rxnorm, "acetaminophen", 161, MT_DRUG_INGREDIENT, &x->acetaminophen));
    TRY(drug(m, x->rxnorm, "hydrocodone", 5489, MT_DRUG_INGREDIENT, &x->hydrocodone));
    TRY(drug(m, x->rxnorm, "amitriptyline", 704, MT_DRUG_INGREDIENT, &x->amitriptyline));
    TRY(drug(m, x->rxnorm, "ranitidine", 9143, MT_DRUG_INGREDIENT, &x->ranitidine));
    TRY(drug(m, x->rxnorm, "lactulose", 6218, MT_DRUG_INGREDIENT, &x->lactulose));

    TRY(mdl_name_add(m, x->sertraline, MT_NAME_BRAND, "Zoloft", "82112", mdl_cite_make(m, x->rxnorm, "BN 82112")));
    TRY(mdl_name_add(m, x->alprazolam, MT_NAME_BRAND, "Xanax", NULL, mdl_cite_make(m, x->rxnorm, "BN Xanax")));
    TRY(mdl_name_add(m, x->acetaminophen, MT_NAME_INTL, "paracetamol", NULL, mdl_cite_make(m, x->ansm, "PARACETAMOL")));

    TRY(product(m, x->rxnorm, 198440, "acetaminophen 500 MG Oral Tablet", NULL, x->acetaminophen, MDL_NONE,
                "50580-0449-01", &x->p_apap500));
    TRY(product(m, x->rxnorm, 856999, "acetaminophen 325 MG / hydrocodone bitartrate 5 MG Oral Tablet [Norco]",
                "Norco", x->acetaminophen, x->hydrocodone, "0591-0385-01", &x->p_apap_hydrocodone));
    /* RxNorm lists a combination's MIN among its ingredients too. */
    TRY(drug(m, x->rxnorm, "acetaminophen / hydrocodone", 214182, MT_DRUG_MULTI, &x->apap_hydrocodone_min));
    TRY(mdl_product_ing_add(m, x->p_apap_hydrocodone, x->apap_hydrocodone_min));
    TRY(product(m, x->rxnorm, 312940, "sertraline 50 MG Oral Tablet", NULL, x->sertraline_hcl, MDL_NONE,
                "16714-0612-01", &unused));

    /* Classes: an EPC shared by two NSAIDs (therapeutic duplication), ANSM
    ** class-effect classes, a TripSit class. */
    TRY(member(m, x->drugcentral, "EPC", "N0000175722", "Nonsteroidal Anti-inflammatory Drug", x->ibuprofen));
    TRY(member(m, x->drugcentral, "EPC", "N0000175722", "Nonsteroidal Anti-inflammatory Drug", x->naproxen));
    TRY(member(m, x->drugcentral, "EPC", "N0000175690", "Opioid Agonist", x->tramadol));
    TRY(member(m, x->ansm, "ANSM", NULL, "MÉDICAMENTS SÉDATIFS", x->alprazolam));
    TRY(member(m, x->ansm, "ANSM", NULL, "MÉDICAMENTS SÉDATIFS", x->amitriptyline));
    TRY(member(m, x->ansm, "ANSM", NULL, "MÉDICAMENTS SÉDATIFS", x->hydrocodone));
    TRY(member(m, x->ansm, "ANSM", NULL, "MÉDICAMENTS À L'ORIGINE D'UN SYNDROME SÉROTONINERGIQUE", x->sertraline));
    TRY(member(m, x->ansm, "ANSM", NULL, "MÉDICAMENTS À L'ORIGINE D'UN SYNDROME SÉROTONINERGIQUE", x->tramadol));
    TRY(member(m, x->ansm, "ANSM", NULL, "MÉDICAMENTS À L'ORIGINE D'UN SYNDROME SÉROTONINERGIQUE", x->methylene_blue));
    TRY(member(m, x->ansm, "ANSM", NULL, "ANTICOAGULANTS ORAUX", x->warfarin));
    TRY(member(m, x->tripsit, "TripSit", NULL, "benzodiazepines", x->alprazolam));

    TRY(mdl_acb_add(m, x->amitriptyline, "Boustani2008", 3, mdl_cite_make(m, x->acb, "ACB_table.csv amitriptyline")));
    TRY(mdl_acb_add(m, x->amitriptyline, "MajVote", 3, mdl_cite_make(m, x->acb, "ACB_table.csv amitriptyline MajVote")));
    TRY(mdl_acb_add(m, x->ranitidine, "MajVote", 1, mdl_cite_make(m, x->acb, "ACB_table.csv ranitidine MajVote")));
    TRY(mdl_acb_add(m, x->ranitidine, "Carnahan2006", 2, mdl_cite_make(m, x->acb, "ACB_table.csv ranitidine Carnahan2006")));
    TRY(mdl_acb_add(m, x->acetaminophen, "Carnahan2006", 0, mdl_cite_make(m, x->acb, "ACB_table.csv acetaminophen")));

    /* Rules. */
    TRY(rule(m, x->ansm, MT_IX_CLINICAL, "IMAO-A RÉVERSIBLES, Y COMPRIS OXAZOLIDINONES ET BLEU DE MÉTHYLÈNE",
             "INHIBITEURS SÉLECTIFS DE LA RECAPTURE DE LA SÉROTONINE", "Association DECONSEILLEE", MT_SEV_MAJOR,
             MT_TIER_DEFAULT, "Risque de syndrome sérotoninergique.", NULL,
             "Si l'association ne peut être évitée, surveillance clinique très étroite.", "fr",
             "2020-10-20 IMAO-A + ISRS", x->methylene_blue, x->sertraline));
    TRY(rule(m, x->ndfrt, MT_IX_CLINICAL, "METHYLENE BLUE", "SEROTONIN REUPTAKE INHIBITORS", "Critical",
             MT_SEV_MAJOR, MT_TIER_DEFAULT, NULL, NULL, NULL, "en", "row 412", x->methylene_blue, x->sertraline_hcl));
    TRY(rule(m, x->ansm, MT_IX_CLINICAL, "SIMVASTATINE", "CLARITHROMYCINE", "CONTRE-INDICATION",
             MT_SEV_CONTRAINDICATED, MT_TIER_DEFAULT, "Risque majoré d'effets indésirables (concentration-dépendants) "
             "à type de rhabdomyolyse.", "Diminution du métabolisme hépatique de l'hypocholestérolémiant.", NULL, "fr",
             "2020-10-20 SIMVASTATINE + CLARITHROMYCINE", x->simvastatin, x->clarithromycin));
    TRY(rule(m, x->onc_high, MT_IX_ALERT_POLICY, "HMG Co-A reductase inhibitors", "strong CYP3A4 inhibitors",
             "High priority (always interrupt)", MT_SEV_MAJOR, MT_TIER_INTERRUPTIVE, NULL, NULL, NULL, "en",
             "ONC_High_Priority_Mapped.csv simvastatin$clarithromycin", x->simvastatin, x->clarithromycin));
    TRY(rule(m, x->ansm, MT_IX_CLINICAL, "ANTICOAGULANTS ORAUX", "ANTI-INFLAMMATOIRES NON STÉROÏDIENS",
             "Association DECONSEILLEE", MT_SEV_MAJOR, MT_TIER_DEFAULT,
             "Augmentation du risque hémorragique de l'anticoagulant oral.", NULL, NULL, "fr",
             "2020-10-20 AVK + AINS", x->warfarin, x->ibuprofen));
    TRY(rule(m, x->ndfrt, MT_IX_CLINICAL, "WARFARIN", "IBUPROFEN", "Significant", MT_SEV_MODERATE,
             MT_TIER_DEFAULT, NULL, NULL, NULL, "en", "row 1001", x->warfarin, x->ibuprofen));
    TRY(rule(m, x->onc_nonint, MT_IX_ALERT_POLICY, "NSAIDs", "NSAIDs",
             "Non-interruptive (show, do not interrupt)", MT_SEV_UNKNOWN, MT_TIER_NONINTERRUPTIVE, NULL, NULL,
             NULL, "en", "item 7", x->ibuprofen, x->naproxen));
    TRY(rule(m, x->ansm, MT_IX_CLINICAL, "INHIBITEURS SÉLECTIFS DE LA RECAPTURE DE LA SÉROTONINE", "TRAMADOL",
             "A prendre en compte", MT_SEV_MINOR, MT_TIER_DEFAULT,
             "Risque d'apparition de convulsions et/ou d'un syndrome sérotoninergique.", NULL, NULL, "fr",
             "2020-10-20 ISRS + TRAMADOL", x->sertraline, x->tramadol));
    TRY(rule(m, x->va56, MT_IX_PAIR_ONLY, "SERTRALINE", "TRAMADOL", "Interaction reported (severity not graded)",
             MT_SEV_UNKNOWN, MT_TIER_DEFAULT, NULL, NULL, NULL, "en", "pair 18311", x->sertraline, x->tramadol));
    TRY(rule(m, x->tripsit, MT_IX_HARM_REDUCTION, "ketamine", "alcohol", "Dangerous", MT_SEV_MAJOR,
             MT_TIER_DEFAULT, "Both substances potentiate the ataxia and sedation caused by the other.", NULL,
             NULL, "en", "combos.json ketamine/alcohol", x->ketamine, x->alcohol));
    TRY(rule(m, x->tripsit, MT_IX_HARM_REDUCTION, "ketamine", "benzodiazepines", "Caution", MT_SEV_MODERATE,
             MT_TIER_DEFAULT, "Both substances potentiate the ataxia and sedation caused by the other.", NULL,
             NULL, "en", "combos.json ketamine/benzodiazepines", x->ketamine, x->alprazolam));
    TRY(rule(m, x->ansm, MT_IX_CLINICAL, "ALCOOL (BOISSON OU EXCIPIENT)", "MÉDICAMENTS SÉDATIFS",
             "Association DECONSEILLEE", MT_SEV_MAJOR, MT_TIER_DEFAULT,
             "Majoration par l'alcool de l'effet sédatif de ces substances.", NULL,
             "Éviter la prise de boissons alcoolisées.", "fr", "2020-10-20 ALCOOL + SEDATIFS",
             x->alcohol, x->alprazolam));
    return MT_OK;
}

mt_kb *ixm_open(const mt_kb_section_hook *hooks, char path[256], ixm *x)
{
    static const mt_kb_section_hook all[] = { mt_search_kb_sections, mt_interact_kb_sections, NULL };
    mdl m;
    mt_buf err;
    mt_kb *kb = NULL;
    int rc;

    mt_buf_init(&err, 4096);
    mt_test_tmp_path(path, "interact");
    rc = ixm_fill(&m, x);
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "model: %s", mt_strerror(rc));
        mdl_free(&m);
        mt_buf_free(&err);
        return NULL;
    }
    rc = mt_kb_write(&m, path, "interact-test", &err, hooks ? hooks : all);
    mdl_free(&m);
    if (rc != MT_OK) {
        mt_test_fail(__FILE__, __LINE__, "write: %s %s", mt_strerror(rc), mt_buf_str(&err));
        mt_buf_free(&err);
        return NULL;
    }
    rc = mt_kb_open(&kb, path, 0);
    if (rc != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "open: %s", mt_strerror(rc));
    mt_buf_reset(&err);
    if (kb && mt_interact_kb_validate(kb, &err) != MT_OK)
        mt_test_fail(__FILE__, __LINE__, "validate: %s", mt_buf_str(&err));
    mt_buf_free(&err);
    return kb;
}

void ixm_close(mt_kb *kb, const char *path)
{
    mt_kb_close(kb);
    unlink(path);
}
