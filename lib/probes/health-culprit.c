/* health-culprit.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Which process is most responsible for a memory, swap, CPU or I/O
 * alert: a one-off scan of the numeric directories of proc-root, run on
 * the worker when an alert fires and never on every sample. It is
 * bounded in processes and in time and reports the best found so far
 * when a bound is hit, so a machine with a huge process table gets a
 * likely culprit late rather than a stalled monitor.
 *
 * Memory and swap are levels, read once per process. CPU time and I/O
 * bytes are cumulative: the largest total names whoever ran longest (a
 * week-old compositor), not whoever is busy now, so those are read twice
 * 100 ms apart and ranked by rate: a scan begins (the first reading) and
 * finishes (the second) in two calls, so that a caller with a main loop
 * waits on it rather than holding a thread asleep; health_culprit_find()
 * sleeps between them for callers without one. When
 * nothing moved between the two reads (the burst has ended, or
 * proc-root is a fixture), the largest total is reported instead, and
 * the text says it is a total.
 */

#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "health-builtin-probes-private.h"
#include "health-text-private.h"

#define MAX_PIDS              4096
#define SCAN_BUDGET_US        (150 * G_TIME_SPAN_MILLISECOND)
#define RATE_GAP_US           (100 * G_TIME_SPAN_MILLISECOND)
#define RATE_PASS_BUDGET_US   (45 * G_TIME_SPAN_MILLISECOND)
#define RATE_SECOND_BUDGET_US (50 * G_TIME_SPAN_MILLISECOND)

/* /proc/[pid]/status is the largest file read, about 1.5 KiB. */
#define READ_BUF_SIZE 4096
#define COMM_MAX      64

typedef struct
{
  int     pid;
  guint64 amount;
  gint64  time_us;
} Reading;

/* Reads "<pid>/<name>" whole into `buf`; FALSE when it cannot be read or
 * does not fit. */
static gboolean
read_pid_file (int         proc_fd,
               int         pid,
               const char *name,
               char       *buf,
               gsize       size,
               gsize      *len)
{
  char path[64];
  gsize total = 0;
  int fd;

  g_snprintf (path, sizeof path, "%d/%s", pid, name);

  do
    fd = openat (proc_fd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    return FALSE;

  while (total < size - 1)
    {
      gssize n = read (fd, buf + total, size - 1 - total);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      total += n;
    }

  close (fd);

  if (total == size - 1)
    return FALSE;

  buf[total] = '\0';
  *len = total;

  return TRUE;
}

static gboolean
read_amount (int                proc_fd,
             HealthCulpritKind  kind,
             int                pid,
             guint64           *amount)
{
  char buf[READ_BUF_SIZE];
  HealthPidStat pid_stat;
  gsize len;

  switch (kind)
    {
    case HEALTH_CULPRIT_MEMORY:
      {
        long page_size = sysconf (_SC_PAGESIZE);
        guint64 pages;

        if (page_size <= 0 ||
            !read_pid_file (proc_fd, pid, "statm", buf, sizeof buf, &len) ||
            !health_pid_statm_parse (buf, len, &pages) ||
            pages > G_MAXUINT64 / (guint64) page_size)
          return FALSE;
        *amount = pages * page_size;
        return TRUE;
      }

    case HEALTH_CULPRIT_SWAP:
      return read_pid_file (proc_fd, pid, "status", buf, sizeof buf, &len) &&
             health_pid_status_swap_parse (buf, len, amount);

    case HEALTH_CULPRIT_CPU:
      if (!read_pid_file (proc_fd, pid, "stat", buf, sizeof buf, &len) ||
          !health_pid_stat_parse (buf, len, &pid_stat) ||
          pid_stat.utime > G_MAXUINT64 - pid_stat.stime)
        return FALSE;
      *amount = pid_stat.utime + pid_stat.stime;
      return TRUE;

    case HEALTH_CULPRIT_IO:
      /* Other users' io files are refused unless we may ptrace them:
       * those processes are skipped, not guessed. */
      return read_pid_file (proc_fd, pid, "io", buf, sizeof buf, &len) &&
             health_pid_io_parse (buf, len, amount);

    default:
      g_assert_not_reached ();
    }
}

static gboolean
parse_pid (const char *name,
           int        *pid)
{
  const char *end = name + strlen (name);
  const char *pos = name;
  guint64 value;

  if (!g_ascii_isdigit (*name) || !health_parse_u64 (&pos, end, &value) ||
      pos != end || value == 0 || value > G_MAXINT)
    return FALSE;

  *pid = value;

  return TRUE;
}

/* The numeric entries of proc-root, at most MAX_PIDS of them. */
static GArray *
list_pids (const HealthProbeContext *ctx)
{
  GArray *pids = g_array_new (FALSE, FALSE, sizeof (int));
  struct dirent *entry;
  DIR *dir;
  int fd;

  fd = openat (ctx->proc_fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0)
    return pids;

  dir = fdopendir (fd);
  if (dir == NULL)
    {
      close (fd);
      return pids;
    }

  while (pids->len < MAX_PIDS && (entry = readdir (dir)) != NULL)
    {
      int pid;

      if (parse_pid (entry->d_name, &pid))
        g_array_append_val (pids, pid);
    }

  closedir (dir);

  return pids;
}

/* A level: the largest value at the time of reading. */
static gboolean
find_largest (const HealthProbeContext *ctx,
              HealthCulpritKind         kind,
              GArray                   *pids,
              Reading                  *best)
{
  gint64 deadline = g_get_monotonic_time () + SCAN_BUDGET_US;

  best->amount = 0;

  for (guint i = 0; i < pids->len && g_get_monotonic_time () < deadline; i++)
    {
      int pid = g_array_index (pids, int, i);
      guint64 amount;

      if (read_amount (ctx->proc_fd, kind, pid, &amount) && amount > best->amount)
        {
          best->pid = pid;
          best->amount = amount;
        }
    }

  return best->amount > 0;
}

struct _HealthCulpritScan
{
  HealthCulpritKind  kind;
  GArray            *first;   /* of Reading: a counter's first reading */
};

/* A counter's first reading of every process. */
static void
read_counters (const HealthProbeContext *ctx,
               HealthCulpritKind         kind,
               GArray                   *pids,
               GArray                   *first)
{
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < pids->len && g_get_monotonic_time () < start + RATE_PASS_BUDGET_US; i++)
    {
      Reading reading = { .pid = g_array_index (pids, int, i) };

      if (read_amount (ctx->proc_fd, kind, reading.pid, &reading.amount))
        {
          reading.time_us = g_get_monotonic_time ();
          g_array_append_val (first, reading);
        }
    }
}

