/* health-worker-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The worker side of a monitor: the probes with their open files, and
 * the one snapshot they fill. It is shared by reference between the
 * monitor and the sample in flight, so a monitor disposed mid-sample
 * leaves the worker alive until the sample ends.
 */

#pragma once

#include <gio/gio.h>

#include "health-metric.h"
#include "health-monitor.h"
#include "probes/health-probe-interface-private.h"

G_BEGIN_DECLS

typedef struct _HealthWorker HealthWorker;

/* An app metric sampled on the worker; immutable but for `value`, which
 * only the worker writes and only the main context reads once the
 * sample is back. */
typedef struct
{
  gatomicrefcount   ref_count;
  HealthMetric     *metric;
  HealthSampleFunc  func;
  gpointer          user_data;
  GDestroyNotify    destroy;
  double            value;
} HealthWorkerFunc;

HealthWorkerFunc *health_worker_func_new   (HealthMetric     *metric,
                                            HealthSampleFunc  func,
                                            gpointer          user_data,
                                            GDestroyNotify    destroy);
HealthWorkerFunc *health_worker_func_ref   (HealthWorkerFunc *func);
void              health_worker_func_unref (HealthWorkerFunc *func);

/* What one sample asks of the worker. */
typedef struct
{
  HealthWorker *worker;
  char         *disk_path;     /* a GRefString */
  GPtrArray    *funcs;         /* of HealthWorkerFunc, shared, never changed */
  gint64        due_us;        /* the clock's monotonic µs: the tick's time; 0 when asked for now */
  gint64        next_due_us;   /* the tick after it, likely the next task's; 0: none */
  gint64        started_us;    /* the clock's monotonic µs: set by the sampling thread */
} HealthWorkerJob;

HealthWorker   *health_worker_new           (const char      *proc_root,
                                             HealthBuiltin    builtin);
HealthWorker   *health_worker_ref           (HealthWorker    *self);
void            health_worker_unref         (HealthWorker    *self);
const HealthProbeContext *health_worker_get_context (HealthWorker *self);

HealthWorkerJob *health_worker_job_new      (HealthWorker    *worker,
                                             const char      *disk_path,
                                             GPtrArray       *funcs);
void             health_worker_job_free     (HealthWorkerJob *job);

gint64          health_thread_cpu_time_ns   (void);

/* Worker thread: runs the probes and the worker funcs. */
HealthSnapshot *health_worker_run           (HealthWorkerJob *job);

gboolean        health_main_context_is_current (GMainContext  *context);

/* Main context: runs @task's job on the worker's own thread, at
 * @not_before (the clock's monotonic µs) or now. */
void            health_worker_sample        (HealthWorker    *self,
                                             GTask           *task,
                                             gint64           not_before);
gboolean        health_worker_reschedule    (HealthWorker    *self,
                                             gint64           not_before);
gboolean        health_worker_call_off      (HealthWorker    *self);
gboolean        health_worker_update_waiting (HealthWorker   *self,
                                              const char      *disk_path,
                                              GPtrArray       *funcs);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthWorkerJob, health_worker_job_free)

G_END_DECLS
