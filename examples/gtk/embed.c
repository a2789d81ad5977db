/* embed.c: a GTK 4 application showing the health of its machine.
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * cc embed.c $(pkg-config --cflags --libs health-gtk-1)
 */

#include <glib-unix.h>
#include <health-gtk.h>

/* Optional: the title tells the overall status, even when minimised. */
static void
update_title (HealthMonitor *monitor,
              GParamSpec    *pspec G_GNUC_UNUSED,
              GtkWindow     *window)
{
  g_autofree char *title = NULL;

  title = g_strdup_printf ("Health: %s",
                           health_status_to_label (health_monitor_get_status (monitor)));
  gtk_window_set_title (window, title);
}

static void
on_activate (GtkApplication *app)
{
  GtkWidget *window = gtk_application_window_new (app);

  gtk_window_set_default_size (GTK_WINDOW (window), 520, 640);

  /* The three lines that embed the view; it keeps the monitor alive. */
  g_autoptr(HealthMonitor) monitor = health_monitor_new ();
  health_monitor_start (monitor);
  gtk_window_set_child (GTK_WINDOW (window), health_gtk_monitor_view_new (monitor));

  update_title (monitor, NULL, GTK_WINDOW (window));
  g_signal_connect_object (monitor, "notify::status", G_CALLBACK (update_title), window, 0);

  gtk_window_present (GTK_WINDOW (window));
}

static gboolean
on_terminate (gpointer user_data)
{
  /* Quit as when the last window closes: widgets and monitor disposed. */
  g_application_quit (G_APPLICATION (user_data));

  return G_SOURCE_CONTINUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GtkApplication) app = NULL;

  app = gtk_application_new ("io.github.healthmonitor.EmbedExample", G_APPLICATION_NON_UNIQUE);
  g_signal_connect (app, "activate", G_CALLBACK (on_activate), NULL);

  g_unix_signal_add (SIGTERM, on_terminate, app);
  g_unix_signal_add (SIGINT, on_terminate, app);

  return g_application_run (G_APPLICATION (app), argc, argv);
}
