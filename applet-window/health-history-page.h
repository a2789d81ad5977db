/* health-history-page.h: a metric's history from the applet's journal
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_TYPE_HISTORY_PAGE (health_history_page_get_type ())

G_DECLARE_FINAL_TYPE (HealthHistoryPage, health_history_page, HEALTH, HISTORY_PAGE, GtkWidget)

GtkWidget *health_history_page_new         (GSettings         *settings);
void       health_history_page_set_monitor (HealthHistoryPage *self,
                                            HealthMonitor     *monitor);
void       health_history_page_set_journal (HealthHistoryPage *self,
                                            HealthJournal     *journal);
void       health_history_page_refresh     (HealthHistoryPage *self);

G_END_DECLS
