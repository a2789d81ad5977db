/* bench-probes.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What one sample of the built-in probes costs, in CPU time and heap
 * allocations, against a lower bound (limit-probe.c). Prints one figure
 * per line, "name value unit", for run-bench.sh to compare with the seed
 * and judge against the targets; comment lines start with '#'.
 *
 *   ours         health_monitor_new() on the live /proc: one
 *                health_monitor_sample_async() round trip (call, iterate
 *                the main context until the callback) per sample
 *   probes       health_worker_run() called directly, no thread: the
 *                probes alone, as the worker runs them
 *   limit        the limit probe with its one futex hand-off per sample
 *   limit_probe  the limit probe called directly, no thread
 *
 * The four are interleaved in blocks, so that a change of CPU frequency
 * or a noisy neighbour during the run weighs on all of them alike.
 *
 * Environment: BENCH_SAMPLES (default 5000), BENCH_WARMUP (default 100),
 * BENCH_SITES (round trips whose allocations are traced per call site,
 * default 200, 0 for none), BENCH_ONLY (a comma-separated subset of the
 * four above, e.g. "ours" to profile just that under perf), BENCH_CPU
 * (see pin_to_one_cpu()).
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include <health.h>

#include "health-worker-private.h"

#include "bench-alloc.h"
#include "limit-probe.h"

#define DEFAULT_SAMPLES 5000
#define DEFAULT_WARMUP  100
#define DEFAULT_SITES   200
#define BLOCK_SIZE      50
#define MAX_SITES_SHOWN 25

/* One series of per-sample figures, preallocated so that measuring
 * allocates nothing. */
typedef struct
{
  guint   n;
  double *cpu_us;        /* CLOCK_PROCESS_CPUTIME_ID: every thread */
  double *main_cpu_us;   /* CLOCK_THREAD_CPUTIME_ID of the calling thread */
  double *wall_us;
  double *allocs;        /* every thread */
  double *main_allocs;   /* the calling thread */
  double *frees;
} Series;

typedef struct
{
  gint64  process_ns;
  gint64  thread_ns;
  gint64  mono_ns;
  guint64 allocs;
  guint64 thread_allocs;
  guint64 frees;
} Stamp;

typedef struct
{
  HealthMonitor   *monitor;
  HealthWorker    *worker;
  HealthWorkerJob *job;
  LimitProbe      *limit_probe;     /* the worker's */
  LimitWorker     *limit_worker;
  LimitProbe      *limit_direct;    /* sampled on the main thread */
  LimitSnapshot    limit_snapshot;
  gboolean         done;
} Bench;

