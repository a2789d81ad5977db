/* bench-journal.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * `bench-journal [--days N] [--max-size BYTES] [--batch TICKS]`: what
 * the journal costs. Writes N days (default 60) of the default metric
 * set sampled every 2 s, in simulated time, through the path the
 * monitor hook takes (health_journal_record_sample, flush), then prints
 * one JSON object: the file's size against the cap, and the CPU time
 * per sample of the main thread and of the whole process (the writer
 * thread included), for batches of --batch ticks (default 1800, an
 * hour, as after a long pause) and for the applet's own batches of one
 * tick (over one simulated hour).
 *
 * Exit status 1 when the file or its WAL ends up over what the cap
 * allows: the smoke run in `make test` checks that much.
 */

#include <math.h>
#include <stdio.h>
#include <sys/resource.h>
#include <glib/gstdio.h>

#include "health.h"
#include "health-journal-private.h"

#define TICK_US (2 * G_USEC_PER_SEC)
#define WAL_ALLOWANCE (4 * 1024 * 1024 + 64 * 1024)

static double
cpu_seconds (int who)
{
  struct rusage usage;

  getrusage (who, &usage);

  return usage.ru_utime.tv_sec + usage.ru_utime.tv_usec / 1e6 +
         usage.ru_stime.tv_sec + usage.ru_stime.tv_usec / 1e6;
}

static void
flushed (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!health_journal_flush_finish (HEALTH_JOURNAL (object), result, &error))
    g_error ("flush: %s", error->message);
  *(gboolean *) user_data = TRUE;
}

static void
flush_sync (HealthJournal *journal)
{
  gboolean done = FALSE;

  health_journal_flush_async (journal, NULL, flushed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static gint64
file_size (const char *path)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 ? (gint64) st.st_size : 0;
}

typedef struct
{
  double process_cpu;
  double main_cpu;
  double wall;
  guint64 samples;
} Cost;

/* Writes ticks [first, first + n) of every metric, flushing every
 * `batch` ticks; values are random walks within 0..100. */
static Cost
write_ticks (HealthJournal *journal,
             GPtrArray     *ids,
             double        *values,
             gint64         start_us,
             guint64        first,
             guint64        n,
             guint          batch)
{
  double process0 = cpu_seconds (RUSAGE_SELF);
  double main0 = cpu_seconds (RUSAGE_THREAD);
  gint64 wall0 = g_get_monotonic_time ();
  Cost cost = { 0 };

  for (guint64 tick = first; tick < first + n; tick++)
    {
      for (guint m = 0; m < ids->len; m++)
        {
          values[m] = CLAMP (values[m] + g_random_double_range (-2, 2), 0, 100);
          health_journal_record_sample (journal, g_ptr_array_index (ids, m),
                                        start_us + (gint64) tick * TICK_US, values[m]);
        }
      cost.samples += ids->len;

      if ((tick + 1) % batch == 0)
        flush_sync (journal);
    }
  flush_sync (journal);

  cost.process_cpu = cpu_seconds (RUSAGE_SELF) - process0;
  cost.main_cpu = cpu_seconds (RUSAGE_THREAD) - main0;
  cost.wall = (g_get_monotonic_time () - wall0) / 1e6;

  return cost;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree double *values = NULL;
  double days = 60;
  gint64 max_size = HEALTH_JOURNAL_DEFAULT_MAX_SIZE;
  int batch = 1800;
  GListModel *metrics;
  guint64 ticks, hour_ticks = 1800;
  gint64 start_us;
  Cost bulk, applet;
  gint64 size, wal_size;
  gboolean within;
  const GOptionEntry entries[] = {
    { "days", 0, 0, G_OPTION_ARG_DOUBLE, &days, "Simulated days to write (default 60)", "N" },
    { "max-size", 0, 0, G_OPTION_ARG_INT64, &max_size, "The journal's cap (default 64 MiB)", "BYTES" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Ticks per flush in the bulk run (default 1800)", "N" },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || days <= 0 || batch < 1 ||
      max_size < (gint64) HEALTH_JOURNAL_MIN_MAX_SIZE)
    {
      g_printerr ("bench-journal: %s\n", error != NULL ? error->message : "bad option");
      return 2;
    }

  /* The metrics the applet records, without sampling this machine. */
  monitor = health_monitor_new ();
  metrics = health_monitor_get_metrics (monitor);
  for (guint i = 0; i < g_list_model_get_n_items (metrics); i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      g_ptr_array_add (ids, g_strdup (health_metric_get_id (metric)));
    }
  values = g_new (double, ids->len);
  for (guint m = 0; m < ids->len; m++)
    values[m] = 50;

  dir = g_dir_make_tmp ("bench-journal-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (dir, "journal.db", NULL);
  wal = g_strconcat (path, "-wal", NULL);

  journal = health_journal_new (path, &error);
  g_assert_no_error (error);
  health_journal_set_max_size (journal, (guint64) max_size);

  ticks = (guint64) (days * 86400 * G_USEC_PER_SEC / TICK_US);
  start_us = g_get_real_time () - (gint64) (ticks + hour_ticks) * TICK_US;

  bulk = write_ticks (journal, ids, values, start_us, 0, ticks, (guint) batch);
  /* Then an hour as the applet writes: a flush per tick. */
  applet = write_ticks (journal, ids, values, start_us, ticks, hour_ticks, 1);

  size = file_size (path);
  wal_size = file_size (wal);
  g_clear_object (&journal);

  within = size <= max_size && wal_size <= WAL_ALLOWANCE && file_size (path) <= max_size;

  printf ("{\"bench\": \"journal\", \"days\": %g, \"metrics\": %u, \"interval_s\": 2,"
          " \"samples\": %" G_GUINT64_FORMAT ","
          " \"max_size_bytes\": %" G_GINT64_FORMAT ", \"file_bytes\": %" G_GINT64_FORMAT ","
          " \"wal_bytes\": %" G_GINT64_FORMAT ", \"file_bytes_after_close\": %" G_GINT64_FORMAT ","
          " \"within_cap\": %s,"
          " \"bulk_batch_ticks\": %d, \"bulk_us_per_sample\": %.3f, \"bulk_main_us_per_sample\": %.3f,"
          " \"bulk_wall_s\": %.2f,"
          " \"applet_batch_ticks\": 1, \"applet_us_per_sample\": %.3f, \"applet_main_us_per_sample\": %.3f,"
          " \"applet_us_per_tick\": %.1f}\n",
          days, ids->len, bulk.samples + applet.samples,
          max_size, size, wal_size, file_size (path),
          within ? "true" : "false",
          batch, bulk.process_cpu * 1e6 / bulk.samples, bulk.main_cpu * 1e6 / bulk.samples,
          bulk.wall,
          applet.process_cpu * 1e6 / applet.samples, applet.main_cpu * 1e6 / applet.samples,
          applet.process_cpu * 1e6 / hour_ticks);

  g_unlink (wal);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);
  g_unlink (shm);
  g_unlink (path);
  g_rmdir (dir);

  return within ? 0 : 1;
}
