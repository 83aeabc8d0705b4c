/*
** ixindex.c — the interaction engine's knowledge-base sections (ixindex.h):
** built from the model at `materia build`, checked at open, read by the
** checker.
*/
#include "interact/ixindex.h"

#include <stdlib.h>
#include <string.h>

#include "util/alloc.h"
#include "util/text.h"

/* --- what classes and non-drugs mean to the checker ---------------------------- */

/* The ANSM classes whose members add up, by name key (accents and case
** folded). The thesaurus names each as a protagonist of its own rules
** ("MÉDICAMENTS SÉDATIFS" + "AUTRES MÉDICAMENTS SÉDATIFS"); membership comes
** from its substance index. */
static const struct { const char *key; uint32_t effect; } ansm_effects[] = {
    { "medicaments sedatifs", IX_EFFECT_SEDATIVE },
    { "medicaments a l origine d un syndrome serotoninergique", IX_EFFECT_SEROTONERGIC },
    { "substances susceptibles de donner des torsades de pointes", IX_EFFECT_TORSADOGENIC },
};

static uint32_t role_of(const char *type, const char *name)
{
    char key[160];
    size_t i;
    if (!type)
        return 0;
    if (strcmp(type, "EPC") == 0)
        return IX_ROLE_EPC;
    if (strcmp(type, "ANSM") != 0 || !name)
        return 0;
    mt_text_key(name, key, sizeof(key));
    for (i = 0; i < sizeof(ansm_effects) / sizeof(ansm_effects[0]); i++)
        if (strcmp(key, ansm_effects[i].key) == 0)
            return ansm_effects[i].effect << 8;
    return 0;
}

/* The non-drug vocabulary tags its interactants "materia:<id>" (nondrugs.h).
** Alcohol is an alcohol conflict (OH), tobacco is tobacco use (DS), grapefruit
** and caffeine are foods and drinks (DF). St John's wort and nicotine are
** taken as drugs (DD). */
static uint32_t dur_of_ident(const char *value)
{
    static const struct { const char *id; uint32_t dur; } tags[] = {
        { "materia:alcohol", IX_DUR_OH }, { "materia:tobacco", IX_DUR_DS },
        { "materia:grapefruit", IX_DUR_DF }, { "materia:caffeine", IX_DUR_DF },
    };
    size_t i;
    if (!value || strncmp(value, "materia:", 8) != 0)
        return IX_DUR_NONE;
    for (i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
        if (strcmp(value, tags[i].id) == 0)
            return tags[i].dur;
    return IX_DUR_NONE;
}

const char *mt_ix_effect_name(uint32_t effect)
{
    static const char *const names[] = { NULL, "sedative", "serotonergic", "torsadogenic" };
    return effect < IX_EFFECT_COUNT ? names[effect] : NULL;
}

const char *mt_ix_dur_name(uint32_t dur)
{
    static const char *const names[] = { NULL, "OH", "DS", "DF" };
    return dur < IX_DUR_COUNT ? names[dur] : NULL;
}

/* --- writing ---------------------------------------------------------------- */

/* Per drug, the sources of the rules that touch it: built by marking
** (drug, source) pairs in a bitmap of drugs x sources. A model has tens of
** sources and tens of thousands of drugs, so the bitmap is a few hundred
** kilobytes of scratch. */
static int write_drug_sources(mt_kbw_ctx *ctx)
{
    const mdl *m = ctx->m;
    uint32_t nd = m->drugs.count, ns = m->sources.count, i, s, total = 0;
    size_t words = ((size_t)ns + 63) / 64;
    uint64_t *bits;
    kb_range *ranges;
    uint32_t *list;
    int rc;

    size_t nbits = (size_t)nd * words;

    bits = mt_arena_calloc(ctx->scratch, nbits > 0 ? nbits : 1, sizeof(uint64_t));
    ranges = mt_arena_calloc(ctx->scratch, nd ? nd : 1, sizeof(kb_range));
    if (!bits || !ranges)
        return MT_ENOMEM;
    for (i = 0; i < m->ixpairs.count; i++) {
        const mdl_ixpair *p = &m->ixpairs.items[i];
        uint32_t src;
        if (NEVER(p->rule >= m->ixrules.count || p->a >= nd || p->b >= nd))
            continue;
        src = m->ixrules.items[p->rule].cite.source;
        if (NEVER(src >= ns))
            continue;
        bits[(size_t)p->a * words + src / 64] |= UINT64_C(1) << (src % 64);
        bits[(size_t)p->b * words + src / 64] |= UINT64_C(1) << (src % 64);
    }
    for (i = 0; i < nd; i++) {
        ranges[i].first = total;
        for (s = 0; s < ns; s++)
            if (bits[(size_t)i * words + s / 64] & (UINT64_C(1) << (s % 64)))
                ranges[i].count++;
        total += ranges[i].count;
    }
    list = mt_arena_calloc(ctx->scratch, total ? total : 1, sizeof(uint32_t));
    if (!list)
        return MT_ENOMEM;
    for (i = 0; i < nd; i++) {
        uint32_t k = ranges[i].first;
        for (s = 0; s < ns; s++)
            if (bits[(size_t)i * words + s / 64] & (UINT64_C(1) << (s % 64)))
                list[k++] = mt_kbw_ctx_pos(ctx, KB_T_SOURCES, s);
    }
    rc = mt_kbw_add(ctx->w, IX_SEC_DRUG_SOURCES, sizeof(kb_range), ranges, (uint64_t)nd * sizeof(kb_range));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, IX_SEC_SOURCE_LIST, sizeof(uint32_t), list, (uint64_t)total * sizeof(uint32_t));
    return rc;
}

