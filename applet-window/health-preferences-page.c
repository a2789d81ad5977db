/* health-preferences-page.c: the window's preferences, bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Every control writes the applet's settings at once; the applet follows
 * them live, so there is no Apply button. Thresholds are checked before
 * they are written, because a refused pair would otherwise reach the
 * applet and be dropped there without the user ever learning why.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "health-preferences-page.h"
#include "health-thresholds.h"

#define APPLET_SCHEMA_ID "io.github.healthmonitor.Applet"

struct _HealthPreferencesPage
{
  GtkWidget      parent_instance;

  GSettings     *settings;
  HealthMonitor *monitor;

  GtkWidget     *scrolled;
  GtkWidget     *thresholds_grid;
  GtkWidget     *thresholds_placeholder;
};

G_DEFINE_FINAL_TYPE (HealthPreferencesPage, health_preferences_page, GTK_TYPE_WIDGET)

typedef struct
{
  HealthPreferencesPage *page;
  HealthMetric          *metric;
  GtkSpinButton         *warning;
  GtkSpinButton         *critical;
  GtkLabel              *error;
} ThresholdRow;

static void
threshold_row_free (gpointer data)
{
  ThresholdRow *row = data;

  g_clear_object (&row->metric);
  g_free (row);
}

static GtkWidget *
make_heading (const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_add_css_class (label, "heading");
  gtk_widget_set_margin_top (label, 12);

  return label;
}

static GtkWidget *
make_row_label (const char *text,
                GtkWidget  *mnemonic_widget)
{
  GtkWidget *label = gtk_label_new_with_mnemonic (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0.0);
  gtk_widget_set_hexpand (label, TRUE);
  gtk_label_set_mnemonic_widget (GTK_LABEL (label), mnemonic_widget);

  return label;
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

static void
add_setting_row (GtkGrid    *grid,
                 int         row,
                 const char *title,
                 GtkWidget  *control,
                 const char *unit)
{
  gtk_grid_attach (grid, make_row_label (title, control), 0, row, 1, 1);
  gtk_grid_attach (grid, control, 1, row, 1, 1);
  if (unit != NULL)
    {
      GtkWidget *label = gtk_label_new (unit);

      gtk_label_set_xalign (GTK_LABEL (label), 0.0);
      gtk_widget_add_css_class (label, "dim-label");
      gtk_grid_attach (grid, label, 2, row, 1, 1);
    }
}

static void
threshold_row_changed (GtkSpinButton *spin,
                       ThresholdRow  *row)
{
  HealthPreferencesPage *self = row->page;
  double warning = gtk_spin_button_get_value (row->warning);
  double critical = gtk_spin_button_get_value (row->critical);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) current = NULL;
  g_autoptr(GVariant) updated = NULL;

  if (!health_thresholds_validate (row->metric, warning, critical, &error))
    {
      /* Shown beside the row and not written: the applet keeps the
       * last pair that made sense. */
      gtk_label_set_text (row->error, error->message);
      gtk_widget_set_visible (GTK_WIDGET (row->error), TRUE);
      return;
    }

  gtk_widget_set_visible (GTK_WIDGET (row->error), FALSE);
  gtk_label_set_text (row->error, "");

  if (self->settings == NULL)
    return;

  current = g_settings_get_value (self->settings, "thresholds");
  updated = health_thresholds_replace (current, health_metric_get_id (row->metric), warning, critical);
  if (!g_variant_equal (current, updated))
    g_settings_set_value (self->settings, "thresholds", updated);
}

/* Whole units (bytes, threads, files) need no decimals; percentages,
 * loads and milliseconds get two. */
static guint
digits_for_unit (const char *unit)
{
  if (g_strcmp0 (unit, "bytes") == 0 || g_strcmp0 (unit, "threads") == 0 ||
      g_strcmp0 (unit, "fds") == 0 || g_strcmp0 (unit, "objects") == 0)
    return 0;

  return 2;
}

