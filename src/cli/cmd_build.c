/*
** cmd_build.c — `materia build`: run the build pipeline and print what each
** source contributed (the join statistics). --source KIND=PATH (repeatable)
** merges an official release the user downloaded (docs/official-releases.md).
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "import/official.h"
#include "import/pipeline.h"

static void print_row(const mt_build_source *s)
{
    printf("%-20s %9u %9u %9u %8u %9u %7u %5u %7.1fs\n", s->id, s->rows, s->matched, s->unmatched,
           s->created, s->facts, s->skipped, s->notes, s->seconds);
}

static void print_report(const mt_build_report *r, const char *out)
{
    uint32_t i;
    printf("%-20s %9s %9s %9s %8s %9s %7s %5s %8s\n", "source", "rows", "matched", "unmatched",
           "created", "facts", "skipped", "notes", "time");
    for (i = 0; i < r->nsources; i++)
        print_row(&r->sources[i]);
    print_row(&r->total);
    printf("\nidentifier conflicts (kept, not joined): %u\n", r->id_conflicts);
    printf("drugs %u, names %u, products %u, NDCs %u, classes %u, indications %u,\n"
           "pills %u, documents %u, interaction rules %u, interacting pairs %u\n",
           r->drugs, r->names, r->products, r->ndcs, r->classes, r->indications, r->pills,
           r->docs, r->ixrules, r->ixpairs);
    printf("wrote %s: %.1f MB in %.1fs (import %.1fs, write %.1fs)\n", out,
           (double)r->kb_bytes / (1024.0 * 1024.0), r->total_seconds, r->import_seconds,
           r->write_seconds);
}

/* Importer notes go to stderr; a long list is cut (they are in the report). */
static void print_warnings(const mt_buf *w)
{
    const char *p = mt_buf_str(w);
    unsigned shown = 0, total = 0;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (shown < 40) {
            fprintf(stderr, "materia build: note: %.*s\n", (int)len, p);
            shown++;
        }
        total++;
        p += len + (nl ? 1 : 0);
    }
    if (total > shown)
        fprintf(stderr, "materia build: ... and %u more notes\n", total - shown);
}

CLI_COMMAND(build)
{
    mt_build_opts o;
    mt_build_report r;
    mt_build_release rel[MT_OFFICIAL_MAX];
    char kinds[MT_OFFICIAL_MAX][32];
    size_t nrel = 0, k;
    int i, rc;

    memset(&o, 0, sizeof(o));
    o.sources_dir = "data/sources";
    o.out_path = "build/materia.kb";
    o.progress = -1;
    for (i = 1; i < argc; i++) {
        int m;
        const char *spec;
        if ((m = cli_opt_value(argc, argv, &i, "source", &spec)) != 0) {
            const char *eq;
            if (m < 0)
                return cli_usage_error("build", "--source needs KIND=PATH (KIND: %s)", mt_official_kinds());
            eq = strchr(spec, '=');
            if (!eq || eq == spec || !eq[1] || (size_t)(eq - spec) >= sizeof(kinds[0]))
                return cli_usage_error("build", "--source \"%s\": expected KIND=PATH (KIND: %s)", spec,
                                       mt_official_kinds());
            if (nrel == MT_OFFICIAL_MAX)
                return cli_usage_error("build", "at most %d --source options", MT_OFFICIAL_MAX);
            snprintf(kinds[nrel], sizeof(kinds[nrel]), "%.*s", (int)(eq - spec), spec);
            if (!mt_official_kind_known(kinds[nrel]))
                return cli_usage_error("build", "--source: unknown kind \"%s\" (known: %s)", kinds[nrel],
                                       mt_official_kinds());
            for (k = 0; k < nrel; k++)
                if (strcmp(kinds[k], kinds[nrel]) == 0)
                    return cli_usage_error("build", "--source %s given twice", kinds[nrel]);
            rel[nrel].kind = kinds[nrel];
            rel[nrel].path = eq + 1;
            nrel++;
            continue;
        }
        if ((m = cli_opt_value(argc, argv, &i, "sources", &o.sources_dir)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "out", &o.out_path)) != 0 ||
            (m = cli_opt_value(argc, argv, &i, "data-version", &o.data_version)) != 0) {
            if (m < 0)
                return cli_usage_error("build", "%s needs a value", argv[i]);
            continue;
        }
        if (cli_flag(argv[i], "quiet")) {
            o.progress = 0;
            continue;
        }
        return cli_usage_error("build", "unknown argument \"%s\"", argv[i]);
    }
    if (!*o.sources_dir || !*o.out_path)
        return cli_usage_error("build", "empty path");
    o.releases = rel;
    o.nreleases = nrel;

    rc = mt_build_run(&o, &r);
    print_warnings(&r.warnings);
    if (rc != MT_OK) {
        fprintf(stderr, "materia build: %s\n", r.error.len ? mt_buf_str(&r.error) : mt_strerror(rc));
        fprintf(stderr, "materia build: failed; %s was not changed\n", o.out_path);
        mt_build_report_free(&r);
        return CLI_FAIL;
    }
    print_report(&r, o.out_path);
    mt_build_report_free(&r);
    if (fflush(stdout) != 0)
        return cli_fail("cannot write the output");
    return CLI_OK;
}
