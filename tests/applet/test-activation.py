#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-activation.py SERVICE-FILE
#
# The bus starts health-applet on demand: a private session bus whose
# only service directory holds the applet's D-Bus activation file (a
# copy of data/applet's that runs the applet of the build tree), then a
# client calls org.freedesktop.Application.Activate on a name nobody
# owns. The bus must start `health-applet --gapplication-service`,
# which must own the name, answer the call and export its monitor, as a
# window or `gapplication launch` would find it.
#
# Run by meson with HEALTH_PROC_ROOT (a fixture), the schema and a
# stand-in for the window in the environment; the bus passes that
# environment on to what it activates. Bounded to about 30 seconds.

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from gi.repository import Gio, GLib

APP_ID = 'io.github.healthmonitor.Applet'
APP_PATH = '/io/github/healthmonitor/Applet'
MONITOR_PATH = '/io/github/healthmonitor/Monitor'
MONITOR_IFACE = 'io.github.healthmonitor.Monitor1'

failures = 0
checks = 0


def check(condition, what, detail=None):
    global failures, checks
    checks += 1
    print(('ok %d - ' if condition else 'not ok %d - ') % checks + what, flush=True)
    if not condition:
        failures += 1
        if detail is not None:
            for line in str(detail).splitlines()[:40]:
                print('# ' + line, flush=True)
    return condition


def main():
    service = os.path.abspath(sys.argv[1])
    daemon = shutil.which('dbus-daemon')
    if daemon is None:
        print('1..0 # SKIP dbus-daemon is not installed', flush=True)
        sys.exit(77)

    tmp = tempfile.mkdtemp(prefix='health-activation-')
    services = os.path.join(tmp, 'services')
    os.mkdir(services)
    shutil.copy(service, services)
    config = os.path.join(tmp, 'session.conf')
    with open(config, 'w') as f:
        f.write(f'''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{services}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
''')

    env = dict(os.environ)
    env.pop('DBUS_SESSION_BUS_ADDRESS', None)
    # The applet opens its window when no tray is there: a stand-in.
    env['HEALTH_APPLET_WINDOW'] = shutil.which('true')
    bus_log = open(os.path.join(tmp, 'bus.log'), 'w+')
    bus_process = subprocess.Popen(['timeout', '-k', '3', '40', daemon, '--nofork',
                                    '--print-address=1', f'--config-file={config}'],
                                   env=env, stdout=subprocess.PIPE, stderr=bus_log,
                                   text=True, start_new_session=True)
    applet_pid = None
    try:
        address = bus_process.stdout.readline().strip()
        bus = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)

        def dbus(method, args=None, reply=None):
            return bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                 'org.freedesktop.DBus', method, args,
                                 GLib.VariantType(reply) if reply else None,
                                 Gio.DBusCallFlags.NONE, 5000, None).unpack()

        def has_owner():
            return dbus('NameHasOwner', GLib.Variant('(s)', (APP_ID,)), '(b)')[0]

        check(APP_ID in dbus('ListActivatableNames', None, '(as)')[0],
              'the bus finds the activation file')
        check(not has_owner(), 'nobody owns the name yet')

        # What `gapplication launch` and a DBusActivatable launcher send.
        started = time.monotonic()
        try:
            bus.call_sync(APP_ID, APP_PATH, 'org.freedesktop.Application', 'Activate',
                          GLib.Variant('(a{sv})', ({},)), None,
                          Gio.DBusCallFlags.NONE, 20000, None)
            error = None
        except GLib.Error as e:
            error = e.message
        check(error is None, 'Activate starts the applet and is answered', error)
        print('# answered after %.1f s' % (time.monotonic() - started), flush=True)

        if check(has_owner(), 'the applet owns ' + APP_ID):
            applet_pid = dbus('GetConnectionUnixProcessID', GLib.Variant('(s)', (APP_ID,)),
                              '(u)')[0]
            with open(f'/proc/{applet_pid}/cmdline') as f:
                argv = f.read().split('\0')[:-1]
            check(os.path.basename(argv[0]) == 'health-applet' and
                  argv[1:] == ['--gapplication-service'],
                  'started as health-applet --gapplication-service', argv)

            xml = bus.call_sync(APP_ID, MONITOR_PATH, 'org.freedesktop.DBus.Introspectable',
                                'Introspect', None, GLib.VariantType('(s)'),
                                Gio.DBusCallFlags.NONE, 5000, None).unpack()[0]
            check(MONITOR_IFACE in xml, 'its monitor is exported at ' + MONITOR_PATH)

            # A second Activate reaches the running applet, no second one.
            bus.call_sync(APP_ID, APP_PATH, 'org.freedesktop.Application', 'Activate',
                          GLib.Variant('(a{sv})', ({},)), None,
                          Gio.DBusCallFlags.NONE, 5000, None)
            check(dbus('GetConnectionUnixProcessID', GLib.Variant('(s)', (APP_ID,)),
                       '(u)')[0] == applet_pid, 'a second Activate reaches the same applet')

            os.kill(applet_pid, signal.SIGTERM)
            deadline = time.monotonic() + 10
            while has_owner() and time.monotonic() < deadline:
                time.sleep(0.1)
            check(not has_owner(), 'SIGTERM ends it, and the name is released')
            applet_pid = None
    finally:
        if applet_pid is not None:
            try:
                os.kill(applet_pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        if bus_process.poll() is None:
            os.killpg(bus_process.pid, signal.SIGTERM)
            try:
                bus_process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(bus_process.pid, signal.SIGKILL)
                bus_process.wait()
        bus_log.seek(0)
        log = bus_log.read()
        if failures and log:
            print('# the bus said:\n' + '\n'.join('# ' + line for line in log.splitlines()[-30:]),
                  flush=True)
        bus_log.close()
        shutil.rmtree(tmp, ignore_errors=True)

    print('1..%d' % checks, flush=True)
    sys.exit(1 if failures else 0)


if __name__ == '__main__':
    main()
