/* test-metric.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include "health.h"
#include "health-clock-private.h"
#include "health-metric-private.h"
#include "test-util.h"

/* Thresholds */

typedef struct
{
  HealthDirection direction;
  double          warning;
  double          critical;
  gboolean        valid;
} ThresholdCase;

static const ThresholdCase threshold_cases[] = {
  { HEALTH_DIRECTION_ABOVE, 75, 90, TRUE },
  { HEALTH_DIRECTION_ABOVE, 90, 90, TRUE },
  { HEALTH_DIRECTION_ABOVE, 90, 75, FALSE },
  { HEALTH_DIRECTION_BELOW, 2048, 512, TRUE },
  { HEALTH_DIRECTION_BELOW, 512, 2048, FALSE },
  { HEALTH_DIRECTION_ABOVE, NAN, 90, FALSE },
  { HEALTH_DIRECTION_ABOVE, 75, NAN, FALSE },
  { HEALTH_DIRECTION_ABOVE, 75, INFINITY, FALSE },
  { HEALTH_DIRECTION_BELOW, -INFINITY, -10, FALSE },
  { HEALTH_DIRECTION_BELOW, -5, -10, TRUE },
};

static void
test_thresholds_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (threshold_cases); i++)
    {
      const ThresholdCase *c = &threshold_cases[i];
      g_autoptr(HealthMetric) metric = NULL;
      g_autoptr(GError) error = NULL;
      double start_warning = c->direction == HEALTH_DIRECTION_ABOVE ? 1 : 20;
      double start_critical = c->direction == HEALTH_DIRECTION_ABOVE ? 2 : 10;
      gboolean ok;

      metric = health_metric_new ("m", "M", "", c->direction, start_warning, start_critical);
      ok = health_metric_set_thresholds (metric, c->warning, c->critical, &error);

      g_test_message ("case %u: %g / %g", i, c->warning, c->critical);
      g_assert_cmpint (ok, ==, c->valid);
      if (c->valid)
        {
          g_assert_no_error (error);
          g_assert_cmpfloat (health_metric_get_warning (metric), ==, c->warning);
          g_assert_cmpfloat (health_metric_get_critical (metric), ==, c->critical);
        }
      else
        {
          g_assert_error (error, HEALTH_ERROR, HEALTH_ERROR_INVALID_THRESHOLDS);
          /* Nothing changed. */
          g_assert_cmpfloat (health_metric_get_warning (metric), ==, start_warning);
          g_assert_cmpfloat (health_metric_get_critical (metric), ==, start_critical);
        }
    }
}

static void
test_thresholds_rejudge (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);

  health_metric_update (metric, 80);
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_WARNING);

  g_assert_true (health_metric_set_thresholds (metric, 85, 95, NULL));
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_GOOD);

  g_assert_true (health_metric_set_thresholds (metric, 50, 70, NULL));
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_CRITICAL);
}

/* Back to what the metric was made with, judged again; a metric made
 * without thresholds has no defaults and keeps what it has. */
static void
test_thresholds_reset (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthMetric) bare = g_object_new (HEALTH_TYPE_METRIC, "id", "bare", NULL);

  health_metric_update (metric, 80);
  g_assert_true (health_metric_set_thresholds (metric, 85, 95, NULL));
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_GOOD);

  health_metric_reset_thresholds (metric);
  g_assert_cmpfloat (health_metric_get_warning (metric), ==, 75);
  g_assert_cmpfloat (health_metric_get_critical (metric), ==, 90);
  g_assert_cmpint (health_metric_get_status (metric), ==, HEALTH_STATUS_WARNING);

  g_assert_true (health_metric_set_thresholds (bare, 1, 2, NULL));
  health_metric_reset_thresholds (bare);
  g_assert_cmpfloat (health_metric_get_warning (bare), ==, 1);
  g_assert_cmpfloat (health_metric_get_critical (bare), ==, 2);
}

