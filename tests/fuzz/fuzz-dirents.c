/* fuzz-dirents.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * getdents64() records as the kernel (or a broken FUSE file system)
 * might hand them over. The first byte picks the descriptor to skip.
 */

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  guint64 count;

  if (size == 0)
    return 0;

  if (health_probe_dirents_count ((const char *) data + 1, size - 1, (int) data[0] - 1, &count) &&
      count > (size - 1) / 20)
    fuzz_fail ("%" G_GUINT64_FORMAT " entries in %zu bytes", count, size - 1);

  return 0;
}
