/*
** namenorm.c — normalized forms and phonetic codes of name keys (namenorm.h).
*/
#include "search/namenorm.h"

#include <string.h>

#include "util/text.h"

#define MAX_WORDS 32

/* Sorted (strcmp order) for binary search. Dose forms, routes, release
** mechanisms and the few connecting words product names use. A word that is
** also a substance name must not be here. */
static const char *const form_words[] = {
    "abuse", "actuat", "actuation", "aerosol", "and", "applicator", "auto",
    "autoinjector", "bar", "buccal", "caplet", "caplets", "caps", "capsule", "capsules",
    "cartridge", "chewable", "coated", "concentrate", "cr", "cream", "delayed",
    "deterrent", "disintegrating", "dispersible", "dose", "douche", "dr", "drop", "drops",
    "dry", "effervescent", "elixir", "emulsion", "enema", "enteric", "er", "extended",
    "film", "foam", "for", "gas", "gel", "granules", "gum", "im", "implant", "in",
    "inhalant", "inhalation", "inhaler", "inj", "injectable", "injection", "injector",
    "intramuscular", "intravenous", "ir", "irrigation", "iv", "jelly", "kit", "liquid",
    "lotion", "lozenge", "medicated", "metered", "mouthwash", "mucosal", "mucous",
    "nasal", "odt", "of", "ointment", "ophthalmic", "oral", "otic", "pack", "pad",
    "paste", "patch", "pellet", "pen", "per", "powder", "prefilled", "rectal",
    "release", "sc", "shampoo", "soap", "sol", "soln", "solution", "spray", "sr",
    "strip", "subcutaneous", "sublingual", "suppository", "susp", "suspension",
    "swab", "syringe", "syrup", "system", "tab", "tablet", "tablets", "tabs",
    "the", "topical", "transdermal", "troche", "vaginal", "vial", "wafer", "with",
    "xl", "xr"
};

static const char *const unit_words[] = {
    "cm", "cm2", "day", "g", "gm", "gr", "h", "hour", "hours", "hr", "iu", "kg", "l",
    "mcg", "mcl", "meq", "mg", "million", "ml", "mmol", "mol", "u", "ug", "unit",
    "units", "unt"
};

static int in_list(const char *const *list, size_t n, const char *w, size_t len)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(list[mid], w, len);
        if (c == 0 && list[mid][len] != '\0')
            c = 1;
        if (c == 0)
            return 1;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return 0;
}

int ms_is_form_word(const char *w, size_t len)
{
    return in_list(form_words, sizeof(form_words) / sizeof(form_words[0]), w, len);
}

int ms_is_unit_word(const char *w, size_t len)
{
    return in_list(unit_words, sizeof(unit_words) / sizeof(unit_words[0]), w, len);
}

typedef struct span { const char *p; size_t n; } span;

static int all_digits(const char *w, size_t n)
{
    size_t i;
    for (i = 0; i < n; i++)
        if (w[i] < '0' || w[i] > '9')
            return 0;
    return n > 0;
}

static int span_cmp(const void *a, const void *b)
{
    const span *x = a, *y = b;
    size_t n = x->n < y->n ? x->n : y->n;
    int c = memcmp(x->p, y->p, n);
    if (c)
        return c;
    return x->n < y->n ? -1 : x->n > y->n;
}

static size_t copy_out(const char *s, size_t len, char *out, size_t outsz)
{
    if (outsz == 0)
        return 0;
    if (len >= outsz) {
        len = outsz - 1;
        while (len > 0 && s[len] != ' ')       /* cut at a word boundary */
            len--;
    }
    memcpy(out, s, len);
    out[len] = '\0';
    return len;
}

size_t ms_normalize(const char *key, size_t len, char *out, size_t outsz)
{
    span words[MAX_WORDS];
    size_t nw = 0, i = 0, o = 0;
    int after_number = 0, prev_substance = 0;

    if (outsz == 0)
        return 0;
    while (i < len && nw < MAX_WORDS) {
        size_t s = i, n;
        while (i < len && key[i] != ' ')
            i++;
        n = i - s;
        if (i < len)
            i++;
        if (n == 0)
            continue;
        if (all_digits(key + s, n)) {
            after_number = 1;
            continue;
        }
        if (after_number && ms_is_unit_word(key + s, n))
            continue;               /* "50 mg ml": units run on after a number */
        after_number = 0;
        if (ms_is_form_word(key + s, n))
            continue;
        if (mt_text_is_salt_word(key + s, n)) {
            if (prev_substance)
                continue;           /* "sertraline hydrochloride" */
        } else {
            prev_substance = n >= 3;
        }
        words[nw].p = key + s;
        words[nw].n = n;
        nw++;
    }
    if (nw == 0 || i < len)         /* nothing left, or too many words: keep the key */
        return copy_out(key, len, out, outsz);
    for (i = 1; i < nw; i++) {       /* insertion sort: a few words, and no allocation */
        span x = words[i];
        size_t j;
        for (j = i; j > 0 && span_cmp(&x, &words[j - 1]) < 0; j--)
            words[j] = words[j - 1];
        words[j] = x;
    }
    for (i = 0; i < nw; i++) {
        if (i > 0 && span_cmp(&words[i], &words[i - 1]) == 0)
            continue;
        if (o + (o ? 1 : 0) + words[i].n >= outsz)
            break;
        if (o)
            out[o++] = ' ';
        memcpy(out + o, words[i].p, words[i].n);
        o += words[i].n;
    }
    out[o] = '\0';
    return o;
}

