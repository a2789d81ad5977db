/* health-gtk-history-chart-layout.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Where the history chart puts things: the points of the span sorted
 * into one column per pixel, the value and time axes and their
 * labels, and the helpers behind them that need no widget. Redone
 * only when the points, the span, the size or the style change; the
 * drawing (health-gtk-history-chart-draw.c) reads what it leaves.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-gtk-private.h"
#include "health-gtk-history-chart-impl-private.h"

#define RIGHT_MARGIN         6
#define TIME_LABEL_SPACING   24     /* at least, between two time labels */
#define VALUE_TICK_SPACING   40     /* about, between value grid lines */
#define RANGE_PADDING        0.04   /* of the span, before rounding to ticks */

/* Helpers without the widget, for the tests */

/* The k-th smallest of @values (Hoare's selection): the median step of a
 * series in O(n) rather than a sort's O(n log n). Reorders @values. */
static gint64
select_kth (gint64 *values,
            gsize   n,
            gsize   k)
{
  gsize left = 0;
  gsize right = n - 1;

  while (left < right)
    {
      gint64 pivot = values[left + (right - left) / 2];
      gsize i = left;
      gsize j = right;

      while (i <= j)
        {
          while (values[i] < pivot)
            i++;
          while (values[j] > pivot)
            j--;
          if (i <= j)
            {
              gint64 swap = values[i];

              values[i] = values[j];
              values[j] = swap;
              i++;
              if (j == 0)
                break;
              j--;
            }
        }

      if (k <= j)
        right = j;
      else if (k >= i)
        left = i;
      else
        break;
    }

  return values[k];
}

/* The smallest jump between two points that is a gap in the data: a
 * multiple of their median step, so one late sample or a few missing
 * ones do not split the line but a night with the machine off does.
 * O(n). */
gint64
health_gtk_history_chart_compute_gap (const HealthJournalPoint *points,
                                      guint                     n_points)
{
  g_autofree gint64 *steps = NULL;
  gint64 median;

  if (n_points < 2)
    return G_MAXINT64;

  steps = g_new (gint64, n_points - 1);
  for (guint i = 1; i < n_points; i++)
    steps[i - 1] = points[i].time_us - points[i - 1].time_us;

  median = select_kth (steps, n_points - 1, (n_points - 1) / 2);

  median = MAX (median, 1);
  if (median > G_MAXINT64 / HEALTH_GTK_HISTORY_CHART_GAP_FACTOR)
    return G_MAXINT64;

  return median * HEALTH_GTK_HISTORY_CHART_GAP_FACTOR;
}

/* Sorts the points of [@from_us, @to_us] into @width columns of equal
 * time, each with the envelope and the mean of its points, and whether
 * the line reaches it from the previous non-empty column: only when the
 * jump between the last point before it and its first is no gap. A point
 * whose mean is not a number is a gap too. O(n) in the points, plus
 * O(width).
 *
 * @points are sorted by time; @columns has room for @width. Returns how
 * many columns hold points. */
