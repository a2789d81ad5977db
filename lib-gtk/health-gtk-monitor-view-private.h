/* health-gtk-monitor-view-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-gtk-monitor-view.h"

G_BEGIN_DECLS

GtkListBox *health_gtk_monitor_view_get_list_box (HealthGtkMonitorView *self);
GListModel *health_gtk_monitor_view_get_model    (HealthGtkMonitorView *self);

G_END_DECLS
