#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Health-1 from Python, through the typelib of the build tree and the
# override in bindings/python (tests/gi/meson.build sets GI_TYPELIB_PATH,
# LD_LIBRARY_PATH, PYTHONPATH and HEALTH_PROC_ROOT=tests/fixtures/
# proc-memory95, where memory-usage is exactly 95.0). Output is TAP.

import json
import math
import os
import subprocess
import sys
import textwrap
import unittest

import gi
gi.require_version('Health', '1')
from gi.repository import Gio, GLib, GObject, Health  # noqa: E402

from gitap import main, run_until  # noqa: E402


def app_monitor():
    """A monitor of app metrics only: nothing depends on the machine."""
    return Health.Monitor(builtin=Health.Builtin.NONE)


def sample(monitor):
    """Takes one sample with sample_async() and returns sample_finish()."""
    results = []

    def done(source, result):
        try:
            results.append(source.sample_finish(result))
        except GLib.Error as error:
            results.append(error)

    monitor.sample_async(None, done)
    if not run_until(lambda: results):
        raise AssertionError('sample_async() never called back')
    if isinstance(results[0], GLib.Error):
        raise results[0]
    return results[0]


class Values:
    """A sample function that returns the next of a list of values."""

    def __init__(self, *values):
        self.values = list(values)
        self.calls = []

    def __call__(self, metric, *user_data):
        self.calls.append((metric, user_data))
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


def queue_metric(**props):
    metric = Health.Metric.new('queue-length', 'Queue Length', 'jobs',
                               Health.Direction.ABOVE, 50, 100)
    for name, value in props.items():
        metric.set_property(name, value)
    return metric


def run_child(code):
    """Runs Python code in a child with the same environment: for what may
    crash the interpreter or must be seen on stderr."""
    return subprocess.run([sys.executable, '-c', textwrap.dedent(code)],
                          capture_output=True, text=True, timeout=60)


class TestBinding(unittest.TestCase):

    def test_override_is_loaded(self):
        # Without it the tests below would exercise PyGObject's default
        # behaviour and miss that the installed override is broken.
        self.assertEqual(Health.Monitor.__module__, 'gi.overrides.Health')
        self.assertEqual(Health.Operation.__module__, 'gi.overrides.Health')

    def test_get_default(self):
        monitor = Health.Monitor.get_default()
        self.assertIs(monitor, Health.Monitor.get_default())
        self.assertEqual(monitor.props.builtin, Health.Builtin.DEFAULT)
        self.assertFalse(monitor.props.active)

    def test_metrics_list_model(self):
        monitor = app_monitor()
        changes = []
        model = monitor.props.metrics
        self.assertIsInstance(model, Gio.ListModel)
        model.connect('items-changed', lambda m, pos, removed, added:
                      changes.append((removed, added)))

        self.assertTrue(monitor.add_metric(queue_metric()))
        self.assertEqual([m.props.id for m in model], ['queue-length'])
        self.assertIs(monitor.get_metric('queue-length'), model.get_item(0))
        self.assertIsNone(monitor.get_metric('no-such-metric'))
        self.assertTrue(monitor.remove_metric('queue-length'))
        self.assertFalse(monitor.remove_metric('queue-length'))
        self.assertEqual(changes, [(0, 1), (1, 0)])


class TestSampledMetric(unittest.TestCase):

    def test_value_and_user_data(self):
        monitor = app_monitor()
        metric = queue_metric()
        func = Values(42.5)
        self.assertTrue(monitor.add_sampled_metric(metric, func, 'data', 7))
        self.assertTrue(sample(monitor))
        self.assertEqual(metric.props.value, 42.5)
        self.assertEqual(metric.props.status, Health.Status.GOOD)
        self.assertEqual(func.calls, [(metric, ('data', 7))])

    def test_raising_function_makes_metric_unknown(self):
        monitor = app_monitor()
        broken = Health.Metric.new('broken', 'Broken', '', Health.Direction.ABOVE, 1, 2)
        healthy = queue_metric()

        def fail(metric):
            raise RuntimeError('the queue is gone')

        monitor.add_sampled_metric(broken, fail)
        monitor.add_sampled_metric(healthy, Values(10))
        for _ in range(2):
            sample(monitor)
            self.assertTrue(math.isnan(broken.props.value))
            self.assertEqual(broken.props.status, Health.Status.UNKNOWN)
            # The monitor goes on: the other metric is sampled.
            self.assertEqual(healthy.props.value, 10)
        self.assertEqual(broken.get_n_samples(), 0)

    def test_non_number_makes_metric_unknown(self):
        monitor = app_monitor()
        metric = queue_metric()
        monitor.add_sampled_metric(metric, Values(None))
        sample(monitor)
        self.assertEqual(metric.props.status, Health.Status.UNKNOWN)

    def test_failure_is_logged_once(self):
        child = run_child('''
            import gi
            gi.require_version('Health', '1')
            from gi.repository import GLib, Health
            monitor = Health.Monitor(builtin=Health.Builtin.NONE)
            metric = Health.Metric.new('broken', 'Broken', '', Health.Direction.ABOVE, 1, 2)
            def fail(metric):
                raise RuntimeError('the queue is gone')
            monitor.add_sampled_metric(metric, fail)
            for _ in range(3):
                loop = GLib.MainLoop()
                monitor.sample_async(None, lambda m, r: (m.sample_finish(r), loop.quit()))
                loop.run()
            print(metric.props.status.value_nick)
        ''')
        self.assertEqual(child.returncode, 0, child.stderr)
        self.assertEqual(child.stdout.strip(), 'unknown')
        self.assertEqual(child.stderr.count('Health-WARNING'), 1, child.stderr)
        self.assertIn('metric "broken"', child.stderr)
        self.assertIn('RuntimeError: the queue is gone', child.stderr)


