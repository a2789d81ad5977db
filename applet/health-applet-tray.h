/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>
#include <health.h>

G_BEGIN_DECLS

#define HEALTH_APPLET_TRAY_PATH "/StatusNotifierItem"

typedef struct _HealthAppletTray HealthAppletTray;

typedef struct
{
  /* Activate: a primary click on the icon. */
  void (*activate)        (gpointer user_data);
  /* No watcher when the tray started: nobody shows the icon. */
  void (*no_watcher)      (gpointer user_data);
} HealthAppletTrayCallbacks;

HealthAppletTray *health_applet_tray_new    (GDBusConnection                 *connection,
                                             HealthMonitor                   *monitor,
                                             const HealthAppletTrayCallbacks *callbacks,
                                             gpointer                         user_data,
                                             GError                         **error);
void              health_applet_tray_free   (HealthAppletTray                *self);
void              health_applet_tray_start  (HealthAppletTray                *self);
void              health_applet_tray_update (HealthAppletTray                *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthAppletTray, health_applet_tray_free)

G_END_DECLS
