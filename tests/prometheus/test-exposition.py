#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-exposition.py HEALTH-MONITOR
#
# The text `export` writes and `serve` answers, in both formats:
# promtool's checks (the classic format; promtool reads no other), an
# OpenMetrics structure check, and the values of a /proc fixture where
# memory is exactly 95 % used.

import math
import os
import sys
import tempfile

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
PROMTOOL = t.require("promtool")

# The machine's metrics; the exporter's own process only with --self.
SYSTEM_IDS = [
    "memory-usage", "memory-available", "swap-usage", "cpu-usage",
    "load-average", "disk-usage", "memory-pressure", "cpu-pressure",
    "io-pressure",
]
PROCESS_IDS = [
    "process-memory", "thread-count", "open-files",
    "main-loop-latency", "tracked-objects", "monitor-cost",
]


def promtool_check(text, name):
    result = t.run([PROMTOOL, "check", "metrics"], input=text)
    t.check(result.returncode == 0, f"promtool check metrics: {name}",
            result.stdout + result.stderr)


def check_values(text, name, with_self=False):
    """What proc-memory95 must give, whichever the format; the exporting
    process's own metrics only `with_self`."""
    samples = t.parse_samples(text)
    host = os.uname().nodename

    t.check(t.find(samples, "health_memory_usage_ratio") == [0.95],
            f"{name}: health_memory_usage_ratio is 0.95",
            t.find(samples, "health_memory_usage_ratio"))
    t.check(t.find(samples, "health_swap_usage_ratio") == [0.75],
            f"{name}: health_swap_usage_ratio is 0.75")
    t.check(t.find(samples, "health_metric_status", metric="memory-usage") == [4.0],
            f"{name}: memory-usage is critical (4)")
    t.check(t.find(samples, "health_status") == [4.0], f"{name}: overall status critical (4)")
    t.check(t.find(samples, "health_metric_threshold", metric="memory-available",
                   level="warning") == [2 * 1024 ** 3],
            f"{name}: memory-available warning threshold is 2 GiB in bytes")
    if with_self:
        t.check(t.find(samples, "health_metric_threshold", metric="main-loop-latency",
                       level="critical") == [0.5],
                f"{name}: main-loop-latency critical threshold is 0.5 s")
    t.check(len(t.find(samples, "health_metric_info", metric="memory-available",
                       direction="below")) == 1,
            f"{name}: memory-available is worse below")

    # Every built-in metric: a gauge named after its id, a status, two
    # thresholds, an info.
    names = {n for (n, _) in samples}
    missing = []
    for metric_id in SYSTEM_IDS + (PROCESS_IDS if with_self else []):
        base = "health_" + metric_id.replace("-", "_")
        gauges = [n for n in names if n == base or n.startswith(base + "_")]
        if not (len(gauges) == 1 and
                len(t.find(samples, "health_metric_status", metric=metric_id)) == 1 and
                len(t.find(samples, "health_metric_threshold", metric=metric_id)) == 2 and
                len(t.find(samples, "health_metric_info", metric=metric_id)) == 1):
            missing.append(f"{metric_id}: gauges {gauges}")
    t.check(not missing, f"{name}: every built-in metric has a gauge, status, "
            "thresholds and info", "\n".join(missing))
    if not with_self:
        own = [n for n in names
               if any(n.startswith("health_" + i.replace("-", "_")) for i in PROCESS_IDS)]
        own += [i for i in PROCESS_IDS if t.find(samples, "health_metric_status", metric=i)]
        t.check(not own, f"{name}: nothing about the exporting process without --self", own)

    # Unknown values are NaN, never left out or zero.
    cpu = t.find(samples, "health_load_average_per_core")
    t.check(len(cpu) == 1 and math.isnan(cpu[0]),
            f"{name}: unknown load average is NaN (no loadavg in the fixture)", cpu)

    hosts = {dict(labels).get("host") for (_, labels) in samples}
    t.check(hosts == {host}, f"{name}: every sample has host={host!r}", hosts)

    # Names follow the conventions: base units, `_total` for counters only.
    t.check("health_memory_available_bytes" in names, f"{name}: base units in names (bytes)")
    if with_self:
        t.check("health_main_loop_latency_seconds" in names,
                f"{name}: base units in names (seconds)")
    return samples


