// SPDX-License-Identifier: LGPL-2.1-or-later
//
// Health-1 from gjs (an ES module: `gjs -m test-health.js`), through the
// typelib of the build tree (tests/gi/meson.build sets GI_TYPELIB_PATH,
// LD_LIBRARY_PATH and HEALTH_PROC_ROOT=tests/fixtures/proc-memory95,
// where memory-usage is exactly 95.0). Output is TAP.
//
// Only testSampledMetric* use add_sampled_metric(): the other tests
// update app metrics themselves, so one binding problem fails one test.

import Gio from 'gi://Gio';
import GLib from 'gi://GLib';
import GObject from 'gi://GObject';
import Health from 'gi://Health?version=1';
import System from 'system';

Gio._promisify(Health.Monitor.prototype, 'sample_async', 'sample_finish');

// -- harness ----------------------------------------------------------------

class AssertionError extends Error {
    name = 'AssertionError';
}

function assert(condition, message) {
    if (!condition)
        throw new AssertionError(message ?? 'assertion failed');
}

function assertEqual(actual, expected, message) {
    const a = JSON.stringify(actual), e = JSON.stringify(expected);
    if (a !== e)
        throw new AssertionError(`${message ? `${message}: ` : ''}${a} !== ${e}`);
}

function assertThrowsGError(func, domain, code) {
    try {
        func();
    } catch (error) {
        assert(error instanceof GLib.Error, `${error} is not a GLib.Error`);
        assert(error.matches(domain, code), `${error} does not match ${domain}/${code}`);
        return error;
    }
    throw new AssertionError('no error was thrown');
}

function appMonitor() {
    return new Health.Monitor({builtin: Health.Builtin.NONE});
}

function queueMetric() {
    return Health.Metric.new('queue-length', 'Queue Length', 'jobs',
        Health.Direction.ABOVE, 50, 100);
}

// One sample, or a failure after ten seconds rather than a hung suite.
function sample(monitor) {
    let timeoutId;
    const timeout = new Promise((resolve, reject) => {
        timeoutId = GLib.timeout_add_seconds(GLib.PRIORITY_DEFAULT, 10, () => {
            reject(new AssertionError('sample_async() never called back'));
            return GLib.SOURCE_REMOVE;
        });
    });
    return Promise.race([monitor.sample_async(null), timeout])
        .finally(() => GLib.source_remove(timeoutId));
}

// -- tests ------------------------------------------------------------------

async function testGetDefault() {
    const monitor = Health.Monitor.get_default();
    assert(monitor === Health.Monitor.get_default(), 'one default monitor');
    assertEqual(monitor.builtin, Health.Builtin.DEFAULT);
    assertEqual(monitor.active, false);
}

async function testSampledMetric() {
    const monitor = appMonitor();
    const metric = queueMetric();
    const seen = [];
    assert(monitor.add_sampled_metric(metric, m => {
        seen.push(m);
        return 42.5;
    }));
    assertEqual(await sample(monitor), true);
    assert(seen.length === 1 && seen[0] === metric, 'called once with its metric');
    // gjs 1.74 hands a double returned by a plain C callback back to C as
    // an integer's bits (42.5 reads as 2.1e-322); see docs/bindings.md.
    assertEqual(metric.value, 42.5, 'value');
    assertEqual(metric.status, Health.Status.GOOD, 'status');
}

async function testSampledMetricThrowing() {
    // gjs logs an exception in a callback as a critical, which is fatal
    // under G_DEBUG=fatal-criticals: the scenario runs in a child.
    const launcher = new Gio.SubprocessLauncher({
        flags: Gio.SubprocessFlags.STDOUT_PIPE | Gio.SubprocessFlags.STDERR_PIPE,
    });
    launcher.unsetenv('G_DEBUG');
    const child = launcher.spawnv([GLib.find_program_in_path('gjs'), '-m',
        System.programPath, '--child-throwing-sampler']);
    const [stdout, stderr] = await new Promise((resolve, reject) => {
        child.communicate_utf8_async(null, null, (c, result) => {
            try {
                const [, out, err] = c.communicate_utf8_finish(result);
                resolve([out, err]);
            } catch (error) {
                reject(error);
            }
        });
    });
    assert(child.get_successful(), `child failed: ${stderr}`);
    assertEqual(stdout.trim().split('\n'), ['unknown', '10'], 'broken metric, then the other one');
    assert(stderr.includes('the queue is gone'), 'the exception is logged');
}