static void
test_thresholds_properties (void)
{
  g_autoptr(HealthMetric) metric = NULL;
  g_autoptr(HealthMetric) plain = NULL;

  metric = g_object_new (HEALTH_TYPE_METRIC,
                         "id", "gc-rate",
                         "direction", HEALTH_DIRECTION_ABOVE,
                         "warning", 100.0,
                         "critical", 300.0,
                         NULL);
  g_assert_cmpfloat (health_metric_get_warning (metric), ==, 100);
  g_assert_cmpfloat (health_metric_get_critical (metric), ==, 300);
  /* The label falls back to the id. */
  g_assert_cmpstr (health_metric_get_label (metric), ==, "gc-rate");

  /* A contradicting property is refused with a warning, nothing changes. */
  g_test_expect_message ("Health", G_LOG_LEVEL_WARNING, "*must not be above*");
  g_object_set (metric, "warning", 400.0, NULL);
  g_test_assert_expected_messages ();
  g_assert_cmpfloat (health_metric_get_warning (metric), ==, 100);

  /* Without thresholds, a metric is never judged beyond GOOD. */
  plain = g_object_new (HEALTH_TYPE_METRIC, "id", "plain", NULL);
  g_assert_true (isnan (health_metric_get_warning (plain)));
  health_metric_update (plain, 1e9);
  g_assert_cmpint (health_metric_get_status (plain), ==, HEALTH_STATUS_GOOD);
}

static void
test_id_validation (void)
{
  const char *valid[] = { "memory-usage", "a", "gc-rate-2", "x9" };
  const char *invalid[] = { "", "Memory", "memory_usage", "-a", "a-", "a b", "é", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    g_assert_true (health_metric_id_is_valid (valid[i]));
  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    g_assert_false (health_metric_id_is_valid (invalid[i]));

  g_test_expect_message ("Health", G_LOG_LEVEL_CRITICAL, "*health_metric_id_is_valid*");
  g_assert_null (health_metric_new ("Bad Id", "x", "", HEALTH_DIRECTION_ABOVE, 1, 2));
  g_test_assert_expected_messages ();
}

/* A bad id is logged as text safe to show. */
static void
test_id_invalid_logged_clean (void)
{
  HealthMetric *metric;

  g_test_expect_message ("Health", G_LOG_LEVEL_CRITICAL,
                         "HealthMetric: \"\xef\xbf\xbd[2J\" is not a valid metric id*");
  metric = g_object_new (HEALTH_TYPE_METRIC, "id", "\033[2J", NULL);
  g_test_assert_expected_messages ();
  g_object_unref (metric);
}

/* Judging */

typedef struct
{
  HealthDirection direction;
  double          warning;
  double          critical;
  double          value;
  HealthStatus    expected;
} StatusCase;

static const StatusCase status_cases[] = {
  { HEALTH_DIRECTION_ABOVE, 75, 90, 10, HEALTH_STATUS_GOOD },
  { HEALTH_DIRECTION_ABOVE, 75, 90, 75, HEALTH_STATUS_WARNING },
  { HEALTH_DIRECTION_ABOVE, 75, 90, 89.9, HEALTH_STATUS_WARNING },
  { HEALTH_DIRECTION_ABOVE, 75, 90, 90, HEALTH_STATUS_CRITICAL },
  { HEALTH_DIRECTION_ABOVE, 75, 90, 95, HEALTH_STATUS_CRITICAL },
  { HEALTH_DIRECTION_ABOVE, 75, 90, NAN, HEALTH_STATUS_UNKNOWN },
  { HEALTH_DIRECTION_ABOVE, 75, 90, INFINITY, HEALTH_STATUS_UNKNOWN },
  /* The seed's memory_available_gb bug: plenty of free memory is good. */
  { HEALTH_DIRECTION_BELOW, 2.0, 0.5, 20.0, HEALTH_STATUS_GOOD },
  { HEALTH_DIRECTION_BELOW, 2.0, 0.5, 2.0, HEALTH_STATUS_WARNING },
  { HEALTH_DIRECTION_BELOW, 2.0, 0.5, 0.4, HEALTH_STATUS_CRITICAL },
};

static void
test_status_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_cases); i++)
    {
      const StatusCase *c = &status_cases[i];
      g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "", c->direction, c->warning, c->critical);

      health_metric_update (metric, c->value);
      g_test_message ("case %u: %g", i, c->value);
      g_assert_cmpint (health_metric_get_status (metric), ==, c->expected);
      if (c->expected == HEALTH_STATUS_UNKNOWN)
        g_assert_true (isnan (health_metric_get_value (metric)));
      else
        g_assert_cmpfloat (health_metric_get_value (metric), ==, c->value);
    }
}

