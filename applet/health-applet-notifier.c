/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Desktop notifications for the monitor's alerts, over the
 * org.freedesktop.Notifications D-Bus interface: one notification per
 * metric, replaced in place while the metric stays bad and closed when
 * it recovers. How often a metric alerts is the monitor's business
 * (alert-cooldown); only snoozing is decided here.
 *
 * Every call to the server is asynchronous and has a timeout, so that
 * a server that is missing, slow or hung never blocks the main loop,
 * which also samples, serves the tray and exports the monitor. (That is
 * why this is not libnotify: notify_notification_show() waits for the
 * server's answer.) The server's capabilities are asked once per server
 * and say whether it renders markup and actions; at most one Notify per
 * notification is in flight, and what changes meanwhile goes out when it
 * is answered. Actions and closings come back as signals.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-applet.h"
#include "health-applet-notifier.h"
#include "health-applet-window.h"

#define NOTIFICATIONS_NAME  "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH  "/org/freedesktop/Notifications"
#define NOTIFICATIONS_IFACE "org.freedesktop.Notifications"
/* Long enough for a D-Bus-activated server to start, short enough that
 * an alert is not stale when it shows. */
#define PROBE_TIMEOUT_MS    3000
/* A server that has not shown a notification by then will not. */
#define NOTIFY_TIMEOUT_MS   5000
#define SNOOZE_SECONDS      3600

typedef enum
{
  URGENCY_LOW,
  URGENCY_NORMAL,
  URGENCY_CRITICAL,
} Urgency;

/* One notification: what it should say, and what the server knows of it. */
typedef struct
{
  char        *key;        /* the metric id */
  guint        serial;     /* tells this one from a later one of the same key */
  HealthAlert *alert;      /* what to show */
  guint32      id;         /* the server's, 0 while none is shown */
  gboolean     in_flight;  /* a Notify awaits its answer */
  gboolean     due;        /* to be sent (again) */
} Notice;

struct _HealthAppletNotifier
{
  GDBusConnection              *connection;
  HealthMonitor                *monitor;
  HealthAppletNotifierOpenFunc  open_func;
  gpointer                      user_data;
  GCancellable                 *cancellable;
  char                         *icon_dir;

  GHashTable                   *notices;  /* key → Notice */
  GHashTable                   *snoozed;  /* key → gint64 monotonic µs */
  guint                         next_serial;

  /* The server: which one (a new owner is a new generation) and what
   * it can do (NULL until asked). */
  guint                         generation;
  char                        **caps;
  gboolean                      probing;

  gulong                        alert_id;
  gulong                        recovered_id;
  guint                         server_watch_id;
  guint                         action_signal_id;
  guint                         closed_signal_id;
  gboolean                      enabled;
  gboolean                      warned_no_server;
  gboolean                      warned_no_answer;
};

/* What an asynchronous call needs to find its way back: the notifier
 * may be gone (the call is cancelled then), the notice replaced or
 * withdrawn, the server another. */
typedef struct
{
  HealthAppletNotifier *notifier;
  char                 *key;
  guint                 serial;
  guint                 generation;
} Call;

static void
notice_free (Notice *notice)
{
  g_free (notice->key);
  g_clear_object (&notice->alert);
  g_free (notice);
}

static Call *
call_new (HealthAppletNotifier *self,
          Notice               *notice)
{
  Call *call = g_new0 (Call, 1);

  call->notifier = self;
  call->key = notice != NULL ? g_strdup (notice->key) : NULL;
  call->serial = notice != NULL ? notice->serial : 0;
  call->generation = self->generation;

  return call;
}

static void
call_free (Call *call)
{
  g_free (call->key);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Call, call_free)

/* Finishes the call: FALSE when nobody is left to care about the
 * answer (the notifier is gone, or the server changed meanwhile and
 * its ids and capabilities mean nothing any more). */
static gboolean
call_finish (Call          *call,
             GObject       *source,
             GAsyncResult  *result,
             GVariant     **reply,
             GError       **error)
{
  *reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (source), result, error);
  if (g_error_matches (*error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;

  return call->generation == call->notifier->generation;
}

/* The notice the call was made for, if it is still wanted. */
static Notice *
call_get_notice (Call *call)
{
  Notice *notice = g_hash_table_lookup (call->notifier->notices, call->key);

  if (notice == NULL || notice->serial != call->serial)
    return NULL;

  return notice;
}

static Notice *
notifier_find_notice_by_id (HealthAppletNotifier *self,
                            guint32               id)
{
  GHashTableIter iter;
  Notice *notice;

  if (id == 0)
    return NULL;

  g_hash_table_iter_init (&iter, self->notices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &notice))
    {
      if (notice->id == id)
        return notice;
    }

  return NULL;
}

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
notifier_close_id (HealthAppletNotifier *self,
                   guint32               id)
{
  if (id == 0)
    return;

  g_dbus_connection_call (self->connection, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                          NOTIFICATIONS_IFACE, "CloseNotification",
                          g_variant_new ("(u)", id), NULL,
                          G_DBUS_CALL_FLAGS_NO_AUTO_START, PROBE_TIMEOUT_MS,
                          self->cancellable, close_cb, NULL);
}

/* Takes the notice down, on screen too. A Notify still in flight for
 * it is closed when it is answered (it finds no notice then). */
static void
notifier_withdraw (HealthAppletNotifier *self,
                   const char           *key)
{
  Notice *notice = g_hash_table_lookup (self->notices, key);

  if (notice == NULL)
    return;

  notifier_close_id (self, notice->id);
  g_hash_table_remove (self->notices, key);
}

static gboolean
notifier_is_snoozed (HealthAppletNotifier *self,
                     const char           *key)
{
  const gint64 *until = g_hash_table_lookup (self->snoozed, key);

  if (until == NULL)
    return FALSE;

  if (g_get_monotonic_time () < *until)
    return TRUE;

  g_hash_table_remove (self->snoozed, key);
  return FALSE;
}

static void
notifier_snooze (HealthAppletNotifier *self,
                 const char           *key)
{
  gint64 until = g_get_monotonic_time () + (gint64) SNOOZE_SECONDS * G_USEC_PER_SEC;

  g_debug ("Snoozing %s for %d s", key, SNOOZE_SECONDS);
  g_hash_table_insert (self->snoozed, g_strdup (key), g_memdup2 (&until, sizeof until));
  notifier_withdraw (self, key);
}

/* Notify's arguments: (app name, replaces id, icon, summary, body,
 * actions, hints, expire timeout). */
static GVariant *
notifier_build_notify (HealthAppletNotifier *self,
                       Notice               *notice)
{
  HealthAlert *alert = notice->alert;
  HealthMetric *metric = health_alert_get_metric (alert);
  HealthStatus status = health_alert_get_status (alert);
  const char *culprit = health_alert_get_culprit (alert);
  gboolean body_markup = g_strv_contains ((const char * const *) self->caps, "body-markup");
  g_autoptr(GString) body = g_string_new (health_alert_get_message (alert));
  g_autofree char *summary = NULL;
  g_autofree char *icon = notifier_icon_for_status (self, status);
  GVariantBuilder actions;
  GVariantBuilder hints;

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

  g_variant_builder_init (&actions, G_VARIANT_TYPE_STRING_ARRAY);
  if (g_strv_contains ((const char * const *) self->caps, "actions"))
    {
      g_variant_builder_add (&actions, "s", "default");
      g_variant_builder_add (&actions, "s", _("Open Details"));
      g_variant_builder_add (&actions, "s", "snooze");
      g_variant_builder_add (&actions, "s", _("Snooze 1 Hour"));
    }

  g_variant_builder_init (&hints, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&hints, "{sv}", "urgency",
                         g_variant_new_byte (status >= HEALTH_STATUS_CRITICAL ? URGENCY_CRITICAL
                                                                              : URGENCY_NORMAL));
  g_variant_builder_add (&hints, "{sv}", "category", g_variant_new_string ("device"));
  g_variant_builder_add (&hints, "{sv}", "desktop-entry", g_variant_new_string (HEALTH_APPLET_ID));

  return g_variant_new ("(susssasa{sv}i)",
                        _("System Health"), notice->id, icon, summary, body->str,
                        &actions, &hints, -1);
}

static void notifier_send (HealthAppletNotifier *self,
                           Notice               *notice);

static void
notify_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  HealthAppletNotifier *self = call->notifier;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  Notice *notice;
  guint32 id = 0;

  if (!call_finish (call, source, result, &reply, &error))
    return;

  if (reply != NULL)
    {
      g_variant_get (reply, "(u)", &id);
      self->warned_no_answer = FALSE;
    }
  else if (!self->warned_no_answer)
    {
      g_warning ("The notification server did not show an alert: %s", error->message);
      self->warned_no_answer = TRUE;
    }

  notice = call_get_notice (call);
  if (notice == NULL)
    {
      /* Withdrawn (recovered, snoozed, switched off) meanwhile. */
      notifier_close_id (self, id);
      return;
    }

  notice->in_flight = FALSE;
  if (id != 0)
    notice->id = id;
  if (notice->due)
    notifier_send (self, notice);
}

