#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The resident applet's footprint, as `make bench` runs it.

    run-footprint.py --applet PATH [--window PATH] [--schema-dir DIR]
                     [--srcdir DIR] [--output DIR]

In a private session (tests/e2e/session.py: xvfb-run -a, dbus-run-session,
private HOME, xfce4-panel with its systray, dunst), starts health-applet
with its defaults (2000 ms interval) on the live /proc, waits until its item
is registered and no window of it is open, lets it settle (BENCH_WARMUP
seconds, default 5), then measures it idle for BENCH_DURATION seconds
(default 20):

- PSS from /proc/PID/smaps_rollup (also RSS, private, anonymous), at the
  start and the end of the window;
- CPU of all threads: the sum over /proc/PID/task/*/schedstat (run time in
  ns; threads that exit during the window are taken from /proc/PID/stat
  instead, which keeps the time of dead threads but counts in clock ticks),
  and utime+stime from /proc/PID/stat beside it.

Lines are "name value unit", "target NAME PASS|FAIL (value vs bound)";
'#' starts a comment; also written to OUTPUT_DIR/footprint.json. Exits 0
whatever the targets say (BENCH_STRICT=1: a failed target fails the run),
77 when Xvfb, the panel or the applet is missing.

FOOTPRINT_PROC_ROOT=DIR samples a fixture instead (HEALTH_PROC_ROOT): values
that never change, so the figure is the applet's own cost without the
tooltip and signal traffic that a machine moving around WARNING causes.

Targets (DESIGN.md, "Applet"): PSS under 12 MB (12288 KiB), CPU under
0.05 %.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRCDIR = os.path.normpath(os.path.join(HERE, '..', '..'))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(DEFAULT_SRCDIR, 'bench'))
from procstat import stat_ticks, threads_ns  # noqa: E402

PSS_BOUND_KIB = 12 * 1024
CPU_BOUND_PERCENT = 0.05
APP_ID = 'io.github.healthmonitor.Applet'
CLK_TCK = os.sysconf('SC_CLK_TCK')


def read_rollup(pid):
    out = {}
    with open('/proc/%d/smaps_rollup' % pid) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[-1] == 'kB':
                out[parts[0].rstrip(':')] = int(parts[1])
    return out


def thread_names(pid):
    names = {}
    for tid in sorted(os.listdir('/proc/%d/task' % pid), key=int):
        try:
            with open('/proc/%d/task/%s/comm' % (pid, tid)) as f:
                names[tid] = f.read().strip()
        except OSError:
            pass
    return names


def wakeups(pid):
    """Voluntary + involuntary context switches of every thread."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/status' % (pid, tid)) as f:
                n = 0
                for line in f:
                    if line.startswith(('voluntary_ctxt_switches', 'nonvoluntary_ctxt_switches')):
                        n += int(line.split()[1])
                out[tid] = n
        except OSError:
            pass
    return out


def statm_gsm_kib(pid):
    """What gnome-system-monitor's Memory column shows (libgtop: resident
    minus shared), from /proc/PID/statm."""
    page = os.sysconf('SC_PAGE_SIZE') // 1024
    with open('/proc/%d/statm' % pid) as f:
        fields = [int(x) for x in f.read().split()]
    return (fields[1] - fields[2]) * page


def emit(results, name, value, unit=''):
    results[name] = value
    if isinstance(value, float):
        text = '%.4f' % value
    else:
        text = str(value)
    print(('%s %s %s' % (name, text, unit)).rstrip(), flush=True)


def inner(opts):
    import session as e2e
    results = {}
    targets = {}
    warmup = float(os.environ.get('BENCH_WARMUP', '5'))
    duration = float(os.environ.get('BENCH_DURATION', '20'))

    with e2e.Session() as s:
        t_panel = s.start_panel()
        t_dunst = s.start_dunst()
        print('# panel up in %.2f s, dunst in %.2f s' % (t_panel, t_dunst), flush=True)
        env = dict(os.environ)
        env.pop('HEALTH_PROC_ROOT', None)          # the live /proc
        if os.environ.get('FOOTPRINT_PROC_ROOT'):
            env['HEALTH_PROC_ROOT'] = os.environ['FOOTPRINT_PROC_ROOT']
        print('# /proc: %s' % env.get('HEALTH_PROC_ROOT', 'live'), flush=True)
        if opts.schema_dir:
            env['GSETTINGS_SCHEMA_DIR'] = opts.schema_dir
        if opts.window:
            env['HEALTH_APPLET_WINDOW'] = opts.window
        proc = s.spawn([opts.applet], 'health-applet', env=env)
        pid = proc.pid

        owner, secs = s.wait_for(
            lambda: (s.name_owner(APP_ID) if s.name_pid(s.name_owner(APP_ID) or '') == pid
                     else None) if proc.poll() is None else None, 15)
        if not owner:
            print('# the applet did not come up (status %r):\n%s'
                  % (proc.poll(), s.log_text('health-applet')), flush=True)
            return 1
        print('# applet %s up in %.2f s' % (owner, secs), flush=True)

        def registered():
            for entry in s.registered_items():
                bus = entry.partition('/')[0]
                if bus in (owner, APP_ID):
                    return entry
            return None
        entry, secs = s.wait_for(registered, 10)
        print('# item %s after %.2f s' % (entry, secs), flush=True)
        if s.windows('Health Monitor'):
            print('# a window is open with a watcher present: closing it by Activate', flush=True)
            s.call(owner, '/StatusNotifierItem', 'org.kde.StatusNotifierItem', 'Activate',
                   ('(ii)', (0, 0)))
            s.wait_for(lambda: not s.windows('Health Monitor'), 10)

        time.sleep(warmup)
        if proc.poll() is not None:
            print('# the applet exited (%r) during the warm-up:\n%s'
                  % (proc.returncode, s.log_text('health-applet')), flush=True)
            return 1

        roll0 = read_rollup(pid)
        ticks0 = stat_ticks(pid)
        ns0 = threads_ns(pid)
        cs0 = wakeups(pid)
        t0 = time.monotonic()
        time.sleep(duration)
        t1 = time.monotonic()
        ns1 = threads_ns(pid)
        cs1 = wakeups(pid)
        ticks1 = stat_ticks(pid)
        roll1 = read_rollup(pid)
        wall = t1 - t0
        gsm_kib = statm_gsm_kib(pid)
        names = thread_names(pid)
        alive = proc.poll() is None
        windows_open = bool(s.windows('Health Monitor'))

        # Threads present at both ends: exact; started during the window:
        # all of theirs; gone during the window: not seen by schedstat, so
        # fall back to the stat figure when it says more.
        ns = sum(v - ns0.get(tid, 0) for tid, v in ns1.items())
        cpu_sched = 100.0 * ns / 1e9 / wall
        cpu_stat = 100.0 * (ticks1 - ticks0) / CLK_TCK / wall
        gone = set(ns0) - set(ns1)
        cpu = cpu_sched if not gone else max(cpu_sched, cpu_stat)

        print('# pid %d, %d threads' % (pid, len(names)), flush=True)
        for tid, name in names.items():
            print('#   thread %s %-16s %8.3f ms on CPU, %d context switches'
                  % (tid, name, (ns1.get(tid, 0) - ns0.get(tid, 0)) / 1e6,
                     cs1.get(tid, 0) - cs0.get(tid, 0)), flush=True)
        emit(results, 'applet_wakeups_per_second',
             sum(cs1.get(t, 0) - cs0.get(t, 0) for t in cs1) / wall, '/s')
        print('# measured %.1f s idle after %.0f s warm-up, window open: %s'
              % (wall, warmup, windows_open), flush=True)
        emit(results, 'applet_pss_kib', roll1.get('Pss', 0), 'KiB')
        emit(results, 'applet_pss_start_kib', roll0.get('Pss', 0), 'KiB')
        emit(results, 'applet_rss_kib', roll1.get('Rss', 0), 'KiB')
        emit(results, 'applet_private_kib',
             roll1.get('Private_Clean', 0) + roll1.get('Private_Dirty', 0), 'KiB')
        emit(results, 'applet_anonymous_kib', roll1.get('Anonymous', 0), 'KiB')
        emit(results, 'applet_cpu_percent', cpu, '%')
        emit(results, 'applet_cpu_schedstat_percent', cpu_sched, '%')
        emit(results, 'applet_cpu_stat_percent', cpu_stat, '%')
        emit(results, 'applet_cpu_ms', ns / 1e6, 'ms')
        emit(results, 'applet_threads', len(names))
        emit(results, 'window_seconds', wall, 's')

        if shutil.which('gnome-system-monitor'):
            print('# gnome-system-monitor is installed; its Memory column is RSS - shared '
                  '(libgtop), its CPU column the same ticks as /proc/PID/stat:', flush=True)
            emit(results, 'gsm_memory_kib', gsm_kib, 'KiB')
            emit(results, 'gsm_cpu_percent', cpu_stat, '%')
        else:
            print('# gnome-system-monitor is not installed: no figures of its own to show '
                  '(its Memory column, RSS - shared by libgtop, would read %d KiB)' % gsm_kib,
                  flush=True)

        ok = alive and not windows_open
        for name, value, bound in (('applet_pss_kib', roll1.get('Pss', 0), PSS_BOUND_KIB),
                                   ('applet_cpu_percent', cpu, CPU_BOUND_PERCENT)):
            passed = ok and value < bound
            targets[name] = {'value': value, 'bound': bound, 'pass': passed}
            print('target %s %s (%s vs < %s)' % (name, 'PASS' if passed else 'FAIL',
                                                  ('%.4f' % value) if isinstance(value, float)
                                                  else value, bound), flush=True)
        if not alive:
            print('# the applet died during the measurement:\n' + s.log_text('health-applet'))
        proc.terminate()
        try:
            proc.wait(5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    if opts.output:
        os.makedirs(opts.output, exist_ok=True)
        with open(os.path.join(opts.output, 'footprint.json'), 'w') as f:
            json.dump({'results': results, 'targets': targets}, f, indent=2)
    failed = [n for n, t in targets.items() if not t['pass']]
    if failed and os.environ.get('BENCH_STRICT') == '1':
        return 1
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--applet', required=True)
    p.add_argument('--window')
    p.add_argument('--schema-dir')
    p.add_argument('--srcdir', default=DEFAULT_SRCDIR)
    p.add_argument('--output')
    opts = p.parse_args()
    sys.path.insert(0, os.path.join(opts.srcdir, 'tests', 'e2e'))
    import session as e2e

    if 'E2E_SESSION_DIR' in os.environ:
        return inner(opts)
    missing = e2e.missing_programs()
    if missing:
        print('# SKIP missing: ' + ' '.join(missing))
        return e2e.SKIP
    if not os.access(opts.applet, os.X_OK):
        print('# SKIP no applet binary at ' + opts.applet)
        return e2e.SKIP
    if opts.window and not os.access(opts.window, os.X_OK):
        opts.window = None
    argv = [sys.executable, os.path.abspath(__file__), '--applet', opts.applet,
            '--srcdir', opts.srcdir]
    for opt in ('window', 'schema_dir', 'output'):
        if getattr(opts, opt):
            argv += ['--' + opt.replace('_', '-'), getattr(opts, opt)]
    return e2e.run_inside(argv)


if __name__ == '__main__':
    sys.exit(main())
