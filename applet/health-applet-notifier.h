/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <health.h>

G_BEGIN_DECLS

typedef struct _HealthAppletNotifier HealthAppletNotifier;

/* "Open details" on a notification. */
typedef void (*HealthAppletNotifierOpenFunc) (gpointer user_data);

HealthAppletNotifier *health_applet_notifier_new         (GDBusConnection              *connection,
                                                          HealthMonitor                *monitor,
                                                          HealthAppletNotifierOpenFunc  open_func,
                                                          gpointer                      user_data);
void                  health_applet_notifier_free        (HealthAppletNotifier         *self);
void                  health_applet_notifier_set_enabled (HealthAppletNotifier         *self,
                                                          gboolean                      enabled);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthAppletNotifier, health_applet_notifier_free)

G_END_DECLS
