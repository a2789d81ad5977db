/* health-dbus.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A monitor on the bus: health_monitor_export() publishes one, and
 * health_monitor_new_for_bus_async() makes a monitor that mirrors it.
 */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "health-alert-private.h"
#include "health-backend-private.h"
#include "health-dbus-generated.h"
#include "health-enum-types.h"
#include "health-metric-private.h"
#include "health-monitor-private.h"

/* What one end last said of a metric, or heard: Sampled carries only
 * the metrics whose figures changed, and the others keep these. */
typedef struct
{
  double  value;
  guint32 status;
  guint32 trend;
  guint   sample;   /* the mirror's: the Sampled that last named it */
} Figures;

/* Records @figures for @id; FALSE when they are the ones already there. */
static gboolean
figures_update (GHashTable    *table,
                const char    *id,
                const Figures *figures)
{
  Figures *old = g_hash_table_lookup (table, id);

  /* Bit for bit, so that NaN equals NaN. */
  if (old != NULL && memcmp (&old->value, &figures->value, sizeof figures->value) == 0 &&
      old->status == figures->status && old->trend == figures->trend)
    return FALSE;

  if (old == NULL)
    {
      old = g_new (Figures, 1);
      g_hash_table_insert (table, g_strdup (id), old);
    }
  *old = *figures;

  return TRUE;
}

static GHashTable *
figures_table_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* Export */

typedef struct
{
  HealthMonitor      *monitor;     /* unowned: the export dies with it */
  HealthDBusMonitor1 *skeleton;
  GDBusConnection    *connection;
  char               *object_path;
  GPtrArray          *watched;     /* metrics whose notify::value we follow */
  GHashTable         *sent;        /* id -> Figures last sent */
} Export;

#define EXPORTS_KEY "health-dbus-exports"

static GVariant *
metric_properties (HealthMetric *metric)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "label", "s", health_metric_get_label (metric));
  g_variant_dict_insert (&dict, "unit", "s", health_metric_get_unit (metric));
  g_variant_dict_insert (&dict, "direction", "u", (guint32) health_metric_get_direction (metric));
  g_variant_dict_insert (&dict, "warning", "d", health_metric_get_warning (metric));
  g_variant_dict_insert (&dict, "critical", "d", health_metric_get_critical (metric));
  g_variant_dict_insert (&dict, "hysteresis", "d", health_metric_get_hysteresis (metric));
  g_variant_dict_insert (&dict, "sustain", "u", health_metric_get_sustain (metric));
  g_variant_dict_insert (&dict, "recommendation", "s",
                         health_metric_get_recommendation (metric) ? health_metric_get_recommendation (metric) : "");
  g_variant_dict_insert (&dict, "history-size", "u", health_metric_get_history_size (metric));
  g_variant_dict_insert (&dict, "condition", "s", health_metric_get_condition (metric));
  g_variant_dict_insert (&dict, "scope", "u", (guint32) health_metric_get_scope (metric));
  g_variant_dict_insert (&dict, "bound", "d", health_metric_get_bound (metric));
  g_variant_dict_insert (&dict, "detail", "s",
                         health_metric_get_detail (metric) ? health_metric_get_detail (metric) : "");
  g_variant_dict_insert (&dict, "trend-min-span", "d", health_metric_get_trend_min_span (metric));
  g_variant_dict_insert (&dict, "value", "d", health_metric_get_value (metric));
  g_variant_dict_insert (&dict, "status", "u", (guint32) health_metric_get_status (metric));
  g_variant_dict_insert (&dict, "trend", "u",
                         (guint32) health_metric_get_trend (metric, HEALTH_METRIC_TREND_WINDOW_SECONDS));

  return g_variant_dict_end (&dict);
}

static gboolean
handle_get_metrics (HealthDBusMonitor1    *skeleton,
                    GDBusMethodInvocation *invocation,
                    Export                *export)
{
  GListModel *metrics = health_monitor_get_metrics (export->monitor);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sa{sv})"));
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      g_variant_builder_add (&builder, "(s@a{sv})", health_metric_get_id (metric), metric_properties (metric));
    }

  health_dbus_monitor1_complete_get_metrics (skeleton, invocation, g_variant_builder_end (&builder));

  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static gboolean
handle_get_history (HealthDBusMonitor1    *skeleton,
                    GDBusMethodInvocation *invocation,
                    const char            *id,
                    Export                *export)
{
  HealthMetric *metric = health_monitor_get_metric (export->monitor, id);
  g_autofree HealthSample *samples = NULL;
  GVariantBuilder builder;
  guint n_samples = 0;

  if (metric == NULL)
    {
      g_dbus_method_invocation_return_error (invocation, HEALTH_ERROR, HEALTH_ERROR_INVALID_ID,
                                             "No metric with id “%s”", id);
      return G_DBUS_METHOD_INVOCATION_HANDLED;
    }

  samples = health_metric_dup_history (metric, &n_samples);
  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(xd)"));
  for (guint i = 0; i < n_samples; i++)
    g_variant_builder_add (&builder, "(xd)", samples[i].time_us, samples[i].value);

  health_dbus_monitor1_complete_get_history (skeleton, invocation, g_variant_builder_end (&builder));

  return G_DBUS_METHOD_INVOCATION_HANDLED;
}

