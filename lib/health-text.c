/* health-text.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A terminal obeys the escape sequences in what it prints (retitle the
 * window, clear the screen, move the cursor over what was written), and
 * every renderer obeys the bidi controls ("invoice", U+202E, "fdp.exe"
 * shows as "invoiceexe.pdf"). So text that someone else chose is made
 * into one line of printable UTF-8 before anyone is shown it.
 */

#include "config.h"

#include <string.h>

#include "health-text-private.h"

#define REPLACEMENT_CHARACTER      0xfffd
#define REPLACEMENT_CHARACTER_UTF8 "\xef\xbf\xbd"
#define ZERO_WIDTH_NON_JOINER      0x200c
#define ZERO_WIDTH_JOINER          0x200d

typedef enum
{
  KEEP,
  SPACE,     /* a line or column break: one line, words still apart */
  REPLACE,   /* a control: shown as U+FFFD, so that it is seen to be there */
  DROP,      /* invisible: reorders or hides its neighbours */
} Treatment;

static Treatment
classify (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
      /* C0, DEL and C1; NEL (U+0085) ends a line like LF. */
      if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r' || c == 0x85)
        return SPACE;
      return REPLACE;

    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return SPACE;

    case G_UNICODE_FORMAT:
      /* Bidi marks, embeddings, overrides and isolates, zero-width
       * spaces, the BOM, tag characters, the soft hyphen. ZWNJ and ZWJ
       * only choose how neighbours join: Persian, Indic scripts and
       * emoji sequences need them, and they move nothing. */
      if (c == ZERO_WIDTH_NON_JOINER || c == ZERO_WIDTH_JOINER)
        return KEEP;
      return DROP;

    default:
      return KEEP;
    }
}

/* Each character of `text` in turn, to `append`; a byte that is not valid
 * UTF-8 (nor NUL) comes as U+FFFD. */
typedef void (*AppendFunc) (GString    *out,
                            gunichar    c,
                            const char *utf8,
                            gsize       n_bytes);

static char *
text_map (const char *text,
          gssize      len,
          AppendFunc  append)
{
  GString *out;
  const char *end;

  if (len < 0)
    len = strlen (text);

  out = g_string_sized_new (len);
  end = text + len;

  for (const char *p = text; p < end;)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      /* Invalid, cut short or NUL (-2): one replacement per byte. */
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          append (out, REPLACEMENT_CHARACTER, REPLACEMENT_CHARACTER_UTF8,
                  strlen (REPLACEMENT_CHARACTER_UTF8));
          p++;
          continue;
        }

      append (out, c, p, g_utf8_next_char (p) - p);
      p = g_utf8_next_char (p);
    }

  return g_string_free (out, FALSE);
}

static void
append_sanitized (GString    *out,
                  gunichar    c,
                  const char *utf8,
                  gsize       n_bytes)
{
  switch (classify (c))
    {
    case KEEP:
      g_string_append_len (out, utf8, n_bytes);
      break;
    case SPACE:
      g_string_append_c (out, ' ');
      break;
    case REPLACE:
      g_string_append (out, REPLACEMENT_CHARACTER_UTF8);
      break;
    case DROP:
    default:
      break;
    }
}

/**
 * health_text_sanitize:
 * @text: (nullable): text from elsewhere, meant to be UTF-8
 * @len: its length in bytes, or -1 when it ends with a NUL
 *
 * Makes @text safe to show on a terminal, in a notification, a tooltip or
 * a log: valid UTF-8 on one line, with nothing that a terminal or a text
 * renderer would obey rather than show. Each byte that is not valid
 * UTF-8 becomes U+FFFD, as do control characters (C0, DEL, C1, and NUL
 * within @len); tabs and line breaks become spaces; bidi controls and
 * invisible format characters are removed.
 *
 * Returns: (transfer full) (nullable): the clean text, %NULL only when
 *   @text is %NULL
 */
char *
health_text_sanitize (const char *text,
                      gssize      len)
{
  if (text == NULL)
    return NULL;

  return text_map (text, len, append_sanitized);
}

static void
append_json_escaped (GString    *out,
                     gunichar    c,
                     const char *utf8,
                     gsize       n_bytes)
{
  /* Whitespace between tokens; inside strings json-glib escapes it. */
  if (c == '\t' || c == '\n' || c == '\r' || classify (c) == KEEP)
    {
      g_string_append_len (out, utf8, n_bytes);
      return;
    }

  if (c < 0x10000)
    {
      g_string_append_printf (out, "\\u%04x", c);
      return;
    }

  /* Beyond the BMP, JSON escapes a UTF-16 surrogate pair. */
  c -= 0x10000;
  g_string_append_printf (out, "\\u%04x\\u%04x", 0xd800 + (c >> 10), 0xdc00 + (c & 0x3ff));
}

/**
 * health_text_escape_json:
 * @json: JSON text, such as json-glib writes
 * @len: its length in bytes, or -1 when it ends with a NUL
 *
 * The JSON counterpart of health_text_sanitize(): the same text for a
 * program that parses it, and nothing a terminal would obey for a person
 * who reads it. Every character that health_text_sanitize() would not
 * keep as it is becomes a `\uXXXX` escape, and each byte that is not
 * valid UTF-8 U+FFFD; tabs, line breaks and spaces between tokens stay.
 * Such characters only occur inside strings, where an escape means the
 * same, since JSON's own syntax is ASCII.
 *
 * Returns: (transfer full): the escaped JSON
 */
char *
health_text_escape_json (const char *json,
                         gssize      len)
{
  g_return_val_if_fail (json != NULL, NULL);

  return text_map (json, len, append_json_escaped);
}
