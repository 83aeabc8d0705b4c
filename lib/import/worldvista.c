/*
** worldvista.c — the WorldVistA English translation of the ANSM thesaurus
** (2016): mt_import_worldvista (import.h). It runs after mt_import_ansm and
** adds no rule of its own: it gives an English text to the ANSM 2020 rules
** that it translates, and leaves the others in French (lang "fr").
**
** Files (under the source folder, plain or .gz), read as TSV:
**   tsv/eng_tables2016-xml-v2.tsv   one row per interaction: Drug 1 Name,
**       Drug 1 RxCUI, Drug 1 Class Name, Drug 1 Code, Drug 2 ..., Clinical
**       Source, Source File, Description (effect + mechanism), Severity,
**       Comment (management).
**   tsv/eng_groups2016_xml-v2.tsv   class memberships: Drug Name, RxNorm,
**       Source File, Clinical Source, Class Name, Class Code.
** The XML files of the same folder are not read: the 2016 classes file is
** not well-formed (mismatched tag, line 111; PROVENANCE.txt), and the TSVs
** are the same tables exported from WorldVistA's database.
**
** Matching. The translation names sides in English and the thesaurus in
** French, so sides are compared by what they stand for: each side becomes a
** set of model drugs (RxCUI; class members; a food) and is matched to the
** ANSM protagonists with the same drug (a single drug) or the most similar
** member set (classes: Jaccard >= 0.5, the 2016 and 2020 class lists differ
** a little); a side whose English name is spelled as the French label
** ("AMIODARONE", "ANTI-TNF ALPHA") matches that label too. A row is attached
** to the ANSM rule of the best pair of candidate protagonists. The 2020
** level is kept; rows whose 2016 level differs are counted.
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import/ansm.h"
#include "import/import.h"
#include "import/ixbuild.h"
#include "import/nondrugs.h"
#include "import/severity_map.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/arena.h"
#include "util/hmap.h"
#include "util/text.h"

#define TABLES_FILE "tsv/eng_tables2016-xml-v2.tsv"
#define GROUPS_FILE "tsv/eng_groups2016_xml-v2.tsv"
#define KEY_MAX     512
#define MAX_CAND    16
#define MIN_JACCARD 0.5

/* An ANSM protagonist (label) with its drugs. */
typedef struct prot {
    const char *key;
    int         is_class;       /* an ANSM class (else a substance or a food) */
    mt_refset   set;
} prot;

/* A candidate protagonist for a WorldVistA side, best first. */
typedef struct cand {
    uint32_t prot;
    double   score;
} cand;

/* The candidates of one distinct WorldVistA side, computed once. */
typedef struct sidecache {
    uint32_t n;
    cand     c[MAX_CAND];
} sidecache;

typedef struct wv_state {
    mt_import_ctx *ctx;
    mdl           *m;
    mdl_src        ansm;
    mt_arena       scratch;
    mt_ansm_resolver res;
    int            res_ready;
    prot          *prots;
    uint32_t       nprots, capprots;
    mt_hmap        prot_by_key;
    /* unordered protagonist pair "lo|hi" -> first ANSM rule; next[] chains */
    mt_hmap        rule_by_pair;
    uint32_t      *rule_next;           /* indexed by rule */
    /* groups: class code -> members */
    mt_hmap        group_by_code;
    mt_refset     *groups;
    uint32_t       ngroups, capgroups;
    /* distinct sides -> candidates */
    mt_hmap        side_by_key;
    sidecache     *sides;
    uint32_t       nsides, capsides;
    unsigned char *has_english;         /* indexed by rule */
    uint32_t       attached, unmatched, duplicates, level_changed, no_text;
} wv_state;

/* --- ANSM protagonists and rules ------------------------------------------ */

