/* health-monitor.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-alert.h"
#include "health-enum-types.h"
#include "health-metric-private.h"
#include "health-monitor-impl-private.h"
#include "health-worker-private.h"

/**
 * HealthMonitor:
 *
 * Samples metrics, keeps their history, judges them and tells.
 *
 * A monitor measures its built-in metrics (memory, swap, CPU, load,
 * disk, pressure stall, its own process, main-loop latency...) on a
 * worker thread once per [property@Health.Monitor:interval], together
 * with the metrics an app adds, and applies each sample on the main
 * context that was the thread-default one when it was made. There, and
 * only there, metrics change and signals are emitted:
 * [signal@Health.Monitor::sampled] once per sample,
 * [signal@Health.Monitor::status-changed],
 * [signal@Health.Monitor::alert] and [signal@Health.Monitor::recovered]
 * (detailed by metric id) and [signal@Health.Monitor::low-memory].
 *
 * ```c
 * g_autoptr(HealthMonitor) monitor = health_monitor_new ();
 *
 * g_signal_connect (monitor, "alert::memory-usage", G_CALLBACK (on_alert), NULL);
 * health_monitor_start (monitor);
 * ```
 *
 * The overall [property@Health.Monitor:status] is the worst status of
 * the metrics whose value is known; %HEALTH_STATUS_EMERGENCY when one
 * has been critical for [property@Health.Monitor:emergency-after]
 * seconds, or is critical and its trend reaches its
 * [property@Health.Metric:bound] within that time (the first critical
 * sample never is one); %HEALTH_STATUS_EXCELLENT when all are good and
 * none is heading toward its warning threshold;
 * %HEALTH_STATUS_UNKNOWN when nothing is known, or when none of the
 * machine's figures could be read (see
 * [method@Health.Monitor.dup_unknown_reason]).
 *
 * Since: 1.0
 */

#define DEFAULT_INTERVAL_MS        30000
#define DEFAULT_HISTORY_SIZE       100
#define DEFAULT_ALERT_COOLDOWN_S   300
#define DEFAULT_EMERGENCY_AFTER_S  60
#define DEFAULT_TREND_MIN_SPAN_S   30.0

G_DEFINE_FINAL_TYPE (HealthMonitor, health_monitor, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_INTERVAL,
  PROP_HISTORY_SIZE,
  PROP_ALERT_COOLDOWN,
  PROP_EMERGENCY_AFTER,
  PROP_TREND_MIN_SPAN,
  PROP_BUILTIN,
  PROP_PROC_ROOT,
  PROP_DISK_PATH,
  PROP_ACTIVE,
  PROP_STATUS,
  PROP_METRICS,
  PROP_OVERRUNS,
  LAST_PROP
};

enum {
  SAMPLED,
  STATUS_CHANGED,
  ALERT,
  RECOVERED,
  LOW_MEMORY,
  N_SIGNALS
};

static GParamSpec *props[LAST_PROP];
static guint signals[N_SIGNALS];

/* The sample in flight */

/* The sampler's one way back. */
static void
monitor_sample_delivered (GObject              *owner,
                          const HealthSnapshot *snapshot,
                          HealthWorkerJob      *job,
                          gint64                lateness_us)
{
  /* Still in flight until told. */
  health_monitor_apply_sample (HEALTH_MONITOR (owner), snapshot, job, lateness_us);
}

static void
monitor_sample_overran (GObject *owner)
{
  g_object_notify_by_pspec (owner, props[PROP_OVERRUNS]);
}

/* GObject */

static void
health_monitor_constructed (GObject *object)
{
  HealthMonitor *self = HEALTH_MONITOR (object);

  G_OBJECT_CLASS (health_monitor_parent_class)->constructed (object);

  if (self->proc_root == NULL)
    {
      const char *env = g_getenv ("HEALTH_PROC_ROOT");

      self->proc_root = g_strdup (env != NULL && *env != '\0' ? env : "/proc");
    }

  if (self->disk_path == NULL)
    {
      g_autofree char *cwd = g_get_current_dir ();

      self->disk_path = g_ref_string_new (cwd);
    }

  self->sampler = health_sampler_new (G_OBJECT (self), self->context, self->proc_root, self->builtin,
                                      monitor_sample_delivered, monitor_sample_overran);
  health_sampler_set_disk_path (self->sampler, self->disk_path);
  health_sampler_set_interval (self->sampler, self->interval);
  self->backend = health_sampler_get_backend (self->sampler);
  health_monitor_create_builtins (self);
}

