/* test-report.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Summary, JSON, OpenMetrics and recommendations.
 */

#include <math.h>
#include <json-glib/json-glib.h>

#include "health.h"
#include "test-util.h"

static HealthMonitor *
report_monitor_new (void)
{
  HealthMonitor *monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) memory = health_metric_new ("memory-usage", "Memory Usage", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthMetric) queue = health_metric_new ("queue-length", "Queue \"Length\"", "jobs", HEALTH_DIRECTION_ABOVE, 10, 20);
  g_autoptr(HealthMetric) unknown = health_metric_new ("gc-rate", "GC Rate", "", HEALTH_DIRECTION_ABOVE, 100, 300);

  health_metric_set_recommendation (memory, "Close unused data files");
  health_metric_set_recommendation (queue, "Pause the importer");
  health_metric_set_recommendation (unknown, "Never shown while unknown");
  health_monitor_add_metric (monitor, memory);
  health_monitor_add_metric (monitor, queue);
  health_monitor_add_metric (monitor, unknown);

  health_metric_update (memory, 93.1);
  health_metric_update (queue, 12);

  return monitor;
}

static void
test_summary_keys (void)
{
  g_autoptr(HealthMonitor) monitor = report_monitor_new ();
  g_autoptr(GVariant) summary = health_monitor_get_summary (monitor);
  g_autoptr(GVariant) metrics = NULL;
  g_autoptr(GVariant) memory = NULL;
  g_autoptr(GVariant) alerts = NULL;
  g_autoptr(GVariant) first = NULL;
  g_autofree const char **recommendations = NULL;
  const char *text;
  double value;
  gboolean active;

  g_assert_true (g_variant_is_of_type (summary, G_VARIANT_TYPE_VARDICT));
  g_assert_false (g_variant_is_floating (summary));

  g_assert_true (g_variant_lookup (summary, "overall_status", "&s", &text));
  g_assert_cmpstr (text, ==, "critical");
  g_assert_true (g_variant_lookup (summary, "monitoring_active", "b", &active));
  g_assert_false (active);

  metrics = g_variant_lookup_value (summary, "metrics", G_VARIANT_TYPE_VARDICT);
  g_assert_cmpuint (g_variant_n_children (metrics), ==, 3);
  memory = g_variant_lookup_value (metrics, "memory-usage", G_VARIANT_TYPE_VARDICT);
  g_assert_true (g_variant_lookup (memory, "value", "d", &value));
  g_assert_cmpfloat (value, ==, 93.1);
  g_assert_true (g_variant_lookup (memory, "unit", "&s", &text));
  g_assert_cmpstr (text, ==, "%");
  g_assert_true (g_variant_lookup (memory, "status", "&s", &text));
  g_assert_cmpstr (text, ==, "critical");
  g_assert_true (g_variant_lookup (memory, "trend", "&s", &text));
  g_assert_cmpstr (text, ==, "insufficient_data");
  g_assert_true (g_variant_lookup (memory, "threshold_warning", "d", &value));
  g_assert_cmpfloat (value, ==, 75);
  g_assert_true (g_variant_lookup (memory, "threshold_critical", "d", &value));
  g_assert_cmpfloat (value, ==, 90);

  /* Worst first. */
  alerts = g_variant_lookup_value (summary, "alerts", G_VARIANT_TYPE ("aa{sv}"));
  g_assert_cmpuint (g_variant_n_children (alerts), ==, 2);
  first = g_variant_get_child_value (alerts, 0);
  g_assert_true (g_variant_lookup (first, "metric", "&s", &text));
  g_assert_cmpstr (text, ==, "memory-usage");
  g_assert_true (g_variant_lookup (first, "message", "&s", &text));
  g_assert_cmpstr (text, ==, "Memory Usage is critical: 93.1 %");

  g_assert_true (g_variant_lookup (summary, "recommendations", "^a&s", &recommendations));
  g_assert_cmpuint (g_strv_length ((char **) recommendations), ==, 2);
  g_assert_cmpstr (recommendations[0], ==, "Close unused data files");
  g_assert_cmpstr (recommendations[1], ==, "Pause the importer");
}

