/*
** records.c — validation shared by every way a medication record comes in:
** dates, clock times, instants, units, text limits, and the cross-field
** checks of whole records. The rules are strict because the records feed
** reminders and daily totals: a date that does not exist or a negative dose
** is refused, naming the field, before anything is stored.
*/
#include "records/records.h"

#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "util/text.h"

static _Atomic long long pinned_now;

long long mt_rec_now(void)
{
    long long t = atomic_load(&pinned_now);
    return t ? t : (long long)time(NULL);
}

void mt_rec_clock_set(long long t) { atomic_store(&pinned_now, t); }

void mt_rec_err(mt_rec_errors *e, const char *field, const char *fmt, ...)
{
    va_list ap;
    unsigned i;
    for (i = 0; i < e->n; i++)        /* one error per field: the first says it */
        if (strncmp(e->e[i].field, field, sizeof(e->e[i].field) - 1) == 0)
            return;
    if (e->n >= MT_REC_MAX_ERRORS) {
        e->dropped++;
        return;
    }
    snprintf(e->e[e->n].field, sizeof(e->e[e->n].field), "%s", field);
    va_start(ap, fmt);
    vsnprintf(e->e[e->n].message, sizeof(e->e[e->n].message), fmt, ap);
    va_end(ap);
    e->n++;
}

/* --- dates and times -------------------------------------------------------- */

/* Reads exactly n digits at s; -1 if any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0, i;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

static int is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int month_days(int y, int m)
{
    static const int d[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return m == 2 && is_leap(y) ? 29 : d[m - 1];
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d)
{
    long long yy = y - (m <= 2);
    long long era = (yy >= 0 ? yy : yy - 399) / 400;
    long long yoe = yy - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static void civil_from_days(long long z, int *y, int *m, int *d)
{
    long long era, doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

/* Parses YYYY-MM-DD at s (exactly 10 characters used); 1 when a real date. */
static int parse_ymd(const char *s, int *y, int *m, int *d)
{
    if (!s || s[4] != '-' || s[7] != '-')
        return 0;
    *y = digits(s, 4);
    *m = digits(s + 5, 2);
    *d = digits(s + 8, 2);
    return *y >= 1900 && *y <= 2200 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= month_days(*y, *m);
}

int mt_rec_date_valid(const char *s)
{
    int y, m, d;
    return s && strlen(s) == 10 && parse_ymd(s, &y, &m, &d);
}

long long mt_rec_date_days(const char *s)
{
    int y, m, d;
    if (!mt_rec_date_valid(s) || !parse_ymd(s, &y, &m, &d))
        return 0;
    return days_from_civil(y, m, d);
}

int mt_rec_clock_minutes(const char *s)
{
    int h, mi;
    if (!s || strlen(s) != 5 || s[2] != ':')
        return -1;
    h = digits(s, 2);
    mi = digits(s + 3, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59)
        return -1;
    return h * 60 + mi;
}

int mt_rec_instant_parse(const char *s, long long *out)
{
    int y, mo, d, h, mi, sec = 0, off = 0;
    const char *p;
    if (!s || strlen(s) < 17 || strlen(s) > 40 || !parse_ymd(s, &y, &mo, &d) || (s[10] != 'T' && s[10] != ' '))
        return 0;
    h = digits(s + 11, 2);
    mi = s[13] == ':' ? digits(s + 14, 2) : -1;
    if (h < 0 || h > 23 || mi < 0 || mi > 59)
        return 0;
    p = s + 16;
    if (*p == ':') {
        sec = digits(p + 1, 2);
        if (sec < 0 || sec > 59)
            return 0;
        p += 3;
        if (*p == '.') {           /* fractions of a second are dropped */
            p++;
            if (*p < '0' || *p > '9')
                return 0;
            while (*p >= '0' && *p <= '9')
                p++;
        }
    }
    if (*p == 'Z' && p[1] == '\0') {
        off = 0;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh = digits(p + 1, 2), om = digits(p + 4, 2);
        if (oh < 0 || oh > 14 || om < 0 || om > 59)
            return 0;
        off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
    } else {
        return 0;                  /* a time without a zone is ambiguous: refused */
    }
    *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
    return 1;
}

void mt_rec_instant_format(long long t, char out[21])
{
    int y, m, d;
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    long long rem = t - days * 86400;
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 21, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u, (unsigned)m % 100u,
             (unsigned)d % 100u, (unsigned)(rem / 3600) % 24u, (unsigned)(rem / 60 % 60) % 60u,
             (unsigned)(rem % 60) % 60u);
}

void mt_rec_date_format(long long t, char out[11])
{
    int y, m, d;
    long long days = t >= 0 ? t / 86400 : -((-t + 86399) / 86400);
    civil_from_days(days, &y, &m, &d);
    snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

int mt_rec_text_ok(const char *s, size_t max, int allow_newline)
{
    size_t n, i;
    if (!s)
        return 1;
    n = strlen(s);
    if (n > max || !mt_utf8_valid(s, n))
        return 0;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && !(allow_newline && (c == '\n' || c == '\r')))
            return 0;
        if (c == 0x7f)
            return 0;
    }
    return 1;
}

