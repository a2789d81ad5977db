/* test-probes-self.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The probe of the monitor's own process, the registry of all probes,
 * the culprit scan and the PSI trigger, on the fixtures in
 * tests/fixtures and on the live /proc, and their parsers on crafted
 * input.
 */

#include "config.h"

#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "probe-test-util.h"
#include "test-util.h"

/* self */

static void
test_self_debian12 (void)
{
  HealthSnapshot snapshot;
  struct rlimit limit;

  sample_fixture (&health_probe_self_class, "proc-debian12", &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_PROCESS_MEMORY], ==, 440.0 * page_size ());
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_THREAD_COUNT], ==, 1.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_OPEN_FILES], ==, 4.0);
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_PROCESS_MEMORY |
                                      HEALTH_BUILTIN_THREAD_COUNT |
                                      HEALTH_BUILTIN_OPEN_FILES);

  /* A fact of this process, whatever proc-root is. */
  g_assert_cmpint (getrlimit (RLIMIT_NOFILE, &limit), ==, 0);
  if (limit.rlim_cur != RLIM_INFINITY)
    g_assert_cmpuint (snapshot.nofile_limit, ==, limit.rlim_cur);
}

static void
test_self_garbage (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_self_class, "proc-garbage", &snapshot);
  assert_slots_nan_except (&snapshot, 0);
}

static guint
count_fd_entries (void)
{
  GDir *dir = g_dir_open ("/proc/self/fd", 0, NULL);
  guint n = 0;

  g_assert_nonnull (dir);
  while (g_dir_read_name (dir) != NULL)
    n++;
  g_dir_close (dir);

  return n;
}

static void
test_self_live (void)
{
  HealthSnapshot snapshot;
  Context context;
  HealthProbe *probe;
  int extra[3];
  double before;

  if (!g_file_test ("/proc/self/fd", G_FILE_TEST_IS_DIR))
    {
      g_test_skip ("No /proc/self/fd");
      return;
    }

  context_open (&context, "/proc");
  probe = probe_new (&health_probe_self_class, &context);
  probe_sample (probe, &context, &snapshot);

  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_THREAD_COUNT], >=, 1.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_PROCESS_MEMORY], >, 0.0);

  /* GDir's listing shows its own descriptor and the probe's, which the
   * probe leaves out of its count. */
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_OPEN_FILES], ==, count_fd_entries () - 2);

  before = snapshot.values[HEALTH_BUILTIN_ID_OPEN_FILES];
  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    extra[i] = open ("/dev/null", O_RDONLY | O_CLOEXEC);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_OPEN_FILES], ==,
                     before + G_N_ELEMENTS (extra));

  for (guint i = 0; i < G_N_ELEMENTS (extra); i++)
    close (extra[i]);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_OPEN_FILES], ==, before);

  health_probe_free (probe);
  context_clear (&context);
}

static gpointer
lock_and_unlock (gpointer data)
{
  GMutex *lock = data;

  g_mutex_lock (lock);
  g_mutex_unlock (lock);

  return NULL;
}

static void
test_self_threads_live (void)
{
  HealthSnapshot snapshot;
  Context context;
  HealthProbe *probe;
  GThread *thread;
  GMutex lock;
  double before;

  context_open (&context, "/proc");
  probe = health_probe_new (&health_probe_self_class, HEALTH_BUILTIN_THREAD_COUNT, &context.ctx);
  probe_sample (probe, &context, &snapshot);
  before = snapshot.values[HEALTH_BUILTIN_ID_THREAD_COUNT];
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_THREAD_COUNT);

  /* A thread that waits on a lock we hold. */
  g_mutex_init (&lock);
  g_mutex_lock (&lock);
  thread = g_thread_new ("waiter", lock_and_unlock, &lock);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_THREAD_COUNT], ==, before + 1);
  g_mutex_unlock (&lock);
  g_thread_join (thread);
  g_mutex_clear (&lock);

  health_probe_free (probe);
  context_clear (&context);
}