static int cmp_key_u32(const void *a, const void *b)
{
    const kb_key_u32 *x = a, *y = b;
    if (x->key != y->key)
        return x->key < y->key ? -1 : 1;
    return x->drug < y->drug ? -1 : x->drug > y->drug;
}

static int write_product_rxcui(mt_kbw_ctx *ctx)
{
    const mdl *m = ctx->m;
    uint32_t i, n = 0, out = 0;
    kb_key_u32 *keys = mt_arena_calloc(ctx->scratch, m->products.count ? m->products.count : 1,
                                       sizeof(kb_key_u32));
    if (!keys)
        return MT_ENOMEM;
    for (i = 0; i < m->products.count; i++) {
        if (m->products.items[i].rxcui == 0)
            continue;
        keys[n].key = m->products.items[i].rxcui;
        keys[n].drug = mt_kbw_ctx_pos(ctx, KB_T_PRODUCTS, i);
        n++;
    }
    qsort(keys, n, sizeof(*keys), cmp_key_u32);
    /* The model keeps one product per RxCUI; should two ever share one, the
    ** first (lowest product index) stands for it. */
    for (i = 0; i < n; i++)
        if (out == 0 || keys[out - 1].key != keys[i].key)
            keys[out++] = keys[i];
    return mt_kbw_add(ctx->w, IX_SEC_PRODUCT_RXCUI, sizeof(kb_key_u32), keys,
                      (uint64_t)out * sizeof(kb_key_u32));
}

