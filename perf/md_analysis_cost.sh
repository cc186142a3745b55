#!/usr/bin/env bash
# Cost of md.analysis (issue 20: ≤ 5 % of an MD step) in instructions (callgrind): the same md run
# of 2 replicas × 432 atoms (Cu50Zr50 B2 melted at 2000 K) with 0, 100 and 200 steps, and 100 and
# 200 steps with md.analysis sampling every step with the documented defaults (max_lag 100,
# origin_stride 10: 11 time origins, the ring full from sample 100 on; q = [2.7]). Per step, set-up
# and end-of-run output included (the ring still filling):
# MD = (Ir(100) − Ir(0))/100, analysis = (Ir(100 + analysis) − Ir(100))/100. Per step in the
# steady state (the once-per-run set-up and the writing of dynamics.json cancel): MD =
# (Ir(200) − Ir(100))/100, analysis = (Ir(200 + analysis) − Ir(100 + analysis))/100 − MD.
# perf/README.md records the numbers.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${TMPDIR:-/tmp}/glassland_md_analysis_cost
rm -rf "$dir" && mkdir -p "$dir"
write() {  # name steps analysis
  cat > "$dir/$1.json" <<JSON
{"task": "md", "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 1}, "replicas": 2},
 "md": {"steps": $2, "temperature": 2000 $3},
 "output": {"directory": "$dir/$1", "thermo_stride": 1000, "quiet": true}}
JSON
}
analysis=', "analysis": {"stride": 1}'
write zero 0 ""
write plain 100 ""
write sampled 100 "$analysis"
write plain200 200 ""
write sampled200 200 "$analysis"
declare -A ir
for name in zero plain sampled plain200 sampled200; do
  valgrind --tool=callgrind --callgrind-out-file="$dir/$name.callgrind" build/glassland run "$dir/$name.json" \
    > "$dir/$name.log" 2>&1
  ir[$name]=$(grep -m1 '^summary:' "$dir/$name.callgrind" | awk '{print $2}')
  echo "$name ${ir[$name]}"
done
awk -v z="${ir[zero]}" -v p="${ir[plain]}" -v s="${ir[sampled]}" -v p2="${ir[plain200]}" \
  -v s2="${ir[sampled200]}" 'BEGIN {
  md = (p - z) / 100; a = (s - p) / 100
  printf "with set-up and output: MD step %.3f M, md.analysis %.3f M per sample = %.2f %%\n",
    md / 1e6, a / 1e6, 100 * a / md
  md = (p2 - p) / 100; a = (s2 - s) / 100 - md
  printf "steady state:           MD step %.3f M, md.analysis %.3f M per sample = %.2f %%\n",
    md / 1e6, a / 1e6, 100 * a / md
}'
