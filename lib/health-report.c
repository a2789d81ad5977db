/* health-report.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What a monitor says about itself as a whole: recommendations, the
 * summary (the seed's dictionary, as a GVariant) and its JSON. Built on
 * the public API alone, as the OpenMetrics exposition is.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "health-metric-private.h"
#include "health-monitor.h"

static int
compare_by_severity (gconstpointer a,
                     gconstpointer b)
{
  HealthMetric *metric_a = *(HealthMetric * const *) a;
  HealthMetric *metric_b = *(HealthMetric * const *) b;

  return (int) health_metric_get_status (metric_b) - (int) health_metric_get_status (metric_a);
}

/* The metrics worse than GOOD, worst first. */
static GPtrArray *
monitor_dup_troubled (HealthMonitor *self)
{
  GPtrArray *troubled = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_items = g_list_model_get_n_items (health_monitor_get_metrics (self));

  for (guint i = 0; i < n_items; i++)
    {
      HealthMetric *metric = g_list_model_get_item (health_monitor_get_metrics (self), i);

      if (health_metric_get_status (metric) >= HEALTH_STATUS_WARNING)
        g_ptr_array_add (troubled, metric);
      else
        g_object_unref (metric);
    }

  g_ptr_array_sort (troubled, compare_by_severity);

  return troubled;
}

/**
 * health_monitor_get_recommendations:
 * @self: a monitor
 *
 * Lists what a person can do now: the recommendations of the metrics at
 * %HEALTH_STATUS_WARNING or worse, worst first, each once.
 *
 * Returns: (transfer full) (array zero-terminated=1): translated sentences
 *
 * Since: 1.0
 */
char **
health_monitor_get_recommendations (HealthMonitor *self)
{
  g_autoptr(GPtrArray) troubled = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  troubled = monitor_dup_troubled (self);
  for (guint i = 0; i < troubled->len; i++)
    {
      const char *text = health_metric_get_recommendation (g_ptr_array_index (troubled, i));

      if (text != NULL && *text != '\0' && g_hash_table_add (seen, (gpointer) text))
        g_strv_builder_add (builder, text);
    }

  return g_strv_builder_end (builder);
}

static GVariant *
metric_to_variant (HealthMetric *metric)
{
  GVariantDict dict;
  g_autofree char *formatted = health_metric_format_value (metric, health_metric_get_value (metric));

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "label", "s", health_metric_get_label (metric));
  g_variant_dict_insert (&dict, "value", "d", health_metric_get_value (metric));
  g_variant_dict_insert (&dict, "formatted", "s", formatted);
  g_variant_dict_insert (&dict, "unit", "s", health_metric_get_unit (metric));
  g_variant_dict_insert (&dict, "status", "s", health_status_to_string (health_metric_get_status (metric)));
  g_variant_dict_insert (&dict, "trend", "s",
                         health_trend_to_string (health_metric_get_trend (metric, HEALTH_METRIC_TREND_WINDOW_SECONDS)));
  g_variant_dict_insert (&dict, "threshold_warning", "d", health_metric_get_warning (metric));
  g_variant_dict_insert (&dict, "threshold_critical", "d", health_metric_get_critical (metric));
  g_variant_dict_insert (&dict, "forecast_critical", "d",
                         health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL));
  g_variant_dict_insert (&dict, "condition", "s", health_metric_get_condition (metric));
  g_variant_dict_insert (&dict, "scope", "s",
                         health_scope_to_string (health_metric_get_scope (metric)));
  if (health_metric_get_detail (metric) != NULL)
    g_variant_dict_insert (&dict, "detail", "s", health_metric_get_detail (metric));

  return g_variant_dict_end (&dict);
}

static GVariant *
metric_to_alert_variant (HealthMetric *metric)
{
  GVariantDict dict;
  HealthStatus status = health_metric_get_status (metric);
  g_autofree char *formatted = health_metric_format_value (metric, health_metric_get_value (metric));
  g_autofree char *status_text = g_utf8_strdown (health_status_to_label (status), -1);
  g_autofree char *message = NULL;

  /* Translators: "Memory Usage is critical: 93.1 %" */
  message = g_strdup_printf (_("%s is %s: %s"),
                             health_metric_get_label (metric), status_text, formatted);

  g_variant_dict_init (&dict, NULL);
  g_variant_dict_insert (&dict, "metric", "s", health_metric_get_id (metric));
  g_variant_dict_insert (&dict, "status", "s", health_status_to_string (status));
  g_variant_dict_insert (&dict, "value", "d", health_metric_get_value (metric));
  g_variant_dict_insert (&dict, "message", "s", message);

  return g_variant_dict_end (&dict);
}

