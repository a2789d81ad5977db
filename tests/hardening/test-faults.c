/* test-faults.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Fault injection: what the world does to a monitor that runs for weeks.
 * Sources vanish or change kind under it, its own descriptors run out, an
 * app's worker function hangs, the wall clock jumps. Each case checks that
 * the monitor neither crashes nor hangs nor lies (UNKNOWN, not a stale or
 * invented figure), and that it recovers once the fault is gone.
 */

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "health.h"
#include "test-util.h"

/* The probes whose files live directly in proc-root. */
#define FILE_PROBES (HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_LOAD_AVERAGE | \
                     HEALTH_BUILTIN_MEMORY_PRESSURE)

static double
metric_value (HealthMonitor *monitor,
              const char    *id)
{
  HealthMetric *metric = health_monitor_get_metric (monitor, id);

  g_assert_nonnull (metric);
  return health_metric_get_value (metric);
}

static HealthStatus
metric_status (HealthMonitor *monitor,
               const char    *id)
{
  return health_metric_get_status (health_monitor_get_metric (monitor, id));
}

/* A private proc-root the test may break: a copy of a whole fixture. */
static void
copy_tree (const char *from,
           const char *to)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GError) error = NULL;
  const char *name;

  g_assert_cmpint (g_mkdir_with_parents (to, 0700), ==, 0);
  dir = g_dir_open (from, 0, &error);
  g_assert_no_error (error);

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *src = g_build_filename (from, name, NULL);
      g_autofree char *dst = g_build_filename (to, name, NULL);

      if (g_file_test (src, G_FILE_TEST_IS_DIR))
        {
          copy_tree (src, dst);
        }
      else
        {
          g_autofree char *contents = NULL;
          gsize len;

          g_file_get_contents (src, &contents, &len, &error);
          g_assert_no_error (error);
          g_file_set_contents (dst, contents, len, &error);
          g_assert_no_error (error);
        }
    }
}

static char *
make_proc_copy (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("health-faults-XXXXXX", &error);
  g_autofree char *fixture = test_fixture_root ("proc-debian12");
  g_autofree char *root = NULL;

  g_assert_no_error (error);
  root = g_build_filename (dir, "proc", NULL);
  copy_tree (fixture, root);

  return g_steal_pointer (&dir);
}

typedef enum
{
  FAULT_VANISH,
  FAULT_DIRECTORY,
  FAULT_FIFO,
} Fault;

/* Replaces @path by what @fault makes of it; the original is kept aside
 * under a name no probe opens, to be put back. */
