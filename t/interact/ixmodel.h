/*
** ixmodel.h — a small hand-built model for the interaction checker's logic
** tests: a dozen drugs, sources of every interaction kind (clinical, pair
** only, alert policy, harm reduction), classes (EPC, ANSM, TripSit), ACB
** scores, products with NDCs and a combination product. The rules mirror
** real ones (their levels are verbatim from the sources) so that the tests
** read like the real cases; the real knowledge base is tested separately.
*/
#ifndef MT_T_IXMODEL_H
#define MT_T_IXMODEL_H

#include "kbwrite/kbwrite.h"
#include "materia/kb.h"
#include "model/model.h"

typedef struct ixm {
    mdl_ref sertraline, sertraline_hcl, methylene_blue, simvastatin, clarithromycin,
            warfarin, ibuprofen, naproxen, tramadol, ketamine, alprazolam, alcohol,
            acetaminophen, hydrocodone, amitriptyline, ranitidine, lactulose,
            apap_hydrocodone_min;     /* a multiple-ingredient concept (RxNorm MIN) */
    mdl_ref p_apap500, p_apap_hydrocodone;     /* products */
    mdl_src rxnorm, ansm, ndfrt, va56, onc_high, onc_nonint, tripsit, drugcentral, acb, vocab;
} ixm;

/* Fills m (mdl_init'ed here) and *x. MT_OK or the first model error. */
int ixm_fill(mdl *m, ixm *x);

/* Writes the model to a temporary file with hooks (NULL: search and
** interaction sections) and opens it. NULL on failure (the test fails). */
mt_kb *ixm_open(const mt_kb_section_hook *hooks, char path[256], ixm *x);
void   ixm_close(mt_kb *kb, const char *path);

#endif /* MT_T_IXMODEL_H */
