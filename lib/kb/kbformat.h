/*
** kbformat.h — what the sections of a knowledge-base file mean: every section
** id with its owner, and the on-disk records of the core tables.
**
** The container (lib/kbfile/) only knows numbered, checksummed sections. This
** file gives the numbers meaning. Records are read in place from the map, so
** every record here is a fixed-width little-endian struct with no implicit
** padding (checked by the static assertions below) and a size that is a
** multiple of 4. Conventions, checked on open by lib/kb/kb.c:
**   - a string is a uint32 offset into the string pool (KB_SEC_STRINGS, one
**     blob whose first and last bytes are NUL); offset 0 is the empty string,
**     which also means "absent";
**   - a reference is a uint32 index into another table; KB_NONE where the
**     reference is optional;
**   - a kb_range {first, count} names records first..first+count-1 of another
**     table; the ranges of one field over a whole table tile the target table
**     in order (owner 0's records, then owner 1's...), which is what makes
**     "the names of drug 5" one contiguous slice;
**   - reserved bytes are zero.
** Numbers in mt_* enumerations (materia/types.h) are stored as they are.
**
** Section id ranges (one owner each; never reuse a retired id):
**     1..99    core tables (this file, lib/kb/, lib/kbwrite/)
**   100..149   search indexes (lib/search/)
**   150..199   interaction engine (lib/interact/)
**   200..249   pill identification (lib/pill/)
**   250..299   documents and labels (lib/show/, lib/records/ documents)
** Changing a core record or the meaning of a section is a format change:
** bump MT_KBF_FORMAT_VERSION (docs/kb-format.md, "Versioning").
*/
#ifndef MT_KBFORMAT_H
#define MT_KBFORMAT_H

#include <stdint.h>

#define KB_NONE UINT32_MAX

/* --- section ids -------------------------------------------------------- */
enum {
    KB_SEC_STRINGS            = 1,   /* blob: NUL-terminated UTF-8 strings */
    KB_SEC_SOURCES            = 2,   /* kb_source, in registration order */
    KB_SEC_DRUGS              = 3,   /* kb_drug; index = the model's mdl_ref */
    KB_SEC_IDENTS             = 4,   /* kb_ident, grouped by drug */
    KB_SEC_NAMES              = 5,   /* kb_name, grouped by drug */
    KB_SEC_PRODUCTS           = 6,   /* kb_product; index = the model's mdl_ref */
    KB_SEC_PRODUCT_INGS       = 7,   /* kb_product_ing, grouped by product */
    KB_SEC_DRUG_PRODUCTS      = 8,   /* kb_product_ing, grouped by drug */
    KB_SEC_NDCS               = 9,   /* kb_ndc, grouped by product */
    KB_SEC_NDC_INDEX          = 10,  /* uint32 index into NDCS, sorted by ndc11, product */
    KB_SEC_CLASSES            = 11,  /* kb_class; index = the model's mdl_ref */
    KB_SEC_DRUG_CLASSES       = 12,  /* kb_drug_class, grouped by drug */
    KB_SEC_CLASS_MEMBERS      = 13,  /* kb_drug_class, grouped by class, then by drug */
    KB_SEC_INDICATIONS        = 14,  /* kb_indication, grouped by drug */
    KB_SEC_APPROVALS          = 15,  /* kb_approval, grouped by drug */
    KB_SEC_SCHEDULES          = 16,  /* kb_schedule, grouped by drug */
    KB_SEC_ACB                = 17,  /* kb_acb, grouped by drug */
    KB_SEC_DOCS               = 18,  /* kb_doc; index = the model's mdl_ref */
    KB_SEC_DOC_SECTIONS       = 19,  /* kb_doc_section, grouped by doc */
    KB_SEC_DOC_DRUGS          = 20,  /* kb_doc_drug, grouped by doc */
    KB_SEC_DRUG_DOCS          = 21,  /* kb_doc_drug, grouped by drug */
    KB_SEC_PILLS              = 22,  /* kb_pill, in model order */
    KB_SEC_IXRULES            = 23,  /* kb_ixrule; index = the model's mdl_ref */
    KB_SEC_IXPAIRS            = 24,  /* kb_ixpair (a < b), grouped by rule, then a, b */
    KB_SEC_IXADJ              = 25,  /* kb_ixadj: both directions, grouped by drug, sorted by other, rule */
    KB_SEC_DRUG_BY_RXCUI      = 26,  /* kb_key_u32, strictly ascending key */
    KB_SEC_DRUG_BY_UNII       = 27,  /* kb_key_str, strictly ascending (strcmp) */
    KB_SEC_DRUG_BY_DRUGBANK   = 28,  /* kb_key_str, strictly ascending (strcmp) */
    KB_SEC_DRUG_BY_DRUGCENTRAL= 29,  /* kb_key_u32, strictly ascending key */
    KB_SEC_CODES              = 30,  /* kb_code: coded vocabulary (SPL colours, shapes) */

