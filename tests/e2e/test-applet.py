#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""End-to-end tests of health-applet against a real panel and notification server.

    test-applet.py --applet PATH [--window PATH] [--schema-dir DIR]
                   [--srcdir DIR] [--case NAME]...

Each case runs in its own private session (see session.py): xvfb-run -a,
dbus-run-session, private HOME; xfce4-panel --disable-wm-check with a
systray plugin (org.kde.StatusNotifierWatcher) and dunst
(org.freedesktop.Notifications) unless the case says otherwise. The applet
runs with HEALTH_PROC_ROOT on tests/fixtures/proc-memory95 (memory-usage
exactly 95 %: CRITICAL) and --interval=500.

Cases:
  registered              the item is in RegisteredStatusNotifierItems
  status                  its Status becomes NeedsAttention
  notification            one critical notification about memory (its
                          two metrics, the culprit), one about swap
  activate                Activate opens the window, again closes it
  quit                    the menu's Quit: the applet exits with status 0
  no-watcher              no panel: the window opens; a panel later: registered
  panel-restart           kill the panel: the applet lives on and keeps its
                          item exported; restart it: registered again and
                          still NeedsAttention
  no-notification-server  no dunst: the applet lives on and answers
  notification-server-returns
                          alert-cooldown 2: kill dunst after the first
                          notification, the applet lives on and answers;
                          start dunst again: a new critical notification
                          reaches it

