/* health-alerts-page.c: the log of alerts and recoveries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Reads the last 30 days of alerts from the applet's journal, newest
 * first, each with the recovery that ended it ("recovered 14:05") or
 * "ongoing". The journal stores ids and numbers; labels, units and
 * condition names come from the mirrored monitor, so the log speaks the
 * window's language whatever the applet's was.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-alerts-page.h"
#include "health-window-util.h"

#define LOG_SPAN   (30 * G_TIME_SPAN_DAY)
/* A log beyond this many rows is for `health-monitor history --alerts`. */
#define MAX_ROWS   200

struct _HealthAlertsPage
{
  GtkWidget      parent_instance;

  GSettings     *settings;
  HealthMonitor *monitor;
  HealthJournal *journal;
  GCancellable  *cancellable;
  GPtrArray     *alerts;          /* HealthJournalAlert, oldest first */

  GtkWidget     *stack;
  GtkWidget     *journal_status;
  GtkWidget     *list_page;
  GtkWidget     *list_group;
  GPtrArray     *list_rows;       /* borrowed */
};

G_DEFINE_FINAL_TYPE (HealthAlertsPage, health_alerts_page, GTK_TYPE_WIDGET)

static GtkWidget *
alert_row_new (HealthAlertsPage         *self,
               const HealthJournalAlert *alert,
               const gint64             *recovered_us,
               gint64                    now_us)
{
  HealthMetric *metric = self->monitor != NULL ? health_monitor_get_metric (self->monitor, alert->metric_id) : NULL;
  const char *condition = metric != NULL ? health_metric_get_condition (metric) : NULL;
  const char *title = health_condition_get_title (condition);
  g_autofree char *label = health_window_dup_text (metric != NULL ? health_metric_get_label (metric)
                                                                    : alert->metric_id);
  g_autofree char *culprit = health_window_dup_text (alert->culprit);
  g_autofree char *value = NULL;
  g_autofree char *time = health_window_format_time (alert->time_us, now_us);
  g_autofree char *ended = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name (health_status_get_icon_name (alert->status));
  GtkWidget *when = gtk_label_new (time);

  if (metric != NULL)
    value = health_window_format_value (metric, alert->value);
  else
    value = g_strdup_printf ("%g", alert->value);

  if (recovered_us != NULL)
    {
      g_autofree char *at = health_window_format_time (*recovered_us, now_us);

      /* Translators: when an alert ended, %s is a time such as “14:05”. */
      ended = g_strdup_printf (_("recovered %s"), at);
    }
  else
    /* Translators: an alert that has not ended. */
    ended = g_strdup (_("ongoing"));

  /* Translators: a line of the alert log: a metric's label, its value
   * then, its status and when the alert ended, as in “Memory Usage
   * 95.0 %, Critical, recovered 14:05”. */
  g_string_printf (subtitle, _("%s %s, %s, %s"), label, value, health_status_to_label (alert->status), ended);
  if (culprit != NULL && *culprit != '\0')
    {
      g_string_append_c (subtitle, '\n');
      /* Translators: the process most responsible for an alert, as in
       * “Largest user: firefox (4242) 3.1 GiB”. */
      g_string_append_printf (subtitle, _("Largest user: %s"), culprit);
    }

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title != NULL ? title : label);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  health_status_to_label (alert->status), -1);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
  gtk_widget_add_css_class (when, "numeric");
  gtk_widget_add_css_class (when, "dim-label");
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), when);

  return row;
}

static void
alerts_rebuild (HealthAlertsPage *self)
{
  g_autoptr(GHashTable) recoveries = g_hash_table_new (g_str_hash, g_str_equal);
  gint64 now_us = g_get_real_time ();
  guint n_rows = 0;

  for (guint i = 0; i < self->list_rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self->list_group),
                                  g_ptr_array_index (self->list_rows, i));
  g_ptr_array_set_size (self->list_rows, 0);

  if (self->journal == NULL)
    {
      health_journal_status_show (GTK_STACK (self->stack), &self->journal_status, self->settings);
      return;
    }

  /* Newest first; walking back in time, the latest recovery seen of a
   * metric is the first one after each of its older alerts. */
  for (guint i = self->alerts != NULL ? self->alerts->len : 0; i > 0 && n_rows < MAX_ROWS; i--)
    {
      HealthJournalAlert *alert = g_ptr_array_index (self->alerts, i - 1);
      GtkWidget *row;

      if (alert->status == HEALTH_STATUS_GOOD)
        {
          g_hash_table_insert (recoveries, alert->metric_id, &alert->time_us);
          continue;
        }

      row = alert_row_new (self, alert, g_hash_table_lookup (recoveries, alert->metric_id), now_us);
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self->list_group), row);
      g_ptr_array_add (self->list_rows, row);
      n_rows++;
    }

  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), n_rows > 0 ? "list" : "empty");
}

