/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Desktop notifications for the monitor's alerts, over the
 * org.freedesktop.Notifications D-Bus interface: one notification per
 * condition (memory, swap, ...; see health-applet-conditions.c), titled
 * by it, naming its worst metric, the others and the process most
 * responsible; replaced in place while the condition lasts, and closed
 * once all its metrics have recovered. How often a metric alerts is the
 * monitor's business (alert-cooldown); only snoozing, per condition, is
 * decided here. The alerts of one sample come one after the other: they
 * are gathered and sent together once the sample is told.
 *
 * Every call to the server is asynchronous and has a timeout, so that
 * a server that is missing, slow or hung never blocks the main loop,
 * which also samples, serves the tray and exports the monitor. (That is
 * why this is not libnotify: notify_notification_show() waits for the
 * server's answer.) The server's capabilities are asked once per server
 * and say whether it renders markup and actions; at most one Notify per
 * notification is in flight, and what changes meanwhile goes out when it
 * is answered. Actions and closings come back as signals.
 *
 * Every line of a notification goes through the one sanitiser (the
 * conditions' titles and phrases do so already): an alert's message and
 * culprit come clean from the library, but a detail is the user's disk
 * path, and a notification is no place for an escape sequence or a bidi
 * override either way.
 */

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "health-applet.h"
#include "health-applet-conditions.h"
#include "health-applet-notifier.h"
#include "health-applet-window.h"
#include "health-text-private.h"

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
  char        *key;        /* the condition */
  guint        serial;     /* tells this one from a later one of the same key */
  GHashTable  *alerts;     /* metric id → its latest HealthAlert */
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
  guint                         flush_source_id;

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
  g_hash_table_unref (notice->alerts);
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

/* "Largest user: firefox, PID 4242, 3.0 GiB" from the alert's
 * "firefox (4242) 3.0 GiB". A process may call itself anything, "(1)"
 * included, but the amount never holds a parenthesis: the PID is in the
 * last one. */
static char *
culprit_dup_phrase (const char *culprit)
{
  const char *open = g_strrstr (culprit, " (");
  const char *close = open != NULL ? strchr (open, ')') : NULL;
  g_autofree char *name = NULL;
  g_autofree char *pid = NULL;
  const char *amount;

  if (close == NULL || close == open + 2 || strspn (open + 2, "0123456789") != (gsize) (close - open - 2))
    /* Translators: the process using the most of a resource, as the library names it */
    return g_strdup_printf (_("Largest user: %s"), culprit);

  name = g_strndup (culprit, open - culprit);
  pid = g_strndup (open + 2, close - open - 2);
  amount = close[1] == ' ' ? close + 2 : close + 1;

  if (amount[0] == '\0')
    /* Translators: the process using the most of a resource: "Largest user: firefox, PID 4242" */
    return g_strdup_printf (_("Largest user: %s, PID %s"), name, pid);

  /* Translators: the process using the most of a resource and how much:
   * "Largest user: firefox, PID 4242, 3.0 GiB" or "…, 95 % CPU" */
  return g_strdup_printf (_("Largest user: %s, PID %s, %s"), name, pid, amount);
}

/* One line of the body, clean: the sanitiser makes it one line, too. */
static void
body_append_line (GString    *body,
                  const char *line)
{
  g_autofree char *clean = health_text_sanitize (line, -1);

  if (body->len > 0)
    g_string_append_c (body, '\n');
  g_string_append (body, clean);
}

/* The body: the worst metric as its alert put it (threshold, trend,
 * forecast) while that alert is the news (the metric still has the
 * alert's value), else as it is now; then the others as they are now,
 * then the process most responsible, as the worst metric's alert or else
 * another one named it. */
static char *
notice_dup_body (Notice                *notice,
                 HealthAppletCondition *condition)
{
  HealthMetric *worst = g_ptr_array_index (condition->metrics, 0);
  HealthAlert *alert = g_hash_table_lookup (notice->alerts, health_metric_get_id (worst));
  const char *detail = health_metric_get_detail (worst);
  const char *culprit = NULL;
  g_autoptr(GString) body = g_string_new (NULL);

  if (alert != NULL && health_alert_get_value (alert) == health_metric_get_value (worst))
    {
      g_autofree char *line = NULL;

      if (detail != NULL && detail[0] != '\0')
        line = g_strdup_printf ("%s — %s", health_alert_get_message (alert), detail);
      else
        line = g_strdup (health_alert_get_message (alert));
      body_append_line (body, line);
    }
  else
    {
      g_autofree char *phrase = health_applet_metric_dup_phrase (worst);

      body_append_line (body, phrase);
    }

  for (guint i = 1; i < condition->metrics->len; i++)
    {
      g_autofree char *phrase = health_applet_metric_dup_phrase (g_ptr_array_index (condition->metrics, i));

      body_append_line (body, phrase);
    }

  for (guint i = 0; i < condition->metrics->len && culprit == NULL; i++)
    {
      HealthMetric *metric = g_ptr_array_index (condition->metrics, i);

      alert = g_hash_table_lookup (notice->alerts, health_metric_get_id (metric));
      if (alert != NULL)
        culprit = health_alert_get_culprit (alert);
    }

  if (culprit != NULL)
    {
      g_autofree char *phrase = culprit_dup_phrase (culprit);

      body_append_line (body, phrase);
    }

  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* Notify's arguments: (app name, replaces id, icon, summary, body,
 * actions, hints, expire timeout), or NULL when the condition is over. */
static GVariant *
notifier_build_notify (HealthAppletNotifier *self,
                       Notice               *notice)
{
  g_autoptr(GPtrArray) conditions = health_applet_conditions_list_troubled (self->monitor);
  HealthAppletCondition *condition = health_applet_conditions_find (conditions, notice->key);
  gboolean body_markup = g_strv_contains ((const char * const *) self->caps, "body-markup");
  g_autofree char *summary = NULL;
  g_autofree char *body = NULL;
  g_autofree char *icon = NULL;
  GVariantBuilder actions;
  GVariantBuilder hints;

  if (condition == NULL)
    return NULL;

  summary = health_applet_condition_dup_title (condition);
  body = notice_dup_body (notice, condition);
  icon = notifier_icon_for_status (self, condition->status);

  /* A process name can hold "<" or "&": escape where it would be markup. */
  if (body_markup)
    {
      g_autofree char *escaped = g_markup_escape_text (body, -1);

      g_free (body);
      body = g_steal_pointer (&escaped);
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
                         g_variant_new_byte (condition->status >= HEALTH_STATUS_CRITICAL ? URGENCY_CRITICAL
                                                                                         : URGENCY_NORMAL));
  g_variant_builder_add (&hints, "{sv}", "category", g_variant_new_string ("device"));
  g_variant_builder_add (&hints, "{sv}", "desktop-entry", g_variant_new_string (HEALTH_APPLET_ID));

  return g_variant_new ("(susssasa{sv}i)",
                        _("System Health"), notice->id, icon, summary, body,
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
  GVariant *parameters = notifier_build_notify (self, notice);

  notice->due = FALSE;
  if (parameters == NULL)
    return;

  notice->in_flight = TRUE;
  g_dbus_connection_call (self->connection, NOTIFICATIONS_NAME, NOTIFICATIONS_PATH,
                          NOTIFICATIONS_IFACE, "Notify",
                          parameters, G_VARIANT_TYPE ("(u)"),
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

static gboolean
flush_cb (gpointer user_data)
{
  HealthAppletNotifier *self = user_data;

  self->flush_source_id = 0;
  notifier_flush (self);

  return G_SOURCE_REMOVE;
}

/* Sent once the sample is told, with whatever else it changed. */
static void
notifier_mark_due (HealthAppletNotifier *self,
                   Notice               *notice)
{
  notice->due = TRUE;
  if (self->flush_source_id == 0)
    self->flush_source_id = g_idle_add (flush_cb, self);
}

static void
alert_cb (HealthMonitor *monitor,
          HealthAlert   *alert,
          gpointer       user_data)
{
  HealthAppletNotifier *self = user_data;
  HealthMetric *metric = health_alert_get_metric (alert);
  const char *key = health_metric_get_condition (metric);
  Notice *notice;

  if (!self->enabled || health_metric_get_scope (metric) == HEALTH_SCOPE_PROCESS)
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
      notice->alerts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
      g_hash_table_insert (self->notices, notice->key, notice);
    }

  g_hash_table_insert (notice->alerts, g_strdup (health_metric_get_id (metric)), g_object_ref (alert));
  /* The other alerts of this sample are on their way: one Notify for all. */
  notifier_mark_due (self, notice);
}

/* A metric back to good closes its condition's notification only when
 * the condition's other metrics are good too; until then its alert is
 * no longer the news, and the notification is replaced in place by one
 * about what is still wrong (the others may stay as they were and send
 * no alert of their own). */
static void
recovered_cb (HealthMonitor *monitor,
              HealthMetric  *metric,
              gpointer       user_data)
{
  HealthAppletNotifier *self = user_data;
  const char *key = health_metric_get_condition (metric);
  Notice *notice = g_hash_table_lookup (self->notices, key);
  g_autoptr(GPtrArray) conditions = NULL;

  if (notice == NULL)
    return;

  g_hash_table_remove (notice->alerts, health_metric_get_id (metric));

  conditions = health_applet_conditions_list_troubled (self->monitor);
  if (health_applet_conditions_find (conditions, key) == NULL)
    {
      notifier_withdraw (self, key);
      return;
    }

  notifier_mark_due (self, notice);
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
  g_clear_handle_id (&self->flush_source_id, g_source_remove);
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
