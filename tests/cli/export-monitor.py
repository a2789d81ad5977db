#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Exports a monitor whose memory is 95 % used (the proc-memory95 fixture,
# through HEALTH_PROC_ROOT) on the session bus under NAME, for
# `health-monitor status --bus`; prints "ready" once the name is owned.
# It also has a metric of its own process (tracked-objects, critical
# from 0 objects on) and one of the app (queue-length), as an app that
# embeds libhealth does.
import sys

import gi
gi.require_version("Health", "1")
from gi.repository import Gio, GLib, Health

name = sys.argv[1]
loop = GLib.MainLoop()
monitor = Health.Monitor(builtin=Health.Builtin.MEMORY_USAGE | Health.Builtin.MEMORY_AVAILABLE
                         | Health.Builtin.TRACKED_OBJECTS)
monitor.set_property("interval", 200)
monitor.get_metric("tracked-objects").set_thresholds(-2, -1)
queue = Health.Metric.new("queue-length", "Queue Length", "jobs", Health.Direction.ABOVE, 10, 20)
monitor.add_metric(queue)
queue.update(3)


def on_bus(connection, _name):
    monitor.export(connection, "/io/github/healthmonitor/Monitor")
    monitor.start()


def on_name(_connection, _name):
    print("ready", flush=True)


def on_lost(_connection, _name):
    loop.quit()


Gio.bus_own_name(Gio.BusType.SESSION, name, Gio.BusNameOwnerFlags.NONE, on_bus, on_name, on_lost)
GLib.timeout_add_seconds(30, loop.quit)
loop.run()
