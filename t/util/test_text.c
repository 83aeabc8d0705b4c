/*
** test_text.c — name keys, salt stripping, UTF-8 validation (lib/util/text.c).
*/
#include "harness.h"
#include "util/text.h"

TEST(text_key_folds_case_accents_and_punctuation)
{
    char out[64];
    CHECK_EQ_INT(mt_text_key("  Sertraline  HCl (50 mg) ", out, sizeof(out)), 20);
    CHECK_STR(out, "sertraline hcl 50 mg");
    mt_text_key("Paracétamol", out, sizeof(out));
    CHECK_STR(out, "paracetamol");
    mt_text_key("MILLEPERTUIS", out, sizeof(out));
    CHECK_STR(out, "millepertuis");
    mt_text_key("St. John's Wort", out, sizeof(out));
    CHECK_STR(out, "st john s wort");
    mt_text_key("Straße", out, sizeof(out));
    CHECK_STR(out, "strasse");
    CHECK_EQ_INT(mt_text_key("", out, sizeof(out)), 0);
    CHECK_EQ_INT(mt_text_key("\xff\xfe", out, sizeof(out)), 0);
}

TEST(text_key_truncates_safely)
{
    char out[6];
    mt_text_key("abcdefghij", out, sizeof(out));
    CHECK_STR(out, "abcde");
}

TEST(text_strip_salt_removes_trailing_salt_words)
{
    char k1[] = "sertraline hydrochloride";
    char k2[] = "sodium chloride";
    char k3[] = "metoprolol succinate";
    char k4[] = "ketamine";
    CHECK_EQ_INT(mt_text_strip_salt(k1), 10);
    CHECK_STR(k1, "sertraline");
    mt_text_strip_salt(k2);
    CHECK_STR(k2, "sodium");          /* never strips the last word */
    mt_text_strip_salt(k3);
    CHECK_STR(k3, "metoprolol");
    mt_text_strip_salt(k4);
    CHECK_STR(k4, "ketamine");
}

TEST(utf8_validation_rejects_overlongs_and_surrogates)
{
    CHECK(mt_utf8_valid("caf\xc3\xa9", 5));
    CHECK(!mt_utf8_valid("\xc0\xaf", 2));          /* overlong '/' */
    CHECK(!mt_utf8_valid("\xed\xa0\x80", 3));      /* surrogate */
    CHECK(!mt_utf8_valid("\xf4\x90\x80\x80", 4));  /* > U+10FFFF */
    CHECK(!mt_utf8_valid("\xe2\x82", 2));          /* truncated */
}

TEST(text_every_salt_word_is_found)
{
    /* The table is binary-searched: a word out of order would never match. */
    static const char *const words[] = { "malate", "maleate", "hydrochloride", "hcl", "sodium",
                                         "acetate", "zinc", "xinafoate", "mesylate", "tartrate" };
    size_t i;
    for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
        CHECK(mt_text_is_salt_word(words[i], strlen(words[i])));
    CHECK(!mt_text_is_salt_word("sertraline", 10));
    {
        char k[] = "midazolam maleate";
        mt_text_strip_salt(k);
        CHECK_STR(k, "midazolam");
    }
}
