/* health-metric-history.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A metric's history, a fixed ring of samples with their monotonic
 * times beside the wall-clock ones, and what is read from it: the
 * least-squares trend, forecasts, the time to the physical bound.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-metric-impl-private.h"

/* Least-squares fit of value over monotonic time, for the samples in the
 * last @window_seconds before @now_mono. FALSE when the window holds
 * fewer than HEALTH_METRIC_TREND_MIN_SAMPLES samples or they span less
 * than the trend-min-span. */
static gboolean
metric_fit_slope (HealthMetric *self,
                  double        window_seconds,
                  gint64        now_mono,
                  double       *slope)
{
  gint64 cutoff = now_mono - (gint64) (window_seconds * G_USEC_PER_SEC);
  double sum_x = 0, sum_y = 0, sum_xx = 0, sum_xy = 0;
  gint64 origin = 0;
  guint n = 0;
  double x_last = 0;
  double denominator;

  /* The ring from its oldest slot, without a division per sample. */
  for (guint i = 0, slot = self->head; i < self->len; i++, slot = slot + 1 == self->capacity ? 0 : slot + 1)
    {
      double x, y;

      if (self->ring_mono[slot] < cutoff)
        continue;

      if (n == 0)
        origin = self->ring_mono[slot];

      /* Seconds from the first sample in the window keeps the sums small
       * enough that double precision stays exact. */
      x = (double) (self->ring_mono[slot] - origin) / G_USEC_PER_SEC;
      y = self->ring[slot].value;
      x_last = x;

      sum_x += x;
      sum_y += y;
      sum_xx += x * x;
      sum_xy += x * y;
      n++;
    }

  /* A slope through a moment of data is noise: a trend needs enough
   * samples over enough time. */
  if (n < HEALTH_METRIC_TREND_MIN_SAMPLES || x_last < self->trend_min_span)
    return FALSE;

  denominator = n * sum_xx - sum_x * sum_x;
  if (denominator <= 1e-12)
    return FALSE;

  *slope = (n * sum_xy - sum_x * sum_y) / denominator;

  return TRUE;
}

/* The trend window, kept up to date. Each sample is added once, as it
 * enters the history, and taken out once, as it leaves the window or
 * the ring: a sample costs the same whatever the history size, where
 * fitting the whole window again cost one pass over it per sample. */

/* Sums whose origin is this far behind the window's first sample are
 * made again from the samples, from that sample: x stays within two
 * windows, small enough for double precision, and the rounding that
 * adding and taking out leaves behind goes with them. */
#define WINDOW_US        ((gint64) (HEALTH_METRIC_TREND_WINDOW_SECONDS * G_USEC_PER_SEC))
#define WINDOW_REBASE_US WINDOW_US

static inline guint
metric_slot (HealthMetric *self,
             guint         i)
{
  guint slot = self->head + i;

  return slot >= self->capacity ? slot - self->capacity : slot;
}

static inline void
window_add (HealthMetric *self,
            guint         slot,
            double        sign)
{
  double x = (double) (self->ring_mono[slot] - self->win_origin) / G_USEC_PER_SEC;
  double y = self->ring[slot].value;

  self->win_sx += sign * x;
  self->win_sy += sign * y;
  self->win_sxx += sign * x * x;
  self->win_sxy += sign * x * y;
}

/* The sums from the samples, from the window's first one. */
static void
window_rebuild (HealthMetric *self)
{
  self->win_sx = self->win_sy = self->win_sxx = self->win_sxy = 0;
  if (self->win_first >= self->len)
    return;

  self->win_origin = self->ring_mono[metric_slot (self, self->win_first)];
  for (guint i = self->win_first; i < self->len; i++)
    window_add (self, metric_slot (self, i), 1);
}

/* A history made anew (resized, loaded): every sample in the window
 * until the next cutoff says otherwise. */
static void
window_reset (HealthMetric *self)
{
  self->win_first = 0;
  self->win_cutoff = G_MININT64;
  window_rebuild (self);
}

/* Takes out the samples older than @cutoff. */
static void
window_advance (HealthMetric *self,
                gint64        cutoff)
{
  /* A cutoff that went back (it never does on a monotonic clock) would
   * bring older samples in again. */
  if (cutoff < self->win_cutoff)
    window_reset (self);
  self->win_cutoff = cutoff;

  while (self->win_first < self->len &&
         self->ring_mono[metric_slot (self, self->win_first)] < cutoff)
    window_add (self, metric_slot (self, self->win_first++), -1);

  if (self->win_first >= self->len ||
      self->ring_mono[metric_slot (self, self->win_first)] - self->win_origin > WINDOW_REBASE_US)
    window_rebuild (self);
}

