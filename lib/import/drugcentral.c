/*
** drugcentral.c — importer of the DrugCentral 2016 data release
** (drugcentral-2016: identifiers.tsv, pharm_class.tsv, drug_indication.tsv;
** CC BY 4.0, Ursu et al. 2017).
**
** identifiers.tsv: the rows of one DRUG_ID are consecutive. A DrugCentral
** drug joins by its RXNORM, UNII or DRUGBANK_ID identifiers, then by name
** (the documented fallback), else becomes a substance of its own; its
** DrugCentral ID and the cross-identifiers (MeSH, ChEBI, NUI, VUID, SNOMED,
** CAS, and others as "TYPE:value") become cited identifier facts.
**
** mt_drugcentral_xrefs reads only the RXNORM and DRUGBANK_ID rows, for the
** DrugBank importer, which runs first and uses them to join an RxNorm
** ingredient and a DrugBank entry whose names differ (aspirin, DB00945).
**
** pharm_class.tsv: FDA EPC/MoA/PE/Chemical-Ingredient classes (named the FDA
** way, "Serotonin Reuptake Inhibitor [EPC]"), MeSH pharmacological actions
** ("MeSH PA") and ChEBI roles ("ChEBI").
**
** drug_indication.tsv: listed indications (MT_IND_LISTED), after a filter.
** PROVENANCE warns that they leak: an ingredient inherits the indications of
** the products it is part of (cilastatin gets imipenem's infections, caffeine
** the headaches and colds of its combinations), and some rows are plain
** mis-joins (oxycodone -> Heartburn and Tinea Pedis, lisinopril -> Superficial
** Ocular Infection). The filter keeps an indication when the drug is
** pharmacologically related to the other drugs listed for it:
** - one of them shares a specific class with it (an FDA EPC/MoA/PE/Chemical
**   class or a MeSH pharmacological action held by at most 60 drugs), or
** - at least one, and at least a fifth, of them share any class held by at
**   most 250 drugs (so that "Central Nervous System Agents" or "Enzyme
**   Inhibitors", held by 400-500 drugs, relate nothing).
** An indication no other drug lists, or of a drug without such a class, is
** kept: there is nothing to judge it by. docs/reference/sources.md has the numbers.
*/
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import.h"
#include "source/srcfile.h"
#include "util/alloc.h"
#include "util/text.h"

#define DC_CLASS_MAX_DRUGS 250   /* broader classes relate nothing */
#define DC_SPECIFIC_MAX    60    /* a class this small relates drugs on its own */
#define DC_SUPPORT_DIVISOR 5     /* else a fifth of the other drugs must be related */
#define DC_GROUP_MAX       4096  /* identifier rows of one drug */

typedef struct dc_idrow { const char *type, *value; } dc_idrow;
typedef struct dc_member { uint32_t dcid, cls; } dc_member;
typedef struct dc_ind {
    uint32_t      dcid;
    const char   *disease, *cui, *snomed, *doid;
    unsigned long line;
} dc_ind;

typedef struct dc_state {
    mt_import_ctx *ctx;
    const char    *file;
    int            header_seen;
    mt_arena       arena;         /* indication strings, class keys */
    /* identifiers.tsv: the drug being read */
    uint32_t       cur;
    char          *cur_name;
    dc_idrow       rows[DC_GROUP_MAX];
    size_t         nrows;
    mt_arena       grp;           /* strings of the current drug */
    /* pharm_class.tsv: memberships for the indication filter */
    mt_hmap        cls_index;     /* CLASS_SOURCE_ID -> index into cls_size */
    uint32_t      *cls_size;
    size_t         ncls, capcls, capspecific;
    uint8_t       *cls_role;      /* a ChEBI role: never specific enough alone */
    dc_member     *mem;
    size_t         nmem, capmem;
    /* drug_indication.tsv */
    dc_ind        *inds;
    size_t         ninds, capinds;
    unsigned long  joined_by_id, joined_by_name, created, ind_dropped, ind_unjoined, cls_unjoined;
} dc_state;

/* A positive decimal number of at most 9 digits, else 0. */
static uint32_t parse_id(const char *s)
{
    size_t i, n = strlen(s);
    uint32_t v = 0;
    if (n == 0 || n > 9)
        return 0;
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        v = v * 10 + (uint32_t)(s[i] - '0');
    }
    return v;
}

