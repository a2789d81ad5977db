# SPDX-License-Identifier: GPL-3.0-or-later
#
# What the tests of tests/prometheus/ share: results, processes that are
# always bounded by timeout(1) and always ended, `health-monitor serve`
# on a free loopback port, HTTP on loopback, and the exposition format.
#
# Exit statuses are meson's: 0 passed, 77 skipped, anything else failed.
# Each check also prints an "ok"/"not ok" line for the log.

import atexit
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time

SRCDIR = os.path.dirname(os.path.abspath(__file__))
FIXTURES = os.path.join(SRCDIR, "..", "fixtures")
# Memory usage exactly 95 %, swap 75 % (tests/fixtures/README.md).
PROC_MEMORY95 = os.path.join(FIXTURES, "proc-memory95")
DATA_DIR = os.path.join(SRCDIR, "..", "..", "data", "prometheus")

SKIP = 77

_n_checks = 0
_n_failed = 0
_processes = []


def check(ok, name, detail=None):
    global _n_checks, _n_failed
    _n_checks += 1
    if not ok:
        _n_failed += 1
    print(f"{'ok' if ok else 'not ok'} {_n_checks} - {name}", flush=True)
    if not ok and detail is not None:
        for line in str(detail).splitlines()[:60]:
            print(f"# {line}", flush=True)
    return ok


def note(text):
    for line in str(text).splitlines():
        print(f"# {line}", flush=True)


def skip(reason):
    print(f"1..0 # SKIP {reason}", flush=True)
    sys.exit(SKIP)


def finish():
    print(f"1..{_n_checks}", flush=True)
    stop_all()
    sys.exit(1 if _n_failed or _n_checks == 0 else 0)


def require(program):
    path = shutil.which(program)
    if path is None:
        skip(f"{program} is not installed")
    return path


def environment(**extra):
    env = dict(os.environ)
    env.setdefault("G_DEBUG", "fatal-criticals")
    env["LC_ALL"] = "C.UTF-8"
    env.pop("G_MESSAGES_DEBUG", None)
    env.update({k: v for k, v in extra.items() if v is not None})
    return env


# -- processes ----------------------------------------------------------------

def bounded(argv, seconds):
    """argv run under timeout(1), which kills it after `seconds`."""
    return ["timeout", "-k", "3", str(seconds)] + list(argv)


def run(argv, seconds=30, env=None, **kwargs):
    return subprocess.run(bounded(argv, seconds), env=env or environment(),
                          capture_output=True, text=True, **kwargs)


def spawn(argv, seconds, env=None, **kwargs):
    """A background process in its own process group, ended by stop_all()."""
    process = subprocess.Popen(bounded(argv, seconds), env=env or environment(),
                               start_new_session=True, **kwargs)
    _processes.append(process)
    return process


def stop(process, sig=signal.SIGTERM, wait=10):
    """Ends one process we started, and what it started (its group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            pass
        try:
            process.wait(wait)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    return process.returncode


def stop_all():
    for process in _processes:
        if process.poll() is None:
            stop(process, signal.SIGKILL, wait=5)


atexit.register(stop_all)


def child_pid(process):
    """The pid of the program timeout(1) runs for `process`."""
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{process.pid}/task/{process.pid}/children") as f:
                children = f.read().split()
            if children:
                return int(children[0])
        except OSError:
            pass
        time.sleep(0.05)
    return None


def count_fds(pid):
    try:
        return len(os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return -1


def free_port():
    """A port free on 127.0.0.1 now; for programs that cannot take 0."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# -- health-monitor serve -----------------------------------------------------

