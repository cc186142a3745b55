#!/usr/bin/env bash
# Builds the GPU check kit's bundle (perf/gpu/README.md) on the development machine, which needs
# nvcc but no GPU: CUDA builds of glassland, the device test runner, the Lanczos probe and the
# benchmarks, statically linked where possible (HDF5, libstdc++, libgcc, the CUDA runtime), the
# benchmarks' shared libraries, the potential, the inputs, and reference results made by the
# Serial (CPU) build. The bundle must stay under the device tool's 64 MiB, the repository's
# working tree included; the script says how much it holds.
#
# Usage: perf/gpu/build_bundle.sh KOKKOS_CUDA_PREFIX [KOKKOS_SOURCE_DIR]
#   KOKKOS_CUDA_PREFIX  an installed CUDA Kokkos (scripts/build_kokkos_cuda.sh); when it has no
#                       lib/cmake/Kokkos yet and KOKKOS_SOURCE_DIR is given, Kokkos is built
#                       there first (a long build: about an hour on 2 cores).
# Environment: BUNDLE (perf/gpu/bundle), CUDA_BUILD (build-cuda), CPU_BUILD (build), JOBS (2),
#   SIZE (full; small for a quick look), KOKKOS_ARCH (HOPPER90, for a Kokkos built here),
#   PYTHON (/usr/bin/python3: needs h5py).
set -euo pipefail
cd "$(dirname "$0")/../.."
if (($# < 1)); then
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
kokkos_prefix=$(realpath -m "$1")
kokkos_source=${2:-}
bundle=$(realpath -m "${BUNDLE:-perf/gpu/bundle}")
cuda_build=${CUDA_BUILD:-build-cuda}
cpu_build=${CPU_BUILD:-build}
jobs=${JOBS:-2}
size=${SIZE:-full}
python=${PYTHON:-/usr/bin/python3}
programs=(glassland lanczos_probe glassland_device_tests bench_eam_throughput bench_art bench_neb)

if [[ ! -d "$kokkos_prefix/lib/cmake/Kokkos" ]]; then
  if [[ -z "$kokkos_source" ]]; then
    echo "build_bundle: no CUDA Kokkos in $kokkos_prefix; give a Kokkos source tree to build it" >&2
    exit 2
  fi
  JOBS=$jobs nice bash scripts/build_kokkos_cuda.sh "$kokkos_source" "$kokkos_prefix"
fi

echo "build_bundle: CPU (Serial) build in $cpu_build, for the inputs and references"
[[ -f "$cpu_build/CMakeCache.txt" ]] || bash scripts/build.sh
nice cmake --build "$cpu_build" --parallel "$jobs" --target "${programs[@]}"

echo "build_bundle: CUDA build in $cuda_build against $kokkos_prefix"
launchers=()
command -v ccache >/dev/null && launchers=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache
                                           -DCMAKE_CUDA_COMPILER_LAUNCHER=ccache)
generator=()
[[ -f "$cuda_build/CMakeCache.txt" ]] || { command -v ninja >/dev/null && generator=(-G Ninja); }
cmake -S . -B "$cuda_build" "${generator[@]}" "${launchers[@]}" -DCMAKE_BUILD_TYPE=Release \
  -DKokkos_ROOT="$kokkos_prefix" -DGLASSLAND_STATIC_HDF5=ON -DGLASSLAND_STATIC_RUNTIME=ON
nice cmake --build "$cuda_build" --parallel "$jobs" --target "${programs[@]}"

echo "build_bundle: assembling $bundle"
rm -rf "$bundle"
mkdir -p "$bundle/bin" "$bundle/lib" "$bundle/cpu"
locate() { find "$1" -name "$2" -type f -perm -u+x -not -path "*/CMakeFiles/*" | head -1; }
for program in "${programs[@]}"; do
  cp "$(locate "$cuda_build" "$program")" "$bundle/bin/$program"
  ln -sf "$(realpath "$(locate "$cpu_build" "$program")")" "$bundle/cpu/$program"
done
strip --strip-unneeded "$bundle"/bin/*
# Libraries the GPU machine may lack: everything the programs load except glibc's own and the
# CUDA driver (which comes with the GPU). In practice Google Benchmark and the C++ runtime it
# needs (Debian ships no static libbenchmark), GSL, voro++, SLEEF (no static archive) and zlib.
for program in "$bundle"/bin/*; do
  ldd "$program" | awk '/=> \// {print $3}'
done | sort -u | while read -r library; do
  case "$(basename "$library")" in
    libc.so* | libm.so* | libdl.so* | librt.so* | libpthread.so* | ld-linux*.so* | libcuda.so*) ;;
    # The C++ runtime only as a fallback (kit.py uses it where the machine has no libstdc++).
    libstdc++.so* | libgcc_s.so*) mkdir -p "$bundle/lib/runtime" && cp -L "$library" "$bundle/lib/runtime/" ;;
    *) cp -L "$library" "$bundle/lib/" ;;
  esac
done
# The Serial build writes the inputs and the references; the bundle keeps them, not the programs.
"$python" perf/gpu/kit.py inputs --bin "$bundle/cpu" --kit "$bundle" --size "$size"
"$python" perf/gpu/kit.py reference --bin "$bundle/cpu" --kit "$bundle"
rm -rf "$bundle/cpu"

# The programs travel as one xz archive (about a quarter of their size: CUDA executables hold
# much repetitive host and device code); device_check.sh unpacks it with Python's tarfile.
du -b "$bundle"/bin/* "$bundle"/lib/* | sort -rn | awk '{printf "  %8d KiB  %s\n", $1/1024, $2}'
tar -C "$bundle" -cf - bin lib | xz -9 -T2 >"$bundle/programs.tar.xz"
rm -rf "$bundle/bin" "$bundle/lib"
bundle_bytes=$(du -sb "$bundle" | cut -f1)
tree_bytes=$(git ls-files -z --cached --others --exclude-standard | du -cb --files0-from=- |
  tail -1 | cut -f1)
echo "build_bundle: bundle $((bundle_bytes / 1024)) KiB, working tree $((tree_bytes / 1024)) KiB," \
  "together $(((bundle_bytes + tree_bytes) / 1024)) KiB of the device tool's 65536 KiB"
du -sb "$bundle"/* | sort -rn | awk '{printf "  %8d KiB  %s\n", $1/1024, $2}'
if ((bundle_bytes + tree_bytes > 64 * 1024 * 1024)); then
  echo "build_bundle: too large for the device tool (64 MiB with the working tree)" >&2
  exit 1
fi
echo "build_bundle: done; on the GPU machine: bash perf/gpu/device_check.sh (perf/gpu/README.md)"
