#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# Keeps the benchmark from rotting under `make test`: runs bench-probes on
# a few samples and checks that every figure run-bench.sh needs is printed
# with a value. Targets are not judged here: 50 samples on a busy test
# machine say nothing about them.
#
#   smoke-test.sh BENCH_PROBES

set -eu

bench_probes=$1
out=$(BENCH_SAMPLES=50 BENCH_WARMUP=5 BENCH_SITES=5 BENCH_ONLY= "$bench_probes")

status=0
for key in \
  samples \
  ours_cpu_per_sample_us \
  ours_main_cpu_per_sample_us \
  ours_allocs_per_sample \
  ours_main_allocs_per_sample \
  probes_cpu_per_sample_us \
  probes_allocs_total \
  limit_cpu_per_sample_us \
  limit_main_cpu_per_sample_us \
  limit_probe_cpu_per_sample_us
do
  # "name value unit", the value a number, or nan where malloc cannot be
  # counted (sanitizers, valgrind).
  if ! printf '%s\n' "$out" | grep -Eq "^$key ([0-9]+(\\.[0-9]+)?|nan) [a-z]+\$"; then
    echo "missing or malformed: $key" >&2
    status=1
  fi
done

if [ $status -ne 0 ]; then
  printf '%s\n' "$out" >&2
fi

exit $status
