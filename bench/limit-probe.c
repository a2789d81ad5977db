/* limit-probe.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The lower bound libhealth's built-in probes are measured against. It
 * reads the same kernel sources as HEALTH_BUILTIN_DEFAULT and computes the
 * same figures, but:
 *
 * - every file is opened once and read with exactly one pread() into a
 *   buffer large enough for it: the procfs files read here are all
 *   generated whole on each read (single_open / one seq_file record), so
 *   a read that does not fill the buffer has returned everything and no
 *   second read to see EOF is needed;
 * - only the numbers needed are parsed, at the places the kernel writes
 *   them, with a key check where a field's position is not fixed;
 * - the disk is fstatfs() of a descriptor of the working directory, not
 *   a path lookup;
 * - the worker is a plain thread woken by a futex and answering by a
 *   futex: one hand-off each way, no queue, no allocation.
 *
 * It does not judge, keep history or notify anyone: it is the cost of
 * getting the figures across, nothing more.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "limit-probe.h"

enum
{
  FILE_MEMINFO,
  FILE_STAT,
  FILE_LOADAVG,
  FILE_PSI_MEMORY,
  FILE_PSI_CPU,
  FILE_PSI_IO,
  FILE_SELF_STATM,
  FILE_SELF_STAT,
  N_FILES
};

static const char * const file_paths[N_FILES] = {
  "/proc/meminfo",
  "/proc/stat",
  "/proc/loadavg",
  "/proc/pressure/memory",
  "/proc/pressure/cpu",
  "/proc/pressure/io",
  "/proc/self/statm",
  "/proc/self/stat",
};

/* As libhealth: below this many ticks per CPU between two readings the
 * CPU figure is mostly rounding, so the baseline is kept. */
#define MIN_TICKS_PER_CPU 10

/* /proc/stat on a machine with hundreds of CPUs and interrupts is the
 * largest; the buffer grows past this only on such machines. */
#define INITIAL_BUF_SIZE (64 * 1024)
#define MAX_BUF_SIZE     (16 * 1024 * 1024)

struct _LimitProbe
{
  int       fds[N_FILES];
  int       fd_dir;          /* /proc/self/fd */
  int       cwd;             /* the working directory, for fstatfs() */
  char     *buf;
  size_t    buf_size;
  uint64_t  page_size;
  unsigned  n_cpus;
  uint64_t  cpu_busy;
  uint64_t  cpu_idle;
  int       cpu_valid;
  /* getdents64() records are 8-byte aligned. */
  uint64_t  dirents[4096 / sizeof (uint64_t)];
};

/* Parsing */

static uint64_t
parse_u64 (const char **pos,
           const char  *end,
           int         *ok)
{
  const char *p = *pos;
  uint64_t value = 0;

  while (p < end && *p == ' ')
    p++;

  if (p >= end || *p < '0' || *p > '9')
    {
      *ok = 0;
      return 0;
    }

  /* No overflow check: the kernel's counters are 64-bit and printed as
   * such. */
  for (; p < end && *p >= '0' && *p <= '9'; p++)
    value = value * 10 + (uint64_t) (*p - '0');

  *pos = p;

  return value;
}

/* "12.34": the kernel prints loads and PSI averages with two decimals. */
static double
parse_decimal (const char **pos,
               const char  *end,
               int         *ok)
{
  static const double scale[] = { 1, 10, 100, 1000, 10000, 100000, 1000000 };
  uint64_t mantissa = parse_u64 (pos, end, ok);
  const char *p = *pos;
  unsigned n = 0;

  if (*ok && p < end && *p == '.')
    {
      for (p++; p < end && *p >= '0' && *p <= '9'; p++)
        if (n + 1 < sizeof scale / sizeof scale[0])
          {
            mantissa = mantissa * 10 + (uint64_t) (*p - '0');
            n++;
          }
      *pos = p;
    }

  return (double) mantissa / scale[n];
}

/* The number after "\nKey:" (the key given with its newline), or after
 * "Key:" at the very start. */
static int
meminfo_field (const char *buf,
               size_t      len,
               const char *key,
               size_t      key_len,
               uint64_t   *kib)
{
  const char *p;
  int ok = 1;

  if (len >= key_len - 1 && memcmp (buf, key + 1, key_len - 1) == 0)
    p = buf + key_len - 1;
  else if ((p = memmem (buf, len, key, key_len)) != NULL)
    p += key_len;
  else
    return 0;

  *kib = parse_u64 (&p, buf + len, &ok);

  return ok;
}

