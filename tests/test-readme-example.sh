#!/usr/bin/env bash
# The C example of README.md: the same text as examples/readme-example.c,
# compiles against the uninstalled pkg-config file health-1, and runs.
set -euo pipefail

srcdir=$1
builddir=$2

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The first ```c block of the README.
awk '/^```c$/ { inside = 1; next } /^```$/ && inside { exit } inside { print }' \
  "$srcdir/README.md" > "$tmp/example.c"

if ! diff -u <(sed 1d "$srcdir/examples/readme-example.c") "$tmp/example.c"; then
  echo "README's example and examples/readme-example.c differ" >&2
  exit 1
fi

export PKG_CONFIG_PATH="$builddir/meson-uninstalled${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
cc -Wall -Werror -o "$tmp/example" "$tmp/example.c" $(pkg-config --cflags --libs health-1)

export LD_LIBRARY_PATH="$builddir/lib"
export HEALTH_PROC_ROOT="$srcdir/tests/fixtures/proc-memory95"
output=$("$tmp/example")
echo "$output"

grep -q '^Memory Usage = 95.0 % (threshold 90.0 %, no trend yet)$' <<<"$output"
# The first critical sample is critical, never an emergency.
grep -q '^Overall: critical$' <<<"$output"