static int prot_slot(wv_state *st, const char *label, uint32_t *out)
{
    char k[KEY_MAX];
    size_t klen = mt_text_key(label ? label : "", k, sizeof(k));
    const char *key;
    prot *p;
    int rc;

    if (!klen)
        return MT_ENOTFOUND;
    if (mt_hmap_get(&st->prot_by_key, k, klen, out) == MT_OK)
        return MT_OK;
    if (st->nprots == st->capprots) {
        uint32_t ncap = st->capprots ? st->capprots * 2 : 512;
        prot *g = mt_reallocarray(st->prots, ncap, sizeof(*g));
        if (!g)
            return MT_ENOMEM;
        st->prots = g;
        st->capprots = ncap;
    }
    p = &st->prots[st->nprots];
    mt_refset_init(&p->set);
    key = mt_arena_strndup(&st->scratch, k, klen);
    if (!key)
        return MT_ENOMEM;
    p->key = key;
    {
        mdl_ref cls;
        p->is_class = mt_ix_class_find(st->m, MT_ANSM_CLASS_TYPE, label, &cls) == MT_OK;
    }
    *out = st->nprots++;
    if ((rc = mt_hmap_put(&st->prot_by_key, key, klen, *out)) != MT_OK)
        return rc;
    return mt_ansm_side(&st->res, label, &p->set);
}

static int pair_key(char *buf, size_t bufsz, uint32_t a, uint32_t b)
{
    return snprintf(buf, bufsz, "%u|%u", a < b ? a : b, a < b ? b : a);
}

static int index_ansm_rules(wv_state *st)
{
    mdl *m = st->m;
    uint32_t i;
    int rc;

    st->rule_next = mt_calloc(m->ixrules.count ? m->ixrules.count : 1, sizeof(*st->rule_next));
    st->has_english = mt_calloc(m->ixrules.count ? m->ixrules.count : 1, 1);
    if (!st->rule_next || !st->has_english)
        return MT_ENOMEM;
    for (i = 0; i < m->ixrules.count; i++) {
        const mdl_ixrule *r = &m->ixrules.items[i];
        uint32_t a, b, head;
        char k[32];
        int n;
        const char *key;

        st->rule_next[i] = UINT32_MAX;
        if (r->cite.source != st->ansm || r->kind != MT_IX_CLINICAL)
            continue;
        if ((rc = prot_slot(st, r->a_label, &a)) != MT_OK || (rc = prot_slot(st, r->b_label, &b)) != MT_OK) {
            if (rc == MT_ENOTFOUND)
                continue;
            return rc;
        }
        n = pair_key(k, sizeof(k), a, b);
        if (mt_hmap_get(&st->rule_by_pair, k, (size_t)n, &head) == MT_OK) {
            while (st->rule_next[head] != UINT32_MAX)
                head = st->rule_next[head];
            st->rule_next[head] = i;
            continue;
        }
        key = mt_arena_strndup(&st->scratch, k, (size_t)n);
        if (!key || mt_hmap_put(&st->rule_by_pair, key, (size_t)n, i) != MT_OK)
            return MT_ENOMEM;
    }
    return MT_OK;
}

/* --- groups ------------------------------------------------------------------ */

static int on_group_row(void *user, char **f, size_t n, unsigned long line)
{
    wv_state *st = user;
    const char *code;
    uint32_t slot;
    mdl_ref d;
    mdl_keys k;
    char *end;
    unsigned long rx = 0;

    if (n != 6)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, GROUPS_FILE, line,
                          "expected 6 tab-separated fields, got %zu", n);
    if (line == 1 && strcmp(f[0], "Drug Name") == 0)
        return MT_OK;
    code = f[5];
    if (!*code)
        return MT_OK;
    if (*f[1]) {
        rx = strtoul(f[1], &end, 10);
        if (*end || rx > UINT32_MAX)
            return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, GROUPS_FILE, line,
                              "RxNorm \"%s\" is not a number", f[1]);
    }
    if (mt_hmap_gets(&st->group_by_code, code, &slot) != MT_OK) {
        const char *key;
        if (st->ngroups == st->capgroups) {
            uint32_t ncap = st->capgroups ? st->capgroups * 2 : 256;
            mt_refset *g = mt_reallocarray(st->groups, ncap, sizeof(*g));
            if (!g)
                return MT_ENOMEM;
            st->groups = g;
            st->capgroups = ncap;
        }
        mt_refset_init(&st->groups[st->ngroups]);
        slot = st->ngroups++;
        key = mt_arena_strdup(&st->scratch, code);
        if (!key || mt_hmap_puts(&st->group_by_code, key, slot) != MT_OK)
            return MT_ENOMEM;
    }
    memset(&k, 0, sizeof(k));
    k.rxcui = (uint32_t)rx;
    if (mt_ix_find_drug(st->m, &k, f[0], &d) == MT_OK)
        return mt_refset_add(&st->groups[slot], d);
    return MT_OK;
}

