#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# build-aux/screenshots.py [BUILD_DIR] [OUT_DIR]: the README's pictures of
# health-applet-window, taken from the real window under Xvfb.
#
# A monitor exported as the applet exports it (tests/window/export-monitor.py)
# samples a copy of the proc-debian12 fixture that this script moves
# (memory and processor use rise and fall), and tests/window/fill-journal
# writes a day of history; the window shows both. Each page is saved as a
# PNG in OUT_DIR (default docs/screenshots): light, and the overview again
# in dark, which the window takes from the desktop setting
# (org.gnome.desktop.interface color-scheme) like any libadwaita app.
# Needs xvfb-run, dbus-run-session, xdotool and ImageMagick's import.
# SCREENSHOTS_SAMPLE_SECONDS (default 60): how long the monitor samples
# before the first picture, for the sparklines.

import math
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time

SOURCE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TITLE = 'Health Monitor'
SIZE = (640, 720)


def reexec_in_xvfb():
    env = dict(os.environ, SCREENSHOTS_INNER='1')
    cmd = ['xvfb-run', '-a', '-s', '-screen 0 1280x1024x24 -nolisten tcp',
           'dbus-run-session', '--', sys.executable, os.path.abspath(__file__)] + sys.argv[1:]
    sys.exit(subprocess.call(cmd, env=env))


class MovingProc:
    """A proc root whose memory and CPU use change as a real one's do: a
    copy of proc-debian12 whose memory use swings around memory[0] by
    memory[1]. build-aux/readme-screenshots.py uses it too."""

    def __init__(self, root, memory=(0.58, 0.12)):
        self.root = root
        self.memory = memory
        shutil.copytree(os.path.join(SOURCE, 'tests', 'fixtures', 'proc-debian12'), root, symlinks=True)
        with open(os.path.join(root, 'meminfo')) as f:
            self.meminfo = f.read().splitlines()
        # The per-CPU lines stay: load-average counts the CPUs by them.
        with open(os.path.join(root, 'stat')) as f:
            self.cpus = [line for line in f.read().splitlines() if line.startswith('cpu') and line[3:4].isdigit()]
        self.total = int(self.meminfo[0].split()[1])
        self.ticks = [2323, 0, 1799, 158113, 504, 0, 40, 13, 0, 0]
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def write(self, name, text):
        path = os.path.join(self.root, name)
        with open(path + '.new', 'w') as f:
            f.write(text)
        os.replace(path + '.new', path)

    def step(self, t):
        middle, swing = self.memory
        used = middle + swing * math.sin(t / 9) + swing / 4 * math.sin(t * 1.7)
        self.used = used
        lines = []
        for line in self.meminfo:
            if line.startswith('MemAvailable:'):
                line = 'MemAvailable:   %d kB' % int(self.total * (1 - used))
            lines.append(line)
        self.write('meminfo', '\n'.join(lines) + '\n')

        busy = 0.25 + 0.2 * math.sin(t / 5) + 0.1 * math.sin(t * 2.3)
        self.ticks[0] += int(100 * busy)
        self.ticks[3] += int(100 * (1 - busy))
        self.write('stat', '\n'.join(['cpu  %s' % ' '.join(map(str, self.ticks))] + self.cpus) + '\n')

    def run(self):
        t = 0.0
        while not self.stop.is_set():
            self.step(t)
            t += 0.25
            time.sleep(0.25)


def wait_for(what, check, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.2)
    raise SystemExit('screenshots: no %s after %d s' % (what, timeout))


def find_window(proc, name):
    """The visible window of proc titled name (xdotool's --name is a
    pattern, and a process has windows of several titles)."""
    def check():
        r = subprocess.run(['xdotool', 'search', '--onlyvisible', '--pid', str(proc.pid), '--name', '.'],
                           capture_output=True, text=True)
        for window in r.stdout.split():
            title = subprocess.run(['xdotool', 'getwindowname', window], capture_output=True, text=True)
            if title.stdout.strip() == name:
                return window
        return None
    return wait_for('window “%s”' % name, check)


def key(window, keys):
    # No window manager: the keyboard goes where the pointer is.
    subprocess.run(['xdotool', 'mousemove', '--window', window, '20', '300'], check=True)
    subprocess.run(['xdotool', 'key', '--clearmodifiers', keys], check=True)
    time.sleep(1.5)


def shoot(window, path):
    subprocess.run(['import', '-window', window, path], check=True)
    print('screenshots: %s' % path)