static int write_roles(mt_kbw_ctx *ctx)
{
    const mdl *m = ctx->m;
    uint32_t i, nc = m->classes.count, nd = m->drugs.count;
    uint32_t *role = mt_arena_calloc(ctx->scratch, nc ? nc : 1, sizeof(uint32_t));
    uint32_t *dur = mt_arena_calloc(ctx->scratch, nd ? nd : 1, sizeof(uint32_t));
    int rc;

    if (!role || !dur)
        return MT_ENOMEM;
    for (i = 0; i < nc; i++)
        role[mt_kbw_ctx_pos(ctx, KB_T_CLASSES, i)] = role_of(m->classes.items[i].type, m->classes.items[i].name);
    for (i = 0; i < m->idents.count; i++) {
        const mdl_ident *id = &m->idents.items[i];
        uint32_t d = dur_of_ident(id->type == MT_ID_OTHER ? id->value : NULL);
        if (d && ALWAYS(id->drug < nd))
            dur[mt_kbw_ctx_pos(ctx, KB_T_DRUGS, id->drug)] = d;
    }
    rc = mt_kbw_add(ctx->w, IX_SEC_CLASS_ROLE, sizeof(uint32_t), role, (uint64_t)nc * sizeof(uint32_t));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, IX_SEC_DRUG_DUR, sizeof(uint32_t), dur, (uint64_t)nd * sizeof(uint32_t));
    return rc;
}

/* Memberships in classes with a role, grouped by drug (counting sort by the
** drug's file position, stable: model order within a drug). */
static int write_role_members(mt_kbw_ctx *ctx)
{
    const mdl *m = ctx->m;
    uint32_t nd = m->drugs.count, i, total = 0;
    kb_range *ranges = mt_arena_calloc(ctx->scratch, nd ? nd : 1, sizeof(kb_range));
    uint8_t *keep = mt_arena_calloc(ctx->scratch, m->drug_classes.count ? m->drug_classes.count : 1, 1);
    kb_drug_class *out;
    uint32_t *fill;
    int rc;

    if (!ranges || !keep)
        return MT_ENOMEM;
    for (i = 0; i < m->drug_classes.count; i++) {
        const mdl_drug_class *dc = &m->drug_classes.items[i];
        const mdl_class *cl;
        if (NEVER(dc->drug >= nd || dc->cls >= m->classes.count))
            continue;
        cl = &m->classes.items[dc->cls];
        if (!role_of(cl->type, cl->name))
            continue;
        keep[i] = 1;
        ranges[mt_kbw_ctx_pos(ctx, KB_T_DRUGS, dc->drug)].count++;
        total++;
    }
    for (i = 0, total = 0; i < nd; i++) {
        ranges[i].first = total;
        total += ranges[i].count;
    }
    out = mt_arena_calloc(ctx->scratch, total ? total : 1, sizeof(kb_drug_class));
    fill = mt_arena_calloc(ctx->scratch, nd ? nd : 1, sizeof(uint32_t));
    if (!out || !fill)
        return MT_ENOMEM;
    for (i = 0; i < m->drug_classes.count; i++) {
        const mdl_drug_class *dc = &m->drug_classes.items[i];
        uint32_t d, at;
        if (!keep[i])
            continue;
        d = mt_kbw_ctx_pos(ctx, KB_T_DRUGS, dc->drug);
        at = ranges[d].first + fill[d]++;
        out[at].drug = d;
        out[at].cls = mt_kbw_ctx_pos(ctx, KB_T_CLASSES, dc->cls);
        out[at].cite.source = (uint16_t)mt_kbw_ctx_pos(ctx, KB_T_SOURCES, dc->cite.source);
        out[at].cite.reserved = 0;
        if ((rc = mt_kbw_ctx_str(ctx, dc->cite.record, &out[at].cite.record)) != MT_OK)
            return rc;
    }
    rc = mt_kbw_add(ctx->w, IX_SEC_DRUG_ROLES, sizeof(kb_range), ranges, (uint64_t)nd * sizeof(kb_range));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, IX_SEC_ROLE_MEMBERS, sizeof(kb_drug_class), out,
                        (uint64_t)total * sizeof(kb_drug_class));
    return rc;
}

int mt_interact_kb_sections(mt_kbw_ctx *ctx)
{
    int rc = write_drug_sources(ctx);
    if (rc == MT_OK)
        rc = write_product_rxcui(ctx);
    if (rc == MT_OK)
        rc = write_roles(ctx);
    if (rc == MT_OK)
        rc = write_role_members(ctx);
    if (rc != MT_OK && ctx->err)
        mt_buf_printf(ctx->err, "interaction sections: %s", mt_strerror(rc));
    return rc;
}

