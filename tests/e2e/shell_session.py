#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""A private, headless GNOME Shell session for end-to-end tests.

Under dbus-run-session with its own bus configuration (session.py's, whose
only activatable service here is GNOME's notification helper), with a
private HOME and XDG directories in a temporary directory and the keyfile
GSettings backend there:

- a stand-in for the system bus: a second dbus-daemon, with session-bus
  rules and no services, on a socket of its own, exported as
  DBUS_SYSTEM_BUS_ADDRESS (without one the shell dies in its
  login-manager code; with a system bus's default-deny rules it waits
  for replies it is not allowed to receive);
- gnome-shell --headless --wayland --no-x11 --virtual-monitor 1280x800
  (llvmpipe, no GPU), with the extensions chosen by the caller enabled
  through org.gnome.shell enabled-extensions before it starts, always
  with a test-only one that sets global.context.unsafe_mode, so that
  org.gnome.Shell.Eval answers and the tests can read
  Main.panel.statusArea and Main.messageTray;
- org.freedesktop.Notifications is owned by GNOME's gjs helper
  (org.gnome.Shell.Notifications, D-Bus activated by the shell), which
  hands each notification to the shell's message tray.

Used as a module by test-gnome-shell.py and bench/gnome-shell/, and on
its own:

    shell_session.py check          start the shell, verify, print timings

Exit status 77 (skip) when gnome-shell or another program is missing.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import session as e2e  # noqa: E402

SKIP = e2e.SKIP
log = e2e.log

HERE = os.path.dirname(os.path.abspath(__file__))
SHELL = 'org.gnome.Shell'
SHELL_PATH = '/org/gnome/Shell'
NOTIFICATIONS = e2e.NOTIFICATIONS
WATCHER = e2e.WATCHER

UNSAFE_UUID = 'shell-unsafe@tests.healthmonitor.github.io'
APPINDICATOR_UUID = 'ubuntu-appindicators@ubuntu.com'

REQUIRED_PROGRAMS = ['gnome-shell', 'gjs', 'dbus-run-session', 'dbus-daemon',
                     'dbus-monitor', 'gsettings']
NOTIFICATIONS_HELPER = '/usr/share/gnome-shell/org.gnome.Shell.Notifications'
SYSTEM_EXTENSIONS = '/usr/share/gnome-shell/extensions'

SYSTEM_BUS_CONF = '''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
    <allow own="*"/>
  </policy>
</busconfig>
'''

T_SHELL = 60          # the shell answers Eval (loaded machines: ~1 s idle, 10+ s busy)


def missing(extensions=()):
    """What the session lacks on this machine, as words for a skip message."""
    out = [p for p in REQUIRED_PROGRAMS if shutil.which(p) is None]
    if not os.path.exists(NOTIFICATIONS_HELPER):
        out.append(NOTIFICATIONS_HELPER)
    for uuid in extensions:
        if not os.path.isdir(os.path.join(SYSTEM_EXTENSIONS, uuid)):
            out.append('extension ' + uuid)
    return out


# ---------------------------------------------------------------------------
# Outer half

def run_inside(argv, on_line=None):
    """Re-run argv under dbus-run-session with a private HOME and XDG
    directories; return its exit status. The inner process sees
    E2E_SESSION_DIR set."""
    lacking = missing()
    if lacking:
        print('1..0 # SKIP missing (Debian: gnome-shell): ' + ' '.join(lacking), flush=True)
        return SKIP

    tmp = tempfile.mkdtemp(prefix='health-shell-')
    try:
        env = e2e.private_environ(tmp)

        servicedir = os.path.join(tmp, 'dbus-services')
        os.makedirs(servicedir)
        with open(os.path.join(servicedir, 'org.gnome.Shell.Notifications.service'), 'w') as f:
            f.write('[D-BUS Service]\nName=org.gnome.Shell.Notifications\n'
                    'Exec=%s %s\n' % (shutil.which('gjs'), NOTIFICATIONS_HELPER))
        busconf = os.path.join(tmp, 'session.conf')
        with open(busconf, 'w') as f:
            f.write(e2e.BUS_CONF.format(tmp=tmp, servicedir=servicedir))

        for var in ('DBUS_SESSION_BUS_ADDRESS', 'DBUS_SYSTEM_BUS_ADDRESS', 'DISPLAY',
                    'WAYLAND_DISPLAY', 'XAUTHORITY', 'SESSION_MANAGER',
                    'DESKTOP_AUTOSTART_ID', 'XDG_SESSION_TYPE', 'XDG_CURRENT_DESKTOP',
                    'GDK_BACKEND', 'GI_TYPELIB_PATH'):
            env.pop(var, None)
        env.update({
            'E2E_SESSION_DIR': tmp,
            'GSETTINGS_BACKEND': 'keyfile',
            'GSK_RENDERER': 'cairo',
            'GTK_A11Y': 'none',
            'NO_AT_BRIDGE': '1',
            'LANGUAGE': 'C',
            'LC_ALL': 'C.UTF-8',
        })

        cmd = ['dbus-run-session', '--config-file=' + busconf, '--'] + list(argv)
        # Strays in the process group (the notification helper, the bus)
        # are killed with it.
        return e2e.run_in_process_group(cmd, env, on_line)
    finally:
        if os.environ.get('E2E_KEEP_TMP'):
            log('kept', tmp)
        else:
            shutil.rmtree(tmp, ignore_errors=True)


# ---------------------------------------------------------------------------
# Inner half

class EvalError(Exception):
    pass


class ShellSession(e2e.Session):
    """The shell and its helpers, inside run_inside()."""

    def __init__(self):
        super().__init__()
        self.shell = None
        self.system_bus = None
        self.extdir = os.path.join(os.environ['XDG_DATA_HOME'], 'gnome-shell', 'extensions')
        os.makedirs(self.extdir, exist_ok=True)

    # Set-up ---------------------------------------------------------------------

    def start_system_bus(self, timeout=10):
        sock = os.path.join(self.dir, 'system_bus_socket')
        conf = os.path.join(self.dir, 'system.conf')
        with open(conf, 'w') as f:
            f.write(SYSTEM_BUS_CONF.format(socket=sock))
        self.system_bus = self.spawn(['dbus-daemon', '--config-file=' + conf, '--nofork',
                                      '--nopidfile'], 'system-bus')
        ok, secs = self.wait_for(lambda: os.path.exists(sock), timeout)
        if not ok:
            raise RuntimeError('no stand-in system bus after %.1f s:\n%s'
                               % (secs, self.log_text('system-bus')))
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = 'unix:path=' + sock

    def install_extension(self, path):
        """Copy an extension directory into the private user's extensions."""
        uuid = os.path.basename(os.path.normpath(path))
        shutil.copytree(path, os.path.join(self.extdir, uuid))
        return uuid

    def install_icons(self, srcdir):
        """The status icons where an installed libhealth puts them, in the
        private XDG_DATA_HOME (the shell's icon theme looks there)."""
        dest = os.path.join(os.environ['XDG_DATA_HOME'], 'icons', 'hicolor')
        shutil.copytree(os.path.join(srcdir, 'data', 'icons', 'hicolor'), dest)

    def gsettings(self, *args):
        r = subprocess.run(['gsettings'] + list(args), stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, text=True, timeout=20)
        if r.returncode != 0:
            raise RuntimeError('gsettings %s: %s' % (' '.join(args), r.stdout))
        return r.stdout.strip()

    def start_shell(self, extensions=(), env=None, timeout=T_SHELL):
        """Start the headless shell with the test-only unsafe-mode extension
        and `extensions` (uuids, system-wide or installed with
        install_extension) enabled; return seconds until Eval answers."""
        if self.system_bus is None:
            self.start_system_bus()
        if not os.path.isdir(os.path.join(self.extdir, UNSAFE_UUID)):
            self.install_extension(os.path.join(HERE, UNSAFE_UUID))
        uuids = [UNSAFE_UUID] + list(extensions)
        self.gsettings('set', 'org.gnome.shell', 'enabled-extensions', repr(uuids))
        self.gsettings('set', 'org.gnome.shell', 'disable-user-extensions', 'false')
        # Nothing to wait for between two looks; llvmpipe draws slowly.
        self.gsettings('set', 'org.gnome.desktop.interface', 'enable-animations', 'false')
        shell_env = dict(os.environ)
        shell_env.update(env or {})
        start = time.monotonic()
        self.shell = self.spawn(['gnome-shell', '--headless', '--wayland', '--no-x11',
                                 '--virtual-monitor', '1280x800'], 'gnome-shell', env=shell_env)

        def ready():
            if self.shell.poll() is not None:
                raise RuntimeError('gnome-shell exited with status %s:\n%s'
                                   % (self.shell.returncode, self.log_text('gnome-shell')[-4000:]))
            if not self.name_has_owner(SHELL):
                return False
            return self.eval('!Main.layoutManager._startingUp') is True
        ok, secs = self.wait_for(self._ignore_eval_errors(ready), timeout, step=0.1)
        if not ok:
            raise RuntimeError('gnome-shell not ready after %.1f s:\n%s'
                               % (secs, self.log_text('gnome-shell')[-4000:]))
        os.environ['WAYLAND_DISPLAY'] = self.wayland_display()
        return time.monotonic() - start

    def _ignore_eval_errors(self, predicate):
        def wrapped():
            try:
                return predicate()
            except EvalError:
                return False
        return wrapped

    def wayland_display(self):
        for line in self.log_text('gnome-shell').splitlines():
            if 'Using Wayland display name' in line:
                return line.split("'")[1]
        return 'wayland-0'

    def stop_shell(self):
        if self.shell is not None and self.shell.poll() is None:
            self.shell.terminate()
            try:
                self.shell.wait(10)
            except subprocess.TimeoutExpired:
                self.shell.kill()
                self.shell.wait()
        self.shell = None

    # Looking inside ---------------------------------------------------------------

    def eval(self, code, timeout=10000):
        """Evaluate JavaScript in the shell; return its JSON value decoded."""
        ok, result = self.call(SHELL, SHELL_PATH, SHELL, 'Eval', ('(s)', (code,)), '(bs)',
                               timeout=timeout)
        if not ok:
            raise EvalError('%s\n  in: %s' % (result, code))
        return json.loads(result) if result else None

    def extension_info(self, uuid):
        """org.gnome.Shell.Extensions' view of an extension: state (1
        enabled, 3 error...), error."""
        info = self.call(SHELL, SHELL_PATH, 'org.gnome.Shell.Extensions', 'GetExtensionInfo',
                         ('(s)', (uuid,)), '(a{sv})')[0]
        return {k: info[k] for k in ('state', 'error') if k in info}

    def screenshot(self, path):
        """A PNG of the whole virtual monitor. The shell answers callers
        that own org.gnome.Screenshot (or anybody in unsafe mode)."""
        if not self.name_has_owner('org.gnome.Screenshot'):
            self.dbus('RequestName', ('(su)', ('org.gnome.Screenshot', 4)), '(u)')
        ok, used = self.call(SHELL, '/org/gnome/Shell/Screenshot', 'org.gnome.Shell.Screenshot',
                             'Screenshot', ('(bbs)', (False, False, path)), '(bs)',
                             timeout=20000)
        if not ok:
            raise RuntimeError('Screenshot failed')
        return used

    def tidy(self):
        """Leave the overview the shell starts in and drop every
        notification (unsafe mode announces itself), as for a picture."""
        self.eval('Main.overview.hide(); '
                  'Main.messageTray.getSources().forEach(s => s.destroy()); true')

    def actor_box(self, js):
        """[x, y, width, height] of the actor that js evaluates to."""
        return self.eval('(() => { const a = %s; const [x, y] = a.get_transformed_position(); '
                         'const [w, h] = a.get_transformed_size(); return [x, y, w, h]; })()'
                         % js)

    def panel_roles(self):
        return self.eval('Object.keys(Main.panel.statusArea)')

    def tray_notifications(self):
        """Every notification in the message tray, by source."""
        return self.eval(TRAY_JS)

    def window_list(self):
        """Title, client type ("wayland"/"x11") and pid of every window."""
        return self.eval(WINDOWS_JS)

    def cleanup(self):
        self.stop_shell()
        super().cleanup()


# Menu items of a panel button: their labels, in order, with whether
# they react, sections flattened. `%s` is the role.
MENU_JS = '''(() => {
  const St = imports.gi.St;
  const button = Main.panel.statusArea[%s];
  if (!button || !button.menu) return null;
  const texts = actor => {
    if (actor instanceof St.Label) return [actor.text];
    return actor.get_children().flatMap(texts);
  };
  // Sections are not actors: their items count as the menu's.
  const flat = menu => menu._getMenuItems().flatMap(
    item => item instanceof imports.ui.popupMenu.PopupMenuSection ? flat(item) : [item]);
  return flat(button.menu).map(item => ({
    type: item.constructor.name,
    reactive: item.reactive,
    sensitive: item.getSensitive ? item.getSensitive() : true,
    text: texts(item).join(' ').trim(),
  }));
})()'''

TRAY_JS = '''Main.messageTray.getSources().map(source => ({
  title: source.title,
  kind: source.constructor.name,
  notifications: source.notifications.map(n => ({
    title: n.title,
    body: n.bannerBodyText,
    urgency: n.urgency,
    actions: n.actions.map(a => a.label),
  })),
}))'''

WINDOWS_JS = '''global.get_window_actors().map(a => a.meta_window).map(w => ({
  title: w.get_title(),
  wayland: w.get_client_type() === imports.gi.Meta.WindowClientType.WAYLAND,
  pid: w.get_pid(),
}))'''

URGENCY_CRITICAL = 3      # MessageTray.Urgency.CRITICAL


def menu_items(s, role):
    return s.eval(MENU_JS % json.dumps(role))


# ---------------------------------------------------------------------------

def _check():
    with ShellSession() as s:
        failures = 0
        print('1..4', flush=True)
        t = s.start_shell()
        print('ok 1 - gnome-shell ready after %.2f s (Wayland display %s)'
              % (t, os.environ['WAYLAND_DISPLAY']), flush=True)
        owner = s.name_owner(NOTIFICATIONS)
        pid = s.name_pid(owner) if owner else None
        comm = ''
        if pid:
            with open('/proc/%d/cmdline' % pid) as f:
                comm = f.read().replace('\0', ' ')
        ok = 'org.gnome.Shell.Notifications' in comm
        failures += not ok
        print('%s 2 - %s owned by the helper: %r' % ('ok' if ok else 'not ok', NOTIFICATIONS,
                                                     comm), flush=True)
        roles = s.panel_roles()
        ok = 'dateMenu' in roles
        failures += not ok
        print('%s 3 - the top bar has its items: %r' % ('ok' if ok else 'not ok', roles),
              flush=True)
        path = os.path.join(s.dir, 'check.png')
        used = s.screenshot(path)
        ok = os.path.getsize(used) > 1000
        failures += not ok
        print('%s 4 - a screenshot (%d bytes)' % ('ok' if ok else 'not ok',
                                                  os.path.getsize(used)), flush=True)
        return 1 if failures else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == 'check':
        if 'E2E_SESSION_DIR' not in os.environ:
            return run_inside([sys.executable, os.path.abspath(__file__), 'check'])
        return _check()
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv))
