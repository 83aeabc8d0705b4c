/*
** http.c — the HTTP server core on libmicrohttpd.
**
** Request lifecycle: libmicrohttpd calls the access handler several times per
** request. The first call only allocates the request (with its arena); later
** calls collect the body (up to MT_HTTP_MAX_BODY; MT_HTTP_MAX_CDS_BODY for CDS
** Hooks); the last one, with no more upload data, dispatches to a route and
** queues the response. Queuing the response on a later call rather than the
** first is what keeps connections alive (queuing on the first call makes
** libmicrohttpd close them).
**
** Every response carries the security headers; responses derived only from
** the immutable knowledge base carry an ETag (a hash of the body plus the KB
** data version) and Cache-Control, and answer If-None-Match with 304.
**
** Response cache. Because the knowledge base never changes while the server
** runs, a cacheable GET response is a pure function of its URL and query. The
** finished libmicrohttpd response object (body and headers) is kept in a
** direct-mapped cache and queued again for the next identical request;
** libmicrohttpd reference-counts responses, so an evicted entry lives until
** the connections still sending it are done. Memory is bounded by
** MT_HTTP_CACHE_SLOTS x MT_HTTP_CACHE_MAX_BODY. Responses that depend on the
** caller (records, anything with a cookie or token) are never cacheable.
*/
#include "server/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xxhash.h>

#include "materia/status.h"
#include "records/store.h"
#include "server/routes.h"
#include "util/alloc.h"
#include "util/jsonw.h"
#include "util/text.h"

#define MT_HTTP_CACHE_SLOTS    512
#define MT_HTTP_CACHE_MAX_BODY (128u * 1024)
#define MT_HTTP_CACHE_MAX_KEY  1024u

typedef struct cache_entry {
    uint64_t             hash;
    char                *key;       /* "METHOD path?query", mt_malloc'd */
    struct MHD_Response *resp;      /* our reference; NULL = empty */
    char                 etag[24];
} cache_entry;

struct mt_server {
    struct MHD_Daemon *daemon;
    mt_kb             *kb;
    mt_kb_summary      info;
    const mt_server_opts *opts;
    mt_store          *store;       /* the records; NULL when the default file could not be opened */
    pthread_mutex_t    cache_lock;
    cache_entry        cache[MT_HTTP_CACHE_SLOTS];
};

/* Appends each query argument, in order, to the cache key. Every part is
** length-prefixed: arguments are decoded, so "?q=a%26limit%3D1" (one
** argument) and "?q=a&limit=1" (two) must not give the same key, and an
** argument without a value ("?x") is not one with an empty value ("?x="). */
typedef struct key_state {
    mt_buf *b;
    int     failed;     /* an argument did not fit: the key is incomplete */
} key_state;

/* Appends "LEN:TEXT" (a length prefix keeps "a&b=c" apart from "a", "b=c")
** without printf: this runs for every cacheable request. */
static int key_part(mt_buf *b, char sep, const char *s)
{
    char num[24];
    size_t len = strlen(s), n = sizeof(num);
    int rc;
    do {
        num[--n] = (char)('0' + len % 10);
        len /= 10;
    } while (len && n > 1);
    num[--n] = sep;
    rc = mt_buf_append(b, num + n, sizeof(num) - n);
    if (rc == MT_OK)
        rc = mt_buf_putc(b, ':');
    if (rc == MT_OK)
        rc = mt_buf_puts(b, s);
    return rc;
}

static enum MHD_Result key_arg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    key_state *ks = cls;
    int rc;
    (void)kind;
    rc = key_part(ks->b, '&', key ? key : "");
    if (rc == MT_OK && value)       /* "?x" and "?x=" stay different keys */
        rc = key_part(ks->b, '=', value);
    if (rc != MT_OK) {
        ks->failed = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

/* The cache key of a request into b; 0 when it is not cacheable (too long). */
static int cache_key(mt_http_req *req, mt_buf *b)
{
    key_state ks = { b, 0 };
    if (mt_buf_puts(b, req->method) != MT_OK || key_part(b, ' ', req->path) != MT_OK ||
        mt_buf_putc(b, '?') != MT_OK)
        return 0;
    if (MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, key_arg, &ks) < 0 || ks.failed)
        return 0;
    return b->len < MT_HTTP_CACHE_MAX_KEY;
}

