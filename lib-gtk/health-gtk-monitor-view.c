/* health-gtk-monitor-view.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "health-gtk-private.h"
#include "health-gtk-metric-row-private.h"
#include "health-gtk-monitor-view-private.h"

/**
 * HealthGtkMonitorView:
 *
 * Every metric of a [class@Health.Monitor], one [class@HealthGtk.MetricRow]
 * each, worst first.
 *
 * The view binds the monitor's [property@Health.Monitor:metrics] list
 * model, so rows appear and vanish as metrics are added and removed. Rows
 * are sorted by the severity of their metric's status, critical first and
 * unknown last; metrics of the same status keep the monitor's order. The
 * view sorts again when a status changes, once for all the changes of a
 * sample. Its sparklines redraw once per
 * [signal@Health.Monitor::sampled], following each metric's
 * [property@Health.Metric:monitor].
 *
 * Three lines embed it in any GTK 4 application:
 *
 * ```c
 * g_autoptr(HealthMonitor) monitor = health_monitor_new ();
 * health_monitor_start (monitor);
 * gtk_window_set_child (window, health_gtk_monitor_view_new (monitor));
 * ```
 *
 * The view keeps a reference on its monitor. It scrolls vertically when
 * given less than its natural height.
 *
 * Its rows line up as columns: every label, every sparkline and every
 * value starts at the same x in every row, whatever the widths of the
 * labels and values, and labels wrap rather than being cut when the view
 * is narrow.
 *
 * ## CSS nodes
 *
 * ```
 * monitorview
 * ╰── scrolledwindow
 *     ╰── viewport
 *         ╰── list.boxed-list
 *             ├── row
 *             ┊   ╰── metricrow
 * ```
 *
 * `HealthGtkMonitorView` has a CSS node named `monitorview`.
 *
 * Since: 1.0
 */

struct _HealthGtkMonitorView
{
  GtkWidget         parent_instance;

  HealthMonitor    *monitor;
  GListModel       *metrics;
  GSignalGroup     *metrics_signals;
  /* The metrics whose status is watched, in the order of @metrics, so
   * that a removal knows what to stop watching. */
  GPtrArray        *watched;
  GtkSorter        *sorter;
  GtkSortListModel *sorted;
  guint             resort_source;

  GtkWidget        *scrolled;
  GtkWidget        *list_box;

  /* Rows whose labels and values ask for the same widths are laid out
   * alike, so their sparklines line up. */
  GtkSizeGroup     *label_column;
  GtkSizeGroup     *value_column;
};

G_DEFINE_FINAL_TYPE (HealthGtkMonitorView, health_gtk_monitor_view, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_MONITOR,
  LAST_PROP
};

static GParamSpec *props[LAST_PROP];

static int
view_compare_severity (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  HealthStatus status_a = health_metric_get_status ((HealthMetric *) a);
  HealthStatus status_b = health_metric_get_status ((HealthMetric *) b);

  /* Statuses are declared in order of severity. Equal ones compare equal
   * and GtkSortListModel then keeps the order of the monitor's model. */
  if (status_a > status_b)
    return GTK_ORDERING_SMALLER;
  if (status_a < status_b)
    return GTK_ORDERING_LARGER;

  return GTK_ORDERING_EQUAL;
}

static gboolean
view_resort (gpointer user_data)
{
  HealthGtkMonitorView *self = user_data;

  self->resort_source = 0;
  gtk_sorter_changed (self->sorter, GTK_SORTER_CHANGE_DIFFERENT);

  return G_SOURCE_REMOVE;
}

static void
view_status_changed (HealthGtkMonitorView *self)
{
  /* A sample changes many statuses at once: sort once, before the next
   * frame (idles at this priority run before GTK lays out and paints). */
  if (self->resort_source == 0)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      g_source_set_priority (source, G_PRIORITY_HIGH_IDLE);
      g_source_set_callback (source, view_resort, self, NULL);
      g_source_set_static_name (source, "[health-gtk] sort monitor view");
      self->resort_source = g_source_attach (source, NULL);
    }
}

