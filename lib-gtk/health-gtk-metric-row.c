/* health-gtk-metric-row.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "health-gtk-private.h"
#include "health-gtk-metric-row-private.h"
#include "health-gtk-sparkline.h"
#include "health-text-private.h"

/**
 * HealthGtkMetricRow:
 *
 * One [class@Health.Metric] at a glance: its status icon, its label, a
 * [class@HealthGtk.Sparkline] of its history and its value, formatted by
 * [method@Health.Metric.format_value] ("93.1 %", "1.5 GiB").
 *
 * The row follows the metric's notifications: the value label changes
 * with [property@Health.Metric:value], the icon and the style class with
 * [property@Health.Metric:status]. While the metric is at
 * %HEALTH_STATUS_WARNING or worse, the row's tooltip is the metric's
 * [property@Health.Metric:recommendation].
 *
 * Its sparkline redraws once per sample of the monitor the metric belongs
 * to; see [class@HealthGtk.Sparkline].
 *
 * The label, the value and the tooltip may come from another process (a
 * remote monitor, an app): the row shows them without control
 * characters, bidi overrides or invalid UTF-8.
 *
 * ## CSS nodes
 *
 * ```
 * metricrow[.unknown][.good][.warning][.critical]
 * ├── image.status
 * ├── label.title
 * ├── sparkline
 * ╰── label.value
 * ```
 *
 * `HealthGtkMetricRow` has a CSS node named `metricrow` with the style
 * class of the metric's status.
 *
 * ## Accessibility
 *
 * `HealthGtkMetricRow` uses the %GTK_ACCESSIBLE_ROLE_GROUP role, labelled
 * by the metric's label.
 *
 * Since: 1.0
 */

struct _HealthGtkMetricRow
{
  GtkWidget      parent_instance;

  HealthMetric  *metric;
  HealthMonitor *monitor;         /* deprecated, passed on to the sparkline */
  GSignalGroup  *metric_signals;

  GtkWidget     *status_image;
  GtkWidget     *label;
  GtkWidget     *sparkline;
  GtkWidget     *value_label;
};

G_DEFINE_FINAL_TYPE (HealthGtkMetricRow, health_gtk_metric_row, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_METRIC,
  PROP_MONITOR,
  LAST_PROP
};

static GParamSpec *props[LAST_PROP];

static void
metric_row_update_value (HealthGtkMetricRow *self)
{
  g_autofree char *text = NULL;

  if (self->metric != NULL)
    text = health_gtk_metric_format_value (self->metric, health_metric_get_value (self->metric));

  gtk_label_set_text (GTK_LABEL (self->value_label), text != NULL ? text : "");
}

static void
metric_row_update_label (HealthGtkMetricRow *self)
{
  g_autofree char *label = self->metric != NULL ? health_gtk_metric_dup_label (self->metric)
                                                 : g_strdup ("");

  gtk_label_set_text (GTK_LABEL (self->label), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, label,
                                  -1);
}

static void
metric_row_update_status (HealthGtkMetricRow *self)
{
  g_autoptr(GIcon) icon = NULL;
  HealthStatus status = HEALTH_STATUS_UNKNOWN;
  GdkDisplay *display;
  const char *recommendation = NULL;

  if (self->metric != NULL)
    {
      status = health_metric_get_status (self->metric);
      recommendation = health_metric_get_recommendation (self->metric);
    }

  /* Unrooted rows are on the default display: ready its icons too. */
  display = gtk_widget_get_display (GTK_WIDGET (self));
  health_gtk_init_for_display (display);
  icon = health_gtk_status_dup_icon (status, gtk_icon_theme_get_for_display (display));
  gtk_image_set_from_gicon (GTK_IMAGE (self->status_image), icon);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->status_image),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, health_status_to_label (status),
                                  -1);
  health_gtk_widget_set_status (GTK_WIDGET (self), status);

  /* What to do matters only while something is wrong. */
  if (status >= HEALTH_STATUS_WARNING && recommendation != NULL && *recommendation != '\0')
    {
      g_autofree char *tooltip = health_text_sanitize (recommendation, -1);

      gtk_widget_set_tooltip_text (GTK_WIDGET (self), tooltip);
    }
  else
    {
      gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
    }
}

static void
health_gtk_metric_row_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (health_gtk_metric_row_parent_class)->root (widget);

  /* The icon depends on the icon theme of the display it now lives on. */
  metric_row_update_status (HEALTH_GTK_METRIC_ROW (widget));
}

static void
health_gtk_metric_row_dispose (GObject *object)
{
  HealthGtkMetricRow *self = HEALTH_GTK_METRIC_ROW (object);
  GtkWidget *child;

  /* The group stays until finalize, so setters called after dispose
   * still find it. */
  g_signal_group_set_target (self->metric_signals, NULL);
  g_clear_object (&self->metric);
  g_clear_object (&self->monitor);

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);

  self->status_image = NULL;
  self->label = NULL;
  self->sparkline = NULL;
  self->value_label = NULL;

  G_OBJECT_CLASS (health_gtk_metric_row_parent_class)->dispose (object);
}

