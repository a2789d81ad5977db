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
  g_test_add_func ("/operation/unknown-skipped", test_operation_unknown_skipped);

  return g_test_run ();
}
