/* bench-alloc.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Heap allocation counting for the benchmark. glibc lets a program
 * replace malloc() by defining it (its own internal callers, GLib and
 * every other library then use the replacement); each replacement here
 * counts and forwards to the __libc_* entry points, so the allocator
 * itself stays glibc's and timings are not disturbed beyond one atomic
 * increment per call.
 *
 * The counters are a global atomic (all threads) plus a thread-local one,
 * so that the bench can tell the main thread's allocations from the
 * worker's without any lock on the hot path.
 *
 * Optionally, between bench_alloc_sites_start() and _stop(), every
 * allocation's stack is recorded into a fixed table (no allocation while
 * recording), and bench_alloc_sites_print() names the busiest sites by
 * the libhealth function that made them and the GLib call it went
 * through: that is what a library author can act upon.
 */

#include "config.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <malloc.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "bench-alloc.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
# define BENCH_OWN_MALLOC 0
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
     __has_feature(thread_sanitizer)
#  define BENCH_OWN_MALLOC 0
# endif
#endif
#ifndef BENCH_OWN_MALLOC
# define BENCH_OWN_MALLOC 1
#endif

/* Frames kept per stack: enough to reach from malloc() through GLib's
 * wrappers and a signal emission or two into libhealth. */
#define SITE_DEPTH 24
/* Distinct stacks a recording can hold; a round trip of the monitor has
 * a few dozen. Beyond that, allocations are counted as "unrecorded". */
#define MAX_STACKS 4096

typedef struct
{
  guint64  hash;      /* 0: free slot */
  guint    count;
  guint8   depth;
  guint8   on_main;
  void    *frames[SITE_DEPTH];
} Stack;

static atomic_uint_fast64_t n_allocs;
static atomic_uint_fast64_t n_frees;
static __thread guint64 thread_allocs;
static __thread gboolean thread_is_main;
static __thread gboolean thread_in_backtrace;

static atomic_bool recording;
static atomic_flag stacks_lock = ATOMIC_FLAG_INIT;
static Stack stacks[MAX_STACKS];
static guint n_unrecorded;

#if BENCH_OWN_MALLOC

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *mem, size_t size);
extern void  __libc_free (void *mem);
extern void *__libc_memalign (size_t alignment, size_t size);
extern void *__libc_valloc (size_t size);
extern void *__libc_pvalloc (size_t size);

static guint64
hash_frames (void * const *frames,
             int           depth)
{
  /* FNV-1a over the addresses. */
  guint64 h = G_GUINT64_CONSTANT (14695981039346656037);

  for (int i = 0; i < depth; i++)
    {
      h ^= (guint64) (guintptr) frames[i];
      h *= G_GUINT64_CONSTANT (1099511628211);
    }

  return h;
}

/* Not inlined, and never called in tail position, so that frame 0 of
 * the backtrace is here and frame 1 the replacement that called it. */
static void __attribute__ ((noinline))
record_stack (void)
{
  void *frames[SITE_DEPTH + 2];
  int depth;
  guint64 hash;
  guint slot;

  /* backtrace() loads libgcc_s on its first call, which allocates: that
   * allocation lands here again. bench_alloc_init() makes that first
   * call, this guard covers the rest. */
  if (thread_in_backtrace)
    return;
  thread_in_backtrace = TRUE;
  depth = backtrace (frames, G_N_ELEMENTS (frames));
  thread_in_backtrace = FALSE;

  if (depth <= 2)
    return;
  depth -= 2;

  /* The same stack on another thread is another site; 0 marks a free
   * slot. */
  hash = hash_frames (frames + 2, depth) ^ (thread_is_main ? 1 : 0);
  if (hash == 0)
    hash = 2;

  while (atomic_flag_test_and_set_explicit (&stacks_lock, memory_order_acquire))
    ;

  slot = hash % MAX_STACKS;
  for (guint probes = 0; ; probes++)
    {
      Stack *stack = &stacks[slot];

      if (probes == MAX_STACKS)
        {
          n_unrecorded++;
          break;
        }

      if (stack->hash == 0)
        {
          stack->hash = hash;
          stack->depth = depth;
          stack->on_main = thread_is_main;
          memcpy (stack->frames, frames + 2, depth * sizeof (void *));
        }

      if (stack->hash == hash)
        {
          stack->count++;
          break;
        }

      slot = (slot + 1) % MAX_STACKS;
    }

  atomic_flag_clear_explicit (&stacks_lock, memory_order_release);
}

