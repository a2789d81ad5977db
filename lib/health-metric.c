/* health-metric.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-enum-types.h"
#include "health-metric-private.h"
#include "health-monitor.h"
#include "health-text-private.h"

/**
 * HealthMetric:
 *
 * One measured quantity, judged against two thresholds.
 *
 * A metric has a value (NaN while unknown), a fixed-size history, a
 * [property@Health.Metric:status] computed from its warning and critical
 * thresholds, its [property@Health.Metric:direction] (which side is
 * unhealthy), a [property@Health.Metric:hysteresis] margin that a value
 * must cross back before the status improves, and a
 * [property@Health.Metric:sustain] count of samples a value must stay
 * beyond a threshold before the status worsens (as Prometheus' `for:`).
 *
 * Its [property@Health.Metric:trend] is the least-squares slope of the
 * last five minutes of history, judged against the distance between the
 * thresholds rather than a fixed number, so "stable" means the same for
 * percentages and for bytes. There is no trend until five samples span
 * [property@Health.Metric:trend-min-span] (30 s by default). [method@Health.Metric.get_forecast] turns the
 * slope into the time left before a threshold is reached.
 *
 * Metrics belong to the main context of the [class@Health.Monitor] they
 * are added to; call [method@Health.Metric.update] there only.
 *
 * Since: 1.0
 */

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

  HealthMonitor   *monitor;        /* unowned; set while added to one */
  HealthMetricChangedFunc changed;

  /* What health_metric_reset_thresholds() goes back to: the thresholds
   * it was made with, or the monitor's defaults (NaN for none). */
  double           default_warning;
  double           default_critical;

  guint            constructed : 1;
  guint            customized : 1;
};

G_DEFINE_FINAL_TYPE (HealthMetric, health_metric, G_TYPE_OBJECT)

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

static GParamSpec *props[LAST_PROP];

#define DEFAULT_HISTORY_SIZE 100
#define DEFAULT_TREND_MIN_SPAN_S 30.0

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **str_pointer,
         const char  *new_str)
{
  if (g_strcmp0 (*str_pointer, new_str) == 0)
    return FALSE;

  g_free (*str_pointer);
  *str_pointer = g_strdup (new_str);

  return TRUE;
}
#define MAX_HISTORY_SIZE     (1u << 20)

