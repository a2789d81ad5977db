/* test-probes.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The probes of the machine (meminfo, stat, loadavg, disk, pressure),
 * run through their classes on the fixtures in tests/fixtures (and on
 * the live /proc where a figure can be checked independently), and
 * their parsers on crafted input.
 */

#include "config.h"

#include <math.h>
#include <unistd.h>

#include "probe-test-util.h"
#include "test-util.h"

/* Shared parsing */

static void
test_parse_double (void)
{
  static const struct
  {
    const char *text;
    double      value;
    gsize       consumed;
  } good[] = {
    { "0.00", 0.0, 4 },
    { "12.34 x", 12.34, 5 },
    { "0.09", 0.09, 4 },
    { "100.00", 100.0, 6 },
    { "  7", 7.0, 3 },
    { "-1.5", -1.5, 4 },
    { "3.14159265358979323846264338327950288", 3.141592653589793, 37 },
    { "9007199254740992", 9007199254740992.0, 16 },
  };
  static const char * const bad[] = {
    "", " ", "-", ".5", "1.", "1.x", "x1", "9007199254740993", "99999999999999999999999",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      const char *pos = good[i].text;
      double value;

      g_assert_true (health_parse_double (&pos, pos + strlen (pos), &value));
      /* Exactly what strtod() gives, not merely close. */
      g_assert_cmpfloat (value, ==, good[i].value);
      g_assert_cmpuint (pos - good[i].text, ==, good[i].consumed);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      const char *pos = bad[i];
      double value;

      g_assert_false (health_parse_double (&pos, pos + strlen (pos), &value));
      g_assert_true (pos == bad[i]);
    }
}

/* meminfo */

static void
test_meminfo_debian12 (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_meminfo_class, "proc-debian12", &snapshot);

  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_USAGE], ==,
                     100.0 * (double) ((24684096 - 24342136) * KiB) / (double) (24684096 * KiB));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_AVAILABLE], ==, 24342136.0 * KiB);
  g_assert_cmpuint (snapshot.mem_total_bytes, ==, 24684096 * KiB);
  /* This machine has no swap: 0 % of none, said so, not unknown. */
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_SWAP_USAGE], ==, 0.0);
  g_assert_cmpint (snapshot.swap_present, ==, 0);
  assert_slots_nan_except (&snapshot,
                           HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_MEMORY_AVAILABLE |
                           HEALTH_BUILTIN_SWAP_USAGE);
}

static void
test_meminfo_memory95 (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_meminfo_class, "proc-memory95", &snapshot);

  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_USAGE], ==, 95.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_AVAILABLE], ==, 50000.0 * KiB);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_SWAP_USAGE], ==, 75.0);
  g_assert_cmpuint (snapshot.mem_total_bytes, ==, 1000000 * KiB);
}

static void
test_meminfo_noswap (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_meminfo_class, "proc-noswap", &snapshot);

  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_USAGE], ==, 25.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_AVAILABLE], ==, 6000000.0 * KiB);
  /* No swap is a fact, not a failure: 0 % used, and said so. */
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_SWAP_USAGE], ==, 0.0);
  g_assert_cmpint (snapshot.swap_present, ==, 0);
}

static void
test_meminfo_nomemavailable (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_meminfo_class, "proc-nomemavailable", &snapshot);

  /* free + buffers + cached + SReclaimable - Shmem */
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_AVAILABLE], ==,
                     (1048576.0 + 262144 + 786432 + 131072 - 65536) * KiB);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_USAGE], ==, 48.4375);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_SWAP_USAGE], ==, 25.0);
}

static void
test_meminfo_garbage (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_meminfo_class, "proc-garbage", &snapshot);

  assert_slots_nan_except (&snapshot, 0);
  g_assert_cmpuint (snapshot.mem_total_bytes, ==, 0);
}

static void
test_meminfo_overflow (void)
{
  /* Each field fits in bytes; their sum would not, and must not wrap
   * into a plausible figure. */
  static const char text[] =
    "MemTotal:       18014398509481983 kB\n"
    "MemFree:        18014398509481983 kB\n"
    "Buffers:        18014398509481983 kB\n"
    "Cached:         18014398509481983 kB\n";
  HealthSnapshot snapshot;

  health_snapshot_reset (&snapshot);
  g_assert_false (health_probe_meminfo_parse (text, strlen (text), &snapshot));
  assert_slots_nan_except (&snapshot, 0);
}

/* stat: cpu-usage */