/* --- units ------------------------------------------------------------------- */

static const struct { const char *spelling, *canon; double mg; } units[] = {
    { "mg", "mg", 1 }, { "milligram", "mg", 1 }, { "milligrams", "mg", 1 },
    { "g", "g", 1000 }, { "gram", "g", 1000 }, { "grams", "g", 1000 },
    { "mcg", "mcg", 0.001 }, { "ug", "mcg", 0.001 }, { "\xc2\xb5g", "mcg", 0.001 },
    { "microgram", "mcg", 0.001 }, { "micrograms", "mcg", 0.001 },
    { "ml", "ml", 0 }, { "mL", "ml", 0 },
    { "tablet", "tablet", 0 }, { "tablets", "tablet", 0 }, { "tab", "tablet", 0 },
    { "capsule", "capsule", 0 }, { "capsules", "capsule", 0 }, { "cap", "capsule", 0 },
    { "drop", "drop", 0 }, { "drops", "drop", 0 },
    { "puff", "puff", 0 }, { "puffs", "puff", 0 },
    { "spray", "spray", 0 }, { "sprays", "spray", 0 },
    { "patch", "patch", 0 }, { "patches", "patch", 0 },
    { "unit", "unit", 0 }, { "units", "unit", 0 }, { "iu", "unit", 0 },
    { "sachet", "sachet", 0 }, { "sachets", "sachet", 0 },
    { "suppository", "suppository", 0 }, { "suppositories", "suppository", 0 },
    { "application", "application", 0 }, { "applications", "application", 0 },
    { "injection", "injection", 0 }, { "injections", "injection", 0 },
    { "dose", "dose", 0 }, { "doses", "dose", 0 },
};

const char *mt_rec_unit_canon(const char *unit)
{
    size_t i;
    if (!unit)
        return NULL;
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcasecmp(unit, units[i].spelling) == 0)
            return units[i].canon;
    return NULL;
}

double mt_rec_unit_mg(const char *canon)
{
    size_t i;
    if (!canon)
        return 0;
    for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
        if (strcmp(canon, units[i].canon) == 0)
            return units[i].mg;
    return 0;
}

int mt_rec_relation_valid(const char *r)
{
    static const char *const ok[] = { "self", "child", "parent", "partner", "other" };
    size_t i;
    for (i = 0; r && i < sizeof(ok) / sizeof(ok[0]); i++)
        if (strcmp(r, ok[i]) == 0)
            return 1;
    return 0;
}

const char *mt_rec_sched_name(int kind)
{
    switch (kind) {
    case MT_SCHED_TIMES_PER_DAY: return "times_per_day";
    case MT_SCHED_CLOCK_TIMES:   return "clock_times";
    case MT_SCHED_AS_NEEDED:     return "as_needed";
    default:                     return NULL;
    }
}

