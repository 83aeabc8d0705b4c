/*
** text.h — name normalization shared by joins (build time) and search.
**
** A "key" is a name folded for comparison: ASCII lower case, Latin accents
** removed (é -> e, ß -> ss), every run of characters that are not letters or
** digits turned into one space, no leading or trailing space. Keys of two
** names are equal when a person would call the names the same spelling.
*/
#ifndef MT_TEXT_H
#define MT_TEXT_H

#include <stddef.h>

/* Writes the key of `in` into out (outsz bytes, NUL-terminated, truncated at
** a character boundary if needed). Returns the key's length. Invalid UTF-8
** bytes count as separators. */
size_t mt_text_key(const char *in, char *out, size_t outsz);

/* Removes trailing salt, ester and hydrate words from a key in place
** ("sertraline hydrochloride" -> "sertraline"), leaving at least one word.
** Returns the new length. */
size_t mt_text_strip_salt(char *key);

/* Whether `word` (a key word) is a salt, ester or hydrate word. */
int mt_text_is_salt_word(const char *word, size_t len);

/* Whether s is valid UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
int mt_utf8_valid(const char *s, size_t len);

#endif /* MT_TEXT_H */
