/* health-probe-self.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * process-memory, thread-count and open-files: what this process costs,
 * from <proc-root>/self/{statm,stat,fd}. Also the parsers of the
 * per-process files that the culprit scan shares.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "health-builtin-probes-private.h"

enum
{
  SOURCE_STATM,
  SOURCE_STAT,
  SOURCE_FD,
};

#define RLIMIT_EVERY 16

typedef struct
{
  HealthProbe    parent;
  HealthProcFile statm;
  HealthProcFile stat;
  int            fd_dir;      /* self/fd, kept open; -1 until opened */
  int            fd_skip;     /* fd_dir when the listing shows it, else -1 */
  guint64        page_size;
  guint64        nofile_limit;   /* RLIMIT_NOFILE, re-read now and then */
  guint          rlimit_countdown;
  guint          logged;      /* a bit per source whose failure was logged */
  /* getdents64() records are 8-byte aligned; a fixed buffer, so that
   * counting allocates nothing. */
  guint64        dirents[4096 / sizeof (guint64)];
} SelfProbe;

/* struct linux_dirent64, which no libc header declares. */
#define DIRENT_RECLEN_OFFSET 16
#define DIRENT_NAME_OFFSET   19

static gboolean
expect_end_of_line (const char *pos,
                    const char *end)
{
  if (pos < end && *pos == '\n')
    pos++;
  return pos == end;
}

/* "size resident shared text lib data dt\n", in pages. */
gboolean
health_pid_statm_parse (const char *buf,
                        gsize       len,
                        guint64    *resident_pages)
{
  const char *pos = buf;
  const char *end = buf + len;
  guint64 fields[7];

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      if (i > 0 && (pos >= end || *pos++ != ' '))
        return FALSE;
      if (pos >= end || !g_ascii_isdigit (*pos) || !health_parse_u64 (&pos, end, &fields[i]))
        return FALSE;
    }

  if (!expect_end_of_line (pos, end) || fields[1] > fields[0])
    return FALSE;

  *resident_pages = fields[1];

  return TRUE;
}

gboolean
health_probe_statm_parse (const char     *buf,
                          gsize           len,
                          guint64         page_size,
                          HealthSnapshot *snapshot)
{
  guint64 pages;

  if (page_size == 0 || !health_pid_statm_parse (buf, len, &pages) ||
      pages > G_MAXUINT64 / page_size)
    return FALSE;

  snapshot->values[HEALTH_BUILTIN_ID_PROCESS_MEMORY] = (double) (pages * page_size);

  return TRUE;
}

/* One numeric field of /proc/[pid]/stat; some (tpgid, priority, nice)
 * may be negative, which `value` reports as FALSE in `non_negative`. */
static gboolean
parse_stat_field (const char **pos,
                  const char  *end,
                  guint64     *value,
                  gboolean    *non_negative)
{
  const char *p = *pos;

  *non_negative = TRUE;
  if (p < end && *p == '-')
    {
      *non_negative = FALSE;
      p++;
    }

  if (p >= end || !g_ascii_isdigit (*p) || !health_parse_u64 (&p, end, value))
    return FALSE;

  *pos = p;

  return TRUE;
}

/* "pid (comm) S ppid pgrp ..." */
gboolean
health_pid_stat_parse (const char    *buf,
                       gsize          len,
                       HealthPidStat *out)
{
  const char *end = buf + len;
  const char *open_paren;
  const char *pos;
  HealthPidStat result = { 0 };
  guint64 pid;

  pos = buf;
  if (len == 0 || !g_ascii_isdigit (*pos) || !health_parse_u64 (&pos, end, &pid) ||
      end - pos < 2 || pos[0] != ' ' || pos[1] != '(')
    return FALSE;
  open_paren = pos + 1;

  /* comm may contain anything, ')' and newlines included: the last ')'
   * is the one the kernel wrote. */
  pos = memrchr (open_paren, ')', end - open_paren);
  if (pos == NULL)
    return FALSE;
  pos++;

  /* " S": the state, one letter. */
  if (end - pos < 2 || pos[0] != ' ' || !g_ascii_isalpha (pos[1]))
    return FALSE;
  pos += 2;

  for (guint field = 4; field <= 20; field++)
    {
      guint64 value;
      gboolean non_negative;

      if (pos >= end || *pos++ != ' ' || !parse_stat_field (&pos, end, &value, &non_negative))
        return FALSE;

      switch (field)
        {
        case 14:
        case 15:
        case 20:
          if (!non_negative)
            return FALSE;
          if (field == 14)
            result.utime = value;
          else if (field == 15)
            result.stime = value;
          else
            result.num_threads = value;
          break;

        default:
          break;
        }
    }

  /* 32 more fields follow on current kernels; older ones have fewer. */
  if (pos < end && *pos != ' ' && *pos != '\n')
    return FALSE;

  *out = result;

  return TRUE;
}

