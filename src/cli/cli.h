/*
** cli.h — what the `materia` commands share: the command signature, option
** parsing, opening the knowledge base with a clear message, output.
**
** A command is one file src/cli/cmd_NAME.c defining
**     CLI_COMMAND(name) { ... return exit status; }
** plus one line in the command table of main.c. Commands stay thin: they
** parse options, call the library and print. Exit status: 0 success,
** 1 failure (a message on stderr), 2 bad usage (usage on stderr).
*/
#ifndef MT_CLI_H
#define MT_CLI_H

#include <stdio.h>

#include "materia/kb.h"
#include "util/buf.h"

/* argv[0] is the command name; options follow. */
#define CLI_COMMAND(name) \
    int cmd_##name(int argc, char **argv); \
    int cmd_##name(int argc, char **argv)

enum { CLI_OK = 0, CLI_FAIL = 1, CLI_USAGE = 2 };

/* Prints "materia CMD: message" and the command's usage line on stderr;
** returns CLI_USAGE. */
int cli_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Prints "materia: message" on stderr; returns CLI_FAIL. */
int cli_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The usage line of a command ("materia build [--sources DIR] ..."), from main.c. */
const char *cli_synopsis(const char *cmd);

/* Option matching for argv[*i]: "--name VALUE" or "--name=VALUE". Returns 1
** and *value (advancing *i past a separate value) when it matches, 0 when
** it is another argument, -1 when the value is missing. */
int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **value);
/* Whether argv[i] is the flag "--name". */
int cli_flag(const char *arg, const char *name);

/* The knowledge-base path: opt when given, else $MATERIA_KB, else build/materia.kb. */
const char *cli_kb_path(const char *opt);
/* Opens the knowledge base; on failure prints "materia: PATH: reason" (with
** the detail of what is corrupt) and returns CLI_FAIL with *kb = NULL. */
int cli_open_kb(const char *path, mt_kb **kb);

/* Writes b to stdout; CLI_FAIL (with a message) if stdout fails (full disk,
** closed pipe). */
int cli_write_stdout(const mt_buf *b);

#endif /* MT_CLI_H */
