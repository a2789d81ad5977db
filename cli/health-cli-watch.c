/* health-cli-watch.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `health-monitor watch [--interval=MS]`: live values with sparklines on
 * a terminal; on a pipe, one block of plain lines per sample.
 */

#include "config.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gi18n.h>
#include <glib-unix.h>

#include "health-cli-private.h"

#define DEFAULT_INTERVAL_MS 2000
#define COLUMN_GAP          2
#define MIN_SPARKLINE_WIDTH 4
#define MIN_LABEL_WIDTH     6

typedef struct
{
  HealthMonitor *monitor;
  GMainLoop     *loop;
  guint          interval;

  gboolean       fullscreen;   /* stdout is a terminal */
  gboolean       keys;         /* and stdin too: q quits */
  gboolean       color;
  gboolean       utf8;

  guint          columns;
  guint          rows;
  gboolean       have_sample;
  GDateTime     *sampled_at;
  char          *message;      /* the last log message, shown in full screen */
  GLogLevelFlags message_level;
  char          *unknown_reason; /* why the overall status is unknown, or NULL */

  gulong         sampled_handler;
  guint          key_source;   /* removes itself when stdin goes away */
  GArray        *sources;
} Watch;

static void
watch_quit (Watch *self)
{
  g_main_loop_quit (self->loop);
}

/* A reader that went away, a terminal that hung up, a full disk: nothing
 * more can be shown, and the reason is reported at exit. */
static void
watch_output (Watch      *self,
              const char *text)
{
  if (!health_cli_print (text))
    watch_quit (self);
}

static void
append_status_line (Watch   *self,
                    GString *out)
{
  HealthStatus overall = health_monitor_get_status (self->monitor);
  const char *separator = self->utf8 ? " · " : " - ";
  g_autofree char *interval_text = NULL;
  g_autofree char *time_text = NULL;

  if (self->color)
    g_string_append (out, "\033[1m");
  g_string_append (out, _("Health Monitor"));
  if (self->color)
    g_string_append (out, "\033[0m");
  g_string_append (out, "  ");

  /* TRANSLATORS: followed by a status such as "Good" */
  g_string_append (out, _("Overall:"));
  g_string_append_c (out, ' ');
  health_cli_append_colored (out, health_status_to_label (overall),
                             health_cli_status_color (overall),
                             health_cli_text_width (health_status_to_label (overall)),
                             self->color);
  g_string_append (out, "  ");

  if (self->color)
    g_string_append (out, "\033[2m");

  if (self->sampled_at != NULL)
    {
      time_text = g_date_time_format (self->sampled_at, "%X");
      /* TRANSLATORS: %s is the time of the last sample */
      g_string_append_printf (out, _("updated %s"), time_text);
      g_string_append (out, separator);
    }

  /* TRANSLATORS: %s is a number of seconds such as "2" or "0.5" */
  interval_text = g_strdup_printf ("%g", self->interval / 1000.0);
  g_string_append_printf (out, _("every %s s"), interval_text);
  g_string_append (out, separator);

  if (self->keys)
    g_string_append (out, _("q to quit"));
  else
    g_string_append (out, _("Ctrl+C to quit"));

  if (self->color)
    g_string_append (out, "\033[0m");
}

static void
append_message_line (Watch   *self,
                     GString *out)
{
  const char *sgr;

  if (self->message_level & G_LOG_LEVEL_WARNING)
    sgr = "33";
  else if (self->message_level & G_LOG_LEVEL_MESSAGE)
    sgr = "1";
  else
    sgr = "2";

  /* With an ellipsis where it does not fit, as it is prose. */
  health_cli_append_colored (out, self->message, sgr,
                             MIN (health_cli_text_width (self->message), self->columns),
                             self->color);
}

/* Widths of the label, value and status columns; what is left is the
 * sparkline's, down to nothing on a very narrow terminal.
 */
static void
compute_columns (Watch     *self,
                 GPtrArray *metric_rows,
                 gsize     *label_width,
                 gsize     *value_width,
                 gsize     *status_width,
                 gsize     *sparkline_width)
{
  gsize fixed;

  *label_width = *value_width = *status_width = 0;

  for (guint i = 0; i < metric_rows->len; i++)
    {
      HealthCliRow *row = g_ptr_array_index (metric_rows, i);
      const char *status = health_status_to_label (health_metric_get_status (row->metric));

      *label_width = MAX (*label_width, health_cli_text_width (row->label));
      *value_width = MAX (*value_width, health_cli_text_width (row->value));
      *status_width = MAX (*status_width, health_cli_text_width (status));
    }

  fixed = *label_width + *value_width + *status_width + 3 * COLUMN_GAP;

  if (fixed + MIN_SPARKLINE_WIDTH <= self->columns)
    {
      *sparkline_width = self->columns - fixed;
      return;
    }

  /* Too narrow: give up the sparkline, then shorten the labels. */
  *sparkline_width = 0;
  fixed -= COLUMN_GAP;
  if (fixed > self->columns)
    {
      gsize excess = fixed - self->columns;

      *label_width = MAX (MIN_LABEL_WIDTH, *label_width > excess ? *label_width - excess : 0);
    }
}