static void
metric_figures (HealthMetric *metric,
                Figures      *figures)
{
  figures->value = health_metric_get_value (metric);
  figures->status = health_metric_get_status (metric);
  figures->trend = health_metric_get_trend (metric, HEALTH_METRIC_TREND_WINDOW_SECONDS);
}

/* One message per sample, with the metrics whose figures changed: on a
 * quiet machine most of them stay as they were. */
static void
export_on_sampled (HealthMonitor *monitor,
                   Export        *export)
{
  GListModel *metrics = health_monitor_get_metrics (monitor);
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(sduu)"));
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      const char *id = health_metric_get_id (metric);
      Figures figures = { 0, };

      metric_figures (metric, &figures);
      if (figures_update (export->sent, id, &figures))
        g_variant_builder_add (&builder, "(sduu)", id, figures.value, figures.status, figures.trend);
    }

  health_dbus_monitor1_emit_sampled (export->skeleton, g_get_real_time (),
                                     g_variant_builder_end (&builder),
                                     health_monitor_get_status (monitor));
}

static void
export_on_status_changed (HealthMonitor *monitor,
                          HealthStatus   old_status,
                          HealthStatus   new_status,
                          Export        *export)
{
  health_dbus_monitor1_set_status (export->skeleton, new_status);
  health_dbus_monitor1_emit_status_changed (export->skeleton, old_status, new_status);
}

static void
export_on_alert (HealthMonitor *monitor,
                 HealthAlert   *alert,
                 Export        *export)
{
  GVariantDict dict;

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "status", "u", (guint32) health_alert_get_status (alert));
  g_variant_dict_insert (&dict, "value", "d", health_alert_get_value (alert));
  g_variant_dict_insert (&dict, "threshold", "d", health_alert_get_threshold (alert));
  g_variant_dict_insert (&dict, "trend", "u", (guint32) health_alert_get_trend (alert));
  g_variant_dict_insert (&dict, "forecast", "d", health_alert_get_forecast (alert));
  g_variant_dict_insert (&dict, "message", "s", health_alert_get_message (alert));
  g_variant_dict_insert (&dict, "culprit", "s",
                         health_alert_get_culprit (alert) ? health_alert_get_culprit (alert) : "");
  g_variant_dict_insert (&dict, "time", "x", health_alert_get_time (alert));

  health_dbus_monitor1_emit_alert (export->skeleton,
                                   health_metric_get_id (health_alert_get_metric (alert)),
                                   g_variant_dict_end (&dict));
}

static void
export_on_recovered (HealthMonitor *monitor,
                     HealthMetric  *metric,
                     Export        *export)
{
  health_dbus_monitor1_emit_recovered (export->skeleton, health_metric_get_id (metric));
}

static void
export_on_low_memory (HealthMonitor *monitor,
                      HealthStatus   status,
                      Export        *export)
{
  health_dbus_monitor1_emit_low_memory (export->skeleton, status);
}

/* An app's own update between samples; values of a sample go out once,
 * in Sampled. */
static void
export_on_value (HealthMetric *metric,
                 GParamSpec   *pspec,
                 Export       *export)
{
  Figures figures = { 0, };

  if (health_monitor_is_applying (export->monitor))
    return;

  metric_figures (metric, &figures);
  figures_update (export->sent, health_metric_get_id (metric), &figures);
  health_dbus_monitor1_emit_updated (export->skeleton, g_get_real_time (),
                                     health_metric_get_id (metric),
                                     figures.value, figures.status, figures.trend);
}

static void
export_watch_metric (Export       *export,
                     HealthMetric *metric)
{
  g_signal_connect (metric, "notify::value", G_CALLBACK (export_on_value), export);
  g_ptr_array_add (export->watched, g_object_ref (metric));
}

static void
export_unwatch_metric (Export       *export,
                       HealthMetric *metric)
{
  g_signal_handlers_disconnect_by_data (metric, export);
  g_ptr_array_remove_fast (export->watched, metric);
}

static void
export_on_items_changed (GListModel *metrics,
                         guint       position,
                         guint       removed,
                         guint       added,
                         Export     *export)
{
  /* Removed: whatever is watched but no longer in the monitor. */
  for (guint i = export->watched->len; i > 0; i--)
    {
      HealthMetric *metric = g_ptr_array_index (export->watched, i - 1);

      if (health_monitor_get_metric (export->monitor, health_metric_get_id (metric)) != metric)
        {
          g_hash_table_remove (export->sent, health_metric_get_id (metric));
          health_dbus_monitor1_emit_metric_removed (export->skeleton, health_metric_get_id (metric));
          export_unwatch_metric (export, metric);
        }
    }

  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      export_watch_metric (export, metric);
      health_dbus_monitor1_emit_metric_added (export->skeleton, health_metric_get_id (metric),
                                              metric_properties (metric));
    }
}

