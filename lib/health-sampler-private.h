/* health-sampler-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The local sampler of a monitor: its ticks (kept on the sampling
 * thread, so that the monitor's context wakes once per sample), the PSI
 * trigger that wakes it on memory pressure, the sample in flight (never
 * more than one) and the hand-off of each sample to the worker's thread
 * and back. It knows nothing of metrics: it hands the worker's snapshot
 * to its owner.
 */

#pragma once

#include <gio/gio.h>

#include "health-backend-private.h"
#include "health-worker-private.h"

G_BEGIN_DECLS

typedef struct _HealthSampler HealthSampler;

/* A sample back on the owner's context, with the worker's snapshot
 * (read-only: it is the worker's buffer) and the job that made it.
 * @lateness_us is how late a tick's figures reach the owner's context,
 * less the time taken to sample (0 for a sample asked for now). The
 * sampler stays busy until health_sampler_release(). A sample dropped
 * while out (the backend stopped) is not delivered; an owner that is gone
 * hears of nothing. */
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
HealthBackend *health_sampler_get_backend     (HealthSampler            *self);

HealthWorker  *health_sampler_get_worker      (HealthSampler            *self);
void           health_sampler_set_disk_path   (HealthSampler            *self,
                                               const char               *disk_path);
void           health_sampler_add_worker_func (HealthSampler            *self,
                                               HealthWorkerFunc         *func);
void           health_sampler_remove_worker_func (HealthSampler         *self,
                                                  HealthMetric          *metric);

void           health_sampler_set_interval    (HealthSampler            *self,
                                               guint                     interval_ms);

void           health_sampler_release         (HealthSampler            *self);
GPtrArray     *health_sampler_steal_waiters   (HealthSampler            *self);
void           health_sampler_return_waiters  (GPtrArray                *waiters);
guint          health_sampler_get_overruns    (HealthSampler            *self);

G_END_DECLS
