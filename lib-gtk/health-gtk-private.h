/* health-gtk-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the widgets of libhealth-gtk share and users do not see.
 */

#pragma once

#include <gtk/gtk.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_GTK_RESOURCE_PATH "/io/github/healthmonitor/HealthGtk"

void   health_gtk_init_for_display     (GdkDisplay   *display);
GIcon *health_gtk_status_dup_icon      (HealthStatus  status,
                                        GtkIconTheme *theme);
void   health_gtk_widget_set_status    (GtkWidget    *widget,
                                        HealthStatus  status);
void   health_gtk_widget_get_color     (GtkWidget    *widget,
                                        GdkRGBA      *color);
char  *health_gtk_metric_dup_label     (HealthMetric *metric);
char  *health_gtk_metric_format_value  (HealthMetric *metric,
                                        double        value);
void   health_gtk_lookup_color         (GtkWidget    *widget,
                                        const char   *name,
                                        const char   *fallback,
                                        GdkRGBA      *color);

G_END_DECLS
