# SPDX-License-Identifier: LGPL-2.1-or-later
#
# PyGObject overrides for Health-1.
#
# PyGObject imports this module in place of the bare introspected one
# when an app does `from gi.repository import Health`. It is installed
# next to PyGObject's own overrides; in the build tree, putting
# bindings/python on PYTHONPATH is enough, because gi.overrides extends
# its __path__ with every gi/overrides directory on sys.path.
#
# Nothing here may contain an __init__.py: a bindings/python/gi package
# would shadow the real gi package.

"""Pythonic behaviour for libhealth's Health-1 namespace."""

import math
import numbers
import traceback
import weakref

from gi.repository import GLib, GObject

from ..module import get_introspection_module
from ..overrides import override

Health = get_introspection_module('Health')

__all__ = []

# The library's own log domain, so G_MESSAGES_DEBUG=Health and journal
# filters show the binding's messages together with the library's.
_LOG_DOMAIN = 'Health'


def _log(level, message):
    fields = GLib.Variant('a{sv}', {'MESSAGE': GLib.Variant('s', message)})
    GLib.log_variant(_LOG_DOMAIN, level, fields)


class _GuardedSampler:
    """Calls an app's sample function and turns any failure into NaN.

    Left to itself, PyGObject prints an exception raised in a callback to
    stderr and hands C a zeroed return value, so a broken sample function
    made its metric read 0 and look healthy. NaN is libhealth's "unknown":
    the metric turns UNKNOWN, never alerts, and the monitor goes on. The
    failure is logged in libhealth's domain, once per run of failures.
    """

    def __init__(self, func, user_data):
        self._func = func
        self._user_data = user_data
        self._failing = False

    def __call__(self, metric, *_ignored):
        # *_ignored: the C callback form passes its (unused) user_data;
        # the app's own data travels in self._user_data instead.
        try:
            value = self._func(metric, *self._user_data)
        except Exception as error:
            # tb_next: the app's frames are the story, not this wrapper.
            lines = traceback.format_exception(type(error), error, error.__traceback__.tb_next)
            self._report(metric, ''.join(lines).rstrip())
            return math.nan

        if not isinstance(value, numbers.Real):
            self._report(metric, 'It returned %r, not a number.' % (value,))
            return math.nan

        self._failing = False
        return float(value)

    def _report(self, metric, why):
        # The first failure of a run is a warning with the whole story;
        # repeats, once per interval, would bury the log, so they are
        # debug messages until the function succeeds again.
        if self._failing:
            _log(GLib.LogLevelFlags.LEVEL_DEBUG,
                 'Sampling metric "%s" still fails: %s'
                 % (metric.props.id, why.splitlines()[-1]))
            return

        self._failing = True
        _log(GLib.LogLevelFlags.LEVEL_WARNING,
             'Sampling metric "%s" failed; it is unknown until its function returns a number.\n%s'
             % (metric.props.id, why))


# The Python module libhealth ports named some metrics differently (and
# gave available memory in GiB); summary() speaks its language.
_SEED_NAMES = {
    'memory-usage': 'memory_usage_percent',
    'memory-available': 'memory_available_gb',
    'cpu-usage': 'cpu_usage_percent',
    'thread-count': 'thread_count',
    'disk-usage': 'disk_usage_percent',
}
_GIB = 1024.0 ** 3


def _seed_metric(metric_id, entry):
    name = _SEED_NAMES.get(metric_id, metric_id.replace('-', '_'))
    if name == 'memory_available_gb':
        entry = dict(entry)
        for key in ('value', 'threshold_warning', 'threshold_critical'):
            entry[key] = entry[key] / _GIB
        entry['unit'] = 'GB'
    return name, entry


