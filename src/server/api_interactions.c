/*
** api_interactions.c — GET /api/v1/interactions?drugs=a,b,c and
** POST /api/v1/interactions {"drugs": [...]}: bounded parsing, then the
** interaction checker (lib/interact) and its JSON.
*/
#include <jansson.h>
#include <microhttpd.h>
#include <string.h>

#include "materia/interact.h"
#include "server/api.h"
#include "util/alloc.h"
#include "util/jsonmem.h"

/* Runs the check on inputs[0..n-1] and writes the response. */
static int run_check(mt_http_req *req, const char *const *inputs, size_t n)
{
    mt_check_result result;
    int rc;

    if (n == 0)
        return mt_http_problem(req, 400, "bad-request", "No drugs",
                               "give at least one drug to check");
    if (n > MT_CHECK_MAX_INPUTS)
        return mt_http_problem(req, 413, "list-too-long", "Too many drugs",
                               "%zu drugs given; at most %d can be checked at once", n, MT_CHECK_MAX_INPUTS);
    memset(&result, 0, sizeof(result));
    rc = mt_check(mt_http_kb(req), inputs, n, NULL, &result);
    if (rc == MT_OK)
        rc = mt_check_json(&result, 0, &req->out);
    mt_check_result_free(&result);
    if (rc == MT_ELIMIT)
        return mt_http_problem(req, 413, "list-too-long", "Check too large",
                               "the check exceeds the server's limits");
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    return mt_http_json(req, 200, 1);
}

int mt_api_interactions_get(mt_http_req *req)
{
    const char *list = mt_http_arg(req, "drugs");
    const char *inputs[MT_CHECK_MAX_INPUTS];
    size_t n = 0;
    char *copy, *p;

    if (!list || !*list)
        return mt_http_problem(req, 400, "bad-request", "Missing parameter",
                               "the query parameter 'drugs' (comma-separated) is required");
    copy = mt_arena_strdup(&req->arena, list);
    if (!copy)
        return mt_http_problem(req, 500, "internal", "Internal error", "out of memory");
    for (p = copy; p;) {
        char *comma = strchr(p, ',');
        if (comma)
            *comma = '\0';
        while (*p == ' ')
            p++;
        if (*p) {
            if (n == MT_CHECK_MAX_INPUTS)
                return mt_http_problem(req, 413, "list-too-long", "Too many drugs",
                                       "at most %d drugs can be checked at once", MT_CHECK_MAX_INPUTS);
            inputs[n++] = p;
        }
        p = comma ? comma + 1 : NULL;
    }
    return run_check(req, inputs, n);
}

int mt_api_interactions_post(mt_http_req *req)
{
    const char *ctype = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
    const char *inputs[MT_CHECK_MAX_INPUTS];
    json_error_t jerr;
    json_t *doc = NULL, *drugs;
    size_t n, i;
    int rc;

    if (!ctype || strncmp(ctype, "application/json", 16) != 0)
        return mt_http_problem(req, 415, "unsupported-media-type", "Unsupported media type",
                               "send the list as application/json: {\"drugs\": [\"...\"]}");
    doc = mt_json_loadb(req->body.data, req->body.len, JSON_REJECT_DUPLICATES, &jerr, &rc);
    if (rc == MT_ENOMEM) {
        rc = mt_http_problem(req, 500, "internal", "Internal error", "out of memory");
        goto done;
    }
    if (!doc) {
        rc = mt_http_problem(req, 400, "invalid-json", "Invalid JSON",
                             "line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        goto done;
    }
    drugs = json_object_get(doc, "drugs");
    if (!json_is_array(drugs)) {
        rc = mt_http_problem(req, 400, "bad-request", "Invalid field 'drugs'",
                             "'drugs' must be an array of strings");
        goto done;
    }
    n = json_array_size(drugs);
    if (n > MT_CHECK_MAX_INPUTS) {
        rc = mt_http_problem(req, 413, "list-too-long", "Too many drugs",
                             "%zu drugs given; at most %d can be checked at once", n, MT_CHECK_MAX_INPUTS);
        goto done;
    }
    for (i = 0; i < n; i++) {
        json_t *d = json_array_get(drugs, i);
        if (!json_is_string(d)) {
            rc = mt_http_problem(req, 400, "bad-request", "Invalid field 'drugs'",
                                 "drugs[%zu] is not a string", i);
            goto done;
        }
        inputs[i] = json_string_value(d);
    }
    rc = run_check(req, inputs, n);
done:
    json_decref(doc);
    return rc;
}
