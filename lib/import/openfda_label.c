/*
** openfda_label.c — importer of openFDA's drug label download (drug-label-
** NNNN-of-NNNN.json: one file or a folder of them, plain or .gz, or the
** .json.zip files as downloaded, one or a folder of them; source/srcwalk.h),
** `materia build --source openfda-label=PATH`.
**
** A file is one JSON object {"meta": {...}, "results": [label, ...]} of
** hundreds of megabytes. It is read as a stream: the top-level object is
** scanned here, each member value and each label of "results" is cut out of
** the stream whole (strings and nesting followed, nothing else interpreted)
** and parsed alone with jansson, then freed — memory holds one label at a
** time. A file that ends inside a value (a truncated download), a label
** jansson rejects, or text after the object is an error "file:line: reason
** (byte N)" at the place it was found.
**
** A label (an SPL rendered as JSON by openFDA) becomes an mdl_doc (US label,
** set id, effective_time as its date) with the sections Materia shows
** (openFDA field -> LOINC code: indications_and_usage 34067-9,
** boxed_warning 34066-1, ... drug_abuse_and_dependence 42227-9,
** overdosage 34088-5), each field's paragraphs joined by blank lines. It is
** joined to drugs by its openfda.unii values, then openfda.rxcui (an
** ingredient's RxCUI, or a product's, whose ingredients are taken), then by
** openfda.substance_name; a label that joins no drug, or has no section
** Materia shows, is not kept. A label whose set id an SPL XML label of the
** same or a later date already gave is not kept either (the merge after the
** imports keeps one label per set id, official.c).
*/
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import.h"
#include "import/pill_join.h"
#include "source/srcfile.h"
#include "source/srcwalk.h"
#include "util/alloc.h"
#include "util/jsonmem.h"
#include "util/hmap.h"

#define OL_VALUE_MAX   (64u * 1024 * 1024)   /* one label, or one other member value */
#define OL_TEXT_MAX    (16u * 1024 * 1024)   /* one section */
#define OL_MAX_FILES   1000
#define OL_MAX_DRUGS   64
#define OL_CHUNK       (256u * 1024)

/* The openFDA fields kept, with the LOINC code and title the SPL importer uses. */
static const struct { const char *field, *code, *title; } FIELDS[] = {
    { "boxed_warning", "34066-1", "Boxed Warning" },
    { "indications_and_usage", "34067-9", "Indications & Usage" },
    { "dosage_and_administration", "34068-7", "Dosage & Administration" },
    { "dosage_forms_and_strengths", "43678-2", "Dosage Forms & Strengths" },
    { "contraindications", "34070-3", "Contraindications" },
    { "warnings_and_cautions", "43685-7", "Warnings and Precautions" },
    { "warnings", "34071-1", "Warnings" },
    { "precautions", "42232-9", "Precautions" },
    { "adverse_reactions", "34084-4", "Adverse Reactions" },
    { "drug_interactions", "34073-7", "Drug Interactions" },
    { "pregnancy", "42228-7", "Pregnancy" },
    { "nursing_mothers", "34080-2", "Nursing Mothers" },
    { "lactation", "77290-5", "Lactation" },
    { "pediatric_use", "34081-0", "Pediatric Use" },
    { "geriatric_use", "34082-8", "Geriatric Use" },
    { "drug_abuse_and_dependence", "42227-9", "Drug Abuse and Dependence" },
    { "controlled_substance", "34085-1", "Controlled Substance" },
    { "abuse", "34086-9", "Abuse" },
    { "dependence", "34087-7", "Dependence" },
    { "overdosage", "34088-5", "Overdosage" },
    { "how_supplied", "34069-5", "How Supplied" },
    /* OTC "Drug Facts" */
    { "active_ingredient", "55106-9", "Active Ingredient" },
    { "purpose", "55105-1", "Purpose" },
    { "do_not_use", "50570-1", "Do Not Use" },
    { "ask_doctor", "50569-3", "Ask Doctor" },
    { "ask_doctor_or_pharmacist", "50568-5", "Ask Doctor/Pharmacist" },
    { "when_using", "50567-7", "When Using" },
    { "stop_use", "50566-9", "Stop Use" },
    { "pregnancy_or_breast_feeding", "53414-9", "Pregnancy or Breast Feeding" },
    { "keep_out_of_reach_of_children", "50565-1", "Keep Out of Reach of Children" },
};
#define NFIELDS (sizeof(FIELDS) / sizeof(FIELDS[0]))