guint
health_gtk_history_chart_bucket (const HealthJournalPoint *points,
                                 guint                     n_points,
                                 gint64                    from_us,
                                 gint64                    to_us,
                                 gint64                    gap_us,
                                 guint                     width,
                                 HealthGtkHistoryColumn   *columns)
{
  double span = (double) to_us - (double) from_us;
  gboolean have_previous = FALSE;
  gint64 previous_us = 0;
  guint n_filled = 0;

  for (guint c = 0; c < width; c++)
    columns[c] = (HealthGtkHistoryColumn) { 0, 0, NAN, NAN, NAN, 0, FALSE };

  if (width == 0 || !(span > 0))
    return 0;

  for (guint i = 0; i < n_points; i++)
    {
      const HealthJournalPoint *point = &points[i];
      HealthGtkHistoryColumn *column;
      gint64 c;

      if (point->time_us < from_us)
        continue;
      if (point->time_us > to_us)
        break;

      if (!isfinite (point->mean))
        {
          have_previous = FALSE;
          continue;
        }

      /* Multiplied first: k columns in are exactly column k. */
      c = (gint64) floor ((double) (point->time_us - from_us) * width / span);
      c = CLAMP (c, 0, (gint64) width - 1);
      column = &columns[c];

      if (column->n == 0)
        {
          column->first_us = point->time_us;
          column->min = isfinite (point->min) ? point->min : point->mean;
          column->max = isfinite (point->max) ? point->max : point->mean;
          column->mean = 0;
          column->joined = have_previous && point->time_us - previous_us <= gap_us;
          n_filled++;
        }
      else if (!(have_previous && point->time_us - previous_us <= gap_us))
        {
          /* A gap inside a column: the column stands alone. */
          column->joined = FALSE;
        }

      if (isfinite (point->min))
        column->min = MIN (column->min, point->min);
      if (isfinite (point->max))
        column->max = MAX (column->max, point->max);
      column->min = MIN (column->min, point->mean);
      column->max = MAX (column->max, point->mean);
      column->mean += point->mean;
      column->last_us = point->time_us;
      column->n++;

      have_previous = TRUE;
      previous_us = point->time_us;
    }

  for (guint c = 0; c < width; c++)
    if (columns[c].n > 0)
      columns[c].mean /= columns[c].n;

  return n_filled;
}

/* A round step (1, 2 or 5 times a power of ten, times @base) that cuts
 * @span into at most @max_ticks parts. */
double
health_gtk_history_chart_nice_step (double span,
                                    guint  max_ticks,
                                    double base)
{
  double raw, magnitude, residual;

  if (!(span > 0) || max_ticks == 0 || !(base > 0))
    return 1;

  raw = span / base / max_ticks;
  magnitude = pow (10, floor (log10 (raw)));
  residual = raw / magnitude;

  if (residual <= 1)
    residual = 1;
  else if (residual <= 2)
    residual = 2;
  else if (residual <= 5)
    residual = 5;
  else
    residual = 10;

  return residual * magnitude * base;
}

/* Text */

char *
health_gtk_history_chart_format_value (HealthGtkHistoryChart *self,
                                       double                 value)
{
  if (self->metric != NULL)
    return health_gtk_metric_format_value (self->metric, value);

  return isfinite (value) ? g_strdup_printf ("%.4g", value) : g_strdup ("—");
}

char *
health_gtk_history_chart_format_time (gint64      time_us,
                                      const char *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  char *text;

  if (time == NULL || (text = g_date_time_format (time, format)) == NULL)
    return g_strdup ("—");

  return text;
}

/* The span, the extremes and the latest value */

static void
chart_span_default (HealthGtkHistoryChart *self,
                    gint64                *from_us,
                    gint64                *to_us)
{
  if (self->from_us < self->to_us)
    {
      *from_us = self->from_us;
      *to_us = self->to_us;
    }
  else if (self->n_points > 0)
    {
      *from_us = self->points[0].time_us;
      *to_us = self->points[self->n_points - 1].time_us;

      /* One point, or all at once: a minute around them. */
      if (*to_us - *from_us < G_USEC_PER_SEC)
        {
          *from_us -= 30 * G_USEC_PER_SEC;
          *to_us += 30 * G_USEC_PER_SEC;
        }
    }
  else
    {
      *from_us = 0;
      *to_us = 0;
    }

  *from_us = CLAMP (*from_us, -HEALTH_GTK_HISTORY_CHART_TIME_LIMIT_US,
                    HEALTH_GTK_HISTORY_CHART_TIME_LIMIT_US);
  *to_us = CLAMP (*to_us, -HEALTH_GTK_HISTORY_CHART_TIME_LIMIT_US,
                  HEALTH_GTK_HISTORY_CHART_TIME_LIMIT_US);
}

/* The index of the first point at or after @time_us. */
static guint
chart_lower_bound (HealthGtkHistoryChart *self,
                   gint64                 time_us)
{
  guint lo = 0;
  guint hi = self->n_points;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (self->points[mid].time_us < time_us)
        lo = mid + 1;
      else
        hi = mid;
    }

  return lo;
}

