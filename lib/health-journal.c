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
#include "health-journal-private.h"
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

/* "HLTJ": what marks the file as ours, with the schema's version. */
#define JOURNAL_APPLICATION_ID 0x484c544a
#define JOURNAL_SCHEMA_VERSION 1

/* Batches, not samples, wake the writer: at a 2 s interval, one commit
 * for five samples, and no wake-up at all while nothing is recorded. */
#define FLUSH_INTERVAL_US      (10 * G_USEC_PER_SEC)
#define ALERT_RETENTION_US     (G_GINT64_CONSTANT (60) * 24 * 3600 * G_USEC_PER_SEC)
#define RETENTION_STEP_US      (60 * G_USEC_PER_SEC)
#define WAL_SIZE_LIMIT         4194304 /* 4 MiB */

typedef struct
{
  const char *table;
  gint64      width_us;       /* 0: every sample */
  gint64      retention_us;
} JournalTier;

static const JournalTier tiers[] = {
  { "raw", 0, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC },
  { "minute", G_GINT64_CONSTANT (60) * G_USEC_PER_SEC,
    G_GINT64_CONSTANT (2) * 24 * 3600 * G_USEC_PER_SEC },
  { "quarter", G_GINT64_CONSTANT (900) * G_USEC_PER_SEC,
    G_GINT64_CONSTANT (60) * 24 * 3600 * G_USEC_PER_SEC },
};

enum { TIER_RAW, TIER_MINUTE, TIER_QUARTER, N_TIERS };

/* Time first in every key: a batch appends to the last pages of each
 * table instead of touching one page per metric, and retention deletes
 * a range at the start. Queries of one metric filter a time range. */
static const char journal_schema[] =
  "CREATE TABLE metrics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
  "CREATE TABLE raw (metric INTEGER NOT NULL, t INTEGER NOT NULL, v REAL NOT NULL,"
  "                  PRIMARY KEY (t, metric)) WITHOUT ROWID;"
  "CREATE TABLE minute (metric INTEGER NOT NULL, t INTEGER NOT NULL, min REAL NOT NULL,"
  "                     max REAL NOT NULL, sum REAL NOT NULL, n INTEGER NOT NULL,"
  "                     PRIMARY KEY (t, metric)) WITHOUT ROWID;"
  "CREATE TABLE quarter (metric INTEGER NOT NULL, t INTEGER NOT NULL, min REAL NOT NULL,"
  "                      max REAL NOT NULL, sum REAL NOT NULL, n INTEGER NOT NULL,"
  "                      PRIMARY KEY (t, metric)) WITHOUT ROWID;"
  "CREATE TABLE alerts (id INTEGER PRIMARY KEY, t INTEGER NOT NULL, metric TEXT NOT NULL,"
  "                     status INTEGER NOT NULL, value REAL, culprit TEXT, message TEXT);"
  "CREATE INDEX alerts_by_time ON alerts (t);";

typedef struct
{
  const char *metric_id;   /* interned */
  gint64      time_us;
  double      value;
} PendingSample;

/* What the writer thread owns: its connection and statements, and the
 * queue the journal's thread fills under the mutex. */
typedef struct
{
  GMutex        mutex;
  GCond         cond;
  GArray       *samples;       /* PendingSample, under mutex */
  GPtrArray    *alerts;        /* HealthJournalAlert, under mutex */
  GPtrArray    *flush_tasks;   /* GTask, under mutex */
  guint64       max_size;      /* under mutex */
  gboolean      max_size_changed;
  gboolean      quit;
  gboolean      idle;          /* the writer sleeps until a record comes */

  /* The writer thread's own, after it starts. */
  sqlite3      *db;
  GHashTable   *metric_ids;    /* interned name -> id */
  sqlite3_stmt *insert_metric;
  sqlite3_stmt *insert_raw;
  sqlite3_stmt *upsert[N_TIERS];
  sqlite3_stmt *prune[N_TIERS];
  sqlite3_stmt *insert_alert;
  gint64        newest_us;
  gint64        retained_us;   /* newest_us at the last retention pass */
  gint64        used_bytes;    /* at the last size check */
  gint64        file_bytes;    /* likewise */
  gint64        unchecked;     /* bytes reserved since */
  gboolean      warned;
} JournalWriter;

struct _HealthJournal
{
  GObject        parent_instance;

  char          *path;
  gboolean       read_only;
  guint64        max_size;
  JournalWriter *writer;
  GThread       *thread;
};

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

/* SQLite helpers */

