/* health-openmetrics.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The Prometheus text exposition (format 0.0.4) and the OpenMetrics 1.0
 * one of a monitor. Both come from the same writer: they differ only in
 * escaping, in how info and unit metadata are spelled and in the closing
 * `# EOF`.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include "health-monitor.h"

typedef enum
{
  FLAVOUR_PROMETHEUS,
  FLAVOUR_OPENMETRICS,
} Flavour;

/* Prometheus wants base units: seconds, bytes, and ratios rather than
 * percentages (https://prometheus.io/docs/practices/naming/). A metric
 * whose unit is known here is converted and named with the unit as a
 * suffix; any other unit ("jobs", "objects") is a plain count that
 * keeps the bare name and says its unit in HELP.
 *
 * Ratios rather than `_percent`, because the naming guide maps percent
 * to ratio and because PromQL then combines them with any other ratio
 * without a factor 100; Grafana's "Percent (0.0-1.0)" unit still shows
 * them as percentages.
 */
typedef struct
{
  const char *unit;       /* HealthMetric:unit, exactly */
  const char *suffix;     /* appended to the name */
  const char *om_unit;    /* OpenMetrics UNIT, NULL when it is no unit */
  double      divisor;    /* exported = value / divisor: a division is rounded once,
                           * so 95 % gives the double nearest 0.95 */
} UnitConversion;

static const UnitConversion conversions[] = {
  { "%",        "_ratio",    "ratio",   100.0 },
  { "bytes",    "_bytes",    "bytes",   1.0 },
  { "B",        "_bytes",    "bytes",   1.0 },
  { "KiB",      "_bytes",    "bytes",   1.0 / 1024.0 },
  { "MiB",      "_bytes",    "bytes",   1.0 / (1024.0 * 1024.0) },
  { "GiB",      "_bytes",    "bytes",   1.0 / (1024.0 * 1024.0 * 1024.0) },
  { "s",        "_seconds",  "seconds", 1.0 },
  { "seconds",  "_seconds",  "seconds", 1.0 },
  { "ms",       "_seconds",  "seconds", 1e3 },
  { "us",       "_seconds",  "seconds", 1e6 },
  { "µs",       "_seconds",  "seconds", 1e6 },
  { "ns",       "_seconds",  "seconds", 1e9 },
  /* The load average divided by the number of cores: no unit, but the
   * name must say it is not the raw load average node_exporter has. */
  { "per core", "_per_core", NULL,      1.0 },
};

static const UnitConversion no_conversion = { "", "", NULL, 1.0 };

/* Families written below, and the ones the health-monitor command adds
 * when it serves or exports (a samples counter, the time of the last
 * sample). A metric whose name would be one of these is left out of
 * the per-metric gauges rather than corrupt a family; its status,
 * thresholds and info are still there, labelled by its id. */
static const char * const reserved_names[] = {
  "health_status",
  "health_metric",
  "health_metric_info",
  "health_metric_status",
  "health_metric_threshold",
  "health_samples",
  "health_samples_total",
  "health_samples_created",
  "health_last_sample_timestamp_seconds",
};

static const UnitConversion *
find_conversion (const char *unit)
{
  for (guint i = 0; i < G_N_ELEMENTS (conversions); i++)
    if (strcmp (conversions[i].unit, unit) == 0)
      return &conversions[i];

  return &no_conversion;
}

/* Label values in both flavours, and HELP text in OpenMetrics, escape
 * backslash, double quote and newline; HELP in the 0.0.4 format escapes
 * only backslash and newline (a `\"` there is a parse error). Text that
 * is not UTF-8 is repaired first: both formats are UTF-8. */
static void
append_escaped (GString    *out,
                const char *text,
                gboolean    escape_quotes)
{
  g_autofree char *valid = NULL;

  if (text == NULL)
    return;

  if (!g_utf8_validate (text, -1, NULL))
    text = valid = g_utf8_make_valid (text, -1);

  for (const char *p = text; *p; p++)
    {
      if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '\n')
        g_string_append (out, "\\n");
      else if (*p == '"' && escape_quotes)
        g_string_append (out, "\\\"");
      else
        g_string_append_c (out, *p);
    }
}

