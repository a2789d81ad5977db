/* test-dbus.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * health_monitor_export() and its mirror, over a private bus.
 */

#include <math.h>
#include <string.h>

#include "health.h"
#include "test-util.h"

#define OBJECT_PATH "/io/github/healthmonitor/Test"

typedef struct
{
  GTestDBus       *bus;
  GDBusConnection *service;   /* the exporting side */
  GDBusConnection *client;    /* the mirroring side */
  HealthMonitor   *monitor;
  HealthMetric    *queue;
  HealthMonitor   *mirror;
  double           sampled_value;
} Fixture;

static double
read_value (HealthMetric *metric,
            gpointer      user_data)
{
  return *(double *) user_data;
}

static void
wait_until (gboolean *flag)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!*flag)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
mirror_ready (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  HealthMonitor **mirror = user_data;
  g_autoptr(GError) error = NULL;

  *mirror = health_monitor_new_for_bus_finish (result, &error);
  g_assert_no_error (error);
}

static HealthMonitor *
make_mirror (GDBusConnection *connection,
             const char      *name)
{
  HealthMonitor *mirror = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  health_monitor_new_for_bus_async (connection, name, OBJECT_PATH, NULL, mirror_ready, &mirror);
  while (mirror == NULL)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }

  return mirror;
}

static void
fixture_setup (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(HealthMetric) load = NULL;
  const char *address;

  fixture->bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_test_dbus_up (fixture->bus);
  address = g_test_dbus_get_bus_address (fixture->bus);

  fixture->service = g_dbus_connection_new_for_address_sync (address,
                                                             G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                             G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                             NULL, NULL, &error);
  g_assert_no_error (error);
  fixture->client = g_dbus_connection_new_for_address_sync (address,
                                                            G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                            G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                            NULL, NULL, &error);
  g_assert_no_error (error);

  fixture->monitor = g_object_new (HEALTH_TYPE_MONITOR, "builtin", HEALTH_BUILTIN_NONE, NULL);
  fixture->queue = health_metric_new ("queue", "Queue", "jobs", HEALTH_DIRECTION_ABOVE, 10, 20);
  health_metric_set_recommendation (fixture->queue, "Pause the importer");
  health_monitor_add_metric (fixture->monitor, fixture->queue);
  g_object_unref (fixture->queue);

  load = health_metric_new ("load", "Load", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  health_metric_set_condition (load, "work");
  health_metric_set_bound (load, 100);
  health_metric_set_detail (load, "all queues");
  health_monitor_add_sampled_metric (fixture->monitor, load, read_value, &fixture->sampled_value, NULL);
  fixture->sampled_value = 10;

  for (guint i = 0; i < 3; i++)
    test_sample_sync (fixture->monitor);
  health_metric_update (fixture->queue, 5);

  health_monitor_export (fixture->monitor, fixture->service, OBJECT_PATH, &error);
  g_assert_no_error (error);
}

static void
fixture_teardown (Fixture       *fixture,
                  gconstpointer  data)
{
  g_clear_object (&fixture->mirror);
  g_clear_object (&fixture->monitor);
  g_dbus_connection_close_sync (fixture->service, NULL, NULL);
  g_dbus_connection_close_sync (fixture->client, NULL, NULL);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->client);
  g_test_dbus_down (fixture->bus);
  g_clear_object (&fixture->bus);
}

