/* health-sample.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "health-sample.h"

G_DEFINE_BOXED_TYPE (HealthSample, health_sample, health_sample_copy, health_sample_free)

/**
 * health_sample_copy:
 * @self: a sample
 *
 * Copies @self.
 *
 * Returns: (transfer full): a new sample
 *
 * Since: 1.0
 */
HealthSample *
health_sample_copy (const HealthSample *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

/**
 * health_sample_free:
 * @self: a sample
 *
 * Frees a sample made by [method@Health.Sample.copy].
 *
 * Since: 1.0
 */
void
health_sample_free (HealthSample *self)
{
  g_free (self);
}
