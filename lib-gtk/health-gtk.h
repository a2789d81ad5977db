/* health-gtk.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gtk/gtk.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_GTK_INSIDE
# include "health-gtk-version.h"
# include "health-gtk-sparkline.h"
# include "health-gtk-metric-row.h"
# include "health-gtk-monitor-view.h"
# include "health-gtk-history-chart.h"
#undef HEALTH_GTK_INSIDE

G_END_DECLS
