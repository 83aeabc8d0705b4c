/*
** pwords.c — colour and shape words onto the SPL vocabulary (pwords.h).
**
** The reasons for each mapping are in docs/reference/pills.md ("Colour words",
** "Shape words"); in short: SPL has only 12 colours, so a labeler picks the
** nearest one, and a word maps to the SPL colour of its hue family, with
** the families it borders as near matches.
*/
#include "pill/pwords.h"

#include <stdio.h>
#include <string.h>

#include "materia/pill.h"
#include "materia/status.h"

#define N(...) { __VA_ARGS__ }

const pw_entry pw_colors[] = {
    /* SPL's own twelve */
    { "black", "BLACK", N(NULL) },
    { "blue", "BLUE", N(NULL) },
    { "brown", "BROWN", N(NULL) },
    { "gray", "GRAY", N(NULL) },
    { "green", "GREEN", N(NULL) },
    { "orange", "ORANGE", N(NULL) },
    { "pink", "PINK", N(NULL) },
    { "purple", "PURPLE", N(NULL) },
    { "red", "RED", N(NULL) },
    { "turquoise", "TURQUOISE", N(NULL) },
    { "white", "WHITE", N(NULL) },
    { "yellow", "YELLOW", N(NULL) },
    /* spellings */
    { "grey", "GRAY", N(NULL) },
    /* blues */
    { "navy", "BLUE", N(NULL) },
    { "navyblue", "BLUE", N(NULL) },
    { "royalblue", "BLUE", N(NULL) },
    { "cobalt", "BLUE", N(NULL) },
    { "skyblue", "BLUE", N("TURQUOISE") },
    { "babyblue", "BLUE", N("TURQUOISE") },
    { "azure", "BLUE", N("TURQUOISE") },
    { "indigo", "BLUE", N("PURPLE") },
    /* blue-greens */
    { "aqua", "TURQUOISE", N("BLUE", "GREEN") },
    { "aquamarine", "TURQUOISE", N("BLUE", "GREEN") },
    { "teal", "TURQUOISE", N("BLUE", "GREEN") },
    { "cyan", "TURQUOISE", N("BLUE") },
    { "bluegreen", "TURQUOISE", N("BLUE", "GREEN") },
    /* light browns */
    { "tan", "BROWN", N("YELLOW", "ORANGE") },
    { "beige", "BROWN", N("WHITE", "YELLOW") },
    { "khaki", "BROWN", N("YELLOW", "GREEN") },
    { "buff", "BROWN", N("YELLOW", "WHITE") },
    { "fawn", "BROWN", N("YELLOW") },
    { "caramel", "BROWN", N("ORANGE", "YELLOW") },
    { "chocolate", "BROWN", N(NULL) },
    { "coffee", "BROWN", N(NULL) },
    { "bronze", "BROWN", N("ORANGE") },
    { "copper", "BROWN", N("ORANGE", "RED") },
    { "rust", "BROWN", N("RED", "ORANGE") },
    /* whites */
    { "offwhite", "WHITE", N("YELLOW", "GRAY") },
    { "cream", "WHITE", N("YELLOW") },
    { "ivory", "WHITE", N("YELLOW") },
    { "eggshell", "WHITE", N("YELLOW") },
    /* oranges and pinks */
    { "peach", "ORANGE", N("PINK") },
    { "apricot", "ORANGE", N("PINK", "YELLOW") },
    { "salmon", "ORANGE", N("PINK") },
    { "coral", "ORANGE", N("PINK", "RED") },
    { "amber", "ORANGE", N("YELLOW", "BROWN") },
    { "rose", "PINK", N("RED") },
    { "fuchsia", "PINK", N("PURPLE") },
    { "magenta", "PINK", N("PURPLE", "RED") },
    /* purples */
    { "lavender", "PURPLE", N("PINK", "BLUE") },
    { "lilac", "PURPLE", N("PINK") },
    { "violet", "PURPLE", N("BLUE") },
    { "mauve", "PURPLE", N("PINK") },
    { "plum", "PURPLE", N("RED") },
    /* reds */
    { "maroon", "RED", N("BROWN", "PURPLE") },
    { "burgundy", "RED", N("PURPLE", "BROWN") },
    { "crimson", "RED", N(NULL) },
    { "scarlet", "RED", N(NULL) },
    { "cherry", "RED", N(NULL) },
    /* yellows */
    { "gold", "YELLOW", N("ORANGE", "BROWN") },
    { "golden", "YELLOW", N("ORANGE", "BROWN") },
    { "mustard", "YELLOW", N("BROWN") },
    { "lemon", "YELLOW", N(NULL) },
    /* greens */
    { "lime", "GREEN", N("YELLOW") },
    { "olive", "GREEN", N("BROWN") },
    { "mint", "GREEN", N("TURQUOISE") },
    { "emerald", "GREEN", N(NULL) },
    /* greys */
    { "silver", "GRAY", N("WHITE") },
    { "charcoal", "GRAY", N("BLACK") },
    /* -ish */
    { "bluish", "BLUE", N("TURQUOISE") },
    { "greenish", "GREEN", N("TURQUOISE") },
    { "yellowish", "YELLOW", N("WHITE") },
    { "reddish", "RED", N("PINK", "ORANGE") },
    { "pinkish", "PINK", N("WHITE") },
    { "brownish", "BROWN", N(NULL) },
    { "grayish", "GRAY", N("WHITE") },
    { "greyish", "GRAY", N("WHITE") },
    { "orangish", "ORANGE", N(NULL) },
    { "purplish", "PURPLE", N(NULL) },
    { "whitish", "WHITE", N(NULL) },
    { NULL, NULL, N(NULL) }
};