/* A counter: the largest increase per second since `first`, or failing
 * any increase, the largest total (`is_rate` FALSE). */
static gboolean
find_fastest (const HealthProbeContext *ctx,
              HealthCulpritKind         kind,
              GArray                   *first,
              Reading                  *best,
              double                   *best_rate,
              gboolean                 *is_rate)
{
  gint64 start = g_get_monotonic_time ();
  Reading largest = { 0 };

  *best_rate = 0;
  *is_rate = FALSE;

  for (guint i = 0; i < first->len && g_get_monotonic_time () < start + RATE_SECOND_BUDGET_US; i++)
    {
      const Reading *before = &g_array_index (first, Reading, i);
      Reading now = { .pid = before->pid };
      double rate;

      if (!read_amount (ctx->proc_fd, kind, now.pid, &now.amount))
        continue;
      now.time_us = g_get_monotonic_time ();

      if (now.amount > largest.amount)
        largest = now;

      /* Less than before: the pid was reused by a new process. */
      if (now.amount <= before->amount || now.time_us <= before->time_us)
        continue;

      rate = (double) (now.amount - before->amount) * G_USEC_PER_SEC /
             (double) (now.time_us - before->time_us);
      if (rate > *best_rate)
        {
          *best_rate = rate;
          *best = now;
          *is_rate = TRUE;
        }
    }

  if (!*is_rate)
    *best = largest;

  return best->amount > 0;
}

/* Whatever comm holds, which the process chose, as text safe to show. */
static char *
read_name (int proc_fd,
           int pid)
{
  char buf[COMM_MAX + 1];
  g_autofree char *clean = NULL;
  gsize len;

  if (!read_pid_file (proc_fd, pid, "comm", buf, sizeof buf, &len))
    return g_strdup ("?");

  if (len > 0 && buf[len - 1] == '\n')
    buf[--len] = '\0';

  clean = health_text_sanitize (buf, len);

  return *clean != '\0' ? g_steal_pointer (&clean) : g_strdup ("?");
}

static char *
format_cpu_seconds (double seconds)
{
  if (seconds < 120)
    return g_strdup_printf ("%.0f s CPU in total", seconds);
  if (seconds < 2 * 3600)
    return g_strdup_printf ("%.0f min CPU in total", seconds / 60);
  return g_strdup_printf ("%.1f h CPU in total", seconds / 3600);
}

