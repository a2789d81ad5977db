/* health-metric-thresholds.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A metric's thresholds, hysteresis and sustain, and the status they
 * make of a value: which thresholds are valid, the level a value
 * reaches, and judging it again when the rules change.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-metric-impl-private.h"


gboolean
health_metric_thresholds_are_valid (HealthDirection   direction,
                                    double            warning,
                                    double            critical,
                                    GError          **error)
{
  if (!isfinite (warning) || !isfinite (critical))
    {
      g_set_error (error, HEALTH_ERROR, HEALTH_ERROR_INVALID_THRESHOLDS,
                   _("Thresholds must be finite numbers"));
      return FALSE;
    }

  if (direction == HEALTH_DIRECTION_ABOVE && warning > critical)
    {
      g_set_error (error, HEALTH_ERROR, HEALTH_ERROR_INVALID_THRESHOLDS,
                   _("The warning threshold (%g) must not be above the critical one (%g) when higher values are worse"),
                   warning, critical);
      return FALSE;
    }

  if (direction == HEALTH_DIRECTION_BELOW && warning < critical)
    {
      g_set_error (error, HEALTH_ERROR, HEALTH_ERROR_INVALID_THRESHOLDS,
                   _("The warning threshold (%g) must not be below the critical one (%g) when lower values are worse"),
                   warning, critical);
      return FALSE;
    }

  return TRUE;
}

gboolean
health_metric_has_thresholds (HealthMetric *self)
{
  return !isnan (self->warning) && !isnan (self->critical);
}

/* Whether @value is beyond @threshold, moved toward the healthy side by
 * @margin: with a positive margin, a value must cross further back to
 * count as recovered. */
gboolean
health_metric_is_beyond (HealthMetric *self,
                         double        value,
                         double        threshold,
                         double        margin)
{
  if (self->direction == HEALTH_DIRECTION_ABOVE)
    return value >= threshold - margin;
  else
    return value <= threshold + margin;
}

/* The level @value reaches, with hysteresis applied to the levels the
 * metric already is at, so it leaves them only once the value has
 * crossed back by the margin. */
static HealthStatus
metric_level_for_value (HealthMetric *self,
                        double        value)
{
  double warning_margin = self->status >= HEALTH_STATUS_WARNING ? self->hysteresis : 0;
  double critical_margin = self->status >= HEALTH_STATUS_CRITICAL ? self->hysteresis : 0;

  if (!health_metric_has_thresholds (self))
    return HEALTH_STATUS_GOOD;

  if (health_metric_is_beyond (self, value, self->critical, critical_margin))
    return HEALTH_STATUS_CRITICAL;
  if (health_metric_is_beyond (self, value, self->warning, warning_margin))
    return HEALTH_STATUS_WARNING;

  return HEALTH_STATUS_GOOD;
}

/* Improving is immediate (hysteresis has already held it back);
 * worsening waits for `sustain` samples in a row beyond the threshold. */
HealthStatus
health_metric_judge_value (HealthMetric *self,
                           double        value)
{
  HealthStatus level;

  if (!isfinite (value))
    {
      self->n_beyond_warning = 0;
      self->n_beyond_critical = 0;
      return HEALTH_STATUS_UNKNOWN;
    }

  level = metric_level_for_value (self, value);

  self->n_beyond_warning = level >= HEALTH_STATUS_WARNING ? self->n_beyond_warning + 1 : 0;
  self->n_beyond_critical = level >= HEALTH_STATUS_CRITICAL ? self->n_beyond_critical + 1 : 0;

  if (level <= HEALTH_STATUS_GOOD || level <= self->status)
    return level;

  if (level == HEALTH_STATUS_CRITICAL && self->n_beyond_critical >= self->sustain)
    return HEALTH_STATUS_CRITICAL;
  if (self->n_beyond_warning >= self->sustain)
    return HEALTH_STATUS_WARNING;

  /* Pending, as a Prometheus alert is before its `for:` has passed. */
  return MAX (self->status, HEALTH_STATUS_GOOD);
}

