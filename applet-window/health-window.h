/* health-window.h: the applet's details window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define HEALTH_TYPE_WINDOW (health_window_get_type ())

G_DECLARE_FINAL_TYPE (HealthWindow, health_window, HEALTH, WINDOW, AdwApplicationWindow)

GtkWidget *health_window_new              (GtkApplication *application,
                                           const char     *bus_name,
                                           const char     *object_path);
void       health_window_show_preferences (HealthWindow   *self);

G_END_DECLS
