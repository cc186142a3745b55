#!/usr/bin/env bash
# Tracer-steps per second of `task: metad` for 1, 20 and 100 tracers (one replica each) on a
# 4000-atom Cu50Zr50 glass, and the overhead of the CVs and the bias over plain MD of the same
# batch (`task: md`, same replicas, steps, time step, Nosé–Hoover NVT, thermo stride). One CPU
# thread (the Serial build). Two times per run: the wall time of the step loop from the task's
# closing progress line ("metad: done, N steps in T s"; reading the structure, neighbour lists and
# the final analysis left out), and the CPU time (user + system) of the whole process from
# /usr/bin/time, which depends much less on other processes sharing the cores (it includes the
# set-up and the final analysis, a few % here). The fastest of RUNS runs of each.
#
# The glass: a random packing of 4000 atoms (0.0585 Å⁻³, 2.1 Å minimum separation, Cu50Zr50,
# `glassland build --lattice random`) minimised with `task: minimize` (FIRE), i.e. an infinitely
# fast quench to an inherent structure: amorphous, which is all a throughput measurement needs.
#
# The metad runs use hop_distance CVs of tracers drawn from any species, pace 10 (so the hill
# deposition, the online event check and the kept configurations are inside the timed loop; the
# paper's pace 1000 would leave them out), thermo (= CV sampling) stride 10, 300 K, T + ΔT 3000 K.
#
# Steps: STEPS for 100 tracers, STEPS·100/n for n tracers (the same atom-steps, ~8e6 for STEPS =
# 20, so each loop lasts long enough for the 0.1 s resolution of the progress line).
#
# Usage: perf/metad_throughput.sh [BUILD_DIR] [STEPS] [RUNS]   (defaults: build 20 1)
#
# With CALLGRIND=N in the environment, the script instead counts instructions (valgrind
# callgrind, independent of the machine's load) of md and metad with N tracers at STEPS and
# 3·STEPS steps and reports the instructions per step of each (the difference, so that set-up
# and output cancel) and the overhead of metad over md. E.g. CALLGRIND=1 perf/metad_throughput.sh
# build 20 (about 3 minutes).
set -euo pipefail
build=${1:-build}
steps=${2:-20}
runs=${3:-1}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
potential=${GLASSLAND_POTENTIAL_DIR:-/usr/share/lammps/potentials}/CuZr_mm.eam.fs
"$build/glassland" build --lattice random --atoms 4000 --density 0.0585 --min-separation 2.1 \
  --seed 1 -o "$work/random.data" >/dev/null
cat >"$work/quench.json" <<JSON
{"task": "minimize", "system": {"structure": "random.data", "potential": "$potential"},
 "minimize": {"method": "fire", "ftol": 1e-2, "max_iterations": 3000},
 "output": {"directory": "$work/quench", "quiet": true}}
JSON
"$build/glassland" run "$work/quench.json" 2>/dev/null || true  # unconverged is fine for timing
test -f "$work/quench/is_0000.data"

if [ -n "${CALLGRIND:-}" ]; then
  n=$CALLGRIND
  declare -A count
  for task in md metad; do
    for s in "$steps" $((3 * steps)); do
      if [ "$task" = md ]; then
        section='"md": {"steps": '$s', "ensemble": "nvt", "temperature": 300, "timestep": 0.002,
          "thermostat": {"tau": 0.1}}'
      else
        section='"metad": {"temperature": 300, "steps": '$s', "timestep": 0.002,
          "thermostat": {"tau": 0.1}, "tracers": {"count": '$n', "seed": 1}, "pace": 10,
          "bias_temperature": 3000}'
      fi
      cat >"$work/cg.json" <<JSON
{"task": "$task", "system": {"structure": "$work/quench/is_0000.data", "replicas": $n,
  "potential": "$potential"}, $section,
 "output": {"directory": "$work/cg_${task}_$s", "thermo_stride": 10, "quiet": true}}
