/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Desktop notifications for the monitor's alerts, with libnotify: one
 * notification per metric, replaced in place while the metric stays
 * bad and closed when it recovers. How often a metric alerts is the
 * monitor's business (alert-cooldown); only snoozing is decided here.
 *
 * libnotify talks to the server with synchronous D-Bus calls, and
 * notify_notification_show() waits with D-Bus's default timeout (25 s)
 * on a server that hangs. So before each show the notifier asks the
 * server for its capabilities asynchronously with a short timeout, and
 * calls into libnotify only when that answer came: an absent server
 * costs one warning, a hung one a skipped notification, neither blocks
 * the main loop. The same answer says whether the server renders
 * markup and actions, which notify_get_server_caps() would have asked
 * synchronously. Closing uses CloseNotification asynchronously for the
 * same reason.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libnotify/notify.h>

#include "health-applet-notifier.h"
#include "health-applet-window.h"

#define NOTIFICATIONS_NAME  "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH  "/org/freedesktop/Notifications"
#define NOTIFICATIONS_IFACE "org.freedesktop.Notifications"
/* Long enough for a D-Bus-activated server to start, short enough that
 * an alert is not stale when it shows. */
#define PROBE_TIMEOUT_MS    3000
#define SNOOZE_SECONDS      3600
#define METRIC_ID_KEY       "health-applet-metric-id"

struct _HealthAppletNotifier
{
  GDBusConnection              *connection;
  HealthMonitor                *monitor;
  HealthAppletNotifierOpenFunc  open_func;
  gpointer                      user_data;
  GCancellable                 *cancellable;
  char                         *icon_dir;

  GHashTable                   *notifications; /* metric id → NotifyNotification */
  GHashTable                   *snoozed;       /* metric id → gint64 monotonic µs */
  gulong                        alert_id;
  gulong                        recovered_id;
  guint                         server_watch_id;
  gboolean                      enabled;
  gboolean                      warned_no_server;
};

typedef struct
{
  HealthAppletNotifier *notifier;
  HealthAlert          *alert;
} Pending;

static void
pending_free (Pending *pending)
{
  g_clear_object (&pending->alert);
  g_free (pending);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Pending, pending_free)

/* A file path when the icons are not installed (an uninstalled run):
 * servers take either, but only find names in installed themes. */
static char *
notifier_icon_for_status (HealthAppletNotifier *self,
                          HealthStatus          status)
{
  const char *name = health_status_get_icon_name (status);
  g_autofree char *file = NULL;

  file = g_strdup_printf ("%s/hicolor/scalable/status/%s.svg", self->icon_dir, name);
  if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
    return g_steal_pointer (&file);

  return g_strdup (name);
}

static void
close_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (reply == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("Cannot close a notification: %s", error->message);
}

static void
notifier_close (HealthAppletNotifier *self,
                NotifyNotification   *notification)
{
  int id = 0;

  g_object_get (notification, "id", &id, NULL);
  if (id <= 0)
    return;

  g_dbus_connection_call (self->connection, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                          NOTIFICATIONS_IFACE, "CloseNotification",
                          g_variant_new ("(u)", (guint32) id), NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, PROBE_TIMEOUT_MS,
                          self->cancellable, close_cb, NULL);
}

static void
action_open_cb (NotifyNotification *notification,
                char               *action,
                gpointer            user_data)
{
  HealthAppletNotifier *self = user_data;

  self->open_func (self->user_data);
}

static void
action_snooze_cb (NotifyNotification *notification,
                  char               *action,
                  gpointer            user_data)
{
  HealthAppletNotifier *self = user_data;
  const char *id = g_object_get_data (G_OBJECT (notification), METRIC_ID_KEY);

  gint64 until = g_get_monotonic_time () + (gint64) SNOOZE_SECONDS * G_USEC_PER_SEC;

  g_debug ("Snoozing %s for %d s", id, SNOOZE_SECONDS);
  g_hash_table_insert (self->snoozed, g_strdup (id), g_memdup2 (&until, sizeof until));
  notifier_close (self, notification);
}

