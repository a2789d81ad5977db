/* bench-gtk-util.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What the widget benchmarks share: the clock, medians, targets, a
 * window painted once as in an app, and a frame as GTK makes it.
 */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

guint      bench_gtk_env_uint     (const char *name,
                                   guint       fallback);
double     bench_gtk_now_us       (void);
double     bench_gtk_median       (double     *values,
                                   guint       n_values);
gboolean   bench_gtk_target       (const char *name,
                                   double      value,
                                   const char *op,
                                   double      bound);
GtkWidget *bench_gtk_show         (GtkWidget  *child,
                                   int         width,
                                   int         height);
double     bench_gtk_frame_us     (GtkWidget  *widget,
                                   cairo_t    *cr);
double     bench_gtk_median_frame_us (GtkWidget *widget,
                                      cairo_t   *cr,
                                      guint      n_frames,
                                      guint      n_warmup);

G_END_DECLS
