/*
** nondrugs.h — the non-drug interactants (alcohol, grapefruit, caffeine,
** St John's wort, tobacco, nicotine) that interaction sources name in their
** own words ("ALCOOL (BOISSON OU EXCIPIENT)", "GRAPEFRUIT (JUICE AND FRUIT)",
** "alcohol"). mt_import_nondrugs (import.h) finds each in the vocabulary or
** creates it, adds the everyday names, and tags it with a Materia identifier
** (type MT_ID_OTHER, value "materia:<id>") so that the interaction importers
** find it here whatever its display name is.
*/
#ifndef MT_NONDRUGS_H
#define MT_NONDRUGS_H

#include "model/model.h"

typedef enum mt_nondrug {
    MT_ND_ALCOHOL = 0,
    MT_ND_GRAPEFRUIT,
    MT_ND_CAFFEINE,
    MT_ND_STJOHNSWORT,
    MT_ND_TOBACCO,
    MT_ND_NICOTINE,
    MT_ND_COUNT
} mt_nondrug;

/* The id of the built-in source that mt_import_nondrugs registers. */
#define MT_NONDRUG_SOURCE_ID "materia-vocabulary"

/* The drug for an interactant. Falls back to its everyday name when
** mt_import_nondrugs has not run. MT_OK or MT_ENOTFOUND. */
int mt_nondrug_find(const mdl *m, mt_nondrug which, mdl_ref *out);

/* "alcohol", "grapefruit", ... (the part after "materia:"). */
const char *mt_nondrug_id(mt_nondrug which);

/* Whether it is a food or drink (grapefruit, alcohol, caffeinated drinks): the
** NCPDP DUR reason is then "DF" (drug-food) rather than "DD". */
int mt_nondrug_is_food(mt_nondrug which);

#endif /* MT_NONDRUGS_H */
