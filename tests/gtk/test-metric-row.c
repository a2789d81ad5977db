/* test-metric-row.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>
#include <string.h>
#include <glib/gstdio.h>

#include "health-gtk.h"
#include "health-gtk-metric-row-private.h"
#include "health-gtk-private.h"
#include "health-gtk-sparkline-private.h"
#include "health-text-private.h"
#include "gtk-test-util.h"

#define GiB (1024.0 * 1024.0 * 1024.0)

static const char *
row_value (GtkWidget *row)
{
  return gtk_label_get_text (health_gtk_metric_row_get_value_widget (HEALTH_GTK_METRIC_ROW (row)));
}

static const char *
row_icon_name (GtkWidget *row)
{
  GtkImage *image = health_gtk_metric_row_get_status_image (HEALTH_GTK_METRIC_ROW (row));
  GIcon *icon = gtk_image_get_gicon (image);

  g_assert_true (G_IS_THEMED_ICON (icon));

  return g_themed_icon_get_names (G_THEMED_ICON (icon))[0];
}

static void
test_formatted_value (void)
{
  static const double percent[] = { 93.14 };
  static const double bytes[] = { 1.5 * GiB };
  g_autoptr(HealthMetric) usage = gtk_test_util_add_metric (NULL, "memory-usage", "Memory Usage", "%",
                                                            HEALTH_DIRECTION_ABOVE, 75, 90, 0, percent, 1);
  g_autoptr(HealthMetric) available = gtk_test_util_add_metric (NULL, "memory-available", "Available Memory",
                                                                "bytes", HEALTH_DIRECTION_BELOW,
                                                                2 * GiB, 0.5 * GiB, 0, bytes, 1);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *usage_row = health_gtk_metric_row_new (usage);
  GtkWidget *available_row = health_gtk_metric_row_new (available);
  GtkWidget *window;

  gtk_box_append (GTK_BOX (box), usage_row);
  gtk_box_append (GTK_BOX (box), available_row);
  window = gtk_test_util_show (box, 480, 100);

  g_assert_cmpstr (row_value (usage_row), ==, "93.1 %");
  /* g_format_size() keeps the number and its unit on one line. */
  g_assert_cmpstr (row_value (available_row), ==, "1.5\u00a0GiB");
  g_assert_cmpstr (gtk_label_get_text (health_gtk_metric_row_get_label_widget (HEALTH_GTK_METRIC_ROW (usage_row))),
                   ==, "Memory Usage");

  /* The value follows the metric's notifications. */
  health_metric_update (usage, 42);
  g_assert_cmpstr (row_value (usage_row), ==, "42.0 %");

  health_metric_update (usage, NAN);
  g_assert_cmpstr (row_value (usage_row), ==, "—");

  health_metric_set_label (usage, "RAM");
  g_assert_cmpstr (gtk_label_get_text (health_gtk_metric_row_get_label_widget (HEALTH_GTK_METRIC_ROW (usage_row))),
                   ==, "RAM");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_status_icon (void)
{
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (NULL, "cpu-usage", "CPU Usage", "%",
                                                             HEALTH_DIRECTION_ABOVE, 80, 95, 0, NULL, 0);
  GtkWidget *row = g_object_ref_sink (health_gtk_metric_row_new (metric));
  GIcon *icon;
  const char * const *names;

  g_assert_cmpstr (row_icon_name (row), ==, "health-unknown-symbolic");
  g_assert_true (gtk_widget_has_css_class (row, "unknown"));

  health_metric_update (metric, 10);
  g_assert_cmpstr (row_icon_name (row), ==, "health-good-symbolic");
  g_assert_true (gtk_widget_has_css_class (row, "good"));

  health_metric_update (metric, 85);
  g_assert_cmpstr (row_icon_name (row), ==, "health-warning-symbolic");
  g_assert_true (gtk_widget_has_css_class (row, "warning"));
  g_assert_false (gtk_widget_has_css_class (row, "good"));

  health_metric_update (metric, 99);
  g_assert_cmpstr (row_icon_name (row), ==, health_status_get_icon_name (HEALTH_STATUS_CRITICAL));
  g_assert_true (gtk_widget_has_css_class (row, "critical"));

  /* Only libhealth's name: a standard one would win in the user's theme. */
  icon = gtk_image_get_gicon (health_gtk_metric_row_get_status_image (HEALTH_GTK_METRIC_ROW (row)));
  names = (const char * const *) g_themed_icon_get_names (G_THEMED_ICON (icon));
  g_assert_cmpstr (names[0], ==, "health-critical-symbolic");
  g_assert_false (g_strv_contains (names, "dialog-error-symbolic"));

  g_object_unref (row);
}

