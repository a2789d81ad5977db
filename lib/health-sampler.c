/* health-sampler.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib-unix.h>
#include <unistd.h>

#include "health-clock-private.h"
#include "health-sampler-private.h"
#include "probes/health-builtin-probes-private.h"

struct _HealthSampler
{
  HealthBackend             backend;
  GObject                  *owner;      /* unowned: it owns the sampler */
  GWeakRef                 *owner_ref;  /* a GRcBox, one for every sample */
  GMainContext             *context;
  HealthWorker             *worker;
  HealthBuiltin             builtin;
  HealthSamplerDeliverFunc  deliver;
  HealthSamplerOverrunFunc  overrun;

  char                     *disk_path;  /* a GRefString, shared with jobs */
  GPtrArray                *worker_funcs; /* replaced, never changed, when the set changes */

  guint                     interval;
  GSource                  *tick_source;

  /* Event-driven memory pressure, where the kernel lets us. */
  GSource                  *psi_source;
  int                       psi_fd;

  /* The sample in flight: never more than one. */
  guint                     generation;
  GPtrArray                *waiters;    /* GTasks of sample_async */
  guint                     overruns;
  guint                     busy : 1;
};

static void sampler_sample (HealthSampler *self,
                            gint64         lateness_us);

/* A sample handed to the worker. Like every task that comes back to
 * the monitor, it finds its owner through a weak reference, or finds it
 * gone; while the owner lives, so does the sampler. The reference is
 * the sampler's, shared: setting a GWeakRef takes GObject's global lock
 * and allocates, which one per sample would pay every time. */
typedef struct
{
  GWeakRef        *owner;          /* a share of the sampler's GRcBox */
  HealthSampler   *sampler;
  guint            generation;
  gint64           lateness_us;
  HealthWorkerJob *job;
} SampleCall;

static const HealthBackendClass sampler_backend_class;

HealthSampler *
health_sampler_new (GObject                  *owner,
                    GMainContext             *context,
                    const char               *proc_root,
                    HealthBuiltin             builtin,
                    HealthSamplerDeliverFunc  deliver,
                    HealthSamplerOverrunFunc  overrun)
{
  HealthSampler *self = g_new0 (HealthSampler, 1);

  self->backend.klass = &sampler_backend_class;
  self->owner = owner;
  self->owner_ref = g_atomic_rc_box_new0 (GWeakRef);
  g_weak_ref_init (self->owner_ref, owner);
  self->context = g_main_context_ref (context);
  self->worker = health_worker_new (proc_root, builtin);
  self->builtin = builtin;
  self->deliver = deliver;
  self->overrun = overrun;
  self->worker_funcs = g_ptr_array_new_with_free_func ((GDestroyNotify) health_worker_func_unref);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  self->psi_fd = -1;

  return self;
}

void
health_sampler_free (HealthSampler *self)
{
  health_backend_stop (&self->backend);
  g_clear_pointer (&self->waiters, g_ptr_array_unref);
  g_atomic_rc_box_release_full (g_steal_pointer (&self->owner_ref), (GDestroyNotify) g_weak_ref_clear);

  /* A sample in flight holds the worker until it is back. */
  g_clear_pointer (&self->worker, health_worker_unref);
  g_clear_pointer (&self->worker_funcs, g_ptr_array_unref);
  g_clear_pointer (&self->disk_path, g_ref_string_release);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self);
}

/* The monitor owns the sampler; the backend is borrowed. */
HealthBackend *
health_sampler_get_backend (HealthSampler *self)
{
  return &self->backend;
}

HealthWorker *
health_sampler_get_worker (HealthSampler *self)
{
  return self->worker;
}

/* From the next sample on. */
void
health_sampler_set_disk_path (HealthSampler *self,
                              const char    *disk_path)
{
  g_clear_pointer (&self->disk_path, g_ref_string_release);
  self->disk_path = g_ref_string_acquire ((char *) disk_path);
}

/* A sample in flight keeps its reference to the old set. */
static void
sampler_replace_worker_funcs (HealthSampler    *self,
                              HealthWorkerFunc *added,
                              HealthMetric     *removed)
{
  GPtrArray *funcs = g_ptr_array_new_with_free_func ((GDestroyNotify) health_worker_func_unref);

  for (guint i = 0; i < self->worker_funcs->len; i++)
    {
      HealthWorkerFunc *func = g_ptr_array_index (self->worker_funcs, i);

      if (func->metric != removed)
        g_ptr_array_add (funcs, health_worker_func_ref (func));
    }
  if (added != NULL)
    g_ptr_array_add (funcs, added);

  g_ptr_array_unref (self->worker_funcs);
  self->worker_funcs = funcs;
}