static void
health_monitor_dispose (GObject *object)
{
  HealthMonitor *self = HEALTH_MONITOR (object);

  health_monitor_stop (self);
  health_monitor_unexport (self);

  /* A mirror lets go of its remote now, not when the last reference
   * goes; the local sampler stays until finalize. */
  g_clear_pointer (&self->backend, health_backend_free);

  for (guint i = 0; i < self->entries->len; i++)
    {
      MetricEntry *entry = g_ptr_array_index (self->entries, i);

      health_metric_set_monitor (entry->metric, NULL, NULL);
      if (entry->on_worker)
        health_sampler_remove_worker_func (self->sampler, entry->metric);
    }
  g_hash_table_remove_all (self->entries_by_id);
  memset (self->builtin_entries, 0, sizeof self->builtin_entries);
  g_ptr_array_set_size (self->entries, 0);
  g_list_store_remove_all (self->metrics);

  G_OBJECT_CLASS (health_monitor_parent_class)->dispose (object);
}

static void
health_monitor_finalize (GObject *object)
{
  HealthMonitor *self = HEALTH_MONITOR (object);

  /* Here, not at dispose: a sample that comes back to a monitor alive
   * finds its sampler. The worker stays until the sample in flight ends. */
  g_clear_pointer (&self->sampler, health_sampler_free);
  g_clear_pointer (&self->spare_telling, health_telling_free);
  g_clear_object (&self->metrics);
  g_clear_pointer (&self->entries_by_id, g_hash_table_unref);
  g_clear_pointer (&self->entries, g_ptr_array_unref);
  g_clear_pointer (&self->tracker, health_tracker_unref);
  g_clear_pointer (&self->proc_root, g_free);
  g_clear_pointer (&self->disk_path, g_ref_string_release);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (health_monitor_parent_class)->finalize (object);
}

