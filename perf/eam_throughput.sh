#!/usr/bin/env bash
# EAM force-evaluation throughput of glassland and LAMMPS on the same 4000-atom Cu50Zr50
# structure, one CPU thread each, measured in one run (PERFORMANCE.md: ratios only from the same
# run on the same machine). Usage: perf/eam_throughput.sh [BUILD_DIR] [STRUCTURE.data]
# Prints LAMMPS's steps/s, glassland's atom-steps/s for R = 1, 8, 64, and the time ratio.
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
# On a shared machine the fastest of several runs is the best estimate of each code's own
# speed, so LAMMPS runs three times and each glassland case three times.
lammps_seconds=1e30
for run in 1 2 3; do
  (cd "$work" && lmp -nocite -log none -in in.lmp >lammps.out)
  seconds=$(awk '/^Loop time of/ {print $4}' "$work/lammps.out")
  lammps_seconds=$(python3 -c "print(min($lammps_seconds, $seconds))")
done
GLASSLAND_BENCH_REPLICAS=1,8,64 "$build/perf/bench_eam_throughput" --structure "$structure" \
  --benchmark_format=json --benchmark_min_time=1 --benchmark_repetitions=3 >"$work/glassland.json"
python3 - "$work/glassland.json" "$lammps_seconds" "$steps" <<'PY'
import json, sys
# Fastest repetition of each (replicas, energy) case.
fastest = {}
for r in json.load(open(sys.argv[1]))["benchmarks"]:
    if r.get("run_type") != "iteration":
        continue
    key = (r["replicas"], r["energy_virial"])
    if key not in fastest or r["real_time"] < fastest[key]["real_time"]:
        fastest[key] = r
runs = sorted(fastest.values(), key=lambda r: (r["energy_virial"], r["replicas"]))
lammps_seconds, steps = float(sys.argv[2]), int(sys.argv[3])
atoms = runs[0]["atoms"]
lammps_step = lammps_seconds / steps
print(f"LAMMPS eam/fs, {atoms:.0f} atoms, 1 thread: {steps/lammps_seconds:.1f} steps/s "
      f"= {atoms*steps/lammps_seconds:.3e} atom-steps/s")
base = {}
for r in runs:
    rate = r["atom_steps_per_s"]
    kind = "forces+energy+virial" if r["energy_virial"] else "forces only"
    base.setdefault(kind, rate)
    per_replica_step = r["real_time"] / 1e3 / r["replicas"]  # ms → s, per replica evaluation
    print(f"glassland {kind:20s} R={r['replicas']:3.0f}: {rate:.3e} atom-steps/s, batching gain {rate/base[kind]:.2f}, "
          f"glassland/LAMMPS time per evaluation {per_replica_step/lammps_step:.3f}")
PY
