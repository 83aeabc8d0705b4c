/*
** cmd_search.c — `materia search`: typo-tolerant search over names and
** codes (materia/search.h), one query from the command line or one per line
** of a file (--batch, JSON lines out).
**
** Exit status: 0 when the query matched; 1 when nothing matched (with "did
** you mean" suggestions when there are any) or on failure; 2 for bad usage.
** --batch exits 0 when every line was answered, whether it matched or not:
** each output line says so.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "kb/kb_internal.h"
#include "materia/search.h"
#include "search/search_json.h"
#include "util/jsonw.h"

#define OUT_MAX      (1u << 20)
#define LINE_MAX_LEN 4096u           /* longer batch lines are cut (queries read 256 bytes) */
#define DEFAULT_LIMIT 10u
#define SUGGESTIONS  5u

/* {"query", "count", "results": [...], "suggestions": [...]} on one line
** (or indented), then a newline. */
static int write_json(const mt_kb *kb, const char *query, const mt_search_results *r,
                      const mt_search_results *sug, int pretty, mt_buf *out)
{
    int rc = mt_search_json(kb, query, r, sug, pretty, out);
    return rc == MT_OK ? mt_buf_putc(out, '\n') : rc;
}

static int write_text(const mt_kb *kb, const char *query, const mt_search_results *r,
                      const mt_search_results *sug, mt_buf *out)
{
    uint32_t i;
    int rc = MT_OK;

    if (r->count == 0) {
        rc = mt_buf_printf(out, "No drug matches \"%s\".\n", query);
        for (i = 0; sug && i < sug->count && rc == MT_OK; i++)
            rc = mt_buf_printf(out, "%s%s%s", i == 0 ? "Did you mean: " : ", ", sug->hits[i].name,
                               i + 1 == sug->count ? "?\n" : "");
        return rc;
    }
    for (i = 0; i < r->count && rc == MT_OK; i++) {
        const mt_search_hit *h = &r->hits[i];
        const kb_drug *d = mt_kb_drug(kb, h->drug);
        rc = mt_buf_printf(out, "%2u. %s", i + 1, h->drug_name);
        if (rc == MT_OK && d && d->rxcui)
            rc = mt_buf_printf(out, " (RxCUI %u)", d->rxcui);
        if (rc == MT_OK)
            rc = mt_buf_printf(out, "  %s", mt_search_tier_name(h->tier));
        if (rc == MT_OK && h->distance)
            rc = mt_buf_printf(out, " %u", h->distance);
        if (rc == MT_OK && h->code_type)
            rc = mt_buf_printf(out, ": %s %s", mt_search_code_name(h->code_type), h->name);
        else if (rc == MT_OK)
            rc = mt_buf_printf(out, ": %s \"%s\"", mt_search_name_kind_name(h->name_kind), h->name);
        if (rc == MT_OK && *h->source)
            rc = mt_buf_printf(out, " [%s]", h->source);
        if (rc == MT_OK)
            rc = mt_buf_putc(out, '\n');
    }
    return rc;
}

/* Runs one query into r (and sug when nothing matched). MT_OK, MT_ENOTFOUND,
** or an error. */
static int run_query(const mt_kb *kb, const char *query, unsigned limit,
                     mt_search_results *r, mt_search_results *sug)
{
    int rc = mt_search(kb, query, limit, 0, r);
    sug->count = 0;
    if (rc == MT_ENOTFOUND)
        mt_search_suggest(kb, query, SUGGESTIONS, sug);
    return rc;
}

static int batch(const mt_kb *kb, const char *path, unsigned limit, mt_search_results *r,
                 mt_search_results *sug)
{
    FILE *in = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char line[LINE_MAX_LEN];
    unsigned long lineno = 0;
    mt_buf out;
    int status = CLI_OK;

    if (!in)
        return cli_fail("%s: %s", path, strerror(errno));
    mt_buf_init(&out, OUT_MAX);
    while (fgets(line, sizeof(line), in)) {
        size_t n = strlen(line);
        int rc;
        lineno++;
        if (n > 0 && line[n - 1] != '\n' && !feof(in)) {
            int c;                       /* cut an overlong line */
            while ((c = fgetc(in)) != EOF && c != '\n')
                ;
        }
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n == 0)
            continue;
        rc = run_query(kb, line, limit, r, sug);
        if (rc != MT_OK && rc != MT_ENOTFOUND) {
            status = cli_fail("%s:%lu: %s", path, lineno, mt_strerror(rc));
            break;
        }
        mt_buf_reset(&out);
        rc = write_json(kb, line, r, sug, 0, &out);
        if (rc != MT_OK) {
            status = cli_fail("%s:%lu: %s", path, lineno, mt_strerror(rc));
            break;
        }
        if ((status = cli_write_stdout(&out)) != CLI_OK)
            break;
    }
    if (status == CLI_OK && ferror(in))
        status = cli_fail("%s: %s", path, strerror(errno));
    if (in != stdin)
        fclose(in);
    mt_buf_free(&out);
    return status;
}

