/* health-types.h
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

/**
 * HealthStatus:
 * @HEALTH_STATUS_UNKNOWN: nothing is known yet, or the source failed
 * @HEALTH_STATUS_EXCELLENT: everything is good and nothing is heading
 *   toward a warning
 * @HEALTH_STATUS_GOOD: within thresholds
 * @HEALTH_STATUS_WARNING: beyond the warning threshold
 * @HEALTH_STATUS_CRITICAL: beyond the critical threshold
 * @HEALTH_STATUS_EMERGENCY: critical for a long time, or critical and
 *   still getting worse
 *
 * How healthy a metric or a whole monitor is, in increasing order of
 * severity, so statuses compare with `<` and `>`.
 *
 * A [class@Health.Metric] is only ever UNKNOWN, GOOD, WARNING or CRITICAL;
 * EXCELLENT and EMERGENCY describe the overall status of a
 * [class@Health.Monitor].
 *
 * Since: 1.0
 */
typedef enum
{
  HEALTH_STATUS_UNKNOWN,
  HEALTH_STATUS_EXCELLENT,
  HEALTH_STATUS_GOOD,
  HEALTH_STATUS_WARNING,
  HEALTH_STATUS_CRITICAL,
  HEALTH_STATUS_EMERGENCY,
} HealthStatus;

/**
 * HealthDirection:
 * @HEALTH_DIRECTION_ABOVE: higher values are worse (usage, latency)
 * @HEALTH_DIRECTION_BELOW: lower values are worse (available memory)
 *
 * Which side of its thresholds a metric is unhealthy on.
 *
 * Since: 1.0
 */
typedef enum
{
  HEALTH_DIRECTION_ABOVE,
  HEALTH_DIRECTION_BELOW,
} HealthDirection;

/**
 * HealthTrend:
 * @HEALTH_TREND_INSUFFICIENT_DATA: not enough history yet: fewer than five
 *   samples, or spanning less than [property@Health.Metric:trend-min-span]
 * @HEALTH_TREND_STABLE: the change over the window is small compared to
 *   the distance between the thresholds
 * @HEALTH_TREND_INCREASING: the value is rising
 * @HEALTH_TREND_DECREASING: the value is falling
 *
 * Where a metric's value is heading.
 *
 * Since: 1.0
 */
typedef enum
{
  HEALTH_TREND_INSUFFICIENT_DATA,
  HEALTH_TREND_STABLE,
  HEALTH_TREND_INCREASING,
  HEALTH_TREND_DECREASING,
} HealthTrend;

/**
 * HealthBuiltin:
 * @HEALTH_BUILTIN_NONE: no built-in metric, for a monitor of app metrics only
 * @HEALTH_BUILTIN_MEMORY_USAGE: `memory-usage`, % of RAM in use
 * @HEALTH_BUILTIN_MEMORY_AVAILABLE: `memory-available`, bytes available
 * @HEALTH_BUILTIN_SWAP_USAGE: `swap-usage`, % of swap in use
 * @HEALTH_BUILTIN_CPU_USAGE: `cpu-usage`, % of all CPUs busy
 * @HEALTH_BUILTIN_LOAD_AVERAGE: `load-average`, one-minute load per core
 * @HEALTH_BUILTIN_DISK_USAGE: `disk-usage`, % of the disk holding
 *   [property@Health.Monitor:disk-path] in use
 * @HEALTH_BUILTIN_MEMORY_PRESSURE: `memory-pressure`, PSI some avg10
 * @HEALTH_BUILTIN_CPU_PRESSURE: `cpu-pressure`, PSI some avg10
 * @HEALTH_BUILTIN_IO_PRESSURE: `io-pressure`, PSI some avg10
 * @HEALTH_BUILTIN_PROCESS_MEMORY: `process-memory`, resident bytes of
 *   this process
 * @HEALTH_BUILTIN_THREAD_COUNT: `thread-count`, threads of this process
 * @HEALTH_BUILTIN_OPEN_FILES: `open-files`, file descriptors of this process
 * @HEALTH_BUILTIN_MAIN_LOOP_LATENCY: `main-loop-latency`, how late the
 *   monitor's own main context dispatches it, in ms
 * @HEALTH_BUILTIN_TRACKED_OBJECTS: `tracked-objects`, live objects passed to
 *   [method@Health.Monitor.track_object]
 * @HEALTH_BUILTIN_MONITOR_COST: `monitor-cost`, the monitor's own CPU use
 *   in % of one core
 * @HEALTH_BUILTIN_SYSTEM: the metrics about the machine: memory, swap, CPU,
 *   load, disk and pressure stall (%HEALTH_SCOPE_SYSTEM)
 * @HEALTH_BUILTIN_PROCESS: the metrics about the process that runs the
 *   monitor: its memory, threads, open files, main-loop latency, tracked
 *   objects and the monitor's own cost (%HEALTH_SCOPE_PROCESS)
 * @HEALTH_BUILTIN_DEFAULT: the set [ctor@Health.Monitor.new] creates: both
 *   scopes, as an app embedding the library wants them
 * @HEALTH_BUILTIN_ALL: every built-in metric
 *
 * Which built-in metrics a [class@Health.Monitor] creates; see
 * [property@Health.Monitor:builtin].
 *
 * Since: 1.0
 */
