/*
** pillbox_2010.c — importer of the NLM Pillbox API records of 2010, saved as
** Ruby test fixtures (pillbox-api-2010-fixtures/all_meds.yml).
**
** The file is Ruby YAML with !ruby/object tags; its records are flat, so it
** is read line by line, without a YAML library:
**   - !ruby/object:PillboxResource          a record starts
**     attributes: !map:...                  (structure)
**       SPLIMPRINT: RE16                    a field, indented 4 or 6 spaces
**       RXCUI: "312940"                     a quoted value
**     prefix_options: *id001                (structure)
** Known defect (PROVENANCE, visible in the file): in AUTHOR and
** SPL_INACTIVE_ING a '"' stands for a space ("Ranbaxy"Pharmaceuticals"Inc.").
**
** Each record with an imprint, colour or shape becomes an mdl_pill (one per
** distinct product code, imprint, colour and shape): colour and shape
** C-codes through the SPL codes (C48325 -> WHITE), SPLSIZE in mm, SPLSCORE,
** the DEA C-code as CII..CV. It is joined to an RxNorm product by RXCUI,
** then by NDC-9 (labeler-product), then to a drug by its INGREDIENTS names.
** The data is from 2010: labelers, imprints and NDCs may have changed since.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/import.h"
#include "import/pill_join.h"
#include "source/srcfile.h"
#include "util/alloc.h"

#define PB_FILE "all_meds.yml"

enum { F_PRODUCT_CODE, F_NDC9, F_SPLCOLOR, F_SPLIMPRINT, F_SPLSHAPE, F_SPLSIZE, F_SPLSCORE,
       F_RXCUI, F_RXSTRING, F_INGREDIENTS, F_SETID, F_DEA, F_AUTHOR, NFIELDS };

static const char *const FIELD_NAMES[NFIELDS] = {
    "PRODUCT_CODE", "NDC9", "SPLCOLOR", "SPLIMPRINT", "SPLSHAPE", "SPLSIZE", "SPLSCORE",
    "RXCUI", "RXSTRING", "INGREDIENTS", "SETID", "DEA_SCHEDULE_CODE", "AUTHOR"
};

typedef struct pb_state {
    mt_import_ctx *ctx;
    mt_srcfile     f;
    pj_index       ix;
    mt_buf         val[NFIELDS];
    int            have[NFIELDS];
    unsigned long  rec_line;       /* line the current record starts on, 0 = none */
    mt_arena       keys;
    mt_hmap        seen;
    mt_buf         color, shape, key;
    uint32_t       records, pills, not_pills, by_rxcui, by_ndc9, by_ingredient, none;
} pb_state;

/* For error messages: the file being read (its name until it is open). */
static const char *st_path(const pb_state *st)
{
    return st->f.path ? st->f.path : PB_FILE;
}

static const char *val(const pb_state *st, int k)
{
    return mt_buf_str(&st->val[k]);
}

/* The drug of the first INGREDIENTS name that joins ("Acetaminophen; Oxycodone"). */
static mdl_ref ingredient_drug(const mdl *m, const char *list, size_t *count)
{
    char name[256];
    mdl_ref found = MDL_NONE, d;
    *count = 0;
    while (*list) {
        size_t len = strcspn(list, ";");
        size_t s = 0, e = len;
        while (s < e && isspace((unsigned char)list[s]))
            s++;
        while (e > s && isspace((unsigned char)list[e - 1]))
            e--;
        if (e > s && e - s < sizeof(name)) {
            memcpy(name, list + s, e - s);
            name[e - s] = '\0';
            (*count)++;
            if (found == MDL_NONE && mdl_drug_find_name(m, name, &d) == MT_OK)
                found = mdl_drug_base(m, d);
        }
        list += len;
        if (*list)
            list++;
    }
    return found;
}

