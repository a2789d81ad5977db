/* health-monitor-metrics.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The metrics of a monitor: the built-in ones it makes, those an app
 * adds (updated by the app, sampled on the main context or on the
 * worker), finding and removing them, tracked objects, and measuring
 * every one afresh for an operation.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-clock-private.h"
#include "health-metric-private.h"
#include "health-monitor-impl-private.h"
#include "health-operation-private.h"
#include "health-worker-private.h"

/* Metric entries */

void
health_monitor_entry_free (MetricEntry *entry)
{
  if (entry->destroy != NULL)
    entry->destroy (entry->user_data);
  g_object_unref (entry->metric);
  g_free (entry);
}

MetricEntry *
health_monitor_get_entry (HealthMonitor *self,
                          HealthMetric  *metric)
{
  MetricEntry *entry = g_hash_table_lookup (self->entries_by_id, health_metric_get_id (metric));

  return entry != NULL && entry->metric == metric ? entry : NULL;
}

HealthMetric *
health_monitor_lookup_builtin (HealthMonitor   *self,
                               HealthBuiltinId  id)
{
  /* Three a sample: an index, not a hash of the id. */
  MetricEntry *entry = self->builtin_entries[id];

  return entry != NULL ? entry->metric : NULL;
}

/* Metrics */

static MetricEntry *
monitor_insert_metric (HealthMonitor *self,
                       HealthMetric  *metric)
{
  MetricEntry *entry = g_new0 (MetricEntry, 1);

  entry->metric = g_object_ref (metric);
  entry->builtin_id = -1;
  entry->scope = -1;
  g_hash_table_insert (self->entries_by_id, (gpointer) health_metric_get_id (metric), entry);
  g_ptr_array_add (self->entries, entry);
  g_list_store_append (self->metrics, metric);
  health_metric_set_monitor (metric, self, health_monitor_metric_changed);

  return entry;
}

void
health_monitor_create_builtins (HealthMonitor *self)
{
  for (guint id = 0; id < HEALTH_N_BUILTIN_IDS; id++)
    {
      const HealthBuiltinInfo *info = health_builtin_get_info (id);
      g_autoptr(HealthMetric) metric = NULL;
      MetricEntry *entry;

      if ((self->builtin & HEALTH_BUILTIN_FLAG (id)) == 0)
        continue;

      metric = g_object_new (HEALTH_TYPE_METRIC,
                             "id", info->id,
                             "label", g_dgettext (GETTEXT_PACKAGE, info->label),
                             "unit", info->unit,
                             "direction", info->direction,
                             "recommendation", g_dgettext (GETTEXT_PACKAGE, info->recommendation),
                             "history-size", self->history_size,
                             "condition", info->condition,
                             "scope", health_builtin_get_scope (id),
                             "trend-min-span", self->trend_min_span,
                             NULL);
      health_metric_set_default_thresholds (metric, info->warning, info->critical);
      health_metric_set_bound (metric, info->bound);
      if (id == HEALTH_BUILTIN_ID_DISK_USAGE)
        health_metric_set_detail (metric, self->disk_path);
      entry = monitor_insert_metric (self, metric);
      entry->builtin_id = id;
      self->builtin_entries[id] = entry;
    }
}

static gboolean
monitor_can_add (HealthMonitor *self,
                 HealthMetric  *metric)
{
  const char *id = health_metric_get_id (metric);

  g_return_val_if_fail (health_metric_id_is_valid (id), FALSE);
  g_return_val_if_fail (health_metric_get_monitor (metric) == NULL, FALSE);

  if (g_hash_table_contains (self->entries_by_id, id))
    {
      g_critical ("HealthMonitor already has a metric with id \"%s\"", id);
      return FALSE;
    }

  return TRUE;
}


/**
 * health_monitor_get_metric:
 * @self: a monitor
 * @id: a metric id
 *
 * Finds a metric by id.
 *
 * Returns: (transfer none) (nullable): the metric, or %NULL
 *
 * Since: 1.0
 */
HealthMetric *
health_monitor_get_metric (HealthMonitor *self,
                           const char    *id)
{
  MetricEntry *entry;

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  entry = g_hash_table_lookup (self->entries_by_id, id);

  return entry != NULL ? entry->metric : NULL;
}

/**
 * health_monitor_add_metric:
 * @self: a monitor
 * @metric: a metric with an id not yet in @self, in no other monitor
 *
 * Adds a metric that the app updates itself with
 * [method@Health.Metric.update]; the monitor judges it, alerts on it,
 * counts it in the overall status and lists it.
 *
 * Returns: %TRUE if it was added
 *
 * Since: 1.0
 */
gboolean
health_monitor_add_metric (HealthMonitor *self,
                           HealthMetric  *metric)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (HEALTH_IS_METRIC (metric), FALSE);

  if (!monitor_can_add (self, metric))
    return FALSE;

  monitor_insert_metric (self, metric);

  return TRUE;
}

