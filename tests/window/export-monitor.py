#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Stands in for health-applet: a real monitor (on HEALTH_PROC_ROOT),
# exported where the applet exports it, under the applet's bus name.
# Prints "ready" once the name is owned, so the test starts the window
# only when there is something to mirror.
#
# --hold: own the name but export nothing until a line comes on stdin
# (then print "exported"): a window connecting meanwhile fails, and the
# test sees what its Retry button does afterwards.
# --interval MS: sample that often (default the library's 30 s).
# --system: the system metrics only, as the applet has them.
# --disk-path PATH: the disk to watch (default the working directory).
# --hostile: also an app metric whose label and unit carry what a
# terminal or a bidi renderer would obey.

import argparse
import sys

import gi

gi.require_version('Health', '1')
from gi.repository import Gio, GLib, Health  # noqa: E402

BUS_NAME = 'io.github.healthmonitor.Applet'
OBJECT_PATH = '/io/github/healthmonitor/Monitor'

parser = argparse.ArgumentParser()
parser.add_argument('--hold', action='store_true')
parser.add_argument('--interval', type=int)
parser.add_argument('--system', action='store_true')
parser.add_argument('--disk-path')
parser.add_argument('--hostile', action='store_true')
args = parser.parse_args()

if args.system:
    monitor = Health.Monitor(builtin=Health.Builtin.SYSTEM)
else:
    monitor = Health.Monitor.new()
if args.interval:
    monitor.props.interval = args.interval
if args.disk_path:
    monitor.props.disk_path = args.disk_path
if args.hostile:
    hostile = Health.Metric.new('hostile', 'Evil\x1b[31m \u202eLabel', 'u\x1b]0;pwned\x07',
                                Health.Direction.ABOVE, 50, 80)
    monitor.add_metric(hostile)
    hostile.update(42)
connection = Gio.bus_get_sync(Gio.BusType.SESSION, None)


def export():
    monitor.export(connection, OBJECT_PATH)
    monitor.start()


def on_stdin(channel, condition):
    channel.readline()
    export()
    print('exported', flush=True)
    return GLib.SOURCE_REMOVE


if args.hold:
    GLib.io_add_watch(GLib.IOChannel.unix_new(sys.stdin.fileno()), GLib.PRIORITY_DEFAULT,
                      GLib.IOCondition.IN, on_stdin)
else:
    export()

# DBUS_NAME_FLAG_DO_NOT_QUEUE; 1 is DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER.
reply = connection.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                             'org.freedesktop.DBus', 'RequestName',
                             GLib.Variant('(su)', (BUS_NAME, 4)),
                             GLib.VariantType('(u)'), Gio.DBusCallFlags.NONE, -1, None)
if reply.unpack()[0] != 1:
    sys.exit('could not own ' + BUS_NAME)

print('ready', flush=True)
GLib.MainLoop().run()
