/* test-monitor-view.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include "health-gtk.h"
#include "health-gtk-metric-row-private.h"
#include "health-gtk-monitor-view-private.h"
#include "health-gtk-sparkline-private.h"
#include "gtk-test-util.h"

/* The ids of the rows, top to bottom, as "a b c". */
static char *
view_row_ids (GtkWidget *view)
{
  GtkListBox *list_box = health_gtk_monitor_view_get_list_box (HEALTH_GTK_MONITOR_VIEW (view));
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list_box, i)) != NULL; i++)
    {
      GtkWidget *child = gtk_list_box_row_get_child (row);

      g_assert_true (HEALTH_GTK_IS_METRIC_ROW (child));
      g_strv_builder_add (ids, health_metric_get_id (health_gtk_metric_row_get_metric (HEALTH_GTK_METRIC_ROW (child))));
    }

  strv = g_strv_builder_end (ids);

  return g_strjoinv (" ", strv);
}

#define assert_rows(view, expected) \
  G_STMT_START { \
    g_autofree char *__ids = view_row_ids (view); \
    g_assert_cmpstr (__ids, ==, (expected)); \
  } G_STMT_END

static HealthMetric *
add_metric (HealthMonitor *monitor,
            const char    *id,
            double         value)
{
  return gtk_test_util_add_metric (monitor, id, id, "%", HEALTH_DIRECTION_ABOVE, 75, 90, 0,
                                   isnan (value) ? NULL : &value, isnan (value) ? 0 : 1);
}

static void
test_rows_follow_model (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  GtkWidget *view = health_gtk_monitor_view_new (monitor);
  GtkWidget *window = gtk_test_util_show (view, 480, 400);

  assert_rows (view, "");

  g_object_unref (add_metric (monitor, "a", 10));
  assert_rows (view, "a");

  g_object_unref (add_metric (monitor, "b", 20));
  g_object_unref (add_metric (monitor, "c", 30));
  assert_rows (view, "a b c");

  g_assert_true (health_monitor_remove_metric (monitor, "b"));
  assert_rows (view, "a c");

  g_assert_true (health_monitor_remove_metric (monitor, "a"));
  g_assert_true (health_monitor_remove_metric (monitor, "c"));
  assert_rows (view, "");

  gtk_test_util_wait_for_paint (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_sorted_by_severity (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) a = add_metric (monitor, "a", 10);      /* good */
  g_autoptr(HealthMetric) b = add_metric (monitor, "b", 95);      /* critical */
  g_autoptr(HealthMetric) c = add_metric (monitor, "c", 80);      /* warning */
  g_autoptr(HealthMetric) d = add_metric (monitor, "d", NAN);     /* unknown */
  g_autoptr(HealthMetric) e = add_metric (monitor, "e", 99);      /* critical */
  g_autoptr(HealthMetric) f = add_metric (monitor, "f", 20);      /* good */
  GtkWidget *view = health_gtk_monitor_view_new (monitor);
  GtkWidget *window = gtk_test_util_show (view, 480, 400);

  /* Worst first, unknown last, equals in the monitor's order. */
  assert_rows (view, "b e c a f d");

  /* Added rows take their place once their status is known. */
  g_object_unref (add_metric (monitor, "g", 85));
  gtk_test_util_drain ();
  assert_rows (view, "b e c g a f d");

  /* A status change sorts again, once, before the next frame; equals
   * go back to the monitor's order, not the order they were shown in. */
  health_metric_update (f, 91);
  health_metric_update (a, 92);
  health_metric_update (b, 10);
  gtk_test_util_drain ();
  assert_rows (view, "a e f c g b d");

  health_metric_update (d, 50);
  gtk_test_util_drain ();
  assert_rows (view, "a e f c g b d");

  health_metric_update (e, NAN);
  gtk_test_util_drain ();
  assert_rows (view, "a f c g b d e");

  gtk_test_util_wait_for_paint (window);
  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_removed_metric_unwatched (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) a = add_metric (monitor, "a", 10);
  g_autoptr(HealthMetric) b = add_metric (monitor, "b", 10);
  GtkWidget *view = g_object_ref_sink (health_gtk_monitor_view_new (monitor));

  g_assert_true (health_monitor_remove_metric (monitor, "a"));
  assert_rows (view, "b");

  /* Still alive here, but no longer the view's business. */
  health_metric_update (a, 99);
  gtk_test_util_drain ();
  assert_rows (view, "b");
  g_assert_cmpuint (g_signal_handlers_disconnect_matched (a, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, view), ==, 0);

  g_object_unref (view);

  /* Nothing of the view stays connected. */
  g_assert_cmpuint (g_signal_handlers_disconnect_matched (b, G_SIGNAL_MATCH_DATA, 0, 0, NULL, NULL, view), ==, 0);
  health_metric_update (b, 99);
  gtk_test_util_drain ();
}

static void
test_sparklines_follow_monitor (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) a = add_metric (monitor, "a", 10);
  GtkWidget *view = g_object_ref_sink (health_gtk_monitor_view_new (monitor));
  GtkListBox *list_box = health_gtk_monitor_view_get_list_box (HEALTH_GTK_MONITOR_VIEW (view));
  GtkWidget *row = gtk_list_box_row_get_child (gtk_list_box_get_row_at_index (list_box, 0));
  HealthGtkSparkline *sparkline = health_gtk_metric_row_get_sparkline (HEALTH_GTK_METRIC_ROW (row));

  /* They redraw once per sample of the monitor their metric names: the
   * view has no monitor of its own to hand them. */
  g_assert_true (health_gtk_sparkline_get_metric (sparkline) == a);
  g_assert_true (health_metric_get_monitor (a) == monitor);
  g_assert_null (health_gtk_metric_row_get_monitor (HEALTH_GTK_METRIC_ROW (row)));
  g_assert_null (health_gtk_sparkline_get_monitor (sparkline));

  g_object_unref (view);
}

