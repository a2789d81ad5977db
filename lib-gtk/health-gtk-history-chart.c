/* health-gtk-history-chart.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "health-gtk-private.h"
#include "health-gtk-sparkline-private.h"
#include "health-gtk-history-chart-private.h"

/**
 * HealthGtkHistoryChart:
 *
 * A large chart of a metric's history over a span of time: an hour, a
 * day, a week, a month, as a [class@Health.Journal] keeps it.
 *
 * The app queries the journal with [method@Health.Journal.query_async]
 * and hands the points to [method@HealthGtk.HistoryChart.set_points];
 * [property@HealthGtk.HistoryChart:metric] gives the label, the unit, the
 * direction and the thresholds. The chart draws
 *
 * - a time axis with ticks on round local times, labelled "14:00" for a
 *   span of a day or less, with the weekday for a week and the date for
 *   a month;
 * - a value axis in the metric's unit, as
 *   [method@Health.Metric.format_value] writes it ("1.5 GiB", "90.0 %");
 * - the warning and critical bands and threshold lines, on the unhealthy
 *   side of each threshold as [property@Health.Metric:direction] says,
 *   following the metric when its thresholds change;
 * - the mean of each point as a line, and the envelope of their minimum
 *   and maximum, shaded, where the journal merged samples into coarser
 *   points and they differ;
 * - nothing across a gap: where the time between two points is more than
 *   four times their usual step (the median), the line stops.
 *
 * With no points in the span, it says "No data for this period".
 *
 * ## Cost
 *
 * [method@HealthGtk.HistoryChart.set_points] copies the points and finds
 * their usual step: O(n) in the number of points. The chart then sorts
 * the points of the span into one slot per pixel column of the plot,
 * keeping each column's minimum, mean and maximum, again O(n), and only
 * when the points, the span or the plot's width change. A frame draws
 * the columns, O(width), so a month of minutes costs no more to draw
 * than an hour of samples, and neither does moving the read-out.
 *
 * ## Read-out
 *
 * Under the pointer, or after Left, Right, Home or End while the chart
 * has the keyboard focus, a cursor line marks a column and a label tells
 * its time, its mean and, when they differ, its minimum and maximum.
 * Escape or leaving the chart hides it. The keys activate the actions
 * `history-chart.previous`, `history-chart.next`, `history-chart.first`,
 * `history-chart.last` and `history-chart.hide-readout`.
 *
 * ## CSS nodes
 *
 * ```
 * historychart
 * ╰── label.readout
 * ```
 *
 * `HealthGtkHistoryChart` has a single CSS node named `historychart`. The
 * line and the envelope take its `color`, the axes and the grid a faded
 * `color` of the theme's foreground, the bands and threshold lines the
 * named colors `@warning_color` and `@error_color`, as
 * [class@HealthGtk.Sparkline] does, so light, dark and high contrast
 * themes restyle the chart. The read-out is a label with the style class
 * `readout`.
 *
 * ## Accessibility
 *
 * `HealthGtkHistoryChart` uses the %GTK_ACCESSIBLE_ROLE_IMG role, with the
 * metric's label as its label and a description such as "Memory Usage
 * over 24 hours: latest 63.0 %, lowest 40.1 %, highest 93.2 %". While the
 * read-out shows, the description is the read-out instead.
 *
 * Since: 1.0
 */

#define NATURAL_WIDTH        480
#define NATURAL_HEIGHT       240
#define MIN_WIDTH            160
#define MIN_HEIGHT           100

#define LINE_WIDTH           1.5
#define AXIS_GAP             6      /* between the labels and the plot */
#define RIGHT_MARGIN         6
#define TIME_LABEL_SPACING   24     /* at least, between two time labels */
#define VALUE_TICK_SPACING   40     /* about, between value grid lines */
#define SNAP_DISTANCE        16     /* the read-out's reach, in pixels */
#define READOUT_OFFSET       8
#define RANGE_PADDING        0.04   /* of the span, before rounding to ticks */
#define GRID_ALPHA           0.10
#define LABEL_ALPHA          0.70
#define CURSOR_ALPHA         0.55

/* Times beyond this, some 73,000 years from 1970, are cut to it, so that
 * no difference of two times overflows. */
#define TIME_LIMIT_US        (G_GINT64_CONSTANT (1) << 61)

/* A point's or a tick's place in the widget, and what it says. */
typedef struct
{
  double       pos;
  PangoLayout *layout;
} Tick;

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

G_DEFINE_FINAL_TYPE (HealthGtkHistoryChart, health_gtk_history_chart, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_METRIC,
  PROP_FROM_US,
  PROP_TO_US,
  PROP_N_POINTS,
  LAST_PROP
};

static GParamSpec *props[LAST_PROP];

static void chart_update_accessible (HealthGtkHistoryChart *self);
static void chart_update_readout    (HealthGtkHistoryChart *self);

