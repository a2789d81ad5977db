/* test-clock.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The clock the tests move by hand: every time libhealth reads, the
 * ticks of a monitor included, is this one once test_init() ran.
 */

#include <math.h>

#include "health-clock-private.h"
#include "test-util.h"

/* Read by the sampling thread too (it waits for its next tick on this
 * clock), written by the test's thread: under a lock. */
static GMutex fake_lock;
static HealthTime fake_now = {
  /* Far from zero, which the monitor reads as "never". */
  .monotonic_us = G_GINT64_CONSTANT (1000000000000),
  .real_us = G_GINT64_CONSTANT (1700000000000000),
};

static void
fake_clock (HealthTime *now,
            gpointer    user_data)
{
  g_mutex_lock (&fake_lock);
  *now = fake_now;
  g_mutex_unlock (&fake_lock);
}

void
test_init (int    *argc,
           char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  health_clock_set_func_for_testing (fake_clock, NULL);
}

/* Rounded: 0.45 s is 450000 µs, not the 449999 that truncating
 * 0.45 * 1e6 would give. */
static gint64
seconds_to_us (double seconds)
{
  return (gint64) round (seconds * G_USEC_PER_SEC);
}

void
test_clock_advance (double seconds)
{
  g_mutex_lock (&fake_lock);
  fake_now.monotonic_us += seconds_to_us (seconds);
  fake_now.real_us += seconds_to_us (seconds);
  g_mutex_unlock (&fake_lock);
  /* The sampling thread waits for its next tick on this clock. */
  health_clock_moved_for_testing ();
}

void
test_clock_step_wall (double seconds)
{
  g_mutex_lock (&fake_lock);
  fake_now.real_us += seconds_to_us (seconds);
  g_mutex_unlock (&fake_lock);
}

/* Runs the thread-default main loop for @ms of real time, the test
 * clock moving with it: for what really takes time, a worker function
 * that blocks. */
void
test_iterate_for (guint ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 last = start;

  while (last < start + ms * 1000)
    {
      gint64 now;

      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
      now = g_get_monotonic_time ();
      test_clock_advance ((now - last) / (double) G_USEC_PER_SEC);
      last = now;
    }
}
