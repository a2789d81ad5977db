/* health-alert.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(HEALTH_INSIDE) && !defined(HEALTH_COMPILATION)
#error "Only <health.h> can be included directly."
#endif

#include <glib-object.h>

#include "health-version.h"
#include "health-types.h"
#include "health-metric.h"

G_BEGIN_DECLS

#define HEALTH_TYPE_ALERT (health_alert_get_type ())

HEALTH_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthAlert, health_alert, HEALTH, ALERT, GObject)

HEALTH_AVAILABLE_IN_ALL
HealthMetric *health_alert_get_metric    (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
HealthStatus  health_alert_get_status    (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
double        health_alert_get_value     (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
double        health_alert_get_threshold (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
HealthTrend   health_alert_get_trend     (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
double        health_alert_get_forecast  (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
const char   *health_alert_get_message   (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
const char   *health_alert_get_culprit   (HealthAlert *self);
HEALTH_AVAILABLE_IN_ALL
gint64        health_alert_get_time      (HealthAlert *self);

G_END_DECLS
