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

#include <glib-unix.h>

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
  GSource            *done_source;  /* on the context of the tasks */
};

/* Between the monitor's context and the sampling thread: one sample at
 * a time, never two, so one slot (a queue would allocate per push). A
 * task may wait in the slot for its time: the sampling thread keeps the
 * tick itself, so that the monitor's context wakes once per sample, for
 * the result, and never for the tick. */
typedef struct _Mailbox
{
  gatomicrefcount  ref_count;   /* the worker's and the thread's */
  GMutex           lock;
  GCond            cond;
  GTask           *task;        /* the next sample, or NULL */
  gint64           not_before;  /* monotonic µs: when @task may start */
  gint64           next_due;    /* the tick after the last task, if any */
  gint64           idle_until;  /* the thread wakes by itself then; 0: never */
  gboolean         skip;        /* return @task without sampling */
  gboolean         quit;        /* the worker is gone */

  /* The way back: a task done, and an eventfd the task's context polls.
   * The thread writes it outside of any lock, so the context wakes to
   * an uncontended dispatch (a GTask returned from the thread would
   * attach an idle source under the context's lock, and the woken main
   * loop would often block on that lock: a second wake-up). */
  GTask           *done;
  HealthSnapshot  *done_snapshot;
  int              done_fd;
} Mailbox;

