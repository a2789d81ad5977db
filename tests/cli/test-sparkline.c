/* test-sparkline.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The sparkline of `health-monitor watch`: scaling, gaps, fitting.
 */

#include "config.h"

#include <math.h>

#include "health-cli-private.h"

#define SECOND_US ((gint64) G_USEC_PER_SEC)

static void
fill_samples (HealthSample *samples,
              const double *values,
              guint         n_values,
              gint64        step_us)
{
  for (guint i = 0; i < n_values; i++)
    {
      samples[i].time_us = 1700000000 * SECOND_US + i * step_us;
      samples[i].value = values[i];
    }
}

static void
test_sparkline_empty (void)
{
  g_autofree char *line = health_cli_sparkline (NULL, 0, SECOND_US, NAN, NAN, 5, TRUE);
  g_autofree char *nothing = health_cli_sparkline (NULL, 0, SECOND_US, NAN, NAN, 0, TRUE);

  g_assert_cmpstr (line, ==, "     ");
  g_assert_cmpstr (nothing, ==, "");
}

static void
test_sparkline_ramp (void)
{
  const double values[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, NAN, NAN, 8, TRUE);

  g_assert_cmpstr (line, ==, "▁▂▃▄▅▆▇█");
}

static void
test_sparkline_scaled_to_shown (void)
{
  /* 1000 scrolls out of a three-column line: the rest spans the range. */
  const double values[] = { 1000, 10, 20, 30 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, NAN, NAN, 3, TRUE);

  g_assert_cmpstr (line, ==, "▁▅█");
}

static void
test_sparkline_flat (void)
{
  const double values[] = { 42.5, 42.5, 42.5 };
  const double big[] = { 8e9, 8e9 + 1e-3 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;
  g_autofree char *big_line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, NAN, NAN, 4, TRUE);
  g_assert_cmpstr (line, ==, " ▄▄▄");

  /* A byte count that wobbles in the last digit is still flat. */
  fill_samples (samples, big, G_N_ELEMENTS (big), SECOND_US);
  big_line = health_cli_sparkline (samples, G_N_ELEMENTS (big), SECOND_US, NAN, NAN, 2, TRUE);
  g_assert_cmpstr (big_line, ==, "▄▄");
}

/* Scaled like the GTK sparkline, to the thresholds as well as the
 * values: a steady disk that wobbles by a hundredth of a percent is a
 * flat line, not a wave. */
static void
test_sparkline_steady_with_thresholds (void)
{
  const double values[] = { 17.71, 17.70, 17.72, 17.71, 17.73, 17.71 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, 85, 95, 6, TRUE);

  g_assert_cmpstr (line, ==, "▁▁▁▁▁▁");
}

static void
test_sparkline_thresholds_in_range (void)
{
  /* From far below the warning threshold up to the critical one. */
  const double rising[] = { 10, 52.5, 95 };
  /* Available memory, lower is worse: plenty is high. */
  const double plenty[] = { 23e9, 23e9, 23e9 };
  HealthSample samples[3];
  g_autofree char *line = NULL;
  g_autofree char *below = NULL;

  fill_samples (samples, rising, G_N_ELEMENTS (rising), SECOND_US);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (rising), SECOND_US, 85, 95, 3, TRUE);
  g_assert_cmpstr (line, ==, "▁▅█");

  fill_samples (samples, plenty, G_N_ELEMENTS (plenty), SECOND_US);
  below = health_cli_sparkline (samples, G_N_ELEMENTS (plenty), SECOND_US,
                                2147483648.0, 536870912.0, 3, TRUE);
  g_assert_cmpstr (below, ==, "███");
}

static void
test_sparkline_unknown_is_gap (void)
{
  const double values[] = { 0, NAN, 7 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, NAN, NAN, 3, TRUE);

  g_assert_cmpstr (line, ==, "▁ █");
}

static void
test_sparkline_missed_interval_is_gap (void)
{
  const double values[] = { 0, 7, 7 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  /* The machine slept for two intervals before the last sample. */
  samples[2].time_us += 2 * SECOND_US;
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, NAN, NAN, 5, TRUE);

  g_assert_cmpstr (line, ==, "▁█  █");
}

static void
test_sparkline_clock_jumps_back (void)
{
  const double values[] = { 0, 7 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  samples[1].time_us -= 3600 * SECOND_US;
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, NAN, NAN, 3, TRUE);

  g_assert_cmpstr (line, ==, " ▁█");
}

static void
test_sparkline_close_samples_keep_columns (void)
{
  /* A sample taken right away and the first tick share an interval. */
  const double values[] = { 0, 7 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US / 100);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), SECOND_US, NAN, NAN, 2, TRUE);

  g_assert_cmpstr (line, ==, "▁█");
}

