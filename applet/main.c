/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <locale.h>

#include <glib/gi18n.h>

#include "health-applet.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(HealthApplet) applet = NULL;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  applet = health_applet_new ();

  return g_application_run (G_APPLICATION (applet), argc, argv);
}
