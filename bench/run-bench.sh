#!/bin/sh
# SPDX-License-Identifier: LGPL-2.1-or-later
#
# The probe benchmark, as `make bench` runs it (meson test --benchmark):
#
#   run-bench.sh BENCH_PROBES SEED_SAMPLE_PY OUTPUT_DIR
#
# Runs bench-probes (libhealth and the limit probe) and seed-sample.py
# (the seed, under /usr/bin/python3) twice in one run: unpinned (the
# scheduler free, as an app runs) and pinned (every thread on one CPU,
# the steadiest ratios), prints their figures as they come, each prefixed
# with its mode ("pinned.ours_cpu_per_sample_us 41.20 us"), then the
# ratios and one line per target and mode, and writes everything to
# OUTPUT_DIR/results.json. Lines are "name value unit", "ratio_NAME
# value", "target NAME PASS|FAIL (value vs bound)"; '#' starts a comment.
#
# BENCH_BASELINE=PATH runs PATH (the bench-probes of another tree, e.g.
# one built from an older commit) alongside, in each mode right after
# this tree's, with the prefix "base_MODE."; its ratios are printed for
# comparison, its targets not judged.
#
# Exits 0 whatever the targets say, so that the figures are always shown;
# BENCH_STRICT=1 makes a failed target fail the run (for CI).
# BENCH_SAMPLES, BENCH_WARMUP, BENCH_SITES pass through to the programs;
# BENCH_CPU picks the CPU of the pinned mode.

set -eu

