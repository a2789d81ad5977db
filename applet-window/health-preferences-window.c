/* health-preferences-window.c: the applet's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control writes the applet's settings at once; the applet follows
 * them live, so there is no Apply button. Values are shown in the units
 * people use (seconds, minutes, GiB, %), while the settings keep the
 * applet's (milliseconds, seconds, bytes). Thresholds are checked before
 * they are written, because a refused pair would otherwise reach the
 * applet and be dropped there without the user ever learning why.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "health-preferences-window.h"
#include "health-thresholds.h"
#include "health-window-util.h"

struct _HealthPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;
  HealthMonitor        *monitor;

  AdwPreferencesPage   *thresholds_page;
  GPtrArray            *threshold_groups;   /* borrowed */
  AdwPreferencesGroup  *thresholds_placeholder;
};

G_DEFINE_FINAL_TYPE (HealthPreferencesWindow, health_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

typedef struct
{
  HealthPreferencesWindow *window;
  HealthMetric            *metric;
  HealthUnitScale          scale;
  GtkWidget               *expander;
  GtkSpinButton           *warning;
  GtkSpinButton           *critical;
  GtkWidget               *error_row;
  GtkWidget               *error;
  gboolean                 updating;
} ThresholdRow;

static void
threshold_row_free (gpointer data)
{
  ThresholdRow *row = data;

  g_signal_handlers_disconnect_by_data (row->metric, row);
  g_clear_object (&row->metric);
  g_free (row);
}

static GtkWidget *
make_spin (double lower,
           double upper,
           double step,
           guint  digits)
{
  GtkWidget *spin = gtk_spin_button_new_with_range (lower, upper, step);

  gtk_spin_button_set_digits (GTK_SPIN_BUTTON (spin), digits);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);

  return spin;
}

/* A spin button with its unit after it, as the suffix of a row: what
 * libadwaita 1.4's AdwSpinRow does, which 1.2 does not have. */
static GtkWidget *
make_spin_row (const char *title,
               const char *subtitle,
               GtkWidget  *spin,
               const char *unit)
{
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (spin),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL,
                                  -1);

  if (unit != NULL)
    {
      GtkWidget *label = gtk_label_new (unit);

      gtk_widget_add_css_class (label, "dim-label");
      gtk_label_set_width_chars (GTK_LABEL (label), 3);
      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (spin),
                                      GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, unit,
                                      -1);
    }

  return row;
}

static GtkWidget *
make_switch_row (const char *title,
                 const char *subtitle,
                 GtkWidget **toggle)
{
  GtkWidget *row = adw_action_row_new ();

  *toggle = gtk_switch_new ();
  gtk_widget_set_valign (*toggle, GTK_ALIGN_CENTER);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (row), TRUE);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 0);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), *toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), *toggle);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (*toggle),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, row, NULL,
                                  -1);

  return row;
}

/* The settings in milliseconds or seconds, the rows in seconds or minutes. */
static gboolean
scaled_get (GValue   *value,
            GVariant *variant,
            gpointer  user_data)
{
  g_value_set_double (value, g_variant_get_uint32 (variant) / GPOINTER_TO_UINT (user_data));

  return TRUE;
}

static GVariant *
scaled_set (const GValue       *value,
            const GVariantType *expected_type,
            gpointer            user_data)
{
  return g_variant_new_uint32 ((guint32) round (g_value_get_double (value) * GPOINTER_TO_UINT (user_data)));
}

static void
bind_scaled (GSettings  *settings,
             const char *key,
             GtkWidget  *spin,
             guint       factor)
{
  g_settings_bind_with_mapping (settings, key, spin, "value", G_SETTINGS_BIND_DEFAULT,
                                scaled_get, scaled_set, GUINT_TO_POINTER (factor), NULL);
}