static int end_record(pb_state *st)
{
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    mdl_pill pill;
    char ndc9[10];
    const char *key;
    mdl_ref dummy;
    size_t ning = 0;
    uint32_t *how;
    unsigned long rxcui;
    char *end;
    int rc, k;

    if (!st->rec_line)
        return MT_OK;
    for (k = 0; k < NFIELDS; k++)
        if (!st->have[k])
            return mt_import_fail_path(st->ctx, st_path(st), st->rec_line, MT_EFORMAT, "record has no %s field", FIELD_NAMES[k]);
    src->rows++;
    st->records++;
    if (!*val(st, F_SPLIMPRINT) && !*val(st, F_SPLCOLOR) && !*val(st, F_SPLSHAPE)) {
        st->not_pills++;                    /* e.g. radiopharmaceutical capsules with no description */
        src->unmatched++;
        goto reset;
    }
    if ((rc = pj_color_text(m, val(st, F_SPLCOLOR), &st->color)) != MT_OK ||
        (rc = pj_shape_text(m, val(st, F_SPLSHAPE), &st->shape)) != MT_OK)
        return rc;

    memset(&pill, 0, sizeof(pill));
    pill.name = val(st, F_RXSTRING);
    pill.imprint = val(st, F_SPLIMPRINT);
    pill.color = mt_buf_str(&st->color);
    pill.shape = mt_buf_str(&st->shape);
    pill.size_mm = (float)strtod(val(st, F_SPLSIZE), &end);
    if (end == val(st, F_SPLSIZE) || pill.size_mm < 0 || pill.size_mm > 100)
        pill.size_mm = 0;
    pill.score = (int8_t)strtol(val(st, F_SPLSCORE), &end, 10);
    if (end == val(st, F_SPLSCORE) || pill.score < 0 || pill.score > 9)
        pill.score = 0;
    pill.labeler = val(st, F_AUTHOR);
    pill.product = pill.drug = MDL_NONE;

    how = &st->none;
    rxcui = strtoul(val(st, F_RXCUI), &end, 10);
    if (*val(st, F_RXCUI) && !*end && rxcui && rxcui <= UINT32_MAX &&
        mdl_product_find_rxcui(m, (uint32_t)rxcui, &pill.product) == MT_OK)
        how = &st->by_rxcui;
    else {
        pill.product = MDL_NONE;
        if ((pj_ndc9_normalize(val(st, F_NDC9), ndc9) == MT_OK ||
             pj_ndc9_normalize(val(st, F_PRODUCT_CODE), ndc9) == MT_OK) &&
            (pill.product = pj_product_by_ndc9(&st->ix, ndc9)) != MDL_NONE)
            how = &st->by_ndc9;
    }
    if (pill.product != MDL_NONE) {
        pill.drug = pj_product_main_drug(&st->ix, pill.product);
        pill.schedule = pj_product_schedule(&st->ix, pill.product);
    }
    if (pill.drug == MDL_NONE) {
        pill.drug = ingredient_drug(m, val(st, F_INGREDIENTS), &ning);
        if (pill.drug != MDL_NONE && how == &st->none)
            how = &st->by_ingredient;
        if (pill.drug != MDL_NONE && ning == 1 && !pill.schedule)
            pill.schedule = pj_drug_schedule(&st->ix, pill.drug);
    }
    /* The record's own DEA code is the label's word on it. */
    if (*val(st, F_DEA)) {
        const char *s = pj_schedule_from_code(val(st, F_DEA));
        if (!s)
            return mt_import_fail_path(st->ctx, st_path(st), st->rec_line, MT_EFORMAT, "unknown DEA schedule code \"%s\"", val(st, F_DEA));
        pill.schedule = s;
    }
    if (how == &st->none)
        src->unmatched++;
    else
        src->matched++;

    mt_buf_reset(&st->key);
    if ((rc = mt_buf_printf(&st->key, "%s|%s|%s|%s", val(st, F_PRODUCT_CODE), pill.imprint,
                            pill.color, pill.shape)) != MT_OK)
        return rc;
    if (mt_hmap_get(&st->seen, st->key.data, st->key.len, &dummy) == MT_OK)
        goto reset;
    key = mt_arena_strndup(&st->keys, st->key.data, st->key.len);
    if (!key || mt_hmap_put(&st->seen, key, st->key.len, 1) != MT_OK)
        return MT_ENOMEM;
    (*how)++;
    st->pills++;
    pill.cite = mdl_cite_make(m, ctx->src, "%s line %lu (PRODUCT_CODE %s)", PB_FILE, st->rec_line,
                              val(st, F_PRODUCT_CODE));
    if ((rc = mdl_pill_add(m, &pill)) != MT_OK)
        return rc;
reset:
    for (k = 0; k < NFIELDS; k++) {
        mt_buf_reset(&st->val[k]);
        st->have[k] = 0;
    }
    st->rec_line = 0;
    return MT_OK;
}

