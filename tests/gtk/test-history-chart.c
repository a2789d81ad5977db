/* test-history-chart.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * HealthGtkHistoryChart: the bucketing into pixel columns (envelope,
 * mean, gaps), the axes, renders in the light and the dark theme checked
 * pixel by pixel (thresholds, bands, envelope, gaps, the empty state),
 * the read-out from the keyboard's bindings and from the pointer, the
 * accessible description, properties and their notifications.
 *
 * Times are UTC (TZ is set before anything reads it), so that the labels
 * of the time axis are known.
 */

#include <math.h>
#include <string.h>

#include "health-gtk.h"
#include "health-gtk-history-chart-private.h"
#include "health-gtk-sparkline-private.h"
#include "gtk-test-util.h"

#define MINUTE_US (60 * G_GINT64_CONSTANT (1000000))
#define HOUR_US   (60 * MINUTE_US)
#define DAY_US    (24 * HOUR_US)

/* 2026-11-29 00:00:00 UTC, a Sunday. */
#define DAY0_US   (G_GINT64_CONSTANT (1795910400) * 1000000)

#define WIDTH     480
#define HEIGHT    240

/* Tolerance, in 0..255, for antialiasing and rounding. */
#define TOLERANCE 4

static GPtrArray *
points_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) health_journal_point_free);
}

static void
points_add (GPtrArray *points,
            gint64     time_us,
            double     min,
            double     mean,
            double     max)
{
  HealthJournalPoint point = { time_us, min, mean, max };

  g_ptr_array_add (points, health_journal_point_copy (&point));
}

