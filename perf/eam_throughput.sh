#!/usr/bin/env bash
# EAM force-evaluation throughput of glassland and LAMMPS on the same 4000-atom Cu50Zr50
# structure, one CPU thread each, measured in one run (PERFORMANCE.md: ratios only from the same
# run on the same machine). Usage: perf/eam_throughput.sh [BUILD_DIR] [STRUCTURE.data]
# Prints LAMMPS's and glassland's atom-steps/s for R = 1, 8, 64 and the time ratio (median of
# RUNS paired runs).
set -euo pipefail
build=${1:-build}
structure=${2:-}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
potential=${GLASSLAND_POTENTIAL_DIR:-/usr/share/lammps/potentials}/CuZr_mm.eam.fs
if [[ -z "$structure" ]]; then
  structure=$work/cuzr4000.data
  "$build/glassland" build --lattice random --atoms 4000 --density 0.0585 --min-separation 2.1 \
    --seed 1 -o "$structure" >/dev/null
fi
steps=200
source "$(dirname "$0")/eam_lammps_input.sh"
eam_lammps_input "$work/in.lmp" "$structure" "$potential" "$steps" "$steps"
# On a shared machine whose load drifts, each code's time is only comparable with the other's
# taken at about the same moment: LAMMPS and glassland run in turn, RUNS times (default 5), each
# glassland run timing every case once; the ratio is taken run by run and its median printed,
# with the smallest and largest (farm-bench --vs pairs runs the same way).
runs=${RUNS:-5}
for ((run = 1; run <= runs; run++)); do
  (cd "$work" && lmp -nocite -log none -in in.lmp >lammps.out)
  awk '/^Loop time of/ {print $4}' "$work/lammps.out" >"$work/lammps_$run.txt"
  GLASSLAND_BENCH_REPLICAS=1,8,64 "$build/perf/bench_eam_throughput" --structure "$structure" \
    --benchmark_format=json --benchmark_min_time=1 >"$work/glassland_$run.json"
done
python3 - "$work" "$runs" "$steps" <<'PY'
import json, statistics, sys
work, runs, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ratios, rates, lammps_rates, atoms = {}, {}, [], None
for run in range(1, runs + 1):
    lammps_step = float(open(f"{work}/lammps_{run}.txt").read()) / steps
    for r in json.load(open(f"{work}/glassland_{run}.json"))["benchmarks"]:
        if r.get("run_type") != "iteration":
            continue
        atoms = r["atoms"]
        key = (r["energy_virial"], r["replicas"])
        per_replica_step = r["real_time"] / 1e3 / r["replicas"]  # ms → s, per replica evaluation
        ratios.setdefault(key, []).append(per_replica_step / lammps_step)
        rates.setdefault(key, []).append(r["atom_steps_per_s"])
    lammps_rates.append(atoms / lammps_step)
print(f"LAMMPS eam/fs, {atoms:.0f} atoms, 1 thread: median {statistics.median(lammps_rates):.3e} "
      f"atom-steps/s over {runs} runs")
base = {}
for key in sorted(ratios):
    energy_virial, replicas = key
    kind = "forces+energy+virial" if energy_virial else "forces only"
    rate = statistics.median(rates[key])
    base.setdefault(kind, rate)
    q = ratios[key]
    print(f"glassland {kind:20s} R={replicas:3.0f}: {rate:.3e} atom-steps/s, batching gain "
          f"{rate/base[kind]:.2f}, glassland/LAMMPS time per evaluation {statistics.median(q):.3f} "
          f"(median of {len(q)} paired runs; {min(q):.3f}–{max(q):.3f})")
PY
