#!/usr/bin/env bash
# Paper 000's activation entropy and volume study in miniature (inputs/sweep/paper000_demo.json;
# docs/sweep.md, "Paper 000's study"): prepares the quickstart glass if it is not there yet
# (inputs/prepare/quickstart_glass.json, as the main job does), then runs the sweep on 2 MPI ranks
# (one process when glassland was built without MPI), which ends by printing ΔS and V with errors.
# Run it after the README's setup (scripts/setup.sh and scripts/build.sh, or
# scripts/run_main_job.sh). Extra arguments go to `glassland sweep` (e.g. --restart after an
# interruption). RANKS=K picks another number of ranks.
set -euo pipefail
cd "$(dirname "$0")/../.."
program=build/glassland
if [[ ! -x $program ]]; then
  echo "run_paper000_demo: $program is missing: run bash scripts/build.sh first" >&2
  exit 1
fi
if [[ ! -f out/quickstart_glass/final_0000.data ]]; then
  echo "run_paper000_demo: preparing the quickstart glass (out/quickstart_glass)"
  $program run inputs/prepare/quickstart_glass.json --quiet
fi
launcher=()
if grep -q '^GLASSLAND_WITH_MPI:BOOL=ON' build/CMakeCache.txt && command -v mpirun >/dev/null; then
  launcher=(mpirun -np "${RANKS:-2}")
  if [[ $(mpirun --version 2>&1 || true) =~ (Open MPI|OpenRTE|open-mpi.org) ]]; then  # Open MPI: as root, and ranks > cores
    launcher+=(--oversubscribe)
    [[ $(id -u) -eq 0 ]] && launcher+=(--allow-run-as-root)
  fi
fi
start=$(date +%s)
"${launcher[@]}" "$program" sweep inputs/sweep/paper000_demo.json "$@"
echo "run_paper000_demo: the sweep took $(($(date +%s) - start)) s; results in out/sweep_paper000_demo/"
