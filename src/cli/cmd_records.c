/*
** cmd_records.c — `materia records`: whole-database operations on the
** personal medication records (lib/records).
**
**   materia records copy --from DB --to DB
**
** DB is named as `materia serve --db` names it: a SQLite file path or a
** postgres:// URL. `copy` copies every table of the source, ids, password
** and token hashes, dose log and audit log included, into an empty
** destination in one transaction (mt_store_copy, store_copy.h), then prints
** the row count of every table on both sides. Exit: 0 copied and the counts
** equal, 1 failure (nothing written; a non-empty destination is refused),
** 2 bad usage. URLs are never printed: they may hold a password.
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "materia/status.h"
#include "records/store_copy.h"

static int copy(int argc, char **argv)
{
    const char *from = NULL, *to = NULL;
    mt_store_copy_report rep;
    char err[1024];
    unsigned i;
    int rc, k;

    for (k = 2; k < argc; k++) {
        const char *v = NULL;
        int r = cli_opt_value(argc, argv, &k, "from", &v);
        if (r == 0) {
            r = cli_opt_value(argc, argv, &k, "to", &v);
            if (r > 0)
                to = v;
        } else if (r > 0) {
            from = v;
        }
        if (r < 0)
            return cli_usage_error("records", "%s needs a value", argv[k]);
        if (r == 0)
            return cli_usage_error("records", "unexpected argument \"%s\"", argv[k]);
    }
    if (!from || !*from || !to || !*to)
        return cli_usage_error("records", "copy needs --from DB and --to DB");
    rc = mt_store_copy(from, to, &rep, err, sizeof(err));
    if (rep.n && rep.t[0].source >= 0) {     /* counted: the copy got as far as its verification */
        printf("%-16s %12s %12s\n", "table", "source", "destination");
        for (i = 0; i < rep.n; i++)
            printf("%-16s %12lld %12lld\n", rep.t[i].table, rep.t[i].source, rep.t[i].dest);
    }
    if (rc != MT_OK)
        return cli_fail("records copy: %s", err[0] ? err : mt_strerror(rc));
    printf("copied: every table has the same number of rows on both sides\n");
    if (fflush(stdout) != 0)
        return cli_fail("records copy: writing the report failed (the copy itself is committed)");
    return CLI_OK;
}

CLI_COMMAND(records)
{
    if (argc < 2)
        return cli_usage_error("records", "a command is required: copy");
    if (strcmp(argv[1], "copy") == 0)
        return copy(argc, argv);
    return cli_usage_error("records", "unknown command \"%s\" (copy)", argv[1]);
}
