/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts and stops health-applet-window, the GTK 4 details and
 * preferences window. It is a separate process so that the resident
 * applet never loads GTK; it reads the applet's monitor over D-Bus and
 * exits when closed.
 */

#include "config.h"

#include <signal.h>

#include <gio/gio.h>

#include "health-applet-window.h"

struct _HealthAppletWindow
{
  char        *bus_name;
  char        *object_path;
  GSubprocess *details;
  GSubprocess *preferences;
  GCancellable *cancellable;  /* the wait callbacks point into self */
};

/* The directory of the running executable, to tell an uninstalled run
 * (from the build tree) from an installed one. */
static char *
get_exe_dir (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  if (exe == NULL)
    return NULL;

  return g_path_get_dirname (exe);
}

static gboolean
running_uninstalled (void)
{
  g_autofree char *exe_dir = get_exe_dir ();
  g_autofree char *build_dir = g_canonicalize_filename (HEALTH_APPLET_BUILDDIR, NULL);

  return exe_dir != NULL && g_strcmp0 (exe_dir, build_dir) == 0;
}

/**
 * health_applet_find_window_program:
 *
 * HEALTH_APPLET_WINDOW wins (tests point it at a stand-in); then the
 * binary of the same build tree, so that an uninstalled applet never
 * starts an older installed window; then the installed one.
 *
 * Returns: (transfer full): the path of health-applet-window
 */
char *
health_applet_find_window_program (void)
{
  const char *env = g_getenv ("HEALTH_APPLET_WINDOW");
  g_autofree char *exe_dir = NULL;

  if (env != NULL && env[0] != '\0')
    return g_strdup (env);

  exe_dir = get_exe_dir ();
  if (exe_dir != NULL)
    {
      g_autofree char *sibling = g_build_filename (exe_dir, "..", "applet-window",
                                                   "health-applet-window", NULL);
      g_autofree char *canonical = g_canonicalize_filename (sibling, NULL);

      if (g_file_test (canonical, G_FILE_TEST_IS_EXECUTABLE))
        return g_steal_pointer (&canonical);
    }

  return g_build_filename (HEALTH_BINDIR, "health-applet-window", NULL);
}

/**
 * health_applet_find_icon_dir:
 *
 * Returns: (transfer full): the directory holding hicolor/ with the
 *   status icons: the source tree's data/icons when running from the
 *   build tree, so that tray hosts find icons that were never installed
 */
char *
health_applet_find_icon_dir (void)
{
  if (running_uninstalled ())
    return g_strdup (HEALTH_SOURCE_ICONDIR);

  return g_strdup (HEALTH_ICONDIR);
}

HealthAppletWindow *
health_applet_window_new (const char *bus_name,
                          const char *object_path)
{
  HealthAppletWindow *self = g_new0 (HealthAppletWindow, 1);

  self->bus_name = g_strdup (bus_name);
  self->object_path = g_strdup (object_path);
  self->cancellable = g_cancellable_new ();

  return self;
}

void
health_applet_window_free (HealthAppletWindow *self)
{
  if (self == NULL)
    return;

  /* Forget the processes without killing them: a window notices by
   * itself that the applet's name vanished. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->details);
  g_clear_object (&self->preferences);
  g_free (self->bus_name);
  g_free (self->object_path);
  g_free (self);
}

static void
window_exited_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GSubprocess *process = G_SUBPROCESS (source);
  GSubprocess **slot = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (process, result, &error))
    {
      /* Cancelled: self, and so the slot, is gone. */
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("Waiting for the window failed: %s", error->message);
      g_object_unref (process);
      return;
    }

  if (g_subprocess_get_if_exited (process) && g_subprocess_get_exit_status (process) != 0)
    g_warning ("health-applet-window exited with status %d",
               g_subprocess_get_exit_status (process));

  /* Only forget it if the slot still holds this very process. */
  if (*slot == process)
    g_clear_object (slot);

  g_object_unref (process);
}

static void
window_spawn (HealthAppletWindow  *self,
              GSubprocess        **slot,
              gboolean             preferences)
{
  g_autofree char *program = health_applet_find_window_program ();
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error,
                              program,
                              "--bus-name", self->bus_name,
                              "--object-path", self->object_path,
                              preferences ? "--preferences" : NULL,
                              NULL);
  if (process == NULL)
    {
      g_warning ("Cannot start the window %s: %s", program, error->message);
      return;
    }

  g_debug ("Started %s (%s)", program, g_subprocess_get_identifier (process));
  *slot = process;
  g_subprocess_wait_async (process, self->cancellable, window_exited_cb, slot);
  /* The wait callback owns one reference, the slot another. */
  g_object_ref (process);
}

gboolean
health_applet_window_is_open (HealthAppletWindow *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->details != NULL || self->preferences != NULL;
}

void
health_applet_window_show (HealthAppletWindow *self)
{
  g_return_if_fail (self != NULL);

  if (self->details == NULL)
    window_spawn (self, &self->details, FALSE);
}

void
health_applet_window_toggle (HealthAppletWindow *self)
{
  g_return_if_fail (self != NULL);

  /* Whichever windows are open (details, preferences: both say "Health
   * Monitor") go, so a toggle always returns to none.  SIGTERM, not
   * SIGKILL: GTK quits cleanly and nothing is left behind. */
  if (health_applet_window_is_open (self))
    health_applet_window_close_all (self);
  else
    window_spawn (self, &self->details, FALSE);
}

void
health_applet_window_show_preferences (HealthAppletWindow *self)
{
  g_return_if_fail (self != NULL);

  if (self->preferences == NULL)
    window_spawn (self, &self->preferences, TRUE);
}

void
health_applet_window_close_all (HealthAppletWindow *self)
{
  g_return_if_fail (self != NULL);

  if (self->details != NULL)
    g_subprocess_send_signal (self->details, SIGTERM);
  if (self->preferences != NULL)
    g_subprocess_send_signal (self->preferences, SIGTERM);
}
