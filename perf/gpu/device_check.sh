#!/usr/bin/env bash
# The GPU check kit's one command, run on the GPU machine from the repository root with the
# bundle built by perf/gpu/build_bundle.sh carried along (perf/gpu/README.md):
#   bash perf/gpu/device_check.sh [kit.py device options, e.g. --budget 300]
# Results in $OUT (the device tool's folder; /tmp/glassland_kit_out elsewhere): results.json,
# summary.md, kit.log, device_tests.json, sanitizer.log. Exit status 1 when a check failed.
set -uo pipefail
cd "$(dirname "$0")/../.."
out=${OUT:-/tmp/glassland_kit_out}
bundle=${BUNDLE:-perf/gpu/bundle}
if [[ -f "$bundle/programs.tar.xz" && ! -x "$bundle/bin/glassland" ]]; then
  python3 - "$bundle/programs.tar.xz" "$bundle" <<'PY'
import sys, tarfile
with tarfile.open(sys.argv[1]) as archive:
    try:
        archive.extractall(sys.argv[2], filter="data")
    except TypeError:  # Python without extraction filters
        archive.extractall(sys.argv[2])
PY
  # A Python built without lzma cannot read the archive: tar with xz can.
  [[ -x "$bundle/bin/glassland" ]] || tar -C "$bundle" -xJf "$bundle/programs.tar.xz"
fi
if [[ ! -x "$bundle/bin/glassland" ]]; then
  echo "device_check: no bundle in $bundle (perf/gpu/build_bundle.sh makes it; carry it)" >&2
  exit 2
fi
export PATH="$PATH:/usr/local/cuda/bin"  # compute-sanitizer
export PYTHONUNBUFFERED=1
nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.sm,clocks.max.sm --format=csv \
  2>/dev/null || true
python3 perf/gpu/kit.py device --kit "$bundle" --out "$out" "$@"