static void
test_status_icon_fallback (void)
{
  static const char *expected[][2] = {
    { "health-unknown-symbolic", "dialog-question-symbolic" },
    { "health-excellent-symbolic", "emblem-ok-symbolic" },
    { "health-good-symbolic", "emblem-ok-symbolic" },
    { "health-warning-symbolic", "dialog-warning-symbolic" },
    { "health-critical-symbolic", "dialog-error-symbolic" },
    { "health-emergency-symbolic", "dialog-error-symbolic" },
  };
  g_autoptr(GtkIconTheme) theme = gtk_icon_theme_new ();
  g_autofree char *empty = g_dir_make_tmp ("health-gtk-icons-XXXXXX", NULL);
  const char *search_path[] = { empty, NULL };

  /* A theme that lacks libhealth's icons: the standard ones follow. */
  gtk_icon_theme_set_search_path (theme, search_path);

  for (HealthStatus s = HEALTH_STATUS_UNKNOWN; s <= HEALTH_STATUS_EMERGENCY; s++)
    {
      g_autoptr(GIcon) icon = health_gtk_status_dup_icon (s, theme);
      const char * const *names = (const char * const *) g_themed_icon_get_names (G_THEMED_ICON (icon));

      g_assert_cmpstr (names[0], ==, expected[s][0]);
      g_assert_cmpstr (names[1], ==, expected[s][1]);
    }

  g_rmdir (empty);
}

static void
test_status_icons_exist (void)
{
  GtkWidget *row = health_gtk_metric_row_new (NULL);
  GtkWidget *window = gtk_test_util_show (row, 200, 40);
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (row));

  /* Shipped inside the library: found uninstalled, whatever the theme. */
  for (HealthStatus s = HEALTH_STATUS_UNKNOWN; s <= HEALTH_STATUS_EMERGENCY; s++)
    g_assert_true (gtk_icon_theme_has_icon (theme, health_status_get_icon_name (s)));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_recommendation_tooltip (void)
{
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (NULL, "disk-usage", "Disk Usage", "%",
                                                             HEALTH_DIRECTION_ABOVE, 85, 95, 0, NULL, 0);
  GtkWidget *row = g_object_ref_sink (health_gtk_metric_row_new (metric));

  health_metric_set_recommendation (metric, "Empty the trash.");

  health_metric_update (metric, 50);
  g_assert_null (gtk_widget_get_tooltip_text (row));

  health_metric_update (metric, 90);
  g_assert_cmpstr (gtk_widget_get_tooltip_text (row), ==, "Empty the trash.");

  health_metric_update (metric, 10);
  g_assert_null (gtk_widget_get_tooltip_text (row));

  g_object_unref (row);
}

static void
test_monitor_forwarded (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (monitor, "docs", "Documents", "documents",
                                                             HEALTH_DIRECTION_ABOVE, 50, 100, 0, NULL, 0);
  GtkWidget *row = g_object_ref_sink (health_gtk_metric_row_new (metric));
  HealthGtkSparkline *sparkline = health_gtk_metric_row_get_sparkline (HEALTH_GTK_METRIC_ROW (row));

  g_assert_true (health_gtk_sparkline_get_metric (sparkline) == metric);
  g_assert_null (health_gtk_sparkline_get_monitor (sparkline));

  g_object_set (row, "monitor", monitor, NULL);
  g_assert_true (health_gtk_metric_row_get_monitor (HEALTH_GTK_METRIC_ROW (row)) == monitor);
  g_assert_true (health_gtk_sparkline_get_monitor (sparkline) == monitor);

  health_gtk_metric_row_set_metric (HEALTH_GTK_METRIC_ROW (row), NULL);
  g_assert_null (health_gtk_sparkline_get_metric (sparkline));
  g_assert_cmpstr (row_value (row), ==, "");

  g_object_unref (row);
}