static void
notifier_send (HealthAppletNotifier *self,
               Notice               *notice)
{
  notice->due = FALSE;
  notice->in_flight = TRUE;
  g_dbus_connection_call (self->connection, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                          NOTIFICATIONS_IFACE, "Notify",
                          notifier_build_notify (self, notice), G_VARIANT_TYPE ("(u)"),
                          G_DBUS_CALL_FLAGS_NONE, NOTIFY_TIMEOUT_MS,
                          self->cancellable, notify_cb, call_new (self, notice));
}

static void notifier_flush (HealthAppletNotifier *self);

static void
probe_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(Call) call = user_data;
  HealthAppletNotifier *self = call->notifier;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  Notice *notice;

  if (!call_finish (call, source, result, &reply, &error))
    return;

  self->probing = FALSE;
  if (reply == NULL)
    {
      if (!self->warned_no_server)
        g_warning ("No notification server answers, alerts are not shown: %s", error->message);
      else
        g_debug ("Still no notification server: %s", error->message);
      self->warned_no_server = TRUE;

      /* Not shown, not kept: the next alert asks again. */
      g_hash_table_iter_init (&iter, self->notices);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &notice))
        if (notice->id == 0 && !notice->in_flight)
          g_hash_table_iter_remove (&iter);
      return;
    }

  self->warned_no_server = FALSE;
  g_variant_get (reply, "(^as)", &self->caps);
  notifier_flush (self);
}

