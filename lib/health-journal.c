/* health-journal.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>
#include <sqlite3.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "health-alert.h"
#include "health-clock-private.h"
#include "health-journal-impl-private.h"
#include "health-text-private.h"

/**
 * HealthJournal:
 *
 * A history of a monitor's samples and alerts that lasts across
 * restarts: one SQLite file, written off the main context.
 *
 * Samples are kept in tiers: every sample for the last hour, the
 * minimum, mean and maximum of each minute for two days, and of each
 * quarter of an hour for sixty days. Every alert and recovery is kept
 * with its metric, status, value, culprit and message.
 *
 * Attach a journal to a monitor with [method@Health.Monitor.set_journal]:
 * it records after every tick. Writes are queued and a writer thread,
 * with its own connection, commits them in one transaction every few
 * seconds, at [method@Health.Journal.flush_async] and when the journal
 * is disposed; the file is in WAL mode with `synchronous=NORMAL`, so a
 * crash (even `kill -9`) loses at most the last few seconds and never
 * corrupts it. The file never grows past [property@Health.Journal:max-size]:
 * the oldest raw samples go first, then the coarser tiers.
 *
 * A file that is not a journal (corrupt, or another program's SQLite
 * database) is moved aside as `PATH.corrupt-TIMESTAMP` with one warning,
 * and a new journal is started in its place.
 *
 * Read it with [method@Health.Journal.query_async], which answers at the
 * finest tier that covers the range, and
 * [method@Health.Journal.query_alerts_async]; queries run on a worker
 * thread with a connection of their own and see what was flushed.
 *
 * Since: 1.0
 */

static void health_journal_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HealthJournal, health_journal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      health_journal_initable_iface_init))

G_DEFINE_BOXED_TYPE (HealthJournalPoint, health_journal_point,
                     health_journal_point_copy, health_journal_point_free)
G_DEFINE_BOXED_TYPE (HealthJournalAlert, health_journal_alert,
                     health_journal_alert_copy, health_journal_alert_free)

enum {
  PROP_0,
  PROP_PATH,
  PROP_READ_ONLY,
  PROP_MAX_SIZE,
  LAST_PROP
};

static GParamSpec *props[LAST_PROP];

/**
 * health_journal_point_copy:
 * @self: a point
 *
 * Copies a point.
 *
 * Returns: (transfer full): a copy of @self
 *
 * Since: 1.0
 */
HealthJournalPoint *
health_journal_point_copy (const HealthJournalPoint *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return g_memdup2 (self, sizeof *self);
}

/**
 * health_journal_point_free:
 * @self: a point
 *
 * Frees a point.
 *
 * Since: 1.0
 */
void
health_journal_point_free (HealthJournalPoint *self)
{
  g_free (self);
}

/**
 * health_journal_alert_copy:
 * @self: an alert record
 *
 * Copies an alert record.
 *
 * Returns: (transfer full): a copy of @self
 *
 * Since: 1.0
 */
HealthJournalAlert *
health_journal_alert_copy (const HealthJournalAlert *self)
{
  HealthJournalAlert *copy;

  g_return_val_if_fail (self != NULL, NULL);

  copy = g_memdup2 (self, sizeof *self);
  copy->metric_id = g_strdup (self->metric_id);
  copy->culprit = g_strdup (self->culprit);
  copy->message = g_strdup (self->message);

  return copy;
}

/**
 * health_journal_alert_free:
 * @self: an alert record
 *
 * Frees an alert record.
 *
 * Since: 1.0
 */
void
health_journal_alert_free (HealthJournalAlert *self)
{
  if (self == NULL)
    return;

  g_free (self->metric_id);
  g_free (self->culprit);
  g_free (self->message);
  g_free (self);
}

/* Opening */