#define MEMINFO_FIELD(buf, len, key, out) \
  meminfo_field ((buf), (len), "\n" key, sizeof (key), (out))

static double
percent (uint64_t part,
         uint64_t whole)
{
  double p = 100.0 * (double) part / (double) whole;

  return p < 100.0 ? p : 100.0;
}

/* Reading */

static const char *
read_file (LimitProbe *self,
           int         file,
           size_t     *len)
{
  /* Missing at start (no PSI here): no system call for it, ever. */
  if (self->fds[file] < 0)
    return NULL;

  for (;;)
    {
      ssize_t n = pread (self->fds[file], self->buf, self->buf_size, 0);
      char *bigger;

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return NULL;

      if ((size_t) n < self->buf_size)
        {
          *len = n;
          return self->buf;
        }

      /* Filled to the brim: maybe cut short. Only on the first samples
       * of a very large machine. */
      if (self->buf_size >= MAX_BUF_SIZE)
        return NULL;
      bigger = realloc (self->buf, self->buf_size * 2);
      if (bigger == NULL)
        return NULL;
      self->buf = bigger;
      self->buf_size *= 2;
    }
}

static void
sample_meminfo (LimitProbe    *self,
                LimitSnapshot *snapshot)
{
  uint64_t total, available, swap_total, swap_free;
  const char *buf;
  size_t len;

  buf = read_file (self, FILE_MEMINFO, &len);
  if (buf == NULL ||
      !MEMINFO_FIELD (buf, len, "MemTotal:", &total) || total == 0 ||
      !MEMINFO_FIELD (buf, len, "MemAvailable:", &available) || available > total)
    return;

  snapshot->values[LIMIT_MEMORY_USAGE] = percent (total - available, total);
  snapshot->values[LIMIT_MEMORY_AVAILABLE] = (double) available * 1024;

  if (MEMINFO_FIELD (buf, len, "SwapTotal:", &swap_total) &&
      MEMINFO_FIELD (buf, len, "SwapFree:", &swap_free) &&
      swap_total > 0 && swap_free <= swap_total)
    snapshot->values[LIMIT_SWAP_USAGE] = percent (swap_total - swap_free, swap_total);
}

/* "cpu  user nice system idle iowait irq softirq steal guest guest_nice":
 * only the first line. */
static int
read_cpu_times (LimitProbe *self,
                uint64_t   *busy,
                uint64_t   *idle)
{
  uint64_t cols[8] = { 0 };
  const char *buf, *pos, *end;
  unsigned n_cols;
  size_t len;
  int ok = 1;

  buf = read_file (self, FILE_STAT, &len);
  if (buf == NULL || len < 4 || memcmp (buf, "cpu ", 4) != 0)
    return 0;

  pos = buf + 4;
  end = buf + len;
  for (n_cols = 0; n_cols < 8; n_cols++)
    {
      uint64_t value = parse_u64 (&pos, end, &ok);

      if (!ok)
        break;
      cols[n_cols] = value;
    }

  /* Kernels before 2.6.11 stop after four to seven columns. */
  if (n_cols < 4)
    return 0;

  *busy = cols[0] + cols[1] + cols[2] + cols[5] + cols[6] + cols[7];
  *idle = cols[3] + cols[4];

  return 1;
}

static void
sample_cpu (LimitProbe    *self,
            LimitSnapshot *snapshot)
{
  uint64_t busy, idle;

  if (!read_cpu_times (self, &busy, &idle))
    return;

  if (!self->cpu_valid || busy < self->cpu_busy || idle < self->cpu_idle)
    {
      self->cpu_busy = busy;
      self->cpu_idle = idle;
      self->cpu_valid = 1;
      return;
    }

  if ((busy - self->cpu_busy) + (idle - self->cpu_idle) < (uint64_t) MIN_TICKS_PER_CPU * self->n_cpus)
    return;

  snapshot->values[LIMIT_CPU_USAGE] = percent (busy - self->cpu_busy,
                                               (busy - self->cpu_busy) + (idle - self->cpu_idle));
  self->cpu_busy = busy;
  self->cpu_idle = idle;
}

static void
sample_loadavg (LimitProbe    *self,
                LimitSnapshot *snapshot)
{
  const char *buf;
  size_t len;
  double load;
  int ok = 1;

  buf = read_file (self, FILE_LOADAVG, &len);
  if (buf == NULL)
    return;

  load = parse_decimal (&buf, buf + len, &ok);
  if (ok)
    snapshot->values[LIMIT_LOAD_AVERAGE] = load / self->n_cpus;
}

