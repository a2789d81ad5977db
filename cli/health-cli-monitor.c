/* health-cli-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The monitor a command describes, and the options that choose it,
 * shared by status, watch, export and serve.
 *
 * The commands describe the machine. The short-lived health-monitor
 * process itself (its memory, threads, open files, main-loop latency,
 * tracked objects and cost) says nothing about it, so its metrics are
 * only there with --self. A monitor read over the bus has the process
 * metrics of whoever exports it: those are hidden the same way.
 */

#include "config.h"

#include <stdio.h>

#include <glib/gi18n.h>

#include "health-cli-private.h"

void
health_cli_add_monitor_options (GOptionContext          *context,
                                HealthCliMonitorOptions *options)
{
  const GOptionEntry entries[] = {
    { "self", 0, 0, G_OPTION_ARG_NONE, &options->self,
      N_("Also show the metrics of the process that runs the monitor (this command, or "
         "with --bus the one that exports it): its memory, threads, open files, main-loop "
         "latency and cost"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

gboolean
health_cli_metric_is_shown (HealthMetric                  *metric,
                            const HealthCliMonitorOptions *options)
{
  return options->self || health_metric_get_scope (metric) != HEALTH_SCOPE_PROCESS;
}

/* The library's recommendations, worst first, without those that only
 * hidden metrics in trouble give. */
GStrv
health_cli_dup_recommendations (HealthMonitor                 *monitor,
                                const HealthCliMonitorOptions *options)
{
  GListModel *metrics = health_monitor_get_metrics (monitor);
  guint n_metrics = g_list_model_get_n_items (metrics);
  g_auto (GStrv) all = health_monitor_get_recommendations (monitor);
  g_autoptr (GHashTable) shown = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < n_metrics; i++)
    {
      g_autoptr (HealthMetric) metric = g_list_model_get_item (metrics, i);
      const char *text = health_metric_get_recommendation (metric);

      if (text != NULL && health_metric_get_status (metric) >= HEALTH_STATUS_WARNING &&
          health_cli_metric_is_shown (metric, options))
        g_hash_table_add (shown, (gpointer) text);
    }

  for (guint i = 0; all[i] != NULL; i++)
    if (g_hash_table_contains (shown, all[i]))
      g_strv_builder_add (builder, all[i]);

  return g_strv_builder_end (builder);
}

/* Says on stderr why the overall status is unknown, if it is: a status
 * of nothing must not pass for a verdict. */
void
health_cli_print_unknown_reason (HealthMonitor *monitor,
                                 const char    *command)
{
  g_autofree char *reason = health_monitor_dup_unknown_reason (monitor);

  if (reason == NULL)
    return;

  /* After what was printed, where a terminal shows both. */
  fflush (stdout);
  g_printerr ("health-monitor %s: %s\n", command, reason);
}

/* A monitor of this machine, not the process-wide default: a command
 * must not share it with anything else the process might do. */
HealthMonitor *
health_cli_monitor_new (const HealthCliMonitorOptions *options)
{
  return g_object_new (HEALTH_TYPE_MONITOR,
                       "builtin", options->self ? HEALTH_BUILTIN_ALL : HEALTH_BUILTIN_SYSTEM,
                       NULL);
}