#define STAT_TAIL "intr 1 0\nctxt 10\nbtime 1\nprocesses 1\nprocs_running 1\nprocs_blocked 0\n"

static void
test_stat_delta (void)
{
  g_autofree char *root = make_tmp_root ();
  HealthSnapshot snapshot;
  Context context;
  HealthProbe *probe;

  write_in_place (root, "stat",
                  "cpu  1000 100 500 8000 400 0 0 0 50 0\n"
                  "cpu0 500 50 250 4000 200 0 0 0 25 0\n"
                  "cpu1 500 50 250 4000 200 0 0 0 25 0\n"
                  STAT_TAIL);
  context_open (&context, root);

  /* The baseline is taken at construction... */
  probe = probe_new (&health_probe_stat_class, &context);

  /* ...so the first sample has a figure: busy +30 user +10 system
   * +10 irq +10 softirq (+20 guest, already in user), idle +30 and
   * iowait +10: 60 busy ticks out of 100. */
  write_in_place (root, "stat",
                  "cpu  1030 100 510 8030 410 10 10 0 70 0\n"
                  "cpu0 515 50 255 4015 205 5 5 0 35 0\n"
                  "cpu1 515 50 255 4015 205 5 5 0 35 0\n"
                  STAT_TAIL);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE], ==, 60.0);
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_CPU_USAGE);

  /* Steal counts as busy (the CPU was not ours to idle on). */
  write_in_place (root, "stat",
                  "cpu  1030 100 510 8030 410 10 10 20 70 0\n"
                  "cpu0 515 50 255 4015 205 5 5 10 35 0\n"
                  "cpu1 515 50 255 4015 205 5 5 10 35 0\n"
                  STAT_TAIL);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE], ==, 100.0);

  /* Idle only. */
  write_in_place (root, "stat",
                  "cpu  1030 100 510 8230 410 10 10 20 70 0\n"
                  "cpu0 515 50 255 4115 205 5 5 10 35 0\n"
                  "cpu1 515 50 255 4115 205 5 5 10 35 0\n"
                  STAT_TAIL);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE], ==, 0.0);

  health_probe_free (probe);
  context_clear (&context);
  test_remove_tree (root);
}

static void
test_stat_backwards (void)
{
  HealthCpuTimes baseline = { 0 };
  HealthSnapshot snapshot;
  const char *first = "cpu  1000 0 0 1000 0 0 0 0 0 0\n";
  const char *reset = "cpu  10 0 0 10 0 0 0 0 0 0\n";
  const char *later = "cpu  35 0 0 85 0 0 0 0 0 0\n";

  health_snapshot_reset (&snapshot);
  g_assert_true (health_probe_stat_parse (first, strlen (first), &baseline, &snapshot));
  g_assert_true (baseline.valid);
  g_assert_true (isnan (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE]));

  /* Counters went backwards: no figure, and a new baseline... */
  g_assert_false (health_probe_stat_parse (reset, strlen (reset), &baseline, &snapshot));
  g_assert_true (isnan (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE]));
  g_assert_cmpuint (baseline.busy, ==, 10);

  /* ...from which the next sample counts: 25 busy out of 100. */
  g_assert_true (health_probe_stat_parse (later, strlen (later), &baseline, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE], ==, 25.0);
}

static void
test_stat_too_soon (void)
{
  HealthCpuTimes baseline = { 0 };
  HealthSnapshot snapshot;
  /* Two CPUs: at least 20 ticks must pass. */
  const char *first = "cpu  100 0 0 100 0 0 0 0 0 0\n"
                      "cpu0 50 0 0 50 0 0 0 0 0 0\n"
                      "cpu1 50 0 0 50 0 0 0 0 0 0\n";
  const char *soon = "cpu  101 0 0 101 0 0 0 0 0 0\n"
                     "cpu0 51 0 0 50 0 0 0 0 0 0\n"
                     "cpu1 50 0 0 51 0 0 0 0 0 0\n";
  const char *later = "cpu  130 0 0 110 0 0 0 0 0 0\n"
                      "cpu0 65 0 0 55 0 0 0 0 0 0\n"
                      "cpu1 65 0 0 55 0 0 0 0 0 0\n";

  health_snapshot_reset (&snapshot);
  g_assert_true (health_probe_stat_parse (first, strlen (first), &baseline, &snapshot));

  /* One busy tick out of two would read 50 %: no figure yet... */
  g_assert_true (health_probe_stat_parse (soon, strlen (soon), &baseline, &snapshot));
  g_assert_true (isnan (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE]));
  g_assert_cmpuint (baseline.busy, ==, 100);

  /* ...and the next sample covers both spans. */
  g_assert_true (health_probe_stat_parse (later, strlen (later), &baseline, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE], ==, 75.0);
}

