/* test-sparkline.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include "health-gtk.h"
#include "health-gtk-sparkline-private.h"
#include "gtk-test-util.h"

/* Decimation */

static void
test_decimate_sparse (void)
{
  HealthSample samples[10];
  HealthGtkSparklineColumn columns[10];
  guint n_columns;

  for (guint i = 0; i < G_N_ELEMENTS (samples); i++)
    samples[i] = (HealthSample) { i * G_USEC_PER_SEC, i * 10.0 };

  /* Ten samples in the last ten of twenty slots, two pixels apart: each
   * sample is a vertex of its own, on the right half. */
  n_columns = health_gtk_sparkline_decimate (samples, 10, 20, 39, columns);
  g_assert_cmpuint (n_columns, ==, 10);

  for (guint i = 0; i < n_columns; i++)
    {
      g_assert_cmpfloat_with_epsilon (columns[i].x, (10 + i) * 2.0, 1e-9);
      g_assert_cmpfloat (columns[i].min, ==, samples[i].value);
      g_assert_cmpfloat (columns[i].max, ==, samples[i].value);
    }

  /* The latest sample is always at the right end. */
  g_assert_cmpfloat_with_epsilon (columns[n_columns - 1].x, 38, 1e-9);
}

static void
test_decimate_single (void)
{
  HealthSample sample = { 0, 42 };
  HealthGtkSparklineColumn column;

  g_assert_cmpuint (health_gtk_sparkline_decimate (&sample, 1, 1, 100, &column), ==, 1);
  g_assert_cmpfloat (column.min, ==, 42);
  g_assert_cmpfloat (column.max, ==, 42);
  g_assert_cmpfloat (column.x, ==, 0);

  g_assert_cmpuint (health_gtk_sparkline_decimate (&sample, 0, 100, 100, &column), ==, 0);
  g_assert_cmpuint (health_gtk_sparkline_decimate (&sample, 1, 100, 0, &column), ==, 0);
}

static void
check_dense (guint n_samples,
             guint width)
{
  g_autofree HealthSample *samples = g_new (HealthSample, n_samples);
  g_autofree HealthGtkSparklineColumn *columns = g_new (HealthGtkSparklineColumn, width);
  double min = INFINITY, max = -INFINITY;
  double columns_min = INFINITY, columns_max = -INFINITY;
  gboolean spike_kept = FALSE;
  guint spike = n_samples / 3;
  guint n_columns;

  for (guint i = 0; i < n_samples; i++)
    {
      samples[i].time_us = i * G_USEC_PER_SEC;
      samples[i].value = 50 + 20 * sin (i / 50.0) + (i % 7);
      min = MIN (min, samples[i].value);
      max = MAX (max, samples[i].value);
    }

  /* One sample out of thousands must still show. */
  samples[spike].value = 1000;
  max = 1000;

  n_columns = health_gtk_sparkline_decimate (samples, n_samples, n_samples, width, columns);

  /* The cost of drawing follows the width, not the history: at most one
   * column per pixel, two vertices each. */
  g_assert_cmpuint (n_columns, <=, width);
  g_assert_cmpuint (2 * n_columns, <=, 2 * width);

  for (guint i = 0; i < n_columns; i++)
    {
      columns_min = MIN (columns_min, columns[i].min);
      columns_max = MAX (columns_max, columns[i].max);
      if (columns[i].max == 1000)
        spike_kept = TRUE;

      g_assert_cmpfloat (columns[i].min, <=, columns[i].max);
      g_assert_cmpfloat (columns[i].x, >=, 0);
      g_assert_cmpfloat (columns[i].x, <=, width - 1);
      if (i > 0)
        {
          g_assert_cmpfloat (columns[i].x, >, columns[i - 1].x);
          /* Neighbours overlap, so the outline has no gap. */
          g_assert_cmpfloat (columns[i - 1].max, >=, columns[i].min);
          g_assert_cmpfloat (columns[i - 1].min, <=, columns[i].max);
        }
    }

  g_assert_true (spike_kept);
  g_assert_cmpfloat (columns_min, ==, min);
  g_assert_cmpfloat (columns_max, ==, max);
  g_assert_cmpfloat_with_epsilon (columns[0].x, 0, 1e-9);
  g_assert_cmpfloat_with_epsilon (columns[n_columns - 1].x, width - 1, 1e-9);
}

