#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# HealthGtk-1 from Python: a HealthGtk.MonitorView in a GTK 4 window, the
# "three lines embed it in any app" promise of DESIGN.md, shown until it
# is mapped, then sampled once more so it redraws. Needs a display:
# tests/gi/meson.build runs it under `xvfb-run -a`. Output is TAP.

import os
import unittest

import gi
gi.require_version('Gtk', '4.0')
gi.require_version('Health', '1')
gi.require_version('HealthGtk', '1')
from gi.repository import GLib, Gtk, Health, HealthGtk  # noqa: E402

from gitap import main, run_until  # noqa: E402


def sample(monitor):
    results = []
    monitor.sample_async(None, lambda m, result: results.append(m.sample_finish(result)))
    if not run_until(lambda: results):
        raise AssertionError('sample_async() never called back')
    return results[0]


def fixture_monitor():
    # memory-usage from the fixture (95 %, critical) and an app metric,
    # so the view shows a bad and a good row.
    monitor = Health.Monitor(builtin=Health.Builtin.MEMORY_USAGE)
    queue = Health.Metric.new('queue-length', 'Queue Length', 'jobs',
                              Health.Direction.ABOVE, 50, 100)
    values = iter(range(10, 1000, 5))
    monitor.add_sampled_metric(queue, lambda metric: next(values))
    return monitor


class TestWidgets(unittest.TestCase):

    def test_monitor_view_in_window(self):
        monitor = fixture_monitor()
        sample(monitor)

        view = HealthGtk.MonitorView.new(monitor)
        self.assertIs(view.props.monitor, monitor)
        window = Gtk.Window(title='Health', default_width=480, default_height=360)
        window.set_child(view)

        mapped = []
        view.connect('map', lambda widget: mapped.append(widget))
        window.present()
        self.assertTrue(run_until(lambda: mapped), 'the view was never mapped')

        # A sample while shown: the view redraws on ::sampled.
        self.assertTrue(sample(monitor))
        frames = []
        window.add_tick_callback(lambda widget, clock: frames.append(clock) or GLib.SOURCE_REMOVE)
        self.assertTrue(run_until(lambda: frames), 'no frame after the sample')

        window.destroy()
        self.assertTrue(run_until(lambda: not window.get_mapped()))

    def test_sparkline_metric_property(self):
        metric = Health.Metric.new('queue-length', 'Queue Length', 'jobs',
                                   Health.Direction.ABOVE, 50, 100)
        sparkline = HealthGtk.Sparkline(metric=metric)
        self.assertIs(sparkline.props.metric, metric)

        # Given only the metric, the sparkline follows the monitor it
        # names: nothing to set on the widget.
        self.assertIsNone(metric.props.monitor)
        monitor = Health.Monitor(builtin=Health.Builtin.NONE)
        monitor.add_metric(metric)
        self.assertIs(sparkline.props.metric.props.monitor, monitor)
        self.assertIs(metric.get_monitor(), monitor)
        monitor.remove_metric('queue-length')
        self.assertIsNone(metric.props.monitor)


if __name__ == '__main__':
    os.environ.setdefault('HEALTH_PROC_ROOT',
                          os.path.join(os.path.dirname(__file__), '..', 'fixtures', 'proc-memory95'))
    main()
