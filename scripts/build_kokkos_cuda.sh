#!/usr/bin/env bash
# Configures, builds and installs a CUDA Kokkos from a Kokkos source tree you provide, the way
# docs/building-cuda.md recommends: CMake CUDA-language mode, CUDA + Serial backends, one GPU
# architecture, static libraries, C++17. With nvcc 13 and a Kokkos older than CUDA 13 support
# (4.6, develop before August 2025) it force-includes cmake/cuda13_compat.hpp, which supplies the
# pre-CUDA-13 signatures of cudaGraphAddDependencies, cudaMemPrefetchAsync and cudaMemAdvise
# (section 3 of that page). No GPU is needed to build.
#
# Usage: scripts/build_kokkos_cuda.sh KOKKOS_SOURCE_DIR INSTALL_PREFIX [extra CMake arguments]
# Environment:
#   KOKKOS_ARCH   Kokkos GPU architecture option suffix (default HOPPER90, e.g. AMPERE80)
#   KOKKOS_BUILD  build directory (default INSTALL_PREFIX/../build)
#   JOBS          parallel compile jobs (default 2)
#   NVCC          the nvcc to use (default: nvcc on PATH, else /usr/local/cuda/bin/nvcc)
#   CXX_STANDARD  C++ standard for Kokkos and glassland (default 17)
# Example (what docs/building-cuda.md records):
#   nice scripts/build_kokkos_cuda.sh /work/kokkos-src /work/kokkos-cuda/install
set -euo pipefail

if (($# < 2)); then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
source_dir=$(realpath "$1")
prefix=$(realpath -m "$2")
shift 2
repo=$(realpath "$(dirname "$0")/..")
arch=${KOKKOS_ARCH:-HOPPER90}
build_dir=$(realpath -m "${KOKKOS_BUILD:-$prefix/../build}")
jobs=${JOBS:-2}
standard=${CXX_STANDARD:-17}
nvcc=${NVCC:-$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)}

if [[ ! -f "$source_dir/CMakeLists.txt" || ! -d "$source_dir/core/src" ]]; then
  echo "build_kokkos_cuda: $source_dir is not a Kokkos source tree (no core/src)" >&2
  exit 2
fi
if [[ ! -x "$nvcc" ]]; then
  echo "build_kokkos_cuda: nvcc not found; set NVCC=/path/to/nvcc or put it on PATH" >&2
  exit 2
fi

cuda_flags=()
nvcc_major=$("$nvcc" --version | sed -n 's/.*release \([0-9]*\)\..*/\1/p')
if ((nvcc_major >= 13)); then
  # Harmless with a Kokkos that already supports CUDA 13: the overloads are then unused.
  cuda_flags=(-DCMAKE_CUDA_FLAGS="-include $repo/cmake/cuda13_compat.hpp")
fi
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
                                          -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)

echo "build_kokkos_cuda: Kokkos $source_dir -> $prefix" \
  "(arch $arch, nvcc $nvcc_major, build $build_dir)"
cmake -S "$source_dir" -B "$build_dir" "${generator[@]}" "${launcher[@]}" \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_CXX_STANDARD="$standard" \
  -DCMAKE_CXX_EXTENSIONS=OFF \
  -DCMAKE_CUDA_COMPILER="$nvcc" \
  -DBUILD_SHARED_LIBS=OFF \
  -DKokkos_ENABLE_COMPILE_AS_CMAKE_LANGUAGE=ON \
  -DKokkos_ENABLE_CUDA=ON \
  -DKokkos_ENABLE_SERIAL=ON \
  -DKokkos_ARCH_"$arch"=ON \
  -DKokkos_ENABLE_TESTS=OFF \
  -DKokkos_ENABLE_EXAMPLES=OFF \
  -DKokkos_ENABLE_BENCHMARKS=OFF \
  "${cuda_flags[@]}" "$@"
cmake --build "$build_dir" --parallel "$jobs"
cmake --install "$build_dir"
echo "build_kokkos_cuda: installed; configure glassland with -DKokkos_ROOT=$prefix"
