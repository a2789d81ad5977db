/* health-alert.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-alert-private.h"
#include "health-enum-types.h"
#include "health-metric-private.h"
#include "health-text-private.h"

/**
 * HealthAlert:
 *
 * What the [signal@Health.Monitor::alert] signal carries: a metric
 * entered %HEALTH_STATUS_WARNING or %HEALTH_STATUS_CRITICAL.
 *
 * An alert is a snapshot taken when it fired: the value, the threshold it
 * crossed, the trend and forecast, a translated
 * [property@Health.Alert:message] ready for a notification ("Memory Usage
 * = 93.1 % (threshold 90.0 %, increasing)"), and for memory, swap, CPU
 * and I/O alerts the [property@Health.Alert:culprit], the process most
 * responsible.
 *
 * Both texts are safe to show as they are, on a terminal or in a
 * notification: whatever an app, a process or another monitor put in
 * them, they are valid UTF-8 on one line, without control characters or
 * bidi overrides. (Markup is another matter: escape them for it.)
 *
 * Since: 1.0
 */

struct _HealthAlert
{
  GObject       parent_instance;

  HealthMetric *metric;
  HealthStatus  status;
  double        value;
  double        threshold;
  HealthTrend   trend;
  double        forecast;
  char         *message;
  char         *culprit;
  gint64        time;
};

G_DEFINE_FINAL_TYPE (HealthAlert, health_alert, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_METRIC,
  PROP_STATUS,
  PROP_VALUE,
  PROP_THRESHOLD,
  PROP_TREND,
  PROP_FORECAST,
  PROP_MESSAGE,
  PROP_CULPRIT,
  PROP_TIME,
  LAST_PROP
};

static GParamSpec *props[LAST_PROP];

static void
health_alert_finalize (GObject *object)
{
  HealthAlert *self = HEALTH_ALERT (object);

  g_clear_object (&self->metric);
  g_clear_pointer (&self->message, g_free);
  g_clear_pointer (&self->culprit, g_free);

  G_OBJECT_CLASS (health_alert_parent_class)->finalize (object);
}

