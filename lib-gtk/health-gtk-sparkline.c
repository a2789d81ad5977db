/* health-gtk-sparkline.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-gtk-private.h"
#include "health-gtk-sparkline-private.h"

/**
 * HealthGtkSparkline:
 *
 * A small line chart of the history of a [class@Health.Metric].
 *
 * The sparkline draws the samples of [method@Health.Metric.dup_history]
 * as a line, oldest on the left, and marks the latest value with a dot.
 * Behind the line it shades the metric's warning and critical bands: for
 * a metric that is worse when higher (%HEALTH_DIRECTION_ABOVE) the bands
 * lie above the thresholds, for one that is worse when lower
 * (%HEALTH_DIRECTION_BELOW) under them. The vertical scale runs from the
 * lowest to the highest of the history and the thresholds, with a margin,
 * so the bands are always in view.
 *
 * Samples are spaced evenly, as a monitor takes them at a fixed interval,
 * and the full [property@Health.Metric:history-size] spans the width: a
 * new metric grows in from the right and the scale never stretches as
 * samples arrive. When there are more samples than pixel columns, each
 * column draws the lowest and highest of the samples falling in it, so a
 * peak is never lost and the cost of a frame follows the width, not the
 * length of the history.
 *
 * ## Redrawing
 *
 * A metric does not tell which monitor it belongs to, so the sparkline
 * offers two ways to stay current:
 *
 * - with [property@HealthGtk.Sparkline:monitor] set, it redraws once per
 *   [signal@Health.Monitor::sampled] and never on single property
 *   changes, which is what a view of many metrics wants; a metric that
 *   the app updates itself between samples shows its new history at the
 *   next sample;
 * - without it, it redraws when the metric's
 *   [property@Health.Metric:value] changes. GTK coalesces the requests
 *   into one frame, but a new sample equal to the previous one does not
 *   notify, so the line scrolls on the next different value.
 *
 * Either way, the style classes and the accessible value follow the
 * metric at once.
 *
 * ## CSS nodes
 *
 * ```
 * sparkline[.unknown][.good][.warning][.critical]
 * ```
 *
 * `HealthGtkSparkline` has a single CSS node named `sparkline`, with the
 * style class of the metric's status (see [func@Health.Status.to_string]).
 * The line and the dot take the node's `color`; the bands take the named
 * colors `@warning_color` and `@error_color`, so light, dark and high
 * contrast themes restyle the chart.
 *
 * ## Accessibility
 *
 * `HealthGtkSparkline` uses the %GTK_ACCESSIBLE_ROLE_METER role, with the
 * metric's value as its value and a value text such as
 * "Memory Usage 93.1 %, critical, increasing".
 *
 * Since: 1.0
 */

#define NATURAL_WIDTH  120
#define NATURAL_HEIGHT 32
#define LINE_WIDTH     1.5
#define DOT_RADIUS     2.5
#define BAR_HALF_WIDTH 0.45

/* A tenth of the span on each side would leave too little for the line
 * in a 32 px widget; this keeps extremes off the edges all the same. */
#define RANGE_MARGIN   0.08

struct _HealthGtkSparkline
{
  GtkWidget                 parent_instance;

  HealthMetric             *metric;
  HealthMonitor            *monitor;

  /* Reused from frame to frame: drawing allocates only the history copy. */
  HealthGtkSparklineColumn *columns;
  guint                     columns_size;
};

G_DEFINE_FINAL_TYPE (HealthGtkSparkline, health_gtk_sparkline, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_METRIC,
  PROP_MONITOR,
  LAST_PROP
};

static GParamSpec *props[LAST_PROP];

/* Where values land in the widget. */
typedef struct
{
  double lo;
  double hi;
  double top;
  double bottom;
} Scale;

static inline double
scale_y (const Scale *scale,
         double       value)
{
  return scale->top + (scale->hi - value) / (scale->hi - scale->lo) * (scale->bottom - scale->top);
}

/* Splits @width pixel columns among @n_slots samples, of which the
 * history fills the last @n_samples, and gives each column that holds
 * samples the lowest and the highest of them: a peak is never lost, and
 * there are never more columns than pixels, however long the history.
 *
 * With no more slots than pixels, each sample has a column of its own at
 * its exact position, and the line joins them. With more, a column also
 * reaches the samples just before and after it, which the line to them
 * would cross, so that neighbouring columns always overlap and join up
 * without a line between them.
 *
 * @columns has room for MIN (n_samples, width). Returns how many it
 * filled. */