static void
export_sync_properties (HealthMonitor *monitor,
                        GParamSpec    *pspec,
                        Export        *export)
{
  health_dbus_monitor1_set_active (export->skeleton, health_monitor_get_active (monitor));
  health_dbus_monitor1_set_interval (export->skeleton, health_monitor_get_interval (monitor));
  health_dbus_monitor1_set_alert_cooldown (export->skeleton, health_monitor_get_alert_cooldown (monitor));
  health_dbus_monitor1_set_status (export->skeleton, health_monitor_get_status (monitor));
}

static void
export_free (Export *export)
{
  g_dbus_interface_skeleton_unexport (G_DBUS_INTERFACE_SKELETON (export->skeleton));
  g_signal_handlers_disconnect_by_data (export->monitor, export);
  g_signal_handlers_disconnect_by_data (health_monitor_get_metrics (export->monitor), export);
  for (guint i = 0; i < export->watched->len; i++)
    g_signal_handlers_disconnect_by_data (g_ptr_array_index (export->watched, i), export);
  g_ptr_array_unref (export->watched);
  g_hash_table_unref (export->sent);
  g_object_unref (export->skeleton);
  g_object_unref (export->connection);
  g_free (export->object_path);
  g_free (export);
}

/**
 * health_monitor_export:
 * @self: a monitor
 * @connection: a bus connection, usually the session bus
 * @object_path: where to publish the monitor, e.g.
 *   `/io/github/healthmonitor/Monitor`
 * @error: return location for a #GError
 *
 * Publishes @self on @connection with the interface
 * `io.github.healthmonitor.Monitor1`: its metrics with their properties,
 * their history, and its signals, so that other processes (the tray
 * applet, `health-monitor status --bus`) can show it; see
 * [func@Health.Monitor.new_for_bus_async].
 *
 * Nothing is writable from outside: the interface has read-only
 * properties and no method that changes the monitor. The export ends
 * with [method@Health.Monitor.unexport] or when @self is finalized.
 *
 * Returns: %TRUE if the monitor was exported
 *
 * Since: 1.0
 */
gboolean
health_monitor_export (HealthMonitor    *self,
                       GDBusConnection  *connection,
                       const char       *object_path,
                       GError          **error)
{
  GPtrArray *exports;
  GListModel *metrics;
  Export *export;

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (object_path != NULL && g_variant_is_object_path (object_path), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  export = g_new0 (Export, 1);
  export->monitor = self;
  export->skeleton = health_dbus_monitor1_skeleton_new ();
  export->connection = g_object_ref (connection);
  export->object_path = g_strdup (object_path);
  export->watched = g_ptr_array_new_with_free_func (g_object_unref);
  export->sent = figures_table_new ();

  /* Signals go out at once, not from an idle of the bus thread. */
  g_dbus_interface_skeleton_set_flags (G_DBUS_INTERFACE_SKELETON (export->skeleton),
                                       G_DBUS_INTERFACE_SKELETON_FLAGS_NONE);
  export_sync_properties (self, NULL, export);

  if (!g_dbus_interface_skeleton_export (G_DBUS_INTERFACE_SKELETON (export->skeleton),
                                         connection, object_path, error))
    {
      g_ptr_array_unref (export->watched);
      g_hash_table_unref (export->sent);
      g_object_unref (export->skeleton);
      g_object_unref (export->connection);
      g_free (export->object_path);
      g_free (export);
      return FALSE;
    }

  g_signal_connect (export->skeleton, "handle-get-metrics", G_CALLBACK (handle_get_metrics), export);
  g_signal_connect (export->skeleton, "handle-get-history", G_CALLBACK (handle_get_history), export);

  g_signal_connect (self, "sampled", G_CALLBACK (export_on_sampled), export);
  g_signal_connect (self, "status-changed", G_CALLBACK (export_on_status_changed), export);
  g_signal_connect (self, "alert", G_CALLBACK (export_on_alert), export);
  g_signal_connect (self, "recovered", G_CALLBACK (export_on_recovered), export);
  g_signal_connect (self, "low-memory", G_CALLBACK (export_on_low_memory), export);
  g_signal_connect (self, "notify::active", G_CALLBACK (export_sync_properties), export);
  g_signal_connect (self, "notify::interval", G_CALLBACK (export_sync_properties), export);
  g_signal_connect (self, "notify::alert-cooldown", G_CALLBACK (export_sync_properties), export);

  metrics = health_monitor_get_metrics (self);
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      export_watch_metric (export, metric);
    }
  g_signal_connect (metrics, "items-changed", G_CALLBACK (export_on_items_changed), export);

  exports = g_object_get_data (G_OBJECT (self), EXPORTS_KEY);
  if (exports == NULL)
    {
      exports = g_ptr_array_new_with_free_func ((GDestroyNotify) export_free);
      g_object_set_data_full (G_OBJECT (self), EXPORTS_KEY, exports, (GDestroyNotify) g_ptr_array_unref);
    }
  g_ptr_array_add (exports, export);

  return TRUE;
}

