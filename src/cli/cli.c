/*
** cli.c — helpers shared by the commands (cli.h).
*/
#include "cli.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "materia/status.h"

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "materia %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nusage: materia %s\n", cli_synopsis(cmd));
    return CLI_USAGE;
}

int cli_fail(const char *fmt, ...)
{
    va_list ap;
    fputs("materia: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return CLI_FAIL;
}

int cli_flag(const char *arg, const char *name)
{
    return arg[0] == '-' && arg[1] == '-' && strcmp(arg + 2, name) == 0;
}

int cli_opt_value(int argc, char **argv, int *i, const char *name, const char **value)
{
    const char *a = argv[*i];
    size_t n = strlen(name);
    if (a[0] != '-' || a[1] != '-' || strncmp(a + 2, name, n) != 0)
        return 0;
    if (a[2 + n] == '=') {
        *value = a + 3 + n;
        return 1;
    }
    if (a[2 + n] != '\0')
        return 0;
    if (*i + 1 >= argc)
        return -1;
    *value = argv[++*i];
    return 1;
}

const char *cli_kb_path(const char *opt)
{
    return opt && *opt ? opt : mt_kb_default_path();
}

int cli_open_kb(const char *path, mt_kb **kb)
{
    char detail[512];
    int rc = mt_kb_open_ex(kb, path, 0, detail, sizeof(detail));
    if (rc == MT_OK)
        return CLI_OK;
    if (rc == MT_EIO)
        return cli_fail("%s: cannot open the knowledge base: %s%s", path, strerror(errno),
                        errno == ENOENT ? " (build it with `materia build`)" : "");
    if (detail[0])
        return cli_fail("%s: %s: %s", path, mt_strerror(rc), detail);
    return cli_fail("%s: %s", path, mt_strerror(rc));
}

int cli_write_stdout(const mt_buf *b)
{
    if (b->len && fwrite(b->data, 1, b->len, stdout) != b->len)
        return cli_fail("cannot write the output: %s", strerror(errno));
    if (fflush(stdout) != 0)
        return cli_fail("cannot write the output: %s", strerror(errno));
    return CLI_OK;
}
