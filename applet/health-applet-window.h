/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _HealthAppletWindow HealthAppletWindow;

HealthAppletWindow *health_applet_window_new              (const char         *bus_name,
                                                           const char         *object_path);
void                health_applet_window_free             (HealthAppletWindow *self);

gboolean            health_applet_window_is_open          (HealthAppletWindow *self);
void                health_applet_window_show             (HealthAppletWindow *self);
void                health_applet_window_toggle           (HealthAppletWindow *self);
void                health_applet_window_show_preferences (HealthAppletWindow *self);
void                health_applet_window_close_all        (HealthAppletWindow *self);

char               *health_applet_find_window_program     (void);
char               *health_applet_find_icon_dir           (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthAppletWindow, health_applet_window_free)

G_END_DECLS