guint
health_gtk_sparkline_decimate (const HealthSample       *samples,
                               guint                     n_samples,
                               guint                     n_slots,
                               guint                     width,
                               HealthGtkSparklineColumn *columns)
{
  gboolean dense;
  guint first_slot;
  guint n_columns = 0;
  double step;
  guint i = 0;

  if (n_samples == 0 || width == 0)
    return 0;

  n_slots = MAX (n_slots, n_samples);
  dense = n_slots > width;
  first_slot = n_slots - n_samples;
  step = n_slots > 1 ? (double) (width - 1) / (n_slots - 1) : 0;

  while (i < n_samples)
    {
      double x = (first_slot + i) * step;
      double column = floor (x + 0.5);
      double min = samples[i].value;
      double max = samples[i].value;
      guint j;

      for (j = i + 1; j < n_samples; j++)
        {
          if (floor ((first_slot + j) * step + 0.5) != column)
            break;

          min = MIN (min, samples[j].value);
          max = MAX (max, samples[j].value);
        }

      if (dense && i > 0)
        {
          min = MIN (min, samples[i - 1].value);
          max = MAX (max, samples[i - 1].value);
        }

      if (dense && j < n_samples)
        {
          min = MIN (min, samples[j].value);
          max = MAX (max, samples[j].value);
        }

      columns[n_columns++] = (HealthGtkSparklineColumn) { dense ? column : x, min, max };
      i = j;
    }

  return n_columns;
}

/* The values the height spans: every sample and both thresholds, so the
 * bands stay in view, plus a margin so no extreme touches an edge. */
void
health_gtk_sparkline_compute_range (const HealthSample *samples,
                                    guint               n_samples,
                                    double              warning,
                                    double              critical,
                                    double             *lo,
                                    double             *hi)
{
  double min = INFINITY;
  double max = -INFINITY;
  double margin;

  for (guint i = 0; i < n_samples; i++)
    {
      min = MIN (min, samples[i].value);
      max = MAX (max, samples[i].value);
    }

  if (isfinite (warning) && isfinite (critical))
    {
      min = MIN (min, MIN (warning, critical));
      max = MAX (max, MAX (warning, critical));
    }

  if (!isfinite (min) || !isfinite (max))
    {
      *lo = 0;
      *hi = 1;
      return;
    }

  margin = (max - min) * RANGE_MARGIN;
  if (!(margin > 0))
    margin = max != 0 ? fabs (max) * RANGE_MARGIN : 1.0;

  *lo = min - margin;
  *hi = max + margin;
}

static void
sparkline_fill_band (HealthGtkSparkline *self,
                     cairo_t            *cr,
                     const char         *color_name,
                     const char         *fallback,
                     double              alpha,
                     int                 width,
                     double              y1,
                     double              y2)
{
  GdkRGBA color;
  double top = MAX (0, MIN (y1, y2));
  double bottom = MIN (gtk_widget_get_height (GTK_WIDGET (self)), MAX (y1, y2));

  if (bottom <= top)
    return;

  health_gtk_lookup_color (GTK_WIDGET (self), color_name, fallback, &color);
  cairo_set_source_rgba (cr, color.red, color.green, color.blue, color.alpha * alpha);
  cairo_rectangle (cr, 0, top, width, bottom - top);
  cairo_fill (cr);
}

static void
sparkline_draw_bands (HealthGtkSparkline *self,
                      cairo_t            *cr,
                      const Scale        *scale,
                      int                 width,
                      int                 height)
{
  double warning = health_metric_get_warning (self->metric);
  double critical = health_metric_get_critical (self->metric);
  double y_warning, y_critical, y_beyond;

  if (!isfinite (warning) || !isfinite (critical))
    return;

  y_warning = scale_y (scale, warning);
  y_critical = scale_y (scale, critical);
  /* The critical band runs from its threshold to the edge on the
   * unhealthy side: the top when higher is worse, the bottom otherwise. */
  y_beyond = health_metric_get_direction (self->metric) == HEALTH_DIRECTION_ABOVE ? 0 : height;

  sparkline_fill_band (self, cr, "warning_color", "#f57900",
                       HEALTH_GTK_SPARKLINE_WARNING_BAND_ALPHA, width, y_warning, y_critical);
  sparkline_fill_band (self, cr, "error_color", "#cc0000",
                       HEALTH_GTK_SPARKLINE_CRITICAL_BAND_ALPHA, width, y_critical, y_beyond);
}

