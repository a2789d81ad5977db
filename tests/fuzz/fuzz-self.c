/* fuzz-self.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * self/statm and self/stat, and the /proc/[pid]/stat parser behind the
 * latter.
 */

#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *buf = (const char *) data;
  HealthSnapshot snapshot;
  HealthPidStat pid_stat;
  gboolean ok;

  health_snapshot_reset (&snapshot);
  ok = health_probe_statm_parse (buf, size, 4096, &snapshot);
  FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_PROCESS_MEMORY, 0, (double) G_MAXUINT64);

  health_snapshot_reset (&snapshot);
  ok = health_probe_self_stat_parse (buf, size, &snapshot);
  FUZZ_CHECK_SLOT (&snapshot, ok, HEALTH_BUILTIN_ID_THREAD_COUNT, 1, (double) G_MAXUINT64);

  /* self/stat is the pid parser plus "at least one thread". */
  if (health_pid_stat_parse (buf, size, &pid_stat))
    {
      if (ok != (pid_stat.num_threads > 0))
        fuzz_fail ("self/stat and the pid parser disagree");
    }
  else if (ok)
    {
      fuzz_fail ("self/stat accepted what the pid parser refused");
    }

  return 0;
}