const pw_entry pw_shapes[] = {
    /* SPL's own nineteen, short forms */
    { "bullet", "BULLET", N("CAPSULE") },
    { "capsule", "CAPSULE", N("OVAL") },
    { "clover", "CLOVER", N(NULL) },
    { "diamond", "DIAMOND", N(NULL) },
    { "doublecircle", "DOUBLE CIRCLE", N("ROUND") },
    { "freeform", "FREEFORM", N(NULL) },
    { "gear", "GEAR", N(NULL) },
    { "heptagon", "HEPTAGON (7 SIDES)", N(NULL) },
    { "hexagon", "HEXAGON (6 SIDES)", N(NULL) },
    { "octagon", "OCTAGON (8 SIDES)", N("ROUND") },
    { "oval", "OVAL", N("CAPSULE") },
    { "pentagon", "PENTAGON (5 SIDES)", N(NULL) },
    { "rectangle", "RECTANGLE", N("CAPSULE", "SQUARE") },
    { "round", "ROUND", N(NULL) },
    { "semicircle", "SEMI-CIRCLE", N(NULL) },
    { "square", "SQUARE", N("RECTANGLE") },
    { "tear", "TEAR", N(NULL) },
    { "trapezoid", "TRAPEZOID", N(NULL) },
    { "triangle", "TRIANGLE", N(NULL) },
    /* common words */
    { "circle", "ROUND", N(NULL) },
    { "circular", "ROUND", N(NULL) },
    { "disc", "ROUND", N(NULL) },
    { "disk", "ROUND", N(NULL) },
    { "oblong", "CAPSULE", N("OVAL", "RECTANGLE") },
    { "caplet", "CAPSULE", N("OVAL") },
    { "elongated", "CAPSULE", N("OVAL", "RECTANGLE") },
    { "softgel", "CAPSULE", N("OVAL") },
    { "gelcap", "CAPSULE", N("OVAL") },
    { "ellipse", "OVAL", N("CAPSULE") },
    { "elliptical", "OVAL", N("CAPSULE") },
    { "egg", "OVAL", N("CAPSULE") },
    { "rectangular", "RECTANGLE", N("CAPSULE", "SQUARE") },
    { "triangular", "TRIANGLE", N(NULL) },
    { "teardrop", "TEAR", N(NULL) },
    { "halfmoon", "SEMI-CIRCLE", N(NULL) },
    { "halfcircle", "SEMI-CIRCLE", N(NULL) },
    { "rhombus", "DIAMOND", N(NULL) },
    { "pentagonal", "PENTAGON (5 SIDES)", N(NULL) },
    { "hexagonal", "HEXAGON (6 SIDES)", N(NULL) },
    { "heptagonal", "HEPTAGON (7 SIDES)", N(NULL) },
    { "octagonal", "OCTAGON (8 SIDES)", N("ROUND") },
    { "cloverleaf", "CLOVER", N(NULL) },
    { "irregular", "FREEFORM", N(NULL) },
    { "heart", "FREEFORM", N(NULL) },
    { "three", "TRIANGLE", N(NULL) },
    { "five", "PENTAGON (5 SIDES)", N(NULL) },
    { "six", "HEXAGON (6 SIDES)", N(NULL) },
    { "seven", "HEPTAGON (7 SIDES)", N(NULL) },
    { "eight", "OCTAGON (8 SIDES)", N("ROUND") },
    { "3", "TRIANGLE", N(NULL) },
    { "5", "PENTAGON (5 SIDES)", N(NULL) },
    { "6", "HEXAGON (6 SIDES)", N(NULL) },
    { "7", "HEPTAGON (7 SIDES)", N(NULL) },
    { "8", "OCTAGON (8 SIDES)", N("ROUND") },
    { NULL, NULL, N(NULL) }
};

