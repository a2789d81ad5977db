#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""End-to-end tests of health-applet in a real, headless GNOME Shell 43.

    test-gnome-shell.py --applet PATH --builddir DIR [--window PATH]
                        [--schema-dir DIR] [--srcdir DIR] [--case NAME]
                        [--screenshot PNG]

Each case runs in its own session (shell_session.py: dbus-run-session,
private HOME, a stand-in system bus, gnome-shell --headless --wayland
with a test-only extension that allows org.gnome.Shell.Eval). The applet
runs with HEALTH_PROC_ROOT on tests/fixtures/proc-memory95 (memory 95 %
used: CRITICAL) and --interval=500.

With the AppIndicator extension (Debian: gnome-shell-extension-appindicator):
  sni-item        the item is in the top bar with the critical status icon
  sni-menu        its menu (dbusmenu through the extension) has the four
                  entries; Quit ends the applet with status 0 and the item
                  leaves the top bar
  sni-window      Show Details from that menu opens the window, a Wayland
                  client of the shell
With the shell alone:
  notification    the critical notification is in the message tray:
                  exactly one about memory, urgency critical, with actions
With the native indicator (data/gnome-shell/), from the build tree:
  indicator       statusArea['health-monitor'] shows the critical icon,
                  its menu the overall status and the metrics; the applet
                  has no StatusNotifierItem and opened no window
  indicator-applet-stops
                  the applet stops: the indicator says it is not running;
                  it starts again: the indicator follows it again
  indicator-and-appindicator
                  both extensions: the applet's item is not registered
                  while the indicator is on; disable the indicator, and
                  the item is registered and shown by AppIndicator

--screenshot saves a PNG of the top bar with the indicator's menu open
(case indicator). Output is TAP; exit status 0, 1, or 77 when gnome-shell,
the extension a case needs or the applet binary is missing.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import session as e2e  # noqa: E402
import shell_session as gs  # noqa: E402

APP_ID = 'io.github.healthmonitor.Applet'
INDICATOR_NAME = 'io.github.healthmonitor.ShellIndicator'
INDICATOR_UUID = 'health-monitor@healthmonitor.github.io'
ROLE = 'health-monitor'
SNI_PATH = '/StatusNotifierItem'
WINDOW_TITLE = 'Health Monitor'
CRITICAL_ICON = 'health-critical-symbolic'
UNKNOWN_ICON = 'health-unknown-symbolic'

CASES = ['sni-item', 'sni-menu', 'sni-window', 'notification', 'indicator',
         'indicator-applet-stops', 'indicator-and-appindicator']
NEEDS_APPINDICATOR = {'sni-item', 'sni-menu', 'sni-window', 'indicator-and-appindicator'}
NEEDS_WINDOW = {'sni-window'}
# The indicator is gjs: it needs the Health-1 typelib of the build tree,
# which a build with -Dintrospection=disabled (the sanitizer runs) lacks.
NEEDS_TYPELIB = {'indicator', 'indicator-applet-stops', 'indicator-and-appindicator'}

T_START = e2e.slow(10)     # applet owns its name
T_PANEL = e2e.slow(15)     # its icon in the top bar, critical
T_MENU = e2e.slow(10)      # menu entries arrive
T_QUIT = e2e.slow(5)       # exit after Quit
T_WINDOW = e2e.slow(15)    # a Wayland window mapped
T_NOTIFY = e2e.slow(15)    # the critical notification in the tray
T_OBSERVE = 3              # nothing more arrives meanwhile
T_FOLLOW = e2e.slow(10)    # the indicator follows the applet's coming and going


class Tap:
    def __init__(self):
        self.failed = 0

    def ok(self, cond, desc, diag=None):
        print('%s - %s' % ('ok' if cond else 'not ok', desc), flush=True)
        if not cond:
            self.failed += 1
            if diag:
                self.diag(diag)
        return cond

    def diag(self, text):
        for line in str(text).splitlines():
            print('# ' + line, flush=True)