/* A byte stream with its position, for messages. */
typedef struct jstream {
    mt_srcfile     f;
    char          *chunk;
    size_t         len, pos;
    unsigned long  line;          /* line of the next byte */
    unsigned long long byte;      /* offset of the next byte */
    int            eof;
} jstream;

typedef struct ol_state {
    mt_import_ctx *ctx;
    mdl           *m;
    pj_index       ix;
    const char    *path;          /* file being read */
    const char    *file;          /* its name, for citations */
    jstream        s;
    mt_buf         value, text, title;
    mt_hmap        existing;      /* set id of a label already in the model -> doc */
    mt_arena       arena;
    char           updated[16];   /* newest meta.last_updated */
    unsigned long  results, kept, unjoined, empty, superseded, sections;
    size_t         nfiles;        /* files read */
    mt_buf         pathbuf;       /* path holds the file's place, for messages */
} ol_state;

/* --- the stream ------------------------------------------------------------------- */

static int js_fill(ol_state *st)
{
    jstream *s = &st->s;
    int n, zerr;
    if (s->eof)
        return MT_OK;
    if (s->f.ze) {                     /* a zip entry: srcfile reads and checks it */
        size_t got;
        int rc;
        s->f.line = s->line;           /* where its messages point */
        rc = mt_src_read(&s->f, s->chunk, OL_CHUNK, &got);
        if (rc == MT_ENOTFOUND) {
            s->eof = 1;
            got = 0;
        } else if (rc != MT_OK)
            return rc;
        s->len = got;
        s->pos = 0;
        return MT_OK;
    }
    n = gzread(s->f.gz, s->chunk, OL_CHUNK);
    if (n < 0) {
        const char *msg = gzerror(s->f.gz, &zerr);
        mt_buf_printf(st->ctx->err, "%s:%lu: read error: %s", st->path, s->line, msg);
        return MT_EIO;
    }
    gzerror(s->f.gz, &zerr);
    if (n == 0) {
        s->eof = 1;
        if (zerr != Z_OK && zerr != Z_STREAM_END)
            return mt_import_fail_path(st->ctx, st->path, s->line, MT_EFORMAT, "the compressed file ends early (byte %llu): a truncated download", s->byte);
    }
    s->len = (size_t)n;
    s->pos = 0;
    return MT_OK;
}

/* The next byte without taking it: 0..255, or -1 at the end of the file. */
static int js_peek(ol_state *st, int *rc)
{
    jstream *s = &st->s;
    *rc = MT_OK;
    if (s->pos == s->len && !s->eof && (*rc = js_fill(st)) != MT_OK)
        return -1;
    return s->pos < s->len ? (unsigned char)s->chunk[s->pos] : -1;
}

static int js_get(ol_state *st, int *rc)
{
    int c = js_peek(st, rc);
    if (c >= 0) {
        st->s.pos++;
        st->s.byte++;
        if (c == '\n')
            st->s.line++;
    }
    return c;
}

static int js_skip_ws(ol_state *st, int *rc)
{
    int c;
    while ((c = js_peek(st, rc)) == ' ' || c == '\t' || c == '\n' || c == '\r')
        js_get(st, rc);
    return c;
}

static int truncated(ol_state *st, const char *where, unsigned long line, unsigned long long byte)
{
    return mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "the file ends inside %s that began at line %lu (byte %llu): a truncated or "
                "damaged file", where, line, byte);
}