static void
test_self_stat_parse (void)
{
  static const struct
  {
    const char *text;
    guint64     utime, stime, threads;
  } good[] = {
    { "1 (a) S 0 0 0 0 -1 0 0 0 0 0 11 22 -3 0 20 -5 4 0 24 0\n", 11, 22, 4 },
    { "7 (evil) (name) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 9 0 24 0 0", 1, 2, 9 },
    { "7 (a b\nc)) R 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 3", 1, 2, 3 },
    { "7 () R 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 3\n", 1, 2, 3 },
  };
  static const char * const bad[] = {
    "",
    "7",
    "7 (a S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 3\n",
    "(a) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 3\n",
    "7 (a) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0\n",
    "7 (a) S 1 1 1 0 -1 0 0 0 0 0 -1 2 0 0 20 0 3\n",
    "7 (a) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 -3\n",
    "7 (a) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 3x\n",
    "7 (a) S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 99999999999999999999\n",
    "7 (a)  S 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 3\n",
    "7 (a) 5 1 1 1 0 -1 0 0 0 0 0 1 2 0 0 20 0 3\n",
    "7 (a) S 1 1 1 0 - 0 0 0 0 0 1 2 0 0 20 0 3\n",
  };
  const char *no_threads;
  HealthSnapshot snapshot;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      HealthPidStat pid_stat;

      g_assert_true (health_pid_stat_parse (good[i].text, strlen (good[i].text), &pid_stat));
      g_assert_cmpuint (pid_stat.utime, ==, good[i].utime);
      g_assert_cmpuint (pid_stat.stime, ==, good[i].stime);
      g_assert_cmpuint (pid_stat.num_threads, ==, good[i].threads);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      HealthPidStat pid_stat;

      g_assert_false (health_pid_stat_parse (bad[i], strlen (bad[i]), &pid_stat));
      health_snapshot_reset (&snapshot);
      g_assert_false (health_probe_self_stat_parse (bad[i], strlen (bad[i]), &snapshot));
      assert_slots_nan_except (&snapshot, 0);
    }

  /* Zero threads cannot be this process. */
  health_snapshot_reset (&snapshot);
  no_threads = "1 (a) S 0 0 0 0 -1 0 0 0 0 0 0 0 0 0 20 0 0\n";
  g_assert_false (health_probe_self_stat_parse (no_threads, strlen (no_threads), &snapshot));
}

static void
test_self_statm_parse (void)
{
  static const char * const bad[] = {
    "",
    "1 2 3 4 5 6\n",
    "1 2 3 4 5 6 7 8\n",
    "1  2 3 4 5 6 7\n",
    "1 2 3 4 5 6 7\n\n",
    "1 2 3 4 5 6 -7\n",
    "1 2 3 4 5 6 7x",
    "10 20 3 4 5 6 7\n",
    "99999999999999999999 2 3 4 5 6 7\n",
  };
  const char *huge;
  HealthSnapshot snapshot;
  guint64 pages;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      health_snapshot_reset (&snapshot);
      g_assert_false (health_probe_statm_parse (bad[i], strlen (bad[i]), 4096, &snapshot));
      assert_slots_nan_except (&snapshot, 0);
    }

  g_assert_true (health_pid_statm_parse ("30 20 3 4 5 6 7", 15, &pages));
  g_assert_cmpuint (pages, ==, 20);

  /* resident × page size must not wrap. */
  health_snapshot_reset (&snapshot);
  huge = "18446744073709551615 18446744073709551615 0 0 0 0 0\n";
  g_assert_false (health_probe_statm_parse (huge, strlen (huge), 4096, &snapshot));
  g_assert_false (health_probe_statm_parse ("3 2 0 0 0 0 0\n", 14, 0, &snapshot));
  g_assert_true (health_probe_statm_parse ("3 2 0 0 0 0 0\n", 14, 4096, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_PROCESS_MEMORY], ==, 8192.0);
}