class Applet:
    def __init__(self, s, opts, args=('--interval=500',)):
        self.s = s
        env = dict(os.environ)
        env['HEALTH_PROC_ROOT'] = os.path.join(opts.srcdir, 'tests', 'fixtures', 'proc-memory95')
        if opts.schema_dir:
            env['GSETTINGS_SCHEMA_DIR'] = opts.schema_dir
        if opts.window:
            env['HEALTH_APPLET_WINDOW'] = opts.window
        env['G_DEBUG'] = 'fatal-criticals'
        env['GSETTINGS_BACKEND'] = 'memory'
        self.proc = s.spawn([opts.applet] + list(args), 'health-applet', env=env)
        self.unique = None

    def wait_started(self):
        def owned():
            if self.proc.poll() is not None:
                raise RuntimeError('exited with status %s' % self.proc.returncode)
            owner = self.s.name_owner(APP_ID)
            if owner and self.s.name_pid(owner) == self.proc.pid:
                return owner
            return None
        try:
            self.unique, secs = self.s.wait_for(owned, T_START)
        except RuntimeError as e:
            return False, str(e)
        return bool(self.unique), '%s after %.2f s' % (self.unique, secs)

    def log(self):
        return self.s.log_text('health-applet')

    def object_paths(self, path='/'):
        """Every object the applet exports, from Introspect."""
        xml = self.s.call(self.unique, path, 'org.freedesktop.DBus.Introspectable',
                          'Introspect', None, '(s)')[0]
        out = []
        for child in re.findall(r'<node name="([^"]+)"', xml):
            sub = path.rstrip('/') + '/' + child
            out.append(sub)
            out.extend(self.object_paths(sub))
        return out

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def start_applet(t, s, opts):
    a = Applet(s, opts)
    ok, why = a.wait_started()
    t.ok(ok, 'applet owns %s' % APP_ID, why + '\n' + a.log())
    return a if ok else None


def end_applet(t, a):
    t.ok(a.proc.poll() is None, 'applet still running at the end (no crash)',
         'exit status %s\n%s' % (a.proc.returncode, a.log()))
    a.stop()


def shell_up(t, s, extensions, env=None):
    secs = s.start_shell(extensions, env=env)
    for uuid in extensions:
        info = s.extension_info(uuid)
        t.ok(info.get('state') == 1, 'extension %s enabled' % uuid,
             '%r\n%s' % (info, s.log_text('gnome-shell')[-3000:]))
    t.diag('gnome-shell ready after %.2f s' % secs)


# -- the AppIndicator extension's view of our item -----------------------------

SNI_ICONS_JS = '''Object.entries(Main.panel.statusArea)
  .filter(([role, b]) => role.startsWith('appindicator-') && b && b._indicator)
  .map(([role, b]) => {
    let g = b._icon ? b._icon.gicon : null;
    if (g && g.get_icon) g = g.get_icon();
    return {role, id: b._indicator.id, status: b._indicator.status,
            iconName: b._indicator.icon[0], visible: b.visible,
            gicon: g ? g.to_string() : null};
  })'''


def sni_icon(s):
    for icon in s.eval(SNI_ICONS_JS):
        if icon['id'] == 'health-monitor':
            return icon
    return None


def wait_sni_critical(t, s, a):
    def drawn():
        icon = sni_icon(s)
        if icon and icon['visible'] and icon['gicon'] and CRITICAL_ICON in icon['gicon']:
            return icon
        return None
    icon, secs = s.wait_for(drawn, T_PANEL, step=0.2)
    t.ok(icon, 'the item is in the top bar with the critical status icon (%.2f s): %r'
         % (secs, icon), 'appindicator icons: %r\n%s' % (s.eval(SNI_ICONS_JS), a.log()))
    return icon