static gboolean
thresholds_are_valid (HealthDirection   direction,
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

static gboolean
has_thresholds (HealthMetric *self)
{
  return !isnan (self->warning) && !isnan (self->critical);
}

/* Whether @value is beyond @threshold, moved toward the healthy side by
 * @margin: with a positive margin, a value must cross further back to
 * count as recovered. */
static gboolean
is_beyond (HealthMetric *self,
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

  if (!has_thresholds (self))
    return HEALTH_STATUS_GOOD;

  if (is_beyond (self, value, self->critical, critical_margin))
    return HEALTH_STATUS_CRITICAL;
  if (is_beyond (self, value, self->warning, warning_margin))
    return HEALTH_STATUS_WARNING;

  return HEALTH_STATUS_GOOD;
}

/* Improving is immediate (hysteresis has already held it back);
 * worsening waits for `sustain` samples in a row beyond the threshold. */
static HealthStatus
metric_judge (HealthMetric *self,
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

static void
metric_set_status (HealthMetric     *self,
                   HealthStatus      status,
                   const HealthTime *now)
{
  if (self->status == status)
    return;

  self->status = status;
  self->status_since = now->monotonic_us;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
}

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

static double
metric_threshold_scale (HealthMetric *self)
{
  double scale;

  if (!has_thresholds (self))
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

static HealthTrend
metric_compute_trend (HealthMetric *self,
                      double        window_seconds,
                      gint64        now_mono,
                      double       *out_slope)
{
  double slope;

  *out_slope = 0;

  if (!metric_fit_slope (self, window_seconds, now_mono, &slope))
    return HEALTH_TREND_INSUFFICIENT_DATA;

  *out_slope = slope;

  if (fabs (slope * window_seconds) < HEALTH_METRIC_STABLE_FRACTION * metric_threshold_scale (self))
    return HEALTH_TREND_STABLE;

  return slope > 0 ? HEALTH_TREND_INCREASING : HEALTH_TREND_DECREASING;
}

static void
metric_push_history (HealthMetric     *self,
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
      self->head = (self->head + 1) % self->capacity;
    }

  self->ring[slot].time_us = real_us;
  self->ring[slot].value = value;
  self->ring_mono[slot] = now->monotonic_us;
}

static void
metric_resize_history (HealthMetric *self,
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
}

static void
metric_changed_status (HealthMetric *self,
                       HealthStatus  old_status)
{
  if (self->changed != NULL)
    self->changed (self->monitor, self, old_status);
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
  self->status = metric_judge (self, self->value);

  if (self->status != old_status)
    {
      self->status_since = now.monotonic_us;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
      metric_changed_status (self, old_status);
    }
}

static void
health_metric_constructed (GObject *object)
{
  HealthMetric *self = HEALTH_METRIC (object);

  G_OBJECT_CLASS (health_metric_parent_class)->constructed (object);

  if (!health_metric_id_is_valid (self->id))
    {
      g_autofree char *id = health_text_sanitize (self->id != NULL ? self->id : "(null)", -1);

      g_critical ("HealthMetric: \"%s\" is not a valid metric id (see health_metric_id_is_valid())", id);
    }

  if (self->label == NULL)
    self->label = g_strdup (self->id);

  self->constructed = TRUE;
}

static void
health_metric_finalize (GObject *object)
{
  HealthMetric *self = HEALTH_METRIC (object);

  g_clear_pointer (&self->id, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->unit, g_free);
  g_clear_pointer (&self->recommendation, g_free);
  g_clear_pointer (&self->condition, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->ring, g_free);
  g_clear_pointer (&self->ring_mono, g_free);

  G_OBJECT_CLASS (health_metric_parent_class)->finalize (object);
}

static void
health_metric_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  HealthMetric *self = HEALTH_METRIC (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_UNIT:
      g_value_set_string (value, self->unit);
      break;
    case PROP_DIRECTION:
      g_value_set_enum (value, self->direction);
      break;
    case PROP_WARNING:
      g_value_set_double (value, self->warning);
      break;
    case PROP_CRITICAL:
      g_value_set_double (value, self->critical);
      break;
    case PROP_HYSTERESIS:
      g_value_set_double (value, self->hysteresis);
      break;
    case PROP_SUSTAIN:
      g_value_set_uint (value, self->sustain);
      break;
    case PROP_RECOMMENDATION:
      g_value_set_string (value, self->recommendation);
      break;
    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->capacity);
      break;
    case PROP_CONDITION:
      g_value_set_string (value, health_metric_get_condition (self));
      break;
    case PROP_SCOPE:
      g_value_set_enum (value, self->scope);
      break;
    case PROP_BOUND:
      g_value_set_double (value, self->bound);
      break;
    case PROP_DETAIL:
      g_value_set_string (value, self->detail);
      break;
    case PROP_TREND_MIN_SPAN:
      g_value_set_double (value, self->trend_min_span);
      break;
    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_TREND:
      g_value_set_enum (value, self->trend);
      break;
    case PROP_MONITOR:
      g_value_set_object (value, self->monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

/* One threshold at a time, as properties are set: judged against the
 * other one once both are known. Moving both at once goes through
 * health_metric_set_thresholds(), which never passes through a
 * contradictory pair. */
static void
metric_set_threshold_property (HealthMetric *self,
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
      g_object_notify_by_pspec (G_OBJECT (self), props[is_warning ? PROP_WARNING : PROP_CRITICAL]);
      return;
    }

  if (!health_metric_set_thresholds (self, warning, critical, &error))
    g_warning ("HealthMetric %s: %s", self->id, error->message);
}

static void
health_metric_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  HealthMetric *self = HEALTH_METRIC (object);

  switch (prop_id)
    {
    case PROP_ID:
      self->id = g_value_dup_string (value);
      break;
    case PROP_LABEL:
      health_metric_set_label (self, g_value_get_string (value));
      break;
    case PROP_UNIT:
      g_free (self->unit);
      self->unit = g_strdup (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case PROP_DIRECTION:
      self->direction = g_value_get_enum (value);
      break;
    case PROP_WARNING:
      metric_set_threshold_property (self, TRUE, g_value_get_double (value));
      break;
    case PROP_CRITICAL:
      metric_set_threshold_property (self, FALSE, g_value_get_double (value));
      break;
    case PROP_HYSTERESIS:
      health_metric_set_hysteresis (self, g_value_get_double (value));
      break;
    case PROP_SUSTAIN:
      health_metric_set_sustain (self, g_value_get_uint (value));
      break;
    case PROP_RECOMMENDATION:
      health_metric_set_recommendation (self, g_value_get_string (value));
      break;
    case PROP_HISTORY_SIZE:
      health_metric_set_history_size (self, g_value_get_uint (value));
      break;
    case PROP_CONDITION:
      health_metric_set_condition (self, g_value_get_string (value));
      break;
    case PROP_SCOPE:
      self->scope = g_value_get_enum (value);
      break;
    case PROP_BOUND:
      health_metric_set_bound (self, g_value_get_double (value));
      break;
    case PROP_DETAIL:
      health_metric_set_detail (self, g_value_get_string (value));
      break;
    case PROP_TREND_MIN_SPAN:
      health_metric_set_trend_min_span (self, g_value_get_double (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_metric_class_init (HealthMetricClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = health_metric_constructed;
  object_class->finalize = health_metric_finalize;
  object_class->get_property = health_metric_get_property;
  object_class->set_property = health_metric_set_property;

  /**
   * HealthMetric:id: (attributes org.gtk.Property.get=health_metric_get_id)
   *
   * The identifier of the metric: `[a-z0-9-]+`, unique in a monitor, and
   * the detail of the monitor's `alert::` and `recovered::` signals.
   *
   * Since: 1.0
   */
  props[PROP_ID] =
    g_param_spec_string ("id", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:label: (attributes org.gtk.Property.get=health_metric_get_label org.gtk.Property.set=health_metric_set_label)
   *
   * The name people read, translated: "Memory Usage".
   *
   * Since: 1.0
   */
  props[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:unit: (attributes org.gtk.Property.get=health_metric_get_unit)
   *
   * The unit of the value, untranslated: `%`, `bytes`, `ms`, or any word.
   * `bytes` values are shown in KiB, MiB, GiB.
   *
   * Since: 1.0
   */
  props[PROP_UNIT] =
    g_param_spec_string ("unit", NULL, NULL,
                         "",
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:direction: (attributes org.gtk.Property.get=health_metric_get_direction)
   *
   * Which side of the thresholds is unhealthy.
   *
   * Since: 1.0
   */
  props[PROP_DIRECTION] =
    g_param_spec_enum ("direction", NULL, NULL,
                       HEALTH_TYPE_DIRECTION, HEALTH_DIRECTION_ABOVE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:warning: (attributes org.gtk.Property.get=health_metric_get_warning)
   *
   * The value at which the metric becomes %HEALTH_STATUS_WARNING.
   *
   * NaN when no thresholds were given: such a metric is never judged
   * worse than %HEALTH_STATUS_GOOD. Change both thresholds at once with
   * [method@Health.Metric.set_thresholds].
   *
   * Since: 1.0
   */
  props[PROP_WARNING] =
    g_param_spec_double ("warning", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:critical: (attributes org.gtk.Property.get=health_metric_get_critical)
   *
   * The value at which the metric becomes %HEALTH_STATUS_CRITICAL; NaN
   * when no thresholds were given.
   *
   * Since: 1.0
   */
  props[PROP_CRITICAL] =
    g_param_spec_double ("critical", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:hysteresis: (attributes org.gtk.Property.get=health_metric_get_hysteresis org.gtk.Property.set=health_metric_set_hysteresis)
   *
   * How far, in the metric's unit, a value must cross back over a
   * threshold before the status improves, so a value hovering at a
   * threshold does not flap.
   *
   * Since: 1.0
   */
  props[PROP_HYSTERESIS] =
    g_param_spec_double ("hysteresis", NULL, NULL,
                         0, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:sustain: (attributes org.gtk.Property.get=health_metric_get_sustain org.gtk.Property.set=health_metric_set_sustain)
   *
   * How many samples in a row must be beyond a threshold before the
   * status worsens, like Prometheus' `for:`. Improving is immediate.
   *
   * Since: 1.0
   */
  props[PROP_SUSTAIN] =
    g_param_spec_uint ("sustain", NULL, NULL,
                       1, G_MAXUINT, 1,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:recommendation: (attributes org.gtk.Property.get=health_metric_get_recommendation org.gtk.Property.set=health_metric_set_recommendation)
   *
   * What a person can do about it, translated; listed by
   * [method@Health.Monitor.get_recommendations] while the metric is
   * worse than %HEALTH_STATUS_GOOD.
   *
   * Since: 1.0
   */
  props[PROP_RECOMMENDATION] =
    g_param_spec_string ("recommendation", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:history-size: (attributes org.gtk.Property.get=health_metric_get_history_size org.gtk.Property.set=health_metric_set_history_size)
   *
   * How many samples the history keeps; the oldest go first.
   *
   * Since: 1.0
   */
  props[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL,
                       1, MAX_HISTORY_SIZE, DEFAULT_HISTORY_SIZE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:condition: (attributes org.gtk.Property.get=health_metric_get_condition org.gtk.Property.set=health_metric_set_condition)
   *
   * The condition a person is told about, which several metrics may
   * describe together: `memory-usage`, `memory-available` and
   * `memory-pressure` all tell that memory is running out. The built-in
   * metrics name `memory`, `swap`, `cpu`, `disk`, `io` or `process`; a
   * metric that names none is its own condition, and reads as its id.
   *
   * Notifications and summaries speak per condition: one for the worst
   * metric of the condition, mentioning the others.
   *
   * Since: 1.0
   */
  props[PROP_CONDITION] =
    g_param_spec_string ("condition", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:scope: (attributes org.gtk.Property.get=health_metric_get_scope)
   *
   * What the metric is about: the machine, the process that runs the
   * monitor, or the app. Tools that describe a machine leave out the
   * process scope of their own short-lived process.
   *
   * Since: 1.0
   */
  props[PROP_SCOPE] =
    g_param_spec_enum ("scope", NULL, NULL,
                       HEALTH_TYPE_SCOPE, HEALTH_SCOPE_APP,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:bound: (attributes org.gtk.Property.get=health_metric_get_bound org.gtk.Property.set=health_metric_set_bound)
   *
   * The physical limit of the value on its unhealthy side, NaN when it
   * has none: 100 for a percentage of something full, 0 for bytes of
   * available memory. A critical metric whose trend reaches its bound
   * within [property@Health.Monitor:emergency-after] seconds makes the
   * overall status %HEALTH_STATUS_EMERGENCY at once; one without a bound
   * only after being critical that long.
   *
   * Since: 1.0
   */
  props[PROP_BOUND] =
    g_param_spec_double ("bound", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:detail: (attributes org.gtk.Property.get=health_metric_get_detail org.gtk.Property.set=health_metric_set_detail)
   *
   * A short note that qualifies the value, or %NULL: the path
   * `disk-usage` watches, or "no swap" when the machine has none.
   *
   * Since: 1.0
   */
  props[PROP_DETAIL] =
    g_param_spec_string ("detail", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:trend-min-span: (attributes org.gtk.Property.get=health_metric_get_trend_min_span org.gtk.Property.set=health_metric_set_trend_min_span)
   *
   * How many seconds of history a trend needs. Until the trend window
   * holds at least five samples spanning this long, the trend is
   * %HEALTH_TREND_INSUFFICIENT_DATA and there is no forecast: a slope
   * through a moment of data is noise.
   *
   * Since: 1.0
   */
  props[PROP_TREND_MIN_SPAN] =
    g_param_spec_double ("trend-min-span", NULL, NULL,
                         0, G_MAXDOUBLE, DEFAULT_TREND_MIN_SPAN_S,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:value: (attributes org.gtk.Property.get=health_metric_get_value)
   *
   * The latest value, NaN while unknown.
   *
   * Since: 1.0
   */
  props[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:status: (attributes org.gtk.Property.get=health_metric_get_status)
   *
   * The judgement of the latest value: UNKNOWN, GOOD, WARNING or CRITICAL.
   *
   * Since: 1.0
   */
  props[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       HEALTH_TYPE_STATUS, HEALTH_STATUS_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:trend:
   *
   * Where the value has been heading over the last five minutes; see
   * [method@Health.Metric.get_trend] for other windows.
   *
   * Since: 1.0
   */
  props[PROP_TREND] =
    g_param_spec_enum ("trend", NULL, NULL,
                       HEALTH_TYPE_TREND, HEALTH_TREND_INSUFFICIENT_DATA,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMetric:monitor: (attributes org.gtk.Property.get=health_metric_get_monitor)
   *
   * The [class@Health.Monitor] the metric belongs to, or %NULL.
   *
   * Set when a monitor adds the metric, whether built in, added by the
   * app or mirrored from a remote monitor, and back to %NULL when the
   * monitor removes it or is disposed; the metric holds no reference.
   *
   * Follow it to hear of every applied sample: connect to the
   * [signal@Health.Monitor::sampled] signal of whatever monitor it names,
   * as a `GSignalGroup` whose target is bound to this property does.
   * That is how the widgets of libhealth-gtk redraw once per sample when
   * given only a metric.
   *
   * Since: 1.0
   */
  props[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         HEALTH_TYPE_MONITOR,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);
}

static void
health_metric_init (HealthMetric *self)
{
  self->unit = g_strdup ("");
  self->warning = NAN;
  self->critical = NAN;
  self->default_warning = NAN;
  self->default_critical = NAN;
  self->sustain = 1;
  self->scope = HEALTH_SCOPE_APP;
  self->bound = NAN;
  self->trend_min_span = DEFAULT_TREND_MIN_SPAN_S;
  self->value = NAN;
  self->status = HEALTH_STATUS_UNKNOWN;
  self->trend = HEALTH_TREND_INSUFFICIENT_DATA;
}

/**
 * health_metric_new:
 * @id: the metric's id, `[a-z0-9-]+`
 * @label: the name people read, translated
 * @unit: the unit of the value (`%`, `bytes`, `ms`...)
 * @direction: which side of the thresholds is unhealthy
 * @warning: the warning threshold
 * @critical: the critical threshold
 *
 * Creates a metric. Add it to a monitor with
 * [method@Health.Monitor.add_metric] and friends.
 *
 * Returns: (transfer full): a new metric
 *
 * Since: 1.0
 */
HealthMetric *
health_metric_new (const char      *id,
                   const char      *label,
                   const char      *unit,
                   HealthDirection  direction,
                   double           warning,
                   double           critical)
{
  HealthMetric *self;

  g_return_val_if_fail (health_metric_id_is_valid (id), NULL);
  g_return_val_if_fail (thresholds_are_valid (direction, warning, critical, NULL), NULL);

  self = g_object_new (HEALTH_TYPE_METRIC,
                       "id", id,
                       "label", label,
                       "unit", unit,
                       "direction", direction,
                       "warning", warning,
                       "critical", critical,
                       NULL);
  self->default_warning = warning;
  self->default_critical = critical;

  return self;
}

/**
 * health_metric_get_id: (get-property id)
 * @self: a metric
 *
 * Gets the id of @self.
 *
 * Returns: (transfer none): the id
 *
 * Since: 1.0
 */
const char *
health_metric_get_id (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  return self->id;
}

/**
 * health_metric_get_label: (get-property label)
 * @self: a metric
 *
 * Gets the label of @self.
 *
 * Returns: (transfer none): the label
 *
 * Since: 1.0
 */
const char *
health_metric_get_label (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  return self->label;
}

/**
 * health_metric_set_label: (set-property label)
 * @self: a metric
 * @label: the name people read, translated
 *
 * Sets the label of @self.
 *
 * Since: 1.0
 */
void
health_metric_set_label (HealthMetric *self,
                         const char   *label)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));

  if (label == NULL && self->constructed)
    label = self->id;

  if (set_str (&self->label, label))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_LABEL]);
}

/**
 * health_metric_get_unit: (get-property unit)
 * @self: a metric
 *
 * Gets the unit of @self.
 *
 * Returns: (transfer none): the unit, possibly empty
 *
 * Since: 1.0
 */
const char *
health_metric_get_unit (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  return self->unit;
}

/**
 * health_metric_get_direction: (get-property direction)
 * @self: a metric
 *
 * Gets which side of the thresholds is unhealthy.
 *
 * Returns: the direction
 *
 * Since: 1.0
 */
HealthDirection
health_metric_get_direction (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), HEALTH_DIRECTION_ABOVE);

  return self->direction;
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
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_WARNING]);
  if (critical_changed)
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CRITICAL]);
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

  if (!thresholds_are_valid (self->direction, warning, critical, error))
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

  if (!thresholds_are_valid (self->direction, warning, critical, NULL))
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
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HYSTERESIS]);
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
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_SUSTAIN]);
}

/**
 * health_metric_get_recommendation: (get-property recommendation)
 * @self: a metric
 *
 * Gets what a person can do while the metric is not good.
 *
 * Returns: (transfer none) (nullable): the recommendation
 *
 * Since: 1.0
 */
const char *
health_metric_get_recommendation (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  return self->recommendation;
}

/**
 * health_metric_set_recommendation: (set-property recommendation)
 * @self: a metric
 * @recommendation: (nullable): what a person can do, translated
 *
 * Sets the recommendation shown while the metric is not good.
 *
 * Since: 1.0
 */
void
health_metric_set_recommendation (HealthMetric *self,
                                  const char   *recommendation)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));

  if (set_str (&self->recommendation, recommendation))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RECOMMENDATION]);
}

/**
 * health_metric_get_history_size: (get-property history-size)
 * @self: a metric
 *
 * Gets how many samples the history keeps.
 *
 * Returns: the capacity of the history
 *
 * Since: 1.0
 */
guint
health_metric_get_history_size (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), 0);

  return self->capacity;
}

/**
 * health_metric_set_history_size: (set-property history-size)
 * @self: a metric
 * @history_size: 1 or more
 *
 * Sets how many samples the history keeps, keeping the newest.
 *
 * Since: 1.0
 */
void
health_metric_set_history_size (HealthMetric *self,
                                guint         history_size)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));
  g_return_if_fail (history_size >= 1 && history_size <= MAX_HISTORY_SIZE);

  if (self->capacity == history_size)
    return;

  metric_resize_history (self, history_size);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HISTORY_SIZE]);
}

