/* test-monitor-ticks.c
 *
 * SPDX-License-Identifier: LGPL-2.1-or-later
 *
 * The worker, ticks, stopping and re-entrancy: the sample in flight.
 */

#include <math.h>
#include <string.h>

#include "health.h"
#include "test-util.h"

static GThread *main_thread;

/* The worker */

typedef struct
{
  GMutex   mutex;
  GCond    cond;
  gboolean released;
  guint    calls;
  gboolean destroyed;
  GThread *destroy_thread;
} Gate;

static double
wait_at_gate (HealthMetric *metric,
              gpointer      user_data)
{
  Gate *gate = user_data;

  g_assert_true (g_thread_self () != main_thread);

  g_mutex_lock (&gate->mutex);
  gate->calls++;
  g_cond_broadcast (&gate->cond);
  while (!gate->released)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);

  return 1.0;
}

static void
gate_destroyed (gpointer user_data)
{
  Gate *gate = user_data;

  gate->destroyed = TRUE;
  gate->destroy_thread = g_thread_self ();
}

static void
gate_init (Gate *gate)
{
  memset (gate, 0, sizeof *gate);
  g_mutex_init (&gate->mutex);
  g_cond_init (&gate->cond);
}

static void
gate_release (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  gate->released = TRUE;
  g_cond_broadcast (&gate->cond);
  g_mutex_unlock (&gate->mutex);
}

static guint
gate_calls (Gate *gate)
{
  guint calls;

  g_mutex_lock (&gate->mutex);
  calls = gate->calls;
  g_mutex_unlock (&gate->mutex);

  return calls;
}

/* Until the worker is at the gate. */
static void
gate_wait_called (Gate *gate)
{
  g_mutex_lock (&gate->mutex);
  while (gate->calls == 0)
    g_cond_wait (&gate->cond, &gate->mutex);
  g_mutex_unlock (&gate->mutex);
}

static void
gate_clear (Gate *gate)
{
  g_mutex_clear (&gate->mutex);
  g_cond_clear (&gate->cond);
}

static HealthMonitor *
gated_monitor_new (Gate *gate)
{
  HealthMonitor *monitor = test_app_monitor_new ();
  g_autoptr(HealthMetric) metric = health_metric_new ("slow", "Slow", "", HEALTH_DIRECTION_ABOVE, 5, 10);

  main_thread = g_thread_self ();
  gate_init (gate);
  health_monitor_add_worker_metric (monitor, metric, wait_at_gate, gate, gate_destroyed);
  health_monitor_set_interval (monitor, 10);

  return monitor;
}

/* Re-entrancy: user code called by the monitor (a sampled function, a
 * signal handler, a metric's notify) may stop or drop the monitor. */

typedef enum
{
  REENTER_STOP,
  REENTER_DROP,
  REENTER_RUN_DISPOSE,
} ReenterAction;

typedef struct
{
  HealthMonitor *monitor;
  ReenterAction  action;
  guint          calls;
  guint          sampled_after;
} Reenter;

static void
reenter (Reenter *r)
{
  r->calls++;
  if (r->monitor == NULL)
    return;

  switch (r->action)
    {
    case REENTER_STOP:
      health_monitor_stop (r->monitor);
      break;
    case REENTER_DROP:
      g_clear_object (&r->monitor);
      break;
    case REENTER_RUN_DISPOSE:
      g_object_run_dispose (G_OBJECT (r->monitor));
      break;
    }
}

static double
reenter_sample (HealthMetric *metric,
                gpointer      user_data)
{
  reenter (user_data);
  return 95;
}

static void
reenter_on_signal (gpointer user_data)
{
  reenter (user_data);
}

static void
reenter_on_notify (GObject    *object,
                   GParamSpec *pspec,
                   gpointer    user_data)
{
  reenter (user_data);
}

static void
reenter_count_sampled (HealthMonitor *monitor,
                       Reenter       *r)
{
  if (r->calls > 0)
    r->sampled_after++;
}

typedef enum
{
  FROM_SAMPLED_FUNC,
  FROM_SAMPLED_SIGNAL,
  FROM_ALERT_SIGNAL,
  FROM_STATUS_CHANGED,
  FROM_VALUE_NOTIFY,
} ReenterFrom;