/* Always inlined, so that record_stack() is called from the replacement
 * itself and the stack looks the same whichever replacement it was. */
static inline __attribute__ ((always_inline)) void *
note_alloc (void *mem)
{
  atomic_fetch_add_explicit (&n_allocs, 1, memory_order_relaxed);
  thread_allocs++;
  if G_UNLIKELY (atomic_load_explicit (&recording, memory_order_relaxed))
    record_stack ();

  return mem;
}

void *
malloc (size_t size)
{
  return note_alloc (__libc_malloc (size));
}

void *
calloc (size_t n,
        size_t size)
{
  return note_alloc (__libc_calloc (n, size));
}

/* realloc (p, 0) frees, realloc (NULL, n) is a malloc, a resize may move
 * the block: all are traffic on the heap, counted alike. */
void *
realloc (void   *mem,
         size_t  size)
{
  return note_alloc (__libc_realloc (mem, size));
}

/* glibc's own reallocarray calls its internal realloc, which would
 * bypass the count. */
void *
reallocarray (void   *mem,
              size_t  n,
              size_t  size)
{
  size_t total;

  if (__builtin_mul_overflow (n, size, &total))
    {
      errno = ENOMEM;
      return NULL;
    }

  return note_alloc (__libc_realloc (mem, total));
}

void
free (void *mem)
{
  if (mem != NULL)
    atomic_fetch_add_explicit (&n_frees, 1, memory_order_relaxed);
  __libc_free (mem);
}

void *
memalign (size_t alignment,
          size_t size)
{
  return note_alloc (__libc_memalign (alignment, size));
}

void *
aligned_alloc (size_t alignment,
               size_t size)
{
  return note_alloc (__libc_memalign (alignment, size));
}

int
posix_memalign (void   **out,
                size_t   alignment,
                size_t   size)
{
  void *mem;

  /* A power of two multiple of sizeof (void *), as POSIX requires. */
  if (alignment == 0 || alignment % sizeof (void *) != 0 || (alignment & (alignment - 1)) != 0)
    return EINVAL;

  mem = note_alloc (__libc_memalign (alignment, size));
  if (mem == NULL)
    return ENOMEM;

  *out = mem;

  return 0;
}

void *
valloc (size_t size)
{
  return note_alloc (__libc_valloc (size));
}

void *
pvalloc (size_t size)
{
  return note_alloc (__libc_pvalloc (size));
}

#endif /* BENCH_OWN_MALLOC */

gboolean
bench_alloc_can_count (void)
{
  const char *preload = g_getenv ("LD_PRELOAD");

  if (!BENCH_OWN_MALLOC)
    return FALSE;

  /* Valgrind's core preload is harmless (callgrind keeps glibc's malloc);
   * its tools that replace malloc are not. */
  if (preload != NULL &&
      (strstr (preload, "vgpreload_memcheck") != NULL ||
       strstr (preload, "vgpreload_massif") != NULL ||
       strstr (preload, "vgpreload_dhat") != NULL ||
       strstr (preload, "vgpreload_helgrind") != NULL ||
       strstr (preload, "vgpreload_drd") != NULL))
    return FALSE;

  return TRUE;
}

void
bench_alloc_init (void)
{
  void *frames[4];

  thread_is_main = TRUE;

  /* The first backtrace() loads the unwinder; better now than while
   * recording. */
  thread_in_backtrace = TRUE;
  backtrace (frames, G_N_ELEMENTS (frames));
  thread_in_backtrace = FALSE;
}

guint64
bench_alloc_total (void)
{
  return atomic_load_explicit (&n_allocs, memory_order_relaxed);
}

guint64
bench_alloc_this_thread (void)
{
  return thread_allocs;
}

