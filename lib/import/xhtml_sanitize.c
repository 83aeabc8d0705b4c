/*
** xhtml_sanitize.c — allow-list sanitising and plain-text extraction of
** (X)HTML fragments through libxml2's HTML parser (xhtml_sanitize.h).
**
** The parsed tree is walked without recursion (parent/next pointers), so a
** deeply nested input cannot exhaust the stack. libxml2 allocates its tree
** with its own allocator; everything this module keeps goes through mt_buf.
*/
#include "import/xhtml_sanitize.h"

#include <limits.h>
#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "materia/status.h"
#include "util/text.h"

#define SANITIZE_MAX_INPUT (256u * 1024 * 1024)

typedef enum { EL_UNWRAP, EL_KEEP, EL_DROP } el_action;

typedef struct writer {
    mt_buf *out;
    int     text_mode;       /* 1: plain text, 0: sanitised XHTML */
    int     pending_space;   /* text mode: white space seen since the last character */
    int     pending_newline; /* text mode: a block ended since the last character */
    size_t  text_chars;
    int     rc;
} writer;

static const char *const kept_tags[] = {
    "p", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "b", "strong", "i", "em", "br", "sub", "sup"
};
static const char *const dropped_tags[] = {
    "script", "style", "head", "template", "iframe", "object", "embed", "noscript",
    "svg", "math", "select", "textarea", "applet", "frameset", "frame", "audio", "video", "canvas"
};
/* Elements that end a line in plain text and around which white space is insignificant. */
static const char *const block_tags[] = {
    "p", "div", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "br",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "section", "article",
    "header", "footer", "dl", "dt", "dd", "caption", "hr", "body", "html", "center", "address"
};

static int in_list(const char *name, const char *const *list, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (strcmp(name, list[i]) == 0)
            return 1;
    return 0;
}

#define IN_LIST(name, list) in_list((name), (list), sizeof(list) / sizeof((list)[0]))

static int is_heading(const char *name)
{
    return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0';
}

static el_action classify(const xmlNode *n)
{
    const char *name = (const char *)n->name;
    if (IN_LIST(name, dropped_tags))
        return EL_DROP;
    if (IN_LIST(name, kept_tags) || is_heading(name))
        return EL_KEEP;
    return EL_UNWRAP;
}

static int is_block(const xmlNode *n)
{
    return n && n->type == XML_ELEMENT_NODE && IN_LIST((const char *)n->name, block_tags);
}

static void put(writer *w, const char *s, size_t len)
{
    if (w->rc == MT_OK)
        w->rc = mt_buf_append(w->out, s, len);
}

static void puts_w(writer *w, const char *s)
{
    put(w, s, strlen(s));
}

/* Text-mode separators are written lazily, just before the next character. */
static void flush_separators(writer *w)
{
    if (!w->text_mode)
        return;
    if (w->pending_newline && w->out->len)
        put(w, "\n", 1);
    else if (w->pending_space && w->out->len && w->out->data[w->out->len - 1] != '\n')
        put(w, " ", 1);
    w->pending_newline = w->pending_space = 0;
}

static int is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Length of the UTF-8 sequence at s if it is valid, else 0. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t want = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3 :
                  (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (!want || want > n || !mt_utf8_valid((const char *)s, want))
        return 0;
    return want;
}

static void emit_text(writer *w, const char *text)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t n = strlen(text), i = 0;

    while (i < n && w->rc == MT_OK) {
        size_t len;
        if (is_space(s[i])) {
            while (i < n && is_space(s[i]))
                i++;
            if (w->text_mode)
                w->pending_space = 1;
            else
                put(w, " ", 1);
            continue;
        }
        flush_separators(w);
        len = utf8_len(s + i, n - i);
        if (!len) {
            put(w, "\xEF\xBF\xBD", 3);      /* U+FFFD for a byte that is not UTF-8 */
            len = 1;
        } else if (!w->text_mode && s[i] == '&')
            puts_w(w, "&amp;");
        else if (!w->text_mode && s[i] == '<')
            puts_w(w, "&lt;");
        else if (!w->text_mode && s[i] == '>')
            puts_w(w, "&gt;");
        else if (s[i] == 0x7F || (s[i] < 0x20))
            put(w, " ", 1);                  /* control characters have no place in text */
        else
            put(w, (const char *)s + i, len);
        w->text_chars++;
        i += len;
    }
}

static int only_space(const char *s)
{
    for (; *s; s++)
        if (!is_space((unsigned char)*s))
            return 0;
    return 1;
}

static int only_space_n(const char *s, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++)
        if (!is_space((unsigned char)s[i]))
            return 0;
    return 1;
}

/* White space next to a block element (or alone in one) is layout, not text. */
static int insignificant_space(const xmlNode *n)
{
    const xmlNode *prev = n->prev, *next = n->next;
    if (!n->content || !only_space((const char *)n->content))
        return 0;
    return is_block(prev) || is_block(next) || (!prev && is_block(n->parent)) ||
           (!next && is_block(n->parent));
}