static void
sparkline_draw_line (HealthGtkSparkline *self,
                     cairo_t            *cr,
                     const Scale        *scale,
                     const HealthSample *samples,
                     guint               n_samples,
                     guint               width)
{
  guint n_slots = MAX (health_metric_get_history_size (self->metric), n_samples);
  guint needed = MIN (n_samples, width);
  /* Column x is the centre of pixel x. */
  double left = HEALTH_GTK_SPARKLINE_INSET + 0.5;
  HealthGtkSparklineColumn *columns;
  GdkRGBA color;
  guint n_columns;

  if (needed > self->columns_size)
    {
      self->columns = g_renew (HealthGtkSparklineColumn, self->columns, needed);
      self->columns_size = needed;
    }

  columns = self->columns;
  n_columns = health_gtk_sparkline_decimate (samples, n_samples, n_slots, width, columns);

  health_gtk_widget_get_color (GTK_WIDGET (self), &color);
  gdk_cairo_set_source_rgba (cr, &color);

  if (n_slots <= width)
    {
      /* One sample per column: a line through them. */
      if (n_columns > 1)
        {
          cairo_move_to (cr, left + columns[0].x, scale_y (scale, columns[0].max));
          for (guint i = 1; i < n_columns; i++)
            cairo_line_to (cr, left + columns[i].x, scale_y (scale, columns[i].max));

          cairo_set_line_width (cr, LINE_WIDTH);
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
          cairo_stroke (cr);
        }
    }
  else
    {
      double half = LINE_WIDTH / 2;

      /* Many samples per column: each pixel column is a bar from its
       * lowest to its highest sample, thickened by the line width, so a
       * lone peak keeps the width of a pixel; the bars make one simple
       * polygon, filled. Stroking the zigzag through the same values drew
       * much the same pixels at over ten times the cost (bench/gtk).
       * The tops span nine tenths of their pixel and slope to the next
       * bar in the last tenth: a path of only horizontal and vertical
       * edges takes cairo 1.16's rectilinear fill, twice as slow for
       * edges at fractional heights. */
      cairo_move_to (cr, left + columns[0].x - BAR_HALF_WIDTH,
                     scale_y (scale, columns[0].max) - half);
      for (guint i = 0; i < n_columns; i++)
        {
          double top = scale_y (scale, columns[i].max) - half;

          cairo_line_to (cr, left + columns[i].x - BAR_HALF_WIDTH, top);
          cairo_line_to (cr, left + columns[i].x + BAR_HALF_WIDTH, top);
        }
      for (guint i = n_columns; i-- > 0;)
        {
          double bottom = scale_y (scale, columns[i].min) + half;

          cairo_line_to (cr, left + columns[i].x + BAR_HALF_WIDTH, bottom);
          cairo_line_to (cr, left + columns[i].x - BAR_HALF_WIDTH, bottom);
        }
      cairo_close_path (cr);
      cairo_fill (cr);
    }

  /* The latest sample always sits in the last slot, at the right end. */
  cairo_arc (cr, left + (width - 1), scale_y (scale, samples[n_samples - 1].value),
             DOT_RADIUS, 0, 2 * G_PI);
  cairo_fill (cr);
}

static void
health_gtk_sparkline_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  HealthGtkSparkline *self = HEALTH_GTK_SPARKLINE (widget);
  g_autofree HealthSample *samples = NULL;
  int width = gtk_widget_get_width (widget);
  int height = gtk_widget_get_height (widget);
  guint n_samples = 0;
  Scale scale;
  cairo_t *cr;

  if (self->metric == NULL ||
      width <= 2 * HEALTH_GTK_SPARKLINE_INSET ||
      height <= 2 * HEALTH_GTK_SPARKLINE_INSET)
    return;

  samples = health_metric_dup_history (self->metric, &n_samples);
  health_gtk_sparkline_compute_range (samples, n_samples,
                                      health_metric_get_warning (self->metric),
                                      health_metric_get_critical (self->metric),
                                      &scale.lo, &scale.hi);
  scale.top = HEALTH_GTK_SPARKLINE_INSET;
  scale.bottom = height - HEALTH_GTK_SPARKLINE_INSET;

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  sparkline_draw_bands (self, cr, &scale, width, height);
  if (n_samples > 0)
    sparkline_draw_line (self, cr, &scale, samples, n_samples,
                         width - 2 * HEALTH_GTK_SPARKLINE_INSET);

  cairo_destroy (cr);
}