/* Copies one JSON value from the stream into st->value, following strings
** and nesting only; jansson checks it. */
static int js_value(ol_state *st)
{
    unsigned long line = st->s.line;
    unsigned long long byte = st->s.byte;
    int c, rc = MT_OK, depth = 0, in_str = 0, esc = 0;
    char out;

    mt_buf_reset(&st->value);
    c = js_skip_ws(st, &rc);
    if (rc != MT_OK)
        return rc;
    if (c < 0)
        return truncated(st, "a value", line, byte);
    for (;;) {
        c = js_get(st, &rc);
        if (rc != MT_OK)
            return rc;
        if (c < 0) {
            if (!in_str && depth == 0 && st->value.len)
                break;                 /* a scalar at the very end: jansson judges it */
            return truncated(st, "a value", line, byte);
        }
        out = (char)c;
        if ((rc = mt_buf_putc(&st->value, out)) != MT_OK)
            return rc == MT_ELIMIT ? mt_import_fail_path(st->ctx, st->path, line, MT_EFORMAT, "a value larger than %u bytes (byte %llu)", OL_VALUE_MAX, byte) : rc;
        if (in_str) {
            if (esc)
                esc = 0;
            else if (c == '\\')
                esc = 1;
            else if (c == '"') {
                in_str = 0;
                if (depth == 0)
                    break;
            }
            continue;
        }
        if (c == '"')
            in_str = 1;
        else if (c == '{' || c == '[')
            depth++;
        else if (c == '}' || c == ']') {
            if (--depth <= 0)
                break;
        }
        if (depth == 0 && !in_str) {
            /* a scalar: up to the next delimiter */
            int n = js_peek(st, &rc);
            if (rc != MT_OK)
                return rc;
            if (n == ',' || n == '}' || n == ']' || n == ' ' || n == '\n' || n == '\r' || n == '\t' || n < 0)
                break;
        }
    }
    return mt_buf_append(&st->value, "", 0);
}

/* Parses st->value, which began at line/byte. */
static json_t *parse_value(ol_state *st, unsigned long line, unsigned long long byte, int *rc)
{
    json_error_t jerr;
    json_t *v = mt_json_loadb(mt_buf_str(&st->value), st->value.len, 0, &jerr, rc);
    if (!v) {
        if (*rc != MT_ENOMEM)
            *rc = mt_import_fail_path(st->ctx, st->path, line + (unsigned long)(jerr.line > 0 ? jerr.line - 1 : 0), MT_EFORMAT, "invalid JSON: %s (byte %llu)",
                       jerr.text, byte + (unsigned long long)(jerr.position > 0 ? jerr.position : 0));
    }
    return v;
}

/* A JSON string key at the stream. */
static int js_key(ol_state *st, char *out, size_t outsz)
{
    size_t n = 0;
    int c, rc = MT_OK, esc = 0;
    if (js_get(st, &rc) != '"')
        return rc != MT_OK ? rc : mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "expected a member name (byte %llu)", st->s.byte);
    for (;;) {
        c = js_get(st, &rc);
        if (rc != MT_OK)
            return rc;
        if (c < 0)
            return truncated(st, "a member name", st->s.line, st->s.byte);
        if (!esc && c == '"')
            break;
        esc = !esc && c == '\\';
        if (n + 1 < outsz)
            out[n++] = (char)c;
    }
    out[n] = '\0';
    return MT_OK;
}

/* --- one label -------------------------------------------------------------------- */