static void
health_gtk_metric_row_finalize (GObject *object)
{
  HealthGtkMetricRow *self = HEALTH_GTK_METRIC_ROW (object);

  g_clear_object (&self->metric_signals);

  G_OBJECT_CLASS (health_gtk_metric_row_parent_class)->finalize (object);
}

static void
health_gtk_metric_row_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  HealthGtkMetricRow *self = HEALTH_GTK_METRIC_ROW (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      g_value_set_object (value, health_gtk_metric_row_get_metric (self));
      break;

    case PROP_MONITOR:
      g_value_set_object (value, health_gtk_metric_row_get_monitor (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_metric_row_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  HealthGtkMetricRow *self = HEALTH_GTK_METRIC_ROW (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      health_gtk_metric_row_set_metric (self, g_value_get_object (value));
      break;

    case PROP_MONITOR:
      health_gtk_metric_row_set_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_metric_row_class_init (HealthGtkMetricRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_gtk_metric_row_dispose;
  object_class->finalize = health_gtk_metric_row_finalize;
  object_class->get_property = health_gtk_metric_row_get_property;
  object_class->set_property = health_gtk_metric_row_set_property;

  widget_class->root = health_gtk_metric_row_root;

  /**
   * HealthGtkMetricRow:metric: (attributes org.gtk.Property.get=health_gtk_metric_row_get_metric org.gtk.Property.set=health_gtk_metric_row_set_metric)
   *
   * The metric the row shows, or %NULL for an empty row.
   *
   * Since: 1.0
   */
  props[PROP_METRIC] =
    g_param_spec_object ("metric", NULL, NULL,
                         HEALTH_TYPE_METRIC,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthGtkMetricRow:monitor: (attributes org.gtk.Property.get=health_gtk_metric_row_get_monitor org.gtk.Property.set=health_gtk_metric_row_set_monitor)
   *
   * A monitor whose samples redraw the row's sparkline in place of the
   * one [property@HealthGtk.MetricRow:metric] belongs to, or %NULL;
   * passed on as [property@HealthGtk.Sparkline:monitor].
   *
   * Since: 1.0
   *
   * Deprecated: 1.0: The sparkline follows the monitor of its metric,
   *   [property@Health.Metric:monitor]; leave this unset.
   */
  props[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         HEALTH_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS |
                         G_PARAM_DEPRECATED);

  g_object_class_install_properties (object_class, LAST_PROP, props);

  /* A grid, not a box: with a label that wraps, GtkBoxLayout in GTK 4.8
   * asks for less height with no width given than for a wide one, which
   * GTK reports as a critical; one row of a grid measures right. */
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_GRID_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "metricrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
metric_row_set_column (HealthGtkMetricRow *self,
                       GtkWidget          *child,
                       int                 column)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_grid_layout_child_set_column (GTK_GRID_LAYOUT_CHILD (gtk_layout_manager_get_layout_child (layout, child)),
                                    column);
}

static void
health_gtk_metric_row_init (HealthGtkMetricRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  self->metric_signals = g_signal_group_new (HEALTH_TYPE_METRIC);
  g_signal_group_connect_swapped (self->metric_signals, "notify::value",
                                  G_CALLBACK (metric_row_update_value), self);
  g_signal_group_connect_swapped (self->metric_signals, "notify::status",
                                  G_CALLBACK (metric_row_update_status), self);
  g_signal_group_connect_swapped (self->metric_signals, "notify::recommendation",
                                  G_CALLBACK (metric_row_update_status), self);
  g_signal_group_connect_swapped (self->metric_signals, "notify::label",
                                  G_CALLBACK (metric_row_update_label), self);

  gtk_grid_layout_set_column_spacing (GTK_GRID_LAYOUT (layout), 12);

  self->status_image = gtk_image_new ();
  gtk_widget_add_css_class (self->status_image, "status");
  gtk_widget_set_parent (self->status_image, GTK_WIDGET (self));
  metric_row_set_column (self, self->status_image, 0);

  /* A narrow row wraps the label rather than cut it: "Memory Us…" says
   * less than two lines. Whole words first, characters only for a word
   * wider than the column. */
  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (self->label), PANGO_WRAP_WORD_CHAR);
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_widget_set_valign (self->label, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->label, "title");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));
  metric_row_set_column (self, self->label, 1);

  self->sparkline = health_gtk_sparkline_new (NULL);
  gtk_widget_set_valign (self->sparkline, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->sparkline, GTK_WIDGET (self));
  metric_row_set_column (self, self->sparkline, 2);

  /* Wide enough for "1023.9 MiB", with tabular figures (style.css), so
   * values do not push the sparkline around as they change; a view puts
   * all its values in one size group for the rare wider one. */
  self->value_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->value_label), 1);
  gtk_widget_set_valign (self->value_label, GTK_ALIGN_CENTER);
  gtk_label_set_width_chars (GTK_LABEL (self->value_label), 10);
  gtk_widget_add_css_class (self->value_label, "value");
  gtk_widget_add_css_class (self->value_label, "numeric");
  gtk_widget_set_parent (self->value_label, GTK_WIDGET (self));
  metric_row_set_column (self, self->value_label, 3);

  gtk_accessible_update_relation (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, self->label, NULL,
                                  -1);

  metric_row_update_label (self);
  metric_row_update_value (self);
  metric_row_update_status (self);
}

