/* health-cli-history.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `health-monitor history METRIC [--since D] [--until D] [--json|--csv]`
 * and `health-monitor history --alerts`: what the journal the tray
 * applet records (HealthJournal) says about the past, read-only, while
 * the applet goes on writing it.
 */

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "health-cli-private.h"
#include "health-text-private.h"

typedef enum
{
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_CSV,
} Format;

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
on_done (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *wait = user_data;

  wait->result = g_object_ref (result);
}

static void
wait_for (Wait *wait)
{
  while (wait->result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

/* "90s", "30m", "1h", "2d", "1w" before now, "now", or an ISO 8601
 * date and time ("2026-11-29T08:00:00", local time unless it says). */
static gboolean
parse_time (const char *text,
            gint64      now_us,
            gint64     *time_us)
{
  g_autoptr(GTimeZone) local = NULL;
  g_autoptr(GDateTime) date = NULL;
  char *end = NULL;
  guint64 count;
  gint64 unit;

  if (g_str_equal (text, "now"))
    {
      *time_us = now_us;
      return TRUE;
    }

  if (g_ascii_isdigit (text[0]))
    {
      count = g_ascii_strtoull (text, &end, 10);
      if (end != text && end[0] != '\0' && end[1] == '\0')
        {
          switch (end[0])
            {
            case 's': unit = G_USEC_PER_SEC; break;
            case 'm': unit = 60 * G_USEC_PER_SEC; break;
            case 'h': unit = G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC; break;
            case 'd': unit = G_GINT64_CONSTANT (86400) * G_USEC_PER_SEC; break;
            case 'w': unit = G_GINT64_CONSTANT (7) * 86400 * G_USEC_PER_SEC; break;
            default: unit = 0; break;
            }

          /* Ten years back is more than any journal keeps. */
          if (unit != 0 && count <= (guint64) (G_GINT64_CONSTANT (3650) * 86400 * G_USEC_PER_SEC / unit))
            {
              *time_us = now_us - (gint64) count * unit;
              return TRUE;
            }
        }
    }

  local = g_time_zone_new_local ();
  date = g_date_time_new_from_iso8601 (text, local);
  if (date == NULL)
    return FALSE;

  *time_us = g_date_time_to_unix (date) * G_USEC_PER_SEC + g_date_time_get_microsecond (date);

  return TRUE;
}

static char *
format_local_time (gint64 time_us)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (time_us / G_USEC_PER_SEC);

  return date != NULL ? g_date_time_format (date, "%Y-%m-%d %H:%M:%S") : g_strdup ("?");
}

static char *
format_utc_time (gint64 time_us)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_utc (time_us / G_USEC_PER_SEC);

  return date != NULL ? g_date_time_format (date, "%Y-%m-%dT%H:%M:%SZ") : g_strdup ("");
}

/* A CSV field (RFC 4180): quoted when it holds a comma, a quote or a
 * space; text from the journal is made safe first, like everywhere. */
static void
append_csv_field (GString    *out,
                  const char *text)
{
  g_autofree char *safe = health_cli_dup_safe (text != NULL ? text : "");

  if (strpbrk (safe, ",\" ") == NULL)
    {
      g_string_append (out, safe);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = safe; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
builder_add_number (JsonBuilder *builder,
                    const char  *name,
                    double       value)
{
  json_builder_set_member_name (builder, name);
  if (isfinite (value))
    json_builder_add_double_value (builder, value);
  else
    json_builder_add_null_value (builder);
}

static gboolean
print_json (JsonBuilder *builder)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_builder_get_root (builder);
  g_autofree char *json = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *line = NULL;

  json_generator_set_pretty (generator, TRUE);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);

  /* JSON is UTF-8 whatever the locale; what a terminal would obey is
   * escaped, as status --json does. */
  escaped = health_text_escape_json (json, -1);
  line = g_strconcat (escaped, "\n", NULL);

  return health_cli_write_stdout (line, strlen (line));
}