static void
feed (HealthMetric  *metric,
      const double  *values,
      HealthStatus  *expected,
      guint          n)
{
  for (guint i = 0; i < n; i++)
    {
      health_metric_update (metric, values[i]);
      g_test_message ("sample %u: %g", i, values[i]);
      g_assert_cmpint (health_metric_get_status (metric), ==, expected[i]);
    }
}

static void
test_status_hysteresis (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  const double values[] = { 76, 74, 72.9, 91, 89, 87.9, 74 };
  HealthStatus expected[] = {
    HEALTH_STATUS_WARNING,
    HEALTH_STATUS_WARNING,   /* 74 is within the 2-point margin */
    HEALTH_STATUS_GOOD,
    HEALTH_STATUS_CRITICAL,
    HEALTH_STATUS_CRITICAL,  /* 89 is within the margin of 90 */
    HEALTH_STATUS_WARNING,
    HEALTH_STATUS_WARNING,   /* 74: still within the margin of 75 */
  };

  health_metric_set_hysteresis (metric, 2);
  feed (metric, values, expected, G_N_ELEMENTS (values));
}

static void
test_status_hysteresis_below (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "GiB", HEALTH_DIRECTION_BELOW, 2.0, 0.5);
  const double values[] = { 1.9, 2.05, 2.2, 0.4, 0.55, 0.7 };
  HealthStatus expected[] = {
    HEALTH_STATUS_WARNING,
    HEALTH_STATUS_WARNING,
    HEALTH_STATUS_GOOD,
    HEALTH_STATUS_CRITICAL,
    HEALTH_STATUS_CRITICAL,
    HEALTH_STATUS_WARNING,
  };

  health_metric_set_hysteresis (metric, 0.1);
  feed (metric, values, expected, G_N_ELEMENTS (values));
}

static void
test_status_sustain (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  const double values[] = { 50, 95, 95, 95, 50, 80, 95, 80, 80, 80 };
  HealthStatus expected[] = {
    HEALTH_STATUS_GOOD,
    HEALTH_STATUS_GOOD,      /* pending */
    HEALTH_STATUS_GOOD,
    HEALTH_STATUS_CRITICAL,  /* third sample in a row */
    HEALTH_STATUS_GOOD,      /* improving is immediate */
    HEALTH_STATUS_GOOD,
    HEALTH_STATUS_GOOD,      /* 80 then 95: two samples beyond warning */
    HEALTH_STATUS_WARNING,   /* third beyond warning */
    HEALTH_STATUS_WARNING,
    HEALTH_STATUS_WARNING,
  };

  health_metric_set_sustain (metric, 3);
  feed (metric, values, expected, G_N_ELEMENTS (values));
}

static void
test_status_nan_resets (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  const double values[] = { 95, 95, NAN, 95, 95 };
  HealthStatus expected[] = {
    HEALTH_STATUS_GOOD,
    HEALTH_STATUS_CRITICAL,
    HEALTH_STATUS_UNKNOWN,
    HEALTH_STATUS_GOOD,
    HEALTH_STATUS_CRITICAL,
  };

  health_metric_set_sustain (metric, 2);
  feed (metric, values, expected, G_N_ELEMENTS (values));
  /* NaN is not recorded in the history. */
  g_assert_cmpuint (health_metric_get_n_samples (metric), ==, 4);
}

/* History */

