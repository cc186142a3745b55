#!/usr/bin/env bash
# Configures and builds glassland in build/ (Release). Extra arguments go to CMake's configure
# step, e.g. scripts/build.sh -DKokkos_ROOT=/opt/kokkos-cuda for a GPU build.
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build "${generator[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
elif (($#)); then
  cmake -S . -B build "$@"
fi
cmake --build build --parallel "$(nproc)"
