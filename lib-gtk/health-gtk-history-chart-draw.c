/* health-gtk-history-chart-draw.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The history chart's frame: the grid, the bands, the line and its
 * envelope, the cursor and the labels, from the layout that
 * health-gtk-history-chart-layout.c made. O(width): no point is
 * looked at here.
 */

#include "config.h"

#include <math.h>

#include "health-gtk-private.h"
#include "health-gtk-sparkline-private.h"
#include "health-gtk-history-chart-impl-private.h"

#define LINE_WIDTH           1.5
#define GRID_ALPHA           0.10
#define LABEL_ALPHA          0.70
#define CURSOR_ALPHA         0.55

static inline double
chart_y (HealthGtkHistoryChart *self,
         double                 value)
{
  return self->plot.origin.y +
         (self->hi - value) / (self->hi - self->lo) * self->plot.size.height;
}

static void
chart_get_foreground (HealthGtkHistoryChart *self,
                      double                 alpha,
                      GdkRGBA               *color)
{
  /* The theme's text colour: what the labels around the chart use. */
  health_gtk_lookup_color (GTK_WIDGET (self), "theme_fg_color", "#2e3436", color);
  color->alpha *= alpha;
}

static void
chart_fill_band (HealthGtkHistoryChart *self,
                 cairo_t               *cr,
                 const GdkRGBA         *color,
                 double                 alpha,
                 double                 y1,
                 double                 y2)
{
  double top = MAX (self->plot.origin.y, MIN (y1, y2));
  double bottom = MIN (self->plot.origin.y + self->plot.size.height, MAX (y1, y2));

  if (bottom <= top)
    return;

  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
  cairo_rectangle (cr, self->plot.origin.x, top, self->plot.size.width, bottom - top);
  cairo_fill (cr);
}

static void
chart_draw_threshold (HealthGtkHistoryChart *self,
                      cairo_t               *cr,
                      const GdkRGBA         *color,
                      double                 value)
{
  /* On a pixel's centre, so that it is one sharp pixel high. */
  double y = floor (chart_y (self, value)) + 0.5;
  static const double dashes[] = { 4, 3 };

  if (y < self->plot.origin.y || y > self->plot.origin.y + self->plot.size.height)
    return;

  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, 1);
  cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
  cairo_move_to (cr, self->plot.origin.x, y);
  cairo_line_to (cr, self->plot.origin.x + self->plot.size.width, y);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

static void
chart_draw_thresholds (HealthGtkHistoryChart *self,
                       cairo_t               *cr)
{
  double warning, critical, y_warning, y_critical, y_beyond;
  GdkRGBA warning_color, error_color;

  if (self->metric == NULL)
    return;

  warning = health_metric_get_warning (self->metric);
  critical = health_metric_get_critical (self->metric);
  if (!isfinite (warning) || !isfinite (critical))
    return;

  health_gtk_lookup_color (GTK_WIDGET (self), "warning_color", "#f57900", &warning_color);
  health_gtk_lookup_color (GTK_WIDGET (self), "error_color", "#cc0000", &error_color);

  y_warning = chart_y (self, warning);
  y_critical = chart_y (self, critical);
  /* The critical band runs from its threshold to the edge on the
   * unhealthy side: the top when higher is worse, the bottom otherwise. */
  y_beyond = health_metric_get_direction (self->metric) == HEALTH_DIRECTION_ABOVE
             ? self->plot.origin.y
             : self->plot.origin.y + self->plot.size.height;

  chart_fill_band (self, cr, &warning_color, HEALTH_GTK_SPARKLINE_WARNING_BAND_ALPHA,
                   y_warning, y_critical);
  chart_fill_band (self, cr, &error_color, HEALTH_GTK_SPARKLINE_CRITICAL_BAND_ALPHA,
                   y_critical, y_beyond);

  chart_draw_threshold (self, cr, &warning_color, warning);
  chart_draw_threshold (self, cr, &error_color, critical);
}

