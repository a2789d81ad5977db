/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The applet's status in GNOME Shell's top bar, without the AppIndicator
 * extension: a panel button whose icon is the overall status and whose
 * menu lists the metrics. It follows the monitor that health-applet
 * exports on the session bus through a libhealth mirror
 * (Health.Monitor.new_for_bus_async), which updates only when the
 * applet has sampled: the shell never reads /proc itself.
 *
 * While enabled it owns io.github.healthmonitor.ShellIndicator; the
 * applet watches that name and keeps its StatusNotifierItem to itself
 * meanwhile, so the status is never shown twice.
 *
 * GNOME Shell 43: legacy imports, not ES modules.
 */

/* exported init */

'use strict';

imports.gi.versions.Health = '1';

const { Gio, GLib, GObject, Health, St } = imports.gi;

const ExtensionUtils = imports.misc.extensionUtils;
const Main = imports.ui.main;
const PanelMenu = imports.ui.panelMenu;
const PopupMenu = imports.ui.popupMenu;

const _ = ExtensionUtils.gettext;

const APPLET_NAME = 'io.github.healthmonitor.Applet';
const APPLET_PATH = '/io/github/healthmonitor/Applet';
const MONITOR_PATH = '/io/github/healthmonitor/Monitor';
const INDICATOR_NAME = 'io.github.healthmonitor.ShellIndicator';
const ROLE = 'health-monitor';

const MetricItem = GObject.registerClass(
class MetricItem extends PopupMenu.PopupBaseMenuItem {
    _init(metric) {
        super._init({ can_focus: false });
        this.metric = metric;

        this._icon = new St.Icon({ style_class: 'popup-menu-icon' });
        this.add_child(this._icon);
        this._label = new St.Label({ text: metric.label, x_expand: true });
        this.add_child(this._label);
        this._value = new St.Label({ style_class: 'health-monitor-metric-value' });
        this.add_child(this._value);
        this.label_actor = this._label;
        this.sync();
    }

    sync() {
        const metric = this.metric;
        const status = metric.status;

        this._icon.icon_name = Health.status_get_icon_name(status);
        /* Translators: a metric's value and status in the menu, "95.0 % · Critical" */
        this._value.text = _('%s · %s').format(metric.format_value(metric.value),
            Health.status_to_label(status));
    }
});

