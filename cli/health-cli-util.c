/* health-cli-util.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Small helpers the subcommands share: option parsing with the exit
 * statuses scripts rely on, colours, and text that fits a column.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>

#include "health-cli-private.h"
#include "health-text-private.h"

/* Parses the options of one subcommand. Returns FALSE when the command
 * must not go on, with the status to exit with in `exit_status`: a usage
 * error is reported on stderr, never on stdout, so a script reading our
 * output does not take the message for data.
 */
gboolean
health_cli_parse_options (GOptionContext   *context,
                          const char       *command,
                          int              *argc,
                          char           ***argv,
                          int              *exit_status)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *exit_status = health_cli_usage_error (command, "%s", error->message);
      return FALSE;
    }

  /* No subcommand takes positional arguments yet; ignoring one would hide
   * a typo such as `status json`. */
  if (*argc > 1)
    {
      *exit_status = health_cli_usage_error (command,
                                             _("Unexpected argument “%s”"),
                                             (*argv)[1]);
      return FALSE;
    }

  return TRUE;
}

int
health_cli_usage_error (const char *command,
                        const char *format,
                        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  if (command != NULL)
    {
      g_printerr ("health-monitor %s: %s\n", command, message);
      /* TRANSLATORS: %s is a subcommand such as "status" */
      g_printerr (_("Try “health-monitor %s --help” for more information."), command);
    }
  else
    {
      g_printerr ("health-monitor: %s\n", message);
      g_printerr (_("Try “health-monitor --help” for more information."));
    }
  g_printerr ("\n");

  return HEALTH_CLI_EXIT_USAGE;
}

/* The library takes intervals from HEALTH_MONITOR_MIN_INTERVAL to
 * HEALTH_MONITOR_MAX_INTERVAL and meets any other with a critical; what
 * a person types is checked here instead, as a usage error. */
gboolean
health_cli_check_interval (const char *command,
                           int         interval,
                           int        *exit_status)
{
  if (interval >= HEALTH_MONITOR_MIN_INTERVAL && interval <= HEALTH_MONITOR_MAX_INTERVAL)
    return TRUE;

  *exit_status = health_cli_usage_error (command,
                                         _("The interval must be from %u to %u milliseconds "
                                           "(a day), not %d"),
                                         (guint) HEALTH_MONITOR_MIN_INTERVAL,
                                         (guint) HEALTH_MONITOR_MAX_INTERVAL,
                                         interval);
  return FALSE;
}

/* As Nagios plugins, whose 3 is UNKNOWN too; 1 is kept for critical,
 * as scripts written for it expect. */
int
health_cli_exit_for_status (HealthStatus status)
{
  if (status == HEALTH_STATUS_UNKNOWN)
    return HEALTH_CLI_EXIT_UNKNOWN;

  return status >= HEALTH_STATUS_CRITICAL ? HEALTH_CLI_EXIT_UNHEALTHY : HEALTH_CLI_EXIT_OK;
}

/* As https://no-color.org asks: any non-empty NO_COLOR disables colour. */
gboolean
health_cli_want_color (int fd)
{
  const char *no_color = g_getenv ("NO_COLOR");
  const char *term = g_getenv ("TERM");

  if (no_color != NULL && no_color[0] != '\0')
    return FALSE;

  /* A dumb terminal prints escape sequences as garbage. */
  if (g_strcmp0 (term, "dumb") == 0)
    return FALSE;

  return isatty (fd);
}

gboolean
health_cli_locale_is_utf8 (void)
{
  return g_get_charset (NULL);
}

/* SGR parameters; UNKNOWN is dim so that it never looks like a verdict. */
const char *
health_cli_status_color (HealthStatus status)
{
  switch (status)
    {
    case HEALTH_STATUS_UNKNOWN:
      return "2";
    case HEALTH_STATUS_EXCELLENT:
      return "1;32";
    case HEALTH_STATUS_GOOD:
      return "32";
    case HEALTH_STATUS_WARNING:
      return "1;33";
    case HEALTH_STATUS_CRITICAL:
      return "1;31";
    case HEALTH_STATUS_EMERGENCY:
      return "1;97;41";
    default:
      return "0";
    }
}

/* Terminal columns taken by `text`: CJK labels take two per character,
 * combining marks none.
 */
gsize
health_cli_text_width (const char *text)
{
  gsize width = 0;

  if (!g_utf8_validate (text, -1, NULL))
    return strlen (text);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;

      width += g_unichar_iswide (c) ? 2 : 1;
    }

  return width;
}

/* Appends `text` padded with spaces, or cut with an ellipsis, to exactly
 * `width` columns.
 */
