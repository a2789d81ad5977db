#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# health-applet on a private session bus (dbus-run-session with
# session.conf): the monitor is exported, the tray item and its menu
# are served, a fake StatusNotifierWatcher sees it register (and again
# after a "panel restart"), the window is started with the documented
# arguments, and the applet lives on without a notification server.
#
# Run by meson with HEALTH_APPLET (the binary) and HEALTH_PROC_ROOT (a
# fixture with 95 % of memory used) in the environment.

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

from gi.repository import Gio, GLib

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
import fake_notification_server  # noqa: E402

APPLET = os.environ['HEALTH_APPLET']
APP_ID = 'io.github.healthmonitor.Applet'
MONITOR_PATH = '/io/github/healthmonitor/Monitor'
SNI = 'org.kde.StatusNotifierItem'

bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
tmpdir = tempfile.mkdtemp(prefix='health-applet-test-')
window_log = os.path.join(tmpdir, 'window.log')
failures = 0


def check(condition, what):
    global failures
    print(('ok - ' if condition else 'not ok - ') + what, flush=True)
    if not condition:
        failures += 1
    return condition


def spin(seconds):
    ctx = GLib.MainContext.default()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while ctx.pending():
            ctx.iteration(False)
        time.sleep(0.02)


def wait_for(predicate, timeout=10.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return True
        except GLib.Error:
            pass
        spin(0.1)
    return False


def call(dest, path, iface, method, args=None, reply=None):
    return bus.call_sync(dest, path, iface, method, args,
                         GLib.VariantType(reply) if reply else None,
                         Gio.DBusCallFlags.NONE, 5000, None).unpack()


def get_prop(path, iface, name):
    return call(APP_ID, path, 'org.freedesktop.DBus.Properties', 'Get',
                GLib.Variant('(ss)', (iface, name)), '(v)')[0]


def name_owner(name):
    try:
        return call('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                    'GetNameOwner', GLib.Variant('(s)', (name,)), '(s)')[0]
    except GLib.Error:
        return None


def window_calls():
    if not os.path.exists(window_log):
        return []
    with open(window_log) as f:
        return [line.split()[1:] for line in f.read().splitlines()]


def window_running():
    if not os.path.exists(window_log):
        return False
    with open(window_log) as f:
        pids = [int(line.split()[0]) for line in f.read().splitlines()]
    for pid in pids:
        try:
            os.kill(pid, 0)
            # A zombie is gone for our purpose.
            with open('/proc/%d/stat' % pid) as stat:
                if stat.read().split(')')[-1].split()[0] != 'Z':
                    return True
        except (OSError, IndexError):
            pass
    return False


# A stand-in for health-applet-window: records its arguments, runs
# until terminated.
fake_window = os.path.join(tmpdir, 'fake-window')
with open(fake_window, 'w') as f:
    f.write('#!/bin/sh\necho "$$ $@" >> %s\nexec sleep 600\n' % window_log)
os.chmod(fake_window, 0o755)
os.environ['HEALTH_APPLET_WINDOW'] = fake_window


def start_applet(*args):
    log = open(os.path.join(tmpdir, 'applet-%d.log' % time.monotonic_ns()), 'w+')
    proc = subprocess.Popen([APPLET, '--interval=200'] + list(args),
                            stdout=log, stderr=subprocess.STDOUT)
    proc.log = log
    check(wait_for(lambda: name_owner(APP_ID) is not None), 'applet owns ' + APP_ID)
    return proc


def applet_output(proc):
    proc.log.flush()
    proc.log.seek(0)
    return proc.log.read()


def stop_applet(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
    try:
        rc = proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        rc = None
    check(rc == 0, 'applet exits cleanly (%r)' % rc)
    wait_for(lambda: name_owner(APP_ID) is None, 5)


def monitor_status():
    return get_prop(MONITOR_PATH, 'io.github.healthmonitor.Monitor1', 'Status')


# 1. --version
out = subprocess.run([APPLET, '--version'], capture_output=True, text=True)
check(out.returncode == 0 and out.stdout.startswith('health-applet '), '--version')

# An interval the monitor refuses is a usage error, never a GLib critical
# (G_DEBUG=fatal-criticals would make that a crash).
for value in ('5', '0', '-3', '86400001', '99999999999', 'abc', ''):
    try:
        out = subprocess.run([APPLET, '--no-tray', '--interval=' + value],
                             capture_output=True, text=True, timeout=10)
        rc, err = out.returncode, out.stderr
    except subprocess.TimeoutExpired:
        rc, err = None, 'still running after 10 s'
    check(rc == 2 and '--interval' in err and '10' in err and '86400000' in err
          and 'CRITICAL' not in err,
          '--interval=%s exits 2 with a usage message (%r, %r)' % (value, rc, err))

# Without a session bus there is nothing to export the monitor on, show
# the tray item through, or notify: an error, not a silent success.
def run_without_bus(env_changes, what):
    env = dict(os.environ)
    env.pop('DBUS_SESSION_BUS_ADDRESS', None)
    env.pop('DISPLAY', None)
    env.update(env_changes)
    try:
        out = subprocess.run([APPLET, '--no-tray'], capture_output=True, text=True,
                             env=env, timeout=10)
        rc, err = out.returncode, out.stderr
    except subprocess.TimeoutExpired:
        rc, err = None, 'still running after 10 s'
    check(rc not in (0, None) and 'session bus' in err and 'CRITICAL' not in err,
          'no session bus (%s): exits non-zero with a message (%r, %r)' % (what, rc, err))


dead_socket = os.path.join(tmpdir, 'dead-bus')
open(dead_socket, 'w').close()
empty_runtime = tempfile.mkdtemp(prefix='runtime-', dir=tmpdir)
run_without_bus({'DBUS_SESSION_BUS_ADDRESS': 'unix:path=' + dead_socket,
                 'XDG_RUNTIME_DIR': empty_runtime}, 'a dead socket')
run_without_bus({'XDG_RUNTIME_DIR': empty_runtime}, 'unset, no X')

# 2. --no-tray: the monitor is exported, no tray item, no window.
applet = start_applet('--no-tray')
check(wait_for(lambda: monitor_status() >= 4), 'monitor exported and critical on the memory95 fixture')
metrics = call(APP_ID, MONITOR_PATH, 'io.github.healthmonitor.Monitor1', 'GetMetrics')[0]
check(any(m[0] == 'memory-usage' and m[1]['status'] >= 4 for m in metrics),
      'memory-usage is critical over D-Bus')
# The applet describes the machine: its own process figures (its memory,
# threads, main loop latency...) would drive the tray and notifications
# by what watching costs, not by the machine's health.
check(metrics and all(m[1]['scope'] == 0 for m in metrics)
      and not any(m[0] in ('process-memory', 'main-loop-latency', 'monitor-cost') for m in metrics),
      'only system metrics are watched and exported: %r'
      % sorted((m[0], m[1]['scope']) for m in metrics if m[1]['scope'] != 0))
try:
    get_prop('/StatusNotifierItem', SNI, 'Status')
    check(False, '--no-tray exports no StatusNotifierItem')
except GLib.Error:
    check(True, '--no-tray exports no StatusNotifierItem')
spin(1.0)
check(window_calls() == [], '--no-tray opens no window')
check(applet.poll() is None, 'alive after an alert without a notification server')
out = applet_output(applet)
check(out.count('No notification server') == 1, 'one warning about the notification server')
stop_applet(applet)

# 3. Tray, no watcher: the item is served and the window opens instead.
applet = start_applet()
check(wait_for(lambda: get_prop('/StatusNotifierItem', SNI, 'Status') == 'NeedsAttention'),
      'Status becomes NeedsAttention')
props = call(APP_ID, '/StatusNotifierItem', 'org.freedesktop.DBus.Properties', 'GetAll',
             GLib.Variant('(s)', (SNI,)), '(a{sv})')[0]
check(props['Category'] == 'SystemServices', 'Category SystemServices')
check(props['IconName'] in ('health-critical-symbolic', 'health-emergency-symbolic'),
      'IconName follows the status (%s)' % props['IconName'])
check(os.path.exists(os.path.join(props['IconThemePath'], 'hicolor', 'scalable', 'status',
                                  props['IconName'] + '.svg')),
      'IconThemePath holds the icon uninstalled (%s)' % props['IconThemePath'])
check(props['Menu'] == '/MenuBar' and props['ItemIsMenu'] is False, 'Menu /MenuBar, ItemIsMenu false')
tooltip = props['ToolTip']
check('Critical' in tooltip[2] and 'Memory Usage' in tooltip[3], 'tooltip names the status and memory')
# One line per condition, the worst first, its metrics the worst first.
lines = tooltip[3].split('\n')
check(len(lines) == 2 and lines[0].startswith('Memory is running out: Memory Usage 95.0')
      and 'Available Memory' in lines[0] and lines[1].startswith('The system is swapping: Swap Usage'),
      'the tooltip speaks per condition: %r' % tooltip[3])
check(wait_for(lambda: len(window_calls()) == 1), 'no watcher: the window opens')
check(window_calls()[:1] == [['--bus-name', APP_ID, '--object-path', MONITOR_PATH]],
      'window arguments %r' % window_calls()[:1])

# Activate toggles the window: the first closes it, the second opens it.
running = window_running
call(APP_ID, '/StatusNotifierItem', SNI, 'Activate', GLib.Variant('(ii)', (0, 0)))
check(wait_for(lambda: not running()), 'Activate closes the open window')
call(APP_ID, '/StatusNotifierItem', SNI, 'Activate', GLib.Variant('(ii)', (0, 0)))
check(wait_for(lambda: len(window_calls()) == 2), 'Activate opens it again')

# 4. A watcher appears: the item registers with the applet's unique name,
# and again when the watcher restarts.
WATCHER_XML = '''<node><interface name="org.kde.StatusNotifierWatcher">
  <method name="RegisterStatusNotifierItem"><arg name="service" type="s" direction="in"/></method>
</interface></node>'''
registrations = []


def on_watcher_call(connection, sender, path, iface, method, params, invocation):
    registrations.append((sender, params.unpack()[0]))
    invocation.return_value(None)


def start_watcher():
    conn = Gio.DBusConnection.new_for_address_sync(
        Gio.dbus_address_get_for_bus_sync(Gio.BusType.SESSION, None),
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None, None)
    info = Gio.DBusNodeInfo.new_for_xml(WATCHER_XML).interfaces[0]
    conn.register_object('/StatusNotifierWatcher', info, on_watcher_call, None, None)
    conn.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus',
                   'RequestName', GLib.Variant('(su)', ('org.kde.StatusNotifierWatcher', 4)),
                   None, Gio.DBusCallFlags.NONE, 5000, None)
    return conn


watcher = start_watcher()
owner = name_owner(APP_ID)
check(wait_for(lambda: len(registrations) == 1), 'the item registers when a watcher appears')
check(registrations[:1] == [(owner, owner)], 'registered with its unique name %r' % registrations[:1])
watcher.close_sync(None)
spin(0.5)
watcher = start_watcher()
check(wait_for(lambda: len(registrations) == 2), 'the item registers again after a watcher restart')
check(len(window_calls()) == 2, 'a watcher restart opens no window')

# 5. The menu: Pause, then Quit, over com.canonical.dbusmenu.
layout = call(APP_ID, '/MenuBar', 'com.canonical.dbusmenu', 'GetLayout',
              GLib.Variant('(iias)', (0, -1, [])))
items = {child[1].get('label', ''): child[0] for child in layout[1][2]}
check(all(label in items for label in ('Show Details', 'Pause', 'Preferences', 'Quit')),
      'menu items %r' % sorted(items))


def click(item_id):
    call(APP_ID, '/MenuBar', 'com.canonical.dbusmenu', 'Event',
         GLib.Variant('(isvu)', (item_id, 'clicked', GLib.Variant('i', 0), 0)))


click(items['Pause'])
check(wait_for(lambda: get_prop(MONITOR_PATH, 'io.github.healthmonitor.Monitor1', 'Active') is False),
      'Pause stops the monitor')
click(items['Preferences'])
check(wait_for(lambda: ['--preferences'] == window_calls()[-1][-1:]), 'Preferences opens the window with --preferences')
click(items['Quit'])
try:
    rc = applet.wait(10)
except subprocess.TimeoutExpired:
    rc = None
check(rc == 0, 'Quit quits (%r)' % rc)
check(wait_for(lambda: not running()), 'Quit closes the windows')
stop_applet(applet)
watcher.close_sync(None)

# 6. A notification server: one critical notification about memory,
# with the actions, and not again within the cooldown.
notify_conn = Gio.DBusConnection.new_for_address_sync(
    Gio.dbus_address_get_for_bus_sync(Gio.BusType.SESSION, None),
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
    None, None)
server = fake_notification_server.Server(notify_conn)
notifications = server.notifications
closed = server.closed
# Process names are anybody's to choose: the one the notification names
# as the culprit must show literally, escaped for a body-markup server.
proc_root = os.path.join(tmpdir, 'proc')
shutil.copytree(os.environ['HEALTH_PROC_ROOT'], proc_root)
with open(os.path.join(proc_root, '200', 'comm'), 'w') as f:
    f.write('<b>hog&</b>\n')
os.environ['HEALTH_PROC_ROOT'] = proc_root
applet = start_applet('--no-tray')
MEMORY_TITLE = 'Memory is running out'
check(wait_for(lambda: any(n[3] == MEMORY_TITLE for n in notifications)),
      'a notification "%s"' % MEMORY_TITLE)
spin(2.0)
memory = [n for n in notifications if n[3] == MEMORY_TITLE]
check(len(memory) == 1, 'shown once within the cooldown (%d)' % len(memory))
if memory:
    app_name, replaces, icon, summary, body, actions, hints, timeout = memory[0]
    check(hints.get('urgency') == 2, 'urgency critical (%r)' % hints.get('urgency'))
    check(actions[0::2] == ['default', 'snooze'], 'actions %r' % actions)
    check(body.startswith('Memory Usage = 95.0 %') and 'Available Memory' in body,
          'body is the worst metric\'s alert message, then the other one: %r' % body)
    check('Largest user: &lt;b&gt;hog&amp;&lt;/b&gt;, PID 200, ' in body and '<b>' not in body,
          'the culprit\'s name is escaped for body-markup: %r' % body)
    check(icon.endswith('health-critical-symbolic.svg') or icon == 'health-critical-symbolic',
          'icon %r' % icon)
check(applet_output(applet).count('No notification server') == 0, 'no warning with a server')
# The swap culprit calls itself "evil) (name": the PID is still found.
swap = [n for n in notifications if n[3] == 'The system is swapping']
check(swap and 'Largest user: evil) (name, PID 100, ' in swap[0][4],
      'a culprit with parentheses in its name is named with its PID: %r' % swap[:1])

# The actions come back as the server's signals, to every client: only
# the applet's own ids count.
invoke = server.invoke_action
if memory:
    nid = server.ids[notifications.index(memory[0])]
    opened = len(window_calls())
    invoke(nid + 1000, 'default')
    invoke(nid, 'default')
    check(wait_for(lambda: len(window_calls()) == opened + 1), 'Open Details opens the window once')
    invoke(nid + 1000, 'snooze')
    invoke(nid, 'snooze')
    check(wait_for(lambda: closed == [nid]), 'Snooze closes that notification: %r' % closed)
stop_applet(applet)
notify_conn.close_sync(None)

# 7. Memory recovers in two steps: the condition's notification stays
# while one of its metrics is still bad, and closes once all are good.
def write_meminfo(root, total_kb, available_kb):
    lines = open(os.path.join(os.environ['HEALTH_PROC_ROOT'], 'meminfo')).read().splitlines()
    values = {'MemTotal:': total_kb, 'MemAvailable:': available_kb}
    text = '\n'.join('%-16s%8d kB' % (l.split()[0], values[l.split()[0]])
                     if l.split()[0] in values else l for l in lines) + '\n'
    # Replaced, not rewritten in place: a sample never reads half a file.
    with open(os.path.join(root, 'meminfo.new'), 'w') as f:
        f.write(text)
    os.rename(os.path.join(root, 'meminfo.new'), os.path.join(root, 'meminfo'))


recovery_root = os.path.join(tmpdir, 'proc-recovery')
shutil.copytree(os.environ['HEALTH_PROC_ROOT'], recovery_root)
os.environ['HEALTH_PROC_ROOT'] = recovery_root
notify_conn = Gio.DBusConnection.new_for_address_sync(
    Gio.dbus_address_get_for_bus_sync(Gio.BusType.SESSION, None),
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
    None, None)
server = fake_notification_server.Server(notify_conn)
applet = start_applet('--no-tray')
check(wait_for(lambda: any(n[3] == MEMORY_TITLE for n in server.notifications)),
      'memory: notified')
nid = next((i for i, n in zip(server.ids, server.notifications) if n[3] == MEMORY_TITLE), None)
# 72 % used (good), 439 MiB available: still critical, as it was, so no
# new alert comes for it.
write_meminfo(recovery_root, 1600000, 450000)


def memory_updates():
    return [n for n in server.notifications if n[1] == nid and n[3] == MEMORY_TITLE]


# Replaced in place (same id) by one that says what is still wrong, and
# no longer repeats the recovered metric's alert.
check(wait_for(lambda: any(n[4].startswith('Available Memory') for n in memory_updates())),
      'the memory notification is updated in place for what is still bad: %r'
      % [n[4] for n in server.notifications if n[3] == MEMORY_TITLE])
updated = [n for n in memory_updates() if n[4].startswith('Available Memory')]
if updated:
    check('Memory Usage' not in updated[-1][4],
          'and no longer names Memory Usage: %r' % updated[-1][4])
    check(updated[-1][6].get('urgency') == 2, 'still critical (%r)' % updated[-1][6].get('urgency'))
# 62.5 % used (good), 1.4 GiB available (warning).
write_meminfo(recovery_root, 4000000, 1500000)
check(wait_for(lambda: get_prop(MONITOR_PATH, 'io.github.healthmonitor.Monitor1', 'Status') == 3),
      'memory-usage back to good, memory-available at warning')
spin(1.0)
check(nid not in server.closed, 'the memory notification stays while Available Memory is bad (%r)'
      % server.closed)
# 25 % used, 2.9 GiB available: all good (swap is still at warning).
write_meminfo(recovery_root, 4000000, 3000000)
check(wait_for(lambda: nid in server.closed), 'and closes once both are good (%r)' % server.closed)
check(len(server.closed) == 1, 'the swap notification stays (%r)' % server.closed)
stop_applet(applet)
notify_conn.close_sync(None)

# 8. A notification server that takes the capability probe and then
# never answers Notify: the applet's main loop goes on, it answers on
# the bus at once and keeps sampling while its notification waits.
hung_log = os.path.join(tmpdir, 'hung-server.log')
hung = subprocess.Popen(['/usr/bin/python3', fake_notification_server.__file__],
                        stdout=open(hung_log, 'w'), stderr=subprocess.STDOUT)


def hung_output():
    with open(hung_log) as f:
        return f.read()


check(wait_for(lambda: 'ready' in hung_output()), 'the hung notification server is up')
applet = start_applet('--no-tray')
check(wait_for(lambda: 'notify ' in hung_output(), 15),
      'the applet sent a notification the server never answers')
samples = []
sampled_id = bus.signal_subscribe(APP_ID, 'io.github.healthmonitor.Monitor1', 'Sampled',
                                  MONITOR_PATH, None, Gio.DBusSignalFlags.NONE,
                                  lambda *args: samples.append(time.monotonic()), None)
slowest = 0.0
answered = 0
for _ in range(6):
    start = time.monotonic()
    try:
        bus.call_sync(APP_ID, MONITOR_PATH, 'io.github.healthmonitor.Monitor1', 'GetMetrics',
                      None, GLib.VariantType('(a(sa{sv}))'), Gio.DBusCallFlags.NONE, 1000, None)
        answered += 1
    except GLib.Error as e:
        print('# GetMetrics: ' + e.message, flush=True)
    slowest = max(slowest, time.monotonic() - start)
    spin(0.5)
bus.signal_unsubscribe(sampled_id)
check(answered == 6, 'GetMetrics answered within 1 s while Notify hangs (%d of 6, slowest %.2f s)'
      % (answered, slowest))
check(len(samples) >= 5, 'sampling goes on while Notify hangs (%d samples in 3 s at 200 ms)'
      % len(samples))
check(applet.poll() is None, 'alive with a hung notification server')
stop_applet(applet)
hung.terminate()
hung.wait(5)

# 9. Text from elsewhere reaches the tooltip and the notifications clean:
# a disk path (the user's setting) with an escape sequence, a C1 control
# and a bidi override. The disk is made critical by its thresholds.
def gsettings_set(env, key, value):
    out = subprocess.run(['gsettings', 'set', APP_ID, key, value], env=env,
                         capture_output=True, text=True)
    check(out.returncode == 0, 'gsettings set %s (%s)' % (key, out.stderr.strip()))


if shutil.which('gsettings') is None:
    print('ok - text from elsewhere is clean # SKIP no gsettings', flush=True)
else:
    env = dict(os.environ, GSETTINGS_BACKEND='keyfile', XDG_CONFIG_HOME=os.path.join(tmpdir, 'config'))
    evil_dir = os.path.join(tmpdir, 'disk\x1b[31m\u202eevil\u009b2J')
    os.makedirs(evil_dir)
    gsettings_set(env, 'disk-path', "'%s'" % evil_dir)
    gsettings_set(env, 'thresholds', "{'disk-usage': (0.0, 0.001)}")
    notify_conn = Gio.DBusConnection.new_for_address_sync(
        Gio.dbus_address_get_for_bus_sync(Gio.BusType.SESSION, None),
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None, None)
    server = fake_notification_server.Server(notify_conn)
    saved = dict(os.environ)
    os.environ.update(env)
    applet = start_applet()
    os.environ.clear()
    os.environ.update(saved)

    def disk_notification():
        return [n for n in server.notifications if n[3] == 'The disk is filling up']

    check(wait_for(disk_notification), 'a notification about the disk')
    check(wait_for(lambda: 'Disk Usage' in get_prop('/StatusNotifierItem', SNI, 'ToolTip')[3]),
          'the tooltip names the disk')
    tooltip = get_prop('/StatusNotifierItem', SNI, 'ToolTip')
    texts = [tooltip[2], tooltip[3]] + [t for n in disk_notification() for t in (n[3], n[4])]
    dirty = [t for t in texts
             if any(c in t for c in ('\x1b', '\u202e', '\u009b', '&#x1b;', '&#x9b;'))]
    check(not dirty, 'no control or bidi character in the tooltip or notifications: %r' % dirty)
    check(any('evil' in t for t in texts if 'Disk' in t), 'the path is still named: %r' % texts)
    stop_applet(applet)
    notify_conn.close_sync(None)

# 10. The applet records its history into $XDG_STATE_HOME (written at
# least at exit), and not when record-history is off.
def journal_rows(path):
    import sqlite3
    db = sqlite3.connect('file:%s?mode=ro' % path, uri=True)
    try:
        return db.execute('SELECT COUNT (*) FROM raw').fetchone()[0]
    finally:
        db.close()


if shutil.which('gsettings') is None:
    print('ok - the applet records history # SKIP no gsettings', flush=True)
else:
    for record in (True, False):
        state = os.path.join(tmpdir, 'state-%s' % record)
        env = dict(os.environ, GSETTINGS_BACKEND='keyfile', XDG_STATE_HOME=state,
                   XDG_CONFIG_HOME=os.path.join(tmpdir, 'config-%s' % record))
        gsettings_set(env, 'record-history', 'true' if record else 'false')
        saved = dict(os.environ)
        os.environ.update(env)
        applet = start_applet()
        os.environ.clear()
        os.environ.update(saved)
        spin(1.5)
        stop_applet(applet)
        journal = os.path.join(state, 'health-monitor', 'journal.db')
        if record:
            check(os.path.exists(journal) and journal_rows(journal) >= 3,
                  'the applet records samples in its journal')
        else:
            check(not os.path.exists(journal), 'no journal with record-history off')

print('1..%d failures' % failures if failures else 'all passed')
sys.exit(1 if failures else 0)
