/* health-journal.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#pragma once

#if !defined(HEALTH_INSIDE) && !defined(HEALTH_COMPILATION)
#error "Only <health.h> can be included directly."
#endif

#include <gio/gio.h>

#include "health-version.h"
#include "health-types.h"
#include "health-monitor.h"

G_BEGIN_DECLS

/**
 * HEALTH_JOURNAL_DEFAULT_MAX_SIZE:
 *
 * The default [property@Health.Journal:max-size], in bytes: 64 MiB.
 *
 * Since: 1.0
 */
#define HEALTH_JOURNAL_DEFAULT_MAX_SIZE (G_GUINT64_CONSTANT (64) * 1024 * 1024)

/**
 * HEALTH_JOURNAL_MIN_MAX_SIZE:
 *
 * The smallest [property@Health.Journal:max-size] a journal takes: 64 KiB.
 *
 * Since: 1.0
 */
#define HEALTH_JOURNAL_MIN_MAX_SIZE (G_GUINT64_CONSTANT (64) * 1024)

typedef struct _HealthJournalPoint HealthJournalPoint;
typedef struct _HealthJournalAlert HealthJournalAlert;

/**
 * HealthJournalPoint:
 * @time_us: the start of the span the point covers, in microseconds
 *   since the Unix epoch
 * @min: the smallest value in the span
 * @mean: the mean of the values in the span
 * @max: the largest value in the span
 *
 * One point of a metric's history, as [method@Health.Journal.query_finish]
 * returns it. For a raw sample @min, @mean and @max are the same value;
 * at coarser tiers they are the envelope and mean of the span.
 *
 * Since: 1.0
 */
struct _HealthJournalPoint
{
  gint64 time_us;
  double min;
  double mean;
  double max;
};

/**
 * HealthJournalAlert:
 * @time_us: when it happened, in microseconds since the Unix epoch
 * @metric_id: the id of the metric
 * @status: %HEALTH_STATUS_WARNING or %HEALTH_STATUS_CRITICAL for an
 *   alert, %HEALTH_STATUS_GOOD for a recovery
 * @value: the value of the metric then
 * @culprit: (nullable): the process most responsible, if known
 * @message: (nullable): the alert's message, as the monitor made it
 *
 * An alert or a recovery recorded in a [class@Health.Journal].
 *
 * Since: 1.0
 */
struct _HealthJournalAlert
{
  gint64        time_us;
  char         *metric_id;
  HealthStatus  status;
  double        value;
  char         *culprit;
  char         *message;
};

#define HEALTH_TYPE_JOURNAL_POINT (health_journal_point_get_type ())
#define HEALTH_TYPE_JOURNAL_ALERT (health_journal_alert_get_type ())
#define HEALTH_TYPE_JOURNAL (health_journal_get_type ())

HEALTH_AVAILABLE_IN_ALL
GType               health_journal_point_get_type (void) G_GNUC_CONST;
HEALTH_AVAILABLE_IN_ALL
HealthJournalPoint *health_journal_point_copy     (const HealthJournalPoint *self);
HEALTH_AVAILABLE_IN_ALL
void                health_journal_point_free     (HealthJournalPoint       *self);

HEALTH_AVAILABLE_IN_ALL
GType               health_journal_alert_get_type (void) G_GNUC_CONST;
HEALTH_AVAILABLE_IN_ALL
HealthJournalAlert *health_journal_alert_copy     (const HealthJournalAlert *self);
HEALTH_AVAILABLE_IN_ALL
void                health_journal_alert_free     (HealthJournalAlert       *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthJournalPoint, health_journal_point_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (HealthJournalAlert, health_journal_alert_free)

HEALTH_AVAILABLE_IN_ALL
G_DECLARE_FINAL_TYPE (HealthJournal, health_journal, HEALTH, JOURNAL, GObject)

HEALTH_AVAILABLE_IN_ALL
HealthJournal *health_journal_new                (const char           *path,
                                                  GError              **error);
HEALTH_AVAILABLE_IN_ALL
HealthJournal *health_journal_new_read_only      (const char           *path,
                                                  GError              **error);
HEALTH_AVAILABLE_IN_ALL
const char    *health_journal_get_path           (HealthJournal        *self);
HEALTH_AVAILABLE_IN_ALL
gboolean       health_journal_get_read_only      (HealthJournal        *self);
HEALTH_AVAILABLE_IN_ALL
guint64        health_journal_get_max_size       (HealthJournal        *self);
HEALTH_AVAILABLE_IN_ALL
void           health_journal_set_max_size       (HealthJournal        *self,
                                                  guint64               max_size);

HEALTH_AVAILABLE_IN_ALL
void           health_journal_flush_async        (HealthJournal        *self,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
HEALTH_AVAILABLE_IN_ALL
gboolean       health_journal_flush_finish       (HealthJournal        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

HEALTH_AVAILABLE_IN_ALL
void           health_journal_query_async        (HealthJournal        *self,
                                                  const char           *metric_id,
                                                  gint64                from_us,
                                                  gint64                to_us,
                                                  guint                 max_points,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
HEALTH_AVAILABLE_IN_ALL
GPtrArray     *health_journal_query_finish       (HealthJournal        *self,
                                                  GAsyncResult         *result,
                                                  GError              **error);

HEALTH_AVAILABLE_IN_ALL
void           health_journal_query_alerts_async (HealthJournal        *self,
                                                  gint64                from_us,
                                                  gint64                to_us,
                                                  GCancellable         *cancellable,
                                                  GAsyncReadyCallback   callback,
                                                  gpointer              user_data);
HEALTH_AVAILABLE_IN_ALL
GPtrArray     *health_journal_query_alerts_finish (HealthJournal       *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

HEALTH_AVAILABLE_IN_ALL
void           health_monitor_set_journal        (HealthMonitor        *monitor,
                                                  HealthJournal        *journal);
HEALTH_AVAILABLE_IN_ALL
HealthJournal *health_monitor_get_journal        (HealthMonitor        *monitor);

G_END_DECLS
