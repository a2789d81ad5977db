/* health-tracker-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The objects a monitor counts in `tracked-objects`, through weak
 * references. Their weak notifies may run on any thread, and after the
 * monitor is gone, so the tracker is reference counted and locked.
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef struct _HealthTracker HealthTracker;

HealthTracker *health_tracker_new   (void);
void           health_tracker_unref (HealthTracker *tracker);
void           health_tracker_add   (HealthTracker *tracker,
                                     GObject       *object);
guint          health_tracker_count (HealthTracker *tracker);

G_END_DECLS