/**
 * health_metric_get_condition: (get-property condition)
 * @self: a metric
 *
 * Gets the condition the metric describes, such as `memory`; a metric
 * that names none is its own condition.
 *
 * Returns: (transfer none): the condition, never %NULL
 *
 * Since: 1.0
 */
const char *
health_metric_get_condition (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  return self->condition != NULL ? self->condition : self->id;
}

/**
 * health_metric_set_condition: (set-property condition)
 * @self: a metric
 * @condition: (nullable): a condition, `[a-z0-9-]+`, or %NULL for the id
 *
 * Sets the condition the metric describes together with others.
 *
 * Since: 1.0
 */
void
health_metric_set_condition (HealthMetric *self,
                             const char   *condition)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));
  g_return_if_fail (condition == NULL || health_metric_id_is_valid (condition));

  if (set_str (&self->condition, condition))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_CONDITION]);
}

/**
 * health_metric_get_scope: (get-property scope)
 * @self: a metric
 *
 * Gets what the metric is about.
 *
 * Returns: the scope
 *
 * Since: 1.0
 */
HealthScope
health_metric_get_scope (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), HEALTH_SCOPE_APP);

  return self->scope;
}

/**
 * health_metric_get_bound: (get-property bound)
 * @self: a metric
 *
 * Gets the physical limit of the value on its unhealthy side.
 *
 * Returns: the bound, NaN when there is none
 *
 * Since: 1.0
 */
