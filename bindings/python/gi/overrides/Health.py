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

from gi.repository import GLib

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


class Monitor(Health.Monitor):

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
    Python frees the boxed value only when the garbage collector says so.
    """

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, tb):
        if not self.is_ended():
            self.end()
        return False


Operation = override(Operation)
__all__.append('Operation')