static void
test_sparkline_ascii (void)
{
  const double values[] = { 0, 1, 2, 3, 4, 5, 6, 7 };
  HealthSample samples[G_N_ELEMENTS (values)];
  g_autofree char *line = NULL;

  fill_samples (samples, values, G_N_ELEMENTS (values), SECOND_US);
  line = health_cli_sparkline (samples, G_N_ELEMENTS (samples), 0, NAN, NAN, 8, FALSE);

  g_assert_cmpstr (line, ==, "_.-:=+*#");
}

static void
test_format_number (void)
{
  const struct {
    double      value;
    const char *text;
  } cases[] = {
    { 95.0, "95" },
    { 23.4, "23.4" },
    { 0.5234, "0.523" },
    { 17179869184.0, "17179869184" },
    { -0.0001, "0" },
    { NAN, "nan" },
    { INFINITY, "inf" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = health_cli_format_number (cases[i].value);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
}

static void
test_text_fitting (void)
{
  g_autoptr (GString) out = g_string_new (NULL);

  health_cli_append_fitted (out, "Memory", 8, FALSE);
  g_assert_cmpstr (out->str, ==, "Memory  ");

  g_string_truncate (out, 0);
  health_cli_append_fitted (out, "95 %", 6, TRUE);
  g_assert_cmpstr (out->str, ==, "  95 %");

  g_string_truncate (out, 0);
  health_cli_append_fitted (out, "Main Loop Latency", 6, FALSE);
  g_assert_cmpuint (health_cli_text_width (out->str), ==, 6);

  /* Wide characters take two columns. */
  g_assert_cmpuint (health_cli_text_width ("内存"), ==, 4);

  g_string_truncate (out, 0);
  health_cli_append_colored (out, "Good", "32", 6, TRUE);
  g_assert_cmpstr (out->str, ==, "\033[32mGood\033[0m  ");
}

static void
test_truncate_line (void)
{
  g_autoptr (GString) line = g_string_new (NULL);

  g_string_assign (line, "Health Monitor  Overall: Good");
  health_cli_truncate_line (line, 14);
  g_assert_cmpstr (line->str, ==, "Health Monitor");

  /* Escapes take no columns and the cut line resets the colour. */
  g_string_assign (line, "\033[1mBold\033[0m \033[32mGood\033[0m");
  health_cli_truncate_line (line, 7);
  g_assert_cmpstr (line->str, ==, "\033[1mBold\033[0m \033[32mGo\033[0m");

  g_string_assign (line, "▁▂▃▄");
  health_cli_truncate_line (line, 2);
  g_assert_cmpstr (line->str, ==, "▁▂");

  /* A wide character that does not fit whole is left out. */
  g_string_assign (line, "a内存");
  health_cli_truncate_line (line, 4);
  g_assert_cmpstr (line->str, ==, "a内");

  g_string_assign (line, "short");
  health_cli_truncate_line (line, 80);
  g_assert_cmpstr (line->str, ==, "short");
}

int
main (int    argc,
      char **argv)
{
  /* The expected lines are UTF-8; the ellipsis depends on the charset. */
  g_setenv ("CHARSET", "UTF-8", TRUE);

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/sparkline/empty", test_sparkline_empty);
  g_test_add_func ("/cli/sparkline/ramp", test_sparkline_ramp);
  g_test_add_func ("/cli/sparkline/scaled-to-shown", test_sparkline_scaled_to_shown);
  g_test_add_func ("/cli/sparkline/flat", test_sparkline_flat);
  g_test_add_func ("/cli/sparkline/thresholds/steady", test_sparkline_steady_with_thresholds);
  g_test_add_func ("/cli/sparkline/thresholds/in-range", test_sparkline_thresholds_in_range);
  g_test_add_func ("/cli/sparkline/gap/unknown", test_sparkline_unknown_is_gap);
  g_test_add_func ("/cli/sparkline/gap/missed-interval", test_sparkline_missed_interval_is_gap);
  g_test_add_func ("/cli/sparkline/clock-jumps-back", test_sparkline_clock_jumps_back);
  g_test_add_func ("/cli/sparkline/close-samples", test_sparkline_close_samples_keep_columns);
  g_test_add_func ("/cli/sparkline/ascii", test_sparkline_ascii);
  g_test_add_func ("/cli/format/number", test_format_number);
  g_test_add_func ("/cli/format/fitting", test_text_fitting);
  g_test_add_func ("/cli/format/truncate", test_truncate_line);

  return g_test_run ();
}