double
health_metric_get_bound (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NAN);

  return self->bound;
}

/**
 * health_metric_set_bound: (set-property bound)
 * @self: a metric
 * @bound: the limit, or NaN for none
 *
 * Sets the physical limit of the value on its unhealthy side (100 for a
 * percentage of something that fills up).
 *
 * Since: 1.0
 */
void
health_metric_set_bound (HealthMetric *self,
                         double        bound)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));
  g_return_if_fail (!isinf (bound));

  if (memcmp (&self->bound, &bound, sizeof bound) == 0)
    return;

  self->bound = bound;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_BOUND]);
}

/**
 * health_metric_get_detail: (get-property detail)
 * @self: a metric
 *
 * Gets the note that qualifies the value, such as the path `disk-usage`
 * watches.
 *
 * Returns: (transfer none) (nullable): the detail
 *
 * Since: 1.0
 */
const char *
health_metric_get_detail (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  return self->detail;
}

/**
 * health_metric_set_detail: (set-property detail)
 * @self: a metric
 * @detail: (nullable): a short note, or %NULL
 *
 * Sets a short note that qualifies the value.
 *
 * Since: 1.0
 */
void
health_metric_set_detail (HealthMetric *self,
                          const char   *detail)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));

  if (detail != NULL && *detail == '\0')
    detail = NULL;

  if (set_str (&self->detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DETAIL]);
}