static void
rebuild_thresholds (HealthPreferencesPage *self)
{
  GtkGrid *grid = GTK_GRID (self->thresholds_grid);
  GListModel *metrics;
  g_autoptr(GVariant) stored = NULL;
  GtkWidget *child;
  guint n;

  /* Without the schema there is nothing to bind and no grid. */
  if (self->settings == NULL)
    return;

  while ((child = gtk_widget_get_first_child (self->thresholds_grid)) != NULL)
    gtk_grid_remove (grid, child);

  if (self->monitor == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->thresholds_placeholder),
                          _("Thresholds can be changed once the health applet is running."));
      gtk_widget_set_visible (self->thresholds_placeholder, TRUE);
      return;
    }

  stored = g_settings_get_value (self->settings, "thresholds");
  metrics = health_monitor_get_metrics (self->monitor);
  n = g_list_model_get_n_items (metrics);
  gtk_widget_set_visible (self->thresholds_placeholder, n == 0);
  gtk_label_set_text (GTK_LABEL (self->thresholds_placeholder), _("The monitor has no metrics."));

  gtk_grid_attach (grid, gtk_label_new (NULL), 0, 0, 1, 1);
  gtk_grid_attach (grid, gtk_label_new (_("Warning")), 1, 0, 1, 1);
  gtk_grid_attach (grid, gtk_label_new (_("Critical")), 2, 0, 1, 1);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      ThresholdRow *row = g_new0 (ThresholdRow, 1);
      double warning = health_metric_get_warning (metric);
      double critical = health_metric_get_critical (metric);
      guint digits = digits_for_unit (health_metric_get_unit (metric));
      double step = MAX (1.0, floor (MAX (fabs (warning), fabs (critical)) / 100.0));
      GtkWidget *label, *error, *unit;
      int y = 2 * i + 1;

      health_thresholds_lookup (stored, health_metric_get_id (metric), &warning, &critical);

      row->page = self;
      row->metric = g_object_ref (metric);
      row->warning = GTK_SPIN_BUTTON (make_spin (-G_MAXINT32 * 1000.0, G_MAXINT32 * 1000.0, step, digits));
      row->critical = GTK_SPIN_BUTTON (make_spin (-G_MAXINT32 * 1000.0, G_MAXINT32 * 1000.0, step, digits));
      gtk_spin_button_set_value (row->warning, warning);
      gtk_spin_button_set_value (row->critical, critical);

      label = make_row_label (health_metric_get_label (metric), GTK_WIDGET (row->warning));
      gtk_widget_set_tooltip_text (label, health_metric_get_id (metric));
      unit = gtk_label_new (health_metric_get_unit (metric));
      gtk_widget_add_css_class (unit, "dim-label");
      gtk_label_set_xalign (GTK_LABEL (unit), 0.0);

      error = gtk_label_new (NULL);
      row->error = GTK_LABEL (error);
      gtk_widget_add_css_class (error, "error");
      gtk_label_set_xalign (row->error, 0.0);
      gtk_label_set_wrap (row->error, TRUE);
      gtk_widget_set_visible (error, FALSE);

      gtk_grid_attach (grid, label, 0, y, 1, 1);
      gtk_grid_attach (grid, GTK_WIDGET (row->warning), 1, y, 1, 1);
      gtk_grid_attach (grid, GTK_WIDGET (row->critical), 2, y, 1, 1);
      gtk_grid_attach (grid, unit, 3, y, 1, 1);
      gtk_grid_attach (grid, error, 0, y + 1, 4, 1);

      /* Connected after the initial values, so opening the page writes nothing. */
      g_object_set_data_full (G_OBJECT (label), "threshold-row", row, threshold_row_free);
      g_signal_connect (row->warning, "value-changed", G_CALLBACK (threshold_row_changed), row);
      g_signal_connect (row->critical, "value-changed", G_CALLBACK (threshold_row_changed), row);
    }
}

static void
on_metrics_changed (GListModel            *model,
                    guint                  position,
                    guint                  removed,
                    guint                  added,
                    HealthPreferencesPage *self)
{
  rebuild_thresholds (self);
}

void
health_preferences_page_set_monitor (HealthPreferencesPage *self,
                                     HealthMonitor         *monitor)
{
  g_return_if_fail (HEALTH_IS_PREFERENCES_PAGE (self));
  g_return_if_fail (monitor == NULL || HEALTH_IS_MONITOR (monitor));

  if (self->monitor == monitor)
    return;

  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (health_monitor_get_metrics (self->monitor),
                                          on_metrics_changed, self);
  g_set_object (&self->monitor, monitor);
  if (self->monitor != NULL)
    g_signal_connect_object (health_monitor_get_metrics (self->monitor), "items-changed",
                             G_CALLBACK (on_metrics_changed), self, 0);

  rebuild_thresholds (self);
}

