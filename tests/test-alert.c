/* test-alert.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 */

#include <math.h>

#include "health.h"
#include "health-alert-private.h"
#include "test-util.h"

static void
test_alert_message_seed_like (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("memory-usage", "Memory Usage", "%",
                                                      HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthAlert) alert = NULL;

  for (guint i = 0; i < 5; i++)
    {
      health_metric_update (metric, 85 + 2 * i);
      test_clock_advance (30);
    }

  alert = health_alert_new (metric, HEALTH_STATUS_CRITICAL, NULL, 1234);
  g_assert_cmpstr (health_alert_get_message (alert), ==,
                   "Memory Usage = 93.0 % (threshold 90.0 %, increasing)");
  g_assert_cmpint (health_alert_get_trend (alert), ==, HEALTH_TREND_INCREASING);
  g_assert_cmpint (health_alert_get_time (alert), ==, 1234);
  g_assert_null (health_alert_get_culprit (alert));
  /* Critical already: no forecast. */
  g_assert_cmpfloat (health_alert_get_forecast (alert), ==, -1);
}

static void
test_alert_forecast_in_message (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("memory-usage", "Memory Usage", "%",
                                                      HEALTH_DIRECTION_ABOVE, 75, 90);
  g_autoptr(HealthAlert) alert = NULL;

  /* +0.5 point a minute. */
  for (guint i = 0; i <= 5; i++)
    {
      health_metric_update (metric, 78 + i * 0.5);
      test_clock_advance (60);
    }
  test_clock_advance (-60);

  alert = health_alert_new (metric, HEALTH_STATUS_WARNING, "firefox (4242) 3.1 GiB", 0);
  /* 80.5 % rising half a point a minute reaches 90 % in 19 minutes. */
  g_assert_cmpfloat_with_epsilon (health_alert_get_forecast (alert), 19 * 60, 1e-3);
  g_assert_cmpstr (health_alert_get_message (alert), ==,
                   "Memory Usage = 80.5 % (threshold 75.0 %, increasing, critical in about 19 minutes)");
  g_assert_cmpstr (health_alert_get_culprit (alert), ==, "firefox (4242) 3.1 GiB");
}

static void
test_alert_bytes_below (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("memory-available", "Available Memory", "bytes",
                                                      HEALTH_DIRECTION_BELOW,
                                                      2.0 * 1024 * 1024 * 1024, 512.0 * 1024 * 1024);
  g_autoptr(HealthAlert) alert = NULL;

  health_metric_update (metric, 256.0 * 1024 * 1024);
  alert = health_alert_new (metric, HEALTH_STATUS_CRITICAL, "", 0);
  g_assert_cmpstr (health_alert_get_message (alert), ==,
                   "Available Memory = 256.0\u00a0MiB (threshold 512.0\u00a0MiB, no trend yet)");
  g_assert_null (health_alert_get_culprit (alert));
}

static void
test_alert_properties (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(HealthAlert) alert = NULL;
  g_autoptr(HealthMetric) got = NULL;
  HealthStatus status;
  double value, threshold;

  health_metric_update (metric, 1.5);
  alert = health_alert_new (metric, HEALTH_STATUS_WARNING, NULL, 0);
  g_object_get (alert, "metric", &got, "status", &status, "value", &value, "threshold", &threshold, NULL);
  g_assert_true (got == metric);
  g_assert_cmpint (status, ==, HEALTH_STATUS_WARNING);
  g_assert_cmpfloat (value, ==, 1.5);
  g_assert_cmpfloat (threshold, ==, 1);
}

/* An app's or a peer's text: alerts feed notifications and logs, so
 * they carry it clean. */
static void
test_alert_text_from_elsewhere (void)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("queue", "\033]0;pwned\aQueue\xe2\x80\xae",
                                                      "jobs\n\xc2\x9b" "2J",
                                                      HEALTH_DIRECTION_ABOVE, 10, 20);
  g_autoptr(HealthAlert) alert = NULL;
  g_autoptr(HealthAlert) remote = NULL;
  g_autoptr(HealthAlert) empty = NULL;

  health_metric_update (metric, 25);
  alert = health_alert_new (metric, HEALTH_STATUS_CRITICAL, "hog\033[8m (42) 1\xff GiB", 0);
  g_assert_cmpstr (health_alert_get_message (alert), ==,
                   "\xef\xbf\xbd]0;pwned\xef\xbf\xbdQueue = 25 jobs \xef\xbf\xbd" "2J "
                   "(threshold 20 jobs \xef\xbf\xbd" "2J, no trend yet)");
  g_assert_cmpstr (health_alert_get_culprit (alert), ==, "hog\xef\xbf\xbd[8m (42) 1\xef\xbf\xbd GiB");

  remote = health_alert_new_full (metric, HEALTH_STATUS_WARNING, 15, 10, HEALTH_TREND_STABLE, -1,
                                  "\033[2J\033[Hall\tclear", "\xe2\x81\xa6x\r", 0);
  g_assert_cmpstr (health_alert_get_message (remote), ==,
                   "\xef\xbf\xbd[2J\xef\xbf\xbd[Hall clear");
  g_assert_cmpstr (health_alert_get_culprit (remote), ==, "x ");

  /* Nothing left to show is no culprit. */
  empty = health_alert_new (metric, HEALTH_STATUS_CRITICAL, "\xe2\x80\x8f", 0);
  g_assert_null (health_alert_get_culprit (empty));
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);

  g_test_add_func ("/alert/message/seed-like", test_alert_message_seed_like);
  g_test_add_func ("/alert/message/forecast", test_alert_forecast_in_message);
  g_test_add_func ("/alert/message/bytes-below", test_alert_bytes_below);
  g_test_add_func ("/alert/properties", test_alert_properties);
  g_test_add_func ("/alert/text-from-elsewhere", test_alert_text_from_elsewhere);

  return g_test_run ();
}
