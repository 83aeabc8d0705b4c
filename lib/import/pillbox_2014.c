/*
** pillbox_2014.c — importer of the retired NLM Pillbox 2014 indexes
** (pillbox-2014-indexes: author.json, color.json, spl_ingredients.csv), a
** low-confidence fallback: the main Pillbox table (imprint, shape, size) is
** missing upstream, so nothing here makes a pill.
**
** author.json and color.json map a labeler / an SPL colour list to
** "spl-id"s, setid-LABELER-PRODUCT-PART; spl_ingredients.csv gives the
** strengths of each product code. Keyed by the product's NDC-9
** (labeler-product), they fill, on pills read before whose NDC-11 has that
** NDC-9 and only where the pill has none:
**   labeler   (MDL_PILLF_LABELER_FILLED)
**   colour    (MDL_PILLF_COLOR_FILLED)
**   strength  (MDL_PILLF_STRENGTH_FILLED; single-part products only)
** with fill_cite naming the spl-id and the files. The index is from March
** 2014: a labeler may have been renamed or bought since. An spl-id whose
** product code is not an NDC ("0019-N601", radiopharmaceuticals) joins
** nothing and is counted unmatched.
*/
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/pill_join.h"
#include "source/srcfile.h"
#include "util/alloc.h"

#define AUTHOR_FILE "author.json"
#define COLOR_FILE  "color.json"
#define INGR_FILE   "spl_ingredients.csv"
#define JSON_MAX    (256u * 1024 * 1024)

/* What the indexes say about one product (NDC-9). */
typedef struct pb_product {
    const char *labeler, *labeler_id;    /* author and its spl-id */
    const char *colors, *color_id;       /* SPL colour codes and spl-id */
    mt_buf      strength;
    unsigned long strength_line;
    int         parts;                   /* 1 = one part seen; 2 = more (no strength) */
    char        part[8];
} pb_product;

typedef struct pb_state {
    mt_import_ctx *ctx;
    mt_arena       arena;        /* keys and strings */
    mt_hmap        by_ndc9;      /* NDC-9 -> index in prods */
    mt_hmap        pill_ndc9;    /* NDC-9 of the pills -> 1 */
    pb_product    *prods;
    uint32_t       nprods, capprods;
    int            ingr_header;
    uint32_t       labelers, colors, strengths, not_ndc, conflicts;
} pb_state;

static void count_row(pb_state *st, const char *ndc9)
{
    mdl_source *src = &st->ctx->m->sources.items[st->ctx->src];
    mdl_ref dummy;
    src->rows++;
    if (ndc9 && mt_hmap_get(&st->pill_ndc9, ndc9, 9, &dummy) == MT_OK)
        src->matched++;
    else
        src->unmatched++;
}

/* The product record of an NDC-9, created on first use. */
static pb_product *product(pb_state *st, const char *ndc9)
{
    mdl_ref i;
    const char *key;
    if (mt_hmap_get(&st->by_ndc9, ndc9, 9, &i) == MT_OK)
        return &st->prods[i];
    if (st->nprods == st->capprods) {
        uint32_t cap = st->capprods ? st->capprods * 2 : 4096;
        pb_product *grown = mt_reallocarray(st->prods, cap, sizeof(*grown));
        if (!grown)
            return NULL;
        st->prods = grown;
        st->capprods = cap;
    }
    key = mt_arena_strndup(&st->arena, ndc9, 9);
    if (!key || mt_hmap_put(&st->by_ndc9, key, 9, st->nprods) != MT_OK)
        return NULL;
    memset(&st->prods[st->nprods], 0, sizeof(pb_product));
    mt_buf_init(&st->prods[st->nprods].strength, 4096);
    return &st->prods[st->nprods++];
}

/* "22a5e838-...-913b-17033-112-0" -> NDC-9 of "17033-112". Set ids are not
** always 36 characters ("ADB54FE50FCC4A01AFC64AA3D3DB45BB", "Le72300d9-..."),
** so the code is read from the right. */
static int spl_id_ndc9(const char *id, char ndc9[10])
{
    const char *end = id + strlen(id), *p, *cuts[3];
    char code[16];
    int n = 0;
    for (p = end; p > id && n < 3; p--)
        if (p[-1] == '-')
            cuts[n++] = p - 1;
    if (n < 3 || (size_t)(cuts[0] - cuts[2] - 1) >= sizeof(code))
        return MT_EFORMAT;
    memcpy(code, cuts[2] + 1, (size_t)(cuts[0] - cuts[2] - 1));
    code[cuts[0] - cuts[2] - 1] = '\0';
    return pj_ndc9_normalize(code, ndc9);
}

