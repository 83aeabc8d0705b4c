/*
** hmap.c — the open-addressing (linear probing) hash map of hmap.h.
*/
#include "util/hmap.h"

#include <string.h>
#include <xxhash.h>

#include "materia/status.h"
#include "util/alloc.h"

void mt_hmap_init(mt_hmap *m) { memset(m, 0, sizeof(*m)); }

void mt_hmap_free(mt_hmap *m)
{
    mt_free(m->slots);
    memset(m, 0, sizeof(*m));
}

static mt_hmap_slot *find_slot(mt_hmap_slot *slots, size_t cap, const char *key,
                               size_t klen, uint64_t hash)
{
    size_t i = (size_t)hash & (cap - 1);
    for (;;) {
        mt_hmap_slot *s = &slots[i];
        if (!s->key || (s->hash == hash && s->klen == klen && memcmp(s->key, key, klen) == 0))
            return s;
        i = (i + 1) & (cap - 1);
    }
}

static int grow(mt_hmap *m)
{
    size_t newcap = m->cap ? m->cap * 2 : 64;
    mt_hmap_slot *slots = mt_calloc(newcap, sizeof(*slots));
    size_t i;

    if (!slots)
        return MT_ENOMEM;
    for (i = 0; i < m->cap; i++) {
        mt_hmap_slot *old = &m->slots[i];
        if (old->key)
            *find_slot(slots, newcap, old->key, old->klen, old->hash) = *old;
    }
    mt_free(m->slots);
    m->slots = slots;
    m->cap = newcap;
    return MT_OK;
}

int mt_hmap_put(mt_hmap *m, const char *key, size_t klen, uint32_t value)
{
    uint64_t hash = XXH3_64bits(key, klen);
    mt_hmap_slot *s;

    if (klen > UINT32_MAX)
        return MT_EINVAL;
    if ((m->count + 1) * 4 > m->cap * 3) {   /* keep load under 3/4 */
        int rc = grow(m);
        if (rc != MT_OK)
            return rc;
    }
    s = find_slot(m->slots, m->cap, key, klen, hash);
    if (!s->key) {
        s->key = key;
        s->klen = (uint32_t)klen;
        s->hash = hash;
        m->count++;
    }
    s->value = value;
    return MT_OK;
}

int mt_hmap_get(const mt_hmap *m, const char *key, size_t klen, uint32_t *value)
{
    const mt_hmap_slot *s;
    if (!m->cap)
        return MT_ENOTFOUND;
    s = find_slot(m->slots, m->cap, key, klen, XXH3_64bits(key, klen));
    if (!s->key)
        return MT_ENOTFOUND;
    *value = s->value;
    return MT_OK;
}

int mt_hmap_puts(mt_hmap *m, const char *key, uint32_t value)
{
    return mt_hmap_put(m, key, strlen(key), value);
}

int mt_hmap_gets(const mt_hmap *m, const char *key, uint32_t *value)
{
    return mt_hmap_get(m, key, strlen(key), value);
}
