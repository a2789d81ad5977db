/* health-probe-loadavg.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * load-average, from /proc/loadavg: the one-minute load divided by the
 * number of CPUs, so that 1.0 means "as much runnable work as cores"
 * whatever the machine.
 */

#include "config.h"

#include <unistd.h>

#include "health-builtin-probes-private.h"

typedef struct
{
  HealthProbe    parent;
  HealthProcFile loadavg;
  guint          n_cpus;   /* 0: unknown */
} LoadavgProbe;

static gboolean
expect_char (const char **pos,
             const char  *end,
             char         c)
{
  if (*pos >= end || **pos != c)
    return FALSE;
  (*pos)++;
  return TRUE;
}

/* "0.03 0.03 0.00 1/80 3113\n": three loads, running/total tasks, and the
 * last pid. All five must be there, so that a truncated read is refused. */
gboolean
health_probe_loadavg_parse (const char     *buf,
                            gsize           len,
                            guint           n_cpus,
                            HealthSnapshot *snapshot)
{
  const char *pos = buf;
  const char *end = buf + len;
  double loads[3];
  guint64 running, total, last_pid;

  if (n_cpus == 0)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (loads); i++)
    {
      if (!health_parse_double (&pos, end, &loads[i]) || loads[i] < 0 ||
          !expect_char (&pos, end, ' '))
        return FALSE;
    }

  if (!health_parse_u64 (&pos, end, &running) ||
      !expect_char (&pos, end, '/') ||
      !health_parse_u64 (&pos, end, &total) ||
      !expect_char (&pos, end, ' ') ||
      !health_parse_u64 (&pos, end, &last_pid))
    return FALSE;

  if (pos < end && *pos == '\n')
    pos++;
  if (pos != end)
    return FALSE;

  snapshot->values[HEALTH_BUILTIN_ID_LOAD_AVERAGE] = loads[0] / n_cpus;

  return TRUE;
}

/* The CPUs that the kernel spreads the load over: the "cpuN" lines of
 * <proc-root>/stat, read once, so that a fixture describes a whole
 * machine. The host's count is only a fallback when that file cannot be
 * read; CPUs brought online later are not noticed. */
static guint
count_cpus (const HealthProbeContext *ctx)
{
  HealthProcFile stat;
  const char *buf;
  gsize len;
  guint n_cpus = 0;

  health_proc_file_init (&stat, "stat");

  buf = health_proc_file_read (&stat, ctx, &len);
  if (buf != NULL)
    {
      n_cpus = health_probe_stat_count_cpus (buf, len);
    }
  else
    {
      long online = sysconf (_SC_NPROCESSORS_ONLN);

      if (online > 0 && online <= G_MAXUINT)
        n_cpus = online;
    }

  health_proc_file_clear (&stat);

  return n_cpus;
}

static void
loadavg_probe_init (HealthProbe              *probe,
                    const HealthProbeContext *ctx)
{
  LoadavgProbe *self = (LoadavgProbe *) probe;

  health_proc_file_init (&self->loadavg, "loadavg");
  self->n_cpus = count_cpus (ctx);
}

static void
loadavg_probe_sample (HealthProbe              *probe,
                      const HealthProbeContext *ctx,
                      HealthSnapshot           *snapshot)
{
  LoadavgProbe *self = (LoadavgProbe *) probe;
  const char *buf;
  gsize len;

  if (self->n_cpus == 0)
    {
      health_probe_failed (probe, "the CPU count (stat)");
      return;
    }

  buf = health_proc_file_read (&self->loadavg, ctx, &len);
  if (buf == NULL || !health_probe_loadavg_parse (buf, len, self->n_cpus, snapshot))
    health_probe_failed (probe, "loadavg");
}

static void
loadavg_probe_finalize (HealthProbe *probe)
{
  LoadavgProbe *self = (LoadavgProbe *) probe;

  health_proc_file_clear (&self->loadavg);
}

const HealthProbeClass health_probe_loadavg_class = {
  .name = "loadavg",
  .provides = HEALTH_BUILTIN_LOAD_AVERAGE,
  .instance_size = sizeof (LoadavgProbe),
  .init = loadavg_probe_init,
  .sample = loadavg_probe_sample,
  .finalize = loadavg_probe_finalize,
};
