#!/usr/bin/env bash
# The default test suite under AddressSanitizer + UndefinedBehaviorSanitizer (issue 16 item 8):
# configures build-asan/ (GCC, -fsanitize=address,undefined, -O1 with line tables (-g1) and frame
# pointers: about half the compile time of -O2 -g on the Kokkos-heavy sources, and reports still
# name file and line), builds everything and runs ctest -LE "slow|plot" there (plot: Python,
# nothing to sanitize).
#
#   scripts/sanitize.sh [CTEST ARGS...]   e.g. scripts/sanitize.sh -R EvalCommand
#
# BUILD_TARGETS (default: everything) builds only the named targets first, e.g. the analysis/
# tests, which need neither Kokkos nor the program:
#   BUILD_TARGETS="$(cd tests/analysis && ls test_*.cpp | sed 's/.cpp//')" scripts/sanitize.sh -L analysis
# JOBS (default 2) is the build's and ctest's parallelism.
#
# Any sanitizer report fails the test that triggered it (halt_on_error, and UBSan does not
# recover). Leak checking is on. Results and the command: docs/fuzzing.md.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS=${JOBS:-2}
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="-fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=undefined" \
  -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=address,undefined"
# shellcheck disable=SC2086
nice cmake --build build-asan --parallel "$JOBS" ${BUILD_TARGETS:+--target $BUILD_TARGETS}
# The MPI sweep tests start `glassland sweep` under mpirun: Open MPI's own leaks are suppressed
# (scripts/lsan_suppressions.txt says which and why), with the modules it loads kept mapped
# (scripts/keep_modules_loaded.c, preloaded; ASan then must not insist on coming first) so that
# their frames have names a suppression can match.
cc -shared -fPIC -O1 -o build-asan/libkeep_modules_loaded.so scripts/keep_modules_loaded.c
export LD_PRELOAD=$PWD/build-asan/libkeep_modules_loaded.so
export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:detect_leaks=1:strict_string_checks=1:verify_asan_link_order=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$PWD/scripts/lsan_suppressions.txt:print_suppressions=0}
ctest --test-dir build-asan -LE "slow|plot" -j"$JOBS" --timeout 3600 --output-on-failure "$@"
