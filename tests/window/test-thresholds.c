/* test-thresholds.c: the preferences' threshold checks, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <health.h>
#include <math.h>
#include <string.h>

#include "health-thresholds.h"

static void
test_validate_above (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("memory-usage", "Memory Usage", "%",
                                                      HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(GError) error = NULL;

  g_assert_true (health_thresholds_validate (metric, 60, 80, &error));
  g_assert_no_error (error);

  g_assert_false (health_thresholds_validate (metric, 95, 80, &error));
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_INVALID_THRESHOLDS);
  g_assert_nonnull (strstr (error->message, "95"));

  /* The metric itself is left alone: the window edits a mirror. */
  g_assert_cmpfloat (health_metric_get_warning (metric), ==, 75);
  g_assert_cmpfloat (health_metric_get_critical (metric), ==, 90);
}

static void
test_validate_below (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("memory-available", "Available Memory", "bytes",
                                                      HEALTH_DIRECTION_BELOW, 2048, 512);
  g_autoptr(GError) error = NULL;

  g_assert_true (health_thresholds_validate (metric, 1024, 256, NULL));
  g_assert_false (health_thresholds_validate (metric, 256, 1024, &error));
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_INVALID_THRESHOLDS);
  g_clear_error (&error);
  g_assert_false (health_thresholds_validate (metric, NAN, 1024, &error));
  g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_INVALID_THRESHOLDS);
}

static void
test_replace (void)
{
  g_autoptr(GVariant) empty = g_variant_ref_sink (g_variant_new_parsed ("@a{s(dd)} {}"));
  g_autoptr(GVariant) one = NULL;
  g_autoptr(GVariant) two = NULL;
  g_autoptr(GVariant) replaced = NULL;
  double warning = 0, critical = 0;

  one = health_thresholds_replace (empty, "cpu-usage", 70, 90);
  g_assert_cmpuint (g_variant_n_children (one), ==, 1);
  two = health_thresholds_replace (one, "disk-usage", 80, 95);
  g_assert_cmpuint (g_variant_n_children (two), ==, 2);
  replaced = health_thresholds_replace (two, "cpu-usage", 60, 85);
  g_assert_cmpuint (g_variant_n_children (replaced), ==, 2);

  g_assert_true (health_thresholds_lookup (replaced, "cpu-usage", &warning, &critical));
  g_assert_cmpfloat (warning, ==, 60);
  g_assert_cmpfloat (critical, ==, 85);
  g_assert_true (health_thresholds_lookup (replaced, "disk-usage", &warning, &critical));
  g_assert_cmpfloat (critical, ==, 95);
  g_assert_false (health_thresholds_lookup (replaced, "swap-usage", &warning, &critical));
  g_assert_false (health_thresholds_lookup (NULL, "swap-usage", &warning, &critical));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window/thresholds/validate/above", test_validate_above);
  g_test_add_func ("/window/thresholds/validate/below", test_validate_below);
  g_test_add_func ("/window/thresholds/replace", test_replace);

  return g_test_run ();
}