/* Appends one linux_dirent64 record. */
static void
append_dirent (GByteArray *buf,
               const char *name,
               guint16     reclen)
{
  guint8 header[19] = { 0 };
  gsize start = buf->len;

  memcpy (header + 16, &reclen, sizeof reclen);
  g_byte_array_append (buf, header, sizeof header);
  g_byte_array_append (buf, (const guint8 *) name, strlen (name) + 1);
  while (buf->len < start + reclen)
    g_byte_array_append (buf, (const guint8 *) "", 1);
}

static void
test_self_dirents (void)
{
  g_autoptr (GByteArray) buf = g_byte_array_new ();
  guint64 count;

  append_dirent (buf, ".", 24);
  append_dirent (buf, "..", 24);
  append_dirent (buf, "0", 24);
  append_dirent (buf, "1", 24);
  append_dirent (buf, "17", 24);
  append_dirent (buf, "170", 24);

  g_assert_true (health_probe_dirents_count ((const char *) buf->data, buf->len, -1, &count));
  g_assert_cmpuint (count, ==, 4);
  g_assert_true (health_probe_dirents_count ((const char *) buf->data, buf->len, 17, &count));
  g_assert_cmpuint (count, ==, 3);
  g_assert_true (health_probe_dirents_count ((const char *) buf->data, 0, -1, &count));
  g_assert_cmpuint (count, ==, 0);

  /* Cut in a record, a record longer than the buffer, too short to
   * hold a name, a name without its NUL, an empty name. */
  g_assert_false (health_probe_dirents_count ((const char *) buf->data, buf->len - 1, -1, &count));
  g_assert_false (health_probe_dirents_count ((const char *) buf->data, 10, -1, &count));

  g_byte_array_set_size (buf, 0);
  append_dirent (buf, "0", 19);
  g_assert_false (health_probe_dirents_count ((const char *) buf->data, buf->len, -1, &count));

  g_byte_array_set_size (buf, 0);
  append_dirent (buf, "12345", 24);
  memset (buf->data + 19, 'x', 5);
  g_assert_false (health_probe_dirents_count ((const char *) buf->data, buf->len, -1, &count));

  g_byte_array_set_size (buf, 0);
  append_dirent (buf, "", 24);
  g_assert_false (health_probe_dirents_count ((const char *) buf->data, buf->len, -1, &count));
}

static void
test_pid_io_status_parse (void)
{
  const char *io = "rchar: 1\nwchar: 2\nread_bytes: 300\nwrite_bytes: 4000\n"
                   "cancelled_write_bytes: 7\n";
  const char *huge = "read_bytes: 18446744073709551615\nwrite_bytes: 1\n";
  const char *status = "Name:\tx\nVmRSS:\t 12 kB\nVmSwap:\t     3 kB\nThreads:\t1\n";
  guint64 bytes;

  g_assert_true (health_pid_io_parse (io, strlen (io), &bytes));
  g_assert_cmpuint (bytes, ==, 4300);
  g_assert_false (health_pid_io_parse ("read_bytes: 1\n", 14, &bytes));
  g_assert_false (health_pid_io_parse ("read_bytes: 1x\nwrite_bytes: 1\n", 30, &bytes));
  g_assert_false (health_pid_io_parse (huge, strlen (huge), &bytes));

  g_assert_true (health_pid_status_swap_parse (status, strlen (status), &bytes));
  g_assert_cmpuint (bytes, ==, 3 * KiB);
  g_assert_false (health_pid_status_swap_parse ("Name:\tx\n", 8, &bytes));
  g_assert_false (health_pid_status_swap_parse ("VmSwap:\t 3 MB\n", 14, &bytes));
  g_assert_false (health_pid_status_swap_parse ("VmSwap:\t 18014398509481984 kB\n", 30, &bytes));
}

/* The registry */

