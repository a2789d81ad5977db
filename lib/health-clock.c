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

/* Timeouts on a test's clock: ready once the clock has passed the
 * deadline, looked at each time the main loop prepares, which the test
 * makes it do as it moves the clock. */
typedef struct
{
  GSource source;
  gint64  interval_us;
  gint64  deadline_us;
  gint64  lateness_us;
} ClockTimeout;

static gboolean
clock_timeout_prepare (GSource *source,
                       int     *timeout)
{
  ClockTimeout *self = (ClockTimeout *) source;
  HealthTime now;

  health_clock_now (&now);
  *timeout = -1;

  return now.monotonic_us >= self->deadline_us;
}

static gboolean
clock_timeout_check (GSource *source)
{
  int timeout;

  return clock_timeout_prepare (source, &timeout);
}

static gboolean
clock_timeout_dispatch (GSource     *source,
                        GSourceFunc  callback,
                        gpointer     user_data)
{
  ClockTimeout *self = (ClockTimeout *) source;
  HealthTime now;

  health_clock_now (&now);
  self->lateness_us = now.monotonic_us - self->deadline_us;
  /* As GLib's: the next one an interval after this one fired. */
  self->deadline_us = now.monotonic_us + self->interval_us;

  return callback (user_data);
}

static GSourceFuncs clock_timeout_funcs = {
  clock_timeout_prepare,
  clock_timeout_check,
  clock_timeout_dispatch,
  NULL, NULL, NULL,
};

GSource *
health_clock_timeout_source_new (guint interval_ms)
{
  ClockTimeout *self;
  HealthTime now;

  if G_LIKELY (clock_func == NULL)
    {
      /* Whole seconds take GLib's per-session second boundary, so the
       * timeout shares its wake-up with the other timers of the session. */
      if (interval_ms % 1000 == 0)
        return g_timeout_source_new_seconds (interval_ms / 1000);
      return g_timeout_source_new (interval_ms);
    }

  health_clock_now (&now);
  self = (ClockTimeout *) g_source_new (&clock_timeout_funcs, sizeof (ClockTimeout));
  self->interval_us = (gint64) interval_ms * 1000;
  self->deadline_us = now.monotonic_us + self->interval_us;

  return (GSource *) self;
}

gint64
health_clock_timeout_get_lateness (GSource *source)
{
  if (source->source_funcs == &clock_timeout_funcs)
    return ((ClockTimeout *) source)->lateness_us;

  /* Inside the dispatch, the source's ready time is still the one that
   * fired: how late it fires is the main loop's doing. */
  return MAX (0, g_get_monotonic_time () - g_source_get_ready_time (source));
}
