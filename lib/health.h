/* health.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define HEALTH_INSIDE
# include "health-version.h"
# include "health-types.h"
# include "health-enum-types.h"
# include "health-sample.h"
# include "health-metric.h"
# include "health-alert.h"
# include "health-operation.h"
# include "health-monitor.h"
# include "health-journal.h"
#undef HEALTH_INSIDE

G_END_DECLS
