/* health-gtk-sparkline.h
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

#define HEALTH_GTK_TYPE_SPARKLINE (health_gtk_sparkline_get_type ())

HEALTH_GTK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthGtkSparkline, health_gtk_sparkline, HEALTH_GTK, SPARKLINE, GtkWidget)

HEALTH_GTK_AVAILABLE_IN_ALL
GtkWidget     *health_gtk_sparkline_new         (HealthMetric       *metric);

HEALTH_GTK_AVAILABLE_IN_ALL
HealthMetric  *health_gtk_sparkline_get_metric  (HealthGtkSparkline *self);
HEALTH_GTK_AVAILABLE_IN_ALL
void           health_gtk_sparkline_set_metric  (HealthGtkSparkline *self,
                                                 HealthMetric       *metric);

HEALTH_GTK_AVAILABLE_IN_ALL
HealthMonitor *health_gtk_sparkline_get_monitor (HealthGtkSparkline *self);
HEALTH_GTK_AVAILABLE_IN_ALL
void           health_gtk_sparkline_set_monitor (HealthGtkSparkline *self,
                                                 HealthMonitor      *monitor);

G_END_DECLS
