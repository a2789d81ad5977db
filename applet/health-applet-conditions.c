/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Conditions, not metrics, are what a person is told about: memory-usage
 * and memory-available going bad together are one thing, "memory is
 * running out", and the tray tooltip and the notifications say it once,
 * by its worst metric, mentioning the others. The process scope (the
 * applet's own figures) is never a condition here: the applet describes
 * the machine.
 *
 * What is said here is shown as it is: labels (an app's), details (the
 * user's disk path) and values go through the one sanitiser, so no
 * escape sequence, control or bidi override reaches a tooltip or a
 * notification.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-applet-conditions.h"
#include "health-text-private.h"

static const struct
{
  const char *name;
  const char *title;
} builtin_titles[] = {
  /* Translators: the titles of a notification and of a tray tooltip line
   * about one condition of the machine */
  { "memory", N_("Memory is running out") },
  { "swap", N_("The system is swapping") },
  { "cpu", N_("The processor is overloaded") },
  { "disk", N_("The disk is filling up") },
  { "io", N_("The disk is slow to respond") },
};

static void
condition_free (HealthAppletCondition *condition)
{
  g_free (condition->name);
  g_ptr_array_unref (condition->metrics);
  g_free (condition);
}

static int
compare_metrics (gconstpointer a,
                 gconstpointer b)
{
  HealthMetric *ma = *(HealthMetric **) a;
  HealthMetric *mb = *(HealthMetric **) b;

  return (int) health_metric_get_status (mb) - (int) health_metric_get_status (ma);
}

static int
compare_conditions (gconstpointer a,
                    gconstpointer b)
{
  const HealthAppletCondition *ca = *(HealthAppletCondition **) a;
  const HealthAppletCondition *cb = *(HealthAppletCondition **) b;

  return (int) cb->status - (int) ca->status;
}

HealthAppletCondition *
health_applet_conditions_find (GPtrArray  *conditions,
                               const char *name)
{
  g_return_val_if_fail (conditions != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);

  for (guint i = 0; i < conditions->len; i++)
    {
      HealthAppletCondition *condition = g_ptr_array_index (conditions, i);

      if (g_str_equal (condition->name, name))
        return condition;
    }

  return NULL;
}

/**
 * health_applet_conditions_list_troubled:
 * @monitor: a monitor
 *
 * Returns: (transfer full) (element-type HealthAppletCondition): the
 *   conditions with a metric at WARNING or worse, the worst first, and
 *   in the monitor's order among equals (the sorts are stable)
 */
GPtrArray *
health_applet_conditions_list_troubled (HealthMonitor *monitor)
{
  GListModel *metrics = health_monitor_get_metrics (monitor);
  guint n_metrics = g_list_model_get_n_items (metrics);
  GPtrArray *conditions = g_ptr_array_new_with_free_func ((GDestroyNotify) condition_free);

  for (guint i = 0; i < n_metrics; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      HealthStatus status = health_metric_get_status (metric);
      const char *name = health_metric_get_condition (metric);
      HealthAppletCondition *condition;

      if (status < HEALTH_STATUS_WARNING || health_metric_get_scope (metric) == HEALTH_SCOPE_PROCESS)
        continue;

      condition = health_applet_conditions_find (conditions, name);
      if (condition == NULL)
        {
          condition = g_new0 (HealthAppletCondition, 1);
          condition->name = g_strdup (name);
          condition->metrics = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (conditions, condition);
        }

      condition->status = MAX (condition->status, status);
      g_ptr_array_add (condition->metrics, g_steal_pointer (&metric));
    }

  for (guint i = 0; i < conditions->len; i++)
    {
      HealthAppletCondition *condition = g_ptr_array_index (conditions, i);

      g_ptr_array_sort (condition->metrics, compare_metrics);
    }
  g_ptr_array_sort (conditions, compare_conditions);

  return conditions;
}

/* "Memory is running out" for the machine's conditions; an app's metric
 * is a condition of its own, called by its label. */
char *
health_applet_condition_dup_title (HealthAppletCondition *condition)
{
  HealthMetric *worst;

  g_return_val_if_fail (condition != NULL && condition->metrics->len > 0, NULL);

  worst = g_ptr_array_index (condition->metrics, 0);
  if (health_metric_get_scope (worst) == HEALTH_SCOPE_SYSTEM)
    {
      for (guint i = 0; i < G_N_ELEMENTS (builtin_titles); i++)
        {
          if (g_str_equal (condition->name, builtin_titles[i].name))
            return g_strdup (_(builtin_titles[i].title));
        }
    }

  return health_text_sanitize (health_metric_get_label (worst), -1);
}

/* "Memory Usage 95.0 % (Critical)", "Disk Usage 96.0 % (Critical, /home)" */
char *
health_applet_metric_dup_phrase (HealthMetric *metric)
{
  g_autofree char *value = NULL;
  g_autofree char *phrase = NULL;
  const char *detail;
  const char *status;

  g_return_val_if_fail (HEALTH_IS_METRIC (metric), NULL);

  value = health_metric_format_value (metric, health_metric_get_value (metric));
  status = health_status_to_label (health_metric_get_status (metric));
  detail = health_metric_get_detail (metric);

  if (detail != NULL && detail[0] != '\0')
    /* Translators: a metric, its value, its status and what it is about:
     * "Disk Usage 96.0 % (Critical, /home)" */
    phrase = g_strdup_printf (_("%s %s (%s, %s)"), health_metric_get_label (metric), value, status, detail);
  else
    /* Translators: a metric, its value and its status: "Memory Usage 95.0 % (Critical)" */
    phrase = g_strdup_printf (_("%s %s (%s)"), health_metric_get_label (metric), value, status);

  return health_text_sanitize (phrase, -1);
}
