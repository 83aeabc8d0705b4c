/*
** kb_internal.h — what engine modules (lib/search, lib/interact, lib/pill,
** lib/show, lib/records) use to read an open knowledge base: typed pointers
** to the core tables, strings, identifier lookups, and the same table
** validator the core uses, for their own sections.
**
** Guarantees after mt_kb_open returns MT_OK (see kb.c for the checks):
**   - every core table of kbformat.h is present with the right record size;
**   - every string field is an offset inside the pool, so mt_kb_str never
**     reads past the map, and every string ends with a NUL inside it;
**   - every reference is < the count of its table (or KB_NONE where the
**     field is optional), every cite.source < the number of sources;
**   - every kb_range lies inside its target table, the ranges of a field
**     tile the target in owner order, and each target record names its
**     owner (names[d.names.first + i].drug == d's index);
**   - the lookup tables are strictly sorted, the adjacency of each drug is
**     sorted by (other, rule), enumerations hold known values.
** So engine code may index with values read from the file without checking
** them again. Engine sections (ids 100+) are the engine's to validate, from
** a hook listed in lib/kb/kbhooks.c, preferably with mt_kb_check_table.
**
** Pointer lifetime: everything returned points into the map and lives until
** mt_kb_close (materia/kb.h). Nothing here allocates; nothing here fails
** on a validated handle except lookups (MT_ENOTFOUND).
*/
#ifndef MT_KB_INTERNAL_H
#define MT_KB_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "kb/kbformat.h"
#include "kbfile/kbfile.h"
#include "materia/kb.h"
#include "util/buf.h"

/* The core tables: X(ENUM, one, many, record type, section id). Generates
** KB_T_<ENUM>, mt_kb_<many>(kb, &count) and mt_kb_<one>(kb, index). */
#define MT_KB_CORE_TABLES(X) \
    X(SOURCES,       source,        sources,       kb_source,      KB_SEC_SOURCES) \
    X(DRUGS,         drug,          drugs,         kb_drug,        KB_SEC_DRUGS) \
    X(IDENTS,        ident,         idents,        kb_ident,       KB_SEC_IDENTS) \
    X(NAMES,         name,          names,         kb_name,        KB_SEC_NAMES) \
    X(PRODUCTS,      product,       products,      kb_product,     KB_SEC_PRODUCTS) \
    X(PRODUCT_INGS,  product_ing,   product_ings,  kb_product_ing, KB_SEC_PRODUCT_INGS) \
    X(DRUG_PRODUCTS, drug_product,  drug_products, kb_product_ing, KB_SEC_DRUG_PRODUCTS) \
    X(NDCS,          ndc,           ndcs,          kb_ndc,         KB_SEC_NDCS) \
    X(NDC_INDEX,     ndc_index_at,  ndc_index,     uint32_t,       KB_SEC_NDC_INDEX) \
    X(CLASSES,       class,         classes,       kb_class,       KB_SEC_CLASSES) \
    X(DRUG_CLASSES,  drug_class,    drug_classes,  kb_drug_class,  KB_SEC_DRUG_CLASSES) \
    X(CLASS_MEMBERS, class_member,  class_members, kb_drug_class,  KB_SEC_CLASS_MEMBERS) \
    X(INDICATIONS,   indication,    indications,   kb_indication,  KB_SEC_INDICATIONS) \
    X(APPROVALS,     approval,      approvals,     kb_approval,    KB_SEC_APPROVALS) \
    X(SCHEDULES,     schedule,      schedules,     kb_schedule,    KB_SEC_SCHEDULES) \
    X(ACBS,          acb,           acbs,          kb_acb,         KB_SEC_ACB) \
    X(DOCS,          doc,           docs,          kb_doc,         KB_SEC_DOCS) \
    X(DOC_SECTIONS,  doc_section,   doc_sections,  kb_doc_section, KB_SEC_DOC_SECTIONS) \
    X(DOC_DRUGS,     doc_drug,      doc_drugs,     kb_doc_drug,    KB_SEC_DOC_DRUGS) \
    X(DRUG_DOCS,     drug_doc,      drug_docs,     kb_doc_drug,    KB_SEC_DRUG_DOCS) \
    X(PILLS,         pill,          pills,         kb_pill,        KB_SEC_PILLS) \
    X(IXRULES,       ixrule,        ixrules,       kb_ixrule,      KB_SEC_IXRULES) \
    X(IXPAIRS,       ixpair,        ixpairs,       kb_ixpair,      KB_SEC_IXPAIRS) \
    X(IXADJ,         ixadj_at,      ixadj,         kb_ixadj,       KB_SEC_IXADJ) \
    X(BY_RXCUI,      by_rxcui_at,   by_rxcui,      kb_key_u32,     KB_SEC_DRUG_BY_RXCUI) \
    X(BY_UNII,       by_unii_at,    by_unii,       kb_key_str,     KB_SEC_DRUG_BY_UNII) \
    X(BY_DRUGBANK,   by_drugbank_at, by_drugbank,  kb_key_str,     KB_SEC_DRUG_BY_DRUGBANK) \
    X(BY_DRUGCENTRAL, by_drugcentral_at, by_drugcentral, kb_key_u32, KB_SEC_DRUG_BY_DRUGCENTRAL) \
    X(CODES,         code,          codes,         kb_code,        KB_SEC_CODES)

