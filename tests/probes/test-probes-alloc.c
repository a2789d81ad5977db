/* test-probes-alloc.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * "Nothing in a sample allocates after the first one": counts the calls
 * to malloc() and friends while every probe samples, by defining them in
 * this executable, which takes precedence over libc for GLib too. A
 * program of its own, as that would disturb the other tests; it skips
 * itself under sanitizers and valgrind, which own malloc().
 */

#include "config.h"

#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "health-builtin-probes-private.h"
#include "test-util.h"

#if defined(__SANITIZE_ADDRESS__)
# define HAVE_OWN_MALLOC 1
#elif defined(__has_feature)
# if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer)
#  define HAVE_OWN_MALLOC 1
# endif
#endif

#ifndef HAVE_OWN_MALLOC

extern void *__libc_malloc (size_t size);
extern void *__libc_calloc (size_t n, size_t size);
extern void *__libc_realloc (void *mem, size_t size);

void *malloc (size_t size);
void *calloc (size_t n, size_t size);
void *realloc (void *mem, size_t size);

static volatile gboolean counting;
static volatile guint n_allocations;

void *
malloc (size_t size)
{
  if (counting)
    n_allocations++;
  return __libc_malloc (size);
}

void *
calloc (size_t n,
        size_t size)
{
  if (counting)
    n_allocations++;
  return __libc_calloc (n, size);
}

void *
realloc (void   *mem,
         size_t  size)
{
  if (counting)
    n_allocations++;
  return __libc_realloc (mem, size);
}

#endif

static gboolean
can_count (void)
{
#ifdef HAVE_OWN_MALLOC
  g_test_skip ("A sanitizer owns malloc()");
  return FALSE;
#else
  const char *preload = g_getenv ("LD_PRELOAD");

  if (preload != NULL && strstr (preload, "vgpreload") != NULL)
    {
      g_test_skip ("Valgrind owns malloc()");
      return FALSE;
    }
  return TRUE;
#endif
}

/* Every probe, three samples; only the third is counted, as the first
 * ones size the buffers. */
static guint
count_allocations (const char *root,
                   const char *disk_path)
{
  const HealthProbeClass * const *classes;
  HealthProbeContext ctx;
  HealthSnapshot snapshot;
  HealthProbe **probes;
  guint n_classes;
  guint result = 0;

  ctx.proc_fd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (ctx.proc_fd, >=, 0);
  ctx.is_procfs = health_proc_root_is_procfs (ctx.proc_fd);
  ctx.proc_root = root;
  ctx.disk_path = disk_path;

  classes = health_probe_get_classes (&n_classes);
  probes = g_new (HealthProbe *, n_classes);
  for (guint i = 0; i < n_classes; i++)
    probes[i] = health_probe_new (classes[i], classes[i]->provides, &ctx);

  for (guint round = 0; round < 3; round++)
    {
#ifndef HAVE_OWN_MALLOC
      n_allocations = 0;
      counting = round == 2;
#endif
      health_snapshot_reset (&snapshot);
      for (guint i = 0; i < n_classes; i++)
        classes[i]->sample (probes[i], &ctx, &snapshot);
#ifndef HAVE_OWN_MALLOC
      counting = FALSE;
      result = n_allocations;
#endif
    }

  for (guint i = 0; i < n_classes; i++)
    health_probe_free (probes[i]);
  g_free (probes);
  close (ctx.proc_fd);

  return result;
}

static void
test_alloc_fixtures (void)
{
  static const char * const fixtures[] = {
    "proc-debian12", "proc-memory95", "proc-nopsi", "proc-garbage",
  };

  if (!can_count ())
    return;

  for (guint i = 0; i < G_N_ELEMENTS (fixtures); i++)
    {
      g_autofree char *root = test_fixture_root (fixtures[i]);

      g_test_message ("%s", fixtures[i]);
      g_assert_cmpuint (count_allocations (root, root), ==, 0);
    }
}

static void
test_alloc_live (void)
{
  if (!can_count ())
    return;

  if (!g_file_test ("/proc/self/stat", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("No /proc");
      return;
    }

  g_assert_cmpuint (count_allocations ("/proc", "/"), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/probes/alloc/fixtures", test_alloc_fixtures);
  g_test_add_func ("/probes/alloc/live", test_alloc_live);

  return g_test_run ();
}