static void
test_stat_parse (void)
{
  static const char * const good[] = {
    /* Linux 2.4: four columns */
    "cpu  1 2 3 4\n",
    /* a future kernel with more columns */
    "cpu  1 2 3 4 5 6 7 8 9 10 11 12\ncpu0 1 2 3 4 5 6 7 8 9 10 11 12\n",
    "cpu  1 2 3 4 5 6 7 8 9 10",
  };
  static const char * const bad[] = {
    "",
    "\n\n",
    "cpu  1 2 3\n",
    "cpu  1 2 3 4x\n",
    "cpu  1 2 3 -4\n",
    "cpu 1 2 3 4 5 6 7 8 9 10\ncpu  1 2 3 4 5 6 7 8 9 10\n",
    "cpu  18446744073709551615 1 0 0 0 0 0 0 0 0\n",
    "cpu  99999999999999999999 0 0 0\n",
    "cpu  9223372036854775808 0 0 0 0 0 0 9223372036854775808\n",
    "intr 1 2 3\n",
    "cpu0 1 2 3 4\n",
  };
  const char *cpus;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      HealthCpuTimes baseline = { 0 };
      HealthSnapshot snapshot;

      health_snapshot_reset (&snapshot);
      g_assert_true (health_probe_stat_parse (good[i], strlen (good[i]), &baseline, &snapshot));
      g_assert_true (baseline.valid);
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      HealthCpuTimes baseline = { 0 };
      HealthSnapshot snapshot;

      health_snapshot_reset (&snapshot);
      g_assert_false (health_probe_stat_parse (bad[i], strlen (bad[i]), &baseline, &snapshot));
      g_assert_false (baseline.valid);
      assert_slots_nan_except (&snapshot, 0);
    }

  cpus = "cpu  1 2 3 4\ncpu0 1\ncpu17 1\ncpux 1\ncpu2\n";
  g_assert_cmpuint (health_probe_stat_count_cpus (cpus, strlen (cpus)), ==, 2);
}

static void
test_stat_garbage (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_stat_class, "proc-garbage", &snapshot);
  assert_slots_nan_except (&snapshot, 0);
}

static void
test_stat_live (void)
{
  HealthSnapshot snapshot;
  Context context;
  HealthProbe *probe;
  gint64 end;

  if (!g_file_test ("/proc/stat", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No /proc/stat");
      return;
    }

  context_open (&context, "/proc");
  probe = probe_new (&health_probe_stat_class, &context);

  /* Keep one CPU busy, so that enough ticks pass on any machine. */
  end = g_get_monotonic_time () + 300 * G_TIME_SPAN_MILLISECOND;
  while (g_get_monotonic_time () < end)
    ;

  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE], >, 0.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_USAGE], <=, 100.0);

  health_probe_free (probe);
  context_clear (&context);
}

/* loadavg */

static void
test_loadavg_debian12 (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_loadavg_class, "proc-debian12", &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_LOAD_AVERAGE], ==, 0.06 / 2);
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_LOAD_AVERAGE);
}

static void
test_loadavg_manycpus (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_loadavg_class, "proc-manycpus", &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_LOAD_AVERAGE], ==, 0.5);
}

static void
test_loadavg_garbage (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_loadavg_class, "proc-garbage", &snapshot);
  assert_slots_nan_except (&snapshot, 0);
}

static void
test_loadavg_no_stat (void)
{
  g_autofree char *root = make_tmp_root ();
  HealthSnapshot snapshot;
  Context context;
  HealthProbe *probe;

  /* Without stat, this machine's own CPU count is the fallback. */
  write_in_place (root, "loadavg", "6.00 1.00 1.00 1/100 1000\n");
  context_open (&context, root);
  probe = probe_new (&health_probe_loadavg_class, &context);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_LOAD_AVERAGE], ==,
                     6.0 / sysconf (_SC_NPROCESSORS_ONLN));

  health_probe_free (probe);
  context_clear (&context);
  test_remove_tree (root);
}

