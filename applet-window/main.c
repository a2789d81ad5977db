/* main.c: health-applet-window, the details and preferences window of the applet
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A separate process from health-applet, so that the applet never loads
 * GTK: the applet starts this on demand and toggles it off with SIGTERM.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <adwaita.h>
#include <locale.h>

#include "health-window.h"

#define DEFAULT_BUS_NAME    "io.github.healthmonitor.Applet"
#define DEFAULT_OBJECT_PATH "/io/github/healthmonitor/Monitor"

typedef struct
{
  char     *bus_name;
  char     *object_path;
  gboolean  preferences;
} Options;

static int
on_handle_local_options (GApplication *application,
                         GVariantDict *dict,
                         Options      *options)
{
  if (!g_dbus_is_name (options->bus_name))
    {
      g_printerr (_("“%s” is not a valid D-Bus name\n"), options->bus_name);
      return 1;
    }

  if (!g_variant_is_object_path (options->object_path))
    {
      g_printerr (_("“%s” is not a valid D-Bus object path\n"), options->object_path);
      return 1;
    }

  return -1;
}

static void
on_activate (GtkApplication *application,
             Options        *options)
{
  GtkWindow *window = gtk_application_get_active_window (application);

  if (window == NULL)
    window = GTK_WINDOW (health_window_new (application, options->bus_name, options->object_path));
  gtk_window_present (window);

  if (options->preferences)
    health_window_show_preferences (HEALTH_WINDOW (window));
}

/* The applet closes the window by terminating it: quit as if the window
 * had been closed, so the exit status says all went well. */
static void
on_startup (GtkApplication *application)
{
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *close_accels[] = { "<Control>w", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  g_autoptr(GSimpleAction) quit = g_simple_action_new ("quit", NULL);

  g_signal_connect_swapped (quit, "activate", G_CALLBACK (g_application_quit), application);
  g_action_map_add_action (G_ACTION_MAP (application), G_ACTION (quit));
  gtk_application_set_accels_for_action (application, "app.quit", quit_accels);
  gtk_application_set_accels_for_action (application, "window.close", close_accels);
  gtk_application_set_accels_for_action (application, "win.preferences", preferences_accels);
}

static gboolean
on_quit_signal (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  Options options = {
    .bus_name = g_strdup (DEFAULT_BUS_NAME),
    .object_path = g_strdup (DEFAULT_OBJECT_PATH),
    .preferences = FALSE,
  };
  const GOptionEntry entries[] = {
    { "bus-name", 0, 0, G_OPTION_ARG_STRING, &options.bus_name,
      N_("The bus name of the applet whose monitor to show"), N_("NAME") },
    { "object-path", 0, 0, G_OPTION_ARG_STRING, &options.object_path,
      N_("Where the applet exports its monitor"), N_("PATH") },
    { "preferences", 0, 0, G_OPTION_ARG_NONE, &options.preferences,
      N_("Open the preferences first"), NULL },
    { NULL }
  };
  g_autoptr(AdwApplication) application = NULL;
  guint term_id, int_id;
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_application_name (_("Health Monitor"));

  /* Its own id and non-unique: the applet owns io.github.healthmonitor.Applet,
   * and two windows on two monitors (two --bus-name) may well coexist. */
  application = adw_application_new ("io.github.healthmonitor.Applet.Window",
                                     G_APPLICATION_NON_UNIQUE);
  g_application_add_main_option_entries (G_APPLICATION (application), entries);
  g_application_set_option_context_summary (G_APPLICATION (application),
                                             _("Show the health applet’s metrics and preferences."));
  g_signal_connect (application, "handle-local-options", G_CALLBACK (on_handle_local_options), &options);
  g_signal_connect (application, "startup", G_CALLBACK (on_startup), NULL);
  g_signal_connect (application, "activate", G_CALLBACK (on_activate), &options);

  term_id = g_unix_signal_add (SIGTERM, on_quit_signal, application);
  int_id = g_unix_signal_add (SIGINT, on_quit_signal, application);

  status = g_application_run (G_APPLICATION (application), argc, argv);

  g_source_remove (term_id);
  g_source_remove (int_id);
  g_free (options.bus_name);
  g_free (options.object_path);

  return status;
}
