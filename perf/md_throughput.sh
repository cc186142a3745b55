#!/usr/bin/env bash
# MD steps/s of the same 4096-atom Cu50Zr50 NVE run (2 fs, 300 K start, 1 Å skin) in LAMMPS and
# in glassland (`task: md`, one replica), one CPU thread each, measured in one run; the fastest of
# three runs of each. Usage: perf/md_throughput.sh [BUILD_DIR] [STEPS]
set -euo pipefail
build=${1:-build}
steps=${2:-500}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
potential=${GLASSLAND_POTENTIAL_DIR:-/usr/share/lammps/potentials}/CuZr_mm.eam.fs
"$build/glassland" build --lattice b2 --lattice-constant 3.26 --cells 16 16 8 --seed 1 \
  -o "$work/cuzr.data" >/dev/null
cat >"$work/in.lmp" <<LMP
units metal
atom_style atomic
read_data cuzr.data
pair_style eam/fs
pair_coeff * * $potential Cu Zr
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create 300 1 dist gaussian mom yes
timestep 0.002
fix integrate all nve
thermo $steps
run $steps
LMP
cat >"$work/md.json" <<JSON
{"task": "md", "system": {"structure": "cuzr.data", "potential": "$potential"},
 "md": {"steps": $steps, "ensemble": "nve", "temperature": 300, "timestep": 0.002},
 "output": {"directory": "$work/md_out", "thermo_stride": $steps, "progress_interval": 1e6}}
JSON
best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
lammps=() glassland=()
for run in 1 2 3; do
  (cd "$work" && lmp -nocite -log none -in in.lmp >lammps.out)
  lammps+=("$(awk '/^Loop time of/ {print $4}' "$work/lammps.out")")
  # The task's closing progress line times its step loop, as LAMMPS's "Loop time" does.
  "$build/glassland" run "$work/md.json" 2>"$work/glassland.err"
  glassland+=("$(awk '/^md: done/ {print $6}' "$work/glassland.err")")
done
l=$(best "${lammps[@]}")
g=$(best "${glassland[@]}")
python3 - "$l" "$g" "$steps" <<'PY'
import sys
l, g, steps = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"LAMMPS fix nve (loop time):          {steps/l:7.1f} steps/s, {4096*steps/l:.3e} atom-steps/s")
print(f"glassland task md (step loop):       {steps/g:7.1f} steps/s, {4096*steps/g:.3e} atom-steps/s")
print(f"glassland/LAMMPS loop time ratio: {g/l:.3f}")
PY
