/*
** sindex.c — the search index view (sindex.h): finding the sections, and
** the one validation pass run when a knowledge base is opened.
*/
#include "search/sindex.h"

#include <string.h>
#include <xxhash.h>

#include "materia/status.h"
#include "materia/types.h"

/* The search sections are ids MS_SEC_META..MS_SEC_PRIORS, consecutive in the
** container's table (sorted by id): one binary search finds the first, the
** rest follow. Cheaper than a lookup per section, and done per query. */
static const struct { uint32_t id, elem; } want[] = {
    { MS_SEC_META, 0 },
    { MS_SEC_KEYS, sizeof(ms_key) },
    { MS_SEC_ENTRIES, sizeof(ms_entry) },
    { MS_SEC_BLOCKS, sizeof(uint32_t) },
    { MS_SEC_NORMS, sizeof(ms_list) },
    { MS_SEC_NORM_POST, sizeof(uint32_t) },
    { MS_SEC_DEL_BUCKET, sizeof(uint32_t) },
    { MS_SEC_DEL_POST, sizeof(uint64_t) },
    { MS_SEC_PHONS, sizeof(ms_list) },
    { MS_SEC_PHON_POST, sizeof(uint32_t) },
    { MS_SEC_CODES, sizeof(ms_code) },
    { MS_SEC_PRIORS, sizeof(uint32_t) },
    { MS_SEC_KEY_SAMPLE, sizeof(uint64_t) },
    { MS_SEC_NORM_HASH, sizeof(uint32_t) },
    { MS_SEC_PHON_HASH, sizeof(uint32_t) }
};
#define NWANT (sizeof(want) / sizeof(want[0]))