static void
health_alert_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  HealthAlert *self = HEALTH_ALERT (object);

  switch (prop_id)
    {
    case PROP_METRIC:
      g_value_set_object (value, self->metric);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_VALUE:
      g_value_set_double (value, self->value);
      break;
    case PROP_THRESHOLD:
      g_value_set_double (value, self->threshold);
      break;
    case PROP_TREND:
      g_value_set_enum (value, self->trend);
      break;
    case PROP_FORECAST:
      g_value_set_double (value, self->forecast);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    case PROP_CULPRIT:
      g_value_set_string (value, self->culprit);
      break;
    case PROP_TIME:
      g_value_set_int64 (value, self->time);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_alert_class_init (HealthAlertClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = health_alert_finalize;
  object_class->get_property = health_alert_get_property;

  /**
   * HealthAlert:metric: (attributes org.gtk.Property.get=health_alert_get_metric)
   *
   * The metric that alerted.
   *
   * Since: 1.0
   */
  props[PROP_METRIC] =
    g_param_spec_object ("metric", NULL, NULL,
                         HEALTH_TYPE_METRIC,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:status: (attributes org.gtk.Property.get=health_alert_get_status)
   *
   * %HEALTH_STATUS_WARNING or %HEALTH_STATUS_CRITICAL.
   *
   * Since: 1.0
   */
  props[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       HEALTH_TYPE_STATUS, HEALTH_STATUS_WARNING,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:value: (attributes org.gtk.Property.get=health_alert_get_value)
   *
   * The value of the metric when the alert fired.
   *
   * Since: 1.0
   */
  props[PROP_VALUE] =
    g_param_spec_double ("value", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:threshold: (attributes org.gtk.Property.get=health_alert_get_threshold)
   *
   * The threshold that was crossed.
   *
   * Since: 1.0
   */
  props[PROP_THRESHOLD] =
    g_param_spec_double ("threshold", NULL, NULL,
                         -G_MAXDOUBLE, G_MAXDOUBLE, 0,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:trend: (attributes org.gtk.Property.get=health_alert_get_trend)
   *
   * The trend of the metric when the alert fired.
   *
   * Since: 1.0
   */
  props[PROP_TREND] =
    g_param_spec_enum ("trend", NULL, NULL,
                       HEALTH_TYPE_TREND, HEALTH_TREND_INSUFFICIENT_DATA,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:forecast: (attributes org.gtk.Property.get=health_alert_get_forecast)
   *
   * For a warning, the seconds until the metric turns critical at its
   * current trend; -1 when it is not heading there.
   *
   * Since: 1.0
   */
  props[PROP_FORECAST] =
    g_param_spec_double ("forecast", NULL, NULL,
                         -1, G_MAXDOUBLE, -1,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:message: (attributes org.gtk.Property.get=health_alert_get_message)
   *
   * A translated sentence for people: "Memory Usage = 93.1 % (threshold
   * 90.0 %, increasing)".
   *
   * Since: 1.0
   */
  props[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:culprit: (attributes org.gtk.Property.get=health_alert_get_culprit)
   *
   * For memory, swap, CPU and I/O alerts of the built-in metrics, the
   * process most responsible: "firefox (4242) 3.1 GiB". %NULL when none
   * was looked for or found.
   *
   * Since: 1.0
   */
  props[PROP_CULPRIT] =
    g_param_spec_string ("culprit", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthAlert:time: (attributes org.gtk.Property.get=health_alert_get_time)
   *
   * When the alert fired, in wall-clock microseconds since the epoch.
   *
   * Since: 1.0
   */
  props[PROP_TIME] =
    g_param_spec_int64 ("time", NULL, NULL,
                        G_MININT64, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);
}

static void
health_alert_init (HealthAlert *self)
{
  self->forecast = -1;
}

/* An alert's text ends up in notifications and logs, and comes from
 * elsewhere: an app's or a peer's labels and units, a process's name, a
 * peer's message. Nothing left to show is no culprit. */
static char *
dup_clean_text (const char *text)
{
  g_autofree char *clean = health_text_sanitize (text, -1);

  return clean != NULL && *clean != '\0' ? g_steal_pointer (&clean) : NULL;
}

HealthAlert *
health_alert_new (HealthMetric *metric,
                  HealthStatus  status,
                  const char   *culprit,
                  gint64        time_us)
{
  HealthAlert *self;
  g_autofree char *value_text = NULL;
  g_autofree char *threshold_text = NULL;
  g_autofree char *details = NULL;
  g_autofree char *message = NULL;

  g_return_val_if_fail (HEALTH_IS_METRIC (metric), NULL);
  g_return_val_if_fail (status == HEALTH_STATUS_WARNING || status == HEALTH_STATUS_CRITICAL, NULL);

  self = g_object_new (HEALTH_TYPE_ALERT, NULL);
  self->metric = g_object_ref (metric);
  self->status = status;
  self->value = health_metric_get_value (metric);
  self->threshold = health_metric_get_threshold (metric, status);
  self->trend = health_metric_get_trend (metric, HEALTH_METRIC_TREND_WINDOW_SECONDS);
  self->culprit = dup_clean_text (culprit);
  self->time = time_us;

  if (status == HEALTH_STATUS_WARNING)
    self->forecast = health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL);

  value_text = health_metric_format_value (metric, self->value);
  threshold_text = health_metric_format_value (metric, self->threshold);

  if (self->forecast > 0)
    {
      g_autofree char *duration = health_format_duration (self->forecast);

      /* Translators: the last part of an alert: "critical in about 3 hours" */
      details = g_strdup_printf (_("threshold %s, %s, critical in %s"),
                                 threshold_text, health_trend_to_label (self->trend), duration);
    }
  else
    {
      /* Translators: the last part of an alert: "threshold 90.0 %, increasing" */
      details = g_strdup_printf (_("threshold %s, %s"), threshold_text, health_trend_to_label (self->trend));
    }

  /* Translators: "Memory Usage = 93.1 % (threshold 90.0 %, increasing)" */
  message = g_strdup_printf (_("%s = %s (%s)"),
                             health_metric_get_label (metric), value_text, details);
  self->message = health_text_sanitize (message, -1);

  return self;
}

/* An alert as another process told it, over D-Bus. */
HealthAlert *
health_alert_new_full (HealthMetric *metric,
                       HealthStatus  status,
                       double        value,
                       double        threshold,
                       HealthTrend   trend,
                       double        forecast,
                       const char   *message,
                       const char   *culprit,
                       gint64        time_us)
{
  HealthAlert *self;

  g_return_val_if_fail (HEALTH_IS_METRIC (metric), NULL);

  self = g_object_new (HEALTH_TYPE_ALERT, NULL);
  self->metric = g_object_ref (metric);
  self->status = status;
  self->value = value;
  self->threshold = threshold;
  self->trend = trend;
  self->forecast = forecast;
  self->message = health_text_sanitize (message, -1);
  self->culprit = dup_clean_text (culprit);
  self->time = time_us;

  return self;
}

/**
 * health_alert_get_metric: (get-property metric)
 * @self: an alert
 *
 * Gets the metric that alerted.
 *
 * Returns: (transfer none): the metric
 *
 * Since: 1.0
 */
HealthMetric *
health_alert_get_metric (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), NULL);

  return self->metric;
}

/**
 * health_alert_get_status: (get-property status)
 * @self: an alert
 *
 * Gets the status the metric entered.
 *
 * Returns: %HEALTH_STATUS_WARNING or %HEALTH_STATUS_CRITICAL
 *
 * Since: 1.0
 */
HealthStatus
health_alert_get_status (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), HEALTH_STATUS_UNKNOWN);

  return self->status;
}

/**
 * health_alert_get_value: (get-property value)
 * @self: an alert
 *
 * Gets the value of the metric when the alert fired.
 *
 * Returns: the value
 *
 * Since: 1.0
 */
double
health_alert_get_value (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), NAN);

  return self->value;
}

/**
 * health_alert_get_threshold: (get-property threshold)
 * @self: an alert
 *
 * Gets the threshold that was crossed.
 *
 * Returns: the threshold
 *
 * Since: 1.0
 */
double
health_alert_get_threshold (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), NAN);

  return self->threshold;
}

