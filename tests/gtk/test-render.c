/* test-render.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Renders a monitor view and a sparkline with the cairo renderer, in the
 * light and the dark variant of the default theme, saves the PNGs in the
 * test's build directory and checks their pixels: the critical band and
 * the critical line carry the theme's error colour, and the dark variant
 * is dark.
 */

#include <math.h>

#include "health-gtk.h"
#include "health-gtk-metric-row-private.h"
#include "health-gtk-monitor-view-private.h"
#include "health-gtk-sparkline-private.h"
#include "gtk-test-util.h"

#define GiB (1024.0 * 1024.0 * 1024.0)
#define N_HISTORY 60

/* Tolerance, in 0..255, for antialiasing and rounding. */
#define TOLERANCE 3

typedef struct
{
  HealthMonitor *monitor;
  HealthMetric  *memory;      /* critical, rising */
} Scene;

static void
fill_history (double *values,
              double  from,
              double  to,
              double  wobble)
{
  for (guint i = 0; i < N_HISTORY; i++)
    values[i] = from + (to - from) * i / (N_HISTORY - 1) + wobble * sin (i * 0.9);
}

static void
scene_init (Scene *scene)
{
  double values[N_HISTORY];
  HealthMetric *metric;

  scene->monitor = test_app_monitor_new ();

  fill_history (values, 70, 93.1, 1.5);
  values[N_HISTORY - 1] = 93.1;
  scene->memory = gtk_test_util_add_metric (scene->monitor, "memory-usage", "Memory Usage", "%",
                                            HEALTH_DIRECTION_ABOVE, 75, 90, N_HISTORY, values, N_HISTORY);

  fill_history (values, 5.5 * GiB, 1.1 * GiB, 0.1 * GiB);
  metric = gtk_test_util_add_metric (scene->monitor, "memory-available", "Available Memory", "bytes",
                                     HEALTH_DIRECTION_BELOW, 2 * GiB, 0.5 * GiB, N_HISTORY, values, N_HISTORY);
  g_object_unref (metric);

  fill_history (values, 30, 45, 12);
  metric = gtk_test_util_add_metric (scene->monitor, "cpu-usage", "CPU Usage", "%",
                                     HEALTH_DIRECTION_ABOVE, 80, 95, N_HISTORY, values, N_HISTORY);
  g_object_unref (metric);

  fill_history (values, 12, 12.5, 0.2);
  metric = gtk_test_util_add_metric (scene->monitor, "swap-usage", "Swap Usage", "%",
                                     HEALTH_DIRECTION_ABOVE, 50, 80, N_HISTORY, values, N_HISTORY);
  g_object_unref (metric);

  fill_history (values, 0.4, 0.9, 0.2);
  metric = gtk_test_util_add_metric (scene->monitor, "load-average", "Load Average", "per core",
                                     HEALTH_DIRECTION_ABOVE, 1, 2, N_HISTORY, values, N_HISTORY / 2);
  g_object_unref (metric);

  metric = gtk_test_util_add_metric (scene->monitor, "memory-pressure", "Memory Pressure", "%",
                                     HEALTH_DIRECTION_ABOVE, 10, 40, N_HISTORY, NULL, 0);
  g_object_unref (metric);
}

static void
scene_clear (Scene *scene)
{
  g_clear_object (&scene->memory);
  g_clear_object (&scene->monitor);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Scene, scene_clear)

/* In @surface, a render of @ancestor, checks @sparkline of a critical
 * metric that is worse when higher: its top left corner shows the
 * critical band over @background, and the dot of its latest value is in
 * the error colour. */
