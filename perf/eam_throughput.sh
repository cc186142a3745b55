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
potential=/usr/share/lammps/potentials/CuZr_mm.eam.fs
if [[ -z "$structure" ]]; then
  structure=$work/cuzr4000.data
  "$build/glassland" build --lattice random --atoms 4000 --density 0.0585 --min-separation 2.1 \
    --seed 1 -o "$structure" >/dev/null
fi
steps=200
cat >"$work/in.lmp" <<LMP
units metal
atom_style atomic
read_data $structure
pair_style eam/fs
pair_coeff * * $potential Cu Zr
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
thermo $steps
run $steps
LMP
(cd "$work" && lmp -nocite -log none -in in.lmp >lammps.out)
lammps_seconds=$(awk '/^Loop time of/ {print $4}' "$work/lammps.out")
# LAMMPS prints the CPU share of its loop ("98.7% CPU use"); CPU time is less sensitive than wall
# time to other processes on a shared machine, so both ratios are reported.
lammps_cpu_percent=$(awk '/CPU use with/ {sub("%", "", $1); print $1}' "$work/lammps.out")
GLASSLAND_BENCH_REPLICAS=1,8,64 "$build/perf/bench_eam_throughput" --structure "$structure" \
  --benchmark_format=json --benchmark_min_time=2 >"$work/glassland.json"
python3 - "$work/glassland.json" "$lammps_seconds" "$steps" "$lammps_cpu_percent" <<'PY'
import json, sys
runs = json.load(open(sys.argv[1]))["benchmarks"]
lammps_seconds, steps = float(sys.argv[2]), int(sys.argv[3])
lammps_cpu_step = lammps_seconds * float(sys.argv[4]) / 100 / steps
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
    per_replica_cpu = r["cpu_time"] / 1e3 / r["replicas"]
    print(f"glassland {kind:20s} R={r['replicas']:3.0f}: {rate:.3e} atom-steps/s, batching gain {rate/base[kind]:.2f}, "
          f"glassland/LAMMPS time per evaluation: wall {per_replica_step/lammps_step:.3f}, "
          f"cpu {per_replica_cpu/lammps_cpu_step:.3f}")
PY
