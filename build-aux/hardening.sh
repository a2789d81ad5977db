#!/usr/bin/env bash
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The suite again under the tools that see what a passing test hides:
#
#   asan      AddressSanitizer + UndefinedBehaviorSanitizer (and LeakSanitizer)
#             build, whole suite but fuzz (run-fuzzers.sh builds its own
#             sanitized targets; fuzz-serve, which drives the command,
#             does run) and gi (python3 and gjs are not ASan-built:
#             the runtime would have to be LD_PRELOADed into them, and then
#             it reports the interpreters' own leaks and aborts on their
#             allocator mismatches, not ours).
#   valgrind  memcheck over the C test programs of core, probes, cli and
#             hardening on a normal build: no errors, no definite leaks.
#   tsan      ThreadSanitizer build of the threading tests (monitor, dbus,
#             faults) against a GLib built with ThreadSanitizer (built
#             once into a cache by build-tsan-glib.sh); any report fails.
#
# Usage: build-aux/hardening.sh [BUILDROOT [PART...]]
#   BUILDROOT defaults to _build-hardening; PARTs default to all three.
# Prints one line per part with its wall time and exits non-zero if any
# part failed. Each part's meson log stays in BUILDROOT/PART/meson-logs.
set -uo pipefail

srcdir=$(cd "$(dirname "$0")/.." && pwd)
buildroot=${1:-_build-hardening}
shift || true
parts=("$@")
[ ${#parts[@]} -eq 0 ] && parts=(asan valgrind tsan)

mkdir -p "$buildroot"
buildroot=$(cd "$buildroot" && pwd)
supp="$srcdir/tests/hardening"

# Two cores in CI; more here only makes the tests' timing tighter.
jobs=${HARDENING_JOBS:-2}

# The debug channel would make valgrind and the sanitizers print pages
# of GLib-DEBUG for nothing.
unset G_MESSAGES_DEBUG

common_setup=(-Ddocs=false -Dintrospection=disabled)

setup_and_build () {
  local dir=$1; shift
  if [ ! -f "$dir/build.ninja" ]; then
    meson setup "$dir" "$srcdir" "${common_setup[@]}" "$@" >"$dir.setup.log" 2>&1 \
      || { cat "$dir.setup.log" >&2; return 1; }
  fi
  ninja -C "$dir" >"$dir.build.log" 2>&1 || { tail -n 50 "$dir.build.log" >&2; return 1; }
}

part_asan () {
  local dir=$buildroot/asan
  setup_and_build "$dir" -Db_sanitize=address,undefined -Db_lundef=false -Dwerror=true || return 1

  # halt_on_error: the first report fails the test, rather than a log
  # line nobody reads. abort_on_error gives the test harness a signal.
  # verify_asan_link_order=0: readme-example compiles the README's
  # example with plain cc against the ASan-built libhealth-1.so, which
  # brings the runtime in as a dependency rather than first.
  export ASAN_OPTIONS="verify_asan_link_order=0:halt_on_error=1:abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1:fast_unwind_on_malloc=0"
  export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
  export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0"
  # GLib < 2.76 has its own slab allocator; plain malloc lets ASan see
  # every block.
  export G_SLICE=always-malloc
  # The tests' own waits (a window within 10 s, a scrape within 2 s)
  # stretch as meson's timeouts do.
  export HEALTH_TEST_TIME_FACTOR=3

  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$jobs" \
    --timeout-multiplier 3 --no-suite fuzz --no-suite gi || return 1

  # Unlike the libFuzzer targets, the socket fuzzer of `serve` drives
  # this build's own command, so it runs here too.
  meson test -C "$dir" --no-rebuild --print-errorlogs --timeout-multiplier 3 fuzz-serve
}

# The C test programs, under tests/meson.build's 'valgrind' setup (the
# memcheck wrapper, its suppressions and timeouts): suite 'memcheck'.
part_valgrind () {
  local dir=$buildroot/valgrind
  setup_and_build "$dir" -Dwerror=true -Dgtk=disabled || return 1

  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$jobs" \
    --setup valgrind --suite memcheck
}

tsan_tests=(monitor dbus faults)

# Strict: the first report fails the test. The tests build and run
# against a GLib built with ThreadSanitizer (build-aux/build-tsan-glib.sh,
# cached after the first run), so GTask's, GMutex's and GAsyncQueue's
# hand-overs are seen and every report left is a race. Those inside
# GLib itself, which no caller can avoid, are in tests/hardening/tsan.supp,
# each explained.
part_tsan () {
  local dir=$buildroot/tsan prefix
  prefix=$("$srcdir/build-aux/build-tsan-glib.sh") || return 1

  # The project finds the instrumented GLib first, and so do its tests
  # and everything they load (json-glib's libglib-2.0.so.0 is then the
  # same one). A build configured against another GLib, or another
  # build of it, starts over.
  export PKG_CONFIG_PATH=$prefix/lib/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
  export LD_LIBRARY_PATH=$prefix/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
  local glib
  glib="$prefix: $(cat "$prefix/.health-monitor-stamp")"
  if [ "$(cat "$dir.glib" 2>/dev/null)" != "$glib" ]; then
    rm -rf "$dir"
    echo "$glib" >"$dir.glib"
  fi

  setup_and_build "$dir" -Db_sanitize=thread -Db_lundef=false -Dgtk=disabled -Dwerror=true \
    || return 1

  export TSAN_OPTIONS="halt_on_error=1:exitcode=66:second_deadlock_stack=1:suppressions=$supp/tsan.supp"
  export G_SLICE=always-malloc
  export HEALTH_TEST_TIME_FACTOR=5

  meson test -C "$dir" --no-rebuild --print-errorlogs --num-processes "$jobs" \
    --timeout-multiplier 5 "${tsan_tests[@]}"
  local rc=$?
  local reports
  reports=$(grep -c '^WARNING: ThreadSanitizer' "$dir/meson-logs/testlog.txt" || true)
  echo "tsan: $reports reports (GLib $(pkg-config --modversion glib-2.0) from $prefix)"
  [ "$reports" -eq 0 ] || rc=1
  return $rc
}

declare -A result seconds
failed=0
for part in "${parts[@]}"; do
  if ! declare -F "part_$part" >/dev/null; then
    echo "hardening: unknown part '$part' (asan, valgrind, tsan)" >&2
    exit 2
  fi
  echo "=== hardening: $part ==="
  start=$(date +%s)
  ( "part_$part" )
  rc=$?
  seconds[$part]=$(( $(date +%s) - start ))
  if [ "$rc" -eq 0 ]; then
    result[$part]=ok
  else
    result[$part]="FAILED ($rc)"
    failed=1
  fi
done

echo
echo "hardening summary:"
for part in "${parts[@]}"; do
  printf '  %-9s %-12s %4ss\n' "$part" "${result[$part]}" "${seconds[$part]}"
done
exit "$failed"
