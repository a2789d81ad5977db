/* health-window.c: the applet's details window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window holds no monitor of its own: it mirrors the one the applet
 * exports, so opening it costs no sampling and closing it frees
 * everything. It watches the applet's bus name, connects when the name
 * appears and says why it cannot while it is gone. Three pages, Overview
 * (the mirror), History and Alerts (the applet's journal, read only),
 * switch in the header, or at the bottom when the window is narrow.
 */

#include "config.h"

#include <glib/gi18n.h>

#include "health-alerts-page.h"
#include "health-history-page.h"
#include "health-overview-page.h"
#include "health-preferences-window.h"
#include "health-window.h"
#include "health-window-util.h"

/* The journal's finest tier is every sample; a minute behind is fresh
 * enough for a chart spanning an hour or more, and the query is cheap. */
#define REFRESH_SECONDS 10

struct _HealthWindow
{
  AdwApplicationWindow  parent_instance;

  char                 *bus_name;
  char                 *object_path;

  GSettings            *settings;
  GDBusConnection      *connection;
  GCancellable         *cancellable;
  HealthMonitor        *monitor;
  HealthJournal        *journal;
  guint                 watch_id;
  guint                 refresh_id;
  gboolean              connecting;

  GtkWidget            *switcher_title;
  GtkWidget            *switcher_bar;
  GtkWidget            *state;
  GtkWidget            *status_page;
  GtkWidget            *retry;
  GtkWidget            *view_stack;
  GtkWidget            *overview;
  GtkWidget            *history;
  GtkWidget            *alerts;
  GtkWidget            *preferences;
};

G_DEFINE_FINAL_TYPE (HealthWindow, health_window, ADW_TYPE_APPLICATION_WINDOW)

static void
window_update_status (HealthWindow *self)
{
  g_autofree char *text = NULL;

  if (self->monitor != NULL)
    /* Translators: the window's subtitle, %s is a health status such as “Critical”. */
    text = g_strdup_printf (_("Overall: %s"),
                            health_status_to_label (health_monitor_get_status (self->monitor)));

  adw_view_switcher_title_set_subtitle (ADW_VIEW_SWITCHER_TITLE (self->switcher_title), text);
}

/* The switcher at the bottom when the header has no room for it, and
 * none at all without a monitor: there is nothing to switch between. */
static void
window_update_switchers (HealthWindow *self)
{
  gboolean content, narrow;

  if (self->state == NULL)
    return;

  content = g_strcmp0 (gtk_stack_get_visible_child_name (GTK_STACK (self->state)), "content") == 0;
  narrow = adw_view_switcher_title_get_title_visible (ADW_VIEW_SWITCHER_TITLE (self->switcher_title));

  adw_view_switcher_title_set_view_switcher_enabled (ADW_VIEW_SWITCHER_TITLE (self->switcher_title),
                                                     content);
  adw_view_switcher_bar_set_reveal (ADW_VIEW_SWITCHER_BAR (self->switcher_bar), content && narrow);
}

static void
window_show_state (HealthWindow *self,
                   const char   *state)
{
  gtk_stack_set_visible_child_name (GTK_STACK (self->state), state);
  window_update_switchers (self);
}

/* Opened again whenever it is missing: the applet creates the file at
 * its first sample once recording is on. */
static void
window_update_journal (HealthWindow *self)
{
  if (self->journal == NULL && self->monitor != NULL)
    {
      self->journal = health_window_open_journal ();
      if (self->journal != NULL)
        {
          health_history_page_set_journal (HEALTH_HISTORY_PAGE (self->history), self->journal);
          health_alerts_page_set_journal (HEALTH_ALERTS_PAGE (self->alerts), self->journal);
        }
    }
}

static void
window_refresh_visible (HealthWindow *self)
{
  GtkWidget *page = adw_view_stack_get_visible_child (ADW_VIEW_STACK (self->view_stack));

  window_update_journal (self);

  if (page == self->history)
    health_history_page_refresh (HEALTH_HISTORY_PAGE (self->history));
  else if (page == self->alerts)
    health_alerts_page_refresh (HEALTH_ALERTS_PAGE (self->alerts));
}