static AdwPreferencesPage *
build_general (HealthPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *monitoring = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *alerts = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  AdwPreferencesGroup *history_group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  GtkWidget *interval = make_spin (0.1, 3600, 0.5, 1);
  GtkWidget *history = make_spin (1, 100000, 10, 0);
  GtkWidget *cooldown = make_spin (0, 7 * 24 * 60, 1, 0);
  GtkWidget *notifications, *record, *disk;

  adw_preferences_page_set_title (page, _("_General"));
  adw_preferences_page_set_use_underline (page, TRUE);
  adw_preferences_page_set_icon_name (page, "preferences-system-symbolic");
  adw_preferences_page_set_name (page, "general");

  adw_preferences_group_set_title (monitoring, _("Monitoring"));
  adw_preferences_group_add (monitoring,
                             make_spin_row (_("Sampling _interval"), _("Time between two samples"),
                                            interval, C_("unit", "s")));
  adw_preferences_group_add (monitoring,
                             make_spin_row (_("_History size"), _("Samples kept for trends and sparklines"),
                                            history, _("samples")));
  disk = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (disk), _("_Disk to watch (empty: home folder)"));
  adw_preferences_row_set_use_underline (ADW_PREFERENCES_ROW (disk), TRUE);
  adw_preferences_group_add (monitoring, disk);

  adw_preferences_group_set_title (alerts, _("Alerts"));
  adw_preferences_group_add (alerts, make_switch_row (_("Show _notifications"),
                                                      _("When a condition turns warning or critical"),
                                                      &notifications));
  adw_preferences_group_add (alerts,
                             make_spin_row (_("Alert _cooldown"), _("Before the same metric alerts again"),
                                            cooldown, C_("unit", "min")));

  adw_preferences_group_set_title (history_group, _("History"));
  adw_preferences_group_add (history_group,
                             make_switch_row (_("_Record history"),
                                              _("Keep samples and alerts for the History and Alerts "
                                                "pages, at most 64 MiB"),
                                              &record));

  adw_preferences_page_add (page, monitoring);
  adw_preferences_page_add (page, alerts);
  adw_preferences_page_add (page, history_group);

  bind_scaled (self->settings, "interval", interval, 1000);
  bind_scaled (self->settings, "alert-cooldown", cooldown, 60);
  g_settings_bind (self->settings, "history-size", history, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications", notifications, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "record-history", record, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "disk-path", disk, "text", G_SETTINGS_BIND_DEFAULT);

  return page;
}

static double
threshold_row_read (ThresholdRow  *row,
                    GtkSpinButton *spin)
{
  /* Bytes are whole numbers: 1.5 GiB is 1610612736, not 1610612736.0000002. */
  return round (gtk_spin_button_get_value (spin) * row->scale.factor * 1e6) / 1e6;
}

static void
threshold_row_set_subtitle (ThresholdRow *row,
                            double        warning,
                            double        critical)
{
  g_autofree char *w = health_window_format_value (row->metric, warning);
  g_autofree char *c = health_window_format_value (row->metric, critical);
  g_autofree char *subtitle = NULL;

  /* Translators: a metric's thresholds, as in “Warning 2.0 GiB, critical 512 MiB”. */
  subtitle = g_strdup_printf (_("Warning %s, critical %s"), w, c);
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (row->expander), subtitle);
}

static void
threshold_row_show (ThresholdRow *row,
                    double        warning,
                    double        critical)
{
  threshold_row_set_subtitle (row, warning, critical);

  row->updating = TRUE;
  gtk_spin_button_set_value (row->warning, warning / row->scale.factor);
  gtk_spin_button_set_value (row->critical, critical / row->scale.factor);
  row->updating = FALSE;
}

static void
threshold_row_set_error (ThresholdRow *row,
                         const char   *message)
{
  gtk_label_set_text (GTK_LABEL (row->error), message != NULL ? message : "");
  gtk_widget_set_visible (row->error_row, message != NULL);

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row->warning), "error");
      gtk_widget_add_css_class (GTK_WIDGET (row->critical), "error");
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row->warning), "error");
      gtk_widget_remove_css_class (GTK_WIDGET (row->critical), "error");
    }
}

