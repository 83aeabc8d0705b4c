/*
** pill_build.c — writes the pill index (pindex.h) from the model at
** `materia build`: the section hook mt_pill_kb_sections.
**
** One pass over the model's pills makes each pi_pill, its drugs and a list
** of (key, pill) postings; one sort by (key, pill) with duplicates dropped
** gives KEYS and POST. Sorting is total, so the same model always gives
** the same bytes. Final tables go in ctx->scratch (which lives until the
** file is written); working arrays are mt_malloc'ed and freed here.
*/
#include "pill/pill_build.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "pill/pindex.h"
#include "util/alloc.h"
#include "util/hmap.h"

_Static_assert(PI_FLAG_LOW_CONFIDENCE == MDL_PILLF_LOW_CONFIDENCE && PI_FLAG_FILLED_LABELER == MDL_PILLF_LABELER_FILLED &&
               PI_FLAG_FILLED_COLOR == MDL_PILLF_COLOR_FILLED && PI_FLAG_FILLED_STRENGTH == MDL_PILLF_STRENGTH_FILLED,
               "pill flags");

typedef struct rawpost {
    uint64_t key;
    uint32_t pill;
    uint32_t pad;
} rawpost;

typedef struct bctx {
    mt_kbw_ctx *ctx;
    const mdl  *m;
    rawpost    *posts;
    uint32_t    nposts, cap;
    uint32_t   *ing_first;    /* per product + 1: start in ing */
    uint32_t   *ing;          /* ingredient drugs, grouped by product (model order) */
    uint32_t   *drugs;        /* the DRUGS section being built */
    uint32_t    ndrugs, cap_drugs;
} bctx;

static int add_post(bctx *b, uint64_t key, uint32_t pill)
{
    if (b->nposts == b->cap) {
        uint32_t ncap;
        rawpost *p;
        if (b->cap > UINT32_MAX / 4)
            return MT_ELIMIT;
        ncap = b->cap ? b->cap * 2 : 4096;
        p = mt_reallocarray(b->posts, ncap, sizeof(*p));
        if (!p)
            return MT_ENOMEM;
        b->posts = p;
        b->cap = ncap;
    }
    b->posts[b->nposts].key = key;
    b->posts[b->nposts].pill = pill;
    b->posts[b->nposts].pad = 0;
    b->nposts++;
    return MT_OK;
}

/* The KB code index of the SPL code of `system` displayed as name[0..len-1]
** (case-insensitive), or PI_NONE16. */
static uint16_t code_of(const bctx *b, const char *system, const char *name, size_t len)
{
    uint32_t i;
    for (i = 0; i < b->m->codes.count && i < PI_NONE16; i++) {
        const mdl_code *c = &b->m->codes.items[i];
        if (c->display && strcmp(c->system, system) == 0 && strlen(c->display) == len &&
            strncasecmp(c->display, name, len) == 0) {
            uint32_t pos = mt_kbw_ctx_pos(b->ctx, KB_T_CODES, i);
            return pos < PI_NONE16 ? (uint16_t)pos : PI_NONE16;
        }
    }
    return PI_NONE16;
}

/* Colours "BLUE, WHITE" (the model's form): each known SPL colour once. */
static void colors_of(const bctx *b, const char *s, pi_pill *p)
{
    while (s && *s && p->ncolor < PI_MAX_COLORS) {
        const char *end = strchr(s, ',');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *w = s;
        uint16_t c;
        unsigned k;
        while (len && *w == ' ') {
            w++;
            len--;
        }
        while (len && w[len - 1] == ' ')
            len--;
        c = len ? code_of(b, "SPL-COLOR", w, len) : PI_NONE16;
        for (k = 0; k < p->ncolor && c != PI_NONE16; k++)
            if (p->color[k] == c)
                c = PI_NONE16;
        if (c != PI_NONE16)
            p->color[p->ncolor++] = c;
        s = end ? end + 1 : NULL;
    }
}