static void
inject (const char *path,
        Fault       fault)
{
  g_autofree char *aside = g_strconcat (path, ".aside", NULL);

  g_assert_cmpint (g_rename (path, aside), ==, 0);

  switch (fault)
    {
    case FAULT_VANISH:
      break;
    case FAULT_DIRECTORY:
      g_assert_cmpint (g_mkdir (path, 0700), ==, 0);
      break;
    case FAULT_FIFO:
      /* Nobody ever writes to it: a reader that blocks on it hangs the
       * worker, which the test timeout would catch. */
      g_assert_cmpint (mkfifo (path, 0600), ==, 0);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
restore (const char *path)
{
  g_autofree char *aside = g_strconcat (path, ".aside", NULL);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    g_assert_cmpint (g_rmdir (path), ==, 0);
  else if (g_file_test (path, G_FILE_TEST_EXISTS) || errno != ENOENT)
    g_unlink (path);
  g_assert_cmpint (g_rename (aside, path), ==, 0);
}

typedef struct
{
  Fault    fault;
  gboolean mid_run;   /* after the probes opened the file, or before */
} FaultCase;

static void
test_proc_file_fault (gconstpointer data)
{
  const FaultCase *fc = data;
  g_autofree char *dir = make_proc_copy ();
  g_autofree char *root = g_build_filename (dir, "proc", NULL);
  g_autofree char *meminfo = g_build_filename (root, "meminfo", NULL);
  g_autofree char *loadavg = g_build_filename (root, "loadavg", NULL);
  g_autofree char *psi = g_build_filename (root, "pressure", "memory", NULL);
  g_autoptr(HealthMonitor) monitor = NULL;
  /* proc-debian12's figures, as the probes read them. */
  double memory = NAN, load = NAN, pressure = NAN;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "builtin", FILE_PROBES,
                          "proc-root", root,
                          NULL);

  if (fc->mid_run)
    {
      test_sample_sync (monitor);
      memory = metric_value (monitor, "memory-usage");
      load = metric_value (monitor, "load-average");
      pressure = metric_value (monitor, "memory-pressure");
      g_assert_false (isnan (memory));
      g_assert_false (isnan (load));
      g_assert_false (isnan (pressure));
    }

  inject (meminfo, fc->fault);
  inject (loadavg, fc->fault);
  inject (psi, fc->fault);
  test_clock_advance (1);
  /* Twice: a reader that drops a broken file must not trip on the next
   * sample either. Nothing of the machine is left to read. */
  test_sample_unreadable (monitor);
  test_sample_unreadable (monitor);

  g_assert_true (isnan (metric_value (monitor, "memory-usage")));
  g_assert_true (isnan (metric_value (monitor, "load-average")));
  g_assert_true (isnan (metric_value (monitor, "memory-pressure")));
  g_assert_cmpint (metric_status (monitor, "memory-usage"), ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (metric_status (monitor, "load-average"), ==, HEALTH_STATUS_UNKNOWN);
  /* Unknown never raises the overall status. */
  g_assert_cmpint (health_monitor_get_status (monitor), <=, HEALTH_STATUS_GOOD);

  restore (meminfo);
  restore (loadavg);
  restore (psi);
  test_clock_advance (1);
  test_sample_sync (monitor);

  g_assert_false (isnan (metric_value (monitor, "memory-usage")));
  g_assert_false (isnan (metric_value (monitor, "load-average")));
  g_assert_false (isnan (metric_value (monitor, "memory-pressure")));
  if (fc->mid_run)
    {
      g_assert_cmpfloat_with_epsilon (metric_value (monitor, "memory-usage"), memory, 1e-9);
      g_assert_cmpfloat_with_epsilon (metric_value (monitor, "load-average"), load, 1e-9);
      g_assert_cmpfloat_with_epsilon (metric_value (monitor, "memory-pressure"), pressure, 1e-9);
    }

  g_clear_object (&monitor);
  test_remove_tree (dir);
}

/* The whole proc-root goes (a container's /proc unmounted, a fixture
 * deleted): every file-backed metric unknown, no crash. */
static void
test_proc_root_vanishes (void)
{
  g_autofree char *dir = make_proc_copy ();
  g_autofree char *root = g_build_filename (dir, "proc", NULL);
  g_autoptr(HealthMonitor) monitor = NULL;

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", FILE_PROBES, "proc-root", root, NULL);
  test_sample_sync (monitor);
  g_assert_false (isnan (metric_value (monitor, "memory-usage")));

  test_remove_tree (dir);
  test_clock_advance (1);
  test_sample_unreadable (monitor);
  test_sample_unreadable (monitor);

  g_assert_cmpint (metric_status (monitor, "memory-usage"), ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (metric_status (monitor, "load-average"), ==, HEALTH_STATUS_UNKNOWN);
  g_assert_cmpint (metric_status (monitor, "memory-pressure"), ==, HEALTH_STATUS_UNKNOWN);
}

static void
test_disk_path_removed (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("health-disk-XXXXXX", &error);
  g_autofree char *disk = NULL;
  g_autoptr(HealthMonitor) monitor = NULL;
  double usage;

  g_assert_no_error (error);
  disk = g_build_filename (dir, "data", NULL);
  g_assert_cmpint (g_mkdir (disk, 0700), ==, 0);

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_DISK_USAGE, NULL);
  health_monitor_set_disk_path (monitor, disk);
  test_sample_sync (monitor);
  usage = metric_value (monitor, "disk-usage");
  g_assert_false (isnan (usage));

  /* An unmounted or deleted data directory: no figure rather than the
   * figure of whatever disk now holds the parent. */
  g_assert_cmpint (g_rmdir (disk), ==, 0);
  test_clock_advance (1);
  test_sample_sync (monitor);
  g_assert_true (isnan (metric_value (monitor, "disk-usage")));
  g_assert_cmpint (metric_status (monitor, "disk-usage"), ==, HEALTH_STATUS_UNKNOWN);

  g_assert_cmpint (g_mkdir (disk, 0700), ==, 0);
  test_clock_advance (1);
  test_sample_sync (monitor);
  g_assert_false (isnan (metric_value (monitor, "disk-usage")));

  g_assert_cmpint (g_rmdir (disk), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static guint
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;

  /* Less the descriptor of the listing itself. */
  return n - 1;
}

static void
test_open_files_critical (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GArray) fds = g_array_new (FALSE, FALSE, sizeof (int));
  struct rlimit saved, low;
  guint base, target;
  HealthMetric *metric;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("no /proc/self/fd");
      return;
    }

  /* A low soft limit makes CRITICAL a matter of tens of descriptors, not
   * of thousands; the monitor reads the limit at its first sample. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &saved), ==, 0);
  base = count_fds ();
  low = saved;
  /* A multiple of ten, so that 50 % and 80 % of it are whole numbers. */
  low.rlim_cur = (4 * (base + 16) + 9) / 10 * 10;
  if (saved.rlim_cur != RLIM_INFINITY && low.rlim_cur > saved.rlim_cur)
    {
      g_test_skip ("the soft RLIMIT_NOFILE is already too low to lower");
      return;
    }
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &low), ==, 0);

  /* The live /proc: open-files is this very process. */
  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "builtin", HEALTH_BUILTIN_OPEN_FILES,
                          "proc-root", "/proc",
                          NULL);
  metric = health_monitor_get_metric (monitor, "open-files");

  test_sample_sync (monitor);
  g_assert_cmpfloat (health_metric_get_warning (metric), ==, 0.5 * low.rlim_cur);
  g_assert_cmpfloat (health_metric_get_critical (metric), ==, 0.8 * low.rlim_cur);
  g_assert_cmpint (health_metric_get_status (metric), <=, HEALTH_STATUS_GOOD);

  /* Past 80 % of the limit, yet short of it, so the monitor itself can
   * still open what it needs. */
  target = (guint) (0.9 * low.rlim_cur);
  while (count_fds () < target)
    {
      int fd = open ("/dev/null", O_RDONLY | O_CLOEXEC);

      g_assert_cmpint (fd, >=, 0);
      g_array_append_val (fds, fd);
    }

  for (guint i = 0; i < 3 && health_metric_get_status (metric) < HEALTH_STATUS_CRITICAL; i++)
    {
      test_clock_advance (1);
      test_sample_sync (monitor);
    }
  g_assert_cmpfloat (health_metric_get_value (metric), >=, 0.8 * low.rlim_cur);
  g_assert_cmpint (health_metric_get_status (metric), >=, HEALTH_STATUS_CRITICAL);

  for (guint i = 0; i < fds->len; i++)
    close (g_array_index (fds, int, i));

  for (guint i = 0; i < 3 && health_metric_get_status (metric) > HEALTH_STATUS_GOOD; i++)
    {
      test_clock_advance (1);
      test_sample_sync (monitor);
    }
  g_assert_cmpint (health_metric_get_status (metric), <=, HEALTH_STATUS_GOOD);

  g_clear_object (&monitor);
  g_assert_cmpint (setrlimit (RLIMIT_NOFILE, &saved), ==, 0);
}

