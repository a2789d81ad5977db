/* health-gtk-history-chart.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The chart: the object, its properties and API, the read-out, the
 * keys and the pointer, and what it tells a screen reader. The points
 * sorted into columns and the layout are in
 * health-gtk-history-chart-layout.c, the drawing in
 * health-gtk-history-chart-draw.c.
 */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <glib/gi18n-lib.h>

#include "health-gtk-private.h"
#include "health-gtk-history-chart-impl-private.h"

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

#define SNAP_DISTANCE        16     /* the read-out's reach, in pixels */
#define READOUT_OFFSET       8

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

/* The points, by time */

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Text */

static char *
chart_dup_label (HealthGtkHistoryChart *self)
{
  if (self->metric != NULL)
    return health_gtk_metric_dup_label (self->metric);

  return g_strdup (_("History"));
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

/* What a change of the points, the span, the metric or the style
 * leaves to be redone */

static void
tick_clear (gpointer data)
{
  HealthGtkHistoryTick *tick = data;

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

int
health_gtk_history_chart_get_cursor_column (HealthGtkHistoryChart *self)
{
  if (!self->has_cursor)
    return -1;

  health_gtk_history_chart_ensure_current_layout (self);

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
  int c = health_gtk_history_chart_get_cursor_column (self);

  if (c < 0)
    return FALSE;

  column = &self->columns[c];
  mean = health_gtk_history_chart_format_value (self, column->mean);
  *time = health_gtk_history_chart_format_time (column->first_us, chart_readout_time_format (self));

  if (column->min < column->max)
    {
      g_autofree char *min = health_gtk_history_chart_format_value (self, column->min);
      g_autofree char *max = health_gtk_history_chart_format_value (self, column->max);

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

  health_gtk_history_chart_ensure_summary (self);
  label = chart_dup_label (self);

  if (self->span_to_us <= self->span_from_us)
    /* Translators: a chart's description for screen readers, when it
     * has neither points nor a time span; %s is the metric's label */
    return g_strdup_printf (C_("chart description", "%s: no data"), label);

  span = format_span (self->span_to_us - self->span_from_us);

  if (!health_gtk_history_chart_has_data (self))
    /* Translators: a chart's description for screen readers: the
     * metric's label, then the span, as in "Memory Usage over 24 hours:
     * no data for this period" */
    return g_strdup_printf (C_("chart description", "%s over %s: no data for this period"),
                            label, span);

  latest = health_gtk_history_chart_format_value (self, self->latest);
  lowest = health_gtk_history_chart_format_value (self, self->data_min);
  highest = health_gtk_history_chart_format_value (self, self->data_max);

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
  gboolean has_data = health_gtk_history_chart_has_data (self);

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

  health_gtk_history_chart_ensure_current_layout (self);
  n = self->n_columns;
  column = health_gtk_history_chart_get_cursor_column (self);

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
  health_gtk_history_chart_ensure_current_layout (self);

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

  health_gtk_history_chart_ensure_layout (self, width, height);

  column = health_gtk_history_chart_get_cursor_column (self);
  gtk_widget_set_child_visible (self->readout, column >= 0);

  if (column >= 0)
    {
      double x = health_gtk_history_chart_column_x (self, column);
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
  self->value_ticks = g_array_new (FALSE, FALSE, sizeof (HealthGtkHistoryTick));
  g_array_set_clear_func (self->value_ticks, tick_clear);
  self->time_ticks = g_array_new (FALSE, FALSE, sizeof (HealthGtkHistoryTick));
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
      self->points[i].time_us = CLAMP (point->time_us, -HEALTH_GTK_HISTORY_CHART_TIME_LIMIT_US,
                                       HEALTH_GTK_HISTORY_CHART_TIME_LIMIT_US);
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
