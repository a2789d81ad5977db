/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray icon, as a StatusNotifierItem: the applet publishes an
 * object and a panel draws it, so no toolkit and no X11 is needed here.
 * The item registers with whichever org.kde.StatusNotifierWatcher owns
 * the name, and again whenever a new owner appears (a panel restart).
 *
 * GNOME Shell's own indicator (data/gnome-shell/) shows the monitor in
 * the top bar and owns io.github.healthmonitor.ShellIndicator meanwhile:
 * while it does, the item is withdrawn, so the status is never shown
 * twice (by the indicator and by an AppIndicator extension).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-applet-conditions.h"
#include "health-applet-menu.h"
#include "health-applet-sni.h"
#include "health-applet-tray.h"
#include "health-applet-window.h"

#define WATCHER_NAME "org.kde.StatusNotifierWatcher"
#define WATCHER_PATH "/StatusNotifierWatcher"
#define SHELL_INDICATOR_NAME "io.github.healthmonitor.ShellIndicator"
#define MAX_TOOLTIP_CONDITIONS 3

typedef enum
{
  WATCHER_UNKNOWN,
  WATCHER_PRESENT,
  WATCHER_ABSENT,
} WatcherState;

struct _HealthAppletTray
{
  GDBusConnection                 *connection;
  HealthMonitor                   *monitor;
  HealthSniStatusNotifierItem     *item;
  const HealthAppletTrayCallbacks *callbacks;
  gpointer                         user_data;

  guint                            watch_id;
  WatcherState                     watcher_state;
  char                            *watcher_owner;
  guint                            indicator_watch_id;
  WatcherState                     indicator_state;
  gboolean                         decided;
  GCancellable                    *cancellable;
  gulong                           sampled_id;
  gulong                           active_id;

  /* What the tooltip says, but for the values, and when it was sent. */
  char                            *tooltip_shape;
  gint64                           tooltip_time;
};

/* A tooltip whose only change is a value waits this long, so a machine
 * sitting at WARNING does not wake the panel on every sample. */
#define TOOLTIP_VALUES_EVERY_US (15 * G_USEC_PER_SEC)

static gboolean
handle_activate (HealthSniStatusNotifierItem *item,
                 GDBusMethodInvocation       *invocation,
                 int                          x,
                 int                          y,
                 HealthAppletTray            *self)
{
  health_sni_status_notifier_item_complete_activate (item, invocation);
  self->callbacks->activate (self->user_data);
  return TRUE;
}

/* The menu is served over dbusmenu, so the host draws it: nothing to do
 * for ContextMenu; a middle click or the wheel has no meaning here, but
 * the calls must be answered so hosts do not wait on a timeout. */
static gboolean
handle_secondary_activate (HealthSniStatusNotifierItem *item,
                           GDBusMethodInvocation       *invocation,
                           int                          x,
                           int                          y,
                           HealthAppletTray            *self)
{
  health_sni_status_notifier_item_complete_secondary_activate (item, invocation);
  return TRUE;
}

static gboolean
handle_context_menu (HealthSniStatusNotifierItem *item,
                     GDBusMethodInvocation       *invocation,
                     int                          x,
                     int                          y,
                     HealthAppletTray            *self)
{
  health_sni_status_notifier_item_complete_context_menu (item, invocation);
  return TRUE;
}

static gboolean
handle_scroll (HealthSniStatusNotifierItem *item,
               GDBusMethodInvocation       *invocation,
               int                          delta,
               const char                  *orientation,
               HealthAppletTray            *self)
{
  health_sni_status_notifier_item_complete_scroll (item, invocation);
  return TRUE;
}

/* "Memory is running out: Memory Usage 95.0 % (Critical), Available
 * Memory 48.8 MiB (Warning)" */
static char *
tray_dup_condition_line (HealthAppletCondition *condition)
{
  g_autofree char *title = health_applet_condition_dup_title (condition);
  g_autoptr(GString) metrics = g_string_new (NULL);

  for (guint i = 0; i < condition->metrics->len; i++)
    {
      g_autofree char *phrase = health_applet_metric_dup_phrase (g_ptr_array_index (condition->metrics, i));

      if (i > 0)
        g_string_append (metrics, ", ");
      g_string_append (metrics, phrase);
    }

  /* Translators: a condition in the tray tooltip, its title and its
   * troubled metrics: "Memory is running out: Memory Usage 95.0 % (Critical)" */
  return g_strdup_printf (_("%s: %s"), title, metrics->str);
}

/* (icon, no pixmaps, title, description): the description has a line
 * per troubled condition, the worst first; hosts may render it as
 * markup, so it is escaped. */
