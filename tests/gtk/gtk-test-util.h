/* gtk-test-util.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Monitors of app metrics with a known history, windows that are really
 * drawn, and pixels read back from a render.
 */

#pragma once

#include <gtk/gtk.h>
#include <health.h>

#include "test-util.h"

G_BEGIN_DECLS

void              gtk_test_util_init           (int               *argc,
                                                char            ***argv);
HealthMetric     *gtk_test_util_add_metric     (HealthMonitor     *monitor,
                                                const char        *id,
                                                const char        *label,
                                                const char        *unit,
                                                HealthDirection    direction,
                                                double             warning,
                                                double             critical,
                                                guint              history_size,
                                                const double      *values,
                                                guint              n_values);
GtkWidget        *gtk_test_util_show           (GtkWidget         *child,
                                                int                width,
                                                int                height);
void              gtk_test_util_wait_for_paint (GtkWidget         *window);
void              gtk_test_util_drain          (void);
cairo_surface_t  *gtk_test_util_render         (GtkWidget         *widget);
void              gtk_test_util_get_pixel      (cairo_surface_t   *surface,
                                                int                x,
                                                int                y,
                                                double             rgb[3]);
void              gtk_test_util_assert_color   (const double       rgb[3],
                                                const double       expected[3],
                                                double             tolerance);
void              gtk_test_util_lookup_color   (GtkWidget         *widget,
                                                const char        *name,
                                                GdkRGBA           *color);

G_END_DECLS
