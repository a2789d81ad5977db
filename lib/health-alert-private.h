/* health-alert-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-alert.h"

G_BEGIN_DECLS

HealthAlert *health_alert_new (HealthMetric *metric,
                               HealthStatus  status,
                               const char   *culprit,
                               gint64        time_us);

HealthAlert *health_alert_new_full (HealthMetric *metric,
                                    HealthStatus  status,
                                    double        value,
                                    double        threshold,
                                    HealthTrend   trend,
                                    double        forecast,
                                    const char   *message,
                                    const char   *culprit,
                                    gint64        time_us);

G_END_DECLS