static HealthMetric *
memory_usage_new (void)
{
  return health_metric_new ("memory-usage", "Memory Usage", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
}

/* A day of minutes around 50 %, envelope 35–65 %, with no data from
 * 10:00 to 12:00 (the machine was off). */
static GPtrArray *
day_with_gap_new (void)
{
  GPtrArray *points = points_new ();

  for (gint64 t = DAY0_US; t < DAY0_US + DAY_US; t += MINUTE_US)
    {
      if (t >= DAY0_US + 10 * HOUR_US && t < DAY0_US + 12 * HOUR_US)
        continue;

      points_add (points, t, 35, 50, 65);
    }

  return points;
}

/* Helpers without a widget */

static void
test_gap (void)
{
  g_autoptr(GPtrArray) points = points_new ();
  g_autofree HealthJournalPoint *flat = NULL;

  /* Every 10 s, one late by 5 s, and a hole of ten minutes. */
  for (guint i = 0; i < 50; i++)
    points_add (points, i * 10 * G_USEC_PER_SEC + (i == 20 ? 5 * G_USEC_PER_SEC : 0), 1, 1, 1);
  points_add (points, 49 * 10 * G_USEC_PER_SEC + 10 * MINUTE_US, 1, 1, 1);

  flat = g_new (HealthJournalPoint, points->len);
  for (guint i = 0; i < points->len; i++)
    flat[i] = *(HealthJournalPoint *) g_ptr_array_index (points, i);

  g_assert_cmpint (health_gtk_history_chart_compute_gap (flat, points->len), ==,
                   HEALTH_GTK_HISTORY_CHART_GAP_FACTOR * 10 * G_USEC_PER_SEC);
  g_assert_cmpint (health_gtk_history_chart_compute_gap (flat, 1), ==, G_MAXINT64);
  g_assert_cmpint (health_gtk_history_chart_compute_gap (flat, 0), ==, G_MAXINT64);
}

static void
test_bucket_dense (void)
{
  guint n_points = 100000;
  g_autofree HealthJournalPoint *points = g_new (HealthJournalPoint, n_points);
  HealthGtkHistoryColumn columns[100];
  guint n_filled, total = 0;

  /* A saw tooth with a period of one column: each column holds 1000
   * points from 0 to 999. */
  for (guint i = 0; i < n_points; i++)
    points[i] = (HealthJournalPoint) { i, i % 1000, i % 1000, i % 1000 };

  n_filled = health_gtk_history_chart_bucket (points, n_points, 0, n_points, 2, 100, columns);
  g_assert_cmpuint (n_filled, ==, 100);

  for (guint c = 0; c < 100; c++)
    {
      g_assert_cmpuint (columns[c].n, ==, 1000);
      g_assert_cmpfloat (columns[c].min, ==, 0);
      g_assert_cmpfloat (columns[c].max, ==, 999);
      g_assert_cmpfloat_with_epsilon (columns[c].mean, 499.5, 1e-9);
      g_assert_cmpint (columns[c].first_us, ==, c * 1000);
      g_assert_cmpint (columns[c].last_us, ==, c * 1000 + 999);
      g_assert_cmpint (columns[c].joined, ==, c > 0);
      total += columns[c].n;
    }

  g_assert_cmpuint (total, ==, n_points);
}

static void
test_bucket_gaps (void)
{
  g_autofree HealthJournalPoint *points = g_new (HealthJournalPoint, 12);
  HealthGtkHistoryColumn columns[100];
  guint n = 0;

  /* One point every 10 units over 0..100 in 100 columns: sparse, joined
   * across the empty columns between them; then nothing until 60, a
   * point whose mean is unknown, and one outside the range. */
  for (gint64 t = 0; t <= 30; t += 10)
    points[n++] = (HealthJournalPoint) { t, 1, 2, 3 };
  points[n++] = (HealthJournalPoint) { 60, 5, 5, 5 };
  points[n++] = (HealthJournalPoint) { 70, 5, 5, 5 };
  points[n++] = (HealthJournalPoint) { 80, NAN, NAN, NAN };
  points[n++] = (HealthJournalPoint) { 90, 5, 5, 5 };
  points[n++] = (HealthJournalPoint) { 150, 5, 5, 5 };

  g_assert_cmpuint (health_gtk_history_chart_bucket (points, n, 0, 100, 40, 100, columns), ==, 7);

  g_assert_false (columns[0].joined);
  g_assert_true (columns[10].joined);
  g_assert_true (columns[30].joined);
  g_assert_cmpuint (columns[31].n, ==, 0);
  g_assert_cmpfloat (columns[10].min, ==, 1);
  g_assert_cmpfloat (columns[10].mean, ==, 2);
  g_assert_cmpfloat (columns[10].max, ==, 3);
  /* 30 → 60 is a jump of 30, less than the gap of 40: joined. */
  g_assert_true (columns[60].joined);
  g_assert_true (columns[70].joined);
  /* The unknown point breaks the line. */
  g_assert_cmpuint (columns[80].n, ==, 0);
  g_assert_false (columns[90].joined);
  /* The range's end is in the last column. */
  g_assert_cmpuint (columns[99].n, ==, 0);

  /* A smaller gap threshold splits 30 → 60. */
  health_gtk_history_chart_bucket (points, n, 0, 100, 20, 100, columns);
  g_assert_false (columns[60].joined);
  g_assert_true (columns[70].joined);

  /* No width, or no span: nothing. */
  g_assert_cmpuint (health_gtk_history_chart_bucket (points, n, 0, 100, 40, 0, columns), ==, 0);
  g_assert_cmpuint (health_gtk_history_chart_bucket (points, n, 100, 100, 40, 100, columns), ==, 0);
}

static void
test_nice_step (void)
{
  g_assert_cmpfloat (health_gtk_history_chart_nice_step (100, 5, 1), ==, 20);
  g_assert_cmpfloat (health_gtk_history_chart_nice_step (100, 4, 1), ==, 50);
  g_assert_cmpfloat (health_gtk_history_chart_nice_step (7, 7, 1), ==, 1);
  g_assert_cmpfloat_with_epsilon (health_gtk_history_chart_nice_step (0.3, 3, 1), 0.1, 1e-12);
  /* Bytes step in round GiB. */
  g_assert_cmpfloat (health_gtk_history_chart_nice_step (6.0 * (1 << 30), 4, 1 << 30), ==, 2.0 * (1 << 30));
  g_assert_cmpfloat (health_gtk_history_chart_nice_step (0, 4, 1), ==, 1);
}

/* The widget alone */

static void
test_properties (void)
{
  g_autoptr(HealthMetric) metric = memory_usage_new ();
  g_autoptr(HealthMetric) got_metric = NULL;
  g_autoptr(GPtrArray) points = day_with_gap_new ();
  GtkWidget *chart = g_object_ref_sink (health_gtk_history_chart_new ());
  guint n_metric = 0, n_from = 0, n_to = 0, n_points = 0;
  gint64 from_us, to_us;
  guint got_n_points;

  g_assert_cmpstr (gtk_widget_get_css_name (chart), ==, "historychart");
  g_assert_cmpint (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (chart)), ==, GTK_ACCESSIBLE_ROLE_IMG);
  g_assert_true (gtk_widget_get_focusable (chart));
  g_assert_null (health_gtk_history_chart_get_metric (HEALTH_GTK_HISTORY_CHART (chart)));
  g_assert_cmpint (health_gtk_history_chart_get_from_us (HEALTH_GTK_HISTORY_CHART (chart)), ==, 0);
  g_assert_cmpint (health_gtk_history_chart_get_to_us (HEALTH_GTK_HISTORY_CHART (chart)), ==, 0);
  g_assert_cmpuint (health_gtk_history_chart_get_n_points (HEALTH_GTK_HISTORY_CHART (chart)), ==, 0);

  g_signal_connect (chart, "notify::metric", G_CALLBACK (gtk_test_util_count_notify), &n_metric);
  g_signal_connect (chart, "notify::from-us", G_CALLBACK (gtk_test_util_count_notify), &n_from);
  g_signal_connect (chart, "notify::to-us", G_CALLBACK (gtk_test_util_count_notify), &n_to);
  g_signal_connect (chart, "notify::n-points", G_CALLBACK (gtk_test_util_count_notify), &n_points);

  /* Each change notifies once; setting the same again does not. */
  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (chart), metric);
  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (chart), metric);
  g_assert_cmpuint (n_metric, ==, 1);

  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), DAY0_US, DAY0_US + DAY_US);
  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), DAY0_US, DAY0_US + DAY_US);
  g_assert_cmpuint (n_from, ==, 1);
  g_assert_cmpuint (n_to, ==, 1);

  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), DAY0_US, DAY0_US + HOUR_US);
  g_assert_cmpuint (n_from, ==, 1);
  g_assert_cmpuint (n_to, ==, 2);

  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), points);
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), points);
  g_assert_cmpuint (n_points, ==, 1);

  g_object_get (chart,
                "metric", &got_metric,
                "from-us", &from_us,
                "to-us", &to_us,
                "n-points", &got_n_points,
                NULL);
  g_assert_true (got_metric == metric);
  g_assert_cmpint (from_us, ==, DAY0_US);
  g_assert_cmpint (to_us, ==, DAY0_US + HOUR_US);
  g_assert_cmpuint (got_n_points, ==, points->len);

  /* Through the properties, one end at a time. */
  g_object_set (chart, "from-us", (gint64) 0, "to-us", (gint64) 0, NULL);
  g_assert_cmpuint (n_from, ==, 2);
  g_assert_cmpuint (n_to, ==, 3);
  g_assert_cmpint (health_gtk_history_chart_get_from_us (HEALTH_GTK_HISTORY_CHART (chart)), ==, 0);

  /* NULL clears. */
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), NULL);
  g_assert_cmpuint (health_gtk_history_chart_get_n_points (HEALTH_GTK_HISTORY_CHART (chart)), ==, 0);
  g_assert_cmpuint (n_points, ==, 2);
  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (chart), NULL);
  g_assert_null (health_gtk_history_chart_get_metric (HEALTH_GTK_HISTORY_CHART (chart)));
  g_assert_cmpuint (n_metric, ==, 2);

  g_object_unref (chart);
}

