/* test-monitor.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>

#include "health.h"
#include "test-util.h"

#define MEMINFO_95 \
  "MemTotal:       16000000 kB\n" \
  "MemFree:          300000 kB\n" \
  "MemAvailable:     800000 kB\n" \
  "Buffers:           10000 kB\n" \
  "Cached:           400000 kB\n" \
  "SwapTotal:       2000000 kB\n" \
  "SwapFree:        1500000 kB\n"

static HealthMonitor *
app_monitor_new (void)
{
  return g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
}

static void
sample_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = health_monitor_sample_finish (HEALTH_MONITOR (object), result, error);

  g_assert_true (ok == (*error == NULL));
  /* Mark completion even on error. */
  if (ok)
    *error = (GError *) GINT_TO_POINTER (1);
}

/* One sample, waited for on the thread-default context. */
static void
sample_sync (HealthMonitor *monitor)
{
  GError *error = NULL;

  health_monitor_sample_async (monitor, NULL, sample_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  if (error != GINT_TO_POINTER (1))
    g_assert_no_error (error);
}

static double
read_double (HealthMetric *metric,
             gpointer      user_data)
{
  return *(double *) user_data;
}

static HealthMetric *
add_sampled (HealthMonitor *monitor,
             const char    *id,
             double         warning,
             double         critical,
             double        *value)
{
  HealthMetric *metric = health_metric_new (id, id, "%", HEALTH_DIRECTION_ABOVE, warning, critical);

  g_assert_true (health_monitor_add_sampled_metric (monitor, metric, read_double, value, NULL));
  g_object_unref (metric);

  return metric;
}

static void
count_alerts (HealthMonitor *monitor,
              HealthAlert   *alert,
              GPtrArray     *alerts)
{
  g_ptr_array_add (alerts, g_object_ref (alert));
}

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
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(HealthMetric) metric = health_metric_new ("answer", "Answer", "", HEALTH_DIRECTION_ABOVE, 50, 60);
  guint calls = 0, sampled = 0;

  main_thread = g_thread_self ();
  health_monitor_add_sampled_metric (monitor, metric, on_main_thread, &calls, NULL);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  sample_sync (monitor);
  sample_sync (monitor);

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
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
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

  sample_sync (monitor);
  g_assert_cmpfloat (health_metric_get_value (metric), ==, 42.5);
  g_assert_cmpuint (calls, ==, 1);
  g_assert_true (isnan (health_metric_get_value (silent)));
  g_assert_cmpint (health_metric_get_status (silent), ==, HEALTH_STATUS_UNKNOWN);
}

static void
test_sample_nan_is_unknown (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  double value = NAN;
  HealthMetric *metric = add_sampled (monitor, "flaky", 1, 2, &value);

  g_signal_connect (monitor, "alert", G_CALLBACK (count_alerts), alerts);

  sample_sync (monitor);
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpuint (alerts->len, ==, 0);
}

static void
test_sample_unknown_never_raises (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  double good = 10, unknown = NAN;

  add_sampled (monitor, "good", 50, 90, &good);
  add_sampled (monitor, "unknown", 50, 90, &unknown);

  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);
}

/* Alerts */

static void
test_alert_cooldown (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) other_alerts = g_ptr_array_new_with_free_func (g_object_unref);
  double value = 95, other = 10;
  HealthAlert *alert;

  add_sampled (monitor, "hot", 75, 90, &value);
  add_sampled (monitor, "cold", 75, 90, &other);
  health_monitor_set_alert_cooldown (monitor, 300);
  g_signal_connect (monitor, "alert::hot", G_CALLBACK (count_alerts), alerts);
  g_signal_connect (monitor, "alert::cold", G_CALLBACK (count_alerts), other_alerts);

  sample_sync (monitor);
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
      sample_sync (monitor);
    }
  g_assert_cmpuint (alerts->len, ==, 1);

  /* Past it, still critical: reminded once. */
  test_clock_advance (10);
  sample_sync (monitor);
  g_assert_cmpuint (alerts->len, ==, 2);

  /* Flapping does not flood: recover and return within the cooldown. */
  value = 10;
  sample_sync (monitor);
  value = 95;
  test_clock_advance (1);
  sample_sync (monitor);
  g_assert_cmpuint (alerts->len, ==, 2);

  g_assert_cmpuint (other_alerts->len, ==, 0);
}

static void
test_alert_per_status (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  double value = 80;

  add_sampled (monitor, "m", 75, 90, &value);
  g_signal_connect (monitor, "alert", G_CALLBACK (count_alerts), alerts);

  sample_sync (monitor);
  value = 95;
  test_clock_advance (1);
  sample_sync (monitor);

  g_assert_cmpuint (alerts->len, ==, 2);
  g_assert_cmpint (health_alert_get_status (g_ptr_array_index (alerts, 0)), ==, HEALTH_STATUS_WARNING);
  g_assert_cmpint (health_alert_get_status (g_ptr_array_index (alerts, 1)), ==, HEALTH_STATUS_CRITICAL);
}