static void
health_monitor_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HealthMonitor *self = HEALTH_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      g_value_set_uint (value, self->interval);
      break;
    case PROP_HISTORY_SIZE:
      g_value_set_uint (value, self->history_size);
      break;
    case PROP_ALERT_COOLDOWN:
      g_value_set_uint (value, self->alert_cooldown);
      break;
    case PROP_EMERGENCY_AFTER:
      g_value_set_uint (value, self->emergency_after);
      break;
    case PROP_TREND_MIN_SPAN:
      g_value_set_double (value, self->trend_min_span);
      break;
    case PROP_BUILTIN:
      g_value_set_flags (value, self->builtin);
      break;
    case PROP_PROC_ROOT:
      g_value_set_string (value, self->proc_root);
      break;
    case PROP_DISK_PATH:
      g_value_set_string (value, self->disk_path);
      break;
    case PROP_ACTIVE:
      g_value_set_boolean (value, self->active);
      break;
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_METRICS:
      g_value_set_object (value, self->metrics);
      break;
    case PROP_OVERRUNS:
      g_value_set_uint (value, health_sampler_get_overruns (self->sampler));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_monitor_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HealthMonitor *self = HEALTH_MONITOR (object);

  switch (prop_id)
    {
    case PROP_INTERVAL:
      health_monitor_set_interval (self, g_value_get_uint (value));
      break;
    case PROP_HISTORY_SIZE:
      health_monitor_set_history_size (self, g_value_get_uint (value));
      break;
    case PROP_ALERT_COOLDOWN:
      health_monitor_set_alert_cooldown (self, g_value_get_uint (value));
      break;
    case PROP_EMERGENCY_AFTER:
      health_monitor_set_emergency_after (self, g_value_get_uint (value));
      break;
    case PROP_TREND_MIN_SPAN:
      health_monitor_set_trend_min_span (self, g_value_get_double (value));
      break;
    case PROP_BUILTIN:
      self->builtin = g_value_get_flags (value);
      break;
    case PROP_PROC_ROOT:
      self->proc_root = g_value_dup_string (value);
      break;
    case PROP_DISK_PATH:
      health_monitor_set_disk_path (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_monitor_class_init (HealthMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = health_monitor_constructed;
  object_class->dispose = health_monitor_dispose;
  object_class->finalize = health_monitor_finalize;
  object_class->get_property = health_monitor_get_property;
  object_class->set_property = health_monitor_set_property;

  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");

  /**
   * HealthMonitor:interval: (attributes org.gtk.Property.get=health_monitor_get_interval org.gtk.Property.set=health_monitor_set_interval)
   *
   * Milliseconds between samples while active.
   *
   * Since: 1.0
   */
  props[PROP_INTERVAL] =
    g_param_spec_uint ("interval", NULL, NULL,
                       HEALTH_MONITOR_MIN_INTERVAL, HEALTH_MONITOR_MAX_INTERVAL, DEFAULT_INTERVAL_MS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:history-size: (attributes org.gtk.Property.get=health_monitor_get_history_size org.gtk.Property.set=health_monitor_set_history_size)
   *
   * How many samples each metric keeps; applies to the metrics of the
   * monitor, built-in and added.
   *
   * Since: 1.0
   */
  props[PROP_HISTORY_SIZE] =
    g_param_spec_uint ("history-size", NULL, NULL,
                       1, 1 << 20, DEFAULT_HISTORY_SIZE,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:alert-cooldown: (attributes org.gtk.Property.get=health_monitor_get_alert_cooldown org.gtk.Property.set=health_monitor_set_alert_cooldown)
   *
   * Seconds during which a metric does not alert twice at the same status.
   *
   * Since: 1.0
   */
  props[PROP_ALERT_COOLDOWN] =
    g_param_spec_uint ("alert-cooldown", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_ALERT_COOLDOWN_S,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:emergency-after: (attributes org.gtk.Property.get=health_monitor_get_emergency_after org.gtk.Property.set=health_monitor_set_emergency_after)
   *
   * Seconds a metric must stay critical before the overall status turns
   * to %HEALTH_STATUS_EMERGENCY; sooner only when a critical metric's
   * trend reaches its [property@Health.Metric:bound] within that time.
   * The first critical sample is %HEALTH_STATUS_CRITICAL, never an
   * emergency (unless this is 0).
   *
   * Since: 1.0
   */
  props[PROP_EMERGENCY_AFTER] =
    g_param_spec_uint ("emergency-after", NULL, NULL,
                       0, G_MAXUINT, DEFAULT_EMERGENCY_AFTER_S,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:trend-min-span: (attributes org.gtk.Property.get=health_monitor_get_trend_min_span org.gtk.Property.set=health_monitor_set_trend_min_span)
   *
   * How many seconds of history the trends of the monitor's metrics need
   * (see [property@Health.Metric:trend-min-span]): no trend and no
   * forecast until five samples span this long. Setting it sets it on
   * every metric of the monitor.
   *
   * Since: 1.0
   */
  props[PROP_TREND_MIN_SPAN] =
    g_param_spec_double ("trend-min-span", NULL, NULL,
                         0, G_MAXDOUBLE, DEFAULT_TREND_MIN_SPAN_S,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:builtin: (attributes org.gtk.Property.get=health_monitor_get_builtin)
   *
   * Which built-in metrics the monitor creates.
   *
   * Since: 1.0
   */
  props[PROP_BUILTIN] =
    g_param_spec_flags ("builtin", NULL, NULL,
                        HEALTH_TYPE_BUILTIN, HEALTH_BUILTIN_DEFAULT,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:proc-root: (attributes org.gtk.Property.get=health_monitor_get_proc_root)
   *
   * Where the built-in probes read the kernel's figures. Defaults to the
   * environment variable `HEALTH_PROC_ROOT` when set, else `/proc`; tests
   * point it at a captured tree.
   *
   * Since: 1.0
   */
  props[PROP_PROC_ROOT] =
    g_param_spec_string ("proc-root", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:disk-path: (attributes org.gtk.Property.get=health_monitor_get_disk_path org.gtk.Property.set=health_monitor_set_disk_path)
   *
   * A path on the file system whose usage `disk-usage` reports; defaults
   * to the working directory.
   *
   * Since: 1.0
   */
  props[PROP_DISK_PATH] =
    g_param_spec_string ("disk-path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:active: (attributes org.gtk.Property.get=health_monitor_get_active)
   *
   * Whether the monitor samples periodically; see
   * [method@Health.Monitor.start].
   *
   * Since: 1.0
   */
  props[PROP_ACTIVE] =
    g_param_spec_boolean ("active", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:status: (attributes org.gtk.Property.get=health_monitor_get_status)
   *
   * The overall status.
   *
   * Since: 1.0
   */
  props[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL,
                       HEALTH_TYPE_STATUS, HEALTH_STATUS_UNKNOWN,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:metrics: (attributes org.gtk.Property.get=health_monitor_get_metrics)
   *
   * The metrics of the monitor, as a list model of [class@Health.Metric]
   * that list widgets bind to directly. Read-only: change it with
   * [method@Health.Monitor.add_metric] and
   * [method@Health.Monitor.remove_metric].
   *
   * Since: 1.0
   */
  props[PROP_METRICS] =
    g_param_spec_object ("metrics", NULL, NULL,
                         G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  /**
   * HealthMonitor:overruns: (attributes org.gtk.Property.get=health_monitor_get_overruns)
   *
   * How many ticks found the previous sample still running and were
   * skipped rather than queued.
   *
   * Since: 1.0
   */
  props[PROP_OVERRUNS] =
    g_param_spec_uint ("overruns", NULL, NULL,
                       0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);

  /**
   * HealthMonitor::sampled:
   * @self: the monitor
   *
   * Emitted once per applied sample, after every metric was updated and
   * judged: the moment for views to redraw.
   *
   * Since: 1.0
   */
  signals[SAMPLED] =
    g_signal_new ("sampled",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  /**
   * HealthMonitor::status-changed:
   * @self: the monitor
   * @old_status: the previous overall status
   * @new_status: the new overall status
   *
   * Emitted when the overall status changes.
   *
   * Since: 1.0
   */
  signals[STATUS_CHANGED] =
    g_signal_new ("status-changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 2, HEALTH_TYPE_STATUS, HEALTH_TYPE_STATUS);

  /**
   * HealthMonitor::alert:
   * @self: the monitor
   * @alert: what happened
   *
   * Emitted when a metric enters %HEALTH_STATUS_WARNING or
   * %HEALTH_STATUS_CRITICAL, and again as a reminder while it stays
   * there, at most once per metric and status per
   * [property@Health.Monitor:alert-cooldown]. The detail is the metric id:
   * connect to `alert::memory-usage` for one metric.
   *
   * Since: 1.0
   */
  signals[ALERT] =
    g_signal_new ("alert",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HEALTH_TYPE_ALERT);

  /**
   * HealthMonitor::recovered:
   * @self: the monitor
   * @metric: the metric that is good again
   *
   * Emitted when a metric that alerted is back to %HEALTH_STATUS_GOOD.
   * The detail is the metric id.
   *
   * Since: 1.0
   */
  signals[RECOVERED] =
    g_signal_new ("recovered",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST | G_SIGNAL_DETAILED,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HEALTH_TYPE_METRIC);

  /**
   * HealthMonitor::low-memory:
   * @self: the monitor
   * @status: how bad it is
   *
   * Emitted when a memory metric turns critical (and as a reminder once
   * per cooldown while it stays so): drop caches, free what can be
   * rebuilt. The monitor has already returned its own free heap to the
   * system.
   *
   * Since: 1.0
   */
  signals[LOW_MEMORY] =
    g_signal_new ("low-memory",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, HEALTH_TYPE_STATUS);
}

static void
health_monitor_init (HealthMonitor *self)
{
  self->context = g_main_context_ref_thread_default ();
  self->interval = DEFAULT_INTERVAL_MS;
  self->history_size = DEFAULT_HISTORY_SIZE;
  self->alert_cooldown = DEFAULT_ALERT_COOLDOWN_S;
  self->emergency_after = DEFAULT_EMERGENCY_AFTER_S;
  self->trend_min_span = DEFAULT_TREND_MIN_SPAN_S;
  self->builtin = HEALTH_BUILTIN_DEFAULT;
  self->metrics = g_list_store_new (HEALTH_TYPE_METRIC);
  self->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) health_monitor_entry_free);
  self->entries_by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->tracker = health_tracker_new ();
}

/**
 * health_monitor_new:
 *
 * Creates a monitor with the default built-in metrics, on the current
 * thread-default main context.
 *
 * For a monitor of app metrics only:
 *
 * ```c
 * g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
 * ```
 *
 * Returns: (transfer full): a new monitor, not started
 *
 * Since: 1.0
 */
HealthMonitor *
health_monitor_new (void)
{
  return g_object_new (HEALTH_TYPE_MONITOR, NULL);
}

/**
 * health_monitor_get_default:
 *
 * The process-wide monitor, created on first use with the default
 * built-in metrics and bound to the global default main context. Safe to
 * call from any thread.
 *
 * Returns: (transfer none): the default monitor
 *
 * Since: 1.0
 */
HealthMonitor *
health_monitor_get_default (void)
{
  static gsize initialized;
  static HealthMonitor *default_monitor;

  if (g_once_init_enter (&initialized))
    {
      /* Made as if on the global default context, whichever thread asks
       * first: the monitor and its sampler take it at construction. */
      g_main_context_push_thread_default (g_main_context_default ());
      default_monitor = g_object_new (HEALTH_TYPE_MONITOR, NULL);
      g_main_context_pop_thread_default (g_main_context_default ());

      g_once_init_leave (&initialized, 1);
    }

  return default_monitor;
}

/**
 * health_monitor_start:
 * @self: a monitor
 *
 * Starts sampling: one sample at once, then one per
 * [property@Health.Monitor:interval]. Does nothing when already active.
 *
 * Since: 1.0
 */
void
health_monitor_start (HealthMonitor *self)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));
  g_return_if_fail (health_main_context_is_current (self->context));

  if (self->active)
    return;

  self->active = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVE]);
  health_backend_start (self->backend);
}

/**
 * health_monitor_stop:
 * @self: a monitor
 *
 * Stops sampling. Never waits for the worker: a sample in flight is
 * dropped when it comes back, pending [method@Health.Monitor.sample_async]
 * calls fail with %G_IO_ERROR_CANCELLED, and once this returns the monitor
 * emits no signal until it is started or sampled again. Does nothing when
 * not active and nothing is in flight.
 *
 * Since: 1.0
 */
void
health_monitor_stop (HealthMonitor *self)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));

  /* Whatever is out (a sample, an alert waiting for its culprit) comes
   * back to find another generation and is dropped. */
  self->generation++;

  if (self->telling != NULL)
    {
      /* The worker is done; only culprits were awaited. */
      g_clear_pointer (&self->telling, health_telling_free);
      health_sampler_release (self->sampler);
    }

  /* Gone at dispose. */
  if (self->backend != NULL)
    health_backend_stop (self->backend);

  if (!self->active)
    return;

  self->active = FALSE;
  g_info ("Health monitoring stopped");
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ACTIVE]);
}

/**
 * health_monitor_get_active: (get-property active)
 * @self: a monitor
 *
 * Gets whether the monitor samples periodically.
 *
 * Returns: %TRUE between [method@Health.Monitor.start] and
 *   [method@Health.Monitor.stop]
 *
 * Since: 1.0
 */
gboolean
health_monitor_get_active (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);

  return self->active;
}

/**
 * health_monitor_sample_async:
 * @self: a monitor
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when the sample has been applied
 * @user_data: (closure): data for @callback
 *
 * Takes one sample now, whether or not the monitor is active. When a
 * sample is already in flight, this waits for that one rather than
 * starting a second. The callback runs after the sample was applied and
 * its signals emitted.
 *
 * Since: 1.0
 */
void
health_monitor_sample_async (HealthMonitor       *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HEALTH_IS_MONITOR (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));
  g_return_if_fail (health_main_context_is_current (self->context));

  task = g_task_new (self, cancellable, callback, user_data);
  (g_task_set_source_tag) (task, health_monitor_sample_async);

  if (g_task_return_error_if_cancelled (task))
    return;

  health_backend_sample (self->backend, g_steal_pointer (&task));
}

/**
 * health_monitor_sample_finish:
 * @self: a monitor
 * @result: the result passed to the callback
 * @error: return location for a #GError
 *
 * Finishes [method@Health.Monitor.sample_async].
 *
 * When none of the machine's figures could be read (a proc-root that is
 * missing or unreadable, a container without `/proc`), the sample is
 * applied all the same, so the app's metrics and the process's own are
 * current and the overall status is %HEALTH_STATUS_UNKNOWN, but this
 * fails with %HEALTH_ERROR_PROBE_FAILED: its message, translated, says
 * which files were looked for, as
 * [method@Health.Monitor.dup_unknown_reason] does. A monitor without
 * built-in metrics of the system never fails this way.
 *
 * Returns: %TRUE when the sample was applied; %FALSE with
 *   %G_IO_ERROR_CANCELLED when the monitor was stopped first, or with
 *   %HEALTH_ERROR_PROBE_FAILED when nothing about the machine could be
 *   read
 *
 * Since: 1.0
 */
gboolean
health_monitor_sample_finish (HealthMonitor  *self,
                              GAsyncResult   *result,
                              GError        **error)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * health_monitor_get_interval: (get-property interval)
 * @self: a monitor
 *
 * Gets the milliseconds between samples.
 *
 * Returns: the interval in milliseconds
 *
 * Since: 1.0
 */
guint
health_monitor_get_interval (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), 0);

  return self->interval;
}

