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

/* A timeout every @interval_ms that follows the clock: GLib's, or, under
 * a test's clock, one that fires once the test has moved that clock
 * past it. In its callback, health_clock_timeout_get_lateness() says how
 * late it fires, in µs of that clock. */
GSource *health_clock_timeout_source_new   (guint            interval_ms);
gint64   health_clock_timeout_get_lateness (GSource         *source);

G_END_DECLS