int mt_rec_sched_parse(const char *name)
{
    int k;
    for (k = MT_SCHED_TIMES_PER_DAY; name && k <= MT_SCHED_AS_NEEDED; k++)
        if (strcmp(name, mt_rec_sched_name(k)) == 0)
            return k;
    return 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

const char *mt_rec_clock_list(mt_arena *a, const char *const *times, unsigned n, unsigned *bad)
{
    int mins[MT_REC_MAX_TIMES];
    char *out;
    unsigned i, k = 0;
    size_t pos = 0;

    if (n == 0 || n > MT_REC_MAX_TIMES) {
        *bad = n;
        return NULL;
    }
    for (i = 0; i < n; i++) {
        int m = mt_rec_clock_minutes(times[i]);
        if (m < 0) {
            *bad = i;
            return NULL;
        }
        mins[i] = m;
    }
    qsort(mins, n, sizeof(mins[0]), cmp_int);
    out = mt_arena_alloc(a, (size_t)n * 6 + 1);
    if (!out) {
        *bad = n;
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (i > 0 && mins[i] == mins[i - 1])
            continue;
        snprintf(out + pos, 7, "%s%02u:%02u", k ? "," : "", (unsigned)mins[i] / 60u % 24u,
                 (unsigned)mins[i] % 60u);
        pos += k ? 6 : 5;
        k++;
    }
    out[pos] = '\0';
    return out;
}

/* --- whole records ----------------------------------------------------------- */

void mt_rec_med_init(mt_rec_med *m)
{
    memset(m, 0, sizeof(*m));
    m->dose_amount = NAN;
    m->max_per_day = NAN;
    m->stock = NAN;
    m->refill_at = NAN;
    m->active = 1;
}

void mt_rec_allergy_init(mt_rec_allergy *al) { memset(al, 0, sizeof(*al)); }

void mt_rec_condition_init(mt_rec_condition *c)
{
    memset(c, 0, sizeof(*c));
    c->active = 1;
}

static void check_text(mt_rec_errors *e, const char *field, const char *s, size_t max, int nl)
{
    if (!mt_rec_text_ok(s, max, nl))
        mt_rec_err(e, field, "must be text of at most %zu bytes without control characters", max);
}

static void check_amount(mt_rec_errors *e, const char *field, double v, int zero_ok)
{
    if (isnan(v))
        return;
    if (!isfinite(v) || v < 0 || (!zero_ok && v == 0) || v > MT_REC_MAX_AMOUNT)
        mt_rec_err(e, field, "must be a number %s 0 and at most %g", zero_ok ? "of at least" : "greater than",
                   MT_REC_MAX_AMOUNT);
}

static void check_date(mt_rec_errors *e, const char *field, const char *s)
{
    if (s && !mt_rec_date_valid(s))
        mt_rec_err(e, field, "must be a calendar date YYYY-MM-DD");
}

int mt_rec_med_check(const mt_rec_med *m, mt_rec_errors *e)
{
    if (!m->drug_text || !*m->drug_text)
        mt_rec_err(e, "drug", "is required: a drug or product name, brand, RxCUI or NDC");
    check_text(e, "drug", m->drug_text, MT_REC_DRUG_MAX, 0);
    check_text(e, "strength", m->strength, MT_REC_SHORT_MAX, 0);
    check_text(e, "form", m->form, MT_REC_SHORT_MAX, 0);
    check_text(e, "prescriber", m->prescriber, MT_REC_NAME_MAX, 0);
    check_text(e, "notes", m->notes, MT_REC_NOTES_MAX, 1);
    check_amount(e, "dose_amount", m->dose_amount, 0);
    check_amount(e, "stock", m->stock, 1);
    check_amount(e, "refill_threshold", m->refill_at, 1);
    check_amount(e, "schedule.max_per_day", m->max_per_day, 0);
    if (!isnan(m->dose_amount) && !m->dose_unit)
        mt_rec_err(e, "dose_unit", "is required with dose_amount");
    check_date(e, "start_date", m->start_date);
    check_date(e, "stop_date", m->stop_date);
    if (mt_rec_date_valid(m->start_date) && mt_rec_date_valid(m->stop_date) &&
        strcmp(m->stop_date, m->start_date) < 0)
        mt_rec_err(e, "stop_date", "is before start_date");
    switch (m->sched_kind) {
    case MT_SCHED_TIMES_PER_DAY:
        if (m->times_per_day < 1 || m->times_per_day > MT_REC_MAX_PER_DAY)
            mt_rec_err(e, "schedule.times_per_day", "must be a whole number from 1 to %d", MT_REC_MAX_PER_DAY);
        break;
    case MT_SCHED_CLOCK_TIMES:
        if (!m->clock_times || !*m->clock_times)
            mt_rec_err(e, "schedule.times", "must list one to %d clock times HH:MM (UTC)", MT_REC_MAX_TIMES);
        break;
    case MT_SCHED_AS_NEEDED:
        break;
    default:
        mt_rec_err(e, "schedule.type", "must be \"times_per_day\", \"clock_times\" or \"as_needed\"");
    }
    return e->n == 0;
}

int mt_rec_profile_check(const mt_rec_profile *p, mt_rec_errors *e)
{
    if (!p->name || !*p->name)
        mt_rec_err(e, "name", "is required");
    check_text(e, "name", p->name, MT_REC_NAME_MAX, 0);
    if (!mt_rec_relation_valid(p->relation))
        mt_rec_err(e, "relation", "must be \"self\", \"child\", \"parent\", \"partner\" or \"other\"");
    check_date(e, "birth_date", p->birth_date);
    return e->n == 0;
}

int mt_rec_allergy_check(const mt_rec_allergy *al, mt_rec_errors *e)
{
    static const char *const sev[] = { "mild", "moderate", "severe" };
    size_t i;
    int ok = 0;
    if (!al->substance || !*al->substance)
        mt_rec_err(e, "substance", "is required");
    check_text(e, "substance", al->substance, MT_REC_NAME_MAX, 0);
    check_text(e, "reaction", al->reaction, MT_REC_NAME_MAX, 0);
    check_text(e, "notes", al->notes, MT_REC_NOTES_MAX, 1);
    for (i = 0; al->severity && i < 3; i++)
        ok |= strcmp(al->severity, sev[i]) == 0;
    if (al->severity && !ok)
        mt_rec_err(e, "severity", "must be \"mild\", \"moderate\" or \"severe\"");
    return e->n == 0;
}

int mt_rec_condition_check(const mt_rec_condition *c, mt_rec_errors *e)
{
    if (!c->name || !*c->name)
        mt_rec_err(e, "name", "is required");
    check_text(e, "name", c->name, MT_REC_NAME_MAX, 0);
    check_text(e, "notes", c->notes, MT_REC_NOTES_MAX, 1);
    check_date(e, "onset_date", c->onset_date);
    return e->n == 0;
}