static void
chart_draw_grid (HealthGtkHistoryChart *self,
                 cairo_t               *cr)
{
  GdkRGBA color;
  double bottom = self->plot.origin.y + self->plot.size.height;

  chart_get_foreground (self, GRID_ALPHA, &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, 1);

  for (guint i = 0; i < self->value_ticks->len; i++)
    {
      double y = floor (g_array_index (self->value_ticks, HealthGtkHistoryTick, i).pos) + 0.5;

      cairo_move_to (cr, self->plot.origin.x, y);
      cairo_line_to (cr, self->plot.origin.x + self->plot.size.width, y);
    }

  for (guint i = 0; i < self->time_ticks->len; i++)
    {
      double x = floor (g_array_index (self->time_ticks, HealthGtkHistoryTick, i).pos) + 0.5;

      cairo_move_to (cr, x, self->plot.origin.y);
      cairo_line_to (cr, x, bottom);
    }

  cairo_stroke (cr);

  /* The time axis itself, a little stronger. */
  chart_get_foreground (self, GRID_ALPHA * 3, &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_move_to (cr, self->plot.origin.x, floor (bottom) + 0.5);
  cairo_line_to (cr, self->plot.origin.x + self->plot.size.width, floor (bottom) + 0.5);
  cairo_stroke (cr);
}

/* The envelope as one filled path and the mean as one stroked path, each
 * made of runs of joined columns: O(width), whatever the points. */
static void
chart_draw_data (HealthGtkHistoryChart *self,
                 cairo_t               *cr)
{
  const HealthGtkHistoryColumn *columns = self->columns;
  guint n = self->n_columns;
  GdkRGBA color;
  guint start = 0;

  health_gtk_widget_get_color (GTK_WIDGET (self), &color);

  /* The envelope: along the maxima of a run, back along its minima. */
  while (start < n)
    {
      guint end, last;

      if (columns[start].n == 0)
        {
          start++;
          continue;
        }

      /* A run: columns joined to the one before, across empty ones. */
      last = start;
      for (end = start + 1; end < n; end++)
        {
          if (columns[end].n == 0)
            continue;
          if (!columns[end].joined)
            break;
          last = end;
        }

      if (last == start)
        {
          if (columns[start].min < columns[start].max)
            cairo_rectangle (cr, health_gtk_history_chart_column_x (self, start) - 0.5, chart_y (self, columns[start].max),
                             1, chart_y (self, columns[start].min) - chart_y (self, columns[start].max));
        }
      else
        {
          cairo_move_to (cr, health_gtk_history_chart_column_x (self, start), chart_y (self, columns[start].max));
          for (guint c = start + 1; c <= last; c++)
            if (columns[c].n > 0)
              cairo_line_to (cr, health_gtk_history_chart_column_x (self, c), chart_y (self, columns[c].max));
          for (guint c = last + 1; c-- > start;)
            if (columns[c].n > 0)
              cairo_line_to (cr, health_gtk_history_chart_column_x (self, c), chart_y (self, columns[c].min));
          cairo_close_path (cr);
        }

      start = end;
    }

  cairo_set_source_rgba (cr, color.red, color.green, color.blue,
                         color.alpha * HEALTH_GTK_HISTORY_CHART_ENVELOPE_ALPHA);
  cairo_fill (cr);

  /* The mean: a line through each run; a run of one column is a dot. */
  for (guint c = 0; c < n; c++)
    {
      double x, y;

      if (columns[c].n == 0)
        continue;

      x = health_gtk_history_chart_column_x (self, c);
      y = chart_y (self, columns[c].mean);

      if (columns[c].joined)
        cairo_line_to (cr, x, y);
      else
        {
          cairo_move_to (cr, x, y);
          /* Round caps make a lone point a dot. */
          cairo_line_to (cr, x, y);
        }
    }

  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, LINE_WIDTH);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_stroke (cr);
}

