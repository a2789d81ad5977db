/* test-util.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A clock the tests move by hand (test-clock.c, which needs the internal
 * library), and small helpers (test-util.c, public API only).
 */

#pragma once

#include "health.h"

G_BEGIN_DECLS

void     test_init              (int          *argc,
                                 char       ***argv);
void     test_clock_advance     (double        seconds);
void     test_clock_step_wall   (double        seconds);
void     test_iterate_for       (guint         ms);
void     test_count             (guint        *counter);
char    *test_fixture_root      (const char   *name);
char    *test_make_proc_root    (const char   *meminfo);
void     test_remove_tree       (const char   *path);
double   test_read_double       (HealthMetric *metric,
                                 gpointer      value);
gboolean test_sample            (HealthMonitor *monitor,
                                 GError       **error);
void     test_sample_sync       (HealthMonitor *monitor);
void     test_sample_unreadable (HealthMonitor *monitor);

HealthMonitor *test_app_monitor_new (void);
HealthMetric  *test_add_sampled     (HealthMonitor *monitor,
                                     const char    *id,
                                     double         warning,
                                     double         critical,
                                     double        *value);
void           test_collect         (gpointer       instance,
                                     GObject       *object,
                                     GPtrArray     *objects);

G_END_DECLS
