/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define HEALTH_APPLET_MENU_PATH "/MenuBar"

typedef struct _HealthAppletMenu HealthAppletMenu;

typedef enum
{
  HEALTH_APPLET_MENU_SHOW_DETAILS,
  HEALTH_APPLET_MENU_PAUSE,
  HEALTH_APPLET_MENU_PREFERENCES,
  HEALTH_APPLET_MENU_QUIT,
} HealthAppletMenuAction;

typedef void (*HealthAppletMenuFunc) (HealthAppletMenuAction action,
                                      gpointer               user_data);

HealthAppletMenu *health_applet_menu_new        (HealthAppletMenuFunc  func,
                                                 gpointer              user_data);
void              health_applet_menu_free       (HealthAppletMenu     *self);
void              health_applet_menu_set_paused (HealthAppletMenu     *self,
                                                 gboolean              paused);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthAppletMenu, health_applet_menu_free)

G_END_DECLS
