/* health-psi-trigger.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Event-driven memory alerts: a PSI trigger (Linux 5.2) makes the kernel
 * wake us as soon as tasks stall on memory for long enough, instead of at
 * the next sample, which may be 30 s away. See the kernel's
 * Documentation/accounting/psi.rst.
 */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "health-builtin-probes-private.h"
#include "health-text-private.h"

/* From <linux/magic.h>, which not every libc setup ships. */
/* The kernel's bounds for a trigger window. */
#define WINDOW_MIN_US 500000
#define WINDOW_MAX_US 10000000

int
health_psi_trigger_open (const HealthProbeContext *ctx,
                         guint                     stall_us,
                         guint                     window_us,
                         GError                  **error)
{
  char trigger[64];
  struct statfs fs;
  gssize written;
  int len;
  int fd;

  g_return_val_if_fail (ctx != NULL, -1);
  g_return_val_if_fail (window_us >= WINDOW_MIN_US && window_us <= WINDOW_MAX_US, -1);
  g_return_val_if_fail (stall_us > 0 && stall_us <= window_us, -1);
  g_return_val_if_fail (error == NULL || *error == NULL, -1);

  if (ctx->proc_fd < 0)
    {
      g_set_error_literal (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED,
                           "No proc-root to find PSI in");
      return -1;
    }

  do
    fd = openat (ctx->proc_fd, "pressure/memory", O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  while (fd < 0 && errno == EINTR);

  if (fd < 0)
    {
      int saved_errno = errno;
      g_autofree char *root = health_text_sanitize (ctx->proc_root != NULL ? ctx->proc_root
                                                                           : "proc-root", -1);

      /* The message is logged; proc-root may be named anything. */
      g_set_error (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED,
                   "Cannot open %s/pressure/memory for a PSI trigger: %s",
                   root, g_strerror (saved_errno));
      return -1;
    }

  /* A fixture's pressure/memory is a plain file: writing the trigger
   * there would change the fixture, and polling it would never wake. */
  if (fstatfs (fd, &fs) < 0 || fs.f_type != HEALTH_PROC_SUPER_MAGIC)
    {
      close (fd);
      g_set_error_literal (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED,
                           "pressure/memory is not the kernel's PSI file");
      return -1;
    }

  /* The kernel replaces the last byte written with a NUL before parsing,
   * so the terminator is written too, or the window loses a digit. */
  len = g_snprintf (trigger, sizeof trigger, "some %u %u", stall_us, window_us);

  do
    written = write (fd, trigger, len + 1);
  while (written < 0 && errno == EINTR);

  if (written != len + 1)
    {
      int saved_errno = written < 0 ? errno : EIO;

      close (fd);
      /* Since Linux 6.5 anyone may set a trigger whose window is a
       * multiple of 2 s; before, or for other windows, it takes
       * CAP_SYS_RESOURCE. */
      g_set_error (error, HEALTH_ERROR, HEALTH_ERROR_NOT_SUPPORTED,
                   "The kernel refused a PSI trigger of %u us in %u us: %s%s",
                   stall_us, window_us, g_strerror (saved_errno),
                   window_us % 2000000 != 0
                     ? " (unprivileged triggers need a window that is a multiple of 2 s)"
                     : "");
      return -1;
    }

  return fd;
}