/* A worker function that takes far longer than the interval. */
typedef struct
{
  gint calls;
  gint running;
  gint max_running;
  gboolean destroyed;
} Slow;

#define SLOW_MS 150

static double
slow_sample (HealthMetric *metric,
             gpointer      user_data)
{
  Slow *slow = user_data;
  gint running = g_atomic_int_add (&slow->running, 1) + 1;
  gint max;

  while ((max = g_atomic_int_get (&slow->max_running)) < running &&
         !g_atomic_int_compare_and_exchange (&slow->max_running, max, running))
    ;
  g_atomic_int_inc (&slow->calls);
  g_usleep (SLOW_MS * 1000);
  g_atomic_int_add (&slow->running, -1);

  return 1.0;
}

static void
slow_destroyed (gpointer user_data)
{
  Slow *slow = user_data;

  slow->destroyed = TRUE;
}

static void
test_worker_blocks (void)
{
  HealthMonitor *monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) metric = health_metric_new ("slow", "Slow", "", HEALTH_DIRECTION_ABOVE, 5, 10);
  Slow slow = { 0, };
  guint sampled = 0;
  gint64 start, before;
  gint calls;

  g_assert_true (health_monitor_add_worker_metric (monitor, metric, slow_sample, &slow, slow_destroyed));
  health_monitor_set_interval (monitor, 10);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  start = g_get_monotonic_time ();
  health_monitor_start (monitor);
  test_iterate_for (4 * SLOW_MS + SLOW_MS / 2);

  /* One call per SLOW_MS at most, one at a time, the rest counted. */
  calls = g_atomic_int_get (&slow.calls);
  g_assert_cmpint (calls, >=, 2);
  g_assert_cmpint (calls, <=, (g_get_monotonic_time () - start) / (SLOW_MS * 1000) + 1);
  g_assert_cmpint (g_atomic_int_get (&slow.max_running), ==, 1);
  g_assert_cmpuint (health_monitor_get_overruns (monitor), >=, 10);
  g_assert_cmpuint (sampled, >=, 1);
  g_assert_cmpuint (sampled, <=, (guint) calls);
  g_assert_cmpfloat (health_metric_get_value (metric), ==, 1.0);

  /* Make sure a call is in progress, then stop: it must not wait. */
  while (g_atomic_int_get (&slow.running) == 0)
    g_main_context_iteration (NULL, FALSE);
  before = g_get_monotonic_time ();
  health_monitor_stop (monitor);
  g_assert_cmpint (g_get_monotonic_time () - before, <, SLOW_MS * 1000 / 3);
  g_assert_false (health_monitor_get_active (monitor));

  /* Nothing is emitted once stopped, even when the slow call returns. */
  sampled = 0;
  test_iterate_for (2 * SLOW_MS);
  g_assert_cmpuint (sampled, ==, 0);

  before = g_get_monotonic_time ();
  g_object_unref (monitor);
  g_assert_cmpint (g_get_monotonic_time () - before, <, SLOW_MS * 1000 / 3);
  while (!slow.destroyed)
    g_main_context_iteration (NULL, TRUE);
}

