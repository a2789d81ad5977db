/* health-cli-sample.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * One-off sampling for the commands that report once (status, export).
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-cli-private.h"

/* Long enough for /proc/stat to count ticks on every CPU. */
#define RATE_SPAN_MS 250

typedef struct
{
  GMainLoop *loop;
  GError    *error;
} SampleWait;

static void
on_sample_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  SampleWait *wait = user_data;

  health_monitor_sample_finish (HEALTH_MONITOR (source), result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* Runs one sample to completion. The monitor emits its signals on the
 * thread-default main context it was made on, so the loop runs that one.
 */
static gboolean
sample_once (HealthMonitor  *monitor,
             GError        **error)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  SampleWait wait = { loop, NULL };

  health_monitor_sample_async (monitor, NULL, on_sample_done, &wait);
  g_main_loop_run (loop);

  /* Applied all the same: the command shows what it has, and says why
   * the rest is unknown (health_cli_print_unknown_reason()). */
  if (g_error_matches (wait.error, HEALTH_ERROR, HEALTH_ERROR_PROBE_FAILED))
    g_clear_error (&wait.error);

  if (wait.error != NULL)
    {
      g_propagate_error (error, wait.error);
      return FALSE;
    }

  return TRUE;
}

/* Rates (cpu-usage, monitor-cost) are deltas between two samples: take
 * a first one, let a quarter of a second pass, and keep the second. */
gboolean
health_cli_sample_with_rates (HealthMonitor  *monitor,
                              GError        **error)
{
  if (!sample_once (monitor, error))
    return FALSE;

  g_usleep (RATE_SPAN_MS * 1000);

  return sample_once (monitor, error);
}

typedef struct
{
  GMainLoop     *loop;
  HealthMonitor *monitor;
  GError        *error;
} BusWait;

static void
on_mirror_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  BusWait *wait = user_data;

  wait->monitor = health_monitor_new_for_bus_finish (result, &wait->error);
  g_main_loop_quit (wait->loop);
}

/* A monitor that mirrors one exported on the session bus, with its
 * figures as of now. */
HealthMonitor *
health_cli_connect_bus (const char  *bus_name,
                        const char  *object_path,
                        GError     **error)
{
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  g_autoptr (GDBusConnection) connection = NULL;
  BusWait wait = { loop, NULL, NULL };

  if (!g_dbus_is_name (bus_name))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a D-Bus name"), bus_name);
      return NULL;
    }
  if (!g_variant_is_object_path (object_path))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a D-Bus object path"), object_path);
      return NULL;
    }

  connection = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, error);
  if (connection == NULL)
    return NULL;

  health_monitor_new_for_bus_async (connection, bus_name, object_path, NULL, on_mirror_ready, &wait);
  g_main_loop_run (loop);

  if (wait.monitor == NULL)
    {
      g_propagate_error (error, wait.error);
      return NULL;
    }

  return wait.monitor;
}
