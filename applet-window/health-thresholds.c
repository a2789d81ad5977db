/* health-thresholds.c: checking and storing thresholds from the preferences
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "health-thresholds.h"
#include "health-text-private.h"

/*
 * health_thresholds_validate:
 *
 * Whether @metric would accept @warning and @critical. The metric may be a
 * mirror of the applet's, which must not change here: the rules (direction,
 * order, finiteness) are the library's, so they are asked of a throwaway
 * copy rather than repeated in the window.
 */
gboolean
health_thresholds_validate (HealthMetric  *metric,
                            double         warning,
                            double         critical,
                            GError       **error)
{
  g_autoptr(HealthMetric) copy = NULL;

  g_return_val_if_fail (HEALTH_IS_METRIC (metric), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  copy = health_metric_new (health_metric_get_id (metric),
                            health_metric_get_label (metric),
                            health_metric_get_unit (metric),
                            health_metric_get_direction (metric),
                            health_metric_get_warning (metric),
                            health_metric_get_critical (metric));

  return health_metric_set_thresholds (copy, warning, critical, error);
}

/* Every entry of @thresholds (which may be %NULL) but @metric_id's. */
static void
builder_add_all_but (GVariantBuilder *builder,
                     GVariant        *thresholds,
                     const char      *metric_id)
{
  GVariantIter iter;
  const char *id;
  double w, c;

  if (thresholds == NULL)
    return;

  g_variant_iter_init (&iter, thresholds);
  while (g_variant_iter_next (&iter, "{&s(dd)}", &id, &w, &c))
    if (g_strcmp0 (id, metric_id) != 0)
      g_variant_builder_add (builder, "{s(dd)}", id, w, c);
}

/*
 * health_thresholds_replace:
 *
 * Returns: (transfer full): a new, non-floating a{s(dd)} with every entry of
 * @thresholds (which may be %NULL) but @metric_id's, which becomes
 * (@warning, @critical).
 */
GVariant *
health_thresholds_replace (GVariant   *thresholds,
                           const char *metric_id,
                           double      warning,
                           double      critical)
{
  GVariantBuilder builder;

  g_return_val_if_fail (thresholds == NULL || g_variant_is_of_type (thresholds, G_VARIANT_TYPE ("a{s(dd)}")), NULL);
  g_return_val_if_fail (metric_id != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(dd)}"));
  builder_add_all_but (&builder, thresholds, metric_id);
  g_variant_builder_add (&builder, "{s(dd)}", metric_id, warning, critical);

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

/*
 * health_thresholds_remove:
 *
 * Returns: (transfer full): a new, non-floating a{s(dd)} with every entry of
 * @thresholds (which may be %NULL) but @metric_id's: the applet then gives
 * that metric back its defaults (see health_thresholds_apply()).
 */
GVariant *
health_thresholds_remove (GVariant   *thresholds,
                          const char *metric_id)
{
  GVariantBuilder builder;

  g_return_val_if_fail (thresholds == NULL || g_variant_is_of_type (thresholds, G_VARIANT_TYPE ("a{s(dd)}")), NULL);
  g_return_val_if_fail (metric_id != NULL, NULL);

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a{s(dd)}"));
  builder_add_all_but (&builder, thresholds, metric_id);

  return g_variant_ref_sink (g_variant_builder_end (&builder));
}

gboolean
health_thresholds_lookup (GVariant   *thresholds,
                          const char *metric_id,
                          double     *warning,
                          double     *critical)
{
  g_return_val_if_fail (metric_id != NULL, FALSE);

  if (thresholds == NULL)
    return FALSE;

  return g_variant_lookup (thresholds, metric_id, "(dd)", warning, critical);
}

/* Applies the `thresholds` setting (a{s(dd)}) to the metrics of @monitor.
 * The key holds only the metrics a user changed: one that was in
 * @previous and is no longer goes back to the library's defaults, which
 * for some metrics depend on the machine and are known only once the
 * monitor has sampled it. Unknown ids and refused pairs (the settings
 * are anybody's to write, and may hold thousands of entries) are
 * skipped, never applied, and summed up in one warning. Returns the ids
 * now overridden. */
GHashTable *
health_thresholds_apply (HealthMonitor *monitor,
                         GVariant      *thresholds,
                         GHashTable    *previous)
{
  GHashTable *overridden = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *first_unknown = NULL;
  g_autofree char *first_refused = NULL;
  guint n_unknown = 0;
  guint n_refused = 0;
  GHashTableIter iter;
  GVariantIter entries;
  const char *id;
  double warning, critical;

  g_return_val_if_fail (HEALTH_IS_MONITOR (monitor), overridden);
  g_return_val_if_fail (g_variant_is_of_type (thresholds, G_VARIANT_TYPE ("a{s(dd)}")), overridden);

  g_variant_iter_init (&entries, thresholds);
  while (g_variant_iter_next (&entries, "{&s(dd)}", &id, &warning, &critical))
    {
      HealthMetric *metric = health_monitor_get_metric (monitor, id);
      g_autoptr(GError) error = NULL;

      if (metric == NULL)
        {
          /* Anybody's text, on its way to a log and a terminal. */
          if (n_unknown++ == 0)
            first_unknown = health_text_sanitize (id, -1);
          continue;
        }

      if (!health_metric_set_thresholds (metric, warning, critical, &error))
        {
          if (n_refused++ == 0)
            {
              g_autofree char *clean_id = health_text_sanitize (id, -1);

              first_refused = g_strdup_printf ("“%s”: %s", clean_id, error->message);
            }
          continue;
        }

      g_hash_table_add (overridden, g_strdup (id));
    }

  if (n_unknown > 0 || n_refused > 0)
    g_warning ("%u entries of the thresholds setting are ignored: "
               "%u for unknown metrics (the first “%s”), %u refused (the first %s)",
               n_unknown + n_refused, n_unknown, first_unknown ? first_unknown : "",
               n_refused, first_refused ? first_refused : "none");

  if (previous != NULL)
    {
      g_hash_table_iter_init (&iter, previous);
      while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
        {
          HealthMetric *metric = health_monitor_get_metric (monitor, id);

          if (metric != NULL && !g_hash_table_contains (overridden, id))
            health_metric_reset_thresholds (metric);
        }
    }

  return overridden;
}
