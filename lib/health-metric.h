/* health-metric.h
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
#include "health-sample.h"

G_BEGIN_DECLS

#define HEALTH_TYPE_METRIC (health_metric_get_type ())

/* Declared in full in health-monitor.h, which needs HealthMetric first. */
typedef struct _HealthMonitor HealthMonitor;

HEALTH_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthMetric, health_metric, HEALTH, METRIC, GObject)

HEALTH_AVAILABLE_IN_ALL
HealthMetric    *health_metric_new                (const char      *id,
                                                   const char      *label,
                                                   const char      *unit,
                                                   HealthDirection  direction,
                                                   double           warning,
                                                   double           critical);

HEALTH_AVAILABLE_IN_ALL
const char      *health_metric_get_id             (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
const char      *health_metric_get_label          (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_label          (HealthMetric    *self,
                                                   const char      *label);
HEALTH_AVAILABLE_IN_ALL
const char      *health_metric_get_unit           (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
HealthDirection  health_metric_get_direction      (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_warning        (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_critical       (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
gboolean         health_metric_set_thresholds     (HealthMetric    *self,
                                                   double           warning,
                                                   double           critical,
                                                   GError         **error);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_reset_thresholds   (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_hysteresis     (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_hysteresis     (HealthMetric    *self,
                                                   double           hysteresis);
HEALTH_AVAILABLE_IN_ALL
guint            health_metric_get_sustain        (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_sustain        (HealthMetric    *self,
                                                   guint            sustain);
HEALTH_AVAILABLE_IN_ALL
const char      *health_metric_get_recommendation (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_recommendation (HealthMetric    *self,
                                                   const char      *recommendation);
HEALTH_AVAILABLE_IN_ALL
guint            health_metric_get_history_size   (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_history_size   (HealthMetric    *self,
                                                   guint            history_size);

HEALTH_AVAILABLE_IN_ALL
const char      *health_metric_get_condition      (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_condition      (HealthMetric    *self,
                                                   const char      *condition);
HEALTH_AVAILABLE_IN_ALL
HealthScope      health_metric_get_scope          (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_bound          (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_bound          (HealthMetric    *self,
                                                   double           bound);
HEALTH_AVAILABLE_IN_ALL
const char      *health_metric_get_detail         (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_detail         (HealthMetric    *self,
                                                   const char      *detail);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_trend_min_span (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_set_trend_min_span (HealthMetric    *self,
                                                   double           seconds);
HEALTH_AVAILABLE_IN_ALL
void             health_metric_update             (HealthMetric    *self,
                                                   double           value);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_value          (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
HealthStatus     health_metric_get_status         (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
HealthTrend      health_metric_get_trend          (HealthMetric    *self,
                                                   double           window_seconds);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_forecast       (HealthMetric    *self,
                                                   HealthStatus     level);
HEALTH_AVAILABLE_IN_ALL
double           health_metric_get_threshold      (HealthMetric    *self,
                                                   HealthStatus     level);
HEALTH_AVAILABLE_IN_ALL
HealthSample    *health_metric_dup_history        (HealthMetric    *self,
                                                   guint           *n_samples);
HEALTH_AVAILABLE_IN_ALL
guint            health_metric_get_n_samples      (HealthMetric    *self);
HEALTH_AVAILABLE_IN_ALL
char            *health_metric_format_value       (HealthMetric    *self,
                                                   double           value);
HEALTH_AVAILABLE_IN_ALL
HealthMonitor   *health_metric_get_monitor        (HealthMetric    *self);

G_END_DECLS