static gint64
clock_ns (clockid_t id)
{
  struct timespec ts;

  clock_gettime (id, &ts);

  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

static inline void
stamp_take (Stamp *stamp)
{
  stamp->allocs = bench_alloc_total ();
  stamp->thread_allocs = bench_alloc_this_thread ();
  stamp->frees = bench_free_total ();
  stamp->process_ns = clock_ns (CLOCK_PROCESS_CPUTIME_ID);
  stamp->thread_ns = clock_ns (CLOCK_THREAD_CPUTIME_ID);
  stamp->mono_ns = clock_ns (CLOCK_MONOTONIC);
}

/* The reverse order of stamp_take(), so that the clocks bracket the
 * counters' own cost the same way on both sides. */
static inline void
stamp_take_end (Stamp *stamp)
{
  stamp->mono_ns = clock_ns (CLOCK_MONOTONIC);
  stamp->thread_ns = clock_ns (CLOCK_THREAD_CPUTIME_ID);
  stamp->process_ns = clock_ns (CLOCK_PROCESS_CPUTIME_ID);
  stamp->frees = bench_free_total ();
  stamp->thread_allocs = bench_alloc_this_thread ();
  stamp->allocs = bench_alloc_total ();
}

static void
series_init (Series *series,
             guint   capacity)
{
  series->n = 0;
  series->cpu_us = g_new0 (double, capacity);
  series->main_cpu_us = g_new0 (double, capacity);
  series->wall_us = g_new0 (double, capacity);
  series->allocs = g_new0 (double, capacity);
  series->main_allocs = g_new0 (double, capacity);
  series->frees = g_new0 (double, capacity);
}

static void
series_clear (Series *series)
{
  g_free (series->cpu_us);
  g_free (series->main_cpu_us);
  g_free (series->wall_us);
  g_free (series->allocs);
  g_free (series->main_allocs);
  g_free (series->frees);
}

static inline void
series_add (Series      *series,
            const Stamp *start,
            const Stamp *end)
{
  guint i = series->n++;

  series->cpu_us[i] = (end->process_ns - start->process_ns) / 1000.0;
  series->main_cpu_us[i] = (end->thread_ns - start->thread_ns) / 1000.0;
  series->wall_us[i] = (end->mono_ns - start->mono_ns) / 1000.0;
  series->allocs[i] = end->allocs - start->allocs;
  series->main_allocs[i] = end->thread_allocs - start->thread_allocs;
  series->frees[i] = end->frees - start->frees;
}

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* The q-quantile (0.5: the median), nearest rank, of a copy. */
static double
quantile (const double *values,
          guint         n,
          double        q)
{
  g_autofree double *sorted = NULL;
  guint rank;

  if (n == 0)
    return NAN;

  sorted = g_memdup2 (values, n * sizeof (double));
  qsort (sorted, n, sizeof (double), compare_doubles);
  rank = (guint) ceil (q * n);

  return sorted[CLAMP (rank, 1, n) - 1];
}

static double
mean (const double *values,
      guint         n)
{
  double sum = 0;

  for (guint i = 0; i < n; i++)
    sum += values[i];

  return n > 0 ? sum / n : NAN;
}

static double
sum (const double *values,
     guint         n)
{
  double total = 0;

  for (guint i = 0; i < n; i++)
    total += values[i];

  return total;
}

static void
print_figure (const char *name,
              double      value,
              const char *unit)
{
  printf ("%s %.2f %s\n", name, value, unit);
}

/* A series' own allocation figures are NaN when they cannot be counted. */
static double
counted (double value)
{
  return bench_alloc_can_count () ? value : NAN;
}

/* The four ways to take a sample */

static void
sample_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Bench *bench = user_data;
  g_autoptr(GError) error = NULL;

  if (!health_monitor_sample_finish (HEALTH_MONITOR (source), result, &error))
    g_error ("Sample failed: %s", error->message);

  bench->done = TRUE;
}

static inline void
ours_round_trip (Bench *bench)
{
  bench->done = FALSE;
  health_monitor_sample_async (bench->monitor, NULL, sample_ready, bench);
  while (!bench->done)
    g_main_context_iteration (NULL, TRUE);
}

static inline void
probes_run (Bench *bench)
{
  HealthSnapshot *snapshot = health_worker_run (bench->job);

  /* Always the worker's own snapshot, reused: nothing to free. */
  g_assert (snapshot != NULL);
}

static inline void
limit_round_trip (Bench *bench)
{
  const LimitSnapshot *snapshot = limit_worker_sample (bench->limit_worker);

  bench->limit_snapshot = *snapshot;
}

static inline void
limit_direct (Bench *bench)
{
  limit_probe_sample (bench->limit_direct, &bench->limit_snapshot);
}

typedef void (*SampleFunc) (Bench *bench);

static void
measure (Bench      *bench,
         SampleFunc  func,
         Series     *series,
         guint       n)
{
  for (guint i = 0; i < n; i++)
    {
      Stamp start, end;

      stamp_take (&start);
      func (bench);
      stamp_take_end (&end);

      if (series != NULL)
        series_add (series, &start, &end);
    }
}

static guint
env_uint (const char *name,
          guint       fallback,
          guint       min)
{
  const char *value = g_getenv (name);
  guint64 parsed;

  if (value == NULL || *value == '\0')
    return fallback;

  if (!g_ascii_string_to_unsigned (value, 10, min, G_MAXUINT / 2, &parsed, NULL))
    {
      g_printerr ("%s: expected a number of at least %u, not “%s”\n", name, min, value);
      exit (2);
    }

  return parsed;
}

