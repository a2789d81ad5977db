/* health-journal-file.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The journal's file: its schema and tiers, opening a connection,
 * telling a journal from anything else, moving one that is not usable
 * aside, and configuring a new one.
 */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "health-journal-impl-private.h"
#include "health-text-private.h"

/* "HLTJ": what marks the file as ours, with the schema's version. */
#define JOURNAL_APPLICATION_ID 0x484c544a
#define JOURNAL_SCHEMA_VERSION 1

#define WAL_SIZE_LIMIT         4194304 /* 4 MiB */

const JournalTier health_journal_tiers[N_TIERS] = {
  { "raw", 0, G_GINT64_CONSTANT (3600) * G_USEC_PER_SEC },
  { "minute", G_GINT64_CONSTANT (60) * G_USEC_PER_SEC,
    G_GINT64_CONSTANT (2) * 24 * 3600 * G_USEC_PER_SEC },
  { "quarter", G_GINT64_CONSTANT (900) * G_USEC_PER_SEC,
    G_GINT64_CONSTANT (60) * 24 * 3600 * G_USEC_PER_SEC },
};

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

/* SQLite helpers */

void
health_journal_set_sqlite_error (GError     **error,
                                 sqlite3     *db,
                                 const char  *what)
{
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "%s: %s",
               what, db != NULL ? sqlite3_errmsg (db) : "out of memory");
}

gboolean
health_journal_exec (sqlite3     *db,
                     const char  *sql,
                     GError     **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      health_journal_set_sqlite_error (error, db, sql);
      return FALSE;
    }

  return TRUE;
}

/* Runs a statement that returns one integer; FALSE if it failed. */
gboolean
health_journal_query_int (sqlite3     *db,
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

sqlite3 *
health_journal_open_connection (const char  *path,
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

/* Whether the file is a journal: SQLite, our application_id and
 * user_version, and a quick_check that passes. */
JournalCheck
health_journal_check (sqlite3  *db,
                      char    **why)
{
  gint64 page_count = 0, app_id = 0, version = 0;
  sqlite3_stmt *stmt = NULL;
  JournalCheck check = JOURNAL_OK;

  if (!health_journal_query_int (db, "PRAGMA page_count", &page_count, NULL) ||
                                 !health_journal_query_int (db, "PRAGMA application_id", &app_id, NULL) ||
                                 !health_journal_query_int (db, "PRAGMA user_version", &version, NULL))
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

void
health_journal_move_aside (const char *path,
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

gboolean
health_journal_configure (sqlite3  *db,
                          gboolean  is_new,
                          GError  **error)
{
  g_autofree char *schema = NULL;

  /* auto_vacuum only takes on an empty file: before WAL mode writes
   * its header, and before the first table. */
  if (is_new && !health_journal_exec (db, "PRAGMA auto_vacuum = INCREMENTAL", error))
    return FALSE;

  if (!health_journal_exec (db, "PRAGMA journal_mode = WAL", error) ||
                            !health_journal_exec (db, "PRAGMA synchronous = NORMAL", error) ||
                            !health_journal_exec (db, "PRAGMA journal_size_limit = " G_STRINGIFY (WAL_SIZE_LIMIT), error))
    return FALSE;

  if (!is_new)
    return TRUE;

  schema = g_strdup_printf ("BEGIN; %s PRAGMA application_id = %d; PRAGMA user_version = %d; COMMIT;",
                            journal_schema, JOURNAL_APPLICATION_ID, JOURNAL_SCHEMA_VERSION);

  return health_journal_exec (db, schema, error);
}