static void
test_wrong_types (void)
{
  g_autoptr(GObject) not_a_metric = g_object_new (G_TYPE_OBJECT, NULL);
  g_autoptr(GPtrArray) with_null = points_new ();
  GtkWidget *label = g_object_ref_sink (gtk_label_new (NULL));
  GtkWidget *chart = g_object_ref_sink (health_gtk_history_chart_new ());

  g_test_expect_message ("HealthGtk", G_LOG_LEVEL_CRITICAL, "*HEALTH_IS_METRIC*");
  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (chart), (HealthMetric *) not_a_metric);
  g_test_assert_expected_messages ();
  g_assert_null (health_gtk_history_chart_get_metric (HEALTH_GTK_HISTORY_CHART (chart)));

  g_test_expect_message ("HealthGtk", G_LOG_LEVEL_CRITICAL, "*HEALTH_GTK_IS_HISTORY_CHART*");
  health_gtk_history_chart_set_points ((HealthGtkHistoryChart *) label, NULL);
  g_test_assert_expected_messages ();

  g_test_expect_message ("HealthGtk", G_LOG_LEVEL_CRITICAL, "*HEALTH_GTK_IS_HISTORY_CHART*");
  health_gtk_history_chart_set_range (NULL, 0, 1);
  g_test_assert_expected_messages ();

  g_test_expect_message ("HealthGtk", G_LOG_LEVEL_CRITICAL, "*HEALTH_GTK_IS_HISTORY_CHART*");
  g_assert_null (health_gtk_history_chart_get_metric ((HealthGtkHistoryChart *) label));
  g_test_assert_expected_messages ();

  /* A NULL point is refused whole: the chart keeps what it had. */
  points_add (with_null, DAY0_US, 1, 1, 1);
  g_ptr_array_add (with_null, NULL);
  g_test_expect_message ("HealthGtk", G_LOG_LEVEL_CRITICAL, "*!= NULL*");
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), with_null);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (health_gtk_history_chart_get_n_points (HEALTH_GTK_HISTORY_CHART (chart)), ==, 0);

  g_object_unref (chart);
  g_object_unref (label);
}

static void
test_natural_size (void)
{
  GtkWidget *chart = g_object_ref_sink (health_gtk_history_chart_new ());
  int minimum, natural;

  gtk_widget_measure (chart, GTK_ORIENTATION_HORIZONTAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 480);
  /* Fits a 360 px window with its margins. */
  g_assert_cmpint (minimum, <=, 300);

  gtk_widget_measure (chart, GTK_ORIENTATION_VERTICAL, -1, &minimum, &natural, NULL, NULL);
  g_assert_cmpint (natural, ==, 240);
  g_assert_cmpint (minimum, <=, natural);

  g_object_unref (chart);
}

static void
assert_description (GtkWidget  *widget,
                    const char *expected)
{
  gtk_test_util_assert_accessible_text (widget, GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expected);
}

static void
test_accessible_summary (void)
{
  g_autoptr(HealthMetric) metric = memory_usage_new ();
  g_autoptr(GPtrArray) points = points_new ();
  GtkWidget *chart = g_object_ref_sink (health_gtk_history_chart_new ());

  assert_description (chart, "History: no data");

  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (chart), metric);
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, "Memory Usage");

  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), DAY0_US, DAY0_US + DAY_US);
  assert_description (chart, "Memory Usage over 24 hours: no data for this period");

  points_add (points, DAY0_US + HOUR_US, 40.1, 50, 60);
  points_add (points, DAY0_US + 2 * HOUR_US, 50, 93.2, 93.2);
  points_add (points, DAY0_US + 3 * HOUR_US, 55, 63, 70);
  /* Outside the range: counts for nothing. */
  points_add (points, DAY0_US + 2 * DAY_US, 1, 1, 1);
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), points);
  assert_description (chart, "Memory Usage over 24 hours: latest 63.0 %, lowest 40.1 %, highest 93.2 %");

  /* Other spans. */
  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), DAY0_US + 4 * HOUR_US, DAY0_US + 5 * HOUR_US);
  assert_description (chart, "Memory Usage over 1 hour: no data for this period");
  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), DAY0_US - 6 * DAY_US, DAY0_US + DAY_US);
  assert_description (chart, "Memory Usage over 7 days: latest 63.0 %, lowest 40.1 %, highest 93.2 %");
  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), DAY0_US - 29 * DAY_US, DAY0_US + DAY_US);
  assert_description (chart, "Memory Usage over 30 days: latest 63.0 %, lowest 40.1 %, highest 93.2 %");

  /* A label from elsewhere loses what would reorder or hide text. */
  health_metric_set_label (metric, "Memory\u202e Usage\n");
  gtk_test_accessible_assert_property (GTK_ACCESSIBLE (chart), GTK_ACCESSIBLE_PROPERTY_LABEL, "Memory Usage ");

  g_object_unref (chart);
}

