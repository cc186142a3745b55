#!/usr/bin/env bash
# Installs what glassland needs, builds it with its tests, and runs the default test suite
# (everything but the CTest label "slow"; run those with: ctest --test-dir build -L slow).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
ctest --test-dir build --label-exclude slow --output-on-failure --parallel "$(nproc)" --timeout 900
