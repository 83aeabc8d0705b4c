/*
** nondrugs.c — the non-drug interactants (nondrugs.h) and their importer,
** mt_import_nondrugs: a built-in "source" of names only.
**
** Interaction sources name alcohol, grapefruit, tea, St John's wort and
** smoking in many ways; patients type "beer", "wine" or "smoking". Each
** interactant is looked up in the vocabulary already imported (RxNorm,
** DrugBank: identifiers first, then names) and created as MT_DRUG_NONDRUG
** only when the vocabulary lacks it. The everyday names are then added as
** synonyms. This source states no clinical fact: interactions come from the
** interaction sources that cite their own records.
*/
#include "import/nondrugs.h"

#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "import/ixbuild.h"

#define MAX_NAMES 14

typedef struct nd_def {
    const char *id;            /* materia:<id> */
    const char *display;       /* name of the drug when it has to be created */
    int         food;          /* drug-food (DF) rather than drug-drug (DD) */
    /* Identifiers of the vocabulary's entry (RxNorm ingredient RxCUI,
    ** DrugBank open vocabulary UNII and ID): used to find it, never added. */
    uint32_t    rxcui;
    const char *unii, *drugbank;
    const char *names[MAX_NAMES];   /* first: the canonical everyday name */
} nd_def;

static const nd_def defs[MT_ND_COUNT] = {
    [MT_ND_ALCOHOL] = { "alcohol", "alcohol (ethanol)", 1, 448, "3K9958V90M", "DB00898",
        { "alcohol", "ethanol", "ethyl alcohol", "alcoholic drinks", "alcoholic beverages",
          "drinking alcohol", "beer", "wine", "spirits", "liquor", NULL } },
    [MT_ND_GRAPEFRUIT] = { "grapefruit", "grapefruit (juice and fruit)", 1, 0, "O82C39RR8C", "DB10534",
        { "grapefruit", "grapefruit juice", "Citrus paradisi", NULL } },
    [MT_ND_CAFFEINE] = { "caffeine", "caffeine", 0, 1886, "3G6A5W338E", "DB00201",
        { "caffeine", "coffee", "theine", "caffeinated drinks", NULL } },
    [MT_ND_STJOHNSWORT] = { "st-johns-wort", "St John's wort (Hypericum perforatum)", 0, 0,
        "UFH8805FKA", "DB01323",
        { "St John's wort", "St. John's wort", "St Johns wort", "Saint John's wort",
          "Hypericum", "Hypericum perforatum", NULL } },
    [MT_ND_TOBACCO] = { "tobacco", "tobacco (smoking)", 0, 0, "6YR2608RSU", "DB10710",
        { "tobacco", "smoking", "tobacco smoking", "cigarettes", "cigarette smoking",
          "tobacco smoke", NULL } },
    [MT_ND_NICOTINE] = { "nicotine", "nicotine", 0, 7407, "6M3C89ZY6R", "DB00184",
        { "nicotine", NULL } },
};

const char *mt_nondrug_id(mt_nondrug which)
{
    return (unsigned)which < MT_ND_COUNT ? defs[which].id : NULL;
}

int mt_nondrug_is_food(mt_nondrug which)
{
    return (unsigned)which < MT_ND_COUNT && defs[which].food;
}

int mt_nondrug_find(const mdl *m, mt_nondrug which, mdl_ref *out)
{
    char tag[64];
    uint32_t i;

    if ((unsigned)which >= MT_ND_COUNT)
        return MT_ENOTFOUND;
    snprintf(tag, sizeof(tag), "materia:%s", defs[which].id);
    for (i = 0; i < m->idents.count; i++) {
        const mdl_ident *id = &m->idents.items[i];
        if (id->type == MT_ID_OTHER && id->value && strcmp(id->value, tag) == 0) {
            *out = id->drug;
            return MT_OK;
        }
    }
    return mdl_drug_find_name(m, defs[which].names[0], out);
}

/* Registers the built-in source once and returns it. */
static int vocab_source(mdl *m, mdl_src *out)
{
    mdl_source desc;
    if (mdl_source_find(m, MT_NONDRUG_SOURCE_ID, out) == MT_OK)
        return MT_OK;
    memset(&desc, 0, sizeof(desc));
    desc.id = MT_NONDRUG_SOURCE_ID;
    desc.name = "Materia interactant vocabulary";
    desc.edition = "1 (2025)";
    desc.licence = "CC0 (Materia project)";
    desc.attribution = "Materia project: everyday names of non-drug interactants "
                       "(alcohol, grapefruit, caffeine, St John's wort, tobacco, nicotine); names only.";
    desc.kind = "vocabulary";
    return mdl_source_add(m, &desc, out);
}

/* Finds the vocabulary's entry: RxCUI, UNII, DrugBank ID, then each name. */
static int find_existing(const mdl *m, const nd_def *d, mdl_ref *out)
{
    mdl_keys k;
    int i;

    memset(&k, 0, sizeof(k));
    k.rxcui = d->rxcui;
    k.unii = d->unii;
    k.drugbank_id = d->drugbank;
    if (mdl_drug_find(m, &k, out) == MT_OK)
        return MT_OK;
    for (i = 0; i < MAX_NAMES && d->names[i]; i++)
        if (mdl_drug_find_name(m, d->names[i], out) == MT_OK)
            return MT_OK;
    return MT_ENOTFOUND;
}

int mt_import_nondrugs(mt_import_ctx *ctx)
{
    mdl *m = ctx->m;
    mdl_src src;
    int rc, w, i;

    rc = vocab_source(m, &src);
    if (rc != MT_OK)
        return rc;
    ctx->src = src;
    for (w = 0; w < MT_ND_COUNT; w++) {
        const nd_def *d = &defs[w];
        mdl_cite cite = mdl_cite_make(m, src, "interactant %s", d->id);
        mdl_ref drug;
        char tag[64];

        if (!cite.record)
            return MT_ENOMEM;
        m->sources.items[src].rows++;
        if (find_existing(m, d, &drug) == MT_OK) {
            m->sources.items[src].matched++;
        } else {
            m->sources.items[src].unmatched++;
            rc = mdl_drug_add(m, d->display, MT_DRUG_NONDRUG, NULL, 0, cite, &drug);
            if (rc != MT_OK)
                return rc;
        }
        snprintf(tag, sizeof(tag), "materia:%s", d->id);
        if ((rc = mdl_ident_add(m, drug, MT_ID_OTHER, tag, cite)) != MT_OK)
            return rc;
        for (i = 0; i < MAX_NAMES && d->names[i]; i++) {
            rc = mdl_name_add(m, drug, MT_NAME_SYNONYM, d->names[i], NULL, cite);
            if (rc != MT_OK)
                return rc;
        }
    }
    return MT_OK;
}
