/* health-monitor-apply.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * A sample back on the monitor's context: the values applied to the
 * metrics, each metric judged, and, once the culprits are in, the
 * verdicts, the overall status and `sampled` told together; likewise
 * for a metric the app updates between samples.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#ifdef HAVE_MALLOC_TRIM
# include <malloc.h>
#endif

#include "health-alert-private.h"
#include "health-clock-private.h"
#include "health-metric-private.h"
#include "health-monitor-impl-private.h"

/* Judging and telling */

static gboolean
is_memory_metric (HealthMonitor *self,
                  HealthMetric  *metric)
{
  MetricEntry *entry = health_monitor_get_entry (self, metric);

  return entry != NULL &&
         (entry->builtin_id == HEALTH_BUILTIN_ID_MEMORY_USAGE ||
          entry->builtin_id == HEALTH_BUILTIN_ID_MEMORY_AVAILABLE ||
          entry->builtin_id == HEALTH_BUILTIN_ID_MEMORY_PRESSURE);
}

/* One of the figures about the machine, at least one of which the
 * overall status needs known: a disk alone does not tell of a machine. */
static gboolean
is_machine_figure (MetricEntry *entry)
{
  /* The scope is construct-only: read once, not twice a sample. */
  if (entry->scope < 0)
    entry->scope = health_metric_get_scope (entry->metric);

  return entry->scope == HEALTH_SCOPE_SYSTEM &&
         entry->builtin_id != HEALTH_BUILTIN_ID_DISK_USAGE;
}

void
health_monitor_update_status (HealthMonitor *self,
                              gint64         now_mono_us)
{
  HealthJudgeTally tally;
  HealthStatus status;

  health_judge_tally_init (&tally);
  for (guint i = 0; i < self->entries->len; i++)
    {
      MetricEntry *entry = g_ptr_array_index (self->entries, i);

      health_judge_tally_add (&tally, entry->metric, is_machine_figure (entry),
                              self->emergency_after, now_mono_us);
    }
  status = health_judge_tally_finish (&tally);

  health_monitor_deliver (self, &(HealthEvent) { HEALTH_EVENT_STATUS, status, NULL, NULL });
}

static void
monitor_emit_alert (HealthMonitor *self,
                    HealthMetric  *metric,
                    HealthStatus   status,
                    const char    *culprit,
                    gint64         time_us)
{
  g_autoptr(HealthAlert) alert = health_alert_new (metric, status, culprit, time_us);

  /* The signal is how apps learn of it; the log is for whoever asks
   * (G_MESSAGES_DEBUG=Health). */
  g_info ("%s: %s", health_status_to_string (status), health_alert_get_message (alert));

  health_monitor_deliver (self, &(HealthEvent) { HEALTH_EVENT_ALERT, status, metric, alert });

  if (status == HEALTH_STATUS_CRITICAL && is_memory_metric (self, metric))
    {
#ifdef HAVE_MALLOC_TRIM
      /* Our share of the emergency cleanup: give freed heap back. */
      malloc_trim (0);
#endif
      health_monitor_deliver (self, &(HealthEvent) { HEALTH_EVENT_LOW_MEMORY, status, NULL, NULL });
    }
}

static void
monitor_judge_entry (HealthMonitor    *self,
                     MetricEntry      *entry,
                     const HealthTime *now,
                     GArray           *verdicts)
{
  health_judge_metric (entry->metric, &entry->alert,
                       health_judge_get_culprit_kind (entry->builtin_id),
                       self->alert_cooldown, now, verdicts);
}

/* Emits the verdicts, then the overall status. Stops short when a
 * handler stops the monitor: after stop() returns, nothing is emitted. */
