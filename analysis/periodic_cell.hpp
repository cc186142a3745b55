// A periodic simulation cell in the LAMMPS convention (SPEC.md §1; LAMMPS Howto triclinic):
// edge vectors a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz), origin lo, x = lo + H·s for
// fractional s in [0, 1). The structure and trajectory analyses (analysis/) use this plain host
// type; kernels/box.hpp is the device twin of the same convention.
#pragma once

#include <array>
#include <cstddef>

namespace glassland::analysis {

struct PeriodicCell {
  std::array<double, 3> lo{0.0, 0.0, 0.0};
  double lx = 0.0, ly = 0.0, lz = 0.0, xy = 0.0, xz = 0.0, yz = 0.0;

  double volume() const { return lx * ly * lz; }
  bool is_triclinic() const { return xy != 0.0 || xz != 0.0 || yz != 0.0; }

  // s = H⁻¹ d for a displacement d.
  std::array<double, 3> to_fractional(const double d[3]) const {
    const double sz = d[2] / lz;
    const double sy = (d[1] - yz * sz) / ly;
    return {(d[0] - xy * sy - xz * sz) / lx, sy, sz};
  }
  // d = H s.
  std::array<double, 3> to_cartesian(const double s[3]) const {
    return {lx * s[0] + xy * s[1] + xz * s[2], ly * s[1] + yz * s[2], lz * s[2]};
  }
  // Edge vector k (0: a, 1: b, 2: c).
  std::array<double, 3> edge(int k) const {
    if (k == 0)
      return {lx, 0.0, 0.0};
    if (k == 1)
      return {xy, ly, 0.0};
    return {xz, yz, lz};
  }
  // Distances between opposite faces: V/|b×c|, V/|c×a|, V/|a×b|.
  std::array<double, 3> perpendicular_widths() const;
  // Replaces d by its shortest periodic image when every perpendicular width exceeds 2|d|
  // (nearest fractional image, as LAMMPS's minimum_image).
  void minimum_image(double d[3]) const;
};

// A cell from the nine numbers of three edge vectors (rows a, b, c) as H5MD stores them; throws
// std::invalid_argument when they are not in LAMMPS's upper-triangular form (a along x, b in the
// x–y plane) or not right-handed.
PeriodicCell cell_from_edge_rows(const double rows[9], const std::array<double, 3>& origin);

}  // namespace glassland::analysis