class TestThresholds(unittest.TestCase):

    def assert_refused(self, metric, warning, critical):
        with self.assertRaises(GLib.Error) as caught:
            metric.set_thresholds(warning, critical)
        error = caught.exception
        self.assertEqual(error.domain, 'health-error-quark')
        self.assertEqual(error.code, Health.Error.INVALID_THRESHOLDS)
        self.assertTrue(error.matches(Health.error_quark(), Health.Error.INVALID_THRESHOLDS))
        # Nothing changed.
        self.assertEqual((metric.props.warning, metric.props.critical), (50, 100))

    def test_invalid_thresholds_raise(self):
        metric = queue_metric()
        self.assert_refused(metric, 100, 50)
        self.assert_refused(metric, math.nan, 100)
        self.assert_refused(metric, 50, math.inf)

    def test_below_direction(self):
        metric = Health.Metric.new('free-slots', 'Free Slots', 'slots',
                                   Health.Direction.BELOW, 10, 5)
        with self.assertRaises(GLib.Error):
            metric.set_thresholds(5, 10)
        self.assertTrue(metric.set_thresholds(20, 2))
        self.assertEqual((metric.props.warning, metric.props.critical), (20, 2))


class TestSignals(unittest.TestCase):

    def test_alert_recovered_status_changed(self):
        monitor = app_monitor()
        metric = queue_metric()
        monitor.add_sampled_metric(metric, Values(10, 120, 10))
        alerts, recovered, statuses, others = [], [], [], []
        monitor.connect('alert::queue-length', lambda m, alert: alerts.append(alert))
        monitor.connect('alert::some-other-metric', lambda m, alert: others.append(alert))
        monitor.connect('recovered::queue-length', lambda m, metric: recovered.append(metric))
        monitor.connect('status-changed', lambda m, old, new: statuses.append((old, new)))

        sample(monitor)
        self.assertEqual(alerts, [])
        good = monitor.props.status
        self.assertIn(good, (Health.Status.GOOD, Health.Status.EXCELLENT))
        self.assertEqual(statuses, [(Health.Status.UNKNOWN, good)])

        sample(monitor)
        self.assertEqual(len(alerts), 1)
        alert = alerts[0]
        self.assertIs(alert.props.metric, metric)
        self.assertEqual(alert.props.status, Health.Status.CRITICAL)
        self.assertEqual(alert.props.value, 120)
        self.assertEqual(alert.props.threshold, 100)
        self.assertTrue(alert.props.message.startswith('Queue Length = 120'), alert.props.message)
        self.assertGreater(alert.props.time, 0)
        # CRITICAL, or EMERGENCY since it got there on a rising trend.
        self.assertGreaterEqual(statuses[-1][1], Health.Status.CRITICAL)
        self.assertEqual(recovered, [])

        sample(monitor)
        self.assertEqual(recovered, [metric])
        self.assertGreaterEqual(statuses[-1][0], Health.Status.CRITICAL)
        self.assertLess(statuses[-1][1], Health.Status.WARNING)
        self.assertEqual(others, [])

    def test_memory_fixture(self):
        monitor = Health.Monitor(builtin=Health.Builtin.MEMORY_USAGE)
        self.assertTrue(monitor.props.proc_root.endswith('proc-memory95'), monitor.props.proc_root)
        alerts, low_memory = [], []
        monitor.connect('alert', lambda m, alert: alerts.append(alert))
        monitor.connect('low-memory', lambda m, status: low_memory.append(status))

        sample(monitor)
        metric = monitor.get_metric('memory-usage')
        self.assertEqual(metric.props.value, 95.0)
        self.assertEqual(metric.props.status, Health.Status.CRITICAL)
        self.assertEqual([a.props.message for a in alerts],
                         ['Memory Usage = 95.0 % (threshold 90.0 %, no trend yet)'])
        self.assertEqual(low_memory, [Health.Status.CRITICAL])
        self.assertGreaterEqual(monitor.props.status, Health.Status.CRITICAL)


