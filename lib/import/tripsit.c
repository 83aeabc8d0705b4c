/*
** tripsit.c — the TripSit drug-combination chart (harm reduction):
** mt_import_tripsit (import.h). Its rules are MT_IX_HARM_REDUCTION: shown as
** a harm-reduction source, never as a clinical one.
**
** Files (under the source folder, plain or .gz):
**   combos.json              combos[a][b] = {status, note?, sources[{author,
**                            title, url}]?}; each pair is given both ways.
**   combo_definitions.json   the statuses with their definitions; every
**                            status used must be defined there and mapped in
**                            severity_map.c (Dangerous, Unsafe -> major;
**                            Caution -> moderate; Low Risk & ... -> minor).
**
** TripSit names substances ("ketamine", "mushrooms") and classes
** ("benzodiazepines", "opioids", "ssris"). A substance is the vocabulary's
** drug (mushrooms -> psilocybin, ghb/gbl -> sodium oxybate, ...); a class is
** the members of pharmacologic classes already in the model (FDA EPC/MoA,
** chemical and MeSH classes; not ChEBI roles), minus the drugs TripSit charts on
** their own (tramadol is not expanded as an opioid: TripSit has its own
** tramadol rows). Entries with several drugs become model classes of type
** "TripSit", so that "ketamine + alprazolam" can be explained as "ketamine +
** benzodiazepines". An entry with no drug in the vocabulary (mxe, nbomes,
** ...) is created as a harm-reduction substance. Mapping table:
** docs/interactions.md.
*/
#include <stdio.h>
#include <string.h>

#include "import/import.h"
#include "import/ixbuild.h"
#include "import/nondrugs.h"
#include "import/severity_map.h"
#include "util/alloc.h"
#include "util/text.h"

#define COMBOS_FILE      "combos.json"
#define DEFINITIONS_FILE "combo_definitions.json"
#define CLASS_TYPE       "TripSit"
#define MAX_NAMES        8
#define MAX_CLASSES      6
#define MAX_EXCLUDE      4

typedef struct ts_def {
    const char *key;                   /* combos.json key */
    const char *display;               /* name of a created substance */
    int         nondrug;               /* mt_nondrug, or -1 */
    const char *names[MAX_NAMES];      /* vocabulary names */
    const char *classes[MAX_CLASSES];  /* pharmacologic class names (any non-TripSit type) */
    const char *exclude[MAX_EXCLUDE];  /* never members through the classes */
} ts_def;