/* Every thread of the process on one CPU (BENCH_CPU, by default the last
 * one this process may use; "none" to leave the scheduler free). On a
 * small virtual machine a hand-off to a thread that sleeps on another CPU
 * costs an inter-processor interrupt and an idle exit, charged to whoever
 * is running, and whether the scheduler keeps the two threads together
 * changes from one run to the next: figures then jump by 40 µs between
 * two modes and ratios mean nothing. On one CPU, ours and the limit pay
 * the same cheap same-CPU switch every time. Threads inherit the mask, so
 * this must come before any is started. */
static void
pin_to_one_cpu (void)
{
  const char *wanted_cpu = g_getenv ("BENCH_CPU");
  cpu_set_t set;
  int cpu = -1;

  if (g_strcmp0 (wanted_cpu, "none") == 0)
    {
      printf ("# not pinned (BENCH_CPU=none)\n");
      return;
    }

  if (wanted_cpu != NULL && *wanted_cpu != '\0')
    {
      guint64 parsed;

      if (!g_ascii_string_to_unsigned (wanted_cpu, 10, 0, CPU_SETSIZE - 1, &parsed, NULL))
        {
          g_printerr ("BENCH_CPU: expected a CPU number or “none”, not “%s”\n", wanted_cpu);
          exit (2);
        }
      cpu = parsed;
    }
  else if (sched_getaffinity (0, sizeof set, &set) == 0)
    {
      for (int i = 0; i < CPU_SETSIZE; i++)
        if (CPU_ISSET (i, &set))
          cpu = i;
    }

  CPU_ZERO (&set);
  if (cpu >= 0)
    CPU_SET (cpu, &set);
  if (cpu < 0 || sched_setaffinity (0, sizeof set, &set) != 0)
    {
      printf ("# not pinned: cannot run on CPU %d (%s)\n", cpu, g_strerror (errno));
      return;
    }

  printf ("# pinned to CPU %d (BENCH_CPU=none to not pin)\n", cpu);
}

static gboolean
wanted (const char *mode)
{
  const char *only = g_getenv ("BENCH_ONLY");
  g_auto(GStrv) modes = NULL;

  if (only == NULL || *only == '\0')
    return TRUE;

  modes = g_strsplit (only, ",", -1);

  return g_strv_contains ((const char * const *) modes, mode);
}

static void
print_series (const char   *prefix,
              const Series *series,
              gboolean      threaded)
{
  g_autofree char *name = NULL;
  g_autofree double *other_cpu = g_new0 (double, series->n);

#define FIGURE(suffix, value, unit) \
  G_STMT_START { \
    g_free (name); \
    name = g_strconcat (prefix, suffix, NULL); \
    print_figure (name, (value), (unit)); \
  } G_STMT_END

  FIGURE ("_cpu_per_sample_us", quantile (series->cpu_us, series->n, 0.5), "us");
  FIGURE ("_cpu_per_sample_p10_us", quantile (series->cpu_us, series->n, 0.1), "us");
  FIGURE ("_cpu_per_sample_p90_us", quantile (series->cpu_us, series->n, 0.9), "us");
  FIGURE ("_cpu_per_sample_mean_us", mean (series->cpu_us, series->n), "us");

  if (threaded)
    {
      for (guint i = 0; i < series->n; i++)
        other_cpu[i] = series->cpu_us[i] - series->main_cpu_us[i];

      FIGURE ("_main_cpu_per_sample_us", quantile (series->main_cpu_us, series->n, 0.5), "us");
      FIGURE ("_other_threads_cpu_per_sample_us", quantile (other_cpu, series->n, 0.5), "us");
      FIGURE ("_wall_per_sample_us", quantile (series->wall_us, series->n, 0.5), "us");
    }

  FIGURE ("_allocs_per_sample", counted (quantile (series->allocs, series->n, 0.5)), "count");
  FIGURE ("_allocs_per_sample_mean", counted (mean (series->allocs, series->n)), "count");
  FIGURE ("_allocs_total", counted (sum (series->allocs, series->n)), "count");

  if (threaded)
    {
      g_autofree double *other_allocs = g_new0 (double, series->n);

      /* Which thread drops the last reference to a GTask, and so frees
       * it (which allocates, in GObject), depends on timing: the split
       * moves by a few from one sample to the next, the total does not. */
      for (guint i = 0; i < series->n; i++)
        other_allocs[i] = series->allocs[i] - series->main_allocs[i];

      FIGURE ("_main_allocs_per_sample", counted (quantile (series->main_allocs, series->n, 0.5)), "count");
      FIGURE ("_other_threads_allocs_per_sample", counted (quantile (other_allocs, series->n, 0.5)), "count");
      FIGURE ("_frees_per_sample", counted (quantile (series->frees, series->n, 0.5)), "count");
    }

#undef FIGURE
}