static GSettings *
lookup_settings (char **reason)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, APPLET_SCHEMA_ID, TRUE);

  if (schema == NULL)
    {
      /* Translators: %s is a GSettings schema id. */
      *reason = g_strdup_printf (_("The settings schema “%s” is not installed, so the "
                                   "applet’s preferences cannot be read or changed here."),
                                 APPLET_SCHEMA_ID);
      return NULL;
    }

  return g_settings_new_full (schema, NULL, NULL);
}

static GtkWidget *
build_general (HealthPreferencesPage *self)
{
  GtkWidget *grid = gtk_grid_new ();
  GtkWidget *interval, *history, *cooldown, *notifications, *disk;

  gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (grid), 12);

  interval = make_spin (100, 3600000, 100, 0);
  history = make_spin (1, 100000, 10, 0);
  cooldown = make_spin (0, 7 * 24 * 3600, 10, 0);
  notifications = gtk_switch_new ();
  gtk_widget_set_halign (notifications, GTK_ALIGN_START);
  gtk_widget_set_valign (notifications, GTK_ALIGN_CENTER);
  disk = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (disk), _("Home directory"));
  gtk_widget_set_hexpand (disk, TRUE);

  add_setting_row (GTK_GRID (grid), 0, _("Sampling _interval"), interval, C_("unit", "ms"));
  add_setting_row (GTK_GRID (grid), 1, _("_History size"), history, _("samples"));
  add_setting_row (GTK_GRID (grid), 2, _("Alert _cooldown"), cooldown, _("seconds"));
  add_setting_row (GTK_GRID (grid), 3, _("Show _notifications"), notifications, NULL);
  add_setting_row (GTK_GRID (grid), 4, _("_Disk to watch"), disk, NULL);

  g_settings_bind (self->settings, "interval", interval, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "history-size", history, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "alert-cooldown", cooldown, "value", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "notifications", notifications, "active", G_SETTINGS_BIND_DEFAULT);
  g_settings_bind (self->settings, "disk-path", disk, "text", G_SETTINGS_BIND_DEFAULT);

  return grid;
}

static void
health_preferences_page_dispose (GObject *object)
{
  HealthPreferencesPage *self = HEALTH_PREFERENCES_PAGE (object);

  health_preferences_page_set_monitor (self, NULL);
  g_clear_pointer (&self->scrolled, gtk_widget_unparent);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (health_preferences_page_parent_class)->dispose (object);
}

static void
health_preferences_page_class_init (HealthPreferencesPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_preferences_page_dispose;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
health_preferences_page_init (HealthPreferencesPage *self)
{
  g_autofree char *reason = NULL;
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  self->scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (self->scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_widget_set_parent (self->scrolled, GTK_WIDGET (self));

  gtk_widget_set_margin_start (box, 18);
  gtk_widget_set_margin_end (box, 18);
  gtk_widget_set_margin_top (box, 12);
  gtk_widget_set_margin_bottom (box, 18);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (self->scrolled), box);

  self->settings = lookup_settings (&reason);
  if (self->settings == NULL)
    {
      GtkWidget *title = gtk_label_new (_("Preferences are unavailable"));
      GtkWidget *label = gtk_label_new (reason);

      gtk_widget_add_css_class (title, "title-2");
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_widget_set_vexpand (title, TRUE);
      gtk_widget_set_valign (title, GTK_ALIGN_END);
      gtk_widget_set_vexpand (label, TRUE);
      gtk_widget_set_valign (label, GTK_ALIGN_START);
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), label);
      return;
    }

  gtk_box_append (GTK_BOX (box), make_heading (_("General")));
  gtk_box_append (GTK_BOX (box), build_general (self));

  gtk_box_append (GTK_BOX (box), make_heading (_("Thresholds")));
  self->thresholds_placeholder = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->thresholds_placeholder), 0.0);
  gtk_label_set_wrap (GTK_LABEL (self->thresholds_placeholder), TRUE);
  gtk_widget_add_css_class (self->thresholds_placeholder, "dim-label");
  gtk_box_append (GTK_BOX (box), self->thresholds_placeholder);

  self->thresholds_grid = gtk_grid_new ();
  gtk_grid_set_row_spacing (GTK_GRID (self->thresholds_grid), 6);
  gtk_grid_set_column_spacing (GTK_GRID (self->thresholds_grid), 12);
  gtk_box_append (GTK_BOX (box), self->thresholds_grid);

  rebuild_thresholds (self);
}

GtkWidget *
health_preferences_page_new (void)
{
  return g_object_new (HEALTH_TYPE_PREFERENCES_PAGE, NULL);
}
