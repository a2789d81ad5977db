/* health-cli-sparkline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A metric's history as one line of block characters, for `watch`.
 */

#include "config.h"

#include <math.h>

#include "health-cli-private.h"

#define N_LEVELS 8

static const char * const utf8_levels[N_LEVELS] = {
  "▁", "▂", "▃", "▄", "▅", "▆", "▇", "█",
};

/* For terminals whose locale cannot show the blocks. */
static const char ascii_levels[N_LEVELS] = {
  '_', '.', '-', ':', '=', '+', '*', '#',
};

/* How many columns the step from one sample to the next takes: one per
 * interval, so a sample the monitor could not take (the machine slept, a
 * tick was skipped) leaves a visible gap. The history is in wall-clock
 * time, which can jump back; such a step, or two samples closer than an
 * interval, still takes one column so that no sample hides another.
 */
static gint64
sample_step (const HealthSample *older,
             const HealthSample *newer,
             gint64              slot_us)
{
  gint64 delta = newer->time_us - older->time_us;
  gint64 steps;

  if (slot_us <= 0 || delta <= slot_us)
    return 1;

  steps = (delta + slot_us / 2) / slot_us;

  return MAX (steps, 1);
}

/**
 * health_cli_sparkline:
 * @samples: (array length=n_samples): history, oldest first
 * @n_samples: number of samples
 * @slot_us: the sampling interval, or 0 to give every sample one column
 * @warning: the metric's warning threshold, or NaN
 * @critical: the metric's critical threshold, or NaN
 * @width: columns to fill
 * @utf8: whether block characters can be shown
 *
 * Draws the newest samples that fit in @width columns, the newest in the
 * last column. As the GTK sparkline, the height spans the values shown
 * and both thresholds, so a steady value that wobbles in its last digit
 * is a flat line and a line near the top means near a threshold. Without
 * thresholds it spans the values alone, and a value that does not change
 * is a flat line halfway up. Columns without a sample, or whose value is
 * unknown (NaN), are spaces.
 *
 * Returns: (transfer full): exactly @width columns of text
 */
char *
health_cli_sparkline (const HealthSample *samples,
                      guint               n_samples,
                      gint64              slot_us,
                      double              warning,
                      double              critical,
                      guint               width,
                      gboolean            utf8)
{
  g_autofree double *cells = NULL;
  g_autoptr (GString) out = NULL;
  double min = INFINITY;
  double max = -INFINITY;
  gint64 column;

  g_return_val_if_fail (samples != NULL || n_samples == 0, NULL);

  out = g_string_sized_new (width * 3 + 1);

  if (width == 0)
    return g_string_free (g_steal_pointer (&out), FALSE);

  cells = g_new (double, width);
  for (guint i = 0; i < width; i++)
    cells[i] = NAN;

  /* Walk back from the newest sample until the line is full. */
  column = (gint64) width - 1;
  for (guint i = n_samples; i > 0 && column >= 0; i--)
    {
      const HealthSample *sample = &samples[i - 1];

      cells[column] = sample->value;

      if (isfinite (sample->value))
        {
          min = MIN (min, sample->value);
          max = MAX (max, sample->value);
        }

      if (i > 1)
        column -= sample_step (&samples[i - 2], sample, slot_us);
    }

  if (isfinite (warning) && isfinite (critical))
    {
      min = MIN (min, MIN (warning, critical));
      max = MAX (max, MAX (warning, critical));
    }

  for (guint i = 0; i < width; i++)
    {
      double value = cells[i];
      int level;

      if (!isfinite (value))
        {
          g_string_append_c (out, ' ');
          continue;
        }

      /* Relative, so that a constant byte count and a constant
       * percentage are both recognised as flat. */
      if (max - min <= 1e-9 * MAX (fabs (max), 1.0))
        level = N_LEVELS / 2 - 1;
      else
        level = (int) lround ((value - min) / (max - min) * (N_LEVELS - 1));

      level = CLAMP (level, 0, N_LEVELS - 1);

      if (utf8)
        g_string_append (out, utf8_levels[level]);
      else
        g_string_append_c (out, ascii_levels[level]);
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}
