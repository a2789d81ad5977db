/* health-journal-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * How samples and alerts get into a journal: the monitor hook, the
 * tests and the bench call these on the journal's own thread (the one
 * that made it); they only queue, the writer thread writes.
 */

#pragma once

#include "health-journal.h"

G_BEGIN_DECLS

void health_journal_record_sample (HealthJournal *self,
                                   const char    *metric_id,
                                   gint64         time_us,
                                   double         value);
void health_journal_record_alert  (HealthJournal *self,
                                   const char    *metric_id,
                                   gint64         time_us,
                                   HealthStatus   status,
                                   double         value,
                                   const char    *culprit,
                                   const char    *message);

G_END_DECLS
