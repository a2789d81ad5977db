/* health-journal-query.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Reading a journal: points of a metric at the finest tier that covers
 * the range, and alerts; each query on a worker with a connection of
 * its own.
 */

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "health-journal-impl-private.h"

/* Queries, each on a worker with a connection of its own. */

typedef struct
{
  char   *path;
  char   *metric_id;   /* NULL for alerts */
  gint64  from_us;
  gint64  to_us;
  guint   max_points;
} QueryInput;

static void
query_input_free (QueryInput *input)
{
  g_free (input->path);
  g_free (input->metric_id);
  g_free (input);
}

static void
journal_start_query (HealthJournal       *self,
                     QueryInput          *input,
                     gpointer             source_tag,
                     GTaskThreadFunc      thread_func,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  input->path = g_strdup (self->path);
  input->to_us = MAX (input->from_us, input->to_us);

  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, input, (GDestroyNotify) query_input_free);
  g_task_run_in_thread (task, thread_func);
}

static gboolean
query_tier_first (sqlite3 *db,
                  guint    tier,
                  int      metric,
                  gint64  *first)
{
  g_autofree char *sql = g_strdup_printf ("SELECT MIN (t) FROM %s WHERE metric = ?1", health_journal_tiers[tier].table);
  sqlite3_stmt *stmt = NULL;
  gboolean found = FALSE;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_int (stmt, 1, metric);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        {
          *first = sqlite3_column_int64 (stmt, 0);
          found = TRUE;
        }
    }
  sqlite3_finalize (stmt);

  return found;
}

/* The finest tier that reaches back to the start of the range (give or
 * take a bucket of the next tier), or that holds all there is: no
 * coarser tier has a bucket that ends before it starts. */
static guint
query_pick_tier (sqlite3 *db,
                 int      metric,
                 gint64   from_us)
{
  gint64 first[N_TIERS];
  gboolean has[N_TIERS];

  for (guint i = 0; i < N_TIERS; i++)
    has[i] = query_tier_first (db, i, metric, &first[i]);

  for (guint i = 0; i + 1 < N_TIERS; i++)
    {
      gboolean holds_all = TRUE;

      if (!has[i])
        continue;

      if (first[i] <= from_us + health_journal_tiers[i + 1].width_us)
        return i;

      for (guint j = i + 1; j < N_TIERS; j++)
        if (has[j] && first[j] + health_journal_tiers[j].width_us <= first[i])
          holds_all = FALSE;

      if (holds_all)
        return i;
    }

  return N_TIERS - 1;
}

