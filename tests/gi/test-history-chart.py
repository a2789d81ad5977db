#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# HealthGtk.HistoryChart from Python, fed by a real Health.Journal: a
# monitor records an app metric into a journal in a temporary directory,
# the journal's points go to the chart as query_finish() returns them,
# and the chart's read-out tells their envelope. Needs a display:
# tests/gi/meson.build runs it under `xvfb-run -a`. Output is TAP.

import os
import tempfile
import unittest

import gi
gi.require_version('Gtk', '4.0')
gi.require_version('Health', '1')
gi.require_version('HealthGtk', '1')
from gi.repository import GLib, Gtk, Health, HealthGtk  # noqa: E402

from gitap import main, run_until  # noqa: E402


def finish(start, finish_func):
    """Runs an _async method and returns what its _finish returns."""
    results = []
    start(lambda source, result: results.append(finish_func(result)))
    if not run_until(lambda: results):
        raise AssertionError('never called back')
    return results[0]


class TestHistoryChart(unittest.TestCase):

    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.journal = Health.Journal.new(os.path.join(self.tmp.name, 'journal.db'))
        self.monitor = Health.Monitor(builtin=Health.Builtin.NONE)
        self.metric = Health.Metric.new('queue-length', 'Queue Length', 'jobs',
                                        Health.Direction.ABOVE, 50, 100)
        values = iter([10, 120, 10, 50])
        self.monitor.add_sampled_metric(self.metric, lambda metric: next(values))
        self.monitor.set_journal(self.journal)
        for _ in range(4):
            finish(lambda cb: self.monitor.sample_async(None, cb), self.monitor.sample_finish)
        self.assertTrue(finish(lambda cb: self.journal.flush_async(None, cb), self.journal.flush_finish))
        self.now = GLib.get_real_time()

    def tearDown(self):
        self.tmp.cleanup()

    def query(self, max_points):
        return finish(lambda cb: self.journal.query_async('queue-length', self.now - 3600 * 10**6,
                                                          self.now, max_points, None, cb),
                      self.journal.query_finish)

    def show(self, chart):
        window = Gtk.Window(default_width=480, default_height=240)
        window.set_child(chart)
        frames = []
        window.present()
        window.add_tick_callback(lambda widget, clock: frames.append(clock) or GLib.SOURCE_REMOVE)
        self.assertTrue(run_until(lambda: chart.get_mapped() and frames), 'the chart was never drawn')
        return window

    def readout(self, chart):
        child = chart.get_first_child()
        while child is not None and not child.has_css_class('readout'):
            child = child.get_next_sibling()
        self.assertIsInstance(child, Gtk.Label)
        return child.get_label() if child.get_child_visible() else None

    def test_points_and_properties(self):
        points = self.query(0)
        self.assertEqual([p.mean for p in points], [10, 120, 10, 50])

        chart = HealthGtk.HistoryChart.new()
        notified = []
        chart.connect('notify', lambda obj, pspec: notified.append(pspec.name))

        chart.props.metric = self.metric
        chart.set_points(points)
        chart.set_range(self.now - 3600 * 10**6, self.now)
        self.assertIs(chart.get_metric(), self.metric)
        self.assertEqual(chart.props.n_points, 4)
        self.assertEqual((chart.props.from_us, chart.props.to_us), (self.now - 3600 * 10**6, self.now))
        self.assertEqual(chart.get_from_us(), self.now - 3600 * 10**6)
        self.assertEqual(sorted(notified), ['from-us', 'metric', 'n-points', 'to-us'])

        # The points are copied: the list may go.
        del points
        window = self.show(chart)

        chart.set_points(None)
        self.assertEqual(chart.get_n_points(), 0)
        window.destroy()

    def test_readout_of_an_envelope(self):
        # One point for the whole hour: the journal merges the four
        # samples into their envelope and mean.
        points = self.query(1)
        self.assertEqual(len(points), 1)

        chart = HealthGtk.HistoryChart(metric=self.metric)
        chart.set_points(points)
        window = self.show(chart)

        self.assertIsNone(self.readout(chart))
        self.assertTrue(chart.activate_action('history-chart.last', None))
        self.assertTrue(run_until(lambda: self.readout(chart)))
        self.assertTrue(self.readout(chart).endswith('\n47.5 jobs (10 jobs – 120 jobs)'),
                        self.readout(chart))

        self.assertTrue(chart.activate_action('history-chart.hide-readout', None))
        self.assertTrue(run_until(lambda: self.readout(chart) is None))
        window.destroy()


if __name__ == '__main__':
    main()