/* Helpers without the widget, for the tests */

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

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

static char *
chart_dup_label (HealthGtkHistoryChart *self)
{
  if (self->metric != NULL)
    return health_gtk_metric_dup_label (self->metric);

  return g_strdup (_("History"));
}

static char *
chart_format_value (HealthGtkHistoryChart *self,
                    double                 value)
{
  if (self->metric != NULL)
    return health_gtk_metric_format_value (self->metric, value);

  return isfinite (value) ? g_strdup_printf ("%.4g", value) : g_strdup ("—");
}

static char *
format_time (gint64      time_us,
             const char *format)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  char *text;

  if (time == NULL || (text = g_date_time_format (time, format)) == NULL)
    return g_strdup ("—");

  return text;
}

/* "24 hours", "7 days": the span, as the range buttons of a window
 * would name it. */
static char *
format_span (gint64 span_us)
{
  double seconds = span_us / (double) G_USEC_PER_SEC;
  guint n;

  if (seconds >= 47.5 * 3600)
    {
      n = (guint) MIN (round (seconds / 86400), G_MAXUINT);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u day", "%u days", n), n);
    }

  if (seconds >= 59.5 * 60)
    {
      n = (guint) round (seconds / 3600);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u hour", "%u hours", n), n);
    }

  n = MAX (1, (guint) round (seconds / 60));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u minute", "%u minutes", n), n);
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

  *from_us = CLAMP (*from_us, -TIME_LIMIT_US, TIME_LIMIT_US);
  *to_us = CLAMP (*to_us, -TIME_LIMIT_US, TIME_LIMIT_US);
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

static void
chart_ensure_summary (HealthGtkHistoryChart *self)
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

static gboolean
chart_has_data (HealthGtkHistoryChart *self)
{
  chart_ensure_summary (self);

  return isfinite (self->latest);
}

/* Layout */

static void
tick_clear (gpointer data)
{
  Tick *tick = data;

  g_clear_object (&tick->layout);
}

static void
chart_invalidate_layout (HealthGtkHistoryChart *self)
{
  self->layout_valid = FALSE;
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
chart_invalidate_points (HealthGtkHistoryChart *self)
{
  self->summary_valid = FALSE;
  self->columns_valid = FALSE;
  chart_invalidate_layout (self);
  chart_update_accessible (self);
}

static PangoLayout *
chart_add_tick (HealthGtkHistoryChart *self,
                GArray                *ticks,
                double                 pos,
                const char            *text)
{
  Tick tick = { pos, gtk_widget_create_pango_layout (GTK_WIDGET (self), text) };

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

      text = chart_format_value (self, value);
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
      g_autofree char *sample = format_time (from_us, time_step_format (&time_steps[i], to_us - from_us));
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

static void
chart_ensure_layout (HealthGtkHistoryChart *self,
                     int                    width,
                     int                    height)
{
  double line_height, left = 0;
  int text_height;

  if (self->layout_valid && self->layout_width == width && self->layout_height == height)
    return;

  chart_ensure_summary (self);

  g_array_set_size (self->value_ticks, 0);
  g_array_set_size (self->time_ticks, 0);

  if (self->empty_layout == NULL)
    self->empty_layout = gtk_widget_create_pango_layout (GTK_WIDGET (self),
                                                         _("No data for this period"));
  pango_layout_get_pixel_size (self->empty_layout, NULL, &text_height);
  line_height = text_height;

  self->plot.origin.y = ceil (line_height / 2);
  self->plot.size.height = MAX (1, height - line_height - AXIS_GAP - self->plot.origin.y);

  if (chart_has_data (self))
    {
      chart_layout_values (self, self->plot.size.height);

      for (guint i = 0; i < self->value_ticks->len; i++)
        {
          Tick *tick = &g_array_index (self->value_ticks, Tick, i);
          int label_width;

          pango_layout_get_pixel_size (tick->layout, &label_width, NULL);
          left = MAX (left, label_width);
        }
      left += AXIS_GAP;
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
      Tick *tick = &g_array_index (self->value_ticks, Tick, i);

      tick->pos = self->plot.origin.y +
                  (self->hi - tick->pos) / (self->hi - self->lo) * self->plot.size.height;
    }

  chart_layout_times (self);
  chart_ensure_columns (self);

  self->layout_width = width;
  self->layout_height = height;
  self->layout_valid = TRUE;
}

static void
chart_ensure_current_layout (HealthGtkHistoryChart *self)
{
  chart_ensure_layout (self, gtk_widget_get_width (GTK_WIDGET (self)),
                       gtk_widget_get_height (GTK_WIDGET (self)));
}

static inline double
chart_y (HealthGtkHistoryChart *self,
         double                 value)
{
  return self->plot.origin.y +
         (self->hi - value) / (self->hi - self->lo) * self->plot.size.height;
}

static inline double
chart_column_x (HealthGtkHistoryChart *self,
                guint                  column)
{
  return self->plot.origin.x + column + 0.5;
}

/* The read-out */

/* The non-empty column nearest to @column within the snapping distance,
 * or -1. */
static int
chart_snap_column (HealthGtkHistoryChart *self,
                   int                    column)
{
  if (self->n_columns == 0)
    return -1;

  column = CLAMP (column, 0, (int) self->n_columns - 1);

  for (int d = 0; d <= SNAP_DISTANCE; d++)
    {
      if (column - d >= 0 && self->columns[column - d].n > 0)
        return column - d;
      if (column + d < (int) self->n_columns && self->columns[column + d].n > 0)
        return column + d;
    }

  return -1;
}

static int
chart_time_to_column (HealthGtkHistoryChart *self,
                      gint64                 time_us)
{
  double span = (double) self->span_to_us - (double) self->span_from_us;

  if (!(span > 0) || self->n_columns == 0)
    return -1;

  return (int) CLAMP (floor ((double) (time_us - self->span_from_us) * self->n_columns / span),
                      0, self->n_columns - 1);
}

static int
chart_get_cursor_column (HealthGtkHistoryChart *self)
{
  if (!self->has_cursor)
    return -1;

  chart_ensure_current_layout (self);

  if (self->cursor_us < self->span_from_us || self->cursor_us > self->span_to_us)
    return -1;

  return chart_snap_column (self, chart_time_to_column (self, self->cursor_us));
}

static void
chart_set_cursor_column (HealthGtkHistoryChart *self,
                         int                    column)
{
  gboolean had_cursor = self->has_cursor;
  gint64 cursor_us = self->cursor_us;

  if (column >= 0 && column < (int) self->n_columns && self->columns[column].n > 0)
    {
      self->has_cursor = TRUE;
      self->cursor_us = self->columns[column].first_us;
    }
  else
    {
      self->has_cursor = FALSE;
    }

  if (had_cursor == self->has_cursor && (!had_cursor || cursor_us == self->cursor_us))
    return;

  chart_update_readout (self);
}

static const char *
chart_readout_time_format (HealthGtkHistoryChart *self)
{
  gint64 span = self->span_to_us - self->span_from_us;

  if (span <= 2 * 3600 * (gint64) G_USEC_PER_SEC)
    /* Translators: the time in a chart's read-out, over an hour;
     * see g_date_time_format() */
    return C_("read-out time", "%H:%M:%S");

  if (span <= 36 * 3600 * (gint64) G_USEC_PER_SEC)
    /* Translators: the time in a chart's read-out, over a day */
    return C_("read-out time", "%H:%M");

  /* Translators: the time in a chart's read-out, over a week or a month */
  return C_("read-out time", "%a %-d %b, %H:%M");
}

/* The read-out's time and value, as parts. */
static gboolean
chart_dup_readout_parts (HealthGtkHistoryChart  *self,
                         char                  **time,
                         char                  **value)
{
  const HealthGtkHistoryColumn *column;
  g_autofree char *mean = NULL;
  int c = chart_get_cursor_column (self);

  if (c < 0)
    return FALSE;

  column = &self->columns[c];
  mean = chart_format_value (self, column->mean);
  *time = format_time (column->first_us, chart_readout_time_format (self));

  if (column->min < column->max)
    {
      g_autofree char *min = chart_format_value (self, column->min);
      g_autofree char *max = chart_format_value (self, column->max);

      /* Translators: a chart's read-out: the mean, then the lowest and
       * the highest value, as in "63.0 % (40.1 % – 93.2 %)" */
      *value = g_strdup_printf (C_("read-out", "%s (%s – %s)"), mean, min, max);
    }
  else
    {
      *value = g_steal_pointer (&mean);
    }

  return TRUE;
}

/* The read-out on one line, as a screen reader says it, or NULL. */
char *
health_gtk_history_chart_dup_readout (HealthGtkHistoryChart *self)
{
  g_autofree char *time = NULL;
  g_autofree char *value = NULL;

  g_return_val_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self), NULL);

  if (!chart_dup_readout_parts (self, &time, &value))
    return NULL;

  /* Translators: a chart's read-out for screen readers: the time, then
   * the value, as in "14:03: 63.0 %" */
  return g_strdup_printf (C_("read-out", "%s: %s"), time, value);
}

/* "Memory Usage over 24 hours: latest 63.0 %, lowest 40.1 %, highest
 * 93.2 %" */
char *
health_gtk_history_chart_dup_summary (HealthGtkHistoryChart *self)
{
  g_autofree char *label = NULL;
  g_autofree char *span = NULL;
  g_autofree char *latest = NULL;
  g_autofree char *lowest = NULL;
  g_autofree char *highest = NULL;

  g_return_val_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self), NULL);

  chart_ensure_summary (self);
  label = chart_dup_label (self);

  if (self->span_to_us <= self->span_from_us)
    /* Translators: a chart's description for screen readers, when it
     * has neither points nor a time span; %s is the metric's label */
    return g_strdup_printf (C_("chart description", "%s: no data"), label);

  span = format_span (self->span_to_us - self->span_from_us);

  if (!chart_has_data (self))
    /* Translators: a chart's description for screen readers: the
     * metric's label, then the span, as in "Memory Usage over 24 hours:
     * no data for this period" */
    return g_strdup_printf (C_("chart description", "%s over %s: no data for this period"),
                            label, span);

  latest = chart_format_value (self, self->latest);
  lowest = chart_format_value (self, self->data_min);
  highest = chart_format_value (self, self->data_max);

  /* Translators: a chart's description for screen readers, as in
   * "Memory Usage over 24 hours: latest 63.0 %, lowest 40.1 %, highest
   * 93.2 %" */
  return g_strdup_printf (C_("chart description", "%s over %s: latest %s, lowest %s, highest %s"),
                          label, span, latest, lowest, highest);
}

