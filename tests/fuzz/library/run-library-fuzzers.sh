#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-dbus-fuzzer.sh SRCDIR BUILDDIR [OUTDIR]
#
# Builds the whole of libhealth with clang, libFuzzer and the address and
# undefined-behaviour sanitizers (from the sources, plus what meson
# generated in BUILDDIR: config.h, the version header, the enum types and
# the gdbus-codegen code), links fuzz-dbus-export.c against it and runs
# it for FUZZ_SECONDS (default 10). Crashing inputs are kept in
# OUTDIR/fuzz-artifacts. Exits 77 when clang or libFuzzer is missing.
set -eu

srcdir=$(cd "$1" && pwd)
builddir=$(cd "$2" && pwd)
outdir=${3:-$PWD}
seconds=${FUZZ_SECONDS:-10}
clang=${CLANG:-clang}

skip () {
  echo "run-dbus-fuzzer: $*; skipping" >&2
  exit 77
}

command -v "$clang" >/dev/null 2>&1 || skip "no $clang"

work=$(mktemp -d "${TMPDIR:-/tmp}/health-dbus-fuzz.XXXXXX")
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
  $(pkg-config --cflags gio-2.0 json-glib-1.0)"
libs="$(pkg-config --libs gio-2.0 json-glib-1.0) -lm"

objects=
for src in "$srcdir"/lib/*.c "$srcdir"/lib/probes/*.c \
           "$builddir/lib/health-enum-types.c" "$builddir/lib/health-dbus-generated.c"; do
  obj="$work/$(basename "$src" .c).o"
  # shellcheck disable=SC2086
  "$clang" $cflags -fsanitize=fuzzer-no-link -c "$src" -o "$obj"
  objects="$objects $obj"
done

# shellcheck disable=SC2086
"$clang" $cflags -fsanitize=fuzzer "$srcdir/tests/fuzz/dbus/fuzz-dbus-export.c" $objects $libs \
  -o "$work/fuzz-dbus-export"

# Seeds: one well-formed call of each kind. Bytes: method, body kind,
# path, then NUL-separated strings and values (see body_from_input()).
mkdir -p "$work/corpus" "$outdir/fuzz-artifacts"
printf '\000\000\001' > "$work/corpus/get-metrics"
printf '\001\001\001queue\000' > "$work/corpus/get-history"
printf '\001\001\001nothing\000' > "$work/corpus/get-history-unknown"
printf '\003\001\001io.github.healthmonitor.Monitor1\000' > "$work/corpus/get-all"
printf '\002\002\001io.github.healthmonitor.Monitor1\000Status\000' > "$work/corpus/get"
printf '\004\003\001io.github.healthmonitor.Monitor1\000Interval\000\000\012\000\000\000' > "$work/corpus/set"
printf '\005\000\001' > "$work/corpus/introspect"

G_DEBUG=fatal-criticals ASAN_OPTIONS=detect_leaks=1:halt_on_error=1 \
  "$work/fuzz-dbus-export" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$outdir/fuzz-artifacts/fuzz-dbus-export-" "$work/corpus" 2>"$work/log" || {
  tail -n 60 "$work/log" >&2
  exit 1
}
grep -E '^(#[0-9]+.*DONE|Done [0-9]+ runs)' "$work/log" || tail -n 3 "$work/log"
