/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * health-applet: the resident half of the tray applet. It runs the
 * monitor, publishes it on the session bus for the window (a separate
 * GTK process, started on demand), shows the tray icon and the
 * notifications, and follows the GSettings. It links GIO, libhealth
 * and libdbusmenu-glib, never GTK, so that idling in the tray costs a
 * few megabytes.
 */

#include "config.h"

#include <stdlib.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <health.h>

#include "health-applet.h"
#include "health-thresholds.h"
#include "health-applet-menu.h"
#include "health-applet-notifier.h"
#include "health-applet-tray.h"
#include "health-applet-window.h"

#define DEFAULT_INTERVAL_MS 2000
/* As the command line tool: 2 is a usage error. */
#define EXIT_USAGE          2

struct _HealthApplet
{
  GApplication          parent_instance;

  HealthMonitor        *monitor;
  GSettings            *settings;
  HealthAppletTray     *tray;
  HealthAppletMenu     *menu;
  HealthAppletNotifier *notifier;
  HealthAppletWindow   *window;

  GHashTable           *overridden;         /* metric ids the settings changed */

  guint                 interval_option;    /* 0: from the settings */
  gboolean              no_tray;
  gboolean              activated;
};

G_DEFINE_FINAL_TYPE (HealthApplet, health_applet, G_TYPE_APPLICATION)

/* Window, tray and menu */

static void
tray_activate_cb (gpointer user_data)
{
  HealthApplet *self = user_data;

  health_applet_window_toggle (self->window);
}

static void
show_window_cb (gpointer user_data)
{
  HealthApplet *self = user_data;

  health_applet_window_show (self->window);
}

static const HealthAppletTrayCallbacks tray_callbacks = {
  .activate = tray_activate_cb,
  .no_watcher = show_window_cb,
};

static void
menu_action_cb (HealthAppletMenuAction action,
                gpointer               user_data)
{
  HealthApplet *self = user_data;

  switch (action)
    {
    case HEALTH_APPLET_MENU_SHOW_DETAILS:
      health_applet_window_show (self->window);
      break;

    case HEALTH_APPLET_MENU_PAUSE:
      if (health_monitor_get_active (self->monitor))
        health_monitor_stop (self->monitor);
      else
        health_monitor_start (self->monitor);
      health_applet_menu_set_paused (self->menu, !health_monitor_get_active (self->monitor));
      break;

    case HEALTH_APPLET_MENU_PREFERENCES:
      health_applet_window_show_preferences (self->window);
      break;

    case HEALTH_APPLET_MENU_QUIT:
      g_application_quit (G_APPLICATION (self));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Settings */

/* The key holds only the metrics a user changed; one removed from it
 * goes back to the library's defaults. */
static void
applet_apply_thresholds (HealthApplet *self)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, "thresholds");
  GHashTable *overridden;

  overridden = health_thresholds_apply (self->monitor, value, self->overridden);
  g_clear_pointer (&self->overridden, g_hash_table_unref);
  self->overridden = overridden;
}

static void
applet_apply_disk_path (HealthApplet *self)
{
  g_autofree char *path = g_settings_get_string (self->settings, "disk-path");

  health_monitor_set_disk_path (self->monitor, path[0] != '\0' ? path : g_get_home_dir ());
}

static void
applet_apply_notifications (HealthApplet *self)
{
  health_applet_notifier_set_enabled (self->notifier,
                                      g_settings_get_boolean (self->settings, "notifications"));
}

/* The journal is opened (a quick check of the file) on the main context
 * when recording starts; the writes happen on its own thread. Turning
 * recording off flushes and closes it. */
static void
applet_set_recording (HealthApplet *self,
                      gboolean      record)
{
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  if (!record)
    {
      health_monitor_set_journal (self->monitor, NULL);
      return;
    }

  if (health_monitor_get_journal (self->monitor) != NULL)
    return;

  path = g_build_filename (g_get_user_state_dir (), "health-monitor", "journal.db", NULL);
  journal = health_journal_new (path, &error);
  if (journal == NULL)
    {
      g_warning ("Cannot record history in %s: %s", path, error->message);
      return;
    }

  health_monitor_set_journal (self->monitor, journal);
}

static void
applet_apply_record_history (HealthApplet *self)
{
  applet_set_recording (self, g_settings_get_boolean (self->settings, "record-history"));
}

