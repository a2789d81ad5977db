#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Health.Journal from Python: a monitor records into it, and the query
# API gives lists of Health.JournalPoint and Health.JournalAlert with
# their fields. Output is TAP.

import os
import tempfile
import unittest

import gi

gi.require_version('Health', '1')
from gi.repository import Gio, GLib, Health  # noqa: E402

from gitap import main, run_until  # noqa: E402


def finish(start, finish_func):
    """Runs an _async method and returns what its _finish returns."""
    results = []

    def done(source, result):
        try:
            results.append(finish_func(result))
        except GLib.Error as error:
            results.append(error)

    start(done)
    if not run_until(lambda: results):
        raise AssertionError('never called back')
    if isinstance(results[0], GLib.Error):
        raise results[0]
    return results[0]


class Values:
    def __init__(self, *values):
        self.values = list(values)

    def __call__(self, metric, *user_data):
        return self.values.pop(0) if len(self.values) > 1 else self.values[0]


class TestJournal(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.tmp.name, 'history', 'journal.db')

    def tearDown(self):
        self.tmp.cleanup()

    def recorded_journal(self):
        journal = Health.Journal.new(self.path)
        monitor = Health.Monitor(builtin=Health.Builtin.NONE)
        metric = Health.Metric.new('queue-length', 'Queue Length', 'jobs',
                                   Health.Direction.ABOVE, 50, 100)
        monitor.add_sampled_metric(metric, Values(10, 120, 10))
        monitor.set_journal(journal)
        self.assertIs(monitor.get_journal(), journal)
        for _ in range(3):
            finish(lambda cb: monitor.sample_async(None, cb), monitor.sample_finish)
        self.assertTrue(finish(lambda cb: journal.flush_async(None, cb), journal.flush_finish))
        return journal

    def test_query_points(self):
        journal = self.recorded_journal()
        now = GLib.get_real_time()
        points = finish(lambda cb: journal.query_async('queue-length', now - 3600 * 10**6, now, 0, None, cb),
                        journal.query_finish)
        self.assertEqual([p.mean for p in points], [10, 120, 10])
        self.assertTrue(all(isinstance(p, Health.JournalPoint) for p in points))
        self.assertTrue(all(p.min == p.mean == p.max for p in points))
        self.assertTrue(points[0].time_us < points[1].time_us < points[2].time_us <= now)

    def test_max_points_envelope(self):
        journal = self.recorded_journal()
        now = GLib.get_real_time()
        points = finish(lambda cb: journal.query_async('queue-length', now - 60 * 10**6, now, 1, None, cb),
                        journal.query_finish)
        self.assertEqual(len(points), 1)
        self.assertEqual((points[0].min, points[0].max), (10, 120))
        self.assertAlmostEqual(points[0].mean, 140 / 3)

    def test_query_alerts(self):
        journal = self.recorded_journal()
        alerts = finish(lambda cb: journal.query_alerts_async(0, GLib.MAXINT64, None, cb),
                        journal.query_alerts_finish)
        self.assertEqual([(a.metric_id, a.status, a.value) for a in alerts],
                         [('queue-length', Health.Status.CRITICAL, 120),
                          ('queue-length', Health.Status.GOOD, 10)])
        self.assertIn('Queue Length', alerts[0].message)

    def test_unknown_metric(self):
        journal = self.recorded_journal()
        with self.assertRaises(GLib.Error) as caught:
            finish(lambda cb: journal.query_async('nope', 0, GLib.MAXINT64, 0, None, cb),
                   journal.query_finish)
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND))

    def test_read_only_and_properties(self):
        with self.assertRaises(GLib.Error) as caught:
            Health.Journal.new_read_only(self.path)
        self.assertTrue(caught.exception.matches(Gio.io_error_quark(), Gio.IOErrorEnum.NOT_FOUND))
        self.recorded_journal()
        reader = Health.Journal.new_read_only(self.path)
        self.assertTrue(reader.props.read_only)
        self.assertEqual(reader.props.path, self.path)
        self.assertEqual(reader.props.max_size, Health.JOURNAL_DEFAULT_MAX_SIZE)
        reader.props.max_size = 1 << 20
        self.assertEqual(reader.get_max_size(), 1 << 20)


if __name__ == '__main__':
    main()
