/* health-cli-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `health-monitor export [--textfile PATH] [--openmetrics]`: sample once
 * and write the Prometheus text, to stdout or atomically to a file for
 * node_exporter's textfile collector.
 *
 * The collector reads every `*.prom` file of its directory at each
 * scrape, so it must never see a half-written one: the text goes to a
 * hidden temporary file in the same directory (same file system, so
 * rename(2) is atomic; not named `*.prom`, so the collector skips it),
 * which is then renamed over PATH.
 *
 * PATH must be a regular file or not exist. A symbolic link is refused
 * rather than followed or replaced: following it could overwrite any
 * file the link names (a classic attack on jobs run as root), and
 * replacing it would silently detach whatever the link was for. If
 * PATH turns into a link between the check and the rename, rename(2)
 * replaces the link itself: nothing is ever written through one.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "health-cli-private.h"

/* A new file must be readable by node_exporter, which runs as another
 * user; these metrics are no secret, `serve` gives them to anyone who
 * can connect. A file being replaced keeps its mode. */
#define NEW_FILE_MODE 0644

typedef struct
{
  char   *path;
  char   *directory;
  mode_t  mode;
} Target;

static void
target_clear (Target *target)
{
  g_clear_pointer (&target->path, g_free);
  g_clear_pointer (&target->directory, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Target, target_clear)

/* Everything that can be known before sampling, so that a wrong path
 * fails at once and with exit status 2. */
static gboolean
check_target (const char  *path,
              Target      *target,
              char       **message)
{
  struct stat st;

  if (path[0] == '\0')
    {
      *message = g_strdup (_("The path of the text file is empty"));
      return FALSE;
    }

  target->path = g_strdup (path);
  target->directory = g_path_get_dirname (path);
  target->mode = NEW_FILE_MODE;

  if (lstat (path, &st) == 0)
    {
      if (S_ISLNK (st.st_mode))
        {
          *message = g_strdup_printf (_("“%s” is a symbolic link. Give the path of the file "
                                        "itself: export replaces the file atomically and "
                                        "never writes through or replaces a link"), path);
          return FALSE;
        }
      if (S_ISDIR (st.st_mode))
        {
          g_autofree char *example = g_build_filename (path, "health.prom", NULL);

          *message = g_strdup_printf (_("“%s” is a directory. Give the path of a file in it, "
                                        "such as “%s”"), path, example);
          return FALSE;
        }
      if (!S_ISREG (st.st_mode))
        {
          *message = g_strdup_printf (_("“%s” is not a regular file"), path);
          return FALSE;
        }
      /* rename(2) would replace a read-only file as long as the
       * directory is writable; read-only says "leave it alone". */
      if (faccessat (AT_FDCWD, path, W_OK, AT_EACCESS) != 0)
        {
          int saved_errno = errno;

          *message = g_strdup_printf (_("“%s” is not writable: %s"), path,
                                      g_strerror (saved_errno));
          return FALSE;
        }

      target->mode = st.st_mode & 07777;
    }
  else if (errno != ENOENT)
    {
      int saved_errno = errno;

      *message = g_strdup_printf (_("Cannot use “%s”: %s"), path, g_strerror (saved_errno));
      return FALSE;
    }

  /* The temporary file is created there, and the rename changes it. */
  if (faccessat (AT_FDCWD, target->directory, W_OK | X_OK, AT_EACCESS) != 0)
    {
      int saved_errno = errno;

      *message = g_strdup_printf (_("Cannot write in the directory “%s”: %s"),
                                  target->directory, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}

static gboolean
write_all (int          fd,
           const char  *data,
           gsize        len,
           GError     **error)
{
  while (len > 0)
    {
      ssize_t written = write (fd, data, len);

      if (written < 0)
        {
          int saved_errno = errno;

          if (saved_errno == EINTR)
            continue;

          g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               g_strerror (saved_errno));
          return FALSE;
        }

      data += written;
      len -= written;
    }

  return TRUE;
}

/* So that the new name survives a crash right after we exit; the data
 * itself was synced before the rename. Best effort. */
static void
sync_directory (const char *directory)
{
  int fd = open (directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (fd < 0)
    return;

  if (fsync (fd) != 0)
    g_debug ("Could not sync “%s”: %s", directory, g_strerror (errno));
  close (fd);
}

typedef enum
{
  REPLACE_OK,
  REPLACE_REFUSED,   /* the temporary file could not be made: the path is wrong */
  REPLACE_FAILED,    /* writing failed half-way: disk full, I/O error */
} ReplaceResult;

static ReplaceResult
replace_contents (const Target  *target,
                  const char    *text,
                  GError       **error)
{
  g_autofree char *basename = g_path_get_basename (target->path);
  g_autofree char *template_name = g_strdup_printf (".%s.XXXXXX", basename);
  g_autofree char *temp_path = g_build_filename (target->directory, template_name, NULL);
  gboolean ok;
  int fd;

  /* O_CREAT | O_EXCL (added by g_mkstemp_full) with O_NOFOLLOW: a name
   * that exists, a planted symbolic link included, is never opened. */
  fd = g_mkstemp_full (temp_path, O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create a file in “%s”: %s"),
                   target->directory, g_strerror (saved_errno));
      return REPLACE_REFUSED;
    }

  /* Explicitly, not through the umask: see NEW_FILE_MODE. */
  if (fchmod (fd, target->mode) != 0)
    g_debug ("Could not set the mode of “%s”: %s", temp_path, g_strerror (errno));

  /* The data must be on disk before the name points to it, or a crash
   * could leave an empty file under the final name. */
  ok = write_all (fd, text, strlen (text), error);
  if (ok && fsync (fd) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      ok = FALSE;
    }
  if (!g_close (fd, ok ? error : NULL))
    ok = FALSE;

  if (!ok)
    {
      g_prefix_error (error, _("Cannot write “%s”: "), temp_path);
      (void) g_unlink (temp_path);
      return REPLACE_FAILED;
    }

  if (g_rename (temp_path, target->path) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot replace “%s”: %s"), target->path, g_strerror (saved_errno));
      (void) g_unlink (temp_path);
      return REPLACE_FAILED;
    }

  sync_directory (target->directory);

  return REPLACE_OK;
}

int
health_cli_export (int    argc,
                   char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *textfile = NULL;
  g_autofree char *message = NULL;
  g_autofree char *text = NULL;
  g_auto (Target) target = { NULL, };
  gboolean openmetrics = FALSE;
  g_auto (HealthCliMonitorOptions) options = { 0 };
  g_autoptr (HealthMonitor) monitor = NULL;
  int exit_status;
  const GOptionEntry entries[] = {
    { "textfile", 't', 0, G_OPTION_ARG_FILENAME, &textfile,
      N_("Write to PATH atomically instead of to standard output"), N_("PATH") },
    { "openmetrics", 0, 0, G_OPTION_ARG_NONE, &openmetrics,
      N_("Write the OpenMetrics 1.0 format instead of the Prometheus text format 0.0.4"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_set_prgname ("health-monitor export");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  health_cli_add_monitor_options (context, &options);
  g_option_context_set_summary (context,
                                N_("Sample the system once and write every metric in the "
                                   "Prometheus text format. With --textfile, for "
                                   "node_exporter’s textfile collector: the file (named "
                                   "*.prom, in the collector’s directory) is replaced "
                                   "atomically, never half-written, and a symbolic link is "
                                   "refused rather than followed."));
  g_option_context_set_description (context,
                                    N_("Exit status: 0 when the metrics were written, whatever "
                                       "their status; 1 when sampling or writing failed; 2 on "
                                       "usage errors and on a path that is a directory, a "
                                       "symbolic link or not writable."));

  if (!health_cli_parse_options (context, "export", &argc, &argv, &exit_status))
    return exit_status;

  if (!health_cli_check_monitor_options ("export", &options, &exit_status))
    return exit_status;

  if (textfile != NULL)
    {
      if (!check_target (textfile, &target, &message))
        return health_cli_usage_error ("export", "%s", message);

      if (!g_str_has_suffix (textfile, ".prom") && !openmetrics)
        g_printerr (_("health-monitor export: Warning: node_exporter’s textfile collector "
                      "only reads files named *.prom\n"));
      if (openmetrics)
        g_printerr (_("health-monitor export: Warning: node_exporter’s textfile collector "
                      "reads the Prometheus text format, not OpenMetrics\n"));
    }

  monitor = health_cli_monitor_new (&options);

  if (!health_cli_sample_with_rates (monitor, &error))
    {
      g_printerr (_("health-monitor export: Could not sample: %s\n"), error->message);
      return HEALTH_CLI_EXIT_UNHEALTHY;
    }

  health_cli_print_unknown_reason (monitor, "export");

  text = health_cli_dup_exposition (monitor,
                                    openmetrics ? HEALTH_CLI_EXPOSURE_OPENMETRICS
                                                : HEALTH_CLI_EXPOSURE_PROMETHEUS,
                                    0, g_get_real_time ());

  if (textfile == NULL)
    {
      /* The format is UTF-8 whatever the locale. A write error is
       * reported at exit. */
      if (!health_cli_write_stdout (text, strlen (text)))
        return HEALTH_CLI_EXIT_UNHEALTHY;
      return HEALTH_CLI_EXIT_OK;
    }

  switch (replace_contents (&target, text, &error))
    {
    case REPLACE_OK:
      return HEALTH_CLI_EXIT_OK;
    case REPLACE_REFUSED:
      return health_cli_usage_error ("export", "%s", error->message);
    case REPLACE_FAILED:
    default:
      g_printerr ("health-monitor export: %s\n", error->message);
      return HEALTH_CLI_EXIT_UNHEALTHY;
    }
}
