/*
** api_search.c — GET /api/v1/search and /api/v1/autocomplete: the search
** engine (lib/search) behind a bounded query.
*/
#include <stdlib.h>
#include <string.h>

#include "materia/search.h"
#include "server/api.h"
#include "search/search_json.h"

/* Parses ?limit= (1..MT_SEARCH_MAX_RESULTS); 0 on a bad value. */
static unsigned parse_limit(const char *s, unsigned dflt)
{
    char *end;
    long v;
    if (!s)
        return dflt;
    v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 1 || v > MT_SEARCH_MAX_RESULTS)
        return 0;
    return (unsigned)v;
}

static int search(mt_http_req *req, unsigned flags, unsigned default_limit)
{
    const char *q = mt_http_arg(req, "q");
    unsigned limit = parse_limit(mt_http_arg(req, "limit"), default_limit);
    mt_search_results r;
    int rc;

    if (!q || !*q)
        return mt_http_problem(req, 400, "bad-request", "Missing parameter", "the query parameter 'q' is required");
    if (strlen(q) > MT_SEARCH_QUERY_MAX)
        return mt_http_problem(req, 400, "query-too-long", "Query too long",
                               "'q' is longer than %d bytes", MT_SEARCH_QUERY_MAX);
    if (!limit)
        return mt_http_problem(req, 400, "bad-request", "Invalid parameter 'limit'",
                               "'limit' must be an integer from 1 to %d", MT_SEARCH_MAX_RESULTS);
    rc = mt_search_results_init(&r);
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    rc = mt_search(mt_http_kb(req), q, limit, flags, &r);
    if (rc != MT_OK && rc != MT_ENOTFOUND) {    /* nothing matched: 200, no results */
        mt_search_results_free(&r);
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    }
    rc = mt_search_json(mt_http_kb(req), q, &r, NULL, 0, &req->out);
    mt_search_results_free(&r);
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    return mt_http_json(req, 200, 1);
}

int mt_api_search(mt_http_req *req) { return search(req, 0, 10); }

/* Autocomplete favours what a person is typing: prefixes, no phonetic guesses. */
int mt_api_autocomplete(mt_http_req *req) { return search(req, MT_SEARCH_NO_PHONETIC, 8); }