JSON
      valgrind --tool=callgrind --callgrind-out-file=/dev/null "$build/glassland" run \
        "$work/cg.json" 2>"$work/cg.log"
      count[$task$s]=$(grep -o 'Collected : [0-9]*' "$work/cg.log" | awk '{print $3}')
    done
  done
  python3 - "$n" "$steps" "${count[md$steps]}" "${count[md$((3 * steps))]}" \
    "${count[metad$steps]}" "${count[metad$((3 * steps))]}" <<'PY'
import sys
n, steps = int(sys.argv[1]), int(sys.argv[2])
md1, md3, me1, me3 = map(int, sys.argv[3:7])
md, me = (md3 - md1) / (2 * steps), (me3 - me1) / (2 * steps)
print(f"{n} tracers: md {md/1e6:.2f} M instructions/step, metad {me/1e6:.2f} M/step, "
      f"overhead {100*(me/md-1):+.2f} % ({(me-md)/n/1e3:.0f} k instructions per tracer-step)")
PY
  exit 0
fi

best() { python3 -c "import sys; print(min(float(x) for x in sys.argv[1:]))" "$@"; }
printf "%8s %6s | %10s %10s %8s | %10s %10s %8s | %17s %17s\n" tracers steps "md wall s" \
  "metad wall" overhead "md CPU s" "metad CPU" overhead "md tracer-st/s" "metad tracer-st/s"
for n in 1 20 100; do
  s=$((steps * 100 / n))
  cat >"$work/md_$n.json" <<JSON
{"task": "md", "system": {"structure": "$work/quench/is_0000.data", "replicas": $n,
  "potential": "$potential"},
 "md": {"steps": $s, "ensemble": "nvt", "temperature": 300, "timestep": 0.002,
  "thermostat": {"tau": 0.1}},
 "output": {"directory": "$work/md_out_$n", "thermo_stride": 10, "progress_interval": 1e6}}
JSON
  cat >"$work/metad_$n.json" <<JSON
{"task": "metad", "system": {"structure": "$work/quench/is_0000.data", "replicas": $n,
  "potential": "$potential"},
 "metad": {"temperature": 300, "steps": $s, "timestep": 0.002, "thermostat": {"tau": 0.1},
  "tracers": {"count": $n, "seed": 1}, "pace": 10, "bias_temperature": 3000},
 "output": {"directory": "$work/metad_out_$n", "thermo_stride": 10, "progress_interval": 1e6}}
JSON
  md=() metad=() md_cpu=() metad_cpu=()
  for run in $(seq "$runs"); do
    /usr/bin/time -f "cpu %U %S" -o "$work/md.time" "$build/glassland" run "$work/md_$n.json" \
      2>"$work/md.err"
    md+=("$(awk '/^md: done/ {print $6}' "$work/md.err")")
    md_cpu+=("$(awk '/^cpu/ {print $2 + $3}' "$work/md.time")")
    /usr/bin/time -f "cpu %U %S" -o "$work/metad.time" "$build/glassland" run \
      "$work/metad_$n.json" 2>"$work/metad.err"
    metad+=("$(awk '/^metad: done/ {print $6}' "$work/metad.err")")
    metad_cpu+=("$(awk '/^cpu/ {print $2 + $3}' "$work/metad.time")")
  done
  python3 - "$n" "$s" "$(best "${md[@]}")" "$(best "${metad[@]}")" "$(best "${md_cpu[@]}")" \
    "$(best "${metad_cpu[@]}")" <<'PY'
import sys
n, steps = int(sys.argv[1]), int(sys.argv[2])
md, metad, md_cpu, metad_cpu = map(float, sys.argv[3:7])
print(f"{n:8d} {steps:6d} | {md:10.1f} {metad:10.1f} {100*(metad/md-1):7.1f}% | "
      f"{md_cpu:10.1f} {metad_cpu:10.1f} {100*(metad_cpu/md_cpu-1):7.1f}% | "
      f"{n*steps/md_cpu:17.1f} {n*steps/metad_cpu:17.1f}")
PY
done
echo "tracer-steps/s from the CPU times (whole process); wall: step loop only"
