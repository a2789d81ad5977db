#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
#
# test-status-bus.sh HEALTH-MONITOR SRCDIR BUILDDIR
#
# `health-monitor status --bus` reads a monitor another process exports,
# on a private session bus.
set -eu

cli=$1
srcdir=$2
builddir=$3

command -v dbus-run-session >/dev/null 2>&1 || { echo "no dbus-run-session" >&2; exit 77; }
[ -f "$builddir/lib/Health-1.typelib" ] || { echo "no typelib" >&2; exit 77; }

export GI_TYPELIB_PATH="$builddir/lib"
export LD_LIBRARY_PATH="$builddir/lib"
export HEALTH_PROC_ROOT="$srcdir/tests/fixtures/proc-memory95"
export LC_ALL=C.UTF-8

exec dbus-run-session -- sh -eu -c '
  cli=$1 srcdir=$2
  out=$(mktemp -d)
  trap "kill \$exporter 2>/dev/null; rm -rf $out" EXIT
  /usr/bin/python3 "$srcdir/tests/cli/export-monitor.py" org.example.Exporter > "$out/exporter" &
  exporter=$!
  for i in $(seq 100); do grep -q ready "$out/exporter" 2>/dev/null && break; sleep 0.1; done
  grep -q ready "$out/exporter"

  # Critical over there: exit status 1, and the figures are the remote ones.
  status=0
  "$cli" status --bus org.example.Exporter --json > "$out/json" || status=$?
  [ "$status" -eq 1 ]
  /usr/bin/python3 - "$out/json" <<PY
import json, sys
summary = json.load(open(sys.argv[1]))
assert summary["overall_status"] in ("critical", "emergency"), summary["overall_status"]
assert sorted(summary["metrics"]) == ["memory-available", "memory-usage", "queue-length"], sorted(summary["metrics"])
assert summary["metrics"]["memory-usage"]["value"] == 95.0, summary["metrics"]["memory-usage"]
assert [a["metric"] for a in summary["alerts"]] == ["memory-usage", "memory-available"], summary["alerts"]
assert not any("tracked objects" in r for r in summary["recommendations"]), summary["recommendations"]
assert summary["recommendations"], summary
PY

  # The process scope of the remote only with --self.
  status=0
  "$cli" status --bus org.example.Exporter --json --self > "$out/json" || status=$?
  [ "$status" -eq 1 ]
  /usr/bin/python3 - "$out/json" <<PY
import json, sys
summary = json.load(open(sys.argv[1]))
assert sorted(summary["metrics"]) == ["memory-available", "memory-usage", "queue-length",
                                      "tracked-objects"], sorted(summary["metrics"])
assert summary["metrics"]["tracked-objects"]["scope"] == "process", summary["metrics"]["tracked-objects"]
assert "tracked-objects" in [a["metric"] for a in summary["alerts"]], summary["alerts"]
assert any("tracked objects" in r for r in summary["recommendations"]), summary["recommendations"]
PY

  "$cli" status --bus org.example.Exporter > "$out/table" || true
  grep -q "Memory Usage *95.0 %" "$out/table"
  grep -q "Queue Length" "$out/table"
  # (`! grep` would not stop a `set -e` script.)
  if grep -qi "tracked objects" "$out/table"; then
    echo "status --bus shows its process metrics without --self" >&2
    exit 1
  fi
  "$cli" status --bus org.example.Exporter --self | grep -q "Tracked Objects"

  # Nobody there: a clear message and exit status 1.
  status=0
  "$cli" status --bus org.example.Nobody 2> "$out/err" || status=$?
  [ "$status" -eq 1 ]
  grep -q "Could not read the monitor of org.example.Nobody" "$out/err"

  # Usage errors: exit status 2.
  status=0
  "$cli" status --object-path /x 2>/dev/null || status=$?
  [ "$status" -eq 2 ]
  echo "status --bus: ok"
' sh "$cli" "$srcdir"
