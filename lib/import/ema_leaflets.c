/*
** ema_leaflets.c — importer of the EMA package leaflets in English
** (ema-epi-leaflets/leaflets-en.jsonl): one JSON object a line,
** {"product", "eu_number", "language", "sections": [{"title", "html"}]}.
**
** Each line becomes an mdl_doc (MT_DOC_EU_LEAFLET, jurisdiction "EU", no
** date: the derived file carries none) titled with the product name, with
** its sections that have a body, as XHTML reduced to the allow-list of
** xhtml_sanitize.h. The numbered leaflet sections keep their number as the
** section code ("4" = "4. Possible side effects"); the leaflet's own table
** of contents and the "unavailable" placeholder are not kept.
**
** The active substance is not a field: it is parsed from section 6 ("The
** active substance is X", "The active substances of Corbilta are X, Y and
** Z"), else from section 1 ("Viekirax contains the active substances X, Y
** and Z"), and each name is joined with mdl_drug_find_name (which also tries
** the name without its salt words), then the name without a parenthesis,
** then the parenthesis alone. A leaflet none of whose substances joins is
** counted unmatched and kept, without drugs.
*/
#include <ctype.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "import/import.h"
#include "import/xhtml_sanitize.h"
#include "source/srcfile.h"
#include "util/alloc.h"

#define EMA_FILE      "leaflets-en.jsonl"
#define SECTION_MAX   (8u * 1024 * 1024)
#define MAX_SUBST     16

typedef struct ema_state {
    mt_import_ctx *ctx;
    mt_srcfile     f;
    mt_buf         html, text, s6, s1, title;
    mt_buf         brand_only;     /* titles joined by brand only, for the note */
    uint32_t       docs, sections, joined, unjoined, by_brand;
} ema_state;

/* For error messages: the file being read (its name until it is open). */
static const char *st_path(const ema_state *st)
{
    return st->f.path ? st->f.path : EMA_FILE;
}

