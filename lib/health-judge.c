/* health-judge.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "health-builtins-private.h"
#include "health-judge-private.h"
#include "health-text-private.h"

/* Verdicts */

static void
verdict_clear (HealthVerdict *verdict)
{
  g_clear_object (&verdict->metric);
}

GArray *
health_verdicts_new (void)
{
  GArray *verdicts = g_array_new (FALSE, FALSE, sizeof (HealthVerdict));

  g_array_set_clear_func (verdicts, (GDestroyNotify) verdict_clear);

  return verdicts;
}

/* Which processes to name when a built-in metric alerts; -1 for none. */
int
health_judge_get_culprit_kind (int builtin_id)
{
  switch (builtin_id)
    {
    case HEALTH_BUILTIN_ID_MEMORY_USAGE:
    case HEALTH_BUILTIN_ID_MEMORY_AVAILABLE:
    case HEALTH_BUILTIN_ID_MEMORY_PRESSURE:
      return HEALTH_CULPRIT_MEMORY;
    case HEALTH_BUILTIN_ID_SWAP_USAGE:
      return HEALTH_CULPRIT_SWAP;
    case HEALTH_BUILTIN_ID_CPU_USAGE:
    case HEALTH_BUILTIN_ID_CPU_PRESSURE:
    case HEALTH_BUILTIN_ID_LOAD_AVERAGE:
      return HEALTH_CULPRIT_CPU;
    case HEALTH_BUILTIN_ID_IO_PRESSURE:
      return HEALTH_CULPRIT_IO;
    default:
      return -1;
    }
}

/* At most one alert per (metric, status) per cooldown: a metric that
 * stays critical is reminded of once per cooldown, as the seed did, and
 * one that flaps does not flood. */
void
health_judge_metric (HealthMetric     *metric,
                     HealthAlertState *state,
                     int               culprit_kind,
                     guint             alert_cooldown_s,
                     const HealthTime *now,
                     GArray           *verdicts)
{
  HealthStatus status = health_metric_get_status (metric);
  HealthVerdict verdict = { NULL, status, -1 };

  if (status == HEALTH_STATUS_WARNING || status == HEALTH_STATUS_CRITICAL)
    {
      gint64 last = state->last_alert[status];

      if (last != 0 && now->monotonic_us - last < (gint64) alert_cooldown_s * G_USEC_PER_SEC)
        return;

      state->last_alert[status] = now->monotonic_us;
      state->alerted = TRUE;
      verdict.kind = culprit_kind;
    }
  else if (status == HEALTH_STATUS_GOOD && state->alerted)
    {
      state->alerted = FALSE;
    }
  else
    {
      return;
    }

  verdict.metric = g_object_ref (metric);
  g_array_append_val (verdicts, verdict);
}

/* The overall status */

/* A critical metric is an emergency once it has stayed critical for
 * emergency-after seconds, or sooner when its trend takes it to its
 * physical bound (memory full, nothing available) within that time. The
 * first critical sample has no trend yet, so it is never one. */
static gboolean
judge_is_emergency (HealthMetric *metric,
                    guint         emergency_after_s,
                    gint64        now_mono_us)
{
  gint64 critical_for = now_mono_us - health_metric_get_status_since (metric);
  double to_bound;

  if (critical_for >= (gint64) emergency_after_s * G_USEC_PER_SEC)
    return TRUE;

  to_bound = health_metric_get_seconds_to_bound (metric);

  return to_bound >= 0 && to_bound <= emergency_after_s;
}

void
health_judge_tally_init (HealthJudgeTally *tally)
{
  *tally = (HealthJudgeTally) { HEALTH_STATUS_UNKNOWN, FALSE, FALSE, 0, 0 };
}

/* @tells_of_system: whether the metric says something of the machine
 * as read from the proc root. The disk, read from the disk path, does
 * not: a readable disk says nothing of memory and processors. */
