/* health-monitor-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-monitor.h"

G_BEGIN_DECLS

/* A metric of the monitor changed outside a sample (the app called
 * health_metric_update(), or thresholds changed). */
void health_monitor_metric_updated (HealthMonitor *self,
                                    HealthMetric  *metric,
                                    HealthStatus   old_status);

G_END_DECLS
