#!/usr/bin/env bash
# `glassland analyze dynamics` on 1000 frames × 4000 atoms (issue 20: ≤ 60 s on one CPU thread):
# every frame a time origin, every lag, MSD/α2/F_s at one q and G_s at three lags. Prints the
# wall and CPU time and the peak memory (perf/README.md records the numbers).
set -euo pipefail
cd "$(dirname "$0")/.."
trajectory=${TMPDIR:-/tmp}/glassland_random_walk_1000x4000.h5
[[ -f $trajectory ]] || /usr/bin/python3 perf/make_random_walk_h5md.py "$trajectory" 1000 4000
/usr/bin/time -f "wall %e s, user %U s, system %S s, peak memory %M KB" \
  build/glassland analyze dynamics "$trajectory" --elements Cu Zr --q 2.7 -o "${TMPDIR:-/tmp}/random_walk_dynamics.json"
