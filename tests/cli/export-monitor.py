#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# export-monitor.py NAME [--hostile | --failing]
#
# Exports a monitor whose memory is 95 % used (the proc-memory95 fixture,
# through HEALTH_PROC_ROOT) on the session bus under NAME, for
# `health-monitor status --bus`; prints "ready" once the name is owned.
# It also has a metric of its own process (tracked-objects, critical
# from 0 objects on) and one of the app (queue-length), as an app that
# embeds libhealth does.
#
# --hostile adds an app metric, critical, whose label, unit and
# recommendation are full of what a terminal obeys: escape sequences, C1
# controls, bidi overrides, line breaks. --failing exports no monitor but
# an object at its path whose every method fails with such a message.
import os
import sys

import gi
gi.require_version("Health", "1")
from gi.repository import Gio, GLib, Health

HOSTILE_LABEL = "\x1b]0;pwned\x07Queue\u202e\x1b[2J"
HOSTILE_UNIT = "jobs\u009b31m\u2066"
HOSTILE_RECOMMENDATION = "Drain it\n\x1b[8mhidden\x1b[0m\r\tnow\u200b"
HOSTILE_ERROR = "\x1b]0;pwned\x07\u009b2J\nforged line"
OBJECT_PATH = "/io/github/healthmonitor/Monitor"

name = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else None
loop = GLib.MainLoop()


def export_monitor(connection):
    monitor = Health.Monitor(builtin=Health.Builtin.MEMORY_USAGE | Health.Builtin.MEMORY_AVAILABLE
                             | Health.Builtin.TRACKED_OBJECTS)
    monitor.set_property("interval", 200)
    monitor.get_metric("tracked-objects").set_thresholds(-2, -1)
    length = Health.Metric.new("queue-length", "Queue Length", "jobs", Health.Direction.ABOVE, 10, 20)
    monitor.add_metric(length)
    length.update(3)
    if mode == "--hostile":
        queue = Health.Metric.new("queue", HOSTILE_LABEL, HOSTILE_UNIT,
                                  Health.Direction.ABOVE, 10, 20)
        queue.set_property("recommendation", HOSTILE_RECOMMENDATION)
        monitor.add_metric(queue)
        queue.update(25)
    monitor.export(connection, OBJECT_PATH)
    monitor.start()
    return monitor


def export_failing(connection):
    xml = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data",
                       "io.github.healthmonitor.Monitor1.xml")
    with open(xml) as f:
        info = Gio.DBusNodeInfo.new_for_xml(f.read()).interfaces[0]

    def on_call(_connection, _sender, _path, _interface, _method, _args, invocation):
        invocation.return_dbus_error("org.example.Hostile.Error", HOSTILE_ERROR)

    connection.register_object(OBJECT_PATH, info, on_call, None, None)


exported = []


def on_bus(connection, _name):
    if mode == "--failing":
        export_failing(connection)
    else:
        exported.append(export_monitor(connection))


def on_name(_connection, _name):
    print("ready", flush=True)


def on_lost(_connection, _name):
    loop.quit()


Gio.bus_own_name(Gio.BusType.SESSION, name, Gio.BusNameOwnerFlags.NONE, on_bus, on_name, on_lost)
GLib.timeout_add_seconds(30, loop.quit)
loop.run()