/* "some avg10=1.23 avg60=..." */
static void
sample_pressure (LimitProbe    *self,
                 int            file,
                 LimitValueId   id,
                 LimitSnapshot *snapshot)
{
  static const char prefix[] = "some avg10=";
  const char *buf, *pos;
  size_t len;
  double avg10;
  int ok = 1;

  buf = read_file (self, file, &len);
  if (buf == NULL || len < sizeof prefix || memcmp (buf, prefix, sizeof prefix - 1) != 0)
    return;

  pos = buf + sizeof prefix - 1;
  avg10 = parse_decimal (&pos, buf + len, &ok);
  if (ok)
    snapshot->values[id] = avg10;
}

/* statm: "size resident ...", in pages. */
static void
sample_statm (LimitProbe    *self,
              LimitSnapshot *snapshot)
{
  const char *buf, *pos, *end;
  uint64_t resident;
  size_t len;
  int ok = 1;

  buf = read_file (self, FILE_SELF_STATM, &len);
  if (buf == NULL)
    return;

  pos = buf;
  end = buf + len;
  parse_u64 (&pos, end, &ok);
  resident = parse_u64 (&pos, end, &ok);
  if (ok)
    snapshot->values[LIMIT_PROCESS_MEMORY] = (double) (resident * self->page_size);
}

/* stat: field 20 (num_threads), counted from the last ')', since the
 * command name may hold anything. */
static void
sample_self_stat (LimitProbe    *self,
                  LimitSnapshot *snapshot)
{
  const char *buf, *pos, *end;
  uint64_t threads;
  size_t len;
  int ok = 1;

  buf = read_file (self, FILE_SELF_STAT, &len);
  if (buf == NULL || (pos = memrchr (buf, ')', len)) == NULL)
    return;

  end = buf + len;
  /* ") S ppid ...": field 3 follows the first blank, field 20 the 18th. */
  for (unsigned blanks = 0; blanks < 18; pos++)
    {
      if (pos >= end)
        return;
      if (*pos == ' ')
        blanks++;
    }

  threads = parse_u64 (&pos, end, &ok);
  if (ok)
    snapshot->values[LIMIT_THREAD_COUNT] = (double) threads;
}

/* The entries of self/fd but ".", ".." and our own descriptor of it. */
static void
sample_open_files (LimitProbe    *self,
                   LimitSnapshot *snapshot)
{
  uint64_t count = 0;

  if (lseek (self->fd_dir, 0, SEEK_SET) < 0)
    return;

  for (;;)
    {
      const char *records = (const char *) self->dirents;
      long n = syscall (SYS_getdents64, self->fd_dir, self->dirents, sizeof self->dirents);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        return;
      if (n == 0)
        break;

      for (long offset = 0; offset < n; )
        {
          unsigned short reclen;

          /* d_reclen at 16, d_name at 19 in struct linux_dirent64. */
          memcpy (&reclen, records + offset + 16, sizeof reclen);
          if (records[offset + 19] != '.')
            count++;
          offset += reclen;
        }
    }

  snapshot->values[LIMIT_OPEN_FILES] = (double) (count > 0 ? count - 1 : 0);
}

/* As df: used over used plus what an unprivileged user may still take. */
static void
sample_disk (LimitProbe    *self,
             LimitSnapshot *snapshot)
{
  struct statfs st;
  uint64_t used;

  if (fstatfs (self->cwd, &st) < 0 || st.f_blocks == 0 || st.f_bfree > st.f_blocks)
    return;

  used = st.f_blocks - st.f_bfree;
  if (used + st.f_bavail > 0)
    snapshot->values[LIMIT_DISK_USAGE] = percent (used, used + st.f_bavail);
}

void
limit_probe_sample (LimitProbe    *self,
                    LimitSnapshot *snapshot)
{
  for (unsigned i = 0; i < LIMIT_N_VALUES; i++)
    snapshot->values[i] = NAN;

  sample_meminfo (self, snapshot);
  sample_cpu (self, snapshot);
  sample_loadavg (self, snapshot);
  sample_disk (self, snapshot);
  sample_pressure (self, FILE_PSI_MEMORY, LIMIT_MEMORY_PRESSURE, snapshot);
  sample_pressure (self, FILE_PSI_CPU, LIMIT_CPU_PRESSURE, snapshot);
  sample_pressure (self, FILE_PSI_IO, LIMIT_IO_PRESSURE, snapshot);
  sample_statm (self, snapshot);
  sample_self_stat (self, snapshot);
  sample_open_files (self, snapshot);
}

