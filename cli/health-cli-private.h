/* health-cli-private.h
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What the files of the health-monitor command share.
 */

#pragma once

#include <health.h>

G_BEGIN_DECLS

/* Exit statuses are part of the interface: scripts test them. */
typedef enum
{
  HEALTH_CLI_EXIT_OK        = 0,
  HEALTH_CLI_EXIT_UNHEALTHY = 1,   /* overall CRITICAL or worse, or sampling failed */
  HEALTH_CLI_EXIT_USAGE     = 2,
  HEALTH_CLI_EXIT_UNKNOWN   = 3,   /* overall UNKNOWN: nothing about the machine was read */
} HealthCliExit;

/* The window over which trends are judged, as the seed's five minutes. */
#define HEALTH_CLI_TREND_WINDOW_SECONDS (5.0 * 60.0)

/* Subcommands; argv[0] is the name of the subcommand. */
int          health_cli_status              (int                 argc,
                                             char              **argv);
int          health_cli_watch               (int                 argc,
                                             char              **argv);
int          health_cli_export              (int                 argc,
                                             char              **argv);
int          health_cli_serve               (int                 argc,
                                             char              **argv);
int          health_cli_history             (int                 argc,
                                             char              **argv);

/* health-cli-util.c */
gboolean     health_cli_parse_options       (GOptionContext     *context,
                                             const char         *command,
                                             int                *argc,
                                             char             ***argv,
                                             int                *exit_status);
int          health_cli_usage_error         (const char         *command,
                                             const char         *format,
                                             ...) G_GNUC_PRINTF (2, 3);
gboolean     health_cli_check_interval      (const char         *command,
                                             int                 interval,
                                             int                *exit_status);
int          health_cli_exit_for_status     (HealthStatus        status);
gboolean     health_cli_want_color          (int                 fd);
gboolean     health_cli_locale_is_utf8      (void);
const char  *health_cli_status_color        (HealthStatus        status);
gsize        health_cli_text_width          (const char         *text);
void         health_cli_append_fitted       (GString            *out,
                                             const char         *text,
                                             gsize               width,
                                             gboolean            align_right);
void         health_cli_append_colored      (GString            *out,
                                             const char         *text,
                                             const char         *sgr,
                                             gsize               width,
                                             gboolean            color);
void         health_cli_truncate_line       (GString            *line,
                                             gsize               width);
char        *health_cli_format_number       (double              value);
char        *health_cli_dup_printable       (const char         *text);
char        *health_cli_dup_metric_label    (HealthMetric       *metric);
char        *health_cli_dup_safe            (const char         *text);
void         health_cli_write_all           (int                 fd,
                                             const char         *data,
                                             gsize               len);

/* health-cli-monitor.c: the monitor of the machine a command describes */
typedef struct
{
  gboolean  self;        /* --self: also this process's own metrics */
  char     *disk_path;   /* --disk-path, or NULL for the working directory */
} HealthCliMonitorOptions;

void           health_cli_monitor_options_clear (HealthCliMonitorOptions     *options);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (HealthCliMonitorOptions, health_cli_monitor_options_clear)

void           health_cli_add_monitor_options (GOptionContext                *context,
                                               HealthCliMonitorOptions       *options);
gboolean       health_cli_check_monitor_options (const char                  *command,
                                                 HealthCliMonitorOptions     *options,
                                                 int                         *exit_status);
HealthMonitor *health_cli_monitor_new         (const HealthCliMonitorOptions *options);
gboolean       health_cli_metric_is_shown     (HealthMetric                  *metric,
                                               const HealthCliMonitorOptions *options);
GStrv          health_cli_dup_recommendations (HealthMonitor                 *monitor,
                                               const HealthCliMonitorOptions *options);
void           health_cli_print_unknown_reason (HealthMonitor                *monitor,
                                                const char                   *command);
/* What status and watch show of a metric: label and value (with its
 * unit) from the library, or from another process, safe to print. */
typedef struct
{
  HealthMetric *metric;
  char         *label;
  char         *value;
} HealthCliRow;

GPtrArray   *health_cli_dup_rows            (HealthMonitor                 *monitor,
                                             const HealthCliMonitorOptions *options);

/* Standard output: every write is checked; the first error is reported
 * at exit, which then fails (exit status 1). */
void         health_cli_guard_standard_fds  (void);
void         health_cli_install_print_handlers (void);
void         health_cli_check_stdout_at_exit (void);
gboolean     health_cli_write_stdout        (const char         *data,
                                             gsize               len);
gboolean     health_cli_print               (const char         *text);

/* health-cli-sample.c: two samples a quarter of a second apart, so that
 * rates are known; runs the thread-default main context meanwhile. */
HealthMonitor *health_cli_connect_bus      (const char         *bus_name,
                                           const char         *object_path,
                                           GError            **error);
gboolean     health_cli_sample_with_rates   (HealthMonitor      *monitor,
                                             GError            **error);

/* health-cli-exposition.c: the Prometheus text of `export` and `serve` */
typedef enum
{
  HEALTH_CLI_EXPOSURE_PROMETHEUS,    /* text/plain; version=0.0.4 */
  HEALTH_CLI_EXPOSURE_OPENMETRICS,   /* application/openmetrics-text; version=1.0.0 */
} HealthCliExposure;

char        *health_cli_dup_exposition      (HealthMonitor      *monitor,
                                             HealthCliExposure   format,
                                             guint64             n_samples,
                                             gint64              last_sample_us);

/* health-cli-log.c: receives log messages on the main thread instead of
 * stderr, to show them inside a full-screen view. */
typedef void (*HealthCliLogSink)            (GLogLevelFlags      log_level,
                                             const char         *message,
                                             gpointer            user_data);

void         health_cli_install_log_writer  (void);
void         health_cli_set_log_sink        (HealthCliLogSink    sink,
                                             gpointer            user_data);

/* health-cli-sparkline.c */
char        *health_cli_sparkline           (const HealthSample *samples,
                                             guint               n_samples,
                                             gint64              slot_us,
                                             double              warning,
                                             double              critical,
                                             guint               width,
                                             gboolean            utf8);

/* health-cli-term.c: full-screen mode of a terminal */
gboolean     health_cli_term_enter          (gboolean            raw_input,
                                             GError            **error);
void         health_cli_term_leave          (void);
int          health_cli_term_get_resume_fd  (void);
void         health_cli_term_drain_resume_fd (void);
void         health_cli_term_get_size       (guint              *columns,
                                             guint              *rows);

G_END_DECLS
