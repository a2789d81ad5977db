/* test-monitor-builtin.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The built-in metrics, on fixtures.
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
  g_signal_connect (monitor, "alert::memory-usage", G_CALLBACK (test_collect), alerts);
  g_signal_connect (monitor, "low-memory", G_CALLBACK (on_low_memory), &low_memory);

  g_assert_cmpuint (g_list_model_get_n_items (health_monitor_get_metrics (monitor)), ==, 3);
  usage = health_monitor_get_metric (monitor, "memory-usage");
  available = health_monitor_get_metric (monitor, "memory-available");
  swap = health_monitor_get_metric (monitor, "swap-usage");
  g_assert_nonnull (usage);
  g_assert_nonnull (available);
  g_assert_nonnull (swap);
  g_assert_null (health_monitor_get_metric (monitor, "cpu-usage"));

  test_sample_sync (monitor);

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
remove_on_notify (HealthMetric  *metric,
                  GParamSpec    *pspec,
                  HealthMonitor *monitor)
{
  g_assert_true (health_monitor_remove_metric (monitor, health_metric_get_id (metric)));
}

/* A handler that removes a built-in metric drops the monitor's
 * references to it while the sample is still applying it: applying goes
 * on with the metric alive, the others are applied, and the metric goes
 * once the sample lets go of it. */
static void
test_builtin_remove_while_notified (void)
{
  g_autofree char *root = test_make_proc_root (MEMINFO_95);
  g_autoptr(HealthMonitor) monitor = NULL;
  HealthMetric *usage, *available;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "proc-root", root,
                          "builtin", HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_MEMORY_AVAILABLE | HEALTH_BUILTIN_SWAP_USAGE,
                          NULL);
  usage = health_monitor_get_metric (monitor, "memory-usage");
  available = health_monitor_get_metric (monitor, "memory-available");
  g_signal_connect (usage, "notify::value", G_CALLBACK (remove_on_notify), monitor);
  g_object_add_weak_pointer (G_OBJECT (usage), (gpointer *) &usage);

  test_sample_sync (monitor);

  g_assert_null (usage);
  g_assert_null (health_monitor_get_metric (monitor, "memory-usage"));
  g_assert_cmpuint (g_list_model_get_n_items (health_monitor_get_metrics (monitor)), ==, 2);
  g_assert_cmpfloat (health_metric_get_value (available), ==, 800000.0 * 1024);
  g_assert_cmpint (health_metric_get_status (available), ==, HEALTH_STATUS_WARNING);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_WARNING);

  test_remove_tree (root);
}

static void
test_builtin_culprit (void)
{
  g_autofree char *root = test_fixture_root ("proc-memory95");
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  guint sampled = 0;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "proc-root", root,
                          "builtin", HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_SWAP_USAGE,
                          NULL);
  g_signal_connect (monitor, "alert", G_CALLBACK (test_collect), alerts);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  /* The alerts wait for the scan of the fixture's processes; `sampled`
   * and the end of the sample come after them. */
  test_sample_sync (monitor);
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

  test_sample_unreadable (monitor);

  g_assert_cmpint (health_metric_get_status (health_monitor_get_metric (monitor, "memory-usage")), ==,
                   HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (health_metric_get_status (health_monitor_get_metric (monitor, "swap-usage")), ==,
                   HEALTH_STATUS_UNKNOWN);
  /* The monitor's own figures need no /proc. */
  g_assert_false (isnan (health_metric_get_value (health_monitor_get_metric (monitor, "tracked-objects"))));
}

/* Nothing known is not excellent: with no readable /proc (the disk and
 * the process still readable) the machine's status is unknown, and the
 * monitor says why, to whoever asked for the sample too. */
static void
test_status_unknown_when_unreadable (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  guint sampled = 0;

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "proc-root", "/nonexistent/proc", NULL);
  g_assert_cmpint (health_monitor_get_status (monitor), ==, HEALTH_STATUS_UNKNOWN);
  reason = health_monitor_dup_unknown_reason (monitor);
  g_assert_nonnull (reason);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  /* An error the caller can act on, for a sample applied all the same. */
  g_assert_false (test_sample (monitor, &error));
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_PROBE_FAILED);
  g_assert_cmpuint (sampled, ==, 1);
  g_assert_false (isnan (health_metric_get_value (health_monitor_get_metric (monitor, "tracked-objects"))));
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
  g_assert_cmpstr (error->message, ==, reason);
}