def sni_menu(t, s, icon):
    """Open the item's menu in the shell; return its entries."""
    s.eval('Main.panel.statusArea[%r].menu.open()' % icon['role'])

    def entries():
        items = gs.menu_items(s, icon['role']) or []
        labels = [i['text'] for i in items if i['text']]
        return items if len(labels) >= 4 else None
    items, secs = s.wait_for(entries, T_MENU, step=0.2)
    items = items or gs.menu_items(s, icon['role']) or []
    t.diag('menu after %.2f s: %r' % (secs, items))
    return items


def activate_menu_item(s, role, label):
    """Activate the first item whose text starts with label, as a click does."""
    return s.eval('''(() => {
      const item = Main.panel.statusArea[%r].menu._getMenuItems().find(i => {
        const l = i.label ? i.label.text : '';
        return l.replace(/_/g, '').toLowerCase().startsWith(%r);
      });
      if (!item) return false;
      const Clutter = imports.gi.Clutter;
      item.activate(Clutter.Event.new(Clutter.EventType.BUTTON_RELEASE));
      return true;
    })()''' % (role, label.lower()))


# -- cases -------------------------------------------------------------------

def case_sni_item(t, s, opts):
    shell_up(t, s, [gs.APPINDICATOR_UUID])
    t.ok(s.name_has_owner(gs.WATCHER), 'the AppIndicator extension is the StatusNotifierWatcher')
    a = start_applet(t, s, opts)
    if not a:
        return
    icon = wait_sni_critical(t, s, a)
    if icon:
        t.ok(icon['iconName'] == CRITICAL_ICON, 'its IconName is %s' % CRITICAL_ICON,
             repr(icon))
        t.ok(icon['status'] == 'NeedsAttention', 'its Status is NeedsAttention', repr(icon))
    entries = s.get_property(gs.WATCHER, '/StatusNotifierWatcher', gs.WATCHER,
                             'RegisteredStatusNotifierItems')
    t.ok(any(e.startswith(a.unique) for e in entries), 'the watcher lists it: %r' % entries)
    end_applet(t, a)


def case_sni_menu(t, s, opts):
    shell_up(t, s, [gs.APPINDICATOR_UUID])
    a = start_applet(t, s, opts)
    if not a:
        return
    icon = wait_sni_critical(t, s, a)
    if not icon:
        end_applet(t, a)
        return
    items = sni_menu(t, s, icon)
    labels = [i['text'].replace('_', '').lower() for i in items
              if i['type'] != 'PopupSeparatorMenuItem' and i['text']]
    want = ['show details', ('pause', 'resume'), 'preferences', 'quit']
    t.ok(len(labels) == 4 and all(any(l.startswith(w) for l in labels) for w in want),
         'the menu has four entries: Show Details, Pause, Preferences, Quit: %r' % labels)
    start = time.monotonic()
    t.ok(activate_menu_item(s, icon['role'], 'quit'), 'Quit activated in the shell')
    try:
        rc = a.proc.wait(T_QUIT)
    except subprocess.TimeoutExpired:
        rc = None
    t.ok(rc == 0, 'the applet exits with status 0 within %d s (%r, %.2f s)'
         % (T_QUIT, rc, time.monotonic() - start), a.log())
    gone, secs = s.wait_for(lambda: sni_icon(s) is None, 5, step=0.2)
    t.ok(gone, 'its icon leaves the top bar (%.2f s)' % secs, repr(s.eval(SNI_ICONS_JS)))
    a.stop()


