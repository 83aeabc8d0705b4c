/*
** fuzz_xhtml_sanitize.c — libFuzzer target for lib/import/xhtml_sanitize.c.
** Checks, besides memory safety, the sanitiser's promises: the output is
** valid UTF-8, parses as well-formed XML once wrapped in an element, and has
** no element or attribute outside the allow-list.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "import/xhtml_sanitize.h"
#include "materia/status.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const allowed[] = {
    "x", "p", "ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "th", "td",
    "b", "strong", "i", "em", "br", "sub", "sup", "h3", "h4", "h5", "h6"
};

static void check_tree(xmlNode *n)
{
    for (; n; n = n->next) {
        size_t i, ok = 0;
        xmlAttr *a;
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (i = 0; i < sizeof(allowed) / sizeof(allowed[0]); i++)
            if (strcmp((const char *)n->name, allowed[i]) == 0)
                ok = 1;
        if (!ok)
            abort();
        for (a = n->properties; a; a = a->next)
            if (strcmp((const char *)a->name, "colspan") != 0 && strcmp((const char *)a->name, "rowspan") != 0)
                abort();
        check_tree(n->children);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    mt_buf out, wrapped;
    int rc;

    mt_buf_init(&out, 1u << 24);
    mt_buf_init(&wrapped, 1u << 25);
    rc = mt_xhtml_sanitize((const char *)data, size, &out, NULL);
    if (rc == MT_OK && out.len) {
        xmlDocPtr doc;
        if (!mt_utf8_valid(out.data, out.len))
            abort();
        mt_buf_puts(&wrapped, "<x>");
        mt_buf_append(&wrapped, out.data, out.len);
        mt_buf_puts(&wrapped, "</x>");
        doc = xmlReadMemory(wrapped.data, (int)wrapped.len, NULL, "UTF-8",
                            XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
        if (!doc)
            abort();
        check_tree(xmlDocGetRootElement(doc));
        xmlFreeDoc(doc);
    }
    mt_buf_reset(&out);
    (void)mt_xhtml_text((const char *)data, size, &out);
    mt_buf_free(&out);
    mt_buf_free(&wrapped);
    return 0;
}
