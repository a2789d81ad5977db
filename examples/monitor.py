#!/usr/bin/python3
# SPDX-License-Identifier: CC0-1.0
#
# A Python app watching its own garbage collector with libhealth: the
# "GC collections per hour" metric of the Python monitor that libhealth
# ports, added to a monitor of the built-in system metrics, with every
# alert printed and low memory answered by a collection.
#
#   ./monitor.py                    # until Ctrl+C, one sample every 30 s
#   ./monitor.py --samples 3 --interval 100 --churn
#
# --churn makes garbage on purpose, so the collector runs often enough
# to alert.

import argparse
import gc
import math
import sys
import time

import gi
gi.require_version('Health', '1')
from gi.repository import GLib, Health  # noqa: E402


class GcRate:
    """Garbage collections per hour since the previous sample.

    The Python monitor scaled the collections of one interval by the
    nominal interval; here the scale is the time that really passed, so
    the rate stays right for a sample taken early (sample_async) or late
    (a busy main loop).
    """

    def __init__(self):
        self._count = self._collections()
        self._time = time.monotonic()

    @staticmethod
    def _collections():
        return sum(generation['collections'] for generation in gc.get_stats())

    def __call__(self, metric):
        count, now = self._collections(), time.monotonic()
        elapsed = now - self._time
        if elapsed <= 0:
            return math.nan  # two samples in one clock tick: no rate
        rate = (count - self._count) * 3600 / elapsed
        self._count, self._time = count, now
        return rate


def make_garbage():
    # Reference cycles: only the cyclic collector frees them.
    for _ in range(20000):
        node = {}
        node['self'] = node


def main():
    parser = argparse.ArgumentParser(description='Watch this process\'s garbage collector with libhealth.')
    parser.add_argument('--samples', type=int, default=0,
                        help='exit after this many samples (default: run until interrupted)')
    parser.add_argument('--interval', type=int, default=30000,
                        help='milliseconds between samples (default: 30000)')
    parser.add_argument('--churn', action='store_true',
                        help='make garbage before every sample')
    args = parser.parse_args()

    monitor = Health.Monitor.new()
    monitor.props.interval = args.interval

    gc_rate = Health.Metric.new('gc-collections-per-hour', 'GC Collections/Hour',
                                'collections', Health.Direction.ABOVE, 100, 300)
    gc_rate.props.recommendation = 'Many garbage collections: look for objects made and dropped in a loop'
    monitor.add_sampled_metric(gc_rate, GcRate())

    # The Python monitor's "emergency cleanup", done when the library says so.
    monitor.connect('low-memory', lambda monitor, status: gc.collect())

    def on_alert(monitor, alert):
        print('ALERT %s: %s' % (alert.props.status.value_nick, alert.props.message), flush=True)

    def on_recovered(monitor, metric):
        print('RECOVERED %s' % metric.props.label, flush=True)

    monitor.connect('alert', on_alert)
    monitor.connect('recovered', on_recovered)

    loop = GLib.MainLoop()
    samples = 0

    def on_sampled(monitor):
        nonlocal samples
        samples += 1
        print('sample %d: %s = %s, overall %s'
              % (samples, gc_rate.props.label, gc_rate.format_value(gc_rate.props.value),
                 Health.status_to_string(monitor.props.status)), flush=True)
        if args.samples and samples >= args.samples:
            monitor.stop()
            loop.quit()
        elif args.churn:
            make_garbage()

    monitor.connect('sampled', on_sampled)

    if args.churn:
        make_garbage()
    monitor.start()
    try:
        loop.run()
    except KeyboardInterrupt:
        monitor.stop()

    for line in monitor.get_recommendations():
        print('RECOMMENDATION %s' % line)
    return 0


if __name__ == '__main__':
    sys.exit(main())
