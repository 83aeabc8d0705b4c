/*
** cmd_show.c — `materia show DRUG`: everything the knowledge base holds about
** one drug, each fact with its source (materia/show.h does the work).
**
** Exit status: 0 shown; 1 unknown drug (message and "did you mean" on
** stderr, or the not-found JSON on stdout with --json), or a --section that
** matches no section of the drug's documents, or a failure; 2 bad usage.
*/
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "materia/search.h"
#include "materia/show.h"

#define OUT_MAX   (64u * 1024 * 1024)
#define QUERY_MAX 1024u

CLI_COMMAND(show)
{
    const char *kbpath = NULL, *section = NULL, *products = NULL;
    int json = 0, i, rc = CLI_OK, st;
    unsigned flags = 0;
    mt_kb *kb = NULL;
    mt_buf out, query;
    mt_search_results r;
    mt_show_match m;
    mt_show_opts o;
    int have_results = 0;

    mt_buf_init(&out, OUT_MAX);
    mt_buf_init(&query, QUERY_MAX);
    memset(&o, 0, sizeof o);
    for (i = 1; i < argc; i++) {
        int mk = cli_opt_value(argc, argv, &i, "kb", &kbpath);
        int ms = mk ? 0 : cli_opt_value(argc, argv, &i, "section", &section);
        int mp = mk || ms ? 0 : cli_opt_value(argc, argv, &i, "products", &products);
        if (mk < 0 || ms < 0 || mp < 0) {
            rc = cli_usage_error("show", "%s needs a value", argv[i]);
            goto done;
        }
        if (mk || ms || mp)
            continue;
        if (cli_flag(argv[i], "json")) {
            json = 1;
        } else if (cli_flag(argv[i], "section-text")) {
            flags |= MT_SHOW_SECTION_TEXT;
        } else if (argv[i][0] == '-' && argv[i][1] != '\0') {
            rc = cli_usage_error("show", "unknown option \"%s\"", argv[i]);
            goto done;
        } else {
            /* Several words are one name: `materia show sertraline hydrochloride`. */
            if ((query.len && mt_buf_putc(&query, ' ') != MT_OK) || mt_buf_puts(&query, argv[i]) != MT_OK) {
                rc = cli_usage_error("show", "the drug name is too long");
                goto done;
            }
        }
    }
    if (!query.len) {
        rc = cli_usage_error("show", "which drug? (a name, brand, RxCUI, NDC or UNII)");
        goto done;
    }
    if (section && !*section) {
        rc = cli_usage_error("show", "--section needs a name (e.g. warnings, dosage, 34067-9)");
        goto done;
    }
    if (products) {
        char *end;
        unsigned long n;
        errno = 0;
        n = strtoul(products, &end, 10);
        if (errno || *end || end == products || n < 1 || n > 100000) {
            rc = cli_usage_error("show", "--products needs a number from 1 to 100000");
            goto done;
        }
        o.max_products = (uint32_t)n;
    }
    o.flags = flags | MT_SHOW_PRETTY;
    o.section = section;

    if (cli_open_kb(cli_kb_path(kbpath), &kb) != CLI_OK) {
        rc = CLI_FAIL;
        goto done;
    }
    if (mt_search_results_init(&r) != MT_OK) {
        rc = cli_fail("show: %s", mt_strerror(MT_ENOMEM));
        goto done;
    }
    have_results = 1;
    st = mt_show_resolve(kb, mt_buf_str(&query), &r, &m);
    if (st == MT_ENOTFOUND) {
        if (json) {
            st = mt_show_notfound_json(kb, mt_buf_str(&query), &r, MT_SHOW_PRETTY, &out);
            if (st == MT_OK)
                st = mt_buf_putc(&out, '\n');
            rc = st == MT_OK ? cli_write_stdout(&out) : cli_fail("show: %s", mt_strerror(st));
        } else {
            st = mt_show_notfound_text(kb, mt_buf_str(&query), &r, &out);
            if (st == MT_OK)
                fputs(mt_buf_str(&out), stderr);
            else
                cli_fail("show: %s", mt_strerror(st));
        }
        rc = CLI_FAIL;
        goto done;
    }
    if (st != MT_OK) {
        rc = cli_fail("show: %s", mt_strerror(st));
        goto done;
    }
    st = json ? mt_show_json(kb, &m, &o, &out) : mt_show_text(kb, &m, &o, &out);
    if (st == MT_OK && json)
        st = mt_buf_putc(&out, '\n');
    if (st != MT_OK) {
        rc = cli_fail("show: %s", mt_strerror(st));
        goto done;
    }
    rc = cli_write_stdout(&out);
    if (rc == CLI_OK && section && mt_show_section_count(kb, m.drug, section) == 0)
        rc = CLI_FAIL;   /* the output says that no section matched */
done:
    if (have_results)
        mt_search_results_free(&r);
    mt_kb_close(kb);
    mt_buf_free(&query);
    mt_buf_free(&out);
    return rc;
}