void
health_cli_append_fitted (GString    *out,
                          const char *text,
                          gsize       width,
                          gboolean    align_right)
{
  gsize text_width = health_cli_text_width (text);

  if (text_width <= width)
    {
      gsize pad = width - text_width;

      if (align_right)
        for (gsize i = 0; i < pad; i++)
          g_string_append_c (out, ' ');

      g_string_append (out, text);

      if (!align_right)
        for (gsize i = 0; i < pad; i++)
          g_string_append_c (out, ' ');

      return;
    }

  if (width == 0)
    return;

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_string_append_len (out, text, width);
      return;
    }

  {
    const char *ellipsis = health_cli_locale_is_utf8 () ? "…" : ".";
    gsize used = 0;

    for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
      {
        gunichar c = g_utf8_get_char (p);
        gsize w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

        if (used + w > width - 1)
          break;

        g_string_append_unichar (out, c);
        used += w;
      }

    g_string_append (out, ellipsis);
    used++;

    for (; used < width; used++)
      g_string_append_c (out, ' ');
  }
}

/* Like health_cli_append_fitted(), with the text (not its padding) in
 * colour, so that underlines and backgrounds do not run into the gap.
 */
void
health_cli_append_colored (GString    *out,
                           const char *text,
                           const char *sgr,
                           gsize       width,
                           gboolean    color)
{
  g_autoptr (GString) cell = g_string_new (NULL);
  gsize text_len;

  health_cli_append_fitted (cell, text, width, FALSE);

  if (!color)
    {
      g_string_append_len (out, cell->str, cell->len);
      return;
    }

  /* The fitted text is the cell without its trailing padding. */
  text_len = cell->len;
  while (text_len > 0 && cell->str[text_len - 1] == ' ')
    text_len--;

  g_string_append_printf (out, "\033[%sm", sgr);
  g_string_append_len (out, cell->str, text_len);
  g_string_append (out, "\033[0m");
  g_string_append_len (out, cell->str + text_len, cell->len - text_len);
}

/* A number for machines: C locale whatever LC_NUMERIC says, no exponent,
 * at most three decimals and none that are zero; "nan" when unknown.
 */
char *
health_cli_format_number (double value)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE + 32];
  gsize len;

  if (isnan (value))
    return g_strdup ("nan");
  if (isinf (value))
    return g_strdup (value > 0 ? "inf" : "-inf");

  g_ascii_formatd (buf, sizeof buf, "%.3f", value);

  len = strlen (buf);
  if (strchr (buf, '.') != NULL)
    {
      while (len > 0 && buf[len - 1] == '0')
        buf[--len] = '\0';
      if (len > 0 && buf[len - 1] == '.')
        buf[--len] = '\0';
    }

  if (strcmp (buf, "-0") == 0)
    return g_strdup ("0");

  return g_strdup (buf);
}

/* For the few writes that must not go through stdio, such as restoring
 * the terminal from a signal handler: only async-signal-safe calls.
 */
void
health_cli_write_all (int         fd,
                      const char *data,
                      gsize       len)
{
  while (len > 0)
    {
      ssize_t written = write (fd, data, len);

      if (written < 0)
        {
          if (errno == EINTR)
            continue;
          return;
        }

      data += written;
      len -= written;
    }
}

/* Cuts a line that may hold SGR escape sequences to `width` columns. A
 * terminal without autowrap would otherwise write every character past
 * the edge over the last column.
 */
void
health_cli_truncate_line (GString *line,
                          gsize    width)
{
  const char *p = line->str;
  const char *end = line->str + line->len;
  gsize used = 0;
  gboolean has_escapes = FALSE;

  if (!g_utf8_validate (line->str, line->len, NULL))
    return;

  while (p < end)
    {
      gunichar c;
      gsize w;

      /* CSI: ESC [ parameters, then a final byte in @..~ */
      if (*p == '\033' && p + 1 < end && p[1] == '[')
        {
          p += 2;
          while (p < end && !(*p >= 0x40 && *p <= 0x7e))
            p++;
          if (p < end)
            p++;
          has_escapes = TRUE;
          continue;
        }

      c = g_utf8_get_char (p);
      w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (used + w > width)
        {
          g_string_truncate (line, p - line->str);
          if (has_escapes)
            g_string_append (line, "\033[0m");
          return;
        }

      used += w;
      p = g_utf8_next_char (p);
    }
}

/* `text` (UTF-8) in the locale's charset, or NULL when that is UTF-8.
 * Unlike g_print(), which turns what the charset lacks into "?", this
 * transliterates: the library's "—" for an unknown value becomes "-"
 * and its no-break spaces spaces under LANG=C.
 */
static char *
dup_in_locale_charset (const char *text)
{
  const char *charset;
  g_autofree char *target = NULL;
  char *converted;

  if (g_get_charset (&charset))
    return NULL;

  target = g_strconcat (charset, "//TRANSLIT", NULL);
  converted = g_convert_with_fallback (text, -1, target, "UTF-8", "?", NULL, NULL, NULL);
  if (converted == NULL)
    converted = g_convert_with_fallback (text, -1, charset, "UTF-8", "?", NULL, NULL, NULL);

  return converted != NULL ? converted : g_strdup (text);
}

/* The first error writing to stdout; reported once, at exit. */
static int stdout_errno;

