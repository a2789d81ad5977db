/* health-cli-status.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `health-monitor status [--json]`: sample once, print, exit 1 when the
 * overall status is critical or worse, 3 when it is unknown.
 */

#include "config.h"

#include <string.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "health-cli-private.h"
#include "health-text-private.h"

#define COLUMN_GAP "  "

static void
append_header_cell (GString    *out,
                    const char *text,
                    gsize       width,
                    gboolean    align_right,
                    gboolean    color)
{
  if (color)
    g_string_append (out, "\033[1m");
  health_cli_append_fitted (out, text, width, align_right);
  if (color)
    g_string_append (out, "\033[0m");
}

/* The metrics the table and the JSON show, in the monitor's order. */
static GPtrArray *
dup_shown_metrics (HealthMonitor                 *monitor,
                   const HealthCliMonitorOptions *options)
{
  GListModel *metrics = health_monitor_get_metrics (monitor);
  guint n_metrics = g_list_model_get_n_items (metrics);
  GPtrArray *shown = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n_metrics; i++)
    {
      HealthMetric *metric = g_list_model_get_item (metrics, i);

      if (health_cli_metric_is_shown (metric, options))
        g_ptr_array_add (shown, metric);
      else
        g_object_unref (metric);
    }

  return shown;
}

static char *
format_table (HealthMonitor                 *monitor,
              const HealthCliMonitorOptions *options,
              gboolean                       color)
{
  g_autoptr (GPtrArray) rows = health_cli_dup_rows (monitor, options);
  g_autoptr (GString) out = g_string_new (NULL);
  g_auto (GStrv) recommendations = NULL;
  HealthStatus overall;
  const char *metric_title = _("Metric");
  const char *value_title = _("Value");
  const char *status_title = _("Status");
  const char *trend_title = _("Trend");
  gsize label_width = health_cli_text_width (metric_title);
  gsize value_width = health_cli_text_width (value_title);
  gsize status_width = health_cli_text_width (status_title);

  /* Widths first: translated labels and formatted values vary. */
  for (guint i = 0; i < rows->len; i++)
    {
      HealthCliRow *row = g_ptr_array_index (rows, i);
      const char *status = health_status_to_label (health_metric_get_status (row->metric));

      label_width = MAX (label_width, health_cli_text_width (row->label));
      value_width = MAX (value_width, health_cli_text_width (row->value));
      status_width = MAX (status_width, health_cli_text_width (status));
    }

  append_header_cell (out, metric_title, label_width, FALSE, color);
  g_string_append (out, COLUMN_GAP);
  append_header_cell (out, value_title, value_width, TRUE, color);
  g_string_append (out, COLUMN_GAP);
  append_header_cell (out, status_title, status_width, FALSE, color);
  g_string_append (out, COLUMN_GAP);
  append_header_cell (out, trend_title, health_cli_text_width (trend_title), FALSE, color);
  g_string_append_c (out, '\n');

  for (guint i = 0; i < rows->len; i++)
    {
      HealthCliRow *row = g_ptr_array_index (rows, i);
      HealthStatus status = health_metric_get_status (row->metric);
      HealthTrend trend = health_metric_get_trend (row->metric, HEALTH_CLI_TREND_WINDOW_SECONDS);
      g_autofree char *trend_label = health_cli_dup_printable (health_trend_to_label (trend));

      health_cli_append_fitted (out, row->label, label_width, FALSE);
      g_string_append (out, COLUMN_GAP);
      health_cli_append_fitted (out, row->value, value_width, TRUE);
      g_string_append (out, COLUMN_GAP);
      health_cli_append_colored (out, health_status_to_label (status),
                                 health_cli_status_color (status), status_width, color);
      g_string_append (out, COLUMN_GAP);
      g_string_append (out, trend_label);
      g_string_append_c (out, '\n');
    }

  overall = health_monitor_get_status (monitor);
  g_string_append_c (out, '\n');
  /* TRANSLATORS: followed by a status such as "Good" */
  g_string_append (out, _("Overall status:"));
  g_string_append_c (out, ' ');
  health_cli_append_colored (out, health_status_to_label (overall),
                             health_cli_status_color (overall),
                             health_cli_text_width (health_status_to_label (overall)),
                             color);
  g_string_append_c (out, '\n');

  recommendations = health_cli_dup_recommendations (monitor, options);
  if (recommendations != NULL && recommendations[0] != NULL)
    {
      const char *bullet = health_cli_locale_is_utf8 () ? "•" : "*";

      g_string_append_c (out, '\n');
      g_string_append (out, _("Recommendations:"));
      g_string_append_c (out, '\n');

      /* An app's, or another process's. */
      for (guint i = 0; recommendations[i] != NULL; i++)
        {
          g_autofree char *recommendation = health_cli_dup_safe (recommendations[i]);

          g_string_append_printf (out, "  %s %s\n", bullet, recommendation);
        }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

static JsonArray *
json_array_new_strv (const char * const *strv)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);

  return array;
}

/* The library's JSON without the metrics that are not shown, nor their
 * alerts and recommendations. Only a remote monitor has such metrics:
 * a local one has none to begin with. */