/**
 * health_monitor_get_summary:
 * @self: a monitor
 *
 * Describes the monitor in one dictionary (`a{sv}`), with the keys of the
 * Python monitor it ports: `overall_status` (s), `monitoring_active` (b),
 * `metrics` (a{sv}: per metric id an a{sv} of `label`, `value`,
 * `formatted`, `unit`, `status`, `trend`, `threshold_warning`,
 * `threshold_critical`, `forecast_critical`, `condition`, `scope`
 * (`"system"`, `"process"` or `"app"`) and, where there is one, `detail`
 * such as the path `disk-usage` watches), `alerts` (aa{sv}: `metric`,
 * `status`, `value`, `message` for each metric at warning or worse,
 * worst first) and `recommendations` (as).
 *
 * Returns: (transfer full): a floating-free #GVariant of type `a{sv}`
 *
 * Since: 1.0
 */
GVariant *
health_monitor_get_summary (HealthMonitor *self)
{
  g_auto(GVariantBuilder) metrics = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE_VARDICT);
  g_auto(GVariantBuilder) alerts = G_VARIANT_BUILDER_INIT (G_VARIANT_TYPE ("aa{sv}"));
  g_auto(GStrv) recommendations = NULL;
  g_autoptr(GPtrArray) troubled = NULL;
  GVariantDict summary;
  guint n_items;

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  n_items = g_list_model_get_n_items (health_monitor_get_metrics (self));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (health_monitor_get_metrics (self), i);

      g_variant_builder_add (&metrics, "{sv}", health_metric_get_id (metric), metric_to_variant (metric));
    }

  troubled = monitor_dup_troubled (self);
  for (guint i = 0; i < troubled->len; i++)
    g_variant_builder_add_value (&alerts, metric_to_alert_variant (g_ptr_array_index (troubled, i)));

  recommendations = health_monitor_get_recommendations (self);

  g_variant_dict_init (&summary, NULL);
  g_variant_dict_insert (&summary, "overall_status", "s", health_status_to_string (health_monitor_get_status (self)));
  g_variant_dict_insert (&summary, "monitoring_active", "b", health_monitor_get_active (self));
  g_variant_dict_insert_value (&summary, "metrics", g_variant_builder_end (&metrics));
  g_variant_dict_insert_value (&summary, "alerts", g_variant_builder_end (&alerts));
  g_variant_dict_insert_value (&summary, "recommendations", g_variant_new_strv ((const char * const *) recommendations, -1));

  return g_variant_ref_sink (g_variant_dict_end (&summary));
}

/* JSON has no NaN: unknown values become null. */
static JsonNode *
variant_to_json (GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT))
    {
      g_autoptr(GVariant) inner = g_variant_get_variant (value);

      return variant_to_json (inner);
    }

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARDICT))
    {
      JsonObject *object = json_object_new ();
      JsonNode *node = json_node_new (JSON_NODE_OBJECT);
      GVariantIter iter;
      const char *key;
      GVariant *child;

      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{&sv}", &key, &child))
        {
          json_object_set_member (object, key, variant_to_json (child));
          g_variant_unref (child);
        }

      json_node_take_object (node, object);
      return node;
    }

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_ARRAY))
    {
      JsonArray *array = json_array_new ();
      JsonNode *node = json_node_new (JSON_NODE_ARRAY);
      GVariantIter iter;
      GVariant *child;

      g_variant_iter_init (&iter, value);
      while ((child = g_variant_iter_next_value (&iter)) != NULL)
        {
          json_array_add_element (array, variant_to_json (child));
          g_variant_unref (child);
        }

      json_node_take_array (node, array);
      return node;
    }

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_DOUBLE))
    {
      double d = g_variant_get_double (value);

      if (!isfinite (d))
        return json_node_init_null (json_node_alloc ());

      return json_node_init_double (json_node_alloc (), d);
    }

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_BOOLEAN))
    return json_node_init_boolean (json_node_alloc (), g_variant_get_boolean (value));

  if (g_variant_is_of_type (value, G_VARIANT_TYPE_STRING))
    return json_node_init_string (json_node_alloc (), g_variant_get_string (value, NULL));

  g_return_val_if_reached (json_node_init_null (json_node_alloc ()));
}

/**
 * health_monitor_to_json:
 * @self: a monitor
 *
 * Writes [method@Health.Monitor.get_summary] as pretty-printed JSON;
 * unknown values are `null`.
 *
 * Returns: (transfer full): the JSON text
 *
 * Since: 1.0
 */
char *
health_monitor_to_json (HealthMonitor *self)
{
  g_autoptr(GVariant) summary = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonGenerator) generator = NULL;

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  summary = health_monitor_get_summary (self);
  root = variant_to_json (summary);

  generator = json_generator_new ();
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);

  return json_generator_to_data (generator, NULL);
}
