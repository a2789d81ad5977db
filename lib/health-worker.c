/* health-worker.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "health-clock-private.h"
#include "health-text-private.h"
#include "health-worker-private.h"

struct _HealthWorker
{
  gatomicrefcount     ref_count;
  HealthProbeContext  ctx;
  char               *proc_root;
  GPtrArray          *probes;
  HealthSnapshot      snapshot;
  gboolean            timed;    /* monitor-cost wants this thread's CPU time */

  /* The sampling thread, started by the first sample and ended with the
   * worker: it sleeps on the mailbox between samples, at no cost. */
  GThread            *thread;
  struct _Mailbox    *mailbox;
};

/* The way back, on the samples' context for the life of the thread: the
 * thread writes its eventfd with the sample done, and in its dispatch
 * the task returns at once. g_task_return_pointer() from the thread
 * itself would make, attach and free an idle source per sample. The
 * write is outside of any lock: g_source_set_ready_time() would wake the
 * context while holding the context's lock, and the woken main loop
 * would often block on that lock, a second wake-up. */
typedef struct
{
  GSource         source;
  int             fd;         /* an eventfd */
  GMutex          lock;
  GTask          *done;       /* under lock */
  HealthSnapshot *snapshot;   /* under lock: NULL for a task called off */
} ReturnSource;

static gboolean
return_source_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  ReturnSource *self = (ReturnSource *) source;
  g_autoptr(GTask) task = NULL;
  HealthSnapshot *snapshot;
  guint64 count;

  while (read (self->fd, &count, sizeof count) < 0 && errno == EINTR)
    ;
  g_mutex_lock (&self->lock);
  task = g_steal_pointer (&self->done);
  snapshot = g_steal_pointer (&self->snapshot);
  g_mutex_unlock (&self->lock);

  if (task == NULL)
    return G_SOURCE_CONTINUE;

  /* The snapshot is the worker's own buffer: the main context only
   * reads it, and the next sample is not handed over before this one
   * came back. */
  g_task_return_pointer (task, snapshot, NULL);

  return G_SOURCE_CONTINUE;
}

static void
return_source_finalize (GSource *source)
{
  ReturnSource *self = (ReturnSource *) source;

  g_clear_object (&self->done);
  g_mutex_clear (&self->lock);
  close (self->fd);
}

static GSourceFuncs return_source_funcs = {
  NULL, NULL,
  return_source_dispatch,
  return_source_finalize,
  NULL, NULL,
};

static GSource *
return_source_new (GMainContext *context)
{
  ReturnSource *self = (ReturnSource *) g_source_new (&return_source_funcs, sizeof (ReturnSource));

  g_mutex_init (&self->lock);
  self->fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (self->fd < 0)
    g_error ("Cannot make an eventfd for the sampling thread: %s", g_strerror (errno));
  g_source_add_unix_fd (&self->source, self->fd, G_IO_IN);
  /* Else each dispatch takes the fd out of the context's polls and puts
   * it back, which allocates. A recursive dispatch finds nothing done. */
  g_source_set_can_recurse (&self->source, TRUE);
  g_source_set_static_name (&self->source, "[health] sample back");
  g_source_attach (&self->source, context);

  return &self->source;
}

/* Sampling thread: hands @task (transfer full) back with @snapshot. */
static void
return_source_post (GSource        *source,
                    GTask          *task,
                    HealthSnapshot *snapshot)
{
  ReturnSource *self = (ReturnSource *) source;
  guint64 one = 1;

  g_mutex_lock (&self->lock);
  g_assert (self->done == NULL);
  self->done = task;
  self->snapshot = snapshot;
  g_mutex_unlock (&self->lock);

  /* The source, and so the fd, lives as long as the mailbox, which this
   * thread holds. */
  while (write (self->fd, &one, sizeof one) < 0 && errno == EINTR)
    ;
}

