#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-prometheus.py HEALTH-MONITOR
#
# A real Prometheus server scrapes `health-monitor serve`, both on
# loopback: Prometheus on a free port with its database in a temporary
# directory, scraping every second with data/prometheus/health.rules.yml
# loaded, `serve` on a /proc fixture where memory is exactly 95 % used.
# Its HTTP API must return 0.95 for health_memory_usage_ratio, the
# scrape must be healthy (Prometheus asks for OpenMetrics first, so this
# is its parser reading ours), and the critical memory alert must fire.
# Bounded to about 20 seconds.

import json
import os
import sys
import tempfile
import time
import urllib.parse
import urllib.request

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
PROMETHEUS = t.require("prometheus")
RULES = os.path.abspath(os.path.join(t.DATA_DIR, "health.rules.yml"))
DEADLINE_S = 20


def api(port, path, **params):
    url = f"http://127.0.0.1:{port}/api/v1/{path}"
    if params:
        url += "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=3) as response:
        return json.load(response)


def query(port, expr):
    """The values of an instant query, [] on any error."""
    try:
        reply = api(port, "query", query=expr)
    except OSError:
        return []
    if reply.get("status") != "success":
        return []
    return [(r["metric"], r["value"][1]) for r in reply["data"]["result"]]


def main():
    serve = t.Serve(CLI, "--interval", "500", seconds=DEADLINE_S + 15)
    serve.wait_for_metrics()
    port = t.free_port()

    with tempfile.TemporaryDirectory() as tmp:
        config = os.path.join(tmp, "prometheus.yml")
        with open(config, "w") as f:
            # JSON is YAML.
            json.dump({
                "global": {"scrape_interval": "1s", "scrape_timeout": "1s",
                           "evaluation_interval": "1s"},
                "rule_files": [RULES],
                "scrape_configs": [{
                    "job_name": "health",
                    "static_configs": [{"targets": [f"127.0.0.1:{serve.port}"]}],
                }],
            }, f)

        prometheus = t.spawn([PROMETHEUS,
                              f"--config.file={config}",
                              f"--storage.tsdb.path={os.path.join(tmp, 'data')}",
                              f"--web.listen-address=127.0.0.1:{port}",
                              "--log.level=warn"],
                             DEADLINE_S + 10,
                             stdout=open(os.path.join(tmp, "prometheus.log"), "w"),
                             stderr=open(os.path.join(tmp, "prometheus.err"), "w"))

        deadline = time.monotonic() + DEADLINE_S
        memory, up, alerts, info = [], [], [], []
        while time.monotonic() < deadline:
            memory = query(port, "health_memory_usage_ratio")
            up = query(port, 'up{job="health"}')
            info = query(port, 'health_metric_info{metric="memory-usage"}')
            alerts = query(port, 'ALERTS{alertname="HealthMemoryUsageCritical",alertstate="firing"}')
            if memory and up and info and alerts:
                break
            time.sleep(0.5)

        t.check([v for _, v in memory] == ["0.95"],
                "Prometheus has health_memory_usage_ratio 0.95", memory)
        t.check([v for _, v in up] == ["1"], "the scrape is up", up)
        t.check(len(info) == 1 and info[0][0].get("unit") == "%",
                "the info metric is ingested with its labels", info)
        t.check(len(alerts) == 1 and alerts[0][0].get("severity") == "critical" and
                alerts[0][0].get("host") == os.uname().nodename,
                "HealthMemoryUsageCritical fires, labelled with the host", alerts)

        try:
            targets = api(port, "targets")["data"]["activeTargets"]
        except OSError as e:
            targets = [{"error": str(e)}]
        t.check(len(targets) == 1 and targets[0].get("health") == "up" and
                targets[0].get("lastError") == "",
                "the target is healthy, without scrape errors", targets)

        # The samples counter advances between scrapes.
        first = query(port, "health_samples_total")
        time.sleep(2.5)
        second = query(port, "health_samples_total")
        t.check(first and second and float(second[0][1]) > float(first[0][1]),
                "health_samples_total advances", (first, second))

        t.check(t.stop(prometheus) == 0, "Prometheus stops cleanly")
        with open(os.path.join(tmp, "prometheus.err")) as f:
            errors = f.read()
        if errors:
            t.note("Prometheus said:\n" + errors[-2000:])

    t.check(serve.stop() == 0, "serve exits 0", serve.stderr)
    t.finish()


if __name__ == "__main__":
    main()