static void
test_change_monitor (void)
{
  g_autoptr(HealthMonitor) first = test_app_monitor_new ();
  g_autoptr(HealthMonitor) second = test_app_monitor_new ();
  GtkWidget *view = g_object_ref_sink (health_gtk_monitor_view_new (NULL));
  g_autoptr(HealthMonitor) got = NULL;

  g_object_unref (add_metric (first, "a", 10));
  g_object_unref (add_metric (second, "x", 95));
  g_object_unref (add_metric (second, "y", 10));

  g_assert_null (health_gtk_monitor_view_get_monitor (HEALTH_GTK_MONITOR_VIEW (view)));
  assert_rows (view, "");

  health_gtk_monitor_view_set_monitor (HEALTH_GTK_MONITOR_VIEW (view), first);
  assert_rows (view, "a");

  g_object_set (view, "monitor", second, NULL);
  g_object_get (view, "monitor", &got, NULL);
  g_assert_true (got == second);
  assert_rows (view, "x y");

  /* The first monitor's changes no longer reach the view. */
  g_object_unref (add_metric (first, "b", 10));
  assert_rows (view, "x y");

  health_gtk_monitor_view_set_monitor (HEALTH_GTK_MONITOR_VIEW (view), NULL);
  assert_rows (view, "");
  g_assert_null (health_gtk_monitor_view_get_model (HEALTH_GTK_MONITOR_VIEW (view)));

  g_object_unref (view);
}

static void
test_monitor_disposed_first (void)
{
  HealthMonitor *monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) a = add_metric (monitor, "a", 10);
  GtkWidget *view = health_gtk_monitor_view_new (monitor);
  GtkWidget *window = gtk_test_util_show (view, 480, 200);

  /* The view keeps its monitor: the app may drop its own reference. */
  g_object_unref (monitor);
  health_metric_update (a, 99);
  gtk_test_util_drain ();
  assert_rows (view, "a");

  gtk_window_destroy (GTK_WINDOW (window));
}

/* Where @widget starts, in @view's coordinates. */
static double
x_in_view (GtkWidget *widget,
           GtkWidget *view)
{
  graphene_point_t point;

  g_assert_true (gtk_widget_compute_point (widget, view, &GRAPHENE_POINT_INIT (0, 0), &point));

  return point.x;
}

