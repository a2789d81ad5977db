/* health-cli-request-filter.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * What `serve` puts between a client's socket and libsoup: the head of
 * the request (the request line and the headers) is held back until it
 * ends and judged before libsoup parses a byte of it; then it, and the
 * rest, flow through untouched. A head that announces a body serve will
 * not read is answered here, and libsoup sees the connection end.
 *
 * libsoup cannot be left to judge: the libsoup 3.2 of Debian 12 leaks
 * the request path whenever it refuses a Content-Length or a
 * Transfer-Encoding it cannot read, or a Host with a slash (up to 64 KiB
 * a request, for anyone who can connect), reads "-2" or a number beyond
 * 2^63 as a negative length (and warns), and of two Content-Lengths keeps
 * the last. Its handlers run after all that.
 *
 * Only the first head is judged: libsoup reads one request per
 * connection it did not accept itself.
 */

#include "config.h"

#include <errno.h>
#include <string.h>

#include <libsoup/soup.h>

#include "health-cli-request-filter.h"

/* libsoup refuses longer heads itself, without parsing them. */
#define MAX_HEAD  (64 * 1024)
#define READ_SIZE 8192

typedef enum
{
  HOLDING,     /* reading the head, handing nothing on */
  PASSING,     /* the head passed (or is libsoup's to refuse): all flows */
  REFUSED,     /* answered here: libsoup sees an end of file */
} FilterState;

struct _HealthCliRequestFilter
{
  GFilterInputStream  parent_instance;

  /* Kept open for as long as libsoup holds the filter; the answer to a
   * refused request goes out on it. */
  GSocketConnection  *connection;
  GByteArray         *head;
  gsize               handed;      /* bytes of `head` handed on */
  FilterState         state;
};

static void health_cli_request_filter_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (HealthCliRequestFilter, health_cli_request_filter,
                               G_TYPE_FILTER_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      health_cli_request_filter_pollable_init))

/* -- judging a head --------------------------------------------------------- */

static gboolean
name_is (const char *name,
         gsize       name_len,
         const char *wanted)
{
  return name_len == strlen (wanted) && g_ascii_strncasecmp (name, wanted, name_len) == 0;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t';
}

/* A Content-Length serve reads (and drops): digits only, within the limit. */
static guint
judge_length (const char *value,
              gsize       len)
{
  guint64 n_bytes = 0;

  if (len == 0)
    return SOUP_STATUS_BAD_REQUEST;

  for (gsize i = 0; i < len; i++)
    {
      if (!g_ascii_isdigit (value[i]))
        return SOUP_STATUS_BAD_REQUEST;
      /* Past the limit there is no need to count on, nor to overflow. */
      if (n_bytes <= HEALTH_CLI_MAX_REQUEST_BODY)
        n_bytes = n_bytes * 10 + (guint64) (value[i] - '0');
    }

  return n_bytes <= HEALTH_CLI_MAX_REQUEST_BODY ? SOUP_STATUS_NONE
                                                : SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE;
}

static gboolean
has_space (const char *text,
           const char *end)
{
  for (const char *p = text; p < end; p++)
    if (is_space (*p))
      return TRUE;

  return FALSE;
}

/* SOUP_STATUS_NONE when libsoup may have the head, which ends at `len`;
 * otherwise the status to refuse it with. The head is read as
 * soup_headers_parse_request() reads it: empty lines before the request
 * line skipped, lines ended by LF with or without CR, a line without a
 * colon or with a space in its name ignored, a line that starts with a
 * space or a tab going on the previous one. */