/* Sends what is due, once the server's capabilities are known. */
static void
notifier_flush (HealthAppletNotifier *self)
{
  GHashTableIter iter;
  Notice *notice;

  if (self->caps == NULL)
    {
      if (!self->probing)
        {
          self->probing = TRUE;
          g_dbus_connection_call (self->connection, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                                  NOTIFICATIONS_IFACE, "GetCapabilities",
                                  NULL, G_VARIANT_TYPE ("(as)"),
                                  G_DBUS_CALL_FLAGS_NONE, PROBE_TIMEOUT_MS,
                                  self->cancellable, probe_cb, call_new (self, NULL));
        }
      return;
    }

  g_hash_table_iter_init (&iter, self->notices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &notice))
    {
      if (notice->due && !notice->in_flight)
        notifier_send (self, notice);
    }
}

static void
alert_cb (HealthMonitor *monitor,
          HealthAlert   *alert,
          gpointer       user_data)
{
  HealthAppletNotifier *self = user_data;
  const char *key = health_metric_get_id (health_alert_get_metric (alert));
  Notice *notice;

  if (!self->enabled)
    return;

  if (notifier_is_snoozed (self, key))
    {
      g_debug ("Alert of snoozed %s not shown", key);
      return;
    }

  notice = g_hash_table_lookup (self->notices, key);
  if (notice == NULL)
    {
      notice = g_new0 (Notice, 1);
      notice->key = g_strdup (key);
      notice->serial = ++self->next_serial;
      g_hash_table_insert (self->notices, notice->key, notice);
    }

  g_set_object (&notice->alert, alert);
  notice->due = TRUE;
  notifier_flush (self);
}

static void
recovered_cb (HealthMonitor *monitor,
              HealthMetric  *metric,
              gpointer       user_data)
{
  HealthAppletNotifier *self = user_data;

  notifier_withdraw (self, health_metric_get_id (metric));
}

/* ActionInvoked (id, action) and NotificationClosed (id, reason). The
 * server may send them to every client: only our ids count. */
