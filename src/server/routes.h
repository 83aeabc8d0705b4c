/*
** routes.h — the URL space of `materia serve`: the JSON API under /api/v1
** and the embedded web UI. docs/http.md and web/openapi.json describe it.
*/
#ifndef MT_ROUTES_H
#define MT_ROUTES_H

#include "server/http.h"

/* Finds the route for req->method and req->path and runs it; writes a
** problem+json response for unknown routes (404) and wrong methods (405). */
void mt_routes_dispatch(mt_http_req *req);

#endif /* MT_ROUTES_H */