/* The library's rule, said in the units of the row rather than in bytes. */
static char *
threshold_row_explain (ThresholdRow *row)
{
  g_autofree char *w = g_strdup_printf ("%.*f %s", row->scale.digits,
                                        gtk_spin_button_get_value (row->warning), row->scale.suffix);
  g_autofree char *c = g_strdup_printf ("%.*f %s", row->scale.digits,
                                        gtk_spin_button_get_value (row->critical), row->scale.suffix);

  if (health_metric_get_direction (row->metric) == HEALTH_DIRECTION_BELOW)
    /* Translators: the two %s are thresholds with their unit, “0.25 GiB”. */
    return g_strdup_printf (_("Lower values are worse: the warning threshold (%s) must not be "
                              "below the critical one (%s)."), w, c);

  /* Translators: the two %s are thresholds with their unit, “95.0 %”. */
  return g_strdup_printf (_("Higher values are worse: the warning threshold (%s) must not be "
                            "above the critical one (%s)."), w, c);
}

static void
threshold_row_changed (ThresholdRow *row)
{
  HealthPreferencesWindow *self = row->window;
  double warning = threshold_row_read (row, row->warning);
  double critical = threshold_row_read (row, row->critical);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) current = NULL;
  g_autoptr(GVariant) updated = NULL;

  if (row->updating)
    return;

  if (!health_thresholds_validate (row->metric, warning, critical, &error))
    {
      g_autofree char *message = threshold_row_explain (row);

      /* Shown in the row and not written: the applet keeps the last
       * pair that made sense. */
      g_debug ("Thresholds of %s refused: %s", health_metric_get_id (row->metric), error->message);
      threshold_row_set_error (row, message);
      return;
    }

  threshold_row_set_error (row, NULL);

  threshold_row_set_subtitle (row, warning, critical);

  current = g_settings_get_value (self->settings, "thresholds");
  updated = health_thresholds_replace (current, health_metric_get_id (row->metric), warning, critical);
  if (!g_variant_equal (current, updated))
    g_settings_set_value (self->settings, "thresholds", updated);
}

/* The mirror follows the applet: once a reset reaches it, the metric's
 * thresholds are the defaults again, and the row shows them. */
static void
on_metric_thresholds_changed (ThresholdRow *row)
{
  g_autoptr(GVariant) stored = g_settings_get_value (row->window->settings, "thresholds");

  if (!health_thresholds_lookup (stored, health_metric_get_id (row->metric), NULL, NULL))
    {
      threshold_row_set_error (row, NULL);
      threshold_row_show (row, health_metric_get_warning (row->metric),
                          health_metric_get_critical (row->metric));
    }
}

static void
on_reset_clicked (ThresholdRow *row)
{
  GSettings *settings = row->window->settings;
  g_autoptr(GVariant) current = g_settings_get_value (settings, "thresholds");
  g_autoptr(GVariant) updated = health_thresholds_remove (current, health_metric_get_id (row->metric));

  g_settings_set_value (settings, "thresholds", updated);
  on_metric_thresholds_changed (row);
}

static GtkWidget *
threshold_spin_row (ThresholdRow  *row,
                    const char    *title,
                    GtkSpinButton *spin)
{
  double upper = g_strcmp0 (health_metric_get_unit (row->metric), "%") == 0 ? 100 : 1e6;

  gtk_adjustment_configure (gtk_spin_button_get_adjustment (spin), 0, 0, upper,
                            row->scale.step, row->scale.step * 10, 0);
  gtk_spin_button_set_digits (spin, row->scale.digits);
  g_signal_connect_swapped (spin, "value-changed", G_CALLBACK (threshold_row_changed), row);

  return make_spin_row (title, NULL, GTK_WIDGET (spin), row->scale.suffix);
}