/* metric_fit_slope() over the trend window, from the sums. */
static gboolean
metric_fit_window (HealthMetric *self,
                   gint64        now_mono,
                   double       *slope)
{
  double span, denominator;
  guint n;

  window_advance (self, now_mono - WINDOW_US);

  n = self->len - self->win_first;
  if (n < HEALTH_METRIC_TREND_MIN_SAMPLES)
    return FALSE;

  span = (double) (self->ring_mono[metric_slot (self, self->len - 1)] -
                   self->ring_mono[metric_slot (self, self->win_first)]) / G_USEC_PER_SEC;
  /* A slope through a moment of data is noise; through one instant,
   * none at all. */
  if (span < self->trend_min_span || span <= 0)
    return FALSE;

  denominator = n * self->win_sxx - self->win_sx * self->win_sx;
  if (denominator <= 1e-12)
    return FALSE;

  *slope = (n * self->win_sxy - self->win_sx * self->win_sy) / denominator;

  return TRUE;
}

static double
metric_threshold_scale (HealthMetric *self)
{
  double scale;

  if (!health_metric_has_thresholds (self))
    {
      /* Unjudged metrics: relative to the value itself. */
      scale = isfinite (self->value) ? fabs (self->value) : 0;
      return scale > 0 ? scale : 1.0;
    }

  scale = fabs (self->critical - self->warning);
  if (scale <= 0)
    scale = fabs (self->warning);
  if (scale <= 0)
    scale = 1.0;

  return scale;
}

HealthTrend
health_metric_compute_trend (HealthMetric *self,
                             double        window_seconds,
                             gint64        now_mono,
                             double       *out_slope)
{
  double slope;

  *out_slope = 0;

  if (window_seconds == HEALTH_METRIC_TREND_WINDOW_SECONDS
      ? !metric_fit_window (self, now_mono, &slope)
      : !metric_fit_slope (self, window_seconds, now_mono, &slope))
    return HEALTH_TREND_INSUFFICIENT_DATA;

  *out_slope = slope;

  if (fabs (slope * window_seconds) < HEALTH_METRIC_STABLE_FRACTION * metric_threshold_scale (self))
    return HEALTH_TREND_STABLE;

  return slope > 0 ? HEALTH_TREND_INCREASING : HEALTH_TREND_DECREASING;
}

void
health_metric_push_history (HealthMetric     *self,
                            double            value,
                            const HealthTime *now)
{
  guint slot;
  gint64 real_us = now->real_us;

  if (self->len > 0)
    {
      guint last = (self->head + self->len - 1) % self->capacity;

      /* The wall clock may step back (NTP, a user changing the date):
       * keep the history ordered, as its readers expect. */
      if (real_us < self->ring[last].time_us)
        real_us = self->ring[last].time_us;
    }

  if (self->len < self->capacity)
    {
      slot = (self->head + self->len) % self->capacity;
      self->len++;
    }
  else
    {
      slot = self->head;
      /* The oldest sample leaves the ring, and the window if in it. */
      if (self->win_first == 0)
        window_add (self, slot, -1);
      else
        self->win_first--;
      self->head = (self->head + 1) % self->capacity;
    }

  self->ring[slot].time_us = real_us;
  self->ring[slot].value = value;
  self->ring_mono[slot] = now->monotonic_us;

  if (self->win_first + 1 == self->len)
    window_rebuild (self);
  else
    window_add (self, slot, 1);
}

void
health_metric_resize_history (HealthMetric *self,
                              guint         capacity)
{
  HealthSample *ring = g_new (HealthSample, capacity);
  gint64 *ring_mono = g_new (gint64, capacity);
  guint keep = MIN (self->len, capacity);
  guint skip = self->len - keep;

  for (guint i = 0; i < keep; i++)
    {
      guint slot = (self->head + skip + i) % MAX (self->capacity, 1);

      ring[i] = self->ring[slot];
      ring_mono[i] = self->ring_mono[slot];
    }

  g_free (self->ring);
  g_free (self->ring_mono);
  self->ring = ring;
  self->ring_mono = ring_mono;
  self->capacity = capacity;
  self->head = 0;
  self->len = keep;
  window_reset (self);
}

/**
 * health_metric_get_trend:
 * @self: a metric
 * @window_seconds: how far back to look, in seconds
 *
 * Fits a line through the samples of the last @window_seconds (least
 * squares over time) and judges its slope: the change it predicts over
 * the window, compared to the distance between the thresholds, tells
 * stable from increasing or decreasing.
 *
 * Returns: the trend
 *
 * Since: 1.0
 */
HealthTrend
health_metric_get_trend (HealthMetric *self,
                         double        window_seconds)
{
  HealthTime now;
  double slope;

  g_return_val_if_fail (HEALTH_IS_METRIC (self), HEALTH_TREND_INSUFFICIENT_DATA);
  g_return_val_if_fail (window_seconds > 0 && isfinite (window_seconds), HEALTH_TREND_INSUFFICIENT_DATA);

  health_clock_now (&now);

  return health_metric_compute_trend (self, window_seconds, now.monotonic_us, &slope);
}