static gboolean
monitor_emit_verdicts (HealthMonitor *self,
                       GArray        *verdicts,
                       char * const  *culprits,
                       gint64         time_us,
                       gint64         now_mono_us)
{
  guint generation = self->generation;

  for (guint i = 0; i < verdicts->len && generation == self->generation; i++)
    {
      const HealthVerdict *verdict = &g_array_index (verdicts, HealthVerdict, i);

      /* Removed meanwhile, by a handler or while a culprit was sought. */
      if (health_metric_get_monitor (verdict->metric) != self)
        continue;

      if (verdict->status == HEALTH_STATUS_GOOD)
        health_monitor_deliver (self, &(HealthEvent) { HEALTH_EVENT_RECOVERED, verdict->status, verdict->metric, NULL });
      else
        monitor_emit_alert (self, verdict->metric, verdict->status,
                            verdict->kind >= 0 && culprits != NULL ? culprits[verdict->kind] : NULL,
                            time_us);
    }

  if (generation != self->generation)
    return FALSE;

  health_monitor_update_status (self, now_mono_us);

  return generation == self->generation;
}

/* A metric changed outside a sample: the app updated it, or its rules
 * changed. */
void
health_monitor_metric_changed (HealthMonitor *self,
                               HealthMetric  *metric,
                               HealthStatus   old_status)
{
  g_autoptr(GArray) verdicts = NULL;
  MetricEntry *entry = health_monitor_get_entry (self, metric);
  HealthTime now;

  /* During a sample, the sample judges everything once at its end. */
  if (self->applying || entry == NULL)
    return;

  health_clock_now (&now);
  g_object_ref (self);
  verdicts = health_verdicts_new ();
  monitor_judge_entry (self, entry, &now, verdicts);
  monitor_emit_verdicts (self, verdicts, NULL, now.real_us, now.monotonic_us);
  g_object_unref (self);
}

/* Telling: once the culprits are in, the sample's verdicts, its overall
 * status and `sampled` go out together. Until then the sample counts as
 * in flight. */

/* Why none of the machine's figures could be read in the sample just
 * told; NULL when some could, or when the monitor reads none. */
static char *
monitor_dup_probe_failure (HealthMonitor *self)
{
  guint n_figures = 0;

  for (guint i = 0; i < self->entries->len; i++)
    {
      MetricEntry *entry = g_ptr_array_index (self->entries, i);

      if (!is_machine_figure (entry))
        continue;
      if (health_metric_get_status (entry->metric) != HEALTH_STATUS_UNKNOWN)
        return NULL;
      n_figures++;
    }

  return n_figures > 0 ? health_monitor_dup_unknown_reason (self) : NULL;
}

/* The callers of sample_async: the sample is applied either way, but
 * one that read nothing of the machine is an error a caller can act on
 * (a wrong proc-root, a container without /proc). */
static void
monitor_return_waiters (HealthMonitor *self,
                        GPtrArray     *waiters)
{
  g_autofree char *failure = NULL;

  if (waiters == NULL || (failure = monitor_dup_probe_failure (self)) == NULL)
    {
      health_sampler_return_waiters (waiters);
      return;
    }

  for (guint i = 0; i < waiters->len; i++)
    g_task_return_new_error (g_ptr_array_index (waiters, i), HEALTH_ERROR, HEALTH_ERROR_PROBE_FAILED,
                             "%s", failure);
}

static void
monitor_tell (GObject       *owner,
              HealthTelling *telling)
{
  HealthMonitor *self = HEALTH_MONITOR (owner);
  g_autoptr(GPtrArray) waiters = health_sampler_steal_waiters (self->sampler);

  g_assert (self->telling == telling);
  self->telling = NULL;

  /* From here on, a handler may start the next sample. */
  health_sampler_release (self->sampler);

  g_object_ref (self);

  if (monitor_emit_verdicts (self, telling->verdicts, telling->culprits,
                             telling->time_us, telling->mono_us))
    health_monitor_deliver (self, &(HealthEvent) { HEALTH_EVENT_SAMPLED, self->status, NULL, NULL });

  health_telling_recycle (telling, &self->spare_telling);
  monitor_return_waiters (self, waiters);

  g_object_unref (self);
}

/* Applying a sample */