/* Takes @func. */
void
health_sampler_add_worker_func (HealthSampler    *self,
                                HealthWorkerFunc *func)
{
  sampler_replace_worker_funcs (self, func, NULL);
}

void
health_sampler_remove_worker_func (HealthSampler *self,
                                   HealthMetric  *metric)
{
  sampler_replace_worker_funcs (self, NULL, metric);
}

/* The sample in flight */

static void
sample_call_free (SampleCall *call)
{
  g_atomic_rc_box_release_full (call->owner, (GDestroyNotify) g_weak_ref_clear);
  g_clear_pointer (&call->job, health_worker_job_free);
  g_free (call);
}

static void
sample_done (GObject      *source_object,
             GAsyncResult *result,
             gpointer      user_data)
{
  SampleCall *call = user_data;
  g_autoptr(GObject) owner = g_weak_ref_get (call->owner);
  const HealthSnapshot *snapshot;
  HealthSampler *self;

  /* The worker is done with the job whatever happened: only now may the
   * next sample start, since they share the probes. */
  snapshot = g_task_propagate_pointer (G_TASK (result), NULL);

  if (owner == NULL)
    {
      sample_call_free (call);
      return;
    }

  self = call->sampler;
  if (snapshot != NULL && call->generation == self->generation)
    {
      /* Busy until the owner releases it. */
      self->deliver (owner, snapshot, call->job, call->lateness_us);
      sample_call_free (call);
      return;
    }

  /* Stopped (and maybe restarted) while the sample was out: its figures
   * are stale, but whoever waits since then wants one. */
  self->busy = FALSE;
  sample_call_free (call);
  if (self->waiters->len > 0 || self->tick_source != NULL)
    sampler_sample (self, 0);
}

/* Samples now, unless a sample is busy: then the request is counted as
 * an overrun, never queued. */
static void
sampler_sample (HealthSampler *self,
                gint64         lateness_us)
{
  g_autoptr(GTask) task = NULL;
  SampleCall *call;
  GPtrArray *funcs = self->worker_funcs->len > 0 ? self->worker_funcs : NULL;

  g_return_if_fail (health_main_context_is_current (self->context));

  if (self->busy)
    {
      self->overruns++;
      self->overrun (self->owner);
      return;
    }

  self->busy = TRUE;

  call = g_new0 (SampleCall, 1);
  call->owner = g_atomic_rc_box_acquire (self->owner_ref);
  call->sampler = self;
  call->generation = self->generation;
  call->lateness_us = lateness_us;
  call->job = health_worker_job_new (self->worker, self->disk_path, funcs);

  /* Made on the owner's context, so the worker's result comes back
   * there: one hand-off to the sampling thread, one back. The call, not
   * the task, owns the job, so the job's app data is freed here. */
  task = g_task_new (NULL, NULL, sample_done, call);
  /* The function, not the macro, which would copy a name per sample. */
  (g_task_set_source_tag) (task, sampler_sample);
  g_task_set_task_data (task, call->job, NULL);
  health_worker_sample (self->worker, task);
}

/* The owner is done with the sample it was handed (applied and told, or
 * abandoned): the next one may start. */
void
health_sampler_release (HealthSampler *self)
{
  self->busy = FALSE;
}

/* The samples asked for that the next telling answers; NULL for none,
 * as for most ticks. */
GPtrArray *
health_sampler_steal_waiters (HealthSampler *self)
{
  GPtrArray *waiters;

  if (self->waiters->len == 0)
    return NULL;

  waiters = g_steal_pointer (&self->waiters);
  self->waiters = g_ptr_array_new_with_free_func (g_object_unref);

  return waiters;
}

void
health_sampler_return_waiters (GPtrArray *waiters)
{
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    g_task_return_boolean (g_ptr_array_index (waiters, i), TRUE);
}

guint
health_sampler_get_overruns (HealthSampler *self)
{
  return self->overruns;
}

/* Ticking */

static gboolean
sampler_tick (gpointer user_data)
{
  HealthSampler *self = user_data;

  sampler_sample (self, health_clock_timeout_get_lateness (self->tick_source));

  return G_SOURCE_CONTINUE;
}

static void
sampler_unschedule_ticks (HealthSampler *self)
{
  if (self->tick_source != NULL)
    {
      g_source_destroy (self->tick_source);
      g_clear_pointer (&self->tick_source, g_source_unref);
    }
}

