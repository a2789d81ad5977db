/* health-monitor-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-alert.h"
#include "health-monitor.h"

G_BEGIN_DECLS

gboolean health_monitor_is_applying      (HealthMonitor *self);

/* A monitor that mirrors another one (over D-Bus): it never samples by
 * itself; sample_async() asks @refresh, which returns @task when the
 * mirror is up to date. */
typedef void (*HealthRemoteRefreshFunc) (HealthMonitor *self,
                                         GTask         *task,
                                         gpointer       user_data);

void     health_monitor_set_remote       (HealthMonitor           *self,
                                          HealthRemoteRefreshFunc  refresh,
                                          gpointer                 user_data,
                                          GDestroyNotify           destroy);
void     health_monitor_set_status_internal (HealthMonitor *self,
                                             HealthStatus   status);
void     health_monitor_emit_sampled     (HealthMonitor *self);
void     health_monitor_emit_alert       (HealthMonitor *self,
                                          HealthAlert   *alert);
void     health_monitor_emit_recovered   (HealthMonitor *self,
                                          HealthMetric  *metric);
void     health_monitor_emit_low_memory  (HealthMonitor *self,
                                          HealthStatus   status);

/* One fresh value of one metric, for operations. */
typedef struct
{
  HealthMetric *metric;   /* owned */
  double        value;
} HealthMeasure;

struct _HealthWorker;

struct _HealthWorker *health_monitor_new_measure_worker (HealthMonitor        *self);
GArray               *health_monitor_measure            (HealthMonitor        *self,
                                                         struct _HealthWorker *worker);

G_END_DECLS
