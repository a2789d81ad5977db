# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Shared by the Python GI tests: a unittest runner that prints TAP, so
# `meson test` lists every case (protocol: 'tap'), and a helper that runs
# a main loop until a condition holds or a deadline passes, so a broken
# signal fails one test instead of hanging the suite.

import sys
import traceback
import unittest

from gi.repository import GLib


def run_until(done, timeout_seconds=10):
    """Iterates the default main context until done() is true.

    Returns done()'s last value, so callers assert on it.
    """
    context = GLib.MainContext.default()
    deadline = GLib.get_monotonic_time() + timeout_seconds * GLib.USEC_PER_SEC
    # A blocking iteration may wait forever for an event that never
    # comes; the ticking source makes it look at the deadline.
    tick = GLib.timeout_add(50, lambda: GLib.SOURCE_CONTINUE)
    try:
        while not done() and GLib.get_monotonic_time() < deadline:
            context.iteration(True)
    finally:
        GLib.source_remove(tick)
    return done()


class _TapResult(unittest.TestResult):

    def __init__(self):
        super().__init__()
        self._n = 0

    def _line(self, ok, test, directive=''):
        self._n += 1
        name = test.id().rsplit('.', 2)
        print('%s %d - %s%s' % ('ok' if ok else 'not ok', self._n,
                                '.'.join(name[-2:]), directive), flush=True)

    def _diagnose(self, err):
        for line in ''.join(traceback.format_exception(*err)).splitlines():
            print('# ' + line, flush=True)

    def addSuccess(self, test):
        super().addSuccess(test)
        self._line(True, test)

    def addFailure(self, test, err):
        super().addFailure(test, err)
        self._line(False, test)
        self._diagnose(err)

    def addError(self, test, err):
        super().addError(test, err)
        self._line(False, test)
        self._diagnose(err)

    def addSkip(self, test, reason):
        super().addSkip(test, reason)
        self._line(True, test, ' # SKIP ' + reason)

    def addExpectedFailure(self, test, err):
        super().addExpectedFailure(test, err)
        self._line(True, test, ' # TODO expected failure')

    def addUnexpectedSuccess(self, test):
        super().addUnexpectedSuccess(test)
        self._line(False, test, ' # TODO unexpected success')


def main(module_name='__main__'):
    suite = unittest.defaultTestLoader.loadTestsFromModule(sys.modules[module_name])
    print('1..%d' % suite.countTestCases(), flush=True)
    result = _TapResult()
    suite.run(result)
    sys.exit(0 if result.wasSuccessful() else 1)
