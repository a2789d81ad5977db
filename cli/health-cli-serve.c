/* health-cli-serve.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * `health-monitor serve [--listen HOST:PORT] [--interval MS]`: sample
 * every interval and answer Prometheus at /metrics, over HTTP with
 * libsoup 3.
 *
 * Everything runs on the main loop: sampling (the monitor's worker only
 * reads /proc and hands a snapshot back) and every connection, which
 * libsoup serves asynchronously. A request never samples: it gets the
 * text made when the last sample was applied, so a thousand scrapes
 * cost a thousand memcpy()s and cannot slow sampling down.
 *
 * The server is meant for a scraper or two, and must survive anything
 * else that connects: connections are accepted here, not by libsoup, so
 * that they can be counted, capped (the least recently active one makes
 * room for a new one) and closed when a request does not arrive or
 * complete within --timeout seconds (a client trickling half a request
 * holds nothing for long). Each request's head is judged before libsoup
 * parses it (health-cli-request-filter.c): a body other than one of a
 * valid length up to 64 KiB, which is read and dropped, is refused
 * unread; libsoup itself refuses heads beyond 64 KiB.
 */

#include "config.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>
#include <glib-unix.h>
#include <libsoup/soup.h>

#include "health-cli-private.h"
#include "health-cli-request-filter.h"

#define DEFAULT_LISTEN       "127.0.0.1:9464"
#define DEFAULT_PORT         9464
/* Prometheus' most common scrape interval. */
#define DEFAULT_INTERVAL_MS  15000
#define DEFAULT_TIMEOUT_S    10
/* A host has a scraper or two; this is far above, and far below the
 * default limit of 1024 open files. */
#define MAX_CONNECTIONS      128
#define LISTEN_BACKLOG       1024

#define CONTENT_TYPE_PROMETHEUS  "text/plain; version=0.0.4; charset=utf-8"
#define CONTENT_TYPE_OPENMETRICS "application/openmetrics-text; version=1.0.0; charset=utf-8"
#define CONTENT_TYPE_MESSAGE     "text/plain; charset=utf-8"

/* So that libsoup's messages lead back to our connection. */
#define CONNECTION_KEY "health-serve-connection"

typedef struct _Serve Serve;

typedef struct
{
  Serve             *serve;
  /* Not a reference: libsoup owns it, and we learn that it is gone
   * through a weak reference. */
  GSocketConnection *connection;
  /* The address object libsoup gives back with each of its messages. */
  GSocketAddress    *remote;
  gint64             last_active_us;   /* monotonic */
  gint64             deadline_us;      /* monotonic */
  gboolean           closing;          /* shut down, libsoup has yet to let go */
} Connection;

struct _Serve
{
  HealthMonitor  *monitor;
  GMainLoop      *loop;
  SoupServer     *server;
  GSocketService *service;
  GHashTable     *connections;         /* set of Connection * */
  guint           n_open;              /* connections not closing */
  gint64          timeout_us;
  GBytes         *prometheus_text;     /* NULL until the first sample */
  GBytes         *openmetrics_text;
  guint64         n_samples;
  gulong          sampled_handler;
  guint           sweep_source;
};

/* -- connections ------------------------------------------------------------ */

static void
connection_free (Connection *conn)
{
  g_object_set_data (G_OBJECT (conn->remote), CONNECTION_KEY, NULL);
  g_object_unref (conn->remote);
  g_free (conn);
}

/* Half-closes both ways rather than close(): the descriptor stays valid
 * for the sources libsoup has on it, which wake up to an end of file
 * and drop the connection on their own. */
static void
connection_shut_down (Connection *conn,
                      const char *why)
{
  GSocket *socket;

  if (conn->closing)
    return;

  g_debug ("Closing a connection: %s", why);

  conn->closing = TRUE;
  conn->serve->n_open--;

  socket = g_socket_connection_get_socket (conn->connection);
  if (!g_socket_is_closed (socket))
    g_socket_shutdown (socket, TRUE, TRUE, NULL);
}

static void
on_connection_finalized (gpointer  user_data,
                         GObject  *where_the_object_was)
{
  Connection *conn = user_data;

  if (!conn->closing)
    conn->serve->n_open--;

  g_hash_table_remove (conn->serve->connections, conn);
  connection_free (conn);
}