static gboolean press_key (GtkWidget *widget,
                           guint      keyval);

/* Rendered */

static void
blend (const double   background[3],
       const GdkRGBA *color,
       double         alpha,
       double         out[3])
{
  for (guint i = 0; i < 3; i++)
    out[i] = background[i] * (1 - color->alpha * alpha) + 255 * (&color->red)[i] * color->alpha * alpha;
}

static GtkWidget *
show_chart (HealthMetric *metric,
            GPtrArray    *points,
            gint64        from_us,
            gint64        to_us)
{
  GtkWidget *chart = health_gtk_history_chart_new ();
  GtkWidget *window;
  graphene_rect_t bounds;

  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (chart), metric);
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), points);
  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), from_us, to_us);

  window = gtk_test_util_show (chart, WIDTH, HEIGHT);
  g_assert_cmpint (gtk_widget_get_width (chart), ==, WIDTH);
  /* Renders are of the window, on its background: the chart is all of
   * it, so their pixels are the chart's. */
  g_assert_true (gtk_widget_compute_bounds (chart, window, &bounds));
  g_assert_cmpfloat (bounds.origin.x, ==, 0);
  g_assert_cmpfloat (bounds.origin.y, ==, 0);
  g_assert_cmpint (gtk_widget_get_height (chart), ==, HEIGHT);

  return chart;
}

static double
value_y (graphene_rect_t *plot,
         double           lo,
         double           hi,
         double           value)
{
  return plot->origin.y + (hi - value) / (hi - lo) * plot->size.height;
}

/* A day of memory usage, worse when higher: the critical band above 90 %
 * and its line, the warning line, the envelope around the mean and no
 * line across the two hours without data. */
static void
render_day (gboolean dark)
{
  g_autoptr(HealthMetric) metric = memory_usage_new ();
  g_autoptr(GPtrArray) points = day_with_gap_new ();
  cairo_surface_t *surface;
  GtkWidget *chart;
  graphene_rect_t plot;
  GdkRGBA error, warning, accent;
  double background[3], pixel[3], expected[3];
  double lo, hi, x_left, x_gap, y;
  const HealthGtkHistoryColumn *columns;
  guint n_columns;

  gtk_test_util_set_dark (dark);
  /* From 00:07, so that no tick sits on the left edge. */
  chart = show_chart (metric, points, DAY0_US + 7 * MINUTE_US, DAY0_US + DAY_US + 7 * MINUTE_US);
  surface = gtk_test_util_render (GTK_WIDGET (gtk_widget_get_root (chart)));
  gtk_test_util_save_png (surface, dark ? "history-chart-dark.png" : "history-chart-light.png");

  health_gtk_history_chart_get_plot (HEALTH_GTK_HISTORY_CHART (chart), &plot, &lo, &hi);
  /* The thresholds are in view, and a percentage stays within 0–100. */
  g_assert_cmpfloat (lo, <=, 35);
  g_assert_cmpfloat (lo, >=, 0);
  g_assert_cmpfloat (hi, >=, 90);
  g_assert_cmpfloat (hi, <=, 100);
  g_assert_cmpfloat (plot.size.width, >, WIDTH * 0.7);

  gtk_test_util_lookup_color (chart, "error_color", &error);
  gtk_test_util_lookup_color (chart, "warning_color", &warning);
  gtk_test_util_lookup_color (chart, "theme_selected_bg_color", &accent);

  /* The right margin: the window's background. */
  gtk_test_util_get_pixel (surface, WIDTH - 2, plot.origin.y + 3, background);
  if (dark)
    g_assert_cmpfloat (gtk_test_util_luminance (background), <, 100);
  else
    g_assert_cmpfloat (gtk_test_util_luminance (background), >, 180);

  x_left = plot.origin.x + 1;

  /* The critical line, in the error colour, at 90 %. */
  y = floor (value_y (&plot, lo, hi, 90));
  gtk_test_util_get_pixel (surface, x_left, y, pixel);
  for (guint i = 0; i < 3; i++)
    expected[i] = 255 * (&error.red)[i];
  gtk_test_util_assert_color (pixel, expected, TOLERANCE);

  /* The warning line at 75 %. */
  y = floor (value_y (&plot, lo, hi, 75));
  gtk_test_util_get_pixel (surface, x_left, y, pixel);
  for (guint i = 0; i < 3; i++)
    expected[i] = 255 * (&warning.red)[i];
  gtk_test_util_assert_color (pixel, expected, TOLERANCE);

  /* Above the critical line, the critical band; between the lines, the
   * warning band; below them, no band. */
  y = floor (value_y (&plot, lo, hi, (90 + hi) / 2));
  gtk_test_util_get_pixel (surface, x_left + 3, y, pixel);
  blend (background, &error, HEALTH_GTK_SPARKLINE_CRITICAL_BAND_ALPHA, expected);
  gtk_test_util_assert_color (pixel, expected, TOLERANCE);

  y = floor (value_y (&plot, lo, hi, 82.5));
  gtk_test_util_get_pixel (surface, x_left + 3, y, pixel);
  blend (background, &warning, HEALTH_GTK_SPARKLINE_WARNING_BAND_ALPHA, expected);
  gtk_test_util_assert_color (pixel, expected, TOLERANCE);

  /* The envelope, between the mean (50) and the maximum (65). */
  y = floor (value_y (&plot, lo, hi, 57));
  gtk_test_util_get_pixel (surface, x_left + 3, y, pixel);
  blend (background, &accent, HEALTH_GTK_HISTORY_CHART_ENVELOPE_ALPHA, expected);
  gtk_test_util_assert_color (pixel, expected, TOLERANCE);

  /* The mean line itself. */
  y = floor (value_y (&plot, lo, hi, 50));
  gtk_test_util_get_pixel (surface, x_left + 3, y, pixel);
  for (guint i = 0; i < 3; i++)
    expected[i] = 255 * (&accent.red)[i];
  g_assert_cmpfloat (gtk_test_util_color_distance (pixel, expected), <, 60);

  /* At 11:00, in the gap: neither line nor envelope, only background. */
  columns = health_gtk_history_chart_get_columns (HEALTH_GTK_HISTORY_CHART (chart), &n_columns);
  g_assert_cmpuint (n_columns, ==, (guint) plot.size.width);
  x_gap = plot.origin.x + floor ((11 * 60 - 7) / (24.0 * 60) * n_columns) + 0.5;
  g_assert_cmpuint (columns[(guint) (x_gap - plot.origin.x)].n, ==, 0);
  for (double v = 35; v <= 65; v += 5)
    {
      gtk_test_util_get_pixel (surface, x_gap, floor (value_y (&plot, lo, hi, v)), pixel);
      if (gtk_test_util_color_distance (pixel, background) > 3 * TOLERANCE)
        {
          /* A grid line may cross there, never the data's colour. */
          for (guint i = 0; i < 3; i++)
            expected[i] = 255 * (&accent.red)[i];
          g_assert_cmpfloat (gtk_test_util_color_distance (pixel, expected), >, 100);
        }
    }

  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
  gtk_test_util_set_dark (FALSE);
}