void
health_judge_tally_add (HealthJudgeTally *tally,
                        HealthMetric     *metric,
                        gboolean          tells_of_system,
                        guint             emergency_after_s,
                        gint64            now_mono_us)
{
  HealthStatus status = health_metric_get_status (metric);

  if (tells_of_system)
    {
      tally->n_system++;
      tally->n_system_known += status != HEALTH_STATUS_UNKNOWN;
    }

  if (status == HEALTH_STATUS_UNKNOWN)
    return;

  if (status == HEALTH_STATUS_CRITICAL && judge_is_emergency (metric, emergency_after_s, now_mono_us))
    tally->emergency = TRUE;

  if (health_metric_is_worsening (metric))
    tally->worsening = TRUE;

  tally->worst = MAX (tally->worst, status);
}

HealthStatus
health_judge_tally_finish (HealthJudgeTally *tally)
{
  /* A machine none of whose figures could be read is not excellent: its
   * disk or its own process doing well says nothing about it. */
  if (tally->worst == HEALTH_STATUS_UNKNOWN || (tally->n_system > 0 && tally->n_system_known == 0))
    return HEALTH_STATUS_UNKNOWN;
  if (tally->emergency)
    return HEALTH_STATUS_EMERGENCY;
  if (tally->worst == HEALTH_STATUS_GOOD && !tally->worsening)
    return HEALTH_STATUS_EXCELLENT;

  return tally->worst;
}

/* Why the overall status is unknown, when it is: @builtins is indexed by
 * HealthBuiltinId, NULL where the monitor has none. */
char *
health_judge_dup_unknown_reason (HealthMetric * const *builtins,
                                 guint                 n_metrics,
                                 const char           *proc_root,
                                 const char           *disk_path)
{
  g_autoptr(GPtrArray) sources = NULL;
  g_autofree char *list = NULL;
  g_autofree char *clean = NULL;

  if (n_metrics == 0)
    return g_strdup (_("The monitor has no metric"));

  sources = g_ptr_array_new_with_free_func (g_free);
  for (guint id = 0; id < HEALTH_N_BUILTIN_IDS; id++)
    {
      HealthMetric *metric = builtins[id];
      const HealthBuiltinInfo *info = health_builtin_get_info (id);
      char *source;

      if (metric == NULL || health_metric_get_scope (metric) != HEALTH_SCOPE_SYSTEM ||
          health_metric_get_status (metric) != HEALTH_STATUS_UNKNOWN)
        continue;

      if (info->source != NULL)
        source = g_build_filename (proc_root, info->source, NULL);
      else
        source = g_strdup (disk_path);

      if (!g_ptr_array_find_with_equal_func (sources, source, g_str_equal, NULL))
        g_ptr_array_add (sources, source);
      else
        g_free (source);
    }

  if (sources->len == 0)
    return g_strdup (_("No metric has a value yet"));

  g_ptr_array_add (sources, NULL);
  list = g_strjoinv (", ", (char **) sources->pdata);
  /* Paths that whoever set HEALTH_PROC_ROOT chose. */
  clean = health_text_sanitize (list, -1);

  /* TRANSLATORS: %s is a list of files, such as "/proc/meminfo, /proc/stat" */
  return g_strdup_printf (_("Nothing about the machine could be read: %s are missing or unreadable (the proc root is set with HEALTH_PROC_ROOT)"),
                          clean);
}

/* Telling. A sample's verdicts, its overall status and `sampled` go out
 * together once the sample is applied. An alert of a memory, swap, CPU
 * or I/O metric first names the process most responsible: a one-off scan
 * of /proc on the worker pool, when the alert is due, never per sample;
 * the telling waits for it at most CULPRIT_WAIT_MS. */

#define CULPRIT_WAIT_MS 200

typedef struct
{
  HealthTelling           pub;
  guint                   ref_count;     /* the owner's, and each scan's */
  GWeakRef                owner;
  HealthTellingReadyFunc  ready;
  guint                   scans_pending;
  GSource                *timeout;
  gboolean                done;          /* told, or dropped by the owner */
} Telling;

