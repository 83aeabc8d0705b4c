/*
** pill_svg.c — a drawing of a pill (mt_pill_svg): its SPL shape, its SPL
** colours (the hex values of the codes table; a two-tone pill is split
** into vertical bands, which for a capsule are its two halves), its score
** lines and its imprint. No photograph: a schematic that helps a person
** compare, labelled with a <title> for screen readers.
**
** Every text that comes from the knowledge base (imprint, name) is
** XML-escaped here, invalid UTF-8 becomes U+FFFD and control characters
** are dropped, so the document is well-formed whatever the sources held.
** Ids carry the pill number, so several drawings inlined in one page do
** not clash.
*/
#include "materia/pill.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "kb/kb_internal.h"
#include "pill/pindex.h"
#include "util/buf.h"

#define W 240
#define H 160
#define CX 120
#define CY 80
#define UNKNOWN_FILL "D9D9D9"

/* Appends s[0..n) escaped for XML text and attribute values. */
static int xml_escape(mt_buf *b, const char *s, size_t n)
{
    size_t i = 0;
    int rc = MT_OK;
    while (i < n && rc == MT_OK) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            switch (c) {
            case '&':  rc = mt_buf_puts(b, "&amp;"); break;
            case '<':  rc = mt_buf_puts(b, "&lt;"); break;
            case '>':  rc = mt_buf_puts(b, "&gt;"); break;
            case '"':  rc = mt_buf_puts(b, "&quot;"); break;
            case '\'': rc = mt_buf_puts(b, "&#39;"); break;
            default:
                if (c >= 0x20 && c != 0x7F)
                    rc = mt_buf_putc(b, (char)c);
                else if (c == '\t' || c == '\n' || c == '\r')
                    rc = mt_buf_putc(b, ' ');
                break;
            }
            i++;
            continue;
        }
        {
            /* A valid UTF-8 sequence is copied; anything else is U+FFFD. */
            size_t len = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c <= 0xDF ? 2 : 0;
            size_t k;
            int ok = len > 0 && i + len <= n;
            for (k = 1; ok && k < len; k++)
                ok = ((unsigned char)s[i + k] & 0xC0) == 0x80;
            if (ok && len == 3) {
                unsigned char c1 = (unsigned char)s[i + 1];
                ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 >= 0xA0);   /* overlong, surrogate */
                /* U+FFFE and U+FFFF are not XML characters */
                ok = ok && !(c == 0xEF && c1 == 0xBF && ((unsigned char)s[i + 2] & 0xFE) == 0xBE);
            }
            if (ok && len == 4) {
                unsigned char c1 = (unsigned char)s[i + 1];
                ok = !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 >= 0x90);
            }
            if (ok) {
                rc = mt_buf_append(b, s + i, len);
                i += len;
            } else {
                rc = mt_buf_puts(b, "\xEF\xBF\xBD");
                i++;
            }
        }
    }
    return rc;
}

static int xml_escape_str(mt_buf *b, const char *s)
{
    return xml_escape(b, s, strlen(s));
}

/* "#RRGGBB" from a codes-table hex string, or the unknown fill. */
static void fill_of(const char *hex, char out[8])
{
    size_t i;
    int ok = strlen(hex) == 6;
    for (i = 0; ok && i < 6; i++)
        ok = (hex[i] >= '0' && hex[i] <= '9') || (hex[i] >= 'A' && hex[i] <= 'F') || (hex[i] >= 'a' && hex[i] <= 'f');
    snprintf(out, 8, "#%s", ok ? hex : UNKNOWN_FILL);
}

/* Relative luminance (0..255) of "#RRGGBB", for the text colour. */
static unsigned luma(const char *fill)
{
    unsigned v[3], i;
    for (i = 0; i < 3; i++) {
        unsigned hi = (unsigned char)fill[1 + 2 * i], lo = (unsigned char)fill[2 + 2 * i], x = 0;
        hi = hi <= '9' ? hi - '0' : (hi | 32) - 'a' + 10;
        lo = lo <= '9' ? lo - '0' : (lo | 32) - 'a' + 10;
        x = hi * 16 + lo;
        v[i] = x;
    }
    return (299 * v[0] + 587 * v[1] + 114 * v[2]) / 1000;
}