/* Index keys of one imprint: tokens, the joined forms, grams. */
static int imprint_keys(bctx *b, uint32_t pill, const char *fold, size_t len)
{
    char joined[PI_NORM_MAX], rev[PI_NORM_MAX];
    size_t nj = 0, nr = 0, i, start;
    int rc = MT_OK;

    for (i = 0; i <= len && rc == MT_OK; i = start + 1) {
        start = i;
        while (start < len && fold[start] != ' ')
            start++;
        /* token fold[i..start) */
        if (start > i) {
            rc = add_post(b, PI_KEY(PI_K_TOKEN, pi_hash(fold + i, start - i)), pill);
            memcpy(joined + nj, fold + i, start - i);
            nj += start - i;
        }
    }
    /* Reversed token order: the last token first. */
    for (i = len; i > 0 && rc == MT_OK;) {
        size_t end = i;
        while (i > 0 && fold[i - 1] != ' ')
            i--;
        memcpy(rev + nr, fold + i, end - i);
        nr += end - i;
        if (i > 0)
            i--;
    }
    if (rc == MT_OK && nj > 0)
        rc = add_post(b, PI_KEY(PI_K_JOIN, pi_hash(joined, nj)), pill);
    if (rc == MT_OK && nr > 0 && (nr != nj || memcmp(rev, joined, nj) != 0))
        rc = add_post(b, PI_KEY(PI_K_JOIN, pi_hash(rev, nr)), pill);
    for (i = 0; rc == MT_OK && i + 2 <= nj; i++)
        rc = add_post(b, PI_KEY(PI_K_GRAM2, pi_gram(joined + i, 2)), pill);
    for (i = 0; rc == MT_OK && i + 3 <= nj; i++)
        rc = add_post(b, PI_KEY(PI_K_GRAM3, pi_gram(joined + i, 3)), pill);
    return rc;
}

/* --- the drugs of a pill ---------------------------------------------------------- */

/* Product -> ingredient drugs, a counting sort that keeps model order. */
static int build_ings(bctx *b)
{
    const mdl *m = b->m;
    uint32_t np = m->products.count, i, *fill;
    b->ing_first = mt_calloc((size_t)np + 1, sizeof(uint32_t));
    b->ing = mt_calloc(m->product_ings.count ? m->product_ings.count : 1, sizeof(uint32_t));
    fill = mt_calloc(np ? np : 1, sizeof(uint32_t));
    if (!b->ing_first || !b->ing || !fill) {
        mt_free(fill);
        return MT_ENOMEM;
    }
    for (i = 0; i < m->product_ings.count; i++)
        if (m->product_ings.items[i].product < np && m->product_ings.items[i].drug < m->drugs.count)
            b->ing_first[m->product_ings.items[i].product + 1]++;
    for (i = 0; i < np; i++)
        b->ing_first[i + 1] += b->ing_first[i];
    for (i = 0; i < m->product_ings.count; i++) {
        const mdl_product_ing *pi = &m->product_ings.items[i];
        if (pi->product < np && pi->drug < m->drugs.count)
            b->ing[b->ing_first[pi->product] + fill[pi->product]++] = pi->drug;
    }
    mt_free(fill);
    return MT_OK;
}

/* Adds drug (as its ingredient when it is a salt) to the pill's list being
** built (from b->drugs[first]), once; multiple-ingredient records are left
** out (their ingredients say more). */
static int add_drug(bctx *b, uint32_t first, mdl_ref drug)
{
    uint32_t k;
    if (drug >= b->m->drugs.count || b->m->drugs.items[drug].kind == MT_DRUG_MULTI)
        return MT_OK;
    drug = mdl_drug_base(b->m, drug);
    for (k = first; k < b->ndrugs; k++)
        if (b->drugs[k] == drug)
            return MT_OK;
    if (b->ndrugs - first >= PI_MAX_DRUGS)
        return MT_OK;
    if (b->ndrugs == b->cap_drugs) {
        uint32_t ncap = b->cap_drugs ? b->cap_drugs * 2 : 4096;
        uint32_t *p;
        if (b->cap_drugs > UINT32_MAX / 4)
            return MT_ELIMIT;
        p = mt_reallocarray(b->drugs, ncap, sizeof(*p));
        if (!p)
            return MT_ENOMEM;
        b->drugs = p;
        b->cap_drugs = ncap;
    }
    b->drugs[b->ndrugs++] = drug;
    return MT_OK;
}