static void
health_gtk_sparkline_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  /* Enough for a line between the insets; themes may ask for more with
   * min-width and min-height. */
  *minimum = 2 * HEALTH_GTK_SPARKLINE_INSET + 2;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? NATURAL_WIDTH : NATURAL_HEIGHT;
}

static char *
sparkline_format_time (gint64 time_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (time == NULL)
    return g_strdup ("—");

  /* The date only matters when the sample is not from today. */
  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    return g_date_time_format (time, "%X");

  return g_date_time_format (time, "%x %X");
}

/* The tooltip for the pointer at @x: the metric and the exact value and
 * time of the nearest sample, which the decimated drawing cannot show. */
char *
health_gtk_sparkline_dup_tooltip_at (HealthGtkSparkline *self,
                                     double              x)
{
  g_autofree HealthSample *samples = NULL;
  g_autofree char *value = NULL;
  g_autofree char *time = NULL;
  g_autofree char *label = NULL;
  guint n_samples = 0;
  guint n_slots;
  int columns;
  double slot;
  gint64 i;

  g_return_val_if_fail (HEALTH_GTK_IS_SPARKLINE (self), NULL);

  if (self->metric == NULL)
    return NULL;

  label = health_gtk_metric_dup_label (self->metric);
  samples = health_metric_dup_history (self->metric, &n_samples);
  if (n_samples == 0)
    return g_strdup_printf ("%s\n%s", label, _("No samples yet"));

  n_slots = MAX (health_metric_get_history_size (self->metric), n_samples);
  columns = gtk_widget_get_width (GTK_WIDGET (self)) - 2 * HEALTH_GTK_SPARKLINE_INSET;

  if (columns > 1 && n_slots > 1)
    slot = round ((x - HEALTH_GTK_SPARKLINE_INSET - 0.5) * (n_slots - 1) / (columns - 1));
  else
    slot = n_slots - 1;

  i = CLAMP ((gint64) slot - (gint64) (n_slots - n_samples), 0, (gint64) n_samples - 1);

  value = health_gtk_metric_format_value (self->metric, samples[i].value);
  time = sparkline_format_time (samples[i].time_us);

  /* Translators: a tooltip: the metric's label, then "93.1 % at 14:03:22" */
  return g_strdup_printf (_("%s\n%s at %s"), label, value, time);
}

static gboolean
health_gtk_sparkline_query_tooltip (GtkWidget  *widget,
                                    int         x,
                                    int         y,
                                    gboolean    keyboard_tooltip,
                                    GtkTooltip *tooltip)
{
  HealthGtkSparkline *self = HEALTH_GTK_SPARKLINE (widget);
  g_autofree char *text = NULL;

  /* From the keyboard there is no pointer: tell the latest sample. */
  text = health_gtk_sparkline_dup_tooltip_at (self, keyboard_tooltip ? G_MAXINT : x);
  if (text == NULL)
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

/* What a screen reader says: "Memory Usage 93.1 %, critical, increasing". */
char *
health_gtk_sparkline_dup_value_text (HealthGtkSparkline *self)
{
  g_autofree char *value = NULL;
  g_autofree char *status = NULL;
  g_autofree char *label = NULL;
  HealthTrend trend;

  g_return_val_if_fail (HEALTH_GTK_IS_SPARKLINE (self), NULL);

  if (self->metric == NULL)
    return NULL;

  g_object_get (self->metric, "trend", &trend, NULL);
  label = health_gtk_metric_dup_label (self->metric);
  value = health_gtk_metric_format_value (self->metric, health_metric_get_value (self->metric));
  /* Mid-sentence, where the label's capital would be read as a name. */
  status = g_utf8_strdown (health_status_to_label (health_metric_get_status (self->metric)), -1);

  /* Translators: the value of a chart for screen readers: the metric's
   * label, its value, its status and its trend, as in
   * "Memory Usage 93.1 %, critical, increasing" */
  return g_strdup_printf (_("%s %s, %s, %s"),
                          label, value, status, health_trend_to_label (trend));
}

static void
sparkline_update_accessible (HealthGtkSparkline *self)
{
  g_autofree HealthSample *samples = NULL;
  g_autofree char *text = NULL;
  g_autofree char *label = NULL;
  guint n_samples = 0;
  double value, lo, hi;

  if (self->metric == NULL)
    {
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_MIN);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_MAX);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW);
      gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT);
      return;
    }

  value = health_metric_get_value (self->metric);

  /* A percentage is a meter from 0 to 100; anything else spans what the
   * chart shows. */
  if (g_str_equal (health_metric_get_unit (self->metric), "%"))
    {
      lo = 0;
      hi = 100;
    }
  else
    {
      samples = health_metric_dup_history (self->metric, &n_samples);
      health_gtk_sparkline_compute_range (samples, n_samples,
                                          health_metric_get_warning (self->metric),
                                          health_metric_get_critical (self->metric),
                                          &lo, &hi);
    }

  if (isfinite (value))
    {
      lo = MIN (lo, value);
      hi = MAX (hi, value);
    }

  text = health_gtk_sparkline_dup_value_text (self);
  label = health_gtk_metric_dup_label (self->metric);

  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MIN, lo,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_MAX, hi,
                                  GTK_ACCESSIBLE_PROPERTY_VALUE_TEXT, text,
                                  -1);

  if (isfinite (value))
    gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                    GTK_ACCESSIBLE_PROPERTY_VALUE_NOW, value,
                                    -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_VALUE_NOW);
}