static void
append_metric_line (Watch        *self,
                    GString      *out,
                    HealthCliRow *row,
                    gsize         label_width,
                    gsize         value_width,
                    gsize         status_width,
                    gsize         sparkline_width)
{
  HealthMetric *metric = row->metric;
  HealthStatus status = health_metric_get_status (metric);

  health_cli_append_fitted (out, row->label, label_width, FALSE);
  g_string_append_printf (out, "%*s", COLUMN_GAP, "");
  health_cli_append_fitted (out, row->value, value_width, TRUE);
  g_string_append_printf (out, "%*s", COLUMN_GAP, "");
  health_cli_append_colored (out, health_status_to_label (status),
                             health_cli_status_color (status), status_width, self->color);

  if (sparkline_width > 0)
    {
      g_autofree HealthSample *history = NULL;
      g_autofree char *sparkline = NULL;
      guint n_samples = 0;

      history = health_metric_dup_history (metric, &n_samples);
      sparkline = health_cli_sparkline (history, n_samples,
                                        (gint64) self->interval * 1000,
                                        health_metric_get_warning (metric),
                                        health_metric_get_critical (metric),
                                        sparkline_width, self->utf8);

      g_string_append_printf (out, "%*s", COLUMN_GAP, "");
      g_string_append (out, sparkline);
    }
}

/* Adds one row to the frame: addressed, cleared, then written, cut to the
 * terminal's width. Cleared first because with autowrap off the cursor
 * stays on the last column after a full row, and clearing from there
 * would erase the last character; cut because every character past the
 * edge would be written over the last column.
 */
static void
append_row (Watch   *self,
            GString *frame,
            guint    row,
            GString *line)
{
  if (row > self->rows)
    return;

  g_string_append_printf (frame, "\033[%u;1H\033[2K", row);
  health_cli_truncate_line (line, self->columns);
  g_string_append_len (frame, line->str, line->len);
  g_string_truncate (line, 0);
}

/* One write per frame, no newline that could scroll the screen, nothing
 * erased before it is drawn again: no flicker.
 */
static void
watch_draw_screen (Watch *self)
{
  g_autoptr (GPtrArray) metric_rows = NULL;
  g_autoptr (GString) frame = g_string_new (NULL);
  g_autoptr (GString) line = g_string_new (NULL);
  gsize label_width, value_width, status_width, sparkline_width;
  guint row = 1;

  append_status_line (self, line);
  append_row (self, frame, row++, line);

  /* An unknown status is no verdict: the header says why, in place of
   * the last message. */
  if (self->unknown_reason != NULL)
    health_cli_append_colored (line, self->unknown_reason, "33",
                               MIN (health_cli_text_width (self->unknown_reason), self->columns),
                               self->color);
  else if (self->message != NULL)
    append_message_line (self, line);
  append_row (self, frame, row++, line);

  if (!self->have_sample)
    {
      g_string_append (line, _("Waiting for the first sample…"));
      append_row (self, frame, row++, line);
    }
  else
    {
      metric_rows = health_cli_dup_rows (self->monitor, NULL);
      compute_columns (self, metric_rows,
                       &label_width, &value_width, &status_width, &sparkline_width);

      for (guint i = 0; i < metric_rows->len && row <= self->rows; i++)
        {
          append_metric_line (self, line, g_ptr_array_index (metric_rows, i),
                              label_width, value_width, status_width, sparkline_width);
          append_row (self, frame, row++, line);
        }
    }

  /* Whatever a taller frame left below. */
  if (row <= self->rows)
    g_string_append_printf (frame, "\033[%u;1H\033[J", row);

  watch_output (self, frame->str);
}

/* For scripts and logs: no escapes, stable ids and statuses, numbers in
 * the C locale, every line of a block with the same time.
 */