static void
view_metrics_changed (HealthGtkMonitorView *self,
                      guint                 position,
                      guint                 removed,
                      guint                 added,
                      GListModel           *model)
{
  for (guint i = position; i < position + removed; i++)
    g_signal_handlers_disconnect_by_func (g_ptr_array_index (self->watched, i),
                                          view_status_changed, self);
  g_ptr_array_remove_range (self->watched, position, removed);

  for (guint i = 0; i < added; i++)
    {
      HealthMetric *metric = g_list_model_get_item (model, position + i);

      g_signal_connect_object (metric, "notify::status",
                               G_CALLBACK (view_status_changed), self, G_CONNECT_SWAPPED);
      g_ptr_array_insert (self->watched, position + i, metric);
    }
}

static GtkWidget *
view_create_row (gpointer item,
                 gpointer user_data)
{
  HealthGtkMonitorView *self = user_data;
  GtkWidget *metric_row;
  GtkWidget *row;

  metric_row = health_gtk_metric_row_new (HEALTH_METRIC (item));
  gtk_size_group_add_widget (self->label_column,
                             GTK_WIDGET (health_gtk_metric_row_get_label_widget (HEALTH_GTK_METRIC_ROW (metric_row))));
  gtk_size_group_add_widget (self->value_column,
                             GTK_WIDGET (health_gtk_metric_row_get_value_widget (HEALTH_GTK_METRIC_ROW (metric_row))));

  /* Rows only show: nothing happens on activation. */
  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), metric_row);

  return row;
}

static void
view_unbind (HealthGtkMonitorView *self)
{
  g_clear_handle_id (&self->resort_source, g_source_remove);

  if (self->list_box != NULL)
    gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), NULL, NULL, NULL, NULL);

  g_signal_group_set_target (self->metrics_signals, NULL);
  if (self->metrics != NULL)
    view_metrics_changed (self, 0, self->watched->len, 0, self->metrics);

  g_clear_object (&self->sorted);
  g_clear_object (&self->metrics);
}

static void
view_bind (HealthGtkMonitorView *self)
{
  self->metrics = g_object_ref (health_monitor_get_metrics (self->monitor));
  g_signal_group_set_target (self->metrics_signals, self->metrics);
  view_metrics_changed (self, 0, 0, g_list_model_get_n_items (self->metrics), self->metrics);

  self->sorted = gtk_sort_list_model_new (g_object_ref (self->metrics),
                                          g_object_ref (self->sorter));
  gtk_list_box_bind_model (GTK_LIST_BOX (self->list_box), G_LIST_MODEL (self->sorted),
                           view_create_row, self, NULL);
}

static void
health_gtk_monitor_view_root (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (health_gtk_monitor_view_parent_class)->root (widget);

  health_gtk_init_for_display (gtk_widget_get_display (widget));
}

static void
health_gtk_monitor_view_dispose (GObject *object)
{
  HealthGtkMonitorView *self = HEALTH_GTK_MONITOR_VIEW (object);

  view_unbind (self);
  g_clear_object (&self->monitor);
  g_clear_object (&self->sorter);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->label_column);
  g_clear_object (&self->value_column);
  self->list_box = NULL;

  G_OBJECT_CLASS (health_gtk_monitor_view_parent_class)->dispose (object);
}

static void
health_gtk_monitor_view_finalize (GObject *object)
{
  HealthGtkMonitorView *self = HEALTH_GTK_MONITOR_VIEW (object);

  g_clear_pointer (&self->watched, g_ptr_array_unref);
  g_clear_object (&self->metrics_signals);

  G_OBJECT_CLASS (health_gtk_monitor_view_parent_class)->finalize (object);
}