static void
test_history_ring (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autofree HealthSample *samples = NULL;
  guint n = 0;

  health_metric_set_history_size (metric, 5);
  samples = health_metric_dup_history (metric, &n);
  g_assert_null (samples);
  g_assert_cmpuint (n, ==, 0);

  for (guint i = 0; i < 12; i++)
    {
      test_clock_advance (1.0);
      health_metric_update (metric, i);
    }

  samples = health_metric_dup_history (metric, &n);
  g_assert_cmpuint (n, ==, 5);
  for (guint i = 0; i < n; i++)
    {
      g_assert_cmpfloat (samples[i].value, ==, 7 + i);
      if (i > 0)
        g_assert_cmpint (samples[i].time_us - samples[i - 1].time_us, ==, G_USEC_PER_SEC);
    }
  g_clear_pointer (&samples, g_free);

  /* Shrinking keeps the newest; growing keeps all. */
  health_metric_set_history_size (metric, 3);
  samples = health_metric_dup_history (metric, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (samples[0].value, ==, 9);
  g_assert_cmpfloat (samples[2].value, ==, 11);
  g_clear_pointer (&samples, g_free);

  health_metric_set_history_size (metric, 10);
  health_metric_update (metric, 12);
  samples = health_metric_dup_history (metric, &n);
  g_assert_cmpuint (n, ==, 4);
  g_assert_cmpfloat (samples[0].value, ==, 9);
  g_assert_cmpfloat (samples[3].value, ==, 12);
}

static void
test_history_clock_steps_back (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autofree HealthSample *samples = NULL;
  guint n;

  for (guint i = 0; i < 10; i++)
    {
      test_clock_advance (10.0);
      if (i == 5)
        test_clock_step_wall (-3600.0);
      health_metric_update (metric, 50);
    }

  samples = health_metric_dup_history (metric, &n);
  g_assert_cmpuint (n, ==, 10);
  for (guint i = 1; i < n; i++)
    g_assert_cmpint (samples[i].time_us, >=, samples[i - 1].time_us);

  /* Trends run on monotonic time: a constant value stays stable. */
  g_assert_cmpint (health_metric_get_trend (metric, 300), ==, HEALTH_TREND_STABLE);
}

/* Trend and forecast */

static void
test_trend_relative_to_thresholds (void)
{
  g_autoptr(HealthMetric) percent = health_metric_new ("p", "P", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthMetric) bytes = health_metric_new ("b", "B", "bytes", HEALTH_DIRECTION_BELOW,
                                                     2.0 * 1024 * 1024 * 1024, 512.0 * 1024 * 1024);

  g_assert_cmpint (health_metric_get_trend (percent, 300), ==, HEALTH_TREND_INSUFFICIENT_DATA);

  /* +0.02 points per 30 s: 0.2 over five minutes, small against the
   * 15-point gap between the thresholds. The seed's raw 0.01 per sample
   * would call this increasing. */
  for (guint i = 0; i < 10; i++)
    {
      test_clock_advance (30);
      health_metric_update (percent, 50 + 0.02 * i);
      health_metric_update (bytes, 8e9 - 1e6 * i);
    }
  g_assert_cmpint (health_metric_get_trend (percent, 300), ==, HEALTH_TREND_STABLE);
  /* 1 MB per 30 s is nothing against a 1.5 GiB gap. */
  g_assert_cmpint (health_metric_get_trend (bytes, 300), ==, HEALTH_TREND_STABLE);

  for (guint i = 0; i < 10; i++)
    {
      test_clock_advance (30);
      health_metric_update (percent, 50 + 1.0 * i);
      health_metric_update (bytes, 8e9 - 1e8 * i);
    }
  g_assert_cmpint (health_metric_get_trend (percent, 300), ==, HEALTH_TREND_INCREASING);
  g_assert_cmpint (health_metric_get_trend (bytes, 300), ==, HEALTH_TREND_DECREASING);

  /* Outside the window: nothing left. */
  test_clock_advance (3600);
  g_assert_cmpint (health_metric_get_trend (percent, 300), ==, HEALTH_TREND_INSUFFICIENT_DATA);
}

/* What `health-monitor status` did: two samples a quarter second apart
 * gave "increasing, critical in about 14 minutes". A trend needs five
 * samples spanning trend-min-span. */
static void
test_trend_needs_data (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);

  g_assert_cmpfloat (health_metric_get_trend_min_span (metric), ==, 30);

  health_metric_update (metric, 3.5);
  test_clock_advance (0.25);
  health_metric_update (metric, 3.6);
  g_assert_cmpint (health_metric_get_trend (metric, 300), ==, HEALTH_TREND_INSUFFICIENT_DATA);
  g_assert_cmpfloat (health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL), ==, -1);

  /* Many samples, but within a few seconds: still nothing. */
  for (guint i = 0; i < 20; i++)
    {
      test_clock_advance (1);
      health_metric_update (metric, 4 + i);
    }
  g_assert_cmpint (health_metric_get_trend (metric, 300), ==, HEALTH_TREND_INSUFFICIENT_DATA);
  g_assert_cmpfloat (health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL), ==, -1);

  /* Spanning 30 s, with five samples or more: a trend and a forecast. */
  for (guint i = 0; i < 10; i++)
    {
      test_clock_advance (1);
      health_metric_update (metric, 24 + i);
    }
  g_assert_cmpint (health_metric_get_trend (metric, 300), ==, HEALTH_TREND_INCREASING);
  g_assert_cmpfloat (health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL), >, 0);

  /* Long enough, but four samples: not enough. */
  {
    g_autoptr(HealthMetric) sparse = health_metric_new ("s", "S", "%", HEALTH_DIRECTION_ABOVE, 75, 90);

    for (guint i = 0; i < 4; i++)
      {
        health_metric_update (sparse, 10 + 10 * i);
        test_clock_advance (60);
      }
    g_assert_cmpint (health_metric_get_trend (sparse, 600), ==, HEALTH_TREND_INSUFFICIENT_DATA);
    health_metric_update (sparse, 50);
    g_assert_cmpint (health_metric_get_trend (sparse, 600), ==, HEALTH_TREND_INCREASING);
  }
}

