/*
** pindex.c — the pill index view (pindex.h): finding the sections, the one
** validation pass run when a knowledge base is opened, key lookup, and the
** imprint normalization shared by the build and the query side.
*/
#include "pill/pindex.h"

#include <string.h>
#include <xxhash.h>

#include "materia/status.h"

int pi_index_open(pi_index *ix, const mt_kb *kb)
{
    const void *p;
    uint32_t n;
    int rc;

    memset(ix, 0, sizeof(*ix));
    ix->kb = kb;
    rc = mt_kb_section(kb, PI_SEC_META, 0, &p, &n);
    if (rc != MT_OK)
        goto done;
    if (n != sizeof(pi_meta)) {
        rc = MT_ECORRUPT;
        goto done;
    }
    ix->meta = p;
    if (ix->meta->version != PI_FORMAT_VERSION) {
        rc = MT_EVERSION;
        goto done;
    }
    rc = mt_kb_section(kb, PI_SEC_PILLS, sizeof(pi_pill), &p, &ix->npills);
    if (rc != MT_OK) {
        rc = MT_ECORRUPT;
        goto done;
    }
    ix->pills = p;
    rc = mt_kb_section(kb, PI_SEC_KEYS, sizeof(pi_key), &p, &ix->nkeys);
    if (rc != MT_OK) {
        rc = MT_ECORRUPT;
        goto done;
    }
    ix->keys = p;
    rc = mt_kb_section(kb, PI_SEC_POST, sizeof(uint32_t), &p, &ix->npost);
    if (rc != MT_OK) {
        rc = MT_ECORRUPT;
        goto done;
    }
    ix->post = p;
    rc = mt_kb_section(kb, PI_SEC_DRUGS, sizeof(uint32_t), &p, &ix->ndrugs);
    if (rc != MT_OK) {
        rc = MT_ECORRUPT;
        goto done;
    }
    ix->drugs = p;
    if (ix->meta->npills != ix->npills || ix->npills != mt_kb_count(kb, KB_T_PILLS) ||
        ix->meta->nkeys != ix->nkeys || ix->meta->npost != ix->npost ||
        ix->meta->norm_max != PI_NORM_MAX) {
        rc = MT_ECORRUPT;
        goto done;
    }
    rc = MT_OK;
done:
    if (rc != MT_OK) {
        memset(ix, 0, sizeof(*ix));
        ix->kb = kb;
    }
    return rc;
}

static int fail(mt_buf *why, const char *what, uint32_t i, const char *reason)
{
    if (why)
        mt_buf_printf(why, "pill index: %s record %u: %s", what, i, reason);
    return MT_ECORRUPT;
}

/* A pool string of at most max bytes: its NUL is within max + 1 bytes. */
static int str_ok(const mt_kb *kb, uint32_t off, size_t max, size_t *len)
{
    const char *s, *nul;
    size_t avail;
    if (off >= kb->str_size)
        return 0;
    s = kb->str + off;
    avail = kb->str_size - off;
    nul = memchr(s, '\0', avail < max + 1 ? avail : max + 1);
    if (!nul)
        return 0;
    *len = (size_t)(nul - s);
    return 1;
}

static int code_ok(const mt_kb *kb, uint16_t code, const char *system)
{
    if (code == PI_NONE16)
        return 1;
    return code < mt_kb_count(kb, KB_T_CODES) &&
           strcmp(mt_kb_str(kb, mt_kb_code(kb, code)->system), system) == 0;
}

