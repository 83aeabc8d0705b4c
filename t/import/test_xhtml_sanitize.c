/*
** test_xhtml_sanitize.c — the (X)HTML allow-list sanitiser and plain-text
** extraction (lib/import/xhtml_sanitize.c), on real EMA leaflet markup.
*/
#include <string.h>

#include "harness.h"
#include "import/xhtml_sanitize.h"
#include "materia/status.h"

/* Real markup from the Spravato leaflet (leaflets-en.jsonl line 723,
** section 4 and section 6), with hostile additions marked HOSTILE. */
static const char spravato[] =
    "<div xmlns='http://www.w3.org/1999/xhtml'>  <p>Like all medicines, this medicine can cause side effects, although\n"
    "not everybody gets them. Tell your doctor if you notice any of the\n"
    "following side effects. Very common (may affect more than 1 in 10\n"
    "people)</p>\n"
    "<p>feeling disconnected from yourself, your thoughts, feelings and\n"
    "things around you</p>\n"
    "<p>feeling dizzy</p>\n"
    /* HOSTILE: */ "<script>alert('x')</script><p onclick=\"steal()\" style=\"color:red\">headache</p>"
    "<img src=\"x\" onerror=\"alert(1)\"/>\n"
    "<p>Tel/T l: +32 14 64 94 <a\n"
    "href=\"mailto:janssen@jacbe.jnj.com\">janssen@jacbe.jnj.com</a> Lietuva\n"
    "UAB \"JOHNSON &amp; JOHNSON\" Tel: +370 5 278 68</p>\n"
    "<h2 id=\"if-you-have-ever-had-certain-conditions-such-as\">if you have\n"
    "ever had certain conditions such as:</h2>\n"
    "<ol type=\"1\">\n<li>What Spravato is and what it is used for</li>\n</ol>\n </div>";

TEST(xhtml_sanitize_keeps_allowed_markup_and_drops_the_rest)
{
    mt_buf out;
    size_t chars = 0;
    const char *s;
    mt_buf_init(&out, 1 << 20);
    REQUIRE(mt_xhtml_sanitize(spravato, sizeof(spravato) - 1, &out, &chars) == MT_OK);
    s = mt_buf_str(&out);
    CHECK_CONTAINS(s, "<p>feeling dizzy</p>");
    CHECK_CONTAINS(s, "<p>headache</p>");                 /* attributes gone, text kept */
    CHECK_CONTAINS(s, "Like all medicines, this medicine can cause side effects, although not everybody");
    CHECK_CONTAINS(s, "janssen@jacbe.jnj.com Lietuva");   /* link text kept */
    CHECK_CONTAINS(s, "JOHNSON &amp; JOHNSON");          /* entity decoded and re-escaped */
    CHECK_CONTAINS(s, "<h4>if you have ever had certain conditions such as:</h4>");  /* h2 demoted */
    CHECK_CONTAINS(s, "<ol><li>What Spravato is and what it is used for</li></ol>");
    CHECK(strstr(s, "script") == NULL);
    CHECK(strstr(s, "alert") == NULL);
    CHECK(strstr(s, "onclick") == NULL);
    CHECK(strstr(s, "onerror") == NULL);
    CHECK(strstr(s, "href") == NULL);
    CHECK(strstr(s, "<a") == NULL);
    CHECK(strstr(s, "<img") == NULL);
    CHECK(strstr(s, "<div") == NULL);
    CHECK(strstr(s, "xmlns") == NULL);
    CHECK(strstr(s, "style") == NULL);
    CHECK(chars > 300);
    mt_buf_free(&out);
}

