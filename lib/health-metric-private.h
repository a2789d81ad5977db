/* health-metric-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-metric.h"
#include "health-clock-private.h"

G_BEGIN_DECLS

/* The window of the `trend` property and of forecasts, as the seed's. */
#define HEALTH_METRIC_TREND_WINDOW_SECONDS 300.0

/* The change over the window, relative to the distance between the
 * thresholds, below which a trend is called stable. */
#define HEALTH_METRIC_STABLE_FRACTION 0.1

/* The fewest samples a trend is fitted through. */
#define HEALTH_METRIC_TREND_MIN_SAMPLES 5

void          health_metric_apply            (HealthMetric     *self,
                                              double            value,
                                              const HealthTime *now);
gint64        health_metric_get_status_since (HealthMetric     *self);
gboolean      health_metric_is_worsening     (HealthMetric     *self);
double        health_metric_get_seconds_to_bound (HealthMetric *self);
void          health_metric_set_default_thresholds (HealthMetric *self,
                                                    double        warning,
                                                    double        critical);
gboolean      health_metric_get_thresholds_customized (HealthMetric *self);

/* The monitor a metric belongs to hears of each change outside its
 * samples (the app updated the metric, or its rules changed), at once,
 * to judge it. */
typedef void (*HealthMetricChangedFunc) (HealthMonitor *monitor,
                                         HealthMetric  *metric,
                                         HealthStatus   old_status);

void          health_metric_set_monitor      (HealthMetric            *self,
                                              HealthMonitor           *monitor,
                                              HealthMetricChangedFunc  changed);

char         *health_format_duration         (double            seconds);

/* A mirror of a remote metric takes its figures as they are. */
void          health_metric_apply_remote     (HealthMetric     *self,
                                              double            value,
                                              HealthStatus      status,
                                              HealthTrend       trend,
                                              gint64            time_us);
void          health_metric_load_history     (HealthMetric       *self,
                                              const HealthSample *samples,
                                              guint               n_samples);

G_END_DECLS