static void
on_recovered (HealthMonitor *monitor,
              HealthMetric  *metric,
              GPtrArray     *recovered)
{
  g_ptr_array_add (recovered, g_object_ref (metric));
}

static void
test_alert_recovered (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(GPtrArray) recovered = g_ptr_array_new_with_free_func (g_object_unref);
  double value = 10;
  HealthMetric *metric = add_sampled (monitor, "m", 75, 90, &value);

  g_signal_connect (monitor, "recovered::m", G_CALLBACK (on_recovered), recovered);

  /* Good from the start: nothing to recover from. */
  sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 0);

  value = 95;
  sample_sync (monitor);
  value = 80;
  sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 0);
  value = 10;
  sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 1);
  g_assert_true (g_ptr_array_index (recovered, 0) == metric);
  sample_sync (monitor);
  g_assert_cmpuint (recovered->len, ==, 1);
}

static void
test_alert_app_update (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(HealthMetric) metric = health_metric_new ("queue", "Queue", "jobs", HEALTH_DIRECTION_ABOVE, 10, 20);
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);

  g_assert_true (health_monitor_add_metric (monitor, metric));
  g_signal_connect (monitor, "alert::queue", G_CALLBACK (count_alerts), alerts);

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
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  StatusChange change = { 0 };
  double value = 10;

  add_sampled (monitor, "m", 75, 90, &value);
  g_signal_connect (monitor, "status-changed", G_CALLBACK (on_status_changed), &change);

  sample_sync (monitor);
  g_assert_cmpuint (change.count, ==, 1);
  g_assert_cmpint (change.old_status, ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (change.new_status, ==, HEALTH_STATUS_EXCELLENT);

  /* Still good, but climbing toward the warning threshold. */
  for (guint i = 0; i < 5; i++)
    {
      value += 10;
      test_clock_advance (30);
      sample_sync (monitor);
    }
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_GOOD);

  value = 80;
  test_clock_advance (30);
  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_WARNING);
  g_assert_cmpint (change.new_status, ==, HEALTH_STATUS_WARNING);
}

static void
test_status_emergency_after (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  double value = 95;

  add_sampled (monitor, "m", 75, 90, &value);
  health_monitor_set_emergency_after (monitor, 60);

  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  test_clock_advance (59);
  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  test_clock_advance (1);
  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EMERGENCY);

  value = 10;
  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), !=, HEALTH_STATUS_EMERGENCY);
}

/* The first critical sample of a rising metric is critical: an
 * emergency takes time at critical, or a trend that will hit the wall. */
static void
test_status_emergency_not_first_critical (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  double value = 75;
  HealthMetric *metric = add_sampled (monitor, "m", 75, 90, &value);

  health_metric_set_bound (metric, 100);
  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_WARNING);

  value = 95;
  test_clock_advance (1);
  sample_sync (monitor);
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);
}

/* Critical and heading for its bound (100 %) within emergency-after:
 * an emergency before the time is up. */
static void
test_status_emergency_bound (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  double value = 91;
  HealthMetric *metric = add_sampled (monitor, "m", 75, 90, &value);

  health_metric_set_bound (metric, 100);
  health_monitor_set_emergency_after (monitor, 60);

  /* +0.6 %/10 s: at 94.0 % after 50 s, 100 % in about 100 s more. */
  for (guint i = 0; i < 6; i++)
    {
      sample_sync (monitor);
      g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);
      value += 0.6;
      test_clock_advance (10);
    }

  /* Now +2 %/10 s: 100 % within the minute. */
  for (guint i = 0; i < 3; i++)
    {
      value += 2;
      test_clock_advance (1);
      sample_sync (monitor);
    }
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EMERGENCY);
}

/* A metric without a bound (load, an app's queue) has only the
 * duration rule, however fast it rises. */
static void
test_status_emergency_no_bound (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  double value = 91;
  HealthMetric *metric = add_sampled (monitor, "m", 75, 90, &value);

  health_monitor_set_emergency_after (monitor, 600);
  g_assert_true (isnan (health_metric_get_bound (metric)));

  for (guint i = 0; i < 10; i++)
    {
      value += 20;
      test_clock_advance (10);
      sample_sync (monitor);
    }
  g_assert_cmpint (health_metric_get_trend (metric, 300), ==, HEALTH_TREND_INCREASING);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  test_clock_advance (600);
  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EMERGENCY);
}

/* Built-in metrics on a fixture */

static void
on_low_memory (HealthMonitor *monitor,
               HealthStatus   status,
               guint         *count)
{
  g_assert_cmpint (status, ==, HEALTH_STATUS_CRITICAL);
  (*count)++;
}

