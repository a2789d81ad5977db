/* health-probes.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The registry of built-in probes. A new probe adds its class here.
 */

#include "config.h"

#include "health-probe-interface-private.h"
#include "health-builtin-probes-private.h"

static const HealthProbeClass * const probe_classes[] = {
  &health_probe_meminfo_class,
  &health_probe_stat_class,
  &health_probe_loadavg_class,
  &health_probe_disk_class,
  &health_probe_pressure_class,
  &health_probe_self_class,
};

const HealthProbeClass * const *
health_probe_get_classes (guint *n_classes)
{
  *n_classes = G_N_ELEMENTS (probe_classes);
  return probe_classes;
}