/**
 * health_monitor_unexport:
 * @self: a monitor
 *
 * Withdraws every export of @self made with
 * [method@Health.Monitor.export].
 *
 * Since: 1.0
 */
void
health_monitor_unexport (HealthMonitor *self)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));

  g_object_set_data (G_OBJECT (self), EXPORTS_KEY, NULL);
}

/* Mirror */

/* A monitor's backend whose figures are judged elsewhere: it follows
 * the remote's signals while its monitor is active. */
typedef struct
{
  HealthBackend       backend;
  GWeakRef            monitor;
  HealthDBusMonitor1 *proxy;
  GCancellable       *cancellable;
  guint               sample;      /* counts Sampled */
} Mirror;

static void
mirror_free (Mirror *mirror)
{
  g_cancellable_cancel (mirror->cancellable);
  g_clear_object (&mirror->cancellable);
  if (mirror->proxy != NULL)
    g_signal_handlers_disconnect_by_data (mirror->proxy, mirror);
  g_clear_object (&mirror->proxy);
  g_weak_ref_clear (&mirror->monitor);
  g_free (mirror);
}

static gboolean
lookup_double (GVariant   *properties,
               const char *key,
               double     *out)
{
  return g_variant_lookup (properties, key, "d", out);
}

static HealthMetric *
metric_from_properties (const char *id,
                        GVariant   *properties,
                        guint       history_size)
{
  HealthMetric *metric;
  const char *label = id, *unit = "", *recommendation = NULL, *condition = NULL, *detail = NULL;
  guint32 direction = 0, sustain = 1, size = history_size, scope = HEALTH_SCOPE_APP;
  double warning, critical, hysteresis = 0, bound = NAN, min_span = -1;

  g_variant_lookup (properties, "label", "&s", &label);
  g_variant_lookup (properties, "unit", "&s", &unit);
  g_variant_lookup (properties, "direction", "u", &direction);
  g_variant_lookup (properties, "sustain", "u", &sustain);
  g_variant_lookup (properties, "recommendation", "&s", &recommendation);
  g_variant_lookup (properties, "history-size", "u", &size);
  lookup_double (properties, "hysteresis", &hysteresis);
  g_variant_lookup (properties, "condition", "&s", &condition);
  g_variant_lookup (properties, "scope", "u", &scope);
  g_variant_lookup (properties, "detail", "&s", &detail);
  lookup_double (properties, "bound", &bound);
  lookup_double (properties, "trend-min-span", &min_span);

  metric = g_object_new (HEALTH_TYPE_METRIC,
                         "id", id,
                         "label", label,
                         "unit", unit,
                         "direction", direction == HEALTH_DIRECTION_BELOW ? HEALTH_DIRECTION_BELOW : HEALTH_DIRECTION_ABOVE,
                         "recommendation", recommendation && *recommendation ? recommendation : NULL,
                         "history-size", CLAMP (size, 1, 1 << 20),
                         "sustain", MAX (sustain, 1),
                         "scope", scope <= HEALTH_SCOPE_APP ? (HealthScope) scope : HEALTH_SCOPE_APP,
                         "detail", detail,
                         NULL);

  /* What a remote sends is checked as any input. */
  if (condition != NULL && health_metric_id_is_valid (condition))
    health_metric_set_condition (metric, condition);
  if (!isinf (bound))
    health_metric_set_bound (metric, bound);
  if (isfinite (min_span) && min_span >= 0)
    health_metric_set_trend_min_span (metric, min_span);

  if (isfinite (hysteresis) && hysteresis >= 0)
    health_metric_set_hysteresis (metric, hysteresis);
  if (lookup_double (properties, "warning", &warning) && lookup_double (properties, "critical", &critical))
    health_metric_set_thresholds (metric, warning, critical, NULL);

  return metric;
}

static HealthStatus
status_from_wire (guint32 status)
{
  return status <= HEALTH_STATUS_EMERGENCY ? (HealthStatus) status : HEALTH_STATUS_UNKNOWN;
}

static HealthTrend
trend_from_wire (guint32 trend)
{
  return trend <= HEALTH_TREND_DECREASING ? (HealthTrend) trend : HEALTH_TREND_INSUFFICIENT_DATA;
}

