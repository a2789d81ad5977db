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

#include <health-gtk.h>

#include "bench-gtk-util.h"

#define WIDTH  240
#define HEIGHT 48

#define TARGET_RATIO 1.5
#define TARGET_US    500.0

/* The median of @n_frames frames, after @n_warmup unmeasured ones. */
static double
measure (guint n_samples,
         guint n_frames,
         guint n_warmup)
{
  g_autoptr(HealthMonitor) monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMetric) metric = NULL;
  cairo_surface_t *surface;
  GtkWidget *sparkline;
  GtkWidget *window;
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
  window = bench_gtk_show (sparkline, WIDTH, HEIGHT);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (surface);

  median = bench_gtk_median_frame_us (sparkline, cr, n_frames, n_warmup);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));

  return median;
}

int
main (int   argc,
      char *argv[])
{
  guint n_frames = MAX (1, bench_gtk_env_uint ("BENCH_SAMPLES", 2000));
  guint n_warmup = bench_gtk_env_uint ("BENCH_WARMUP", 200);
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

  pass &= bench_gtk_target ("ratio_3600_over_100", ratio, "<=", TARGET_RATIO);
  pass &= bench_gtk_target ("sparkline_3600_us", long_us, "<", TARGET_US);

  if (!pass && g_strcmp0 (g_getenv ("BENCH_STRICT"), "1") == 0)
    return EXIT_FAILURE;

  return EXIT_SUCCESS;
}