static const ts_def defs[] = {
    { "2c-t-x", "2C-T-x (2C-T phenethylamines)", -1, { "2C-T-2", "2C-T-7", "2C-T-21", NULL }, { NULL }, { NULL } },
    { "2c-x", "2C-x (2C phenethylamines)", -1,
      { "4-Bromo-2,5-dimethoxyphenethylamine", "2C-B", "2C-I", "2C-E", "2C-C", NULL }, { NULL }, { NULL } },
    { "5-meo-xxt", "5-MeO-xxT (5-methoxy tryptamines)", -1,
      { "5-methoxy-N,N-dimethyltryptamine", "5-MeO-DMT", "5-MeO-DiPT", NULL }, { NULL }, { NULL } },
    { "alcohol", "alcohol", MT_ND_ALCOHOL, { NULL }, { NULL }, { NULL } },
    { "amphetamines", "amphetamines", -1,
      { "amphetamine", "dextroamphetamine", "methamphetamine", "lisdexamfetamine", "methylphenidate", NULL },
      { "Central Nervous System Stimulant", "Amphetamines", NULL }, { NULL } },
    { "amt", "aMT (alpha-methyltryptamine)", -1, { "alpha-methyltryptamine", NULL }, { NULL }, { NULL } },
    { "benzodiazepines", "benzodiazepines", -1, { NULL }, { "Benzodiazepine", "Benzodiazepines", NULL }, { NULL } },
    { "caffeine", "caffeine", MT_ND_CAFFEINE, { NULL }, { NULL }, { NULL } },
    { "cannabis", "cannabis", -1,
      { "cannabis", "dronabinol", "nabilone", "nabiximols", "delta-9-tetrahydrocannabinol", NULL }, { NULL }, { NULL } },
    { "cocaine", "cocaine", -1, { "cocaine", NULL }, { NULL }, { NULL } },
    { "dextromethorphan", "dextromethorphan", -1, { "dextromethorphan", NULL }, { NULL }, { NULL } },
    { "diphenhydramine", "diphenhydramine", -1, { "diphenhydramine", NULL }, { NULL }, { NULL } },
    { "dmt", "DMT (N,N-dimethyltryptamine)", -1, { "dimethyltryptamine", "N,N-dimethyltryptamine", NULL },
      { NULL }, { NULL } },
    { "dox", "DOx (2,5-dimethoxy-amphetamines)", -1,
      { "4-Bromo-2,5-dimethoxyamphetamine", "2,5-Dimethoxy-4-methylamphetamine", "2,5-Dimethoxy-4-iodoamphetamine",
        NULL }, { NULL }, { NULL } },
    { "ghb/gbl", "GHB/GBL", -1,
      { "sodium oxybate", "gamma-Hydroxybutyric acid", "gamma-butyrolactone", NULL }, { NULL }, { NULL } },
    { "ketamine", "ketamine", -1, { "ketamine", "esketamine", NULL }, { NULL }, { NULL } },
    { "lithium", "lithium", -1, { "lithium", "lithium carbonate", "lithium citrate", NULL }, { NULL }, { NULL } },
    { "lsd", "LSD (lysergide)", -1, { "lysergide", "lysergic acid diethylamide", NULL }, { NULL }, { NULL } },
    { "maois", "MAOIs", -1, { NULL }, { "Monoamine Oxidase Inhibitor", "Monoamine Oxidase Inhibitors", NULL }, { NULL } },
    { "mdma", "MDMA (midomafetamine)", -1, { "midomafetamine", "MDMA", NULL }, { NULL }, { NULL } },
    { "mephedrone", "mephedrone", -1, { "mephedrone", NULL }, { NULL }, { NULL } },
    { "mescaline", "mescaline", -1, { "mescaline", NULL }, { NULL }, { NULL } },
    { "mushrooms", "psilocybin mushrooms", -1, { "psilocybin", "psilocin", NULL }, { NULL }, { NULL } },
    { "mxe", "MXE (methoxetamine)", -1, { "methoxetamine", NULL }, { NULL }, { NULL } },
    { "nbomes", "NBOMes (25x-NBOMe)", -1, { "25I-NBOMe", "25C-NBOMe", "25B-NBOMe", NULL }, { NULL }, { NULL } },
    { "nitrous", "nitrous oxide", -1, { "nitrous oxide", NULL }, { NULL }, { NULL } },
    /* peripherally acting opioids (antidiarrhoeals) do not act as opioids
    ** for these combinations at their doses */
    { "opioids", "opioids", -1, { NULL },
      { "Opioid Agonist", "Opioid Agonist/Antagonist", "Partial Opioid Agonist", "Partial Opioid Agonist/Antagonist",
        "Partial Opioid Agonists", "Analgesics, Opioid" },
      { "loperamide", "diphenoxylate", "difenoxin", NULL } },
    { "pcp", "PCP (phencyclidine)", -1, { "phencyclidine", NULL }, { NULL }, { NULL } },
    { "pregabalin", "pregabalin", -1, { "pregabalin", NULL }, { NULL }, { NULL } },
    { "ssris", "SSRIs", -1, { NULL }, { "Serotonin Reuptake Inhibitor", NULL }, { NULL } },
    { "tramadol", "tramadol", -1, { "tramadol", NULL }, { NULL }, { NULL } },
};

#define NDEFS (sizeof(defs) / sizeof(defs[0]))

typedef struct ts_state {
    mt_import_ctx *ctx;
    mdl           *m;
    mt_refset      sets[NDEFS];     /* the drugs of each entry */
} ts_state;

static int def_index(const char *key)
{
    size_t i;
    for (i = 0; i < NDEFS; i++)
        if (strcmp(defs[i].key, key) == 0)
            return (int)i;
    return -1;
}

/* The drugs named by an entry itself (not through classes). */
static int direct_members(ts_state *st, size_t i)
{
    const ts_def *d = &defs[i];
    mdl_ref ref;
    int k, rc;

    if (d->nondrug >= 0) {
        if (mt_nondrug_find(st->m, (mt_nondrug)d->nondrug, &ref) == MT_OK)
            return mt_refset_add(&st->sets[i], ref);
        return MT_OK;
    }
    for (k = 0; k < MAX_NAMES && d->names[k]; k++)
        if (mdl_drug_find_name(st->m, d->names[k], &ref) == MT_OK && (rc = mt_refset_add(&st->sets[i], ref)) != MT_OK)
            return rc;
    return MT_OK;
}

