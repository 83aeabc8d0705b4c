/*
** cds_request.c — a CDS Hooks request body into the medications to check
** (cds_request.h), with jansson. Every string kept is copied into the
** caller's arena, so the JSON document is freed before returning.
*/
#include "cds/cds_request.h"

#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "materia/status.h"
#include "util/jsonmem.h"

#define MAX_ID     64       /* a FHIR id */
#define MAX_SHORT  256      /* hookInstance, userId, patientId, codes, references */
#define MAX_TEXT   4096     /* a text or display; a longer one is not a name */

static const char *const rxnorm_systems[] = {
    "http://www.nlm.nih.gov/research/umls/rxnorm", "urn:oid:2.16.840.1.113883.6.88", NULL
};
static const char *const ndc_systems[] = {
    "http://hl7.org/fhir/sid/ndc", "urn:oid:2.16.840.1.113883.6.69", NULL
};

typedef struct ctx {
    mt_arena       *a;
    mt_cds_error   *err;
    int             rc;          /* the first failure; sticky */
    mt_cds_med     *meds;        /* MT_CDS_MAX_MEDS slots, in request order */
    uint32_t        nmeds;
    mt_cds_request *out;
} ctx;

static void fail(ctx *c, int rc, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void fail(ctx *c, int rc, const char *field, const char *fmt, ...)
{
    va_list ap;
    if (c->rc != MT_OK)
        return;
    c->rc = rc;
    snprintf(c->err->field, sizeof(c->err->field), "%s", field);
    va_start(ap, fmt);
    vsnprintf(c->err->message, sizeof(c->err->message), fmt, ap);
    va_end(ap);
}

/* base + "." + key: the JSON path of a member, for error messages. */
static const char *path(char *buf, size_t size, const char *base, const char *key)
{
    int n = snprintf(buf, size, "%s%s%s", base, *base ? "." : "", key);
    if (n < 0)
        buf[0] = '\0';                /* a path is only ever shown; cut is fine */
    return buf;
}

static int in_list(const char *s, const char *const *list)
{
    for (; s && *list; list++)
        if (strcmp(s, *list) == 0)
            return 1;
    return 0;
}

/* obj[key] as a string of at most max bytes: NULL when absent (a failure
** when required); a failure when it is not a string or holds a NUL. */
static const char *get_str(ctx *c, json_t *obj, const char *key, const char *base, size_t max, int required)
{
    char f[160];
    json_t *v = json_object_get(obj, key);
    if (c->rc != MT_OK)
        return NULL;
    if (!v) {
        if (required)
            fail(c, MT_EFORMAT, path(f, sizeof(f), base, key), "is required");
        return NULL;
    }
    if (!json_is_string(v)) {
        fail(c, MT_EFORMAT, path(f, sizeof(f), base, key), "must be a string");
        return NULL;
    }
    if (strlen(json_string_value(v)) != json_string_length(v)) {
        fail(c, MT_EFORMAT, path(f, sizeof(f), base, key), "contains a NUL character");
        return NULL;
    }
    if (json_string_length(v) > max) {
        fail(c, MT_EFORMAT, path(f, sizeof(f), base, key), "is longer than %zu bytes", max);
        return NULL;
    }
    if (required && json_string_length(v) == 0) {
        fail(c, MT_EFORMAT, path(f, sizeof(f), base, key), "must not be empty");
        return NULL;
    }
    return json_string_value(v);
}

/* obj[key] as an object (or, for want_array, an array): NULL when absent (a
** failure when required) or of another type (a failure). */
static json_t *get_node(ctx *c, json_t *obj, const char *key, const char *base, int want_array, int required)
{
    char f[160];
    json_t *v = json_object_get(obj, key);
    if (c->rc != MT_OK)
        return NULL;
    if (!v) {
        if (required)
            fail(c, MT_EFORMAT, path(f, sizeof(f), base, key), "is required");
        return NULL;
    }
    if (want_array ? !json_is_array(v) : !json_is_object(v)) {
        fail(c, MT_EFORMAT, path(f, sizeof(f), base, key), want_array ? "must be an array" : "must be an object");
        return NULL;
    }
    return v;
}

/* s[0..len-1] copied into the arena, control characters made spaces. */
static const char *keep(ctx *c, const char *s, size_t len)
{
    char *d;
    size_t i;
    if (c->rc != MT_OK)
        return NULL;
    d = mt_arena_strndup(c->a, s, len);
    if (!d) {
        fail(c, MT_ENOMEM, "", "out of memory");
        return NULL;
    }
    for (i = 0; i < len; i++)
        if ((unsigned char)d[i] < 0x20 || d[i] == 0x7f)
            d[i] = ' ';
    return d;
}

/* A label of at most MT_CDS_MAX_LABEL bytes, cut at a character boundary. */
static const char *keep_label(ctx *c, const char *s)
{
    size_t len = strlen(s);
    if (len > MT_CDS_MAX_LABEL) {
        len = MT_CDS_MAX_LABEL;
        while (len > 0 && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    return keep(c, s, len);
}

/* An RxCUI: 1 to 9 digits, not zero (the checker's reading of a number). */
static int is_rxcui(const char *s)
{
    size_t i, n = strlen(s);
    int nonzero = 0;
    if (n == 0 || n > 9)
        return 0;
    for (i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i]))
            return 0;
        nonzero |= s[i] != '0';
    }
    return nonzero;
}

