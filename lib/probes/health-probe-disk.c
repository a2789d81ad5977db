/* health-probe-disk.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * disk-usage, from statvfs() of the monitor's disk-path, the way df
 * computes "Use%".
 */

#include "config.h"

#include <errno.h>
#include <sys/statvfs.h>

#include "health-builtin-probes-private.h"

typedef struct
{
  HealthProbe parent;
} DiskProbe;

/* The blocks reserved for root (blocks_free - blocks_avail) count as
 * neither used nor available, as in df: a disk is full for the user when
 * what the user can write is gone, even though root still has some. */
gboolean
health_probe_disk_compute (guint64         blocks,
                           guint64         blocks_free,
                           guint64         blocks_avail,
                           HealthSnapshot *snapshot)
{
  guint64 used;

  /* Pseudo file systems (proc, sysfs) have no blocks: nothing to judge. */
  if (blocks == 0 || blocks_free > blocks)
    return FALSE;

  used = blocks - blocks_free;

  if (blocks_avail > G_MAXUINT64 - used || used + blocks_avail == 0)
    return FALSE;

  snapshot->values[HEALTH_BUILTIN_ID_DISK_USAGE] = health_percent (used, used + blocks_avail);

  return TRUE;
}

static void
disk_probe_sample (HealthProbe              *probe,
                   const HealthProbeContext *ctx,
                   HealthSnapshot           *snapshot)
{
  struct statvfs st;
  int ret;

  if (ctx->disk_path == NULL)
    {
      if (!probe->failed_once)
        g_debug ("Probe disk: no disk path is set; disk-usage stays unknown");
      probe->failed_once = TRUE;
      return;
    }

  do
    ret = statvfs (ctx->disk_path, &st);
  while (ret < 0 && errno == EINTR);

  if (ret < 0 || !health_probe_disk_compute (st.f_blocks, st.f_bfree, st.f_bavail, snapshot))
    health_probe_failed (probe, ctx->disk_path);
}

const HealthProbeClass health_probe_disk_class = {
  .name = "disk",
  .provides = HEALTH_BUILTIN_DISK_USAGE,
  .instance_size = sizeof (DiskProbe),
  .sample = disk_probe_sample,
};