TEST(xhtml_sanitize_tables_spans_entities_and_utf8)
{
    static const char in[] =
        "<table border=1><tr><th colspan=\"2\" onmouseover=\"x()\">Very common</th>"
        "<td rowspan=\"0\">a</td><td rowspan=\"12x\">b</td><td rowspan=\"3\">c</td></tr></table>"
        "<p>&eacute;sk&#233;tamine &lt;b&gt; caf\xC3\xA9 bad\xFF byte</p><!-- comment --><?pi x?>"
        "<style>p{color:red}</style><iframe src=\"http://x\">frame text</iframe><h1>t</h1><h6>u</h6>"
        "<p>line<br>break</p>";
    mt_buf out;
    const char *s;
    mt_buf_init(&out, 1 << 16);
    REQUIRE(mt_xhtml_sanitize(in, sizeof(in) - 1, &out, NULL) == MT_OK);
    s = mt_buf_str(&out);
    CHECK_CONTAINS(s, "<table><tr><th colspan=\"2\">Very common</th><td>a</td><td>b</td><td rowspan=\"3\">c</td></tr></table>");
    CHECK_CONTAINS(s, "\xC3\xA9sk\xC3\xA9tamine &lt;b&gt; caf\xC3\xA9");
    CHECK(strstr(s, "\xFF") == NULL);
    CHECK(strstr(s, "comment") == NULL);
    CHECK(strstr(s, "color") == NULL);
    CHECK(strstr(s, "frame text") == NULL);
    CHECK_CONTAINS(s, "<h3>t</h3><h6>u</h6>");
    CHECK_CONTAINS(s, "<p>line<br/>break</p>");
    mt_buf_free(&out);
}

TEST(xhtml_sanitize_empty_and_placeholder_bodies)
{
    static const char empty_div[] = "<div xmlns='http://www.w3.org/1999/xhtml'>  \n  </div>";
    mt_buf out;
    size_t chars = 99;
    mt_buf_init(&out, 1024);
    CHECK(mt_xhtml_sanitize("", 0, &out, &chars) == MT_OK);
    CHECK_EQ_INT(chars, 0);
    CHECK(mt_xhtml_sanitize(empty_div, sizeof(empty_div) - 1, &out, &chars) == MT_OK);
    CHECK_EQ_INT(chars, 0);
    CHECK_EQ_INT(out.len, 0);
    mt_buf_free(&out);
}

TEST(xhtml_sanitize_limit_is_reported)
{
    mt_buf out;
    mt_buf_init(&out, 16);
    CHECK(mt_xhtml_sanitize(spravato, sizeof(spravato) - 1, &out, NULL) == MT_ELIMIT);
    mt_buf_free(&out);
}

TEST(xhtml_text_gives_lines_per_block)
{
    mt_buf out;
    mt_buf_init(&out, 1 << 16);
    REQUIRE(mt_xhtml_text(spravato, sizeof(spravato) - 1, &out) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&out), "\nfeeling dizzy\nheadache\n");
    CHECK_CONTAINS(mt_buf_str(&out), "JOHNSON & JOHNSON");
    CHECK(strstr(mt_buf_str(&out), "alert") == NULL);
    CHECK(strstr(mt_buf_str(&out), "<") == NULL);
    mt_buf_free(&out);
}

TEST(xhtml_sanitize_deep_nesting_is_walked_or_refused)
{
    mt_buf in, out;
    int i;
    mt_buf_init(&in, 1 << 20);
    mt_buf_init(&out, 1 << 20);
    /* 200 levels: within libxml2's limit, walked without recursion. */
    for (i = 0; i < 100; i++)
        mt_buf_puts(&in, "<b><i>");
    mt_buf_puts(&in, "deep");
    CHECK(mt_xhtml_sanitize(in.data, in.len, &out, NULL) == MT_OK);
    CHECK_CONTAINS(mt_buf_str(&out), "<b><i>deep</i></b>");
    /* 40,000 levels: the parser halts, and a cut-short text is an error. */
    for (i = 0; i < 20000; i++)
        mt_buf_puts(&in, "<b><i>");
    mt_buf_puts(&in, "deeper");
    mt_buf_reset(&out);
    CHECK(mt_xhtml_sanitize(in.data, in.len, &out, NULL) == MT_EFORMAT);
    mt_buf_free(&in);
    mt_buf_free(&out);
}
