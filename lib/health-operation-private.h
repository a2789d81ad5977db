/* health-operation-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "health-monitor.h"
#include "health-operation.h"

G_BEGIN_DECLS

/* The share of the distance between the thresholds (of the start value,
 * at least 1, for a metric without thresholds, as in the seed) above
 * which a change is significant. */
#define HEALTH_OPERATION_SIGNIFICANT_PERCENT 10.0

HealthOperation *health_operation_new (HealthMonitor *monitor,
                                       const char    *name);

G_END_DECLS
