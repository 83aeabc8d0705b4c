/*
** ansm.h — what the ANSM importer (mt_import_ansm, import.h) leaves in the
** model for the importers that run after it (worldvista.c): the way back
** from an ANSM protagonist label ("SIMVASTATINE", "INHIBITEURS PUISSANTS DU
** CYP3A4", "ALCOOL (BOISSON OU EXCIPIENT)") to the drugs it stands for.
**
** After mt_import_ansm, an ANSM class is a model class of type "ANSM" with
** its members, and a resolved ANSM substance has its French name as an
** MT_NAME_INTL name, so a label can be resolved again from the model alone.
*/
#ifndef MT_ANSM_H
#define MT_ANSM_H

#include "import/ixbuild.h"

/* The id of the ANSM source in data/sources/ansm-thesaurus-fr/SOURCE.meta. */
#define MT_ANSM_SOURCE_ID "ansm"

/* Class type of the ANSM classes. */
#define MT_ANSM_CLASS_TYPE "ANSM"

/* Adds to out the drugs an ANSM protagonist label stands for: a food or
** drink (alcohol, grapefruit, tea), an ANSM class (members from ci, built
** after the ANSM import), or a substance. MT_OK (possibly adding nothing) or
** MT_ENOMEM. */
int mt_ansm_side(const mdl *m, const mt_classidx *ci, const char *label, mt_refset *out);

/* Whether the label names a food or drink (the rule's DUR code is then "DF"). */
int mt_ansm_label_is_food(const char *label);

#endif /* MT_ANSM_H */
