/* health-cli-log.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Where log messages go. GLib's default writer colours stderr without
 * asking NO_COLOR, and in `watch` stderr is the very screen being drawn
 * on. The sink is only called on the main thread; messages from the
 * monitor's worker are handed over through the main context.
 */

#include "config.h"

#include <stdio.h>
#include <unistd.h>

#include "health-cli-private.h"
#include "health-text-private.h"

typedef struct
{
  GLogLevelFlags  log_level;
  char           *message;
} SinkMessage;

/* Set on the main thread, read on any: the writer may run on the worker. */
static HealthCliLogSink log_sink;
static gpointer log_sink_data;
static GThread *main_thread;

static gboolean
deliver_to_sink (gpointer user_data)
{
  SinkMessage *message = user_data;
  HealthCliLogSink sink = (HealthCliLogSink) g_atomic_pointer_get (&log_sink);

  if (sink != NULL)
    sink (message->log_level, message->message, log_sink_data);
  else
    g_printerr ("%s\n", message->message);

  g_free (message->message);
  g_free (message);

  return G_SOURCE_REMOVE;
}

static char *
dup_log_field (const GLogField *field)
{
  if (field->length < 0)
    return g_strdup (field->value);

  return g_strndup (field->value, field->length);
}

static GLogWriterOutput
cli_log_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  g_autofree char *domain = NULL;
  g_autofree char *message = NULL;
  g_autofree char *formatted = NULL;
  g_autofree GLogField *clean_fields = NULL;
  gboolean severe = (log_level & (G_LOG_LEVEL_ERROR | G_LOG_LEVEL_CRITICAL)) != 0;

  for (gsize i = 0; i < n_fields; i++)
    {
      if (domain == NULL && g_strcmp0 (fields[i].key, "GLIB_DOMAIN") == 0)
        domain = dup_log_field (&fields[i]);
      else if (message == NULL && g_strcmp0 (fields[i].key, "MESSAGE") == 0)
        message = dup_log_field (&fields[i]);
    }

  if (g_log_writer_default_would_drop (log_level, domain))
    return G_LOG_WRITER_HANDLED;

  /* Messages quote names, paths and errors from elsewhere: shown on a
   * terminal, as one line each, with nothing in them that it would obey. */
  if (message != NULL)
    {
      g_autofree char *raw = g_steal_pointer (&message);

      message = health_text_sanitize (raw, -1);
      clean_fields = g_memdup2 (fields, n_fields * sizeof *fields);
      for (gsize i = 0; i < n_fields; i++)
        if (g_strcmp0 (clean_fields[i].key, "MESSAGE") == 0)
          {
            clean_fields[i].value = message;
            clean_fields[i].length = -1;
          }
      fields = clean_fields;
    }

  /* Errors and criticals are bugs and may abort right after this returns
   * (G_DEBUG=fatal-criticals): they go to a restored terminal, and the
   * sink only learns that they happened. */
  if (severe)
    health_cli_term_leave ();

  if (g_atomic_pointer_get (&log_sink) != NULL && message != NULL)
    {
      SinkMessage *sink_message = g_new0 (SinkMessage, 1);

      sink_message->log_level = log_level;
      sink_message->message = g_strdup (message);

      if (g_thread_self () == main_thread)
        deliver_to_sink (sink_message);
      else
        g_main_context_invoke (NULL, deliver_to_sink, sink_message);

      if (!severe)
        return G_LOG_WRITER_HANDLED;
    }

  formatted = g_log_writer_format_fields (log_level, fields, n_fields,
                                          health_cli_want_color (STDERR_FILENO));
  fprintf (stderr, "%s\n", formatted);
  fflush (stderr);

  return G_LOG_WRITER_HANDLED;
}

void
health_cli_install_log_writer (void)
{
  main_thread = g_thread_self ();
  g_log_set_writer_func (cli_log_writer, NULL, NULL);
}

void
health_cli_set_log_sink (HealthCliLogSink sink,
                         gpointer         user_data)
{
  g_return_if_fail (g_thread_self () == main_thread);

  log_sink_data = user_data;
  g_atomic_pointer_set (&log_sink, sink);
}