class TestReports(unittest.TestCase):

    def setUp(self):
        self.monitor = app_monitor()
        self.metric = queue_metric(recommendation='Cancel the jobs nobody waits for')
        self.values = Values(42.5)
        self.monitor.add_sampled_metric(self.metric, self.values)
        self.unknown = Health.Metric.new('cache-size', 'Cache Size', 'bytes',
                                         Health.Direction.ABOVE, 1e9, 2e9)
        self.monitor.add_metric(self.unknown)
        sample(self.monitor)

    def test_summary(self):
        summary = self.monitor.get_summary()
        self.assertEqual(summary.get_type_string(), 'a{sv}')
        summary = summary.unpack()
        self.assertEqual(set(summary), {'overall_status', 'monitoring_active', 'metrics',
                                        'alerts', 'recommendations'})
        self.assertIs(summary['monitoring_active'], False)
        queue = summary['metrics']['queue-length']
        self.assertEqual(queue['value'], 42.5)
        self.assertEqual(queue['unit'], 'jobs')
        self.assertEqual(queue['status'], 'good')
        self.assertEqual((queue['threshold_warning'], queue['threshold_critical']), (50, 100))
        self.assertTrue(math.isnan(summary['metrics']['cache-size']['value']))

    def test_json(self):
        document = json.loads(self.monitor.to_json())
        self.assertEqual(document['metrics']['queue-length']['value'], 42.5)
        self.assertIsNone(document['metrics']['cache-size']['value'])
        self.assertEqual(document['overall_status'], self.monitor.get_summary().unpack()['overall_status'])

    def test_openmetrics(self):
        text = self.monitor.to_openmetrics()
        # Labels other than metric= (a host, say) may come and go.
        self.assertRegex(text, r'(?m)^health_queue_length(\{[^}]*\})? 42\.5$')
        self.assertRegex(text, r'(?m)^health_metric_status\{[^}]*metric="queue-length"[^}]*\} %d$'
                         % Health.Status.GOOD)
        self.assertRegex(text, r'(?m)^# TYPE health_status gauge$')
        self.assertEqual(text.splitlines()[-1], '# EOF')

    def test_recommendations(self):
        self.assertEqual(self.monitor.get_recommendations(), [])
        self.values.values = [70]
        sample(self.monitor)
        self.assertEqual(self.metric.props.status, Health.Status.WARNING)
        self.assertEqual(self.monitor.get_recommendations(), ['Cancel the jobs nobody waits for'])
        self.assertEqual(self.monitor.get_summary().unpack()['recommendations'],
                         ['Cancel the jobs nobody waits for'])

    def test_operation(self):
        operation = self.monitor.begin_operation('load a big file')
        self.assertEqual(operation.get_name(), 'load a big file')
        self.values.values = [60]
        sample(self.monitor)
        changes = operation.end()
        self.assertEqual(len(changes), 1, changes)
        self.assertTrue(changes[0].startswith('queue-length: '), changes)
        self.assertTrue(operation.is_ended())
        self.assertEqual(operation.end(), [])

    def test_operation_context_manager(self):
        with self.monitor.begin_operation('scope') as operation:
            self.assertFalse(operation.is_ended())
        self.assertTrue(operation.is_ended())

    def test_dup_history(self):
        # In a child: an array of boxed structs annotated (transfer full)
        # makes PyGObject 3.42 free the first element twice (an abort),
        # which must fail this test, not the whole suite.
        child = run_child('''
            import json
            import gi
            gi.require_version('Health', '1')
            from gi.repository import Health
            metric = Health.Metric.new('queue-length', 'Queue', 'jobs', Health.Direction.ABOVE, 50, 100)
            print(json.dumps([metric.dup_history() == []]))
            for value in (1, 2, 3):
                metric.update(value)
            history = metric.dup_history()
            print(json.dumps([type(s).__name__ for s in history]))
            print(json.dumps([[s.time_us, s.value] for s in history]))
            del history
        ''')
        self.assertEqual(child.returncode, 0,
                         'dup_history() killed the interpreter (%d); lib/health-metric.c '
                         'should annotate its return (transfer container)\n%s'
                         % (child.returncode, child.stderr))
        empty, types, samples = [json.loads(line) for line in child.stdout.splitlines()]
        self.assertEqual(empty, [True])
        self.assertEqual(types, ['Sample'] * 3)
        self.assertEqual([value for _, value in samples], [1, 2, 3])
        times = [time_us for time_us, _ in samples]
        self.assertEqual(times, sorted(times))
        self.assertGreater(times[0], 1_600_000_000 * 1_000_000)