static void
check_critical_sparkline (cairo_surface_t    *surface,
                          GtkWidget          *ancestor,
                          HealthGtkSparkline *sparkline,
                          const double        background[3])
{
  HealthMetric *metric = health_gtk_sparkline_get_metric (sparkline);
  g_autofree HealthSample *history = NULL;
  graphene_rect_t bounds;
  GdkRGBA error;
  double band[3], expected[3], dot[3];
  double alpha, lo, hi, y;
  guint n_samples;
  int columns;

  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpint (health_metric_get_direction (metric), ==, HEALTH_DIRECTION_ABOVE);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (sparkline), ancestor, &bounds));

  gtk_test_util_lookup_color (GTK_WIDGET (sparkline), "error_color", &error);
  alpha = error.alpha * HEALTH_GTK_SPARKLINE_CRITICAL_BAND_ALPHA;

  /* The critical band: above the critical threshold, from the top edge. */
  gtk_test_util_get_pixel (surface, bounds.origin.x + 1, bounds.origin.y + 1, band);
  for (guint i = 0; i < 3; i++)
    expected[i] = background[i] * (1 - alpha) + 255 * (&error.red)[i] * alpha;
  gtk_test_util_assert_color (band, expected, TOLERANCE);

  /* The dot on the latest value, drawn in the colour of `.critical`. */
  history = health_metric_dup_history (metric, &n_samples);
  health_gtk_sparkline_compute_range (history, n_samples,
                                      health_metric_get_warning (metric),
                                      health_metric_get_critical (metric), &lo, &hi);
  columns = bounds.size.width - 2 * HEALTH_GTK_SPARKLINE_INSET;
  y = HEALTH_GTK_SPARKLINE_INSET +
      (hi - history[n_samples - 1].value) / (hi - lo) * (bounds.size.height - 2 * HEALTH_GTK_SPARKLINE_INSET);
  gtk_test_util_get_pixel (surface,
                           bounds.origin.x + HEALTH_GTK_SPARKLINE_INSET + columns - 1,
                           floor (bounds.origin.y + y),
                           dot);
  for (guint i = 0; i < 3; i++)
    expected[i] = 255 * (&error.red)[i];
  gtk_test_util_assert_color (dot, expected, TOLERANCE);
}

static HealthGtkSparkline *
find_sparkline (GtkWidget    *view,
                HealthMetric *metric)
{
  GtkListBox *list_box = health_gtk_monitor_view_get_list_box (HEALTH_GTK_MONITOR_VIEW (view));
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list_box, i)) != NULL; i++)
    {
      HealthGtkMetricRow *metric_row = HEALTH_GTK_METRIC_ROW (gtk_list_box_row_get_child (row));

      if (health_gtk_metric_row_get_metric (metric_row) == metric)
        return health_gtk_metric_row_get_sparkline (metric_row);
    }

  g_assert_not_reached ();
}

static void
render_monitor_view (gboolean dark)
{
  g_auto(Scene) scene = { 0 };
  cairo_surface_t *surface;
  HealthGtkSparkline *sparkline;
  graphene_rect_t bounds;
  GtkWidget *window;
  GtkWidget *view;
  double background[3];

  gtk_test_util_set_dark (dark);
  scene_init (&scene);

  view = health_gtk_monitor_view_new (scene.monitor);
  /* At its natural height: every row in the picture. */
  window = gtk_test_util_show (view, 520, -1);

  surface = gtk_test_util_render (window);
  gtk_test_util_save_png (surface, dark ? "monitor-view-dark.png" : "monitor-view-light.png");

  /* Worst first. */
  g_assert_true (gtk_list_box_row_get_child (gtk_list_box_get_row_at_index (
                   health_gtk_monitor_view_get_list_box (HEALTH_GTK_MONITOR_VIEW (view)), 0))
                 == GTK_WIDGET (gtk_widget_get_ancestor (GTK_WIDGET (find_sparkline (view, scene.memory)),
                                                         HEALTH_GTK_TYPE_METRIC_ROW)));

  /* The row's background shows in the spacing left of the sparkline. */
  sparkline = find_sparkline (view, scene.memory);
  g_assert_true (gtk_widget_compute_bounds (GTK_WIDGET (sparkline), window, &bounds));
  gtk_test_util_get_pixel (surface, bounds.origin.x - 4, bounds.origin.y + 1, background);

  if (dark)
    g_assert_cmpfloat (gtk_test_util_luminance (background), <, 100);
  else
    g_assert_cmpfloat (gtk_test_util_luminance (background), >, 180);

  check_critical_sparkline (surface, window, sparkline, background);

  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_test_util_set_dark (FALSE);
}

static void
test_monitor_view_light (void)
{
  render_monitor_view (FALSE);
}

static void
test_monitor_view_dark (void)
{
  render_monitor_view (TRUE);
}