static guint
judge_head (const char *head,
            gsize       len)
{
  const char *end = head + len;
  const char *line = head;
  const char *length = NULL;
  gsize length_len = 0;
  guint n_lengths = 0;
  gboolean coding = FALSE;
  gboolean folding_matters = FALSE;

  /* The request line is libsoup's to judge. */
  while (line < end && (*line == '\r' || *line == '\n'))
    line++;
  line = memchr (line, '\n', end - line);

  while (line != NULL && ++line < end)
    {
      const char *line_end = memchr (line, '\n', end - line);
      const char *colon;
      const char *value;
      const char *value_end;

      if (line_end == NULL)
        line_end = end;
      value_end = line_end;
      if (value_end > line && value_end[-1] == '\r')
        value_end--;

      /* A line that goes on the previous one: never on these headers. */
      if (is_space (*line))
        {
          if (folding_matters)
            return SOUP_STATUS_BAD_REQUEST;
          line = line_end;
          continue;
        }

      folding_matters = FALSE;
      colon = memchr (line, ':', value_end - line);
      if (colon == NULL || colon == line || has_space (line, colon) ||
          memchr (line, '\r', colon - line) != NULL)
        {
          line = line_end;
          continue;
        }

      value = colon + 1;
      while (value < value_end && is_space (*value))
        value++;
      while (value_end > value && is_space (value_end[-1]))
        value_end--;

      if (name_is (line, colon - line, "Content-Length"))
        {
          n_lengths++;
          length = value;
          length_len = value_end - value;
          folding_matters = TRUE;
        }
      else if (name_is (line, colon - line, "Transfer-Encoding"))
        {
          coding = TRUE;
          folding_matters = TRUE;
        }
      else if (name_is (line, colon - line, "Host"))
        {
          if (memchr (value, '/', value_end - value) != NULL)
            return SOUP_STATUS_BAD_REQUEST;
          folding_matters = TRUE;
        }

      line = line_end;
    }

  /* Both at once is how requests are smuggled past proxies; a coding
   * alone is a body of no announced length, which nothing here wants. */
  if (coding)
    return n_lengths > 0 ? SOUP_STATUS_BAD_REQUEST : SOUP_STATUS_LENGTH_REQUIRED;

  /* Two may contradict each other: libsoup keeps the last. */
  if (n_lengths > 1)
    return SOUP_STATUS_BAD_REQUEST;

  if (n_lengths == 1)
    return judge_length (length, length_len);

  return SOUP_STATUS_NONE;
}

/* Where the head ends in what has come so far, or 0: where libsoup ends
 * it, at an empty line ("\n" or "\r\n" after a line's end) that starts
 * beyond the second, or the third, byte. `from` is where new bytes
 * begin: an end that began before shows in its last two. */
static gsize
find_head_end (const guint8 *data,
               gsize         len,
               gsize         from)
{
  for (gsize i = MAX (from, 3) - 2; i + 1 < len; i++)
    {
      if (data[i] != '\n')
        continue;
      if (data[i + 1] == '\n')
        return i + 2;
      if (i >= 2 && data[i + 1] == '\r' && i + 2 < len && data[i + 2] == '\n')
        return i + 3;
    }

  return 0;
}

/* -- the stream ------------------------------------------------------------- */

/* One small write on a socket that has sent nothing: if even that does
 * not fit, the client only sees the connection close. */
static void
filter_refuse (HealthCliRequestFilter *self,
               guint                   status)
{
  GOutputStream *output = g_io_stream_get_output_stream (G_IO_STREAM (self->connection));
  g_autofree char *body = g_strdup_printf ("%s\n", soup_status_get_phrase (status));
  g_autofree char *response = NULL;

  response = g_strdup_printf ("HTTP/1.1 %u %s\r\n"
                              "Connection: close\r\n"
                              "Content-Type: text/plain; charset=utf-8\r\n"
                              "Content-Length: %zu\r\n"
                              "\r\n"
                              "%s",
                              status, soup_status_get_phrase (status), strlen (body), body);

  g_pollable_output_stream_write_nonblocking (G_POLLABLE_OUTPUT_STREAM (output),
                                              response, strlen (response), NULL, NULL);
  g_socket_shutdown (g_socket_connection_get_socket (self->connection), FALSE, TRUE, NULL);

  g_debug ("Refused a request before libsoup read it: %u", status);
  self->state = REFUSED;
}

/* Reads more of the head; when it has ended, judges it. */
static gssize
filter_read_head (HealthCliRequestFilter  *self,
                  gboolean                 blocking,
                  GCancellable            *cancellable,
                  GError                 **error)
{
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
  gsize old_len = self->head->len;
  gsize head_end;
  gssize n_read;
  guint refusal;

  g_byte_array_set_size (self->head, old_len + READ_SIZE);
  n_read = g_pollable_stream_read (base, self->head->data + old_len, READ_SIZE,
                                   blocking, cancellable, error);
  g_byte_array_set_size (self->head, old_len + MAX (n_read, 0));

  if (n_read < 0)
    return -1;

  /* libsoup takes what came before an end of file for the whole head. */
  if (n_read == 0)
    head_end = self->head->len;
  else
    head_end = find_head_end (self->head->data, self->head->len, old_len);

  if (head_end == 0 && n_read > 0)
    {
      /* No end within the 64 KiB (and an empty line) libsoup reads of a
       * head: it refuses it without parsing it. */
      if (self->head->len > MAX_HEAD + 3)
        self->state = PASSING;
      return n_read;
    }

  refusal = judge_head ((const char *) self->head->data, head_end);
  if (refusal != SOUP_STATUS_NONE)
    filter_refuse (self, refusal);
  else
    self->state = PASSING;

  return n_read;
}

