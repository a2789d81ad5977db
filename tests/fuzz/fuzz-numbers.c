/* fuzz-numbers.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The number readers every parser builds on, and disk-usage's figures
 * from statvfs() counts.
 */

#include <string.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *buf = (const char *) data;
  const char *end = buf + size;
  const char *pos;
  HealthSnapshot snapshot;
  guint64 counts[3];
  guint64 u;
  double d;

  pos = buf;
  if (health_parse_u64 (&pos, end, &u) && (pos <= buf || pos > end))
    fuzz_fail ("health_parse_u64() moved out of its buffer");

  pos = buf;
  if (health_parse_double (&pos, end, &d))
    {
      if (pos <= buf || pos > end)
        fuzz_fail ("health_parse_double() moved out of its buffer");
      if (!isfinite (d) || fabs (d) > 9007199254740993.0)
        fuzz_fail ("health_parse_double() gave %g", d);
    }

  if (size >= sizeof counts)
    {
      gboolean ok;

      memcpy (counts, data, sizeof counts);
      health_snapshot_reset (&snapshot);
      ok = health_probe_disk_compute (counts[0], counts[1], counts[2], &snapshot);
      FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_DISK_USAGE, 0, 100);
    }

  return 0;
}