static GVariant *
tray_build_tooltip (HealthAppletTray *self,
                    HealthStatus      status,
                    const char       *icon_name)
{
  g_autoptr(GPtrArray) conditions = health_applet_conditions_list_troubled (self->monitor);
  g_autoptr(GString) description = g_string_new (NULL);
  g_autofree char *title = NULL;

  for (guint i = 0; i < conditions->len && i < MAX_TOOLTIP_CONDITIONS; i++)
    {
      g_autofree char *line = tray_dup_condition_line (g_ptr_array_index (conditions, i));
      g_autofree char *escaped = g_markup_escape_text (line, -1);

      if (description->len > 0)
        g_string_append_c (description, '\n');
      g_string_append (description, escaped);
    }

  if (conditions->len == 0 && status != HEALTH_STATUS_UNKNOWN)
    g_string_append (description, _("Every metric is within its thresholds"));

  if (!health_monitor_get_active (self->monitor))
    {
      if (description->len > 0)
        g_string_append_c (description, '\n');
      g_string_append (description, _("Monitoring is paused"));
    }

  /* Translators: the tray tooltip's title, with the overall status */
  title = g_strdup_printf (_("System Health: %s"), health_status_to_label (status));

  return g_variant_new ("(s@a(iiay)ss)",
                        icon_name,
                        g_variant_new_array (G_VARIANT_TYPE ("(iiay)"), NULL, 0),
                        title,
                        description->str);
}

/* The overall status, whether paused, and which metrics are troubled at
 * which status: a change of any is news at once. */
static char *
tray_tooltip_shape (HealthAppletTray *self,
                    HealthStatus      status)
{
  GListModel *metrics = health_monitor_get_metrics (self->monitor);
  GString *shape = g_string_new (NULL);

  g_string_append_printf (shape, "%d %d", status, health_monitor_get_active (self->monitor));
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      if (health_metric_get_status (metric) >= HEALTH_STATUS_WARNING)
        g_string_append_printf (shape, " %s=%d", health_metric_get_id (metric),
                                health_metric_get_status (metric));
    }

  return g_string_free (shape, FALSE);
}

/**
 * health_applet_tray_update:
 * @self: a tray
 *
 * Follows the monitor's overall status; hosts re-read a property only
 * after its New* signal, so each is emitted when, and only when, its
 * property changed.
 */
void
health_applet_tray_update (HealthAppletTray *self)
{
  HealthSniStatusNotifierItem *item = self->item;
  HealthStatus status = health_monitor_get_status (self->monitor);
  const char *icon_name = health_status_get_icon_name (status);
  const char *sni_status = status >= HEALTH_STATUS_CRITICAL ? "NeedsAttention" : "Active";
  g_autoptr(GVariant) tooltip = NULL;
  g_autofree char *shape = NULL;
  GVariant *old_tooltip;
  gint64 now;

  if (g_strcmp0 (health_sni_status_notifier_item_get_icon_name (item), icon_name) != 0)
    {
      health_sni_status_notifier_item_set_icon_name (item, icon_name);
      health_sni_status_notifier_item_set_attention_icon_name (item, icon_name);
      health_sni_status_notifier_item_emit_new_icon (item);
      health_sni_status_notifier_item_emit_new_attention_icon (item);
    }

  if (g_strcmp0 (health_sni_status_notifier_item_get_status (item), sni_status) != 0)
    {
      health_sni_status_notifier_item_set_status (item, sni_status);
      health_sni_status_notifier_item_emit_new_status (item, sni_status);
    }

  /* Most samples change values only, and too soon to tell: the tooltip
   * is not even written then. */
  shape = tray_tooltip_shape (self, status);
  now = g_get_monotonic_time ();
  if (g_strcmp0 (shape, self->tooltip_shape) == 0 &&
      now - self->tooltip_time < TOOLTIP_VALUES_EVERY_US)
    return;

  tooltip = g_variant_ref_sink (tray_build_tooltip (self, status, icon_name));
  old_tooltip = health_sni_status_notifier_item_get_tool_tip (item);
  if (old_tooltip == NULL || !g_variant_equal (old_tooltip, tooltip))
    {
      g_free (self->tooltip_shape);
      self->tooltip_shape = g_steal_pointer (&shape);
      self->tooltip_time = now;
      health_sni_status_notifier_item_set_tool_tip (item, tooltip);
      health_sni_status_notifier_item_emit_new_tool_tip (item);
    }
}

static void
monitor_changed_cb (HealthAppletTray *self)
{
  health_applet_tray_update (self);
}