static void
test_builtin_memory95 (void)
{
  g_autofree char *root = test_make_proc_root (MEMINFO_95);
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  HealthMetric *usage, *available, *swap;
  guint low_memory = 0;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "proc-root", root,
                          "builtin", HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_MEMORY_AVAILABLE | HEALTH_BUILTIN_SWAP_USAGE,
                          NULL);
  g_signal_connect (monitor, "alert::memory-usage", G_CALLBACK (count_alerts), alerts);
  g_signal_connect (monitor, "low-memory", G_CALLBACK (on_low_memory), &low_memory);

  g_assert_cmpuint (g_list_model_get_n_items (health_monitor_get_metrics (monitor)), ==, 3);
  usage = health_monitor_get_metric (monitor, "memory-usage");
  available = health_monitor_get_metric (monitor, "memory-available");
  swap = health_monitor_get_metric (monitor, "swap-usage");
  g_assert_nonnull (usage);
  g_assert_nonnull (available);
  g_assert_nonnull (swap);
  g_assert_null (health_monitor_get_metric (monitor, "cpu-usage"));

  sample_sync (monitor);

  g_assert_cmpfloat_with_epsilon (health_metric_get_value (usage), 95.0, 1e-9);
  g_assert_cmpint (health_metric_get_status (usage), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpfloat (health_metric_get_value (available), ==, 800000.0 * 1024);
  g_assert_cmpint (health_metric_get_status (available), ==, HEALTH_STATUS_WARNING);
  g_assert_cmpfloat_with_epsilon (health_metric_get_value (swap), 25.0, 1e-9);
  g_assert_cmpint (health_metric_get_status (swap), ==, HEALTH_STATUS_GOOD);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpstr (health_alert_get_message (g_ptr_array_index (alerts, 0)), ==,
                   "Memory Usage = 95.0 % (threshold 90.0 %, no trend yet)");
  g_assert_cmpuint (low_memory, ==, 1);

  test_remove_tree (root);
}

static void
test_builtin_culprit (void)
{
  g_autofree char *root = g_test_build_filename (G_TEST_DIST, "fixtures", "proc-memory95", NULL);
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  guint sampled = 0;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "proc-root", root,
                          "builtin", HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_SWAP_USAGE,
                          NULL);
  g_signal_connect (monitor, "alert", G_CALLBACK (count_alerts), alerts);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  /* The alerts wait for the scan of the fixture's processes; `sampled`
   * and the end of the sample come after them. */
  sample_sync (monitor);
  g_assert_cmpuint (sampled, ==, 1);
  g_assert_cmpuint (alerts->len, ==, 2);

  for (guint i = 0; i < alerts->len; i++)
    {
      HealthAlert *alert = g_ptr_array_index (alerts, i);
      const char *id = health_metric_get_id (health_alert_get_metric (alert));

      if (g_str_equal (id, "memory-usage"))
        g_assert_cmpstr (health_alert_get_culprit (alert), ==, "hog (200) 3.0\u00a0GiB");
      else
        g_assert_true (g_str_has_prefix (health_alert_get_culprit (alert), "evil) (name (100) "));
    }
}

static void
test_builtin_missing_source (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  GListModel *metrics;

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "proc-root", "/nonexistent/proc", NULL);
  metrics = health_monitor_get_metrics (monitor);
  g_assert_cmpuint (g_list_model_get_n_items (metrics), >, 10);

  sample_sync (monitor);

  g_assert_cmpint (health_metric_get_status (health_monitor_get_metric (monitor, "memory-usage")), ==,
                   HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (health_metric_get_status (health_monitor_get_metric (monitor, "swap-usage")), ==,
                   HEALTH_STATUS_UNKNOWN);
  /* The monitor's own figures need no /proc. */
  g_assert_false (isnan (health_metric_get_value (health_monitor_get_metric (monitor, "tracked-objects"))));
}

/* Nothing known is not excellent: with no readable /proc (the disk and
 * the process still readable) the machine's status is unknown, and the
 * monitor says why. */
static void
test_status_unknown_when_unreadable (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autofree char *reason = NULL;

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "proc-root", "/nonexistent/proc", NULL);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_UNKNOWN);
  reason = health_monitor_dup_unknown_reason (monitor);
  g_assert_nonnull (reason);

  sample_sync (monitor);
  g_assert_cmpint (health_metric_get_status (health_monitor_get_metric (monitor, "disk-usage")), !=,
                   HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_UNKNOWN);

  g_clear_pointer (&reason, g_free);
  reason = health_monitor_dup_unknown_reason (monitor);
  g_assert_nonnull (strstr (reason, "/nonexistent/proc/meminfo"));
  g_assert_nonnull (strstr (reason, "/nonexistent/proc/stat"));
  g_assert_nonnull (strstr (reason, "/nonexistent/proc/loadavg"));
  /* Said once per file, though three metrics read meminfo. */
  g_assert_null (strstr (strstr (reason, "meminfo") + 1, "meminfo"));
  /* The process's files are not the machine's. */
  g_assert_null (strstr (reason, "self/"));
}

