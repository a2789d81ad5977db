/* health-probe-meminfo.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * memory-usage, memory-available and swap-usage, from /proc/meminfo.
 */

#include "config.h"

#include <math.h>

#include "health-builtin-probes-private.h"

typedef enum
{
  FIELD_MEM_TOTAL,
  FIELD_MEM_FREE,
  FIELD_MEM_AVAILABLE,
  FIELD_BUFFERS,
  FIELD_CACHED,
  FIELD_SRECLAIMABLE,
  FIELD_SHMEM,
  FIELD_SWAP_TOTAL,
  FIELD_SWAP_FREE,
  N_FIELDS
} Field;

static const char * const field_names[N_FIELDS] = {
  "MemTotal:",
  "MemFree:",
  "MemAvailable:",
  "Buffers:",
  "Cached:",
  "SReclaimable:",
  "Shmem:",
  "SwapTotal:",
  "SwapFree:",
};

#define KEY_LEN(key) (sizeof (key) - 1)

static const guint8 field_lens[N_FIELDS] = {
  KEY_LEN ("MemTotal:"), KEY_LEN ("MemFree:"), KEY_LEN ("MemAvailable:"),
  KEY_LEN ("Buffers:"), KEY_LEN ("Cached:"), KEY_LEN ("SReclaimable:"),
  KEY_LEN ("Shmem:"), KEY_LEN ("SwapTotal:"), KEY_LEN ("SwapFree:"),
};

typedef struct
{
  HealthProbe    parent;
  HealthProcFile meminfo;
} MeminfoProbe;

static void
meminfo_probe_init (HealthProbe              *probe,
                    const HealthProbeContext *ctx)
{
  MeminfoProbe *self = (MeminfoProbe *) probe;

  health_proc_file_init (&self->meminfo, "meminfo");
}

static void
meminfo_probe_finalize (HealthProbe *probe)
{
  MeminfoProbe *self = (MeminfoProbe *) probe;

  health_proc_file_clear (&self->meminfo);
}

/* "Key:   1234 kB" → bytes; the unit must be kB. */
static gboolean
parse_kib_line (const char *line,
                gsize       line_len,
                gsize       key_len,
                guint64    *bytes)
{
  const char *pos = line + key_len;
  const char *end = line + line_len;
  guint64 kib;

  if (!health_parse_u64 (&pos, end, &kib))
    return FALSE;

  while (pos < end && *pos == ' ')
    pos++;

  if (end - pos != 2 || pos[0] != 'k' || pos[1] != 'B')
    return FALSE;

  if (kib > G_MAXUINT64 / 1024)
    return FALSE;

  *bytes = kib * 1024;

  return TRUE;
}

/* Fills `fields`, sets a bit in `found` per field seen; FALSE when a
 * known field is malformed. */
static gboolean
parse_fields (const char *buf,
              gsize       len,
              guint64     fields[N_FIELDS],
              guint      *found)
{
  HealthLineReader reader;
  const char *line;
  gsize line_len;

  *found = 0;
  health_line_reader_init (&reader, buf, len);

  while ((line = health_line_reader_next (&reader, &line_len)) != NULL)
    {
      /* Every wanted field seen: the rest of the table is of no use. */
      if (*found == (1u << N_FIELDS) - 1)
        break;

      for (guint i = 0; i < N_FIELDS; i++)
        {
          gsize key_len = field_lens[i];

          if (line_len < key_len || line[0] != field_names[i][0] ||
              memcmp (line, field_names[i], key_len) != 0)
            continue;

          if (*found & (1u << i))
            break;   /* the kernel writes each once; keep the first */

          if (!parse_kib_line (line, line_len, key_len, &fields[i]))
            return FALSE;

          *found |= 1u << i;
          break;
        }
    }

  return TRUE;
}

#define HAS(f) ((found & (1u << (f))) != 0)

