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
void              gtk_test_util_paint          (GtkWidget         *window);
void              gtk_test_util_sample         (HealthMonitor     *monitor);
GdkPaintable     *gtk_test_util_count_redraws  (GtkWidget         *widget,
                                                guint             *n_redraws);
cairo_surface_t  *gtk_test_util_render         (GtkWidget         *widget);
void              gtk_test_util_get_pixel      (cairo_surface_t   *surface,
                                                int                x,
                                                int                y,
                                                double             rgb[3]);
void              gtk_test_util_assert_color   (const double       rgb[3],
                                                const double       expected[3],
                                                double             tolerance);
void              gtk_test_util_assert_accessible (GtkWidget             *widget,
                                                   GtkAccessibleProperty  property,
                                                   const char            *expected);
void              gtk_test_util_lookup_color   (GtkWidget         *widget,
                                                const char        *name,
                                                GdkRGBA           *color);
double            gtk_test_util_color_distance (const double       a[3],
                                                const double       b[3]);
double            gtk_test_util_luminance      (const double       rgb[3]);
void              gtk_test_util_set_dark       (gboolean           dark);
void              gtk_test_util_save_png       (cairo_surface_t   *surface,
                                                const char        *name);
void              gtk_test_util_count_notify   (GObject           *object,
                                                GParamSpec        *pspec,
                                                guint             *count);

G_END_DECLS
