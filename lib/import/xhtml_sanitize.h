/*
** xhtml_sanitize.h — reduces an (X)HTML fragment from a source to the small
** allow-list of tags Materia stores and shows, or to plain text.
**
** The fragment is parsed with libxml2's HTML parser (lenient with broken
** markup, decodes every named and numeric entity, never touches the
** network), then written back out:
**   kept:     p ul ol li table thead tbody tfoot tr th td b strong i em br sub sup
**   demoted:  h1..h6 become h3..h6 (the section title is the page's heading)
**   attributes: none, except colspan/rowspan (1..999) on th/td
**   dropped with their content: script style head template iframe object
**             embed noscript svg math select textarea, comments, processing
**             instructions
**   everything else (div, span, a, font, pre, ...): the tag is dropped and
**             its text kept
** Text is re-escaped (& < >), runs of white space become one space, and
** invalid UTF-8 is replaced by U+FFFD, so the output is a well-formed XHTML
** fragment in UTF-8 that contains no script, no event handler and no link.
*/
#ifndef MT_XHTML_SANITIZE_H
#define MT_XHTML_SANITIZE_H

#include <stddef.h>

#include "util/buf.h"

/* Appends the sanitised form of in[0..len) to out. *text_chars (may be NULL)
** receives the number of visible non-space characters written, so that a
** caller can tell an empty section from one with a body. Returns MT_OK,
** MT_EFORMAT (the parser gave up), MT_ENOMEM, or MT_ELIMIT (out is full, or
** the input is larger than 256 MiB). */
int mt_xhtml_sanitize(const char *in, size_t len, mt_buf *out, size_t *text_chars);

/* Appends the plain text of in[0..len) to out: block elements (p, li, tr,
** headings, div, br) end a line, other white space is collapsed. Same
** return codes. */
int mt_xhtml_text(const char *in, size_t len, mt_buf *out);

#endif /* MT_XHTML_SANITIZE_H */
