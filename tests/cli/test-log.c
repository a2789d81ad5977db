/* test-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The log writer of `health-monitor`: a message that carries text from
 * elsewhere reaches stderr, or the line of `watch`'s full-screen view,
 * as text, never as escape sequences the terminal would obey, and on
 * one line, so that nothing can forge another.
 */

#include "config.h"

#include <locale.h>
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "health-cli-private.h"

#define HOSTILE "\033]0;pwned\a\xc2\x9b" "2J\xe2\x80\xae\nforged line"
#define CLEAN   "\xef\xbf\xbd]0;pwned\xef\xbf\xbd\xef\xbf\xbd" "2J forged line"

static void
on_sink_message (GLogLevelFlags  log_level,
                 const char     *message,
                 gpointer        user_data)
{
  char **received = user_data;

  g_free (*received);
  *received = g_strdup (message);
}

static void
test_log_stderr (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *written = NULL;
  int saved_stderr = dup (STDERR_FILENO);
  int fd = g_file_open_tmp ("health-log-XXXXXX", &path, &error);

  g_assert_no_error (error);
  g_assert_cmpint (dup2 (fd, STDERR_FILENO), ==, STDERR_FILENO);
  g_message ("%s", HOSTILE);
  g_assert_cmpint (dup2 (saved_stderr, STDERR_FILENO), ==, STDERR_FILENO);
  close (saved_stderr);
  close (fd);

  g_assert_true (g_file_get_contents (path, &written, NULL, NULL));
  g_unlink (path);
  g_assert_nonnull (strstr (written, CLEAN "\n"));
  g_assert_null (strchr (written, '\033'));
  g_assert_null (strchr (written, '\a'));
  g_assert_null (strstr (written, "\nforged"));
}

static void
test_log_sink (void)
{
  g_autofree char *received = NULL;

  health_cli_set_log_sink (on_sink_message, &received);
  g_message ("%s", HOSTILE);
  health_cli_set_log_sink (NULL, NULL);

  g_assert_cmpstr (received, ==, CLEAN);
}

int
main (int    argc,
      char **argv)
{
  /* U+FFFD stays U+FFFD on stderr. */
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, NULL);
  /* As in the command: g_message() reaches the writer, which GTest's own
   * handler would bypass. */
  g_log_set_default_handler (g_log_default_handler, NULL);
  health_cli_install_log_writer ();

  g_test_add_func ("/cli/log/stderr", test_log_stderr);
  g_test_add_func ("/cli/log/sink", test_log_sink);

  return g_test_run ();
}
