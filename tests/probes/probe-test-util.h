/* probe-test-util.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * Running one probe through its class, on a fixture or a proc-root a
 * test writes.
 */

#pragma once

#include "health-builtin-probes-private.h"
#include "health-worker-private.h"

G_BEGIN_DECLS

#define KiB G_GUINT64_CONSTANT (1024)
#define GiB (KiB * KiB * KiB)

typedef struct
{
  HealthProbeContext ctx;
  char              *root;
} Context;

void         context_open            (Context                *context,
                                      const char             *root);
void         context_open_fixture    (Context                *context,
                                      const char             *name);
void         context_clear           (Context                *context);
HealthProbe *probe_new               (const HealthProbeClass *klass,
                                      const Context          *context);
void         probe_sample            (HealthProbe            *probe,
                                      const Context          *context,
                                      HealthSnapshot         *snapshot);
void         sample_fixture          (const HealthProbeClass *klass,
                                      const char             *fixture,
                                      HealthSnapshot         *snapshot);
void         assert_slots_nan_except (const HealthSnapshot   *snapshot,
                                      HealthBuiltin           known);
char        *make_tmp_root           (void);
void         write_in_place          (const char             *root,
                                      const char             *relative,
                                      const char             *contents);
guint64      page_size               (void);

G_END_DECLS
