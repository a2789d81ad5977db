#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""What GNOME Shell's indicator costs the shell, as `make bench` runs it.

    run-shell-cpu.py --applet PATH --builddir DIR [--schema-dir DIR]
                     [--srcdir DIR] [--output DIR]

In a private headless GNOME Shell 43 (tests/e2e/shell_session.py), with
health-applet running on its defaults (2000 ms) on the live /proc and
the indicator (data/gnome-shell/, the build tree's typelib) installed
but disabled, measures the shell's CPU time, all threads, over
BENCH_DURATION seconds (default 20) with the extension off, then
BENCH_ROUNDS times (default 2) on and off again, each window after
BENCH_WARMUP seconds (default 5) of settling. The
shell's run time comes from /proc/PID/task/*/schedstat (ns), with
utime+stime from /proc/PID/stat beside it, and the frames the shell
painted (its stage's after-paint) meanwhile.

The figure is `ratio`: the mean CPU with the extension over the mean
without; `noise` is half the spread of the runs without, relative to
their mean: a ratio within 1 ± noise (at least ±5 %) is "unchanged
within noise" (the target).

Lines are "name value unit" and "target NAME PASS|FAIL (...)"; '#'
starts a comment; also written to OUTPUT_DIR/gnome-shell-cpu.json.
Exits 0 whatever the target says (BENCH_STRICT=1: a failed target fails
the run), 77 when gnome-shell or the applet is missing.
"""

import argparse
import json
import os
import statistics
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRCDIR = os.path.normpath(os.path.join(HERE, '..', '..'))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(DEFAULT_SRCDIR, 'bench'))
from procstat import stat_ticks, threads_ns  # noqa: E402
sys.path.insert(0, os.path.join(DEFAULT_SRCDIR, 'tests', 'e2e'))
import shell_session as gs  # noqa: E402

APP_ID = 'io.github.healthmonitor.Applet'
UUID = 'health-monitor@healthmonitor.github.io'
CLK_TCK = os.sysconf('SC_CLK_TCK')


def measure(pid, duration):
    """CPU of pid, all threads, over duration: (% of a core by schedstat,
    % by stat)."""
    ns0, ticks0, t0 = threads_ns(pid), stat_ticks(pid), time.monotonic()
    time.sleep(duration)
    ns1, ticks1, t1 = threads_ns(pid), stat_ticks(pid), time.monotonic()
    wall = t1 - t0
    ns = sum(v - ns0.get(tid, 0) for tid, v in ns1.items())
    return 100.0 * ns / 1e9 / wall, 100.0 * (ticks1 - ticks0) / CLK_TCK / wall


# Frames the shell painted so far: a panel that changes nothing paints
# nothing, whatever the extension does between samples.
PAINTS_JS = '''(() => {
  if (!globalThis._healthBenchPaints) {
    globalThis._healthBenchPaints = {n: 0};
    global.stage.connect('after-paint', () => globalThis._healthBenchPaints.n++);
  }
  return globalThis._healthBenchPaints.n;
})()'''


def emit(results, name, value, unit=''):
    results[name] = value
    text = '%.4f' % value if isinstance(value, float) else str(value)
    print(('%s %s %s' % (name, text, unit)).rstrip(), flush=True)


def inner(opts):
    results = {}
    warmup = float(os.environ.get('BENCH_WARMUP', '5'))
    duration = float(os.environ.get('BENCH_DURATION', '20'))
    rounds = int(os.environ.get('BENCH_ROUNDS', '2'))
    lib = os.path.join(opts.builddir, 'lib')

    with gs.ShellSession() as s:
        s.install_icons(opts.srcdir)
        s.install_extension(os.path.join(opts.srcdir, 'data', 'gnome-shell', UUID))
        secs = s.start_shell([], env={'GI_TYPELIB_PATH': lib, 'LD_LIBRARY_PATH': lib})
        shell = s.shell.pid
        print('# gnome-shell %d ready after %.2f s' % (shell, secs), flush=True)

        env = dict(os.environ)
        env.pop('HEALTH_PROC_ROOT', None)           # the live /proc
        env['GSETTINGS_BACKEND'] = 'memory'
        if opts.schema_dir:
            env['GSETTINGS_SCHEMA_DIR'] = opts.schema_dir
        applet = s.spawn([opts.applet], 'health-applet', env=env)
        ok, secs = s.wait_for(lambda: s.name_pid(s.name_owner(APP_ID) or '') == applet.pid, 15)
        if not ok:
            print('# the applet did not come up:\n%s' % s.log_text('health-applet'), flush=True)
            return 1
        print('# applet %d up in %.2f s; %.0f s windows after %.0f s of warm-up'
              % (applet.pid, secs, duration, warmup), flush=True)

        def run(name, enabled):
            s.eval("Main.extensionManager.%s('%s')"
                   % ('enableExtension' if enabled else 'disableExtension', UUID))
            state = s.extension_info(UUID).get('state')
            if enabled and state != 1:
                raise RuntimeError('the extension did not enable (state %r):\n%s'
                                   % (state, s.log_text('gnome-shell')[-3000:]))
            if enabled:
                icon, _ = s.wait_for(lambda: s.eval(
                    "Main.panel.statusArea['health-monitor']._icon.icon_name") !=
                    'health-unknown-symbolic', 10)
                print('# %s: the indicator follows the applet (%s)' % (name, bool(icon)),
                      flush=True)
            time.sleep(warmup)
            paints0 = s.eval(PAINTS_JS)
            sched, stat = measure(shell, duration)
            paints = s.eval(PAINTS_JS) - paints0
            emit(results, name + '_cpu', sched, '%')
            emit(results, name + '_cpu_stat', stat, '%')
            emit(results, name + '_paints', paints)
            return sched

        offs = [run('off_1', False)]
        ons = []
        for i in range(1, rounds + 1):
            ons.append(run('on_%d' % i, True))
            offs.append(run('off_%d' % (i + 1), False))
        base = statistics.mean(offs)
        ratio = statistics.mean(ons) / base if base > 0 else float('nan')
        # The spread of the runs without, relative to their mean: what
        # the machine does besides the shell.
        noise = (max(offs) - min(offs)) / 2 / base if base > 0 else float('nan')
        emit(results, 'off_cpu_mean', base, '%')
        emit(results, 'on_cpu_mean', statistics.mean(ons), '%')
        emit(results, 'ratio', ratio)
        emit(results, 'noise', noise)
        emit(results, 'duration', duration, 's')
        emit(results, 'rounds', rounds)
        alive = applet.poll() is None and s.shell.poll() is None
        emit(results, 'alive', int(alive))
        within = alive and abs(ratio - 1) <= max(noise, 0.05)
        print('target shell_cpu_unchanged %s (ratio %.3f, noise ±%.3f)'
              % ('PASS' if within else 'FAIL', ratio, noise), flush=True)
        results['target_shell_cpu_unchanged'] = within
        if opts.output:
            with open(os.path.join(opts.output, 'gnome-shell-cpu.json'), 'w') as f:
                json.dump(results, f, indent=2)
        if os.environ.get('BENCH_STRICT') and not within:
            return 1
        return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--applet', required=True)
    p.add_argument('--builddir', required=True)
    p.add_argument('--schema-dir')
    p.add_argument('--srcdir', default=DEFAULT_SRCDIR)
    p.add_argument('--output')
    opts = p.parse_args()
    for name in ('builddir', 'srcdir', 'output', 'applet'):
        if getattr(opts, name):
            setattr(opts, name, os.path.abspath(getattr(opts, name)))

    if 'E2E_SESSION_DIR' in os.environ:
        return inner(opts)
    lacking = gs.missing()
    if lacking:
        print('# SKIP missing (Debian: gnome-shell): %s' % ' '.join(lacking))
        return gs.SKIP
    if not os.access(opts.applet, os.X_OK):
        print('# SKIP no applet binary at %s' % opts.applet)
        return gs.SKIP
    argv = [sys.executable, os.path.abspath(__file__), '--applet', opts.applet,
            '--builddir', opts.builddir, '--srcdir', opts.srcdir]
    if opts.schema_dir:
        argv += ['--schema-dir', os.path.abspath(opts.schema_dir)]
    if opts.output:
        argv += ['--output', opts.output]
    return gs.run_inside(argv)


if __name__ == '__main__':
    sys.exit(main())