static GQuark heard_quark (void);
G_DEFINE_QUARK (health-dbus-heard, heard)

/* Applies figures heard from the remote, and keeps them for the samples
 * that do not repeat them. Returns what is kept. */
static Figures *
mirror_apply_heard (HealthMetric *metric,
                    double        value,
                    guint32       status,
                    guint32       trend,
                    gint64        time_us)
{
  Figures *heard = g_object_get_qdata (G_OBJECT (metric), heard_quark ());

  if (heard == NULL)
    {
      heard = g_new0 (Figures, 1);
      g_object_set_qdata_full (G_OBJECT (metric), heard_quark (), heard, g_free);
    }
  heard->value = value;
  heard->status = status;
  heard->trend = trend;

  health_metric_apply_remote (metric, value, status_from_wire (status), trend_from_wire (trend), time_us);

  return heard;
}

static void
mirror_apply_metric (HealthMetric *metric,
                     GVariant     *properties,
                     gint64        time_us)
{
  guint32 status = 0, trend = 0;
  double value = NAN;

  lookup_double (properties, "value", &value);
  g_variant_lookup (properties, "status", "u", &status);
  g_variant_lookup (properties, "trend", "u", &trend);
  mirror_apply_heard (metric, value, status, trend, time_us);
}

/* Makes the mirror's metrics those of @list, a(sa{sv}), in that order. */
static void
mirror_sync_metrics (HealthMonitor *monitor,
                     GVariant      *list)
{
  GListModel *metrics = health_monitor_get_metrics (monitor);
  g_autoptr(GHashTable) remote_ids = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 now = g_get_real_time ();
  GVariantIter iter;
  const char *id;
  GVariant *properties;

  g_variant_iter_init (&iter, list);
  while (g_variant_iter_next (&iter, "(&s@a{sv})", &id, &properties))
    {
      HealthMetric *metric = health_monitor_get_metric (monitor, id);

      g_hash_table_add (remote_ids, (gpointer) id);

      if (metric == NULL && health_metric_id_is_valid (id))
        {
          g_autoptr(HealthMetric) created =
            metric_from_properties (id, properties, health_monitor_get_history_size (monitor));

          health_monitor_add_metric (monitor, created);
          metric = created;
        }

      if (metric != NULL)
        mirror_apply_metric (metric, properties, now);

      g_variant_unref (properties);
    }

  for (guint i = g_list_model_get_n_items (metrics); i > 0; i--)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i - 1);

      if (!g_hash_table_contains (remote_ids, health_metric_get_id (metric)))
        health_monitor_remove_metric (monitor, health_metric_get_id (metric));
    }
}

static void
mirror_deliver (HealthMonitor   *monitor,
                HealthEventKind  kind,
                HealthStatus     status,
                HealthMetric    *metric,
                HealthAlert     *alert)
{
  health_monitor_deliver (monitor, &(HealthEvent) { kind, status, metric, alert });
}

/* The mirror, if it still exists and follows its remote: what the
 * remote's signals are passed on to. */
static HealthMonitor *
mirror_dup_following (Mirror *mirror)
{
  HealthMonitor *monitor = g_weak_ref_get (&mirror->monitor);

  if (monitor != NULL && !health_monitor_get_active (monitor))
    g_clear_object (&monitor);

  return monitor;
}

static void
mirror_on_sampled (HealthDBusMonitor1 *proxy,
                   gint64              time_us,
                   GVariant           *values,
                   guint               status,
                   Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = mirror_dup_following (mirror);
  GListModel *metrics;
  GVariantIter iter;
  const char *id;
  double value;
  guint32 metric_status, trend;

  if (monitor == NULL)
    return;

  mirror->sample++;
  g_variant_iter_init (&iter, values);
  while (g_variant_iter_next (&iter, "(&sduu)", &id, &value, &metric_status, &trend))
    {
      HealthMetric *metric = health_monitor_get_metric (monitor, id);

      if (metric != NULL)
        mirror_apply_heard (metric, value, metric_status, trend, time_us)->sample = mirror->sample;
    }

  /* The metrics the sample did not name kept their figures: this sample
   * has them too, in each history. */
  metrics = health_monitor_get_metrics (monitor);
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      Figures *heard = g_object_get_qdata (G_OBJECT (metric), heard_quark ());

      if (heard != NULL && heard->sample != mirror->sample)
        mirror_apply_heard (metric, heard->value, heard->status, heard->trend, time_us)->sample = mirror->sample;
    }

  mirror_deliver (monitor, HEALTH_EVENT_STATUS, status_from_wire (status), NULL, NULL);
  mirror_deliver (monitor, HEALTH_EVENT_SAMPLED, status_from_wire (status), NULL, NULL);
}

