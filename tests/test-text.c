/* test-text.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * health_text_sanitize(): what text from elsewhere (a remote monitor's
 * labels, a process name, an app's strings) becomes before it reaches a
 * terminal, a notification, a tooltip or a log; health_text_escape_json():
 * the same characters in JSON, escaped rather than lost.
 */

#include <string.h>

#include "health-text-private.h"

typedef struct
{
  const char *name;
  const char *input;
  gssize      len;
  const char *expected;
} Case;

#define FFFD "\xef\xbf\xbd"

static const Case cases[] = {
  { "plain", "Memory Usage", -1, "Memory Usage" },
  { "empty", "", -1, "" },
  { "unicode", "Speicherauslastung · 内存 ✓ é", -1, "Speicherauslastung · 内存 ✓ é" },
  { "markup-is-not-ours", "<b>hog&amp;</b>", -1, "<b>hog&amp;</b>" },

  /* C0: whitespace becomes a space (one line), the rest is replaced. */
  { "tab-newline-cr", "a\tb\nc\rd\ve\ff", -1, "a b c d e f" },
  { "esc-csi", "\033[2J\033[31mred\033[0m", -1, FFFD "[2J" FFFD "[31mred" FFFD "[0m" },
  { "osc-title", "\033]0;pwned\a", -1, FFFD "]0;pwned" FFFD },
  { "bell-backspace", "ok\b\b\bno", -1, "ok" FFFD FFFD FFFD "no" },
  { "del", "a\177b", -1, "a" FFFD "b" },
  { "nul-inside-length", "a\0b", 3, "a" FFFD "b" },
  { "length-cuts", "abcdef", 3, "abc" },

  /* C1, as UTF-8: CSI U+009B is ESC [ to many terminals; NEL is a line end. */
  { "c1-csi", "\xc2\x9b" "31mred", -1, FFFD "31mred" },
  { "c1-osc-st", "\xc2\x9d" "0;pwned\xc2\x9c", -1, FFFD "0;pwned" FFFD },
  { "c1-nel", "a\xc2\x85" "b", -1, "a b" },
  { "line-separators", "a\xe2\x80\xa8" "b\xe2\x80\xa9" "c", -1, "a b c" },

  /* Bidi controls reorder what is shown: gone, the logical order stays. */
  { "rlo", "invoice\xe2\x80\xae" "fdp.exe", -1, "invoicefdp.exe" },
  { "lro-pdf", "\xe2\x80\xad" "abc\xe2\x80\xac", -1, "abc" },
  { "embeddings", "\xe2\x80\xaa" "a\xe2\x80\xab" "b", -1, "ab" },
  { "isolates", "\xe2\x81\xa6" "a\xe2\x81\xa7" "b\xe2\x81\xa8" "c\xe2\x81\xa9", -1, "abc" },
  { "marks", "\xe2\x80\x8e" "a\xe2\x80\x8f" "b\xd8\x9c" "c", -1, "abc" },

  /* Invisible format characters that hide or split text. */
  { "zero-width-space", "fire\xe2\x80\x8b" "fox", -1, "firefox" },
  { "bom-word-joiner", "\xef\xbb\xbf" "a\xe2\x81\xa0" "b", -1, "ab" },
  { "soft-hyphen", "a\xc2\xad" "b", -1, "ab" },
  { "tag-characters", "a\xf3\xa0\x81\x81\xf3\xa0\x81\xbf" "b", -1, "ab" },
  /* ZWNJ and ZWJ shape Persian, Indic scripts and emoji: kept. */
  { "zwnj-zwj", "\xd9\x85\xe2\x80\x8c\xd9\x8a \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb", -1,
    "\xd9\x85\xe2\x80\x8c\xd9\x8a \xf0\x9f\x91\xa9\xe2\x80\x8d\xf0\x9f\x92\xbb" },

  /* Invalid UTF-8: one U+FFFD per byte that starts nothing valid. */
  { "invalid-byte", "a\xff" "b", -1, "a" FFFD "b" },
  { "truncated-sequence", "a\xe2\x82", -1, "a" FFFD FFFD },
  { "overlong-nul", "a\xc0\x80" "b", -1, "a" FFFD FFFD "b" },
  { "overlong-esc", "\xc0\x9b[31m", -1, FFFD FFFD "[31m" },
  { "surrogate", "\xed\xa0\x80", -1, FFFD FFFD FFFD },
  { "beyond-unicode", "\xf4\x90\x80\x80", -1, FFFD FFFD FFFD FFFD },
};

