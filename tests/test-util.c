/* test-util.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <glib/gstdio.h>

#include "health.h"
#include "health-clock-private.h"
#include "test-util.h"

static HealthTime fake_now = {
  /* Far from zero, which the monitor reads as "never". */
  .monotonic_us = G_GINT64_CONSTANT (1000000000000),
  .real_us = G_GINT64_CONSTANT (1700000000000000),
};

static void
fake_clock (HealthTime *now,
            gpointer    user_data)
{
  *now = fake_now;
}

void
test_init (int    *argc,
           char ***argv)
{
  g_test_init (argc, argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  health_clock_set_func_for_testing (fake_clock, NULL);
}

void
test_clock_advance (double seconds)
{
  fake_now.monotonic_us += (gint64) (seconds * G_USEC_PER_SEC);
  fake_now.real_us += (gint64) (seconds * G_USEC_PER_SEC);
}

void
test_clock_step_wall (double seconds)
{
  fake_now.real_us += (gint64) (seconds * G_USEC_PER_SEC);
}

void
test_count (guint *counter)
{
  (*counter)++;
}

/* A proc-root with only a meminfo, in a fresh temporary directory. */
char *
test_make_proc_root (const char *meminfo)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("health-proc-XXXXXX", &error);
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_build_filename (dir, "meminfo", NULL);
  g_file_set_contents (path, meminfo, -1, &error);
  g_assert_no_error (error);

  return g_steal_pointer (&dir);
}

void
test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            test_remove_tree (child);
          else
            g_unlink (child);
        }
    }

  g_rmdir (path);
}

/* A sample function (HealthSampleFunc) that reads a double the test
 * moves by hand. */
double
test_read_double (gpointer metric,
                  gpointer value)
{
  return *(double *) value;
}
