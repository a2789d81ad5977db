#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A private desktop session for end-to-end tests of the tray applet.

Under `xvfb-run -a` and `dbus-run-session`, with a private HOME and XDG
directories in a temporary directory:

- xfce4-panel --disable-wm-check, configured through xfconf (xfconfd is
  D-Bus activated and reads the per-channel XML written here) with one
  panel holding the "systray" plugin, which in 4.18 is both the
  org.kde.StatusNotifierWatcher and a StatusNotifierHost;
- dunst with a minimal dunstrc, as org.freedesktop.Notifications;
- dbus-monitor capturing Notify calls (and the server's replies, to learn
  the ids), parsed here.

The bus is started with its own configuration whose only activatable
service is xfconfd: the stock session configuration would D-Bus-activate
dunst as soon as anything calls org.freedesktop.Notifications, which makes
"no notification server" impossible to test.

Used as a module by test-applet.py and bench/footprint/, and on its own:

    session.py check          start panel and dunst, verify, print timings
    session.py run -- CMD...  run CMD inside a session with panel and dunst

Exit status 77 (skip) when a needed program is missing.
"""

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

SKIP = 77

WATCHER = 'org.kde.StatusNotifierWatcher'
NOTIFICATIONS = 'org.freedesktop.Notifications'

REQUIRED_PROGRAMS = ['xvfb-run', 'xauth', 'dbus-run-session', 'dbus-monitor',
                     'xfce4-panel', 'dunst', 'xdotool']

XFCONFD_CANDIDATES = [
    '/usr/lib/x86_64-linux-gnu/xfce4/xfconf/xfconfd',
    '/usr/lib/aarch64-linux-gnu/xfce4/xfconf/xfconfd',
    '/usr/libexec/xfce4/xfconf/xfconfd',
    '/usr/lib/xfce4/xfconf/xfconfd',
]

PANEL_XML = '''<?xml version="1.0" encoding="UTF-8"?>
<channel name="xfce4-panel" version="1.0">
  <property name="configver" type="int" value="2"/>
  <property name="panels" type="array">
    <value type="int" value="1"/>
    <property name="panel-1" type="empty">
      <property name="position" type="string" value="p=6;x=0;y=0"/>
      <property name="length" type="uint" value="100"/>
      <property name="position-locked" type="bool" value="true"/>
      <property name="size" type="uint" value="26"/>
      <property name="icon-size" type="uint" value="16"/>
      <property name="plugin-ids" type="array">
        <value type="int" value="1"/>
      </property>
    </property>
  </property>
  <property name="plugins" type="empty">
    <property name="plugin-1" type="string" value="systray">
      <property name="square-icons" type="bool" value="true"/>
    </property>
  </property>
</channel>
'''

DUNSTRC = '''[global]
    monitor = 0
    follow = none
    font = Monospace 8
    markup = full
    format = "<b>%s</b>\\n%b"
    show_indicators = no
    history_length = 20

[urgency_low]
    timeout = 10

[urgency_normal]
    timeout = 10

[urgency_critical]
    timeout = 0
'''

BUS_CONF = '''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <keep_umask/>
  <listen>unix:tmpdir={tmp}</listen>
  <auth>EXTERNAL</auth>
  <servicedir>{servicedir}</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
  <limit name="service_start_timeout">30000</limit>
  <limit name="auth_timeout">60000</limit>
</busconfig>
'''


def log(*args):
    print('#', *args, file=sys.stderr, flush=True)


def missing_programs(extra=()):
    return [p for p in list(REQUIRED_PROGRAMS) + list(extra) if shutil.which(p) is None]


def find_xfconfd():
    for path in XFCONFD_CANDIDATES:
        if os.access(path, os.X_OK):
            return path
    try:
        with open('/usr/share/dbus-1/services/org.xfce.Xfconf.service') as f:
            for line in f:
                if line.startswith('Exec='):
                    path = line[5:].split()[0]
                    if os.access(path, os.X_OK):
                        return path
    except OSError:
        pass
    return None


# ---------------------------------------------------------------------------
# Outer half: private directories, bus configuration, xvfb-run + dbus-run-session

def slow(seconds):
    """@seconds, stretched for builds that run everything a few times
    slower: build-aux/hardening.sh sets HEALTH_TEST_TIME_FACTOR for its
    sanitizer runs, as it passes meson a --timeout-multiplier."""
    return seconds * float(os.environ.get('HEALTH_TEST_TIME_FACTOR', '1'))


def private_environ(tmp):
    """A copy of the environment whose HOME and XDG directories are new
    ones under tmp."""
    dirs = {
        'HOME': 'home',
        'XDG_CONFIG_HOME': 'home/.config',
        'XDG_DATA_HOME': 'home/.local/share',
        'XDG_CACHE_HOME': 'home/.cache',
        'XDG_STATE_HOME': 'home/.local/state',
        'XDG_RUNTIME_DIR': 'runtime',
    }
    env = dict(os.environ)
    for var, rel in dirs.items():
        path = os.path.join(tmp, rel)
        os.makedirs(path, mode=0o700, exist_ok=True)
        env[var] = path
    return env


def run_in_process_group(cmd, env, on_line=None):
    """Run cmd in a process group of its own, forwarding SIGTERM and
    SIGINT to it, passing each line of its standard output to on_line if
    given; once it exits, kill whatever it left in its group. Returns its
    exit status."""
    proc = subprocess.Popen(cmd, env=env, start_new_session=True,
                            stdout=subprocess.PIPE if on_line else None,
                            text=True if on_line else None)

    def forward(signum, frame):
        try:
            os.killpg(proc.pid, signum)
        except ProcessLookupError:
            pass
    signal.signal(signal.SIGTERM, forward)
    signal.signal(signal.SIGINT, forward)
    if on_line:
        for line in proc.stdout:
            on_line(line.rstrip('\n'))
    rc = proc.wait()
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return rc


def run_cases(cases, run_case, skip_reason=lambda case: None):
    """The outer loop of a test with cases that each need a session of
    their own: run_case(case, on_line) runs one and returns its exit
    status; its TAP lines are renumbered into one plan, tagged with the
    case. skip_reason(case) names why a case cannot run here, or None.
    Returns meson's status: 0, 1, or SKIP when nothing ran."""
    number = failed = ran = 0
    case = None

    def on_line(line):
        nonlocal number
        if line.startswith('ok - ') or line.startswith('not ok - '):
            number += 1
            status, _, rest = line.partition(' - ')
            print('%s %d - [%s] %s' % (status, number, case, rest), flush=True)
        elif line.startswith('1..'):
            print('# ' + line, flush=True)
        else:
            print(line, flush=True)

    for case in cases:
        why = skip_reason(case)
        if why:
            if len(cases) == 1:
                print('1..0 # SKIP %s' % why, flush=True)
                return SKIP
            number += 1
            print('ok %d - [%s] # SKIP %s' % (number, case, why), flush=True)
            continue
        print('# case %s' % case, flush=True)
        start = time.monotonic()
        rc = run_case(case, on_line)
        print('# case %s: status %d in %.1f s' % (case, rc, time.monotonic() - start), flush=True)
        if rc == SKIP:
            continue
        ran += 1
        if rc != 0:
            failed += 1
        if rc not in (0, 1):
            # A crash of the session itself still shows as a failed subtest.
            number += 1
            print('not ok %d - [%s] session exited with status %d' % (number, case, rc),
                  flush=True)
    print('1..%d' % number, flush=True)
    if failed:
        return 1
    return 0 if ran else SKIP


