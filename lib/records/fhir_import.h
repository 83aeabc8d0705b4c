/*
** fhir_import.h — reading a FHIR R4 Bundle (the one mt_export_fhir writes,
** or another system's) back into records, validating everything before
** anything is stored.
**
** Accepted: a Bundle of type "collection" whose entries are Patient
** (ignored: the records go into the profile the caller names),
** MedicationStatement (medicationCodeableConcept: the text, else the RxNorm
** code, must resolve to a knowledge-base drug), AllergyIntolerance,
** Condition, and MedicationAdministration (the dose log of an export:
** skipped, not imported, counted in `skipped`). Any other resource type, a missing required element, a value of
** the wrong type, a date that does not exist, a negative dose, an unknown
** unit is an error naming the element ("entry[3].resource.dosage[0].
** doseAndRate[0].doseQuantity.value"). The caller stores the result with
** mt_store_import, in one transaction, only when there is no error.
*/
#ifndef MT_FHIR_IMPORT_H
#define MT_FHIR_IMPORT_H

#include <stddef.h>

#include "materia/kb.h"
#include "records/records.h"

#define MT_FHIR_MAX_ENTRIES 1000

typedef struct mt_fhir_import {
    mt_rec_med       *meds;       size_t nmeds;
    mt_rec_allergy   *allergies;  size_t nallergies;
    mt_rec_condition *conditions; size_t nconditions;
    size_t            skipped;    /* Patient, MedicationAdministration, entered-in-error statements */
} mt_fhir_import;

/* Parses and validates body. MT_OK and *out (strings in the arena); MT_EINVAL
** with every problem found in e (nothing in *out is to be stored);
** MT_ENOMEM; MT_ECORRUPT (the knowledge base has no search index, so no drug
** can be looked up). */
int mt_fhir_import_parse(const mt_kb *kb, const char *body, size_t len, mt_arena *a,
                         mt_rec_errors *e, mt_fhir_import *out);

#endif /* MT_FHIR_IMPORT_H */