/* The slope of the samples of the last @window seconds, fitted here from
 * the history as a reader would, through the first of them. */
static double
fit_history (HealthMetric *metric,
             double        window)
{
  g_autofree HealthSample *samples = NULL;
  double sx = 0, sy = 0, sxx = 0, sxy = 0;
  guint n_samples, n = 0;
  gint64 first = 0, cutoff;

  samples = health_metric_dup_history (metric, &n_samples);
  g_assert_nonnull (samples);
  cutoff = samples[n_samples - 1].time_us - (gint64) (window * G_USEC_PER_SEC);
  for (guint i = 0; i < n_samples; i++)
    {
      double x;

      if (samples[i].time_us < cutoff)
        continue;
      if (n == 0)
        first = samples[i].time_us;
      x = (samples[i].time_us - first) / (double) G_USEC_PER_SEC;
      sx += x;
      sy += samples[i].value;
      sxx += x * x;
      sxy += x * samples[i].value;
      n++;
    }

  return (n * sxy - sx * sy) / (n * sxx - sx * sx);
}

/* The trend window's fit is kept up to date sample by sample; through
 * every way samples come and go (the window sliding, the ring wrapping,
 * unknown values, a resize, hours of samples) it stays the fit of the
 * samples in the window, which the forecast shows. */
static void
test_trend_running_fit (void)
{
  /* Thresholds far away, but 100 apart: a rise of 10 over the window is
   * a trend. */
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 1e9, 1e9 + 100);
  guint32 seed = 12345;
  guint n_checked = 0;

  health_metric_set_history_size (metric, 120);
  for (guint i = 0; i < 6000; i++)
    {
      double value;

      /* A rising line with noise, a random step of 1 to 8 s, and now
       * and then an unknown value or a smaller or larger ring. */
      seed = seed * 1664525 + 1013904223;
      value = 1000 + 0.5 * i + (seed >> 24) / 16.0;
      test_clock_advance (1 + (seed >> 8) % 8);
      health_metric_update (metric, i % 97 == 0 ? NAN : value);

      if (i % 7 == 0 && health_metric_get_trend (metric, 300) == HEALTH_TREND_INCREASING &&
          isfinite (health_metric_get_value (metric)))
        {
          double slope = fit_history (metric, 300);
          double expected = (1e9 - health_metric_get_value (metric)) / slope;

          g_assert_cmpfloat_with_epsilon (health_metric_get_forecast (metric, HEALTH_STATUS_WARNING) / expected,
                                          1.0, 1e-9);
          /* The same fit as a window of any other length makes. */
          g_assert_cmpint (health_metric_get_trend (metric, 299.999999), ==, HEALTH_TREND_INCREASING);
          n_checked++;
        }

      /* The fit is the last sample's until the next one. */
      if (i % 1500 == 700)
        health_metric_set_history_size (metric, i % 3000 == 700 ? 40 : 200);
    }

  g_assert_cmpuint (n_checked, >, 700);
}

