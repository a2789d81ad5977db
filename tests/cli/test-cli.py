#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-cli.py HEALTH-MONITOR
#
# Runs the built `health-monitor` command against /proc trees made here,
# in a temporary directory, so the test needs no fixture from elsewhere:
# exit statuses, `status --json`, the human table, `watch` on a pipe, and
# `watch` on a real terminal (tmux) when tmux is installed; output that
# cannot be written (a full disk, a closed descriptor, a reader gone, a
# terminal hung up); and text from elsewhere (a remote monitor's labels,
# a peer's errors, log lines) reaching the terminal clean, on a private
# session bus when dbus-daemon and the typelib are there. Output is TAP.

import json
import os
import pty
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import unicodedata

CLI = os.path.abspath(sys.argv[1])
EXPORTER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "export-monitor.py")

# The machine's metrics, which every command shows.
SYSTEM_IDS = [
    "memory-usage", "memory-available", "swap-usage", "cpu-usage",
    "load-average", "disk-usage", "memory-pressure", "cpu-pressure",
    "io-pressure",
]
# The short-lived CLI process's own, only with --self.
PROCESS_IDS = [
    "process-memory", "thread-count", "open-files",
    "main-loop-latency", "tracked-objects", "monitor-cost",
]
PROCESS_LABELS = [
    "Process Memory", "Thread Count", "Open Files",
    "Main Loop Latency", "Tracked Objects", "Monitor Cost",
]
BUILTIN_IDS = SYSTEM_IDS + PROCESS_IDS
STATUSES = ["unknown", "excellent", "good", "warning", "critical", "emergency"]
SPARK_CHARS = set("▁▂▃▄▅▆▇█")
# The metric's row, not the alert message that may start with its label.
MEMORY_ROW = re.compile(r"^Memory Usage\s+\d")
PLAIN_LINE = re.compile(
    r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d\d:\d\d "
    r"(?P<id>[a-z0-9-]+) "
    r"(?P<value>nan|-?inf|-?\d+(?:\.\d+)?) "
    r"(?P<status>" + "|".join(STATUSES) + r")$")

TOTAL_KIB = 16 * 1024 * 1024


# -- fixtures -----------------------------------------------------------------

