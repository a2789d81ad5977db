/* fuzz-pressure.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static const HealthBuiltinId ids[] = {
    HEALTH_BUILTIN_ID_MEMORY_PRESSURE,
    HEALTH_BUILTIN_ID_CPU_PRESSURE,
    HEALTH_BUILTIN_ID_IO_PRESSURE,
  };

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      HealthSnapshot snapshot;
      gboolean ok;

      health_snapshot_reset (&snapshot);
      ok = health_probe_pressure_parse ((const char *) data, size, ids[i], &snapshot);
      FUZZ_CHECK_SLOT (&snapshot, ok, ids[i], 0, 100);
    }

  return 0;
}
