#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The seed's per-sample work (seed/000_465b377229c590ec.txt, the Python
# monitor libhealth replaces), timed the way bench-probes times libhealth:
# CPU time of the whole process (time.process_time) around each sample,
# median after a warm-up that fills the 100-sample histories.
#
# One sample is the body of the seed's _monitoring_loop without its sleep:
# _update_system_metrics (psutil; cpu_percent non-blocking here, since
# the seed's 100 ms blocking call is a bug, not work),
# _update_application_metrics, _update_gc_metrics with its baseline
# reset, _check_health_alerts and _cleanup_tracked_objects; plus the
# numpy.polyfit trend of each of the 7 metrics, which libhealth computes
# on every sample for every metric while the seed does it on alerts and
# summaries only, so that both sides do the same work.
#
# Prints "name value unit" lines. Environment: BENCH_SAMPLES (default
# 5000), BENCH_WARMUP (default 100), BENCH_CPU (the CPU to run on, by
# default the last one allowed, as bench-probes does; "none" to not pin).

import gc
import logging
import os
import statistics
import sys
import time
import weakref
from collections import deque

try:
    import numpy as np
    import psutil
except ImportError as e:
    print(f"# seed: {e.name} is missing (build-aux/install-deps installs it)")
    sys.exit(77)

# The seed's constant: fewer points than this make no trend.
NDIM_2D = 2

logger = logging.getLogger("seed")
logger.addHandler(logging.NullHandler())
logger.propagate = False


class Metric:
    """The seed's HealthMetric: a value, thresholds and a 100-sample deque."""

    __slots__ = ("name", "current_value", "threshold_warning", "threshold_critical",
                 "unit", "history", "last_updated")

    def __init__(self, name, warning, critical, unit=""):
        self.name = name
        self.current_value = 0.0
        self.threshold_warning = warning
        self.threshold_critical = critical
        self.unit = unit
        self.history = deque(maxlen=100)
        self.last_updated = time.time()

    def update(self, value):
        self.current_value = value
        self.history.append((time.time(), value))
        self.last_updated = time.time()

    def get_status(self):
        if self.current_value >= self.threshold_critical:
            return "critical"
        if self.current_value >= self.threshold_warning:
            return "warning"
        return "good"

    def get_trend(self, window_minutes=5.0):
        if len(self.history) < NDIM_2D:
            return "insufficient_data"
        cutoff_time = time.time() - (window_minutes * 60)
        recent_values = [val for ts, val in self.history if ts >= cutoff_time]
        if len(recent_values) < NDIM_2D:
            return "insufficient_data"
        trend = np.polyfit(range(len(recent_values)), recent_values, 1)[0]
        if abs(trend) < 0.01:
            return "stable"
        if trend > 0:
            return "increasing"
        return "decreasing"


