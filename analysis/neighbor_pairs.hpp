// Every periodic pair of atoms closer than a cutoff, from a cell list over fractional
// coordinates (Allen & Tildesley, Computer Simulation of Liquids, 2nd ed., §5.3), for the
// structure analyses (radial distribution, coordination, surface layers). The cutoff may exceed
// half the box or the box itself: each image of j (and the images of i itself) within the cutoff
// is a pair of its own, as LAMMPS's ghost atoms make them for `compute rdf`.
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <vector>

#include "analysis/periodic_cell.hpp"

namespace glassland::analysis {

class CellList {
 public:
  // positions: N×3 (any image); they are wrapped into the cell here.
  CellList(const PeriodicCell& cell, const std::vector<double>& positions, double cutoff);

  // Calls visit(i, j, dx, dy, dz, r²) for every ordered pair (i, j-image), i ≠ j or a non-zero
  // image, with r < cutoff; (dx, dy, dz) = x_j(image) − x_i.
  template <class Visit>
  void for_each_pair(Visit&& visit) const {
    const double cutoff2 = cutoff_ * cutoff_;
    for (int cx = 0; cx < bins_[0]; ++cx)
      for (int cy = 0; cy < bins_[1]; ++cy)
        for (int cz = 0; cz < bins_[2]; ++cz) {
          const int home = index(cx, cy, cz);
          for (int ox = -reach_[0]; ox <= reach_[0]; ++ox)
            for (int oy = -reach_[1]; oy <= reach_[1]; ++oy)
              for (int oz = -reach_[2]; oz <= reach_[2]; ++oz) {
                int c[3] = {cx + ox, cy + oy, cz + oz};
                double image[3];
                for (int k = 0; k < 3; ++k) {
                  const int wrap = floor_div(c[k], bins_[k]);
                  c[k] -= wrap * bins_[k];
                  image[k] = wrap;
                }
                const std::array<double, 3> shift = cell_.to_cartesian(image);
                const bool zero_shift = image[0] == 0 && image[1] == 0 && image[2] == 0;
                const int other = index(c[0], c[1], c[2]);
                for (std::size_t a = start_[home]; a < start_[home + 1]; ++a) {
                  const std::size_t i = atoms_[a];
                  for (std::size_t b = start_[other]; b < start_[other + 1]; ++b) {
                    const std::size_t j = atoms_[b];
                    if (i == j && zero_shift)
                      continue;
                    const double dx = wrapped_[3 * j] + shift[0] - wrapped_[3 * i];
                    const double dy = wrapped_[3 * j + 1] + shift[1] - wrapped_[3 * i + 1];
                    const double dz = wrapped_[3 * j + 2] + shift[2] - wrapped_[3 * i + 2];
                    const double r2 = dx * dx + dy * dy + dz * dz;
                    if (r2 < cutoff2)
                      visit(i, j, dx, dy, dz, r2);
                  }
                }
              }
        }
  }

  // The positions wrapped into the cell (x − lo in [0, 1) fractional, as Cartesian offsets from
  // lo).
  const std::vector<double>& wrapped() const { return wrapped_; }

 private:
  static int floor_div(int a, int b) { return a >= 0 ? a / b : -((-a + b - 1) / b); }
  int index(int x, int y, int z) const { return (x * bins_[1] + y) * bins_[2] + z; }

  PeriodicCell cell_;
  double cutoff_;
  int bins_[3] = {1, 1, 1};
  int reach_[3] = {1, 1, 1};  // neighbour cells scanned on each side
  std::vector<double> wrapped_;
  std::vector<std::size_t> start_, atoms_;
};

}  // namespace glassland::analysis
