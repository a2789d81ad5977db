/* health-probe.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "health-probe-interface-private.h"

/* Whether @fd, a proc-root, is the kernel's /proc. */
gboolean
health_proc_root_is_procfs (int fd)
{
  struct statfs fs;

  return fd >= 0 && fstatfs (fd, &fs) == 0 && fs.f_type == HEALTH_PROC_SUPER_MAGIC;
}

void
health_proc_file_init (HealthProcFile *file,
                       const char     *path)
{
  file->path = path;
  file->fd = -1;
  file->buf = NULL;
  file->buf_size = 0;
}

void
health_proc_file_clear (HealthProcFile *file)
{
  if (file->fd >= 0)
    close (file->fd);
  file->fd = -1;
  g_clear_pointer (&file->buf, g_free);
  file->buf_size = 0;
}

static gboolean
proc_file_open (HealthProcFile           *file,
                const HealthProbeContext *ctx)
{
  if (ctx->proc_fd < 0)
    return FALSE;

  do
    file->fd = openat (ctx->proc_fd, file->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  while (file->fd < 0 && errno == EINTR);

  if (file->fd >= 0 && !ctx->is_procfs)
    {
      struct stat st;

      if (fstat (file->fd, &st) != 0 || !S_ISREG (st.st_mode))
        {
          close (file->fd);
          file->fd = -1;
          return FALSE;
        }
      file->dev = st.st_dev;
      file->ino = st.st_ino;
    }

  return file->fd >= 0;
}

/* Outside the kernel's /proc (a fixture, a copy), a file may be replaced,
 * removed or turned into something else under the open descriptor, which
 * would go on reading the old one: follow the path instead. */
static gboolean
proc_file_is_current (HealthProcFile           *file,
                      const HealthProbeContext *ctx)
{
  struct stat st;

  if (ctx->is_procfs)
    return TRUE;

  return fstatat (ctx->proc_fd, file->path, &st, 0) == 0 &&
         S_ISREG (st.st_mode) && st.st_dev == file->dev && st.st_ino == file->ino;
}

/*
 * Reads the whole file from offset 0 into the reused buffer and returns it
 * NUL-terminated, or NULL when it cannot be read. The buffer grows (on the
 * first samples only, in practice) until the file fits, up to
 * HEALTH_PROC_FILE_MAX_SIZE: a larger file is refused, not truncated, so a
 * parser never sees half a table.
 */
const char *
health_proc_file_read (HealthProcFile           *file,
                       const HealthProbeContext *ctx,
                       gsize                    *len)
{
  gsize total;

  *len = 0;

  if (file->fd >= 0 && !proc_file_is_current (file, ctx))
    {
      close (file->fd);
      file->fd = -1;
    }

  if (file->fd < 0 && !proc_file_open (file, ctx))
    return NULL;

  if (file->buf == NULL)
    {
      file->buf_size = 4096;
      file->buf = g_malloc (file->buf_size);
    }

  for (;;)
    {
      total = 0;

      /* /proc files give their content in several reads when large;
       * read until EOF or until the buffer is full. */
      while (total < file->buf_size - 1)
        {
          gssize n = pread (file->fd, file->buf + total, file->buf_size - 1 - total, total);

          if (n < 0)
            {
              if (errno == EINTR)
                continue;
              /* A file that turned into something else (a FIFO, a
               * directory, a vanished process): drop it, reopen next time. */
              close (file->fd);
              file->fd = -1;
              return NULL;
            }
          if (n == 0)
            break;
          total += n;

          /* The probes' files are the kernel's single_open() files (and
           * fixtures' plain files): they come whole in one read, so a
           * short read is their end, without a second pread to see it.
           * One larger than the buffer fills it, and the buffer grows. */
          if ((gsize) n < file->buf_size - 1 - (total - n))
            break;
        }

      if (total < file->buf_size - 1)
        break;

      if (file->buf_size >= HEALTH_PROC_FILE_MAX_SIZE)
        return NULL;

      file->buf_size *= 2;
      file->buf = g_realloc (file->buf, file->buf_size);
    }

  file->buf[total] = '\0';
  *len = total;

  return file->buf;
}

void
health_line_reader_init (HealthLineReader *reader,
                         const char       *buf,
                         gsize             len)
{
  reader->pos = buf;
  reader->end = buf + len;
}

const char *
health_line_reader_next (HealthLineReader *reader,
                         gsize            *line_len)
{
  const char *line = reader->pos;
  const char *nl;

  if (reader->pos >= reader->end)
    {
      *line_len = 0;
      return NULL;
    }

  nl = memchr (line, '\n', reader->end - line);
  if (nl == NULL)
    nl = reader->end;

  *line_len = nl - line;
  reader->pos = nl < reader->end ? nl + 1 : reader->end;

  return line;
}

static const char *
skip_blanks (const char *pos,
             const char *end)
{
  while (pos < end && (*pos == ' ' || *pos == '\t'))
    pos++;
  return pos;
}

gboolean
health_parse_u64 (const char **pos,
                  const char  *end,
                  guint64     *out)
{
  const char *p = skip_blanks (*pos, end);
  guint64 value = 0;

  if (p >= end || !g_ascii_isdigit (*p))
    return FALSE;

  for (; p < end && g_ascii_isdigit (*p); p++)
    {
      guint digit = *p - '0';

      if (value > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  *out = value;
  *pos = p;

  return TRUE;
}

/* 10^0 to 10^22: every one exact in a double. */
static const double powers_of_ten[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

#define EXACT_INTEGER_MAX (G_GUINT64_CONSTANT (1) << 53)

gboolean
health_parse_double (const char **pos,
                     const char  *end,
                     double      *out)
{
  const char *p = skip_blanks (*pos, end);
  gboolean negative = FALSE;
  guint64 mantissa;
  guint n_decimals = 0;
  double value;

  if (p < end && *p == '-')
    {
      negative = TRUE;
      p++;
    }

  /* Bounded so that the integer part is exact and the result finite. */
  if (!health_parse_u64 (&p, end, &mantissa) || mantissa > EXACT_INTEGER_MAX)
    return FALSE;

  if (p < end && *p == '.')
    {
      p++;
      if (p >= end || !g_ascii_isdigit (*p))
        return FALSE;

      /* All the digits go into one exact integer, divided once by an
       * exact power of ten: the result is then the correctly rounded
       * value strtod() gives ("12.34" is the double nearest 12.34, not
       * 12 + 0.3 + 0.04 with three roundings). Digits beyond what a
       * double holds are dropped. */
      for (; p < end && g_ascii_isdigit (*p); p++)
        {
          if (n_decimals + 1 < G_N_ELEMENTS (powers_of_ten) &&
              mantissa <= (EXACT_INTEGER_MAX - 9) / 10)
            {
              mantissa = mantissa * 10 + (guint) (*p - '0');
              n_decimals++;
            }
        }
    }

  value = (double) mantissa / powers_of_ten[n_decimals];

  *out = negative ? -value : value;
  *pos = p;

  return TRUE;
}

gboolean
health_has_prefix (const char *line,
                   gsize       line_len,
                   const char *prefix)
{
  gsize prefix_len = strlen (prefix);

  return line_len >= prefix_len && memcmp (line, prefix, prefix_len) == 0;
}

double
health_percent (guint64 part,
                guint64 whole)
{
  /* One rounding when 100 × part is exact (below 2^53): the nearest
   * double to the true figure. Beyond that, a second rounding could
   * land a hair above 100, which is no percentage. */
  return MIN (100.0 * (double) part / (double) whole, 100.0);
}

void
health_probe_failed (HealthProbe *probe,
                     const char  *what)
{
  if (probe->failed_once)
    return;

  probe->failed_once = TRUE;
  g_debug ("Probe %s: %s is missing or unreadable; its metrics stay unknown",
           probe->klass->name, what);
}

HealthProbe *
health_probe_new (const HealthProbeClass   *klass,
                  HealthBuiltin             enabled,
                  const HealthProbeContext *ctx)
{
  HealthProbe *probe;

  g_assert (klass->instance_size >= sizeof (HealthProbe));

  probe = g_malloc0 (klass->instance_size);
  probe->klass = klass;
  probe->enabled = enabled;

  if (klass->init != NULL)
    klass->init (probe, ctx);

  return probe;
}

void
health_probe_free (HealthProbe *probe)
{
  if (probe == NULL)
    return;

  if (probe->klass->finalize != NULL)
    probe->klass->finalize (probe);

  g_free (probe);
}

void
health_snapshot_reset (HealthSnapshot *snapshot)
{
  for (guint i = 0; i < HEALTH_N_BUILTIN_IDS; i++)
    snapshot->values[i] = NAN;

  snapshot->mem_total_bytes = 0;
  snapshot->nofile_limit = 0;
  snapshot->swap_present = -1;
  snapshot->worker_cpu_ns = 0;
  snapshot->done_mono_us = 0;
}