/* What a remote monitor or a careless app could name a metric: an
 * escape sequence that retitles a terminal, a right-to-left override
 * that shows "exe.png" as "gnp.exe", a byte that is not UTF-8. */
#define HOSTILE_LABEL "Queue\x1b]0;pwned\x07 \xe2\x80\xaegnp.exe\xff"
#define HOSTILE_ADVICE "Restart\u202e the \x1b[2Jimporter\xc3"

static void
assert_clean (const char *text,
              const char *expected_word)
{
  g_assert_nonnull (text);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      GUnicodeType type = g_unichar_type (g_utf8_get_char (p));

      g_assert_cmpint (type, !=, G_UNICODE_CONTROL);
      g_assert_cmpint (type, !=, G_UNICODE_FORMAT);
    }
  g_assert_nonnull (strstr (text, expected_word));
}

static void
test_hostile_text (void)
{
  static const double values[] = { 3, 4, 12 };
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (NULL, "queue", HOSTILE_LABEL, "jobs\u202e\x1b",
                                                             HEALTH_DIRECTION_ABOVE, 10, 20, 0, values, 3);
  g_autofree char *clean_label = health_text_sanitize (HOSTILE_LABEL, -1);
  g_autofree char *tooltip_at = NULL;
  g_autofree char *value_text = NULL;
  GtkWidget *row = health_gtk_metric_row_new (metric);
  HealthGtkSparkline *sparkline = health_gtk_metric_row_get_sparkline (HEALTH_GTK_METRIC_ROW (row));
  GtkWidget *window = gtk_test_util_show (row, 480, 60);

  health_metric_set_recommendation (metric, HOSTILE_ADVICE);

  /* The row: its label, its value, its tooltip, what it is called. */
  g_assert_cmpstr (gtk_label_get_text (health_gtk_metric_row_get_label_widget (HEALTH_GTK_METRIC_ROW (row))),
                   ==, clean_label);
  assert_clean (clean_label, "gnp.exe");
  assert_clean (gtk_label_get_text (health_gtk_metric_row_get_value_widget (HEALTH_GTK_METRIC_ROW (row))), "12");
  assert_clean (gtk_widget_get_tooltip_text (row), "importer");
  gtk_test_util_assert_accessible (row, GTK_ACCESSIBLE_PROPERTY_LABEL, clean_label);

  /* Its sparkline: the tooltip, the spoken value and label. */
  tooltip_at = health_gtk_sparkline_dup_tooltip_at (sparkline, 10);
  g_assert_true (g_str_has_prefix (tooltip_at, clean_label));
  assert_clean (strchr (tooltip_at, '\n') + 1, "at");
  value_text = health_gtk_sparkline_dup_value_text (sparkline);
  assert_clean (value_text, "gnp.exe");
  gtk_test_util_assert_accessible (GTK_WIDGET (sparkline), GTK_ACCESSIBLE_PROPERTY_LABEL, clean_label);

  /* A new label goes the same way. */
  health_metric_set_label (metric, "\xe2\x80\xae" "eulav");
  assert_clean (gtk_label_get_text (health_gtk_metric_row_get_label_widget (HEALTH_GTK_METRIC_ROW (row))),
                "eulav");

  gtk_test_util_wait_for_paint (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_util_init (&argc, &argv);

  g_test_add_func ("/metric-row/formatted-value", test_formatted_value);
  g_test_add_func ("/metric-row/status/icon", test_status_icon);
  g_test_add_func ("/metric-row/status/icons-exist", test_status_icons_exist);
  g_test_add_func ("/metric-row/status/icon-fallback", test_status_icon_fallback);
  g_test_add_func ("/metric-row/recommendation", test_recommendation_tooltip);
  g_test_add_func ("/metric-row/monitor", test_monitor_forwarded);
  g_test_add_func ("/metric-row/hostile-text", test_hostile_text);

  return g_test_run ();
}