static gboolean
notifier_is_snoozed (HealthAppletNotifier *self,
                     const char           *id)
{
  const gint64 *until = g_hash_table_lookup (self->snoozed, id);

  if (until == NULL)
    return FALSE;

  if (g_get_monotonic_time () < *until)
    return TRUE;

  g_hash_table_remove (self->snoozed, id);
  return FALSE;
}

static void
notifier_show_alert (HealthAppletNotifier *self,
                     HealthAlert          *alert,
                     gboolean              body_markup,
                     gboolean              actions)
{
  HealthMetric *metric = health_alert_get_metric (alert);
  const char *id = health_metric_get_id (metric);
  HealthStatus status = health_alert_get_status (alert);
  const char *culprit = health_alert_get_culprit (alert);
  NotifyNotification *notification;
  g_autoptr(GString) body = g_string_new (health_alert_get_message (alert));
  g_autofree char *summary = NULL;
  g_autofree char *icon = notifier_icon_for_status (self, status);
  g_autoptr(GError) error = NULL;

  if (status >= HEALTH_STATUS_CRITICAL)
    /* Translators: a notification's title: "Memory Usage critical" */
    summary = g_strdup_printf (_("%s critical"), health_metric_get_label (metric));
  else
    /* Translators: a notification's title: "Memory Usage warning" */
    summary = g_strdup_printf (_("%s warning"), health_metric_get_label (metric));

  if (culprit != NULL && culprit[0] != '\0')
    {
      g_string_append_c (body, '\n');
      /* Translators: the process using the most of a resource, e.g. "firefox (4242) 3.1 GiB" */
      g_string_append_printf (body, _("Largest user: %s"), culprit);
    }

  /* A process name can hold "<" or "&": escape where it would be markup. */
  if (body_markup)
    {
      g_autofree char *escaped = g_markup_escape_text (body->str, -1);

      g_string_assign (body, escaped);
    }

  notification = g_hash_table_lookup (self->notifications, id);
  if (notification == NULL)
    {
      notification = notify_notification_new (summary, body->str, icon);
      g_object_set_data_full (G_OBJECT (notification), METRIC_ID_KEY, g_strdup (id), g_free);
      notify_notification_set_hint_string (notification, "desktop-entry",
                                           "io.github.healthmonitor.Applet");
      g_hash_table_insert (self->notifications, g_strdup (id), notification);
    }
  else
    {
      /* Same object, same server id: the server replaces it in place.
       * The icon is passed again, or the update would drop it. */
      notify_notification_update (notification, summary, body->str, icon);
    }

  notify_notification_set_urgency (notification,
                                   status >= HEALTH_STATUS_CRITICAL ? NOTIFY_URGENCY_CRITICAL
                                                                    : NOTIFY_URGENCY_NORMAL);
  notify_notification_set_category (notification, "device");

  notify_notification_clear_actions (notification);
  if (actions)
    {
      notify_notification_add_action (notification, "default", _("Open Details"),
                                      action_open_cb, self, NULL);
      notify_notification_add_action (notification, "snooze", _("Snooze 1 Hour"),
                                      action_snooze_cb, self, NULL);
    }

  if (!notify_notification_show (notification, &error))
    g_warning ("Cannot show a notification: %s", error->message);
}

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Pending) pending = user_data;
  HealthAppletNotifier *self;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **caps = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return; /* the notifier is gone */

  self = pending->notifier;
  if (reply == NULL)
    {
      if (!self->warned_no_server)
        g_warning ("No notification server answers, alerts are not shown: %s", error->message);
      else
        g_debug ("Still no notification server: %s", error->message);
      self->warned_no_server = TRUE;
      return;
    }

  self->warned_no_server = FALSE;
  if (!self->enabled)
    return;

  g_variant_get (reply, "(^a&s)", &caps);
  notifier_show_alert (self, pending->alert,
                       g_strv_contains (caps, "body-markup"),
                       g_strv_contains (caps, "actions"));
}

