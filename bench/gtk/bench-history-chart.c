/* bench-history-chart.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The cost of a 480×240 HealthGtkHistoryChart showing a day of 100 and of
 * 100,000 points, each with a min–max envelope: one frame (its snapshot,
 * then the render node drawn on a cairo image surface as the cairo
 * renderer does), which should not depend on the number of points; and
 * what the points cost once: set_points() (the copy and the median step)
 * and the first frame after it, which sorts them into pixel columns.
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

#define WIDTH  480
#define HEIGHT 240

#define FEW    100
#define MANY   100000

#define TARGET_RATIO 1.5
#define TARGET_US    2000.0

#define DAY_US (G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC)

typedef struct
{
  double frame_us;          /* the median frame */
  double set_points_us;     /* the median set_points () */
  double first_frame_us;    /* the median first frame after it */
} Figures;

/* A day of @n_points, a wandering mean that crosses both thresholds and
 * an envelope around it, as the journal's coarse tiers give. */
static GPtrArray *
points_new (guint  n_points,
            gint64 from_us)
{
  GPtrArray *points = g_ptr_array_new_full (n_points, (GDestroyNotify) health_journal_point_free);

  for (guint i = 0; i < n_points; i++)
    {
      HealthJournalPoint point;
      double mean = 60 + 30 * sin (i * 6.0 / n_points) + 5 * sin (i * 0.7);

      point.time_us = from_us + (gint64) ((double) i * DAY_US / n_points);
      point.min = mean - 3;
      point.mean = mean;
      point.max = mean + 3;
      g_ptr_array_add (points, health_journal_point_copy (&point));
    }

  return points;
}

static void
measure (guint    n_points,
         guint    n_frames,
         guint    n_warmup,
         Figures *figures)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("memory-usage", "Memory Usage", "%",
                                                      HEALTH_DIRECTION_ABOVE, 75, 90);
  gint64 from_us = g_get_real_time () - DAY_US;
  g_autoptr(GPtrArray) points = points_new (n_points, from_us);
  guint n_reps = MAX (3, MIN (n_frames, 20));
  g_autofree double *set_times = g_new (double, n_reps);
  g_autofree double *first_times = g_new (double, n_reps);
  cairo_surface_t *surface;
  GtkWidget *chart;
  GtkWidget *window;
  cairo_t *cr;

  chart = health_gtk_history_chart_new ();
  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (chart), metric);
  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (chart), from_us, from_us + DAY_US);
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), points);
  window = bench_gtk_show (chart, WIDTH, HEIGHT);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, WIDTH, HEIGHT);
  cr = cairo_create (surface);

  figures->frame_us = bench_gtk_median_frame_us (chart, cr, n_frames, n_warmup);

  /* The points again, as a window does when its range refreshes. */
  for (guint i = 0; i < n_reps; i++)
    {
      double start = bench_gtk_now_us ();

      health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (chart), points);
      set_times[i] = bench_gtk_now_us () - start;
      first_times[i] = bench_gtk_frame_us (chart, cr);
    }
  figures->set_points_us = bench_gtk_median (set_times, n_reps);
  figures->first_frame_us = bench_gtk_median (first_times, n_reps);

  cairo_destroy (cr);
  cairo_surface_destroy (surface);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  guint n_frames = MAX (1, bench_gtk_env_uint ("BENCH_SAMPLES", 1000));
  guint n_warmup = bench_gtk_env_uint ("BENCH_WARMUP", 100);
  Figures few, many;
  double ratio;
  gboolean pass = TRUE;

  gtk_init ();

  g_print ("# %u frames of a %d×%d history chart over a day, median, after %u warm-up frames\n",
           n_frames, WIDTH, HEIGHT, n_warmup);

  measure (FEW, n_frames, n_warmup, &few);
  measure (MANY, n_frames, n_warmup, &many);

  g_print ("history_chart_frame_%u_us %.1f\n", FEW, few.frame_us);
  g_print ("history_chart_frame_%u_us %.1f\n", MANY, many.frame_us);
  ratio = many.frame_us / few.frame_us;
  g_print ("ratio_%u_over_%u %.2f\n", MANY, FEW, ratio);

  g_print ("set_points_%u_us %.1f\n", MANY, many.set_points_us);
  g_print ("set_points_ns_per_point %.1f\n", many.set_points_us * 1000 / MANY);
  g_print ("first_frame_%u_us %.1f\n", MANY, many.first_frame_us);
  /* The first frame sorts the points into columns; a later one does not. */
  g_print ("bucket_ns_per_point %.1f\n", (many.first_frame_us - many.frame_us) * 1000 / MANY);

  pass &= bench_gtk_target ("ratio_100000_over_100", ratio, "<=", TARGET_RATIO);
  pass &= bench_gtk_target ("history_chart_frame_100000_us", many.frame_us, "<", TARGET_US);

  if (!pass && g_strcmp0 (g_getenv ("BENCH_STRICT"), "1") == 0)
    return EXIT_FAILURE;

  return EXIT_SUCCESS;
}
