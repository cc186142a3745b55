#!/usr/bin/env bash
# MD steps/s of the same Cu50Zr50 NVE run (1 Å skin) in LAMMPS and in glassland (`task: md`, one
# replica), one CPU thread each, measured in one run; the fastest of three runs of each.
# Usage: perf/md_throughput.sh [BUILD_DIR] [STEPS] [STATE]
#   STATE crystal (default): a 4096-atom B2 crystal with random species, 300 K, 2 fs: the neighbour
#         list is almost never rebuilt, so this times the force evaluation and the integrator;
#   STATE liquid: 4000 atoms packed at random (0.0585 Å⁻³, as perf/eam_throughput.sh), 2000 K,
#         1 fs: atoms move fast and both codes rebuild their lists every few steps (LAMMPS prints
#         how many times), so the neighbour build counts too.
set -euo pipefail
build=${1:-build}
steps=${2:-500}
state=${3:-crystal}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
potential=${GLASSLAND_POTENTIAL_DIR:-/usr/share/lammps/potentials}/CuZr_mm.eam.fs
case "$state" in
  crystal)
    "$build/glassland" build --lattice b2 --lattice-constant 3.26 --cells 16 16 8 --seed 1 \
      -o "$work/cuzr.data" >/dev/null
    temperature=300 timestep=0.002 ;;
  liquid)
    "$build/glassland" build --lattice random --atoms 4000 --density 0.0585 --min-separation 2.1 \
      --seed 1 -o "$work/cuzr.data" >/dev/null
    temperature=2000 timestep=0.001 ;;
  *) echo "md_throughput: STATE is crystal or liquid, not '$state'" >&2; exit 2 ;;
esac
atoms=$(awk '/ atoms$/ {print $1; exit}' "$work/cuzr.data")
cat >"$work/in.lmp" <<LMP
units metal
atom_style atomic
read_data cuzr.data
pair_style eam/fs
pair_coeff * * $potential Cu Zr
neighbor 1.0 bin
neigh_modify every 1 delay 0 check yes
velocity all create $temperature 1 dist gaussian mom yes
timestep $timestep
fix integrate all nve
thermo $steps
run $steps
LMP
cat >"$work/md.json" <<JSON
{"task": "md", "system": {"structure": "cuzr.data", "potential": "$potential"},
 "md": {"steps": $steps, "ensemble": "nve", "temperature": $temperature, "timestep": $timestep},
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
grep -m1 "Neighbor list builds" "$work/lammps.out" | sed 's/^/LAMMPS /' || true
l=$(best "${lammps[@]}")
g=$(best "${glassland[@]}")
python3 - "$l" "$g" "$steps" "$atoms" <<'PY'
import sys
l, g, steps, atoms = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
print(f"LAMMPS fix nve (loop time):          {steps/l:7.1f} steps/s, {atoms*steps/l:.3e} atom-steps/s")
print(f"glassland task md (step loop):       {steps/g:7.1f} steps/s, {atoms*steps/g:.3e} atom-steps/s")
print(f"glassland/LAMMPS loop time ratio: {g/l:.3f}")
PY