static void
monitor_apply_machine_facts (HealthMonitor        *self,
                             const HealthSnapshot *snapshot)
{
  HealthMetric *metric;

  metric = health_monitor_lookup_builtin (self, HEALTH_BUILTIN_ID_PROCESS_MEMORY);
  if (metric != NULL && snapshot->mem_total_bytes > 0)
    health_metric_set_default_thresholds (metric,
                                          HEALTH_PROCESS_MEMORY_WARNING_RATIO * snapshot->mem_total_bytes,
                                          HEALTH_PROCESS_MEMORY_CRITICAL_RATIO * snapshot->mem_total_bytes);

  metric = health_monitor_lookup_builtin (self, HEALTH_BUILTIN_ID_SWAP_USAGE);
  if (metric != NULL && snapshot->swap_present >= 0)
    {
      /* Translated once: gettext on every sample cost a tenth of
       * applying all the values. */
      if (!snapshot->swap_present && self->no_swap_detail == NULL)
        self->no_swap_detail = _("no swap");
      health_metric_set_detail (metric, snapshot->swap_present ? NULL : self->no_swap_detail);
    }

  metric = health_monitor_lookup_builtin (self, HEALTH_BUILTIN_ID_OPEN_FILES);
  if (metric != NULL && snapshot->nofile_limit > 0)
    health_metric_set_default_thresholds (metric,
                                          floor (HEALTH_OPEN_FILES_WARNING_RATIO * snapshot->nofile_limit),
                                          floor (HEALTH_OPEN_FILES_CRITICAL_RATIO * snapshot->nofile_limit));
}

/* Applying a sample calls user code: sampled functions, and the notify
 * handlers of the metrics. Any of it may stop or dispose the monitor
 * (stop() moves the generation on; dispose() stops first), after which
 * the sample is dropped as one that comes back late is. */
static gboolean
monitor_apply_abandoned (HealthMonitor *self,
                         guint          generation)
{
  if (generation == self->generation)
    return FALSE;

  self->applying = FALSE;
  if (self->telling == NULL)
    health_sampler_release (self->sampler);

  /* Restarted from inside: the next tick samples. */
  return TRUE;
}

/* The value of a built-in metric in this sample: the worker's, but for
 * the figures only the monitor knows. */
static double
monitor_builtin_value (HealthMonitor        *self,
                       const HealthSnapshot *snapshot,
                       HealthBuiltinId       id)
{
  switch (id)
    {
    case HEALTH_BUILTIN_ID_MAIN_LOOP_LATENCY:
      return self->main_loop_latency_ms;
    case HEALTH_BUILTIN_ID_TRACKED_OBJECTS:
      return health_tracker_count (self->tracker);
    case HEALTH_BUILTIN_ID_MONITOR_COST:
      return self->monitor_cost;
    default:
      return snapshot->values[id];
    }
}

/* Applies the values of the built-in entries, or of those sampled on
 * the main context. Their notify handlers and the sampling functions may
 * remove metrics (the one at hand included) or stop the monitor: the
 * walk goes on from where it was, or stops. */
static void
monitor_apply_entries (HealthMonitor        *self,
                       guint                 generation,
                       gboolean              sampled,
                       const HealthSnapshot *snapshot,
                       const HealthTime     *now)
{
  for (guint i = 0; generation == self->generation && i < self->entries->len; i++)
    {
      MetricEntry *entry = g_ptr_array_index (self->entries, i);
      g_autoptr(HealthMetric) held = NULL;
      HealthMetric *metric = entry->metric;
      double value;

      if (sampled ? entry->sample == NULL : entry->builtin_id < 0)
        continue;

      /* The sampling function is the app's code and may remove the
       * metric; applying holds the metric itself while it notifies. */
      if (sampled)
        {
          held = g_object_ref (metric);
          value = entry->sample (metric, entry->user_data);
        }
      else
        {
          value = monitor_builtin_value (self, snapshot, entry->builtin_id);
        }

      if (generation != self->generation)
        break;

      if (health_metric_get_monitor (metric) == self)
        health_metric_apply (metric, value, now);
      if (generation == self->generation &&
          i < self->entries->len && g_ptr_array_index (self->entries, i) != entry)
        i--;
    }
}