static void
applet_setup_settings (HealthApplet *self)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, HEALTH_APPLET_ID, TRUE);

  /* Without the schema GSettings would abort: run with the defaults. */
  if (schema == NULL)
    {
      g_warning ("The GSettings schema %s is not installed: running with the defaults",
                 HEALTH_APPLET_ID);
      health_monitor_set_disk_path (self->monitor, g_get_home_dir ());
      applet_set_recording (self, TRUE);
      return;
    }

  self->settings = g_settings_new_full (schema, NULL, NULL);

  /* --interval wins over the setting for this run. */
  if (self->interval_option == 0)
    g_settings_bind (self->settings, "interval", self->monitor, "interval", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "history-size", self->monitor, "history-size", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "alert-cooldown", self->monitor, "alert-cooldown", G_SETTINGS_BIND_GET);

  g_signal_connect_swapped (self->settings, "changed::thresholds",
                            G_CALLBACK (applet_apply_thresholds), self);
  g_signal_connect_swapped (self->settings, "changed::disk-path",
                            G_CALLBACK (applet_apply_disk_path), self);
  g_signal_connect_swapped (self->settings, "changed::notifications",
                            G_CALLBACK (applet_apply_notifications), self);
  g_signal_connect_swapped (self->settings, "changed::record-history",
                            G_CALLBACK (applet_apply_record_history), self);
  /* Reading each key once also arms its changed signal. */
  applet_apply_thresholds (self);
  applet_apply_disk_path (self);
  applet_apply_notifications (self);
  applet_apply_record_history (self);
}

/* GApplication */

static gboolean
quit_on_signal_cb (gpointer user_data)
{
  g_application_quit (G_APPLICATION (user_data));
  return G_SOURCE_CONTINUE;
}

/* The monitor takes intervals within its limits only (a critical
 * otherwise): check the option's text here, where a mistake is the
 * user's, and say what would do. */
static gboolean
parse_interval (const char  *text,
                guint       *interval,
                GError     **error)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (text, 10,
                                   HEALTH_MONITOR_MIN_INTERVAL, HEALTH_MONITOR_MAX_INTERVAL,
                                   &value, NULL))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   /* Translators: --interval is an option, do not translate it */
                   _("--interval must be between %u and %u milliseconds, not “%s”"),
                   (guint) HEALTH_MONITOR_MIN_INTERVAL, (guint) HEALTH_MONITOR_MAX_INTERVAL,
                   text);
      return FALSE;
    }

  *interval = (guint) value;
  return TRUE;
}

/* There is nothing to do without a session bus: no export, no tray, no
 * notifications. GApplication would carry on as a non-unique
 * application, so ask first; the connection it will use is this one. */
static gboolean
check_session_bus (GError **error)
{
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GError) local_error = NULL;

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &local_error);
  if (connection == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("health-applet needs a D-Bus session bus: %s"), local_error->message);
      return FALSE;
    }

  return TRUE;
}