static void
chart_update_accessible (HealthGtkHistoryChart *self)
{
  g_autofree char *label = chart_dup_label (self);
  g_autofree char *description = NULL;

  description = health_gtk_history_chart_dup_readout (self);
  if (description == NULL)
    description = health_gtk_history_chart_dup_summary (self);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description,
                                  -1);
}

static void
chart_update_actions (HealthGtkHistoryChart *self)
{
  gboolean has_data = chart_has_data (self);

  /* Disabled, the keys go on to the window: Escape closes a dialog,
   * arrows move the focus. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history-chart.previous", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history-chart.next", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history-chart.first", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history-chart.last", has_data);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "history-chart.hide-readout", self->has_cursor);
}

static void
chart_update_readout (HealthGtkHistoryChart *self)
{
  g_autofree char *time = NULL;
  g_autofree char *value = NULL;

  if (chart_dup_readout_parts (self, &time, &value))
    {
      g_autofree char *text = g_strdup_printf ("%s\n%s", time, value);

      gtk_label_set_text (GTK_LABEL (self->readout), text);
    }

  chart_update_accessible (self);
  chart_update_actions (self);
  gtk_widget_queue_allocate (GTK_WIDGET (self));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
chart_move_cursor (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (widget);
  int column, step, n;

  chart_ensure_current_layout (self);
  n = self->n_columns;
  column = chart_get_cursor_column (self);

  if (g_str_equal (action_name, "history-chart.first"))
    {
      column = -1;
      step = 1;
    }
  else if (g_str_equal (action_name, "history-chart.last"))
    {
      column = n;
      step = -1;
    }
  else if (column < 0)
    {
      /* From nothing, the first key shows the latest value. */
      column = n;
      step = -1;
    }
  else
    {
      step = g_str_equal (action_name, "history-chart.previous") ? -1 : 1;
    }

  for (int c = column + step; c >= 0 && c < n; c += step)
    {
      if (self->columns[c].n > 0)
        {
          chart_set_cursor_column (self, c);
          return;
        }
    }
}