static void
alert_cb (HealthMonitor *monitor,
          HealthAlert   *alert,
          gpointer       user_data)
{
  HealthAppletNotifier *self = user_data;
  const char *id = health_metric_get_id (health_alert_get_metric (alert));
  Pending *pending;

  if (!self->enabled)
    return;

  if (notifier_is_snoozed (self, id))
    {
      g_debug ("Alert of snoozed %s not shown", id);
      return;
    }

  pending = g_new0 (Pending, 1);
  pending->notifier = self;
  pending->alert = g_object_ref (alert);

  g_dbus_connection_call (self->connection, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                          NOTIFICATIONS_IFACE, "GetCapabilities",
                          NULL, G_VARIANT_TYPE ("(as)"),
                          G_DBUS_CALL_FLAGS_NONE, PROBE_TIMEOUT_MS,
                          self->cancellable, probe_cb, pending);
}

static void
recovered_cb (HealthMonitor *monitor,
              HealthMetric  *metric,
              gpointer       user_data)
{
  HealthAppletNotifier *self = user_data;
  const char *id = health_metric_get_id (metric);
  NotifyNotification *notification = g_hash_table_lookup (self->notifications, id);

  if (notification == NULL)
    return;

  notifier_close (self, notification);
  g_hash_table_remove (self->notifications, id);
}

/**
 * health_applet_notifier_new:
 * @connection: the session bus
 * @monitor: the monitor whose alerts to show
 * @open_func: called by the "Open Details" action
 * @user_data: data for @open_func
 *
 * notify_init() must have been called.
 *
 * Returns: (transfer full): a notifier, enabled
 */
/* Notification ids belong to one server: when the server goes away (or
 * another takes the name), the ones it gave are of no use, and reusing
 * them could replace or close some other app's notification on the
 * next server. Forget them; the next alert is a new notification. */
static void
server_owner_changed (GDBusConnection *connection,
                      const char      *name,
                      gpointer         user_data)
{
  HealthAppletNotifier *self = user_data;

  g_hash_table_remove_all (self->notifications);
}

static void
server_appeared (GDBusConnection *connection,
                 const char      *name,
                 const char      *owner,
                 gpointer         user_data)
{
  server_owner_changed (connection, name, user_data);
}

HealthAppletNotifier *
health_applet_notifier_new (GDBusConnection              *connection,
                            HealthMonitor                *monitor,
                            HealthAppletNotifierOpenFunc  open_func,
                            gpointer                      user_data)
{
  HealthAppletNotifier *self = g_new0 (HealthAppletNotifier, 1);

  self->connection = g_object_ref (connection);
  self->monitor = g_object_ref (monitor);
  self->open_func = open_func;
  self->user_data = user_data;
  self->cancellable = g_cancellable_new ();
  self->icon_dir = health_applet_find_icon_dir ();
  self->enabled = TRUE;
  self->notifications = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->snoozed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->alert_id = g_signal_connect (monitor, "alert", G_CALLBACK (alert_cb), self);
  self->recovered_id = g_signal_connect (monitor, "recovered", G_CALLBACK (recovered_cb), self);
  self->server_watch_id = g_bus_watch_name_on_connection (connection, "org.freedesktop.Notifications",
                                                          G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                          server_appeared, server_owner_changed,
                                                          self, NULL);

  return self;
}

void
health_applet_notifier_free (HealthAppletNotifier *self)
{
  if (self == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  if (self->server_watch_id != 0)
    g_bus_unwatch_name (self->server_watch_id);
  g_clear_signal_handler (&self->alert_id, self->monitor);
  g_clear_signal_handler (&self->recovered_id, self->monitor);
  g_clear_pointer (&self->notifications, g_hash_table_unref);
  g_clear_pointer (&self->snoozed, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->monitor);
  g_clear_object (&self->connection);
  g_free (self->icon_dir);
  g_free (self);
}

/**
 * health_applet_notifier_set_enabled:
 * @self: a notifier
 * @enabled: whether alerts are shown
 *
 * Turning notifications off also takes down those on screen.
 */
void
health_applet_notifier_set_enabled (HealthAppletNotifier *self,
                                    gboolean              enabled)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (self != NULL);

  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  if (enabled)
    return;

  g_hash_table_iter_init (&iter, self->notifications);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    notifier_close (self, value);
  g_hash_table_remove_all (self->notifications);
}