static Connection *
connection_for_message (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (remote == NULL)
    return NULL;

  return g_object_get_data (G_OBJECT (remote), CONNECTION_KEY);
}

static void
connection_touch (Connection *conn)
{
  conn->last_active_us = g_get_monotonic_time ();
  conn->deadline_us = conn->last_active_us + conn->serve->timeout_us;
}

/* Makes room for a new connection: the one that has done nothing for
 * the longest goes, which is a flood's oldest connection rather than a
 * scraper's. */
static void
serve_evict_one (Serve *self)
{
  GHashTableIter iter;
  Connection *conn;
  Connection *oldest = NULL;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    if (!conn->closing && (oldest == NULL || conn->last_active_us < oldest->last_active_us))
      oldest = conn;

  if (oldest != NULL)
    connection_shut_down (oldest, "too many connections");
}

static gboolean
on_sweep (gpointer user_data)
{
  Serve *self = user_data;
  gint64 now = g_get_monotonic_time ();
  GHashTableIter iter;
  Connection *conn;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
    if (!conn->closing && now >= conn->deadline_us)
      connection_shut_down (conn, "timed out");

  return G_SOURCE_CONTINUE;
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source_object,
             gpointer           user_data)
{
  Serve *self = user_data;
  g_autoptr (GSocketAddress) local = NULL;
  g_autoptr (GSocketAddress) remote = NULL;
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GError) error = NULL;
  Connection *conn;

  local = g_socket_connection_get_local_address (connection, &error);
  if (local != NULL)
    remote = g_socket_connection_get_remote_address (connection, &error);
  if (remote == NULL)
    {
      /* Reset before we got to it; the service closes it. GIO gives no
       * error for the remote address of a socket it never saw connected
       * (the peer was gone before accept() returned). */
      g_debug ("Dropping a connection: %s",
               error != NULL ? error->message : "reset before it was served");
      return TRUE;
    }

  if (self->n_open >= MAX_CONNECTIONS)
    serve_evict_one (self);

  /* Responses are one write; do not let Nagle hold their end back. */
  g_socket_set_option (g_socket_connection_get_socket (connection),
                       IPPROTO_TCP, TCP_NODELAY, TRUE, NULL);

  conn = g_new0 (Connection, 1);
  conn->serve = self;
  conn->connection = connection;
  conn->remote = g_object_ref (remote);
  connection_touch (conn);
  g_object_set_data (G_OBJECT (remote), CONNECTION_KEY, conn);
  g_object_weak_ref (G_OBJECT (connection), on_connection_finalized, conn);
  g_hash_table_add (self->connections, conn);
  self->n_open++;

  /* libsoup gets the request once its head has passed the filter. */
  stream = health_cli_request_filter_wrap (connection);
  if (!soup_server_accept_iostream (self->server, stream, local, remote, &error))
    {
      g_debug ("Could not serve a connection: %s", error->message);
      connection_shut_down (conn, "not accepted");
    }

  return TRUE;
}

/* A request was read: its response gets the same time to go out. */
static void
on_request_read (SoupServer        *server,
                 SoupServerMessage *msg,
                 gpointer           user_data)
{
  Connection *conn = connection_for_message (msg);

  if (conn != NULL)
    connection_touch (conn);
}

/* -- requests --------------------------------------------------------------- */

static void
respond_text (SoupServerMessage *msg,
              guint              status,
              const char        *text)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, CONTENT_TYPE_MESSAGE, SOUP_MEMORY_COPY,
                                    text, strlen (text));
}

/* Whether the client prefers OpenMetrics. Prometheus asks for
 * application/openmetrics-text first, then text/plain with a lower q,
 * then anything; curl asks for anything. Whatever we cannot read gets
 * the classic format, which every scraper reads. */