async function childThrowingSampler() {
    const monitor = appMonitor();
    const broken = Health.Metric.new('broken', 'Broken', '', Health.Direction.ABOVE, 1, 2);
    const other = queueMetric();
    monitor.add_sampled_metric(broken, () => {
        throw new Error('the queue is gone');
    });
    monitor.add_metric(other);
    other.update(10);
    await sample(monitor);
    print(Health.status_to_string(broken.status));
    print(other.value);
}

async function testThresholds() {
    const metric = queueMetric();
    for (const [warning, critical] of [[100, 50], [NaN, 100], [50, Infinity]]) {
        const error = assertThrowsGError(() => metric.set_thresholds(warning, critical),
            Health.Error, Health.Error.INVALID_THRESHOLDS);
        assertEqual(GLib.quark_to_string(error.domain), 'health-error-quark');
        assertEqual(error.code, Health.Error.INVALID_THRESHOLDS);
        assertEqual([metric.warning, metric.critical], [50, 100], 'nothing changed');
    }
    assert(metric.set_thresholds(60, 90));
    assertEqual([metric.warning, metric.critical], [60, 90]);
}

async function testSignals() {
    const monitor = appMonitor();
    const metric = queueMetric();
    monitor.add_metric(metric);
    const alerts = [], recovered = [], statuses = [], others = [];
    monitor.connect('alert::queue-length', (m, alert) => alerts.push(alert));
    monitor.connect('alert::some-other-metric', (m, alert) => others.push(alert));
    monitor.connect('recovered::queue-length', (m, what) => recovered.push(what));
    monitor.connect('status-changed', (m, old, now) => statuses.push([old, now]));

    metric.update(10);
    await sample(monitor);
    assertEqual(alerts.length, 0);
    assertEqual(statuses.length, 1);
    assertEqual(statuses[0][0], Health.Status.UNKNOWN);

    metric.update(120);
    await sample(monitor);
    assertEqual(alerts.length, 1, 'one alert');
    const [alert] = alerts;
    assert(alert.metric === metric, 'alert.metric');
    assertEqual(alert.status, Health.Status.CRITICAL);
    assertEqual([alert.value, alert.threshold], [120, 100]);
    assert(alert.message.startsWith('Queue Length = 120'), alert.message);
    assert(statuses.at(-1)[1] >= Health.Status.CRITICAL, 'overall critical or worse');

    metric.update(10);
    await sample(monitor);
    assert(recovered.length === 1 && recovered[0] === metric, 'recovered');
    assert(statuses.at(-1)[1] < Health.Status.WARNING, 'overall good again');
    assertEqual(others.length, 0, 'detail filters');
}

async function testMemoryFixture() {
    const monitor = new Health.Monitor({builtin: Health.Builtin.MEMORY_USAGE});
    assert(monitor.proc_root.endsWith('proc-memory95'), monitor.proc_root);
    const messages = [], lowMemory = [];
    monitor.connect('alert', (m, alert) => messages.push(alert.message));
    monitor.connect('low-memory', (m, status) => lowMemory.push(status));
    await sample(monitor);
    const metric = monitor.get_metric('memory-usage');
    assertEqual(metric.value, 95);
    assertEqual(metric.status, Health.Status.CRITICAL);
    assertEqual(messages, ['Memory Usage = 95.0 % (threshold 90.0 %, no trend yet)']);
    assertEqual(lowMemory, [Health.Status.CRITICAL]);
}