static void
test_decimate_dense (void)
{
  check_dense (3600, 234);
  check_dense (100000, 234);
  check_dense (1000, 1);
  check_dense (241, 240);
}

/* As many columns for a long history as for one that just fills the
 * width. */
static void
test_decimate_cost (void)
{
  g_autofree HealthSample *samples = g_new0 (HealthSample, 360000);
  g_autofree HealthGtkSparklineColumn *columns = g_new (HealthGtkSparklineColumn, 234);

  for (guint i = 0; i < 360000; i++)
    samples[i].value = i % 100;

  g_assert_cmpuint (health_gtk_sparkline_decimate (samples, 234, 234, 234, columns), ==, 234);
  g_assert_cmpuint (health_gtk_sparkline_decimate (samples, 3600, 3600, 234, columns), ==, 234);
  g_assert_cmpuint (health_gtk_sparkline_decimate (samples, 360000, 360000, 234, columns), ==, 234);

  /* A history that fills only part of its slots covers only its part. */
  g_assert_cmpuint (health_gtk_sparkline_decimate (samples, 360, 3600, 234, columns), <=, 25);
}

/* Scale */

static void
test_range_includes_thresholds (void)
{
  HealthSample samples[] = { { 0, 20 }, { 1, 30 } };
  double lo, hi;

  /* Usage at 20-30 % still shows the 75/90 bands. */
  health_gtk_sparkline_compute_range (samples, 2, 75, 90, &lo, &hi);
  g_assert_cmpfloat (lo, <, 20);
  g_assert_cmpfloat (hi, >, 90);
  g_assert_cmpfloat_with_epsilon (lo, 20 - 70 * 0.08, 1e-9);
  g_assert_cmpfloat_with_epsilon (hi, 90 + 70 * 0.08, 1e-9);

  /* Lower is worse: thresholds below the history. */
  health_gtk_sparkline_compute_range (samples, 2, 10, 5, &lo, &hi);
  g_assert_cmpfloat (lo, <, 5);
  g_assert_cmpfloat (hi, >, 30);

  /* No thresholds: the history alone. */
  health_gtk_sparkline_compute_range (samples, 2, NAN, NAN, &lo, &hi);
  g_assert_cmpfloat (lo, <, 20);
  g_assert_cmpfloat (lo, >, 19);
  g_assert_cmpfloat (hi, >, 30);
  g_assert_cmpfloat (hi, <, 31);
}

static void
test_range_degenerate (void)
{
  HealthSample flat[] = { { 0, 5 }, { 1, 5 } };
  HealthSample zero[] = { { 0, 0 } };
  double lo, hi;

  health_gtk_sparkline_compute_range (flat, 2, NAN, NAN, &lo, &hi);
  g_assert_cmpfloat (lo, <, 5);
  g_assert_cmpfloat (hi, >, 5);

  health_gtk_sparkline_compute_range (zero, 1, NAN, NAN, &lo, &hi);
  g_assert_cmpfloat (lo, <, 0);
  g_assert_cmpfloat (hi, >, 0);

  health_gtk_sparkline_compute_range (NULL, 0, NAN, NAN, &lo, &hi);
  g_assert_cmpfloat (lo, <, hi);
}

/* Widget */

