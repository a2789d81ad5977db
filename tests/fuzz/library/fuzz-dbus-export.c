/* fuzz-dbus-export.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The incoming calls of health_monitor_export(): every method and
 * property call a peer can make, with bodies of any signature and any
 * content, over a real peer-to-peer D-Bus connection. Beyond "no crash,
 * no leak, no hang", it checks the export is read-only: whatever comes
 * in, the monitor and its metrics stay as they were.
 */

#include <math.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include <gio/gio.h>

#include "health.h"

#define OBJECT_PATH "/io/github/healthmonitor/Monitor"
#define INTERFACE   "io.github.healthmonitor.Monitor1"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static HealthMonitor   *monitor;
static HealthMetric    *queue;
static GDBusConnection *server;
static GDBusConnection *client;

static const char * const methods[][2] = {
  { INTERFACE, "GetMetrics" },
  { INTERFACE, "GetHistory" },
  { "org.freedesktop.DBus.Properties", "Get" },
  { "org.freedesktop.DBus.Properties", "GetAll" },
  { "org.freedesktop.DBus.Properties", "Set" },
  { "org.freedesktop.DBus.Introspectable", "Introspect" },
  { "org.freedesktop.DBus.Peer", "Ping" },
  { INTERFACE, "Shutdown" },
};

#define N_BODY_KINDS 8

/* The next NUL-terminated chunk of the input, as valid UTF-8. */
static char *
next_string (const uint8_t **data,
             size_t         *size)
{
  const uint8_t *end = memchr (*data, '\0', *size);
  size_t len = end != NULL ? (size_t) (end - *data) : *size;
  char *text = g_utf8_make_valid ((const char *) *data, len);

  *data += MIN (len + 1, *size);
  *size -= MIN (len + 1, *size);

  return text;
}

static GVariant *
next_variant (const uint8_t **data,
              size_t         *size)
{
  guint32 number = 0;
  guint8 kind = 0;

  if (*size > 0)
    {
      kind = **data;
      (*data)++;
      (*size)--;
    }
  memcpy (&number, *data, MIN (*size, sizeof number));

  switch (kind % 5)
    {
    case 0: return g_variant_new_uint32 (number);
    case 1: return g_variant_new_double ((double) (gint32) number / 7.0);
    case 2: return g_variant_new_boolean (number & 1);
    case 3: return g_variant_new_int32 ((gint32) number);
    default: return g_variant_new_take_string (next_string (data, size));
    }
}

/* A body of one of the signatures a peer might send, filled from the
 * input. It is built, not deserialised from raw bytes: GLib 2.74's
 * GVariant asserts on some malformed serialised data (fixed in later
 * GLib), which would be a crash of the harness, not of the export. The
 * bus checks the wire format before the export sees anything. */
static GVariant *
body_from_input (guint8          kind,
                 const uint8_t  *data,
                 size_t          size)
{
  g_autofree char *a = next_string (&data, &size);
  g_autofree char *b = NULL;
  GVariantBuilder dict;

  switch (kind % N_BODY_KINDS)
    {
    case 0:
      return g_variant_new ("()");
    case 1:
      return g_variant_new ("(s)", a);
    case 2:
      b = next_string (&data, &size);
      return g_variant_new ("(ss)", a, b);
    case 3:
      b = next_string (&data, &size);
      return g_variant_new ("(ssv)", a, b, next_variant (&data, &size));
    case 4:
      return g_variant_new ("(v)", next_variant (&data, &size));
    case 5:
      g_variant_builder_init (&dict, G_VARIANT_TYPE_VARDICT);
      while (size > 0)
        {
          g_autofree char *key = next_string (&data, &size);

          g_variant_builder_add (&dict, "{sv}", key, next_variant (&data, &size));
        }
      return g_variant_new ("(sa{sv})", a, &dict);
    case 6:
      return g_variant_new ("(@ay)", g_variant_new_fixed_array (G_VARIANT_TYPE_BYTE, data, size, 1));
    default:
      return g_variant_new ("(u)", (guint32) strlen (a));
    }
}