static void
test_mirror_metrics (Fixture       *fixture,
                     gconstpointer  data)
{
  HealthMetric *queue, *load;
  g_autofree HealthSample *history = NULL;
  guint n = 0;

  fixture->mirror = make_mirror (fixture->client, g_dbus_connection_get_unique_name (fixture->service));

  g_assert_cmpuint (g_list_model_get_n_items (health_monitor_get_metrics (fixture->mirror)), ==, 2);
  queue = health_monitor_get_metric (fixture->mirror, "queue");
  load = health_monitor_get_metric (fixture->mirror, "load");
  g_assert_nonnull (queue);
  g_assert_nonnull (load);

  g_assert_cmpstr (health_metric_get_label (queue), ==, "Queue");
  g_assert_cmpstr (health_metric_get_unit (queue), ==, "jobs");
  g_assert_cmpstr (health_metric_get_recommendation (queue), ==, "Pause the importer");
  g_assert_cmpfloat (health_metric_get_warning (queue), ==, 10);
  g_assert_cmpfloat (health_metric_get_critical (queue), ==, 20);
  g_assert_cmpfloat (health_metric_get_value (queue), ==, 5);
  g_assert_cmpint (health_metric_get_status (queue), ==, HEALTH_STATUS_GOOD);
  /* What front ends filter and group by travels too. */
  g_assert_cmpstr (health_metric_get_condition (queue), ==, "queue");
  g_assert_cmpint (health_metric_get_scope (queue), ==, HEALTH_SCOPE_APP);
  g_assert_true (isnan (health_metric_get_bound (queue)));
  g_assert_cmpstr (health_metric_get_condition (load), ==, "work");
  g_assert_cmpfloat (health_metric_get_bound (load), ==, 100);
  g_assert_cmpstr (health_metric_get_detail (load), ==, "all queues");
  /* So widgets given only a mirrored metric redraw on the mirror's samples. */
  g_assert_true (health_metric_get_monitor (queue) == fixture->mirror);

  history = health_metric_dup_history (load, &n);
  g_assert_cmpuint (n, ==, 3);
  g_assert_cmpfloat (history[2].value, ==, 10);
  g_assert_cmpint (health_monitor_get_status (fixture->mirror), ==,
                   health_monitor_get_status (fixture->monitor));
  g_assert_true (health_monitor_get_active (fixture->mirror));
}

static void
on_alert (HealthMonitor *monitor,
          HealthAlert   *alert,
          GPtrArray     *alerts)
{
  g_ptr_array_add (alerts, g_object_ref (alert));
}

static void
set_flag (gboolean *flag)
{
  *flag = TRUE;
}

