/* fuzz-loadavg.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The first byte is the CPU count, the rest is loadavg.
 */

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  HealthSnapshot snapshot;
  gboolean ok;

  if (size == 0)
    return 0;

  health_snapshot_reset (&snapshot);
  ok = health_probe_loadavg_parse ((const char *) data + 1, size - 1, data[0], &snapshot);

  /* health_parse_double() bounds numbers to 2^53. */
  FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_LOAD_AVERAGE, 0, 9007199254740993.0);
  if (ok && data[0] == 0)
    fuzz_fail ("a load per core of no CPU");

  return 0;
}
