/* fuzz-meminfo.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HealthSnapshot snapshot;
  gboolean ok;

  health_snapshot_reset (&snapshot);
  ok = health_probe_meminfo_parse ((const char *) data, size, &snapshot);

  FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_MEMORY_USAGE, 0, 100);
  FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_MEMORY_AVAILABLE, 0, (double) G_MAXUINT64);
  FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_SWAP_USAGE, 0, 100);

  if (ok && (double) snapshot.mem_total_bytes < snapshot.values[HEALTH_BUILTIN_ID_MEMORY_AVAILABLE])
    fuzz_fail ("more memory available than there is");

  return 0;
}