static void
watch_print_block (Watch *self)
{
  GListModel *metrics = health_monitor_get_metrics (self->monitor);
  guint n_metrics = g_list_model_get_n_items (metrics);
  g_autofree char *time_text = NULL;
  g_autofree char *seconds = NULL;
  g_autofree char *zone = NULL;
  g_autoptr (GString) out = g_string_new (NULL);

  /* ISO 8601 with milliseconds, so that blocks less than a second apart
   * have different times. */
  seconds = g_date_time_format (self->sampled_at, "%Y-%m-%dT%H:%M:%S");
  zone = g_date_time_format (self->sampled_at, "%:z");
  time_text = g_strdup_printf ("%s.%03d%s", seconds,
                               g_date_time_get_microsecond (self->sampled_at) / 1000, zone);

  for (guint i = 0; i < n_metrics; i++)
    {
      g_autoptr (HealthMetric) metric = g_list_model_get_item (metrics, i);
      g_autofree char *value = health_cli_format_number (health_metric_get_value (metric));

      g_string_append_printf (out, "%s %s %s %s\n",
                              time_text,
                              health_metric_get_id (metric),
                              value,
                              health_status_to_string (health_metric_get_status (metric)));
    }

  watch_output (self, out->str);
}

/* A wider terminal shows more history, if the monitor keeps it. */
static void
watch_fit_history (Watch *self)
{
  if (health_monitor_get_history_size (self->monitor) < self->columns)
    health_monitor_set_history_size (self->monitor, self->columns);
}

/* Keeps the reason the status is unknown; on a pipe it goes to stderr
 * once, and again only when it changes. */
static void
watch_update_unknown_reason (Watch *self)
{
  g_autofree char *unsafe = health_monitor_dup_unknown_reason (self->monitor);
  /* It names the proc root, which whoever started us chose. */
  g_autofree char *reason = unsafe != NULL ? health_cli_dup_safe (unsafe) : NULL;

  if (g_strcmp0 (reason, self->unknown_reason) == 0)
    return;

  if (reason != NULL && !self->fullscreen)
    g_printerr ("health-monitor watch: %s\n", reason);

  g_free (self->unknown_reason);
  self->unknown_reason = g_steal_pointer (&reason);
}

static void
on_sampled (HealthMonitor *monitor,
            gpointer       user_data)
{
  Watch *self = user_data;

  watch_update_unknown_reason (self);
  self->have_sample = TRUE;
  g_clear_pointer (&self->sampled_at, g_date_time_unref);
  self->sampled_at = g_date_time_new_now_local ();

  if (self->fullscreen)
    watch_draw_screen (self);
  else
    watch_print_block (self);
}

/* Alerts and warnings would scribble over the screen on stderr: the
 * second row shows the last one instead. */
static void
on_log_message (GLogLevelFlags  log_level,
                const char     *message,
                gpointer        user_data)
{
  Watch *self = user_data;

  if (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL))
    {
      /* A bug: the writer restored the terminal to print it; stop here
       * rather than draw over the shell's screen. */
      self->fullscreen = FALSE;
      watch_quit (self);
      return;
    }

  g_free (self->message);
  self->message = g_strdup (message);
  self->message_level = log_level;
}