static void
test_registry (void)
{
  const HealthProbeClass * const *classes;
  HealthBuiltin seen = 0;
  guint n_classes;

  classes = health_probe_get_classes (&n_classes);
  g_assert_cmpuint (n_classes, >=, 6);

  /* Every /proc-backed metric comes from exactly one probe. */
  for (guint i = 0; i < n_classes; i++)
    {
      g_assert_nonnull (classes[i]->name);
      g_assert_nonnull (classes[i]->sample);
      g_assert_cmpuint (classes[i]->instance_size, >=, sizeof (HealthProbe));
      g_assert_cmpuint (seen & classes[i]->provides, ==, 0);
      seen |= classes[i]->provides;
    }

  g_assert_cmpuint (seen, ==,
                    HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_MEMORY_AVAILABLE |
                    HEALTH_BUILTIN_SWAP_USAGE | HEALTH_BUILTIN_CPU_USAGE |
                    HEALTH_BUILTIN_LOAD_AVERAGE | HEALTH_BUILTIN_DISK_USAGE |
                    HEALTH_BUILTIN_MEMORY_PRESSURE | HEALTH_BUILTIN_CPU_PRESSURE |
                    HEALTH_BUILTIN_IO_PRESSURE | HEALTH_BUILTIN_PROCESS_MEMORY |
                    HEALTH_BUILTIN_THREAD_COUNT | HEALTH_BUILTIN_OPEN_FILES);
}

static void
run_all_probes (Context        *context,
                HealthSnapshot *snapshot,
                guint           n_samples)
{
  const HealthProbeClass * const *classes;
  guint n_classes;

  classes = health_probe_get_classes (&n_classes);
  health_snapshot_reset (snapshot);

  for (guint i = 0; i < n_classes; i++)
    {
      HealthProbe *probe = probe_new (classes[i], context);

      for (guint j = 0; j < n_samples; j++)
        classes[i]->sample (probe, &context->ctx, snapshot);
      health_probe_free (probe);
    }
}

static void
test_registry_garbage (void)
{
  HealthSnapshot snapshot;
  Context context;

  context_open_fixture (&context, "proc-garbage");
  run_all_probes (&context, &snapshot, 3);
  assert_slots_nan_except (&snapshot, 0);
  g_assert_cmpuint (snapshot.mem_total_bytes, ==, 0);
  context_clear (&context);
}

static void
test_registry_empty (void)
{
  g_autofree char *root = make_tmp_root ();
  HealthSnapshot snapshot;
  Context context;

  context_open (&context, root);
  run_all_probes (&context, &snapshot, 2);
  assert_slots_nan_except (&snapshot, 0);
  context_clear (&context);

  /* No proc-root at all. */
  context.ctx.proc_fd = -1;
  context.ctx.proc_root = NULL;
  context.ctx.disk_path = NULL;
  context.root = NULL;
  run_all_probes (&context, &snapshot, 2);
  assert_slots_nan_except (&snapshot, 0);

  test_remove_tree (root);
}

static void
test_registry_live (void)
{
  HealthSnapshot snapshot;
  Context context;

  if (!g_file_test ("/proc/meminfo", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No /proc");
      return;
    }

  context_open (&context, "/proc");
  context.ctx.disk_path = "/";
  run_all_probes (&context, &snapshot, 2);

  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_USAGE], >, 0.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_USAGE], <, 100.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_LOAD_AVERAGE], >=, 0.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_THREAD_COUNT], >=, 1.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_OPEN_FILES], >=, 3.0);
  g_assert_cmpuint (snapshot.mem_total_bytes, >, 0);
  g_assert_cmpuint (snapshot.nofile_limit, >, 0);

  context_clear (&context);
}

/* Culprits */

