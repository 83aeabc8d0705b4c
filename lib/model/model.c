/*
** model.c — the build-time drug model (model.h): tables of facts with
** citations, and the identifier and name indexes used to join sources.
*/
#include "model/model.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/buf.h"
#include "util/text.h"

#define KEY_MAX 512

/* Grows a MDL_VEC by one and returns a pointer to the new zeroed item, or NULL. */
#define VEC_PUSH(vec) ((__typeof__((vec).items))vec_push((void **)&(vec).items, &(vec).count, \
                                                          &(vec).cap, sizeof(*(vec).items)))

static void *vec_push(void **items, uint32_t *count, uint32_t *cap, size_t size)
{
    char *p;
    if (*count == UINT32_MAX - 1)
        return NULL;
    if (*count == *cap) {
        uint32_t newcap = *cap ? *cap * 2 : 256;
        void *grown = mt_reallocarray(*items, newcap, size);
        if (!grown)
            return NULL;
        *items = grown;
        *cap = newcap;
    }
    p = (char *)*items + (size_t)(*count)++ * size;
    memset(p, 0, size);
    return p;
}

static const char *mdl_dup(mdl *m, const char *s)
{
    if (!s || !*s)
        return NULL;
    return mt_arena_strdup(&m->arena, s);
}

/* dup() that reports allocation failure distinctly from an absent string. */
#define DUP_OR_FAIL(dst, src) do { \
        (dst) = mdl_dup(m, (src)); \
        if ((src) && *(src) && !(dst)) return MT_ENOMEM; \
    } while (0)

static void count_fact(mdl *m, mdl_cite cite)
{
    if (ALWAYS(cite.source < m->sources.count))
        m->sources.items[cite.source].facts++;
}

int mdl_init(mdl *m)
{
    memset(m, 0, sizeof(*m));
    mt_arena_init(&m->arena, 1024 * 1024, 0);
    mt_hmap_init(&m->by_rxcui);
    mt_hmap_init(&m->by_unii);
    mt_hmap_init(&m->by_drugbank);
    mt_hmap_init(&m->by_drugcentral);
    mt_hmap_init(&m->by_name);
    mt_hmap_init(&m->by_own_name);
    mt_hmap_init(&m->product_by_rxcui);
    mt_hmap_init(&m->class_by_key);
    mt_hmap_init(&m->ndc_seen);
    mt_hmap_init(&m->pair_seen);
    mt_hmap_init(&m->name_seen);
    return MT_OK;
}

void mdl_free(mdl *m)
{
    mt_free(m->sources.items);
    mt_free(m->drugs.items);
    mt_free(m->idents.items);
    mt_free(m->names.items);
    mt_free(m->products.items);
    mt_free(m->product_ings.items);
    mt_free(m->ndcs.items);
    mt_free(m->classes.items);
    mt_free(m->drug_classes.items);
    mt_free(m->indications.items);
    mt_free(m->approvals.items);
    mt_free(m->schedules.items);
    mt_free(m->acbs.items);
    mt_free(m->ixrules.items);
    mt_free(m->ixpairs.items);
    mt_free(m->pills.items);
    mt_free(m->docs.items);
    mt_free(m->doc_drugs.items);
    mt_free(m->doc_sections.items);
    mt_free(m->codes.items);
    mt_hmap_free(&m->by_rxcui);
    mt_hmap_free(&m->by_unii);
    mt_hmap_free(&m->by_drugbank);
    mt_hmap_free(&m->by_drugcentral);
    mt_hmap_free(&m->by_name);
    mt_hmap_free(&m->by_own_name);
    mt_hmap_free(&m->product_by_rxcui);
    mt_hmap_free(&m->class_by_key);
    mt_hmap_free(&m->ndc_seen);
    mt_hmap_free(&m->pair_seen);
    mt_hmap_free(&m->name_seen);
    mt_arena_free(&m->arena);
    memset(m, 0, sizeof(*m));
}

/* Makes an arena copy of a formatted key, for hash maps whose keys must live
** as long as the model. */
static const char *key_vprintf(mdl *m, size_t *len, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));
static const char *key_vprintf(mdl *m, size_t *len, const char *fmt, va_list ap)
{
    char tmp[KEY_MAX * 2];
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    if (n < 0 || (size_t)n >= sizeof(tmp))
        n = (int)strlen(tmp);
    *len = (size_t)n;
    return mt_arena_strndup(&m->arena, tmp, (size_t)n);
}