static gboolean
on_quit_signal (gpointer user_data)
{
  watch_quit (user_data);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_window_changed (gpointer user_data)
{
  Watch *self = user_data;

  health_cli_term_get_size (&self->columns, &self->rows);
  watch_fit_history (self);
  watch_draw_screen (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_resumed (int          fd,
            GIOCondition condition,
            gpointer     user_data)
{
  Watch *self = user_data;

  health_cli_term_drain_resume_fd ();
  health_cli_term_get_size (&self->columns, &self->rows);
  watch_draw_screen (self);

  return G_SOURCE_CONTINUE;
}

static gboolean
on_key (int          fd,
        GIOCondition condition,
        gpointer     user_data)
{
  Watch *self = user_data;
  char keys[64];
  ssize_t n_read;

  n_read = read (fd, keys, sizeof keys);

  if (n_read < 0 && (errno == EINTR || errno == EAGAIN))
    return G_SOURCE_CONTINUE;

  /* The terminal went away; SIGHUP will end us if nothing else does. */
  if (n_read <= 0)
    {
      g_debug ("Stopped reading keys: %s", n_read < 0 ? g_strerror (errno) : "end of file");
      self->key_source = 0;
      return G_SOURCE_REMOVE;
    }

  for (ssize_t i = 0; i < n_read; i++)
    {
      switch (keys[i])
        {
        case 'q':
        case 'Q':
        case 0x03:   /* Ctrl-C, should ISIG be off */
        case 0x04:   /* Ctrl-D: no canonical mode, so no end of file */
          watch_quit (self);
          return G_SOURCE_CONTINUE;

        case 0x0c:   /* Ctrl-L, as in every full-screen program */
          watch_output (self, "\033[2J");
          watch_draw_screen (self);
          break;

        default:
          break;
        }
    }

  return G_SOURCE_CONTINUE;
}

static void
watch_add_source (Watch *self,
                  guint  id)
{
  g_array_append_val (self->sources, id);
}

int
health_cli_watch (int    argc,
                  char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  int interval = DEFAULT_INTERVAL_MS;
  HealthStatus status;
  int exit_status;
  g_auto (HealthCliMonitorOptions) options = { 0 };
  g_autoptr (HealthMonitor) monitor = NULL;
  Watch self = { 0 };
  const GOptionEntry entries[] = {
    { "interval", 'i', 0, G_OPTION_ARG_INT, &interval,
      N_("Sample every MS milliseconds, from 10 to 86400000 (default: 2000)"), N_("MS") },
    G_OPTION_ENTRY_NULL
  };

  g_set_prgname ("health-monitor watch");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  health_cli_add_monitor_options (context, &options);
  g_option_context_set_summary (context,
                                N_("Show every metric live. On a terminal: values, "
                                   "statuses and a sparkline of the history, until q or "
                                   "Ctrl+C. Otherwise: one line per metric and sample, "
                                   "“TIME METRIC-ID VALUE STATUS”, until interrupted."));
  g_option_context_set_description (context,
                                    N_("Exit status: 0 when healthy, 1 when the overall "
                                       "status is critical or worse at the end, 2 on usage "
                                       "errors, 3 when it is unknown because nothing about the "
                                       "machine could be read. Set NO_COLOR to turn colours "
                                       "off."));

  if (!health_cli_parse_options (context, "watch", &argc, &argv, &exit_status))
    return exit_status;

  if (!health_cli_check_monitor_options ("watch", &options, &exit_status))
    return exit_status;

  if (!health_cli_check_interval ("watch", interval, &exit_status))
    return exit_status;

  loop = g_main_loop_new (NULL, FALSE);

  monitor = health_cli_monitor_new (&options);
  self.monitor = monitor;
  self.loop = loop;
  self.interval = interval;
  /* A dumb terminal (Emacs' shell mode...) cannot address the cursor. */
  self.fullscreen = isatty (STDOUT_FILENO) && g_strcmp0 (g_getenv ("TERM"), "dumb") != 0;
  self.keys = self.fullscreen && isatty (STDIN_FILENO);
  self.color = self.fullscreen && health_cli_want_color (STDOUT_FILENO);
  self.utf8 = health_cli_locale_is_utf8 ();
  self.sources = g_array_new (FALSE, FALSE, sizeof (guint));

  watch_add_source (&self, g_unix_signal_add (SIGINT, on_quit_signal, &self));
  watch_add_source (&self, g_unix_signal_add (SIGTERM, on_quit_signal, &self));
  watch_add_source (&self, g_unix_signal_add (SIGHUP, on_quit_signal, &self));

  if (self.fullscreen)
    {
      if (!health_cli_term_enter (self.keys, &error))
        {
          g_printerr (_("health-monitor watch: Could not set up the terminal: %s\n"),
                      error->message);
          g_array_unref (self.sources);
          return HEALTH_CLI_EXIT_UNHEALTHY;
        }

      health_cli_term_get_size (&self.columns, &self.rows);
      watch_fit_history (&self);
      health_cli_set_log_sink (on_log_message, &self);

      watch_add_source (&self, g_unix_signal_add (SIGWINCH, on_window_changed, &self));
      watch_add_source (&self, g_unix_fd_add (health_cli_term_get_resume_fd (), G_IO_IN,
                                              on_resumed, &self));
      if (self.keys)
        self.key_source = g_unix_fd_add (STDIN_FILENO, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                         on_key, &self);

      watch_draw_screen (&self);
    }

  self.sampled_handler = g_signal_connect (self.monitor, "sampled",
                                           G_CALLBACK (on_sampled), &self);

  /* Starting takes a first sample at once. */
  health_monitor_set_interval (self.monitor, self.interval);
  health_monitor_start (self.monitor);

  g_main_loop_run (loop);

  /* Every way out comes through here: q, Ctrl-C, SIGTERM, SIGHUP. */
  health_monitor_stop (self.monitor);
  g_clear_signal_handler (&self.sampled_handler, self.monitor);

  g_clear_handle_id (&self.key_source, g_source_remove);
  for (guint i = 0; i < self.sources->len; i++)
    g_source_remove (g_array_index (self.sources, guint, i));
  g_array_unref (self.sources);

  health_cli_set_log_sink (NULL, NULL);
  health_cli_term_leave ();

  status = health_monitor_get_status (self.monitor);
  g_clear_pointer (&self.sampled_at, g_date_time_unref);
  g_clear_pointer (&self.message, g_free);
  g_clear_pointer (&self.unknown_reason, g_free);

  return health_cli_exit_for_status (status);
}
