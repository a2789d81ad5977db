#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-rules.py HEALTH-MONITOR
#
# data/prometheus/health.rules.yml: `promtool check rules`, its own unit
# tests (health.rules.test.yml), and a unit test made here from what a
# real `health-monitor export` publishes, so that the rules cannot drift
# from the monitor's defaults: for every built-in metric, nothing fires
# just short of the warning threshold, exactly the warning rule fires at
# it, both fire at the critical threshold, and nothing fires on NaN.

import json
import os
import shutil
import sys
import tempfile

# No __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import promtest as t  # noqa: E402

CLI = os.path.abspath(sys.argv[1])
PROMTOOL = t.require("promtool")
RULES = os.path.join(t.DATA_DIR, "health.rules.yml")
RULES_TEST = os.path.join(t.DATA_DIR, "health.rules.test.yml")

# A tree with every file the probes read, so every metric has its
# thresholds (process-memory's depend on MemTotal).
PROC_ROOT = os.path.join(t.FIXTURES, "proc-debian12")


def just_short(threshold, direction):
    """A value on the healthy side of `threshold`, as close as makes sense."""
    step = max(abs(threshold) * 1e-6, 1e-9)
    return threshold - step if direction == "above" else threshold + step


def series_text(name, labels):
    inner = ",".join(f'{k}="{v}"' for k, v in sorted(labels.items()))
    return f"{name}{{{inner}}}"


def main():
    result = t.run([PROMTOOL, "check", "rules", RULES])
    t.check(result.returncode == 0 and "SUCCESS: 30 rules found" in result.stdout,
            "promtool check rules: 30 rules", result.stdout + result.stderr)

    # promtool resolves rule_files relative to the test file.
    result = t.run([PROMTOOL, "test", "rules", RULES_TEST])
    t.check(result.returncode == 0, "promtool test rules health.rules.test.yml",
            result.stdout + result.stderr)

    # --self: the rules also cover the exporting process's metrics.
    result = t.run([CLI, "export", "--self"], env=t.environment(HEALTH_PROC_ROOT=PROC_ROOT))
    if not t.check(result.returncode == 0, "export for the thresholds", result.stderr):
        t.finish()
    samples = t.parse_samples(result.stdout)
    names = {n for (n, _) in samples}

    metrics = {}
    for (name, labels), value in samples.items():
        labels = dict(labels)
        if name == "health_metric_threshold":
            metrics.setdefault(labels["metric"], {})[labels["level"]] = value
        elif name == "health_metric_info":
            metrics.setdefault(labels["metric"], {})["direction"] = labels["direction"]
    t.check(len(metrics) == 15, "the export has the 15 built-in metrics", sorted(metrics))

    labels = {"host": "ws1", "instance": "ws1:9464", "job": "health"}
    input_series = []
    expr_tests = []
    for metric_id, info in sorted(metrics.items()):
        base = "health_" + metric_id.replace("-", "_")
        gauge = [n for n in names if n == base or n.startswith(base + "_")][0]
        warning, critical, direction = info["warning"], info["critical"], info["direction"]
        values = [just_short(warning, direction), warning, critical, float("nan")]

        input_series.append({
            "series": series_text(gauge, labels),
            "values": " ".join("NaN" if v != v else repr(v) for v in values),
        })
        for level in ("warning", "critical"):
            input_series.append({
                "series": series_text("health_metric_threshold",
                                      dict(labels, metric=metric_id, level=level)),
                "values": " ".join([repr(info[level])] * len(values)),
            })

        def alert(level):
            name = "Health" + "".join(w.capitalize() for w in metric_id.split("-"))
            return {"labels": series_text("ALERTS", dict(
                        labels, alertname=name + level.capitalize(), alertstate="firing",
                        metric=metric_id, severity=level)),
                    "value": 1}

        query = f'ALERTS{{metric="{metric_id}"}}'
        expr_tests += [
            {"expr": query, "eval_time": "0m", "exp_samples": []},
            {"expr": query, "eval_time": "1m", "exp_samples": [alert("warning")]},
            {"expr": query, "eval_time": "2m",
             "exp_samples": [alert("warning"), alert("critical")]},
            {"expr": query, "eval_time": "3m", "exp_samples": []},
        ]

    test = {
        "rule_files": ["health.rules.yml"],
        "evaluation_interval": "1m",
        "tests": [{"interval": "1m", "input_series": input_series,
                   "promql_expr_test": expr_tests}],
    }
    with tempfile.TemporaryDirectory() as tmp:
        shutil.copy(RULES, tmp)
        # JSON is YAML.
        path = os.path.join(tmp, "generated.test.yml")
        with open(path, "w") as f:
            json.dump(test, f, indent=1)
        result = t.run([PROMTOOL, "test", "rules", path], seconds=60)
        t.check(result.returncode == 0,
                "every rule matches the monitor's thresholds and directions "
                f"({len(expr_tests)} evaluations)",
                result.stdout + result.stderr)

    t.finish()


if __name__ == "__main__":
    main()