/* An app-only monitor is judged on what it has. */
static void
test_status_app_only_known (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  double value = 10;

  add_sampled (monitor, "m", 75, 90, &value);
  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);
  g_assert_null (health_monitor_dup_unknown_reason (monitor));
}

/* Scope, condition and bound of the built-ins; no swap is a fact. */
static void
test_builtin_scope_condition (void)
{
  g_autoptr(HealthMonitor) system = NULL;
  g_autoptr(HealthMonitor) everything = NULL;
  g_autofree char *noswap = g_test_build_filename (G_TEST_DIST, "fixtures", "proc-noswap", NULL);
  HealthMetric *swap, *disk;
  static const struct {
    const char  *id;
    const char  *condition;
    HealthScope  scope;
    double       bound;
  } table[] = {
    { "memory-usage", "memory", HEALTH_SCOPE_SYSTEM, 100 },
    { "memory-available", "memory", HEALTH_SCOPE_SYSTEM, 0 },
    { "memory-pressure", "memory", HEALTH_SCOPE_SYSTEM, 100 },
    { "swap-usage", "swap", HEALTH_SCOPE_SYSTEM, 100 },
    { "cpu-usage", "cpu", HEALTH_SCOPE_SYSTEM, 100 },
    { "load-average", "cpu", HEALTH_SCOPE_SYSTEM, NAN },
    { "cpu-pressure", "cpu", HEALTH_SCOPE_SYSTEM, 100 },
    { "disk-usage", "disk", HEALTH_SCOPE_SYSTEM, 100 },
    { "io-pressure", "io", HEALTH_SCOPE_SYSTEM, 100 },
    { "process-memory", "process", HEALTH_SCOPE_PROCESS, NAN },
    { "thread-count", "process", HEALTH_SCOPE_PROCESS, NAN },
    { "open-files", "process", HEALTH_SCOPE_PROCESS, NAN },
    { "main-loop-latency", "process", HEALTH_SCOPE_PROCESS, NAN },
    { "tracked-objects", "process", HEALTH_SCOPE_PROCESS, NAN },
    { "monitor-cost", "process", HEALTH_SCOPE_PROCESS, NAN },
  };

  everything = g_object_new (HEALTH_TYPE_MONITOR, "proc-root", noswap, "disk-path", "/", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      HealthMetric *metric = health_monitor_get_metric (everything, table[i].id);

      g_assert_nonnull (metric);
      g_assert_cmpstr (health_metric_get_condition (metric), ==, table[i].condition);
      g_assert_cmpint (health_metric_get_scope (metric), ==, table[i].scope);
      if (isnan (table[i].bound))
        g_assert_true (isnan (health_metric_get_bound (metric)));
      else
        g_assert_cmpfloat (health_metric_get_bound (metric), ==, table[i].bound);
    }

  system = g_object_new (HEALTH_TYPE_MONITOR, "proc-root", noswap, "builtin", HEALTH_BUILTIN_SYSTEM, NULL);
  g_assert_cmpuint (g_list_model_get_n_items (health_monitor_get_metrics (system)), ==, 9);
  g_assert_null (health_monitor_get_metric (system, "process-memory"));

  /* disk-usage says which path it watches. */
  disk = health_monitor_get_metric (everything, "disk-usage");
  g_assert_cmpstr (health_metric_get_detail (disk), ==, "/");
  health_monitor_set_disk_path (everything, "/tmp");
  g_assert_cmpstr (health_metric_get_detail (disk), ==, "/tmp");

  /* No swap reads "no swap", and is good: unknown is for failures. */
  sample_sync (everything);
  swap = health_monitor_get_metric (everything, "swap-usage");
  g_assert_cmpint (health_metric_get_status (swap), ==, HEALTH_STATUS_GOOD);
  g_assert_cmpfloat (health_metric_get_value (swap), ==, 0);
  g_assert_cmpstr (health_metric_get_detail (swap), ==, "no swap");
}

/* No /proc, but the disk holding the working directory is there: one
 * disk figure does not make an unreadable machine excellent. */