static gssize
filter_read (HealthCliRequestFilter  *self,
             void                    *buffer,
             gsize                    count,
             gboolean                 blocking,
             GCancellable            *cancellable,
             GError                 **error)
{
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));

  while (self->state == HOLDING)
    {
      gssize n_read = filter_read_head (self, blocking, cancellable, error);

      if (n_read < 0)
        return -1;
      if (self->state == HOLDING && !blocking)
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK,
                               g_strerror (EAGAIN));
          return -1;
        }
    }

  if (self->state == REFUSED)
    return 0;

  if (self->handed < self->head->len)
    {
      gsize n = MIN (count, self->head->len - self->handed);

      memcpy (buffer, self->head->data + self->handed, n);
      self->handed += n;
      return n;
    }

  return g_pollable_stream_read (base, buffer, count, blocking, cancellable, error);
}

static gssize
health_cli_request_filter_read (GInputStream  *stream,
                                void          *buffer,
                                gsize          count,
                                GCancellable  *cancellable,
                                GError       **error)
{
  return filter_read (HEALTH_CLI_REQUEST_FILTER (stream), buffer, count, TRUE, cancellable, error);
}

static gssize
health_cli_request_filter_read_nonblocking (GPollableInputStream  *stream,
                                            void                  *buffer,
                                            gsize                  count,
                                            GError               **error)
{
  return filter_read (HEALTH_CLI_REQUEST_FILTER (stream), buffer, count, FALSE, NULL, error);
}

/* Something to hand on without reading the socket. */
static gboolean
filter_has_pending (HealthCliRequestFilter *self)
{
  return self->state == REFUSED || (self->state == PASSING && self->handed < self->head->len);
}

static gboolean
health_cli_request_filter_is_readable (GPollableInputStream *stream)
{
  HealthCliRequestFilter *self = HEALTH_CLI_REQUEST_FILTER (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));

  return filter_has_pending (self) ||
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (base));
}

static GSource *
health_cli_request_filter_create_source (GPollableInputStream *stream,
                                         GCancellable         *cancellable)
{
  HealthCliRequestFilter *self = HEALTH_CLI_REQUEST_FILTER (stream);
  GInputStream *base = g_filter_input_stream_get_base_stream (G_FILTER_INPUT_STREAM (self));
  g_autoptr (GSource) base_source = NULL;

  /* As GConverterInputStream does: ready at once when something waits. */
  if (filter_has_pending (self))
    base_source = g_timeout_source_new (0);
  else
    base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (base), NULL);

  return g_pollable_source_new_full (stream, base_source, cancellable);
}

static gboolean
health_cli_request_filter_can_poll (GPollableInputStream *stream)
{
  return TRUE;
}

static void
health_cli_request_filter_finalize (GObject *object)
{
  HealthCliRequestFilter *self = HEALTH_CLI_REQUEST_FILTER (object);

  g_clear_pointer (&self->head, g_byte_array_unref);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (health_cli_request_filter_parent_class)->finalize (object);
}

static void
health_cli_request_filter_class_init (HealthCliRequestFilterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->finalize = health_cli_request_filter_finalize;
  input_class->read_fn = health_cli_request_filter_read;
}

static void
health_cli_request_filter_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = health_cli_request_filter_can_poll;
  iface->is_readable = health_cli_request_filter_is_readable;
  iface->create_source = health_cli_request_filter_create_source;
  iface->read_nonblocking = health_cli_request_filter_read_nonblocking;
}

static void
health_cli_request_filter_init (HealthCliRequestFilter *self)
{
  self->head = g_byte_array_new ();
  self->state = HOLDING;
}

/* The stream to give libsoup instead of `connection`: its input filtered,
 * its output as it is. The connection stays open for as long as libsoup
 * holds the stream (GSocketConnection closes its socket when finalized). */
GIOStream *
health_cli_request_filter_wrap (GSocketConnection *connection)
{
  g_autoptr (HealthCliRequestFilter) filter = NULL;
  GIOStream *io_stream = G_IO_STREAM (connection);

  g_return_val_if_fail (G_IS_SOCKET_CONNECTION (connection), NULL);

  filter = g_object_new (HEALTH_CLI_TYPE_REQUEST_FILTER,
                         "base-stream", g_io_stream_get_input_stream (io_stream),
                         "close-base-stream", FALSE,
                         NULL);
  filter->connection = g_object_ref (connection);

  return g_simple_io_stream_new (G_INPUT_STREAM (filter), g_io_stream_get_output_stream (io_stream));
}