static void
assert_culprit (const char        *fixture,
                HealthCulpritKind  kind,
                const char        *expected)
{
  char out[HEALTH_CULPRIT_MAX];
  Context context;
  gboolean found;

  context_open_fixture (&context, fixture);
  found = health_culprit_find (&context.ctx, kind, out, sizeof out);
  context_clear (&context);

  if (expected == NULL)
    {
      g_assert_false (found);
      g_assert_cmpstr (out, ==, "");
    }
  else
    {
      g_assert_true (found);
      g_assert_cmpstr (out, ==, expected);
    }
}

static void
test_culprit_memory95 (void)
{
  g_autofree char *hog_rss = g_format_size_full (786432 * page_size (), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *expected = g_strdup_printf ("hog (200) %s", hog_rss);
  g_autofree char *swap = g_format_size_full (GiB, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *expected_swap = g_strdup_printf ("evil) (name (100) %s swapped", swap);
  g_autofree char *io = g_format_size_full (3 * GiB, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *expected_io = g_strdup_printf ("hog (200) %s read and written in total", io);

  assert_culprit ("proc-memory95", HEALTH_CULPRIT_MEMORY, expected);
  assert_culprit ("proc-memory95", HEALTH_CULPRIT_SWAP, expected_swap);
  /* Nothing moves in a fixture: the largest total, said as such. With
   * the usual USER_HZ of 100, 120000 ticks are 20 minutes. */
  if (sysconf (_SC_CLK_TCK) == 100)
    assert_culprit ("proc-memory95", HEALTH_CULPRIT_CPU, "hog (200) 20 min CPU in total");
  assert_culprit ("proc-memory95", HEALTH_CULPRIT_IO, expected_io);
}

static void
test_culprit_debian12 (void)
{
  g_autofree char *rss = g_format_size_full (2905 * page_size (), G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *expected = g_strdup_printf ("process_api (1) %s", rss);
  g_autofree char *io = g_format_size_full (725946368 + 117092352, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *expected_io = g_strdup_printf ("bash (1186) %s read and written in total", io);

  assert_culprit ("proc-debian12", HEALTH_CULPRIT_MEMORY, expected);
  assert_culprit ("proc-debian12", HEALTH_CULPRIT_IO, expected_io);
  /* No swap in use anywhere: nobody to blame. */
  assert_culprit ("proc-debian12", HEALTH_CULPRIT_SWAP, NULL);
  if (sysconf (_SC_CLK_TCK) == 100)
    assert_culprit ("proc-debian12", HEALTH_CULPRIT_CPU, "process_api (1) 3 s CPU in total");
}

static void
test_culprit_garbage (void)
{
  assert_culprit ("proc-garbage", HEALTH_CULPRIT_MEMORY, NULL);
  assert_culprit ("proc-garbage", HEALTH_CULPRIT_SWAP, NULL);
  assert_culprit ("proc-garbage", HEALTH_CULPRIT_CPU, NULL);
  assert_culprit ("proc-garbage", HEALTH_CULPRIT_IO, NULL);
  /* No numeric directory at all. */
  assert_culprit ("proc-noswap", HEALTH_CULPRIT_MEMORY, NULL);
}

static void
test_culprit_utf8 (void)
{
  g_autofree char *root = make_tmp_root ();
  char out[HEALTH_CULPRIT_MAX];
  char small[12];
  Context context;

  /* comm is whatever the process wrote there: invalid UTF-8 and
   * control characters come out as valid, printable text. */
  write_in_place (root, "42/comm", "\xc3\xa9t\xff\x1b[31m\n");
  write_in_place (root, "42/statm", "300 200 0 0 0 0 0\n");
  context_open (&context, root);

  g_assert_true (health_culprit_find (&context.ctx, HEALTH_CULPRIT_MEMORY, out, sizeof out));
  g_assert_true (g_utf8_validate (out, -1, NULL));
  g_assert_true (g_str_has_prefix (out, "\xc3\xa9t\xef\xbf\xbd\xef\xbf\xbd[31m (42) "));

  /* Cut at a character boundary: "ét" is 3 bytes, U+FFFD 3 more. */
  g_assert_true (health_culprit_find (&context.ctx, HEALTH_CULPRIT_MEMORY, small, 5));
  g_assert_cmpstr (small, ==, "\xc3\xa9t");
  g_assert_true (health_culprit_find (&context.ctx, HEALTH_CULPRIT_MEMORY, small, 7));
  g_assert_cmpstr (small, ==, "\xc3\xa9t\xef\xbf\xbd");
  g_assert_false (health_culprit_find (&context.ctx, HEALTH_CULPRIT_MEMORY, small, 2));
  g_assert_cmpstr (small, ==, "");

  context_clear (&context);
  test_remove_tree (root);
}

/* A process names itself: what a terminal or a renderer would obey
 * rather than show never reaches an alert. */
static void
test_culprit_controls (void)
{
  g_autofree char *root = make_tmp_root ();
  char out[HEALTH_CULPRIT_MAX];
  Context context;

  /* OSC title, C1 CSI (U+009B), a right-to-left override, a tab. */
  write_in_place (root, "42/comm", "\033]0;pwned\a\xc2\x9b" "2J\xe2\x80\xae" "gpj.sh\tx\n");
  write_in_place (root, "42/statm", "300 200 0 0 0 0 0\n");
  context_open (&context, root);

  g_assert_true (health_culprit_find (&context.ctx, HEALTH_CULPRIT_MEMORY, out, sizeof out));
  g_assert_true (g_str_has_prefix (out, "\xef\xbf\xbd]0;pwned\xef\xbf\xbd\xef\xbf\xbd" "2Jgpj.sh x (42) "));

  context_clear (&context);
  test_remove_tree (root);
}

static void
test_culprit_live (void)
{
  char out[HEALTH_CULPRIT_MAX];
  Context context;
  gint64 start;

  if (!g_file_test ("/proc/self/statm", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No /proc");
      return;
    }

  context_open (&context, "/proc");

  /* We at least have memory. */
  start = g_get_monotonic_time ();
  g_assert_true (health_culprit_find (&context.ctx, HEALTH_CULPRIT_MEMORY, out, sizeof out));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1 * G_USEC_PER_SEC);
  g_test_message ("memory culprit: %s", out);

  /* Two reads 100 ms apart, within the 200 ms budget (plus slack for a
   * loaded test machine). */
  start = g_get_monotonic_time ();
  g_assert_true (health_culprit_find (&context.ctx, HEALTH_CULPRIT_CPU, out, sizeof out));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 100 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 1 * G_USEC_PER_SEC);
  g_test_message ("CPU culprit: %s", out);

  context_clear (&context);
}

/* PSI trigger */

static void
test_psi_trigger_fixture (void)
{
  g_autofree char *fixture = test_fixture_root ("proc-debian12");
  g_autofree char *path = g_build_filename (fixture, "pressure", "memory", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *root = make_tmp_root ();
  Context context;
  int fd;

  g_assert_true (g_file_get_contents (path, &before, NULL, NULL));

  /* A plain file, even a writable one, is no kernel trigger and is left
   * as it was. */
  write_in_place (root, "pressure/memory", before);
  context_open (&context, root);
  fd = health_psi_trigger_open (&context.ctx, 150000, 2000000, &error);
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED);
  g_assert_cmpint (fd, ==, -1);
  context_clear (&context);

  g_clear_pointer (&path, g_free);
  path = g_build_filename (root, "pressure", "memory", NULL);
  g_assert_true (g_file_get_contents (path, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_clear_error (&error);

  /* No pressure/ at all. */
  context_open_fixture (&context, "proc-nopsi");
  fd = health_psi_trigger_open (&context.ctx, 150000, 2000000, &error);
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED);
  g_assert_cmpint (fd, ==, -1);
  context_clear (&context);

  test_remove_tree (root);
}

/* proc-root is the app's, or HEALTH_PROC_ROOT's: whatever its name,
 * what the library logs or reports about it is safe to show. */
static void
test_proc_root_named_with_controls (void)
{
  g_autofree char *root = make_tmp_root ();
  g_autofree char *odd = g_build_filename (root, "x\033]0;pwned\a", NULL);
  g_autofree char *missing = g_build_filename (odd, "missing", NULL);
  g_autoptr (GError) error = NULL;
  HealthWorker *worker;
  Context context;
  int fd;

  g_assert_cmpint (g_mkdir (odd, 0700), ==, 0);
  context_open (&context, odd);
  fd = health_psi_trigger_open (&context.ctx, 150000, 2000000, &error);
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED);
  g_assert_cmpint (fd, ==, -1);
  g_assert_nonnull (strstr (error->message, "/x\xef\xbf\xbd]0;pwned\xef\xbf\xbd/pressure/memory"));
  g_assert_null (strchr (error->message, '\033'));
  context_clear (&context);

  g_test_expect_message ("Health", G_LOG_LEVEL_DEBUG,
                         "Cannot open */x\xef\xbf\xbd]0;pwned\xef\xbf\xbd/missing (*");
  worker = health_worker_new (missing, HEALTH_BUILTIN_DEFAULT);
  g_test_assert_expected_messages ();
  health_worker_unref (worker);

  test_remove_tree (root);
}

static void
test_psi_trigger_live (void)
{
  g_autoptr (GError) error = NULL;
  struct pollfd pfd;
  Context context;
  int fd;

  if (!g_file_test ("/proc/pressure/memory", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No PSI on this kernel");
      return;
    }

  context_open (&context, "/proc");
  fd = health_psi_trigger_open (&context.ctx, 150000, 2000000, &error);
  context_clear (&context);

  if (fd < 0)
    {
      /* Kernels before 6.5 refuse unprivileged triggers. */
      g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED);
      g_test_skip (error->message);
      return;
    }

  g_assert_no_error (error);

  /* A live trigger polls; it fires only under real memory pressure. */
  pfd.fd = fd;
  pfd.events = POLLPRI;
  g_assert_cmpint (poll (&pfd, 1, 0), >=, 0);
  g_assert_cmpint (pfd.revents & (POLLERR | POLLNVAL), ==, 0);
  close (fd);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probes/self/debian12", test_self_debian12);
  g_test_add_func ("/probes/self/garbage", test_self_garbage);
  g_test_add_func ("/probes/self/live", test_self_live);
  g_test_add_func ("/probes/self/threads-live", test_self_threads_live);
  g_test_add_func ("/probes/self/stat-parse", test_self_stat_parse);
  g_test_add_func ("/probes/self/statm-parse", test_self_statm_parse);
  g_test_add_func ("/probes/self/dirents", test_self_dirents);
  g_test_add_func ("/probes/self/pid-io-status-parse", test_pid_io_status_parse);

  g_test_add_func ("/probes/registry/classes", test_registry);
  g_test_add_func ("/probes/registry/garbage", test_registry_garbage);
  g_test_add_func ("/probes/registry/empty", test_registry_empty);
  g_test_add_func ("/probes/registry/live", test_registry_live);

  g_test_add_func ("/probes/culprit/memory95", test_culprit_memory95);
  g_test_add_func ("/probes/culprit/debian12", test_culprit_debian12);
  g_test_add_func ("/probes/culprit/garbage", test_culprit_garbage);
  g_test_add_func ("/probes/culprit/utf8", test_culprit_utf8);
  g_test_add_func ("/probes/culprit/controls", test_culprit_controls);
  g_test_add_func ("/probes/culprit/live", test_culprit_live);

  g_test_add_func ("/probes/psi-trigger/fixture", test_psi_trigger_fixture);
  g_test_add_func ("/probes/psi-trigger/live", test_psi_trigger_live);
  g_test_add_func ("/probes/proc-root/named-with-controls", test_proc_root_named_with_controls);

  return g_test_run ();
}