static void
test_builtin_properties (void)
{
  g_autoptr(HealthMetric) app = health_metric_new ("queue", "Queue", "jobs", HEALTH_DIRECTION_ABOVE, 1, 2);

  /* An app metric is its own condition, in the app's scope, unbounded. */
  g_assert_cmpstr (health_metric_get_condition (app), ==, "queue");
  g_assert_cmpint (health_metric_get_scope (app), ==, HEALTH_SCOPE_APP);
  g_assert_true (isnan (health_metric_get_bound (app)));
  g_assert_null (health_metric_get_detail (app));

  health_metric_set_condition (app, "work");
  g_assert_cmpstr (health_metric_get_condition (app), ==, "work");
  health_metric_set_condition (app, NULL);
  g_assert_cmpstr (health_metric_get_condition (app), ==, "queue");
}

static void
test_forecast (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthMetric) below = health_metric_new ("b", "B", "GiB", HEALTH_DIRECTION_BELOW, 2, 0.5);

  g_assert_cmpfloat (health_metric_get_forecast (metric, HEALTH_STATUS_WARNING), ==, -1);

  /* Exactly +0.1 point per second from 50 %. */
  for (guint i = 0; i <= 10; i++)
    {
      health_metric_update (metric, 50 + i);
      health_metric_update (below, 10 - 0.5 * i);
      test_clock_advance (10);
    }

  /* At 60 %: 15 points to warning at 0.1/s, 30 to critical. */
  g_assert_cmpfloat_with_epsilon (health_metric_get_forecast (metric, HEALTH_STATUS_WARNING), 150, 1e-6);
  g_assert_cmpfloat_with_epsilon (health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL), 300, 1e-6);
  /* At 5 GiB falling 0.05/s: 3 to warning, 4.5 to critical. */
  g_assert_cmpfloat_with_epsilon (health_metric_get_forecast (below, HEALTH_STATUS_WARNING), 60, 1e-6);
  g_assert_cmpfloat_with_epsilon (health_metric_get_forecast (below, HEALTH_STATUS_CRITICAL), 90, 1e-6);

  /* Heading away: never. */
  for (guint i = 0; i <= 10; i++)
    {
      health_metric_update (metric, 60 - 2 * i);
      test_clock_advance (10);
    }
  g_assert_cmpfloat (health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL), ==, -1);

  /* Already there. */
  health_metric_update (metric, 95);
  g_assert_cmpfloat (health_metric_get_forecast (metric, HEALTH_STATUS_CRITICAL), ==, 0);
}

/* Formatting */