int mt_pill_kb_validate(const mt_kb *kb, mt_buf *why)
{
    pi_index ix;
    uint32_t i, j, next = 0, nd = mt_kb_count(kb, KB_T_DRUGS);
    int rc = pi_index_open(&ix, kb);

    if (rc == MT_ENOTFOUND)
        return MT_OK;                  /* no pill index: pill search answers MT_ECORRUPT */
    if (rc != MT_OK) {
        if (why)
            mt_buf_printf(why, "pill index: %s", mt_strerror(rc));
        return MT_ECORRUPT;
    }
    for (i = 0; i < ix.npills; i++) {
        const pi_pill *p = &ix.pills[i];
        size_t ln, lf;
        if (!str_ok(kb, p->norm, PI_NORM_MAX - 1, &ln) || !str_ok(kb, p->fold, PI_NORM_MAX - 1, &lf) || ln != lf)
            return fail(why, "pill", i, "imprint strings out of the pool or too long");
        if (p->group > i || ix.pills[p->group].group != p->group)
            return fail(why, "pill", i, "group out of order");
        if (p->ncolor > PI_MAX_COLORS || p->ntok > PI_TOK_MAX || p->nchar >= PI_NORM_MAX ||
            p->reserved)
            return fail(why, "pill", i, "counts out of range");
        if (p->mask != pi_char_mask(kb->str + p->fold, lf))
            return fail(why, "pill", i, "character set does not match the imprint");
        for (j = 0; j < PI_MAX_COLORS; j++)
            if (!code_ok(kb, p->color[j], "SPL-COLOR") || ((j < p->ncolor) != (p->color[j] != PI_NONE16)))
                return fail(why, "pill", i, "colour is not an SPL colour code");
        if (!code_ok(kb, p->shape, "SPL-SHAPE"))
            return fail(why, "pill", i, "shape is not an SPL shape code");
        if (p->drugs != next || p->ndrugs > PI_MAX_DRUGS || p->ndrugs > ix.ndrugs - next)
            return fail(why, "pill", i, "drugs out of place or past the end");
        next += p->ndrugs;
    }
    if (next != ix.ndrugs)
        return fail(why, "drugs", next, "not every entry belongs to a pill");
    for (i = 0; i < ix.ndrugs; i++)
        if (ix.drugs[i] >= nd)
            return fail(why, "drugs", i, "drug out of range");
    for (i = 0; i < ix.nkeys; i++) {
        const pi_key *k = &ix.keys[i];
        if (i > 0 && k->key <= ix.keys[i - 1].key)
            return fail(why, "key", i, "keys not strictly ascending");
        if (k->count == 0 || k->first > ix.npost || k->count > ix.npost - k->first)
            return fail(why, "key", i, "postings out of range");
        for (j = k->first; j < k->first + k->count; j++)
            if (ix.post[j] >= ix.npills || (j > k->first && ix.post[j] <= ix.post[j - 1]))
                return fail(why, "key", i, "posting out of range or not ascending");
    }
    return MT_OK;
}

const uint32_t *pi_postings(const pi_index *ix, uint64_t key, uint32_t *count)
{
    uint32_t lo = 0, hi = ix->nkeys;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (ix->keys[mid].key < key)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo < ix->nkeys && ix->keys[lo].key == key) {
        *count = ix->keys[lo].count;
        return ix->post + ix->keys[lo].first;
    }
    *count = 0;
    return NULL;
}

/* --- normalization ---------------------------------------------------------- */

static int alnum(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

size_t pi_normalize(const char *imprint, char *out, size_t outsz, unsigned *ntok, unsigned *nchar)
{
    size_t len = 0, i = 0;
    unsigned toks = 0, chars = 0;
    size_t cap = outsz < PI_NORM_MAX ? outsz : PI_NORM_MAX;

    if (cap == 0)
        return 0;
    while (imprint && imprint[i] && toks < PI_TOK_MAX) {
        size_t start, tl, need;
        while (imprint[i] && !alnum((unsigned char)imprint[i]))
            i++;
        if (!imprint[i])
            break;
        start = i;
        while (alnum((unsigned char)imprint[i]))
            i++;
        tl = i - start;
        need = (len ? 1 : 0) + tl;
        if (len + need + 1 > cap) {
            if (len)
                break;                  /* cut at a token */
            tl = cap - 1;               /* unless the first token alone is too long */
            i = start + tl;
        }
        if (len)
            out[len++] = ' ';
        for (; start < i; start++) {
            char c = imprint[start];
            out[len++] = (c >= 'a' && c <= 'z') ? (char)(c - 'a' + 'A') : c;
        }
        toks++;
        chars += (unsigned)tl;
    }
    out[len] = '\0';
    if (ntok)
        *ntok = toks;
    if (nchar)
        *nchar = chars;
    return len;
}

void pi_fold(char *s, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        s[i] = pi_fold_char(s[i]);
}

uint64_t pi_hash(const char *s, size_t n)
{
    return XXH3_64bits(s, n) & ((UINT64_C(1) << 56) - 1);
}
