/*
** api_records.c — the personal medication records API under /api/v1: its
** route table, authentication (session cookie or bearer token), CSRF for
** cookie-authenticated writes, problem+json with field errors, and the
** account endpoints (auth/register, auth/login, auth/logout, auth/me,
** auth/tokens, audit). The profile and export handlers are in
** api_records_data.c and api_records_export.c; docs/reference/records.md
** describes every endpoint.
**
** Authorization: every handler that touches a profile calls the store with
** the caller's user id; another user's profile or record is a 404, exactly
** like one that does not exist. Anonymous callers get 401 before any lookup.
*/
#include <arpa/inet.h>
#include <microhttpd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "materia/status.h"
#include "records/accounts.h"
#include "records/recjson.h"
#include "server/api.h"
#include "server/api_records.h"

/* --- helpers ---------------------------------------------------------------------- */

static int problem_errors(mt_http_req *req, unsigned status, const char *type, const char *title,
                          const char *detail, const mt_rec_errors *e)
{
    char typeuri[128];
    mt_jsonw w;
    unsigned i;

    snprintf(typeuri, sizeof(typeuri), "/api/v1/problems/%s", type);
    mt_buf_reset(&req->out);
    mt_jsonw_init(&w, &req->out, 0);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kstr(&w, "type", typeuri);
    mt_jsonw_kstr(&w, "title", title);
    mt_jsonw_kint(&w, "status", status);
    mt_jsonw_kstr(&w, "detail", detail);
    mt_jsonw_kstr(&w, "instance", req->path ? req->path : "");
    mt_jsonw_key(&w, "errors");
    mt_jsonw_arr_begin(&w);
    for (i = 0; e && i < e->n; i++) {
        mt_jsonw_obj_begin(&w);
        mt_jsonw_kstr(&w, "field", e->e[i].field);
        mt_jsonw_kstr(&w, "message", e->e[i].message);
        mt_jsonw_obj_end(&w);
    }
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    if (mt_jsonw_finish(&w) != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "could not write the response");
    req->static_body = NULL;
    req->status = status;
    req->content_type = "application/problem+json";
    req->cacheable = 0;
    return MT_OK;
}

int mt_apirec_errors(mt_http_req *req, unsigned status, const char *type, const char *title,
                     const mt_rec_errors *e)
{
    char detail[400];
    if (e && e->n)
        snprintf(detail, sizeof(detail), "%s: %s%s", e->e[0].field, e->e[0].message,
                 e->n > 1 ? " (and more: see errors)" : "");
    else
        snprintf(detail, sizeof(detail), "%s", title);
    return problem_errors(req, status, type, title, detail, e);
}

int mt_apirec_fail(mt_http_req *req, int rc, const char *what)
{
    switch (rc) {
    case MT_ENOTFOUND:
        return mt_http_problem(req, 404, "not-found", "Not found", "no such %s", what);
    case MT_EEXIST:
        return mt_http_problem(req, 409, "conflict", "Conflict", "that %s already exists", what);
    case MT_ELIMIT:
        return mt_http_problem(req, 409, "limit-reached", "Limit reached",
                               "too many records of this kind (%s); see docs/records.md for the limits", what);
    case MT_EBUSY:
        mt_http_header(req, "Retry-After", "1");
        return mt_http_problem(req, 503, "busy", "Busy", "the records store is busy; try again");
    case MT_EINVAL:
        return mt_http_problem(req, 422, "invalid", "Invalid record", "the %s breaks a storage rule", what);
    default:
        return mt_http_problem(req, 500, "internal", "Internal error", "%s", mt_strerror(rc));
    }
}

json_t *mt_apirec_body(mt_http_req *req, const char *ctype_alt)
{
    const char *ct = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Content-Type");
    mt_rec_errors e;
    json_t *doc;
    int rc;
    memset(&e, 0, sizeof(e));
    if (!ct || (strncasecmp(ct, "application/json", 16) != 0 &&
                !(ctype_alt && strncasecmp(ct, ctype_alt, strlen(ctype_alt)) == 0))) {
        mt_http_problem(req, 415, "unsupported-media-type", "Unsupported media type",
                        "send the body as application/json%s%s", ctype_alt ? " or " : "", ctype_alt ? ctype_alt : "");
        return NULL;
    }
    doc = mt_recjson_load(req->body.data, req->body.len, &e, &rc);
    if (!doc && rc == MT_ENOMEM)
        mt_apirec_fail(req, rc, "request body");
    else if (!doc)
        mt_apirec_errors(req, 400, "invalid-json", "Invalid JSON", &e);
    return doc;
}