static void
query_points_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  const QueryInput *input = task_data;
  g_autoptr(GPtrArray) points = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  gint64 width;
  guint tier;
  int metric = -1;

  if (!(db = health_journal_open_connection (input->path, TRUE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (sqlite3_prepare_v2 (db, "SELECT id FROM metrics WHERE name = ?1", -1, &stmt, NULL) == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, input->metric_id, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        metric = sqlite3_column_int (stmt, 0);
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (metric < 0)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                               _("The journal has no metric %s"), input->metric_id);
      sqlite3_close (db);
      return;
    }

  tier = query_pick_tier (db, metric, input->from_us);

  /* One point per bucket of the range; with no limit, every row. */
  width = 1;
  if (input->max_points > 0)
    width = MAX (1, (input->to_us - input->from_us) / (gint64) input->max_points + 1);

  if (tier == TIER_RAW)
    sql = g_strdup ("SELECT MIN (t), MIN (v), AVG (v), MAX (v) FROM raw"
                    " WHERE metric = ?1 AND t >= ?2 AND t <= ?3"
                    " GROUP BY (t - ?2) / ?4 ORDER BY 1");
  else
    sql = g_strdup_printf ("SELECT MIN (t), MIN (min), SUM (sum) / SUM (n), MAX (max) FROM %s"
                           " WHERE metric = ?1 AND t >= ?2 AND t <= ?3"
                           " GROUP BY (t - ?2) / ?4 ORDER BY 1",
                           health_journal_tiers[tier].table);

  points = g_ptr_array_new_with_free_func ((GDestroyNotify) health_journal_point_free);

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      health_journal_set_sqlite_error (&error, db, "query");
      sqlite3_close (db);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sqlite3_bind_int (stmt, 1, metric);
  sqlite3_bind_int64 (stmt, 2, input->from_us);
  sqlite3_bind_int64 (stmt, 3, input->to_us);
  sqlite3_bind_int64 (stmt, 4, width);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HealthJournalPoint *point = g_new (HealthJournalPoint, 1);

      point->time_us = sqlite3_column_int64 (stmt, 0);
      point->min = sqlite3_column_double (stmt, 1);
      point->mean = sqlite3_column_double (stmt, 2);
      point->max = sqlite3_column_double (stmt, 3);
      g_ptr_array_add (points, point);

      if (g_cancellable_is_cancelled (cancellable))
        break;
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&points), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * health_journal_query_async:
 * @self: a journal
 * @metric_id: the id of a metric, as [method@Health.Metric.get_id] gives it
 * @from_us: the start of the range, in microseconds since the Unix epoch
 * @to_us: the end of the range, included
 * @max_points: at most this many points, 0 for no limit
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the points
 * @user_data: (closure callback): data for @callback
 *
 * Reads the history of a metric over a range, at the finest tier that
 * covers it: every sample within the last hour, minutes within two
 * days, quarters of an hour beyond.
 *
 * When the tier has more rows in the range than @max_points, they are
 * merged into @max_points equal spans, each point carrying the minimum
 * and maximum of its span (the envelope) and its mean.
 *
 * Since: 1.0
 */
void
health_journal_query_async (HealthJournal       *self,
                            const char          *metric_id,
                            gint64               from_us,
                            gint64               to_us,
                            guint                max_points,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  QueryInput *input;

  g_return_if_fail (HEALTH_IS_JOURNAL (self));
  g_return_if_fail (metric_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  input = g_new0 (QueryInput, 1);
  input->metric_id = g_strdup (metric_id);
  input->from_us = from_us;
  input->to_us = to_us;
  input->max_points = max_points;

  journal_start_query (self, input, health_journal_query_async, query_points_thread,
                       cancellable, callback, user_data);
}

/**
 * health_journal_query_finish:
 * @self: a journal
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Health.Journal.query_async].
 *
 * Returns: (transfer container) (element-type HealthJournalPoint): the
 *   points in time order, or %NULL with @error set
 *   (%G_IO_ERROR_NOT_FOUND when the journal never recorded the metric)
 *
 * Since: 1.0
 */
GPtrArray *
health_journal_query_finish (HealthJournal  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (HEALTH_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == health_journal_query_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static char *
column_dup_text (sqlite3_stmt *stmt,
                 int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? g_strdup (text) : NULL;
}

static void
query_alerts_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  const QueryInput *input = task_data;
  g_autoptr(GPtrArray) alerts = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;

  if (!(db = health_journal_open_connection (input->path, TRUE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (sqlite3_prepare_v2 (db,
                          "SELECT t, metric, status, value, culprit, message FROM alerts"
                          " WHERE t >= ?1 AND t <= ?2 ORDER BY t, id", -1, &stmt, NULL) != SQLITE_OK)
    {
      health_journal_set_sqlite_error (&error, db, "query");
      sqlite3_close (db);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sqlite3_bind_int64 (stmt, 1, input->from_us);
  sqlite3_bind_int64 (stmt, 2, input->to_us);

  alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) health_journal_alert_free);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      HealthJournalAlert *alert = g_new0 (HealthJournalAlert, 1);

      alert->time_us = sqlite3_column_int64 (stmt, 0);
      alert->metric_id = column_dup_text (stmt, 1);
      alert->status = sqlite3_column_int (stmt, 2);
      alert->value = sqlite3_column_type (stmt, 3) == SQLITE_NULL ? NAN : sqlite3_column_double (stmt, 3);
      alert->culprit = column_dup_text (stmt, 4);
      alert->message = column_dup_text (stmt, 5);
      if (alert->metric_id == NULL)
        alert->metric_id = g_strdup ("");
      g_ptr_array_add (alerts, alert);
    }

  sqlite3_finalize (stmt);
  sqlite3_close (db);

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_pointer (task, g_steal_pointer (&alerts), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * health_journal_query_alerts_async:
 * @self: a journal
 * @from_us: the start of the range, in microseconds since the Unix epoch
 * @to_us: the end of the range, included
 * @cancellable: (nullable): a #GCancellable
 * @callback: (scope async): called with the alerts
 * @user_data: (closure callback): data for @callback
 *
 * Reads the alerts and recoveries recorded over a range.
 *
 * Since: 1.0
 */
void
health_journal_query_alerts_async (HealthJournal       *self,
                                   gint64               from_us,
                                   gint64               to_us,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  QueryInput *input;

  g_return_if_fail (HEALTH_IS_JOURNAL (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  input = g_new0 (QueryInput, 1);
  input->from_us = from_us;
  input->to_us = to_us;

  journal_start_query (self, input, health_journal_query_alerts_async, query_alerts_thread,
                       cancellable, callback, user_data);
}

/**
 * health_journal_query_alerts_finish:
 * @self: a journal
 * @result: the result passed to the callback
 * @error: return location for an error
 *
 * Finishes [method@Health.Journal.query_alerts_async].
 *
 * Returns: (transfer container) (element-type HealthJournalAlert): the
 *   alerts and recoveries in time order, or %NULL with @error set
 *
 * Since: 1.0
 */
GPtrArray *
health_journal_query_alerts_finish (HealthJournal  *self,
                                    GAsyncResult   *result,
                                    GError        **error)
{
  g_return_val_if_fail (HEALTH_IS_JOURNAL (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == health_journal_query_alerts_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