guint64
bench_free_total (void)
{
  return atomic_load_explicit (&n_frees, memory_order_relaxed);
}

void
bench_alloc_sites_start (void)
{
  memset (stacks, 0, sizeof stacks);
  n_unrecorded = 0;
  atomic_store (&recording, TRUE);
}

void
bench_alloc_sites_stop (void)
{
  atomic_store (&recording, FALSE);
  /* Another thread may be inside record_stack(): wait for it. */
  while (atomic_flag_test_and_set_explicit (&stacks_lock, memory_order_acquire))
    ;
  atomic_flag_clear_explicit (&stacks_lock, memory_order_release);
}

/* Reporting: allocations are allowed from here on. */

typedef struct
{
  void     *api;        /* the library function libhealth called: its start when
                         * exported, else the return address in it; NULL when
                         * libhealth called malloc() itself */
  void     *where;      /* innermost return address in the executable, or NULL */
  void     *caller;     /* the next one up in the executable, or NULL */
  void     *first[3];   /* with no executable frame: the frames past malloc */
  gboolean  on_main;
  guint     count;
  const Stack *example;  /* the first stack merged into this site */
} Site;

static gboolean
in_executable (void  *addr,
               void  *exe_base)
{
  Dl_info info;

  return dladdr (addr, &info) != 0 && info.dli_fbase == exe_base;
}

static char *
describe_shared (void *addr)
{
  Dl_info info;
  const char *object;

  if (dladdr (addr, &info) == 0)
    return g_strdup_printf ("%p", addr);

  object = info.dli_fname != NULL ? strrchr (info.dli_fname, '/') : NULL;
  object = object != NULL ? object + 1 : info.dli_fname;

  /* Stripped system libraries name only their exported functions, and
   * glibc's dladdr() names an address only when it lies within a
   * symbol's size: names are exact, static functions get lib+offset. */
  if (info.dli_sname != NULL)
    return g_strdup (info.dli_sname);

  return g_strdup_printf ("%s+%#lx", object ? object : "?",
                          (unsigned long) ((char *) addr - (char *) info.dli_fbase));
}

/* Symbolizes return addresses of the executable with addr2line, one call
 * for all: "function (file:line)", with the functions it was inlined
 * into after a '<'. */
static GHashTable *
symbolize_executable (GPtrArray *addrs,
                      void      *exe_base)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (NULL, NULL, NULL, g_free);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  int status;
  guint i = 0;

  if (exe == NULL || addrs->len == 0)
    return g_steal_pointer (&names);

  g_ptr_array_add (argv, g_strdup ("addr2line"));
  g_ptr_array_add (argv, g_strdup ("-a"));
  g_ptr_array_add (argv, g_strdup ("-f"));
  g_ptr_array_add (argv, g_strdup ("-i"));
  g_ptr_array_add (argv, g_strdup ("-s"));
  g_ptr_array_add (argv, g_strdup ("-e"));
  g_ptr_array_add (argv, g_strdup (exe));
  for (guint j = 0; j < addrs->len; j++)
    /* A return address points past the call: step back into it. */
    g_ptr_array_add (argv, g_strdup_printf ("%#lx",
                                            (unsigned long) ((char *) addrs->pdata[j] -
                                                             (char *) exe_base - 1)));
  g_ptr_array_add (argv, NULL);

  if (!g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL,
                     NULL, NULL, &out, NULL, &status, NULL) ||
      !g_spawn_check_wait_status (status, NULL))
    return g_steal_pointer (&names);

  /* "0xADDR" then pairs of "function" and "file:line", innermost first. */
  lines = g_strsplit (out, "\n", -1);
  for (guint l = 0; lines[l] != NULL && i <= addrs->len; )
    {
      GString *name;

      if (!g_str_has_prefix (lines[l], "0x"))
        {
          l++;
          continue;
        }

      l++;
      name = g_string_new (NULL);
      for (guint level = 0; lines[l] != NULL && lines[l + 1] != NULL &&
                            !g_str_has_prefix (lines[l], "0x"); level++, l += 2)
        {
          if (level == 0)
            g_string_append_printf (name, "%s (%s)", lines[l], lines[l + 1]);
          else
            g_string_append_printf (name, " < %s", lines[l]);
        }

      if (i < addrs->len)
        g_hash_table_insert (names, addrs->pdata[i], g_string_free (name, FALSE));
      else
        g_string_free (name, TRUE);
      i++;
    }

  return g_steal_pointer (&names);
}