enum {
#define MT_KB_X_ENUM(E, one, many, T, sec) KB_T_##E,
    MT_KB_CORE_TABLES(MT_KB_X_ENUM)
#undef MT_KB_X_ENUM
    KB_T_COUNT
};

/* An open knowledge base. Engine code reads it through the accessors below;
** the fields are here so that the accessors can be inline. */
struct mt_kb {
    mt_kbf      f;             /* the container */
    const char *str;           /* string pool: str[0] == str[str_size - 1] == '\0' */
    uint32_t    str_size;
    struct { const void *p; uint32_t n; } t[KB_T_COUNT];
};

/* --- strings and citations ------------------------------------------------ */

/* The string at pool offset off; "" for 0 and for an offset outside the pool
** (which cannot come from a validated table). Never NULL. */
static inline const char *mt_kb_str(const mt_kb *kb, uint32_t off)
{
    return off < kb->str_size ? kb->str + off : "";
}

/* The id of the source a cite names ("rxnorm"); "" if out of range. */
const char *mt_kb_cite_source(const mt_kb *kb, kb_cite c);
/* The record string of a cite ("RXCUI 6130"), "" if none. */
static inline const char *mt_kb_cite_record(const mt_kb *kb, kb_cite c)
{
    return mt_kb_str(kb, c.record);
}