static const char *first_str(const json_t *obj, const char *key)
{
    const json_t *v = json_object_get(obj, key);
    if (json_is_array(v))
        v = json_array_get(v, 0);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int add_drug(mdl_ref *drugs, size_t *n, mdl_ref d)
{
    size_t i;
    for (i = 0; i < *n; i++)
        if (drugs[i] == d)
            return 0;
    if (*n < OL_MAX_DRUGS)
        drugs[(*n)++] = d;
    return 1;
}

/* The drugs of a label: UNIIs, RxCUIs (ingredient, else product), substance names. */
static size_t label_drugs(ol_state *st, const json_t *ofda, mdl_ref *drugs)
{
    mdl *m = st->m;
    size_t n = 0, i;
    const json_t *v;

    v = json_object_get(ofda, "unii");
    for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        mdl_keys k;
        mdl_ref d;
        memset(&k, 0, sizeof(k));
        k.unii = json_string_value(json_array_get(v, i));
        if (k.unii && mdl_drug_find(m, &k, &d) == MT_OK)
            add_drug(drugs, &n, mdl_drug_base(m, d));
    }
    v = json_object_get(ofda, "rxcui");
    for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));
        char *end;
        unsigned long r = s ? strtoul(s, &end, 10) : 0;
        mdl_keys k;
        mdl_ref d, p;
        if (!s || !*s || *end || !r || r > UINT32_MAX)
            continue;
        memset(&k, 0, sizeof(k));
        k.rxcui = (uint32_t)r;
        if (mdl_drug_find(m, &k, &d) == MT_OK)
            add_drug(drugs, &n, mdl_drug_base(m, d));
        else if (mdl_product_find_rxcui(m, (uint32_t)r, &p) == MT_OK) {
            const mdl_ref *ings;
            uint32_t c = pj_product_ings(&st->ix, p, &ings), j;
            for (j = 0; j < c; j++)
                add_drug(drugs, &n, ings[j]);
        }
    }
    if (n)
        return n;
    v = json_object_get(ofda, "substance_name");
    for (i = 0; json_is_array(v) && i < json_array_size(v); i++) {
        const char *s = json_string_value(json_array_get(v, i));
        mdl_ref d;
        if (s && mdl_drug_find_name(m, s, &d) == MT_OK)
            add_drug(drugs, &n, mdl_drug_base(m, d));
    }
    return n;
}

/* A field's paragraphs, joined by blank lines, into st->text. */
static int field_text(ol_state *st, const json_t *v)
{
    size_t i;
    int rc = MT_OK;
    mt_buf_reset(&st->text);
    if (json_is_string(v))
        rc = mt_buf_puts(&st->text, json_string_value(v));
    for (i = 0; json_is_array(v) && i < json_array_size(v) && rc == MT_OK; i++) {
        const char *s = json_string_value(json_array_get(v, i));
        if (!s)
            continue;
        while (*s == ' ' || *s == '\n')
            s++;
        if (!*s)
            continue;
        if (st->text.len)
            rc = mt_buf_puts(&st->text, "\n\n");
        if (rc == MT_OK)
            rc = mt_buf_puts(&st->text, s);
    }
    while (rc == MT_OK && st->text.len && (st->text.data[st->text.len - 1] == ' ' || st->text.data[st->text.len - 1] == '\n'))
        st->text.len--;
    if (rc == MT_OK)
        rc = mt_buf_append(&st->text, "", 0);
    return rc == MT_ELIMIT ? MT_OK : rc;     /* an overlong section is cut (rare) */
}

static int has_section(const json_t *label)
{
    size_t k;
    for (k = 0; k < NFIELDS; k++)
        if (json_object_get(label, FIELDS[k].field))
            return 1;
    return 0;
}

