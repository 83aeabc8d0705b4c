/*
** http.h — Materia's HTTP front end on libmicrohttpd: request lifecycle,
** limits, routing, problem+json errors, caching and security headers.
**
** Handlers are thin: they parse the request, call the library, and write a
** JSON body into req->out. Every request gets its own arena (freed when the
** response has been sent), so handlers never free what they allocate there.
*/
#ifndef MT_HTTP_H
#define MT_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "materia/kb.h"
#include "util/arena.h"
#include "util/buf.h"

/* Limits, each answered with its own status (docs/http.md). */
#define MT_HTTP_MAX_BODY        (64u * 1024)   /* 413 */
#define MT_HTTP_MAX_CDS_BODY    (1024u * 1024) /* 413; CDS Hooks requests (/cds-services/) carry FHIR prefetch */
#define MT_HTTP_MAX_URL         4096u          /* 414 */
#define MT_HTTP_MAX_HEADER_MEM  (8u * 1024)    /* headers beyond it: 431 from libmicrohttpd */
#define MT_HTTP_MAX_CONNECTIONS 1024u          /* 503 beyond */
#define MT_HTTP_TIMEOUT_SEC     30u            /* idle connections are closed */
#define MT_HTTP_MAX_OUT         (8u * 1024 * 1024)
#define MT_HTTP_MAX_LIST        200u           /* drugs in one interaction check */
#define MT_HTTP_MAX_HEADERS     4u             /* headers a handler may add */

typedef struct mt_server mt_server;

typedef struct mt_http_req {
    struct MHD_Connection *conn;
    mt_server   *srv;
    const char  *method;
    const char  *path;          /* URL path without the query */
    const char  *tail;          /* what follows a route's prefix (e.g. the drug id) */
    mt_arena     arena;         /* per-request memory */
    mt_buf       body;          /* request body (bounded) */
    int          body_overflow;
    /* response */
    unsigned     status;
    const char  *content_type;
    mt_buf       out;
    const void  *static_body;   /* embedded asset instead of out */
    size_t       static_len;
    int          cacheable;     /* derived only from the knowledge base: ETag + Cache-Control */
    const char  *allow;         /* Allow header for 405 */
    const char  *headers[MT_HTTP_MAX_HEADERS][2];   /* added by mt_http_header */
    unsigned     nheaders;
} mt_http_req;

typedef int (*mt_http_handler)(mt_http_req *req);

typedef struct mt_server_opts {
    const char *kb_path;
    const char *db;             /* records database (sqlite path or postgres:// URL) */
    const char *bind;           /* address, default 127.0.0.1 */
    unsigned    port;           /* default 8080 */
    unsigned    threads;        /* 0 = number of CPUs */
} mt_server_opts;

/* Starts the server and blocks until SIGINT/SIGTERM. Returns MT_OK or an error. */
int  mt_server_run(const mt_server_opts *opts);

/* For handlers. */
const mt_kb *mt_http_kb(const mt_http_req *req);
/* A query parameter, or NULL. Validated as UTF-8 by the core (400 otherwise). */
const char *mt_http_arg(mt_http_req *req, const char *name);
/* Writes an RFC 9457 problem+json response. `type` is a stable slug documented
** in docs/http.md ("not-found", "bad-request", "body-too-large", ...). Returns MT_OK. */
int  mt_http_problem(mt_http_req *req, unsigned status, const char *type,
                     const char *title, const char *detail_fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Sets a JSON response from req->out. */
int  mt_http_json(mt_http_req *req, unsigned status, int cacheable);
/* The records store (lib/records/store.h) opened from --db, $MATERIA_DB or
** materia-records.db; NULL when the default file could not be opened. */
struct mt_store *mt_http_store(const mt_http_req *req);
/* Adds a response header (Set-Cookie, Retry-After). name and value must live
** until the response is sent (the request arena). MT_ELIMIT beyond MT_HTTP_MAX_HEADERS. */
int  mt_http_header(mt_http_req *req, const char *name, const char *value);

#endif /* MT_HTTP_H */
