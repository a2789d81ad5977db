/* health-openmetrics.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The Prometheus / OpenMetrics text exposition of a monitor.
 */

#include "config.h"

#include <math.h>

#include "health-monitor.h"

/* HELP text and label values: backslash, newline (and quotes in labels)
 * escaped, as the exposition formats want. */
static void
append_escaped (GString    *out,
                const char *text,
                gboolean    is_label)
{
  for (const char *p = text; *p; p++)
    {
      if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '"' && is_label)
        g_string_append (out, "\\\"");
      else
        g_string_append_c (out, *p);
    }
}

static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    g_string_append (out, "NaN");
  else if (isinf (value))
    g_string_append (out, value > 0 ? "+Inf" : "-Inf");
  else
    g_string_append (out, g_ascii_dtostr (buffer, sizeof buffer, value));
}

static char *
metric_series_name (HealthMetric *metric)
{
  g_autofree char *name = g_strconcat ("health_", health_metric_get_id (metric), NULL);

  g_strdelimit (name, "-", '_');

  return g_steal_pointer (&name);
}

/**
 * health_monitor_to_openmetrics:
 * @self: a monitor
 *
 * Writes the monitor in the OpenMetrics text format that Prometheus
 * scrapes: one gauge per metric, named `health_` and the id with
 * underscores (`health_memory_usage`), with HELP and TYPE lines; a
 * `health_metric_status` gauge labelled by metric; the overall
 * `health_status` gauge (0 unknown, 1 excellent, 2 good, 3 warning,
 * 4 critical, 5 emergency); and the closing `# EOF`.
 *
 * Returns: (transfer full): the exposition text
 *
 * Since: 1.0
 */
char *
health_monitor_to_openmetrics (HealthMonitor *self)
{
  g_autoptr(GString) out = g_string_new (NULL);
  GListModel *metrics;
  guint n_items;

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  metrics = health_monitor_get_metrics (self);
  n_items = g_list_model_get_n_items (metrics);
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      g_autofree char *name = metric_series_name (metric);

      g_string_append_printf (out, "# HELP %s ", name);
      append_escaped (out, health_metric_get_label (metric), FALSE);
      if (*health_metric_get_unit (metric) != '\0')
        {
          g_string_append (out, " (");
          append_escaped (out, health_metric_get_unit (metric), FALSE);
          g_string_append (out, ")");
        }
      g_string_append_printf (out, "\n# TYPE %s gauge\n%s ", name, name);
      append_number (out, health_metric_get_value (metric));
      g_string_append_c (out, '\n');
    }

  g_string_append (out,
                   "# HELP health_metric_status Status of each metric: 0 unknown, 2 good, 3 warning, 4 critical\n"
                   "# TYPE health_metric_status gauge\n");
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      g_string_append (out, "health_metric_status{metric=\"");
      append_escaped (out, health_metric_get_id (metric), TRUE);
      g_string_append_printf (out, "\"} %d\n", (int) health_metric_get_status (metric));
    }

  g_string_append_printf (out,
                          "# HELP health_status Overall status: 0 unknown, 1 excellent, 2 good, 3 warning, 4 critical, 5 emergency\n"
                          "# TYPE health_status gauge\n"
                          "health_status %d\n"
                          "# EOF\n",
                          (int) health_monitor_get_status (self));

  return g_string_free (g_steal_pointer (&out), FALSE);
}