/* --- core tables ------------------------------------------------------------
** const kb_drug *mt_kb_drugs(kb, &n): the whole table and its record count
** (n may be NULL; the pointer may be NULL only when the count is 0).
** const kb_drug *mt_kb_drug(kb, i): record i. Never NULL: for i out of range
** (KB_NONE included) it is a record of zeros — empty strings, empty ranges —
** so a careless caller reads nothing rather than crashing; test
** i < count (or != KB_NONE) where absence matters. Likewise for every table
** in MT_KB_CORE_TABLES. */
extern const uint64_t mt_kb_zero_record[32];   /* larger than every core record */
#define MT_KB_X_ACCESS(E, one, many, T, sec) \
    static inline const T *mt_kb_##many(const mt_kb *kb, uint32_t *count) \
    { if (count) *count = kb->t[KB_T_##E].n; return (const T *)kb->t[KB_T_##E].p; } \
    static inline const T *mt_kb_##one(const mt_kb *kb, uint32_t i) \
    { return i < kb->t[KB_T_##E].n ? (const T *)kb->t[KB_T_##E].p + i \
                                   : (const T *)(const void *)mt_kb_zero_record; }
MT_KB_CORE_TABLES(MT_KB_X_ACCESS)
#undef MT_KB_X_ACCESS

/* The number of records of core table KB_T_x. */
static inline uint32_t mt_kb_count(const mt_kb *kb, int table)
{
    return table >= 0 && table < KB_T_COUNT ? kb->t[table].n : 0;
}

/* Records of a range: const kb_name *names = mt_kb_names(kb, NULL) + d->names.first;
** loop i < d->names.count. The ranges are validated, so this is all it takes. */

/* --- lookups: MT_OK and *drug, or MT_ENOTFOUND ------------------------------ */

int mt_kb_drug_by_rxcui(const mt_kb *kb, uint32_t rxcui, uint32_t *drug);
int mt_kb_drug_by_drugcentral(const mt_kb *kb, uint32_t id, uint32_t *drug);
/* Case-insensitive ("690g0d6v8h" finds 690G0D6V8H). */
int mt_kb_drug_by_unii(const mt_kb *kb, const char *unii, uint32_t *drug);
int mt_kb_drug_by_drugbank(const mt_kb *kb, const char *drugbank_id, uint32_t *drug);

/* NDC rows with this code: the NDC may be 11 digits or a dashed 10-digit
** form (4-4-2, 5-3-2, 5-4-1). *rows points at *count entries of the NDC
** index; each is an index into mt_kb_ndcs(). MT_OK (count >= 1),
** MT_ENOTFOUND, or MT_EINVAL for text that is not an NDC. */
int mt_kb_ndc_find(const mt_kb *kb, const char *ndc, const uint32_t **rows, uint32_t *count);

/* Interaction adjacency entries between drugs a and b (one per rule):
** *adj points at *count kb_ixadj records of a's adjacency whose other == b.
** MT_OK or MT_ENOTFOUND (also when a or b is out of range). */
int mt_kb_ix_between(const mt_kb *kb, uint32_t a, uint32_t b,
                     const kb_ixadj **adj, uint32_t *count);

/* --- engine sections -------------------------------------------------------- */

/* Section `id` of any module: *data and *count (records, or bytes for a blob,
** elem_size 0). MT_OK, MT_ENOTFOUND (absent), MT_ECORRUPT (record size
** differs from elem_size). Validate it once at open (kbhooks.c) before use. */
int mt_kb_section(const mt_kb *kb, uint32_t id, uint32_t elem_size,
                  const void **data, uint32_t *count);

/* The validator of the core tables, for engine tables too. A table schema
** lists the fields of its record that point somewhere; mt_kb_check_table
** checks every record. Targets are section ids (array sections of any
** module, including the table itself). */
enum {
    KB_F_STR = 1,    /* uint32 string offset inside the pool */
    KB_F_REF,        /* uint32 index < count of section `target` */
    KB_F_REF_OPT,    /* KB_F_REF or KB_NONE */
    KB_F_RANGE,      /* kb_range inside section `target`; the ranges of the
                        field tile the target in order. aux = 1 + offset of a
                        uint32 field in the target record that must equal this
                        record's index (0: no such field) */
    KB_F_CITE,       /* kb_cite: record string, source < number of sources, reserved 0 */
    KB_F_MAX8,       /* uint8 <= aux */
    KB_F_RANGE8,     /* uint8 in [aux & 0xff, aux >> 8] */
    KB_F_ZERO,       /* aux bytes that must be zero */
    KB_F_DIGITS      /* char[aux]: aux - 1 ASCII digits then NUL */
};
enum {
    KB_TF_REQUIRED   = 1u << 0,   /* absent section = corrupt file */
    KB_TF_SORTED_U32 = 1u << 1,   /* first uint32 of each record strictly ascending */
    KB_TF_SORTED_STR = 1u << 2    /* first uint32 is a string; strictly ascending (strcmp) */
};
typedef struct mt_kb_field {
    uint8_t     kind;       /* KB_F_* */
    uint32_t    offset;     /* of the field in the record */
    uint32_t    target;     /* section id for REF / REF_OPT / RANGE */
    uint32_t    aux;        /* see KB_F_* */
    const char *name;       /* for error messages */
} mt_kb_field;
typedef struct mt_kb_table {
    const char        *name;
    uint32_t           section;
    uint32_t           elem_size;
    unsigned           flags;       /* KB_TF_* */
    const mt_kb_field *fields;
    uint32_t           nfields;     /* at most MT_KB_MAX_FIELDS */
} mt_kb_table;
#define MT_KB_MAX_FIELDS 32

/* Checks every record of t, in time linear in the table and its range
** targets. MT_OK; MT_ECORRUPT with "table drugs record 12 field name: ..."
** appended to why (may be NULL); MT_ENOTFOUND when the section is absent and
** not KB_TF_REQUIRED (then there is nothing to check); MT_EINVAL for a bad
** schema (more than MT_KB_MAX_FIELDS fields, a field outside the record). */
int mt_kb_check_table(const mt_kb *kb, const mt_kb_table *t, mt_buf *why);

/* Validation hooks of engine modules, run at the end of every open, in the
** order of lib/kb/kbhooks.c. A hook returns MT_OK or MT_ECORRUPT (with a
** reason appended to why) for a bad section; an absent optional section is
** MT_OK (older files, or a module with nothing to store). */
typedef int (*mt_kb_validate_hook)(const mt_kb *kb, mt_buf *why);
extern const mt_kb_validate_hook mt_kb_validate_hooks[];   /* NULL-terminated */

#endif /* MT_KB_INTERNAL_H */