/* Writes to stdout at once. After a first failure nothing more is
 * written: the reader, the disk or the terminal is gone.
 */
gboolean
health_cli_write_stdout (const char *data,
                         gsize       len)
{
  if (stdout_errno != 0)
    return FALSE;

  errno = 0;
  if (fwrite (data, 1, len, stdout) != len || fflush (stdout) != 0)
    {
      stdout_errno = errno != 0 ? errno : EIO;
      return FALSE;
    }

  return TRUE;
}

/* Writes UTF-8 text to stdout in the locale's charset (see
 * dup_in_locale_charset()); FALSE when it could not be written.
 */
gboolean
health_cli_print (const char *text)
{
  g_autofree char *converted = dup_in_locale_charset (text);
  const char *out = converted != NULL ? converted : text;

  return health_cli_write_stdout (out, strlen (out));
}

/* `text` as health_cli_print() will show it, still in UTF-8, so that its
 * width can be measured: under LANG=C the library's "—" is two columns.
 */
char *
health_cli_dup_printable (const char *text)
{
  const char *charset;
  g_autofree char *converted = dup_in_locale_charset (text);
  char *back;

  if (converted == NULL || g_get_charset (&charset))
    return g_strdup (text);

  back = g_convert (converted, -1, "UTF-8", charset, NULL, NULL, NULL);

  return back != NULL ? back : g_strdup (text);
}

/* The label of `metric` and, beside it, what it is about where the
 * library says: "Disk Usage (/home)", "Swap Usage (no swap)". Either may
 * come from another process: safe to print. */
char *
health_cli_dup_metric_label (HealthMetric *metric)
{
  const char *detail = health_metric_get_detail (metric);
  g_autofree char *label = NULL;

  if (detail == NULL || *detail == '\0')
    return health_cli_dup_safe (health_metric_get_label (metric));

  /* TRANSLATORS: a metric's label and what it is about, such as
   * "Disk Usage (/home)" or "Swap Usage (no swap)" */
  label = g_strdup_printf (_("%s (%s)"), health_metric_get_label (metric), detail);

  return health_cli_dup_safe (label);
}

/* Text from elsewhere (a remote monitor's label, unit or recommendation, a
 * peer's error) made safe to print, then printable. */
char *
health_cli_dup_safe (const char *text)
{
  g_autofree char *clean = health_text_sanitize (text, -1);

  return health_cli_dup_printable (clean);
}

/* For what goes through g_print() and g_printerr(): our messages with
 * names, paths and errors in them, whose lines are kept apart. */
static char *
dup_safe_lines (const char *text)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      char *clean = health_text_sanitize (lines[i], -1);

      g_free (lines[i]);
      lines[i] = clean;
    }

  return g_strjoinv ("\n", lines);
}

static void
print_to_stdout (const char *text)
{
  g_autofree char *safe = dup_safe_lines (text);

  health_cli_print (safe);
}

static void
print_to_stderr (const char *text)
{
  g_autofree char *safe = dup_safe_lines (text);
  g_autofree char *converted = dup_in_locale_charset (safe);

  fputs (converted != NULL ? converted : safe, stderr);
  fflush (stderr);
}

/* g_print() and g_printerr() (and GOption's --help) print safe text, and
 * what fails to reach stdout is known. */
void
health_cli_install_print_handlers (void)
{
  g_set_print_handler (print_to_stdout);
  g_set_printerr_handler (print_to_stderr);
}

/* With 0, 1 or 2 closed, the next file or socket opened would take its
 * number, and what we print would go into it: a D-Bus connection, a
 * client of `serve`. Each gets /dev/null instead, stdout read-only so
 * that writing to it fails as it would have, and is reported.
 */
void
health_cli_guard_standard_fds (void)
{
  for (int fd = STDIN_FILENO; fd <= STDERR_FILENO; fd++)
    {
      int null_fd;

      if (fcntl (fd, F_GETFD) >= 0 || errno != EBADF)
        continue;

      null_fd = open ("/dev/null", fd == STDERR_FILENO ? O_WRONLY : O_RDONLY);
      if (null_fd < 0)
        abort ();
      if (null_fd != fd)
        {
          if (dup2 (null_fd, fd) < 0)
            abort ();
          close (null_fd);
        }
    }
}

/* At exit: everything printed must have reached stdout, or the command
 * fails, saying so, whatever else it would have exited with (as
 * coreutils' close_stdout()). Also catches what GOption prints for
 * --help before it calls exit().
 */
void
health_cli_check_stdout_at_exit (void)
{
  if (fclose (stdout) != 0 && stdout_errno == 0)
    stdout_errno = errno != 0 ? errno : EIO;

  if (stdout_errno == 0)
    return;

  g_printerr (_("%s: Could not write to standard output: %s\n"),
              g_get_prgname (), g_strerror (stdout_errno));
  _exit (HEALTH_CLI_EXIT_UNHEALTHY);
}
