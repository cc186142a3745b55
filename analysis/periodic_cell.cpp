#include "analysis/periodic_cell.hpp"

#include <cmath>
#include <stdexcept>
#include <string>

namespace glassland::analysis {

std::array<double, 3> PeriodicCell::perpendicular_widths() const {
  const double v = volume();
  return {v / std::sqrt(ly * ly * lz * lz + xy * xy * lz * lz +
                        (xy * yz - ly * xz) * (xy * yz - ly * xz)),
          v / (lx * std::sqrt(lz * lz + yz * yz)), lz};
}

void PeriodicCell::minimum_image(double d[3]) const {
  const std::array<double, 3> s = to_fractional(d);
  const double n[3] = {std::nearbyint(s[0]), std::nearbyint(s[1]), std::nearbyint(s[2])};
  d[0] -= lx * n[0] + xy * n[1] + xz * n[2];
  d[1] -= ly * n[1] + yz * n[2];
  d[2] -= lz * n[2];
}

PeriodicCell cell_from_edge_rows(const double rows[9], const std::array<double, 3>& origin) {
  // a = rows[0..2], b = rows[3..5], c = rows[6..8].
  if (rows[1] != 0.0 || rows[2] != 0.0 || rows[5] != 0.0)
    throw std::invalid_argument(
        "box edges are not in LAMMPS's form (a along x, b in the x-y plane): a = (" +
        std::to_string(rows[0]) + ", " + std::to_string(rows[1]) + ", " + std::to_string(rows[2]) +
        "), b = (" + std::to_string(rows[3]) + ", " + std::to_string(rows[4]) + ", " +
        std::to_string(rows[5]) + ")");
  if (!(rows[0] > 0.0 && rows[4] > 0.0 && rows[8] > 0.0))
    throw std::invalid_argument("box edges must have positive lx, ly, lz (got " +
                                std::to_string(rows[0]) + ", " + std::to_string(rows[4]) + ", " +
                                std::to_string(rows[8]) + ")");
  PeriodicCell cell;
  cell.lo = origin;
  cell.lx = rows[0];
  cell.xy = rows[3];
  cell.ly = rows[4];
  cell.xz = rows[6];
  cell.yz = rows[7];
  cell.lz = rows[8];
  return cell;
}

}  // namespace glassland::analysis
