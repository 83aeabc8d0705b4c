/*
** cmd_serve.c — `materia serve [--kb FILE] [--port N] [--bind ADDR]
** [--threads N] [--db URL]`: the HTTP API and web UI (src/server).
*/
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "materia/kb.h"
#include "server/http.h"

static int usage(void)
{
    fprintf(stderr, "usage: materia serve [--kb FILE] [--port N] [--bind ADDR] [--threads N] [--db URL]\n");
    return 2;
}

static int parse_uint(const char *s, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v;
    if (!s || !*s)
        return 0;
    v = strtoul(s, &end, 10);
    if (*end || v > max)
        return 0;
    *out = (unsigned)v;
    return 1;
}

CLI_COMMAND(serve)
{
    mt_server_opts o;
    int i;

    memset(&o, 0, sizeof(o));
    o.kb_path = mt_kb_default_path();
    o.port = 8080;
    o.bind = "127.0.0.1";
    for (i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (strcmp(a, "--kb") == 0 && v) { o.kb_path = v; i++; }
        else if (strcmp(a, "--bind") == 0 && v) { o.bind = v; i++; }
        else if (strcmp(a, "--db") == 0 && v) { o.db = v; i++; }
        else if (strcmp(a, "--port") == 0 && v) {
            if (!parse_uint(v, 65535, &o.port) || o.port == 0)
                return usage();
            i++;
        } else if (strcmp(a, "--threads") == 0 && v) {
            if (!parse_uint(v, 64, &o.threads))
                return usage();
            i++;
        } else
            return usage();
    }
    return mt_server_run(&o) == 0 ? 0 : 1;
}