/**
 * health_applet_tray_new:
 * @connection: the session bus
 * @monitor: the monitor whose status the icon shows
 * @callbacks: (not nullable): what clicks do; must outlive the tray
 * @user_data: data for @callbacks
 * @error: return location for a #GError
 *
 * Exports the item at %HEALTH_APPLET_TRAY_PATH; it is registered with a
 * watcher only by health_applet_tray_start(), because a host reads the
 * item as soon as it learns of it.
 *
 * Returns: (transfer full) (nullable): the tray, or %NULL on error
 */
HealthAppletTray *
health_applet_tray_new (GDBusConnection                 *connection,
                        HealthMonitor                   *monitor,
                        const HealthAppletTrayCallbacks *callbacks,
                        gpointer                         user_data,
                        GError                         **error)
{
  g_autoptr(HealthAppletTray) self = g_new0 (HealthAppletTray, 1);
  g_autofree char *icon_dir = health_applet_find_icon_dir ();
  HealthSniStatusNotifierItem *item;

  self->connection = g_object_ref (connection);
  self->monitor = g_object_ref (monitor);
  self->callbacks = callbacks;
  self->user_data = user_data;
  self->cancellable = g_cancellable_new ();
  self->item = item = health_sni_status_notifier_item_skeleton_new ();

  health_sni_status_notifier_item_set_category (item, "SystemServices");
  health_sni_status_notifier_item_set_id (item, "health-monitor");
  health_sni_status_notifier_item_set_title (item, _("System Health"));
  health_sni_status_notifier_item_set_window_id (item, 0);
  health_sni_status_notifier_item_set_icon_theme_path (item, icon_dir);
  health_sni_status_notifier_item_set_overlay_icon_name (item, "");
  health_sni_status_notifier_item_set_item_is_menu (item, FALSE);
  health_sni_status_notifier_item_set_menu (item, HEALTH_APPLET_MENU_PATH);

  g_signal_connect (item, "handle-activate", G_CALLBACK (handle_activate), self);
  g_signal_connect (item, "handle-secondary-activate", G_CALLBACK (handle_secondary_activate), self);
  g_signal_connect (item, "handle-context-menu", G_CALLBACK (handle_context_menu), self);
  g_signal_connect (item, "handle-scroll", G_CALLBACK (handle_scroll), self);

  health_applet_tray_update (self);

  self->sampled_id = g_signal_connect_swapped (monitor, "sampled",
                                               G_CALLBACK (monitor_changed_cb), self);
  self->active_id = g_signal_connect_swapped (monitor, "notify::active",
                                              G_CALLBACK (monitor_changed_cb), self);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (item), connection,
                                         HEALTH_APPLET_TRAY_PATH, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
health_applet_tray_free (HealthAppletTray *self)
{
  if (self == NULL)
    return;

  if (self->watch_id != 0)
    g_bus_unwatch_name (self->watch_id);
  if (self->indicator_watch_id != 0)
    g_bus_unwatch_name (self->indicator_watch_id);
  g_clear_pointer (&self->watcher_owner, g_free);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->tooltip_shape, g_free);
  g_clear_signal_handler (&self->sampled_id, self->monitor);
  g_clear_signal_handler (&self->active_id, self->monitor);
  if (self->item != NULL)
    {
      if (g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->item)) != NULL)
        g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->item));
      g_clear_object (&self->item);
    }
  g_clear_object (&self->monitor);
  g_clear_object (&self->connection);
  g_free (self);
}

static gboolean
tray_is_exported (HealthAppletTray *self)
{
  return g_dbus_interface_skeleton_get_connection (G_DBUS_INTERFACE_SKELETON (self->item)) != NULL;
}

static void
register_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!health_sni_status_notifier_watcher_call_register_status_notifier_item_finish (
          HEALTH_SNI_STATUS_NOTIFIER_WATCHER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot register the tray icon: %s", error->message);
      return;
    }

  g_debug ("Tray icon registered");
}

static void
watcher_proxy_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(HealthSniStatusNotifierWatcher) watcher = NULL;
  g_autoptr(GError) error = NULL;
  HealthAppletTray *self;

  watcher = health_sni_status_notifier_watcher_proxy_new_finish (result, &error);
  if (watcher == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Cannot reach the tray: %s", error->message);
      return;
    }

  self = user_data;
  /* Withdrawn meanwhile: GNOME Shell's indicator came. */
  if (!tray_is_exported (self))
    return;

  /* The unique name, not the well-known one: xfce4-panel's watcher and
   * Plasma's both take a bus name and look for /StatusNotifierItem on
   * it, and the unique name dies exactly when this process does. */
  health_sni_status_notifier_watcher_call_register_status_notifier_item (
      watcher, g_dbus_connection_get_unique_name (self->connection),
      self->cancellable, register_cb, NULL);
}

