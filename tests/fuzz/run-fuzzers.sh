#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# run-fuzzers.sh [SRCDIR [OUTDIR]]
#
# Builds one libFuzzer target per probe parser with clang (address and
# undefined-behaviour sanitizers) straight from lib/probes, outside the
# meson build so that it needs neither a clang build directory nor the
# rest of the library, then runs them side by side for FUZZ_SECONDS each
# (default 10), seeded with the fixtures. Crashing inputs are kept in
# OUTDIR/fuzz-artifacts. Exits 77 (skipped) when clang or its libFuzzer
# runtime is missing.
set -eu

srcdir=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
outdir=${2:-$PWD}
seconds=${FUZZ_SECONDS:-10}
clang=${CLANG:-clang}
fixtures=$srcdir/tests/fixtures

skip () {
  echo "run-fuzzers: $*; skipping" >&2
  exit 77
}

command -v "$clang" >/dev/null 2>&1 || skip "no $clang"
command -v pkg-config >/dev/null 2>&1 || skip "no pkg-config"

work=$(mktemp -d "${TMPDIR:-/tmp}/health-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

cat > "$work/check.c" <<'CHECK'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) { return 0; }
CHECK
"$clang" -fsanitize=fuzzer,address,undefined "$work/check.c" -o "$work/check" 2>/dev/null ||
  skip "$clang cannot link libFuzzer (install libclang-rt-*-dev)"

# What meson would generate; the parsers need nothing from either.
echo '#pragma once' > "$work/config.h"
sed -e 's/@MAJOR_VERSION@/0/' -e 's/@MINOR_VERSION@/0/' -e 's/@MICRO_VERSION@/0/' \
    -e 's/@VERSION@/0.0.0/' "$srcdir/lib/health-version.h.in" > "$work/health-version.h"

sanitize="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-std=gnu11 -g -O1 -fno-omit-frame-pointer $sanitize -D_GNU_SOURCE -DHEALTH_COMPILATION
  -I$work -I$srcdir/lib -I$srcdir/lib/probes
  $(pkg-config --cflags glib-2.0 gobject-2.0)"
libs="$(pkg-config --libs glib-2.0) -lm"

# The parsers and the plumbing they use; not the culprit scan or the PSI
# trigger, which parse nothing of their own.
parsers="health-probe health-probe-meminfo health-probe-stat health-probe-loadavg
  health-probe-disk health-probe-pressure health-probe-self"

objects=
for p in $parsers; do
  # shellcheck disable=SC2086
  "$clang" $cflags -fsanitize=fuzzer-no-link -c "$srcdir/lib/probes/$p.c" -o "$work/$p.o"
  objects="$objects $work/$p.o"
done

targets=
for src in "$srcdir"/tests/fuzz/fuzz-*.c; do
  name=$(basename "$src" .c)
  # shellcheck disable=SC2086
  "$clang" $cflags -fsanitize=fuzzer "$src" $objects $libs -o "$work/$name"
  targets="$targets $name"
done

# Seeds: the fixtures' files for each parser, copied, since libFuzzer
# writes new inputs into its corpus directory.
seed_dir () {
  target=$1
  shift
  mkdir -p "$work/corpus-$target"
  n=0
  for f in "$@"; do
    if [ -f "$f" ]; then
      n=$((n + 1))
      cp "$f" "$work/corpus-$target/seed-$n"
    fi
  done
}

seed_dir fuzz-meminfo "$fixtures"/proc-*/meminfo
seed_dir fuzz-stat "$fixtures"/proc-*/stat
seed_dir fuzz-loadavg
for f in "$fixtures"/proc-*/loadavg; do
  # The first byte is the CPU count.
  { printf '\002'; cat "$f"; } > "$work/corpus-fuzz-loadavg/$(basename "$(dirname "$f")")"
done
seed_dir fuzz-pressure "$fixtures"/proc-*/pressure/*
seed_dir fuzz-self "$fixtures"/proc-*/self/stat "$fixtures"/proc-*/self/statm "$fixtures"/proc-*/[0-9]*/stat
seed_dir fuzz-pid "$fixtures"/proc-*/[0-9]*/io "$fixtures"/proc-*/[0-9]*/status "$fixtures"/proc-*/[0-9]*/statm
seed_dir fuzz-numbers "$fixtures"/proc-*/loadavg
seed_dir fuzz-dirents
# Skip fd 16; records ".", "..", "0" and "16", 24 bytes each.
record () {
  printf '\001\0\0\0\0\0\0\0\002\0\0\0\0\0\0\0\030\0\004%s' "$1"
  pad=$((5 - ${#1}))
  while [ "$pad" -gt 0 ]; do printf '\0'; pad=$((pad - 1)); done
}
{ printf '\021'; record .; record ..; record 0; record 16; } > "$work/corpus-fuzz-dirents/seed"

mkdir -p "$outdir/fuzz-artifacts"

pids=
for t in $targets; do
  mkdir -p "$work/corpus-$t"
  (
    cd "$work"
    "./$t" -max_total_time="$seconds" -timeout=5 -rss_limit_mb=2048 -max_len=8192 \
      -print_final_stats=1 -artifact_prefix="$outdir/fuzz-artifacts/$t-" \
      "corpus-$t" > "$work/$t.log" 2>&1
  ) &
  pids="$pids $!:$t"
done

failed=
for entry in $pids; do
  pid=${entry%%:*}
  t=${entry#*:}
  if wait "$pid"; then
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$work/$t.log")
    echo "$t: ok, ${runs:-?} runs in ${seconds} s"
  else
    echo "$t: FAILED"
    tail -n 40 "$work/$t.log"
    failed="$failed $t"
  fi
done

if [ -n "$failed" ]; then
  echo "run-fuzzers: failed:$failed; inputs in $outdir/fuzz-artifacts" >&2
  exit 1
fi
