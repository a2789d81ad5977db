/* health-overview-page.h: the system's conditions at a glance
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_TYPE_OVERVIEW_PAGE (health_overview_page_get_type ())

G_DECLARE_FINAL_TYPE (HealthOverviewPage, health_overview_page, HEALTH, OVERVIEW_PAGE, GtkWidget)

GtkWidget *health_overview_page_new         (void);
void       health_overview_page_set_monitor (HealthOverviewPage *self,
                                             HealthMonitor      *monitor);

G_END_DECLS