/* Queues a cached response for this request, if there is one. Returns 1 when
** it answered (200, or 304 for a matching If-None-Match). */
static int cache_answer(mt_http_req *req, const mt_buf *key, enum MHD_Result *ret)
{
    mt_server *srv = req->srv;
    uint64_t h = XXH3_64bits(key->data, key->len);
    cache_entry *e = &srv->cache[h % MT_HTTP_CACHE_SLOTS];
    struct MHD_Response *resp = NULL;
    char etag[24] = "";

    pthread_mutex_lock(&srv->cache_lock);
    if (e->resp && e->hash == h && strcmp(e->key, key->data) == 0) {
        const char *inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "If-None-Match");
        if (inm && strstr(inm, e->etag))
            memcpy(etag, e->etag, sizeof(etag));
        else
            *ret = MHD_queue_response(req->conn, 200, e->resp);  /* MHD takes its own reference */
        resp = e->resp;
    }
    pthread_mutex_unlock(&srv->cache_lock);
    if (!resp)
        return 0;
    if (etag[0]) {
        struct MHD_Response *nm = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
        if (!nm) {
            *ret = MHD_NO;
            return 1;
        }
        MHD_add_response_header(nm, "ETag", etag);
        MHD_add_response_header(nm, "Cache-Control", "public, max-age=300");
        *ret = MHD_queue_response(req->conn, 304, nm);
        MHD_destroy_response(nm);
    }
    return 1;
}

/* Keeps resp (taking one reference) for the next request with this key. */
static void cache_store(mt_http_req *req, const mt_buf *key, struct MHD_Response *resp, const char *etag)
{
    mt_server *srv = req->srv;
    uint64_t h = XXH3_64bits(key->data, key->len);
    cache_entry *e = &srv->cache[h % MT_HTTP_CACHE_SLOTS];
    char *k = mt_strdup(key->data);
    struct MHD_Response *old = NULL;
    char *oldkey = NULL;

    if (!k)
        return;
    pthread_mutex_lock(&srv->cache_lock);
    old = e->resp;
    oldkey = e->key;
    e->hash = h;
    e->key = k;
    e->resp = resp;
    snprintf(e->etag, sizeof(e->etag), "%s", etag);
    pthread_mutex_unlock(&srv->cache_lock);
    if (old)
        MHD_destroy_response(old);
    mt_free(oldkey);
}

static void cache_free(mt_server *srv)
{
    size_t i;
    for (i = 0; i < MT_HTTP_CACHE_SLOTS; i++) {
        if (srv->cache[i].resp)
            MHD_destroy_response(srv->cache[i].resp);
        mt_free(srv->cache[i].key);
    }
}

static volatile sig_atomic_t stop_requested;

static void on_signal(int sig) { (void)sig; stop_requested = 1; }

const mt_kb *mt_http_kb(const mt_http_req *req) { return req->srv->kb; }

mt_store *mt_http_store(const mt_http_req *req) { return req->srv->store; }

int mt_http_header(mt_http_req *req, const char *name, const char *value)
{
    if (req->nheaders >= MT_HTTP_MAX_HEADERS)
        return MT_ELIMIT;
    req->headers[req->nheaders][0] = name;
    req->headers[req->nheaders][1] = value;
    req->nheaders++;
    return MT_OK;
}

const char *mt_http_arg(mt_http_req *req, const char *name)
{
    return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, name);
}

int mt_http_json(mt_http_req *req, unsigned status, int cacheable)
{
    req->status = status;
    req->content_type = "application/json";
    req->cacheable = cacheable;
    return MT_OK;
}

int mt_http_problem(mt_http_req *req, unsigned status, const char *type,
                    const char *title, const char *detail_fmt, ...)
{
    char detail[1024];
    char typeuri[128];
    mt_jsonw w;
    va_list ap;

    va_start(ap, detail_fmt);
    vsnprintf(detail, sizeof(detail), detail_fmt, ap);
    va_end(ap);
    snprintf(typeuri, sizeof(typeuri), "/api/v1/problems/%s", type);
    mt_buf_reset(&req->out);
    mt_jsonw_init(&w, &req->out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "type", typeuri);
    mt_jsonw_kstr(&w, "title", title);
    mt_jsonw_kint(&w, "status", status);
    mt_jsonw_kstr(&w, "detail", detail);
    mt_jsonw_kstr(&w, "instance", req->path ? req->path : "");
    mt_jsonw_obj_end(&w);
    mt_jsonw_finish(&w);
    req->static_body = NULL;
    req->status = status;
    req->content_type = "application/problem+json";
    req->cacheable = 0;
    return MT_OK;
}

static void add_common_headers(struct MHD_Response *resp)
{
    MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(resp, "X-Frame-Options", "DENY");
    MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(resp, "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'");
    MHD_add_response_header(resp, "Cross-Origin-Opener-Policy", "same-origin");
}

static void free_out(void *p) { mt_free(p); }

static enum MHD_Result send_response(mt_http_req *req, const mt_buf *key)
{
    struct MHD_Response *resp;
    const void *body;
    size_t len;
    char etag[64] = "";
    enum MHD_Result ret;
    unsigned status = req->status ? req->status : 500;

