#include "analysis/mean_squared_displacement.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <stdexcept>
#include <string>

#include "analysis/vector_sinc.hpp"

namespace glassland::analysis {

double isotropic_scattering(double q, double r, int dimensions) {
  const double x = q * r;
  if (dimensions == 2)
    return std::cyl_bessel_j(0.0, x);
  // sin x / x; below 1e-4 the series 1 − x²/6 + x⁴/120 is exact to double precision.
  if (x < 1e-4) {
    const double x2 = x * x;
    return 1.0 - x2 / 6.0 + x2 * x2 / 120.0;
  }
  return std::sin(x) / x;
}

void DisplacementSums::resize_lags(std::size_t lags) {
  count.resize(lags * n_groups, 0.0);
  r2.resize(lags * n_groups, 0.0);
  r4.resize(lags * n_groups, 0.0);
  fs.resize(lags * n_q * n_groups, 0.0);
}

std::vector<int> species_subset_groups(const std::vector<int>& species, std::size_t subsets) {
  std::vector<int> groups(species.size());
  for (std::size_t i = 0; i < species.size(); ++i)
    groups[i] = static_cast<int>(static_cast<std::size_t>(species[i]) * subsets + i % subsets);
  return groups;
}

DisplacementCorrelator::DisplacementCorrelator(const DisplacementSettings& settings,
                                               std::vector<int> group_of_atom, std::size_t n_groups,
                                               std::vector<double> masses)
    : settings_(settings), n_atoms_(group_of_atom.size()), masses_(std::move(masses)) {
  if (settings_.dimensions != 2 && settings_.dimensions != 3)
    throw std::invalid_argument("displacements: dimensions must be 2 or 3");
  if (settings_.origin_stride == 0)
    throw std::invalid_argument("displacements: the origin stride must be at least 1");
  if (masses_.size() != n_atoms_)
    throw std::invalid_argument("displacements: one mass per atom expected");
  if (!(settings_.van_hove_bin > 0.0) || !(settings_.van_hove_max > settings_.van_hove_bin))
    throw std::invalid_argument("displacements: van Hove bin and range must be positive");
  for (double q : settings_.q)
    if (!(q > 0.0))
      throw std::invalid_argument("displacements: wave numbers q must be positive");
  // Atoms sorted by group, so that the inner loops accumulate into one group at a time.
  group_begin_.assign(n_groups + 1, 0);
  for (int g : group_of_atom) {
    if (g < 0 || static_cast<std::size_t>(g) >= n_groups)
      throw std::invalid_argument("displacements: group index out of range");
    ++group_begin_[g + 1];
  }
  std::partial_sum(group_begin_.begin(), group_begin_.end(), group_begin_.begin());
  order_.resize(n_atoms_);
  std::vector<std::size_t> next(group_begin_.begin(), group_begin_.end() - 1);
  for (std::size_t i = 0; i < n_atoms_; ++i)
    order_[next[group_of_atom[i]]++] = i;
  sums_.n_groups = n_groups;
  sums_.n_q = settings_.q.size();
  const std::size_t bins =
      static_cast<std::size_t>(std::ceil(settings_.van_hove_max / settings_.van_hove_bin));
  sums_.van_hove.assign(settings_.van_hove_lags.size(), std::vector<double>(n_groups * bins, 0.0));
  sums_.van_hove_beyond.assign(settings_.van_hove_lags.size(), std::vector<double>(n_groups, 0.0));
}

void DisplacementCorrelator::add_frame(const std::vector<double>& positions,
                                       const std::vector<unsigned char>* selected) {
  if (positions.size() != 3 * n_atoms_)
    throw std::invalid_argument("displacements: frame " + std::to_string(frames_) + " has " +
                                std::to_string(positions.size() / 3) + " atoms, expected " +
                                std::to_string(n_atoms_));
  if (selected && selected->size() != n_atoms_)
    throw std::invalid_argument("displacements: one selection flag per atom expected");
  double centre[3] = {0.0, 0.0, 0.0};
  if (settings_.remove_drift) {
    double mass = 0.0;
    for (std::size_t i = 0; i < n_atoms_; ++i) {
      mass += masses_[i];
      for (int k = 0; k < 3; ++k)
        centre[k] += masses_[i] * positions[3 * i + k];
    }
    for (double& c : centre)
      c /= mass;
  }
  Origin now;
  now.frame = frames_;
  now.positions.resize(3 * n_atoms_);
  for (std::size_t k = 0; k < n_atoms_; ++k)
    for (int d = 0; d < 3; ++d)
      now.positions[3 * k + d] = positions[3 * order_[k] + d] - centre[d];
  if (selected) {
    now.selected.resize(n_atoms_);
    for (std::size_t k = 0; k < n_atoms_; ++k)
      now.selected[k] = (*selected)[order_[k]];
  }
  // Origins beyond the longest lag are no longer needed.
  while (settings_.max_lag > 0 && !origins_.empty() &&
         frames_ - origins_.front().frame > settings_.max_lag)
    origins_.pop_front();
  const bool is_origin = frames_ % settings_.origin_stride == 0;
  for (const Origin& origin : origins_)
    accumulate(origin, now, frames_ - origin.frame);
  if (is_origin) {
    accumulate(now, now, 0);
    origins_.push_back(std::move(now));
  }
  ++frames_;
}

void DisplacementCorrelator::accumulate(const Origin& origin, const Origin& now, std::size_t lag) {
  if (sums_.lags() <= lag)
    sums_.resize_lags(lag + 1);
  const std::size_t n_groups = sums_.n_groups;
  const std::size_t n_q = sums_.n_q;
  const bool lateral = settings_.dimensions == 2;
  const bool masked = !origin.selected.empty();
  // The van Hove lag slot of this lag, if any.
  int van_hove_slot = -1;
  for (std::size_t v = 0; v < settings_.van_hove_lags.size(); ++v)
    if (settings_.van_hove_lags[v] == lag)
      van_hove_slot = static_cast<int>(v);
  const double inverse_bin = 1.0 / settings_.van_hove_bin;
  const std::size_t bins = van_hove_slot < 0 ? 0 : sums_.van_hove[van_hove_slot].size() / n_groups;
  std::vector<double> fs(n_q);
  // Atoms in chunks: squared displacements first (a loop the compiler vectorises), then the
  // scattering kernel over the whole chunk (vector_sinc.hpp).
  constexpr std::size_t kChunk = 256;
  double r2_chunk[kChunk], x_chunk[kChunk], kernel_chunk[kChunk];
  for (std::size_t g = 0; g < n_groups; ++g) {
    double count = 0.0, r2_sum = 0.0, r4_sum = 0.0;
    std::fill(fs.begin(), fs.end(), 0.0);
    for (std::size_t begin = group_begin_[g]; begin < group_begin_[g + 1]; begin += kChunk) {
      const std::size_t end = std::min(begin + kChunk, group_begin_[g + 1]);
      std::size_t m = 0;
      for (std::size_t k = begin; k < end; ++k) {
        if (masked && !(origin.selected[k] && now.selected[k]))
          continue;
        const double dx = now.positions[3 * k] - origin.positions[3 * k];
        const double dy = now.positions[3 * k + 1] - origin.positions[3 * k + 1];
        const double dz = lateral ? 0.0 : now.positions[3 * k + 2] - origin.positions[3 * k + 2];
        r2_chunk[m++] = dx * dx + dy * dy + dz * dz;
      }
      for (std::size_t k = 0; k < m; ++k) {
        r2_sum += r2_chunk[k];
        r4_sum += r2_chunk[k] * r2_chunk[k];
      }
      count += m;
      if (n_q == 0 && van_hove_slot < 0)
        continue;
      for (std::size_t k = 0; k < m; ++k)
        r2_chunk[k] = std::sqrt(r2_chunk[k]);  // now distances
      for (std::size_t q = 0; q < n_q; ++q) {
        if (lateral) {
          for (std::size_t k = 0; k < m; ++k)
            fs[q] += isotropic_scattering(settings_.q[q], r2_chunk[k], 2);
          continue;
        }
        for (std::size_t k = 0; k < m; ++k)
          x_chunk[k] = settings_.q[q] * r2_chunk[k];
        sinc_values(x_chunk, kernel_chunk, m);
        for (std::size_t k = 0; k < m; ++k)
          fs[q] += kernel_chunk[k];
      }
      if (van_hove_slot >= 0)
        for (std::size_t k = 0; k < m; ++k) {
          const double r = r2_chunk[k];
          const std::size_t bin = static_cast<std::size_t>(r * inverse_bin);
          if (r < settings_.van_hove_max && bin < bins)
            sums_.van_hove[van_hove_slot][g * bins + bin] += 1.0;
          else
            sums_.van_hove_beyond[van_hove_slot][g] += 1.0;
        }
    }
    const std::size_t at = lag * n_groups + g;
    sums_.count[at] += count;
    sums_.r2[at] += r2_sum;
    sums_.r4[at] += r4_sum;
    for (std::size_t q = 0; q < n_q; ++q)
      sums_.fs[(lag * n_q + q) * n_groups + g] += fs[q];
  }
}

}  // namespace glassland::analysis