def main():
    env = t.environment(HEALTH_PROC_ROOT=t.PROC_MEMORY95)

    # export to standard output
    result = t.run([CLI, "export"], env=env)
    t.check(result.returncode == 0, "export exits 0", result.stderr)
    classic = result.stdout
    t.check("# EOF" not in classic, "the classic format has no # EOF")
    promtool_check(classic, "export")
    check_values(classic, "export")
    t.check("health_samples_total" not in classic,
            "a one-off export has no samples counter")
    t.check("health_last_sample_timestamp_seconds{" in classic,
            "export has the time of its sample")

    result = t.run([CLI, "export", "--self"], env=env)
    t.check(result.returncode == 0, "export --self exits 0", result.stderr)
    promtool_check(result.stdout, "export --self")
    check_values(result.stdout, "export --self", with_self=True)

    result = t.run([CLI, "export", "--openmetrics"], env=env)
    t.check(result.returncode == 0, "export --openmetrics exits 0", result.stderr)
    problems = t.check_openmetrics(result.stdout)
    t.check(not problems, "export --openmetrics is OpenMetrics", "\n".join(problems))
    check_values(result.stdout, "export --openmetrics")
    t.check("# TYPE health_metric info\n" in result.stdout and
            "# UNIT health_memory_available_bytes bytes\n" in result.stdout,
            "OpenMetrics has the info type and units")

    # --textfile writes the same text
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "health.prom")
        result = t.run([CLI, "export", "--textfile", path], env=env)
        t.check(result.returncode == 0 and result.stdout == "",
                "export --textfile exits 0 and prints nothing", result.stderr)
        with open(path) as f:
            textfile = f.read()
        promtool_check(textfile, "export --textfile")
        check_values(textfile, "export --textfile")

    # serve, both formats
    serve = t.Serve(CLI, "--interval", "300")
    status, headers, body = serve.wait_for_metrics()
    t.check(headers.get("Content-Type") == "text/plain; version=0.0.4; charset=utf-8",
            "/metrics is text/plain; version=0.0.4 by default", headers)
    promtool_check(body, "serve /metrics")
    samples = check_values(body, "serve /metrics")
    t.check(len(t.find(samples, "health_samples_total")) == 1,
            "serve counts its samples")

    prometheus_accept = ("application/openmetrics-text;version=1.0.0,"
                         "application/openmetrics-text;version=0.0.1;q=0.75,"
                         "text/plain;version=0.0.4;q=0.5,*/*;q=0.1")
    status, headers, body = serve.request(headers={"Accept": prometheus_accept})
    t.check(status == 200 and headers.get("Content-Type") ==
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
            "Prometheus' Accept gets OpenMetrics", headers)
    problems = t.check_openmetrics(body)
    t.check(not problems, "serve /metrics is OpenMetrics when asked", "\n".join(problems))
    check_values(body, "serve /metrics OpenMetrics")
    t.check("# TYPE health_samples counter\nhealth_samples_total{" in body,
            "OpenMetrics counter family without _total, sample with it")

    status, headers, body = serve.request(
        headers={"Accept": "text/plain;version=0.0.4;q=0.9,application/openmetrics-text;q=0.5"})
    t.check(headers.get("Content-Type", "").startswith("text/plain"),
            "a client preferring text/plain gets it", headers)
    status, headers, body = serve.request(
        headers={"Accept": "application/openmetrics-text;q=0,text/plain"})
    t.check(headers.get("Content-Type", "").startswith("text/plain"),
            "q=0 refuses OpenMetrics", headers)

    t.check(serve.stop() == 0, "serve exits 0 on SIGTERM", serve.stderr)

    serve = t.Serve(CLI, "--interval", "300", "--self")
    status, headers, body = serve.wait_for_metrics()
    promtool_check(body, "serve --self /metrics")
    check_values(body, "serve --self /metrics", with_self=True)
    t.check(serve.stop() == 0, "serve --self exits 0 on SIGTERM", serve.stderr)

    t.finish()


if __name__ == "__main__":
    main()