static const char *key_printf(mdl *m, size_t *len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static const char *key_printf(mdl *m, size_t *len, const char *fmt, ...)
{
    const char *k;
    va_list ap;
    va_start(ap, fmt);
    k = key_vprintf(m, len, fmt, ap);
    va_end(ap);
    return k;
}

/* Records a fact's formatted key in one of the model's seen-maps (with
** value), so that each fact is added once: 1 if the key is new, 0 if it was
** seen before, or MT_ENOMEM. */
static int seen_first(mdl *m, mt_hmap *map, uint32_t value, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int seen_first(mdl *m, mt_hmap *map, uint32_t value, const char *fmt, ...)
{
    const char *key;
    size_t klen;
    uint32_t dummy;
    int rc;
    va_list ap;
    va_start(ap, fmt);
    key = key_vprintf(m, &klen, fmt, ap);
    va_end(ap);
    if (!key)
        return MT_ENOMEM;
    if (mt_hmap_get(map, key, klen, &dummy) == MT_OK)
        return 0;
    rc = mt_hmap_put(map, key, klen, value);
    return rc == MT_OK ? 1 : rc;
}

/* --- sources ------------------------------------------------------------ */

int mdl_source_add(mdl *m, const mdl_source *desc, mdl_src *out)
{
    mdl_source *s;
    if (!desc->id || !desc->name)
        return MT_EINVAL;
    if (m->sources.count >= UINT16_MAX)
        return MT_ELIMIT;
    s = VEC_PUSH(m->sources);
    if (!s)
        return MT_ENOMEM;
    s->dir = mdl_dup(m, desc->dir);
    s->id = mdl_dup(m, desc->id);
    s->name = mdl_dup(m, desc->name);
    s->edition = mdl_dup(m, desc->edition);
    s->licence = mdl_dup(m, desc->licence);
    s->attribution = mdl_dup(m, desc->attribution);
    s->url = mdl_dup(m, desc->url);
    s->kind = mdl_dup(m, desc->kind);
    if (!s->id || !s->name) {
        m->sources.count--;
        return MT_ENOMEM;
    }
    *out = (mdl_src)(m->sources.count - 1);
    return MT_OK;
}

int mdl_source_find(const mdl *m, const char *id, mdl_src *out)
{
    uint32_t i;
    for (i = 0; i < m->sources.count; i++) {
        if (strcmp(m->sources.items[i].id, id) == 0) {
            *out = (mdl_src)i;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

static char *trim(char *s)
{
    char *end;
    while (*s && isspace((unsigned char)*s))
        s++;
    end = s + strlen(s);
    while (end > s && isspace((unsigned char)end[-1]))
        *--end = '\0';
    return s;
}

int mdl_source_load(mdl *m, const char *dir, mdl_src *out)
{
    mt_srcfile f;
    mdl_source desc;
    char *line;
    size_t len;
    int rc;
    /* Values live in this buffer until mdl_source_add copies them. */
    char *vals[8] = {0};
    static const char *const keys[8] = { "id", "name", "edition", "licence",
                                         "attribution", "url", "kind", NULL };

    rc = mt_src_open(&f, dir, "SOURCE.meta", NULL);
    if (rc != MT_OK)
        return rc == MT_ENOTFOUND ? MT_EIO : rc;
    while ((rc = mt_src_getline(&f, &line, &len)) == MT_OK) {
        char *colon, *key, *val;
        int k;
        if (line[0] == '#' || !(colon = strchr(line, ':')))
            continue;
        *colon = '\0';
        key = trim(line);
        val = trim(colon + 1);
        for (k = 0; keys[k]; k++) {
            if (strcmp(key, keys[k]) == 0) {
                vals[k] = mt_arena_strdup(&m->arena, val);
                if (!vals[k]) {
                    rc = MT_ENOMEM;
                    goto done;
                }
            }
        }
    }
    if (rc != MT_ENOTFOUND)
        goto done;
    if (!vals[0] || !vals[1] || !*vals[0] || !*vals[1]) {
        rc = MT_EFORMAT;
        goto done;
    }
    memset(&desc, 0, sizeof(desc));
    desc.dir = dir;
    desc.id = vals[0];
    desc.name = vals[1];
    desc.edition = vals[2];
    desc.licence = vals[3];
    desc.attribution = vals[4];
    desc.url = vals[5];
    desc.kind = vals[6];
    rc = mdl_source_add(m, &desc, out);
done:
    mt_src_close(&f);
    return rc;
}

mdl_cite mdl_cite_make(mdl *m, mdl_src source, const char *record_fmt, ...)
{
    mdl_cite c;
    char tmp[1024];
    va_list ap;
    va_start(ap, record_fmt);
    vsnprintf(tmp, sizeof(tmp), record_fmt, ap);
    va_end(ap);
    c.source = source;
    c.record = mt_arena_strdup(&m->arena, tmp);   /* NULL on OOM: facts then lack a record */
    return c;
}

/* --- drugs -------------------------------------------------------------- */

static int find_u32(const mt_hmap *map, uint32_t v, mdl_ref *out)
{
    char key[16];
    int n = snprintf(key, sizeof(key), "%u", v);
    return mt_hmap_get(map, key, (size_t)n, out);
}

int mdl_drug_find(const mdl *m, const mdl_keys *k, mdl_ref *out)
{
    if (k->rxcui && find_u32(&m->by_rxcui, k->rxcui, out) == MT_OK)
        return MT_OK;
    if (k->unii && *k->unii && mt_hmap_gets(&m->by_unii, k->unii, out) == MT_OK)
        return MT_OK;
    if (k->drugbank_id && *k->drugbank_id && mt_hmap_gets(&m->by_drugbank, k->drugbank_id, out) == MT_OK)
        return MT_OK;
    if (k->drugcentral_id && find_u32(&m->by_drugcentral, k->drugcentral_id, out) == MT_OK)
        return MT_OK;
    return MT_ENOTFOUND;
}

int mdl_drug_find_name(const mdl *m, const char *name, mdl_ref *out)
{
    char key[KEY_MAX];
    size_t len;
    if (!name)
        return MT_ENOTFOUND;
    len = mt_text_key(name, key, sizeof(key));
    if (!len)
        return MT_ENOTFOUND;
    if (mt_hmap_get(&m->by_name, key, len, out) == MT_OK)
        return MT_OK;
    {
        size_t stripped = mt_text_strip_salt(key);
        if (stripped != len && mt_hmap_get(&m->by_name, key, stripped, out) == MT_OK)
            return MT_OK;
    }
    return MT_ENOTFOUND;
}

int mdl_drug_find_own_name(const mdl *m, const char *name, mdl_ref *out)
{
    char key[KEY_MAX];
    size_t len;
    mdl_ref d;
    if (!name || !(len = mt_text_key(name, key, sizeof(key))))
        return MT_ENOTFOUND;
    if (mt_hmap_get(&m->by_own_name, key, len, &d) != MT_OK)
        return MT_ENOTFOUND;
    if (d == MDL_NONE)
        return MT_EEXIST;
    *out = d;
    return MT_OK;
}

mdl_ref mdl_drug_base(const mdl *m, mdl_ref drug)
{
    if (drug < m->drugs.count && m->drugs.items[drug].kind == MT_DRUG_PRECISE &&
        m->drugs.items[drug].parent < m->drugs.count)
        return m->drugs.items[drug].parent;
    return drug;
}

/* Registers value -> drug in a join map unless another drug holds it. */
static int register_key(mdl *m, mt_hmap *map, const char *value, mdl_ref drug, int *registered)
{
    mdl_ref other;
    const char *k;
    *registered = 0;
    if (mt_hmap_gets(map, value, &other) == MT_OK) {
        if (other != drug)
            m->id_conflicts++;
        else
            *registered = 1;
        return MT_OK;
    }
    k = mt_arena_strdup(&m->arena, value);
    if (!k)
        return MT_ENOMEM;
    *registered = 1;
    return mt_hmap_puts(map, k, drug);
}

int mdl_ident_add(mdl *m, mdl_ref drug, mt_id_type type, const char *value, mdl_cite cite)
{
    mdl_drug *d;
    mdl_ident *id;
    char canon[64];
    int rc, reg = 0;

    if (drug >= m->drugs.count || !value || !*value)
        return MT_EINVAL;
    d = &m->drugs.items[drug];
    /* Canonical forms: RxCUI and DrugCentral ids as plain numbers, codes upper case. */
    snprintf(canon, sizeof(canon), "%s", value);
    if (type == MT_ID_UNII || type == MT_ID_DRUGBANK) {
        char *p;
        for (p = canon; *p; p++)
            *p = (char)toupper((unsigned char)*p);
    }
    /* Same identifier fact on the same drug: keep one. */
    rc = seen_first(m, &m->name_seen, drug, "I%u|%d|%s", drug, (int)type, canon);
    if (rc <= 0)
        return rc;

    switch (type) {
    case MT_ID_RXCUI: {
        unsigned long v = strtoul(canon, NULL, 10);
        if (v == 0 || v > UINT32_MAX)
            return MT_EINVAL;
        snprintf(canon, sizeof(canon), "%lu", v);
        if (!d->rxcui) {
            rc = register_key(m, &m->by_rxcui, canon, drug, &reg);
            if (rc != MT_OK)
                return rc;
            if (reg)
                d->rxcui = (uint32_t)v;
        } else if (d->rxcui != v) {
            /* A second RxCUI (e.g. a salt's) still finds the drug. */
            rc = register_key(m, &m->by_rxcui, canon, drug, &reg);
            if (rc != MT_OK)
                return rc;
        }
        break;
    }
    case MT_ID_UNII:
        rc = register_key(m, &m->by_unii, canon, drug, &reg);
        if (rc != MT_OK)
            return rc;
        if (reg && !d->unii && !(d->unii = mdl_dup(m, canon)))
            return MT_ENOMEM;
        break;
    case MT_ID_DRUGBANK:
        rc = register_key(m, &m->by_drugbank, canon, drug, &reg);
        if (rc != MT_OK)
            return rc;
        if (reg && !d->drugbank_id && !(d->drugbank_id = mdl_dup(m, canon)))
            return MT_ENOMEM;
        break;
    case MT_ID_DRUGCENTRAL: {
        unsigned long v = strtoul(canon, NULL, 10);
        if (v == 0 || v > UINT32_MAX)
            return MT_EINVAL;
        snprintf(canon, sizeof(canon), "%lu", v);
        rc = register_key(m, &m->by_drugcentral, canon, drug, &reg);
        if (rc != MT_OK)
            return rc;
        if (reg && !d->drugcentral_id)
            d->drugcentral_id = (uint32_t)v;
        break;
    }
    default:
        break;
    }
    id = VEC_PUSH(m->idents);
    if (!id)
        return MT_ENOMEM;
    id->drug = drug;
    id->type = (uint8_t)type;
    id->cite = cite;
    if (!(id->value = mdl_dup(m, canon)))
        return MT_ENOMEM;
    count_fact(m, cite);
    return MT_OK;
}

/* Whether `key` is the key of the drug's own display name. */
static int own_name(const mdl *m, mdl_ref drug, const char *key, size_t klen)
{
    char own[KEY_MAX];
    size_t n = mt_text_key(m->drugs.items[drug].name, own, sizeof(own));
    return n == klen && memcmp(own, key, klen) == 0;
}

int mdl_name_add(mdl *m, mdl_ref drug, mt_name_kind kind, const char *text,
                 const char *code, mdl_cite cite)
{
    char key[KEY_MAX];
    size_t klen;
    const char *namekey;
    mdl_ref other;
    mdl_name *n;
    int rc;

    if (drug >= m->drugs.count || !text)
        return MT_EINVAL;
    klen = mt_text_key(text, key, sizeof(key));
    if (!klen)
        return MT_OK;                      /* nothing searchable in it */
    rc = seen_first(m, &m->name_seen, drug, "N%u|%d|%s", drug, (int)kind, key);
    if (rc <= 0)
        return rc;
    /* Product names are too specific to serve as join keys. A drug's own
    ** (preferred) name takes the key from a drug that holds it only through
    ** a synonym or brand: "zopiclone" is zopiclone, not eszopiclone's synonym
    ** "(+)-Zopiclone", whose key is the same. */
    if (kind != MT_NAME_PRODUCT && (mt_hmap_get(&m->by_name, key, klen, &other) != MT_OK ||
        (kind == MT_NAME_PREFERRED && other != drug && !own_name(m, other, key, klen)))) {
        namekey = mt_arena_strndup(&m->arena, key, klen);
        if (!namekey)
            return MT_ENOMEM;
        rc = mt_hmap_put(&m->by_name, namekey, klen, drug);
        if (rc != MT_OK)
            return rc;
    }
    /* Own names, counted: a second drug with the same own name makes the key
    ** ambiguous for mdl_drug_find_own_name (MDL_NONE; the stored key stays). */
    if (kind == MT_NAME_PREFERRED) {
        if (mt_hmap_get(&m->by_own_name, key, klen, &other) == MT_OK)
            rc = other == drug ? MT_OK : mt_hmap_put(&m->by_own_name, key, klen, MDL_NONE);
        else if (!(namekey = mt_arena_strndup(&m->arena, key, klen)))
            rc = MT_ENOMEM;
        else
            rc = mt_hmap_put(&m->by_own_name, namekey, klen, drug);
        if (rc != MT_OK)
            return rc;
    }
    n = VEC_PUSH(m->names);
    if (!n)
        return MT_ENOMEM;
    n->drug = drug;
    n->kind = (uint8_t)kind;
    n->cite = cite;
    DUP_OR_FAIL(n->text, text);
    DUP_OR_FAIL(n->code, code);
    count_fact(m, cite);
    return MT_OK;
}

int mdl_drug_add(mdl *m, const char *name, mt_drug_kind kind, const mdl_keys *keys,
                 uint32_t flags, mdl_cite cite, mdl_ref *out)
{
    mdl_drug *d;
    mdl_ref ref;
    char num[16];
    int rc;

    if (!name || !*name)
        return MT_EINVAL;
    d = VEC_PUSH(m->drugs);
    if (!d)
        return MT_ENOMEM;
    ref = m->drugs.count - 1;
    d->kind = (uint8_t)kind;
    d->flags = flags;
    d->parent = MDL_NONE;
    d->cite = cite;
    if (!(d->name = mdl_dup(m, name)))
        return MT_ENOMEM;
    if (ALWAYS(cite.source < m->sources.count))
        m->sources.items[cite.source].created++;
    if (keys) {
        if (keys->rxcui) {
            snprintf(num, sizeof(num), "%u", keys->rxcui);
            if ((rc = mdl_ident_add(m, ref, MT_ID_RXCUI, num, cite)) != MT_OK)
                return rc;
        }
        if (keys->unii && *keys->unii && (rc = mdl_ident_add(m, ref, MT_ID_UNII, keys->unii, cite)) != MT_OK)
            return rc;
        if (keys->drugbank_id && *keys->drugbank_id &&
            (rc = mdl_ident_add(m, ref, MT_ID_DRUGBANK, keys->drugbank_id, cite)) != MT_OK)
            return rc;
        if (keys->drugcentral_id) {
            snprintf(num, sizeof(num), "%u", keys->drugcentral_id);
            if ((rc = mdl_ident_add(m, ref, MT_ID_DRUGCENTRAL, num, cite)) != MT_OK)
                return rc;
        }
    }
    if (m->drugs.items[ref].rxcui)
        m->drugs.items[ref].flags |= MT_DRUGF_IN_RXNORM;
    rc = mdl_name_add(m, ref, MT_NAME_PREFERRED, name, NULL, cite);
    if (rc != MT_OK)
        return rc;
    *out = ref;
    return MT_OK;
}

/* --- products ------------------------------------------------------------ */

int mdl_product_find_rxcui(const mdl *m, uint32_t rxcui, mdl_ref *out)
{
    return rxcui ? find_u32(&m->product_by_rxcui, rxcui, out) : MT_ENOTFOUND;
}

int mdl_product_add(mdl *m, const mdl_product *p, mdl_ref *out)
{
    mdl_product *np;
    size_t klen;
    const char *key;
    int rc;

    if (!p->name || !*p->name)
        return MT_EINVAL;
    if (p->rxcui && mdl_product_find_rxcui(m, p->rxcui, out) == MT_OK)
        return MT_OK;
    np = VEC_PUSH(m->products);
    if (!np)
        return MT_ENOMEM;
    np->rxcui = p->rxcui;
    np->cite = p->cite;
    DUP_OR_FAIL(np->tty, p->tty);
    DUP_OR_FAIL(np->name, p->name);
    DUP_OR_FAIL(np->brand, p->brand);
    *out = m->products.count - 1;
    count_fact(m, p->cite);
    if (p->rxcui) {
        key = key_printf(m, &klen, "%u", p->rxcui);
        if (!key)
            return MT_ENOMEM;
        rc = mt_hmap_put(&m->product_by_rxcui, key, klen, *out);
        if (rc != MT_OK)
            return rc;
    }
    return MT_OK;
}

int mdl_product_ing_add(mdl *m, mdl_ref product, mdl_ref drug)
{
    mdl_product_ing *pi;
    int rc;

    if (product >= m->products.count || drug >= m->drugs.count)
        return MT_EINVAL;
    rc = seen_first(m, &m->pair_seen, 0, "P%u|%u", product, drug);
    if (rc <= 0)
        return rc;
    pi = VEC_PUSH(m->product_ings);
    if (!pi)
        return MT_ENOMEM;
    pi->product = product;
    pi->drug = drug;
    return MT_OK;
}

int mdl_ndc_normalize(const char *ndc, char out[12])
{
    char digits[12];
    size_t nd = 0, seg[3] = {0, 0, 0}, nseg = 0;
    const char *p;

    for (p = ndc; *p; p++) {
        if (*p >= '0' && *p <= '9') {
            if (nd >= 11)
                return MT_EFORMAT;
            digits[nd++] = *p;
            if (nseg < 3)
                seg[nseg]++;
        } else if (*p == '-') {
            if (++nseg > 2)
                return MT_EFORMAT;
        } else if (*p == ' ' && nd == 0) {
            continue;
        } else {
            return MT_EFORMAT;
        }
    }
    if (nseg == 0) {
        if (nd != 11)
            return MT_EFORMAT;
        memcpy(out, digits, 11);
        out[11] = '\0';
        return MT_OK;
    }
    if (nseg != 2)
        return MT_EFORMAT;
    /* Pad the short segment of a 10-digit code to 5-4-2. */
    if (seg[0] == 5 && seg[1] == 4 && seg[2] == 2)
        memcpy(out, digits, 11);
    else if (seg[0] == 4 && seg[1] == 4 && seg[2] == 2) {
        out[0] = '0';
        memcpy(out + 1, digits, 10);
    } else if (seg[0] == 5 && seg[1] == 3 && seg[2] == 2) {
        memcpy(out, digits, 5);
        out[5] = '0';
        memcpy(out + 6, digits + 5, 5);
    } else if (seg[0] == 5 && seg[1] == 4 && seg[2] == 1) {
        memcpy(out, digits, 9);
        out[9] = '0';
        out[10] = digits[9];
    } else
        return MT_EFORMAT;
    out[11] = '\0';
    return MT_OK;
}

int mdl_ndc_add(mdl *m, mdl_ref product, const char *ndc, mdl_cite cite)
{
    char n11[12];
    mdl_ndc *e;
    int rc;

    if (product >= m->products.count || !ndc)
        return MT_EINVAL;
    rc = mdl_ndc_normalize(ndc, n11);
    if (rc != MT_OK)
        return rc;
    rc = seen_first(m, &m->ndc_seen, product, "%s|%u", n11, product);
    if (rc <= 0)
        return rc;
    e = VEC_PUSH(m->ndcs);
    if (!e)
        return MT_ENOMEM;
    memcpy(e->ndc11, n11, sizeof(e->ndc11));
    e->product = product;
    e->cite = cite;
    count_fact(m, cite);
    return MT_OK;
}

/* --- classes and other facts -------------------------------------------------- */

int mdl_class_get(mdl *m, const char *type, const char *code, const char *name,
                  mdl_cite cite, mdl_ref *out)
{
    char namekey[KEY_MAX];
    size_t klen;
    const char *key;
    mdl_class *c;

    if (!type || !*type || !name || !*name)
        return MT_EINVAL;
    if (code && *code)
        key = key_printf(m, &klen, "%s|c|%s", type, code);
    else {
        mt_text_key(name, namekey, sizeof(namekey));
        key = key_printf(m, &klen, "%s|n|%s", type, namekey);
    }
    if (!key)
        return MT_ENOMEM;
    if (mt_hmap_get(&m->class_by_key, key, klen, out) == MT_OK)
        return MT_OK;
    c = VEC_PUSH(m->classes);
    if (!c)
        return MT_ENOMEM;
    c->cite = cite;
    DUP_OR_FAIL(c->type, type);
    DUP_OR_FAIL(c->code, code);
    DUP_OR_FAIL(c->name, name);
    *out = m->classes.count - 1;
    return mt_hmap_put(&m->class_by_key, key, klen, *out);
}

int mdl_drug_class_add(mdl *m, mdl_ref drug, mdl_ref cls, mdl_cite cite)
{
    mdl_drug_class *dc;
    int rc;

    if (drug >= m->drugs.count || cls >= m->classes.count)
        return MT_EINVAL;
    rc = seen_first(m, &m->pair_seen, 0, "C%u|%u|%u", drug, cls, (unsigned)cite.source);
    if (rc <= 0)
        return rc;
    dc = VEC_PUSH(m->drug_classes);
    if (!dc)
        return MT_ENOMEM;
    dc->drug = drug;
    dc->cls = cls;
    dc->cite = cite;
    count_fact(m, cite);
    return MT_OK;
}

int mdl_indication_add(mdl *m, const mdl_indication *ind)
{
    mdl_indication *n;
    if (ind->drug >= m->drugs.count || !ind->disease || !*ind->disease)
        return MT_EINVAL;
    n = VEC_PUSH(m->indications);
    if (!n)
        return MT_ENOMEM;
    n->drug = ind->drug;
    n->category = ind->category;
    n->cite = ind->cite;
    DUP_OR_FAIL(n->disease, ind->disease);
    DUP_OR_FAIL(n->disease_id, ind->disease_id);
    count_fact(m, ind->cite);
    return MT_OK;
}

int mdl_approval_add(mdl *m, const mdl_approval *a)
{
    mdl_approval *n;
    if (a->drug >= m->drugs.count)
        return MT_EINVAL;
    n = VEC_PUSH(m->approvals);
    if (!n)
        return MT_ENOMEM;
    n->drug = a->drug;
    n->cite = a->cite;
    DUP_OR_FAIL(n->appl_type, a->appl_type);
    DUP_OR_FAIL(n->appl_no, a->appl_no);
    DUP_OR_FAIL(n->product_no, a->product_no);
    DUP_OR_FAIL(n->brand, a->brand);
    DUP_OR_FAIL(n->active_ingredient, a->active_ingredient);
    DUP_OR_FAIL(n->form, a->form);
    DUP_OR_FAIL(n->strength, a->strength);
    DUP_OR_FAIL(n->marketing_status, a->marketing_status);
    DUP_OR_FAIL(n->approval_date, a->approval_date);
    DUP_OR_FAIL(n->sponsor, a->sponsor);
    count_fact(m, a->cite);
    return MT_OK;
}

int mdl_schedule_add(mdl *m, mdl_ref drug, const char *schedule, mdl_cite cite)
{
    mdl_schedule *s;
    if (drug >= m->drugs.count || !schedule || !*schedule)
        return MT_EINVAL;
    s = VEC_PUSH(m->schedules);
    if (!s)
        return MT_ENOMEM;
    s->drug = drug;
    s->cite = cite;
    DUP_OR_FAIL(s->schedule, schedule);
    count_fact(m, cite);
    return MT_OK;
}

int mdl_acb_add(mdl *m, mdl_ref drug, const char *scale, int score, mdl_cite cite)
{
    mdl_acb *a;
    if (drug >= m->drugs.count || !scale || score < 0 || score > 9)
        return MT_EINVAL;
    a = VEC_PUSH(m->acbs);
    if (!a)
        return MT_ENOMEM;
    a->drug = drug;
    a->score = (int8_t)score;
    a->cite = cite;
    DUP_OR_FAIL(a->scale, scale);
    count_fact(m, cite);
    return MT_OK;
}

int mdl_ixrule_add(mdl *m, const mdl_ixrule *r, mdl_ref *out)
{
    mdl_ixrule *n;
    if (r->severity > MT_SEV_CONTRAINDICATED || !r->kind)
        return MT_EINVAL;
    n = VEC_PUSH(m->ixrules);
    if (!n)
        return MT_ENOMEM;
    n->kind = r->kind;
    n->severity = r->severity;
    n->tier = r->tier;
    n->cite = r->cite;
    n->text_cite = r->text_cite;
    DUP_OR_FAIL(n->a_label, r->a_label);
    DUP_OR_FAIL(n->b_label, r->b_label);
    DUP_OR_FAIL(n->level, r->level);
    DUP_OR_FAIL(n->dur, r->dur);
    DUP_OR_FAIL(n->effect, r->effect);
    DUP_OR_FAIL(n->mechanism, r->mechanism);
    DUP_OR_FAIL(n->management, r->management);
    DUP_OR_FAIL(n->lang, r->lang);
    *out = m->ixrules.count - 1;
    count_fact(m, r->cite);
    return MT_OK;
}

int mdl_ixpair_add(mdl *m, mdl_ref a, mdl_ref b, mdl_ref rule)
{
    mdl_ixpair *p;
    mdl_ref lo, hi;
    int rc;

    if (a >= m->drugs.count || b >= m->drugs.count || rule >= m->ixrules.count)
        return MT_EINVAL;
    if (a == b)
        return MT_OK;
    lo = a < b ? a : b;
    hi = a < b ? b : a;
    rc = seen_first(m, &m->pair_seen, 0, "X%u|%u|%u", lo, hi, rule);
    if (rc <= 0)
        return rc;
    p = VEC_PUSH(m->ixpairs);
    if (!p)
        return MT_ENOMEM;
    p->a = lo;
    p->b = hi;
    p->rule = rule;
    return MT_OK;
}

int mdl_pill_add(mdl *m, const mdl_pill *src)
{
    mdl_pill *p;
    p = VEC_PUSH(m->pills);
    if (!p)
        return MT_ENOMEM;
    p->product = src->product;
    p->drug = src->drug;
    p->size_mm = src->size_mm;
    p->score = src->score;
    p->cite = src->cite;
    p->flags = src->flags;
    p->fill_cite = src->fill_cite;
    DUP_OR_FAIL(p->ndc11, src->ndc11);
    DUP_OR_FAIL(p->name, src->name);
    DUP_OR_FAIL(p->imprint, src->imprint);
    DUP_OR_FAIL(p->color, src->color);
    DUP_OR_FAIL(p->shape, src->shape);
    DUP_OR_FAIL(p->strength, src->strength);
    DUP_OR_FAIL(p->form, src->form);
    DUP_OR_FAIL(p->labeler, src->labeler);
    DUP_OR_FAIL(p->schedule, src->schedule);
    count_fact(m, src->cite);
    return MT_OK;
}

int mdl_doc_add(mdl *m, const mdl_doc *d, mdl_ref *out)
{
    mdl_doc *n = VEC_PUSH(m->docs);
    if (!n)
        return MT_ENOMEM;
    n->kind = d->kind;
    n->cite = d->cite;
    DUP_OR_FAIL(n->title, d->title);
    DUP_OR_FAIL(n->jurisdiction, d->jurisdiction);
    DUP_OR_FAIL(n->date, d->date);
    DUP_OR_FAIL(n->doc_id, d->doc_id);
    *out = m->docs.count - 1;
    count_fact(m, d->cite);
    return MT_OK;
}

int mdl_doc_drug_add(mdl *m, mdl_ref doc, mdl_ref drug)
{
    mdl_doc_drug *dd;
    int rc;
    if (doc >= m->docs.count || drug >= m->drugs.count)
        return MT_EINVAL;
    rc = seen_first(m, &m->pair_seen, 0, "D%u|%u", doc, drug);
    if (rc <= 0)
        return rc;
    dd = VEC_PUSH(m->doc_drugs);
    if (!dd)
        return MT_ENOMEM;
    dd->doc = doc;
    dd->drug = drug;
    return MT_OK;
}

int mdl_doc_section_add(mdl *m, mdl_ref doc, const char *code, const char *title, const char *text)
{
    mdl_doc_section *s;
    if (doc >= m->docs.count || !text || !*text)
        return MT_EINVAL;
    s = VEC_PUSH(m->doc_sections);
    if (!s)
        return MT_ENOMEM;
    s->doc = doc;
    DUP_OR_FAIL(s->code, code);
    DUP_OR_FAIL(s->title, title);
    DUP_OR_FAIL(s->text, text);
    return MT_OK;
}

int mdl_code_find(const mdl *m, const char *system, const char *code, mdl_ref *out)
{
    uint32_t i;
    if (!system || !code)
        return MT_ENOTFOUND;
    /* A few dozen entries: a scan is enough. */
    for (i = 0; i < m->codes.count; i++) {
        if (strcmp(m->codes.items[i].system, system) == 0 &&
            strcmp(m->codes.items[i].code, code) == 0) {
            *out = i;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

int mdl_code_add(mdl *m, const mdl_code *src)
{
    mdl_code *c;
    mdl_ref dummy;
    const char *system, *code, *display, *hex;
    if (!src->system || !*src->system || !src->code || !*src->code ||
        !src->display || !*src->display)
        return MT_EINVAL;
    if (mdl_code_find(m, src->system, src->code, &dummy) == MT_OK)
        return MT_OK;
    /* Copy first so that a failed copy leaves no half-filled entry behind. */
    system = mdl_dup(m, src->system);
    code = mdl_dup(m, src->code);
    display = mdl_dup(m, src->display);
    hex = mdl_dup(m, src->hex);
    if (!system || !code || !display || (src->hex && *src->hex && !hex))
        return MT_ENOMEM;
    c = VEC_PUSH(m->codes);
    if (!c)
        return MT_ENOMEM;
    c->system = system;
    c->code = code;
    c->display = display;
    c->hex = hex;
    c->cite = src->cite;
    count_fact(m, src->cite);
    return MT_OK;
}
