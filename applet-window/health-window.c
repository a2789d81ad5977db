/* health-window.c: the applet's details and preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The window holds no monitor of its own: it mirrors the one the applet
 * exports, so opening it costs no sampling and closing it frees
 * everything. It watches the applet's bus name, connects when the name
 * appears and shows why it cannot while it is gone.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <health-gtk.h>

#include "health-preferences-page.h"
#include "health-window.h"

struct _HealthWindow
{
  GtkApplicationWindow parent_instance;

  char             *bus_name;
  char             *object_path;

  GDBusConnection  *connection;
  GCancellable     *cancellable;
  HealthMonitor    *monitor;
  guint             watch_id;
  gboolean          connecting;

  GtkWidget        *subtitle;
  GtkWidget        *details;
  GtkWidget        *view;
  GtkWidget        *error_title;
  GtkWidget        *error_detail;
  GtkWidget        *preferences;
  GtkWidget        *pages;
};

G_DEFINE_FINAL_TYPE (HealthWindow, health_window, GTK_TYPE_APPLICATION_WINDOW)

static void window_connect (HealthWindow *self);

static void
window_update_status (HealthWindow *self)
{
  g_autofree char *text = NULL;

  if (self->monitor == NULL)
    {
      gtk_label_set_text (GTK_LABEL (self->subtitle), "");
      gtk_widget_set_visible (self->subtitle, FALSE);
      return;
    }

  /* Translators: the window's subtitle, %s is a health status such as “Critical”. */
  text = g_strdup_printf (_("Overall: %s"),
                          health_status_to_label (health_monitor_get_status (self->monitor)));
  gtk_label_set_text (GTK_LABEL (self->subtitle), text);
  gtk_widget_set_visible (self->subtitle, TRUE);
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

  health_gtk_monitor_view_set_monitor (HEALTH_GTK_MONITOR_VIEW (self->view), monitor);
  health_preferences_page_set_monitor (HEALTH_PREFERENCES_PAGE (self->preferences), monitor);
  window_update_status (self);
}

static void
window_show_error (HealthWindow *self,
                   const char   *title,
                   const char   *detail)
{
  /* Also logged: tests and bug reports see which error the window showed. */
  g_debug ("Showing an error: %s (%s)", title, detail != NULL ? detail : "");
  window_set_monitor (self, NULL);
  gtk_label_set_text (GTK_LABEL (self->error_title), title);
  gtk_label_set_text (GTK_LABEL (self->error_detail), detail != NULL ? detail : "");
  gtk_widget_set_visible (self->error_detail, detail != NULL);
  gtk_stack_set_visible_child_name (GTK_STACK (self->details), "error");
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
  window_set_monitor (self, monitor);
  gtk_stack_set_visible_child_name (GTK_STACK (self->details), "view");
}

static void
window_connect (HealthWindow *self)
{
  if (self->connection == NULL || self->connecting)
    return;

  self->connecting = TRUE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->details), "loading");
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
  if (self->connection == NULL)
    {
      gtk_stack_set_visible_child_name (GTK_STACK (self->details), "loading");
      g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus_ready, g_object_ref (self));
      return;
    }

  window_connect (self);
}

static GtkWidget *
build_error_page (HealthWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *icon = gtk_image_new_from_icon_name ("health-unknown-symbolic");
  GtkWidget *retry = gtk_button_new_with_mnemonic (_("_Retry"));

  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_start (box, 24);
  gtk_widget_set_margin_end (box, 24);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 64);
  gtk_widget_add_css_class (icon, "dim-label");

  self->error_title = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->error_title, "title-2");
  gtk_label_set_wrap (GTK_LABEL (self->error_title), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->error_title), GTK_JUSTIFY_CENTER);

  self->error_detail = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_detail), TRUE);
  gtk_label_set_justify (GTK_LABEL (self->error_detail), GTK_JUSTIFY_CENTER);
  gtk_label_set_selectable (GTK_LABEL (self->error_detail), TRUE);

  gtk_widget_set_halign (retry, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (retry, "suggested-action");
  g_signal_connect_swapped (retry, "clicked", G_CALLBACK (on_retry_clicked), self);

  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), self->error_title);
  gtk_box_append (GTK_BOX (box), self->error_detail);
  gtk_box_append (GTK_BOX (box), retry);

  return box;
}