static int excluded(const ts_state *st, size_t i, mdl_ref drug)
{
    size_t j;
    int k;
    mdl_ref ref;
    for (k = 0; k < MAX_EXCLUDE && defs[i].exclude[k]; k++)
        if (mdl_drug_find_name(st->m, defs[i].exclude[k], &ref) == MT_OK && ref == drug)
            return 1;
    /* a drug TripSit charts on its own is not also a class member */
    for (j = 0; j < NDEFS; j++)
        if (j != i && !defs[j].classes[0] && mt_refset_has(&st->sets[j], drug))
            return 1;
    return 0;
}

/* Whether a class type is a pharmacologic class (FDA EPC/MoA/chemical
** structure, MeSH pharmacological action). ChEBI roles are left out: "central
** nervous system stimulant" there includes doxapram and almitrine. */
static int pharmacologic_type(const char *type)
{
    static const char *const types[] = { "EPC", "MoA", "CS", "Chemical/Ingredient", "MeSH PA", "PA", NULL };
    int i;
    for (i = 0; type && types[i]; i++)
        if (strcmp(type, types[i]) == 0)
            return 1;
    return 0;
}

/* Class members: every pharmacologic class of the model with that name. */
static int class_members(ts_state *st, const mt_classidx *ci, size_t i)
{
    const ts_def *d = &defs[i];
    char want[256], have[256];
    uint32_t c, j;
    int k, rc;

    for (k = 0; k < MAX_CLASSES && d->classes[k]; k++) {
        mt_text_key(d->classes[k], want, sizeof(want));
        for (c = 0; c < st->m->classes.count && c < ci->count; c++) {
            const mdl_class *cls = &st->m->classes.items[c];
            const char *name = cls->name;
            size_t len;
            char tmp[256];
            if (!name || !pharmacologic_type(cls->type))
                continue;
            /* "Benzodiazepine [EPC]" and "Benzodiazepine" are one class name */
            len = strlen(name);
            if (len && name[len - 1] == ']' && strrchr(name, '[')) {
                snprintf(tmp, sizeof(tmp), "%.*s", (int)(strrchr(name, '[') - name), name);
                name = tmp;
            }
            mt_text_key(name, have, sizeof(have));
            if (strcmp(want, have) != 0)
                continue;
            for (j = 0; j < ci->members[c].count; j++) {
                mdl_ref drug = ci->members[c].items[j];
                if (!excluded(st, i, drug) && (rc = mt_refset_add(&st->sets[i], drug)) != MT_OK)
                    return rc;
            }
        }
    }
    return MT_OK;
}

/* Entries, their drugs, the TripSit classes and the created substances. */
static int build_sets(ts_state *st)
{
    mt_classidx ci;
    size_t i;
    int k, rc;

    for (i = 0; i < NDEFS; i++)
        if ((rc = direct_members(st, i)) != MT_OK)
            return rc;
    if ((rc = mt_classidx_build(st->m, &ci)) != MT_OK)
        return rc;
    for (i = 0; i < NDEFS && rc == MT_OK; i++)
        if (defs[i].classes[0])
            rc = class_members(st, &ci, i);
    mt_classidx_free(&ci);
    if (rc != MT_OK)
        return rc;
    for (i = 0; i < NDEFS; i++) {
        mdl_cite cite = mdl_cite_make(st->m, st->ctx->src, COMBOS_FILE ": %s", defs[i].key);
        uint32_t j;
        mdl_ref cls, drug;
        if (!cite.record)
            return MT_ENOMEM;
        if (st->sets[i].count == 0 && defs[i].classes[0]) {
            /* a class with no member in the model: its rules have no pairs */
            mt_ix_note(st->ctx, "tripsit: no drug of the model is in \"%s\"\n", defs[i].key);
            continue;
        }
        if (st->sets[i].count == 0) {
            /* not in the vocabulary: a harm-reduction substance of its own */
            rc = mdl_drug_add(st->m, defs[i].display, MT_DRUG_SUBSTANCE, NULL, MT_DRUGF_HARM_REDUCTION, cite, &drug);
            if (rc != MT_OK)
                return rc;
            if ((rc = mdl_name_add(st->m, drug, MT_NAME_SYNONYM, defs[i].key, NULL, cite)) != MT_OK)
                return rc;
            for (k = 0; k < MAX_NAMES && defs[i].names[k]; k++)
                if ((rc = mdl_name_add(st->m, drug, MT_NAME_SYNONYM, defs[i].names[k], NULL, cite)) != MT_OK)
                    return rc;
            if ((rc = mt_refset_add(&st->sets[i], drug)) != MT_OK)
                return rc;
            mt_ix_note(st->ctx, "tripsit: \"%s\" is not in the vocabulary: created as a harm-reduction substance\n",
                       defs[i].display);
            continue;
        }
        if (st->sets[i].count < 2 && !defs[i].classes[0])
            continue;
        if ((rc = mdl_class_get(st->m, CLASS_TYPE, NULL, defs[i].key, cite, &cls)) != MT_OK)
            return rc;
        for (j = 0; j < st->sets[i].count; j++)
            if ((rc = mdl_drug_class_add(st->m, st->sets[i].items[j], cls, cite)) != MT_OK)
                return rc;
    }
    return MT_OK;
}

