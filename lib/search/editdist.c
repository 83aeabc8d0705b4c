/*
** editdist.c — banded, early-exiting optimal-string-alignment distance
** (editdist.h).
**
** D[i][j] is the distance between a[0..i) and b[0..j). Only cells with
** |i - j| <= maxd can be <= maxd, so each row computes that band and leaves
** an "infinite" (maxd + 1) sentinel on each side of it for the next row to
** read. Columns past n + maxd cannot matter for either answer, so b is cut
** there. A row whose every cell is over maxd ends the computation: the next
** row cannot come back under it (a transposition from row i-1 costs at least
** as much as the substitution path through row i).
*/
#include "search/editdist.h"

ms_dist ms_distance(const char *a, size_t n, const char *b, size_t m, unsigned maxd)
{
    unsigned rows[3][MS_DIST_MAXLEN + 2];
    unsigned *pp = rows[0], *p = rows[1], *c = rows[2];
    unsigned inf;
    size_t i, j, mm;
    ms_dist r;

    if (maxd > MS_DIST_MAXD)
        maxd = MS_DIST_MAXD;
    inf = maxd + 1;
    if (n > MS_DIST_MAXLEN)
        n = MS_DIST_MAXLEN;
    if (m > MS_DIST_MAXLEN)
        m = MS_DIST_MAXLEN;
    r.full = r.prefix = inf;
    mm = m < n + maxd ? m : n + maxd;

    for (j = 0; j <= mm && j <= maxd; j++)
        p[j] = (unsigned)j;
    if (maxd + 1 <= mm)
        p[maxd + 1] = inf;

    for (i = 1; i <= n; i++) {
        size_t lo = i > maxd ? i - maxd : 1;
        size_t hi = i + maxd < mm ? i + maxd : mm;
        unsigned rowmin;
        unsigned *t;

        c[0] = i <= maxd ? (unsigned)i : inf;
        rowmin = c[0];
        if (lo > 1)
            c[lo - 1] = inf;
        for (j = lo; j <= hi; j++) {
            unsigned v = p[j - 1] + (a[i - 1] != b[j - 1]);
            if (p[j] + 1 < v)
                v = p[j] + 1;
            if (c[j - 1] + 1 < v)
                v = c[j - 1] + 1;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            if (v > inf)
                v = inf;
            c[j] = v;
            if (v < rowmin)
                rowmin = v;
        }
        if (hi + 1 <= mm)
            c[hi + 1] = inf;
        t = pp;
        pp = p;
        p = c;
        c = t;
        if (rowmin > maxd)
            return r;
    }

    /* p is row n. */
    if (mm == m && (m > n ? m - n : n - m) <= maxd)
        r.full = p[m];
    for (j = n > maxd ? n - maxd : 0; j <= mm; j++)
        if (p[j] < r.prefix)
            r.prefix = p[j];
    return r;
}