class Metric(Health.Metric):

    @classmethod
    def new(cls, id, label, unit, direction, warning, critical):
        """Creates a metric, as ``health_metric_new()``.

        Raises ValueError for an invalid id or for thresholds that are
        not finite or contradict the direction (a warning above the
        critical threshold when higher is worse), with the library's
        message, instead of a GLib critical and a TypeError.
        """
        if not Health.Metric.id_is_valid(id):
            raise ValueError('%r is not a valid metric id: use lowercase letters, digits and dashes' % (id,))
        metric = cls(id=id, label=label, unit=unit, direction=direction)
        try:
            metric.set_thresholds(warning, critical)
        except GLib.Error as error:
            raise ValueError(error.message) from None
        return metric


Metric = override(Metric)
__all__.append('Metric')


class Monitor(Health.Monitor):

    def track_object(self, obj):
        """Counts ``obj`` in the ``tracked-objects`` metric while it lives.

        Any object that can be weakly referenced will do, as in the
        Python module this ports; a GObject is tracked by the library
        itself. Tracking an object twice counts it once. Raises TypeError
        for an object that cannot be weakly referenced (an int, a str).
        """
        if isinstance(obj, GObject.Object):
            return super().track_object(obj)

        # A small GObject stands in for the Python object in the library's
        # count, and is dropped when the object goes.
        tokens = self.__dict__.setdefault('_health_tokens', {})
        key = id(obj)
        entry = tokens.get(key)
        if entry is not None and entry[0]() is obj:
            return None

        def gone(_ref, tokens=tokens, key=key):
            tokens.pop(key, None)

        try:
            ref = weakref.ref(obj, gone)
        except TypeError:
            raise TypeError('track_object() needs an object that can be weakly referenced, not %s'
                            % type(obj).__name__) from None

        token = GObject.Object()
        tokens[key] = (ref, token)
        return super().track_object(token)

    def summary(self):
        """The summary as a plain dict, with the Python module's key names.

        ``overall_status``, ``monitoring_active``, ``metrics``, ``alerts``
        and ``recommendations`` as :meth:`get_summary` has them; metrics
        that module had are keyed by its names (``memory_usage_percent``,
        ``memory_available_gb`` in GiB, ``cpu_usage_percent``,
        ``thread_count``, ``disk_usage_percent``), the others by their id
        with underscores (``swap_usage``).
        """
        summary = self.get_summary().unpack()
        summary['metrics'] = dict(_seed_metric(metric_id, entry)
                                  for metric_id, entry in summary['metrics'].items())
        for alert in summary['alerts']:
            alert['metric'] = _SEED_NAMES.get(alert['metric'], alert['metric'].replace('-', '_'))
        return summary

    def add_sampled_metric(self, metric, func, *user_data):
        """Adds a metric that the monitor samples with ``func(metric, *user_data)``.

        ``func`` runs on the monitor's main context once per sample and
        returns the value as a number, or ``math.nan`` when it cannot
        measure it now. An exception raised by ``func``, or a value that
        is not a number, is logged and makes the metric UNKNOWN for that
        sample; the monitor goes on.

        Returns True if the metric was added.
        """
        return super().add_sampled_metric(metric, _GuardedSampler(func, user_data))


Monitor = override(Monitor)
__all__.append('Monitor')


class Operation(Health.Operation):
    """An operation is also a context manager, like the seed's
    ``health_monitoring_context``: it ends when the block is left, since
    Python frees the boxed value only when the garbage collector says so,
    and its significant changes are then in ``changes``::

        with monitor.begin_operation('load file') as op:
            load_file()
        print(op.changes)   # ['memory-usage: 25.0 % -> 50.0 %']
    """

    changes = []

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        # The changes stay on the operation (``op.changes``), and are
        # logged at info level in the library's domain.
        if not self.is_ended():
            self.changes = list(self.end())
            if self.changes:
                _log(GLib.LogLevelFlags.LEVEL_INFO,
                     "Operation '%s' caused significant resource changes: %s"
                     % (self.get_name(), ', '.join(self.changes)))
        return False


Operation = override(Operation)
__all__.append('Operation')