/* A scan on the pool, in one or two steps: a CPU or I/O culprit's two
 * readings are RATE_GAP_US apart, waited for on the owner's context
 * rather than asleep on a pool thread. */
typedef struct
{
  Telling           *telling;
  HealthCulpritKind  kind;
  HealthWorker      *worker;
  HealthCulpritScan *scan;
  GMainContext      *context;
  gint64             wait_us;
} CulpritScan;

/* @spare: a telling health_telling_recycle() kept, taken if not NULL. */
HealthTelling *
health_telling_new (const HealthTime  *now,
                    HealthTelling    **spare)
{
  Telling *self = (Telling *) g_steal_pointer (spare);

  if (self == NULL)
    {
      self = g_new0 (Telling, 1);
      self->ref_count = 1;
      g_weak_ref_init (&self->owner, NULL);
      self->pub.verdicts = health_verdicts_new ();
    }

  self->pub.time_us = now->real_us;
  self->pub.mono_us = now->monotonic_us;

  return &self->pub;
}

static void
telling_stop_waiting (Telling *self)
{
  self->done = TRUE;
  if (self->timeout != NULL)
    {
      g_source_destroy (self->timeout);
      g_clear_pointer (&self->timeout, g_source_unref);
    }
}

static void
telling_unref (Telling *self)
{
  if (--self->ref_count > 0)
    return;

  for (guint i = 0; i < HEALTH_N_CULPRIT_KINDS; i++)
    g_free (self->pub.culprits[i]);
  g_array_unref (self->pub.verdicts);
  g_weak_ref_clear (&self->owner);
  g_free (self);
}

/* The owner lets go: nothing calls it back any more. */
void
health_telling_free (HealthTelling *telling)
{
  Telling *self = (Telling *) telling;

  telling_stop_waiting (self);
  telling_unref (self);
}

/* As health_telling_free(), but a telling that no scan holds any more
 * goes, emptied, to *@spare when that is free, for health_telling_new()
 * to take again: a sample's telling and its verdicts' array were two of
 * the allocations of every sample. */
void
health_telling_recycle (HealthTelling  *telling,
                        HealthTelling **spare)
{
  Telling *self = (Telling *) telling;

  telling_stop_waiting (self);
  if (*spare != NULL || self->ref_count > 1)
    {
      telling_unref (self);
      return;
    }

  for (guint i = 0; i < HEALTH_N_CULPRIT_KINDS; i++)
    g_clear_pointer (&self->pub.culprits[i], g_free);
  /* Drops the verdicts' metrics, as freeing them would. */
  g_array_set_size (self->pub.verdicts, 0);
  if (self->ready != NULL)
    g_weak_ref_set (&self->owner, NULL);
  self->ready = NULL;
  self->scans_pending = 0;
  self->done = FALSE;

  *spare = telling;
}

static void
telling_tell (Telling *self)
{
  g_autoptr(GObject) owner = g_weak_ref_get (&self->owner);

  telling_stop_waiting (self);

  if (owner != NULL)
    self->ready (owner, &self->pub);
}

static gboolean
telling_wait_over (gpointer user_data)
{
  telling_tell (user_data);

  return G_SOURCE_REMOVE;
}

static void
culprit_scan_free (CulpritScan *scan)
{
  telling_unref (scan->telling);
  health_culprit_scan_free (scan->scan);
  health_worker_unref (scan->worker);
  g_main_context_unref (scan->context);
  g_free (scan);
}

static void
culprit_begin_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  CulpritScan *scan = task_data;

  scan->wait_us = health_culprit_scan_begin (scan->scan, health_worker_get_context (scan->worker));
  g_task_return_boolean (task, TRUE);
}

static void
culprit_finish_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  CulpritScan *scan = task_data;
  char culprit[HEALTH_CULPRIT_MAX];

  if (!health_culprit_scan_finish (scan->scan, health_worker_get_context (scan->worker),
                                   culprit, sizeof culprit))
    culprit[0] = '\0';

  g_task_return_pointer (task, g_strdup (culprit), g_free);
}

static void culprit_finish_done (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data);

