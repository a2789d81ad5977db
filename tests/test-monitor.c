/* test-monitor.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Sampling app metrics, the metrics of a monitor, tracked objects, threads and contexts.
 */

#include <math.h>
#include <string.h>

#include "health.h"
#include "test-util.h"

/* Sampling */

static GThread *main_thread;

static double
on_main_thread (HealthMetric *metric,
                gpointer      user_data)
{
  guint *calls = user_data;

  g_assert_true (g_thread_self () == main_thread);
  (*calls)++;

  return 42;
}

static void
test_sample_app_metric (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = health_metric_new ("answer", "Answer", "", HEALTH_DIRECTION_ABOVE, 50, 60);
  guint calls = 0, sampled = 0;

  main_thread = g_thread_self ();
  health_monitor_add_sampled_metric (monitor, metric, on_main_thread, &calls, NULL);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  test_sample_sync (monitor);
  test_sample_sync (monitor);

  g_assert_cmpuint (calls, ==, 2);
  g_assert_cmpuint (sampled, ==, 2);
  g_assert_cmpfloat (health_metric_get_value (metric), ==, 42);
  g_assert_cmpuint (health_metric_get_n_samples (metric), ==, 2);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);
  /* Sampling does not start the monitor. */
  g_assert_false (health_monitor_get_active (monitor));
}

static double
returns_42_5 (HealthMetric *metric,
              gpointer      user_data)
{
  return 42.5;
}

static void
test_sample_closure (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = health_metric_new ("answer", "Answer", "", HEALTH_DIRECTION_ABOVE, 50, 60);
  g_autoptr(HealthMetric) silent = health_metric_new ("silent", "Silent", "", HEALTH_DIRECTION_ABOVE, 50, 60);
  GClosure *closure = g_cclosure_new (G_CALLBACK (returns_42_5), NULL, NULL);
  GClosure *no_return = g_cclosure_new (G_CALLBACK (test_count), NULL, NULL);
  guint calls = 0;

  g_assert_true (health_monitor_add_sampled_metric_with_closure (monitor, metric, closure));

  /* A closure that leaves the return value alone, as a binding does when
   * the callback raises: the metric is unknown, not 0. */
  g_closure_unref (no_return);
  no_return = g_cclosure_new_swap (G_CALLBACK (test_count), &calls, NULL);
  g_closure_set_marshal (no_return, g_cclosure_marshal_VOID__VOID);
  g_assert_true (health_monitor_add_sampled_metric_with_closure (monitor, silent, no_return));

  test_sample_sync (monitor);
  g_assert_cmpfloat (health_metric_get_value (metric), ==, 42.5);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (isnan (health_metric_get_value (silent)));
  g_assert_cmpint (health_metric_get_status (silent), ==, HEALTH_STATUS_UNKNOWN);
}

static void
test_sample_nan_is_unknown (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  double value = NAN;
  HealthMetric *metric = test_add_sampled (monitor, "flaky", 1, 2, &value);

  g_signal_connect (monitor, "alert", G_CALLBACK (test_collect), alerts);

  test_sample_sync (monitor);
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpuint (alerts->len, ==, 0);
}

static void
test_sample_unknown_never_raises (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double good = 10, unknown = NAN;

  test_add_sampled (monitor, "good", 50, 90, &good);
  test_add_sampled (monitor, "unknown", 50, 90, &unknown);

  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);
}

/* Threads and contexts */

typedef struct
{
  GThread *thread;
  guint    sampled;
  gboolean wrong_thread;
} ThreadRun;

static void
on_sampled_in_thread (HealthMonitor *monitor,
                      ThreadRun     *run)
{
  if (g_thread_self () != run->thread)
    run->wrong_thread = TRUE;
  run->sampled++;
}

static gpointer
monitor_thread (gpointer data)
{
  ThreadRun *run = data;
  g_autoptr(GMainContext) context = g_main_context_new ();
  g_autoptr(HealthMonitor) monitor = NULL;
  double value = 1;

  run->thread = g_thread_self ();
  g_main_context_push_thread_default (context);

  monitor = test_app_monitor_new ();
  test_add_sampled (monitor, "x", 5, 10, &value);
  g_signal_connect (monitor, "sampled", G_CALLBACK (on_sampled_in_thread), run);
  health_monitor_set_interval (monitor, 10);
  health_monitor_start (monitor);

  /* Ticks as the test moves the clock; the one thread that does. */
  while (run->sampled < 3)
    {
      guint before = run->sampled;

      test_clock_advance (0.010);
      while (run->sampled == before)
        g_main_context_iteration (context, TRUE);
    }

  health_monitor_stop (monitor);
  g_clear_object (&monitor);

  /* Let a sample still out come back and be dropped. */
  for (guint i = 0; i < 50; i++)
    {
      while (g_main_context_iteration (context, FALSE));
      g_usleep (2000);
    }
  g_main_context_pop_thread_default (context);

  return NULL;
}

static void
test_context_second_thread (void)
{
  ThreadRun run = { 0 };
  GThread *thread;

  /* The thread records itself: g_thread_new() may return after it has
   * started comparing. */
  thread = g_thread_new ("monitor-thread", monitor_thread, &run);
  g_thread_join (thread);

  g_assert_cmpuint (run.sampled, >=, 3);
  g_assert_false (run.wrong_thread);
}

static gpointer
get_default_thread (gpointer data)
{
  return health_monitor_get_default ();
}

