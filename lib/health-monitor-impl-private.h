/* health-monitor-impl-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The monitor's instance, shared by the files that make up the class
 * and by nothing else: health-monitor.c (the object, its properties and
 * API), health-monitor-metrics.c (its metrics: adding, finding,
 * removing, measuring them for an operation) and health-monitor-apply.c
 * (applying a sample, judging it and telling).
 */

#pragma once

#include "health-backend-private.h"
#include "health-builtins-private.h"
#include "health-judge-private.h"
#include "health-monitor-private.h"
#include "health-sampler-private.h"
#include "health-tracker-private.h"

G_BEGIN_DECLS

/* Everything the monitor keeps about one of its metrics. */
typedef struct
{
  HealthMetric     *metric;
  int               builtin_id;    /* a HealthBuiltinId, or -1 for the app's */
  int               scope;         /* the metric's HealthScope, -1 until read */
  HealthSampleFunc  sample;        /* sampled on the main context, or NULL */
  gpointer          user_data;
  GDestroyNotify    destroy;
  gboolean          on_worker;     /* sampled on the worker, by the sampler's func */
  HealthAlertState  alert;
} MetricEntry;

struct _HealthMonitor
{
  GObject          parent_instance;

  GMainContext    *context;
  HealthBackend   *backend;        /* where the figures come from */
  HealthSampler   *sampler;        /* the local one, idle under a mirror */
  GListStore      *metrics;        /* the public list */
  GPtrArray       *entries;        /* of MetricEntry, owned, in the list's order */
  GHashTable      *entries_by_id;  /* id → MetricEntry */
  MetricEntry     *builtin_entries[HEALTH_N_BUILTIN_IDS];  /* NULL when not there */
  HealthTracker   *tracker;

  char            *proc_root;
  char            *disk_path;      /* a GRefString, shared with jobs */
  HealthBuiltin    builtin;
  guint            interval;
  guint            history_size;
  guint            alert_cooldown;
  guint            emergency_after;
  double           trend_min_span;

  HealthStatus     status;

  /* Figures the monitor knows itself, for the sample being applied; the
   * snapshot is the worker's and stays as the worker wrote it. */
  double           main_loop_latency_ms;
  double           monitor_cost;

  /* The sample being applied and told; stop() moves the generation on. */
  guint            generation;
  HealthTelling   *telling;        /* verdicts awaiting culprits */
  HealthTelling   *spare_telling;  /* the last one, emptied, for the next */
  const char      *no_swap_detail; /* translated, once needed */
  gint64           last_sample_mono_us;
  gint64           pending_main_cpu_ns;

  guint            active : 1;
  guint            applying : 1;
};

/* health-monitor-metrics.c */
void          health_monitor_entry_free       (MetricEntry          *entry);
MetricEntry  *health_monitor_get_entry        (HealthMonitor        *self,
                                               HealthMetric         *metric);
HealthMetric *health_monitor_lookup_builtin   (HealthMonitor        *self,
                                               HealthBuiltinId       id);
void          health_monitor_create_builtins  (HealthMonitor        *self);

/* health-monitor-apply.c */
void          health_monitor_update_status    (HealthMonitor        *self,
                                               gint64                now_mono_us);
void          health_monitor_metric_changed   (HealthMonitor        *self,
                                               HealthMetric         *metric,
                                               HealthStatus          old_status);
void          health_monitor_apply_sample     (HealthMonitor        *self,
                                               const HealthSnapshot *snapshot,
                                               HealthWorkerJob      *job,
                                               gint64                tick_lateness_us);

G_END_DECLS
