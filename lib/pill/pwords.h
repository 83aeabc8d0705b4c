/*
** pwords.h — the words people use for a pill's colour and shape, mapped
** onto the SPL vocabulary (FDA Structured Product Labeling: 12 colours, 19
** shapes). docs/reference/pills.md prints both tables with the reason for each
** mapping; t/pill/test_pill.c checks that the page lists every word.
**
** A word maps to one SPL name (a "match") and up to three neighbouring SPL
** names (a "near" match, ranked below): "beige" is BROWN, and a WHITE or
** YELLOW pill is near. Parsing is case-insensitive; modifiers such as
** "light", "dark" or "pale" are ignored ("light blue" = blue).
*/
#ifndef MT_PWORDS_H
#define MT_PWORDS_H

#include <stddef.h>

#define PW_MAX_ALT 3

/* One parsed colour or shape: SPL display names. */
typedef struct pw_term {
    const char *spl;                 /* "BLUE", "CAPSULE" */
    const char *alt[PW_MAX_ALT];     /* near names, NULL-padded */
    const char *word;                /* the table word it came from */
} pw_term;

/* An entry of a table (for docs and tests). */
typedef struct pw_entry {
    const char *word;                /* lower case, letters and digits only */
    const char *spl;
    const char *alt[PW_MAX_ALT];
} pw_entry;

/* Parses up to max colours ("blue and white", "light-blue/cream", "navy").
** Separators: "and", "or", "with", "&", "/", ",", "+", ";". MT_OK and
** *n >= 1; MT_EINVAL with a message in err (errsz bytes) for a word that
** is not a colour, more than max colours, or no colour at all. */
int pw_parse_colors(const char *text, pw_term *out, unsigned max, unsigned *n,
                    char *err, size_t errsz);

/* Parses one shape ("round", "oblong", "hexagon (6 sides)", "5-sided").
** MT_OK, or MT_EINVAL with a message. */
int pw_parse_shape(const char *text, pw_term *out, char *err, size_t errsz);

/* Whether two SPL shapes are easily taken for each other (OVAL/CAPSULE,
** CAPSULE/RECTANGLE, ROUND/DOUBLE CIRCLE, SQUARE/RECTANGLE, BULLET/CAPSULE). */
int pw_shapes_near(const char *a, const char *b);

/* The tables, NULL-terminated by word. */
extern const pw_entry pw_colors[];
extern const pw_entry pw_shapes[];

#endif /* MT_PWORDS_H */
