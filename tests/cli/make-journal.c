/* make-journal.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `make-journal PATH`: a journal for test-history.py to read, ending
 * now: memory-usage every 2 s for three days (a sawtooth 50..59), and
 * an alert whose message and culprit carry what a terminal would obey.
 */

#include "health.h"
#include "health-journal-private.h"

static void
flushed (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!health_journal_flush_finish (HEALTH_JOURNAL (object), result, &error))
    g_error ("%s", error->message);
  *(gboolean *) user_data = TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(HealthJournal) journal = NULL;
  g_autoptr(GError) error = NULL;
  gint64 now = g_get_real_time ();
  const guint n = 3 * 24 * 1800;
  gboolean done = FALSE;

  if (argc != 2)
    return 2;

  journal = health_journal_new (argv[1], &error);
  if (journal == NULL)
    g_error ("%s", error->message);

  for (guint i = 0; i < n; i++)
    health_journal_record_sample (journal, "memory-usage",
                                  now - (gint64) (n - 1 - i) * 2 * G_USEC_PER_SEC, 50 + i % 10);

  health_journal_record_alert (journal, "memory-usage", now - 30 * 60 * G_USEC_PER_SEC,
                               HEALTH_STATUS_CRITICAL, 93.5,
                               "evil\033[31m, \"quoted\" (4242)",
                               "Memory Usage = 93.5 %\033]0;pwned\007 \u202eevil");
  health_journal_record_alert (journal, "memory-usage", now - 20 * 60 * G_USEC_PER_SEC,
                               HEALTH_STATUS_GOOD, 51, NULL, "Memory Usage is back to normal");

  health_journal_flush_async (journal, NULL, flushed, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* When "now" was: the newest sample's time, in µs since the epoch. */
  g_print ("%" G_GINT64_FORMAT "\n", now);

  return 0;
}