/**
 * health_monitor_set_interval: (set-property interval)
 * @self: a monitor
 * @interval: milliseconds between samples, from
 *   %HEALTH_MONITOR_MIN_INTERVAL to %HEALTH_MONITOR_MAX_INTERVAL
 *
 * Sets the milliseconds between samples; an active monitor takes the
 * next sample one new interval from now.
 *
 * Since: 1.0
 */
void
health_monitor_set_interval (HealthMonitor *self,
                             guint          interval)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));
  g_return_if_fail (interval >= HEALTH_MONITOR_MIN_INTERVAL);
  g_return_if_fail (interval <= HEALTH_MONITOR_MAX_INTERVAL);

  if (self->interval == interval)
    return;

  self->interval = interval;
  health_sampler_set_interval (self->sampler, interval);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_INTERVAL]);
}

/**
 * health_monitor_get_history_size: (get-property history-size)
 * @self: a monitor
 *
 * Gets how many samples each metric keeps.
 *
 * Returns: the history size
 *
 * Since: 1.0
 */
guint
health_monitor_get_history_size (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), 0);

  return self->history_size;
}

/**
 * health_monitor_set_history_size: (set-property history-size)
 * @self: a monitor
 * @history_size: 1 or more
 *
 * Sets how many samples each metric of the monitor keeps.
 *
 * Since: 1.0
 */
