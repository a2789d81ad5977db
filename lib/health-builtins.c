/* health-builtins.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The table of built-in metrics: ids (a contract), labels, units,
 * directions and default thresholds.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-builtins-private.h"

#define GiB (1024.0 * 1024.0 * 1024.0)
#define MiB (1024.0 * 1024.0)

static const HealthBuiltinInfo builtins[HEALTH_N_BUILTIN_IDS] = {
  [HEALTH_BUILTIN_ID_MEMORY_USAGE] = {
    "memory-usage", N_("Memory Usage"), "%", HEALTH_DIRECTION_ABOVE, 75, 90,
    N_("Close applications or documents you are not using to free memory"),
    "memory", 100, "meminfo",
  },
  [HEALTH_BUILTIN_ID_MEMORY_AVAILABLE] = {
    "memory-available", N_("Available Memory"), "bytes", HEALTH_DIRECTION_BELOW, 2 * GiB, 512 * MiB,
    N_("Little memory is left: close unused data files or reduce dataset sizes"),
    "memory", 0, "meminfo",
  },
  [HEALTH_BUILTIN_ID_SWAP_USAGE] = {
    "swap-usage", N_("Swap Usage"), "%", HEALTH_DIRECTION_ABOVE, 50, 80,
    N_("The system is swapping: close memory-hungry applications"),
    "swap", 100, "meminfo",
  },
  [HEALTH_BUILTIN_ID_CPU_USAGE] = {
    "cpu-usage", N_("CPU Usage"), "%", HEALTH_DIRECTION_ABOVE, 80, 95,
    N_("High CPU usage: consider reducing parallel operations"),
    "cpu", 100, "stat",
  },
  [HEALTH_BUILTIN_ID_LOAD_AVERAGE] = {
    "load-average", N_("Load Average"), "per core", HEALTH_DIRECTION_ABOVE, 1.0, 2.0,
    N_("More work is queued than the processors can run: wait for background jobs or stop some"),
    "cpu", NAN, "loadavg",
  },
  [HEALTH_BUILTIN_ID_DISK_USAGE] = {
    "disk-usage", N_("Disk Usage"), "%", HEALTH_DIRECTION_ABOVE, 85, 95,
    N_("The disk is filling up: remove files you no longer need"),
    "disk", 100, NULL,
  },
  [HEALTH_BUILTIN_ID_MEMORY_PRESSURE] = {
    "memory-pressure", N_("Memory Pressure"), "%", HEALTH_DIRECTION_ABOVE, 10, 40,
    N_("Programs are stalled waiting for memory: close applications to free memory"),
    "memory", 100, "pressure/memory",
  },
  [HEALTH_BUILTIN_ID_CPU_PRESSURE] = {
    "cpu-pressure", N_("CPU Pressure"), "%", HEALTH_DIRECTION_ABOVE, 10, 40,
    N_("Programs are waiting for a processor: reduce parallel operations"),
    "cpu", 100, "pressure/cpu",
  },
  [HEALTH_BUILTIN_ID_IO_PRESSURE] = {
    "io-pressure", N_("I/O Pressure"), "%", HEALTH_DIRECTION_ABOVE, 10, 40,
    N_("Programs are waiting for the disk: pause large copies or indexing"),
    "io", 100, "pressure/io",
  },
  [HEALTH_BUILTIN_ID_PROCESS_MEMORY] = {
    "process-memory", N_("Process Memory"), "bytes", HEALTH_DIRECTION_ABOVE, 4 * GiB, 8 * GiB,
    N_("This application uses much memory: close documents or views you do not need"),
    "process", NAN, "self/statm",
  },
  [HEALTH_BUILTIN_ID_THREAD_COUNT] = {
    "thread-count", N_("Thread Count"), "threads", HEALTH_DIRECTION_ABOVE, 100, 200,
    N_("Many threads are running: a thread pool may be leaking threads"),
    "process", NAN, "self/stat",
  },
  [HEALTH_BUILTIN_ID_OPEN_FILES] = {
    "open-files", N_("Open Files"), "fds", HEALTH_DIRECTION_ABOVE, 512, 820,
    N_("Many files are open: close unused files or connections"),
    "process", NAN, "self/fd",
  },
  [HEALTH_BUILTIN_ID_MAIN_LOOP_LATENCY] = {
    "main-loop-latency", N_("Main Loop Latency"), "ms", HEALTH_DIRECTION_ABOVE, 100, 500,
    N_("The application responds slowly: long work may be running on the main thread"),
    "process", NAN, NULL,
  },
  [HEALTH_BUILTIN_ID_TRACKED_OBJECTS] = {
    "tracked-objects", N_("Tracked Objects"), "objects", HEALTH_DIRECTION_ABOVE, 1000, 10000,
    N_("Many tracked objects are alive: objects may be leaking"),
    "process", NAN, NULL,
  },
  [HEALTH_BUILTIN_ID_MONITOR_COST] = {
    "monitor-cost", N_("Monitor Cost"), "%", HEALTH_DIRECTION_ABOVE, 1, 5,
    N_("Monitoring itself costs much CPU: raise the sampling interval"),
    "process", NAN, NULL,
  },
};

const HealthBuiltinInfo *
health_builtin_get_info (HealthBuiltinId id)
{
  g_return_val_if_fail (id < HEALTH_N_BUILTIN_IDS, NULL);

  return &builtins[id];
}