static void
set_sqlite_error (GError     **error,
                  sqlite3     *db,
                  const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
               what, db != NULL ? sqlite3_errmsg (db) : "out of memory");
}

static gboolean
journal_exec (sqlite3     *db,
              const char  *sql,
              GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, db, sql);
      return FALSE;
    }

  return TRUE;
}

/* Runs a statement that returns one integer; FALSE if it failed. */
static gboolean
journal_query_int (sqlite3     *db,
                   const char  *sql,
                   gint64      *result,
                   int         *sqlite_code)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  *result = 0;
  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          *result = sqlite3_column_int64 (stmt, 0);
          rc = SQLITE_OK;
        }
      else if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);

  if (sqlite_code != NULL)
    *sqlite_code = rc;

  return rc == SQLITE_OK;
}

static sqlite3 *
journal_open_connection (const char  *path,
                         gboolean     read_only,
                         GError     **error)
{
  sqlite3 *db = NULL;
  int flags = read_only ? SQLITE_OPEN_READONLY
                        : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;

  if (sqlite3_open_v2 (path, &db, flags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Cannot open the journal %s: %s"), path,
                   db != NULL ? sqlite3_errmsg (db) : "out of memory");
      sqlite3_close (db);
      return NULL;
    }

  sqlite3_busy_timeout (db, 2000);
  sqlite3_extended_result_codes (db, 0);

  return db;
}

typedef enum
{
  JOURNAL_OK,
  JOURNAL_EMPTY,
  JOURNAL_NOT_OURS,
} JournalCheck;

/* Whether the file is a journal: SQLite, our application_id and
 * user_version, and a quick_check that passes. */
static JournalCheck
journal_check (sqlite3  *db,
               char    **why)
{
  gint64 page_count = 0, app_id = 0, version = 0;
  sqlite3_stmt *stmt = NULL;
  JournalCheck check = JOURNAL_OK;

  if (!journal_query_int (db, "PRAGMA page_count", &page_count, NULL) ||
      !journal_query_int (db, "PRAGMA application_id", &app_id, NULL) ||
      !journal_query_int (db, "PRAGMA user_version", &version, NULL))
    {
      *why = g_strdup (sqlite3_errmsg (db));
      return JOURNAL_NOT_OURS;
    }

  if (page_count == 0)
    return JOURNAL_EMPTY;

  if (app_id != JOURNAL_APPLICATION_ID || version != JOURNAL_SCHEMA_VERSION)
    {
      *why = g_strdup (_("not a health-monitor journal"));
      return JOURNAL_NOT_OURS;
    }

  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW ||
      g_strcmp0 ((const char *) sqlite3_column_text (stmt, 0), "ok") != 0)
    {
      *why = g_strdup (sqlite3_errmsg (db));
      check = JOURNAL_NOT_OURS;
    }
  sqlite3_finalize (stmt);

  return check;
}

static void
journal_move_aside (const char *path,
                    const char *why)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%dT%H%M%SZ");
  g_autofree char *aside = g_strdup_printf ("%s.corrupt-%s", path, stamp);
  g_autofree char *safe_why = health_text_sanitize (why, -1);
  static const char *const suffixes[] = { "-wal", "-shm" };

  if (g_rename (path, aside) != 0)
    {
      /* Rather lose it than fail to record from now on. */
      g_unlink (path);
      g_clear_pointer (&aside, g_free);
    }

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = aside != NULL ? g_strconcat (aside, suffixes[i], NULL) : NULL;

      if (to == NULL || g_rename (from, to) != 0)
        g_unlink (from);
    }

  g_warning ("The journal %s was not usable (%s); it was moved aside to %s and a new one started",
             path, safe_why, aside != NULL ? aside : "(nowhere, removed)");
}

static gboolean
journal_configure (sqlite3  *db,
                   gboolean  is_new,
                   GError  **error)
{
  g_autofree char *schema = NULL;

  /* auto_vacuum only takes on an empty file: before WAL mode writes
   * its header, and before the first table. */
  if (is_new && !journal_exec (db, "PRAGMA auto_vacuum = INCREMENTAL", error))
    return FALSE;

  if (!journal_exec (db, "PRAGMA journal_mode = WAL", error) ||
      !journal_exec (db, "PRAGMA synchronous = NORMAL", error) ||
      !journal_exec (db, "PRAGMA journal_size_limit = " G_STRINGIFY (WAL_SIZE_LIMIT), error))
    return FALSE;

  if (!is_new)
    return TRUE;

  schema = g_strdup_printf ("BEGIN; %s PRAGMA application_id = %d; PRAGMA user_version = %d; COMMIT;",
                            journal_schema, JOURNAL_APPLICATION_ID, JOURNAL_SCHEMA_VERSION);

  return journal_exec (db, schema, error);
}