def run_inside(argv, extra_programs=(), on_line=None):
    """Re-run argv under xvfb-run -a and dbus-run-session with a private
    HOME and XDG directories; return its exit status. Call it from the
    outer process; the inner one sees E2E_SESSION_DIR set. With on_line,
    each line of the inner standard output is passed to it instead."""
    missing = missing_programs(extra_programs)
    if missing:
        print('1..0 # SKIP missing: ' + ' '.join(missing), flush=True)
        return SKIP
    xfconfd = find_xfconfd()
    if xfconfd is None:
        print('1..0 # SKIP xfconfd (package xfconf) not found', flush=True)
        return SKIP

    tmp = tempfile.mkdtemp(prefix='health-e2e-')
    try:
        env = private_environ(tmp)

        chan = os.path.join(env['XDG_CONFIG_HOME'], 'xfce4', 'xfconf', 'xfce-perchannel-xml')
        os.makedirs(chan)
        with open(os.path.join(chan, 'xfce4-panel.xml'), 'w') as f:
            f.write(PANEL_XML)
        os.makedirs(os.path.join(env['XDG_CONFIG_HOME'], 'dunst'))
        with open(os.path.join(env['XDG_CONFIG_HOME'], 'dunst', 'dunstrc'), 'w') as f:
            f.write(DUNSTRC)

        servicedir = os.path.join(tmp, 'dbus-services')
        os.makedirs(servicedir)
        with open(os.path.join(servicedir, 'org.xfce.Xfconf.service'), 'w') as f:
            f.write('[D-BUS Service]\nName=org.xfce.Xfconf\nExec=%s\n' % xfconfd)
        busconf = os.path.join(tmp, 'session.conf')
        with open(busconf, 'w') as f:
            f.write(BUS_CONF.format(tmp=tmp, servicedir=servicedir))

        for var in ('DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'WAYLAND_DISPLAY',
                    'XAUTHORITY', 'SESSION_MANAGER', 'DESKTOP_AUTOSTART_ID',
                    'XDG_SESSION_TYPE', 'XDG_CURRENT_DESKTOP'):
            env.pop(var, None)
        env.update({
            'E2E_SESSION_DIR': tmp,
            'GDK_BACKEND': 'x11',
            'GSK_RENDERER': 'cairo',
            'GTK_A11Y': 'none',
            'NO_AT_BRIDGE': '1',
            'GSETTINGS_BACKEND': 'memory',
            'LANGUAGE': 'C',
            'LC_ALL': 'C.UTF-8',
        })

        cmd = ['xvfb-run', '-a', '-s', '-screen 0 1280x1024x24 -nolisten tcp',
               'dbus-run-session', '--config-file=' + busconf, '--'] + list(argv)
        # xvfb-run kills Xvfb, dbus-run-session the bus; strays of ours
        # are killed with the process group.
        return run_in_process_group(cmd, env, on_line)
    finally:
        if os.environ.get('E2E_KEEP_TMP'):
            log('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------
# Inner half: the peers

class Notification:
    def __init__(self, sender, serial, args):
        self.sender = sender
        self.serial = serial
        self.args = args
        (self.app_name, self.replaces_id, self.app_icon, self.summary,
         self.body, self.actions, self.hints, self.expire_timeout) = (
            args + [None] * 8)[:8]
        self.id = None          # from the server's reply

    @property
    def urgency(self):
        return (self.hints or {}).get('urgency')

    def mentions(self, word):
        text = '%s\n%s' % (self.summary or '', self.body or '')
        return word.lower() in text.lower()

    def __repr__(self):
        return ('Notify(app=%r replaces=%r id=%r summary=%r body=%r urgency=%r actions=%r)'
                % (self.app_name, self.replaces_id, self.id, self.summary, self.body,
                   self.urgency, self.actions))


_HEADER = re.compile(r'^(method call|method return|signal|error) ')
_FIELD = re.compile(r'(\w+)=(\S+?)(?:;|$|\s)')


def _parse_value(lines, i):
    """Parse one dbus-monitor value starting at lines[i]; return (value, next)."""
    line = lines[i].strip()
    if line.startswith('string "'):
        text = line[len('string "'):]
        # Strings are printed raw, newlines included: join until the closing quote.
        while not text.endswith('"') and i + 1 < len(lines) and not _looks_like_value(lines[i + 1]):
            i += 1
            text += '\n' + lines[i]
        return text[:-1] if text.endswith('"') else text, i + 1
    m = re.match(r'^(u?int(?:16|32|64)|byte|double|boolean)\s+(\S+)', line)
    if m:
        kind, raw = m.groups()
        if kind == 'boolean':
            return raw == 'true', i + 1
        if kind == 'double':
            return float(raw), i + 1
        return int(raw), i + 1
    if line.startswith('variant'):
        rest = line[len('variant'):].strip()
        sub = [rest] + lines[i + 1:]
        value, used = _parse_value(sub, 0)
        return value, i + used
    if line.startswith('object path "') or line.startswith('signature "'):
        return line.split('"', 1)[1].rstrip('"'), i + 1
    if line.startswith('array ['):
        if line.endswith(']'):
            return [], i + 1
        items, i = [], i + 1
        is_dict = False
        while i < len(lines) and lines[i].strip() != ']':
            if lines[i].strip() == 'dict entry(':
                is_dict = True
                key, i = _parse_value(lines, i + 1)
                val, i = _parse_value(lines, i)
                while i < len(lines) and lines[i].strip() != ')':
                    i += 1
                items.append((key, val))
                i += 1
            else:
                val, i = _parse_value(lines, i)
                items.append(val)
        return (dict(items) if is_dict else items), i + 1
    if line.startswith('struct {'):
        items, i = [], i + 1
        while i < len(lines) and lines[i].strip() != '}':
            val, i = _parse_value(lines, i)
            items.append(val)
        return tuple(items), i + 1
    if line.startswith('file descriptor'):
        i += 1
        while i < len(lines) and lines[i].strip() not in ('',) and ':' in lines[i]:
            i += 1
        return None, i
    return line, i + 1


_VALUE_START = re.compile(r'^\s+(string "|u?int(16|32|64) |byte |double |boolean |variant|'
                          r'array \[|\]|dict entry\(|\)|struct \{|\}|object path "|signature ")')


def _looks_like_value(line):
    return bool(_VALUE_START.match(line))


def parse_monitor_output(text):
    """Return a list of (header_fields, [args]) for each message printed by dbus-monitor."""
    messages = []
    cur = None
    for line in text.split('\n'):
        if _HEADER.match(line):
            cur = (line, [])
            messages.append(cur)
        elif cur is not None:
            cur[1].append(line)
    out = []
    for header, body in messages:
        fields = dict(_FIELD.findall(header))
        fields['type'] = _HEADER.match(header).group(1)
        args, i = [], 0
        while i < len(body):
            if body[i].strip() == '':
                i += 1
                continue
            val, i = _parse_value(body, i)
            args.append(val)
        out.append((fields, args))
    return out


class NotifyMonitor:
    """dbus-monitor on Notify calls and on the server's replies."""

    def __init__(self, path, server_unique_name=None):
        self.path = path
        rules = ["type='method_call',interface='%s',member='Notify'" % NOTIFICATIONS]
        if server_unique_name:
            rules.append("type='method_return',sender='%s'" % server_unique_name)
        self.out = open(path, 'w')
        self.proc = subprocess.Popen(['dbus-monitor', '--session'] + rules,
                                     stdout=self.out, stderr=subprocess.STDOUT)
        # dbus-monitor prints its own NameAcquired/NameLost once it is a monitor.
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:
            with open(path) as f:
                if 'NameLost' in f.read():
                    break
            time.sleep(0.05)

    def notifications(self):
        with open(self.path, errors='replace') as f:
            msgs = parse_monitor_output(f.read())
        calls = []
        by_serial = {}
        for fields, args in msgs:
            if fields['type'] == 'method call' and fields.get('member') == 'Notify':
                n = Notification(fields.get('sender'), fields.get('serial'), args)
                calls.append(n)
                by_serial[(fields.get('sender'), fields.get('serial'))] = n
            elif fields['type'] == 'method return':
                n = by_serial.get((fields.get('destination'), fields.get('reply_serial')))
                if n is not None and args:
                    n.id = args[0]
        return calls

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.out.close()


class Session:
    """The inner half: run inside run_inside()."""

    def __init__(self):
        self.dir = os.environ.get('E2E_SESSION_DIR')
        if not self.dir or 'DBUS_SESSION_BUS_ADDRESS' not in os.environ:
            raise RuntimeError('Session() outside run_inside()')
        import gi
        gi.require_version('Gio', '2.0')
        from gi.repository import Gio, GLib
        self.Gio, self.GLib = Gio, GLib
        self.bus = Gio.bus_get_sync(Gio.BusType.SESSION, None)
        self.panel = None
        self.dunst = None
        self.monitors = []
        self.children = []
        self.logdir = os.path.join(self.dir, 'logs')
        os.makedirs(self.logdir, exist_ok=True)

    # D-Bus helpers -----------------------------------------------------------

    def call(self, dest, path, iface, method, args=None, reply=None, timeout=5000):
        GLib = self.GLib
        params = None
        if args is not None:
            params = args if isinstance(args, GLib.Variant) else GLib.Variant(*args)
        rtype = GLib.VariantType.new(reply) if reply else None
        res = self.bus.call_sync(dest, path, iface, method, params, rtype,
                                 self.Gio.DBusCallFlags.NONE, timeout, None)
        return res.unpack() if res is not None else None

    def dbus(self, method, args=None, reply=None):
        return self.call('org.freedesktop.DBus', '/org/freedesktop/DBus',
                         'org.freedesktop.DBus', method, args, reply)

    def name_has_owner(self, name):
        return self.dbus('NameHasOwner', ('(s)', (name,)), '(b)')[0]

    def name_owner(self, name):
        try:
            return self.dbus('GetNameOwner', ('(s)', (name,)), '(s)')[0]
        except self.GLib.Error:
            return None

    def name_pid(self, name):
        try:
            return self.dbus('GetConnectionUnixProcessID', ('(s)', (name,)), '(u)')[0]
        except self.GLib.Error:
            return None

    def get_property(self, dest, path, iface, prop):
        return self.call(dest, path, 'org.freedesktop.DBus.Properties', 'Get',
                         ('(ss)', (iface, prop)), '(v)')[0]

    def wait_for(self, predicate, timeout, step=0.05):
        """Poll predicate until true or timeout; return (value, seconds)."""
        start = time.monotonic()
        while True:
            try:
                value = predicate()
            except self.GLib.Error:
                value = None
            if value:
                return value, time.monotonic() - start
            if time.monotonic() - start >= timeout:
                return value, time.monotonic() - start
            time.sleep(step)

    def wait_name(self, name, timeout, owned=True):
        ok, secs = self.wait_for(lambda: self.name_has_owner(name) == owned, timeout)
        return bool(ok), secs

    # Peers --------------------------------------------------------------------

    def spawn(self, argv, name, env=None):
        logf = open(os.path.join(self.logdir, name + '.log'), 'ab')
        proc = subprocess.Popen(argv, stdout=logf, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, env=env)
        logf.close()
        self.children.append(proc)
        return proc

    def log_text(self, name):
        try:
            with open(os.path.join(self.logdir, name + '.log'), errors='replace') as f:
                return f.read()
        except OSError:
            return ''

    def start_panel(self, timeout=30):
        """Start xfce4-panel; return seconds until the watcher is on the bus."""
        if self.name_has_owner(WATCHER):
            raise RuntimeError('a StatusNotifierWatcher is already on the bus')
        self.panel = self.spawn(['xfce4-panel', '--disable-wm-check'], 'xfce4-panel')
        ok, secs = self.wait_name(WATCHER, timeout)
        if not ok:
            raise RuntimeError('no %s after %.1f s; panel log:\n%s'
                               % (WATCHER, secs, self.log_text('xfce4-panel')))
        return secs

    def stop_panel(self, sig=signal.SIGKILL, timeout=10):
        """Stop the panel (killed by default, like a crash) and wait until the
        watcher has left the bus; return seconds."""
        start = time.monotonic()
        if self.panel is not None:
            if self.panel.poll() is None:
                self.panel.send_signal(sig)
            try:
                self.panel.wait(timeout)
            except subprocess.TimeoutExpired:
                self.panel.kill()
                self.panel.wait()
            self.panel = None
        # The systray runs in a wrapper process, which exits with the panel.
        ok, _ = self.wait_name(WATCHER, timeout, owned=False)
        if not ok:
            pid = self.name_pid(WATCHER)
            if pid:
                os.kill(pid, signal.SIGKILL)
            self.wait_name(WATCHER, 5, owned=False)
        return time.monotonic() - start

    def start_dunst(self, timeout=15):
        """Start dunst; return seconds until it owns org.freedesktop.Notifications."""
        conf = os.path.join(os.environ['XDG_CONFIG_HOME'], 'dunst', 'dunstrc')
        self.dunst = self.spawn(['dunst', '-config', conf], 'dunst')
        ok, secs = self.wait_name(NOTIFICATIONS, timeout)
        if not ok:
            raise RuntimeError('no %s after %.1f s; dunst log:\n%s'
                               % (NOTIFICATIONS, secs, self.log_text('dunst')))
        return secs

    def stop_dunst(self):
        if self.dunst is not None and self.dunst.poll() is None:
            self.dunst.terminate()
            try:
                self.dunst.wait(5)
            except subprocess.TimeoutExpired:
                self.dunst.kill()
                self.dunst.wait()
        self.dunst = None

    def monitor_notifications(self):
        server = self.name_owner(NOTIFICATIONS)
        m = NotifyMonitor(os.path.join(self.logdir, 'notify-%d.txt' % len(self.monitors)), server)
        self.monitors.append(m)
        return m

    def registered_items(self):
        return list(self.get_property(WATCHER, '/StatusNotifierWatcher', WATCHER,
                                      'RegisteredStatusNotifierItems'))

    def windows(self, name):
        """Mapped X windows whose name matches (GTK 4's unmapped client
        leader window carries the title too, hence --onlyvisible)."""
        r = subprocess.run(['xdotool', 'search', '--onlyvisible', '--name', name],
                           stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        return r.stdout.split()

    def cleanup(self):
        for m in self.monitors:
            m.stop()
        for proc in reversed(self.children):
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 3
        for proc in self.children:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


# ---------------------------------------------------------------------------

def _check():
    """Bring the session up, verify each peer, print timings."""
    with Session() as s:
        failures = 0
        print('1..5', flush=True)
        t = s.start_panel()
        print('ok 1 - xfce4-panel: %s owned after %.2f s' % (WATCHER, t), flush=True)
        items = s.registered_items()
        hosts = s.get_property(WATCHER, '/StatusNotifierWatcher', WATCHER,
                               'IsStatusNotifierHostRegistered')
        ok = hosts and items == []
        failures += not ok
        print('%s 2 - a host is registered (%s), no items yet (%r)'
              % ('ok' if ok else 'not ok', hosts, items), flush=True)
        t = s.start_dunst()
        print('ok 3 - dunst: %s owned after %.2f s' % (NOTIFICATIONS, t), flush=True)
        mon = s.monitor_notifications()
        body = 'line one\nline "two" & <b>three</b>'
        nid = s.call(NOTIFICATIONS, '/org/freedesktop/Notifications', NOTIFICATIONS, 'Notify',
                     ('(susssasa{sv}i)', ('harness', 0, '', 'Memory Usage', body,
                                          ['default', 'Open'],
                                          {'urgency': s.GLib.Variant('y', 2)}, -1)),
                     '(u)')[0]
        s.call(NOTIFICATIONS, '/org/freedesktop/Notifications', NOTIFICATIONS, 'Notify',
               ('(susssasa{sv}i)', ('harness', nid, '', 'Memory Usage', 'again', [],
                                    {'urgency': s.GLib.Variant('y', 2)}, -1)), '(u)')
        got, _ = s.wait_for(lambda: len(mon.notifications()) >= 2 and
                            mon.notifications()[0].id is not None, 5)
        ns = mon.notifications()
        ok = (len(ns) == 2 and ns[0].body == body and ns[0].urgency == 2 and
              ns[0].replaces_id == 0 and ns[0].id == nid and ns[1].replaces_id == nid and
              ns[0].actions == ['default', 'Open'])
        failures += not ok
        print('%s 4 - dbus-monitor capture parses Notify: %r' % ('ok' if ok else 'not ok', ns),
              flush=True)
        t = s.stop_panel()
        t2 = s.start_panel()
        print('ok 5 - panel killed (watcher gone after %.2f s) and restarted (%.2f s)'
              % (t, t2), flush=True)
        wins = subprocess.run(['xdotool', 'search', '--name', '.'], stdout=subprocess.PIPE,
                              text=True).stdout.split()
        log('X windows with a name: %d' % len(wins))
        return 1 if failures else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == 'check':
        if 'E2E_SESSION_DIR' not in os.environ:
            return run_inside([sys.executable, os.path.abspath(__file__), 'check'])
        return _check()
    if len(argv) >= 3 and argv[1] == 'run' and argv[2] == '--':
        if 'E2E_SESSION_DIR' not in os.environ:
            return run_inside([sys.executable, os.path.abspath(__file__)] + argv[1:])
        with Session() as s:
            s.start_panel()
            s.start_dunst()
            return subprocess.call(argv[3:])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
