/* health-gtk-metric-row.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "health-text-private.h"
#include "health-gtk-private.h"
#include "health-gtk-metric-row-private.h"
#include "health-gtk-sparkline.h"

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
 * Set [property@HealthGtk.MetricRow:monitor] to redraw the sparkline once
 * per sample of that monitor; see [class@HealthGtk.Sparkline].
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
  HealthMonitor *monitor;

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
  g_autofree char *label = self->metric != NULL ? health_gtk_metric_dup_label (self->metric) : g_strdup ("");

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
  g_autofree char *recommendation = NULL;

  if (self->metric != NULL)
    {
      status = health_metric_get_status (self->metric);
      /* A mirrored metric's advice comes from another process. */
      if (health_metric_get_recommendation (self->metric) != NULL)
        recommendation = health_text_sanitize (health_metric_get_recommendation (self->metric), -1);
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
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), recommendation);
  else
    gtk_widget_set_tooltip_text (GTK_WIDGET (self), NULL);
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

  if (self->metric != NULL)
    g_signal_handlers_disconnect_by_data (self->metric, self);
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
   * The monitor that samples [property@HealthGtk.MetricRow:metric], or
   * %NULL; passed on to the row's sparkline as
   * [property@HealthGtk.Sparkline:monitor].
   *
   * Since: 1.0
   */
  props[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         HEALTH_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "metricrow");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
health_gtk_metric_row_init (HealthGtkMetricRow *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 12);

  self->status_image = gtk_image_new ();
  gtk_widget_add_css_class (self->status_image, "status");
  gtk_widget_set_parent (self->status_image, GTK_WIDGET (self));

  self->label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (self->label), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (self->label, TRUE);
  gtk_widget_add_css_class (self->label, "title");
  gtk_widget_set_parent (self->label, GTK_WIDGET (self));

  self->sparkline = health_gtk_sparkline_new (NULL);
  gtk_widget_set_valign (self->sparkline, GTK_ALIGN_CENTER);
  gtk_widget_set_parent (self->sparkline, GTK_WIDGET (self));

  /* Wide enough for "1023.9 MiB", so values do not push the sparkline
   * around as they change. */
  self->value_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->value_label), 1);
  gtk_label_set_width_chars (GTK_LABEL (self->value_label), 10);
  gtk_widget_add_css_class (self->value_label, "value");
  gtk_widget_add_css_class (self->value_label, "numeric");
  gtk_widget_set_parent (self->value_label, GTK_WIDGET (self));

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

  if (self->metric == metric)
    return;

  if (self->metric != NULL)
    g_signal_handlers_disconnect_by_data (self->metric, self);

  g_set_object (&self->metric, metric);

  if (metric != NULL)
    {
      g_signal_connect_object (metric, "notify::value",
                               G_CALLBACK (metric_row_update_value), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::status",
                               G_CALLBACK (metric_row_update_status), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::recommendation",
                               G_CALLBACK (metric_row_update_status), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (metric, "notify::label",
                               G_CALLBACK (metric_row_update_label), self, G_CONNECT_SWAPPED);
    }

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
 * Gets the monitor whose samples redraw the row's sparkline.
 *
 * Returns: (transfer none) (nullable): the monitor
 *
 * Since: 1.0
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
 * the row's sparkline.
 *
 * Since: 1.0
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