def case_sni_window(t, s, opts):
    shell_up(t, s, [gs.APPINDICATOR_UUID])
    a = start_applet(t, s, opts)
    if not a:
        return
    icon = wait_sni_critical(t, s, a)
    if not icon:
        end_applet(t, a)
        return
    sni_menu(t, s, icon)
    t.ok(not [w for w in s.window_list() if w['title'] == WINDOW_TITLE], 'no window yet')
    start = time.monotonic()
    t.ok(activate_menu_item(s, icon['role'], 'show details'), 'Show Details activated in the shell')

    def window():
        return [w for w in s.window_list() if w['title'] == WINDOW_TITLE]
    wins, _ = s.wait_for(window, T_WINDOW, step=0.2)
    t.ok(wins, 'a window "%s" opens (%.2f s)' % (WINDOW_TITLE, time.monotonic() - start),
         'windows: %r\n%s\n%s' % (s.window_list(), a.log(), s.log_text('gnome-shell')[-2000:]))
    if wins:
        t.ok(all(w['wayland'] for w in wins), 'it is a Wayland client: %r' % wins)
        comm = ''
        try:
            with open('/proc/%d/comm' % wins[0]['pid']) as f:
                comm = f.read().strip()
        except OSError:
            pass
        t.ok(comm.startswith('health-applet'), 'of health-applet-window (%r)' % comm)
    end_applet(t, a)


def case_notification(t, s, opts):
    shell_up(t, s, [])
    mon = s.monitor_notifications()
    a = start_applet(t, s, opts)
    if not a:
        return

    def memory():
        # The applet is the only client of org.freedesktop.Notifications
        # here; the shell's own notices come from other sources.
        out = []
        for source in s.tray_notifications():
            if source['kind'] != 'FdoNotificationDaemonSource':
                continue
            for n in source['notifications']:
                if 'memory' in ('%s %s' % (n['title'], n['body'] or '')).lower():
                    out.append(dict(n, source=source['title']))
        return out
    first, secs = s.wait_for(memory, T_NOTIFY, step=0.2)
    if not t.ok(first, 'a notification about memory is in the message tray (%.2f s)' % secs,
                'tray: %r\nNotify calls: %r\n%s'
                % (s.tray_notifications(), mon.notifications(), a.log())):
        end_applet(t, a)
        return
    time.sleep(T_OBSERVE)
    mem = memory()
    t.diag('tray: %r' % s.tray_notifications())
    # One condition, one notification (DESIGN.md "Conditions"): Memory
    # Usage and Available Memory both bad are "Memory is running out".
    t.ok(len(mem) == 1, 'exactly one notification about memory from the applet (%d)' % len(mem),
         repr(mem))
    t.ok(all(n['urgency'] == gs.URGENCY_CRITICAL for n in mem),
         'urgency critical in the shell (MessageTray.Urgency.CRITICAL)', repr(mem))
    t.ok(all(len(n['actions']) >= 1 for n in mem),
         'with actions: %r' % [n['actions'] for n in mem], repr(mem))
    wire = [n for n in mon.notifications() if n.mentions('memory')]
    t.ok(wire and all(n.urgency == 2 for n in wire),
         'sent with urgency critical (byte 2) to the helper (%d Notify calls)' % len(wire),
         repr(wire))
    end_applet(t, a)


def indicator_env(opts):
    lib = os.path.join(opts.builddir, 'lib')
    env = {'GI_TYPELIB_PATH': lib}
    ld = os.environ.get('LD_LIBRARY_PATH')
    env['LD_LIBRARY_PATH'] = lib + (':' + ld if ld else '')
    return env


def indicator_up(t, s, opts, extensions=()):
    s.install_icons(opts.srcdir)
    s.install_extension(os.path.join(opts.srcdir, 'data', 'gnome-shell', INDICATOR_UUID))
    shell_up(t, s, [INDICATOR_UUID] + list(extensions), env=indicator_env(opts))
    t.ok(s.name_has_owner(INDICATOR_NAME), 'the indicator owns %s' % INDICATOR_NAME)


INDICATOR_JS = '''(() => {
  const b = Main.panel.statusArea['health-monitor'];
  if (!b) return null;
  return {icon: b._icon.icon_name, visible: b.visible, header: b._header.label.text,
          mapped: b._icon.mapped};
})()'''


def indicator_state(s):
    return s.eval(INDICATOR_JS)


def wait_indicator(t, s, icon, header, what):
    def good():
        st = indicator_state(s)
        return st if st and st['icon'] == icon and header in st['header'] else None
    st, secs = s.wait_for(good, T_FOLLOW, step=0.2)
    t.ok(st, '%s: icon %s, "%s" (%.2f s)' % (what, icon, header, secs),
         repr(indicator_state(s)))
    return st


