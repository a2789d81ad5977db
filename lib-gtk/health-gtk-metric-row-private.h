/* health-gtk-metric-row-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-gtk-metric-row.h"
#include "health-gtk-sparkline.h"

G_BEGIN_DECLS

GtkLabel           *health_gtk_metric_row_get_label_widget (HealthGtkMetricRow *self);
GtkLabel           *health_gtk_metric_row_get_value_widget (HealthGtkMetricRow *self);
GtkImage           *health_gtk_metric_row_get_status_image (HealthGtkMetricRow *self);
HealthGtkSparkline *health_gtk_metric_row_get_sparkline    (HealthGtkMetricRow *self);

G_END_DECLS
