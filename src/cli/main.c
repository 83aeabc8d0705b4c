/*
** main.c — the `materia` command: dispatch to one function per command.
**
** Adding a command: write src/cli/cmd_NAME.c with CLI_COMMAND(NAME) { ... }
** (cli.h) and add ONE line to MATERIA_COMMANDS below.
*/
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kbfile/kbfile.h"
#include "materia/version.h"
#include "util/jsonmem.h"

/* X(name, synopsis after "materia ", one-line description) */
#define MATERIA_COMMANDS(X) \
    X(build,   "build [--sources DIR] [--out FILE] [--source KIND=PATH]...", "build the knowledge base from the bundled sources and official releases") \
    X(sources, "sources [--json] [--kb FILE]",       "list the data sources: edition, licence, attribution, counts") \
    X(show,    "show DRUG [--json] [--section S] [--section-text] [--products N] [--kb FILE]", "everything known about one drug, each fact with its source") \
    X(serve,   "serve [--kb FILE] [--port N] [--bind ADDR] [--threads N] [--db URL]", "serve the JSON API and the web UI (default http://127.0.0.1:8080)") \
    X(search,  "search QUERY [--json] [--limit N] [--kb FILE] | search --batch FILE", "find drugs by name, misspelling, label string or code") \
    X(check,   "check DRUG... [--json] [--kb FILE] | check --batch FILE", "interactions, duplications and class effects among drugs, each with its sources") \
    X(meds,    "meds [--db FILE|URL] [--profile NAME] [--json] [--kb FILE] COMMAND, COMMAND one of:\n"                       \
               "    add DRUG [--strength S] [--form F] [--dose N --unit U]\n"                                                      \
               "        [--times-per-day N | --at HH:MM,... | --as-needed] [--max-per-day N] [--start DATE] [--stop DATE]\n"     \
               "        [--prescriber P] [--notes T] [--stock N] [--refill-at N]\n"                                              \
               "    list [--all | --stopped] | stop ID [--date DATE] | log ID [--skipped] [--at TIME] | reminders [--hours N]\n" \
               "    export [--format fhir|csv|html|ics]", "personal medication records: alerts on add, dose log, reminders, FHIR/CSV/HTML/iCalendar export") \
    X(records, "records copy --from DB --to DB",    "copy every table of a records database (SQLite file or postgres:// URL) into an empty one") \
    X(pill,    "pill [--imprint S] [--color C] [--shape S] [--size MM] [--score N] [--json] [--limit N] [--kb FILE] | pill --svg ID", "identify a pill by imprint, colour, shape and size") \
    X(version, "version",                            "print the version") \
    X(help,    "help [COMMAND]",                     "show this help, or a command's usage")

#define DECLARE(name, syn, desc) int cmd_##name(int argc, char **argv);
MATERIA_COMMANDS(DECLARE)
#undef DECLARE

static const struct command {
    const char *name, *synopsis, *desc;
    int (*fn)(int argc, char **argv);
} commands[] = {
#define ENTRY(name, syn, desc) { #name, syn, desc, cmd_##name },
    MATERIA_COMMANDS(ENTRY)
#undef ENTRY
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct command *find(const char *name)
{
    size_t i;
    for (i = 0; i < NCOMMANDS; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

const char *cli_synopsis(const char *cmd)
{
    const struct command *c = find(cmd);
    return c ? c->synopsis : cmd;
}

static void usage(FILE *out)
{
    size_t i;
    fprintf(out, "usage: materia COMMAND [OPTIONS]\n\ncommands:\n");
    for (i = 0; i < NCOMMANDS; i++) {
        if (strchr(commands[i].synopsis, '\n'))    /* a synopsis of several lines: description below */
            fprintf(out, "  %s\n  %-40s %s\n", commands[i].synopsis, "", commands[i].desc);
        else
            fprintf(out, "  %-40s %s\n", commands[i].synopsis, commands[i].desc);
    }
    fprintf(out, "\nThe knowledge base is $MATERIA_KB, or build/materia.kb; --kb FILE overrides it.\n");
}

CLI_COMMAND(help)
{
    const struct command *c;
    if (argc < 2) {
        usage(stdout);
        return CLI_OK;
    }
    if (argc > 2)
        return cli_usage_error("help", "too many arguments");
    c = find(argv[1]);
    if (!c)
        return cli_usage_error("help", "unknown command \"%s\"", argv[1]);
    printf("usage: materia %s\n  %s\n", c->synopsis, c->desc);
    return CLI_OK;
}

CLI_COMMAND(version)
{
    if (argc > 1)
        return cli_usage_error("version", "unexpected argument \"%s\"", argv[1]);
    printf("materia %s (knowledge-base format %u)\n", MATERIA_VERSION, MT_KBF_FORMAT_VERSION);
    return CLI_OK;
}

int main(int argc, char **argv)
{
    const struct command *c;
    mt_json_use_mt_alloc();          /* before any thread or JSON value (jsonmem.h) */
    if (argc < 2) {
        usage(stderr);
        return CLI_USAGE;
    }
    if (cli_flag(argv[1], "help") || strcmp(argv[1], "-h") == 0)
        return cmd_help(1, argv + 1);
    if (cli_flag(argv[1], "version"))
        return cmd_version(1, argv + 1);
    c = find(argv[1]);
    if (!c) {
        fprintf(stderr, "materia: unknown command \"%s\"\n", argv[1]);
        usage(stderr);
        return CLI_USAGE;
    }
    return c->fn(argc - 1, argv + 1);
}
