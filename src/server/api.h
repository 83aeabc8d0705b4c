/*
** api.h — the JSON API handlers of `materia serve` (/api/v1). Each parses
** and bounds its request, calls one engine, and writes JSON or a problem.
*/
#ifndef MT_API_H
#define MT_API_H

#include "server/http.h"

int mt_api_sources(mt_http_req *req);
int mt_api_search(mt_http_req *req);
int mt_api_autocomplete(mt_http_req *req);
int mt_api_drug(mt_http_req *req);
int mt_api_pills(mt_http_req *req);
int mt_api_pill_svg(mt_http_req *req);
int mt_api_interactions_get(mt_http_req *req);
int mt_api_interactions_post(mt_http_req *req);
int mt_api_records(mt_http_req *req);   /* every method; its own route table (api_records.c) */

#endif /* MT_API_H */