CLI_COMMAND(search)
{
    const char *kbpath = NULL, *batch_path = NULL, *limit_s = NULL;
    unsigned limit = DEFAULT_LIMIT;
    int json = 0, i, status;
    mt_buf query, out;
    mt_kb *kb = NULL;
    mt_search_results r, sug;

    mt_buf_init(&query, MT_SEARCH_QUERY_MAX * 4);
    for (i = 1; i < argc; i++) {
        int m;
        if ((m = cli_opt_value(argc, argv, &i, "kb", &kbpath)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "batch", &batch_path)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "limit", &limit_s)) != 0) {
            if (m < 0) {
                mt_buf_free(&query);
                return cli_usage_error("search", "%s needs a value", argv[i]);
            }
            continue;
        }
        if (cli_flag(argv[i], "json")) {
            json = 1;
            continue;
        }
        if (argv[i][0] == '-' && argv[i][1] == '-') {
            mt_buf_free(&query);
            return cli_usage_error("search", "unknown option \"%s\"", argv[i]);
        }
        /* Words of the query: "materia search sertraline 50 mg". */
        if ((query.len && mt_buf_putc(&query, ' ') != MT_OK) || mt_buf_puts(&query, argv[i]) != MT_OK) {
            mt_buf_free(&query);
            return cli_usage_error("search", "the query is too long");
        }
    }
    if (limit_s) {
        char *end;
        unsigned long v;
        errno = 0;
        v = strtoul(limit_s, &end, 10);
        if (errno || end == limit_s || *end || v < 1 || v > MT_SEARCH_MAX_RESULTS) {
            mt_buf_free(&query);
            return cli_usage_error("search", "--limit must be a number from 1 to %d", MT_SEARCH_MAX_RESULTS);
        }
        limit = (unsigned)v;
    }
    if (batch_path ? query.len > 0 : query.len == 0) {
        mt_buf_free(&query);
        return cli_usage_error("search", batch_path ? "--batch takes no query" : "no query");
    }
    if (cli_open_kb(cli_kb_path(kbpath), &kb) != CLI_OK) {
        mt_buf_free(&query);
        return CLI_FAIL;
    }
    if (mt_search_results_init(&r) != MT_OK || mt_search_results_init(&sug) != MT_OK) {
        mt_search_results_free(&r);
        mt_kb_close(kb);
        mt_buf_free(&query);
        return cli_fail("out of memory");
    }
    mt_buf_init(&out, OUT_MAX);
    if (batch_path) {
        status = batch(kb, batch_path, limit, &r, &sug);
    } else {
        int rc = run_query(kb, mt_buf_str(&query), limit, &r, &sug);
        if (rc != MT_OK && rc != MT_ENOTFOUND) {
            status = cli_fail("search: %s", mt_strerror(rc));
        } else {
            rc = json ? write_json(kb, mt_buf_str(&query), &r, &sug, 1, &out)
                      : write_text(kb, mt_buf_str(&query), &r, &sug, &out);
            if (rc != MT_OK) {
                status = cli_fail("search: %s", mt_strerror(rc));
            } else if (r.count == 0 && !json) {
                fputs(mt_buf_str(&out), stderr);   /* nothing matched: a message, exit 1 */
                status = CLI_FAIL;
            } else {
                status = cli_write_stdout(&out);
                if (status == CLI_OK && r.count == 0)
                    status = CLI_FAIL;
            }
        }
    }
    mt_buf_free(&out);
    mt_search_results_free(&sug);
    mt_search_results_free(&r);
    mt_kb_close(kb);
    mt_buf_free(&query);
    return status;
}
