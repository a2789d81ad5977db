/* gtk-test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include "gtk-test-util.h"
#include "../test-util.h"

void
gtk_test_util_init (int    *argc,
                    char ***argv)
{
  /* The tests compare colours of the built-in theme: a theme forced from
   * the environment would change them. */
  g_unsetenv ("GTK_THEME");
  gtk_test_init (argc, argv, NULL);
}

/* A metric that the test updates itself, with @values as its history,
 * added to @monitor when there is one. Returns a new reference. */
HealthMetric *
gtk_test_util_add_metric (HealthMonitor   *monitor,
                          const char      *id,
                          const char      *label,
                          const char      *unit,
                          HealthDirection  direction,
                          double           warning,
                          double           critical,
                          guint            history_size,
                          const double    *values,
                          guint            n_values)
{
  g_autoptr(HealthMetric) metric = health_metric_new (id, label, unit, direction, warning, critical);

  if (history_size > 0)
    health_metric_set_history_size (metric, history_size);

  if (monitor != NULL)
    g_assert_true (health_monitor_add_metric (monitor, metric));

  for (guint i = 0; i < n_values; i++)
    health_metric_update (metric, values[i]);

  return g_steal_pointer (&metric);
}

static void
count_paint (GdkFrameClock *clock,
             guint         *n_paints)
{
  (*n_paints)++;
}

/* Until the window has been laid out and painted once more. */
void
gtk_test_util_wait_for_paint (GtkWidget *window)
{
  GdkFrameClock *clock;
  guint n_paints = 0;
  gulong handler;

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);

  clock = gtk_widget_get_frame_clock (window);
  handler = g_signal_connect (clock, "after-paint", G_CALLBACK (count_paint), &n_paints);
  gtk_widget_queue_draw (window);

  while (n_paints == 0)
    g_main_context_iteration (NULL, TRUE);

  g_signal_handler_disconnect (clock, handler);
}

/* One frame of @window, and what it leaves pending. */
void
gtk_test_util_paint (GtkWidget *window)
{
  gtk_test_util_wait_for_paint (window);
  gtk_test_util_drain ();
}

/* Runs what is pending: idles such as the view's re-sort. */
void
gtk_test_util_drain (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* One sample of @monitor, applied and its signals emitted, and then
 * what it made pending (redraws, re-sorts) run. */
void
gtk_test_util_sample (HealthMonitor *monitor)
{
  test_sample_sync (monitor);
  gtk_test_util_drain ();
}

static void
count_redraw (guint *n_redraws)
{
  (*n_redraws)++;
}

/* Counts in @n_redraws each frame that draws @widget anew: GTK tells a
 * paintable of the widget after each frame in which the widget had asked
 * to be redrawn (gtk_widget_queue_draw()), however often it asked, and
 * never for frames that reuse its last drawing. Run a frame with
 * gtk_test_util_paint(). Returns the paintable, which counts while it
 * lives. */
GdkPaintable *
gtk_test_util_count_redraws (GtkWidget *widget,
                             guint     *n_redraws)
{
  GdkPaintable *paintable = gtk_widget_paintable_new (widget);

  gtk_test_util_drain ();
  g_signal_connect_swapped (paintable, "invalidate-contents", G_CALLBACK (count_redraw), n_redraws);

  return paintable;
}

/* An undecorated window, so that its render is the child on the window's
 * background and nothing else. */
GtkWidget *
gtk_test_util_show (GtkWidget *child,
                    int        width,
                    int        height)
{
  GtkWidget *window = gtk_window_new ();

  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));
  gtk_test_util_wait_for_paint (window);

  return window;
}

/* What the cairo renderer would draw: the widget's render node, drawn on
 * an image surface of the widget's size. */
cairo_surface_t *
gtk_test_util_render (GtkWidget *widget)
{
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_surface_t *surface;
  GtkSnapshot *snapshot;
  cairo_t *cr;

  g_assert_cmpint (width, >, 0);
  g_assert_cmpint (height, >, 0);

  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  g_assert_nonnull (node);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  gsk_render_node_draw (node, cr);
  cairo_destroy (cr);
  cairo_surface_flush (surface);

  return surface;
}

/* Un-premultiplied, in 0..255. */
void
gtk_test_util_get_pixel (cairo_surface_t *surface,
                         int              x,
                         int              y,
                         double           rgb[3])
{
  const guint8 *data = cairo_image_surface_get_data (surface);
  int stride = cairo_image_surface_get_stride (surface);
  guint32 pixel;
  double alpha;

  g_assert_cmpint (x, >=, 0);
  g_assert_cmpint (y, >=, 0);
  g_assert_cmpint (x, <, cairo_image_surface_get_width (surface));
  g_assert_cmpint (y, <, cairo_image_surface_get_height (surface));

  pixel = *(const guint32 *) (data + y * stride + x * 4);
  alpha = (pixel >> 24) & 0xff;
  g_assert_cmpfloat (alpha, >, 0);

  rgb[0] = ((pixel >> 16) & 0xff) * 255.0 / alpha;
  rgb[1] = ((pixel >> 8) & 0xff) * 255.0 / alpha;
  rgb[2] = (pixel & 0xff) * 255.0 / alpha;
}

void
gtk_test_util_assert_color (const double rgb[3],
                            const double expected[3],
                            double       tolerance)
{
  for (guint i = 0; i < 3; i++)
    {
      if (fabs (rgb[i] - expected[i]) > tolerance)
        g_error ("colour (%.0f, %.0f, %.0f) is not (%.0f, %.0f, %.0f) ± %.0f",
                 rgb[0], rgb[1], rgb[2], expected[0], expected[1], expected[2], tolerance);
    }
}

/* gtk_test_accessible_assert_property() pastes its expected value into a
 * format string: a value with a '%' in it needs the function. */
void
gtk_test_util_assert_accessible (GtkWidget             *widget,
                                 GtkAccessibleProperty  property,
                                 const char            *expected)
{
  g_autofree char *failure = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), property, expected);

  if (failure != NULL)
    g_error ("accessible property %d: %s, not “%s”", property, failure, expected);
}

void
gtk_test_util_lookup_color (GtkWidget  *widget,
                            const char *name,
                            GdkRGBA    *color)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color));
G_GNUC_END_IGNORE_DEPRECATIONS
}

double
gtk_test_util_color_distance (const double a[3],
                              const double b[3])
{
  return fabs (a[0] - b[0]) + fabs (a[1] - b[1]) + fabs (a[2] - b[2]);
}

double
gtk_test_util_luminance (const double rgb[3])
{
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
}

void
gtk_test_util_set_dark (gboolean dark)
{
  g_object_set (gtk_settings_get_default (), "gtk-application-prefer-dark-theme", dark, NULL);
}

/* In the test's build directory, to look at when a check fails. */
void
gtk_test_util_save_png (cairo_surface_t *surface,
                        const char      *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_BUILT, name, NULL);

  g_assert_cmpint (cairo_surface_write_to_png (surface, path), ==, CAIRO_STATUS_SUCCESS);
  g_test_message ("Saved %s", path);
}

void
gtk_test_util_count_notify (GObject    *object,
                            GParamSpec *pspec,
                            guint      *count)
{
  (*count)++;
}
