/* test-operation.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "health.h"
#include "test-util.h"

static HealthMonitor *
monitor_with_metrics (HealthMetric **a,
                      HealthMetric **b,
                      HealthMetric **small)
{
  HealthMonitor *monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);

  *a = health_metric_new ("memory-usage", "Memory Usage", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  *b = health_metric_new ("thread-count", "Threads", "threads", HEALTH_DIRECTION_ABOVE, 100, 200);
  *small = health_metric_new ("load", "Load", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  health_monitor_add_metric (monitor, *a);
  health_monitor_add_metric (monitor, *b);
  health_monitor_add_metric (monitor, *small);
  g_object_unref (*a);
  g_object_unref (*b);
  g_object_unref (*small);

  return monitor;
}

static void
test_operation_significant_changes (void)
{
  HealthMetric *a, *b, *small;
  g_autoptr(HealthMonitor) monitor = monitor_with_metrics (&a, &b, &small);
  g_autoptr(HealthOperation) operation = NULL;
  g_auto(GStrv) changes = NULL;
  g_auto(GStrv) again = NULL;

  health_metric_update (a, 50);
  health_metric_update (b, 20);
  health_metric_update (small, 0.1);

  operation = health_monitor_begin_operation (monitor, "load file");
  g_assert_cmpstr (health_operation_get_name (operation), ==, "load file");
  g_assert_false (health_operation_is_ended (operation));

  health_metric_update (a, 61.2);   /* +22 %: significant */
  health_metric_update (b, 21);     /* +5 %: not */
  health_metric_update (small, 0.15); /* +0.05 against a floor of 1: not */

  changes = health_operation_end (operation);
  g_assert_true (health_operation_is_ended (operation));
  g_assert_cmpuint (g_strv_length (changes), ==, 1);
  g_assert_cmpstr (changes[0], ==, "memory-usage: 50.0 % -> 61.2 %");

  again = health_operation_end (operation);
  g_assert_cmpuint (g_strv_length (again), ==, 0);
}

/* A change that happens between two samples is still the operation's:
 * begin and end measure afresh. */
static void
test_operation_fresh_sampled (void)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) queue = health_metric_new ("queue", "Queue", "jobs", HEALTH_DIRECTION_ABOVE, 100, 200);
  g_autoptr(HealthOperation) operation = NULL;
  g_auto(GStrv) changes = NULL;
  double value = 10;

  health_monitor_add_sampled_metric (monitor, queue, (HealthSampleFunc) test_read_double, &value, NULL);

  operation = health_monitor_begin_operation (monitor, "enqueue");
  value = 150;
  changes = health_operation_end (operation);

  g_assert_cmpuint (g_strv_length (changes), ==, 1);
  g_assert_cmpstr (changes[0], ==, "queue: 10 jobs -> 150 jobs");
  /* Measuring is not sampling: the metric itself saw nothing. */
  g_assert_cmpuint (health_metric_get_n_samples (queue), ==, 0);
}

#define MEMINFO(available) \
  "MemTotal:       16777216 kB\n" \
  "MemFree:         1000000 kB\n" \
  "MemAvailable:    " available " kB\n" \
  "SwapTotal:             0 kB\n" \
  "SwapFree:              0 kB\n"

/* A 4 GiB allocation with no sample in between. */
static void
test_operation_fresh_builtin (void)
{
  g_autofree char *root = test_make_proc_root (MEMINFO ("12582912"));
  g_autofree char *meminfo = g_build_filename (root, "meminfo", NULL);
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(HealthOperation) operation = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) changes = NULL;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "proc-root", root,
                          "builtin", HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_MEMORY_AVAILABLE,
                          NULL);

  operation = health_monitor_begin_operation (monitor, "load 4 GiB");
  g_file_set_contents (meminfo, MEMINFO ("8388608"), -1, &error);
  g_assert_no_error (error);
  changes = health_operation_end (operation);

  g_assert_cmpuint (g_strv_length (changes), ==, 2);
  g_assert_cmpstr (changes[0], ==, "memory-usage: 25.0 % -> 50.0 %");
  g_assert_cmpstr (changes[1], ==, "memory-available: 12.0\u00a0GiB -> 8.0\u00a0GiB");

  test_remove_tree (root);
}

