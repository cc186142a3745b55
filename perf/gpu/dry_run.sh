#!/usr/bin/env bash
# CPU dry run of the GPU check kit (a CTest test, perf/gpu/README.md): every step of the device
# check at the small size, with the Serial build standing in for the CUDA build (so the
# comparisons with the references it made itself must be exact) and without compute-sanitizer.
# Usage: perf/gpu/dry_run.sh BUILD_DIR WORK_DIR
set -euo pipefail
source_dir=$(realpath "$(dirname "$0")/../..")
build=$(realpath "$1")
work=$(realpath -m "$2")
python=${PYTHON:-/usr/bin/python3}
[[ -x "$python" ]] || python=python3
rm -rf "$work"
mkdir -p "$work/kit/bin" "$work/kit/potentials"
for program in glassland perf/lanczos_probe tests/glassland_device_tests \
  perf/bench_eam_throughput perf/bench_art perf/bench_neb; do
  [[ -x "$build/$program" ]] && ln -s "$build/$program" "$work/kit/bin/"
done
"$python" "$source_dir/perf/gpu/kit.py" inputs --bin "$work/kit/bin" --kit "$work/kit" --size small
"$python" "$source_dir/perf/gpu/kit.py" reference --bin "$work/kit/bin" --kit "$work/kit"
"$python" "$source_dir/perf/gpu/kit.py" device --kit "$work/kit" --out "$work/out" \
  --work "$work/scratch" --no-sanitizer --budget 600