static void
connection_ready (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GDBusConnection **connection = user_data;
  g_autoptr(GError) error = NULL;

  *connection = g_dbus_connection_new_finish (result, &error);
  g_assert_no_error (error);
}

static void
setup (void)
{
  g_autoptr(HealthMetric) load = NULL;
  g_autoptr(GSocket) server_socket = NULL;
  g_autoptr(GSocket) client_socket = NULL;
  g_autoptr(GSocketConnection) server_stream = NULL;
  g_autoptr(GSocketConnection) client_stream = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *guid = g_dbus_generate_guid ();
  int fds[2];

  monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  queue = health_metric_new ("queue", "Queue <b>&", "jobs", HEALTH_DIRECTION_ABOVE, 10, 20);
  health_monitor_add_metric (monitor, queue);
  g_object_unref (queue);
  load = health_metric_new ("load", "Load", "%", HEALTH_DIRECTION_BELOW, 50, 10);
  health_monitor_add_metric (monitor, load);
  for (guint i = 0; i < 5; i++)
    {
      health_metric_update (queue, 5 + i);
      health_metric_update (load, 90 - i);
    }

  g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds), ==, 0);
  server_socket = g_socket_new_from_fd (fds[0], &error);
  g_assert_no_error (error);
  client_socket = g_socket_new_from_fd (fds[1], &error);
  g_assert_no_error (error);
  server_stream = g_socket_connection_factory_create_connection (server_socket);
  client_stream = g_socket_connection_factory_create_connection (client_socket);

  g_dbus_connection_new (G_IO_STREAM (server_stream), guid,
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_SERVER |
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_ALLOW_ANONYMOUS,
                         NULL, NULL, connection_ready, &server);
  g_dbus_connection_new (G_IO_STREAM (client_stream), NULL,
                         G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT,
                         NULL, NULL, connection_ready, &client);
  while (server == NULL || client == NULL)
    g_main_context_iteration (NULL, TRUE);

  health_monitor_export (monitor, server, OBJECT_PATH, &error);
  g_assert_no_error (error);
}

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, NULL);

  *(gboolean *) user_data = TRUE;
}

/* Input: [method] [body kind] [path?] body bytes. */
int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GVariant) body = NULL;
  const char *interface, *method, *path;
  gboolean done = FALSE;
  g_autofree HealthSample *history = NULL;
  guint n_samples;

  if (monitor == NULL)
    setup ();

  if (size < 3)
    return 0;

  interface = methods[data[0] % G_N_ELEMENTS (methods)][0];
  method = methods[data[0] % G_N_ELEMENTS (methods)][1];
  /* Now and then a path that is not the monitor's. */
  path = data[2] % 16 == 0 ? "/io/github/healthmonitor" : OBJECT_PATH;

  body = g_variant_ref_sink (body_from_input (data[1], data + 3, size - 3));

  g_dbus_connection_call (client, NULL, path, interface, method, body, NULL,
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, call_done, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  /* Read-only: nothing a peer sent changed anything. */
  g_assert_cmpuint (health_monitor_get_interval (monitor), ==, 30000);
  g_assert_cmpuint (health_monitor_get_alert_cooldown (monitor), ==, 300);
  g_assert_true (health_monitor_get_active (monitor) == FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (health_monitor_get_metrics (monitor)), ==, 2);
  g_assert_cmpfloat (health_metric_get_value (queue), ==, 9);
  g_assert_cmpfloat (health_metric_get_warning (queue), ==, 10);
  g_assert_cmpfloat (health_metric_get_critical (queue), ==, 20);
  g_assert_cmpstr (health_metric_get_label (queue), ==, "Queue <b>&");
  history = health_metric_dup_history (queue, &n_samples);
  g_assert_cmpuint (n_samples, ==, 5);

  return 0;
}
