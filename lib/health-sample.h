/* health-sample.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(HEALTH_INSIDE) && !defined(HEALTH_COMPILATION)
#error "Only <health.h> can be included directly."
#endif

#include <glib-object.h>

#include "health-version.h"

G_BEGIN_DECLS

#define HEALTH_TYPE_SAMPLE (health_sample_get_type ())

typedef struct _HealthSample HealthSample;

/**
 * HealthSample:
 * @time_us: wall-clock time of the sample, in microseconds since the epoch
 *   (as [func@GLib.get_real_time])
 * @value: the value of the metric at that time
 *
 * One entry of a metric's history; see [method@Health.Metric.dup_history].
 *
 * Since: 1.0
 */
struct _HealthSample
{
  gint64 time_us;
  double value;
};

HEALTH_AVAILABLE_IN_ALL
GType         health_sample_get_type (void) G_GNUC_CONST;
HEALTH_AVAILABLE_IN_ALL
HealthSample *health_sample_copy     (const HealthSample *self);
HEALTH_AVAILABLE_IN_ALL
void          health_sample_free     (HealthSample       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthSample, health_sample_free)

G_END_DECLS