class TestSampleAsync(unittest.TestCase):

    def test_finish(self):
        monitor = app_monitor()
        self.assertTrue(sample(monitor))

    def test_stop_cancels(self):
        monitor = app_monitor()
        results = []

        def done(source, result):
            try:
                results.append(source.sample_finish(result))
            except GLib.Error as error:
                results.append(error)

        monitor.sample_async(None, done)
        monitor.stop()
        self.assertTrue(run_until(lambda: results))
        self.assertIsInstance(results[0], GLib.Error)
        self.assertTrue(results[0].matches(Gio.io_error_quark(), Gio.IOErrorEnum.CANCELLED))

    def test_periodic(self):
        monitor = app_monitor()
        metric = queue_metric()
        monitor.add_sampled_metric(metric, Values(1, 2, 3))
        sampled = []
        monitor.connect('sampled', lambda m: sampled.append(metric.props.value))
        monitor.props.interval = 20
        monitor.start()
        self.assertTrue(monitor.props.active)
        self.assertTrue(run_until(lambda: len(sampled) >= 3))
        monitor.stop()
        self.assertFalse(monitor.props.active)
        self.assertEqual(sampled[:3], [1, 2, 3])


class TestTracking(unittest.TestCase):

    def test_track_object(self):
        monitor = app_monitor()
        obj = GObject.Object()
        monitor.track_object(obj)
        monitor.track_object(obj)
        self.assertEqual(monitor.get_n_tracked_objects(), 1)
        del obj
        self.assertEqual(monitor.get_n_tracked_objects(), 0)

    def test_track_any_python_object(self):
        # As the Python module did: anything weakly referenceable.
        class Dataset:
            pass

        monitor = app_monitor()
        data = Dataset()
        monitor.track_object(data)
        monitor.track_object(data)
        self.assertEqual(monitor.get_n_tracked_objects(), 1)
        del data
        self.assertEqual(monitor.get_n_tracked_objects(), 0)
        with self.assertRaisesRegex(TypeError, 'weakly referenced'):
            monitor.track_object(42)


class TestPythonic(unittest.TestCase):

    def test_metric_new_contradicting_thresholds_raises(self):
        with self.assertRaisesRegex(ValueError, 'must not be above the critical one'):
            Health.Metric.new('queue', 'Queue', 'jobs', Health.Direction.ABOVE, 100, 50)
        with self.assertRaisesRegex(ValueError, 'must not be below the critical one'):
            Health.Metric.new('free', 'Free', 'slots', Health.Direction.BELOW, 1, 5)
        with self.assertRaisesRegex(ValueError, 'not a valid metric id'):
            Health.Metric.new('Not An Id', 'Queue', 'jobs', Health.Direction.ABOVE, 1, 2)
        metric = Health.Metric.new('queue', 'Queue', 'jobs', Health.Direction.ABOVE, 50, 100)
        self.assertEqual((metric.props.warning, metric.props.critical), (50, 100))

    def test_summary_dict_has_the_original_names(self):
        monitor = Health.Monitor(builtin=Health.Builtin.MEMORY_USAGE | Health.Builtin.MEMORY_AVAILABLE
                                 | Health.Builtin.SWAP_USAGE)
        sample(monitor)
        summary = monitor.summary()
        self.assertIsInstance(summary, dict)
        self.assertEqual(set(summary), {'overall_status', 'monitoring_active', 'metrics',
                                        'alerts', 'recommendations'})
        self.assertEqual(set(summary['metrics']),
                         {'memory_usage_percent', 'memory_available_gb', 'swap_usage'})
        usage = summary['metrics']['memory_usage_percent']
        self.assertEqual(usage['value'], 95.0)
        self.assertEqual(usage['status'], 'critical')
        available = summary['metrics']['memory_available_gb']
        self.assertEqual(available['unit'], 'GB')
        self.assertAlmostEqual(available['threshold_warning'], 2.0)
        self.assertIn('memory_usage_percent', [alert['metric'] for alert in summary['alerts']])

    def test_with_operation_keeps_its_changes(self):
        monitor = app_monitor()
        queue = Health.Metric.new('queue', 'Queue', 'jobs', Health.Direction.ABOVE, 100, 200)
        monitor.add_metric(queue)
        queue.update(10)
        with monitor.begin_operation('enqueue') as operation:
            queue.update(150)
        self.assertEqual(operation.changes, ['queue: 10 jobs -> 150 jobs'])
        with monitor.begin_operation('nothing') as calm:
            queue.update(151)
        self.assertEqual(calm.changes, [])


if __name__ == '__main__':
    # Where meson does not run us: the source tree's fixture.
    os.environ.setdefault('HEALTH_PROC_ROOT',
                          os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'proc-memory95'))
    main()