/* The shortest text that reads back as the same double: "93.1", not
 * "93.099999999999994", so that the exposition is readable and stable. */
static void
append_number (GString *out,
               double   value)
{
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (value))
    {
      g_string_append (out, "NaN");
      return;
    }
  if (isinf (value))
    {
      g_string_append (out, value > 0 ? "+Inf" : "-Inf");
      return;
    }

  for (int precision = 15; precision <= 17; precision++)
    {
      char format[8];

      g_snprintf (format, sizeof format, "%%.%dg", precision);
      g_ascii_formatd (buffer, sizeof buffer, format, value);
      if (g_ascii_strtod (buffer, NULL) == value)
        break;
    }

  g_string_append (out, buffer);
}

typedef struct
{
  Flavour     flavour;
  GString    *out;
  char       *host;        /* the host label, `host="…"`, escaped */
  GHashTable *names;       /* every family name written, so none is written twice */
} Writer;

static void
writer_append_help (Writer     *writer,
                    const char *family,
                    const char *help)
{
  g_string_append_printf (writer->out, "# HELP %s ", family);
  append_escaped (writer->out, help, writer->flavour == FLAVOUR_OPENMETRICS);
  g_string_append_c (writer->out, '\n');
}

/* HELP and TYPE of a family whose samples are named after it. */
static void
writer_begin_family (Writer     *writer,
                     const char *family,
                     const char *type,
                     const char *unit,
                     const char *help)
{
  writer_append_help (writer, family, help);
  g_string_append_printf (writer->out, "# TYPE %s %s\n", family, type);
  if (unit != NULL && writer->flavour == FLAVOUR_OPENMETRICS)
    g_string_append_printf (writer->out, "# UNIT %s %s\n", family, unit);
}

/* `name{host="…"`: the caller adds its labels and closes the brace. */
static void
writer_begin_sample (Writer     *writer,
                     const char *name)
{
  g_string_append (writer->out, name);
  g_string_append_c (writer->out, '{');
  g_string_append (writer->out, writer->host);
}

static void
writer_append_label (Writer     *writer,
                     const char *label,
                     const char *value)
{
  g_string_append_printf (writer->out, ",%s=\"", label);
  append_escaped (writer->out, value, TRUE);
  g_string_append_c (writer->out, '"');
}

static void
writer_end_sample (Writer *writer,
                   double  value)
{
  g_string_append (writer->out, "} ");
  append_number (writer->out, value);
  g_string_append_c (writer->out, '\n');
}

/* Suffixes Prometheus gives the samples of other types: a gauge named
 * `…_count` reads as half of a histogram (promtool says so). */
static const char * const type_suffixes[] = {
  "_count", "_sum", "_bucket", "_total", "_created", "_info",
};

static gboolean
has_type_suffix (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (type_suffixes); i++)
    if (g_str_has_suffix (name, type_suffixes[i]))
      return TRUE;

  return FALSE;
}

/* `health_` and the id with underscores, then the unit suffix unless
 * the id already ends with it (`upload-bytes` in bytes stays
 * `health_upload_bytes`). Ids are `[a-z0-9-]+`, so the name is valid.
 * A name that would end like another type's samples gets its unit as
 * a further suffix when the unit is a plain word, `thread-count` in
 * threads being `health_thread_count_threads`, else `_value`. */
static char *
metric_series_name (HealthMetric         *metric,
                    const UnitConversion *conversion)
{
  g_autoptr(GString) name = g_string_new ("health_");
  const char *unit = health_metric_get_unit (metric);

  g_string_append (name, health_metric_get_id (metric));
  g_strdelimit (name->str, "-", '_');

  if (!g_str_has_suffix (name->str, conversion->suffix))
    g_string_append (name, conversion->suffix);

  if (has_type_suffix (name->str))
    {
      gboolean plain_word = *unit != '\0';

      for (const char *p = unit; *p != '\0'; p++)
        if (!g_ascii_islower (*p))
          plain_word = FALSE;

      g_string_append_printf (name, "_%s", plain_word ? unit : "value");
    }

  return g_string_free (g_steal_pointer (&name), FALSE);
}

