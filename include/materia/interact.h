/*
** materia/interact.h — the interaction checker: resolve a list of drugs, then
** report every interaction, duplication and class effect among them, each
** pointing at the source records it rests on, and say what was NOT checked.
**
** One call, mt_check(), does everything and fills an mt_check_result whose
** memory is one arena (freed by mt_check_result_free). Nothing in the
** result is invented: every severity, level and text comes from a source
** record that the result cites (source id, name, edition, record).
**
** Severity. Each finding has two canonical severities, never merged:
**   severity     the most severe among the CLINICAL sources (clinical
**                references, the VA pair list, the ONC alerting-policy
**                lists); MT_CHECK_SEV_NONE when no clinical source has the
**                pair;
**   hr_severity  the most severe among the HARM-REDUCTION sources (TripSit),
**                mapped onto the same scale (docs/interactions.md), or
**                MT_CHECK_SEV_NONE.
** A harm-reduction source never raises `severity`: a pair only TripSit knows
** has severity NONE and is labelled "harm-reduction source only". Findings are
** ordered by rank = max(severity, hr_severity) so that a TripSit "Dangerous"
** pair is not buried under clinical minors, and the label keeps the two apart
** (docs/interactions-api.md, "Severity and ordering").
**
** Disagreement. `disagreement` is set when two clinical sources grade the
** same pair differently, each source taken at its most severe grading of the
** pair (ungraded reports do not count); each source's own level stays in its
** evidence entry.
**
** Resolution. Inputs resolve strictly, as `materia show` resolves a query:
** codes (NDC, RxCUI of an ingredient or a product, UNII, DrugBank id), then
** names in the search module's exact and normalized tiers only. A name only a
** fuzzy tier matches is NOT checked: it is listed unresolved, with
** suggestions. Products and multiple-ingredient concepts become their
** ingredients; a salt matches as itself and as its parent ingredient.
**
** Threads: mt_check only reads the knowledge base; any number of threads may
** check at once on one mt_kb, each with its own result.
*/
#ifndef MATERIA_INTERACT_H
#define MATERIA_INTERACT_H

#include <stddef.h>
#include <stdint.h>

#include "materia/kb.h"
#include "materia/status.h"
#include "materia/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MT_CHECK_MAX_INPUTS     200     /* more inputs: MT_ELIMIT */
#define MT_CHECK_MAX_INPUT_LEN  256     /* bytes of one input; longer ones are unresolved */
#define MT_CHECK_MAX_SUGGEST    5       /* suggestions kept per unresolved input */
#define MT_CHECK_ACB_THRESHOLD  3       /* default: report the anticholinergic sum from 3 */
#define MT_CHECK_MEM_LIMIT      (64u << 20)  /* default arena limit per check */
#define MT_CHECK_SEV_NONE       (-1)    /* no source of that kind has the pair */
#define MT_CHECK_NONE           UINT32_MAX

/* Options; a zeroed struct (or NULL) means the defaults. */
typedef struct mt_check_opts {
    unsigned flags;          /* MT_CHECK_F_* */
    int      acb_threshold;  /* 0 = MT_CHECK_ACB_THRESHOLD */
    size_t   mem_limit;      /* 0 = MT_CHECK_MEM_LIMIT; over it mt_check fails with MT_ELIMIT */
} mt_check_opts;

enum {
    MT_CHECK_F_NO_SUGGEST = 1u << 0   /* do not compute suggestions for unresolved inputs */
};

/* How an input was resolved. */
typedef enum mt_check_how {
    MT_CHECK_UNRESOLVED = 0,  /* nothing exact or normalized matched (see suggestions) */
    MT_CHECK_BY_NAME    = 1,  /* a name: ingredient, synonym, brand, salt, product name */
    MT_CHECK_BY_RXCUI   = 2,  /* an RxCUI of an ingredient or of a product */
    MT_CHECK_BY_NDC     = 3,  /* an NDC of a product */
    MT_CHECK_BY_CODE    = 4   /* another identifier (UNII, DrugBank id) */
} mt_check_how;

/* Where a fact comes from. */
typedef struct mt_check_cite {
    const char *source;      /* source id: "ansm", "tripsit" */
    const char *source_name;
    const char *edition;
    const char *record;      /* the record inside the source */
} mt_check_cite;

