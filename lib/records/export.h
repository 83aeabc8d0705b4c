/*
** export.h — a profile's records in the forms people take elsewhere:
** a FHIR R4 Bundle (type "collection": a Patient, one MedicationStatement per
** medication with its RxNorm coding, AllergyIntolerance, Condition, and one
** MedicationAdministration per dose of the dose log), CSV of the medications
** then of the dose log (RFC 4180), and a printable HTML list for a clinician.
** fhir_import.c reads the Bundle back; docs/reference/records.md maps every field.
**
** Output is deterministic for the same records and `now` (resource ids and
** fullUrls derive from the row ids).
*/
#ifndef MT_EXPORT_H
#define MT_EXPORT_H

#include <stddef.h>

#include "records/records.h"
#include "records/store.h"
#include "util/arena.h"
#include "util/buf.h"

#define MT_FHIR_RXNORM   "http://www.nlm.nih.gov/research/umls/rxnorm"
#define MT_FHIR_EXT      "https://materia.invalid/fhir/StructureDefinition/"
#define MT_FHIR_ALLERGY_CLINICAL   "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
#define MT_FHIR_CONDITION_CLINICAL "http://terminology.hl7.org/CodeSystem/condition-clinical"
#define MT_FHIR_NO_REACTION "unspecified reaction"   /* a manifestation is required when a severity is given */
#define MT_FHIR_EXPORT_TAGS "https://materia.invalid/fhir/CodeSystem/export"   /* Bundle.meta.tag */

/* Doses an export carries: the most recent ones, as many as one dose list
** call returns (older doses are said to be left out: doses_truncated). */
#define MT_EXPORT_MAX_DOSES MT_STORE_LIST_MAX

typedef struct mt_export_data {
    const mt_rec_profile   *profile;
    const mt_rec_med       *meds;       size_t nmeds;
    const mt_rec_allergy   *allergies;  size_t nallergies;
    const mt_rec_condition *conditions; size_t nconditions;
    const mt_rec_dose      *doses;      size_t ndoses;   /* oldest first */
    int                     doses_truncated;             /* the log holds older doses */
    long long               now;
} mt_export_data;

/* Fills d with what the exports show of profile p, which the caller has
** found for `user`: its medications (med_status as mt_store_med_list: 1
** active, 0 stopped, -1 all), allergies, conditions, the MT_EXPORT_MAX_DOSES
** most recent doses, and now. Every list is read scoped by user and profile
** (store.h), so nothing of another user or profile can enter an export.
** Strings in the arena. MT_OK or the store's error (d is then empty). */
int mt_export_load(mt_store *st, mt_id user, const mt_rec_profile *p, int med_status, mt_arena *a,
                   mt_export_data *d);

int mt_export_fhir(const mt_export_data *d, int pretty, mt_buf *out);
/* Two tables, each a header line and its rows: the medications (one line
** each), then, after an empty line, the dose log (one line per dose, oldest
** first). Cells that a spreadsheet would run as a formula (= + - @ at the
** start) are prefixed with '. */
int mt_export_csv(const mt_export_data *d, mt_buf *out);
/* A complete HTML document, every value escaped, no script and no inline style. */
int mt_export_html(const mt_export_data *d, mt_buf *out);

/* "1 tablet 2 times a day at 08:00, 20:00 UTC" (for the list, the CSV, FHIR
** dosage.text). */
int mt_export_dosage_text(const mt_rec_med *m, char *out, size_t outsz);

#endif /* MT_EXPORT_H */