static void
tray_register (HealthAppletTray *self)
{
  /* Addressed to the owner, so a reply cannot come from a later one. */
  health_sni_status_notifier_watcher_proxy_new (self->connection,
                                                G_DBUS_PROXY_FLAGS_DO_NOT_LOAD_PROPERTIES |
                                                G_DBUS_PROXY_FLAGS_DO_NOT_CONNECT_SIGNALS |
                                                G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START,
                                                self->watcher_owner, WATCHER_PATH,
                                                self->cancellable, watcher_proxy_cb, self);
}

/* The protocol has no way to unregister: a Passive item is hidden by
 * hosts, and an unexported one has nothing left to show. */
static void
tray_withdraw (HealthAppletTray *self)
{
  if (!tray_is_exported (self))
    return;

  g_message ("GNOME Shell's indicator (%s) shows the monitor: no tray item",
             SHELL_INDICATOR_NAME);
  health_sni_status_notifier_item_set_status (self->item, "Passive");
  health_sni_status_notifier_item_emit_new_status (self->item, "Passive");
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (self->item));
}

/* Acts once both names are known, so that an item is never registered
 * and withdrawn at once, nor a window opened, when the shell shows the
 * monitor itself. */
static void
tray_sync (HealthAppletTray *self,
           gboolean          watcher_appeared)
{
  gboolean first = !self->decided;

  if (self->watcher_state == WATCHER_UNKNOWN || self->indicator_state == WATCHER_UNKNOWN)
    return;
  self->decided = TRUE;

  if (self->indicator_state == WATCHER_PRESENT)
    {
      tray_withdraw (self);
      return;
    }

  if (!tray_is_exported (self))
    {
      g_autoptr(GError) error = NULL;

      if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (self->item),
                                             self->connection, HEALTH_APPLET_TRAY_PATH, &error))
        {
          g_warning ("Cannot export the tray icon: %s", error->message);
          return;
        }
      health_applet_tray_update (self);
      watcher_appeared = TRUE;
    }

  if (self->watcher_state == WATCHER_PRESENT && (watcher_appeared || first))
    tray_register (self);
  /* Only at startup: when a panel goes away later, it is usually being
   * restarted, and a window popping up would be a surprise. */
  else if (self->watcher_state == WATCHER_ABSENT && first)
    {
      g_message ("No tray (%s) on the session bus: opening the window instead", WATCHER_NAME);
      self->callbacks->no_watcher (self->user_data);
    }
}

static void
watcher_appeared_cb (GDBusConnection *connection,
                     const char      *name,
                     const char      *name_owner,
                     gpointer         user_data)
{
  HealthAppletTray *self = user_data;

  g_debug ("Tray watcher %s appeared", name_owner);
  self->watcher_state = WATCHER_PRESENT;
  g_free (self->watcher_owner);
  self->watcher_owner = g_strdup (name_owner);
  tray_sync (self, TRUE);
}

static void
watcher_vanished_cb (GDBusConnection *connection,
                     const char      *name,
                     gpointer         user_data)
{
  HealthAppletTray *self = user_data;

  if (self->watcher_state == WATCHER_PRESENT)
    g_debug ("Tray watcher vanished; waiting for it to come back");
  self->watcher_state = WATCHER_ABSENT;
  g_clear_pointer (&self->watcher_owner, g_free);
  tray_sync (self, FALSE);
}

static void
indicator_appeared_cb (GDBusConnection *connection,
                       const char      *name,
                       const char      *name_owner,
                       gpointer         user_data)
{
  HealthAppletTray *self = user_data;

  self->indicator_state = WATCHER_PRESENT;
  tray_sync (self, FALSE);
}

static void
indicator_vanished_cb (GDBusConnection *connection,
                       const char      *name,
                       gpointer         user_data)
{
  HealthAppletTray *self = user_data;

  if (self->indicator_state == WATCHER_PRESENT)
    g_message ("GNOME Shell's indicator is gone: showing the tray item again");
  self->indicator_state = WATCHER_ABSENT;
  tray_sync (self, FALSE);
}

/**
 * health_applet_tray_start:
 * @self: a tray
 *
 * Registers the item with the watcher now and whenever one appears.
 */
void
health_applet_tray_start (HealthAppletTray *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->watch_id == 0);

  self->watch_id = g_bus_watch_name_on_connection (self->connection, WATCHER_NAME,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   watcher_appeared_cb,
                                                   watcher_vanished_cb,
                                                   self, NULL);
  self->indicator_watch_id = g_bus_watch_name_on_connection (self->connection,
                                                             SHELL_INDICATOR_NAME,
                                                             G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                             indicator_appeared_cb,
                                                             indicator_vanished_cb,
                                                             self, NULL);
}
