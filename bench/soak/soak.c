/* soak.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A long run of back-to-back samples that must not grow: after a warm-up
 * (buffers sized, types registered, files opened) the number of open
 * descriptors stays exactly the same and the resident size within 1 MiB.
 * A leak of one descriptor or of a few bytes per sample shows here long
 * before a user's tray applet has run for a month.
 *
 * Two monitors take turns: an app-only one (a main-context metric and a
 * worker metric whose values swing across the thresholds, so that alerts
 * and recoveries are made and dropped) and one with every built-in probe
 * on the live /proc.
 *
 * Output: "key value" lines, then "result PASS" or "result FAIL".
 * Usage: soak [SAMPLES [SECONDS [WARMUP]]]; defaults 1000000, 60, 10000.
 * It stops at SAMPLES or after SECONDS, whichever comes first.
 */

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "health.h"

#define RSS_SLACK_BYTES (1024 * 1024)

typedef struct
{
  guint64 fds;
  guint64 rss;
} Footprint;

static guint64
count_fds (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint64 n = 0;

  if (dir == NULL)
    return 0;
  while (g_dir_read_name (dir) != NULL)
    n++;

  /* Less the listing's own descriptor. */
  return n - 1;
}

static guint64
resident_bytes (void)
{
  g_autofree char *statm = NULL;
  unsigned long size, resident;

  if (!g_file_get_contents ("/proc/self/statm", &statm, NULL, NULL) ||
      sscanf (statm, "%lu %lu", &size, &resident) != 2)
    return 0;

  return (guint64) resident * (guint64) sysconf (_SC_PAGESIZE);
}

static Footprint
footprint_now (void)
{
  return (Footprint) { count_fds (), resident_bytes () };
}

static void
sample_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  if (!health_monitor_sample_finish (HEALTH_MONITOR (object), result, &error))
    g_error ("sample failed: %s", error->message);
  *done = TRUE;
}