/* The ingredient names of a combination product name, as RxNorm writes it
** ("24 HR METFORMIN HYDROCHLORIDE 1000 MG / SAXAGLIPTIN 2.5 MG EXTENDED
** RELEASE ORAL TABLET [KOMBIGLYZE]"): for each " / " part, the words before
** the first word that starts with a digit, after a leading "24 HR". Each is
** looked up by name (salt words dropped, mdl_drug_find_name). */
static int name_drugs(bctx *b, uint32_t first, const char *name)
{
    const char *p = name, *end = strchr(name, '[');
    int rc = MT_OK;
    if (!end)
        end = name + strlen(name);
    if (!strstr(name, " / "))
        return MT_OK;                  /* one ingredient: the pill's drug already */
    while (p < end && rc == MT_OK) {
        const char *sep = strstr(p, " / "), *part_end = sep && sep < end ? sep : end;
        const char *w = p, *stop;
        char ing[128];
        size_t len;
        mdl_ref drug;
        while (w < part_end && *w == ' ')
            w++;
        stop = w;
        while (stop < part_end && *stop >= '0' && *stop <= '9')
            stop++;
        if (stop > w && part_end - stop >= 4 && strncmp(stop, " HR ", 4) == 0)
            w = stop + 4;              /* "24 HR " */
        for (stop = w; stop < part_end; stop++)
            if (*stop >= '0' && *stop <= '9' && (stop == w || stop[-1] == ' '))
                break;
        while (stop > w && stop[-1] == ' ')
            stop--;
        len = (size_t)(stop - w);
        if (len && len < sizeof(ing)) {
            memcpy(ing, w, len);
            ing[len] = '\0';
            if (mdl_drug_find_name(b->m, ing, &drug) == MT_OK)
                rc = add_drug(b, first, drug);
        }
        p = part_end < end ? part_end + 3 : end;
    }
    return rc;
}

static int pill_drugs(bctx *b, const mdl_pill *e, pi_pill *p)
{
    uint32_t first = b->ndrugs, k;
    int rc = MT_OK;
    if (e->product != MDL_NONE && e->product < b->m->products.count)
        for (k = b->ing_first[e->product]; k < b->ing_first[e->product + 1] && rc == MT_OK; k++)
            rc = add_drug(b, first, b->ing[k]);
    if (rc == MT_OK && b->ndrugs == first) {
        if (e->drug != MDL_NONE)
            rc = add_drug(b, first, e->drug);
        if (rc == MT_OK && e->name)
            rc = name_drugs(b, first, e->name);
    }
    p->drugs = first;
    p->ndrugs = (uint8_t)(b->ndrugs - first);
    return rc;
}

static int post_cmp(const void *pa, const void *pb)
{
    const rawpost *a = pa, *b = pb;
    if (a->key != b->key)
        return a->key < b->key ? -1 : 1;
    return a->pill < b->pill ? -1 : a->pill > b->pill;
}

static int fail(mt_kbw_ctx *ctx, int rc, const char *what)
{
    if (ctx->err)
        mt_buf_printf(ctx->err, "pill index: %s: %s", what, mt_strerror(rc));
    return rc;
}

/* The group key of a pill: imprint, colours, shape, name, drug, product. */
static char *group_key(mt_arena *a, const mdl_pill *e, const pi_pill *p, const char *norm)
{
    mt_buf k;
    char *s = NULL;
    mt_buf_init(&k, 1u << 16);
    if (mt_buf_printf(&k, "%s\x1f%u %u %u\x1f%u\x1f%s\x1f%u\x1f%u", norm, p->color[0], p->color[1],
                      p->color[2], p->shape, e->name ? e->name : "", e->drug, e->product) == MT_OK)
        s = mt_arena_strdup(a, mt_buf_str(&k));
    mt_buf_free(&k);
    return s;
}

