/* test-util.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A clock the tests move by hand, and small helpers.
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     test_init              (int          *argc,
                                 char       ***argv);
void     test_clock_advance     (double        seconds);
void     test_clock_step_wall   (double        seconds);
void     test_count             (guint        *counter);
char    *test_make_proc_root    (const char   *meminfo);
void     test_remove_tree       (const char   *path);
double   test_read_double       (gpointer      metric,
                                 gpointer      value);
void     test_sample_sync       (gpointer      monitor);

G_END_DECLS
