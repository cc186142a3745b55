#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what glassland needs, builds it, and runs
# the quickstart on the default potential (Mendelev Cu–Zr, from Debian's lammps-data).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/build.sh
mkdir -p out/quickstart
# A small Cu50Zr50 structure: 2000 atoms on a B2 lattice with species assigned at random.
build/glassland build --lattice b2 --lattice-constant 3.26 --cells 10 10 10 \
  --composition Cu:0.5,Zr:0.5 --seed 1 -o out/quickstart/cu50zr50_b2.data
build/glassland eval --structure out/quickstart/cu50zr50_b2.data --elements Cu Zr
