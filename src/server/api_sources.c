/*
** api_sources.c — GET /api/v1/sources: every bundled source with its
** edition, licence, attribution and record counts (the same JSON as
** `materia sources --json`).
*/
#include "kb/kbsources.h"
#include "server/api.h"

int mt_api_sources(mt_http_req *req)
{
    int rc = mt_kb_sources_json(mt_http_kb(req), 0, &req->out);
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    return mt_http_json(req, 200, 1);
}
