#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/readme-screenshots.py [BUILD_DIR] [OUT_DIR]: the README's
# pictures of the tray applet on a desktop and of HealthGtkMonitorView,
# taken from the real programs under Xvfb. OUT_DIR defaults to
# data/screenshots:
#
# - monitor-view.png: HealthGtkMonitorView in a GTK window of this script
#   (through the GI bindings of the build tree), on a monitor sampling
#   every 500 ms a copy of the proc-debian12 fixture whose memory use
#   swings across the warning and critical thresholds
#   (screenshots.MovingProc), so that the sparklines have a history,
#   taken when memory use is critical;
# - tray-and-window.png: the private session of the end-to-end tests
#   (tests/e2e/session.py: xfce4-panel with its systray, dunst) with
#   health-applet on the proc-memory95 fixture; its menu's Show Details
#   opens health-applet-window, which stands beside the panel with
#   dunst's notifications to its right.
#
# Needs what the e2e tests need (dunstctl too), and ImageMagick's import
# and display (package imagemagick, in build-aux/install-deps). About
# 1.5 min.
# READMESHOTS_SAMPLE_SECONDS (default 45): how long the view's monitor
# samples before its picture.

import os
import signal
import subprocess
import sys
import tempfile
import time

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(SOURCE, 'tests', 'e2e'))
sys.path.insert(0, os.path.join(SOURCE, 'build-aux'))
import session as e2e  # noqa: E402
from screenshots import MovingProc, shoot, wait_for  # noqa: E402

VIEW_TITLE = 'HealthGtkMonitorView'
VIEW_WIDTH = 520
WINDOW_TITLE = 'Health Monitor'
APP_ID = 'io.github.healthmonitor.Applet'
MENU_PATH = '/MenuBar'
DBUSMENU = 'com.canonical.dbusmenu'

# The desktop picture: the panel along the top, the window below it at
# the left, the notifications to its right.
WINDOW_AT = (12, 40)
WINDOW_SIZE = (560, 600)
NOTIFICATION_WIDTH = 320
MARGIN = 12
DESKTOP = '#3d4f5f'


def view_main():
    """The view's window: every metric of a monitor of this machine (or
    of HEALTH_PROC_ROOT), as examples/gtk/embed.c shows it, but sampled
    every 500 ms rather than the default 30 s."""
    import gi
    gi.require_version('Gtk', '4.0')
    gi.require_version('Health', '1')
    gi.require_version('HealthGtk', '1')
    from gi.repository import GLib, Gtk, Health, HealthGtk

    monitor = Health.Monitor.new()
    monitor.set_interval(500)
    monitor.start()
    # As tall as every row needs: the view asks for its natural height.
    window = Gtk.Window(title=VIEW_TITLE, default_width=VIEW_WIDTH)
    window.set_child(HealthGtk.MonitorView.new(monitor))
    window.present()
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, lambda: loop.quit() or True)
    window.connect('close-request', lambda w: loop.quit() or False)
    loop.run()
    monitor.stop()


def x(*argv):
    subprocess.run(['xdotool'] + [str(a) for a in argv], check=True)


def geometry(window):
    """(x, y, width, height) of an X window."""
    r = subprocess.run(['xdotool', 'getwindowgeometry', '--shell', window],
                       capture_output=True, text=True, check=True)
    g = dict(line.split('=', 1) for line in r.stdout.split())
    return int(g['X']), int(g['Y']), int(g['WIDTH']), int(g['HEIGHT'])


def shoot_monitor_view(s, env, tmp, out):
    proc_root = MovingProc(os.path.join(tmp, 'proc-moving'), memory=(0.86, 0.07))
    proc_root.step(0)
    proc_root.thread.start()
    try:
        view = s.spawn([sys.executable, os.path.abspath(__file__), '--view'], 'monitor-view',
                       env=dict(env, HEALTH_PROC_ROOT=proc_root.root))
        window = wait_for('the view\'s window', lambda: next(iter(s.windows('^%s$' % VIEW_TITLE)), None))
        x('windowmove', window, MARGIN, 40)
        time.sleep(int(os.environ.get('READMESHOTS_SAMPLE_SECONDS', '45')))
        # Taken near the top of the swing (every minute or so), when memory
        # use is critical and available memory a warning.
        wait_for('memory use at its peak', lambda: proc_root.used > 0.925, timeout=90)
        time.sleep(1.5)
        shoot(window, os.path.join(out, 'monitor-view.png'))
        view.terminate()
        view.wait(10)
    finally:
        proc_root.stop.set()