async function testHistory() {
    const metric = queueMetric();
    assertEqual(metric.dup_history().length, 0);
    for (const value of [1, 2, 3])
        metric.update(value);
    const history = metric.dup_history();
    assert(history.every(s => s instanceof Health.Sample), 'array of Health.Sample');
    assertEqual(history.map(s => s.value), [1, 2, 3]);
    const times = history.map(s => s.time_us);
    assert(times.every((t, i) => i === 0 || t >= times[i - 1]), 'oldest first');
    assert(times[0] > 1.6e15, 'wall-clock microseconds');
}

async function testReports() {
    const monitor = appMonitor();
    const metric = queueMetric();
    metric.recommendation = 'Cancel the jobs nobody waits for';
    monitor.add_metric(metric);
    const unknown = Health.Metric.new('cache-size', 'Cache Size', 'bytes',
        Health.Direction.ABOVE, 1e9, 2e9);
    monitor.add_metric(unknown);
    metric.update(42.5);
    await sample(monitor);

    const summary = monitor.get_summary().recursiveUnpack();
    assertEqual(Object.keys(summary).sort(),
        ['alerts', 'metrics', 'monitoring_active', 'overall_status', 'recommendations']);
    assertEqual(summary.metrics['queue-length'].value, 42.5);
    assertEqual(summary.metrics['queue-length'].status, 'good');
    assert(Number.isNaN(summary.metrics['cache-size'].value), 'unknown is NaN');

    const json = JSON.parse(monitor.to_json());
    assertEqual(json.metrics['queue-length'].value, 42.5);
    assertEqual(json.metrics['cache-size'].value, null);
    assertEqual(json.overall_status, summary.overall_status);

    const text = monitor.to_openmetrics();
    assert(/^health_queue_length(\{[^}]*\})? 42\.5$/m.test(text), text);
    assert(text.trimEnd().endsWith('# EOF'), 'ends with # EOF');

    assertEqual(monitor.get_recommendations(), []);
    metric.update(70);
    await sample(monitor);
    assertEqual(monitor.get_recommendations(), ['Cancel the jobs nobody waits for']);
}

async function testOperation() {
    const monitor = appMonitor();
    const metric = queueMetric();
    monitor.add_metric(metric);
    metric.update(40);
    await sample(monitor);
    const operation = monitor.begin_operation('load a big file');
    assertEqual(operation.get_name(), 'load a big file');
    metric.update(60);
    await sample(monitor);
    const changes = operation.end();
    assertEqual(changes.length, 1, `changes ${changes}`);
    assert(changes[0].startsWith('queue-length: '), changes[0]);
    assert(operation.is_ended());
    assertEqual(operation.end(), []);
}

async function testSampleAsync() {
    const monitor = appMonitor();
    assertEqual(await sample(monitor), true);

    const cancelled = sample(monitor);
    monitor.stop();
    try {
        await cancelled;
        throw new AssertionError('stop() did not cancel the sample');
    } catch (error) {
        assert(error instanceof GLib.Error && error.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED),
            `${error}`);
    }
}

async function testTrackObject() {
    const monitor = appMonitor();
    let object = new GObject.Object();
    monitor.track_object(object);
    assertEqual(monitor.get_n_tracked_objects(), 1);
    object = null;
    // The JS wrapper holds the object until a collection.
    System.gc();
    assertEqual(monitor.get_n_tracked_objects(), 0);
}

// -- main -------------------------------------------------------------------

const tests = [
    testGetDefault, testSampledMetric, testSampledMetricThrowing, testThresholds,
    testSignals, testMemoryFixture, testHistory, testReports, testOperation,
    testSampleAsync, testTrackObject,
];

if (System.programArgs.includes('--child-throwing-sampler')) {
    await childThrowingSampler();
} else {
    let failed = 0;
    print(`1..${tests.length}`);
    for (const [i, test] of tests.entries()) {
        try {
            await test();
            print(`ok ${i + 1} - ${test.name}`);
        } catch (error) {
            failed++;
            print(`not ok ${i + 1} - ${test.name}`);
            for (const line of `${error}\n${error.stack ?? ''}`.trimEnd().split('\n'))
                print(`# ${line}`);
        }
    }
    System.exit(failed ? 1 : 0);
}
