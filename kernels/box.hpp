// Periodic triclinic simulation box in the LAMMPS convention (SPEC.md §1):
// edge vectors a = (lx, 0, 0), b = (xy, ly, 0), c = (xz, yz, lz), origin (xlo, ylo, zlo).
// The cell matrix H = [a b c] is upper triangular, x = lo + H·s for fractional s in [0, 1).
#pragma once

#include "kernels/kokkos_compat.hpp"

namespace glassland {

struct Box {
  double lo[3] = {0.0, 0.0, 0.0};
  // lx, ly, lz, xy, xz, yz.
  double lx = 0.0, ly = 0.0, lz = 0.0, xy = 0.0, xz = 0.0, yz = 0.0;

  KOKKOS_INLINE_FUNCTION double volume() const { return lx * ly * lz; }

  KOKKOS_INLINE_FUNCTION bool is_triclinic() const { return xy != 0.0 || xz != 0.0 || yz != 0.0; }

  // s = H⁻¹ d for a displacement d (no origin shift).
  KOKKOS_INLINE_FUNCTION void to_fractional(const double d[3], double s[3]) const {
    const double sz = d[2] / lz;
    const double sy = (d[1] - yz * sz) / ly;
    const double sx = (d[0] - xy * sy - xz * sz) / lx;
    s[0] = sx;
    s[1] = sy;
    s[2] = sz;
  }

  // d = H s.
  KOKKOS_INLINE_FUNCTION void to_cartesian(const double s[3], double d[3]) const {
    d[0] = lx * s[0] + xy * s[1] + xz * s[2];
    d[1] = ly * s[1] + yz * s[2];
    d[2] = lz * s[2];
  }

  // Adds the lattice vector H·n to d.
  KOKKOS_INLINE_FUNCTION void add_lattice_vector(int nx, int ny, int nz, double d[3]) const {
    d[0] += lx * nx + xy * ny + xz * nz;
    d[1] += ly * ny + yz * nz;
    d[2] += lz * nz;
  }

  // Replaces d by its shortest periodic image (valid when every perpendicular width exceeds
  // twice |d|, which the neighbour list guarantees for interacting pairs).
  KOKKOS_INLINE_FUNCTION void minimum_image(double d[3]) const {
    double s[3];
    to_fractional(d, s);
    add_lattice_vector(-static_cast<int>(kmath::nearbyint(s[0])),
                       -static_cast<int>(kmath::nearbyint(s[1])),
                       -static_cast<int>(kmath::nearbyint(s[2])), d);
  }

  // Distance between opposite faces along each fractional direction: V/|b×c|, V/|c×a|, V/|a×b|.
  KOKKOS_INLINE_FUNCTION void perpendicular_widths(double w[3]) const {
    const double v = volume();
    w[0] = v / kmath::sqrt(ly * ly * lz * lz + xy * xy * lz * lz +
                           (xy * yz - ly * xz) * (xy * yz - ly * xz));
    w[1] = v / (lx * kmath::sqrt(lz * lz + yz * yz));
    w[2] = lz;
  }
};

}  // namespace glassland