static int import_label(ol_state *st, const json_t *label, unsigned long line)
{
    mdl *m = st->m;
    mdl_source *src = &m->sources.items[st->ctx->src];
    const json_t *ofda = json_object_get(label, "openfda");
    const char *setid, *version, *eff, *brand, *generic;
    mdl_ref drugs[OL_MAX_DRUGS], doc;
    mdl_doc d;
    char date[11], setkey[64];
    size_t ndrugs, i, k;
    uint32_t have;
    int rc = MT_OK;

    if (!json_is_object(label))
        return mt_import_fail_path(st->ctx, st->path, line, MT_EFORMAT, "a result is not a JSON object");
    setid = first_str(label, "set_id");
    version = first_str(label, "version");
    eff = first_str(label, "effective_time");
    if (!setid || strlen(setid) < 8 || strlen(setid) >= sizeof(setkey))
        return mt_import_fail_path(st->ctx, st->path, line, MT_EFORMAT, "label without a set_id");
    src->rows++;
    st->results++;
    if (!has_section(label)) {
        st->empty++;
        return MT_OK;
    }
    ndrugs = json_is_object(ofda) ? label_drugs(st, ofda, drugs) : 0;
    if (!ndrugs) {
        st->unjoined++;
        src->unmatched++;
        return MT_OK;
    }
    date[0] = '\0';
    if (eff && strlen(eff) >= 8 && isdigit((unsigned char)eff[0]))
        snprintf(date, sizeof(date), "%.4s-%.2s-%.2s", eff, eff + 4, eff + 6);
    for (i = 0; setid[i]; i++)
        setkey[i] = (char)tolower((unsigned char)setid[i]);
    setkey[i] = '\0';
    if (mt_hmap_gets(&st->existing, setkey, &have) == MT_OK) {
        const mdl_doc *old = &m->docs.items[have];
        if (old->cite.source != st->ctx->src && strcmp(old->date ? old->date : "", date) >= 0) {
            st->superseded++;         /* an SPL XML label as new or newer */
            src->matched++;
            return MT_OK;
        }
    }
    src->matched++;
    st->kept++;

    brand = ofda ? first_str(ofda, "brand_name") : NULL;
    generic = ofda ? first_str(ofda, "generic_name") : NULL;
    mt_buf_reset(&st->title);
    if (brand && generic && strcasecmp(brand, generic) != 0)
        rc = mt_buf_printf(&st->title, "%.150s (%.150s)", brand, generic);
    else if (brand || generic)
        rc = mt_buf_printf(&st->title, "%.200s", brand ? brand : generic);
    else
        rc = mt_buf_printf(&st->title, "SPL %s", setid);
    if (rc != MT_OK)
        return rc;
    memset(&d, 0, sizeof(d));
    d.kind = MT_DOC_US_LABEL;
    d.jurisdiction = "US";
    d.title = st->title.data;
    d.date = date;
    d.doc_id = setkey;
    d.cite = version ? mdl_cite_make(m, st->ctx->src, "setid %s version %s (%s)", setkey, version, st->file)
                     : mdl_cite_make(m, st->ctx->src, "setid %s (%s)", setkey, st->file);
    if ((rc = mdl_doc_add(m, &d, &doc)) != MT_OK)
        return rc;
    for (i = 0; i < ndrugs && rc == MT_OK; i++)
        rc = mdl_doc_drug_add(m, doc, drugs[i]);
    for (k = 0; k < NFIELDS && rc == MT_OK; k++) {
        const json_t *v = json_object_get(label, FIELDS[k].field);
        if (!v)
            continue;
        if ((rc = field_text(st, v)) != MT_OK || !st->text.len)
            continue;
        rc = mdl_doc_section_add(m, doc, FIELDS[k].code, FIELDS[k].title, st->text.data);
        st->sections++;
    }
    return rc;
}

/* --- one file ---------------------------------------------------------------------- */

static int read_meta(ol_state *st, const json_t *meta)
{
    const char *u = json_is_object(meta) ? first_str(meta, "last_updated") : NULL;
    if (u && strlen(u) == 10 && strcmp(u, st->updated) > 0)
        snprintf(st->updated, sizeof(st->updated), "%s", u);
    return MT_OK;
}

static int import_results(ol_state *st)
{
    int c, rc = MT_OK;
    unsigned long line = st->s.line;
    unsigned long long byte = st->s.byte;

    js_get(st, &rc);                    /* '[' */
    c = js_skip_ws(st, &rc);
    if (rc != MT_OK)
        return rc;
    if (c == ']') {
        js_get(st, &rc);
        return rc;
    }
    for (;;) {
        unsigned long vline;
        unsigned long long vbyte;
        json_t *label;
        c = js_skip_ws(st, &rc);
        if (rc != MT_OK)
            return rc;
        if (c < 0)
            return truncated(st, "the results array", line, byte);
        vline = st->s.line;
        vbyte = st->s.byte;
        if ((rc = js_value(st)) != MT_OK)
            return rc;
        if (!(label = parse_value(st, vline, vbyte, &rc)))
            return rc;
        rc = import_label(st, label, vline);
        json_decref(label);
        if (rc != MT_OK)
            return rc;
        if (st->ctx->progress && st->results % 1000 == 0)
            st->ctx->progress(st->ctx->progress_user, st->file, st->results, 0);
        c = js_skip_ws(st, &rc);
        if (rc != MT_OK)
            return rc;
        if (c < 0)
            return truncated(st, "the results array", line, byte);
        js_get(st, &rc);
        if (c == ']')
            return rc;
        if (c != ',')
            return mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "expected ',' or ']' after a label in the results array (byte %llu)", st->s.byte);
    }
}

