/* health-operation.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>

#include "health-metric.h"
#include "health-operation-private.h"
#include "health-text-private.h"

/**
 * HealthOperation:
 *
 * A span of app work whose effect on the metrics is worth knowing.
 *
 * [method@Health.Monitor.begin_operation] notes every metric's value;
 * [method@Health.Operation.end] compares them with the values then and
 * lists, and logs at debug level, those that changed by more than 10 %.
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

typedef struct
{
  HealthMetric *metric;
  double        start_value;
} Start;

struct _HealthOperation
{
  gatomicrefcount  ref_count;
  char            *name;
  GArray          *starts;
  gboolean         ended;
};

G_DEFINE_BOXED_TYPE (HealthOperation, health_operation, health_operation_ref, health_operation_unref)

static void
start_clear (Start *start)
{
  g_clear_object (&start->metric);
}

HealthOperation *
health_operation_new (GListModel *metrics,
                      const char *name)
{
  HealthOperation *self = g_new0 (HealthOperation, 1);
  guint n_items = g_list_model_get_n_items (metrics);

  g_atomic_ref_count_init (&self->ref_count);
  self->name = g_strdup (name);
  self->starts = g_array_sized_new (FALSE, FALSE, sizeof (Start), n_items);
  g_array_set_clear_func (self->starts, (GDestroyNotify) start_clear);

  for (guint i = 0; i < n_items; i++)
    {
      Start start;

      start.metric = g_list_model_get_item (metrics, i);
      start.start_value = health_metric_get_value (start.metric);
      g_array_append_val (self->starts, start);
    }

  return self;
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
 * Ends the operation: compares every metric with its value when the
 * operation began and returns the significant changes, more than 10 % of
 * the start value (or of 1, for values below 1), as
 * `"memory-usage: 50.0 % -> 61.2 %"`. They are also logged at debug
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
  g_auto(GStrv) changes = NULL;

  g_return_val_if_fail (self != NULL, NULL);

  if (self->ended)
    return g_new0 (char *, 1);

  self->ended = TRUE;

  for (guint i = 0; i < self->starts->len; i++)
    {
      const Start *start = &g_array_index (self->starts, Start, i);
      double now = health_metric_get_value (start->metric);
      double change;

      if (!isfinite (start->start_value) || !isfinite (now))
        continue;

      change = fabs (now - start->start_value) / MAX (fabs (start->start_value), 1.0) * 100.0;
      if (change > HEALTH_OPERATION_SIGNIFICANT_PERCENT)
        {
          g_autofree char *before = health_metric_format_value (start->metric, start->start_value);
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