/**
 * health_monitor_add_sampled_metric:
 * @self: a monitor
 * @metric: a metric with an id not yet in @self, in no other monitor
 * @func: (scope notified) (closure user_data) (destroy destroy): measures the metric
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data once the metric is removed
 *
 * Adds a metric that the monitor samples with @func once per sample, on
 * its main context (so @func may touch the app's objects, and works from
 * Python and JavaScript).
 *
 * Returns: %TRUE if it was added
 *
 * Since: 1.0
 */
gboolean
health_monitor_add_sampled_metric (HealthMonitor    *self,
                                   HealthMetric     *metric,
                                   HealthSampleFunc  func,
                                   gpointer          user_data,
                                   GDestroyNotify    destroy)
{
  MetricEntry *entry;

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (HEALTH_IS_METRIC (metric), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!monitor_can_add (self, metric))
    return FALSE;

  entry = monitor_insert_metric (self, metric);
  entry->sample = func;
  entry->user_data = user_data;
  entry->destroy = destroy;

  return TRUE;
}

static double
sample_with_closure (HealthMetric *metric,
                     gpointer      user_data)
{
  GClosure *closure = user_data;
  GValue param = G_VALUE_INIT;
  GValue result = G_VALUE_INIT;
  double value;

  g_value_init (&param, HEALTH_TYPE_METRIC);
  g_value_set_object (&param, metric);
  /* A binding leaves the result alone when the callback raises or returns
   * something that is not a number: NaN then makes the metric UNKNOWN,
   * where a zeroed C return value would have made it look healthy. */
  g_value_init (&result, G_TYPE_DOUBLE);
  g_value_set_double (&result, NAN);

  g_closure_invoke (closure, &result, 1, &param, NULL);
  value = g_value_get_double (&result);

  g_value_unset (&param);

  return value;
}

/**
 * health_monitor_add_sampled_metric_with_closure: (rename-to health_monitor_add_sampled_metric)
 * @self: a monitor
 * @metric: a metric with an id not yet in @self, in no other monitor
 * @closure: a closure `double (HealthMetric *metric)` that measures the
 *   metric
 *
 * The form of [method@Health.Monitor.add_sampled_metric] for language
 * bindings: the value travels as a #GValue, which every binding marshals
 * correctly, and a callback that raises or returns something other than a
 * number leaves the metric %HEALTH_STATUS_UNKNOWN for that sample.
 *
 * Returns: %TRUE if it was added
 *
 * Since: 1.0
 */
gboolean
health_monitor_add_sampled_metric_with_closure (HealthMonitor *self,
                                                HealthMetric  *metric,
                                                GClosure      *closure)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (HEALTH_IS_METRIC (metric), FALSE);
  g_return_val_if_fail (closure != NULL, FALSE);

  g_closure_ref (closure);
  g_closure_sink (closure);
  if (G_CLOSURE_NEEDS_MARSHAL (closure))
    g_closure_set_marshal (closure, g_cclosure_marshal_generic);

  if (!health_monitor_add_sampled_metric (self, metric, sample_with_closure,
                                          closure, (GDestroyNotify) g_closure_unref))
    {
      g_closure_unref (closure);
      return FALSE;
    }

  return TRUE;
}

/**
 * health_monitor_add_worker_metric: (skip)
 * @self: a monitor
 * @metric: a metric with an id not yet in @self, in no other monitor
 * @func: measures the metric, on the worker thread
 * @user_data: data for @func
 * @destroy: (nullable): frees @user_data once the metric is removed and
 *   no sample uses it, on the monitor's main context
 *
 * Adds a metric sampled with @func on the monitor's worker thread, with
 * the built-in probes, for measures that block (a file read, a syscall).
 * @func must be thread-safe and may read only the id of the metric it is
 * given. A @func slower than the interval makes ticks overrun (counted
 * in [property@Health.Monitor:overruns]), never pile up.
 *
 * Returns: %TRUE if it was added
 *
 * Since: 1.0
 */
gboolean
health_monitor_add_worker_metric (HealthMonitor    *self,
                                  HealthMetric     *metric,
                                  HealthSampleFunc  func,
                                  gpointer          user_data,
                                  GDestroyNotify    destroy)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (HEALTH_IS_METRIC (metric), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!monitor_can_add (self, metric))
    return FALSE;

  health_sampler_add_worker_func (self->sampler, health_worker_func_new (metric, func, user_data, destroy));
  monitor_insert_metric (self, metric)->on_worker = TRUE;

  return TRUE;
}

/**
 * health_monitor_remove_metric:
 * @self: a monitor
 * @id: the id of a metric of @self
 *
 * Removes a metric, built-in or added, with its sampling function.
 *
 * Returns: %TRUE if a metric with that id was removed
 *
 * Since: 1.0
 */