void mt_apirec_begin(mt_http_req *req, mt_jsonw *w)
{
    mt_buf_reset(&req->out);
    mt_jsonw_init(w, &req->out, 0);
}

int mt_apirec_done(mt_http_req *req, mt_jsonw *w, unsigned status)
{
    if (mt_jsonw_finish(w) != MT_OK)
        return mt_http_problem(req, 500, "internal", "Internal error", "could not write the response");
    return mt_http_json(req, status, 0);
}

int mt_apirec_profile(mt_http_req *req, mt_apirec *c, mt_rec_profile *p)
{
    int rc = mt_store_profile_get(c->st, c->cred.user_id, c->ids[0], &req->arena, p);
    if (rc != MT_OK) {
        mt_apirec_fail(req, rc, "profile");
        return rc;
    }
    return MT_OK;
}

long mt_apirec_uarg(mt_http_req *req, const char *name, long def, long min, long max)
{
    const char *s = mt_http_arg(req, name);
    mt_rec_errors e;
    char *end;
    long v;
    if (!s)
        return def;
    v = strtol(s, &end, 10);
    if (*s && !*end && v >= min && v <= max)
        return v;
    memset(&e, 0, sizeof(e));
    mt_rec_err(&e, name, "must be a whole number from %ld to %ld", min, max);
    mt_apirec_errors(req, 422, "invalid", "Invalid parameter", &e);
    return -1;
}

/* The value of cookie `name` in the Cookie header, copied into the arena. */
static const char *cookie(mt_http_req *req, const char *name)
{
    const char *h = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Cookie");
    size_t n = strlen(name);
    while (h && *h) {
        while (*h == ' ' || *h == ';')
            h++;
        if (strncmp(h, name, n) == 0 && h[n] == '=') {
            const char *v = h + n + 1, *e = strchr(v, ';');
            return mt_arena_strndup(&req->arena, v, e ? (size_t)(e - v) : strlen(v));
        }
        h = strchr(h, ';');
    }
    return NULL;
}

/* The client's address: the peer, or behind a trusted proxy the last
** X-Forwarded-For hop (MATERIA_TRUST_PROXY=1, docs/deploy.md). */
static const char *client_addr(mt_http_req *req)
{
    const union MHD_ConnectionInfo *ci;
    const char *env = getenv("MATERIA_TRUST_PROXY");
    char *buf = mt_arena_alloc(&req->arena, 64);
    if (!buf)
        return "unknown";
    if (env && strcmp(env, "1") == 0) {
        const char *xff = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-Forwarded-For");
        if (xff && *xff) {
            const char *last = strrchr(xff, ',');
            last = last ? last + 1 : xff;
            while (*last == ' ')
                last++;
            snprintf(buf, 64, "%.63s", last);
            return buf;
        }
    }
    ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr)
        return "unknown";
    if (ci->client_addr->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)ci->client_addr)->sin_addr, buf, 64);
    else if (ci->client_addr->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)ci->client_addr)->sin6_addr, buf, 64);
    else
        return "unknown";
    return buf;
}

static int set_cookie(mt_http_req *req, const char *token, long long max_age)
{
    const char *secure = getenv("MATERIA_COOKIE_SECURE");
    char *v = mt_arena_alloc(&req->arena, 256);
    if (!v)
        return MT_ENOMEM;
    snprintf(v, 256, "%s=%s; HttpOnly; SameSite=Strict; Path=/; Max-Age=%lld%s", MT_APIREC_COOKIE,
             token, max_age, secure && strcmp(secure, "1") == 0 ? "; Secure" : "");
    return mt_http_header(req, "Set-Cookie", v);
}