static void
test_properties (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (monitor, "docs", "Documents", "documents",
                                                             HEALTH_DIRECTION_ABOVE, 50, 100, 0, NULL, 0);
  GtkWidget *sparkline = g_object_ref_sink (health_gtk_sparkline_new (NULL));
  g_autoptr(HealthMetric) got_metric = NULL;
  g_autoptr(HealthMonitor) got_monitor = NULL;

  g_assert_null (health_gtk_sparkline_get_metric (HEALTH_GTK_SPARKLINE (sparkline)));
  g_assert_null (health_gtk_sparkline_get_monitor (HEALTH_GTK_SPARKLINE (sparkline)));
  g_assert_cmpstr (gtk_widget_get_css_name (sparkline), ==, "sparkline");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (sparkline)), ==,
                   GTK_ACCESSIBLE_ROLE_METER);

  g_object_set (sparkline, "metric", metric, "monitor", monitor, NULL);
  g_object_get (sparkline, "metric", &got_metric, "monitor", &got_monitor, NULL);
  g_assert_true (got_metric == metric);
  g_assert_true (got_monitor == monitor);

  health_gtk_sparkline_set_metric (HEALTH_GTK_SPARKLINE (sparkline), NULL);
  health_gtk_sparkline_set_monitor (HEALTH_GTK_SPARKLINE (sparkline), NULL);
  g_assert_null (health_gtk_sparkline_get_metric (HEALTH_GTK_SPARKLINE (sparkline)));

  g_object_unref (sparkline);
}

static void
test_notify (void)
{
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (NULL, "docs", "Documents", "documents",
                                                             HEALTH_DIRECTION_ABOVE, 50, 100, 0, NULL, 0);
  GtkWidget *sparkline = g_object_ref_sink (health_gtk_sparkline_new (NULL));
  guint n_notifies = 0;

  g_signal_connect (sparkline, "notify::metric", G_CALLBACK (gtk_test_util_count_notify), &n_notifies);
  health_gtk_sparkline_set_metric (HEALTH_GTK_SPARKLINE (sparkline), metric);
  health_gtk_sparkline_set_metric (HEALTH_GTK_SPARKLINE (sparkline), metric);
  g_assert_cmpuint (n_notifies, ==, 1);

  g_object_unref (sparkline);
}

static void
test_natural_size (void)
{
  GtkWidget *sparkline = g_object_ref_sink (health_gtk_sparkline_new (NULL));
  int minimum, natural;

  gtk_widget_measure (sparkline, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 120);
  g_assert_cmpint (minimum, <=, natural);

  gtk_widget_measure (sparkline, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 32);
  g_assert_cmpint (minimum, <=, natural);

  g_object_unref (sparkline);
}

static void
assert_status_class (GtkWidget  *widget,
                     const char *expected)
{
  for (HealthStatus s = HEALTH_STATUS_UNKNOWN; s <= HEALTH_STATUS_EMERGENCY; s++)
    {
      const char *name = health_status_to_string (s);

      g_assert_cmpint (gtk_widget_has_css_class (widget, name), ==, g_str_equal (name, expected));
    }
}

