/*
** meds.h — what the knowledge base says about a profile's medications:
** resolving what a person typed to one drug (strictly: the search module's
** code, exact and normalized tiers — never a guess), the interaction alerts
** a new medication raises against the others, allergies it matches, and the
** total daily amount of each ingredient across the profile's products.
**
** Alerts come from mt_check (lib/interact) on the profile's active
** medications plus the new one: every finding, duplication, class effect and
** anticholinergic-burden alert that involves the new medication, each with
** the sources it rests on. Daily totals multiply the dose by the doses per
** day (times per day, the number of clock times, or an as-needed maximum)
** and by the strength of each ingredient (from the product name the drug
** resolved to, the strength field or the text typed: "325 MG / 5 MG" is
** split by ingredient name); an amount that cannot be computed is null, never
** guessed. Two products sharing an ingredient are flagged.
*/
#ifndef MT_MEDS_H
#define MT_MEDS_H

#include <stddef.h>

#include "materia/interact.h"
#include "materia/kb.h"
#include "records/records.h"
#include "util/buf.h"
#include "util/jsonw.h"

/* Resolves text through the exact tiers. MT_OK and *name (the KB drug's
** display name), *rxcui (0 if none), *product (the product name when text
** named one, else NULL), all in the arena. MT_ENOTFOUND adds an error on
** `field` to e with the "did you mean" names. Any other status adds nothing
** to e and means the lookup itself failed: MT_ENOMEM, or MT_ECORRUPT when the
** knowledge base has no search index (a partial or foreign file). Callers
** must then fail and save nothing: a medication is never stored unresolved. */
int mt_meds_resolve(const mt_kb *kb, const char *text, const char *field, mt_arena *a,
                    mt_rec_errors *e, const char **name, long long *rxcui, const char **product);

typedef struct mt_meds_total_item {
    size_t      med;          /* index in the medication list */
    double      mg_per_day;   /* NAN when it cannot be computed */
} mt_meds_total_item;

typedef struct mt_meds_total {
    uint32_t    drug;         /* KB ingredient */
    const char *name;
    mt_meds_total_item *items; size_t nitems;
    double      mg_per_day;   /* sum of the known amounts; NAN when none is known */
    int         complete;     /* every item's amount is known */
} mt_meds_total;

typedef struct mt_meds_check {
    mt_check_result     res;       /* inputs are meds[0..n-1] in order */
    const mt_kb        *kb;
    const mt_rec_med   *meds;  size_t n;
    size_t              focus;     /* the new medication, or (size_t)-1 for all */
    const mt_rec_allergy *allergies; size_t nallergies;
    uint32_t           *allergy_drug;   /* per allergy: the KB drug, or MT_CHECK_NONE */
    mt_meds_total      *totals;    size_t ntotals;
    mt_arena            arena;
} mt_meds_check;

/* Runs the check on meds[0..n-1] (n <= MT_CHECK_MAX_INPUTS) and computes the
** totals. focus: the index of the new medication (alerts involving it), or
** (size_t)-1 for every alert. Free with mt_meds_check_free (also on failure). */
int  mt_meds_check_run(const mt_kb *kb, const mt_rec_med *meds, size_t n, size_t focus,
                       const mt_rec_allergy *allergies, size_t nallergies, mt_meds_check *c);
void mt_meds_check_free(mt_meds_check *c);

/* The "alerts" and "daily_totals" arrays (docs/reference/records.md, "Adding a medication"). */
int  mt_meds_alerts_json(const mt_meds_check *c, mt_jsonw *w);
int  mt_meds_totals_json(const mt_meds_check *c, mt_jsonw *w);
/* The same for a person: one line per alert, then the shared ingredients. */
int  mt_meds_text(const mt_meds_check *c, mt_buf *out);
/* How many alerts there are. */
size_t mt_meds_alert_count(const mt_meds_check *c);

/* Milligrams of each ingredient in one dose unit, parsed from a strength or
** product name ("acetaminophen 325 MG / oxycodone hydrochloride 5 MG Oral
** Tablet", "50 mg", "250 mg/5 ml"). Exposed for tests: fills mg[i] for the
** ingredient names[i] it can attribute (NAN otherwise) and per_ml[i] (the
** volume the amount is in, 0 when not a concentration). Returns how many
** were attributed. */
size_t mt_meds_strengths(const char *text, const char *const *names, size_t n,
                         double *mg, double *per_ml);

#endif /* MT_MEDS_H */