/**
 * health_metric_get_trend_min_span: (get-property trend-min-span)
 * @self: a metric
 *
 * Gets how many seconds of history a trend needs.
 *
 * Returns: the seconds
 *
 * Since: 1.0
 */
double
health_metric_get_trend_min_span (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), DEFAULT_TREND_MIN_SPAN_S);

  return self->trend_min_span;
}

/**
 * health_metric_set_trend_min_span: (set-property trend-min-span)
 * @self: a metric
 * @seconds: 0 or more
 *
 * Sets how many seconds of history a trend and a forecast need.
 *
 * Since: 1.0
 */
void
health_metric_set_trend_min_span (HealthMetric *self,
                                  double        seconds)
{
  g_return_if_fail (HEALTH_IS_METRIC (self));
  g_return_if_fail (seconds >= 0 && isfinite (seconds));

  if (self->trend_min_span == seconds)
    return;

  self->trend_min_span = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TREND_MIN_SPAN]);
}

void
health_metric_apply (HealthMetric     *self,
                     double            value,
                     const HealthTime *now)
{
  HealthStatus status;
  HealthTrend trend;
  double slope;

  if (!isfinite (value))
    value = NAN;
  else
    metric_push_history (self, value, now);

  /* Bit-identical values (NaN included) need no notification. */
  if (memcmp (&self->value, &value, sizeof value) != 0)
    {
      self->value = value;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VALUE]);
    }

  trend = metric_compute_trend (self, HEALTH_METRIC_TREND_WINDOW_SECONDS, now->monotonic_us, &slope);
  self->slope = slope;
  if (trend != self->trend)
    {
      self->trend = trend;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TREND]);
    }

  status = metric_judge (self, value);
  metric_set_status (self, status, now);
}

