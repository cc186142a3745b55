#!/usr/bin/env bash
# Installs glassland's build and test dependencies from Debian's archive (Debian 12).
# Idempotent: packages already present are left alone. Run as root or with sudo.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config
  libtrilinos-kokkos-dev
  libhdf5-dev
  nlohmann-json3-dev
  libgtest-dev libgmock-dev
  libbenchmark-dev
  libcli11-dev
  libeigen3-dev
  libgsl-dev libboost-math-dev
  voro++-dev zlib1g-dev libsleef-dev
  libopenmpi-dev openmpi-bin
  lammps lammps-data
  python3 python3-h5py python3-numpy python3-matplotlib python3-mdanalysis
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  sudo_cmd=()
  [[ $(id -u) -ne 0 ]] && sudo_cmd=(sudo)
  echo "setup: installing ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "setup: all packages present"
fi
