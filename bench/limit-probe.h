/* limit-probe.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The "limit" of the probe benchmark: the kernel sources that
 * HEALTH_BUILTIN_DEFAULT reads, read with as few system calls and as
 * little parsing as a correct reader can, and one thread hand-off per
 * sample. It is what libhealth's per-sample cost is measured against.
 */

#pragma once

#include <stdint.h>

typedef enum
{
  LIMIT_MEMORY_USAGE,
  LIMIT_MEMORY_AVAILABLE,
  LIMIT_SWAP_USAGE,
  LIMIT_CPU_USAGE,
  LIMIT_LOAD_AVERAGE,
  LIMIT_DISK_USAGE,
  LIMIT_MEMORY_PRESSURE,
  LIMIT_CPU_PRESSURE,
  LIMIT_IO_PRESSURE,
  LIMIT_PROCESS_MEMORY,
  LIMIT_THREAD_COUNT,
  LIMIT_OPEN_FILES,
  LIMIT_N_VALUES
} LimitValueId;

/* NaN: unknown. */
typedef struct
{
  double values[LIMIT_N_VALUES];
} LimitSnapshot;

typedef struct _LimitProbe LimitProbe;
typedef struct _LimitWorker LimitWorker;

/* Opens every source once and takes the CPU baseline; NULL on failure. */
LimitProbe          *limit_probe_new     (void);
void                 limit_probe_free    (LimitProbe  *probe);
/* Any one thread at a time. */
void                 limit_probe_sample  (LimitProbe    *probe,
                                          LimitSnapshot *snapshot);

/* A thread of its own that samples `probe` when asked. */
LimitWorker         *limit_worker_new    (LimitProbe  *probe);
/* Joins the thread; does not free the probe. */
void                 limit_worker_free   (LimitWorker *worker);
/* One round trip: wakes the worker, sleeps until it answers. The result
 * is valid until the next call. */
const LimitSnapshot *limit_worker_sample (LimitWorker *worker);
