/*
** records.h — the personal medication records: what a record is, the limits
** on it, and the validation every front end shares (the HTTP API, `materia
** meds`, the FHIR import).
**
** A user owns profiles (self, a child, a parent); a profile holds
** medications, allergies, conditions and a dose log. Records are plain
** structs whose strings live in an arena the caller owns (the request arena
** in the server). Optional numbers are NAN when absent, optional strings NULL.
**
** Times are UTC throughout: instants are Unix seconds and are written as
** ISO 8601 with a "Z"; dates are "YYYY-MM-DD" (a calendar day in UTC); clock
** times of a schedule are "HH:MM" in UTC (docs/records.md says why).
**
** Validation never stops at the first problem: it collects every bad field
** into an mt_rec_errors list, which the API returns as the "errors" member
** of a 422 problem, each entry naming the field ("dose_amount",
** "schedule.times[1]").
*/
#ifndef MT_RECORDS_H
#define MT_RECORDS_H

#include <stddef.h>
#include <stdint.h>

#include "util/arena.h"

typedef long long mt_id;

/* Limits (each a 422 naming the field, or MT_ELIMIT from the store). */
#define MT_REC_USERNAME_MIN     3
#define MT_REC_USERNAME_MAX     64
#define MT_REC_PASSWORD_MIN     10
#define MT_REC_PASSWORD_MAX     1024
#define MT_REC_NAME_MAX         128      /* profile names, prescribers, substances, conditions */
#define MT_REC_DRUG_MAX         256      /* the drug as typed (the checker reads 256 bytes) */
#define MT_REC_SHORT_MAX        64       /* strength, form, unit, reaction severity */
#define MT_REC_NOTES_MAX        2000
#define MT_REC_MAX_TIMES        12       /* clock times in one schedule */
#define MT_REC_MAX_PER_DAY      24       /* times per day */
#define MT_REC_MAX_AMOUNT       1e6      /* dose amount, stock, thresholds */
#define MT_REC_MAX_PROFILES     50       /* per user */
#define MT_REC_MAX_MEDS         150      /* per profile, active or stopped (the checker takes 200) */
#define MT_REC_MAX_ITEMS        500      /* allergies or conditions per profile */
#define MT_REC_MAX_ERRORS       16

/* Schedule kinds. */
typedef enum mt_sched_kind {
    MT_SCHED_TIMES_PER_DAY = 1,   /* n times a day, at 08:00..20:00 spread evenly unless times given */
    MT_SCHED_CLOCK_TIMES   = 2,   /* at the listed clock times (UTC) */
    MT_SCHED_AS_NEEDED     = 3    /* no reminders; max_per_day counts in the daily total */
} mt_sched_kind;

typedef struct mt_rec_user {
    mt_id       id;
    const char *username;
    long long   created_at;
} mt_rec_user;

typedef struct mt_rec_profile {
    mt_id       id;
    mt_id       user_id;
    const char *name;
    const char *relation;     /* "self", "child", "parent", "partner", "other" */
    const char *birth_date;   /* YYYY-MM-DD or NULL */
    int         has_calendar; /* a calendar token has been issued */
    long long   created_at, updated_at;
} mt_rec_profile;

typedef struct mt_rec_med {
    mt_id       id;
    mt_id       profile_id;
    const char *drug_text;    /* as the person typed it */
    const char *drug_name;    /* the knowledge-base drug it resolved to (exact tier) */
    long long   rxcui;        /* that drug's RxCUI, 0 when it has none */
    const char *product;      /* the product name when the text named one, else NULL */
    const char *strength;     /* "50 mg", "325 mg / 5 mg" */
    const char *form;         /* "tablet" */
    double      dose_amount;  /* > 0, or NAN */
    const char *dose_unit;    /* canonical unit (mt_rec_unit_canon), or NULL */
    int         sched_kind;   /* mt_sched_kind */
    int         times_per_day;        /* TIMES_PER_DAY: 1..24; CLOCK_TIMES: the number of times */
    const char *clock_times;  /* "08:00,20:00" or NULL */
    double      max_per_day;  /* AS_NEEDED: the most doses a day, or NAN */
    const char *start_date, *stop_date;   /* YYYY-MM-DD or NULL */
    const char *prescriber, *notes;
    int         active;       /* 1 active, 0 stopped */
    double      stock;        /* units on hand, or NAN */
    double      refill_at;    /* warn when stock <= this, or NAN */
    long long   created_at, updated_at;
} mt_rec_med;

typedef struct mt_rec_allergy {
    mt_id       id;
    mt_id       profile_id;
    const char *substance;    /* as typed */
    const char *drug_name;    /* the KB drug it resolved to, or NULL (latex, a class...) */
    long long   rxcui;
    const char *reaction;     /* free text or NULL */
    const char *severity;     /* "mild", "moderate", "severe" or NULL */
    const char *notes;
    long long   created_at, updated_at;
} mt_rec_allergy;

