#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# expect-output.py REGEX... -- COMMAND [ARG...]
#
# Runs an example and passes when it exits 0 and every REGEX matches a
# line of its standard output: "it ran" alone would not notice an example
# whose metric silently reads 0.

import re
import subprocess
import sys


def main(argv):
    if '--' not in argv:
        sys.exit('usage: expect-output.py REGEX... -- COMMAND [ARG...]')
    split = argv.index('--')
    patterns, command = argv[:split], argv[split + 1:]

    result = subprocess.run(command, stdout=subprocess.PIPE, text=True)
    sys.stdout.write(result.stdout)
    if result.returncode != 0:
        print('%s exited with %d' % (command[0], result.returncode), file=sys.stderr)
        return 1

    lines = result.stdout.splitlines()
    missing = [p for p in patterns if not any(re.search(p, line) for line in lines)]
    for pattern in missing:
        print('no line of the output matches %r' % pattern, file=sys.stderr)
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