int ms_index_open(ms_index *ix, const mt_kb *kb)
{
    const mt_kbf *f = &kb->f;
    const void *p[NWANT];
    uint32_t n[NWANT], lo = 0, hi = f->nsections, i;
    int rc = MT_ECORRUPT;

    memset(ix, 0, sizeof(*ix));
    ix->kb = kb;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (f->sections[mid].id < MS_SEC_META)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= f->nsections || f->sections[lo].id != MS_SEC_META) {
        rc = MT_ENOTFOUND;
        goto done;
    }
    for (i = 0; i < NWANT; i++) {
        const mt_kbf_section_info *s = lo + i < f->nsections ? &f->sections[lo + i] : NULL;
        if (!s || s->id != want[i].id || s->elem_size != want[i].elem)
            goto done;
        p[i] = f->map + s->offset;
        n[i] = (uint32_t)(want[i].elem ? s->size / want[i].elem : s->size);
        if ((want[i].elem ? s->size / want[i].elem : s->size) > UINT32_MAX)
            goto done;
    }
    if (n[0] != sizeof(ms_meta))
        goto done;
    ix->meta = p[0];
    if (ix->meta->version != MS_FORMAT_VERSION) {
        rc = MT_EVERSION;
        goto done;
    }
    ix->keys = p[1];       ix->nkeys = n[1];
    ix->entries = p[2];    ix->nentries = n[2];
    ix->blocks = p[3];     ix->nblocks = n[3];
    ix->norms = p[4];      ix->nnorms = n[4];
    ix->norm_post = p[5];  ix->nnorm_post = n[5];
    ix->del_bucket = p[6]; ix->ndel_bucket = n[6];
    ix->del_post = p[7];   ix->ndel_post = n[7];
    ix->phons = p[8];      ix->nphons = n[8];
    ix->phon_post = p[9];  ix->nphon_post = n[9];
    ix->codes = p[10];     ix->ncodes = n[10];
    ix->priors = p[11];    ix->npriors = n[11];
    ix->samples = p[12];   ix->nsamples = n[12];
    ix->norm_hash = p[13]; ix->nnorm_hash = n[13];
    ix->phon_hash = p[14]; ix->nphon_hash = n[14];
    {
        const ms_meta *m = ix->meta;
        uint32_t nb = m->nbuckets;
        if (m->del_prefix != MS_DEL_PREFIX || m->del_maxd != MS_DEL_MAXD ||
            m->block != MS_BLOCK || nb == 0 || (nb & (nb - 1)) != 0 ||
            ix->ndel_bucket != (uint64_t)nb + 1 ||
            ix->nblocks != (ix->nkeys + (uint64_t)MS_BLOCK - 1) / MS_BLOCK ||
            ix->npriors != m->ndrugs || m->ndrugs != mt_kb_count(kb, KB_T_DRUGS) ||
            ix->nsamples != (ix->nkeys + (uint64_t)MS_SAMPLE - 1) / MS_SAMPLE ||
            ix->nnorm_hash == 0 || (ix->nnorm_hash & (ix->nnorm_hash - 1)) != 0 ||
            ix->nnorm_hash < 2 * (uint64_t)ix->nnorms ||
            ix->nphon_hash == 0 || (ix->nphon_hash & (ix->nphon_hash - 1)) != 0 ||
            ix->nphon_hash < 2 * (uint64_t)ix->nphons)
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

/* A string of the pool that is exactly len bytes long. */
static int str_ok(const mt_kb *kb, uint32_t off, uint32_t len)
{
    return (uint64_t)off + len < kb->str_size && kb->str[off + len] == '\0' &&
           memchr(kb->str + off, '\0', len) == NULL;
}

static int fail(mt_buf *why, const char *what, uint32_t i, const char *reason)
{
    if (why)
        mt_buf_printf(why, "search index: %s record %u: %s", what, i, reason);
    return MT_ECORRUPT;
}

static int check_lists(const mt_kb *kb, const ms_list *l, uint32_t n, uint32_t npost,
                       const uint32_t *post, uint32_t target, const char *what, mt_buf *why)
{
    uint32_t i, j;
    for (i = 0; i < n; i++) {
        if (!str_ok(kb, l[i].str, l[i].len))
            return fail(why, what, i, "string out of the pool");
        if ((uint64_t)l[i].first + l[i].count > npost)
            return fail(why, what, i, "postings out of range");
    }
    for (j = 0; j < npost; j++)
        if (post[j] >= target)
            return fail(why, what, j, "posting out of range");
    return MT_OK;
}

int mt_search_kb_validate(const mt_kb *kb, mt_buf *why)
{
    ms_index ix;
    uint32_t i, nsources = mt_kb_count(kb, KB_T_SOURCES), ndrugs = mt_kb_count(kb, KB_T_DRUGS);
    int rc = ms_index_open(&ix, kb);

    if (rc == MT_ENOTFOUND)
        return MT_OK;                  /* no search index: search answers MT_ENOTFOUND */
    if (rc != MT_OK) {
        if (why)
            mt_buf_printf(why, "search index: %s", mt_strerror(rc));
        return MT_ECORRUPT;
    }
    for (i = 0; i < ix.nkeys; i++) {
        const ms_key *k = &ix.keys[i];
        if (k->len == 0 || k->len > MS_KEY_MAX || !str_ok(kb, k->str, k->len))
            return fail(why, "key", i, "string out of the pool");
        if (k->count == 0 || (uint64_t)k->first + k->count > ix.nentries)
            return fail(why, "key", i, "entries out of range");
        if (k->head != ms_key_head(kb->str + k->str, k->len))
            return fail(why, "key", i, "head does not match the key");
    }
    for (i = 0; i < ix.nentries; i++) {
        const ms_entry *e = &ix.entries[i];
        if (e->drug >= ndrugs || e->resolved >= ndrugs || e->text >= kb->str_size || e->source >= nsources ||
            e->kind < MT_NAME_PREFERRED || e->kind > MT_NAME_SALT)
            return fail(why, "entry", i, "drug, text, source or kind out of range");
    }
    for (i = 0; i < ix.nblocks; i++) {
        uint32_t k, best = 0;
        for (k = i * MS_BLOCK; k < ix.nkeys && k < (i + 1) * MS_BLOCK; k++)
            if (ix.keys[k].prio > best)
                best = ix.keys[k].prio;
        if (ix.blocks[i] != best)
            return fail(why, "block", i, "priority does not match its keys");
    }
    rc = check_lists(kb, ix.norms, ix.nnorms, ix.nnorm_post, ix.norm_post, ix.nentries,
                     "normalized form", why);
    if (rc != MT_OK)
        return rc;
    rc = check_lists(kb, ix.phons, ix.nphons, ix.nphon_post, ix.phon_post, ix.nkeys,
                     "phonetic code", why);
    if (rc != MT_OK)
        return rc;
    for (i = 0; i < ix.nsamples; i++)
        if (ix.samples[i] != ix.keys[i * MS_SAMPLE].head)
            return fail(why, "key sample", i, "does not match its key");
    for (i = 0; i < ix.nnorm_hash; i++)
        if (ix.norm_hash[i] > ix.nnorms)
            return fail(why, "normalized-form slot", i, "out of range");
    for (i = 0; i < ix.nphon_hash; i++)
        if (ix.phon_hash[i] > ix.nphons)
            return fail(why, "phonetic-code slot", i, "out of range");
    for (i = 0; i < ix.meta->nbuckets; i++)
        if (ix.del_bucket[i] > ix.del_bucket[i + 1])
            return fail(why, "deletion bucket", i, "offsets not ascending");
    if (ix.del_bucket[ix.meta->nbuckets] != ix.ndel_post)
        return fail(why, "deletion bucket", ix.meta->nbuckets, "does not end the postings");
    for (i = 0; i < ix.ndel_post; i++) {
        uint32_t k = MS_POST_KEY(ix.del_post[i]);
        if (k >= ix.nkeys || MS_POST_LEN(ix.del_post[i]) != ix.keys[k].len)
            return fail(why, "deletion posting", i, "key out of range or length wrong");
        /* (the letter set is only a filter: a wrong one costs answers, not safety) */
    }
    for (i = 0; i < ix.ncodes; i++) {
        const ms_code *c = &ix.codes[i];
        if (c->drug >= ndrugs || c->text >= kb->str_size || c->source >= nsources ||
            c->type < MS_CODE_RXCUI || c->type > MS_CODE_DRUGBANK ||
            c->kind < MT_NAME_PREFERRED || c->kind > MT_NAME_SALT)
            return fail(why, "code", i, "drug, text, source or type out of range");
    }
    return MT_OK;
}

/* splitmix64's finalizer: every input bit reaches every output bit. */
static uint64_t mix64(uint64_t x)
{
    x ^= x >> 30;
    x *= UINT64_C(0xbf58476d1ce4e5b9);
    x ^= x >> 27;
    x *= UINT64_C(0x94d049bb133111eb);
    x ^= x >> 31;
    return x;
}

/* Deletes byte i of a packed string (byte 0 in the low bits). */
static uint64_t del_byte(uint64_t w, unsigned i)
{
    uint64_t low = i ? w & ((UINT64_C(1) << (8 * i)) - 1) : 0;
    return low | ((w >> (8 * (i + 1))) << (8 * i));
}

static uint64_t del_hash(uint64_t w, unsigned len)
{
    return mix64(w | (uint64_t)len << 56);
}

unsigned ms_deletion_hashes(const char *s, size_t n, unsigned maxd, uint64_t *out, unsigned *n1)
{
    uint64_t w = 0;
    unsigned cnt = 0, i, j, len;

    if (n > MS_DEL_PREFIX)
        n = MS_DEL_PREFIX;
    len = (unsigned)n;
    for (i = 0; i < len; i++)
        w |= (uint64_t)(unsigned char)s[i] << (8 * i);
    out[cnt++] = del_hash(w, len);
    for (i = 0; i < len && maxd >= 1; i++)
        if (i == 0 || s[i - 1] != s[i])
            out[cnt++] = del_hash(del_byte(w, i), len - 1);
    if (n1)
        *n1 = cnt;
    for (i = 0; i < len && maxd >= 2; i++) {
        uint64_t wi;
        if (i > 0 && s[i - 1] == s[i])
            continue;
        wi = del_byte(w, i);
        for (j = i + 1; j < len; j++)
            if (s[j - 1] != s[j] || j - 1 == i)
                out[cnt++] = del_hash(del_byte(wi, j - 1), len - 2);
    }
    return cnt;
}

uint64_t ms_str_hash(const char *s, size_t n)
{
    return XXH3_64bits(s, n);
}

int ms_unii_number(const char *s, size_t len, uint64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (len != 10)
        return MT_EFORMAT;
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        unsigned d;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (c >= 'A' && c <= 'Z')
            d = 10u + (c - 'A');
        else if (c >= 'a' && c <= 'z')
            d = 10u + (c - 'a');
        else
            return MT_EFORMAT;
        v = v * 36u + d;
    }
    *out = v;
    return MT_OK;
}