static gboolean
is_clean (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (type == G_UNICODE_CONTROL || type == G_UNICODE_LINE_SEPARATOR ||
          type == G_UNICODE_PARAGRAPH_SEPARATOR ||
          (type == G_UNICODE_FORMAT && c != 0x200c && c != 0x200d))
        return FALSE;
    }

  return TRUE;
}

static void
test_text_case (gconstpointer data)
{
  const Case *test = data;
  g_autofree char *clean = health_text_sanitize (test->input, test->len);

  g_assert_cmpstr (clean, ==, test->expected);
  g_assert_true (is_clean (clean));
}

static void
test_text_null (void)
{
  g_assert_null (health_text_sanitize (NULL, -1));
}

/* Every byte value in every position, and long input: always clean,
 * never more than the three bytes of U+FFFD per byte in. */
static void
test_text_every_byte (void)
{
  g_autoptr (GString) input = g_string_new (NULL);
  g_autofree char *clean = NULL;

  /* An odd factor permutes the bytes 1 to 255: each round, another order. */
  for (guint round = 0; round < 64; round++)
    for (guint byte = 1; byte < 256; byte++)
      g_string_append_c (input, (char) ((byte * (2 * round + 1)) & 0xff));

  clean = health_text_sanitize (input->str, -1);
  g_assert_true (is_clean (clean));
  g_assert_cmpuint (strlen (clean), <=, 3 * input->len);

  for (guint byte = 0; byte < 256; byte++)
    {
      char one = (char) byte;
      g_autofree char *single = health_text_sanitize (&one, 1);

      g_assert_true (is_clean (single));
    }
}

static void
test_text_long (void)
{
  gsize len = 4 * 1024 * 1024;
  g_autofree char *input = g_malloc (len + 1);
  g_autofree char *clean = NULL;

  for (gsize i = 0; i < len; i++)
    input[i] = "ab\033\n"[i % 4];
  input[len] = '\0';

  clean = health_text_sanitize (input, len);
  g_assert_true (is_clean (clean));
  g_assert_cmpuint (strlen (clean), ==, len + len / 4 * 2);
}

/* JSON as json-glib writes it: control characters in strings are \u
 * escapes already, the rest is raw UTF-8. */
static void
test_text_escape_json (void)
{
  const char *json = "{\n  \"label\" : \"\\u001b]0;pwned\\u0007\xc2\x9b" "2J\xe2\x80\xae" "abc\",\n"
                     "\t\"unit\" : \"\xe2\x80\x8b\xf3\xa0\x81\x81\x7f\xff \xc3\xa9 \xe2\x80\x8d\"\r\n}";
  g_autofree char *escaped = health_text_escape_json (json, -1);

  g_assert_cmpstr (escaped, ==,
                   "{\n  \"label\" : \"\\u001b]0;pwned\\u0007\\u009b2J\\u202eabc\",\n"
                   "\t\"unit\" : \"\\u200b\\udb40\\udc41\\u007f\xef\xbf\xbd \xc3\xa9 \xe2\x80\x8d\"\r\n}");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/text/sanitize/%s", cases[i].name);

      g_test_add_data_func (path, &cases[i], test_text_case);
    }
  g_test_add_func ("/text/sanitize/null", test_text_null);
  g_test_add_func ("/text/sanitize/every-byte", test_text_every_byte);
  g_test_add_func ("/text/sanitize/long", test_text_long);
  g_test_add_func ("/text/escape-json", test_text_escape_json);

  return g_test_run ();
}
