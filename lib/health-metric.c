/* health-metric.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-enum-types.h"
#include "health-metric-impl-private.h"
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

G_DEFINE_FINAL_TYPE (HealthMetric, health_metric, G_TYPE_OBJECT)

GParamSpec *health_metric_props[LAST_PROP];

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

void
health_metric_changed_status (HealthMetric *self,
                              HealthStatus  old_status)
{
  if (self->changed != NULL)
    self->changed (self->monitor, self, old_status);
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
      health_metric_set_threshold_property (self, TRUE, g_value_get_double (value));
      break;
    case PROP_CRITICAL:
      health_metric_set_threshold_property (self, FALSE, g_value_get_double (value));
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
  health_metric_props[PROP_ID] =
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
  health_metric_props[PROP_LABEL] =
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
  health_metric_props[PROP_UNIT] =
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
  health_metric_props[PROP_DIRECTION] =
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
  health_metric_props[PROP_WARNING] =
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
  health_metric_props[PROP_CRITICAL] =
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
  health_metric_props[PROP_HYSTERESIS] =
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
  health_metric_props[PROP_SUSTAIN] =
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
  health_metric_props[PROP_RECOMMENDATION] =
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
  health_metric_props[PROP_HISTORY_SIZE] =
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
  health_metric_props[PROP_CONDITION] =
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
  health_metric_props[PROP_SCOPE] =
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
  health_metric_props[PROP_BOUND] =
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
  health_metric_props[PROP_DETAIL] =
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
  health_metric_props[PROP_TREND_MIN_SPAN] =
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
  health_metric_props[PROP_VALUE] =
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
  health_metric_props[PROP_STATUS] =
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
  health_metric_props[PROP_TREND] =
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
  health_metric_props[PROP_MONITOR] =
    g_param_spec_object ("monitor", NULL, NULL,
                         HEALTH_TYPE_MONITOR,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, health_metric_props);
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
  g_return_val_if_fail (health_metric_thresholds_are_valid (direction, warning, critical, NULL), NULL);

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
    g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_LABEL]);
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
    g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_RECOMMENDATION]);
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

  health_metric_resize_history (self, history_size);
  g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_HISTORY_SIZE]);
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
    g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_CONDITION]);
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
  g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_BOUND]);
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
    g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_DETAIL]);
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
  g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_TREND_MIN_SPAN]);
}

/* A notify handler may drop the last reference to the metric (by
 * removing it from its monitor): the metric holds itself from its first
 * notification on, so that its callers need not take a reference around
 * every sample of every metric, most of which notify nothing. */
static void
metric_hold (HealthMetric  *self,
             HealthMetric **held)
{
  if (*held == NULL)
    *held = g_object_ref (self);
}

void
health_metric_apply (HealthMetric     *self,
                     double            value,
                     const HealthTime *now)
{
  g_autoptr(HealthMetric) held = NULL;
  HealthStatus status;
  HealthTrend trend;
  double slope;

  if (!isfinite (value))
    value = NAN;
  else
    health_metric_push_history (self, value, now);

  /* Bit-identical values (NaN included) need no notification. */
  if (memcmp (&self->value, &value, sizeof value) != 0)
    {
      metric_hold (self, &held);
      self->value = value;
      g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_VALUE]);
    }

  trend = health_metric_compute_trend (self, HEALTH_METRIC_TREND_WINDOW_SECONDS, now->monotonic_us, &slope);
  self->slope = slope;
  if (trend != self->trend)
    {
      metric_hold (self, &held);
      self->trend = trend;
      g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_TREND]);
    }

  status = health_metric_judge_value (self, value);
  if (status != self->status)
    metric_hold (self, &held);
  health_metric_set_status (self, status, now);
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

  health_metric_changed_status (self, old_status);
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

gint64
health_metric_get_status_since (HealthMetric *self)
{
  return self->status_since;
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
  g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_MONITOR]);
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
    health_metric_push_history (self, value, &now);

  if (memcmp (&self->value, &value, sizeof value) != 0)
    {
      self->value = value;
      g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_VALUE]);
    }

  /* The slope feeds forecasts; the trend itself is the remote's. */
  health_metric_compute_trend (self, HEALTH_METRIC_TREND_WINDOW_SECONDS, now.monotonic_us, &self->slope);
  if (trend != self->trend)
    {
      self->trend = trend;
      g_object_notify_by_pspec (G_OBJECT (self), health_metric_props[PROP_TREND]);
    }

  health_metric_set_status (self, status, &now);

  g_object_thaw_notify (G_OBJECT (self));
}