static void
render_sparkline (gboolean dark)
{
  g_auto(Scene) scene = { 0 };
  cairo_surface_t *surface;
  GtkWidget *sparkline;
  GtkWidget *window;
  double background[3];

  gtk_test_util_set_dark (dark);
  scene_init (&scene);

  sparkline = health_gtk_sparkline_new (scene.memory);
  gtk_widget_set_size_request (sparkline, 240, 48);
  window = gtk_test_util_show (sparkline, 240, 48);

  surface = gtk_test_util_render (window);
  gtk_test_util_save_png (surface, dark ? "sparkline-dark.png" : "sparkline-light.png");

  /* Below the warning threshold, at the left, nothing but the window. */
  gtk_test_util_get_pixel (surface, 1, gtk_widget_get_height (sparkline) - 2, background);
  if (dark)
    g_assert_cmpfloat (gtk_test_util_luminance (background), <, 100);
  else
    g_assert_cmpfloat (gtk_test_util_luminance (background), >, 180);

  check_critical_sparkline (surface, window, HEALTH_GTK_SPARKLINE (sparkline), background);

  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
  gtk_test_util_set_dark (FALSE);
}

static void
test_sparkline_light (void)
{
  render_sparkline (FALSE);
}

static void
test_sparkline_dark (void)
{
  render_sparkline (TRUE);
}

/* 3600 samples in 234 pixel columns: the one sample that peaked still
 * shows, a bar of the line's colour as high as the peak. */
static void
test_sparkline_dense_peak (void)
{
  g_autofree double *values = g_new (double, 3600);
  g_autoptr(HealthMetric) metric = NULL;
  g_autofree HealthSample *history = NULL;
  cairo_surface_t *surface;
  GtkWidget *sparkline;
  GtkWidget *window;
  GdkRGBA color;
  double pixel[3], background[3], expected[3];
  double lo, hi, y;
  guint n_samples;
  int columns, column;

  for (guint i = 0; i < 3600; i++)
    values[i] = 40 + 3 * sin (i * 0.05);
  values[1800] = 95;

  metric = gtk_test_util_add_metric (NULL, "cpu-usage", "CPU Usage", "%",
                                     HEALTH_DIRECTION_ABOVE, 75, 90, 3600, values, 3600);
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_GOOD);

  sparkline = health_gtk_sparkline_new (metric);
  gtk_widget_set_size_request (sparkline, 240, 48);
  window = gtk_test_util_show (sparkline, 240, 48);
  surface = gtk_test_util_render (window);
  gtk_test_util_save_png (surface, "sparkline-dense.png");

  history = health_metric_dup_history (metric, &n_samples);
  health_gtk_sparkline_compute_range (history, n_samples, 75, 90, &lo, &hi);
  columns = gtk_widget_get_width (sparkline) - 2 * HEALTH_GTK_SPARKLINE_INSET;
  column = floor (1800.0 * (columns - 1) / 3599 + 0.5);
  y = HEALTH_GTK_SPARKLINE_INSET + (hi - 95) / (hi - lo) * (gtk_widget_get_height (sparkline) - 2 * HEALTH_GTK_SPARKLINE_INSET);

  /* A good metric's line takes the node's colour, the theme's accent. */
  gtk_test_util_lookup_color (sparkline, "theme_selected_bg_color", &color);
  for (guint i = 0; i < 3; i++)
    expected[i] = 255 * (&color.red)[i];

  /* Two columns away, nothing reaches that high: the band shows. */
  gtk_test_util_get_pixel (surface, HEALTH_GTK_SPARKLINE_INSET + column + 2, ceil (y), background);
  g_assert_cmpfloat (gtk_test_util_color_distance (background, expected), >, 60);

  /* The peak's column is the line's colour (its bar covers nine tenths
   * of the pixel, so nearly). */
  gtk_test_util_get_pixel (surface, HEALTH_GTK_SPARKLINE_INSET + column, ceil (y), pixel);
  g_assert_cmpfloat (gtk_test_util_color_distance (pixel, expected), <, 0.15 * gtk_test_util_color_distance (background, expected));

  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_util_init (&argc, &argv);

  g_test_add_func ("/render/monitor-view/light", test_monitor_view_light);
  g_test_add_func ("/render/monitor-view/dark", test_monitor_view_dark);
  g_test_add_func ("/render/sparkline/light", test_sparkline_light);
  g_test_add_func ("/render/sparkline/dark", test_sparkline_dark);
  g_test_add_func ("/render/sparkline/dense-peak", test_sparkline_dense_peak);

  return g_test_run ();
}
