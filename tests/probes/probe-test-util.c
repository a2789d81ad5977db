/* probe-test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include "config.h"

#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "probe-test-util.h"
#include "test-util.h"

void
context_open (Context    *context,
              const char *root)
{
  context->root = g_strdup (root);
  context->ctx.proc_fd = open (root, O_PATH | O_DIRECTORY | O_CLOEXEC);
  g_assert_cmpint (context->ctx.proc_fd, >=, 0);
  context->ctx.is_procfs = health_proc_root_is_procfs (context->ctx.proc_fd);
  context->ctx.proc_root = context->root;
  context->ctx.disk_path = NULL;
}

void
context_open_fixture (Context    *context,
                      const char *name)
{
  g_autofree char *root = test_fixture_root (name);

  context_open (context, root);
}

void
context_clear (Context *context)
{
  if (context->ctx.proc_fd >= 0)
    close (context->ctx.proc_fd);
  context->ctx.proc_fd = -1;
  g_clear_pointer (&context->root, g_free);
}

HealthProbe *
probe_new (const HealthProbeClass *klass,
           const Context          *context)
{
  return health_probe_new (klass, klass->provides, &context->ctx);
}

void
probe_sample (HealthProbe    *probe,
              const Context  *context,
              HealthSnapshot *snapshot)
{
  health_snapshot_reset (snapshot);
  probe->klass->sample (probe, &context->ctx, snapshot);
}

/* One probe, one sample on a fixture. */
void
sample_fixture (const HealthProbeClass *klass,
                const char             *fixture,
                HealthSnapshot         *snapshot)
{
  Context context;
  HealthProbe *probe;

  context_open_fixture (&context, fixture);
  probe = probe_new (klass, &context);
  probe_sample (probe, &context, snapshot);
  health_probe_free (probe);
  context_clear (&context);
}

void
assert_slots_nan_except (const HealthSnapshot *snapshot,
                         HealthBuiltin         known)
{
  for (guint i = 0; i < HEALTH_N_BUILTIN_IDS; i++)
    if ((known & HEALTH_BUILTIN_FLAG (i)) == 0 && !isnan (snapshot->values[i]))
      g_error ("slot %u is %g, expected NaN", i, snapshot->values[i]);
}

char *
make_tmp_root (void)
{
  g_autoptr (GError) error = NULL;
  char *root = g_dir_make_tmp ("health-probes-XXXXXX", &error);

  g_assert_no_error (error);

  return root;
}

/* Rewrites `path` in place, keeping its inode: a probe keeps its files
 * open, as the kernel's files never change identity. */
void
write_in_place (const char *root,
                const char *relative,
                const char *contents)
{
  g_autofree char *path = g_build_filename (root, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  FILE *file;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  file = fopen (path, "w");
  g_assert_nonnull (file);
  g_assert_cmpint (fputs (contents, file), >=, 0);
  g_assert_cmpint (fclose (file), ==, 0);
}

guint64
page_size (void)
{
  return sysconf (_SC_PAGESIZE);
}