static void
test_default_thread_safe (void)
{
  GThread *threads[8];
  gpointer results[8];

  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    threads[i] = g_thread_new ("get-default", get_default_thread, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (threads); i++)
    results[i] = g_thread_join (threads[i]);

  g_assert_true (HEALTH_IS_MONITOR (results[0]));
  for (guint i = 1; i < G_N_ELEMENTS (threads); i++)
    g_assert_true (results[i] == results[0]);
  g_assert_true (health_monitor_get_default () == results[0]);
}

/* Metrics */

static void
test_metrics_add_remove (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) duplicate = health_metric_new ("a", "A again", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMonitor) other = test_app_monitor_new ();
  GListModel *metrics = health_monitor_get_metrics (monitor);
  double bad = 95, good = 1;
  HealthMetric *a;

  a = test_add_sampled (monitor, "a", 75, 90, &bad);
  test_add_sampled (monitor, "b", 75, 90, &good);
  g_assert_cmpuint (g_list_model_get_n_items (metrics), ==, 2);
  g_assert_true (g_list_model_get_item_type (metrics) == HEALTH_TYPE_METRIC);
  g_assert_true (health_monitor_get_metric (monitor, "a") == a);

  g_test_expect_message ("Health", G_LOG_LEVEL_CRITICAL, "*already has a metric with id \"a\"*");
  g_assert_false (health_monitor_add_metric (monitor, duplicate));
  g_test_assert_expected_messages ();

  /* A metric belongs to one monitor. */
  g_test_expect_message ("Health", G_LOG_LEVEL_CRITICAL, "*health_metric_get_monitor*");
  g_assert_false (health_monitor_add_metric (other, a));
  g_test_assert_expected_messages ();

  test_sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  /* Removing the worst metric improves the overall status at once. */
  g_assert_true (health_monitor_remove_metric (monitor, "a"));
  g_assert_false (health_monitor_remove_metric (monitor, "a"));
  g_assert_null (health_monitor_get_metric (monitor, "a"));
  g_assert_cmpuint (g_list_model_get_n_items (metrics), ==, 1);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);

  test_sample_sync (monitor);
  g_assert_cmpuint (g_list_model_get_n_items (metrics), ==, 1);
}

static double
remove_self (HealthMetric *metric,
             gpointer      user_data)
{
  health_monitor_remove_metric (user_data, health_metric_get_id (metric));
  return 1;
}

static void
test_metrics_remove_while_sampling (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) quitter = health_metric_new ("quitter", "Q", "", HEALTH_DIRECTION_ABOVE, 5, 10);
  double value = 3;
  HealthMetric *stayer;

  health_monitor_add_sampled_metric (monitor, quitter, remove_self, monitor, NULL);
  stayer = test_add_sampled (monitor, "stayer", 5, 10, &value);

  test_sample_sync (monitor);
  g_assert_null (health_monitor_get_metric (monitor, "quitter"));
  g_assert_cmpfloat (health_metric_get_value (stayer), ==, 3);
  g_assert_cmpuint (health_metric_get_n_samples (quitter), ==, 0);
}

static void
test_metrics_history_size (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double value = 1;
  HealthMetric *metric = test_add_sampled (monitor, "x", 5, 10, &value);

  for (guint i = 0; i < 5; i++)
    test_sample_sync (monitor);

  health_monitor_set_history_size (monitor, 3);
  g_assert_cmpuint (health_metric_get_history_size (metric), ==, 3);
  g_assert_cmpuint (health_metric_get_n_samples (metric), ==, 3);
}

static void
test_track_objects (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  GObject *objects[3];
  GObject *survivor;
  HealthMetric *tracked;

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_TRACKED_OBJECTS, NULL);
  tracked = health_monitor_get_metric (monitor, "tracked-objects");

  for (guint i = 0; i < 3; i++)
    {
      objects[i] = g_object_new (G_TYPE_OBJECT, NULL);
      health_monitor_track_object (monitor, objects[i]);
    }
  health_monitor_track_object (monitor, objects[0]);
  g_assert_cmpuint (health_monitor_get_n_tracked_objects (monitor), ==, 3);

  g_object_unref (objects[0]);
  g_object_unref (objects[1]);
  test_sample_sync (monitor);
  g_assert_cmpfloat (health_metric_get_value (tracked), ==, 1);

  /* An object outliving the monitor finalizes cleanly. */
  survivor = objects[2];
  g_clear_object (&monitor);
  g_object_unref (survivor);
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);
  main_thread = g_thread_self ();

  g_test_add_func ("/monitor/sample/app-metric", test_sample_app_metric);
  g_test_add_func ("/monitor/sample/closure", test_sample_closure);
  g_test_add_func ("/monitor/sample/nan-is-unknown", test_sample_nan_is_unknown);
  g_test_add_func ("/monitor/sample/unknown-never-raises", test_sample_unknown_never_raises);
  g_test_add_func ("/monitor/context/second-thread", test_context_second_thread);
  g_test_add_func ("/monitor/default/thread-safe", test_default_thread_safe);
  g_test_add_func ("/monitor/metrics/add-remove", test_metrics_add_remove);
  g_test_add_func ("/monitor/metrics/remove-while-sampling", test_metrics_remove_while_sampling);
  g_test_add_func ("/monitor/metrics/history-size", test_metrics_history_size);
  g_test_add_func ("/monitor/track-objects", test_track_objects);

  return g_test_run ();
}