static void
test_css_classes (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (monitor, "memory-usage", "Memory Usage", "%",
                                                             HEALTH_DIRECTION_ABOVE, 75, 90, 0, NULL, 0);
  GtkWidget *sparkline = health_gtk_sparkline_new (metric);
  GtkWidget *window = gtk_test_util_show (sparkline, 240, 48);

  assert_status_class (sparkline, "unknown");

  health_metric_update (metric, 50);
  assert_status_class (sparkline, "good");

  health_metric_update (metric, 80);
  assert_status_class (sparkline, "warning");

  health_metric_update (metric, 93.1);
  assert_status_class (sparkline, "critical");

  health_metric_update (metric, NAN);
  assert_status_class (sparkline, "unknown");

  health_gtk_sparkline_set_metric (HEALTH_GTK_SPARKLINE (sparkline), NULL);
  assert_status_class (sparkline, "unknown");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_accessible_value (void)
{
  static const double rising[] = { 80, 85, 90, 93.1 };
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (monitor, "memory-usage", "Memory Usage", "%",
                                                             HEALTH_DIRECTION_ABOVE, 75, 90, 0, NULL, 0);
  GtkWidget *sparkline = g_object_ref_sink (health_gtk_sparkline_new (metric));
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  HealthTrend trend;

  /* One sample: no trend yet. */
  health_metric_update (metric, 93.1);
  text = health_gtk_sparkline_dup_value_text (HEALTH_GTK_SPARKLINE (sparkline));
  g_assert_cmpstr (text, ==, "Memory Usage 93.1 %, critical, no trend yet");

  gtk_test_accessible_assert_role (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_ROLE_METER);
  gtk_test_util_assert_accessible (sparkline, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, "Memory Usage 93.1 %, critical, no trend yet");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                       "Memory Usage");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, 93.1);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, 0.0);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, 100.0);

  /* The trend is the metric's, as its label says it. */
  for (guint i = 0; i < G_N_ELEMENTS (rising); i++)
    health_metric_update (metric, rising[i]);
  g_object_get (metric, "trend", &trend, NULL);
  expected = g_strdup_printf ("Memory Usage 93.1 %%, critical, %s", health_trend_to_label (trend));
  g_clear_pointer (&text, g_free);
  text = health_gtk_sparkline_dup_value_text (HEALTH_GTK_SPARKLINE (sparkline));
  g_assert_cmpstr (text, ==, expected);
  gtk_test_util_assert_accessible (sparkline, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, expected);

  /* Unknown: no current value to tell. */
  health_metric_update (metric, NAN);
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (sparkline),
                                                    GTK_ACCESSIBLE_PROPERTY_VALUE_NOW));
  g_clear_pointer (&text, g_free);
  text = health_gtk_sparkline_dup_value_text (HEALTH_GTK_SPARKLINE (sparkline));
  g_assert_true (g_str_has_prefix (text, "Memory Usage —, unknown, "));

  g_object_unref (sparkline);
}

static void
test_accessible_range_bytes (void)
{
  static const double values[] = { 3.0 * 1024 * 1024 * 1024, 1.5 * 1024 * 1024 * 1024 };
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (NULL, "memory-available", "Available Memory",
                                                             "bytes", HEALTH_DIRECTION_BELOW,
                                                             2.0 * 1024 * 1024 * 1024,
                                                             512.0 * 1024 * 1024,
                                                             0, values, G_N_ELEMENTS (values));
  GtkWidget *sparkline = g_object_ref_sink (health_gtk_sparkline_new (metric));
  HealthSample history[2] = { { 0, values[0] }, { 1, values[1] } };
  g_autofree char *expected = NULL;
  HealthTrend trend;
  double lo, hi;

  health_gtk_sparkline_compute_range (history, 2, 2.0 * 1024 * 1024 * 1024, 512.0 * 1024 * 1024, &lo, &hi);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, lo);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (sparkline), GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, hi);
  g_object_get (metric, "trend", &trend, NULL);
  expected = g_strdup_printf ("Available Memory 1.5\u00a0GiB, warning, %s", health_trend_to_label (trend));
  gtk_test_util_assert_accessible (sparkline, GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, expected);

  g_object_unref (sparkline);
}

