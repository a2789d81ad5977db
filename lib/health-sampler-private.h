/* health-sampler-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The local sampler of a monitor: its ticks, the PSI trigger that wakes
 * it on memory pressure, the sample in flight (never more than one) and
 * the hand-off of each sample to the worker's thread and back. It knows
 * nothing of metrics: it hands the worker's snapshot to its owner.
 */

#pragma once

#include <gio/gio.h>

#include "health-worker-private.h"

G_BEGIN_DECLS

typedef struct _HealthSampler HealthSampler;

/* A sample back on the owner's context, with the worker's snapshot
 * (read-only: it is the worker's buffer) and the job that made it. The
 * sampler stays busy until health_sampler_release(). A sample dropped
 * while out (health_sampler_drop()) comes back with a NULL snapshot, and
 * the sampler is no longer busy. An owner that is gone hears of nothing. */
typedef void (*HealthSamplerDeliverFunc) (GObject              *owner,
                                          const HealthSnapshot *snapshot,
                                          HealthWorkerJob      *job,
                                          gint64                lateness_us);

/* A sample was asked for while one was busy, and skipped. */
typedef void (*HealthSamplerOverrunFunc) (GObject              *owner);

HealthSampler *health_sampler_new             (GObject                  *owner,
                                               GMainContext             *context,
                                               const char               *proc_root,
                                               HealthBuiltin             builtin,
                                               HealthSamplerDeliverFunc  deliver,
                                               HealthSamplerOverrunFunc  overrun);
void           health_sampler_free            (HealthSampler            *self);

HealthWorker  *health_sampler_get_worker      (HealthSampler            *self);
void           health_sampler_set_disk_path   (HealthSampler            *self,
                                               const char               *disk_path);
void           health_sampler_add_worker_func (HealthSampler            *self,
                                               HealthWorkerFunc         *func);
void           health_sampler_remove_worker_func (HealthSampler         *self,
                                                  HealthMetric          *metric);

void           health_sampler_start           (HealthSampler            *self,
                                               guint                     interval_ms);
void           health_sampler_stop            (HealthSampler            *self);
void           health_sampler_set_interval    (HealthSampler            *self,
                                               guint                     interval_ms);

void           health_sampler_sample          (HealthSampler            *self,
                                               gint64                    lateness_us);
gboolean       health_sampler_is_busy         (HealthSampler            *self);
void           health_sampler_release         (HealthSampler            *self);
void           health_sampler_drop            (HealthSampler            *self);
guint          health_sampler_get_overruns    (HealthSampler            *self);

G_END_DECLS