/* The writer thread */

static void
journal_writer_free (JournalWriter *w)
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

static gboolean
writer_prepare (JournalWriter  *w,
                GError        **error)
{
  sqlite3_stmt *stmt = NULL;

  w->metric_ids = g_hash_table_new (NULL, NULL);

  if (sqlite3_prepare_v2 (w->db, "SELECT id, name FROM metrics", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (error, w->db, "metrics");
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
      set_sqlite_error (error, w->db, "prepare");
      return FALSE;
    }

  for (guint i = 0; i < N_TIERS; i++)
    {
      g_autofree char *prune = g_strdup_printf ("DELETE FROM %s WHERE t < ?1",
                                                tiers[i].table);

      if (sqlite3_prepare_v2 (w->db, prune, -1, &w->prune[i], NULL) != SQLITE_OK)
        {
          set_sqlite_error (error, w->db, "prepare");
          return FALSE;
        }

      if (tiers[i].width_us > 0)
        {
          g_autofree char *upsert =
            g_strdup_printf ("INSERT INTO %1$s (metric, t, min, max, sum, n) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
                             " ON CONFLICT (t, metric) DO UPDATE SET"
                             " min = MIN (min, excluded.min), max = MAX (max, excluded.max),"
                             " sum = sum + excluded.sum, n = n + excluded.n",
                             tiers[i].table);

          if (sqlite3_prepare_v2 (w->db, upsert, -1, &w->upsert[i], NULL) != SQLITE_OK)
            {
              set_sqlite_error (error, w->db, "prepare");
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
      set_sqlite_error (error, w->db, "write");
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
  gint64 width = tiers[tier].width_us;
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
      sqlite3_bind_int64 (w->prune[i], 1, w->newest_us - tiers[i].retention_us);
      if (!writer_step (w, w->prune[i], error))
        return FALSE;
    }

  alerts = g_strdup_printf ("DELETE FROM alerts WHERE t < %" G_GINT64_FORMAT,
                            w->newest_us - ALERT_RETENTION_US);

  return journal_exec (w->db, alerts, error);
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

  if (!journal_exec (w->db, "BEGIN IMMEDIATE", error))
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

  if (!journal_exec (w->db, "COMMIT", error))
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

  journal_query_int (w->db, "PRAGMA page_size", &page_size, NULL);
  journal_query_int (w->db, "PRAGMA page_count", &page_count, NULL);
  journal_query_int (w->db, "PRAGMA freelist_count", &freelist, NULL);

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

static gpointer
writer_thread (gpointer data)
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

      if (!(db = journal_open_connection (self->path, TRUE, error)))
        return FALSE;

      check = journal_check (db, &why);
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

  if (!(db = journal_open_connection (self->path, FALSE, error)))
    return FALSE;

  check = journal_check (db, &why);
  if (check == JOURNAL_NOT_OURS)
    {
      sqlite3_close (db);
      journal_move_aside (self->path, why);
      if (!(db = journal_open_connection (self->path, FALSE, error)))
        return FALSE;
      check = JOURNAL_EMPTY;
    }

  if (!journal_configure (db, check == JOURNAL_EMPTY, error))
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

  if (!writer_prepare (w, error))
    {
      journal_writer_free (w);
      return FALSE;
    }

  self->writer = w;
  self->thread = g_thread_new ("health-journal", writer_thread, w);

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

  g_clear_pointer (&self->writer, journal_writer_free);

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
  g_autofree char *sql = g_strdup_printf ("SELECT MIN (t) FROM %s WHERE metric = ?1", tiers[tier].table);
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

      if (first[i] <= from_us + tiers[i + 1].width_us)
        return i;

      for (guint j = i + 1; j < N_TIERS; j++)
        if (has[j] && first[j] + tiers[j].width_us <= first[i])
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

  if (!(db = journal_open_connection (input->path, TRUE, &error)))
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
                           tiers[tier].table);

  points = g_ptr_array_new_with_free_func ((GDestroyNotify) health_journal_point_free);

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (&error, db, "query");
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

  if (!(db = journal_open_connection (input->path, TRUE, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (sqlite3_prepare_v2 (db,
                          "SELECT t, metric, status, value, culprit, message FROM alerts"
                          " WHERE t >= ?1 AND t <= ?2 ORDER BY t, id", -1, &stmt, NULL) != SQLITE_OK)
    {
      set_sqlite_error (&error, db, "query");
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
