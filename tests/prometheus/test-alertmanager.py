#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-alertmanager.py HEALTH-MONITOR
#
# The whole fleet path, end to end and on loopback only:
#
#   health-monitor serve  →  Prometheus (data/prometheus/health.rules.yml)
#                         →  Alertmanager  →  a webhook receiver
#
# `serve` samples the /proc fixture where memory is exactly 95 % used;
# a real Prometheus scrapes it every second and evaluates the shipped
# rules every second; a real Alertmanager (Debian's
# prometheus-alertmanager, clustering off, its storage in a temporary
# directory) routes to a webhook receiver, a small http.server in this
# process. Alertmanager's API v2 must list HealthMemoryUsageCritical
# with the `host` label `serve` puts on every series, the warning rule
# of the same metric must be inhibited by it (the inhibit rule that
# health.rules.yml and the README recommend), and the receiver must
# get the critical alert.
#
# The shipped rules are loaded unchanged: every one has `for: 0m` (the
# monitor's default sustain is one sample), so nothing has to be
# shortened for the test to finish in seconds. The test checks that,
# so a rule given a long `for:` later fails here with a clear message
# rather than timing out.
#
# Skipped (77) only when prometheus or prometheus-alertmanager is not
# installed (build-aux/install-deps installs both). Bounded to about
# 30 seconds.

import http.server
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
PROMETHEUS = t.require("prometheus")
# Debian names the binary after the package; upstream calls it alertmanager.
ALERTMANAGER = (shutil.which("prometheus-alertmanager") or
                shutil.which("alertmanager"))
if ALERTMANAGER is None:
    t.skip("prometheus-alertmanager is not installed")
RULES = os.path.abspath(os.path.join(t.DATA_DIR, "health.rules.yml"))
ALERT = "HealthMemoryUsageCritical"
WARNING = "HealthMemoryUsageWarning"
HOST = os.uname().nodename
DEADLINE_S = 30


class Receiver(http.server.BaseHTTPRequestHandler):
    """Alertmanager's webhook: every POSTed notification, kept in order."""

    notifications = []
    lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        try:
            payload = json.loads(body)
        except ValueError:
            payload = {"unparsable": body.decode("utf-8", "replace")}
        with Receiver.lock:
            Receiver.notifications.append((self.path, payload))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format, *args):
        pass


def received():
    with Receiver.lock:
        return list(Receiver.notifications)


def get_json(url):
    with urllib.request.urlopen(url, timeout=3) as response:
        return json.load(response)


def alertmanager_alerts(port):
    """Alertmanager's alerts (API v2), [] while it does not answer."""
    try:
        return get_json(f"http://127.0.0.1:{port}/api/v2/alerts")
    except (OSError, ValueError):
        return []


def named(alerts, name):
    return [a for a in alerts if a.get("labels", {}).get("alertname") == name]


def delivered(notifications, name):
    """The alerts called `name` that reached the receiver, firing."""
    return [a for _, n in notifications for a in n.get("alerts", [])
            if a.get("labels", {}).get("alertname") == name and a.get("status") == "firing"]


def write_json(path, value):
    # JSON is YAML.
    with open(path, "w") as f:
        json.dump(value, f, indent=1)


