/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The tray item's menu, served over com.canonical.dbusmenu at /MenuBar
 * by libdbusmenu-glib, which links GLib only: the host draws the menu,
 * the applet never loads a toolkit.
 */

#include "config.h"

#include <glib/gi18n.h>
#include <libdbusmenu-glib/dbusmenu-glib.h>

#include "health-applet-menu.h"

struct _HealthAppletMenu
{
  DbusmenuServer       *server;
  DbusmenuMenuitem     *root;
  DbusmenuMenuitem     *pause;
  HealthAppletMenuFunc  func;
  gpointer              user_data;
};

#define ACTION_KEY "health-applet-menu-action"

static void
item_activated_cb (DbusmenuMenuitem *item,
                   guint             timestamp,
                   gpointer          user_data)
{
  HealthAppletMenu *self = user_data;
  HealthAppletMenuAction action;

  action = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (item), ACTION_KEY));
  self->func (action, self->user_data);
}

static DbusmenuMenuitem *
menu_append (HealthAppletMenu       *self,
             const char             *label,
             HealthAppletMenuAction  action)
{
  DbusmenuMenuitem *item = dbusmenu_menuitem_new ();

  dbusmenu_menuitem_property_set (item, DBUSMENU_MENUITEM_PROP_LABEL, label);
  g_object_set_data (G_OBJECT (item), ACTION_KEY, GUINT_TO_POINTER (action));
  g_signal_connect (item, DBUSMENU_MENUITEM_SIGNAL_ITEM_ACTIVATED,
                    G_CALLBACK (item_activated_cb), self);
  dbusmenu_menuitem_child_append (self->root, item);
  g_object_unref (item);

  return item;
}

static void
menu_append_separator (HealthAppletMenu *self)
{
  DbusmenuMenuitem *item = dbusmenu_menuitem_new ();

  dbusmenu_menuitem_property_set (item, DBUSMENU_MENUITEM_PROP_TYPE,
                                  DBUSMENU_CLIENT_TYPES_SEPARATOR);
  dbusmenu_menuitem_child_append (self->root, item);
  g_object_unref (item);
}

/**
 * health_applet_menu_new:
 * @func: called with the chosen action
 * @user_data: data for @func
 *
 * Publishes the menu on the session bus at %HEALTH_APPLET_MENU_PATH.
 *
 * Returns: (transfer full): the menu
 */
HealthAppletMenu *
health_applet_menu_new (HealthAppletMenuFunc func,
                        gpointer             user_data)
{
  HealthAppletMenu *self = g_new0 (HealthAppletMenu, 1);

  self->func = func;
  self->user_data = user_data;
  self->root = dbusmenu_menuitem_new ();

  /* _() here, not at file scope: the locale is set by then. */
  menu_append (self, _("Show Details"), HEALTH_APPLET_MENU_SHOW_DETAILS);
  self->pause = menu_append (self, _("Pause"), HEALTH_APPLET_MENU_PAUSE);
  menu_append (self, _("Preferences"), HEALTH_APPLET_MENU_PREFERENCES);
  menu_append_separator (self);
  menu_append (self, _("Quit"), HEALTH_APPLET_MENU_QUIT);

  self->server = dbusmenu_server_new (HEALTH_APPLET_MENU_PATH);
  dbusmenu_server_set_root (self->server, self->root);

  return self;
}

void
health_applet_menu_free (HealthAppletMenu *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->server);
  g_clear_object (&self->root);
  g_free (self);
}

void
health_applet_menu_set_paused (HealthAppletMenu *self,
                               gboolean          paused)
{
  g_return_if_fail (self != NULL);

  dbusmenu_menuitem_property_set (self->pause, DBUSMENU_MENUITEM_PROP_LABEL,
                                  paused ? _("Resume") : _("Pause"));
}