/* Between the monitor's context and the sampling thread: one sample at
 * a time, never two, so one slot (a queue would allocate per push). A
 * task may wait in the slot for its time: the sampling thread keeps the
 * ticks, so that the monitor's context wakes once per sample, for the
 * result, and never for the tick. Times are the clock's
 * (health_clock_monotonic()), so a test's clock moves them too. */
typedef struct _Mailbox
{
  gatomicrefcount  ref_count;   /* the worker's and the thread's */
  GMutex           lock;
  GCond            cond;
  GTask           *task;        /* the next sample, or NULL */
  gint64           not_before;  /* when @task may start; 0: now */
  gint64           idle_until;  /* the thread wakes by itself then; 0: never */
  gboolean         skip;        /* return @task at once, unsampled */
  GSource         *returns;     /* where it goes back: a ReturnSource */
  gboolean         quit;        /* the worker is gone */
} Mailbox;

static Mailbox *
mailbox_new (void)
{
  Mailbox *mailbox = g_new0 (Mailbox, 1);

  g_atomic_ref_count_init (&mailbox->ref_count);
  g_mutex_init (&mailbox->lock);
  g_cond_init (&mailbox->cond);
  health_clock_watch (&mailbox->cond, &mailbox->lock);

  return mailbox;
}

static Mailbox *
mailbox_ref (Mailbox *mailbox)
{
  g_atomic_ref_count_inc (&mailbox->ref_count);
  return mailbox;
}

static void
mailbox_unref (Mailbox *mailbox)
{
  if (!g_atomic_ref_count_dec (&mailbox->ref_count))
    return;

  if (mailbox->returns != NULL)
    {
      g_source_destroy (mailbox->returns);
      g_source_unref (mailbox->returns);
    }
  health_clock_unwatch (&mailbox->cond);
  g_mutex_clear (&mailbox->lock);
  g_cond_clear (&mailbox->cond);
  g_free (mailbox);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mailbox, mailbox_unref)

/* Sampling thread: the next task once its time has come, or NULL when
 * the worker is gone, and where it goes back. A timed wait, not a timer:
 * nothing else wakes. With the slot empty, the thread sleeps until
 * @next_due, the tick after its last task: the time the next task is
 * most likely handed over for, which then needs no wake-up of its own. */
static GTask *
mailbox_take (Mailbox   *mailbox,
              gint64     next_due,
              GSource  **returns,
              gboolean  *skip)
{
  GTask *task;

  g_mutex_lock (&mailbox->lock);
  while (!mailbox->quit)
    {
      gint64 now = health_clock_monotonic ();

      if (mailbox->task == NULL && next_due > now)
        {
          mailbox->idle_until = next_due;
          health_clock_cond_wait_until (&mailbox->cond, &mailbox->lock, next_due);
        }
      else if (mailbox->task == NULL)
        {
          next_due = 0;
          mailbox->idle_until = 0;
          g_cond_wait (&mailbox->cond, &mailbox->lock);
        }
      else if (!mailbox->skip && mailbox->not_before > now)
        {
          mailbox->idle_until = mailbox->not_before;
          health_clock_cond_wait_until (&mailbox->cond, &mailbox->lock, mailbox->not_before);
        }
      else
        {
          break;
        }
    }
  mailbox->idle_until = 0;
  task = g_steal_pointer (&mailbox->task);
  *returns = mailbox->returns;
  *skip = mailbox->skip;
  mailbox->skip = FALSE;
  g_mutex_unlock (&mailbox->lock);

  return task;
}

/* A task for the time the thread wakes at anyway is left for it to find
 * then, without a wake-up now. */