/* "spravato" -> "Spravato", "topotecan hospira" -> "Topotecan Hospira". */
static int capitalise(const char *in, mt_buf *out)
{
    size_t i;
    int rc = MT_OK, start = 1;
    mt_buf_reset(out);
    for (i = 0; in[i] && rc == MT_OK; i++) {
        char c = in[i];
        if (start && c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        start = c == ' ' || c == '-';
        rc = mt_buf_putc(out, c);
    }
    return rc;
}

/* The EU product number "EU/1/19/1410" inside "EU/1/19/1410/001 (1 spray container)"
** or "30 tablets: EU/1/09/580/001". */
static int eu_number(const char *s, char *out, size_t outsz)
{
    const char *p;
    for (p = s ? strstr(s, "EU/") : NULL; p; p = strstr(p + 1, "EU/")) {
        const char *q = p + 3;
        int seg, ok = 1;
        for (seg = 0; seg < 3 && ok; seg++) {
            const char *start = q;
            while (isdigit((unsigned char)*q))
                q++;
            if (q == start || (seg < 2 && *q != '/'))
                ok = 0;
            else if (seg < 2)
                q++;
        }
        if (ok && (size_t)(q - p) < outsz) {
            memcpy(out, p, (size_t)(q - p));
            out[q - p] = '\0';
            return 1;
        }
    }
    return 0;
}

/* The section title with the lower-case product name of the derived file
** replaced by the capitalised title ("1. What spravato is" -> "1. What Spravato is"). */
static int section_title(const char *title, const char *product, const char *cap, mt_buf *out)
{
    size_t plen = strlen(product);
    const char *p = title;
    int rc = MT_OK;
    mt_buf_reset(out);
    while (*p && rc == MT_OK) {
        if (plen && strncmp(p, product, plen) == 0 && (p == title || !isalnum((unsigned char)p[-1])) &&
            !isalnum((unsigned char)p[plen])) {
            rc = mt_buf_puts(out, cap);
            p += plen;
        } else
            rc = mt_buf_putc(out, *p++);
    }
    return rc;
}

static const char *ci_find(const char *hay, const char *needle)
{
    size_t n = strlen(needle);
    for (; *hay; hay++)
        if (strncasecmp(hay, needle, n) == 0)
            return hay;
    return NULL;
}

/* The end of a sentence starting at s: a '.' not inside a number, ';', ':',
** '*' (a footnote mark) or a new line. */
static const char *sentence_end(const char *s)
{
    const char *p;
    for (p = s; *p; p++) {
        if (*p == '\n' || *p == ';' || *p == ':' || *p == '*')
            return p;
        if (*p == '.' && !(p > s && isdigit((unsigned char)p[-1]) && isdigit((unsigned char)p[1])))
            return p;
    }
    return p;
}

/* " is" / " are" followed by a space or ':' within the next 60 characters
** of q ("substance is", "substances of Corbilta are", "substance is: X"). */
static const char *verb_after(const char *q)
{
    const char *p;
    for (p = q; *p && p - q <= 60 && *p != '.' && *p != '\n'; p++) {
        if (!strncmp(p, " is", 3) && (p[3] == ' ' || p[3] == ':'))
            return p + 3;
        if (!strncmp(p, " are", 4) && (p[4] == ' ' || p[4] == ':'))
            return p + 4;
    }
    return NULL;
}

/* Finds the list of active substances in a plain text; copies it to out. */
static int substance_list(const char *text, char *out, size_t outsz)
{
    static const char *const phrases[] = { "active substance", "active ingredient" };
    size_t k;
    for (k = 0; k < 2; k++) {
        const char *p = text;
        while ((p = ci_find(p, phrases[k])) != NULL) {
            const char *q = p + strlen(phrases[k]), *v, *end;
            size_t len;
            if (*q == 's')
                q++;
            else if (strncmp(q, "(s)", 3) == 0)
                q += 3;
            if ((v = verb_after(q)) != NULL)
                q = v;
            else if (*q != ' ') {         /* "substances:" and the like: not a list */
                p = q;
                continue;
            }
            while (*q == ' ' || *q == ':')
                q++;
            if (strncasecmp(q, "called ", 7) == 0)
                q += 7;
            end = sentence_end(q);
            len = (size_t)(end - q);
            if (len == 0 || len >= outsz) {
                p = q;
                continue;
            }
            memcpy(out, q, len);
            out[len] = '\0';
            return 1;
        }
    }
    return 0;
}

static void trim(char *s)
{
    size_t n = strlen(s), i = 0;
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

/* Cuts a substance name at words that start the description of a dose or a
** definition: "doravirine 100 mg" -> "doravirine". */
static void cut_tail(char *s)
{
    static const char *const stops[] = { " which ", " that ", " corresponding", " equivalent", " per ", " in each" };
    char *p;
    size_t i;
    /* "30 mg of iron as ferric maltol": a leading dose is dropped with its "of". */
    if (isdigit((unsigned char)s[0]) && (p = strstr(s, " of ")) != NULL)
        memmove(s, p + 4, strlen(p + 4) + 1);
    for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++)
        if ((p = strstr(s, stops[i])) != NULL)
            *p = '\0';
    for (p = s; *p; p++)
        if (isdigit((unsigned char)*p) && (p == s || p[-1] == ' ')) {
            *p = '\0';
            break;
        }
    trim(s);
}

/* Splits "levodopa, carbidopa and entacapone" into names. */
static size_t split_list(char *list, char **names, size_t max)
{
    size_t n = 0;
    char *p = list;
    while (*p && n < max) {
        char *comma = strstr(p, ", "), *and = strstr(p, " and "), *cut = NULL;
        size_t skip = 0;
        if (comma && (!and || comma < and)) {
            cut = comma;
            skip = 2;
        } else if (and) {
            cut = and;
            skip = 5;
        }
        if (cut)
            *cut = '\0';
        trim(p);
        if (*p)
            names[n++] = p;
        if (!cut)
            break;
        p = cut + skip;
    }
    return n;
}

/* Joins one substance name: as written, without a parenthesis, then the
** parenthesis alone ("factor VIII (damoctocog alfa pegol)"). */
static int join_plain(const mdl *m, const char *name, mdl_ref *out)
{
    static const char *const qualifiers[] = { "liposome ", "liposomal ", "encapsulated ", "pegylated ",
                                              "recombinant ", "human ", "purified " };
    const char *as = strstr(name, " as "), *p = name;
    char before[256];
    size_t i;
    if (mdl_drug_find_name(m, name, out) == MT_OK)
        return MT_OK;
    /* "iron as ferric maltol": the compound, then the element. */
    if (as && mdl_drug_find_name(m, as + 4, out) == MT_OK)
        return MT_OK;
    if (as && (size_t)(as - name) < sizeof(before)) {
        memcpy(before, name, (size_t)(as - name));
        before[as - name] = '\0';
        if (mdl_drug_find_name(m, before, out) == MT_OK)
            return MT_OK;
    }
    /* "liposome encapsulated doxorubicin" -> "doxorubicin" */
    for (i = 0; i < sizeof(qualifiers) / sizeof(qualifiers[0]); i++) {
        size_t ql = strlen(qualifiers[i]);
        if (strncasecmp(p, qualifiers[i], ql) == 0) {
            p += ql;
            i = (size_t)-1;              /* start over: qualifiers come in any order */
        }
    }
    if (p != name && *p && mdl_drug_find_name(m, p, out) == MT_OK)
        return MT_OK;
    return MT_ENOTFOUND;
}

static int join_name(const mdl *m, const char *name, mdl_ref *out)
{
    char bare[256], inner[256];
    const char *open = strchr(name, '('), *close;
    size_t i, o = 0, depth = 0;

    if (join_plain(m, name, out) == MT_OK)
        return MT_OK;
    if (!open)
        return MT_ENOTFOUND;
    for (i = 0; name[i] && o + 1 < sizeof(bare); i++) {
        if (name[i] == '(')
            depth++;
        else if (name[i] == ')' && depth)
            depth--;
        else if (!depth)
            bare[o++] = name[i];
    }
    bare[o] = '\0';
    cut_tail(bare);
    if (*bare && join_plain(m, bare, out) == MT_OK)
        return MT_OK;
    close = strchr(open, ')');
    if (close && (size_t)(close - open - 1) < sizeof(inner)) {
        memcpy(inner, open + 1, (size_t)(close - open - 1));
        inner[close - open - 1] = '\0';
        trim(inner);
        if (strncmp(inner, "as ", 3) != 0 && *inner && mdl_drug_find_name(m, inner, out) == MT_OK)
            return MT_OK;
    }
    return MT_ENOTFOUND;
}

/* Links the doc to the drugs named in a substance list; returns how many joined. */
static int link_substances(ema_state *st, mdl_ref doc, const char *text, uint32_t *joined)
{
    mdl *m = st->ctx->m;
    char list[1024];
    char *names[MAX_SUBST];
    size_t n, i;
    int rc = MT_OK;

    *joined = 0;
    if (!substance_list(text, list, sizeof(list)))
        return MT_OK;
    n = split_list(list, names, MAX_SUBST);
    for (i = 0; i < n && rc == MT_OK; i++) {
        mdl_ref drug;
        char name[256];
        snprintf(name, sizeof(name), "%s", names[i]);
        if (!strchr(name, '('))
            cut_tail(name);
        if (*name && join_name(m, name, &drug) == MT_OK) {
            rc = mdl_doc_drug_add(m, doc, mdl_drug_base(m, drug));
            (*joined)++;
        }
    }
    return rc;
}

static const char *json_str(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

static int import_line(ema_state *st, const char *line, size_t len)
{
    mt_import_ctx *ctx = st->ctx;
    mdl *m = ctx->m;
    json_error_t jerr;
    json_t *root = NULL, *sections;
    const char *product, *eu;
    char euno[64];
    mdl_doc doc;
    mdl_ref dref;
    size_t i;
    uint32_t joined = 0;
    int rc = MT_OK;

    root = mt_import_parse_json(line, len, &jerr, &rc);
    if (!root) {
        if (rc == MT_EFORMAT)
            rc = mt_import_fail_path(st->ctx, st_path(st), st->f.line, MT_EFORMAT, "invalid JSON at column %d: %s", jerr.column, jerr.text);
        goto done;
    }
    product = json_str(root, "product");
    sections = json_object_get(root, "sections");
    if (!json_is_object(root) || !product || !*product || !json_is_array(sections)) {
        rc = mt_import_fail_path(st->ctx, st_path(st), st->f.line, MT_EFORMAT, "expected an object with \"product\" and a \"sections\" array");
        goto done;
    }
    m->sources.items[ctx->src].rows++;
    eu = json_str(root, "eu_number");
    if (!eu_number(eu, euno, sizeof(euno)))
        euno[0] = '\0';
    if ((rc = capitalise(product, &st->title)) != MT_OK)
        goto done;
    memset(&doc, 0, sizeof(doc));
    doc.kind = MT_DOC_EU_LEAFLET;
    doc.title = mt_buf_str(&st->title);
    doc.jurisdiction = "EU";
    doc.doc_id = euno;
    doc.cite = euno[0] ? mdl_cite_make(m, ctx->src, "%s line %lu (%s)", EMA_FILE, st->f.line, euno)
                       : mdl_cite_make(m, ctx->src, "%s line %lu (%s)", EMA_FILE, st->f.line, product);
    if ((rc = mdl_doc_add(m, &doc, &dref)) != MT_OK)
        goto done;
    st->docs++;
    mt_buf_reset(&st->s1);
    mt_buf_reset(&st->s6);
    for (i = 0; i < json_array_size(sections); i++) {
        json_t *sec = json_array_get(sections, i);
        const char *title = json_str(sec, "title"), *html = json_str(sec, "html");
        char code[4] = "";
        size_t chars = 0;
        if (!title || !html) {
            rc = mt_import_fail_path(st->ctx, st_path(st), st->f.line, MT_EFORMAT, "section %zu has no \"title\" or \"html\" string", i + 1);
            goto done;
        }
        if (strcasecmp(title, "What is in this leaflet") == 0)
            continue;                   /* the leaflet's own table of contents */
        mt_buf_reset(&st->html);
        rc = mt_xhtml_sanitize(html, strlen(html), &st->html, &chars);
        if (rc == MT_ELIMIT || rc == MT_EFORMAT) {
            rc = mt_import_fail_path(st->ctx, st_path(st), st->f.line, rc, "section \"%s\": %s", title,
                      rc == MT_ELIMIT ? "too large" : "markup the HTML parser cannot read");
            goto done;
        }
        if (rc != MT_OK)
            goto done;
        if (!chars || strcmp(mt_buf_str(&st->html), "unavailable") == 0)
            continue;
        if (isdigit((unsigned char)title[0]) && title[1] == '.') {
            code[0] = title[0];
            code[1] = '\0';
        }
        if ((rc = section_title(title, product, mt_buf_str(&st->title), &st->text)) != MT_OK ||
            (rc = mdl_doc_section_add(m, dref, code[0] ? code : NULL, mt_buf_str(&st->text),
                                      mt_buf_str(&st->html))) != MT_OK)
            goto done;
        st->sections++;
        if (code[0] == '6' || code[0] == '1') {
            mt_buf *dst = code[0] == '6' ? &st->s6 : &st->s1;
            if ((rc = mt_xhtml_text(html, strlen(html), dst)) != MT_OK) {
                if (rc != MT_ENOMEM)
                    rc = mt_import_fail_path(st->ctx, st_path(st), st->f.line, rc, "section \"%s\": cannot extract its text", title);
                goto done;
            }
        }
    }
    rc = link_substances(st, dref, mt_buf_str(&st->s6), &joined);
    if (rc == MT_OK && !joined)
        rc = link_substances(st, dref, mt_buf_str(&st->s1), &joined);
    if (rc == MT_OK && !joined) {
        /* Last resort: the brand, when the vocabulary knows it (RxNorm BN names). */
        mdl_ref drug;
        if (mdl_drug_find_name(m, product, &drug) == MT_OK) {
            rc = mdl_doc_drug_add(m, dref, mdl_drug_base(m, drug));
            joined = 1;
            st->by_brand++;
            /* Named in the note so that a wrong brand join can be seen; bounded. */
            if (st->brand_only.len < 2000)
                mt_buf_printf(&st->brand_only, "%s%s -> %s", st->brand_only.len ? ", " : "",
                              mt_buf_str(&st->title), m->drugs.items[mdl_drug_base(m, drug)].name);
        }
    }
    if (joined) {
        m->sources.items[ctx->src].matched++;
        st->joined++;
    } else {
        m->sources.items[ctx->src].unmatched++;
        st->unjoined++;
    }
done:
    json_decref(root);
    return rc;
}

int mt_import_ema_leaflets(mt_import_ctx *ctx)
{
    ema_state st;
    char *line;
    size_t len;
    int rc;

    memset(&st, 0, sizeof(st));
    st.ctx = ctx;
    mt_buf_init(&st.html, SECTION_MAX);
    mt_buf_init(&st.text, SECTION_MAX);
    mt_buf_init(&st.s6, SECTION_MAX);
    mt_buf_init(&st.s1, SECTION_MAX);
    mt_buf_init(&st.title, 4096);
    mt_buf_init(&st.brand_only, 4096);
    rc = mt_src_open(&st.f, ctx->dir, EMA_FILE, ctx->err);
    if (rc != MT_OK)
        goto done;
    while ((rc = mt_src_getline(&st.f, &line, &len)) == MT_OK) {
        if (len == 0)
            continue;
        rc = import_line(&st, line, len);
        if (rc != MT_OK)
            goto done;
    }
    if (rc == MT_ENOTFOUND)
        rc = MT_OK;
    if (rc == MT_OK && ctx->warn)
        mt_buf_printf(ctx->warn, "ema-epi: %u leaflets, %u sections; active substance joined for %u "
                      "(%u by brand only: %s), not joined %u\n",
                      st.docs, st.sections, st.joined, st.by_brand, mt_buf_str(&st.brand_only), st.unjoined);
done:
    mt_src_close(&st.f);
    mt_buf_free(&st.html);
    mt_buf_free(&st.text);
    mt_buf_free(&st.s6);
    mt_buf_free(&st.s1);
    mt_buf_free(&st.title);
    mt_buf_free(&st.brand_only);
    return rc;
}
