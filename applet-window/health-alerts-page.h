/* health-alerts-page.h: the log of alerts and recoveries
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_TYPE_ALERTS_PAGE (health_alerts_page_get_type ())

G_DECLARE_FINAL_TYPE (HealthAlertsPage, health_alerts_page, HEALTH, ALERTS_PAGE, GtkWidget)

GtkWidget *health_alerts_page_new         (GSettings        *settings);
void       health_alerts_page_set_monitor (HealthAlertsPage *self,
                                           HealthMonitor    *monitor);
void       health_alerts_page_set_journal (HealthAlertsPage *self,
                                           HealthJournal    *journal);
void       health_alerts_page_refresh     (HealthAlertsPage *self);

G_END_DECLS
