/* health-gtk-monitor-view.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(HEALTH_GTK_INSIDE) && !defined(HEALTH_GTK_COMPILATION)
#error "Only <health-gtk.h> can be included directly."
#endif

#include <gtk/gtk.h>
#include <health.h>

#include "health-gtk-version.h"

G_BEGIN_DECLS

#define HEALTH_GTK_TYPE_MONITOR_VIEW (health_gtk_monitor_view_get_type ())

HEALTH_GTK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthGtkMonitorView, health_gtk_monitor_view, HEALTH_GTK, MONITOR_VIEW, GtkWidget)

HEALTH_GTK_AVAILABLE_IN_ALL
GtkWidget     *health_gtk_monitor_view_new         (HealthMonitor        *monitor);

HEALTH_GTK_AVAILABLE_IN_ALL
HealthMonitor *health_gtk_monitor_view_get_monitor (HealthGtkMonitorView *self);
HEALTH_GTK_AVAILABLE_IN_ALL
void           health_gtk_monitor_view_set_monitor (HealthGtkMonitorView *self,
                                                    HealthMonitor        *monitor);

G_END_DECLS