static gboolean
wants_openmetrics (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *accept = soup_message_headers_get_list (headers, "Accept");
  GSList *acceptable;
  gboolean openmetrics = FALSE;

  if (accept == NULL)
    return FALSE;

  /* Best first; q=0 ones are left out. */
  acceptable = soup_header_parse_quality_list (accept, NULL);
  for (GSList *l = acceptable; l != NULL; l = l->next)
    {
      const char *type = l->data;

      if (g_ascii_strncasecmp (type, "application/openmetrics-text",
                               strlen ("application/openmetrics-text")) == 0)
        {
          openmetrics = TRUE;
          break;
        }
      if (g_ascii_strncasecmp (type, "text/plain", strlen ("text/plain")) == 0 ||
          g_ascii_strncasecmp (type, "text/*", strlen ("text/*")) == 0 ||
          g_ascii_strncasecmp (type, "*/*", strlen ("*/*")) == 0)
        break;
    }
  soup_header_free_list (acceptable);

  return openmetrics;
}

/* After libsoup has parsed a request's headers, whatever it made of them,
 * and before it reads the body. (Its early handlers are no place for
 * this: they only run for requests it found nothing wrong with, on a
 * path that has a handler, and OPTIONS * has none.) */
static void
on_got_headers (SoupServerMessage *msg,
                gpointer           user_data)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);

  /* The request filter let through only a body of a valid length up to
   * 64 KiB: read, and dropped. */
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);

  /* A part of a scrape is of no use, and libsoup, which would answer
   * ranges on its own, takes a start beyond 2^63 for a negative offset
   * (a critical). A server may ignore Range (RFC 9110, 14.2). */
  soup_message_headers_remove (headers, "Range");
}

/* Before libsoup has parsed anything of a request. */
static void
on_request_started (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  g_signal_connect (msg, "got-headers", G_CALLBACK (on_got_headers), NULL);
}

/* Before the body is read, for requests libsoup has nothing against: the
 * path and the method are judged here, so that nothing waits for a body
 * nobody needs. */
static void
on_early_request (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  const char *method = soup_server_message_get_method (msg);

  /* One request per connection: libsoup closes connections it did not
   * accept itself after each response, and saying so keeps clients
   * from sending a second request into a closing socket. */
  soup_message_headers_replace (response_headers, "Connection", "close");

  if (strcmp (path, "/metrics") != 0)
    {
      respond_text (msg, SOUP_STATUS_NOT_FOUND, "Not found: the metrics are at /metrics\n");
      return;
    }

  if (method != SOUP_METHOD_GET && method != SOUP_METHOD_HEAD)
    {
      soup_message_headers_replace (response_headers, "Allow", "GET, HEAD");
      respond_text (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "Only GET and HEAD are served here\n");
      return;
    }
}

/* GET or HEAD /metrics: the early handler answered every other request. */
static void
on_request (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Serve *self = user_data;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (msg);
  gboolean openmetrics;
  GBytes *text;

  if (self->prometheus_text == NULL)
    {
      /* Only for the moment between listening and the first sample. */
      soup_message_headers_replace (response_headers, "Retry-After", "1");
      respond_text (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "No sample yet\n");
      return;
    }

  openmetrics = wants_openmetrics (msg);
  text = openmetrics ? self->openmetrics_text : self->prometheus_text;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_message_headers_replace (response_headers, "Vary", "Accept");
  soup_message_headers_replace (response_headers, "Cache-Control", "no-store");
  soup_message_headers_set_content_type (response_headers,
                                         openmetrics ? CONTENT_TYPE_OPENMETRICS
                                                     : CONTENT_TYPE_PROMETHEUS,
                                         NULL);
  /* libsoup sends the length and no body for HEAD. */
  soup_message_body_append_bytes (soup_server_message_get_response_body (msg), text);
}

/* -- sampling --------------------------------------------------------------- */

static GBytes *
bytes_new_take_string (char *text)
{
  return g_bytes_new_take (text, strlen (text));
}

static void
on_sampled (HealthMonitor *monitor,
            gpointer       user_data)
{
  Serve *self = user_data;
  gint64 now = g_get_real_time ();

  self->n_samples++;

  g_clear_pointer (&self->prometheus_text, g_bytes_unref);
  g_clear_pointer (&self->openmetrics_text, g_bytes_unref);
  self->prometheus_text =
    bytes_new_take_string (health_cli_dup_exposition (monitor, HEALTH_CLI_EXPOSURE_PROMETHEUS,
                                                      self->n_samples, now));
  self->openmetrics_text =
    bytes_new_take_string (health_cli_dup_exposition (monitor, HEALTH_CLI_EXPOSURE_OPENMETRICS,
                                                      self->n_samples, now));
}

