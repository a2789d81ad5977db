/* health-gtk-common.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "health-text-private.h"
#include "health-gtk-private.h"
#include "health-gtk-resources.h"

#define DISPLAY_INITIALIZED_KEY "health-gtk-style-provider"

/* The stylesheet and the status icons ship inside the library, so the
 * widgets look right before `make install` and in apps that never install
 * the icons; installed icons of the same name still win in a theme that
 * styles them.
 *
 * The stylesheet goes in at the fallback priority: it only fills in what
 * the theme does not know about (the `sparkline`, `metricrow` and
 * `historychart` nodes), and any theme or app rule overrides it. */
void
health_gtk_init_for_display (GdkDisplay *display)
{
  g_autoptr(GtkCssProvider) provider = NULL;

  static gsize resources_registered = 0;

  g_return_if_fail (GDK_IS_DISPLAY (display));

  if (g_once_init_enter (&resources_registered))
    {
      health_gtk_register_resource ();
      g_once_init_leave (&resources_registered, 1);
    }

  if (g_object_get_data (G_OBJECT (display), DISPLAY_INITIALIZED_KEY) != NULL)
    return;

  provider = gtk_css_provider_new ();
  gtk_css_provider_load_from_resource (provider, HEALTH_GTK_RESOURCE_PATH "/style.css");
  gtk_style_context_add_provider_for_display (display, GTK_STYLE_PROVIDER (provider),
                                              GTK_STYLE_PROVIDER_PRIORITY_FALLBACK);

  gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (display),
                                    HEALTH_GTK_RESOURCE_PATH "/icons");

  g_object_set_data_full (G_OBJECT (display), DISPLAY_INITIALIZED_KEY,
                          g_steal_pointer (&provider), g_object_unref);
}

/* libhealth's icon, which the widgets carry as a resource; when @theme
 * lacks it after all, the nearest icon of the naming specification. Not
 * both in one GThemedIcon: GTK looks every name up in a theme before
 * trying the next theme, so a standard name in the user's theme would
 * beat ours, found further down in hicolor. */
GIcon *
health_gtk_status_dup_icon (HealthStatus  status,
                            GtkIconTheme *theme)
{
  const char *names[3] = { health_status_get_icon_name (status), NULL, NULL };

  if (gtk_icon_theme_has_icon (theme, names[0]))
    return g_themed_icon_new (names[0]);

  switch (status)
    {
    case HEALTH_STATUS_EXCELLENT:
    case HEALTH_STATUS_GOOD:
      names[1] = "emblem-ok-symbolic";
      break;

    case HEALTH_STATUS_WARNING:
      names[1] = "dialog-warning-symbolic";
      break;

    case HEALTH_STATUS_CRITICAL:
    case HEALTH_STATUS_EMERGENCY:
      names[1] = "dialog-error-symbolic";
      break;

    case HEALTH_STATUS_UNKNOWN:
    default:
      names[1] = "dialog-question-symbolic";
      break;
    }

  return g_themed_icon_new_from_names ((char **) names, -1);
}

/* One style class per status, named as health_status_to_string() says,
 * so a stylesheet reads `sparkline.critical`. */
void
health_gtk_widget_set_status (GtkWidget    *widget,
                              HealthStatus  status)
{
  const char *wanted = health_status_to_string (status);

  for (HealthStatus s = HEALTH_STATUS_UNKNOWN; s <= HEALTH_STATUS_EMERGENCY; s++)
    {
      const char *name = health_status_to_string (s);

      if (s != status && gtk_widget_has_css_class (widget, name))
        gtk_widget_remove_css_class (widget, name);
    }

  if (!gtk_widget_has_css_class (widget, wanted))
    gtk_widget_add_css_class (widget, wanted);
}

/* The node's `color`: gtk_widget_get_color() only exists from GTK 4.10. */
void
health_gtk_widget_get_color (GtkWidget *widget,
                             GdkRGBA   *color)
{
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), color);
G_GNUC_END_IGNORE_DEPRECATIONS
}

/* A named colour of the theme, or @fallback. Named colours are how
 * themes share their palette with widgets they do not know; GTK 4.10
 * deprecates the call without a replacement. */
void
health_gtk_lookup_color (GtkWidget  *widget,
                         const char *name,
                         const char *fallback,
                         GdkRGBA    *color)
{
  gboolean found;

G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  found = gtk_style_context_lookup_color (gtk_widget_get_style_context (widget), name, color);
G_GNUC_END_IGNORE_DEPRECATIONS

  if (!found)
    gdk_rgba_parse (color, fallback);
}

/* A metric's label, fit to show: a mirrored metric's label comes from
 * another process, which may have put bidi overrides or line breaks in
 * it (see health-text-private.h). */
char *
health_gtk_metric_dup_label (HealthMetric *metric)
{
  return health_text_sanitize (health_metric_get_label (metric), -1);
}

/* health_metric_format_value(), fit to show: the unit of a mirrored
 * metric comes from another process too. */
char *
health_gtk_metric_format_value (HealthMetric *metric,
                                double        value)
{
  g_autofree char *text = health_metric_format_value (metric, value);

  return health_text_sanitize (text, -1);
}