def check_no_item(t, s, a, what):
    paths = a.object_paths()
    t.ok(SNI_PATH not in paths, '%s: the applet exports no %s: %r' % (what, SNI_PATH, paths))
    if s.name_has_owner(gs.WATCHER):
        entries = s.get_property(gs.WATCHER, '/StatusNotifierWatcher', gs.WATCHER,
                                 'RegisteredStatusNotifierItems')
        t.ok(not any(e.startswith(a.unique) for e in entries),
             '%s: the watcher lists none of it: %r' % (what, entries))


def take_screenshot(t, s, dest):
    """The top bar's right end with the open menu, for the README."""
    s.tidy()
    time.sleep(0.5)
    x, y, w, h = s.actor_box("Main.panel.statusArea['health-monitor'].menu.actor")
    used = s.screenshot(os.path.join(s.dir, 'indicator.png'))
    left = max(0, int(x) - 200)
    crop = '%dx%d+%d+0' % (1280 - left, int(y + h) + 12, left)
    if shutil.which('convert'):
        subprocess.run(['convert', used, '-crop', crop, '+repage', dest], check=True)
    else:
        shutil.copy(used, dest)
    t.diag('screenshot: %s (%s)' % (dest, crop))


def case_indicator(t, s, opts):
    indicator_up(t, s, opts)
    st = indicator_state(s)
    t.ok(st and st['icon'] == UNKNOWN_ICON and 'not running' in st['header'],
         'before the applet: the indicator says it is not running: %r' % st)
    a = start_applet(t, s, opts)
    if not a:
        return
    st = wait_indicator(t, s, CRITICAL_ICON, 'Critical', 'the applet runs')
    t.ok(st and st['visible'] and st['mapped'], 'the indicator is shown in the top bar',
         repr(st))
    s.eval("Main.panel.statusArea['health-monitor'].menu.open()")
    items, _ = s.wait_for(lambda: [i for i in gs.menu_items(s, ROLE)
                                   if 'Memory Usage' in i['text']], T_MENU, step=0.2)
    items = gs.menu_items(s, ROLE)
    t.diag('menu: %r' % [i['text'] for i in items])
    texts = [i['text'] for i in items]
    t.ok(texts and texts[0] == 'System Health: Critical', 'the menu opens with the overall status')
    mem = [x for x in texts if x.startswith('Memory Usage')]
    t.ok(mem and '95.0' in mem[0] and 'Critical' in mem[0],
         'and lists the metrics: %r' % mem, repr(texts))
    t.ok('Show Details' in texts, 'and Show Details')
    if opts.screenshot:
        take_screenshot(t, s, opts.screenshot)
    s.eval("Main.panel.statusArea['health-monitor'].menu.close()")
    check_no_item(t, s, a, 'the indicator on')
    t.ok("GNOME Shell's indicator" in a.log(), 'the applet says why it has no tray item',
         a.log())
    t.ok(not [w for w in s.window_list() if w['title'] == WINDOW_TITLE],
         'no window opened though there is no StatusNotifierWatcher', repr(s.window_list()))
    end_applet(t, a)


def case_indicator_applet_stops(t, s, opts):
    indicator_up(t, s, opts)
    a = start_applet(t, s, opts)
    if not a:
        return
    wait_indicator(t, s, CRITICAL_ICON, 'Critical', 'the applet runs')
    a.stop()
    t.ok(a.proc.returncode == 0, 'the applet stops with status 0 (%r)' % a.proc.returncode,
         a.log())
    wait_indicator(t, s, UNKNOWN_ICON, 'not running', 'the applet stopped')
    items = gs.menu_items(s, ROLE)
    t.ok(not [i for i in items if i['text'].startswith('Memory Usage')],
         'the metrics leave the menu', repr(items))
    t.ok([i for i in items if i['text'] == 'Start Health Monitor'],
         'the menu offers to start it', repr(items))
    b = start_applet(t, s, opts)
    if not b:
        return
    wait_indicator(t, s, CRITICAL_ICON, 'Critical', 'the applet started again')
    end_applet(t, b)