static void
test_tooltip (void)
{
  double values[10];
  g_autoptr(HealthMetric) metric = NULL;
  GtkWidget *sparkline;
  GtkWidget *window;
  int columns;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    values[i] = 10 * (i + 1) + 0.5;

  metric = gtk_test_util_add_metric (NULL, "cpu-usage", "CPU Usage", "%",
                                     HEALTH_DIRECTION_ABOVE, 80, 95, 10, values, G_N_ELEMENTS (values));
  sparkline = health_gtk_sparkline_new (metric);
  gtk_widget_set_halign (sparkline, GTK_ALIGN_START);
  gtk_widget_set_size_request (sparkline, 120, 32);
  window = gtk_test_util_show (sparkline, 120, 32);
  columns = gtk_widget_get_width (sparkline) - 2 * HEALTH_GTK_SPARKLINE_INSET;
  g_assert_cmpint (columns, >, 10);

  /* Each of the ten samples under the pointer, from the left edge of the
   * line to its right end. */
  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    {
      double x = HEALTH_GTK_SPARKLINE_INSET + (columns - 1) * i / 9.0;
      g_autofree char *text = health_gtk_sparkline_dup_tooltip_at (HEALTH_GTK_SPARKLINE (sparkline), x);
      g_autofree char *value = health_metric_format_value (metric, values[i]);
      g_autofree char *line = g_strdup_printf ("\n%s at ", value);

      g_assert_true (g_str_has_prefix (text, "CPU Usage\n"));
      g_assert_nonnull (strstr (text, line));
    }

  /* Outside the line, the nearest sample. */
  {
    g_autofree char *left = health_gtk_sparkline_dup_tooltip_at (HEALTH_GTK_SPARKLINE (sparkline), -50);
    g_autofree char *right = health_gtk_sparkline_dup_tooltip_at (HEALTH_GTK_SPARKLINE (sparkline), 1e6);

    g_assert_nonnull (strstr (left, "\n10.5 % at "));
    g_assert_nonnull (strstr (right, "\n100.5 % at "));
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_tooltip_empty (void)
{
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (NULL, "cpu-usage", "CPU Usage", "%",
                                                             HEALTH_DIRECTION_ABOVE, 80, 95, 0, NULL, 0);
  GtkWidget *sparkline = g_object_ref_sink (health_gtk_sparkline_new (NULL));
  g_autofree char *text = NULL;

  g_assert_null (health_gtk_sparkline_dup_tooltip_at (HEALTH_GTK_SPARKLINE (sparkline), 0));

  health_gtk_sparkline_set_metric (HEALTH_GTK_SPARKLINE (sparkline), metric);
  text = health_gtk_sparkline_dup_tooltip_at (HEALTH_GTK_SPARKLINE (sparkline), 0);
  g_assert_cmpstr (text, ==, "CPU Usage\nNo samples yet");

  g_object_unref (sparkline);
}

/* Drawing must survive every shape of history without a critical. */
static void
test_draw_shapes (void)
{
  static const double one[] = { 42 };
  static const double flat[] = { 5, 5, 5, 5 };
  g_autoptr(HealthMetric) empty = gtk_test_util_add_metric (NULL, "empty", "Empty", "%",
                                                            HEALTH_DIRECTION_ABOVE, 75, 90, 0, NULL, 0);
  g_autoptr(HealthMetric) single = gtk_test_util_add_metric (NULL, "single", "Single", "%",
                                                             HEALTH_DIRECTION_ABOVE, 75, 90, 0, one, 1);
  /* Without thresholds: no bands. */
  g_autoptr(HealthMetric) unjudged = g_object_new (HEALTH_TYPE_METRIC,
                                                   "id", "unjudged", "label", "Unjudged", "unit", "objects",
                                                   NULL);
  g_autoptr(HealthMetric) dense = gtk_test_util_add_metric (NULL, "dense", "Dense", "ms",
                                                            HEALTH_DIRECTION_ABOVE, 100, 500, 5000, NULL, 0);
  HealthMetric *metrics[] = { empty, single, unjudged, dense };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *window;

  for (guint i = 0; i < G_N_ELEMENTS (flat); i++)
    health_metric_update (unjudged, flat[i]);
  for (guint i = 0; i < 5000; i++)
    health_metric_update (dense, i % 600);

  for (guint i = 0; i < G_N_ELEMENTS (metrics); i++)
    gtk_box_append (GTK_BOX (box), health_gtk_sparkline_new (metrics[i]));

  /* And sizes down to nothing. */
  for (int size = 0; size <= 8; size += 2)
    {
      GtkWidget *tiny = health_gtk_sparkline_new (dense);

      gtk_widget_set_size_request (tiny, size, size);
      gtk_widget_set_halign (tiny, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), tiny);
    }

  window = gtk_test_util_show (box, 240, 200);

  for (GtkWidget *child = gtk_widget_get_first_child (box); child; child = gtk_widget_get_next_sibling (child))
    {
      if (gtk_widget_get_width (child) > 0 && gtk_widget_get_height (child) > 0)
        cairo_surface_destroy (gtk_test_util_render (child));
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Redrawing */

static double
next_value (HealthMetric *metric,
            gpointer      user_data)
{
  double *value = user_data;

  /* Different every time, and GOOD: only the samples redraw. */
  *value += 1;
  return *value;
}

static HealthMetric *
add_sampled_metric (HealthMonitor *monitor,
                    const char    *id,
                    double        *value)
{
  g_autoptr(HealthMetric) metric = health_metric_new (id, id, "jobs", HEALTH_DIRECTION_ABOVE, 500, 1000);

  g_assert_true (health_monitor_add_sampled_metric (monitor, metric, next_value, value, NULL));

  return g_steal_pointer (&metric);
}

static void
test_redraw_once_per_sample (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  double value = 10;
  g_autoptr(HealthMetric) metric = add_sampled_metric (monitor, "queue", &value);
  g_autoptr(GdkPaintable) watch = NULL;
  GtkWidget *sparkline = health_gtk_sparkline_new (metric);
  GtkWidget *window = gtk_test_util_show (sparkline, 200, 40);
  guint n_redraws = 0;

  /* Given only the metric: it finds the monitor through it. */
  g_assert_null (health_gtk_sparkline_get_monitor (HEALTH_GTK_SPARKLINE (sparkline)));

  /* The first sample moves the status from UNKNOWN and restyles. */
  gtk_test_util_sample (monitor);
  gtk_test_util_wait_for_paint (window);
  watch = gtk_test_util_count_redraws (sparkline, &n_redraws);

  for (guint i = 1; i <= 3; i++)
    {
      gtk_test_util_sample (monitor);
      gtk_test_util_paint (window);
      g_assert_cmpuint (n_redraws, ==, i);
    }

  /* An update between samples waits for the next sample. */
  health_metric_update (metric, 42);
  health_metric_update (metric, 43);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 3);

  gtk_test_util_sample (monitor);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 4);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_redraw_follows_metric_swap (void)
{
  g_autoptr(HealthMonitor) first = test_app_monitor_new ();
  g_autoptr(HealthMonitor) second = test_app_monitor_new ();
  double first_value = 10, second_value = 20;
  g_autoptr(HealthMetric) a = add_sampled_metric (first, "a", &first_value);
  g_autoptr(HealthMetric) b = add_sampled_metric (second, "b", &second_value);
  g_autoptr(GdkPaintable) watch = NULL;
  GtkWidget *sparkline = health_gtk_sparkline_new (a);
  GtkWidget *window = gtk_test_util_show (sparkline, 200, 40);
  guint n_redraws = 0;

  gtk_test_util_sample (first);
  gtk_test_util_sample (second);
  health_gtk_sparkline_set_metric (HEALTH_GTK_SPARKLINE (sparkline), b);
  gtk_test_util_wait_for_paint (window);
  watch = gtk_test_util_count_redraws (sparkline, &n_redraws);

  gtk_test_util_sample (first);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 0);

  gtk_test_util_sample (second);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 1);

  /* The metric itself moves to another monitor. */
  g_assert_true (health_monitor_remove_metric (second, "b"));
  g_assert_true (health_monitor_add_metric (first, b));
  gtk_test_util_paint (window);
  n_redraws = 0;

  gtk_test_util_sample (second);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 0);

  gtk_test_util_sample (first);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_redraw_monitor_gone (void)
{
  HealthMonitor *monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = gtk_test_util_add_metric (monitor, "queue", "Queue", "jobs",
                                                             HEALTH_DIRECTION_ABOVE, 500, 1000, 0, NULL, 0);
  g_autoptr(GdkPaintable) watch = NULL;
  GtkWidget *sparkline = health_gtk_sparkline_new (metric);
  GtkWidget *window = gtk_test_util_show (sparkline, 200, 40);
  guint n_redraws = 0;

  health_metric_update (metric, 10);
  gtk_test_util_wait_for_paint (window);
  watch = gtk_test_util_count_redraws (sparkline, &n_redraws);

  /* Removed: the monitor's samples are none of its business... */
  g_assert_true (health_monitor_remove_metric (monitor, "queue"));
  gtk_test_util_sample (monitor);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 0);

  /* ...and a metric of no monitor redraws as its value changes. */
  health_metric_update (metric, 11);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 1);

  g_assert_true (health_monitor_add_metric (monitor, metric));
  gtk_test_util_sample (monitor);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 2);

  /* The sparkline never held the monitor: it goes when the app drops it,
   * and the sparkline goes on with the metric alone. */
  g_object_add_weak_pointer (G_OBJECT (monitor), (gpointer *) &monitor);
  g_object_unref (monitor);
  g_assert_null (monitor);
  g_assert_null (health_metric_get_monitor (metric));

  health_metric_update (metric, 12);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