/* -- listening -------------------------------------------------------------- */

static char *
format_address (GInetSocketAddress *address)
{
  g_autofree char *host = g_inet_address_to_string (g_inet_socket_address_get_address (address));
  guint16 port = g_inet_socket_address_get_port (address);

  if (g_inet_address_get_family (g_inet_socket_address_get_address (address)) == G_SOCKET_FAMILY_IPV6)
    return g_strdup_printf ("[%s]:%u", host, port);

  return g_strdup_printf ("%s:%u", host, port);
}

/* 127.0.0.0/8 and ::1, and 127.0.0.0/8 mapped into IPv6
 * (::ffff:127.0.0.1), which binds the same IPv4 loopback. */
static gboolean
is_loopback (GInetAddress *address)
{
  static const guint8 v4_mapped_prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
  const guint8 *bytes = g_inet_address_to_bytes (address);

  if (g_inet_address_get_is_loopback (address))
    return TRUE;

  return g_inet_address_get_family (address) == G_SOCKET_FAMILY_IPV6 &&
         memcmp (bytes, v4_mapped_prefix, sizeof v4_mapped_prefix) == 0 &&
         bytes[12] == 127;
}

/* HOST:PORT, [IPV6]:PORT, or HOST alone for the default port. A name
 * such as localhost may give several addresses; all are listened on.
 * An empty host is refused rather than taken to mean every interface:
 * that must be asked for as 0.0.0.0 or [::]. */
static GPtrArray *
resolve_listen (const char  *listen,
                GError     **error)
{
  g_autoptr (GSocketConnectable) connectable = NULL;
  g_autoptr (GSocketAddressEnumerator) enumerator = NULL;
  g_autoptr (GPtrArray) addresses = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GSocketAddress *address;

  if (listen[0] == ':' && listen[1] != ':')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   _("“%s” has no host: give 127.0.0.1%s for this machine only, or "
                     "0.0.0.0%s to listen on every interface"), listen, listen, listen);
      return NULL;
    }

  connectable = g_network_address_parse (listen, DEFAULT_PORT, error);
  if (connectable == NULL)
    return NULL;

  enumerator = g_socket_connectable_enumerate (connectable);
  while ((address = g_socket_address_enumerator_next (enumerator, NULL, error)) != NULL)
    {
      g_autofree char *text = NULL;

      if (!G_IS_INET_SOCKET_ADDRESS (address))
        {
          g_object_unref (address);
          continue;
        }

      text = format_address (G_INET_SOCKET_ADDRESS (address));
      if (!g_hash_table_add (seen, g_steal_pointer (&text)))
        {
          g_object_unref (address);
          continue;
        }

      g_ptr_array_add (addresses, address);
    }

  if (error != NULL && *error != NULL)
    return NULL;

  if (addresses->len == 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("“%s” has no address to listen on"), listen);
      return NULL;
    }

  return g_steal_pointer (&addresses);
}

/* Binds every address; with port 0 the first one picks a port and the
 * others take the same, so that one URL works for all. */
static gboolean
serve_listen (Serve      *self,
              GPtrArray  *addresses,
              GPtrArray  *bound,
              GError    **error)
{
  GSocketListener *listener = G_SOCKET_LISTENER (self->service);
  guint16 port = 0;

  for (guint i = 0; i < addresses->len; i++)
    {
      GInetSocketAddress *address = g_ptr_array_index (addresses, i);
      g_autoptr (GSocketAddress) wanted = NULL;
      g_autoptr (GSocketAddress) effective = NULL;
      g_autoptr (GError) local_error = NULL;

      if (port != 0 && g_inet_socket_address_get_port (address) == 0)
        wanted = g_inet_socket_address_new (g_inet_socket_address_get_address (address), port);
      else
        wanted = g_object_ref (G_SOCKET_ADDRESS (address));

      if (!g_socket_listener_add_address (listener, wanted, G_SOCKET_TYPE_STREAM,
                                          G_SOCKET_PROTOCOL_TCP, NULL, &effective,
                                          &local_error))
        {
          g_autofree char *text = format_address (G_INET_SOCKET_ADDRESS (wanted));

          /* localhost is also ::1, which a machine without IPv6 lacks:
           * one address is enough. */
          if (i > 0 && bound->len > 0)
            {
              g_debug ("Not listening on %s: %s", text, local_error->message);
              continue;
            }

          g_set_error (error, local_error->domain, local_error->code,
                       _("Cannot listen on %s: %s"), text, local_error->message);
          return FALSE;
        }

      port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
      g_ptr_array_add (bound, g_steal_pointer (&effective));
    }

  return TRUE;
}