void
health_monitor_set_history_size (HealthMonitor *self,
                                 guint          history_size)
{
  guint n_items;

  g_return_if_fail (HEALTH_IS_MONITOR (self));
  g_return_if_fail (history_size >= 1);

  if (self->history_size == history_size)
    return;

  self->history_size = history_size;

  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->metrics));
  for (guint i = 0; i < n_items; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (G_LIST_MODEL (self->metrics), i);

      health_metric_set_history_size (metric, history_size);
    }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_HISTORY_SIZE]);
}

/**
 * health_monitor_get_alert_cooldown: (get-property alert-cooldown)
 * @self: a monitor
 *
 * Gets the seconds between two alerts of one metric at one status.
 *
 * Returns: the cooldown in seconds
 *
 * Since: 1.0
 */
guint
health_monitor_get_alert_cooldown (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), 0);

  return self->alert_cooldown;
}

/**
 * health_monitor_set_alert_cooldown: (set-property alert-cooldown)
 * @self: a monitor
 * @alert_cooldown: seconds
 *
 * Sets the seconds between two alerts of one metric at one status.
 *
 * Since: 1.0
 */
void
health_monitor_set_alert_cooldown (HealthMonitor *self,
                                   guint          alert_cooldown)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));

  if (self->alert_cooldown == alert_cooldown)
    return;

  self->alert_cooldown = alert_cooldown;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_ALERT_COOLDOWN]);
}

