/* health-history-page.c: a metric's history from the applet's journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A metric (from the mirrored monitor, for its label, unit and
 * thresholds), a range (the last hour, day, week or month) and a
 * HealthGtkHistoryChart fed by the journal: no more points are asked for
 * than the chart has pixels, and the journal answers from the tier that
 * fits (every sample for an hour, min/mean/max per minute or per quarter
 * of an hour beyond), so a month costs what an hour does.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <health-gtk.h>

#include "health-history-page.h"
#include "health-window-util.h"

/* The least worth asking for. */
#define MIN_POINTS 60

struct _HealthHistoryPage
{
  GtkWidget      parent_instance;

  GSettings     *settings;
  HealthMonitor *monitor;
  HealthJournal *journal;
  GCancellable  *cancellable;
  GTimeSpan      span;
  guint          layout_tick;

  GtkWidget     *stack;
  GtkWidget     *journal_status;
  GtkWidget     *metric_chooser;
  GtkWidget     *chart;
};

G_DEFINE_FINAL_TYPE (HealthHistoryPage, health_history_page, GTK_TYPE_WIDGET)

static const struct
{
  GTimeSpan   span;
  const char *label;
  const char *description;
} ranges[] = {
  { G_TIME_SPAN_HOUR, N_("1 h"), N_("The last hour") },
  { G_TIME_SPAN_DAY, N_("24 h"), N_("The last 24 hours") },
  { 7 * G_TIME_SPAN_DAY, N_("7 d"), N_("The last 7 days") },
  { 30 * G_TIME_SPAN_DAY, N_("30 d"), N_("The last 30 days") },
};

static HealthMetric *
history_get_metric (HealthHistoryPage *self)
{
  return gtk_drop_down_get_selected_item (GTK_DROP_DOWN (self->metric_chooser));
}

static void
history_show_journal_status (HealthHistoryPage *self)
{
  if (self->journal == NULL)
    health_journal_status_show (GTK_STACK (self->stack), &self->journal_status, self->settings);
}

static void
on_points_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GPtrArray) points = NULL;
  g_autoptr(GError) error = NULL;
  HealthHistoryPage *self;
  gint64 *range;

  points = health_journal_query_finish (HEALTH_JOURNAL (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (points == NULL)
    {
      g_warning ("Cannot read the history of the journal: %s", error->message);
      return;
    }

  range = g_object_get_data (G_OBJECT (self->cancellable), "range");
  g_debug ("History page: %u points of %s", points->len,
           (const char *) g_object_get_data (G_OBJECT (self->cancellable), "metric-id"));
  health_gtk_history_chart_set_range (HEALTH_GTK_HISTORY_CHART (self->chart), range[0], range[1]);
  health_gtk_history_chart_set_points (HEALTH_GTK_HISTORY_CHART (self->chart), points);
}

static gboolean
on_layout_tick (GtkWidget     *chart,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  HealthHistoryPage *self = user_data;

  if (gtk_widget_get_width (chart) == 0)
    return G_SOURCE_CONTINUE;

  self->layout_tick = 0;
  health_history_page_refresh (self);

  return G_SOURCE_REMOVE;
}

void
health_history_page_refresh (HealthHistoryPage *self)
{
  HealthMetric *metric;
  gint64 *range;
  int width;

  g_return_if_fail (HEALTH_IS_HISTORY_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->journal == NULL)
    {
      history_show_journal_status (self);
      return;
    }

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "chart");

  metric = history_get_metric (self);
  health_gtk_history_chart_set_metric (HEALTH_GTK_HISTORY_CHART (self->chart), metric);
  if (metric == NULL || !gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;

  /* Asked for once the chart knows how many pixels it has to fill. */
  width = gtk_widget_get_width (self->chart);
  if (width == 0)
    {
      if (self->layout_tick == 0)
        self->layout_tick = gtk_widget_add_tick_callback (self->chart, on_layout_tick, self, NULL);
      return;
    }

  range = g_new (gint64, 2);
  range[1] = g_get_real_time ();
  range[0] = range[1] - self->span;

  self->cancellable = g_cancellable_new ();
  g_object_set_data_full (G_OBJECT (self->cancellable), "range", range, g_free);
  g_object_set_data_full (G_OBJECT (self->cancellable), "metric-id",
                          g_strdup (health_metric_get_id (metric)), g_free);
  health_journal_query_async (self->journal, health_metric_get_id (metric), range[0], range[1],
                              MAX (MIN_POINTS, width),
                              self->cancellable, on_points_ready, self);
}

static void
on_range_toggled (GtkToggleButton   *button,
                  HealthHistoryPage *self)
{
  if (!gtk_toggle_button_get_active (button))
    return;

  self->span = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (button), "span")) * G_USEC_PER_SEC;
  health_history_page_refresh (self);
}

