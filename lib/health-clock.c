/* health-clock.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "health-clock-private.h"

static HealthClockFunc clock_func;
static gpointer clock_data;

void
health_clock_now (HealthTime *now)
{
  if G_UNLIKELY (clock_func != NULL)
    {
      clock_func (now, clock_data);
      return;
    }

  now->monotonic_us = g_get_monotonic_time ();
  now->real_us = g_get_real_time ();
}

/* Tests only; not thread-safe, set it before making monitors. NULL
 * restores the system clocks. */
void
health_clock_set_func_for_testing (HealthClockFunc func,
                                   gpointer        user_data)
{
  clock_func = func;
  clock_data = user_data;
}

gint64
health_clock_monotonic (void)
{
  HealthTime now;

  if G_LIKELY (clock_func == NULL)
    return g_get_monotonic_time ();

  health_clock_now (&now);
  return now.monotonic_us;
}

/* What g_timeout_add_seconds() does in GLib's gmain.c: a whole-second
 * timer fires on a second boundary shifted by a per-session offset, so
 * that every such timer of the session wakes the CPU once, together. */
static gint64
session_second_boundary (gint64 time_us)
{
  static gsize perturb_set = 0;
  static gint64 perturb = 0;
  gint64 remainder;

  if (g_once_init_enter (&perturb_set))
    {
      const char *session = g_getenv ("DBUS_SESSION_BUS_ADDRESS");

      if (session == NULL)
        session = g_getenv ("HOSTNAME");
      if (session != NULL)
        perturb = ABS ((gint) g_str_hash (session)) % G_USEC_PER_SEC;
      g_once_init_leave (&perturb_set, 1);
    }

  time_us -= perturb;
  remainder = time_us % G_USEC_PER_SEC;
  if (remainder >= G_USEC_PER_SEC / 4)
    time_us += G_USEC_PER_SEC;
  time_us -= remainder;

  return time_us + perturb;
}

gint64
health_clock_first_tick (guint  interval_ms,
                         gint64 now_us)
{
  gint64 tick_us = now_us + (gint64) interval_ms * 1000;

  /* Under a test's clock, exactly one interval on. */
  if G_LIKELY (clock_func == NULL && interval_ms % 1000 == 0)
    return session_second_boundary (tick_us);

  return tick_us;
}

/* The waits that the clock's moving must wake: a test's clock moves
 * without time passing, so no timed wait would end by itself. */
typedef struct
{
  GCond  *cond;
  GMutex *mutex;
} ClockWatch;

G_LOCK_DEFINE_STATIC (watches);
static GSList *watches;

void
health_clock_watch (GCond  *cond,
                    GMutex *mutex)
{
  ClockWatch *watch = g_new (ClockWatch, 1);

  watch->cond = cond;
  watch->mutex = mutex;
  G_LOCK (watches);
  watches = g_slist_prepend (watches, watch);
  G_UNLOCK (watches);
}

void
health_clock_unwatch (GCond *cond)
{
  G_LOCK (watches);
  for (GSList *l = watches; l != NULL; l = l->next)
    {
      ClockWatch *watch = l->data;

      if (watch->cond == cond)
        {
          watches = g_slist_delete_link (watches, l);
          g_free (watch);
          break;
        }
    }
  G_UNLOCK (watches);
}

/* Under the waiter's own lock, so that a waiter that read the clock
 * before it moved is already waiting, and wakes. */
void
health_clock_moved_for_testing (void)
{
  G_LOCK (watches);
  for (GSList *l = watches; l != NULL; l = l->next)
    {
      ClockWatch *watch = l->data;

      g_mutex_lock (watch->mutex);
      g_cond_broadcast (watch->cond);
      g_mutex_unlock (watch->mutex);
    }
  G_UNLOCK (watches);
}

gboolean
health_clock_cond_wait_until (GCond  *cond,
                              GMutex *mutex,
                              gint64  deadline_us)
{
  if G_LIKELY (clock_func == NULL)
    return g_cond_wait_until (cond, mutex, deadline_us);

  /* Woken by health_clock_moved_for_testing(), watched for that. */
  g_cond_wait (cond, mutex);
  return health_clock_monotonic () < deadline_us;
}

/* A deadline on a main context, looked at each time the main loop
 * prepares: moving it is a field's write, where
 * g_source_set_ready_time() would also wake the context (an eventfd
 * write and read, and one more iteration) each time the sampler moves
 * it, once a sample. Under a test's clock, the test makes the loop
 * prepare as it moves the clock. */
typedef struct
{
  GSource source;
  gint64  deadline_us;   /* -1: none */
} ClockDeadline;

static gint64
clock_deadline_now (GSource *source)
{
  if G_UNLIKELY (clock_func != NULL)
    return health_clock_monotonic ();

  /* The iteration's own reading of the monotonic clock. */
  return g_source_get_time (source);
}

static gboolean
clock_deadline_prepare (GSource *source,
                        int     *timeout)
{
  ClockDeadline *self = (ClockDeadline *) source;
  gint64 now_us;

  *timeout = -1;
  if (self->deadline_us < 0)
    return FALSE;

  now_us = clock_deadline_now (source);
  if (now_us >= self->deadline_us)
    return TRUE;

  /* A test's clock moves only when the test says. */
  if G_LIKELY (clock_func == NULL)
    *timeout = (int) MIN ((self->deadline_us - now_us + 999) / 1000, G_MAXINT);

  return FALSE;
}

static gboolean
clock_deadline_check (GSource *source)
{
  ClockDeadline *self = (ClockDeadline *) source;

  return self->deadline_us >= 0 && clock_deadline_now (source) >= self->deadline_us;
}

static gboolean
clock_deadline_dispatch (GSource     *source,
                         GSourceFunc  callback,
                         gpointer     user_data)
{
  /* Once: the callback sets the next one. */
  health_clock_deadline_source_set (source, -1);

  return callback (user_data);
}

static GSourceFuncs clock_deadline_funcs = {
  clock_deadline_prepare,
  clock_deadline_check,
  clock_deadline_dispatch,
  NULL, NULL, NULL,
};

GSource *
health_clock_deadline_source_new (void)
{
  ClockDeadline *self = (ClockDeadline *) g_source_new (&clock_deadline_funcs, sizeof (ClockDeadline));

  self->deadline_us = -1;

  return (GSource *) self;
}

/* From the thread that runs the source's context only. */
void
health_clock_deadline_source_set (GSource *source,
                                  gint64   deadline_us)
{
  ClockDeadline *self = (ClockDeadline *) source;

  g_return_if_fail (source->source_funcs == &clock_deadline_funcs);

  self->deadline_us = deadline_us;
}