Output is TAP; exit status 0 (pass), 1 (fail) or 77 (skipped: no panel,
dunst, Xvfb or applet binary).
"""

import argparse
import os
import signal
import subprocess
import sys
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import session as e2e  # noqa: E402

APP_ID = 'io.github.healthmonitor.Applet'
SNI = 'org.kde.StatusNotifierItem'
SNI_PATH = '/StatusNotifierItem'
MENU_PATH = '/MenuBar'
DBUSMENU = 'com.canonical.dbusmenu'
WINDOW_TITLE = 'Health Monitor'

CASES = ['registered', 'status', 'notification', 'activate', 'quit',
         'no-watcher', 'panel-restart', 'no-notification-server',
         'notification-server-returns']
NEEDS_WINDOW = {'activate', 'no-watcher'}

# How long things may take (seconds).
T_START = e2e.slow(10)     # applet owns its name
T_REGISTER = e2e.slow(10)  # item registered (also after a panel restart)
T_STATUS = e2e.slow(10)    # NeedsAttention at 500 ms sampling
T_NOTIFY = e2e.slow(15)    # first critical notification
T_OBSERVE = 5              # no second fresh notification within the cooldown
T_WINDOW = e2e.slow(10)    # window mapped (xdotool sees it)
T_QUIT = e2e.slow(5)       # exit after the menu's Quit
T_SURVIVE = 3              # alive after an alert without notification server
T_ANSWER = e2e.slow(1)     # the item answers Properties.Get (the main loop is not blocked)
T_COOLDOWN = 2        # alert-cooldown in notification-server-returns
T_RENOTIFY = 8        # a notification reaches a restarted server


class Tap:
    def __init__(self):
        self.failed = 0
        self.count = 0

    def ok(self, cond, desc, diag=None):
        self.count += 1
        print('%s - %s' % ('ok' if cond else 'not ok', desc), flush=True)
        if not cond:
            self.failed += 1
            if diag:
                for line in str(diag).splitlines():
                    print('# ' + line, flush=True)
        return cond

    def todo(self, cond, desc, why, diag=None):
        """A check of a known bug: reported, but not a failure (TAP TODO)."""
        self.count += 1
        print('%s - %s # TODO %s' % ('ok' if cond else 'not ok', desc, why), flush=True)
        if not cond and diag:
            self.diag(diag)
        return cond

    def skip(self, desc, why):
        self.count += 1
        print('ok - %s # SKIP %s' % (desc, why), flush=True)

    def diag(self, text):
        for line in str(text).splitlines():
            print('# ' + line, flush=True)


class Applet:
    def __init__(self, s, opts, args=('--interval=500',), extra_env=None):
        self.s = s
        env = dict(os.environ)
        env.update(extra_env or {})
        env['HEALTH_PROC_ROOT'] = os.path.join(opts.srcdir, 'tests', 'fixtures', 'proc-memory95')
        if opts.schema_dir:
            env['GSETTINGS_SCHEMA_DIR'] = opts.schema_dir
        if opts.window:
            env['HEALTH_APPLET_WINDOW'] = opts.window
        env['G_DEBUG'] = 'fatal-criticals'
        env.setdefault('G_MESSAGES_DEBUG', '')
        self.started = time.monotonic()
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

    def alive(self):
        return self.proc.poll() is None

    def log(self):
        return self.s.log_text('health-applet')

    def item_entry(self):
        """The watcher's entry for this applet's item, or None."""
        for entry in self.s.registered_items():
            bus, _, path = entry.partition('/')
            if path and '/' + path != SNI_PATH:
                continue
            if bus == self.unique or bus == APP_ID or \
                    (bus and self.s.name_pid(bus) == self.proc.pid):
                return entry
        return None

    def wait_registered(self, timeout=T_REGISTER):
        return self.s.wait_for(self.item_entry, timeout)

    def prop(self, name):
        return self.s.get_property(self.unique, SNI_PATH, SNI, name)

    def answers(self, timeout=T_ANSWER):
        """Properties.Get of the item's Status with a timeout of `timeout`
        seconds: (status or None, seconds, error message or None)."""
        start = time.monotonic()
        try:
            v = self.s.call(self.unique, SNI_PATH, 'org.freedesktop.DBus.Properties', 'Get',
                            ('(ss)', (SNI, 'Status')), '(v)', timeout=int(timeout * 1000))[0]
            return v, time.monotonic() - start, None
        except self.s.GLib.Error as e:
            return None, time.monotonic() - start, e.message

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def windows(s):
    return s.windows(WINDOW_TITLE)


def wait_window(s, present=True, timeout=T_WINDOW):
    return s.wait_for(lambda: bool(windows(s)) == present, timeout, step=0.2)


def window_info(s):
    out = []
    for w in windows(s):
        pid = subprocess.run(['xdotool', 'getwindowpid', w], stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True).stdout.strip()
        name = subprocess.run(['xdotool', 'getwindowname', w], stdout=subprocess.PIPE,
                              stderr=subprocess.DEVNULL, text=True).stdout.strip()
        comm = ''
        if pid:
            try:
                with open('/proc/%s/comm' % pid) as f:
                    comm = f.read().strip()
            except OSError:
                pass
        out.append('window %s %r pid %s (%s)' % (w, name, pid or '?', comm))
    return '\n'.join(out)


def start_applet(t, s, opts, args=('--interval=500',), extra_env=None):
    a = Applet(s, opts, args, extra_env)
    ok, why = a.wait_started()
    t.ok(ok, 'applet owns %s' % APP_ID, why + '\n' + a.log())
    return a if ok else None


def end_applet(t, a):
    t.ok(a.alive(), 'applet still running at the end (no crash)',
         'exit status %s\n%s' % (a.proc.returncode, a.log()))
    a.stop()


# -- cases -------------------------------------------------------------------

def start_registered(t, s, opts):
    """The usual desktop: panel, dunst, and the applet with its item
    registered. Returns the applet, or None when it did not start."""
    s.start_panel()
    s.start_dunst()
    a = start_applet(t, s, opts)
    if not a:
        return None
    entry, _ = a.wait_registered()
    t.ok(entry, 'item registered', repr(s.registered_items()))
    return a


def case_registered(t, s, opts):
    s.start_panel()
    s.start_dunst()
    a = start_applet(t, s, opts)
    if not a:
        return
    entry, secs = a.wait_registered()
    t.ok(entry, 'item registered with the watcher (%.2f s): %r' % (secs, entry),
         'RegisteredStatusNotifierItems: %r\n%s' % (s.registered_items(), a.log()))
    if not entry:
        return
    props = {}
    for name in ('Category', 'Id', 'Title', 'Status', 'IconName', 'IconThemePath',
                 'Menu', 'ToolTip'):
        try:
            props[name] = a.prop(name)
        except s.GLib.Error as e:
            props[name] = 'ERROR ' + e.message
    t.diag('item properties: %r' % props)
    t.ok(props['Category'] == 'SystemServices', 'Category is SystemServices',
         repr(props['Category']))
    t.ok(props['Menu'] == MENU_PATH, 'Menu is %s' % MENU_PATH, repr(props['Menu']))
    t.ok(not windows(s), 'no window opened while a watcher is present', window_info(s))
    end_applet(t, a)


def case_status(t, s, opts):
    a = start_registered(t, s, opts)
    if not a:
        return
    seen = []

    def needs_attention():
        v = a.prop('Status')
        if not seen or seen[-1] != v:
            seen.append(v)
        return v == 'NeedsAttention'
    ok, secs = s.wait_for(needs_attention, T_STATUS, step=0.1)
    t.ok(ok, 'Status is NeedsAttention (%.2f s after start of polling; seen %r)' % (secs, seen),
         a.log())
    end_applet(t, a)


MEMORY_TITLE = 'Memory is running out'


def dunst_displayed():
    """How many notifications dunst has on screen (dunstctl), or None."""
    import shutil
    if shutil.which('dunstctl') is None:
        return None
    r = subprocess.run(['dunstctl', 'count', 'displayed'], stdout=subprocess.PIPE,
                       stderr=subprocess.DEVNULL, text=True, timeout=5)
    try:
        return int(r.stdout.strip())
    except ValueError:
        return None


def case_notification(t, s, opts):
    """On the 95 % fixture memory-usage is critical and memory-available
    is warning: one condition, so one notification, titled by it, naming
    both metrics and the process most responsible, with its PID. Swap
    (75 %, warning) is a condition of its own."""
    s.start_panel()
    s.start_dunst()
    mon = s.monitor_notifications()
    a = start_applet(t, s, opts)
    if not a:
        return

    def about_memory():
        return [n for n in mon.notifications()
                if n.summary == MEMORY_TITLE or n.mentions('Memory Usage') or
                n.mentions('Available Memory')]

    first, secs = s.wait_for(lambda: [n for n in about_memory() if n.replaces_id == 0],
                             T_NOTIFY, step=0.1)
    all_n = mon.notifications()
    if not t.ok(first, 'a notification about memory arrives (%.2f s)' % secs,
                'Notify calls seen: %r\n%s' % (all_n, a.log())):
        end_applet(t, a)
        return
    n0 = first[0]
    t.ok(n0.summary == MEMORY_TITLE, 'it is titled by the condition: %r' % n0.summary, repr(n0))
    t.ok(n0.urgency == 2, 'its urgency is critical (byte 2): %r' % n0, repr(n0.hints))
    t.ok(n0.app_icon or (n0.hints or {}).get('image-path') or (n0.hints or {}).get('image_path'),
         'it has an icon', repr(n0))
    t.ok('Memory Usage' in n0.body and 'Available Memory' in n0.body,
         'its body names the worst metric and the other one: %r' % n0.body)
    t.ok(n0.body.find('Memory Usage') < n0.body.find('Available Memory'),
         'the worst (critical) first', repr(n0.body))
    t.ok('Largest user: hog, PID 200' in n0.body,
         'its body names the culprit as such, with its PID: %r' % n0.body)
    time.sleep(T_OBSERVE)
    mem = about_memory()
    fresh = [n for n in mem if n.replaces_id == 0]
    updates = [n for n in mem if n.replaces_id != 0]
    t.ok(len(fresh) == 1,
         'exactly one notification about memory reached dunst in %.0f s (got %d)'
         % (T_OBSERVE + secs, len(fresh)), '\n'.join(map(repr, fresh)))
    bad = [n for n in updates if n.replaces_id != n0.id]
    t.ok(not bad, 'updates (%d) replace the first one (id %r)' % (len(updates), n0.id),
         '\n'.join(map(repr, bad)))
    t.ok(all(n.urgency == 2 and n.summary == MEMORY_TITLE for n in mem),
         'every notification about memory is the critical condition one',
         '\n'.join(map(repr, mem)))
    # One per condition: group fresh notifications by their title.
    titles = [n.summary for n in mon.notifications() if n.replaces_id == 0]
    t.diag('fresh notifications: %r' % titles)
    t.ok(sorted(titles) == sorted(set(titles)) and 'The system is swapping' in titles,
         'one notification per condition (memory, swap)', repr(titles))
    shown = dunst_displayed()
    if shown is None:
        t.skip('dunst displays two notifications', 'no dunstctl')
    else:
        t.ok(shown == 2, 'dunst displays two notifications, memory and swap (%d)' % shown)
    end_applet(t, a)


def case_activate(t, s, opts):
    a = start_registered(t, s, opts)
    if not a:
        return
    t.ok(not windows(s), 'no window before Activate', window_info(s))
    start = time.monotonic()
    try:
        s.call(a.unique, SNI_PATH, SNI, 'Activate', ('(ii)', (0, 0)))
        called = True
    except s.GLib.Error as e:
        called = False
        t.diag('Activate: ' + e.message)
    t.ok(called, 'Activate(0, 0) answered')
    ok, _ = wait_window(s)
    secs = time.monotonic() - start
    t.ok(ok, 'Activate opens a window named "%s" within %d s (%.2f s)' % (WINDOW_TITLE, T_WINDOW, secs),
         a.log())
    if ok:
        t.diag(window_info(s))
        time.sleep(1)
        s.call(a.unique, SNI_PATH, SNI, 'Activate', ('(ii)', (0, 0)))
        gone, _ = wait_window(s, present=False)
        t.ok(gone, 'Activate again closes it (toggle)', window_info(s))
    end_applet(t, a)


def menu_items(layout):
    """Flatten a dbusmenu layout (id, props, children) into [(id, props)]."""
    ident, props, children = layout
    out = [(ident, props)]
    for child in children:
        out.extend(menu_items(child))
    return out


def case_quit(t, s, opts):
    a = start_registered(t, s, opts)
    if not a:
        return
    try:
        rev, layout = s.call(a.unique, MENU_PATH, DBUSMENU, 'GetLayout',
                             ('(iias)', (0, -1, [])), '(u(ia{sv}av))')
    except s.GLib.Error as e:
        t.ok(False, 'GetLayout on %s' % MENU_PATH, e.message + '\n' + a.log())
        end_applet(t, a)
        return
    items = menu_items(layout)
    labels = {ident: props.get('label', '').replace('_', '') for ident, props in items}
    t.diag('menu (revision %d): %r' % (rev, labels))
    lower = [v.lower() for v in labels.values()]
    want = ['show details', ('pause', 'resume'), 'preferences', 'quit']
    missing = [w for w in want if not any(l.startswith(w) for l in lower)]
    t.ok(not missing, 'menu has Show details, Pause/Resume, Preferences, Quit', repr(missing))
    quit_ids = [i for i, l in labels.items() if l.lower() == 'quit']
    if not t.ok(quit_ids, 'a Quit item'):
        end_applet(t, a)
        return
    s.call(a.unique, MENU_PATH, DBUSMENU, 'AboutToShow', ('(i)', (0,)))
    start = time.monotonic()
    try:
        s.call(a.unique, MENU_PATH, DBUSMENU, 'Event',
               ('(isvu)', (quit_ids[0], 'clicked', s.GLib.Variant('i', 0), 0)))
    except s.GLib.Error as e:
        # The applet may quit before it answers; that is fine.
        t.diag('Event: ' + e.message)
    try:
        rc = a.proc.wait(T_QUIT)
    except subprocess.TimeoutExpired:
        rc = None
    secs = time.monotonic() - start
    t.ok(rc is not None, 'the applet exits within %d s of Quit (%.2f s)' % (T_QUIT, secs), a.log())
    if rc is not None:
        t.ok(rc == 0, 'with status 0', 'status %r\n%s' % (rc, a.log()))
        gone, _ = s.wait_for(lambda: not a.item_entry(), 5)
        t.ok(gone, 'and its item leaves the watcher', repr(s.registered_items()))
    else:
        a.stop()


def case_no_watcher(t, s, opts):
    s.start_dunst()
    a = start_applet(t, s, opts)
    if not a:
        return
    ok, secs = wait_window(s)
    t.ok(ok, 'without a watcher the window opens within %d s (%.2f s)' % (T_WINDOW, secs),
         a.log())
    if ok:
        t.diag(window_info(s))
    s.start_panel()
    entry, secs = a.wait_registered()
    t.ok(entry, 'a panel started later: the item registers (%.2f s)' % secs,
         repr(s.registered_items()) + '\n' + a.log())
    end_applet(t, a)


def wait_needs_attention(t, s, a, what):
    ok, secs = s.wait_for(lambda: a.prop('Status') == 'NeedsAttention', T_STATUS, step=0.1)
    t.ok(ok, '%s: Status is NeedsAttention (%.2f s)' % (what, secs), a.log())
    return ok


def check_answers(t, s, a, what):
    """The applet is alive, owns its name and answers Properties.Get on its
    item within T_ANSWER s (its main loop is not blocked)."""
    t.ok(a.alive(), '%s: the applet is alive' % what,
         'status %r\n%s' % (a.proc.returncode, a.log()))
    owner = s.name_owner(APP_ID)
    t.ok(owner == a.unique, '%s: it still owns %s' % (what, APP_ID),
         'owner %r, applet %r' % (owner, a.unique))
    status, secs, err = a.answers()
    t.ok(status is not None,
         '%s: Properties.Get on %s answered within %d s (%.2f s, %r)'
         % (what, SNI_PATH, T_ANSWER, secs, status), err)
    return status


def case_panel_restart(t, s, opts):
    a = start_registered(t, s, opts)
    if not a:
        return
    wait_needs_attention(t, s, a, 'before the panel dies')
    down = s.stop_panel(signal.SIGKILL)
    t.diag('panel killed, watcher gone after %.2f s' % down)
    # While there is no panel: alive, answering, item still exported.
    for i in range(4):
        time.sleep(0.5)
        if not a.alive():
            break
    status = check_answers(t, s, a, 'the panel gone for 2 s')
    t.ok(status == 'NeedsAttention', 'the panel gone: the item keeps Status NeedsAttention',
         repr(status))
    if windows(s):
        t.diag('without a watcher: ' + window_info(s))
    if not a.alive():
        return
    up = s.start_panel()
    entry, secs = a.wait_registered()
    t.ok(entry, 'after the panel restarts (%.2f s) the item is registered again within %d s (%.2f s)'
         % (up, T_REGISTER, secs), repr(s.registered_items()) + '\n' + a.log())
    ours = [e for e in s.registered_items() if e == entry]
    t.ok(len(ours) == 1, 'registered once', repr(s.registered_items()))
    wait_needs_attention(t, s, a, 'the panel back')
    end_applet(t, a)


def case_no_notification_server(t, s, opts):
    s.start_panel()
    t.ok(not s.name_has_owner(e2e.NOTIFICATIONS), 'no notification server on the bus')
    a = start_applet(t, s, opts)
    if not a:
        return
    entry, _ = a.wait_registered()
    t.ok(entry, 'item registered', repr(s.registered_items()))
    ok, secs = s.wait_for(lambda: a.prop('Status') == 'NeedsAttention', T_STATUS, step=0.1)
    t.ok(ok, 'Status NeedsAttention: the alert has fired (%.2f s)' % secs, a.log())
    time.sleep(T_SURVIVE)
    t.ok(a.alive(), 'the applet is alive %d s later' % T_SURVIVE,
         'status %r\n%s' % (a.proc.returncode, a.log()))
    t.ok(s.name_owner(APP_ID) == a.unique,
         'its bus name is still owned')
    start = time.monotonic()
    try:
        s.call(a.unique, SNI_PATH, 'org.freedesktop.DBus.Properties', 'Get',
               ('(ss)', (SNI, 'Status')), '(v)', timeout=2000)
        answered = True
    except s.GLib.Error as e:
        answered = False
        t.diag(e.message)
    t.ok(answered, 'and it answers on the bus (%.2f s)' % (time.monotonic() - start))
    t.diag('applet log:\n' + a.log())
    end_applet(t, a)


def gsettings(opts, *args):
    env = dict(os.environ)
    env['GSETTINGS_BACKEND'] = 'keyfile'
    if opts.schema_dir:
        env['GSETTINGS_SCHEMA_DIR'] = opts.schema_dir
    r = subprocess.run(['gsettings'] + list(args), env=env, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT, text=True, timeout=10)
    return r.returncode, r.stdout.strip()


def case_notification_server_returns(t, s, opts):
    import shutil
    if shutil.which('gsettings') is None:
        t.skip('notification server returns', 'no gsettings')
        return
    # The keyfile backend in the private HOME, set before the applet starts.
    rc, out = gsettings(opts, 'set', APP_ID, 'alert-cooldown', str(T_COOLDOWN))
    rc2, got = gsettings(opts, 'get', APP_ID, 'alert-cooldown')
    if not t.ok(rc == 0 and rc2 == 0 and got.split()[-1] == str(T_COOLDOWN),
                'alert-cooldown set to %d (keyfile backend): %r' % (T_COOLDOWN, got), out):
        return
    s.start_panel()
    s.start_dunst()
    old_dunst = s.name_owner(e2e.NOTIFICATIONS)
    mon = s.monitor_notifications()
    a = start_applet(t, s, opts, extra_env={'GSETTINGS_BACKEND': 'keyfile'})
    if not a:
        return

    def critical_memory(m):
        return [n for n in m.notifications()
                if n.summary == MEMORY_TITLE and n.urgency == 2 and n.id is not None]

    first, secs = s.wait_for(lambda: critical_memory(mon), T_NOTIFY, step=0.1)
    if not t.ok(first, 'a critical Memory Usage notification reaches dunst %s (%.2f s)'
                % (old_dunst, secs), 'Notify calls seen: %r\n%s' % (mon.notifications(), a.log())):
        end_applet(t, a)
        return
    t.diag('first: %r' % first[0])

    # The server dies.
    s.dunst.kill()
    s.dunst.wait(5)
    s.dunst = None
    gone, _ = s.wait_name(e2e.NOTIFICATIONS, 5, owned=False)
    t.ok(gone, 'dunst killed: %s has left the bus' % e2e.NOTIFICATIONS)
    killed = time.monotonic()
    # More than a cooldown without a server: the alert fires again meanwhile.
    while time.monotonic() - killed < T_COOLDOWN + 1.5 and a.alive():
        time.sleep(0.25)
    status = check_answers(t, s, a, '%.1f s without a notification server'
                           % (time.monotonic() - killed))
    t.ok(status == 'NeedsAttention', 'still NeedsAttention', repr(status))
    warnings = a.log().count('No notification server answers')
    t.ok(warnings == 1, 'the applet warned once that no server answers (%d)' % warnings,
         a.log())
    if not a.alive():
        return

    # The server comes back.
    up = s.start_dunst()
    new_dunst = s.name_owner(e2e.NOTIFICATIONS)
    mon2 = s.monitor_notifications()      # also captures new_dunst's replies
    back = time.monotonic()
    again, _ = s.wait_for(lambda: critical_memory(mon2), T_RENOTIFY, step=0.1)
    secs = time.monotonic() - back
    t.ok(again, 'dunst restarted (%s, %.2f s): a critical Memory Usage notification reaches it '
         'within %d s (%.2f s)' % (new_dunst, up, T_RENOTIFY, secs),
         'Notify calls seen since: %r\nall: %r\n%s'
         % (mon2.notifications(), mon.notifications(), a.log()))
    if again:
        t.diag('after the restart: %r' % again[0])
        # The new server has its own ids: replacing the dead server's id can
        # replace another client's notification there (dunst happens to take
        # an unknown replaces_id as the new id, other servers need not).
        stale = first[0].id
        t.ok(all(n.replaces_id != stale for n in again),
             'the notification to the new server does not replace the dead '
             "server's id %r" % stale,
             '\n'.join(map(repr, again)))
    check_answers(t, s, a, 'the server back')
    end_applet(t, a)


# -- driver --------------------------------------------------------------------

def inner(opts):
    t = Tap()
    case = opts.case[0]
    with e2e.Session() as s:
        try:
            globals()['case_' + case.replace('-', '_')](t, s, opts)
        except Exception:           # a broken peer or an unexpected error
            import traceback
            t.ok(False, 'case %s ran to the end' % case, traceback.format_exc())
        if t.failed:
            for name in ('health-applet', 'xfce4-panel', 'dunst'):
                text = s.log_text(name)
                if text:
                    t.diag('--- %s log ---\n%s' % (name, text[-4000:]))
    return 1 if t.failed else 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--applet', required=True)
    p.add_argument('--window')
    p.add_argument('--schema-dir')
    p.add_argument('--srcdir', default=os.path.normpath(
        os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..')))
    p.add_argument('--case', action='append', choices=CASES)
    opts = p.parse_args()

    if 'E2E_SESSION_DIR' in os.environ:
        return inner(opts)

    missing = e2e.missing_programs()
    if missing:
        print('1..0 # SKIP missing: %s' % ' '.join(missing))
        return e2e.SKIP
    if not os.access(opts.applet, os.X_OK):
        print('1..0 # SKIP no applet binary at %s' % opts.applet)
        return e2e.SKIP
    if opts.window and not os.access(opts.window, os.X_OK):
        opts.window = None
    if opts.schema_dir and not os.path.exists(os.path.join(opts.schema_dir, 'gschemas.compiled')):
        print('# no gschemas.compiled in %s' % opts.schema_dir, flush=True)

    def skip_reason(case):
        if case in NEEDS_WINDOW and not opts.window:
            return 'no window binary'
        return None

    def run_case(case, on_line):
        argv = [sys.executable, os.path.abspath(__file__), '--applet', opts.applet,
                '--srcdir', opts.srcdir, '--case', case]
        if opts.window:
            argv += ['--window', opts.window]
        if opts.schema_dir:
            argv += ['--schema-dir', opts.schema_dir]
        return e2e.run_inside(argv, on_line=on_line)

    return e2e.run_cases(opts.case or CASES, run_case, skip_reason)

if __name__ == '__main__':
    sys.exit(main())
