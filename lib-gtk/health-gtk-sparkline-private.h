/* health-gtk-sparkline-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-gtk-sparkline.h"

G_BEGIN_DECLS

/* What the line covers in one pixel column: the lowest and the highest
 * of the samples falling in it. */
typedef struct
{
  double x;       /* in pixel columns, 0 .. width - 1 */
  double min;     /* in the metric's unit */
  double max;
} HealthGtkSparklineColumn;

/* How much of the band colours shows over the background. */
#define HEALTH_GTK_SPARKLINE_WARNING_BAND_ALPHA  0.20
#define HEALTH_GTK_SPARKLINE_CRITICAL_BAND_ALPHA 0.25

/* Room kept on every side so the dot of the last value is never cut. */
#define HEALTH_GTK_SPARKLINE_INSET 3

guint  health_gtk_sparkline_decimate       (const HealthSample       *samples,
                                            guint                     n_samples,
                                            guint                     n_slots,
                                            guint                     width,
                                            HealthGtkSparklineColumn *columns);
void   health_gtk_sparkline_compute_range  (const HealthSample       *samples,
                                            guint                     n_samples,
                                            double                    warning,
                                            double                    critical,
                                            double                   *lo,
                                            double                   *hi);
char  *health_gtk_sparkline_dup_value_text (HealthGtkSparkline       *self);
char  *health_gtk_sparkline_dup_tooltip_at (HealthGtkSparkline       *self,
                                            double                    x);

G_END_DECLS