gboolean
health_probe_self_stat_parse (const char     *buf,
                              gsize           len,
                              HealthSnapshot *snapshot)
{
  HealthPidStat pid_stat;

  /* A live process runs at least the thread reading this. */
  if (!health_pid_stat_parse (buf, len, &pid_stat) || pid_stat.num_threads == 0)
    return FALSE;

  snapshot->values[HEALTH_BUILTIN_ID_THREAD_COUNT] = (double) pid_stat.num_threads;

  return TRUE;
}

static gboolean
name_is_fd (const char *name,
            int         fd)
{
  const char *end = name + strlen (name);
  const char *pos = name;
  guint64 value;

  return fd >= 0 && g_ascii_isdigit (*name) && health_parse_u64 (&pos, end, &value) &&
         pos == end && value == (guint64) fd;
}

gboolean
health_probe_dirents_count (const char *buf,
                            gsize       len,
                            int         skip_fd,
                            guint64    *count)
{
  gsize offset = 0;
  guint64 n = 0;

  while (offset < len)
    {
      const char *name;
      guint16 reclen;

      if (len - offset < DIRENT_NAME_OFFSET + 1)
        return FALSE;

      memcpy (&reclen, buf + offset + DIRENT_RECLEN_OFFSET, sizeof reclen);
      if (reclen < DIRENT_NAME_OFFSET + 1 || reclen > len - offset)
        return FALSE;

      name = buf + offset + DIRENT_NAME_OFFSET;
      if (memchr (name, '\0', reclen - DIRENT_NAME_OFFSET) == NULL || name[0] == '\0')
        return FALSE;

      /* "." and ".." start with a dot, descriptors with a digit; only
       * the listing's own descriptor is worth parsing a name for. */
      if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
        ;
      else if (skip_fd < 0 || !name_is_fd (name, skip_fd))
        n++;

      offset += reclen;
    }

  *count = n;

  return TRUE;
}

static void
self_probe_log_once (SelfProbe  *self,
                     guint       source,
                     const char *what)
{
  /* health_probe_failed() logs once per probe; here each file is a
   * source of its own. */
  if ((self->logged & (1u << source)) != 0)
    return;

  self->logged |= 1u << source;
  g_debug ("Probe self: %s is missing or unreadable; its metric stays unknown", what);
}

static gboolean
open_fd_dir (SelfProbe                *self,
             const HealthProbeContext *ctx)
{
  char name[16];
  struct stat dir_st, entry_st;

  if (ctx->proc_fd < 0)
    return FALSE;

  do
    self->fd_dir = openat (ctx->proc_fd, "self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  while (self->fd_dir < 0 && errno == EINTR);

  if (self->fd_dir < 0)
    return FALSE;

  /* On the live /proc the listing shows the descriptor that reads it;
   * that one is the monitor's own doing, not the application's, so it is
   * not counted. Following the entry named after it and finding the
   * directory itself tells the live /proc from a fixture that merely
   * has a file of that name. */
  self->fd_skip = -1;
  g_snprintf (name, sizeof name, "%d", self->fd_dir);
  if (fstat (self->fd_dir, &dir_st) == 0 &&
      fstatat (self->fd_dir, name, &entry_st, 0) == 0 &&
      dir_st.st_dev == entry_st.st_dev && dir_st.st_ino == entry_st.st_ino)
    self->fd_skip = self->fd_dir;

  return TRUE;
}

static gboolean
count_open_files (SelfProbe                *self,
                  const HealthProbeContext *ctx,
                  guint64                  *count)
{
  guint64 total = 0;

  if (self->fd_dir < 0 && !open_fd_dir (self, ctx))
    return FALSE;

  if (lseek (self->fd_dir, 0, SEEK_SET) < 0)
    return FALSE;

  for (;;)
    {
      long n;
      guint64 chunk;

      n = syscall (SYS_getdents64, self->fd_dir, self->dirents, sizeof self->dirents);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          close (self->fd_dir);
          self->fd_dir = -1;
          return FALSE;
        }
      if (n == 0)
        break;

      if (!health_probe_dirents_count ((const char *) self->dirents, n, self->fd_skip, &chunk))
        return FALSE;
      total += chunk;
    }

  *count = total;

  return TRUE;
}

static void
self_probe_init (HealthProbe              *probe,
                 const HealthProbeContext *ctx)
{
  SelfProbe *self = (SelfProbe *) probe;
  long page_size = sysconf (_SC_PAGESIZE);

  health_proc_file_init (&self->statm, "self/statm");
  health_proc_file_init (&self->stat, "self/stat");
  self->fd_dir = -1;
  self->fd_skip = -1;
  self->page_size = page_size > 0 ? page_size : 0;
}