const HealthIndicator = GObject.registerClass(
class HealthIndicator extends PanelMenu.Button {
    _init() {
        super._init(0.0, _('System Health'));

        this._monitor = null;
        this._monitorSignals = [];
        this._cancellable = null;
        this._status = null;
        this._running = null;

        this._icon = new St.Icon({ style_class: 'system-status-icon' });
        this.add_child(this._icon);

        this._header = new PopupMenu.PopupMenuItem('', { reactive: false });
        this.menu.addMenuItem(this._header);
        this._metrics = new PopupMenu.PopupMenuSection();
        this.menu.addMenuItem(this._metrics);
        this.menu.addMenuItem(new PopupMenu.PopupSeparatorMenuItem());
        this._details = this.menu.addAction(_('Show Details'), () => this._activateApplet());

        /* Values change every sample; redraw them only while anybody looks. */
        this.menu.connect('open-state-changed', (_menu, open) => {
            if (open)
                this._syncMetrics();
        });

        this._sync();

        this._watchId = Gio.bus_watch_name(Gio.BusType.SESSION, APPLET_NAME,
            Gio.BusNameWatcherFlags.NONE,
            (connection, _name, owner) => this._appletAppeared(connection, owner),
            () => this._appletVanished());
    }

    _appletAppeared(connection, owner) {
        this._dropMonitor();
        this._cancellable = new Gio.Cancellable();
        /* The unique name: a restarted applet is a new monitor. */
        Health.Monitor.new_for_bus_async(connection, owner, MONITOR_PATH,
            this._cancellable, (_source, result) => {
                let monitor;
                try {
                    monitor = Health.Monitor.new_for_bus_finish(result);
                } catch (e) {
                    if (!e.matches(Gio.IOErrorEnum, Gio.IOErrorEnum.CANCELLED))
                        logError(e, 'Health Monitor: cannot mirror the applet\'s monitor');
                    return;
                }
                this._setMonitor(monitor);
            });
    }

    _appletVanished() {
        this._dropMonitor();
        this._sync();
    }

    _setMonitor(monitor) {
        this._monitor = monitor;
        const metrics = monitor.get_metrics();
        this._monitorSignals = [
            [monitor, monitor.connect('sampled', () => this._sync())],
            [monitor, monitor.connect('notify::status', () => this._sync())],
            [metrics, metrics.connect('items-changed', () => this._rebuildMetrics())],
        ];
        this._rebuildMetrics();
        this._sync();
    }

    _dropMonitor() {
        if (this._cancellable) {
            this._cancellable.cancel();
            this._cancellable = null;
        }
        for (const [object, id] of this._monitorSignals)
            object.disconnect(id);
        this._monitorSignals = [];
        if (this._monitor)
            this._monitor.stop();
        this._monitor = null;
        this._metrics.removeAll();
    }

    _rebuildMetrics() {
        this._metrics.removeAll();
        if (!this._monitor)
            return;
        /* The machine, as the applet's tooltip and window show it: the
         * applet's own process is not what the user asked about. */
        const metrics = this._monitor.get_metrics();
        for (let i = 0; i < metrics.get_n_items(); i++) {
            const metric = metrics.get_item(i);
            if (metric.scope === Health.Scope.PROCESS)
                continue;
            const item = new MetricItem(metric);
            /* The window has the history and the thresholds. */
            item.connect('activate', () => this._activateApplet());
            this._metrics.addMenuItem(item);
        }
    }

    _syncMetrics() {
        for (const item of this._metrics._getMenuItems())
            item.sync();
    }

    /* Called on every sample of the applet: anything set here, even to
     * the same text, makes the shell lay out and repaint the panel, so
     * only what changed is set. */
    _sync() {
        const running = this._monitor !== null;
        const status = running ? this._monitor.status : Health.Status.UNKNOWN;

        if (status !== this._status || running !== this._running) {
            this._status = status;
            this._running = running;
            this._icon.icon_name = Health.status_get_icon_name(status);
            if (running) {
                /* Translators: the menu's first line, with the overall status */
                this._header.label.text = _('System Health: %s').format(
                    Health.status_to_label(status));
                this._details.label.text = _('Show Details');
            } else {
                this._header.label.text = _('Health monitor is not running');
                this._details.label.text = _('Start Health Monitor');
            }
        }

        if (this.menu.isOpen)
            this._syncMetrics();
    }

    /* The applet opens its window when activated while running, and the
     * bus starts it (its activation file) when it is not. */
    _activateApplet() {
        Gio.DBus.session.call(APPLET_NAME, APPLET_PATH, 'org.freedesktop.Application',
            'Activate', new GLib.Variant('(a{sv})', [{}]), null,
            Gio.DBusCallFlags.NONE, -1, null, (connection, result) => {
                try {
                    connection.call_finish(result);
                } catch (e) {
                    logError(e, 'Health Monitor: cannot activate the applet');
                }
            });
    }

    destroy() {
        if (this._watchId) {
            Gio.bus_unwatch_name(this._watchId);
            this._watchId = 0;
        }
        this._dropMonitor();
        super.destroy();
    }
});

class Extension {
    constructor(uuid) {
        this._uuid = uuid;
        this._indicator = null;
        this._ownId = 0;
    }

    enable() {
        this._indicator = new HealthIndicator();
        Main.panel.addToStatusArea(ROLE, this._indicator);
        /* The applet's cue to withdraw its StatusNotifierItem. */
        this._ownId = Gio.bus_own_name(Gio.BusType.SESSION, INDICATOR_NAME,
            Gio.BusNameOwnerFlags.NONE, null, null, null);
    }

    disable() {
        if (this._ownId) {
            Gio.bus_unown_name(this._ownId);
            this._ownId = 0;
        }
        this._indicator?.destroy();
        this._indicator = null;
    }
}

function init(meta) {
    ExtensionUtils.initTranslations('health-monitor');
    return new Extension(meta.uuid);
}
