#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# `health-monitor history` against a journal make-journal writes: text,
# --csv, --json, --points, --alerts, the default path, and the clear
# message and exit status 3 when there is no journal or no such metric.
# Usage: test-history.py HEALTH_MONITOR MAKE_JOURNAL

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time

health_monitor, make_journal = sys.argv[1:3]
n_tests = 0
failed = 0


def check(name, condition, detail=""):
    global n_tests, failed
    n_tests += 1
    if condition:
        print(f"ok {n_tests} {name}")
    else:
        failed += 1
        print(f"not ok {n_tests} {name}")
        for line in str(detail).splitlines():
            print(f"# {line}")


def run(*args, **env):
    return subprocess.run([health_monitor, "history", *args], capture_output=True,
                          text=True, errors="surrogateescape", env={**os.environ, **env})


def describe(r):
    return f"exit {r.returncode}\nstdout: {r.stdout[:2000]}\nstderr: {r.stderr}"


def no_escapes(text):
    return "\x1b" not in text and "\x07" not in text and "\u202e" not in text


with tempfile.TemporaryDirectory() as tmp:
    state = os.path.join(tmp, "state")
    path = os.path.join(state, "health-monitor", "journal.db")
    newest_us = int(subprocess.run([make_journal, path], check=True, capture_output=True,
                                   text=True).stdout)


    def points_since(seconds):
        # A sample every 2 s up to newest_us; the range slides on while a
        # slow machine (ASan) writes three days of them and reads them.
        start = time.time() - seconds
        return max(0, int((newest_us / 1e6 - start) // 2) + 1)


    def check_points(name, seconds, *args, **env):
        before = points_since(seconds)
        r = run("memory-usage", *args, **env)
        after = points_since(seconds)
        lines = r.stdout.splitlines()
        check(name, r.returncode == 0 and len(lines) > 2 and lines[0].startswith("memory-usage: ")
              and lines[1].split()[0] == "TIME" and after - 1 <= len(lines) - 2 <= before + 1,
              f"expected {after}..{before} points\n" + describe(r))


    check_points("text: the last hour, every sample", 3600, "--journal", path)

    r = run("memory-usage", "--journal", path, "--since", "24h", "--csv")
    rows = list(csv.DictReader(io.StringIO(r.stdout)))
    check("csv: a day in minutes, min <= mean <= max",
          r.returncode == 0 and 1438 <= len(rows) <= 1441
          and all(float(x["min"]) <= float(x["mean"]) <= float(x["max"]) for x in rows)
          and float(rows[5]["min"]) == 50 and float(rows[5]["max"]) == 59, describe(r))

    r = run("memory-usage", "--journal", path, "--since", "30d", "--json", "--points", "50")
    try:
        doc = json.loads(r.stdout)
    except ValueError as e:
        doc = {"error": str(e)}
    points = doc.get("points", [])
    check("json: 30 days in at most 50 points with their envelope",
          r.returncode == 0 and doc.get("metric") == "memory-usage" and 5 <= len(points) <= 50
          and all(p["min"] == 50 and p["max"] == 59 for p in points[1:-1]), describe(r))

    r = run("--alerts", "--journal", path, "--json")
    try:
        alerts = json.loads(r.stdout)
    except ValueError as e:
        alerts = [str(e)]
    check("alerts --json: the alert and the recovery, text escaped",
          r.returncode == 0 and len(alerts) == 2
          and alerts[0]["status"] == "critical" and alerts[0]["value"] == 93.5
          and alerts[1]["status"] == "recovered" and no_escapes(r.stdout)
          and "\\u001b" in r.stdout, describe(r))

    r = run("--alerts", "--journal", path)
    check("alerts as text: made safe",
          r.returncode == 0 and len(r.stdout.splitlines()) == 2 and "critical" in r.stdout
          and "culprit:" in r.stdout and no_escapes(r.stdout), describe(r))

    r = run("--alerts", "--journal", path, "--csv")
    rows = list(csv.reader(io.StringIO(r.stdout)))
    check("alerts --csv: one field per column whatever the text",
          r.returncode == 0 and len(rows) == 3 and all(len(row) == 7 for row in rows)
          and no_escapes(r.stdout), describe(r))

    r = run("--alerts", "--since", "10m", "--journal", path)
    check("alerts: none in the range", r.returncode == 0 and "No alerts" in r.stdout, describe(r))

    check_points("the applet's journal by default", 300, "--since", "5m", XDG_STATE_HOME=state)

    r = run("memory-usage", "--journal", os.path.join(tmp, "none.db"))
    check("no journal: a clear message, exit 3",
          r.returncode == 3 and "There is no journal at" in r.stderr and r.stdout == ""
          and not os.path.exists(os.path.join(tmp, "none.db")), describe(r))

    r = run("no-such-metric", "--journal", path)
    check("unknown metric: exit 3", r.returncode == 3 and "no-such-metric" in r.stderr, describe(r))

    garbage = os.path.join(tmp, "garbage.db")
    with open(garbage, "wb") as f:
        f.write(b"x" * 8192)
    r = run("memory-usage", "--journal", garbage)
    check("not a journal: exit 3, the file left alone",
          r.returncode == 3 and os.path.getsize(garbage) == 8192
          and not any(".corrupt-" in name for name in os.listdir(tmp)), describe(r))

    for args, what in ((["--journal", path], "no metric"),
                       (["memory-usage", "--since", "yesterday", "--journal", path], "bad time"),
                       (["memory-usage", "--json", "--csv", "--journal", path], "two formats"),
                       (["--alerts", "memory-usage", "--journal", path], "alerts and a metric")):
        r = run(*args)
        check(f"usage error: {what}", r.returncode == 2 and "history --help" in r.stderr, describe(r))

print(f"1..{n_tests}")
sys.exit(1 if failed else 0)
