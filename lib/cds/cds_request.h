/*
** cds_request.h — a CDS Hooks 2.0 request (hooks order-sign and
** order-select) read into the medications to check: the draft orders of
** context.draftOrders and the patient's current medications of the prefetch,
** each with the checker inputs to try, best first. Pure parsing: no
** knowledge base, no I/O. docs/cds-hooks.md describes the service.
**
** Every field is untrusted. A field this reader uses that has the wrong
** type, is missing when the hook requires it, or is out of bounds makes the
** request malformed (MT_EFORMAT, with the field's JSON path and a reason);
** fields it does not use are ignored.
**
** Which medications:
**   draft orders   every MedicationRequest of context.draftOrders. For
**                  order-select, those named in context.selections are the
**                  new ones; the other drafts of the session are context.
**                  Other order types (ServiceRequest, NutritionOrder...) are
**                  counted and skipped.
**   current        the MedicationRequest and MedicationStatement entries of
**                  prefetch.medications and prefetch.statements whose status
**                  is active, on-hold, intended or unknown (or absent); a
**                  resource that is also a draft order is not counted twice.
** Candidates of one medication, tried in this order: its RxNorm codes (an
** RxCUI: 1 to 9 digits), its NDC codes (10 or 11 digits, dashes allowed),
** the concept's text, the codings' displays, a medicationReference's
** display. A code of another shape is not used (an NDC-system "12345" would
** otherwise be read as an RxCUI).
*/
#ifndef MT_CDS_REQUEST_H
#define MT_CDS_REQUEST_H

#include <stddef.h>
#include <stdint.h>

#include "materia/interact.h"
#include "util/arena.h"

#define MT_CDS_MAX_MEDS   MT_CHECK_MAX_INPUTS   /* draft orders + current medications; more: MT_ELIMIT */
#define MT_CDS_MAX_CANDS  6                     /* candidates kept per medication */
#define MT_CDS_MAX_LABEL  120                   /* bytes of a medication's label */

/* The prefetch keys the discovery document asks for. */
#define MT_CDS_PREFETCH_MEDS       "medications"
#define MT_CDS_PREFETCH_STATEMENTS "statements"

typedef enum mt_cds_hook {
    MT_CDS_ORDER_SIGN   = 1,
    MT_CDS_ORDER_SELECT = 2
} mt_cds_hook;

typedef enum mt_cds_origin {
    MT_CDS_NEW     = 1,    /* a draft order being signed, or a selected one (order-select) */
    MT_CDS_SESSION = 2,    /* order-select: a draft order of the session that is not selected */
    MT_CDS_CURRENT = 3     /* a current medication of the prefetch */
} mt_cds_origin;

typedef enum mt_cds_cand_kind {
    MT_CDS_RXNORM  = 1,    /* an RxCUI */
    MT_CDS_NDC     = 2,
    MT_CDS_TEXT    = 3,    /* CodeableConcept.text */
    MT_CDS_DISPLAY = 4     /* a coding's display, a reference's display */
} mt_cds_cand_kind;

typedef struct mt_cds_cand {
    uint8_t     kind;      /* mt_cds_cand_kind */
    const char *value;     /* at most MT_CHECK_MAX_INPUT_LEN bytes, no control characters */
} mt_cds_cand;

typedef struct mt_cds_med {
    uint8_t     origin;    /* mt_cds_origin */
    const char *ref;       /* "MedicationRequest/abc", or the type alone when the resource has no id */
    const char *where;     /* its JSON path: "context.draftOrders.entry[0].resource" */
    const char *label;     /* what to call it: text, else a display, else the code */
    mt_cds_cand cands[MT_CDS_MAX_CANDS];
    uint32_t    ncands;
    const char *why_none;  /* ncands == 0: why there is nothing to check */
} mt_cds_med;

typedef struct mt_cds_request {
    uint8_t     hook;            /* mt_cds_hook */
    const char *hook_instance;
    mt_cds_med *meds;            /* new ones first, then session drafts, then current; request order within each */
    uint32_t    nmeds;
    uint32_t    nnew;            /* meds[0..nnew-1] are MT_CDS_NEW */
    uint32_t    skipped_orders;  /* draft orders that are not medication orders */
    uint32_t    skipped_status;  /* current medications skipped for their status (stopped, completed...) */
    uint8_t     has_statements;  /* prefetch.statements was sent (null counts: "none") */
} mt_cds_request;

/* Where and why a request is refused. */
typedef struct mt_cds_error {
    char field[160];             /* JSON path: "context.draftOrders.entry[2].resource.medicationCodeableConcept" */
    char message[224];
} mt_cds_error;

/* Reads body[0..len-1] as a request for a service of `hook`. Strings are
** copied into a (the result lives as long as the arena). Returns MT_OK;
** MT_EFORMAT (malformed, or another hook: err says where and why);
** MT_ENOTFOUND (prefetch.medications was not sent: without it the current
** medications are unknown, CDS Hooks' 412); MT_ELIMIT (more than
** MT_CDS_MAX_MEDS medications); MT_ENOMEM; MT_EINVAL (NULL argument). */
int mt_cds_request_parse(const char *body, size_t len, int hook, mt_arena *a,
                         mt_cds_request *out, mt_cds_error *err);

/* "order-sign", "order-select"; "" for anything else. */
const char *mt_cds_hook_name(int hook);
/* "RxNorm", "NDC", "text", "display". */
const char *mt_cds_cand_kind_name(int kind);

#endif /* MT_CDS_REQUEST_H */