static int same_key(const char *a, const char *b)
{
    char ka[512], kb[512];
    mt_text_key(a, ka, sizeof(ka));
    mt_text_key(b, kb, sizeof(kb));
    return strcmp(ka, kb) == 0;
}

static int grow(void **items, size_t *cap, size_t n, size_t size)
{
    size_t newcap;
    void *p;
    if (n < *cap)
        return MT_OK;
    newcap = *cap ? *cap * 2 : 1024;
    p = mt_reallocarray(*items, newcap, size);
    if (!p)
        return MT_ENOMEM;
    *items = p;
    *cap = newcap;
    return MT_OK;
}

static int check_header(dc_state *st, char **f, size_t n, unsigned long line,
                        const char *const *want, size_t nwant)
{
    size_t i;
    st->header_seen = 1;
    if (n != nwant)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected a header of %zu tab-separated columns, got %zu", nwant, n);
    for (i = 0; i < nwant; i++)
        if (strcmp(f[i], want[i]) != 0)
            return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "header column %zu is \"%s\", expected \"%s\"", i + 1, f[i], want[i]);
    return MT_OK;
}

/* The model drug of a DrugCentral ID, or MDL_NONE. */
static mdl_ref dc_drug(const mdl *m, uint32_t dcid)
{
    mdl_keys k;
    mdl_ref d;
    memset(&k, 0, sizeof(k));
    k.drugcentral_id = dcid;
    return mdl_drug_find(m, &k, &d) == MT_OK ? d : MDL_NONE;
}

/* Counts a row of a class or indication file as joined (its drug came from
** another source) or not (created here, or unknown). */
static void count_row(dc_state *st, mdl_ref d)
{
    mdl_source *src = &st->ctx->m->sources.items[st->ctx->src];
    src->rows++;
    if (d != MDL_NONE && st->ctx->m->drugs.items[d].cite.source != st->ctx->src)
        src->matched++;
    else
        src->unmatched++;
}

/* --- identifiers.tsv ----------------------------------------------------- */

static mt_id_type id_type(const char *t)
{
    static const struct { const char *name; mt_id_type type; } map[] = {
        { "RXNORM", MT_ID_RXCUI }, { "UNII", MT_ID_UNII }, { "DRUGBANK_ID", MT_ID_DRUGBANK },
        { "CHEBI", MT_ID_CHEBI }, { "MESH_DESCRIPTOR_UI", MT_ID_MESH },
        { "MESH_SUPPLEMENTAL_RECORD_UI", MT_ID_MESH }, { "NUI", MT_ID_NUI }, { "NDFRT", MT_ID_NUI },
        { "VUID", MT_ID_VUID }, { "VANDF", MT_ID_VUID }, { "SNOMEDCT_US", MT_ID_SNOMED },
        { "SECONDARY_CAS_RN", MT_ID_CAS },
    };
    size_t i;
    for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
        if (strcmp(map[i].name, t) == 0)
            return map[i].type;
    return MT_ID_OTHER;
}

/* The drug a DrugCentral drug joins: by RxCUI, UNII, DrugBank ID, then by
** name (the drug's own name, or another of its names when it has no
** DrugCentral ID yet and no other UNII). */
static mdl_ref resolve(dc_state *st)
{
    mdl *m = st->ctx->m;
    static const mt_id_type order[3] = { MT_ID_RXCUI, MT_ID_UNII, MT_ID_DRUGBANK };
    const char *unii = NULL;
    mdl_ref d;
    size_t i;
    int o;

    for (o = 0; o < 3; o++) {
        for (i = 0; i < st->nrows; i++) {
            mdl_keys k;
            if (id_type(st->rows[i].type) != order[o])
                continue;
            memset(&k, 0, sizeof(k));
            if (order[o] == MT_ID_RXCUI)
                k.rxcui = parse_id(st->rows[i].value);
            else if (order[o] == MT_ID_UNII)
                k.unii = unii = st->rows[i].value;
            else
                k.drugbank_id = st->rows[i].value;
            if ((k.rxcui || k.unii || k.drugbank_id) && mdl_drug_find(m, &k, &d) == MT_OK) {
                st->joined_by_id++;
                return d;
            }
        }
    }
    if (mdl_drug_find_name(m, st->cur_name, &d) == MT_OK) {
        const mdl_drug *dd = &m->drugs.items[d];
        if (same_key(st->cur_name, dd->name) ? (!dd->drugcentral_id || dd->rxcui)
                                             : (!dd->drugcentral_id &&
                                                !(dd->unii && unii && strcasecmp(dd->unii, unii) != 0))) {
            st->joined_by_name++;
            return d;
        }
    }
    return MDL_NONE;
}