gboolean
health_monitor_remove_metric (HealthMonitor *self,
                              const char    *id)
{
  g_autoptr(HealthMetric) metric = NULL;
  MetricEntry *entry;
  guint position;
  HealthTime now;

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  entry = g_hash_table_lookup (self->entries_by_id, id);
  if (entry == NULL)
    return FALSE;

  /* @id may be the metric's own. */
  metric = g_object_ref (entry->metric);
  g_hash_table_remove (self->entries_by_id, health_metric_get_id (metric));
  if (entry->builtin_id >= 0)
    self->builtin_entries[entry->builtin_id] = NULL;
  health_metric_set_monitor (metric, NULL, NULL);
  if (entry->on_worker)
    health_sampler_remove_worker_func (self->sampler, metric);
  /* Its app data goes with it. */
  g_ptr_array_remove (self->entries, entry);
  if (g_list_store_find (self->metrics, metric, &position))
    g_list_store_remove (self->metrics, position);

  health_clock_now (&now);
  health_monitor_update_status (self, now.monotonic_us);

  return TRUE;
}

/**
 * health_monitor_track_object:
 * @self: a monitor
 * @object: an object to count while it lives
 *
 * Counts @object in the `tracked-objects` metric until it is finalized,
 * through a weak reference: a leak detector for objects that should come
 * and go. Tracking the same object twice counts it once. Safe to call
 * from any thread.
 *
 * Since: 1.0
 */
void
health_monitor_track_object (HealthMonitor *self,
                             GObject       *object)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));
  g_return_if_fail (G_IS_OBJECT (object));

  health_tracker_add (self->tracker, object);
}

/**
 * health_monitor_get_n_tracked_objects:
 * @self: a monitor
 *
 * Counts the tracked objects alive now.
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint
health_monitor_get_n_tracked_objects (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), 0);

  return health_tracker_count (self->tracker);
}

/* Operations */

static void
measure_clear (HealthMeasure *measure)
{
  g_clear_object (&measure->metric);
}

/* Probes of an operation's own: the monitor's worker may be busy on its
 * thread, and a fresh set also measures CPU use over the operation. A
 * mirror, made without built-ins, has nothing to read here. */
HealthWorker *
health_monitor_new_measure_worker (HealthMonitor *self)
{
  if (self->builtin == HEALTH_BUILTIN_NONE)
    return NULL;

  return health_worker_new (self->proc_root, self->builtin);
}

/* Every metric's value now: built-ins read by @worker's probes, sampled
 * app metrics asked, the others (updated by the app, sampled on the
 * worker, or figures only a tick knows) as they are. Nothing is applied:
 * an operation must not emit the monitor's signals. */
GArray *
health_monitor_measure (HealthMonitor *self,
                        HealthWorker  *worker)
{
  GArray *measures = g_array_sized_new (FALSE, FALSE, sizeof (HealthMeasure), self->entries->len);
  const HealthSnapshot *snapshot = NULL;
  g_autoptr(GPtrArray) metrics = g_ptr_array_new_full (self->entries->len, g_object_unref);

  /* A sampled function may add or remove metrics: walk a copy. */
  for (guint i = 0; i < self->entries->len; i++)
    g_ptr_array_add (metrics, g_object_ref (((MetricEntry *) g_ptr_array_index (self->entries, i))->metric));
  g_array_set_clear_func (measures, (GDestroyNotify) measure_clear);

  if (worker != NULL)
    {
      g_autoptr(HealthWorkerJob) job = health_worker_job_new (worker, self->disk_path, NULL);

      snapshot = health_worker_run (job);
    }

  for (guint i = 0; i < metrics->len; i++)
    {
      HealthMeasure measure = { g_object_ref (g_ptr_array_index (metrics, i)), NAN };
      MetricEntry *entry = health_monitor_get_entry (self, measure.metric);

      measure.value = health_metric_get_value (measure.metric);

      if (entry != NULL && snapshot != NULL && entry->builtin_id >= 0 &&
          !isnan (snapshot->values[entry->builtin_id]))
        measure.value = snapshot->values[entry->builtin_id];

      if (entry != NULL && entry->sample != NULL)
        measure.value = entry->sample (measure.metric, entry->user_data);

      g_array_append_val (measures, measure);
    }

  return measures;
}

/**
 * health_monitor_begin_operation:
 * @self: a monitor
 * @name: what the app is about to do, for the log
 *
 * Measures every metric afresh before an operation (the built-in ones
 * are read from the system now, sampled app metrics are asked now), so
 * that [method@Health.Operation.end], which measures again, can tell what
 * the operation changed significantly, even when no sample was taken in
 * between. In C, `g_autoptr (HealthOperation)` ends it at the end of the
 * scope.
 *
 * Returns: (transfer full): the operation
 *
 * Since: 1.0
 */
HealthOperation *
health_monitor_begin_operation (HealthMonitor *self,
                                const char    *name)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  return health_operation_new (self, name);
}

