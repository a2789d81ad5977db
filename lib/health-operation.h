/* health-operation.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(HEALTH_INSIDE) && !defined(HEALTH_COMPILATION)
#error "Only <health.h> can be included directly."
#endif

#include <glib-object.h>

#include "health-version.h"

G_BEGIN_DECLS

#define HEALTH_TYPE_OPERATION (health_operation_get_type ())

typedef struct _HealthOperation HealthOperation;

HEALTH_AVAILABLE_IN_ALL
GType            health_operation_get_type   (void) G_GNUC_CONST;
HEALTH_AVAILABLE_IN_ALL
HealthOperation *health_operation_ref        (HealthOperation *self);
HEALTH_AVAILABLE_IN_ALL
void             health_operation_unref      (HealthOperation *self);
HEALTH_AVAILABLE_IN_ALL
const char      *health_operation_get_name   (HealthOperation *self);
HEALTH_AVAILABLE_IN_ALL
gboolean         health_operation_is_ended   (HealthOperation *self);
HEALTH_AVAILABLE_IN_ALL
char           **health_operation_end        (HealthOperation *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthOperation, health_operation_unref)

G_END_DECLS