static int flush_drug(dc_state *st)
{
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    mdl_source *src = &m->sources.items[ctx->src];
    mdl_cite cite;
    mdl_ref d;
    char num[16];
    size_t i;
    int rc = MT_OK;

    if (!st->cur)
        return MT_OK;
    cite = mdl_cite_make(m, ctx->src, "%s DRUG_ID %u", st->file, st->cur);
    snprintf(num, sizeof(num), "%u", st->cur);
    d = resolve(st);
    src->rows += (uint32_t)st->nrows;
    if (d == MDL_NONE) {
        mdl_keys k;
        memset(&k, 0, sizeof(k));
        k.drugcentral_id = st->cur;
        if ((rc = mdl_drug_add(m, st->cur_name, MT_DRUG_SUBSTANCE, &k, 0, cite, &d)) != MT_OK)
            goto done;
        st->created++;
        src->unmatched += (uint32_t)st->nrows;
    } else {
        src->matched += (uint32_t)st->nrows;
        if ((rc = mdl_ident_add(m, d, MT_ID_DRUGCENTRAL, num, cite)) != MT_OK)
            goto done;
    }
    for (i = 0; i < st->nrows; i++) {
        mt_id_type t = id_type(st->rows[i].type);
        char other[256];
        const char *value = st->rows[i].value;
        if (t == MT_ID_RXCUI && !parse_id(value))
            continue;                   /* checked when read */
        if (t == MT_ID_OTHER) {
            snprintf(other, sizeof(other), "%s:%s", st->rows[i].type, value);
            value = other;
        }
        if ((rc = mdl_ident_add(m, d, t, value, cite)) != MT_OK)
            goto done;
    }
done:
    st->cur = 0;
    st->nrows = 0;
    mt_arena_reset(&st->grp);
    return rc;
}

static int on_ident(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[4] = { "DRUG_ID", "DRUG_NAME", "ID_TYPE", "IDENTIFIER" };
    dc_state *st = user;
    uint32_t id;
    int rc;

    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 4);
    if (n != 4)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 4 tab-separated fields, got %zu", n);
    id = parse_id(f[0]);
    if (!id)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "DRUG_ID \"%s\" is not a number", f[0]);
    if (!*f[1] || !*f[2] || !*f[3] || strlen(f[2]) > 64 || strlen(f[3]) > 128 ||
        !mt_utf8_valid(f[1], strlen(f[1])) || !mt_utf8_valid(f[3], strlen(f[3])))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "empty, overlong or invalid name, type or identifier");
    if (strcmp(f[2], "RXNORM") == 0 && !parse_id(f[3]))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "RXNORM identifier \"%s\" is not a number", f[3]);
    if (id != st->cur) {
        if ((rc = flush_drug(st)) != MT_OK)
            return rc;
        st->cur = id;
        if (!(st->cur_name = mt_arena_strdup(&st->grp, f[1])))
            return MT_ENOMEM;
    }
    if (st->nrows == DC_GROUP_MAX)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "more than %d identifiers for DRUG_ID %u", DC_GROUP_MAX, id);
    st->rows[st->nrows].type = mt_arena_strdup(&st->grp, f[2]);
    st->rows[st->nrows].value = mt_arena_strdup(&st->grp, f[3]);
    if (!st->rows[st->nrows].type || !st->rows[st->nrows].value)
        return MT_ENOMEM;
    st->nrows++;
    return MT_OK;
}

/* --- cross-references for the importers that run before DrugCentral ---------- */

#define DC_XREF_MAX 64            /* RXNORM or DRUGBANK_ID values of one drug (at most 6 in 2016) */

typedef struct dc_xref_state {
    const char    *dir;
    mt_buf        *err;
    int          (*fn)(void *user, const mt_dc_xref *x);
    void          *user;
    int            header_seen;
    mt_dc_xref     cur;
    uint32_t       rxcui[DC_XREF_MAX];
    const char    *drugbank[DC_XREF_MAX];
    mt_arena       grp;           /* strings of the current drug */
} dc_xref_state;

