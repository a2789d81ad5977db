/* health-monitor.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(HEALTH_INSIDE) && !defined(HEALTH_COMPILATION)
#error "Only <health.h> can be included directly."
#endif

#include <gio/gio.h>

#include "health-version.h"
#include "health-types.h"
#include "health-metric.h"
#include "health-operation.h"

G_BEGIN_DECLS

#define HEALTH_TYPE_MONITOR (health_monitor_get_type ())

/**
 * HEALTH_MONITOR_MIN_INTERVAL:
 *
 * The shortest [property@Health.Monitor:interval] a monitor takes, in
 * milliseconds. Front ends check what users type against it and
 * [const@Health.MONITOR_MAX_INTERVAL] before they set it.
 *
 * Since: 1.0
 */
#define HEALTH_MONITOR_MIN_INTERVAL 10

/**
 * HEALTH_MONITOR_MAX_INTERVAL:
 *
 * The longest [property@Health.Monitor:interval], in milliseconds: a day.
 *
 * Since: 1.0
 */
#define HEALTH_MONITOR_MAX_INTERVAL 86400000

HEALTH_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthMonitor, health_monitor, HEALTH, MONITOR, GObject)

/**
 * HealthSampleFunc:
 * @metric: the metric being sampled
 * @user_data: the data passed when the metric was added
 *
 * Measures the current value of an app-defined metric.
 *
 * Returning NaN says the value is unknown right now: the metric becomes
 * %HEALTH_STATUS_UNKNOWN and never alerts.
 *
 * Returns: the current value, or NaN when it cannot be measured
 *
 * Since: 1.0
 */
typedef double (*HealthSampleFunc) (HealthMetric *metric,
                                    gpointer      user_data);

HEALTH_AVAILABLE_IN_ALL
HealthMonitor    *health_monitor_new                  (void);
HEALTH_AVAILABLE_IN_ALL
HealthMonitor    *health_monitor_get_default          (void);

HEALTH_AVAILABLE_IN_ALL
void              health_monitor_start                (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_stop                 (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_get_active           (HealthMonitor        *self);

HEALTH_AVAILABLE_IN_ALL
void              health_monitor_sample_async         (HealthMonitor        *self,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_sample_finish        (HealthMonitor        *self,
                                                       GAsyncResult         *result,
                                                       GError              **error);

HEALTH_AVAILABLE_IN_ALL
guint             health_monitor_get_interval         (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_set_interval         (HealthMonitor        *self,
                                                       guint                 interval);
HEALTH_AVAILABLE_IN_ALL
guint             health_monitor_get_history_size     (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_set_history_size     (HealthMonitor        *self,
                                                       guint                 history_size);
HEALTH_AVAILABLE_IN_ALL
guint             health_monitor_get_alert_cooldown   (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_set_alert_cooldown   (HealthMonitor        *self,
                                                       guint                 alert_cooldown);
HEALTH_AVAILABLE_IN_ALL
guint             health_monitor_get_emergency_after  (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
double            health_monitor_get_trend_min_span   (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_set_trend_min_span   (HealthMonitor        *self,
                                                       double                seconds);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_set_emergency_after  (HealthMonitor        *self,
                                                       guint                 emergency_after);
HEALTH_AVAILABLE_IN_ALL
HealthBuiltin     health_monitor_get_builtin          (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
const char       *health_monitor_get_proc_root        (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
const char       *health_monitor_get_disk_path        (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_set_disk_path        (HealthMonitor        *self,
                                                       const char           *disk_path);
HEALTH_AVAILABLE_IN_ALL
HealthStatus      health_monitor_get_status           (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
char             *health_monitor_dup_unknown_reason   (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
GListModel       *health_monitor_get_metrics          (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
guint             health_monitor_get_overruns         (HealthMonitor        *self);

HEALTH_AVAILABLE_IN_ALL
HealthMetric     *health_monitor_get_metric           (HealthMonitor        *self,
                                                       const char           *id);
HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_add_metric           (HealthMonitor        *self,
                                                       HealthMetric         *metric);
HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_add_sampled_metric   (HealthMonitor        *self,
                                                       HealthMetric         *metric,
                                                       HealthSampleFunc      func,
                                                       gpointer              user_data,
                                                       GDestroyNotify        destroy);
HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_add_sampled_metric_with_closure (HealthMonitor *self,
                                                                  HealthMetric  *metric,
                                                                  GClosure      *closure);
HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_add_worker_metric    (HealthMonitor        *self,
                                                       HealthMetric         *metric,
                                                       HealthSampleFunc      func,
                                                       gpointer              user_data,
                                                       GDestroyNotify        destroy);
HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_remove_metric        (HealthMonitor        *self,
                                                       const char           *id);

HEALTH_AVAILABLE_IN_ALL
void              health_monitor_track_object         (HealthMonitor        *self,
                                                       GObject              *object);
HEALTH_AVAILABLE_IN_ALL
guint             health_monitor_get_n_tracked_objects (HealthMonitor       *self);

HEALTH_AVAILABLE_IN_ALL
GVariant         *health_monitor_get_summary          (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
char             *health_monitor_to_json              (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
char            **health_monitor_get_recommendations  (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
char             *health_monitor_to_openmetrics       (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
char             *health_monitor_to_prometheus_text   (HealthMonitor        *self);

HEALTH_AVAILABLE_IN_ALL
HealthOperation  *health_monitor_begin_operation      (HealthMonitor        *self,
                                                       const char           *name);

HEALTH_AVAILABLE_IN_ALL
gboolean          health_monitor_export               (HealthMonitor        *self,
                                                       GDBusConnection      *connection,
                                                       const char           *object_path,
                                                       GError              **error);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_unexport             (HealthMonitor        *self);
HEALTH_AVAILABLE_IN_ALL
void              health_monitor_new_for_bus_async    (GDBusConnection      *connection,
                                                       const char           *bus_name,
                                                       const char           *object_path,
                                                       GCancellable         *cancellable,
                                                       GAsyncReadyCallback   callback,
                                                       gpointer              user_data);
HEALTH_AVAILABLE_IN_ALL
HealthMonitor    *health_monitor_new_for_bus_finish   (GAsyncResult         *result,
                                                       GError              **error);

G_END_DECLS