static void
chart_draw_cursor (HealthGtkHistoryChart *self,
                   cairo_t               *cr)
{
  int column = health_gtk_history_chart_get_cursor_column (self);
  GdkRGBA color;
  double x;

  if (column < 0)
    return;

  x = floor (health_gtk_history_chart_column_x (self, column)) + 0.5;
  chart_get_foreground (self, CURSOR_ALPHA, &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_set_line_width (cr, 1);
  cairo_move_to (cr, x, self->plot.origin.y);
  cairo_line_to (cr, x, self->plot.origin.y + self->plot.size.height);
  cairo_stroke (cr);

  /* The mean under the cursor, ringed. */
  health_gtk_widget_get_color (GTK_WIDGET (self), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  cairo_arc (cr, x, chart_y (self, self->columns[column].mean), 3.5, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
chart_snapshot_layout (GtkSnapshot   *snapshot,
                       PangoLayout   *layout,
                       double         x,
                       double         y,
                       const GdkRGBA *color)
{
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, layout, color);
  gtk_snapshot_restore (snapshot);
}

static void
chart_snapshot_labels (HealthGtkHistoryChart *self,
                       GtkSnapshot           *snapshot,
                       int                    width)
{
  double bottom = self->plot.origin.y + self->plot.size.height;
  GdkRGBA color;

  chart_get_foreground (self, LABEL_ALPHA, &color);

  for (guint i = 0; i < self->value_ticks->len; i++)
    {
      HealthGtkHistoryTick *tick = &g_array_index (self->value_ticks, HealthGtkHistoryTick, i);
      int w, h;

      pango_layout_get_pixel_size (tick->layout, &w, &h);
      chart_snapshot_layout (snapshot, tick->layout,
                             self->plot.origin.x - HEALTH_GTK_HISTORY_CHART_AXIS_GAP - w,
                             round (tick->pos - h / 2.0), &color);
    }

  for (guint i = 0; i < self->time_ticks->len; i++)
    {
      HealthGtkHistoryTick *tick = &g_array_index (self->time_ticks, HealthGtkHistoryTick, i);
      double left = self->plot.origin.x;
      int w;

      /* Centred on its tick, but not under the value axis's labels nor
       * past the right edge. */
      pango_layout_get_pixel_size (tick->layout, &w, NULL);
      chart_snapshot_layout (snapshot, tick->layout,
                             MAX (0, MIN (MAX (round (tick->pos - w / 2.0), left), width - w)),
                             bottom + HEALTH_GTK_HISTORY_CHART_AXIS_GAP / 2, &color);
    }
}

void
health_gtk_history_chart_snapshot (GtkWidget   *widget,
                                   GtkSnapshot *snapshot)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  health_gtk_history_chart_ensure_layout (self, width, height);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  chart_draw_grid (self, cr);
  if (health_gtk_history_chart_has_data (self))
    {
      chart_draw_thresholds (self, cr);
      cairo_save (cr);
      cairo_rectangle (cr, self->plot.origin.x - LINE_WIDTH, self->plot.origin.y - LINE_WIDTH,
                       self->plot.size.width + 2 * LINE_WIDTH, self->plot.size.height + 2 * LINE_WIDTH);
      cairo_clip (cr);
      chart_draw_data (self, cr);
      chart_draw_cursor (self, cr);
      cairo_restore (cr);
    }
  cairo_destroy (cr);

  chart_snapshot_labels (self, snapshot, width);

  if (!health_gtk_history_chart_has_data (self))
    {
      GdkRGBA color;
      int w, h;

      chart_get_foreground (self, LABEL_ALPHA, &color);
      pango_layout_get_pixel_size (self->empty_layout, &w, &h);
      chart_snapshot_layout (snapshot, self->empty_layout,
                             round (self->plot.origin.x + (self->plot.size.width - w) / 2),
                             round (self->plot.origin.y + (self->plot.size.height - h) / 2),
                             &color);
    }

  gtk_widget_snapshot_child (widget, self->readout, snapshot);
}
