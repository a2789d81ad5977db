/* test-sample.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A sample waited for: public API only, so that the core tests (linked
 * with the internal library) and the widget tests (linked with the
 * shared one) build it alike.
 */

#include "health.h"
#include "test-util.h"

static void
sample_done (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (health_monitor_sample_finish (HEALTH_MONITOR (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

/* One sample of a HealthMonitor, waited for on the thread-default
 * context. */
void
test_sample_sync (gpointer monitor)
{
  gboolean done = FALSE;

  health_monitor_sample_async (monitor, NULL, sample_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}
