/* test-translation.c: the library speaks German with LANGUAGE=de
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The library binds its domain to the install prefix, where this build's
 * catalogues are not; the test binds it again, to the build tree's po/,
 * after the library did (HealthMonitor's class_init), so its choice wins.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <health.h>
#include <locale.h>

static const char *localedir;

static void
test_german_labels (void)
{
  g_autoptr(HealthMonitor) monitor = health_monitor_new ();
  HealthMetric *metric = health_monitor_get_metric (monitor, "memory-usage");

  g_assert_nonnull (metric);
  g_assert_cmpstr (health_metric_get_label (metric), ==, "Speicherauslastung");
  g_assert_cmpstr (health_status_to_label (HEALTH_STATUS_CRITICAL), ==, "Kritisch");
  g_assert_cmpstr (g_dngettext (GETTEXT_PACKAGE, "about %u hour", "about %u hours", 3),
                   ==, "etwa %u Stunden");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  if (argc < 2)
    g_error ("usage: %s LOCALEDIR", argv[0]);
  localedir = argv[1];

  setlocale (LC_ALL, "");
  g_type_class_unref (g_type_class_ref (HEALTH_TYPE_MONITOR));
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  g_test_add_func ("/window/translation/german", test_german_labels);

  return g_test_run ();
}