/* Authenticates the caller: bearer token first, else the session cookie.
** Cookie-authenticated writes must carry the session's X-CSRF-Token. */
static int authenticate(mt_http_req *req, mt_apirec *c)
{
    const char *auth = MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "Authorization");
    const char *token = NULL;
    int rc;

    if (auth && strncasecmp(auth, "Bearer ", 7) == 0) {
        token = auth + 7;
        while (*token == ' ')
            token++;
    } else {
        token = cookie(req, MT_APIREC_COOKIE);
        c->by_cookie = token != NULL;
    }
    if (!token || !*token) {
        mt_http_header(req, "WWW-Authenticate", "Bearer realm=\"materia\"");
        mt_http_problem(req, 401, "unauthorized", "Authentication required",
                        "log in (POST /api/v1/auth/login) or send an API token as Authorization: Bearer");
        return MT_EDENIED;
    }
    rc = mt_acct_authenticate(c->st, token, &req->arena, &c->cred);
    if (rc == MT_ENOTFOUND) {
        mt_http_header(req, "WWW-Authenticate", "Bearer realm=\"materia\", error=\"invalid_token\"");
        mt_http_problem(req, 401, "unauthorized", "Authentication required",
                        "the session or token is unknown, revoked or expired: log in again");
        return MT_EDENIED;
    }
    if (rc != MT_OK) {
        mt_apirec_fail(req, rc, "session");
        return rc;
    }
    if (c->by_cookie && strcmp(req->method, "GET") != 0 && strcmp(req->method, "HEAD") != 0 &&
        !mt_acct_csrf_ok(&c->cred, MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, "X-CSRF-Token"))) {
        mt_http_problem(req, 403, "csrf", "CSRF token missing or wrong",
                        "a write authenticated by cookie must send the csrf_token of the login as X-CSRF-Token");
        return MT_EDENIED;
    }
    return MT_OK;
}

/* --- account handlers ----------------------------------------------------------------- */

static int h_register(mt_http_req *req, mt_apirec *c)
{
    static const char *const names[] = { "username", "password", NULL };
    mt_rec_errors e;
    mt_rec_user u;
    mt_jsonw w;
    json_t *doc = mt_apirec_body(req, NULL), *v;
    const char *key;
    int rc;

    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    json_object_foreach(doc, key, v) {
        size_t i;
        int ok = 0;
        for (i = 0; names[i]; i++)
            ok |= strcmp(key, names[i]) == 0;
        if (!ok)
            mt_rec_err(&e, key, "is not a known member");
    }
    rc = mt_acct_register(c->st, json_string_value(json_object_get(doc, "username")),
                          json_string_value(json_object_get(doc, "password")), &e, &req->arena, &u);
    if (e.n) {
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid account", &e);
    } else if (rc == MT_EEXIST) {
        mt_rec_err(&e, "username", "is already taken");
        rc = mt_apirec_errors(req, 409, "conflict", "Username taken", &e);
    } else if (rc != MT_OK) {
        rc = mt_apirec_fail(req, rc, "account");
    } else {
        mt_apirec_begin(req, &w);
        mt_jsonw_obj_begin(&w);
        mt_jsonw_key(&w, "user");
        mt_recjson_w_user(&w, &u);
        mt_jsonw_obj_end(&w);
        rc = mt_apirec_done(req, &w, 201);
    }
    json_decref(doc);
    return rc;
}

