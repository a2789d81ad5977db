/* health-backend-private.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Where a monitor's figures come from: the local sampler (probes on a
 * worker thread, judged here) or the D-Bus mirror (figures judged by a
 * monitor elsewhere). The monitor starts, stops and asks its backend for
 * a sample; the backend delivers through the monitor's one way in (see
 * health-monitor-private.h), never through a mode of the monitor's own.
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _HealthBackend HealthBackend;

typedef struct
{
  /* Follow the figures: ticks for the sampler, the remote's signals for
   * the mirror. */
  void (*start)  (HealthBackend *self);
  /* Stop following; whatever is out comes back to be dropped, and the
   * samples asked for fail with G_IO_ERROR_CANCELLED. */
  void (*stop)   (HealthBackend *self);
  /* One sample now: @task (transfer full) returns TRUE once it is
   * delivered and told. */
  void (*sample) (HealthBackend *self,
                  GTask         *task);
  void (*free)   (HealthBackend *self);
} HealthBackendClass;

struct _HealthBackend
{
  const HealthBackendClass *klass;
};

static inline void
health_backend_start (HealthBackend *self)
{
  self->klass->start (self);
}

static inline void
health_backend_stop (HealthBackend *self)
{
  self->klass->stop (self);
}

static inline void
health_backend_sample (HealthBackend *self,
                       GTask         *task)
{
  self->klass->sample (self, task);
}

static inline void
health_backend_free (HealthBackend *self)
{
  self->klass->free (self);
}

G_END_DECLS