/* NTP or a user sets the clock back an hour in the middle of a run. */
static double
read_double (HealthMetric *metric,
             gpointer      user_data)
{
  return *(double *) user_data;
}

static void
test_wall_clock_steps_back (void)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) metric = health_metric_new ("flat", "Flat", "", HEALTH_DIRECTION_ABOVE, 50, 100);
  g_autofree HealthSample *history = NULL;
  double value = 10;
  guint n;

  health_monitor_add_sampled_metric (monitor, metric, read_double, &value, NULL);

  for (guint i = 0; i < 10; i++)
    {
      test_clock_advance (5);
      test_sample_sync (monitor);
    }
  g_assert_cmpint (health_metric_get_trend (metric, 120), ==, HEALTH_TREND_STABLE);

  test_clock_step_wall (-3600);
  for (guint i = 0; i < 10; i++)
    {
      test_clock_advance (5);
      test_sample_sync (monitor);
    }

  history = health_metric_dup_history (metric, &n);
  g_assert_cmpuint (n, ==, 20);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (history[i].time_us, >=, history[i - 1].time_us);

  /* A flat series stays flat: the jump is not a slope. */
  g_assert_cmpint (health_metric_get_trend (metric, 120), ==, HEALTH_TREND_STABLE);
  g_assert_cmpfloat (health_metric_get_forecast (metric, HEALTH_STATUS_WARNING), ==, -1);

  /* And the wall clock jumping forward is no slope either. */
  test_clock_step_wall (7200);
  for (guint i = 0; i < 5; i++)
    {
      test_clock_advance (5);
      test_sample_sync (monitor);
    }
  g_assert_cmpint (health_metric_get_trend (metric, 120), ==, HEALTH_TREND_STABLE);
}

