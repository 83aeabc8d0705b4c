/*
** rxnorm_json.c — importer of RxNorm as pre-joined JSON, one file per initial
** letter (rxnorm-ingredients-2025-10: manifest.json, 0-9.json, B.json ... Z.json).
**
** Each file is an array of ingredient records (TTY IN, PIN or MIN, with RxCUI
** and UNII) -> SCDCs -> SCDs (NDCs, GPCK/BPCK packs) -> SBDs (NDCs, BNs). We
** make a drug of every ingredient record, a product of every SCD, SBD, GPCK
** and BPCK (deduplicated by RxCUI, NDC-11s attached), link each product to the
** ingredient records that list it, give every precise ingredient (a salt) its
** ingredient as parent, and attach each brand name (BN) to the ingredients of
** its branded products.
**
** Three things in the data shape what is done here:
** - A MIN record lists every SCD of every one of its SCDCs, so "metformin /
**   sitagliptin" also lists metformin + glipizide tablets. A product is
**   linked to a MIN only when it has exactly the MIN's number of ingredients
**   and appears under that many of the MIN's SCDCs (docs/reference/sources.md).
** - A.json (509 ingredients) is missing from this extract (PROVENANCE): it is
**   noted and counted as skipped; RxTerms restores those ingredients.
** - Files are up to 4 MB of JSON: each is parsed, used and freed in turn.
*/
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/jsonmem.h"
#include "util/text.h"

#define RX_MAX_FILES 64

/* A PIN record's SCDC, to find the PIN's parent IN at the end. */
typedef struct pin_scdc { mdl_ref pin; uint32_t scdc; } pin_scdc;

/* A brand name seen on a branded product, attached to drugs at the end when
** every product -> ingredient link is known. */
typedef struct rx_brand {
    mdl_ref     product;
    const char *name;     /* in the state's arena */
    uint32_t    bn_rxcui, sbd_rxcui;
} rx_brand;

typedef struct rx_state {
    mt_import_ctx *ctx;
    mdl           *m;
    char           path[2400];   /* file being read, for messages */
    mt_arena       arena;        /* keys of scdc_in, brand names */
    mt_hmap        scdc_in;      /* SCDC RxCUI -> IN drug */
    pin_scdc      *pins;
    size_t         npins, cappins;
    rx_brand      *brands;
    size_t         nbrands, capbrands;
    mt_arena       rec_arena;    /* keys of per-record maps */
    mt_hmap        scd_hits;     /* per MIN record: SCD RxCUI -> SCDCs listing it */
} rx_state;

