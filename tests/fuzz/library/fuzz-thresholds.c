/* fuzz-thresholds.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The applet's `thresholds` setting (a{s(dd)}), which anybody may write
 * with gsettings: whatever it holds — unknown or invalid ids, NaN,
 * infinities, orders that contradict a metric's direction, the same id
 * twice — health_thresholds_apply() never applies a pair the library
 * would refuse, and what it applies, lookup() reads back.
 */

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "health.h"
#include "health-thresholds.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const char * const ids[] = {
  "above", "below", "unknown", "", "Above", "below-", "a b",
};

static double
next_double (const uint8_t **data,
             size_t         *size)
{
  double value = 0;

  /* Raw bytes make NaN, infinities and denormals; small integers make
   * plausible thresholds. */
  if (*size > 0 && (**data & 1))
    {
      value = (double) (gint8) (**data >> 1);
      (*data)++;
      (*size)--;
      return value;
    }

  memcpy (&value, *data, MIN (*size, sizeof value));
  *data += MIN (*size, sizeof value);
  *size -= MIN (*size, sizeof value);

  return value;
}

static void
assert_valid (HealthMetric *metric)
{
  double warning = health_metric_get_warning (metric);
  double critical = health_metric_get_critical (metric);

  g_assert_true (isfinite (warning) && isfinite (critical));
  if (health_metric_get_direction (metric) == HEALTH_DIRECTION_ABOVE)
    g_assert_cmpfloat (warning, <=, critical);
  else
    g_assert_cmpfloat (warning, >=, critical);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) above = health_metric_new ("above", "Above", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthMetric) below = health_metric_new ("below", "Below", "bytes", HEALTH_DIRECTION_BELOW, 2e9, 5e8);
  g_autoptr(GHashTable) first = NULL;
  g_autoptr(GHashTable) second = NULL;
  g_autoptr(GVariant) settings = NULL;
  g_autoptr(GVariant) replaced = NULL;
  GVariantBuilder builder;
  double warning, critical, w, c;

  health_monitor_add_metric (monitor, above);
  health_monitor_add_metric (monitor, below);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(dd)}"));
  while (size > 0)
    {
      const char *id = ids[*data % G_N_ELEMENTS (ids)];

      data++;
      size--;
      warning = next_double (&data, &size);
      critical = next_double (&data, &size);
      g_variant_builder_add (&builder, "{s(dd)}", id, warning, critical);
    }
  settings = g_variant_ref_sink (g_variant_builder_end (&builder));

  first = health_thresholds_apply (monitor, settings, NULL);
  assert_valid (above);
  assert_valid (below);

  /* Emptied, the setting restores the defaults. */
  second = health_thresholds_apply (monitor, g_variant_new ("a{s(dd)}", NULL), first);
  g_assert_cmpuint (g_hash_table_size (second), ==, 0);
  g_assert_cmpfloat (health_metric_get_warning (above), ==, 75);
  g_assert_cmpfloat (health_metric_get_critical (below), ==, 5e8);

  /* What the preferences write, they read back. */
  warning = g_variant_n_children (settings) > 0 ? 1.5 * g_variant_n_children (settings) : 3;
  critical = warning * 2;
  replaced = health_thresholds_replace (settings, "above", warning, critical);
  g_assert_true (health_thresholds_lookup (replaced, "above", &w, &c));
  g_assert_cmpfloat (w, ==, warning);
  g_assert_cmpfloat (c, ==, critical);

  return 0;
}
