/*
** sched.h — when doses are due: the next doses of a profile's medications,
** and the same schedules as an iCalendar (RFC 5545) feed.
**
** Everything is in UTC. A "clock_times" schedule lists UTC clock times; a
** "times_per_day" schedule of n doses without clock times is spread over the
** waking day: 1 -> 08:00; 2..4 -> from 08:00 to 20:00 evenly (2: 08:00,
** 20:00; 3: 08:00, 14:00, 20:00); 5 and more -> every 24/n hours from 08:00.
** "as_needed" medications have no reminders. A medication is due on the days
** from its start date (or the day it was recorded) to its stop date
** inclusive, and only while it is active. Clients convert to local time;
** docs/records.md says why the server does not guess a time zone.
*/
#ifndef MT_SCHED_H
#define MT_SCHED_H

#include <stddef.h>

#include "records/records.h"
#include "util/buf.h"

#define MT_SCHED_MAX_HOURS 24 * 31    /* the longest reminder window */

typedef struct mt_reminder {
    size_t    med;     /* index in the medication list */
    long long at;      /* Unix seconds, UTC */
} mt_reminder;

/* The dose times of m in minutes after midnight UTC, ascending; returns how
** many (0 for as-needed). mins holds MT_REC_MAX_PER_DAY entries. */
unsigned mt_sched_day_minutes(const mt_rec_med *m, int *mins);

/* Whether m is due on the UTC day `day` (days since 1970-01-01). */
int mt_sched_due_on(const mt_rec_med *m, long long day);

/* The doses due in [from, from + hours h), earliest first, at most max.
** Returns how many were written (the window is cut at max). */
size_t mt_sched_next(const mt_rec_med *meds, size_t n, long long from, unsigned hours,
                     mt_reminder *out, size_t max);

/* An iCalendar of the profile's schedules: one daily recurring VEVENT per
** medication and clock time, lines folded at 75 octets, CRLF endings. */
int mt_sched_ical(const mt_rec_profile *p, const mt_rec_med *meds, size_t n, long long now,
                  mt_buf *out);

#endif /* MT_SCHED_H */
