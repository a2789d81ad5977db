/* test-monitor-judge.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Alerts, recoveries and the overall status.
 */

#include <math.h>
#include <string.h>

#include "health.h"
#include "test-util.h"

/* Alerts */

static void
test_alert_cooldown (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) other_alerts = g_ptr_array_new_with_free_func (g_object_unref);
  double value = 95, other = 10;
  HealthAlert *alert;

  test_add_sampled (monitor, "hot", 75, 90, &value);
  test_add_sampled (monitor, "cold", 75, 90, &other);
  health_monitor_set_alert_cooldown (monitor, 300);
  g_signal_connect (monitor, "alert::hot", G_CALLBACK (test_collect), alerts);
  g_signal_connect (monitor, "alert::cold", G_CALLBACK (test_collect), other_alerts);

  test_sample_sync (monitor);
  g_assert_cmpuint (alerts->len, ==, 1);
  alert = g_ptr_array_index (alerts, 0);
  g_assert_cmpint (health_alert_get_status (alert), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpfloat (health_alert_get_value (alert), ==, 95);
  g_assert_cmpfloat (health_alert_get_threshold (alert), ==, 90);
  g_assert_cmpstr (health_metric_get_id (health_alert_get_metric (alert)), ==, "hot");

  /* Within the cooldown: silent, however often sampled. */
  for (guint i = 0; i < 5; i++)
    {
      test_clock_advance (59);
      test_sample_sync (monitor);
    }
  g_assert_cmpuint (alerts->len, ==, 1);

  /* Past it, still critical: reminded once. */
  test_clock_advance (10);
  test_sample_sync (monitor);
  g_assert_cmpuint (alerts->len, ==, 2);

  /* Flapping does not flood: recover and return within the cooldown. */
  value = 10;
  test_sample_sync (monitor);
  value = 95;
  test_clock_advance (1);
  test_sample_sync (monitor);
  g_assert_cmpuint (alerts->len, ==, 2);

  g_assert_cmpuint (other_alerts->len, ==, 0);
}

static void
test_alert_per_status (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  double value = 80;

  test_add_sampled (monitor, "m", 75, 90, &value);
  g_signal_connect (monitor, "alert", G_CALLBACK (test_collect), alerts);

  test_sample_sync (monitor);
  value = 95;
  test_clock_advance (1);
  test_sample_sync (monitor);

  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpint (health_alert_get_status (g_ptr_array_index (alerts, 0)), ==, HEALTH_STATUS_WARNING);
  g_assert_cmpint (health_alert_get_status (g_ptr_array_index (alerts, 1)), ==, HEALTH_STATUS_CRITICAL);
}

static void
test_alert_recovered (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_object_unref);
  double value = 10;
  HealthMetric *metric = test_add_sampled (monitor, "m", 75, 90, &value);

  g_signal_connect (monitor, "recovered::m", G_CALLBACK (test_collect), recovered);

  /* Good from the start: nothing to recover from. */
  test_sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 0);

  value = 95;
  test_sample_sync (monitor);
  value = 80;
  test_sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 0);
  value = 10;
  test_sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 1);
  g_assert_true (g_ptr_array_index (recovered, 0) == metric);
  test_sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 1);
}

static void
test_alert_app_update (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = health_metric_new ("queue", "Queue", "jobs", HEALTH_DIRECTION_ABOVE, 10, 20);
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_true (health_monitor_add_metric (monitor, metric));
  g_signal_connect (monitor, "alert::queue", G_CALLBACK (test_collect), alerts);

  /* The app's own updates are judged at once, without a sample. */
  health_metric_update (metric, 5);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);
  health_metric_update (metric, 25);
  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpstr (health_alert_get_message (g_ptr_array_index (alerts, 0)), ==,
                   "Queue = 25 jobs (threshold 20 jobs, no trend yet)");
}

/* Overall status */

typedef struct
{
  HealthStatus old_status;
  HealthStatus new_status;
  guint        count;
} StatusChange;

static void
on_status_changed (HealthMonitor *monitor,
                   HealthStatus   old_status,
                   HealthStatus   new_status,
                   StatusChange  *change)
{
  g_assert_cmpint (old_status, !=, new_status);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, new_status);
  change->old_status = old_status;
  change->new_status = new_status;
  change->count++;
}