static int polygon(mt_buf *b, unsigned sides, double r, double rot_deg, double r2)
{
    unsigned i, n = r2 > 0 ? sides * 2 : sides;
    int rc = mt_buf_puts(b, "<polygon points=\"");
    for (i = 0; i < n && rc == MT_OK; i++) {
        double a = (rot_deg + 360.0 * i / n) * M_PI / 180.0;
        double rr = r2 > 0 && (i & 1) ? r2 : r;
        rc = mt_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", CX + rr * cos(a), CY + rr * sin(a));
    }
    if (rc == MT_OK)
        rc = mt_buf_puts(b, "\"/>");
    return rc;
}

/* The outline of a shape as one SVG element. *known: a shape we draw as itself. */
static int shape_element(mt_buf *b, const char *shape, int *known)
{
    *known = 1;
    if (strcmp(shape, "ROUND") == 0)
        return mt_buf_puts(b, "<circle cx=\"120\" cy=\"80\" r=\"68\"/>");
    if (strcmp(shape, "OVAL") == 0)
        return mt_buf_puts(b, "<ellipse cx=\"120\" cy=\"80\" rx=\"102\" ry=\"60\"/>");
    if (strcmp(shape, "CAPSULE") == 0)
        return mt_buf_puts(b, "<rect x=\"12\" y=\"38\" width=\"216\" height=\"84\" rx=\"42\"/>");
    if (strcmp(shape, "RECTANGLE") == 0)
        return mt_buf_puts(b, "<rect x=\"18\" y=\"32\" width=\"204\" height=\"96\" rx=\"14\"/>");
    if (strcmp(shape, "SQUARE") == 0)
        return mt_buf_puts(b, "<rect x=\"52\" y=\"12\" width=\"136\" height=\"136\" rx=\"16\"/>");
    if (strcmp(shape, "DIAMOND") == 0)
        return mt_buf_puts(b, "<polygon points=\"120,8 222,80 120,152 18,80\"/>");
    if (strcmp(shape, "TRIANGLE") == 0)
        return mt_buf_puts(b, "<polygon points=\"120,10 204,148 36,148\"/>");
    if (strcmp(shape, "TRAPEZOID") == 0)
        return mt_buf_puts(b, "<polygon points=\"62,28 178,28 218,132 22,132\"/>");
    if (strcmp(shape, "PENTAGON (5 SIDES)") == 0)
        return polygon(b, 5, 74, -90, 0);
    if (strcmp(shape, "HEXAGON (6 SIDES)") == 0)
        return polygon(b, 6, 74, 0, 0);
    if (strcmp(shape, "HEPTAGON (7 SIDES)") == 0)
        return polygon(b, 7, 74, -90, 0);
    if (strcmp(shape, "OCTAGON (8 SIDES)") == 0)
        return polygon(b, 8, 74, 22.5, 0);
    if (strcmp(shape, "GEAR") == 0)
        return polygon(b, 12, 74, -90, 62);
    if (strcmp(shape, "TEAR") == 0)
        return mt_buf_puts(b, "<path d=\"M120 8 C150 50 192 78 192 108 A72 46 0 0 1 48 108 C48 78 90 50 120 8 Z\"/>");
    if (strcmp(shape, "BULLET") == 0)
        return mt_buf_puts(b, "<path d=\"M26 40 H150 A70 40 0 0 1 150 120 H26 Q14 120 14 108 V52 Q14 40 26 40 Z\"/>");
    if (strcmp(shape, "SEMI-CIRCLE") == 0)
        return mt_buf_puts(b, "<path d=\"M24 124 A96 96 0 0 1 216 124 Z\"/>");
    if (strcmp(shape, "DOUBLE CIRCLE") == 0)
        return mt_buf_puts(b, "<path d=\"M120 33.7 A58 58 0 1 0 120 126.3 A58 58 0 1 0 120 33.7 Z\"/>");
    if (strcmp(shape, "CLOVER") == 0)
        return mt_buf_puts(b, "<path d=\"M82 42 A38 38 0 1 1 158 42 A38 38 0 1 1 158 118 "
                              "A38 38 0 1 1 82 118 A38 38 0 1 1 82 42 Z\"/>");
    *known = strcmp(shape, "FREEFORM") == 0;   /* drawn as a rounded blob, as is an unknown shape */
    return mt_buf_puts(b, "<rect x=\"26\" y=\"22\" width=\"188\" height=\"116\" rx=\"48\"/>");
}

