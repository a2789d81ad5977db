/* health-preferences-page.h: the window's preferences, bound to GSettings
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_TYPE_PREFERENCES_PAGE (health_preferences_page_get_type ())

G_DECLARE_FINAL_TYPE (HealthPreferencesPage, health_preferences_page, HEALTH, PREFERENCES_PAGE, GtkWidget)

GtkWidget *health_preferences_page_new         (void);
void       health_preferences_page_set_monitor (HealthPreferencesPage *self,
                                                HealthMonitor         *monitor);

G_END_DECLS
