#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-library-fuzzers.sh SRCDIR BUILDDIR [OUTDIR]
#
# Builds the whole of libhealth with clang, libFuzzer and the address and
# undefined-behaviour sanitizers (from the sources, plus what meson
# generated in BUILDDIR: config.h, the version header, the enum types and
# the gdbus-codegen code), links each target of this directory against it
# (fuzz-dbus-export: the D-Bus export's incoming calls; fuzz-thresholds:
# the applet's thresholds setting) and runs each for FUZZ_SECONDS
# (default 10). Crashing inputs are kept in OUTDIR/fuzz-artifacts. Exits
# 77 when clang or libFuzzer is missing.
set -eu

srcdir=$(cd "$1" && pwd)
builddir=$(cd "$2" && pwd)
outdir=${3:-$PWD}
seconds=${FUZZ_SECONDS:-10}
clang=${CLANG:-clang}

skip () {
  echo "run-library-fuzzers: $*; skipping" >&2
  exit 77
}

command -v "$clang" >/dev/null 2>&1 || skip "no $clang"

work=$(mktemp -d "${TMPDIR:-/tmp}/health-library-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

printf 'int LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long s);\nint LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long s) { return 0; }\n' > "$work/check.c"
"$clang" -fsanitize=fuzzer,address,undefined "$work/check.c" -o "$work/check" 2>/dev/null ||
  skip "$clang cannot link libFuzzer (install libclang-rt-*-dev)"

for generated in config.h lib/health-version.h lib/health-enum-types.c lib/health-enum-types.h \
                 lib/health-dbus-generated.c lib/health-dbus-generated.h; do
  [ -f "$builddir/$generated" ] || skip "$builddir/$generated is not generated yet"
done

sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer $sanitize -D_GNU_SOURCE -DHEALTH_COMPILATION
  -DG_LOG_DOMAIN=\"Health\" -I$builddir -I$builddir/lib -I$srcdir/lib -I$srcdir/lib/probes
  -I$srcdir/applet-window
  $(pkg-config --cflags gio-2.0 json-glib-1.0 sqlite3)"
libs="$(pkg-config --libs gio-2.0 json-glib-1.0 sqlite3) -lm"

objects=
for src in "$srcdir"/lib/*.c "$srcdir"/lib/probes/*.c \
           "$builddir/lib/health-enum-types.c" "$builddir/lib/health-dbus-generated.c"; do
  obj="$work/$(basename "$src" .c).o"
  # shellcheck disable=SC2086
  "$clang" $cflags -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  objects="$objects $obj"
done

# shellcheck disable=SC2086
"$clang" $cflags -fsanitize=fuzzer "$srcdir/tests/fuzz/library/fuzz-dbus-export.c" $objects $libs \
  -o "$work/fuzz-dbus-export"
# shellcheck disable=SC2086
"$clang" $cflags -fsanitize=fuzzer "$srcdir/tests/fuzz/library/fuzz-thresholds.c" \
  "$srcdir/applet-window/health-thresholds.c" $objects $libs -o "$work/fuzz-thresholds"

# Seeds for the D-Bus export: one well-formed call of each kind. Bytes:
# method, body kind, path, then NUL-separated strings and values (see
# body_from_input()).
mkdir -p "$work/corpus-dbus-export" "$work/corpus-thresholds" "$outdir/fuzz-artifacts"
printf '\000\000\001' > "$work/corpus-dbus-export/get-metrics"
printf '\001\001\001queue\000' > "$work/corpus-dbus-export/get-history"
printf '\001\001\001nothing\000' > "$work/corpus-dbus-export/get-history-unknown"
printf '\003\001\001io.github.healthmonitor.Monitor1\000' > "$work/corpus-dbus-export/get-all"
printf '\002\002\001io.github.healthmonitor.Monitor1\000Status\000' > "$work/corpus-dbus-export/get"
printf '\004\003\001io.github.healthmonitor.Monitor1\000Interval\000\000\012\000\000\000' > "$work/corpus-dbus-export/set"
printf '\005\000\001' > "$work/corpus-dbus-export/introspect"
# Seeds for the thresholds: (id index, warning, critical) as small integers.
printf '\000\241\265' > "$work/corpus-thresholds/above"
printf '\001\045\011' > "$work/corpus-thresholds/below"
printf '\000\265\241\002\001\003' > "$work/corpus-thresholds/wrong-order-and-unknown"

status=0
for target in dbus-export thresholds; do
  if ! G_DEBUG=fatal-criticals ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
       "$work/fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
       -artifact_prefix="$outdir/fuzz-artifacts/fuzz-$target-" "$work/corpus-$target" 2>"$work/log-$target"; then
    tail -n 60 "$work/log-$target" >&2
    status=1
  fi
  printf 'fuzz-%s: ' "$target"
  grep -E '^Done [0-9]+ runs' "$work/log-$target" || tail -n 1 "$work/log-$target"
done
exit $status
