/* test-journal.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "health.h"
#include "health-clock-private.h"
#include "health-journal-private.h"
#include "test-util.h"

#define MINUTE_US (G_GINT64_CONSTANT (60) * G_USEC_PER_SEC)
#define HOUR_US   (60 * MINUTE_US)
#define DAY_US    (24 * HOUR_US)

/* This program, to run again as the crash test's writer: argv[0] rather
 * than /proc/self/exe, which is valgrind under `--setup valgrind`. */
static const char *test_program;

static gint64
now_us (void)
{
  HealthTime now;

  health_clock_now (&now);

  return now.real_us;
}

static char *
temp_journal_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "health-monitor", "journal.db", NULL);
}

static void
async_done (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static GAsyncResult *
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);

  return *result;
}

static void
flush_sync (HealthJournal *journal)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  health_journal_flush_async (journal, NULL, async_done, &result);
  g_assert_true (health_journal_flush_finish (journal, wait_for (&result), &error));
  g_assert_no_error (error);
}

static GPtrArray *
query_sync (HealthJournal *journal,
            const char    *metric_id,
            gint64         from_us,
            gint64         to_us,
            guint          max_points,
            GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  health_journal_query_async (journal, metric_id, from_us, to_us, max_points, NULL, async_done, &result);

  return health_journal_query_finish (journal, wait_for (&result), error);
}

static gint64
count_rows (const char *path,
            const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT COUNT (*) FROM %s", table);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 count = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    count = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return count;
}

/* Three days of one metric every 2 s, a sawtooth 0..29 over a minute. */
static HealthJournal *
journal_with_three_days (char **path)
{
  g_autoptr(GError) error = NULL;
  HealthJournal *journal;

  *path = temp_journal_path ();
  journal = health_journal_new (*path, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < 3 * 24 * 1800; i++)
    {
      health_journal_record_sample (journal, "cpu", now_us (), i % 30);
      if (i % 1800 == 1799)
        flush_sync (journal);
      test_clock_advance (2);
    }
  test_clock_advance (-2);
  flush_sync (journal);

  return journal;
}

static void
assert_envelope (GPtrArray *points)
{
  for (guint i = 0; i < points->len; i++)
    {
      HealthJournalPoint *p = g_ptr_array_index (points, i);

      g_assert_cmpfloat (p->min, <=, p->mean);
      g_assert_cmpfloat (p->mean, <=, p->max);
      if (i > 0)
        g_assert_cmpint (p->time_us, >, ((HealthJournalPoint *) g_ptr_array_index (points, i - 1))->time_us);
    }
}

