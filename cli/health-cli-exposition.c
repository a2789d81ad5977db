/* health-cli-exposition.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The text `export` writes and `serve` answers: the library's exposition
 * plus what only the exporting process knows, how many samples it has
 * applied and when the last one was.
 */

#include "config.h"

#include <string.h>

#include "health-cli-private.h"

#define OPENMETRICS_EOF "# EOF\n"

static void
append_host_label (GString *out)
{
  g_string_append (out, "{host=\"");
  for (const char *p = g_get_host_name (); *p != '\0'; p++)
    {
      if (*p == '\\' || *p == '"')
        g_string_append_c (out, '\\');
      if (*p == '\n')
        g_string_append (out, "\\n");
      else
        g_string_append_c (out, *p);
    }
  g_string_append (out, "\"} ");
}

/* `n_samples` is 0 for a one-off export: a counter that restarts at 2
 * on every run would only be noise. `last_sample_us` is wall-clock
 * time, 0 when nothing was sampled yet. */
char *
health_cli_dup_exposition (HealthMonitor     *monitor,
                           HealthCliExposure  format,
                           guint64            n_samples,
                           gint64             last_sample_us)
{
  gboolean openmetrics = format == HEALTH_CLI_EXPOSURE_OPENMETRICS;
  g_autofree char *library_text = NULL;
  g_autoptr (GString) out = NULL;

  if (openmetrics)
    library_text = health_monitor_to_openmetrics (monitor);
  else
    library_text = health_monitor_to_prometheus_text (monitor);

  out = g_string_new (library_text);

  /* `# EOF` must stay last. */
  if (openmetrics && g_str_has_suffix (out->str, OPENMETRICS_EOF))
    g_string_truncate (out, out->len - strlen (OPENMETRICS_EOF));

  if (n_samples > 0)
    {
      /* A counter family is named without `_total` in OpenMetrics and
       * with it in the 0.0.4 format; the samples are the same. */
      const char *family = openmetrics ? "health_samples" : "health_samples_total";

      g_string_append_printf (out,
                              "# HELP %s Samples applied since the exporter started\n"
                              "# TYPE %s counter\n"
                              "health_samples_total",
                              family, family);
      append_host_label (out);
      g_string_append_printf (out, "%" G_GUINT64_FORMAT "\n", n_samples);
    }

  if (last_sample_us > 0)
    {
      char seconds[G_ASCII_DTOSTR_BUF_SIZE];

      /* Alert on `time() - health_last_sample_timestamp_seconds`, as on
       * node_exporter's textfile mtime: the values stay in place when
       * sampling stops. */
      g_string_append (out,
                       "# HELP health_last_sample_timestamp_seconds When the last sample was applied, "
                       "in seconds since the Unix epoch\n"
                       "# TYPE health_last_sample_timestamp_seconds gauge\n");
      if (openmetrics)
        g_string_append (out, "# UNIT health_last_sample_timestamp_seconds seconds\n");
      g_string_append (out, "health_last_sample_timestamp_seconds");
      append_host_label (out);
      g_string_append (out, g_ascii_formatd (seconds, sizeof seconds, "%.3f",
                                             last_sample_us / (double) G_USEC_PER_SEC));
      g_string_append_c (out, '\n');
    }

  if (openmetrics)
    g_string_append (out, OPENMETRICS_EOF);

  return g_string_free (g_steal_pointer (&out), FALSE);
}
