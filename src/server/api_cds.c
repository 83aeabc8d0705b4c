/*
** api_cds.c — CDS Hooks 2.0 over the interaction checker: the discovery
** document and one service per hook (order-sign, order-select). Parsing is
** lib/cds/cds_request.c, checking and cards lib/cds/cds_cards.c; this file
** maps their statuses to HTTP.
*/
#include "server/api_cds.h"

#include <microhttpd.h>
#include <string.h>

#include "cds/cds_cards.h"
#include "cds/cds_request.h"
#include "materia/status.h"
#include "util/jsonw.h"

typedef struct service {
    const char *id;
    int         hook;          /* mt_cds_hook */
    const char *title;
    const char *description;
} service;

static const service services[] = {
    { "materia-drug-interactions", MT_CDS_ORDER_SIGN, "Materia drug interactions (order-sign)",
      "Checks the medication orders being signed against each other and against the patient's current "
      "medications, offline, with Materia's bundled interaction sources. Every card names its sources; "
      "medications that could not be identified and pairs no source covers are reported as such. "
      "Materia informs; it does not replace a clinician or pharmacist." },
    { "materia-drug-interactions-select", MT_CDS_ORDER_SELECT, "Materia drug interactions (order-select)",
      "Checks the newly selected medication orders against the other orders of the session and the "
      "patient's current medications, offline, with Materia's bundled interaction sources. Every card "
      "names its sources; medications that could not be identified and pairs no source covers are "
      "reported as such. Materia informs; it does not replace a clinician or pharmacist." },
};

static const struct { const char *key, *query; } prefetch[] = {
    { MT_CDS_PREFETCH_MEDS,       "MedicationRequest?patient={{context.patientId}}&status=active" },
    { MT_CDS_PREFETCH_STATEMENTS, "MedicationStatement?patient={{context.patientId}}&status=active" },
};

int mt_api_cds_discovery(mt_http_req *req)
{
    mt_jsonw w;
    size_t i, k;

    mt_jsonw_init(&w, &req->out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "services");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < sizeof(services) / sizeof(services[0]); i++) {
        mt_jsonw_obj_begin(&w);
        mt_jsonw_kstr(&w, "hook", mt_cds_hook_name(services[i].hook));
        mt_jsonw_kstr(&w, "title", services[i].title);
        mt_jsonw_kstr(&w, "description", services[i].description);
        mt_jsonw_kstr(&w, "id", services[i].id);
        mt_jsonw_key(&w, "prefetch");
        mt_jsonw_obj_begin(&w);
        for (k = 0; k < sizeof(prefetch) / sizeof(prefetch[0]); k++)
            mt_jsonw_kstr(&w, prefetch[k].key, prefetch[k].query);
        mt_jsonw_obj_end(&w);
        mt_jsonw_obj_end(&w);
    }
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    if (mt_jsonw_finish(&w) != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "could not write the response");
    return mt_http_json(req, 200, 1);
}

int mt_api_cds_service(mt_http_req *req)
{
    const char *ctype;
    const service *svc = NULL;
    mt_cds_request creq;
    mt_cds_error err;
    size_t i;
    int rc;

    for (i = 0; i < sizeof(services) / sizeof(services[0]); i++)
        if (strcmp(req->tail, services[i].id) == 0)
            svc = &services[i];
    if (!svc)
        return mt_http_problem(req, 404, "not-found", "Not found",
                               "no CDS service '%.100s'; GET /cds-services lists them", req->tail);
    if (strcmp(req->method, "POST") != 0) {
        req->allow = "POST";
        return mt_http_problem(req, 405, "method-not-allowed", "Method not allowed",
                               "a CDS service is called with POST");
    }
    ctype = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
    if (!ctype || strncmp(ctype, "application/json", 16) != 0)
        return mt_http_problem(req, 415, "unsupported-media-type", "Unsupported media type",
                               "send the CDS Hooks request as application/json");
    rc = mt_cds_request_parse(req->body.data, req->body.len, svc->hook, &req->arena, &creq, &err);
    if (rc == MT_EFORMAT)
        return mt_http_problem(req, 400, "invalid-cds-request", "Invalid CDS Hooks request",
                               "%s%s%s", err.field, err.field[0] ? ": " : "", err.message);
    if (rc == MT_ENOTFOUND)
        return mt_http_problem(req, 412, "prefetch-required", "Prefetch required",
                               "%s %s", err.field, err.message);
    if (rc == MT_ELIMIT)
        return mt_http_problem(req, 413, "list-too-long", "Too many medications", "%s", err.message);
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    rc = mt_cds_respond(mt_http_kb(req), &creq, &req->out);
    if (rc == MT_ELIMIT)
        return mt_http_problem(req, 413, "list-too-long", "Check too large",
                               "the check exceeds the server's limits");
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    return mt_http_json(req, 200, 0);
}