/* --- validation ------------------------------------------------------------------ */

static const mt_kb_field f_drug_sources[] = {
    { KB_F_RANGE, 0, IX_SEC_SOURCE_LIST, 0, "sources" }
};
static const mt_kb_field f_source_list[] = {
    { KB_F_REF, 0, KB_SEC_SOURCES, 0, "source" }
};
static const mt_kb_field f_product_rxcui[] = {
    { KB_F_REF, offsetof(kb_key_u32, drug), KB_SEC_PRODUCTS, 0, "product" }
};
static const mt_kb_field f_drug_roles[] = {
    { KB_F_RANGE, 0, IX_SEC_ROLE_MEMBERS, offsetof(kb_drug_class, drug) + 1, "members" }
};
static const mt_kb_field f_role_members[] = {
    { KB_F_REF, offsetof(kb_drug_class, drug), KB_SEC_DRUGS, 0, "drug" },
    { KB_F_REF, offsetof(kb_drug_class, cls), KB_SEC_CLASSES, 0, "cls" },
    { KB_F_CITE, offsetof(kb_drug_class, cite), 0, 0, "cite" }
};
static const mt_kb_table t_drug_roles = {
    "ix_drug_roles", IX_SEC_DRUG_ROLES, sizeof(kb_range), 0, f_drug_roles, 1
};
static const mt_kb_table t_role_members = {
    "ix_role_members", IX_SEC_ROLE_MEMBERS, sizeof(kb_drug_class), 0, f_role_members, 3
};
static const mt_kb_table t_drug_sources = {
    "ix_drug_sources", IX_SEC_DRUG_SOURCES, sizeof(kb_range), 0, f_drug_sources, 1
};
static const mt_kb_table t_source_list = {
    "ix_source_list", IX_SEC_SOURCE_LIST, sizeof(uint32_t), 0, f_source_list, 1
};
static const mt_kb_table t_product_rxcui = {
    "ix_product_rxcui", IX_SEC_PRODUCT_RXCUI, sizeof(kb_key_u32), KB_TF_SORTED_U32, f_product_rxcui, 1
};

static int role_ok(uint32_t v)
{
    return (v & ~(IX_ROLE_EPC | 0xff00u)) == 0 && (v >> 8) < IX_EFFECT_COUNT;
}

static int dur_ok(uint32_t v)
{
    return v < IX_DUR_COUNT;
}

/* A uint32 per record of core table `table`, each value accepted by ok(). */
static int check_u32s(const mt_kb *kb, uint32_t sec, const char *name, int table,
                      int (*ok)(uint32_t), mt_buf *why)
{
    const void *data;
    const uint32_t *v;
    uint32_t n, i;
    int rc = mt_kb_section(kb, sec, sizeof(uint32_t), &data, &n);
    if (rc == MT_ENOTFOUND)
        return MT_OK;
    if (rc != MT_OK || n != mt_kb_count(kb, table)) {
        if (why)
            mt_buf_printf(why, "table %s: %u records for %u", name, n, mt_kb_count(kb, table));
        return MT_ECORRUPT;
    }
    v = data;
    for (i = 0; i < n; i++) {
        if (!ok(v[i])) {
            if (why)
                mt_buf_printf(why, "table %s record %u: value %u out of range", name, i, v[i]);
            return MT_ECORRUPT;
        }
    }
    return MT_OK;
}

