/* health-probe-stat.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * cpu-usage, from the aggregate "cpu" line of /proc/stat: the share of
 * busy ticks between two samples. The first reading is taken at
 * construction, so the first sample already has a figure and no sample
 * ever sleeps to make one (the seed blocked 100 ms in cpu_percent()).
 */

#include "config.h"

#include "health-builtin-probes-private.h"

/* Below this many ticks per CPU between two readings (100 ms at the usual
 * USER_HZ of 100) a figure is mostly rounding: one busy tick out of two
 * would read as 50 % and could raise an alert on its own. The baseline is
 * then kept, so the next sample judges a longer span. */
#define MIN_TICKS_PER_CPU 10

/* user nice system idle iowait irq softirq steal guest guest_nice; kernels
 * before 2.6.11 have only the first 4 to 7. */
enum
{
  COL_USER,
  COL_NICE,
  COL_SYSTEM,
  COL_IDLE,
  COL_IOWAIT,
  COL_IRQ,
  COL_SOFTIRQ,
  COL_STEAL,
  N_COUNTED_COLS,
  MIN_COLS = COL_IOWAIT,
};

typedef struct
{
  HealthProbe    parent;
  HealthProcFile stat;
  HealthCpuTimes baseline;
} StatProbe;

static gboolean
add_u64 (guint64 *sum,
         guint64  value)
{
  if (value > G_MAXUINT64 - *sum)
    return FALSE;
  *sum += value;
  return TRUE;
}

/* "cpu  1 2 3 4 ..." after the "cpu" key. Columns past steal (guest,
 * guest_nice, and whatever a later kernel appends) must be numbers but
 * are not counted: guest time is already part of user and nice. */
static gboolean
parse_cpu_line (const char     *line,
                gsize           line_len,
                HealthCpuTimes *times)
{
  const char *pos = line + strlen ("cpu");
  const char *end = line + line_len;
  guint64 cols[N_COUNTED_COLS] = { 0 };
  guint n_cols = 0;
  guint64 busy = 0;
  guint64 idle = 0;

  for (;;)
    {
      guint64 value;

      while (pos < end && *pos == ' ')
        pos++;
      if (pos == end)
        break;

      if (!health_parse_u64 (&pos, end, &value))
        return FALSE;
      if (pos < end && *pos != ' ')
        return FALSE;

      if (n_cols < N_COUNTED_COLS)
        cols[n_cols] = value;
      n_cols++;
    }

  if (n_cols < MIN_COLS)
    return FALSE;

  if (!add_u64 (&idle, cols[COL_IDLE]) || !add_u64 (&idle, cols[COL_IOWAIT]))
    return FALSE;

  for (guint i = 0; i < N_COUNTED_COLS; i++)
    if (i != COL_IDLE && i != COL_IOWAIT && !add_u64 (&busy, cols[i]))
      return FALSE;

  /* busy + idle is the total; it must be representable too. */
  if (busy > G_MAXUINT64 - idle)
    return FALSE;

  times->busy = busy;
  times->idle = idle;
  times->valid = TRUE;

  return TRUE;
}

/* "cpu12 ..." (a per-CPU line), as opposed to "cpu  ..." (the sum). */
static gboolean
is_per_cpu_line (const char *line,
                 gsize       line_len)
{
  gsize i = strlen ("cpu");

  if (!health_has_prefix (line, line_len, "cpu") || i >= line_len || !g_ascii_isdigit (line[i]))
    return FALSE;

  while (i < line_len && g_ascii_isdigit (line[i]))
    i++;

  return i < line_len && line[i] == ' ';
}

/* The kernel writes the sum first, then one line per online CPU, then
 * the rest (intr, ctxt...), which is long and of no interest here. */