    KB_SEC_CORE_FIRST         = 1,
    KB_SEC_CORE_LAST          = 99,
    KB_SEC_SEARCH_FIRST       = 100,
    KB_SEC_SEARCH_LAST        = 149,
    KB_SEC_INTERACT_FIRST     = 150,
    KB_SEC_INTERACT_LAST      = 199,
    KB_SEC_PILL_FIRST         = 200,
    KB_SEC_PILL_LAST          = 249,
    KB_SEC_DOC_FIRST          = 250,
    KB_SEC_DOC_LAST           = 299
};

/* --- shared pieces ------------------------------------------------------- */

/* Where a fact came from: the source and the record inside it. */
typedef struct kb_cite {
    uint32_t record;          /* string: "RXCUI 6130", "DB01221"; 0 = none given */
    uint16_t source;          /* index into KB_SEC_SOURCES */
    uint16_t reserved;
} kb_cite;

typedef struct kb_range {
    uint32_t first;
    uint32_t count;
} kb_range;

/* --- records ------------------------------------------------------------ */

typedef struct kb_source {
    uint32_t id, name, edition, licence, attribution, url, kind;   /* strings */
    uint32_t folder;          /* string: the bundled folder name, or "" for built-in */
    uint32_t rows, matched, unmatched, created, facts;              /* join statistics */
} kb_source;

typedef struct kb_drug {
    uint32_t name;            /* string: display name */
    uint8_t  kind;            /* mt_drug_kind */
    uint8_t  reserved[3];
    uint32_t flags;           /* MT_DRUGF_* */
    uint32_t rxcui;           /* 0 = none */
    uint32_t unii;            /* string */
    uint32_t drugbank_id;     /* string */
    uint32_t drugcentral_id;  /* 0 = none */
    uint32_t parent;          /* drug (PIN -> IN) or KB_NONE */
    kb_cite  cite;
    kb_range idents;          /* KB_SEC_IDENTS */
    kb_range names;           /* KB_SEC_NAMES */
    kb_range products;        /* KB_SEC_DRUG_PRODUCTS */
    kb_range classes;         /* KB_SEC_DRUG_CLASSES */
    kb_range indications;     /* KB_SEC_INDICATIONS */
    kb_range approvals;       /* KB_SEC_APPROVALS */
    kb_range schedules;       /* KB_SEC_SCHEDULES */
    kb_range acbs;            /* KB_SEC_ACB */
    kb_range docs;            /* KB_SEC_DRUG_DOCS */
    kb_range interactions;    /* KB_SEC_IXADJ */
} kb_drug;

typedef struct kb_ident {
    uint32_t drug;
    uint32_t value;           /* string, canonical form (RxCUI as digits, UNII upper case) */
    uint8_t  type;            /* mt_id_type */
    uint8_t  reserved[3];
    kb_cite  cite;
} kb_ident;

typedef struct kb_name {
    uint32_t drug;
    uint32_t text;            /* string */
    uint32_t code;            /* string: e.g. the RxCUI of a brand, or "" */
    uint8_t  kind;            /* mt_name_kind */
    uint8_t  reserved[3];
    kb_cite  cite;
} kb_name;

typedef struct kb_product {
    uint32_t rxcui;           /* 0 = none */
    uint32_t tty, name, brand;   /* strings */
    kb_cite  cite;
    kb_range ings;            /* KB_SEC_PRODUCT_INGS */
    kb_range ndcs;            /* KB_SEC_NDCS */
} kb_product;

typedef struct kb_product_ing {
    uint32_t product;
    uint32_t drug;
} kb_product_ing;

typedef struct kb_ndc {
    char     ndc11[12];       /* 11 ASCII digits and a NUL */
    uint32_t product;
    kb_cite  cite;
} kb_ndc;

typedef struct kb_class {
    uint32_t type, code, name;   /* strings: "EPC", "N0000175605", "Selective Serotonin Reuptake Inhibitor" */
    kb_cite  cite;
    kb_range members;         /* KB_SEC_CLASS_MEMBERS */
} kb_class;

typedef struct kb_drug_class {
    uint32_t drug;
    uint32_t cls;
    kb_cite  cite;
} kb_drug_class;

typedef struct kb_indication {
    uint32_t drug;
    uint32_t disease, disease_id;    /* strings */
    uint8_t  category;        /* mt_indication_cat */
    uint8_t  reserved[3];
    kb_cite  cite;
} kb_indication;

typedef struct kb_approval {
    uint32_t drug;
    uint32_t appl_type, appl_no, product_no, brand, active_ingredient,
             form, strength, marketing_status, approval_date, sponsor;   /* strings */
    kb_cite  cite;
} kb_approval;

typedef struct kb_schedule {
    uint32_t drug;
    uint32_t schedule;        /* string: "CII" ... */
    kb_cite  cite;
} kb_schedule;