static int
health_applet_handle_local_options (GApplication *app,
                                    GVariantDict *options)
{
  HealthApplet *self = HEALTH_APPLET (app);
  g_autoptr(GError) error = NULL;
  const char *interval;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("health-applet %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_lookup (options, "interval", "&s", &interval) &&
      !parse_interval (interval, &self->interval_option, &error))
    {
      g_printerr ("health-applet: %s\n", error->message);
      /* Translators: %s is the program, health-applet */
      g_printerr (_("Try “%s --help” for more information."), g_get_prgname ());
      g_printerr ("\n");
      return EXIT_USAGE;
    }

  self->no_tray = g_variant_dict_contains (options, "no-tray");

  if (!check_session_bus (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  return -1;
}

/* Called before the name is requested: everything a client may look
 * for once it sees io.github.healthmonitor.Applet is exported here. */
static gboolean
health_applet_dbus_register (GApplication     *app,
                             GDBusConnection  *connection,
                             const char       *object_path,
                             GError          **error)
{
  HealthApplet *self = HEALTH_APPLET (app);

  if (!G_APPLICATION_CLASS (health_applet_parent_class)->dbus_register (app, connection,
                                                                        object_path, error))
    return FALSE;

  /* The machine, not this process: the applet's own memory, threads or
   * main loop latency would turn the tray red over what watching costs,
   * and nobody can act on them. */
  self->monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_SYSTEM, NULL);
  health_monitor_set_interval (self->monitor,
                               self->interval_option != 0 ? self->interval_option
                                                          : DEFAULT_INTERVAL_MS);

  if (!health_monitor_export (self->monitor, connection, HEALTH_APPLET_MONITOR_PATH, error))
    return FALSE;

  if (!self->no_tray)
    {
      self->menu = health_applet_menu_new (menu_action_cb, self);
      self->tray = health_applet_tray_new (connection, self->monitor,
                                           &tray_callbacks, self, error);
      if (self->tray == NULL)
        return FALSE;
    }

  return TRUE;
}

static void
health_applet_dbus_unregister (GApplication    *app,
                               GDBusConnection *connection,
                               const char      *object_path)
{
  HealthApplet *self = HEALTH_APPLET (app);

  g_clear_pointer (&self->tray, health_applet_tray_free);
  g_clear_pointer (&self->menu, health_applet_menu_free);
  if (self->monitor != NULL)
    {
      health_monitor_unexport (self->monitor);
      health_monitor_stop (self->monitor);
    }
  g_clear_object (&self->monitor);

  G_APPLICATION_CLASS (health_applet_parent_class)->dbus_unregister (app, connection, object_path);
}

static void
health_applet_startup (GApplication *app)
{
  HealthApplet *self = HEALTH_APPLET (app);
  GDBusConnection *connection;

  G_APPLICATION_CLASS (health_applet_parent_class)->startup (app);

  /* Nothing on screen keeps a tray applet alive: hold until Quit. */
  g_application_hold (app);
  g_unix_signal_add (SIGINT, quit_on_signal_cb, app);
  g_unix_signal_add (SIGTERM, quit_on_signal_cb, app);

  connection = g_application_get_dbus_connection (app);
  if (connection == NULL || self->monitor == NULL)
    {
      /* No session bus: nothing to show the monitor through. */
      g_warning ("health-applet needs a D-Bus session bus");
      g_application_release (app);
      return;
    }

  self->notifier = health_applet_notifier_new (connection, self->monitor, show_window_cb, self);
  applet_setup_settings (self);

  health_monitor_start (self->monitor);

  if (self->tray != NULL)
    health_applet_tray_start (self->tray);
}

static void
health_applet_activate (GApplication *app)
{
  HealthApplet *self = HEALTH_APPLET (app);

  /* The first activation is our own start; a later one is somebody
   * launching the applet again: show what it is monitoring. */
  if (!self->activated)
    {
      self->activated = TRUE;
      return;
    }

  health_applet_window_show (self->window);
}

static void
health_applet_shutdown (GApplication *app)
{
  HealthApplet *self = HEALTH_APPLET (app);

  /* Quit means the whole applet, its windows included. */
  health_applet_window_close_all (self->window);
  g_clear_pointer (&self->notifier, health_applet_notifier_free);
  g_clear_pointer (&self->tray, health_applet_tray_free);
  g_clear_pointer (&self->menu, health_applet_menu_free);
  g_clear_object (&self->settings);
  if (self->monitor != NULL)
    {
      health_monitor_stop (self->monitor);
      /* Writes what is queued before the process goes. */
      health_monitor_set_journal (self->monitor, NULL);
    }

  G_APPLICATION_CLASS (health_applet_parent_class)->shutdown (app);
}

static void
health_applet_finalize (GObject *object)
{
  HealthApplet *self = HEALTH_APPLET (object);

  g_clear_pointer (&self->window, health_applet_window_free);
  g_clear_pointer (&self->overridden, g_hash_table_unref);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (health_applet_parent_class)->finalize (object);
}

static void
health_applet_class_init (HealthAppletClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = health_applet_finalize;

  app_class->handle_local_options = health_applet_handle_local_options;
  app_class->dbus_register = health_applet_dbus_register;
  app_class->dbus_unregister = health_applet_dbus_unregister;
  app_class->startup = health_applet_startup;
  app_class->activate = health_applet_activate;
  app_class->shutdown = health_applet_shutdown;
}

static void
health_applet_init (HealthApplet *self)
{
  const GOptionEntry entries[] = {
    /* A string, so that 0 and out-of-range numbers reach parse_interval(). */
    { "interval", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_("Milliseconds between two samples (default: the setting, 2000)"), N_("MS") },
    { "no-tray", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Show no tray icon: only monitor, export and notify"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Print the version and exit"), NULL },
    { NULL }
  };

  g_application_add_main_option_entries (G_APPLICATION (self), entries);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Watch the health of this computer from the tray."));

  self->window = health_applet_window_new (HEALTH_APPLET_ID, HEALTH_APPLET_MONITOR_PATH);
  self->overridden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

HealthApplet *
health_applet_new (void)
{
  return g_object_new (HEALTH_TYPE_APPLET,
                       "application-id", HEALTH_APPLET_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
