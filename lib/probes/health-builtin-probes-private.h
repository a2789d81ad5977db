/* health-builtin-probes-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The built-in probes: their classes (registered in health-probes.c),
 * the parser of each, which the fuzz targets call too, the culprit scan
 * and the PSI trigger. The interface they implement is in
 * health-probe-interface-private.h.
 */

#pragma once

#include "health-probe-interface-private.h"

G_BEGIN_DECLS

extern const HealthProbeClass health_probe_meminfo_class;
extern const HealthProbeClass health_probe_stat_class;
extern const HealthProbeClass health_probe_loadavg_class;
extern const HealthProbeClass health_probe_disk_class;
extern const HealthProbeClass health_probe_pressure_class;
extern const HealthProbeClass health_probe_self_class;

/* Parsers, one per probe, buffer in and snapshot out: what the probes
 * call after reading, and what the fuzz targets call directly. Each
 * returns FALSE on input it does not trust, leaving its slots NaN. */
gboolean health_probe_meminfo_parse (const char     *buf,
                                     gsize           len,
                                     HealthSnapshot *snapshot);

/* The aggregate "cpu" line of /proc/stat, in USER_HZ ticks. */
typedef struct
{
  guint64  busy;    /* total - idle - iowait */
  guint64  idle;    /* idle + iowait */
  gboolean valid;   /* FALSE until a first line was read */
} HealthCpuTimes;

/* cpu-usage: the share of busy ticks between `baseline` and `buf`, which
 * then becomes the baseline. No figure (TRUE, slot NaN) without a valid
 * baseline or when too little time passed to judge (the baseline is then
 * kept, so that the next sample covers a longer span). Counters that go
 * backwards: FALSE, slot NaN, and `buf` becomes the baseline. */
gboolean health_probe_stat_parse    (const char     *buf,
                                     gsize           len,
                                     HealthCpuTimes *baseline,
                                     HealthSnapshot *snapshot);
/* The number of "cpuN" lines (online CPUs); 0 when there is none. */
guint    health_probe_stat_count_cpus (const char     *buf,
                                       gsize           len);

/* load-average: the one-minute load divided by `n_cpus` (> 0). */
gboolean health_probe_loadavg_parse (const char     *buf,
                                     gsize           len,
                                     guint           n_cpus,
                                     HealthSnapshot *snapshot);

/* disk-usage from statvfs() counts, as df computes it: the blocks in use
 * over the blocks in use plus those an unprivileged user may still take. */
gboolean health_probe_disk_compute  (guint64         blocks,
                                     guint64         blocks_free,
                                     guint64         blocks_avail,
                                     HealthSnapshot *snapshot);

/* memory-, cpu- or io-pressure (`id`): "some avg10" of a PSI file. */
gboolean health_probe_pressure_parse (const char      *buf,
                                      gsize            len,
                                      HealthBuiltinId  id,
                                      HealthSnapshot  *snapshot);

/* process-memory from self/statm: resident pages × `page_size`. */
gboolean health_probe_statm_parse   (const char     *buf,
                                     gsize           len,
                                     guint64         page_size,
                                     HealthSnapshot *snapshot);
/* thread-count from self/stat. */
gboolean health_probe_self_stat_parse (const char     *buf,
                                       gsize           len,
                                       HealthSnapshot *snapshot);
/* open-files: counts the entries of a getdents64() buffer, but "." and
 * ".." and the entry named `skip_fd` (the listing's own descriptor when
 * it lists itself; -1 for none). FALSE on a malformed record. */
gboolean health_probe_dirents_count (const char     *buf,
                                     gsize           len,
                                     int             skip_fd,
                                     guint64        *count);

/* The fields of /proc/[pid]/stat that the probes use. The command name
 * (field 2) is in parentheses and may hold anything, ')' included, so
 * fields are counted from the last ')'. */
typedef struct
{
  guint64 utime;        /* field 14, USER_HZ ticks */
  guint64 stime;        /* field 15 */
  guint64 num_threads;  /* field 20 */
} HealthPidStat;

gboolean health_pid_stat_parse      (const char     *buf,
                                     gsize           len,
                                     HealthPidStat  *out);
/* The second field of /proc/[pid]/statm, in pages. */
gboolean health_pid_statm_parse     (const char     *buf,
                                     gsize           len,
                                     guint64        *resident_pages);
/* read_bytes + write_bytes of /proc/[pid]/io. */
gboolean health_pid_io_parse        (const char     *buf,
                                     gsize           len,
                                     guint64        *bytes);
/* VmSwap of /proc/[pid]/status, in bytes. */
gboolean health_pid_status_swap_parse (const char     *buf,
                                       gsize           len,
                                       guint64        *bytes);

/* Culprits: a one-off bounded scan of proc-root for the process most
 * responsible for a memory, swap, CPU or I/O alert. Worker thread only,
 * and only when an alert fires. */
typedef enum
{
  HEALTH_CULPRIT_MEMORY,
  HEALTH_CULPRIT_SWAP,
  HEALTH_CULPRIT_CPU,
  HEALTH_CULPRIT_IO,
} HealthCulpritKind;

/* Writes "name (pid) amount" into `out` (valid UTF-8, truncated to
 * `out_size` at a character boundary); FALSE and "" when nothing fits.
 * Sleeps about 100 ms for a CPU or I/O culprit. */
gboolean health_culprit_find        (const HealthProbeContext *ctx,
                                     HealthCulpritKind         kind,
                                     char                     *out,
                                     gsize                     out_size);

/* The same in two steps, for a caller that waits in its main loop rather
 * than in a thread: begin returns the microseconds to wait before
 * finishing (0 for a level, read all at once at the finish). */
typedef struct _HealthCulpritScan HealthCulpritScan;

HealthCulpritScan *health_culprit_scan_new    (HealthCulpritKind         kind);
gint64             health_culprit_scan_begin  (HealthCulpritScan        *scan,
                                               const HealthProbeContext *ctx);
gboolean           health_culprit_scan_finish (HealthCulpritScan        *scan,
                                               const HealthProbeContext *ctx,
                                               char                     *out,
                                               gsize                     out_size);
void               health_culprit_scan_free   (HealthCulpritScan        *scan);

/* A PSI trigger on <proc-root>/pressure/memory: a descriptor that polls
 * POLLPRI (G_IO_PRI) when tasks stalled `stall_us` within `window_us`,
 * or -1 and HEALTH_ERROR_NOT_SUPPORTED. The caller closes it. */
int      health_psi_trigger_open    (const HealthProbeContext *ctx,
                                     guint                     stall_us,
                                     guint                     window_us,
                                     GError                  **error);

G_END_DECLS