static GtkWidget *
threshold_row_new (HealthPreferencesWindow *self,
                   HealthMetric            *metric,
                   GVariant                *stored)
{
  ThresholdRow *row = g_new0 (ThresholdRow, 1);
  double warning = health_metric_get_warning (metric);
  double critical = health_metric_get_critical (metric);
  g_autofree char *label = health_window_dup_label (metric);
  GtkWidget *reset_row, *reset;

  row->window = self;
  row->metric = g_object_ref (metric);
  health_unit_scale_for_metric (metric, &row->scale);

  row->expander = adw_expander_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row->expander), label);
  g_object_set_data_full (G_OBJECT (row->expander), "threshold-row", row, threshold_row_free);
  /* Tests and people reading the inspector find the row by its id. */
  gtk_widget_set_name (row->expander, health_metric_get_id (metric));

  row->warning = GTK_SPIN_BUTTON (make_spin (0, 1, 1, 0));
  row->critical = GTK_SPIN_BUTTON (make_spin (0, 1, 1, 0));
  gtk_widget_set_name (GTK_WIDGET (row->warning), "warning");
  gtk_widget_set_name (GTK_WIDGET (row->critical), "critical");
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander),
                            threshold_spin_row (row, _("_Warning"), row->warning));
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander),
                            threshold_spin_row (row, _("C_ritical"), row->critical));

  row->error = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (row->error), TRUE);
  gtk_label_set_xalign (GTK_LABEL (row->error), 0.0);
  gtk_widget_add_css_class (row->error, "error");
  gtk_widget_set_margin_start (row->error, 12);
  gtk_widget_set_margin_end (row->error, 12);
  gtk_widget_set_margin_top (row->error, 8);
  gtk_widget_set_margin_bottom (row->error, 8);
  row->error_row = gtk_list_box_row_new ();
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row->error_row), FALSE);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row->error_row), row->error);
  gtk_widget_set_visible (row->error_row, FALSE);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), row->error_row);

  reset_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (reset_row), _("Defaults"));
  reset = gtk_button_new_with_mnemonic (_("Re_set"));
  gtk_widget_set_valign (reset, GTK_ALIGN_CENTER);
  gtk_widget_set_name (reset, "reset");
  /* Translators: the accessible name of a metric's reset button. */
  gtk_widget_set_tooltip_text (reset, _("Use the default thresholds"));
  g_signal_connect_swapped (reset, "clicked", G_CALLBACK (on_reset_clicked), row);
  adw_action_row_add_suffix (ADW_ACTION_ROW (reset_row), reset);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (reset_row), reset);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (row->expander), reset_row);

  health_thresholds_lookup (stored, health_metric_get_id (metric), &warning, &critical);
  threshold_row_show (row, warning, critical);

  g_signal_connect_swapped (metric, "notify::warning", G_CALLBACK (on_metric_thresholds_changed), row);
  g_signal_connect_swapped (metric, "notify::critical", G_CALLBACK (on_metric_thresholds_changed), row);

  return row->expander;
}

static AdwPreferencesGroup *
thresholds_find_group (HealthPreferencesWindow *self,
                       HealthMetric            *metric)
{
  const char *condition = health_metric_get_condition (metric);
  const char *title = health_condition_get_title (condition);
  g_autofree char *label = NULL;
  AdwPreferencesGroup *group;

  if (title == NULL)
    title = label = health_window_dup_label (metric);

  for (guint i = 0; i < self->threshold_groups->len; i++)
    {
      group = g_ptr_array_index (self->threshold_groups, i);
      if (g_strcmp0 (adw_preferences_group_get_title (group), title) == 0)
        return group;
    }

  group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (group, title);
  adw_preferences_page_add (self->thresholds_page, group);
  g_ptr_array_add (self->threshold_groups, group);

  return group;
}