typedef enum /*< flags >*/
{
  HEALTH_BUILTIN_NONE              = 0,
  HEALTH_BUILTIN_MEMORY_USAGE      = 1 << 0,
  HEALTH_BUILTIN_MEMORY_AVAILABLE  = 1 << 1,
  HEALTH_BUILTIN_SWAP_USAGE        = 1 << 2,
  HEALTH_BUILTIN_CPU_USAGE         = 1 << 3,
  HEALTH_BUILTIN_LOAD_AVERAGE      = 1 << 4,
  HEALTH_BUILTIN_DISK_USAGE        = 1 << 5,
  HEALTH_BUILTIN_MEMORY_PRESSURE   = 1 << 6,
  HEALTH_BUILTIN_CPU_PRESSURE      = 1 << 7,
  HEALTH_BUILTIN_IO_PRESSURE       = 1 << 8,
  HEALTH_BUILTIN_PROCESS_MEMORY    = 1 << 9,
  HEALTH_BUILTIN_THREAD_COUNT      = 1 << 10,
  HEALTH_BUILTIN_OPEN_FILES        = 1 << 11,
  HEALTH_BUILTIN_MAIN_LOOP_LATENCY = 1 << 12,
  HEALTH_BUILTIN_TRACKED_OBJECTS   = 1 << 13,
  HEALTH_BUILTIN_MONITOR_COST      = 1 << 14,
  HEALTH_BUILTIN_SYSTEM            = (1 << 9) - 1,
  HEALTH_BUILTIN_PROCESS           = ((1 << 15) - 1) & ~((1 << 9) - 1),
  HEALTH_BUILTIN_ALL               = (1 << 15) - 1,
  HEALTH_BUILTIN_DEFAULT           = HEALTH_BUILTIN_ALL,
} HealthBuiltin;

/**
 * HealthScope:
 * @HEALTH_SCOPE_SYSTEM: the machine: memory, swap, CPU, load, disk,
 *   pressure stall
 * @HEALTH_SCOPE_PROCESS: the process that runs the monitor: its memory,
 *   threads, open files, main-loop latency, tracked objects, the
 *   monitor's own cost
 * @HEALTH_SCOPE_APP: a metric the app defines
 *
 * What a metric is about. Tools that describe a machine (the CLI, the
 * applet) show the system scope and leave out their own process; an app
 * that embeds the library shows every scope.
 *
 * Since: 1.0
 */
typedef enum
{
  HEALTH_SCOPE_SYSTEM,
  HEALTH_SCOPE_PROCESS,
  HEALTH_SCOPE_APP,
} HealthScope;

/**
 * HEALTH_ERROR:
 *
 * The error domain of libhealth; codes are [enum@Health.Error].
 *
 * Since: 1.0
 */
#define HEALTH_ERROR (health_error_quark ())

/**
 * HealthError:
 * @HEALTH_ERROR_INVALID_THRESHOLDS: a threshold is NaN or infinite, or the
 *   order of warning and critical contradicts the direction
 * @HEALTH_ERROR_INVALID_ID: a metric id is not made of `[a-z0-9-]`
 * @HEALTH_ERROR_DUPLICATE_ID: a metric with that id already exists. Never
 *   raised, and deprecated: ids are the program's own, so adding a second
 *   metric with one is a programmer error, which
 *   [method@Health.Monitor.add_metric] and its siblings report with a
 *   critical and %FALSE, as they do for an invalid id; a mirror takes
 *   the remote's ids, unique there. Kept so that code naming it builds.
 * @HEALTH_ERROR_PROBE_FAILED: none of the machine's figures could be read;
 *   see [method@Health.Monitor.sample_finish]
 * @HEALTH_ERROR_NOT_SUPPORTED: the system does not offer this
 *
 * Error codes in the %HEALTH_ERROR domain.
 *
 * Since: 1.0
 */
typedef enum
{
  HEALTH_ERROR_INVALID_THRESHOLDS,
  HEALTH_ERROR_INVALID_ID,
  HEALTH_ERROR_DUPLICATE_ID,
  HEALTH_ERROR_PROBE_FAILED,
  HEALTH_ERROR_NOT_SUPPORTED,
} HealthError;

HEALTH_AVAILABLE_IN_ALL
GQuark       health_error_quark              (void);

HEALTH_AVAILABLE_IN_ALL
const char  *health_status_to_string         (HealthStatus status);
HEALTH_AVAILABLE_IN_ALL
const char  *health_status_to_label          (HealthStatus status);
HEALTH_AVAILABLE_IN_ALL
const char  *health_status_get_icon_name     (HealthStatus status);
HEALTH_AVAILABLE_IN_ALL
const char  *health_scope_to_string          (HealthScope  scope);
HEALTH_AVAILABLE_IN_ALL
const char  *health_trend_to_string          (HealthTrend  trend);
HEALTH_AVAILABLE_IN_ALL
const char  *health_trend_to_label           (HealthTrend  trend);
HEALTH_AVAILABLE_IN_ALL
gboolean     health_metric_id_is_valid       (const char  *id);

G_END_DECLS
