/* health-judge-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Judging: what a metric's status calls for (an alert, a recovery), the
 * overall status with its emergency rules, and the telling of a
 * sample's verdicts once the culprits they name are found.
 */

#pragma once

#include <gio/gio.h>

#include "health-clock-private.h"
#include "health-metric-private.h"
#include "health-worker-private.h"
#include "probes/health-builtin-probes-private.h"

G_BEGIN_DECLS

#define HEALTH_N_CULPRIT_KINDS (HEALTH_CULPRIT_IO + 1)

/* What a metric's new status calls for. */
typedef struct
{
  HealthMetric *metric;
  HealthStatus  status;   /* WARNING or CRITICAL: an alert; GOOD: a recovery */
  int           kind;     /* HealthCulpritKind to look for, or -1 */
} HealthVerdict;

/* The monitor's bookkeeping of a metric's alerts. */
typedef struct
{
  gint64   last_alert[HEALTH_STATUS_EMERGENCY + 1];  /* monotonic µs, 0 for never */
  gboolean alerted;                                  /* an alert awaits its recovery */
} HealthAlertState;

GArray      *health_verdicts_new              (void);

int          health_judge_get_culprit_kind    (int                builtin_id);
void         health_judge_metric              (HealthMetric      *metric,
                                               HealthAlertState  *state,
                                               int                culprit_kind,
                                               guint              alert_cooldown_s,
                                               const HealthTime  *now,
                                               GArray            *verdicts);

/* The overall status, one metric at a time. */
typedef struct
{
  HealthStatus worst;
  gboolean     worsening;
  gboolean     emergency;
  guint        n_system;
  guint        n_system_known;
} HealthJudgeTally;

void         health_judge_tally_init          (HealthJudgeTally  *tally);
void         health_judge_tally_add           (HealthJudgeTally  *tally,
                                               HealthMetric      *metric,
                                               gboolean           tells_of_system,
                                               guint              emergency_after_s,
                                               gint64             now_mono_us);
HealthStatus health_judge_tally_finish        (HealthJudgeTally  *tally);

char        *health_judge_dup_unknown_reason  (HealthMetric * const *builtins,
                                               guint              n_metrics,
                                               const char        *proc_root,
                                               const char        *disk_path);

/* A sample's verdicts on their way out. Main context only. */
typedef struct
{
  GArray *verdicts;                            /* of HealthVerdict */
  char   *culprits[HEALTH_N_CULPRIT_KINDS];    /* found, or NULL */
  gint64  time_us;                             /* wall clock */
  gint64  mono_us;
} HealthTelling;

/* The culprits are in (or the wait for them is over). */
typedef void (*HealthTellingReadyFunc) (GObject       *owner,
                                        HealthTelling *telling);

HealthTelling *health_telling_new           (const HealthTime       *now,
                                             HealthTelling         **spare);
void           health_telling_seek_culprits (HealthTelling          *self,
                                             GObject                *owner,
                                             GMainContext           *context,
                                             HealthWorker           *worker,
                                             HealthTellingReadyFunc  ready);
void           health_telling_free          (HealthTelling          *self);
void           health_telling_recycle       (HealthTelling          *self,
                                             HealthTelling         **spare);

G_END_DECLS