void
health_gtk_history_chart_ensure_summary (HealthGtkHistoryChart *self)
{
  if (self->summary_valid)
    return;

  chart_span_default (self, &self->span_from_us, &self->span_to_us);

  self->first_visible = chart_lower_bound (self, self->span_from_us);
  self->end_visible = chart_lower_bound (self, self->span_to_us + 1);
  self->data_min = INFINITY;
  self->data_max = -INFINITY;
  self->latest = NAN;

  for (guint i = self->first_visible; i < self->end_visible; i++)
    {
      const HealthJournalPoint *point = &self->points[i];

      if (!isfinite (point->mean))
        continue;

      self->data_min = MIN (self->data_min, isfinite (point->min) ? MIN (point->min, point->mean) : point->mean);
      self->data_max = MAX (self->data_max, isfinite (point->max) ? MAX (point->max, point->mean) : point->mean);
      self->latest = point->mean;
    }

  self->summary_valid = TRUE;
}

gboolean
health_gtk_history_chart_has_data (HealthGtkHistoryChart *self)
{
  health_gtk_history_chart_ensure_summary (self);

  return isfinite (self->latest);
}

/* Layout */

static PangoLayout *
chart_add_tick (HealthGtkHistoryChart *self,
                GArray                *ticks,
                double                 pos,
                const char            *text)
{
  HealthGtkHistoryTick tick = { pos, gtk_widget_create_pango_layout (GTK_WIDGET (self), text) };

  g_array_append_val (ticks, tick);

  return tick.layout;
}

/* The value range: the points and both thresholds, so the bands are in
 * view, padded and widened to round ticks. A quantity that is never
 * negative keeps its axis from zero up, and a percentage stays within
 * 0–100 when its values do. */
static void
chart_layout_values (HealthGtkHistoryChart *self,
                     double                 plot_height)
{
  double min = self->data_min;
  double max = self->data_max;
  double lo = min, hi = max;
  double base = 1;
  double step, pad;
  guint max_ticks;

  if (self->metric != NULL)
    {
      double warning = health_metric_get_warning (self->metric);
      double critical = health_metric_get_critical (self->metric);

      if (isfinite (warning) && isfinite (critical))
        {
          lo = MIN (lo, MIN (warning, critical));
          hi = MAX (hi, MAX (warning, critical));
        }
    }

  pad = (hi - lo) * RANGE_PADDING;
  if (!(pad > 0))
    pad = hi != 0 ? fabs (hi) * 0.1 : 1;
  lo -= pad;
  hi += pad;

  if (self->metric != NULL && g_str_equal (health_metric_get_unit (self->metric), "bytes"))
    {
      /* Round steps of the unit that the labels will be in: 512 MiB,
       * not 500 000 000 bytes. */
      double largest = MAX (fabs (lo), fabs (hi));

      while (base * 1024 <= largest && base < 1e18)
        base *= 1024;
      if (base > 1 && (hi - lo) / base < 1)
        base /= 1024;
    }

  max_ticks = CLAMP ((guint) (plot_height / VALUE_TICK_SPACING), 2, 8);
  step = health_gtk_history_chart_nice_step (hi - lo, max_ticks, base);
  lo = floor (lo / step) * step;
  hi = ceil (hi / step) * step;

  if (min >= 0 && lo < 0)
    lo = 0;
  if (self->metric != NULL && g_str_equal (health_metric_get_unit (self->metric), "%") &&
      max <= 100 && hi > 100)
    hi = 100;

  self->lo = lo;
  self->hi = hi;

  for (guint i = 0; i <= 64; i++)
    {
      double value = lo + i * step;
      g_autofree char *text = NULL;

      if (value > hi + step * 1e-6)
        break;

      /* Exact zero, not 1e-17 from the additions. */
      if (fabs (value) < step * 1e-6)
        value = 0;

      text = health_gtk_history_chart_format_value (self, value);
      chart_add_tick (self, self->value_ticks, value, text);
    }
}

