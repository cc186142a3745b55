#include "analysis/neighbor_pairs.hpp"

#include <algorithm>
#include <stdexcept>

namespace glassland::analysis {

CellList::CellList(const PeriodicCell& cell, const std::vector<double>& positions, double cutoff)
    : cell_(cell), cutoff_(cutoff) {
  if (!(cutoff > 0.0))
    throw std::invalid_argument("neighbour pairs: the cutoff must be positive");
  const std::size_t n = positions.size() / 3;
  const std::array<double, 3> widths = cell.perpendicular_widths();
  for (int k = 0; k < 3; ++k) {
    // Cells at least `cutoff` thick, at most ~N^(1/3) per side; pairs in cells `reach` apart
    // cover every distance below the cutoff.
    bins_[k] = std::max(1, std::min(static_cast<int>(widths[k] / cutoff), 64));
    reach_[k] = static_cast<int>(std::ceil(cutoff / (widths[k] / bins_[k]) - 1e-12));
  }
  wrapped_.resize(3 * n);
  std::vector<int> home(n);
  const int n_cells = bins_[0] * bins_[1] * bins_[2];
  std::vector<std::size_t> counts(n_cells + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double d[3] = {positions[3 * i] - cell.lo[0], positions[3 * i + 1] - cell.lo[1],
                         positions[3 * i + 2] - cell.lo[2]};
    std::array<double, 3> s = cell.to_fractional(d);
    int c[3];
    for (int k = 0; k < 3; ++k) {
      s[k] -= std::floor(s[k]);
      if (s[k] >= 1.0)  // −1e-17 wraps to 1.0 in floating point
        s[k] = 0.0;
      c[k] = std::min(static_cast<int>(s[k] * bins_[k]), bins_[k] - 1);
    }
    const std::array<double, 3> x = cell.to_cartesian(s.data());
    for (int k = 0; k < 3; ++k)
      wrapped_[3 * i + k] = x[k];
    home[i] = index(c[0], c[1], c[2]);
    ++counts[home[i] + 1];
  }
  for (int c = 0; c < n_cells; ++c)
    counts[c + 1] += counts[c];
  start_ = counts;
  atoms_.resize(n);
  std::vector<std::size_t> next(counts.begin(), counts.end() - 1);
  for (std::size_t i = 0; i < n; ++i)
    atoms_[next[home[i]]++] = i;
}

}  // namespace glassland::analysis
