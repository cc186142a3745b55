#!/usr/bin/env bash
# Wall time of one sweep of POINTS equal md points (432-atom Cu50Zr50 liquid, NVT at 1500 K,
# STEPS steps each; the points differ only in their velocity seed) on 1 and on 2 MPI ranks,
# measured in one run: RUNS pairs, the two rank counts alternating so that a change in the
# machine's load falls on both; the ratio of each pair and the median ratio are printed, with the
# load average before each run (docs/sweep.md; perf/README.md, "Sweep scaling").
# Linux's autogroup scheduler (/proc/sys/kernel/sched_autogroup_enabled = 1) gives all processes
# of one session one fair share of a busy machine, so there 2 ranks get the CPU time of 1 and the
# ratio says nothing about the sweep. RANK_SESSIONS=1 starts each rank in its own session
# (`setsid -w`), as separate jobs would be: each rank then competes for a core as on a quiet
# machine. Both ways are one command line each; perf/README.md records which was measured.
# Usage: [RANK_SESSIONS=1] perf/sweep_scaling.sh [BUILD_DIR] [POINTS] [STEPS] [RUNS]
set -euo pipefail
shopt -s inherit_errexit
build=$(cd "${1:-build}" && pwd)
points=${2:-4}
steps=${3:-3000}
runs=${4:-3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
seeds=$(seq -s, 1 "$points")
cat >"$work/sweep.json" <<JSON
{"base": {"task": "md",
          "system": {"build": {"lattice": "b2", "cells": [6, 6, 6], "seed": 3}},
          "md": {"steps": $steps, "ensemble": "nvt", "temperature": 1500,
                 "thermostat": {"tau": 0.1}, "velocity_seed": 1},
          "output": {"thermo_stride": 100}},
 "axes": {"md.velocity_seed": [$seeds]},
 "output": {"directory": "out", "quiet": true}}
JSON
mpi=(mpirun)
if [[ $(mpirun --version 2>&1 || true) =~ (Open MPI|OpenRTE|open-mpi.org) ]]; then
  mpi+=(--oversubscribe)
  [[ $(id -u) -eq 0 ]] && mpi+=(--allow-run-as-root)
fi
session=()
[[ ${RANK_SESSIONS:-0} == 1 ]] && session=(setsid -w)
seconds() {  # wall seconds of `glassland sweep` on $1 ranks
  local start end
  start=$(date +%s.%N)
  (cd "$work" && "${mpi[@]}" -np "$1" "${session[@]}" "$build/glassland" sweep -q sweep.json \
    >/dev/null)
  end=$(date +%s.%N)
  python3 -c "print(f'{$end - $start:.2f}')"
}
echo "sweep of $points equal md points ($steps steps of 432 atoms each), $(nproc) cores," \
  "autogroup $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo n/a)," \
  "rank sessions ${RANK_SESSIONS:-0}"
ratios=()
for run in $(seq 1 "$runs"); do
  load1=$(cut -d' ' -f1-3 /proc/loadavg)
  one=$(seconds 1)
  load2=$(cut -d' ' -f1-3 /proc/loadavg)
  two=$(seconds 2)
  ratio=$(python3 -c "print(f'{$two / $one:.3f}')")
  ratios+=("$ratio")
  echo "run $run: 1 rank $one s (load $load1), 2 ranks $two s (load $load2), ratio $ratio"
done
python3 -c "import statistics, sys; print('median ratio 2 ranks / 1 rank:', statistics.median(float(x) for x in sys.argv[1:]))" "${ratios[@]}"
