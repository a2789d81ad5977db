/* fill-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `fill-journal PATH`: a journal as the applet would have recorded over
 * the last day, ending now, for the window's tests and README
 * screenshots: the system metrics every 10 s with a working day's shape
 * (a memory spike six hours ago, a busy processor three hours ago),
 * their alerts and recoveries, and one alert still going on.
 */

#include <math.h>

#include "health.h"
#include "health-journal-private.h"

#define STEP_US (10 * G_USEC_PER_SEC)
#define GIB     (1024.0 * 1024.0 * 1024.0)
#define TOTAL   (16 * GIB)

static void
flushed (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!health_journal_flush_finish (HEALTH_JOURNAL (object), result, &error))
    g_error ("%s", error->message);
  *(gboolean *) user_data = TRUE;
}

/* 0 outside [start, end), rising to 1 and back within it. */
static double
bump (gint64 t,
      gint64 start,
      gint64 end)
{
  if (t < start || t >= end)
    return 0;

  return sin (G_PI * (double) (t - start) / (double) (end - start));
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  gint64 now = g_get_real_time ();
  gint64 start = now - G_TIME_SPAN_DAY;
  gint64 memory_from = now - 6 * G_TIME_SPAN_HOUR, memory_to = memory_from + 12 * G_TIME_SPAN_MINUTE;
  gint64 cpu_from = now - 3 * G_TIME_SPAN_HOUR, cpu_to = cpu_from + 4 * G_TIME_SPAN_MINUTE;
  gint64 late_from = now - 40 * G_TIME_SPAN_MINUTE;
  double swap = 4;
  gboolean done = FALSE;

  if (argc != 2)
    return 2;

  journal = health_journal_new (argv[1], &error);
  if (journal == NULL)
    g_error ("%s", error->message);

  for (gint64 t = start; t <= now; t += STEP_US)
    {
      double hours = (double) (t - start) / G_TIME_SPAN_HOUR;
      double day = 0.5 - 0.5 * cos (2 * G_PI * hours / 24);
      double memory = 42 + 14 * day + g_rand_double_range (rand, -1.5, 1.5)
                      + 50 * bump (t, memory_from, memory_to)
                      + (t >= late_from ? 47 : 0);
      double cpu = 8 + 18 * day + g_rand_double_range (rand, -6, 6) + 85 * bump (t, cpu_from, cpu_to);
      double pressure = 60 * bump (t, memory_from, memory_to) + g_rand_double_range (rand, 0, 0.8);

      memory = CLAMP (memory, 0, 97);
      cpu = CLAMP (cpu, 0, 100);
      if (t >= memory_from)
        swap = MIN (swap + 0.002, 18);

      health_journal_record_sample (journal, "memory-usage", t, memory);
      health_journal_record_sample (journal, "memory-available", t, TOTAL * (1 - memory / 100));
      health_journal_record_sample (journal, "swap-usage", t, swap);
      health_journal_record_sample (journal, "cpu-usage", t, cpu);
      health_journal_record_sample (journal, "load-average", t, cpu / 80);
      health_journal_record_sample (journal, "disk-usage", t, 71 + 0.8 * hours / 24);
      health_journal_record_sample (journal, "memory-pressure", t, pressure);
      health_journal_record_sample (journal, "cpu-pressure", t, cpu / 10);
      health_journal_record_sample (journal, "io-pressure", t, g_rand_double_range (rand, 0, 2));
    }

  health_journal_record_alert (journal, "memory-usage", memory_from + 3 * G_TIME_SPAN_MINUTE,
                               HEALTH_STATUS_CRITICAL, 93.4, "firefox (4242) 9.8 GiB",
                               "Memory Usage = 93.4 % (threshold 90.0 %, increasing)");
  health_journal_record_alert (journal, "memory-usage", memory_to,
                               HEALTH_STATUS_GOOD, 55.1, NULL, "Memory Usage is back to normal");
  health_journal_record_alert (journal, "cpu-usage", cpu_from + G_TIME_SPAN_MINUTE,
                               HEALTH_STATUS_WARNING, 88.0, "cc1 (31337) 98 %",
                               "CPU Usage = 88.0 % (threshold 80.0 %, increasing)");
  health_journal_record_alert (journal, "cpu-usage", cpu_to,
                               HEALTH_STATUS_GOOD, 21.0, NULL, "CPU Usage is back to normal");
  health_journal_record_alert (journal, "memory-available", late_from + G_TIME_SPAN_MINUTE,
                               HEALTH_STATUS_WARNING, 1.8 * GIB, "firefox (4242) 11.2 GiB",
                               "Available Memory = 1.8 GiB (threshold 2.0 GiB, decreasing)");

  health_journal_flush_async (journal, NULL, flushed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  return 0;
}