static void
test_json (void)
{
  g_autoptr(HealthMonitor) monitor = report_monitor_new ();
  g_autofree char *json = health_monitor_to_json (monitor);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *root, *metrics, *gc;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);

  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (root, "overall_status"), ==, "critical");
  g_assert_false (json_object_get_boolean_member (root, "monitoring_active"));
  metrics = json_object_get_object_member (root, "metrics");
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (metrics, "memory-usage"), "value"), ==, 93.1);

  /* NaN is no JSON: unknown values are null. */
  gc = json_object_get_object_member (metrics, "gc-rate");
  g_assert_true (json_object_get_null_member (gc, "value"));
  g_assert_cmpstr (json_object_get_string_member (gc, "status"), ==, "unknown");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "alerts")), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "recommendations")), ==, 2);
}

static void
test_openmetrics (void)
{
  g_autoptr(HealthMonitor) monitor = report_monitor_new ();
  g_autofree char *text = health_monitor_to_openmetrics (monitor);

  g_assert_cmpstr (text, ==,
                   "# HELP health_memory_usage Memory Usage (%)\n"
                   "# TYPE health_memory_usage gauge\n"
                   "health_memory_usage 93.099999999999994\n"
                   "# HELP health_queue_length Queue \"Length\" (jobs)\n"
                   "# TYPE health_queue_length gauge\n"
                   "health_queue_length 12\n"
                   "# HELP health_gc_rate GC Rate\n"
                   "# TYPE health_gc_rate gauge\n"
                   "health_gc_rate NaN\n"
                   "# HELP health_metric_status Status of each metric: 0 unknown, 2 good, 3 warning, 4 critical\n"
                   "# TYPE health_metric_status gauge\n"
                   "health_metric_status{metric=\"memory-usage\"} 4\n"
                   "health_metric_status{metric=\"queue-length\"} 3\n"
                   "health_metric_status{metric=\"gc-rate\"} 0\n"
                   "# HELP health_status Overall status: 0 unknown, 1 excellent, 2 good, 3 warning, 4 critical, 5 emergency\n"
                   "# TYPE health_status gauge\n"
                   "health_status 4\n"
                   "# EOF\n");
}

static void
test_recommendations_only_when_not_good (void)
{
  g_autoptr(HealthMonitor) monitor = report_monitor_new ();
  g_auto(GStrv) recommendations = NULL;
  HealthMetric *memory = health_monitor_get_metric (monitor, "memory-usage");
  HealthMetric *queue = health_monitor_get_metric (monitor, "queue-length");

  health_metric_update (memory, 10);
  health_metric_update (queue, 1);
  recommendations = health_monitor_get_recommendations (monitor);
  g_assert_cmpuint (g_strv_length (recommendations), ==, 0);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);
}

static void
test_status_strings (void)
{
  g_assert_cmpstr (health_status_to_string (HEALTH_STATUS_EXCELLENT), ==, "excellent");
  g_assert_cmpstr (health_status_to_string (HEALTH_STATUS_EMERGENCY), ==, "emergency");
  g_assert_cmpstr (health_status_get_icon_name (HEALTH_STATUS_CRITICAL), ==, "health-critical-symbolic");
  g_assert_cmpstr (health_trend_to_string (HEALTH_TREND_INSUFFICIENT_DATA), ==, "insufficient_data");
  g_assert_cmpint (HEALTH_STATUS_UNKNOWN, <, HEALTH_STATUS_EXCELLENT);
  g_assert_cmpint (HEALTH_STATUS_CRITICAL, <, HEALTH_STATUS_EMERGENCY);
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);

  g_test_add_func ("/report/summary/keys", test_summary_keys);
  g_test_add_func ("/report/json", test_json);
  g_test_add_func ("/report/openmetrics", test_openmetrics);
  g_test_add_func ("/report/recommendations/only-when-not-good", test_recommendations_only_when_not_good);
  g_test_add_func ("/report/status-strings", test_status_strings);

  return g_test_run ();
}