static int fail(rx_state *st, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int fail(rx_state *st, int status, const char *fmt, ...)
{
    va_list ap;
    if (!st->ctx->err)
        return status;
    mt_buf_printf(st->ctx->err, "%s: ", st->path);
    va_start(ap, fmt);
    mt_buf_vprintf(st->ctx->err, fmt, ap);
    va_end(ap);
    return status;
}

static void note(mt_import_ctx *ctx, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(mt_import_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (!ctx->warn)
        return;
    va_start(ap, fmt);
    mt_buf_vprintf(ctx->warn, fmt, ap);
    va_end(ap);
    mt_buf_putc(ctx->warn, '\n');
}

/* The path of dir/name as it exists (name.gz or name), for messages. */
static void set_path(rx_state *st, const char *name)
{
    char gz[1100];
    if (strlen(name) > 1000)
        name = "?";
    snprintf(gz, sizeof(gz), "%s.gz", name);
    snprintf(st->path, sizeof(st->path), "%s/%s", st->ctx->dir,
             mt_src_exists(st->ctx->dir, gz) ? gz : name);
}

static const char *jstr(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* An RxCUI: 1 to 10 digits, not zero, fits 32 bits. 0 when malformed. */
static uint32_t parse_rxcui(const char *s)
{
    char *end;
    unsigned long v;
    size_t n;
    if (!s)
        return 0;
    n = strlen(s);
    if (n == 0 || n > 10 || s[0] < '0' || s[0] > '9')
        return 0;
    v = strtoul(s, &end, 10);
    if (*end || v == 0 || v > UINT32_MAX)
        return 0;
    return (uint32_t)v;
}

/* The number of ingredients in an RxNorm name: parts separated by " / ". */
static unsigned count_parts(const char *name)
{
    unsigned n = 1;
    const char *p = name;
    while ((p = strstr(p, " / ")) != NULL) {
        n++;
        p += 3;
    }
    return n;
}

/* The brand at the end of a branded pack name: "{...} Pack [Z-PAK]" -> Z-PAK. */
static int pack_brand(const char *name, char *out, size_t outsz)
{
    size_t n = strlen(name);
    const char *open;
    if (n < 3 || name[n - 1] != ']')
        return 0;
    open = name + n - 1;
    while (open > name && *open != '[')
        open--;
    if (*open != '[' || (size_t)(name + n - 1 - open - 1) >= outsz || open + 1 == name + n - 1)
        return 0;
    memcpy(out, open + 1, (size_t)(name + n - 1 - open - 1));
    out[name + n - 1 - open - 1] = '\0';
    return 1;
}

static int u32_key(mt_arena *a, uint32_t v, const char **key, size_t *len)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof(tmp), "%u", v);
    *key = mt_arena_strndup(a, tmp, (size_t)n);
    *len = (size_t)n;
    return *key ? MT_OK : MT_ENOMEM;
}

static int u32_get(const mt_hmap *map, uint32_t v, uint32_t *out)
{
    char tmp[16];
    int n = snprintf(tmp, sizeof(tmp), "%u", v);
    return mt_hmap_get(map, tmp, (size_t)n, out);
}

static int push_pin(rx_state *st, mdl_ref pin, uint32_t scdc)
{
    if (st->npins == st->cappins) {
        size_t cap = st->cappins ? st->cappins * 2 : 1024;
        pin_scdc *p = mt_reallocarray(st->pins, cap, sizeof(*p));
        if (!p)
            return MT_ENOMEM;
        st->pins = p;
        st->cappins = cap;
    }
    st->pins[st->npins].pin = pin;
    st->pins[st->npins].scdc = scdc;
    st->npins++;
    return MT_OK;
}

static int push_brand(rx_state *st, mdl_ref product, const char *name, uint32_t bn, uint32_t sbd)
{
    rx_brand *b;
    if (st->nbrands == st->capbrands) {
        size_t cap = st->capbrands ? st->capbrands * 2 : 1024;
        rx_brand *p = mt_reallocarray(st->brands, cap, sizeof(*p));
        if (!p)
            return MT_ENOMEM;
        st->brands = p;
        st->capbrands = cap;
    }
    b = &st->brands[st->nbrands];
    b->product = product;
    b->bn_rxcui = bn;
    b->sbd_rxcui = sbd;
    b->name = mt_arena_strdup(&st->arena, name);
    if (!b->name)
        return MT_ENOMEM;
    st->nbrands++;
    return MT_OK;
}

/* A product object (SCD, SBD, GPCK, BPCK): created on first sight with its
** NDCs and brand, then linked to `drug` when `link` is set. */
static int do_product(rx_state *st, const json_t *obj, const char *tty, mdl_ref drug,
                      int link, const char *where, mdl_ref *out)
{
    mdl *m = st->m;
    const char *name, *otty;
    uint32_t rxcui;
    mdl_ref prod;
    int rc;

    if (!json_is_object(obj))
        return fail(st, MT_EFORMAT, "%s: a %s entry is not an object", where, tty);
    name = jstr(obj, "Name");
    rxcui = parse_rxcui(jstr(obj, "RXCUI"));
    otty = jstr(obj, "TTY");
    if (!name || !*name || !rxcui)
        return fail(st, MT_EFORMAT, "%s: %s entry without a Name and a numeric RXCUI", where, tty);
    if (otty && strcmp(otty, tty) != 0)
        return fail(st, MT_EFORMAT, "%s: RXCUI %u has TTY %s where %s was expected",
                    where, rxcui, otty, tty);

    if (mdl_product_find_rxcui(m, rxcui, &prod) != MT_OK) {
        mdl_product p;
        const json_t *ndcs, *bns;
        char brand[256];
        size_t i;

        memset(&p, 0, sizeof(p));
        p.rxcui = rxcui;
        p.tty = tty;
        p.name = name;
        p.cite = mdl_cite_make(m, st->ctx->src, "RXCUI %u", rxcui);
        bns = json_object_get(obj, "BNs");
        if (bns && !json_is_array(bns))
            return fail(st, MT_EFORMAT, "%s: BNs of RXCUI %u is not an array", where, rxcui);
        if (json_array_size(bns) > 0)
            p.brand = jstr(json_array_get(bns, 0), "Name");
        else if (strcmp(tty, "BPCK") == 0 && pack_brand(name, brand, sizeof(brand)))
            p.brand = brand;
        if ((rc = mdl_product_add(m, &p, &prod)) != MT_OK)
            return rc;
        ndcs = json_object_get(obj, "NDCs");
        if (ndcs && !json_is_array(ndcs))
            return fail(st, MT_EFORMAT, "%s: NDCs of RXCUI %u is not an array", where, rxcui);
        for (i = 0; i < json_array_size(ndcs); i++) {
            const char *ndc = json_string_value(json_array_get(ndcs, i));
            if (!ndc || strlen(ndc) != 11)
                return fail(st, MT_EFORMAT, "%s: NDC %zu of RXCUI %u is not an 11-digit string",
                            where, i + 1, rxcui);
            rc = mdl_ndc_add(m, prod, ndc, p.cite);
            if (rc == MT_EFORMAT)
                return fail(st, rc, "%s: NDC \"%s\" of RXCUI %u is not 11 digits", where, ndc, rxcui);
            if (rc != MT_OK)
                return rc;
        }
        for (i = 0; i < json_array_size(bns); i++) {
            const json_t *bn = json_array_get(bns, i);
            const char *bname = jstr(bn, "Name");
            uint32_t bcui = parse_rxcui(jstr(bn, "RXCUI"));
            if (!bname || !*bname || !bcui)
                return fail(st, MT_EFORMAT, "%s: brand %zu of RXCUI %u has no Name and RXCUI",
                            where, i + 1, rxcui);
            if ((rc = push_brand(st, prod, bname, bcui, rxcui)) != MT_OK)
                return rc;
        }
    }
    if (link && (rc = mdl_product_ing_add(m, prod, drug)) != MT_OK)
        return rc;
    if (out)
        *out = prod;
    return MT_OK;
}

static const json_t *jarray(rx_state *st, const json_t *obj, const char *key,
                            const char *where, int *rc)
{
    const json_t *v = json_object_get(obj, key);
    *rc = MT_OK;
    if (v && !json_is_array(v))
        *rc = fail(st, MT_EFORMAT, "%s: \"%s\" is not an array", where, key);
    return v;
}

/* An SCD with its SBDs and packs. */
static int do_scd(rx_state *st, const json_t *scd, mdl_ref drug, int link, const char *where)
{
    static const char *const subs[3][2] = { { "SBDs", "SBD" }, { "GPCKs", "GPCK" }, { "BPCKs", "BPCK" } };
    int rc, k;

    if ((rc = do_product(st, scd, "SCD", drug, link, where, NULL)) != MT_OK)
        return rc;
    for (k = 0; k < 3; k++) {
        const json_t *arr = jarray(st, scd, subs[k][0], where, &rc);
        size_t i;
        if (rc != MT_OK)
            return rc;
        for (i = 0; i < json_array_size(arr); i++) {
            rc = do_product(st, json_array_get(arr, i), subs[k][1], drug, link, where, NULL);
            if (rc != MT_OK)
                return rc;
        }
    }
    return MT_OK;
}

/* For a MIN record: counts, per SCD, how many of the record's SCDCs list it. */
static int count_min_hits(rx_state *st, const json_t *scdcs, const char *where)
{
    size_t i, j;
    int rc;

    mt_hmap_free(&st->scd_hits);
    mt_hmap_init(&st->scd_hits);
    mt_arena_reset(&st->rec_arena);
    for (i = 0; i < json_array_size(scdcs); i++) {
        const json_t *scds = jarray(st, json_array_get(scdcs, i), "SCDs", where, &rc);
        if (rc != MT_OK)
            return rc;
        for (j = 0; j < json_array_size(scds); j++) {
            uint32_t cui = parse_rxcui(jstr(json_array_get(scds, j), "RXCUI")), n = 0;
            const char *key;
            size_t klen;
            if (!cui)
                continue;               /* reported by do_product */
            u32_get(&st->scd_hits, cui, &n);
            if ((rc = u32_key(&st->rec_arena, cui, &key, &klen)) != MT_OK ||
                (rc = mt_hmap_put(&st->scd_hits, key, klen, n + 1)) != MT_OK)
                return rc;
        }
    }
    return MT_OK;
}

static int do_record(rx_state *st, const json_t *rec, size_t idx)
{
    mdl *m = st->m;
    mdl_source *src = &m->sources.items[st->ctx->src];
    const char *name, *tty, *unii;
    const json_t *scdcs;
    char where[128];
    uint32_t rxcui;
    mt_drug_kind kind;
    mdl_ref drug;
    unsigned parts = 1;
    size_t i, j;
    int rc;

    snprintf(where, sizeof(where), "ingredient record %zu", idx + 1);
    if (!json_is_object(rec))
        return fail(st, MT_EFORMAT, "%s is not an object", where);
    name = jstr(rec, "Name");
    tty = jstr(rec, "TTY");
    unii = jstr(rec, "UNII");
    rxcui = parse_rxcui(jstr(rec, "RXCUI"));
    if (!name || !*name || !rxcui || !tty)
        return fail(st, MT_EFORMAT, "%s has no Name, numeric RXCUI and TTY", where);
    snprintf(where, sizeof(where), "ingredient record %zu (RXCUI %u)", idx + 1, rxcui);
    if (strcmp(tty, "IN") == 0)
        kind = MT_DRUG_INGREDIENT;
    else if (strcmp(tty, "PIN") == 0)
        kind = MT_DRUG_PRECISE;
    else if (strcmp(tty, "MIN") == 0)
        kind = MT_DRUG_MULTI;
    else
        return fail(st, MT_EFORMAT, "%s: TTY \"%s\" is not IN, PIN or MIN", where, tty);
    scdcs = jarray(st, rec, "SCDCs", where, &rc);
    if (rc != MT_OK)
        return rc;

    src->rows++;
    {
        mdl_keys k;
        memset(&k, 0, sizeof(k));
        k.rxcui = rxcui;
        if (mdl_drug_find(m, &k, &drug) == MT_OK) {
            src->matched++;
        } else {
            k.unii = unii;
            rc = mdl_drug_add(m, name, kind, &k, 0, mdl_cite_make(m, st->ctx->src, "RXCUI %u", rxcui), &drug);
            if (rc != MT_OK)
                return rc;
            src->unmatched++;
        }
    }

    if (kind == MT_DRUG_MULTI) {
        parts = count_parts(name);
        if ((rc = count_min_hits(st, scdcs, where)) != MT_OK)
            return rc;
    }
    for (i = 0; i < json_array_size(scdcs); i++) {
        const json_t *scdc = json_array_get(scdcs, i), *scds;
        uint32_t scdc_cui = parse_rxcui(jstr(scdc, "RXCUI"));
        if (!json_is_object(scdc) || !scdc_cui)
            return fail(st, MT_EFORMAT, "%s: SCDC %zu has no numeric RXCUI", where, i + 1);
        if (kind == MT_DRUG_PRECISE && (rc = push_pin(st, drug, scdc_cui)) != MT_OK)
            return rc;
        if (kind == MT_DRUG_INGREDIENT) {
            uint32_t dummy;
            const char *key;
            size_t klen;
            if (u32_get(&st->scdc_in, scdc_cui, &dummy) != MT_OK &&
                ((rc = u32_key(&st->arena, scdc_cui, &key, &klen)) != MT_OK ||
                 (rc = mt_hmap_put(&st->scdc_in, key, klen, drug)) != MT_OK))
                return rc;
        }
        scds = jarray(st, scdc, "SCDs", where, &rc);
        if (rc != MT_OK)
            return rc;
        for (j = 0; j < json_array_size(scds); j++) {
            const json_t *scd = json_array_get(scds, j);
            int link = 1;
            if (kind == MT_DRUG_MULTI) {
                const char *sname = jstr(scd, "Name");
                uint32_t hits = 0;
                u32_get(&st->scd_hits, parse_rxcui(jstr(scd, "RXCUI")), &hits);
                link = sname && hits >= parts && count_parts(sname) == parts;
            }
            if ((rc = do_scd(st, scd, drug, link, where)) != MT_OK)
                return rc;
        }
    }
    return MT_OK;
}

static int do_file(rx_state *st, const char *name)
{
    mt_buf text;
    json_t *root = NULL;
    json_error_t jerr;
    size_t i;
    int rc;

    set_path(st, name);
    mt_buf_init(&text, MT_SRC_MAX_FILE);
    rc = mt_src_read_all(st->ctx->dir, name, &text, st->ctx->err);
    if (rc != MT_OK)
        goto done;
    /* a failed allocation is MT_ENOMEM, anything else a format error in jerr */
    root = mt_json_loadb(text.data, text.len, 0, &jerr, &rc);
    mt_buf_free(&text);
    if (rc == MT_EFORMAT && st->ctx->err)
        mt_buf_printf(st->ctx->err, "%s:%d: malformed JSON: %s", st->path, jerr.line, jerr.text);
    if (rc != MT_OK)
        goto done;
    if (!json_is_array(root)) {
        rc = fail(st, MT_EFORMAT, "expected an array of ingredient records");
        goto done;
    }
    for (i = 0; i < json_array_size(root); i++) {
        rc = do_record(st, json_array_get(root, i), i);
        if (rc != MT_OK)
            goto done;
    }
    rc = MT_OK;
done:
    mt_buf_free(&text);
    json_decref(root);
    return rc;
}

static int cmp_pin(const void *a, const void *b)
{
    const pin_scdc *x = a, *y = b;
    return x->pin < y->pin ? -1 : x->pin > y->pin;
}

/* Each PIN's parent: the IN whose SCDCs it shares most (every SCDC of a salt
** is also listed by its ingredient), else the IN named by its salt-stripped name. */
static int resolve_parents(rx_state *st, unsigned *unresolved)
{
    mdl *m = st->m;
    size_t i = 0, j;
    uint32_t d;

    *unresolved = 0;
    qsort(st->pins, st->npins, sizeof(*st->pins), cmp_pin);
    for (d = 0; d < m->drugs.count; d++) {
        mdl_drug *pin = &m->drugs.items[d];
        mdl_ref best = MDL_NONE;
        unsigned best_votes = 0;
        int tie = 0;
        size_t start;

        while (i < st->npins && st->pins[i].pin < d)
            i++;
        if (pin->kind != MT_DRUG_PRECISE || pin->parent != MDL_NONE ||
            pin->cite.source != st->ctx->src)
            continue;
        start = i;
        while (i < st->npins && st->pins[i].pin == d)
            i++;
        for (j = start; j < i; j++) {
            uint32_t in, votes = 0;
            size_t k;
            if (u32_get(&st->scdc_in, st->pins[j].scdc, &in) != MT_OK)
                continue;
            for (k = start; k < i; k++) {
                uint32_t other;
                if (u32_get(&st->scdc_in, st->pins[k].scdc, &other) == MT_OK && other == in)
                    votes++;
            }
            if (votes > best_votes) {
                best = in;
                best_votes = votes;
                tie = 0;
            } else if (votes == best_votes && in != best) {
                tie = 1;
            }
        }
        if (best == MDL_NONE || tie) {
            char key[512];
            size_t len = mt_text_key(pin->name, key, sizeof(key));
            mdl_ref found;
            best = MDL_NONE;
            if (mt_text_strip_salt(key) != len && mdl_drug_find_name(m, key, &found) == MT_OK &&
                m->drugs.items[found].kind == MT_DRUG_INGREDIENT)
                best = found;
        }
        if (best == MDL_NONE)
            (*unresolved)++;
        else
            m->drugs.items[d].parent = best;
    }
    return MT_OK;
}

/* Brand names onto the drugs of each branded product: the MIN first (so that
** the name finds the combination), then each ingredient (a salt's parent). */
static int attach_brands(rx_state *st)
{
    mdl *m = st->m;
    uint32_t *start = NULL, *ings = NULL, *fill = NULL;
    size_t i;
    uint32_t p, n = m->products.count;
    int rc = MT_OK;

    start = mt_calloc((size_t)n + 1, sizeof(*start));
    fill = mt_calloc((size_t)n + 1, sizeof(*fill));
    ings = mt_calloc((size_t)m->product_ings.count + 1, sizeof(*ings));
    if (!start || !fill || !ings) {
        rc = MT_ENOMEM;
        goto done;
    }
    for (i = 0; i < m->product_ings.count; i++)
        start[m->product_ings.items[i].product + 1]++;
    for (p = 0; p < n; p++)
        start[p + 1] += start[p];
    for (i = 0; i < m->product_ings.count; i++) {
        const mdl_product_ing *pi = &m->product_ings.items[i];
        ings[start[pi->product] + fill[pi->product]++] = pi->drug;
    }
    for (i = 0; i < st->nbrands; i++) {
        const rx_brand *b = &st->brands[i];
        char code[16];
        mdl_cite cite;
        int pass;
        uint32_t k;

        snprintf(code, sizeof(code), "%u", b->bn_rxcui);
        cite = mdl_cite_make(m, st->ctx->src, "BN RXCUI %u on SBD RXCUI %u", b->bn_rxcui, b->sbd_rxcui);
        for (pass = 0; pass < 2; pass++) {
            for (k = start[b->product]; k < start[b->product + 1]; k++) {
                mdl_ref d = ings[k];
                int multi = m->drugs.items[d].kind == MT_DRUG_MULTI;
                if (multi != (pass == 0))
                    continue;
                rc = mdl_name_add(m, mdl_drug_base(m, d), MT_NAME_BRAND, b->name, code, cite);
                if (rc != MT_OK)
                    goto done;
            }
        }
    }
done:
    mt_free(start);
    mt_free(fill);
    mt_free(ings);
    return rc;
}

/* The data files, from the manifest when there is one. */
static int list_files(rx_state *st, char names[][32], unsigned long counts[], size_t *nfiles)
{
    static const char *const manifests[] = { "manifest.json", "web/manifest.json" };
    static const char *const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    mt_buf text;
    json_t *root = NULL;
    json_error_t jerr;
    const char *mname = NULL;
    size_t i;
    int rc = MT_OK;

    *nfiles = 0;
    for (i = 0; i < 2; i++)
        if (mt_src_exists(st->ctx->dir, manifests[i])) {
            mname = manifests[i];
            break;
        }
    if (!mname) {
        snprintf(names[(*nfiles)], 32, "0-9");
        counts[(*nfiles)++] = 0;
        for (i = 0; letters[i]; i++) {
            snprintf(names[*nfiles], 32, "%c", letters[i]);
            counts[(*nfiles)++] = 0;
        }
        return MT_OK;
    }
    set_path(st, mname);
    mt_buf_init(&text, 1024 * 1024);
    rc = mt_src_read_all(st->ctx->dir, mname, &text, st->ctx->err);
    if (rc != MT_OK)
        goto done;
    /* a failed allocation is MT_ENOMEM, anything else a format error in jerr */
    root = mt_json_loadb(text.data, text.len, 0, &jerr, &rc);
    if (rc == MT_EFORMAT && st->ctx->err)
        mt_buf_printf(st->ctx->err, "%s:%d: malformed JSON: %s", st->path, jerr.line, jerr.text);
    if (rc != MT_OK)
        goto done;
    if (!json_is_array(root) || json_array_size(root) > RX_MAX_FILES) {
        rc = fail(st, MT_EFORMAT, "expected an array of at most %d file entries", RX_MAX_FILES);
        goto done;
    }
    for (i = 0; i < json_array_size(root); i++) {
        const json_t *e = json_array_get(root, i);
        const char *key = jstr(e, "key");
        const json_t *count = json_object_get(e, "count");
        if (!key || !*key || strlen(key) > 8 || strchr(key, '/') || strchr(key, '.') ||
            !json_is_integer(count) || json_integer_value(count) < 0) {
            rc = fail(st, MT_EFORMAT, "file entry %zu has no valid key and count", i + 1);
            goto done;
        }
        snprintf(names[*nfiles], 32, "%s", key);
        counts[(*nfiles)++] = (unsigned long)json_integer_value(count);
    }
done:
    mt_buf_free(&text);
    json_decref(root);
    return rc;
}

int mt_import_rxnorm_json(mt_import_ctx *ctx)
{
    rx_state st;
    char names[RX_MAX_FILES][32];
    unsigned long counts[RX_MAX_FILES];
    size_t nfiles = 0, f;
    unsigned unresolved = 0;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    mt_arena_init(&st.arena, 256 * 1024, 0);
    mt_arena_init(&st.rec_arena, 64 * 1024, 0);
    mt_hmap_init(&st.scdc_in);
    mt_hmap_init(&st.scd_hits);

    rc = list_files(&st, names, counts, &nfiles);
    if (rc != MT_OK)
        goto done;
    for (f = 0; f < nfiles; f++) {
        char file[64], raw[80];
        const char *use = NULL;
        uint32_t before = ctx->m->sources.items[ctx->src].rows;

        snprintf(file, sizeof(file), "%.50s.json", names[f]);
        snprintf(raw, sizeof(raw), "web/data/%.50s.json", names[f]);
        if (mt_src_exists(ctx->dir, file))
            use = file;
        else if (mt_src_exists(ctx->dir, raw))
            use = raw;
        if (!use) {
            if (strcmp(names[f], "A") == 0) {
                /* Documented in PROVENANCE: A.json did not reach the snapshot. */
                ctx->skipped += (uint32_t)counts[f];
                note(ctx, "rxnorm: A.json (%lu ingredient records per the manifest: acetaminophen, "
                     "alprazolam, atorvastatin...) is missing from this extract, as its PROVENANCE "
                     "says; RxTerms and DrugBank supply those ingredients", counts[f]);
                continue;
            }
            if (counts[f] == 0)
                continue;               /* no manifest: a letter without a file */
            set_path(&st, file);
            rc = fail(&st, MT_EIO, "listed in the manifest (%lu records) but missing", counts[f]);
            goto done;
        }
        rc = do_file(&st, use);
        if (rc != MT_OK)
            goto done;
        if (counts[f] && ctx->m->sources.items[ctx->src].rows - before != counts[f])
            note(ctx, "rxnorm: %s has %u ingredient records, the manifest says %lu", use,
                 ctx->m->sources.items[ctx->src].rows - before, counts[f]);
        if (ctx->progress)
            ctx->progress(ctx->progress_user, "RxNorm ingredient files", f + 1, nfiles);
    }
    if ((rc = resolve_parents(&st, &unresolved)) != MT_OK)
        goto done;
    if (unresolved)
        note(ctx, "rxnorm: %u precise ingredients (salts) without a parent ingredient in this extract",
             unresolved);
    rc = attach_brands(&st);
done:
    mt_hmap_free(&st.scdc_in);
    mt_hmap_free(&st.scd_hits);
    mt_arena_free(&st.arena);
    mt_arena_free(&st.rec_arena);
    mt_free(st.pins);
    mt_free(st.brands);
    return rc;
}