static gboolean
on_refresh_timeout (gpointer user_data)
{
  window_refresh_visible (user_data);

  return G_SOURCE_CONTINUE;
}

static void
window_set_monitor (HealthWindow  *self,
                    HealthMonitor *monitor)
{
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, window_update_status, self);

  g_set_object (&self->monitor, monitor);

  if (self->monitor != NULL)
    g_signal_connect_swapped (self->monitor, "notify::status",
                              G_CALLBACK (window_update_status), self);

  health_overview_page_set_monitor (HEALTH_OVERVIEW_PAGE (self->overview), monitor);
  health_history_page_set_monitor (HEALTH_HISTORY_PAGE (self->history), monitor);
  health_alerts_page_set_monitor (HEALTH_ALERTS_PAGE (self->alerts), monitor);
  if (self->preferences != NULL)
    health_preferences_window_set_monitor (HEALTH_PREFERENCES_WINDOW (self->preferences), monitor);
  window_update_status (self);
  window_refresh_visible (self);
}

static void
window_show_error (HealthWindow *self,
                   const char   *title,
                   const char   *detail)
{
  /* Also logged: tests and bug reports see which error the window showed. */
  g_debug ("Showing an error: %s (%s)", title, detail != NULL ? detail : "");
  window_set_monitor (self, NULL);
  adw_status_page_set_title (ADW_STATUS_PAGE (self->status_page), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (self->status_page), detail);
  window_show_state (self, "not-running");
  gtk_widget_grab_focus (self->retry);
}

static void
window_show_not_running (HealthWindow *self)
{
  g_autofree char *detail = NULL;

  /* Translators: %s is a D-Bus name such as io.github.healthmonitor.Applet. */
  detail = g_strdup_printf (_("Nothing owns “%s” on the session bus. Start the health applet, "
                              "then try again."), self->bus_name);
  window_show_error (self, _("The health applet is not running"), detail);
}

static void
on_mirror_ready (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(HealthWindow) self = user_data;
  g_autoptr(HealthMonitor) monitor = NULL;
  g_autoptr(GError) error = NULL;

  monitor = health_monitor_new_for_bus_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self->connecting = FALSE;

  if (monitor == NULL)
    {
      /* The name can vanish between the watcher's report and the call. */
      if (g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN) ||
          g_error_matches (error, G_DBUS_ERROR, G_DBUS_ERROR_NAME_HAS_NO_OWNER))
        window_show_not_running (self);
      else
        window_show_error (self, _("Could not read the applet’s monitor"), error->message);
      return;
    }

  g_debug ("Mirroring the monitor of %s at %s: %u metrics", self->bus_name, self->object_path,
           g_list_model_get_n_items (health_monitor_get_metrics (monitor)));
  window_show_state (self, "content");
  window_set_monitor (self, monitor);
}

static void
window_connect (HealthWindow *self)
{
  if (self->connection == NULL || self->connecting)
    return;

  self->connecting = TRUE;
  window_show_state (self, "loading");
  health_monitor_new_for_bus_async (self->connection, self->bus_name, self->object_path,
                                    self->cancellable, on_mirror_ready, g_object_ref (self));
}

static void
on_name_appeared (GDBusConnection *connection,
                  const char      *name,
                  const char      *name_owner,
                  gpointer         user_data)
{
  HealthWindow *self = user_data;

  if (self->monitor == NULL)
    window_connect (self);
}

static void
on_name_vanished (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  HealthWindow *self = user_data;

  /* A mirror of a vanished applet would only show unknowns; say why
   * instead, and reconnect when it comes back. */
  if (!self->connecting)
    window_show_not_running (self);
}

static void
on_bus_ready (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(HealthWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->connection = g_bus_get_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (self->connection == NULL)
    {
      window_show_error (self, _("Could not connect to the session bus"), error->message);
      return;
    }

  self->watch_id = g_bus_watch_name_on_connection (self->connection, self->bus_name,
                                                   G_BUS_NAME_WATCHER_FLAGS_NONE,
                                                   on_name_appeared, on_name_vanished,
                                                   self, NULL);
}

static void
on_retry_clicked (HealthWindow *self)
{
  g_debug ("Retrying");

  if (self->connection == NULL)
    {
      window_show_state (self, "loading");
      g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus_ready, g_object_ref (self));
      return;
    }

  window_connect (self);
}

