#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A stand-in for a notification server (org.freedesktop.Notifications)
# that records what it is sent. Imported by test-applet.py, which runs
# one in its own process; run on its own, it is the server that hangs:
# it answers the capability probe and the server information, and then
# never answers Notify, which must not hang the applet. It prints
# "ready" once it owns the name and "notify SUMMARY" for each Notify it
# leaves unanswered.

import sys

from gi.repository import Gio, GLib

NAME = 'org.freedesktop.Notifications'
PATH = '/org/freedesktop/Notifications'

NOTIFY_XML = '''<node><interface name="org.freedesktop.Notifications">
  <method name="GetCapabilities"><arg type="as" direction="out"/></method>
  <method name="GetServerInformation"><arg type="s" direction="out"/><arg type="s" direction="out"/>
    <arg type="s" direction="out"/><arg type="s" direction="out"/></method>
  <method name="Notify"><arg type="s" direction="in"/><arg type="u" direction="in"/>
    <arg type="s" direction="in"/><arg type="s" direction="in"/><arg type="s" direction="in"/>
    <arg type="as" direction="in"/><arg type="a{sv}" direction="in"/><arg type="i" direction="in"/>
    <arg type="u" direction="out"/></method>
  <method name="CloseNotification"><arg type="u" direction="in"/></method>
  <signal name="NotificationClosed"><arg type="u"/><arg type="u"/></signal>
  <signal name="ActionInvoked"><arg type="u"/><arg type="s"/></signal>
</interface></node>'''


class Server:
    """Serves the interface on `connection` and owns the name. Notify
    calls are kept in `notifications` (their arguments) and the ids they
    were given in `ids`, closed ids in `closed`. With hang=True, Notify
    and CloseNotification are never answered."""

    def __init__(self, connection, hang=False, on_notify=None):
        self.connection = connection
        self.hang = hang
        self.on_notify = on_notify
        self.notifications = []
        self.ids = []
        self.closed = []
        self.unanswered = []      # held, never returned: the caller times out
        connection.register_object(PATH, Gio.DBusNodeInfo.new_for_xml(NOTIFY_XML).interfaces[0],
                                   self._on_call, None, None)
        # DBUS_NAME_FLAG_DO_NOT_QUEUE; 1 is DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER.
        reply = connection.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                     'org.freedesktop.DBus', 'RequestName',
                                     GLib.Variant('(su)', (NAME, 4)), GLib.VariantType('(u)'),
                                     Gio.DBusCallFlags.NONE, -1, None)
        if reply.unpack()[0] != 1:
            raise RuntimeError('could not own ' + NAME)

    def _on_call(self, connection, sender, path, iface, method, params, invocation):
        if method == 'GetCapabilities':
            invocation.return_value(GLib.Variant('(as)', (['body', 'body-markup', 'actions'],)))
        elif method == 'GetServerInformation':
            invocation.return_value(GLib.Variant('(ssss)', ('fake', 'test', '1', '1.2')))
        elif self.hang:
            self.unanswered.append(invocation)
            if method == 'Notify' and self.on_notify:
                self.on_notify(params.unpack())
        elif method == 'Notify':
            args = params.unpack()
            self.notifications.append(args)
            # A replacement keeps its id, as the specification has it.
            self.ids.append(args[1] or len(self.notifications))
            invocation.return_value(GLib.Variant('(u)', (self.ids[-1],)))
        else:
            self.closed.append(params.unpack()[0])
            invocation.return_value(None)

    def invoke_action(self, nid, action):
        """ActionInvoked, to every client, as some servers send it."""
        self.connection.emit_signal(None, PATH, NAME, 'ActionInvoked',
                                    GLib.Variant('(us)', (nid, action)))


def main():
    bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
    try:
        Server(bus, hang=True, on_notify=lambda args: print('notify', args[3], flush=True))
    except RuntimeError as e:
        sys.exit(str(e))
    print('ready', flush=True)
    GLib.MainLoop().run()


if __name__ == '__main__':
    main()