static void
write_metric_gauges (Writer     *writer,
                     GListModel *metrics)
{
  guint n_items = g_list_model_get_n_items (metrics);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      const char *unit = health_metric_get_unit (metric);
      const UnitConversion *conversion = find_conversion (unit);
      g_autofree char *name = metric_series_name (metric, conversion);
      g_autoptr(GString) help = g_string_new (health_metric_get_label (metric));

      if (g_hash_table_contains (writer->names, name))
        {
          g_debug ("Metric “%s” would be exposed as %s, which is taken; "
                   "only its status and thresholds are exposed",
                   health_metric_get_id (metric), name);
          continue;
        }
      g_hash_table_add (writer->names, g_strdup (name));

      if (conversion != &no_conversion)
        g_string_append_printf (help, " (%s)", conversion->om_unit != NULL
                                               ? conversion->om_unit
                                               : conversion->unit);
      else if (*unit != '\0')
        g_string_append_printf (help, " (%s)", unit);

      writer_begin_family (writer, name, "gauge", conversion->om_unit, help->str);
      writer_begin_sample (writer, name);
      writer_end_sample (writer, health_metric_get_value (metric) / conversion->divisor);
    }
}

static void
write_metric_statuses (Writer     *writer,
                       GListModel *metrics)
{
  guint n_items = g_list_model_get_n_items (metrics);

  writer_begin_family (writer, "health_metric_status", "gauge", NULL,
                       "Status of each metric: 0 unknown, 2 good, 3 warning, 4 critical");
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      writer_begin_sample (writer, "health_metric_status");
      writer_append_label (writer, "metric", health_metric_get_id (metric));
      writer_end_sample (writer, health_metric_get_status (metric));
    }
}

/* In the unit of the metric's gauge, so that an alerting rule compares
 * the two directly (the relative thresholds of process-memory and
 * open-files depend on the machine and only exist here). */
static void
write_metric_thresholds (Writer     *writer,
                         GListModel *metrics)
{
  guint n_items = g_list_model_get_n_items (metrics);

  writer_begin_family (writer, "health_metric_threshold", "gauge", NULL,
                       "Warning and critical thresholds of each metric, in the unit of its gauge");
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      const UnitConversion *conversion = find_conversion (health_metric_get_unit (metric));

      writer_begin_sample (writer, "health_metric_threshold");
      writer_append_label (writer, "metric", health_metric_get_id (metric));
      writer_append_label (writer, "level", "warning");
      writer_end_sample (writer, health_metric_get_warning (metric) / conversion->divisor);

      writer_begin_sample (writer, "health_metric_threshold");
      writer_append_label (writer, "metric", health_metric_get_id (metric));
      writer_append_label (writer, "level", "critical");
      writer_end_sample (writer, health_metric_get_critical (metric) / conversion->divisor);
    }
}

/* What is text rather than a number: the label people read, the unit
 * the monitor shows and which way is worse. OpenMetrics has an info
 * type for this; the 0.0.4 format spells it as a gauge that is 1. */
static void
write_metric_info (Writer     *writer,
                   GListModel *metrics)
{
  guint n_items = g_list_model_get_n_items (metrics);
  const char *help = "Label, unit and direction of each metric";

  if (writer->flavour == FLAVOUR_OPENMETRICS)
    writer_begin_family (writer, "health_metric", "info", NULL, help);
  else
    writer_begin_family (writer, "health_metric_info", "gauge", NULL, help);

  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);
      HealthDirection direction = health_metric_get_direction (metric);

      writer_begin_sample (writer, "health_metric_info");
      writer_append_label (writer, "metric", health_metric_get_id (metric));
      writer_append_label (writer, "label", health_metric_get_label (metric));
      writer_append_label (writer, "unit", health_metric_get_unit (metric));
      writer_append_label (writer, "direction",
                           direction == HEALTH_DIRECTION_BELOW ? "below" : "above");
      writer_end_sample (writer, 1);
    }
}