/* Seconds until the current slope takes the value to @target on the
 * unhealthy side: 0 when it is there already, -1 when it is not heading
 * there. Forecasts and the emergency bound both ask this. */
static double
metric_seconds_to (HealthMetric *self,
                   double        target)
{
  /* Distance and speed toward the unhealthy side, both positive when
   * heading there. */
  double distance = self->direction == HEALTH_DIRECTION_ABOVE ? target - self->value : self->value - target;
  double speed = self->direction == HEALTH_DIRECTION_ABOVE ? self->slope : -self->slope;

  if (distance <= 0)
    return 0;
  if (speed <= 0)
    return -1;

  return distance / speed;
}

/**
 * health_metric_get_forecast:
 * @self: a metric
 * @level: %HEALTH_STATUS_WARNING or %HEALTH_STATUS_CRITICAL
 *
 * Estimates how long until the metric reaches the threshold of @level,
 * following its trend over the last five minutes (the same idea as
 * Prometheus' `predict_linear`).
 *
 * Returns: the seconds left, 0 when already there, or -1 when the metric
 *   is stable, heading away, unknown or has no thresholds
 *
 * Since: 1.0
 */
double
health_metric_get_forecast (HealthMetric *self,
                            HealthStatus  level)
{
  double threshold;

  g_return_val_if_fail (HEALTH_IS_METRIC (self), -1);
  g_return_val_if_fail (level == HEALTH_STATUS_WARNING || level == HEALTH_STATUS_CRITICAL, -1);

  if (!health_metric_has_thresholds (self) || !isfinite (self->value))
    return -1;

  threshold = level == HEALTH_STATUS_WARNING ? self->warning : self->critical;

  if (health_metric_is_beyond (self, self->value, threshold, 0))
    return 0;

  if (self->trend != HEALTH_TREND_INCREASING && self->trend != HEALTH_TREND_DECREASING)
    return -1;

  return metric_seconds_to (self, threshold);
}

/**
 * health_metric_dup_history:
 * @self: a metric
 * @n_samples: (out): return location for the number of samples
 *
 * Copies the history of @self, oldest first. Unknown values are not
 * recorded, so every sample has a finite value; times never go back.
 *
 * Returns: (transfer container) (array length=n_samples) (nullable): the
 *   samples, %NULL when there are none; free with g_free()
 *
 * Since: 1.0
 */
HealthSample *
health_metric_dup_history (HealthMetric *self,
                           guint        *n_samples)
{
  HealthSample *samples;

  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);
  g_return_val_if_fail (n_samples != NULL, NULL);

  *n_samples = self->len;
  if (self->len == 0)
    return NULL;

  samples = g_new (HealthSample, self->len);
  for (guint i = 0; i < self->len; i++)
    samples[i] = self->ring[(self->head + i) % self->capacity];

  return samples;
}

/**
 * health_metric_get_n_samples:
 * @self: a metric
 *
 * Gets how many samples the history holds now.
 *
 * Returns: the number of samples, at most
 *   [property@Health.Metric:history-size]
 *
 * Since: 1.0
 */
guint
health_metric_get_n_samples (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), 0);

  return self->len;
}


/* Heading toward the unhealthy side. */
gboolean
health_metric_is_worsening (HealthMetric *self)
{
  if (self->direction == HEALTH_DIRECTION_ABOVE)
    return self->trend == HEALTH_TREND_INCREASING;
  else
    return self->trend == HEALTH_TREND_DECREASING;
}

/* Seconds until the trend takes the value to its physical bound; -1
 * when there is no bound, no trend yet, or it heads away. */
double
health_metric_get_seconds_to_bound (HealthMetric *self)
{
  if (isnan (self->bound) || !isfinite (self->value) || !health_metric_is_worsening (self))
    return -1;

  return metric_seconds_to (self, self->bound);
}
/* Replaces the history with @samples, oldest first; their monotonic
 * times are derived from the wall clock, as the remote's are unknown. */
void
health_metric_load_history (HealthMetric       *self,
                            const HealthSample *samples,
                            guint               n_samples)
{
  HealthTime now;
  guint skip = n_samples > self->capacity ? n_samples - self->capacity : 0;

  health_clock_now (&now);
  self->head = 0;
  self->len = 0;
  window_reset (self);

  for (guint i = skip; i < n_samples; i++)
    {
      HealthTime then;

      if (!isfinite (samples[i].value))
        continue;

      then.real_us = samples[i].time_us;
      then.monotonic_us = now.monotonic_us - MAX (0, now.real_us - samples[i].time_us);
      health_metric_push_history (self, samples[i].value, &then);
    }
}