static void
rebuild_thresholds (HealthPreferencesWindow *self)
{
  g_autoptr(GVariant) stored = NULL;
  GListModel *metrics;
  guint n;

  if (self->thresholds_page == NULL)
    return;

  for (guint i = 0; i < self->threshold_groups->len; i++)
    adw_preferences_page_remove (self->thresholds_page, g_ptr_array_index (self->threshold_groups, i));
  g_ptr_array_set_size (self->threshold_groups, 0);

  metrics = self->monitor != NULL ? health_monitor_get_metrics (self->monitor) : NULL;
  n = metrics != NULL ? g_list_model_get_n_items (metrics) : 0;

  adw_preferences_group_set_description (self->thresholds_placeholder,
                                         self->monitor == NULL
                                         ? _("Thresholds can be changed once the health applet is running.")
                                         : _("A metric turns warning or critical beyond these values."));

  stored = g_settings_get_value (self->settings, "thresholds");
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      adw_preferences_group_add (thresholds_find_group (self, metric),
                                 threshold_row_new (self, metric, stored));
    }
}

void
health_preferences_window_set_monitor (HealthPreferencesWindow *self,
                                       HealthMonitor           *monitor)
{
  g_return_if_fail (HEALTH_IS_PREFERENCES_WINDOW (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_data (health_monitor_get_metrics (self->monitor), self);
  g_set_object (&self->monitor, monitor);
  if (self->monitor != NULL)
    g_signal_connect_swapped (health_monitor_get_metrics (self->monitor), "items-changed",
                              G_CALLBACK (rebuild_thresholds), self);

  rebuild_thresholds (self);
}

static void
health_preferences_window_dispose (GObject *object)
{
  HealthPreferencesWindow *self = HEALTH_PREFERENCES_WINDOW (object);

  health_preferences_window_set_monitor (self, NULL);

  G_OBJECT_CLASS (health_preferences_window_parent_class)->dispose (object);
}

static void
health_preferences_window_finalize (GObject *object)
{
  HealthPreferencesWindow *self = HEALTH_PREFERENCES_WINDOW (object);

  g_clear_object (&self->settings);
  g_clear_pointer (&self->threshold_groups, g_ptr_array_unref);

  G_OBJECT_CLASS (health_preferences_window_parent_class)->finalize (object);
}

static void
health_preferences_window_class_init (HealthPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = health_preferences_window_dispose;
  object_class->finalize = health_preferences_window_finalize;
}

static void
health_preferences_window_init (HealthPreferencesWindow *self)
{
  self->threshold_groups = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Preferences"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), TRUE);
}

static void
build_unavailable (HealthPreferencesWindow *self)
{
  AdwPreferencesPage *page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  AdwPreferencesGroup *group = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  g_autofree char *reason = NULL;

  /* Translators: %s is a GSettings schema id. */
  reason = g_strdup_printf (_("The settings schema “%s” is not installed, so the "
                              "applet’s preferences cannot be read or changed here."),
                            HEALTH_APPLET_SCHEMA_ID);
  adw_preferences_page_set_title (page, _("General"));
  adw_preferences_group_set_title (group, _("Preferences are unavailable"));
  adw_preferences_group_set_description (group, reason);
  adw_preferences_page_add (page, group);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
}

/* @settings may be %NULL when the schema is not installed: the window
 * says so instead of the preferences. */
GtkWidget *
health_preferences_window_new (GSettings     *settings,
                               HealthMonitor *monitor)
{
  HealthPreferencesWindow *self;

  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor), NULL);

  self = g_object_new (HEALTH_TYPE_PREFERENCES_WINDOW, NULL);

  if (settings == NULL)
    {
      build_unavailable (self);
      return GTK_WIDGET (self);
    }

  self->settings = g_object_ref (settings);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), build_general (self));

  self->thresholds_page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  adw_preferences_page_set_title (self->thresholds_page, _("_Thresholds"));
  adw_preferences_page_set_use_underline (self->thresholds_page, TRUE);
  adw_preferences_page_set_icon_name (self->thresholds_page, "dialog-warning-symbolic");
  adw_preferences_page_set_name (self->thresholds_page, "thresholds");
  self->thresholds_placeholder = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_page_add (self->thresholds_page, self->thresholds_placeholder);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), self->thresholds_page);

  health_preferences_window_set_monitor (self, monitor);
  rebuild_thresholds (self);

  return GTK_WIDGET (self);
}