int mt_interact_kb_validate(const mt_kb *kb, mt_buf *why)
{
    const void *data;
    uint32_t n;
    int rc;

    rc = mt_kb_section(kb, IX_SEC_DRUG_SOURCES, sizeof(kb_range), &data, &n);
    if (rc == MT_OK) {
        if (n != mt_kb_count(kb, KB_T_DRUGS)) {
            if (why)
                mt_buf_printf(why, "table ix_drug_sources: %u records for %u drugs", n,
                              mt_kb_count(kb, KB_T_DRUGS));
            return MT_ECORRUPT;
        }
        /* The list is checked first so that the ranges are checked against
        ** a list whose entries are known to be good. */
        rc = mt_kb_check_table(kb, &t_source_list, why);
        if (rc == MT_ENOTFOUND) {
            if (why)
                mt_buf_puts(why, "table ix_source_list: missing");
            return MT_ECORRUPT;
        }
        if (rc == MT_OK)
            rc = mt_kb_check_table(kb, &t_drug_sources, why);
        if (rc != MT_OK)
            return MT_ECORRUPT;
    } else if (rc != MT_ENOTFOUND) {
        return MT_ECORRUPT;
    }
    rc = mt_kb_check_table(kb, &t_product_rxcui, why);
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        return MT_ECORRUPT;
    if ((rc = check_u32s(kb, IX_SEC_CLASS_ROLE, "ix_class_role", KB_T_CLASSES, role_ok, why)) != MT_OK)
        return rc;
    if ((rc = check_u32s(kb, IX_SEC_DRUG_DUR, "ix_drug_dur", KB_T_DRUGS, dur_ok, why)) != MT_OK)
        return rc;
    rc = mt_kb_section(kb, IX_SEC_DRUG_ROLES, sizeof(kb_range), &data, &n);
    if (rc == MT_ENOTFOUND)
        return MT_OK;
    if (rc != MT_OK || n != mt_kb_count(kb, KB_T_DRUGS)) {
        if (why)
            mt_buf_printf(why, "table ix_drug_roles: %u records for %u drugs", n, mt_kb_count(kb, KB_T_DRUGS));
        return MT_ECORRUPT;
    }
    rc = mt_kb_check_table(kb, &t_role_members, why);
    if (rc == MT_OK)
        rc = mt_kb_check_table(kb, &t_drug_roles, why);
    return rc == MT_OK ? MT_OK : MT_ECORRUPT;
}

/* --- reading ------------------------------------------------------------------------ */

static const void *section(const mt_kb *kb, uint32_t id, uint32_t elem, uint32_t *n)
{
    const void *data = NULL;
    *n = 0;
    if (mt_kb_section(kb, id, elem, &data, n) != MT_OK) {
        *n = 0;
        return NULL;
    }
    return data;
}

void mt_ix_index_load(const mt_kb *kb, mt_ix_index *ix)
{
    memset(ix, 0, sizeof(*ix));
    ix->kb = kb;
    ix->drug_sources = section(kb, IX_SEC_DRUG_SOURCES, sizeof(kb_range), &ix->ndrug_sources);
    ix->source_list = section(kb, IX_SEC_SOURCE_LIST, sizeof(uint32_t), &ix->nsource_list);
    if (!ix->drug_sources || !ix->source_list || ix->ndrug_sources != mt_kb_count(kb, KB_T_DRUGS)) {
        ix->drug_sources = NULL;
        ix->ndrug_sources = 0;
    }
    ix->product_rxcui = section(kb, IX_SEC_PRODUCT_RXCUI, sizeof(kb_key_u32), &ix->nproduct_rxcui);
    ix->class_role = section(kb, IX_SEC_CLASS_ROLE, sizeof(uint32_t), &ix->nclass_role);
    ix->drug_dur = section(kb, IX_SEC_DRUG_DUR, sizeof(uint32_t), &ix->ndrug_dur);
    ix->drug_roles = section(kb, IX_SEC_DRUG_ROLES, sizeof(kb_range), &ix->ndrug_roles);
    ix->role_members = section(kb, IX_SEC_ROLE_MEMBERS, sizeof(kb_drug_class), &ix->nrole_members);
    if (!ix->drug_roles || !ix->role_members || ix->ndrug_roles != mt_kb_count(kb, KB_T_DRUGS)) {
        ix->drug_roles = NULL;
        ix->ndrug_roles = 0;
    }
}

