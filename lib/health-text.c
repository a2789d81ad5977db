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

#define REPLACEMENT_CHARACTER 0xfffd
#define ZERO_WIDTH_NON_JOINER 0x200c
#define ZERO_WIDTH_JOINER     0x200d

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
  GString *clean;
  const char *p;
  const char *end;

  if (text == NULL)
    return NULL;

  if (len < 0)
    len = strlen (text);

  clean = g_string_sized_new (len);
  p = text;
  end = text + len;

  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      /* Invalid, cut short or NUL (-2): one replacement per byte. */
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_unichar (clean, REPLACEMENT_CHARACTER);
          p++;
          continue;
        }

      switch (classify (c))
        {
        case KEEP:
          g_string_append_len (clean, p, g_utf8_next_char (p) - p);
          break;
        case SPACE:
          g_string_append_c (clean, ' ');
          break;
        case REPLACE:
          g_string_append_unichar (clean, REPLACEMENT_CHARACTER);
          break;
        case DROP:
        default:
          break;
        }

      p = g_utf8_next_char (p);
    }

  return g_string_free (clean, FALSE);
}
