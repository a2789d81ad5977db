/* health-gtk-history-chart.h
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

#define HEALTH_GTK_TYPE_HISTORY_CHART (health_gtk_history_chart_get_type ())

HEALTH_GTK_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthGtkHistoryChart, health_gtk_history_chart, HEALTH_GTK, HISTORY_CHART, GtkWidget)

HEALTH_GTK_AVAILABLE_IN_ALL
GtkWidget    *health_gtk_history_chart_new         (void);

HEALTH_GTK_AVAILABLE_IN_ALL
HealthMetric *health_gtk_history_chart_get_metric  (HealthGtkHistoryChart *self);
HEALTH_GTK_AVAILABLE_IN_ALL
void          health_gtk_history_chart_set_metric  (HealthGtkHistoryChart *self,
                                                    HealthMetric          *metric);

HEALTH_GTK_AVAILABLE_IN_ALL
void          health_gtk_history_chart_set_points  (HealthGtkHistoryChart *self,
                                                    GPtrArray             *points);
HEALTH_GTK_AVAILABLE_IN_ALL
guint         health_gtk_history_chart_get_n_points (HealthGtkHistoryChart *self);

HEALTH_GTK_AVAILABLE_IN_ALL
void          health_gtk_history_chart_set_range   (HealthGtkHistoryChart *self,
                                                    gint64                 from_us,
                                                    gint64                 to_us);
HEALTH_GTK_AVAILABLE_IN_ALL
gint64        health_gtk_history_chart_get_from_us (HealthGtkHistoryChart *self);
HEALTH_GTK_AVAILABLE_IN_ALL
gint64        health_gtk_history_chart_get_to_us   (HealthGtkHistoryChart *self);

G_END_DECLS
