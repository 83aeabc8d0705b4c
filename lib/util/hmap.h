/*
** hmap.h — an open-addressing hash map from byte-string keys to uint32 values.
**
** Keys are not copied: the caller keeps each key alive (typically in an
** arena) for as long as the map lives. Used at build time to join records of
** different sources by identifier (RxCUI, UNII, DrugBank ID, names).
*/
#ifndef MT_HMAP_H
#define MT_HMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct mt_hmap_slot {
    const char *key;     /* NULL: empty slot */
    uint32_t    klen;
    uint32_t    value;
    uint64_t    hash;
} mt_hmap_slot;

typedef struct mt_hmap {
    mt_hmap_slot *slots;
    size_t cap;          /* power of two, or 0 */
    size_t count;
} mt_hmap;

void mt_hmap_init(mt_hmap *m);
void mt_hmap_free(mt_hmap *m);
/* Sets key -> value, replacing an existing value. MT_OK or MT_ENOMEM. */
int  mt_hmap_put(mt_hmap *m, const char *key, size_t klen, uint32_t value);
/* MT_OK and *value, or MT_ENOTFOUND. */
int  mt_hmap_get(const mt_hmap *m, const char *key, size_t klen, uint32_t *value);
/* Conveniences for NUL-terminated keys. */
int  mt_hmap_puts(mt_hmap *m, const char *key, uint32_t value);
int  mt_hmap_gets(const mt_hmap *m, const char *key, uint32_t *value);

#endif /* MT_HMAP_H */
