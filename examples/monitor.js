// SPDX-License-Identifier: CC0-1.0
//
// A gjs app watching its own work queue with libhealth: a "pending jobs"
// metric, added to a monitor of the built-in system metrics, alerts when
// the queue backs up and tells when it has drained.
//
//   gjs -m monitor.js                        # until Ctrl+C, one sample every 30 s
//   gjs -m monitor.js --samples 20 --interval 100 --burst 150
//
// --burst N queues N jobs at start; the app works through 100 a second,
// so the metric goes critical, then warning, then good again.

import GLib from 'gi://GLib';
import Health from 'gi://Health?version=1';
import System from 'system';

function parseOptions(argv) {
    const options = {samples: 0, interval: 30000, burst: 0};
    for (let i = 0; i < argv.length; i++) {
        const name = argv[i].replace(/^--/, '');
        if (!(name in options) || i + 1 >= argv.length)
            throw new Error(`usage: monitor.js [--samples N] [--interval MS] [--burst N] (at "${argv[i]}")`);
        options[name] = Number.parseInt(argv[++i]);
    }
    return options;
}

const options = parseOptions(System.programArgs);
const loop = new GLib.MainLoop(null, false);

// The app's own state: jobs waiting, worked through at 100 a second.
// Counting from the start rather than one job per tick keeps that rate
// on a loaded machine, where timeouts fire late.
const pending = Array.from({length: options.burst}, (_, i) => `job ${i}`);
const start = GLib.get_monotonic_time();
let done = 0;
GLib.timeout_add(GLib.PRIORITY_DEFAULT, 10, () => {
    const due = Math.floor((GLib.get_monotonic_time() - start) / 10000);
    for (; done < due && pending.length > 0; done++)
        pending.shift();
    return pending.length > 0 ? GLib.SOURCE_CONTINUE : GLib.SOURCE_REMOVE;
});

const monitor = Health.Monitor.new();
monitor.interval = options.interval;

const pendingJobs = Health.Metric.new('pending-jobs', 'Pending Jobs', 'jobs',
    Health.Direction.ABOVE, 50, 100);
pendingJobs.recommendation = 'Jobs are piling up: pause new downloads';
// Runs on the main context, once per sample: it may read the app's state.
monitor.add_sampled_metric(pendingJobs, () => pending.length);

monitor.connect('alert', (_monitor, alert) => {
    print(`ALERT ${Health.status_to_string(alert.status)}: ${alert.message}`);
});
monitor.connect('recovered', (_monitor, metric) => {
    print(`RECOVERED ${metric.label}`);
});

let samples = 0;
monitor.connect('sampled', () => {
    samples++;
    print(`sample ${samples}: ${pendingJobs.label} = ${pendingJobs.format_value(pendingJobs.value)}, ` +
          `overall ${Health.status_to_string(monitor.status)}`);
    if (options.samples && samples >= options.samples) {
        monitor.stop();
        loop.quit();
    }
});

monitor.start();
loop.run();