/* --- sides ---------------------------------------------------------------- */

/* English names of the non-drugs, as the translation spells them (typos included). */
static int nondrug_of(const char *name, mt_nondrug *out)
{
    char k[KEY_MAX];
    mt_text_key(name, k, sizeof(k));
    if (strstr(k, "grapefruit") || strstr(k, "gragefruit")) {
        *out = MT_ND_GRAPEFRUIT;
        return 1;
    }
    if (strncmp(k, "alcohol", 7) == 0) {
        *out = MT_ND_ALCOHOL;
        return 1;
    }
    if (strcmp(k, "theine") == 0) {
        *out = MT_ND_CAFFEINE;
        return 1;
    }
    if (strstr(k, "st john")) {
        *out = MT_ND_STJOHNSWORT;
        return 1;
    }
    return 0;
}

static uint32_t overlap(const mt_refset *a, const mt_refset *b)
{
    uint32_t i, n = 0;
    for (i = 0; i < a->count; i++)
        n += (uint32_t)mt_refset_has(b, a->items[i]);
    return n;
}

static void add_cand(sidecache *sc, uint32_t p, double score)
{
    uint32_t i, j;
    for (i = 0; i < sc->n; i++)
        if (sc->c[i].prot == p) {
            if (score > sc->c[i].score)
                sc->c[i].score = score;
            return;
        }
    /* insertion in score order, dropping the worst when full */
    for (i = 0; i < sc->n && sc->c[i].score >= score; i++)
        ;
    if (i >= MAX_CAND)
        return;
    j = sc->n < MAX_CAND ? sc->n : MAX_CAND - 1;
    for (; j > i; j--)
        sc->c[j] = sc->c[j - 1];
    sc->c[i].prot = p;
    sc->c[i].score = score;
    if (sc->n < MAX_CAND)
        sc->n++;
}