static int xref_fail(dc_xref_state *st, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int xref_fail(dc_xref_state *st, unsigned long line, const char *fmt, ...)
{
    va_list ap;
    if (!st->err)
        return MT_EFORMAT;
    mt_buf_printf(st->err, "%s/identifiers.tsv:%lu: ", st->dir, line);
    va_start(ap, fmt);
    mt_buf_vprintf(st->err, fmt, ap);
    va_end(ap);
    return MT_EFORMAT;
}

static int xref_flush(dc_xref_state *st)
{
    int rc = MT_OK;
    if (st->cur.dcid && (st->cur.nrxcui || st->cur.ndrugbank))
        rc = st->fn(st->user, &st->cur);
    memset(&st->cur, 0, sizeof(st->cur));
    st->cur.rxcui = st->rxcui;
    st->cur.drugbank = st->drugbank;
    mt_arena_reset(&st->grp);
    return rc;
}

static int on_xref(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[4] = { "DRUG_ID", "DRUG_NAME", "ID_TYPE", "IDENTIFIER" };
    dc_xref_state *st = user;
    uint32_t id;
    size_t i;
    int rc;

    if (!st->header_seen) {
        st->header_seen = 1;
        if (n != 4)
            return xref_fail(st, line, "expected a header of 4 tab-separated columns, got %zu", n);
        for (i = 0; i < 4; i++)
            if (strcmp(f[i], hdr[i]) != 0)
                return xref_fail(st, line, "header column %zu is \"%s\", expected \"%s\"", i + 1, f[i], hdr[i]);
        return MT_OK;
    }
    if (n != 4)
        return xref_fail(st, line, "expected 4 tab-separated fields, got %zu", n);
    id = parse_id(f[0]);
    if (!id)
        return xref_fail(st, line, "DRUG_ID \"%s\" is not a number", f[0]);
    if (!*f[1] || !*f[2] || !*f[3] || strlen(f[2]) > 64 || strlen(f[3]) > 128 ||
        !mt_utf8_valid(f[1], strlen(f[1])) || !mt_utf8_valid(f[3], strlen(f[3])))
        return xref_fail(st, line, "empty, overlong or invalid name, type or identifier");
    if (id != st->cur.dcid) {
        if ((rc = xref_flush(st)) != MT_OK)
            return rc;
        st->cur.dcid = id;
        st->cur.line = line;
        if (!(st->cur.name = mt_arena_strdup(&st->grp, f[1])))
            return MT_ENOMEM;
    }
    if (strcmp(f[2], "RXNORM") == 0) {
        if (!parse_id(f[3]))
            return xref_fail(st, line, "RXNORM identifier \"%s\" is not a number", f[3]);
        if (st->cur.nrxcui == DC_XREF_MAX)
            return xref_fail(st, line, "more than %d RXNORM identifiers for DRUG_ID %u", DC_XREF_MAX, id);
        st->rxcui[st->cur.nrxcui++] = parse_id(f[3]);
    } else if (strcmp(f[2], "DRUGBANK_ID") == 0) {
        if (st->cur.ndrugbank == DC_XREF_MAX)
            return xref_fail(st, line, "more than %d DRUGBANK_ID identifiers for DRUG_ID %u", DC_XREF_MAX, id);
        if (!(st->drugbank[st->cur.ndrugbank++] = mt_arena_strdup(&st->grp, f[3])))
            return MT_ENOMEM;
    }
    return MT_OK;
}

int mt_drugcentral_xrefs(const char *dir, int (*fn)(void *user, const mt_dc_xref *x), void *user,
                         mt_buf *err)
{
    dc_xref_state *st = mt_calloc(1, sizeof(*st));
    int rc;

    if (!st)
        return MT_ENOMEM;
    st->dir = dir;
    st->err = err;
    st->fn = fn;
    st->user = user;
    st->cur.rxcui = st->rxcui;
    st->cur.drugbank = st->drugbank;
    mt_arena_init(&st->grp, 4 * 1024, 0);
    rc = mt_csv_read(dir, "identifiers.tsv", '\t', '"', on_xref, st, err);
    if (rc == MT_OK && !st->header_seen)
        rc = xref_fail(st, 0, "empty file");
    if (rc == MT_OK)
        rc = xref_flush(st);
    mt_arena_free(&st->grp);
    mt_free(st);
    return rc;
}

/* --- pharm_class.tsv ------------------------------------------------------ */

static int member_add(dc_state *st, uint32_t dcid, const char *code, int role)
{
    uint32_t idx;
    int rc;
    if (mt_hmap_gets(&st->cls_index, code, &idx) != MT_OK) {
        const char *key = mt_arena_strdup(&st->arena, code);
        if (!key)
            return MT_ENOMEM;
        if ((rc = grow((void **)&st->cls_size, &st->capcls, st->ncls, sizeof(*st->cls_size))) != MT_OK ||
            (rc = grow((void **)&st->cls_role, &st->capspecific, st->ncls, sizeof(*st->cls_role))) != MT_OK)
            return rc;
        idx = (uint32_t)st->ncls;
        st->cls_role[st->ncls] = (uint8_t)role;
        st->cls_size[st->ncls++] = 0;
        if ((rc = mt_hmap_puts(&st->cls_index, key, idx)) != MT_OK)
            return rc;
    }
    st->cls_size[idx]++;
    if ((rc = grow((void **)&st->mem, &st->capmem, st->nmem, sizeof(*st->mem))) != MT_OK)
        return rc;
    st->mem[st->nmem].dcid = dcid;
    st->mem[st->nmem].cls = idx;
    st->nmem++;
    return MT_OK;
}

static int on_class(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[6] = { "DRUG_ID", "DRUG_NAME", "TYPE", "CLASS_SOURCE_ID", "CLASS", "SOURCE" };
    static const struct { const char *in, *type, *suffix; } types[] = {
        { "EPC", "EPC", " [EPC]" }, { "MoA", "MoA", " [MoA]" }, { "PE", "PE", " [PE]" },
        { "Chemical/Ingredient", "CS", " [Chemical/Ingredient]" },
        { "PA", "MeSH PA", "" }, { "has role", "ChEBI", "" },
    };
    dc_state *st = user;
    mdl *m = st->ctx->m;
    char name[512];
    uint32_t dcid;
    mdl_ref d, cls;
    mdl_cite cite;
    size_t t;
    int rc;

    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 6);
    if (n != 6)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 6 tab-separated fields, got %zu", n);
    dcid = parse_id(f[0]);
    if (!dcid)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "DRUG_ID \"%s\" is not a number", f[0]);
    for (t = 0; t < sizeof(types) / sizeof(types[0]); t++)
        if (strcmp(f[2], types[t].in) == 0)
            break;
    if (t == sizeof(types) / sizeof(types[0]))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "unknown class TYPE \"%s\"", f[2]);
    if (!*f[3] || !*f[4] || strlen(f[4]) > 400 || !mt_utf8_valid(f[4], strlen(f[4])))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "empty, overlong or invalid class id or name");
    if ((rc = member_add(st, dcid, f[3], strcmp(f[2], "has role") == 0)) != MT_OK)
        return rc;

    d = dc_drug(m, dcid);
    count_row(st, d);
    if (d == MDL_NONE) {
        st->cls_unjoined++;
        return MT_OK;
    }
    snprintf(name, sizeof(name), "%s%s", f[4], types[t].suffix);
    cite = mdl_cite_make(m, st->ctx->src, "%s line %lu", st->file, line);
    if ((rc = mdl_class_get(m, types[t].type, f[3], name, cite, &cls)) != MT_OK)
        return rc;
    return mdl_drug_class_add(m, mdl_drug_base(m, d), cls, cite);
}

