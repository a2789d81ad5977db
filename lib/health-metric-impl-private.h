/* health-metric-impl-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The metric's instance, shared by the files that make up the class and
 * by nothing else: health-metric.c (the object, its properties and
 * values), health-metric-thresholds.c (thresholds and judging a value)
 * and health-metric-history.c (the history ring, trends, forecasts).
 */

#pragma once

#include "health-metric-private.h"

G_BEGIN_DECLS

struct _HealthMetric
{
  GObject          parent_instance;

  char            *id;
  char            *label;
  char            *unit;
  char            *recommendation;
  char            *condition;      /* NULL: the id */
  char            *detail;
  HealthScope      scope;
  double           bound;          /* NaN: none */
  double           trend_min_span; /* seconds */
  HealthDirection  direction;
  double           warning;
  double           critical;
  double           hysteresis;
  guint            sustain;

  double           value;
  HealthStatus     status;
  HealthTrend      trend;
  double           slope;          /* per second, over the trend window */
  gint64           status_since;   /* monotonic µs */
  guint            n_beyond_warning;
  guint            n_beyond_critical;

  /* Ring buffer: `len` samples starting at `head`, oldest first. The
   * monotonic times live beside the wall-clock ones so trends never see
   * the wall clock jump. */
  HealthSample    *ring;
  gint64          *ring_mono;
  guint            capacity;
  guint            head;
  guint            len;

  /* The trend window's least-squares sums, kept as samples come and go
   * (health-metric-history.c): the samples from `win_first` (counted
   * from the oldest) on, x in seconds from `win_origin`. */
  guint            win_first;
  gint64           win_origin;
  gint64           win_cutoff;
  double           win_sx;
  double           win_sy;
  double           win_sxx;
  double           win_sxy;

  HealthMonitor   *monitor;        /* unowned; set while added to one */
  HealthMetricChangedFunc changed;

  /* What health_metric_reset_thresholds() goes back to: the thresholds
   * it was made with, or the monitor's defaults (NaN for none). */
  double           default_warning;
  double           default_critical;

  guint            constructed : 1;
  guint            customized : 1;
};

enum {
  PROP_0,
  PROP_ID,
  PROP_LABEL,
  PROP_UNIT,
  PROP_DIRECTION,
  PROP_WARNING,
  PROP_CRITICAL,
  PROP_HYSTERESIS,
  PROP_SUSTAIN,
  PROP_RECOMMENDATION,
  PROP_HISTORY_SIZE,
  PROP_CONDITION,
  PROP_SCOPE,
  PROP_BOUND,
  PROP_DETAIL,
  PROP_TREND_MIN_SPAN,
  PROP_VALUE,
  PROP_STATUS,
  PROP_TREND,
  PROP_MONITOR,
  LAST_PROP
};


extern GParamSpec *health_metric_props[LAST_PROP];

/* health-metric.c */
void          health_metric_changed_status         (HealthMetric     *self,
                                                    HealthStatus      old_status);

/* health-metric-thresholds.c */
gboolean      health_metric_thresholds_are_valid   (HealthDirection   direction,
                                                    double            warning,
                                                    double            critical,
                                                    GError          **error);
gboolean      health_metric_has_thresholds         (HealthMetric     *self);
gboolean      health_metric_is_beyond              (HealthMetric     *self,
                                                    double            value,
                                                    double            threshold,
                                                    double            margin);
HealthStatus  health_metric_judge_value            (HealthMetric     *self,
                                                    double            value);
void          health_metric_set_status             (HealthMetric     *self,
                                                    HealthStatus      status,
                                                    const HealthTime *now);
void          health_metric_set_threshold_property (HealthMetric     *self,
                                                    gboolean          is_warning,
                                                    double            threshold);

/* health-metric-history.c */
HealthTrend   health_metric_compute_trend          (HealthMetric     *self,
                                                    double            window_seconds,
                                                    gint64            now_mono,
                                                    double           *out_slope);
void          health_metric_push_history           (HealthMetric     *self,
                                                    double            value,
                                                    const HealthTime *now);
void          health_metric_resize_history         (HealthMetric     *self,
                                                    guint             capacity);

G_END_DECLS