static void
print_sites (Bench      *bench,
             SampleFunc  func,
             const char *prefix,
             guint       n)
{
  bench_alloc_sites_start ();
  measure (bench, func, NULL, n);
  bench_alloc_sites_stop ();

  printf ("# %s: allocations per sample by site, over %u samples "
          "(thread, libhealth function -> the call that allocated <- its caller)\n",
          prefix, n);
  fflush (stdout);
  bench_alloc_sites_print (stdout, prefix, n, MAX_SITES_SHOWN);
}

static void
check_values (Bench *bench)
{
  static const struct
  {
    const char   *id;
    LimitValueId  limit;
  } pairs[] = {
    { "memory-usage", LIMIT_MEMORY_USAGE },
    { "swap-usage", LIMIT_SWAP_USAGE },
    { "load-average", LIMIT_LOAD_AVERAGE },
    { "disk-usage", LIMIT_DISK_USAGE },
    { "memory-pressure", LIMIT_MEMORY_PRESSURE },
    { "thread-count", LIMIT_THREAD_COUNT },
    { "open-files", LIMIT_OPEN_FILES },
  };

  /* Not a test: a glance that both read the same machine the same way.
   * Thread and descriptor counts differ by the bench's own extra ones. */
  printf ("#");
  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    {
      HealthMetric *metric = health_monitor_get_metric (bench->monitor, pairs[i].id);

      printf (" %s=%.4g/%.4g", pairs[i].id,
              metric != NULL ? health_metric_get_value (metric) : NAN,
              bench->limit_snapshot.values[pairs[i].limit]);
    }
  printf (" (ours/limit)\n");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cwd = NULL;
  char *disk_path;
  Bench bench = { 0 };
  Series ours, probes, limit, limit_probe;
  guint n_samples, n_warmup, n_sites;
  gboolean run_ours, run_probes, run_limit, run_limit_probe;
  guint done;

  /* GLib before 2.76 hands small blocks out of its own slice magazines,
   * which would hide them from the count; newer GLib always uses malloc.
   * The variable is read when GLib loads, so set it and start again (by
   * the real path, so that the process keeps its name in ps and perf). */
  if (g_getenv ("G_SLICE") == NULL && glib_check_version (2, 76, 0) != NULL)
    {
      g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

      g_setenv ("G_SLICE", "always-malloc", TRUE);
      execv (self != NULL ? self : "/proc/self/exe", argv);
      g_printerr ("Cannot restart with G_SLICE=always-malloc: %s\n", g_strerror (errno));
      return 1;
    }

  bench_alloc_init ();
  pin_to_one_cpu ();

  /* The live /proc, whatever the caller's environment says. */
  g_unsetenv ("HEALTH_PROC_ROOT");

  n_samples = env_uint ("BENCH_SAMPLES", DEFAULT_SAMPLES, 1);
  n_warmup = env_uint ("BENCH_WARMUP", DEFAULT_WARMUP, 0);
  n_sites = env_uint ("BENCH_SITES", DEFAULT_SITES, 0);

  bench.monitor = health_monitor_new ();

  cwd = g_get_current_dir ();
  disk_path = g_ref_string_new (cwd);
  bench.worker = health_worker_new ("/proc", HEALTH_BUILTIN_DEFAULT);
  bench.job = health_worker_job_new (bench.worker, disk_path, NULL);
  g_ref_string_release (disk_path);

  bench.limit_probe = limit_probe_new ();
  bench.limit_direct = limit_probe_new ();
  if (bench.limit_probe == NULL || bench.limit_direct == NULL)
    g_error ("Cannot open the limit probe's sources in /proc");
  bench.limit_worker = limit_worker_new (bench.limit_probe);
  if (bench.limit_worker == NULL)
    g_error ("Cannot start the limit probe's thread");

  printf ("# glib %u.%u.%u, G_SLICE=%s, %ld CPUs, allocation counting %s\n",
          glib_major_version, glib_minor_version, glib_micro_version,
          g_getenv ("G_SLICE") ? g_getenv ("G_SLICE") : "(unset)",
          sysconf (_SC_NPROCESSORS_ONLN),
          bench_alloc_can_count () ? "on" : "off (malloc is owned by a sanitizer or valgrind)");

  run_ours = wanted ("ours");
  run_probes = wanted ("probes");
  run_limit = wanted ("limit");
  run_limit_probe = wanted ("limit_probe");

  /* Warm-up: files opened, buffers grown, histories full (their length
   * is what the trends cost), thread pools started. */
  measure (&bench, ours_round_trip, NULL, run_ours ? n_warmup : 0);
  measure (&bench, probes_run, NULL, run_probes ? n_warmup : 0);
  measure (&bench, limit_round_trip, NULL, run_limit ? n_warmup : 0);
  measure (&bench, limit_direct, NULL, run_limit_probe ? n_warmup : 0);

  series_init (&ours, n_samples);
  series_init (&probes, n_samples);
  series_init (&limit, n_samples);
  series_init (&limit_probe, n_samples);

  for (done = 0; done < n_samples; done += BLOCK_SIZE)
    {
      guint n = MIN (BLOCK_SIZE, n_samples - done);

      measure (&bench, ours_round_trip, &ours, run_ours ? n : 0);
      /* A GTask's pool thread drops its last reference after the result
       * is back, which frees (and, in GObject, allocates): let that tail
       * land before the next series starts counting. */
      g_usleep (1000);
      measure (&bench, limit_round_trip, &limit, run_limit ? n : 0);
      measure (&bench, probes_run, &probes, run_probes ? n : 0);
      measure (&bench, limit_direct, &limit_probe, run_limit_probe ? n : 0);
    }

  printf ("samples %u count\n", n_samples);
  printf ("warmup %u count\n", n_warmup);
  if (run_ours)
    print_series ("ours", &ours, TRUE);
  if (run_probes)
    print_series ("probes", &probes, FALSE);
  if (run_limit)
    print_series ("limit", &limit, TRUE);
  if (run_limit_probe)
    print_series ("limit_probe", &limit_probe, FALSE);
  if (run_ours && run_limit)
    check_values (&bench);
  fflush (stdout);

  if (n_sites > 0 && bench_alloc_can_count ())
    {
      if (run_ours)
        print_sites (&bench, ours_round_trip, "ours_alloc_site", n_sites);
      if (run_probes && sum (probes.allocs, probes.n) > 0)
        print_sites (&bench, probes_run, "probes_alloc_site", n_sites);
    }

  series_clear (&ours);
  series_clear (&probes);
  series_clear (&limit);
  series_clear (&limit_probe);

  limit_worker_free (bench.limit_worker);
  limit_probe_free (bench.limit_probe);
  limit_probe_free (bench.limit_direct);
  health_worker_job_free (bench.job);
  health_worker_unref (bench.worker);
  g_object_unref (bench.monitor);

  return 0;
}