static void
chart_hide_readout (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  chart_set_cursor_column (HEALTH_GTK_HISTORY_CHART (widget), -1);
}

static void
chart_motion (GtkEventControllerMotion *controller,
              double                    x,
              double                    y,
              HealthGtkHistoryChart    *self)
{
  chart_ensure_current_layout (self);

  if (x < self->plot.origin.x - SNAP_DISTANCE ||
      x > self->plot.origin.x + self->plot.size.width + SNAP_DISTANCE)
    {
      chart_set_cursor_column (self, -1);
      return;
    }

  chart_set_cursor_column (self, chart_snap_column (self, (int) floor (x - self->plot.origin.x)));
}

static void
chart_leave (HealthGtkHistoryChart *self)
{
  chart_set_cursor_column (self, -1);
}

static void
chart_pressed (GtkGestureClick       *gesture,
               int                    n_press,
               double                 x,
               double                 y,
               HealthGtkHistoryChart *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* Drawing */

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
      double y = floor (g_array_index (self->value_ticks, Tick, i).pos) + 0.5;

      cairo_move_to (cr, self->plot.origin.x, y);
      cairo_line_to (cr, self->plot.origin.x + self->plot.size.width, y);
    }

  for (guint i = 0; i < self->time_ticks->len; i++)
    {
      double x = floor (g_array_index (self->time_ticks, Tick, i).pos) + 0.5;

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
            cairo_rectangle (cr, chart_column_x (self, start) - 0.5, chart_y (self, columns[start].max),
                             1, chart_y (self, columns[start].min) - chart_y (self, columns[start].max));
        }
      else
        {
          cairo_move_to (cr, chart_column_x (self, start), chart_y (self, columns[start].max));
          for (guint c = start + 1; c <= last; c++)
            if (columns[c].n > 0)
              cairo_line_to (cr, chart_column_x (self, c), chart_y (self, columns[c].max));
          for (guint c = last + 1; c-- > start;)
            if (columns[c].n > 0)
              cairo_line_to (cr, chart_column_x (self, c), chart_y (self, columns[c].min));
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

      x = chart_column_x (self, c);
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
  int column = chart_get_cursor_column (self);
  GdkRGBA color;
  double x;

  if (column < 0)
    return;

  x = floor (chart_column_x (self, column)) + 0.5;
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
      Tick *tick = &g_array_index (self->value_ticks, Tick, i);
      int w, h;

      pango_layout_get_pixel_size (tick->layout, &w, &h);
      chart_snapshot_layout (snapshot, tick->layout,
                             self->plot.origin.x - AXIS_GAP - w, round (tick->pos - h / 2.0), &color);
    }

  for (guint i = 0; i < self->time_ticks->len; i++)
    {
      Tick *tick = &g_array_index (self->time_ticks, Tick, i);
      double left = self->plot.origin.x;
      int w;

      /* Centred on its tick, but not under the value axis's labels nor
       * past the right edge. */
      pango_layout_get_pixel_size (tick->layout, &w, NULL);
      chart_snapshot_layout (snapshot, tick->layout,
                             MAX (0, MIN (MAX (round (tick->pos - w / 2.0), left), width - w)),
                             bottom + AXIS_GAP / 2, &color);
    }
}

