# SPDX-License-Identifier: LGPL-2.1-or-later
#
# CPU time of a running process from /proc, for the benchmarks that
# watch another process (footprint/, gnome-shell/).

import os


def stat_ticks(pid):
    """The process's user + system time, in clock ticks."""
    with open('/proc/%d/stat' % pid) as f:
        rest = f.read().rsplit(')', 1)[1].split()
    # Fields 14 and 15 (utime, stime); rest[0] is field 3.
    return int(rest[11]) + int(rest[12])


def threads_ns(pid):
    """Each thread's time on a CPU, in ns (schedstat), by thread id."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/schedstat' % (pid, tid)) as f:
                out[tid] = int(f.read().split()[0])
        except (OSError, ValueError, IndexError):
            pass
    return out