/* One ingredient of an input: the drug the input names or contains. */
typedef struct mt_check_ing {
    uint32_t    drug;        /* KB drug as resolved (may be a precise ingredient, a salt) */
    uint32_t    base;        /* the ingredient used for matching: a PIN's IN parent, else drug */
    const char *name;        /* display name of `base` */
    const char *via_name;    /* display name of `drug` when it differs from base, else NULL */
    uint8_t     kind;        /* mt_drug_kind of base */
    uint8_t     covered;     /* some interaction source has a rule on base (or drug) */
} mt_check_ing;

typedef struct mt_check_input {
    const char *text;        /* the input as given */
    uint8_t     how;         /* mt_check_how */
    const char *tier;        /* search tier that matched: "exact", "normalized", "code"; NULL if unresolved */
    const char *matched;     /* the name or code that matched ("Zoloft", "RXCUI 36437") */
    const char *match_kind;  /* "preferred", "synonym", "brand", "product", "international", "salt";
                                for codes "rxcui", "ndc", "unii", "drugbank" */
    mt_check_cite cite;      /* the record the input resolved by (a name, an NDC, a product) */
    uint8_t     ambiguous;   /* the name belongs to several unrelated drugs: all are checked */
    uint32_t    product;     /* KB product when the input named one (NDC, product RxCUI), else MT_CHECK_NONE */
    const char *product_name;
    const mt_check_ing *ings; uint32_t ning;
    /* Unresolved inputs: names a fuzzy search proposes (never used for the check). */
    const char *const *suggestions; uint32_t nsuggestions;
    const char *why;         /* unresolved: a short reason ("no exact or normalized match", "too long") */
    uint8_t     covered;     /* resolved and at least one ingredient covered */
} mt_check_input;

/* One source's verdict on one pair of ingredients. */
typedef struct mt_check_evidence {
    uint32_t    rule;        /* KB rule index */
    uint32_t    drug_a, drug_b;   /* the KB drugs of input_a and input_b the rule links: an
                                     ingredient, or the salt the input was resolved as */
    const char *name_a, *name_b;  /* their display names */
    uint8_t     kind;        /* mt_ix_kind */
    uint8_t     severity;    /* mt_severity mapped from level */
    uint8_t     tier;        /* mt_tier */
    const char *level;       /* the source's own level, verbatim */
    const char *a_label, *b_label;  /* the rule's two sides as the source names them (a drug or a class) */
    const char *dur;         /* the rule's NCPDP code, or NULL */
    const char *effect, *mechanism, *management;
    const char *lang;        /* language of the texts: "en", "fr" */
    mt_check_cite cite;      /* the rule's record */
    mt_check_cite text_cite; /* where the texts come from when not the rule's record; source NULL = same */
} mt_check_evidence;

/* A duplication between two inputs. */
typedef enum mt_dup_type {
    MT_DUP_INGREDIENT = 1,   /* NCPDP ID: the same ingredient from both inputs */
    MT_DUP_CLASS      = 2    /* NCPDP TD: two ingredients of one pharmacologic class (EPC) */
} mt_dup_type;

typedef struct mt_check_dup {
    uint8_t     type;        /* mt_dup_type */
    uint32_t    drug_a, drug_b;  /* the ingredients (equal for MT_DUP_INGREDIENT) */
    const char *name_a, *name_b; /* their display names */
    uint32_t    cls;         /* KB class for MT_DUP_CLASS, else MT_CHECK_NONE */
    const char *class_type, *class_name, *class_code;
    mt_check_cite cite_a, cite_b;   /* what makes each ingredient part of its input or class */
} mt_check_dup;

/* Everything known about one unordered pair of inputs (input_a < input_b). */
typedef struct mt_check_finding {
    uint32_t    input_a, input_b;
    int         severity;     /* clinical canonical, or MT_CHECK_SEV_NONE */
    int         hr_severity;  /* harm-reduction canonical, or MT_CHECK_SEV_NONE */
    int         rank;         /* max of the two; duplications only: MT_CHECK_SEV_NONE */
    uint8_t     tier;         /* interruptive if any source says so, else non-interruptive if any, else default */
    uint8_t     disagreement; /* clinical sources grade the pair differently */
    const char *const *dur; uint32_t ndur;   /* NCPDP reason codes, most specific first: "DD", "OH", "ID", "TD" ... */
    const mt_check_evidence *ev; uint32_t nev;   /* most severe first */
    const mt_check_dup *dups; uint32_t ndups;
} mt_check_finding;

