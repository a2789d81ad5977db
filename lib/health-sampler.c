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

  /* Ticks fall at origin + k × interval (k ≥ 1, the clock's monotonic
   * µs). The sampling thread keeps them: each tick is a task handed over
   * ahead, that waits there for its time. The monitor's context only
   * watches for the tick after it, which finds the sample still busy
   * (an overrun) or, normally, is moved on before its time. */
  guint                     interval;
  gint64                    origin_us;
  GSource                  *overrun_watch;  /* while ticking */

  /* Event-driven memory pressure, where the kernel lets us. */
  GSource                  *psi_source;
  int                       psi_fd;

  /* The sample in flight: never more than one. It is busy from the
   * hand-off (a tick waiting for its time included) until the owner
   * releases it. */
  guint                     generation;
  GPtrArray                *waiters;    /* GTasks of sample_async */
  guint                     overruns;
  GTask                    *posted;     /* handed over and not back yet; unowned */
  guint                     busy : 1;
  guint                     called_off : 1; /* @posted comes back unsampled */
};

static gboolean sampler_try_sample_now (HealthSampler *self);

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

/* The set of worker funcs a job takes: NULL for none. */
static GPtrArray *
sampler_job_funcs (HealthSampler *self)
{
  return self->worker_funcs->len > 0 ? self->worker_funcs : NULL;
}

/* A tick handed over ahead was made with the disk path and worker funcs
 * of its time; it takes the new ones, as a tick made now would. */
static void
sampler_update_posted (HealthSampler *self)
{
  if (self->posted != NULL)
    health_worker_update_waiting (self->worker, self->disk_path, sampler_job_funcs (self));
}

