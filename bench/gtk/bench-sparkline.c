/* bench-sparkline.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The cost of one frame of a 240×48 HealthGtkSparkline with a history of
 * 100 and of 3600 samples: its snapshot, then the render node drawn on a
 * cairo image surface as the cairo renderer does. Decimation to the
 * pixel width should make the two cost about the same.
 *
 * Prints "name value" lines, then "target NAME PASS|FAIL (value vs
 * bound)". Exits 0 whatever the targets say, so the figures are always
 * shown; BENCH_STRICT=1 makes a failed target fail the run.
 * BENCH_SAMPLES and BENCH_WARMUP change the number of frames.
 */

#include <math.h>
#include <stdlib.h>
#include <time.h>

#include <health-gtk.h>

#define WIDTH  240
#define HEIGHT 48

#define TARGET_RATIO 1.5
#define TARGET_US    500.0

static guint
env_uint (const char *name,
          guint       fallback)
{
  const char *value = g_getenv (name);

  return value != NULL && *value != '\0' ? (guint) g_ascii_strtoull (value, NULL, 10) : fallback;
}

static double
now_us (void)
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

static void
count_paint (GdkFrameClock *clock,
             gboolean      *painted)
{
  *painted = TRUE;
}

/* The median of @n_frames frames, after @n_warmup unmeasured ones. */
static double
measure (guint n_samples,
         guint n_frames,
         guint n_warmup)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) metric = NULL;
  g_autofree double *times = g_new (double, n_frames);
  cairo_surface_t *surface;
  GtkWidget *sparkline;
  GtkWidget *window;
  gboolean painted = FALSE;
  gulong handler;
  cairo_t *cr;
  double median;

  metric = health_metric_new ("memory-usage", "Memory Usage", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  health_metric_set_history_size (metric, n_samples);
  health_monitor_add_metric (monitor, metric);

  /* A wandering line that crosses both thresholds. */
  for (guint i = 0; i < n_samples; i++)
    health_metric_update (metric, 60 + 30 * sin (i * 6.0 / n_samples) + 5 * sin (i * 0.7));
  g_assert (health_metric_get_n_samples (metric) == n_samples);

  sparkline = health_gtk_sparkline_new (metric);
  gtk_widget_set_size_request (sparkline, WIDTH, HEIGHT);
  window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_child (GTK_WINDOW (window), sparkline);
  gtk_window_present (GTK_WINDOW (window));

  /* Styled, laid out and painted once, as in an app. */
  while (!gtk_widget_get_mapped (window))
    g_main_context_iteration (NULL, TRUE);
  handler = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                              G_CALLBACK (count_paint), &painted);
  gtk_widget_queue_draw (window);
  while (!painted)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (window), handler);

  g_assert (gtk_widget_get_width (sparkline) == WIDTH);
  g_assert (gtk_widget_get_height (sparkline) == HEIGHT);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (surface);

  for (guint i = 0; i < n_warmup + n_frames; i++)
    {
      GskRenderNode *node;
      GtkSnapshot *snapshot;
      double start;

      cairo_save (cr);
      cairo_set_operator (cr, CAIRO_OPERATOR_CLEAR);
      cairo_paint (cr);
      cairo_restore (cr);

      /* What GTK does for a widget that queued a draw: its snapshot
       * vfunc, then the renderer draws the nodes. */
      start = now_us ();
      snapshot = gtk_snapshot_new ();
      GTK_WIDGET_GET_CLASS (sparkline)->snapshot (sparkline, snapshot);
      node = gtk_snapshot_free_to_node (snapshot);
      gsk_render_node_draw (node, cr);
      cairo_surface_flush (surface);
      gsk_render_node_unref (node);

      if (i >= n_warmup)
        times[i - n_warmup] = now_us () - start;
    }

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));

  qsort (times, n_frames, sizeof (double), compare_doubles);
  median = n_frames % 2 ? times[n_frames / 2] : (times[n_frames / 2 - 1] + times[n_frames / 2]) / 2;

  return median;
}

static gboolean
target (const char *name,
        double      value,
        const char *op,
        double      bound)
{
  gboolean pass = g_str_equal (op, "<=") ? value <= bound : value < bound;

  g_print ("target %s %s (%.2f vs %s %.2f)\n", name, pass ? "PASS" : "FAIL", value, op, bound);

  return pass;
}

int
main (int   argc,
      char *argv[])
{
  guint n_frames = MAX (1, env_uint ("BENCH_SAMPLES", 2000));
  guint n_warmup = env_uint ("BENCH_WARMUP", 200);
  double short_us, long_us, ratio;
  gboolean pass = TRUE;

  gtk_init ();

  g_print ("# %u frames of a %d×%d sparkline, median, after %u warm-up frames\n",
           n_frames, WIDTH, HEIGHT, n_warmup);

  short_us = measure (100, n_frames, n_warmup);
  g_print ("sparkline_100_us %.1f\n", short_us);

  long_us = measure (3600, n_frames, n_warmup);
  g_print ("sparkline_3600_us %.1f\n", long_us);

  ratio = long_us / short_us;
  g_print ("ratio_3600_over_100 %.2f\n", ratio);

  pass &= target ("ratio_3600_over_100", ratio, "<=", TARGET_RATIO);
  pass &= target ("sparkline_3600_us", long_us, "<", TARGET_US);

  if (!pass && g_strcmp0 (g_getenv ("BENCH_STRICT"), "1") == 0)
    return EXIT_FAILURE;

  return EXIT_SUCCESS;
}