static gboolean
print_listening (GPtrArray *bound)
{
  g_autoptr (GString) lines = g_string_new (NULL);

  for (guint i = 0; i < bound->len; i++)
    {
      g_autofree char *text = format_address (g_ptr_array_index (bound, i));

      g_string_append_printf (lines, _("Listening on http://%s/metrics\n"), text);
    }

  return health_cli_print (lines->str);
}

/* -- the command ------------------------------------------------------------ */

static gboolean
on_quit_signal (gpointer user_data)
{
  Serve *self = user_data;

  g_main_loop_quit (self->loop);

  return G_SOURCE_CONTINUE;
}

static void
serve_clear (Serve *self)
{
  GHashTableIter iter;
  Connection *conn;

  if (self->monitor != NULL)
    {
      health_monitor_stop (self->monitor);
      g_clear_signal_handler (&self->sampled_handler, self->monitor);
      g_clear_object (&self->monitor);
    }

  if (self->service != NULL)
    {
      g_socket_service_stop (self->service);
      g_socket_listener_close (G_SOCKET_LISTENER (self->service));
    }

  /* libsoup closes what it still holds; our records go with the weak
   * references, or here for the ones it let go of already. */
  if (self->server != NULL)
    soup_server_disconnect (self->server);

  if (self->connections != NULL)
    {
      g_hash_table_iter_init (&iter, self->connections);
      while (g_hash_table_iter_next (&iter, (gpointer *) &conn, NULL))
        {
          g_object_weak_unref (G_OBJECT (conn->connection), on_connection_finalized, conn);
          g_hash_table_iter_remove (&iter);
          connection_free (conn);
        }
      g_clear_pointer (&self->connections, g_hash_table_unref);
    }

  g_clear_handle_id (&self->sweep_source, g_source_remove);
  g_clear_object (&self->server);
  g_clear_object (&self->service);
  g_clear_pointer (&self->prometheus_text, g_bytes_unref);
  g_clear_pointer (&self->openmetrics_text, g_bytes_unref);
  g_clear_pointer (&self->loop, g_main_loop_unref);
}

