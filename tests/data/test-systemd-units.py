#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-systemd-units.py UNIT...
#
# The systemd user units of data/systemd, in copies whose commands run
# the health-monitor of the build tree:
#
# - `systemd-analyze verify --user` loads them as a user manager would,
#   offline (no manager needs to run, as root in CI too): syntax,
#   settings a user manager accepts, the timer finding its service, and
#   every command existing. Any warning fails the test, not only errors.
# - The export service's commands are run as systemd would run them
#   (%h, ${HEALTH_TEXTFILE_DIR} expanded, ExecStartPre before
#   ExecStart) on the 95 %-memory fixture, so a wrong option or path in
#   the unit fails here and not on a workstation a minute later.

import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

SRCDIR = os.path.dirname(os.path.abspath(__file__))
PROC_MEMORY95 = os.path.join(SRCDIR, "..", "fixtures", "proc-memory95")
SKIP = 77

n_checks = 0
n_failed = 0


def check(ok, name, detail=None):
    global n_checks, n_failed
    n_checks += 1
    n_failed += 0 if ok else 1
    print(f"{'ok' if ok else 'not ok'} {n_checks} - {name}", flush=True)
    if not ok and detail:
        for line in str(detail).splitlines()[:40]:
            print(f"# {line}", flush=True)
    return ok


def read_unit(path):
    """{section: [(key, value)]} of a unit file (no continuation lines)."""
    sections, current = {}, None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in "#;":
                continue
            if line.startswith("["):
                current = sections.setdefault(line.strip("[]"), [])
            else:
                key, _, value = line.partition("=")
                current.append((key, value))
    return sections


def expand(text, home, environment):
    text = text.replace("%h", home)
    return re.sub(r"\$\{(\w+)\}", lambda m: environment.get(m.group(1), ""), text)


def main():
    units = [os.path.abspath(u) for u in sys.argv[1:]]
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        print("1..0 # SKIP systemd-analyze is not installed", flush=True)
        sys.exit(SKIP)

    with tempfile.TemporaryDirectory() as tmp:
        home = os.path.join(tmp, "home")
        runtime = os.path.join(tmp, "run")
        units_dir = os.path.join(tmp, "units")
        for d in (home, runtime, units_dir):
            os.makedirs(d, mode=0o700)
        # Side by side, as installed, so the timer finds its service.
        for unit in units:
            shutil.copy(unit, units_dir)
        names = [os.path.join(units_dir, os.path.basename(u)) for u in units]

        env = dict(os.environ, HOME=home, XDG_RUNTIME_DIR=runtime,
                   XDG_CONFIG_HOME=os.path.join(home, ".config"), LC_ALL="C.UTF-8")
        result = subprocess.run(["timeout", "60", analyze, "verify", "--user", "--man=no"] + names,
                                env=env, capture_output=True, text=True)
        output = (result.stdout + result.stderr).strip()
        check(result.returncode == 0 and output == "",
              "systemd-analyze verify --user accepts the units without a warning",
              f"exit status {result.returncode}\n{output}")

        export = [n for n in names if n.endswith("health-monitor-export.service")]
        if check(len(export) == 1, "the export service is among the units"):
            service = dict(read_unit(export[0]))["Service"]
            environment = {}
            for key, value in service:
                if key == "Environment":
                    name, _, val = expand(value, home, environment).partition("=")
                    environment[name] = val
            commands = [shlex.split(expand(v, home, environment))
                        for k, v in service if k in ("ExecStartPre", "ExecStart")]
            run_env = dict(env, HEALTH_PROC_ROOT=PROC_MEMORY95, G_DEBUG="fatal-criticals")
            for argv in commands:
                ran = subprocess.run(["timeout", "30"] + argv, env=run_env,
                                     capture_output=True, text=True)
                check(ran.returncode == 0, f"{os.path.basename(argv[0])} as the unit runs it",
                      f"{argv}\nexit status {ran.returncode}\n{ran.stderr}")
            textfile = os.path.join(home, ".local", "state", "prometheus-node-exporter",
                                    "health-monitor.prom")
            try:
                with open(textfile) as f:
                    text = f.read()
                mode = os.stat(textfile).st_mode & 0o777
            except OSError as e:
                text, mode = str(e), 0
            check(re.search(r"^health_memory_usage_ratio\{[^}]*\} 0\.95$", text, re.M) is not None,
                  "the textfile lands in ~/.local/state/prometheus-node-exporter, 95 % used",
                  text[:2000])
            check(mode & 0o044 == 0o044, "readable by node_exporter's user", oct(mode))

    print(f"1..{n_checks}", flush=True)
    sys.exit(1 if n_failed or n_checks == 0 else 0)


if __name__ == "__main__":
    main()