class Serve:
    """`health-monitor serve` on a free loopback port (it picks it: port 0)."""

    def __init__(self, cli, *args, proc_root=PROC_MEMORY95, seconds=60,
                 listen="127.0.0.1:0", env=None):
        argv = [cli, "serve", "--listen", listen] + list(args)
        self.process = spawn(argv, seconds,
                             env=env or environment(HEALTH_PROC_ROOT=proc_root),
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        line = self.process.stdout.readline()
        match = re.match(r"Listening on http://(.*):(\d+)/metrics$", line.strip())
        if match is None:
            stop(self.process)
            raise RuntimeError(f"serve did not start: {line!r} {self.process.stderr.read()!r}")
        self.host = match.group(1).strip("[]")
        self.port = int(match.group(2))
        self.pid = child_pid(self.process)

    def request(self, method="GET", path="/metrics", headers=None, timeout=5):
        connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            connection.request(method, path, headers=headers or {})
            response = connection.getresponse()
            body = response.read()
            return response.status, dict(response.getheaders()), body.decode("utf-8")
        finally:
            connection.close()

    def wait_for_metrics(self, seconds=10, **kwargs):
        deadline = time.monotonic() + seconds
        while True:
            try:
                status, headers, body = self.request(**kwargs)
                if status == 200:
                    return status, headers, body
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("serve never answered 200")
            time.sleep(0.1)

    def stop(self, sig=signal.SIGTERM):
        """Signals `serve` itself, not timeout(1) (which would forward a
        second signal), and returns its exit status."""
        if self.pid is not None and self.process.poll() is None:
            try:
                os.kill(self.pid, sig)
                self.process.wait(10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        status = stop(self.process, sig)
        self.stderr = self.process.stderr.read()
        return status


# -- the exposition formats ---------------------------------------------------

SAMPLE = re.compile(
    r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)'
    r'(?:\{(?P<labels>(?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})?'
    r' (?P<value>NaN|[+-]Inf|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"')


def parse_samples(text):
    """{(name, frozenset(labels)): value} of the sample lines."""
    samples = {}
    for line in text.splitlines():
        if line.startswith("#") or not line:
            continue
        match = SAMPLE.match(line)
        if match is None:
            raise ValueError(f"not a sample line: {line!r}")
        labels = frozenset(LABEL.findall(match.group("labels") or ""))
        samples[(match.group("name"), labels)] = float(match.group("value"))
    return samples


def find(samples, name, **labels):
    """The values of `name` whose labels include `labels`."""
    wanted = set(labels.items())
    return [value for (n, l), value in samples.items() if n == name and wanted <= set(l)]


def check_openmetrics(text):
    """Problems with `text` as OpenMetrics 1.0 text, as a list of strings.

    promtool checks only the classic format; this checks what differs:
    metadata before samples and once per family, samples named after
    their family with the suffixes of its type, families not
    interleaved, UNIT a suffix of the name, and `# EOF` last.
    """
    problems = []
    suffixes = {
        "gauge": [""], "unknown": [""], "info": ["_info"], "stateset": [""],
        "counter": ["_total", "_created"],
        "summary": ["", "_count", "_sum", "_created"],
        "histogram": ["_bucket", "_count", "_sum", "_created"],
        "gaugehistogram": ["_bucket", "_gcount", "_gsum"],
    }
    if not text.endswith("# EOF\n"):
        problems.append("does not end with '# EOF' and a newline")
    lines = text.split("\n")[:-1]
    if lines and lines[-1] == "# EOF":
        lines = lines[:-1]
    families = {}
    finished = set()
    current = None
    for line in lines:
        if line == "# EOF":
            problems.append("'# EOF' before the end")
            continue
        if line.startswith("# "):
            parts = line.split(" ", 3)
            if len(parts) < 4 or parts[1] not in ("HELP", "TYPE", "UNIT"):
                problems.append(f"bad metadata line: {line!r}")
                continue
            kind, family, rest = parts[1], parts[2], parts[3]
            if family != current:
                if current is not None:
                    finished.add(current)
                if family in finished or family in families:
                    problems.append(f"family {family} is split or repeated")
                current = family
                families[family] = {}
            if kind in families[family]:
                problems.append(f"two {kind} lines for {family}")
            families[family][kind] = rest
            if kind == "TYPE" and rest not in suffixes:
                problems.append(f"unknown type {rest!r} for {family}")
            if kind == "UNIT" and not family.endswith("_" + rest):
                problems.append(f"unit {rest!r} is not a suffix of {family}")
            if kind == "HELP" and re.search(r'\\[^\\"n]', rest):
                problems.append(f"bad escape in HELP of {family}")
            continue
        match = SAMPLE.match(line)
        if match is None:
            problems.append(f"bad sample line: {line!r}")
            continue
        name = match.group("name")
        if current is None or "TYPE" not in families.get(current, {}):
            problems.append(f"sample {name} without a TYPE before it")
            continue
        allowed = [current + s for s in suffixes[families[current]["TYPE"]]]
        if name not in allowed:
            problems.append(f"sample {name} does not belong to family {current}")
    return problems
