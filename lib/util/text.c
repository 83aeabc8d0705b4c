/*
** text.c — name keys, salt stripping and UTF-8 validation (text.h).
*/
#include "util/text.h"

#include <string.h>

/* Decodes one UTF-8 sequence at s (n bytes left). Returns its length and the
** code point in *cp, or 0 for an invalid sequence. */
static size_t utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
    unsigned c = s[0];
    if (c < 0x80) { *cp = c; return 1; }
    if (c >= 0xC2 && c <= 0xDF && n >= 2 && (s[1] & 0xC0) == 0x80) {
        *cp = ((c & 0x1Fu) << 6) | (s[1] & 0x3Fu);
        return 2;
    }
    if (c >= 0xE0 && c <= 0xEF && n >= 3 && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        unsigned v = ((c & 0x0Fu) << 12) | ((s[1] & 0x3Fu) << 6) | (s[2] & 0x3Fu);
        if (v < 0x800 || (v >= 0xD800 && v <= 0xDFFF))
            return 0;
        *cp = v;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4 && n >= 4 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80 && (s[3] & 0xC0) == 0x80) {
        unsigned v = ((c & 0x07u) << 18) | ((s[1] & 0x3Fu) << 12) | ((s[2] & 0x3Fu) << 6) | (s[3] & 0x3Fu);
        if (v < 0x10000 || v > 0x10FFFF)
            return 0;
        *cp = v;
        return 4;
    }
    return 0;
}

int mt_utf8_valid(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < len) {
        unsigned cp;
        size_t n = utf8_decode(p + i, len - i, &cp);
        if (!n)
            return 0;
        i += n;
    }
    return 1;
}

/* ASCII folding of Latin-1 Supplement and Latin Extended-A letters, the ones
** drug names use (French, German, Spanish, Nordic INNs and brands). */
static const char *fold_latin(unsigned cp)
{
    static const char *latin1[64] = {
        /* C0 */ "a","a","a","a","a","a","ae","c","e","e","e","e","i","i","i","i",
        /* D0 */ "d","n","o","o","o","o","o",NULL,"o","u","u","u","u","y","th","ss",
        /* E0 */ "a","a","a","a","a","a","ae","c","e","e","e","e","i","i","i","i",
        /* F0 */ "d","n","o","o","o","o","o",NULL,"o","u","u","u","u","y","th","y"
    };
    if (cp >= 0xC0 && cp <= 0xFF)
        return latin1[cp - 0xC0];
    if (cp >= 0x100 && cp <= 0x17F) {
        /* Latin Extended-A: pairs of upper/lower case; map by ranges. */
        static const struct { unsigned lo, hi; const char *to; } ranges[] = {
            {0x100,0x105,"a"},{0x106,0x10D,"c"},{0x10E,0x111,"d"},{0x112,0x11B,"e"},
            {0x11C,0x123,"g"},{0x124,0x127,"h"},{0x128,0x131,"i"},{0x132,0x133,"ij"},
            {0x134,0x135,"j"},{0x136,0x138,"k"},{0x139,0x142,"l"},{0x143,0x14B,"n"},
            {0x14C,0x151,"o"},{0x152,0x153,"oe"},{0x154,0x159,"r"},{0x15A,0x161,"s"},
            {0x162,0x167,"t"},{0x168,0x173,"u"},{0x174,0x175,"w"},{0x176,0x178,"y"},
            {0x179,0x17E,"z"},{0x17F,0x17F,"s"}
        };
        size_t i;
        for (i = 0; i < sizeof(ranges) / sizeof(ranges[0]); i++)
            if (cp >= ranges[i].lo && cp <= ranges[i].hi)
                return ranges[i].to;
    }
    return NULL;
}

size_t mt_text_key(const char *in, char *out, size_t outsz)
{
    const unsigned char *p = (const unsigned char *)in;
    size_t n = strlen(in), i = 0, o = 0;
    int pending_space = 0;

    if (outsz == 0)
        return 0;
    while (i < n) {
        unsigned cp;
        size_t len = utf8_decode(p + i, n - i, &cp);
        const char *rep = NULL;
        char one[2] = {0, 0};

        if (!len) {               /* invalid byte: a separator */
            i++;
            pending_space = o > 0;
            continue;
        }
        i += len;
        if (cp < 0x80) {
            if (cp >= 'A' && cp <= 'Z')
                cp += 'a' - 'A';
            if ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9')) {
                one[0] = (char)cp;
                rep = one;
            }
        } else {
            rep = fold_latin(cp);
        }
        if (!rep) {
            pending_space = o > 0;
            continue;
        }
        {
            size_t rlen = strlen(rep) + (pending_space ? 1 : 0);
            if (o + rlen >= outsz)
                break;
            if (pending_space)
                out[o++] = ' ';
            memcpy(out + o, rep, strlen(rep));
            o += strlen(rep);
            pending_space = 0;
        }
    }
    out[o] = '\0';
    return o;
}

static const char *const salt_words[] = {
    "acetate", "anhydrous", "benzoate", "besilate", "besylate", "bitartrate", "bromide",
    "butyrate", "calcium", "camsylate", "carbonate", "chloride", "citrate", "decanoate",
    "diacetate", "dihydrate", "dihydrochloride", "dimesylate", "dipotassium", "disodium",
    "edisylate", "embonate", "enanthate", "estolate", "esylate", "ethylsuccinate",
    "fumarate", "gluconate", "hcl", "hemifumarate", "hemihydrate", "hemisulfate",
    "hyclate", "hydrate", "hydrobromide", "hydrochloride", "hydroiodide", "isethionate",
    "lactate", "lysine", "magnesium", "malate", "maleate", "mesilate", "mesylate",
    "monohydrate", "napsylate", "nitrate", "oxalate", "palmitate", "pamoate",
    "pentahydrate", "phosphate", "potassium", "sesquihydrate", "sodium", "stearate",
    "succinate", "sulfate", "sulphate", "tartrate", "tosylate", "trihydrate",
    "trometamol", "tromethamine", "xinafoate", "zinc"
};

int mt_text_is_salt_word(const char *word, size_t len)
{
    size_t lo = 0, hi = sizeof(salt_words) / sizeof(salt_words[0]);
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strncmp(salt_words[mid], word, len);
        if (c == 0 && salt_words[mid][len] != '\0')
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

size_t mt_text_strip_salt(char *key)
{
    size_t len = strlen(key);
    for (;;) {
        char *sp = memrchr(key, ' ', len);
        size_t wstart;
        if (!sp)
            return len;                 /* keep the last word */
        wstart = (size_t)(sp - key) + 1;
        if (!mt_text_is_salt_word(key + wstart, len - wstart))
            return len;
        len = wstart - 1;
        key[len] = '\0';
    }
}