void
health_window_show_preferences (HealthWindow *self)
{
  g_return_if_fail (HEALTH_IS_WINDOW (self));

  if (self->preferences == NULL)
    {
      self->preferences = health_preferences_window_new (self->settings, self->monitor);
      g_object_add_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      gtk_window_set_transient_for (GTK_WINDOW (self->preferences), GTK_WINDOW (self));
      gtk_window_set_destroy_with_parent (GTK_WINDOW (self->preferences), TRUE);
    }

  gtk_window_present (GTK_WINDOW (self->preferences));
}

static void
preferences_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  health_window_show_preferences (HEALTH_WINDOW (widget));
}

static void
about_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  const char *developers[] = { _("The health-monitor authors"), NULL };
  GtkWidget *about = adw_about_window_new ();

  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), _("Health Monitor"));
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), "io.github.healthmonitor.Applet");
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_developers (ADW_ABOUT_WINDOW (about), developers);
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_GPL_3_0);
  gtk_window_set_transient_for (GTK_WINDOW (about), GTK_WINDOW (widget));
  gtk_window_present (GTK_WINDOW (about));
}

static GtkWidget *
build_status_page (HealthWindow *self)
{
  self->status_page = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (self->status_page), "health-unknown-symbolic");

  self->retry = gtk_button_new_with_mnemonic (_("_Retry"));
  gtk_widget_set_halign (self->retry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (self->retry, "pill");
  gtk_widget_add_css_class (self->retry, "suggested-action");
  g_signal_connect_swapped (self->retry, "clicked", G_CALLBACK (on_retry_clicked), self);
  adw_status_page_set_child (ADW_STATUS_PAGE (self->status_page), self->retry);

  return self->status_page;
}

static GtkWidget *
build_loading_page (void)
{
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Connecting to the health applet"), -1);

  return spinner;
}

static GMenuModel *
build_primary_menu (void)
{
  GMenu *menu = g_menu_new ();
  g_autoptr(GMenu) section = g_menu_new ();

  g_menu_append (section, _("_Preferences"), "win.preferences");
  g_menu_append (section, _("_About Health Monitor"), "win.about");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (section));

  return G_MENU_MODEL (menu);
}

static void
on_visible_page_changed (HealthWindow *self)
{
  window_refresh_visible (self);
}

static void
on_record_history_changed (HealthWindow *self)
{
  window_update_journal (self);
}

static void
health_window_dispose (GObject *object)
{
  HealthWindow *self = HEALTH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  g_clear_handle_id (&self->refresh_id, g_source_remove);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, window_update_status, self);
  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->monitor);
  if (self->preferences != NULL)
    {
      g_object_remove_weak_pointer (G_OBJECT (self->preferences), (gpointer *) &self->preferences);
      gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&self->preferences)));
    }

  G_OBJECT_CLASS (health_window_parent_class)->dispose (object);
}

static void
health_window_finalize (GObject *object)
{
  HealthWindow *self = HEALTH_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_object (&self->journal);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->bus_name, g_free);
  g_clear_pointer (&self->object_path, g_free);

  G_OBJECT_CLASS (health_window_parent_class)->finalize (object);
}