static int is_vowel(char c)
{
    return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y';
}

/* Appends code letter c unless it repeats the previous one. */
static void emit(char *out, size_t outsz, size_t *o, size_t wstart, char c)
{
    if (*o > wstart && out[*o - 1] == c)
        return;
    if (*o + 1 < outsz)
        out[(*o)++] = c;
}

/* The phonetic code of one word of lower-case letters (digits skipped). */
static void phon_word(const char *w, size_t n, char *out, size_t outsz, size_t *o)
{
    char buf[64];
    size_t k = 0, i, wstart = *o;

    for (i = 0; i < n && k < sizeof(buf); i++)
        if (w[i] >= 'a' && w[i] <= 'z')
            buf[k++] = w[i];
    if (k == 0)
        return;
    i = 0;
    if (k >= 2 && ((buf[0] == 'p' && (buf[1] == 's' || buf[1] == 'n' || buf[1] == 't')) ||
                   ((buf[0] == 'k' || buf[0] == 'g') && buf[1] == 'n') ||
                   (buf[0] == 'w' && buf[1] == 'r')))
        i = 1;                       /* silent first letter: psyllium, gnat, wrinkle */
    if (is_vowel(buf[i])) {
        emit(out, outsz, o, wstart, 'a');
        i++;
    } else if (buf[i] == 'x') {
        emit(out, outsz, o, wstart, 's');
        i++;
    }
    for (; i < k; i++) {
        char c = buf[i], next = i + 1 < k ? buf[i + 1] : '\0';
        switch (c) {
        case 'a': case 'e': case 'i': case 'o': case 'u': case 'y':
            break;
        case 'b':
            if (!(i + 1 == k && i > 0 && buf[i - 1] == 'm'))
                emit(out, outsz, o, wstart, 'b');
            break;
        case 'c':
            if (next == 'e' || next == 'i' || next == 'y') {
                emit(out, outsz, o, wstart, 's');
            } else {
                emit(out, outsz, o, wstart, 'k');
                if (next == 'h')
                    i++;
            }
            break;
        case 'g':
            emit(out, outsz, o, wstart, (next == 'e' || next == 'i' || next == 'y') ? 'j' : 'g');
            break;
        case 'h':
            if (i == 0 && is_vowel(next))
                emit(out, outsz, o, wstart, 'h');
            break;
        case 'p':
            if (next == 'h') {
                emit(out, outsz, o, wstart, 'f');
                i++;
            } else {
                emit(out, outsz, o, wstart, 'p');
            }
            break;
        case 'q':
            emit(out, outsz, o, wstart, 'k');
            break;
        case 's':
            if (next == 'h') {
                emit(out, outsz, o, wstart, 'x');
                i++;
            } else {
                emit(out, outsz, o, wstart, 's');
            }
            break;
        case 'w':
            if (is_vowel(next))
                emit(out, outsz, o, wstart, 'w');
            break;
        case 'x':
            emit(out, outsz, o, wstart, 'k');
            emit(out, outsz, o, wstart, 's');
            break;
        case 'z':
            emit(out, outsz, o, wstart, 's');
            break;
        default:
            emit(out, outsz, o, wstart, c);
            break;
        }
    }
}

size_t ms_phonetic(const char *key, size_t len, char *out, size_t outsz)
{
    size_t i = 0, o = 0;

    if (outsz == 0)
        return 0;
    while (i < len) {
        size_t s = i, before;
        while (i < len && key[i] != ' ')
            i++;
        before = o;
        if (o > 0 && o + 1 < outsz)
            out[o++] = ' ';
        phon_word(key + s, i - s, out, outsz, &o);
        if (o == before + 1 && before > 0)
            o = before;             /* a word with no letters: drop its space */
        if (i < len)
            i++;
    }
    out[o] = '\0';
    return o;
}
