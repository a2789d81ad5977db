/* fuzz-common.h
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * What every libFuzzer target here shares: the parsers' header and checks
 * that a figure a parser accepted is one a metric can hold.
 */

#pragma once

#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "health-builtin-probes-private.h"

int LLVMFuzzerTestOneInput (const uint8_t *data,
                            size_t         size);

/* abort(), not g_error(): libFuzzer saves the input on SIGABRT, while
 * g_error() may stop on a SIGTRAP that it does not catch. */
#define fuzz_fail(...)                                                      \
  G_STMT_START {                                                            \
    g_printerr (__VA_ARGS__);                                               \
    g_printerr ("\n");                                                      \
    abort ();                                                               \
  } G_STMT_END

/* A parser that returned FALSE leaves every slot NaN; one that returned
 * TRUE writes only finite figures within [min, max] or leaves NaN. */
#define FUZZ_CHECK_SLOT(snapshot, ok, id, min, max)                          \
  G_STMT_START {                                                            \
    double v_ = (snapshot)->values[(id)];                                   \
    if (!(ok) && !isnan (v_))                                               \
      fuzz_fail ("slot %d is %g after a refused input", (int) (id), v_);      \
    if (!isnan (v_) && (!isfinite (v_) || v_ < (min) || v_ > (max)))        \
      fuzz_fail ("slot %d is %g, outside [%g, %g]", (int) (id), v_,           \
               (double) (min), (double) (max));                             \
  } G_STMT_END