static void
test_render_light (void)
{
  render_day (FALSE);
}

static void
test_render_dark (void)
{
  render_day (TRUE);
}

/* Available memory is worse when lower: its critical band lies under
 * the critical threshold, down to the bottom of the plot. The axis is
 * in round binary units. */
static void
test_render_below (void)
{
  double GiB = 1024.0 * 1024 * 1024;
  g_autoptr(HealthMetric) metric = health_metric_new ("memory-available", "Available Memory", "bytes",
                                                      HEALTH_DIRECTION_BELOW, 2 * GiB, 0.5 * GiB);
  g_autoptr(GPtrArray) points = points_new ();
  cairo_surface_t *surface;
  GtkWidget *chart;
  graphene_rect_t plot;
  GdkRGBA error;
  double background[3], pixel[3], expected[3];
  double lo, hi, y;

  for (gint64 t = 0; t < HOUR_US; t += 2 * G_USEC_PER_SEC)
    {
      double mean = 5 * GiB + 0.5 * GiB * sin (t / 6e7);

      points_add (points, DAY0_US + t, mean - 0.1 * GiB, mean, mean + 0.1 * GiB);
    }

  chart = show_chart (metric, points, DAY0_US, DAY0_US + HOUR_US);
  surface = gtk_test_util_render (GTK_WIDGET (gtk_widget_get_root (chart)));
  gtk_test_util_save_png (surface, "history-chart-below.png");

  health_gtk_history_chart_get_plot (HEALTH_GTK_HISTORY_CHART (chart), &plot, &lo, &hi);
  g_assert_cmpfloat (lo, ==, 0);
  g_assert_cmpfloat (fmod (hi, GiB), ==, 0);

  gtk_test_util_get_pixel (surface, WIDTH - 2, plot.origin.y + 3, background);
  gtk_test_util_lookup_color (chart, "error_color", &error);

  /* Under 512 MiB: the critical band, in the bottom left corner. */
  y = floor (value_y (&plot, lo, hi, 0.25 * GiB));
  gtk_test_util_get_pixel (surface, plot.origin.x + 3, y, pixel);
  blend (background, &error, HEALTH_GTK_SPARKLINE_CRITICAL_BAND_ALPHA, expected);
  gtk_test_util_assert_color (pixel, expected, TOLERANCE);

  /* Above 2 GiB, away from the data: no band. */
  y = floor (value_y (&plot, lo, hi, 3 * GiB));
  gtk_test_util_get_pixel (surface, plot.origin.x + 3, y, pixel);
  gtk_test_util_assert_color (pixel, background, TOLERANCE);

  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

/* Without points, the chart says so in the middle of the plot. */
static void
test_render_empty (void)
{
  g_autoptr(HealthMetric) metric = memory_usage_new ();
  cairo_surface_t *surface;
  GtkWidget *chart;
  graphene_rect_t plot;
  double background[3], pixel[3];
  double lo, hi;
  guint n_differ = 0;

  chart = show_chart (metric, NULL, DAY0_US, DAY0_US + DAY_US);
  surface = gtk_test_util_render (GTK_WIDGET (gtk_widget_get_root (chart)));
  gtk_test_util_save_png (surface, "history-chart-empty.png");

  health_gtk_history_chart_get_plot (HEALTH_GTK_HISTORY_CHART (chart), &plot, &lo, &hi);
  gtk_test_util_get_pixel (surface, WIDTH - 2, 3, background);

  /* Text across the middle row, nothing at a quarter's height. */
  for (int x = plot.origin.x; x < plot.origin.x + plot.size.width; x++)
    {
      gtk_test_util_get_pixel (surface, x, plot.origin.y + plot.size.height / 2, pixel);
      if (gtk_test_util_color_distance (pixel, background) > 100)
        n_differ++;
    }
  g_assert_cmpuint (n_differ, >, 20);

  for (int x = plot.origin.x + 2; x < plot.origin.x + plot.size.width - 2; x++)
    {
      gtk_test_util_get_pixel (surface, x, plot.origin.y + plot.size.height / 4, pixel);
      /* Faint grid lines cross it; text would be stronger. */
      if (gtk_test_util_color_distance (pixel, background) > 100)
        g_error ("something drawn at (%d, %.0f) in an empty chart", x, plot.origin.y + plot.size.height / 4);
    }

  /* The time axis is there all the same: the day is labelled. */
  g_assert_cmpuint (health_gtk_history_chart_get_n_time_ticks (HEALTH_GTK_HISTORY_CHART (chart)), >=, 3);

  /* No read-out to move to: the keys go on to the window. */
  g_assert_false (press_key (chart, GDK_KEY_End));
  g_assert_false (press_key (chart, GDK_KEY_Left));
  g_assert_null (health_gtk_history_chart_dup_readout (HEALTH_GTK_HISTORY_CHART (chart)));

  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

/* The time axis */

static void
assert_time_labels (gint64       span_us,
                    const char  *pattern,
                    guint        min_ticks,
                    guint        max_ticks)
{
  g_autoptr(HealthMetric) metric = memory_usage_new ();
  g_autoptr(GPtrArray) points = points_new ();
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autofree char *name = NULL;
  cairo_surface_t *surface;
  GtkWidget *chart;
  double previous = -1;
  guint n_ticks;

  /* A point every 1/500 of the span, 20 to 60 %, with an envelope. */
  for (guint i = 0; i < 500; i++)
    {
      double mean = 40 + 20 * sin (i / 30.0);

      points_add (points, DAY0_US + DAY_US - span_us + span_us / 500 * i, mean - 5, mean, mean + 5);
    }
  chart = show_chart (metric, points, DAY0_US + DAY_US - span_us, DAY0_US + DAY_US);
  name = g_strdup_printf ("history-chart-%" G_GINT64_FORMAT "h.png", span_us / HOUR_US);
  surface = gtk_test_util_render (GTK_WIDGET (gtk_widget_get_root (chart)));
  gtk_test_util_save_png (surface, name);
  cairo_surface_destroy (surface);

  n_ticks = health_gtk_history_chart_get_n_time_ticks (HEALTH_GTK_HISTORY_CHART (chart));
  g_assert_cmpuint (n_ticks, >=, min_ticks);
  g_assert_cmpuint (n_ticks, <=, max_ticks);

  for (guint i = 0; i < n_ticks; i++)
    {
      double x;
      g_autofree char *label = health_gtk_history_chart_dup_time_tick_label (HEALTH_GTK_HISTORY_CHART (chart), i, &x);

      if (!g_regex_match (regex, label, 0, NULL))
        g_error ("time label “%s” does not match %s", label, pattern);
      g_assert_cmpfloat (x, >, previous);
      previous = x;
    }

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

static void
test_time_axis (void)
{
  /* Round local times: tens or quarters of minutes, hours of the day. */
  assert_time_labels (HOUR_US, "^[0-2][0-9]:([0-5]0|15|45)$", 2, 7);
  assert_time_labels (DAY_US, "^[0-2][0-9]:00$", 3, 9);
  /* A week: the weekdays, a month: the dates. */
  assert_time_labels (7 * DAY_US, "^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)$", 3, 8);
  assert_time_labels (30 * DAY_US, "^[0-9]{1,2} (Oct|Nov)$", 2, 8);
}

/* The read-out */

/* Activates the binding of @keyval as a key press would: through the
 * widget's class shortcuts. Returns whether a shortcut took it. */
static gboolean
press_key (GtkWidget *widget,
           guint      keyval)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (!GTK_IS_SHORTCUT_CONTROLLER (controller))
        continue;

      for (guint j = 0; j < g_list_model_get_n_items (G_LIST_MODEL (controller)); j++)
        {
          g_autoptr(GtkShortcut) shortcut = g_list_model_get_item (G_LIST_MODEL (controller), j);
          GtkShortcutTrigger *trigger = gtk_shortcut_get_trigger (shortcut);

          if (GTK_IS_KEYVAL_TRIGGER (trigger) &&
              gtk_keyval_trigger_get_keyval (GTK_KEYVAL_TRIGGER (trigger)) == keyval &&
              gtk_keyval_trigger_get_modifiers (GTK_KEYVAL_TRIGGER (trigger)) == 0)
            return gtk_shortcut_action_activate (gtk_shortcut_get_action (shortcut),
                                                 GTK_SHORTCUT_ACTION_EXCLUSIVE, widget,
                                                 gtk_shortcut_get_arguments (shortcut));
        }
    }

  g_error ("no shortcut for %s", gdk_keyval_name (keyval));
}

static void
assert_readout (GtkWidget  *chart,
                const char *expected)
{
  g_autofree char *readout = health_gtk_history_chart_dup_readout (HEALTH_GTK_HISTORY_CHART (chart));

  g_assert_cmpstr (readout, ==, expected);
  if (expected != NULL)
    assert_description (chart, expected);
}

static GtkWidget *
find_readout_label (GtkWidget *chart)
{
  for (GtkWidget *child = gtk_widget_get_first_child (chart); child; child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child) && gtk_widget_has_css_class (child, "readout"))
      return child;

  g_assert_not_reached ();
}