typedef struct
{
  gint64      seconds;
  gboolean    days;
} TimeStep;

static const TimeStep time_steps[] = {
  { 60, FALSE }, { 120, FALSE }, { 300, FALSE }, { 600, FALSE }, { 900, FALSE },
  { 1800, FALSE }, { 3600, FALSE }, { 7200, FALSE }, { 10800, FALSE }, { 21600, FALSE },
  { 43200, FALSE }, { 86400, TRUE }, { 2 * 86400, TRUE }, { 7 * 86400, TRUE },
  { 14 * 86400, TRUE },
};

static const char *
time_step_format (const TimeStep *step,
                  gint64          span_us)
{
  if (!step->days)
    /* Translators: the labels of a chart's time axis within a day;
     * see g_date_time_format() */
    return C_("time axis", "%H:%M");

  if (span_us <= 8 * 86400 * (gint64) G_USEC_PER_SEC)
    /* Translators: the labels of a chart's time axis over a week */
    return C_("time axis", "%a");

  /* Translators: the labels of a chart's time axis over a month */
  return C_("time axis", "%-d %b");
}

static int
chart_text_width (HealthGtkHistoryChart *self,
                  const char            *text)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);

  return width;
}

/* Ticks on round local times, as many as fit their labels. */
static void
chart_layout_times (HealthGtkHistoryChart *self)
{
  gint64 from_us = self->span_from_us;
  gint64 to_us = self->span_to_us;
  double span = (double) to_us - (double) from_us;
  double width = self->plot.size.width;
  const TimeStep *step = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) tick = NULL;
  const char *format;

  if (!(span > 0) || width < 1)
    return;

  from = g_date_time_new_from_unix_local (from_us / G_USEC_PER_SEC);
  if (from == NULL)
    return;

  for (guint i = 0; i < G_N_ELEMENTS (time_steps); i++)
    {
      g_autofree char *sample = health_gtk_history_chart_format_time (from_us,
                                                                      time_step_format (&time_steps[i], to_us - from_us));
      double room = chart_text_width (self, sample) + TIME_LABEL_SPACING;

      if (span / (time_steps[i].seconds * (double) G_USEC_PER_SEC) <= width / room)
        {
          step = &time_steps[i];
          break;
        }
    }

  /* Years: no step of ours would leave room for its labels. */
  if (step == NULL)
    return;

  format = time_step_format (step, to_us - from_us);

  /* From local midnight of the first day, so that ticks fall on round
   * local times. */
  tick = g_date_time_new_local (g_date_time_get_year (from), g_date_time_get_month (from),
                                g_date_time_get_day_of_month (from), 0, 0, 0);

  for (guint i = 0; tick != NULL && i < 10000; i++)
    {
      gint64 tick_us = g_date_time_to_unix (tick) * G_USEC_PER_SEC;
      GDateTime *next;

      if (tick_us > to_us)
        break;

      if (tick_us >= from_us)
        {
          g_autofree char *text = g_date_time_format (tick, format);
          double x = self->plot.origin.x + ((double) tick_us - (double) from_us) / span * width;

          if (text != NULL)
            chart_add_tick (self, self->time_ticks, x, text);
        }

      if (step->days)
        next = g_date_time_add_days (tick, step->seconds / 86400);
      else
        next = g_date_time_add_seconds (tick, step->seconds);

      g_date_time_unref (tick);
      tick = next;
    }
}

static void
chart_ensure_columns (HealthGtkHistoryChart *self)
{
  guint width = self->plot.size.width > 0 ? (guint) self->plot.size.width : 0;

  if (self->columns_valid && self->n_columns == width)
    return;

  if (width > self->columns_size)
    {
      self->columns = g_renew (HealthGtkHistoryColumn, self->columns, width);
      self->columns_size = width;
    }

  self->n_columns = width;
  health_gtk_history_chart_bucket (self->points, self->n_points,
                                   self->span_from_us, self->span_to_us, self->gap_us,
                                   width, self->columns);
  self->columns_valid = TRUE;
}