static void
health_window_class_init (HealthWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = health_window_dispose;
  object_class->finalize = health_window_finalize;

  gtk_widget_class_install_action (widget_class, "win.preferences", NULL, preferences_action);
  gtk_widget_class_install_action (widget_class, "win.about", NULL, about_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_comma, GDK_CONTROL_MASK,
                                       "win.preferences", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static GtkWidget *
add_page (HealthWindow *self,
          GtkWidget    *page,
          const char   *name,
          const char   *title,
          const char   *icon_name)
{
  AdwViewStackPage *stack_page;

  /* For tests, and the inspector. */
  gtk_widget_set_name (page, name);
  stack_page = adw_view_stack_add_titled (ADW_VIEW_STACK (self->view_stack), page, name, title);
  adw_view_stack_page_set_icon_name (stack_page, icon_name);
  adw_view_stack_page_set_use_underline (stack_page, TRUE);

  return page;
}

static void
health_window_init (HealthWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *menu_button = gtk_menu_button_new ();
  g_autoptr(GMenuModel) menu = build_primary_menu ();

  self->cancellable = g_cancellable_new ();
  self->settings = health_window_lookup_settings ();

  gtk_window_set_title (GTK_WINDOW (self), _("Health Monitor"));
  gtk_window_set_default_size (GTK_WINDOW (self), 600, 680);
  gtk_widget_set_size_request (GTK_WIDGET (self), 360, 300);
  gtk_window_set_icon_name (GTK_WINDOW (self), "io.github.healthmonitor.Applet");

  self->view_stack = adw_view_stack_new ();
  self->overview = add_page (self, health_overview_page_new (), "overview", _("_Overview"),
                             "health-good-symbolic");
  self->history = add_page (self, health_history_page_new (self->settings), "history", _("_History"),
                            "document-open-recent-symbolic");
  self->alerts = add_page (self, health_alerts_page_new (self->settings), "alerts", _("_Alerts"),
                           "dialog-warning-symbolic");
  g_signal_connect_swapped (self->view_stack, "notify::visible-child",
                            G_CALLBACK (on_visible_page_changed), self);

  self->switcher_title = adw_view_switcher_title_new ();
  adw_view_switcher_title_set_title (ADW_VIEW_SWITCHER_TITLE (self->switcher_title), _("Health Monitor"));
  adw_view_switcher_title_set_stack (ADW_VIEW_SWITCHER_TITLE (self->switcher_title),
                                     ADW_VIEW_STACK (self->view_stack));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), self->switcher_title);

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (menu_button), "open-menu-symbolic");
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (menu_button), menu);
  gtk_menu_button_set_primary (GTK_MENU_BUTTON (menu_button), TRUE);
  gtk_widget_set_tooltip_text (menu_button, _("Main Menu"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Main Menu"), -1);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), menu_button);

  self->switcher_bar = adw_view_switcher_bar_new ();
  adw_view_switcher_bar_set_stack (ADW_VIEW_SWITCHER_BAR (self->switcher_bar), ADW_VIEW_STACK (self->view_stack));
  g_signal_connect_swapped (self->switcher_title, "notify::title-visible",
                            G_CALLBACK (window_update_switchers), self);

  self->state = gtk_stack_new ();
  gtk_widget_set_vexpand (self->state, TRUE);
  gtk_stack_add_named (GTK_STACK (self->state), build_loading_page (), "loading");
  gtk_stack_add_named (GTK_STACK (self->state), build_status_page (self), "not-running");
  gtk_stack_add_named (GTK_STACK (self->state), self->view_stack, "content");

  gtk_box_append (GTK_BOX (box), header);
  gtk_box_append (GTK_BOX (box), self->state);
  gtk_box_append (GTK_BOX (box), self->switcher_bar);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (self), box);

  window_show_state (self, "loading");

  if (self->settings != NULL)
    g_signal_connect_swapped (self->settings, "changed::record-history",
                              G_CALLBACK (on_record_history_changed), self);
  self->refresh_id = g_timeout_add_seconds (REFRESH_SECONDS, on_refresh_timeout, self);
}

/* @application may be %NULL: the tests show the window without one. */
GtkWidget *
health_window_new (GtkApplication *application,
                   const char     *bus_name,
                   const char     *object_path)
{
  HealthWindow *self;

  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (bus_name != NULL && g_dbus_is_name (bus_name), NULL);
  g_return_val_if_fail (object_path != NULL && g_variant_is_object_path (object_path), NULL);

  self = g_object_new (HEALTH_TYPE_WINDOW, "application", application, NULL);
  self->bus_name = g_strdup (bus_name);
  self->object_path = g_strdup (object_path);

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus_ready, g_object_ref (self));

  return GTK_WIDGET (self);
}
