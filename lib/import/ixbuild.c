/*
** ixbuild.c — helpers shared by the interaction importers (ixbuild.h).
*/
#include "import/ixbuild.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/text.h"

#define NAME_KEY_MAX 512
#define JSON_MAX_BYTES (256u * 1024 * 1024)

void mt_refset_init(mt_refset *s)
{
    memset(s, 0, sizeof(*s));
}

void mt_refset_free(mt_refset *s)
{
    mt_free(s->items);
    memset(s, 0, sizeof(*s));
}

void mt_refset_clear(mt_refset *s)
{
    s->count = 0;
}

int mt_refset_has(const mt_refset *s, mdl_ref r)
{
    uint32_t i;
    for (i = 0; i < s->count; i++)
        if (s->items[i] == r)
            return 1;
    return 0;
}

int mt_refset_add(mt_refset *s, mdl_ref r)
{
    if (mt_refset_has(s, r))
        return MT_OK;
    if (s->count == s->cap) {
        uint32_t ncap = s->cap ? s->cap * 2 : 8;
        mdl_ref *grown;
        if (ncap < s->cap)
            return MT_ENOMEM;
        grown = mt_reallocarray(s->items, ncap, sizeof(*grown));
        if (!grown)
            return MT_ENOMEM;
        s->items = grown;
        s->cap = ncap;
    }
    s->items[s->count++] = r;
    return MT_OK;
}

int mt_refset_add_all(mt_refset *s, const mt_refset *from)
{
    uint32_t i;
    int rc;
    for (i = 0; i < from->count; i++)
        if ((rc = mt_refset_add(s, from->items[i])) != MT_OK)
            return rc;
    return MT_OK;
}

int mt_classidx_build(const mdl *m, mt_classidx *ci)
{
    uint32_t i;
    int rc;

    ci->count = m->classes.count;
    ci->members = ci->count ? mt_calloc(ci->count, sizeof(*ci->members)) : NULL;
    if (ci->count && !ci->members) {
        ci->count = 0;
        return MT_ENOMEM;
    }
    for (i = 0; i < m->drug_classes.count; i++) {
        const mdl_drug_class *dc = &m->drug_classes.items[i];
        if (NEVER(dc->cls >= ci->count))
            continue;
        if ((rc = mt_refset_add(&ci->members[dc->cls], dc->drug)) != MT_OK) {
            mt_classidx_free(ci);
            return rc;
        }
    }
    return MT_OK;
}

void mt_classidx_free(mt_classidx *ci)
{
    uint32_t i;
    for (i = 0; i < ci->count; i++)
        mt_refset_free(&ci->members[i]);
    mt_free(ci->members);
    memset(ci, 0, sizeof(*ci));
}

/* Name key of a class name without a trailing " [EPC]"-style type tag. */
static size_t class_key(const char *name, char *out, size_t outsz)
{
    char tmp[NAME_KEY_MAX];
    size_t len = strlen(name);
    const char *open;

    if (len && name[len - 1] == ']' && (open = strrchr(name, '[')) != NULL && open > name) {
        size_t n = (size_t)(open - name);
        if (n >= sizeof(tmp))
            n = sizeof(tmp) - 1;
        memcpy(tmp, name, n);
        tmp[n] = '\0';
        return mt_text_key(tmp, out, outsz);
    }
    return mt_text_key(name, out, outsz);
}

int mt_ix_class_find(const mdl *m, const char *type, const char *name, mdl_ref *out)
{
    char want[NAME_KEY_MAX], have[NAME_KEY_MAX];
    uint32_t i;

    if (!name || !class_key(name, want, sizeof(want)))
        return MT_ENOTFOUND;
    for (i = 0; i < m->classes.count; i++) {
        const mdl_class *c = &m->classes.items[i];
        if (type && (!c->type || strcmp(c->type, type) != 0))
            continue;
        if (!c->name)
            continue;
        class_key(c->name, have, sizeof(have));
        if (strcmp(want, have) == 0) {
            *out = i;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

/* A salt (RxNorm precise ingredient) interacts as its ingredient:
** "TRAMADOL HYDROCHLORIDE" pairs are tramadol's (mdl_drug_base). */
int mt_ix_link(mdl *m, const mt_refset *a, const mt_refset *b, mdl_ref rule, uint32_t *added)
{
    uint32_t i, j, before = m->ixpairs.count;
    int rc = MT_OK;

    for (i = 0; i < a->count && rc == MT_OK; i++)
        for (j = 0; j < b->count && rc == MT_OK; j++)
            rc = mdl_ixpair_add(m, mdl_drug_base(m, a->items[i]), mdl_drug_base(m, b->items[j]), rule);
    if (added)
        *added += m->ixpairs.count - before;
    return rc;
}

int mt_ix_find_drug(const mdl *m, const mdl_keys *keys, const char *name, mdl_ref *out)
{
    if (keys && mdl_drug_find(m, keys, out) == MT_OK)
        return MT_OK;
    if (name && *name && mdl_drug_find_name(m, name, out) == MT_OK)
        return MT_OK;
    return MT_ENOTFOUND;
}

int mt_ix_fail(mt_buf *err, int status, const char *dir, const char *name, unsigned long line,
               const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    status = mt_import_vfail(err, status, dir, name, line, fmt, ap);
    va_end(ap);
    return status;
}

void mt_ix_note(mt_import_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    if (!ctx->warn)
        return;
    va_start(ap, fmt);
    mt_buf_vprintf(ctx->warn, fmt, ap);
    va_end(ap);
}

const char *mt_ix_json_str(const json_t *obj, const char *key)
{
    const json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
    return json_is_string(v) ? json_string_value(v) : NULL;
}

int mt_ix_load_json(const char *dir, const char *name, json_t **out, mt_buf *err)
{
    mt_buf text;
    json_error_t jerr;
    json_t *root;
    int rc;

    *out = NULL;
    /* jansson keeps its default allocator: setting it is global, and other
    ** importers' allocation-failure tests do not expect jansson to fail. */
    mt_buf_init(&text, JSON_MAX_BYTES);
    rc = mt_src_read_all(dir, name, &text, err);
    if (rc != MT_OK)
        goto done;
    root = mt_import_parse_json(text.data ? text.data : "", text.len, &jerr, &rc);
    if (!root) {
        if (rc == MT_ENOMEM)
            goto done;
        rc = mt_ix_fail(err, MT_EFORMAT, dir, name, (unsigned long)(jerr.line > 0 ? jerr.line : 0),
                        "JSON error: %s", jerr.text);
        goto done;
    }
    *out = root;
done:
    mt_buf_free(&text);
    return rc;
}