void mt_ix_role_members(const mt_ix_index *ix, uint32_t drug, const kb_drug_class **out, uint32_t *count)
{
    const kb_drug *d;
    *out = NULL;
    *count = 0;
    if (ix->drug_roles) {
        if (ALWAYS(drug < ix->ndrug_roles)) {
            *out = ix->role_members + ix->drug_roles[drug].first;
            *count = ix->drug_roles[drug].count;
        }
        return;
    }
    d = mt_kb_drug(ix->kb, drug);
    if (d) {
        *out = mt_kb_drug_classes(ix->kb, NULL) + d->classes.first;
        *count = d->classes.count;
    }
}

void mt_ix_sources_of(const mt_ix_index *ix, uint32_t drug,
                      void (*fn)(void *user, uint32_t source), void *user)
{
    const mt_kb *kb = ix->kb;
    const kb_drug *d = mt_kb_drug(kb, drug);
    uint32_t i;

    if (NEVER(!d))
        return;
    if (ix->drug_sources && ALWAYS(drug < ix->ndrug_sources)) {
        for (i = 0; i < ix->drug_sources[drug].count; i++)
            fn(user, ix->source_list[ix->drug_sources[drug].first + i]);
        return;
    }
    {
        /* No section: walk the adjacency once, marking sources seen. */
        uint64_t seen[1024 / 64];
        const kb_ixadj *adj = mt_kb_ixadj(kb, NULL) + d->interactions.first;
        uint32_t ns = mt_kb_count(kb, KB_T_SOURCES);
        memset(seen, 0, sizeof(seen));
        for (i = 0; i < d->interactions.count; i++) {
            const kb_ixrule *r = mt_kb_ixrule(kb, adj[i].rule);
            if (r && r->cite.source < 1024)
                seen[r->cite.source / 64] |= UINT64_C(1) << (r->cite.source % 64);
        }
        for (i = 0; i < ns && i < 1024; i++)
            if (seen[i / 64] & (UINT64_C(1) << (i % 64)))
                fn(user, i);
    }
}

int mt_ix_product_by_rxcui(const mt_ix_index *ix, uint32_t rxcui, uint32_t *product)
{
    const kb_key_u32 *keys = ix->product_rxcui;
    uint32_t lo = 0, hi = ix->nproduct_rxcui;

    if (rxcui == 0 || !keys)
        return MT_ENOTFOUND;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (keys[mid].key < rxcui)
            lo = mid + 1;
        else if (keys[mid].key > rxcui)
            hi = mid;
        else {
            *product = keys[mid].drug;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

uint32_t mt_ix_class_role(const mt_ix_index *ix, uint32_t cls)
{
    const kb_class *c;
    if (ix->class_role)
        return cls < ix->nclass_role ? ix->class_role[cls] : 0;
    c = mt_kb_class(ix->kb, cls);
    return c ? role_of(mt_kb_str(ix->kb, c->type), mt_kb_str(ix->kb, c->name)) : 0;
}

uint32_t mt_ix_drug_dur(const mt_ix_index *ix, uint32_t drug)
{
    uint32_t i, dur = IX_DUR_NONE;
    const kb_drug *d;
    const kb_ident *ids;
    if (ix->drug_dur)
        return drug < ix->ndrug_dur ? ix->drug_dur[drug] : IX_DUR_NONE;
    d = mt_kb_drug(ix->kb, drug);
    ids = mt_kb_idents(ix->kb, NULL);
    for (i = 0; d && i < d->idents.count && dur == IX_DUR_NONE; i++)
        if (ids[d->idents.first + i].type == MT_ID_OTHER)
            dur = dur_of_ident(mt_kb_str(ix->kb, ids[d->idents.first + i].value));
    return dur;
}