/* From the next sample on. */
void
health_sampler_set_disk_path (HealthSampler *self,
                              const char    *disk_path)
{
  g_clear_pointer (&self->disk_path, g_ref_string_release);
  self->disk_path = g_ref_string_acquire ((char *) disk_path);
  sampler_update_posted (self);
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
  sampler_update_posted (self);
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

/* Ticking */

static gint64
sampler_interval_us (HealthSampler *self)
{
  return (gint64) self->interval * 1000;
}

/* The first tick after @time_us. */
static gint64
sampler_next_tick (HealthSampler *self,
                   gint64         time_us)
{
  gint64 passed = time_us < self->origin_us ? 0 : (time_us - self->origin_us) / sampler_interval_us (self);

  return self->origin_us + (passed + 1) * sampler_interval_us (self);
}

static void
sampler_set_origin (HealthSampler *self,
                    gint64         now_us)
{
  self->origin_us = health_clock_first_tick (self->interval, now_us) - sampler_interval_us (self);
}

/* The tick after the one the sample in flight is for (or after @now_us
 * for a sample asked for now) finds it busy, unless it was released by
 * then and the watch moved on. */
static void
sampler_watch_overruns (HealthSampler *self,
                        gint64         time_us)
{
  if (self->overrun_watch != NULL)
    health_clock_deadline_source_set (self->overrun_watch, sampler_next_tick (self, time_us));
}

/* The sample in flight */

static void
sample_call_free (SampleCall *call)
{
  g_atomic_rc_box_release_full (call->owner, (GDestroyNotify) g_weak_ref_clear);
  g_clear_pointer (&call->job, health_worker_job_free);
  g_free (call);
}

/* How late a tick's figures reach the owner's context, less the time
 * spent taking them: how late the sampling thread started it, plus how
 * long the result waited for the owner's context. That is what a tick
 * dispatched on that context would have been late by, and a slow worker
 * func is not blamed on the main loop. A sample asked for now has no
 * tick: the owner measures its delivery alone. */
static gint64
sample_tick_lateness (const HealthWorkerJob *job,
                      const HealthSnapshot  *snapshot)
{
  if (job->due_us == 0)
    return 0;

  return MAX (0, job->started_us - job->due_us) + MAX (0, g_get_monotonic_time () - snapshot->done_mono_us);
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
   * next sample start, since they share the probes. NULL: called off
   * before it started. */
  snapshot = g_task_propagate_pointer (G_TASK (result), NULL);

  if (owner == NULL)
    {
      sample_call_free (call);
      return;
    }

  self = call->sampler;
  if (self->posted == G_TASK (result))
    {
      self->posted = NULL;
      self->called_off = FALSE;
    }

  if (snapshot != NULL && call->generation == self->generation)
    {
      /* Busy until the owner releases it. */
      self->deliver (owner, snapshot, call->job, sample_tick_lateness (call->job, snapshot));
      sample_call_free (call);
      return;
    }

  /* Stopped (and maybe restarted) while the sample was out: its figures
   * are stale, but whoever waits since then wants one. */
  self->busy = FALSE;
  sample_call_free (call);
  if (self->waiters->len > 0 || self->overrun_watch != NULL)
    sampler_try_sample_now (self);
}

/* Hands a sample to the sampling thread, to start at @not_before (the
 * clock's monotonic µs; 0: now). */
static void
sampler_post (HealthSampler *self,
              gint64         not_before)
{
  g_autoptr(GTask) task = NULL;
  SampleCall *call;

  g_return_if_fail (health_main_context_is_current (self->context));
  g_assert (!self->busy);

  self->busy = TRUE;

  call = g_new0 (SampleCall, 1);
  call->owner = g_atomic_rc_box_acquire (self->owner_ref);
  call->sampler = self;
  call->generation = self->generation;
  call->job = health_worker_job_new (self->worker, self->disk_path, sampler_job_funcs (self));

  if (self->overrun_watch != NULL)
    {
      gint64 time_us = not_before > 0 ? not_before : health_clock_monotonic ();

      /* The sampling thread waits for that one next, with no wake-up of
       * its own when it is handed over in time. */
      call->job->next_due_us = sampler_next_tick (self, time_us);
      sampler_watch_overruns (self, time_us);
    }

  /* Made on the owner's context, so the worker's result comes back
   * there: one hand-off to the sampling thread, one back. The call, not
   * the task, owns the job, so the job's app data is freed here. */
  task = g_task_new (NULL, NULL, sample_done, call);
  /* The function, not the macro, which would copy a name per sample. */
  (g_task_set_source_tag) (task, sampler_post);
  g_task_set_task_data (task, call->job, NULL);
  self->posted = task;
  health_worker_sample (self->worker, task, not_before);
}

/* A sample now: a new one, or the tick that waits for its time, early.
 * FALSE when one has started already. */
static gboolean
sampler_try_sample_now (HealthSampler *self)
{
  if (!self->busy)
    {
      sampler_post (self, 0);
      return TRUE;
    }

  return self->posted != NULL && !self->called_off && health_worker_reschedule (self->worker, 0);
}

static void
sampler_count_overrun (HealthSampler *self)
{
  self->overruns++;
  self->overrun (self->owner);
}

/* A pressure event that finds a sample started is counted as an
 * overrun, as a tick is, never queued. */
static void
sampler_sample_or_overrun (HealthSampler *self)
{
  if (!sampler_try_sample_now (self))
    sampler_count_overrun (self);
}

/* TRUE when the tick handed over still waits for its time: it is
 * nudged, to start at once if its time has come. */
static gboolean
sampler_tick_waiting (HealthSampler *self)
{
  HealthWorkerJob *job;

  if (self->posted == NULL || self->called_off)
    return FALSE;

  job = g_task_get_task_data (self->posted);
  return job->due_us > 0 && health_worker_reschedule (self->worker, job->due_us);
}

/* The monitor's context, at a tick that the sample in flight should
 * have been back by. */
static gboolean
sampler_tick_missed (gpointer user_data)
{
  HealthSampler *self = user_data;
  gint64 now_us = health_clock_monotonic ();

  if (self->busy)
    {
      /* A tick still waiting on the thread is late (the clock jumped, or
       * the thread was kept from running), not overrun. */
      if (!sampler_tick_waiting (self))
        sampler_count_overrun (self);
      sampler_watch_overruns (self, now_us);
    }
  else
    {
      /* Nothing handed over (a sample dropped and none asked for since):
       * the tick samples here, as a tick on this context would. */
      sampler_post (self, 0);
    }

  return G_SOURCE_CONTINUE;
}

/* The owner is done with the sample it was handed (applied and told, or
 * abandoned): the next one may start, and the next tick is handed over
 * now, to wait on the sampling thread for its time. */
void
health_sampler_release (HealthSampler *self)
{
  if (!self->busy)
    return;

  self->busy = FALSE;
  if (self->overrun_watch != NULL)
    sampler_post (self, sampler_next_tick (self, health_clock_monotonic ()));
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

/* An active sampler takes its next sample one new interval from now. */
void
health_sampler_set_interval (HealthSampler *self,
                             guint          interval_ms)
{
  gint64 now_us;

  self->interval = interval_ms;
  if (self->overrun_watch == NULL)
    return;

  now_us = health_clock_monotonic ();
  sampler_set_origin (self, now_us);

  /* A tick waiting for its time moves; a sample started stays. */
  if (self->posted != NULL && !self->called_off &&
      health_worker_reschedule (self->worker, sampler_next_tick (self, now_us)))
    now_us = sampler_next_tick (self, now_us);
  sampler_watch_overruns (self, now_us);
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

  /* A tick that finds a sample started is counted; so is this. */
  sampler_sample_or_overrun (self);

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
  if (self->overrun_watch == NULL)
    {
      self->overrun_watch = health_clock_deadline_source_new ();
      g_source_set_static_name (self->overrun_watch, "[health] overrun");
      g_source_set_callback (self->overrun_watch, sampler_tick_missed, self, NULL);
      g_source_attach (self->overrun_watch, self->context);
    }
  sampler_set_origin (self, health_clock_monotonic ());
  sampler_watch_memory_pressure (self);

  /* A tick called off by stop() never ran: once back, it makes way for
   * the first sample, as no tick was missed. */
  if (self->called_off)
    return;

  sampler_sample_or_overrun (self);
}

/* A sample out comes back to be dropped; whoever waits for one hears
 * that none comes. */
static void
sampler_stop (HealthBackend *backend)
{
  HealthSampler *self = (HealthSampler *) backend;
  g_autoptr(GPtrArray) waiters = NULL;

  self->generation++;
  if (self->overrun_watch != NULL)
    {
      g_source_destroy (self->overrun_watch);
      g_clear_pointer (&self->overrun_watch, g_source_unref);
    }
  /* A tick waiting for its time comes back at once, to be dropped. */
  if (self->posted != NULL && !self->called_off && health_worker_call_off (self->worker))
    self->called_off = TRUE;
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
  sampler_try_sample_now (self);
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
