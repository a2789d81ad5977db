/* fuzz-pid.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The per-process files of the culprit scan: io, status, statm.
 */

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *buf = (const char *) data;
  guint64 value;

  (void) health_pid_io_parse (buf, size, &value);
  if (health_pid_status_swap_parse (buf, size, &value) && value % 1024 != 0)
    fuzz_fail ("VmSwap is in kB; %" G_GUINT64_FORMAT " bytes is not", value);
  (void) health_pid_statm_parse (buf, size, &value);

  return 0;
}
