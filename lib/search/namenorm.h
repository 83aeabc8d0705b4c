/*
** namenorm.h — the two derived forms of a name key that search indexes
** besides the key itself (keys come from mt_text_key, util/text.h).
**
** Normalized form: the words that name the substance, in sorted order.
** Removed: strengths (a number and the units after it: "50 mg",
** "0.5 mg/ml"), dose-form and route words ("oral tablet", "extended
** release", "injectable solution"), and salt, ester and hydrate words that
** follow a substance word ("sertraline hydrochloride" -> "sertraline",
** "amlodipine besylate / benazepril hydrochloride" -> "amlodipine
** benazepril"; "sodium chloride" keeps both words because its first is itself
** a salt word). If nothing would be left, the key is kept as it is.
**   "Sertraline Hydrochloride 50 MG Oral Tablet" -> "sertraline"
**   "zoloft 50 mg tablet"                        -> "zoloft"
**   "benazepril amlodipine"                      -> "amlodipine benazepril"
**
** Phonetic code: a Metaphone-like code tuned for drug names, word by word:
** ph -> f, c/k/q/ck/ch -> k (soft c before e/i/y -> s), x -> ks (initial
** x -> s: "xanax" ~ "zanax"), z -> s, y -> i, th -> t, h dropped after a
** consonant, silent initial letters (ps, pn, kn, gn, wr, rh), doubled
** letters once, and vowels after the first letter of a word dropped.
**   "cephalexin" and "sefalexin" -> "sflksn"
*/
#ifndef MT_NAMENORM_H
#define MT_NAMENORM_H

#include <stddef.h>

/* Normalized form of a key into out (outsz bytes, NUL-terminated, cut at a
** word boundary if needed). Returns its length. */
size_t ms_normalize(const char *key, size_t len, char *out, size_t outsz);

/* Phonetic code of a key into out (outsz bytes, NUL-terminated). Words are
** separated by one space; digits are dropped. Returns its length (0 when the
** key has no letters). */
size_t ms_phonetic(const char *key, size_t len, char *out, size_t outsz);

/* Whether a key word is a dose-form, route or release word ("tablet",
** "oral", "extended"). */
int ms_is_form_word(const char *w, size_t len);

/* Whether a key word is a unit that follows a number ("mg", "ml", "mcg"). */
int ms_is_unit_word(const char *w, size_t len);

#endif /* MT_NAMENORM_H */