/* Words that say nothing about which SPL colour it is. */
static const char *const color_skip[] = {
    "light", "dark", "pale", "bright", "deep", "medium", "mid", "vivid", "faint", "pastel",
    "soft", "dull", "baby", "sky", "royal", "colored", "coloured", "color", "colour", "tone",
    "toned", "two", "speckled", "mottled", "flecked", "with", NULL
};
static const char *const color_sep[] = { "and", "or", NULL };

/* Words of a shape phrase that are dropped before the lookup. */
static const char *const shape_skip[] = {
    "shape", "shaped", "sides", "sided", "side", "tablet", "tablets", "pill", "pills", "like",
    "a", "an", NULL
};

static int in_list(const char *const *l, const char *w)
{
    for (; *l; l++)
        if (strcmp(*l, w) == 0)
            return 1;
    return 0;
}

static const pw_entry *lookup(const pw_entry *t, const char *w)
{
    for (; t->word; t++)
        if (strcmp(t->word, w) == 0)
            return t;
    return NULL;
}

static void set_term(pw_term *out, const pw_entry *e)
{
    unsigned k;
    out->spl = e->spl;
    out->word = e->word;
    for (k = 0; k < PW_MAX_ALT; k++)
        out->alt[k] = e->alt[k];
}

static int lower_alnum(unsigned char c, char *o)
{
    if (c >= 'A' && c <= 'Z') {
        *o = (char)(c - 'A' + 'a');
        return 1;
    }
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
        *o = (char)c;
        return 1;
    }
    return 0;
}

#define MAXW 24

typedef struct words {
    char     w[MAXW][32];
    unsigned n;
} words;

/* Splits text into lower-case words at every byte that is not a letter or
** digit; a hyphenated word that is in t joined is kept joined ("off-white"
** -> "offwhite"). 0 when there are too many words or one is too long. */
static int add_word(words *ws, const char *w, size_t len)
{
    if (ws->n == MAXW || len >= sizeof(ws->w[0]))
        return 0;
    memcpy(ws->w[ws->n], w, len);
    ws->w[ws->n][len] = '\0';
    ws->n++;
    return 1;
}

static int split(const char *text, words *ws, const pw_entry *t)
{
    size_t i = 0, lim = strnlen(text, MT_PILL_QUERY_MAX);
    ws->n = 0;
    while (i < lim) {
        char joined[32], c;
        size_t j = i, jl = 0;
        int hyphen = 0;
        if (!lower_alnum((unsigned char)text[i], &c) && text[i] != '-') {
            i++;
            continue;
        }
        for (; j < lim && (lower_alnum((unsigned char)text[j], &c) || text[j] == '-'); j++) {
            if (text[j] == '-')
                hyphen = 1;
            else if (jl + 1 < sizeof(joined))
                joined[jl++] = c;
            else
                return 0;               /* no word is that long */
        }
        joined[jl] = '\0';
        if (hyphen && jl && lookup(t, joined)) {
            if (!add_word(ws, joined, jl))
                return 0;
            i = j;
            continue;
        }
        while (i < j) {                 /* each word between hyphens */
            char w[32];
            size_t wl = 0;
            while (i < j && text[i] == '-')
                i++;
            for (; i < j && text[i] != '-'; i++)
                lower_alnum((unsigned char)text[i], &w[wl++]);   /* wl <= jl < 32 */
            if (wl && !add_word(ws, w, wl))
                return 0;
        }
    }
    return 1;
}