/* Where the imprint fits inside a shape: its width and vertical centre. */
static void text_box(const char *shape, double *width, double *cy)
{
    static const struct { const char *shape; double width, cy; } boxes[] = {
        { "ROUND", 112, 80 }, { "OVAL", 168, 80 }, { "CAPSULE", 164, 80 }, { "RECTANGLE", 188, 80 },
        { "SQUARE", 124, 80 }, { "DIAMOND", 110, 80 }, { "TRIANGLE", 84, 118 }, { "TRAPEZOID", 150, 84 },
        { "PENTAGON (5 SIDES)", 104, 86 }, { "HEXAGON (6 SIDES)", 120, 80 }, { "HEPTAGON (7 SIDES)", 112, 84 },
        { "OCTAGON (8 SIDES)", 120, 80 }, { "GEAR", 96, 80 }, { "TEAR", 112, 104 }, { "BULLET", 150, 80 },
        { "SEMI-CIRCLE", 150, 98 }, { "DOUBLE CIRCLE", 150, 80 }, { "CLOVER", 92, 80 }
    };
    size_t i;
    for (i = 0; i < sizeof(boxes) / sizeof(boxes[0]); i++) {
        if (strcmp(boxes[i].shape, shape) == 0) {
            *width = boxes[i].width;
            *cy = boxes[i].cy;
            return;
        }
    }
    *width = 164;                      /* FREEFORM and unknown: the rounded blob */
    *cy = 80;
}

/* The imprint as display lines: SPL's ';' separates sides and tokens. */
static int imprint_lines(const char *imprint, char lines[2][128], size_t *nlines)
{
    char all[128];
    size_t n = 0, i, len;
    for (i = 0; imprint[i] && n + 1 < sizeof(all); i++)
        all[n++] = imprint[i] == ';' ? ' ' : imprint[i];
    all[n] = '\0';
    len = n;
    lines[0][0] = lines[1][0] = '\0';
    *nlines = len ? 1 : 0;
    if (len <= 12) {
        snprintf(lines[0], 128, "%s", all);
        return MT_OK;
    }
    /* Two lines, split at the space nearest the middle. */
    {
        size_t best = 0, k;
        for (k = 1; k < len; k++)
            if (all[k] == ' ' && (best == 0 || (k > len / 2 ? k - len / 2 : len / 2 - k) <
                                                (best > len / 2 ? best - len / 2 : len / 2 - best)))
                best = k;
        if (best == 0)
            best = len / 2;
        snprintf(lines[0], 128, "%.*s", (int)best, all);
        snprintf(lines[1], 128, "%s", all + best + (all[best] == ' '));
        *nlines = 2;
    }
    return MT_OK;
}