static void
health_gtk_history_chart_snapshot (GtkWidget   *widget,
                                   GtkSnapshot *snapshot)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (widget);
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  cairo_t *cr;

  if (width <= 0 || height <= 0)
    return;

  chart_ensure_layout (self, width, height);

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  chart_draw_grid (self, cr);
  if (chart_has_data (self))
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

  if (!chart_has_data (self))
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

static void
health_gtk_history_chart_measure (GtkWidget      *widget,
                                  GtkOrientation  orientation,
                                  int             for_size,
                                  int            *minimum,
                                  int            *natural,
                                  int            *minimum_baseline,
                                  int            *natural_baseline)
{
  /* Large, but small enough for a phone-sized window. */
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = MIN_WIDTH;
      *natural = NATURAL_WIDTH;
    }
  else
    {
      *minimum = MIN_HEIGHT;
      *natural = NATURAL_HEIGHT;
    }
}

static void
health_gtk_history_chart_size_allocate (GtkWidget *widget,
                                        int        width,
                                        int        height,
                                        int        baseline)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (widget);
  int column;

  chart_ensure_layout (self, width, height);

  column = chart_get_cursor_column (self);
  gtk_widget_set_child_visible (self->readout, column >= 0);

  if (column >= 0)
    {
      double x = chart_column_x (self, column);
      int w, h;

      gtk_widget_measure (self->readout, GTK_ORIENTATION_HORIZONTAL, -1, NULL, &w, NULL, NULL);
      gtk_widget_measure (self->readout, GTK_ORIENTATION_VERTICAL, w, NULL, &h, NULL, NULL);
      w = MIN (w, width);
      h = MIN (h, height);

      /* Beside the cursor, on the side with room. */
      x = x + READOUT_OFFSET + w <= width ? x + READOUT_OFFSET : x - READOUT_OFFSET - w;
      x = CLAMP (x, 0, MAX (0, width - w));

      gtk_widget_allocate (self->readout, w, h, -1,
                           gsk_transform_translate (NULL, &GRAPHENE_POINT_INIT (round (x),
                                                                                self->plot.origin.y + READOUT_OFFSET / 2)));
    }
}

static void
health_gtk_history_chart_css_changed (GtkWidget         *widget,
                                      GtkCssStyleChange *change)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (widget);

  GTK_WIDGET_CLASS (health_gtk_history_chart_parent_class)->css_changed (widget, change);

  /* The font may have changed: the labels are laid out again. */
  g_clear_object (&self->empty_layout);
  chart_invalidate_layout (self);
}

static void
health_gtk_history_chart_system_setting_changed (GtkWidget        *widget,
                                                 GtkSystemSetting  setting)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (widget);

  GTK_WIDGET_CLASS (health_gtk_history_chart_parent_class)->system_setting_changed (widget, setting);

  g_clear_object (&self->empty_layout);
  chart_invalidate_layout (self);
}

static void
health_gtk_history_chart_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (health_gtk_history_chart_parent_class)->root (widget);

  health_gtk_init_for_display (gtk_widget_get_display (widget));
}

static void
chart_metric_rules_changed (HealthGtkHistoryChart *self)
{
  /* Thresholds move the bands and widen the value axis. */
  chart_invalidate_layout (self);
}

static void
chart_metric_label_changed (HealthGtkHistoryChart *self)
{
  chart_update_accessible (self);
}

