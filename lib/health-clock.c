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
