/* health-monitor-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-alert.h"
#include "health-monitor.h"

G_BEGIN_DECLS

gboolean health_monitor_is_applying      (HealthMonitor *self);

struct _HealthBackend;

void     health_monitor_set_backend      (HealthMonitor         *self,
                                          struct _HealthBackend *backend);

/* What a backend tells a monitor, beyond the values it applies to the
 * metrics themselves (health_metric_apply_remote()). */
typedef enum
{
  HEALTH_EVENT_STATUS,       /* the overall status is now @status */
  HEALTH_EVENT_SAMPLED,      /* a sample is in */
  HEALTH_EVENT_ALERT,        /* @alert */
  HEALTH_EVENT_RECOVERED,    /* @metric is good again */
  HEALTH_EVENT_LOW_MEMORY,   /* memory is @status */
} HealthEventKind;

typedef struct
{
  HealthEventKind  kind;
  HealthStatus     status;
  HealthMetric    *metric;
  HealthAlert     *alert;
} HealthEvent;

void     health_monitor_deliver          (HealthMonitor     *self,
                                          const HealthEvent *event);

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