static void
health_gtk_history_chart_dispose (GObject *object)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (object);

  if (self->metric_signals != NULL)
    g_signal_group_set_target (self->metric_signals, NULL);
  g_clear_object (&self->metric_signals);
  g_clear_object (&self->metric);
  g_clear_pointer (&self->readout, gtk_widget_unparent);

  G_OBJECT_CLASS (health_gtk_history_chart_parent_class)->dispose (object);
}

static void
health_gtk_history_chart_finalize (GObject *object)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (object);

  g_clear_pointer (&self->points, g_free);
  g_clear_pointer (&self->columns, g_free);
  g_clear_pointer (&self->value_ticks, g_array_unref);
  g_clear_pointer (&self->time_ticks, g_array_unref);
  g_clear_object (&self->empty_layout);

  G_OBJECT_CLASS (health_gtk_history_chart_parent_class)->finalize (object);
}

static void
health_gtk_history_chart_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      g_value_set_object (value, self->metric);
      break;

    case PROP_FROM_US:
      g_value_set_int64 (value, self->from_us);
      break;

    case PROP_TO_US:
      g_value_set_int64 (value, self->to_us);
      break;

    case PROP_N_POINTS:
      g_value_set_uint (value, self->n_points);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_history_chart_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  HealthGtkHistoryChart *self = HEALTH_GTK_HISTORY_CHART (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      health_gtk_history_chart_set_metric (self, g_value_get_object (value));
      break;

    case PROP_FROM_US:
      health_gtk_history_chart_set_range (self, g_value_get_int64 (value), self->to_us);
      break;

    case PROP_TO_US:
      health_gtk_history_chart_set_range (self, self->from_us, g_value_get_int64 (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_history_chart_class_init (HealthGtkHistoryChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  static const struct { guint keyval; const char *action; } keys[] = {
    { GDK_KEY_Left, "history-chart.previous" },
    { GDK_KEY_KP_Left, "history-chart.previous" },
    { GDK_KEY_Right, "history-chart.next" },
    { GDK_KEY_KP_Right, "history-chart.next" },
    { GDK_KEY_Home, "history-chart.first" },
    { GDK_KEY_KP_Home, "history-chart.first" },
    { GDK_KEY_End, "history-chart.last" },
    { GDK_KEY_KP_End, "history-chart.last" },
    { GDK_KEY_Escape, "history-chart.hide-readout" },
  };

  object_class->dispose = health_gtk_history_chart_dispose;
  object_class->finalize = health_gtk_history_chart_finalize;
  object_class->get_property = health_gtk_history_chart_get_property;
  object_class->set_property = health_gtk_history_chart_set_property;

  widget_class->measure = health_gtk_history_chart_measure;
  widget_class->size_allocate = health_gtk_history_chart_size_allocate;
  widget_class->snapshot = health_gtk_history_chart_snapshot;
  widget_class->css_changed = health_gtk_history_chart_css_changed;
  widget_class->system_setting_changed = health_gtk_history_chart_system_setting_changed;
  widget_class->root = health_gtk_history_chart_root;

  /**
   * HealthGtkHistoryChart:metric: (attributes org.gtk.Property.get=health_gtk_history_chart_get_metric org.gtk.Property.set=health_gtk_history_chart_set_metric)
   *
   * The metric the points are of, or %NULL.
   *
   * It gives the chart its label, the unit of the value axis, the
   * direction and the thresholds; the chart follows changes of its
   * thresholds and label.
   *
   * Since: 1.0
   */
  props[PROP_METRIC] =
    g_param_spec_object ("metric", NULL, NULL,
                         HEALTH_TYPE_METRIC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthGtkHistoryChart:from-us: (attributes org.gtk.Property.get=health_gtk_history_chart_get_from_us)
   *
   * The start of the span shown, in microseconds since the Unix epoch.
   *
   * When it is not before [property@HealthGtk.HistoryChart:to-us] (as
   * when both are 0, the default), the chart shows the span of its points.
   *
   * Since: 1.0
   */
  props[PROP_FROM_US] =
    g_param_spec_int64 ("from-us", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthGtkHistoryChart:to-us: (attributes org.gtk.Property.get=health_gtk_history_chart_get_to_us)
   *
   * The end of the span shown, included, in microseconds since the Unix
   * epoch; see [property@HealthGtk.HistoryChart:from-us].
   *
   * Since: 1.0
   */
  props[PROP_TO_US] =
    g_param_spec_int64 ("to-us", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthGtkHistoryChart:n-points: (attributes org.gtk.Property.get=health_gtk_history_chart_get_n_points)
   *
   * How many points [method@HealthGtk.HistoryChart.set_points] gave the
   * chart, in its span or not.
   *
   * Since: 1.0
   */
  props[PROP_N_POINTS] =
    g_param_spec_uint ("n-points", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);

  gtk_widget_class_install_action (widget_class, "history-chart.previous", NULL, chart_move_cursor);
  gtk_widget_class_install_action (widget_class, "history-chart.next", NULL, chart_move_cursor);
  gtk_widget_class_install_action (widget_class, "history-chart.first", NULL, chart_move_cursor);
  gtk_widget_class_install_action (widget_class, "history-chart.last", NULL, chart_move_cursor);
  gtk_widget_class_install_action (widget_class, "history-chart.hide-readout", NULL, chart_hide_readout);

  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    gtk_widget_class_add_binding_action (widget_class, keys[i].keyval, 0, keys[i].action, NULL);

  gtk_widget_class_set_css_name (widget_class, "historychart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
health_gtk_history_chart_init (HealthGtkHistoryChart *self)
{
  GtkEventController *motion;
  GtkEventController *focus;
  GtkGesture *click;

  self->gap_us = G_MAXINT64;
  self->value_ticks = g_array_new (FALSE, FALSE, sizeof (Tick));
  g_array_set_clear_func (self->value_ticks, tick_clear);
  self->time_ticks = g_array_new (FALSE, FALSE, sizeof (Tick));
  g_array_set_clear_func (self->time_ticks, tick_clear);

  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);

  self->readout = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->readout, "readout");
  gtk_label_set_xalign (GTK_LABEL (self->readout), 0);
  gtk_widget_set_can_target (self->readout, FALSE);
  gtk_widget_set_parent (self->readout, GTK_WIDGET (self));
  gtk_widget_set_child_visible (self->readout, FALSE);

  motion = gtk_event_controller_motion_new ();
  g_signal_connect (motion, "motion", G_CALLBACK (chart_motion), self);
  g_signal_connect_swapped (motion, "leave", G_CALLBACK (chart_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), motion);

  /* Tabbing away leaves no read-out behind. */
  focus = gtk_event_controller_focus_new ();
  g_signal_connect_swapped (focus, "leave", G_CALLBACK (chart_leave), self);
  gtk_widget_add_controller (GTK_WIDGET (self), focus);

  click = gtk_gesture_click_new ();
  g_signal_connect (click, "pressed", G_CALLBACK (chart_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));

  self->metric_signals = g_signal_group_new (HEALTH_TYPE_METRIC);
  g_signal_group_connect_object (self->metric_signals, "notify::warning",
                                 G_CALLBACK (chart_metric_rules_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->metric_signals, "notify::critical",
                                 G_CALLBACK (chart_metric_rules_changed), self, G_CONNECT_SWAPPED);
  g_signal_group_connect_object (self->metric_signals, "notify::label",
                                 G_CALLBACK (chart_metric_label_changed), self, G_CONNECT_SWAPPED);

  chart_update_accessible (self);
  chart_update_actions (self);
}

/**
 * health_gtk_history_chart_new:
 *
 * Creates a history chart with no metric and no points; it says that
 * there is no data until [method@HealthGtk.HistoryChart.set_points].
 *
 * Returns: the new chart
 *
 * Since: 1.0
 */
GtkWidget *
health_gtk_history_chart_new (void)
{
  return g_object_new (HEALTH_GTK_TYPE_HISTORY_CHART, NULL);
}

/**
 * health_gtk_history_chart_get_metric: (get-property metric)
 * @self: a history chart
 *
 * Gets the metric @self charts.
 *
 * Returns: (transfer none) (nullable): the metric
 *
 * Since: 1.0
 */
HealthMetric *
health_gtk_history_chart_get_metric (HealthGtkHistoryChart *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self), NULL);

  return self->metric;
}

/**
 * health_gtk_history_chart_set_metric: (set-property metric)
 * @self: a history chart
 * @metric: (nullable): the metric the points are of
 *
 * Sets the metric whose label, unit, direction and thresholds @self
 * shows; see [property@HealthGtk.HistoryChart:metric]. The points stay:
 * give the new metric's with [method@HealthGtk.HistoryChart.set_points].
 *
 * Since: 1.0
 */
void
health_gtk_history_chart_set_metric (HealthGtkHistoryChart *self,
                                     HealthMetric          *metric)
{
  g_return_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self));
  g_return_if_fail (metric == NULL || HEALTH_IS_METRIC (metric));

  if (!g_set_object (&self->metric, metric))
    return;

  g_signal_group_set_target (self->metric_signals, metric);

  /* The unit changes every label. */
  chart_invalidate_layout (self);
  chart_update_readout (self);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_METRIC]);
}

/**
 * health_gtk_history_chart_set_points:
 * @self: a history chart
 * @points: (element-type Health.JournalPoint) (transfer none) (nullable):
 *   the points, as [method@Health.Journal.query_finish] returns them, or
 *   %NULL for none
 *
 * Sets the points @self draws. The chart copies them, so @points may go
 * right after; unsorted points are sorted by time.
 *
 * This costs O(n) in the points (the copy, and their median step, which
 * tells a gap from a late sample); the next frame sorts them into pixel
 * columns, O(n) once, and frames after that cost O(width) until the
 * points, the span or the width change.
 *
 * Since: 1.0
 */
void
health_gtk_history_chart_set_points (HealthGtkHistoryChart *self,
                                     GPtrArray             *points)
{
  guint n_points = points != NULL ? points->len : 0;
  gboolean sorted = TRUE;

  g_return_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self));

  for (guint i = 0; i < n_points; i++)
    g_return_if_fail (g_ptr_array_index (points, i) != NULL);

  if (n_points > self->n_points || self->points == NULL)
    {
      g_free (self->points);
      self->points = g_new (HealthJournalPoint, MAX (n_points, 1));
    }

  for (guint i = 0; i < n_points; i++)
    {
      const HealthJournalPoint *point = g_ptr_array_index (points, i);

      self->points[i] = *point;
      self->points[i].time_us = CLAMP (point->time_us, -TIME_LIMIT_US, TIME_LIMIT_US);
      if (i > 0 && point->time_us < self->points[i - 1].time_us)
        sorted = FALSE;
    }

  /* time_us comes first in a point: compare_int64 reads it. */
  if (!sorted)
    qsort (self->points, n_points, sizeof (HealthJournalPoint), compare_int64);

  self->gap_us = health_gtk_history_chart_compute_gap (self->points, n_points);

  if (self->n_points != n_points)
    {
      self->n_points = n_points;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_N_POINTS]);
    }

  chart_invalidate_points (self);
  chart_update_readout (self);
}