    if (req->static_body) {
        body = req->static_body;
        len = req->static_len;
    } else {
        body = req->out.data ? req->out.data : "";
        len = req->out.len;
    }
    if (req->cacheable && status == 200) {
        XXH64_hash_t h = XXH3_64bits_withSeed(body, len,
                            XXH3_64bits(req->srv->info.data_version, strlen(req->srv->info.data_version)));
        const char *inm;
        snprintf(etag, sizeof(etag), "\"%016llx\"", (unsigned long long)h);
        inm = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "If-None-Match");
        if (inm && strstr(inm, etag)) {
            status = 304;
            body = "";
            len = 0;
        }
    }
    if (req->static_body || len == 0) {
        resp = MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT);
    } else {
        /* Hand the output buffer to libmicrohttpd; it frees it with mt_free. */
        char *owned = mt_buf_detach(&req->out);
        resp = MHD_create_response_from_buffer_with_free_callback(len, owned, free_out);
        if (!resp)
            mt_free(owned);
    }
    if (!resp)
        return MHD_NO;
    add_common_headers(resp);
    if (req->content_type && status != 304)
        MHD_add_response_header(resp, "Content-Type", req->content_type);
    if (etag[0]) {
        MHD_add_response_header(resp, "ETag", etag);
        MHD_add_response_header(resp, "Cache-Control", "public, max-age=300");
    } else {
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    }
    if (req->allow)
        MHD_add_response_header(resp, "Allow", req->allow);
    for (unsigned i = 0; i < req->nheaders; i++)
        MHD_add_response_header(resp, req->headers[i][0], req->headers[i][1]);
    ret = MHD_queue_response(req->conn, status, resp);
    if (key && etag[0] && status == 200 && len <= MT_HTTP_CACHE_MAX_BODY)
        cache_store(req, key, resp, etag);     /* the cache keeps our reference */
    else
        MHD_destroy_response(resp);
    return ret;
}

/* 413, naming the field as the records API's problems do ("errors": [{"field": "body", ...}]). */
static void body_too_large(mt_http_req *req)
{
    char msg[64];
    mt_jsonw w;
    snprintf(msg, sizeof(msg), "is larger than %zu bytes", req->body.max);
    mt_buf_reset(&req->out);
    mt_jsonw_init(&w, &req->out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "type", "/api/v1/problems/body-too-large");
    mt_jsonw_kstr(&w, "title", "Request body too large");
    mt_jsonw_kint(&w, "status", 413);
    mt_jsonw_kstr(&w, "detail", "the request body is too large");
    mt_jsonw_kstr(&w, "instance", req->path ? req->path : "");
    mt_jsonw_key(&w, "errors");
    mt_jsonw_arr_begin(&w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "field", "body");
    mt_jsonw_kstr(&w, "message", msg);
    mt_jsonw_obj_end(&w);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    mt_jsonw_finish(&w);
    req->static_body = NULL;
    req->status = 413;
    req->content_type = "application/problem+json";
    req->cacheable = 0;
}

/* Checks what every request must satisfy before it reaches a route. */
static int precheck(mt_http_req *req, const char *url)
{
    size_t ulen = strlen(url);
    if (ulen > MT_HTTP_MAX_URL)
        return mt_http_problem(req, 414, "uri-too-long", "URI too long",
                               "the request target is longer than %u bytes", MT_HTTP_MAX_URL), 1;
    if (!mt_utf8_valid(url, ulen))
        return mt_http_problem(req, 400, "invalid-utf8", "Invalid UTF-8",
                               "the request target is not valid UTF-8"), 1;
    if (req->body_overflow)
        return body_too_large(req), 1;
    return 0;
}