/**
 * health_alert_get_trend: (get-property trend)
 * @self: an alert
 *
 * Gets the trend of the metric when the alert fired.
 *
 * Returns: the trend
 *
 * Since: 1.0
 */
HealthTrend
health_alert_get_trend (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), HEALTH_TREND_INSUFFICIENT_DATA);

  return self->trend;
}

/**
 * health_alert_get_forecast: (get-property forecast)
 * @self: an alert
 *
 * Gets the seconds until the metric turns critical, for a warning.
 *
 * Returns: the seconds, or -1 when it is not heading there
 *
 * Since: 1.0
 */
double
health_alert_get_forecast (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), -1);

  return self->forecast;
}

/**
 * health_alert_get_message: (get-property message)
 * @self: an alert
 *
 * Gets the translated sentence describing the alert.
 *
 * Returns: (transfer none): the message
 *
 * Since: 1.0
 */
const char *
health_alert_get_message (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), NULL);

  return self->message;
}

/**
 * health_alert_get_culprit: (get-property culprit)
 * @self: an alert
 *
 * Gets the process most responsible, when one was looked for.
 *
 * Returns: (transfer none) (nullable): "name (pid) amount", or %NULL
 *
 * Since: 1.0
 */
const char *
health_alert_get_culprit (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), NULL);

  return self->culprit;
}

/**
 * health_alert_get_time: (get-property time)
 * @self: an alert
 *
 * Gets when the alert fired.
 *
 * Returns: wall-clock microseconds since the epoch
 *
 * Since: 1.0
 */
gint64
health_alert_get_time (HealthAlert *self)
{
  g_return_val_if_fail (HEALTH_IS_ALERT (self), 0);

  return self->time;
}