static const char *out_name(const xmlNode *n, char buf[3])
{
    const char *name = (const char *)n->name;
    if (is_heading(name)) {
        int level = name[1] - '0' + 2;
        buf[0] = 'h';
        buf[1] = (char)('0' + (level > 6 ? 6 : level));
        buf[2] = '\0';
        return buf;
    }
    return name;
}

/* colspan/rowspan with a plain number 1..999, the only attributes kept. */
static void emit_span_attrs(writer *w, const xmlNode *n)
{
    const xmlAttr *a;
    if (strcmp((const char *)n->name, "td") != 0 && strcmp((const char *)n->name, "th") != 0)
        return;
    for (a = n->properties; a; a = a->next) {
        const char *an = (const char *)a->name;
        const xmlNode *v = a->children;
        const char *val;
        size_t len, i;
        if (strcmp(an, "colspan") != 0 && strcmp(an, "rowspan") != 0)
            continue;
        if (!v || v->type != XML_TEXT_NODE || v->next || !v->content)
            continue;
        val = (const char *)v->content;
        len = strlen(val);
        if (len == 0 || len > 3 || val[0] == '0')
            continue;
        for (i = 0; i < len; i++)
            if (val[i] < '0' || val[i] > '9')
                break;
        if (i < len)
            continue;
        puts_w(w, " ");
        puts_w(w, an);
        puts_w(w, "=\"");
        puts_w(w, val);
        puts_w(w, "\"");
    }
}

static void open_el(writer *w, const xmlNode *n)
{
    char hb[3];
    const char *name = out_name(n, hb);
    if (w->text_mode) {
        if (is_block(n))
            w->pending_newline = 1;
        return;
    }
    puts_w(w, "<");
    puts_w(w, name);
    emit_span_attrs(w, n);
    puts_w(w, strcmp(name, "br") == 0 ? "/>" : ">");
}

static void close_el(writer *w, const xmlNode *n, el_action act)
{
    char hb[3];
    const char *name;
    if (w->text_mode) {
        if (is_block(n))
            w->pending_newline = 1;
        else if (strcmp((const char *)n->name, "td") == 0 || strcmp((const char *)n->name, "th") == 0)
            w->pending_space = 1;
        return;
    }
    if (act != EL_KEEP)
        return;
    name = out_name(n, hb);
    if (strcmp(name, "br") == 0)
        return;
    puts_w(w, "</");
    puts_w(w, name);
    puts_w(w, ">");
}

static void walk(writer *w, xmlNode *root)
{
    xmlNode *n = root->children;

    while (n && w->rc == MT_OK) {
        int descend = 0;
        if (n->type == XML_ELEMENT_NODE) {
            el_action act = classify(n);
            if (act != EL_DROP) {
                if (act == EL_KEEP || w->text_mode)
                    open_el(w, n);
                if (n->children)
                    descend = 1;
                else
                    close_el(w, n, act);
            }
        } else if ((n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) && n->content) {
            if (!insignificant_space(n))
                emit_text(w, (const char *)n->content);
        }
        if (descend) {
            n = n->children;
            continue;
        }
        /* Up until a node with a next sibling, closing the elements left. */
        while (n && n != root && !n->next) {
            n = n->parent;
            if (n && n != root)
                close_el(w, n, classify(n));
        }
        if (!n || n == root)
            break;
        n = n->next;
    }
}

static int run(const char *in, size_t len, mt_buf *out, int text_mode, size_t *text_chars)
{
    htmlParserCtxtPtr ctxt = NULL;
    htmlDocPtr doc = NULL;
    xmlNode *root;
    writer w;
    int rc = MT_OK;

    if (text_chars)
        *text_chars = 0;
    if (len > SANITIZE_MAX_INPUT || len > INT_MAX)
        return MT_ELIMIT;
    if (len == 0 || only_space_n(in, len))
        return MT_OK;
    ctxt = htmlNewParserCtxt();
    if (!ctxt)
        return MT_ENOMEM;
    doc = htmlCtxtReadMemory(ctxt, in, (int)len, NULL, "UTF-8",
                             HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
    /* The HTML parser recovers from nearly anything; when it halts (nesting
    ** deeper than libxml2's limit, out of memory) the tree is cut short, and
    ** a silently shortened text must not pass for the source's. */
    if (!doc || ctxt->disableSAX) {
        rc = MT_EFORMAT;
        goto done;
    }
    root = xmlDocGetRootElement(doc);
    if (!root)
        goto done;
    memset(&w, 0, sizeof(w));
    w.out = out;
    w.text_mode = text_mode;
    w.rc = MT_OK;
    /* The root (html) itself is never written: walk its children. */
    walk(&w, root);
    rc = w.rc;
    if (text_chars)
        *text_chars = w.text_chars;
done:
    if (doc)
        xmlFreeDoc(doc);
    htmlFreeParserCtxt(ctxt);
    return rc;
}

int mt_xhtml_sanitize(const char *in, size_t len, mt_buf *out, size_t *text_chars)
{
    return run(in, len, out, 0, text_chars);
}

int mt_xhtml_text(const char *in, size_t len, mt_buf *out)
{
    return run(in, len, out, 1, NULL);
}