def main():
    with open(RULES) as f:
        durations = set(re.findall(r"^\s*for:\s*(\S+)", f.read(), re.M))
    if not t.check(durations == {"0m"}, "every shipped rule fires at once (for: 0m)",
                   durations):
        t.note("A longer for: makes this test wait that long: substitute it in a copy.")

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    receiver_port = receiver.server_address[1]

    serve = t.Serve(CLI, "--interval", "500", seconds=DEADLINE_S + 20)
    serve.wait_for_metrics()

    with tempfile.TemporaryDirectory() as tmp:
        am_port = t.free_port()
        am_config = os.path.join(tmp, "alertmanager.yml")
        write_json(am_config, {
            "route": {
                "receiver": "webhook",
                "group_by": ["alertname", "host"],
                "group_wait": "1s",
                "group_interval": "1s",
                "repeat_interval": "1h",
            },
            "receivers": [{
                "name": "webhook",
                "webhook_configs": [{
                    "url": f"http://127.0.0.1:{receiver_port}/alerts",
                    "send_resolved": False,
                }],
            }],
            "inhibit_rules": [{
                "source_matchers": ['severity="critical"'],
                "target_matchers": ['severity="warning"'],
                "equal": ["metric", "instance"],
            }],
        })
        alertmanager = t.spawn([ALERTMANAGER,
                                f"--config.file={am_config}",
                                f"--storage.path={os.path.join(tmp, 'alertmanager')}",
                                f"--web.listen-address=127.0.0.1:{am_port}",
                                # No gossip: no port opened beyond the API.
                                "--cluster.listen-address=",
                                "--log.level=warn"],
                               DEADLINE_S + 10,
                               stdout=open(os.path.join(tmp, "alertmanager.log"), "w"),
                               stderr=open(os.path.join(tmp, "alertmanager.err"), "w"))

        prom_port = t.free_port()
        prom_config = os.path.join(tmp, "prometheus.yml")
        write_json(prom_config, {
            "global": {"scrape_interval": "1s", "scrape_timeout": "1s",
                       "evaluation_interval": "1s"},
            "rule_files": [RULES],
            "alerting": {"alertmanagers": [{
                "static_configs": [{"targets": [f"127.0.0.1:{am_port}"]}],
            }]},
            "scrape_configs": [{
                "job_name": "health",
                "static_configs": [{"targets": [f"127.0.0.1:{serve.port}"]}],
            }],
        })
        prometheus = t.spawn([PROMETHEUS,
                              f"--config.file={prom_config}",
                              f"--storage.tsdb.path={os.path.join(tmp, 'prometheus')}",
                              f"--web.listen-address=127.0.0.1:{prom_port}",
                              "--log.level=warn"],
                             DEADLINE_S + 10,
                             stdout=open(os.path.join(tmp, "prometheus.log"), "w"),
                             stderr=open(os.path.join(tmp, "prometheus.err"), "w"))

        started = time.monotonic()
        deadline = started + DEADLINE_S
        alerts, critical, warning, notified = [], [], [], []
        while time.monotonic() < deadline:
            alerts = alertmanager_alerts(am_port)
            critical = named(alerts, ALERT)
            warning = named(alerts, WARNING)
            notified = delivered(received(), ALERT)
            if critical and warning and notified:
                break
            time.sleep(0.5)
        t.note(f"the alert reached the receiver after {time.monotonic() - started:.1f} s")

        labels = critical[0]["labels"] if len(critical) == 1 else {}
        t.check(len(critical) == 1, f"Alertmanager lists {ALERT} once",
                json.dumps(alerts, indent=1))
        t.check(labels.get("host") == HOST,
                f"{ALERT} carries the host label {HOST!r}", labels)
        t.check(labels.get("severity") == "critical" and
                labels.get("metric") == "memory-usage" and
                labels.get("job") == "health",
                "and the rule's severity and metric labels, and the job", labels)
        t.check(len(critical) == 1 and critical[0]["status"]["state"] == "active" and
                any(r.get("name") == "webhook" for r in critical[0].get("receivers", [])),
                "it is active and routed to the webhook receiver", critical)
        t.check("95" in critical[0].get("annotations", {}).get("summary", "") if critical else False,
                "its summary gives the value, 95 %", critical)
        t.check(len(warning) == 1 and warning[0]["status"]["state"] == "suppressed" and
                warning[0]["status"].get("inhibitedBy"),
                f"{WARNING} is inhibited by the critical alert", warning)

        notifications = received()
        t.check(len(notified) >= 1 and notified[0]["labels"].get("host") == HOST,
                f"the receiver got {ALERT} for {HOST!r}",
                json.dumps(notifications, indent=1)[:4000])
        t.check(all(path == "/alerts" and n.get("version") == "4" and
                    n.get("receiver") == "webhook" for path, n in notifications),
                "as Alertmanager's webhook payload, version 4", notifications)
        t.check(not delivered(notifications, WARNING),
                "the inhibited warning was not delivered", notifications)

        t.check(t.stop(prometheus) == 0, "Prometheus stops cleanly")
        t.check(t.stop(alertmanager) == 0, "Alertmanager stops cleanly")
        for name in ("prometheus.err", "alertmanager.err"):
            with open(os.path.join(tmp, name)) as f:
                errors = f.read()
            if errors:
                t.note(f"{name}:\n" + errors[-2000:])

    receiver.shutdown()
    receiver.server_close()
    t.check(serve.stop() == 0, "serve exits 0", serve.stderr)
    t.finish()


if __name__ == "__main__":
    main()