/* The file `name` of d, cited by what follows its last '/'. */
static int import_file(ol_state *st, const mt_src_dir *d, const char *name)
{
    int c, rc;
    char key[128];
    int seen_results = 0;

    mt_buf_reset(&st->pathbuf);
    if ((rc = mt_src_dir_path(d, name, &st->pathbuf)) != MT_OK)
        return rc;
    st->path = st->pathbuf.data;
    st->file = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
    st->s.line = 1;
    st->s.byte = 0;
    st->s.len = st->s.pos = 0;
    st->s.eof = 0;
    if ((rc = mt_src_open_at(&st->s.f, d, name, st->ctx->err)) != MT_OK)
        return rc;
    c = js_skip_ws(st, &rc);
    if (rc == MT_OK && c != '{')
        rc = c < 0 ? mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "empty file") :
             mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "not an openFDA download: it does not begin with '{' (byte %llu)", st->s.byte);
    if (rc == MT_OK)
        js_get(st, &rc);
    while (rc == MT_OK) {
        unsigned long vline;
        unsigned long long vbyte;
        c = js_skip_ws(st, &rc);
        if (rc != MT_OK)
            break;
        if (c < 0) {
            rc = truncated(st, "the top-level object", 1, 0);
            break;
        }
        if (c == '}') {
            js_get(st, &rc);
            break;
        }
        if ((rc = js_key(st, key, sizeof(key))) != MT_OK)
            break;
        c = js_skip_ws(st, &rc);
        if (rc == MT_OK && c != ':')
            rc = c < 0 ? truncated(st, "the top-level object", 1, 0) :
                 mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "expected ':' after \"%s\" (byte %llu)", key, st->s.byte);
        if (rc != MT_OK)
            break;
        js_get(st, &rc);
        c = js_skip_ws(st, &rc);
        if (rc != MT_OK)
            break;
        vline = st->s.line;
        vbyte = st->s.byte;
        if (strcmp(key, "results") == 0) {
            if (c != '[') {
                rc = mt_import_fail_path(st->ctx, st->path, vline, MT_EFORMAT, "\"results\" is not an array (byte %llu)", vbyte);
                break;
            }
            seen_results = 1;
            rc = import_results(st);
        } else {
            json_t *v;
            if ((rc = js_value(st)) != MT_OK || !(v = parse_value(st, vline, vbyte, &rc)))
                break;
            if (strcmp(key, "meta") == 0)
                rc = read_meta(st, v);
            json_decref(v);
        }
        if (rc != MT_OK)
            break;
        c = js_skip_ws(st, &rc);
        if (rc != MT_OK)
            break;
        if (c == ',') {
            js_get(st, &rc);
            continue;
        }
        if (c != '}')
            rc = c < 0 ? truncated(st, "the top-level object", 1, 0) :
                 mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "expected ',' or '}' in the top-level object (byte %llu)", st->s.byte);
    }
    if (rc == MT_OK) {
        c = js_skip_ws(st, &rc);
        if (rc == MT_OK && c >= 0)
            rc = mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "text after the end of the JSON object (byte %llu)", st->s.byte);
    }
    if (rc == MT_OK && !seen_results)
        rc = mt_import_fail_path(st->ctx, st->path, st->s.line, MT_EFORMAT, "no \"results\" array: not an openFDA download");
    mt_src_close(&st->s.f);
    return rc;
}

/* --- the importer ------------------------------------------------------------------- */

static int has_json_suffix(const char *name)
{
    size_t n = strlen(name);
    return (n > 5 && strcasecmp(name + n - 5, ".json") == 0) || (n > 8 && strcasecmp(name + n - 8, ".json.gz") == 0);
}

