/* health-journal-impl-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The journal's instance, shared by the files that make up the class
 * and by nothing else: health-journal.c (the object, its API and the
 * monitor hook), health-journal-file.c (the file: its schema and tiers,
 * opening, checking, moving a bad one aside), health-journal-writer.c
 * (the writer thread, tiers and the size cap) and health-journal-query.c
 * (queries, each on a worker).
 */

#pragma once

#include <sqlite3.h>

#include "health-journal-private.h"

G_BEGIN_DECLS

typedef struct
{
  const char *table;
  gint64      width_us;       /* 0: every sample */
  gint64      retention_us;
} JournalTier;

enum { TIER_RAW, TIER_MINUTE, TIER_QUARTER, N_TIERS };

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

extern const JournalTier health_journal_tiers[N_TIERS];

struct _HealthJournal
{
  GObject        parent_instance;

  char          *path;
  gboolean       read_only;
  guint64        max_size;
  JournalWriter *writer;
  GThread       *thread;
};


/* health-journal-file.c */
typedef enum
{
  JOURNAL_OK,
  JOURNAL_EMPTY,
  JOURNAL_NOT_OURS,
} JournalCheck;

void          health_journal_set_sqlite_error (GError        **error,
                                               sqlite3        *db,
                                               const char     *what);
gboolean      health_journal_exec             (sqlite3        *db,
                                               const char     *sql,
                                               GError        **error);
gboolean      health_journal_query_int        (sqlite3        *db,
                                               const char     *sql,
                                               gint64         *result,
                                               int            *sqlite_code);
sqlite3      *health_journal_open_connection  (const char     *path,
                                               gboolean        read_only,
                                               GError        **error);
JournalCheck  health_journal_check            (sqlite3        *db,
                                               char          **why);
void          health_journal_move_aside       (const char     *path,
                                               const char     *why);
gboolean      health_journal_configure        (sqlite3        *db,
                                               gboolean        is_new,
                                               GError        **error);

/* health-journal-writer.c */
void          health_journal_writer_free      (JournalWriter  *w);
gboolean      health_journal_writer_prepare   (JournalWriter  *w,
                                               GError        **error);
gpointer      health_journal_writer_thread    (gpointer        data);

G_END_DECLS