static char *
format_amount (HealthCulpritKind kind,
               guint64           amount,
               double            rate,
               gboolean          is_rate)
{
  g_autofree char *size = NULL;
  long ticks_per_second;

  switch (kind)
    {
    case HEALTH_CULPRIT_MEMORY:
      return g_format_size_full (amount, G_FORMAT_SIZE_IEC_UNITS);

    case HEALTH_CULPRIT_SWAP:
      size = g_format_size_full (amount, G_FORMAT_SIZE_IEC_UNITS);
      return g_strdup_printf ("%s swapped", size);

    case HEALTH_CULPRIT_CPU:
      ticks_per_second = sysconf (_SC_CLK_TCK);
      if (ticks_per_second <= 0)
        ticks_per_second = 100;
      /* % of one core, as top shows it. */
      if (is_rate)
        return g_strdup_printf ("%.0f %% CPU", 100.0 * rate / ticks_per_second);
      return format_cpu_seconds ((double) amount / ticks_per_second);

    case HEALTH_CULPRIT_IO:
      if (is_rate)
        {
          size = g_format_size_full ((guint64) rate, G_FORMAT_SIZE_IEC_UNITS);
          return g_strdup_printf ("%s/s", size);
        }
      size = g_format_size_full (amount, G_FORMAT_SIZE_IEC_UNITS);
      return g_strdup_printf ("%s read and written in total", size);

    default:
      g_assert_not_reached ();
    }
}

/* Copies `text` into `out`, cut at a character boundary when too long. */
static void
copy_utf8 (const char *text,
           char       *out,
           gsize       out_size)
{
  gsize len = strlen (text);

  if (len >= out_size)
    {
      const char *cut = g_utf8_find_prev_char (text, text + out_size);

      len = cut != NULL ? (gsize) (cut - text) : 0;
    }

  memcpy (out, text, len);
  out[len] = '\0';
}

HealthCulpritScan *
health_culprit_scan_new (HealthCulpritKind kind)
{
  HealthCulpritScan *scan = g_new0 (HealthCulpritScan, 1);

  scan->kind = kind;
  scan->first = g_array_new (FALSE, FALSE, sizeof (Reading));

  return scan;
}

void
health_culprit_scan_free (HealthCulpritScan *scan)
{
  g_array_unref (scan->first);
  g_free (scan);
}

/* The first reading of a counter; nothing for a level. Returns how many
 * microseconds to wait before health_culprit_scan_finish(), 0 for none. */
gint64
health_culprit_scan_begin (HealthCulpritScan        *scan,
                           const HealthProbeContext *ctx)
{
  g_autoptr (GArray) pids = NULL;
  gint64 wake;

  g_return_val_if_fail (scan != NULL && ctx != NULL, 0);

  if (ctx->proc_fd < 0 || (scan->kind != HEALTH_CULPRIT_CPU && scan->kind != HEALTH_CULPRIT_IO))
    return 0;

  pids = list_pids (ctx);
  read_counters (ctx, scan->kind, pids, scan->first);
  if (scan->first->len == 0)
    return 0;

  wake = g_array_index (scan->first, Reading, 0).time_us + RATE_GAP_US;

  return MAX (wake - g_get_monotonic_time (), 0);
}

/* Writes "name (pid) amount" into `out`, as health_culprit_find(). */
gboolean
health_culprit_scan_finish (HealthCulpritScan        *scan,
                            const HealthProbeContext *ctx,
                            char                     *out,
                            gsize                     out_size)
{
  g_autofree char *name = NULL;
  g_autofree char *amount = NULL;
  g_autofree char *text = NULL;
  Reading best = { 0 };
  double rate = 0;
  gboolean is_rate = FALSE;
  gboolean found;
  HealthCulpritKind kind;

  g_return_val_if_fail (scan != NULL && ctx != NULL, FALSE);
  g_return_val_if_fail (out != NULL && out_size > 0, FALSE);

  kind = scan->kind;
  out[0] = '\0';

  if (ctx->proc_fd < 0)
    return FALSE;

  if (kind == HEALTH_CULPRIT_CPU || kind == HEALTH_CULPRIT_IO)
    {
      found = find_fastest (ctx, kind, scan->first, &best, &rate, &is_rate);
    }
  else
    {
      g_autoptr (GArray) pids = list_pids (ctx);

      found = find_largest (ctx, kind, pids, &best);
    }

  if (!found)
    return FALSE;

  name = read_name (ctx->proc_fd, best.pid);
  amount = format_amount (kind, best.amount, rate, is_rate);
  text = g_strdup_printf ("%s (%d) %s", name, best.pid, amount);
  copy_utf8 (text, out, out_size);

  return out[0] != '\0';
}

gboolean
health_culprit_find (const HealthProbeContext *ctx,
                     HealthCulpritKind         kind,
                     char                     *out,
                     gsize                     out_size)
{
  HealthCulpritScan *scan;
  gint64 wait_us;
  gboolean found;

  g_return_val_if_fail (ctx != NULL, FALSE);
  g_return_val_if_fail (kind <= HEALTH_CULPRIT_IO, FALSE);
  g_return_val_if_fail (out != NULL && out_size > 0, FALSE);

  scan = health_culprit_scan_new (kind);
  wait_us = health_culprit_scan_begin (scan, ctx);
  if (wait_us > 0)
    g_usleep (wait_us);
  found = health_culprit_scan_finish (scan, ctx, out, out_size);
  health_culprit_scan_free (scan);

  return found;
}