static void
test_builtin_unreadable_proc_root (void)
{
  const HealthBuiltin builtins[] = { HEALTH_BUILTIN_SYSTEM, HEALTH_BUILTIN_ALL };

  for (guint i = 0; i < G_N_ELEMENTS (builtins); i++)
    {
      g_autoptr(HealthMonitor) monitor = NULL;
      g_autofree char *reason = NULL;
      HealthMetric *disk;

      monitor = g_object_new (HEALTH_TYPE_MONITOR,
                              "proc-root", "/nonexistent/proc",
                              "builtin", builtins[i],
                              NULL);
      sample_sync (monitor);

      disk = health_monitor_get_metric (monitor, "disk-usage");
      g_assert_cmpint (health_metric_get_status (disk), !=, HEALTH_STATUS_UNKNOWN);
      g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_UNKNOWN);

      reason = health_monitor_dup_unknown_reason (monitor);
      g_assert_nonnull (reason);
      g_assert_nonnull (strstr (reason, "/nonexistent/proc/meminfo"));
      g_assert_nonnull (strstr (reason, "/nonexistent/proc/stat"));
      g_assert_null (strstr (reason, health_monitor_get_disk_path (monitor)));
    }
}

static void
test_builtin_monitor_cost (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  HealthMetric *cost;

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_MONITOR_COST, NULL);
  cost = health_monitor_get_metric (monitor, "monitor-cost");

  /* A share of the time between samples: none before a second one. */
  sample_sync (monitor);
  g_assert_true (isnan (health_metric_get_value (cost)));

  g_usleep (20000);
  sample_sync (monitor);
  g_assert_cmpfloat (health_metric_get_value (cost), >=, 0);
  g_assert_cmpfloat (health_metric_get_value (cost), <=, 100);
}

static void
test_builtin_env_proc_root (void)
{
  g_autofree char *root = test_make_proc_root (MEMINFO_95);
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(HealthMonitor) explicit = NULL;

  g_setenv ("HEALTH_PROC_ROOT", root, TRUE);
  monitor = health_monitor_new ();
  g_assert_cmpstr (health_monitor_get_proc_root (monitor), ==, root);
  sample_sync (monitor);
  g_assert_cmpfloat_with_epsilon (health_metric_get_value (health_monitor_get_metric (monitor, "memory-usage")),
                                  95.0, 1e-9);

  /* An explicit property wins over the environment. */
  explicit = g_object_new (HEALTH_TYPE_MONITOR, "proc-root", "/proc", NULL);
  g_assert_cmpstr (health_monitor_get_proc_root (explicit), ==, "/proc");

  g_unsetenv ("HEALTH_PROC_ROOT");
  test_remove_tree (root);
}

/* The worker */

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean released;
  guint    calls;
  gboolean destroyed;
  GThread *destroy_thread;
} Gate;

static double
wait_at_gate (HealthMetric *metric,
              gpointer      user_data)
{
  Gate *gate = user_data;

  g_assert_true (g_thread_self () != main_thread);

  g_mutex_lock (&gate->mutex);
  gate->calls++;
  while (!gate->released)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);

  return 1.0;
}

static void
gate_destroyed (gpointer user_data)
{
  Gate *gate = user_data;

  gate->destroyed = TRUE;
  gate->destroy_thread = g_thread_self ();
}

static void
gate_init (Gate *gate)
{
  memset (gate, 0, sizeof *gate);
  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
}

static void
gate_release (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->released = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static guint
gate_calls (Gate *gate)
{
  guint calls;

  g_mutex_lock (&gate->mutex);
  calls = gate->calls;
  g_mutex_unlock (&gate->mutex);

  return calls;
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
}

static HealthMonitor *
gated_monitor_new (Gate *gate)
{
  HealthMonitor *monitor = app_monitor_new ();
  g_autoptr(HealthMetric) metric = health_metric_new ("slow", "Slow", "", HEALTH_DIRECTION_ABOVE, 5, 10);

  main_thread = g_thread_self ();
  gate_init (gate);
  health_monitor_add_worker_metric (monitor, metric, wait_at_gate, gate, gate_destroyed);
  health_monitor_set_interval (monitor, 10);

  return monitor;
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE), g_usleep (1000);
}

/* Re-entrancy: user code called by the monitor (a sampled function, a
 * signal handler, a metric's notify) may stop or drop the monitor. */

typedef enum
{
  REENTER_STOP,
  REENTER_DROP,
  REENTER_RUN_DISPOSE,
} ReenterAction;

typedef struct
{
  HealthMonitor *monitor;
  ReenterAction  action;
  guint          calls;
  guint          sampled_after;
} Reenter;

static void
reenter (Reenter *r)
{
  r->calls++;
  if (r->monitor == NULL)
    return;

  switch (r->action)
    {
    case REENTER_STOP:
      health_monitor_stop (r->monitor);
      break;
    case REENTER_DROP:
      g_clear_object (&r->monitor);
      break;
    case REENTER_RUN_DISPOSE:
      g_object_run_dispose (G_OBJECT (r->monitor));
      break;
    }
}

static double
reenter_sample (HealthMetric *metric,
                gpointer      user_data)
{
  reenter (user_data);
  return 95;
}