void
health_gtk_history_chart_ensure_layout (HealthGtkHistoryChart *self,
                                        int                    width,
                                        int                    height)
{
  double line_height, left = 0;
  int text_height;

  if (self->layout_valid && self->layout_width == width && self->layout_height == height)
    return;

  health_gtk_history_chart_ensure_summary (self);

  g_array_set_size (self->value_ticks, 0);
  g_array_set_size (self->time_ticks, 0);

  if (self->empty_layout == NULL)
    self->empty_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                         _("No data for this period"));
  pango_layout_get_pixel_size (self->empty_layout, NULL, &text_height);
  line_height = text_height;

  self->plot.origin.y = ceil (line_height / 2);
  self->plot.size.height = MAX (1, height - line_height - HEALTH_GTK_HISTORY_CHART_AXIS_GAP -
                                   self->plot.origin.y);

  if (health_gtk_history_chart_has_data (self))
    {
      chart_layout_values (self, self->plot.size.height);

      for (guint i = 0; i < self->value_ticks->len; i++)
        {
          HealthGtkHistoryTick *tick = &g_array_index (self->value_ticks, HealthGtkHistoryTick, i);
          int label_width;

          pango_layout_get_pixel_size (tick->layout, &label_width, NULL);
          left = MAX (left, label_width);
        }
      left += HEALTH_GTK_HISTORY_CHART_AXIS_GAP;
    }
  else
    {
      self->lo = 0;
      self->hi = 1;
    }

  /* Whole pixels, so that each column is one pixel of the screen. */
  self->plot.origin.x = ceil (left);
  self->plot.size.width = MAX (0, floor (width - RIGHT_MARGIN - self->plot.origin.x));

  /* Value ticks to y now that the plot is known. */
  for (guint i = 0; i < self->value_ticks->len; i++)
    {
      HealthGtkHistoryTick *tick = &g_array_index (self->value_ticks, HealthGtkHistoryTick, i);

      tick->pos = self->plot.origin.y +
                  (self->hi - tick->pos) / (self->hi - self->lo) * self->plot.size.height;
    }

  chart_layout_times (self);
  chart_ensure_columns (self);

  self->layout_width = width;
  self->layout_height = height;
  self->layout_valid = TRUE;
}

void
health_gtk_history_chart_ensure_current_layout (HealthGtkHistoryChart *self)
{
  health_gtk_history_chart_ensure_layout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                                          gtk_widget_get_height (GTK_WIDGET (self)));
}

/* For the tests: where the plot is and what values it spans. */
void
health_gtk_history_chart_get_plot (HealthGtkHistoryChart *self,
                                   graphene_rect_t       *plot,
                                   double                *lo,
                                   double                *hi)
{
  health_gtk_history_chart_ensure_current_layout (self);

  *plot = self->plot;
  *lo = self->lo;
  *hi = self->hi;
}

const HealthGtkHistoryColumn *
health_gtk_history_chart_get_columns (HealthGtkHistoryChart *self,
                                      guint                 *n_columns)
{
  health_gtk_history_chart_ensure_current_layout (self);

  *n_columns = self->n_columns;

  return self->columns;
}

guint
health_gtk_history_chart_get_n_time_ticks (HealthGtkHistoryChart *self)
{
  health_gtk_history_chart_ensure_current_layout (self);

  return self->time_ticks->len;
}

char *
health_gtk_history_chart_dup_time_tick_label (HealthGtkHistoryChart *self,
                                              guint                  i,
                                              double                *x)
{
  HealthGtkHistoryTick *tick;

  health_gtk_history_chart_ensure_current_layout (self);
  g_return_val_if_fail (i < self->time_ticks->len, NULL);

  tick = &g_array_index (self->time_ticks, HealthGtkHistoryTick, i);
  *x = tick->pos;

  return g_strdup (pango_layout_get_text (tick->layout));
}
