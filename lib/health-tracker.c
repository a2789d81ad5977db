/* health-tracker.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include "health-tracker-private.h"

struct _HealthTracker
{
  gatomicrefcount ref_count;
  GMutex          mutex;
  GHashTable     *objects;
};

HealthTracker *
health_tracker_new (void)
{
  HealthTracker *tracker = g_new0 (HealthTracker, 1);

  g_atomic_ref_count_init (&tracker->ref_count);
  g_mutex_init (&tracker->mutex);
  tracker->objects = g_hash_table_new (NULL, NULL);

  return tracker;
}

void
health_tracker_unref (HealthTracker *tracker)
{
  if (!g_atomic_ref_count_dec (&tracker->ref_count))
    return;

  g_hash_table_unref (tracker->objects);
  g_mutex_clear (&tracker->mutex);
  g_free (tracker);
}

static void
tracker_object_finalized (gpointer  data,
                          GObject  *where_the_object_was)
{
  HealthTracker *tracker = data;

  g_mutex_lock (&tracker->mutex);
  g_hash_table_remove (tracker->objects, where_the_object_was);
  g_mutex_unlock (&tracker->mutex);

  health_tracker_unref (tracker);
}

/* Tracking the same object twice counts it once. Any thread. */
void
health_tracker_add (HealthTracker *tracker,
                    GObject       *object)
{
  gboolean added;

  g_mutex_lock (&tracker->mutex);
  added = g_hash_table_add (tracker->objects, object);
  g_mutex_unlock (&tracker->mutex);

  if (added)
    {
      g_atomic_ref_count_inc (&tracker->ref_count);
      g_object_weak_ref (object, tracker_object_finalized, tracker);
    }
}

guint
health_tracker_count (HealthTracker *tracker)
{
  guint count;

  g_mutex_lock (&tracker->mutex);
  count = g_hash_table_size (tracker->objects);
  g_mutex_unlock (&tracker->mutex);

  return count;
}