typedef struct kb_acb {
    uint32_t drug;
    uint32_t scale;           /* string */
    int8_t   score;           /* 0..9 */
    uint8_t  reserved[3];
    kb_cite  cite;
} kb_acb;

typedef struct kb_doc {
    uint32_t title, jurisdiction, date, doc_id;   /* strings */
    uint8_t  kind;            /* mt_doc_kind */
    uint8_t  reserved[3];
    kb_cite  cite;
    kb_range sections;        /* KB_SEC_DOC_SECTIONS */
    kb_range drugs;           /* KB_SEC_DOC_DRUGS */
} kb_doc;

typedef struct kb_doc_section {
    uint32_t doc;
    uint32_t code, title, text;   /* strings */
} kb_doc_section;

typedef struct kb_doc_drug {
    uint32_t doc;
    uint32_t drug;
} kb_doc_drug;

typedef struct kb_pill {
    uint32_t ndc11;           /* string: 11 digits, or "" */
    uint32_t name;            /* string */
    uint32_t product;         /* product or KB_NONE */
    uint32_t drug;            /* drug or KB_NONE */
    uint32_t imprint, color, shape;            /* strings */
    uint32_t size_cmm;        /* size in hundredths of a millimetre; 0 = unknown */
    uint32_t strength, form, labeler, schedule;   /* strings */
    int8_t   score;           /* 0 = unknown, else number of pieces */
    uint8_t  flags;           /* MDL_PILLF_* (lib/model/model.h) */
    uint8_t  reserved[2];
    kb_cite  cite;
    kb_cite  fill_cite;       /* where the fields flagged *_FILLED come from */
} kb_pill;

typedef struct kb_ixrule {
    uint8_t  kind;            /* mt_ix_kind */
    uint8_t  severity;        /* mt_severity */
    uint8_t  tier;            /* mt_tier */
    uint8_t  reserved;
    uint32_t a_label, b_label, level, dur, effect, mechanism, management, lang;  /* strings */
    kb_cite  cite;
    kb_cite  text_cite;       /* record 0: the texts come from the rule's own record */
    kb_range pairs;           /* KB_SEC_IXPAIRS */
} kb_ixrule;

typedef struct kb_ixpair {
    uint32_t a, b;            /* drugs, a < b */
    uint32_t rule;
} kb_ixpair;

typedef struct kb_ixadj {
    uint32_t other;           /* the other drug of the pair */
    uint32_t rule;
} kb_ixadj;

typedef struct kb_key_u32 {
    uint32_t key;
    uint32_t drug;
} kb_key_u32;

typedef struct kb_key_str {
    uint32_t key;             /* string */
    uint32_t drug;
} kb_key_str;

typedef struct kb_code {
    uint32_t system, code, display, hex;   /* strings: "SPL-COLOR", "C48325", "WHITE", "FFFFFF" */
    kb_cite  cite;
} kb_code;

/* No implicit padding anywhere: the layout is the file's. */
_Static_assert(sizeof(kb_cite) == 8, "kb_cite");
_Static_assert(sizeof(kb_range) == 8, "kb_range");
_Static_assert(sizeof(kb_source) == 52, "kb_source");
_Static_assert(sizeof(kb_drug) == 120, "kb_drug");
_Static_assert(sizeof(kb_ident) == 20, "kb_ident");
_Static_assert(sizeof(kb_name) == 24, "kb_name");
_Static_assert(sizeof(kb_product) == 40, "kb_product");
_Static_assert(sizeof(kb_product_ing) == 8, "kb_product_ing");
_Static_assert(sizeof(kb_ndc) == 24, "kb_ndc");
_Static_assert(sizeof(kb_class) == 28, "kb_class");
_Static_assert(sizeof(kb_drug_class) == 16, "kb_drug_class");
_Static_assert(sizeof(kb_indication) == 24, "kb_indication");
_Static_assert(sizeof(kb_approval) == 52, "kb_approval");
_Static_assert(sizeof(kb_schedule) == 16, "kb_schedule");
_Static_assert(sizeof(kb_acb) == 20, "kb_acb");
_Static_assert(sizeof(kb_doc) == 44, "kb_doc");
_Static_assert(sizeof(kb_doc_section) == 16, "kb_doc_section");
_Static_assert(sizeof(kb_doc_drug) == 8, "kb_doc_drug");
_Static_assert(sizeof(kb_pill) == 68, "kb_pill");
_Static_assert(sizeof(kb_ixrule) == 60, "kb_ixrule");
_Static_assert(sizeof(kb_ixpair) == 12, "kb_ixpair");
_Static_assert(sizeof(kb_ixadj) == 8, "kb_ixadj");
_Static_assert(sizeof(kb_key_u32) == 8, "kb_key_u32");
_Static_assert(sizeof(kb_key_str) == 8, "kb_key_str");
_Static_assert(sizeof(kb_code) == 24, "kb_code");

#endif /* MT_KBFORMAT_H */
