// SPDX-License-Identifier: LGPL-2.1-or-later
//
// HealthGtk-1 from gjs (`gjs -m test-gtk.js`): a HealthGtk.MonitorView in a
// GTK 4 window, shown until it is mapped, then sampled once more so it
// redraws. Needs a display: tests/gi/meson.build runs it under
// `xvfb-run -a`. Output is TAP.

import GLib from 'gi://GLib';
import Gio from 'gi://Gio';
import Gtk from 'gi://Gtk?version=4.0';
import Health from 'gi://Health?version=1';
import HealthGtk from 'gi://HealthGtk?version=1';
import System from 'system';

Gio._promisify(Health.Monitor.prototype, 'sample_async', 'sample_finish');

Gtk.init();

// Resolves when check() is true, rejects after ten seconds.
function waitFor(check, what) {
    return new Promise((resolve, reject) => {
        const deadline = GLib.get_monotonic_time() + 10 * GLib.USEC_PER_SEC;
        GLib.timeout_add(GLib.PRIORITY_DEFAULT, 20, () => {
            if (check())
                resolve();
            else if (GLib.get_monotonic_time() > deadline)
                reject(new Error(`timed out waiting for ${what}`));
            else
                return GLib.SOURCE_CONTINUE;
            return GLib.SOURCE_REMOVE;
        });
    });
}

function assert(condition, message) {
    if (!condition)
        throw new Error(message);
}

async function testMonitorViewInWindow() {
    const monitor = new Health.Monitor({builtin: Health.Builtin.MEMORY_USAGE});
    const queue = Health.Metric.new('queue-length', 'Queue Length', 'jobs',
        Health.Direction.ABOVE, 50, 100);
    monitor.add_metric(queue);
    queue.update(10);
    await monitor.sample_async(null);

    const view = HealthGtk.MonitorView.new(monitor);
    assert(view.monitor === monitor, 'view.monitor');
    const window = new Gtk.Window({title: 'Health', default_width: 480, default_height: 360});
    window.set_child(view);

    let mapped = false;
    view.connect('map', () => {
        mapped = true;
    });
    window.present();
    await waitFor(() => mapped, 'the view to be mapped');

    // A sample while shown: the view redraws on ::sampled.
    queue.update(20);
    assert(await monitor.sample_async(null), 'sample while shown');
    let frames = 0;
    window.add_tick_callback(() => {
        frames++;
        return GLib.SOURCE_REMOVE;
    });
    await waitFor(() => frames > 0, 'a frame after the sample');

    window.destroy();
    await waitFor(() => !window.get_mapped(), 'the window to go');
}

async function testSparklineMetricProperty() {
    const metric = Health.Metric.new('queue-length', 'Queue Length', 'jobs',
        Health.Direction.ABOVE, 50, 100);
    const sparkline = new HealthGtk.Sparkline({metric});
    assert(sparkline.metric === metric, 'sparkline.metric');
    // Given only the metric, the sparkline follows the monitor it names.
    assert(metric.monitor === null, 'metric.monitor before');
    const monitor = new Health.Monitor({builtin: Health.Builtin.NONE});
    monitor.add_metric(metric);
    assert(sparkline.metric.monitor === monitor, 'metric.monitor');
    monitor.remove_metric('queue-length');
    assert(metric.monitor === null, 'metric.monitor after');
}

const tests = [testMonitorViewInWindow, testSparklineMetricProperty];
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