/* Pressure going from 1.0 % to 0.4 % is 60 % of itself, and nothing
 * against thresholds of 10 and 40. */
static void
test_operation_judged_by_thresholds (void)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) pressure = health_metric_new ("pressure", "Pressure", "%", HEALTH_DIRECTION_ABOVE, 10, 40);
  g_autoptr(HealthOperation) calm = NULL;
  g_autoptr(HealthOperation) busy = NULL;
  g_auto(GStrv) calm_changes = NULL;
  g_auto(GStrv) busy_changes = NULL;

  health_monitor_add_metric (monitor, pressure);
  health_metric_update (pressure, 1.0);

  calm = health_monitor_begin_operation (monitor, "calm");
  health_metric_update (pressure, 0.4);
  calm_changes = health_operation_end (calm);
  g_assert_cmpuint (g_strv_length (calm_changes), ==, 0);

  busy = health_monitor_begin_operation (monitor, "busy");
  health_metric_update (pressure, 8.0);
  busy_changes = health_operation_end (busy);
  g_assert_cmpuint (g_strv_length (busy_changes), ==, 1);
}

static void
test_operation_autoptr_ends (void)
{
  HealthMetric *a, *b, *small;
  g_autoptr(HealthMonitor) monitor = monitor_with_metrics (&a, &b, &small);

  health_metric_update (a, 10);
  health_metric_update (b, 10);

  g_test_expect_message ("Health", G_LOG_LEVEL_DEBUG,
                         "Operation 'scope' caused significant resource changes: thread-count: 10 threads -> 50 threads");
  {
    g_autoptr(HealthOperation) operation = health_monitor_begin_operation (monitor, "scope");

    health_metric_update (b, 50);
    g_assert_false (health_operation_is_ended (operation));
  }
  g_test_assert_expected_messages ();
}

/* The name is the app's and units may be another process's: the debug
 * line is safe to show. */
static void
test_operation_log_is_clean (void)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) queue = health_metric_new ("queue", "Queue", "jobs\033[2J",
                                                     HEALTH_DIRECTION_ABOVE, 100, 200);
  g_autoptr(HealthOperation) operation = NULL;
  g_auto(GStrv) changes = NULL;

  health_monitor_add_metric (monitor, queue);
  health_metric_update (queue, 10);
  operation = health_monitor_begin_operation (monitor, "\033]0;pwned\a\xe2\x80\xae");
  health_metric_update (queue, 50);

  g_test_expect_message ("Health", G_LOG_LEVEL_DEBUG,
                         "Operation '\xef\xbf\xbd]0;pwned\xef\xbf\xbd' caused significant resource "
                         "changes: queue: 10 jobs\xef\xbf\xbd[2J -> 50 jobs\xef\xbf\xbd[2J");
  changes = health_operation_end (operation);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_strv_length (changes), ==, 1);
}

static void
test_operation_unknown_skipped (void)
{
  HealthMetric *a, *b, *small;
  g_autoptr(HealthMonitor) monitor = monitor_with_metrics (&a, &b, &small);
  g_autoptr(HealthOperation) operation = NULL;
  g_auto(GStrv) changes = NULL;

  /* Unknown at the start: nothing to compare. */
  operation = health_monitor_begin_operation (monitor, "x");
  health_metric_update (a, 99);
  changes = health_operation_end (operation);
  g_assert_cmpuint (g_strv_length (changes), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);

  g_test_add_func ("/operation/significant-changes", test_operation_significant_changes);
  g_test_add_func ("/operation/log-is-clean", test_operation_log_is_clean);
  g_test_add_func ("/operation/autoptr-ends", test_operation_autoptr_ends);
  g_test_add_func ("/operation/fresh/sampled", test_operation_fresh_sampled);
  g_test_add_func ("/operation/fresh/builtin", test_operation_fresh_builtin);
  g_test_add_func ("/operation/judged-by-thresholds", test_operation_judged_by_thresholds);
  g_test_add_func ("/operation/unknown-skipped", test_operation_unknown_skipped);

  return g_test_run ();
}