class SeedMonitor:
    def __init__(self, monitoring_interval=30.0):
        self.monitoring_interval = monitoring_interval
        self.metrics = {
            "memory_usage_percent": Metric("Memory Usage", 75.0, 90.0, "%"),
            "memory_available_gb": Metric("Available Memory", 2.0, 0.5, "GB"),
            "cpu_usage_percent": Metric("CPU Usage", 80.0, 95.0, "%"),
            "thread_count": Metric("Thread Count", 100, 200),
            "hdf5_connections": Metric("HDF5 Connections", 50, 100),
            "disk_usage_percent": Metric("Disk Usage", 85.0, 95.0, "%"),
            "gc_collections_per_hour": Metric("GC Collections/Hour", 100, 300),
        }
        self.last_alert_times = {}
        self.alert_cooldown = 300.0
        self.tracked_objects = set()
        self.periodic_callbacks = []
        self.callbacks = {}
        self.gc_stats_start = gc.get_stats()

    def update_system_metrics(self):
        memory = psutil.virtual_memory()
        self.metrics["memory_usage_percent"].update(memory.percent)
        self.metrics["memory_available_gb"].update(memory.available / (1024**3))
        self.metrics["cpu_usage_percent"].update(psutil.cpu_percent(interval=None))
        process = psutil.Process()
        self.metrics["thread_count"].update(process.num_threads())
        disk_usage = psutil.disk_usage(os.getcwd())
        self.metrics["disk_usage_percent"].update((disk_usage.used / disk_usage.total) * 100)

    def update_application_metrics(self):
        # The seed asks its HDF5 reader's pool; there is none here.
        self.metrics["hdf5_connections"].update(0.0)

    def update_gc_metrics(self, initial_stats):
        current_stats = gc.get_stats()
        if len(current_stats) == len(initial_stats):
            total = sum(current_stats[i]["collections"] - initial_stats[i]["collections"]
                        for i in range(len(current_stats)))
            interval_hours = max(self.monitoring_interval, 1e-6) / 3600
            self.metrics["gc_collections_per_hour"].update(total / interval_hours)

    def trigger_alert(self, metric_name, metric, status):
        trend = metric.get_trend()
        threshold = metric.threshold_warning if status == "warning" else metric.threshold_critical
        message = (f"Health Alert [{status.upper()}]: {metric.name} = "
                   f"{metric.current_value:.1f}{metric.unit} "
                   f"(threshold: {threshold:.1f}{metric.unit}, trend: {trend})")
        if status == "critical":
            logger.error(message)
        else:
            logger.warning(message)

    def check_health_alerts(self):
        current_time = time.time()
        overall = "excellent"
        for metric_name, metric in self.metrics.items():
            status = metric.get_status()
            if status == "critical":
                overall = "critical"
            elif status == "warning" and overall in ("excellent", "good"):
                overall = "warning"
            elif status == "good" and overall == "excellent":
                overall = "good"
            alert_key = f"{metric_name}_{status}"
            last_alert = self.last_alert_times.get(alert_key, 0)
            if status in ("warning", "critical") and current_time - last_alert > self.alert_cooldown:
                self.trigger_alert(metric_name, metric, status)
                self.last_alert_times[alert_key] = current_time
        for callback in self.callbacks.get(overall, []):
            callback(overall)

    def cleanup_tracked_objects(self):
        self.tracked_objects = {ref for ref in self.tracked_objects if ref() is not None}

    def sample(self):
        start_time = time.time()
        self.update_system_metrics()
        self.update_application_metrics()
        self.update_gc_metrics(self.gc_stats_start)
        self.gc_stats_start = gc.get_stats()
        for cb in list(self.periodic_callbacks):
            cb()
        self.check_health_alerts()
        self.cleanup_tracked_objects()
        # What libhealth does on every sample: a trend per metric.
        for metric in self.metrics.values():
            metric.get_trend()
        return time.time() - start_time


class Tracked:
    pass


def env_int(name, default, minimum):
    value = os.environ.get(name, "")
    if not value:
        return default
    n = int(value)
    if n < minimum:
        raise SystemExit(f"{name}: expected a number of at least {minimum}, not {value!r}")
    return n


def pin_to_one_cpu():
    wanted = os.environ.get("BENCH_CPU", "")
    if wanted == "none":
        print("# seed: not pinned (BENCH_CPU=none)")
        return
    cpu = int(wanted) if wanted else max(os.sched_getaffinity(0))
    try:
        os.sched_setaffinity(0, {cpu})
        print(f"# seed: pinned to CPU {cpu}")
    except OSError as e:
        print(f"# seed: not pinned: cannot run on CPU {cpu} ({e.strerror})")


def main():
    pin_to_one_cpu()
    n_samples = env_int("BENCH_SAMPLES", 5000, 1)
    n_warmup = env_int("BENCH_WARMUP", 100, 0)
    monitor = SeedMonitor()
    # One live tracked object, so that the seed's clean-up has work.
    tracked = Tracked()
    monitor.tracked_objects.add(weakref.ref(tracked))

    psutil.cpu_percent(interval=None)   # its baseline, as the seed's first call
    for _ in range(max(n_warmup, NDIM_2D)):
        monitor.sample()

    times = []
    clock = time.process_time
    for _ in range(n_samples):
        start = clock()
        monitor.sample()
        times.append(clock() - start)

    times_us = [t * 1e6 for t in times]
    deciles = statistics.quantiles(times_us, n=10) if len(times_us) > 1 else times_us * 9
    print(f"# python {sys.version.split()[0]}, psutil {psutil.__version__}, numpy {np.__version__}")
    print(f"seed_samples {n_samples} count")
    print(f"seed_cpu_per_sample_us {statistics.median(times_us):.2f} us")
    print(f"seed_cpu_per_sample_p10_us {deciles[0]:.2f} us")
    print(f"seed_cpu_per_sample_p90_us {deciles[-1]:.2f} us")
    print(f"seed_cpu_per_sample_mean_us {statistics.fmean(times_us):.2f} us")


if __name__ == "__main__":
    main()
