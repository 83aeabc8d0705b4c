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

#include <string.h>

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

/* The class of each byte: a-z 1..26, 0-9 27..36, space 37, others 0
** (whose mask stays empty, so they match nothing). */
static const unsigned char byte_class[256] = {
    [' '] = 37,
    ['0'] = 27, ['1'] = 28, ['2'] = 29, ['3'] = 30, ['4'] = 31,
    ['5'] = 32, ['6'] = 33, ['7'] = 34, ['8'] = 35, ['9'] = 36,
    ['a'] = 1, ['b'] = 2, ['c'] = 3, ['d'] = 4, ['e'] = 5, ['f'] = 6, ['g'] = 7,
    ['h'] = 8, ['i'] = 9, ['j'] = 10, ['k'] = 11, ['l'] = 12, ['m'] = 13, ['n'] = 14,
    ['o'] = 15, ['p'] = 16, ['q'] = 17, ['r'] = 18, ['s'] = 19, ['t'] = 20, ['u'] = 21,
    ['v'] = 22, ['w'] = 23, ['x'] = 24, ['y'] = 25, ['z'] = 26
};

int ms_pattern_init(ms_pattern *p, const char *a, size_t n)
{
    size_t i;
    if (n > 64)
        return 0;
    memset(p->peq, 0, sizeof(p->peq));
    memcpy(p->text, a, n);
    for (i = 0; i < n; i++) {
        unsigned c = byte_class[(unsigned char)a[i]];
        if (c)
            p->peq[c] |= UINT64_C(1) << i;
    }
    p->len = (unsigned)n;
    return 1;
}

/* Columns of the DP matrix as bit vectors: bit i of VP/VN says that
** D[i+1][j] - D[i][j] is +1/-1 (rows = pattern, columns = b). score follows
** D[len][j], the pattern against b's prefix of length j, so the least score
** seen is the prefix distance and the last one the full distance. The
** transposition term TR marks cells reachable by swapping b[j-2], b[j-1]. */
ms_dist ms_pattern_distance(const ms_pattern *p, const char *b, size_t m, unsigned maxd)
{
    uint64_t vp, vn = 0, d0 = 0, pm_prev = 0, top;
    unsigned score, best, inf, len, skip = 0;
    size_t j, lim;
    int whole = 1;
    ms_dist r;

    if (maxd > MS_DIST_MAXD)
        maxd = MS_DIST_MAXD;
    inf = maxd + 1;
    /* A common beginning costs nothing and changes neither distance (no
    ** edit of an optimal alignment needs to touch it), so it is skipped:
    ** the pattern's masks shift by as much. */
    while (skip < p->len && skip < m && p->text[skip] == b[skip])
        skip++;
    len = p->len - skip;
    b += skip;
    m -= skip;
    if (len == 0) {
        r.full = m <= maxd ? (unsigned)m : inf;
        r.prefix = 0;
        return r;
    }
    /* Past len + maxd characters of b the score only grows: the prefix
    ** distance is settled, and the full one is over maxd anyway. */
    if (m > (size_t)len + maxd) {
        m = (size_t)len + maxd;
        whole = 0;
    }
    score = best = len;
    lim = maxd + m - 1;
    vp = len == 64 ? ~UINT64_C(0) : (UINT64_C(1) << len) - 1;
    top = UINT64_C(1) << (len - 1);
    for (j = 0; j < m; j++) {
        uint64_t pm = p->peq[byte_class[(unsigned char)b[j]]] >> skip;
        uint64_t tr = (((~d0) & pm) << 1) & pm_prev;
        uint64_t hp, hn;
        d0 = (((pm & vp) + vp) ^ vp) | pm | vn | tr;
        hp = vn | ~(d0 | vp);
        hn = d0 & vp;
        score += (unsigned)((hp & top) != 0) - (unsigned)((hn & top) != 0);
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = d0 & hp;
        pm_prev = pm;
        best = score < best ? score : best;
        /* Each further character lowers the score by one at most. */
        if (score + j > lim && best > maxd)
            break;
    }
    r.full = whole && j == m && score <= maxd ? score : inf;
    r.prefix = best <= maxd ? best : inf;
    return r;
}