def make_proc(root, available_percent, swap_kib=8388608):
    """A /proc tree with MemAvailable at `available_percent` of MemTotal."""
    available = TOTAL_KIB * available_percent // 100
    files = {
        "meminfo": (
            f"MemTotal:       {TOTAL_KIB} kB\n"
            f"MemFree:        {available // 2} kB\n"
            f"MemAvailable:   {available} kB\n"
            "Buffers:           20480 kB\n"
            f"Cached:         {available // 2} kB\n"
            "SwapCached:            0 kB\n"
            "Shmem:             10240 kB\n"
            "SReclaimable:      40960 kB\n"
            f"SwapTotal:       {swap_kib} kB\n"
            f"SwapFree:        {swap_kib} kB\n"
        ),
        "stat": (
            "cpu  2323 0 1799 158113 504 0 40 13 0 0\n"
            "cpu0 680 0 653 80015 8 0 16 4 0 0\n"
            "cpu1 1642 0 1145 78097 496 0 23 8 0 0\n"
            "intr 151559 0 0\n"
            "ctxt 312772\n"
            "btime 1700000000\n"
            "processes 4952\n"
            "procs_running 1\n"
            "procs_blocked 0\n"
        ),
        "loadavg": "0.06 0.03 0.00 1/83 4952\n",
        "pressure/cpu": (
            "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
            "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        ),
        "pressure/io": (
            "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
            "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        ),
        "pressure/memory": (
            "some avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
            "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n"
        ),
        "self/statm": "765 440 412 5 0 123 0\n",
        "self/stat": (
            "4958 (health-monitor) R 4948 4943 2761 0 -1 4194304 75 0 0 0 0 0 "
            "0 0 20 0 1 0 81642 3133440 412 18446744073709551615 1 1 0 0 0 0 "
            "0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n"
        ),
    }
    for path, text in files.items():
        full = os.path.join(root, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)
    os.makedirs(os.path.join(root, "self", "fd"), exist_ok=True)
    for fd in range(4):
        open(os.path.join(root, "self", "fd", str(fd)), "w").close()
    return root


# -- TAP ----------------------------------------------------------------------

n_tests = 0
n_failed = 0


def report(ok, name, detail=None, skip=None):
    global n_tests, n_failed
    n_tests += 1
    if skip is not None:
        print(f"ok {n_tests} - {name} # SKIP {skip}", flush=True)
        return
    if not ok:
        n_failed += 1
    print(f"{'ok' if ok else 'not ok'} {n_tests} - {name}", flush=True)
    if not ok and detail:
        for line in str(detail).splitlines():
            print(f"# {line}", flush=True)


def check(name, condition, detail=None):
    report(bool(condition), name, detail)
    return bool(condition)


# -- running the command ------------------------------------------------------

def env_for(proc_root=None, **extra):
    env = dict(os.environ)
    env.pop("NO_COLOR", None)
    env["LC_ALL"] = "C.UTF-8"
    env["G_DEBUG"] = "fatal-criticals"
    if proc_root is not None:
        env["HEALTH_PROC_ROOT"] = proc_root
    env.update(extra)
    return env


def run(args, proc_root=None, cwd=None, **extra):
    return subprocess.run([CLI] + args, env=env_for(proc_root, **extra), cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=30)


def describe(result):
    return (f"exit {result.returncode}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}")


def expected_exit(summary):
    if summary.get("overall_status") == "unknown":
        return 3
    return 1 if summary.get("overall_status") in ("critical", "emergency") else 0


# -- usage --------------------------------------------------------------------

def test_usage(tmp):
    r = run(["--version"])
    check("--version prints the version",
          r.returncode == 0 and re.match(r"^health-monitor \d+\.\d+\.\d+\n$", r.stdout),
          describe(r))

    r = run(["--help"])
    check("--help lists the commands",
          r.returncode == 0 and "status" in r.stdout and "watch" in r.stdout, describe(r))

    r = run(["help", "watch"])
    check("help watch shows the options of watch",
          r.returncode == 0 and "--interval" in r.stdout, describe(r))

    r = run(["status", "--help"])
    check("status --help shows --json", r.returncode == 0 and "--json" in r.stdout, describe(r))

    for args, what in ((["watch", "--help"], "--interval"),):
        r = run(args)
        check("watch --help shows --interval", r.returncode == 0 and what in r.stdout,
              describe(r))

    for command in ("status", "watch", "export", "serve"):
        r = run([command, "--help"])
        check(f"{command} --help shows --self", r.returncode == 0 and "--self" in r.stdout,
              describe(r))

    usage_errors = [
        ([], "no command"),
        (["frobnicate"], "an unknown command"),
        (["--bogus"], "an unknown global option"),
        (["status", "--bogus"], "an unknown status option"),
        (["status", "extra"], "an extra argument"),
        (["watch", "--interval=0"], "a zero interval"),
        (["watch", "--interval=-5"], "a negative interval"),
        (["watch", "--interval=soon"], "an interval that is not a number"),
    ]
    for args, what in usage_errors:
        r = run(args)
        check(f"exit 2 with a message on stderr for {what}",
              r.returncode == 2 and r.stderr.strip() and not r.stdout, describe(r))

    # What the library refuses (10 ms to a day) is a usage error, never a
    # critical and another interval.
    for command, extra in (("watch", []), ("serve", ["--listen=127.0.0.1:0"])):
        for value in ("0", "5", "9", "-1", "86400001", "2147483648", "99999999999",
                      "soon", "", "1e3"):
            r = run([command, f"--interval={value}"] + extra)
            check(f"{command} --interval={value!r} is a usage error (exit 2)",
                  r.returncode == 2 and not r.stdout and "CRITICAL" not in r.stderr
                  and f"health-monitor {command}:" in r.stderr, describe(r))
        r = run([command, "--interval=5"] + extra)
        check(f"{command} --interval=5 names the limits",
              "10" in r.stderr and "86400000" in r.stderr, describe(r))


def test_interval_limits(tmp, full):
    """The limits themselves are taken."""
    for value, least in (("10", 10), ("86400000", 1)):
        rc, out, err = watch_piped(full, tmp, signal.SIGTERM, seconds=0.6,
                                   args=[f"--interval={value}"])
        blocks = [l for l in out.splitlines() if " memory-usage " in l]
        check(f"watch --interval={value} samples (at least {least} block)",
              rc == 1 and len(blocks) >= least and "CRITICAL" not in err,
              f"exit {rc}\nstderr:\n{err}")


# -- status -------------------------------------------------------------------

def test_status(tmp, full, healthy):
    r = run(["status", "--json"], proc_root=full, cwd=tmp)
    try:
        summary = json.loads(r.stdout)
    except ValueError as e:
        check("status --json prints JSON", False, f"{e}\n{describe(r)}")
        return
    check("status --json prints JSON", True)

    metrics = summary.get("metrics", {})
    missing = [i for i in SYSTEM_IDS if i not in metrics]
    check("status --json has every system metric id", not missing, f"missing: {missing}")
    check("status --json has no metric of its own process without --self",
          not set(PROCESS_IDS) & set(metrics), sorted(metrics))

    for key in ("overall_status", "monitoring_active", "metrics", "alerts", "recommendations"):
        check(f"status --json has the key {key}", key in summary, sorted(summary))

    usage = metrics.get("memory-usage", {})
    check("memory-usage is 95 % with MemAvailable at 5 %",
          isinstance(usage.get("value"), (int, float)) and abs(usage["value"] - 95.0) < 0.1,
          usage)
    check("memory-usage is critical at 95 %", usage.get("status") == "critical", usage)
    check("overall status is critical or worse at 95 %",
          summary.get("overall_status") in ("critical", "emergency"), summary.get("overall_status"))
    check("status --json exits 1 when memory is 95 % used", r.returncode == 1, describe(r))

    r = run(["status", "--json"], proc_root=healthy, cwd=tmp)
    summary = json.loads(r.stdout)
    usage = summary["metrics"].get("memory-usage", {})
    check("memory-usage is good at 20 %", usage.get("status") == "good", usage)
    # The disk or the machine may be unhealthy for real; the exit status must
    # follow the overall status either way.
    check("status exit status follows the overall status",
          r.returncode == expected_exit(summary),
          f"overall {summary.get('overall_status')}\n{describe(r)}")

    r = run(["status"], proc_root=full, cwd=tmp)
    check("status table exits 1 when memory is 95 % used", r.returncode == 1, describe(r))
    check("status table piped has no escape codes", "\x1b" not in r.stdout, repr(r.stdout))
    check("status table has a line per metric, the overall status and recommendations",
          "Memory Usage" in r.stdout and "Overall status:" in r.stdout
          and "Critical" in r.stdout and "Recommendations:" in r.stdout, r.stdout)
    line = next((l for l in r.stdout.splitlines() if l.startswith("Memory Usage")), "")
    check("status table line shows the formatted value and the status",
          "95" in line and "Critical" in line, repr(line))

    r = run(["status"], proc_root=full, cwd=tmp, NO_COLOR="1")
    check("status table with NO_COLOR has no escape codes",
          r.returncode == 1 and "\x1b" not in r.stdout, describe(r))


def test_self(tmp, full):
    """The CLI describes the machine; its own process only with --self."""
    r = run(["status"], proc_root=full, cwd=tmp)
    shown = [l for l in PROCESS_LABELS if l in r.stdout]
    check("status table has no row of its own process without --self", not shown, r.stdout)

    r = run(["status", "--self"], proc_root=full, cwd=tmp)
    missing = [l for l in PROCESS_LABELS if l not in r.stdout]
    check("status --self table has the rows of its own process", not missing,
          f"missing {missing}\n{describe(r)}")

    r = run(["status", "--self", "--json"], proc_root=full, cwd=tmp)
    try:
        metrics = json.loads(r.stdout).get("metrics", {})
    except ValueError as e:
        metrics = {}
    missing = [i for i in BUILTIN_IDS if i not in metrics]
    check("status --self --json has every built-in metric id", not missing,
          f"missing {missing}\n{describe(r)}")
    check("status --self --json says which metrics are the process's",
          all(metrics.get(i, {}).get("scope") == "process" for i in PROCESS_IDS)
          and all(metrics.get(i, {}).get("scope") == "system" for i in SYSTEM_IDS),
          {i: metrics.get(i, {}).get("scope") for i in BUILTIN_IDS})

    # open-files in one unit everywhere: the table, the JSON, the exposition.
    r = run(["status", "--self"], proc_root=full, cwd=tmp)
    row = next((l for l in r.stdout.splitlines() if l.startswith("Open Files")), "")
    check("status --self shows open files in fds", re.search(r"\b4 fds\b", row), repr(row))
    r = run(["status", "--self", "--json"], proc_root=full, cwd=tmp)
    open_files = json.loads(r.stdout)["metrics"]["open-files"]
    check("status --self --json has open files in fds, formatted too",
          open_files["unit"] == "fds" and open_files["formatted"] == "4 fds", open_files)
    r = run(["export", "--self"], proc_root=full, cwd=tmp)
    check("export --self has open files in fds",
          "# HELP health_open_files Open Files (fds)\n" in r.stdout
          and 'metric="open-files",label="Open Files",unit="fds"' in r.stdout, r.stdout)

    r = run(["export"], proc_root=full, cwd=tmp)
    series = [i for i in PROCESS_IDS if "health_" + i.replace("-", "_") in r.stdout]
    check("export has no series of its own process without --self",
          r.returncode == 0 and not series and "health_memory_usage_ratio" in r.stdout,
          f"{series}\n{describe(r)}")
    r = run(["export", "--self"], proc_root=full, cwd=tmp)
    missing = [i for i in PROCESS_IDS if "health_" + i.replace("-", "_") not in r.stdout]
    check("export --self has the series of its own process",
          r.returncode == 0 and not missing, f"{missing}\n{describe(r)}")

    for args, want in (([], set()), (["--self"], set(PROCESS_IDS))):
        rc, out, err = watch_piped(full, tmp, signal.SIGTERM, seconds=0.6, args=args)
        ids = {m.group("id") for m in map(PLAIN_LINE.match, out.splitlines()) if m}
        check(f"watch {' '.join(args) or 'without --self'} shows "
              f"{'its own process too' if want else 'the machine only'}",
              set(SYSTEM_IDS) <= ids and ids & set(PROCESS_IDS) == want,
              f"ids {sorted(ids)}\nexit {rc}\nstderr:\n{err}")


# -- details: the disk watched, no swap -----------------------------------------

def table_row(text, label):
    return next((l for l in text.splitlines() if l.startswith(label)), "")


def test_details(tmp, full):
    disk = os.path.join(tmp, "disk")
    os.makedirs(disk, exist_ok=True)

    r = run(["status", "--json"], proc_root=full, cwd=disk)
    detail = json.loads(r.stdout)["metrics"]["disk-usage"].get("detail")
    check("disk-usage watches the working directory by default, and says so",
          detail == disk, detail)
    r = run(["status"], proc_root=full, cwd=disk)
    row = table_row(r.stdout, "Disk Usage")
    check("status shows the path disk-usage watches next to its label",
          row.startswith(f"Disk Usage ({disk})") and "%" in row, r.stdout)

    for args in (["--disk-path", disk], [f"--disk-path={disk}/."], ["--disk-path", "disk"]):
        r = run(["status", "--json"] + args, proc_root=full, cwd=tmp)
        detail = json.loads(r.stdout)["metrics"]["disk-usage"].get("detail") if r.stdout else None
        check(f"status {' '.join(args)} watches that path, absolute",
              r.returncode == 1 and detail == disk, f"{detail}\n{describe(r)}")

    r = run(["export", "--disk-path", disk], proc_root=full, cwd=tmp)
    check("export takes --disk-path", r.returncode == 0 and "health_disk_usage_ratio" in r.stdout,
          describe(r))
    rc, out, err = watch_piped(full, tmp, signal.SIGTERM, seconds=0.5, args=["--disk-path", disk])
    check("watch takes --disk-path", rc == 1 and " disk-usage " in out, err)

    missing = os.path.join(tmp, "no-such-disk")
    for command, extra in (("status", []), ("watch", []), ("export", []),
                           ("serve", ["--listen=127.0.0.1:0"])):
        r = run([command, "--disk-path", missing] + extra, proc_root=full, cwd=tmp)
        check(f"{command} --disk-path of a missing path is a usage error (exit 2)",
              r.returncode == 2 and missing in r.stderr and not r.stdout, describe(r))
    r = run(["status", "--bus", "org.example.Nobody", "--disk-path", disk], proc_root=full)
    check("status --bus --disk-path is a usage error (the remote watches its own disk)",
          r.returncode == 2 and "--disk-path" in r.stderr, describe(r))

    noswap = make_proc(os.path.join(tmp, "proc-noswap"), 80, swap_kib=0)
    r = run(["status", "--json"], proc_root=noswap, cwd=tmp)
    swap = json.loads(r.stdout)["metrics"]["swap-usage"]
    check("no swap is good at 0 % with the detail 'no swap', not unknown",
          swap["status"] == "good" and swap["value"] == 0 and swap.get("detail") == "no swap", swap)
    r = run(["status"], proc_root=noswap, cwd=tmp)
    row = table_row(r.stdout, "Swap Usage")
    check("status says 'no swap' on the swap row", "no swap" in row and "Good" in row, r.stdout)


# -- one-shot status: no trend ------------------------------------------------

TREND_WORDS = re.compile(r"increasing|decreasing|\bstable\b|in about|forecast", re.I)


def test_no_trend_yet(tmp, full):
    """A trend needs five samples over 30 s: one status has none, and no
    forecast, however the machine moves meanwhile."""
    for root, where in ((None, "this machine"), (full, "95 % memory")):
        for attempt in range(3):
            r = run(["status"], proc_root=root, cwd=tmp)
            table = r.stdout.split("\n\n")[0].splitlines()[1:]
            rows = [l for l in table if l]
            check(f"status on {where} says 'no trend yet' on every row (run {attempt + 1})",
                  rows and all(l.rstrip().endswith("no trend yet") for l in rows),
                  r.stdout)
            check(f"status on {where} has no trend or forecast words (run {attempt + 1})",
                  not TREND_WORDS.search(r.stdout), r.stdout)

            r = run(["status", "--json"], proc_root=root, cwd=tmp)
            metrics = json.loads(r.stdout)["metrics"]
            # A forecast of 0 is no forecast: the metric is critical already.
            bad = {i: (m["trend"], m["forecast_critical"], m["status"]) for i, m in metrics.items()
                   if m["trend"] != "insufficient_data"
                   or m["forecast_critical"] != (0 if m["status"] == "critical" else -1)}
            check(f"status --json on {where} has no trend and no forecast (run {attempt + 1})",
                  not bad, bad)


# -- nothing readable ---------------------------------------------------------

REASON = "Nothing about the machine could be read"


def test_unknown(tmp):
    """No readable /proc: unknown, said once, never 'Excellent'."""
    empty = os.path.join(tmp, "proc-empty")
    os.makedirs(empty, exist_ok=True)
    missing = os.path.join(tmp, "proc-missing")

    for root, what in ((missing, "a missing proc root"), (empty, "an empty proc root")):
        for args in (["status"], ["status", "--self"]):
            r = run(args, proc_root=root, cwd=tmp)
            name = f"{' '.join(args)} with {what}"
            check(f"{name} exits 3 (unknown)", r.returncode == 3, describe(r))
            check(f"{name} says the overall status is unknown",
                  "Overall status: Unknown" in r.stdout and "Excellent" not in r.stdout,
                  describe(r))
            check(f"{name} says why once on stderr, naming the files",
                  r.stderr.count(REASON) == 1
                  and f"health-monitor status: {REASON}" in r.stderr
                  and os.path.join(root, "meminfo") in r.stderr, describe(r))

        r = run(["status", "--json"], proc_root=root, cwd=tmp)
        try:
            summary = json.loads(r.stdout)
        except ValueError:
            summary = {}
        check(f"status --json with {what} prints JSON with overall_status unknown",
              summary.get("overall_status") == "unknown", describe(r))
        check(f"status --json with {what} exits 3 and says why once on stderr",
              r.returncode == 3 and r.stderr.count(REASON) == 1, describe(r))

        r = run(["export"], proc_root=root, cwd=tmp)
        check(f"export with {what} still writes the metrics, exit 0",
              r.returncode == 0 and "health_status{" in r.stdout, describe(r))
        check(f"export with {what} says why once on stderr",
              r.stderr.count(REASON) == 1 and "health-monitor export: " in r.stderr,
              describe(r))

        rc, out, err = watch_piped(root, tmp, signal.SIGTERM, seconds=1.0)
        blocks = [l for l in out.splitlines() if " memory-usage " in l]
        check(f"watch piped with {what} exits 3 and says why once for several samples",
              rc == 3 and len(blocks) >= 3 and err.count(REASON) == 1
              and "health-monitor watch: " in err,
              f"exit {rc}\nstdout:\n{out}\nstderr:\n{err}")


# -- watch on a pipe ----------------------------------------------------------

def watch_piped(proc_root, cwd, stop_signal, seconds=1.2, args=(), **extra):
    p = subprocess.Popen([CLI, "watch", "--interval=200"] + list(args),
                         env=env_for(proc_root, **extra), cwd=cwd,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True)
    time.sleep(seconds)
    p.send_signal(stop_signal)
    try:
        out, err = p.communicate(timeout=10)
    except subprocess.TimeoutExpired:
        p.kill()
        out, err = p.communicate()
        return None, out, err
    return p.returncode, out, err


def test_watch_piped(tmp, full):
    for sig in (signal.SIGINT, signal.SIGTERM):
        rc, out, err = watch_piped(full, tmp, sig)
        name = sig.name
        detail = f"exit {rc}\nstdout:\n{out}\nstderr:\n{err}"
        check(f"watch piped quits on {name}", rc is not None, detail)
        check(f"watch piped exits 1 on {name} when memory is 95 % used", rc == 1, detail)
        check(f"watch piped prints no escape codes ({name})", "\x1b" not in out, repr(out))

        lines = out.splitlines()
        bad = [l for l in lines if not PLAIN_LINE.match(l)]
        check(f"watch piped prints only 'time metric-id value status' lines ({name})",
              lines and not bad, "\n".join(bad[:5]) or "no output")

        usage = [PLAIN_LINE.match(l) for l in lines]
        usage = [m for m in usage if m and m.group("id") == "memory-usage"]
        check(f"watch piped prints a block per sample, several in ~1 s ({name})",
              len(usage) >= 3, detail)
        times = {l.split(" ", 1)[0] for l in lines if " memory-usage " in l}
        check(f"watch piped blocks have distinct times ({name})",
              len(times) == len(usage), sorted(times))
        check(f"watch piped reports memory-usage 95 critical ({name})",
              usage and all(m.group("value") == "95" and m.group("status") == "critical"
                            for m in usage), detail)
        ids = {m.group("id") for m in map(PLAIN_LINE.match, lines) if m}
        check(f"watch piped covers every system metric ({name})",
              set(SYSTEM_IDS) <= ids, sorted(set(SYSTEM_IDS) - ids))


# -- output that cannot be written ---------------------------------------------

def shell(command, proc_root=None, cwd=None, **extra):
    """`command` run by bash, for redirections such as >&- and >/dev/full."""
    return subprocess.run(["bash", "-c", command], env=env_for(proc_root, **extra), cwd=cwd,
                          stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=30)


def says_write_failed(result, reason):
    return (result.returncode == 1 and "Could not write to standard output" in result.stderr
            and reason in result.stderr)


def end_of(process):
    """The exit status and stderr of a process that should end by itself."""
    try:
        rc = process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        rc = process.wait()
    err = process.stderr.read()
    process.stderr.close()
    return rc, err


def test_write_errors(tmp, healthy):
    cli = shlex.quote(CLI)
    commands = [
        ("status", "status"),
        ("status --json", "status --json"),
        ("--version", "--version"),
        ("--help", "--help"),
        ("status --help", "status --help"),
        ("help watch", "help watch"),
        ("export", "export"),
        ("watch", "watch --interval=100"),
        ("serve", "serve --listen 127.0.0.1:0"),
    ]
    for name, args in commands:
        for target, how, reason in (("/dev/full", "to /dev/full", "No space left on device"),
                                    ("&-", "with stdout closed", "Bad file descriptor")):
            r = shell(f"exec timeout -s KILL 20 {cli} {args} >{target}", proc_root=healthy, cwd=tmp)
            check(f"{name} {how}: exit 1 and says why", says_write_failed(r, reason), describe(r))

    # A reader that went away: with SIGPIPE ignored (as GIO does for its
    # sockets), every write fails with EPIPE and watch must stop.
    p = subprocess.Popen([CLI, "watch", "--interval=100"], env=env_for(healthy), cwd=tmp,
                         stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True,
                         preexec_fn=lambda: signal.signal(signal.SIGPIPE, signal.SIG_IGN))
    p.stdout.readline()
    p.stdout.close()
    rc, err = end_of(p)
    check("watch whose reader went away: exit 1 and says why (EPIPE)",
          rc == 1 and "Could not write to standard output: Broken pipe" in err,
          f"exit {rc}\nstderr:\n{err}")

    # A terminal that hung up: writes fail with EIO.
    master, slave = pty.openpty()
    p = subprocess.Popen([CLI, "watch", "--interval=100"], env=env_for(healthy, TERM="xterm"),
                         cwd=tmp, stdin=subprocess.DEVNULL, stdout=slave,
                         stderr=subprocess.PIPE, text=True, start_new_session=True)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + 10
    while b"Memory Usage" not in seen and time.monotonic() < deadline:
        try:
            seen += os.read(master, 65536)
        except OSError:
            break
    os.close(master)
    rc, err = end_of(p)
    check("watch on a terminal that hung up: exit 1 and says why (EIO)",
          b"Memory Usage" in seen and rc == 1
          and "Could not write to standard output: Input/output error" in err,
          f"exit {rc}\nstderr:\n{err}\nseen {seen[-200:]!r}")

    # Nothing wrong: the same commands still exit as before.
    r = shell(f"{cli} --version >/dev/null")
    check("--version to /dev/null: exit 0, nothing said", r.returncode == 0 and not r.stderr,
          describe(r))


# -- text from elsewhere ----------------------------------------------------------

def unsafe(text, allowed="\n"):
    """What a terminal or a renderer would obey rather than show."""
    return [c for c in text if c not in allowed and c not in "\u200c\u200d"
            and unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp")]


class SessionBus:
    """A private session bus for exporters and the command."""

    def __init__(self):
        self.daemon = subprocess.Popen(["dbus-daemon", "--session", "--nofork",
                                        "--print-address=1"],
                                       stdout=subprocess.PIPE, text=True)
        self.address = self.daemon.stdout.readline().strip()
        self.exporters = []

    def export(self, name, mode):
        env = dict(os.environ, DBUS_SESSION_BUS_ADDRESS=self.address,
                   HEALTH_PROC_ROOT=self.proc_root)
        p = subprocess.Popen(["/usr/bin/python3", EXPORTER, name, mode], env=env,
                             stdout=subprocess.PIPE, text=True)
        self.exporters.append(p)
        return p.stdout.readline().strip() == "ready"

    def close(self):
        for p in self.exporters + [self.daemon]:
            p.terminate()
            p.wait()
            p.stdout.close()


def bus_available():
    if shutil.which("dbus-daemon") is None:
        return "dbus-daemon is not installed"
    typelibs = os.environ.get("GI_TYPELIB_PATH", "")
    if not any(os.path.exists(os.path.join(d, "Health-1.typelib"))
               for d in typelibs.split(":") if d):
        return "no Health-1 typelib on GI_TYPELIB_PATH"
    return None


HOSTILE_LABEL = "\x1b]0;pwned\x07Queue\u202e\x1b[2J"
HOSTILE_UNIT = "jobs\u009b31m\u2066"
HOSTILE_RECOMMENDATION = "Drain it\n\x1b[8mhidden\x1b[0m\r\tnow\u200b"


def test_text_from_elsewhere(tmp, full):
    why_not = bus_available()
    if why_not is not None:
        report(True, "text from a remote monitor", skip=why_not)
    else:
        bus = SessionBus()
        bus.proc_root = full
        try:
            check_remote_text(tmp, bus)
        finally:
            bus.close()

    # Log lines: a proc-root named with escape sequences, logged at debug.
    odd = os.path.join(tmp, "proc\x1b]0;pwned\x07\u202e")
    for args in (["status"], ["status", "--json"]):
        r = run(args, proc_root=odd, cwd=tmp, G_MESSAGES_DEBUG="all")
        check(f"{' '.join(args)}: log lines on stderr are clean",
              "pwned" in r.stderr and not unsafe(r.stderr), describe(r))
    rc, out, err = watch_piped(odd, tmp, signal.SIGINT, seconds=0.6, G_MESSAGES_DEBUG="all")
    check("watch piped: log lines on stderr are clean",
          "pwned" in err and not unsafe(err), f"exit {rc}\nstderr:\n{err}")


def check_remote_text(tmp, bus):
    env = {"DBUS_SESSION_BUS_ADDRESS": bus.address}
    check("a monitor with hostile labels is exported", bus.export("org.example.Hostile", "--hostile"))
    check("an object that fails with hostile errors is exported",
          bus.export("org.example.Failing", "--failing"))

    r = run(["status", "--bus", "org.example.Hostile"], cwd=tmp, **env)
    check("status --bus: the remote's labels, units and recommendations are printed clean",
          r.returncode == 1 and not unsafe(r.stdout) and not unsafe(r.stderr), describe(r))
    check("status --bus: what was there is still shown, controls as U+FFFD",
          "\ufffd]0;pwned\ufffdQueue\ufffd[2J" in r.stdout
          and "25 jobs\ufffd31m" in r.stdout
          and "Drain it \ufffd[8mhidden\ufffd[0m  now" in r.stdout, r.stdout)

    r = run(["status", "--bus", "org.example.Hostile"], cwd=tmp, LC_ALL="C", **env)
    check("status --bus under LC_ALL=C: ASCII, controls as ?",
          r.returncode == 1 and r.stdout.isascii() and not unsafe(r.stdout)
          and "?]0;pwned?Queue?[2J" in r.stdout, describe(r))

    r = run(["status", "--bus", "org.example.Hostile", "--json"], cwd=tmp, **env)
    check("status --bus --json: no raw control, bidi or format character",
          r.returncode == 1 and not unsafe(r.stdout), describe(r))
    try:
        summary = json.loads(r.stdout)
    except ValueError as e:
        check("status --bus --json is JSON", False, f"{e}\n{describe(r)}")
        return
    queue = summary.get("metrics", {}).get("queue", {})
    check("status --bus --json carries the remote's text exactly, escaped",
          queue.get("label") == HOSTILE_LABEL and queue.get("unit") == HOSTILE_UNIT
          and HOSTILE_RECOMMENDATION in summary.get("recommendations", []),
          json.dumps(queue, ensure_ascii=True))
    check("status --bus --json writes them as \\u escapes",
          "\\u001b]0;pwned\\u0007" in r.stdout and "\\u202e" in r.stdout.lower()
          and "\\u009b" in r.stdout.lower(), r.stdout)

    r = run(["status", "--bus", "org.example.Failing"], cwd=tmp, **env)
    check("status --bus: a peer's error is printed clean, on one line",
          r.returncode == 1 and "Could not read the monitor of org.example.Failing" in r.stderr
          and "pwned" in r.stderr and not unsafe(r.stderr)
          and not any(l.startswith("forged") for l in r.stderr.splitlines()), describe(r))

    for target, reason in (("/dev/full", "No space left on device"),
                           ("&-", "Bad file descriptor")):
        r = shell(f"{shlex.quote(CLI)} status --bus org.example.Hostile >{target}", cwd=tmp, **env)
        check(f"status --bus >{target}: exit 1 and says why", says_write_failed(r, reason),
              describe(r))


# -- terminal (tmux) ----------------------------------------------------------

class Tmux:
    def __init__(self, tmp):
        self.socket = f"health-cli-test-{os.getpid()}"
        self.tmp = tmp

    def cmd(self, *args, check=True):
        return subprocess.run(["tmux", "-L", self.socket, "-f", "/dev/null"] + list(args),
                              capture_output=True, text=True, check=check, timeout=10)

    def start(self, name, shell_command, width=110, height=30):
        self.cmd("new-session", "-d", "-s", name, "-x", str(width), "-y", str(height),
                 shell_command)

    def capture(self, name, escapes=False):
        args = ["capture-pane", "-p", "-t", name] + (["-e"] if escapes else [])
        return self.cmd(*args).stdout

    def display(self, name, fmt):
        return self.cmd("display-message", "-p", "-t", name, fmt).stdout.strip()

    def send(self, name, *keys):
        self.cmd("send-keys", "-t", name, *keys)

    def kill_server(self):
        self.cmd("kill-server", check=False)


def wait_for(predicate, timeout=10.0, step=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(step)
    return predicate()


def read_file(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def pane_command(tmp, tag, env, args):
    """A pane that records the terminal modes before and after the command
    and its exit status, then stays open so the test can look at it."""
    before = os.path.join(tmp, f"{tag}.before")
    after = os.path.join(tmp, f"{tag}.after")
    rc = os.path.join(tmp, f"{tag}.rc")
    pid = os.path.join(tmp, f"{tag}.pid")
    env_args = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
    command = " ".join(shlex.quote(a) for a in [CLI] + args)
    run_command = f"echo $$ > {shlex.quote(pid)}; exec env {env_args} {command}"
    # The shell must outlive Ctrl-C, which the terminal sends to the whole
    # foreground group; a trap (unlike an ignored signal) is not inherited.
    script = ("trap : INT; ulimit -c 0; "
              f"stty -g > {shlex.quote(before)}; "
              f"sh -c {shlex.quote(run_command)}; "
              f"echo $? > {shlex.quote(rc)}.tmp; "
              f"stty -g > {shlex.quote(after)}; "
              f"mv {shlex.quote(rc)}.tmp {shlex.quote(rc)}; "
              "exec sleep 60")
    return f"sh -c {shlex.quote(script)}", before, after, rc


def test_terminal(tmp, full):
    tmux = shutil.which("tmux")
    if tmux is None:
        report(True, "watch on a terminal", skip="tmux is not installed")
        return

    base_env = {
        "LC_ALL": "C.UTF-8",
        "TERM": "tmux-256color" if os.path.exists("/usr/share/terminfo/t/tmux-256color")
                else "screen",
        "G_DEBUG": "fatal-criticals",
        "HEALTH_PROC_ROOT": full,
    }
    t = Tmux(tmp)
    try:
        # The server exits with its last session; one that lives for the
        # whole test keeps the next new-session from racing its exit.
        t.start("keeper", "exec sleep 600")
        # status: colours on a terminal, none with NO_COLOR.
        for tag, extra, want_color in (("status-color", {}, True),
                                       ("status-nocolor", {"NO_COLOR": "1"}, False)):
            env = dict(base_env, **extra)
            command, _, _, rc = pane_command(tmp, tag, env, ["status"])
            t.start(tag, command)
            done = wait_for(lambda: read_file(rc) is not None)
            screen = t.capture(tag, escapes=True)
            has_sgr = "\x1b[" in screen
            what = "has colours" if want_color else "has no colours with NO_COLOR"
            check(f"status on a terminal {what}", done and has_sgr == want_color,
                  f"rc {read_file(rc)}\n{screen!r}")
            t.cmd("kill-session", "-t", tag, check=False)

        # watch: full screen, sparklines; q, Ctrl-C and Ctrl-Z restore the terminal.
        for tag, keys, want in (("watch-q", ["q"], "1"),
                                ("watch-ctrl-c", ["C-c"], "1"),
                                ("watch-sigterm", [signal.SIGTERM], "1"),
                                ("watch-sigabrt", [signal.SIGABRT], str(128 + signal.SIGABRT))):
            command, before, after, rc = pane_command(tmp, tag, base_env,
                                                      ["watch", "--interval=200"])
            t.start(tag, command)

            def sparkline_shown():
                screen = t.capture(tag)
                lines = [l for l in screen.splitlines() if MEMORY_ROW.match(l)]
                return lines and SPARK_CHARS & set(lines[0]) and screen

            screen = wait_for(sparkline_shown)
            check(f"watch on a terminal draws sparklines ({tag})", screen,
                  t.capture(tag))
            check(f"watch on a terminal shows memory-usage critical ({tag})",
                  screen and re.search(r"^Memory Usage\s+95.*Critical", screen or "", re.M),
                  screen)
            state = t.display(tag, "#{alternate_on} #{cursor_flag}")
            check(f"watch uses the alternate screen and hides the cursor ({tag})",
                  state == "1 0", state)

            # Let a few samples in, so the sparkline has a history.
            time.sleep(0.8)
            line = next((l for l in t.capture(tag).splitlines() if MEMORY_ROW.match(l)), "")
            spark = [c for c in line if c in SPARK_CHARS]
            check(f"watch sparkline grows with the samples ({tag})", len(spark) >= 3, line)

            if isinstance(keys[0], signal.Signals):
                os.kill(int(read_file(os.path.join(tmp, f"{tag}.pid"))), keys[0])
                how = keys[0].name
            else:
                t.send(tag, *keys)
                how = keys[0]
            status = wait_for(lambda: read_file(rc) is not None, timeout=5) and read_file(rc)
            check(f"watch ends on {how} with status {want} at 95 % memory", status == want,
                  f"status {status}\n{t.capture(tag)}")
            state = t.display(tag, "#{alternate_on} #{cursor_flag}")
            check(f"watch leaves the alternate screen and shows the cursor ({tag})",
                  state == "0 1", state)
            check(f"watch restores the terminal modes ({tag})",
                  read_file(before) and read_file(before) == read_file(after),
                  f"before {read_file(before)}\nafter  {read_file(after)}")
            t.cmd("kill-session", "-t", tag, check=False)

        test_terminal_unknown(t, tmp, base_env)
        test_terminal_details(t, tmp, base_env)
        test_terminal_small(t, tmp, base_env)
        test_terminal_suspend(t, tmp, base_env)
        test_terminal_hostile_log(t, tmp, base_env)
    finally:
        t.kill_server()


def test_terminal_unknown(t, tmp, base_env):
    """Nothing readable: the header says unknown and why, not Excellent."""
    tag = "watch-unknown"
    env = dict(base_env, HEALTH_PROC_ROOT=os.path.join(tmp, "proc-missing"))
    command, _, _, rc = pane_command(tmp, tag, env, ["watch", "--interval=200"])
    t.start(tag, command, width=200)
    screen = wait_for(lambda: REASON in t.capture(tag) and t.capture(tag)) or t.capture(tag)
    lines = screen.splitlines()
    check("watch on a terminal says the overall status is unknown",
          lines and "Overall: Unknown" in lines[0] and "Excellent" not in screen, screen)
    check("watch on a terminal says why in its header",
          len(lines) > 1 and REASON in lines[1], screen)
    t.send(tag, "q")
    check("watch quits on q with status 3 when nothing is known",
          wait_for(lambda: read_file(rc), timeout=5) == "3", read_file(rc))
    t.cmd("kill-session", "-t", tag, check=False)


def test_terminal_details(t, tmp, base_env):
    """watch shows the disk it watches beside the label."""
    tag = "watch-details"
    command, _, _, rc = pane_command(tmp, tag, base_env,
                                     ["watch", "--interval=200", "--disk-path", tmp])
    t.start(tag, command, width=160)
    screen = wait_for(lambda: "Disk Usage" in t.capture(tag) and t.capture(tag)) or t.capture(tag)
    check("watch on a terminal shows the path disk-usage watches",
          re.search(r"^Disk Usage \(" + re.escape(tmp) + r"\)\s+\d", screen, re.M), screen)
    t.send(tag, "q")
    wait_for(lambda: read_file(rc), timeout=5)
    t.cmd("kill-session", "-t", tag, check=False)


def test_terminal_small(t, tmp, base_env):
    """A terminal smaller than the table: rows cut, nothing scrolls or wraps."""
    tag = "watch-small"
    command, _, _, rc = pane_command(tmp, tag, base_env, ["watch", "--interval=200"])
    t.start(tag, command, width=44, height=8)
    screen = wait_for(lambda: any(MEMORY_ROW.match(l) for l in t.capture(tag).splitlines())
                      and t.capture(tag))
    lines = (screen or "").splitlines()
    check("watch on a small terminal keeps its first row (nothing scrolled)",
          lines and lines[0].startswith("Health Monitor"), screen)
    row = next((l for l in lines if MEMORY_ROW.match(l)), "")
    check("watch on a narrow terminal shows whole statuses",
          re.search(r"\bCritical$", row.rstrip()), repr(row))
    time.sleep(0.5)
    check("watch on a small terminal still has its first row after a few samples",
          t.capture(tag).startswith("Health Monitor"), t.capture(tag))
    t.send(tag, "q")
    check("watch on a small terminal quits on q",
          wait_for(lambda: read_file(rc), timeout=5) == "1", read_file(rc))
    t.cmd("kill-session", "-t", tag, check=False)


def test_terminal_hostile_log(t, tmp, base_env):
    """Log lines with escape sequences: shown on the terminal, not obeyed."""
    tag = "watch-hostile-log"
    odd = os.path.join(tmp, "proc\x1b]0;pwned\x07\x1b[2J")
    env = dict(base_env, HEALTH_PROC_ROOT=odd, G_MESSAGES_DEBUG="all")
    command, _, _, rc = pane_command(tmp, tag, env, ["watch", "--interval=200"])
    t.start(tag, command)
    screen = wait_for(lambda: "Memory Usage" in t.capture(tag) and t.capture(tag))
    title = t.display(tag, "#{pane_title}")
    check("watch on a terminal: log lines with escape sequences are not obeyed",
          screen and "pwned" not in title, f"title {title!r}\n{screen}")
    t.send(tag, "q")
    wait_for(lambda: read_file(rc), timeout=5)
    t.cmd("kill-session", "-t", tag, check=False)


def test_terminal_suspend(t, tmp, base_env):
    """Ctrl-Z gives the shell a sane terminal; fg takes the screen back."""
    tag = "watch-suspend"
    modes = os.path.join(tmp, f"{tag}.modes")
    rc = os.path.join(tmp, f"{tag}.rc")
    t.start(tag, "env -i PATH=/usr/bin:/bin HOME=/ PS1='$ ' sh -i")
    wait_for(lambda: "$" in t.capture(tag), timeout=5)

    # The command itself is the job, as when a user types it: a wrapper
    # shell would stop before it and take the terminal back first.
    t.send(tag, f"stty -g > {modes}.before", "Enter")
    wait_for(lambda: read_file(f"{modes}.before"), timeout=5)
    env_args = " ".join(f"export {shlex.quote(f'{k}={v}')};" for k, v in base_env.items())
    t.send(tag, f"{env_args} {shlex.quote(CLI)} watch --interval=200", "Enter")
    shown = wait_for(lambda: SPARK_CHARS & set(t.capture(tag)))
    check("watch runs from an interactive shell", shown, t.capture(tag))

    t.send(tag, "C-z")
    state = wait_for(lambda: t.display(tag, "#{alternate_on} #{cursor_flag}") == "0 1"
                     and t.display(tag, "#{alternate_on} #{cursor_flag}"), timeout=5)
    check("Ctrl-Z leaves the alternate screen and shows the cursor", state == "0 1", state)
    t.send(tag, f"stty -g > {modes}.stopped", "Enter")
    stopped = wait_for(lambda: read_file(f"{modes}.stopped"), timeout=5)
    check("Ctrl-Z restores the terminal modes for the shell",
          stopped and stopped == read_file(f"{modes}.before"),
          f"before  {read_file(modes + '.before')}\nstopped {stopped}")

    t.send(tag, "fg", "Enter")
    state = wait_for(lambda: t.display(tag, "#{alternate_on} #{cursor_flag}") == "1 0"
                     and SPARK_CHARS & set(t.capture(tag))
                     and t.display(tag, "#{alternate_on} #{cursor_flag}"), timeout=5)
    check("fg takes the alternate screen back and redraws", state == "1 0", t.capture(tag))

    t.send(tag, "q")
    # fg returns the status of the job.
    wait_for(lambda: t.display(tag, "#{alternate_on}") == "0", timeout=5)
    t.send(tag, f"echo $? > {rc}", "Enter")
    status = wait_for(lambda: read_file(rc), timeout=5)
    check("watch quits on q after a suspension", status == "1", f"status {status}")
    t.send(tag, f"stty -g > {modes}.after", "Enter")
    after = wait_for(lambda: read_file(f"{modes}.after"), timeout=5)
    check("the terminal modes are restored after a suspension",
          after and after == read_file(f"{modes}.before"),
          f"before {read_file(modes + '.before')}\nafter  {after}")
    t.cmd("kill-session", "-t", tag, check=False)


def main():
    with tempfile.TemporaryDirectory(prefix="health-cli-") as tmp:
        full = make_proc(os.path.join(tmp, "proc-memory95"), 5)
        healthy = make_proc(os.path.join(tmp, "proc-memory20"), 80)

        test_usage(tmp)
        test_status(tmp, full, healthy)
        test_self(tmp, full)
        test_unknown(tmp)
        test_interval_limits(tmp, full)
        test_no_trend_yet(tmp, full)
        test_details(tmp, full)
        test_watch_piped(tmp, full)
        test_write_errors(tmp, healthy)
        test_text_from_elsewhere(tmp, full)
        test_terminal(tmp, full)

    print(f"1..{n_tests}", flush=True)
    return 1 if n_failed else 0


if __name__ == "__main__":
    sys.exit(main())