static char *
format_points (GPtrArray  *points,
               const char *metric_id,
               gint64      from_us,
               gint64      to_us,
               Format      format)
{
  GString *out = g_string_new (NULL);

  if (format == FORMAT_CSV)
    {
      g_string_append (out, "time,time_us,min,mean,max\n");
      for (guint i = 0; i < points->len; i++)
        {
          HealthJournalPoint *p = g_ptr_array_index (points, i);
          g_autofree char *time = format_utc_time (p->time_us);
          g_autofree char *min = health_cli_format_number (p->min);
          g_autofree char *mean = health_cli_format_number (p->mean);
          g_autofree char *max = health_cli_format_number (p->max);

          g_string_append_printf (out, "%s,%" G_GINT64_FORMAT ",%s,%s,%s\n",
                                  time, p->time_us, min, mean, max);
        }

      return g_string_free (out, FALSE);
    }

  {
    g_autofree char *safe_id = health_cli_dup_safe (metric_id);
    g_autofree char *from = format_local_time (from_us);
    g_autofree char *to = format_local_time (to_us);

    /* Translators: the header of `health-monitor history`; the metric
     * id, the number of points and two local times. */
    g_string_append_printf (out, ngettext ("%s: %u point from %s to %s\n",
                                           "%s: %u points from %s to %s\n", points->len),
                            safe_id, points->len, from, to);
  }

  if (points->len == 0)
    return g_string_free (out, FALSE);

  g_string_append_printf (out, "%-19s  %12s  %12s  %12s\n", _("TIME"), _("MIN"), _("MEAN"), _("MAX"));
  for (guint i = 0; i < points->len; i++)
    {
      HealthJournalPoint *p = g_ptr_array_index (points, i);
      g_autofree char *time = format_local_time (p->time_us);
      g_autofree char *min = health_cli_format_number (p->min);
      g_autofree char *mean = health_cli_format_number (p->mean);
      g_autofree char *max = health_cli_format_number (p->max);

      g_string_append_printf (out, "%-19s  %12s  %12s  %12s\n", time, min, mean, max);
    }

  return g_string_free (out, FALSE);
}

static gboolean
print_points_json (GPtrArray  *points,
                   const char *metric_id,
                   gint64      from_us,
                   gint64      to_us)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *from = format_utc_time (from_us);
  g_autofree char *to = format_utc_time (to_us);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "metric");
  json_builder_add_string_value (builder, metric_id);
  json_builder_set_member_name (builder, "from");
  json_builder_add_string_value (builder, from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_string_value (builder, to);
  json_builder_set_member_name (builder, "points");
  json_builder_begin_array (builder);
  for (guint i = 0; i < points->len; i++)
    {
      HealthJournalPoint *p = g_ptr_array_index (points, i);
      g_autofree char *time = format_utc_time (p->time_us);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "time");
      json_builder_add_string_value (builder, time);
      json_builder_set_member_name (builder, "time_us");
      json_builder_add_int_value (builder, p->time_us);
      builder_add_number (builder, "min", p->min);
      builder_add_number (builder, "mean", p->mean);
      builder_add_number (builder, "max", p->max);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return print_json (builder);
}

static const char *
status_name (HealthStatus status)
{
  switch (status)
    {
    case HEALTH_STATUS_GOOD: return "recovered";
    case HEALTH_STATUS_WARNING: return "warning";
    case HEALTH_STATUS_CRITICAL: return "critical";
    case HEALTH_STATUS_EMERGENCY: return "emergency";
    default: return "unknown";
    }
}