/**
 * health_monitor_get_emergency_after: (get-property emergency-after)
 * @self: a monitor
 *
 * Gets the seconds a metric stays critical before an emergency.
 *
 * Returns: seconds
 *
 * Since: 1.0
 */
guint
health_monitor_get_emergency_after (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), 0);

  return self->emergency_after;
}

/**
 * health_monitor_set_emergency_after: (set-property emergency-after)
 * @self: a monitor
 * @emergency_after: seconds
 *
 * Sets the seconds a metric must stay critical before the overall status
 * becomes %HEALTH_STATUS_EMERGENCY.
 *
 * Since: 1.0
 */
void
health_monitor_set_emergency_after (HealthMonitor *self,
                                    guint          emergency_after)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));

  if (self->emergency_after == emergency_after)
    return;

  self->emergency_after = emergency_after;
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_EMERGENCY_AFTER]);
}

/**
 * health_monitor_get_trend_min_span: (get-property trend-min-span)
 * @self: a monitor
 *
 * Gets how many seconds of history a trend needs.
 *
 * Returns: seconds
 *
 * Since: 1.0
 */
double
health_monitor_get_trend_min_span (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), DEFAULT_TREND_MIN_SPAN_S);

  return self->trend_min_span;
}

/**
 * health_monitor_set_trend_min_span: (set-property trend-min-span)
 * @self: a monitor
 * @seconds: 0 or more
 *
 * Sets how many seconds of history the trends of every metric of the
 * monitor need before they say anything.
 *
 * Since: 1.0
 */
