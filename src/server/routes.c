/*
** routes.c — the route table of the HTTP server and the handlers that are
** pure glue (health, version, the UI files, the OpenAPI document). Handlers
** that call an engine live beside it: api_drugs.c, api_search.c,
** api_interactions.c, api_sources.c.
*/
#include "server/routes.h"

#include <string.h>

#include "materia/status.h"
#include "materia/version.h"
#include "server/api.h"
#include "server/api_cds.h"
#include "server/assets.h"
#include "util/jsonw.h"


static int h_health(mt_http_req *req)
{
    mt_kb_summary info;
    mt_jsonw w;
    mt_kb_info(mt_http_kb(req), &info);
    mt_jsonw_init(&w, &req->out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "status", "ok");
    mt_jsonw_kstr(&w, "kb_data_version", info.data_version);
    mt_jsonw_kstr(&w, "kb_build_date", info.build_date);
    mt_jsonw_obj_end(&w);
    if (mt_jsonw_finish(&w) != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "could not write the response");
    return mt_http_json(req, 200, 0);
}

static int h_version(mt_http_req *req)
{
    mt_kb_summary info;
    mt_jsonw w;
    mt_kb_info(mt_http_kb(req), &info);
    mt_jsonw_init(&w, &req->out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "materia", MATERIA_VERSION);
    mt_jsonw_kstr(&w, "api", "v1");
    mt_jsonw_key(&w, "knowledge_base");
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kuint(&w, "format_version", info.format_version);
    mt_jsonw_kstr(&w, "data_version", info.data_version);
    mt_jsonw_kstr(&w, "build_date", info.build_date);
    mt_jsonw_kuint(&w, "drugs", info.drugs);
    mt_jsonw_kuint(&w, "interaction_rules", info.ixrules);
    mt_jsonw_kuint(&w, "pills", info.pills);
    mt_jsonw_obj_end(&w);
    mt_jsonw_obj_end(&w);
    if (mt_jsonw_finish(&w) != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "could not write the response");
    return mt_http_json(req, 200, 1);
}

static int h_asset(mt_http_req *req)
{
    const mt_asset *a = mt_asset_find(req->path);
    if (!a)
        return mt_http_problem(req, 404, "not-found", "Not found", "no page at %s", req->path);
    req->static_body = a->data;
    req->static_len = (size_t)(a->end - a->data);
    req->content_type = a->content_type;
    req->status = 200;
    req->cacheable = 1;
    return MT_OK;
}

typedef struct route {
    const char     *method;   /* "GET", "POST"; "*": the handler routes methods itself */
    const char     *path;     /* exact path, or a prefix ending in '/' when prefix is set */
    int             prefix;
    mt_http_handler fn;
} route;

static const route routes[] = {
    { "GET",  "/api/v1/health",        0, h_health },
    { "GET",  "/api/v1/version",       0, h_version },
    { "GET",  "/api/v1/openapi.json",  0, h_asset },
    { "GET",  "/api/v1/sources",       0, mt_api_sources },
    { "GET",  "/api/v1/search",        0, mt_api_search },
    { "GET",  "/api/v1/autocomplete",  0, mt_api_autocomplete },
    { "GET",  "/api/v1/drugs/",        1, mt_api_drug },
    { "GET",  "/api/v1/pills",         0, mt_api_pills },
    { "GET",  "/api/v1/pills/",        1, mt_api_pill_svg },
    { "GET",  "/api/v1/interactions",  0, mt_api_interactions_get },
    { "POST", "/api/v1/interactions",  0, mt_api_interactions_post },
    { "*",    "/api/v1/auth/",         1, mt_api_records },
    { "*",    "/api/v1/profiles",      0, mt_api_records },
    { "*",    "/api/v1/profiles/",     1, mt_api_records },
    { "*",    "/api/v1/audit",         0, mt_api_records },
    { "*",    "/api/v1/calendar.ics",  0, mt_api_records },
    { "GET",  "/cds-services",         0, mt_api_cds_discovery },
    { "*",    "/cds-services/",        1, mt_api_cds_service },
    { "GET",  "/",                     0, h_asset },
    { "GET",  "/index.html",           0, h_asset },
    { "GET",  "/app.js",               0, h_asset },
    { "GET",  "/app.css",              0, h_asset },
    { "GET",  "/favicon.svg",          0, h_asset },
};

void mt_routes_dispatch(mt_http_req *req)
{
    size_t i;
    int path_matched = 0;
    int is_head = strcmp(req->method, "HEAD") == 0;

    for (i = 0; i < sizeof(routes) / sizeof(routes[0]); i++) {
        const route *r = &routes[i];
        size_t plen = strlen(r->path);
        int match = r->prefix ? strncmp(req->path, r->path, plen) == 0 && req->path[plen] != '\0'
                              : strcmp(req->path, r->path) == 0;
        if (!match)
            continue;
        path_matched = 1;
        if (strcmp(r->method, "*") != 0 && strcmp(req->method, r->method) != 0 &&
            !(is_head && strcmp(r->method, "GET") == 0))
            continue;
        req->tail = r->prefix ? req->path + plen : NULL;
        r->fn(req);
        return;
    }
    if (path_matched) {
        req->allow = strncmp(req->path, "/api/v1/interactions", 20) == 0 ? "GET, POST" : "GET";
        mt_http_problem(req, 405, "method-not-allowed", "Method not allowed",
                        "%s is not allowed on %s", req->method, req->path);
        return;
    }
    mt_http_problem(req, 404, "not-found", "Not found", "no route for %s", req->path);
}