static void
mirror_on_updated (HealthDBusMonitor1 *proxy,
                   gint64              time_us,
                   const char         *id,
                   double              value,
                   guint               status,
                   guint               trend,
                   Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = mirror_dup_following (mirror);
  HealthMetric *metric;

  if (monitor == NULL)
    return;

  metric = health_monitor_get_metric (monitor, id);
  if (metric != NULL)
    mirror_apply_heard (metric, value, status, trend, time_us);
}

static void
mirror_on_status_changed (HealthDBusMonitor1 *proxy,
                          guint               old_status,
                          guint               new_status,
                          Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = mirror_dup_following (mirror);

  if (monitor != NULL)
    mirror_deliver (monitor, HEALTH_EVENT_STATUS, status_from_wire (new_status), NULL, NULL);
}

static void
mirror_on_alert (HealthDBusMonitor1 *proxy,
                 const char         *id,
                 GVariant           *details,
                 Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = mirror_dup_following (mirror);
  g_autoptr(HealthAlert) alert = NULL;
  HealthMetric *metric;
  guint32 status = HEALTH_STATUS_WARNING, trend = 0;
  double value = NAN, threshold = NAN, forecast = -1;
  const char *message = "", *culprit = "";
  gint64 time_us = 0;

  if (monitor == NULL)
    return;

  metric = health_monitor_get_metric (monitor, id);
  if (metric == NULL)
    return;

  g_variant_lookup (details, "status", "u", &status);
  g_variant_lookup (details, "value", "d", &value);
  g_variant_lookup (details, "threshold", "d", &threshold);
  g_variant_lookup (details, "trend", "u", &trend);
  g_variant_lookup (details, "forecast", "d", &forecast);
  g_variant_lookup (details, "message", "&s", &message);
  g_variant_lookup (details, "culprit", "&s", &culprit);
  g_variant_lookup (details, "time", "x", &time_us);

  if (status != HEALTH_STATUS_WARNING && status != HEALTH_STATUS_CRITICAL)
    return;

  alert = health_alert_new_full (metric, status, value, threshold, trend_from_wire (trend),
                                 forecast, message, culprit, time_us);
  mirror_deliver (monitor, HEALTH_EVENT_ALERT, status, metric, alert);
}

static void
mirror_on_recovered (HealthDBusMonitor1 *proxy,
                     const char         *id,
                     Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = mirror_dup_following (mirror);
  HealthMetric *metric;

  if (monitor == NULL)
    return;

  metric = health_monitor_get_metric (monitor, id);
  if (metric != NULL)
    mirror_deliver (monitor, HEALTH_EVENT_RECOVERED, HEALTH_STATUS_GOOD, metric, NULL);
}

static void
mirror_on_low_memory (HealthDBusMonitor1 *proxy,
                      guint               status,
                      Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = mirror_dup_following (mirror);

  if (monitor != NULL)
    mirror_deliver (monitor, HEALTH_EVENT_LOW_MEMORY, status_from_wire (status), NULL, NULL);
}

static void
mirror_on_metric_added (HealthDBusMonitor1 *proxy,
                        const char         *id,
                        GVariant           *properties,
                        Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = g_weak_ref_get (&mirror->monitor);
  g_autoptr(HealthMetric) metric = NULL;

  if (monitor == NULL || !health_metric_id_is_valid (id) || health_monitor_get_metric (monitor, id) != NULL)
    return;

  metric = metric_from_properties (id, properties, health_monitor_get_history_size (monitor));
  mirror_apply_metric (metric, properties, g_get_real_time ());
  health_monitor_add_metric (monitor, metric);
}

static void
mirror_on_metric_removed (HealthDBusMonitor1 *proxy,
                          const char         *id,
                          Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = g_weak_ref_get (&mirror->monitor);

  if (monitor != NULL)
    health_monitor_remove_metric (monitor, id);
}

static void mirror_refresh (HealthMonitor *monitor,
                            Mirror        *mirror,
                            GTask         *task);

/* The remote went away: everything becomes unknown until it is back. */
static void
mirror_on_name_owner (HealthDBusMonitor1 *proxy,
                      GParamSpec         *pspec,
                      Mirror             *mirror)
{
  g_autoptr(HealthMonitor) monitor = g_weak_ref_get (&mirror->monitor);
  g_autofree char *owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));
  GListModel *metrics;

  if (monitor == NULL)
    return;

  if (owner != NULL)
    {
      mirror_refresh (monitor, mirror, NULL);
      return;
    }

  metrics = health_monitor_get_metrics (monitor);
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      health_metric_apply_remote (metric, NAN, HEALTH_STATUS_UNKNOWN,
                                  HEALTH_TREND_INSUFFICIENT_DATA, g_get_real_time ());
    }
  mirror_deliver (monitor, HEALTH_EVENT_STATUS, HEALTH_STATUS_UNKNOWN, NULL, NULL);
  if (health_monitor_get_active (monitor))
    mirror_deliver (monitor, HEALTH_EVENT_SAMPLED, HEALTH_STATUS_UNKNOWN, NULL, NULL);
}

