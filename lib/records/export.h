/*
** export.h — a profile's records in the forms people take elsewhere:
** a FHIR R4 Bundle (type "collection": a Patient, one MedicationStatement per
** medication with its RxNorm coding, AllergyIntolerance, Condition), CSV of
** the medications (RFC 4180), and a printable HTML list for a clinician.
** fhir_import.c reads the Bundle back; docs/records.md maps every field.
**
** Output is deterministic for the same records and `now` (resource ids and
** fullUrls derive from the row ids).
*/
#ifndef MT_EXPORT_H
#define MT_EXPORT_H

#include <stddef.h>

#include "records/records.h"
#include "util/buf.h"

#define MT_FHIR_RXNORM   "http://www.nlm.nih.gov/research/umls/rxnorm"
#define MT_FHIR_EXT      "https://materia.invalid/fhir/StructureDefinition/"
#define MT_FHIR_ALLERGY_CLINICAL   "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
#define MT_FHIR_CONDITION_CLINICAL "http://terminology.hl7.org/CodeSystem/condition-clinical"
#define MT_FHIR_NO_REACTION "unspecified reaction"   /* a manifestation is required when a severity is given */

typedef struct mt_export_data {
    const mt_rec_profile   *profile;
    const mt_rec_med       *meds;       size_t nmeds;
    const mt_rec_allergy   *allergies;  size_t nallergies;
    const mt_rec_condition *conditions; size_t nconditions;
    long long               now;
} mt_export_data;

int mt_export_fhir(const mt_export_data *d, int pretty, mt_buf *out);
/* One header line, then one line per medication. Cells that a spreadsheet
** would run as a formula (= + - @ at the start) are prefixed with '. */
int mt_export_csv(const mt_export_data *d, mt_buf *out);
/* A complete HTML document, every value escaped, no script and no inline style. */
int mt_export_html(const mt_export_data *d, mt_buf *out);

/* "1 tablet 2 times a day at 08:00, 20:00 UTC" (for the list, the CSV, FHIR
** dosage.text). */
int mt_export_dosage_text(const mt_rec_med *m, char *out, size_t outsz);

#endif /* MT_EXPORT_H */