/* --- drug_indication.tsv --------------------------------------------------- */

static int on_indication(void *user, char **f, size_t n, unsigned long line)
{
    static const char *const hdr[6] = { "DRUG_ID", "DRUG_NAME", "INDICATION_FDB", "UMLS_CUI",
                                        "SNOMEDCT_CUI", "DOID" };
    dc_state *st = user;
    dc_ind *in;
    uint32_t dcid;
    int rc;

    if (!st->header_seen)
        return check_header(st, f, n, line, hdr, 6);
    if (n != 6)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "expected 6 tab-separated fields, got %zu", n);
    dcid = parse_id(f[0]);
    if (!dcid)
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "DRUG_ID \"%s\" is not a number", f[0]);
    if (!*f[2] || strlen(f[2]) > 400 || !mt_utf8_valid(f[2], strlen(f[2])))
        return mt_import_fail(st->ctx, st->file, line, MT_EFORMAT, "empty, overlong or invalid INDICATION_FDB");
    if ((rc = grow((void **)&st->inds, &st->capinds, st->ninds, sizeof(*st->inds))) != MT_OK)
        return rc;
    in = &st->inds[st->ninds];
    in->dcid = dcid;
    in->line = line;
    in->disease = mt_arena_strdup(&st->arena, f[2]);
    in->cui = *f[3] ? mt_arena_strdup(&st->arena, f[3]) : NULL;
    in->snomed = *f[4] ? mt_arena_strdup(&st->arena, f[4]) : NULL;
    in->doid = *f[5] ? mt_arena_strdup(&st->arena, f[5]) : NULL;
    if (!in->disease || (*f[3] && !in->cui) || (*f[4] && !in->snomed) || (*f[5] && !in->doid))
        return MT_ENOMEM;
    st->ninds++;
    return MT_OK;
}

