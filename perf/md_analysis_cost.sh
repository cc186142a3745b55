#!/usr/bin/env bash
# Cost of md.analysis (issue 20: ≤ 5 % of an MD step) in instructions (callgrind): the same md run
# of 2 replicas × 432 atoms (Cu50Zr50 B2 melted at 2000 K) with 0 and 100 steps, and 100 steps with
# md.analysis sampling every step (max_lag 20, origin_stride 2: 11 time origins, the ring full
# after 20 samples; q = 2.7). Per step: MD = (Ir(100) − Ir(0))/100, analysis = (Ir(100 + analysis)
# − Ir(100))/100. perf/README.md records the numbers.
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
write zero 0 ""
write plain 100 ""
write sampled 100 ', "analysis": {"stride": 1, "max_lag": 20, "origin_stride": 2, "q": [2.7]}'
for name in zero plain sampled; do
  valgrind --tool=callgrind --callgrind-out-file="$dir/$name.callgrind" build/glassland run "$dir/$name.json" \
    > "$dir/$name.log" 2>&1
  echo "$name $(grep -m1 '^summary:' "$dir/$name.callgrind" | awk '{print $2}')"
done