/* Reads author.json or color.json: [{"author"|"color": ..., "count": n, "spl-id": [...]}]. */
static int read_index(pb_state *st, const char *file, const char *field)
{
    mt_buf raw;
    json_t *root = NULL;
    json_error_t jerr;
    size_t i, j;
    int rc;

    mt_buf_init(&raw, JSON_MAX);
    rc = mt_src_read_all(st->ctx->dir, file, &raw, st->ctx->err);
    if (rc != MT_OK)
        goto done;
    root = mt_import_parse_json(mt_buf_str(&raw), raw.len, &jerr, &rc);
    if (!root) {
        if (rc == MT_EFORMAT)
            rc = mt_import_fail(st->ctx, file, (unsigned long)(jerr.line > 0 ? jerr.line : 0), MT_EFORMAT, "invalid JSON: %s", jerr.text);
        goto done;
    }
    if (!json_is_array(root)) {
        rc = mt_import_fail(st->ctx, file, 1, MT_EFORMAT, "expected an array of {\"%s\", \"spl-id\"} objects", field);
        goto done;
    }
    for (i = 0; i < json_array_size(root) && rc == MT_OK; i++) {
        json_t *e = json_array_get(root, i), *ids = json_object_get(e, "spl-id");
        const char *value = json_string_value(json_object_get(e, field));
        const char *vcopy = NULL;
        if (!value || !json_is_array(ids)) {
            rc = mt_import_fail(st->ctx, file, 1, MT_EFORMAT, "entry %zu has no \"%s\" string or \"spl-id\" array", i + 1, field);
            break;
        }
        if (!*value)
            continue;                    /* the empty bucket */
        for (j = 0; j < json_array_size(ids) && rc == MT_OK; j++) {
            const char *id = json_string_value(json_array_get(ids, j));
            char ndc9[10];
            pb_product *p;
            if (!id) {
                rc = mt_import_fail(st->ctx, file, 1, MT_EFORMAT, "entry %zu: spl-id %zu is not a string", i + 1, j + 1);
                break;
            }
            if (spl_id_ndc9(id, ndc9) != MT_OK) {
                st->not_ndc++;
                count_row(st, NULL);
                continue;
            }
            count_row(st, ndc9);
            if (!(p = product(st, ndc9)) || (!vcopy && !(vcopy = mt_arena_strdup(&st->arena, value)))) {
                rc = MT_ENOMEM;
                break;
            }
            if (field[0] == 'a') {
                if (!p->labeler) {
                    p->labeler = vcopy;
                    if (!(p->labeler_id = mt_arena_strdup(&st->arena, id)))
                        rc = MT_ENOMEM;
                } else if (strcmp(p->labeler, vcopy) != 0)
                    st->conflicts++;     /* two labels of one product code: the first is kept */
            } else if (!p->colors) {
                p->colors = vcopy;
                if (!(p->color_id = mt_arena_strdup(&st->arena, id)))
                    rc = MT_ENOMEM;
            }
        }
    }
done:
    json_decref(root);
    mt_buf_free(&raw);
    return rc;
}

static int on_ingredient(void *user, char **f, size_t n, unsigned long line)
{
    pb_state *st = user;
    pb_product *p;
    char ndc9[10];
    int rc = MT_OK;

    if (!st->ingr_header) {
        st->ingr_header = 1;
        if (n != 8 || strcmp(f[0], "product_code") != 0)
            return mt_import_fail(st->ctx, INGR_FILE, line, MT_EFORMAT, "expected the header product_code, setid, part_num, "
                        "numerator_value, numerator_unit, denominator_value, denominator_unit, base_of_strength");
        return MT_OK;
    }
    if (n != 8)
        return mt_import_fail(st->ctx, INGR_FILE, line, MT_EFORMAT, "expected 8 fields, got %zu", n);
    if (pj_ndc9_normalize(f[0], ndc9) != MT_OK) {
        st->not_ndc++;
        count_row(st, NULL);
        return MT_OK;
    }
    count_row(st, ndc9);
    if (!(p = product(st, ndc9)))
        return MT_ENOMEM;
    if (!p->parts) {
        p->parts = 1;
        snprintf(p->part, sizeof(p->part), "%s", f[2]);
        p->strength_line = line;
    } else if (strcmp(p->part, f[2]) != 0)
        p->parts = 2;                    /* a kit: no single strength */
    if (!*f[3])
        return MT_OK;
    if (p->strength.len)
        rc = mt_buf_puts(&p->strength, " / ");
    if (rc == MT_OK)
        rc = mt_buf_printf(&p->strength, "%s %s", f[3], f[4]);
    if (rc == MT_OK && *f[5] && *f[6])
        rc = mt_buf_printf(&p->strength, "/%s%s%s", strcmp(f[5], "1") ? f[5] : "", strcmp(f[5], "1") ? " " : "", f[6]);
    return rc;
}