static enum MHD_Result check_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                 const char *value)
{
    int *bad = cls;
    (void)kind;
    if ((key && !mt_utf8_valid(key, strlen(key))) || (value && !mt_utf8_valid(value, strlen(value)))) {
        *bad = 1;
        return MHD_NO;
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls)
{
    mt_server *srv = cls;
    mt_http_req *req = *con_cls;
    int bad_args = 0;
    (void)version;

    if (!req) {
        req = mt_calloc(1, sizeof(*req));
        if (!req)
            return MHD_NO;
        req->conn = conn;
        req->srv = srv;
        req->method = method;
        req->path = url;
        mt_arena_init(&req->arena, 16 * 1024, 4u * 1024 * 1024);
        mt_buf_init(&req->body, strncmp(url, "/cds-services/", 14) == 0 ? MT_HTTP_MAX_CDS_BODY
                                                                        : MT_HTTP_MAX_BODY);
        mt_buf_init(&req->out, MT_HTTP_MAX_OUT);
        *con_cls = req;
        return MHD_YES;           /* the response is queued on a later call */
    }
    if (*upload_size) {
        if (!req->body_overflow && mt_buf_append(&req->body, upload_data, *upload_size) != MT_OK)
            req->body_overflow = 1;
        *upload_size = 0;
        return MHD_YES;
    }
    if (!precheck(req, url)) {
        MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, check_arg, &bad_args);
        if (bad_args) {
            mt_http_problem(req, 400, "invalid-utf8", "Invalid UTF-8",
                            "a query parameter is not valid UTF-8");
        } else {
            /* Only plain GETs without credentials are looked up or stored. */
            int cacheable_req = strcmp(method, "GET") == 0 &&
                !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization") &&
                !MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Cookie");
            mt_buf key;
            enum MHD_Result ret = MHD_NO;
            mt_buf_init(&key, MT_HTTP_CACHE_MAX_KEY * 2);
            if (cacheable_req && cache_key(req, &key)) {
                if (cache_answer(req, &key, &ret)) {
                    mt_buf_free(&key);
                    return ret;
                }
            } else {
                mt_buf_free(&key);
                cacheable_req = 0;
            }
            mt_routes_dispatch(req);
            ret = send_response(req, cacheable_req ? &key : NULL);
            mt_buf_free(&key);
            return ret;
        }
    }
    return send_response(req, NULL);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    mt_http_req *req = *con_cls;
    (void)cls; (void)conn; (void)toe;
    if (!req)
        return;
    mt_arena_free(&req->arena);
    mt_buf_free(&req->body);
    mt_buf_free(&req->out);
    mt_free(req);
    *con_cls = NULL;
}

int mt_server_run(const mt_server_opts *opts)
{
    mt_server srv;
    struct sockaddr_in addr;
    unsigned threads = opts->threads;
    int rc;

    memset(&srv, 0, sizeof(srv));
    srv.opts = opts;
    pthread_mutex_init(&srv.cache_lock, NULL);
    rc = mt_kb_open(&srv.kb, opts->kb_path, 0);
    if (rc != MT_OK) {
        fprintf(stderr, "materia: %s: %s\n", opts->kb_path, mt_strerror(rc));
        return rc;
    }
    mt_kb_info(srv.kb, &srv.info);
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 && n < 64 ? (unsigned)n : 2;
    }
    {   /* The records store: an explicit --db or $MATERIA_DB must open; the default file may not. */
        const char *url = opts->db ? opts->db : mt_store_default_url();
        int explicit_db = opts->db || getenv("MATERIA_DB");
        mt_store_opts so = { threads + 2 };
        char err[256];
        rc = mt_store_open(&srv.store, url, &so, err, sizeof(err));
        if (rc != MT_OK && explicit_db) {
            fprintf(stderr, "materia: records database %s: %s\n", url, err);
            goto done;
        }
        if (rc != MT_OK)
            fprintf(stderr, "materia: records disabled: %s: %s\n", url, err);
    }
    memset(&addr, 0, sizeof(addr));
    addr.sin_family = AF_INET;
    addr.sin_port = htons((uint16_t)(opts->port ? opts->port : 8080));
    if (inet_pton(AF_INET, opts->bind ? opts->bind : "127.0.0.1", &addr.sin_addr) != 1) {
        fprintf(stderr, "materia: bad bind address %s\n", opts->bind);
        rc = MT_EINVAL;
        goto done;
    }
    srv.daemon = MHD_start_daemon(
        MHD_USE_EPOLL_INTERNAL_THREAD | MHD_USE_TURBO | MHD_USE_ERROR_LOG,
        0, NULL, NULL, on_request, &srv,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)MT_HTTP_MAX_CONNECTIONS,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)MT_HTTP_TIMEOUT_SEC,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)MT_HTTP_MAX_HEADER_MEM,
        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned int)1,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, &srv,
        MHD_OPTION_END);
    if (!srv.daemon) {
        fprintf(stderr, "materia: cannot listen on %s:%u\n", opts->bind ? opts->bind : "127.0.0.1",
                opts->port ? opts->port : 8080);
        rc = MT_EIO;
        goto done;
    }
    fprintf(stderr, "materia: serving %s (data %s) on http://%s:%u/\n", opts->kb_path,
            srv.info.data_version, opts->bind ? opts->bind : "127.0.0.1", opts->port ? opts->port : 8080);
    signal(SIGINT, on_signal);
    signal(SIGTERM, on_signal);
    signal(SIGPIPE, SIG_IGN);
    while (!stop_requested)
        pause();
    rc = MT_OK;
done:
    if (srv.daemon)
        MHD_stop_daemon(srv.daemon);
    cache_free(&srv);
    pthread_mutex_destroy(&srv.cache_lock);
    mt_store_close(srv.store);
    mt_kb_close(srv.kb);
    return rc;
}