static void
test_loadavg_parse (void)
{
  static const char * const bad[] = {
    "",
    "0.5",
    "0.5 0.5 0.5",
    "0.5 0.5 0.5 1/",
    "0.5 0.5 0.5 1/100",
    "0.5 0.5 0.5 1/100 ",
    "0.5 0.5 0.5 1/100 5 extra\n",
    "-0.5 0.5 0.5 1/100 5\n",
    "0.5 0.5 0.5 1/100 5\n\n",
    "1e3 0.5 0.5 1/100 5\n",
  };
  const char *good = "3.00 2.00 1.00 4/500 12345\n";
  HealthSnapshot snapshot;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      health_snapshot_reset (&snapshot);
      g_assert_false (health_probe_loadavg_parse (bad[i], strlen (bad[i]), 4, &snapshot));
      assert_slots_nan_except (&snapshot, 0);
    }

  health_snapshot_reset (&snapshot);
  g_assert_false (health_probe_loadavg_parse (good, strlen (good), 0, &snapshot));
  g_assert_true (health_probe_loadavg_parse (good, strlen (good), 4, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_LOAD_AVERAGE], ==, 0.75);
  /* No trailing newline is fine: some containers' lxcfs omit it. */
  g_assert_true (health_probe_loadavg_parse (good, strlen (good) - 1, 4, &snapshot));
}

/* disk */

static void
test_disk_compute (void)
{
  HealthSnapshot snapshot;

  /* df: 1000 blocks, 300 free of which 50 reserved for root: 700 used,
   * 250 available, Use% 700 / 950. */
  health_snapshot_reset (&snapshot);
  g_assert_true (health_probe_disk_compute (1000, 300, 250, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_DISK_USAGE], ==, 100.0 * 700 / 950);

  /* Full for users while root still has its reserve. */
  g_assert_true (health_probe_disk_compute (1000, 50, 0, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_DISK_USAGE], ==, 100.0);

  g_assert_true (health_probe_disk_compute (1000, 1000, 1000, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_DISK_USAGE], ==, 0.0);

  health_snapshot_reset (&snapshot);
  g_assert_false (health_probe_disk_compute (0, 0, 0, &snapshot));
  g_assert_false (health_probe_disk_compute (10, 20, 5, &snapshot));
  g_assert_false (health_probe_disk_compute (10, 10, 0, &snapshot));
  g_assert_false (health_probe_disk_compute (G_MAXUINT64, 0, G_MAXUINT64, &snapshot));
  assert_slots_nan_except (&snapshot, 0);
}

static void
test_disk_path (void)
{
  HealthSnapshot snapshot;
  Context context;
  HealthProbe *probe;

  context_open_fixture (&context, "proc-garbage");
  probe = probe_new (&health_probe_disk_class, &context);

  /* No path, a missing path: unknown. */
  probe_sample (probe, &context, &snapshot);
  g_assert_true (isnan (snapshot.values[HEALTH_BUILTIN_ID_DISK_USAGE]));

  context.ctx.disk_path = "/nonexistent/health-monitor";
  probe_sample (probe, &context, &snapshot);
  g_assert_true (isnan (snapshot.values[HEALTH_BUILTIN_ID_DISK_USAGE]));

  /* The disk holding the sources has blocks in use. */
  context.ctx.disk_path = g_test_get_dir (G_TEST_DIST);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_DISK_USAGE], >, 0.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_DISK_USAGE], <=, 100.0);
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_DISK_USAGE);

  health_probe_free (probe);
  context_clear (&context);
}

/* pressure */

static void
test_pressure_debian12 (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_pressure_class, "proc-debian12", &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_PRESSURE], ==, 0.0);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_PRESSURE], ==, 0.09);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_IO_PRESSURE], ==, 0.30);
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_MEMORY_PRESSURE |
                                      HEALTH_BUILTIN_CPU_PRESSURE |
                                      HEALTH_BUILTIN_IO_PRESSURE);
}

static void
test_pressure_nopsi (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_pressure_class, "proc-nopsi", &snapshot);
  assert_slots_nan_except (&snapshot, 0);

  /* The other probes do not mind. */
  sample_fixture (&health_probe_meminfo_class, "proc-nopsi", &snapshot);
  g_assert_false (isnan (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_USAGE]));
}

