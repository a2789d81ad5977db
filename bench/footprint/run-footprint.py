#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""The resident applet's footprint, as `make bench` runs it.

    run-footprint.py --applet PATH [--window PATH] [--schema-dir DIR]
                     [--srcdir DIR] [--output DIR]
                     [--baseline-applet PATH --baseline-schema-dir DIR
                      --baseline-srcdir DIR]

In a private session (tests/e2e/session.py: xvfb-run -a, dbus-run-session,
private HOME, xfce4-panel with its systray, dunst), starts health-applet
with its defaults (2000 ms interval) on the live /proc, waits until its item
is registered and no window of it is open, lets it settle (BENCH_WARMUP
seconds, default 5), then measures it idle for BENCH_DURATION seconds
(default 20). It does so for every variant, one after the other in the
same session:

- recording on (the default) and off (the record-history key, through a
  schema override compiled next to a copy of the schema);
- unpinned, and pinned to one CPU with taskset (every thread on it);
- with --baseline-applet (or FOOTPRINT_BASELINE=SRCDIR, a tree built in
  SRCDIR/_build), the same for that older build, alternated with this
  one, so that both see the same load on a shared machine.

For each variant:

- PSS from /proc/PID/smaps_rollup (also RSS, private, anonymous);
- CPU of all threads: the sum over /proc/PID/task/*/schedstat (run time in
  ns), read every 0.25 s so that threads that end during the window count
  up to their last reading, as % of one core; utime+stime from
  /proc/PID/stat (10 ms clock ticks) beside it;
- wake-ups per sample (one sample per 2 s interval): voluntary context
  switches (each one a sleep that something ended) of the main thread,
  and of all threads; involuntary switches (preemption by other load)
  beside them.

Lines are "TREE.RECORD.PIN.name value unit" (e.g.
"now.record-on.pinned.cpu_percent 0.0150 %"), "target NAME PASS|FAIL
(value vs bound)" for this tree; '#' starts a comment; also written to
OUTPUT_DIR/footprint.json. Exits 0 whatever the targets say
(BENCH_STRICT=1: a failed target fails the run), 77 when Xvfb, the panel or
the applet is missing.

FOOTPRINT_PROC_ROOT=DIR samples a fixture instead (HEALTH_PROC_ROOT): values
that never change, so the figure is the applet's own cost without the
tooltip, alert and culprit traffic of a machine moving around WARNING.
FOOTPRINT_VARIANTS="record-on.unpinned ..." runs only those.

Targets (issue #12): CPU of all threads <= 0.02 % of a core, PSS under
3 MB, main-thread wake-ups <= 1 per sample, each with recording on and off,
unpinned and pinned.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SRCDIR = os.path.normpath(os.path.join(HERE, '..', '..'))
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(DEFAULT_SRCDIR, 'bench'))
from procstat import stat_ticks, threads_ns  # noqa: E402

PSS_BOUND_KIB = 3 * 1024
CPU_BOUND_PERCENT = 0.02
MAIN_WAKEUPS_BOUND = 1.0
INTERVAL_S = 2.0
APP_ID = 'io.github.healthmonitor.Applet'
SCHEMA_XML = 'io.github.healthmonitor.Applet.gschema.xml'
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


def switches(pid):
    """(voluntary, involuntary) context switches of every thread."""
    out = {}
    for tid in os.listdir('/proc/%d/task' % pid):
        try:
            with open('/proc/%d/task/%s/status' % (pid, tid)) as f:
                vol = invol = 0
                for line in f:
                    if line.startswith('voluntary_ctxt_switches'):
                        vol = int(line.split()[1])
                    elif line.startswith('nonvoluntary_ctxt_switches'):
                        invol = int(line.split()[1])
                out[tid] = (vol, invol)
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


def mapped_libhealth(pid):
    with open('/proc/%d/maps' % pid) as f:
        for line in f:
            if 'libhealth-1.so' in line:
                return os.path.realpath(line.split()[-1])
    return 'no libhealth mapped'


def record_off_schemas(xml_dir, tmp):
    """A schema directory whose record-history defaults to false."""
    out = os.path.join(tmp, 'schemas-record-off')
    os.makedirs(out, exist_ok=True)
    shutil.copy(os.path.join(xml_dir, SCHEMA_XML), out)
    with open(os.path.join(out, 'zz-footprint.gschema.override'), 'w') as f:
        f.write('[%s]\nrecord-history=false\n' % APP_ID)
    subprocess.run(['glib-compile-schemas', out], check=True)
    return out


def measure(s, tree, record, pinned, tmp, results):
    """One variant: start the applet, let it settle, measure, stop it.
    Returns its figures, or None when it did not come up."""
    label = '%s.record-%s.%s' % (tree['name'], record, 'pinned' if pinned else 'unpinned')
    warmup = float(os.environ.get('BENCH_WARMUP', '5'))
    duration = float(os.environ.get('BENCH_DURATION', '20'))

    env = dict(os.environ)
    env.pop('HEALTH_PROC_ROOT', None)          # the live /proc
    if os.environ.get('FOOTPRINT_PROC_ROOT'):
        env['HEALTH_PROC_ROOT'] = os.environ['FOOTPRINT_PROC_ROOT']
    schemas = tree['schemas_off' if record == 'off' else 'schemas']
    if schemas:
        env['GSETTINGS_SCHEMA_DIR'] = schemas
    # A journal of its own for every run.
    env['XDG_STATE_HOME'] = tempfile.mkdtemp(prefix='state-', dir=tmp)
    if tree.get('window'):
        env['HEALTH_APPLET_WINDOW'] = tree['window']
    # The build tree's library, never the other tree's (meson's test
    # environment may point LD_LIBRARY_PATH at this one).
    env['LD_LIBRARY_PATH'] = tree['libdir']
    argv = [tree['applet']]
    if pinned:
        argv = ['taskset', '-c', str(os.cpu_count() - 1)] + argv

    s.wait_name(APP_ID, 10, owned=False)
    proc = s.spawn(argv, 'health-applet', env=env)
    pid = proc.pid

    owner, secs = s.wait_for(
        lambda: (s.name_owner(APP_ID) if s.name_pid(s.name_owner(APP_ID) or '') == pid
                 else None) if proc.poll() is None else None, 15)
    if not owner:
        print('# %s: the applet did not come up (status %r):\n%s'
              % (label, proc.poll(), s.log_text('health-applet')), flush=True)
        return None

    def registered():
        for entry in s.registered_items():
            if entry.partition('/')[0] in (owner, APP_ID):
                return entry
        return None
    entry, secs = s.wait_for(registered, 10)
    if s.windows('Health Monitor'):
        print('# a window is open with a watcher present: closing it by Activate', flush=True)
        s.call(owner, '/StatusNotifierItem', 'org.kde.StatusNotifierItem', 'Activate',
               ('(ii)', (0, 0)))
        s.wait_for(lambda: not s.windows('Health Monitor'), 10)

    time.sleep(warmup)
    libhealth = mapped_libhealth(pid)
    if proc.poll() is not None:
        print('# %s: the applet exited (%r) during the warm-up:\n%s'
              % (label, proc.returncode, s.log_text('health-applet')), flush=True)
        return None

    # Threads come and go (GLib's pool threads end 15 s after their last
    # job): read every thread often, and keep what each one was last seen
    # at, so a thread that ends mid-window counts up to its last reading.
    ticks0 = stat_ticks(pid)
    ns0 = threads_ns(pid)
    cs0 = switches(pid)
    ns1, cs1 = dict(ns0), dict(cs0)
    t0 = time.monotonic()
    while time.monotonic() - t0 < duration:
        time.sleep(min(0.25, max(0.0, duration - (time.monotonic() - t0))))
        ns1.update(threads_ns(pid))
        cs1.update(switches(pid))
    t1 = time.monotonic()
    ticks1 = stat_ticks(pid)
    roll = read_rollup(pid)
    wall = t1 - t0
    gsm_kib = statm_gsm_kib(pid)
    names = thread_names(pid)
    alive = proc.poll() is None
    windows_open = bool(s.windows('Health Monitor'))
    proc.terminate()
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()

    # schedstat is in ns; /proc/PID/stat (in clock ticks, 10 ms each, so
    # a coarse check) keeps the time of threads that ended.
    ns = sum(v - ns0.get(tid, 0) for tid, v in ns1.items())
    cpu = 100.0 * ns / 1e9 / wall
    cpu_stat = 100.0 * (ticks1 - ticks0) / CLK_TCK / wall
    samples = wall / INTERVAL_S

    def delta(tid, i):
        return cs1.get(tid, (0, 0))[i] - cs0.get(tid, (0, 0))[i]
    main = str(pid)
    print('# %s: pid %d, %d threads, %.1f s idle after %.0f s warm-up, window open: %s, %s'
          % (label, pid, len(names), wall, warmup, windows_open, libhealth), flush=True)
    for tid in ns1:
        names.setdefault(tid, '(ended)')
    for tid, name in sorted(names.items(), key=lambda x: int(x[0])):
        print('#   thread %s %-16s %8.3f ms on CPU, %.2f wake-ups a sample (%d voluntary, '
              '%d involuntary switches)'
              % (tid, name, (ns1.get(tid, 0) - ns0.get(tid, 0)) / 1e6,
                 delta(tid, 0) / samples, delta(tid, 0), delta(tid, 1)), flush=True)
    fig = {
        'cpu_percent': cpu,
        'cpu_stat_percent': cpu_stat,
        'pss_kib': roll.get('Pss', 0),
        'rss_kib': roll.get('Rss', 0),
        'private_kib': roll.get('Private_Clean', 0) + roll.get('Private_Dirty', 0),
        'main_wakeups_per_sample': delta(main, 0) / samples,
        'all_wakeups_per_sample': sum(delta(t, 0) for t in cs1) / samples,
        'main_preemptions_per_sample': delta(main, 1) / samples,
        'all_preemptions_per_sample': sum(delta(t, 1) for t in cs1) / samples,
        'threads': len(names),
        'gsm_memory_kib': gsm_kib,
    }
    units = {'cpu_percent': '%', 'cpu_stat_percent': '%', 'pss_kib': 'KiB', 'rss_kib': 'KiB',
             'private_kib': 'KiB', 'gsm_memory_kib': 'KiB'}
    for name, value in fig.items():
        emit(results, label + '.' + name, value, units.get(name, ''))
    fig['ok'] = alive and not windows_open
    if not alive:
        print('# %s: the applet died during the measurement:\n%s'
              % (label, s.log_text('health-applet')), flush=True)
    return fig


def inner(opts):
    import session as e2e
    results = {}
    targets = {}
    figures = {}
    tmp = tempfile.mkdtemp(prefix='footprint-')

    def libdir(applet):
        return os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(applet))), 'lib')
    trees = [{'name': 'now', 'applet': opts.applet, 'window': opts.window,
              'libdir': libdir(opts.applet),
              'schemas': opts.schema_dir,
              'schemas_off': record_off_schemas(os.path.join(opts.srcdir, 'data', 'applet'),
                                                os.path.join(tmp, 'now'))}]
    if opts.baseline_applet:
        trees.insert(0, {'name': 'before', 'applet': opts.baseline_applet, 'window': None,
                         'libdir': libdir(opts.baseline_applet),
                         'schemas': opts.baseline_schema_dir,
                         'schemas_off': record_off_schemas(
                             os.path.join(opts.baseline_srcdir, 'data', 'applet'),
                             os.path.join(tmp, 'before'))})
    wanted = os.environ.get('FOOTPRINT_VARIANTS', '').split()

    with e2e.Session() as s:
        t_panel = s.start_panel()
        t_dunst = s.start_dunst()
        print('# panel up in %.2f s, dunst in %.2f s; /proc: %s; %d CPUs, load %s'
              % (t_panel, t_dunst, os.environ.get('FOOTPRINT_PROC_ROOT', 'live'),
                 os.cpu_count(), ' '.join('%.2f' % x for x in os.getloadavg())), flush=True)
        for record in ('on', 'off'):
            for pinned in (False, True):
                variant = 'record-%s.%s' % (record, 'pinned' if pinned else 'unpinned')
                if wanted and variant not in wanted:
                    continue
                # Alternate which tree goes first, so neither always
                # follows the other.
                order = trees if (record == 'on') == pinned else list(reversed(trees))
                for tree in order:
                    figures[(tree['name'], variant)] = measure(s, tree, record, pinned, tmp, results)

    for (tree, variant), fig in sorted(figures.items()):
        if tree != 'now':
            continue
        before = figures.get(('before', variant))
        if fig is not None and before is not None:
            for name in ('cpu_percent', 'main_wakeups_per_sample', 'all_wakeups_per_sample', 'pss_kib'):
                if before[name]:
                    emit(results, 'now_vs_before.%s.%s' % (variant, name), fig[name] / before[name], 'x')
        for name, bound, strict in (('cpu_percent', CPU_BOUND_PERCENT, False),
                                    ('pss_kib', PSS_BOUND_KIB, True),
                                    ('main_wakeups_per_sample', MAIN_WAKEUPS_BOUND, False)):
            key = 'now.%s.%s' % (variant, name)
            value = fig[name] if fig is not None else float('nan')
            passed = fig is not None and fig['ok'] and (value < bound if strict else value <= bound)
            targets[key] = {'value': value, 'bound': bound, 'pass': passed}
            print('target %s %s (%s vs %s %s)' % (key, 'PASS' if passed else 'FAIL',
                                                 ('%.4f' % value) if isinstance(value, float) else value,
                                                 '<' if strict else '<=', bound), flush=True)
    shutil.rmtree(tmp, ignore_errors=True)

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
    p.add_argument('--baseline-applet')
    p.add_argument('--baseline-schema-dir')
    p.add_argument('--baseline-srcdir')
    opts = p.parse_args()
    base = os.environ.get('FOOTPRINT_BASELINE')
    if base and not opts.baseline_applet:
        opts.baseline_applet = os.path.join(base, '_build', 'applet', 'health-applet')
        opts.baseline_schema_dir = os.path.join(base, '_build', 'data', 'applet')
        opts.baseline_srcdir = base
    if opts.baseline_applet and not os.access(opts.baseline_applet, os.X_OK):
        print('# no baseline applet at %s: this tree alone' % opts.baseline_applet)
        opts.baseline_applet = None
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
    for opt in ('window', 'schema_dir', 'output', 'baseline_applet', 'baseline_schema_dir',
                'baseline_srcdir'):
        if getattr(opts, opt):
            argv += ['--' + opt.replace('_', '-'), getattr(opts, opt)]
    return e2e.run_inside(argv)


if __name__ == '__main__':
    sys.exit(main())