/* --- files ------------------------------------------------------------------ */

static int check_definitions(ts_state *st, json_t **defs_out)
{
    json_t *root = NULL;
    size_t i;
    int rc;

    rc = mt_ix_load_json(st->ctx->dir, DEFINITIONS_FILE, &root, st->ctx->err);
    if (rc != MT_OK)
        return rc;
    if (!json_is_array(root)) {
        json_decref(root);
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, DEFINITIONS_FILE, 1, "expected a JSON array");
    }
    for (i = 0; i < json_array_size(root); i++) {
        const char *status = mt_ix_json_str(json_array_get(root, i), "status");
        if (!status || mt_sevmap_lookup("tripsit", status, NULL, NULL) != MT_OK) {
            rc = mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, DEFINITIONS_FILE, 0,
                            "definition %zu: status \"%s\" has no documented severity mapping", i + 1,
                            status ? status : "(none)");
            json_decref(root);
            return rc;
        }
    }
    *defs_out = root;
    return MT_OK;
}

static int defined(const json_t *definitions, const char *status)
{
    size_t i;
    for (i = 0; i < json_array_size(definitions); i++) {
        const char *s = mt_ix_json_str(json_array_get(definitions, i), "status");
        if (s && strcmp(s, status) == 0)
            return 1;
    }
    return 0;
}

/* "sources: author, title <url>; ..." for the rule's text citation. */
static int sources_text(const json_t *combo, mt_buf *out)
{
    const json_t *srcs = json_object_get(combo, "sources");
    size_t i;
    int rc;

    if (!json_is_array(srcs) || json_array_size(srcs) == 0)
        return MT_OK;
    if ((rc = mt_buf_puts(out, "TripSit note; literature cited by TripSit: ")) != MT_OK)
        return rc;
    for (i = 0; i < json_array_size(srcs); i++) {
        const json_t *s = json_array_get(srcs, i);
        const char *author = mt_ix_json_str(s, "author"), *title = mt_ix_json_str(s, "title");
        const char *url = mt_ix_json_str(s, "url");
        rc = mt_buf_printf(out, "%s%s%s%s%s%s%s", i ? "; " : "", author ? author : "",
                           author && title ? ", " : "", title ? title : "", url ? " <" : "", url ? url : "",
                           url ? ">" : "");
        if (rc != MT_OK)
            return rc;
    }
    return MT_OK;
}