def case_indicator_and_appindicator(t, s, opts):
    indicator_up(t, s, opts, [gs.APPINDICATOR_UUID])
    a = start_applet(t, s, opts)
    if not a:
        return
    wait_indicator(t, s, CRITICAL_ICON, 'Critical', 'the applet runs')
    time.sleep(1)
    check_no_item(t, s, a, 'both extensions on')
    t.ok(sni_icon(s) is None, 'AppIndicator shows no second icon', repr(s.eval(SNI_ICONS_JS)))
    s.eval("Main.extensionManager.disableExtension('%s')" % INDICATOR_UUID)
    gone, _ = s.wait_name(INDICATOR_NAME, 5, owned=False)
    t.ok(gone and ROLE not in s.panel_roles(), 'the indicator disabled: its name and button are gone')
    icon = wait_sni_critical(t, s, a)
    t.ok(icon, 'the applet registered its item again, AppIndicator shows it')
    end_applet(t, a)


# -- driver --------------------------------------------------------------------

def inner(opts):
    t = Tap()
    case = opts.case[0]
    with gs.ShellSession() as s:
        try:
            globals()['case_' + case.replace('-', '_')](t, s, opts)
        except Exception:
            import traceback
            t.ok(False, 'case %s ran to the end' % case, traceback.format_exc())
        if t.failed:
            for name in ('health-applet', 'gnome-shell'):
                text = s.log_text(name)
                if text:
                    t.diag('--- %s log ---\n%s' % (name, text[-4000:]))
    return 1 if t.failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--applet', required=True)
    p.add_argument('--builddir', required=True)
    p.add_argument('--window')
    p.add_argument('--schema-dir')
    p.add_argument('--srcdir', default=os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')))
    p.add_argument('--case', action='append', choices=CASES)
    p.add_argument('--screenshot')
    opts = p.parse_args()
    # The shell changes its working directory.
    opts.builddir = os.path.abspath(opts.builddir)
    opts.srcdir = os.path.abspath(opts.srcdir)

    if 'E2E_SESSION_DIR' in os.environ:
        return inner(opts)

    cases = opts.case or CASES
    lacking = gs.missing()
    if lacking:
        print('1..0 # SKIP missing (Debian: gnome-shell): %s' % ' '.join(lacking))
        return gs.SKIP
    if not os.access(opts.applet, os.X_OK):
        print('1..0 # SKIP no applet binary at %s' % opts.applet)
        return gs.SKIP
    if opts.window and not os.access(opts.window, os.X_OK):
        opts.window = None

    def skip_reason(case):
        if case in NEEDS_APPINDICATOR and gs.missing([gs.APPINDICATOR_UUID]):
            return 'no AppIndicator extension (Debian: gnome-shell-extension-appindicator)'
        if case in NEEDS_WINDOW and not opts.window:
            return 'no window binary'
        if case in NEEDS_TYPELIB and not os.path.exists(
                os.path.join(opts.builddir, 'lib', 'Health-1.typelib')):
            return 'no Health-1 typelib in this build (introspection is disabled)'
        return None

    def run_case(case, on_line):
        argv = [sys.executable, os.path.abspath(__file__), '--applet', opts.applet,
                '--builddir', opts.builddir, '--srcdir', opts.srcdir, '--case', case]
        for opt in ('window', 'schema_dir', 'screenshot'):
            if getattr(opts, opt):
                argv += ['--' + opt.replace('_', '-'), os.path.abspath(getattr(opts, opt))]
        return gs.run_inside(argv, on_line=on_line)

    return e2e.run_cases(cases, run_case, skip_reason)

if __name__ == '__main__':
    sys.exit(main())