/* A folder's .json files, read in turn. */
static int visit_files(void *user, const mt_src_dir *d, const char *const *names, size_t n)
{
    ol_state *st = user;
    size_t i;
    int rc = MT_OK;
    for (i = 0; i < n && rc == MT_OK; i++) {
        if (++st->nfiles > OL_MAX_FILES) {
            mt_buf_printf(st->ctx->err, "%s: more than %d .json files", st->ctx->dir, OL_MAX_FILES);
            return MT_ELIMIT;
        }
        rc = import_file(st, d, names[i]);
    }
    return rc;
}

/* Set ids of the labels already in the model (the SPL XML ones). */
static int index_existing(ol_state *st)
{
    uint32_t i;
    int rc = MT_OK;
    for (i = 0; i < st->m->docs.count && rc == MT_OK; i++) {
        const mdl_doc *d = &st->m->docs.items[i];
        char key[64];
        size_t k;
        uint32_t old;
        if (d->kind != MT_DOC_US_LABEL || !d->doc_id || strlen(d->doc_id) >= sizeof(key))
            continue;
        for (k = 0; d->doc_id[k]; k++)
            key[k] = (char)tolower((unsigned char)d->doc_id[k]);
        key[k] = '\0';
        if (mt_hmap_gets(&st->existing, key, &old) == MT_OK &&
            strcmp(st->m->docs.items[old].date ? st->m->docs.items[old].date : "", d->date ? d->date : "") >= 0)
            continue;
        {
            const char *kk = mt_arena_strdup(&st->arena, key);
            if (!kk)
                return MT_ENOMEM;
            rc = mt_hmap_puts(&st->existing, kk, i);
        }
    }
    return rc;
}

int mt_import_openfda_label(mt_import_ctx *ctx)
{
    ol_state st;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    st.m = ctx->m;
    mt_buf_init(&st.pathbuf, 64 * 1024);
    mt_buf_init(&st.value, OL_VALUE_MAX);
    mt_buf_init(&st.text, OL_TEXT_MAX);
    mt_buf_init(&st.title, 1024);
    mt_hmap_init(&st.existing);
    mt_arena_init(&st.arena, 64 * 1024, 0);
    st.s.chunk = mt_malloc(OL_CHUNK);
    if (!st.s.chunk) {
        rc = MT_ENOMEM;
        goto done;
    }
    if ((rc = pj_index_build(&st.ix, ctx->m)) != MT_OK || (rc = index_existing(&st)) != MT_OK)
        goto done;
    rc = mt_src_walk(ctx->dir, 0, MT_SRC_WALK_ZIPS | MT_SRC_WALK_INNER, has_json_suffix, visit_files, &st, ctx->err);
    if (rc == MT_OK && !st.nfiles) {
        mt_buf_printf(ctx->err, "%s: no .json file", ctx->dir);
        rc = MT_ENOTFOUND;
    }
    if (rc == MT_OK && st.updated[0] && !ctx->m->sources.items[ctx->src].edition) {
        char ed[96];
        snprintf(ed, sizeof(ed), "openFDA drug label download, last updated %s", st.updated);
        if (!(ctx->m->sources.items[ctx->src].edition = mt_arena_strdup(&ctx->m->arena, ed)))
            rc = MT_ENOMEM;
    }
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "openfda-label: %lu labels in %zu files: %lu kept (%lu sections), %lu joined no "
                      "drug, %lu had no section Materia shows, %lu already given as SPL XML of the same or a "
                      "later date\n", st.results, st.nfiles, st.kept, st.sections, st.unjoined, st.empty, st.superseded);
done:
    mt_buf_free(&st.pathbuf);
    mt_free(st.s.chunk);
    pj_index_free(&st.ix);
    mt_buf_free(&st.value);
    mt_buf_free(&st.text);
    mt_buf_free(&st.title);
    mt_hmap_free(&st.existing);
    mt_arena_free(&st.arena);
    return rc;
}