static GtkWidget *
build_loading_page (void)
{
  GtkWidget *spinner = gtk_spinner_new ();

  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_widget_set_size_request (spinner, 32, 32);
  gtk_widget_set_halign (spinner, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (spinner, GTK_ALIGN_CENTER);

  return spinner;
}

static void
health_window_dispose (GObject *object)
{
  HealthWindow *self = HEALTH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->watch_id, g_bus_unwatch_name);
  if (self->monitor != NULL)
    g_signal_handlers_disconnect_by_func (self->monitor, window_update_status, self);
  g_clear_object (&self->monitor);

  G_OBJECT_CLASS (health_window_parent_class)->dispose (object);
}

static void
health_window_finalize (GObject *object)
{
  HealthWindow *self = HEALTH_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->connection);
  g_clear_pointer (&self->bus_name, g_free);
  g_clear_pointer (&self->object_path, g_free);

  G_OBJECT_CLASS (health_window_parent_class)->finalize (object);
}

static void
health_window_class_init (HealthWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = health_window_dispose;
  object_class->finalize = health_window_finalize;
}

static void
health_window_init (HealthWindow *self)
{
  GtkWidget *header = gtk_header_bar_new ();
  GtkWidget *title_box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *title = gtk_label_new (_("Health Monitor"));
  GtkWidget *switcher = gtk_stack_switcher_new ();

  self->cancellable = g_cancellable_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Health Monitor"));
  gtk_window_set_default_size (GTK_WINDOW (self), 560, 640);
  gtk_window_set_icon_name (GTK_WINDOW (self), "health-good-symbolic");

  gtk_widget_add_css_class (title, "title");
  self->subtitle = gtk_label_new (NULL);
  gtk_widget_add_css_class (self->subtitle, "subtitle");
  gtk_widget_set_visible (self->subtitle, FALSE);
  gtk_widget_set_valign (title_box, GTK_ALIGN_CENTER);
  gtk_box_append (GTK_BOX (title_box), title);
  gtk_box_append (GTK_BOX (title_box), self->subtitle);
  gtk_header_bar_set_title_widget (GTK_HEADER_BAR (header), title_box);
  gtk_header_bar_pack_start (GTK_HEADER_BAR (header), switcher);
  gtk_window_set_titlebar (GTK_WINDOW (self), header);

  /* The view scrolls by itself. */
  self->view = health_gtk_monitor_view_new (NULL);

  self->details = gtk_stack_new ();
  gtk_stack_add_named (GTK_STACK (self->details), build_loading_page (), "loading");
  gtk_stack_add_named (GTK_STACK (self->details), build_error_page (self), "error");
  gtk_stack_add_named (GTK_STACK (self->details), self->view, "view");
  gtk_stack_set_visible_child_name (GTK_STACK (self->details), "loading");

  self->preferences = health_preferences_page_new ();

  self->pages = gtk_stack_new ();
  gtk_stack_set_transition_type (GTK_STACK (self->pages), GTK_STACK_TRANSITION_TYPE_CROSSFADE);
  gtk_stack_add_titled (GTK_STACK (self->pages), self->details, "details", _("Details"));
  gtk_stack_add_titled (GTK_STACK (self->pages), self->preferences, "preferences", _("Preferences"));
  gtk_stack_switcher_set_stack (GTK_STACK_SWITCHER (switcher), GTK_STACK (self->pages));
  gtk_window_set_child (GTK_WINDOW (self), self->pages);
}

GtkWidget *
health_window_new (GtkApplication *application,
                   const char     *bus_name,
                   const char     *object_path,
                   gboolean        show_preferences)
{
  HealthWindow *self;

  g_return_val_if_fail (GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (bus_name != NULL && g_dbus_is_name (bus_name), NULL);
  g_return_val_if_fail (object_path != NULL && g_variant_is_object_path (object_path), NULL);

  self = g_object_new (HEALTH_TYPE_WINDOW, "application", application, NULL);
  self->bus_name = g_strdup (bus_name);
  self->object_path = g_strdup (object_path);

  if (show_preferences)
    gtk_stack_set_visible_child_name (GTK_STACK (self->pages), "preferences");

  g_bus_get (G_BUS_TYPE_SESSION, self->cancellable, on_bus_ready, g_object_ref (self));

  return GTK_WIDGET (self);
}