/* An NDC: 10 or 11 digits, at most two dashes, none at an end or doubled. */
static int is_ndc(const char *s)
{
    size_t i, n = strlen(s), digits = 0, dashes = 0;
    if (n == 0 || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (i = 0; i < n; i++) {
        if (isdigit((unsigned char)s[i]))
            digits++;
        else if (s[i] == '-' && s[i + 1] != '-')
            dashes++;
        else
            return 0;
    }
    return (digits == 10 || digits == 11) && dashes <= 2;
}

/* Adds a candidate: trimmed, at most MT_CHECK_MAX_INPUT_LEN bytes (a longer
** one could not resolve), not a repeat (case ignored), within the cap. */
static void add_cand(ctx *c, mt_cds_med *m, int kind, const char *s)
{
    size_t len, i;
    const char *v;
    if (!s || c->rc != MT_OK)
        return;
    while (*s && isspace((unsigned char)*s))
        s++;
    len = strlen(s);
    while (len > 0 && isspace((unsigned char)s[len - 1]))
        len--;
    if (len == 0 || len > MT_CHECK_MAX_INPUT_LEN || m->ncands >= MT_CDS_MAX_CANDS)
        return;
    for (i = 0; i < m->ncands; i++)
        if (strlen(m->cands[i].value) == len && strncasecmp(m->cands[i].value, s, len) == 0)
            return;
    if (!(v = keep(c, s, len)))
        return;
    m->cands[m->ncands].kind = (uint8_t)kind;
    m->cands[m->ncands].value = v;
    m->ncands++;
}

/* What a CodeableConcept says about the medication, kept as candidates:
** RxNorm codes, NDC codes, the text, the RxNorm displays, other displays.
** Sets *label to the best name (text, a display, else NULL). */
static void concept(ctx *c, json_t *cc, const char *base, mt_cds_med *m, const char **label)
{
    json_t *coding, *cd;
    const char *text, *code_label = NULL;
    char f[160];
    size_t i;
    int pass;

    if (!json_is_object(cc)) {
        fail(c, MT_EFORMAT, base, "must be a CodeableConcept (an object)");
        return;
    }
    coding = get_node(c, cc, "coding", base, 1, 0);
    text = get_str(c, cc, "text", base, MAX_TEXT, 0);
    if (text && *text && !*label)
        *label = text;
    for (pass = 0; pass < 4 && c->rc == MT_OK; pass++) {
        if (pass == 2)
            add_cand(c, m, MT_CDS_TEXT, text);
        json_array_foreach(coding, i, cd) {
            const char *sys, *code, *disp;
            int rx, ndc;
            snprintf(f, sizeof(f), "%s.coding[%zu]", base, i);
            if (!json_is_object(cd)) {
                fail(c, MT_EFORMAT, f, "must be an object (a Coding)");
                return;
            }
            sys = get_str(c, cd, "system", f, MAX_SHORT, 0);
            code = get_str(c, cd, "code", f, MAX_SHORT, 0);
            disp = get_str(c, cd, "display", f, MAX_TEXT, 0);
            if (c->rc != MT_OK)
                return;
            rx = in_list(sys, rxnorm_systems);
            ndc = in_list(sys, ndc_systems);
            if (pass == 0 && rx && code && is_rxcui(code)) {
                add_cand(c, m, MT_CDS_RXNORM, code);
                if (!code_label)
                    code_label = code;
            } else if (pass == 1 && ndc && code && is_ndc(code)) {
                add_cand(c, m, MT_CDS_NDC, code);
            } else if ((pass == 2 && rx) || (pass == 3 && !rx)) {
                add_cand(c, m, MT_CDS_DISPLAY, disp);
                if (disp && *disp && !*label)
                    *label = disp;
            }
        }
    }
}

/* The Medication a reference names: "#id" in the resource's contained list,
** else an entry of the same Bundle whose fullUrl is the reference or whose
** resource is Medication/<id> (the reference's last two segments). */
static json_t *find_medication(json_t *res, json_t *entries, const char *ref)
{
    json_t *e, *r;
    const char *slash, *id = NULL;
    size_t i;

    if (ref[0] == '#') {
        json_array_foreach(json_object_get(res, "contained"), i, r) {
            const char *t = json_string_value(json_object_get(r, "resourceType"));
            const char *rid = json_string_value(json_object_get(r, "id"));
            if (t && rid && strcmp(t, "Medication") == 0 && strcmp(rid, ref + 1) == 0)
                return r;
        }
        return NULL;
    }
    slash = strrchr(ref, '/');
    if (slash && slash - ref >= 10 && strncmp(slash - 10, "Medication", 10) == 0 &&
        (slash - ref == 10 || slash[-11] == '/'))
        id = slash + 1;
    json_array_foreach(entries, i, e) {
        const char *full = json_string_value(json_object_get(e, "fullUrl"));
        const char *t, *rid;
        r = json_object_get(e, "resource");
        t = json_string_value(json_object_get(r, "resourceType"));
        rid = json_string_value(json_object_get(r, "id"));
        if (!t || strcmp(t, "Medication") != 0)
            continue;
        if ((full && strcmp(full, ref) == 0) || (id && rid && strcmp(rid, id) == 0))
            return r;
    }
    return NULL;
}

/* A Reference(Medication): the named Medication's code, then the display. */
static void reference(ctx *c, json_t *res, json_t *rf, json_t *entries, const char *base, mt_cds_med *m,
                      const char **label)
{
    const char *ref, *disp;
    json_t *med, *code;
    char f[160];

    if (!json_is_object(rf)) {
        fail(c, MT_EFORMAT, base, "must be a Reference (an object)");
        return;
    }
    ref = get_str(c, rf, "reference", base, MAX_SHORT, 0);
    disp = get_str(c, rf, "display", base, MAX_TEXT, 0);
    if (c->rc != MT_OK)
        return;
    med = ref && *ref ? find_medication(res, entries, ref) : NULL;
    code = med ? json_object_get(med, "code") : NULL;
    if (code)
        concept(c, code, path(f, sizeof(f), base, "(Medication).code"), m, label);
    add_cand(c, m, MT_CDS_DISPLAY, disp);
    if (disp && *disp && !*label)
        *label = disp;
    if (ref && *ref && !med && m->ncands == 0)
        m->why_none = "its medicationReference names a Medication that is not in the request";
}

/* Adds the medication of a MedicationRequest or MedicationStatement. */
static void add_med(ctx *c, json_t *res, json_t *entries, const char *where, const char *type, int origin,
                    const char *id)
{
    mt_cds_med *m;
    const char *label = NULL;
    json_t *v;
    char f[160], ref[160];

    if (c->rc != MT_OK)
        return;
    if (c->nmeds >= MT_CDS_MAX_MEDS) {
        fail(c, MT_ELIMIT, where, "more than %d medications (draft orders and current medications): "
             "at most %d can be checked at once", MT_CDS_MAX_MEDS, MT_CDS_MAX_MEDS);
        return;
    }
    m = &c->meds[c->nmeds];
    memset(m, 0, sizeof(*m));
    m->origin = (uint8_t)origin;
    snprintf(ref, sizeof(ref), "%s%s%s", type, id ? "/" : "", id ? id : "");
    m->ref = keep(c, ref, strlen(ref));
    m->where = keep(c, where, strlen(where));
    if ((v = json_object_get(res, "medicationCodeableConcept"))) {
        concept(c, v, path(f, sizeof(f), where, "medicationCodeableConcept"), m, &label);
    } else if ((v = json_object_get(res, "medicationReference"))) {
        reference(c, res, v, entries, path(f, sizeof(f), where, "medicationReference"), m, &label);
    } else if ((v = json_object_get(res, "medication"))) {
        /* FHIR R5: a CodeableReference {concept, reference}. */
        json_t *cc, *rf;
        path(f, sizeof(f), where, "medication");
        if (!json_is_object(v)) {
            fail(c, MT_EFORMAT, f, "must be a CodeableReference (an object)");
            return;
        }
        cc = json_object_get(v, "concept");
        rf = json_object_get(v, "reference");
        if (cc) {
            char g[160];
            concept(c, cc, path(g, sizeof(g), f, "concept"), m, &label);
        }
        if (rf) {
            char g[160];
            reference(c, res, rf, entries, path(g, sizeof(g), f, "reference"), m, &label);
        }
    }
    if (c->rc != MT_OK)
        return;
    if (!label && m->ncands > 0) {       /* a code alone: "RxNorm 11289" */
        snprintf(f, sizeof(f), "%s %s", mt_cds_cand_kind_name(m->cands[0].kind), m->cands[0].value);
        label = f;
    }
    m->label = keep_label(c, label ? label : m->ref);
    if (m->ncands == 0 && !m->why_none)
        m->why_none = v ? "its medication has no RxNorm code, NDC or name"
                        : "it names no medication (no medicationCodeableConcept or medicationReference)";
    if (c->rc == MT_OK)
        c->nmeds++;
}

/* The status of a current medication that still counts. */
static int current_status(const char *status)
{
    static const char *const keep_status[] = { "active", "on-hold", "intended", "unknown", NULL };
    return !status || in_list(status, keep_status);
}

/* A draft order with this reference was already read. */
static int is_draft(const ctx *c, const char *ref)
{
    uint32_t i;
    for (i = 0; i < c->nmeds; i++)
        if (c->meds[i].origin != MT_CDS_CURRENT && strcmp(c->meds[i].ref, ref) == 0)
            return 1;
    return 0;
}

/* context.draftOrders; refs[i] gets "Type/id" of entry i (NULL without an
** id) and med_of[i] its medication index (-1 for other orders). */
static void drafts(ctx *c, json_t *context, const char ***refs_out, int **med_of_out, size_t *n_out)
{
    const char *base = "context.draftOrders";
    json_t *bundle, *entries, *ent;
    const char **refs = NULL, *rt;
    int *med_of = NULL;
    char where[96], f[160], ref[160];
    size_t i, n;

    bundle = get_node(c, context, "draftOrders", "context", 0, 1);
    rt = get_str(c, bundle, "resourceType", base, MAX_ID, 1);
    if (rt && strcmp(rt, "Bundle") != 0)
        fail(c, MT_EFORMAT, "context.draftOrders.resourceType", "must be \"Bundle\"");
    entries = get_node(c, bundle, "entry", base, 1, 0);
    if (c->rc != MT_OK)
        return;
    n = json_array_size(entries);
    if (n) {
        refs = mt_arena_calloc(c->a, n, sizeof(*refs));
        med_of = mt_arena_calloc(c->a, n, sizeof(*med_of));
        if (!refs || !med_of) {
            fail(c, MT_ENOMEM, "", "out of memory");
            return;
        }
    }
    json_array_foreach(entries, i, ent) {
        json_t *res;
        const char *type, *id;
        snprintf(where, sizeof(where), "%s.entry[%zu]", base, i);
        med_of[i] = -1;
        if (!json_is_object(ent)) {
            fail(c, MT_EFORMAT, where, "must be an object (a Bundle entry)");
            return;
        }
        res = get_node(c, ent, "resource", where, 0, 1);
        path(f, sizeof(f), where, "resource");
        type = get_str(c, res, "resourceType", f, MAX_ID, 1);
        id = get_str(c, res, "id", f, MAX_ID, 0);
        if (c->rc != MT_OK)
            return;
        if (id && *id) {
            snprintf(ref, sizeof(ref), "%s/%s", type, id);
            refs[i] = keep(c, ref, strlen(ref));
        }
        if (strcmp(type, "MedicationRequest") == 0) {
            med_of[i] = (int)c->nmeds;
            add_med(c, res, entries, f, type, MT_CDS_NEW, id && *id ? id : NULL);
        } else {
            c->out->skipped_orders++;
        }
        if (c->rc != MT_OK)
            return;
    }
    *refs_out = refs;
    *med_of_out = med_of;
    *n_out = n;
}

/* order-select: the drafts not named in context.selections become session drafts. */
static void selections(ctx *c, json_t *context, const char **refs, const int *med_of, size_t n)
{
    json_t *sel = get_node(c, context, "selections", "context", 1, 1), *s;
    uint8_t *chosen;
    char f[64];
    size_t i, j;

    if (c->rc != MT_OK)
        return;
    if (json_array_size(sel) == 0) {
        fail(c, MT_EFORMAT, "context.selections", "must name at least one draft order");
        return;
    }
    chosen = n ? mt_arena_calloc(c->a, n, 1) : NULL;
    if (n && !chosen) {
        fail(c, MT_ENOMEM, "", "out of memory");
        return;
    }
    json_array_foreach(sel, i, s) {
        const char *v = json_string_value(s);
        snprintf(f, sizeof(f), "context.selections[%zu]", i);
        if (!v || strlen(v) != json_string_length(s) || json_string_length(s) > MAX_SHORT) {
            fail(c, MT_EFORMAT, f, "must be a string \"Type/id\" of at most %d bytes", MAX_SHORT);
            return;
        }
        for (j = 0; j < n; j++)
            if (refs[j] && strcmp(refs[j], v) == 0)
                break;
        if (j == n) {
            fail(c, MT_EFORMAT, f, "\"%.80s\" names no resource of context.draftOrders (expected \"Type/id\")", v);
            return;
        }
        chosen[j] = 1;
    }
    for (j = 0; j < n; j++)
        if (med_of[j] >= 0 && !chosen[j])
            c->meds[med_of[j]].origin = MT_CDS_SESSION;
}

/* prefetch[key]: a searchset Bundle of current medications, or null. */
static void prefetched(ctx *c, json_t *prefetch, const char *key, int *present)
{
    json_t *b = json_object_get(prefetch, key), *entries, *ent;
    const char *rt;
    char base[48], where[96], f[160], ref[160];
    size_t i;

    *present = b != NULL;
    if (!b || json_is_null(b) || c->rc != MT_OK)
        return;
    snprintf(base, sizeof(base), "prefetch.%s", key);
    if (!json_is_object(b)) {
        fail(c, MT_EFORMAT, base, "must be a FHIR Bundle (the prefetch search result) or null");
        return;
    }
    rt = get_str(c, b, "resourceType", base, MAX_ID, 1);
    if (rt && strcmp(rt, "Bundle") != 0) {
        fail(c, MT_EFORMAT, path(f, sizeof(f), base, "resourceType"),
             "must be \"Bundle\" (the result of the prefetch search), not \"%.40s\"", rt);
        return;
    }
    entries = get_node(c, b, "entry", base, 1, 0);
    json_array_foreach(entries, i, ent) {
        json_t *res;
        const char *type, *id, *status;
        if (c->rc != MT_OK)
            return;
        snprintf(where, sizeof(where), "%s.entry[%zu]", base, i);
        if (!json_is_object(ent)) {
            fail(c, MT_EFORMAT, where, "must be an object (a Bundle entry)");
            return;
        }
        res = get_node(c, ent, "resource", where, 0, 0);
        if (!res)
            continue;
        path(f, sizeof(f), where, "resource");
        type = get_str(c, res, "resourceType", f, MAX_ID, 1);
        if (!type || (strcmp(type, "MedicationRequest") != 0 && strcmp(type, "MedicationStatement") != 0))
            continue;                       /* Medication (for references), OperationOutcome, ... */
        id = get_str(c, res, "id", f, MAX_ID, 0);
        status = get_str(c, res, "status", f, MAX_ID, 0);
        if (c->rc != MT_OK)
            return;
        if (!current_status(status)) {
            c->out->skipped_status++;
            continue;
        }
        if (id && *id) {
            snprintf(ref, sizeof(ref), "%s/%s", type, id);
            if (is_draft(c, ref))
                continue;                   /* the draft order itself, already saved by the client */
        }
        add_med(c, res, entries, f, type, MT_CDS_CURRENT, id && *id ? id : NULL);
    }
}

/* Stable order by origin: new, session, current. */
static void order_meds(ctx *c)
{
    mt_cds_med *sorted;
    uint32_t i, k = 0;
    int o;
    if (c->nmeds == 0)
        return;
    sorted = mt_arena_calloc(c->a, c->nmeds, sizeof(*sorted));
    if (!sorted) {
        fail(c, MT_ENOMEM, "", "out of memory");
        return;
    }
    for (o = MT_CDS_NEW; o <= MT_CDS_CURRENT; o++)
        for (i = 0; i < c->nmeds; i++)
            if (c->meds[i].origin == o)
                sorted[k++] = c->meds[i];
    c->out->meds = sorted;
    c->out->nmeds = k;
    for (i = 0; i < k && sorted[i].origin == MT_CDS_NEW; i++)
        c->out->nnew++;
}

int mt_cds_request_parse(const char *body, size_t len, int hook, mt_arena *a,
                         mt_cds_request *out, mt_cds_error *err)
{
    json_error_t jerr;
    json_t *doc = NULL, *context, *prefetch;
    const char *h, **refs = NULL;
    int *med_of = NULL, present = 0, stmts = 0;
    size_t ndrafts = 0;
    ctx c;
    int jrc = MT_EFORMAT;

    if (!a || !out || !err || (!body && len))
        return MT_EINVAL;
    memset(out, 0, sizeof(*out));
    memset(err, 0, sizeof(*err));
    memset(&c, 0, sizeof(c));
    c.a = a;
    c.err = err;
    c.out = out;
    out->hook = (uint8_t)hook;
    if (!*mt_cds_hook_name(hook))
        return MT_EINVAL;
    doc = len ? mt_json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr, &jrc) : NULL;
    if (!doc) {
        if (jrc == MT_ENOMEM)               /* jansson allocates through mt_malloc (util/jsonmem.h) */
            fail(&c, MT_ENOMEM, "", "out of memory");
        else if (len)
            fail(&c, MT_EFORMAT, "body", "invalid JSON at line %d, column %d: %s", jerr.line, jerr.column, jerr.text);
        else
            fail(&c, MT_EFORMAT, "body", "is empty: send a CDS Hooks request (JSON)");
        goto done;
    }
    if (!json_is_object(doc)) {
        fail(&c, MT_EFORMAT, "body", "must be a JSON object (a CDS Hooks request)");
        goto done;
    }
    c.meds = mt_arena_calloc(a, MT_CDS_MAX_MEDS, sizeof(*c.meds));
    if (!c.meds) {
        fail(&c, MT_ENOMEM, "", "out of memory");
        goto done;
    }
    h = get_str(&c, doc, "hook", "", MAX_ID, 1);
    if (h && strcmp(h, mt_cds_hook_name(hook)) != 0)
        fail(&c, MT_EFORMAT, "hook", "is \"%.60s\"; this service answers the hook \"%s\"", h, mt_cds_hook_name(hook));
    h = get_str(&c, doc, "hookInstance", "", MAX_SHORT, 1);
    if (h)
        out->hook_instance = keep(&c, h, strlen(h));
    context = get_node(&c, doc, "context", "", 0, 1);
    get_str(&c, context, "userId", "context", MAX_SHORT, 1);
    get_str(&c, context, "patientId", "context", MAX_SHORT, 1);
    get_str(&c, context, "encounterId", "context", MAX_SHORT, 0);
    drafts(&c, context, &refs, &med_of, &ndrafts);
    if (hook == MT_CDS_ORDER_SELECT)
        selections(&c, context, refs, med_of, ndrafts);
    prefetch = get_node(&c, doc, "prefetch", "", 0, 0);
    if (c.rc != MT_OK)
        goto done;
    prefetched(&c, prefetch, MT_CDS_PREFETCH_MEDS, &present);
    prefetched(&c, prefetch, MT_CDS_PREFETCH_STATEMENTS, &stmts);
    out->has_statements = (uint8_t)stmts;
    if (c.rc == MT_OK && !present)
        fail(&c, MT_ENOTFOUND, "prefetch." MT_CDS_PREFETCH_MEDS,
             "is required: Materia does not query the FHIR server, so it needs the patient's current "
             "medications as prefetch (null when there are none)");
    if (c.rc == MT_OK)
        order_meds(&c);
done:
    json_decref(doc);
    if (c.rc != MT_OK) {
        out->meds = NULL;
        out->nmeds = out->nnew = 0;
    }
    return c.rc;
}

const char *mt_cds_hook_name(int hook)
{
    switch (hook) {
    case MT_CDS_ORDER_SIGN:   return "order-sign";
    case MT_CDS_ORDER_SELECT: return "order-select";
    default:                  return "";
    }
}

const char *mt_cds_cand_kind_name(int kind)
{
    switch (kind) {
    case MT_CDS_RXNORM: return "RxNorm";
    case MT_CDS_NDC:    return "NDC";
    case MT_CDS_TEXT:   return "text";
    default:            return "display";
    }
}