def show_details(s, owner):
    """Click the applet's Show Details, as the panel does."""
    _, layout = s.call(owner, MENU_PATH, DBUSMENU, 'GetLayout', ('(iias)', (0, -1, [])),
                       '(u(ia{sv}av))')

    def items(node):
        ident, props, children = node
        yield ident, props.get('label', '').replace('_', '')
        for child in children:
            yield from items(child)
    ident = next(i for i, label in items(layout) if label.lower().startswith('show details'))
    s.call(owner, MENU_PATH, DBUSMENU, 'AboutToShow', ('(i)', (0,)))
    s.call(owner, MENU_PATH, DBUSMENU, 'Event',
           ('(isvu)', (ident, 'clicked', s.GLib.Variant('i', 0), 0)))


def shoot_tray_and_window(s, env, build, out):
    # dunst's notifications to the right of the window rather than at the
    # far right of the screen; the rest as the tests have it.
    notifications_at = WINDOW_AT[0] + WINDOW_SIZE[0] + MARGIN
    with open(os.path.join(os.environ['XDG_CONFIG_HOME'], 'dunst', 'dunstrc'), 'w') as f:
        f.write(e2e.DUNSTRC.replace('[global]\n', '[global]\n    origin = top-left\n'
                                    '    offset = %dx%d\n    width = %d\n'
                                    % (notifications_at, WINDOW_AT[1], NOTIFICATION_WIDTH)))
    # A desktop's colour rather than Xvfb's black behind the windows
    # (display sets the root's background, then exits with status 1).
    subprocess.run(['display', '-size', '64x64', '-window', 'root', 'xc:' + DESKTOP])
    s.start_panel()
    s.start_dunst()
    applet = s.spawn([os.path.join(build, 'applet', 'health-applet'), '--interval=500'], 'health-applet',
                     env=dict(env, HEALTH_PROC_ROOT=os.path.join(SOURCE, 'tests', 'fixtures', 'proc-memory95')))
    owner = wait_for('the applet on the bus', lambda: s.name_owner(APP_ID))
    wait_for('its item in the panel', s.registered_items)
    wait_for('two notifications', lambda: subprocess.run(['dunstctl', 'count', 'displayed'],
                                                           capture_output=True, text=True).stdout.strip() == '2')
    show_details(s, owner)
    window = wait_for('the window', lambda: next(iter(s.windows('^%s$' % WINDOW_TITLE)), None))
    x('windowmove', window, *WINDOW_AT)
    x('windowsize', window, *WINDOW_SIZE)
    # A few samples mirrored, and the window redrawn at its new size.
    time.sleep(4)
    # Down to the window's bottom, across to the notifications' right
    # edge, wherever dunst put them.
    shown = [geometry(w) for w in subprocess.run(['xdotool', 'search', '--onlyvisible', '--class', 'dunst'],
                                                  capture_output=True, text=True).stdout.split()]
    width = max([WINDOW_AT[0] + WINDOW_SIZE[0]] + [gx + gw for gx, _, gw, _ in shown]) + MARGIN
    height = WINDOW_AT[1] + WINDOW_SIZE[1] + MARGIN
    path = os.path.join(out, 'tray-and-window.png')
    subprocess.run(['import', '-window', 'root', '-crop', '%dx%d+0+0' % (width, height), '+repage', path],
                   check=True)
    print('screenshots: %s' % path)
    if applet.poll() is not None:
        raise SystemExit('screenshots: the applet exited (status %d):\n%s'
                         % (applet.returncode, s.log_text('health-applet')))


def inner(build, out):
    env = dict(os.environ,
               GSETTINGS_SCHEMA_DIR=os.path.join(build, 'data', 'applet'),
               HEALTH_APPLET_WINDOW=os.path.join(build, 'applet-window', 'health-applet-window'),
               GI_TYPELIB_PATH=os.path.join(build, 'lib') + ':' + os.path.join(build, 'lib-gtk'),
               LD_LIBRARY_PATH=os.path.join(build, 'lib-gtk') + ':' + os.path.join(build, 'lib'))
    with e2e.Session() as s, tempfile.TemporaryDirectory(prefix='health-readme-shots-') as tmp:
        try:
            shoot_monitor_view(s, env, tmp, out)
            shoot_tray_and_window(s, env, build, out)
        except BaseException:
            for name in ('monitor-view', 'health-applet', 'xfce4-panel', 'dunst'):
                print('--- %s ---\n%s' % (name, s.log_text(name)[-3000:]), file=sys.stderr)
            raise
    return 0


def main():
    if sys.argv[1:2] == ['--view']:
        return view_main()
    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(SOURCE, '_build'))
    out = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(SOURCE, 'data', 'screenshots'))
    if 'E2E_SESSION_DIR' in os.environ:
        return inner(build, out)
    os.makedirs(out, exist_ok=True)
    return e2e.run_inside([sys.executable, os.path.abspath(__file__), build, out],
                          extra_programs=['import', 'dunstctl'])


if __name__ == '__main__':
    sys.exit(main())