/**
 * health_gtk_metric_row_new:
 * @metric: (nullable): the metric to show
 *
 * Creates a row showing @metric.
 *
 * Returns: the new row
 *
 * Since: 1.0
 */
GtkWidget *
health_gtk_metric_row_new (HealthMetric *metric)
{
  g_return_val_if_fail (metric == NULL || HEALTH_IS_METRIC (metric), NULL);

  return g_object_new (HEALTH_GTK_TYPE_METRIC_ROW,
                       "metric", metric,
                       NULL);
}

/**
 * health_gtk_metric_row_get_metric: (get-property metric)
 * @self: a metric row
 *
 * Gets the metric @self shows.
 *
 * Returns: (transfer none) (nullable): the metric
 *
 * Since: 1.0
 */
HealthMetric *
health_gtk_metric_row_get_metric (HealthGtkMetricRow *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_METRIC_ROW (self), NULL);

  return self->metric;
}

/**
 * health_gtk_metric_row_set_metric: (set-property metric)
 * @self: a metric row
 * @metric: (nullable): the metric to show
 *
 * Sets the metric @self shows.
 *
 * Since: 1.0
 */
void
health_gtk_metric_row_set_metric (HealthGtkMetricRow *self,
                                  HealthMetric       *metric)
{
  g_return_if_fail (HEALTH_GTK_IS_METRIC_ROW (self));
  g_return_if_fail (metric == NULL || HEALTH_IS_METRIC (metric));

  if (!g_set_object (&self->metric, metric))
    return;

  g_signal_group_set_target (self->metric_signals, metric);

  health_gtk_sparkline_set_metric (HEALTH_GTK_SPARKLINE (self->sparkline), metric);
  metric_row_update_label (self);
  metric_row_update_value (self);
  metric_row_update_status (self);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_METRIC]);
}

/**
 * health_gtk_metric_row_get_monitor: (get-property monitor)
 * @self: a metric row
 *
 * Gets the monitor set with [method@HealthGtk.MetricRow.set_monitor].
 *
 * Returns: (transfer none) (nullable): the monitor
 *
 * Since: 1.0
 *
 * Deprecated: 1.0: Use [method@Health.Metric.get_monitor] on the row's
 *   metric.
 */
HealthMonitor *
health_gtk_metric_row_get_monitor (HealthGtkMetricRow *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_METRIC_ROW (self), NULL);

  return self->monitor;
}

/**
 * health_gtk_metric_row_set_monitor: (set-property monitor)
 * @self: a metric row
 * @monitor: (nullable): the monitor that samples the metric
 *
 * Sets the monitor whose [signal@Health.Monitor::sampled] signal redraws
 * the row's sparkline in place of its metric's.
 *
 * Since: 1.0
 *
 * Deprecated: 1.0: The sparkline follows the monitor of its metric.
 */
void
health_gtk_metric_row_set_monitor (HealthGtkMetricRow *self,
                                   HealthMonitor      *monitor)
{
  g_return_if_fail (HEALTH_GTK_IS_METRIC_ROW (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  if (!g_set_object (&self->monitor, monitor))
    return;

  health_gtk_sparkline_set_monitor (HEALTH_GTK_SPARKLINE (self->sparkline), monitor);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MONITOR]);
}

GtkLabel *
health_gtk_metric_row_get_label_widget (HealthGtkMetricRow *self)
{
  return GTK_LABEL (self->label);
}

GtkLabel *
health_gtk_metric_row_get_value_widget (HealthGtkMetricRow *self)
{
  return GTK_LABEL (self->value_label);
}

GtkImage *
health_gtk_metric_row_get_status_image (HealthGtkMetricRow *self)
{
  return GTK_IMAGE (self->status_image);
}

HealthGtkSparkline *
health_gtk_metric_row_get_sparkline (HealthGtkMetricRow *self)
{
  return HEALTH_GTK_SPARKLINE (self->sparkline);
}
