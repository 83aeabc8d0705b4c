/*
** cds_cards.h — the answer to a CDS Hooks request: its medications
** (cds_request.h) resolved and checked by the interaction checker
** (materia/interact.h), written as a CDS Hooks 2.0 response {"cards": [...]}.
** docs/cds-hooks.md is the reference for what each card says.
**
** Resolution. Each medication's candidates are tried in order (RxNorm code,
** NDC, text, displays) exactly as `materia check` resolves an input: the
** first that resolves is checked; a medication none of whose candidates
** resolves is reported, never guessed.
**
** Cards, only about pairs that involve a new order (a draft being signed, or
** a selected one): pairs among the current medications alone, or among
** unselected drafts, are not this order's business.
**   interaction   one card per pair with interaction evidence; indicator from
**                 mt_cds_indicator; the detail lists each source's own rating
**                 with its name, edition and record.
**   duplication   one info card per pair whose only finding is a duplicate
**                 therapy (same ingredient, same EPC class).
**   not-checked   one info card naming the medications that did not resolve.
**   not-covered   one info card naming the resolved medications no bundled
**                 interaction source covers and the pairs no single source
**                 covers: "no data", not "no interaction".
** The list is empty only when every medication resolved, every pair that
** involves a new order was covered by a source, and nothing was found.
** Class effects and the anticholinergic burden are not turned into cards
** (the check API reports them).
*/
#ifndef MT_CDS_CARDS_H
#define MT_CDS_CARDS_H

#include "cds/cds_request.h"
#include "materia/kb.h"
#include "util/buf.h"

/* The topic codes of the cards (source.topic.code), system MT_CDS_TOPIC_SYSTEM. */
#define MT_CDS_TOPIC_SYSTEM "urn:materia:cds-card"

/* Checks req's medications against kb and appends the response to out.
** MT_OK; MT_ENOMEM; MT_ELIMIT (the checker's memory limit, or out is full);
** MT_EIO (no random source for card ids); MT_EINVAL (NULL argument). */
int mt_cds_respond(const mt_kb *kb, const mt_cds_request *req, mt_buf *out);

/* The card indicator of a finding, from its canonical severities
** (mt_severity or MT_CHECK_SEV_NONE): a clinical contraindicated or major
** is "critical", moderate "warning", minor, unknown or none "info"; a
** harm-reduction rating of moderate or above raises "info" to "warning",
** never to "critical" (it is not a clinical grading). */
const char *mt_cds_indicator(int severity, int hr_severity);

#endif /* MT_CDS_CARDS_H */