/**
 * health_gtk_history_chart_get_n_points: (get-property n-points)
 * @self: a history chart
 *
 * Gets how many points @self holds.
 *
 * Returns: the number of points
 *
 * Since: 1.0
 */
guint
health_gtk_history_chart_get_n_points (HealthGtkHistoryChart *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self), 0);

  return self->n_points;
}

/**
 * health_gtk_history_chart_set_range:
 * @self: a history chart
 * @from_us: the start of the span, in microseconds since the Unix epoch
 * @to_us: the end of the span, included
 *
 * Sets the span of time @self shows, as in the last hour or the last 30
 * days: points outside it are not drawn, and a span with no points says
 * so. A span that ends before it starts (0 and 0, as at first) shows the
 * span of the points instead.
 *
 * Since: 1.0
 */
void
health_gtk_history_chart_set_range (HealthGtkHistoryChart *self,
                                    gint64                 from_us,
                                    gint64                 to_us)
{
  g_return_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self));

  if (self->from_us == from_us && self->to_us == to_us)
    return;

  g_object_freeze_notify (G_OBJECT (self));

  if (self->from_us != from_us)
    {
      self->from_us = from_us;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_FROM_US]);
    }

  if (self->to_us != to_us)
    {
      self->to_us = to_us;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TO_US]);
    }

  chart_invalidate_points (self);
  chart_update_readout (self);

  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * health_gtk_history_chart_get_from_us: (get-property from-us)
 * @self: a history chart
 *
 * Gets the start of the span set with
 * [method@HealthGtk.HistoryChart.set_range].
 *
 * Returns: the start, in microseconds since the Unix epoch
 *
 * Since: 1.0
 */
