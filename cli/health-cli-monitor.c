/* health-cli-monitor.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The monitor a command describes, and the options that choose it,
 * shared by status, watch, export and serve.
 *
 * The commands describe the machine. The short-lived health-monitor
 * process itself (its memory, threads, open files, main-loop latency,
 * tracked objects and cost) says nothing about it, so its metrics are
 * only there with --self.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-cli-private.h"

void
health_cli_add_monitor_options (GOptionContext          *context,
                                HealthCliMonitorOptions *options)
{
  const GOptionEntry entries[] = {
    { "self", 0, 0, G_OPTION_ARG_NONE, &options->self,
      N_("Also show the metrics of this health-monitor process: its memory, threads, "
         "open files, main-loop latency and cost"), NULL },
    G_OPTION_ENTRY_NULL
  };

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
}

/* A monitor of this machine, not the process-wide default: a command
 * must not share it with anything else the process might do. */
HealthMonitor *
health_cli_monitor_new (const HealthCliMonitorOptions *options)
{
  return g_object_new (HEALTH_TYPE_MONITOR,
                       "builtin", options->self ? HEALTH_BUILTIN_ALL : HEALTH_BUILTIN_SYSTEM,
                       NULL);
}