static void
test_status_excellent_and_good (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  StatusChange change = { 0 };
  double value = 10;

  test_add_sampled (monitor, "m", 75, 90, &value);
  g_signal_connect (monitor, "status-changed", G_CALLBACK (on_status_changed), &change);

  test_sample_sync (monitor);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpint (change.old_status, ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (change.new_status, ==, HEALTH_STATUS_EXCELLENT);

  /* Still good, but climbing toward the warning threshold. */
  for (guint i = 0; i < 5; i++)
    {
      value += 10;
      test_clock_advance (30);
      test_sample_sync (monitor);
    }
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_GOOD);

  value = 80;
  test_clock_advance (30);
  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_WARNING);
  g_assert_cmpint (change.new_status, ==, HEALTH_STATUS_WARNING);
}

static void
test_status_emergency_after (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double value = 95;

  test_add_sampled (monitor, "m", 75, 90, &value);
  health_monitor_set_emergency_after (monitor, 60);

  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  test_clock_advance (59);
  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  test_clock_advance (1);
  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EMERGENCY);

  value = 10;
  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), !=, HEALTH_STATUS_EMERGENCY);
}

/* The first critical sample of a rising metric is critical: an
 * emergency takes time at critical, or a trend that will hit the wall. */
static void
test_status_emergency_not_first_critical (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double value = 75;
  HealthMetric *metric = test_add_sampled (monitor, "m", 75, 90, &value);

  health_metric_set_bound (metric, 100);
  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_WARNING);

  value = 95;
  test_clock_advance (1);
  test_sample_sync (monitor);
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);
}

/* Critical and heading for its bound (100 %) within emergency-after:
 * an emergency before the time is up. */
static void
test_status_emergency_bound (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double value = 91;
  HealthMetric *metric = test_add_sampled (monitor, "m", 75, 90, &value);

  health_metric_set_bound (metric, 100);
  health_monitor_set_emergency_after (monitor, 60);

  /* +0.6 %/10 s: at 94.0 % after 50 s, 100 % in about 100 s more. */
  for (guint i = 0; i < 6; i++)
    {
      test_sample_sync (monitor);
      g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);
      value += 0.6;
      test_clock_advance (10);
    }

  /* Now +2 %/10 s: 100 % within the minute. */
  for (guint i = 0; i < 3; i++)
    {
      value += 2;
      test_clock_advance (1);
      test_sample_sync (monitor);
    }
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EMERGENCY);
}

/* A metric without a bound (load, an app's queue) has only the
 * duration rule, however fast it rises. */
static void
test_status_emergency_no_bound (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double value = 91;
  HealthMetric *metric = test_add_sampled (monitor, "m", 75, 90, &value);

  health_monitor_set_emergency_after (monitor, 600);
  g_assert_true (isnan (health_metric_get_bound (metric)));

  for (guint i = 0; i < 10; i++)
    {
      value += 20;
      test_clock_advance (10);
      test_sample_sync (monitor);
    }
  g_assert_cmpint (health_metric_get_trend (metric, 300), ==, HEALTH_TREND_INCREASING);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  test_clock_advance (600);
  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EMERGENCY);
}

/* An app-only monitor is judged on what it has. */
static void
test_status_app_only_known (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double value = 10;

  test_add_sampled (monitor, "m", 75, 90, &value);
  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);
  g_assert_null (health_monitor_dup_unknown_reason (monitor));
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);

  g_test_add_func ("/monitor/alert/cooldown", test_alert_cooldown);
  g_test_add_func ("/monitor/alert/per-status", test_alert_per_status);
  g_test_add_func ("/monitor/alert/recovered", test_alert_recovered);
  g_test_add_func ("/monitor/alert/app-update", test_alert_app_update);
  g_test_add_func ("/monitor/status/excellent-and-good", test_status_excellent_and_good);
  g_test_add_func ("/monitor/status/emergency-after", test_status_emergency_after);
  g_test_add_func ("/monitor/status/emergency/not-first-critical", test_status_emergency_not_first_critical);
  g_test_add_func ("/monitor/status/emergency/bound", test_status_emergency_bound);
  g_test_add_func ("/monitor/status/emergency/no-bound", test_status_emergency_no_bound);
  g_test_add_func ("/monitor/status/app-only-known", test_status_app_only_known);

  return g_test_run ();
}