static void
mirror_refresh_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GError) error = NULL;
  HealthMonitor *monitor = g_task_get_source_object (task);
  HealthStatus status;

  if (!health_dbus_monitor1_call_get_metrics_finish (HEALTH_DBUS_MONITOR1 (object), &list, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  mirror_sync_metrics (monitor, list);
  status = status_from_wire (health_dbus_monitor1_get_status (HEALTH_DBUS_MONITOR1 (object)));
  mirror_deliver (monitor, HEALTH_EVENT_STATUS, status, NULL, NULL);
  if (health_monitor_get_active (monitor))
    mirror_deliver (monitor, HEALTH_EVENT_SAMPLED, status, NULL, NULL);

  g_task_return_boolean (task, TRUE);
}

/* Fetches the remote's figures now; @task (transfer full, nullable)
 * returns once they are in. */
static void
mirror_refresh (HealthMonitor *monitor,
                Mirror        *mirror,
                GTask         *task)
{
  GTask *refresh = g_task_new (monitor, mirror->cancellable, NULL, NULL);

  if (task != NULL)
    {
      g_object_unref (refresh);
      refresh = task;
    }

  health_dbus_monitor1_call_get_metrics (mirror->proxy, mirror->cancellable,
                                         mirror_refresh_done, refresh);
}

/* The mirror follows its remote while its monitor is active (see
 * mirror_dup_following()): starting and stopping ask nothing of it. */
static void
mirror_start (HealthBackend *backend)
{
}

static void
mirror_stop (HealthBackend *backend)
{
}

/* sample_async() of a mirror. */
static void
mirror_sample (HealthBackend *backend,
               GTask         *task)
{
  Mirror *mirror = (Mirror *) backend;

  mirror_refresh (g_task_get_source_object (task), mirror, task);
}

static void
mirror_backend_free (HealthBackend *backend)
{
  mirror_free ((Mirror *) backend);
}

static const HealthBackendClass mirror_backend_class = {
  .start = mirror_start,
  .stop = mirror_stop,
  .sample = mirror_sample,
  .free = mirror_backend_free,
};

/* Creating a mirror: proxy, metrics, then each metric's history. */

typedef struct
{
  HealthMonitor *monitor;
  Mirror        *mirror;
  guint          pending;
  GError        *error;
} NewForBus;

static void
new_for_bus_free (NewForBus *data)
{
  g_clear_object (&data->monitor);
  g_clear_error (&data->error);
  g_free (data);
}

typedef struct
{
  GTask        *task;
  HealthMetric *metric;
} HistoryCall;

static void
new_for_bus_maybe_finish (GTask *task)
{
  NewForBus *data = g_task_get_task_data (task);

  if (--data->pending > 0)
    return;

  if (data->error != NULL)
    g_task_return_error (task, g_steal_pointer (&data->error));
  else
    g_task_return_pointer (task, g_steal_pointer (&data->monitor), g_object_unref);

  g_object_unref (task);
}

static void
history_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HistoryCall *call = user_data;
  NewForBus *data = g_task_get_task_data (call->task);
  g_autoptr(GVariant) samples = NULL;
  g_autoptr(GError) error = NULL;

  if (health_dbus_monitor1_call_get_history_finish (HEALTH_DBUS_MONITOR1 (object), &samples, result, &error))
    {
      gsize n = g_variant_n_children (samples);
      g_autofree HealthSample *history = g_new (HealthSample, MAX (n, 1));

      for (gsize i = 0; i < n; i++)
        g_variant_get_child (samples, i, "(xd)", &history[i].time_us, &history[i].value);

      health_metric_load_history (call->metric, history, n);
    }
  else if (data->error == NULL && !g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD))
    {
      data->error = g_steal_pointer (&error);
    }

  new_for_bus_maybe_finish (call->task);
  g_object_unref (call->metric);
  g_free (call);
}

