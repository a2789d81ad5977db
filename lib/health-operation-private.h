/* health-operation-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

#include "health-operation.h"

G_BEGIN_DECLS

/* The change, relative to the start value (at least 1), above which a
 * change is significant, as in the seed. */
#define HEALTH_OPERATION_SIGNIFICANT_PERCENT 10.0

HealthOperation *health_operation_new (GListModel *metrics,
                                       const char *name);

G_END_DECLS