static char *
write_exposition (HealthMonitor *self,
                  Flavour        flavour)
{
  g_autoptr(GString) out = g_string_new (NULL);
  g_autoptr(GString) host = g_string_new ("host=\"");
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GListModel *metrics = health_monitor_get_metrics (self);
  Writer writer = { flavour, out, NULL, names };

  append_escaped (host, g_get_host_name (), TRUE);
  g_string_append_c (host, '"');
  writer.host = host->str;

  for (guint i = 0; i < G_N_ELEMENTS (reserved_names); i++)
    g_hash_table_add (names, g_strdup (reserved_names[i]));

  write_metric_gauges (&writer, metrics);

  if (g_list_model_get_n_items (metrics) > 0)
    {
      write_metric_statuses (&writer, metrics);
      write_metric_thresholds (&writer, metrics);
      write_metric_info (&writer, metrics);
    }

  writer_begin_family (&writer, "health_status", "gauge", NULL,
                       "Overall status: 0 unknown, 1 excellent, 2 good, 3 warning, 4 critical, 5 emergency");
  writer_begin_sample (&writer, "health_status");
  writer_end_sample (&writer, health_monitor_get_status (self));

  if (flavour == FLAVOUR_OPENMETRICS)
    g_string_append (out, "# EOF\n");

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * health_monitor_to_openmetrics:
 * @self: a monitor
 *
 * Writes the monitor in the OpenMetrics 1.0 text format
 * (`application/openmetrics-text; version=1.0.0`), which Prometheus
 * scrapes.
 *
 * Every sample has a `host` label, the name of this machine. There is
 * one gauge per metric, named `health_` and the id with underscores,
 * in base units: a metric in % becomes a ratio from 0 to 1 named
 * `…_ratio` (`health_memory_usage_ratio`), bytes `…_bytes`,
 * milliseconds seconds `…_seconds` (`health_main_loop_latency_seconds`),
 * "per core" `…_per_core`; other units keep the bare name, unless it
 * would end like another type's samples (`_count`, `_total`…): then the
 * unit follows (`health_thread_count_threads`). A name already taken by
 * the families below is left out. An unknown value is `NaN`. Then the `health_metric_status` gauge labelled by
 * `metric` (0 unknown, 2 good, 3 warning, 4 critical); the
 * `health_metric_threshold` gauges labelled by `metric` and `level`
 * (`warning`, `critical`), in the unit of the metric's gauge; the
 * `health_metric` info (label, unit, direction); the overall
 * `health_status` gauge (0 unknown, 1 excellent, 2 good, 3 warning,
 * 4 critical, 5 emergency); and the closing `# EOF`.
 *
 * See also [method@Health.Monitor.to_prometheus_text].
 *
 * Returns: (transfer full): the exposition text
 *
 * Since: 1.0
 */
char *
health_monitor_to_openmetrics (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  return write_exposition (self, FLAVOUR_OPENMETRICS);
}

/**
 * health_monitor_to_prometheus_text:
 * @self: a monitor
 *
 * Writes the monitor in the classic Prometheus text format 0.0.4
 * (`text/plain; version=0.0.4`), the one node_exporter's textfile
 * collector reads and every Prometheus version scrapes.
 *
 * The series are those of [method@Health.Monitor.to_openmetrics],
 * spelled for this format: `health_metric_info` is a gauge that is
 * always 1, and there is no `# UNIT` line and no `# EOF`.
 *
 * Returns: (transfer full): the exposition text
 *
 * Since: 1.0
 */
char *
health_monitor_to_prometheus_text (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  return write_exposition (self, FLAVOUR_PROMETHEUS);
}