static void
test_journal_tiers (void)
{
  g_autofree char *path = NULL;
  g_autoptr(HealthJournal) journal = journal_with_three_days (&path);
  g_autoptr(GPtrArray) hour = NULL, day = NULL, month = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = now_us ();

  /* Raw samples only for the last hour. */
  g_assert_cmpint (count_rows (path, "raw"), <=, 1801);
  g_assert_cmpint (count_rows (path, "raw"), >=, 1799);
  g_assert_cmpint (count_rows (path, "minute"), <=, 2 * 24 * 60 + 1);
  g_assert_cmpint (count_rows (path, "quarter"), <=, 3 * 24 * 4 + 1);

  hour = query_sync (journal, "cpu", now - HOUR_US, now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hour->len, >=, 1799);
  g_assert_cmpuint (hour->len, <=, 1801);
  for (guint i = 0; i < hour->len; i++)
    {
      HealthJournalPoint *p = g_ptr_array_index (hour, i);

      g_assert_cmpfloat (p->min, ==, p->max);
    }

  day = query_sync (journal, "cpu", now - DAY_US, now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (day->len, >=, 24 * 60 - 1);
  g_assert_cmpuint (day->len, <=, 24 * 60 + 1);
  /* A whole minute is a whole sawtooth. */
  {
    HealthJournalPoint *p = g_ptr_array_index (day, 10);

    g_assert_cmpint (p->time_us % MINUTE_US, ==, 0);
    g_assert_cmpfloat (p->min, ==, 0);
    g_assert_cmpfloat (p->max, ==, 29);
    g_assert_cmpfloat_with_epsilon (p->mean, 14.5, 1e-9);
  }

  month = query_sync (journal, "cpu", now - 30 * DAY_US, now, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (month->len, >=, 3 * 24 * 4 - 1);
  g_assert_cmpuint (month->len, <=, 3 * 24 * 4 + 1);
  g_assert_cmpint (((HealthJournalPoint *) g_ptr_array_index (month, 1))->time_us % (15 * MINUTE_US), ==, 0);
  assert_envelope (month);
}

static void
test_journal_max_points (void)
{
  g_autofree char *path = NULL;
  g_autoptr(HealthJournal) journal = journal_with_three_days (&path);
  gint64 now = now_us ();
  const struct { gint64 span; guint max_points; } ranges[] = {
    { HOUR_US, 50 },
    { DAY_US, 100 },
    { 30 * DAY_US, 60 },
  };

  for (guint r = 0; r < G_N_ELEMENTS (ranges); r++)
    {
      g_autoptr(GPtrArray) points = NULL;
      g_autoptr(GError) error = NULL;
      guint full = 0;

      points = query_sync (journal, "cpu", now - ranges[r].span, now, ranges[r].max_points, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (points->len, <=, ranges[r].max_points);
      g_assert_cmpuint (points->len, >=, ranges[r].max_points / 30);
      assert_envelope (points);

      /* Each span holds a whole sawtooth: the envelope, not a sample. */
      for (guint i = 0; i < points->len; i++)
        {
          HealthJournalPoint *p = g_ptr_array_index (points, i);

          if (p->min == 0 && p->max == 29)
            full++;
        }
      g_assert_cmpuint (full, >=, points->len - 2);
    }
}

static void
test_journal_unknown_metric (void)
{
  g_autofree char *path = temp_journal_path ();
  g_autoptr(HealthJournal) journal = health_journal_new (path, NULL);
  g_autoptr(GPtrArray) points = NULL;
  g_autoptr(GError) error = NULL;

  health_journal_record_sample (journal, "cpu", now_us (), 1);
  flush_sync (journal);

  points = query_sync (journal, "no-such-metric", 0, now_us (), 0, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (points);
}

static void
test_journal_monitor_hook (void)
{
  g_autofree char *path = temp_journal_path ();
  g_autoptr(HealthJournal) journal = health_journal_new (path, NULL);
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) metric = health_metric_new ("answer", "Answer", "%", HEALTH_DIRECTION_ABOVE, 50, 60);
  g_autoptr(GPtrArray) points = NULL;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = now_us ();
  double value = 10;

  g_assert_true (health_monitor_add_sampled_metric (monitor, metric, (HealthSampleFunc) test_read_double, &value, NULL));
  health_monitor_set_journal (monitor, journal);
  g_assert_true (health_monitor_get_journal (monitor) == journal);

  test_sample_sync (monitor);
  test_clock_advance (2);
  value = 95;
  test_sample_sync (monitor);
  test_clock_advance (2);
  value = 12;
  test_sample_sync (monitor);
  flush_sync (journal);

  points = query_sync (journal, "answer", start, now_us (), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 3);
  g_assert_cmpfloat (((HealthJournalPoint *) g_ptr_array_index (points, 1))->mean, ==, 95);

  health_journal_query_alerts_async (journal, start, now_us (), NULL, async_done, &result);
  alerts = health_journal_query_alerts_finish (journal, wait_for (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (alerts->len, ==, 2);
  {
    HealthJournalAlert *alert = g_ptr_array_index (alerts, 0);
    HealthJournalAlert *recovery = g_ptr_array_index (alerts, 1);

    g_assert_cmpstr (alert->metric_id, ==, "answer");
    g_assert_cmpint (alert->status, ==, HEALTH_STATUS_CRITICAL);
    g_assert_cmpfloat (alert->value, ==, 95);
    g_assert_nonnull (alert->message);
    g_assert_cmpint (recovery->status, ==, HEALTH_STATUS_GOOD);
    g_assert_cmpfloat (recovery->value, ==, 12);
  }

  /* Detached, nothing more is recorded. */
  health_monitor_set_journal (monitor, NULL);
  g_assert_null (health_monitor_get_journal (monitor));
  test_clock_advance (2);
  test_sample_sync (monitor);
  flush_sync (journal);
  g_clear_pointer (&points, g_ptr_array_unref);
  points = query_sync (journal, "answer", start, now_us (), 0, &error);
  g_assert_cmpuint (points->len, ==, 3);
}

static void
test_journal_size_cap (void)
{
  g_autofree char *path = temp_journal_path ();
  g_autoptr(HealthJournal) journal = health_journal_new (path, NULL);
  const guint64 cap = 256 * 1024;
  g_autoptr(GPtrArray) points = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  health_journal_set_max_size (journal, cap);
  g_assert_cmpuint (health_journal_get_max_size (journal), ==, cap);

  /* Two hours of 30 metrics: some 3 MB of raw samples alone. */
  for (guint i = 0; i < 3600; i++)
    {
      for (guint m = 0; m < 30; m++)
        {
          char id[16];

          g_snprintf (id, sizeof id, "metric-%u", m);
          health_journal_record_sample (journal, id, now_us (), g_random_double ());
        }
      test_clock_advance (2);

      if (i % 150 == 149)
        {
          flush_sync (journal);
          g_assert_cmpint (g_stat (path, &st), ==, 0);
          g_assert_cmpint (st.st_size, <=, (gint64) cap);
        }
    }
  flush_sync (journal);
  g_clear_object (&journal);

  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, (gint64) cap);
  g_assert_cmpint (st.st_size, >, (gint64) cap / 4);

  /* What is kept is the newest. */
  journal = health_journal_new_read_only (path, &error);
  g_assert_no_error (error);
  points = query_sync (journal, "metric-7", now_us () - MINUTE_US, now_us (), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, >=, 10);

  /* Lowering the cap shrinks the file. */
  g_clear_object (&journal);
  journal = health_journal_new (path, &error);
  health_journal_set_max_size (journal, 128 * 1024);
  flush_sync (journal);
  g_clear_object (&journal);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_size, <=, 128 * 1024);
}

static void
assert_moved_aside (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".corrupt-", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  guint found = 0;

  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, prefix) && !g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm"))
      found++;

  g_assert_cmpuint (found, ==, 1);
}

static void
assert_fresh_journal_works (HealthJournal *journal)
{
  g_autoptr(GPtrArray) points = NULL;
  g_autoptr(GError) error = NULL;

  health_journal_record_sample (journal, "cpu", now_us (), 3);
  flush_sync (journal);
  points = query_sync (journal, "cpu", now_us () - HOUR_US, now_us (), 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 1);
}

static void
test_journal_corrupt_garbage (void)
{
  g_autofree char *path = temp_journal_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *garbage = g_strnfill (8192, 'x');
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));

  /* Read-only: an error, and the file left alone. */
  journal = health_journal_new_read_only (path, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_null (journal);
  g_clear_error (&error);

  g_test_expect_message ("Health", G_LOG_LEVEL_WARNING, "*moved aside*");
  journal = health_journal_new (path, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  assert_moved_aside (path);
  assert_fresh_journal_works (journal);
}

static void
test_journal_corrupt_foreign (void)
{
  g_autofree char *path = temp_journal_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE raw (x); INSERT INTO raw VALUES (1);", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_test_expect_message ("Health", G_LOG_LEVEL_WARNING, "*not a health-monitor journal*");
  journal = health_journal_new (path, &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  assert_moved_aside (path);
  assert_fresh_journal_works (journal);
}

static void
test_journal_missing_read_only (void)
{
  g_autofree char *path = temp_journal_path ();
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GError) error = NULL;

  journal = health_journal_new_read_only (path, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_null (journal);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

/* The child of the crash test: records and flushes for ever, saying on
 * stdout how many samples are on disk; the parent kills it. */
static int
crash_writer (const char *path)
{
  g_autoptr(HealthJournal) journal = health_journal_new (path, NULL);
  gint64 start = g_get_real_time ();

  for (guint i = 0;; i++)
    {
      health_journal_record_sample (journal, "seq", start + i * 1000, i);
      if (i % 500 == 499)
        {
          flush_sync (journal);
          printf ("%u\n", i + 1);
          fflush (stdout);
        }
    }

  return 0;
}

static void
test_journal_crash (void)
{
  g_autofree char *path = temp_journal_path ();
  g_autoptr(GSubprocess) child = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GPtrArray) points = NULL;
  g_autoptr(GError) error = NULL;
  guint flushed = 0;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error,
                            test_program, "--crash-writer", path, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

  while (flushed < 20000)
    {
      g_autofree char *line = g_data_input_stream_read_line (lines, NULL, NULL, &error);

      g_assert_no_error (error);
      g_assert_nonnull (line);
      flushed = (guint) g_ascii_strtoull (line, NULL, 10);
    }

  /* Mid-write: the writer thread is busy with the next batch. */
  g_subprocess_send_signal (child, SIGKILL);
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_if_signaled (child));
  g_assert_cmpint (g_subprocess_get_term_sig (child), ==, SIGKILL);

  /* No warning: the file is intact, and holds all that was flushed, in
   * order, without a gap. */
  journal = health_journal_new (path, &error);
  g_assert_no_error (error);
  points = query_sync (journal, "seq", 0, G_MAXINT64, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, >=, flushed);
  for (guint i = 0; i < points->len; i++)
    g_assert_cmpfloat (((HealthJournalPoint *) g_ptr_array_index (points, i))->mean, ==, i);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 3 && g_str_equal (argv[1], "--crash-writer"))
    return crash_writer (argv[2]);

  test_program = argv[0];
  test_init (&argc, &argv);

  g_test_add_func ("/journal/tiers", test_journal_tiers);
  g_test_add_func ("/journal/query/max-points", test_journal_max_points);
  g_test_add_func ("/journal/query/unknown-metric", test_journal_unknown_metric);
  g_test_add_func ("/journal/monitor-hook", test_journal_monitor_hook);
  g_test_add_func ("/journal/size-cap", test_journal_size_cap);
  g_test_add_func ("/journal/corrupt/garbage", test_journal_corrupt_garbage);
  g_test_add_func ("/journal/corrupt/foreign", test_journal_corrupt_foreign);
  g_test_add_func ("/journal/read-only/missing", test_journal_missing_read_only);
  g_test_add_func ("/journal/crash", test_journal_crash);

  return g_test_run ();
}