int pw_parse_colors(const char *text, pw_term *out, unsigned max, unsigned *n, char *err, size_t errsz)
{
    words ws;
    unsigned i, k, got = 0;

    *n = 0;
    if (!text || !split(text, &ws, pw_colors)) {
        snprintf(err, errsz, "the colour is too long");
        return MT_EINVAL;
    }
    for (i = 0; i < ws.n; i++) {
        const pw_entry *e = NULL;
        int dup = 0;
        if (i + 1 < ws.n) {
            char two[64];
            snprintf(two, sizeof(two), "%s%s", ws.w[i], ws.w[i + 1]);
            if ((e = lookup(pw_colors, two)) != NULL)
                i++;
        }
        if (!e && (in_list(color_skip, ws.w[i]) || in_list(color_sep, ws.w[i])))
            continue;
        if (!e && (e = lookup(pw_colors, ws.w[i])) == NULL) {
            snprintf(err, errsz, "unknown colour \"%s\" (use an SPL colour: black, blue, brown, gray, "
                     "green, orange, pink, purple, red, turquoise, white, yellow, or a common word "
                     "such as beige, cream, navy, peach, tan)", ws.w[i]);
            return MT_EINVAL;
        }
        for (k = 0; k < got; k++)
            if (strcmp(out[k].spl, e->spl) == 0)
                dup = 1;                 /* "navy blue": one colour */
        if (dup)
            continue;
        if (got == max) {
            snprintf(err, errsz, "more than %u colours", max);
            return MT_EINVAL;
        }
        set_term(&out[got++], e);
    }
    if (got == 0) {
        snprintf(err, errsz, "no colour in \"%.60s\"", text);
        return MT_EINVAL;
    }
    *n = got;
    return MT_OK;
}

int pw_parse_shape(const char *text, pw_term *out, char *err, size_t errsz)
{
    words ws;
    char letters[64] = "", digits[16] = "";
    size_t nl = 0, nd = 0;
    unsigned i;
    const pw_entry *e;

    if (!text || !split(text, &ws, pw_shapes)) {
        snprintf(err, errsz, "the shape is too long");
        return MT_EINVAL;
    }
    for (i = 0; i < ws.n; i++) {
        const char *w = ws.w[i];
        size_t wl = strlen(w);
        if (in_list(shape_skip, w))
            continue;
        if (w[0] >= '0' && w[0] <= '9') {
            if (nd + wl < sizeof(digits)) {
                memcpy(digits + nd, w, wl + 1);
                nd += wl;
            }
        } else if (nl + wl < sizeof(letters)) {
            memcpy(letters + nl, w, wl + 1);
            nl += wl;
        }
    }
    e = lookup(pw_shapes, nl ? letters : digits);
    if (!e) {
        snprintf(err, errsz, "unknown shape \"%.60s\" (use an SPL shape: round, oval, capsule, "
                 "rectangle, square, triangle, diamond, pentagon, hexagon, octagon, tear, bullet, "
                 "semi-circle, double circle, clover, gear, trapezoid, freeform, or oblong, caplet, "
                 "circle)", text);
        return MT_EINVAL;
    }
    set_term(out, e);
    return MT_OK;
}

int pw_shapes_near(const char *a, const char *b)
{
    static const char *const pairs[][2] = {
        { "OVAL", "CAPSULE" }, { "CAPSULE", "RECTANGLE" }, { "ROUND", "DOUBLE CIRCLE" },
        { "SQUARE", "RECTANGLE" }, { "BULLET", "CAPSULE" }
    };
    size_t i;
    for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++)
        if ((strcmp(a, pairs[i][0]) == 0 && strcmp(b, pairs[i][1]) == 0) ||
            (strcmp(a, pairs[i][1]) == 0 && strcmp(b, pairs[i][0]) == 0))
            return 1;
    return 0;
}
