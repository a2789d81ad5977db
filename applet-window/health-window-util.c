/* health-window-util.c: what the window's pages say the same way
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-text-private.h"
#include "health-window-util.h"

/* The built-in conditions (see HealthMetric:condition); an app's metric
 * is a condition of its own and goes by its metric's label. */
const char *
health_condition_get_title (const char *condition)
{
  static const struct { const char *id; const char *title; } titles[] = {
    { "memory", N_("Memory") },
    { "swap", N_("Swap") },
    { "cpu", N_("Processor") },
    { "disk", N_("Disk") },
    { "io", N_("Disk Activity") },
    { "process", N_("This Process") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    if (g_strcmp0 (condition, titles[i].id) == 0)
      return _(titles[i].title);

  return NULL;
}

/* "14:05" today, "Mon 14:05" within the week, the date beyond: a log is
 * read from the top, where today's entries are. */
char *
health_window_format_time (gint64 time_us,
                           gint64 now_us)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now = g_date_time_new_from_unix_local (now_us / G_USEC_PER_SEC);

  if (time == NULL || now == NULL)
    return g_strdup ("—");

  if (g_date_time_get_year (time) == g_date_time_get_year (now) &&
      g_date_time_get_day_of_year (time) == g_date_time_get_day_of_year (now))
    /* Translators: a time of today, see g_date_time_format(). */
    return g_date_time_format (time, _("%H:%M"));

  if (now_us - time_us < 6 * G_TIME_SPAN_DAY)
    /* Translators: a weekday and a time, see g_date_time_format(). */
    return g_date_time_format (time, _("%a %H:%M"));

  /* Translators: a date and a time, see g_date_time_format(). */
  return g_date_time_format (time, _("%x %H:%M"));
}

/* The window mirrors another process's monitor and reads a journal on
 * disk: what they say (labels, units, paths, culprits) is shown the way
 * the library's own widgets and the CLI show it, without control, escape
 * or bidi characters. NULL stays NULL. */
char *
health_window_dup_text (const char *text)
{
  return text != NULL ? health_text_sanitize (text, -1) : NULL;
}

char *
health_window_dup_label (HealthMetric *metric)
{
  return health_window_dup_text (health_metric_get_label (metric));
}

char *
health_window_format_value (HealthMetric *metric,
                            double        value)
{
  g_autofree char *text = health_metric_format_value (metric, value);

  return health_window_dup_text (text);
}

/* People think of memory in GiB, not in the bytes the settings hold:
 * 2147483648 is "2 GiB". Percentages are typed as percentages. */
void
health_unit_scale_for_metric (HealthMetric    *metric,
                              HealthUnitScale *scale)
{
  const char *unit = health_metric_get_unit (metric);
  g_autofree char *own = NULL;
  const char *suffix;

  *scale = (HealthUnitScale) { .factor = 1.0, .digits = 0, .step = 1.0 };

  if (g_strcmp0 (unit, "bytes") == 0)
    {
      scale->factor = 1024.0 * 1024.0 * 1024.0;
      scale->digits = 2;
      scale->step = 0.25;
      suffix = C_("unit", "GiB");
    }
  else if (g_strcmp0 (unit, "%") == 0)
    {
      scale->digits = 1;
      suffix = C_("unit", "%");
    }
  else if (g_strcmp0 (unit, "ms") == 0)
    {
      scale->step = 10.0;
      suffix = C_("unit", "ms");
    }
  else if (g_strcmp0 (unit, "per core") == 0)
    {
      scale->digits = 2;
      scale->step = 0.1;
      suffix = C_("unit", "per core");
    }
  else
    suffix = own = health_window_dup_text (unit != NULL ? unit : "");

  g_strlcpy (scale->suffix, suffix, sizeof scale->suffix);
}

/* NULL when the schema is not installed (a build tree without
 * GSETTINGS_SCHEMA_DIR): the window still shows the monitor. */
GSettings *
health_window_lookup_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, HEALTH_APPLET_SCHEMA_ID, TRUE);

  if (schema == NULL)
    return NULL;

  return g_settings_new_full (schema, NULL, NULL);
}

/* Where the applet records (applet/health-applet.c). */
char *
health_window_journal_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "health-monitor", "journal.db", NULL);
}

HealthJournal *
health_window_open_journal (void)
{
  g_autofree char *path = health_window_journal_path ();
  g_autoptr(GError) error = NULL;
  HealthJournal *journal;

  journal = health_journal_new_read_only (path, &error);
  if (journal == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_warning ("Cannot read the journal %s: %s", path, error->message);

  return journal;
}

static void
on_record_clicked (GtkButton *button,
                   GSettings *settings)
{
  g_settings_set_boolean (settings, "record-history", TRUE);
}

/* The page History and Alerts show without a journal: either recording
 * is off (and one click turns it on) or the applet has not written yet. */
static GtkWidget *
journal_status_page_new (GSettings *settings,
                         gboolean   recording)
{
  GtkWidget *page = adw_status_page_new ();

  adw_status_page_set_icon_name (ADW_STATUS_PAGE (page), "document-open-recent-symbolic");

  if (recording || settings == NULL)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("No History Yet"));
      adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                       _("The health applet records its samples and alerts as it "
                                         "runs. Come back in a minute."));
    }
  else
    {
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Record History"));

      adw_status_page_set_title (ADW_STATUS_PAGE (page), _("History Is Off"));
      adw_status_page_set_description (ADW_STATUS_PAGE (page),
                                       _("The health applet records nothing, so there is no history "
                                         "of samples and alerts to show."));
      gtk_widget_set_halign (button, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (button, "pill");
      gtk_widget_add_css_class (button, "suggested-action");
      g_signal_connect_object (button, "clicked", G_CALLBACK (on_record_clicked), settings, 0);
      adw_status_page_set_child (ADW_STATUS_PAGE (page), button);
    }

  return page;
}

/* Shows, as @stack's "no-journal" child, what a page without a journal
 * says now: @status_page is the one shown before, replaced. */
void
health_journal_status_show (GtkStack   *stack,
                            GtkWidget **status_page,
                            GSettings  *settings)
{
  gboolean recording = settings == NULL || g_settings_get_boolean (settings, "record-history");

  if (*status_page != NULL)
    gtk_stack_remove (stack, *status_page);
  *status_page = journal_status_page_new (settings, recording);
  gtk_stack_add_named (stack, *status_page, "no-journal");
  gtk_stack_set_visible_child (stack, *status_page);
}
