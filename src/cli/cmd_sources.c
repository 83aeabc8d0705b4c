/*
** cmd_sources.c — `materia sources`: every data source in the knowledge
** base with its edition, licence, required attribution and record counts.
*/
#include <string.h>

#include "cli.h"
#include "kb/kb_internal.h"
#include "kb/kbsources.h"

#define OUT_MAX (16u * 1024 * 1024)

/* The same JSON as GET /api/v1/sources (kbsources.h), pretty, with a newline. */
static int write_json(const mt_kb *kb, mt_buf *out)
{
    int rc = mt_kb_sources_json(kb, 1, out);
    return rc == MT_OK ? mt_buf_putc(out, '\n') : rc;
}

static int write_text(const mt_kb *kb, mt_buf *out)
{
    mt_kb_summary info;
    uint32_t i, n;
    const kb_source *s = mt_kb_sources(kb, &n);
    int rc = MT_OK;

    mt_kb_info(kb, &info);
    rc = mt_buf_printf(out, "%u sources (data %s, built %s)\n", n, info.data_version, info.build_date);
    for (i = 0; i < n && rc == MT_OK; i++) {
        const char *folder = mt_kb_str(kb, s[i].folder);
        rc = mt_buf_printf(out,
                           "\n%s  %s\n"
                           "  edition:     %s\n"
                           "  licence:     %s\n"
                           "  attribution: %s\n"
                           "  url:         %s\n"
                           "  kind:        %s\n"
                           "  folder:      %s\n"
                           "  records:     %u facts; %u rows read, %u matched, %u unmatched, %u drugs created\n",
                           mt_kb_str(kb, s[i].id), mt_kb_str(kb, s[i].name), mt_kb_str(kb, s[i].edition),
                           mt_kb_str(kb, s[i].licence), mt_kb_str(kb, s[i].attribution),
                           mt_kb_str(kb, s[i].url), mt_kb_str(kb, s[i].kind),
                           *folder ? folder : "(built in)", s[i].facts, s[i].rows, s[i].matched,
                           s[i].unmatched, s[i].created);
    }
    return rc;
}

CLI_COMMAND(sources)
{
    const char *kbpath = NULL;
    int json = 0, i, rc;
    mt_kb *kb = NULL;
    mt_buf out;

    for (i = 1; i < argc; i++) {
        int m = cli_opt_value(argc, argv, &i, "kb", &kbpath);
        if (m < 0)
            return cli_usage_error("sources", "--kb needs a file");
        if (m > 0)
            continue;
        if (cli_flag(argv[i], "json")) {
            json = 1;
            continue;
        }
        return cli_usage_error("sources", "unknown argument \"%s\"", argv[i]);
    }
    kbpath = cli_kb_path(kbpath);
    if (cli_open_kb(kbpath, &kb) != CLI_OK)
        return CLI_FAIL;
    mt_buf_init(&out, OUT_MAX);
    rc = json ? write_json(kb, &out) : write_text(kb, &out);
    if (rc != MT_OK)
        rc = cli_fail("sources: %s", mt_strerror(rc));
    else
        rc = cli_write_stdout(&out);
    mt_buf_free(&out);
    mt_kb_close(kb);
    return rc;
}