static void
test_mirror_follows (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) alerts = g_ptr_array_new_with_free_func (g_object_unref);
  gboolean sampled = FALSE, recovered = FALSE, updated = FALSE;
  HealthMetric *load;
  HealthAlert *alert;

  fixture->mirror = make_mirror (fixture->client, g_dbus_connection_get_unique_name (fixture->service));
  load = health_monitor_get_metric (fixture->mirror, "load");

  g_signal_connect (fixture->mirror, "alert::load", G_CALLBACK (on_alert), alerts);
  g_signal_connect_swapped (fixture->mirror, "sampled", G_CALLBACK (set_flag), &sampled);
  g_signal_connect_swapped (fixture->mirror, "recovered::load", G_CALLBACK (set_flag), &recovered);

  fixture->sampled_value = 95;
  test_sample_sync (fixture->monitor);
  wait_until (&sampled);
  while (alerts->len == 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpfloat (health_metric_get_value (load), ==, 95);
  g_assert_cmpint (health_metric_get_status (load), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpint (health_monitor_get_status (fixture->mirror), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpuint (health_metric_get_n_samples (load), ==, 4);

  alert = g_ptr_array_index (alerts, 0);
  g_assert_true (health_alert_get_metric (alert) == load);
  g_assert_cmpint (health_alert_get_status (alert), ==, HEALTH_STATUS_CRITICAL);
  g_assert_cmpfloat (health_alert_get_threshold (alert), ==, 90);
  g_assert_cmpstr (health_alert_get_message (alert), ==, "Load = 95.0 % (threshold 90.0 %, no trend yet)");

  fixture->sampled_value = 10;
  test_sample_sync (fixture->monitor);
  wait_until (&recovered);

  /* An app's own update between samples. */
  g_signal_connect_swapped (health_monitor_get_metric (fixture->mirror, "queue"), "notify::value",
                            G_CALLBACK (set_flag), &updated);
  health_metric_update (fixture->queue, 15);
  wait_until (&updated);
  g_assert_cmpint (health_metric_get_status (health_monitor_get_metric (fixture->mirror, "queue")), ==,
                   HEALTH_STATUS_WARNING);

  /* Stopped, the mirror emits nothing. */
  health_monitor_stop (fixture->mirror);
  sampled = FALSE;
  fixture->sampled_value = 95;
  test_sample_sync (fixture->monitor);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_false (sampled);
}

static void
on_sampled_message (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         user_data)
{
  GArray *counts = user_data;
  g_autoptr(GVariant) values = g_variant_get_child_value (parameters, 1);
  guint n = g_variant_n_children (values);

  g_array_append_val (counts, n);
}

static void
wait_for_count (GArray *counts,
                guint   n)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (counts->len < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

/* A sample whose figures did not change names no metric on the bus, and
 * the mirror still looks like the monitor: every metric has the sample,
 * in its history too. */
static void
test_mirror_unchanged_figures (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autofree HealthSample *history = NULL;
  gboolean sampled = FALSE;
  HealthMetric *load, *queue;
  guint n_before, n_queue_before, n = 0, id;

  fixture->mirror = make_mirror (fixture->client, g_dbus_connection_get_unique_name (fixture->service));
  load = health_monitor_get_metric (fixture->mirror, "load");
  queue = health_monitor_get_metric (fixture->mirror, "queue");
  g_signal_connect_swapped (fixture->mirror, "sampled", G_CALLBACK (set_flag), &sampled);
  id = g_dbus_connection_signal_subscribe (fixture->client, NULL, "io.github.healthmonitor.Monitor1", "Sampled",
                                           OBJECT_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                           on_sampled_message, counts, NULL);
  n_before = health_metric_get_n_samples (load);
  n_queue_before = health_metric_get_n_samples (queue);

  for (guint i = 0; i < 2; i++)
    {
      sampled = FALSE;
      test_sample_sync (fixture->monitor);
      wait_until (&sampled);
    }
  /* The mirror and this subscription hear the message in either order. */
  wait_for_count (counts, 2);
  g_dbus_connection_signal_unsubscribe (fixture->client, id);

  g_assert_cmpuint (counts->len, ==, 2);
  g_assert_cmpuint (g_array_index (counts, guint, 0), ==, 2);
  g_assert_cmpuint (g_array_index (counts, guint, 1), ==, 0);

  g_assert_cmpuint (health_metric_get_n_samples (load), ==, n_before + 2);
  g_assert_cmpuint (health_metric_get_n_samples (queue), ==, n_queue_before + 2);
  history = health_metric_dup_history (load, &n);
  g_assert_cmpfloat (history[n - 1].value, ==, 10);
  g_assert_cmpfloat (history[n - 2].value, ==, 10);
  g_assert_cmpint (history[n - 1].time_us, >, history[n - 2].time_us);
  g_assert_cmpfloat (health_metric_get_value (queue), ==, 5);
  g_assert_cmpint (health_metric_get_status (queue), ==, HEALTH_STATUS_GOOD);

  /* A change is named again. */
  g_array_set_size (counts, 0);
  id = g_dbus_connection_signal_subscribe (fixture->client, NULL, "io.github.healthmonitor.Monitor1", "Sampled",
                                           OBJECT_PATH, NULL, G_DBUS_SIGNAL_FLAGS_NONE,
                                           on_sampled_message, counts, NULL);
  fixture->sampled_value = 80;
  sampled = FALSE;
  test_sample_sync (fixture->monitor);
  wait_until (&sampled);
  wait_for_count (counts, 1);
  g_dbus_connection_signal_unsubscribe (fixture->client, id);
  g_assert_cmpuint (g_array_index (counts, guint, 0), ==, 1);
  g_assert_cmpfloat (health_metric_get_value (load), ==, 80);
  g_assert_cmpint (health_metric_get_status (load), ==, HEALTH_STATUS_WARNING);
  g_assert_cmpfloat (health_metric_get_value (queue), ==, 5);
}

static void
test_mirror_metrics_come_and_go (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(HealthMetric) extra = health_metric_new ("extra", "Extra", "", HEALTH_DIRECTION_BELOW, 5, 1);
  GListModel *metrics;

  fixture->mirror = make_mirror (fixture->client, g_dbus_connection_get_unique_name (fixture->service));
  metrics = health_monitor_get_metrics (fixture->mirror);

  health_monitor_add_metric (fixture->monitor, extra);
  while (g_list_model_get_n_items (metrics) < 3)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpint (health_metric_get_direction (health_monitor_get_metric (fixture->mirror, "extra")), ==,
                   HEALTH_DIRECTION_BELOW);

  health_monitor_remove_metric (fixture->monitor, "queue");
  while (g_list_model_get_n_items (metrics) > 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (health_monitor_get_metric (fixture->mirror, "queue"));
}

static void
test_mirror_sample_async (Fixture       *fixture,
                          gconstpointer  data)
{
  fixture->mirror = make_mirror (fixture->client, g_dbus_connection_get_unique_name (fixture->service));

  health_metric_update (fixture->queue, 25);
  test_sample_sync (fixture->mirror);
  g_assert_cmpfloat (health_metric_get_value (health_monitor_get_metric (fixture->mirror, "queue")), ==, 25);
}

static void
call_done (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GError **error = user_data;
  g_autoptr(GVariant) reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, error);

  /* Every call of this test must fail. */
  g_assert_null (reply);
  g_assert_nonnull (*error);
}

/* The service answers on this thread's main context: call, then iterate. */
static GError *
call_expecting_error (Fixture    *fixture,
                      const char *interface,
                      const char *method,
                      GVariant   *parameters)
{
  GError *error = NULL;

  g_dbus_connection_call (fixture->client, g_dbus_connection_get_unique_name (fixture->service),
                          OBJECT_PATH, interface, method, parameters, NULL,
                          G_DBUS_CALL_FLAGS_NONE, 5000, NULL, call_done, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  return error;
}

static void
test_export_read_only (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) set_error = NULL;
  g_autoptr(GError) history_error = NULL;

  set_error = call_expecting_error (fixture, "org.freedesktop.DBus.Properties", "Set",
                                    g_variant_new ("(ssv)", "io.github.healthmonitor.Monitor1",
                                                   "Interval", g_variant_new_uint32 (10)));
  g_assert_true (g_dbus_error_is_remote_error (set_error));
  g_assert_cmpuint (health_monitor_get_interval (fixture->monitor), ==, 30000);

  history_error = call_expecting_error (fixture, "io.github.healthmonitor.Monitor1", "GetHistory",
                                        g_variant_new ("(s)", "no-such-metric"));
  g_assert_true (g_dbus_error_is_remote_error (history_error));
}

static void
test_mirror_remote_vanishes (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;
  HealthMetric *load;

  reply = g_dbus_connection_call_sync (fixture->service, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "RequestName",
                                       g_variant_new ("(su)", "io.github.healthmonitor.Test", 0),
                                       NULL, G_DBUS_CALL_FLAGS_NONE, -1, NULL, &error);
  g_assert_no_error (error);

  fixture->mirror = make_mirror (fixture->client, "io.github.healthmonitor.Test");
  load = health_monitor_get_metric (fixture->mirror, "load");
  g_assert_cmpfloat (health_metric_get_value (load), ==, 10);

  g_dbus_connection_close_sync (fixture->service, NULL, &error);
  g_assert_no_error (error);

  while (health_metric_get_status (load) != HEALTH_STATUS_UNKNOWN)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (isnan (health_metric_get_value (load)));
  g_assert_cmpint (health_monitor_get_status (fixture->mirror), ==, HEALTH_STATUS_UNKNOWN);
}

static void
mirror_failed (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  GError **error = user_data;
  HealthMonitor *mirror = health_monitor_new_for_bus_finish (result, error);

  g_assert_null (mirror);
  g_assert_nonnull (*error);
}

static void
test_mirror_no_such_name (Fixture       *fixture,
                          gconstpointer  data)
{
  GError *error = NULL;

  health_monitor_new_for_bus_async (fixture->client, "io.github.healthmonitor.Nobody", OBJECT_PATH, NULL,
                                    mirror_failed, &error);
  while (error == NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Nothing is started to answer: reading a monitor launches nothing. */
  g_assert_error (error, G_DBUS_ERROR, G_DBUS_ERROR_SERVICE_UNKNOWN);
  g_assert_nonnull (strstr (error->message, "io.github.healthmonitor.Nobody"));
  g_error_free (error);
}

/* Re-entrancy: user code run by an exported monitor or a mirror may
 * unexport or drop it. */

static double
unexport_from_sample (HealthMetric *metric,
                      gpointer      user_data)
{
  health_monitor_unexport (user_data);
  return 1;
}

static void
test_reentrancy_unexport_in_sampled_func (Fixture       *fixture,
                                          gconstpointer  data)
{
  g_autoptr(HealthMetric) metric = health_metric_new ("x", "X", "", HEALTH_DIRECTION_ABOVE, 1, 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) reply = NULL;

  health_monitor_add_sampled_metric (fixture->monitor, metric, unexport_from_sample, fixture->monitor, NULL);
  test_sample_sync (fixture->monitor);
  test_sample_sync (fixture->monitor);

  /* Gone from the bus, and the monitor goes on. */
  reply = g_dbus_connection_call_sync (fixture->client, g_dbus_connection_get_unique_name (fixture->service),
                                       OBJECT_PATH, "io.github.healthmonitor.Monitor1", "GetMetrics",
                                       NULL, NULL, G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_null (reply);
  g_assert_nonnull (error);
  g_assert_cmpfloat (health_metric_get_value (metric), ==, 1);
}

static void
on_finalized (gpointer  flag,
              GObject  *where_the_object_was)
{
  *(gboolean *) flag = TRUE;
}

static void
drop_monitor (HealthMonitor **monitor)
{
  g_clear_object (monitor);
}

static void
test_reentrancy_drop_exported_in_handler (Fixture       *fixture,
                                          gconstpointer  data)
{
  gboolean gone = FALSE;

  g_object_weak_ref (G_OBJECT (fixture->monitor), on_finalized, &gone);
  g_signal_connect_swapped (fixture->monitor, "sampled", G_CALLBACK (drop_monitor), &fixture->monitor);
  health_monitor_sample_async (fixture->monitor, NULL, NULL, NULL);
  wait_until (&gone);
  g_assert_null (fixture->monitor);
}

static void
test_reentrancy_drop_mirror_in_handler (Fixture       *fixture,
                                        gconstpointer  data)
{
  gboolean gone = FALSE;

  fixture->mirror = make_mirror (fixture->client, g_dbus_connection_get_unique_name (fixture->service));
  g_object_weak_ref (G_OBJECT (fixture->mirror), on_finalized, &gone);
  g_signal_connect_swapped (fixture->mirror, "sampled", G_CALLBACK (drop_monitor), &fixture->mirror);
  g_signal_connect_swapped (fixture->mirror, "alert", G_CALLBACK (drop_monitor), &fixture->mirror);

  /* An alert and a sample arrive together. */
  fixture->sampled_value = 95;
  test_sample_sync (fixture->monitor);
  wait_until (&gone);
  g_assert_null (fixture->mirror);

  /* And the exporter goes on. */
  test_sample_sync (fixture->monitor);
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);

  g_test_add ("/dbus/mirror/metrics", Fixture, NULL, fixture_setup, test_mirror_metrics, fixture_teardown);
  g_test_add ("/dbus/mirror/follows", Fixture, NULL, fixture_setup, test_mirror_follows, fixture_teardown);
  g_test_add ("/dbus/mirror/unchanged-figures", Fixture, NULL, fixture_setup,
              test_mirror_unchanged_figures, fixture_teardown);
  g_test_add ("/dbus/mirror/metrics-come-and-go", Fixture, NULL, fixture_setup,
              test_mirror_metrics_come_and_go, fixture_teardown);
  g_test_add ("/dbus/mirror/sample-async", Fixture, NULL, fixture_setup, test_mirror_sample_async, fixture_teardown);
  g_test_add ("/dbus/mirror/remote-vanishes", Fixture, NULL, fixture_setup,
              test_mirror_remote_vanishes, fixture_teardown);
  g_test_add ("/dbus/export/read-only", Fixture, NULL, fixture_setup, test_export_read_only, fixture_teardown);
  g_test_add ("/dbus/mirror/no-such-name", Fixture, NULL, fixture_setup, test_mirror_no_such_name, fixture_teardown);
  g_test_add ("/dbus/reentrancy/unexport-in-sampled-func", Fixture, NULL, fixture_setup,
              test_reentrancy_unexport_in_sampled_func, fixture_teardown);
  g_test_add ("/dbus/reentrancy/drop-exported-in-handler", Fixture, NULL, fixture_setup,
              test_reentrancy_drop_exported_in_handler, fixture_teardown);
  g_test_add ("/dbus/reentrancy/drop-mirror-in-handler", Fixture, NULL, fixture_setup,
              test_reentrancy_drop_mirror_in_handler, fixture_teardown);

  return g_test_run ();
}
