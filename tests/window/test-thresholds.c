/* test-thresholds.c: the preferences' threshold checks, without a display
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include <health.h>
#include <math.h>
#include <string.h>

#include "health-thresholds.h"
#include "test-util.h"

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

/* Reset to defaults in the preferences: the entry goes, the others stay. */
static void
test_remove (void)
{
  g_autoptr(GVariant) two = g_variant_ref_sink (g_variant_new_parsed ("@a{s(dd)} {'cpu-usage': (70.0, 90.0), 'disk-usage': (80.0, 95.0)}"));
  g_autoptr(GVariant) one = health_thresholds_remove (two, "cpu-usage");
  g_autoptr(GVariant) same = health_thresholds_remove (one, "swap-usage");
  double warning = 0, critical = 0;

  g_assert_cmpuint (g_variant_n_children (one), ==, 1);
  g_assert_false (health_thresholds_lookup (one, "cpu-usage", &warning, &critical));
  g_assert_true (health_thresholds_lookup (one, "disk-usage", &warning, &critical));
  g_assert_cmpfloat (warning, ==, 80);
  g_assert_true (g_variant_equal (one, same));
}

static GVariant *
parse_thresholds (const char *text)
{
  return g_variant_ref_sink (g_variant_new_parsed (text));
}

/* process-memory and open-files have defaults that the monitor derives
 * from the machine (RAM, RLIMIT_NOFILE) once it has sampled it: the
 * applet applies the setting before that, and a user who empties it
 * later must get those, not the placeholders the metrics started with. */
static void
test_apply_restores_machine_defaults (void)
{
  g_autoptr(HealthMonitor) reference = health_monitor_new ();
  g_autoptr(HealthMonitor) monitor = health_monitor_new ();
  g_autoptr(GVariant) custom = parse_thresholds ("{'process-memory': (1.0, 2.0), 'open-files': (3.0, 4.0)}");
  g_autoptr(GVariant) empty = parse_thresholds ("@a{s(dd)} {}");
  g_autoptr(GHashTable) first = NULL;
  g_autoptr(GHashTable) second = NULL;
  const char * const ids[] = { "process-memory", "open-files" };

  test_sample_sync (reference);

  first = health_thresholds_apply (monitor, custom, NULL);
  g_assert_cmpuint (g_hash_table_size (first), ==, 2);
  test_sample_sync (monitor);
  g_assert_cmpfloat (health_metric_get_warning (health_monitor_get_metric (monitor, "process-memory")), ==, 1);

  second = health_thresholds_apply (monitor, empty, first);
  g_assert_cmpuint (g_hash_table_size (second), ==, 0);

  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    {
      HealthMetric *expected = health_monitor_get_metric (reference, ids[i]);
      HealthMetric *metric = health_monitor_get_metric (monitor, ids[i]);

      g_test_message ("%s: %g / %g", ids[i],
                      health_metric_get_warning (metric), health_metric_get_critical (metric));
      g_assert_cmpfloat (health_metric_get_warning (metric), ==, health_metric_get_warning (expected));
      g_assert_cmpfloat (health_metric_get_critical (metric), ==, health_metric_get_critical (expected));
    }

  /* And they follow the machine again, as if never changed. */
  test_sample_sync (monitor);
  g_assert_cmpfloat (health_metric_get_warning (health_monitor_get_metric (monitor, "process-memory")), ==,
                     health_metric_get_warning (health_monitor_get_metric (reference, "process-memory")));
}

/* The setting is anybody's to write: a huge one with nothing valid in
 * it is one line in the log, not one per entry. */
static void
test_apply_summarizes_ignored (void)
{
  g_autoptr(HealthMonitor) monitor = health_monitor_new ();
  g_autoptr(GHashTable) overridden = NULL;
  g_autoptr(GVariant) thresholds = NULL;
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(dd)}"));
  /* The log is a terminal's too: the ids shown are clean. */
  g_variant_builder_add (&builder, "{s(dd)}", "\033]0;owned\a\xe2\x80\xae", 1.0, 2.0);
  for (guint i = 1; i < 20000; i++)
    {
      g_autofree char *id = g_strdup_printf ("no-such-metric-%u", i);

      g_variant_builder_add (&builder, "{s(dd)}", id, 1.0, 2.0);
    }
  g_variant_builder_add (&builder, "{s(dd)}", "cpu-usage", 95.0, 80.0);
  g_variant_builder_add (&builder, "{s(dd)}", "disk-usage", 70.0, 80.0);
  thresholds = g_variant_ref_sink (g_variant_builder_end (&builder));

  g_test_expect_message ("health-thresholds", G_LOG_LEVEL_WARNING,
                         "*20001 *20000*unknown*“\xef\xbf\xbd]0;owned\xef\xbf\xbd”*1 refused*cpu-usage*");
  overridden = health_thresholds_apply (monitor, thresholds, NULL);
  g_test_assert_expected_messages ();

  g_assert_cmpuint (g_hash_table_size (overridden), ==, 1);
  g_assert_true (g_hash_table_contains (overridden, "disk-usage"));
  g_assert_cmpfloat (health_metric_get_warning (health_monitor_get_metric (monitor, "cpu-usage")), ==, 80);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/window/thresholds/validate/above", test_validate_above);
  g_test_add_func ("/window/thresholds/validate/below", test_validate_below);
  g_test_add_func ("/window/thresholds/replace", test_replace);
  g_test_add_func ("/window/thresholds/remove", test_remove);
  g_test_add_func ("/window/thresholds/apply/machine-defaults", test_apply_restores_machine_defaults);
  g_test_add_func ("/window/thresholds/apply/summary", test_apply_summarizes_ignored);

  return g_test_run ();
}