static void
reenter_on_signal (gpointer user_data)
{
  reenter (user_data);
}

static void
reenter_on_notify (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  reenter (user_data);
}

static void
reenter_count_sampled (HealthMonitor *monitor,
                       Reenter       *r)
{
  if (r->calls > 0)
    r->sampled_after++;
}

typedef enum
{
  FROM_SAMPLED_FUNC,
  FROM_SAMPLED_SIGNAL,
  FROM_ALERT_SIGNAL,
  FROM_STATUS_CHANGED,
  FROM_VALUE_NOTIFY,
} ReenterFrom;

static void
run_reentrancy_case (ReenterFrom   from,
                     ReenterAction action)
{
  Reenter r = { NULL, action, 0, 0 };
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  double value = 95;
  gint64 deadline;

  r.monitor = g_object_new (HEALTH_TYPE_MONITOR,
                            "builtin", HEALTH_BUILTIN_ALL,
                            "interval", 10,
                            NULL);

  if (from == FROM_SAMPLED_FUNC)
    health_monitor_add_sampled_metric (r.monitor, metric, reenter_sample, &r, NULL);
  else
    health_monitor_add_sampled_metric (r.monitor, metric, read_double, &value, NULL);

  switch (from)
    {
    case FROM_SAMPLED_FUNC:
      break;
    case FROM_SAMPLED_SIGNAL:
      g_signal_connect_swapped (r.monitor, "sampled", G_CALLBACK (reenter_on_signal), &r);
      break;
    case FROM_ALERT_SIGNAL:
      g_signal_connect_swapped (r.monitor, "alert::m", G_CALLBACK (reenter_on_signal), &r);
      break;
    case FROM_STATUS_CHANGED:
      g_signal_connect_swapped (r.monitor, "status-changed", G_CALLBACK (reenter_on_signal), &r);
      break;
    case FROM_VALUE_NOTIFY:
      g_signal_connect (metric, "notify::value", G_CALLBACK (reenter_on_notify), &r);
      break;
    }
  g_signal_connect (r.monitor, "sampled", G_CALLBACK (reenter_count_sampled), &r);

  health_monitor_start (r.monitor);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (r.calls == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (r.calls, >=, 1);

  /* Whatever was out comes back and finds it stopped or gone. */
  iterate_for (100);

  if (action != REENTER_DROP)
    {
      g_assert_false (health_monitor_get_active (r.monitor));
      /* After stop() returns, nothing is emitted: not even the sample
       * that was being applied when it was called. */
      if (from != FROM_SAMPLED_SIGNAL)
        g_assert_cmpuint (r.sampled_after, ==, 0);
      g_clear_object (&r.monitor);
    }
  g_assert_null (r.monitor);
  iterate_for (20);
}

static void
test_reentrancy (gconstpointer data)
{
  guint which = GPOINTER_TO_UINT (data);

  run_reentrancy_case (which / 3, which % 3);
}

static void
test_worker_never_two_in_flight (void)
{
  Gate gate;
  g_autoptr(HealthMonitor) monitor = gated_monitor_new (&gate);
  guint sampled = 0;

  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);
  health_monitor_start (monitor);
  iterate_for (200);

  /* Ticks every 10 ms found the first sample still out: counted, not queued. */
  g_assert_cmpuint (gate_calls (&gate), ==, 1);
  g_assert_cmpuint (health_monitor_get_overruns (monitor), >=, 5);
  g_assert_cmpuint (sampled, ==, 0);

  gate_release (&gate);
  while (sampled == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (health_metric_get_value (health_monitor_get_metric (monitor, "slow")), ==, 1.0);

  health_monitor_stop (monitor);
  g_clear_object (&monitor);
  while (!gate.destroyed)
    g_main_context_iteration (NULL, TRUE);
  gate_clear (&gate);
}

static void
cancelled_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  g_assert_false (health_monitor_sample_finish (HEALTH_MONITOR (object), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_worker_stop_never_blocks (void)
{
  Gate gate;
  g_autoptr(HealthMonitor) monitor = gated_monitor_new (&gate);
  guint sampled = 0;
  gboolean cancelled = FALSE;
  gint64 before;

  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);
  health_monitor_start (monitor);
  health_monitor_sample_async (monitor, NULL, cancelled_done, &cancelled);
  while (gate_calls (&gate) == 0)
    g_usleep (1000);

  before = g_get_monotonic_time ();
  health_monitor_stop (monitor);
  /* The worker is still blocked; stop did not wait for it. */
  g_assert_cmpint (g_get_monotonic_time () - before, <, G_USEC_PER_SEC);
  g_assert_false (health_monitor_get_active (monitor));

  while (!cancelled)
    g_main_context_iteration (NULL, TRUE);

  gate_release (&gate);
  iterate_for (100);

  /* The stale sample came back and was dropped. */
  g_assert_cmpuint (sampled, ==, 0);
  g_assert_true (isnan (health_metric_get_value (health_monitor_get_metric (monitor, "slow"))));

  /* Stopping twice is harmless; the monitor samples again on demand. */
  health_monitor_stop (monitor);
  sample_sync (monitor);
  g_assert_cmpuint (sampled, ==, 1);

  g_clear_object (&monitor);
  g_assert_true (gate.destroyed);
  gate_clear (&gate);
}

static void
test_worker_dispose_in_flight (void)
{
  Gate gate;
  HealthMonitor *monitor = gated_monitor_new (&gate);
  GWeakRef weak;

  g_weak_ref_init (&weak, monitor);
  health_monitor_start (monitor);
  while (gate_calls (&gate) == 0)
    g_usleep (1000);

  /* Gone while the worker still runs its function. */
  g_object_unref (monitor);
  g_assert_null (g_weak_ref_get (&weak));
  g_assert_false (gate.destroyed);

  gate_release (&gate);
  while (!gate.destroyed)
    g_main_context_iteration (NULL, TRUE);

  /* The function's data is freed on the main context, not the worker. */
  g_assert_true (gate.destroy_thread == main_thread);
  g_weak_ref_clear (&weak);
  gate_clear (&gate);
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

  monitor = app_monitor_new ();
  add_sampled (monitor, "x", 5, 10, &value);
  g_signal_connect (monitor, "sampled", G_CALLBACK (on_sampled_in_thread), run);
  health_monitor_set_interval (monitor, 10);
  health_monitor_start (monitor);

  while (run->sampled < 3)
    g_main_context_iteration (context, TRUE);

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

/* Start, stop, ticks */

static void
test_start_stop_idempotent (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  guint notified = 0, sampled = 0;
  double value = 1;

  add_sampled (monitor, "x", 5, 10, &value);
  health_monitor_set_interval (monitor, 20);
  g_signal_connect_swapped (monitor, "notify::active", G_CALLBACK (test_count), &notified);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  health_monitor_start (monitor);
  health_monitor_start (monitor);
  g_assert_true (health_monitor_get_active (monitor));
  g_assert_cmpuint (notified, ==, 1);

  /* One sample at once, then one per interval. */
  while (sampled < 4)
    g_main_context_iteration (NULL, TRUE);

  health_monitor_stop (monitor);
  health_monitor_stop (monitor);
  g_assert_false (health_monitor_get_active (monitor));
  g_assert_cmpuint (notified, ==, 2);

  sampled = 0;
  iterate_for (100);
  g_assert_cmpuint (sampled, ==, 0);
}

/* A tick waiting on the sampling thread is called off by stop(): starting
 * again at once is no overrun, and samples at once. */
static void
test_stop_start_at_once (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  guint sampled = 0;
  double value = 1;

  add_sampled (monitor, "x", 5, 10, &value);
  health_monitor_set_interval (monitor, 60000);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  health_monitor_start (monitor);
  while (sampled < 1)
    g_main_context_iteration (NULL, TRUE);

  health_monitor_stop (monitor);
  health_monitor_start (monitor);
  while (sampled < 2)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (health_monitor_get_overruns (monitor), ==, 0);
  health_monitor_stop (monitor);
}

static gboolean
block_main_loop (gpointer user_data)
{
  g_usleep (400 * 1000);
  return G_SOURCE_REMOVE;
}

static void
test_main_loop_latency (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  HealthMetric *latency;
  guint sampled = 0;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "builtin", HEALTH_BUILTIN_MAIN_LOOP_LATENCY,
                          "interval", 300,
                          NULL);
  latency = health_monitor_get_metric (monitor, "main-loop-latency");
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  health_monitor_start (monitor);
  while (sampled < 1)
    g_main_context_iteration (NULL, TRUE);

  /* Block the loop past the next tick, due within 300 ms: it comes at
   * least 100 ms late. */
  g_idle_add (block_main_loop, NULL);
  while (sampled < 2)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpfloat (health_metric_get_value (latency), >=, 100);
  g_assert_cmpint (health_metric_get_status (latency), >=, HEALTH_STATUS_WARNING);
  health_monitor_stop (monitor);
}

/* Metrics */

static void
test_metrics_add_remove (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(HealthMetric) duplicate = health_metric_new ("a", "A again", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMonitor) other = app_monitor_new ();
  GListModel *metrics = health_monitor_get_metrics (monitor);
  double bad = 95, good = 1;
  HealthMetric *a;

  a = add_sampled (monitor, "a", 75, 90, &bad);
  add_sampled (monitor, "b", 75, 90, &good);
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

  sample_sync (monitor);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_CRITICAL);

  /* Removing the worst metric improves the overall status at once. */
  g_assert_true (health_monitor_remove_metric (monitor, "a"));
  g_assert_false (health_monitor_remove_metric (monitor, "a"));
  g_assert_null (health_monitor_get_metric (monitor, "a"));
  g_assert_cmpuint (g_list_model_get_n_items (metrics), ==, 1);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_EXCELLENT);

  sample_sync (monitor);
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
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  g_autoptr(HealthMetric) quitter = health_metric_new ("quitter", "Q", "", HEALTH_DIRECTION_ABOVE, 5, 10);
  double value = 3;
  HealthMetric *stayer;

  health_monitor_add_sampled_metric (monitor, quitter, remove_self, monitor, NULL);
  stayer = add_sampled (monitor, "stayer", 5, 10, &value);

  sample_sync (monitor);
  g_assert_null (health_monitor_get_metric (monitor, "quitter"));
  g_assert_cmpfloat (health_metric_get_value (stayer), ==, 3);
  g_assert_cmpuint (health_metric_get_n_samples (quitter), ==, 0);
}

