/*
** api_pills.c — GET /api/v1/pills (the pill identifier, lib/pill) and
** GET /api/v1/pills/{id}.svg (a drawing of one pill, image/svg+xml).
**
** Query parameters: imprint, color (or colour), shape, size (mm), score,
** limit (1..50). A search that matches nothing answers 200 with no results
** and the closest near-misses; an unknown colour or shape word, a bad
** number or no criterion at all is a 400 problem naming it.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "materia/pill.h"
#include "server/api.h"

static int bad(mt_http_req *req, const char *detail)
{
    return mt_http_problem(req, 400, "bad-request", "Invalid pill query", "%s", detail);
}

int mt_api_pills(mt_http_req *req)
{
    const char *limit_s = mt_http_arg(req, "limit"), *size_s = mt_http_arg(req, "size");
    const char *score_s = mt_http_arg(req, "score");
    mt_pill_query q;
    mt_pill_results r;
    unsigned limit = MT_PILL_DEFAULT_LIMIT;
    int rc;

    memset(&q, 0, sizeof(q));
    q.imprint = mt_http_arg(req, "imprint");
    q.color = mt_http_arg(req, "color");
    if (!q.color)
        q.color = mt_http_arg(req, "colour");
    q.shape = mt_http_arg(req, "shape");
    if ((q.imprint && strlen(q.imprint) > MT_PILL_QUERY_MAX) || (q.color && strlen(q.color) > MT_PILL_QUERY_MAX) ||
        (q.shape && strlen(q.shape) > MT_PILL_QUERY_MAX))
        return mt_http_problem(req, 400, "query-too-long", "Query too long",
                               "imprint, color and shape are at most %d bytes each", MT_PILL_QUERY_MAX);
    if (limit_s) {
        char *end;
        long v = strtol(limit_s, &end, 10);
        if (!*limit_s || *end || v < 1 || v > MT_PILL_MAX_RESULTS)
            return mt_http_problem(req, 400, "bad-request", "Invalid parameter 'limit'",
                                   "'limit' must be an integer from 1 to %d", MT_PILL_MAX_RESULTS);
        limit = (unsigned)v;
    }
    if (size_s && *size_s) {
        char *end;
        double mm;
        errno = 0;
        mm = strtod(size_s, &end);
        if (errno || end == size_s || (*end && strcmp(end, "mm") != 0) || !isfinite(mm) || mm <= 0 || mm > 100)
            return bad(req, "'size' must be a size in millimetres, such as 9 or 8.5");
        q.size_mm = mm;
    }
    if (score_s && *score_s) {
        char *end;
        long v = strtol(score_s, &end, 10);
        if (*end || v < 1 || v > 9)
            return bad(req, "'score' must be the number of pieces, 1 to 9");
        q.score = (int)v;
    }
    rc = mt_pill_results_init(&r);
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    rc = mt_pill_search(mt_http_kb(req), &q, limit, &r);
    if (rc == MT_EINVAL) {
        rc = bad(req, r.error[0] ? r.error : "give an imprint, a color, a shape, a size or a score");
        goto done;
    }
    if (rc != MT_OK) {
        rc = mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
        goto done;
    }
    rc = mt_pill_json(mt_http_kb(req), &q, &r, 0, &req->out);
    if (rc != MT_OK) {
        rc = mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
        goto done;
    }
    rc = mt_http_json(req, 200, 1);
done:
    mt_pill_results_free(&r);
    return rc;
}

/* /api/v1/pills/{id}.svg: the tail is digits then ".svg". */
int mt_api_pill_svg(mt_http_req *req)
{
    const char *t = req->tail;
    unsigned long id = 0;
    size_t i;
    int rc;

    for (i = 0; t[i] >= '0' && t[i] <= '9' && i < 10; i++)
        id = id * 10 + (unsigned long)(t[i] - '0');
    if (i == 0 || strcmp(t + i, ".svg") != 0 || (i > 1 && t[0] == '0'))
        return mt_http_problem(req, 404, "not-found", "Not found", "no pill drawing at %s (use /api/v1/pills/{id}.svg)",
                               req->path);
    if (id >= UINT32_MAX)
        return mt_http_problem(req, 404, "not-found", "Not found", "no pill %lu", id);
    rc = mt_pill_svg(mt_http_kb(req), (uint32_t)id, &req->out);
    if (rc == MT_ENOTFOUND)
        return mt_http_problem(req, 404, "not-found", "Not found", "no pill %lu in this knowledge base", id);
    if (rc != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    req->status = 200;
    req->content_type = "image/svg+xml";
    req->cacheable = 1;
    return MT_OK;
}