/* The candidates of a side (name, RxCUI, class code), cached by those three. */
static int side_cands(wv_state *st, const char *name, const char *rxcui, const char *code,
                      unsigned long line, uint32_t *out)
{
    mt_buf key;
    uint32_t slot, p;
    mt_refset s;
    sidecache *sc;
    char nk[KEY_MAX];
    int rc;

    mt_buf_init(&key, 3 * KEY_MAX);
    mt_refset_init(&s);
    if ((rc = mt_buf_printf(&key, "%s\x1f%s\x1f%s", name, rxcui, code)) != MT_OK)
        goto done;
    if (mt_hmap_get(&st->side_by_key, key.data, key.len, &slot) == MT_OK) {
        *out = slot;
        rc = MT_OK;
        goto done;
    }
    if (st->nsides == st->capsides) {
        uint32_t ncap = st->capsides ? st->capsides * 2 : 512;
        sidecache *g = mt_reallocarray(st->sides, ncap, sizeof(*g));
        if (!g) {
            rc = MT_ENOMEM;
            goto done;
        }
        st->sides = g;
        st->capsides = ncap;
    }
    slot = st->nsides++;
    sc = &st->sides[slot];
    sc->n = 0;
    {
        const char *k = mt_arena_strndup(&st->scratch, key.data, key.len);
        if (!k || mt_hmap_put(&st->side_by_key, k, key.len, slot) != MT_OK) {
            rc = MT_ENOMEM;
            goto done;
        }
    }
    /* the side's drugs */
    if (*code) {
        uint32_t g;
        if (mt_hmap_gets(&st->group_by_code, code, &g) == MT_OK &&
            (rc = mt_refset_add_all(&s, &st->groups[g])) != MT_OK)
            goto done;
    } else {
        mdl_keys k;
        mdl_ref d;
        mt_nondrug nd;
        char *end;
        unsigned long rx = 0;
        memset(&k, 0, sizeof(k));
        if (*rxcui) {
            rx = strtoul(rxcui, &end, 10);
            if (*end || rx > UINT32_MAX) {
                rc = mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, TABLES_FILE, line,
                                "RxCUI \"%s\" is not a number", rxcui);
                goto done;
            }
            k.rxcui = (uint32_t)rx;
        }
        if (nondrug_of(name, &nd)) {
            if (mt_nondrug_find(st->m, nd, &d) == MT_OK && (rc = mt_refset_add(&s, d)) != MT_OK)
                goto done;
        } else if (mt_ix_find_drug(st->m, &k, name, &d) == MT_OK && (rc = mt_refset_add(&s, d)) != MT_OK)
            goto done;
    }
    /* a label spelled the same in both languages */
    if (mt_text_key(name, nk, sizeof(nk)) && mt_hmap_gets(&st->prot_by_key, nk, &p) == MT_OK)
        add_cand(sc, p, 2.0);
    /* a drug matches a substance with that drug; a class, the classes with
    ** the most similar members */
    if (s.count) {
        int is_class = *code != '\0';
        for (p = 0; p < st->nprots; p++) {
            const mt_refset *t = &st->prots[p].set;
            uint32_t inter;
            double j;
            if (!t->count || st->prots[p].is_class != is_class)
                continue;
            if (!is_class) {
                if (s.count == 1 && t->count == 1 && s.items[0] == t->items[0])
                    add_cand(sc, p, 1.0);
                continue;
            }
            inter = overlap(&s, t);
            j = (double)inter / (double)(s.count + t->count - inter);
            if (j >= MIN_JACCARD)
                add_cand(sc, p, j);
        }
    }
    *out = slot;
    rc = MT_OK;
done:
    mt_buf_free(&key);
    mt_refset_free(&s);
    return rc;
}

/* --- rows --------------------------------------------------------------------- */

static const char *arena_trim(wv_state *st, const char *s)
{
    const char *end;
    while (*s == ' ')
        s++;
    end = s + strlen(s);
    while (end > s && end[-1] == ' ')
        end--;
    if (end == s)
        return NULL;
    return mt_arena_strndup(&st->m->arena, s, (size_t)(end - s));
}

static int on_table_row(void *user, char **f, size_t n, unsigned long line)
{
    wv_state *st = user;
    mdl *m = st->m;
    const sidecache *s1, *s2;
    uint32_t slot1, slot2, i, j, rule = UINT32_MAX;
    double best = -1;
    int rc;

    if (n != 14)
        return mt_ix_fail(st->ctx->err, MT_EFORMAT, st->ctx->dir, TABLES_FILE, line,
                          "expected 14 tab-separated fields, got %zu", n);
    if (line == 1 && strcmp(f[0], "Drug Interaction ID") == 0)
        return MT_OK;
    m->sources.items[st->ctx->src].rows++;
    if ((rc = side_cands(st, f[1], f[2], f[4], line, &slot1)) != MT_OK)
        return rc;
    if ((rc = side_cands(st, f[5], f[6], f[8], line, &slot2)) != MT_OK)
        return rc;
    s1 = &st->sides[slot1];         /* after both calls: the cache may move */
    s2 = &st->sides[slot2];
    for (i = 0; i < s1->n; i++) {
        for (j = 0; j < s2->n; j++) {
            char k[32];
            int kn = pair_key(k, sizeof(k), s1->c[i].prot, s2->c[j].prot);
            uint32_t r;
            double score = s1->c[i].score + s2->c[j].score;
            if (score <= best || mt_hmap_get(&st->rule_by_pair, k, (size_t)kn, &r) != MT_OK)
                continue;
            best = score;
            rule = r;
        }
    }
    if (rule == UINT32_MAX) {
        st->unmatched++;
        m->sources.items[st->ctx->src].unmatched++;
        return MT_OK;
    }
    m->sources.items[st->ctx->src].matched++;
    if (!arena_trim(st, f[11])) {
        st->no_text++;
        return MT_OK;
    }
    /* every ANSM rule of that pair (one per level set) gets the text */
    for (; rule != UINT32_MAX; rule = st->rule_next[rule]) {
        mdl_ixrule *r = &m->ixrules.items[rule];
        const char *wl = mt_sevmap_worldvista_level(f[12]);
        mt_severity ws;
        if (st->has_english[rule]) {
            st->duplicates++;
            continue;
        }
        r->effect = arena_trim(st, f[11]);
        r->mechanism = NULL;
        r->management = arena_trim(st, f[13]);
        r->lang = "en";
        r->text_cite = mdl_cite_make(m, st->ctx->src, "eng_tables2016-xml-v2.tsv: Drug Interaction ID %s (%s)",
                                     f[0], f[10]);
        if (!r->effect || !r->text_cite.record)
            return MT_ENOMEM;
        st->has_english[rule] = 1;
        st->attached++;
        m->sources.items[st->ctx->src].facts++;   /* an English text, cited to this source */
        if (wl && mt_sevmap_lookup("worldvista", wl, &ws, NULL) == MT_OK && ws != (mt_severity)r->severity)
            st->level_changed++;
    }
    return MT_OK;
}