static void
run_reentrancy_case (ReenterFrom   from,
                     ReenterAction action)
{
  Reenter r = { NULL, action, 0, 0 };
  g_autoptr(HealthMetric) metric = health_metric_new ("m", "M", "%", HEALTH_DIRECTION_ABOVE, 75, 90);
  double value = 95;
  g_autofree char *root = test_fixture_root ("proc-debian12");
  gint64 deadline;

  /* A readable machine, so that the overall status changes. */
  r.monitor = g_object_new (HEALTH_TYPE_MONITOR,
                            "proc-root", root,
                            "builtin", HEALTH_BUILTIN_ALL,
                            "interval", 10,
                            NULL);

  if (from == FROM_SAMPLED_FUNC)
    health_monitor_add_sampled_metric (r.monitor, metric, reenter_sample, &r, NULL);
  else
    health_monitor_add_sampled_metric (r.monitor, metric, test_read_double, &value, NULL);

  switch (from)
    {
    case FROM_SAMPLED_FUNC:
      break;
    case FROM_SAMPLED_SIGNAL:
      g_signal_connect_swapped (r.monitor, "sampled", G_CALLBACK (reenter_on_signal), &r);
      break;
    case FROM_ALERT_SIGNAL:
      g_signal_connect_swapped (r.monitor, "alert::m", G_CALLBACK (reenter_on_signal), &r);
      break;
    case FROM_STATUS_CHANGED:
      g_signal_connect_swapped (r.monitor, "status-changed", G_CALLBACK (reenter_on_signal), &r);
      break;
    case FROM_VALUE_NOTIFY:
      g_signal_connect (metric, "notify::value", G_CALLBACK (reenter_on_notify), &r);
      break;
    }
  g_signal_connect (r.monitor, "sampled", G_CALLBACK (reenter_count_sampled), &r);

  health_monitor_start (r.monitor);

  deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (r.calls == 0 && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (r.calls, >=, 1);

  /* Whatever was out comes back and finds it stopped or gone. */
  test_iterate_for (100);

  if (action != REENTER_DROP)
    {
      g_assert_false (health_monitor_get_active (r.monitor));
      /* After stop() returns, nothing is emitted: not even the sample
       * that was being applied when it was called. */
      if (from != FROM_SAMPLED_SIGNAL)
        g_assert_cmpuint (r.sampled_after, ==, 0);
      g_clear_object (&r.monitor);
    }
  g_assert_null (r.monitor);
  test_iterate_for (20);
}

static void
test_reentrancy (gconstpointer data)
{
  guint which = GPOINTER_TO_UINT (data);

  run_reentrancy_case (which / 3, which % 3);
}

static void
test_worker_never_two_in_flight (void)
{
  Gate gate;
  g_autoptr(HealthMonitor) monitor = gated_monitor_new (&gate);
  guint sampled = 0, overruns_notified = 0;

  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);
  g_signal_connect_swapped (monitor, "notify::overruns", G_CALLBACK (test_count), &overruns_notified);
  health_monitor_start (monitor);
  gate_wait_called (&gate);

  /* Ticks every 10 ms found the first sample still out: counted, not
   * queued. Each tick comes as the test moves the clock. */
  for (guint i = 1; i <= 20; i++)
    {
      test_clock_advance (0.010);
      g_main_context_iteration (NULL, FALSE);
      g_assert_cmpuint (health_monitor_get_overruns (monitor), ==, i);
    }
  g_assert_cmpuint (overruns_notified, ==, 20);
  g_assert_cmpuint (gate_calls (&gate), ==, 1);
  g_assert_cmpuint (sampled, ==, 0);

  gate_release (&gate);
  while (sampled == 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpfloat (health_metric_get_value (health_monitor_get_metric (monitor, "slow")), ==, 1.0);

  health_monitor_stop (monitor);
  g_clear_object (&monitor);
  while (!gate.destroyed)
    g_main_context_iteration (NULL, TRUE);
  gate_clear (&gate);
}

static void
cancelled_done (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  gboolean *done = user_data;

  g_assert_false (health_monitor_sample_finish (HEALTH_MONITOR (object), result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  *done = TRUE;
}

static void
test_worker_stop_never_blocks (void)
{
  Gate gate;
  g_autoptr(HealthMonitor) monitor = gated_monitor_new (&gate);
  guint sampled = 0;
  gboolean cancelled = FALSE;
  gint64 before;

  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);
  health_monitor_start (monitor);
  health_monitor_sample_async (monitor, NULL, cancelled_done, &cancelled);
  gate_wait_called (&gate);

  before = g_get_monotonic_time ();
  health_monitor_stop (monitor);
  /* The worker is still blocked; stop did not wait for it. */
  g_assert_cmpint (g_get_monotonic_time () - before, <, G_USEC_PER_SEC);
  g_assert_false (health_monitor_get_active (monitor));

  while (!cancelled)
    g_main_context_iteration (NULL, TRUE);

  gate_release (&gate);
  test_iterate_for (100);

  /* The stale sample came back and was dropped. */
  g_assert_cmpuint (sampled, ==, 0);
  g_assert_true (isnan (health_metric_get_value (health_monitor_get_metric (monitor, "slow"))));

  /* Stopping twice is harmless; the monitor samples again on demand. */
  health_monitor_stop (monitor);
  test_sample_sync (monitor);
  g_assert_cmpuint (sampled, ==, 1);

  g_clear_object (&monitor);
  g_assert_true (gate.destroyed);
  gate_clear (&gate);
}

static void
test_worker_dispose_in_flight (void)
{
  Gate gate;
  HealthMonitor *monitor = gated_monitor_new (&gate);
  GWeakRef weak;

  g_weak_ref_init (&weak, monitor);
  health_monitor_start (monitor);
  gate_wait_called (&gate);

  /* Gone while the worker still runs its function. */
  g_object_unref (monitor);
  g_assert_null (g_weak_ref_get (&weak));
  g_assert_false (gate.destroyed);

  gate_release (&gate);
  while (!gate.destroyed)
    g_main_context_iteration (NULL, TRUE);

  /* The function's data is freed on the main context, not the worker. */
  g_assert_true (gate.destroy_thread == main_thread);
  g_weak_ref_clear (&weak);
  gate_clear (&gate);
}

/* Start, stop, ticks */

static void
test_start_stop_idempotent (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  guint notified = 0, sampled = 0;
  double value = 1;

  test_add_sampled (monitor, "x", 5, 10, &value);
  health_monitor_set_interval (monitor, 20);
  g_signal_connect_swapped (monitor, "notify::active", G_CALLBACK (test_count), &notified);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  health_monitor_start (monitor);
  health_monitor_start (monitor);
  g_assert_true (health_monitor_get_active (monitor));
  g_assert_cmpuint (notified, ==, 1);

  /* One sample at once, then one per interval. */
  while (sampled < 1)
    g_main_context_iteration (NULL, TRUE);
  while (sampled < 4)
    {
      guint before = sampled;

      test_clock_advance (0.020);
      while (sampled == before)
        g_main_context_iteration (NULL, TRUE);
    }

  health_monitor_stop (monitor);
  health_monitor_stop (monitor);
  g_assert_false (health_monitor_get_active (monitor));
  g_assert_cmpuint (notified, ==, 2);

  sampled = 0;
  test_clock_advance (1);
  while (g_main_context_iteration (NULL, FALSE));
  g_assert_cmpuint (sampled, ==, 0);
  g_assert_cmpuint (health_monitor_get_overruns (monitor), ==, 0);
}

/* A tick waiting on the sampling thread is called off by stop(): starting
 * again at once is no overrun, and samples at once. */
static void
test_stop_start_at_once (void)
{
  g_autoptr(HealthMonitor) monitor = test_app_monitor_new ();
  guint sampled = 0;
  double value = 1;

  test_add_sampled (monitor, "x", 5, 10, &value);
  health_monitor_set_interval (monitor, 60000);
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  health_monitor_start (monitor);
  while (sampled < 1)
    g_main_context_iteration (NULL, TRUE);

  health_monitor_stop (monitor);
  health_monitor_start (monitor);
  while (sampled < 2)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (health_monitor_get_overruns (monitor), ==, 0);
  health_monitor_stop (monitor);
}

/* A tick that comes late (the main loop kept it waiting) is the
 * latency: here 150 ms past its time. */
static void
test_main_loop_latency (void)
{
  g_autoptr(HealthMonitor) monitor = NULL;
  HealthMetric *latency;
  guint sampled = 0;

  monitor = g_object_new (HEALTH_TYPE_MONITOR,
                          "builtin", HEALTH_BUILTIN_MAIN_LOOP_LATENCY,
                          "interval", 300,
                          NULL);
  latency = health_monitor_get_metric (monitor, "main-loop-latency");
  g_signal_connect_swapped (monitor, "sampled", G_CALLBACK (test_count), &sampled);

  health_monitor_start (monitor);
  while (sampled < 1)
    g_main_context_iteration (NULL, TRUE);

  test_clock_advance (0.300 + 0.150);
  while (sampled < 2)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpfloat (health_metric_get_value (latency), >=, 150);
  g_assert_cmpint (health_metric_get_status (latency), ==, HEALTH_STATUS_WARNING);
  health_monitor_stop (monitor);
}

int
main (int   argc,
      char *argv[])
{
  test_init (&argc, &argv);
  main_thread = g_thread_self ();

  g_test_add_func ("/monitor/worker/never-two-in-flight", test_worker_never_two_in_flight);
  g_test_add_func ("/monitor/worker/stop-never-blocks", test_worker_stop_never_blocks);
  g_test_add_func ("/monitor/worker/dispose-in-flight", test_worker_dispose_in_flight);
  g_test_add_func ("/monitor/ticks/start-stop-idempotent", test_start_stop_idempotent);
  g_test_add_func ("/monitor/ticks/main-loop-latency", test_main_loop_latency);
  g_test_add_func ("/monitor/ticks/stop-start-at-once", test_stop_start_at_once);
  {
    static const char *froms[] = { "sampled-func", "sampled-signal", "alert-signal", "status-changed", "value-notify" };
    static const char *actions[] = { "stop", "drop", "run-dispose" };

    for (guint from = 0; from < G_N_ELEMENTS (froms); from++)
      for (guint action = 0; action < G_N_ELEMENTS (actions); action++)
        {
          g_autofree char *path = g_strdup_printf ("/monitor/reentrancy/%s/%s", froms[from], actions[action]);

          g_test_add_data_func (path, GUINT_TO_POINTER (from * 3 + action), test_reentrancy);
        }
  }

  return g_test_run ();
}