static void
test_pressure_partial (void)
{
  g_autofree char *root = make_tmp_root ();
  HealthSnapshot snapshot;
  Context context;
  HealthProbe *probe;

  write_in_place (root, "pressure/io",
                  "some avg10=12.34 avg60=1.00 avg300=0.50 total=123456\n"
                  "full avg10=10.00 avg60=1.00 avg300=0.50 total=100000\n");
  context_open (&context, root);
  probe = probe_new (&health_probe_pressure_class, &context);
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_IO_PRESSURE], ==, 12.34);
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_IO_PRESSURE);

  /* A file that appears later is picked up. */
  write_in_place (root, "pressure/cpu", "some avg10=99.99 avg60=1.00 avg300=0.50 total=1\n");
  probe_sample (probe, &context, &snapshot);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_CPU_PRESSURE], ==, 99.99);
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_IO_PRESSURE], ==, 12.34);

  health_probe_free (probe);

  /* Only what is enabled is read. */
  probe = health_probe_new (&health_probe_pressure_class, HEALTH_BUILTIN_CPU_PRESSURE,
                            &context.ctx);
  probe_sample (probe, &context, &snapshot);
  assert_slots_nan_except (&snapshot, HEALTH_BUILTIN_CPU_PRESSURE);

  health_probe_free (probe);
  context_clear (&context);
  test_remove_tree (root);
}

static void
test_pressure_garbage (void)
{
  HealthSnapshot snapshot;

  sample_fixture (&health_probe_pressure_class, "proc-garbage", &snapshot);
  assert_slots_nan_except (&snapshot, 0);
}

static void
test_pressure_parse (void)
{
  static const char * const bad[] = {
    "",
    "some avg10=1.00",
    "some avg10=1.00 avg60=1.00 avg300=1.00 total=",
    "some avg10=1.00 avg60=1.00 avg300=1.00 total=5 more\n",
    "some avg10=100.01 avg60=1.00 avg300=1.00 total=5\n",
    "some avg10=-1.00 avg60=1.00 avg300=1.00 total=5\n",
    "full avg10=1.00 avg60=1.00 avg300=1.00 total=5\n",
    "some avg60=1.00 avg10=1.00 avg300=1.00 total=5\n",
  };
  const char *good = "full avg10=2.00 avg60=1.00 avg300=1.00 total=5\n"
                     "some avg10=3.50 avg60=1.00 avg300=1.00 total=5";
  const HealthBuiltinId id = HEALTH_BUILTIN_ID_MEMORY_PRESSURE;
  HealthSnapshot snapshot;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      health_snapshot_reset (&snapshot);
      g_assert_false (health_probe_pressure_parse (bad[i], strlen (bad[i]), id, &snapshot));
      assert_slots_nan_except (&snapshot, 0);
    }

  health_snapshot_reset (&snapshot);
  g_assert_true (health_probe_pressure_parse (good, strlen (good), id, &snapshot));
  g_assert_cmpfloat (snapshot.values[HEALTH_BUILTIN_ID_MEMORY_PRESSURE], ==, 3.5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probes/parse/double", test_parse_double);

  g_test_add_func ("/probes/meminfo/debian12", test_meminfo_debian12);
  g_test_add_func ("/probes/meminfo/memory95", test_meminfo_memory95);
  g_test_add_func ("/probes/meminfo/noswap", test_meminfo_noswap);
  g_test_add_func ("/probes/meminfo/nomemavailable", test_meminfo_nomemavailable);
  g_test_add_func ("/probes/meminfo/garbage", test_meminfo_garbage);
  g_test_add_func ("/probes/meminfo/overflow", test_meminfo_overflow);

  g_test_add_func ("/probes/stat/delta", test_stat_delta);
  g_test_add_func ("/probes/stat/backwards", test_stat_backwards);
  g_test_add_func ("/probes/stat/too-soon", test_stat_too_soon);
  g_test_add_func ("/probes/stat/parse", test_stat_parse);
  g_test_add_func ("/probes/stat/garbage", test_stat_garbage);
  g_test_add_func ("/probes/stat/live", test_stat_live);

  g_test_add_func ("/probes/loadavg/debian12", test_loadavg_debian12);
  g_test_add_func ("/probes/loadavg/manycpus", test_loadavg_manycpus);
  g_test_add_func ("/probes/loadavg/garbage", test_loadavg_garbage);
  g_test_add_func ("/probes/loadavg/no-stat", test_loadavg_no_stat);
  g_test_add_func ("/probes/loadavg/parse", test_loadavg_parse);

  g_test_add_func ("/probes/disk/compute", test_disk_compute);
  g_test_add_func ("/probes/disk/path", test_disk_path);

  g_test_add_func ("/probes/pressure/debian12", test_pressure_debian12);
  g_test_add_func ("/probes/pressure/nopsi", test_pressure_nopsi);
  g_test_add_func ("/probes/pressure/partial", test_pressure_partial);
  g_test_add_func ("/probes/pressure/garbage", test_pressure_garbage);
  g_test_add_func ("/probes/pressure/parse", test_pressure_parse);

  return g_test_run ();
}