void
health_monitor_set_trend_min_span (HealthMonitor *self,
                                   double         seconds)
{
  g_return_if_fail (HEALTH_IS_MONITOR (self));
  g_return_if_fail (seconds >= 0 && isfinite (seconds));

  if (self->trend_min_span == seconds)
    return;

  self->trend_min_span = seconds;
  for (guint i = 0; i < self->entries->len; i++)
    health_metric_set_trend_min_span (((MetricEntry *) g_ptr_array_index (self->entries, i))->metric, seconds);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_TREND_MIN_SPAN]);
}

/**
 * health_monitor_get_builtin: (get-property builtin)
 * @self: a monitor
 *
 * Gets which built-in metrics the monitor created.
 *
 * Returns: the flags
 *
 * Since: 1.0
 */
HealthBuiltin
health_monitor_get_builtin (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), HEALTH_BUILTIN_NONE);

  return self->builtin;
}

/**
 * health_monitor_get_proc_root: (get-property proc-root)
 * @self: a monitor
 *
 * Gets where the probes read the kernel's figures.
 *
 * Returns: (transfer none): a directory
 *
 * Since: 1.0
 */
const char *
health_monitor_get_proc_root (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  return self->proc_root;
}

/**
 * health_monitor_get_disk_path: (get-property disk-path)
 * @self: a monitor
 *
 * Gets the path whose file system `disk-usage` reports.
 *
 * Returns: (transfer none): a path
 *
 * Since: 1.0
 */
const char *
health_monitor_get_disk_path (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  return self->disk_path;
}

/**
 * health_monitor_set_disk_path: (set-property disk-path)
 * @self: a monitor
 * @disk_path: (nullable): a path; %NULL for the working directory
 *
 * Sets the path whose file system `disk-usage` reports, from the next
 * sample on.
 *
 * Since: 1.0
 */