/* Scope, condition and bound of the built-ins; no swap is a fact. */
static void
test_builtin_scope_condition (void)
{
  g_autoptr(HealthMonitor) system = NULL;
  g_autoptr(HealthMonitor) everything = NULL;
  g_autofree char *noswap = test_fixture_root ("proc-noswap");
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
  test_sample_sync (everything);
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
      test_sample_unreadable (monitor);

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

/* PROBE_FAILED is for the machine: a monitor of the process alone, or
 * one that read some of the machine's figures, samples without error. */
static void
test_builtin_probe_failed_only_for_machine (void)
{
  g_autofree char *root = test_fixture_root ("proc-nopsi");
  g_autoptr(HealthMonitor) process = NULL;
  g_autoptr(HealthMonitor) partial = NULL;

  process = g_object_new (HEALTH_TYPE_MONITOR,
                          "proc-root", "/nonexistent/proc",
                          "builtin", HEALTH_BUILTIN_TRACKED_OBJECTS | HEALTH_BUILTIN_MAIN_LOOP_LATENCY,
                          NULL);
  test_sample_sync (process);

  /* No pressure files, first cpu-usage unknown: memory is enough. */
  partial = g_object_new (HEALTH_TYPE_MONITOR,
                          "proc-root", root,
                          "builtin", HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_MEMORY_PRESSURE |
                                     HEALTH_BUILTIN_CPU_USAGE,
                          NULL);
  test_sample_sync (partial);
  g_assert_cmpint (health_metric_get_status (health_monitor_get_metric (partial, "memory-pressure")), ==,
                   HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (health_monitor_get_status (partial), !=, HEALTH_STATUS_UNKNOWN);
}

static void
test_builtin_monitor_cost (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  HealthMetric *cost;

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_MONITOR_COST, NULL);
  cost = health_monitor_get_metric (monitor, "monitor-cost");

  /* A share of the time between samples: none before a second one. */
  test_sample_sync (monitor);
  g_assert_true (isnan (health_metric_get_value (cost)));

  g_usleep (20000);
  test_sample_sync (monitor);
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
  test_sample_sync (monitor);
  g_assert_cmpfloat_with_epsilon (health_metric_get_value (health_monitor_get_metric (monitor, "memory-usage")),
                                  95.0, 1e-9);

  /* An explicit property wins over the environment. */
  explicit = g_object_new (HEALTH_TYPE_MONITOR, "proc-root", "/proc", NULL);
  g_assert_cmpstr (health_monitor_get_proc_root (explicit), ==, "/proc");

  g_unsetenv ("HEALTH_PROC_ROOT");
  test_remove_tree (root);
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);

  g_test_add_func ("/monitor/builtin/memory95", test_builtin_memory95);
  g_test_add_func ("/monitor/builtin/remove-while-notified", test_builtin_remove_while_notified);
  g_test_add_func ("/monitor/builtin/culprit", test_builtin_culprit);
  g_test_add_func ("/monitor/builtin/missing-source", test_builtin_missing_source);
  g_test_add_func ("/monitor/builtin/scope-condition", test_builtin_scope_condition);
  g_test_add_func ("/monitor/builtin/unreadable-proc-root", test_builtin_unreadable_proc_root);
  g_test_add_func ("/monitor/status/unknown-when-unreadable", test_status_unknown_when_unreadable);
  g_test_add_func ("/monitor/builtin/env-proc-root", test_builtin_env_proc_root);
  g_test_add_func ("/monitor/builtin/probe-failed-only-for-machine", test_builtin_probe_failed_only_for_machine);
  g_test_add_func ("/monitor/builtin/monitor-cost", test_builtin_monitor_cost);

  return g_test_run ();
}