static char *
dup_json (HealthMonitor                 *monitor,
          const HealthCliMonitorOptions *options)
{
  g_autofree char *json = health_monitor_to_json (monitor);
  g_autoptr (GPtrArray) shown = dup_shown_metrics (monitor, options);
  g_autoptr (GHashTable) shown_ids = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (JsonGenerator) generator = NULL;
  g_autoptr (GList) ids = NULL;
  g_auto (GStrv) recommendations = NULL;
  JsonObject *summary;
  JsonObject *metrics;
  JsonArray *alerts;
  JsonArray *shown_alerts;

  if (shown->len == g_list_model_get_n_items (health_monitor_get_metrics (monitor)))
    return g_steal_pointer (&json);

  for (guint i = 0; i < shown->len; i++)
    g_hash_table_add (shown_ids, (gpointer) health_metric_get_id (g_ptr_array_index (shown, i)));

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, json, -1, NULL))
    g_return_val_if_reached (g_steal_pointer (&json));
  summary = json_node_get_object (json_parser_get_root (parser));

  metrics = json_object_get_object_member (summary, "metrics");
  ids = json_object_get_members (metrics);
  for (GList *l = ids; l != NULL; l = l->next)
    if (!g_hash_table_contains (shown_ids, l->data))
      json_object_remove_member (metrics, l->data);

  alerts = json_object_get_array_member (summary, "alerts");
  shown_alerts = json_array_new ();
  for (guint i = 0; i < json_array_get_length (alerts); i++)
    {
      JsonObject *alert = json_array_get_object_element (alerts, i);
      const char *id = json_object_get_string_member_with_default (alert, "metric", "");

      if (g_hash_table_contains (shown_ids, id))
        json_array_add_object_element (shown_alerts, json_object_ref (alert));
    }
  json_object_set_array_member (summary, "alerts", shown_alerts);

  recommendations = health_cli_dup_recommendations (monitor, options);
  json_object_set_array_member (summary, "recommendations",
                                json_array_new_strv ((const char * const *) recommendations));

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, json_parser_get_root (parser));

  return json_generator_to_data (generator, NULL);
}

int
health_cli_status (int    argc,
                   char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *output = NULL;
  g_autoptr (HealthMonitor) owned = NULL;
  g_autofree char *bus_name = NULL;
  g_autofree char *object_path = NULL;
  gboolean json = FALSE;
  g_auto (HealthCliMonitorOptions) options = { 0 };
  HealthMonitor *monitor;
  int exit_status;
  const GOptionEntry entries[] = {
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json,
      N_("Print the summary as JSON"), NULL },
    { "bus", 'b', 0, G_OPTION_ARG_STRING, &bus_name,
      N_("Read the monitor that NAME exports on the session bus (such as the tray applet, io.github.healthmonitor.Applet) instead of sampling this machine"),
      N_("NAME") },
    { "object-path", 0, 0, G_OPTION_ARG_STRING, &object_path,
      N_("Where NAME exports its monitor (default: /io/github/healthmonitor/Monitor)"),
      N_("PATH") },
    G_OPTION_ENTRY_NULL
  };

  g_set_prgname ("health-monitor status");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  health_cli_add_monitor_options (context, &options);
  g_option_context_set_summary (context,
                                N_("Sample the system once and print its health: every "
                                   "metric with its value, status and trend, the overall "
                                   "status and what to do about it. A trend needs five "
                                   "samples over 30 seconds, so one status shows “no trend "
                                   "yet” and no forecast; watch shows trends."));
  g_option_context_set_description (context,
                                    N_("Exit status: 0 when healthy, 1 when the overall "
                                       "status is critical or worse, 2 on usage errors, 3 when "
                                       "it is unknown because nothing about the machine could "
                                       "be read (the reason goes to standard error)."));

  if (!health_cli_parse_options (context, "status", &argc, &argv, &exit_status))
    return exit_status;

  if (object_path != NULL && bus_name == NULL)
    {
      g_printerr (_("health-monitor status: --object-path needs --bus\n"));
      return HEALTH_CLI_EXIT_USAGE;
    }

  if (bus_name != NULL && options.disk_path != NULL)
    return health_cli_usage_error ("status", _("--disk-path is for this machine: the monitor "
                                               "read with --bus watches the disk its owner chose"));

  if (!health_cli_check_monitor_options ("status", &options, &exit_status))
    return exit_status;

  if (bus_name != NULL)
    {
      /* The remote samples by itself; its rates are already known. */
      owned = health_cli_connect_bus (bus_name,
                                      object_path ? object_path : "/io/github/healthmonitor/Monitor",
                                      &error);
      if (owned == NULL)
        {
          /* The peer chose the message, on as many lines as it liked. */
          g_autofree char *why = health_text_sanitize (error->message, -1);

          g_printerr (_("health-monitor status: Could not read the monitor of %s: %s\n"),
                      bus_name, why);
          return HEALTH_CLI_EXIT_UNHEALTHY;
        }
      monitor = owned;
    }
  else
    {
      monitor = owned = health_cli_monitor_new (&options);
      if (!health_cli_sample_with_rates (monitor, &error))
        {
          g_printerr (_("health-monitor status: Could not sample: %s\n"), error->message);
          return HEALTH_CLI_EXIT_UNHEALTHY;
        }
    }

  if (json)
    {
      g_autofree char *json_text = dup_json (monitor, &options);

      /* JSON is UTF-8 whatever the locale (RFC 8259). The remote's text
       * in it stays exact, with what a terminal would obey escaped. */
      output = health_text_escape_json (json_text, -1);
      if (!g_str_has_suffix (output, "\n"))
        {
          g_autofree char *line = g_steal_pointer (&output);

          output = g_strconcat (line, "\n", NULL);
        }
      if (!health_cli_write_stdout (output, strlen (output)))
        return HEALTH_CLI_EXIT_UNHEALTHY;
    }
  else
    {
      output = format_table (monitor, &options, health_cli_want_color (STDOUT_FILENO));
      if (!health_cli_print (output))
        return HEALTH_CLI_EXIT_UNHEALTHY;
    }

  health_cli_print_unknown_reason (monitor, "status");

  return health_cli_exit_for_status (health_monitor_get_status (monitor));
}