static void
metrics_done (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GTask *task = user_data;
  NewForBus *data = g_task_get_task_data (task);
  HealthDBusMonitor1 *proxy = HEALTH_DBUS_MONITOR1 (object);
  g_autoptr(GVariant) list = NULL;
  g_autoptr(GError) error = NULL;
  GListModel *metrics;

  if (!health_dbus_monitor1_call_get_metrics_finish (proxy, &list, result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  data->monitor = g_object_new (HEALTH_TYPE_MONITOR,
                                "builtin", HEALTH_BUILTIN_NONE,
                                "interval", MAX (health_dbus_monitor1_get_interval (proxy), 10),
                                "alert-cooldown", health_dbus_monitor1_get_alert_cooldown (proxy),
                                NULL);
  mirror_sync_metrics (data->monitor, list);
  mirror_deliver (data->monitor, HEALTH_EVENT_STATUS, status_from_wire (health_dbus_monitor1_get_status (proxy)),
                  NULL, NULL);

  data->mirror = g_new0 (Mirror, 1);
  data->mirror->backend.klass = &mirror_backend_class;
  g_weak_ref_init (&data->mirror->monitor, data->monitor);
  data->mirror->proxy = g_object_ref (proxy);
  data->mirror->cancellable = g_cancellable_new ();
  health_monitor_set_backend (data->monitor, &data->mirror->backend);

  g_signal_connect (proxy, "sampled", G_CALLBACK (mirror_on_sampled), data->mirror);
  g_signal_connect (proxy, "updated", G_CALLBACK (mirror_on_updated), data->mirror);
  g_signal_connect (proxy, "status-changed", G_CALLBACK (mirror_on_status_changed), data->mirror);
  g_signal_connect (proxy, "alert", G_CALLBACK (mirror_on_alert), data->mirror);
  g_signal_connect (proxy, "recovered", G_CALLBACK (mirror_on_recovered), data->mirror);
  g_signal_connect (proxy, "low-memory", G_CALLBACK (mirror_on_low_memory), data->mirror);
  g_signal_connect (proxy, "metric-added", G_CALLBACK (mirror_on_metric_added), data->mirror);
  g_signal_connect (proxy, "metric-removed", G_CALLBACK (mirror_on_metric_removed), data->mirror);
  g_signal_connect (proxy, "notify::g-name-owner", G_CALLBACK (mirror_on_name_owner), data->mirror);

  /* One extra count so the task finishes once every history is in. */
  metrics = health_monitor_get_metrics (data->monitor);
  data->pending = 1;
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      HistoryCall *call = g_new0 (HistoryCall, 1);

      call->task = task;
      call->metric = g_list_model_get_item (metrics, i);
      data->pending++;
      health_dbus_monitor1_call_get_history (proxy, health_metric_get_id (call->metric),
                                             g_task_get_cancellable (task), history_done, call);
    }

  new_for_bus_maybe_finish (task);
}

static void
proxy_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(HealthDBusMonitor1) proxy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *owner = NULL;

  proxy = health_dbus_monitor1_proxy_new_finish (result, &error);
  if (proxy == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }

  /* A well-known name nobody owns: say so, rather than GDBus's words on
   * auto-starting. */
  owner = g_dbus_proxy_get_name_owner (G_DBUS_PROXY (proxy));
  if (owner == NULL)
    {
      g_task_return_new_error (task, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN,
                               _("Nothing owns the name “%s” on this bus: is the program that exports the monitor running?"),
                               g_dbus_proxy_get_name (G_DBUS_PROXY (proxy)));
      g_object_unref (task);
      return;
    }

  health_dbus_monitor1_call_get_metrics (proxy, g_task_get_cancellable (task), metrics_done, task);
}

/**
 * health_monitor_new_for_bus_async:
 * @connection: a bus connection, usually the session bus
 * @bus_name: the unique or well-known name of the process that exported
 *   the monitor
 * @object_path: where it was exported
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the monitor is ready
 * @user_data: (closure): data for @callback
 *
 * Makes a monitor that mirrors one published with
 * [method@Health.Monitor.export]: the same metrics with their history,
 * values, statuses and trends, and the same signals, so that views, the
 * CLI and bindings cannot tell it from a local monitor.
 *
 * The mirror never samples by itself: it follows the remote's samples,
 * and [method@Health.Monitor.sample_async] fetches the remote's figures
 * at once. While the remote's name has no owner, every metric is unknown;
 * the mirror never starts the remote through D-Bus activation. It is
 * active from the start; [method@Health.Monitor.stop] stops
 * following.
 *
 * Since: 1.0
 */
void
health_monitor_new_for_bus_async (GDBusConnection     *connection,
                                  const char          *bus_name,
                                  const char          *object_path,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (G_IS_DBUS_CONNECTION (connection));
  g_return_if_fail (bus_name != NULL && g_dbus_is_name (bus_name));
  g_return_if_fail (object_path != NULL && g_variant_is_object_path (object_path));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, health_monitor_new_for_bus_async);
  g_task_set_task_data (task, g_new0 (NewForBus, 1), (GDestroyNotify) new_for_bus_free);

  /* Reading a monitor never launches it: the applet's D-Bus activation
   * file is for the desktop, not for `status --bus`. */
  health_dbus_monitor1_proxy_new (connection, G_DBUS_PROXY_FLAGS_DO_NOT_AUTO_START, bus_name, object_path,
                                  cancellable, proxy_done, task);
}

/**
 * health_monitor_new_for_bus_finish:
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [func@Health.Monitor.new_for_bus_async].
 *
 * Returns: (transfer full): the mirror, or %NULL with @error set when the
 *   remote monitor could not be reached
 *
 * Since: 1.0
 */
HealthMonitor *
health_monitor_new_for_bus_finish (GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