static void
mailbox_post (Mailbox  *mailbox,
              GTask    *task,
              gint64    not_before,
              gboolean  quit)
{
  gboolean wake;

  g_mutex_lock (&mailbox->lock);
  g_assert (mailbox->task == NULL || task == NULL);
  if (task != NULL)
    {
      GMainContext *context = g_task_get_context (task);

      mailbox->task = task;
      mailbox->not_before = not_before;
      /* Samples come back where their tasks were made: the monitor's
       * context, the same for the worker's life. */
      if (mailbox->returns == NULL || g_source_get_context (mailbox->returns) != context)
        {
          if (mailbox->returns != NULL)
            {
              g_source_destroy (mailbox->returns);
              g_source_unref (mailbox->returns);
            }
          mailbox->returns = return_source_new (context);
        }
    }
  mailbox->quit |= quit;
  wake = task == NULL || not_before <= 0 || not_before != mailbox->idle_until;
  g_mutex_unlock (&mailbox->lock);
  /* After unlocking, so that the thread, once woken, does not wait for
   * the lock that this one still holds. */
  if (wake)
    g_cond_signal (&mailbox->cond);
}

HealthWorkerFunc *
health_worker_func_new (HealthMetric     *metric,
                        HealthSampleFunc  func,
                        gpointer          user_data,
                        GDestroyNotify    destroy)
{
  HealthWorkerFunc *self = g_new0 (HealthWorkerFunc, 1);

  g_atomic_ref_count_init (&self->ref_count);
  self->metric = g_object_ref (metric);
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
  self->value = NAN;

  return self;
}

HealthWorkerFunc *
health_worker_func_ref (HealthWorkerFunc *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
health_worker_func_unref (HealthWorkerFunc *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  if (self->destroy != NULL)
    self->destroy (self->user_data);
  g_object_unref (self->metric);
  g_free (self);
}

/* CPU time of the calling thread, for monitor-cost: a system call. */
gint64
health_thread_cpu_time_ns (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts) != 0)
    return 0;

  return (gint64) ts.tv_sec * G_GINT64_CONSTANT (1000000000) + ts.tv_nsec;
}

