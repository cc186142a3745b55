#!/usr/bin/env bash
# Configures and builds glassland in build/ (Release). Extra arguments go to CMake's configure
# step, e.g. scripts/build.sh -DKokkos_ROOT=/opt/kokkos-cuda for a GPU build.
set -euo pipefail
cd "$(dirname "$0")/.."
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
launcher=()  # ccache, where installed, makes rebuilds in other checkouts of the tree cheap
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
if [[ ! -f build/CMakeCache.txt ]]; then
  cmake -S . -B build "${generator[@]}" "${launcher[@]}" -DCMAKE_BUILD_TYPE=Release "$@"
elif (($#)); then
  cmake -S . -B build "$@"
fi
cmake --build build --parallel "$(nproc)"
