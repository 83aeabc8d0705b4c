/*
** sched.c — next doses and the iCalendar feed (sched.h).
*/
#include "records/sched.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "materia/status.h"

unsigned mt_sched_day_minutes(const mt_rec_med *m, int *mins)
{
    unsigned n = 0, i;
    if (m->sched_kind == MT_SCHED_CLOCK_TIMES) {
        const char *p = m->clock_times;
        while (p && *p && n < MT_REC_MAX_PER_DAY) {
            char t[6];
            int v;
            memcpy(t, p, 5);
            t[5] = '\0';
            if (strlen(p) < 5 || (v = mt_rec_clock_minutes(t)) < 0)
                break;
            mins[n++] = v;
            p += 5;
            if (*p != ',')
                break;
            p++;
        }
        return n;
    }
    if (m->sched_kind != MT_SCHED_TIMES_PER_DAY || m->times_per_day < 1)
        return 0;
    n = (unsigned)(m->times_per_day > MT_REC_MAX_PER_DAY ? MT_REC_MAX_PER_DAY : m->times_per_day);
    for (i = 0; i < n; i++) {
        if (n == 1)
            mins[i] = 8 * 60;
        else if (n <= 4)
            mins[i] = 8 * 60 + (int)(i * 12 * 60 / (n - 1));
        else
            mins[i] = (8 * 60 + (int)(i * 24 * 60 / n)) % (24 * 60);
    }
    /* keep them ascending (the wrap past midnight puts early ones last) */
    for (i = 1; i < n; i++) {
        int v = mins[i];
        unsigned k = i;
        while (k > 0 && mins[k - 1] > v) {
            mins[k] = mins[k - 1];
            k--;
        }
        mins[k] = v;
    }
    return n;
}

int mt_sched_due_on(const mt_rec_med *m, long long day)
{
    long long first = m->start_date ? mt_rec_date_days(m->start_date)
                                    : (m->created_at >= 0 ? m->created_at / 86400 : 0);
    if (!m->active)
        return 0;
    if (day < first)
        return 0;
    if (m->stop_date && day > mt_rec_date_days(m->stop_date))
        return 0;
    return 1;
}

static int cmp_rem(const void *a, const void *b)
{
    const mt_reminder *x = a, *y = b;
    if (x->at != y->at)
        return x->at < y->at ? -1 : 1;
    return (x->med > y->med) - (x->med < y->med);
}

size_t mt_sched_next(const mt_rec_med *meds, size_t n, long long from, unsigned hours,
                     mt_reminder *out, size_t max)
{
    long long end, day, last;
    size_t k = 0, i;
    int mins[MT_REC_MAX_PER_DAY];

    if (hours > MT_SCHED_MAX_HOURS)
        hours = MT_SCHED_MAX_HOURS;
    end = from + (long long)hours * 3600;
    day = from >= 0 ? from / 86400 : 0;
    last = end / 86400;
    for (; day <= last && k < max; day++) {
        size_t day_start = k;
        for (i = 0; i < n && k < max; i++) {
            unsigned c, t;
            if (!mt_sched_due_on(&meds[i], day))
                continue;
            c = mt_sched_day_minutes(&meds[i], mins);
            for (t = 0; t < c && k < max; t++) {
                long long at = day * 86400 + mins[t] * 60LL;
                if (at >= from && at < end) {
                    out[k].med = i;
                    out[k].at = at;
                    k++;
                }
            }
        }
        qsort(out + day_start, k - day_start, sizeof(*out), cmp_rem);
    }
    return k;
}

/* --- iCalendar --------------------------------------------------------------- */

/* Appends one content line, escaped as TEXT when `text` is set, folded at 75
** octets without splitting a UTF-8 sequence, ended with CRLF. */
static int ical_line(mt_buf *out, const char *name, const char *value, int text)
{
    char line[4096];
    size_t n = 0, start = 0, len;
    const char *p;
    int rc = MT_OK;

    n = (size_t)snprintf(line, sizeof(line), "%s:", name);
    for (p = value ? value : ""; *p && n + 3 < sizeof(line); p++) {
        char c = *p;
        if (text && (c == '\\' || c == ';' || c == ',')) {
            line[n++] = '\\';
            line[n++] = c;
        } else if (text && c == '\n') {
            line[n++] = '\\';
            line[n++] = 'n';
        } else if (c == '\r' || ((unsigned char)c < 0x20 && c != '\t')) {
            continue;
        } else {
            line[n++] = c;
        }
    }
    line[n] = '\0';
    len = n;
    while (rc == MT_OK && start < len) {
        size_t room = start == 0 ? 75 : 74, take = len - start;
        if (take > room) {
            take = room;
            while (take > 0 && ((unsigned char)line[start + take] & 0xC0) == 0x80)
                take--;      /* do not cut inside a character */
        }
        if (start > 0)
            rc = mt_buf_putc(out, ' ');
        if (rc == MT_OK)
            rc = mt_buf_append(out, line + start, take);
        if (rc == MT_OK)
            rc = mt_buf_puts(out, "\r\n");
        start += take;
    }
    if (rc == MT_OK && len == 0)
        rc = mt_buf_puts(out, "\r\n");
    return rc;
}