static void
server_signal_cb (GDBusConnection *connection,
                  const char      *sender,
                  const char      *path,
                  const char      *interface,
                  const char      *signal,
                  GVariant        *parameters,
                  gpointer         user_data)
{
  HealthAppletNotifier *self = user_data;
  g_autofree char *key = NULL;
  const char *action = NULL;
  Notice *notice;
  guint32 id;

  if (g_str_equal (signal, "ActionInvoked") &&
      g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(us)")))
    g_variant_get (parameters, "(u&s)", &id, &action);
  else if (g_str_equal (signal, "NotificationClosed") &&
           g_variant_is_of_type (parameters, G_VARIANT_TYPE ("(uu)")))
    g_variant_get (parameters, "(uu)", &id, NULL);
  else
    return;

  notice = notifier_find_notice_by_id (self, id);
  if (notice == NULL)
    return;

  if (action == NULL)
    {
      /* Gone from the screen: the next alert is a new notification. */
      notice->id = 0;
      return;
    }

  key = g_strdup (notice->key);
  if (g_str_equal (action, "default"))
    self->open_func (self->user_data);
  else if (g_str_equal (action, "snooze"))
    notifier_snooze (self, key);
}

/* Notification ids and capabilities belong to one server: when the
 * server goes away (or another takes the name), the ids it gave are of
 * no use, and reusing them could replace or close some other app's
 * notification on the next server. Forget them; the next alert is a
 * new notification, after asking the new server what it can do. */
static void
server_owner_changed (GDBusConnection *connection,
                      const char      *name,
                      gpointer         user_data)
{
  HealthAppletNotifier *self = user_data;

  self->generation++;
  self->probing = FALSE;
  g_clear_pointer (&self->caps, g_strfreev);
  g_hash_table_remove_all (self->notices);
}

static void
server_appeared (GDBusConnection *connection,
                 const char      *name,
                 const char      *owner,
                 gpointer         user_data)
{
  server_owner_changed (connection, name, user_data);
}

/**
 * health_applet_notifier_new:
 * @connection: the session bus
 * @monitor: the monitor whose alerts to show
 * @open_func: called by the "Open Details" action
 * @user_data: data for @open_func
 *
 * Returns: (transfer full): a notifier, enabled
 */
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
  self->notices = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, (GDestroyNotify) notice_free);
  self->snoozed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);

  self->alert_id = g_signal_connect (monitor, "alert", G_CALLBACK (alert_cb), self);
  self->recovered_id = g_signal_connect (monitor, "recovered", G_CALLBACK (recovered_cb), self);
  self->server_watch_id = g_bus_watch_name_on_connection (connection, NOTIFICATIONS_NAME,
                                                          G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                          server_appeared, server_owner_changed,
                                                          self, NULL);
  self->action_signal_id = g_dbus_connection_signal_subscribe (connection, NOTIFICATIONS_NAME,
                                                               NOTIFICATIONS_IFACE, "ActionInvoked",
                                                               NOTIFICATIONS_PATH, NULL,
                                                               G_DBUS_SIGNAL_FLAGS_NONE,
                                                               server_signal_cb, self, NULL);
  self->closed_signal_id = g_dbus_connection_signal_subscribe (connection, NOTIFICATIONS_NAME,
                                                               NOTIFICATIONS_IFACE, "NotificationClosed",
                                                               NOTIFICATIONS_PATH, NULL,
                                                               G_DBUS_SIGNAL_FLAGS_NONE,
                                                               server_signal_cb, self, NULL);

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
  g_dbus_connection_signal_unsubscribe (self->connection, self->action_signal_id);
  g_dbus_connection_signal_unsubscribe (self->connection, self->closed_signal_id);
  g_clear_signal_handler (&self->alert_id, self->monitor);
  g_clear_signal_handler (&self->recovered_id, self->monitor);
  g_clear_pointer (&self->notices, g_hash_table_unref);
  g_clear_pointer (&self->snoozed, g_hash_table_unref);
  g_clear_pointer (&self->caps, g_strfreev);
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
  Notice *notice;

  g_return_if_fail (self != NULL);

  if (self->enabled == enabled)
    return;

  self->enabled = enabled;
  if (enabled)
    return;

  g_hash_table_iter_init (&iter, self->notices);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &notice))
    notifier_close_id (self, notice->id);
  g_hash_table_remove_all (self->notices);
}
