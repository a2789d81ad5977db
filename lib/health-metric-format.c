/* health-metric-format.c: a metric's values and durations for people
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Units are data (they name Prometheus series and travel over D-Bus);
 * what a person reads is made here, translated: "93.1 %", "1.5 GiB",
 * "1 thread", "about 3 h".
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-metric-impl-private.h"

static const char *
metric_unit_label (const char *unit)
{
  /* Units are data (they name Prometheus series); show them translated. */
  if (g_str_equal (unit, "per core"))
    return _("per core");
  if (g_str_equal (unit, "threads"))
    return _("threads");
  /* "fds" stays as it is, like "%": it is what open-files is counted,
   * exported and alerted in, and another word here would make one
   * figure look like two. */
  if (g_str_equal (unit, "objects"))
    return _("objects");
  if (g_str_equal (unit, "ms"))
    return C_("unit", "ms");

  return unit;
}

/**
 * health_metric_format_value:
 * @self: a metric
 * @value: a value of this metric
 *
 * Formats @value for people, in the metric's unit: "93.1 %", "1.5 GiB",
 * "12 threads", or a dash for NaN.
 *
 * Returns: (transfer full): the formatted value
 *
 * Since: 1.0
 */
char *
health_metric_format_value (HealthMetric *self,
                            double        value)
{
  const char *unit;
  gboolean whole;

  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  if (!isfinite (value))
    return g_strdup ("—");

  if (g_str_equal (self->unit, "bytes"))
    {
      g_autofree char *size = g_format_size_full ((guint64) fabs (value), G_FORMAT_SIZE_IEC_UNITS);

      return value < 0 ? g_strconcat ("-", size, NULL) : g_steal_pointer (&size);
    }

  if (g_str_equal (self->unit, "%"))
    return g_strdup_printf ("%.1f %%", value);

  whole = value == floor (value) && fabs (value) < 1e15;

  /* Whole counts of things say "1 thread", "12 threads" in any language. */
  if (whole && g_str_equal (self->unit, "threads"))
    /* Translators: a count of threads, e.g. "1 thread", "12 threads" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f thread", "%.0f threads", (gulong) fabs (value)), value);
  if (whole && g_str_equal (self->unit, "objects"))
    /* Translators: a count of objects, e.g. "1 object", "1200 objects" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%.0f object", "%.0f objects", (gulong) fabs (value)), value);

  unit = metric_unit_label (self->unit);

  if (whole)
    return *unit ? g_strdup_printf ("%.0f %s", value, unit) : g_strdup_printf ("%.0f", value);

  if (fabs (value) < 10)
    return *unit ? g_strdup_printf ("%.2f %s", value, unit) : g_strdup_printf ("%.2f", value);

  return *unit ? g_strdup_printf ("%.1f %s", value, unit) : g_strdup_printf ("%.1f", value);
}

/**
 * health_format_duration: (skip)
 *
 * "about 3 h", for forecasts.
 */
char *
health_format_duration (double seconds)
{
  guint n;

  if (seconds < 90)
    {
      n = MAX (1, (guint) round (seconds));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u second", "about %u seconds", n), n);
    }
  if (seconds < 90 * 60)
    {
      n = (guint) round (seconds / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u minute", "about %u minutes", n), n);
    }
  if (seconds < 36 * 3600)
    {
      n = (guint) round (seconds / 3600);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u hour", "about %u hours", n), n);
    }

  n = (guint) MIN (round (seconds / 86400), G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u day", "about %u days", n), n);
}
