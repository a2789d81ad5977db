/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <health.h>

G_BEGIN_DECLS

/* A condition ("memory", "swap"... or an app metric's id) with at
 * least one metric at WARNING or worse. */
typedef struct
{
  char         *name;
  HealthStatus  status;   /* the worst of its metrics */
  GPtrArray    *metrics;  /* HealthMetric, the worst first */
} HealthAppletCondition;

GPtrArray             *health_applet_conditions_list_troubled (HealthMonitor         *monitor);
HealthAppletCondition *health_applet_conditions_find          (GPtrArray             *conditions,
                                                               const char            *name);
char                  *health_applet_condition_dup_title      (HealthAppletCondition *condition);
char                  *health_applet_metric_dup_phrase        (HealthMetric          *metric);

G_END_DECLS