static int h_login(mt_http_req *req, mt_apirec *c)
{
    mt_acct_session s;
    long long retry = 0;
    mt_jsonw w;
    json_t *doc = mt_apirec_body(req, NULL);
    int rc;

    if (!doc)
        return MT_OK;
    rc = mt_acct_login(c->st, json_string_value(json_object_get(doc, "username")),
                       json_string_value(json_object_get(doc, "password")), client_addr(req),
                       &req->arena, &s, &retry);
    json_decref(doc);
    if (rc == MT_EDENIED)
        return mt_http_problem(req, 401, "invalid-credentials", "Wrong username or password",
                               "the username or the password is wrong");
    if (rc == MT_ELIMIT || rc == MT_EBUSY) {
        char *ra = mt_arena_alloc(&req->arena, 24);
        if (ra) {
            snprintf(ra, 24, "%lld", rc == MT_ELIMIT ? retry : 1LL);
            mt_http_header(req, "Retry-After", ra);
        }
        if (rc == MT_EBUSY)
            return mt_http_problem(req, 503, "busy", "Busy", "too many logins at once; try again");
        return mt_http_problem(req, 429, "too-many-attempts", "Too many failed logins",
                               "too many failed logins for this account or address; try again in %lld s", retry);
    }
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "session");
    set_cookie(req, s.token, (long long)mt_acct_limits_get()->session_ttl);
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "user");
    mt_recjson_w_user(&w, &s.user);
    mt_jsonw_kstr(&w, "csrf_token", s.csrf);
    mt_recjson_w_instant(&w, "expires_at", s.expires_at);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

static int h_logout(mt_http_req *req, mt_apirec *c)
{
    int rc = mt_store_cred_delete(c->st, c->cred.user_id, c->cred.id, 0);
    if (rc != MT_OK && rc != MT_ENOTFOUND)
        return mt_apirec_fail(req, rc, "session");
    if (c->by_cookie)
        set_cookie(req, "", 0);
    req->status = 204;
    req->content_type = NULL;
    return MT_OK;
}

static int h_me(mt_http_req *req, mt_apirec *c)
{
    mt_rec_user u;
    mt_jsonw w;
    u.id = c->cred.user_id;
    u.username = c->cred.username;
    u.created_at = 0;
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "user");
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kint(&w, "id", u.id);
    mt_jsonw_kstr(&w, "username", u.username);
    mt_jsonw_obj_end(&w);
    mt_jsonw_kstr(&w, "auth", c->by_cookie ? "cookie" : c->cred.kind == MT_CRED_API_TOKEN ? "token" : "bearer");
    mt_recjson_w_instant(&w, "expires_at", c->cred.expires_at);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

static int h_tokens_create(mt_http_req *req, mt_apirec *c)
{
    char token[MT_ACCT_TOKEN_MAX];
    mt_rec_errors e;
    const char *label;
    long long expires = 0;
    long days = 90;
    mt_id id = 0;
    mt_jsonw w;
    json_t *doc = mt_apirec_body(req, NULL), *v;
    const char *key;
    int rc;

    if (!doc)
        return MT_OK;
    memset(&e, 0, sizeof(e));
    json_object_foreach(doc, key, v)
        if (strcmp(key, "label") != 0 && strcmp(key, "expires_in_days") != 0)
            mt_rec_err(&e, key, "is not a known member");
    label = json_string_value(json_object_get(doc, "label"));
    if (!label || !*label || !mt_rec_text_ok(label, MT_REC_SHORT_MAX, 0))
        mt_rec_err(&e, "label", "is required: a name for the token of at most %d bytes", MT_REC_SHORT_MAX);
    v = json_object_get(doc, "expires_in_days");
    if (v && (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > 365))
        mt_rec_err(&e, "expires_in_days", "must be a whole number from 1 to 365");
    else if (v)
        days = (long)json_integer_value(v);
    if (e.n) {
        rc = mt_apirec_errors(req, 422, "invalid", "Invalid token request", &e);
        goto done;
    }
    rc = mt_acct_token_create(c->st, c->cred.user_id, label, (unsigned)days, token, &id, &expires);
    if (rc != MT_OK) {
        rc = mt_apirec_fail(req, rc, "token");
        goto done;
    }
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_kint(&w, "id", id);
    mt_jsonw_kstr(&w, "label", label);
    mt_jsonw_kstr(&w, "token", token);
    mt_recjson_w_instant(&w, "expires_at", expires);
    mt_jsonw_obj_end(&w);
    rc = mt_apirec_done(req, &w, 201);
done:
    json_decref(doc);
    return rc;
}

static int h_tokens_list(mt_http_req *req, mt_apirec *c)
{
    mt_rec_cred *list;
    size_t n, i;
    mt_jsonw w;
    int rc = mt_store_cred_list(c->st, c->cred.user_id, MT_CRED_API_TOKEN, mt_rec_now(), &req->arena, &list, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "token");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "tokens");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++)
        mt_recjson_w_cred(&w, &list[i]);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