def main():
    if os.environ.get('SCREENSHOTS_INNER') != '1':
        reexec_in_xvfb()

    build = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(SOURCE, '_build'))
    out = os.path.abspath(sys.argv[2] if len(sys.argv) > 2 else os.path.join(SOURCE, 'docs', 'screenshots'))
    os.makedirs(out, exist_ok=True)
    tmp = tempfile.mkdtemp(prefix='health-screenshots-')
    proc_root = MovingProc(os.path.join(tmp, 'proc'))
    state = os.path.join(tmp, 'state')
    config = os.path.join(tmp, 'config')
    os.makedirs(os.path.join(state, 'health-monitor'))
    os.makedirs(os.path.join(config, 'glib-2.0', 'settings'))

    env = dict(os.environ,
               HEALTH_PROC_ROOT=proc_root.root,
               XDG_STATE_HOME=state,
               XDG_CONFIG_HOME=config,
               GSETTINGS_BACKEND='keyfile',
               GSETTINGS_SCHEMA_DIR=os.path.join(build, 'data', 'applet'),
               GI_TYPELIB_PATH=os.path.join(build, 'lib'),
               LD_LIBRARY_PATH=os.path.join(build, 'lib-gtk') + ':' + os.path.join(build, 'lib'),
               GDK_BACKEND='x11',
               GSK_RENDERER='cairo',
               NO_AT_BRIDGE='1',
               LANG='C.UTF-8', LC_ALL='C.UTF-8', LANGUAGE='')
    window_program = os.path.join(build, 'applet-window', 'health-applet-window')
    keyfile = os.path.join(config, 'glib-2.0', 'settings', 'keyfile')

    subprocess.run([os.path.join(build, 'tests', 'window', 'fill-journal'),
                    os.path.join(state, 'health-monitor', 'journal.db')], env=env, check=True)
    proc_root.step(0)
    proc_root.thread.start()

    def start_window(scheme):
        with open(keyfile, 'w') as f:
            f.write("[org/gnome/desktop/interface]\ncolor-scheme='%s'\n" % scheme)
        proc = subprocess.Popen([window_program], env=env)
        window = find_window(proc, TITLE)
        subprocess.run(['xdotool', 'windowsize', window, str(SIZE[0]), str(SIZE[1])], check=True)
        time.sleep(1.5)
        return proc, window

    exporter = None
    processes = []
    try:
        # Before the applet: the status page.
        proc, window = start_window('default')
        processes.append(proc)
        time.sleep(1)
        shoot(window, os.path.join(out, 'window-not-running.png'))

        exporter = subprocess.Popen([sys.executable, os.path.join(SOURCE, 'tests', 'window', 'export-monitor.py'),
                                     '--interval', '1000', '--system', '--disk-path', '/'], stdout=subprocess.PIPE, text=True, env=env)
        if exporter.stdout.readline().strip() != 'ready':
            raise SystemExit('screenshots: the exporter failed')
        # A minute of samples for the sparklines; the window reconnects by itself.
        time.sleep(int(os.environ.get('SCREENSHOTS_SAMPLE_SECONDS', '60')))

        shoot(window, os.path.join(out, 'window-overview.png'))
        key(window, 'alt+h')
        shoot(window, os.path.join(out, 'window-history.png'))
        key(window, 'alt+a')
        shoot(window, os.path.join(out, 'window-alerts.png'))
        key(window, 'ctrl+comma')
        preferences = find_window(proc, 'Preferences')
        subprocess.run(['xdotool', 'windowsize', preferences, str(SIZE[0]), str(SIZE[1])], check=True)
        subprocess.run(['xdotool', 'windowmove', preferences, '0', '0'], check=True)
        subprocess.run(['xdotool', 'windowraise', preferences], check=True)
        time.sleep(1)
        key(preferences, 'alt+t')
        # Available Memory's row, open: its thresholds in GiB.
        subprocess.run(['xdotool', 'mousemove', '--window', preferences, '320', '250', 'click', '1'], check=True)
        time.sleep(1.5)
        shoot(preferences, os.path.join(out, 'window-preferences.png'))
        proc.terminate()
        proc.wait(timeout=10)

        proc, window = start_window('prefer-dark')
        processes.append(proc)
        wait_for('the mirror', lambda: True)
        time.sleep(3)
        shoot(window, os.path.join(out, 'window-overview-dark.png'))
        key(window, 'alt+h')
        shoot(window, os.path.join(out, 'window-history-dark.png'))
    finally:
        for p in processes + ([exporter] if exporter else []):
            if p.poll() is None:
                p.terminate()
                p.wait(timeout=10)
        proc_root.stop.set()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    main()
