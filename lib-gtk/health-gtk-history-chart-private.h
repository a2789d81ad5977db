/* health-gtk-history-chart-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-gtk-history-chart.h"

G_BEGIN_DECLS

/* What one pixel column of the plot holds: the points whose time falls
 * in it, reduced to their envelope and mean. */
typedef struct
{
  gint64   first_us;  /* the time of the first point in the column */
  gint64   last_us;
  double   min;       /* in the metric's unit */
  double   mean;
  double   max;
  guint    n;         /* points in the column; 0 for an empty column */
  gboolean joined;    /* a line joins it to the previous non-empty column */
} HealthGtkHistoryColumn;

/* A jump between points of more than this many times their usual step
 * is a gap in the data: the line stops there. */
#define HEALTH_GTK_HISTORY_CHART_GAP_FACTOR 4

/* How much of the band colours shows over the background, as in the
 * sparkline, and of the line's colour in the min–max envelope. */
#define HEALTH_GTK_HISTORY_CHART_ENVELOPE_ALPHA 0.30

gint64 health_gtk_history_chart_compute_gap (const HealthJournalPoint *points,
                                             guint                     n_points);
guint  health_gtk_history_chart_bucket      (const HealthJournalPoint *points,
                                             guint                     n_points,
                                             gint64                    from_us,
                                             gint64                    to_us,
                                             gint64                    gap_us,
                                             guint                     width,
                                             HealthGtkHistoryColumn   *columns);
double health_gtk_history_chart_nice_step   (double                    span,
                                             guint                     max_ticks,
                                             double                    base);

void   health_gtk_history_chart_get_plot    (HealthGtkHistoryChart    *self,
                                             graphene_rect_t          *plot,
                                             double                   *lo,
                                             double                   *hi);
const HealthGtkHistoryColumn *
       health_gtk_history_chart_get_columns (HealthGtkHistoryChart    *self,
                                             guint                    *n_columns);
char  *health_gtk_history_chart_dup_readout (HealthGtkHistoryChart    *self);
char  *health_gtk_history_chart_dup_summary (HealthGtkHistoryChart    *self);
guint  health_gtk_history_chart_get_n_time_ticks (HealthGtkHistoryChart *self);
char  *health_gtk_history_chart_dup_time_tick_label (HealthGtkHistoryChart *self,
                                                     guint                  i,
                                                     double                *x);

G_END_DECLS