/* Security: the library hands labels through as they are; escaping is
 * the job of whoever renders markup (the applet's notifications). A
 * library that escaped would make every plain-text consumer (CLI, logs,
 * JSON) show "&amp;". */
#define HOSTILE_LABEL "Docs <b>&amp; \"x\" <i>"

static void
keep_alert (HealthMonitor *monitor,
            HealthAlert   *alert,
            gpointer       user_data)
{
  GPtrArray *alerts = user_data;

  g_ptr_array_add (alerts, g_object_ref (alert));
}

static void
test_label_kept_literal (void)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) metric = health_metric_new ("docs", HOSTILE_LABEL, "<u>", HEALTH_DIRECTION_ABOVE, 50, 100);
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *json = NULL;
  g_autoptr(GVariant) summary = NULL;
  g_autoptr(GVariant) metrics = NULL;
  double value = 75;

  health_monitor_add_sampled_metric (monitor, metric, read_double, &value, NULL);
  g_signal_connect (monitor, "alert", G_CALLBACK (keep_alert), alerts);
  test_sample_sync (monitor);

  g_assert_cmpuint (alerts->len, ==, 1);
  g_assert_cmpstr (health_metric_get_label (metric), ==, HOSTILE_LABEL);
  g_assert_nonnull (strstr (health_alert_get_message (g_ptr_array_index (alerts, 0)), HOSTILE_LABEL));

  /* Machine-readable outputs stay well-formed whatever the label holds. */
  json = health_monitor_to_json (monitor);
  g_assert_true (g_utf8_validate (json, -1, NULL));
  summary = health_monitor_get_summary (monitor);
  g_assert_true (g_variant_is_normal_form (summary));
  metrics = g_variant_lookup_value (summary, "metrics", NULL);
  g_assert_nonnull (metrics);
}

int
main (int    argc,
      char **argv)
{
  static const FaultCase cases[] = {
    { FAULT_VANISH, FALSE }, { FAULT_DIRECTORY, FALSE }, { FAULT_FIFO, FALSE },
    { FAULT_VANISH, TRUE }, { FAULT_DIRECTORY, TRUE }, { FAULT_FIFO, TRUE },
  };
  static const char * const fault_names[] = { "vanished", "directory", "fifo" };

  test_init (&argc, &argv);

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/faults/proc/%s/%s",
                                               cases[i].mid_run ? "mid-run" : "from-start",
                                               fault_names[cases[i].fault]);

      g_test_add_data_func (path, &cases[i], test_proc_file_fault);
    }
  g_test_add_func ("/faults/proc/root-vanishes", test_proc_root_vanishes);
  g_test_add_func ("/faults/disk-path/removed", test_disk_path_removed);
  g_test_add_func ("/faults/open-files/critical", test_open_files_critical);
  g_test_add_func ("/faults/worker/blocks-longer-than-interval", test_worker_blocks);
  g_test_add_func ("/faults/clock/wall-steps-back", test_wall_clock_steps_back);
  g_test_add_func ("/security/label/kept-literal", test_label_kept_literal);

  return g_test_run ();
}