gboolean
health_probe_meminfo_parse (const char     *buf,
                            gsize           len,
                            HealthSnapshot *snapshot)
{
  guint64 fields[N_FIELDS] = { 0 };
  guint64 total, available;
  guint found;

  if (!parse_fields (buf, len, fields, &found))
    return FALSE;

  total = fields[FIELD_MEM_TOTAL];
  if (!HAS (FIELD_MEM_TOTAL) || total == 0)
    return FALSE;

  if (HAS (FIELD_MEM_AVAILABLE))
    {
      available = fields[FIELD_MEM_AVAILABLE];
    }
  else if (HAS (FIELD_MEM_FREE) && HAS (FIELD_BUFFERS) && HAS (FIELD_CACHED))
    {
      /* Kernels before 3.14 have no MemAvailable: estimate it as free
       * memory plus the caches the kernel can drop, less shared memory
       * (counted in Cached but not reclaimable). */
      guint64 reclaimable = fields[FIELD_BUFFERS];
      guint64 shmem;

      /* Each field is below 2^64 / 1024, but their sum need not be: a
       * wrapped sum would be a wrong figure, not an unknown one. */
      if (fields[FIELD_CACHED] > G_MAXUINT64 - reclaimable)
        return FALSE;
      reclaimable += fields[FIELD_CACHED];
      if (fields[FIELD_SRECLAIMABLE] > G_MAXUINT64 - reclaimable)
        return FALSE;
      reclaimable += fields[FIELD_SRECLAIMABLE];

      shmem = MIN (fields[FIELD_SHMEM], reclaimable);
      reclaimable -= shmem;
      if (fields[FIELD_MEM_FREE] > G_MAXUINT64 - reclaimable)
        return FALSE;

      available = MIN (fields[FIELD_MEM_FREE] + reclaimable, total);
    }
  else
    {
      return FALSE;
    }

  if (available > total)
    return FALSE;

  snapshot->mem_total_bytes = total;
  snapshot->values[HEALTH_BUILTIN_ID_MEMORY_USAGE] = health_percent (total - available, total);
  snapshot->values[HEALTH_BUILTIN_ID_MEMORY_AVAILABLE] = (double) available;

  /* A machine without swap uses none of it: 0 %, and the monitor says
   * "no swap". Unknown is for figures that could not be read. */
  if (HAS (FIELD_SWAP_TOTAL) && fields[FIELD_SWAP_TOTAL] == 0)
    {
      snapshot->swap_present = 0;
      snapshot->values[HEALTH_BUILTIN_ID_SWAP_USAGE] = 0;
    }
  else if (HAS (FIELD_SWAP_TOTAL) && HAS (FIELD_SWAP_FREE) &&
           fields[FIELD_SWAP_FREE] <= fields[FIELD_SWAP_TOTAL])
    {
      snapshot->swap_present = 1;
      snapshot->values[HEALTH_BUILTIN_ID_SWAP_USAGE] =
        health_percent (fields[FIELD_SWAP_TOTAL] - fields[FIELD_SWAP_FREE], fields[FIELD_SWAP_TOTAL]);
    }

  return TRUE;
}

static void
meminfo_probe_sample (HealthProbe              *probe,
                      const HealthProbeContext *ctx,
                      HealthSnapshot           *snapshot)
{
  MeminfoProbe *self = (MeminfoProbe *) probe;
  const char *buf;
  gsize len;

  buf = health_proc_file_read (&self->meminfo, ctx, &len);
  if (buf == NULL || !health_probe_meminfo_parse (buf, len, snapshot))
    health_probe_failed (probe, "meminfo");
}

const HealthProbeClass health_probe_meminfo_class = {
  .name = "meminfo",
  .provides = HEALTH_BUILTIN_MEMORY_USAGE | HEALTH_BUILTIN_MEMORY_AVAILABLE | HEALTH_BUILTIN_SWAP_USAGE,
  .instance_size = sizeof (MeminfoProbe),
  .init = meminfo_probe_init,
  .sample = meminfo_probe_sample,
  .finalize = meminfo_probe_finalize,
};