static int h_token_delete(mt_http_req *req, mt_apirec *c)
{
    int rc = mt_store_cred_delete(c->st, c->cred.user_id, c->ids[0], MT_CRED_API_TOKEN);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "token");
    req->status = 204;
    req->content_type = NULL;
    return MT_OK;
}

static int h_audit(mt_http_req *req, mt_apirec *c)
{
    mt_rec_audit *list;
    size_t n, i;
    mt_jsonw w;
    long limit = mt_apirec_uarg(req, "limit", 100, 1, MT_STORE_LIST_MAX);
    long before = limit < 0 ? -1 : mt_apirec_uarg(req, "before", 0, 0, 0x7fffffffL);
    int rc;
    if (limit < 0 || before < 0)
        return MT_OK;
    rc = mt_store_audit_list(c->st, c->cred.user_id, (unsigned)limit, before, &req->arena, &list, &n);
    if (rc != MT_OK)
        return mt_apirec_fail(req, rc, "audit log");
    mt_apirec_begin(req, &w);
    mt_jsonw_obj_begin(&w);
    mt_jsonw_key(&w, "audit");
    mt_jsonw_arr_begin(&w);
    for (i = 0; i < n; i++)
        mt_recjson_w_audit(&w, &list[i]);
    mt_jsonw_arr_end(&w);
    mt_jsonw_obj_end(&w);
    return mt_apirec_done(req, &w, 200);
}

/* --- routing ------------------------------------------------------------------------ */

enum { ANON = 0, AUTH = 1 };

typedef struct rec_route {
    const char  *method;
    const char  *pattern;     /* after /api/v1/; "#" is a numeric id segment */
    int          auth;
    mt_apirec_fn fn;
} rec_route;

static const rec_route rec_routes[] = {
    { "POST",   "auth/register",                   ANON, h_register },
    { "POST",   "auth/login",                      ANON, h_login },
    { "POST",   "auth/logout",                     AUTH, h_logout },
    { "GET",    "auth/me",                         AUTH, h_me },
    { "GET",    "auth/tokens",                     AUTH, h_tokens_list },
    { "POST",   "auth/tokens",                     AUTH, h_tokens_create },
    { "DELETE", "auth/tokens/#",                   AUTH, h_token_delete },
    { "GET",    "audit",                           AUTH, h_audit },
    { "GET",    "calendar.ics",                    ANON, mt_apirec_calendar },
    { "GET",    "profiles",                        AUTH, mt_apirec_profiles_list },
    { "POST",   "profiles",                        AUTH, mt_apirec_profiles_create },
    { "GET",    "profiles/#",                      AUTH, mt_apirec_profile_get },
    { "PATCH",  "profiles/#",                      AUTH, mt_apirec_profile_patch },
    { "DELETE", "profiles/#",                      AUTH, mt_apirec_profile_delete },
    { "POST",   "profiles/#/calendar-token",       AUTH, mt_apirec_calendar_token },
    { "DELETE", "profiles/#/calendar-token",       AUTH, mt_apirec_calendar_revoke },
    { "GET",    "profiles/#/medications",          AUTH, mt_apirec_meds_list },
    { "POST",   "profiles/#/medications",          AUTH, mt_apirec_meds_create },
    { "GET",    "profiles/#/medications/#",        AUTH, mt_apirec_med_get },
    { "PATCH",  "profiles/#/medications/#",        AUTH, mt_apirec_med_patch },
    { "DELETE", "profiles/#/medications/#",        AUTH, mt_apirec_med_delete },
    { "GET",    "profiles/#/allergies",            AUTH, mt_apirec_allergies_list },
    { "POST",   "profiles/#/allergies",            AUTH, mt_apirec_allergies_create },
    { "GET",    "profiles/#/allergies/#",          AUTH, mt_apirec_allergy_get },
    { "PATCH",  "profiles/#/allergies/#",          AUTH, mt_apirec_allergy_patch },
    { "DELETE", "profiles/#/allergies/#",          AUTH, mt_apirec_allergy_delete },
    { "GET",    "profiles/#/conditions",           AUTH, mt_apirec_conditions_list },
    { "POST",   "profiles/#/conditions",           AUTH, mt_apirec_conditions_create },
    { "GET",    "profiles/#/conditions/#",         AUTH, mt_apirec_condition_get },
    { "PATCH",  "profiles/#/conditions/#",         AUTH, mt_apirec_condition_patch },
    { "DELETE", "profiles/#/conditions/#",         AUTH, mt_apirec_condition_delete },
    { "GET",    "profiles/#/doses",                AUTH, mt_apirec_doses_list },
    { "POST",   "profiles/#/doses",                AUTH, mt_apirec_doses_create },
    { "DELETE", "profiles/#/doses/#",              AUTH, mt_apirec_dose_delete },
    { "GET",    "profiles/#/reminders",            AUTH, mt_apirec_reminders },
    { "GET",    "profiles/#/check",                AUTH, mt_apirec_check },
    { "GET",    "profiles/#/export.fhir",          AUTH, mt_apirec_export_fhir },
    { "GET",    "profiles/#/export.csv",           AUTH, mt_apirec_export_csv },
    { "GET",    "profiles/#/export.html",          AUTH, mt_apirec_export_html },
    { "POST",   "profiles/#/import.fhir",          AUTH, mt_apirec_import_fhir },
};