static void
test_metrics_history_size (void)
{
  g_autoptr(HealthMonitor) monitor = app_monitor_new ();
  double value = 1;
  HealthMetric *metric = add_sampled (monitor, "x", 5, 10, &value);

  for (guint i = 0; i < 5; i++)
    sample_sync (monitor);

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
  sample_sync (monitor);
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
  g_test_add_func ("/monitor/alert/cooldown", test_alert_cooldown);
  g_test_add_func ("/monitor/alert/per-status", test_alert_per_status);
  g_test_add_func ("/monitor/alert/recovered", test_alert_recovered);
  g_test_add_func ("/monitor/alert/app-update", test_alert_app_update);
  g_test_add_func ("/monitor/status/excellent-and-good", test_status_excellent_and_good);
  g_test_add_func ("/monitor/status/emergency-after", test_status_emergency_after);
  g_test_add_func ("/monitor/status/emergency/not-first-critical", test_status_emergency_not_first_critical);
  g_test_add_func ("/monitor/status/emergency/bound", test_status_emergency_bound);
  g_test_add_func ("/monitor/status/emergency/no-bound", test_status_emergency_no_bound);
  g_test_add_func ("/monitor/builtin/memory95", test_builtin_memory95);
  g_test_add_func ("/monitor/builtin/culprit", test_builtin_culprit);
  g_test_add_func ("/monitor/builtin/missing-source", test_builtin_missing_source);
  g_test_add_func ("/monitor/builtin/scope-condition", test_builtin_scope_condition);
  g_test_add_func ("/monitor/builtin/unreadable-proc-root", test_builtin_unreadable_proc_root);
  g_test_add_func ("/monitor/status/unknown-when-unreadable", test_status_unknown_when_unreadable);
  g_test_add_func ("/monitor/status/app-only-known", test_status_app_only_known);
  g_test_add_func ("/monitor/builtin/env-proc-root", test_builtin_env_proc_root);
  g_test_add_func ("/monitor/builtin/monitor-cost", test_builtin_monitor_cost);
  g_test_add_func ("/monitor/worker/never-two-in-flight", test_worker_never_two_in_flight);
  {
    static const char *froms[] = { "sampled-func", "sampled-signal", "alert-signal", "status-changed", "value-notify" };
    static const char *actions[] = { "stop", "drop", "run-dispose" };

    for (guint from = 0; from < G_N_ELEMENTS (froms); from++)
      for (guint action = 0; action < G_N_ELEMENTS (actions); action++)
        {
          g_autofree char *path = g_strdup_printf ("/monitor/reentrancy/%s/%s", froms[from], actions[action]);

          g_test_add_data_func (path, GUINT_TO_POINTER (from * 3 + action), test_reentrancy);
        }
  }
  g_test_add_func ("/monitor/worker/stop-never-blocks", test_worker_stop_never_blocks);
  g_test_add_func ("/monitor/worker/dispose-in-flight", test_worker_dispose_in_flight);
  g_test_add_func ("/monitor/context/second-thread", test_context_second_thread);
  g_test_add_func ("/monitor/default/thread-safe", test_default_thread_safe);
  g_test_add_func ("/monitor/ticks/start-stop-idempotent", test_start_stop_idempotent);
  g_test_add_func ("/monitor/ticks/main-loop-latency", test_main_loop_latency);
  g_test_add_func ("/monitor/ticks/stop-start-at-once", test_stop_start_at_once);
  g_test_add_func ("/monitor/metrics/add-remove", test_metrics_add_remove);
  g_test_add_func ("/monitor/metrics/remove-while-sampling", test_metrics_remove_while_sampling);
  g_test_add_func ("/monitor/metrics/history-size", test_metrics_history_size);
  g_test_add_func ("/monitor/track-objects", test_track_objects);

  return g_test_run ();
}