void
health_metric_set_status (HealthMetric     *self,
                          HealthStatus      status,
                          const HealthTime *now)
{
  if (self->status == status)
    return;

  self->status = status;
  self->status_since = now->monotonic_us;
  g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_STATUS]);
}

/* Re-judges the current value after a change of rules, as a fresh
 * first sample. */
static void
metric_rejudge (HealthMetric *self)
{
  HealthStatus old_status = self->status;
  HealthTime now;

  health_clock_now (&now);
  self->n_beyond_warning = 0;
  self->n_beyond_critical = 0;
  self->status = isfinite (self->value) ? HEALTH_STATUS_GOOD : HEALTH_STATUS_UNKNOWN;
  self->status = health_metric_judge_value (self, self->value);

  if (self->status != old_status)
    {
      self->status_since = now.monotonic_us;
      g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_STATUS]);
      health_metric_changed_status (self, old_status);
    }
}

/* One threshold at a time, as properties are set: judged against the
 * other one once both are known. Moving both at once goes through
 * health_metric_set_thresholds(), which never passes through a
 * contradictory pair. */
void
health_metric_set_threshold_property (HealthMetric *self,
                                      gboolean      is_warning,
                                      double        threshold)
{
  g_autoptr(GError) error = NULL;
  double warning = is_warning ? threshold : self->warning;
  double critical = is_warning ? self->critical : threshold;

  if (isnan (is_warning ? self->critical : self->warning))
    {
      if (!isfinite (threshold))
        {
          g_warning ("HealthMetric %s: thresholds must be finite numbers", self->id);
          return;
        }

      self->customized = TRUE;
      self->warning = warning;
      self->critical = critical;
      g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[is_warning ? PROP_WARNING : PROP_CRITICAL]);
      return;
    }

  if (!health_metric_set_thresholds (self, warning, critical, &error))
    g_warning ("HealthMetric %s: %s", self->id, error->message);
}

/**
 * health_metric_get_warning: (get-property warning)
 * @self: a metric
 *
 * Gets the warning threshold.
 *
 * Returns: the threshold, NaN when none is set
 *
 * Since: 1.0
 */
double
health_metric_get_warning (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NAN);

  return self->warning;
}

/**
 * health_metric_get_critical: (get-property critical)
 * @self: a metric
 *
 * Gets the critical threshold.
 *
 * Returns: the threshold, NaN when none is set
 *
 * Since: 1.0
 */
double
health_metric_get_critical (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NAN);

  return self->critical;
}

/**
 * health_metric_get_threshold:
 * @self: a metric
 * @level: %HEALTH_STATUS_WARNING or %HEALTH_STATUS_CRITICAL
 *
 * Gets the threshold of @level.
 *
 * Returns: the threshold, NaN when none is set
 *
 * Since: 1.0
 */
double
health_metric_get_threshold (HealthMetric *self,
                             HealthStatus  level)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NAN);
  g_return_val_if_fail (level == HEALTH_STATUS_WARNING || level == HEALTH_STATUS_CRITICAL, NAN);

  return level == HEALTH_STATUS_WARNING ? self->warning : self->critical;
}

static void
metric_store_thresholds (HealthMetric *self,
                         double        warning,
                         double        critical)
{
  gboolean warning_changed = warning != self->warning;
  gboolean critical_changed = critical != self->critical;

  if (!warning_changed && !critical_changed)
    return;

  self->warning = warning;
  self->critical = critical;

  g_object_freeze_notify (G_OBJECT (self));
  if (warning_changed)
    g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_WARNING]);
  if (critical_changed)
    g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_CRITICAL]);
  metric_rejudge (self);
  g_object_thaw_notify (G_OBJECT (self));
}