/* " [via f > g > h]": the exported functions between the one libhealth
 * called and malloc(), outermost first, for one stack of the site;
 * GLib's allocation wrappers and unnamed frames left out. Without a
 * libhealth frame, the innermost MAX_PATH_NAMES of the whole stack. */
#define MAX_PATH_NAMES 5

static char *
describe_path (const Stack *stack,
               void        *exe_base)
{
  static const char * const wrappers[] = {
    "g_malloc", "g_malloc0", "g_realloc", "g_malloc_n", "g_malloc0_n", "g_realloc_n",
    "g_slice_alloc", "g_slice_alloc0", "g_try_malloc", "g_try_malloc0",
  };
  const char *names[SITE_DEPTH];
  guint n_names = 0;
  GString *path = g_string_new (NULL);
  int k, end;

  for (k = 0; k < stack->depth; k++)
    if (in_executable (stack->frames[k], exe_base))
      break;

  /* frames[k - 1] is the function libhealth called, shown already. */
  end = k < stack->depth ? k - 1 : k;

  for (int i = 0; i < end; i++)
    {
      Dl_info info;
      gboolean wrapper = FALSE;

      if (dladdr (stack->frames[i], &info) == 0 || info.dli_sname == NULL)
        continue;
      for (guint w = 0; w < G_N_ELEMENTS (wrappers); w++)
        wrapper |= strcmp (info.dli_sname, wrappers[w]) == 0;
      if (!wrapper)
        names[n_names++] = info.dli_sname;
    }

  if (k == stack->depth)
    n_names = MIN (n_names, MAX_PATH_NAMES);

  for (guint i = n_names; i > 0; i--)
    g_string_append_printf (path, "%s%s", i == n_names ? " [via " : " > ", names[i - 1]);
  if (n_names > 0)
    g_string_append_c (path, ']');

  return g_string_free (path, FALSE);
}

static int
compare_sites (gconstpointer a,
               gconstpointer b)
{
  const Site *sa = a;
  const Site *sb = b;

  return (sa->count < sb->count) - (sa->count > sb->count);
}