static void
on_alerts_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  HealthAlertsPage *self;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;

  alerts = health_journal_query_alerts_finish (HEALTH_JOURNAL (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  if (alerts == NULL)
    {
      g_warning ("Cannot read the alerts of the journal: %s", error->message);
      return;
    }

  g_debug ("Alerts page: %u alerts and recoveries", alerts->len);
  g_clear_pointer (&self->alerts, g_ptr_array_unref);
  self->alerts = g_steal_pointer (&alerts);
  alerts_rebuild (self);
}

void
health_alerts_page_refresh (HealthAlertsPage *self)
{
  gint64 now_us = g_get_real_time ();

  g_return_if_fail (HEALTH_IS_ALERTS_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->journal == NULL)
    {
      g_clear_pointer (&self->alerts, g_ptr_array_unref);
      alerts_rebuild (self);
      return;
    }

  self->cancellable = g_cancellable_new ();
  health_journal_query_alerts_async (self->journal, now_us - LOG_SPAN, now_us + G_USEC_PER_SEC,
                                     self->cancellable, on_alerts_ready, self);
}

void
health_alerts_page_set_monitor (HealthAlertsPage *self,
                                HealthMonitor    *monitor)
{
  g_return_if_fail (HEALTH_IS_ALERTS_PAGE (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  /* Only for labels and units: the rows are remade with them. */
  if (g_set_object (&self->monitor, monitor))
    alerts_rebuild (self);
}

void
health_alerts_page_set_journal (HealthAlertsPage *self,
                                HealthJournal    *journal)
{
  g_return_if_fail (HEALTH_IS_ALERTS_PAGE (self));
  g_return_if_fail (journal == NULL || HEALTH_IS_JOURNAL (journal));

  if (g_set_object (&self->journal, journal) || journal == NULL)
    health_alerts_page_refresh (self);
}

static void
health_alerts_page_dispose (GObject *object)
{
  HealthAlertsPage *self = HEALTH_ALERTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_pointer (&self->stack, gtk_widget_unparent);
  g_clear_object (&self->journal);
  g_clear_object (&self->monitor);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->alerts, g_ptr_array_unref);

  G_OBJECT_CLASS (health_alerts_page_parent_class)->dispose (object);
}

static void
health_alerts_page_finalize (GObject *object)
{
  HealthAlertsPage *self = HEALTH_ALERTS_PAGE (object);

  g_clear_pointer (&self->list_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (health_alerts_page_parent_class)->finalize (object);
}

static void
health_alerts_page_class_init (HealthAlertsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_alerts_page_dispose;
  object_class->finalize = health_alerts_page_finalize;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
health_alerts_page_init (HealthAlertsPage *self)
{
  GtkWidget *empty = adw_status_page_new ();

  self->list_rows = g_ptr_array_new ();
  self->stack = gtk_stack_new ();
  gtk_widget_set_parent (self->stack, GTK_WIDGET (self));

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (empty), "emblem-ok-symbolic");
  adw_status_page_set_title (ADW_STATUS_PAGE (empty), _("No Alerts"));
  adw_status_page_set_description (ADW_STATUS_PAGE (empty),
                                   _("Nothing needed attention in the last 30 days."));
  gtk_stack_add_named (GTK_STACK (self->stack), empty, "empty");

  self->list_page = adw_preferences_page_new ();
  self->list_group = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self->list_group), _("Last 30 Days"));
  adw_preferences_page_add (ADW_PREFERENCES_PAGE (self->list_page),
                            ADW_PREFERENCES_GROUP (self->list_group));
  gtk_stack_add_named (GTK_STACK (self->stack), self->list_page, "list");
}

GtkWidget *
health_alerts_page_new (GSettings *settings)
{
  HealthAlertsPage *self = g_object_new (HEALTH_TYPE_ALERTS_PAGE, NULL);

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  if (settings != NULL)
    {
      self->settings = g_object_ref (settings);
      g_signal_connect_swapped (settings, "changed::record-history",
                                G_CALLBACK (alerts_rebuild), self);
    }
  alerts_rebuild (self);

  return GTK_WIDGET (self);
}