LimitProbe *
limit_probe_new (void)
{
  LimitProbe *self = calloc (1, sizeof (LimitProbe));
  long page_size = sysconf (_SC_PAGESIZE);
  long n_cpus = sysconf (_SC_NPROCESSORS_ONLN);
  uint64_t busy, idle;

  if (self == NULL)
    return NULL;

  self->page_size = page_size > 0 ? page_size : 4096;
  self->n_cpus = n_cpus > 0 ? n_cpus : 1;
  self->buf_size = INITIAL_BUF_SIZE;
  self->buf = malloc (self->buf_size);

  /* A missing file (no PSI here) leaves its figure unknown, as in
   * libhealth; everything else must be there. */
  for (unsigned i = 0; i < N_FILES; i++)
    self->fds[i] = open (file_paths[i], O_RDONLY | O_CLOEXEC);
  self->fd_dir = open ("/proc/self/fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  self->cwd = open (".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);

  if (self->buf == NULL || self->fds[FILE_MEMINFO] < 0 || self->fds[FILE_STAT] < 0 ||
      self->fd_dir < 0 || self->cwd < 0)
    {
      limit_probe_free (self);
      return NULL;
    }

  if (read_cpu_times (self, &busy, &idle))
    {
      self->cpu_busy = busy;
      self->cpu_idle = idle;
      self->cpu_valid = 1;
    }

  return self;
}

void
limit_probe_free (LimitProbe *self)
{
  if (self == NULL)
    return;

  for (unsigned i = 0; i < N_FILES; i++)
    if (self->fds[i] >= 0)
      close (self->fds[i]);
  if (self->fd_dir >= 0)
    close (self->fd_dir);
  if (self->cwd >= 0)
    close (self->cwd);
  free (self->buf);
  free (self);
}

/* The hand-off: two sequence numbers, each with a futex. */

struct _LimitWorker
{
  LimitProbe       *probe;
  pthread_t         thread;
  _Atomic uint32_t  request;   /* written by the caller */
  _Atomic uint32_t  answer;    /* written by the worker: the request it served */
  _Atomic int       stop;
  LimitSnapshot     snapshot;
};

static void
futex_wait (_Atomic uint32_t *word,
            uint32_t          expected)
{
  /* Returns at once when the word changed meanwhile; spurious wake-ups
   * are handled by the callers' loops. */
  syscall (SYS_futex, (uint32_t *) word, FUTEX_WAIT_PRIVATE, expected, NULL, NULL, 0);
}

static void
futex_wake (_Atomic uint32_t *word)
{
  syscall (SYS_futex, (uint32_t *) word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

static void *
worker_main (void *data)
{
  LimitWorker *self = data;
  uint32_t served = 0;

  for (;;)
    {
      uint32_t request;

      while ((request = atomic_load_explicit (&self->request, memory_order_acquire)) == served)
        futex_wait (&self->request, served);

      if (atomic_load_explicit (&self->stop, memory_order_relaxed))
        break;

      limit_probe_sample (self->probe, &self->snapshot);
      served = request;
      atomic_store_explicit (&self->answer, served, memory_order_release);
      futex_wake (&self->answer);
    }

  return NULL;
}

LimitWorker *
limit_worker_new (LimitProbe *probe)
{
  LimitWorker *self = calloc (1, sizeof (LimitWorker));

  if (self == NULL)
    return NULL;

  self->probe = probe;
  if (pthread_create (&self->thread, NULL, worker_main, self) != 0)
    {
      free (self);
      return NULL;
    }

  return self;
}

const LimitSnapshot *
limit_worker_sample (LimitWorker *self)
{
  uint32_t request = atomic_load_explicit (&self->request, memory_order_relaxed) + 1;
  uint32_t answer;

  atomic_store_explicit (&self->request, request, memory_order_release);
  futex_wake (&self->request);

  while ((answer = atomic_load_explicit (&self->answer, memory_order_acquire)) != request)
    futex_wait (&self->answer, answer);

  return &self->snapshot;
}

void
limit_worker_free (LimitWorker *self)
{
  if (self == NULL)
    return;

  atomic_store_explicit (&self->stop, 1, memory_order_relaxed);
  atomic_fetch_add_explicit (&self->request, 1, memory_order_release);
  futex_wake (&self->request);
  pthread_join (self->thread, NULL);
  free (self);
}
