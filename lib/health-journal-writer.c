/* health-journal-writer.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The journal's writer thread: it takes what the journal's thread
 * queued, writes it in one transaction with its own connection, folds
 * samples into the coarser tiers, applies retention and keeps the file
 * under its size cap.
 */

#include "config.h"

#include <math.h>

#include "health-journal-impl-private.h"

/* Batches, not samples, wake the writer: at a 2 s interval, one commit
 * for two or three samples (a kill -9 loses at most the last 5 s), and no
 * wake-up at all while nothing is recorded. */
#define FLUSH_INTERVAL_US      (5 * G_USEC_PER_SEC)
#define ALERT_RETENTION_US     (G_GINT64_CONSTANT (60) * 24 * 3600 * G_USEC_PER_SEC)
#define RETENTION_STEP_US      (60 * G_USEC_PER_SEC)

/* The writer thread */

void
health_journal_writer_free (JournalWriter *w)
{
  for (guint i = 0; i < N_TIERS; i++)
    {
      sqlite3_finalize (w->upsert[i]);
      sqlite3_finalize (w->prune[i]);
    }
  sqlite3_finalize (w->insert_metric);
  sqlite3_finalize (w->insert_raw);
  sqlite3_finalize (w->insert_alert);
  sqlite3_close (w->db);
  g_clear_pointer (&w->metric_ids, g_hash_table_unref);
  g_clear_pointer (&w->samples, g_array_unref);
  g_clear_pointer (&w->alerts, g_ptr_array_unref);
  g_clear_pointer (&w->flush_tasks, g_ptr_array_unref);
  g_mutex_clear (&w->mutex);
  g_cond_clear (&w->cond);
  g_free (w);
}