static int one_combo(ts_state *st, const json_t *definitions, const char *a, const char *b,
                     const json_t *ab, const json_t *ba, uint32_t *npairs)
{
    mdl *m = st->m;
    int ia = def_index(a), ib = def_index(b), rc;
    const char *status = mt_ix_json_str(ab, "status"), *rstatus = ba ? mt_ix_json_str(ba, "status") : NULL;
    const char *note = mt_ix_json_str(ab, "note");
    mt_severity sev, rsev;
    mdl_ixrule r;
    mdl_ref rule;
    mt_buf srcs;

    if (!status || !defined(definitions, status) || mt_sevmap_lookup("tripsit", status, &sev, NULL) != MT_OK)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, COMBOS_FILE, 0,
                          "%s + %s: status \"%s\" is not defined in %s", a, b, status ? status : "(none)",
                          DEFINITIONS_FILE);
    /* the chart gives each pair twice: keep the more severe if they differ */
    if (rstatus && strcmp(rstatus, status) != 0 && mt_sevmap_lookup("tripsit", rstatus, &rsev, NULL) == MT_OK) {
        mt_ix_note(st->ctx, "tripsit: %s + %s is \"%s\" one way and \"%s\" the other: kept the more severe\n",
                   a, b, status, rstatus);
        if (rsev > sev) {
            sev = rsev;
            status = rstatus;
        }
    }
    if (!note && ba)
        note = mt_ix_json_str(ba, "note");
    m->sources.items[st->ctx->src].rows++;
    if (ia < 0 || ib < 0) {
        m->sources.items[st->ctx->src].unmatched++;
        mt_ix_note(st->ctx, "tripsit: no mapping for \"%s\"\n", ia < 0 ? a : b);
        return MT_OK;
    }
    m->sources.items[st->ctx->src].matched++;
    mt_buf_init(&srcs, 64 * 1024);
    if ((rc = sources_text(json_object_get(ab, "sources") ? ab : ba, &srcs)) != MT_OK)
        goto done;
    memset(&r, 0, sizeof(r));
    r.kind = MT_IX_HARM_REDUCTION;
    r.a_label = a;
    r.b_label = b;
    r.level = status;
    r.severity = (uint8_t)sev;
    r.tier = MT_TIER_DEFAULT;
    r.effect = note;
    r.lang = "en";
    r.cite = mdl_cite_make(m, st->ctx->src, COMBOS_FILE ": %s + %s", a, b);
    if (!r.cite.record) {
        rc = MT_ENOMEM;
        goto done;
    }
    if (srcs.len) {
        r.text_cite.source = st->ctx->src;
        r.text_cite.record = mt_arena_strdup(&m->arena, srcs.data);
        if (!r.text_cite.record) {
            rc = MT_ENOMEM;
            goto done;
        }
    }
    if ((rc = mdl_ixrule_add(m, &r, &rule)) != MT_OK)
        goto done;
    rc = mt_ix_link(m, &st->sets[ia], &st->sets[ib], rule, npairs);
done:
    mt_buf_free(&srcs);
    return rc;
}

int mt_import_tripsit(mt_import_ctx *ctx)
{
    ts_state st;
    json_t *combos = NULL, *definitions = NULL;
    const char *a, *b;
    json_t *row, *ab;
    uint32_t rules0 = ctx->m->ixrules.count, npairs = 0, drugs0 = ctx->m->drugs.count;
    size_t i;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    for (i = 0; i < NDEFS; i++)
        mt_refset_init(&st.sets[i]);
    if (!ctx->dir) {
        if (ctx->err)
            mt_buf_puts(ctx->err, "tripsit: no source folder");
        rc = MT_EINVAL;
        goto done;
    }
    if ((rc = check_definitions(&st, &definitions)) != MT_OK)
        goto done;
    if ((rc = mt_ix_load_json(ctx->dir, COMBOS_FILE, &combos, ctx->err)) != MT_OK)
        goto done;
    if (!json_is_object(combos)) {
        rc = mt_ix_fail(ctx->err, MT_EFORMAT, ctx->dir, COMBOS_FILE, 1, "expected a JSON object");
        goto done;
    }
    if ((rc = build_sets(&st)) != MT_OK)
        goto done;
    json_object_foreach(combos, a, row) {
        if (!json_is_object(row)) {
            rc = mt_ix_fail(ctx->err, MT_EFORMAT, ctx->dir, COMBOS_FILE, 0, "\"%s\" is not an object", a);
            goto done;
        }
        json_object_foreach(row, b, ab) {
            const json_t *other = json_object_get(combos, b);
            const json_t *ba = json_is_object(other) ? json_object_get(other, a) : NULL;
            if (!json_is_object(ab)) {
                rc = mt_ix_fail(ctx->err, MT_EFORMAT, ctx->dir, COMBOS_FILE, 0, "%s + %s is not an object", a, b);
                goto done;
            }
            /* each unordered pair once: from its first key, or the only one */
            if (strcmp(a, b) == 0 || (ba && strcmp(a, b) > 0))
                continue;
            if ((rc = one_combo(&st, definitions, a, b, ab, ba, &npairs)) != MT_OK)
                goto done;
        }
    }
    mt_ix_note(ctx, "tripsit: %u rules, %u drug pairs; %u substances created (not in the vocabulary)\n",
               ctx->m->ixrules.count - rules0, npairs, ctx->m->drugs.count - drugs0);
    rc = MT_OK;
done:
    json_decref(combos);
    json_decref(definitions);
    for (i = 0; i < NDEFS; i++)
        mt_refset_free(&st.sets[i]);
    return rc;
}
