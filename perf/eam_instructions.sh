#!/usr/bin/env bash
# Instructions per EAM force evaluation of glassland and LAMMPS on the same 4000-atom Cu50Zr50
# structure as perf/eam_throughput.sh, counted by valgrind's callgrind: unlike times on the shared
# machine, the counts do not depend on the load. Each count is the difference of two runs that
# differ only in the number of evaluations, so set-up, the first neighbour list and output cancel.
# Usage: perf/eam_instructions.sh [BUILD_DIR] [REPLICAS]   (REPLICAS: glassland batch size, 1)
# LAMMPS's counts do not change with glassland's code: EAM_LAMMPS_COUNTS="FORCES ENERGY" (the two
# per-step counts a previous run printed) skips its four callgrind runs.
# Prints instructions per evaluation and per atom-step, and the glassland/LAMMPS ratio, for
# forces only and for forces + energy + virial.
set -euo pipefail
build=${1:-build}
replicas=${2:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
potential=${GLASSLAND_POTENTIAL_DIR:-/usr/share/lammps/potentials}/CuZr_mm.eam.fs
source "$(dirname "$0")/eam_lammps_input.sh"
structure=$work/cuzr4000.data
"$build/glassland" build --lattice random --atoms 4000 --density 0.0585 --min-separation 2.1 \
  --seed 1 -o "$structure" >/dev/null
count() {  # instructions of one callgrind run of the command
  valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" "$@" >/dev/null 2>&1
  grep -m1 '^summary:' "$work/cg.out" | awk '{print $2}'
}
lammps() {  # STEPS THERMO: instructions of `run STEPS` with thermo output every THERMO steps
  eam_lammps_input "$work/in.lmp" "$structure" "$potential" "$1" "$2"
  (cd "$work" && count lmp -nocite -log none -in in.lmp)
}
glassland() {  # ITERATIONS ENERGY(0/1)
  GLASSLAND_BENCH_REPLICAS=$replicas GLASSLAND_BENCH_ITERATIONS=$1 \
    count "$build/perf/bench_eam_throughput" --structure "$structure" \
    --benchmark_filter="eam_force_evaluation/$replicas/$2/"
}
# LAMMPS computes energy and virial only on thermo steps: thermo 1000 leaves the extra steps
# forces-only, thermo 1 makes every step a forces + energy + virial step.
if [[ -n "${EAM_LAMMPS_COUNTS:-}" ]]; then
  read -r l_forces l_energy <<<"$EAM_LAMMPS_COUNTS"
  l_forces=$((l_forces * 20)) l_energy=$((l_energy * 20))
else
  l_forces=$(($(lammps 30 1000) - $(lammps 10 1000)))
  l_energy=$(($(lammps 30 1) - $(lammps 10 1)))
fi
g_forces=$(($(glassland 6 0) - $(glassland 2 0)))
g_energy=$(($(glassland 6 1) - $(glassland 2 1)))
python3 - "$l_forces" "$l_energy" "$g_forces" "$g_energy" "$replicas" <<'PY'
import sys
lf, le, gf, ge, r = (int(x) for x in sys.argv[1:])
lf, le = lf / 20, le / 20            # per LAMMPS step (30 - 10 steps)
gf, ge = gf / 4 / r, ge / 4 / r      # per replica evaluation (6 - 2 evaluations)
for name, l, g in (("forces only", lf, gf), ("forces+energy+virial", le, ge)):
    print(f"{name:22s} LAMMPS {l/1e6:8.2f} M/evaluation [{l:.0f}] ({l/4000:7.0f}/atom)   "
          f"glassland R={r}: {g/1e6:8.2f} M ({g/4000:7.0f}/atom)   ratio {g/l:.3f}")
PY