static void
self_probe_sample (HealthProbe              *probe,
                   const HealthProbeContext *ctx,
                   HealthSnapshot           *snapshot)
{
  SelfProbe *self = (SelfProbe *) probe;
  struct rlimit limit;
  const char *buf;
  gsize len;

  if (probe->enabled & HEALTH_BUILTIN_PROCESS_MEMORY)
    {
      buf = health_proc_file_read (&self->statm, ctx, &len);
      if (buf == NULL || !health_probe_statm_parse (buf, len, self->page_size, snapshot))
        self_probe_log_once (self, SOURCE_STATM, "self/statm");
    }

  if (probe->enabled & HEALTH_BUILTIN_THREAD_COUNT)
    {
      buf = health_proc_file_read (&self->stat, ctx, &len);
      if (buf == NULL || !health_probe_self_stat_parse (buf, len, snapshot))
        self_probe_log_once (self, SOURCE_STAT, "self/stat");
    }

  if (probe->enabled & HEALTH_BUILTIN_OPEN_FILES)
    {
      guint64 count;

      if (count_open_files (self, ctx, &count))
        snapshot->values[HEALTH_BUILTIN_ID_OPEN_FILES] = (double) count;
      else
        self_probe_log_once (self, SOURCE_FD, "self/fd");
    }

  /* A fact about this process, not about proc-root: the open-files
   * thresholds are fractions of it. RLIM_INFINITY is no useful scale.
   * It seldom changes, so it is re-read every RLIMIT_EVERY samples. */
  if (self->rlimit_countdown == 0)
    {
      self->nofile_limit = 0;
      if (getrlimit (RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
        self->nofile_limit = limit.rlim_cur;
      self->rlimit_countdown = RLIMIT_EVERY;
    }
  self->rlimit_countdown--;
  snapshot->nofile_limit = self->nofile_limit;
}

static void
self_probe_finalize (HealthProbe *probe)
{
  SelfProbe *self = (SelfProbe *) probe;

  health_proc_file_clear (&self->statm);
  health_proc_file_clear (&self->stat);
  if (self->fd_dir >= 0)
    close (self->fd_dir);
  self->fd_dir = -1;
}

const HealthProbeClass health_probe_self_class = {
  .name = "self",
  .provides = HEALTH_BUILTIN_PROCESS_MEMORY | HEALTH_BUILTIN_THREAD_COUNT |
              HEALTH_BUILTIN_OPEN_FILES,
  .instance_size = sizeof (SelfProbe),
  .init = self_probe_init,
  .sample = self_probe_sample,
  .finalize = self_probe_finalize,
};

/* Per-process files for the culprit scan. */

/* "read_bytes: 123" and "write_bytes: 456": the bytes this process made
 * the block layer fetch or write, page cache hits excluded. */
gboolean
health_pid_io_parse (const char *buf,
                     gsize       len,
                     guint64    *bytes)
{
  static const char * const keys[] = { "read_bytes:", "write_bytes:" };
  guint64 values[G_N_ELEMENTS (keys)];
  guint found = 0;
  HealthLineReader reader;
  const char *line;
  gsize line_len;

  health_line_reader_init (&reader, buf, len);

  while ((line = health_line_reader_next (&reader, &line_len)) != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
        {
          const char *pos;
          const char *end = line + line_len;

          if (!health_has_prefix (line, line_len, keys[i]) || (found & (1u << i)) != 0)
            continue;

          pos = line + strlen (keys[i]);
          if (!health_parse_u64 (&pos, end, &values[i]) || pos != end)
            return FALSE;
          found |= 1u << i;
        }
    }

  if (found != 3 || values[0] > G_MAXUINT64 - values[1])
    return FALSE;

  *bytes = values[0] + values[1];

  return TRUE;
}

/* "VmSwap:     1234 kB"; kernel threads have no Vm lines at all. */
gboolean
health_pid_status_swap_parse (const char *buf,
                              gsize       len,
                              guint64    *bytes)
{
  HealthLineReader reader;
  const char *line;
  gsize line_len;

  health_line_reader_init (&reader, buf, len);

  while ((line = health_line_reader_next (&reader, &line_len)) != NULL)
    {
      const char *pos;
      const char *end = line + line_len;
      guint64 kib;

      if (!health_has_prefix (line, line_len, "VmSwap:"))
        continue;

      pos = line + strlen ("VmSwap:");
      if (!health_parse_u64 (&pos, end, &kib) ||
          end - pos != 3 || memcmp (pos, " kB", 3) != 0 ||
          kib > G_MAXUINT64 / 1024)
        return FALSE;

      *bytes = kib * 1024;
      return TRUE;
    }

  return FALSE;
}
