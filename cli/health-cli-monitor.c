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

#include <errno.h>
#include <stdio.h>
#include <sys/statvfs.h>

#include <glib/gi18n.h>

#include "health-cli-private.h"

void
health_cli_monitor_options_clear (HealthCliMonitorOptions *options)
{
  g_clear_pointer (&options->disk_path, g_free);
}

void
health_cli_add_monitor_options (GOptionContext          *context,
                                HealthCliMonitorOptions *options)
{
  const GOptionEntry entries[] = {
    { "disk-path", 0, 0, G_OPTION_ARG_FILENAME, &options->disk_path,
      N_("Watch the disk that holds PATH (default: the working directory)"), N_("PATH") },
    { "self", 0, 0, G_OPTION_ARG_NONE, &options->self,
      N_("Also show the metrics of the process that runs the monitor (this command, or "
         "with --bus the one that exports it): its memory, threads, open files, main-loop "
         "latency and cost"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* What can be checked before sampling, so that a mistyped path fails at
 * once with exit status 2 rather than as an unknown disk. The path
 * becomes absolute: it is shown beside disk-usage, where a relative
 * one would say little. */
gboolean
health_cli_check_monitor_options (const char              *command,
                                  HealthCliMonitorOptions *options,
                                  int                     *exit_status)
{
  struct statvfs st;
  char *absolute;

  if (options->disk_path == NULL)
    return TRUE;

  if (statvfs (options->disk_path, &st) != 0)
    {
      int saved_errno = errno;

      *exit_status = health_cli_usage_error (command, _("Cannot watch the disk of “%s”: %s"),
                                             options->disk_path, g_strerror (saved_errno));
      return FALSE;
    }

  absolute = g_canonicalize_filename (options->disk_path, NULL);
  g_free (options->disk_path);
  options->disk_path = absolute;

  return TRUE;
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
  HealthMonitor *monitor;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "builtin", options->self ? HEALTH_BUILTIN_ALL : HEALTH_BUILTIN_SYSTEM,
                          NULL);
  if (options->disk_path != NULL)
    health_monitor_set_disk_path (monitor, options->disk_path);

  return monitor;
}

static void
health_cli_row_free (HealthCliRow *row)
{
  g_object_unref (row->metric);
  g_free (row->label);
  g_free (row->value);
  g_free (row);
}

/* Every metric of `monitor` that `options` show (all, for NULL), with its
 * label (and detail) and current value, formatted by the library with its
 * unit, safe to print and measurable. */
GPtrArray *
health_cli_dup_rows (HealthMonitor                 *monitor,
                     const HealthCliMonitorOptions *options)
{
  GListModel *metrics = health_monitor_get_metrics (monitor);
  guint n_metrics = g_list_model_get_n_items (metrics);
  GPtrArray *rows = g_ptr_array_new_full (n_metrics, (GDestroyNotify) health_cli_row_free);

  for (guint i = 0; i < n_metrics; i++)
    {
      g_autoptr (HealthMetric) metric = g_list_model_get_item (metrics, i);
      g_autofree char *value = NULL;
      HealthCliRow *row;

      if (options != NULL && !health_cli_metric_is_shown (metric, options))
        continue;

      row = g_new0 (HealthCliRow, 1);
      row->metric = g_steal_pointer (&metric);
      value = health_metric_format_value (row->metric, health_metric_get_value (row->metric));
      row->label = health_cli_dup_metric_label (row->metric);
      row->value = health_cli_dup_safe (value);
      g_ptr_array_add (rows, row);
    }

  return rows;
}
