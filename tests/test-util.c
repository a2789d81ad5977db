/* test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The helpers that need only the public API, so that a test of the
 * installed-shape library (the GTK widgets, the applet window) links
 * them as well as a test of the internal one.
 */

#include <glib/gstdio.h>

#include "test-util.h"

void
test_count (guint *counter)
{
  (*counter)++;
}

/* The proc-root of a fixture in tests/fixtures, by name: from any test
 * program, whatever folder it is in. */
char *
test_fixture_root (const char *name)
{
  return g_build_filename (TEST_FIXTURES_DIR, name, NULL);
}

/* A proc-root with only a meminfo, in a fresh temporary directory. */
char *
test_make_proc_root (const char *meminfo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("health-proc-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "meminfo", NULL);
  g_file_set_contents (path, meminfo, -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&dir);
}

void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            test_remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

/* A sample function (HealthSampleFunc) that reads a double the test
 * moves by hand. */
double
test_read_double (HealthMetric *metric,
                  gpointer      value)
{
  return *(double *) value;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError  **error;
} SampleWait;

static void
sample_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SampleWait *wait = user_data;

  wait->ok = health_monitor_sample_finish (HEALTH_MONITOR (object), result, wait->error);
  wait->done = TRUE;
}

/* One sample of a HealthMonitor, waited for on the thread-default
 * context; what health_monitor_sample_finish() said. */
gboolean
test_sample (HealthMonitor  *monitor,
             GError        **error)
{
  SampleWait wait = { FALSE, FALSE, error };

  health_monitor_sample_async (monitor, NULL, sample_done, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);

  return wait.ok;
}

/* One sample that succeeds. */
void
test_sample_sync (HealthMonitor *monitor)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (test_sample (monitor, &error));
  g_assert_no_error (error);
}

/* One sample that reads nothing of the machine: applied, but failed
 * with HEALTH_ERROR_PROBE_FAILED. */
void
test_sample_unreadable (HealthMonitor *monitor)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (test_sample (monitor, &error));
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_PROBE_FAILED);
}

/* A monitor of app metrics only. */
HealthMonitor *
test_app_monitor_new (void)
{
  return g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
}

/* Adds a percentage, higher is worse, that reads *@value at each
 * sample; @monitor holds the only reference. */
HealthMetric *
test_add_sampled (HealthMonitor *monitor,
                  const char    *id,
                  double         warning,
                  double         critical,
                  double        *value)
{
  HealthMetric *metric = health_metric_new (id, id, "%", HEALTH_DIRECTION_ABOVE, warning, critical);

  g_assert_true (health_monitor_add_sampled_metric (monitor, metric, test_read_double, value, NULL));
  g_object_unref (metric);

  return metric;
}

/* A signal handler that keeps the object the signal carries (an
 * alert, a recovered metric) in @objects. */
void
test_collect (gpointer   instance,
              GObject   *object,
              GPtrArray *objects)
{
  g_ptr_array_add (objects, g_object_ref (object));
}