/* A drug of the list that belongs to a class or carries a score. */
typedef struct mt_check_member {
    uint32_t    input;
    uint32_t    drug;         /* the ingredient */
    const char *name;
    int         score;        /* ACB score; 0 for class members */
    const char *scale;        /* ACB scale; NULL for class members */
    mt_check_cite cite;       /* the membership or score record */
} mt_check_member;

/* An ANSM class with two or more inputs among its members. */
typedef struct mt_check_class_effect {
    const char *effect;       /* "serotonergic", "sedative", "torsadogenic" */
    uint32_t    cls;          /* KB class */
    const char *class_name;   /* as the source names it */
    mt_check_cite class_cite;
    const mt_check_member *members; uint32_t nmembers;   /* one per input */
} mt_check_class_effect;

/* Anticholinergic burden: the sum over distinct ingredients of one score each. */
typedef struct mt_check_acb {
    int         total;
    int         threshold;
    uint8_t     alert;        /* total >= threshold */
    const mt_check_member *items; uint32_t nitems;     /* scored ingredients, one per distinct ingredient */
    const uint32_t *unscored; uint32_t nunscored;      /* resolved inputs none of whose ingredients has a score */
} mt_check_acb;

/* An interaction source and the inputs it covers. */
typedef struct mt_check_source {
    uint32_t    source;       /* KB source index */
    const char *id, *name, *edition, *kind;
    const uint32_t *covers; uint32_t ncovers;   /* input indices, ascending */
} mt_check_source;

typedef struct mt_check_result {
    const mt_check_input   *inputs;    uint32_t ninputs;
    const mt_check_finding *findings;  uint32_t nfindings;   /* rank first (see above) */
    const mt_check_class_effect *effects; uint32_t neffects;
    mt_check_acb            acb;
    const mt_check_source  *sources;   uint32_t nsources;    /* interaction sources, KB order */
    const uint32_t         *unresolved; uint32_t nunresolved;
    const uint32_t         *uncovered;  uint32_t nuncovered;  /* resolved, no source covers any ingredient */
    uint32_t                nresolved;
    /* Work done, for tests and benchmarks: adjacency lists visited and
    ** membership tests / binary searches made. */
    uint32_t                stat_keys, stat_adj_visits, stat_probes;
    const mt_kb            *kb;        /* the knowledge base checked: keep it open while r is used */
    void                   *priv_;     /* private: the arena */
} mt_check_result;

/* Checks inputs[0..n-1] (each a name, brand, synonym, product name, RxCUI,
** NDC, UNII or DrugBank id) against kb. opts may be NULL. On MT_OK, *result
** holds the report (free it with mt_check_result_free even when nothing was
** found or nothing resolved). Returns MT_EINVAL (NULL argument, n == 0,
** NULL input), MT_ELIMIT (n > MT_CHECK_MAX_INPUTS, or the memory limit was
** hit), MT_ENOMEM; on failure *result is empty and needs no freeing (freeing
** it is harmless). An input that does not resolve is not an error: it is
** listed in result->unresolved. */
int  mt_check(const mt_kb *kb, const char *const *inputs, size_t n,
              const mt_check_opts *opts, mt_check_result *result);

void mt_check_result_free(mt_check_result *result);

/* "contraindicated", "major", "moderate", "minor", "unknown"; "none" for MT_CHECK_SEV_NONE. */
const char *mt_check_severity_name(int severity);
/* "interruptive", "non_interruptive", "default". */
const char *mt_check_tier_name(int tier);
/* "clinical", "harm_reduction", "pair_only", "alert_policy". */
const char *mt_check_kind_name(int kind);
/* "name", "rxcui", "ndc", "code", "unresolved". */
const char *mt_check_how_name(int how);

struct mt_buf;     /* lib/util/buf.h: a bounded, growable buffer */
struct mt_jsonw;   /* lib/util/jsonw.h: the streaming JSON writer */

/* Appends the result as one JSON object (no newline) to out, in the shape
** docs/reference/interactions-api.md documents. pretty: indent with two spaces. The
** kb the result came from must still be open. MT_OK, MT_ENOMEM, MT_ELIMIT
** (out is full). */
int  mt_check_json(const mt_check_result *r, int pretty, struct mt_buf *out);
/* The same members written into an object the caller has opened on j (to
** add its own keys: the batch line number, a request id). Returns j's
** sticky status. */
int  mt_check_json_members(const mt_check_result *r, struct mt_jsonw *j);

#ifdef __cplusplus
}
#endif
#endif /* MATERIA_INTERACT_H */
