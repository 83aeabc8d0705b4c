/*
** ansm.h — what the ANSM importer (mt_import_ansm, import.h) leaves in the
** model for the importers that run after it (worldvista.c): the way back
** from an ANSM protagonist label ("SIMVASTATINE", "INHIBITEURS PUISSANTS DU
** CYP3A4", "ALCOOL (BOISSON OU EXCIPIENT)") to the drugs it stands for.
**
** After mt_import_ansm, an ANSM class is a model class of type "ANSM" with
** its members, and a resolved ANSM substance has its French name as an
** MT_NAME_INTL name cited by the ANSM source, so a label can be resolved
** again from the model alone.
*/
#ifndef MT_ANSM_H
#define MT_ANSM_H

#include "import/ixbuild.h"
#include "util/arena.h"
#include "util/hmap.h"

/* The id of the ANSM source in data/sources/ansm-thesaurus-fr/SOURCE.meta. */
#define MT_ANSM_SOURCE_ID "ansm"

/* Class type of the ANSM classes. */
#define MT_ANSM_CLASS_TYPE "ANSM"

/* Resolves ANSM protagonist labels to drugs, the same way for every importer:
** the ANSM classes with their members, and the drugs the ANSM source gave a
** French name (the join made by mt_import_ansm: the RxNorm mapping first,
** then names), so that a French name also held by another drug (a DrugBank
** synonym) still leads to the drug ANSM chose. */
typedef struct mt_ansm_resolver {
    const mdl   *m;
    mt_classidx  ci;          /* members of every class */
    mt_hmap      by_french;   /* name key of an ANSM French name -> drug */
    mt_arena     keys;
} mt_ansm_resolver;

/* Builds the resolver from the model; src is the ANSM source. MT_OK or MT_ENOMEM. */
int  mt_ansm_resolver_init(mt_ansm_resolver *r, const mdl *m, mdl_src src);
void mt_ansm_resolver_free(mt_ansm_resolver *r);

/* Adds to out the drugs an ANSM protagonist label stands for: a food or
** drink (alcohol, grapefruit, tea), an ANSM class, or a substance. MT_OK
** (possibly adding nothing) or MT_ENOMEM. */
int mt_ansm_side(const mt_ansm_resolver *r, const char *label, mt_refset *out);

/* Whether the label names a food or drink (the rule's DUR code is then "DF"). */
int mt_ansm_label_is_food(const char *label);

#endif /* MT_ANSM_H */
