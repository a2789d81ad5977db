/* health-gtk-history-chart-impl-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The history chart's instance, shared by the files that make up the
 * class and by nothing else: health-gtk-history-chart.c (the object,
 * its API, the read-out and accessibility),
 * health-gtk-history-chart-layout.c (columns, axes, the helpers
 * without the widget) and health-gtk-history-chart-draw.c (the frame).
 */

#pragma once

#include "health-gtk-history-chart-private.h"

G_BEGIN_DECLS

/* Between the labels and the plot, in pixels. */
#define HEALTH_GTK_HISTORY_CHART_AXIS_GAP 6

/* Times beyond this, some 73,000 years from 1970, are cut to it, so that
 * no difference of two times overflows. */
#define HEALTH_GTK_HISTORY_CHART_TIME_LIMIT_US (G_GINT64_CONSTANT (1) << 61)

/* A point's or a tick's place in the widget, and what it says. */
typedef struct
{
  double       pos;
  PangoLayout *layout;
} HealthGtkHistoryTick;

struct _HealthGtkHistoryChart
{
  GtkWidget               parent_instance;

  HealthMetric           *metric;
  GSignalGroup           *metric_signals;

  HealthJournalPoint     *points;          /* sorted by time */
  guint                   n_points;
  gint64                  gap_us;
  gint64                  from_us;         /* as set: 0/0 is the points' span */
  gint64                  to_us;

  /* The span shown and what its points sum up to: O(log n + visible),
   * redone when the points or the range change. */
  gboolean                summary_valid;
  gint64                  span_from_us;
  gint64                  span_to_us;
  guint                   first_visible;
  guint                   end_visible;
  double                  data_min;
  double                  data_max;
  double                  latest;

  /* Where things are drawn: redone when the size, the summary, the
   * thresholds or the style change; no point is looked at. */
  gboolean                layout_valid;
  int                     layout_width;
  int                     layout_height;
  graphene_rect_t         plot;
  double                  lo;
  double                  hi;
  GArray                 *value_ticks;
  GArray                 *time_ticks;
  PangoLayout            *empty_layout;

  /* One column per pixel of the plot's width: O(n), redone when the
   * points, the span or the width change. */
  gboolean                columns_valid;
  HealthGtkHistoryColumn *columns;
  guint                   n_columns;
  guint                   columns_size;

  gboolean                has_cursor;
  gint64                  cursor_us;
  GtkWidget              *readout;
};

/* health-gtk-history-chart-layout.c */
char    *health_gtk_history_chart_format_value          (HealthGtkHistoryChart *self,
                                                         double                 value);
char    *health_gtk_history_chart_format_time           (gint64                 time_us,
                                                         const char            *format);
void     health_gtk_history_chart_ensure_summary        (HealthGtkHistoryChart *self);
gboolean health_gtk_history_chart_has_data              (HealthGtkHistoryChart *self);
void     health_gtk_history_chart_ensure_layout         (HealthGtkHistoryChart *self,
                                                         int                    width,
                                                         int                    height);
void     health_gtk_history_chart_ensure_current_layout (HealthGtkHistoryChart *self);

/* health-gtk-history-chart.c */
int      health_gtk_history_chart_get_cursor_column     (HealthGtkHistoryChart *self);

/* health-gtk-history-chart-draw.c */
void     health_gtk_history_chart_snapshot              (GtkWidget             *widget,
                                                         GtkSnapshot           *snapshot);

/* The centre of a column's pixel: where the drawing puts its point and
 * the read-out its label. */
static inline double
health_gtk_history_chart_column_x (HealthGtkHistoryChart *self,
                                   guint                  column)
{
  return self->plot.origin.x + column + 0.5;
}

G_END_DECLS
