/*
** api_drugs.c — GET /api/v1/drugs/{drug}: a drug by name, brand, synonym,
** RxCUI, NDC or UNII, rendered by the show module (the same JSON as
** `materia show --json`). An unknown drug is a 404 problem that carries
** "did you mean" suggestions.
*/
#include <string.h>

#include "materia/show.h"
#include "server/api.h"
#include "util/jsonw.h"

#define MT_API_DRUG_MAX 256

static int not_found(mt_http_req *req, const char *query, const mt_search_results *r)
{
    mt_jsonw w;
    uint32_t i;
    mt_buf_reset(&req->out);
    mt_jsonw_init(&w, &req->out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "type", "/api/v1/problems/not-found");
    mt_jsonw_kstr(&w, "title", "Unknown drug");
    mt_jsonw_kint(&w, "status", 404);
    mt_jsonw_kstr(&w, "detail", "no drug with that name or code in the knowledge base");
    mt_jsonw_kstr(&w, "query", query);
    mt_jsonw_key(&w, "suggestions");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < r->count; i++)
        mt_jsonw_str(&w, r->hits[i].drug_name);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    if (mt_jsonw_finish(&w) != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "could not write the response");
    req->status = 404;
    req->content_type = "application/problem+json";
    req->cacheable = 0;
    return MT_OK;
}

int mt_api_drug(mt_http_req *req)
{
    mt_search_results r;
    mt_show_match m;
    mt_show_opts o;
    char *query;
    int rc;

    if (strlen(req->tail) > MT_API_DRUG_MAX)
        return mt_http_problem(req, 400, "query-too-long", "Drug name too long",
                               "the drug name or code is longer than %d bytes", MT_API_DRUG_MAX);
    query = mt_arena_strdup(&req->arena, req->tail);
    if (!query)
        return mt_http_problem(req, 500, "internal", "Internal error", "out of memory");
    /* libmicrohttpd has already decoded %XX escapes in the path: decoding
    ** again would turn "%25" into "%" and refuse names such as "0.9% ...". */
    if (!*query || strlen(query) > MT_API_DRUG_MAX)
        return mt_http_problem(req, 400, "bad-request", "Invalid drug name",
                               "the drug name in the path is empty or too long");
    rc = mt_search_results_init(&r);
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    rc = mt_show_resolve(mt_http_kb(req), query, &r, &m);
    if (rc == MT_ENOTFOUND) {
        rc = not_found(req, query, &r);
        goto done;
    }
    if (rc != MT_OK) {
        rc = mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
        goto done;
    }
    memset(&o, 0, sizeof(o));
    o.section = mt_http_arg(req, "section");
    rc = mt_show_json(mt_http_kb(req), &m, &o, &req->out);
    if (rc != MT_OK) {
        rc = mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
        goto done;
    }
    rc = mt_http_json(req, 200, 1);
done:
    mt_search_results_free(&r);
    return rc;
}