if [ $# -ne 3 ]; then
  echo "usage: $0 BENCH_PROBES SEED_SAMPLE_PY OUTPUT_DIR" >&2
  exit 2
fi

bench_probes=$1
seed_sample=$2
out_dir=$3
python=/usr/bin/python3

# The live /proc, not a test fixture.
unset HEALTH_PROC_ROOT
# GLib before 2.76 would hide small blocks in its slice magazines.
G_SLICE=${G_SLICE:-always-malloc}
export G_SLICE

mkdir -p "$out_dir"
figures=$(mktemp)
run_out=$(mktemp)
trap 'rm -f "$figures" "$run_out"' EXIT

pinned_cpu=${BENCH_CPU:-}
baseline=${BENCH_BASELINE:-}

# Runs a command with BENCH_CPU set for MODE, its figures prefixed
# "PREFIX." (comments as they are); a failure is a comment.
run_mode () {
  mode=$1 prefix=$2
  shift 2
  if [ "$mode" = unpinned ]; then cpu=none; else cpu=$pinned_cpu; fi
  status=0
  BENCH_CPU=$cpu "$@" > "$run_out" || status=$?
  sed -e "/^#/!s/^/$prefix./" "$run_out" | tee -a "$figures"
  if [ "$status" -ne 0 ]; then
    echo "# $prefix: $1 exited with status $status" | tee -a "$figures"
  fi
}

for mode in unpinned pinned; do
  run_mode "$mode" "$mode" "$bench_probes"
  if [ -n "$baseline" ]; then
    run_mode "$mode" "base_$mode" "$baseline"
  fi
  if [ -x "$python" ]; then
    run_mode "$mode" "$mode" "$python" "$seed_sample"
  else
    echo "# seed: $python is missing, not measured" | tee -a "$figures"
  fi
done

# The ratios and targets, then the JSON. awk keeps the last value of each
# name; non-numeric values (nan) become null in the JSON.
awk -v json="$out_dir/results.json" -v strict="${BENCH_STRICT:-0}" '
function num(s) { return s ~ /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$/ }
function jstr(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); gsub(/\t/, " ", s); return "\"" s "\"" }
function jnum(s) { return num(s) ? s + 0 : "null" }
function have(name) { return (name in value) && num(value[name]) }
function ratio(name, a, b) {
  if (have(a) && have(b) && value[b] + 0 > 0) {
    ratios[name] = sprintf("%.2f", value[a] / value[b])
    printf "ratio_%s %s\n", name, ratios[name]
  } else {
    ratios[name] = "nan"
    printf "ratio_%s nan\n", name
  }
  ratio_order[++n_ratios] = name
}
# op is "<=" or ">=": PASS when the value is within the bound.
function target(name, v, op, bound, fmt,    verdict, shown) {
  if (!num(v)) {
    verdict = "SKIP"
    shown = "not measured"
  } else {
    verdict = (op == "<=" ? v + 0 <= bound : v + 0 >= bound) ? "PASS" : "FAIL"
    shown = sprintf(fmt " vs " op " " fmt, v, bound)
  }
  printf "target %s %s (%s)\n", name, verdict, shown
  t_verdict[name] = verdict; t_value[name] = v; t_op[name] = op; t_bound[name] = bound
  target_order[++n_targets] = name
  if (verdict == "FAIL")
    failed++
}
/^#/ { comments[++n_comments] = substr($0, 3); next }
$1 ~ /_alloc_site$/ {
  site = $0
  sub(/^[^ ]+ [^ ]+ [^ ]+ /, "", site)
  sites[++n_sites] = sprintf("{\"set\": %s, \"per_sample\": %s, \"thread\": %s, \"site\": %s}",
                             jstr(substr($1, 1, length($1) - 11)), jnum($2), jstr($3), jstr(site))
  next
}
NF >= 2 {
  if (!($1 in value))
    order[++n_figures] = $1
  value[$1] = $2
  unit[$1] = NF >= 3 ? $3 : ""
}
# The ratios of one run of bench-probes and the seed, under PREFIX.
function ratios_of(p) {
  ratio(p "ours_over_limit", p "ours_cpu_per_sample_us", p "limit_cpu_per_sample_us")
  ratio(p "seed_over_ours", p "seed_cpu_per_sample_us", p "ours_cpu_per_sample_us")
  ratio(p "probes_over_limit_probe", p "probes_cpu_per_sample_us", p "limit_probe_cpu_per_sample_us")
  ratio(p "seed_over_limit", p "seed_cpu_per_sample_us", p "limit_cpu_per_sample_us")
}
END {
  split("unpinned pinned", modes, " ")
  for (m = 1; m <= 2; m++) {
    p = modes[m] "."
    ratios_of(p)
    # The baseline is compared with the same seed figure.
    if ((("base_" p "ours_cpu_per_sample_us") in value)) {
      value["base_" p "seed_cpu_per_sample_us"] = value[p "seed_cpu_per_sample_us"]
      ratios_of("base_" p)
      ratio(p "ours_over_base_ours", p "ours_cpu_per_sample_us", "base_" p "ours_cpu_per_sample_us")
    }
  }

  for (m = 1; m <= 2; m++) {
    p = modes[m] "."
    target(p "ours_over_limit", ratios[p "ours_over_limit"], "<=", 1.1, "%.2f")
    target(p "seed_over_ours", ratios[p "seed_over_ours"], ">=", 6, "%.2f")
    target(p "main_thread_cpu_per_sample_us", value[p "ours_main_cpu_per_sample_us"], "<=", 15, "%.2f")
    target(p "probes_allocs_per_sample", value[p "probes_allocs_total"], "<=", 0, "%.0f")
    if (have(p "ours_allocs_per_sample"))
      printf "# for information: %s a monitor round trip allocates %s times (median; %s on the main thread), see ours_alloc_site\n",
             modes[m], value[p "ours_allocs_per_sample"], value[p "ours_main_allocs_per_sample"]
  }

  printf "{\n  \"figures\": {\n" > json
  for (i = 1; i <= n_figures; i++)
    printf "    %s: {\"value\": %s, \"unit\": %s}%s\n", jstr(order[i]), jnum(value[order[i]]),
           jstr(unit[order[i]]), i < n_figures ? "," : "" > json
  printf "  },\n  \"ratios\": {\n" > json
  for (i = 1; i <= n_ratios; i++)
    printf "    %s: %s%s\n", jstr(ratio_order[i]), jnum(ratios[ratio_order[i]]),
           i < n_ratios ? "," : "" > json
  printf "  },\n  \"targets\": {\n" > json
  for (i = 1; i <= n_targets; i++) {
    name = target_order[i]
    printf "    %s: {\"verdict\": %s, \"value\": %s, \"op\": %s, \"bound\": %s}%s\n", jstr(name),
           jstr(t_verdict[name]), jnum(t_value[name]), jstr(t_op[name]), t_bound[name],
           i < n_targets ? "," : "" > json
  }
  printf "  },\n  \"alloc_sites\": [\n" > json
  for (i = 1; i <= n_sites; i++)
    printf "    %s%s\n", sites[i], i < n_sites ? "," : "" > json
  printf "  ],\n  \"notes\": [\n" > json
  for (i = 1; i <= n_comments; i++)
    printf "    %s%s\n", jstr(comments[i]), i < n_comments ? "," : "" > json
  printf "  ]\n}\n" > json
  close(json)
  printf "# results: %s\n", json

  exit (strict == "1" && failed > 0) ? 1 : 0
}
' "$figures"
