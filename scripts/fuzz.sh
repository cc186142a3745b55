#!/usr/bin/env bash
# libFuzzer targets of glassland's input readers (issue 16 item 8), built with Debian's clang 14
# with AddressSanitizer and UndefinedBehaviorSanitizer, and run from the seed corpora in fuzz/.
#
#   scripts/fuzz.sh [SECONDS [TARGET...]]   build the targets and run each SECONDS (default 600,
#                                           the issue's 10 minutes; default targets: all five);
#                                           findings stop the run and are left as
#                                           build-fuzz/crash-* / leak-* / timeout-* / oom-*
#   scripts/fuzz.sh --build-only
#
# Four targets compile the reader's own sources with coverage instrumentation (no Kokkos):
#   fuzz_lammps_data  host/io/lammps_data.cpp      LAMMPS data files
#   fuzz_setfl        host/io/setfl_potential.cpp  setfl EAM files (eam/fs and eam/alloy)
#   fuzz_table        analysis/table_reader.cpp    CSV tables of `glassland analyze`
#   fuzz_task_input   host/io/json_input.cpp       JSON parsing and the typed key readers
# The fifth links the program's own libraries from the CMake build in $BUILD_DIR (default build/,
# configured by scripts/build.sh; tests/CMakeLists.txt builds it when clang is installed):
#   fuzz_task_run     every task's input reader, as `run --check` and `sweep --check` run them
# Results and the commands that produced them: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=${CXX_FUZZ:-clang++-14}
BUILD_DIR=${BUILD_DIR:-build}
OUT=build-fuzz
mkdir -p "$OUT"
FLAGS=(-std=c++17 -g -O1 -I. -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined)

declare -A SOURCES=(
  [fuzz_lammps_data]="host/io/lammps_data.cpp host/io/whole_file.cpp host/io/atomic_file.cpp"
  [fuzz_setfl]="host/io/setfl_potential.cpp host/io/whole_file.cpp"
  [fuzz_table]="analysis/table_reader.cpp"
  [fuzz_task_input]="host/io/json_input.cpp host/io/whole_file.cpp"
)
declare -A CORPUS=([fuzz_lammps_data]=lammps_data [fuzz_setfl]=setfl [fuzz_table]=table
                   [fuzz_task_input]=task_input [fuzz_task_run]=task_run)
ALL=(fuzz_lammps_data fuzz_setfl fuzz_table fuzz_task_input fuzz_task_run)

SECONDS_EACH=600
BUILD_ONLY=0
if [[ "${1:-}" == "--build-only" ]]; then
  BUILD_ONLY=1
elif [[ $# -gt 0 ]]; then
  SECONDS_EACH=$1
  shift
fi
TARGETS=("${ALL[@]}")
[[ $# -gt 0 ]] && TARGETS=("$@")

for t in "${TARGETS[@]}"; do
  if [[ $t == fuzz_task_run ]]; then
    nice cmake --build "$BUILD_DIR" --target fuzz_task_run
    cp "$BUILD_DIR/tests/fuzz_task_run" "$OUT/fuzz_task_run"
  else
    # shellcheck disable=SC2086
    nice "$CXX" "${FLAGS[@]}" "fuzz/$t.cpp" ${SOURCES[$t]} -o "$OUT/$t"
  fi
done
[[ $BUILD_ONLY == 1 ]] && exit 0

for t in "${TARGETS[@]}"; do
  work="$OUT/corpus_${CORPUS[$t]}"
  mkdir -p "$work"
  echo "== $t: ${SECONDS_EACH} s"
  # -rss_limit_mb and -timeout: a leak or a hang is a finding; new inputs go to $work, the
  # checked-in seeds stay as they are.
  (cd "$OUT" && nice "./$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
     -max_len=65536 -print_final_stats=1 "corpus_${CORPUS[$t]}" "../fuzz/corpus/${CORPUS[$t]}")
done
