/* fuzz-stat.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Two readings of /proc/stat in one input, split at the first NUL: the
 * baseline, then the sample.
 */

#include <string.h>

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *buf = (const char *) data;
  const char *split = memchr (buf, '\0', size);
  gsize first_len = split != NULL ? (gsize) (split - buf) : size;
  HealthCpuTimes baseline = { 0 };
  HealthSnapshot snapshot;
  gboolean ok;

  health_snapshot_reset (&snapshot);
  ok = health_probe_stat_parse (buf, first_len, &baseline, &snapshot);
  /* No figure without a baseline. */
  FUZZ_CHECK_SLOT (&snapshot, FALSE, HEALTH_BUILTIN_ID_CPU_USAGE, 0, 100);
  if (ok != baseline.valid)
    fuzz_fail ("a reading was accepted without becoming the baseline");

  if (split != NULL)
    {
      ok = health_probe_stat_parse (split + 1, size - first_len - 1, &baseline, &snapshot);
      FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_CPU_USAGE, 0, 100);
    }

  (void) health_probe_stat_count_cpus (buf, size);

  return 0;
}