gboolean
health_journal_writer_prepare (JournalWriter  *w,
                               GError        **error)
{
  sqlite3_stmt *stmt = NULL;

  w->metric_ids = g_hash_table_new (NULL, NULL);

  if (sqlite3_prepare_v2 (w->db, "SELECT id, name FROM metrics", -1, &stmt, NULL) != SQLITE_OK)
    {
      health_journal_set_sqlite_error (error, w->db, "metrics");
      return FALSE;
    }
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_hash_table_insert (w->metric_ids,
                         (gpointer) g_intern_string ((const char *) sqlite3_column_text (stmt, 1)),
                         GINT_TO_POINTER (sqlite3_column_int (stmt, 0)));
  sqlite3_finalize (stmt);

  if (sqlite3_prepare_v2 (w->db, "INSERT INTO metrics (name) VALUES (?1)", -1,
                          &w->insert_metric, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (w->db, "INSERT OR REPLACE INTO raw (metric, t, v) VALUES (?1, ?2, ?3)", -1,
                          &w->insert_raw, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (w->db,
                          "INSERT INTO alerts (t, metric, status, value, culprit, message)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6)", -1,
                          &w->insert_alert, NULL) != SQLITE_OK)
    {
      health_journal_set_sqlite_error (error, w->db, "prepare");
      return FALSE;
    }

  for (guint i = 0; i < N_TIERS; i++)
    {
      g_autofree char *prune = g_strdup_printf ("DELETE FROM %s WHERE t < ?1",
                                                health_journal_tiers[i].table);

      if (sqlite3_prepare_v2 (w->db, prune, -1, &w->prune[i], NULL) != SQLITE_OK)
        {
          health_journal_set_sqlite_error (error, w->db, "prepare");
          return FALSE;
        }

      if (health_journal_tiers[i].width_us > 0)
        {
          g_autofree char *upsert =
            g_strdup_printf ("INSERT INTO %1$s (metric, t, min, max, sum, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                             " ON CONFLICT (t, metric) DO UPDATE SET"
                             " min = MIN (min, excluded.min), max = MAX (max, excluded.max),"
                             " sum = sum + excluded.sum, n = n + excluded.n",
                             health_journal_tiers[i].table);

          if (sqlite3_prepare_v2 (w->db, upsert, -1, &w->upsert[i], NULL) != SQLITE_OK)
            {
              health_journal_set_sqlite_error (error, w->db, "prepare");
              return FALSE;
            }
        }
    }

  return TRUE;
}

static gboolean
writer_step (JournalWriter  *w,
             sqlite3_stmt   *stmt,
             GError        **error)
{
  int rc = sqlite3_step (stmt);

  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      health_journal_set_sqlite_error (error, w->db, "write");
      return FALSE;
    }

  return TRUE;
}

static gboolean
writer_metric_id (JournalWriter  *w,
                  const char     *name,
                  int            *id,
                  GError        **error)
{
  gpointer value;

  if (g_hash_table_lookup_extended (w->metric_ids, name, NULL, &value))
    {
      *id = GPOINTER_TO_INT (value);
      return TRUE;
    }

  sqlite3_bind_text (w->insert_metric, 1, name, -1, SQLITE_STATIC);
  if (!writer_step (w, w->insert_metric, error))
    return FALSE;

  *id = (int) sqlite3_last_insert_rowid (w->db);
  g_hash_table_insert (w->metric_ids, (gpointer) name, GINT_TO_POINTER (*id));

  return TRUE;
}

typedef struct
{
  int    metric;
  guint  tier;
  gint64 t;
  double min, max, sum;
  gint64 n;
} Bucket;

static guint
bucket_hash (gconstpointer key)
{
  const Bucket *b = key;

  return g_int64_hash (&b->t) ^ (guint) (b->metric * 31 + (int) b->tier);
}

static gboolean
bucket_equal (gconstpointer a,
              gconstpointer b)
{
  const Bucket *x = a, *y = b;

  return x->metric == y->metric && x->tier == y->tier && x->t == y->t;
}

static void
writer_add_to_bucket (GHashTable *buckets,
                      int         metric,
                      guint       tier,
                      gint64      time_us,
                      double      value)
{
  gint64 width = health_journal_tiers[tier].width_us;
  Bucket key = {
    .metric = metric,
    .tier = tier,
    .t = time_us - (((time_us % width) + width) % width),
  };
  Bucket *b = g_hash_table_lookup (buckets, &key);

  if (b == NULL)
    {
      b = g_memdup2 (&key, sizeof key);
      b->min = b->max = value;
      g_hash_table_add (buckets, b);
    }

  b->min = MIN (b->min, value);
  b->max = MAX (b->max, value);
  b->sum += value;
  b->n++;
}

static gboolean
writer_write_alert (JournalWriter       *w,
                    HealthJournalAlert  *a,
                    GError             **error)
{
  sqlite3_bind_int64 (w->insert_alert, 1, a->time_us);
  sqlite3_bind_text (w->insert_alert, 2, a->metric_id, -1, SQLITE_STATIC);
  sqlite3_bind_int (w->insert_alert, 3, a->status);
  if (isfinite (a->value))
    sqlite3_bind_double (w->insert_alert, 4, a->value);
  else
    sqlite3_bind_null (w->insert_alert, 4);
  sqlite3_bind_text (w->insert_alert, 5, a->culprit, -1, SQLITE_STATIC);
  sqlite3_bind_text (w->insert_alert, 6, a->message, -1, SQLITE_STATIC);

  return writer_step (w, w->insert_alert, error);
}

static gboolean
writer_apply_retention (JournalWriter  *w,
                        GError        **error)
{
  g_autofree char *alerts = NULL;

  for (guint i = 0; i < N_TIERS; i++)
    {
      sqlite3_bind_int64 (w->prune[i], 1, w->newest_us - health_journal_tiers[i].retention_us);
      if (!writer_step (w, w->prune[i], error))
        return FALSE;
    }

  alerts = g_strdup_printf ("DELETE FROM alerts WHERE t < %" G_GINT64_FORMAT,
                            w->newest_us - ALERT_RETENTION_US);

  return health_journal_exec (w->db, alerts, error);
}

static gboolean
writer_write_batch (JournalWriter  *w,
                    GArray         *samples,
                    GPtrArray      *alerts,
                    GError        **error)
{
  g_autoptr(GHashTable) buckets = g_hash_table_new_full (bucket_hash, bucket_equal, g_free, NULL);
  GHashTableIter iter;
  gpointer key;

  if (!health_journal_exec (w->db, "BEGIN IMMEDIATE", error))
    return FALSE;

  for (guint i = 0; i < samples->len; i++)
    {
      const PendingSample *s = &g_array_index (samples, PendingSample, i);
      int id;

      if (!writer_metric_id (w, s->metric_id, &id, error))
        goto fail;

      sqlite3_bind_int (w->insert_raw, 1, id);
      sqlite3_bind_int64 (w->insert_raw, 2, s->time_us);
      sqlite3_bind_double (w->insert_raw, 3, s->value);
      if (!writer_step (w, w->insert_raw, error))
        goto fail;

      writer_add_to_bucket (buckets, id, TIER_MINUTE, s->time_us, s->value);
      writer_add_to_bucket (buckets, id, TIER_QUARTER, s->time_us, s->value);
      w->newest_us = MAX (w->newest_us, s->time_us);
    }

  g_hash_table_iter_init (&iter, buckets);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    {
      const Bucket *b = key;
      sqlite3_stmt *stmt = w->upsert[b->tier];

      sqlite3_bind_int (stmt, 1, b->metric);
      sqlite3_bind_int64 (stmt, 2, b->t);
      sqlite3_bind_double (stmt, 3, b->min);
      sqlite3_bind_double (stmt, 4, b->max);
      sqlite3_bind_double (stmt, 5, b->sum);
      sqlite3_bind_int64 (stmt, 6, b->n);
      if (!writer_step (w, stmt, error))
        goto fail;
    }

  for (guint i = 0; i < alerts->len; i++)
    {
      HealthJournalAlert *a = g_ptr_array_index (alerts, i);

      if (!writer_write_alert (w, a, error))
        goto fail;
      w->newest_us = MAX (w->newest_us, a->time_us);
    }

  /* Retention by the minute is plenty, and spares a tick's batch 3
   * deletes per metric. */
  if (w->newest_us - w->retained_us >= RETENTION_STEP_US)
    {
      if (!writer_apply_retention (w, error))
        goto fail;
      w->retained_us = w->newest_us;
    }

  if (!health_journal_exec (w->db, "COMMIT", error))
    goto fail;

  return TRUE;

fail:
  sqlite3_exec (w->db, "ROLLBACK", NULL, NULL, NULL);
  return FALSE;
}

/* Measures what the file holds and its size (free pages included). */
static gint64
writer_measure (JournalWriter *w)
{
  gint64 page_size = 0, page_count = 0, freelist = 0;

  health_journal_query_int (w->db, "PRAGMA page_size", &page_size, NULL);
  health_journal_query_int (w->db, "PRAGMA page_count", &page_count, NULL);
  health_journal_query_int (w->db, "PRAGMA freelist_count", &freelist, NULL);

  w->file_bytes = page_count * page_size;
  w->used_bytes = (page_count - freelist) * page_size;

  return w->used_bytes;
}

/* Drops the older half of a table's span; FALSE when it was empty. */
static gboolean
writer_prune_oldest (JournalWriter *w,
                     const char    *table)
{
  g_autofree char *span = g_strdup_printf ("SELECT MIN (t), MAX (t), COUNT (*) FROM %s", table);
  g_autofree char *delete = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 first = 0, last = 0, count = 0;

  if (sqlite3_prepare_v2 (w->db, span, -1, &stmt, NULL) == SQLITE_OK &&
      sqlite3_step (stmt) == SQLITE_ROW)
    {
      first = sqlite3_column_int64 (stmt, 0);
      last = sqlite3_column_int64 (stmt, 1);
      count = sqlite3_column_int64 (stmt, 2);
    }
  sqlite3_finalize (stmt);

  if (count == 0)
    return FALSE;

  delete = g_strdup_printf ("DELETE FROM %s WHERE t <= %" G_GINT64_FORMAT,
                            table, first + (last - first) / 2);

  return sqlite3_exec (w->db, delete, NULL, NULL, NULL) == SQLITE_OK;
}

/* Room a batch may take, generously: a raw row is some 25 bytes, plus
 * its share of the minute and quarter rows and of the B-tree's slack. */
#define SAMPLE_RESERVE_BYTES 64
#define ALERT_RESERVE_BYTES  1024

/* Keeps the file under the cap: before a batch, prunes when what is
 * used plus what the batch may take nears it; after, gives pages back
 * when the file itself is over (the cap was lowered). Freed pages are
 * reused, so the file only grows past what is used to hold a batch. */
static void
writer_make_room (JournalWriter *w,
                  guint64        max_size,
                  gint64         reserve)
{
  static const char *const order[] = { "raw", "minute", "quarter", "alerts" };
  gint64 high = (gint64) (max_size / 10 * 8) - reserve;
  gint64 low = MIN ((gint64) (max_size / 10 * 6), high);
  gint64 used;

  /* What was used at the last check, plus all reserved since, is an
   * upper bound: only measure when it could be over. */
  w->unchecked += reserve;
  if (w->used_bytes + w->unchecked <= high)
    return;

  used = writer_measure (w);
  for (guint i = 0; i < G_N_ELEMENTS (order) && used > low; i++)
    while (used > low && writer_prune_oldest (w, order[i]))
      used = writer_measure (w);

  w->unchecked = reserve;
}

static void
writer_give_back (JournalWriter *w,
                  guint64        max_size)
{
  gint64 file, used;

  /* Cheap most of the time: the file grew by at most what was reserved
   * since the last check, and a tick's batch never frees 1 MiB. */
  if (w->unchecked < 1024 * 1024 && w->file_bytes + w->unchecked <= (gint64) (max_size / 10 * 8))
    return;

  used = writer_measure (w);
  file = w->file_bytes;
  w->unchecked = 0;

  /* Over the cap, or mostly free pages after a big batch aged out. */
  if (file > (gint64) (max_size / 10 * 8) ||
      (file - used > file / 4 && file - used > 1024 * 1024))
    {
      sqlite3_exec (w->db, "PRAGMA incremental_vacuum", NULL, NULL, NULL);
      sqlite3_exec (w->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
      writer_measure (w);
    }
}

/* Writes what was queued in chunks that fit well under the cap, so even
 * a large batch against a small cap never pushes the file past it. */
static gboolean
writer_write (JournalWriter  *w,
              GArray         *samples,
              GPtrArray      *alerts,
              guint64         max_size,
              GError        **error)
{
  guint chunk = MAX (1, (guint) (max_size / 8 / SAMPLE_RESERVE_BYTES));
  g_autoptr(GPtrArray) no_alerts = g_ptr_array_new ();
  guint done = 0;

  do
    {
      guint n = MIN (chunk, samples->len - done);
      g_autoptr(GArray) part = g_array_sized_new (FALSE, FALSE, sizeof (PendingSample), n);
      GPtrArray *part_alerts = done + n >= samples->len ? alerts : no_alerts;

      g_array_append_vals (part, &g_array_index (samples, PendingSample, done), n);
      writer_make_room (w, max_size,
                        (gint64) n * SAMPLE_RESERVE_BYTES +
                        (gint64) part_alerts->len * ALERT_RESERVE_BYTES);
      if (!writer_write_batch (w, part, part_alerts, error))
        return FALSE;
      done += n;
    }
  while (done < samples->len);

  writer_give_back (w, max_size);

  return TRUE;
}

gpointer
health_journal_writer_thread (gpointer data)
{
  JournalWriter *w = data;

  g_mutex_lock (&w->mutex);

  for (;;)
    {
      gint64 deadline = g_get_monotonic_time () + FLUSH_INTERVAL_US;
      g_autoptr(GArray) samples = NULL;
      g_autoptr(GPtrArray) alerts = NULL;
      g_autoptr(GPtrArray) tasks = NULL;
      g_autoptr(GError) error = NULL;
      gboolean quit, cap_changed;
      guint64 max_size;

      while (!w->quit && w->flush_tasks->len == 0 && !w->max_size_changed)
        {
          if (w->idle)
            {
              /* The last batch was empty: no timer until the next record. */
              g_cond_wait (&w->cond, &w->mutex);
              deadline = g_get_monotonic_time () + FLUSH_INTERVAL_US;
            }
          else if (!g_cond_wait_until (&w->cond, &w->mutex, deadline))
            {
              break;
            }
        }

      samples = g_steal_pointer (&w->samples);
      w->samples = g_array_new (FALSE, FALSE, sizeof (PendingSample));
      alerts = g_steal_pointer (&w->alerts);
      w->alerts = g_ptr_array_new_with_free_func ((GDestroyNotify) health_journal_alert_free);
      tasks = g_steal_pointer (&w->flush_tasks);
      w->flush_tasks = g_ptr_array_new_with_free_func (g_object_unref);
      quit = w->quit;
      cap_changed = w->max_size_changed;
      w->max_size_changed = FALSE;
      max_size = w->max_size;
      w->idle = samples->len == 0 && alerts->len == 0;

      g_mutex_unlock (&w->mutex);

      /* A new cap, or the first batch: measure rather than estimate. */
      if (cap_changed)
        w->unchecked = G_MAXINT32;

      if (samples->len > 0 || alerts->len > 0)
        {
          if (!writer_write (w, samples, alerts, max_size, &error) && !w->warned)
            {
              w->warned = TRUE;
              g_warning ("Could not write to the journal: %s", error->message);
            }
        }
      else if (cap_changed)
        {
          writer_make_room (w, max_size, 0);
          writer_give_back (w, max_size);
        }

      for (guint i = 0; i < tasks->len; i++)
        {
          GTask *task = g_ptr_array_index (tasks, i);

          if (error != NULL)
            g_task_return_error (task, g_error_copy (error));
          else
            g_task_return_boolean (task, TRUE);
        }

      g_mutex_lock (&w->mutex);

      if (quit && w->samples->len == 0 && w->alerts->len == 0 && w->flush_tasks->len == 0)
        break;
    }

  g_mutex_unlock (&w->mutex);

  return NULL;
}