static int cmp_member(const void *a, const void *b)
{
    const dc_member *x = a, *y = b;
    if (x->dcid != y->dcid)
        return x->dcid < y->dcid ? -1 : 1;
    return x->cls < y->cls ? -1 : x->cls > y->cls;
}

static int cmp_ind(const void *a, const void *b)
{
    const dc_ind *x = a, *y = b;
    int c = strcmp(x->disease, y->disease);
    if (c)
        return c;
    if (x->dcid != y->dcid)
        return x->dcid < y->dcid ? -1 : 1;
    return x->line < y->line ? -1 : x->line > y->line;
}

/* The drug's class memberships: [*lo, *hi) in the sorted st->mem. */
static void classes_of(const dc_state *st, uint32_t dcid, size_t *lo, size_t *hi)
{
    size_t a = 0, b = st->nmem;
    while (a < b) {
        size_t mid = (a + b) / 2;
        if (st->mem[mid].dcid < dcid)
            a = mid + 1;
        else
            b = mid;
    }
    *lo = a;
    while (a < st->nmem && st->mem[a].dcid == dcid)
        a++;
    *hi = a;
}

/* Whether drug `p` shares one of the classes mine[0..nmine) (sorted). */
static int related(const dc_state *st, uint32_t p, const uint32_t *mine, size_t nmine)
{
    size_t lo, hi, i = 0;
    classes_of(st, p, &lo, &hi);
    while (i < nmine && lo < hi) {
        if (mine[i] == st->mem[lo].cls)
            return 1;
        if (mine[i] < st->mem[lo].cls)
            i++;
        else
            lo++;
    }
    return 0;
}

/* Whether the indication st->inds[r], in the group [g0, g1) of rows with the
** same indication, passes the filter described at the top of this file. */
static int keep_indication(const dc_state *st, size_t g0, size_t g1, size_t r)
{
    uint32_t mine[256], specific[256];
    size_t nmine = 0, nspecific = 0, lo, hi, i, npeers = 0, supported = 0;
    uint32_t d = st->inds[r].dcid;

    classes_of(st, d, &lo, &hi);
    for (i = lo; i < hi && nmine < 256; i++) {
        uint32_t c = st->mem[i].cls;
        if (st->cls_size[c] <= DC_CLASS_MAX_DRUGS)
            mine[nmine++] = c;
        if (st->cls_size[c] <= DC_SPECIFIC_MAX && !st->cls_role[c])
            specific[nspecific++] = c;
    }
    for (i = g0; i < g1; i++) {
        uint32_t p = st->inds[i].dcid;
        if (p == d || (i > g0 && st->inds[i - 1].dcid == p))
            continue;                   /* itself, or a repeated row of a peer */
        npeers++;
        if (nspecific && related(st, p, specific, nspecific))
            return 1;
        if (nmine && related(st, p, mine, nmine))
            supported++;
    }
    if (npeers == 0 || nmine == 0)
        return 1;
    return supported > 0 && supported * DC_SUPPORT_DIVISOR >= npeers;
}