/* Four points at 00:00, 00:10, 00:20 (whose envelope differs) and 00:30
 * of an hour. */
static GtkWidget *
show_four_points (void)
{
  g_autoptr(HealthMetric) metric = memory_usage_new ();
  g_autoptr(GPtrArray) points = points_new ();

  points_add (points, DAY0_US, 10, 10, 10);
  points_add (points, DAY0_US + 10 * MINUTE_US, 20, 20, 20);
  points_add (points, DAY0_US + 20 * MINUTE_US, 25, 30, 40);
  points_add (points, DAY0_US + 30 * MINUTE_US, 40, 40, 40);

  return show_chart (metric, points, DAY0_US, DAY0_US + HOUR_US);
}

static void
test_readout_keyboard (void)
{
  GtkWidget *chart = show_four_points ();
  GtkWidget *label = find_readout_label (chart);
  cairo_surface_t *surface;
  graphene_rect_t bounds;
  const char *summary = "Memory Usage over 1 hour: latest 40.0 %, lowest 10.0 %, highest 40.0 %";

  assert_readout (chart, NULL);
  assert_description (chart, summary);
  g_assert_false (gtk_widget_get_child_visible (label));

  /* The first key shows the latest point. */
  g_assert_true (press_key (chart, GDK_KEY_Left));
  assert_readout (chart, "00:30:00: 40.0 %");
  gtk_test_util_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (chart)));
  g_assert_true (gtk_widget_get_child_visible (label));
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (label)), ==, "00:30:00\n40.0 %");

  g_assert_true (press_key (chart, GDK_KEY_Left));
  gtk_test_util_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (chart)));
  surface = gtk_test_util_render (GTK_WIDGET (gtk_widget_get_root (chart)));
  gtk_test_util_save_png (surface, "history-chart-readout.png");
  cairo_surface_destroy (surface);
  /* Beside the cursor, within the chart. */
  g_assert_true (gtk_widget_compute_bounds (label, chart, &bounds));
  g_assert_cmpfloat (bounds.origin.x, >=, 0);
  g_assert_cmpfloat (bounds.origin.x + bounds.size.width, <=, WIDTH);

  assert_readout (chart, "00:20:00: 30.0 % (25.0 % – 40.0 %)");

  g_assert_true (press_key (chart, GDK_KEY_Home));
  assert_readout (chart, "00:00:00: 10.0 %");

  /* At the first point, Left stays. */
  press_key (chart, GDK_KEY_Left);
  assert_readout (chart, "00:00:00: 10.0 %");

  g_assert_true (press_key (chart, GDK_KEY_Right));
  assert_readout (chart, "00:10:00: 20.0 %");

  g_assert_true (press_key (chart, GDK_KEY_End));
  assert_readout (chart, "00:30:00: 40.0 %");

  /* Escape hides it, and then lets Escape go on to the window. */
  g_assert_true (press_key (chart, GDK_KEY_Escape));
  assert_readout (chart, NULL);
  assert_description (chart, summary);
  g_assert_false (press_key (chart, GDK_KEY_Escape));
  gtk_test_util_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (chart)));
  g_assert_false (gtk_widget_get_child_visible (label));

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