static void
sampler_schedule_ticks (HealthSampler *self)
{
  sampler_unschedule_ticks (self);

  /* Nothing wakes between two ticks. */
  self->tick_source = health_clock_timeout_source_new (self->interval);
  g_source_set_static_name (self->tick_source, "[health] tick");
  g_source_set_callback (self->tick_source, sampler_tick, self, NULL);
  g_source_attach (self->tick_source, self->context);
}

/* An active sampler takes its next sample one new interval from now. */
void
health_sampler_set_interval (HealthSampler *self,
                             guint          interval_ms)
{
  self->interval = interval_ms;
  if (self->tick_source != NULL)
    sampler_schedule_ticks (self);
}

/* Memory pressure, event-driven: the kernel wakes us when tasks stall on
 * memory for PSI_STALL_US within a PSI_WINDOW_US window, and the sampler
 * samples at once instead of waiting for the next tick. Unprivileged
 * triggers need a window that is a multiple of 2 s. */

#define PSI_STALL_US  150000
#define PSI_WINDOW_US 2000000

static gboolean
sampler_memory_pressure_event (int          fd,
                               GIOCondition condition,
                               gpointer     user_data)
{
  HealthSampler *self = user_data;

  if (condition & (G_IO_ERR | G_IO_HUP | G_IO_NVAL))
    {
      g_debug ("The PSI trigger on memory pressure was closed");
      g_clear_pointer (&self->psi_source, g_source_unref);
      close (self->psi_fd);
      self->psi_fd = -1;
      return G_SOURCE_REMOVE;
    }

  /* A tick that finds a sample in flight is counted; so is this. */
  sampler_sample (self, 0);

  return G_SOURCE_CONTINUE;
}

static void
sampler_watch_memory_pressure (HealthSampler *self)
{
  g_autoptr(GError) error = NULL;

  if (self->builtin == HEALTH_BUILTIN_NONE || self->psi_source != NULL)
    return;

  self->psi_fd = health_psi_trigger_open (health_worker_get_context (self->worker),
                                          PSI_STALL_US, PSI_WINDOW_US, &error);
  if (self->psi_fd < 0)
    {
      g_debug ("No event-driven memory alerts: %s", error->message);
      return;
    }

  self->psi_source = g_unix_fd_source_new (self->psi_fd, G_IO_PRI | G_IO_ERR);
  g_source_set_static_name (self->psi_source, "[health] memory pressure");
  g_source_set_callback (self->psi_source, G_SOURCE_FUNC (sampler_memory_pressure_event), self, NULL);
  g_source_attach (self->psi_source, self->context);
}

static void
sampler_unwatch_memory_pressure (HealthSampler *self)
{
  if (self->psi_source != NULL)
    {
      g_source_destroy (self->psi_source);
      g_clear_pointer (&self->psi_source, g_source_unref);
    }

  if (self->psi_fd >= 0)
    {
      close (self->psi_fd);
      self->psi_fd = -1;
    }
}

/* The backend */

/* One sample at once, then one per interval and one per memory pressure
 * event. */
static void
sampler_start (HealthBackend *backend)
{
  HealthSampler *self = (HealthSampler *) backend;

  g_info ("Health monitoring started (interval: %u ms)", self->interval);
  sampler_schedule_ticks (self);
  sampler_watch_memory_pressure (self);
  sampler_sample (self, 0);
}

/* A sample out comes back to be dropped; whoever waits for one hears
 * that none comes. */
static void
sampler_stop (HealthBackend *backend)
{
  HealthSampler *self = (HealthSampler *) backend;
  g_autoptr(GPtrArray) waiters = NULL;

  self->generation++;
  sampler_unschedule_ticks (self);
  sampler_unwatch_memory_pressure (self);

  /* Last: a waiter's callback may ask for the next sample. */
  waiters = health_sampler_steal_waiters (self);
  for (guint i = 0; waiters != NULL && i < waiters->len; i++)
    g_task_return_new_error (g_ptr_array_index (waiters, i), G_IO_ERROR, G_IO_ERROR_CANCELLED,
                             "The monitor was stopped before the sample was applied");
}

/* When a sample is already in flight, @task waits for that one rather
 * than starting a second. */
static void
sampler_sample_now (HealthBackend *backend,
                    GTask         *task)
{
  HealthSampler *self = (HealthSampler *) backend;

  g_ptr_array_add (self->waiters, task);

  if (!self->busy)
    sampler_sample (self, 0);
}

/* The monitor frees the sampler itself. */
static void
sampler_backend_free (HealthBackend *backend)
{
}

static const HealthBackendClass sampler_backend_class = {
  .start = sampler_start,
  .stop = sampler_stop,
  .sample = sampler_sample_now,
  .free = sampler_backend_free,
};