void
health_monitor_apply_sample (HealthMonitor        *self,
                             const HealthSnapshot *snapshot,
                             HealthWorkerJob      *job,
                             gint64                tick_lateness_us)
{
  guint generation = self->generation;
  gint64 start_us = g_get_monotonic_time ();
  gint64 delivery_us = start_us - snapshot->done_mono_us;
  HealthTelling *telling;
  HealthTime now;

  health_clock_now (&now);

  /* How late a tick's figures came here, less the sampling (the
   * sampler's lateness), or how long a result waited once back: either
   * is the main loop keeping the monitor waiting. */
  self->main_loop_latency_ms = MAX (tick_lateness_us, delivery_us) / 1000.0;
  /* A share of the time since the previous sample: unknown for the first. */
  self->monitor_cost = NAN;
  if (self->last_sample_mono_us != 0 && snapshot->done_mono_us > self->last_sample_mono_us)
    self->monitor_cost =
      100.0 * (snapshot->worker_cpu_ns + self->pending_main_cpu_ns) / 1000.0 /
      (double) (snapshot->done_mono_us - self->last_sample_mono_us);
  self->last_sample_mono_us = snapshot->done_mono_us;

  self->applying = TRUE;

  monitor_apply_machine_facts (self, snapshot);

  monitor_apply_entries (self, generation, FALSE, snapshot, &now);

  if (job->funcs != NULL)
    {
      for (guint i = 0; i < job->funcs->len && generation == self->generation; i++)
        {
          HealthWorkerFunc *func = g_ptr_array_index (job->funcs, i);

          /* Removed while the sample was out: nothing to update. */
          if (health_metric_get_monitor (func->metric) == self)
            health_metric_apply (func->metric, func->value, &now);
        }
    }

  monitor_apply_entries (self, generation, TRUE, snapshot, &now);

  if (monitor_apply_abandoned (self, generation))
    return;

  self->applying = FALSE;

  telling = health_telling_new (&now, &self->spare_telling);
  /* Judging emits nothing, so the metrics cannot change under it. */
  for (guint i = 0; i < self->entries->len; i++)
    monitor_judge_entry (self, g_ptr_array_index (self->entries, i), &now, telling->verdicts);

  /* The main thread's share: applying and judging wait on nothing, so
   * the time they took is the thread's CPU time, read without the system
   * call that a thread's CPU clock costs. */
  self->pending_main_cpu_ns = (g_get_monotonic_time () - start_us) * 1000;

  g_assert (self->telling == NULL);
  self->telling = telling;
  health_telling_seek_culprits (telling, G_OBJECT (self), self->context,
                                health_sampler_get_worker (self->sampler), monitor_tell);
}


/**
 * health_monitor_dup_unknown_reason:
 * @self: a monitor
 *
 * Says why the overall status is %HEALTH_STATUS_UNKNOWN, for a person:
 * which figures of the machine could not be read, and where they were
 * looked for. Front ends print it once rather than calling an
 * unreadable machine healthy.
 *
 * Returns: (transfer full) (nullable): the reason, translated, or %NULL
 *   when the status is known
 *
 * Since: 1.0
 */
char *
health_monitor_dup_unknown_reason (HealthMonitor *self)
{
  HealthMetric *builtins[HEALTH_N_BUILTIN_IDS];

  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  if (self->status != HEALTH_STATUS_UNKNOWN)
    return NULL;

  for (guint id = 0; id < HEALTH_N_BUILTIN_IDS; id++)
    builtins[id] = health_monitor_lookup_builtin (self, id);

  return health_judge_dup_unknown_reason (builtins, self->entries->len,
                                          self->proc_root, self->disk_path);
}