HealthWorker *
health_worker_new (const char    *proc_root,
                   HealthBuiltin  builtin)
{
  HealthWorker *self = g_new0 (HealthWorker, 1);
  const HealthProbeClass * const *classes;
  guint n_classes;

  g_atomic_ref_count_init (&self->ref_count);
  self->proc_root = g_strdup (proc_root);
  self->ctx.proc_root = self->proc_root;
  self->ctx.proc_fd = open (proc_root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  self->ctx.is_procfs = health_proc_root_is_procfs (self->ctx.proc_fd);
  if (self->ctx.proc_fd < 0 && builtin != HEALTH_BUILTIN_NONE)
    {
      int saved_errno = errno;
      g_autofree char *shown = health_text_sanitize (proc_root, -1);

      g_debug ("Cannot open %s (%s): built-in metrics stay unknown",
               shown, g_strerror (saved_errno));
    }

  /* A system call a sample, for a metric that may not be there. */
  self->timed = (builtin & HEALTH_BUILTIN_MONITOR_COST) != 0;
  self->probes = g_ptr_array_new_with_free_func ((GDestroyNotify) health_probe_free);
  classes = health_probe_get_classes (&n_classes);
  for (guint i = 0; i < n_classes; i++)
    {
      HealthBuiltin enabled = classes[i]->provides & builtin;

      if (enabled != 0)
        g_ptr_array_add (self->probes, health_probe_new (classes[i], enabled, &self->ctx));
    }

  health_snapshot_reset (&self->snapshot);

  return self;
}

HealthWorker *
health_worker_ref (HealthWorker *self)
{
  g_atomic_ref_count_inc (&self->ref_count);
  return self;
}

void
health_worker_unref (HealthWorker *self)
{
  if (!g_atomic_ref_count_dec (&self->ref_count))
    return;

  /* No sample is out (each holds a reference), so the thread sleeps in
   * the queue: it wakes, ends, and nobody waits for it. */
  if (self->thread != NULL)
    {
      mailbox_post (self->mailbox, NULL, 0, TRUE);
      g_clear_pointer (&self->thread, g_thread_unref);
    }
  g_clear_pointer (&self->mailbox, mailbox_unref);

  g_ptr_array_unref (self->probes);
  if (self->ctx.proc_fd >= 0)
    close (self->ctx.proc_fd);
  g_free (self->proc_root);
  g_free (self);
}

const HealthProbeContext *
health_worker_get_context (HealthWorker *self)
{
  return &self->ctx;
}

HealthWorkerJob *
health_worker_job_new (HealthWorker *worker,
                       const char   *disk_path,
                       GPtrArray    *funcs)
{
  HealthWorkerJob *job = g_new0 (HealthWorkerJob, 1);

  job->worker = health_worker_ref (worker);
  job->disk_path = disk_path ? g_ref_string_acquire ((char *) disk_path) : NULL;
  job->funcs = funcs ? g_ptr_array_ref (funcs) : NULL;

  return job;
}

/* Main context: the funcs' destroy notifies and metric unrefs run here. */
void
health_worker_job_free (HealthWorkerJob *job)
{
  g_clear_pointer (&job->funcs, g_ptr_array_unref);
  g_clear_pointer (&job->disk_path, g_ref_string_release);
  g_clear_pointer (&job->worker, health_worker_unref);
  g_free (job);
}

HealthSnapshot *
health_worker_run (HealthWorkerJob *job)
{
  HealthWorker *self = job->worker;
  HealthSnapshot *snapshot = &self->snapshot;
  HealthProbeContext ctx = self->ctx;

  ctx.disk_path = job->disk_path;
  health_snapshot_reset (snapshot);

  for (guint i = 0; i < self->probes->len; i++)
    {
      HealthProbe *probe = g_ptr_array_index (self->probes, i);

      probe->klass->sample (probe, &ctx, snapshot);
    }

  if (job->funcs != NULL)
    {
      for (guint i = 0; i < job->funcs->len; i++)
        {
          HealthWorkerFunc *func = g_ptr_array_index (job->funcs, i);

          func->value = func->func (func->metric, func->user_data);
        }
    }

  snapshot->done_mono_us = g_get_monotonic_time ();

  return snapshot;
}

static gpointer
worker_thread (gpointer data)
{
  g_autoptr(Mailbox) mailbox = data;
  gint64 cpu_ns = -1;
  gint64 next_due = 0;
  GSource *returns;
  gboolean skip;
  GTask *task;

  while ((task = mailbox_take (mailbox, next_due, &returns, &skip)) != NULL)
    {
      HealthWorkerJob *job = g_task_get_task_data (task);
      HealthSnapshot *snapshot;

      next_due = job->next_due_us;

      /* Called off before its time: back at once, with nothing. */
      if (skip)
        {
          return_source_post (returns, task, NULL);
          continue;
        }

      job->started_us = health_clock_monotonic ();
      snapshot = health_worker_run (job);

      /* This thread runs samples and nothing else: all it spent since
       * the last one (woken, sampling, handing back) is this sample's,
       * read with one system call, and only for monitor-cost. */
      if (job->worker->timed)
        {
          gint64 previous_ns = cpu_ns;

          cpu_ns = health_thread_cpu_time_ns ();
          snapshot->worker_cpu_ns = previous_ns >= 0 ? cpu_ns - previous_ns : 0;
        }

      return_source_post (returns, task, snapshot);
    }

  return NULL;
}

/* A GTask returns to the thread-default context of whoever made it: the
 * monitor's tasks must be made there, by the thread that runs it (or by
 * the one that will, before it iterates). */
gboolean
health_main_context_is_current (GMainContext *context)
{
  GMainContext *thread_default = g_main_context_get_thread_default ();

  if ((thread_default != NULL ? thread_default : g_main_context_default ()) != context)
    return FALSE;

  if (g_main_context_is_owner (context))
    return TRUE;

  /* Not in an iteration: no other thread may be in one either. */
  if (!g_main_context_acquire (context))
    return FALSE;
  g_main_context_release (context);

  return TRUE;
}

/* The monitor's context: the one hand-off to the worker. @task, made on
 * that context with a HealthWorkerJob of @self as its task data, is
 * returned from the sampling thread with the job's snapshot, which
 * g_task_propagate_pointer() gives back on that context. The sample
 * starts at @not_before (the clock's monotonic µs; 0 or a past time:
 * now), unless health_worker_reschedule() moves it or
 * health_worker_call_off() calls it off, in which case @task comes back
 * with NULL. The caller never hands over a second task before the first
 * came back. */
void
health_worker_sample (HealthWorker *self,
                      GTask        *task,
                      gint64        not_before)
{
  HealthWorkerJob *job;

  g_return_if_fail (G_IS_TASK (task));
  job = g_task_get_task_data (task);
  g_return_if_fail (job->worker == self);

  if (self->thread == NULL)
    {
      self->mailbox = mailbox_new ();
      self->thread = g_thread_new ("health-sampler", worker_thread, mailbox_ref (self->mailbox));
    }

  job->due_us = MAX (not_before, 0);
  mailbox_post (self->mailbox, g_object_ref (task), job->due_us, FALSE);
}

/* The task handed over, if it still waits for its time: TRUE with its
 * job given to @func under the lock (the sampling thread has not seen it
 * yet, so @func may change it), FALSE when it started already or none
 * waits. */
static gboolean
worker_with_waiting (HealthWorker *self,
                     gint64        not_before,
                     gboolean      call_off,
                     void        (*func) (HealthWorkerJob *job,
                                          gpointer         data),
                     gpointer      data)
{
  Mailbox *mailbox = self->mailbox;
  gboolean waiting;

  if (mailbox == NULL)
    return FALSE;

  g_mutex_lock (&mailbox->lock);
  waiting = mailbox->task != NULL && !mailbox->skip;
  if (waiting)
    {
      HealthWorkerJob *job = g_task_get_task_data (mailbox->task);

      if (func != NULL)
        func (job, data);
      if (not_before >= 0)
        {
          mailbox->not_before = not_before;
          job->due_us = not_before;
        }
      mailbox->skip = call_off;
    }
  g_mutex_unlock (&mailbox->lock);

  if (waiting && (call_off || not_before >= 0))
    g_cond_signal (&mailbox->cond);

  return waiting;
}

/* Moves the task that waits for its time to @not_before (0: now). FALSE
 * when it has started already, or none waits. */
gboolean
health_worker_reschedule (HealthWorker *self,
                          gint64        not_before)
{
  return worker_with_waiting (self, not_before, FALSE, NULL, NULL);
}

/* The task that waits for its time comes back at once with NULL. FALSE
 * when it has started already (it comes back with its snapshot), or none
 * waits. */
gboolean
health_worker_call_off (HealthWorker *self)
{
  return worker_with_waiting (self, -1, TRUE, NULL, NULL);
}

typedef struct
{
  const char *disk_path;
  GPtrArray  *funcs;
  char       *old_disk_path;
  GPtrArray  *old_funcs;
} JobUpdate;

static void
job_update (HealthWorkerJob *job,
            gpointer         data)
{
  JobUpdate *update = data;

  update->old_disk_path = g_steal_pointer (&job->disk_path);
  update->old_funcs = g_steal_pointer (&job->funcs);
  job->disk_path = update->disk_path ? g_ref_string_acquire ((char *) update->disk_path) : NULL;
  job->funcs = update->funcs ? g_ptr_array_ref (update->funcs) : NULL;
}

/* The task that waits for its time takes @disk_path and @funcs, as if it
 * had been made now. FALSE when it has started already, or none waits. */
gboolean
health_worker_update_waiting (HealthWorker *self,
                              const char   *disk_path,
                              GPtrArray    *funcs)
{
  JobUpdate update = { disk_path, funcs, NULL, NULL };
  gboolean waiting;

  waiting = worker_with_waiting (self, -1, FALSE, job_update, &update);

  /* Out of the lock: a func's destroy notify is the app's code. */
  g_clear_pointer (&update.old_disk_path, g_ref_string_release);
  g_clear_pointer (&update.old_funcs, g_ptr_array_unref);

  return waiting;
}