/* On a phone-sized window: every metric of a real system, with values of
 * every width ("0.52 per core", "1.5 GiB", "—"), the longest labels of
 * the built-ins. */
static void
test_layout_narrow (void)
{
  g_autofree char *proc_root = g_test_build_filename (G_TEST_DIST, "..", "fixtures", "proc-debian12", NULL);
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR,
                                                   "builtin", HEALTH_BUILTIN_ALL,
                                                   "proc-root", proc_root,
                                                   NULL);
  GtkWidget *view = health_gtk_monitor_view_new (monitor);
  GtkWidget *window;
  GtkListBox *list_box = health_gtk_monitor_view_get_list_box (HEALTH_GTK_MONITOR_VIEW (view));
  g_autoptr(GHashTable) value_widths = g_hash_table_new (NULL, NULL);
  double sparkline_x = -1, value_x = -1;
  GtkListBoxRow *list_row;
  guint n_rows = 0;

  gtk_test_util_sample (monitor);
  gtk_test_util_sample (monitor);
  window = gtk_test_util_show (view, 360, 1200);
  gtk_test_util_paint (window);
  g_assert_cmpint (gtk_widget_get_width (window), ==, 360);

  for (int i = 0; (list_row = gtk_list_box_get_row_at_index (list_box, i)) != NULL; i++)
    {
      HealthGtkMetricRow *row = HEALTH_GTK_METRIC_ROW (gtk_list_box_row_get_child (list_row));
      GtkLabel *label = health_gtk_metric_row_get_label_widget (row);
      GtkLabel *value = health_gtk_metric_row_get_value_widget (row);
      GtkWidget *sparkline = GTK_WIDGET (health_gtk_metric_row_get_sparkline (row));
      PangoLayout *layout = gtk_label_get_layout (label);
      int text_width;

      /* The whole label shows, on as many lines as it takes... */
      g_assert_false (pango_layout_is_ellipsized (layout));
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      g_assert_cmpint (text_width, <=, gtk_widget_get_width (GTK_WIDGET (label)));

      /* ...and so does the value. */
      pango_layout_get_pixel_size (gtk_label_get_layout (value), &text_width, NULL);
      g_assert_cmpint (text_width, <=, gtk_widget_get_width (GTK_WIDGET (value)));
      g_hash_table_add (value_widths, GINT_TO_POINTER (text_width));

      /* Sparklines and values form columns. */
      if (i == 0)
        {
          sparkline_x = x_in_view (sparkline, view);
          value_x = x_in_view (GTK_WIDGET (value), view);
        }
      g_assert_cmpfloat (x_in_view (sparkline, view), ==, sparkline_x);
      g_assert_cmpfloat (x_in_view (GTK_WIDGET (value), view), ==, value_x);
      g_assert_cmpint (gtk_widget_get_width (sparkline), >=, 2 * HEALTH_GTK_SPARKLINE_INSET + 2);
      n_rows++;
    }

  /* It was a test of something: many rows, values of several widths. */
  g_assert_cmpuint (n_rows, ==, g_list_model_get_n_items (health_monitor_get_metrics (monitor)));
  g_assert_cmpuint (n_rows, >, 10);
  g_assert_cmpuint (g_hash_table_size (value_widths), >, 3);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_util_init (&argc, &argv);

  g_test_add_func ("/monitor-view/rows/follow-model", test_rows_follow_model);
  g_test_add_func ("/monitor-view/rows/sorted-by-severity", test_sorted_by_severity);
  g_test_add_func ("/monitor-view/rows/removed-unwatched", test_removed_metric_unwatched);
  g_test_add_func ("/monitor-view/sparklines/monitor", test_sparklines_follow_monitor);
  g_test_add_func ("/monitor-view/monitor/change", test_change_monitor);
  g_test_add_func ("/monitor-view/monitor/dropped-by-app", test_monitor_disposed_first);
  g_test_add_func ("/monitor-view/layout/narrow", test_layout_narrow);

  return g_test_run ();
}