gint64
health_gtk_history_chart_get_from_us (HealthGtkHistoryChart *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self), 0);

  return self->from_us;
}

/**
 * health_gtk_history_chart_get_to_us: (get-property to-us)
 * @self: a history chart
 *
 * Gets the end of the span set with
 * [method@HealthGtk.HistoryChart.set_range].
 *
 * Returns: the end, in microseconds since the Unix epoch
 *
 * Since: 1.0
 */
gint64
health_gtk_history_chart_get_to_us (HealthGtkHistoryChart *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_HISTORY_CHART (self), 0);

  return self->to_us;
}

/* For the tests: where the plot is and what values it spans. */
void
health_gtk_history_chart_get_plot (HealthGtkHistoryChart *self,
                                   graphene_rect_t       *plot,
                                   double                *lo,
                                   double                *hi)
{
  chart_ensure_current_layout (self);

  *plot = self->plot;
  *lo = self->lo;
  *hi = self->hi;
}

const HealthGtkHistoryColumn *
health_gtk_history_chart_get_columns (HealthGtkHistoryChart *self,
                                      guint                 *n_columns)
{
  chart_ensure_current_layout (self);

  *n_columns = self->n_columns;

  return self->columns;
}

guint
health_gtk_history_chart_get_n_time_ticks (HealthGtkHistoryChart *self)
{
  chart_ensure_current_layout (self);

  return self->time_ticks->len;
}

char *
health_gtk_history_chart_dup_time_tick_label (HealthGtkHistoryChart *self,
                                              guint                  i,
                                              double                *x)
{
  Tick *tick;

  chart_ensure_current_layout (self);
  g_return_val_if_fail (i < self->time_ticks->len, NULL);

  tick = &g_array_index (self->time_ticks, Tick, i);
  *x = tick->pos;

  return g_strdup (pango_layout_get_text (tick->layout));
}
