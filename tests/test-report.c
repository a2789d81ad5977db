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
  g_autoptr(HealthMonitor) odd = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) quoted = health_metric_new ("quoted", "A \"b\" \\ c\nd", "jobs", HEALTH_DIRECTION_BELOW, 10, 5);
  g_autoptr(HealthMetric) latency = health_metric_new ("reply-time", "Reply Time", "ms", HEALTH_DIRECTION_ABOVE, 250, 1000);
  g_autoptr(HealthMetric) status = health_metric_new ("status", "Taken", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMetric) count = health_metric_new ("job-count", "Jobs", "jobs", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMetric) total = health_metric_new ("error-total", "Errors", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMetric) bytes = health_metric_new ("upload-bytes", "Upload", "bytes", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(GString) host = g_string_new (NULL);
  g_autoptr(GString) expected_openmetrics = NULL;
  g_autoptr(GString) expected_prometheus = NULL;
  g_autofree char *openmetrics = health_monitor_to_openmetrics (monitor);
  g_autofree char *prometheus = health_monitor_to_prometheus_text (monitor);
  g_autofree char *odd_openmetrics = NULL;
  g_autofree char *odd_prometheus = NULL;

  /* Every sample is labelled with the host, escaped as any label value. */
  for (const char *p = g_get_host_name (); *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (host, '\\');
      if (*p == '\n')
        g_string_append (host, "\\n");
      else
        g_string_append_c (host, *p);
    }

  /* Base units: 93.1 % is the ratio 0.931 (as a double, printed exactly
   * and no longer than needed); unknown is NaN. */
  expected_openmetrics = g_string_new (
    "# HELP health_memory_usage_ratio Memory Usage (ratio)\n"
    "# TYPE health_memory_usage_ratio gauge\n"
    "# UNIT health_memory_usage_ratio ratio\n"
    "health_memory_usage_ratio{host=\"@HOST@\"} 0.9309999999999999\n"
    "# HELP health_queue_length Queue \\\"Length\\\" (jobs)\n"
    "# TYPE health_queue_length gauge\n"
    "health_queue_length{host=\"@HOST@\"} 12\n"
    "# HELP health_gc_rate GC Rate\n"
    "# TYPE health_gc_rate gauge\n"
    "health_gc_rate{host=\"@HOST@\"} NaN\n"
    "# HELP health_metric_status Status of each metric: 0 unknown, 2 good, 3 warning, 4 critical\n"
    "# TYPE health_metric_status gauge\n"
    "health_metric_status{host=\"@HOST@\",metric=\"memory-usage\"} 4\n"
    "health_metric_status{host=\"@HOST@\",metric=\"queue-length\"} 3\n"
    "health_metric_status{host=\"@HOST@\",metric=\"gc-rate\"} 0\n"
    "# HELP health_metric_threshold Warning and critical thresholds of each metric, in the unit of its gauge\n"
    "# TYPE health_metric_threshold gauge\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"memory-usage\",level=\"warning\"} 0.75\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"memory-usage\",level=\"critical\"} 0.9\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"queue-length\",level=\"warning\"} 10\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"queue-length\",level=\"critical\"} 20\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"gc-rate\",level=\"warning\"} 100\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"gc-rate\",level=\"critical\"} 300\n"
    "# HELP health_metric Label, unit and direction of each metric\n"
    "# TYPE health_metric info\n"
    "health_metric_info{host=\"@HOST@\",metric=\"memory-usage\",label=\"Memory Usage\",unit=\"%\",direction=\"above\"} 1\n"
    "health_metric_info{host=\"@HOST@\",metric=\"queue-length\",label=\"Queue \\\"Length\\\"\",unit=\"jobs\",direction=\"above\"} 1\n"
    "health_metric_info{host=\"@HOST@\",metric=\"gc-rate\",label=\"GC Rate\",unit=\"\",direction=\"above\"} 1\n"
    "# HELP health_status Overall status: 0 unknown, 1 excellent, 2 good, 3 warning, 4 critical, 5 emergency\n"
    "# TYPE health_status gauge\n"
    "health_status{host=\"@HOST@\"} 4\n"
    "# EOF\n");
  g_string_replace (expected_openmetrics, "@HOST@", host->str, 0);
  g_assert_cmpstr (openmetrics, ==, expected_openmetrics->str);

  /* The classic format: the same samples; no UNIT, no EOF, the info as
   * a gauge, and quotes left alone in HELP (only \\ and \n escaped). */
  expected_prometheus = g_string_new (
    "# HELP health_memory_usage_ratio Memory Usage (ratio)\n"
    "# TYPE health_memory_usage_ratio gauge\n"
    "health_memory_usage_ratio{host=\"@HOST@\"} 0.9309999999999999\n"
    "# HELP health_queue_length Queue \"Length\" (jobs)\n"
    "# TYPE health_queue_length gauge\n"
    "health_queue_length{host=\"@HOST@\"} 12\n"
    "# HELP health_gc_rate GC Rate\n"
    "# TYPE health_gc_rate gauge\n"
    "health_gc_rate{host=\"@HOST@\"} NaN\n"
    "# HELP health_metric_status Status of each metric: 0 unknown, 2 good, 3 warning, 4 critical\n"
    "# TYPE health_metric_status gauge\n"
    "health_metric_status{host=\"@HOST@\",metric=\"memory-usage\"} 4\n"
    "health_metric_status{host=\"@HOST@\",metric=\"queue-length\"} 3\n"
    "health_metric_status{host=\"@HOST@\",metric=\"gc-rate\"} 0\n"
    "# HELP health_metric_threshold Warning and critical thresholds of each metric, in the unit of its gauge\n"
    "# TYPE health_metric_threshold gauge\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"memory-usage\",level=\"warning\"} 0.75\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"memory-usage\",level=\"critical\"} 0.9\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"queue-length\",level=\"warning\"} 10\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"queue-length\",level=\"critical\"} 20\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"gc-rate\",level=\"warning\"} 100\n"
    "health_metric_threshold{host=\"@HOST@\",metric=\"gc-rate\",level=\"critical\"} 300\n"
    "# HELP health_metric_info Label, unit and direction of each metric\n"
    "# TYPE health_metric_info gauge\n"
    "health_metric_info{host=\"@HOST@\",metric=\"memory-usage\",label=\"Memory Usage\",unit=\"%\",direction=\"above\"} 1\n"
    "health_metric_info{host=\"@HOST@\",metric=\"queue-length\",label=\"Queue \\\"Length\\\"\",unit=\"jobs\",direction=\"above\"} 1\n"
    "health_metric_info{host=\"@HOST@\",metric=\"gc-rate\",label=\"GC Rate\",unit=\"\",direction=\"above\"} 1\n"
    "# HELP health_status Overall status: 0 unknown, 1 excellent, 2 good, 3 warning, 4 critical, 5 emergency\n"
    "# TYPE health_status gauge\n"
    "health_status{host=\"@HOST@\"} 4\n");
  g_string_replace (expected_prometheus, "@HOST@", host->str, 0);
  g_assert_cmpstr (prometheus, ==, expected_prometheus->str);

  /* App-supplied text with quotes, a backslash and a newline; units
   * converted with their thresholds; names that would collide with the
   * fixed families or read as another type's samples. */
  health_monitor_add_metric (odd, quoted);
  health_monitor_add_metric (odd, latency);
  health_monitor_add_metric (odd, status);
  health_monitor_add_metric (odd, count);
  health_monitor_add_metric (odd, total);
  health_monitor_add_metric (odd, bytes);
  health_metric_update (latency, 120);
  odd_openmetrics = health_monitor_to_openmetrics (odd);
  odd_prometheus = health_monitor_to_prometheus_text (odd);

  g_assert_nonnull (strstr (odd_openmetrics, "# HELP health_quoted A \\\"b\\\" \\\\ c\\nd (jobs)\n"));
  g_assert_nonnull (strstr (odd_prometheus, "# HELP health_quoted A \"b\" \\\\ c\\nd (jobs)\n"));
  g_assert_nonnull (strstr (odd_openmetrics, ",label=\"A \\\"b\\\" \\\\ c\\nd\",unit=\"jobs\",direction=\"below\"} 1\n"));
  g_assert_nonnull (strstr (odd_prometheus, ",label=\"A \\\"b\\\" \\\\ c\\nd\",unit=\"jobs\",direction=\"below\"} 1\n"));

  g_assert_nonnull (strstr (odd_openmetrics, "# UNIT health_reply_time_seconds seconds\n"
                                             "health_reply_time_seconds{host=\""));
  g_assert_nonnull (strstr (odd_openmetrics, "\"} 0.12\n"));
  g_assert_nonnull (strstr (odd_openmetrics, ",metric=\"reply-time\",level=\"warning\"} 0.25\n"));

  /* `status` would be the overall gauge: only its status and thresholds. */
  g_assert_null (strstr (odd_openmetrics, "# HELP health_status Taken"));
  g_assert_nonnull (strstr (odd_openmetrics, "health_metric_status{host=\""));
  g_assert_nonnull (strstr (odd_openmetrics, ",metric=\"status\"} 0\n"));
  {
    g_auto(GStrv) parts = g_strsplit (odd_openmetrics, "# TYPE health_status gauge", -1);

    g_assert_cmpuint (g_strv_length (parts), ==, 2);
  }

  g_assert_nonnull (strstr (odd_prometheus, "# TYPE health_job_count_jobs gauge\n"));
  g_assert_nonnull (strstr (odd_prometheus, "# TYPE health_error_total_value gauge\n"));
  g_assert_nonnull (strstr (odd_prometheus, "# TYPE health_upload_bytes gauge\n"));
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