/**
 * health_metric_set_thresholds:
 * @self: a metric
 * @warning: the new warning threshold
 * @critical: the new critical threshold
 * @error: return location for a #GError
 *
 * Sets both thresholds at once and judges the current value again.
 *
 * NaN or infinite thresholds, or an order that contradicts the
 * [property@Health.Metric:direction] (a warning above the critical
 * threshold when higher values are worse), are refused with
 * %HEALTH_ERROR_INVALID_THRESHOLDS and nothing changes.
 *
 * Returns: %TRUE if the thresholds were set
 *
 * Since: 1.0
 */
gboolean
health_metric_set_thresholds (HealthMetric  *self,
                              double         warning,
                              double         critical,
                              GError       **error)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!health_metric_thresholds_are_valid (self->direction, warning, critical, error))
    return FALSE;

  self->customized = TRUE;
  metric_store_thresholds (self, warning, critical);

  return TRUE;
}

/* Defaults that depend on the machine (a fraction of RAM...): applied
 * unless the app or the user set thresholds of their own. */
void
health_metric_set_default_thresholds (HealthMetric *self,
                                      double        warning,
                                      double        critical)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));

  if (!health_metric_thresholds_are_valid (self->direction, warning, critical, NULL))
    return;

  self->default_warning = warning;
  self->default_critical = critical;

  if (!self->customized)
    metric_store_thresholds (self, warning, critical);
}

/**
 * health_metric_reset_thresholds:
 * @self: a metric
 *
 * Goes back to the default thresholds and judges the current value
 * again: those @self was made with by [ctor@Health.Metric.new], or for a
 * built-in metric the monitor's, which for some depend on the machine
 * (`process-memory` on the RAM, `open-files` on `RLIMIT_NOFILE`) and are
 * followed again from now on, as if never changed.
 *
 * For a preferences dialog's "Reset", or a setting that no longer holds
 * the metric. A metric made without thresholds has no defaults and keeps
 * the ones it has.
 *
 * Since: 1.0
 */
void
health_metric_reset_thresholds (HealthMetric *self)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));

  if (isnan (self->default_warning))
    return;

  self->customized = FALSE;
  metric_store_thresholds (self, self->default_warning, self->default_critical);
}

gboolean
health_metric_get_thresholds_customized (HealthMetric *self)
{
  return self->customized;
}

/**
 * health_metric_get_hysteresis: (get-property hysteresis)
 * @self: a metric
 *
 * Gets the hysteresis margin.
 *
 * Returns: the margin, in the metric's unit
 *
 * Since: 1.0
 */
double
health_metric_get_hysteresis (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), 0);

  return self->hysteresis;
}

/**
 * health_metric_set_hysteresis: (set-property hysteresis)
 * @self: a metric
 * @hysteresis: a finite margin, zero or more, in the metric's unit
 *
 * Sets how far a value must cross back over a threshold before the
 * status improves.
 *
 * Since: 1.0
 */
void
health_metric_set_hysteresis (HealthMetric *self,
                              double        hysteresis)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));
  g_return_if_fail (isfinite (hysteresis) && hysteresis >= 0);

  if (self->hysteresis == hysteresis)
    return;

  self->hysteresis = hysteresis;
  g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_HYSTERESIS]);
}

/**
 * health_metric_get_sustain: (get-property sustain)
 * @self: a metric
 *
 * Gets how many samples beyond a threshold worsen the status.
 *
 * Returns: the count, 1 or more
 *
 * Since: 1.0
 */
guint
health_metric_get_sustain (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), 1);

  return self->sustain;
}

/**
 * health_metric_set_sustain: (set-property sustain)
 * @self: a metric
 * @sustain: 1 or more
 *
 * Sets how many samples in a row must be beyond a threshold before the
 * status worsens.
 *
 * Since: 1.0
 */
void
health_metric_set_sustain (HealthMetric *self,
                           guint         sustain)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));
  g_return_if_fail (sustain >= 1);

  if (self->sustain == sustain)
    return;

  self->sustain = sustain;
  g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_SUSTAIN]);
}

