/* health-operation.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>

#include "health-metric.h"
#include "health-monitor-private.h"
#include "health-operation-private.h"
#include "health-text-private.h"
#include "health-worker-private.h"

/**
 * HealthOperation:
 *
 * A span of app work whose effect on the metrics is worth knowing.
 *
 * [method@Health.Monitor.begin_operation] measures every metric afresh;
 * [method@Health.Operation.end] measures them again and lists, and logs
 * at debug level, those that changed significantly: by a tenth of the
 * distance between their thresholds (the scale trends are judged on),
 * or, for a metric without thresholds, by more than 10 % of its value.
 * An operation that is released without being ended is ended then, so
 * in C `g_autoptr (HealthOperation)` covers a scope:
 *
 * ```c
 * {
 *   g_autoptr(HealthOperation) op = health_monitor_begin_operation (monitor, "load file");
 *
 *   load_file (...);
 * }
 * ```
 *
 * Since: 1.0
 */

struct _HealthOperation
{
  gatomicrefcount  ref_count;
  char            *name;
  GWeakRef         monitor;
  HealthWorker    *worker;     /* its own probes, or NULL */
  GArray          *starts;     /* of HealthMeasure */
  gboolean         ended;
};

G_DEFINE_BOXED_TYPE (HealthOperation, health_operation, health_operation_ref, health_operation_unref)

HealthOperation *
health_operation_new (HealthMonitor *monitor,
                      const char    *name)
{
  HealthOperation *self = g_new0 (HealthOperation, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  g_weak_ref_init (&self->monitor, monitor);
  self->worker = health_monitor_new_measure_worker (monitor);
  self->starts = health_monitor_measure (monitor, self->worker);

  return self;
}

/* Whether going from @before to @after matters: judged against the
 * distance between the thresholds, as trends are, so 1.0 % -> 0.4 % of
 * pressure (thresholds 10 and 40) is noise; a metric without thresholds
 * against its own size, as the seed did. */
static gboolean
change_is_significant (HealthMetric *metric,
                       double        before,
                       double        after)
{
  double warning = health_metric_get_warning (metric);
  double critical = health_metric_get_critical (metric);
  double scale = fabs (critical - warning);

  if (isnan (scale))
    return fabs (after - before) / MAX (fabs (before), 1.0) * 100.0 > HEALTH_OPERATION_SIGNIFICANT_PERCENT;

  if (scale <= 0)
    scale = MAX (fabs (warning), 1.0);

  return fabs (after - before) >= HEALTH_OPERATION_SIGNIFICANT_PERCENT / 100.0 * scale;
}

/**
 * health_operation_ref:
 * @self: an operation
 *
 * Takes a reference to @self.
 *
 * Returns: (transfer full): @self
 *
 * Since: 1.0
 */
HealthOperation *
health_operation_ref (HealthOperation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

/**
 * health_operation_unref:
 * @self: (transfer full): an operation
 *
 * Releases a reference to @self; the last one ends the operation if
 * [method@Health.Operation.end] was not called.
 *
 * Since: 1.0
 */
void
health_operation_unref (HealthOperation *self)
{
  g_return_if_fail (self != NULL);

  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (!self->ended)
    g_strfreev (health_operation_end (self));

  g_array_unref (self->starts);
  g_clear_pointer (&self->worker, health_worker_unref);
  g_weak_ref_clear (&self->monitor);
  g_free (self->name);
  g_free (self);
}

/**
 * health_operation_get_name:
 * @self: an operation
 *
 * Gets the name given to [method@Health.Monitor.begin_operation].
 *
 * Returns: (transfer none): the name
 *
 * Since: 1.0
 */
const char *
health_operation_get_name (HealthOperation *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->name;
}

/**
 * health_operation_is_ended:
 * @self: an operation
 *
 * Gets whether [method@Health.Operation.end] was called.
 *
 * Returns: %TRUE once ended
 *
 * Since: 1.0
 */
gboolean
health_operation_is_ended (HealthOperation *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return self->ended;
}

/**
 * health_operation_end:
 * @self: an operation
 *
 * Ends the operation: measures every metric afresh, compares it with its
 * value when the operation began and returns the significant changes
 * (see [struct@Health.Operation]), as `"memory-usage: 50.0 % -> 61.2 %"`. They are also logged at debug
 * level. Metrics unknown at either end are skipped. Ending twice returns
 * nothing the second time.
 *
 * Returns: (transfer full) (array zero-terminated=1): the changes,
 *   possibly none
 *
 * Since: 1.0
 */
char **
health_operation_end (HealthOperation *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GArray) ends = NULL;
  g_auto(GStrv) changes = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->ended)
    return g_new0 (char *, 1);

  self->ended = TRUE;

  monitor = g_weak_ref_get (&self->monitor);
  if (monitor != NULL)
    ends = health_monitor_measure (monitor, self->worker);

  for (guint i = 0; i < self->starts->len; i++)
    {
      const HealthMeasure *start = &g_array_index (self->starts, HealthMeasure, i);
      double now = health_metric_get_value (start->metric);

      for (guint j = 0; ends != NULL && j < ends->len; j++)
        {
          const HealthMeasure *end = &g_array_index (ends, HealthMeasure, j);

          if (end->metric == start->metric)
            {
              now = end->value;
              break;
            }
        }

      if (!isfinite (start->value) || !isfinite (now))
        continue;

      if (change_is_significant (start->metric, start->value, now))
        {
          g_autofree char *before = health_metric_format_value (start->metric, start->value);
          g_autofree char *after = health_metric_format_value (start->metric, now);
          g_autofree char *line = g_strdup_printf ("%s: %s -> %s",
                                                   health_metric_get_id (start->metric),
                                                   before, after);

          g_strv_builder_add (builder, line);
        }
    }

  changes = g_strv_builder_end (builder);

  if (changes[0] != NULL)
    {
      g_autofree char *joined = g_strjoinv (", ", changes);
      g_autofree char *message = g_strdup_printf ("Operation '%s' caused significant resource changes: %s",
                                                  self->name, joined);
      g_autofree char *clean = health_text_sanitize (message, -1);

      /* The name is the app's, the units may be another process's. */
      g_debug ("%s", clean);
    }

  return g_steal_pointer (&changes);
}