int mt_import_worldvista(mt_import_ctx *ctx)
{
    wv_state st;
    uint32_t i, french = 0, total = 0;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    mt_arena_init(&st.scratch, 256 * 1024, 0);
    mt_hmap_init(&st.prot_by_key);
    mt_hmap_init(&st.rule_by_pair);
    mt_hmap_init(&st.group_by_code);
    mt_hmap_init(&st.side_by_key);

    if (!ctx->dir) {
        if (ctx->err)
            mt_buf_puts(ctx->err, "worldvista: no source folder");
        rc = MT_EINVAL;
        goto done;
    }
    if (mdl_source_find(st.m, MT_ANSM_SOURCE_ID, &st.ansm) != MT_OK) {
        mt_ix_note(ctx, "worldvista: no ANSM rules to translate (the ANSM source is not loaded)\n");
        rc = MT_OK;
        goto done;
    }
    st.res_ready = 1;
    if ((rc = mt_ansm_resolver_init(&st.res, st.m, st.ansm)) != MT_OK)
        goto done;
    if ((rc = index_ansm_rules(&st)) != MT_OK)
        goto done;
    rc = mt_csv_read(ctx->dir, GROUPS_FILE, '\t', 0, on_group_row, &st, ctx->err);
    if (rc != MT_OK)
        goto done;
    rc = mt_csv_read(ctx->dir, TABLES_FILE, '\t', 0, on_table_row, &st, ctx->err);
    if (rc != MT_OK)
        goto done;
    for (i = 0; i < st.m->ixrules.count; i++) {
        const mdl_ixrule *r = &st.m->ixrules.items[i];
        if (r->cite.source != st.ansm)
            continue;
        total++;
        french += r->lang && strcmp(r->lang, "fr") == 0;
    }
    mt_ix_note(ctx, "worldvista: %u rows matched an ANSM rule, %u did not; %u ANSM rules now in English, "
               "%u of %u still in French; %u matched rules have another level in 2016\n",
               st.m->sources.items[ctx->src].matched, st.unmatched, st.attached, french, total,
               st.level_changed);
    rc = MT_OK;
done:
    for (i = 0; i < st.nprots; i++)
        mt_refset_free(&st.prots[i].set);
    for (i = 0; i < st.ngroups; i++)
        mt_refset_free(&st.groups[i]);
    mt_free(st.prots);
    mt_free(st.groups);
    mt_free(st.sides);
    mt_free(st.rule_next);
    mt_free(st.has_english);
    if (st.res_ready)
        mt_ansm_resolver_free(&st.res);
    mt_hmap_free(&st.prot_by_key);
    mt_hmap_free(&st.rule_by_pair);
    mt_hmap_free(&st.group_by_code);
    mt_hmap_free(&st.side_by_key);
    mt_arena_free(&st.scratch);
    return rc;
}
