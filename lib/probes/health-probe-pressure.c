/* health-probe-pressure.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * memory-pressure, cpu-pressure and io-pressure: the "some avg10" figure
 * of /proc/pressure/{memory,cpu,io} (PSI, Linux 4.20), the share of the
 * last ten seconds in which at least one task was stalled waiting for
 * that resource. Each file is optional on its own: kernels built without
 * PSI, booted with psi=0, or containers hiding it leave the metric
 * unknown, not the others.
 */

#include "config.h"

#include "health-builtin-probes-private.h"

enum
{
  RESOURCE_MEMORY,
  RESOURCE_CPU,
  RESOURCE_IO,
  N_RESOURCES
};

static const struct
{
  const char      *path;
  HealthBuiltinId  id;
} resources[N_RESOURCES] = {
  { "pressure/memory", HEALTH_BUILTIN_ID_MEMORY_PRESSURE },
  { "pressure/cpu",    HEALTH_BUILTIN_ID_CPU_PRESSURE },
  { "pressure/io",     HEALTH_BUILTIN_ID_IO_PRESSURE },
};

typedef struct
{
  HealthProbe    parent;
  HealthProcFile files[N_RESOURCES];
  guint          logged;   /* a bit per resource whose failure was logged */
} PressureProbe;

static gboolean
parse_key_double (const char **pos,
                  const char  *end,
                  const char  *key,
                  double      *value)
{
  if (!health_has_prefix (*pos, end - *pos, key))
    return FALSE;
  *pos += strlen (key);

  /* A share of time, in percent. */
  return health_parse_double (pos, end, value) && *value >= 0 && *value <= 100;
}

/* "some avg10=1.23 avg60=0.50 avg300=0.10 total=123456": the whole line
 * is checked, so that a truncated or foreign file is refused. */
static gboolean
parse_some_line (const char *line,
                 gsize       line_len,
                 double     *avg10)
{
  const char *pos = line + strlen ("some");
  const char *end = line + line_len;
  double avg60, avg300;
  guint64 total;

  if (!parse_key_double (&pos, end, " avg10=", avg10) ||
      !parse_key_double (&pos, end, " avg60=", &avg60) ||
      !parse_key_double (&pos, end, " avg300=", &avg300) ||
      !health_has_prefix (pos, end - pos, " total="))
    return FALSE;

  pos += strlen (" total=");

  return health_parse_u64 (&pos, end, &total) && pos == end;
}

gboolean
health_probe_pressure_parse (const char      *buf,
                             gsize            len,
                             HealthBuiltinId  id,
                             HealthSnapshot  *snapshot)
{
  HealthLineReader reader;
  const char *line;
  gsize line_len;
  double avg10;

  g_return_val_if_fail (id == HEALTH_BUILTIN_ID_MEMORY_PRESSURE ||
                        id == HEALTH_BUILTIN_ID_CPU_PRESSURE ||
                        id == HEALTH_BUILTIN_ID_IO_PRESSURE, FALSE);

  health_line_reader_init (&reader, buf, len);

  /* "some" comes first; "full" (memory, io, and cpu since 5.13) is the
   * share when every task stalled, which the thresholds are not for. */
  while ((line = health_line_reader_next (&reader, &line_len)) != NULL)
    {
      if (!health_has_prefix (line, line_len, "some "))
        continue;

      if (!parse_some_line (line, line_len, &avg10))
        return FALSE;

      snapshot->values[id] = avg10;
      return TRUE;
    }

  return FALSE;
}

static void
pressure_probe_init (HealthProbe              *probe,
                     const HealthProbeContext *ctx)
{
  PressureProbe *self = (PressureProbe *) probe;

  for (guint i = 0; i < N_RESOURCES; i++)
    health_proc_file_init (&self->files[i], resources[i].path);
}

static void
pressure_probe_sample (HealthProbe              *probe,
                       const HealthProbeContext *ctx,
                       HealthSnapshot           *snapshot)
{
  PressureProbe *self = (PressureProbe *) probe;

  for (guint i = 0; i < N_RESOURCES; i++)
    {
      const char *buf;
      gsize len;

      if ((probe->enabled & HEALTH_BUILTIN_FLAG (resources[i].id)) == 0)
        continue;

      buf = health_proc_file_read (&self->files[i], ctx, &len);
      if (buf != NULL && health_probe_pressure_parse (buf, len, resources[i].id, snapshot))
        continue;

      /* health_probe_failed() logs once per probe; here each file is a
       * source of its own. */
      if ((self->logged & (1u << i)) == 0)
        {
          self->logged |= 1u << i;
          g_debug ("Probe pressure: %s is missing or unreadable; its metric stays unknown",
                   resources[i].path);
        }
    }
}

static void
pressure_probe_finalize (HealthProbe *probe)
{
  PressureProbe *self = (PressureProbe *) probe;

  for (guint i = 0; i < N_RESOURCES; i++)
    health_proc_file_clear (&self->files[i]);
}

const HealthProbeClass health_probe_pressure_class = {
  .name = "pressure",
  .provides = HEALTH_BUILTIN_MEMORY_PRESSURE | HEALTH_BUILTIN_CPU_PRESSURE |
              HEALTH_BUILTIN_IO_PRESSURE,
  .instance_size = sizeof (PressureProbe),
  .init = pressure_probe_init,
  .sample = pressure_probe_sample,
  .finalize = pressure_probe_finalize,
};
