/* bench-gtk-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <stdlib.h>
#include <time.h>

#include "bench-gtk-util.h"

guint
bench_gtk_env_uint (const char *name,
                    guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

double
bench_gtk_now_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);

  return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a;
  double y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Sorts @values. */
double
bench_gtk_median (double *values,
                  guint   n_values)
{
  qsort (values, n_values, sizeof (double), compare_doubles);

  return n_values % 2 ? values[n_values / 2] : (values[n_values / 2 - 1] + values[n_values / 2]) / 2;
}

gboolean
bench_gtk_target (const char *name,
                  double      value,
                  const char *op,
                  double      bound)
{
  gboolean pass = g_str_equal (op, "<=") ? value <= bound : value < bound;

  g_print ("target %s %s (%.2f vs %s %.2f)\n", name, pass ? "PASS" : "FAIL", value, op, bound);

  return pass;
}

static void
count_paint (GdkFrameClock *clock,
             gboolean      *painted)
{
  *painted = TRUE;
}

/* @child alone in an undecorated window, styled, laid out and painted
 * once, as in an app. */
GtkWidget *
bench_gtk_show (GtkWidget *child,
                int        width,
                int        height)
{
  GtkWidget *window = gtk_window_new ();
  gboolean painted = FALSE;
  gulong handler;

  gtk_widget_set_size_request (child, width, height);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), child);
  gtk_window_present (GTK_WINDOW (window));

  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  handler = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                              G_CALLBACK (count_paint), &painted);
  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (window), handler);

  g_assert (gtk_widget_get_width (child) == width);
  g_assert (gtk_widget_get_height (child) == height);

  return window;
}

/* What GTK does for a widget that queued a draw: its snapshot vfunc,
 * then the renderer draws the nodes, here on @cr as the cairo renderer
 * would. Returns the time it took. */
double
bench_gtk_frame_us (GtkWidget *widget,
                    cairo_t   *cr)
{
  GskRenderNode *node;
  GtkSnapshot *snapshot;
  double start;

  cairo_save (cr);
  cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
  cairo_paint (cr);
  cairo_restore (cr);

  start = bench_gtk_now_us ();
  snapshot = gtk_snapshot_new ();
  GTK_WIDGET_GET_CLASS (widget)->snapshot (widget, snapshot);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node != NULL)
    {
      gsk_render_node_draw (node, cr);
      gsk_render_node_unref (node);
    }
  cairo_surface_flush (cairo_get_target (cr));

  return bench_gtk_now_us () - start;
}

/* The median of @n_frames frames of @widget, after @n_warmup unmeasured
 * ones. */
double
bench_gtk_median_frame_us (GtkWidget *widget,
                           cairo_t   *cr,
                           guint      n_frames,
                           guint      n_warmup)
{
  g_autofree double *times = g_new (double, n_frames);

  for (guint i = 0; i < n_warmup + n_frames; i++)
    {
      double us = bench_gtk_frame_us (widget, cr);

      if (i >= n_warmup)
        times[i - n_warmup] = us;
    }

  return bench_gtk_median (times, n_frames);
}
