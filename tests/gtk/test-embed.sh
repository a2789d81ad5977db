#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Runs examples/gtk/embed on a captured /proc where memory is 95 % used,
# under the display and the bus of its caller (xvfb-run, dbus-run-session):
# its window must appear with the overall status in its title (so the
# monitor sampled and the app saw it), and SIGTERM must quit it with
# status 0 and not one warning or critical.
set -uo pipefail

example=$1
fixture=$2

log=$(mktemp)
trap 'rm -f "$log"' EXIT

export HEALTH_PROC_ROOT=$fixture
export G_DEBUG=fatal-criticals
export GSK_RENDERER=cairo

"$example" 2>"$log" &
pid=$!

window=
if command -v xwininfo >/dev/null; then
  for _ in $(seq 100); do
    window=$(xwininfo -root -tree 2>/dev/null | grep -Eo '"Health: (Critical|Emergency)"' || true)
    [ -n "$window" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
else
  echo "# xwininfo (x11-utils) missing: not checking the window"
  sleep 2
fi

# A few more frames with the view on screen.
sleep 0.5
kill -TERM "$pid" 2>/dev/null
status=0
wait "$pid" || status=$?

cat "$log" >&2
echo "window: ${window:-none}, exit status: $status"

if command -v xwininfo >/dev/null && [ -z "$window" ]; then
  echo "the window with the overall status in its title never appeared" >&2
  exit 1
fi
if [ "$status" -ne 0 ]; then
  echo "embed exited with status $status" >&2
  exit 1
fi
if grep -Eq 'CRITICAL|WARNING' "$log"; then
  echo "embed logged warnings or criticals" >&2
  exit 1
fi