static void
test_format_value (void)
{
  g_autoptr(HealthMetric) percent = health_metric_new ("p", "P", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthMetric) bytes = health_metric_new ("b", "B", "bytes", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMetric) threads = health_metric_new ("t", "T", "threads", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMetric) load = health_metric_new ("l", "L", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthMetric) fds = health_metric_new ("f", "F", "fds", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autofree char *a = health_metric_format_value (percent, 93.14);
  g_autofree char *b = health_metric_format_value (bytes, 3.1 * 1024 * 1024 * 1024);
  g_autofree char *c = health_metric_format_value (threads, 12);
  g_autofree char *d = health_metric_format_value (load, 0.534);
  g_autofree char *e = health_metric_format_value (percent, NAN);
  /* In the unit it is counted and exported in, not another word. */
  g_autofree char *f = health_metric_format_value (fds, 4);
  /* A count of one is one thread, not "1 threads". */
  g_autofree char *g = health_metric_format_value (threads, 1);
  g_autoptr(HealthMetric) objects = health_metric_new ("o", "O", "objects", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autofree char *h = health_metric_format_value (objects, 1);
  g_autofree char *i = health_metric_format_value (objects, 0);
  /* A change of bytes, as an operation reports it, can be negative. */
  g_autofree char *j = health_metric_format_value (bytes, -1.5 * 1024 * 1024 * 1024);

  g_assert_cmpstr (a, ==, "93.1 %");
  g_assert_cmpstr (b, ==, "3.1\u00a0GiB");
  g_assert_cmpstr (c, ==, "12 threads");
  g_assert_cmpstr (d, ==, "0.53");
  g_assert_cmpstr (e, ==, "—");
  g_assert_cmpstr (f, ==, "4 fds");
  g_assert_cmpstr (g, ==, "1 thread");
  g_assert_cmpstr (h, ==, "1 object");
  g_assert_cmpstr (i, ==, "0 objects");
  g_assert_cmpstr (j, ==, "-1.5\u00a0GiB");
}

static void
test_notify (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  guint value_notified = 0, status_notified = 0;

  g_signal_connect_swapped (metric, "notify::value", G_CALLBACK (test_count), &value_notified);
  g_signal_connect_swapped (metric, "notify::status", G_CALLBACK (test_count), &status_notified);

  health_metric_update (metric, 10);
  health_metric_update (metric, 10);
  health_metric_update (metric, 80);
  health_metric_update (metric, 81);

  g_assert_cmpuint (value_notified, ==, 3);
  g_assert_cmpuint (status_notified, ==, 2);   /* UNKNOWN → GOOD → WARNING */
}

/* Widgets follow metric.monitor to redraw once per sample: it must name
 * the monitor exactly while the metric belongs to it, and never keep it
 * alive. */
static void
test_monitor_property (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  HealthMonitor *monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  g_autoptr(HealthMonitor) got = NULL;
  guint notified = 0;

  g_signal_connect_swapped (metric, "notify::monitor", G_CALLBACK (test_count), &notified);
  g_assert_null (health_metric_get_monitor (metric));

  g_assert_true (health_monitor_add_metric (monitor, metric));
  g_assert_true (health_metric_get_monitor (metric) == monitor);
  g_object_get (metric, "monitor", &got, NULL);
  g_assert_true (got == monitor);
  g_clear_object (&got);
  g_assert_cmpuint (notified, ==, 1);

  g_assert_true (health_monitor_remove_metric (monitor, "m"));
  g_assert_null (health_metric_get_monitor (metric));
  g_assert_cmpuint (notified, ==, 2);

  /* Gone with its monitor, which it never held. */
  g_assert_true (health_monitor_add_metric (monitor, metric));
  g_object_add_weak_pointer (G_OBJECT (monitor), (gpointer *) &monitor);
  g_object_unref (monitor);
  g_assert_null (monitor);
  g_assert_null (health_metric_get_monitor (metric));
  g_assert_cmpuint (notified, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);

  g_test_add_func ("/metric/thresholds/table", test_thresholds_table);
  g_test_add_func ("/metric/thresholds/rejudge", test_thresholds_rejudge);
  g_test_add_func ("/metric/thresholds/properties", test_thresholds_properties);
  g_test_add_func ("/metric/thresholds/reset", test_thresholds_reset);
  g_test_add_func ("/metric/id/validation", test_id_validation);
  g_test_add_func ("/metric/id/invalid-logged-clean", test_id_invalid_logged_clean);
  g_test_add_func ("/metric/status/table", test_status_table);
  g_test_add_func ("/metric/status/hysteresis/above", test_status_hysteresis);
  g_test_add_func ("/metric/status/hysteresis/below", test_status_hysteresis_below);
  g_test_add_func ("/metric/status/sustain", test_status_sustain);
  g_test_add_func ("/metric/status/nan-resets", test_status_nan_resets);
  g_test_add_func ("/metric/history/ring", test_history_ring);
  g_test_add_func ("/metric/history/clock-steps-back", test_history_clock_steps_back);
  g_test_add_func ("/metric/trend/relative-to-thresholds", test_trend_relative_to_thresholds);
  g_test_add_func ("/metric/trend/needs-data", test_trend_needs_data);
  g_test_add_func ("/metric/trend/running-fit", test_trend_running_fit);
  g_test_add_func ("/metric/condition-scope-bound", test_builtin_properties);
  g_test_add_func ("/metric/forecast", test_forecast);
  g_test_add_func ("/metric/format-value", test_format_value);
  g_test_add_func ("/metric/notify", test_notify);
  g_test_add_func ("/metric/monitor", test_monitor_property);

  return g_test_run ();
}