static void
culprit_scan_run (CulpritScan         *scan,
                  GAsyncReadyCallback  done,
                  GTaskThreadFunc      func)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, done, scan);

  g_task_set_name (task, "[health] culprit");
  g_task_set_task_data (task, scan, NULL);
  g_task_run_in_thread (task, func);
}

static gboolean
culprit_wait_over (gpointer user_data)
{
  CulpritScan *scan = user_data;

  if (scan->telling->done)
    culprit_scan_free (scan);
  else
    culprit_scan_run (scan, culprit_finish_done, culprit_finish_thread);

  return G_SOURCE_REMOVE;
}

static void
culprit_begin_done (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  CulpritScan *scan = user_data;
  GSource *wait;

  g_task_propagate_boolean (G_TASK (result), NULL);

  if (scan->telling->done)
    {
      culprit_scan_free (scan);
      return;
    }

  if (scan->wait_us == 0)
    {
      culprit_scan_run (scan, culprit_finish_done, culprit_finish_thread);
      return;
    }

  /* The telling's own wait is longer: this one always ends. */
  wait = g_timeout_source_new ((scan->wait_us + 999) / 1000);
  g_source_set_static_name (wait, "[health] culprit rate");
  g_source_set_callback (wait, culprit_wait_over, scan, NULL);
  g_source_attach (wait, scan->context);
  g_source_unref (wait);
}

static void
culprit_finish_done (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  CulpritScan *scan = user_data;
  Telling *self = scan->telling;
  g_autofree char *culprit = g_task_propagate_pointer (G_TASK (result), NULL);

  /* Too late: the telling went without it, or the owner dropped it. */
  if (!self->done)
    {
      self->pub.culprits[scan->kind] = g_steal_pointer (&culprit);
      if (--self->scans_pending == 0)
        telling_tell (self);
    }

  culprit_scan_free (scan);
}

/* Calls @ready on @owner once the culprits that the verdicts want are
 * found, or after CULPRIT_WAIT_MS; at once when none is wanted. Scans
 * come back to @owner's @context (the caller's: asserted) through a weak
 * reference, and find it gone or the telling dropped. */
void
health_telling_seek_culprits (HealthTelling          *telling,
                              GObject                *owner,
                              GMainContext           *context,
                              HealthWorker           *worker,
                              HealthTellingReadyFunc  ready)
{
  Telling *self = (Telling *) telling;
  gboolean wanted[HEALTH_N_CULPRIT_KINDS] = { FALSE, };

  guint n_wanted = 0;

  g_return_if_fail (health_main_context_is_current (context));

  for (guint i = 0; i < telling->verdicts->len; i++)
    {
      const HealthVerdict *verdict = &g_array_index (telling->verdicts, HealthVerdict, i);

      if (verdict->kind >= 0 && !wanted[verdict->kind])
        {
          wanted[verdict->kind] = TRUE;
          n_wanted++;
        }
    }

  /* Most samples: nothing to wait for, nothing that comes back. */
  if (n_wanted == 0)
    {
      self->done = TRUE;
      ready (owner, telling);
      return;
    }

  g_weak_ref_set (&self->owner, owner);
  self->ready = ready;

  for (guint kind = 0; kind < HEALTH_N_CULPRIT_KINDS; kind++)
    {
      CulpritScan *scan;

      if (!wanted[kind])
        continue;

      scan = g_new0 (CulpritScan, 1);
      scan->telling = self;
      self->ref_count++;
      scan->kind = kind;
      scan->worker = health_worker_ref (worker);
      scan->scan = health_culprit_scan_new (kind);
      scan->context = g_main_context_ref (context);
      self->scans_pending++;

      culprit_scan_run (scan, culprit_begin_done, culprit_begin_thread);
    }

  self->timeout = g_timeout_source_new (CULPRIT_WAIT_MS);
  g_source_set_static_name (self->timeout, "[health] culprit wait");
  g_source_set_callback (self->timeout, telling_wait_over, self, NULL);
  g_source_attach (self->timeout, context);
}
