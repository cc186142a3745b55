#!/usr/bin/env bash
# libFuzzer targets of glassland's input readers (issue 16 item 8), built with Debian's clang 14
# with AddressSanitizer and UndefinedBehaviorSanitizer, and run from the seed corpora in fuzz/.
#
#   scripts/fuzz.sh [SECONDS]      build every target into build-fuzz/ and run each SECONDS
#                                  (default 600, the issue's 10 minutes); findings stop the run
#                                  and are left as build-fuzz/crash-* / leak-* / timeout-*
#   scripts/fuzz.sh --build-only
#
# Each target compiles the reader's own sources with coverage instrumentation (no Kokkos):
#   fuzz_lammps_data  host/io/lammps_data.cpp      LAMMPS data files
#   fuzz_setfl        host/io/setfl_potential.cpp  setfl EAM files (eam/fs and eam/alloy)
#   fuzz_table        analysis/table_reader.cpp    CSV tables of `glassland analyze`
#   fuzz_task_input   host/io/json_input.cpp       JSON parsing and the typed key readers
# Results and the commands that produced them: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=${CXX_FUZZ:-clang++-14}
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
                   [fuzz_task_input]=task_input)
TARGETS=(fuzz_lammps_data fuzz_setfl fuzz_table fuzz_task_input)

for t in "${TARGETS[@]}"; do
  # shellcheck disable=SC2086
  nice "$CXX" "${FLAGS[@]}" "fuzz/$t.cpp" ${SOURCES[$t]} -o "$OUT/$t"
done
[[ "${1:-}" == "--build-only" ]] && exit 0

SECONDS_EACH=${1:-600}
for t in "${TARGETS[@]}"; do
  work="$OUT/corpus_${CORPUS[$t]}"
  mkdir -p "$work"
  echo "== $t: ${SECONDS_EACH} s"
  # -rss_limit_mb and -timeout: a leak or a hang is a finding; new inputs go to $work, the
  # checked-in seeds stay as they are.
  (cd "$OUT" && nice "./$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
     -max_len=65536 -print_final_stats=1 "corpus_${CORPUS[$t]}" "../fuzz/corpus/${CORPUS[$t]}")
done