int mt_pill_kb_sections(mt_kbw_ctx *ctx)
{
    const mdl *m = ctx->m;
    uint32_t n = m->pills.count, i, nkeys = 0, npost = 0;
    pi_pill *pills = NULL;
    pi_key *keys = NULL;
    uint32_t *post = NULL;
    pi_meta *meta = NULL;
    mt_hmap groups;
    bctx b;
    int rc = MT_OK;
    const char *step = "pills";

    memset(&b, 0, sizeof(b));
    b.ctx = ctx;
    b.m = m;
    mt_hmap_init(&groups);
    pills = mt_arena_calloc(ctx->scratch, n ? n : 1, sizeof(*pills));
    meta = mt_arena_calloc(ctx->scratch, 1, sizeof(*meta));
    if (!pills || !meta) {
        rc = MT_ENOMEM;
        goto done;
    }
    if ((rc = build_ings(&b)) != MT_OK)
        goto done;
    for (i = 0; i < n && rc == MT_OK; i++) {
        const mdl_pill *e = &m->pills.items[i];
        pi_pill *p = &pills[i];
        char norm[PI_NORM_MAX], *fold, *gk;
        unsigned ntok, nchar, k;
        size_t len = pi_normalize(e->imprint, norm, sizeof(norm), &ntok, &nchar);
        uint32_t g;

        p->ntok = (uint8_t)ntok;
        p->nchar = (uint8_t)nchar;
        for (k = 0; k < PI_MAX_COLORS; k++)
            p->color[k] = PI_NONE16;
        colors_of(&b, e->color, p);
        p->shape = e->shape && *e->shape ? code_of(&b, "SPL-SHAPE", e->shape, strlen(e->shape)) : PI_NONE16;
        fold = mt_arena_strndup(ctx->scratch, norm, len);
        if (!fold) {
            rc = MT_ENOMEM;
            break;
        }
        pi_fold(fold, len);
        p->mask = pi_char_mask(fold, len);
        if ((rc = mt_kbw_ctx_str(ctx, fold, &p->fold)) != MT_OK)
            break;
        fold = mt_arena_strndup(ctx->scratch, norm, len);   /* the pool keeps a pointer: copy */
        if (!fold) {
            rc = MT_ENOMEM;
            break;
        }
        if ((rc = mt_kbw_ctx_str(ctx, fold, &p->norm)) != MT_OK)
            break;
        gk = group_key(ctx->scratch, e, p, norm);
        if (!gk) {
            rc = MT_ENOMEM;
            break;
        }
        if (mt_hmap_gets(&groups, gk, &g) == MT_OK) {
            p->group = g;
        } else {
            p->group = i;
            if ((rc = mt_hmap_puts(&groups, gk, i)) != MT_OK)
                break;
        }
        if (len) {
            pi_fold(norm, len);
            rc = imprint_keys(&b, i, norm, len);
        }
        for (k = 0; k < p->ncolor && rc == MT_OK; k++)
            rc = add_post(&b, PI_KEY(PI_K_COLOR, p->color[k]), i);
        if (rc == MT_OK && p->shape != PI_NONE16)
            rc = add_post(&b, PI_KEY(PI_K_SHAPE, p->shape), i);
        if (rc == MT_OK)
            rc = pill_drugs(&b, e, p);
    }
    if (rc != MT_OK)
        goto done;

    step = "keys";
    if (b.nposts)
        qsort(b.posts, b.nposts, sizeof(*b.posts), post_cmp);
    keys = mt_arena_calloc(ctx->scratch, b.nposts ? b.nposts : 1, sizeof(*keys));
    post = mt_arena_calloc(ctx->scratch, b.nposts ? b.nposts : 1, sizeof(*post));
    if (!keys || !post) {
        rc = MT_ENOMEM;
        goto done;
    }
    for (i = 0; i < b.nposts; i++) {
        const rawpost *r = &b.posts[i];
        if (i > 0 && r->key == b.posts[i - 1].key && r->pill == b.posts[i - 1].pill)
            continue;                   /* a gram seen twice in one imprint */
        if (nkeys == 0 || keys[nkeys - 1].key != r->key) {
            keys[nkeys].key = r->key;
            keys[nkeys].first = npost;
            keys[nkeys].count = 0;
            nkeys++;
        }
        keys[nkeys - 1].count++;
        post[npost++] = r->pill;
    }
    meta->version = PI_FORMAT_VERSION;
    meta->npills = n;
    meta->nkeys = nkeys;
    meta->npost = npost;
    meta->norm_max = PI_NORM_MAX;
    step = "sections";
    rc = mt_kbw_add(ctx->w, PI_SEC_META, 0, meta, sizeof(*meta));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, PI_SEC_PILLS, sizeof(pi_pill), pills, (uint64_t)n * sizeof(pi_pill));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, PI_SEC_KEYS, sizeof(pi_key), keys, (uint64_t)nkeys * sizeof(pi_key));
    if (rc == MT_OK)
        rc = mt_kbw_add(ctx->w, PI_SEC_POST, sizeof(uint32_t), post, (uint64_t)npost * sizeof(uint32_t));
    if (rc == MT_OK) {
        uint32_t *drugs = mt_arena_calloc(ctx->scratch, b.ndrugs ? b.ndrugs : 1, sizeof(*drugs));
        if (!drugs)
            rc = MT_ENOMEM;
        else {
            if (b.ndrugs)
                memcpy(drugs, b.drugs, (size_t)b.ndrugs * sizeof(*drugs));
            rc = mt_kbw_add(ctx->w, PI_SEC_DRUGS, sizeof(uint32_t), drugs, (uint64_t)b.ndrugs * sizeof(*drugs));
        }
    }
done:
    if (rc != MT_OK)
        fail(ctx, rc, step);
    mt_hmap_free(&groups);
    mt_free(b.posts);
    mt_free(b.ing_first);
    mt_free(b.ing);
    mt_free(b.drugs);
    return rc;
}