typedef struct mt_rec_condition {
    mt_id       id;
    mt_id       profile_id;
    const char *name;
    const char *onset_date;   /* YYYY-MM-DD or NULL */
    int         active;       /* 1 active, 0 resolved */
    const char *notes;
    long long   created_at, updated_at;
} mt_rec_condition;

typedef struct mt_rec_dose {
    mt_id       id;
    mt_id       profile_id;
    mt_id       med_id;
    int         taken;        /* 1 taken, 0 skipped */
    long long   at;           /* when (Unix seconds, UTC) */
    const char *notes;
    long long   created_at;
} mt_rec_dose;

typedef struct mt_rec_audit {
    mt_id       id;
    long long   at;
    const char *entity;       /* "user", "session", "token", "profile", "medication", ... */
    mt_id       entity_id;
    const char *action;       /* "create", "update", "delete", "login", "logout", "import" */
    const char *detail;       /* what changed, never a secret */
} mt_rec_audit;

/* --- errors naming fields ----------------------------------------------------- */

typedef struct mt_rec_errors {
    unsigned n;
    unsigned dropped;         /* errors beyond MT_REC_MAX_ERRORS */
    struct { char field[128]; char message[224]; } e[MT_REC_MAX_ERRORS];
} mt_rec_errors;

void mt_rec_err(mt_rec_errors *e, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* --- validators: 1 when valid -------------------------------------------------- */

/* A calendar date YYYY-MM-DD between 1900-01-01 and 2200-12-31. */
int mt_rec_date_valid(const char *s);
/* Days since 1970-01-01 of a valid date. */
long long mt_rec_date_days(const char *s);
/* "HH:MM" (00:00..23:59): minutes after midnight, or -1. */
int mt_rec_clock_minutes(const char *s);
/* Parses an ISO 8601 instant ("2024-05-01T08:00:00Z", "...+02:00", seconds
** optional) into Unix seconds. 1 when valid. */
int mt_rec_instant_parse(const char *s, long long *out);
/* Writes t as "YYYY-MM-DDTHH:MM:SSZ" (21 bytes with the NUL). */
void mt_rec_instant_format(long long t, char out[21]);
/* Writes the UTC date of t as "YYYY-MM-DD" (11 bytes). */
void mt_rec_date_format(long long t, char out[11]);
/* Whether s is valid UTF-8 of at most max bytes with no control characters
** other than tab and newline (allow_newline). NULL is valid. */
int mt_rec_text_ok(const char *s, size_t max, int allow_newline);

/* The canonical spelling of a dose unit ("Tablets" -> "tablet", "µg" ->
** "mcg"), or NULL for a unit Materia does not know. Static strings. */
const char *mt_rec_unit_canon(const char *unit);
/* The unit's mass in milligrams (mg 1, g 1000, mcg 0.001), or 0 for a unit
** that is not a mass. */
double mt_rec_unit_mg(const char *canon);
/* "self" ... "other": 1 when relation is one of them. */
int mt_rec_relation_valid(const char *relation);
/* Normalises the clock-time list (sorted, unique, "HH:MM") into the arena;
** NULL on a bad entry (the index of which is left in *bad), and NULL with
** *bad = n when n is not 1..MT_REC_MAX_TIMES or the arena is out of memory. */
const char *mt_rec_clock_list(mt_arena *a, const char *const *times, unsigned n, unsigned *bad);

/* Cross-field checks of a complete record (after a create or a patch): stop
** date not before start date, schedule fields consistent, amounts in range.
** Adds to e; returns e->n == 0. */
int mt_rec_med_check(const mt_rec_med *m, mt_rec_errors *e);
int mt_rec_profile_check(const mt_rec_profile *p, mt_rec_errors *e);
int mt_rec_allergy_check(const mt_rec_allergy *al, mt_rec_errors *e);
int mt_rec_condition_check(const mt_rec_condition *c, mt_rec_errors *e);

/* Names for enumerations: "times_per_day", "clock_times", "as_needed"; NULL for others. */
const char *mt_rec_sched_name(int kind);
int mt_rec_sched_parse(const char *name);   /* 0 for an unknown name */

/* A medication with every optional field absent (NAN numbers, NULL strings). */
void mt_rec_med_init(mt_rec_med *m);
void mt_rec_allergy_init(mt_rec_allergy *al);
void mt_rec_condition_init(mt_rec_condition *c);

/* Now, in Unix seconds. Tests may pin it with mt_rec_clock_set (0 = real clock). */
long long mt_rec_now(void);
void mt_rec_clock_set(long long t);

#endif /* MT_RECORDS_H */