/* Matches path (after /api/v1/) against pattern; fills ids. 1 on a match. */
static int match(const char *pattern, const char *path, mt_id ids[2])
{
    unsigned k = 0;
    while (*pattern && *path) {
        if (*pattern == '#') {
            long long v = 0;
            int nd = 0;
            while (*path >= '0' && *path <= '9' && nd < 18) {
                v = v * 10 + (*path - '0');
                path++;
                nd++;
            }
            if (nd == 0 || v == 0 || (*path && *path != '/') || k >= 2)
                return 0;
            ids[k++] = v;
            pattern++;
            continue;
        }
        if (*pattern != *path)
            return 0;
        pattern++;
        path++;
    }
    return *pattern == '\0' && *path == '\0';
}

int mt_api_records(mt_http_req *req)
{
    const char *path = req->path + strlen("/api/v1/");
    const rec_route *hit = NULL;
    char allow[64] = "";
    mt_apirec c;
    size_t i;
    int is_head = strcmp(req->method, "HEAD") == 0;

    memset(&c, 0, sizeof(c));
    if (strncmp(req->path, "/api/v1/", 8) != 0)
        return mt_http_problem(req, 404, "not-found", "Not found", "no route for %s", req->path);
    for (i = 0; i < sizeof(rec_routes) / sizeof(rec_routes[0]); i++) {
        mt_id ids[2] = { 0, 0 };
        if (!match(rec_routes[i].pattern, path, ids))
            continue;
        if (!strstr(allow, rec_routes[i].method)) {
            size_t n = strlen(allow);
            snprintf(allow + n, sizeof(allow) - n, "%s%s", n ? ", " : "", rec_routes[i].method);
        }
        if (strcmp(req->method, rec_routes[i].method) == 0 ||
            (is_head && strcmp(rec_routes[i].method, "GET") == 0)) {
            hit = &rec_routes[i];
            c.ids[0] = ids[0];
            c.ids[1] = ids[1];
        }
    }
    if (!hit && allow[0]) {
        req->allow = mt_arena_strdup(&req->arena, allow);
        return mt_http_problem(req, 405, "method-not-allowed", "Method not allowed",
                               "%s is not allowed on %s", req->method, req->path);
    }
    if (!hit)
        return mt_http_problem(req, 404, "not-found", "Not found", "no route for %s", req->path);
    c.st = mt_http_store(req);
    if (!c.st) {
        mt_http_header(req, "Retry-After", "3600");
        return mt_http_problem(req, 503, "records-disabled", "Records are not available",
                               "this server has no records database (see materia serve --db)");
    }
    if (hit->auth == AUTH && authenticate(req, &c) != MT_OK)
        return MT_OK;
    return hit->fn(req, &c);
}
