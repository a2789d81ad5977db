/* health-types.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "health-types.h"

/**
 * health_error_quark:
 *
 * The error domain of libhealth.
 *
 * Returns: the quark of %HEALTH_ERROR
 *
 * Since: 1.0
 */
G_DEFINE_QUARK (health-error-quark, health_error)

/**
 * health_status_to_string:
 * @status: a status
 *
 * The machine name of @status, as in summaries and JSON: `"unknown"`,
 * `"excellent"`, `"good"`, `"warning"`, `"critical"` or `"emergency"`.
 *
 * Returns: (transfer none): a static string
 *
 * Since: 1.0
 */
const char *
health_status_to_string (HealthStatus status)
{
  switch (status)
    {
    case HEALTH_STATUS_UNKNOWN: return "unknown";
    case HEALTH_STATUS_EXCELLENT: return "excellent";
    case HEALTH_STATUS_GOOD: return "good";
    case HEALTH_STATUS_WARNING: return "warning";
    case HEALTH_STATUS_CRITICAL: return "critical";
    case HEALTH_STATUS_EMERGENCY: return "emergency";
    default: g_return_val_if_reached ("unknown");
    }
}

/**
 * health_status_to_label:
 * @status: a status
 *
 * The name of @status to show to people, translated.
 *
 * Returns: (transfer none): a static, translated string
 *
 * Since: 1.0
 */
const char *
health_status_to_label (HealthStatus status)
{
  switch (status)
    {
    case HEALTH_STATUS_UNKNOWN: return C_("health status", "Unknown");
    case HEALTH_STATUS_EXCELLENT: return C_("health status", "Excellent");
    case HEALTH_STATUS_GOOD: return C_("health status", "Good");
    case HEALTH_STATUS_WARNING: return C_("health status", "Warning");
    case HEALTH_STATUS_CRITICAL: return C_("health status", "Critical");
    case HEALTH_STATUS_EMERGENCY: return C_("health status", "Emergency");
    default: g_return_val_if_reached (C_("health status", "Unknown"));
    }
}

/**
 * health_status_get_icon_name:
 * @status: a status
 *
 * The name of a symbolic icon for @status, from the icons libhealth
 * installs (`health-good-symbolic`...), each with a fallback in the
 * standard icon naming specification that
 * [ctor@Gio.ThemedIcon.new_with_default_fallbacks] finds.
 *
 * Returns: (transfer none): a static icon name
 *
 * Since: 1.0
 */
const char *
health_status_get_icon_name (HealthStatus status)
{
  switch (status)
    {
    case HEALTH_STATUS_UNKNOWN: return "health-unknown-symbolic";
    case HEALTH_STATUS_EXCELLENT: return "health-excellent-symbolic";
    case HEALTH_STATUS_GOOD: return "health-good-symbolic";
    case HEALTH_STATUS_WARNING: return "health-warning-symbolic";
    case HEALTH_STATUS_CRITICAL: return "health-critical-symbolic";
    case HEALTH_STATUS_EMERGENCY: return "health-emergency-symbolic";
    default: g_return_val_if_reached ("health-unknown-symbolic");
    }
}

/**
 * health_scope_to_string:
 * @scope: a scope
 *
 * Names @scope for machines: `"system"`, `"process"` or `"app"`.
 *
 * Returns: (transfer none): the name
 *
 * Since: 1.0
 */
const char *
health_scope_to_string (HealthScope scope)
{
  switch (scope)
    {
    case HEALTH_SCOPE_SYSTEM: return "system";
    case HEALTH_SCOPE_PROCESS: return "process";
    case HEALTH_SCOPE_APP: return "app";
    default: g_return_val_if_reached ("app");
    }
}

/**
 * health_trend_to_string:
 * @trend: a trend
 *
 * The machine name of @trend, as in summaries and JSON:
 * `"insufficient_data"`, `"stable"`, `"increasing"` or `"decreasing"`.
 *
 * Returns: (transfer none): a static string
 *
 * Since: 1.0
 */
const char *
health_trend_to_string (HealthTrend trend)
{
  switch (trend)
    {
    case HEALTH_TREND_INSUFFICIENT_DATA: return "insufficient_data";
    case HEALTH_TREND_STABLE: return "stable";
    case HEALTH_TREND_INCREASING: return "increasing";
    case HEALTH_TREND_DECREASING: return "decreasing";
    default: g_return_val_if_reached ("insufficient_data");
    }
}

/**
 * health_trend_to_label:
 * @trend: a trend
 *
 * The word for @trend to show to people, translated: "stable",
 * "increasing", "decreasing", or "no trend yet".
 *
 * Returns: (transfer none): a static, translated string
 *
 * Since: 1.0
 */
const char *
health_trend_to_label (HealthTrend trend)
{
  switch (trend)
    {
    case HEALTH_TREND_INSUFFICIENT_DATA: return _("no trend yet");
    case HEALTH_TREND_STABLE: return _("stable");
    case HEALTH_TREND_INCREASING: return _("increasing");
    case HEALTH_TREND_DECREASING: return _("decreasing");
    default: g_return_val_if_reached (_("no trend yet"));
    }
}

/**
 * health_metric_id_is_valid:
 * @id: (nullable): a candidate metric id
 *
 * Whether @id can name a metric: one or more of `a-z`, `0-9` and `-`,
 * neither starting nor ending with `-`, at most 64 characters. Ids are
 * used as signal details (`alert::memory-usage`), D-Bus object path
 * elements and Prometheus names, so they stay this plain.
 *
 * Returns: %TRUE if @id is a valid metric id
 *
 * Since: 1.0
 */
gboolean
health_metric_id_is_valid (const char *id)
{
  gsize len;

  if (id == NULL)
    return FALSE;

  len = strlen (id);
  if (len == 0 || len > 64 || id[0] == '-' || id[len - 1] == '-')
    return FALSE;

  for (const char *p = id; *p; p++)
    {
      if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-'))
        return FALSE;
    }

  return TRUE;
}
