/* health-probe-interface-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The probe interface: the snapshot a sample fills, the class a probe
 * implements, and the plumbing they share. A probe is a small reader
 * that runs on the monitor's worker thread and fills a HealthSnapshot; it
 * keeps its files open and re-reads them with pread() into a buffer that
 * is allocated once, so a sample allocates nothing after the first one.
 */

#pragma once

#include <glib.h>
#include <sys/types.h>

#include "health-types.h"

G_BEGIN_DECLS

/* One slot per built-in metric, in the bit order of HealthBuiltin. */
typedef enum
{
  HEALTH_BUILTIN_ID_MEMORY_USAGE,
  HEALTH_BUILTIN_ID_MEMORY_AVAILABLE,
  HEALTH_BUILTIN_ID_SWAP_USAGE,
  HEALTH_BUILTIN_ID_CPU_USAGE,
  HEALTH_BUILTIN_ID_LOAD_AVERAGE,
  HEALTH_BUILTIN_ID_DISK_USAGE,
  HEALTH_BUILTIN_ID_MEMORY_PRESSURE,
  HEALTH_BUILTIN_ID_CPU_PRESSURE,
  HEALTH_BUILTIN_ID_IO_PRESSURE,
  HEALTH_BUILTIN_ID_PROCESS_MEMORY,
  HEALTH_BUILTIN_ID_THREAD_COUNT,
  HEALTH_BUILTIN_ID_OPEN_FILES,
  HEALTH_BUILTIN_ID_MAIN_LOOP_LATENCY,
  HEALTH_BUILTIN_ID_TRACKED_OBJECTS,
  HEALTH_BUILTIN_ID_MONITOR_COST,
  HEALTH_N_BUILTIN_IDS
} HealthBuiltinId;

#define HEALTH_BUILTIN_FLAG(id) ((HealthBuiltin) (1u << (id)))

/* Room for "name (pid) amount". */
#define HEALTH_CULPRIT_MAX 128

/* statfs() f_type of the kernel's /proc (linux/magic.h). */
#define HEALTH_PROC_SUPER_MAGIC 0x9fa0

/* What one sample carries from the worker to the main context. Owned by
 * the worker and reused; never two samples in flight, so never shared.
 */
typedef struct
{
  /* NaN: unknown */
  double  values[HEALTH_N_BUILTIN_IDS];

  /* Facts about the machine that some defaults depend on; 0 when unknown. */
  guint64 mem_total_bytes;
  guint64 nofile_limit;
  int     swap_present;   /* -1 unknown, 0 the machine has no swap, 1 it has */

  /* Filled by the worker around the probes. */
  gint64  worker_cpu_ns;
  gint64  done_mono_us;
} HealthSnapshot;

/* Immutable for the life of the worker. */
typedef struct
{
  int         proc_fd;     /* O_PATH | O_DIRECTORY descriptor of proc-root, or -1 */
  const char *proc_root;
  gboolean    is_procfs;   /* proc-root is the kernel's: its files are never replaced */
  const char *disk_path;
} HealthProbeContext;

typedef struct _HealthProbe HealthProbe;
typedef struct _HealthProbeClass HealthProbeClass;

struct _HealthProbeClass
{
  const char    *name;
  HealthBuiltin  provides;
  gsize          instance_size;

  /* Main thread, at construction; may take a baseline. Optional. */
  void         (*init)     (HealthProbe              *probe,
                            const HealthProbeContext *ctx);
  /* Worker thread; fills the slots of `provides` (NaN when unknown). */
  void         (*sample)   (HealthProbe              *probe,
                            const HealthProbeContext *ctx,
                            HealthSnapshot           *snapshot);
  /* Optional. */
  void         (*finalize) (HealthProbe              *probe);
};

struct _HealthProbe
{
  const HealthProbeClass *klass;
  HealthBuiltin           enabled;   /* provides & the monitor's builtin */
  guint                   failed_once : 1;
};

/* A /proc (or /sys) file kept open and re-read at offset 0. */
typedef struct
{
  const char *path;      /* relative to proc-root, e.g. "meminfo" */
  int         fd;        /* -1 until opened */
  dev_t       dev;       /* of the open file, to notice it replaced */
  ino_t       ino;
  char       *buf;
  gsize       buf_size;
} HealthProcFile;

#define HEALTH_PROC_FILE_MAX_SIZE (1024 * 1024)

gboolean     health_proc_root_is_procfs (int                    fd);

void         health_proc_file_init   (HealthProcFile           *file,
                                      const char               *path);
const char  *health_proc_file_read   (HealthProcFile           *file,
                                      const HealthProbeContext *ctx,
                                      gsize                    *len);
void         health_proc_file_clear  (HealthProcFile           *file);

/* A cursor over a buffer, line by line, without copying. */
typedef struct
{
  const char *pos;
  const char *end;
} HealthLineReader;

void         health_line_reader_init (HealthLineReader *reader,
                                      const char       *buf,
                                      gsize             len);
const char  *health_line_reader_next (HealthLineReader *reader,
                                      gsize            *line_len);

/* Strict number parsing over [*pos, end): skips leading blanks, needs at
 * least one digit, stops at the first non-digit, refuses overflow.
 */
gboolean     health_parse_u64        (const char      **pos,
                                      const char       *end,
                                      guint64          *out);
gboolean     health_parse_double     (const char      **pos,
                                      const char       *end,
                                      double           *out);
gboolean     health_has_prefix       (const char       *line,
                                      gsize             line_len,
                                      const char       *prefix);

/* 100 × part / whole for part <= whole, never above 100 even where
 * 100 × part is not exact in a double. */
double       health_percent          (guint64           part,
                                      guint64           whole);

/* Logs once per probe that a source failed, then stays quiet. */
void         health_probe_failed     (HealthProbe      *probe,
                                      const char       *what);

/* The registry: every probe the library knows. */
const HealthProbeClass * const *health_probe_get_classes (guint *n_classes);

HealthProbe *health_probe_new        (const HealthProbeClass   *klass,
                                      HealthBuiltin             enabled,
                                      const HealthProbeContext *ctx);
void         health_probe_free       (HealthProbe              *probe);

void         health_snapshot_reset   (HealthSnapshot           *snapshot);

G_END_DECLS
