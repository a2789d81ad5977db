/* health-clock-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Every time libhealth reads goes through here, so tests can run the
 * clock forward (cooldowns, emergency-after, trend windows, ticks) or
 * step the wall clock back without sleeping.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 monotonic_us;   /* for durations: never goes back */
  gint64 real_us;        /* wall clock, for what people read */
} HealthTime;

typedef void (*HealthClockFunc) (HealthTime *now,
                                 gpointer    user_data);

void     health_clock_now                  (HealthTime      *now);
void     health_clock_set_func_for_testing (HealthClockFunc  func,
                                            gpointer         user_data);

/* The monotonic time alone, in µs of that clock. */
gint64   health_clock_monotonic            (void);

/* The first tick of a sampler ticking every @interval_ms from @now_us:
 * one interval on, and for whole seconds on the system clock, GLib's
 * per-session second boundary (as g_timeout_add_seconds()), so that the
 * ticks share their wake-up with the session's other timers. */
gint64   health_clock_first_tick           (guint            interval_ms,
                                            gint64           now_us);

/* Deadlines on another thread: g_cond_wait_until() that follows the
 * clock. Under a test's clock, it returns when the test moves the clock
 * (health_clock_moved_for_testing()) for every @cond watched with
 * health_clock_watch(); the caller reads the clock again, as after any
 * g_cond_wait_until(). Never call health_clock_watch() or _unwatch()
 * holding @mutex. */
void     health_clock_watch                (GCond           *cond,
                                            GMutex          *mutex);
void     health_clock_unwatch              (GCond           *cond);
gboolean health_clock_cond_wait_until      (GCond           *cond,
                                            GMutex          *mutex,
                                            gint64           deadline_us);
void     health_clock_moved_for_testing    (void);

/* A deadline on a main context that follows the clock: dispatched once
 * the clock has passed it (-1: never), then unset until set again. Set
 * it from the thread that runs that context only: setting it does not
 * wake the context. */
GSource *health_clock_deadline_source_new  (void);
void     health_clock_deadline_source_set  (GSource         *source,
                                            gint64           deadline_us);

G_END_DECLS
