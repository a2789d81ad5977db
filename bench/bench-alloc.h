/* bench-alloc.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Counts heap allocations by defining malloc() and friends in the bench
 * executable, which the dynamic linker then prefers for every library
 * (GLib included), and forwarding them to glibc's own allocator.
 */

#pragma once

#include <stdio.h>

#include <glib.h>

G_BEGIN_DECLS

/* FALSE when something else owns malloc() (a sanitizer, valgrind): the
 * counts are then meaningless and reported as NaN. */
gboolean bench_alloc_can_count    (void);

/* Call first in main(), on the main thread, before any other thread. */
void     bench_alloc_init         (void);

/* malloc, calloc, realloc and the aligned variants. */
guint64  bench_alloc_total        (void);   /* every thread */
guint64  bench_alloc_this_thread  (void);   /* the calling thread */
guint64  bench_free_total         (void);   /* every thread */

/* Records the stack of every allocation between start and stop, then
 * prints the `max_sites` busiest sites, one line each, as
 * "<prefix> PER_SAMPLE THREAD WHERE <- CALLER -> API", counts divided by
 * `n_samples`. Slow (a backtrace per allocation): never while timing. */
void     bench_alloc_sites_start  (void);
void     bench_alloc_sites_stop   (void);
void     bench_alloc_sites_print  (FILE       *out,
                                   const char *prefix,
                                   guint       n_samples,
                                   guint       max_sites);

G_END_DECLS