/* Fills the pills' missing fields from the product records. */
static int fill(pb_state *st)
{
    mdl *m = st->ctx->m;
    mt_buf rec, color;
    uint32_t i;
    int rc = MT_OK;

    mt_buf_init(&rec, 4096);
    mt_buf_init(&color, 256);
    for (i = 0; i < m->pills.count && rc == MT_OK; i++) {
        mdl_pill *pill = &m->pills.items[i];
        const pb_product *p;
        mdl_ref pi;
        uint8_t filled = 0;
        if (!pill->ndc11 || strlen(pill->ndc11) != 11 || mt_hmap_get(&st->by_ndc9, pill->ndc11, 9, &pi) != MT_OK)
            continue;
        p = &st->prods[pi];
        mt_buf_reset(&rec);
        if (!pill->labeler && p->labeler) {
            pill->labeler = mt_arena_strdup(&m->arena, p->labeler);
            filled |= MDL_PILLF_LABELER_FILLED;
            st->labelers++;
            rc = mt_buf_printf(&rec, "spl-id %s (%s)", p->labeler_id, AUTHOR_FILE);
        }
        if (rc == MT_OK && (!pill->color || !*pill->color) && p->colors) {
            rc = pj_color_text(m, p->colors, &color);
            if (rc == MT_OK && color.len) {
                pill->color = mt_arena_strdup(&m->arena, color.data);
                filled |= MDL_PILLF_COLOR_FILLED;
                st->colors++;
                rc = mt_buf_printf(&rec, "%sspl-id %s (%s)", rec.len ? "; " : "", p->color_id, COLOR_FILE);
            }
        }
        if (rc == MT_OK && !pill->strength && p->parts == 1 && p->strength.len) {
            pill->strength = mt_arena_strdup(&m->arena, p->strength.data);
            filled |= MDL_PILLF_STRENGTH_FILLED;
            st->strengths++;
            rc = mt_buf_printf(&rec, "%s%s line %lu", rec.len ? "; " : "", INGR_FILE, p->strength_line);
        }
        if (rc == MT_OK && filled) {
            if ((filled & MDL_PILLF_LABELER_FILLED && !pill->labeler) ||
                (filled & MDL_PILLF_COLOR_FILLED && !pill->color) ||
                (filled & MDL_PILLF_STRENGTH_FILLED && !pill->strength)) {
                rc = MT_ENOMEM;
                break;
            }
            pill->flags |= filled;
            pill->fill_cite = mdl_cite_make(m, st->ctx->src, "%s", rec.data);
            m->sources.items[st->ctx->src].facts++;
        }
    }
    mt_buf_free(&rec);
    mt_buf_free(&color);
    return rc;
}

int mt_import_pillbox_2014(mt_import_ctx *ctx)
{
    pb_state st;
    uint32_t i;
    int rc = MT_OK;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_arena_init(&st.arena, 1024 * 1024, 0);
    mt_hmap_init(&st.by_ndc9);
    mt_hmap_init(&st.pill_ndc9);
    /* The pills' NDC-9s, to count which index rows concern a pill. */
    for (i = 0; i < ctx->m->pills.count && rc == MT_OK; i++) {
        const char *ndc = ctx->m->pills.items[i].ndc11;
        mdl_ref dummy;
        const char *key;
        if (!ndc || strlen(ndc) != 11 || mt_hmap_get(&st.pill_ndc9, ndc, 9, &dummy) == MT_OK)
            continue;
        key = mt_arena_strndup(&st.arena, ndc, 9);
        rc = key ? mt_hmap_put(&st.pill_ndc9, key, 9, 1) : MT_ENOMEM;
    }
    if (rc == MT_OK)
        rc = read_index(&st, AUTHOR_FILE, "author");
    if (rc == MT_OK)
        rc = read_index(&st, COLOR_FILE, "color");
    if (rc == MT_OK)
        rc = mt_csv_read(ctx->dir, INGR_FILE, ',', '"', on_ingredient, &st, ctx->err);
    if (rc == MT_OK)
        rc = fill(&st);
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "pillbox-2014: %u product codes; filled on pills: labeler %u, colour %u, "
                      "strength %u; %u rows with a product code that is not an NDC; %u products with two labelers\n",
                      st.nprods, st.labelers, st.colors, st.strengths, st.not_ndc, st.conflicts);
    for (i = 0; i < st.nprods; i++)
        mt_buf_free(&st.prods[i].strength);
    mt_free(st.prods);
    mt_hmap_free(&st.by_ndc9);
    mt_hmap_free(&st.pill_ndc9);
    mt_arena_free(&st.arena);
    return rc;
}