static gboolean
health_journal_initable_init (GInitable     *initable,
                              GCancellable  *cancellable,
                              GError       **error)
{
  HealthJournal *self = HEALTH_JOURNAL (initable);
  g_autofree char *why = NULL;
  g_autofree char *dir = NULL;
  JournalWriter *w;
  JournalCheck check;
  sqlite3 *db;

  if (self->path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A journal needs a path"));
      return FALSE;
    }

  if (self->read_only)
    {
      if (!g_file_test (self->path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       _("There is no journal at %s"), self->path);
          return FALSE;
        }

      if (!(db = health_journal_open_connection (self->path, TRUE, error)))
        return FALSE;

      check = health_journal_check (db, &why);
      sqlite3_close (db);
      if (check != JOURNAL_OK)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       _("%s is not a usable journal: %s"), self->path,
                       why != NULL ? why : _("it is empty"));
          return FALSE;
        }

      return TRUE;
    }

  dir = g_path_get_dirname (self->path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Cannot create %s: %s"), dir, g_strerror (saved_errno));
      return FALSE;
    }

  if (!(db = health_journal_open_connection (self->path, FALSE, error)))
    return FALSE;

  check = health_journal_check (db, &why);
  if (check == JOURNAL_NOT_OURS)
    {
      sqlite3_close (db);
      health_journal_move_aside (self->path, why);
      if (!(db = health_journal_open_connection (self->path, FALSE, error)))
        return FALSE;
      check = JOURNAL_EMPTY;
    }

  if (!health_journal_configure (db, check == JOURNAL_EMPTY, error))
    {
      sqlite3_close (db);
      return FALSE;
    }

  w = g_new0 (JournalWriter, 1);
  g_mutex_init (&w->mutex);
  g_cond_init (&w->cond);
  w->samples = g_array_new (FALSE, FALSE, sizeof (PendingSample));
  w->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) health_journal_alert_free);
  w->flush_tasks = g_ptr_array_new_with_free_func (g_object_unref);
  w->max_size = self->max_size;
  w->max_size_changed = TRUE;
  w->db = db;

  if (!health_journal_writer_prepare (w, error))
    {
      health_journal_writer_free (w);
      return FALSE;
    }

  self->writer = w;
  self->thread = g_thread_new ("health-journal", health_journal_writer_thread, w);

  return TRUE;
}

static void
health_journal_initable_iface_init (GInitableIface *iface)
{
  iface->init = health_journal_initable_init;
}

static void
health_journal_dispose (GObject *object)
{
  HealthJournal *self = HEALTH_JOURNAL (object);

  /* The last batch is written before the journal goes. */
  if (self->thread != NULL)
    {
      g_mutex_lock (&self->writer->mutex);
      self->writer->quit = TRUE;
      g_cond_signal (&self->writer->cond);
      g_mutex_unlock (&self->writer->mutex);
      g_thread_join (g_steal_pointer (&self->thread));
    }

  g_clear_pointer (&self->writer, health_journal_writer_free);

  G_OBJECT_CLASS (health_journal_parent_class)->dispose (object);
}

static void
health_journal_finalize (GObject *object)
{
  HealthJournal *self = HEALTH_JOURNAL (object);

  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (health_journal_parent_class)->finalize (object);
}

