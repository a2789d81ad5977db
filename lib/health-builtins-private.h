/* health-builtins-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#include "health-types.h"
#include "probes/health-probe-interface-private.h"

G_BEGIN_DECLS

typedef struct
{
  const char      *id;
  const char      *label;           /* N_() marked, translated on use */
  const char      *unit;
  HealthDirection  direction;
  double           warning;
  double           critical;
  const char      *recommendation;  /* N_() marked, translated on use */
  const char      *condition;
  double           bound;           /* the physical limit, NaN for none */
  const char      *source;          /* the file under proc-root, NULL for none */
} HealthBuiltinInfo;

/* The system metrics come first, in the bit order of HealthBuiltin. */
#define health_builtin_get_scope(id) \
  ((HEALTH_BUILTIN_FLAG (id) & HEALTH_BUILTIN_SYSTEM) ? HEALTH_SCOPE_SYSTEM : HEALTH_SCOPE_PROCESS)

const HealthBuiltinInfo *health_builtin_get_info (HealthBuiltinId id);

/* Thresholds that depend on the machine: a fraction of RAM for
 * process-memory, of RLIMIT_NOFILE for open-files. */
#define HEALTH_PROCESS_MEMORY_WARNING_RATIO  0.25
#define HEALTH_PROCESS_MEMORY_CRITICAL_RATIO 0.50
#define HEALTH_OPEN_FILES_WARNING_RATIO      0.50
#define HEALTH_OPEN_FILES_CRITICAL_RATIO     0.80

G_END_DECLS
