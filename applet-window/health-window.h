/* health-window.h: the applet's details and preferences window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define HEALTH_TYPE_WINDOW (health_window_get_type ())

G_DECLARE_FINAL_TYPE (HealthWindow, health_window, HEALTH, WINDOW, GtkApplicationWindow)

GtkWidget *health_window_new (GtkApplication *application,
                              const char     *bus_name,
                              const char     *object_path,
                              gboolean        show_preferences);

G_END_DECLS