/**
 * health_metric_update:
 * @self: a metric
 * @value: the new value, or NaN when it is unknown
 *
 * Records a new value: appends it to the history, judges it against the
 * thresholds, and, when the metric belongs to a monitor, lets the
 * monitor raise alerts and update its overall status at once.
 *
 * Call it on the main context of the metric's monitor.
 *
 * Since: 1.0
 */
void
health_metric_update (HealthMetric *self,
                      double        value)
{
  HealthStatus old_status;
  HealthTime now;

  g_return_if_fail (HEALTH_IS_METRIC (self));

  health_clock_now (&now);
  old_status = self->status;

  g_object_freeze_notify (G_OBJECT (self));
  health_metric_apply (self, value, &now);
  g_object_thaw_notify (G_OBJECT (self));

  metric_changed_status (self, old_status);
}

/**
 * health_metric_get_value: (get-property value)
 * @self: a metric
 *
 * Gets the latest value.
 *
 * Returns: the value, NaN while unknown
 *
 * Since: 1.0
 */
double
health_metric_get_value (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NAN);

  return self->value;
}

/**
 * health_metric_get_status: (get-property status)
 * @self: a metric
 *
 * Gets the judgement of the latest value.
 *
 * Returns: the status
 *
 * Since: 1.0
 */
