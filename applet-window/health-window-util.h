/* health-window-util.h: what the window's pages say the same way
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <adwaita.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_APPLET_SCHEMA_ID "io.github.healthmonitor.Applet"

/* How a metric's thresholds are typed: bytes as GiB, the rest as they are. */
typedef struct
{
  double factor;        /* metric units per displayed unit */
  char   suffix[32];    /* translated, or the metric's own, sanitised */
  guint  digits;
  double step;
} HealthUnitScale;

const char *health_condition_get_title       (const char       *condition);
char       *health_window_format_time        (gint64            time_us,
                                              gint64            now_us);
char       *health_window_dup_text           (const char       *text);
char       *health_window_dup_label          (HealthMetric     *metric);
char       *health_window_format_value       (HealthMetric     *metric,
                                              double            value);
void        health_unit_scale_for_metric     (HealthMetric     *metric,
                                              HealthUnitScale  *scale);
GSettings  *health_window_lookup_settings    (void);
char       *health_window_journal_path       (void);
HealthJournal *health_window_open_journal    (void);
void        health_journal_status_show       (GtkStack         *stack,
                                              GtkWidget       **status_page,
                                              GSettings        *settings);

G_END_DECLS