static int add_indications(dc_state *st, const char *file)
{
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    size_t g0 = 0, g1, r;
    unsigned examples = 0;
    int rc;

    qsort(st->mem, st->nmem, sizeof(*st->mem), cmp_member);
    qsort(st->inds, st->ninds, sizeof(*st->inds), cmp_ind);
    while (g0 < st->ninds) {
        g1 = g0 + 1;
        while (g1 < st->ninds && strcmp(st->inds[g1].disease, st->inds[g0].disease) == 0)
            g1++;
        for (r = g0; r < g1; r++) {
            const dc_ind *in = &st->inds[r];
            mdl_ref d = dc_drug(m, in->dcid);
            mdl_indication ind;
            char did[64];

            count_row(st, d);
            if (d == MDL_NONE) {
                st->ind_unjoined++;
                continue;
            }
            if (!keep_indication(st, g0, g1, r)) {
                st->ind_dropped++;
                ctx->skipped++;
                if (ctx->warn && examples++ < 5)
                    mt_buf_printf(ctx->warn, "drugcentral: dropped %s line %lu: %s -> %s "
                                  "(no pharmacological relative among the other drugs listed for it)\n",
                                  file, in->line, m->drugs.items[d].name, in->disease);
                continue;
            }
            memset(&ind, 0, sizeof(ind));
            ind.drug = mdl_drug_base(m, d);
            ind.category = MT_IND_LISTED;
            ind.disease = in->disease;
            /* The UMLS CUI first: LabeledIn names diseases by CUI too. */
            if (in->cui)
                ind.disease_id = in->cui;
            else if (in->doid)
                ind.disease_id = in->doid;
            else if (in->snomed) {
                snprintf(did, sizeof(did), "SNOMEDCT:%s", in->snomed);
                ind.disease_id = did;
            }
            ind.cite = mdl_cite_make(m, ctx->src, "%s line %lu", file, in->line);
            if ((rc = mdl_indication_add(m, &ind)) != MT_OK)
                return rc;
        }
        g0 = g1;
    }
    return MT_OK;
}

/* --- the importer ------------------------------------------------------------ */

static int read_file(dc_state *st, const char *name, char quote, mt_csv_row_fn fn)
{
    int rc;
    st->file = name;
    st->header_seen = 0;
    rc = mt_csv_read(st->ctx->dir, name, '\t', quote, fn, st, st->ctx->err);
    if (rc == MT_OK && !st->header_seen)
        rc = mt_import_fail(st->ctx, st->file, 0, MT_EFORMAT, "empty file");
    return rc;
}

int mt_import_drugcentral(mt_import_ctx *ctx)
{
    dc_state *st = mt_calloc(1, sizeof(*st));
    int rc;

    if (!st)
        return MT_ENOMEM;
    st->ctx = ctx;
    mt_arena_init(&st->arena, 256 * 1024, 0);
    mt_arena_init(&st->grp, 16 * 1024, 0);
    mt_hmap_init(&st->cls_index);

    /* identifiers.tsv quotes every field; the other two files never quote. */
    rc = read_file(st, "identifiers.tsv", '"', on_ident);
    if (rc == MT_OK)
        rc = flush_drug(st);
    if (rc == MT_OK && ctx->progress)
        ctx->progress(ctx->progress_user, "DrugCentral", 1, 3);
    if (rc == MT_OK)
        rc = read_file(st, "pharm_class.tsv", 0, on_class);
    if (rc == MT_OK && ctx->progress)
        ctx->progress(ctx->progress_user, "DrugCentral", 2, 3);
    if (rc == MT_OK)
        rc = read_file(st, "drug_indication.tsv", 0, on_indication);
    if (rc == MT_OK)
        rc = add_indications(st, "drug_indication.tsv");
    if (rc == MT_OK && ctx->progress)
        ctx->progress(ctx->progress_user, "DrugCentral", 3, 3);
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "drugcentral: %lu drugs joined by identifier, %lu by name, %lu "
                      "created; %lu of %zu listed indications dropped by the relatedness filter "
                      "(docs/sources.md)\n", st->joined_by_id, st->joined_by_name, st->created,
                      st->ind_dropped, st->ninds);

    mt_hmap_free(&st->cls_index);
    mt_arena_free(&st->arena);
    mt_arena_free(&st->grp);
    mt_free(st->cls_size);
    mt_free(st->cls_role);
    mt_free(st->mem);
    mt_free(st->inds);
    mt_free(st);
    return rc;
}
