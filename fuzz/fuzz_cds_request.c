/*
** fuzz_cds_request.c — libFuzzer target for CDS Hooks requests
** (lib/cds/cds_request.c, then lib/cds/cds_cards.c): arbitrary bytes as the
** body of an order-sign or order-select call (the first byte picks the
** hook), against a small knowledge base built once at start-up. Checks,
** besides memory safety, what the modules promise: a refusal names a reason;
** an accepted request has at most 200 medications, new ones first, each
** with bounded, NUL-free candidates; the response is a JSON object whose
** cards each have a uuid, a summary under 140 bytes, a known indicator and a
** source label.
**
** Seeds: fuzz/corpus/fuzz_cds_request/ (order-sign, order-select,
** references, malformed fields).
*/
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cds/cds_cards.h"
#include "cds/cds_request.h"
#include "kbwrite/kbwrite.h"
#include "materia/kb.h"
#include "model/model.h"
#include "util/arena.h"
#include "util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static mt_kb *kb;

static mdl_ref drug(mdl *m, mdl_src s, const char *name, uint32_t rxcui)
{
    mdl_keys k;
    mdl_ref r = 0;
    memset(&k, 0, sizeof(k));
    k.rxcui = rxcui;
    mdl_drug_add(m, name, MT_DRUG_INGREDIENT, &k, MT_DRUGF_IN_RXNORM, mdl_cite_make(m, s, "RXCUI %u", rxcui), &r);
    return r;
}

static void rule(mdl *m, mdl_src s, mt_ix_kind kind, const char *level, mt_severity sev, mdl_ref a, mdl_ref b)
{
    mdl_ixrule r;
    mdl_ref id;
    memset(&r, 0, sizeof(r));
    r.kind = (uint8_t)kind;
    r.a_label = "A";
    r.b_label = "B";
    r.level = level;
    r.severity = (uint8_t)sev;
    r.effect = "an *effect* with [markup](x) <b>";
    r.lang = "en";
    r.cite = mdl_cite_make(m, s, "rule %s", level);
    if (mdl_ixrule_add(m, &r, &id) == MT_OK)
        mdl_ixpair_add(m, a, b, id);
}

static void source(mdl *m, const char *id, const char *kind, mdl_src *out)
{
    mdl_source d;
    memset(&d, 0, sizeof(d));
    d.id = id;
    d.name = id;
    d.edition = "2025-01";
    d.kind = kind;
    d.url = "https://example.org/source";
    mdl_source_add(m, &d, out);
}

/* Warfarin, ibuprofen (clinical, major), ketamine, alcohol (harm
** reduction), lactulose (no rule), a warfarin product with an NDC. */
static void build_kb(void)
{
    mdl m;
    mdl_src rx = 0, clin = 0, hr = 0;
    mdl_ref w, i, k, a;
    mdl_product p;
    mdl_ref pr;
    char path[64];

    mdl_init(&m);
    source(&m, "rxnorm", "vocabulary", &rx);
    source(&m, "clin", "clinical-interactions", &clin);
    source(&m, "hr", "harm-reduction", &hr);
    w = drug(&m, rx, "warfarin", 11289);
    i = drug(&m, rx, "ibuprofen", 5640);
    k = drug(&m, rx, "ketamine", 6130);
    a = drug(&m, rx, "alcohol", 448);
    drug(&m, rx, "lactulose", 6218);
    rule(&m, clin, MT_IX_CLINICAL, "Avoid", MT_SEV_MAJOR, w, i);
    rule(&m, hr, MT_IX_HARM_REDUCTION, "Dangerous", MT_SEV_MAJOR, k, a);
    memset(&p, 0, sizeof(p));
    p.rxcui = 855332;
    p.tty = "SCD";
    p.name = "warfarin sodium 5 MG Oral Tablet";
    p.cite = mdl_cite_make(&m, rx, "RXCUI 855332");
    if (mdl_product_add(&m, &p, &pr) == MT_OK) {
        mdl_product_ing_add(&m, pr, w);
        mdl_ndc_add(&m, pr, "00093171201", mdl_cite_make(&m, rx, "NDC 00093171201"));
    }
    snprintf(path, sizeof(path), "/tmp/fuzz_cds_%ld.kb", (long)getpid());
    if (mt_kb_write(&m, path, "fuzz", NULL, NULL) != MT_OK || mt_kb_open(&kb, path, 0) != MT_OK)
        abort();
    unlink(path);                  /* the map stays valid */
    mdl_free(&m);
}

static void check_request(const mt_cds_request *r)
{
    uint32_t i, k;
    if (r->nmeds > MT_CDS_MAX_MEDS || r->nnew > r->nmeds || (r->nmeds && !r->meds) || !r->hook_instance)
        abort();
    for (i = 0; i < r->nmeds; i++) {
        const mt_cds_med *m = &r->meds[i];
        if ((i < r->nnew) != (m->origin == MT_CDS_NEW) || (i > 0 && m->origin < r->meds[i - 1].origin))
            abort();
        if (!m->ref || !m->where || !m->label || strlen(m->label) > MT_CDS_MAX_LABEL)
            abort();
        if (m->ncands > MT_CDS_MAX_CANDS || (m->ncands == 0 && !m->why_none))
            abort();
        for (k = 0; k < m->ncands; k++)
            if (!m->cands[k].value || !*m->cands[k].value || strlen(m->cands[k].value) > MT_CHECK_MAX_INPUT_LEN ||
                m->cands[k].kind < MT_CDS_RXNORM || m->cands[k].kind > MT_CDS_DISPLAY)
                abort();
    }
}

static void check_response(const mt_buf *out)
{
    json_t *doc = json_loadb(out->data, out->len, 0, NULL), *cards, *c;
    size_t i;
    if (!doc || !json_is_array(cards = json_object_get(doc, "cards")))
        abort();
    json_array_foreach(cards, i, c) {
        const char *s = json_string_value(json_object_get(c, "summary"));
        const char *ind = json_string_value(json_object_get(c, "indicator"));
        const char *id = json_string_value(json_object_get(c, "uuid"));
        const char *lab = json_string_value(json_object_get(json_object_get(c, "source"), "label"));
        if (!s || !*s || strlen(s) >= 140 || !id || strlen(id) != 36 || !lab ||
            !ind || (strcmp(ind, "info") && strcmp(ind, "warning") && strcmp(ind, "critical")))
            abort();
    }
    json_decref(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_arena a;
    mt_cds_request r;
    mt_cds_error e;
    mt_buf out;
    int rc, hook;

    if (!kb)
        build_kb();
    if (size == 0)
        return 0;
    hook = (data[0] & 1) ? MT_CDS_ORDER_SELECT : MT_CDS_ORDER_SIGN;
    mt_arena_init(&a, 4096, 4u << 20);
    rc = mt_cds_request_parse((const char *)data + 1, size - 1, hook, &a, &r, &e);
    if (rc == MT_OK) {
        check_request(&r);
        mt_buf_init(&out, 8u << 20);
        if (mt_cds_respond(kb, &r, &out) != MT_OK)
            abort();
        check_response(&out);
        mt_buf_free(&out);
    } else if (rc == MT_EFORMAT || rc == MT_ENOTFOUND || rc == MT_ELIMIT) {
        if (!e.message[0] || r.nmeds != 0)
            abort();
    } else if (rc != MT_ENOMEM) {   /* the arena's 4 MiB: a huge request */
        abort();
    }
    mt_arena_free(&a);
    return 0;
}