HealthStatus
health_metric_get_status (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), HEALTH_STATUS_UNKNOWN);

  return self->status;
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

  return metric_compute_trend (self, window_seconds, now.monotonic_us, &slope);
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

  if (!has_thresholds (self) || !isfinite (self->value))
    return -1;

  threshold = level == HEALTH_STATUS_WARNING ? self->warning : self->critical;

  if (is_beyond (self, self->value, threshold, 0))
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

static const char *
metric_unit_label (const char *unit)
{
  /* Units are data (they name Prometheus series); show them translated. */
  if (g_str_equal (unit, "per core"))
    return _("per core");
  if (g_str_equal (unit, "threads"))
    return _("threads");
  /* "fds" stays as it is, like "%": it is what open-files is counted,
   * exported and alerted in, and another word here would make one
   * figure look like two. */
  if (g_str_equal (unit, "objects"))
    return _("objects");
  if (g_str_equal (unit, "ms"))
    return C_("unit", "ms");

  return unit;
}

/**
 * health_metric_format_value:
 * @self: a metric
 * @value: a value of this metric
 *
 * Formats @value for people, in the metric's unit: "93.1 %", "1.5 GiB",
 * "12 threads", or a dash for NaN.
 *
 * Returns: (transfer full): the formatted value
 *
 * Since: 1.0
 */
