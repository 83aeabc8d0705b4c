/*
** materia/types.h — small enumerations shared by the knowledge base, the
** engine and the front ends. Their numeric values are stored in the
** knowledge-base file: never renumber, only append.
*/
#ifndef MATERIA_TYPES_H
#define MATERIA_TYPES_H

/* What kind of thing a drug record is. */
typedef enum mt_drug_kind {
    MT_DRUG_INGREDIENT = 1,  /* an RxNorm ingredient (TTY IN) */
    MT_DRUG_PRECISE    = 2,  /* an RxNorm precise ingredient, e.g. a salt (TTY PIN) */
    MT_DRUG_MULTI      = 3,  /* an RxNorm multiple-ingredient concept (TTY MIN) */
    MT_DRUG_SUBSTANCE  = 4,  /* a substance that is not in RxNorm (e.g. psilocybin) */
    MT_DRUG_NONDRUG    = 5   /* a non-drug interactant: alcohol, grapefruit, tobacco... */
} mt_drug_kind;

/* Flags on a drug record. */
enum {
    MT_DRUGF_IN_RXNORM     = 1u << 0,  /* has an RxNorm ingredient RxCUI */
    MT_DRUGF_RXNORM_RXTERMS= 1u << 1,  /* its RxNorm identity comes from RxTerms only */
    MT_DRUGF_HARM_REDUCTION= 1u << 2   /* mainly known from a harm-reduction source */
};

/* How a name relates to its drug. */
typedef enum mt_name_kind {
    MT_NAME_PREFERRED = 1,   /* the drug's own name in that source */
    MT_NAME_SYNONYM   = 2,   /* synonym, INN variant, chemical name */
    MT_NAME_BRAND     = 3,   /* a brand (trade) name */
    MT_NAME_PRODUCT   = 4,   /* a full product name ("sertraline 50 MG Oral Tablet") */
    MT_NAME_INTL      = 5,   /* an international / other-language name (paracetamol) */
    MT_NAME_SALT      = 6    /* a salt or ester form ("sertraline hydrochloride") */
} mt_name_kind;

/* Identifier types. */
typedef enum mt_id_type {
    MT_ID_RXCUI = 1, MT_ID_UNII = 2, MT_ID_DRUGBANK = 3, MT_ID_DRUGCENTRAL = 4,
    MT_ID_CAS = 5, MT_ID_ATC = 6, MT_ID_MESH = 7, MT_ID_CHEBI = 8, MT_ID_NUI = 9,
    MT_ID_VUID = 10, MT_ID_SNOMED = 11, MT_ID_OTHER = 99
} mt_id_type;

/* Canonical interaction severity, most severe last. Documented in
** docs/interactions.md with each source's mapping onto it. */
typedef enum mt_severity {
    MT_SEV_UNKNOWN         = 0,  /* reported, not graded */
    MT_SEV_MINOR           = 1,
    MT_SEV_MODERATE        = 2,
    MT_SEV_MAJOR           = 3,
    MT_SEV_CONTRAINDICATED = 4
} mt_severity;

/* Alert tier: whether a finding should interrupt a prescriber. */
typedef enum mt_tier {
    MT_TIER_DEFAULT          = 0,  /* no source states a tier */
    MT_TIER_INTERRUPTIVE     = 1,  /* e.g. ONC high-priority: always alert */
    MT_TIER_NONINTERRUPTIVE  = 2   /* e.g. ONC non-interruptive: show, do not interrupt */
} mt_tier;

/* What kind of evidence an interaction source is. */
typedef enum mt_ix_kind {
    MT_IX_CLINICAL       = 1,  /* a clinical DDI reference with graded levels */
    MT_IX_HARM_REDUCTION = 2,  /* a harm-reduction chart (TripSit): never shown as clinical */
    MT_IX_PAIR_ONLY      = 3,  /* the pair is reported, severity not graded (VA file 56) */
    MT_IX_ALERT_POLICY   = 4   /* an alerting-policy list (ONC high-priority / non-interruptive) */
} mt_ix_kind;

/* Evidence category of an indication. */
typedef enum mt_indication_cat {
    MT_IND_ON_LABEL          = 1,  /* LabeledIn: extracted from the FDA label */
    MT_IND_DISEASE_MODIFYING = 2,  /* PharmacotherapyDB DM */
    MT_IND_SYMPTOMATIC       = 3,  /* PharmacotherapyDB SYM */
    MT_IND_NOT_INDICATED     = 4,  /* PharmacotherapyDB NOT */
    MT_IND_LISTED            = 5   /* DrugCentral: listed indication (noisy, filtered) */
} mt_indication_cat;

/* Kind of a document attached to drugs. */
typedef enum mt_doc_kind {
    MT_DOC_US_LABEL   = 1,   /* FDA Structured Product Label */
    MT_DOC_EU_LEAFLET = 2    /* EMA package leaflet */
} mt_doc_kind;

#endif /* MATERIA_TYPES_H */