static gboolean
print_alerts (GPtrArray *alerts,
              Format     format)
{
  g_autoptr(GString) out = g_string_new (NULL);

  if (format == FORMAT_JSON)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_array (builder);
      for (guint i = 0; i < alerts->len; i++)
        {
          HealthJournalAlert *a = g_ptr_array_index (alerts, i);
          g_autofree char *time = format_utc_time (a->time_us);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "time");
          json_builder_add_string_value (builder, time);
          json_builder_set_member_name (builder, "time_us");
          json_builder_add_int_value (builder, a->time_us);
          json_builder_set_member_name (builder, "metric");
          json_builder_add_string_value (builder, a->metric_id);
          json_builder_set_member_name (builder, "status");
          json_builder_add_string_value (builder, status_name (a->status));
          builder_add_number (builder, "value", a->value);
          json_builder_set_member_name (builder, "culprit");
          json_builder_add_string_value (builder, a->culprit);
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, a->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);

      return print_json (builder);
    }

  if (format == FORMAT_CSV)
    g_string_append (out, "time,time_us,metric,status,value,culprit,message\n");
  else if (alerts->len == 0)
    g_string_append (out, _("No alerts in that time.\n"));

  for (guint i = 0; i < alerts->len; i++)
    {
      HealthJournalAlert *a = g_ptr_array_index (alerts, i);
      g_autofree char *value = health_cli_format_number (a->value);

      if (format == FORMAT_CSV)
        {
          g_autofree char *time = format_utc_time (a->time_us);

          g_string_append_printf (out, "%s,%" G_GINT64_FORMAT ",", time, a->time_us);
          append_csv_field (out, a->metric_id);
          g_string_append_printf (out, ",%s,%s,", status_name (a->status), value);
          append_csv_field (out, a->culprit);
          g_string_append_c (out, ',');
          append_csv_field (out, a->message);
          g_string_append_c (out, '\n');
        }
      else
        {
          g_autofree char *time = format_local_time (a->time_us);
          g_autofree char *metric = health_cli_dup_safe (a->metric_id);
          g_autofree char *message = health_cli_dup_safe (a->message != NULL ? a->message : "");

          g_string_append_printf (out, "%-19s  %-9s  %-20s  %s", time, status_name (a->status),
                                  metric, message);
          if (a->culprit != NULL && a->culprit[0] != '\0')
            {
              g_autofree char *culprit = health_cli_dup_safe (a->culprit);

              /* Translators: after an alert's message in `history --alerts` */
              g_string_append_printf (out, _(" (culprit: %s)"), culprit);
            }
          g_string_append_c (out, '\n');
        }
    }

  return health_cli_print (out->str);
}

static char *
default_journal_path (void)
{
  return g_build_filename (g_get_user_state_dir (), "health-monitor", "journal.db", NULL);
}

