/*
** cmd_pill.c — `materia pill`: identify a pill by imprint, colour, shape,
** size and score (materia/pill.h), as text or JSON; --svg ID draws one.
**
** Exit status: 0 when the search ran and found results or near-misses
** (an imprint that matches nothing is an answer, not a failure); 1 when
** nothing matched and nothing is close, or on failure; 2 for bad usage,
** including a colour or shape word that is not known.
*/
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "materia/pill.h"

#define OUT_MAX (4u << 20)

static int parse_uint(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
    char *end;
    unsigned long v;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || v < min || v > max)
        return 0;
    *out = v;
    return 1;
}

CLI_COMMAND(pill)
{
    const char *kbpath = NULL, *limit_s = NULL, *size_s = NULL, *score_s = NULL, *svg_s = NULL;
    mt_pill_query q;
    mt_pill_results r;
    unsigned long limit = MT_PILL_DEFAULT_LIMIT, v = 0;
    int json = 0, i, status = CLI_OK, rc;
    mt_kb *kb = NULL;
    mt_buf out;

    memset(&q, 0, sizeof(q));
    for (i = 1; i < argc; i++) {
        int m;
        if ((m = cli_opt_value(argc, argv, &i, "kb", &kbpath)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "imprint", &q.imprint)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "color", &q.color)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "colour", &q.color)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "shape", &q.shape)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "size", &size_s)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "score", &score_s)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "limit", &limit_s)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "svg", &svg_s)) != 0) {
            if (m < 0)
                return cli_usage_error("pill", "%s needs a value", argv[i]);
            continue;
        }
        if (cli_flag(argv[i], "json")) {
            json = 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] == '-')
            return cli_usage_error("pill", "unknown option \"%s\"", argv[i]);
        return cli_usage_error("pill", "unexpected argument \"%s\" (give the imprint with --imprint)", argv[i]);
    }
    if (limit_s && !parse_uint(limit_s, 1, MT_PILL_MAX_RESULTS, &limit))
        return cli_usage_error("pill", "--limit must be a number from 1 to %d", MT_PILL_MAX_RESULTS);
    if (size_s) {
        char *end;
        double mm;
        errno = 0;
        mm = strtod(size_s, &end);
        if (errno || end == size_s || (*end && strcmp(end, "mm") != 0) || !isfinite(mm) || mm <= 0 || mm > 100)
            return cli_usage_error("pill", "--size must be a size in millimetres, such as 9 or 8.5");
        q.size_mm = mm;
    }
    if (score_s) {
        if (!parse_uint(score_s, 1, 9, &v))
            return cli_usage_error("pill", "--score must be the number of pieces, 1 to 9");
        q.score = (int)v;
    }
    if (svg_s) {
        if (q.imprint || q.color || q.shape || size_s || score_s || json)
            return cli_usage_error("pill", "--svg ID draws one pill and takes no search options");
        if (!parse_uint(svg_s, 0, UINT32_MAX - 1, &v))
            return cli_usage_error("pill", "--svg needs a pill id (a number from the results)");
    } else if (!(q.imprint && *q.imprint) && !(q.color && *q.color) && !(q.shape && *q.shape) &&
               !size_s && !score_s) {
        return cli_usage_error("pill", "give at least one of --imprint, --color, --shape, --size, --score");
    }
    if (mt_pill_results_init(&r) != MT_OK)
        return cli_fail("out of memory");
    if (cli_open_kb(cli_kb_path(kbpath), &kb) != CLI_OK) {
        mt_pill_results_free(&r);
        return CLI_FAIL;
    }
    mt_buf_init(&out, OUT_MAX);
    if (svg_s) {
        rc = mt_pill_svg(kb, (uint32_t)v, &out);
        if (rc == MT_ENOTFOUND)
            status = cli_fail("no pill %lu in this knowledge base", v);
        else if (rc != MT_OK)
            status = cli_fail("pill: %s", mt_strerror(rc));
        else
            status = cli_write_stdout(&out);
        goto done;
    }
    rc = mt_pill_search(kb, &q, (unsigned)limit, &r);
    if (rc == MT_EINVAL) {
        status = cli_usage_error("pill", "%s", r.error[0] ? r.error : mt_strerror(rc));
        goto done;
    }
    if (rc != MT_OK) {
        status = cli_fail("pill: %s%s%s", mt_strerror(rc), r.error[0] ? ": " : "", r.error);
        goto done;
    }
    rc = json ? mt_pill_json(kb, &q, &r, 1, &out) : mt_pill_text(kb, &q, &r, &out);
    if (rc == MT_OK && json)
        rc = mt_buf_putc(&out, '\n');
    if (rc != MT_OK) {
        status = cli_fail("pill: %s", mt_strerror(rc));
        goto done;
    }
    status = cli_write_stdout(&out);
    if (status == CLI_OK && r.count == 0 && r.nnear == 0)
        status = CLI_FAIL;
done:
    mt_buf_free(&out);
    mt_kb_close(kb);
    mt_pill_results_free(&r);
    return status;
}