static void
health_gtk_monitor_view_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  HealthGtkMonitorView *self = HEALTH_GTK_MONITOR_VIEW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      g_value_set_object (value, health_gtk_monitor_view_get_monitor (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_monitor_view_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  HealthGtkMonitorView *self = HEALTH_GTK_MONITOR_VIEW (object);

  switch (prop_id)
    {
    case PROP_MONITOR:
      health_gtk_monitor_view_set_monitor (self, g_value_get_object (value));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_gtk_monitor_view_class_init (HealthGtkMonitorViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_gtk_monitor_view_dispose;
  object_class->finalize = health_gtk_monitor_view_finalize;
  object_class->get_property = health_gtk_monitor_view_get_property;
  object_class->set_property = health_gtk_monitor_view_set_property;

  widget_class->root = health_gtk_monitor_view_root;

  /**
   * HealthGtkMonitorView:monitor: (attributes org.gtk.Property.get=health_gtk_monitor_view_get_monitor org.gtk.Property.set=health_gtk_monitor_view_set_monitor)
   *
   * The monitor whose metrics the view shows, or %NULL for none.
   *
   * Since: 1.0
   */
  props[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         HEALTH_TYPE_MONITOR,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "monitorview");
}

static void
health_gtk_monitor_view_init (HealthGtkMonitorView *self)
{
  GtkWidget *placeholder;

  self->watched = g_ptr_array_new_with_free_func (g_object_unref);
  self->metrics_signals = g_signal_group_new (G_TYPE_LIST_MODEL);
  g_signal_group_connect_swapped (self->metrics_signals, "items-changed",
                                  G_CALLBACK (view_metrics_changed), self);
  self->sorter = GTK_SORTER (gtk_custom_sorter_new (view_compare_severity, NULL, NULL));
  self->label_column = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);
  self->value_column = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

  self->list_box = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list_box), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list_box, "boxed-list");
  gtk_widget_set_valign (self->list_box, GTK_ALIGN_START);

  placeholder = gtk_label_new (_("No metrics"));
  gtk_widget_add_css_class (placeholder, "dim-label");
  gtk_widget_add_css_class (placeholder, "placeholder");
  gtk_list_box_set_placeholder (GTK_LIST_BOX (self->list_box), placeholder);

  /* Natural height shows every row; less than that scrolls. */
  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (self->scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), self->list_box);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));
}

/**
 * health_gtk_monitor_view_new:
 * @monitor: (nullable): the monitor to show
 *
 * Creates a view of every metric of @monitor.
 *
 * Returns: the new view
 *
 * Since: 1.0
 */
GtkWidget *
health_gtk_monitor_view_new (HealthMonitor *monitor)
{
  g_return_val_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor), NULL);

  return g_object_new (HEALTH_GTK_TYPE_MONITOR_VIEW,
                       "monitor", monitor,
                       NULL);
}

/**
 * health_gtk_monitor_view_get_monitor: (get-property monitor)
 * @self: a monitor view
 *
 * Gets the monitor whose metrics @self shows.
 *
 * Returns: (transfer none) (nullable): the monitor
 *
 * Since: 1.0
 */
HealthMonitor *
health_gtk_monitor_view_get_monitor (HealthGtkMonitorView *self)
{
  g_return_val_if_fail (HEALTH_GTK_IS_MONITOR_VIEW (self), NULL);

  return self->monitor;
}

/**
 * health_gtk_monitor_view_set_monitor: (set-property monitor)
 * @self: a monitor view
 * @monitor: (nullable): the monitor to show
 *
 * Sets the monitor whose metrics @self shows.
 *
 * Since: 1.0
 */
void
health_gtk_monitor_view_set_monitor (HealthGtkMonitorView *self,
                                     HealthMonitor        *monitor)
{
  g_return_if_fail (HEALTH_GTK_IS_MONITOR_VIEW (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  view_unbind (self);
  g_set_object (&self->monitor, monitor);
  if (monitor != NULL)
    view_bind (self);

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MONITOR]);
}

GtkListBox *
health_gtk_monitor_view_get_list_box (HealthGtkMonitorView *self)
{
  return GTK_LIST_BOX (self->list_box);
}

GListModel *
health_gtk_monitor_view_get_model (HealthGtkMonitorView *self)
{
  return self->sorted != NULL ? G_LIST_MODEL (self->sorted) : NULL;
}