static Mailbox *
mailbox_new (void)
{
  Mailbox *mailbox = g_new0 (Mailbox, 1);

  g_atomic_ref_count_init (&mailbox->ref_count);
  g_mutex_init (&mailbox->lock);
  g_cond_init (&mailbox->cond);
  mailbox->done_fd = eventfd (0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (mailbox->done_fd < 0)
    g_error ("Cannot make an eventfd for the sampling thread: %s", g_strerror (errno));

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

  g_mutex_clear (&mailbox->lock);
  g_cond_clear (&mailbox->cond);
  close (mailbox->done_fd);
  g_free (mailbox);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Mailbox, mailbox_unref)

/* Sampling thread: the next task once its time has come, or NULL when
 * the worker is gone. A timed wait, not a timer: nothing else wakes.
 * With the slot empty, the thread sleeps until the tick after its last
 * task, which is the time the next task is most likely handed over for:
 * that hand-off then needs no wake-up of its own. */
static GTask *
mailbox_take (Mailbox  *mailbox,
              gint64    next_due,
              gboolean *skip)
{
  GTask *task = NULL;

  g_mutex_lock (&mailbox->lock);
  mailbox->next_due = next_due;
  while (!mailbox->quit)
    {
      gint64 now = g_get_monotonic_time ();

      if (mailbox->task == NULL && mailbox->next_due > now)
        {
          mailbox->idle_until = mailbox->next_due;
          if (!g_cond_wait_until (&mailbox->cond, &mailbox->lock, mailbox->next_due))
            mailbox->next_due = 0;
        }
      else if (mailbox->task == NULL)
        {
          mailbox->idle_until = 0;
          g_cond_wait (&mailbox->cond, &mailbox->lock);
        }
      else if (!mailbox->skip && mailbox->not_before > now)
        {
          mailbox->idle_until = mailbox->not_before;
          g_cond_wait_until (&mailbox->cond, &mailbox->lock, mailbox->not_before);
        }
      else
        {
          break;
        }
    }
  mailbox->idle_until = 0;
  task = g_steal_pointer (&mailbox->task);
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
  g_mutex_lock (&mailbox->lock);
  g_assert (mailbox->task == NULL || task == NULL);
  if (task != NULL)
    {
      mailbox->task = task;
      mailbox->not_before = not_before;
    }
  mailbox->quit |= quit;
  if (quit || task == NULL || not_before <= 0 || not_before != mailbox->idle_until)
    g_cond_signal (&mailbox->cond);
  g_mutex_unlock (&mailbox->lock);
}

/* Sampling thread: hands @task back with @snapshot. */
static void
mailbox_return (Mailbox        *mailbox,
                GTask          *task,
                HealthSnapshot *snapshot)
{
  guint64 one = 1;

  g_mutex_lock (&mailbox->lock);
  g_assert (mailbox->done == NULL);
  mailbox->done = task;
  mailbox->done_snapshot = snapshot;
  g_mutex_unlock (&mailbox->lock);

  /* The mailbox, and so the fd, lives as long as this thread. */
  while (write (mailbox->done_fd, &one, sizeof one) < 0 && errno == EINTR)
    ;
}

/* The tasks' context: the task done returns there, at once, from this
 * dispatch. */
static gboolean
mailbox_done_dispatch (int           fd,
                       GIOCondition  condition,
                       gpointer      user_data)
{
  Mailbox *mailbox = user_data;
  HealthSnapshot *snapshot;
  GTask *task;
  guint64 count;

  while (read (fd, &count, sizeof count) < 0 && errno == EINTR)
    ;

  g_mutex_lock (&mailbox->lock);
  task = g_steal_pointer (&mailbox->done);
  snapshot = g_steal_pointer (&mailbox->done_snapshot);
  g_mutex_unlock (&mailbox->lock);

  if (task != NULL)
    {
      g_task_return_pointer (task, snapshot, NULL);
      g_object_unref (task);
    }

  return G_SOURCE_CONTINUE;
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

/* CPU time of the calling thread, for monitor-cost. */
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

  /* Two system calls a sample, for a metric that may not be there. */
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
  if (self->done_source != NULL)
    {
      g_source_destroy (self->done_source);
      g_clear_pointer (&self->done_source, g_source_unref);
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
  job->started_us = g_get_monotonic_time ();

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
  gint64 cpu_start = self->timed ? health_thread_cpu_time_ns () : 0;

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

  snapshot->worker_cpu_ns = self->timed ? health_thread_cpu_time_ns () - cpu_start : 0;
  snapshot->done_mono_us = g_get_monotonic_time ();

  return snapshot;
}

static gpointer
worker_thread (gpointer data)
{
  g_autoptr(Mailbox) mailbox = data;
  GTask *next;
  gint64 next_due = 0;
  gboolean skip;

  while ((next = mailbox_take (mailbox, next_due, &skip)) != NULL)
    {
      g_autoptr(GTask) task = next;
      HealthWorkerJob *job = g_task_get_task_data (task);

      next_due = job->next_due_us;

      /* Called off before its time: back at once, with nothing. */
      if (skip)
        {
          mailbox_return (mailbox, g_steal_pointer (&task), NULL);
          continue;
        }

      /* The snapshot is the worker's own buffer: the main context only
       * reads it, and the next sample is not handed over before this one
       * came back. */
      job->started_us = g_get_monotonic_time ();
      mailbox_return (mailbox, g_steal_pointer (&task), health_worker_run (job));
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
 * starts at @not_before (monotonic µs; 0 or a past time: now), unless
 * health_worker_reschedule() moves it or health_worker_call_off() calls it
 * off, in which case @task comes back with NULL. The caller never hands
 * over a second task before the first came back. */
void
health_worker_sample (HealthWorker *self,
                      GTask        *task,
                      gint64        not_before)
{
  g_return_if_fail (G_IS_TASK (task));
  g_return_if_fail (((HealthWorkerJob *) g_task_get_task_data (task))->worker == self);

  if (self->thread == NULL)
    {
      self->mailbox = mailbox_new ();
      self->done_source = g_unix_fd_source_new (self->mailbox->done_fd, G_IO_IN);
      g_source_set_static_name (self->done_source, "[health] sample done");
      g_source_set_callback (self->done_source, G_SOURCE_FUNC (mailbox_done_dispatch),
                             mailbox_ref (self->mailbox), (GDestroyNotify) mailbox_unref);
      g_source_attach (self->done_source, g_task_get_context (task));
      self->thread = g_thread_new ("health-sampler", worker_thread, mailbox_ref (self->mailbox));
    }

  ((HealthWorkerJob *) g_task_get_task_data (task))->due_us = MAX (not_before, 0);
  mailbox_post (self->mailbox, g_object_ref (task), not_before, FALSE);
}

/* The task handed over, if it still waits for its time: TRUE with @job
 * given to @func under the lock (the sampling thread has not seen it
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
      if (func != NULL)
        func (g_task_get_task_data (mailbox->task), data);
      if (not_before >= 0)
        {
          HealthWorkerJob *job = g_task_get_task_data (mailbox->task);

          mailbox->not_before = not_before;
          job->due_us = not_before;
        }
      mailbox->skip = call_off;
      g_cond_signal (&mailbox->cond);
    }
  g_mutex_unlock (&mailbox->lock);

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