void
bench_alloc_sites_print (FILE       *out,
                         const char *prefix,
                         guint       n_samples,
                         guint       max_sites)
{
  g_autoptr(GArray) sites = g_array_new (FALSE, TRUE, sizeof (Site));
  g_autoptr(GPtrArray) exe_addrs = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (NULL, NULL);
  g_autoptr(GHashTable) exe_names = NULL;
  Dl_info self_info;
  void *exe_base;

  if (dladdr ((void *) bench_alloc_sites_print, &self_info) == 0)
    return;
  exe_base = self_info.dli_fbase;

  for (guint s = 0; s < MAX_STACKS; s++)
    {
      const Stack *stack = &stacks[s];
      Site site = { 0 };
      int k;
      gboolean merged = FALSE;

      if (stack->hash == 0)
        continue;

      /* frames[0] is in the function that called malloc() or a sibling. */
      for (k = 0; k < stack->depth; k++)
        if (in_executable (stack->frames[k], exe_base))
          break;

      site.on_main = stack->on_main;
      site.count = stack->count;
      site.example = stack;
      if (k < stack->depth)
        {
          Dl_info info;

          site.where = stack->frames[k];
          for (int up = k + 1; up < stack->depth && site.caller == NULL; up++)
            if (in_executable (stack->frames[up], exe_base))
              site.caller = stack->frames[up];

          /* Static functions have no name in a stripped library: keep
           * the address, which describe_shared() shows as lib+offset. */
          if (k >= 1)
            site.api = dladdr (stack->frames[k - 1], &info) != 0 && info.dli_sname != NULL
                       ? info.dli_saddr : stack->frames[k - 1];
        }
      else
        {
          for (guint j = 0; j < G_N_ELEMENTS (site.first) && j < stack->depth; j++)
            site.first[j] = stack->frames[j];
        }

      for (guint i = 0; i < sites->len; i++)
        {
          Site *other = &g_array_index (sites, Site, i);

          if (other->api == site.api && other->where == site.where &&
              other->caller == site.caller && other->on_main == site.on_main &&
              memcmp (other->first, site.first, sizeof site.first) == 0)
            {
              other->count += site.count;
              merged = TRUE;
              break;
            }
        }
      if (!merged)
        g_array_append_val (sites, site);
    }

  g_array_sort (sites, compare_sites);

  for (guint i = 0; i < MIN (sites->len, max_sites); i++)
    {
      const Site *site = &g_array_index (sites, Site, i);
      void *mine[] = { site->where, site->caller };

      for (guint j = 0; j < G_N_ELEMENTS (mine); j++)
        if (mine[j] != NULL && !g_hash_table_contains (seen, mine[j]))
          {
            g_hash_table_add (seen, mine[j]);
            g_ptr_array_add (exe_addrs, mine[j]);
          }
    }

  exe_names = symbolize_executable (exe_addrs, exe_base);

  for (guint i = 0; i < MIN (sites->len, max_sites); i++)
    {
      const Site *site = &g_array_index (sites, Site, i);
      const char *thread = site->on_main ? "main" : "worker";
      double per_sample = n_samples > 0 ? (double) site->count / n_samples : 0;

      if (site->where != NULL)
        {
          g_autofree char *api = site->api != NULL ? describe_shared (site->api) : g_strdup ("malloc");
          const char *where = g_hash_table_lookup (exe_names, site->where);
          const char *caller = site->caller != NULL ? g_hash_table_lookup (exe_names, site->caller) : NULL;

          g_autofree char *path = describe_path (site->example, exe_base);

          fprintf (out, "%s %.2f %s %s -> %s%s%s%s\n", prefix, per_sample, thread,
                   where != NULL ? where : "?", api, path,
                   caller != NULL ? " <- " : "", caller != NULL ? caller : "");
        }
      else
        {
          g_autofree char *path = describe_path (site->example, exe_base);

          /* GLib's own machinery, e.g. a GTask returning from a pool
           * thread after libhealth's function tail-called into it. */
          fprintf (out, "%s %.2f %s (no libhealth frame) ->%s\n", prefix, per_sample, thread, path);
        }
    }

  /* BENCH_SITES_RAW=1: every recorded stack, frame by frame, for when
   * the summary above is not enough. */
  if (g_strcmp0 (g_getenv ("BENCH_SITES_RAW"), "1") == 0)
    {
      for (guint s = 0; s < MAX_STACKS; s++)
        {
          const Stack *stack = &stacks[s];

          if (stack->hash == 0)
            continue;

          fprintf (out, "# stack %u %s:", stack->count, stack->on_main ? "main" : "worker");
          for (guint j = 0; j < stack->depth; j++)
            {
              g_autofree char *name = NULL;

              if (in_executable (stack->frames[j], exe_base))
                name = g_strdup_printf ("exe+%#lx", (unsigned long) ((char *) stack->frames[j] -
                                                                   (char *) exe_base - 1));
              else
                name = describe_shared (stack->frames[j]);
              fprintf (out, " %s", name);
            }
          fprintf (out, "\n");
        }
    }

  if (sites->len > max_sites)
    {
      guint rest = 0;

      for (guint i = max_sites; i < sites->len; i++)
        rest += g_array_index (sites, Site, i).count;
      fprintf (out, "%s %.2f all (%u more sites)\n", prefix,
               n_samples > 0 ? (double) rest / n_samples : 0, sites->len - max_sites);
    }

  if (n_unrecorded > 0)
    fprintf (out, "%s %.2f all (unrecorded: the stack table was full)\n", prefix,
             n_samples > 0 ? (double) n_unrecorded / n_samples : 0);
}