/* Stores one "KEY: value" line of the current record. */
static int field(pb_state *st, const char *key, size_t klen, const char *v)
{
    size_t len = strlen(v), i;
    int k, quoted, rc = MT_OK;
    mt_buf *b;

    for (k = 0; k < NFIELDS; k++)
        if (strlen(FIELD_NAMES[k]) == klen && strncmp(FIELD_NAMES[k], key, klen) == 0)
            break;
    if (k == NFIELDS)
        return MT_OK;                       /* SPL_ID, RXTTY, HAS_IMAGE, image_id, ... */
    while (len && isspace((unsigned char)v[len - 1]))
        len--;
    quoted = len >= 2 && v[0] == '"' && v[len - 1] == '"';
    if (quoted) {
        v++;
        len -= 2;
    }
    b = &st->val[k];
    mt_buf_reset(b);
    for (i = 0; i < len && rc == MT_OK; i++)
        /* In an unquoted value a '"' stands for a space (PROVENANCE). */
        rc = mt_buf_putc(b, !quoted && v[i] == '"' ? ' ' : v[i]);
    if (rc == MT_OK)
        rc = mt_buf_append(b, "", 0);
    /* trailing space of "Sodium Iodide ... CAPSULE) " */
    while (rc == MT_OK && b->len && b->data[b->len - 1] == ' ')
        b->data[--b->len] = '\0';
    st->have[k] = 1;
    return rc;
}

static int parse(pb_state *st)
{
    char *line;
    size_t len;
    int rc;

    while ((rc = mt_src_getline(&st->f, &line, &len)) == MT_OK) {
        size_t indent = strspn(line, " ");
        const char *p = line + indent;
        size_t klen;
        if (!*p || strcmp(p, "---") == 0 || strncmp(p, "--- ", 4) == 0)
            continue;
        if (strncmp(p, "- !ruby/object:PillboxResource", 30) == 0) {
            if ((rc = end_record(st)) != MT_OK)
                return rc;
            st->rec_line = st->f.line;
            continue;
        }
        klen = strspn(p, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_");
        if (!klen || p[klen] != ':' || (p[klen + 1] != ' ' && p[klen + 1] != '\0'))
            return mt_import_fail_path(st->ctx, st_path(st), st->f.line, MT_EFORMAT, "expected \"KEY: value\" or a record start");
        if ((klen == 10 && strncmp(p, "attributes", 10) == 0) ||
            (klen == 14 && strncmp(p, "prefix_options", 14) == 0))
            continue;
        if (!st->rec_line)
            return mt_import_fail_path(st->ctx, st_path(st), st->f.line, MT_EFORMAT, "field outside a record");
        if ((rc = field(st, p, klen, p[klen + 1] ? p + klen + 2 : "")) != MT_OK)
            return rc;
    }
    if (rc != MT_ENOTFOUND)
        return rc;
    return end_record(st);
}

int mt_import_pillbox_2010(mt_import_ctx *ctx)
{
    pb_state st;
    int rc, k;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    for (k = 0; k < NFIELDS; k++)
        mt_buf_init(&st.val[k], 64 * 1024);
    mt_buf_init(&st.color, 256);
    mt_buf_init(&st.shape, 256);
    mt_buf_init(&st.key, 8192);
    mt_arena_init(&st.keys, 64 * 1024, 0);
    mt_hmap_init(&st.seen);
    if ((rc = pj_index_build(&st.ix, ctx->m)) != MT_OK)
        goto done;
    if ((rc = mt_src_open(&st.f, ctx->dir, PB_FILE, ctx->err)) != MT_OK)
        goto done;
    rc = parse(&st);
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "pillbox-2010: %u records, %u pills (joined by RxCUI %u, by NDC-9 %u, "
                      "by ingredient name %u, not joined %u), %u records without a description\n",
                      st.records, st.pills, st.by_rxcui, st.by_ndc9, st.by_ingredient, st.none, st.not_pills);
done:
    mt_src_close(&st.f);
    pj_index_free(&st.ix);
    for (k = 0; k < NFIELDS; k++)
        mt_buf_free(&st.val[k]);
    mt_buf_free(&st.color);
    mt_buf_free(&st.shape);
    mt_buf_free(&st.key);
    mt_arena_free(&st.keys);
    mt_hmap_free(&st.seen);
    return rc;
}
