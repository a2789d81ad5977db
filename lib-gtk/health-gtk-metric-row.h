/* health-gtk-metric-row.h
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

#define HEALTH_GTK_TYPE_METRIC_ROW (health_gtk_metric_row_get_type ())

HEALTH_GTK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthGtkMetricRow, health_gtk_metric_row, HEALTH_GTK, METRIC_ROW, GtkWidget)

HEALTH_GTK_AVAILABLE_IN_ALL
GtkWidget     *health_gtk_metric_row_new         (HealthMetric       *metric);

HEALTH_GTK_AVAILABLE_IN_ALL
HealthMetric  *health_gtk_metric_row_get_metric  (HealthGtkMetricRow *self);
HEALTH_GTK_AVAILABLE_IN_ALL
void           health_gtk_metric_row_set_metric  (HealthGtkMetricRow *self,
                                                  HealthMetric       *metric);

HEALTH_GTK_AVAILABLE_IN_ALL
HealthMonitor *health_gtk_metric_row_get_monitor (HealthGtkMetricRow *self);
HEALTH_GTK_AVAILABLE_IN_ALL
void           health_gtk_metric_row_set_monitor (HealthGtkMetricRow *self,
                                                  HealthMonitor      *monitor);

G_END_DECLS