static gboolean
parse_stat (const char     *buf,
            gsize           len,
            HealthCpuTimes *times,
            guint          *n_cpus)
{
  HealthLineReader reader;
  const char *line;
  gsize line_len;
  gboolean found = FALSE;

  *n_cpus = 0;
  health_line_reader_init (&reader, buf, len);

  while ((line = health_line_reader_next (&reader, &line_len)) != NULL)
    {
      if (health_has_prefix (line, line_len, "cpu "))
        {
          if (found || !parse_cpu_line (line, line_len, times))
            return FALSE;
          found = TRUE;
        }
      else if (is_per_cpu_line (line, line_len))
        {
          (*n_cpus)++;
        }
      else if (found)
        {
          break;
        }
    }

  return found;
}

guint
health_probe_stat_count_cpus (const char *buf,
                              gsize       len)
{
  HealthLineReader reader;
  const char *line;
  gsize line_len;
  guint n_cpus = 0;

  health_line_reader_init (&reader, buf, len);

  while ((line = health_line_reader_next (&reader, &line_len)) != NULL)
    if (is_per_cpu_line (line, line_len))
      n_cpus++;

  return n_cpus;
}

gboolean
health_probe_stat_parse (const char     *buf,
                         gsize           len,
                         HealthCpuTimes *baseline,
                         HealthSnapshot *snapshot)
{
  HealthCpuTimes now = { 0 };
  guint64 busy, idle;
  guint n_cpus;

  /* A reading that cannot be trusted leaves the baseline alone: the
   * counters are cumulative, so the next good reading still measures
   * from it, over a longer span. */
  if (!parse_stat (buf, len, &now, &n_cpus))
    return FALSE;

  if (!baseline->valid)
    {
      *baseline = now;
      return TRUE;
    }

  /* Counters only go backwards when something is wrong (a restored
   * fixture, a hypervisor's accounting): no figure, start again. idle and
   * iowait are summed first because iowait alone may legitimately
   * decrease on NO_HZ kernels as time moves to idle. */
  if (now.busy < baseline->busy || now.idle < baseline->idle)
    {
      *baseline = now;
      return FALSE;
    }

  busy = now.busy - baseline->busy;
  idle = now.idle - baseline->idle;

  if (busy > G_MAXUINT64 - idle)
    {
      *baseline = now;
      return FALSE;
    }

  if (busy + idle < (guint64) MIN_TICKS_PER_CPU * MAX (n_cpus, 1))
    return TRUE;

  snapshot->values[HEALTH_BUILTIN_ID_CPU_USAGE] = health_percent (busy, busy + idle);
  *baseline = now;

  return TRUE;
}

static void
stat_probe_init (HealthProbe              *probe,
                 const HealthProbeContext *ctx)
{
  StatProbe *self = (StatProbe *) probe;
  HealthCpuTimes times = { 0 };
  const char *buf;
  gsize len;
  guint n_cpus;

  health_proc_file_init (&self->stat, "stat");
  self->baseline.valid = FALSE;

  buf = health_proc_file_read (&self->stat, ctx, &len);
  if (buf != NULL && parse_stat (buf, len, &times, &n_cpus))
    self->baseline = times;
}

static void
stat_probe_sample (HealthProbe              *probe,
                   const HealthProbeContext *ctx,
                   HealthSnapshot           *snapshot)
{
  StatProbe *self = (StatProbe *) probe;
  const char *buf;
  gsize len;

  buf = health_proc_file_read (&self->stat, ctx, &len);
  if (buf == NULL || !health_probe_stat_parse (buf, len, &self->baseline, snapshot))
    health_probe_failed (probe, "stat");
}

static void
stat_probe_finalize (HealthProbe *probe)
{
  StatProbe *self = (StatProbe *) probe;

  health_proc_file_clear (&self->stat);
}

const HealthProbeClass health_probe_stat_class = {
  .name = "stat",
  .provides = HEALTH_BUILTIN_CPU_USAGE,
  .instance_size = sizeof (StatProbe),
  .init = stat_probe_init,
  .sample = stat_probe_sample,
  .finalize = stat_probe_finalize,
};
