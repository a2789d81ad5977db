#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# health-applet-window against a real exported monitor, and without one.
# Run inside xvfb-run and dbus-run-session (see meson.build): the window
# must appear, show what it should, and exit with 0 on SIGTERM, which is
# how the applet closes it.

import os
import signal
import subprocess
import sys
import tempfile
import time

window, exporter = sys.argv[1], sys.argv[2]
TITLE = 'Health Monitor'


def wait_for_window(proc, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError('the window exited early with %d' % proc.returncode)
        found = subprocess.run(['xdotool', 'search', '--pid', str(proc.pid), '--name', TITLE],
                               capture_output=True, text=True)
        if found.returncode == 0 and found.stdout.strip():
            return found.stdout.split()[0]
        time.sleep(0.2)
    raise AssertionError('no window named “%s” appeared' % TITLE)


def wait_for_log(path, text, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with open(path) as f:
            if text in f.read():
                return
        time.sleep(0.2)
    with open(path) as f:
        raise AssertionError('“%s” never logged; the window said:\n%s' % (text, f.read()))


def terminate(proc):
    proc.send_signal(signal.SIGTERM)
    status = proc.wait(timeout=10)
    assert status == 0, 'exit status %d after SIGTERM' % status


def run_window(log, *args):
    env = dict(os.environ, G_MESSAGES_DEBUG='HealthAppletWindow')
    return subprocess.Popen([window, *args], stdout=log, stderr=subprocess.STDOUT, env=env)


def case(name, fn):
    with tempfile.NamedTemporaryFile('w+', suffix='.log') as log:
        try:
            fn(log)
        except Exception:
            log.seek(0)
            sys.stderr.write(log.read())
            print('not ok - ' + name)
            raise
        print('ok - ' + name)


def no_applet(log):
    proc = run_window(log.file)
    wait_for_window(proc)
    wait_for_log(log.name, 'The health applet is not running')
    time.sleep(0.5)
    assert proc.poll() is None, 'the window died'
    terminate(proc)


def with_applet(log, *args):
    helper = subprocess.Popen([exporter], stdout=subprocess.PIPE, text=True)
    try:
        assert helper.stdout.readline().strip() == 'ready', 'the exporter failed'
        proc = run_window(log.file, '--bus-name', 'io.github.healthmonitor.Applet',
                          '--object-path', '/io/github/healthmonitor/Monitor', *args)
        wait_for_window(proc)
        wait_for_log(log.name, 'Mirroring the monitor of io.github.healthmonitor.Applet')

        # The applet going away shows the error, its return reconnects.
        helper.terminate()
        helper.wait(timeout=10)
        wait_for_log(log.name, 'The health applet is not running')
        helper = subprocess.Popen([exporter], stdout=subprocess.PIPE, text=True)
        assert helper.stdout.readline().strip() == 'ready', 'the exporter failed'
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with open(log.name) as f:
                if f.read().count('Mirroring the monitor') >= 2:
                    break
            time.sleep(0.2)
        else:
            raise AssertionError('no reconnection when the applet came back')

        assert proc.poll() is None, 'the window died'
        terminate(proc)
    finally:
        helper.terminate()
        helper.wait(timeout=10)


def bad_arguments(log):
    proc = run_window(log.file, '--bus-name', 'not a name')
    assert proc.wait(timeout=10) == 1


case('no applet: error state, SIGTERM exits 0', no_applet)
case('applet: window mirrors it, follows it away and back, SIGTERM exits 0', with_applet)
case('applet, --preferences first', lambda log: with_applet(log, '--preferences'))
case('invalid --bus-name is refused', bad_arguments)