static void
health_journal_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  HealthJournal *self = HEALTH_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_READ_ONLY:
      g_value_set_boolean (value, self->read_only);
      break;
    case PROP_MAX_SIZE:
      g_value_set_uint64 (value, self->max_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_journal_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  HealthJournal *self = HEALTH_JOURNAL (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_dup_string (value);
      break;
    case PROP_READ_ONLY:
      self->read_only = g_value_get_boolean (value);
      break;
    case PROP_MAX_SIZE:
      health_journal_set_max_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
health_journal_class_init (HealthJournalClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = health_journal_dispose;
  object_class->finalize = health_journal_finalize;
  object_class->get_property = health_journal_get_property;
  object_class->set_property = health_journal_set_property;

  /**
   * HealthJournal:path: (attributes org.gtk.Property.get=health_journal_get_path)
   *
   * The file of the journal.
   *
   * Since: 1.0
   */
  props[PROP_PATH] =
    g_param_spec_string ("path", NULL, NULL,
                         NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthJournal:read-only: (attributes org.gtk.Property.get=health_journal_get_read_only)
   *
   * Whether the journal only reads an existing file, as a command that
   * shows the history does while another process records.
   *
   * Since: 1.0
   */
  props[PROP_READ_ONLY] =
    g_param_spec_boolean ("read-only", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  /**
   * HealthJournal:max-size: (attributes org.gtk.Property.get=health_journal_get_max_size org.gtk.Property.set=health_journal_set_max_size)
   *
   * The size in bytes the file never grows past. When what it holds
   * nears it, the oldest raw samples are dropped first, then the oldest
   * minutes, quarters of an hour and alerts. The write-ahead log beside
   * it is kept under 4 MiB on top of this.
   *
   * Since: 1.0
   */
  props[PROP_MAX_SIZE] =
    g_param_spec_uint64 ("max-size", NULL, NULL,
                         HEALTH_JOURNAL_MIN_MAX_SIZE, G_MAXINT64,
                         HEALTH_JOURNAL_DEFAULT_MAX_SIZE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_EXPLICIT_NOTIFY |
                         G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, LAST_PROP, props);
}

static void
health_journal_init (HealthJournal *self)
{
  self->max_size = HEALTH_JOURNAL_DEFAULT_MAX_SIZE;
}

/**
 * health_journal_new:
 * @path: (type filename): the file to record into; created, with its
 *   folder, if missing
 * @error: return location for an error
 *
 * Opens a journal for recording, and starts its writer thread.
 *
 * A file that is not a journal is moved aside with a warning and a new
 * one started in its place; @error is only set when even that fails
 * (the folder cannot be written, say).
 *
 * Returns: (transfer full): the journal, or %NULL with @error set
 *
 * Since: 1.0
 */
HealthJournal *
health_journal_new (const char  *path,
                    GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (HEALTH_TYPE_JOURNAL, NULL, error,
                         "path", path,
                         NULL);
}

/**
 * health_journal_new_read_only:
 * @path: (type filename): a journal another journal recorded
 * @error: return location for an error
 *
 * Opens an existing journal only to query it, while another process may
 * be recording into it. Nothing is moved aside or created.
 *
 * Returns: (transfer full): the journal, or %NULL with @error set:
 *   %G_IO_ERROR_NOT_FOUND when there is no file at @path,
 *   %G_IO_ERROR_INVALID_DATA when it is not a journal
 *
 * Since: 1.0
 */
HealthJournal *
health_journal_new_read_only (const char  *path,
                              GError     **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (HEALTH_TYPE_JOURNAL, NULL, error,
                         "path", path,
                         "read-only", TRUE,
                         NULL);
}

/**
 * health_journal_get_path:
 * @self: a journal
 *
 * Gets the file of the journal.
 *
 * Returns: (type filename): the path
 *
 * Since: 1.0
 */
const char *
health_journal_get_path (HealthJournal *self)
{
  g_return_val_if_fail (HEALTH_IS_JOURNAL (self), NULL);

  return self->path;
}

/**
 * health_journal_get_read_only:
 * @self: a journal
 *
 * Gets whether the journal was opened only to be read.
 *
 * Returns: %TRUE for [ctor@Health.Journal.new_read_only]
 *
 * Since: 1.0
 */
gboolean
health_journal_get_read_only (HealthJournal *self)
{
  g_return_val_if_fail (HEALTH_IS_JOURNAL (self), FALSE);

  return self->read_only;
}

/**
 * health_journal_get_max_size:
 * @self: a journal
 *
 * Gets the size the file never grows past.
 *
 * Returns: the cap, in bytes
 *
 * Since: 1.0
 */
guint64
health_journal_get_max_size (HealthJournal *self)
{
  g_return_val_if_fail (HEALTH_IS_JOURNAL (self), 0);

  return self->max_size;
}

/**
 * health_journal_set_max_size:
 * @self: a journal
 * @max_size: the cap in bytes, at least %HEALTH_JOURNAL_MIN_MAX_SIZE
 *
 * Sets the size the file never grows past. Lowering it prunes the file
 * on the writer thread.
 *
 * Since: 1.0
 */
void
health_journal_set_max_size (HealthJournal *self,
                             guint64        max_size)
{
  g_return_if_fail (HEALTH_IS_JOURNAL (self));
  g_return_if_fail (max_size >= HEALTH_JOURNAL_MIN_MAX_SIZE);

  if (self->max_size == max_size)
    return;

  self->max_size = max_size;

  if (self->writer != NULL)
    {
      g_mutex_lock (&self->writer->mutex);
      self->writer->max_size = max_size;
      self->writer->max_size_changed = TRUE;
      g_cond_signal (&self->writer->cond);
      g_mutex_unlock (&self->writer->mutex);
    }

  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_MAX_SIZE]);
}

/* Under the writer's mutex: the first record after an empty batch starts
 * the writer's clock; the others wake nobody. */
static void
journal_writer_wake_if_idle (JournalWriter *w)
{
  if (w->idle)
    {
      w->idle = FALSE;
      g_cond_signal (&w->cond);
    }
}

void
health_journal_record_sample (HealthJournal *self,
                              const char    *metric_id,
                              gint64         time_us,
                              double         value)
{
  PendingSample sample;

  g_return_if_fail (HEALTH_IS_JOURNAL (self));
  g_return_if_fail (metric_id != NULL);
  g_return_if_fail (!self->read_only);

  if (!isfinite (value) || self->writer == NULL)
    return;

  sample.metric_id = g_intern_string (metric_id);
  sample.time_us = time_us;
  sample.value = value;

  g_mutex_lock (&self->writer->mutex);
  g_array_append_val (self->writer->samples, sample);
  journal_writer_wake_if_idle (self->writer);
  g_mutex_unlock (&self->writer->mutex);
}

void
health_journal_record_alert (HealthJournal *self,
                             const char    *metric_id,
                             gint64         time_us,
                             HealthStatus   status,
                             double         value,
                             const char    *culprit,
                             const char    *message)
{
  HealthJournalAlert *alert;

  g_return_if_fail (HEALTH_IS_JOURNAL (self));
  g_return_if_fail (metric_id != NULL);
  g_return_if_fail (!self->read_only);

  if (self->writer == NULL)
    return;

  alert = g_new0 (HealthJournalAlert, 1);
  alert->time_us = time_us;
  alert->metric_id = g_strdup (metric_id);
  alert->status = status;
  alert->value = value;
  alert->culprit = g_strdup (culprit);
  alert->message = g_strdup (message);

  g_mutex_lock (&self->writer->mutex);
  g_ptr_array_add (self->writer->alerts, alert);
  journal_writer_wake_if_idle (self->writer);
  g_mutex_unlock (&self->writer->mutex);
}

/**
 * health_journal_flush_async:
 * @self: a journal
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called when what was recorded so far is on disk
 * @user_data: (closure callback): data for @callback
 *
 * Writes what was recorded so far now rather than at the next periodic
 * flush. A read-only journal has nothing to write and completes at once.
 *
 * Since: 1.0
 */
void
health_journal_flush_async (HealthJournal       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (HEALTH_IS_JOURNAL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, health_journal_flush_async);

  if (self->writer == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  g_mutex_lock (&self->writer->mutex);
  g_ptr_array_add (self->writer->flush_tasks, g_steal_pointer (&task));
  g_cond_signal (&self->writer->cond);
  g_mutex_unlock (&self->writer->mutex);
}

/**
 * health_journal_flush_finish:
 * @self: a journal
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Health.Journal.flush_async].
 *
 * Returns: %TRUE when what was recorded is on disk
 *
 * Since: 1.0
 */
gboolean
health_journal_flush_finish (HealthJournal  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (HEALTH_IS_JOURNAL (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == health_journal_flush_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* The monitor hook: kept on the monitor, following its signals. */

typedef struct
{
  HealthJournal *journal;
  GSignalGroup  *signals;
} JournalHook;

static void
journal_hook_free (JournalHook *hook)
{
  g_signal_group_set_target (hook->signals, NULL);
  g_clear_object (&hook->signals);
  g_clear_object (&hook->journal);
  g_free (hook);
}

static void
on_monitor_sampled (HealthMonitor *monitor,
                    JournalHook   *hook)
{
  GListModel *metrics = health_monitor_get_metrics (monitor);
  guint n = g_list_model_get_n_items (metrics);
  HealthTime now;

  health_clock_now (&now);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(HealthMetric) metric = g_list_model_get_item (metrics, i);

      health_journal_record_sample (hook->journal, health_metric_get_id (metric),
                                    now.real_us, health_metric_get_value (metric));
    }
}

static void
on_monitor_alert (HealthMonitor *monitor,
                  HealthAlert   *alert,
                  JournalHook   *hook)
{
  health_journal_record_alert (hook->journal,
                               health_metric_get_id (health_alert_get_metric (alert)),
                               health_alert_get_time (alert),
                               health_alert_get_status (alert),
                               health_alert_get_value (alert),
                               health_alert_get_culprit (alert),
                               health_alert_get_message (alert));
}

static void
on_monitor_recovered (HealthMonitor *monitor,
                      HealthMetric  *metric,
                      JournalHook   *hook)
{
  g_autofree char *label = health_text_sanitize (health_metric_get_label (metric), -1);
  /* Translators: recorded in the history when a metric that alerted is
   * good again; %s is its label ("Memory Usage"). */
  g_autofree char *message = g_strdup_printf (_("%s is back to normal"), label);
  HealthTime now;

  health_clock_now (&now);
  health_journal_record_alert (hook->journal, health_metric_get_id (metric), now.real_us,
                               HEALTH_STATUS_GOOD, health_metric_get_value (metric),
                               NULL, message);
}

#define JOURNAL_HOOK_KEY "health-journal-hook"

/**
 * health_monitor_set_journal:
 * @monitor: a monitor
 * @journal: (nullable): a journal to record into, or %NULL to stop
 *
 * Records the monitor's samples after every tick, and its alerts and
 * recoveries, into @journal. The monitor keeps a reference to it.
 *
 * Since: 1.0
 */
void
health_monitor_set_journal (HealthMonitor *monitor,
                            HealthJournal *journal)
{
  JournalHook *hook;

  g_return_if_fail (HEALTH_IS_MONITOR (monitor));
  g_return_if_fail (journal == NULL || HEALTH_IS_JOURNAL (journal));
  g_return_if_fail (journal == NULL || !health_journal_get_read_only (journal));

  if (health_monitor_get_journal (monitor) == journal)
    return;

  if (journal == NULL)
    {
      g_object_set_data (G_OBJECT (monitor), JOURNAL_HOOK_KEY, NULL);
      return;
    }

  hook = g_new0 (JournalHook, 1);
  hook->journal = g_object_ref (journal);
  hook->signals = g_signal_group_new (HEALTH_TYPE_MONITOR);
  g_signal_group_connect (hook->signals, "sampled", G_CALLBACK (on_monitor_sampled), hook);
  g_signal_group_connect (hook->signals, "alert", G_CALLBACK (on_monitor_alert), hook);
  g_signal_group_connect (hook->signals, "recovered", G_CALLBACK (on_monitor_recovered), hook);
  g_signal_group_set_target (hook->signals, monitor);

  g_object_set_data_full (G_OBJECT (monitor), JOURNAL_HOOK_KEY, hook,
                          (GDestroyNotify) journal_hook_free);
}

/**
 * health_monitor_get_journal:
 * @monitor: a monitor
 *
 * Gets the journal the monitor records into.
 *
 * Returns: (transfer none) (nullable): the journal set with
 *   [method@Health.Monitor.set_journal], if any
 *
 * Since: 1.0
 */
HealthJournal *
health_monitor_get_journal (HealthMonitor *monitor)
{
  JournalHook *hook;

  g_return_val_if_fail (HEALTH_IS_MONITOR (monitor), NULL);

  hook = g_object_get_data (G_OBJECT (monitor), JOURNAL_HOOK_KEY);

  return hook != NULL ? hook->journal : NULL;
}