void
health_monitor_set_disk_path (HealthMonitor *self,
                              const char    *disk_path)
{
  g_autofree char *cwd = NULL;

  g_return_if_fail (HEALTH_IS_MONITOR (self));

  if (disk_path == NULL)
    disk_path = cwd = g_get_current_dir ();

  if (g_strcmp0 (self->disk_path, disk_path) == 0)
    return;

  g_clear_pointer (&self->disk_path, g_ref_string_release);
  self->disk_path = g_ref_string_new (disk_path);
  if (self->sampler != NULL)
    health_sampler_set_disk_path (self->sampler, self->disk_path);
  if (health_monitor_lookup_builtin (self, HEALTH_BUILTIN_ID_DISK_USAGE) != NULL)
    health_metric_set_detail (health_monitor_lookup_builtin (self, HEALTH_BUILTIN_ID_DISK_USAGE), disk_path);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_DISK_PATH]);
}

/**
 * health_monitor_get_status: (get-property status)
 * @self: a monitor
 *
 * Gets the overall status.
 *
 * Returns: the status
 *
 * Since: 1.0
 */
HealthStatus
health_monitor_get_status (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), HEALTH_STATUS_UNKNOWN);

  return self->status;
}


/**
 * health_monitor_get_metrics: (get-property metrics)
 * @self: a monitor
 *
 * Gets the metrics of the monitor as a list model.
 *
 * Returns: (transfer none): a #GListModel of [class@Health.Metric]
 *
 * Since: 1.0
 */
GListModel *
health_monitor_get_metrics (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), NULL);

  return G_LIST_MODEL (self->metrics);
}

/**
 * health_monitor_get_overruns: (get-property overruns)
 * @self: a monitor
 *
 * Gets how many ticks were skipped because a sample was still running.
 *
 * Returns: the count
 *
 * Since: 1.0
 */
guint
health_monitor_get_overruns (HealthMonitor *self)
{
  g_return_val_if_fail (HEALTH_IS_MONITOR (self), 0);

  return health_sampler_get_overruns (self->sampler);
}

/* Private API for the D-Bus export and mirror */

gboolean
health_monitor_is_applying (HealthMonitor *self)
{
  return self->applying;
}

/* Makes @backend (transfer full) where the figures come from, instead of
 * the local sampler; the monitor follows it from now on. */
void
health_monitor_set_backend (HealthMonitor *self,
                            HealthBackend *backend)
{
  g_return_if_fail (self->backend == health_sampler_get_backend (self->sampler));
  g_return_if_fail (!self->active);

  self->backend = backend;
  self->active = TRUE;
}

/* The one way in for what a backend has to say beyond values, and the
 * way the monitor's own judging says it too. */
void
health_monitor_deliver (HealthMonitor     *self,
                        const HealthEvent *event)
{
  HealthStatus old_status = self->status;

  switch (event->kind)
    {
    case HEALTH_EVENT_STATUS:
      if (event->status == old_status)
        return;
      self->status = event->status;
      g_object_notify_by_pspec (G_OBJECT (self), props[PROP_STATUS]);
      g_signal_emit (self, signals[STATUS_CHANGED], 0, old_status, event->status);
      break;
    case HEALTH_EVENT_SAMPLED:
      g_signal_emit (self, signals[SAMPLED], 0);
      break;
    case HEALTH_EVENT_ALERT:
      g_signal_emit (self, signals[ALERT],
                     g_quark_from_string (health_metric_get_id (health_alert_get_metric (event->alert))),
                     event->alert);
      break;
    case HEALTH_EVENT_RECOVERED:
      g_signal_emit (self, signals[RECOVERED],
                     g_quark_from_string (health_metric_get_id (event->metric)), event->metric);
      break;
    case HEALTH_EVENT_LOW_MEMORY:
      g_signal_emit (self, signals[LOW_MEMORY], 0, event->status);
      break;
    default:
      g_assert_not_reached ();
    }
}