static GtkEventController *
find_motion_controller (GtkWidget *widget)
{
  g_autoptr(GListModel) controllers = gtk_widget_observe_controllers (widget);

  for (guint i = 0; i < g_list_model_get_n_items (controllers); i++)
    {
      g_autoptr(GObject) controller = g_list_model_get_item (controllers, i);

      if (GTK_IS_EVENT_CONTROLLER_MOTION (controller))
        return GTK_EVENT_CONTROLLER (controller);
    }

  g_assert_not_reached ();
}

static void
test_readout_motion (void)
{
  GtkWidget *chart = show_four_points ();
  GtkEventController *motion = find_motion_controller (chart);
  graphene_rect_t plot;
  double lo, hi, x;

  health_gtk_history_chart_get_plot (HEALTH_GTK_HISTORY_CHART (chart), &plot, &lo, &hi);

  /* Right over 00:20, then a few pixels off: the nearest point. */
  x = plot.origin.x + plot.size.width / 3;
  g_signal_emit_by_name (motion, "motion", x, plot.origin.y + 10);
  assert_readout (chart, "00:20:00: 30.0 % (25.0 % – 40.0 %)");
  g_signal_emit_by_name (motion, "motion", x + 5, plot.origin.y + 10);
  assert_readout (chart, "00:20:00: 30.0 % (25.0 % – 40.0 %)");

  /* At 00:45, far from any point: nothing to read. */
  g_signal_emit_by_name (motion, "motion", plot.origin.x + plot.size.width * 0.75, plot.origin.y + 10);
  assert_readout (chart, NULL);

  /* Over the first point, then out of the chart. */
  g_signal_emit_by_name (motion, "motion", plot.origin.x, plot.origin.y + 10);
  assert_readout (chart, "00:00:00: 10.0 %");
  g_signal_emit_by_name (motion, "leave");
  assert_readout (chart, NULL);

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

/* New points keep the read-out on the same time when it still has data,
 * and the description follows the points. */
static void
test_readout_follows_points (void)
{
  GtkWidget *chart = show_four_points ();
  g_autoptr(GPtrArray) points = points_new ();

  press_key (chart, GDK_KEY_Home);
  assert_readout (chart, "00:00:00: 10.0 %");

  points_add (points, DAY0_US, 12, 12, 12);
  points_add (points, DAY0_US + 50 * MINUTE_US, 70, 70, 70);
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), points);
  assert_readout (chart, "00:00:00: 12.0 %");

  press_key (chart, GDK_KEY_Escape);
  assert_description (chart, "Memory Usage over 1 hour: latest 70.0 %, lowest 12.0 %, highest 70.0 %");

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

