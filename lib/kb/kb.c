/*
** kb.c — opening a knowledge base (materia/kb.h) and proving, once, that
** every reference in it is in bounds (kb_internal.h lists the guarantees).
**
** Validation is driven by a static schema: per core table, its record size
** and the fields that are strings, references, ranges or citations. The same
** checker serves the engine modules' own tables (mt_kb_check_table). It runs
** in time linear in the file size: range fields must tile their target in
** order, so checking each range's back-reference visits every record once.
*/
#include "kb/kb_internal.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "util/alloc.h"

/* What element accessors return for an index out of range. */
const uint64_t mt_kb_zero_record[32];
#define MT_KB_X_SIZE(E, one, many, T, sec) \
    _Static_assert(sizeof(T) <= sizeof(mt_kb_zero_record), "zero record too small for " #T);
MT_KB_CORE_TABLES(MT_KB_X_SIZE)
#undef MT_KB_X_SIZE

/* --- the schema of the core tables --------------------------------------- */

#define FSTR(T, f)            { KB_F_STR, offsetof(T, f), 0, 0, #f }
#define FREF(T, f, sec)       { KB_F_REF, offsetof(T, f), sec, 0, #f }
#define FREFOPT(T, f, sec)    { KB_F_REF_OPT, offsetof(T, f), sec, 0, #f }
#define FRANGE(T, f, sec, TT, owner) { KB_F_RANGE, offsetof(T, f), sec, offsetof(TT, owner) + 1, #f }
#define FRANGE_NOOWNER(T, f, sec)    { KB_F_RANGE, offsetof(T, f), sec, 0, #f }
#define FCITE(T, f)           { KB_F_CITE, offsetof(T, f), 0, 0, #f }
#define FMAX8(T, f, max)      { KB_F_MAX8, offsetof(T, f), 0, max, #f }
#define FIN8(T, f, lo, hi)    { KB_F_RANGE8, offsetof(T, f), 0, (lo) | (hi) << 8, #f }
#define FZERO(T, f)           { KB_F_ZERO, offsetof(T, f), 0, sizeof(((T *)0)->f), #f }
#define FDIGITS(T, f)         { KB_F_DIGITS, offsetof(T, f), 0, sizeof(((T *)0)->f), #f }
#define NF(a) (uint32_t)(sizeof(a) / sizeof((a)[0]))

static const mt_kb_field f_source[] = {
    FSTR(kb_source, id), FSTR(kb_source, name), FSTR(kb_source, edition),
    FSTR(kb_source, licence), FSTR(kb_source, attribution), FSTR(kb_source, url),
    FSTR(kb_source, kind), FSTR(kb_source, folder)
};
static const mt_kb_field f_drug[] = {
    FSTR(kb_drug, name), FIN8(kb_drug, kind, 1, 5), FZERO(kb_drug, reserved),
    FSTR(kb_drug, unii), FSTR(kb_drug, drugbank_id), FREFOPT(kb_drug, parent, KB_SEC_DRUGS),
    FCITE(kb_drug, cite),
    FRANGE(kb_drug, idents, KB_SEC_IDENTS, kb_ident, drug),
    FRANGE(kb_drug, names, KB_SEC_NAMES, kb_name, drug),
    FRANGE(kb_drug, products, KB_SEC_DRUG_PRODUCTS, kb_product_ing, drug),
    FRANGE(kb_drug, classes, KB_SEC_DRUG_CLASSES, kb_drug_class, drug),
    FRANGE(kb_drug, indications, KB_SEC_INDICATIONS, kb_indication, drug),
    FRANGE(kb_drug, approvals, KB_SEC_APPROVALS, kb_approval, drug),
    FRANGE(kb_drug, schedules, KB_SEC_SCHEDULES, kb_schedule, drug),
    FRANGE(kb_drug, acbs, KB_SEC_ACB, kb_acb, drug),
    FRANGE(kb_drug, docs, KB_SEC_DRUG_DOCS, kb_doc_drug, drug),
    FRANGE_NOOWNER(kb_drug, interactions, KB_SEC_IXADJ)
};
static const mt_kb_field f_ident[] = {
    FREF(kb_ident, drug, KB_SEC_DRUGS), FSTR(kb_ident, value), FIN8(kb_ident, type, 1, 99),
    FZERO(kb_ident, reserved), FCITE(kb_ident, cite)
};
static const mt_kb_field f_name[] = {
    FREF(kb_name, drug, KB_SEC_DRUGS), FSTR(kb_name, text), FSTR(kb_name, code),
    FIN8(kb_name, kind, 1, 6), FZERO(kb_name, reserved), FCITE(kb_name, cite)
};
static const mt_kb_field f_product[] = {
    FSTR(kb_product, tty), FSTR(kb_product, name), FSTR(kb_product, brand), FCITE(kb_product, cite),
    FRANGE(kb_product, ings, KB_SEC_PRODUCT_INGS, kb_product_ing, product),
    FRANGE(kb_product, ndcs, KB_SEC_NDCS, kb_ndc, product)
};
static const mt_kb_field f_product_ing[] = {
    FREF(kb_product_ing, product, KB_SEC_PRODUCTS), FREF(kb_product_ing, drug, KB_SEC_DRUGS)
};
static const mt_kb_field f_ndc[] = {
    FDIGITS(kb_ndc, ndc11), FREF(kb_ndc, product, KB_SEC_PRODUCTS), FCITE(kb_ndc, cite)
};
static const mt_kb_field f_ndc_index[] = {
    { KB_F_REF, 0, KB_SEC_NDCS, 0, "ndc" }
};
static const mt_kb_field f_class[] = {
    FSTR(kb_class, type), FSTR(kb_class, code), FSTR(kb_class, name), FCITE(kb_class, cite),
    FRANGE(kb_class, members, KB_SEC_CLASS_MEMBERS, kb_drug_class, cls)
};
static const mt_kb_field f_drug_class[] = {
    FREF(kb_drug_class, drug, KB_SEC_DRUGS), FREF(kb_drug_class, cls, KB_SEC_CLASSES),
    FCITE(kb_drug_class, cite)
};
static const mt_kb_field f_indication[] = {
    FREF(kb_indication, drug, KB_SEC_DRUGS), FSTR(kb_indication, disease),
    FSTR(kb_indication, disease_id), FIN8(kb_indication, category, 1, 5),
    FZERO(kb_indication, reserved), FCITE(kb_indication, cite)
};
static const mt_kb_field f_approval[] = {
    FREF(kb_approval, drug, KB_SEC_DRUGS), FSTR(kb_approval, appl_type), FSTR(kb_approval, appl_no),
    FSTR(kb_approval, product_no), FSTR(kb_approval, brand), FSTR(kb_approval, active_ingredient),
    FSTR(kb_approval, form), FSTR(kb_approval, strength), FSTR(kb_approval, marketing_status),
    FSTR(kb_approval, approval_date), FSTR(kb_approval, sponsor), FCITE(kb_approval, cite)
};
static const mt_kb_field f_schedule[] = {
    FREF(kb_schedule, drug, KB_SEC_DRUGS), FSTR(kb_schedule, schedule), FCITE(kb_schedule, cite)
};
static const mt_kb_field f_acb[] = {
    FREF(kb_acb, drug, KB_SEC_DRUGS), FSTR(kb_acb, scale), FMAX8(kb_acb, score, 9),
    FZERO(kb_acb, reserved), FCITE(kb_acb, cite)
};
static const mt_kb_field f_doc[] = {
    FSTR(kb_doc, title), FSTR(kb_doc, jurisdiction), FSTR(kb_doc, date), FSTR(kb_doc, doc_id),
    FIN8(kb_doc, kind, 1, 2), FZERO(kb_doc, reserved), FCITE(kb_doc, cite),
    FRANGE(kb_doc, sections, KB_SEC_DOC_SECTIONS, kb_doc_section, doc),
    FRANGE(kb_doc, drugs, KB_SEC_DOC_DRUGS, kb_doc_drug, doc)
};
static const mt_kb_field f_doc_section[] = {
    FREF(kb_doc_section, doc, KB_SEC_DOCS), FSTR(kb_doc_section, code),
    FSTR(kb_doc_section, title), FSTR(kb_doc_section, text)
};
static const mt_kb_field f_doc_drug[] = {
    FREF(kb_doc_drug, doc, KB_SEC_DOCS), FREF(kb_doc_drug, drug, KB_SEC_DRUGS)
};
static const mt_kb_field f_pill[] = {
    FSTR(kb_pill, ndc11), FSTR(kb_pill, name), FREFOPT(kb_pill, product, KB_SEC_PRODUCTS),
    FREFOPT(kb_pill, drug, KB_SEC_DRUGS), FSTR(kb_pill, imprint), FSTR(kb_pill, color),
    FSTR(kb_pill, shape), FSTR(kb_pill, strength), FSTR(kb_pill, form), FSTR(kb_pill, labeler),
    FSTR(kb_pill, schedule), FZERO(kb_pill, reserved), FCITE(kb_pill, cite),
    FCITE(kb_pill, fill_cite)
};
static const mt_kb_field f_ixrule[] = {
    FIN8(kb_ixrule, kind, 1, 4), FMAX8(kb_ixrule, severity, 4), FMAX8(kb_ixrule, tier, 2),
    FZERO(kb_ixrule, reserved),
    FSTR(kb_ixrule, a_label), FSTR(kb_ixrule, b_label), FSTR(kb_ixrule, level), FSTR(kb_ixrule, dur),
    FSTR(kb_ixrule, effect), FSTR(kb_ixrule, mechanism), FSTR(kb_ixrule, management),
    FSTR(kb_ixrule, lang), FCITE(kb_ixrule, cite), FCITE(kb_ixrule, text_cite),
    FRANGE(kb_ixrule, pairs, KB_SEC_IXPAIRS, kb_ixpair, rule)
};
static const mt_kb_field f_ixpair[] = {
    FREF(kb_ixpair, a, KB_SEC_DRUGS), FREF(kb_ixpair, b, KB_SEC_DRUGS),
    FREF(kb_ixpair, rule, KB_SEC_IXRULES)
};
static const mt_kb_field f_ixadj[] = {
    FREF(kb_ixadj, other, KB_SEC_DRUGS), FREF(kb_ixadj, rule, KB_SEC_IXRULES)
};
static const mt_kb_field f_key_u32[] = { FREF(kb_key_u32, drug, KB_SEC_DRUGS) };
static const mt_kb_field f_key_str[] = { FSTR(kb_key_str, key), FREF(kb_key_str, drug, KB_SEC_DRUGS) };
static const mt_kb_field f_code[] = {
    FSTR(kb_code, system), FSTR(kb_code, code), FSTR(kb_code, display), FSTR(kb_code, hex),
    FCITE(kb_code, cite)
};

#define REQ KB_TF_REQUIRED
static const mt_kb_table core_schema[KB_T_COUNT] = {
    [KB_T_SOURCES]       = { "sources", KB_SEC_SOURCES, sizeof(kb_source), REQ, f_source, NF(f_source) },
    [KB_T_DRUGS]         = { "drugs", KB_SEC_DRUGS, sizeof(kb_drug), REQ, f_drug, NF(f_drug) },
    [KB_T_IDENTS]        = { "idents", KB_SEC_IDENTS, sizeof(kb_ident), REQ, f_ident, NF(f_ident) },
    [KB_T_NAMES]         = { "names", KB_SEC_NAMES, sizeof(kb_name), REQ, f_name, NF(f_name) },
    [KB_T_PRODUCTS]      = { "products", KB_SEC_PRODUCTS, sizeof(kb_product), REQ, f_product, NF(f_product) },
    [KB_T_PRODUCT_INGS]  = { "product_ings", KB_SEC_PRODUCT_INGS, sizeof(kb_product_ing), REQ,
                             f_product_ing, NF(f_product_ing) },
    [KB_T_DRUG_PRODUCTS] = { "drug_products", KB_SEC_DRUG_PRODUCTS, sizeof(kb_product_ing), REQ,
                             f_product_ing, NF(f_product_ing) },
    [KB_T_NDCS]          = { "ndcs", KB_SEC_NDCS, sizeof(kb_ndc), REQ, f_ndc, NF(f_ndc) },
    [KB_T_NDC_INDEX]     = { "ndc_index", KB_SEC_NDC_INDEX, sizeof(uint32_t), REQ, f_ndc_index, NF(f_ndc_index) },
    [KB_T_CLASSES]       = { "classes", KB_SEC_CLASSES, sizeof(kb_class), REQ, f_class, NF(f_class) },
    [KB_T_DRUG_CLASSES]  = { "drug_classes", KB_SEC_DRUG_CLASSES, sizeof(kb_drug_class), REQ,
                             f_drug_class, NF(f_drug_class) },
    [KB_T_CLASS_MEMBERS] = { "class_members", KB_SEC_CLASS_MEMBERS, sizeof(kb_drug_class), REQ,
                             f_drug_class, NF(f_drug_class) },
    [KB_T_INDICATIONS]   = { "indications", KB_SEC_INDICATIONS, sizeof(kb_indication), REQ,
                             f_indication, NF(f_indication) },
    [KB_T_APPROVALS]     = { "approvals", KB_SEC_APPROVALS, sizeof(kb_approval), REQ, f_approval, NF(f_approval) },
    [KB_T_SCHEDULES]     = { "schedules", KB_SEC_SCHEDULES, sizeof(kb_schedule), REQ, f_schedule, NF(f_schedule) },
    [KB_T_ACBS]          = { "acb", KB_SEC_ACB, sizeof(kb_acb), REQ, f_acb, NF(f_acb) },
    [KB_T_DOCS]          = { "docs", KB_SEC_DOCS, sizeof(kb_doc), REQ, f_doc, NF(f_doc) },
    [KB_T_DOC_SECTIONS]  = { "doc_sections", KB_SEC_DOC_SECTIONS, sizeof(kb_doc_section), REQ,
                             f_doc_section, NF(f_doc_section) },
    [KB_T_DOC_DRUGS]     = { "doc_drugs", KB_SEC_DOC_DRUGS, sizeof(kb_doc_drug), REQ, f_doc_drug, NF(f_doc_drug) },
    [KB_T_DRUG_DOCS]     = { "drug_docs", KB_SEC_DRUG_DOCS, sizeof(kb_doc_drug), REQ, f_doc_drug, NF(f_doc_drug) },
    [KB_T_PILLS]         = { "pills", KB_SEC_PILLS, sizeof(kb_pill), REQ, f_pill, NF(f_pill) },
    [KB_T_IXRULES]       = { "ixrules", KB_SEC_IXRULES, sizeof(kb_ixrule), REQ, f_ixrule, NF(f_ixrule) },
    [KB_T_IXPAIRS]       = { "ixpairs", KB_SEC_IXPAIRS, sizeof(kb_ixpair), REQ, f_ixpair, NF(f_ixpair) },
    [KB_T_IXADJ]         = { "ixadj", KB_SEC_IXADJ, sizeof(kb_ixadj), REQ, f_ixadj, NF(f_ixadj) },
    [KB_T_BY_RXCUI]      = { "drug_by_rxcui", KB_SEC_DRUG_BY_RXCUI, sizeof(kb_key_u32), REQ | KB_TF_SORTED_U32,
                             f_key_u32, NF(f_key_u32) },
    [KB_T_BY_UNII]       = { "drug_by_unii", KB_SEC_DRUG_BY_UNII, sizeof(kb_key_str), REQ | KB_TF_SORTED_STR,
                             f_key_str, NF(f_key_str) },
    [KB_T_BY_DRUGBANK]   = { "drug_by_drugbank", KB_SEC_DRUG_BY_DRUGBANK, sizeof(kb_key_str),
                             REQ | KB_TF_SORTED_STR, f_key_str, NF(f_key_str) },
    [KB_T_BY_DRUGCENTRAL]= { "drug_by_drugcentral", KB_SEC_DRUG_BY_DRUGCENTRAL, sizeof(kb_key_u32),
                             REQ | KB_TF_SORTED_U32, f_key_u32, NF(f_key_u32) },
    [KB_T_CODES]         = { "codes", KB_SEC_CODES, sizeof(kb_code), REQ, f_code, NF(f_code) }
};

/* --- the checker ------------------------------------------------------------ */

static uint32_t rd_u32(const unsigned char *p)
{
    uint32_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

static uint16_t rd_u16(const unsigned char *p)
{
    uint16_t v;
    memcpy(&v, p, sizeof(v));
    return v;
}

/* Record count of an array section, or -1 if absent or a blob. */
static int64_t section_count(const mt_kb *kb, uint32_t id)
{
    uint32_t i;
    for (i = 0; i < kb->f.nsections; i++) {
        const mt_kbf_section_info *s = &kb->f.sections[i];
        if (s->id == id)
            return s->elem_size ? (int64_t)(s->size / s->elem_size) : -1;
    }
    return -1;
}

static int bad(mt_buf *why, const mt_kb_table *t, uint64_t rec, const char *field,
               const char *what)
{
    if (why)
        mt_buf_printf(why, "table %s record %llu field %s: %s", t->name,
                      (unsigned long long)rec, field, what);
    return MT_ECORRUPT;
}

/* Bytes a field occupies in its record. */
static uint32_t field_width(const mt_kb_field *f)
{
    switch (f->kind) {
    case KB_F_STR: case KB_F_REF: case KB_F_REF_OPT: return 4;
    case KB_F_RANGE: case KB_F_CITE: return 8;
    case KB_F_MAX8: case KB_F_RANGE8: return 1;
    case KB_F_ZERO: case KB_F_DIGITS: return f->aux;
    default: return UINT32_MAX;
    }
}

/* Per range field: where the next range must start, and its target. */
typedef struct range_state {
    uint64_t next;
    uint64_t target_n;
    const unsigned char *target;
    uint32_t target_size;
} range_state;

int mt_kb_check_table(const mt_kb *kb, const mt_kb_table *t, mt_buf *why)
{
    const void *data;
    uint64_t n64, r;
    const unsigned char *base;
    range_state rs[MT_KB_MAX_FIELDS];
    uint32_t i;
    int64_t nsources = section_count(kb, KB_SEC_SOURCES);
    int rc;

    rc = mt_kbf_section(&kb->f, t->section, t->elem_size, &data, &n64);
    if (rc == MT_ENOTFOUND) {
        if (t->flags & KB_TF_REQUIRED) {
            if (why)
                mt_buf_printf(why, "table %s (section %u) is missing", t->name, t->section);
            return MT_ECORRUPT;
        }
        return MT_ENOTFOUND;
    }
    if (rc != MT_OK) {
        if (why)
            mt_buf_printf(why, "table %s (section %u): record size is not %u bytes", t->name,
                          t->section, t->elem_size);
        return MT_ECORRUPT;
    }
    if (NEVER(t->nfields > sizeof(rs) / sizeof(rs[0])) || t->elem_size == 0)
        return MT_EINVAL;
    if (n64 >= KB_NONE) {
        if (why)
            mt_buf_printf(why, "table %s: too many records", t->name);
        return MT_ECORRUPT;
    }
    base = data;
    /* Fields that name another table: resolve the target once. */
    for (i = 0; i < t->nfields; i++) {
        const mt_kb_field *f = &t->fields[i];
        memset(&rs[i], 0, sizeof(rs[i]));
        if (NEVER(f->offset > t->elem_size || field_width(f) > t->elem_size - f->offset))
            return MT_EINVAL;           /* a schema mistake must not read past the record */
        if (f->kind == KB_F_REF || f->kind == KB_F_REF_OPT || f->kind == KB_F_RANGE) {
            const void *tp;
            uint64_t tn;
            int64_t cnt = section_count(kb, f->target);
            if (cnt < 0) {
                if (why)
                    mt_buf_printf(why, "table %s field %s: target section %u is missing",
                                  t->name, f->name, f->target);
                return MT_ECORRUPT;
            }
            rs[i].target_n = (uint64_t)cnt;
            if (f->kind == KB_F_RANGE && f->aux) {
                uint32_t tsize = 0, k;
                for (k = 0; k < kb->f.nsections; k++)
                    if (kb->f.sections[k].id == f->target)
                        tsize = kb->f.sections[k].elem_size;
                if (NEVER(tsize < 4 || f->aux - 1 > tsize - 4))
                    return bad(why, t, 0, f->name, "owner field outside the target record");
                if (mt_kbf_section(&kb->f, f->target, tsize, &tp, &tn) != MT_OK)
                    return MT_ECORRUPT;
                rs[i].target = tp;
                rs[i].target_size = tsize;
            }
        }
    }
    for (r = 0; r < n64; r++) {
        const unsigned char *rec = base + r * t->elem_size;
        for (i = 0; i < t->nfields; i++) {
            const mt_kb_field *f = &t->fields[i];
            const unsigned char *p = rec + f->offset;
            uint32_t v;
            switch (f->kind) {
            case KB_F_STR:
                if (rd_u32(p) >= kb->str_size)
                    return bad(why, t, r, f->name, "string offset outside the string pool");
                break;
            case KB_F_REF:
            case KB_F_REF_OPT:
                v = rd_u32(p);
                if (v >= rs[i].target_n && !(f->kind == KB_F_REF_OPT && v == KB_NONE))
                    return bad(why, t, r, f->name, "reference out of range");
                break;
            case KB_F_RANGE: {
                uint32_t first = rd_u32(p), count = rd_u32(p + 4), k;
                if (first != rs[i].next || (uint64_t)first + count > rs[i].target_n)
                    return bad(why, t, r, f->name, "range out of place or past the end");
                rs[i].next = (uint64_t)first + count;
                if (f->aux) {
                    for (k = 0; k < count; k++) {
                        const unsigned char *q = rs[i].target + (uint64_t)(first + k) * rs[i].target_size;
                        if (rd_u32(q + f->aux - 1) != r)
                            return bad(why, t, r, f->name, "range holds another record's rows");
                    }
                }
                break;
            }
            case KB_F_CITE:
                if (rd_u32(p) >= kb->str_size)
                    return bad(why, t, r, f->name, "citation record outside the string pool");
                if (nsources < 0 || rd_u16(p + 4) >= nsources)
                    return bad(why, t, r, f->name, "citation source out of range");
                if (rd_u16(p + 6) != 0)
                    return bad(why, t, r, f->name, "reserved bytes are not zero");
                break;
            case KB_F_MAX8:
                if (*p > f->aux)
                    return bad(why, t, r, f->name, "value out of range");
                break;
            case KB_F_RANGE8:
                if (*p < (f->aux & 0xff) || *p > (f->aux >> 8))
                    return bad(why, t, r, f->name, "value out of range");
                break;
            case KB_F_ZERO: {
                uint32_t k;
                for (k = 0; k < f->aux; k++)
                    if (p[k])
                        return bad(why, t, r, f->name, "reserved bytes are not zero");
                break;
            }
            case KB_F_DIGITS: {
                uint32_t k;
                for (k = 0; k + 1 < f->aux; k++)
                    if (p[k] < '0' || p[k] > '9')
                        return bad(why, t, r, f->name, "not a digit");
                if (f->aux == 0 || p[f->aux - 1] != '\0')
                    return bad(why, t, r, f->name, "not NUL-terminated");
                break;
            }
            default:
                return bad(why, t, r, f->name, "unknown field kind in schema");
            }
        }
        if (r > 0 && (t->flags & KB_TF_SORTED_U32) && rd_u32(rec) <= rd_u32(rec - t->elem_size))
            return bad(why, t, r, "key", "keys are not strictly ascending");
        if (r > 0 && (t->flags & KB_TF_SORTED_STR)) {
            uint32_t a = rd_u32(rec - t->elem_size), b = rd_u32(rec);
            /* Both offsets are inside the pool: the STR field check ran first. */
            if (a >= kb->str_size || b >= kb->str_size || strcmp(kb->str + a, kb->str + b) >= 0)
                return bad(why, t, r, "key", "keys are not strictly ascending");
        }
    }
    for (i = 0; i < t->nfields; i++) {
        if (t->fields[i].kind == KB_F_RANGE && rs[i].next != rs[i].target_n)
            return bad(why, t, n64, t->fields[i].name, "ranges do not cover the target table");
    }
    return MT_OK;
}

/* Checks that need more than one field at a time. */
static int check_relations(const mt_kb *kb, mt_buf *why)
{
    uint32_t i, n, nadj;
    const kb_drug *drugs = mt_kb_drugs(kb, &n);
    const kb_ixadj *adj = mt_kb_ixadj(kb, &nadj);
    const kb_ndc *ndcs = mt_kb_ndcs(kb, NULL);
    const uint32_t *idx;
    const kb_ixpair *pairs;

    /* Adjacency of each drug sorted by (other, rule): a binary search finds a pair. */
    for (i = 0; i < n; i++) {
        uint32_t k, first = drugs[i].interactions.first, cnt = drugs[i].interactions.count;
        for (k = 0; k < cnt; k++) {
            const kb_ixadj *a = &adj[first + k];
            if (a->other == i || (k > 0 && (a[-1].other > a->other ||
                                            (a[-1].other == a->other && a[-1].rule >= a->rule)))) {
                if (why)
                    mt_buf_printf(why, "table ixadj record %u: not sorted by other drug and rule",
                                  first + k);
                return MT_ECORRUPT;
            }
        }
    }
    idx = mt_kb_ndc_index(kb, &n);
    for (i = 1; i < n; i++) {
        if (memcmp(ndcs[idx[i - 1]].ndc11, ndcs[idx[i]].ndc11, 11) > 0) {
            if (why)
                mt_buf_printf(why, "table ndc_index record %u: not sorted", i);
            return MT_ECORRUPT;
        }
    }
    pairs = mt_kb_ixpairs(kb, &n);
    for (i = 0; i < n; i++) {
        if (pairs[i].a >= pairs[i].b) {
            if (why)
                mt_buf_printf(why, "table ixpairs record %u: drug a is not below drug b", i);
            return MT_ECORRUPT;
        }
    }
    return MT_OK;
}

static int load(mt_kb *kb, mt_buf *why)
{
    const void *p;
    uint64_t n;
    int rc, i;

    rc = mt_kbf_section(&kb->f, KB_SEC_STRINGS, 0, &p, &n);
    if (rc != MT_OK || n == 0 || n >= UINT32_MAX) {
        if (why)
            mt_buf_printf(why, "the string pool (section %u) is missing or has a bad size", KB_SEC_STRINGS);
        return MT_ECORRUPT;
    }
    kb->str = p;
    kb->str_size = (uint32_t)n;
    if (kb->str[0] != '\0' || kb->str[n - 1] != '\0') {
        if (why)
            mt_buf_printf(why, "the string pool does not start and end with NUL");
        return MT_ECORRUPT;
    }
    for (i = 0; i < KB_T_COUNT; i++) {
        const mt_kb_table *t = &core_schema[i];
        if ((rc = mt_kb_check_table(kb, t, why)) != MT_OK)
            return rc == MT_ENOTFOUND ? MT_ECORRUPT : rc;
        if (mt_kbf_section(&kb->f, t->section, t->elem_size, &p, &n) != MT_OK)
            return MT_ECORRUPT;
        kb->t[i].p = p;
        kb->t[i].n = (uint32_t)n;
    }
    if (kb->t[KB_T_SOURCES].n > UINT16_MAX) {
        if (why)
            mt_buf_printf(why, "too many sources");
        return MT_ECORRUPT;
    }
    if ((rc = check_relations(kb, why)) != MT_OK)
        return rc;
    for (i = 0; mt_kb_validate_hooks[i]; i++) {
        rc = mt_kb_validate_hooks[i](kb, why);
        if (rc != MT_OK)
            return rc == MT_ENOMEM ? rc : MT_ECORRUPT;
    }
    return MT_OK;
}

/* --- open / close ------------------------------------------------------------- */

static int open_common(mt_kb **out, const char *path, const void *data, size_t size,
                       unsigned flags, char *detail, size_t detail_size)
{
    mt_kb *kb = NULL;
    mt_buf why;
    unsigned kflags = (flags & MT_KB_VERIFY_NONE) ? MT_KBF_VERIFY_NONE : 0;
    int rc, opened = 0;

    mt_buf_init(&why, 512);
    if (detail && detail_size)
        detail[0] = '\0';
    if (!out) {
        rc = MT_EINVAL;
        goto done;
    }
    *out = NULL;
    kb = mt_calloc(1, sizeof(*kb));
    if (!kb) {
        rc = MT_ENOMEM;
        goto done;
    }
    rc = path ? mt_kbf_open(&kb->f, path, kflags) : mt_kbf_open_mem(&kb->f, data, size, kflags);
    if (rc != MT_OK)
        goto done;
    opened = 1;
    rc = load(kb, &why);
    if (rc != MT_OK)
        goto done;
    *out = kb;
    kb = NULL;
done:
    if (rc != MT_OK && detail && detail_size && why.len)
        snprintf(detail, detail_size, "%s", mt_buf_str(&why));
    if (kb) {
        if (opened)
            mt_kbf_close(&kb->f);
        mt_free(kb);
    }
    mt_buf_free(&why);
    return rc;
}

int mt_kb_open_ex(mt_kb **kb, const char *path, unsigned flags, char *detail, size_t detail_size)
{
    if (!path) {
        if (kb)
            *kb = NULL;
        return MT_EINVAL;
    }
    return open_common(kb, path, NULL, 0, flags, detail, detail_size);
}

int mt_kb_open(mt_kb **kb, const char *path, unsigned flags)
{
    return mt_kb_open_ex(kb, path, flags, NULL, 0);
}

int mt_kb_open_mem(mt_kb **kb, const void *data, size_t size, unsigned flags,
                   char *detail, size_t detail_size)
{
    return open_common(kb, NULL, data, size, flags, detail, detail_size);
}

void mt_kb_close(mt_kb *kb)
{
    if (!kb)
        return;
    mt_kbf_close(&kb->f);
    mt_free(kb);
}

const char *mt_kb_default_path(void)
{
    const char *p = getenv("MATERIA_KB");
    return p && *p ? p : "build/materia.kb";
}

int mt_kb_info(const mt_kb *kb, mt_kb_summary *info)
{
    if (!kb || !info)
        return MT_EINVAL;
    memset(info, 0, sizeof(*info));
    info->format_version = kb->f.format_version;
    memcpy(info->data_version, kb->f.data_version, sizeof(info->data_version));
    memcpy(info->build_date, kb->f.build_date, sizeof(info->build_date));
    info->file_size = kb->f.size;
    info->sections = kb->f.nsections;
    info->sources = kb->t[KB_T_SOURCES].n;
    info->drugs = kb->t[KB_T_DRUGS].n;
    info->idents = kb->t[KB_T_IDENTS].n;
    info->names = kb->t[KB_T_NAMES].n;
    info->products = kb->t[KB_T_PRODUCTS].n;
    info->ndcs = kb->t[KB_T_NDCS].n;
    info->classes = kb->t[KB_T_CLASSES].n;
    info->drug_classes = kb->t[KB_T_DRUG_CLASSES].n;
    info->indications = kb->t[KB_T_INDICATIONS].n;
    info->approvals = kb->t[KB_T_APPROVALS].n;
    info->schedules = kb->t[KB_T_SCHEDULES].n;
    info->acbs = kb->t[KB_T_ACBS].n;
    info->docs = kb->t[KB_T_DOCS].n;
    info->doc_sections = kb->t[KB_T_DOC_SECTIONS].n;
    info->pills = kb->t[KB_T_PILLS].n;
    info->ixrules = kb->t[KB_T_IXRULES].n;
    info->ixpairs = kb->t[KB_T_IXPAIRS].n;
    info->codes = kb->t[KB_T_CODES].n;
    info->string_bytes = kb->str_size;
    return MT_OK;
}

/* --- lookups ------------------------------------------------------------------ */

const char *mt_kb_cite_source(const mt_kb *kb, kb_cite c)
{
    return mt_kb_str(kb, mt_kb_source(kb, c.source)->id);
}

static int find_u32(const kb_key_u32 *keys, uint32_t n, uint32_t key, uint32_t *drug)
{
    uint32_t lo = 0, hi = n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (keys[mid].key < key)
            lo = mid + 1;
        else if (keys[mid].key > key)
            hi = mid;
        else {
            *drug = keys[mid].drug;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

static int find_str(const mt_kb *kb, const kb_key_str *keys, uint32_t n, const char *key, uint32_t *drug)
{
    char up[64];
    size_t i, len;
    uint32_t lo = 0, hi = n;

    if (!key)
        return MT_ENOTFOUND;
    len = strlen(key);
    if (len == 0 || len >= sizeof(up))
        return MT_ENOTFOUND;
    for (i = 0; i <= len; i++)
        up[i] = (char)toupper((unsigned char)key[i]);
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(mt_kb_str(kb, keys[mid].key), up);
        if (c < 0)
            lo = mid + 1;
        else if (c > 0)
            hi = mid;
        else {
            *drug = keys[mid].drug;
            return MT_OK;
        }
    }
    return MT_ENOTFOUND;
}

int mt_kb_drug_by_rxcui(const mt_kb *kb, uint32_t rxcui, uint32_t *drug)
{
    uint32_t n;
    const kb_key_u32 *k = mt_kb_by_rxcui(kb, &n);
    return rxcui ? find_u32(k, n, rxcui, drug) : MT_ENOTFOUND;
}

int mt_kb_drug_by_drugcentral(const mt_kb *kb, uint32_t id, uint32_t *drug)
{
    uint32_t n;
    const kb_key_u32 *k = mt_kb_by_drugcentral(kb, &n);
    return id ? find_u32(k, n, id, drug) : MT_ENOTFOUND;
}

int mt_kb_drug_by_unii(const mt_kb *kb, const char *unii, uint32_t *drug)
{
    uint32_t n;
    const kb_key_str *k = mt_kb_by_unii(kb, &n);
    return find_str(kb, k, n, unii, drug);
}

int mt_kb_drug_by_drugbank(const mt_kb *kb, const char *id, uint32_t *drug)
{
    uint32_t n;
    const kb_key_str *k = mt_kb_by_drugbank(kb, &n);
    return find_str(kb, k, n, id, drug);
}

int mt_kb_ndc_find(const mt_kb *kb, const char *ndc, const uint32_t **rows, uint32_t *count)
{
    char n11[12];
    uint32_t n, lo = 0, hi, first;
    const uint32_t *idx = mt_kb_ndc_index(kb, &n);
    const kb_ndc *ndcs = mt_kb_ndcs(kb, NULL);

    *rows = NULL;
    *count = 0;
    if (!ndc || mdl_ndc_normalize(ndc, n11) != MT_OK)
        return MT_EINVAL;
    hi = n;
    while (lo < hi) {               /* first entry >= n11 */
        uint32_t mid = lo + (hi - lo) / 2;
        if (memcmp(ndcs[idx[mid]].ndc11, n11, 11) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    first = lo;
    while (lo < n && memcmp(ndcs[idx[lo]].ndc11, n11, 11) == 0)
        lo++;
    if (lo == first)
        return MT_ENOTFOUND;
    *rows = idx + first;
    *count = lo - first;
    return MT_OK;
}

int mt_kb_ix_between(const mt_kb *kb, uint32_t a, uint32_t b, const kb_ixadj **out, uint32_t *count)
{
    const kb_drug *d = mt_kb_drug(kb, a);
    const kb_ixadj *adj;
    uint32_t lo, hi, first;

    *out = NULL;
    *count = 0;
    if (a >= kb->t[KB_T_DRUGS].n || b >= kb->t[KB_T_DRUGS].n)
        return MT_ENOTFOUND;
    adj = mt_kb_ixadj(kb, NULL) + d->interactions.first;
    lo = 0;
    hi = d->interactions.count;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (adj[mid].other < b)
            lo = mid + 1;
        else
            hi = mid;
    }
    first = lo;
    while (lo < d->interactions.count && adj[lo].other == b)
        lo++;
    if (lo == first)
        return MT_ENOTFOUND;
    *out = adj + first;
    *count = lo - first;
    return MT_OK;
}

int mt_kb_section(const mt_kb *kb, uint32_t id, uint32_t elem_size, const void **data, uint32_t *count)
{
    uint64_t n = 0;
    int rc = mt_kbf_section(&kb->f, id, elem_size, data, &n);
    *count = (uint32_t)(n > UINT32_MAX ? UINT32_MAX : n);
    return rc;
}