static void
sparkline_metric_value_changed (HealthGtkSparkline *self)
{
  sparkline_update_accessible (self);

  /* With a monitor, `sampled` redraws once for all metrics. */
  if (self->monitor == NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
sparkline_metric_status_changed (HealthGtkSparkline *self)
{
  health_gtk_widget_set_status (GTK_WIDGET (self), health_metric_get_status (self->metric));
  sparkline_update_accessible (self);
}

static void
sparkline_metric_rules_changed (HealthGtkSparkline *self)
{
  /* Thresholds and the history size move the bands and the line. */
  sparkline_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
health_gtk_sparkline_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (health_gtk_sparkline_parent_class)->root (widget);

  health_gtk_init_for_display (gtk_widget_get_display (widget));
}

static void
health_gtk_sparkline_dispose (GObject *object)
{
  HealthGtkSparkline *self = HEALTH_GTK_SPARKLINE (object);

  health_gtk_sparkline_set_metric (self, NULL);
  health_gtk_sparkline_set_monitor (self, NULL);

  G_OBJECT_CLASS (health_gtk_sparkline_parent_class)->dispose (object);
}

static void
health_gtk_sparkline_finalize (GObject *object)
{
  HealthGtkSparkline *self = HEALTH_GTK_SPARKLINE (object);

  g_clear_pointer (&self->columns, g_free);

  G_OBJECT_CLASS (health_gtk_sparkline_parent_class)->finalize (object);
}

static void
health_gtk_sparkline_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  HealthGtkSparkline *self = HEALTH_GTK_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      g_value_set_object (value, health_gtk_sparkline_get_metric (self));
      break;

    case PROP_MONITOR:
      g_value_set_object (value, health_gtk_sparkline_get_monitor (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_sparkline_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  HealthGtkSparkline *self = HEALTH_GTK_SPARKLINE (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      health_gtk_sparkline_set_metric (self, g_value_get_object (value));
      break;

    case PROP_MONITOR:
      health_gtk_sparkline_set_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_sparkline_class_init (HealthGtkSparklineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_gtk_sparkline_dispose;
  object_class->finalize = health_gtk_sparkline_finalize;
  object_class->get_property = health_gtk_sparkline_get_property;
  object_class->set_property = health_gtk_sparkline_set_property;

  widget_class->measure = health_gtk_sparkline_measure;
  widget_class->snapshot = health_gtk_sparkline_snapshot;
  widget_class->query_tooltip = health_gtk_sparkline_query_tooltip;
  widget_class->root = health_gtk_sparkline_root;

  /**
   * HealthGtkSparkline:metric: (attributes org.gtk.Property.get=health_gtk_sparkline_get_metric org.gtk.Property.set=health_gtk_sparkline_set_metric)
   *
   * The metric whose history is drawn, or %NULL to draw nothing.
   *
   * Since: 1.0
   */
  props[PROP_METRIC] =
    g_param_spec_object ("metric", NULL, NULL,
                         HEALTH_TYPE_METRIC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthGtkSparkline:monitor: (attributes org.gtk.Property.get=health_gtk_sparkline_get_monitor org.gtk.Property.set=health_gtk_sparkline_set_monitor)
   *
   * The monitor that samples [property@HealthGtk.Sparkline:metric], or
   * %NULL.
   *
   * When set, the sparkline redraws once per
   * [signal@Health.Monitor::sampled] instead of on every change of the
   * metric's value.
   *
   * Since: 1.0
   */
  props[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         HEALTH_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);

  gtk_widget_class_set_css_name (widget_class, "sparkline");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_METER);
}

static void
health_gtk_sparkline_init (HealthGtkSparkline *self)
{
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  health_gtk_widget_set_status (GTK_WIDGET (self), HEALTH_STATUS_UNKNOWN);
}

/**
 * health_gtk_sparkline_new:
 * @metric: (nullable): the metric to draw
 *
 * Creates a sparkline of @metric's history.
 *
 * Returns: the new sparkline
 *
 * Since: 1.0
 */
GtkWidget *
health_gtk_sparkline_new (HealthMetric *metric)
{
  g_return_val_if_fail (metric == NULL || HEALTH_IS_METRIC (metric), NULL);

  return g_object_new (HEALTH_GTK_TYPE_SPARKLINE,
                       "metric", metric,
                       NULL);
}

/**
 * health_gtk_sparkline_get_metric: (get-property metric)
 * @self: a sparkline
 *
 * Gets the metric whose history @self draws.
 *
 * Returns: (transfer none) (nullable): the metric
 *
 * Since: 1.0
 */
HealthMetric *
health_gtk_sparkline_get_metric (HealthGtkSparkline *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_SPARKLINE (self), NULL);

  return self->metric;
}

/**
 * health_gtk_sparkline_set_metric: (set-property metric)
 * @self: a sparkline
 * @metric: (nullable): the metric to draw
 *
 * Sets the metric whose history @self draws.
 *
 * Since: 1.0
 */
void
health_gtk_sparkline_set_metric (HealthGtkSparkline *self,
                                 HealthMetric       *metric)
{
  g_return_if_fail (HEALTH_GTK_IS_SPARKLINE (self));
  g_return_if_fail (metric == NULL || HEALTH_IS_METRIC (metric));

  if (self->metric == metric)
    return;

  if (self->metric != NULL)
    g_signal_handlers_disconnect_by_data (self->metric, self);

  g_set_object (&self->metric, metric);

  if (metric != NULL)
    {
      g_signal_connect_object (metric, "notify::value",
                               G_CALLBACK (sparkline_metric_value_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::status",
                               G_CALLBACK (sparkline_metric_status_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::trend",
                               G_CALLBACK (sparkline_update_accessible), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::label",
                               G_CALLBACK (sparkline_update_accessible), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::warning",
                               G_CALLBACK (sparkline_metric_rules_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::critical",
                               G_CALLBACK (sparkline_metric_rules_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::history-size",
                               G_CALLBACK (sparkline_metric_rules_changed), self, G_CONNECT_SWAPPED);
    }

  health_gtk_widget_set_status (GTK_WIDGET (self),
                                metric != NULL ? health_metric_get_status (metric)
                                               : HEALTH_STATUS_UNKNOWN);
  sparkline_update_accessible (self);
  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_METRIC]);
}

/**
 * health_gtk_sparkline_get_monitor: (get-property monitor)
 * @self: a sparkline
 *
 * Gets the monitor whose samples redraw @self.
 *
 * Returns: (transfer none) (nullable): the monitor
 *
 * Since: 1.0
 */
HealthMonitor *
health_gtk_sparkline_get_monitor (HealthGtkSparkline *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_SPARKLINE (self), NULL);

  return self->monitor;
}

/**
 * health_gtk_sparkline_set_monitor: (set-property monitor)
 * @self: a sparkline
 * @monitor: (nullable): the monitor that samples the metric
 *
 * Sets the monitor whose [signal@Health.Monitor::sampled] signal redraws
 * @self; see [property@HealthGtk.Sparkline:monitor].
 *
 * Since: 1.0
 */
void
health_gtk_sparkline_set_monitor (HealthGtkSparkline *self,
                                  HealthMonitor      *monitor)
{
  g_return_if_fail (HEALTH_GTK_IS_SPARKLINE (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (self->monitor, self);

  g_set_object (&self->monitor, monitor);

  if (monitor != NULL)
    g_signal_connect_object (monitor, "sampled",
                             G_CALLBACK (gtk_widget_queue_draw), self, G_CONNECT_SWAPPED);

  gtk_widget_queue_draw (GTK_WIDGET (self));

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MONITOR]);
}
