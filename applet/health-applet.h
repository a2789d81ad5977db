/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HEALTH_APPLET_ID          "io.github.healthmonitor.Applet"
#define HEALTH_APPLET_MONITOR_PATH "/io/github/healthmonitor/Monitor"

#define HEALTH_TYPE_APPLET (health_applet_get_type ())

G_DECLARE_FINAL_TYPE (HealthApplet, health_applet, HEALTH, APPLET, GApplication)

HealthApplet *health_applet_new (void);

G_END_DECLS