int
health_cli_serve (int    argc,
                  char **argv)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) addresses = NULL;
  g_autoptr (GPtrArray) bound = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *listen = NULL;
  int interval = DEFAULT_INTERVAL_MS;
  int timeout = DEFAULT_TIMEOUT_S;
  int exit_status;
  guint signal_sources[2];
  g_auto (HealthCliMonitorOptions) options = { 0 };
  Serve self = { 0 };
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Listen on HOST:PORT (default: 127.0.0.1:9464, this machine only)"), N_("HOST:PORT") },
    { "interval", 'i', 0, G_OPTION_ARG_INT, &interval,
      N_("Sample every MS milliseconds, from 10 to 86400000 (default: 15000)"), N_("MS") },
    { "timeout", 0, 0, G_OPTION_ARG_INT, &timeout,
      N_("Close a connection that sends no complete request for SECONDS (default: 10)"),
      N_("SECONDS") },
    G_OPTION_ENTRY_NULL
  };

  g_set_prgname ("health-monitor serve");

  context = g_option_context_new (NULL);
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  health_cli_add_monitor_options (context, &options);
  g_option_context_set_summary (context,
                                N_("Sample the system every interval and serve the metrics "
                                   "to Prometheus at http://HOST:PORT/metrics, in the "
                                   "Prometheus text format or, when the scraper asks for it, "
                                   "OpenMetrics. Only this machine can connect unless "
                                   "--listen names another address."));
  g_option_context_set_description (context,
                                    N_("Port 0 picks a free port; the address is printed on "
                                       "standard output, one “Listening on URL” line per "
                                       "address.\n\n"
                                       "Exit status: 0 when stopped by SIGINT or SIGTERM, 1 when "
                                       "the address cannot be listened on, 2 on usage errors."));

  if (!health_cli_parse_options (context, "serve", &argc, &argv, &exit_status))
    return exit_status;

  if (!health_cli_check_monitor_options ("serve", &options, &exit_status))
    return exit_status;

  if (!health_cli_check_interval ("serve", interval, &exit_status))
    return exit_status;
  if (timeout <= 0)
    return health_cli_usage_error ("serve",
                                   _("The timeout must be a positive number of seconds, not %d"),
                                   timeout);

  addresses = resolve_listen (listen != NULL ? listen : DEFAULT_LISTEN, &error);
  if (addresses == NULL)
    return health_cli_usage_error ("serve", _("Cannot listen on “%s”: %s"),
                                   listen != NULL ? listen : DEFAULT_LISTEN, error->message);

  self.loop = g_main_loop_new (NULL, FALSE);
  self.timeout_us = (gint64) timeout * G_USEC_PER_SEC;
  self.connections = g_hash_table_new (NULL, NULL);
  self.server = soup_server_new ("server-header", "health-monitor/" PACKAGE_VERSION, NULL);
  self.service = g_socket_service_new ();
  /* Connections waiting to be accepted cost the kernel little and us
   * nothing; a short queue would make a scraper that arrives with a
   * flood wait for its SYN to be sent again. */
  g_socket_listener_set_backlog (G_SOCKET_LISTENER (self.service), LISTEN_BACKLOG);

  /* Before binding, so that the warning is there even when binding fails. */
  for (guint i = 0; i < addresses->len; i++)
    {
      GInetAddress *address = g_inet_socket_address_get_address (g_ptr_array_index (addresses, i));
      g_autofree char *text = g_inet_address_to_string (address);

      if (!is_loopback (address))
        g_printerr (_("health-monitor serve: Warning: listening on %s, beyond this machine: "
                      "anyone who can reach it can read these metrics\n"), text);
    }

  if (!serve_listen (&self, addresses, bound, &error))
    {
      g_printerr ("health-monitor serve: %s\n", error->message);
      serve_clear (&self);
      return HEALTH_CLI_EXIT_UNHEALTHY;
    }

  soup_server_add_early_handler (self.server, NULL, on_early_request, &self, NULL);
  soup_server_add_handler (self.server, NULL, on_request, &self, NULL);
  g_signal_connect (self.server, "request-started", G_CALLBACK (on_request_started), NULL);
  g_signal_connect (self.server, "request-read", G_CALLBACK (on_request_read), NULL);
  g_signal_connect (self.service, "incoming", G_CALLBACK (on_incoming), &self);
  self.sweep_source = g_timeout_add_seconds (1, on_sweep, &self);

  signal_sources[0] = g_unix_signal_add (SIGINT, on_quit_signal, &self);
  signal_sources[1] = g_unix_signal_add (SIGTERM, on_quit_signal, &self);

  self.monitor = health_cli_monitor_new (&options);
  self.sampled_handler = g_signal_connect (self.monitor, "sampled",
                                           G_CALLBACK (on_sampled), &self);
  health_monitor_set_interval (self.monitor, interval);
  /* Starting takes a first sample at once. */
  health_monitor_start (self.monitor);

  g_socket_service_start (self.service);

  /* Whoever started us reads the URL here (port 0 picks one): if it
   * cannot be told, serving is of no use. The reason is given at exit. */
  if (print_listening (bound))
    {
      g_main_loop_run (self.loop);
      exit_status = HEALTH_CLI_EXIT_OK;
    }
  else
    {
      exit_status = HEALTH_CLI_EXIT_UNHEALTHY;
    }

  /* The handlers stay while cleaning up: a second SIGTERM then still
   * ends in exit status 0 rather than the default action. */
  serve_clear (&self);
  for (guint i = 0; i < G_N_ELEMENTS (signal_sources); i++)
    g_source_remove (signal_sources[i]);

  return exit_status;
}