/* The deprecated property still works: its monitor, not the metric's,
 * redraws the sparkline. */
static void
test_redraw_deprecated_monitor (void)
{
  g_autoptr(HealthMonitor) own = test_app_monitor_new ();
  g_autoptr(HealthMonitor) other = test_app_monitor_new ();
  double value = 10;
  g_autoptr(HealthMetric) metric = add_sampled_metric (own, "queue", &value);
  g_autoptr(GdkPaintable) watch = NULL;
  GtkWidget *sparkline = health_gtk_sparkline_new (metric);
  GtkWidget *window = gtk_test_util_show (sparkline, 200, 40);
  guint n_redraws = 0;

  gtk_test_util_sample (own);
  health_gtk_sparkline_set_monitor (HEALTH_GTK_SPARKLINE (sparkline), other);
  gtk_test_util_wait_for_paint (window);
  watch = gtk_test_util_count_redraws (sparkline, &n_redraws);

  gtk_test_util_sample (own);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 0);
  gtk_test_util_sample (other);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 1);

  health_gtk_sparkline_set_monitor (HEALTH_GTK_SPARKLINE (sparkline), NULL);
  gtk_test_util_paint (window);
  n_redraws = 0;
  gtk_test_util_sample (other);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 0);
  gtk_test_util_sample (own);
  gtk_test_util_paint (window);
  g_assert_cmpuint (n_redraws, ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_util_init (&argc, &argv);

  g_test_add_func ("/sparkline/decimate/sparse", test_decimate_sparse);
  g_test_add_func ("/sparkline/decimate/single", test_decimate_single);
  g_test_add_func ("/sparkline/decimate/dense", test_decimate_dense);
  g_test_add_func ("/sparkline/decimate/cost", test_decimate_cost);
  g_test_add_func ("/sparkline/range/thresholds", test_range_includes_thresholds);
  g_test_add_func ("/sparkline/range/degenerate", test_range_degenerate);
  g_test_add_func ("/sparkline/properties", test_properties);
  g_test_add_func ("/sparkline/notify", test_notify);
  g_test_add_func ("/sparkline/natural-size", test_natural_size);
  g_test_add_func ("/sparkline/css-classes", test_css_classes);
  g_test_add_func ("/sparkline/accessible/value", test_accessible_value);
  g_test_add_func ("/sparkline/accessible/range-bytes", test_accessible_range_bytes);
  g_test_add_func ("/sparkline/tooltip/samples", test_tooltip);
  g_test_add_func ("/sparkline/tooltip/empty", test_tooltip_empty);
  g_test_add_func ("/sparkline/draw/shapes", test_draw_shapes);
  g_test_add_func ("/sparkline/redraw/once-per-sample", test_redraw_once_per_sample);
  g_test_add_func ("/sparkline/redraw/follows-metric-swap", test_redraw_follows_metric_swap);
  g_test_add_func ("/sparkline/redraw/monitor-gone", test_redraw_monitor_gone);
  g_test_add_func ("/sparkline/redraw/deprecated-monitor", test_redraw_deprecated_monitor);

  return g_test_run ();
}
