/* health-thresholds.h: checking and storing thresholds from the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <health.h>

G_BEGIN_DECLS

gboolean  health_thresholds_validate (HealthMetric  *metric,
                                      double         warning,
                                      double         critical,
                                      GError       **error);
GVariant *health_thresholds_replace  (GVariant      *thresholds,
                                      const char    *metric_id,
                                      double         warning,
                                      double         critical);
GVariant *health_thresholds_remove   (GVariant      *thresholds,
                                      const char    *metric_id);
gboolean  health_thresholds_lookup   (GVariant      *thresholds,
                                      const char    *metric_id,
                                      double        *warning,
                                      double        *critical);

GHashTable *health_thresholds_apply (HealthMonitor *monitor,
                                     GVariant      *thresholds,
                                     GHashTable    *previous);

G_END_DECLS