int
health_cli_history (int    argc,
                    char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GPtrArray) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *since = NULL;
  g_autofree char *until = NULL;
  g_autofree char *path = NULL;
  g_auto(GStrv) rest = NULL;
  gboolean json = FALSE, csv = FALSE, alerts = FALSE;
  int max_points = 0;
  gint64 now_us = g_get_real_time ();
  gint64 from_us, to_us;
  Format format;
  Wait wait = { NULL };
  const GOptionEntry entries[] = {
    { "since", 's', 0, G_OPTION_ARG_STRING, &since,
      N_("From this long ago (90s, 30m, 1h, 2d, 1w) or this ISO 8601 time; default 1h, or 60d with --alerts"),
      N_("WHEN") },
    { "until", 'u', 0, G_OPTION_ARG_STRING, &until,
      N_("Up to this long ago or this time; default now"), N_("WHEN") },
    { "alerts", 'a', 0, G_OPTION_ARG_NONE, &alerts,
      N_("List the alerts and recoveries instead of a metric's values"), NULL },
    { "points", 'n', 0, G_OPTION_ARG_INT, &max_points,
      N_("At most N points, each the min, mean and max of its span (default: every sample or bucket)"),
      N_("N") },
    { "json", 'j', 0, G_OPTION_ARG_NONE, &json, N_("Print JSON"), NULL },
    { "csv", 0, 0, G_OPTION_ARG_NONE, &csv, N_("Print CSV"), NULL },
    { "journal", 0, 0, G_OPTION_ARG_FILENAME, &path,
      N_("Read this journal (default: the tray applet's, $XDG_STATE_HOME/health-monitor/journal.db)"),
      N_("PATH") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, &rest, NULL, N_("METRIC") },
    G_OPTION_ENTRY_NULL
  };

  g_set_prgname ("health-monitor history");

  context = g_option_context_new (N_("[METRIC]"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
                                N_("Print what the journal recorded: the values of METRIC "
                                   "(such as memory-usage), every sample of the last hour, "
                                   "minutes of the last two days, quarters of an hour "
                                   "beyond; or, with --alerts, the alerts and recoveries. "
                                   "The tray applet records the journal."));
  g_option_context_set_description (context,
                                    N_("Exit status: 0 when the history was printed, 2 on "
                                       "usage errors, 3 when there is no journal or it never "
                                       "recorded METRIC."));

  if (!g_option_context_parse (context, &argc, &argv, &error))
    return health_cli_usage_error ("history", "%s", error->message);

  if (json && csv)
    return health_cli_usage_error ("history", _("--json and --csv do not go together"));
  format = json ? FORMAT_JSON : csv ? FORMAT_CSV : FORMAT_TEXT;

  if (alerts && rest != NULL)
    return health_cli_usage_error ("history", _("--alerts takes no METRIC"));
  if (!alerts && (rest == NULL || rest[0] == NULL))
    return health_cli_usage_error ("history", _("Which metric? Give its id, such as memory-usage, or --alerts"));
  if (rest != NULL && g_strv_length (rest) > 1)
    return health_cli_usage_error ("history", _("Unexpected argument “%s”"), rest[1]);
  if (max_points < 0)
    return health_cli_usage_error ("history", _("--points must be 0 or more"));

  if (!parse_time (since != NULL ? since : alerts ? "60d" : "1h", now_us, &from_us))
    return health_cli_usage_error ("history", _("Cannot read the time “%s”: give 90s, 30m, 1h, 2d, 1w or an ISO 8601 time"), since);
  if (!parse_time (until != NULL ? until : "now", now_us, &to_us))
    return health_cli_usage_error ("history", _("Cannot read the time “%s”: give 90s, 30m, 1h, 2d, 1w or an ISO 8601 time"), until);
  if (to_us < from_us)
    return health_cli_usage_error ("history", _("--until is before --since"));

  if (path == NULL)
    path = default_journal_path ();

  journal = health_journal_new_read_only (path, &error);
  if (journal == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        g_printerr (_("health-monitor history: There is no journal at %s. The tray applet "
                      "records one while its “Record history” setting is on; or give "
                      "--journal PATH.\n"), path);
      else
        g_printerr ("health-monitor history: %s\n", error->message);
      return HEALTH_CLI_EXIT_UNKNOWN;
    }

  if (alerts)
    {
      health_journal_query_alerts_async (journal, from_us, to_us, NULL, on_done, &wait);
      wait_for (&wait);
      result = health_journal_query_alerts_finish (journal, wait.result, &error);
    }
  else
    {
      health_journal_query_async (journal, rest[0], from_us, to_us, (guint) max_points,
                                  NULL, on_done, &wait);
      wait_for (&wait);
      result = health_journal_query_finish (journal, wait.result, &error);
    }
  g_clear_object (&wait.result);

  if (result == NULL)
    {
      g_printerr ("health-monitor history: %s\n", error->message);
      return HEALTH_CLI_EXIT_UNKNOWN;
    }

  if (alerts)
    return print_alerts (result, format) ? HEALTH_CLI_EXIT_OK : HEALTH_CLI_EXIT_UNHEALTHY;

  if (format == FORMAT_JSON)
    return print_points_json (result, rest[0], from_us, to_us) ? HEALTH_CLI_EXIT_OK : HEALTH_CLI_EXIT_UNHEALTHY;

  {
    g_autofree char *text = format_points (result, rest[0], from_us, to_us, format);

    return health_cli_print (text) ? HEALTH_CLI_EXIT_OK : HEALTH_CLI_EXIT_UNHEALTHY;
  }
}