char *
health_metric_format_value (HealthMetric *self,
                            double        value)
{
  const char *unit;

  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  if (!isfinite (value))
    return g_strdup ("—");

  if (g_str_equal (self->unit, "bytes"))
    return value < 0 ? g_strdup_printf ("-%s", g_format_size_full ((guint64) -value, G_FORMAT_SIZE_IEC_UNITS))
                     : g_format_size_full ((guint64) value, G_FORMAT_SIZE_IEC_UNITS);

  if (g_str_equal (self->unit, "%"))
    return g_strdup_printf ("%.1f %%", value);

  unit = metric_unit_label (self->unit);

  if (value == floor (value) && fabs (value) < 1e15)
    return *unit ? g_strdup_printf ("%.0f %s", value, unit) : g_strdup_printf ("%.0f", value);

  if (fabs (value) < 10)
    return *unit ? g_strdup_printf ("%.2f %s", value, unit) : g_strdup_printf ("%.2f", value);

  return *unit ? g_strdup_printf ("%.1f %s", value, unit) : g_strdup_printf ("%.1f", value);
}

/**
 * health_format_duration: (skip)
 *
 * "about 3 h", for forecasts.
 */
char *
health_format_duration (double seconds)
{
  guint n;

  if (seconds < 90)
    {
      n = MAX (1, (guint) round (seconds));
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u second", "about %u seconds", n), n);
    }
  if (seconds < 90 * 60)
    {
      n = (guint) round (seconds / 60);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u minute", "about %u minutes", n), n);
    }
  if (seconds < 36 * 3600)
    {
      n = (guint) round (seconds / 3600);
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u hour", "about %u hours", n), n);
    }

  n = (guint) MIN (round (seconds / 86400), G_MAXUINT);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "about %u day", "about %u days", n), n);
}

gint64
health_metric_get_status_since (HealthMetric *self)
{
  return self->status_since;
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

/**
 * health_metric_get_monitor: (get-property monitor)
 * @self: a metric
 *
 * Gets the monitor @self belongs to; see [property@Health.Metric:monitor].
 *
 * Returns: (transfer none) (nullable): the monitor, or %NULL while the
 *   metric belongs to none
 *
 * Since: 1.0
 */
HealthMonitor *
health_metric_get_monitor (HealthMetric *self)
{
  g_return_val_if_fail (HEALTH_IS_METRIC (self), NULL);

  return self->monitor;
}

/* The monitor's pointer, unowned: a monitor sets it back to NULL when it
 * removes the metric or is disposed, before it could dangle. */
void
health_metric_set_monitor (HealthMetric            *self,
                           HealthMonitor           *monitor,
                           HealthMetricChangedFunc  changed)
{
  self->changed = changed;

  if (self->monitor == monitor)
    return;

  self->monitor = monitor;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MONITOR]);
}

void
health_metric_apply_remote (HealthMetric *self,
                            double        value,
                            HealthStatus  status,
                            HealthTrend   trend,
                            gint64        time_us)
{
  HealthTime now;

  health_clock_now (&now);
  now.real_us = time_us;

  g_object_freeze_notify (G_OBJECT (self));

  if (!isfinite (value))
    value = NAN;
  else
    metric_push_history (self, value, &now);

  if (memcmp (&self->value, &value, sizeof value) != 0)
    {
      self->value = value;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_VALUE]);
    }

  /* The slope feeds forecasts; the trend itself is the remote's. */
  metric_compute_trend (self, HEALTH_METRIC_TREND_WINDOW_SECONDS, now.monotonic_us, &self->slope);
  if (trend != self->trend)
    {
      self->trend = trend;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TREND]);
    }

  metric_set_status (self, status, &now);

  g_object_thaw_notify (G_OBJECT (self));
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

  for (guint i = skip; i < n_samples; i++)
    {
      HealthTime then;

      if (!isfinite (samples[i].value))
        continue;

      then.real_us = samples[i].time_us;
      then.monotonic_us = now.monotonic_us - MAX (0, now.real_us - samples[i].time_us);
      metric_push_history (self, samples[i].value, &then);
    }
}