/* Raising the critical threshold above the scale widens the scale: the
 * chart follows its metric. */
static void
test_thresholds_follow (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("queue", "Queue", "jobs", HEALTH_DIRECTION_ABOVE, 50, 100);
  g_autoptr(GPtrArray) points = points_new ();
  g_autoptr(GError) error = NULL;
  GtkWidget *chart;
  graphene_rect_t plot;
  double lo, hi;

  points_add (points, DAY0_US, 10, 10, 10);
  points_add (points, DAY0_US + MINUTE_US, 20, 20, 20);
  chart = show_chart (metric, points, 0, 0);

  health_gtk_history_chart_get_plot (HEALTH_GTK_HISTORY_CHART (chart), &plot, &lo, &hi);
  g_assert_cmpfloat (hi, >=, 100);
  g_assert_cmpfloat (hi, <, 200);

  g_assert_true (health_metric_set_thresholds (metric, 300, 400, &error));
  g_assert_no_error (error);
  gtk_test_util_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (chart)));
  health_gtk_history_chart_get_plot (HEALTH_GTK_HISTORY_CHART (chart), &plot, &lo, &hi);
  g_assert_cmpfloat (hi, >=, 400);

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

/* Times at the ends of gint64 and ranges across them: drawn without a
 * critical or an overflow. */
static void
test_extreme_times (void)
{
  g_autoptr(HealthMetric) metric = memory_usage_new ();
  g_autoptr(GPtrArray) points = points_new ();
  g_autofree char *readout = NULL;
  GtkWidget *chart;

  points_add (points, G_MININT64, 1, 2, 3);
  points_add (points, 0, 1, 2, 3);
  points_add (points, G_MAXINT64, 1, 2, 3);
  chart = show_chart (metric, points, 0, 0);
  cairo_surface_destroy (gtk_test_util_render (chart));

  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), G_MININT64, G_MAXINT64);
  gtk_test_util_wait_for_paint (GTK_WIDGET (gtk_widget_get_root (chart)));
  g_assert_true (press_key (chart, GDK_KEY_Home));
  readout = health_gtk_history_chart_dup_readout (HEALTH_GTK_HISTORY_CHART (chart));
  g_assert_nonnull (readout);

  gtk_window_destroy (GTK_WINDOW (gtk_widget_get_root (chart)));
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  gtk_test_util_init (&argc, &argv);

  g_test_add_func ("/history-chart/gap", test_gap);
  g_test_add_func ("/history-chart/bucket/dense", test_bucket_dense);
  g_test_add_func ("/history-chart/bucket/gaps", test_bucket_gaps);
  g_test_add_func ("/history-chart/nice-step", test_nice_step);
  g_test_add_func ("/history-chart/properties", test_properties);
  g_test_add_func ("/history-chart/wrong-types", test_wrong_types);
  g_test_add_func ("/history-chart/natural-size", test_natural_size);
  g_test_add_func ("/history-chart/accessible/summary", test_accessible_summary);
  g_test_add_func ("/history-chart/render/light", test_render_light);
  g_test_add_func ("/history-chart/render/dark", test_render_dark);
  g_test_add_func ("/history-chart/render/below", test_render_below);
  g_test_add_func ("/history-chart/render/empty", test_render_empty);
  g_test_add_func ("/history-chart/time-axis", test_time_axis);
  g_test_add_func ("/history-chart/readout/keyboard", test_readout_keyboard);
  g_test_add_func ("/history-chart/readout/motion", test_readout_motion);
  g_test_add_func ("/history-chart/readout/follows-points", test_readout_follows_points);
  g_test_add_func ("/history-chart/thresholds-follow", test_thresholds_follow);
  g_test_add_func ("/history-chart/extreme-times", test_extreme_times);

  return g_test_run ();
}
