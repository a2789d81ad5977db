/* health-preferences-window.h: the applet's preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_TYPE_PREFERENCES_WINDOW (health_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (HealthPreferencesWindow, health_preferences_window, HEALTH, PREFERENCES_WINDOW, AdwPreferencesWindow)

GtkWidget *health_preferences_window_new         (GSettings               *settings,
                                                  HealthMonitor           *monitor);
void       health_preferences_window_set_monitor (HealthPreferencesWindow *self,
                                                  HealthMonitor           *monitor);

G_END_DECLS