static void ical_stamp(long long t, char out[17])
{
    char iso[21];
    mt_rec_instant_format(t, iso);
    /* 2024-05-01T08:00:00Z -> 20240501T080000Z */
    snprintf(out, 17, "%.4s%.2s%.2sT%.2s%.2s%.2sZ", iso, iso + 5, iso + 8, iso + 11, iso + 14, iso + 17);
}

int mt_sched_ical(const mt_rec_profile *p, const mt_rec_med *meds, size_t n, long long now, mt_buf *out)
{
    char stamp[17], buf[512], name[160];
    int mins[MT_REC_MAX_PER_DAY];
    size_t i;
    int rc;

    ical_stamp(now, stamp);
    rc = mt_buf_puts(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Materia//Medication reminders//EN\r\n"
                          "CALSCALE:GREGORIAN\r\nMETHOD:PUBLISH\r\n");
    snprintf(name, sizeof(name), "Materia: %s", p->name ? p->name : "medications");
    if (rc == MT_OK)
        rc = ical_line(out, "X-WR-CALNAME", name, 1);
    for (i = 0; i < n && rc == MT_OK; i++) {
        const mt_rec_med *m = &meds[i];
        unsigned c = mt_sched_day_minutes(m, mins), t;
        char first[11];
        if (!m->active || c == 0)
            continue;
        if (m->start_date)
            snprintf(first, sizeof(first), "%s", m->start_date);
        else
            mt_rec_date_format(m->created_at, first);
        for (t = 0; t < c && rc == MT_OK; t++) {
            char summary[400];
            snprintf(buf, sizeof(buf), "materia-med-%lld-%02d%02d@materia", m->id, mins[t] / 60, mins[t] % 60);
            rc = mt_buf_puts(out, "BEGIN:VEVENT\r\n");
            if (rc == MT_OK)
                rc = ical_line(out, "UID", buf, 0);
            if (rc == MT_OK)
                rc = ical_line(out, "DTSTAMP", stamp, 0);
            snprintf(buf, sizeof(buf), "%.4s%.2s%.2sT%02d%02d00Z", first, first + 5, first + 8,
                     mins[t] / 60, mins[t] % 60);
            if (rc == MT_OK)
                rc = ical_line(out, "DTSTART", buf, 0);
            if (rc == MT_OK)
                rc = ical_line(out, "DURATION", "PT10M", 0);
            if (m->stop_date)
                snprintf(buf, sizeof(buf), "FREQ=DAILY;UNTIL=%.4s%.2s%.2sT235959Z", m->stop_date,
                         m->stop_date + 5, m->stop_date + 8);
            else
                snprintf(buf, sizeof(buf), "FREQ=DAILY");
            if (rc == MT_OK)
                rc = ical_line(out, "RRULE", buf, 0);
            if (!isnan(m->dose_amount) && m->dose_unit)
                snprintf(summary, sizeof(summary), "Take %s: %g %s", m->drug_name ? m->drug_name : m->drug_text,
                         m->dose_amount, m->dose_unit);
            else
                snprintf(summary, sizeof(summary), "Take %s", m->drug_name ? m->drug_name : m->drug_text);
            if (rc == MT_OK)
                rc = ical_line(out, "SUMMARY", summary, 1);
            snprintf(summary, sizeof(summary), "%s%s%s%s%s", m->drug_text ? m->drug_text : "",
                     m->strength ? " " : "", m->strength ? m->strength : "",
                     m->notes ? "\n" : "", m->notes ? m->notes : "");
            if (rc == MT_OK)
                rc = ical_line(out, "DESCRIPTION", summary, 1);
            if (rc == MT_OK)
                rc = mt_buf_puts(out, "END:VEVENT\r\n");
        }
    }
    if (rc == MT_OK)
        rc = mt_buf_puts(out, "END:VCALENDAR\r\n");
    return rc;
}