int mt_pill_svg(const mt_kb *kb, uint32_t pill, struct mt_buf *out)
{
    pi_index ix;
    const kb_pill *p;
    const pi_pill *pp;
    const char *shape;
    char fills[PI_MAX_COLORS][8], lines[2][128], clip[40];
    size_t nlines, i;
    unsigned nfill, k;
    int known = 0, rc;

    if (!kb || !out)
        return MT_EINVAL;
    if (pill >= mt_kb_count(kb, KB_T_PILLS))
        return MT_ENOTFOUND;
    if (pi_index_open(&ix, kb) != MT_OK)
        return MT_EINVAL;
    p = mt_kb_pill(kb, pill);
    pp = &ix.pills[pill];
    shape = pp->shape != PI_NONE16 ? mt_kb_str(kb, mt_kb_code(kb, pp->shape)->display) : "";
    nfill = pp->ncolor ? pp->ncolor : 1;
    for (k = 0; k < nfill; k++)
        fill_of(pp->ncolor ? mt_kb_str(kb, mt_kb_code(kb, pp->color[k])->hex) : "", fills[k]);
    snprintf(clip, sizeof(clip), "pill-%u-body", pill);

#define PUT(...) do { if (rc == MT_OK) rc = mt_buf_printf(out, __VA_ARGS__); } while (0)
#define ESC(s) do { if (rc == MT_OK) rc = xml_escape_str(out, (s)); } while (0)
    rc = mt_buf_printf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                       "viewBox=\"0 0 %d %d\" role=\"img\" aria-labelledby=\"pill-%u-title\">",
                       W, H, W, H, pill);
    PUT("<title id=\"pill-%u-title\">", pill);
    ESC(*mt_kb_str(kb, p->color) ? mt_kb_str(kb, p->color) : "colour unknown");
    PUT(" ");
    ESC(*shape ? shape : "shape unknown");
    PUT(" pill, imprint ");
    ESC(*mt_kb_str(kb, p->imprint) ? mt_kb_str(kb, p->imprint) : "none");
    if (*mt_kb_str(kb, p->name)) {
        PUT(": ");
        ESC(mt_kb_str(kb, p->name));
    }
    PUT(" (drawing, not a photograph)</title>");
    PUT("<defs><clipPath id=\"%s\">", clip);
    if (rc == MT_OK)
        rc = shape_element(out, shape, &known);
    PUT("</clipPath></defs>");
    /* colour bands, clipped to the body */
    PUT("<g clip-path=\"url(#%s)\">", clip);
    for (k = 0; k < nfill; k++)
        PUT("<rect x=\"%u\" y=\"0\" width=\"%u\" height=\"%d\" fill=\"%s\"/>", W * k / nfill,
            W * (k + 1) / nfill - W * k / nfill, H, fills[k]);
    if (p->score >= 2 && p->score <= 4) {
        if (p->score == 3)
            PUT("<path d=\"M93 0 V160 M147 0 V160\" stroke=\"#333\" stroke-opacity=\"0.55\" stroke-width=\"2.5\"/>");
        else
            PUT("<path d=\"M120 0 V160\" stroke=\"#333\" stroke-opacity=\"0.55\" stroke-width=\"2.5\"/>");
        if (p->score == 4)
            PUT("<path d=\"M0 80 H240\" stroke=\"#333\" stroke-opacity=\"0.55\" stroke-width=\"2.5\"/>");
    }
    if (nfill > 1 && strcmp(shape, "CAPSULE") == 0)
        PUT("<path d=\"M120 0 V160\" stroke=\"#333\" stroke-opacity=\"0.35\" stroke-width=\"1.5\"/>");
    PUT("</g>");
    /* outline: dashed when the shape or the colour is not known */
    PUT("<g fill=\"none\" stroke=\"#333\" stroke-width=\"3\" stroke-linejoin=\"round\"%s>",
        known && pp->ncolor ? "" : " stroke-dasharray=\"8 6\"");
    if (rc == MT_OK)
        rc = shape_element(out, shape, &known);
    PUT("</g>");
    /* the imprint, dark with a light halo (or the reverse on a dark pill) so
    ** that it reads on either band of a two-tone pill */
    imprint_lines(mt_kb_str(kb, p->imprint), lines, &nlines);
    if (nlines) {
        size_t longest = strlen(lines[0]) > strlen(lines[1]) ? strlen(lines[0]) : strlen(lines[1]);
        double width, cy, size;
        int dark = 1;
        for (k = 0; k < nfill; k++)
            dark &= luma(fills[k]) < 110;  /* light ink only when every band is dark */
        text_box(shape, &width, &cy);
        size = longest ? width / (0.62 * (double)longest) : 28;
        if (size > 72.0 / (1.15 * (double)nlines) && (strcmp(shape, "CAPSULE") == 0 ||
                                                     strcmp(shape, "BULLET") == 0))
            size = 72.0 / (1.15 * (double)nlines);   /* a capsule is low */
        if (size > 30)
            size = 30;
        if (size < 8)
            size = 8;
        PUT("<text x=\"120\" text-anchor=\"middle\" font-family=\"ui-monospace, Menlo, Consolas, monospace\" "
            "font-weight=\"700\" font-size=\"%.1f\" fill=\"%s\" stroke=\"%s\" stroke-width=\"%.1f\" "
            "stroke-opacity=\"0.8\" paint-order=\"stroke\">", size, dark ? "#ffffff" : "#1b1f23",
            dark ? "#1b1f23" : "#ffffff", size / 8);
        for (i = 0; i < nlines; i++) {
            double y = nlines == 1 ? cy + size * 0.35 : cy - size * 0.2 + (double)i * size * 1.1;
            PUT("<tspan x=\"120\" y=\"%.1f\">", y);
            ESC(lines[i]);
            PUT("</tspan>");
        }
        PUT("</text>");
    }
    PUT("</svg>\n");
#undef PUT
#undef ESC
    return rc;
}