void
health_history_page_set_monitor (HealthHistoryPage *self,
                                 HealthMonitor     *monitor)
{
  g_return_if_fail (HEALTH_IS_HISTORY_PAGE (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  if (!g_set_object (&self->monitor, monitor))
    return;

  gtk_drop_down_set_model (GTK_DROP_DOWN (self->metric_chooser),
                           monitor != NULL ? health_monitor_get_metrics (monitor) : NULL);
  health_history_page_refresh (self);
}

void
health_history_page_set_journal (HealthHistoryPage *self,
                                 HealthJournal     *journal)
{
  g_return_if_fail (HEALTH_IS_HISTORY_PAGE (self));
  g_return_if_fail (journal == NULL || HEALTH_IS_JOURNAL (journal));

  if (g_set_object (&self->journal, journal) || journal == NULL)
    health_history_page_refresh (self);
}

static void
health_history_page_dispose (GObject *object)
{
  HealthHistoryPage *self = HEALTH_HISTORY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->layout_tick != 0)
    gtk_widget_remove_tick_callback (self->chart, self->layout_tick);
  self->layout_tick = 0;
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_object (&self->journal);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (health_history_page_parent_class)->dispose (object);
}

static void
health_history_page_class_init (HealthHistoryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_history_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static GtkWidget *
build_range_buttons (HealthHistoryPage *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GtkToggleButton *first = NULL;

  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_halign (box, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Range"), -1);

  for (guint i = 0; i < G_N_ELEMENTS (ranges); i++)
    {
      GtkWidget *button = gtk_toggle_button_new_with_label (_(ranges[i].label));

      gtk_widget_set_tooltip_text (button, _(ranges[i].description));
      gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _(ranges[i].description), -1);
      g_object_set_data (G_OBJECT (button), "span", GSIZE_TO_POINTER (ranges[i].span / G_USEC_PER_SEC));
      if (first != NULL)
        gtk_toggle_button_set_group (GTK_TOGGLE_BUTTON (button), first);
      else
        first = GTK_TOGGLE_BUTTON (button);
      g_signal_connect (button, "toggled", G_CALLBACK (on_range_toggled), self);
      gtk_box_append (GTK_BOX (box), button);
    }

  /* A day: long enough to see yesterday's evening, fine enough for an hour's spike. */
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (gtk_widget_get_next_sibling (GTK_WIDGET (first))), TRUE);

  return box;
}

static void
health_history_page_init (HealthHistoryPage *self)
{
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkExpression *label = gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                      G_CALLBACK (health_window_dup_label), NULL, NULL);

  self->span = G_TIME_SPAN_DAY;
  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  self->metric_chooser = gtk_drop_down_new (NULL, label);
  gtk_widget_set_halign (self->metric_chooser, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->metric_chooser), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Metric"), -1);
  g_signal_connect_swapped (self->metric_chooser, "notify::selected",
                            G_CALLBACK (health_history_page_refresh), self);
  g_signal_connect_swapped (self, "map", G_CALLBACK (health_history_page_refresh), self);

  self->chart = health_gtk_history_chart_new ();
  gtk_widget_set_vexpand (self->chart, TRUE);
  gtk_widget_set_size_request (self->chart, -1, 240);

  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 18);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_box_append (GTK_BOX (box), self->metric_chooser);
  gtk_box_append (GTK_BOX (box), build_range_buttons (self));
  gtk_box_append (GTK_BOX (box), self->chart);

  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1000);
  adw_clamp_set_child (ADW_CLAMP (clamp), box);
  gtk_stack_add_named (GTK_STACK (self->stack), clamp, "chart");
}

GtkWidget *
health_history_page_new (GSettings *settings)
{
  HealthHistoryPage *self = g_object_new (HEALTH_TYPE_HISTORY_PAGE, NULL);

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_swapped (settings, "changed::record-history",
                                G_CALLBACK (history_show_journal_status), self);
    }
  history_show_journal_status (self);

  return GTK_WIDGET (self);
}