static void
sample_sync (HealthMonitor *monitor)
{
  gboolean done = FALSE;

  health_monitor_sample_async (monitor, NULL, sample_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* A saw tooth from 0 to 99: GOOD, WARNING and CRITICAL every 100
 * samples, so every kind of verdict is made and freed again and again. */
static double
saw_tooth (HealthMetric *metric,
           gpointer      user_data)
{
  guint *n = user_data;

  return (double) ((*n)++ % 100);
}

static double
worker_value (HealthMetric *metric,
              gpointer      user_data)
{
  return (double) (g_get_monotonic_time () % 100);
}

static void
count_alert (HealthMonitor *monitor,
             HealthAlert   *alert,
             gpointer       user_data)
{
  guint64 *alerts = user_data;

  (*alerts)++;
}

static HealthMonitor *
app_monitor_new (guint *counter)
{
  HealthMonitor *monitor = g_object_new (HEALTH_TYPE_MONITOR,
                                         "builtin", HEALTH_BUILTIN_NONE,
                                         "alert-cooldown", 0,
                                         NULL);
  g_autoptr(HealthMetric) main_metric = health_metric_new ("saw", "Saw", "%", HEALTH_DIRECTION_ABOVE, 50, 80);
  g_autoptr(HealthMetric) worker_metric = health_metric_new ("worker", "Worker", "%", HEALTH_DIRECTION_ABOVE, 50, 80);

  health_monitor_add_sampled_metric (monitor, main_metric, saw_tooth, counter, NULL);
  health_monitor_add_worker_metric (monitor, worker_metric, worker_value, NULL, NULL);

  return monitor;
}

int
main (int    argc,
      char **argv)
{
  guint64 max_samples = argc > 1 ? g_ascii_strtoull (argv[1], NULL, 10) : 1000000;
  double max_seconds = argc > 2 ? g_ascii_strtod (argv[2], NULL) : 60.0;
  guint64 warmup = argc > 3 ? g_ascii_strtoull (argv[3], NULL, 10) : 10000;
  g_autoptr(HealthMonitor) app = NULL;
  g_autoptr(HealthMonitor) probes = NULL;
  guint counter = 0;
  guint64 alerts = 0, n = 0, measured = 0;
  Footprint start = { 0, }, warm = { 0, }, end;
  gint64 t0, t_warm = 0, t_end;
  gboolean fds_flat, rss_flat;
  double rate;

  if (warmup >= max_samples)
    warmup = max_samples / 10;

  app = app_monitor_new (&counter);
  /* The live /proc whatever HEALTH_PROC_ROOT says: this is about the
   * real files, kept open and re-read. The default alert cooldown: an
   * alert on a built-in metric scans /proc for a culprit, which is meant
   * to happen once per alert, not on every sample. */
  probes = g_object_new (HEALTH_TYPE_MONITOR,
                         "builtin", HEALTH_BUILTIN_ALL,
                         "proc-root", "/proc",
                         NULL);
  g_signal_connect (app, "alert", G_CALLBACK (count_alert), &alerts);
  g_signal_connect (probes, "alert", G_CALLBACK (count_alert), &alerts);

  start = footprint_now ();
  t0 = g_get_monotonic_time ();

  for (n = 0; n < max_samples; n++)
    {
      /* Every other sample of each monitor; the probe monitor is the
       * costlier, so it goes one sample in four. */
      sample_sync (app);
      if (n % 4 == 0)
        sample_sync (probes);

      if (n + 1 == warmup)
        {
          warm = footprint_now ();
          t_warm = g_get_monotonic_time ();
        }

      /* Check the clock only now and then: it is no free call. */
      if ((n & 1023) == 0 && n > warmup &&
          (g_get_monotonic_time () - t0) / (double) G_USEC_PER_SEC >= max_seconds)
        {
          n++;
          break;
        }
    }

  end = footprint_now ();
  t_end = g_get_monotonic_time ();
  measured = n > warmup ? n - warmup : 0;
  rate = n / ((t_end - t0) / (double) G_USEC_PER_SEC);

  fds_flat = warm.fds == end.fds;
  rss_flat = end.rss <= warm.rss + RSS_SLACK_BYTES;
#if defined(__SANITIZE_ADDRESS__)
  /* AddressSanitizer's quarantine holds freed memory back on purpose:
   * resident size says nothing about leaks there (LeakSanitizer does). */
  rss_flat = TRUE;
#endif

  g_print ("samples %" G_GUINT64_FORMAT "\n", n);
  g_print ("samples_after_warmup %" G_GUINT64_FORMAT "\n", measured);
  g_print ("seconds %.1f\n", (t_end - t0) / (double) G_USEC_PER_SEC);
  g_print ("seconds_after_warmup %.1f\n", (t_end - t_warm) / (double) G_USEC_PER_SEC);
  g_print ("samples_per_second %.0f\n", rate);
  g_print ("alerts %" G_GUINT64_FORMAT "\n", alerts);
  g_print ("overruns %u\n", health_monitor_get_overruns (app) + health_monitor_get_overruns (probes));
  g_print ("fds_start %" G_GUINT64_FORMAT "\n", start.fds);
  g_print ("fds_warm %" G_GUINT64_FORMAT "\n", warm.fds);
  g_print ("fds_end %" G_GUINT64_FORMAT "\n", end.fds);
  g_print ("rss_start_kib %" G_GUINT64_FORMAT "\n", start.rss / 1024);
  g_print ("rss_warm_kib %" G_GUINT64_FORMAT "\n", warm.rss / 1024);
  g_print ("rss_end_kib %" G_GUINT64_FORMAT "\n", end.rss / 1024);
  g_print ("rss_growth_kib %" G_GINT64_FORMAT "\n", ((gint64) end.rss - (gint64) warm.rss) / 1024);

  if (measured == 0)
    {
      g_print ("result FAIL (no sample after the warm-up)\n");
      return EXIT_FAILURE;
    }
  if (!fds_flat || !rss_flat)
    {
      g_print ("result FAIL (%s%s)\n", fds_flat ? "" : "descriptors grew ",
               rss_flat ? "" : "resident size grew");
      return EXIT_FAILURE;
    }

  g_print ("result PASS\n");
  return EXIT_SUCCESS;
}
